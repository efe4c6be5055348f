"""The mechanisms of burned-in text redaction that real images showed wrong (issue 20).

How a line is read (each detected region alone, words split at blank gaps), which part of a
later frame is searched (whole rows), how a box found on one later frame is judged on the
next (its print still there), how an enhanced multi-frame image's frames are rendered (their
own window), and what is not text (a waveform, colour flow, a graphic's flat values). The
real detector and recogniser run (PP-OCRv4 on onnxruntime); Tesseract reads what is left.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont
from pydicom.dataset import Dataset

from tests.test_burnedin import _image_instance
from tests.test_burnedin_boxes import _font, engine  # noqa: F401 (a fixture)
from transforms.deid_config import ImageSpec
from transforms.pixels import pixeldata
from transforms.pixels.burnedin import ImageRedactor, _changed_area, _same_print, _suspect
from transforms.pixels.ocr import PaddleEngine, Region, _split_at_gaps, _word_gaps

def _text(shape, items, px: int = 20) -> np.ndarray:
    """A uint8 image (rows, columns) with each (x, y, text) drawn white on black."""
    image = Image.new("L", (shape[1], shape[0]), 0)
    draw = ImageDraw.Draw(image)
    for x, y, text in items:
        draw.text((x, y), text, fill=235, font=_font(px))
    return np.asarray(image).copy()


def test_blank_gaps_split_words_the_recogniser_ran_together(engine):
    """``30 M   01/30/1986`` in one region: the recogniser reads it without spaces; the blank
    columns between the words give them back, and the date is a word of its own."""
    image = _text((40, 300), [(6, 8, "30 M   01/30/1986")])
    region = Region(2, 4, 250, 34, 0.9)
    words = [w.text for w in engine.read(image, [region])[0].words]
    assert "01/30/1986" in words
    # the split itself: characters far apart over a blank run get a space, close ones do not
    chars = [("3", 0.9, 2), ("0", 0.9, 4), ("M", 0.9, 8), ("0", 0.9, 13), ("1", 0.9, 15), ("/", 0.9, 17)]
    gaps = np.zeros(120, bool)
    gaps[40:55] = True  # between M (step 8) and 0 (step 13) at 4.7 px per step
    split = "".join(c for c, _, _ in _split_at_gaps(chars, gaps, 4.7))
    assert split == "30M 01/"
    assert _word_gaps(np.zeros((20, 40), np.uint8)) is None  # no contrast: nothing to split on


def test_a_line_of_two_regions_is_read_region_by_region():
    """An institution and a date on one line, far apart: read as one image the date ran into the
    institution (``Medicine7-OCT-2016``) and stayed in the sensitive mode; read alone it is found."""
    picture = _text((120, 640), [(20, 20, "AGMC Sports Medicine"), (300, 20, "7-OCT-2016"), (20, 70, "Shoulder")])
    ds = _image_instance(np.repeat(picture[..., None], 3, axis=2), "RGB")
    engine = PaddleEngine()
    view = pixeldata.render_views(pixeldata.decode_frames(ds)[0], ds)[0]
    regions = engine.detect(view)
    assert len(regions) == 3  # two on the first line, joined for reading (under 2 line heights apart)
    found = ImageRedactor(ImageSpec("REDACT_SENSITIVE_TEXT"), engine)(ds)
    assert any(item.label == "DATE" and item.box.x0 >= 290 for item in found)
    after = pixeldata.decode_frames(ds)[0]
    assert after[18:46, 300:430].max() == 0  # the date is black
    assert after[60:100, 10:200].max() > 200  # "Shoulder" stays


def test_a_line_cut_by_a_later_frames_change_is_searched_whole():
    """A later frame changes a name's last letters only: the searched area (the change, padded)
    cuts the line, so its rows are searched across the whole width and the line is read whole:
    the label before the change makes the name an identifier in the sensitive mode."""
    first = _text((120, 480), [(20, 40, "Name: HALVORSEN TOBIAS")])
    later = _text((120, 480), [(20, 40, "Name: HALVORSEN TOBIAB")])
    assert _changed_area(first, first) is None
    x0, y0, x1, y1 = _changed_area(later, first)
    assert x0 > 150 and y0 < 40 < y1  # the change alone would cut the line
    frames = np.stack([first, later])
    ds = _image_instance(frames, "MONOCHROME2", frames=2)
    found = ImageRedactor(ImageSpec("REDACT_SENSITIVE_TEXT"))(ds)
    assert any(item.frame == 1 and item.box.x0 < x0 for item in found)


def test_a_later_frames_print_is_judged_by_its_pixels():
    """A box found on a later frame goes on to the next frames that still show its print, over a
    picture that moved; not to a frame where the print is gone."""
    rng = np.random.default_rng(3)
    print_ = _text((30, 120), [(4, 4, "DOE 1234")])
    found_on = np.where(print_ > 0, print_, rng.integers(0, 60, print_.shape)).astype(np.uint8)
    moved = np.where(print_ > 0, print_, rng.integers(0, 60, print_.shape)).astype(np.uint8)
    gone = rng.integers(0, 60, print_.shape).astype(np.uint8)
    box = pixeldata.Box(0, 0, 120, 30)
    assert _same_print(moved, box, found_on)
    assert not _same_print(gone, box, found_on)


def test_a_cine_whose_print_appears_later_loses_it_on_every_frame_after():
    """Text written over a moving picture from frame 2 on: each frame from 2 on is blacked out."""
    rng = np.random.default_rng(5)
    frames = rng.integers(0, 90, (5, 160, 320)).astype(np.uint8)
    text = _text((160, 320), [(30, 60, "PT 77341902 DOB 02/03/1961")])
    frames[2:] = np.where(text > 0, text, frames[2:])
    ds = _image_instance(frames, "MONOCHROME2", frames=5)
    found = ImageRedactor(ImageSpec("REDACT_ALL_TEXT"))(ds)
    assert {item.frame for item in found} >= {2, 3, 4}
    after = pixeldata.decode_frames(ds)
    ink = text > 0
    for index in (2, 3, 4):
        assert (after[index][ink] < 100).mean() > 0.95


def test_enhanced_frames_render_with_their_own_window():
    """Frame VOI LUTs in the per-frame functional groups are used, over the shared ones."""
    ds = Dataset()
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.BitsStored = 12
    shared, first, second = Dataset(), Dataset(), Dataset()
    voi = Dataset()
    voi.WindowCenter, voi.WindowWidth = 100, 200
    shared.FrameVOILUTSequence = [voi]
    other = Dataset()
    other.WindowCenter, other.WindowWidth = 2000, 400
    second.FrameVOILUTSequence = [other]
    ds.SharedFunctionalGroupsSequence = [shared]
    ds.PerFrameFunctionalGroupsSequence = [first, second]
    frame = np.full((4, 4), 2000, np.uint16)
    assert pixeldata.render_views(frame, ds, 0)[0].max() == 255  # 2000 is far above 100 +- 100
    assert pixeldata.render_views(frame, ds, 1)[0].max() == 128  # the centre of frame 1's own window


def test_what_is_not_print_is_a_suspect():
    """A waveform (one long thin stroke) and colour flow (two hues) are suspects; a line of
    print, even one recognition cannot read (upside down), is not."""
    import cv2

    trace = np.zeros((30, 200), np.uint8)
    xs = np.arange(200)
    points = np.stack([xs, (15 + 10 * np.sin(xs / 6)).astype(int)], axis=1).astype(np.int32)
    cv2.polylines(trace, [points], False, 230, 1)
    assert _suspect(trace, Region(0, 0, 200, 30, 0.8))
    flow = np.zeros((40, 160, 3), np.uint8)
    flow[:, :80] = (220, 40, 0)
    flow[:, 80:] = (240, 200, 0)
    flow[::3] = 0
    assert _suspect(flow, Region(0, 0, 160, 40, 0.9))
    line = _text((40, 300), [(4, 8, "QUENNEVILLE 4815")])
    assert not _suspect(line, Region(0, 0, 300, 40, 0.9))
    assert not _suspect(line[::-1, ::-1].copy(), Region(0, 0, 300, 40, 0.9))


def test_a_waveform_and_colour_flow_are_not_blacked_out():
    """An ECG trace under a label and a patch of colour flow: the label goes, the trace and the
    flow stay, in every mode."""
    image = np.zeros((240, 320, 3), np.uint8)
    import cv2

    xs = np.arange(40, 280)
    ys = (200 - 25 * np.exp(-((xs % 60) - 30) ** 2 / 8.0)).astype(int)
    cv2.polylines(image, [np.stack([xs, ys], axis=1).astype(np.int32)], False, (230, 230, 230), 1)
    rng = np.random.default_rng(9)
    blob = rng.random((60, 160)) < 0.55
    image[70:130, 80:240][blob] = (230, 60, 0)
    image[70:130, 80:240][~blob & (rng.random((60, 160)) < 0.5)] = (250, 210, 20)
    label = _text((240, 320), [(10, 10, "DOB")], px=16)
    date = _text((240, 320), [(10 + round(_font(16).getlength("DOB ")), 10, "02/03/1961")], px=16)
    image[(label > 0) | (date > 0)] = 235
    for mode in ("REDACT_ALL_TEXT", "REDACT_SENSITIVE_TEXT"):
        ds = _image_instance(image.copy(), "RGB")
        ImageRedactor(ImageSpec(mode))(ds)
        after = pixeldata.decode_frames(ds)[0]
        assert np.array_equal(after[150:240], image[150:240]), mode  # the trace
        assert np.array_equal(after[70:130, 80:240], image[70:130, 80:240]), mode  # the flow
        assert after[date > 0].max() == 0, mode  # the date


def test_a_graphic_of_few_grey_levels_gets_no_pen_view():
    """Flat squares of a test pattern are not a pen writing over a picture."""
    pattern = np.kron(np.arange(24, dtype=np.uint8).reshape(4, 6) * 10, np.ones((32, 32), np.uint8))
    pattern[::7, ::5] = 255
    view = pixeldata.render_for_ocr(pattern, _grey_header())
    assert pixeldata.ink_views(pattern, view) == []


def _grey_header() -> Dataset:
    ds = Dataset()
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.BitsStored = 8
    return ds


def test_kept_text_is_reported():
    """The sensitive mode keeps ``Female``; ``examine`` reports it when asked (review report)."""
    picture = _text((120, 400), [(20, 20, "Female"), (20, 70, "DOB 02/03/1961")])
    ds = _image_instance(picture, "MONOCHROME2")
    kept: list = []
    found = ImageRedactor(ImageSpec("REDACT_SENSITIVE_TEXT"))(ds, kept=kept)
    assert found and all(item.box.y0 >= 60 for item in found)
    assert any(frame == 0 and box.y1 <= 50 for frame, box in kept)
