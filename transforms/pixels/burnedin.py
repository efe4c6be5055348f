"""Burned-in text redaction (spec section 6): which OCR words to black out, per mode.

``ImageRedactor(image_spec)(ds, context)`` decodes every frame of ``ds``, OCRs an
8-bit rendering of each (``transforms.pixels.ocr``), chooses the boxes the
``textRedactionMode`` asks for and blacks them out in the original pixel values
(``transforms.pixels.pixeldata.redact``). It returns the boxes, with their labels, for
image annotations. What it chooses:

* ``REDACT_ALL_TEXT``: every text line in which Tesseract read at least one
  word of 4+ letters or digits with confidence >= ``MIN_CONFIDENCE`` or of 2-3
  with confidence >= ``SURE_CONFIDENCE``, or whose letters and digits weighted
  by confidence add up to ``MIN_TEXT_SCORE`` (a line that does not is read
  again alone and enlarged, and either read may qualify it), as one box
  covering all the line's words (label ``TEXT``).
* ``REDACT_SENSITIVE_TEXT``: lines with a word under ``REREAD_BELOW`` are read
  again alone and enlarged; each read's words are joined into one string and
  the infoType detector (``transforms.text.detect``, patterns only) runs on it with
  the default infoTypes, plus ``additionalInfoTypes``, minus
  ``excludeInfoTypes``; each finding becomes the box of the words it spans
  (label = its infoType).
* ``REDACT_SENSITIVE_TEXT_CLEAN_DESCRIPTORS``: as sensitive, with the
  instance's own header identifiers as context (``cleantext.header_context``:
  name parts, IDs, dates in any common format, institution, ...), plus a match
  of single OCR words against those values that tolerates OCR noise: case and
  punctuation are ignored, digits misread as look-alike letters (``O``/``0``,
  ``l``/``1``, ``S``/``5``, ``B``/``8``) are mapped back, one wrong character is
  allowed in words of 5+ characters (two in 9+), and a word made of several
  header tokens joined by one stray character (``FLOWERS^BRANDI`` read as
  ``FLOWERSABRANDI``) matches.

Multi-frame images: frame 0 is read whole and its boxes are blacked out in
every frame (burned-in annotations stay put while the picture moves); a later
frame is read again only where it differs from frame 0 and has pixels as bright
(or, on a light image, as dark) as text, so text that appears on any frame is
found without reading a cine's moving picture frame by frame.

Every box is stretched to the full height of its text line (Tesseract's word
boxes are glyph-tight) and grown by ``pixels.DEFAULT_MARGIN`` when blacked out.
Nothing here logs or returns recognised text: labels are infoType names.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from pydicom.dataset import Dataset

from transforms.pixels import pixeldata as pixels
from transforms.deid_config import DeidSpec, ImageSpec
from transforms.text.detect import ContextValue, Detector
from transforms.errors import PixelDataError
from transforms.text.infotypes import DEFAULT_INFO_TYPES
from transforms.pixels.ocr import OcrEngine, Word
from transforms.dicom.profiles import pixel_image_spec

__all__ = ["ALL_TEXT", "CLEAN_DESCRIPTORS", "SENSITIVE", "ImageRedactor", "RedactedBox", "needs_pixels", "redacting_image_spec", "redacts"]

ALL_TEXT = "REDACT_ALL_TEXT"
SENSITIVE = "REDACT_SENSITIVE_TEXT"
CLEAN_DESCRIPTORS = "REDACT_SENSITIVE_TEXT_CLEAN_DESCRIPTORS"
TEXT_LABEL = "TEXT"
# Words read with less confidence are not trusted to be text in REDACT_ALL_TEXT (image
# noise gives one- or two-character words at 20-57); a line with one trusted word is
# redacted whole, a line without one is read again alone first.
MIN_CONFIDENCE = 60.0
SURE_CONFIDENCE = 80.0
MIN_TEXT_SCORE = 2.4
# In the sensitive modes, lines with a word read with less confidence are read again alone.
REREAD_BELOW = 75.0
# Later frames of a multi-frame image: what counts as ink where they differ from frame 0.
INK_LIGHT = 224
INK_DARK = 31
MIN_INK_PIXELS = 8
INK_PAD = 24
_LATER_LINES = 1_000_000  # line numbers of words read in a later frame's changed region

_NON_ALNUM = re.compile(r"[\W_]+")
_ALNUM = re.compile(r"[^\W_]")
_TOKEN = re.compile(r"[^\W_]+")
# OCR look-alikes of digits, applied to words that are mostly digits.
_DIGIT_LOOKALIKES = str.maketrans({"o": "0", "q": "0", "d": "0", "l": "1", "i": "1", "|": "1", "s": "5",
                                    "b": "8", "z": "2", "g": "9", "t": "7"})
_MIN_TOKEN = 3
# Labels after which the rest of a line (up to the next label) is an identifier.
_CUES = {
    "id": "MEDICAL_RECORD_NUMBER",
    "pid": "MEDICAL_RECORD_NUMBER",
    "mrn": "MEDICAL_RECORD_NUMBER",
    "acc": "MEDICAL_RECORD_NUMBER",
    "accession": "MEDICAL_RECORD_NUMBER",
    "dob": "DATE_OF_BIRTH",
    "birth": "DATE_OF_BIRTH",
    "born": "DATE_OF_BIRTH",
    "name": "PERSON_NAME",
    "patient": "PERSON_NAME",
}


def redacts(spec: ImageSpec | None) -> bool:
    """True when ``spec`` asks for any burned-in text to be redacted."""
    return spec is not None and spec.mode in (ALL_TEXT, SENSITIVE, CLEAN_DESCRIPTORS)


def redacting_image_spec(spec: DeidSpec) -> ImageSpec | None:
    """The ImageConfig that redacts PixelData of VR OB or, else, OW under this config; None if none."""
    for vr in ("OB", "OW"):
        image = pixel_image_spec(spec, vr)
        if redacts(image):
            return image
    return None


def needs_pixels(spec: DeidSpec) -> bool:
    """True when the config may redact the PixelData of some instance (OB or OW)."""
    return redacting_image_spec(spec) is not None


@dataclass(frozen=True)
class RedactedBox:
    """A blacked-out region of one frame (``box`` before the margin) and its label."""

    frame: int
    box: pixels.Box
    label: str


class ImageRedactor:
    """Per-worker burned-in text redaction for one ``ImageConfig``.

    Parameters
    ----------
    spec : ImageSpec
        The validated image config; its mode must redact something.
    engine : OcrEngine, optional
        The OCR engine; built on first use (one per worker) when not given.
    """

    def __init__(self, spec: ImageSpec, engine: OcrEngine | None = None) -> None:
        if not redacts(spec):
            raise ValueError(f"{spec.mode} redacts nothing")
        self.spec = spec
        self._engine = engine
        wanted = set(DEFAULT_INFO_TYPES) | set(spec.additional_info_types)
        self.info_types = frozenset(wanted - set(spec.exclude_info_types))

    @property
    def engine(self) -> OcrEngine:
        if self._engine is None:
            self._engine = OcrEngine()
        return self._engine

    def __call__(self, ds: Dataset, context: Sequence[ContextValue] = ()) -> list[RedactedBox]:
        """Find and black out the text the mode asks for; return what was blacked out.

        ``context`` is the instance's identifier values, read from the original
        header (used in the clean-descriptors mode). Instances without PixelData
        are returned unchanged. Raises ``PixelDataError`` (fail closed) when the
        pixel data cannot be decoded or written back.
        """
        if "PixelData" not in ds:
            return []
        frames = pixels.decode_frames(ds)
        matcher, fuzzy = self._matchers(context)
        found: list[RedactedBox] = []
        first = None
        first_chosen: list[tuple[pixels.Box, str]] = []
        for index in range(frames.shape[0]):
            image = pixels.render_for_ocr(frames[index], ds)
            if first is None:
                first = image
                chosen = first_chosen = self._choose(image, self.engine.words(image), matcher, fuzzy)
            else:
                # Text that frame 0 shows is blacked out in every frame; the rest of a later
                # frame is read only where it differs from frame 0 and could hold text.
                new = _changed_words(self.engine, first, image)
                chosen = first_chosen + (self._choose(image, new, matcher, fuzzy) if new else [])
            found.extend(RedactedBox(index, box, label) for box, label in chosen)
        if found:
            boxes: dict[int, list[pixels.Box]] = {}
            for item in found:
                boxes.setdefault(item.frame, []).append(item.box)
            pixels.redact(ds, boxes)
        return found

    def overlays(self, ds: Dataset, context: Sequence[ContextValue] = (), groups: Sequence[int] | None = None) -> int:
        """Clear the text the mode asks for from overlay bitmaps (60xx,3000) kept in ``ds``.

        Each overlay plane is rendered (set bits white on black), OCR'd like a
        frame, and the bits inside the chosen boxes (plus the margin) are
        cleared. ``groups`` limits the overlay groups examined (default: all).
        Returns the number of bits cleared. Raises ``PixelDataError`` when an
        overlay cannot be read (fail closed).
        """
        from pydicom.pixels import pack_bits

        matcher, fuzzy = self._matchers(context)
        cleared = 0
        for group in range(0x6000, 0x6020, 2):
            tag = (group << 16) | 0x3000
            if tag not in ds or (groups is not None and group not in groups):
                continue
            try:
                planes = np.asarray(ds.overlay_array(group))
            except Exception as exc:  # malformed overlays raise many types
                raise PixelDataError(f"overlay {group:04X} could not be read ({type(exc).__name__})") from exc
            planes = planes.reshape((-1,) + planes.shape[-2:]).astype(np.uint8)
            changed = False
            for plane in planes:
                chosen = self._choose(plane * 255, self.engine.words(plane * 255), matcher, fuzzy)
                for box, _ in chosen:
                    m = pixels.DEFAULT_MARGIN
                    area = plane[max(0, box.y0 - m) : box.y1 + m, max(0, box.x0 - m) : box.x1 + m]
                    cleared += int(area.sum())
                    changed = changed or bool(area.any())
                    area[...] = 0
            if changed:
                packed = pack_bits(planes.ravel())
                ds[tag].value = packed + b"\x00" * (len(packed) % 2)
        return cleared

    def _matchers(self, context: Sequence[ContextValue]):
        """(infoType detector, fuzzy header matcher) of the mode; (None, None) for all text."""
        if self.spec.mode == ALL_TEXT:
            return None, None
        if self.spec.mode == CLEAN_DESCRIPTORS:
            return Detector.for_context(list(context)), _FuzzyContext(context)
        return Detector.for_context(()), None

    def _choose(self, image, words, matcher, fuzzy) -> list[tuple[pixels.Box, str]]:
        """The boxes (grown over their strokes) and labels the mode takes from one frame's words."""
        if not words:
            return []
        if self.spec.mode == ALL_TEXT:
            words = _reread(self.engine, image, words, lambda line: not _is_text(line))
            return [(_grow(image, box, line_gap=True), label) for box, label in _all_text(words)]
        words = _reread(self.engine, image, words, lambda line: min(w.confidence for w in line) < REREAD_BELOW)
        return [
            (_grow(image, box, line_gap=False), label)
            for box, label in _sensitive(words, matcher, fuzzy, self.info_types)
        ]


def _trusted(word: Word) -> bool:
    """A word that is text for REDACT_ALL_TEXT.

    2-3 letters or digits read with confidence >= ``SURE_CONFIDENCE``, or 4+ read
    with confidence >= ``MIN_CONFIDENCE``: speckle gives short words at up to 75.
    """
    characters = len(_ALNUM.findall(word.text))
    if characters >= 4:
        return word.confidence >= MIN_CONFIDENCE
    return characters >= 2 and word.confidence >= SURE_CONFIDENCE


def _is_text(line: Sequence[Word]) -> bool:
    """A line is text for REDACT_ALL_TEXT when a word is trusted or its characters add up.

    The sum of (letters and digits x confidence / 100) over the line's words must
    reach ``MIN_TEXT_SCORE``: a long identifier read at 50 (``ACC91160481``) or
    three words of small print at 30-40 count; speckle's short words do not.
    """
    if any(map(_trusted, line)):
        return True
    return sum(len(_ALNUM.findall(w.text)) * w.confidence for w in line) / 100.0 >= MIN_TEXT_SCORE


def _plausible(line: Sequence[Word]) -> bool:
    """A line worth reading again: 3+ letters or digits in a box wider than high.

    Image noise gives many one- or two-character "lines"; reading each again
    would cost more than the page itself.
    """
    box = _union(line, line)
    height = box.y1 - box.y0
    characters = sum(len(_ALNUM.findall(w.text)) for w in line)
    return characters >= 3 and height >= 4 and box.x1 - box.x0 >= 1.2 * height


def _changed_words(engine: OcrEngine, first, image) -> list[Word]:
    """OCR the part of a later frame that differs from frame 0 and holds ink-like pixels.

    Pixels equal to frame 0's show what frame 0 showed, and frame 0 was read whole.
    New text needs pixels as bright as light text (>= ``INK_LIGHT`` of 255) on a dark
    frame, or as dark as dark text (<= ``INK_DARK``) on a light one, where the
    frame changed; when there are fewer than ``MIN_INK_PIXELS`` of them the frame
    adds no text (a cine's moving speckle is never that bright). Otherwise the
    region around them (padded by ``INK_PAD``) is read like a page.
    """
    changed = image != first
    if not changed.any():
        return []
    light_text = float(np.median(first)) < 128
    ink = changed & ((image >= INK_LIGHT) if light_text else (image <= INK_DARK))
    if np.count_nonzero(ink) < MIN_INK_PIXELS:
        return []
    rows, columns = image.shape
    ys, xs = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    y0, y1 = max(0, int(ys[0]) - INK_PAD), min(rows, int(ys[-1]) + 1 + INK_PAD)
    x0, x1 = max(0, int(xs[0]) - INK_PAD), min(columns, int(xs[-1]) + 1 + INK_PAD)
    return [
        Word(w.text, w.confidence, w.x0 + x0, w.y0 + y0, w.x1 + x0, w.y1 + y0, w.line + _LATER_LINES)
        for w in engine.words(image[y0:y1, x0:x1])
    ]


def _reread(engine: OcrEngine, image, words: Sequence[Word], doubtful) -> list[Word]:
    """Add a second read, alone and enlarged, of each plausible line that ``doubtful`` picks.

    The second read gets its own line number, so both reads are matched (a
    finding in either is redacted).
    """
    out = list(words)
    lines = _lines(words)
    offset = max(lines) + 1 if lines else 0
    for number, line in lines.items():
        if doubtful(line) and _plausible(line):
            box = _union(line, line)
            out.extend(engine.read_line(image, box.x0, box.y0, box.x1, box.y1, offset + number))
    return out


def _grow(image, box: pixels.Box, line_gap: bool) -> pixels.Box:
    """Stretch a box sideways over the strokes of text that touch it.

    Tesseract's word boxes can end inside a word it read badly (``Hos:`` for
    ``Hospital``). The box's own pixels give the text's polarity and a
    threshold; the box then grows left and right while columns of its rows hold
    text-coloured pixels, across gaps up to a third of its height (letters,
    not words), or its whole height (words of a line) when ``line_gap``.
    Growth stops at four heights per side, and at a run of columns filled with
    text colour from top to bottom (image, not glyphs).
    """
    rows, columns = image.shape
    x0, y0, x1, y1 = max(0, box.x0), max(0, box.y0), min(columns, box.x1), min(rows, box.y1)
    height = y1 - y0
    if height < 2 or x1 <= x0:
        return box
    region = image[y0:y1, x0:x1]
    low, high = int(region.min()), int(region.max())
    if high - low < 48:
        return box
    threshold = (low + high) / 2
    bright = (region > threshold).mean() < 0.5  # glyphs are the minority of their box
    band = image[y0:y1] > threshold if bright else image[y0:y1] < threshold
    fill = band.mean(axis=0)
    gap = height if line_gap else max(1, height // 3)
    solid = max(3, height // 2)
    limit = 4 * height

    def reach(start: int, step: int, stop: int) -> int:
        last, x, full = start, start, 0
        while x != stop and abs(x - start) < limit:
            full = full + 1 if fill[x] >= 0.9 else 0
            if full >= solid:
                break  # a solid area: image, not glyphs
            if fill[x] > 0:
                last = x
            elif abs(x - last) > gap:
                break
            x += step
        return last

    right = reach(x1 - 1, 1, columns) + 1
    left = reach(x0, -1, -1)
    return pixels.Box(min(left, box.x0), box.y0, max(right, box.x1), box.y1)


def _lines(words: Sequence[Word]) -> dict[int, list[Word]]:
    lines: dict[int, list[Word]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word)
    return lines


def _union(words: Sequence[Word], line: Sequence[Word]) -> pixels.Box:
    """The box of ``words``, stretched to the vertical extent of their ``line``."""
    return pixels.Box(
        min(w.x0 for w in words),
        min(w.y0 for w in line),
        max(w.x1 for w in words),
        max(w.y1 for w in line),
    )


def _all_text(words: Sequence[Word]) -> list[tuple[pixels.Box, str]]:
    out = []
    for line in _lines(words).values():
        if _is_text(line):
            out.append((_union(line, line), TEXT_LABEL))
    return out


def _sensitive(words, matcher, fuzzy, info_types) -> list[tuple[pixels.Box, str]]:
    out: list[tuple[pixels.Box, str]] = []
    for line in _lines(words).values():
        starts = []
        position = 0
        for word in line:
            starts.append(position)
            position += len(word.text) + 1
        text = " ".join(w.text for w in line)
        runs = []
        for finding in matcher.detect(text, info_types=info_types):
            covered = [i for i, s in enumerate(starts) if s < finding.end and s + len(line[i].text) > finding.start]
            if covered:
                runs.append((covered[0], covered[-1] + 1, finding.info_type))
        runs.extend(_cued(line))
        if fuzzy is not None:
            runs.extend(fuzzy.matches(line))
        for first, last, kind in runs:
            if kind in info_types:
                out.append((_union(line[first:last], line), kind))
    return out


class _FuzzyContext:
    """Header identifier values, matched against runs of OCR words despite OCR noise.

    A value is compared with every run of 1-3 consecutive words of a line, both
    reduced to lower-case letters and digits (so case, punctuation and a ``^``
    read as another character or as a space do not matter; digit look-alike
    letters are mapped back in mostly-digit words). A run matches when it is
    equal, when its similarity (``difflib`` ratio) is at least 0.8 (0.75 for 8+
    characters), or, for 5+ digits, when it is a part of the value (a truncated
    read).
    """

    def __init__(self, context: Sequence[ContextValue]) -> None:
        values: dict[str, str] = {}
        for value in context:
            tokens = _TOKEN.findall(value.text.lower())
            forms = ["".join(tokens)] + [t for t in tokens if len(t) >= _MIN_TOKEN]
            if value.info_type in ("DATE", "DATE_OF_BIRTH") and re.fullmatch(r"\d{8}", forms[0]):
                ymd = forms[0]
                forms += [ymd[4:6] + ymd[6:] + ymd[:4], ymd[6:] + ymd[4:6] + ymd[:4]]  # MMDDYYYY, DDMMYYYY
            for form in forms:
                if len(form) >= _MIN_TOKEN:
                    values.setdefault(form, value.info_type)
        self.values = values

    def matches(self, words: Sequence[Word]) -> list[tuple[int, int, str]]:
        """Return (first, last + 1, infoType) runs of ``words`` that read as a header value."""
        norms = [_normalize(w.text) for w in words]
        out = []
        for i in range(len(words)):
            for k in (3, 2, 1):
                if i + k > len(words):
                    continue
                run = "".join(norms[i : i + k])
                if len(run) < _MIN_TOKEN or (k > 1 and not all(norms[i : i + k])):
                    continue
                kind = self._match(run)
                if kind is not None:
                    out.append((i, i + k, kind))
                    break
        return out

    def _match(self, run: str) -> str | None:
        kind = self.values.get(run)
        if kind is not None:
            return kind
        digits = sum(c.isdigit() for c in run)
        for value, kind in self.values.items():
            if len(run) >= 5 and digits == len(run) and run in value:
                return kind
            if len(value) < 5 or abs(len(value) - len(run)) > max(2, len(value) // 4):
                continue
            limit = 0.75 if len(value) >= 8 else 0.8
            matcher = difflib.SequenceMatcher(None, run, value, autojunk=False)
            if matcher.real_quick_ratio() >= limit and matcher.quick_ratio() >= limit and matcher.ratio() >= limit:
                return kind
        return None


def _normalize(text: str) -> str:
    """Lower-case letters and digits only; digit look-alikes mapped back in mostly-digit words."""
    text = _NON_ALNUM.sub("", text).lower()
    if text and sum(c.isdigit() for c in text) * 2 >= len(text):
        text = text.translate(_DIGIT_LOOKALIKES)
    return text


def _cued(line: Sequence[Word]) -> list[tuple[int, int, str]]:
    """Runs of words that follow a label such as ``ID:``, ``DOB`` or ``Name:`` on their line."""
    out = []
    i = 0
    while i < len(line):
        kind = _CUES.get(_NON_ALNUM.sub("", line[i].text).lower())
        if kind is None or i + 1 >= len(line):
            i += 1
            continue
        j = i + 1
        while j < len(line) and _NON_ALNUM.sub("", line[j].text).lower() not in _CUES:
            j += 1
        if j > i + 1:
            out.append((i + 1, j, kind))
        i = j
    return out


def image_annotation(name: str, frame: int, boxes: Sequence[RedactedBox]) -> dict:
    """One image Annotation (spec section 7) for the boxes of one frame."""
    polys = []
    for item in boxes:
        b = item.box
        vertices = [{"x": b.x0, "y": b.y0}, {"x": b.x1, "y": b.y0}, {"x": b.x1, "y": b.y1}, {"x": b.x0, "y": b.y1}]
        polys.append({"vertices": vertices, "label": item.label})
    return {
        "annotationSource": {"cloudHealthcareSource": {"name": name}},
        "imageAnnotation": {"frameIndex": frame, "boundingPolys": polys},
    }


def annotations_by_frame(name: str, boxes: Sequence[RedactedBox]) -> list[dict]:
    """Image annotations, one per redacted frame, in frame order."""
    frames: dict[int, list[RedactedBox]] = {}
    for item in boxes:
        frames.setdefault(item.frame, []).append(item)
    return [image_annotation(name, frame, frames[frame]) for frame in sorted(frames)]

