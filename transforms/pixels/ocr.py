"""Text detection and recognition in 8-bit frames: one interface, two engines.

``OcrEngine(name=None)`` returns this worker's engine; every engine has
``detect(image) -> [Region]`` (where text is: boxes in the image's pixels, a
score 0-1) and ``read(image, regions) -> [Reading]`` (what each region says,
a confidence 0-1, and its words with boxes). Images are uint8 grey or RGB.

* ``ppocr`` (``PaddleEngine``, the default): PP-OCRv4 DBNet detection and
  SVTR-LCNet CTC recognition, the ONNX models inside the pinned
  ``rapidocr-onnxruntime`` wheel, run by onnxruntime on the CPU with one thread
  (pre- and post-processing here). Measured on the 200-instance burned-in
  corpus: 26 512x512 frames per CPU second for detection. Text of either
  polarity, any colour and position is found.
* ``tesseract`` (``TesseractEngine``): Tesseract 5 page reads of several
  renderings (grey, inverse, each colour channel, CLAHE) as the detector and a
  one-line read per region as the recogniser; 9 frames per CPU second. It is
  the bench's and the tests' independent second reader. Two bindings, chosen
  once per engine: ``tesserocr`` (the C++ API in-process, preferred) and
  ``pytesseract`` (the ``tesseract`` command of the Debian ``tesseract-ocr``
  package). Both read the English model from the Debian package's tessdata
  folder (or ``$TESSDATA_PREFIX``); ``OMP_THREAD_LIMIT`` is set to 1 before
  Tesseract is loaded (one bundle per core already).

Nothing is downloaded at run time. No recognised text is logged here.
"""

from __future__ import annotations

import math
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from transforms.errors import DeidError

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

__all__ = ["ENGINES", "OcrEngine", "OcrUnavailableError", "PaddleEngine", "Reading", "Region", "TesseractEngine", "Word", "check_ocr_available"]

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
    """Return the engine that will be used; raise ``OcrUnavailableError`` if it cannot run.

    Called before a job that asks for burned-in text redaction starts, so a
    missing model stops the job with a clear message instead of failing every
    instance.
    """
    engine = OcrEngine()
    engine.detect(np.zeros((32, 32), np.uint8))
    return engine.name


class TesseractEngine:
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

    name = "tesseract"
    # Renderings that detect() reads: the grey image, its inverse, each colour channel, and a
    # contrast-normalised (CLAHE) grey; each adds one Tesseract page read.
    renderings: tuple[str, ...] = ("grey", "inverse", "channels", "clahe")

    def __reduce__(self):  # an engine is per-worker state
        raise TypeError("TesseractEngine is per-worker state and is not picklable")

    def detect(self, image: np.ndarray, min_side: int | None = None) -> list[Region]:
        """Text lines Tesseract reads in any of ``renderings`` of ``image``, as regions (``min_side`` unused).

        A line counts when one word has 2+ letters or digits at confidence 80, or 4+
        at 60 (what REDACT_ALL_TEXT trusted before the neural detector).
        """
        image = np.asarray(image)
        grey = image if image.ndim == 2 else _luminance_u8(image)
        planes = []
        for name in self.renderings:
            if name == "grey":
                planes.append(grey)
            elif name == "inverse":
                planes.append(255 - grey)
            elif name == "channels" and image.ndim == 3:
                planes.extend(np.ascontiguousarray(image[..., c]) for c in range(3))
            elif name == "clahe":
                import cv2

                planes.append(cv2.createCLAHE(clipLimit=3.0, tileGridSize=(8, 8)).apply(np.ascontiguousarray(grey)))
        out = []
        for plane in planes:
            lines: dict[int, list[Word]] = {}
            for word in self.words(plane):
                lines.setdefault(word.line, []).append(word)
            for line in lines.values():
                sure = [w for w in line if _tesseract_trusted(w)]
                if sure:
                    out.append(Region(min(w.x0 for w in line), min(w.y0 for w in line), max(w.x1 for w in line),
                                      max(w.y1 for w in line), max(w.confidence for w in sure) / 100.0))
        return out

    def read(self, image: np.ndarray, regions: Sequence[Region]) -> list[Reading]:
        """Each region read again alone (``read_line``) on the grey rendering."""
        image = np.asarray(image)
        grey = image if image.ndim == 2 else _luminance_u8(image)
        out = []
        for index, r in enumerate(regions):
            words = tuple(self.read_line(grey, r.x0, r.y0, r.x1, r.y1, index))
            conf = min((w.confidence for w in words), default=0.0) / 100.0
            out.append(Reading(" ".join(w.text for w in words), conf, words))
        return out

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


# --------------------------------------------------------------------------- detection and recognition

@dataclass(frozen=True)
class Region:
    """A text region found by a detector: box in image pixels (``x1``/``y1`` exclusive) and its score (0-1)."""

    x0: int
    y0: int
    x1: int
    y1: int
    score: float


@dataclass(frozen=True)
class Reading:
    """What recognition read in one region: the text, its confidence (0-1) and its words with boxes.

    ``words`` carry confidences in percent (as Tesseract's) and all have the
    region's index as ``line``.
    """

    text: str
    confidence: float
    words: tuple[Word, ...]


def _ppocr_models() -> str | None:
    """The folder holding the PP-OCRv4 ONNX models of the rapidocr-onnxruntime wheel, or None."""
    try:
        import importlib.util

        spec = importlib.util.find_spec("rapidocr_onnxruntime")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = os.path.join(list(spec.submodule_search_locations)[0], "models")
    if all(os.path.isfile(os.path.join(folder, name)) for name in (_DET_MODEL, _REC_MODEL)):
        return folder
    return None


_DET_MODEL = "ch_PP-OCRv4_det_infer.onnx"
_REC_MODEL = "ch_PP-OCRv4_rec_infer.onnx"
# DBNet post-processing: PaddleOCR's threshold, a lower box threshold (recall first) and a smaller
# unclip (1.2, not 1.6: boxes hug the glyphs; 1.6 changed 1.9% of the pixels outside text on the
# bench cases, 1.2 1.5%, and left no more identifiers readable).
DET_THRESHOLD = 0.3
DET_BOX_THRESHOLD = 0.45
DET_UNCLIP = 1.2
# Detection input: images whose longer side is under DET_MIN_SIDE are enlarged to it, over
# DET_MAX_SIDE reduced to it (DBNet finds 8-40 px text best; the model runs on multiples of 32).
DET_MIN_SIDE = 512
# A region higher than DET_MAX_LINE pixels and DET_MAX_LINE_SHARE of the image, and less than three
# times as wide as high, is a blob (a flat organ, a sector), not a line of text.
DET_MAX_LINE = 40
DET_MAX_LINE_SHARE = 0.12
DET_MAX_SIDE = 1280
# An image detected at less than SMALL_PRINT_SCALE in which a region is lower than SMALL_PRINT
# pixels (at detection scale) is searched again SMALL_PRINT_ENLARGE times larger (small_font case:
# 9-10 px print on 512-px images; make_corpus print is 18+ px there and does not trigger it).
SMALL_PRINT = 17
SMALL_PRINT_SCALE = 1.5
SMALL_PRINT_ENLARGE = 1.5
# Word breaks the recogniser missed (``_word_gaps``, ``_split_at_gaps``): a blank run of the crop at
# least WORD_GAP print heights wide, between characters WORD_BREAK_STEPS median pitches apart.
WORD_GAP = 0.45
WORD_GAP_MAX = 2.0
WORD_GAP_CONTRAST = 48
WORD_BREAK_STEPS = 1.8
_REC_HEIGHT = 48
_REC_MAX_WIDTH = 48 * 40


class PaddleEngine:
    """PP-OCRv4 text detection (DBNet) and recognition (SVTR-LCNet, CTC) on onnxruntime, CPU, 1 thread.

    The models ship inside the ``rapidocr-onnxruntime`` wheel (pinned); nothing
    is downloaded. Only the ONNX files are used from it: pre- and post-processing
    are here. ``providers`` may name onnxruntime execution providers (for
    example ``["CUDAExecutionProvider", "CPUExecutionProvider"]`` on a GPU
    worker); the default and tested path is the CPU.
    """

    name = "ppocr"

    def __init__(self, threads: int = 1, providers: Sequence[str] | None = None) -> None:
        folder = _ppocr_models()
        if folder is None:
            raise OcrUnavailableError(
                "burned-in text redaction needs the PP-OCRv4 models of the Python package "
                "rapidocr-onnxruntime (pip install rapidocr-onnxruntime==1.4.4)"
            )
        try:
            import onnxruntime as ort
        except ImportError:
            raise OcrUnavailableError("the Python package onnxruntime is not installed") from None
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.log_severity_level = 3
        chosen = list(providers) if providers else ["CPUExecutionProvider"]
        self._det = ort.InferenceSession(os.path.join(folder, _DET_MODEL), options, providers=chosen)
        self._rec = ort.InferenceSession(os.path.join(folder, _REC_MODEL), options, providers=chosen)
        meta = self._rec.get_modelmeta().custom_metadata_map
        self._characters = ["\x00"] + meta["character"].splitlines() + [" "]
        self.binding = "onnxruntime"

    def __reduce__(self):  # an engine is per-worker state
        raise TypeError("PaddleEngine is per-worker state and is not picklable")

    def detect(self, image: np.ndarray, min_side: int | None = None) -> list[Region]:
        """Text regions of ``image`` (uint8, rows x columns grey or rows x columns x 3 RGB).

        Text of either polarity, any colour and any position; boxes are
        axis-aligned, grown back from DBNet's shrunk kernels (unclip), in
        ``image`` coordinates. ``min_side`` (default ``DET_MIN_SIDE``) is the
        longer side a smaller image is enlarged to. An image detected at less
        than ``SMALL_PRINT_SCALE`` that holds a region lower than ``SMALL_PRINT``
        pixels (small print) is searched again ``SMALL_PRINT_ENLARGE`` times
        larger, and the small regions found only then are added.
        """
        rgb = _as_rgb(image)
        rows, columns = rgb.shape[:2]
        side = max(rows, columns)
        smallest = min_side or DET_MIN_SIDE
        scale = smallest / side if side < smallest else (DET_MAX_SIDE / side if side > DET_MAX_SIDE else 1.0)
        scale = min(scale, 3.0)
        regions = self._detect_scaled(rgb, scale)
        if scale < SMALL_PRINT_SCALE and any((r.y1 - r.y0) * scale < SMALL_PRINT for r in regions):
            # Small print (9-10 px on a 512-px image) is at the low end of what DBNet finds: the
            # image is searched again enlarged, and the small regions that finds besides are added.
            extra = self._detect_scaled(rgb, min(3.0, scale * SMALL_PRINT_ENLARGE))
            regions += [r for r in extra if (r.y1 - r.y0) * scale < SMALL_PRINT
                        and not any(mostly_inside(r, q) for q in regions)]
        return regions

    def _detect_scaled(self, rgb: np.ndarray, scale: float) -> list[Region]:
        import cv2

        rows, columns = rgb.shape[:2]
        height, width = max(1, round(rows * scale)), max(1, round(columns * scale))
        resized = rgb if scale == 1.0 else cv2.resize(rgb, (width, height), interpolation=cv2.INTER_LINEAR)
        padded_h, padded_w = -(-height // 32) * 32, -(-width // 32) * 32
        tensor = np.zeros((1, 3, padded_h, padded_w), np.float32)
        tensor[0, :, :height, :width] = (resized[..., ::-1].transpose(2, 0, 1).astype(np.float32) / 127.5) - 1.0
        prob = self._det.run(None, {self._det.get_inputs()[0].name: tensor})[0][0, 0, :height, :width]
        mask = (prob > DET_THRESHOLD).astype(np.uint8)
        mask = cv2.dilate(mask, np.ones((2, 2), np.uint8))
        count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        out = []
        for i in range(1, count):
            x, y, w, h, area = (int(v) for v in stats[i])
            if min(w, h) < 2 or area < 4:
                continue
            window = labels[y : y + h, x : x + w] == i
            score = float(prob[y : y + h, x : x + w][window].mean())
            if score < DET_BOX_THRESHOLD:
                continue
            if h / scale > max(DET_MAX_LINE, rows * DET_MAX_LINE_SHARE) and w < 3 * h:
                continue  # a blob, not a line: burned-in text lines are low and wide
            grow = w * h * DET_UNCLIP / (2.0 * (w + h))
            out.append(
                Region(
                    max(0, int(math.floor((x - grow) / scale))),
                    max(0, int(math.floor((y - grow) / scale))),
                    min(columns, int(math.ceil((x + w + grow) / scale))),
                    min(rows, int(math.ceil((y + h + grow) / scale))),
                    score,
                )
            )
        return out

    def read(self, image: np.ndarray, regions: Sequence[Region]) -> list[Reading]:
        """Recognise each region of ``image``; words get boxes from the CTC columns of their characters."""
        import cv2

        rgb = _as_rgb(image)
        rows, columns = rgb.shape[:2]
        out = []
        for index, region in enumerate(regions):
            pad = max(1, (region.y1 - region.y0) // 8)
            x0, y0 = max(0, region.x0 - pad), max(0, region.y0 - pad)
            x1, y1 = min(columns, region.x1 + pad), min(rows, region.y1 + pad)
            crop = rgb[y0:y1, x0:x1]
            if crop.shape[0] < 2 or crop.shape[1] < 2:
                out.append(Reading("", 0.0, ()))
                continue
            ratio = _REC_HEIGHT / crop.shape[0]
            width = max(16, min(_REC_MAX_WIDTH, round(crop.shape[1] * ratio)))
            resized = cv2.resize(crop, (width, _REC_HEIGHT), interpolation=cv2.INTER_LINEAR)
            tensor = (resized[..., ::-1].transpose(2, 0, 1).astype(np.float32)[None] / 127.5) - 1.0
            preds = self._rec.run(None, {self._rec.get_inputs()[0].name: tensor})[0][0]
            out.append(self._decode(preds, width / crop.shape[1], width, x0, y0, y1, index, _word_gaps(crop)))
        return out

    def _decode(self, preds: np.ndarray, ratio: float, width: int, left: int, top: int, bottom: int, index: int,
                gaps: np.ndarray | None = None) -> Reading:
        """Greedy CTC decoding; a word's box spans its characters' columns (plus one column each side).

        ``gaps`` (a bool per crop column: blank as wide as a word space, ``_word_gaps``) splits
        words the recogniser ran together (``30M01/30/1986`` for ``30 M  01/30/1986``): between
        two characters at least ``WORD_BREAK_STEPS`` times the line's median character pitch
        apart (CTC steps) with a blank run of the crop between them, a space is read.
        """
        best = preds.argmax(axis=1)
        probs = preds.max(axis=1)
        steps = preds.shape[0]
        step_px = width / steps / ratio  # crop pixels per CTC step
        keep = np.ones(steps, bool)
        keep[1:] = best[1:] != best[:-1]
        keep &= best != 0
        chars = [(self._characters[k] if k < len(self._characters) else "", float(p), int(t))
                 for k, p, t in zip(best[keep], probs[keep], np.flatnonzero(keep))]
        confidence = float(np.mean([p for _, p, _ in chars])) if chars else 0.0
        if gaps is not None and gaps.any():
            chars = _split_at_gaps(chars, gaps, step_px)
        text = "".join(c for c, _, _ in chars)
        words: list[Word] = []
        current: list[tuple[str, float, int]] = []

        def flush():
            if current:
                first, last = current[0][2], current[-1][2]
                words.append(
                    Word(
                        "".join(c for c, _, _ in current),
                        100.0 * min(p for _, p, _ in current),
                        left + max(0, int(math.floor((first - 1) * step_px))),
                        top,
                        left + int(math.ceil((last + 2) * step_px)),
                        bottom,
                        index,
                    )
                )
                current.clear()

        for item in chars:
            if item[0].isspace():
                flush()
            else:
                current.append(item)
                if item[0] == ":":
                    flush()  # a label and its value read without a space: ``ID:80241736``
        flush()
        return Reading(text.strip(), confidence, tuple(words))


def _word_gaps(crop: np.ndarray) -> np.ndarray | None:
    """Columns of a line's crop inside a blank run as wide as a word space, or None.

    The print is the minority side of the crop's Otsu threshold; its height is
    the rows where it is dense. A run of columns without print at least
    ``WORD_GAP`` print heights wide (letters of one word are closer, even ``1``
    beside ``1`` in a fixed-width font), at most ``WORD_GAP_MAX``, with print on
    both sides, is a gap between words. A crop without contrast, or whose print
    is everywhere (grain, texture), gives None.
    """
    import cv2

    grey = crop if crop.ndim == 2 else cv2.cvtColor(np.ascontiguousarray(crop), cv2.COLOR_RGB2GRAY)
    if grey.size == 0 or int(grey.max()) - int(grey.min()) < WORD_GAP_CONTRAST:
        return None
    threshold, _ = cv2.threshold(np.ascontiguousarray(grey), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    bright = grey > threshold
    ink = bright if bright.mean() < 0.5 else ~bright
    per_row = ink.sum(axis=1)
    rows = np.flatnonzero(per_row >= max(1, 0.1 * per_row.max()))
    if not rows.size:
        return None
    height = int(rows[-1]) - int(rows[0]) + 1
    blank = ~ink[rows[0] : rows[-1] + 1].any(axis=0)
    out = np.zeros(blank.size, bool)
    wide, widest = max(2, math.ceil(WORD_GAP * height)), WORD_GAP_MAX * height
    start = None
    for x, empty in enumerate(np.append(blank, False)):
        if empty and start is None:
            start = x
        elif not empty and start is not None:
            # Between print on both sides, and no wider than a double space: a blank run at an
            # end, or one as wide as words, is where the threshold found no print (faint print
            # over a bright picture), not a gap between words.
            if start > 0 and x < blank.size and wide <= x - start <= widest:
                out[start:x] = True
            start = None
    return out


def _split_at_gaps(chars: list[tuple[str, float, int]], gaps: np.ndarray, step_px: float) -> list[tuple[str, float, int]]:
    """``chars`` (character, probability, CTC step) with a space where two are far apart over a blank gap."""
    letters = [c for c in chars if not c[0].isspace()]
    if len(letters) < 4:
        return chars
    pitch = float(np.median(np.diff([t for _, _, t in letters])))
    out: list[tuple[str, float, int]] = []
    for item in chars:
        if out and not out[-1][0].isspace() and not item[0].isspace():
            before, after = out[-1][2], item[2]
            lo, hi = int(round((before + 0.5) * step_px)), int(round((after + 0.5) * step_px))
            if after - before >= WORD_BREAK_STEPS * max(pitch, 1.0) and gaps[max(0, lo) : max(0, hi)].any():
                out.append((" ", 1.0, (before + after) // 2))
        out.append(item)
    return out


def mostly_inside(region, other, share: float = 0.5) -> bool:
    """True when ``share`` (default half) or more of ``region``'s area lies inside ``other``.

    Both are boxes with x0, y0, x1, y1 (x1, y1 exclusive): a ``Region`` or a ``pixeldata.Box``.
    """
    w = min(region.x1, other.x1) - max(region.x0, other.x0)
    h = min(region.y1, other.y1) - max(region.y0, other.y0)
    area = max(1, (region.x1 - region.x0) * (region.y1 - region.y0))
    return w > 0 and h > 0 and w * h >= share * area


def _as_rgb(image: np.ndarray) -> np.ndarray:
    image = np.asarray(image)
    if image.dtype != np.uint8:
        raise ValueError("OCR needs a uint8 image")
    if image.ndim == 2:
        return np.repeat(image[..., None], 3, axis=2)
    if image.ndim == 3 and image.shape[2] == 3:
        return np.ascontiguousarray(image)
    raise ValueError("OCR needs a rows x columns or rows x columns x 3 image")


def _luminance_u8(rgb: np.ndarray) -> np.ndarray:
    return np.clip(rgb[..., 0] * 0.299 + rgb[..., 1] * 0.587 + rgb[..., 2] * 0.114, 0, 255).astype(np.uint8)


def _tesseract_trusted(word: Word) -> bool:
    characters = sum(ch.isalnum() for ch in word.text)
    if characters >= 4:
        return word.confidence >= 60
    return characters >= 2 and word.confidence >= 80


ENGINES = ("ppocr", "tesseract")


def OcrEngine(engine: str | None = None):  # noqa: N802 - the one constructor of the OCR interface
    """The OCR engine of this worker: ``"ppocr"`` (default) or ``"tesseract"``.

    Both have ``detect(image) -> [Region]``, ``read(image, regions) -> [Reading]``
    and ``name``. ``$DEID_OCR_ENGINE`` chooses when ``engine`` is None (used by
    the benchmark to compare engines through the same job).
    """
    chosen = engine or os.environ.get("DEID_OCR_ENGINE") or "ppocr"
    if chosen == "ppocr":
        return PaddleEngine()
    if chosen == "tesseract":
        return TesseractEngine()
    raise ValueError(f"unknown OCR engine {chosen!r} (one of {', '.join(ENGINES)})")
