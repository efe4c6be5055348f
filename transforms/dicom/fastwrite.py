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
"""

from __future__ import annotations

import struct

from pydicom.charset import default_encoding
from pydicom.dataelem import RawDataElement
from pydicom.dataset import Dataset
from pydicom.filebase import DicomIO
from pydicom.filewriter import write_data_element
from pydicom.filewriter import write_dataset as pydicom_write_dataset
from pydicom.tag import tag_in_exception
from pydicom.valuerep import EXPLICIT_VR_LENGTH_32

_SHORT = struct.Struct("<HH2sH").pack
_LONG = struct.Struct("<HH2s2xI").pack
_LONG_VRS = frozenset(str(vr) for vr in EXPLICIT_VR_LENGTH_32)
_UNDEFINED = 0xFFFFFFFF


def write_dataset(fp: DicomIO, dataset: Dataset) -> int:
    """Encode ``dataset`` into ``fp`` as pydicom's ``write_dataset`` does; return the bytes written.

    The fast path needs ``fp`` set to explicit VR little endian and the dataset's
    original encoding and character set unchanged (pydicom's own condition for
    writing raw elements as they are); otherwise this is pydicom's function.
    """
    fp_encoding = (getattr(fp, "_implicit_vr", None), getattr(fp, "_little_endian", None))
    if (
        fp_encoding != (False, True)
        or dataset.original_encoding != fp_encoding
        or dataset.original_character_set != dataset._character_set
    ):
        return pydicom_write_dataset(fp, dataset)
    encodings = dataset.get("SpecificCharacterSet", default_encoding)
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
        with tag_in_exception(tag):
            write_data_element(fp, elem, encodings)
    return fp.tell() - start
