"""Values that do not fit their VR: never written as they came (hostile input, issue 22).

A number, date, time, age, code string or UID has a form PS3.5 Table 6.2-1 fixes.
An element kept by the profile is normally written back byte for byte without
being decoded (``transforms.dicom.tags``), so a name stored as SliceThickness (DS)
or InstanceNumber (IS) would leave unchanged, in a place no text rule looks. The
tag walker asks ``fits`` for every element it keeps whose VR has a form
(``CHECKED_VRS``) and replaces one that does not fit (``replacement``; a UID is
regenerated instead, ``transforms.dicom.uids``): the decision is ours, made in
every profile, and counted (``TagLog.replaced``).

The forms are PS3.5's, read leniently where real archives differ harmlessly (a
DS or IS with surrounding spaces, an ACR-NEMA date ``1990.01.01``, a time with
colons or more than six fraction digits, an age with fewer than three digits):
what none of them allows is a letter where a number, date or time goes. Code
strings (CS) are upper-case letters, digits, space and underscore, at most 16
characters a value; SpecificCharacterSet holds only the defined terms of PS3.3
C.12.1.1.2 (those pydicom can decode): an unknown term is dropped, the known
ones are kept (an upper-case name fits the CS form, not this list). Binary numbers (US, SS, UL, SL, FL, FD, SV, UV, AT) must be
a whole number of values, and exactly the dictionary's count when its VM is fixed
(eight bytes of ``Rows`` are not a number of rows: they may be a name).
"""

from __future__ import annotations

import re

from pydicom.charset import python_encoding
from pydicom.datadict import dictionary_VM
from pydicom.dataelem import DataElement, RawDataElement
from pydicom.multival import MultiValue

from transforms.dicom.uids import MAX_UID_LENGTH, is_valid_uid

# Unambiguous forms (a run of digits can be split one way only): matching is linear in the
# value's length, so a hostile 64 KiB value cannot make the check slow.
_TEXT_FORMS = {
    "DS": rb" *[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)? *",
    "IS": rb" *[+-]?[0-9]+ *",
    "DA": rb"(?:[0-9]{8}|[0-9]{4}\.[0-9]{2}\.[0-9]{2}) *",
    "TM": rb"[0-9]{2}(?::?[0-9]{2}(?::?[0-9]{2}(?:\.[0-9]*)?)?)? *",
    "DT": rb"[0-9]{4}(?:[0-9]{2}(?:[0-9]{2}(?:[0-9]{2}(?:[0-9]{2}(?:[0-9]{2}(?:\.[0-9]*)?)?)?)?)?)?(?:[+-][0-9]{4})? *",
    "AS": rb"[0-9]{1,3}[DWMY]",
    "CS": rb"[A-Z0-9 _]{0,16}",
}
_TEXT_RES = {vr: re.compile(form) for vr, form in _TEXT_FORMS.items()}
# The same forms over a whole multi-valued element (values separated by backslashes, each may be empty).
_MULTI_RES = {vr: re.compile(rb"(?:%s)?(?:\\(?:%s)?)*" % (form, form)) for vr, form in _TEXT_FORMS.items()}
_UID_BYTES = re.compile(rb"(?:0|[1-9][0-9]*)(?:\.(?:0|[1-9][0-9]*))*")
BINARY_SIZES = {"US": 2, "SS": 2, "UL": 4, "SL": 4, "FL": 4, "FD": 8, "SV": 8, "UV": 8, "AT": 4}
CHECKED_VRS = frozenset(_TEXT_FORMS) | frozenset(BINARY_SIZES) | {"UI"}
# The dummies of a value that does not fit (the D dummies of transforms.dicom.tags).
_TEXT_DUMMIES = {"DS": "0", "IS": "0", "DA": "19000101", "TM": "000000", "DT": "19000101000000", "AS": "000Y", "CS": "PLACEHOLDER"}
_PADDING = b" \x00"
SPECIFIC_CHARACTER_SET = 0x00080005
_CHARSET_TERMS = frozenset(term.encode("ascii") for term in python_encoding)


def value_bytes(elem: DataElement | RawDataElement) -> bytes | None:
    """The element's value as stored text (str VRs) or bytes; None when it cannot be had."""
    value = elem.value
    if value is None:
        return b""
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    if isinstance(value, str):
        return value.encode("utf-8", "surrogateescape")
    if isinstance(value, (list, tuple, MultiValue)):
        return b"\\".join(str(v).encode("utf-8", "surrogateescape") for v in value)
    return str(value).encode("utf-8", "surrogateescape")


def _fixed_vm(tag: int) -> int | None:
    vm = _FIXED_VMS.get(tag, _UNKNOWN)
    if vm is _UNKNOWN:
        try:
            text = dictionary_VM(tag)
            vm = int(text) if text.isdigit() else None
        except KeyError:
            vm = None
        _FIXED_VMS[tag] = vm
    return vm


_FIXED_VMS: dict[int, int | None] = {}
_UNKNOWN = object()


def fits(vr: str, elem: DataElement | RawDataElement, tag: int) -> bool:
    """True when the element's value has the form of its VR (see the module docstring).

    ``vr`` is one of ``CHECKED_VRS`` (others always fit). An empty value fits.
    On the hot path (every kept element of these VRs): one regular expression
    over the stored bytes of a text value, a length check for a binary one.
    """
    value = elem.value
    size = BINARY_SIZES.get(vr)
    if size is not None:
        if isinstance(value, (bytes, bytearray)):
            n, rest = divmod(len(value), size)
            if rest:
                return False
        elif value is None:
            return True
        else:
            n = len(value) if isinstance(value, (list, tuple, MultiValue)) else 1
        if n == 0:
            return True
        vm = _fixed_vm(tag)
        return vm is None or n == vm
    data = value if type(value) is bytes else value_bytes(elem)
    data = data.rstrip(_PADDING)
    if not data:
        return True
    if vr == "UI":
        if b"\\" not in data:
            return len(data) <= MAX_UID_LENGTH and _UID_BYTES.fullmatch(data) is not None
        return data.isascii() and all(is_valid_uid(v.rstrip(_PADDING).decode("ascii")) for v in data.split(b"\\"))
    if tag == SPECIFIC_CHARACTER_SET:
        return all(v.strip(_PADDING) in _CHARSET_TERMS for v in data.split(b"\\"))
    pattern = _MULTI_RES.get(vr)
    return pattern is None or pattern.fullmatch(data) is not None


def replacement(vr: str, elem: DataElement | RawDataElement, tag: int) -> object:
    """The value written instead of one that does not fit (not for UI, which is regenerated).

    Text VRs: each value that does not fit becomes the VR's dummy, each value
    that fits stays (the multiplicity stays); binary numbers: zeros, as many as
    a fixed VM asks (else one).
    """
    size = BINARY_SIZES.get(vr)
    if size is not None:
        vm = _fixed_vm(tag) or 1
        return 0 if vm == 1 else [0] * vm
    data = (value_bytes(elem) or b"").rstrip(_PADDING)
    if tag == SPECIFIC_CHARACTER_SET:  # the known terms stay (the first may be empty: the default repertoire)
        known = [v.strip(_PADDING).decode("ascii") for v in data.split(b"\\") if v.strip(_PADDING) in _CHARSET_TERMS]
        return None if not any(known) else (known[0] if len(known) == 1 else known)
    pattern, dummy = _TEXT_RES[vr], _TEXT_DUMMIES[vr]
    values = [
        v.decode("ascii").strip() if not v or pattern.fullmatch(v) is not None else dummy for v in data.split(b"\\")
    ]
    return values[0] if len(values) == 1 else values


__all__ = ["BINARY_SIZES", "CHECKED_VRS", "fits", "replacement", "value_bytes"]
