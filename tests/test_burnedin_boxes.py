"""How tight the blacked-out boxes are, and what is not text (bench/burnedin_cases.py cases).

The issue's targets besides recall: at most 2% of the pixels changed outside text, and an
instance without text keeps its PixelData. These check the pieces that serve them with the
real detector (PP-OCRv4 on onnxruntime): boxes shrunk to the strokes of the print
(``_tighten``: on a bright label, over two backgrounds, over grain), the gap between two
strings of one line left alone, tall blobs in which nothing reads dropped (a synthetic organ),
and 9 px print on a 512 px image found (searched again enlarged).
"""

from __future__ import annotations

import json

import numpy as np
import pydicom
import pytest
from PIL import Image, ImageDraw, ImageFont

from bench.burnedin_cases import case_instance
from transforms.deid_config import ImageSpec
from transforms.pixels import pixeldata
from transforms.pixels.burnedin import ImageRedactor, _join_lines, _tighten
from transforms.pixels.ocr import PaddleEngine, Region

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


@pytest.fixture(scope="module")
def engine() -> PaddleEngine:
    return PaddleEngine()


def _font(px: int):
    try:
        return ImageFont.truetype(FONT, px)
    except OSError:
        return ImageFont.load_default(size=px)


def _draw(image: np.ndarray, xy, text: str, px: int, fill) -> tuple[int, int, int, int]:
    """Draw ``text`` into ``image``; return the box (x0, y0, x1, y1 exclusive) of its ink."""
    mask = Image.new("L", (image.shape[1], image.shape[0]), 0)
    ImageDraw.Draw(mask).text(xy, text, fill=255, font=_font(px))
    alpha = np.asarray(mask, np.float32) / 255
    if image.ndim == 3:
        alpha = alpha[..., None]
    image[...] = np.round(image * (1 - alpha) + np.asarray(fill, np.float32) * alpha).astype(np.uint8)
    ys, xs = np.nonzero(np.asarray(mask) > 64)
    return int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1


def test_dark_print_on_a_label_is_shrunk_to_the_glyphs():
    """The box ends at the print, at most at the edge of the bright label it is on (the air and the
    body beside the label stay)."""
    image = np.zeros((120, 400), np.uint8)
    image[:, 200:] = 110  # two backgrounds: air and a body
    image[40:70, 60:236] = 235  # the label
    ink = _draw(image, (66, 44), "DOE, JANE 1234", 20, 20)
    tight = _tighten(image, pixeldata.Box(54, 34, 242, 76))
    assert 60 <= tight.x0 <= ink[0] + 1 and ink[2] - 1 <= tight.x1 <= 236
    assert 40 <= tight.y0 <= ink[1] + 1 and ink[3] - 1 <= tight.y1 <= 70


def test_bright_print_over_two_backgrounds_keeps_the_whole_line():
    """A box over air and a brighter body: the percentiles cannot tell the polarity; the line stays whole."""
    rng = np.random.default_rng(5)
    image = np.zeros((80, 420), np.uint8)
    image[:, 150:] = np.clip(rng.normal(140, 40, (80, 270)), 0, 200).astype(np.uint8)
    ink = _draw(image, (40, 30), "RASHID BRISCOE 1989", 15, 250)
    tight = _tighten(image, pixeldata.Box(36, 26, ink[2] + 4, ink[3] + 4))
    assert tight.x0 <= ink[0] + 1 and tight.x1 >= ink[2] - 1


def test_print_over_grain_is_covered_and_the_grain_left(engine):
    """A textured instance (generator seed 101, instance 3: print over a strongly textured colour
    picture, the case that changed 2-2.3% of the pixels outside text): every line is covered and
    at most 1.5% of the pixels outside the truth boxes change."""
    ds, boxes = case_instance("textured", 101 * 1000 + 3)
    before = pixeldata.decode_frames(ds)[0].astype(int)
    ImageRedactor(ImageSpec("REDACT_ALL_TEXT"), engine)(ds)
    changed = (np.abs(pixeldata.decode_frames(ds)[0].astype(int) - before) > 0).any(axis=-1)
    truth = np.zeros(changed.shape, bool)
    for box in boxes:
        x0, y0, x1, y1 = box.bbox
        truth[y0:y1, x0:x1] = True
        assert changed[y0:y1, x0:x1].mean() >= 0.7, box.text
    assert changed[~truth].mean() <= 0.015


def test_all_text_leaves_the_gap_between_two_strings_of_a_line(engine):
    """Two strings of one line are blacked out apart; the columns between them keep their pixels."""
    image = np.full((200, 512), 30, np.uint8)
    left = _draw(image, (20, 90), "SMITH, JOHN", 18, 230)
    right = _draw(image, (left[2] + 30, 90), "ID 3141592", 18, 230)
    regions = engine.detect(image)
    boxes = ImageRedactor(ImageSpec("REDACT_ALL_TEXT"), engine)._choose(image, regions, None, None)
    gap = range(left[2] + 8, right[0] - 8)
    assert boxes and not any(b.x0 <= x < b.x1 for b, _ in boxes for x in gap)
    joined = _join_lines([Region(10, 10, 50, 30, 0.9), Region(60, 10, 100, 30, 0.8)])
    assert len(joined) == 1 and len(joined[0][1]) == 2  # the sensitive modes still read the line whole


@pytest.mark.parametrize("mode", ["REDACT_ALL_TEXT", "REDACT_SENSITIVE_TEXT_CLEAN_DESCRIPTORS"])
@pytest.mark.parametrize("seed, tall", [(101 * 1000 + 4, 40), (64 * 1000 + 2, 30)])
def test_synthetic_organ_is_not_text(engine, mode, seed, tall):
    """no_text instances (generator seed 101 instance 4, 512 px; seed 64 instance 2, 256 px): the
    detector scores organ patches 0.6-0.9; nothing reads in them, so they are not redacted and
    PixelData keeps its bytes."""
    ds, boxes = case_instance("no_text", seed)
    assert not boxes
    before = bytes(ds.PixelData)
    view = pixeldata.render_views(pixeldata.decode_frames(ds)[0], ds)[0]
    assert any(r.y1 - r.y0 > tall for r in engine.detect(view))  # the false positives are there
    assert ImageRedactor(ImageSpec(mode), engine)(ds) == []
    assert bytes(ds.PixelData) == before


def test_a_large_letter_is_still_text(engine):
    """A tall region that reads as a letter (a 64 px ``R`` marker) is redacted."""
    image = np.full((512, 512), 20, np.uint8)
    ink = _draw(image, (300, 200), "R", 64, 240)
    boxes = ImageRedactor(ImageSpec("REDACT_ALL_TEXT"), engine)._choose(image, engine.detect(image), None, None)
    assert any(b.x0 <= ink[0] + 2 and b.x1 >= ink[2] - 2 and b.y0 <= ink[1] + 2 and b.y1 >= ink[3] - 2 for b, _ in boxes)


def test_9_px_print_on_a_512_px_image_is_found(engine):
    """small_font instance (generator seed 8, instance 1): ``ID: ...`` at 9 px is missed at 512 px and
    found when the image, which holds small print, is searched again enlarged."""
    ds, boxes = case_instance("small_font", 8 * 1000 + 1)
    target = next(b for b in boxes if b.kind == "id")
    view = pixeldata.render_views(pixeldata.decode_frames(ds)[0], ds)[0]
    assert view.shape == (512, 512) and target.font_px == 9
    x0, y0, x1, y1 = target.bbox
    found = [r for r in engine.detect(view) if r.x0 < x1 and r.x1 > x0 and r.y0 < y1 and r.y1 > y0]
    assert found and min(r.x0 for r in found) <= x0 + 4 and max(r.x1 for r in found) >= x1 - 4
