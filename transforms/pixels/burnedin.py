"""Burned-in text redaction (spec section 6): find text, then decide per region, per mode.

``ImageRedactor(image_spec)(ds, context)`` decodes every frame of ``ds``, renders
it (``pixeldata.render_views``: RGB for colour, the windowed grey and, when the
window clips, the full range for grey), finds text regions with the OCR
engine's detector (``transforms.pixels.ocr``: PP-OCRv4 DBNet by default), and
blacks out what the ``textRedactionMode`` asks for in the original pixel values
(``pixeldata.redact``). Detection does not depend on where text usually is: it
runs on the whole frame, for either polarity, any colour and size. Print about
as bright (or dark) as the picture under it, which the rendering hides, is
looked for in its pen's own views (``pixeldata.ink_views``: burned-in text is
drawn with one stored value); what those add is what the other views missed. It returns
the boxes, with their labels, for image annotations. What it chooses:

* ``REDACT_ALL_TEXT``: every detected region (recall first: a region that reads
  as noise is still text if the detector says so), label ``TEXT``.
* ``REDACT_SENSITIVE_TEXT``: each region is recognised; its words are joined
  into one string and the infoType detector (``transforms.text.detect``,
  patterns only) runs on it with the default infoTypes, plus
  ``additionalInfoTypes``, minus ``excludeInfoTypes``, and words after a label
  (``ID``, ``DOB``, ``Name``, ...) are identifiers; each finding becomes the box
  of the words it spans (label = its infoType). Layout is evidence: a line of
  the header block (top edge, under a name label: ``transforms.text.layout``)
  or a line holding an identifier is a header line, where every word that is
  not a known technical term is redacted, label ``HEADER_TEXT`` (fail closed). A region the detector is sure of
  (score >= ``DETECT_SURE``) whose recognition is unsure (confidence under
  ``READ_SURE``, or nothing read) is redacted whole: fail closed, label
  ``UNREADABLE_TEXT``; not a line with room for only one or two glyphs
  (narrower than ``NARROW_LINE`` heights: an ``L``/``R`` marker).
* ``REDACT_SENSITIVE_TEXT_CLEAN_DESCRIPTORS``: as sensitive, with the instance's
  own header identifiers as context (``cleantext.header_context``: name parts,
  IDs, dates in any common format, institution, ...), plus a match of runs of
  recognised words against those values that tolerates OCR noise (case,
  punctuation, digit look-alikes, 75-80% similarity).

Text that is not an identifier (``Female``, ``L``/``R``, scale numbers, ``mm``,
window/level figures) gives no finding and stays in the sensitive modes.

Multi-frame images: frame 0 is examined whole; every later frame that differs
from frame 0 (and from the frame examined before it) is examined where it
differs, wherever that is: the detector runs on the changed area, so text that
appears on one later frame over a moving picture is found whatever its
brightness; a line the area's edge cuts is searched across the whole width
(``_whole_lines``). Frame 0's boxes are blacked out in every frame (burned-in
annotations stay put while the picture moves); a later frame's boxes in that
frame and in the frames after it that still show its print (``_same_print``).
A frame equal to the frame examined before it gets that frame's boxes.

Boxes are shrunk to the strokes of the print (``_tighten``), grown sideways
over the strokes of text that touch them and by ``pixels.DEFAULT_MARGIN`` when
blacked out; each detected region is blacked out on its own (the gap between
two strings of a line stays). A region must be text: one that does not look like
print (a blob, a waveform, colour flow, a pen view's region) is kept only when
recognition reads a letter or digit in it (``_without_blobs``). Nothing here logs or
returns recognised text: labels are infoType names.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from pydicom.dataset import Dataset

from transforms.pixels import pixeldata as pixels
from transforms.deid_config import DeidSpec, ImageSpec
from transforms.text.detect import HEADER_TEXT, ContextValue, Detector
from transforms.text.layout import header_lines
from transforms.errors import PixelDataError, cause
from transforms.text.infotypes import DEFAULT_INFO_TYPES
from transforms.pixels.ocr import OcrEngine, Region, Word, mostly_inside
from transforms.dicom.profiles import pixel_image_spec

__all__ = ["ALL_TEXT", "CLEAN_DESCRIPTORS", "SENSITIVE", "FrameBoxes", "ImageRedactor", "RedactedBox", "needs_pixels", "redacting_image_spec", "redacts"]

ALL_TEXT = "REDACT_ALL_TEXT"
SENSITIVE = "REDACT_SENSITIVE_TEXT"
CLEAN_DESCRIPTORS = "REDACT_SENSITIVE_TEXT_CLEAN_DESCRIPTORS"
TEXT_LABEL = "TEXT"
UNREADABLE_LABEL = "UNREADABLE_TEXT"
# Sensitive modes: a region the detector scores at DETECT_SURE or more whose recognition is
# less confident than READ_SURE (mean character probability) is redacted whole (fail closed).
DETECT_SURE = 0.6
READ_SURE = 0.8
# A line narrower than NARROW_LINE times its height holds one or two glyphs (an ``L``/``R`` marker),
# too few for an identifier: it is not redacted whole when recognition is unsure of it.
NARROW_LINE = 1.6
# Later frames: the changed area (|frame - frame 0| > CHANGE_TOLERANCE in the rendering),
# padded by CHANGE_PAD, is examined.
CHANGE_TOLERANCE = 2
CHANGE_PAD = 16
# A box found on a later frame is blacked out in each frame after it that still shows its print:
# SAME_PRINT of the print's pixels within PRINT_TOLERANCE grey levels (``_same_print``).
SAME_PRINT = 0.9
PRINT_TOLERANCE = 8
# The luminance view of a colourful picture whose mean absolute Laplacian is TEXTURE_LAPLACIAN or
# more (fine grain: ~137 on the generator's textured case, 13-16 on make_corpus colour images) is
# detected with its longer side enlarged to TEXTURED_SIDE (textured case: 16 of 28 strings found
# at 512, 26 at 1024).
TEXTURED_SIDE = 1024
TEXTURE_LAPLACIAN = 40.0
# _tighten (see its docstring). Measured on generator seeds 7, 8, 101 and 57 (tuning): pixels changed
# outside text on seed 101 with REDACT_ALL_TEXT 1.69% -> 0.49%, no identifier more left readable.
INK_SHARE = 0.35
INK_MIN_CONTRAST = 24
STROKE_SE = 0.5
INK_COLOUR_TOL = 40
INK_COLOUR_SHARE = 0.2
TIGHTEN_MIN_HEIGHT = 0.25
INK_ROW_SHARE = 0.08
POLARITY_SURE = 0.2
POLARITY_SAME_ENDS = 0.25
ONE_COLOUR_SURE = 0.25
ONE_COLOUR_RATIO = 0.5
TIGHTEN_MAX_END = 0.5
STROKE_REACH = 0.35
# A box found in an ink view (pixeldata.ink_views) that lies this much inside a box already
# found is the same print.
INK_COVERED = 0.85
# _without_blobs: a region higher than BLOB_HEIGHT pixels (BLOB_SHARE of the image's height if less: a
# 60x34 organ patch on a 256-px image, generator seed 64) and less than BLOB_ASPECT times as wide is
# kept only when recognition reads a letter or digit in it at BLOB_READ confidence.
BLOB_HEIGHT = 40
BLOB_SHARE = 0.12
BLOB_ASPECT = 3
BLOB_READ = 0.6
BLOB_READ_ONE = 0.7
# ... and so is any region of a pen's view (one glyph: PEN_READ_ONE), and a region that does not look
# like print (``_suspect``): the ink one long thin stroke (CURVE_SPAN of the width, CURVE_FILL of its
# box at most: a waveform), a mixture of colours (MIXED_SHARE of the pixels colourful, two hues with
# MIXED_HUE of them each: colour flow), or higher than HIGH_SHARE of the image without a row of
# glyphs (fewer than ROW_GLYPHS strokes, or one wider than ROW_SPAN of the region: an organ).
PEN_READ_ONE = 0.9
HIGH_SHARE = 0.06
ROW_GLYPHS = 3
ROW_SPAN = 0.35
CURVE_SPAN = 0.6
CURVE_FILL = 0.3
MIXED_SHARE = 0.3
MIXED_HUE = 0.1
MIXED_CHROMA = 32
# ... and a region at least SQUAT_HEIGHT pixels high and less than SQUAT_ASPECT times as wide is
# dropped when recognition reads nothing in it (organ patches of 20-30 px on 256-px images).
SQUAT_HEIGHT = 20
SQUAT_ASPECT = 2
# Regions of one text line closer than this many line heights are read as one line.
JOIN_GAP = 2.0
# A region that ends with a label is followed by its value: up to this many line heights of the
# line after it are redacted in the sensitive modes.
LABEL_REACH = 10

_NON_ALNUM = re.compile(r"[\W_]+")
_TOKEN = re.compile(r"[^\W_]+")
# OCR look-alikes of digits, applied to words that are mostly digits.
_DIGIT_LOOKALIKES = str.maketrans({"o": "0", "q": "0", "d": "0", "l": "1", "i": "1", "|": "1", "s": "5",
                                    "b": "8", "z": "2", "g": "9", "t": "7"})
_MIN_TOKEN = 3
# A header value (or name part) of this many characters found inside a longer OCR word matches.
_MIN_CONTAINED = 4
_DIGIT_RUN = re.compile(r"\d+")
# Digits a recogniser reads in place of a label's letters (``D0B`` for ``DOB``).
_LETTER_LOOKALIKES = str.maketrans({"0": "o", "1": "i", "5": "s", "8": "b"})
# Words that end a label's value (sex, side markers, units, window/level figures).
_PLAIN_WORDS = frozenset({"female", "male", "f", "m", "l", "r", "mm", "cm", "ww", "wl", "w", "c"})
_WINDOW_LEVEL = re.compile(r"[wlc]\d{1,4}")
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


@dataclass(frozen=True)
class FrameBoxes:
    """What to black out per frame, from the found boxes (small: it travels with a streamed instance).

    Frame 0's boxes are blacked out in every frame (burned-in annotations stay
    put while the picture moves); a later frame's boxes in that frame, after
    frame 0's.
    """

    every: tuple[pixels.Box, ...] = ()
    later: tuple[tuple[int, tuple[pixels.Box, ...]], ...] = ()

    @classmethod
    def of(cls, found: Sequence[RedactedBox]) -> "FrameBoxes":
        later: dict[int, list[pixels.Box]] = {}
        for item in found:
            if item.frame:
                later.setdefault(item.frame, []).append(item.box)
        every = tuple(item.box for item in found if item.frame == 0)
        return cls(every, tuple((frame, tuple(boxes)) for frame, boxes in sorted(later.items())))

    def __bool__(self) -> bool:
        return bool(self.every or self.later)

    @cached_property
    def _later(self) -> dict[int, tuple[pixels.Box, ...]]:
        return dict(self.later)

    def for_frame(self, index: int) -> list[pixels.Box]:
        """The boxes of frame ``index`` (0-based), in the order ``by_frame`` lists them."""
        return [*self.every, *self._later.get(index, ())]

    def by_frame(self, frames: int) -> dict[int, list[pixels.Box]]:
        """Boxes per frame for ``pixeldata.redact`` (frames without a box left out)."""
        boxes = {i: list(self.every) for i in range(frames)} if self.every else {}
        for frame, extra in self.later:
            boxes.setdefault(frame, []).extend(extra)
        return boxes


class ImageRedactor:
    """Per-worker burned-in text redaction for one ``ImageConfig``.

    Parameters
    ----------
    spec : ImageSpec
        The validated image config; its mode must redact something.
    engine : OcrEngine, optional
        The OCR engine; built on first use (one per worker) when not given.
    """

    def __init__(self, spec: ImageSpec, engine=None) -> None:
        if not redacts(spec):
            raise ValueError(f"{spec.mode} redacts nothing")
        self.spec = spec
        self._engine = engine
        wanted = set(DEFAULT_INFO_TYPES) | set(spec.additional_info_types)
        self.info_types = frozenset(wanted - set(spec.exclude_info_types))

    @property
    def engine(self):
        if self._engine is None:
            self._engine = OcrEngine()
        return self._engine

    def __call__(self, ds: Dataset, context: Sequence[ContextValue] = (), kept: list | None = None) -> list[RedactedBox]:
        """Find and black out the text the mode asks for; return what was blacked out.

        ``context`` is the instance's identifier values, read from the original
        header (used in the clean-descriptors mode). ``kept``: see ``examine``.
        Instances without PixelData are returned unchanged. Raises
        ``PixelDataError`` (fail closed) when the pixel data cannot be decoded or
        written back.
        """
        if "PixelData" not in ds:
            return []
        frames = pixels.decode_frames(ds)
        found = self.examine(frames, ds, context, kept)
        if found:
            pixels.redact(ds, FrameBoxes.of(found).by_frame(frames.shape[0]))
        return found

    def examine(
        self, frames: Iterable[np.ndarray], ds: Dataset, context: Sequence[ContextValue] = (),
        kept: list | None = None,
    ) -> list[RedactedBox]:
        """Find the text the mode asks for in ``frames`` (decoded, in order); blacks out nothing.

        ``frames`` may be an iterator (``transforms.pixels.framestream`` reads a
        large instance one frame at a time): only the current frame's, frame
        0's and the previously examined frame's renderings are held. ``ds``
        gives the rendering attributes (photometric, window, LUTs). ``kept``,
        when given, receives ``(frame, box)`` for each text region found and not
        blacked out (the sensitive modes' kept text, for the review report).
        """
        matcher, fuzzy = self._matchers(context)
        found: list[RedactedBox] = []
        first: list[np.ndarray] | None = None
        previous: list[np.ndarray] | None = None
        last = 0  # the last frame examined
        carried: list[tuple[RedactedBox, np.ndarray]] = []  # boxes found on later frames, and their print
        for index, frame in enumerate(frames):
            views = pixels.render_views(frame, ds, index)
            if first is None:
                first = previous = views
                areas = [None] * len(views)
            else:
                if all(np.array_equal(v, p) for v, p in zip(views, previous)):
                    # the same picture as the frame examined before: the same text
                    found.extend([RedactedBox(index, item.box, item.label) for item in found if item.frame == last and last])
                    continue
                previous, last = views, index
                changes = [_changes(v, f) for v, f in zip(views, first)]
                areas = [_rows_of(c) for c in changes]
                if all(area is None for area in areas):
                    continue
            chosen: list[tuple[pixels.Box, str]] = []
            seen: list[pixels.Box] = []  # every region detected in this frame's views
            texts: list[pixels.Box] | None = [] if kept is not None else None  # the regions that are text
            for number, (view, area) in enumerate(zip(views, areas)):
                if index and area is None:
                    continue
                # The luminance of a strongly textured colour picture is searched at twice the size.
                side = TEXTURED_SIDE if number and views[0].ndim == 3 and _textured(view) else None
                regions = self._detect(view, area, side)
                if index:
                    regions = self._whole_lines(view, regions, area, side)
                    # frame 0's print, unchanged, was decided on frame 0
                    regions = [r for r in regions if _touches(changes[number], r)]
                seen.extend(_box(r) for r in regions)
                chosen.extend(self._choose(view, regions, matcher, fuzzy, texts=texts))
            if views[0].ndim == 2 and not (index and areas[0] is None):
                # Print with little contrast to the picture under it, seen in its pen's own views.
                # Only print the other views did not find is added: what they found was decided
                # there (read, in the sensitive modes), and their boxes hug the print better.
                for ink, area, pen in pixels.ink_views(frame, views[0]):
                    area = _overlap(area, areas[0]) if index else area
                    if area is None:
                        continue
                    regions, again = [], []
                    for r in self._detect(ink, area):
                        if index and not _touches(changes[0], r):
                            continue
                        (again if any(mostly_inside(r, q, INK_COVERED) for q in seen) else regions).append(r)
                    seen.extend(_box(r) for r in regions)
                    picked = self._choose(ink, regions, matcher, fuzzy, pen=True, texts=texts)
                    if again and self.spec.mode != ALL_TEXT:
                        # Print found before but read here at the pen's full contrast: identifiers
                        # read only here are added; the unsure reads were decided where it was found.
                        picked += self._choose(ink, again, matcher, fuzzy, unsure=False, pen=True)
                    for box, label in picked:
                        box = _hug_pen(box, pen)
                        if not any(mostly_inside(box, other, INK_COVERED) for other, _ in chosen):
                            chosen.append((box, label))
            chosen = _unique(chosen)
            if index:
                # Print found on an earlier later frame that is still there, with its decision: a
                # detection that misses it on this frame (over a moving picture) does not let it by.
                grey = views[0] if views[0].ndim == 2 else _grey(views[0])
                detected = list(chosen)
                for item, print_ in carried:
                    if not any(mostly_inside(item.box, box, INK_COVERED) for box, _ in chosen) and _same_print(grey, item.box, print_):
                        chosen.append((item.box, item.label))
                for box, label in detected:
                    if not any(mostly_inside(box, item.box, INK_COVERED) for item, _ in carried):
                        carried.append((RedactedBox(index, box, label), _crop(grey, box)))
            found.extend(RedactedBox(index, box, label) for box, label in chosen)
            if kept is not None:
                kept.extend((index, box) for box in _unique(texts)
                            if not any(mostly_inside(box, other) for other, _ in chosen))
        return found

    def _whole_lines(self, view: np.ndarray, regions: list[Region], area, side: int | None) -> list[Region]:
        """``regions`` found in ``area`` of a later frame, those cut by its left or right edge
        replaced by what a search of their rows across the whole width finds: a line of which a
        part changed (a clock's seconds, a name written over a line's start) is searched, and in
        the sensitive modes read, whole, never cut where the change ends."""
        x0, _, x1, _ = area
        columns = view.shape[1]
        out, strips = [], []
        for r in regions:
            cut = (r.x0 <= x0 + 1 and x0 > 0) or (r.x1 >= x1 - 1 and x1 < columns)
            if not cut:
                out.append(r)
            elif not any(s[1] <= r.y0 and r.y1 <= s[3] for s in strips):
                pad = max(2, (r.y1 - r.y0) // 2)
                strips.append((0, max(0, r.y0 - pad), columns, min(view.shape[0], r.y1 + pad)))
        for strip in strips:
            out.extend(r for r in self._detect(view, strip, side)
                       if not any(mostly_inside(r, q, INK_COVERED) for q in out))
        return out

    def _detect(self, view: np.ndarray, area, side: int | None = None) -> list[Region]:
        """Text regions of ``view``, or of its ``area`` (x0, y0, x1, y1) only, in ``view`` coordinates."""
        if area is None:
            return self.engine.detect(view, side)
        x0, y0, x1, y1 = area
        regions = self.engine.detect(np.ascontiguousarray(view[y0:y1, x0:x1]), side)
        return [Region(r.x0 + x0, r.y0 + y0, r.x1 + x0, r.y1 + y0, r.score) for r in regions]

    def overlays(self, ds: Dataset, context: Sequence[ContextValue] = (), groups: Sequence[int] | None = None) -> int:
        """Clear the text the mode asks for from overlay bitmaps (60xx,3000) kept in ``ds``.

        Each overlay plane is rendered (set bits white on black), examined like a
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
                raise PixelDataError(f"overlay {group:04X} could not be read ({cause(exc)})") from exc
            planes = planes.reshape((-1,) + planes.shape[-2:]).astype(np.uint8)
            changed = False
            for plane in planes:
                view = plane * 255
                chosen = self._choose(view, self._detect(view, None), matcher, fuzzy)
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

    def _choose(self, view, regions: Sequence[Region], matcher, fuzzy, unsure: bool = True,
                pen: bool = False, texts: list | None = None) -> list[tuple[pixels.Box, str]]:
        """The boxes (grown over their strokes) and labels the mode takes from one view's regions.

        ``unsure=False``: a region whose read is unsure is not redacted whole (fail closed) here;
        only the identifiers read in it are (regions another view found and decided on).
        ``pen``: ``view`` is a pen's view (``pixeldata.ink_views``), where every region is read.
        ``texts``, when given, receives the box of every region taken for text.
        """
        regions = self._without_blobs(view, regions, pen)
        if texts is not None:
            texts.extend(_box(r) for r in regions)
        if not regions:
            return []
        grey = view if view.ndim == 2 else _grey(view)
        if self.spec.mode == ALL_TEXT:
            # Each region on its own: the gap between two strings of one line stays.
            return [(_tighten(view, _box(r)), TEXT_LABEL) for r in regions]
        out = []
        joined = _join_lines(regions)
        regions = [line for line, _ in joined]
        # Each region the detector found is read alone, and a line's words are its parts' words in
        # order: a line read as one image loses the gaps between its parts (``01/30/1986AGMC``).
        reads = iter(self.engine.read(view, [part for _, parts in joined for part in parts]))
        lines = [[next(reads) for _ in parts] for _, parts in joined]
        # Layout as evidence: the header block's lines are detected fail closed (transforms.text.layout).
        header = header_lines([(r.x0, r.y0, r.x1, r.y1) for r in regions],
                              [" ".join(x.text for x in line if x.text) for line in lines], grey.shape[0])
        for number, ((region, parts), line, top) in enumerate(zip(joined, lines, header)):
            words = []
            for part, reading in zip(parts, line):
                narrow = part.x1 - part.x0 < NARROW_LINE * (part.y1 - part.y0)  # room for 1-2 glyphs
                if unsure and part.score >= DETECT_SURE and not narrow and (reading.confidence < READ_SURE or not reading.words):
                    out.append((_tighten(view, _box(part)), UNREADABLE_LABEL))
                words += [Word(w.text, w.confidence, max(w.x0, part.x0), part.y0, min(w.x1, part.x1), part.y1, number)
                          for w in reading.words]
            for box, label in _sensitive(words, matcher, fuzzy, self.info_types, "header" if top else "line"):
                grown = _grow(grey, box, line_gap=False)  # over a word's strokes, inside its region
                grown = pixels.Box(max(grown.x0, region.x0), grown.y0, min(grown.x1, region.x1), grown.y1)
                out.append((_tighten(view, grown), label))
            kind = _cue(words[-1].text) if words else None
            if kind is not None and kind in self.info_types:
                out.append((_after_label(region, regions, grey.shape[1]), kind))
        return out

    def _without_blobs(self, view, regions: Sequence[Region], pen: bool = False) -> list[Region]:
        """``regions`` less what is not print: suspect regions in which recognition reads no text.

        A region must be text to be blacked out. The detector also scores organs, sector
        edges, colour flow, waveforms and regular patterns as text (0.6-0.95). A region is a
        suspect when it does not look like a line of print (``_suspect``: tall, squat, high,
        a waveform's one long thin stroke, a mixture of colours, or any region of a pen's view,
        ``pen``); a suspect is read and kept only when recognition reads a letter or digit in
        it at ``BLOB_READ`` confidence or more (``BLOB_READ_ONE`` for one glyph,
        ``PEN_READ_ONE`` in a pen's view, where print is read at full contrast): a 64-px
        ``R`` marker and 50-px words are kept, a sector read as ``aay`` at 0.52, an ECG trace
        read as nothing and colour flow read as ``新州寒`` at 0.11 are not. The area of a tall
        region dropped is searched again alone, and the regions found there that are neither
        tall nor squat are kept (10-px print merged with an organ into one region). Regions that
        look like print are not read here (the mode reads what it needs).
        """
        limit = min(BLOB_HEIGHT, BLOB_SHARE * view.shape[0])

        def tall(r: Region) -> bool:
            return r.y1 - r.y0 > limit and r.x1 - r.x0 < BLOB_ASPECT * (r.y1 - r.y0)

        def squat(r: Region) -> bool:
            return r.y1 - r.y0 >= SQUAT_HEIGHT and r.x1 - r.x0 < SQUAT_ASPECT * (r.y1 - r.y0)

        suspects = [r for r in regions if pen or tall(r) or squat(r) or _suspect(view, r)]
        if not suspects:
            return list(regions)

        def text(reading) -> bool:
            glyphs = [c for c in reading.text if c.isalnum()]
            if len(glyphs) == 1:
                return reading.confidence >= (PEN_READ_ONE if pen else BLOB_READ_ONE)
            return bool(glyphs) and reading.confidence >= BLOB_READ

        read_as_text = {r: text(reading) for r, reading in zip(suspects, self.engine.read(view, suspects))}
        kept = [r for r in regions if read_as_text.get(r, True)]
        # A blob may hold small print the detector merged into it: its area is searched again
        # alone (enlarged to the detector's size), and the lines found there are kept.
        for blob in (r for r in suspects if tall(r) and not read_as_text[r]):
            inner = self._detect(view, (blob.x0, blob.y0, blob.x1, blob.y1))
            kept.extend(r for r in inner if not tall(r) and not squat(r))
        return kept


def _suspect(view: np.ndarray, region: Region) -> bool:
    """True when a region does not look like a line of print (``_without_blobs`` reads it).

    Its ink (the minority side of the crop's Otsu threshold) has one stroke spanning
    ``CURVE_SPAN`` of the width that fills at most ``CURVE_FILL`` of its own box (a
    waveform: glyphs are many short strokes, an underline fills its box); or, in colour,
    ``MIXED_SHARE`` of the pixels are colourful and two hues (of 12) hold ``MIXED_HUE`` of
    them each (colour flow: print is one colour); or it is higher than ``HIGH_SHARE`` of
    the image and its ink is not a row of glyphs (fewer than ``ROW_GLYPHS`` strokes, or
    one spanning ``ROW_SPAN`` of the width: an organ's patch). Print that recognition
    cannot read (upside down, an odd font) is still a row of glyphs and is not a suspect.
    """
    import cv2

    x0, y0, x1, y1 = max(0, region.x0), max(0, region.y0), region.x1, region.y1
    crop = np.ascontiguousarray(view[y0:y1, x0:x1])
    if crop.shape[0] < 4 or crop.shape[1] < 4:
        return False
    if crop.ndim == 3:
        wide = crop.astype(np.int16)
        colourful = (wide.max(axis=2) - wide.min(axis=2)) > MIXED_CHROMA
        if colourful.mean() >= MIXED_SHARE:
            hue = cv2.cvtColor(crop, cv2.COLOR_RGB2HSV)[..., 0][colourful] // 15  # 12 bins of 30 degrees
            if np.count_nonzero(np.bincount(hue, minlength=12) >= MIXED_HUE * hue.size) >= 2:
                return True
    grey = crop if crop.ndim == 2 else _grey(crop)
    _, binary = cv2.threshold(grey, 0, 1, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    ink = binary if binary.mean() < 0.5 else 1 - binary
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    strokes = stats[1:][stats[1:, 4] >= 4]
    if not len(strokes):
        return False
    x, y, w, h, area = strokes[int(np.argmax(strokes[:, 4]))]
    if w >= CURVE_SPAN * crop.shape[1] and area <= CURVE_FILL * w * h:
        return True
    high = y1 - y0 >= HIGH_SHARE * view.shape[0]
    return high and (len(strokes) < ROW_GLYPHS or w > ROW_SPAN * crop.shape[1])


def _after_label(region: Region, regions: Sequence[Region], columns: int) -> pixels.Box:
    """The rest of a line after a region that ends with a label (``DOB``, ``ID:``): fail closed.

    The detector found the label but not (all of) its value; the box runs to the end of the next
    region on the same line within ``LABEL_REACH`` line heights, else that far.
    """
    height = region.y1 - region.y0
    reach = region.x1 + LABEL_REACH * height
    right = [r for r in regions if r.x0 >= region.x1 and r.x0 <= reach
             and min(r.y1, region.y1) - max(r.y0, region.y0) >= 0.5 * min(height, r.y1 - r.y0)]
    end = min(right, key=lambda r: r.x0).x1 if right else reach
    return pixels.Box(region.x1, region.y0, min(columns, end), region.y1)


def _tighten(view: np.ndarray, box: pixels.Box) -> pixels.Box:
    """Shrink a detected box to the rows and columns that hold the glyphs' strokes.

    The detector's box is its text kernel grown back (unclip), a few pixels
    larger than the glyphs, and often reaches over anatomy, a label's edge or
    a second background. Strokes are thin: a morphological top-hat (bright
    print) or black-hat (dark print), with a square half a line high, keeps
    them and drops whatever is wider (organs, labels, the air around a body).
    Ink is where that response reaches ``INK_SHARE`` of its largest value,
    narrowed to the most common colour among those pixels (print is one
    colour; speckle and grain are not; within ``INK_COLOUR_TOL``). Rows with
    ``INK_ROW_SHARE`` of the fullest row's ink are the print's body, grown over
    strokes that touch it (descenders, commas); columns with 2+ ink pixels in
    those rows make the box.

    The polarity is the minority extreme of the box (1st/50th/99th
    percentiles, by ``POLARITY_SURE`` of the range) when the box's border
    (background) says the same. Else (texture, two backgrounds, bold print
    over a bright organ): the tighter polarity's box when the other's holds it
    and both end within ``POLARITY_SAME_ENDS`` line heights of each other; else
    the polarity whose ink is one colour when the other's is not; else both
    boxes together. A result lower than ``TIGHTEN_MIN_HEIGHT`` of the box, or
    without contrast (``INK_MIN_CONTRAST``), keeps the box; an end moved in by
    more than ``TIGHTEN_MAX_END`` line heights stays where the detector put it
    (print that fades into a bright organ is still print). The blacked-out
    margin covers the faint edges of anti-aliased glyphs.
    """
    import cv2

    rows, columns = view.shape[:2]
    x0, y0, x1, y1 = max(0, box.x0), max(0, box.y0), min(columns, box.x1), min(rows, box.y1)
    if x1 - x0 < 4 or y1 - y0 < 4:
        return box
    height = y1 - y0
    size = max(3, int(round(STROKE_SE * height)) | 1)
    px0, py0, px1, py1 = max(0, x0 - size), max(0, y0 - size), min(columns, x1 + size), min(rows, y1 + size)
    crop = np.ascontiguousarray(view[py0:py1, px0:px1])
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (size, size))
    inner = view[y0:y1, x0:x1]
    grey = inner if inner.ndim == 2 else _grey(inner)
    low, middle, high = np.percentile(grey, (1, 50, 99))
    lean = (high - middle) - (middle - low)  # glyphs are the minority of their box
    ring = float(np.median(np.concatenate([grey[0], grey[-1], grey[:, 0], grey[:, -1]])))
    agree = (lean > 0) == ((high - ring) > (ring - low))  # and the box's border is background

    def ink_box(operation) -> tuple[pixels.Box, float]:
        response = cv2.morphologyEx(crop, operation, kernel, borderType=cv2.BORDER_REPLICATE)
        if response.ndim == 3:
            response = response.max(axis=2)
        response = response[y0 - py0 : y1 - py0, x0 - px0 : x1 - px0]
        top = int(response.max())
        if top < INK_MIN_CONTRAST:
            return box, 0.0
        ink, share = _one_colour(inner, response >= INK_SHARE * top)
        per_row = ink.sum(axis=1)
        ys = np.flatnonzero(per_row >= max(2, INK_ROW_SHARE * per_row.max()))
        if not len(ys):
            return box, 0.0
        top_row, bottom_row = _strokes_beyond(ink, int(ys[0]), int(ys[-1]))
        xs = np.flatnonzero(ink[top_row : bottom_row + 1].sum(axis=0) >= 2)
        if not len(xs) or bottom_row + 1 - top_row < TIGHTEN_MIN_HEIGHT * height:
            return box, 0.0
        return pixels.Box(x0 + int(xs[0]), y0 + top_row, x0 + int(xs[-1]) + 1, y0 + bottom_row + 1), share

    (white, white_share), (black, black_share) = ink_box(cv2.MORPH_TOPHAT), ink_box(cv2.MORPH_BLACKHAT)
    tight = pixels.Box(min(white.x0, black.x0), min(white.y0, black.y0), max(white.x1, black.x1),
                       max(white.y1, black.y1))
    if agree and abs(lean) >= POLARITY_SURE * max(1.0, high - low):
        tight = white if lean > 0 else black
    else:
        # Unsure polarity (texture, two backgrounds): the tighter box when the other holds it and
        # both end where the line ends (the wrong polarity's gaps between strokes end a stroke
        # short); else what either finds.
        inner_box, outer = (white, black) if _area(white) <= _area(black) else (black, white)
        same = POLARITY_SAME_ENDS * height
        if _holds(outer, inner_box) and inner_box.x0 - outer.x0 <= same and outer.x1 - inner_box.x1 <= same:
            tight = inner_box
        elif max(white_share, black_share) >= ONE_COLOUR_SURE and min(white_share, black_share) < ONE_COLOUR_RATIO * max(white_share, black_share):
            # One polarity's ink is one colour (print), the other's is not (grain, speckle).
            tight = white if white_share > black_share else black
    # The detector's box reaches less than half a line height past the print's ends: ink found
    # further in (print fading into a bright organ) does not shorten the line.
    reach = TIGHTEN_MAX_END * height
    return pixels.Box(x0 if tight.x0 - x0 > reach else tight.x0, tight.y0,
                      x1 if x1 - tight.x1 > reach else tight.x1, tight.y1)


def _strokes_beyond(ink: np.ndarray, top: int, bottom: int) -> tuple[int, int]:
    """Rows ``top``..``bottom`` of ``ink`` grown up and down over the strokes that touch them.

    The rows with many ink pixels are the body of the print; a descender, a comma or an
    accent has few pixels per row and is kept while it touches the row before it, up to
    ``STROKE_REACH`` of the body's height.
    """
    rows = ink.shape[0]

    def touches(row: int, previous: int) -> bool:
        near = ink[previous].copy()
        near[1:] |= ink[previous][:-1]
        near[:-1] |= ink[previous][1:]
        return bool((ink[row] & near).any())

    limit = max(2, round(STROKE_REACH * (bottom + 1 - top)))
    first, last = top, bottom
    while top > 0 and first - top < limit and touches(top - 1, top):
        top -= 1
    while bottom < rows - 1 and bottom - last < limit and touches(bottom + 1, bottom):
        bottom += 1
    return top, bottom


def _area(box: pixels.Box) -> int:
    return (box.x1 - box.x0) * (box.y1 - box.y0)


def _holds(outer: pixels.Box, inner: pixels.Box) -> bool:
    return outer.x0 <= inner.x0 and outer.y0 <= inner.y0 and outer.x1 >= inner.x1 and outer.y1 >= inner.y1


def _one_colour(pixels_: np.ndarray, candidates: np.ndarray) -> tuple[np.ndarray, float]:
    """The candidate ink pixels that have the glyphs' colour (the most common colour among them),
    and their share of the candidates (0 when no colour holds ``INK_COLOUR_SHARE`` of them)."""
    colours = pixels_[candidates].astype(np.int16)
    if colours.ndim == 1:
        colours = colours[:, None]
    if len(colours) < 8:
        return candidates, 0.0
    quantised = colours // 16
    keys = quantised[:, 0] * 256 + (quantised[:, 1] * 16 + quantised[:, 2] if colours.shape[1] == 3 else 0)
    counts = np.bincount(keys)
    mode = int(counts.argmax())
    if counts[mode] < INK_COLOUR_SHARE * len(colours):
        return candidates, 0.0
    ink = colours[keys == mode].mean(axis=0)
    near = np.abs(colours - ink).max(axis=1) <= INK_COLOUR_TOL
    out = np.zeros_like(candidates)
    out[candidates] = near
    return out, float(near.mean())


def _box(region: Region) -> pixels.Box:
    return pixels.Box(region.x0, region.y0, region.x1, region.y1)


def _grey(rgb: np.ndarray) -> np.ndarray:
    red, green, blue = pixels.LUMA_WEIGHTS
    return np.clip(rgb[..., 0] * red + rgb[..., 1] * green + rgb[..., 2] * blue, 0, 255).astype(np.uint8)


def _unique(chosen):
    return list(dict.fromkeys(chosen))


def _textured(grey: np.ndarray) -> bool:
    import cv2

    return float(np.abs(cv2.Laplacian(grey, cv2.CV_32F)).mean()) >= TEXTURE_LAPLACIAN


def _changes(view: np.ndarray, first: np.ndarray) -> np.ndarray | None:
    """Where ``view`` differs from frame 0's rendering (bool), or None when nowhere."""
    diff = np.abs(view.astype(np.int16) - first.astype(np.int16))
    if diff.ndim == 3:
        diff = diff.max(axis=2)
    changed = diff > CHANGE_TOLERANCE
    return changed if changed.any() else None


def _rows_of(changed: np.ndarray | None):
    """The bounding box (x0, y0, x1, y1) of the changes, padded by ``CHANGE_PAD``, or None."""
    if changed is None:
        return None
    rows, columns = changed.shape
    ys, xs = np.flatnonzero(changed.any(axis=1)), np.flatnonzero(changed.any(axis=0))
    return (max(0, int(xs[0]) - CHANGE_PAD), max(0, int(ys[0]) - CHANGE_PAD),
            min(columns, int(xs[-1]) + 1 + CHANGE_PAD), min(rows, int(ys[-1]) + 1 + CHANGE_PAD))


def _changed_area(view: np.ndarray, first: np.ndarray):
    """Where ``view`` differs from frame 0's (``_rows_of``), or None."""
    return _rows_of(_changes(view, first))


def _touches(changed: np.ndarray | None, region: Region) -> bool:
    """True when a region of a later frame holds a changed pixel (else it is frame 0's print)."""
    return changed is not None and bool(changed[max(0, region.y0) : region.y1, max(0, region.x0) : region.x1].any())


def _crop(grey: np.ndarray, box: pixels.Box) -> np.ndarray:
    return grey[max(0, box.y0) : max(0, box.y1), max(0, box.x0) : max(0, box.x1)].copy()


def _same_print(grey: np.ndarray, box: pixels.Box, print_: np.ndarray) -> bool:
    """True when ``grey`` still shows, inside ``box``, the print ``print_`` was taken from.

    The print is the minority extreme of ``print_`` (its brightest tenth for bright print,
    its darkest for dark); ``SAME_PRINT`` of those pixels must be within ``PRINT_TOLERANCE``
    grey levels of what they were (the picture around the glyphs may move).
    """
    now = _crop(grey, box)
    if now.shape != print_.shape or print_.size < 16:
        return False
    low, middle, high = np.percentile(print_, (10, 50, 90))
    glyphs = print_ >= high if high - middle >= middle - low else print_ <= low
    if np.count_nonzero(glyphs) < 8 or high - low < INK_MIN_CONTRAST:
        return False
    close = np.abs(now[glyphs].astype(np.int16) - print_[glyphs].astype(np.int16)) <= PRINT_TOLERANCE
    return float(close.mean()) >= SAME_PRINT


def _hug_pen(box: pixels.Box, pen: np.ndarray) -> pixels.Box:
    """``box`` shrunk to the pen's pixels inside it (``box`` when it holds none)."""
    inside = pen[box.y0 : box.y1, box.x0 : box.x1]
    rows, columns = np.flatnonzero(inside.any(axis=1)), np.flatnonzero(inside.any(axis=0))
    if not rows.size:
        return box
    return pixels.Box(box.x0 + int(columns[0]), box.y0 + int(rows[0]), box.x0 + int(columns[-1]) + 1, box.y0 + int(rows[-1]) + 1)


def _overlap(a, b):
    """The overlap of two areas (x0, y0, x1, y1), or None."""
    x0, y0, x1, y1 = max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])
    return (x0, y0, x1, y1) if x0 < x1 and y0 < y1 else None


def _join_lines(regions: Sequence[Region]) -> list[tuple[Region, list[Region]]]:
    """Join regions of one text line (overlapping rows, a gap under ``JOIN_GAP`` heights) into one.

    A detector splits a line at wide word gaps (``DOB:`` and the date); the
    sensitive modes read a label and its value together. Returns each line
    with the regions it was joined from (what is blacked out when the whole
    line is, so the gaps between them stay).
    """
    pending = sorted(regions, key=lambda r: (r.x0, r.y0))
    out: list[tuple[Region, list[Region]]] = []
    for region in pending:
        for i, (line, parts) in enumerate(out):
            height = max(line.y1 - line.y0, region.y1 - region.y0)
            overlap = min(line.y1, region.y1) - max(line.y0, region.y0)
            gap = region.x0 - line.x1
            if overlap >= 0.6 * min(line.y1 - line.y0, region.y1 - region.y0) and gap <= JOIN_GAP * height:
                out[i] = (Region(min(line.x0, region.x0), min(line.y0, region.y0), max(line.x1, region.x1),
                                 max(line.y1, region.y1), max(line.score, region.score)), parts + [region])
                break
        else:
            out.append((region, [region]))
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


def _sensitive(words, matcher, fuzzy, info_types, layout: str = "line") -> list[tuple[pixels.Box, str]]:
    out: list[tuple[pixels.Box, str]] = []
    for line in _lines(words).values():
        starts = []
        position = 0
        for word in line:
            starts.append(position)
            position += len(word.text) + 1
        text = " ".join(w.text for w in line)
        runs = []
        for finding in matcher.detect(text, info_types=info_types, layout=layout):
            covered = [i for i, s in enumerate(starts) if s < finding.end and s + len(line[i].text) > finding.start]
            if covered:
                runs.append((covered[0], covered[-1] + 1, finding.info_type))
        runs.extend(_cued(line))
        if fuzzy is not None:
            runs.extend(fuzzy.matches(line))
        for first, last, kind in runs:
            if kind in info_types or kind == HEADER_TEXT:
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
                    first, last = i, i + k
                    # The fewest words that still match: ``5 mm QUINTERO`` holds ``quintero``.
                    while last - first > 1 and self._match("".join(norms[first + 1 : last])) == kind:
                        first += 1
                    while last - first > 1 and self._match("".join(norms[first : last - 1])) == kind:
                        last -= 1
                    out.append((first, last, kind))
                    if first == i:
                        break  # else the words dropped in front may match by themselves
        return out

    def _match(self, run: str) -> str | None:
        kind = self.values.get(run)
        if kind is not None:
            return kind
        digits = sum(c.isdigit() for c in run)
        numbers = [n for n in _DIGIT_RUN.findall(run) if len(n) >= 5]
        for value, kind in self.values.items():
            if len(run) >= 5 and digits == len(run) and run in value:
                return kind
            # Words run together by the recogniser (``RASHIDDELACROIX``, ``ACCA1827254``) hold the
            # value; a run of 5+ digits inside a word that is part of the value is a truncated read.
            if len(value) >= _MIN_CONTAINED and len(run) > len(value) and value in run:
                return kind
            if any(n in value for n in numbers):
                return kind
            if len(value) >= 5 and len(run) > len(value) + 2 and _window_ratio(value, run) >= 0.8:
                return kind  # the value, misread by a character or two, inside a longer word
            if len(value) < 5 or abs(len(value) - len(run)) > max(2, len(value) // 4):
                continue
            limit = 0.75 if len(value) >= 8 else 0.8
            matcher = difflib.SequenceMatcher(None, run, value, autojunk=False)
            if matcher.real_quick_ratio() >= limit and matcher.quick_ratio() >= limit and matcher.ratio() >= limit:
                return kind
        return None


def _window_ratio(value: str, run: str) -> float:
    """The best similarity of ``value`` to a window of ``run`` as long as it (as score.py reads)."""
    size = len(value)
    best = 0.0
    for start in range(len(run) - size + 1):
        matcher = difflib.SequenceMatcher(None, value, run[start : start + size], autojunk=False)
        if matcher.quick_ratio() > best:
            best = max(best, matcher.ratio())
    return best


def _normalize(text: str) -> str:
    """Lower-case letters and digits only; digit look-alikes mapped back in mostly-digit words."""
    text = _NON_ALNUM.sub("", text).lower()
    if text and sum(c.isdigit() for c in text) * 2 >= len(text):
        text = text.translate(_DIGIT_LOOKALIKES)
    return text


def _cue(text: str) -> str | None:
    """The infoType a label word (``ID:``, ``DOB``, ``D0B``, ``Name``) announces, or None."""
    word = _NON_ALNUM.sub("", text).lower()
    return _CUES.get(word) or _CUES.get(word.translate(_LETTER_LOOKALIKES))


def _glued_cue(text: str) -> str | None:
    """The infoType of a label read together with its value (``ACCA7768``, ``ID37905560``), or None.

    The word starts with a label and the rest holds 3+ digits.
    """
    word = _NON_ALNUM.sub("", text).lower()
    for size in (3, 2):
        head, rest = word[:size], word[size:]
        kind = _CUES.get(head) or _CUES.get(head.translate(_LETTER_LOOKALIKES))
        if kind is not None and sum(c.isdigit() for c in rest) >= 3:
            return kind
    return None


def _ends_value(kind: str, text: str) -> bool:
    """True when a word after a label's value is not part of it.

    Non-identifying annotations (``Female``, ``L``/``R``, ``mm``, ``W:400``, ``L:40``) end
    every value; a word without digits ends an ID (``ID: 80241736 Female``).
    """
    word = _NON_ALNUM.sub("", text).lower()
    if word in _PLAIN_WORDS or _WINDOW_LEVEL.fullmatch(word):
        return True
    return kind == "MEDICAL_RECORD_NUMBER" and not any(c.isdigit() for c in word)


def _cued(line: Sequence[Word]) -> list[tuple[int, int, str]]:
    """Runs of words that follow a label such as ``ID:``, ``DOB`` or ``Name:`` on their line."""
    out = []
    for i, word in enumerate(line):
        kind = _glued_cue(word.text)
        if kind is not None:
            out.append((i, i + 1, kind))
    i = 0
    while i < len(line):
        kind = _cue(line[i].text)
        if kind is None or i + 1 >= len(line):
            i += 1
            continue
        j = i + 1
        while j < len(line) and _cue(line[j].text) is None and not (j > i + 1 and _ends_value(kind, line[j].text)):
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

