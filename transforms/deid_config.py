"""The Cloud Healthcare API ``DeidentifyConfig`` JSON: parsing and validation.

``parse_config`` turns the JSON object of a config file (a ``DeidentifyConfig``
or a whole request body) into a frozen ``DeidSpec`` or raises ``ConfigError``
listing every problem with its JSON path (spec section 1). Field names are
accepted in lowerCamelCase and in the proto's snake_case, as the service's JSON
parser does. Nothing here reads files or the environment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable

from pydicom.datadict import dictionary_VR, repeater_has_keyword, tag_for_keyword, get_entry
from pydicom.datadict import keyword_dict

from transforms.configcheck import Checker, check_key, json_type
from transforms.errors import ConfigError

BASIC = "ATTRIBUTE_CONFIDENTIALITY_BASIC_PROFILE"
MINIMAL = "MINIMAL_KEEP_LIST_PROFILE"
KEEP_ALL = "KEEP_ALL_PROFILE"
TAG_CONTENTS = "DEIDENTIFY_TAG_CONTENTS"
PROFILE_TYPES = ("PROFILE_TYPE_UNSPECIFIED", MINIMAL, BASIC, KEEP_ALL, TAG_CONTENTS)
FILTER_PROFILES = ("TAG_FILTER_PROFILE_UNSPECIFIED", MINIMAL, BASIC, KEEP_ALL, TAG_CONTENTS)
PRIMARY_IDS = ("PRIMARY_IDS_OPTION_UNSPECIFIED", "KEEP", "REGEN")
TEXT_PROFILES = ("PROFILE_TYPE_UNSPECIFIED", "EMPTY", "BASIC")
NO_TEXT_MODES = ("TEXT_REDACTION_MODE_UNSPECIFIED", "REDACT_NO_TEXT")
SENSITIVE_MODES = ("REDACT_SENSITIVE_TEXT", "REDACT_SENSITIVE_TEXT_CLEAN_DESCRIPTORS")
TEXT_REDACTION_MODES = NO_TEXT_MODES + ("REDACT_ALL_TEXT",) + SENSITIVE_MODES

# Action field -> VRs it may be aimed at (None: any VR).
ACTION_VRS: dict[str, frozenset[str] | None] = {
    "keepTag": None,
    "removeTag": None,
    "deleteTag": None,
    "resetTag": None,
    "cleanTextTag": frozenset("AE LO LT PN SH ST UC UT DA DT AS".split()),
    "regenUidTag": frozenset({"UI"}),
    "recurseTag": frozenset({"SQ"}),
    "cleanImageTag": frozenset({"OB", "OW", "OB or OW"}),
}
PIXEL_DATA = 0x7FE00010
ALL_VRS = frozenset(
    "AE AS AT CS DA DS DT FL FD IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST SV TM UC UI UL UN "
    "UR US UT UV".split()
)

_HEX_TAG = re.compile(r"^[0-9A-Fa-f]{8}$")
_VR_QUERY = re.compile(r"^[A-Z]{2}$")


@dataclass(frozen=True)
class Query:
    """One query of an Action: a tag, a repeater mask, or a VR."""

    text: str
    tag: int | None = None
    mask: str | None = None
    vr: str | None = None


@dataclass(frozen=True)
class TagAction:
    """One Action of ``dicomTagConfig.actions`` (or a legacy list entry)."""

    kind: str
    queries: tuple[Query, ...]
    image: ImageSpec | None = None  # the ImageConfig of a cleanImageTag action


@dataclass(frozen=True)
class ImageSpec:
    """An ``ImageConfig``: burned-in text redaction settings."""

    mode: str = "REDACT_NO_TEXT"
    additional_info_types: tuple[str, ...] = ()
    exclude_info_types: tuple[str, ...] = ()


@dataclass(frozen=True)
class AnnotationSpec:
    """The ``annotation`` config: where the service would store annotations, and quotes."""

    store_name: str = ""
    store_quote: bool = False


@dataclass(frozen=True)
class DeidSpec:
    """A validated DeidentifyConfig, in the engine's terms.

    Attributes
    ----------
    profile : str
        One of the four profile names (``PROFILE_TYPE_UNSPECIFIED`` resolved).
    primary_ids : str
        ``PRIMARY_IDS_OPTION_UNSPECIFIED``, ``KEEP`` or ``REGEN``.
    actions : tuple of TagAction
        User actions in list order; the first match wins.
    profile_keep, profile_delete : tuple of Query
        Legacy ``keepList`` / ``removeList`` entries: they change the profile
        itself, so user actions and options still take precedence.
    source : str
        ``dicomTagConfig``, ``dicom`` (legacy) or ``default``.
    """

    profile: str = BASIC
    primary_ids: str = "PRIMARY_IDS_OPTION_UNSPECIFIED"
    actions: tuple[TagAction, ...] = ()
    profile_keep: tuple[Query, ...] = ()
    profile_delete: tuple[Query, ...] = ()
    clean_descriptors: bool = False
    clean_image: ImageSpec | None = None
    source: str = "default"
    text: dict[str, Any] = field(default_factory=dict)
    annotation: AnnotationSpec | None = None
    filter_uri: str | None = None
    config_uri: str | None = None
    fhir: Any = None  # transforms.fhir.config.FhirSpec: fhirFieldConfig / legacy fhir / default
    resource_filter: tuple[str, ...] | None = None  # request resourceFilter: Type/id of the sources


def _tag_vr(tag: int) -> str | None:
    try:
        return dictionary_VR(tag)
    except KeyError:
        return None


def parse_query(text: str) -> Query:
    """Return the Query for a tag, keyword or VR string.

    Raises
    ------
    ValueError
        If ``text`` is neither 8 hex digits, a dictionary keyword nor a VR.
    """
    if _HEX_TAG.match(text):
        return Query(text, tag=int(text, 16))
    if text and text in keyword_dict:
        return Query(text, tag=tag_for_keyword(text))
    if text and repeater_has_keyword(text):
        from pydicom.datadict import RepeatersDictionary

        mask = next(m for m, e in RepeatersDictionary.items() if e[4] == text)
        return Query(text, mask=mask.lower())
    if _VR_QUERY.match(text) and text in ALL_VRS:
        return Query(text, vr=text)
    raise ValueError(
        f"{text!r} is not a tag (8 hex digits), a DICOM dictionary keyword or a VR"
    )


def query_vr(query: Query) -> str | None:
    """Return the dictionary VR a tag or mask query aims at, None if unknown."""
    if query.tag is not None:
        return _tag_vr(query.tag)
    if query.mask is not None:
        return get_entry(query.mask.replace("x", "0"))[0]
    return None


def _check_image(c: Checker, value: Any, path: str) -> ImageSpec:
    f = c.fields(value, path, ("textRedactionMode", "additionalInfoTypes", "excludeInfoTypes"))
    mode = "TEXT_REDACTION_MODE_UNSPECIFIED"
    if "textRedactionMode" in f:
        mode = c.enum(f["textRedactionMode"], f"{path}.textRedactionMode", TEXT_REDACTION_MODES) or mode
    extra: dict[str, tuple[str, ...]] = {}
    for name in ("additionalInfoTypes", "excludeInfoTypes"):
        if name in f:
            extra[name] = c.info_types(f[name], f"{path}.{name}")
            if extra[name] and mode not in SENSITIVE_MODES:
                c.fail(f"{path}.{name}", f"is only allowed with {' or '.join(SENSITIVE_MODES)}")
    return ImageSpec(mode, extra.get("additionalInfoTypes", ()), extra.get("excludeInfoTypes", ()))


_TRANSFORMS = (
    "replaceWithInfoTypeConfig",
    "redactConfig",
    "characterMaskConfig",
    "cryptoHashConfig",
    "dateShiftConfig",
)


def _check_text(c: Checker, value: Any, path: str) -> dict[str, Any]:
    f = c.fields(value, path, ("profileType", "additionalTransformations", "transformations", "excludeInfoTypes"))
    if "profileType" in f:
        c.enum(f["profileType"], f"{path}.profileType", TEXT_PROFILES)
    if "excludeInfoTypes" in f:
        c.info_types(f["excludeInfoTypes"], f"{path}.excludeInfoTypes")
    if "additionalTransformations" in f and "transformations" in f:
        c.fail(path, "additionalTransformations and its alias transformations cannot both be given")
    for list_name in ("additionalTransformations", "transformations"):
        if list_name not in f:
            continue
        items = f[list_name]
        if not isinstance(items, list):
            c.fail(f"{path}.{list_name}", f"expected a list, got {json_type(items)}")
            continue
        for i, item in enumerate(items):
            ipath = f"{path}.{list_name}[{i}]"
            t = c.fields(item, ipath, ("infoTypes",) + _TRANSFORMS)
            if "infoTypes" in t:
                c.info_types(t["infoTypes"], f"{ipath}.infoTypes")
            chosen = [k for k in _TRANSFORMS if k in t]
            if len(chosen) != 1:
                c.fail(ipath, f"needs exactly one of {', '.join(_TRANSFORMS)}")
            for k in chosen:
                kpath = f"{ipath}.{k}"
                if k in ("replaceWithInfoTypeConfig", "redactConfig"):
                    c.empty(t[k], kpath)
                elif k == "characterMaskConfig":
                    m = c.fields(t[k], kpath, ("maskingCharacter",))
                    if "maskingCharacter" in m:
                        ch = c.string(m["maskingCharacter"], f"{kpath}.maskingCharacter")
                        if ch is not None and len(ch) > 1:
                            c.fail(f"{kpath}.maskingCharacter", "must be a single character")
                else:
                    check_key(c, c.fields(t[k], kpath, ("cryptoKey", "kmsWrapped")), kpath)
    return dict(value) if isinstance(value, dict) else {}


def _check_queries(c: Checker, value: Any, path: str, kind: str | None) -> tuple[Query, ...]:
    texts = c.strings(value, path)
    if isinstance(value, list) and not value:
        c.fail(path, "needs at least one query")
    out = []
    for i, text in enumerate(texts):
        qpath = f"{path}[{i}]"
        try:
            q = parse_query(text)
        except ValueError as exc:
            c.fail(qpath, str(exc))
            continue
        allowed = ACTION_VRS.get(kind) if kind else None
        vr = query_vr(q)
        if allowed is not None and q.vr is None and vr is not None and vr not in allowed:
            c.fail(qpath, f"{kind} does not apply to {text} (VR {vr}); allowed VRs: {', '.join(sorted(allowed))}")
        if kind == "cleanImageTag" and q.tag != PIXEL_DATA and q.vr is None:
            c.fail(qpath, "cleanImageTag applies to PixelData only")
        out.append(q)
    return tuple(out)


def _check_actions(c: Checker, value: Any, path: str) -> tuple[TagAction, ...]:
    if not isinstance(value, list):
        c.fail(path, f"expected a list, got {json_type(value)}")
        return ()
    actions = []
    for i, item in enumerate(value):
        apath = f"{path}[{i}]"
        f = c.fields(item, apath, ("queries",) + tuple(ACTION_VRS))
        kinds = [k for k in ACTION_VRS if k in f]
        if len(kinds) != 1:
            c.fail(apath, f"needs exactly one action field ({', '.join(ACTION_VRS)}), found {len(kinds)}")
        kind = kinds[0] if len(kinds) == 1 else None
        if "queries" not in f:
            c.fail(f"{apath}.queries", "is required")
        queries = _check_queries(c, f.get("queries", []), f"{apath}.queries", kind) if "queries" in f else ()
        image = None
        for k in kinds:
            kpath = f"{apath}.{k}"
            if k == "cleanImageTag":
                image = _check_image(c, f[k], kpath)
            else:
                c.empty(f[k], kpath)
        if kind:
            actions.append(TagAction(kind, queries, image if kind == "cleanImageTag" else None))
    return tuple(actions)


def _check_tag_config(c: Checker, value: Any, path: str, base: dict[str, Any]) -> None:
    f = c.fields(value, path, ("profileType", "options", "actions"))
    if "profileType" in f:
        prof = c.enum(f["profileType"], f"{path}.profileType", PROFILE_TYPES)
        if prof and prof != "PROFILE_TYPE_UNSPECIFIED":
            base["profile"] = prof
    if "options" in f:
        opath = f"{path}.options"
        o = c.fields(f["options"], opath, ("primaryIds", "cleanDescriptors", "cleanImage"))
        if "primaryIds" in o:
            base["primary_ids"] = c.enum(o["primaryIds"], f"{opath}.primaryIds", PRIMARY_IDS) or base["primary_ids"]
        if "cleanDescriptors" in o:
            c.empty(o["cleanDescriptors"], f"{opath}.cleanDescriptors")
            base["clean_descriptors"] = True
        if "cleanImage" in o:
            base["clean_image"] = _check_image(c, o["cleanImage"], f"{opath}.cleanImage")
    if "actions" in f:
        base["actions"] = _check_actions(c, f["actions"], f"{path}.actions")


def _check_legacy_dicom(c: Checker, value: Any, path: str, base: dict[str, Any]) -> None:
    f = c.fields(value, path, ("filterProfile", "keepList", "removeList", "skipIdRedaction"))
    chosen = [k for k in ("keepList", "removeList", "filterProfile") if k in f]
    if len(chosen) > 1:
        c.fail(path, f"only one of keepList, removeList, filterProfile may be given; found {', '.join(chosen)}")
    base["profile"] = KEEP_ALL
    if "filterProfile" in f:
        prof = c.enum(f["filterProfile"], f"{path}.filterProfile", FILTER_PROFILES)
        if prof and prof != "TAG_FILTER_PROFILE_UNSPECIFIED":
            base["profile"] = prof
    for name in ("keepList", "removeList"):
        if name not in f:
            continue
        lpath = f"{path}.{name}"
        lst = c.fields(f[name], lpath, ("tags",))
        queries = []
        for i, text in enumerate(c.strings(lst.get("tags", []), f"{lpath}.tags")):
            try:
                q = parse_query(text)
            except ValueError as exc:
                c.fail(f"{lpath}.tags[{i}]", str(exc))
                continue
            if q.vr is not None:
                c.fail(f"{lpath}.tags[{i}]", "tag lists take tags or keywords, not VRs")
                continue
            queries.append(q)
        if name == "keepList":
            base["profile"] = MINIMAL
            base["profile_keep"] = tuple(queries)
        else:
            base["profile_delete"] = tuple(queries) + (parse_query("OverlayData"),)
    if "skipIdRedaction" in f and c.boolean(f["skipIdRedaction"], f"{path}.skipIdRedaction"):
        base["primary_ids"] = "KEEP"


def _check_deidentify_config(c: Checker, value: Any, path: str, base: dict[str, Any]) -> None:
    top = (
        "dicomTagConfig",
        "dicom",
        "image",
        "text",
        "annotation",
        "fhirFieldConfig",
        "fhir",
        "useRegionalDataProcessing",
    )
    f = c.fields(value, path, top)
    if "dicom" in f and "dicomTagConfig" in f:
        c.fail(path, f"{path}.dicom and {path}.dicomTagConfig cannot be used together")
    if "fhir" in f and "fhirFieldConfig" in f:
        c.fail(path, f"{path}.fhir and {path}.fhirFieldConfig cannot be used together")
    if "fhirFieldConfig" in f or "fhir" in f:
        # Imported only when needed: the R4 type table is large and DICOM jobs rarely need it.
        from transforms.fhir.config import check_fhir_field_config, check_legacy_fhir

        if "fhirFieldConfig" in f:
            base["fhir"] = check_fhir_field_config(c, f["fhirFieldConfig"], f"{path}.fhirFieldConfig")
        else:
            base["fhir"] = check_legacy_fhir(c, f["fhir"], f"{path}.fhir")
    if "useRegionalDataProcessing" in f:
        c.boolean(f["useRegionalDataProcessing"], f"{path}.useRegionalDataProcessing")
    if "dicomTagConfig" in f:
        base["source"] = "dicomTagConfig"
        _check_tag_config(c, f["dicomTagConfig"], f"{path}.dicomTagConfig", base)
    elif "dicom" in f:
        base["source"] = "dicom"
        _check_legacy_dicom(c, f["dicom"], f"{path}.dicom", base)
    if "image" in f:
        if base.get("clean_image") is not None:
            c.fail(path, f"{path}.image and {path}.dicomTagConfig.options.cleanImage cannot be used together")
        base["clean_image"] = _check_image(c, f["image"], f"{path}.image")
    if "text" in f:
        base["text"] = _check_text(c, f["text"], f"{path}.text")
    if "annotation" in f:
        a = c.fields(f["annotation"], f"{path}.annotation", ("annotationStoreName", "storeQuote"))
        store = c.string(a["annotationStoreName"], f"{path}.annotation.annotationStoreName") if "annotationStoreName" in a else None
        quote = c.boolean(a["storeQuote"], f"{path}.annotation.storeQuote") if "storeQuote" in a else False
        base["annotation"] = AnnotationSpec(store or "", quote)


_REQUEST_FIELDS = (
    "config",
    "filterConfig",
    "destinationDataset",
    "destinationStore",
    "gcsConfigUri",
    "resourceFilter",
    "skipModifiedResources",
)


def is_request_body(obj: Any) -> bool:
    """Return True when ``obj`` looks like a whole deidentify request body."""
    return isinstance(obj, dict) and any(k in obj or _snake(k) in obj for k in _REQUEST_FIELDS)


def _snake(name: str) -> str:
    return re.sub(r"([A-Z])", lambda m: "_" + m.group(1).lower(), name)


def parse_config(obj: Any, log: Callable[[str], None] | None = None) -> DeidSpec:
    """Validate a config JSON value and return the engine's ``DeidSpec``.

    Parameters
    ----------
    obj : Any
        The decoded JSON: a ``DeidentifyConfig`` or a request body
        ``{"config": {...}, "filterConfig": {...}, ...}``.
    log : callable, optional
        Receives notes about accepted fields that have no effect here.

    Raises
    ------
    ConfigError
        With one problem per invalid field, each naming its JSON path.
    """
    c = Checker()
    base: dict[str, Any] = {"profile": BASIC, "primary_ids": "PRIMARY_IDS_OPTION_UNSPECIFIED"}
    if is_request_body(obj):
        f = c.fields(obj, "request", _REQUEST_FIELDS)
        for name in ("destinationDataset", "destinationStore"):
            if name in f and log:
                log(f"request.{name} is ignored: the output location comes from --output")
        if "skipModifiedResources" in f:
            c.boolean(f["skipModifiedResources"], "request.skipModifiedResources")
            if log:
                log("request.skipModifiedResources is ignored: every input resource is de-identified")
        if "resourceFilter" in f:
            rf = c.fields(f["resourceFilter"], "request.resourceFilter", ("resources",))
            if "resources" in rf:
                inner = c.fields(rf["resources"], "request.resourceFilter.resources", ("resources",))
                names = c.strings(inner.get("resources", []), "request.resourceFilter.resources.resources")
                for i, name in enumerate(names):
                    if not re.fullmatch(r"[A-Z][A-Za-z]+/[A-Za-z0-9\-.]{1,64}", name):
                        c.fail(f"request.resourceFilter.resources.resources[{i}]", "expected Type/id")
                base["resource_filter"] = tuple(names)
        if "config" in f and "gcsConfigUri" in f:
            c.fail("request", "request.config and request.gcsConfigUri cannot be used together")
        if "gcsConfigUri" in f:
            base["config_uri"] = c.string(f["gcsConfigUri"], "request.gcsConfigUri")
        if "filterConfig" in f:
            fc = c.fields(f["filterConfig"], "request.filterConfig", ("resourcePathsGcsUri",))
            if "resourcePathsGcsUri" in fc:
                base["filter_uri"] = c.string(fc["resourcePathsGcsUri"], "request.filterConfig.resourcePathsGcsUri")
        _check_deidentify_config(c, f.get("config", {}), "config", base)
    else:
        _check_deidentify_config(c, obj, "config", base)
    if c.problems:
        raise ConfigError(c.problems)
    for name in ("fhir", "fhirFieldConfig"):
        if isinstance(obj, dict) and name in (obj.get("config", obj) or {}) and log:
            log(f"config.{name} is checked here and applies to fhir-deid only, not to DICOM instances")
    if isinstance(obj, dict) and "useRegionalDataProcessing" in (obj.get("config", obj) or {}) and log:
        log("config.useRegionalDataProcessing is accepted and has no effect (everything runs locally)")
    return DeidSpec(**base)
