"""Incremental runs (--skip_existing), interrupted runs, progress, large-instance copy (DirectRunner)."""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from pipeline.connectors.files import CRASH_ENV, CRASH_EXIT
from pipeline.dicom.run import run
from tests.factories import PHI_NEEDLES, make_dataset, to_bytes
from tests.test_pipeline import outputs, write_archive

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    p = tmp_path / "uid.key"
    p.write_bytes(b"V0hhdCBhIHRlc3Qga2V5IGZvciBVSURzIC0tIDMyIGJ5dGVz\n")
    return p


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    write_archive(tmp_path / "in", studies=1, series=3, instances=3)
    return tmp_path / "in"


def _args(inp: Path, out: Path, key: Path, *extra: str) -> list[str]:
    return ["--input", str(inp), "--output", str(out), "--uid_key_file", str(key), *extra]


def _summary(out: Path) -> dict:
    return json.loads((out / "deid_summary.json").read_text())


def _counts(s: dict) -> tuple[int, ...]:
    assert s["found"] == s["filtered_out"] + s["skipped"] + s["succeeded"] + s["duplicates"] + s["failed"]
    return s["found"], s["skipped"], s["succeeded"], s["failed"]


def test_skip_existing_after_deleting_a_third(tmp_path, archive, key_file):
    """Delete a third of the outputs, rerun with --skip_existing: same bytes, the rest untouched and counted."""
    clean = tmp_path / "clean"
    assert run(_args(archive, clean, key_file)) == 0
    expected = outputs(clean)
    out = tmp_path / "out"
    assert run(_args(archive, out, key_file)) == 0
    files = sorted(out.rglob("*.dcm"))
    deleted = files[::3]
    for p in deleted:
        p.unlink()
    kept = {p: p.stat().st_mtime_ns for p in files if p not in deleted}
    assert run(_args(archive, out, key_file, "--skip_existing=true")) == 0
    assert outputs(out) == expected
    assert {p: p.stat().st_mtime_ns for p in kept} == kept  # skipped outputs were not rewritten
    assert _counts(_summary(out)) == (9, 9 - len(deleted), len(deleted), 0)
    assert _summary(out)["skip_existing"] is True


def test_interrupted_run_then_rerun(tmp_path, archive, key_file):
    """A run killed in the middle of a write leaves a temporary file; the rerun removes it and finishes."""
    clean = tmp_path / "clean"
    assert run(_args(archive, clean, key_file)) == 0
    out = tmp_path / "out"
    env = {**os.environ, CRASH_ENV: "4"}
    cmd = [sys.executable, "-m", "pipeline.dicom.run", *_args(archive, out, key_file)]
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == CRASH_EXIT, proc.stderr[-2000:]
    assert len(list(out.rglob("*.dcm"))) == 4
    assert len(list(out.rglob("*.tmp-*"))) == 1 and not (out / "deid_summary.json").exists()
    assert run(_args(archive, out, key_file, "--skip_existing")) == 0
    assert not list(out.rglob("*.tmp-*"))
    assert outputs(out) == outputs(clean)
    assert _counts(_summary(out)) == (9, 4, 5, 0)


def test_skip_run_removes_staged_copies_a_killed_run_left(tmp_path, archive, key_file):
    """A staged copy (another run's temporary file) next to an output that is now skipped is removed."""
    out = tmp_path / "out"
    assert run(_args(archive, out, key_file)) == 0
    expected = outputs(out)
    final = sorted(out.rglob("*.dcm"))[0]
    left = final.with_name(final.name + ".tmp-0123456789ab-deadbeef")
    left.write_bytes(final.read_bytes())
    assert run(_args(archive, out, key_file, "--skip_existing")) == 0
    assert _counts(_summary(out)) == (9, 9, 0, 0)
    assert not left.exists() and outputs(out) == expected


def test_progress_line_counts_only(tmp_path, archive, key_file, caplog):
    """The DirectRunner logs progress lines with counts and a rate, never a value."""
    with caplog.at_level(logging.INFO, logger="pipeline.progress"):
        assert run(_args(archive, tmp_path / "out", key_file, "--progress_interval=0.01")) == 0
    lines = [r.getMessage() for r in caplog.records if r.name == "pipeline.progress"]
    assert lines and lines[-1].startswith("progress: 9 of 9 instances done (100%), ")
    # Before the paths are matched the total is not known yet: "progress: 0 instances done, n/a".
    assert all(re.fullmatch(r"progress: \d+( of 9)? instances done( \(\d+%\))?, (n/a|[\d.]+/s)", line) for line in lines)
    assert not [n for n in PHI_NEEDLES if any(n in line for line in lines)]


def _large_instance(path: Path, frames: int) -> None:
    ds = make_dataset(index=7)
    ds.NumberOfFrames = frames
    ds.Rows = ds.Columns = 256
    ds.PixelData = np.arange(frames * 256 * 256, dtype=np.uint16).tobytes()
    ds["PixelData"].VR = "OW"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(to_bytes(ds))


def test_large_instance_copy_is_byte_identical(tmp_path, archive, key_file, monkeypatch):
    """With the stream copy on for every instance, outputs equal those of the whole-file engine."""
    import pipeline.dicom.write

    copies = []
    real_copy = pipeline.dicom.write.copy_tail
    monkeypatch.setattr(pipeline.dicom.write, "copy_tail", lambda *a, **k: copies.append(real_copy(*a, **k)))
    _large_instance(archive / "big" / "multi.dcm", frames=20)
    (archive / "bad.dcm").write_bytes(to_bytes(make_dataset(index=5))[:-100])  # truncated pixels
    whole, copied = tmp_path / "whole", tmp_path / "copied"
    assert run(_args(archive, whole, key_file, f"--stream_copy_bytes={10**12}")) == 0
    assert not copies
    assert run(_args(archive, copied, key_file, "--stream_copy_bytes=0")) == 0
    assert len(copies) == 10  # every valid instance went the copy way (in-memory runner: same process)
    assert outputs(copied) == outputs(whole) and len(outputs(whole)) == 10
    assert _counts(_summary(copied)) == _counts(_summary(whole)) == (11, 0, 10, 1)
    assert (copied / "deid_failures.jsonl").read_text() == (whole / "deid_failures.jsonl").read_text()
