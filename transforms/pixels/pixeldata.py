"""Pixel data for burned-in text redaction (spec section 6): decode, render, black out.

This module owns the pixel half of ``cleanImageTag``: it decodes every frame
with pydicom's ``pydicom.pixels`` backend, renders a frame as an 8-bit grey
image for OCR, and fills boxes with black in the *original* stored values,
then writes PixelData back. The OCR itself (``text.py``) is not here.

How PixelData is written back depends on the transfer syntax:

* native (Implicit/Explicit VR Little Endian, Explicit VR Big Endian,
  Deflated): the boxes are written straight into a copy of the stored bytes,
  so the transfer syntax, BitsAllocated, PixelRepresentation,
  PlanarConfiguration, PhotometricInterpretation and byte order stay as they
  were and only the bytes of blacked-out pixels differ;
* RLE Lossless: the frames that changed are re-encoded with pydicom's own RLE
  encoder (the other frames keep their original fragments);
* every other encapsulated syntax (JPEG, JPEG-LS, JPEG 2000, HTJ2K): the image
  is decoded (YBR colour to RGB) and written in the syntax ``reencoding``
  picks: JPEG-LS Lossless for JPEG-LS, JPEG 2000 Lossless for the others (a
  lossless source keeps its syntax, and its unchanged frames their
  fragments; a lossy one is never coded lossy again), Explicit VR Little
  Endian where the encoder does not take the image; LossyImageCompression is
  set to ``01`` when the source was lossy.

Every write is checked by decoding the result again; on any failure the
dataset is left as it was and ``PixelDataError`` is raised (fail closed). No
message names a pixel value.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from pydicom.dataelem import DataElement
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.encaps import encapsulate, encapsulate_extended, generate_frames
from pydicom.pixels import apply_color_lut, apply_modality_lut, get_decoder, get_encoder
from pydicom.pixels.encoders.base import ENCODING_PROFILES
from pydicom.pixels.utils import as_pixel_options
from pydicom.uid import (
    UID,
    ExplicitVRLittleEndian,
    JPEG2000Lossless,
    JPEGLSLossless,
    JPEGLSNearLossless,
    RLELossless,
)

from transforms.errors import PixelDataError, cause

__all__ = [
    "Box",
    "frame_count",
    "decode_frames",
    "frame_dataset",
    "decode_frame",
    "frame_changes",
    "Reencoding",
    "reencoding",
    "encapsulated_changes",
    "values_fit",
    "reencode_frame",
    "redact_frame",
    "render_for_ocr",
    "render_views",
    "frame_header",
    "ink_views",
    "redact",
]

# Rec. 601 luma weights, as Pillow's "L" conversion uses.
LUMA_WEIGHTS = (0.299, 0.587, 0.114)
DEFAULT_MARGIN = 2
# render_views: a windowed rendering with more of its pixels at white also gets a full-range one.
CLIPPED_SHARE = 0.005
# render_views: a colour rendering with more than this share of pixels this far from grey also
# gets a luminance rendering.
COLOURFUL_SHARE = 0.25
COLOURFUL_CHROMA = 32
# ink_views: a stored value is an ink when at least INK_MIN_PIXELS pixels hold it, at least
# INK_SPIKE times as many as the values 3-12 above or below it hold on average, and more than
# them by INK_SIGMAS times the square root of that average (its count's noise) plus 10 (the pen
# of burned-in text is one value; a picture's values are spread). At most INK_SPIKES inks (the
# largest excesses) per frame are looked at.
INK_MIN_PIXELS = 40
INK_SPIKE = 2.5
INK_SIGMAS = 8.0
# A value held by more than INK_MAX_SHARE of the frame is its background (air clipped to the
# lowest value, the padding outside a CT's circle), not a pen.
INK_MAX_SHARE = 0.12
INK_MAX_RANGE = 1 << 16
# A frame holding fewer than INK_MIN_VALUES distinct stored values is a graphic, not a picture.
INK_MIN_VALUES = 64
INK_SPIKES = 4
# ... it gets a view of its own where at least INK_MIN_HIDDEN of its pixels, each with 2 or more
# of the same ink next to it (strokes, not scattered noise), are within INK_CONTRAST grey levels
# of the other pixels around them (INK_AROUND px square) in the rendering: print a detector
# hardly sees over a picture as bright (or dark) as the ink.
INK_MIN_HIDDEN = 25
INK_CONTRAST = 48
# ... and (stored values) at least INK_MIN_STEP of the frame's value range from them (air whose
# noise is clipped at the lowest value, black around black in any window, is no print).
INK_MIN_STEP = 0.01
INK_STROKE = 5
INK_AROUND = 7
INK_PAD = 24
# ... and that view is the ink's estimated share of each pixel: the frame smoothed (Gaussian,
# INK_SMOOTH px) against the mean of the non-ink pixels around (INK_WINDOW px square).
INK_SMOOTH = 0.8
INK_WINDOW = 15

MONOCHROME1 = "MONOCHROME1"
MONOCHROME2 = "MONOCHROME2"
PALETTE_COLOR = "PALETTE COLOR"
RGB = "RGB"
YBR_FULL = "YBR_FULL"
YBR_FULL_422 = "YBR_FULL_422"
YBR_RCT = "YBR_RCT"

# Encapsulated syntaxes that never lose information.
_LOSSLESS_SYNTAXES = frozenset(
    {
        "1.2.840.10008.1.2.5",  # RLE Lossless
        "1.2.840.10008.1.2.4.57",  # JPEG Lossless (Process 14)
        "1.2.840.10008.1.2.4.70",  # JPEG Lossless SV1
        "1.2.840.10008.1.2.4.80",  # JPEG-LS Lossless
        "1.2.840.10008.1.2.4.90",  # JPEG 2000 Lossless Only
        "1.2.840.10008.1.2.4.92",  # JPEG 2000 Part 2 Multi-component Lossless Only
        "1.2.840.10008.1.2.4.110",  # JPEG XL Lossless
        "1.2.840.10008.1.2.4.201",  # HTJ2K Lossless
        "1.2.840.10008.1.2.4.202",  # HTJ2K Lossless RPCL
    }
)
# Encapsulated syntaxes that may be lossless or lossy: trusted only when the
# header says LossyImageCompression "00".
_MAYBE_LOSSY_SYNTAXES = frozenset(
    {
        "1.2.840.10008.1.2.4.91",  # JPEG 2000
        "1.2.840.10008.1.2.4.93",  # JPEG 2000 Part 2 Multi-component
        "1.2.840.10008.1.2.4.112",  # JPEG XL
        "1.2.840.10008.1.2.4.203",  # HTJ2K
    }
)
# The one plugin that encodes each output syntax of redacted encapsulated images (one plugin: the
# same bytes on every worker); openjpeg encodes 1 to 24 bits per sample, and with the 6
# decomposition levels pydicom's plugin asks for, images of 32 rows and columns or more.
_ENCODING_PLUGIN = {JPEG2000Lossless: "pylibjpeg", JPEGLSLossless: "pyjpegls"}
_OPENJPEG_MAX_BITS = 24
_OPENJPEG_MIN_SIDE = 32
# Encapsulated frames whose items reach past this many bytes get an Extended Offset Table (a
# Basic Offset Table holds 32-bit offsets).
BOT_LIMIT = 2**32 - 1
_ITEM = b"\xfe\xff\x00\xe0"
# Elements that redaction of encapsulated pixel data may replace or remove.
_REWRITTEN = (
    "PixelData",
    "BitsAllocated",
    "PixelRepresentation",
    "PhotometricInterpretation",
    "PlanarConfiguration",
    "LossyImageCompression",
    "ExtendedOffsetTable",
    "ExtendedOffsetTableLengths",
)

_Rect = tuple[slice, slice]


@dataclass(frozen=True)
class Box:
    """A region to black out, in pixel coordinates of one frame: x1 and y1 exclusive.

    Parameters
    ----------
    x0, y0 : int
        Column and row of the top-left pixel (inclusive).
    x1, y1 : int
        Column and row just past the bottom-right pixel (exclusive). Boxes may
        reach outside the image; ``redact`` clips them.

    Raises
    ------
    ValueError
        If ``x1 < x0`` or ``y1 < y0``.
    """

    x0: int
    y0: int
    x1: int
    y1: int

    def __post_init__(self) -> None:
        if self.x1 < self.x0 or self.y1 < self.y0:
            raise ValueError("a Box needs x0 <= x1 and y0 <= y1")


def frame_count(ds: Dataset) -> int:
    """Return the number of frames in ``ds`` (1 when NumberOfFrames is absent, empty or 0).

    Parameters
    ----------
    ds : Dataset
        An image instance.

    Returns
    -------
    int
        The number of frames, at least 1.

    Raises
    ------
    PixelDataError
        If NumberOfFrames is not a non-negative integer.
    """
    try:
        value = ds.get("NumberOfFrames")
    except (TypeError, ValueError):
        raise PixelDataError("NumberOfFrames is not an integer") from None
    if value is None or value == "":
        return 1
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise PixelDataError("NumberOfFrames is not an integer") from None
    if number < 0:
        raise PixelDataError("NumberOfFrames is negative")
    return max(number, 1)


def decode_frames(ds: Dataset) -> np.ndarray:
    """Return all frames of ``ds`` in stored values (no rescale, no window).

    Decoding is what ``ds.pixel_array`` does with its default options
    (pydicom 3 ``pydicom.pixels`` plugins: numpy for native and RLE Lossless;
    pylibjpeg or Pillow for JPEG, JPEG 2000 and JPEG-LS). YBR_FULL and
    YBR_FULL_422 data (native or JPEG) and JPEG 2000 YBR_ICT/YBR_RCT come back
    as RGB, which is pydicom's default colour conversion. Big endian data are
    returned in native byte order.

    Parameters
    ----------
    ds : Dataset
        An image instance with file meta (for its TransferSyntaxUID).

    Returns
    -------
    numpy.ndarray
        Shaped (frames, rows, columns) for one sample per pixel, or
        (frames, rows, columns, samples) for colour, even for one frame.

    Raises
    ------
    PixelDataError
        If the instance has no PixelData, an incomplete image pixel module, or
        a transfer syntax that no installed plugin can decode (the message names
        the transfer syntax), or if decoding fails.
    """
    return _decode(ds, as_rgb=True)[0]



def _palette_rgb(frame: np.ndarray, ds: Dataset) -> tuple[np.ndarray, float]:
    """A palette colour frame through its lookup tables, and the tables' top value."""
    try:
        rgb = np.asarray(apply_color_lut(frame, ds))[..., :3]
    except Exception as exc:  # malformed tables raise many types
        raise PixelDataError(
            f"the palette colour lookup tables could not be applied ({cause(exc)})"
        ) from exc
    # Some 16-bit tables hold 8-bit entries.
    return rgb, (255.0 if rgb.size == 0 or rgb.max() <= 255 else 65535.0)

def render_for_ocr(frame: np.ndarray, ds: Dataset) -> np.ndarray:
    """Return an 8-bit grey rendering of one frame for OCR.

    Grey frames go through the Modality LUT (RescaleSlope/RescaleIntercept or
    ModalityLUTSequence), then the VOI window (first WindowCenter/WindowWidth
    value, VOILUTFunction LINEAR, LINEAR_EXACT or SIGMOID) when present, else a
    min-max stretch; MONOCHROME1 is inverted so that it looks like
    MONOCHROME2. PALETTE COLOR goes through its lookup tables and colour
    (RGB, including YBR decoded to RGB) is converted to luminance. Nothing
    else is inverted: burned-in text is often bright on dark and the OCR side
    handles polarity.

    Parameters
    ----------
    frame : numpy.ndarray
        One frame as returned by ``decode_frames(ds)[i]``: (rows, columns) or
        (rows, columns, 3).
    ds : Dataset
        The instance the frame belongs to (for its photometric, LUT and
        window attributes).

    Returns
    -------
    numpy.ndarray
        ``uint8`` array shaped (rows, columns).

    Raises
    ------
    ValueError
        If ``frame`` has neither of the shapes above.
    PixelDataError
        If the palette colour lookup tables cannot be applied.
    """
    frame = np.asarray(frame)
    if frame.ndim == 3:
        if frame.shape[-1] != 3:
            raise ValueError("a colour frame must have 3 samples per pixel")
        top = float(2 ** _bits_stored(ds, frame.dtype) - 1)
        return _to_uint8(_luminance(frame) / top)
    if frame.ndim != 2:
        raise ValueError("a frame must be shaped (rows, columns) or (rows, columns, 3)")
    photometric = _photometric(ds)
    if photometric == PALETTE_COLOR:
        rgb, top = _palette_rgb(frame, ds)
        return _to_uint8(_luminance(rgb) / top)
    values = _modality(frame, ds)
    window = _window(ds)
    scaled = _apply_window(values, *window) if window else _stretch(values)
    if photometric == MONOCHROME1:
        scaled = 1.0 - scaled
    return _to_uint8(scaled)


def frame_header(ds: Dataset, index: int) -> Dataset:
    """``ds``, or for an enhanced multi-frame image (functional groups) a shallow copy whose top
    level holds frame ``index``'s Pixel Value Transformation and Frame VOI LUT (rescale, window),
    the per-frame group's over the shared one's, so that each frame renders with its own."""
    groups = []
    for keyword, item in (("SharedFunctionalGroupsSequence", 0), ("PerFrameFunctionalGroupsSequence", index)):
        try:
            sequence = ds.get(keyword)
            if sequence is not None and 0 <= item < len(sequence):
                groups.append(sequence[item])
        except Exception:  # a malformed sequence: render with the top level (rendering needs contrast only)
            continue
    values = {}
    for group in groups:
        for macro, keywords in _FRAME_RENDERING.items():
            try:
                items = group.get(macro)
                if items:
                    values.update({k: items[0][k] for k in keywords if k in items[0]})
            except Exception:
                continue
    if not values:
        return ds
    out = Dataset(dict(ds._dict))
    if hasattr(ds, "file_meta"):
        out.file_meta = ds.file_meta
    for keyword, element in values.items():
        out[keyword] = element
    return out


_FRAME_RENDERING = {
    "PixelValueTransformationSequence": ("RescaleSlope", "RescaleIntercept"),
    "FrameVOILUTSequence": ("WindowCenter", "WindowWidth", "VOILUTFunction"),
}


def render_views(frame: np.ndarray, ds: Dataset, index: int = 0) -> list[np.ndarray]:
    """Return the 8-bit renderings of one frame that a text detector looks at.

    Colour frames (RGB, YBR decoded to RGB, palette colour through its tables)
    give an RGB rendering (rows, columns, 3), where a detector sees text of any
    colour (a luminance rendering can make yellow print on grey speckle
    vanish); a colourful picture (more than ``COLOURFUL_SHARE`` of its pixels
    with a chroma over ``COLOURFUL_CHROMA``) also gets its luminance, where
    print over a strongly coloured texture is found better (measured on
    bench/burnedin_cases.py ``textured``). Grey frames give ``render_for_ocr``
    (VOI window when present, MONOCHROME1 inverted); when that window clips
    more than ``CLIPPED_SHARE`` of the pixels to white and the frame holds
    stored values at the white end of its stored range (where burned-in text
    is written), a min-max stretch of the whole range is added, so that text
    stored beyond the window (white print over bone on a soft-tissue window)
    is still seen. ``index`` is the frame's: an enhanced multi-frame image's
    frames render with their own rescale and window (``frame_header``).
    """
    frame = np.asarray(frame)
    if frame.ndim == 3:
        if frame.shape[-1] != 3:
            raise ValueError("a colour frame must have 3 samples per pixel")
        top = float(2 ** _bits_stored(ds, frame.dtype) - 1)
        return _colour_views(frame, top)
    ds = frame_header(ds, index)
    photometric = _photometric(ds)
    if photometric == PALETTE_COLOR:
        rgb, top = _palette_rgb(frame, ds)
        return _colour_views(rgb, top)
    views = [render_for_ocr(frame, ds)]
    if _window(ds) is not None and frame.size:
        first = views[0]
        bits = _bits_stored(ds, frame.dtype)
        signed = frame.dtype.kind == "i"
        low, high = (-(2 ** (bits - 1)), 2 ** (bits - 1) - 1) if signed else (0, 2**bits - 1)
        near = (high - low) // 100
        white_end = (frame.min() <= low + near) if photometric == MONOCHROME1 else (frame.max() >= high - near)
        clipped = np.count_nonzero(first == 255) > CLIPPED_SHARE * first.size
        if white_end and clipped:
            scaled = _stretch(_modality(frame, ds))
            if photometric == MONOCHROME1:
                scaled = 1.0 - scaled
            views.append(_to_uint8(scaled))
    return views


def ink_views(
    frame: np.ndarray, view: np.ndarray
) -> list[tuple[np.ndarray, tuple[int, int, int, int], np.ndarray]]:
    """Return renderings of the print of one grey frame that its rendering ``view`` hides.

    Burned-in text is drawn with one pen value; a picture's values are
    spread. Each stored value held by markedly more pixels than its
    neighbouring values (a histogram spike, ``INK_SPIKE``, ``INK_SIGMAS``) is an ink; where
    its strokes are hardly darker or brighter than the picture around them in
    ``view`` (light print over bright anatomy, white print over bone on a
    full-range window: under ``INK_CONTRAST`` grey levels) while their stored
    values differ from it (``INK_MIN_STEP`` of the range), the ink gets a
    view of its own: how much of each pixel is that ink, white on black, which a detector reads at
    full contrast whatever the picture under it (``_coverage_view``). Returns (view, area, pen)
    triples, ``area`` (x0, y0, x1, y1) the rows of the hidden strokes (padded by
    ``INK_PAD``), whole: the part of the view to search; ``pen`` the pixels
    holding the pen's value (bool), where boxes found in the view are shrunk to. Colour and non-integer
    frames give none; so does print that ``view`` shows clearly.
    """
    import cv2

    frame = np.asarray(frame)
    if frame.ndim != 2 or frame.dtype.kind not in "iu" or not frame.size:
        return []
    low, high = int(frame.min()), int(frame.max())
    if high - low < 32 or high - low > INK_MAX_RANGE:
        # A few values only (bitmaps, labels): nothing to tell ink from picture by; or a range
        # (32-bit values) whose histogram would cost more than the frame.
        return []
    if frame.dtype.kind == "u":
        counts = np.bincount(frame.ravel())[low:]
    else:
        counts = np.bincount((frame.astype(np.int64) - low).ravel())
    if np.count_nonzero(counts) < INK_MIN_VALUES:
        # A graphic (a test pattern, a bitmap of few grey levels): every value is a spike, and
        # the rendering shows each exactly, so print in it is not hidden.
        return []
    padded = np.concatenate([np.zeros(13), counts, np.zeros(13)])
    cum = np.concatenate([[0.0], np.cumsum(padded)])
    index = np.arange(counts.size) + 13
    below = (cum[index - 2] - cum[index - 12]) / 10.0  # mean count of values v-12 .. v-3
    above = (cum[index + 13] - cum[index + 3]) / 10.0  # mean count of values v+3 .. v+12
    baseline = np.maximum(below, above)
    excess = counts - baseline
    spikes = np.flatnonzero(
        (counts >= INK_MIN_PIXELS) & (counts >= INK_SPIKE * baseline) & (excess >= INK_SIGMAS * np.sqrt(baseline) + 10)
        & (counts <= INK_MAX_SHARE * frame.size)
    )
    spikes = spikes[np.argsort(-excess[spikes], kind="stable")][:INK_SPIKES]
    step = INK_MIN_STEP * (high - low)
    rows, columns = frame.shape
    out = []
    for value in spikes:
        pen = int(value) + low
        ink = frame == pen
        mask = ink.view(np.uint8)
        # Strokes: a pixel of the value with 2 or more of it next to it (not scattered grain)...
        strokes = ink & (cv2.boxFilter(mask, -1, (3, 3), normalize=False, borderType=cv2.BORDER_CONSTANT) >= 3)
        if np.count_nonzero(strokes) < INK_MIN_HIDDEN:
            continue
        # ... and not part of an area of the value (a label, a mask): strokes are thinner than
        # INK_STROKE pixels, so a morphological opening removes them.
        strokes &= cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((INK_STROKE, INK_STROKE), np.uint8)) == 0
        band = np.flatnonzero(strokes.any(axis=1))
        if band.size == 0 or np.count_nonzero(strokes) < INK_MIN_HIDDEN:
            continue
        # Only the rows of the strokes (and what is around them) are looked at from here on.
        top, bottom = max(0, int(band[0]) - INK_AROUND), min(rows, int(band[-1]) + 1 + INK_AROUND)
        rendered = view[top:bottom].astype(np.float32)
        other = (~ink[top:bottom]).astype(np.float32)
        weight = cv2.blur(other, (INK_AROUND, INK_AROUND))
        safe = np.maximum(weight, 1e-6)
        around = cv2.blur(rendered * other, (INK_AROUND, INK_AROUND)) / safe
        around_stored = cv2.blur(frame[top:bottom].astype(np.float32) * other, (INK_AROUND, INK_AROUND)) / safe
        # Hidden by the rendering, not by the values: print stored as what is around it is no print.
        hidden = (strokes[top:bottom] & (weight > 0.15) & (np.abs(rendered - around) < INK_CONTRAST)
                  & (np.abs(pen - around_stored) >= step))
        if np.count_nonzero(hidden) < INK_MIN_HIDDEN:
            continue
        ys = np.flatnonzero(hidden.any(axis=1)) + top
        # Whole rows: a line of print runs on beyond the part of it that is hidden.
        area = (0, max(0, int(ys[0]) - INK_PAD), columns, min(rows, int(ys[-1]) + 1 + INK_PAD))
        strokes_only = np.zeros((rows, columns), np.uint8)
        strokes_only[area[1] : area[3]] = ink[area[1] : area[3]] * np.uint8(255)
        out.append((strokes_only, area, ink))
        out.append((_coverage_view(frame, ink, pen, area), area, ink))
    return out


def _coverage_view(frame: np.ndarray, ink: np.ndarray, value: int, area) -> np.ndarray:
    """How much of each pixel of ``area`` is ``value``'s ink, 0 (the picture around) to 255 (all ink).

    A pixel's estimated ink coverage is (smoothed value - local picture) /
    (ink - local picture), the local picture being the mean of the pixels
    around it (``INK_WINDOW`` square) that are not ink: antialiased edges of
    the print get their share, the picture's grain is smoothed
    (``INK_SMOOTH``) and flat picture is 0 whether bright or dark. Outside
    ``area`` the view is 0.
    """
    import cv2

    x0, y0, x1, y1 = area
    rows, columns = frame.shape
    pad = INK_WINDOW
    top, bottom = max(0, y0 - pad), min(rows, y1 + pad)
    values = frame[top:bottom].astype(np.float32)
    other = (~ink[top:bottom]).astype(np.float32)
    weight = cv2.blur(other, (INK_WINDOW, INK_WINDOW))
    picture = cv2.blur(values * other, (INK_WINDOW, INK_WINDOW)) / np.maximum(weight, 1e-6)
    smooth = cv2.GaussianBlur(values, (0, 0), INK_SMOOTH)
    span = float(value) - picture
    span = np.where(np.abs(span) < 1.0, np.where(span < 0, -1.0, 1.0), span)
    share = np.clip((smooth - picture) / span, 0.0, 1.0)
    out = np.zeros((rows, columns), np.uint8)
    out[y0:y1, x0:x1] = np.round(share[y0 - top : y1 - top, x0:x1] * 255.0).astype(np.uint8)
    return out


def _colour_views(rgb: np.ndarray, top: float) -> list[np.ndarray]:
    view = _to_uint8(rgb.astype(np.float64) / top)
    sample = view[::4, ::4].astype(np.int16)
    chroma = sample.max(axis=2) - sample.min(axis=2)
    if np.count_nonzero(chroma > COLOURFUL_CHROMA) > COLOURFUL_SHARE * chroma.size:
        return [view, _to_uint8(_luminance(view) / 255.0)]
    return [view]


def redact(ds: Dataset, boxes: Mapping[int, Sequence[Box]], margin: int = DEFAULT_MARGIN) -> int:
    """Black out boxes in the original pixel values of ``ds`` and write PixelData back.

    Each box is grown by ``margin`` on every side and clipped to the image;
    for native YBR_FULL_422 it is also widened to whole chroma pairs (even
    columns), so that no half-black pair is left. Every sample of every
    covered pixel is set to black (spec section 6):

    * MONOCHROME2: the minimum stored value of that frame;
    * MONOCHROME1: the maximum stored value of that frame;
    * RGB: 0 in every sample; YBR_FULL/YBR_FULL_422 kept as YBR (native, RLE):
      Y 0 and Cb, Cr at mid-range, which decodes to RGB 0; YBR decoded from JPEG
      and written as RGB: 0 in every sample;
    * PALETTE COLOR: the index whose lookup table colour has the lowest
      luminance.

    Signed values are written in two's complement over BitsAllocated. When
    ``boxes`` holds no box, or no covered pixel differs from black, PixelData
    and the transfer syntax are not touched at all.

    Parameters
    ----------
    ds : Dataset
        The instance, changed in place.
    boxes : Mapping[int, Sequence[Box]]
        Boxes per 0-based frame index.
    margin : int, optional
        Pixels added on every side of each box.

    Returns
    -------
    int
        The number of pixels (frame, row, column positions, summed over frames)
        whose value changed.

    Raises
    ------
    ValueError
        If ``margin`` is negative or a frame index is outside the instance.
    PixelDataError
        If the pixel data cannot be decoded, blacked out or re-encoded. The
        dataset is then left unchanged.
    """
    wanted = {frame: list(found) for frame, found in boxes.items() if found}
    if not wanted:
        return 0
    if margin < 0:
        raise ValueError("margin must not be negative")
    frames = frame_count(ds)
    rows, columns, samples = _geometry(ds)
    for frame in wanted:
        if not 0 <= frame < frames:
            raise ValueError(f"frame index {frame} is outside the instance's {frames} frame(s)")
    syntax = _transfer_syntax(ds)
    native = syntax.is_transfer_syntax and not syntax.is_private and not syntax.is_compressed
    photometric = _photometric(ds)
    rects = _rects(wanted, margin, rows, columns, pairs=native and photometric == YBR_FULL_422)
    if native:
        return _redact_native(ds, syntax, rects, photometric, samples)
    if syntax == RLELossless and _rle_encodable(ds, photometric, samples):
        return _redact_rle(ds, syntax, rects, photometric, frames)
    return _redact_reencoded(ds, syntax, rects, frames)


# --- one native frame at a time (transforms.pixels.framestream) ---------------------------------


def frame_dataset(ds: Dataset) -> Dataset:
    """A one-frame copy of the header ``ds`` (no PixelData) for ``decode_frame`` and ``redact_frame``.

    The copy is shallow (the elements and the file meta are shared, not
    copied) and declares NumberOfFrames 1: one frame of a native multi-frame
    PixelData, given alone, decodes to exactly that frame of ``decode_frames``.
    """
    out = Dataset(dict(ds._dict))
    out.file_meta = FileMetaDataset(dict(ds.file_meta._dict))
    if "PixelData" in out:
        del out["PixelData"]
    # A new element: setting the value would change the element ``ds`` shares once it is decoded.
    out["NumberOfFrames"] = DataElement(0x00280008, "IS", 1)
    return out


def _set_frame(frame_ds: Dataset, raw: bytes, vr: str, encapsulated: bool = False) -> None:
    if encapsulated:
        frame_ds[0x7FE00010] = DataElement(0x7FE00010, "OB", encapsulate([raw]), is_undefined_length=True)
    else:
        frame_ds[0x7FE00010] = DataElement(0x7FE00010, vr, raw)


def decode_frame(
    frame_ds: Dataset, raw: bytes, vr: str = "OW", as_rgb: bool = True, encapsulated: bool = False
) -> np.ndarray:
    """Decode one frame's stored bytes as ``decode_frames`` decodes that frame.

    ``frame_ds`` comes from ``frame_dataset``; ``raw`` is a native frame, or
    with ``encapsulated`` one frame's compressed bytes (its fragment); ``as_rgb``
    as in the whole-image decode (YBR to RGB for examination; False keeps the
    stored colour space, as ``redact`` decodes native pixels). Raises
    ``PixelDataError`` as ``decode_frames``.
    """
    _set_frame(frame_ds, raw, vr, encapsulated)
    return _decode(frame_ds, as_rgb=as_rgb)[0][0]


def encapsulated_changes(
    frame_ds: Dataset, raw: bytes, boxes: Sequence[Box], fits: bool, margin: int = DEFAULT_MARGIN
) -> tuple[int, Reencoding]:
    """Pixels of one encapsulated frame that blacking out ``boxes`` changes, and how ``redact`` writes it.

    ``redact`` decodes such an image (colour as RGB) and, when a pixel changes,
    writes it as ``reencoding`` says; ``frame_ds`` (``frame_dataset``) holds
    the source's attributes; ``fits``: every decoded value of every frame lies
    within BitsStored (``reencoding``).
    """
    if margin < 0:
        raise ValueError("margin must not be negative")
    rows, columns, _ = _geometry(frame_ds)
    syntax = _transfer_syntax(frame_ds)
    _set_frame(frame_ds, raw, "OB", encapsulated=True)
    arr, photometric = _decode(frame_ds, as_rgb=True)
    rects = _rects({0: list(boxes)} if boxes else {}, margin, rows, columns, pairs=False)
    changed = _blacken(frame_ds, arr, rects, photometric, stored_ybr=False)[2] if rects else 0
    return changed, reencoding(frame_ds, syntax, arr.dtype, photometric, arr.ndim == 4, fits)


def values_fit(ds: Dataset, frame: np.ndarray) -> bool:
    """True when every value of one decoded frame lies within BitsStored (``reencoding``'s ``fits``)."""
    return _fits(ds, np.asarray(frame))


def reencode_frame(
    frame_ds: Dataset,
    out_ds: Dataset,
    raw: bytes,
    boxes: Sequence[Box],
    plan: Reencoding,
    margin: int = DEFAULT_MARGIN,
) -> bytes:
    """One encapsulated frame decoded, ``boxes`` blacked out, as the bytes ``redact`` writes for it.

    Native output: the frame's little-endian values; encapsulated output: its
    codestream padded to even length (an item's value), or the source's
    fragment when ``plan.keeps_fragments`` and no pixel of the frame changes.
    ``frame_ds`` has the source's attributes, ``out_ds`` the output's
    (``Reencoding.apply`` on a ``frame_dataset``). A written frame is decoded
    again with ``out_ds`` and compared (fail closed: ``PixelDataError``).
    """
    if plan.keeps_fragments and not boxes:
        return _even(raw)
    rows, columns, _ = _geometry(frame_ds)
    syntax = _transfer_syntax(frame_ds)
    _set_frame(frame_ds, raw, "OB", encapsulated=True)
    arr, photometric = _decode(frame_ds, as_rgb=True)
    rects = _rects({0: list(boxes)} if boxes else {}, margin, rows, columns, pairs=False)
    expected = _blacken(frame_ds, arr, rects, photometric, stored_ybr=False)[0] if rects else arr
    if plan.keeps_fragments and np.array_equal(expected, arr):
        return _even(raw)
    try:
        data = plan.encode(expected[0])
        _set_frame(out_ds, data, plan.vr, plan.encapsulated)
        _verify(out_ds, expected, as_rgb=True)
    except PixelDataError:
        raise
    except Exception as exc:  # element, encoder or decoder errors come in many types; fail closed
        raise PixelDataError(
            f"redacted PixelData from {_describe(syntax)} could not be written as "
            f"{_describe(UID(plan.syntax))} ({cause(exc)})"
        ) from exc
    return data


def _frame_plan(frame_ds: Dataset, boxes: Sequence[Box], margin: int):
    """(syntax, photometric, samples, rectangles) of one native frame's boxes, as ``redact`` grows them."""
    if margin < 0:
        raise ValueError("margin must not be negative")
    rows, columns, samples = _geometry(frame_ds)
    syntax = _transfer_syntax(frame_ds)
    if not syntax.is_transfer_syntax or syntax.is_private or syntax.is_compressed:
        raise PixelDataError("per-frame redaction needs native (uncompressed) pixel data")
    photometric = _photometric(frame_ds)
    rects = _rects({0: list(boxes)} if boxes else {}, margin, rows, columns, pairs=photometric == YBR_FULL_422)
    return syntax, photometric, samples, rects


def frame_changes(
    frame_ds: Dataset, raw: bytes, boxes: Sequence[Box], vr: str = "OW", margin: int = DEFAULT_MARGIN
) -> int:
    """The number of pixels of one native frame that blacking out ``boxes`` changes (``redact``'s count)."""
    _, photometric, _, rects = _frame_plan(frame_ds, boxes, margin)
    if not rects:
        return 0
    _set_frame(frame_ds, raw, vr)
    arr, _ = _decode(frame_ds, as_rgb=False)
    return _blacken(frame_ds, arr, rects, photometric, stored_ybr=True)[2]


def redact_frame(
    frame_ds: Dataset, raw: bytes, boxes: Sequence[Box], vr: str = "OW", margin: int = DEFAULT_MARGIN
) -> bytes:
    """One native frame's bytes with ``boxes`` blacked out, exactly as ``redact`` writes that frame.

    ``redact`` leaves PixelData untouched when no covered pixel of any frame
    differs from black; otherwise it writes every box of every frame. A caller
    that streams the frames decides the first (``frame_changes`` over the
    frames) and calls this for every frame with boxes in the second case. The
    result is decoded again and compared with the blacked-out frame (fail
    closed: ``PixelDataError``).
    """
    syntax, photometric, samples, rects = _frame_plan(frame_ds, boxes, margin)
    if not rects:
        return raw
    _set_frame(frame_ds, raw, vr)
    arr, _ = _decode(frame_ds, as_rgb=False)
    expected, blacks, _ = _blacken(frame_ds, arr, rects, photometric, stored_ybr=True)
    out = bytearray(raw)
    _write_native(frame_ds, out, syntax, rects, blacks, photometric, samples, 1)
    _set_frame(frame_ds, bytes(out), vr)
    _verify(frame_ds, expected, as_rgb=False)
    return bytes(out)


# --- decoding -----------------------------------------------------------------------------------


def _decode(ds: Dataset, as_rgb: bool) -> tuple[np.ndarray, str]:
    """Return (frames, photometric interpretation of the returned values)."""
    if "PixelData" not in ds:
        raise PixelDataError("the instance has no PixelData")
    syntax = _transfer_syntax(ds)
    name = _describe(syntax)
    try:
        decoder = get_decoder(syntax)
    except NotImplementedError:
        raise PixelDataError(f"no pixel data decoder exists for transfer syntax {name}") from None
    if not decoder.is_available:
        raise PixelDataError(f"no installed plugin can decode transfer syntax {name}")
    frames = frame_count(ds)
    rows, columns, samples = _geometry(ds)
    try:
        opts = as_pixel_options(ds, as_rgb=as_rgb)
        arr, meta = decoder.as_array(ds, validate=True, **opts)
    except Exception as exc:  # plugins raise many types; any of them means "not decodable"
        raise PixelDataError(
            f"PixelData in transfer syntax {name} could not be decoded ({cause(exc)})"
        ) from exc
    shape: tuple[int, ...] = (frames, rows, columns) + ((samples,) if samples > 1 else ())
    if arr.size != math.prod(shape):
        raise PixelDataError("decoded PixelData does not match Rows, Columns and NumberOfFrames")
    arr = arr.reshape(shape)
    if not arr.dtype.isnative:
        arr = arr.astype(arr.dtype.newbyteorder("="))
    return arr, str(meta.get("photometric_interpretation", _photometric(ds)))


def _transfer_syntax(ds: Dataset) -> UID:
    meta = getattr(ds, "file_meta", None)
    value = None if meta is None else meta.get("TransferSyntaxUID")
    if not value:
        raise PixelDataError("the file meta has no TransferSyntaxUID")
    return UID(str(value))


def _describe(syntax: UID) -> str:
    """Name a transfer syntax for messages: its registered name and UID."""
    name = syntax.name
    return f"{syntax}" if name == str(syntax) else f"'{name}' ({syntax})"


def _geometry(ds: Dataset) -> tuple[int, int, int]:
    try:
        rows = int(ds.Rows)
        columns = int(ds.Columns)
        samples = int(ds.get("SamplesPerPixel", 1) or 1)
    except (AttributeError, TypeError, ValueError):
        raise PixelDataError(
            "the image pixel module is incomplete (Rows, Columns or SamplesPerPixel)"
        ) from None
    if rows < 1 or columns < 1 or samples < 1:
        raise PixelDataError("Rows, Columns and SamplesPerPixel must be positive")
    return rows, columns, samples


def _photometric(ds: Dataset) -> str:
    return str(ds.get("PhotometricInterpretation", "") or "").strip().upper()


def _bits_stored(ds: Dataset, dtype: np.dtype) -> int:
    try:
        bits = int(ds.get("BitsStored") or 0)
    except (TypeError, ValueError):
        bits = 0
    return bits if 0 < bits <= dtype.itemsize * 8 else dtype.itemsize * 8


# --- rendering ----------------------------------------------------------------------------------


def _luminance(rgb: np.ndarray) -> np.ndarray:
    rgb = rgb.astype(np.float64)
    red, green, blue = LUMA_WEIGHTS
    return red * rgb[..., 0] + green * rgb[..., 1] + blue * rgb[..., 2]


def _to_uint8(scaled: np.ndarray) -> np.ndarray:
    """Map values in [0, 1] to uint8."""
    return np.clip(np.rint(scaled * 255.0), 0, 255).astype(np.uint8)


def _first_float(ds: Dataset, keyword: str) -> float | None:
    """Return the first value of a numeric attribute, or None when absent or unusable."""
    try:
        value = ds.get(keyword)
    except (TypeError, ValueError):
        return None
    if value is None or value == "":
        return None
    if not isinstance(value, (int, float, str)):
        try:
            value = value[0]
        except (TypeError, IndexError, KeyError):
            return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _modality(frame: np.ndarray, ds: Dataset) -> np.ndarray:
    """Apply the Modality LUT; a malformed one is skipped (rendering only needs contrast)."""
    if "ModalityLUTSequence" in ds:
        try:
            return np.asarray(apply_modality_lut(frame, ds), dtype=np.float64)
        except Exception:  # malformed LUT: fall back to the rescale or the stored values
            pass
    values = frame.astype(np.float64)
    slope = _first_float(ds, "RescaleSlope")
    intercept = _first_float(ds, "RescaleIntercept")
    if slope is not None and slope != 0:
        values = values * slope
    if intercept is not None:
        values = values + intercept
    return values


def _window(ds: Dataset) -> tuple[float, float, str] | None:
    center = _first_float(ds, "WindowCenter")
    width = _first_float(ds, "WindowWidth")
    if center is None or width is None:
        return None
    function = str(ds.get("VOILUTFunction", "") or "LINEAR").strip().upper()
    if function not in ("LINEAR", "LINEAR_EXACT", "SIGMOID"):
        function = "LINEAR"
    if width < (1.0 if function == "LINEAR" else 0.0) or width == 0:
        return None
    return center, width, function


def _apply_window(values: np.ndarray, center: float, width: float, function: str) -> np.ndarray:
    """Return the VOI window of PS3.3 C.11.2.1.2 scaled to [0, 1]."""
    if function == "SIGMOID":
        exponent = np.clip(-4.0 * (values - center) / width, -700.0, 700.0)
        return 1.0 / (1.0 + np.exp(exponent))
    if function == "LINEAR_EXACT":
        return np.clip((values - center) / width + 0.5, 0.0, 1.0)
    span = max(width - 1.0, 1e-9)  # width 1 is a threshold at center - 0.5
    return np.clip((values - (center - 0.5)) / span + 0.5, 0.0, 1.0)


def _stretch(values: np.ndarray) -> np.ndarray:
    if values.size == 0:
        return values
    low, high = float(values.min()), float(values.max())
    if high <= low:
        return np.zeros_like(values)
    return (values - low) / (high - low)


# --- redaction ----------------------------------------------------------------------------------


def _rects(
    wanted: Mapping[int, Sequence[Box]], margin: int, rows: int, columns: int, pairs: bool
) -> dict[int, list[_Rect]]:
    """Grow, clip (and for chroma pairs widen to even columns) the boxes; drop empty ones."""
    out: dict[int, list[_Rect]] = {}
    for frame, found in wanted.items():
        for box in found:
            x0, x1 = max(box.x0 - margin, 0), min(box.x1 + margin, columns)
            y0, y1 = max(box.y0 - margin, 0), min(box.y1 + margin, rows)
            if pairs:
                x0, x1 = x0 - x0 % 2, min(x1 + x1 % 2, columns)
            if x0 < x1 and y0 < y1:
                out.setdefault(frame, []).append((slice(y0, y1), slice(x0, x1)))
    return out


def _black(ds: Dataset, frame: np.ndarray, photometric: str, stored_ybr: bool) -> np.ndarray:
    """Return the black value of one frame, one entry per sample, in the frame's dtype."""
    samples = frame.shape[-1] if frame.ndim == 3 else 1
    if photometric == MONOCHROME2 and samples == 1:
        value: list[int] = [int(frame.min())]
    elif photometric == MONOCHROME1 and samples == 1:
        value = [int(frame.max())]
    elif photometric == PALETTE_COLOR and samples == 1:
        value = [_darkest_index(ds, frame.dtype)]
    elif photometric == RGB and samples == 3:
        value = [0, 0, 0]
    elif stored_ybr and photometric in (YBR_FULL, YBR_FULL_422) and samples == 3:
        half = 1 << (_bits_stored(ds, frame.dtype) - 1)
        value = [0, half, half]
    else:
        raise PixelDataError("PhotometricInterpretation is not one that redaction supports")
    return np.asarray(value, dtype=frame.dtype)


def _darkest_index(ds: Dataset, dtype: np.dtype) -> int:
    """Return the stored index whose palette colour has the lowest luminance (lowest on ties)."""
    try:
        descriptor = ds.RedPaletteColorLookupTableDescriptor
        entries = int(descriptor[0]) or 65536
        first = int(descriptor[1])
        info = np.iinfo(dtype)
        index = np.arange(max(first, int(info.min)), min(first + entries, int(info.max) + 1))
        if index.size == 0:
            raise ValueError("no palette entry is a valid stored value")
        colours = np.asarray(apply_color_lut(index.astype(dtype), ds))[..., :3]
    except Exception as exc:  # malformed or missing tables raise many types
        raise PixelDataError(
            f"the palette colour lookup tables could not be read ({cause(exc)})"
        ) from exc
    return int(index[int(np.argmin(_luminance(colours)))])


def _blacken(
    ds: Dataset,
    arr: np.ndarray,
    rects: Mapping[int, Sequence[_Rect]],
    photometric: str,
    stored_ybr: bool,
) -> tuple[np.ndarray, dict[int, np.ndarray], int]:
    """Return (redacted copy, black value per frame, pixels changed) for decoded frames."""
    expected = arr.copy()
    blacks: dict[int, np.ndarray] = {}
    changed = 0
    constant: np.ndarray | None = None  # black of every frame unless it is monochrome
    for frame, found in rects.items():
        if constant is None:
            black = _black(ds, arr[frame], photometric, stored_ybr)
        else:
            black = constant
        if photometric not in (MONOCHROME1, MONOCHROME2):
            constant = black
        blacks[frame] = black
        for ys, xs in found:
            expected[frame, ys, xs] = black if arr.ndim == 4 else black[0]
        diff = expected[frame] != arr[frame]
        changed += int((diff.any(axis=-1) if arr.ndim == 4 else diff).sum())
    return expected, blacks, changed


def _verify(ds: Dataset, expected: np.ndarray, as_rgb: bool) -> None:
    decoded, _ = _decode(ds, as_rgb=as_rgb)
    if decoded.shape != expected.shape or not np.array_equal(decoded, expected):
        raise PixelDataError("the rewritten PixelData does not decode to the redacted image")


def _redact_native(
    ds: Dataset, syntax: UID, rects: Mapping[int, Sequence[_Rect]], photometric: str, samples: int
) -> int:
    """Write the boxes into a copy of the stored bytes; everything else stays byte-identical."""
    arr, _ = _decode(ds, as_rgb=False)
    expected, blacks, changed = _blacken(ds, arr, rects, photometric, stored_ybr=True)
    if not changed:
        return 0
    original = ds.PixelData
    raw = bytearray(original)
    _write_native(ds, raw, syntax, rects, blacks, photometric, samples, arr.shape[0])
    ds.PixelData = bytes(raw)
    try:
        _verify(ds, expected, as_rgb=False)
    except PixelDataError:
        ds.PixelData = original
        raise
    return changed


def _write_native(
    ds: Dataset,
    raw: bytearray,
    syntax: UID,
    rects: Mapping[int, Sequence[_Rect]],
    blacks: Mapping[int, np.ndarray],
    photometric: str,
    samples: int,
    frames: int,
) -> None:
    """Fill the rectangles in ``raw``, laid out as the native encoding of ``ds`` stores it."""
    rows, columns = int(ds.Rows), int(ds.Columns)
    try:
        bits = int(ds.BitsAllocated)
        signed = int(ds.get("PixelRepresentation", 0) or 0) == 1
        planar = int(ds.get("PlanarConfiguration", 0) or 0) if samples > 1 else 0
    except (AttributeError, TypeError, ValueError):
        raise PixelDataError(
            "BitsAllocated, PixelRepresentation or PlanarConfiguration is not an integer"
        ) from None
    # YBR_FULL_422 stores two samples per pixel: Y for each, Cb and Cr shared by a pair.
    count = frames * rows * columns * (2 if photometric == YBR_FULL_422 else samples)
    unpacked = None
    swapped = None
    vr = ds["PixelData"].VR if "PixelData" in ds else None
    if bits == 1:
        unpacked = np.unpackbits(np.frombuffer(raw, dtype=np.uint8), bitorder="little")
        flat = unpacked
    elif bits == 8 and not syntax.is_little_endian and vr == "OW":
        # 8-bit values in an OW value of a big endian syntax: each pair of bytes is one 16-bit
        # word written big endian, so the pixels lie swapped pairwise (as pydicom decodes them).
        if len(raw) % 2 or len(raw) < count:
            raise PixelDataError("PixelData is shorter than Rows x Columns x frames declare")
        swapped = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 2)[:, ::-1].ravel()
        flat = swapped
    elif bits in (8, 16, 32, 64):
        order = "<" if syntax.is_little_endian else ">"
        dtype = np.dtype(f"{order}{'i' if signed else 'u'}{bits // 8}")
        if len(raw) < count * dtype.itemsize:
            raise PixelDataError("PixelData is shorter than Rows x Columns x frames declare")
        flat = np.frombuffer(raw, dtype=dtype, count=count)
    else:
        raise PixelDataError("BitsAllocated is not 1, 8, 16, 32 or 64")
    if flat.size < count:
        raise PixelDataError("PixelData is shorter than Rows x Columns x frames declare")
    flat = flat[:count]
    if photometric == YBR_FULL_422:
        if planar or columns % 2 or samples != 3:
            raise PixelDataError("YBR_FULL_422 needs an even Columns and PlanarConfiguration 0")
        # Each pair of pixels is stored as Y0 Y1 Cb Cr.
        view = flat.reshape(frames, rows, columns // 2, 4)
        for frame, found in rects.items():
            luma, cb, cr = (int(v) for v in blacks[frame])
            for ys, xs in found:
                view[frame, ys, xs.start // 2 : xs.stop // 2] = (luma, luma, cb, cr)
    elif samples == 1:
        view = flat.reshape(frames, rows, columns)
        for frame, found in rects.items():
            for ys, xs in found:
                view[frame, ys, xs] = int(blacks[frame][0])
    elif planar == 1:
        view = flat.reshape(frames, samples, rows, columns)
        for frame, found in rects.items():
            for ys, xs in found:
                view[frame, :, ys, xs] = blacks[frame][:, None, None]
    else:
        view = flat.reshape(frames, rows, columns, samples)
        for frame, found in rects.items():
            for ys, xs in found:
                view[frame, ys, xs] = blacks[frame]
    if unpacked is not None:
        raw[:] = np.packbits(unpacked, bitorder="little").tobytes()
    elif swapped is not None:
        raw[:] = swapped.reshape(-1, 2)[:, ::-1].tobytes()


def _rle_encodable(ds: Dataset, photometric: str, samples: int) -> bool:
    """True when pydicom's RLE encoder accepts the image (PS3.5 Table 8.2.2-1).

    Other RLE images (e.g. 32-bit RT Dose) are written uncompressed instead.
    """
    try:
        bits = int(ds.BitsAllocated)
        signed = int(ds.get("PixelRepresentation", 0) or 0) == 1
    except (AttributeError, TypeError, ValueError):
        return False
    if photometric in (MONOCHROME1, MONOCHROME2):
        return samples == 1 and bits in (8, 16)
    if photometric == PALETTE_COLOR:
        return samples == 1 and bits in (8, 16) and not signed
    if photometric == RGB:
        return samples == 3 and bits in (8, 16) and not signed
    if photometric == YBR_FULL:
        return samples == 3 and bits == 8 and not signed
    return False


def _redact_rle(
    ds: Dataset, syntax: UID, rects: Mapping[int, Sequence[_Rect]], photometric: str, frames: int
) -> int:
    """Re-encode the changed frames as RLE Lossless; the others keep their fragments."""
    arr, _ = _decode(ds, as_rgb=False)
    expected, _, changed = _blacken(ds, arr, rects, photometric, stored_ybr=True)
    if not changed:
        return 0
    saved = _snapshot(ds)
    try:
        offsets = None
        if "ExtendedOffsetTable" in ds and "ExtendedOffsetTableLengths" in ds:
            offsets = (ds.ExtendedOffsetTable, ds.ExtendedOffsetTableLengths)
        encoded = list(
            generate_frames(ds.PixelData, number_of_frames=frames, extended_offsets=offsets)
        )
        if len(encoded) != frames:
            raise PixelDataError("the RLE PixelData does not hold NumberOfFrames frames")
        encoder = get_encoder(RLELossless)
        # pylibjpeg-rle writes the same bytes as pydicom's own encoder, 10-15x faster.
        plugin = "pylibjpeg" if "pylibjpeg" in encoder.available_plugins else "pydicom"
        opts = as_pixel_options(ds, number_of_frames=1, planar_configuration=0)
        opts.pop("extended_offsets", None)
        for frame in rects:
            if np.array_equal(expected[frame], arr[frame]):
                continue
            encoded[frame] = encoder.encode(expected[frame], encoding_plugin=plugin, **opts)
        total = 8 * len(encoded) + sum(len(f) for f in encoded)
        if offsets is not None or total > 2**32 - 1:
            data, table, lengths = encapsulate_extended(encoded)
            ds["ExtendedOffsetTable"] = DataElement(0x7FE00001, "OV", table)
            ds["ExtendedOffsetTableLengths"] = DataElement(0x7FE00002, "OV", lengths)
        else:
            data = encapsulate(encoded)
        element = DataElement(0x7FE00010, "OB", data, is_undefined_length=True)
        ds["PixelData"] = element
        _verify(ds, expected, as_rgb=False)
    except PixelDataError:
        _restore(ds, saved)
        raise
    except Exception as exc:  # encoder errors come in many types; fail closed
        _restore(ds, saved)
        raise PixelDataError(
            f"PixelData could not be re-encoded as {_describe(syntax)} ({cause(exc)})"
        ) from exc
    return changed


def _redact_reencoded(
    ds: Dataset, syntax: UID, rects: Mapping[int, Sequence[_Rect]], frames: int
) -> int:
    """Decode, black out and write in the syntax ``reencoding`` picks (docs/burned-in.md)."""
    arr, photometric = _decode(ds, as_rgb=True)
    expected, _, changed = _blacken(ds, arr, rects, photometric, stored_ybr=False)
    if not changed:
        return 0
    plan = reencoding(ds, syntax, arr.dtype, photometric, arr.ndim == 4, _fits(ds, arr))
    saved = _snapshot(ds)
    try:
        if plan.encapsulated:
            sources: list[bytes] | None = None
            if plan.keeps_fragments:
                offsets = None
                if "ExtendedOffsetTable" in ds and "ExtendedOffsetTableLengths" in ds:
                    offsets = (ds.ExtendedOffsetTable, ds.ExtendedOffsetTableLengths)
                sources = list(generate_frames(ds.PixelData, number_of_frames=frames, extended_offsets=offsets))
                if len(sources) != frames:
                    raise PixelDataError("the encapsulated PixelData does not hold NumberOfFrames frames")
            encoded = [
                _even(sources[i]) if sources is not None and np.array_equal(expected[i], arr[i])
                else plan.encode(expected[i])
                for i in range(frames)
            ]
            _set_encapsulated(ds, encoded)
        else:
            data = b"".join(plan.encode(frame) for frame in expected)
            ds["PixelData"] = DataElement(0x7FE00010, plan.vr, _even(data))
        plan.apply(ds)
        _verify(ds, expected, as_rgb=True)
    except PixelDataError:
        _restore(ds, saved)
        raise
    except Exception as exc:  # element, encoder or decoder errors come in many types; fail closed
        _restore(ds, saved)
        raise PixelDataError(
            f"redacted PixelData from {_describe(syntax)} could not be written as "
            f"{_describe(UID(plan.syntax))} ({cause(exc)})"
        ) from exc
    return changed


def _even(data: bytes) -> bytes:
    """``data`` padded with one NUL byte to an even length (PS3.5 7.1 and A.4)."""
    return data + b"\x00" if len(data) % 2 else data


def offset_tables(lengths: Sequence[int]) -> tuple[bytes, bytes] | None:
    """The Extended Offset Table and its lengths (OV values) for encapsulated frames of even
    ``lengths``, one fragment each, when a Basic Offset Table cannot address them; else None (the
    frames then get a Basic Offset Table: ``basic_offset_table``)."""
    if 8 * len(lengths) + sum(lengths) <= BOT_LIMIT:
        return None
    offsets = np.cumsum([0] + [8 + n for n in lengths[:-1]], dtype=np.uint64)
    return offsets.astype("<u8").tobytes(), np.asarray(lengths, dtype="<u8").tobytes()


def basic_offset_table(lengths: Sequence[int], extended: bool) -> bytes:
    """The Basic Offset Table item of encapsulated frames of even ``lengths`` (empty with an
    Extended Offset Table), as ``pydicom.encaps.encapsulate`` writes it."""
    if extended:
        return _ITEM + (0).to_bytes(4, "little")
    offsets = np.cumsum([0] + [8 + n for n in lengths[:-1]], dtype=np.uint64)
    return _ITEM + (4 * len(lengths)).to_bytes(4, "little") + offsets.astype("<u4").tobytes()


def item(fragment: bytes) -> bytes:
    """One fragment (even length) as an item of encapsulated PixelData."""
    return _ITEM + len(fragment).to_bytes(4, "little") + fragment


def _set_encapsulated(ds: Dataset, encoded: Sequence[bytes]) -> None:
    """PixelData of even-length encoded frames, one fragment each, with its offset table(s)."""
    lengths = [len(frame) for frame in encoded]
    tables = offset_tables(lengths)
    value = basic_offset_table(lengths, tables is not None) + b"".join(item(frame) for frame in encoded)
    ds["PixelData"] = DataElement(0x7FE00010, "OB", value, is_undefined_length=True)
    for keyword in ("ExtendedOffsetTable", "ExtendedOffsetTableLengths"):
        if keyword in ds:
            del ds[keyword]
    if tables is not None:
        ds["ExtendedOffsetTable"] = DataElement(0x7FE00001, "OV", tables[0])
        ds["ExtendedOffsetTableLengths"] = DataElement(0x7FE00002, "OV", tables[1])


def _fits(ds: Dataset, arr: np.ndarray) -> bool:
    """True when every value of ``arr`` lies in the range BitsStored allows (an encoder's condition)."""
    if not arr.size:
        return True
    return _in_range(ds, arr.dtype, int(arr.min()), int(arr.max()))


def _in_range(ds: Dataset, dtype: np.dtype, low: int, high: int) -> bool:
    bits = _bits_stored(ds, dtype)
    lowest, highest = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if dtype.kind == "i" else (0, (1 << bits) - 1)
    return lowest <= low and high <= highest


@dataclass(frozen=True)
class Reencoding:
    """How a redacted encapsulated image is written (``redact``'s way for JPEG & co.; ``reencoding``).

    ``syntax``: the output's transfer syntax (JPEG 2000 Lossless, JPEG-LS
    Lossless or Explicit VR Little Endian); ``dtype``: numpy dtype string of
    the decoded values, native order; ``photometric``: the output's
    PhotometricInterpretation; ``keeps_fragments``: the output syntax and
    colour space are the source's, so a frame that no box changes keeps its
    compressed bytes.
    """

    syntax: str
    dtype: str
    photometric: str
    colour: bool
    lossy: bool
    bits_stored: int
    keeps_fragments: bool = False

    @property
    def encapsulated(self) -> bool:
        return self.syntax != ExplicitVRLittleEndian

    @property
    def vr(self) -> str:
        return "OB" if self.encapsulated or np.dtype(self.dtype).itemsize == 1 else "OW"

    def apply(self, ds: Dataset) -> None:
        """Set the image attributes and transfer syntax of the output on header ``ds``."""
        dtype = np.dtype(self.dtype)
        ds["BitsAllocated"] = DataElement(0x00280100, "US", dtype.itemsize * 8)
        ds["PixelRepresentation"] = DataElement(0x00280103, "US", int(dtype.kind == "i"))
        ds["PhotometricInterpretation"] = DataElement(0x00280004, "CS", self.photometric)
        if self.colour:
            ds["PlanarConfiguration"] = DataElement(0x00280006, "US", 0)
        if not self.encapsulated:
            for keyword in ("ExtendedOffsetTable", "ExtendedOffsetTableLengths"):
                if keyword in ds:
                    del ds[keyword]
        if self.lossy:
            # PS3.3 C.7.6.1.1.5: the image has been lossy compressed; the output's lossless coding
            # adds no loss, so LossyImageCompressionRatio and Method keep their history as it is.
            ds["LossyImageCompression"] = DataElement(0x00282110, "CS", "01")
        ds.file_meta["TransferSyntaxUID"] = DataElement(0x00020010, "UI", UID(self.syntax))

    def encode(self, frame: np.ndarray) -> bytes:
        """One redacted frame (rows, columns[, 3]) as the output stores it: native little-endian
        bytes (unpadded), or its codestream padded to even length."""
        frame = np.ascontiguousarray(frame, dtype=np.dtype(self.dtype))
        if not self.encapsulated:
            return frame.astype(frame.dtype.newbyteorder("<"), copy=False).tobytes()
        syntax = UID(self.syntax)
        encoded = get_encoder(syntax).encode(
            frame,
            encoding_plugin=_ENCODING_PLUGIN[syntax],
            rows=frame.shape[0],
            columns=frame.shape[1],
            samples_per_pixel=3 if self.colour else 1,
            bits_allocated=frame.dtype.itemsize * 8,
            bits_stored=self.bits_stored,
            pixel_representation=int(frame.dtype.kind == "i"),
            photometric_interpretation=self.photometric,
            number_of_frames=1,
            planar_configuration=0,
        )
        return _even(bytes(encoded))

    def element_header(self, ds: Dataset) -> bytes:
        """The Explicit VR Little Endian PixelData element header of the output of ``ds``."""
        if self.encapsulated:
            return b"\xe0\x7f\x10\x00OB\x00\x00\xff\xff\xff\xff"
        rows, columns, _ = _geometry(ds)
        length = frame_count(ds) * rows * columns * (3 if self.colour else 1) * np.dtype(self.dtype).itemsize
        length += length % 2
        return b"\xe0\x7f\x10\x00" + self.vr.encode() + b"\x00\x00" + length.to_bytes(4, "little")


def reencoding(ds: Dataset, syntax: UID, dtype: np.dtype, photometric: str, colour: bool, fits: bool) -> Reencoding:
    """How ``redact`` writes a redacted image of encapsulated ``syntax`` (other than RLE).

    JPEG-LS Lossless for a JPEG-LS source (lossless or near-lossless), JPEG
    2000 Lossless for every other (JPEG 2000 lossless or lossy, JPEG baseline,
    extended and lossless, HTJ2K): the source's own syntax when it is lossless,
    else the lossless member of its family or of the nearest family pydicom
    encodes; a lossy source is never coded lossy a second time. When that
    encoder is not installed or does not take the image (PS3.5 8.2 encoding
    profiles as pydicom lists them; for openjpeg BitsStored up to 24 and 32
    rows and columns or more; a value outside BitsStored: ``fits`` False),
    JPEG 2000 Lossless is tried, then
    Explicit VR Little Endian. Colour is written as decoded (RGB), for JPEG 2000
    Lossless with its reversible colour transform (YBR_RCT) unless the source
    is JPEG 2000 Lossless in RGB. ``dtype``, ``photometric`` and ``colour``
    describe the decoded values (``decode_frames``).
    """
    dtype = np.dtype(dtype)
    lossy = _was_lossy(ds, syntax)
    bits = _bits_stored(ds, dtype)
    source_photometric = _photometric(ds)
    rows, columns, _ = _geometry(ds)
    preferred = JPEGLSLossless if syntax in (JPEGLSLossless, JPEGLSNearLossless) else JPEG2000Lossless
    for target in dict.fromkeys((preferred, JPEG2000Lossless)):
        if not colour:
            out = photometric
        elif target == JPEG2000Lossless:
            out = source_photometric if syntax == target and source_photometric in (RGB, YBR_RCT) else YBR_RCT
        else:
            out = RGB
        if fits and _encodable(target, out, colour, dtype, bits, min(rows, columns)):
            keeps = syntax == target and out == (source_photometric if colour else photometric)
            return Reencoding(str(target), dtype.str, out, colour, lossy, bits, keeps)
    return Reencoding(str(ExplicitVRLittleEndian), dtype.str, photometric, colour, lossy, bits)


def _encodable(target: UID, photometric: str, colour: bool, dtype: np.dtype, bits: int, side: int) -> bool:
    """True when the installed plugin for ``target`` encodes such frames (pydicom's profiles;
    ``side``: the image's shorter side)."""
    encoder = get_encoder(target)
    if _ENCODING_PLUGIN[target] not in encoder.available_plugins:
        return False
    if target == JPEG2000Lossless and (bits > _OPENJPEG_MAX_BITS or side < _OPENJPEG_MIN_SIDE):
        return False
    samples, signed, allocated = (3 if colour else 1), int(dtype.kind == "i"), dtype.itemsize * 8
    return any(
        photometric == pi and samples == spp and signed in reps and allocated in alloc and bits in stored
        for pi, spp, reps, alloc, stored in ENCODING_PROFILES.get(target, ())
    )


def _was_lossy(ds: Dataset, syntax: UID) -> bool:
    """True when the source is or may be lossy: never claim a lossy image is lossless."""
    declared = str(ds.get("LossyImageCompression", "") or "").strip()
    if declared == "01":
        return True
    if syntax in _LOSSLESS_SYNTAXES:
        return False
    return not (syntax in _MAYBE_LOSSY_SYNTAXES and declared == "00")


def _snapshot(ds: Dataset) -> dict[str, DataElement | None]:
    """Copy the elements (and the transfer syntax) a rewrite may change."""
    saved: dict[str, DataElement | None] = {
        keyword: copy.copy(ds[keyword]) if keyword in ds else None for keyword in _REWRITTEN
    }
    saved["TransferSyntaxUID"] = copy.copy(ds.file_meta["TransferSyntaxUID"])
    return saved


def _restore(ds: Dataset, saved: Mapping[str, DataElement | None]) -> None:
    """Put back what ``_snapshot`` copied, removing elements that were absent."""
    for keyword in (*_REWRITTEN, "TransferSyntaxUID"):
        element = saved[keyword]
        target = ds.file_meta if keyword == "TransferSyntaxUID" else ds
        if element is None:
            if keyword in target:
                del target[keyword]
        else:
            target[keyword] = element
