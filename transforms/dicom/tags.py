"""Apply a Plan to a dataset: the tag step of de-identification.

``apply_plan(ds, plan, uids)`` walks the dataset (sequences at any depth),
asks the plan for one operation per element and carries it out. Elements that
are kept are not decoded, so their bytes are written back unchanged, unless their
value does not fit their VR (``transforms.dicom.vrfit``): such a value is replaced
by a dummy (a UID that is not valid is regenerated), whatever the profile, and
counted in ``TagLog.replaced``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from pydicom.datadict import dictionary_VR
from pydicom.dataelem import DataElement, RawDataElement
from pydicom.dataset import Dataset
from pydicom.multival import MultiValue
from pydicom.sequence import Sequence
from pydicom.tag import BaseTag
from pydicom.values import convert_SQ

from transforms.dicom.iod import iod_for_sop_class
from transforms.dicom.profiles import Op, Plan
from transforms.dicom.uids import is_mappable_uid, is_valid_uid
from transforms.dicom.vrfit import CHECKED_VRS, fits, replacement

PLACEHOLDER = "PLACEHOLDER"
# Maximum value length of string VRs (PS3.5 Table 6.2-1), for cutting PLACEHOLDER.
_MAX_LEN = {"AE": 16, "CS": 16, "SH": 16, "LO": 64, "PN": 64, "ST": 1024, "LT": 10240, "UT": None, "UC": None, "UR": None}
# Dummies for the VRs whose value has a format (ours, spec section 2.2).
_FORMATTED_DUMMY = {"DA": "19000101", "TM": "000000", "DT": "19000101000000", "IS": "0", "DS": "0", "AS": "000Y"}
_NUMBER_VRS = frozenset({"US", "SS", "UL", "SL", "FL", "FD", "SV", "UV", "AT"})
_BYTES_VRS = frozenset({"OB", "OW", "OD", "OF", "OL", "OV", "UN"})

# Kept inside a sequence the profile resets (Op.RESET_CONTENT): coded values and
# numbers, which give the items their structure (an SR content item's ValueType and
# RelationshipType, a ReferencedContentItemIdentifier, a ReferencedFrameNumber, a
# functional group's PixelSpacing) and hold no names, IDs or dates. Private elements
# inside are reset whatever their VR.
STRUCTURE_VRS = frozenset({"CS", "IS", "DS"}) | _NUMBER_VRS

UidRemapper = Callable[[str], str]
# Called for Op.CLEAN: (dataset, tag, VR, path key such as "00081062[0].00080100").
Cleaner = Callable[[Dataset, BaseTag, str, str], None]


@dataclass
class TagLog:
    """What the tag step did: the UIDs it regenerated (original -> new), the values it replaced.

    ``uid_pairs`` holds originals of digits and dots only (``uids.is_mappable_uid``:
    any other value is regenerated but not listed, so the mapping file never
    carries a name or a separator); ``replaced``
    counts kept elements whose value did not fit their VR.
    """

    uid_pairs: dict[str, str] = field(default_factory=dict)
    replaced: int = 0


def _dictionary_vr(tag: BaseTag) -> str:
    try:
        return dictionary_VR(tag)
    except KeyError:
        return "UN"


def element_vr(ds: Dataset, tag: BaseTag) -> str:
    """Return an element's VR without decoding its value ('UN' when unknown)."""
    return ds.get_item(tag).VR or _dictionary_vr(tag)


_ITEM_TAG_LE = b"\xfe\xff\x00\xe0"
_UID_TEXT = re.compile(rb"[0-2](?:\.(?:0|[1-9][0-9]*)){3,}\x00?")


def resolve_vr(ds: Dataset, tag: BaseTag) -> str:
    """Return the VR every rule sees for an element, decoding a ``UN`` one first.

    An element stored with VR ``UN`` (explicit VR UN files, or an implicit VR
    file's unknown tag) whose tag is in the DICOM dictionary is converted to its
    dictionary VR (pydicom's ``replace_un_with_known_vr``), so a U, D, Z, X or
    cleaning rule reaches it. A private ``UN`` value that is an implicit VR
    little-endian item sequence (how PS3.5 6.2.2 encodes an SQ of unknown VR) is
    parsed and stored as an SQ, so its items get the plan. Anything else stays
    ``UN``. Other elements are not decoded.
    """
    raw = ds._dict[tag]
    vr = raw.VR
    if vr is None:
        vr = _dictionary_vr(tag)
    if vr != "UN":
        return vr
    if not tag.is_private:
        if _dictionary_vr(tag) == "UN":
            return "UN"
        try:
            return ds[tag].VR  # pydicom converts the UN bytes with the dictionary VR
        except Exception:  # not a valid value of that VR: the rules treat it as bytes
            ds._dict[tag] = raw
            return "UN"
    value = raw.value if isinstance(raw, RawDataElement) else getattr(raw, "value", None)
    if isinstance(value, (bytes, bytearray)) and len(value) >= 8 and value[:4] == _ITEM_TAG_LE:
        try:
            seq = convert_SQ(bytes(value), True, True)
            for item in seq:  # parse every item now: a broken one keeps the element UN
                for inner in item.keys():
                    item[inner]
        except Exception:
            return "UN"
        ds[tag] = DataElement(tag, "SQ", seq)
        return "SQ"
    return "UN"


def _uid_bytes(value: object) -> bool:
    """True when an undecoded value is one UID in text form (a private UN element)."""
    return isinstance(value, (bytes, bytearray)) and 10 <= len(value) <= 66 and _UID_TEXT.fullmatch(
        bytes(value).rstrip(b" ")
    ) is not None


def dummy_value(vr: str, old: DataElement) -> object:
    """Return the resetTag / D dummy for a (non-SQ, non-UI) VR."""
    if vr in _FORMATTED_DUMMY:
        return _FORMATTED_DUMMY[vr]
    if vr in _NUMBER_VRS:
        return 0
    if vr in _BYTES_VRS:
        n = len(old.value or b"") if isinstance(old.value, (bytes, bytearray)) else 0
        return b"\x00" * (n + n % 2)
    limit = _MAX_LEN.get(vr)
    return PLACEHOLDER[:limit] if limit else PLACEHOLDER


class _Walker:
    def __init__(self, plan: Plan, remap: UidRemapper, log: TagLog, cleaner: Cleaner | None) -> None:
        self.decide = plan.decide
        self.regen_all = plan.regenerates_uids
        self.decide_in = plan.decide_in
        self.remap = remap
        self.log = log
        self.cleaner = cleaner

    def walk(self, ds: Dataset, regen_uids: bool, prefix: str = "", iod: str | None = None) -> None:
        elements = ds._dict
        creators: list[BaseTag] = []
        for tag in list(elements):
            if tag.is_private_creator:
                creators.append(tag)
                continue
            vr = elements[tag].VR
            if vr is None:
                vr = _dictionary_vr(tag)
            if vr == "UN":
                vr = resolve_vr(ds, tag)
            op = self.decide(tag, vr) if iod is None else self.decide_in(tag, vr, iod)
            if regen_uids and vr == "UI" and (op is Op.KEEP or op is Op.WALK):
                op = Op.REGEN
            if op is Op.WALK and vr == "UN" and self.regen_all and _uid_bytes(elements[tag].value):
                self.regen_raw(ds, tag)  # a kept private element holding a UID (ours, privacy first)
                continue
            if op is Op.KEEP or (op is Op.WALK and vr != "SQ"):
                if vr in CHECKED_VRS and not fits(vr, elements[tag], tag):
                    self.refit(ds, tag, vr)
                continue
            self.apply(ds, tag, vr, op, regen_uids, prefix)
        if creators:
            # A private creator stays exactly when an element of its block stays.
            used = {(t.group, t.element >> 8) for t in elements if t.is_private and not t.is_private_creator}
            for tag in creators:
                if (tag.group, tag.element & 0xFF) not in used:
                    del ds[tag]

    def apply(self, ds: Dataset, tag: BaseTag, vr: str, op: Op, regen_uids: bool, prefix: str) -> None:
        if op is Op.CLEAN:
            if self.cleaner is None:
                raise RuntimeError("the plan cleans text but no cleaner was given")
            self.cleaner(ds, tag, vr, f"{prefix}{int(tag):08X}")
            return
        if op in (Op.WALK, Op.WALK_UIDS):
            if vr == "SQ":
                for i, item in enumerate(ds[tag].value):
                    self.walk(item, regen_uids or op is Op.WALK_UIDS, f"{prefix}{int(tag):08X}[{i}].")
            elif op is Op.WALK_UIDS and vr == "UI":
                self.regen(ds, tag)
            return
        if op is Op.DELETE:
            del ds[tag]
        elif op is Op.EMPTY:
            raw = ds._dict[tag]
            if isinstance(raw, RawDataElement) and vr != "SQ":
                # Still undecoded: write zero bytes without building an element.
                ds._dict[tag] = raw._replace(length=0, value=b"")
            else:
                ds[tag] = DataElement(tag, vr, Sequence() if vr == "SQ" else (b"" if vr in _BYTES_VRS else None))
        elif op is Op.RESET:
            self.reset(ds, tag, vr)
        elif op is Op.RESET_CONTENT:
            self.reset(ds, tag, vr, keep_structure=True)
        elif op is Op.REGEN:
            if vr == "UI":
                self.regen(ds, tag)
            else:  # a UID rule on a value that is no UI (an undecodable UN): never keep it
                self.apply(ds, tag, vr, Op.EMPTY, regen_uids, prefix)

    def reset(self, ds: Dataset, tag: BaseTag, vr: str, keep_structure: bool = False) -> None:
        if vr == "SQ":
            for item in ds[tag].value:
                for inner in list(item.keys()):
                    inner_vr = element_vr(item, inner)
                    if keep_structure and inner_vr in STRUCTURE_VRS and not inner.is_private:
                        if not fits(inner_vr, item._dict[inner], inner):
                            self.refit(item, inner, inner_vr)
                        continue
                    self.reset(item, inner, inner_vr, keep_structure)
        elif vr == "UI":
            self.regen(ds, tag)
        else:
            ds[tag] = DataElement(tag, vr, dummy_value(vr, ds[tag]))

    def refit(self, ds: Dataset, tag: BaseTag, vr: str) -> None:
        """Replace a kept value that does not fit its VR: a dummy, or a UID regenerated."""
        self.log.replaced += 1
        if vr == "UI":
            self.regen(ds, tag, invalid_only=True)
        else:
            ds[tag] = DataElement(tag, vr, replacement(vr, ds._dict[tag], tag))

    def regen_raw(self, ds: Dataset, tag: BaseTag) -> None:
        """Regenerate the UID held as text by an undecoded (UN) element, keeping its VR."""
        old = bytes(ds._dict[tag].value).rstrip(b"\x00 ").decode("ascii")
        new = self.remap(old)
        if new != old:
            self.log.uid_pairs[old] = new
        data = new.encode("ascii")
        ds[tag] = DataElement(tag, "UN", data + b"\x00" * (len(data) % 2))

    def regen(self, ds: Dataset, tag: BaseTag, invalid_only: bool = False) -> None:
        """Regenerate every UID of the element (``invalid_only``: those that are not valid UIDs)."""
        elem = ds[tag]
        value = elem.value
        if not value:
            return
        olds = list(value) if isinstance(value, MultiValue) else [value]
        news = []
        for old in olds:
            old_s = str(old).strip("\x00 ")
            valid = is_valid_uid(old_s)
            if invalid_only and valid:
                news.append(old_s)
                continue
            new = self.remap(old_s)
            if new != old_s and (valid or is_mappable_uid(old_s)):
                self.log.uid_pairs[old_s] = new
            news.append(new)
        ds[tag] = DataElement(tag, "UI", news if len(news) > 1 else news[0])


def apply_plan(ds: Dataset, plan: Plan, remap: UidRemapper, cleaner: Cleaner | None = None) -> TagLog:
    """Apply ``plan`` to every element of ``ds`` in place.

    Parameters
    ----------
    ds : pydicom.dataset.Dataset
        The instance's main dataset (file meta excluded).
    plan : Plan
        The compiled config.
    remap : callable
        Maps an original UID to its replacement (registry UIDs unchanged).
    cleaner : callable, optional
        Cleans the text of one element (Op.CLEAN); required when the plan cleans.

    Returns
    -------
    TagLog
        Operation counts and the UID pairs regenerated.

    Top-level elements are decided for the instance's IOD (``Plan.decide_in``),
    elements inside sequences without it.
    """
    log = TagLog()
    _Walker(plan, remap, log, cleaner).walk(ds, regen_uids=False, iod=instance_iod(ds))
    return log


def instance_iod(ds: Dataset) -> str | None:
    """Return the IOD id of an instance (by SOPClassUID, else the file meta's), or None."""
    for owner, keyword in ((ds, "SOPClassUID"), (getattr(ds, "file_meta", None), "MediaStorageSOPClassUID")):
        value = owner.get(keyword) if owner is not None else None
        if isinstance(value, str) and value:
            return iod_for_sop_class(value)
    return None
