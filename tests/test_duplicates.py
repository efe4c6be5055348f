"""Inputs sharing an output path, output paths of every kind, file modes and the INFO log (DirectRunner)."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from pipeline.dicom.run import run
from tests.factories import PHI_NEEDLES, make_dataset, to_bytes
from tests.test_pipeline import outputs, write_archive

ROOT = Path(__file__).resolve().parents[1]
ANNOTATING = {"dicomTagConfig": {"profileType": "DEIDENTIFY_TAG_CONTENTS"}, "annotation": {"storeQuote": True}}
MULTI = ["--direct_running_mode=multi_processing", "--direct_num_workers=2"]


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    p = tmp_path / "uid.key"
    p.write_bytes(b"V0hhdCBhIHRlc3Qga2V5IGZvciBVSURzIC0tIDMyIGJ5dGVz\n")
    return p


def _summary(path: Path) -> dict:
    s = json.loads(path.read_text())
    assert s["found"] == s["filtered_out"] + s["skipped"] + s["succeeded"] + s["duplicates"] + s["failed"]
    return s


def _counts(s: dict) -> tuple[int, ...]:
    return s["found"], s["skipped"], s["succeeded"], s["duplicates"], s["failed"]


def _mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


def _no_temporaries(out: Path) -> bool:
    return not list(out.rglob("*.tmp-*"))


def test_identical_inputs_are_written_once_and_counted_as_duplicates(tmp_path, key_file):
    """The same file under two names: one output, duplicates=1, listed once in mapping and annotations, 0600."""
    inp = tmp_path / "in"
    paths = write_archive(inp, instances=3)
    (inp / "copies").mkdir()
    (inp / "copies" / "again.dcm").write_bytes(paths[0].read_bytes())
    cfg = tmp_path / "config.json"
    cfg.write_text(json.dumps(ANNOTATING))
    out, mapping, ann = tmp_path / "out", tmp_path / "map.csv", tmp_path / "ann"
    args = ["--input", str(inp), "--output", str(out), "--uid_key_file", str(key_file), "--config", str(cfg),
            "--uid_mapping_output", str(mapping), "--annotations_output", str(ann)]
    old_umask = os.umask(0)  # the most permissive umask: the re-identifying files stay owner-only anyway
    try:
        assert run(args) == 0
    finally:
        os.umask(old_umask)
    assert _counts(_summary(out / "deid_summary.json")) == (4, 0, 3, 1, 0)
    first = outputs(out)
    assert len(first) == 3 and _no_temporaries(out)
    assert (out / "deid_failures.jsonl").read_text() == ""
    rows = mapping.read_text().splitlines()
    assert rows[0] == "original,new" and len(rows) == len(set(rows))
    assert len({r.split(",")[0] for r in rows}) == len(rows)  # one new UID per original
    lines = [line for f in sorted(ann.glob("*.jsonl")) for line in f.read_text().splitlines()]
    # The first by source name is kept: copies/again.dcm; st0/se0/im0.dcm is the duplicate.
    assert len(lines) == 3 and sum("copies/again.dcm" in line for line in lines) == 1
    assert not [line for line in lines if "st0/se0/im0.dcm" in line]
    assert _mode(mapping) == 0o600 and {_mode(f) for f in ann.glob("*.jsonl")} == {0o600}
    # A rerun writes the same bytes and reports the same counts (its earlier outputs are no duplicates).
    assert run(args) == 0
    assert outputs(out) == first and _no_temporaries(out)
    assert _counts(_summary(out / "deid_summary.json")) == (4, 0, 3, 1, 0)
    assert _mode(mapping) == 0o600
    assert run([*args, "--skip_existing"]) == 0
    assert _counts(_summary(out / "deid_summary.json")) == (4, 4, 0, 0, 0)
    assert outputs(out) == first


def _conflicting_inputs(folder: Path) -> dict[str, bytes]:
    """a, b and c share their UIDs; b differs from a in its pixels only, c in its FrameOfReferenceUID."""
    a = make_dataset(index=0)
    b = make_dataset(index=0)
    b.PixelData = np.full((8, 8), 7, dtype=np.uint16).tobytes()
    c = make_dataset(index=0)
    c.FrameOfReferenceUID = "1.2.826.0.1.3680043.8.498.777777"
    files = {"a.dcm": to_bytes(a), "b.dcm": to_bytes(b), "c.dcm": to_bytes(c)}
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return files


def test_same_uids_other_bytes_keep_the_first_and_record_conflicts(tmp_path, key_file):
    """a kept, b and c InstanceConflictError at write: in memory, with 2 workers and stream copy, over reruns."""
    inp = tmp_path / "in"
    _conflicting_inputs(inp)
    alone = tmp_path / "alone"
    alone.mkdir()
    (alone / "a.dcm").write_bytes((inp / "a.dcm").read_bytes())
    key = ["--uid_key_file", str(key_file)]
    assert run(["--input", str(alone), "--output", str(tmp_path / "ref"), *key]) == 0
    expected = outputs(tmp_path / "ref")
    assert len(expected) == 1
    # Another run placed c's output first: the decision still keeps a (the first by source name).
    only_c = tmp_path / "only_c"
    only_c.mkdir()
    (only_c / "c.dcm").write_bytes((inp / "c.dcm").read_bytes())
    reused = tmp_path / "reused"
    assert run(["--input", str(only_c), "--output", str(reused), *key]) == 0
    assert outputs(reused) != expected
    runs = [
        ("memory", [], tmp_path / "m"),
        ("workers", [*MULTI, "--stream_copy_bytes=0"], tmp_path / "w"),
        ("rerun", [], tmp_path / "w"),
        ("reused", [*MULTI], reused),
    ]
    records_seen = []
    for name, extra, out in runs:
        mapping = tmp_path / f"map-{name}.csv"
        args = ["--input", str(inp), "--output", str(out), *key, "--uid_mapping_output", str(mapping), *extra]
        assert run(args) == 0, name
        assert outputs(out) == expected, name
        assert _no_temporaries(out), name
        s = _summary(out / "deid_summary.json")
        assert _counts(s) == (3, 0, 1, 0, 2) and s["failed_by_stage"] == {"write": 2}, name
        records = [json.loads(line) for line in (out / "deid_failures.jsonl").read_text().splitlines()]
        assert [Path(r["source"]).name for r in records] == ["b.dcm", "c.dcm"], name
        for r in records:
            assert r["stage"] == "write" and r["error"] == "InstanceConflictError"
            assert str(inp / "a.dcm") in r["message"] and r["source"] in r["message"]
            assert not [n for n in PHI_NEEDLES if n in r["message"]]
        records_seen.append(records)
        originals = {row.split(",")[0] for row in mapping.read_text().splitlines()[1:]}
        assert "1.2.826.0.1.3680043.8.498.777777" not in originals  # c (not written) is not in the mapping
        assert make_dataset(index=0).FrameOfReferenceUID in originals
    assert all(r == records_seen[0] for r in records_seen)


def test_bare_and_relative_output_names_from_another_directory(tmp_path, key_file):
    """Bare names and relative paths land in the working directory; 0600 files; INFO log holds our lines only."""
    inp = tmp_path / "in"
    write_archive(inp, instances=2)
    (inp / "junk.bin").write_bytes(b"junk")
    cfg = tmp_path / "config.json"
    cfg.write_text(json.dumps(ANNOTATING))
    cwd = tmp_path / "elsewhere"
    cwd.mkdir()
    cmd = [
        sys.executable, "-m", "pipeline.dicom.run", "--input", str(inp), "--output", "out",
        "--uid_key_file", str(key_file), "--config", str(cfg),
        "--failures_output", "fails.jsonl", "--summary_output", "reports/summary.json",
        "--uid_mapping_output", "map.csv", "--annotations_output", "ann", *MULTI,
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=300,
                          preexec_fn=lambda: os.umask(0o002))
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert _counts(_summary(cwd / "reports" / "summary.json")) == (3, 0, 2, 0, 1)
    records = [json.loads(line) for line in (cwd / "fails.jsonl").read_text().splitlines()]
    assert [Path(r["source"]).name for r in records] == ["junk.bin"]
    assert len(outputs(cwd / "out")) == 2 and not (cwd / "out" / "deid_failures.jsonl").exists()
    assert _mode(cwd / "map.csv") == 0o600
    assert [_mode(f) for f in (cwd / "ann").glob("*.jsonl")] == [0o600]
    assert _mode(cwd / "fails.jsonl") == 0o664  # not re-identifying: the umask decides
    # The INFO log: ours, and the workers' entries our code logged; no Beam chatter.
    info = [line for line in proc.stderr.splitlines() if line.startswith("INFO ")]
    assert "Converting string literal type hint" not in proc.stderr
    assert any("De-identifying" in line for line in info) and any("progress" in line for line in info)
    for line in info:
        name = line.split()[1].rstrip(":")
        if name == "apache_beam.runners.portability.local_job_service":
            location = re.search(r'log_location: "([^"]*)"', line).group(1)
            assert "/pipeline/" in location or "/transforms/" in location, line
        else:
            assert name == "__main__" or name.split(".")[0] in ("pipeline", "transforms"), line


@pytest.mark.parametrize("renameat2", [None, False], ids=["renameat2", "hard link"])
def test_place_instance_creates_only_if_absent(tmp_path: Path, monkeypatch, renameat2):
    """The first writer of a path places it; a later one is staged, the placed bytes untouched (both ways)."""
    from pipeline.connectors import files

    monkeypatch.setattr(files, "_RENAMEAT2", renameat2)  # None: loaded on first use; False: the fallback
    final = str(tmp_path / "studies" / "1" / "x.dcm")
    made: set[str] = set()
    assert files.place_instance(final, lambda f: f.write(b"first"), made, "run") == (None, True, None)
    digest, placed, staged = files.place_instance(final, lambda f: f.write(b"second"), made, "run")
    assert (digest, placed) == (None, False) and staged and Path(staged).read_bytes() == b"second"
    assert Path(final).read_bytes() == b"first"
    assert sorted(p.name for p in Path(final).parent.iterdir()) == sorted(["x.dcm", Path(staged).name])
    if renameat2 is None and sys.platform.startswith("linux"):
        assert files._RENAMEAT2  # glibc has it: the one-operation way was the one tested
