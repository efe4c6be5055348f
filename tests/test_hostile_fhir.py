"""Hostile FHIR input (issue 22, FHIR part): values that do not fit their R4 type, codes outside a
required binding, element ids that are not ids, broken narrative, input text where records could
echo it (JSON keys, resource types, Bundle entry types), and mapping rows a value could forge.

``hostile_cases(seed)`` generates the cases, each planting a person's name (drawn per seed) where no
rule of a profile looks at it. The engine tests check each case in every profile; one pipeline run
(umask 000) checks that no planted name reaches an output, annotation, failure record, summary or
stdout, that every input is counted exactly once, and that the re-identifying files are 0600.
"""

from __future__ import annotations

import base64
import csv
import json
import os
import random
import stat
from dataclasses import dataclass
from pathlib import Path

import pytest

from transforms.deid_config import parse_config
from transforms.errors import InvalidResourceError
from transforms.fhir.elements import is_resource
from transforms.fhir.engine import FhirDeidentifier
from transforms.fhir.ndjson import dumps, parse_resource

KEY = b"hostile-fhir-test-key-0123456789ab"
PROFILES = ("BASIC", "CLEAN_ALL", "KEEP_ALL")
# Given and family names that no word list of the detector needs to know.
_GIVEN = ["Rosamund", "Ottoline", "Peregrine", "Wystan", "Ermengarde", "Tancred", "Isolde", "Leofric"]
_FAMILY = ["Brannigan", "Quackenbush", "Featherstonehaugh", "Ruttledge", "Vandersloot", "Pettigrew"]


@dataclass(frozen=True)
class Case:
    """One hostile line: what goes in, what is planted, and what must come of it."""

    label: str
    line: str  # one NDJSON line (raw: NaN and odd keys are kept as written)
    plant: str  # must appear in no output, record, summary or stdout
    fails: int  # resources of the line that fail (stage ``fields`` unless ``stage`` says otherwise)
    written: int = 0  # resources of the line that are written
    stage: str = "fields"


def _patient(**extra) -> dict:
    return {"resourceType": "Patient", "id": "p1", "gender": "female", "birthDate": "1970-01-01", **extra}


def _obs(**extra) -> dict:
    return {"resourceType": "Observation", "id": "o1", "status": "final", "code": {"text": "weight"},
            "subject": {"reference": "Patient/p1"}, **extra}  # fmt: skip


def hostile_cases(seed: int) -> list[Case]:
    """The cases of one seed: the planted names change with the seed, the shapes do not."""
    rng = random.Random(seed)

    def name() -> str:
        return f"{rng.choice(_GIVEN)} {rng.choice(_FAMILY)}{rng.randrange(10, 99)}"

    def token() -> str:
        return f"{rng.choice(_FAMILY)}{rng.randrange(100, 999)}"

    out: list[Case] = []

    def add(label: str, resource: dict | str, plant: str, fails: int = 1, written: int = 0, stage: str = "fields") -> None:
        line = resource if isinstance(resource, str) else json.dumps(resource)
        out.append(Case(label, line, plant, fails, written, stage))

    n = name()
    add("string_in_boolean", _patient(active=n), n)
    n = name()
    add("string_in_integer", _patient(multipleBirthInteger=n), n)
    n = name()
    add("string_in_decimal", _obs(valueQuantity={"value": n, "unit": "kg"}), n)
    t = token()
    add("nan_in_decimal", json.dumps(_obs(valueQuantity={"unit": t})).replace(f'"unit": "{t}"', f'"unit": "{t}", "value": NaN'), t)
    n = name()
    add("gender_outside_value_set", _patient(gender=n), n)
    t = token()
    add("gender_single_token", _patient(gender=t), t)
    n = name()
    add("contact_gender", _patient(contact=[{"gender": n}]), n)
    n = name()
    note = base64.b64encode(b"Seen today.").decode()
    add("content_type_not_mime", {"resourceType": "DocumentReference", "id": "d1", "status": "current",
        "subject": {"reference": "Patient/p1"}, "content": [{"attachment": {"contentType": n, "data": note}}]}, n)  # fmt: skip
    t = token()
    add("content_type_token", _patient(photo=[{"contentType": t}]), t)
    n = name()
    add("element_id_not_an_id", _patient(_birthDate={"id": n}), n)
    n = name()
    add("unclosed_div", _patient(text={"status": "generated", "div": f"<div><p>{n}</p>"}), n)
    n = name()
    add("div_with_doctype", _patient(text={"status": "generated", "div": f'<!DOCTYPE div [<!ENTITY x "{n}">]><div>&x;</div>'}), n)
    n = name()
    add("div_not_a_div", _patient(text={"status": "generated", "div": f"<p>{n}</p>"}), n)
    t = token()
    add("unknown_key", _patient(**{t: "x"}), t)
    t = token()
    add("unknown_key_inside", _patient(name=[{"family": "X", t: 1}]), t)
    t = token()
    add("unknown_key_in_primitive_extension", _patient(_birthDate={t: "x"}), t)
    t = token()
    add("resource_type_unknown", {"resourceType": t, "id": "x"}, t)
    add("resource_type_pipe", {"resourceType": "Observation|parse", "id": "x"}, "Observation|parse")
    n = name()
    add("primitive_for_object", _patient(maritalStatus=n), n)
    n = name()
    add("object_for_primitive", _patient(gender={"value": n}), n)
    n = name()
    add("array_for_one_value", _patient(gender=[n]), n)
    t = str(rng.randrange(10**8, 10**9))
    add("number_in_string", _obs(valueString=int(t)), t)
    t = token()
    add("status_outside_value_set", _obs(status=t), t)
    t = token()
    add("id_with_newline", _patient(id=f"p1\nPatient/{t},Patient/forged"), t)
    t = token()
    add("language_not_bcp47", _patient(language=t), t)
    n = name()
    add("uri_with_space", _patient(identifier=[{"system": n, "value": "1"}]), n)
    n = name()
    add("time_not_a_time", _obs(valueTime=n), n)
    n = name()
    add("contained_unclosed_div", _obs(contained=[{"resourceType": "Patient", "id": "c",
        "text": {"status": "generated", "div": f"<div>{n}"}}]), n)  # fmt: skip
    t = token()
    add("contained_bad_type", _obs(contained=[{"resourceType": t, "id": "c"}]), t)
    # Bundles: a bad entry type is never copied into another entry's reference; a fullUrl that is
    # not a uri fails its entry before it can reach the id mapping.
    t = token()
    add("bundle_entry_bad_type", {"resourceType": "Bundle", "type": "transaction", "entry": [
        {"fullUrl": "urn:uuid:aaaa", "resource": {"resourceType": t}},
        {"fullUrl": "urn:uuid:bbbb", "resource": {**_obs(), "id": "o2", "subject": {"reference": "urn:uuid:aaaa"}}},
    ]}, t, fails=1, written=1)  # fmt: skip
    t = token()
    add("bundle_full_url_newline", {"resourceType": "Bundle", "type": "collection", "entry": [
        {"fullUrl": f"urn:uuid:cccc\nPatient/{t},Patient/forged", "resource": {"resourceType": "Patient", "birthDate": "1980"}},
    ]}, t, fails=1, stage="parse")  # fmt: skip
    # Written, with the planted value gone: an element id that is a valid id is hashed.
    t = token()
    add("element_id_token", _patient(id="p2", _birthDate={"id": t}, contact=[{"id": t, "gender": "male"}]), t, fails=0, written=1)
    return out


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("case", hostile_cases(5150), ids=lambda c: c.label)
def test_engine_never_writes_a_planted_value(case, profile):
    """Every profile fails the resource (message without the plant) or writes it without the plant."""
    engine = FhirDeidentifier(parse_config({"fhirFieldConfig": {"profileType": profile}}), KEY)
    obj = parse_resource(case.line)
    if obj.get("resourceType") == "Bundle":
        return  # units of a Bundle: the pipeline run below
    if case.fails:
        with pytest.raises(InvalidResourceError) as info:
            engine(obj)
        assert case.plant not in str(info.value)
        return
    out = dumps(engine(obj).resource)
    if profile != "KEEP_ALL":  # KEEP_ALL keeps a valid element id as it is
        assert case.plant not in out


def test_failure_messages_name_r4_paths():
    """Messages name the R4 path and type, a bad key by its position."""
    engine = FhirDeidentifier(parse_config({}), KEY)
    cases = {
        '{"resourceType":"Patient","id":"p","active":"Rosamund"}': "Patient.active is not a JSON boolean",
        '{"resourceType":"Patient","id":"p","gender":"Rosamund"}': "Patient.gender is not in the value set of its required binding",
        '{"resourceType":"Patient","id":"p","_birthDate":{"id":"Ros amund"}}': "Patient._birthDate.id is not an R4 id (element id)",
        '{"resourceType":"Patient","id":"p","birthDate":"1970","_birthDate":{"Rosamund":1}}': "Patient._birthDate: key 1 is not an element of date",
        '{"resourceType":"Patient","id":"p","photo":[{"contentType":"Rosamund"}]}': "Patient.photo[0].contentType is not a MIME type",
        '{"resourceType":"Patient","id":"p","text":{"status":"generated","div":"<div>Rosamund"}}': "Patient.text.div is not well-formed XHTML",
    }
    for line, expected in cases.items():
        with pytest.raises(InvalidResourceError) as info:
            engine(parse_resource(line))
        assert str(info.value).startswith(expected), str(info.value)
        assert "Rosamund" not in str(info.value)


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    """One fhir-deid run over every case (umask 000), with annotations and the id mapping."""
    from pipeline.fhir.run import run

    tmp = tmp_path_factory.mktemp("hostile")
    cases = hostile_cases(8128)
    inp = tmp / "in"
    inp.mkdir()
    for i, case in enumerate(cases):
        (inp / f"case{i:02d}.ndjson").write_text(case.line + "\n", encoding="utf-8")
    ok = [_patient(id="p-ok", name=[{"family": "Okafor", "given": ["Ada"]}]), {"resourceType": "Patient", "id": "abc", "birthDate": "1990"}]
    (inp / "ok.ndjson").write_text("".join(json.dumps(r) + "\n" for r in ok), encoding="utf-8")
    # An entry without id: its fullUrl is the mapping's "original"; a comma and a quote must stay one field.
    (inp / "commas.json").write_text(json.dumps({"resourceType": "Bundle", "type": "collection", "entry": [
        {"fullUrl": 'urn:x:a,"b",c', "resource": {"resourceType": "Patient", "birthDate": "1985"}}]}), encoding="utf-8")  # fmt: skip
    key = tmp / "run.key"
    key.write_bytes(KEY)
    cfg = tmp / "config.json"
    cfg.write_text(json.dumps({"annotation": {"storeQuote": True}}), encoding="utf-8")
    out, ann, ids = tmp / "out", tmp / "ann", tmp / "ids.csv"
    old = os.umask(0)
    try:
        code = run(["--input", str(inp), "--output", str(out), "--key_file", str(key), "--config", str(cfg),
                    "--annotations_output", str(ann), "--id_mapping_output", str(ids)])  # fmt: skip
    finally:
        os.umask(old)
    return {"code": code, "cases": cases, "out": out, "ann": ann, "ids": ids}


def test_run_counts_every_input_once(hostile_run):
    """found = succeeded + failed; each case fails or is written as it should; types from R4 only."""
    assert hostile_run["code"] == 0
    summary = json.loads((hostile_run["out"] / "deid_summary.json").read_text())
    cases = hostile_run["cases"]
    expected_failed = sum(c.fails for c in cases)
    expected_written = sum(c.written for c in cases) + 3  # ok.ndjson (2) and commas.json (1)
    assert summary["failed"] == expected_failed
    assert summary["succeeded"] == expected_written
    assert summary["found"] == expected_failed + expected_written
    assert summary["failed_by_stage"] == {
        "fields": sum(c.fails for c in cases if c.stage == "fields"),
        "parse": sum(c.fails for c in cases if c.stage == "parse"),
    }
    assert all(t == "unknown" or is_resource(t) for t in summary["by_resource_type"])
    assert summary["by_resource_type"]["unknown"]["failed"] == 3  # two bad types and a bad Bundle entry type
    assert summary["references_unresolved"] == 1  # the entry that pointed at the bad-type entry
    records = [json.loads(x) for x in (hostile_run["out"] / "deid_failures.jsonl").read_text().splitlines()]
    assert len(records) == expected_failed
    assert {r["stage"] for r in records} == {"fields", "parse"}
    assert all(r["resource_type"] == "unknown" or is_resource(r["resource_type"]) for r in records)


def test_no_planted_value_anywhere(hostile_run, capfd):
    """No planted value in any output, annotation, failure record, summary or stdout."""
    texts = [p.read_text(encoding="utf-8") for folder in (hostile_run["out"], hostile_run["ann"]) for p in folder.rglob("*") if p.is_file()]
    texts.append(hostile_run["ids"].read_text(encoding="utf-8"))
    captured = capfd.readouterr()
    texts += [captured.out, captured.err]
    leaks = [c.label for c in hostile_run["cases"] for t in texts if c.plant in t]
    assert leaks == []


def test_reidentifying_files_owner_only_and_rows_not_forged(hostile_run):
    """The id mapping and the annotation files are 0600 under umask 000; each CSV record is one row."""
    files = [hostile_run["ids"], *hostile_run["ann"].glob("*.jsonl")]
    assert len(files) >= 2
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
    with open(hostile_run["ids"], newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    summary = json.loads((hostile_run["out"] / "deid_summary.json").read_text())
    assert rows[0] == ["original", "new"] and len(rows) == 1 + summary["succeeded"]
    assert all(len(r) == 2 for r in rows)
    assert ['Patient/urn:x:a,"b",c'] == [r[0] for r in rows if "urn:x" in r[0]]
    outputs = {f"{json.loads(x)['resourceType']}/{json.loads(x)['id']}" for p in Path(hostile_run["out"]).glob("*.ndjson") for x in p.read_text().splitlines()}
    assert {r[1] for r in rows[1:]} == outputs
