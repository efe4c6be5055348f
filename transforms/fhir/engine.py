"""The per-resource FHIR engine: one resource in, its de-identified form out (spec 3-9).

``FhirDeidentifier(spec, run_key, ...)(resource, ...)`` walks the resource with the R4 type
table, gives every leaf exactly one action (first ``fieldMetadataList`` entry whose path
matches the leaf or an ancestor with an action the leaf's type takes; then the options;
then the profile rows; else unchanged), removes containers left empty, keeps required
elements as ``data-absent-reason``, and returns the resource, its annotation and its
counters. Pure: no Beam, no files, no clock; messages name paths, never values.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable

from transforms.deid_config import DeidSpec
from transforms.dicom.cleantext import text_key
from transforms.dicom.uids import DEFAULT_UID_ROOT, remap_uid
from transforms.errors import InvalidResourceError
from transforms.fhir.basic_profile import BASIC_ROWS, CLEAN_ALL_ROWS, DICOM_UID_SYSTEM, compiled
from transforms.fhir.config import CLEAN_ALL, KEEP_ALL, FhirSpec
from transforms.fhir.dates import shift_fhir_date
from transforms.fhir.elements import Step, child_step, is_resource, root_step
from transforms.fhir.ids import hash_id, rewrite_reference
from transforms.fhir.inspection import INFO_TYPES, annotation_findings, context_values, resource_names
from transforms.fhir.leaves import MISSING as _MISSING
from transforms.fhir.leaves import hash_value, mask_value
from transforms.fhir.narrative import blank_markup, drop_comments, escape, text_segments
from transforms.fhir.paths import ACTION_TYPES, DATES, MASKABLE, matches
from transforms.fhir.patients import identifier_value, patient_reference
from transforms.text.detect import ContextValue, Detector, Finding
from transforms.text.transform import (
    CTX,
    TextTransformer,
    date_offset_days,
    parse_text_config,
    unwrap_kms_key,
)

DATA_ABSENT_REASON = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
_EXTENSIONS = ("extension", "modifierExtension")
COUNTERS = (
    "extensions_removed",
    "modifier_extensions_removed",
    "references_unresolved",
    "invalid_dates_removed",
    "patient_key_fallbacks",
)


class RawNumber(str):
    """A JSON number kept as its source text (``1.50`` stays ``1.50``)."""


@dataclass
class Result:
    """One de-identified resource: what the writer and the summary need."""

    resource: dict
    resource_type: str
    source_id: str
    new_id: str
    annotation: dict | None
    counters: Counter
    findings_by_info_type: Counter


@dataclass
class _State:
    patient_key: str
    matcher: Any
    contextual: Any  # the matcher of the contextualDeid values, None without the option
    names: list[tuple[str, ...]]
    details: dict[str, list[dict]] = field(default_factory=dict)
    counters: Counter = field(default_factory=Counter)
    info_types: Counter = field(default_factory=Counter)
    bundle: dict[str, tuple[str, str]] | None = None


def _dar() -> dict:
    return {"extension": [{"url": DATA_ABSENT_REASON, "valueCode": "masked"}]}


class FhirDeidentifier:
    """De-identify FHIR R4 resources with one validated config.

    Parameters
    ----------
    spec : DeidSpec
        The validated DeidentifyConfig (``fhir`` part, ``text``, ``annotation``).
    run_key : bytes
        The run key (``--key_file``): UID regeneration; hash and date-shift keys derive from it.
    patient_key_system : str, optional
        Identifier system whose value keys the date shift (cross-modality, spec 7).
    lowercase_annotation_keys : bool
        Write ``patient.text.div`` (the public documentation's form).
    key_resolver : callable, optional
        Unwraps kmsWrapped keys (default Cloud KMS).
    """

    def __init__(
        self,
        spec: DeidSpec,
        run_key: bytes,
        patient_key_system: str | None = None,
        lowercase_annotation_keys: bool = False,
        key_resolver: Callable | None = None,
    ) -> None:
        self.fhir: FhirSpec = spec.fhir or FhirSpec()
        derived = text_key(run_key)
        unwrap = key_resolver or (lambda pair: unwrap_kms_key(*pair))
        f = self.fhir
        self.hash_key = f.hash_key or (unwrap(f.hash_kms) if f.hash_kms else None) or derived
        self.date_key = f.date_shift_key or (unwrap(f.date_shift_kms) if f.date_shift_kms else None) or derived
        self.uid_key = run_key
        self.text = TextTransformer(
            parse_text_config(spec.text), self.date_key, (lambda rule: unwrap(rule.kms_wrapped)) if key_resolver else None
        )
        self.annotate = spec.annotation is not None
        self.store_quote = bool(spec.annotation and spec.annotation.store_quote)
        self.patient_key_system = patient_key_system
        self.lowercase = lowercase_annotation_keys
        self._user = tuple((r.paths, r.action) for r in f.rules)
        if f.profile == KEEP_ALL:
            self._rows: tuple = ()
        elif f.profile == CLEAN_ALL:
            self._rows = compiled(CLEAN_ALL_ROWS)
        else:
            self._rows = compiled(BASIC_ROWS)
        self._decisions: dict[tuple[Step, ...], tuple[str, bool]] = {}
        self._offsets: dict[tuple[str, bytes], int] = {}

    # -- decisions -------------------------------------------------------------------

    def decide(self, steps: tuple[Step, ...]) -> tuple[str, bool]:
        """Return (action, from the list) for the leaf at ``steps`` (cached per path)."""
        hit = self._decisions.get(steps)
        if hit is not None:
            return hit
        leaf = steps[-1].type
        result = None
        for paths, action in self._user:
            allowed = ACTION_TYPES.get(action)
            if (allowed is None or leaf in allowed) and any(matches(p, steps) for p in paths):
                result = (action, True)
                break
        if result is None:
            for paths, action in self._rows:
                allowed = ACTION_TYPES.get(action)
                if (allowed is None or leaf in allowed) and any(matches(p, steps) for p in paths):
                    result = (action, False)
                    break
        if result is None:
            clean_all = self.fhir.profile == CLEAN_ALL and leaf in (MASKABLE | DATES)
            result = ("cleanTextField" if clean_all else "keepField", False)
        self._decisions[steps] = result
        return result

    def _keeps_extension(self, value: Any, steps: tuple[Step, ...], at: int) -> bool:
        """An extension stays with keepExtensions or when a list entry matches it or inside it."""
        if self.fhir.keep_extensions:
            return True
        if not self._user:
            return False
        for leaf_steps in self._leaf_steps(value, steps):
            for paths, _ in self._user:
                if any(matches(p, leaf_steps, at) for p in paths):
                    return True
        return False

    def _leaf_steps(self, value: Any, steps: tuple[Step, ...]):
        if isinstance(value, list):
            for item in value:
                yield from self._leaf_steps(item, steps)
        elif isinstance(value, dict):
            node = steps[-1].children_node()
            for key, item in value.items():
                step = child_step(*node, key.lstrip("_")) if node else None
                if step is not None:
                    yield from self._leaf_steps(item, steps + (step,))
        else:
            yield steps

    # -- the walk --------------------------------------------------------------------

    def __call__(
        self,
        resource: dict,
        source: str = "",
        patient_value: str | None = None,
        patient_context: tuple[ContextValue, ...] = (),
        bundle: dict[str, tuple[str, str]] | None = None,
        bundle_patients: dict[str, str] | None = None,
        full_url: str | None = None,
    ) -> Result:
        """De-identify one resource.

        Parameters
        ----------
        resource : dict
            The parsed resource (numbers as ``RawNumber``).
        source : str
            The source file, for the annotation's name.
        patient_value : str, optional
            The patient's identifier of ``patient_key_system`` (from the join).
        patient_context : tuple of ContextValue
            The patient's own values, for text inspection (from the join).
        bundle, bundle_patients, full_url
            For a Bundle entry: fullUrl -> (Type, output id), fullUrl -> patient key,
            and this entry's fullUrl.

        Raises
        ------
        InvalidResourceError
            When the resource has no known type or an element R4 does not define.
        """
        rtype = resource.get("resourceType")
        if not isinstance(rtype, str) or not is_resource(rtype):
            raise InvalidResourceError("resourceType is missing or not an R4 resource type")
        source_id = resource.get("id")
        if source_id is not None and not isinstance(source_id, str):
            raise InvalidResourceError(f"{rtype}.id is not a string")
        counters: Counter = Counter()
        pkey = self.patient_key(resource, patient_value, counters, bundle_patients, full_url)
        context = context_values(resource) + tuple(patient_context)
        matcher = Detector.for_context(context)
        names = resource_names(resource)
        ctx = Detector.for_context(context_values(resource, True) + tuple(patient_context)) if self.fhir.contextual else None
        st = _State(pkey, matcher, ctx, names, counters=counters, bundle=bundle)
        root = root_step(rtype)
        out = self._object(resource, (root,), rtype, st)
        if source_id is None and full_url and self._rows:
            out = {"resourceType": rtype, "id": hash_id(full_url, self.hash_key), **{k: v for k, v in out.items() if k != "resourceType"}}
        new_id = str(out.get("id", ""))
        annotation = None
        if self.annotate and st.details:
            key_type = rtype.lower() if self.lowercase else rtype
            details = {}
            for key, findings in st.details.items():
                details[key_type + key[len(rtype):]] = {"findings": findings} if findings else {}
            annotation = {
                "annotationSource": {"cloudHealthcareSource": {"name": f"{source}/fhir/{rtype}/{source_id or full_url or ''}"}},
                "customData": {"outputResource": f"{rtype}/{new_id}"},
                "textAnnotation": {"details": details},
            }
        return Result(out, rtype, source_id or full_url or "", new_id, annotation, st.counters, st.info_types)

    def output_id(self, source_id: str | None, full_url: str | None) -> str | None:
        """The id a resource gets in the output (KEEP_ALL: its own)."""
        if not self._rows:
            return source_id
        if source_id:
            return hash_id(source_id, self.hash_key)
        return hash_id(full_url, self.hash_key) if full_url else None

    def patient_key(
        self,
        resource: dict,
        patient_value: str | None,
        counters: Counter,
        bundle_patients: dict[str, str] | None = None,
        full_url: str | None = None,
    ) -> str:
        """Return the key of the resource's date shift (spec 7)."""
        rtype = str(resource.get("resourceType"))
        own = str(resource.get("id") or full_url or "")
        pid, ref = patient_reference(resource, bundle_patients)
        if rtype == "Patient" and pid is None:
            pid = own
        if pid is None:
            return f"{rtype}/{own}"
        if not self.patient_key_system:
            return pid
        found = None
        if rtype == "Patient":
            found = identifier_value(resource.get("identifier"), self.patient_key_system)
        elif ref is not None:
            found = identifier_value(ref.get("identifier"), self.patient_key_system)
        found = found or patient_value
        if found:
            return found
        counters["patient_key_fallbacks"] += 1
        return pid

    def _object(self, obj: dict, steps: tuple[Step, ...], jpath: str, st: _State) -> dict:
        node = steps[-1].children_node() or ("#primitive", "")
        out: dict[str, Any] = {}
        where = steps[-1].type
        for key, value in obj.items():
            if key == "resourceType" and steps[-1].root:
                out[key] = value
                continue
            if key == "fhir_comments":
                continue
            base = key[1:] if key.startswith("_") else key
            if key.startswith("_") and base in obj:
                continue  # handled with its value
            step = child_step(*node, base)
            if step is None:
                raise InvalidResourceError(f"{jpath}.{key} is not an element of {where} in FHIR R4")
            kpath = f"{jpath}.{key}"
            if key.startswith("_"):
                ext = self._ext_value(value, steps + (step,), kpath, st)
                if ext is not _MISSING:
                    out[key] = ext
                continue
            new = self._element(key, value, step, steps, kpath, st, obj)
            ext_key = "_" + key
            if new is _MISSING:
                if step.minimum >= 1:
                    if step.type in ("boolean", "code", "string", "uri", "id", "dateTime", "date", "instant",
                                     "decimal", "integer", "markdown", "url", "canonical", "oid", "uuid",
                                     "positiveInt", "unsignedInt", "base64Binary", "time", "xhtml"):
                        out[ext_key] = [_dar()] if isinstance(value, list) else _dar()
                        if isinstance(value, list):
                            out[key] = [None]
                    else:
                        out[key] = [_dar()] if isinstance(value, list) else _dar()
                continue
            if isinstance(new, tuple):  # a primitive array with its _x array
                out[key], ext_list = new
                if ext_list is not None:
                    out[ext_key] = ext_list
                continue
            out[key] = new
            if ext_key in obj:
                ext = self._ext_value(obj[ext_key], steps + (step,), f"{jpath}.{ext_key}", st)
                if ext is not _MISSING:
                    out[ext_key] = ext
        if all(k in obj for k in out):
            return {k: out[k] for k in obj if k in out}  # the source's key order
        extra = {k: v for k, v in out.items() if k not in obj}  # data-absent-reason siblings
        return {**{k: out[k] for k in obj if k in out}, **extra}

    def _ext_value(self, value: Any, steps: tuple[Step, ...], jpath: str, st: _State) -> Any:
        """A primitive's ``_x`` object (id and extension), processed like an element."""
        if isinstance(value, list):
            items = [None if v is None else self._ext_value(v, steps, f"{jpath}[{i}]", st) for i, v in enumerate(value)]
            items = [None if v is _MISSING else v for v in items]
            return items if any(v is not None for v in items) else _MISSING
        if not isinstance(value, dict):
            raise InvalidResourceError(f"{jpath} is not a JSON object")
        out = self._object(value, steps, jpath, st)
        return out if out else _MISSING

    def _element(self, key: str, value: Any, step: Step, steps: tuple[Step, ...], jpath: str, st: _State, parent: dict) -> Any:
        here = steps + (step,)
        if key in _EXTENSIONS:
            if not self._keeps_extension(value, here, len(here) - 1):
                n = len(value) if isinstance(value, list) else 1
                st.counters["extensions_removed" if key == "extension" else "modifier_extensions_removed"] += n
                return _MISSING
        if isinstance(value, list):
            ext_list = parent.get("_" + key)
            if step.type not in ("Resource",) and value and not isinstance(value[0], dict) and isinstance(ext_list, list):
                vals, exts = [], []
                for i, item in enumerate(value):
                    new = self._value(item, step, here, f"{jpath}[{i}]", st, parent)
                    if new is _MISSING:
                        continue
                    ext = ext_list[i] if i < len(ext_list) else None
                    if ext is not None:
                        ext = self._ext_value(ext, here, f"{jpath[: jpath.rfind('.') + 1]}_{key}[{i}]", st)
                        ext = None if ext is _MISSING else ext
                    vals.append(new)
                    exts.append(ext)
                if not vals:
                    return _MISSING
                return vals, (exts if any(e is not None for e in exts) else None)
            items = [self._value(item, step, here, f"{jpath}[{i}]", st, parent) for i, item in enumerate(value)]
            items = [v for v in items if v is not _MISSING]
            return items if items else _MISSING
        return self._value(value, step, here, jpath, st, parent)

    def _value(self, value: Any, step: Step, here: tuple[Step, ...], jpath: str, st: _State, parent: dict) -> Any:
        if isinstance(value, dict):
            if step.type == "Resource":
                rtype = value.get("resourceType")
                if not isinstance(rtype, str) or not is_resource(rtype):
                    raise InvalidResourceError(f"{jpath}.resourceType is missing or not an R4 resource type")
                out = self._object(value, here + (root_step(rtype),), jpath, st)
            else:
                out = self._object(value, here, jpath, st)
            return out if out else _MISSING
        if isinstance(value, list):
            raise InvalidResourceError(f"{jpath} is a nested array")
        if value is None:
            return _MISSING
        return self._leaf(value, here, jpath, st, parent)

    # -- leaves ----------------------------------------------------------------------

    def _leaf(self, value: Any, steps: tuple[Step, ...], jpath: str, st: _State, parent: dict) -> Any:
        action, from_user = self.decide(steps)
        leaf = steps[-1]
        if (
            not from_user
            and self._rows
            and leaf.name == "value"
            and len(steps) > 1
            and steps[-2].type == "Identifier"
            and parent.get("system") == DICOM_UID_SYSTEM
        ):
            action = "uidRegen"
        if action == "keepField":
            return value
        if action == "removeField":
            return _MISSING
        if isinstance(value, RawNumber) and action in ("cleanTextField", "transform"):
            return value  # (ours) a number is not text: cleaning leaves it as written
        if not isinstance(value, str) or isinstance(value, RawNumber) and leaf.type != "decimal":
            return _MISSING
        t = leaf.type
        if action == "idHash":
            return hash_id(value, self.hash_key)
        if action == "referenceHash":
            new = rewrite_reference(value, self.hash_key, st.bundle)
            if new is None:
                st.counters["references_unresolved"] += 1
                return _MISSING
            return new
        if action == "uidRegen":
            prefix = "urn:oid:" if value.startswith("urn:oid:") else ""
            uid = value[len(prefix):]
            return prefix + remap_uid(uid, self.uid_key, DEFAULT_UID_ROOT) if uid else _MISSING
        if action == "dateShiftField":
            return self._shift(value, t, st)
        if action == "characterMaskField":
            return mask_value(value, t, self.fhir.masking_character)
        if action == "cryptoHashField":
            return hash_value(value, t, self.hash_key)
        if action == "transform":
            return self._transform(value, t, st)
        return self._clean(value, steps, jpath, st)

    def _offset(self, patient_key: str, key: bytes) -> int:
        cache = self._offsets
        hit = cache.get((patient_key, key))
        if hit is None:
            if len(cache) > 65536:
                cache.clear()
            hit = cache[(patient_key, key)] = date_offset_days(patient_key, key)
        return hit

    def _shift(self, value: str, type_code: str, st: _State, key: bytes | None = None) -> Any:
        try:
            return shift_fhir_date(value, self._offset(st.patient_key, key or self.date_key), type_code)
        except ValueError:
            st.counters["invalid_dates_removed"] += 1
            return _MISSING

    def _transform(self, value: str, type_code: str, st: _State) -> Any:
        """Legacy TRANSFORM: the text default rule on the whole value (spec 3.2)."""
        rule = self.text._default
        if rule is None or rule.kind == "dateShift":
            return self._shift(value, type_code, st) if type_code in DATES else _MISSING
        if rule.kind == "characterMask" and type_code in MASKABLE:
            return mask_value(value, type_code, rule.masking_character)
        if rule.kind == "cryptoHash" and type_code in MASKABLE:
            return hash_value(value, type_code, rule.crypto_key or self.hash_key)
        return _MISSING

    def _clean(self, value: str, steps: tuple[Step, ...], jpath: str, st: _State) -> Any:
        t = steps[-1].type
        if t in DATES:  # wholly a DATE: shifted or removed, never [DATE]; no annotation key
            rule = self.text.rule_for("DATE")
            if rule is None:
                return value
            if rule.kind == "dateShift":  # the text rule's key first, as for a DATE in text
                return self._shift(value, t, st, rule.crypto_key)
            return _MISSING
        if any(s.type == "HumanName" for s in steps[:-1]):
            found = [Finding("PERSON_NAME", 0, len(value), value)]
            transform = found
        else:
            text = blank_markup(value) if t == "xhtml" else value
            found = st.matcher.detect(text, info_types=INFO_TYPES)
            found = [Finding(f.info_type, f.start, f.end, value[f.start : f.end]) for f in found]
            transform = found
            if st.contextual is not None and found:
                spans = st.contextual.context_spans(text, INFO_TYPES)
                transform = [
                    Finding(CTX, f.start, f.end, f.quote) if any(s < f.end and f.start < e for s, e in spans) else f
                    for f in found
                ]
        if self.annotate:
            st.details[jpath] = annotation_findings(value, found, st.names, self.store_quote, st.info_types)
        if t == "xhtml":
            new = self.text.apply(value, text_segments(value, transform), None, st.patient_key, escape=escape)
            return drop_comments(new) or _MISSING
        if not transform:
            return value
        new = self.text.apply(value, transform, None, st.patient_key)
        return new if new else _MISSING

    def context_values(self, resource: dict, removed_only: bool = False) -> tuple[ContextValue, ...]:
        """The resource's own identifying values, as detector context (``inspection.context_values``)."""
        return context_values(resource, removed_only)


__all__ = ["COUNTERS", "DATA_ABSENT_REASON", "FhirDeidentifier", "RawNumber", "Result", "identifier_value", "patient_reference"]
