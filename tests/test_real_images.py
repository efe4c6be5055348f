"""Burned-in text on real images nobody here made (issue 20): pydicom, pydicom-data, deid-data.

The pictures and what is written on them are in ``tests/data/real_burnedin.json`` (written
down by looking at each picture; ``tests/real_images.py`` finds the files in the installed
packages). Redaction runs the engine as the job does (``Deidentifier``); what is left is read
by Tesseract, the independent reader (redaction decides with PP-OCR). Checked: every file the
packages ship decodes, redacts and is written back in its own transfer syntax (or a failure
with a DICOM reason for the damaged ones); REDACT_ALL_TEXT leaves no identifier readable;
the sensitive mode leaves none that the detector recognises, on every frame of the 51-frame
colour cine and of 3-frame copies; at most 1% of the pixels outside text change per image.
"""

from __future__ import annotations

import difflib
import io
import re
from functools import lru_cache

import numpy as np
import pydicom
import pytest
from PIL import Image
from pydicom.uid import (
    ExplicitVRLittleEndian,
    JPEG2000Lossless,
    JPEGLSLossless,
    JPEGLSNearLossless,
    RLELossless,
)

from tests import real_images
from transforms.deid_config import parse_config
from transforms.dicom import codec
from transforms.dicom.deidentify import Deidentifier, StageFailure
from transforms.errors import DeidError
from transforms.pixels import pixeldata
from transforms.pixels.ocr import TesseractEngine
from transforms.text.detect import Detector
from transforms.text.infotypes import DEFAULT_INFO_TYPES

KEY = b"r" * 32
ALL, SENSITIVE = "REDACT_ALL_TEXT", "REDACT_SENSITIVE_TEXT"
IMAGES = real_images.load()
# Files of the packages that are damaged or lack what an output needs: a failure record, never an output.
EXPECTED_FAILURES = {
    "pydicom:MR_truncated.dcm": "TruncatedInstanceError",
    "pydicom:rtplan_truncated.dcm": "TruncatedInstanceError",
    "pydicom:badVR.dcm": "MissingAttributeError",
    "pydicom:JPEGLSNearLossless_08.dcm": "MissingAttributeError",
    "pydicom:JPEGLSNearLossless_16.dcm": "MissingAttributeError",
    "pydicom:SC_rgb_jls_lossy_line.dcm": "MissingAttributeError",
    "pydicom:SC_rgb_jls_lossy_sample.dcm": "MissingAttributeError",
    "pydicom-data:emri_small_jpeg_2k_lossless_too_short.dcm": "MissingAttributeError",
    # Valid files that only GDCM decodes (python-gdcm is not a dependency; see docs/burned-in.md):
    # 12-bit JPEG Extended with a scan libjpeg refuses, and a JPEG 2000 stream with a delimiter inside.
    "pydicom:JPEG-lossy.dcm": "PixelDataError",
    "pydicom:JPEG2000-embedded-sequence-delimiter.dcm": "PixelDataError",
}


@pytest.fixture(scope="module")
def reader() -> TesseractEngine:
    return TesseractEngine()


@lru_cache(maxsize=None)
def _engine(mode: str) -> Deidentifier:
    config = {"dicomTagConfig": {"options": {"cleanImage": {"textRedactionMode": mode}}}}
    return Deidentifier(parse_config(config), KEY)


# Cines longer than this are cut to their first two, middle and last frames here (time); the
# 51-frame colour cine goes whole through the sensitive mode, and bench/bench_burnedin_real.py
# runs every file whole in every mode.
MAX_FRAMES = 8
WHOLE = "colour ultrasound cine (51 frames)"
# Too long to run here (120 JPEG frames, no identifier): the bench has it.
BENCH_ONLY = ("echo cine, 640 px (120 frames)",)


@lru_cache(maxsize=64)
def _redacted(mode: str, key: str, whole: bool = False) -> tuple[np.ndarray, np.ndarray, pydicom.Dataset]:
    """(frames before, frames after, source header) of one file through the engine."""
    data = real_images.read_bytes(key)
    source = pydicom.dcmread(io.BytesIO(data))
    count = pixeldata.frame_count(source)
    if count > MAX_FRAMES and not whole:
        frames = pixeldata.decode_frames(source)
        keep = sorted({0, 1, count // 2, count - 1})
        data = real_images.multi_frame(source, frames[keep])
        source = pydicom.dcmread(io.BytesIO(data))
    out = pydicom.dcmread(io.BytesIO(_engine(mode)(data, source=key).data))
    return pixeldata.decode_frames(source), pixeldata.decode_frames(out), source


def _norm(text: str) -> str:
    return re.sub(r"[\W_]+", "", text).lower()


def readable(reader: TesseractEngine, view: np.ndarray, box, needle: str) -> bool:
    """Tesseract reads ``needle`` in ``box`` of the rendering (alone, enlarged, as score.py reads):
    normalised substring, or a window 80% similar."""
    grey = view if view.ndim == 2 else np.asarray(Image.fromarray(view).convert("L"))
    x0, y0, x1, y1 = box
    text = _norm(" ".join(w.text for w in reader.read_line(grey, x0, y0, x1, y1, 0)))
    target = _norm(needle)
    if target in text:
        return True
    return any(difflib.SequenceMatcher(None, target, text[i : i + len(target)]).ratio() >= 0.8
               for i in range(max(1, len(text) - len(target) + 1)))


def _frames_read(count: int) -> list[int]:
    return sorted({0, count // 2, count - 1})


def _views(frames: np.ndarray, ds, index: int) -> np.ndarray:
    return pixeldata.render_views(frames[index], ds, index)[0]


def _outside_text_share(before: np.ndarray, after: np.ndarray, image: real_images.RealImage) -> float:
    changed = before != after
    if changed.ndim == 4:
        changed = changed.any(axis=-1)
    text = np.zeros(changed.shape[1:], bool)
    pad = pixeldata.DEFAULT_MARGIN + 2
    for x0, y0, x1, y1 in image.text:
        text[max(0, y0 - pad) : y1 + pad, max(0, x0 - pad) : x1 + pad] = True
    return float(changed[:, ~text].sum()) / changed.size


def test_every_file_of_the_packages_decodes_and_redacts():
    """Every DICOM file the three packages ship: its pixels decode, a box is blacked out on its
    last frame and the result decodes again, in the output syntax of docs/burned-in.md (the source's
    when native, RLE or lossless JPEG 2000 / JPEG-LS); damaged files fail with their DICOM reason."""
    seen = 0
    written = {True: 0, False: 0}  # output in the syntax the table gives, or a fallback
    for key in real_images.all_files():
        data = real_images.read_bytes(key)
        try:
            ds = codec.parse(data)
        except DeidError as exc:
            header = pydicom.dcmread(io.BytesIO(data), stop_before_pixels=True, force=True)
            if "Rows" in header:  # an image refused: only the damaged ones
                assert EXPECTED_FAILURES.get(key) == type(exc).__name__, key
            continue
        if "PixelData" not in ds:
            continue
        try:
            before = pixeldata.decode_frames(ds)
            syntax = ds.file_meta.TransferSyntaxUID
            last = before.shape[0] - 1
            rows, columns = before.shape[1:3]
            pixeldata.redact(ds, {last: [pixeldata.Box(columns // 3, rows // 3, columns // 3 + 4, rows // 3 + 3)]})
            after = pixeldata.decode_frames(ds)
        except DeidError as exc:
            assert EXPECTED_FAILURES.get(key) == type(exc).__name__, key
            continue
        seen += 1
        assert key not in EXPECTED_FAILURES, key
        assert after.shape == before.shape and np.array_equal(after[:last], before[:last]), key
        # docs/burned-in.md: native and RLE keep their syntax; JPEG-LS goes JPEG-LS Lossless, every other
        # encapsulated syntax JPEG 2000 Lossless; Explicit VR Little Endian where the encoder cannot.
        kept = syntax
        if syntax.is_compressed and syntax != RLELossless:
            kept = JPEGLSLossless if syntax in (JPEGLSLossless, JPEGLSNearLossless) else JPEG2000Lossless
        if not np.array_equal(after, before):
            assert ds.file_meta.TransferSyntaxUID in (kept, JPEG2000Lossless, ExplicitVRLittleEndian), key
            written[ds.file_meta.TransferSyntaxUID == kept] += 1
    assert seen >= 150
    assert written[True] >= 10 * written[False], written  # fallbacks are the exception


@pytest.mark.parametrize("image", [i for i in IMAGES if i.name not in BENCH_ONLY], ids=lambda i: i.name)
def test_all_text_leaves_no_identifier_and_no_anatomy(image, reader):
    """REDACT_ALL_TEXT: no identifier readable on the first, middle and last frame; at most 1% of
    the pixels outside the print changed."""
    key = image.files[0]
    before, after, ds = _redacted(ALL, key)
    for index in _frames_read(before.shape[0]):
        view_before, view_after = _views(before, ds, index), _views(after, ds, index)
        for item in image.identifiers:
            if readable(reader, view_before, item.box, item.value):
                assert not readable(reader, view_after, item.box, item.value), (key, index, item.kind)
    assert _outside_text_share(before, after, image) <= 0.01, key


def _recognised(value: str) -> bool:
    return bool(Detector.for_context(()).detect(value, info_types=frozenset(DEFAULT_INFO_TYPES)))


@pytest.mark.parametrize("image", [i for i in IMAGES if any(_recognised(x.value) for x in i.identifiers)],
                         ids=lambda i: i.name)
def test_sensitive_mode_removes_what_the_detector_recognises(image, reader):
    """REDACT_SENSITIVE_TEXT: an identifier the text detector recognises (the dates here) is not
    readable on any frame read, the 51-frame colour cine included; pixels outside text <= 1%."""
    key = image.files[0]
    before, after, ds = _redacted(SENSITIVE, key, whole=image.name == WHOLE)
    for index in _frames_read(before.shape[0]):
        view_after = _views(after, ds, index)
        for item in image.identifiers:
            if _recognised(item.value) and readable(reader, _views(before, ds, index), item.box, item.value):
                assert not readable(reader, view_after, item.box, item.value), (key, index, item.kind)
    assert _outside_text_share(before, after, image) <= 0.01, key


def test_three_frame_copy_is_redacted_like_its_single_frame(reader):
    """A 3-frame copy of the greyscale ultrasound (its picture moving on frames 1 and 2): the
    sensitive mode blacks out on every frame what it blacks out on the single frame."""
    image = next(i for i in IMAGES if i.name == "greyscale ultrasound")
    data = real_images.read_bytes(image.files[0])
    single = pixeldata.decode_frames(pydicom.dcmread(io.BytesIO(data)))[0]
    engine = _engine(SENSITIVE)
    one = pixeldata.decode_frames(pydicom.dcmread(io.BytesIO(engine(data).data)))[0]
    three = pixeldata.decode_frames(pydicom.dcmread(io.BytesIO(engine(real_images.moving_copy(image)).data)))
    blacked = (one != single) & (one == one.min())
    assert blacked.any()
    for index in range(3):
        assert (three[index][blacked] == one[blacked]).all(), index
        for item in image.identifiers:
            if _recognised(item.value):
                assert not readable(reader, three[index], item.box, item.value), (index, item.kind)


def test_three_frame_copy_of_a_radiograph_with_a_burned_line(reader):
    """A 3-frame copy of a real 16-bit MONOCHROME1 chest radiograph (pydicom-data RG1) with a name,
    sex and birth date line written on every frame, as CR consoles print it: the date goes on every
    frame in the sensitive mode, as on the single frame."""
    engine = _engine(SENSITIVE)
    one_bytes, image = real_images.burned_radiograph(1)
    three_bytes, _ = real_images.burned_radiograph(3)
    single = pydicom.dcmread(io.BytesIO(engine(one_bytes).data))
    three = pydicom.dcmread(io.BytesIO(engine(three_bytes).data))
    out_one, out_three = pixeldata.decode_frames(single), pixeldata.decode_frames(three)
    date = next(i for i in image.identifiers if i.kind == "DATE_OF_BIRTH")
    for index in range(3):
        assert np.array_equal(out_three[index], out_one[0]), index
        view = pixeldata.render_views(out_three[index], three, index)[0]
        assert not readable(reader, view, date.box, date.value), index
