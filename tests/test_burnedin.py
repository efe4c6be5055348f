"""Burned-in text redaction with the real OCR engines (spec sections 2.2, 2.4, 2.5, 6 and 7).

Redaction runs the default engine (PP-OCRv4 detection and recognition on onnxruntime); what
is left readable is checked with the other engine, Tesseract, as an independent reader.
Nothing is mocked. Images are built with numpy and Pillow's bundled font, with fake
identifiers drawn in.
"""

from __future__ import annotations

import difflib
import json
import re

import numpy as np
import pydicom
import pytest
from pydicom.uid import ExplicitVRLittleEndian, JPEG2000Lossless, JPEGBaseline8Bit, RLELossless

from tests.factories import (
    SAMPLE_BURNED_LINES,
    burn_text,
    burned_sample_instance,
    make_dataset,
    to_bytes,
    ultrasound_picture,
)
from transforms.pixels.burnedin import ImageRedactor, _cued, _FuzzyContext
from transforms.dicom.cleantext import header_context
from transforms.deid_config import ImageSpec, parse_config
from transforms.dicom.deidentify import Deidentifier, StageFailure
from transforms.text.detect import ContextValue
from transforms.pixels.ocr import OcrEngine, OcrUnavailableError, TesseractEngine, Word, check_ocr_available
from transforms.pixels.pixeldata import decode_frames, render_for_ocr

KEY = b"k" * 32
ALL = {"dicomTagConfig": {"options": {"cleanImage": {"textRedactionMode": "REDACT_ALL_TEXT"}}}}
CLEAN = {"dicomTagConfig": {"options": {"cleanImage": {"textRedactionMode": "REDACT_SENSITIVE_TEXT_CLEAN_DESCRIPTORS"}}}}
SENSITIVE = {"dicomTagConfig": {"options": {"cleanImage": {"textRedactionMode": "REDACT_SENSITIVE_TEXT"}}}}


@pytest.fixture(scope="module")
def engine() -> TesseractEngine:
    """The independent reader (Tesseract), not the engine that decides redaction."""
    return TesseractEngine()


def _norm(text: str) -> str:
    return re.sub(r"[\W_]+", "", text).lower()


def readable(engine: TesseractEngine, ds, needle: str, frame: int = 0) -> bool:
    """True when OCR of the frame (whole, and each line alone) still reads ``needle``."""
    image = render_for_ocr(decode_frames(ds)[frame], ds)
    words = engine.words(image)
    texts = [" ".join(w.text for w in words)]
    for number in sorted({w.line for w in words}):
        line = [w for w in words if w.line == number]
        again = engine.read_line(image, min(w.x0 for w in line), min(w.y0 for w in line),
                                 max(w.x1 for w in line), max(w.y1 for w in line), number)
        texts.append(" ".join(w.text for w in again))
    target = _norm(needle)
    for text in map(_norm, texts):
        if target in text:
            return True
        # As the leak scorer: a window of the text 80% similar to the needle also reads it.
        for start in range(max(1, len(text) - len(target) + 1)):
            window = text[start : start + len(target)]
            if len(target) >= 4 and difflib.SequenceMatcher(None, target, window).ratio() >= 0.8:
                return True
    return False


def deidentify(ds, config: dict):
    result = Deidentifier(parse_config(config), KEY)(to_bytes(ds), source="src.dcm")
    return pydicom.dcmread(__import__("io").BytesIO(result.data)), result


# --- examples 7, 8 and 9 of the spec (1024 x 1024 YBR_FULL_422 JPEG) --------------------------


@pytest.fixture(scope="module")
def sample():
    return burned_sample_instance(1024)


def test_sample_text_is_readable_before_redaction(engine, sample):
    """The fixture is meaningful: every burned-in line reads back from the original."""
    for needle in ("Ann Johnson", "S1214223", "08/12/1988", "Female", "Riverside"):
        assert readable(engine, sample, needle), needle


def test_example_7_redact_all_text(engine, sample):
    """REDACT_ALL_TEXT covers every burned-in line; the JPEG baseline image is written as JPEG 2000 Lossless."""
    out, _ = deidentify(sample, ALL)
    for needle in ("Ann", "Johnson", "S1214223", "1988", "Female", "Riverside", "Clinic"):
        assert not readable(engine, out, needle), needle
    assert out.file_meta.TransferSyntaxUID == JPEG2000Lossless
    assert out.LossyImageCompression == "01" and out.PhotometricInterpretation == "YBR_RCT"
    before, after = decode_frames(sample)[0].astype(int), decode_frames(out)[0].astype(int)
    changed = np.abs(before - after).max(axis=-1) > 0
    assert changed[:780].mean() < 0.001  # the picture above the text band is untouched
    assert changed[780:].mean() > 0.01
    codes = [item.CodeValue for item in out.DeidentificationMethodCodeSequence]
    assert "113101" in codes  # Clean Pixel Data Option


def test_example_8_clean_descriptors_keeps_female(engine, sample):
    """Clean-descriptors mode covers name, ID, birth date and institution; `Female` may stay."""
    out, _ = deidentify(sample, CLEAN)
    for needle in ("Ann", "Johnson", "S1214223", "1988", "Riverside"):
        assert not readable(engine, out, needle), needle
    assert readable(engine, out, "Female")


def test_example_9_image_annotation(sample):
    """DEIDENTIFY_TAG_CONTENTS + REDACT_ALL_TEXT + annotation: one image annotation for frame 0."""
    config = {"dicom": {"filterProfile": "DEIDENTIFY_TAG_CONTENTS"}, "image": {"textRedactionMode": "REDACT_ALL_TEXT"},
              "annotation": {"annotationStoreName": "projects/p/locations/l/datasets/d/annotationStores/a",
                             "storeQuote": True}}
    _, result = deidentify(sample, config)
    records = [json.loads(line) for line in result.annotations]
    images = [r for r in records if "imageAnnotation" in r]
    assert len(images) == 1 and any("textAnnotation" in r for r in records)
    image = images[0]["imageAnnotation"]
    assert image["frameIndex"] == 0
    assert len(image["boundingPolys"]) >= len(SAMPLE_BURNED_LINES)
    for poly in image["boundingPolys"]:
        assert poly["label"] == "TEXT" and len(poly["vertices"]) == 4
        xs = {v["x"] for v in poly["vertices"]}
        ys = {v["y"] for v in poly["vertices"]}
        assert len(xs) == 2 and len(ys) == 2 and min(ys) >= 780
    name = images[0]["annotationSource"]["cloudHealthcareSource"]["name"]
    assert name.startswith("src.dcm/studies/2.25.70541616638819138568043293671559322355/series/")


# --- pixel formats ------------------------------------------------------------------------------


def _image_instance(pixels: np.ndarray, photometric: str, frames: int = 1, **attrs):
    """A small CT-like instance (from the factory's PHI) carrying the given native pixels."""
    ds = make_dataset()
    for tag in [e.tag for e in ds if e.tag.group == 0x6000]:
        del ds[tag]
    shape = pixels.shape[1:] if frames > 1 else pixels.shape
    ds.Rows, ds.Columns = shape[0], shape[1]
    ds.PhotometricInterpretation = photometric
    ds.SamplesPerPixel = 3 if photometric in ("RGB", "YBR_FULL", "YBR_FULL_422") else 1
    bits = pixels.dtype.itemsize * 8
    ds.BitsAllocated, ds.BitsStored, ds.HighBit = bits, bits, bits - 1
    ds.PixelRepresentation = int(pixels.dtype.kind == "i")
    if ds.SamplesPerPixel == 3:
        ds.PlanarConfiguration = 0
    if frames > 1:
        ds.NumberOfFrames = frames
    for keyword, value in attrs.items():
        setattr(ds, keyword, value)
    ds.PixelData = np.ascontiguousarray(pixels).tobytes()
    ds["PixelData"].VR = "OB" if bits == 8 else "OW"
    return ds


NAME = "QUENNEVILLE"  # the factory's PatientName family name


@pytest.mark.parametrize("origin, size", [((4, 4), 16), ((90, 110), 22)], ids=["margin", "over-the-picture"])
def test_multi_frame_text_on_one_frame_only(engine, origin, size):
    """Text burned into frame 2 of 4 (on the black margin, or over the moving picture) is found and
    blacked out there; the other frames keep their pixels."""
    rows = columns = 256
    frames = np.stack([ultrasound_picture(rows, columns, seed=i)[..., 0] for i in range(4)])
    mask = burn_text((rows, columns), [NAME, "ID 48151623"], origin=origin, size=size)
    frames[2] = (frames[2] * (1 - mask) + 255 * mask).astype(np.uint8)
    ds = _image_instance(frames, "MONOCHROME2", frames=4)
    assert readable(engine, ds, "48151623", frame=2)
    out, result = deidentify(ds, ALL)
    assert not readable(engine, out, NAME, frame=2) and not readable(engine, out, "48151623", frame=2)
    before, after = decode_frames(ds), decode_frames(out)
    for index in (0, 1, 3):
        assert np.array_equal(before[index], after[index])
    assert out.file_meta.TransferSyntaxUID == ds.file_meta.TransferSyntaxUID


def test_monochrome1_dark_text_blacked_with_maximum(engine):
    """MONOCHROME1 (inverted grey): dark text on a light field; black is the maximum stored value."""
    rows = columns = 256
    field = np.full((rows, columns), 200, np.uint16)
    mask = burn_text((rows, columns), [NAME], origin=(20, 100), size=24)
    stored = (field * (1 - mask) + 4000 * mask).astype(np.uint16)  # high = dark in MONOCHROME1
    stored[0, 0] = 4095
    ds = _image_instance(stored, "MONOCHROME1")
    ds.BitsStored, ds.HighBit = 12, 11
    assert readable(engine, ds, NAME)
    out, _ = deidentify(ds, ALL)
    assert not readable(engine, out, NAME)
    after = decode_frames(out)[0]
    assert after[100:120, 25:60].max() == 4095 and (after == 4095).sum() > 500


def test_signed_16_bit_ct_windowed(engine):
    """16-bit signed CT with a window: text at +3000 HU on a body at 40 HU is found and set to the minimum."""
    rows = columns = 256
    body = np.full((rows, columns), -1000, np.int16)
    yy, xx = np.mgrid[0:rows, 0:columns]
    body[((yy - 140) / 90.0) ** 2 + ((xx - 128) / 100.0) ** 2 < 1] = 40
    mask = burn_text((rows, columns), [NAME, "ID 48151623"], origin=(8, 6), size=18)
    stored = np.where(mask > 0.5, 3000, body).astype(np.int16)
    ds = _image_instance(stored, "MONOCHROME2", RescaleSlope=1, RescaleIntercept=0, WindowCenter=40, WindowWidth=400)
    assert readable(engine, ds, NAME)
    out, _ = deidentify(ds, ALL)
    assert not readable(engine, out, NAME) and not readable(engine, out, "48151623")
    after = decode_frames(out)[0]
    assert after.dtype == np.int16 and after[8:30, 8:60].max() == -1000
    assert np.array_equal(after[120:], stored[120:])  # the body is untouched


@pytest.mark.parametrize("photometric", ["RGB", "YBR_FULL_422_JPEG"])
def test_ultrasound_colour(engine, photometric):
    """RGB native and YBR_FULL_422 JPEG ultrasound: text found in colour and blacked out."""
    rows, columns = 240, 320
    picture = ultrasound_picture(rows, columns).astype(np.float32)
    mask = burn_text((rows, columns), [NAME, "DOB 1971-03-04"], origin=(6, 6), size=18)
    rgb = (picture * (1 - mask[..., None]) + np.array([255, 255, 0]) * mask[..., None]).astype(np.uint8)
    ds = _image_instance(rgb, "RGB")
    if photometric != "RGB":
        import io

        from PIL import Image
        from pydicom.encaps import encapsulate

        buf = io.BytesIO()
        Image.fromarray(rgb, "RGB").save(buf, format="JPEG", quality=95, subsampling=1)
        ds.PixelData = encapsulate([buf.getvalue()])
        ds["PixelData"].VR = "OB"
        ds.PhotometricInterpretation = "YBR_FULL_422"
        ds.file_meta.TransferSyntaxUID = JPEGBaseline8Bit
    assert readable(engine, ds, NAME)
    out, _ = deidentify(ds, ALL)
    assert not readable(engine, out, NAME) and not readable(engine, out, "1971")
    # The JPEG one is written as JPEG 2000 Lossless with the reversible colour transform.
    assert out.PhotometricInterpretation == ("RGB" if photometric == "RGB" else "YBR_RCT")


def test_multi_frame_static_text_blacked_in_every_frame(engine):
    """Text on every frame of a cine (the usual case) is blacked out in every frame."""
    rows = columns = 256
    frames = np.stack([ultrasound_picture(rows, columns, seed=i)[..., 0] for i in range(3)])
    mask = burn_text((rows, columns), [NAME], origin=(4, 4), size=16)
    frames = (frames * (1 - mask) + 255 * mask).astype(np.uint8)
    ds = _image_instance(frames, "MONOCHROME2", frames=3)
    out, result = deidentify(ds, ALL)
    for index in range(3):
        assert not readable(engine, out, NAME, frame=index)


def test_rle_stays_rle(engine):
    """RLE Lossless input is re-encoded as RLE Lossless after redaction."""
    rows = columns = 256
    picture = ultrasound_picture(rows, columns)[..., 0]
    mask = burn_text((rows, columns), [NAME], origin=(10, 10), size=22)
    grey = (picture * (1 - mask) + 255 * mask).astype(np.uint8)
    ds = _image_instance(grey, "MONOCHROME2")
    ds.compress(RLELossless, generate_instance_uid=False)
    out, _ = deidentify(ds, ALL)
    assert out.file_meta.TransferSyntaxUID == RLELossless
    assert not readable(engine, out, NAME)


def test_no_text_keeps_pixel_bytes():
    """An image with no burned-in text keeps byte-identical PixelData and its transfer syntax."""
    ds = _image_instance(ultrasound_picture(128, 128)[..., 0], "MONOCHROME2")
    out, result = deidentify(ds, ALL)
    assert out.PixelData == ds.PixelData
    assert out.file_meta.TransferSyntaxUID == ds.file_meta.TransferSyntaxUID
    assert not [a for a in result.annotations if "imageAnnotation" in a]


def test_undecodable_pixels_fail_closed():
    """Redaction asked for, pixel data that cannot be decoded: a pixels failure, never written."""
    from pydicom.encaps import encapsulate

    ds = _image_instance(np.zeros((64, 64), np.uint8), "MONOCHROME2")
    ds.PixelData = encapsulate([b"\xff\xd8 not a JPEG stream \xff\xd9"])
    ds["PixelData"].VR = "OB"
    ds.file_meta.TransferSyntaxUID = JPEGBaseline8Bit
    with pytest.raises(StageFailure) as info:
        deidentify(ds, ALL)
    assert info.value.stage == "pixels"
    deidentify(ds, {})  # without redaction the same file is copied as it is


def test_sensitive_mode_uses_patterns_not_header(engine):
    """REDACT_SENSITIVE_TEXT blacks out a date and an ID after its label, keeps plain words."""
    rows, columns = 200, 400
    mask = burn_text((rows, columns), ["DOB 03/04/1971", "Axial Series"], origin=(10, 10), size=22)
    grey = (mask * 255).astype(np.uint8)
    ds = _image_instance(grey, "MONOCHROME2")
    out, _ = deidentify(ds, SENSITIVE)
    assert not readable(engine, out, "03/04/1971")
    assert readable(engine, out, "Axial Series")


def test_exclude_info_types(engine):
    """excludeInfoTypes DATE_OF_BIRTH and DATE: the date stays readable."""
    rows, columns = 200, 400
    mask = burn_text((rows, columns), ["03/04/1971"], origin=(10, 10), size=22)
    ds = _image_instance((mask * 255).astype(np.uint8), "MONOCHROME2")
    config = {"image": {"textRedactionMode": "REDACT_SENSITIVE_TEXT",
                        "excludeInfoTypes": ["DATE", "DATE_OF_BIRTH"]}}
    out, _ = deidentify(ds, config)
    assert readable(engine, out, "03/04/1971")


def test_clean_image_tag_action_and_keep_precedence(engine):
    """cleanImageTag on PixelData redacts; an earlier keepTag on PixelData wins over cleanImage."""
    rows, columns = 120, 400
    mask = burn_text((rows, columns), [NAME], origin=(10, 10), size=26)
    ds = _image_instance((mask * 255).astype(np.uint8), "MONOCHROME2")
    tag_config = {"dicomTagConfig": {"actions": [
        {"queries": ["PixelData"], "cleanImageTag": {"textRedactionMode": "REDACT_ALL_TEXT"}}]}}
    out, _ = deidentify(ds, tag_config)
    assert not readable(engine, out, NAME)
    keep = {"dicomTagConfig": {"options": {"cleanImage": {"textRedactionMode": "REDACT_ALL_TEXT"}},
                               "actions": [{"queries": ["PixelData"], "keepTag": {}}]}}
    out, _ = deidentify(ds, keep)
    assert out.PixelData == ds.PixelData


# --- matching ------------------------------------------------------------------------------------


def _words(*texts: str) -> list[Word]:
    return [Word(t, 90.0, 10 * i, 0, 10 * i + 8, 10, 0) for i, t in enumerate(texts)]


@pytest.mark.parametrize(
    "ocr, expected",
    [
        ("FLOWERS^BRANDI", "PERSON_NAME"),  # ^ read as itself
        ("FLOWERSABRANDI", "PERSON_NAME"),  # ^ read as a letter
        ("Brandi", "PERSON_NAME"),
        ("ACC21146S6", "MEDICAL_RECORD_NUMBER"),  # S for 5
        ("4834TO17", "MEDICAL_RECORD_NUMBER"),  # T, O for 7, 0
        ("483470", "MEDICAL_RECORD_NUMBER"),  # a truncated read
        ("1933-09-12", "DATE_OF_BIRTH"),
        ("09/12/1933", "DATE_OF_BIRTH"),
        ("Memorlal", "ORGANIZATION_NAME"),
        ("Female", None),
        ("Axial", None),
        ("2020", None),
    ],
)
def test_fuzzy_header_match(ocr, expected):
    """OCR words are matched against the header's identifiers despite OCR noise."""
    context = [ContextValue("FLOWERS^BRANDI", "PERSON_NAME"), ContextValue("48347017", "MEDICAL_RECORD_NUMBER"),
               ContextValue("ACC2114656", "MEDICAL_RECORD_NUMBER"), ContextValue("19330912", "DATE_OF_BIRTH"),
               ContextValue("Mcgee Memorial Hospital", "ORGANIZATION_NAME"), ContextValue("F", "MEDICAL_RECORD_NUMBER")]
    found = _FuzzyContext(context).matches(_words(ocr))
    assert (found[0][2] if found else None) == expected


def test_fuzzy_match_spans_split_words():
    """A value read as several words (a space for ^) matches as one run."""
    found = _FuzzyContext([ContextValue("FLOWERS^BRANDI", "PERSON_NAME")]).matches(_words("FLOWERS", "8RANDI"))
    assert (0, 2, "PERSON_NAME") in found or {(0, 1, "PERSON_NAME"), (1, 2, "PERSON_NAME")} <= set(found)


def test_run_together_words_match_the_header():
    """The recogniser runs words together and misreads a letter: the value inside still matches."""
    context = [ContextValue("OYELARAN^WENDELL", "PERSON_NAME"), ContextValue("A7768360", "MEDICAL_RECORD_NUMBER")]
    fuzzy = _FuzzyContext(context)
    assert fuzzy.matches(_words("WENDEQYELARAN"))[0][2] == "PERSON_NAME"
    assert fuzzy.matches(_words("ACCA7768360"))[0][2] == "MEDICAL_RECORD_NUMBER"
    assert fuzzy.matches(_words("Female")) == [] and fuzzy.matches(_words("W:400", "L:40")) == []


def test_label_glued_to_its_value():
    """``ACCA7768`` and ``ID37905560`` are a label and its value read as one word."""
    assert _cued(_words("ACCA7768")) == [(0, 1, "MEDICAL_RECORD_NUMBER")]
    assert _cued(_words("D0B:", "1977-08-18")) == [(1, 2, "DATE_OF_BIRTH")]
    assert _cued(_words("Accurate")) == [] and _cued(_words("10", "mm")) == []


def test_cued_values():
    """Words after ID / DOB / Name labels are identifiers, up to the next label."""
    runs = _cued(_words("ID:", "7111538", "DOB:", "2080-84-27"))
    assert runs == [(1, 2, "MEDICAL_RECORD_NUMBER"), (3, 4, "DATE_OF_BIRTH")]
    assert _cued(_words("Axial", "Series", "3")) == []


def test_a_value_ends_before_plain_annotations():
    """A label's value ends at ``Female``, ``L``/``R``, ``mm`` or window/level figures on the same line;
    an ID ends at the first word without digits; a name goes on."""
    assert _cued(_words("ID:", "80241736", "Female")) == [(1, 2, "MEDICAL_RECORD_NUMBER")]
    assert _cued(_words("ID:", "80241736", "Axial")) == [(1, 2, "MEDICAL_RECORD_NUMBER")]
    assert _cued(_words("DOB:", "1982-06-25", "W:400", "L:40")) == [(1, 2, "DATE_OF_BIRTH")]
    assert _cued(_words("Name:", "QUINTERO", "SIOBHAN", "R")) == [(1, 3, "PERSON_NAME")]


def test_fuzzy_match_takes_the_fewest_words():
    """A header value found inside a run of words (``5 mm QUINTERO,``) marks only the words that hold it."""
    fuzzy = _FuzzyContext([ContextValue("QUINTERO^SIOBHAN", "PERSON_NAME")])
    found = fuzzy.matches(_words("5", "mm", "QUINTERO,", "SIOBHAN"))
    assert found and all(first >= 2 for first, _, _ in found)


def test_header_context_feeds_clean_descriptors():
    """The clean-descriptors context holds the patient's name parts, ID and birth date."""
    values = {v.text for v in header_context(make_dataset())}
    assert {"QUENNEVILLE^MARIBEL", "48151623", "19710304"} <= values


# --- engines -------------------------------------------------------------------------------------


def test_pytesseract_reads_like_tesserocr(engine):
    """Both bindings read the same words at about the same places."""
    mask = burn_text((120, 480), ["QUENNEVILLE 48151623"], origin=(10, 30), size=28)
    image = (mask * 255).astype(np.uint8)
    fast = engine.words(image)
    slow = TesseractEngine("pytesseract").words(image)
    assert [w.text for w in fast] == [w.text for w in slow] == ["QUENNEVILLE", "48151623"]
    for a, b in zip(fast, slow):
        assert abs(a.x0 - b.x0) <= 2 and abs(a.x1 - b.x1) <= 2


def test_missing_model_is_a_clear_error(monkeypatch, tmp_path):
    """Without the PP-OCR models the check names the Python package; Tesseract names its Debian package."""
    import transforms.pixels.ocr as ocr

    monkeypatch.setattr(ocr, "_ppocr_models", lambda: None)
    with pytest.raises(OcrUnavailableError, match="rapidocr-onnxruntime"):
        check_ocr_available()
    monkeypatch.setattr(ocr, "_TESSDATA_DIRS", ())
    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path))
    with pytest.raises(OcrUnavailableError, match="tesseract-ocr"):
        OcrEngine("tesseract")


def test_default_engine_is_ppocr():
    assert check_ocr_available() == "ppocr"
    with pytest.raises(ValueError):
        OcrEngine("nonesuch")


def test_redactor_needs_a_redacting_mode():
    with pytest.raises(ValueError):
        ImageRedactor(ImageSpec("REDACT_NO_TEXT"))


def test_kept_overlay_bitmap_is_cleaned(engine):
    """KEEP_ALL_PROFILE keeps overlays: text drawn in an overlay plane is cleared too."""
    from pydicom.pixels import pack_bits

    rows, columns = 120, 400
    ds = _image_instance(np.zeros((rows, columns), np.uint8), "MONOCHROME2")
    bits = (burn_text((rows, columns), [NAME], origin=(10, 10), size=26) > 0.5).astype(np.uint8)
    ds.add_new(0x60000010, "US", rows)
    ds.add_new(0x60000011, "US", columns)
    ds.add_new(0x60000040, "CS", "G")
    ds.add_new(0x60000050, "SS", [1, 1])
    ds.add_new(0x60000100, "US", 1)
    ds.add_new(0x60000102, "US", 0)
    ds.add_new(0x60003000, "OW", pack_bits(bits.ravel()))
    assert " ".join(w.text for w in engine.words(bits * 255)) == NAME
    config = {"dicomTagConfig": {"profileType": "KEEP_ALL_PROFILE",
                                 "options": {"cleanImage": {"textRedactionMode": "REDACT_ALL_TEXT"}}}}
    out, _ = deidentify(ds, config)
    plane = np.asarray(out.overlay_array(0x6000), np.uint8)
    assert plane.sum() == 0 and not engine.words(plane * 255)
