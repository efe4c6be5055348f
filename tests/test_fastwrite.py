"""transforms.dicom.fastwrite writes the bytes pydicom's write_dataset writes."""

from __future__ import annotations

import glob
import os
import warnings

import pydicom
import pytest
from pydicom.filebase import DicomBytesIO
from pydicom.filewriter import write_dataset as pydicom_write_dataset
from pydicom.filewriter import write_file_meta_info

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


def _decode_all(ds) -> None:
    for elem in list(ds):  # iterating a Dataset converts its raw elements
        if elem.VR == "SQ":
            for item in elem.value:
                _decode_all(item)


@pytest.mark.parametrize("path", TEST_FILES, ids=os.path.basename)
def test_same_bytes_as_pydicom_with_every_element_decoded(path):
    """Decoded (changed) elements of every kind pydicom reads: the encoders here or pydicom's, same bytes."""
    try:
        ds = pydicom.dcmread(path, force=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _decode_all(ds)
    except Exception:
        pytest.skip("pydicom cannot decode it")
    ref, fast = _both(ds, False, True)
    assert fast == ref


def test_same_bytes_for_new_elements_items_and_file_meta():
    from pydicom.dataset import Dataset, FileMetaDataset
    from pydicom.filewriter import write_file_meta_info
    from pydicom.sequence import Sequence

    ds = codec.parse(to_bytes(make_dataset(index=1)))
    item = Dataset()
    item.CodeValue, item.CodingSchemeDesignator, item.CodeMeaning = "113100", "DCM", "Basic Application Confidentiality Profile"
    inner = Dataset()
    inner.Rows, inner.LUTDescriptor = 7, [256, 0, 16]  # LUTDescriptor: ambiguous 'US or SS', left to pydicom
    item.ReferencedImageSequence = Sequence([inner])
    ds.DeidentificationMethodCodeSequence = Sequence([item, Dataset()])
    ds.ImageType = ["DERIVED", "SECONDARY"]  # a multi-valued CS, odd joined length
    ds.SeriesDescription = "odd"  # padded with a space
    ds.add_new(0x00091010, "LO", "Ärger")  # not ASCII: pydicom's encoder
    ds.WindowCenter = "40"  # DS: pydicom's
    ds.FrameIncrementPointer = 0x00181063  # AT: pydicom's
    ds.add_new(0x00280106, "US", 0)  # zero is a value, not an empty element
    ds.add_new(0x00280107, "US", None)  # empty
    ds.ImagerPixelSpacing = None
    ds.add_new(0x00189219, "SS", [-3, 4])
    ds.add_new(0x00091011, "OB", b"\x01\x02\x03")  # odd: a zero byte added
    ds.SOPInstanceUID = "1.2.3.45"  # odd: a NUL added
    ref, fast = _both(ds, False, True)
    assert fast == ref

    def meta_bytes(write) -> bytes:
        meta = FileMetaDataset()
        meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.7"
        meta.MediaStorageSOPInstanceUID = "1.2.3.4.5"
        meta.TransferSyntaxUID = "1.2.840.10008.1.2.1"
        meta.ImplementationClassUID = "1.2.3"
        meta.ImplementationVersionName = "X"
        fp = DicomBytesIO()
        write(fp, meta)
        return fp.getvalue() + bytes(meta.FileMetaInformationGroupLength.to_bytes(4, "little"))

    assert meta_bytes(fastwrite.write_file_meta) == meta_bytes(lambda fp, m: write_file_meta_info(fp, m, enforce_standard=True))


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
    monkeypatch.setattr(fastwrite, "write_file_meta", lambda fp, meta: write_file_meta_info(fp, meta, enforce_standard=True))
    for data, got in zip(inputs, fast):
        try:
            ref = engine(data).data
        except StageFailure as exc:
            ref = exc.stage
        assert got == ref
    assert sum(isinstance(x, bytes) for x in fast) > 20


def test_engine_copies_the_pixel_tail_only_when_the_bytes_are_the_same():
    """The header-plus-source-tail path (Deidentifier._split_tail) writes what the whole-file path writes."""
    engine = Deidentifier(parse_config({}), b"k" * 32)
    inputs = [to_bytes(make_dataset(index=i)) for i in range(3)]
    inputs += [open(p, "rb").read() for p in TEST_FILES]
    copied = 0
    for data in inputs:
        results = []
        for tail_copy in (True, False):
            engine._tail_copy = tail_copy
            try:
                r = engine(data)
                results.append((r.data, r.uid_pairs, r.annotations, r.relative_path))
            except StageFailure as exc:
                results.append((exc.stage, exc.error_type, exc.message))
        engine._tail_copy = True
        assert results[0] == results[1]
        copied += engine._split_tail(data)[1] is not None
    assert copied > 20
