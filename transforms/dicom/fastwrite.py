"""pydicom's ``write_dataset`` with untouched raw elements written in one step.

Most elements of a de-identified instance are kept as read: pydicom holds them
as ``RawDataElement`` (undecoded bytes) and, when the encoding and character
set are unchanged, ``write_data_element`` writes their bytes as they are, but
through a per-element buffer and four or five small writes (tag, VR, reserved
bytes, length, value). Serialization was a third of the engine's time in the
tag-only profile (bench ``--case profile``). Here such an element's header is
packed with one ``struct`` call and written with its value; every other
element (decoded, changed, a sequence or value of undefined length, a short-VR
value over 64 KiB, deferred values) goes through pydicom's
``write_data_element`` unchanged, and any other encoding case through pydicom's
``write_dataset``: the bytes are the same as pydicom's (tests/test_fastwrite.py
compares them on every instance it can find).

Changed and new elements of the common kinds (numbers, ASCII strings, UIDs,
dates and times, OB/OW values, sequences of such items) are encoded here too,
by pydicom's rules (the same padding, joins and lengths); ``write_file_meta``
writes the File Meta Information as pydicom's ``write_file_meta_info`` does.
Anything else (person names, decimal and integer strings, non-ASCII text, AT,
ambiguous VRs, buffered values, values too long for a short VR, items read
with another encoding) is left to pydicom.
"""

from __future__ import annotations

import struct

from pydicom.charset import convert_encodings, default_encoding
from pydicom.dataelem import DataElement, RawDataElement
from pydicom.dataset import Dataset, FileMetaDataset, validate_file_meta
from pydicom.filebase import DicomBytesIO, DicomIO
from pydicom.filewriter import write_data_element, write_file_meta_info
from pydicom.filewriter import write_dataset as pydicom_write_dataset
from pydicom.multival import MultiValue
from pydicom.tag import tag_in_exception
from pydicom.valuerep import EXPLICIT_VR_LENGTH_32

_SHORT = struct.Struct("<HH2sH").pack
_LONG = struct.Struct("<HH2s2xI").pack
_LONG_VRS = frozenset(str(vr) for vr in EXPLICIT_VR_LENGTH_32)
_UNDEFINED = 0xFFFFFFFF


def write_dataset(fp: DicomIO, dataset: Dataset, parent_encoding=default_encoding) -> int:
    """Encode ``dataset`` into ``fp`` as pydicom's ``write_dataset`` does; return the bytes written.

    The fast path needs ``fp`` set to explicit VR little endian and the dataset's
    original encoding and character set unchanged (pydicom's own condition for
    writing raw elements as they are); otherwise this is pydicom's function.
    """
    fp_encoding = (getattr(fp, "_implicit_vr", None), getattr(fp, "_little_endian", None))
    if (
        fp_encoding != (False, True)
        or not (
            (dataset.original_encoding == fp_encoding and dataset.original_character_set == dataset._character_set)
            or _new_and_plain(dataset)  # no raw element: the character set check does not apply
        )
    ):
        return pydicom_write_dataset(fp, dataset, parent_encoding)
    encodings = dataset.get("SpecificCharacterSet", parent_encoding)
    start = fp.tell()
    write = fp.write
    elements = dataset._dict
    for tag in sorted(elements):
        if tag & 0xFFFF == 0 and tag >> 16 > 6:
            continue  # retired group lengths are not written (PS3.5 7.2), as in pydicom
        elem = elements[tag]
        if isinstance(elem, RawDataElement):
            value, vr = elem.value, elem.VR
            if (
                value is not None and vr is not None and len(vr) == 2 and elem.length != _UNDEFINED
                and not elem.is_implicit_VR and elem.is_little_endian
            ):
                n = len(value)
                if vr in _LONG_VRS:
                    write(_LONG(tag >> 16, tag & 0xFFFF, vr.encode(), n))
                    write(value)
                    continue
                if n <= 0xFFFF:
                    write(_SHORT(tag >> 16, tag & 0xFFFF, vr.encode(), n))
                    write(value)
                    continue
            elem = dataset.get_item(tag)
        else:
            encoded = _encode(elem, encodings)
            if encoded is not None:
                for part in encoded:
                    write(part)
                continue
        with tag_in_exception(tag):
            write_data_element(fp, elem, encodings)
    return fp.tell() - start


def _new_and_plain(dataset: Dataset) -> bool:
    """A dataset built in memory whose ambiguous-VR correction (pydicom's, for such a dataset) changes nothing.

    pydicom corrects ambiguous VRs of a dataset not read from a file before
    writing it; with no raw element, no sequence and no ambiguous VR that is a
    no-op, and the elements are written as they are.
    """
    if dataset.original_encoding != (None, None):
        return False
    for elem in dataset._dict.values():
        if isinstance(elem, RawDataElement) or elem.VR == "SQ" or len(elem.VR) != 2:
            return False
    return True


def write_file_meta(fp: DicomIO, file_meta: FileMetaDataset) -> None:
    """Write the File Meta Information as ``write_file_meta_info(fp, file_meta, enforce_standard=True)`` does."""
    validate_file_meta(file_meta, True)
    if "FileMetaInformationGroupLength" not in file_meta:
        file_meta.FileMetaInformationGroupLength = 0
    buffer = DicomBytesIO()
    buffer.is_little_endian = True
    buffer.is_implicit_VR = False
    write_dataset(buffer, file_meta)
    data = buffer.getvalue()
    # the group length counts what follows its own 12 bytes, as pydicom computes it
    file_meta.FileMetaInformationGroupLength = len(data) - 12
    encoded = _encode(file_meta[0x00020000], default_encoding)
    encoded = None if encoded is None else b"".join(encoded)
    if encoded is None or len(encoded) != 12 or not data.startswith(encoded[:8]):
        write_file_meta_info(fp, file_meta, enforce_standard=True)  # an unusual group length: pydicom's way
        return
    fp.write(encoded)
    fp.write(data[12:])


_STRING_VRS = frozenset(("AE", "AS", "CS", "DA", "DT", "TM", "UR"))  # pydicom's write_string (padding " ")
_TEXT_VRS = frozenset(("LO", "LT", "SH", "ST", "UC", "UT"))  # write_text: charset-encoded (ASCII here)
_BYTES_VRS = frozenset(("OB", "OW", "OD", "OF", "OL", "OV"))  # padded with a zero byte
_NUMBER_FORMATS = {"US": "H", "UL": "L", "SS": "h", "SL": "l", "FL": "f", "FD": "d", "SV": "q", "UV": "Q"}
_ITEM_HEAD = struct.Struct("<HHI").pack
_ITEM_DELIMITER = b"\xfe\xff\x0d\xe0\x00\x00\x00\x00"
_SEQ_DELIMITER = b"\xfe\xff\xdd\xe0\x00\x00\x00\x00"


def _encode(elem: DataElement, encodings) -> tuple[bytes, ...] | None:
    """The element's explicit VR little endian bytes as pydicom writes them, in parts; None: left to pydicom.

    The header and the value stay apart, so that a large value (a redacted
    PixelData) is written as it is, not copied into one more buffer.
    """
    vr = elem.VR
    if elem.is_buffered:
        return None
    tag = elem.tag
    if vr == "SQ":
        return _encode_sequence(elem, encodings)
    value = _value_bytes(vr, elem.value)
    if value is None:
        return None
    n = len(value)
    if vr in _LONG_VRS:
        if elem.is_undefined_length:
            return None
        return _LONG(tag >> 16, tag & 0xFFFF, vr.encode(), n), value
    if n > 0xFFFF or len(vr) != 2:
        return None
    return _SHORT(tag >> 16, tag & 0xFFFF, vr.encode(), n), value


def _value_bytes(vr: str, value) -> bytes | None:
    if value is None:
        return b""
    if vr == "UI" or vr in _STRING_VRS or vr in _TEXT_VRS:
        if isinstance(value, str):
            text = value
        elif isinstance(value, (list, tuple, MultiValue)) and all(isinstance(v, str) for v in value):
            text = "\\".join(value)
        else:
            return None
        if not text.isascii():
            return None  # the character set decides (pydicom)
        if len(text) % 2:
            text += "\0" if vr == "UI" else " "
        return text.encode("ascii")
    fmt = _NUMBER_FORMATS.get(vr)
    if fmt is not None:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            try:
                return struct.pack("<" + fmt, value)
            except (struct.error, TypeError):
                return None
        if isinstance(value, (list, MultiValue)) and vr != "SS":  # SS: LUT descriptors mix in US (pydicom)
            if not value:
                return b""
            try:
                return struct.pack(f"<{len(value)}{fmt}", *value)
            except (struct.error, TypeError):
                return None
        if value == "" or (isinstance(value, (list, MultiValue)) and not value):
            return b""
        return None
    if vr in _BYTES_VRS and isinstance(value, bytes):
        return value + b"\x00" if len(value) % 2 else value
    return None


def _encode_sequence(elem: DataElement, encodings) -> tuple[bytes, ...]:
    """A sequence as pydicom writes it: items of defined length unless read undefined, then the element."""
    encodings = convert_encodings(encodings or [default_encoding])
    parts = []
    for item in elem.value:
        fp = DicomBytesIO()
        fp.is_implicit_VR, fp.is_little_endian = False, True
        write_dataset(fp, item, encodings)
        data = fp.getvalue()
        if getattr(item, "is_undefined_length_sequence_item", False):
            parts += [_ITEM_HEAD(0xFFFE, 0xE000, _UNDEFINED), data, _ITEM_DELIMITER]
        else:
            parts += [_ITEM_HEAD(0xFFFE, 0xE000, len(data)), data]
    value = b"".join(parts)
    tag = elem.tag
    if elem.is_undefined_length:
        return _LONG(tag >> 16, tag & 0xFFFF, b"SQ", _UNDEFINED), value, _SEQ_DELIMITER
    return _LONG(tag >> 16, tag & 0xFFFF, b"SQ", len(value)), value
