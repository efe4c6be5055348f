"""Burned-in text redaction of a large multi-frame instance, one frame at a time.

The whole-file way (``ImageRedactor.__call__``) decodes every frame at once and
writes PixelData back whole: a 500 MB cine peaks at several times its size. For
a large little-endian, not deflated instance whose PixelData is the file's last
element and is native (``native_layout``) or encapsulated with one fragment per
frame, not RLE (``encapsulated_layout``; ``streamcopy.redactable_tail``
decides), the pixels are never held whole:

1. the header is de-identified alone, as for the stream copy; the engine's
   pixel step reads the frames from the source file one at a time
   (``FrameReader``) and examines them with ``ImageRedactor.examine``, the frame
   loop the whole-file way runs too, digesting the bytes it read (SHA-256);
2. the boxes found (``FrameBoxes``, small) travel to the writer with the layout
   and the digest (``RedactedPixels``); ``write_redacted`` copies the source's
   PixelData element after the new header, frame by frame, blacking out each
   frame's boxes with ``pixeldata.redact_frame`` (the same fill values and
   margin as ``pixeldata.redact``, every written frame decoded again and
   compared), and fails closed (``PixelDataError``) when the bytes it read are
   not the bytes that were examined. When a box changes a pixel of an
   encapsulated image, its frames are decoded, blacked out and written in the
   syntax ``pixeldata.reencoding`` picks (``pixeldata.reencode_frame``: JPEG
   2000 Lossless, JPEG-LS Lossless or Explicit VR Little Endian; a frame
   without change keeps its fragment where the syntax is the source's), the
   header saying so (``FrameReader.finish``), as ``pixeldata.redact`` does on
   the whole-file way; else the fragments are copied as they are.

The output bytes, annotations and failure reasons are those of the whole-file
way; anything the layout checks do not accept goes the whole-file way. Nothing
here imports Beam: callers hand in open binary files.
"""

from __future__ import annotations

import hashlib
import struct
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

import numpy as np
from pydicom.dataelem import DataElement
from pydicom.dataset import Dataset
from pydicom.filewriter import correct_ambiguous_vr_element

from transforms.dicom import codec
from transforms.errors import PixelDataError, SourceReadError
from transforms.pixels import pixeldata as pixels
from transforms.pixels.burnedin import FrameBoxes

__all__ = [
    "FrameLayout",
    "FrameReader",
    "RedactedPixels",
    "deidentify_framed",
    "encapsulated_layout",
    "native_layout",
    "write_redacted",
]

COPY_CHUNK_BYTES = 8 * 1024 * 1024
# Re-encoded frames are held in memory up to this many bytes, then in a temporary file.
SPOOL_BYTES = 64 * 1024 * 1024
SEQUENCE_DELIMITER = b"\xfe\xff\xdd\xe0\x00\x00\x00\x00"
# Photometric interpretations streamed, with their samples per pixel (others go the whole way).
_STREAMED = {
    pixels.MONOCHROME1: 1,
    pixels.MONOCHROME2: 1,
    pixels.PALETTE_COLOR: 1,
    pixels.RGB: 3,
    pixels.YBR_FULL: 3,
}


@dataclass(frozen=True)
class FrameLayout:
    """Where a PixelData element and its frames lie in the source file.

    ``pixel_offset``: the element's tag; ``value_offset``: its first value byte
    (native: frame 0; encapsulated: the Basic Offset Table item); ``length``:
    its value length (undefined for encapsulated); native: ``frames`` frames
    of ``frame_bytes`` each, then the rest of the value (a padding byte)
    copied as it is; encapsulated: each frame's fragment in ``fragments``;
    ``vr``: PixelData's VR as the engine reads it.
    """

    pixel_offset: int
    value_offset: int
    length: int
    frames: int
    frame_bytes: int
    vr: str
    # Encapsulated PixelData: (file offset, length) of each frame's one fragment; () for native.
    fragments: tuple[tuple[int, int], ...] = ()
    end_offset: int = 0  # encapsulated: the end of the sequence delimiter (the file's end)

    @property
    def encapsulated(self) -> bool:
        return bool(self.fragments)

    @property
    def end(self) -> int:
        return self.end_offset if self.fragments else self.value_offset + self.length


def native_layout(ds: Dataset, pixel_offset: int, value_offset: int, length: int, vr: str) -> FrameLayout | None:
    """The frame layout of a native PixelData value, or None when it is not streamed.

    Streamed: 8, 16, 32 or 64 bits allocated, MONOCHROME1/2 or PALETTE COLOR
    with one sample, RGB or YBR_FULL with three (planar or not), a valid
    NumberOfFrames, and a value that holds every frame. ``ds`` is the header
    (``read_header``), ``vr`` PixelData's VR in the file (None for implicit VR).
    """
    try:
        rows, columns = int(ds.Rows), int(ds.Columns)
        samples = int(ds.get("SamplesPerPixel", 1) or 1)
        bits = int(ds.BitsAllocated)
        frames = pixels.frame_count(ds)
        planar = int(ds.get("PlanarConfiguration", 0) or 0) if samples > 1 else 0
    except (AttributeError, TypeError, ValueError, PixelDataError):
        return None
    photometric = str(ds.get("PhotometricInterpretation", "") or "").strip().upper()
    if _STREAMED.get(photometric) != samples or bits not in (8, 16, 32, 64) or planar not in (0, 1):
        return None
    if rows < 1 or columns < 1:
        return None
    frame_bytes = rows * columns * samples * bits // 8
    if frames * frame_bytes > length:
        return None
    if vr is None:  # implicit VR: what pydicom makes of it when it reads the whole file
        vr = correct_ambiguous_vr_element(DataElement(0x7FE00010, "OB or OW", b""), ds, True).VR
    return FrameLayout(pixel_offset, value_offset, length, frames, frame_bytes, str(vr))


def encapsulated_layout(ds: Dataset, f: BinaryIO, pixel_offset: int, value_offset: int, size: int) -> FrameLayout | None:
    """The frame layout of an encapsulated PixelData value (items from ``value_offset``), or None.

    Streamed: a transfer syntax an installed plugin decodes, other than RLE
    Lossless (re-encoded as RLE on the whole-file way), no Extended Offset
    Table, exactly one fragment per frame (NumberOfFrames fragments after the
    Basic Offset Table, which is empty or points at them), items that end the
    file with a zero-length delimiter.
    """
    from pydicom.pixels import get_decoder
    from pydicom.uid import RLELossless

    syntax = ds.file_meta.TransferSyntaxUID
    if syntax == RLELossless or "ExtendedOffsetTable" in ds or "ExtendedOffsetTableLengths" in ds:
        return None
    try:
        if not get_decoder(syntax).is_available:
            return None
        rows, columns = int(ds.Rows), int(ds.Columns)
        frames = pixels.frame_count(ds)
    except (AttributeError, TypeError, ValueError, NotImplementedError, PixelDataError):
        return None
    if rows < 1 or columns < 1:
        return None
    items = []  # (offset of the item tag, value length)
    pos = value_offset
    while pos + 8 <= size:
        f.seek(pos)
        group, elem, length = struct.unpack("<HHI", f.read(8))
        tag = (group << 16) | elem
        if tag == 0xFFFEE0DD:
            if length != 0 or pos + 8 != size:
                return None
            break
        if tag != 0xFFFEE000 or length == 0xFFFFFFFF or pos + 8 + length > size:
            return None
        items.append((pos, length))
        pos += 8 + length
        if len(items) > frames + 1:
            return None
    else:
        return None
    if len(items) != frames + 1:
        return None
    (bot_pos, bot_length), fragments = items[0], items[1:]
    if bot_length:
        f.seek(bot_pos + 8)
        table = f.read(bot_length)
        first = fragments[0][0]
        if bot_length != 4 * frames or list(struct.unpack(f"<{frames}I", table)) != [p - first for p, _ in fragments]:
            return None
    return FrameLayout(
        pixel_offset, value_offset, 0xFFFFFFFF, frames, 0, "OB",
        tuple((p + 8, length) for p, length in fragments), size,
    )


def _read_exactly(f: BinaryIO, size: int) -> bytes:
    block = f.read(size)
    while len(block) < size:
        more = f.read(size - len(block))
        if not more:
            raise SourceReadError("the file ends inside PixelData: it changed while it was read")
        block += more
    return block


class FrameReader:
    """The frames of a native PixelData, read from an open source file one at a time.

    ``decoded(ds)`` yields each frame decoded as ``pixeldata.decode_frames``
    decodes it, and digests the stored bytes read (``digest`` once every frame
    has been read).
    """

    def __init__(self, f: BinaryIO, layout: FrameLayout) -> None:
        self._f = f
        self.layout = layout
        self.vr = layout.vr
        self.digest: str | None = None
        # Encapsulated frames with boxes that change pixels: how the output is written.
        self.reencoding: pixels.Reencoding | None = None
        # Encapsulated frames: every decoded value lies within BitsStored (pixeldata.reencoding).
        self.fits = True

    def raw(self) -> Iterator[bytes]:
        """Each frame's stored bytes (an encapsulated frame's fragment), in order."""
        layout = self.layout
        if layout.fragments:
            for offset, length in layout.fragments:
                self._f.seek(offset)
                yield _read_exactly(self._f, length)
            return
        self._f.seek(layout.value_offset)
        for _ in range(layout.frames):
            yield _read_exactly(self._f, layout.frame_bytes)

    def decoded(self, ds: Dataset, as_rgb: bool = True) -> Iterator[np.ndarray]:
        """Each frame decoded (colour as RGB unless ``as_rgb`` is False); ``ds`` is the header."""
        frame_ds = pixels.frame_dataset(ds)
        digest = hashlib.sha256()
        encapsulated = self.layout.encapsulated
        for raw in self.raw():
            digest.update(raw)
            frame = pixels.decode_frame(frame_ds, raw, self.vr, as_rgb, encapsulated)
            if encapsulated and as_rgb and self.fits:
                self.fits = pixels.values_fit(frame_ds, frame)
            yield frame
        self.digest = digest.hexdigest()

    def finish(self, ds: Dataset, found) -> None:
        """After examination: for encapsulated frames whose boxes change a pixel, set the header
        ``ds`` up for the output (``pixeldata.reencoding``), as ``pixeldata.redact`` does on the whole-file way."""
        if not self.layout.fragments or not found:
            return
        boxes = FrameBoxes.of(found)
        frame_ds = pixels.frame_dataset(ds)
        for index, (offset, length) in enumerate(self.layout.fragments):
            wanted = boxes.for_frame(index)
            if not wanted:
                continue
            self._f.seek(offset)
            raw = _read_exactly(self._f, length)
            changed, plan = pixels.encapsulated_changes(frame_ds, raw, wanted, self.fits)
            if changed:
                self.reencoding = plan
                plan.apply(ds)
                return


def deidentify_framed(engine, header: bytes, f: BinaryIO, layout: FrameLayout, source: str = ""):
    """De-identify a large instance's header, examining its frames as they are read from ``f``.

    ``engine`` is a ``deidentify.Deidentifier``; ``header`` the file's bytes up
    to the PixelData tag. Returns ``(result, redacted)``: the engine's result
    (the de-identified header bytes, annotations of the boxes found) and the
    ``RedactedPixels`` for ``write_redacted``, or None when nothing was found
    (the source's PixelData element is then copied as it is). Raises the
    engine's ``StageFailure``.
    """
    reader = FrameReader(f, layout)
    result = engine(header, source=source, header_only=True, frames=reader)
    if not result.redacted or (layout.encapsulated and reader.reencoding is None):
        return result, None  # nothing blacked out: the source's element as it is
    return result, RedactedPixels(layout, FrameBoxes.of(result.redacted), reader.digest, reader.reencoding)


@dataclass(frozen=True)
class RedactedPixels:
    """What the writer needs to write a streamed instance's redacted PixelData element.

    ``digest``: SHA-256 of the frames' stored bytes when they were examined.
    """

    layout: FrameLayout
    boxes: FrameBoxes
    digest: str
    reencoding: pixels.Reencoding | None = None  # encapsulated frames: how the output is written

    @property
    def pixel_offset(self) -> int:
        return self.layout.pixel_offset


def write_redacted(src: BinaryIO, dst, redacted: RedactedPixels, chunk: int = COPY_CHUNK_BYTES) -> int:
    """Write the source's PixelData element with the boxes blacked out; return the bytes written.

    ``dst`` has received the de-identified header. The element header and the
    bytes after the last frame are copied; a frame without a box is copied; a
    frame with boxes is blacked out as ``pixeldata.redact`` does for that frame
    (when no box changes any pixel of any frame, every byte is copied, as
    ``redact`` leaves PixelData untouched then). Raises ``PixelDataError`` when
    a frame cannot be decoded or written, and when the frames read are not the
    ones examined (the digest differs); the caller discards what was written.
    """
    layout, boxes = redacted.layout, redacted.boxes
    src.seek(0)
    try:
        ds, stop = codec.parse_header(_read_exactly(src, layout.pixel_offset))
    except SourceReadError:
        raise
    except Exception as exc:  # the header parsed when it was read: the file changed
        raise PixelDataError("the source's header no longer parses: it changed after it was examined") from exc
    if stop != layout.pixel_offset:
        raise PixelDataError("the source's header changed after it was examined")
    frame_ds = pixels.frame_dataset(ds)
    reader = FrameReader(src, layout)
    if layout.encapsulated:
        return _write_reencoded(src, dst, ds, frame_ds, reader, redacted)
    changes = False
    for index in range(layout.frames):  # does any box change a pixel? (usually frame 0 says so)
        found = boxes.for_frame(index)
        if found:
            src.seek(layout.value_offset + index * layout.frame_bytes)
            raw = _read_exactly(src, layout.frame_bytes)
            if pixels.frame_changes(frame_ds, raw, found, layout.vr):
                changes = True
                break
    src.seek(layout.pixel_offset)
    written = _copy(src, dst, layout.value_offset - layout.pixel_offset, chunk)
    digest = hashlib.sha256()
    for index, raw in enumerate(reader.raw()):
        digest.update(raw)
        found = boxes.for_frame(index) if changes else ()
        dst.write(pixels.redact_frame(frame_ds, raw, found, layout.vr) if found else raw)
        written += len(raw)
    if digest.hexdigest() != redacted.digest:
        raise PixelDataError("the source's PixelData changed after it was examined")
    written += _copy(src, dst, layout.end - src.tell(), chunk)
    return written


def _write_reencoded(src, dst, ds, frame_ds, reader: FrameReader, redacted: RedactedPixels) -> int:
    """Encapsulated frames decoded, blacked out and written as ``pixeldata.reencoding`` says.

    Native output: one element, frame after frame. Encapsulated output: the
    encoded frames are spooled (memory up to ``SPOOL_BYTES``, then a temporary
    file) until their lengths are known, then written after the offset
    table(s) as ``pixeldata.redact`` writes them (an Extended Offset Table
    element before PixelData when a Basic Offset Table cannot address them).
    """
    plan = redacted.reencoding
    if plan is None:
        raise PixelDataError("encapsulated frames with boxes need the output's layout")
    out_ds = pixels.frame_dataset(ds)
    plan.apply(out_ds)
    digest = hashlib.sha256()
    if not plan.encapsulated:
        header = plan.element_header(ds)
        dst.write(header)
        written = 0
        for index, raw in enumerate(reader.raw()):
            digest.update(raw)
            data = pixels.reencode_frame(frame_ds, out_ds, raw, redacted.boxes.for_frame(index), plan)
            dst.write(data)
            written += len(data)
        if written % 2:
            dst.write(b"\x00")
            written += 1
        if written + len(header) - 12 != int.from_bytes(header[8:12], "little"):
            raise PixelDataError("the decoded frames do not fill the uncompressed PixelData")
        if digest.hexdigest() != redacted.digest:
            raise PixelDataError("the source's PixelData changed after it was examined")
        return written + len(header)
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
        lengths = []
        for index, raw in enumerate(reader.raw()):
            digest.update(raw)
            data = pixels.reencode_frame(frame_ds, out_ds, raw, redacted.boxes.for_frame(index), plan)
            spool.write(data)
            lengths.append(len(data))
        if digest.hexdigest() != redacted.digest:
            raise PixelDataError("the source's PixelData changed after it was examined")
        tables = pixels.offset_tables(lengths)
        head = b""
        if tables is not None:  # (7FE0,0001) and (7FE0,0002), OV, before PixelData
            for element, value in zip((b"\xe0\x7f\x01\x00", b"\xe0\x7f\x02\x00"), tables):
                head += element + b"OV\x00\x00" + len(value).to_bytes(4, "little") + value
        head += plan.element_header(ds) + pixels.basic_offset_table(lengths, tables is not None)
        dst.write(head)
        written = len(head)
        spool.seek(0)
        for length in lengths:
            data = pixels.item(_read_exactly(spool, length))
            dst.write(data)
            written += len(data)
    dst.write(SEQUENCE_DELIMITER)
    return written + len(SEQUENCE_DELIMITER)


def _copy(src: BinaryIO, dst, size: int, chunk: int) -> int:
    left = size
    while left > 0:
        block = src.read(min(chunk, left))
        if not block:
            raise SourceReadError("the file ends inside PixelData: it changed while it was read")
        dst.write(block)
        left -= len(block)
    return size
