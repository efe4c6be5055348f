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
from transforms.fhir.basic_profile import BASIC_ROWS, CLEAN_ALL_ROWS, DICOM_UID_SYSTEM, RFC3986_SYSTEM, compiled
from transforms.fhir.config import CLEAN_ALL, KEEP_ALL, FhirSpec
from transforms.fhir.dates import shift_fhir_date
from transforms.fhir._fhir_r4_types import PERSON_REFERENCES
from transforms.fhir.elements import PRIMITIVES, Step, child_step, is_resource, root_step
from transforms.fhir.ids import hash_id, parse_reference, rewrite_reference
from transforms.fhir.inspection import (
    INFO_TYPES,
    NameMatcher,
    annotation_findings,
    context_values,
    may_hold_name,
    name_words,
    resource_names,
    with_others,
)
from transforms.fhir.leaves import MISSING as _MISSING
from transforms.fhir.leaves import hash_value, mask_value
from transforms.fhir.narrative import blank_markup, drop_comments, escape, text_segments
from transforms.fhir.notes import UNREADABLE, decode_note, encode_note, note_hash
from transforms.fhir.paths import ACTION_TYPES, DATES, MASKABLE, matches
from transforms.fhir.primitives import RawNumber, checker, is_element_id
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
    "text_attachments_cleaned",
    "text_attachments_removed",
    "residual_names_replaced",
)
# A Reference to one of these is to a person: its display is a name (issue 18).
PERSON_TYPES = frozenset({"Patient", "Practitioner", "PractitionerRole", "RelatedPerson", "Person"})
# CLEAN_ALL cleans only free text; codes, uris, ids and numbers keep their meaning (issue 18).
CLEAN_TYPES = frozenset({"string", "markdown", "xhtml"})
_NAME_PARTS = frozenset({"family", "given", "prefix", "suffix", "text"})
_PERSON_INFO = frozenset({"PERSON_NAME", "FIRST_NAME", "LAST_NAME"})
# Actions whose results fit the leaf's type by construction (hex ids, shifted dates, 2.25 UIDs).
_VALID_BY_CONSTRUCTION = frozenset({"idHash", "referenceHash", "uidRegen", "dateShiftField"})


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
    patient: NameMatcher | None = None  # the patient's values (the join), for contextualDeid
    contained: dict[str, str] = field(default_factory=dict)  # contained id -> resource type
    patient_ref: dict | None = None  # the Reference that names the resource's patient
    name_words: frozenset | None = None  # first words of the names to look for (computed on need)


def _glued_digits(found: list[Finding], text: str) -> list[Finding]:
    """A name found without the digits glued to it (Synthea's ``Hirthe744`` read as ``Hirthe``)
    takes them: they belong to the name as written."""
    out = []
    for i, f in enumerate(found):
        end = f.end
        if f.info_type in _PERSON_INFO:
            limit = found[i + 1].start if i + 1 < len(found) else len(text)
            while end < limit and text[end].isdigit():
                end += 1
        out.append(f if end == f.end else Finding(f.info_type, f.start, end, text[f.start : end]))
    return out


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
        self._plans: dict[tuple[Step, ...], tuple] = {}
        self._offsets: dict[tuple[str, bytes], int] = {}
        self._patients: dict[tuple[ContextValue, ...], NameMatcher] = {}
        self._last_patient: tuple | None = None
        self._job_names: tuple[tuple[ContextValue, ...], NameMatcher | None] = ((), None)

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
            clean_all = self.fhir.profile == CLEAN_ALL and leaf in (CLEAN_TYPES | DATES)
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
        job_names: tuple[ContextValue, ...] = (),
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
            The patient's values (its own, and the names of every resource of the patient),
            for text inspection (from the join).
        bundle, bundle_patients, full_url
            For a Bundle entry: fullUrl -> (Type, output id), fullUrl -> patient key,
            and this entry's fullUrl.
        job_names : tuple of ContextValue
            The names held by resources of no patient (practitioners): looked for in every
            cleaned text of the job (a side input).

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
        pid, pref = patient_reference(resource, bundle_patients)
        pkey = self.patient_key(resource, patient_value, counters, bundle_patients, full_url, (pid, pref))
        matcher = Detector.for_context(context_values(resource))
        names = resource_names(resource)
        ctx = Detector.for_context(context_values(resource, True)) if self.fhir.contextual else None
        contained = {
            c["id"]: c["resourceType"]
            for c in resource.get("contained") or ()
            if isinstance(c, dict) and isinstance(c.get("id"), str) and isinstance(c.get("resourceType"), str)
        } if isinstance(resource.get("contained"), list) else {}
        st = _State(pkey, matcher, ctx, names, counters=counters, bundle=bundle, contained=contained)
        st.patient_ref = pref
        st.patient = self._patient_matcher(tuple(patient_context))
        others = tuple(m for m in (st.patient, self._job_matcher(tuple(job_names))) if m is not None)
        st.matcher = with_others(matcher, others)
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

    def _patient_matcher(self, context: tuple[ContextValue, ...]) -> NameMatcher | None:
        """The matcher of a patient's values, built once per patient (the join delivers them)."""
        if not context:
            return None
        last = self._last_patient
        if last is not None and last[0] is context:  # the join hands one tuple to all of a patient's units
            return last[1]
        hit = self._patients.get(context)
        if hit is None:
            if len(self._patients) > 256:
                self._patients.clear()
            hit = self._patients[context] = NameMatcher(context)
        self._last_patient = (context, hit)
        return hit

    def _job_matcher(self, names: tuple[ContextValue, ...]) -> NameMatcher | None:
        """The matcher of the job's names (a side input: the same for every resource of a run)."""
        if not names:
            return None
        held, matcher = self._job_names
        if held is not names and held != names:
            matcher = NameMatcher(names, capitalised=True)
            self._job_names = (names, matcher)
        return matcher

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
        found: tuple | None = None,
    ) -> str:
        """Return the key of the resource's date shift (spec 7); ``found``: ``patient_reference``'s answer."""
        rtype = str(resource.get("resourceType"))
        own = str(resource.get("id") or full_url or "")
        pid, ref = found if found is not None else patient_reference(resource, bundle_patients)
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
        absent: set[str] = set()  # keys that only say "masked" (data-absent-reason)
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
                # (issue 22) the key is input text: it is named by its position, never written
                position = list(obj).index(key) + 1
                raise InvalidResourceError(f"{jpath}: key {position} is not an element of {where} in FHIR R4")
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
                    if step.type in PRIMITIVES:
                        out[ext_key] = [_dar()] if isinstance(value, list) else _dar()
                        absent.add(ext_key)
                        if isinstance(value, list):
                            out[key] = [None]
                            absent.add(key)
                    else:
                        out[key] = [_dar()] if isinstance(value, list) else _dar()
                        absent.add(key)
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
        if absent and not steps[-1].root and set(out) <= absent:
            return {}  # nothing but "masked" left: the element itself goes (Location.position)
        if where == "Attachment" and "data" in out and out["data"] is not obj.get("data"):
            self._note_size_hash(out)
        if all(k in obj for k in out):
            return {k: out[k] for k in obj if k in out}  # the source's key order
        extra = {k: v for k, v in out.items() if k not in obj}  # data-absent-reason siblings
        return {**{k: out[k] for k in obj if k in out}, **extra}

    @staticmethod
    def _note_size_hash(out: dict) -> None:
        """A cleaned note's ``size`` and ``hash`` describe the new bytes (kept only where present)."""
        if not isinstance(out["data"], str) or not ("size" in out or "hash" in out):
            return
        size, digest = note_hash(out["data"])
        if "size" in out:
            out["size"] = RawNumber(str(size))
        if "hash" in out:
            out["hash"] = digest

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
            if not step.array:
                raise InvalidResourceError(f"{jpath} is an array; R4 allows one value")
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
        if step.type not in PRIMITIVES:
            raise InvalidResourceError(f"{jpath} is not a JSON object ({step.type})")
        return self._leaf(value, here, jpath, st, parent)

    # -- leaves ----------------------------------------------------------------------

    def _plan(self, steps: tuple[Step, ...]) -> tuple:
        """(action, from the list, type check, built-in rule kind) of a leaf path, computed once."""
        hit = self._plans.get(steps)
        if hit is None:
            action, from_user = self.decide(steps)
            leaf = steps[-1]
            builtin = None
            if not from_user and self._rows:
                if leaf.name == "value" and len(steps) > 1 and steps[-2].type == "Identifier":
                    builtin = "identifier"
                elif is_element_id(steps):
                    builtin = "element id"
                elif leaf.name == "data" and leaf.type == "base64Binary" and steps[-2].type in ("Attachment", "Binary"):
                    builtin = "note"
                elif action == "keepField" and leaf.type in ("string", "markdown"):
                    builtin = "sweep"  # a kept text: the export's names are still looked for
            if len(self._plans) > 65536:
                self._plans.clear()
            hit = self._plans[steps] = (action, from_user, checker(steps), builtin)
        return hit

    def _sweep(self, value: str, st: _State) -> Any:
        """A text the profile keeps (Coding.display, DiagnosticReport.conclusion, ...): a person
        name the export holds (the resource's, its patient's, the job's) is still replaced, as
        DICOM's residual sweep does with an instance's own values (issue 18)."""
        if st.name_words is None:
            st.name_words = name_words(st.matcher)
        if not may_hold_name(st.name_words, value):
            return value
        found = _glued_digits([f for f in st.matcher.context_findings(value) if f.info_type in _PERSON_INFO], value)
        if not found:
            return value
        st.info_types.update(f.info_type for f in found)
        st.counters["residual_names_replaced"] += len(found)
        new = self.text.apply(value, found, None, st.patient_key)
        return new if new else _MISSING

    def _builtin(self, kind: str, action: str, steps: tuple[Step, ...], parent: dict, value: Any) -> str:
        """The profile's rules that depend on a sibling value, not on the path alone."""
        if kind == "identifier":
            system = parent.get("system")
            if system == DICOM_UID_SYSTEM or (
                system == RFC3986_SYSTEM
                and len(steps) == 3
                and steps[0].type == "ImagingStudy"
                and isinstance(value, str)
                and value.startswith("urn:oid:")
            ):
                return "uidRegen"
        elif kind == "element id":
            return "idHash"  # (ours) an element id is a label: hashed like a resource id
        elif kind == "note":
            return "cleanNote"  # a text note is cleaned in every profile that cleans text (issue 18)
        return action

    def _leaf(self, value: Any, steps: tuple[Step, ...], jpath: str, st: _State, parent: dict) -> Any:
        action, _, check, builtin = self._plan(steps)
        t = steps[-1].type
        if builtin is not None and builtin != "sweep":
            action = self._builtin(builtin, action, steps, parent, value)
        if action == "removeField":
            return _MISSING
        bad = check(value)
        if bad is not None:
            if t in DATES and isinstance(value, str) and not isinstance(value, RawNumber):
                st.counters["invalid_dates_removed"] += 1
                return _MISSING
            # (issue 22) never written unchanged: the resource fails, named by path and type
            raise InvalidResourceError(f"{jpath} {bad}")
        if action == "keepField":
            return self._sweep(value, st) if builtin == "sweep" else value
        new = self._act(action, value, steps, jpath, st, parent)
        if new is not _MISSING and new is not value and action not in _VALID_BY_CONSTRUCTION and check(new) is not None:
            return _MISSING  # a transformation that does not fit the type removes the value
        return new

    def _act(self, action: str, value: Any, steps: tuple[Step, ...], jpath: str, st: _State, parent: dict) -> Any:
        leaf = steps[-1]
        if isinstance(value, RawNumber) and action in ("cleanTextField", "transform"):
            return value  # (ours) a number is not text: cleaning leaves it as written
        if not isinstance(value, str) or isinstance(value, RawNumber) and leaf.type != "decimal":
            return _MISSING
        t = leaf.type
        if action == "cleanNote":
            return self._clean_note(value, steps, jpath, st, parent)
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
        return self._clean(value, steps, jpath, st, parent)

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

    def _person_display(self, steps: tuple[Step, ...], parent: dict, st: _State) -> bool:
        """True when a ``Reference.display`` names a person: by its reference, its type or its element."""
        if steps[-1].name != "display" or len(steps) < 2 or steps[-2].type != "Reference":
            return False
        ref = parent.get("reference")
        target = None
        if isinstance(ref, str):
            if st.bundle and ref in st.bundle:
                target = st.bundle[ref][0]
            elif ref.startswith("#"):
                target = st.contained.get(ref[1:])
            elif "?" in ref:  # a conditional reference, Type?identifier=... (Synthea's practitioners)
                head = ref.split("?", 1)[0].rsplit("/", 1)[-1]
                target = head if is_resource(head) else None
            else:
                parsed = parse_reference(ref)
                target = parsed[0] if parsed else None
        kind = parent.get("type")
        if target is None and isinstance(kind, str):
            target = kind.rsplit("/", 1)[-1]
        if target is not None:
            return target in PERSON_TYPES
        if parent is st.patient_ref:
            return True  # the reference that makes this the patient's resource (urn:uuid: outside a Bundle)
        holder = steps[-2]
        owner_paths = PERSON_REFERENCES.get(holder.owner, ())
        return holder.rel in owner_paths

    def _detect(self, value: str, text: str, st: _State) -> tuple[list[Finding], list[Finding]]:
        """(findings, what to transform) in one text: the resource's values and patterns, the
        patient's values and the job's names (one matcher); contextualDeid turns context
        findings into [CTX]."""
        found = _glued_digits(st.matcher.detect(text, info_types=INFO_TYPES), text)
        found = [Finding(f.info_type, f.start, f.end, value[f.start : f.end]) for f in found]
        transform = found
        if st.contextual is not None and found:
            spans = st.contextual.context_spans(text, INFO_TYPES)
            if st.patient is not None:
                spans |= st.patient.spans(text)
            transform = [
                Finding(CTX, f.start, f.end, f.quote) if any(s < f.end and f.start < e for s, e in spans) else f
                for f in found
            ]
        return found, transform

    def _clean(self, value: str, steps: tuple[Step, ...], jpath: str, st: _State, parent: dict) -> Any:
        t = steps[-1].type
        if t in DATES:  # wholly a DATE: shifted or removed, never [DATE]; no annotation key
            rule = self.text.rule_for("DATE")
            if rule is None:
                return value
            if rule.kind == "dateShift":  # the text rule's key first, as for a DATE in text
                return self._shift(value, t, st, rule.crypto_key)
            return _MISSING
        if (t == "string" and steps[-2].type == "HumanName" and steps[-1].name in _NAME_PARTS) or self._person_display(
            steps, parent, st
        ):
            found = [Finding("PERSON_NAME", 0, len(value), value)]  # a name by construction (issue 18)
            transform = found
        else:
            found, transform = self._detect(value, blank_markup(value) if t == "xhtml" else value, st)
        st.info_types.update(f.info_type for f in found)
        if self.annotate:
            st.details[jpath] = annotation_findings(value, found, st.names, self.store_quote)
        if t == "xhtml":
            new = self.text.apply(value, text_segments(value, transform), None, st.patient_key, escape=escape)
            return drop_comments(new) or _MISSING
        if not transform:
            return value
        new = self.text.apply(value, transform, None, st.patient_key)
        return new if new else _MISSING

    def _clean_note(self, value: str, steps: tuple[Step, ...], jpath: str, st: _State, parent: dict) -> Any:
        """A text attachment: decoded, cleaned as free text, re-encoded; a binary follows the profile."""
        note = decode_note(value, parent.get("contentType"))
        if note is None:  # a binary: BASIC removes it (row 12), CLEAN_ALL keeps it
            return _MISSING if self.fhir.profile != CLEAN_ALL else value
        if note is UNREADABLE:
            st.counters["text_attachments_removed"] += 1
            return _MISSING
        text = note.text
        found, transform = self._detect(text, blank_markup(text) if note.markup else text, st)
        st.info_types.update(f.info_type for f in found)
        if self.annotate:
            st.details[jpath] = annotation_findings(text, found, st.names, self.store_quote)
        st.counters["text_attachments_cleaned"] += 1
        if not transform:
            return value
        if note.markup:
            new = drop_comments(self.text.apply(text, text_segments(text, transform), None, st.patient_key, escape=escape))
        else:
            new = self.text.apply(text, transform, None, st.patient_key)
        return encode_note(new, note) if new else _MISSING

    def context_values(self, resource: dict, removed_only: bool = False) -> tuple[ContextValue, ...]:
        """The resource's own identifying values, as detector context (``inspection.context_values``)."""
        return context_values(resource, removed_only)


__all__ = ["COUNTERS", "DATA_ABSENT_REASON", "FhirDeidentifier", "RawNumber", "Result", "identifier_value", "patient_reference"]
