"""End to end against real Orthanc servers (DICOMweb plugin): store -> files, files -> store, store -> store.

No HTTP is mocked: faults come from a loopback proxy in front of a real Orthanc.
Every test checks that the servers' passwords appear in no output, record,
summary or log line.
"""

from __future__ import annotations

import io
import json
import logging
import os
import time
from pathlib import Path

import pydicom
import pytest

from pipeline.connectors.dicomweb import Credentials, DicomwebClient, HttpPolicy, Service
from pipeline.dicom.run import run
from tests.factories import make_dataset, to_bytes
from tests.orthanc import AVAILABLE, USER, Fault, FaultProxy, OrthancServer, free_port
from transforms.dicom.dicomweb import decode_retrieved

pytestmark = pytest.mark.skipif(not AVAILABLE, reason="Orthanc and its DICOMweb plugin are not installed")
KEY = b"V0hhdCBhIHRlc3Qga2V5IGZvciBVSURzIC0tIDMyIGJ5dGVz\n"
FAST = ["--dicomweb_backoff_seconds", "0.02", "--progress_interval", "0"]


@pytest.fixture
def servers():
    started = []

    def start() -> OrthancServer:
        server = OrthancServer()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def proxies():
    started = []

    def start(target: OrthancServer, *faults: Fault) -> FaultProxy:
        proxy = FaultProxy(target.base, list(faults))
        started.append(proxy)
        return proxy

    yield start
    for proxy in started:
        proxy.stop()


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> dict:
    """2 studies x 2 series x 2 instances on disk, and the file run's outputs (the reference bytes)."""
    root = tmp_path_factory.mktemp("dicomweb")
    key = root / "uid.key"
    key.write_bytes(KEY)
    folder = root / "archive"
    instances = {}
    for st in range(2):
        for se in range(2):
            for i in range(2):
                data = to_bytes(make_dataset(index=i, study=st, series=se))
                path = folder / f"st{st}" / f"se{se}" / f"im{i}.dcm"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
                ds = pydicom.dcmread(io.BytesIO(data))
                instances[str(ds.SOPInstanceUID)] = (str(ds.StudyInstanceUID), str(ds.SeriesInstanceUID), data)
    out = root / "file-run"
    assert run(["--input", str(folder), "--output", str(out), "--uid_key_file", str(key), *FAST]) == 0
    reference = {}
    for p in out.rglob("*.dcm"):
        reference[p.stem] = p.read_bytes()
    return {"folder": folder, "key": key, "instances": instances, "reference": reference}


def seed(server: OrthancServer, archive: dict, sops=None) -> None:
    for sop, (_, _, data) in archive["instances"].items():
        if sops is None or sop in sops:
            server.upload(data)


def dcm_files(folder: Path) -> dict[str, bytes]:
    return {p.stem: p.read_bytes() for p in folder.rglob("*.dcm")}


def job(tmp_path: Path, archive: dict, *args: str) -> list[str]:
    return [
        *args,
        "--uid_key_file", str(archive["key"]),
        "--failures_output", str(tmp_path / "failures.jsonl"),
        "--summary_output", str(tmp_path / "summary.json"),
        *FAST,
    ]


def results(tmp_path: Path) -> tuple[dict, list[dict]]:
    summary = json.loads((tmp_path / "summary.json").read_text())
    text = (tmp_path / "failures.jsonl").read_text()
    return summary, [json.loads(line) for line in text.splitlines()]


def assert_reconciles(summary: dict) -> None:
    assert summary["found"] == summary["filtered_out"] + summary["skipped"] + summary["succeeded"] + summary["failed"]


def assert_no_secret(tmp_path: Path, secrets: list[str], *texts: str) -> None:
    blobs = [*texts]
    for p in tmp_path.rglob("*"):
        if p.is_file() and p.suffix in (".json", ".jsonl", ".csv"):
            blobs.append(p.read_text())
    for secret in secrets:
        assert not [b for b in blobs if secret in b]


def test_store_to_files(tmp_path, archive, servers, capsys, caplog):
    """Orthanc -> files on 2 worker processes, pages of exactly 2 (full page, then empty): byte-identical to the file run."""
    caplog.set_level(logging.INFO)
    source = servers()
    seed(source, archive)
    out = tmp_path / "out"
    argv = job(tmp_path, archive, "--dicomweb_source", source.url, "--dicomweb_source_auth", "basic", "--output", str(out),
               "--dicomweb_page_size", "2", "--direct_running_mode", "multi_processing", "--direct_num_workers", "2")

    os.environ.update(source.env("SOURCE_"))
    try:
        assert run(argv) == 0
    finally:
        for k in source.env("SOURCE_"):
            os.environ.pop(k)
    summary, records = results(tmp_path)
    assert summary["found"] == summary["succeeded"] == 8 and not records
    assert summary["dicomweb"]["source"] == source.url
    assert summary["dicomweb"]["retrieved"] == 8 and summary["dicomweb"]["studies_listed"] == 2
    assert summary["dicomweb"]["series_listed"] == 4
    assert dcm_files(out) == archive["reference"]
    assert_reconciles(summary)
    # WADO-RS with transfer-syntax=* hands back the stored bytes exactly.
    service = Service(source.url, source.url, "basic", False, "source", Credentials({"USERNAME": USER, "PASSWORD": source.password}))
    client = DicomwebClient(service, HttpPolicy())
    for sop, (study, series, data) in archive["instances"].items():
        assert decode_retrieved(*client.retrieve(study, series, sop)) == data
    client.close()
    assert_no_secret(tmp_path, [source.password], capsys.readouterr().out, caplog.text)


def test_files_to_store_and_rerun(tmp_path, archive, servers, monkeypatch, capsys, caplog):
    """files -> Orthanc without --output: the destination holds exactly the predicted UIDs, same bytes; a rerun adds nothing."""
    caplog.set_level(logging.INFO)
    dest = servers()
    for k, v in dest.env().items():
        monkeypatch.setenv(k, v)
    argv = job(tmp_path, archive, "--input", str(archive["folder"]), "--dicomweb_destination", dest.url,
               "--dicomweb_auth", "basic", "--dicomweb_stow_batch_instances", "3")
    assert run(argv) == 0
    summary, records = results(tmp_path)
    assert summary["succeeded"] == 8 and not records and summary["dicomweb"]["stored"] == 8
    assert dest.instances() == archive["reference"]
    # Rerun into the same destination: the same bytes again are success, nothing doubled.
    assert run(argv) == 0
    summary, records = results(tmp_path)
    assert summary["succeeded"] == 8 and summary["failed"] == 0 and not records
    assert summary["dicomweb"]["already_stored"] == 8
    assert dest.instances() == archive["reference"]
    # --skip_existing: every output is found in the store, none is sent again.
    assert run([*argv, "--skip_existing"]) == 0
    summary, records = results(tmp_path)
    assert summary["skipped"] == 8 and summary["succeeded"] == 0 and not records
    assert summary["dicomweb"]["stored"] == 0
    assert_reconciles(summary)
    # Large instances (header de-identified, PixelData streamed from the source file): same bytes stored.
    large = servers()
    for k, v in large.env().items():
        monkeypatch.setenv(k, v)
    assert run([*job(tmp_path, archive, "--input", str(archive["folder"]), "--dicomweb_destination", large.url,
                     "--dicomweb_auth", "basic"), "--stream_copy_bytes", "1"]) == 0
    summary, records = results(tmp_path)
    assert summary["succeeded"] == 8 and not records
    assert large.instances() == archive["reference"]
    assert_no_secret(tmp_path, [dest.password, large.password], capsys.readouterr().out, caplog.text)


def _filter_file(tmp_path: Path, archive: dict) -> tuple[Path, set[str]]:
    """Study 0 whole; series 0 of study 1; one instance of series 1 of study 1; one line matching nothing."""
    by = {}
    for sop, (study, series, data) in archive["instances"].items():
        by.setdefault(study, {}).setdefault(series, []).append(sop)
    (s0, s0_series), (s1, s1_series) = sorted(by.items())
    (r0, r0_sops), (r1, r1_sops) = sorted(s1_series.items())
    wanted = {sop for sops in s0_series.values() for sop in sops} | set(r0_sops) | {sorted(r1_sops)[0]}
    lines = [f"/studies/{s0}", f"/studies/{s1}/series/{r0}", f"/studies/{s1}/series/{r1}/instances/{sorted(r1_sops)[0]}",
             "/studies/1.2.3.999"]
    path = tmp_path / "filter.txt"
    path.write_text("\n".join(lines) + "\n")
    return path, wanted


def test_store_to_store_with_filter_rerun_and_skip(tmp_path, archive, servers, proxies, monkeypatch, capsys, caplog):
    """Orthanc -> Orthanc with a filter file: only the listed 7 are retrieved and stored; rerun and skip run add nothing."""
    caplog.set_level(logging.INFO)
    source, dest = servers(), servers()
    seed(source, archive)
    src_proxy = proxies(source)
    for k, v in {**source.env("SOURCE_"), **dest.env("DESTINATION_")}.items():
        monkeypatch.setenv(k, v)
    filter_path, wanted = _filter_file(tmp_path, archive)
    argv = job(tmp_path, archive, "--dicomweb_source", src_proxy.url, "--dicomweb_destination", dest.url,
               "--dicomweb_auth", "basic", "--filter_file", str(filter_path))
    assert run(argv) == 0
    summary, records = results(tmp_path)
    assert not records and summary["found"] == summary["succeeded"] == len(wanted) == 7
    assert summary["filtered_out"] == 0 and summary["dicomweb"]["filter_unmatched"] == 1
    retrieved = {p.rsplit("/", 1)[1] for m, p in src_proxy.log if m == "GET" and "/instances/" in p}
    assert retrieved == wanted  # the other instance was never retrieved
    stored = dest.instances()
    expected = {sop: data for sop, data in archive["reference"].items()}
    assert len(stored) == 7 and all(expected[sop] == data for sop, data in stored.items())
    # Rerun: no failure, no second copy.
    assert run(argv) == 0
    summary, records = results(tmp_path)
    assert not records and summary["succeeded"] == 7 and dest.instances() == stored
    # --skip_existing: all skipped, nothing retrieved or stored.
    src_proxy.log.clear()
    assert run([*argv, "--skip_existing"]) == 0
    summary, records = results(tmp_path)
    assert summary["skipped"] == 7 and summary["succeeded"] == 0 and not records
    assert not [p for m, p in src_proxy.log if m == "GET" and "/instances/" in p]
    assert summary["dicomweb"]["stored"] == 0
    assert_reconciles(summary)
    assert_no_secret(tmp_path, [source.password, dest.password], capsys.readouterr().out, caplog.text)


def test_conflicting_instance_is_a_failure_record(tmp_path, archive, servers, monkeypatch):
    """Other bytes already stored under one predicted output's UIDs: one write/InstanceConflictError, the rest stored.

    Text annotations of a store source name the instance as <store>/studies/S/series/R/instances/I.
    """
    source, dest = servers(), servers()
    seed(source, archive)
    sop, data = sorted(archive["reference"].items())[0]
    ds = pydicom.dcmread(io.BytesIO(data))
    ds.SeriesDescription = "changed"
    other = io.BytesIO()
    ds.save_as(other, enforce_file_format=True)
    dest.upload(other.getvalue())
    for k, v in {**source.env("SOURCE_"), **dest.env("DESTINATION_")}.items():
        monkeypatch.setenv(k, v)
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"annotation": {"storeQuote": False}, "text": {"transformations": [{"redactConfig": {}}]},
                                  "dicomTagConfig": {"profileType": "DEIDENTIFY_TAG_CONTENTS"}}))
    notes = tmp_path / "annotations"
    argv = job(tmp_path, archive, "--dicomweb_source", source.url, "--dicomweb_destination", dest.url, "--dicomweb_auth", "basic",
               "--config", str(config), "--annotations_output", str(notes))
    assert run(argv) == 0
    summary, records = results(tmp_path)
    names = {json.loads(line)["annotationSource"]["cloudHealthcareSource"]["name"]
             for p in notes.glob("*.jsonl") for line in p.read_text().splitlines()}
    assert len(names) == 7 and all(n.startswith(source.url + "/studies/") and n.count("/studies/") == 1 for n in names)
    assert summary["succeeded"] == 7 and summary["failed"] == 1
    assert [(r["stage"], r["error"]) for r in records] == [("write", "InstanceConflictError")]
    assert records[0]["source"].startswith(source.url + "/studies/")
    assert dest.instances()[sop] == other.getvalue()  # nothing overwritten
    assert run([*argv, "--max_failure_fraction", "0"]) == 3


def test_503s_and_a_dropped_connection_are_retried(tmp_path, archive, servers, proxies, monkeypatch):
    """503 on 2 QIDO, 3 WADO, 2 STOW and one dropped connection: retried. One WADO and one series
    listing always 503 (5 attempts): one read/DicomwebUnavailable and one read/DicomwebListingFailed record."""
    source, dest = servers(), servers()
    seed(source, archive)
    doomed = sorted(archive["instances"])[0]
    unlisted = sorted({se for sop, (st, se, _) in archive["instances"].items() if se != archive["instances"][doomed][1]})[0]
    src = proxies(
        source,
        Fault("GET", rf"/series/{unlisted}/instances\?", "503", 99),
        Fault("GET", r"/series\?|/instances\?", "503", 2, retry_after="1"),
        Fault("GET", rf"/instances/{doomed}$", "503", 99),
        Fault("GET", r"/instances/[0-9.]+$", "503", 3),
        Fault("GET", r"/instances/[0-9.]+$", "drop", 1),
    )
    dst = proxies(dest, Fault("POST", r"/studies$", "503", 2))
    for k, v in {**source.env("SOURCE_"), **dest.env("DESTINATION_")}.items():
        monkeypatch.setenv(k, v)
    argv = job(tmp_path, archive, "--dicomweb_source", src.url, "--dicomweb_destination", dst.url, "--dicomweb_auth", "basic",
               "--dicomweb_max_attempts", "5")
    assert run(argv) == 0
    summary, records = results(tmp_path)
    assert summary["found"] == 6 + 1 and summary["succeeded"] == 5 and summary["failed"] == 2
    by_error = {r["error"]: r for r in records}
    assert sorted(by_error) == ["DicomwebListingFailed", "DicomwebUnavailable"]
    assert {r["stage"] for r in records} == {"read"}
    assert doomed in by_error["DicomwebUnavailable"]["source"]
    assert "HTTP 503 after 5 attempt(s)" in by_error["DicomwebUnavailable"]["message"]
    assert by_error["DicomwebListingFailed"]["source"].endswith(f"/series/{unlisted}")
    assert summary["dicomweb"]["retries"] >= 8 + 4 + 4 and summary["dicomweb"]["throttled_seconds"] > 0
    assert len(dest.instances()) == 5
    assert_reconciles(summary)


@pytest.mark.parametrize("side", ["source", "destination"])
def test_unreachable_service_stops_before_the_start(tmp_path, archive, servers, side, capsys):
    """A closed port: exit 2 within seconds, naming the service and the cause; nothing written."""
    other = servers()
    closed = f"http://127.0.0.1:{free_port()}/dicom-web"
    urls = {"source": closed, "destination": other.url} if side == "source" else {"source": other.url, "destination": closed}
    out = tmp_path / "out"
    start = time.monotonic()
    code = run(job(tmp_path, archive, "--dicomweb_source", urls["source"], "--dicomweb_destination", urls["destination"],
                   "--output", str(out)))
    assert code == 2 and time.monotonic() - start < 30
    err = capsys.readouterr().err
    assert f"--dicomweb_{side} {closed} (auth none): unreachable: connection refused" in err
    assert not out.exists() and not (tmp_path / "summary.json").exists()


def test_wrong_password_and_credentials_in_the_url(tmp_path, archive, servers, monkeypatch, capsys):
    """A wrong password is HTTP 401 before the start; user-info in a URL is refused without showing it."""
    source = servers()
    monkeypatch.setenv("DICOMWEB_USERNAME", "deid")
    monkeypatch.setenv("DICOMWEB_PASSWORD", "not-the-password")
    out = tmp_path / "out"
    assert run(job(tmp_path, archive, "--dicomweb_source", source.url, "--dicomweb_auth", "basic", "--output", str(out))) == 2
    assert "HTTP 401 (authentication failed)" in capsys.readouterr().err
    with_pw = source.url.replace("://", f"://deid:{source.password}@")
    assert run(job(tmp_path, archive, "--dicomweb_source", with_pw, "--output", str(out))) == 2
    err = capsys.readouterr().err
    assert "credentials may not be part of the URL" in err and source.password not in err
    assert not out.exists()


def test_store_and_files_together(tmp_path, archive, servers, monkeypatch):
    """--dicomweb_source with --input: both branches flattened into one job, each instance counted once."""
    source = servers()
    first_study = sorted({st for st, _, _ in archive["instances"].values()})[0]
    seed(source, archive, {sop for sop, (st, _, _) in archive["instances"].items() if st == first_study})
    files = tmp_path / "files"
    for sop, (study, series, data) in archive["instances"].items():
        if study != first_study:
            (files / f"{sop}.dcm").parent.mkdir(parents=True, exist_ok=True)
            (files / f"{sop}.dcm").write_bytes(data)
    for k, v in source.env().items():
        monkeypatch.setenv(k, v)
    out = tmp_path / "out"
    assert run(job(tmp_path, archive, "--dicomweb_source", source.url, "--dicomweb_auth", "basic", "--input", str(files),
                   "--output", str(out))) == 0
    summary, records = results(tmp_path)
    assert summary["found"] == summary["succeeded"] == 8 and not records
    assert summary["dicomweb"]["retrieved"] == 4
    assert dcm_files(out) == archive["reference"]
