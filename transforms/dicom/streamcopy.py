"""Large instances without pixel redaction: de-identify the header, copy the pixel bytes.

When the config changes nothing in PixelData (no burned-in text redaction, no
``cleanImageTag``, PixelData kept by the plan), the engine's output is the
de-identified header followed by the source's PixelData element byte for byte.
For an instance of hundreds of MB that means the pixels never need to be in
memory: ``read_header`` reads a bounded head of the file up to the PixelData
tag, the engine de-identifies that header (``Deidentifier(..., header_only=True)``),
and the writer appends the source bytes from ``pixel_offset`` to the end of the
file in chunks.

``copyable_tail`` accepts a file only when that concatenation is exactly what the
engine writes from the whole file, and when the engine's checks on the pixel
data would pass: little-endian, not deflated, PixelData is the file's last
element, its element header is the one the serializer writes (defined even
length for native pixels, undefined length with a zero-length delimiter for
encapsulated ones), native pixels are as long as Rows x Columns x frames
declare, encapsulated items fill the value exactly. Anything else goes the
ordinary way (the whole file through the engine), so outputs and failure
records never depend on which way an instance went. Nothing here imports Beam:
callers hand in open binary files.
"""

from __future__ import annotations

import struct
from typing import BinaryIO

from pydicom.dataset import Dataset

from transforms.dicom import codec
from transforms.pixels.burnedin import needs_pixels
from transforms.pixels.framestream import FrameLayout, encapsulated_layout, native_layout
from transforms.deid_config import PIXEL_DATA, DeidSpec
from transforms.errors import MissingAttributeError, SourceChangedError
from transforms.dicom.profiles import Op, Plan

HEAD_BYTES = 128 * 1024
COPY_CHUNK_BYTES = 8 * 1024 * 1024
_PIXEL_TAG_LE = struct.pack("<HH", 0x7FE0, 0x0010)
_ITEM = 0xFFFEE000
_SEQ_DELIMITER = 0xFFFEE0DD
_UNDEFINED = 0xFFFFFFFF


def read_header(f: BinaryIO, first: int = HEAD_BYTES) -> tuple[bytes, Dataset, int | None]:
    """Read a file's head, growing it until the header up to PixelData parses.

    Parameters
    ----------
    f : binary file
        Positioned at the start of a Part 10 file.
    first : int
        Bytes to read first; the head doubles while the header is incomplete.

    Returns
    -------
    tuple
        ``(head, header, pixel_offset)``: the bytes read, the parsed data set
        without pixel data, and the offset of the PixelData tag (None when the
        file has none, or another pixel data element comes first).

    Raises
    ------
    DeidError
        When the whole file has been read and the header still does not parse
        (or another exception of the parser on such a file).
    """
    head = f.read(first)
    eof = len(head) < first
    while True:
        try:
            ds, stop = codec.parse_header(head)
            if stop < len(head) or eof:
                break
        except Exception:  # a cut head fails in many ways (pydicom, zlib); read more
            if eof:
                raise
        more = f.read(max(len(head), first))
        eof = not more
        head += more
    pixel_offset = stop if head[stop : stop + 4] == _PIXEL_TAG_LE else None
    return head, ds, pixel_offset


def copyable_tail(spec: DeidSpec, plan: Plan, ds: Dataset, f: BinaryIO, pixel_offset: int, size: int) -> bool:
    """True when the source bytes from ``pixel_offset`` to ``size`` can be copied verbatim.

    Parameters
    ----------
    spec, plan : DeidSpec, Plan
        The job's config and its compiled plan.
    ds : Dataset
        The header from ``read_header`` (its file meta gives the transfer syntax).
    f : binary file
        The source file (seekable); read only at element and item headers.
    pixel_offset : int
        Where the PixelData tag starts.
    size : int
        The file's size in bytes.
    """
    if needs_pixels(spec):
        return False
    element = _pixel_element(plan, ds, f, pixel_offset)
    if element is None:
        return False
    vr, length, value_start = element
    if ds.file_meta.TransferSyntaxUID.is_compressed:
        return vr == "OB" and length == _UNDEFINED and _items_end(f, value_start, size) == size
    if length == _UNDEFINED or length % 2 or value_start + length != size:
        return False
    return _native_length_ok(ds, length)


def redactable_tail(
    spec: DeidSpec, plan: Plan, ds: Dataset, f: BinaryIO, pixel_offset: int, size: int
) -> FrameLayout | None:
    """The frame layout when a redacting config can black out the frames one at a time, else None.

    As ``copyable_tail`` (the header-only output followed by the source's
    PixelData element is what the engine writes, byte for byte, apart from the
    blacked-out pixels), for native PixelData (``framestream.native_layout``:
    uncompressed, 8 to 64 bits allocated, the photometric interpretations
    redaction supports) and encapsulated PixelData of one fragment per frame
    other than RLE (``framestream.encapsulated_layout``; written uncompressed
    when a box changes a pixel, as on the whole-file way). Parameters as
    ``copyable_tail``.
    """
    if not needs_pixels(spec):
        return None
    element = _pixel_element(plan, ds, f, pixel_offset)
    if element is None:
        return None
    vr, length, value_start = element
    if ds.file_meta.TransferSyntaxUID.is_compressed:
        if vr != "OB" or length != _UNDEFINED:
            return None
        return encapsulated_layout(ds, f, pixel_offset, value_start, size)
    if length == _UNDEFINED or length % 2 or value_start + length != size or not _native_length_ok(ds, length):
        return None
    return native_layout(ds, pixel_offset, value_start, length, None if vr == "OB or OW" else vr)


def _pixel_element(plan: Plan, ds: Dataset, f: BinaryIO, pixel_offset: int) -> tuple[str, int, int] | None:
    """(VR, value length, value offset) of a little-endian, not deflated PixelData the plan keeps, or None."""
    ts = ds.file_meta.TransferSyntaxUID
    if not ts.is_little_endian or ts.is_deflated or not ts.is_transfer_syntax:
        return None
    f.seek(pixel_offset)
    if ts.is_implicit_VR:
        head = f.read(8)
        if len(head) < 8:
            return None
        vr, length, value_start = "OB or OW", struct.unpack_from("<I", head, 4)[0], pixel_offset + 8
    else:
        head = f.read(12)
        if len(head) < 12 or head[6:8] != b"\x00\x00":
            return None
        vr, length, value_start = head[4:6].decode("latin-1"), struct.unpack_from("<I", head, 8)[0], pixel_offset + 12
        if vr not in ("OB", "OW"):
            return None
    if plan.decide(PIXEL_DATA, vr) not in (Op.KEEP, Op.WALK):
        return None
    return vr, length, value_start


def _items_end(f: BinaryIO, pos: int, size: int) -> int | None:
    """Walk encapsulated items from ``pos``; return the offset after a zero-length delimiter."""
    while pos + 8 <= size:
        f.seek(pos)
        group, elem, length = struct.unpack("<HHI", f.read(8))
        tag = (group << 16) | elem
        if tag == _SEQ_DELIMITER:
            return pos + 8 if length == 0 else None
        if tag != _ITEM or length == _UNDEFINED:
            return None
        pos += 8 + length
    return None


def _native_length_ok(ds: Dataset, length: int) -> bool:
    try:
        return length * 8 >= codec.native_pixel_bits(ds)
    except MissingAttributeError:
        return False


def copy_tail(
    src: BinaryIO, dst: BinaryIO, pixel_offset: int, chunk: int = COPY_CHUNK_BYTES, end: int | None = None
) -> int:
    """Copy ``src`` from ``pixel_offset`` into ``dst`` in chunks; return the bytes copied.

    With ``end`` (the file's size when it was examined) exactly ``end -
    pixel_offset`` bytes are copied, never what was appended since, and a file
    that ends sooner raises SourceChangedError; without it, to the file's end.
    """
    src.seek(pixel_offset)
    copied = 0
    left = None if end is None else end - pixel_offset
    while left is None or left > 0:
        block = src.read(chunk if left is None else min(chunk, left))
        if not block:
            if left:
                raise SourceChangedError("the source file is shorter than when it was examined: its pixel data is not copied")
            return copied
        dst.write(block)
        copied += len(block)
        if left is not None:
            left -= len(block)
    return copied
