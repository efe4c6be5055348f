"""End-to-end runs of fhir-deid (DirectRunner) on a planted carebundle cohort, and a mixed DICOM+FHIR run."""

from __future__ import annotations

import csv
import datetime
import gzip
import json
import re
from pathlib import Path

import pydicom
import pytest

from pipeline.fhir.run import run
from tests.fhir_factories import MRN_SYSTEM, build_cohort, invariant_problems
from tests.test_pipeline import gcs  # noqa: F401  (the storage emulator fixture)
from transforms.dicom.cleantext import text_key
from transforms.dicom.uids import decode_key
from transforms.fhir.engine import patient_reference
from transforms.fhir.ids import ID_PATTERN
from transforms.text.transform import date_offset_days

pytest.importorskip("carebundle")

KEY_TEXT = b"V0hhdCBhIHRlc3Qga2V5IGZvciBVSURzIC0tIDMyIGJ5dGVz\n"
SEED, PATIENTS = 2027, 22  # not the seed the engine was developed on
_DAY = re.compile(r"^(\d{4}-\d{2}-\d{2})")


@pytest.fixture(scope="module")
def cohort_run(tmp_path_factory):
    """One run over the cohort (+ a gz file, a Bundle, bad lines, a skipped name); reused by the tests."""
    tmp = tmp_path_factory.mktemp("fhir")
    cohort = build_cohort(PATIENTS, SEED)
    inp = tmp / "in"
    cohort.write(inp)
    obs = inp / "Observation.ndjson"
    with gzip.open(inp / "Observation.ndjson.gz", "wt", encoding="utf-8") as f:
        f.write(obs.read_text(encoding="utf-8"))
    obs.unlink()
    bundle = {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [
            {"fullUrl": "urn:uuid:bundle-patient", "resource": {"resourceType": "Patient", "name": [{"family": "Bundleton", "given": ["Orla"]}], "birthDate": "1955-06-07"}},
            {
                "fullUrl": "urn:uuid:bundle-obs",
                "resource": {"resourceType": "Observation", "status": "final", "code": {"text": "weight"}, "subject": {"reference": "urn:uuid:bundle-patient"}, "effectiveDateTime": "2021-02-03"},
            },
        ],
    }
    (inp / "extra").mkdir()
    (inp / "extra" / "bundle.json").write_text(json.dumps(bundle), encoding="utf-8")
    (inp / "extra" / "bad.ndjson").write_bytes(
        b'\xef\xbb\xbf{"resourceType": "Patient", "id": "ok1", "birthDate": "1990-01-01"}\r\n'
        b"\r\n"
        b"{not json\n"
        b'{"resourceType": "Martian", "id": "m"}\n'
        b'{"resourceType": "Bundle", "type": "document", "entry": []}\n'
        b'{"resourceType": "Patient", "id": "bad", "favouriteColour": "Orla"}\n'
    )
    (inp / "extra" / "README.txt").write_text("not FHIR", encoding="utf-8")
    key = tmp / "run.key"
    key.write_bytes(KEY_TEXT)
    cfg = tmp / "config.json"
    cfg.write_text(json.dumps({"annotation": {"storeQuote": True}}), encoding="utf-8")
    out, ann, ids = tmp / "out", tmp / "ann", tmp / "ids.csv"
    args = ["--input", str(inp), "--output", str(out), "--key_file", str(key), "--config", str(cfg),
            "--annotations_output", str(ann), "--id_mapping_output", str(ids)]  # fmt: skip
    assert run(args) == 0
    out2 = tmp / "out2"
    assert run([*args[:2], "--output", str(out2), *args[4:8], "--annotations_output", str(tmp / "ann2"), "--id_mapping_output", str(tmp / "ids2.csv")]) == 0
    return {"tmp": tmp, "cohort": cohort, "inp": inp, "out": out, "out2": out2, "ann": ann, "ids": ids, "key": key}


def _output_resources(out: Path) -> list[dict]:
    return [json.loads(line) for p in sorted(out.glob("*.ndjson")) for line in p.read_text(encoding="utf-8").splitlines()]


def _source_resources(inp: Path) -> dict[tuple[str, str], dict]:
    found = {}
    for p in inp.rglob("*.ndjson*"):
        opener = gzip.open if p.suffix == ".gz" else open
        with opener(p, "rt", encoding="utf-8-sig") as f:
            for line in f:
                if line.strip():
                    try:
                        r = json.loads(line)
                    except json.JSONDecodeError:
                        continue
                    found[(r.get("resourceType"), r.get("id"))] = r
    return found


def test_no_planted_value_in_any_output_line(cohort_run):
    """No name part, birth date, identifier, phone, e-mail, address line, city or postal code survives."""
    lines = [line for p in cohort_run["out"].glob("*.ndjson") for line in p.read_text(encoding="utf-8").splitlines()]
    needles = sorted(set(cohort_run["cohort"].needles) | {"Bundleton", "Orla", "1955-06-07"})
    assert len(needles) > 200 and len(lines) > 900
    leaks = []
    for needle in needles:
        pattern = re.compile(r"(?<![0-9A-Za-z])" + re.escape(needle) + r"(?![0-9A-Za-z])", re.I)
        leaks += [needle for line in lines if pattern.search(line)]
    assert leaks == []


def test_output_invariants(cohort_run):
    """R4 dates, no empty element, required elements present, valid ids, narratives parse as XML."""
    resources = _output_resources(cohort_run["out"])
    problems = [p for r in resources for p in invariant_problems(r)]
    assert problems == []


def test_ids_valid_and_references_resolve(cohort_run):
    """Every output id is a valid FHIR id and every reference resolves inside the output."""
    resources = _output_resources(cohort_run["out"])
    ids = {f"{r['resourceType']}/{r['id']}" for r in resources}
    assert len(ids) == len(resources)
    refs = []

    def walk(value, contained):
        if isinstance(value, dict):
            if isinstance(value.get("reference"), str):
                refs.append((value["reference"], contained))
            for k, v in value.items():
                walk(v, contained)
        elif isinstance(value, list):
            for v in value:
                walk(v, contained)

    for r in resources:
        assert ID_PATTERN.fullmatch(r["id"])
        local = {c["id"] for c in r.get("contained", [])}
        for c in r.get("contained", []):
            assert ID_PATTERN.fullmatch(c["id"])
        walk(r, local)
    assert len(refs) > 1000
    for ref, local in refs:
        assert (ref[1:] in local) if ref.startswith("#") else (ref in ids), ref


def test_each_patient_one_nonzero_offset(cohort_run):
    """Every patient's dates (all resources of its compartment) move by one non-zero number of days."""
    source = _source_resources(cohort_run["inp"])
    mapping = {}
    with open(cohort_run["ids"], newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            mapping[row["new"]] = row["original"]
    offsets: dict[str, set[int]] = {}

    def deltas(src, dst, found):
        if isinstance(src, dict) and isinstance(dst, dict):
            for k in src.keys() & dst.keys():
                deltas(src[k], dst[k], found)
        elif isinstance(src, list) and isinstance(dst, list) and len(src) == len(dst):
            for a, b in zip(src, dst):
                deltas(a, b, found)
        elif isinstance(src, str) and isinstance(dst, str) and _DAY.match(src) and _DAY.match(dst):
            a = datetime.date.fromisoformat(_DAY.match(src).group(1))
            b = datetime.date.fromisoformat(_DAY.match(dst).group(1))
            found.append((b - a).days)

    for r in _output_resources(cohort_run["out"]):
        original = mapping[f"{r['resourceType']}/{r['id']}"]
        rtype, _, rid = original.partition("/")
        src = source.get((rtype, rid))
        if src is None:
            continue  # the Bundle entries (checked in the engine tests)
        pid, _ = patient_reference(src)
        if pid is None:
            continue
        found: list[int] = []
        deltas(src, r, found)
        offsets.setdefault(pid, set()).update(found)
    cohort_patients = {p["id"] for p in cohort_run["cohort"].patients}
    assert cohort_patients <= set(offsets)
    for pid in cohort_patients:
        assert len(offsets[pid]) == 1 and 0 not in offsets[pid], pid


def test_annotation_quotes_equal_source_text(cohort_run):
    """Each annotation's quote is the source text at [start, end) of its key's field."""
    source = _source_resources(cohort_run["inp"])
    files = sorted(cohort_run["ann"].glob("annotations-*.jsonl"))
    assert files
    checked = 0
    for p in files:
        for line in p.read_text(encoding="utf-8").splitlines():
            ann = json.loads(line)
            name = ann["annotationSource"]["cloudHealthcareSource"]["name"]
            rtype, rid = name.rsplit("/", 2)[-2:]
            src = source.get((rtype, rid))
            if src is None:
                continue
            for key, detail in ann["textAnnotation"]["details"].items():
                value = src
                for part in re.findall(r"\.(\w+)|\[(\d+)\]", key[len(rtype):]):
                    value = value[part[0]] if part[0] else value[int(part[1])]
                for f in detail.get("findings", []):
                    assert value[int(f["start"]) : int(f["end"])] == f["quote"]
                    checked += 1
    assert checked > 300


def test_summary_reconciles_and_failures_name_lines(cohort_run):
    """found = filtered_out + succeeded + failed per type; each bad line is one record, no value."""
    summary = json.loads((cohort_run["out"] / "deid_summary.json").read_text())
    assert summary["found"] == summary["filtered_out"] + summary["succeeded"] + summary["failed"]
    for t, c in summary["by_resource_type"].items():
        assert c["found"] == c["filtered_out"] + c["succeeded"] + c["failed"], t
    lines = sum(v.count("\n") for v in cohort_run["cohort"].ndjson.values())
    assert summary["succeeded"] == lines + 2 + 1  # the Bundle's two entries, the good bad.ndjson line
    assert summary["failed"] == 4 and summary["files_skipped"] == 1
    assert summary["extensions_removed"] >= PATIENTS and summary["modifier_extensions_removed"] > 0
    failures = [json.loads(x) for x in (cohort_run["out"] / "deid_failures.jsonl").read_text().splitlines()]
    assert sorted((f["line"], f["stage"], f["error"]) for f in failures) == [
        (3, "parse", "InvalidResourceError"),
        (4, "fields", "InvalidResourceError"),
        (5, "parse", "UnsupportedBundleError"),
        (6, "fields", "InvalidResourceError"),
    ]
    assert "Orla" not in json.dumps(failures) and "bad" not in [f.get("id") for f in failures]
    manifest = json.loads((cohort_run["out"] / "manifest.json").read_text())
    assert sorted(Path(o["url"]).name for o in manifest["output"]) == sorted(p.name for p in cohort_run["out"].glob("*.ndjson"))
    assert summary["annotations"] == sum(len(p.read_text().splitlines()) for p in cohort_run["ann"].glob("*.jsonl"))


def test_rerun_writes_the_same_bytes(cohort_run):
    """Same inputs and key: every output file is byte-identical."""
    names = sorted(p.name for p in cohort_run["out"].iterdir() if p.name != "deid_summary.json" and p.suffix != ".jsonl")
    for name in names:
        if name == "manifest.json":
            continue  # its urls name the folder
        assert (cohort_run["out"] / name).read_bytes() == (cohort_run["out2"] / name).read_bytes(), name


def test_stale_output_and_bad_configs_exit_2(cohort_run, tmp_path, capsys):
    """A folder holding shards, fhir+fhirFieldConfig, and bad paths stop the job before it starts."""
    inp, key = cohort_run["inp"], cohort_run["key"]
    assert run(["--input", str(inp), "--output", str(cohort_run["out"]), "--key_file", str(key)]) == 2
    assert "already holds" in capsys.readouterr().err
    cfg = tmp_path / "c.json"
    cfg.write_text(json.dumps({"fhir": {}, "fhirFieldConfig": {}}))
    assert run(["--input", str(inp), "--output", str(tmp_path / "o"), "--config", str(cfg)]) == 2
    assert "config.fhir and config.fhirFieldConfig" in capsys.readouterr().err
    cfg.write_text(json.dumps({"fhirFieldConfig": {"fieldMetadataList": [
        {"paths": ["Patient.birthDate"], "cryptoHashField": {}}, {"paths": ["Patient.adress"], "removeField": {}}]}}))
    assert run(["--input", str(inp), "--output", str(tmp_path / "o"), "--config", str(cfg)]) == 2
    err = capsys.readouterr().err
    assert "fieldMetadataList[0].paths[0]" in err and "fieldMetadataList[1].paths[0]" in err
    assert run(["--input", str(tmp_path / "nothing-*.ndjson"), "--output", str(tmp_path / "o")]) == 2
    cfg.write_text(json.dumps({"annotation": {"storeQuote": True}}))
    o = tmp_path / "o"
    assert run(["--input", str(inp), "--output", str(o), "--config", str(cfg), "--annotations_output", str(o / "ann")]) == 2
    assert "--annotations_output may not be --output or lie inside it" in capsys.readouterr().err
    assert run(["--input", str(inp), "--output", str(o), "--annotations_output", str(tmp_path / "ann")]) == 2
    assert "needs an 'annotation' object" in capsys.readouterr().err
    assert run(["--input", str(inp), "--output", str(tmp_path / "o"), "--uid_key_file", str(key)]) == 2
    assert "dicom-deid only" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_mixed_dicom_and_fhir_shift_alike(tmp_path):
    """PatientID = MRN: with --patient_key_system the FHIR and DICOM dates move by the same days."""
    from pipeline.dicom.run import run as dicom_run
    from tests.factories import make_dataset, to_bytes

    cohort = build_cohort(3, SEED + 1)
    fin = tmp_path / "fhir"
    cohort.write(fin)
    key = tmp_path / "run.key"
    key.write_bytes(KEY_TEXT)
    din = tmp_path / "dicom"
    din.mkdir()
    for i, patient in enumerate(cohort.patients):
        ds = make_dataset(index=0, study=i, PatientID=cohort.mrns[patient["id"]])
        (din / f"p{i}.dcm").write_bytes(to_bytes(ds))
    dcfg = tmp_path / "dicom.json"
    dcfg.write_text(json.dumps({"dicomTagConfig": {"actions": [{"queries": ["StudyDate"], "cleanTextTag": {}}]}}))
    assert dicom_run(["--input", str(din), "--output", str(tmp_path / "dout"), "--uid_key_file", str(key), "--config", str(dcfg)]) == 0
    assert run(["--input", str(fin), "--output", str(tmp_path / "fout"), "--key_file", str(key), "--patient_key_system", MRN_SYSTEM]) == 0
    text = text_key(decode_key(KEY_TEXT))
    dicom_shift = {}
    for p in (tmp_path / "dout").rglob("*.dcm"):
        ds = pydicom.dcmread(p)
        shift = (datetime.datetime.strptime(ds.StudyDate, "%Y%m%d").date() - datetime.date(2019, 3, 14)).days
        dicom_shift[shift] = True
    out = _output_resources(tmp_path / "fout")
    births = {r["birthDate"] for r in out if r["resourceType"] == "Patient"}
    for patient in cohort.patients:
        d = date_offset_days(cohort.mrns[patient["id"]], text)
        shifted = (datetime.date.fromisoformat(patient["birthDate"]) + datetime.timedelta(days=d)).isoformat()
        assert shifted in births
        assert d in dicom_shift
    assert len(dicom_shift) == len(cohort.patients)
    summary = json.loads((tmp_path / "fout" / "deid_summary.json").read_text())
    assert summary["patient_key_fallbacks"] == 0


def test_gcs_ndjson_gz_input_and_output(gcs, tmp_path):
    """gs:// .ndjson.gz inputs, key file and outputs (storage emulator), end to end."""
    import os
    import subprocess
    import sys

    bucket, env = gcs
    cohort = build_cohort(2, SEED + 2)
    for rtype, text in cohort.ndjson.items():
        bucket.blob(f"export/{rtype}.ndjson.gz").upload_from_string(gzip.compress(text.encode("utf-8")))
    bucket.blob("keys/run.key").upload_from_string(KEY_TEXT)
    root = Path(__file__).resolve().parents[1]
    cmd = [sys.executable, "-m", "pipeline.fhir.run", "--input", "gs://deid-test/export/", "--output", "gs://deid-test/out",
           "--key_file", "gs://deid-test/keys/run.key", "--max_failure_fraction", "0"]  # fmt: skip
    proc = subprocess.run(cmd, cwd=root, env={**os.environ, **env, "PYTHONPATH": str(root)}, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    names = sorted(b.name for b in bucket.list_blobs(prefix="out/"))
    assert "out/manifest.json" in names and "out/Patient-00000-of-00001.ndjson" in names
    summary = json.loads(bucket.blob("out/deid_summary.json").download_as_bytes())
    lines = sum(t.count("\n") for t in cohort.ndjson.values())
    assert (summary["found"], summary["succeeded"], summary["failed"]) == (lines, lines, 0)
    text = bucket.blob("out/Patient-00000-of-00001.ndjson").download_as_bytes().decode("utf-8")
    assert all(n not in text for n in cohort.needles)


def test_failures_over_the_fraction_exit_3(tmp_path):
    """--max_failure_fraction: more failed than allowed gives exit status 3 (the rest is still written)."""
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "x.ndjson").write_text('{"resourceType": "Patient", "id": "a"}\n{broken\n', encoding="utf-8")
    out = tmp_path / "out"
    assert run(["--input", str(inp), "--output", str(out), "--max_failure_fraction", "0.25"]) == 3
    assert (out / "Patient-00000-of-00001.ndjson").read_text().count("\n") == 1


def test_request_body_resource_filter(tmp_path):
    """A request body's resourceFilter limits the output; the rest counts as filtered out."""
    inp = tmp_path / "in"
    inp.mkdir()
    lines = [{"resourceType": "Patient", "id": f"p{i}", "birthDate": "1970-01-01"} for i in range(3)]
    (inp / "Patient.ndjson").write_text("".join(json.dumps(r) + "\n" for r in lines), encoding="utf-8")
    cfg = tmp_path / "request.json"
    cfg.write_text(json.dumps({"config": {}, "resourceFilter": {"resources": {"resources": ["Patient/p1"]}}, "skipModifiedResources": False}))
    out = tmp_path / "out"
    assert run(["--input", str(inp), "--output", str(out), "--config", str(cfg)]) == 0
    summary = json.loads((out / "deid_summary.json").read_text())
    assert (summary["found"], summary["succeeded"], summary["filtered_out"]) == (3, 1, 2)
    assert summary["by_resource_type"]["Patient"] == {"found": 3, "filtered_out": 2, "succeeded": 1, "failed": 0}


def test_contextual_deid_uses_the_patients_values(tmp_path):
    """contextualDeid: an Observation note naming its Patient gets [CTX] through the Patient join."""
    cohort = build_cohort(3, SEED + 3)
    cohort.write(tmp_path / "in")
    cfg = tmp_path / "c.json"
    cfg.write_text(json.dumps({"fhirFieldConfig": {"options": {"contextualDeid": {}}}}))
    out = tmp_path / "out"
    assert run(["--input", str(tmp_path / "in"), "--output", str(out), "--config", str(cfg)]) == 0
    notes = [n["text"] for r in _output_resources(out) if r["resourceType"] == "Observation" for n in r.get("note", [])]
    assert notes and all(n.startswith("Patient [CTX] called back from [CTX]") for n in notes)
