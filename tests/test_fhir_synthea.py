"""fhir-deid end to end on a Synthea-shaped export (issue 18): no name the export holds is left in
any output leaf (notes decoded), notes' dates move with the record, CLEAN_ALL output is valid R4,
findings are counted without annotations, ImagingStudy UIDs map as dicom-deid maps them."""

from __future__ import annotations

import csv
import datetime
import json
from pathlib import Path

import pytest

from pipeline.fhir.run import run
from tests.fhir_factories import invariant_problems
from tests.synthea_like import DATE_IN_TEXT, fixed_names, generate, leaf_strings, name_leaks
from transforms.dicom.uids import DEFAULT_UID_ROOT, decode_key, remap_uid

KEY_TEXT = b"c3ludGhlYS1saWtlIGV4cG9ydCB0ZXN0IGtleSAzMiBi\n"
# Names on no word list of the detector: the structure and the export's own names must find them.
GIVEN = ["Ottoline", "Peregrine", "Leofric", "Isolde", "Tancred", "Ermengarde", "Wystan", "Aurelio Maxim"]
FAMILY = ["Quackenbush", "O'Ruttledge", "van Hagendoorn", "Featherstonehaugh", "Vandersloot", "Pettigrew", "Nyhan-Combre"]


def _outputs(out: Path) -> list[dict]:
    return [json.loads(line) for p in sorted(out.glob("*.ndjson")) for line in p.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module", params=[("default", False), ("CLEAN_ALL", True)], ids=["default-no-digits", "clean_all-digits"])
def synthea_run(request, tmp_path_factory):
    profile, digits = request.param
    tmp = tmp_path_factory.mktemp(f"synthea-{profile}")
    export = generate(3, 4242 if digits else 4343, fixed_names(GIVEN, FAMILY), digits=digits, practitioners=4)
    export.write(tmp / "in")
    key = tmp / "run.key"
    key.write_bytes(KEY_TEXT)
    args = ["--input", str(tmp / "in"), "--output", str(tmp / "out"), "--key_file", str(key), "--id_mapping_output", str(tmp / "ids.csv")]
    if profile != "default":
        cfg = tmp / "config.json"
        cfg.write_text(json.dumps({"fhirFieldConfig": {"profileType": profile}}), encoding="utf-8")
        args += ["--config", str(cfg)]
    assert run(args) == 0
    summary = json.loads((tmp / "out" / "deid_summary.json").read_text())
    with open(tmp / "ids.csv", newline="", encoding="utf-8") as f:
        source = {row["new"]: row["original"] for row in csv.DictReader(f)}
    return {"export": export, "out": tmp / "out", "summary": summary, "profile": profile, "key": key, "source": source}


def test_every_resource_written(synthea_run):
    """A valid export loses nothing: every entry is written (no type check fails a Synthea resource)."""
    s = synthea_run["summary"]
    entries = sum(len(b["entry"]) for b in synthea_run["export"].files.values())
    assert s["failed"] == 0 and s["succeeded"] == s["found"] == entries


def test_no_name_of_the_export_left(synthea_run):
    """No name part any HumanName of the export holds (with or without digits) is in any output leaf."""
    resources = _outputs(synthea_run["out"])
    assert name_leaks(resources, synthea_run["export"].people) == []


def test_notes_cleaned_and_dates_move_with_the_record(synthea_run):
    """No note holds a date it held in the source; each note's first date is its
    DocumentReference.date (both shifted)."""
    export = synthea_run["export"]
    notes = 0
    for r in _outputs(synthea_run["out"]):
        for path, text in leaf_strings(r):
            if path.endswith("#decoded"):
                notes += 1
                found = DATE_IN_TEXT.findall(text)
                originals = export.notes[synthea_run["source"][f"{r['resourceType']}/{r['id']}"]]
                assert len(found) == 2 and not set(found) & set(originals)
                if r["resourceType"] == "DocumentReference":
                    first = found[0]
                    for fmt in ("%Y-%m-%d", "%m/%d/%Y", "%B %d, %Y"):
                        try:
                            day = datetime.datetime.strptime(first, fmt).date()
                            break
                        except ValueError:
                            continue
                    assert day.isoformat() == r["date"][:10]
    visits = sum(len(d) for d in export.note_dates.values()) // 2  # two dates per visit's note
    assert notes == 2 * visits  # one note in each visit's DocumentReference and DiagnosticReport
    assert synthea_run["summary"]["text_attachments_cleaned"] == notes


def test_clean_all_output_is_valid_r4(synthea_run):
    """Every output resource fits the R4 types, bindings and cardinalities the project generates."""
    problems = [p for r in _outputs(synthea_run["out"]) for p in invariant_problems(r)]
    assert problems == []


def test_findings_counted_and_imaging_uids_mapped(synthea_run):
    """findings_by_info_type counts without an annotation block; the study's urn:oid: is the new UID."""
    assert synthea_run["summary"]["findings_by_info_type"]["PERSON_NAME"] > 0
    key = decode_key(synthea_run["key"].read_bytes())
    source = {}
    for bundle in synthea_run["export"].files.values():
        for e in bundle["entry"]:
            if e["resource"]["resourceType"] == "ImagingStudy":
                source[e["resource"]["series"][0]["uid"]] = e["resource"]["identifier"][0]["value"][len("urn:oid:"):]
    studies = [r for r in _outputs(synthea_run["out"]) if r["resourceType"] == "ImagingStudy"]
    assert len(studies) == len(source) == 3
    new = {remap_uid(s, key, DEFAULT_UID_ROOT): remap_uid(u, key, DEFAULT_UID_ROOT) for s, u in source.items()}
    for study in studies:
        assert study["identifier"][0]["value"] == f"urn:oid:{new[study['series'][0]['uid']]}"
