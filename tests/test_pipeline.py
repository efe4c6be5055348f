"""End-to-end runs of the Beam pipeline (DirectRunner), local and gs:// (storage emulator)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pydicom
import pytest
from pydicom.data import get_testdata_file

from pipeline.dicom.run import run
from tests.factories import PHI_NEEDLES, make_dataset, to_bytes

ROOT = Path(__file__).resolve().parents[1]


def write_archive(folder: Path, studies: int = 1, series: int = 1, instances: int = 3) -> list[Path]:
    paths = []
    for st in range(studies):
        for se in range(series):
            for i in range(instances):
                p = folder / f"st{st}" / f"se{se}" / f"im{i}.dcm"
                p.parent.mkdir(parents=True, exist_ok=True)
                p.write_bytes(to_bytes(make_dataset(index=i, study=st, series=se)))
                paths.append(p)
    return paths


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    p = tmp_path / "uid.key"
    p.write_bytes(b"V0hhdCBhIHRlc3Qga2V5IGZvciBVSURzIC0tIDMyIGJ5dGVz\n")
    return p


def outputs(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*.dcm"))}


def test_bad_input_is_counted_and_the_rest_written(tmp_path, key_file, capsys):
    """Truncated, empty, non-DICOM and DICOMDIR files become failure records; valid ones are written."""
    inp = tmp_path / "in"
    good = write_archive(inp, instances=3)
    (inp / "truncated.dcm").write_bytes(good[0].read_bytes()[:700])
    (inp / "empty.dcm").write_bytes(b"")
    (inp / "notes.txt").write_text("not dicom")
    (inp / "DICOMDIR").write_bytes(Path(get_testdata_file("DICOMDIR")).read_bytes())
    out = tmp_path / "out"
    assert run(["--input", str(inp), "--output", str(out), "--uid_key_file", str(key_file)]) == 0
    summary = json.loads((out / "deid_summary.json").read_text())
    assert summary["found"] == 7
    assert summary["succeeded"] == 3 and summary["failed"] == 4 and summary["filtered_out"] == 0
    assert summary["found"] == summary["filtered_out"] + summary["succeeded"] + summary["duplicates"] + summary["failed"]
    records = [json.loads(line) for line in (out / "deid_failures.jsonl").read_text().splitlines()]
    assert sorted(Path(r["source"]).name for r in records) == ["DICOMDIR", "empty.dcm", "notes.txt", "truncated.dcm"]
    assert {r["stage"] for r in records} == {"read"}
    errors = {Path(r["source"]).name: r["error"] for r in records}
    assert errors["DICOMDIR"] == "UnsupportedInstanceError"
    assert errors["notes.txt"] == errors["empty.dcm"] == "InvalidInstanceError"
    # Cut on an element boundary, truncation looks like a missing attribute.
    assert errors["truncated.dcm"] in ("TruncatedInstanceError", "MissingAttributeError")
    written = outputs(out)
    assert len(written) == 3
    for data in written.values():
        assert not [n for n in PHI_NEEDLES if n.encode() in data]
    text = (out / "deid_failures.jsonl").read_text() + capsys.readouterr().out
    assert not [n for n in PHI_NEEDLES if n in text]


def test_same_key_same_bytes_across_runs_and_runners(tmp_path, key_file):
    """Two in-memory runs and a 2-worker multi_processing run write identical bytes to identical paths."""
    inp = tmp_path / "in"
    write_archive(inp, studies=2, series=2, instances=2)
    results = []
    for name, extra in [("a", []), ("b", []), ("mp", ["--direct_running_mode=multi_processing", "--direct_num_workers=2"])]:
        out = tmp_path / name
        assert run(["--input", str(inp), "--output", str(out), "--uid_key_file", str(key_file), *extra]) == 0
        results.append(outputs(out))
    assert len(results[0]) == 8
    assert results[0] == results[1] == results[2]


def test_rerun_is_idempotent(tmp_path, key_file):
    """Running again into the same output rewrites the same files, nothing more."""
    inp = tmp_path / "in"
    write_archive(inp, instances=2)
    out = tmp_path / "out"
    mapping = tmp_path / "mapping.csv"
    args = ["--input", str(inp), "--output", str(out), "--uid_key_file", str(key_file), "--uid_mapping_output", str(mapping)]
    assert run(args) == 0
    first = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert run(args) == 0
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == first
    rows = mapping.read_text().splitlines()
    assert rows[0] == "original,new"
    pairs = dict(r.split(",") for r in rows[1:])
    src = make_dataset(index=1)
    new_sop = pairs[src.SOPInstanceUID]
    assert any(name.endswith(f"/instances/{new_sop}.dcm") for name in outputs(out))
    assert src.StudyInstanceUID in pairs and src.SeriesInstanceUID in pairs


def test_example_10_filter_file(tmp_path, key_file):
    """Example 10: only the listed study and series are written; the rest is filtered out."""
    inp = tmp_path / "in"
    write_archive(inp, studies=3, series=2, instances=2)
    listed_study = make_dataset(study=0).StudyInstanceUID
    listed_series = make_dataset(study=1, series=1).SeriesInstanceUID
    filt = tmp_path / "filter.txt"
    filt.write_text(f"/studies/{listed_study}\r\n\n/studies/{make_dataset(study=1).StudyInstanceUID}/series/{listed_series}\n")
    out = tmp_path / "out"
    assert run(["--input", str(inp), "--output", str(out), "--uid_key_file", str(key_file), "--filter_file", str(filt)]) == 0
    summary = json.loads((out / "deid_summary.json").read_text())
    assert (summary["found"], summary["succeeded"], summary["filtered_out"], summary["failed"]) == (12, 6, 6, 0)
    assert len(outputs(out)) == 6


def test_bad_config_fails_before_reading(tmp_path, key_file, capsys):
    """A bad config exits non-zero before any instance is read, naming each JSON path."""
    inp = tmp_path / "in"
    write_archive(inp, instances=1)
    cfg = tmp_path / "config.json"
    cfg.write_text(json.dumps({"dicom": {}, "dicomTagConfig": {"actions": [{"queries": ["PatientNam"], "keepTag": {}}]}}))
    out = tmp_path / "out"
    assert run(["--input", str(inp), "--output", str(out), "--config", str(cfg), "--uid_key_file", str(key_file)]) == 2
    err = capsys.readouterr().err
    assert "config.dicom and config.dicomTagConfig" in err
    assert "config.dicomTagConfig.actions[0].queries[0]" in err
    assert not out.exists()


def test_unknown_flag_and_missing_input_fail_early(tmp_path, capsys):
    """A misspelt flag or a missing input path stops the job before it starts."""
    assert run(["--inptu", "x", "--output", str(tmp_path / "o")]) == 2
    assert run(["--input", str(tmp_path / "nope"), "--output", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "--inptu" in err and "no such file or folder" in err


def test_max_failure_fraction(tmp_path, key_file):
    """Failures above --max_failure_fraction give a non-zero exit after the run."""
    inp = tmp_path / "in"
    write_archive(inp, instances=1)
    (inp / "bad.dcm").write_bytes(b"junk")
    args = ["--input", str(inp), "--uid_key_file", str(key_file)]
    assert run([*args, "--output", str(tmp_path / "o1"), "--max_failure_fraction", "0.6"]) == 0
    assert run([*args, "--output", str(tmp_path / "o2"), "--max_failure_fraction", "0.4"]) == 3


# --------------------------------------------------------------------------- gs:// (emulator)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def gcs(tmp_path):
    """A gcp-storage-emulator on loopback and the environment that points clients at it."""
    server_mod = pytest.importorskip("gcp_storage_emulator.server")
    port = _free_port()
    server = server_mod.create_server("127.0.0.1", port, in_memory=True, default_bucket="deid-test")
    thread = threading.Thread(target=server.start, daemon=True)
    thread.start()
    creds = tmp_path / "creds.json"
    creds.write_text(json.dumps({
        "type": "authorized_user", "client_id": "x", "client_secret": "x", "refresh_token": "x",
        "token": "x", "expiry": "2099-01-01T00:00:00Z", "token_uri": "http://127.0.0.1:9/token",
    }))
    env = {
        "STORAGE_EMULATOR_HOST": f"http://127.0.0.1:{port}",
        "GOOGLE_CLOUD_PROJECT": "test-project",
        "NO_GCE_CHECK": "true",
        "GOOGLE_APPLICATION_CREDENTIALS": str(creds),
    }
    for _ in range(50):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.1)
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    from google.cloud import storage

    client = storage.Client(project="test-project")
    yield client.bucket("deid-test"), env
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    server.stop()


def test_gcs_input_and_output(gcs, tmp_path):
    """gs:// inputs, key file, filter export, outputs and --skip_existing work end to end against the emulator."""
    bucket, env = gcs
    for st in range(2):
        for i in range(2):
            bucket.blob(f"archive/st{st}/im{i}.dcm").upload_from_string(to_bytes(make_dataset(index=i, study=st)))
    bucket.blob("archive/junk.bin").upload_from_string(b"junk")
    bucket.blob("keys/uid.key").upload_from_string(b"V0hhdCBhIHRlc3Qga2V5IGZvciBVSURzIC0tIDMyIGJ5dGVz")
    bucket.blob("filters/export-000.csv").upload_from_string(
        f"StudyInstanceUID\n{make_dataset(study=0).StudyInstanceUID}\n"
    )
    cmd = [
        sys.executable, "-m", "pipeline.dicom.run",
        "--input", "gs://deid-test/archive/", "--output", "gs://deid-test/out",
        "--uid_key_file", "gs://deid-test/keys/uid.key",
        "--filter_table_export", "gs://deid-test/filters/export-*.csv",
        "--uid_mapping_output", "gs://deid-test/reid/map.csv",
    ]
    proc = subprocess.run(cmd, cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "--uid_mapping_output goes to a bucket" in proc.stderr and "IAM" in proc.stderr
    assert "gs://deid-test/reid" not in proc.stderr  # the reminder names the option, not the path
    assert bucket.blob("reid/map.csv").download_as_bytes().startswith(b"original,new\n")
    names = sorted(b.name for b in bucket.list_blobs(prefix="out/"))
    dcm = [n for n in names if n.endswith(".dcm")]
    assert len(dcm) == 2 and all(n.startswith("out/studies/2.25.") for n in dcm)
    summary = json.loads(bucket.blob("out/deid_summary.json").download_as_bytes())
    assert (summary["found"], summary["succeeded"], summary["filtered_out"], summary["failed"]) == (5, 2, 2, 1)
    for n in dcm:
        ds = pydicom.dcmread(__import__("io").BytesIO(bucket.blob(n).download_as_bytes()))
        assert ds.PatientName == ""
    # Incremental rerun on gs://: one output deleted, the other skipped; the same bytes again.
    first = {n: bucket.blob(n).download_as_bytes() for n in dcm}
    bucket.blob(dcm[0]).delete()
    proc = subprocess.run([*cmd, "--skip_existing=true"], cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    summary = json.loads(bucket.blob("out/deid_summary.json").download_as_bytes())
    assert (summary["found"], summary["skipped"], summary["succeeded"], summary["filtered_out"], summary["failed"]) == (5, 1, 1, 2, 1)
    assert {n: bucket.blob(n).download_as_bytes() for n in dcm} == first
    # A plain rerun, with a copy of im0 and a conflicting im0 (other pixels) added, every large-instance way:
    # staged copies renamed over the outputs, the copy a duplicate, the conflict a write failure, same bytes.
    im0 = make_dataset(index=0, study=0)
    bucket.blob("archive/st0/zz_copy.dcm").upload_from_string(to_bytes(im0))
    im0.PixelData = bytes(len(im0.PixelData))
    bucket.blob("archive/st0/zz_conflict.dcm").upload_from_string(to_bytes(im0))
    proc = subprocess.run([*cmd, "--stream_copy_bytes=0"], cwd=ROOT, env={**os.environ, **env}, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    summary = json.loads(bucket.blob("out/deid_summary.json").download_as_bytes())
    assert (summary["found"], summary["succeeded"], summary["duplicates"], summary["filtered_out"], summary["failed"]) == (7, 2, 1, 2, 2)
    records = [json.loads(line) for line in bucket.blob("out/deid_failures.jsonl").download_as_text().splitlines()]
    assert sorted((r["source"].rsplit("/", 1)[1], r["error"]) for r in records) == [
        ("junk.bin", "InvalidInstanceError"), ("zz_conflict.dcm", "InstanceConflictError")]
    assert {n: bucket.blob(n).download_as_bytes() for n in dcm} == first
    assert not [b.name for b in bucket.list_blobs(prefix="out/") if ".tmp-" in b.name]
