"""transforms.dicom.fastwrite writes the bytes pydicom's write_dataset writes."""

from __future__ import annotations

import glob
import os
import warnings

import pydicom
import pytest
from pydicom.filebase import DicomBytesIO
from pydicom.filewriter import write_dataset as pydicom_write_dataset

from transforms.deid_config import parse_config
from transforms.dicom import codec, fastwrite
from transforms.dicom.deidentify import Deidentifier, StageFailure
from tests.factories import make_dataset, to_bytes

TEST_FILES = sorted(glob.glob(os.path.join(os.path.dirname(pydicom.__file__), "data", "test_files", "**", "*.dcm"), recursive=True))


def _both(ds, implicit: bool, little: bool) -> tuple[bytes, bytes]:
    out = []
    for write in (pydicom_write_dataset, fastwrite.write_dataset):
        fp = DicomBytesIO()
        fp.is_implicit_VR, fp.is_little_endian = implicit, little
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                write(fp, ds)
            except Exception as exc:  # both must fail alike
                out.append(type(exc).__name__.encode())
                continue
        out.append(fp.getvalue())
    return out[0], out[1]


@pytest.mark.parametrize("path", TEST_FILES, ids=os.path.basename)
def test_same_bytes_as_pydicom_on_its_test_files(path):
    try:
        ds = pydicom.dcmread(path, force=True)
    except Exception:
        pytest.skip("pydicom cannot read it")
    implicit, little = ds.original_encoding
    if implicit is None:
        pytest.skip("no encoding")
    ref, fast = _both(ds, implicit, little)
    assert fast == ref
    ref, fast = _both(pydicom.dcmread(path, force=True), False, True)  # re-encoded to explicit LE
    assert fast == ref


def test_same_bytes_when_some_elements_are_decoded_or_changed():
    ds = codec.parse(to_bytes(make_dataset(index=3)))
    ds.PatientName = "CHANGED^NAME"  # a new DataElement among raw ones
    _ = ds.StudyDate  # decoded, unchanged
    del ds[ds.dir()[0]]
    ref, fast = _both(ds, False, True)
    assert fast == ref and len(fast) > 100


def test_engine_output_unchanged_by_the_fast_writer(monkeypatch):
    """The engine writes the same bytes with pydicom's own write_dataset, on every test file it accepts."""
    engine = Deidentifier(parse_config({}), b"k" * 32)
    inputs = [to_bytes(make_dataset(index=i)) for i in range(3)]
    inputs += [open(p, "rb").read() for p in TEST_FILES]
    fast = []
    for data in inputs:
        try:
            fast.append(engine(data).data)
        except StageFailure as exc:
            fast.append(exc.stage)
    monkeypatch.setattr(fastwrite, "write_dataset", pydicom_write_dataset)
    for data, got in zip(inputs, fast):
        try:
            ref = engine(data).data
        except StageFailure as exc:
            ref = exc.stage
        assert got == ref
    assert sum(isinstance(x, bytes) for x in fast) > 20
