"""FHIR test data with known fake PHI: the documented sample Patient and a planted carebundle cohort.

carebundle (PyPI 0.5.0, Apache-2.0) gives deterministic synthetic US Core R4 Bundles with
names, birth dates and one identifier per patient, and no telecom, address, contact, notes
or extensions; ``build_cohort`` plants those, a second identifier (an MRN), narrative PHI,
non-ASCII names, partial dates, instants, a contained resource and extensions, and returns
the truth: every value that must not survive. Nothing here is real patient data.
"""

from __future__ import annotations

import copy
import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

MRN_SYSTEM = "http://hospital.example/mrn"

SAMPLE_DIV = (
    "<div><p><b>Patient</b></p><p><b>Name</b>: Smith, Darcy</p><p><b>DateOfBirth</b>: 1980-12-05</p>"
    "<p><b>Gender</b>: Female</p></div>"
)


def sample_patient() -> dict:
    """The Patient of the public documentation's example (spec 11; key order ours)."""
    return {
        "resourceType": "Patient",
        "id": "r77433dd-dkeuc-633743nfd-383nfdsjds732",
        "text": {"status": "generated", "div": SAMPLE_DIV},
        "name": [{"use": "official", "family": "Smith", "given": ["Darcy"]}],
        "gender": "female",
        "birthDate": "1980-12-05",
        "address": [
            {
                "use": "home",
                "type": "both",
                "text": "123 Main Street Anycity, Anydistrict, CA 12345",
                "line": ["123 Main Street"],
                "city": "Anycity",
                "district": "Anydistrict",
                "state": "CA",
                "postalCode": "12345",
                "period": {"start": "1990-12-05"},
            }
        ],
    }


_STREETS = ["Oak Street", "Maple Avenue", "Birch Road", "Cedar Lane", "Elm Drive", "Willow Court", "Aspen Way"]
_CITIES = [("Springfield", "IL"), ("Riverton", "WY"), ("Fairview", "OR"), ("Lakewood", "CO"), ("Georgetown", "TX")]
_NON_ASCII = [("Núñez", "Zoë"), ("Øvergård", "Bjørn"), ("Müller", "Jürgen"), ("Château", "Hélène")]
_CONTACTS = [("Quimby", "Harriet"), ("Okonkwo", "Chidi"), ("Vasquez", "Lorena"), ("Lindqvist", "Sven")]


@dataclass
class Cohort:
    """NDJSON text per resource type, and the planted truth."""

    ndjson: dict[str, str]
    patients: list[dict] = field(default_factory=list)  # planted Patient resources (source form)
    needles: list[str] = field(default_factory=list)  # values that may appear in no output line
    mrns: dict[str, str] = field(default_factory=dict)  # source Patient id -> MRN

    def write(self, folder: Path) -> list[Path]:
        """Write one ``<Type>.ndjson`` per type (the bulk $export layout)."""
        folder.mkdir(parents=True, exist_ok=True)
        paths = []
        for rtype, text in sorted(self.ndjson.items()):
            path = folder / f"{rtype}.ndjson"
            path.write_text(text, encoding="utf-8")
            paths.append(path)
        return paths


def _lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def build_cohort(count: int = 20, seed: int = 42) -> Cohort:
    """Return a carebundle cohort with planted PHI (deterministic for a seed)."""
    import carebundle

    rng = random.Random(seed * 7919 + count)
    raw = carebundle.to_ndjson(carebundle.generate_cohort(count=count, seed=seed))
    by_type = {t: _lines(text) for t, text in raw.items()}
    needles: list[str] = []
    mrns: dict[str, str] = {}
    names: dict[str, tuple[str, str]] = {}
    for i, patient in enumerate(by_type["Patient"]):
        old = patient["name"][0]
        old_text = f"{old['given'][0]} {old['family']}"
        if i < len(_NON_ASCII):  # non-ASCII names: offsets are code points
            family, given = _NON_ASCII[i]
            patient["name"][0] = {**old, "family": family, "given": [given]}
        family, given = patient["name"][0]["family"], patient["name"][0]["given"][0]
        names[patient["id"]] = (family, given)
        patient["text"]["div"] = patient["text"]["div"].replace(old_text, f"{given} {family}")
        mrn = f"MRN-{rng.randrange(10**6, 10**7)}"
        mrns[patient["id"]] = mrn
        area, exch, last = rng.choice([217, 307, 541, 303, 512]), rng.randrange(200, 999), rng.randrange(1000, 9999)
        phone = f"({area}) {exch}-{last}"
        email = f"{given.lower()[:3]}.{rng.randrange(100, 999)}@mail.example.org"
        house = rng.randrange(10, 9999)
        street = f"{house} {rng.choice(_STREETS)}"
        city, state = _CITIES[i % len(_CITIES)]
        postal = f"{rng.randrange(10000, 99999)}"
        cfam, cgiv = _CONTACTS[i % len(_CONTACTS)]
        cfam = f"{cfam}{'abcdefghijklmnopqrstuvwxyz'[i % 26]}"
        cphone = f"{area}-{rng.randrange(200, 999)}-{rng.randrange(1000, 9999)}"
        patient["identifier"].append({"use": "usual", "system": MRN_SYSTEM, "value": mrn})
        patient["telecom"] = [
            {"system": "phone", "value": phone, "use": "home"},
            {"system": "email", "value": email},
        ]
        patient["address"] = [
            {
                "use": "home",
                "line": [street, f"Apt {rng.randrange(1, 40)}"],
                "city": city,
                "state": state,
                "postalCode": postal,
                "country": "US",
                "period": {"start": f"{rng.randrange(1995, 2015)}-0{rng.randrange(1, 9)}"},
            }
        ]
        patient["contact"] = [
            {
                "relationship": [{"text": "emergency contact"}],
                "name": {"family": cfam, "given": [cgiv]},
                "telecom": [{"system": "phone", "value": cphone}],
                "gender": "female",
            }
        ]
        patient["extension"] = [
            {"url": "http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex", "valueCode": "F"}
        ]
        patient["_birthDate"] = {
            "extension": [
                {
                    "url": "http://hl7.org/fhir/StructureDefinition/patient-birthTime",
                    "valueDateTime": f"{patient['birthDate']}T07:15:00-05:00",
                }
            ]
        }
        patient["text"]["div"] = patient["text"]["div"].replace(
            "</div>",
            f"<p>MRN {mrn}. Phone {phone}, e-mail {email}. Lives at {street}, {city}, {state} {postal}. "
            f"Emergency contact: {cgiv} {cfam}, {cphone}.</p></div>",
        )
        needles += [family, given, patient["birthDate"], mrn, patient["identifier"][0]["value"], phone, email,
                    street, city, postal, cfam, cphone]  # fmt: skip
    for j, obs in enumerate(by_type["Observation"]):
        pid = obs["subject"]["reference"].split("/", 1)[1]
        family, given = names[pid]
        if j % 9 == 0:
            phone = next(p for p in by_type["Patient"] if p["id"] == pid)["telecom"][0]["value"]
            obs["note"] = [{"text": f"Patient {given} {family} called back from {phone}; results discussed."}]
        if j % 13 == 1:
            obs["issued"] = obs["effectiveDateTime"][:10] + "T10:00:00.000Z"
        if j % 17 == 2:
            obs["modifierExtension"] = [
                {"url": "http://example.org/fhir/StructureDefinition/entered-by", "valueString": f"{given} {family}"}
            ]
    for k, cond in enumerate(by_type.get("Condition", [])):
        if k % 2 == 0 and "onsetDateTime" in cond:
            cond["onsetDateTime"] = cond["onsetDateTime"][:7]  # a partial date
    if by_type.get("DiagnosticReport"):
        report = by_type["DiagnosticReport"][0]
        report["contained"] = [
            {
                "resourceType": "Observation",
                "id": "note1",
                "status": "final",
                "code": {"text": "Comment"},
                "valueString": "Reviewed with the attending; no change.",
            }
        ]
        report["result"] = list(report.get("result", [])) + [{"reference": "#note1"}]
    ndjson = {t: "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in items) for t, items in by_type.items()}
    return Cohort(ndjson, copy.deepcopy(by_type["Patient"]), needles, mrns)


_R4_DATE = {
    "date": re.compile(r"\d{4}(-\d{2}(-\d{2})?)?"),
    "dateTime": re.compile(r"\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}))?)?)?"),
    "instant": re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})"),
}
# The other R4 primitives' regular expressions, as the R4 datatypes page writes them (XML Schema's
# \s is space, tab, CR, LF; base64 with the '/' the published regex forgets). Written here, apart
# from the engine's own checks, so that the tests do not grade the engine with itself.
_XS = r"[ \t\r\n]"
_XNS = r"[^ \t\r\n]"
_R4_OTHER = {
    "code": re.compile(rf"{_XNS}+({_XS}{_XNS}+)*"),
    "id": re.compile(r"[A-Za-z0-9\-\.]{1,64}"),
    "uri": re.compile(rf"{_XNS}*"),
    "url": re.compile(rf"{_XNS}*"),
    "canonical": re.compile(rf"{_XNS}*"),
    "oid": re.compile(r"urn:oid:[0-2](\.(0|[1-9][0-9]*))+"),
    "uuid": re.compile(r"urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"),
    "time": re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?"),
    "base64Binary": re.compile(rf"({_XS}*([0-9a-zA-Z+/=]){{4}}{_XS}*)+"),
}
_INTEGERS = {"integer": (-(2**31), 2**31 - 1), "unsignedInt": (0, 2**31 - 1), "positiveInt": (1, 2**31 - 1)}
_FREE_TEXT = {"string", "markdown", "xhtml"}
_TOKEN = re.compile(r"\[[A-Z_]+\]")


def _type_problem(value, step, path: str) -> str | None:
    """A leaf that does not fit its R4 type (JSON type, regex, required binding); paths only."""
    from transforms.fhir._fhir_r4_types import REQUIRED_BINDINGS, VALUE_SETS

    t = step.type
    if t == "boolean":
        return None if isinstance(value, bool) else f"{path}: not a boolean"
    if t in _INTEGERS:
        lo, hi = _INTEGERS[t]
        ok = isinstance(value, int) and not isinstance(value, bool) and lo <= value <= hi
        return None if ok else f"{path}: not an R4 {t}"
    if t == "decimal":
        return None if isinstance(value, (int, float)) and not isinstance(value, bool) else f"{path}: not a decimal"
    if not isinstance(value, str):
        return f"{path}: not a string ({t})"
    if t in _R4_OTHER and not _R4_OTHER[t].fullmatch(value):
        return f"{path}: not an R4 {t}"
    if t not in _FREE_TEXT and _TOKEN.search(value):
        return f"{path}: an infoType replacement in a {t}"
    if t == "code":
        bound = REQUIRED_BINDINGS.get(step.owner, {}).get(step.rel)
        codes = VALUE_SETS.get(bound) if bound else None
        if codes == "#mimetype":
            if not re.fullmatch(r"[a-z]+/[A-Za-z0-9.+-]+(\s*;\s*[A-Za-z-]+=\S+)*", value):
                return f"{path}: not a MIME type"
        elif isinstance(codes, tuple) and value not in codes:
            return f"{path}: outside its required value set"
    return None


def invariant_problems(resource: dict) -> list[str]:
    """Problems of an output resource: a date not valid R4, an empty element, a missing required
    element, an id outside the id pattern, a narrative that is not XML, a primitive that does not
    fit its R4 type or its required binding, an infoType replacement outside free text (paths
    only, no values)."""
    import xml.dom.minidom

    from transforms.fhir.elements import child_step, node_children, root_step
    from transforms.fhir.ids import ID_PATTERN

    problems: list[str] = []

    def visit(value, steps, path):
        step = steps[-1]
        if isinstance(value, list):
            if not value:
                problems.append(f"{path}: empty array")
            for i, item in enumerate(value):
                visit(item, steps, f"{path}[{i}]")
            return
        if isinstance(value, dict):
            if not value:
                problems.append(f"{path}: empty object")
                return
            if step.type == "Resource":
                steps = steps + (root_step(value["resourceType"]),)
            node = steps[-1].children_node()
            for key, item in value.items():
                if key == "resourceType":
                    continue
                sub = child_step(*node, key.lstrip("_"))
                if sub is None:
                    problems.append(f"{path}.{key}: not an R4 element")
                    continue
                visit(item, steps + (sub,), f"{path}.{key}")
            for name, (types, minimum, _, choice, _) in node_children(*node).items():
                if minimum >= 1 and not any(k.lstrip("_") == name or (choice and k.lstrip("_").startswith(name)) for k in value):
                    problems.append(f"{path}.{name}: required element missing")
            return
        if value is None or value == "":
            problems.append(f"{path}: empty value")
        elif step.type in _R4_DATE and not (isinstance(value, str) and _R4_DATE[step.type].fullmatch(value)):
            problems.append(f"{path}: not an R4 {step.type}")
        elif step.type == "id" and not ID_PATTERN.fullmatch(value):
            problems.append(f"{path}: not an R4 id")
        elif step.type == "xhtml":
            try:
                xml.dom.minidom.parseString(value)
            except Exception:
                problems.append(f"{path}: not XML")
        elif _type_problem(value, step, path):
            problems.append(_type_problem(value, step, path))

    rtype = resource["resourceType"]
    visit(resource, (root_step(rtype),), rtype)
    return problems
