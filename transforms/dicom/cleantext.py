"""Free-text cleaning of data elements: cleanTextTag, DEIDENTIFY_TAG_CONTENTS, Clean Descriptors.

``TextCleaner(spec, key).begin(ds)`` reads the instance's own identifiers from the
*original* header (before any tag is changed) and returns an ``InstanceCleaner``
that the tag walker calls for every element the plan cleans (``Op.CLEAN``). Each
call detects infoTypes (``transforms.text.detect``), transforms the findings as the
``text`` config says (``transforms.text.transform``), writes the new value and
records the findings for the text annotation (spec sections 2.2-2.4, 5, 7).

Header context (ours): every PN value is a PERSON_NAME; PatientBirthDate is a
DATE_OF_BIRTH; the values of the other elements the Basic Profile marks D, Z, X
or U (and of every element inside a sequence it marks so, and of private
elements) are identifiers, typed by keyword: telephone numbers, addresses,
institutions and issuers, dates, and otherwise MEDICAL_RECORD_NUMBER.
"""

from __future__ import annotations

import hashlib
import re
import hmac
from dataclasses import dataclass, field

from pydicom.datadict import keyword_for_tag
from pydicom.dataelem import DataElement, RawDataElement
from pydicom.dataset import Dataset
from pydicom.multival import MultiValue
from pydicom.tag import BaseTag

from transforms.dicom._ps315_table import PS315_E1_1
from transforms.deid_config import DeidSpec
from transforms.text.detect import ContextValue, Detector, Finding
from transforms.dicom.profiles import CLEAN_DESCRIPTOR_TAGS, TEXT_VRS
from transforms.dicom.tags import _dictionary_vr
from transforms.text.transform import TextTransformer, parse_text_config

CTX = "CTX"
_NON_PRINTABLE = re.compile(r"[^\x20-\x7e]")
_FAST_VRS = frozenset({"AE", "LO", "LT", "PN", "SH", "ST", "UC", "UT", "DA", "DT", "AS"})
_SKIP_CONTEXT_VRS = frozenset({"UI", "TM", "CS", "SQ", "US", "SS", "UL", "SL", "FL", "FD", "DS", "IS", "AT", "OB", "OW", "UN"})
_BASIC_CODES = {int(k, 16): row[2] for k, row in PS315_E1_1.items() if "x" not in k and k != "private"}
_BIRTH_DATE = 0x00100030
_PATIENT_ID = 0x00100020
_STUDY_UID = 0x0020000D


def text_key(uid_key: bytes) -> bytes:
    """The default key of cryptoHash and dateShift, derived from the UID key (ours).

    One persistent UID key then gives the same date offsets and hashes on every
    run; a random per-run UID key gives a random per-run text key.
    """
    return hmac.new(uid_key, b"dicom-deid text transformations", hashlib.sha256).digest()


def _element_text(elem: DataElement) -> str | None:
    """The element value as text (multiple values joined by backslash), None if not text."""
    value = elem.value
    if value is None:
        return ""
    if isinstance(value, (bytes, bytearray)):
        raw = bytes(value).rstrip(b"\x00 ")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return None
        return text if text.isprintable() else None
    if isinstance(value, MultiValue):
        return "\\".join(str(v) for v in value)
    return str(value)


def _single_encoding(ds: Dataset) -> str | None:
    """The one Python codec of the data set's character set, None with code extensions."""
    try:
        encodings = ds._character_set
    except Exception:
        return None
    if isinstance(encodings, str):
        return encodings
    return encodings[0] if len(encodings) == 1 else None


def _fast_text(ds: Dataset, tag: BaseTag, encoding: str | None) -> str | None:
    """Text of a still-undecoded string element, decoded without building a DataElement."""
    raw = ds._dict.get(tag)
    if encoding is None or not isinstance(raw, RawDataElement) or not isinstance(raw.value, bytes):
        return None
    vr = raw.VR or _dictionary_vr(tag)
    if vr not in _FAST_VRS:
        return None
    try:
        return raw.value.decode(encoding).rstrip("\x00 ")
    except (UnicodeDecodeError, LookupError):
        return None


def _context_type(keyword: str, vr: str, tag: int) -> str | None:
    if vr == "PN":
        return "PERSON_NAME"
    if tag == _BIRTH_DATE:
        return "DATE_OF_BIRTH"
    if vr in ("DA", "DT"):
        return "DATE"
    if "Telephone" in keyword:
        return "PHONE_NUMBER"
    if "Address" in keyword:
        return "STREET_ADDRESS"
    if "Institution" in keyword or "Issuer" in keyword:
        return "ORGANIZATION_NAME"
    return "MEDICAL_RECORD_NUMBER"


# The parts of a coded concept (PS3.3 Table 8.8-1): codes, not identifiers, wherever they are.
CODE_TAGS = frozenset({0x00080100, 0x00080102, 0x00080103, 0x00080104, 0x00080119, 0x00080120, 0x0008010F, 0x00080105})


def header_context(ds: Dataset, private: bool = True, codes: bool = True) -> list[ContextValue]:
    """Identifier values of the instance (see the module docstring), de-duplicated.

    ``private=False`` leaves out the values of private elements and
    ``codes=False`` the parts of coded concepts (CodeValue, CodeMeaning, ...) in
    marked sequences (the residual sweep: such values are vendor settings and
    terminology as often as identifiers).
    """
    seen: set[tuple[str, str]] = set()
    out: list[ContextValue] = []
    encoding = _single_encoding(ds)

    def visit(d: Dataset, identifying: bool) -> None:
        # Decide from the raw tag and VR; decode only the elements that are candidates.
        for tag, raw in list(d._dict.items()):
            tag_int = int(tag)
            vr = raw.VR or _dictionary_vr(tag)
            code = _BASIC_CODES.get(tag_int)
            if (tag.is_private and not private) or (not codes and tag_int in CODE_TAGS):
                continue
            marked = identifying or tag.is_private or (code is not None and code != "X/Z/U*")
            if vr == "SQ":
                for item in d[tag].value or ():
                    visit(item, marked and code != "X/Z/U*")
                continue
            if vr in _SKIP_CONTEXT_VRS or tag.is_private_creator:
                continue
            if vr != "PN" and (not marked or tag_int in CLEAN_DESCRIPTOR_TAGS):
                continue
            text = _fast_text(d, tag, encoding)
            if text is None:
                text = _element_text(d[tag])
            if not text:
                continue
            info_type = _context_type(keyword_for_tag(tag) or "", vr, tag_int)
            for value in text.split("\\"):
                value = value.strip()
                if len(value) >= 2 and (value, info_type) not in seen:
                    seen.add((value, info_type))
                    out.append(ContextValue(value, info_type))

    visit(ds, False)
    return out


def _patient_key(ds: Dataset) -> str:
    for tag in (_PATIENT_ID, _STUDY_UID):
        elem = ds.get(tag)
        if elem is not None and elem.value:
            return str(elem.value).strip("\x00 ")
    return ""


@dataclass
class InstanceCleaner:
    """Cleans the elements of one instance; collects annotation details."""

    owner: TextCleaner
    matcher: object
    plain: object | None
    patient_key: str
    encoding: str | None = None
    details: dict[str, list[Finding]] = field(default_factory=dict)
    dates_shifted: bool = False

    def findings(self, text: str, vr: str | None) -> tuple[list[Finding], list[Finding]]:
        """Return (findings to report, findings to transform) for one value."""
        found = self.matcher.detect(text, vr=vr)
        if self.plain is None:
            return found, found
        pattern_spans = {(f.start, f.end) for f in self.plain.detect(text, vr=vr)}
        transform = [
            f if (f.start, f.end) in pattern_spans else Finding(CTX, f.start, f.end, f.quote) for f in found
        ]
        return found, transform

    def inspect(self, elem: DataElement, path: str) -> list[Finding] | None:
        """Record the findings of an element that is only inspected (the source file meta)."""
        text = _element_text(elem)
        if text is None:
            return None
        found, _ = self.findings(text, elem.VR)
        self.details[path] = found
        return found

    def __call__(self, ds: Dataset, tag: BaseTag, vr: str, path: str) -> None:
        text = _fast_text(ds, tag, self.encoding)
        if text is not None:
            value_is_bytes = False  # an undecoded string element; stays raw if unchanged
        else:
            elem = ds[tag]
            if vr == "UN" and elem.VR != "UN":
                vr = elem.VR  # a private element whose VR pydicom knows from its creator
            text = _element_text(elem)
            if text is None:
                self._clean_binary(ds, tag, vr, path, bytes(elem.value))
                return
            value_is_bytes = isinstance(elem.value, (bytes, bytearray))
        found, transform = self.findings(text, vr)
        self.details[path] = found
        if not transform:
            return
        transformer = self.owner.transformer
        new = transformer.apply(text, transform, vr, self.patient_key)
        if any((r := transformer.rule_for(f.info_type)) is not None and r.kind == "dateShift" for f in transform):
            self.dates_shifted = True
        if new == text:
            return
        raw = ds._dict.get(tag)
        if not value_is_bytes and isinstance(raw, RawDataElement) and self.encoding is not None:
            # Still raw: store the new bytes in the same encoding; the writer copies them as is.
            try:
                data = new.encode(self.encoding)
            except UnicodeEncodeError:
                data = None
            if data is not None:
                data += b" " * (len(data) % 2)
                ds._dict[tag] = raw._replace(value=data, length=len(data))
                return
        if value_is_bytes:
            data = new.encode("utf-8")
            ds[tag] = DataElement(tag, vr, data + b" " * (len(data) % 2))
        elif vr in TEXT_VRS and "\\" in new and vr not in ("LT", "ST", "UT"):
            ds[tag] = DataElement(tag, vr, new.split("\\"))
        else:
            ds[tag] = DataElement(tag, vr, new)


    def _clean_binary(self, ds: Dataset, tag: BaseTag, vr: str, path: str, value: bytes) -> None:
        """Inspect the printable runs of a binary value (e.g. a private sequence read as UN).

        Offsets are byte offsets (the value read as Latin-1); every finding is masked
        with '*' of the same length, so the binary structure around it stays valid.
        """
        text = _NON_PRINTABLE.sub(" ", value.decode("latin-1"))
        found = [f for f in self.matcher.detect(text, vr=None) if f.end - f.start >= 3]
        self.details[path] = found
        if found:
            masked = bytearray(value)
            for f in found:
                masked[f.start:f.end] = b"*" * (f.end - f.start)
            ds[tag] = DataElement(tag, vr, bytes(masked))


class TextCleaner:
    """Per-worker text cleaning state built from the config.

    Parameters
    ----------
    spec : DeidSpec
        The validated config (``text``, ``cleanDescriptors``).
    key : bytes
        The default key of cryptoHash and dateShift (see ``text_key``).
    """

    def __init__(self, spec: DeidSpec, key: bytes, key_resolver=None) -> None:
        self.spec = spec
        self.transformer = TextTransformer(parse_text_config(spec.text), default_key=key, key_resolver=key_resolver)
        self.clean_descriptors = spec.clean_descriptors
        self._plain = Detector.for_context(()) if spec.clean_descriptors else None

    def begin(self, ds: Dataset) -> InstanceCleaner:
        """Read the instance's identifiers from its original header."""
        context = header_context(ds)
        return InstanceCleaner(
            self, Detector.for_context(context), self._plain, _patient_key(ds), _single_encoding(ds)
        )


def inspected_meta_paths(ds: Dataset) -> list[tuple[DataElement, str]]:
    """File meta elements DEIDENTIFY_TAG_CONTENTS inspects (the output meta is rebuilt)."""
    meta = getattr(ds, "file_meta", None)
    if meta is None:
        return []
    return [(e, f"{int(e.tag):08X}") for e in meta if e.VR in TEXT_VRS]


__all__ = [
    "CTX",
    "InstanceCleaner",
    "TextCleaner",
    "element_text",
    "fast_text",
    "header_context",
    "inspected_meta_paths",
    "single_encoding",
    "text_key",
]
element_text = _element_text
fast_text = _fast_text
single_encoding = _single_encoding
