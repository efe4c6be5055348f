"""Header-only de-identification + verbatim pixel copy equals the engine's whole-file output."""

from __future__ import annotations

import io
import struct

import pytest
from pydicom.data import get_testdata_file

from tests.factories import make_dataset, to_bytes
from transforms.deid_config import parse_config
from transforms.dicom.deidentify import Deidentifier, StageFailure
from transforms.dicom.profiles import compile_plan
from transforms.pixels.burnedin import needs_pixels
from transforms.dicom.streamcopy import copy_tail, copyable_tail, read_header

KEY = b"0123456789abcdef0123456789abcdef"
CONFIGS = {
    "basic": {},
    "keep_all": {"dicomTagConfig": {"profileType": "KEEP_ALL_PROFILE"}},
    "minimal": {"dicomTagConfig": {"profileType": "MINIMAL_KEEP_LIST_PROFILE"}},
    "tag_contents": {"dicomTagConfig": {"profileType": "DEIDENTIFY_TAG_CONTENTS"}},
}
# name -> (bytes, copyable under every config above)
FILES = {
    "explicit": (lambda: to_bytes(make_dataset(index=1)), True),
    "implicit": (lambda: to_bytes(make_dataset(implicit=True)), True),
    "CT_small_trailing_elements": (lambda: open(get_testdata_file("CT_small.dcm"), "rb").read(), False),
    "MR_small_implicit": (lambda: open(get_testdata_file("MR_small_implicit.dcm"), "rb").read(), True),
    "JPEG2000": (lambda: open(get_testdata_file("JPEG2000.dcm"), "rb").read(), True),
    "rle_2frame": (lambda: open(get_testdata_file("SC_rgb_rle_2frame.dcm"), "rb").read(), True),
    "rtdose_multiframe": (lambda: open(get_testdata_file("rtdose.dcm"), "rb").read(), True),
    "big_endian": (lambda: open(get_testdata_file("MR_small_bigendian.dcm"), "rb").read(), False),
    "deflated": (lambda: open(get_testdata_file("image_dfl.dcm"), "rb").read(), False),
    "trailing_padding": (lambda: to_bytes(make_dataset()) + struct.pack("<HH", 0xFFFC, 0xFFFC) + b"OB\0\0" + struct.pack("<I", 4) + b"\0" * 4, False),
    "truncated": (lambda: to_bytes(make_dataset())[:-10], False),
}


def _split_copy(spec, data: bytes, first: int = 256):
    """Return the stream-copy output, or None when the tail is not copyable."""
    f = io.BytesIO(data)
    try:
        head, ds, offset = read_header(f, first=first)
    except Exception:
        return None  # the pipeline then reads the file whole
    if offset is None or not copyable_tail(spec, compile_plan(spec), ds, f, offset, len(data)):
        return None
    result = Deidentifier(spec, KEY)(head[:offset], header_only=True)
    out = io.BytesIO()
    out.write(result.data)
    assert copy_tail(f, out, offset, chunk=1000) == len(data) - offset
    return out.getvalue(), result.relative_path


@pytest.mark.parametrize("name", sorted(FILES))
@pytest.mark.parametrize("config", sorted(CONFIGS))
def test_copy_path_equals_engine(config, name):
    """Where the tail is copyable, header + copied tail is byte-identical to the engine's output."""
    spec = parse_config(CONFIGS[config])
    make, copyable = FILES[name]
    data = make()
    split = _split_copy(spec, data)
    assert (split is not None) is copyable
    if split is not None:
        whole = Deidentifier(spec, KEY)(data)
        assert split == (whole.data, whole.relative_path)


def test_truncated_still_fails_the_whole_way():
    """A file the copy path refuses still fails in the engine (accounting does not change)."""
    data = FILES["truncated"][0]()
    with pytest.raises(StageFailure):
        Deidentifier(parse_config({}), KEY)(data)


def test_header_grows_past_the_first_read():
    """A head smaller than the header is grown until the header parses."""
    data = to_bytes(make_dataset())
    head, ds, offset = read_header(io.BytesIO(data), first=64)
    assert offset is not None and data[offset : offset + 4] == b"\xe0\x7f\x10\x00"
    assert str(ds.SOPInstanceUID) == make_dataset().SOPInstanceUID and "PixelData" not in ds


def test_no_copy_when_pixels_change():
    """Deleting PixelData by action, or asking for burned-in text redaction, disables the copy path."""
    data = to_bytes(make_dataset())
    delete = parse_config({"dicomTagConfig": {"actions": [{"queries": ["PixelData"], "removeTag": {}}]}})
    assert _split_copy(delete, data) is None
    image = parse_config({"dicomTagConfig": {"actions": [
        {"queries": ["PixelData"], "cleanImageTag": {"textRedactionMode": "REDACT_ALL_TEXT"}}]}})
    assert _split_copy(image, data) is None
    assert needs_pixels(image) and not needs_pixels(parse_config({}))
    no_text = parse_config({"dicomTagConfig": {"actions": [{"queries": ["PixelData"], "cleanImageTag": {}}]}})
    assert not needs_pixels(no_text)  # REDACT_NO_TEXT changes no pixel
