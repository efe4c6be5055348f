"""What an output says about its own de-identification (PS3.15 E.1.1), told from the plan.

``assess(plan)`` walks every attribute of PS3.15 Table E.1-1 (and private elements,
overlays and curves) through the compiled ``Plan`` once per config, and sorts what
the config does to each into: removed (emptied, dummied, deleted, UID regenerated),
cleaned (inspected text), or kept. A kept attribute is allowed only when one of the
profile's Retain options keeps it (column ``K``: patient characteristics, device or
institution identity, full dates, UIDs); any other kept attribute (PatientName under
``KEEP_ALL_PROFILE``, PatientBirthTime and GPS coordinates under
``DEIDENTIFY_TAG_CONTENTS``, a ``keepTag`` on PatientID) means the output still may
identify the patient.

``Method.elements`` gives the E.1.1 attributes:

- identity removed: PatientIdentityRemoved ``YES`` and the De-identification Method
  Code Sequence with the Basic Application Confidentiality Profile (113100) plus the
  options the config applied (PS3.16 CID 7050);
- not removed: ``YES`` is never written. A source that already says ``YES`` (an earlier
  de-identification) keeps its attributes, and this run's method and clean codes are
  added to them; any other source gets ``NO``. The code sequence lists only what was
  cleaned (pixels, descriptors, modified dates).
"""

from __future__ import annotations

from dataclasses import dataclass

from pydicom.dataelem import DataElement
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence

from transforms.dicom._ps315_table import PS315_E1_1
from transforms.dicom.profiles import Op, Plan, _dictionary_vr

# PS3.16 CID 7050 "De-identification Method" (scheme DCM); tests compare these with the
# code table pydicom generates from the standard.
BASIC_PROFILE = ("113100", "Basic Application Confidentiality Profile")
CLEAN_PIXEL_DATA = ("113101", "Clean Pixel Data Option")
# Table E.1-1 option column -> its CID 7050 code. 113102 (Clean Recognizable Visual
# Features) is never claimed: nothing here defaces.
OPTION_CODES = {
    "cleanGraphOpt": ("113103", "Clean Graphics Option"),
    "cleanStructContOpt": ("113104", "Clean Structured Content Option"),
    "cleanDescOpt": ("113105", "Clean Descriptors Option"),
    "rtnLongFullDatesOpt": ("113106", "Retain Longitudinal Temporal Information Full Dates Option"),
    "rtnLongModifDatesOpt": ("113107", "Retain Longitudinal Temporal Information Modified Dates Option"),
    "rtnPatCharsOpt": ("113108", "Retain Patient Characteristics Option"),
    "rtnDevIdOpt": ("113109", "Retain Device Identity Option"),
    "rtnUIDsOpt": ("113110", "Retain UIDs Option"),
    "rtnSafePrivOpt": ("113111", "Retain Safe Private Option"),
    "rtnInstIdOpt": ("113112", "Retain Institution Identity Option"),
}
# The Clean options' columns (a C in a Retain option's column is what that option does, not a clean option).
CLEAN_COLUMNS = ("cleanDescOpt", "cleanStructContOpt", "cleanGraphOpt")
_REMOVED = frozenset({Op.DELETE, Op.EMPTY, Op.RESET, Op.RESET_CONTENT, Op.REGEN, Op.WALK_UIDS})
# A private tag no config names (group FFFD is private; element 10FE of a block nobody reserves),
# asked with each VR a private element may have: how the config treats private elements in general.
_PRIVATE_PROBE = 0xFFFD10FE
_PRIVATE_VRS = ("AE", "AS", "CS", "DA", "DS", "DT", "FD", "FL", "IS", "LO", "LT", "OB", "OW", "PN", "SH",
                "SL", "SQ", "SS", "ST", "TM", "UI", "UL", "UN", "US", "UT")
PATIENT_IDENTITY_REMOVED = 0x00120062
DEIDENTIFICATION_METHOD = 0x00120063
CODE_SEQUENCE = 0x00120064
LONGITUDINAL_MODIFIED = 0x00280303


@dataclass(frozen=True)
class Method:
    """What one config does, in PS3.15 terms (see the module docstring)."""

    identity_removed: bool
    retained: frozenset[str]  # option columns whose K the config uses
    cleaned: frozenset[str]  # option columns whose C the config uses
    kept: tuple[str, ...]  # what is kept that no option allows (keywords; why identity is not removed)

    def codes(self, pixels_cleaned: bool, dates_shifted: bool) -> list[tuple[str, str]]:
        """The CID 7050 codes of one output, sorted by code value."""
        found = set()
        if pixels_cleaned:
            found.add(CLEAN_PIXEL_DATA)
        if dates_shifted:
            found.add(OPTION_CODES["rtnLongModifDatesOpt"])
        found.update(OPTION_CODES[column] for column in self.cleaned)
        if self.identity_removed:
            found.add(BASIC_PROFILE)
            found.update(OPTION_CODES[column] for column in self.retained)
        else:
            # Retain options and the clean options of graphics and private elements qualify the
            # profile; without it only what was cleaned is said.
            found &= {CLEAN_PIXEL_DATA, OPTION_CODES["cleanDescOpt"], OPTION_CODES["rtnLongModifDatesOpt"]}
        return sorted(found)

    def elements(self, method: list[str], pixels_cleaned: bool, dates_shifted: bool) -> tuple[DataElement, ...]:
        """The E.1.1 elements that replace the source's (identity removed, or a source without YES)."""
        elements = [DataElement(PATIENT_IDENTITY_REMOVED, "CS", "YES" if self.identity_removed else "NO"),
                    DataElement(DEIDENTIFICATION_METHOD, "LO", method)]
        codes = self.codes(pixels_cleaned, dates_shifted)
        if codes:
            elements.append(DataElement(CODE_SEQUENCE, "SQ", Sequence([code_item(*c) for c in codes])))
        if dates_shifted:
            elements.append(DataElement(LONGITUDINAL_MODIFIED, "CS", "MODIFIED"))
        return tuple(sorted(elements, key=lambda e: e.tag))

    def apply(self, ds: Dataset, added: tuple[DataElement, ...]) -> None:
        """Put ``added`` (from ``elements``) into ``ds``, keeping an earlier de-identification's claim.

        When this config does not remove identity and the source already says YES, its
        PatientIdentityRemoved stays, this run's method values follow the earlier ones and
        this run's codes follow the earlier codes (PS3.3: multivalued when an object is
        de-identified more than once).
        """
        by_tag = {e.tag: e for e in added}
        if not self.identity_removed and _says_yes(ds):
            earlier = ds.get(DEIDENTIFICATION_METHOD)
            method = by_tag.pop(DEIDENTIFICATION_METHOD)
            values = ([] if earlier is None or earlier.value in (None, "") else list(_values(earlier.value)))
            ds[DEIDENTIFICATION_METHOD] = DataElement(DEIDENTIFICATION_METHOD, "LO", values + list(_values(method.value)))
            by_tag.pop(PATIENT_IDENTITY_REMOVED)
            ours = by_tag.pop(CODE_SEQUENCE, None)
            if ours is not None:
                items = list(ds[CODE_SEQUENCE].value) if CODE_SEQUENCE in ds else []
                have = {str(item.get("CodeValue", "")) for item in items}
                items += [code_item(str(i.CodeValue), str(i.CodeMeaning)) for i in ours.value if i.CodeValue not in have]
                ds[CODE_SEQUENCE] = DataElement(CODE_SEQUENCE, "SQ", Sequence(items))
        elif CODE_SEQUENCE in ds and CODE_SEQUENCE not in by_tag:
            del ds[CODE_SEQUENCE]  # an earlier run's codes would describe this output wrongly
        for elem in by_tag.values():
            ds[elem.tag] = elem


def _says_yes(ds: Dataset) -> bool:
    elem = ds.get(PATIENT_IDENTITY_REMOVED)
    return elem is not None and str(elem.value).strip().upper() == "YES"


def _values(value) -> list[str]:
    return [str(v) for v in value] if isinstance(value, (list, tuple)) or type(value).__name__ == "MultiValue" else [str(value)]


def code_item(value: str, meaning: str) -> Dataset:
    """One item of the De-identification Method Code Sequence (scheme DCM)."""
    item = Dataset()
    item.CodeValue = value
    item.CodingSchemeDesignator = "DCM"
    item.CodeMeaning = meaning
    return item


def _rows():
    """(keyword, representative tag, basic code, option columns) of Table E.1-1's rows."""
    for key, (keyword, name, code, options) in PS315_E1_1.items():
        if key == "private":
            continue
        yield keyword or name, int(key.replace("x", "0"), 16), code, options


def assess(plan: Plan) -> Method:
    """Sort what the plan does to every Table E.1-1 attribute; see the module docstring."""
    retained: set[str] = set()
    cleaned: set[str] = set()
    kept: list[tuple[int, int, str]] = []  # the patient's own attributes (group 0010) first
    for keyword, tag, code, options in _rows():
        if code == "K":
            continue
        vr = _dictionary_vr(tag)
        op = plan.decide(tag, vr)
        if op in _REMOVED or (op is Op.WALK and vr == "SQ"):
            continue  # a walked sequence's items are judged by their own rows
        if op is Op.CLEAN:
            cleaned.update(c for c, action in options.items() if action == "C" and c in CLEAN_COLUMNS)
            continue  # inspected text: identifiers found are replaced
        allowed = [c for c, action in options.items() if action == "K"]
        if allowed:
            retained.update(allowed)
        else:
            kept.append((tag >> 16 != 0x0010, tag, keyword))
    private = {plan.decide(_PRIVATE_PROBE, vr) for vr in _PRIVATE_VRS}
    if private - _REMOVED - {Op.CLEAN}:
        kept.append((True, 0xFFFFFFFF, "private elements"))
    if any(
        action.kind == "keepTag" and any(q.tag is not None and (q.tag >> 16) % 2 == 1 for q in action.queries)
        for action in plan.spec.actions
    ):
        retained.add("rtnSafePrivOpt")  # a private element kept by its tag: the user judged it safe
    return Method(not kept, frozenset(retained), frozenset(cleaned), tuple(k for *_, k in sorted(kept)))


__all__ = ["BASIC_PROFILE", "CLEAN_PIXEL_DATA", "OPTION_CODES", "Method", "assess", "code_item"]
