"""Tesseract OCR of one 8-bit frame: words with their boxes, confidences and lines.

This module owns talking to Tesseract. ``OcrEngine.words(image)`` returns every
word Tesseract reads in an 8-bit grey image, in the image's own pixel
coordinates, grouped into text lines. Small images are enlarged first (Tesseract
reads glyphs best at 20-40 px; burned-in annotations on a 256x256 MR are often
6-9 px high).

Two bindings are supported, chosen once per engine:

* ``tesserocr`` (preferred): the Tesseract C++ API in-process, one
  ``PyTessBaseAPI`` per engine, no subprocess and no image encoding per call.
  Measured on a 2-core VM on the burned-in corpus: about 60 ms per 512x512 frame,
  against about 200 ms for ``pytesseract``.
* ``pytesseract``: the ``tesseract`` command of the Debian ``tesseract-ocr``
  package through a subprocess; used when tesserocr is not installed.

Both read the English model from the Debian package's tessdata folder (or
``$TESSDATA_PREFIX``). ``OMP_THREAD_LIMIT`` is set to 1 before Tesseract is
loaded: on a worker that already runs one bundle per core, Tesseract's own
threads make it several times slower. No recognised text is logged here.
"""

from __future__ import annotations

import math
import os
import shutil
from dataclasses import dataclass

import numpy as np

from transforms.errors import DeidError

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

__all__ = ["OcrEngine", "OcrUnavailableError", "Word", "check_ocr_available"]

# Where Debian's tesseract-ocr-eng package puts the English model.
_TESSDATA_DIRS = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
)
# Images whose longer side is under this are enlarged to about this size.
_TARGET_SIDE = 768
_MAX_SCALE = 3
# Tesseract page segmentation mode 11: sparse text, as burned-in annotations are.
_PSM_SPARSE_TEXT = 11


class OcrUnavailableError(DeidError):
    """Tesseract (or its English model) is not installed where redaction needs it."""


@dataclass(frozen=True)
class Word:
    """One recognised word; the box is in image pixels, ``x1``/``y1`` exclusive.

    ``line`` numbers the text lines of one image (words of one line share it).
    """

    text: str
    confidence: float
    x0: int
    y0: int
    x1: int
    y1: int
    line: int


def _tessdata() -> str | None:
    prefix = os.environ.get("TESSDATA_PREFIX")
    candidates = ((prefix,) if prefix else ()) + _TESSDATA_DIRS
    for folder in candidates:
        if folder and os.path.isfile(os.path.join(folder, "eng.traineddata")):
            return folder
    return None


def check_ocr_available() -> str:
    """Return the binding that will be used; raise ``OcrUnavailableError`` if none works.

    Called before a job that asks for burned-in text redaction starts, so a
    missing Tesseract stops the job with a clear message instead of failing
    every instance.
    """
    engine = OcrEngine()
    engine.words(np.zeros((8, 8), np.uint8))
    return engine.binding


class OcrEngine:
    """One Tesseract engine; build one per worker and call it for every frame.

    Parameters
    ----------
    binding : str, optional
        ``"tesserocr"``, ``"pytesseract"`` or ``"auto"`` (tesserocr when it is
        installed, else pytesseract).

    Raises
    ------
    OcrUnavailableError
        If the binding or the English model is not installed.
    """

    def __init__(self, binding: str = "auto") -> None:
        self._tessdata = _tessdata()
        if self._tessdata is None:
            raise OcrUnavailableError(
                "burned-in text redaction needs Tesseract's English model (eng.traineddata): "
                "install the Debian package tesseract-ocr (apt-get install tesseract-ocr) "
                "or set TESSDATA_PREFIX"
            )
        self._api = None
        if binding in ("auto", "tesserocr"):
            try:
                import tesserocr
            except ImportError:
                if binding == "tesserocr":
                    raise OcrUnavailableError("the Python package tesserocr is not installed") from None
            else:
                self._tesserocr = tesserocr
                self._api = tesserocr.PyTessBaseAPI(
                    path=self._tessdata + os.sep, lang="eng", psm=tesserocr.PSM.SPARSE_TEXT
                )
                self.binding = "tesserocr"
                return
        if binding not in ("auto", "pytesseract"):
            raise ValueError(f"unknown OCR binding {binding!r}")
        if shutil.which("tesseract") is None:
            raise OcrUnavailableError(
                "burned-in text redaction needs the tesseract command: "
                "install the Debian package tesseract-ocr (apt-get install tesseract-ocr)"
            )
        try:
            import pytesseract  # noqa: F401
        except ImportError:
            raise OcrUnavailableError("the Python package pytesseract is not installed") from None
        self.binding = "pytesseract"

    def __reduce__(self):  # an engine is per-worker state
        raise TypeError("OcrEngine is per-worker state and is not picklable")

    def words(self, image: np.ndarray) -> list[Word]:
        """Return the words Tesseract reads in ``image`` (uint8, rows x columns).

        Parameters
        ----------
        image : numpy.ndarray
            An 8-bit grey rendering (see ``transforms.pixels.pixeldata.render_for_ocr``).

        Returns
        -------
        list[Word]
            Words with non-blank text, in reading order, boxes in ``image``
            coordinates (enlargement undone, rounded outwards).
        """
        image = np.ascontiguousarray(image, dtype=np.uint8)
        if image.ndim != 2:
            raise ValueError("OCR needs a 2-D uint8 image")
        rows, columns = image.shape
        scale = _scale(rows, columns)
        if scale > 1:
            from PIL import Image

            image = np.asarray(
                Image.fromarray(image).resize((columns * scale, rows * scale), Image.BILINEAR)
            )
        raw = self._tesserocr_words(image) if self._api is not None else self._pytesseract_words(image)
        return _place(raw, scale, 0, 0, (0, 0, columns, rows))

    def read_line(self, image: np.ndarray, x0: int, y0: int, x1: int, y1: int, line: int) -> list[Word]:
        """Read one text line again, enlarged and dark on light, as a single line.

        Small or noisy glyphs that the page pass read with low confidence are
        read better alone: the crop (padded by a quarter of its height) is
        scaled to a 48-pixel line height and OCR'd with page segmentation
        mode 7. Words come back in ``image`` coordinates, all with ``line``.
        """
        rows, columns = image.shape
        pad = max(2, (y1 - y0) // 4)
        cx0, cy0 = max(0, x0 - pad), max(0, y0 - pad)
        cx1, cy1 = min(columns, x1 + pad), min(rows, y1 + pad)
        crop = image[cy0:cy1, cx0:cx1].astype(np.float32)
        if crop.size == 0 or float(crop.max()) - float(crop.min()) < 1:
            return []
        crop = (crop - crop.min()) / (crop.max() - crop.min()) * 255.0
        if np.median(crop) < 128:
            crop = 255.0 - crop  # light text on dark: make it dark on light
        scale = max(1, min(6, round(48 / max(1, y1 - y0))))
        from PIL import Image

        big = Image.fromarray(crop.astype(np.uint8)).resize(
            (crop.shape[1] * scale, crop.shape[0] * scale), Image.BICUBIC
        )
        framed = np.full((big.height + 40, big.width + 40), 255, np.uint8)
        framed[20:-20, 20:-20] = np.asarray(big)
        if self._api is not None:
            self._api.SetPageSegMode(self._tesserocr.PSM.SINGLE_LINE)
            try:
                raw = self._tesserocr_words(framed)
            finally:
                self._api.SetPageSegMode(self._tesserocr.PSM.SPARSE_TEXT)
        else:
            raw = self._pytesseract_words(framed, psm=7)
        return _place(raw, scale, cx0, cy0, (cx0, cy0, cx1, cy1), line, shift=20)

    def _tesserocr_words(self, image: np.ndarray):
        tesserocr = self._tesserocr
        api = self._api
        rows, columns = image.shape
        api.SetImageBytes(image.tobytes(), columns, rows, 1, columns)
        api.Recognize()
        iterator = api.GetIterator()
        level, line_level = tesserocr.RIL.WORD, tesserocr.RIL.TEXTLINE
        out = []
        line = -1
        if iterator is None:
            return out
        while True:
            if iterator.Empty(level):
                if not iterator.Next(level):
                    break
                continue
            if iterator.IsAtBeginningOf(line_level):
                line += 1
            box = iterator.BoundingBox(level)
            text = iterator.GetUTF8Text(level)
            if box is not None and text:
                out.append((text, iterator.Confidence(level), box, max(line, 0)))
            if not iterator.Next(level):
                break
        api.Clear()
        return out

    def _pytesseract_words(self, image: np.ndarray, psm: int = _PSM_SPARSE_TEXT):
        import pytesseract
        from PIL import Image

        data = pytesseract.image_to_data(
            Image.fromarray(image),
            lang="eng",
            config=f"--psm {psm} --tessdata-dir {self._tessdata}",
            output_type=pytesseract.Output.DICT,
        )
        out = []
        lines: dict[tuple[int, int, int], int] = {}
        for i, text in enumerate(data["text"]):
            if not text or not text.strip():
                continue
            key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
            line = lines.setdefault(key, len(lines))
            left, top = int(data["left"][i]), int(data["top"][i])
            box = (left, top, left + int(data["width"][i]), top + int(data["height"][i]))
            out.append((text, float(data["conf"][i]), box, line))
        return out


def _place(raw, scale: int, left: int, top: int, bounds, line: int | None = None, shift: int = 0) -> list[Word]:
    """Words from raw (text, confidence, box, line) in OCR-image pixels, mapped back to the image.

    The OCR image is the image region starting at (left, top), enlarged by
    ``scale`` after ``shift`` pixels of white border; boxes are rounded outwards
    and clipped to ``bounds`` (x0, y0, x1, y1); ``line`` replaces every line number.
    """
    x_min, y_min, x_max, y_max = bounds
    out = []
    for text, conf, (x0, y0, x1, y1), number in raw:
        text = text.strip()
        if not text:
            continue
        out.append(
            Word(
                text,
                float(conf),
                max(x_min, left + (x0 - shift) // scale),
                max(y_min, top + (y0 - shift) // scale),
                min(x_max, left + -(-(x1 - shift) // scale)),
                min(y_max, top + -(-(y1 - shift) // scale)),
                number if line is None else line,
            )
        )
    return out


def _scale(rows: int, columns: int) -> int:
    """Integer enlargement for small images, so that small glyphs become readable."""
    side = max(rows, columns)
    if side >= _TARGET_SIDE:
        return 1
    return max(1, min(_MAX_SCALE, math.floor(_TARGET_SIDE / side)))
