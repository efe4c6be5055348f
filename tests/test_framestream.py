"""Frame-by-frame burned-in text redaction of large native instances equals the whole-file way.

The pure functions (``transforms.pixels.framestream``, ``pixeldata.decode_frame``/``redact_frame``,
``burnedin.FrameBoxes``) are tested without Beam; one pipeline run checks that ``--stream_copy_bytes``
changes nothing in the outputs, annotations and summary.
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
import sys
from pathlib import Path

import numpy as np
import pydicom
import pytest
from pydicom.data import get_testdata_file
from pydicom.encaps import generate_frames
from pydicom.uid import ExplicitVRBigEndian, ImplicitVRLittleEndian, RLELossless

from tests.factories import burn_text, make_dataset, to_bytes, ultrasound_picture
from transforms.deid_config import parse_config
from transforms.dicom.deidentify import Deidentifier, StageFailure
from transforms.dicom.profiles import compile_plan
from transforms.dicom.streamcopy import copy_tail, read_header, redactable_tail
from transforms.errors import PixelDataError, SourceReadError
from transforms.pixels import pixeldata
from transforms.pixels.burnedin import FrameBoxes, RedactedBox
from transforms.pixels.framestream import RedactedPixels, deidentify_framed, write_redacted
from transforms.pixels.pixeldata import Box

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from burnedin_cases import case_instance  # noqa: E402

KEY = b"k" * 32
STORE = {"annotationStoreName": "projects/p/locations/l/datasets/d/annotationStores/a"}
ALL = {"dicomTagConfig": {"options": {"cleanImage": {"textRedactionMode": "REDACT_ALL_TEXT"}}}, "annotation": STORE}
CLEAN = {"dicomTagConfig": {"options": {"cleanImage": {"textRedactionMode": "REDACT_SENSITIVE_TEXT_CLEAN_DESCRIPTORS"}}},
         "annotation": STORE}
KEEP_ALL = {"dicomTagConfig": {"profileType": "KEEP_ALL_PROFILE",
                               "options": {"cleanImage": {"textRedactionMode": "REDACT_ALL_TEXT"}}}, "annotation": STORE}
NAME = "QUENNEVILLE"
_ENGINES: dict[str, Deidentifier] = {}


def _engine(config: dict) -> Deidentifier:
    """One engine (and OCR model) per config for the module."""
    key = json.dumps(config, sort_keys=True)
    if key not in _ENGINES:
        _ENGINES[key] = Deidentifier(parse_config(config), KEY)
    return _ENGINES[key]


def _streamed(config: dict, data: bytes):
    """(output bytes, result, RedactedPixels or None) the frame-by-frame way; None when not streamable."""
    spec = parse_config(config)
    f = io.BytesIO(data)
    head, header, offset = read_header(f, first=512)
    layout = None if offset is None else redactable_tail(spec, compile_plan(spec), header, f, offset, len(data))
    if layout is None:
        return None
    result, redacted = deidentify_framed(_engine(config), head[:offset], f, layout, source="src.dcm")
    out = io.BytesIO()
    out.write(result.data)
    if redacted is None:
        copy_tail(f, out, offset)
    else:
        write_redacted(f, out, redacted, chunk=1000)
    return out.getvalue(), result, redacted


def _assert_same_ways(config: dict, data: bytes):
    """Both ways give the same bytes, names and annotations; return (whole result, RedactedPixels)."""
    whole = _engine(config)(data, source="src.dcm")
    split = _streamed(config, data)
    assert split is not None, "the instance should be streamable"
    out, result, redacted = split
    assert out == whole.data
    assert (result.relative_path, result.annotations, result.study_uid) == (whole.relative_path, whole.annotations, whole.study_uid)
    return whole, redacted


def _image(pixels: np.ndarray, photometric: str, frames: int, **attrs) -> pydicom.Dataset:
    """A small multi-frame instance (the factory's PHI) with native pixels shaped (frames, rows, columns[, 3])."""
    ds = make_dataset()
    for tag in [e.tag for e in ds if e.tag.group == 0x6000]:
        del ds[tag]
    ds.Rows, ds.Columns = pixels.shape[1], pixels.shape[2]
    ds.PhotometricInterpretation = photometric
    ds.SamplesPerPixel = 3 if pixels.ndim == 4 else 1
    bits = pixels.dtype.itemsize * 8
    ds.BitsAllocated, ds.BitsStored, ds.HighBit = bits, bits, bits - 1
    ds.PixelRepresentation = int(pixels.dtype.kind == "i")
    if ds.SamplesPerPixel == 3:
        ds.PlanarConfiguration = 0
    ds.NumberOfFrames = frames
    for keyword, value in attrs.items():
        setattr(ds, keyword, value)
    raw = np.ascontiguousarray(pixels).tobytes()
    if ds.get("PlanarConfiguration") == 1:
        raw = np.ascontiguousarray(pixels.transpose(0, 3, 1, 2)).tobytes()
    ds.PixelData = raw + b"\0" * (len(raw) % 2)
    ds["PixelData"].VR = "OB" if bits == 8 else "OW"
    return ds


def _formats():
    """Native pixel formats streamed: name -> dataset (3 frames, random values)."""
    rng = np.random.default_rng(5)
    grey8 = rng.integers(0, 256, (3, 13, 7), dtype=np.uint8)  # odd frame size: a padding byte after the frames
    rgb = rng.integers(0, 256, (3, 16, 12, 3), dtype=np.uint8)
    palette = _image(rng.integers(0, 4, (3, 8, 8), dtype=np.uint8), "PALETTE COLOR", 3)
    palette.RedPaletteColorLookupTableDescriptor = palette.GreenPaletteColorLookupTableDescriptor = [4, 0, 8]
    palette.BluePaletteColorLookupTableDescriptor = [4, 0, 8]
    palette.RedPaletteColorLookupTableData = bytes([200, 10, 90, 250])
    palette.GreenPaletteColorLookupTableData = bytes([200, 5, 90, 250])
    palette.BluePaletteColorLookupTableData = bytes([200, 20, 90, 250])
    signed = _image(rng.integers(-2048, 2048, (3, 10, 10), dtype=np.int16), "MONOCHROME2", 3)
    signed.BitsStored, signed.HighBit = 12, 11
    return {
        "grey8_odd": _image(grey8, "MONOCHROME2", 3),
        "signed12": signed,
        "mono1_16": _image(rng.integers(0, 65536, (3, 9, 11), dtype=np.uint16), "MONOCHROME1", 3),
        "grey32": _image(rng.integers(0, 2**31, (3, 4, 6), dtype=np.uint32), "MONOCHROME2", 3),
        "rgb": _image(rgb, "RGB", 3),
        "rgb_planar": _image(rgb, "RGB", 3, PlanarConfiguration=1),
        "ybr_full": _image(rgb, "YBR_FULL", 3),
        "palette": palette,
    }


FORMATS = _formats()


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_one_frame_decodes_as_in_the_whole_decode(name):
    """decode_frame of one frame's bytes equals that frame of decode_frames (both colour spaces)."""
    ds = FORMATS[name]
    data = to_bytes(ds)
    f = io.BytesIO(data)
    _, header, offset = read_header(f)
    spec = parse_config(ALL)
    layout = redactable_tail(spec, compile_plan(spec), header, f, offset, len(data))
    assert layout is not None and layout.frames == 3
    frame_ds = pixeldata.frame_dataset(header)
    whole = pixeldata.decode_frames(ds)
    stored = pixeldata._decode(ds, as_rgb=False)[0]
    for index in range(3):
        start = layout.value_offset + index * layout.frame_bytes
        raw = data[start : start + layout.frame_bytes]
        assert np.array_equal(pixeldata.decode_frame(frame_ds, raw, layout.vr), whole[index])
        assert np.array_equal(pixeldata.decode_frame(frame_ds, raw, layout.vr, as_rgb=False), stored[index])


def _redacted_pixels(data: bytes, boxes: FrameBoxes) -> RedactedPixels:
    f = io.BytesIO(data)
    _, header, offset = read_header(f)
    spec = parse_config(ALL)
    layout = redactable_tail(spec, compile_plan(spec), header, f, offset, len(data))
    frames = data[layout.value_offset : layout.value_offset + layout.frames * layout.frame_bytes]
    return RedactedPixels(layout, boxes, hashlib.sha256(frames).hexdigest())


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_frame_by_frame_black_out_equals_redact(name):
    """write_redacted writes the bytes pixeldata.redact writes: same fill, margin, clipping."""
    ds = FORMATS[name]
    data = to_bytes(ds)
    boxes = FrameBoxes((Box(1, 1, 3, 2),), ((2, (Box(3, 0, 40, 5), Box(-4, 6, 2, 7))),))
    redacted = _redacted_pixels(data, boxes)
    whole = copy.deepcopy(ds)
    assert pixeldata.redact(whole, boxes.by_frame(3)) > 0
    out = io.BytesIO()
    written = write_redacted(io.BytesIO(data), out, redacted, chunk=7)
    offset = redacted.layout.pixel_offset
    assert written == len(data) - offset
    assert out.getvalue() == to_bytes(whole)[offset:]
    assert out.getvalue() != data[offset:]


def test_boxes_that_change_nothing_leave_every_byte():
    """As redact, boxes over pixels that are already black do not touch PixelData at all."""
    frames = np.full((3, 8, 8), 50, np.uint16)
    frames[:, :3, :3] = 7  # the minimum: black, under the box and its margin
    ds = _image(frames, "MONOCHROME2", 3, BitsStored=12, HighBit=11)
    data = to_bytes(ds)
    boxes = FrameBoxes(later=((1, (Box(0, 0, 1, 1),)),))
    whole = copy.deepcopy(ds)
    assert pixeldata.redact(whole, boxes.by_frame(3)) == 0
    out = io.BytesIO()
    write_redacted(io.BytesIO(data), out, _redacted_pixels(data, boxes))
    assert out.getvalue() == data[-len(out.getvalue()):] == to_bytes(whole)[-len(out.getvalue()):]


def test_frame_boxes_by_frame():
    """Frame 0's boxes in every frame, then each later frame's own, in the order found."""
    a, b, c = Box(0, 0, 1, 1), Box(2, 2, 3, 3), Box(4, 4, 5, 5)
    found = [RedactedBox(0, a, "TEXT"), RedactedBox(2, b, "TEXT"), RedactedBox(2, c, "TEXT"), RedactedBox(3, b, "TEXT")]
    boxes = FrameBoxes.of(found)
    assert boxes.by_frame(4) == {0: [a], 1: [a], 2: [a, b, c], 3: [a, b]}
    assert [boxes.for_frame(i) for i in range(4)] == [[a], [a], [a, b, c], [a, b]]
    later = FrameBoxes.of(found[1:])
    assert later.by_frame(4) == {2: [b, c], 3: [b]} and later.for_frame(0) == [] and later
    assert not FrameBoxes.of([])


def _dcm(ds) -> bytes:
    buf = io.BytesIO()
    pydicom.dcmwrite(buf, ds, enforce_file_format=True)
    return buf.getvalue()


@pytest.mark.parametrize("config", [ALL, CLEAN], ids=["all_text", "clean_descriptors"])
def test_text_on_a_later_frame_only(config):
    """A cine with text on one later frame: the same boxes, bytes and annotation on both ways."""
    ds, truth = case_instance("later_frame", 11)
    later = truth[0].frame
    whole, redacted = _assert_same_ways(config, _dcm(ds))
    assert redacted is not None and not redacted.boxes.every
    assert [frame for frame, _ in redacted.boxes.later] == [later]
    records = [json.loads(a) for a in whole.annotations]
    assert [r["imageAnnotation"]["frameIndex"] for r in records] == [later]


@pytest.mark.parametrize("implicit", [False, True], ids=["explicit", "implicit"])
def test_text_on_every_frame(implicit):
    """Static text on every frame of a 16-bit cine: frame 0's boxes blacked out in every frame."""
    rows = columns = 192
    mask = burn_text((rows, columns), [NAME, "ID 48151623"], origin=(6, 6), size=16)
    frames = np.stack([ultrasound_picture(rows, columns, seed=i)[..., 0] for i in range(4)]).astype(np.uint16) * 8
    frames = (frames * (1 - mask) + 4000 * mask).astype(np.uint16)
    ds = _image(frames, "MONOCHROME2", 4, BitsStored=12, HighBit=11)
    if implicit:
        ds.file_meta.TransferSyntaxUID = ImplicitVRLittleEndian
    whole, redacted = _assert_same_ways(ALL, to_bytes(ds))
    assert redacted is not None and redacted.boxes.every
    out = pydicom.dcmread(io.BytesIO(whole.data))
    assert "113101" in [item.CodeValue for item in out.DeidentificationMethodCodeSequence]
    after = pixeldata.decode_frames(out)
    assert all((after[i][6:30, 6:60] == after[i].min()).mean() > 0.3 for i in range(4))


def test_kept_overlay_examined_on_both_ways():
    """KEEP_ALL keeps the overlay bitmap (a header element): both ways clean it the same."""
    rows = columns = 128
    frames = np.stack([ultrasound_picture(rows, columns, seed=i)[..., 0] for i in range(2)])
    ds = _image(frames, "MONOCHROME2", 2)
    ds.add_new(0x60000010, "US", rows)
    ds.add_new(0x60000011, "US", columns)
    ds.add_new(0x60000040, "CS", "G")
    ds.add_new(0x60000050, "SS", [1, 1])
    ds.add_new(0x60000100, "US", 1)
    ds.add_new(0x60000102, "US", 0)
    bits = (burn_text((rows, columns), [NAME], origin=(8, 8), size=18) > 0.5).astype(np.uint8)
    ds.add_new(0x60003000, "OW", np.packbits(bits.ravel(), bitorder="little").tobytes())
    _assert_same_ways(KEEP_ALL, to_bytes(ds))


def test_no_text_keeps_pixel_data():
    """No text found: no boxes travel, the PixelData MD5 is kept, both ways agree."""
    ds, truth = case_instance("no_text", 4)
    assert not truth
    data = _dcm(ds)
    whole, redacted = _assert_same_ways(ALL, data)
    assert redacted is None
    out = pydicom.dcmread(io.BytesIO(whole.data))
    assert hashlib.md5(out.PixelData).hexdigest() == hashlib.md5(ds.PixelData).hexdigest()
    assert not [a for a in whole.annotations if "imageAnnotation" in a]


def _cine(frames: int, text_on=(), rows: int = 160, columns: int = 192) -> np.ndarray:
    """RGB ultrasound-like frames; ``text_on``: the frames with burned-in yellow print."""
    mask = burn_text((rows, columns), [NAME, "DOB 1971-03-04"], origin=(6, 6), size=16)
    out = []
    for index in range(frames):
        picture = ultrasound_picture(rows, columns, seed=index).astype(np.float32)
        if index in text_on:
            picture = picture * (1 - mask[..., None]) + np.array([255, 255, 0]) * mask[..., None]
        out.append(picture.astype(np.uint8))
    return np.stack(out)


def _jpeg_bytes(frames: np.ndarray, bot: bool = True, split: bool = False, extended: bool = False) -> bytes:
    """A JPEG baseline (YBR_FULL_422) multi-frame instance of ``frames``, one fragment per frame."""
    from PIL import Image
    from pydicom.encaps import encapsulate, encapsulate_extended
    from pydicom.uid import JPEGBaseline8Bit

    encoded = []
    for frame in frames:
        buf = io.BytesIO()
        Image.fromarray(frame, "RGB").save(buf, format="JPEG", quality=95, subsampling=1)
        encoded.append(buf.getvalue() + b"\0" * (len(buf.getvalue()) % 2))
    ds = _image(frames, "YBR_FULL_422", len(frames))
    if extended:
        data, table, lengths = encapsulate_extended(encoded)
        ds.ExtendedOffsetTable, ds.ExtendedOffsetTableLengths = table, lengths
    elif split:
        data = encapsulate(encoded, fragments_per_frame=2, has_bot=True)
    else:
        data = encapsulate(encoded, has_bot=bot)
    ds.PixelData = data
    ds["PixelData"].VR = "OB"
    ds["PixelData"].is_undefined_length = True
    ds.file_meta.TransferSyntaxUID = JPEGBaseline8Bit
    return to_bytes(ds)


@pytest.mark.parametrize("bot", [True, False], ids=["offset_table", "no_offset_table"])
def test_jpeg_cine_text_on_every_frame(bot):
    """A JPEG cine with print on every frame: decoded, blacked out and re-encoded frame by frame as JPEG 2000
    Lossless (YBR_RCT, still lossy 01), the same bytes as the whole-file way."""
    whole, redacted = _assert_same_ways(ALL, _jpeg_bytes(_cine(3, text_on=(0, 1, 2)), bot=bot))
    assert redacted is not None and redacted.reencoding is not None and redacted.boxes.every
    out = pydicom.dcmread(io.BytesIO(whole.data))
    assert out.file_meta.TransferSyntaxUID == pydicom.uid.JPEG2000Lossless
    assert (out.PhotometricInterpretation, out.LossyImageCompression, out.NumberOfFrames) == ("YBR_RCT", "01", 3)


def _encoded_cine(syntax: str, frames: np.ndarray, photometric: str) -> bytes:
    """An RGB cine encoded in ``syntax`` by pydicom (one fragment per frame, a Basic Offset Table)."""
    ds = _image(frames, "RGB", len(frames))
    ds.compress(syntax, photometric_interpretation=photometric, generate_instance_uid=False)
    ds.PhotometricInterpretation = photometric  # compress() leaves RGB; YBR_RCT: the codestream's colour transform
    return to_bytes(ds)


@pytest.mark.parametrize(
    "syntax, photometric",
    [(pydicom.uid.JPEG2000Lossless, "YBR_RCT"), (pydicom.uid.JPEG2000Lossless, "RGB"),
     (pydicom.uid.JPEGLSLossless, "RGB")],
)
def test_lossless_cine_keeps_its_syntax(syntax, photometric):
    """A lossless JPEG 2000 or JPEG-LS cine with print on frame 1: both ways write the source's syntax and
    colour space, the same bytes; frames 0 and 2 keep their fragments; frame 1 decodes to the redaction."""
    data = _encoded_cine(syntax, _cine(3, text_on=(1,)), photometric)
    whole, redacted = _assert_same_ways(ALL, data)
    assert redacted is not None and redacted.reencoding.keeps_fragments
    source, out = pydicom.dcmread(io.BytesIO(data)), pydicom.dcmread(io.BytesIO(whole.data))
    assert (out.file_meta.TransferSyntaxUID, out.PhotometricInterpretation) == (syntax, photometric)
    assert "LossyImageCompression" not in out or out.LossyImageCompression == "00"
    before, after = source.pixel_array, out.pixel_array
    kept, written = list(generate_frames(source.PixelData, number_of_frames=3)), list(generate_frames(out.PixelData, number_of_frames=3))
    assert (kept[0], kept[2]) == (written[0], written[2]) and kept[1] != written[1]
    changed = (after != before).any(axis=-1)
    assert changed[1].any() and not changed[[0, 2]].any()
    assert (after[1][changed[1]] == 0).all()  # every changed pixel is black, exactly


def test_uncompressed_fallback_either_way(monkeypatch):
    """Where JPEG 2000 does not take the image (here: openjpeg's smallest side raised), both ways write
    the redacted JPEG cine as Explicit VR Little Endian RGB, the same bytes."""
    monkeypatch.setattr(pixeldata, "_OPENJPEG_MIN_SIDE", 10**6)
    whole, redacted = _assert_same_ways(ALL, _jpeg_bytes(_cine(2, text_on=(0, 1))))
    assert redacted.reencoding.syntax == pydicom.uid.ExplicitVRLittleEndian
    out = pydicom.dcmread(io.BytesIO(whole.data))
    assert out.file_meta.TransferSyntaxUID == pydicom.uid.ExplicitVRLittleEndian
    assert (out.PhotometricInterpretation, out.LossyImageCompression) == ("RGB", "01")


def test_extended_offset_table_either_way(monkeypatch):
    """Re-encoded frames too long for a Basic Offset Table (the limit lowered): an Extended Offset Table,
    written before PixelData the same way on both paths."""
    monkeypatch.setattr(pixeldata, "BOT_LIMIT", 64)
    whole, _ = _assert_same_ways(ALL, _jpeg_bytes(_cine(2, text_on=(0, 1))))
    out = pydicom.dcmread(io.BytesIO(whole.data))
    assert "ExtendedOffsetTable" in out and len(out.ExtendedOffsetTableLengths) == 16
    frames = list(generate_frames(out.PixelData, number_of_frames=2,
                                  extended_offsets=(out.ExtendedOffsetTable, out.ExtendedOffsetTableLengths)))
    assert len(frames) == 2 and out.pixel_array.shape == (2, 160, 192, 3)


def test_jpeg_cine_text_on_a_later_frame_and_none():
    """Print on frame 2 only: both ways agree; without print the JPEG fragments are copied as they are."""
    whole, redacted = _assert_same_ways(ALL, _jpeg_bytes(_cine(3, text_on=(2,)), bot=False))
    assert redacted is not None and 2 in [f for f, _ in redacted.boxes.later]
    smooth = np.repeat(np.linspace(0, 120, 192, dtype=np.float32)[None, :, None], 160, axis=0)
    data = _jpeg_bytes(np.stack([np.repeat(smooth + 3 * i, 3, axis=2).astype(np.uint8) for i in range(3)]))
    whole, redacted = _assert_same_ways(ALL, data)
    assert redacted is None
    out = pydicom.dcmread(io.BytesIO(whole.data))
    assert out.PixelData == pydicom.dcmread(io.BytesIO(data)).PixelData
    assert out.file_meta.TransferSyntaxUID == pydicom.uid.JPEGBaseline8Bit


def test_jpeg2000_single_frame():
    """An encapsulated single frame (JPEG 2000) goes the frame way too, with the same output."""
    _assert_same_ways(ALL, open(get_testdata_file("JPEG2000.dcm"), "rb").read())


def _bits1() -> bytes:
    ds = _image(np.zeros((2, 8, 8), np.uint8), "MONOCHROME2", 2)
    ds.BitsAllocated, ds.BitsStored, ds.HighBit = 1, 1, 0
    ds.PixelData = b"\0" * 16
    return to_bytes(ds)


def _big_endian() -> bytes:
    ds = _image(np.zeros((2, 8, 8), np.uint16), "MONOCHROME2", 2)
    ds.file_meta.TransferSyntaxUID = ExplicitVRBigEndian
    ds.PixelData = np.zeros((2, 8, 8), ">u2").tobytes()
    return _dcm(ds)


def _rle() -> bytes:
    ds = _image(np.zeros((2, 8, 8), np.uint8), "MONOCHROME2", 2)
    ds.compress(RLELossless, generate_instance_uid=False)
    return to_bytes(ds)


def _ybr422() -> bytes:
    ds = _image(np.zeros((2, 8, 8, 3), np.uint8), "YBR_FULL_422", 2)
    ds.PixelData = b"\0" * (2 * 8 * 8 * 3)
    return to_bytes(ds)


def _short() -> bytes:
    ds = _image(np.zeros((2, 8, 8), np.uint8), "MONOCHROME2", 3)  # declares 3 frames, holds 2
    return to_bytes(ds)


NOT_STREAMED = {
    "bits_allocated_1": _bits1,
    "big_endian": _big_endian,
    "rle": _rle,
    "ybr_full_422": _ybr422,
    "fewer_frames_than_declared": _short,
    "deflated": lambda: open(get_testdata_file("image_dfl.dcm"), "rb").read(),
    "jpeg_two_fragments_per_frame": lambda: _jpeg_bytes(_cine(2), split=True),
    "jpeg_extended_offsets": lambda: _jpeg_bytes(_cine(2), extended=True),
    "trailing_element": lambda: open(get_testdata_file("CT_small.dcm"), "rb").read(),
}


@pytest.mark.parametrize("name", sorted(NOT_STREAMED))
def test_other_pixel_data_goes_the_whole_way(name):
    """Anything but plain native little-endian frames ending the file is not streamed."""
    assert _streamed(ALL, NOT_STREAMED[name]()) is None


def test_configs_without_redaction_are_not_framed():
    data = to_bytes(FORMATS["rgb"])
    f = io.BytesIO(data)
    _, header, offset = read_header(f)
    spec = parse_config({})
    assert redactable_tail(spec, compile_plan(spec), header, f, offset, len(data)) is None


def test_pixel_failure_is_the_same_on_both_ways():
    """Palette colour without its tables: a pixels failure with the same reason either way."""
    ds = _image(np.zeros((2, 8, 8), np.uint8), "PALETTE COLOR", 2)
    data = to_bytes(ds)
    with pytest.raises(StageFailure) as whole:
        _engine(ALL)(data, source="src.dcm")
    with pytest.raises(StageFailure) as framed:
        _streamed(ALL, data)
    assert (framed.value.stage, framed.value.error_type, framed.value.message) == (
        whole.value.stage, whole.value.error_type, whole.value.message)
    assert whole.value.stage == "pixels" and whole.value.error_type == "PixelDataError"


def _later_frame_split():
    ds, _ = case_instance("later_frame", 11)
    data = _dcm(ds)
    f = io.BytesIO(data)
    head, header, offset = read_header(f)
    spec = parse_config(ALL)
    layout = redactable_tail(spec, compile_plan(spec), header, f, offset, len(data))
    result, redacted = deidentify_framed(_engine(ALL), head[:offset], f, layout)
    return data, redacted


def test_source_changed_after_examination_fails_closed():
    """Frames that differ from the examined ones (the digest) or a shorter file: no output."""
    data, redacted = _later_frame_split()
    changed = bytearray(data)
    changed[redacted.layout.value_offset + 5] ^= 0xFF
    with pytest.raises(PixelDataError, match="changed after it was examined"):
        write_redacted(io.BytesIO(bytes(changed)), io.BytesIO(), redacted)
    with pytest.raises(SourceReadError):
        write_redacted(io.BytesIO(data[:-1000]), io.BytesIO(), redacted)
    header_moved = data[:200] + b"\0" + data[201:]
    with pytest.raises((PixelDataError, SourceReadError)):
        write_redacted(io.BytesIO(header_moved), io.BytesIO(), redacted)


def test_jpeg_source_changed_fails_closed():
    """An encapsulated frame that is not the one examined: no output (digest or decode failure)."""
    data = _jpeg_bytes(_cine(2, text_on=(0, 1)))
    f = io.BytesIO(data)
    head, header, offset = read_header(f)
    spec = parse_config(ALL)
    layout = redactable_tail(spec, compile_plan(spec), header, f, offset, len(data))
    _, redacted = deidentify_framed(_engine(ALL), head[:offset], f, layout)
    start, length = layout.fragments[1]
    changed = bytearray(data)
    changed[start + length // 2] ^= 0x01
    with pytest.raises(PixelDataError):
        write_redacted(io.BytesIO(bytes(changed)), io.BytesIO(), redacted)


def test_writer_failure_mid_copy_leaves_no_file(tmp_path):
    """The instance writer (its process(), no pipeline): a source changed after examination is a
    pixels failure record with a DICOM reason, and neither the output nor a temporary file is left."""
    from apache_beam import pvalue

    from pipeline.dicom.read import Tail
    from pipeline.dicom.write import _WriteDicomFn
    from pipeline.progress import Progress
    from pipeline.records import FAILED

    data, redacted = _later_frame_split()
    source = tmp_path / "src.dcm"
    changed = bytearray(data)
    changed[redacted.layout.value_offset + redacted.layout.frames * redacted.layout.frame_bytes - 3] ^= 0xFF
    source.write_bytes(bytes(changed))  # the last frame: the failure comes after most bytes were written
    out = tmp_path / "out"
    writer = _WriteDicomFn(str(out), "run1", Progress(0.0))
    writer.setup()
    try:
        element = (str(source), "studies/1/series/2/instances/3.dcm", b"header", ("1", ()), Tail(redacted, None), ())
        results = list(writer.process(element))
    finally:
        writer.teardown()
    assert len(results) == 1 and isinstance(results[0], pvalue.TaggedOutput) and results[0].tag == FAILED
    record = results[0].value
    assert (record["stage"], record["error"]) == ("pixels", "PixelDataError")
    assert "changed after it was examined" in record["message"]
    assert [p for p in out.rglob("*") if p.is_file()] == []


def test_pipeline_either_way_writes_the_same(tmp_path, monkeypatch):
    """One Beam run per way (--stream_copy_bytes 1 and 10^12): outputs, annotations, failures, summary."""
    import pipeline.dicom.deidentify
    import pipeline.dicom.write
    from pipeline.dicom.run import run

    calls = []
    examine, write = pipeline.dicom.deidentify.deidentify_framed, pipeline.dicom.write.write_redacted
    monkeypatch.setattr(pipeline.dicom.deidentify, "deidentify_framed", lambda *a, **k: calls.append("examine") or examine(*a, **k))
    monkeypatch.setattr(pipeline.dicom.write, "write_redacted", lambda *a, **k: calls.append("write") or write(*a, **k))

    inp = tmp_path / "in"
    inp.mkdir()
    for name, (case, seed) in {"later.dcm": ("later_frame", 11), "none.dcm": ("no_text", 4)}.items():
        (inp / name).write_bytes(_dcm(case_instance(case, seed)[0]))
    ds = _image(np.zeros((2, 8, 8), np.uint8), "PALETTE COLOR", 2)  # fails in the pixel stage
    (inp / "palette.dcm").write_bytes(to_bytes(ds))
    (inp / "jpeg.dcm").write_bytes(_jpeg_bytes(_cine(3, text_on=(0, 1, 2))))
    config = tmp_path / "config.json"
    config.write_text(json.dumps(ALL))
    key = tmp_path / "uid.key"
    key.write_bytes(b"V0hhdCBhIHRlc3Qga2V5IGZvciBVSURzIC0tIDMyIGJ5dGVz\n")
    seen = {}
    for way, threshold in (("framed", "1"), ("whole", str(10**12))):
        out, notes = tmp_path / way, tmp_path / f"{way}-annotations"
        assert run(["--input", str(inp), "--output", str(out), "--uid_key_file", str(key), "--config", str(config),
                    "--annotations_output", str(notes), "--stream_copy_bytes", threshold]) == 0
        summary = json.loads((out / "deid_summary.json").read_text())
        summary = {k: v for k, v in summary.items() if k not in ("output", "failures_output")}
        if way == "framed":  # the in-memory runner runs the DoFns in this process
            assert sorted(calls) == ["examine"] * 4 + ["write"] * 2
        seen[way] = (
            {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*.dcm"))},
            {p.name: p.read_text() for p in sorted(notes.glob("*.jsonl"))},
            [{k: v for k, v in json.loads(line).items() if k != "source"} | {"source": Path(json.loads(line)["source"]).name}
             for line in (out / "deid_failures.jsonl").read_text().splitlines()],
            summary,
        )
        assert not [p for p in out.rglob("*") if ".tmp-" in p.name]
    assert seen["framed"] == seen["whole"]
    files, notes, failures, summary = seen["whole"]
    assert len(files) == 3 and summary["succeeded"] == 3
    frames = sorted(json.loads(line)["imageAnnotation"]["frameIndex"] for text in notes.values() for line in text.splitlines())
    assert frames == sorted([0, 1, 2, case_instance("later_frame", 11)[1][0].frame])
    assert [(f["source"], f["stage"], f["error"]) for f in failures] == [("palette.dcm", "pixels", "PixelDataError")]


def test_small_file_that_decodes_large_goes_frame_by_frame(tmp_path, monkeypatch):
    """A redacting job routes by the decoded size too: a small file of compressed frames that decodes
    past --stream_copy_bytes is examined and written a frame at a time, not decoded whole (2,000 JPEG
    frames in 9 MB took 14 GB whole, 320 MB this way)."""
    import pipeline.dicom.deidentify
    import pipeline.dicom.read
    from pipeline.dicom.run import run

    calls = []
    examine = pipeline.dicom.deidentify.deidentify_framed
    monkeypatch.setattr(pipeline.dicom.deidentify, "deidentify_framed", lambda *a, **k: calls.append("examine") or examine(*a, **k))
    monkeypatch.setattr(pipeline.dicom.read, "_HEADER_FIRST_BYTES", 0)  # the test file is small
    inp = tmp_path / "in"
    inp.mkdir()
    data = _jpeg_bytes(_cine(3, text_on=(0, 1, 2)))
    (inp / "jpeg.dcm").write_bytes(data)
    decoded = 3 * 160 * 192 * 2  # YBR_FULL_422 as the header declares it
    assert len(data) < decoded // 2
    config = tmp_path / "config.json"
    config.write_text(json.dumps(ALL))
    key = tmp_path / "uid.key"
    key.write_bytes(b"V0hhdCBhIHRlc3Qga2V5IGZvciBVSURzIC0tIDMyIGJ5dGVz\n")
    outputs = {}
    for way, threshold in (("framed", decoded // 2), ("whole", decoded + 1)):
        calls.clear()
        out = tmp_path / way
        assert run(["--input", str(inp), "--output", str(out), "--uid_key_file", str(key), "--config", str(config),
                    "--stream_copy_bytes", str(threshold)]) == 0
        assert calls == (["examine"] if way == "framed" else [])
        (outputs[way],) = [p.read_bytes() for p in out.rglob("*.dcm")]
    assert outputs["framed"] == outputs["whole"]


def test_undecodable_frames_fail_with_a_cause_in_words():
    """A JPEG frame whose entropy-coded data is garbage: a PixelDataError whose message says what
    went wrong in words, never a Python exception class (the failure record is read by people)."""
    import re

    from transforms.deid_config import parse_config
    from transforms.dicom.deidentify import Deidentifier, StageFailure
    from transforms.errors import cause

    data = bytearray(_jpeg_bytes(_cine(2, text_on=(0, 1))))
    start = data.rindex(b"\xff\xd8")  # the last frame: no JPEG at all, the same length
    data[start:-8] = bytes(len(data) - 8 - start)
    with pytest.raises(StageFailure) as failure:
        Deidentifier(parse_config(ALL), b"k" * 32)(bytes(data))
    assert failure.value.error_type == "PixelDataError", failure.value
    assert not re.search(r"[A-Z][a-z]+(Error|Exception)\b", failure.value.message), failure.value.message
    assert cause(RuntimeError()) == "the decoder rejected the data" and cause(KeyError()) == "an element it needs is missing"
    import struct
    import zlib
    assert cause(zlib.error()) == cause(struct.error()) == "corrupt or truncated data"
    assert cause(Exception()) == "an unexpected error"
