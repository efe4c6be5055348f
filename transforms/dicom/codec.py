"""Reading and writing DICOM Part 10 bytes, strictly.

pydicom reads a truncated file without complaint (the last value simply comes
back short), so ``parse`` checks that every declared length was satisfied and
that the pixel data is complete before the instance goes any further.
"""

from __future__ import annotations

import io
import struct
import zlib

import pydicom
from pydicom.dataset import Dataset
from pydicom.filebase import DicomBytesIO
from pydicom.errors import InvalidDicomError
from pydicom.tag import Tag

from transforms.dicom import fastwrite
from transforms.errors import (
    cause,
    InputTooLargeError,
    InvalidInstanceError,
    MissingAttributeError,
    TruncatedInstanceError,
    UnsupportedInstanceError,
)

DICOMDIR_CLASS = "1.2.840.10008.1.3.10"
UNDEFINED_LENGTH = 0xFFFFFFFF
REQUIRED_KEYWORDS = ("SOPClassUID", "SOPInstanceUID", "StudyInstanceUID", "SeriesInstanceUID")
_REQUIRED_TAGS = tuple((kw, Tag(pydicom.datadict.tag_for_keyword(kw))) for kw in REQUIRED_KEYWORDS)
# The most a deflated data set may inflate to, by default: the largest instance read (the
# job's --max_instance_bytes default); a few kilobytes of deflate can hold gigabytes of zeros.
DEFAULT_MAX_INFLATED_BYTES = 4 * 1024**3
_DEFLATED = "1.2.840.10008.1.2.1.99"
_DEFLATED_BYTES = _DEFLATED.encode("ascii")
_INFLATE_CHUNK = 1 << 20
_ITEM = 0xFFFEE000
_SEQ_DELIMITER = 0xFFFEE0DD


def parse(data: bytes, stop_before_pixels: bool = False, max_inflated: int = DEFAULT_MAX_INFLATED_BYTES) -> Dataset:
    """Return the dataset of a Part 10 file, with its file meta.

    ``max_inflated``: the most a deflated data set (Deflated Explicit VR Little
    Endian) may inflate to; it is measured, in bounded chunks, before pydicom
    inflates it whole.

    Raises
    ------
    InvalidInstanceError
        Empty file, no DICM prefix, or a structure pydicom cannot read.
    TruncatedInstanceError
        The file ends before a value it declares.
    UnsupportedInstanceError
        A DICOMDIR or another non-composite object.
    InputTooLargeError
        A deflated data set that inflates to more than ``max_inflated`` bytes.
    """
    return _parse(data, stop_before_pixels, max_inflated)[0]


def parse_header(data: bytes, max_inflated: int = DEFAULT_MAX_INFLATED_BYTES) -> tuple[Dataset, int]:
    """Parse a file's head up to its pixel data, with the checks of ``parse``.

    Returns
    -------
    tuple
        The data set without pixel data, and the byte offset where reading
        stopped: the pixel data element's tag, or ``len(data)`` when the bytes
        ended first (read more, or the instance has no pixel data).

    Raises
    ------
    DeidError
        As ``parse`` (a head cut inside an element raises TruncatedInstanceError).
    """
    return _parse(data, True, max_inflated)


def _parse(data: bytes, stop_before_pixels: bool, max_inflated: int) -> tuple[Dataset, int]:
    if not data:
        raise InvalidInstanceError("the file is empty")
    if len(data) < 132 or data[128:132] != b"DICM":
        raise InvalidInstanceError("not a DICOM Part 10 file (no DICM prefix at byte 128)")
    check_inflated_size(data, max_inflated)
    fp = io.BytesIO(data)
    try:
        ds = pydicom.dcmread(fp, stop_before_pixels=stop_before_pixels)
    except InvalidDicomError as exc:
        raise InvalidInstanceError("the DICOM file meta is invalid") from exc
    except zlib.error as exc:
        raise InvalidInstanceError("the deflated data set cannot be inflated") from exc
    except (EOFError, OSError, struct.error, ValueError, KeyError, NotImplementedError) as exc:
        raise InvalidInstanceError(f"pydicom could not read the data set ({cause(exc)})") from exc
    meta = getattr(ds, "file_meta", None)
    if meta is None or "TransferSyntaxUID" not in meta:
        raise InvalidInstanceError("the file meta has no TransferSyntaxUID")
    if str(meta.get("MediaStorageSOPClassUID", "")) == DICOMDIR_CLASS or "DirectoryRecordSequence" in ds:
        raise UnsupportedInstanceError("a DICOMDIR is a media directory, not an instance")
    _check_lengths(ds)
    _check_lengths(meta)
    if not meta.TransferSyntaxUID.is_transfer_syntax:
        raise UnsupportedInstanceError("the file meta TransferSyntaxUID is not a known transfer syntax")
    implicit = _body_implicit(ds)
    if implicit is not None and implicit != meta.TransferSyntaxUID.is_implicit_VR:
        _decode_all(ds)  # written in the VR encoding the file meta declares: every VR must be known
    check_required(ds, "the instance has no {}")
    if not stop_before_pixels:
        _check_pixels(ds)
    return ds, fp.tell()


def check_inflated_size(data: bytes, limit: int) -> None:
    """Refuse a deflated data set that inflates to more than ``limit`` bytes.

    pydicom inflates the whole body at once, so a small file of deflated zeros
    (a "deflate bomb") would take gigabytes; here it is inflated in chunks of at
    most 1 MiB that are counted and dropped. Other transfer syntaxes return at once.
    """
    if not _may_be_deflated(data):
        return
    fp = io.BytesIO(data)
    fp.seek(132)  # after the preamble and DICM (checked by the caller)
    try:
        meta = pydicom.filereader._read_file_meta_info(fp)
    except Exception:
        return  # pydicom's own read reports a broken file meta
    if str(meta.get("TransferSyntaxUID", "")).rstrip("\x00 ") != _DEFLATED:
        return
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    body = memoryview(data)[fp.tell():]
    total = 0
    try:
        for start in range(0, len(body), _INFLATE_CHUNK):
            chunk = body[start:start + _INFLATE_CHUNK]
            while chunk:
                total += len(inflater.decompress(chunk, _INFLATE_CHUNK))
                if total > limit:
                    raise InputTooLargeError(f"the deflated data set inflates to more than {limit} bytes and is not read")
                chunk = inflater.unconsumed_tail
                if inflater.eof:
                    return
        while True:  # what the inflater still holds
            out = inflater.decompress(b"", _INFLATE_CHUNK)
            if not out:
                return
            total += len(out)
            if total > limit:
                raise InputTooLargeError(f"the deflated data set inflates to more than {limit} bytes and is not read")
    except zlib.error:
        return  # pydicom's own read reports it ("cannot be inflated")


def _may_be_deflated(data: bytes) -> bool:
    """Whether the file meta may declare the deflated syntax: its UID's bytes lie in the meta.

    The meta (explicit VR little endian, group 0002, right after DICM) is walked element by
    element without pydicom, which is what every instance pays; a meta that cannot be walked so
    is searched whole-file, and only a file holding the UID's bytes is parsed by pydicom.
    """
    pos, end = 132, len(data)
    while pos + 8 <= end and data[pos:pos + 2] == b"\x02\x00":
        vr = data[pos + 4:pos + 6].decode("latin-1")
        if vr not in _VALID_VRS:
            return _DEFLATED_BYTES in data
        if vr in _LONG_LENGTH_VRS:
            if pos + 12 > end:
                break
            pos += 12 + int.from_bytes(data[pos + 8:pos + 12], "little")
        else:
            pos += 8 + int.from_bytes(data[pos + 6:pos + 8], "little")
    return _DEFLATED_BYTES in data[132:pos]


def _body_implicit(ds: Dataset) -> bool | None:
    """Whether the body was read as implicit VR (None for a body with no raw element)."""
    for raw in ds._dict.values():
        implicit = getattr(raw, "is_implicit_VR", None)
        if implicit is not None:
            return bool(implicit)
    return None


def _decode_all(ds: Dataset) -> None:
    """Convert every element (at any depth) of a data set whose body's VR encoding
    differs from its transfer syntax's (pydicom reads such a body as it finds it, and
    an implicit VR element has no VR to write explicitly)."""
    for tag in list(ds._dict):
        try:
            elem = ds[tag]
        except Exception as exc:
            kw = pydicom.datadict.keyword_for_tag(tag) or str(Tag(tag))
            raise InvalidInstanceError(f"the value of {kw} does not match its VR") from exc
        if elem.VR == "SQ":
            for item in elem.value or ():
                _decode_all(item)


def check_required(ds: Dataset, message: str) -> None:
    """Raise MissingAttributeError when a UID the output needs is absent or empty.

    Looks at raw bytes when the element is still undecoded (no conversion cost).
    """
    for kw, tag in _REQUIRED_TAGS:
        elem = ds._dict.get(tag)
        value = None if elem is None else elem.value
        if isinstance(value, (bytes, bytearray)):
            value = value.strip(b"\x00 ")
        elif value is not None:
            value = str(value).strip("\x00 ")
        if not value:
            raise MissingAttributeError(message.format(kw))


_VALID_VRS = frozenset(v.value for v in pydicom.valuerep.VR)
# VRs whose explicit-VR header has 2 reserved bytes and a 4-byte length (PS3.5 7.1.2).
_LONG_LENGTH_VRS = frozenset(pydicom.valuerep.EXPLICIT_VR_LENGTH_32)


def _check_lengths(ds: Dataset) -> None:
    """Every declared length satisfied, every VR code valid, no stray item tag (top level)."""
    valid = _VALID_VRS
    for tag, raw in ds._dict.items():
        vr = raw.VR
        if vr not in valid:
            if tag >> 16 == 0xFFFE:
                raise InvalidInstanceError("the data set holds an item or delimiter tag outside a sequence")
            if vr is not None or getattr(raw, "is_implicit_VR", None) is False:
                kw = pydicom.datadict.keyword_for_tag(tag) or str(Tag(tag))
                raise InvalidInstanceError(f"{kw} has an invalid VR code")
        length = getattr(raw, "length", None)
        if length is None or length == UNDEFINED_LENGTH:
            continue
        value = raw.value
        if isinstance(value, (bytes, bytearray)) and len(value) < length:
            kw = pydicom.datadict.keyword_for_tag(tag) or str(Tag(tag))
            raise TruncatedInstanceError(f"the file ends inside {kw}")


def _check_pixels(ds: Dataset) -> None:
    if "PixelData" not in ds:
        if "Rows" in ds and "Columns" in ds and "FloatPixelData" not in ds and "DoubleFloatPixelData" not in ds:
            raise TruncatedInstanceError("the instance has image attributes but no PixelData")
        return
    raw = ds.get_item(0x7FE00010)
    value = raw.value
    if not isinstance(value, (bytes, bytearray)):
        return
    if ds.file_meta.TransferSyntaxUID.is_encapsulated:
        _check_encapsulated(value)
        return
    if len(value) * 8 < native_pixel_bits(ds):
        raise TruncatedInstanceError("PixelData is shorter than Rows x Columns x frames declare")


def native_pixel_bits(ds: Dataset) -> int:
    """Return the bits native PixelData must hold: Rows x Columns x samples x frames x BitsAllocated.

    Native YBR_FULL_422 stores two values per pixel, not three (PS3.3 C.7.6.3.1.2:
    each pair of pixels is Y Y Cb Cr).

    Raises
    ------
    MissingAttributeError
        When Rows, Columns or BitsAllocated is missing or not a number.
    """
    try:
        rows, cols = int(ds.Rows), int(ds.Columns)
        spp = int(ds.get("SamplesPerPixel", 1) or 1)
        bits = int(ds.BitsAllocated)
        frames = int(ds.get("NumberOfFrames", 1) or 1)
    except (AttributeError, TypeError, ValueError):
        raise MissingAttributeError("the image pixel module is incomplete (Rows, Columns or BitsAllocated)") from None
    photometric = str(ds.get("PhotometricInterpretation", "") or "").strip().upper()
    if photometric == "YBR_FULL_422" and spp == 3:
        return rows * cols * 2 * frames * bits
    return rows * cols * spp * frames * bits


def _check_encapsulated(value: bytes) -> None:
    """Walk the items of encapsulated pixel data; they must fill it exactly."""
    pos, n = 0, len(value)
    while pos + 8 <= n:
        group, elem, length = struct.unpack_from("<HHI", value, pos)
        tag = (group << 16) | elem
        if tag == _SEQ_DELIMITER:
            return
        if tag != _ITEM or length == UNDEFINED_LENGTH:
            raise InvalidInstanceError("encapsulated PixelData holds something other than items")
        pos += 8 + length
    if pos != n:
        raise TruncatedInstanceError("the file ends inside an encapsulated PixelData fragment")


def serialize(ds: Dataset) -> bytes:
    """Return Part 10 bytes (preamble, DICM, file meta) in the dataset's transfer syntax.

    Uses pydicom's ``write_file_meta_info`` and ``write_dataset`` directly:
    ``dcmwrite`` deep-copies the file meta on every call to protect the caller's
    copy, which the engine (that builds the meta per instance) does not need.
    Deflated transfer syntaxes go through ``save_as``, which compresses.
    """
    meta = ds.file_meta
    ts = meta.TransferSyntaxUID
    if ts.is_deflated or not ts.is_transfer_syntax:
        buf = io.BytesIO()
        ds.save_as(buf, enforce_file_format=True)
        return buf.getvalue()
    fp = DicomBytesIO()
    preamble = getattr(ds, "preamble", None) or b"\x00" * 128
    fp.write(preamble)
    fp.write(b"DICM")
    fastwrite.write_file_meta(fp, meta)  # write_file_meta_info(fp, meta, enforce_standard=True)'s bytes
    fp.is_implicit_VR = ts.is_implicit_VR
    fp.is_little_endian = ts.is_little_endian
    if "PixelData" in ds:
        ds["PixelData"].is_undefined_length = ts.is_compressed
    fastwrite.write_dataset(fp, ds)  # pydicom's write_dataset, the same bytes, faster for raw elements
    return fp.getvalue()
