"""Profiles and precedence: which operation each data element gets.

``compile_plan(spec)`` turns a validated ``DeidSpec`` into a ``Plan`` whose
``decide(tag, vr)`` returns one ``Op`` per element. The precedence, the one rule
every decision follows (spec section 2):

1. the first user Action, in list order, whose query matches the element
   (a VR query skips elements whose VR the action does not support);
2. else an option that applies (``primaryIds`` KEEP or REGEN);
3. else the profile: legacy keep/remove lists, then the profile's own rule
   (the PS3.15 Table E.1-1 Basic Profile column, the minimal keep list, ...).

Each element is acted on once. Codes of Table E.1-1 are kept verbatim in
``_ps315_table.py``; ``resolve`` interprets them here.
"""

from __future__ import annotations

import enum

from pydicom.datadict import dictionary_VR, tag_for_keyword

from transforms.dicom._ps315_table import PS315_E1_1
from transforms.dicom.iod import NEEDS_PRESENCE, NEEDS_VALUE, attribute_type
from transforms.deid_config import (
    ACTION_VRS,
    BASIC,
    KEEP_ALL,
    MINIMAL,
    PIXEL_DATA,
    TAG_CONTENTS,
    DeidSpec,
    ImageSpec,
    Query,
    TagAction,
)


class Action(str, enum.Enum):
    """PS3.15 E.1 action codes."""

    D = "D"  # replace with a dummy value
    Z = "Z"  # zero-length value
    X = "X"  # remove
    K = "K"  # keep
    C = "C"  # clean
    U = "U"  # replace UID


class Op(str, enum.Enum):
    """What the tag walker does to one element."""

    KEEP = "keep"  # leave unchanged, do not look inside (keepTag)
    WALK = "walk"  # keep; a sequence's items get the plan too
    WALK_UIDS = "walk_uids"  # as WALK, and every non-registry UID inside is regenerated (U*)
    EMPTY = "empty"  # Z, removeTag
    DELETE = "delete"  # X, deleteTag
    RESET = "reset"  # D, resetTag
    RESET_CONTENT = "reset_content"  # the profile's D of a sequence: codes and numbers kept, other leaves reset
    REGEN = "regen"  # U, regenUidTag
    CLEAN = "clean"  # cleanTextTag: inspect the text, transform the findings


# Attributes of compound codes (X/D, Z/D, X/Z/D) that are Type 1 in a common
# IOD, so that the dummy (D) keeps those objects valid. The IOD is not looked up
# per instance; see resolve().
TYPE1_IN_COMMON_IODS: frozenset[str] = frozenset()
# Sequences with compound codes that are Type 2 where they are used (so Z, an
# empty sequence, keeps the object valid); other such sequences are Type 3.
TYPE2_SEQUENCES = frozenset({"AcquisitionContextSequence"})

# The keep list of MINIMAL_KEEP_LIST_PROFILE (spec section 2.3), by keyword.
MINIMAL_KEEP_KEYWORDS = (
    "StudyInstanceUID",
    "SeriesInstanceUID",
    "SOPInstanceUID",
    "SOPClassUID",
    "Modality",
    "PixelData",
    "Rows",
    "Columns",
    "SamplesPerPixel",
    "BitsAllocated",
    "BitsStored",
    "HighBit",
    "PhotometricInterpretation",
    "PixelRepresentation",
    "NumberOfFrames",
    "PlanarConfiguration",
    "PixelAspectRatio",
    "SmallestImagePixelValue",
    "LargestImagePixelValue",
    "RedPaletteColorLookupTableDescriptor",
    "GreenPaletteColorLookupTableDescriptor",
    "BluePaletteColorLookupTableDescriptor",
    "RedPaletteColorLookupTableData",
    "GreenPaletteColorLookupTableData",
    "BluePaletteColorLookupTableData",
    "SegmentedRedPaletteColorLookupTableData",
    "SegmentedGreenPaletteColorLookupTableData",
    "SegmentedBluePaletteColorLookupTableData",
    "PaletteColorLookupTableUID",
    "ICCProfile",
    "ColorSpace",
    "WindowCenter",
    "WindowWidth",
    "VOILUTFunction",
    "SpecificCharacterSet",
)
MINIMAL_KEEP_TAGS = frozenset(tag_for_keyword(k) for k in MINIMAL_KEEP_KEYWORDS)

# primaryIds covers these (spec 2.4); references to them follow the same choice
# so that a kept or regenerated instance stays linked.
PRIMARY_ID_KEYWORDS = ("StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID", "MediaStorageSOPInstanceUID")
PRIMARY_REFERENCE_KEYWORDS = PRIMARY_ID_KEYWORDS + ("ReferencedSOPInstanceUID", "ReferencedSOPInstanceUIDInFile")
PRIMARY_TAGS = frozenset(tag_for_keyword(k) for k in PRIMARY_REFERENCE_KEYWORDS)

_KIND_OP = {
    "keepTag": Op.KEEP,
    "removeTag": Op.EMPTY,
    "deleteTag": Op.DELETE,
    "resetTag": Op.RESET,
    "regenUidTag": Op.REGEN,
    "recurseTag": Op.WALK,
    "cleanTextTag": Op.CLEAN,
    "cleanImageTag": Op.KEEP,  # the pixel step (transforms.pixels.burnedin) redacts PixelData
}
_ACTION_OP = {Action.D: Op.RESET, Action.Z: Op.EMPTY, Action.X: Op.DELETE, Action.K: Op.WALK, Action.U: Op.REGEN}


def resolve(code: str, keyword: str = "", iod_type: str | None = None) -> Op:
    """Return the operation for one Basic Profile code.

    ``iod_type`` is the attribute's type (1, 1C, 2, 2C, 3) in the instance's
    IOD (``transforms.dicom.iod``), or None when the IOD is not known (an
    unlisted SOP Class, or an element inside a sequence). With the type, see
    ``resolve_for_type``. Without it, the choice that keeps the object valid in
    common IODs is taken (ours):

    - ``X/Z``, ``X/Z/D``, ``Z/D``: Z (an empty value is valid for Type 2 and 3),
      or D when the attribute is Type 1 in a common IOD;
    - ``X/D``: X (the attribute is optional in common IODs), or D when Type 1;
    - ``X/Z/U*``: keep the sequence and regenerate every UID in its items;
    - a sequence with a compound code is deleted (X) unless it is Type 2 in
      the IODs that use it (then Z): a present Type 3 sequence needs items, so
      an emptied one would be a new conformance error.
    """
    if iod_type is not None:
        return resolve_for_type(code, iod_type, keyword.endswith("Sequence"))
    if code == "X/Z/U*":
        return Op.WALK_UIDS
    if "/" not in code:
        return _ACTION_OP[Action(code)]
    choices = code.split("/")
    if "D" in choices and keyword in TYPE1_IN_COMMON_IODS:
        return Op.RESET
    if keyword.endswith("Sequence"):
        return Op.EMPTY if "Z" in choices and keyword in TYPE2_SEQUENCES else Op.DELETE
    if "Z" in choices:
        return Op.EMPTY
    return Op.DELETE


def resolve_for_type(code: str, iod_type: str, is_sequence: bool = False) -> Op:
    """Return the operation for a Basic Profile code and the attribute's type in the IOD.

    PS3.15 E.1: a compound code takes X where the attribute is Type 3, Z where
    it is Type 2, D where it is Type 1. The types' conditional forms, for an
    attribute that the input has (its condition is taken to hold; ours): 1C as
    1 and 2C as 2. A single code that would break the object is raised the same
    way (ours, "never less conformant than the input"): X or Z of a Type 1
    attribute becomes D, X of a Type 2 attribute becomes Z.

    - Type 1/1C: D (a dummy; a sequence keeps its items with dummies inside),
      except ``X/Z/U*``, which keeps the sequence and regenerates its UIDs;
    - Type 2/2C: Z (present and empty) where the code would remove it,
      ``X/Z/U*`` as for Type 1;
    - Type 3 (or not in the IOD): ``Z/D`` gives Z, other compounds X, except
      a sequence with Z (an emptied Type 3 sequence is reported by dciodvfy)
      and ``X/Z/U*``, kept with regenerated UIDs as without the IOD.
    """
    if code == "X/Z/U*":
        return Op.WALK_UIDS
    op = None if "/" in code else _ACTION_OP[Action(code)]
    choices = code.split("/")
    if iod_type in NEEDS_VALUE:
        if op is None or op in (Op.DELETE, Op.EMPTY):
            return Op.RESET
        return op
    if iod_type in NEEDS_PRESENCE:
        if op is None:
            return Op.EMPTY if "Z" in choices or "X" in choices else Op.RESET
        return Op.EMPTY if op is Op.DELETE else op
    if op is not None:
        return op
    if choices[0] == "Z" and not is_sequence:
        return Op.EMPTY
    return Op.DELETE


def _basic_table() -> tuple[dict[int, Op], dict[str, Op]]:
    exact: dict[int, Op] = {}
    masks: dict[str, Op] = {}
    for key, (keyword, _name, code, _options) in PS315_E1_1.items():
        if key == "private":
            continue
        if "x" in key:
            masks[key] = resolve(code, keyword)
        else:
            exact[int(key, 16)] = resolve(code, keyword)
    return exact, masks


_BASIC_EXACT, _BASIC_MASKS = _basic_table()
# tag -> (code, keyword) of the exact rows, for the decisions that weigh the IOD.
_BASIC_CODES = {int(k, 16): (row[2], row[0]) for k, row in PS315_E1_1.items() if k != "private" and "x" not in k}
# Descriptors the Clean Descriptors Option cleans instead of removing (column cleanDescOpt = C).
CLEAN_DESCRIPTOR_TAGS = frozenset(
    int(k, 16) for k, row in PS315_E1_1.items() if row[3].get("cleanDescOpt") == "C" and "x" not in k and k != "private"
)
# VRs DEIDENTIFY_TAG_CONTENTS inspects (cleanTextTag's VRs); UN is inspected when it decodes as text.
TEXT_VRS = ACTION_VRS["cleanTextTag"]


def _is_curve_or_overlay(tag: int) -> bool:
    group = tag >> 16
    return (0x5000 <= group <= 0x501E or 0x6000 <= group <= 0x601E) and group % 2 == 0


def _query_matches(q: Query, tag: int, vr: str) -> bool:
    if q.tag is not None:
        return q.tag == tag
    if q.mask is not None:
        return _mask_match(q.mask, tag)
    return q.vr == vr or (q.vr is not None and " or " in vr and q.vr in vr.split(" or "))


def _mask_match(mask: str, tag: int) -> bool:
    hex_tag = f"{tag:08x}"
    return all(m == "x" or m == h for m, h in zip(mask, hex_tag))


class Plan:
    """The compiled precedence of one DeidSpec; ``decide`` is memoised per (tag, VR)."""

    def __init__(self, spec: DeidSpec) -> None:
        self.spec = spec
        self.regenerates_uids = regenerates_uids(spec)
        self._cache: dict[tuple[int, str], Op] = {}
        self._kept: dict[tuple[int, str], bool] = {}
        self._iod_cache: dict[tuple[int, str, str], Op] = {}

    def kept_as_is(self, tag: int, vr: str) -> bool:
        """True when the config keeps this element on purpose: keepTag, primaryIds KEEP, a keepList."""
        key = (tag, vr)
        kept = self._kept.get(key)
        if kept is None:
            kept = self._kept[key] = self.decide(tag, vr) is Op.KEEP or any(
                _query_matches(q, tag, vr) for q in self.spec.profile_keep
            )
        return kept

    def decide(self, tag: int, vr: str) -> Op:
        """Return the operation for an element with this tag and VR."""
        key = (tag, vr)
        op = self._cache.get(key)
        if op is None:
            op = self._cache[key] = _decide(self.spec, tag, vr)
        return op

    def decide_in(self, tag: int, vr: str, iod: str | None) -> Op:
        """Return the operation for a top-level element of an instance of this IOD.

        ``iod`` is ``transforms.dicom.iod.iod_for_sop_class(SOPClassUID)``; with
        None this is ``decide``. The profile's choice then weighs the
        attribute's type in the IOD (``resolve_for_type``; the minimal profile:
        ``minimal_for_type``); actions and options decide as without it.
        """
        if iod is None:
            return self.decide(tag, vr)
        key = (tag, vr, iod)
        op = self._iod_cache.get(key)
        if op is None:
            op = self._iod_cache[key] = _decide(self.spec, tag, vr, iod)
        return op


def describe_basic_profile() -> str:
    """Return the Markdown page (docs/basic-profile.md) of what the Basic Profile does per tag."""
    lines = [
        "# What the Basic Profile changes",
        "",
        "Generated from `transforms/dicom/_ps315_table.py` by `transforms.dicom.profiles.describe_basic_profile()`;",
        "a test keeps this page equal to that output. Operations: keep, walk (keep; a sequence's",
        "items get the profile), walk_uids (keep; every UID inside is regenerated), empty, delete,",
        "reset (dummy value), regen (keyed UID). Elements not listed are kept; private elements,",
        "overlays (60xx) and curves (50xx) are deleted; group lengths are dropped.",
        "",
        "The operation shown is the choice made without the IOD (elements inside sequences, SOP",
        "Classes the IOD table does not list). A top-level element of an instance whose IOD is known",
        "gets the choice for its type there (Type 3: X, Type 2: Z, Type 1: D; README, \"Compound",
        "codes and the IOD\"). A sequence the profile resets keeps its items' CS values and binary",
        "numbers; every other leaf gets a dummy.",
        "",
        "| tag | attribute | PS3.15 code | operation |",
        "|---|---|---|---|",
    ]
    for key, (keyword, name, code, _options) in PS315_E1_1.items():
        op = Op.DELETE if key == "private" else resolve(code, keyword)
        lines.append(f"| `{key}` | {keyword or name} | {code} | {op.value} |")
    return "\n".join(lines) + "\n"


# VRs whose values are codes or numbers (no names, IDs or dates): a Type 1 attribute of
# these VRs keeps its value under the minimal profile, the only value known to be valid
# (an enumerated value, a non-zero spacing of the right multiplicity).
CODED_VRS = frozenset({"CS", "IS", "DS", "US", "SS", "UL", "SL", "FL", "FD", "SV", "UV", "AT"})


# Kept unchanged by the minimal profile when the instance's IOD is known (ours): codes
# that an IOD condition reads (dciodvfy requires Laterality when BodyPartExamined is
# absent, and AnatomicRegionSequence's codes when BodyPartExamined has a value) or whose
# VR is text but whose values are enumerated (RescaleType: HU, ...), so that no dummy
# or removal is valid. They name anatomy and units, not people.
MINIMAL_CODED_KEYWORDS = ("AnatomicRegionSequence", "BodyPartExamined", "RescaleType")
MINIMAL_CODED_TAGS = frozenset(tag_for_keyword(k) for k in MINIMAL_CODED_KEYWORDS)


def _dictionary_vr(tag: int) -> str:
    try:
        return dictionary_VR(tag)
    except KeyError:
        return "UN"


def minimal_for_type(iod_type: str, vr: str) -> Op:
    """Return what MINIMAL_KEEP_LIST_PROFILE does to an attribute outside its keep list.

    The spec's list is kept (spec section 2.3); of the rest (ours, so that the output
    stays as conformant as its input): the IOD's Type 2 (and present 2C) attributes
    stay present and empty (Z); its Type 1 (and present 1C) attributes keep a valid
    value: a dummy for text, names and dates (D), a regenerated UID (U), the value
    itself for codes and numbers (``CODED_VRS``), and a sequence keeps its items with
    codes and numbers and dummies for every other leaf; all others are removed (X).
    """
    if iod_type in NEEDS_VALUE:
        if vr == "SQ":
            return Op.RESET_CONTENT
        if vr == "UI":
            return Op.REGEN
        return Op.WALK if all(v in CODED_VRS for v in vr.split(" or ")) else Op.RESET
    if iod_type in NEEDS_PRESENCE:
        return Op.EMPTY
    return Op.DELETE


def _first_action(spec: DeidSpec, tag: int, vr: str) -> TagAction | None:
    for action in spec.actions:
        allowed = ACTION_VRS[action.kind]
        if allowed is not None and not any(v in allowed for v in vr.split(" or ")):
            # A VR query skips unsupported elements; so does a tag query whose
            # element turns out to have another VR (e.g. a private tag).
            continue
        if action.kind == "cleanImageTag" and tag != PIXEL_DATA:
            continue  # a VR query (OB, OW) reaches other elements: they are not images
        if any(_query_matches(q, tag, vr) for q in action.queries):
            return action
    return None


def pixel_image_spec(spec: DeidSpec, vr: str = "OB or OW") -> ImageSpec | None:
    """Return the ImageConfig that applies to the PixelData element (top level), if any.

    Same precedence as every element: the first action whose query matches
    PixelData decides (a ``cleanImageTag`` gives its ImageConfig; any other
    action, such as keepTag or deleteTag, means no redaction); else the
    ``cleanImage`` option (or legacy ``image``).
    """
    action = _first_action(spec, PIXEL_DATA, vr)
    if action is not None:
        return action.image if action.kind == "cleanImageTag" else None
    return spec.clean_image


def regenerates_uids(spec: DeidSpec) -> bool:
    """True when every non-registry UID the config does not keep is regenerated (ours).

    PS3.15 Table E.1-1 does not list every UI attribute (CreatorVersionUID, UIDs in
    sequences it does not name, kept private elements): any UID a profile keeps
    only because no rule names it is regenerated with the same keyed function,
    so references stay consistent. Every profile regenerates the primary UIDs; the
    one exception is KEEP_ALL_PROFILE with ``primaryIds`` KEEP, which keeps
    every UID. An action that keeps an element (keepTag), ``primaryIds`` KEEP
    and a legacy keepList still keep theirs.
    """
    return not (spec.profile == KEEP_ALL and spec.primary_ids == "KEEP")


def _decide(spec: DeidSpec, tag: int, vr: str, iod: str | None = None) -> Op:
    op = _decide_rules(spec, tag, vr, iod)
    if op is Op.WALK and vr == "UI" and regenerates_uids(spec):
        return Op.REGEN
    return op


def _decide_rules(spec: DeidSpec, tag: int, vr: str, iod: str | None = None) -> Op:
    action = _first_action(spec, tag, vr)
    if action is not None:
        return _KIND_OP[action.kind]
    if spec.primary_ids != "PRIMARY_IDS_OPTION_UNSPECIFIED" and tag in PRIMARY_TAGS:
        return Op.KEEP if spec.primary_ids == "KEEP" else Op.REGEN
    if spec.clean_descriptors and tag in CLEAN_DESCRIPTOR_TAGS:
        if vr in TEXT_VRS:
            return Op.CLEAN
        if vr == "SQ":
            return Op.WALK  # cleaned, not removed: its items get the whole config
    op = _profile_decide(spec, tag, vr, iod)
    if op is Op.RESET and vr == "SQ":
        # A dummy sequence that stays valid (ours): its items keep their structure
        # (coded CS values such as an SR content item's ValueType, binary numbers such
        # as a ReferencedContentItemIdentifier), every other leaf gets a dummy.
        return Op.RESET_CONTENT
    return op


def _profile_decide(spec: DeidSpec, tag: int, vr: str, iod: str | None = None) -> Op:
    if tag & 0xFFFF == 0 and tag >> 16 != 0x0002:
        return Op.DELETE  # group lengths: stale once anything changes
    kept = any(_query_matches(q, tag, vr) for q in spec.profile_keep)
    if tag in PRIMARY_TAGS and spec.profile != BASIC and (spec.profile in (KEEP_ALL, TAG_CONTENTS) or kept or tag in MINIMAL_KEEP_TAGS):
        return Op.REGEN  # every profile but Basic (whose table says U) regenerates these
    if kept:
        return Op.KEEP if vr == "UI" else Op.WALK  # a keepList entry keeps its UID as is
    if any(_query_matches(q, tag, vr) for q in spec.profile_delete):
        return Op.DELETE
    group = tag >> 16
    if spec.profile == KEEP_ALL:
        return Op.WALK
    if spec.profile == TAG_CONTENTS:
        if vr in TEXT_VRS or (vr == "UN" and group % 2 == 1):
            return Op.CLEAN
        return Op.WALK
    if spec.profile == MINIMAL:
        if tag in MINIMAL_KEEP_TAGS:
            return Op.WALK
        if iod is None:
            return Op.DELETE
        if tag in MINIMAL_CODED_TAGS:
            return Op.KEEP
        if vr == "UN" and _dictionary_vr(tag) in CODED_VRS:
            vr = _dictionary_vr(tag)  # kept as stored; an UN UID or text still gets its dummy
        return minimal_for_type(attribute_type(iod, tag), vr)
    assert spec.profile == BASIC, spec.profile
    if group % 2 == 1:
        return Op.DELETE  # private elements (and their creators)
    if _is_curve_or_overlay(tag):
        return Op.DELETE  # overlays and curves: the whole repeating group
    if iod is not None and tag in _BASIC_CODES:
        code, keyword = _BASIC_CODES[tag]
        return resolve(code, keyword, attribute_type(iod, tag))
    op = _BASIC_EXACT.get(tag)
    if op is not None:
        return op
    for mask, mop in _BASIC_MASKS.items():
        if _mask_match(mask, tag):
            return mop
    return Op.WALK


def compile_plan(spec: DeidSpec) -> Plan:
    """Return the Plan for a validated spec."""
    return Plan(spec)
