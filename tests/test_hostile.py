"""Hostile input (issue 22): nothing written outside the outputs, nothing planted kept, every input counted.

The inputs come from ``tests/hostile.py``. Both commands run on FIFOs, a link to
/dev/zero, a socket and oversize inputs in a subprocess with a timeout: they
must end by themselves, with a failure record each. Around every job the test
snapshots the whole working folder (inputs and a folder of bystander files
next to the output), and looks for the traversal marker at the top of ``/``,
``/tmp`` and the repository.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pydicom
import pytest

from tests.hostile import (
    ESCAPE,
    PASSWORD,
    STRANGER,
    HostileStore,
    Snapshot,
    deep_nesting,
    deflate_bomb,
    dicom_cases,
    escaped_names,
    files_under,
    fuzz_cases,
    fuzzed_uids,
    instance,
    planted_in,
    special_files,
)

ROOT = Path(__file__).resolve().parents[1]
KEY = b"V0hhdCBhIHRlc3Qga2V5IGZvciBVSURzIC0tIDMyIGJ5dGVz\n"
UID = re.compile(r"(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*")
OUTPUT_NAME = re.compile(r"studies/([0-9.]+)/series/([0-9.]+)/instances/([0-9.]+)\.dcm")


def _world(tmp_path: Path) -> dict[str, Path]:
    """in/, out/, ann/ and a bystanders/ folder whose files must stay untouched."""
    w = {name: tmp_path / name for name in ("in", "out", "ann", "bystanders")}
    for p in w.values():
        p.mkdir()
    (w["bystanders"] / "victim.dcm").write_bytes(b"not yours")
    (w["bystanders"] / "notes.tmp-1").write_bytes(b"a stranger's temporary file")
    (w["bystanders"] / "x.dcm.tmp-0123456789ab-" ).write_bytes(b"a stranger's file named almost like ours")
    (tmp_path / "key").write_bytes(KEY)
    return w


def _job(cmd: str, args: list[str], timeout: int = 240) -> subprocess.CompletedProcess:
    """Run dicom-deid or fhir-deid in a fresh process; it must end by itself within ``timeout``."""
    module = {"dicom": "pipeline.dicom.run", "fhir": "pipeline.fhir.run"}[cmd]
    return subprocess.run(
        [sys.executable, "-m", module, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )


def _no_escape(tmp_path: Path, snapshot: Snapshot) -> None:
    assert snapshot.changes() == []
    assert escaped_names(tmp_path, shallow=(Path("/"), Path("/tmp"), ROOT, tmp_path.parent)) == []


def _no_plant(*roots: Path, text: str = "") -> None:
    leaks = {str(p): planted_in(p.read_bytes()) for p in files_under(*roots) if planted_in(p.read_bytes())}
    assert leaks == {}
    assert planted_in(text) == []


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def _outputs(out: Path) -> list[str]:
    names = [p.relative_to(out).as_posix() for p in out.rglob("*.dcm")]
    for name in names:
        m = OUTPUT_NAME.fullmatch(name)
        assert m and all(UID.fullmatch(u) and len(u) <= 64 for u in m.groups()), name
    return names


def test_dicom_job_on_hostile_files(tmp_path):
    """Traversal and name UIDs, fuzzed UIDs, mistyped values, special files, oversize: confined, clean, counted."""
    w = _world(tmp_path)
    cases = {**dicom_cases(), **fuzz_cases()}
    for name, data in cases.items():
        (w["in"] / name).write_bytes(data)
    specials = special_files(w["in"] / "special")
    (w["in"] / "oversize.dcm").write_bytes(instance(7777) + b"\x00" * 600_000)
    (w["in"] / "deflate_bomb.dcm").write_bytes(deflate_bomb(7778, 2_000_000))  # 3 KB that inflate to 2 MB
    (w["in"] / "deep_nesting.dcm").write_bytes(deep_nesting(7779, 1000))
    inputs = len(cases) + len(specials) + 3
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"annotation": {"storeQuote": False}, "dicomTagConfig": {"options": {"cleanDescriptors": {}}}}))
    snap = Snapshot(tmp_path, skip=(w["out"], w["ann"]))
    proc = _job("dicom", [
        "--input", str(w["in"]), "--output", str(w["out"]), "--uid_key_file", str(tmp_path / "key"),
        "--config", str(config), "--annotations_output", str(w["ann"]),
        "--uid_mapping_output", str(w["out"] / "uid_map.csv"), "--max_instance_bytes", "500000", "--progress_interval", "0",
    ])
    assert proc.returncode == 0, proc.stderr[-3000:]
    _no_escape(tmp_path, snap)
    _no_plant(w["out"], w["ann"], text=proc.stdout + proc.stderr)
    summary = json.loads((w["out"] / "deid_summary.json").read_text())
    records = _records(w["out"] / "deid_failures.jsonl")
    sources = [r["source"] for r in records]
    assert len(sources) == len(set(sources))  # no input failed twice
    assert summary["found"] == inputs
    assert summary["succeeded"] + summary["duplicates"] + summary["failed"] == inputs
    assert summary["failed"] == len(records) and summary["succeeded"] == len(_outputs(w["out"]))
    by_name = {Path(r["source"]).name: r for r in records}
    for name in specials:
        assert (by_name[name]["stage"], by_name[name]["error"]) == ("read", "InputNotRegularError"), name
    assert (by_name["oversize.dcm"]["stage"], by_name["oversize.dcm"]["error"]) == ("read", "InputTooLargeError")
    assert "--max_instance_bytes" in by_name["oversize.dcm"]["message"]
    assert (by_name["deflate_bomb.dcm"]["stage"], by_name["deflate_bomb.dcm"]["error"]) == ("read", "InputTooLargeError")
    assert "inflates to more than 500000 bytes" in by_name["deflate_bomb.dcm"]["message"]
    assert by_name["deep_nesting.dcm"]["error"] == "InvalidInstanceError"
    assert "nested too deep" in by_name["deep_nesting.dcm"]["message"]
    assert by_name["naming_uid_as_lo.dcm"]["message"].endswith("StudyInstanceUID, which the output needs")
    for r in records:  # the rest are UIDs that cannot be regenerated as one (several values): named by keyword
        if r["stage"] == "tags" and r["error"] == "InvalidElementError":
            assert re.fullmatch(r"(StudyInstanceUID|SeriesInstanceUID|SOPInstanceUID) is not a valid UID .*", r["message"])
    assert summary["values_replaced"] >= 6
    rows = (w["out"] / "uid_map.csv").read_text().splitlines()
    assert rows[0] == "original,new" and all(re.fullmatch(r"[0-9.]+,[0-9.]+", row) for row in rows[1:])
    assert [p.name for p in w["ann"].iterdir()] and all(UID.fullmatch(p.stem) for p in w["ann"].iterdir())
    assert not list(w["out"].rglob("*.tmp-*"))
    for p in w["out"].rglob("*.dcm"):  # every UID in the outputs is a UID
        ds = pydicom.dcmread(p)
        for elem in ds.iterall():
            if elem.VR == "UI" and elem.value:
                values = elem.value if isinstance(elem.value, pydicom.multival.MultiValue) else [elem.value]
                assert all(UID.fullmatch(str(v)) for v in values), (p.name, elem.keyword)


@pytest.mark.parametrize(
    "config",
    [
        {"dicomTagConfig": {"options": {"primaryIds": "KEEP"}}},
        {"dicomTagConfig": {"profileType": "KEEP_ALL_PROFILE", "options": {"primaryIds": "KEEP"}}},
    ],
    ids=["primaryIds_KEEP", "KEEP_ALL"],
)
def test_kept_uids_that_are_no_uids_are_regenerated(tmp_path, config):
    """With primaryIds KEEP (and KEEP_ALL): a path or name as UID is regenerated, a valid UID kept; all confined."""
    from pipeline.dicom.run import run

    w = _world(tmp_path)
    cases = {n: d for n, d in dicom_cases().items() if n.startswith(("path_", "mistyped"))}
    for name, data in cases.items():
        (w["in"] / name).write_bytes(data)
    good = instance(4242, study=4242)
    (w["in"] / "good.dcm").write_bytes(good)
    (tmp_path / "config.json").write_text(json.dumps(config))
    snap = Snapshot(tmp_path, skip=(w["out"],))
    assert run(["--input", str(w["in"]), "--output", str(w["out"]), "--uid_key_file", str(tmp_path / "key"),
                "--config", str(tmp_path / "config.json"), "--progress_interval", "0"]) == 0
    _no_escape(tmp_path, snap)
    names = _outputs(w["out"])
    kept = pydicom.dcmread(io.BytesIO(good))
    assert f"studies/{kept.StudyInstanceUID}/series/{kept.SeriesInstanceUID}/instances/{kept.SOPInstanceUID}.dcm" in names
    summary = json.loads((w["out"] / "deid_summary.json").read_text())
    assert summary["found"] == len(cases) + 1 == summary["succeeded"] + summary["failed"]
    for p in files_under(w["out"]):  # KEEP_ALL keeps the patient's name by definition; never a path or a stranger
        found = planted_in(p.read_bytes())
        assert ESCAPE not in found and STRANGER.upper() not in found, p


def test_fhir_job_ends_on_special_files_and_an_endless_line(tmp_path):
    """FIFO, /dev/zero link, socket, a .gz whose first line expands past the limit: a record each; the rest read."""
    w = _world(tmp_path)
    specials = {n.replace(".dcm", ".ndjson"): k for n, k in special_files(w["in"] / "special").items()}
    for name in list((w["in"] / "special").iterdir()):
        name.rename(name.with_suffix(".ndjson"))
    os.unlink(w["in"] / "special" / "fifo_link.ndjson")
    (w["in"] / "special" / "fifo_link.ndjson").symlink_to(w["in"] / "special" / "fifo.ndjson")
    patient = '{"resourceType": "Patient", "id": "p1", "birthDate": "1970-01-01"}'
    with gzip.open(w["in"] / "bomb.ndjson.gz", "wb", compresslevel=9) as f:  # ~20 KB that expands to 20 MB
        f.write(b'{"resourceType": "Patient", "id": "WOBBLETON", "text": "' + b"Y" * 20_000_000 + b'"}\n')
        f.write(patient.encode() + b"\n")
    (w["in"] / "big.json").write_text(json.dumps({"resourceType": "Patient", "id": "q", "x": "Q" * 2_000_000}))
    (w["in"] / "ok.ndjson").write_text(patient.replace("p1", "p2") + "\n")
    snap = Snapshot(tmp_path, skip=(w["out"],))
    proc = _job("fhir", ["--input", str(w["in"]), "--output", str(w["out"]), "--key_file", str(tmp_path / "key"),
                         "--max_line_bytes", "1000000"])
    assert proc.returncode == 0, proc.stderr[-3000:]
    _no_escape(tmp_path, snap)
    assert planted_in(proc.stdout + proc.stderr) == []
    records = _records(w["out"] / "deid_failures.jsonl")
    got = sorted((Path(r["source"]).name, r["line"], r["stage"], r["error"]) for r in records)
    expected = sorted(
        [(n, None, "read", "InputNotRegularError") for n in specials]
        + [("bomb.ndjson.gz", 1, "read", "InputTooLargeError"), ("big.json", 1, "read", "InputTooLargeError")]
    )
    assert got == expected
    assert all("--max_line_bytes" in r["message"] for r in records if r["error"] == "InputTooLargeError")
    summary = json.loads((w["out"] / "deid_summary.json").read_text())
    assert summary["succeeded"] == 2 and summary["failed"] == len(expected)  # line 2 of the bomb, and ok.ndjson


def test_dicomweb_store_that_misbehaves(tmp_path, monkeypatch):
    """Ignored offset, endless listing, ../ UIDs, a redirect elsewhere, no boundary: records, no loop, no leak."""
    from pipeline.dicom.run import run

    w = _world(tmp_path)
    store = HostileStore()
    monkeypatch.setenv("DICOMWEB_USERNAME", "deid")
    monkeypatch.setenv("DICOMWEB_PASSWORD", PASSWORD)
    snap = Snapshot(tmp_path, skip=(w["out"],))
    log = io.StringIO()
    import logging

    handler = logging.StreamHandler(log)
    logging.getLogger().addHandler(handler)
    try:
        rc = run([
            "--dicomweb_source", store.url, "--dicomweb_source_auth", "basic", "--output", str(w["out"]),
            "--uid_key_file", str(tmp_path / "key"), "--dicomweb_page_size", "2", "--dicomweb_max_listed", "6",
            "--dicomweb_max_attempts", "2", "--dicomweb_backoff_seconds", "0.01", "--progress_interval", "0",
        ])
    finally:
        logging.getLogger().removeHandler(handler)
        store.stop()
    assert rc == 0
    _no_escape(tmp_path, snap)
    assert store.elsewhere_log == []  # the other origin was never asked, with or without credentials
    asked = " ".join(p for _, p, _ in store.log)
    assert ".." not in asked and ESCAPE.lower() not in asked.lower() and STRANGER.lower() not in asked.lower()
    records = _records(w["out"] / "deid_failures.jsonl")
    text = json.dumps(records) + log.getvalue() + (w["out"] / "deid_summary.json").read_text()
    assert PASSWORD not in text and planted_in(text) == []
    _no_plant(w["out"])
    errors = sorted(r["error"] for r in records)
    assert errors.count("DicomwebBadResponse") == 4  # two bad study UIDs, one bad instance UID, no boundary
    assert errors.count("DicomwebListingFailed") == 1 and errors.count("DicomwebListingTruncated") == 1
    assert errors.count("DicomwebRedirected") == 1 and errors.count("DicomwebNotFound") == 6  # the endless listing's
    redirected = next(r for r in records if r["error"] == "DicomwebRedirected")
    assert redirected["source"].startswith(store.url) and "not followed" in redirected["message"]
    assert any("boundary" in r["message"] for r in records if r["error"] == "DicomwebBadResponse")
    repeated = next(r for r in records if r["error"] == "DicomwebListingFailed")
    assert "ignores offset" in repeated["message"]
    summary = json.loads((w["out"] / "deid_summary.json").read_text())
    assert summary["succeeded"] == 2 == len(_outputs(w["out"]))  # the good study's instance, the in-store redirect
    assert summary["found"] == summary["succeeded"] + summary["failed"] == 2 + len(records)


def test_a_source_that_changes_after_it_was_examined(tmp_path):
    """Bytes appended to (or rewritten in) a large instance after its header was read fail it at stage write."""
    from apache_beam.options.pipeline_options import PipelineOptions

    from pipeline.dicom.config import JobConfig
    from pipeline.dicom.deidentify import DeidentifyFn
    from pipeline.dicom.read import LargeInstance, _ReadFn
    from pipeline.dicom.write import _WriteDicomFn
    from pipeline.options import DeidOptions
    from pipeline.progress import Progress

    w = _world(tmp_path)
    job = JobConfig.from_options(
        PipelineOptions(["--input", str(w["in"]), "--output", str(w["out"]), "--uid_key_file", str(tmp_path / "key"),
                         "--stream_copy_bytes", "0"]).view_as(DeidOptions),
        check_services=False,
    )
    outcomes = {}
    for change in ("none", "append", "rewrite"):
        src = w["in"] / f"{change}.dcm"
        src.write_bytes(instance(100 + len(outcomes), study=5000 + len(outcomes)))
        read, deid, write = _ReadFn(job, Progress(0.0)), DeidentifyFn(job.spec, job.key, job.uid_root), _WriteDicomFn(str(w["out"]), "run1", Progress(0.0))
        for fn in (read, deid, write):
            fn.setup()
        (path, large), = list(read.process((str(src), src.stat().st_size)))
        assert isinstance(large, LargeInstance)
        (element,) = [e for e in deid.process((path, large)) if not hasattr(e, "tag")]
        if change == "append":  # an element with a planted name after PixelData
            with open(src, "ab") as f:
                f.write(b"\x09\x00\x10\x10LO\x10\x00" + b"WOBBLETON^YSOL  ")
        elif change == "rewrite":  # the same size, other bytes, a later modification time
            data = bytearray(src.read_bytes())
            data[-16:] = b"WOBBLETON^YSOLDE"
            src.write_bytes(bytes(data))
            os.utime(src, ns=(large.stamp.mtime + 10**9, large.stamp.mtime + 10**9))
        outcomes[change] = list(write.process(element))
    assert not hasattr(outcomes["none"][0], "tag")  # written
    for change in ("append", "rewrite"):
        (failure,) = outcomes[change]
        record = failure.value
        assert (record["stage"], record["error"]) == ("write", "SourceChangedError"), record
    assert len(list(w["out"].rglob("*.dcm"))) == 1 and not list(w["out"].rglob("*.tmp-*"))
    _no_plant(w["out"])


class TestGuards:
    """The checks the jobs rely on, one by one."""

    @pytest.mark.parametrize("uid", fuzzed_uids(7, 40))
    def test_fuzzed_uid_never_names_a_path(self, uid):
        """A fuzzed value is either a valid UID (digits and dots) or refused by instance_path."""
        from transforms.dicom.outpath import instance_path
        from transforms.dicom.uids import is_valid_uid
        from transforms.errors import InvalidElementError

        if is_valid_uid(uid):
            assert UID.fullmatch(uid) and len(uid) <= 64
            assert instance_path(uid, uid, uid).count("/") == 5
        else:
            with pytest.raises(InvalidElementError, match="StudyInstanceUID is not a valid UID"):
                instance_path(uid, "1.2", "1.3")

    def test_registry_is_the_table_not_the_prefix(self):
        """1.2.840.10008.<anything> is a registry UID only when PS3.6 lists it."""
        from transforms.dicom.uids import is_registry_uid, remap_uid

        assert is_registry_uid("1.2.840.10008.1.2.1") and is_registry_uid("1.2.840.10008.5.1.4.1.1.2")
        for uid in ("1.2.840.10008.99", "1.2.840.10008.99/../x", "1.2.840.10008.1.2.1.999"):
            assert not is_registry_uid(uid) and remap_uid(uid, b"k" * 32).startswith("2.25.")

    def test_confined_refuses_what_leaves_the_root(self, tmp_path):
        """Only plain names under the root: '..', '/', NUL, empty, '.' are refused."""
        from pipeline.connectors.files import confined
        from transforms.errors import OutputPathError

        assert confined(str(tmp_path), "studies/1.2/series/1.3/instances/1.4.dcm").startswith(str(tmp_path))
        for bad in ("../x", "studies/../../x", "/etc/passwd", "a//b", "a/./b", "a\x00b", "..", "a/b\\..", "a/.."):
            with pytest.raises(OutputPathError):
                confined(str(tmp_path), bad)

    def test_clean_up_removes_only_our_temporaries(self, tmp_path):
        """A stranger's *.tmp-* file stays; a killed run's staged copy (our naming) goes."""
        from pipeline.connectors.files import remove_stale_temporaries

        ours = tmp_path / ("1.2.3.dcm.tmp-0123456789ab-" + "ab" * 16)
        strangers = [tmp_path / n for n in ("notes.tmp-1", "1.2.3.dcm.tmp-x", "a.tmp-run-" + "zz" * 16)]
        for p in [ours, *strangers]:
            p.write_bytes(b"x")
        (tmp_path / ("link.dcm.tmp-0123456789ab-" + "cd" * 16)).symlink_to(tmp_path / "notes.tmp-1")
        assert remove_stale_temporaries(str(tmp_path), "fedcba987654") == 1
        assert not ours.exists() and all(p.exists() for p in strangers)

    def test_mapping_rows_hold_uids_only(self):
        """A value with a newline or a comma never becomes a CSV row."""
        from transforms.dicom.uids import mapping_row

        assert mapping_row("1.2.3", "2.25.1") == "1.2.3,2.25.1"
        assert mapping_row("1.2.3\n4,5", "2.25.1") is None and mapping_row("1.2", "2.25,1") is None
        rows = list(csv.reader(io.StringIO("original,new\n1.2.3,2.25.1\n")))
        assert rows == [["original", "new"], ["1.2.3", "2.25.1"]]

    def test_values_that_do_not_fit_their_vr_are_replaced_in_every_profile(self):
        """A stranger's name as DS, IS, CS, AS, DA, TM or US never survives, whatever the profile."""
        from transforms.deid_config import parse_config
        from transforms.dicom.deidentify import Deidentifier

        data = dicom_cases()["mistyped_values.dcm"]
        for cfg in (
            {},
            {"dicomTagConfig": {"profileType": "MINIMAL_KEEP_LIST_PROFILE"}},
            {"dicomTagConfig": {"profileType": "DEIDENTIFY_TAG_CONTENTS"}},
            {"dicomTagConfig": {"profileType": "KEEP_ALL_PROFILE", "options": {"primaryIds": "KEEP"}}},
            {"dicomTagConfig": {"actions": [{"queries": ["SliceThickness", "InstanceNumber"], "keepTag": {}}]}},
        ):
            result = Deidentifier(parse_config(cfg), b"k" * 32)(data)
            assert STRANGER.upper() not in planted_in(result.data), cfg
            assert result.replaced >= 2, cfg

    def test_stow_stream_of_a_changed_source_fails(self, tmp_path):
        """The STOW-RS stream of a large instance copies the tail as examined, or raises SourceChangedError."""
        from pipeline.connectors.dicomweb_store import _ChainReader
        from pipeline.connectors.files import source_stamp
        from transforms.errors import SourceChangedError

        src = tmp_path / "large.dcm"
        src.write_bytes(b"h" * 100 + b"p" * 1000)
        stamp = source_stamp(str(src))
        assert _ChainReader(b"HEAD", str(src), 100, stamp).read(-1) == b"HEAD"
        reader = _ChainReader(b"HEAD", str(src), 100, stamp)
        assert reader.read(4) + reader.read(-1) == b"HEAD" + b"p" * 1000 and reader.read(-1) == b""
        with open(src, "ab") as f:
            f.write(b"WOBBLETON")
        reader = _ChainReader(b"HEAD", str(src), 100, stamp)
        reader.read(4)
        with pytest.raises(SourceChangedError):
            reader.read(-1)

    def test_wado_answer_without_boundary_is_a_bad_store_answer(self):
        """multipart/related without a boundary: DicomwebBadResponse naming the boundary."""
        from transforms.dicom.dicomweb import decode_retrieved
        from transforms.errors import DicomwebBadResponse

        with pytest.raises(DicomwebBadResponse, match="names no boundary"):
            decode_retrieved(b"--x\r\n\r\nDICM\r\n--x--", 'multipart/related; type="application/dicom"')

    def test_deflate_bomb_is_measured_before_it_is_inflated(self):
        """A deflated data set is inflated in counted chunks first: past the limit it is never inflated whole."""
        from transforms.deid_config import parse_config
        from transforms.dicom.deidentify import Deidentifier, StageFailure
        from transforms.dicom.dicomweb import check_instance
        from transforms.errors import InputTooLargeError

        data = deflate_bomb(1, 2_000_000)
        assert len(data) < 20_000
        with pytest.raises(StageFailure) as failure:
            Deidentifier(parse_config({}), b"k" * 32, max_inflated_bytes=500_000)(data)
        assert (failure.value.stage, failure.value.error_type) == ("read", "InputTooLargeError")
        result = Deidentifier(parse_config({}), b"k" * 32, max_inflated_bytes=4_000_000)(data)  # under the limit: read
        assert not planted_in(result.data)
        ds = pydicom.dcmread(io.BytesIO(data), stop_before_pixels=True)
        with pytest.raises(InputTooLargeError):
            check_instance(data, str(ds.StudyInstanceUID), str(ds.SeriesInstanceUID), str(ds.SOPInstanceUID), 500_000)

    def test_deep_nesting(self):
        """Sequences 150 deep are de-identified to the bottom; 1,000 deep fail with a DICOM reason."""
        from transforms.deid_config import parse_config
        from transforms.dicom.deidentify import Deidentifier, StageFailure

        engine = Deidentifier(parse_config({"dicomTagConfig": {"options": {"cleanDescriptors": {}}}}), b"k" * 32)
        result = engine(deep_nesting(1, 150))
        assert not planted_in(result.data)
        depth, item = 0, pydicom.dcmread(io.BytesIO(result.data)).AnatomicRegionSequence[0]
        while "ReferencedImageSequence" in item:
            depth, item = depth + 1, item.ReferencedImageSequence[0]
        assert depth == 150  # kept, not dropped
        with pytest.raises(StageFailure) as failure:
            engine(deep_nesting(2, 1000))
        assert failure.value.error_type == "InvalidInstanceError" and "nested too deep" in failure.value.message
