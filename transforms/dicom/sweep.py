"""The residual identifier sweep (ours, on by default): no identifier kept by accident.

PS3.15 Table E.1-1 is not exhaustive: an institution name inside an issuer or
equipment sequence the table does not list, a patient ID copied into an unlisted
element, survive every rule. After the tag step, ``ResidualSweep`` looks at every
text value still in the instance (any text VR, DA, DT and CS, a UN value, at any depth;
the file meta is written afresh) for the instance's *own*
identifying values, read from the original header before any rule ran: the
values of the elements the Basic Profile marks D, Z, X or U (name parts, IDs,
dates, institution, addresses, physicians, stations; ``cleantext.header_context``
without private elements and coded concepts, which are settings and
terminology). A match of three characters or more is replaced as Clean
Descriptors does (``[CTX]``); a DA or DT value is emptied; a UN value gets
``*`` over the match so its length stays. Code strings (CS) hold defined terms,
which share words with names by chance (``TEXT``, ``PNAME``; a real SR holds the
PersonName "Enter text"): a CS value is emptied only when it holds two words (two
characters or more, split at space, underscore and backslash) of one of the
instance's person names (an upper-case name fits the CS form, which
``transforms.dicom.vrfit`` checks); a single name word in a code string is left,
and only code strings with two words in one value are looked at (few are: the
common case costs one search per CS element). Nothing else is detected here:
patterns and VR rules are the text step's job.

Left alone: elements an action keeps (keepTag, primaryIds KEEP, a legacy keepList), elements
already cleaned (cleanTextTag, Clean Descriptors), UIDs (regenerated elsewhere),
numbers; and the equipment attributes (Manufacturer, ManufacturerModelName,
SoftwareVersions), unless their value contains the institution's name.

The common case costs little: before the tag step the sweep keeps a shallow copy
of the original element dict (``before``: element objects are replaced, not
changed, by the walker, so the copy still holds the original values); after it,
the words of the values left are compared with the words of the original
identifying values and of the original sequences' bytes (a superset of every
written form the matcher knows: each form contains one of those words, a date
its year). Only when a word is shared is the context read and each value
searched. A header whose sequences were already parsed before the tag step
(pixel or text steps ran first) has its context read at once instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pydicom.dataelem import DataElement, RawDataElement
from pydicom.dataset import Dataset
from pydicom.multival import MultiValue
from pydicom.tag import BaseTag

from transforms.dicom.cleantext import CODE_TAGS, CTX, element_text, fast_text, header_context, single_encoding
from transforms.dicom._ps315_table import PS315_E1_1
from transforms.dicom.profiles import CLEAN_DESCRIPTOR_TAGS, Op, Plan
from transforms.dicom.tags import _dictionary_vr, resolve_vr
from transforms.text.detect import ContextValue, Detector, Finding

TEXT_VRS = frozenset({"AE", "LO", "LT", "PN", "SH", "ST", "UC", "UT", "UR"})
EMPTIED_VRS = frozenset({"DA", "DT", "CS"})
MIN_MATCH = 3  # characters: a two-letter name part or code matches too much by chance
SWEPT_VRS = TEXT_VRS | EMPTIED_VRS | {"UN"}
EQUIPMENT_TAGS = frozenset({0x00080070, 0x00081090, 0x00181020})  # Manufacturer, model, software
_ORGANIZATION = "ORGANIZATION_NAME"
_TOKEN = f"[{CTX}]"
_SEPARATOR = "\n"
_UNFORMATTED_VRS = frozenset({"LT", "ST", "UT", "UR"})  # single-valued: a backslash is text
_WORD = re.compile(r"[^\W_]{3,}")
_DATE_WORD = re.compile(r"(?:19|20)\d{6}")
_SEPARATORS = re.compile(r"[\W_]+")
_IDENTIFYING = frozenset(int(k, 16) for k, row in PS315_E1_1.items() if "x" not in k and k != "private" and row[2] != "X/Z/U*")
_NOT_CONTEXT_VRS = frozenset({"UI", "TM", "CS", "US", "SS", "UL", "SL", "FL", "FD", "DS", "IS", "AT", "OB", "OW", "OF", "OD", "OL", "OV", "UN"})


@dataclass
class Snapshot:
    """The original header as the sweep needs it: its context, or the element dict to read it from."""

    context: list[ContextValue] | None
    elements: dict | None
    encoding: str | None


def _words(text: str) -> set[str]:
    """The words a prefilter compares: runs of 3+ letters or digits, lower-case; a date adds its year."""
    low = text.lower()
    words = set(_WORD.findall(low))
    words.update(m[:4] for m in _DATE_WORD.findall(low))
    compact = _SEPARATORS.sub("", low)
    if len(compact) >= 3:
        words.add(compact)
    return words


@dataclass
class _Candidate:
    ds: Dataset
    tag: BaseTag
    vr: str
    path: str
    text: str
    raw_bytes: bool  # the value is undecoded bytes (a UN element)


@dataclass
class SweepResult:
    """What the sweep changed: annotation details by element path."""

    details: dict[str, list[Finding]] = field(default_factory=dict)


class ResidualSweep:
    """Per-worker sweep state; ``context(ds)`` before the tag step, ``sweep`` after it."""

    def __init__(self, plan: Plan) -> None:
        self._decide = plan.decide
        self._kept = plan.kept_as_is

    @staticmethod
    def context(ds: Dataset) -> list[ContextValue]:
        """The instance's own identifying values, from its original header."""
        return header_context(ds, private=False, codes=False)

    def before(self, ds: Dataset) -> Snapshot:
        """Keep what ``sweep`` needs of the original header (call before any rule runs)."""
        elements = ds._dict
        encoding = single_encoding(ds)
        if any(not isinstance(e, RawDataElement) and e.VR == "SQ" for e in elements.values()):
            return Snapshot(self.context(ds), None, encoding)  # items may change in place later
        return Snapshot(None, dict(elements), encoding)

    def sweep(self, ds: Dataset, snapshot: Snapshot) -> SweepResult:
        """Replace every remaining occurrence of the original identifying values in ``ds`` (in place)."""
        result = SweepResult()
        candidates: list[_Candidate] = []
        self._collect(ds, "", snapshot.encoding, candidates)
        if not candidates:
            return result
        blob = _SEPARATOR.join(c.text for c in candidates)
        context = snapshot.context
        if context is None:
            others = _SEPARATOR.join(c.text for c in candidates if int(c.tag) not in EQUIPMENT_TAGS)
            equipment = _SEPARATOR.join(c.text for c in candidates if int(c.tag) in EQUIPMENT_TAGS).lower()
            if (not others or _original_words(snapshot).isdisjoint(_words(others))) and not any(
                name in equipment for name in _institution_names(snapshot)
            ):
                return result  # the common case: no word of the original identifiers is left
            context = self.context(Dataset(dict(snapshot.elements)))
        if not context:
            return result
        codes = [c for c in candidates if c.vr == "CS"]
        if codes:
            words = _code_words(context)
            for c in codes:
                found = _code_findings(c.text, words)
                if found:
                    _replace(c, found)
                    result.details[c.path] = found
            candidates = [c for c in candidates if c.vr != "CS"]
            blob = _SEPARATOR.join(c.text for c in candidates)
        matcher = Detector.for_context(context)
        if not candidates or not matcher.context_findings(blob):
            return result
        institution = {v.text.strip().lower() for v in context if v.info_type == _ORGANIZATION}
        for c in candidates:
            found = [f for f in matcher.context_findings(c.text) if f.end - f.start >= MIN_MATCH]
            if int(c.tag) in EQUIPMENT_TAGS:
                found = [f for f in found if f.info_type == _ORGANIZATION or f.quote.strip().lower() in institution]
            if found:
                _replace(c, found)
                result.details[c.path] = found
        return result

    def _collect(self, ds: Dataset, prefix: str, encoding: str | None, out: list[_Candidate]) -> None:
        elements = ds._dict
        for tag in list(elements):
            vr = elements[tag].VR
            if vr is None:
                vr = _dictionary_vr(tag)
            if vr == "UN":
                vr = resolve_vr(ds, tag)
            if vr not in SWEPT_VRS and vr != "SQ":
                continue
            if tag.is_private_creator:
                continue
            if vr == "SQ":
                if self._kept(int(tag), vr):
                    continue
                for i, item in enumerate(ds[tag].value or ()):
                    self._collect(item, f"{prefix}{int(tag):08X}[{i}].", encoding, out)
                continue
            if vr not in SWEPT_VRS:
                continue
            if self._kept(int(tag), vr) or self._decide(int(tag), vr) is Op.CLEAN:
                continue
            raw = ds._dict[tag]
            if vr == "CS":
                # Only a code string with two words in one value can hold a name (the rule below);
                # SpecificCharacterSet holds defined terms only (transforms.dicom.vrfit).
                if tag == _CHARACTER_SET:
                    continue
                if isinstance(raw, RawDataElement) and isinstance(raw.value, bytes):
                    text = raw.value.decode("latin-1").rstrip("\x00 ")  # ASCII whatever the character set
                else:
                    text = element_text(ds[tag])
                if _TWO_WORDS.search(text):
                    out.append(_Candidate(ds, tag, vr, f"{prefix}{int(tag):08X}", text, False))
                continue
            text = fast_text(ds, tag, encoding) if isinstance(raw, RawDataElement) else None
            raw_bytes = False
            if text is None:
                elem = ds[tag]
                if vr == "UN":
                    value = elem.value
                    if not isinstance(value, (bytes, bytearray)) or not value:
                        continue
                    text = bytes(value).decode("latin-1")
                    raw_bytes = True
                else:
                    text = element_text(elem)
            if text:
                out.append(_Candidate(ds, tag, vr, f"{prefix}{int(tag):08X}", text, raw_bytes))


def _original_words(snapshot: Snapshot) -> set[str]:
    """Words of the original identifying values and of every original public sequence."""
    words: set[str] = set()
    encoding = snapshot.encoding or "latin-1"
    for tag, raw in snapshot.elements.items():
        if tag.is_private or not isinstance(raw, RawDataElement):
            continue  # a converted element before the tag step is a UID or a number (parse, naming)
        value = raw.value
        if not isinstance(value, (bytes, bytearray)) or not value:
            continue
        vr = raw.VR or _dictionary_vr(tag)
        tag_int = int(tag)
        if vr == "SQ" or (vr == "UN" and value[:4] == b"\xfe\xff\x00\xe0"):
            pass  # every word inside: a superset of the identifying values its items hold
        elif vr in _NOT_CONTEXT_VRS or tag_int in CODE_TAGS:
            continue
        elif vr != "PN" and (tag_int not in _IDENTIFYING or tag_int in CLEAN_DESCRIPTOR_TAGS):
            continue
        try:
            text = bytes(value).decode(encoding, "replace")
        except LookupError:
            text = bytes(value).decode("latin-1")
        words |= _words(text)
    return words


_CODE_WORD = re.compile(r"[^ _\\]{2,}")
_TWO_WORDS = re.compile(r"[^ _\\]{2,}[ _]+[^ _\\]{2,}")
_NAME_WORD = re.compile(r"[^\W_]{2,}")
_CHARACTER_SET = 0x00080005


def _code_words(context: list[ContextValue]) -> list[frozenset[str]]:
    """What a CS value may not hold: each person name's set of (two or more) upper-case words."""
    names = []
    for v in context:
        if v.info_type == "PERSON_NAME":
            words = frozenset(w.upper() for w in _NAME_WORD.findall(v.text))
            if len(words) >= 2:
                names.append(words)
    return names


def _code_findings(text: str, names: list[frozenset[str]]) -> list[Finding]:
    """The words of a CS value when two or more of them are words of one person name."""
    found = list(_CODE_WORD.finditer(text))
    upper = {m.group().upper() for m in found}
    hits = set().union(*(n & upper for n in names if len(n & upper) >= 2)) if names else set()
    return [Finding("PERSON_NAME", m.start(), m.end(), m.group()) for m in found if m.group().upper() in hits]


_INSTITUTION_TAGS = (0x00080080, 0x00081040)  # InstitutionName, InstitutionalDepartmentName


def _institution_names(snapshot: Snapshot) -> list[str]:
    """The original top-level institution values, lower-case (the equipment attributes' prefilter)."""
    names = []
    for tag in _INSTITUTION_TAGS:
        raw = snapshot.elements.get(tag)
        value = getattr(raw, "value", None)
        if isinstance(value, (bytes, bytearray)):
            text = bytes(value).decode(snapshot.encoding or "latin-1", "replace")
        elif value:
            text = str(value)
        else:
            continue
        names.extend(v.strip().lower() for v in text.split("\\") if len(v.strip()) >= MIN_MATCH)
    return names


def _replace(c: _Candidate, found: list[Finding]) -> None:
    ds, tag, vr = c.ds, c.tag, c.vr
    if c.raw_bytes:
        data = bytearray(c.text.encode("latin-1"))
        for f in found:
            data[f.start : f.end] = b"*" * (f.end - f.start)
        ds[tag] = DataElement(tag, vr, bytes(data))
        return
    if vr in EMPTIED_VRS:
        ds[tag] = DataElement(tag, vr, None)
        return
    text = c.text
    for f in sorted(found, key=lambda f: f.start, reverse=True):
        text = text[: f.start] + _TOKEN + text[f.end :]
    if vr not in _UNFORMATTED_VRS and "\\" in text:
        ds[tag] = DataElement(tag, vr, MultiValue(str, text.split("\\")))
    else:
        ds[tag] = DataElement(tag, vr, text)


__all__ = ["EQUIPMENT_TAGS", "ResidualSweep", "SweepResult"]
