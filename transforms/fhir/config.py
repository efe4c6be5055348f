"""``fhirFieldConfig`` and legacy ``fhir``: checking and the engine's ``FhirSpec`` (spec 2, 3).

Called by the DICOM config checker (``transforms.deid_config``) with its problem collector, so
every problem names its JSON path (``config.fhirFieldConfig.fieldMetadataList[1].paths[0]``).
Paths are checked against the R4 type table (``paths.check_path``) before the job starts.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from typing import Any

from transforms.configcheck import Checker, check_key
from transforms.fhir.paths import ACTION_TYPES, PathError, check_path, parse_path

BASIC = "BASIC"
CLEAN_ALL = "CLEAN_ALL"
KEEP_ALL = "KEEP_ALL"
FHIR_PROFILES = ("PROFILE_TYPE_UNSPECIFIED", KEEP_ALL, BASIC, CLEAN_ALL)
FIELD_ACTIONS = (
    "keepField",
    "removeField",
    "characterMaskField",
    "cryptoHashField",
    "dateShiftField",
    "cleanTextField",
)
LEGACY_ACTIONS = {
    "ACTION_UNSPECIFIED": "keepField",
    "DO_NOT_TRANSFORM": "keepField",
    "INSPECT_AND_TRANSFORM": "cleanTextField",
    "TRANSFORM": "transform",
}


@dataclass(frozen=True)
class FieldRule:
    """One ``fieldMetadataList`` entry: parsed paths (component tuples) and one action."""

    paths: tuple[tuple[str, ...], ...]
    action: str


@dataclass(frozen=True)
class FhirSpec:
    """The FHIR part of a validated DeidentifyConfig.

    ``source`` is ``fhirFieldConfig``, ``fhir`` (legacy) or ``default`` (neither: BASIC).
    Keys are the raw bytes of ``options.cryptoHashConfig`` / ``dateShiftConfig``
    (None: derived from the run key); ``*_kms`` the (wrappedKey, cryptoKey) pair.
    """

    source: str = "default"
    profile: str = BASIC
    rules: tuple[FieldRule, ...] = ()
    keep_extensions: bool = False
    contextual: bool = False
    masking_character: str = "*"
    hash_key: bytes | None = field(default=None, repr=False)
    date_shift_key: bytes | None = field(default=None, repr=False)
    hash_kms: tuple[str, str] | None = None
    date_shift_kms: tuple[str, str] | None = None


def _key(c: Checker, value: Any, path: str) -> tuple[bytes | None, tuple[str, str] | None]:
    f = c.fields(value, path, ("cryptoKey", "kmsWrapped"))
    check_key(c, f, path)
    key = None
    if isinstance(f.get("cryptoKey"), str):
        try:
            key = base64.b64decode(f["cryptoKey"], validate=True)
        except (binascii.Error, ValueError):
            key = None
    kms = None
    if isinstance(f.get("kmsWrapped"), dict):
        kw = {k if k in ("wrappedKey", "cryptoKey") else "": v for k, v in f["kmsWrapped"].items()}
        kms = (str(kw.get("wrappedKey", "")), str(kw.get("cryptoKey", "")))
    return key, kms


def _paths(c: Checker, value: Any, path: str, action: str) -> tuple[tuple[str, ...], ...]:
    texts = c.strings(value, path)
    if isinstance(value, list) and not value:
        c.fail(path, "needs at least one path")
    out = []
    for i, text in enumerate(texts):
        ppath = f"{path}[{i}]"
        try:
            comps = parse_path(text)
            check_path(comps, ACTION_TYPES.get(action))
        except PathError as exc:
            c.fail(ppath, str(exc))
            continue
        out.append(comps)
    return tuple(out)


def check_fhir_field_config(c: Checker, value: Any, path: str) -> FhirSpec:
    """Check a ``fhirFieldConfig`` object; return its ``FhirSpec`` (problems go to ``c``)."""
    f = c.fields(value, path, ("profileType", "fieldMetadataList", "options"))
    profile = BASIC
    if "profileType" in f:
        chosen = c.enum(f["profileType"], f"{path}.profileType", FHIR_PROFILES)
        if chosen and chosen != "PROFILE_TYPE_UNSPECIFIED":
            profile = chosen
    rules: list[FieldRule] = []
    if "fieldMetadataList" in f:
        for ipath, item in _list_items(c, f["fieldMetadataList"], f"{path}.fieldMetadataList"):
            e = c.fields(item, ipath, ("paths",) + FIELD_ACTIONS)
            actions = [k for k in FIELD_ACTIONS if k in e]
            if len(actions) != 1:
                c.fail(ipath, f"needs exactly one action ({', '.join(FIELD_ACTIONS)}), found {len(actions)}")
            for k in actions:
                c.empty(e[k], f"{ipath}.{k}")
            action = actions[0] if len(actions) == 1 else None
            if "paths" not in e:
                c.fail(f"{ipath}.paths", "is required")
                continue
            paths = _paths(c, e["paths"], f"{ipath}.paths", action or "keepField")
            if action:
                rules.append(FieldRule(paths, action))
    spec: dict[str, Any] = {}
    if "options" in f:
        opath = f"{path}.options"
        o = c.fields(
            f["options"],
            opath,
            ("characterMaskConfig", "cryptoHashConfig", "dateShiftConfig", "contextualDeid", "keepExtensions"),
        )
        if "characterMaskConfig" in o:
            m = c.fields(o["characterMaskConfig"], f"{opath}.characterMaskConfig", ("maskingCharacter",))
            if "maskingCharacter" in m:
                ch = c.string(m["maskingCharacter"], f"{opath}.characterMaskConfig.maskingCharacter")
                if ch:
                    spec["masking_character"] = ch[0]
        if "cryptoHashConfig" in o:
            spec["hash_key"], spec["hash_kms"] = _key(c, o["cryptoHashConfig"], f"{opath}.cryptoHashConfig")
        if "dateShiftConfig" in o:
            spec["date_shift_key"], spec["date_shift_kms"] = _key(
                c, o["dateShiftConfig"], f"{opath}.dateShiftConfig"
            )
        if "contextualDeid" in o:
            c.empty(o["contextualDeid"], f"{opath}.contextualDeid")
            spec["contextual"] = True
        if "keepExtensions" in o:
            c.empty(o["keepExtensions"], f"{opath}.keepExtensions")
            spec["keep_extensions"] = True
    return FhirSpec("fhirFieldConfig", profile, tuple(rules), **spec)



def _list_items(c: Checker, items: Any, lpath: str) -> list[tuple[str, Any]]:
    """The (JSON path, item) pairs of a list field; a non-list is a problem and no items."""
    if not isinstance(items, list):
        c.fail(lpath, "expected a list")
        return []
    return [(f"{lpath}[{i}]", item) for i, item in enumerate(items)]

def check_legacy_fhir(c: Checker, value: Any, path: str) -> FhirSpec:
    """Check a legacy ``fhir`` (FhirConfig) object: BASIC, overridden by its list (spec 3.2)."""
    f = c.fields(value, path, ("fieldMetadataList", "defaultKeepExtensions"))
    rules: list[FieldRule] = []
    if "fieldMetadataList" in f:
        for ipath, item in _list_items(c, f["fieldMetadataList"], f"{path}.fieldMetadataList"):
            e = c.fields(item, ipath, ("paths", "action"))
            action = "keepField"
            if "action" in e:
                legacy = c.enum(e["action"], f"{ipath}.action", tuple(LEGACY_ACTIONS))
                action = LEGACY_ACTIONS.get(legacy or "", "keepField")
            if "paths" not in e:
                c.fail(f"{ipath}.paths", "is required")
                continue
            paths = _paths(c, e["paths"], f"{ipath}.paths", action)
            rules.append(FieldRule(paths, action))
    keep = False
    if "defaultKeepExtensions" in f:
        keep = c.boolean(f["defaultKeepExtensions"], f"{path}.defaultKeepExtensions")
    return FhirSpec("fhir", BASIC, tuple(rules), keep_extensions=keep)


__all__ = ["BASIC", "CLEAN_ALL", "KEEP_ALL", "FhirSpec", "FieldRule", "check_fhir_field_config", "check_legacy_fhir"]
