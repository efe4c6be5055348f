"""A local command-line job leaves Beam's Cloud I/O modules out (pipeline.runners.lean); any Cloud flag keeps them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.runners.lean import local_job
from pipeline.dicom.run import run
from tests.test_pipeline import outputs, write_archive


@pytest.mark.parametrize(
    "argv, local",
    [
        (["--input", "in", "--output", "out"], True),
        (["--input", "in", "--output", "out", "--runner", "DirectRunner"], True),
        (["--input", "in", "--output", "out", "--runner=direct", "--direct_num_workers=2"], True),
        (["--input", "gs://bucket/in", "--output", "out"], False),
        (["--input", "in", "--output", "out", "--uid_key_file=gs://b/k"], False),
        (["--input", "in", "--output", "out", "--runner", "DataflowRunner"], False),
        (["--input", "in", "--output", "out", "--runner=DaskRunner"], False),
        (["--input", "in", "--output", "out", "--runner"], False),
        (["--input", "in", "--output", "out", "--filter_table", "p.d.t"], False),
        (["--input", "in", "--output", "out", "--annotations_table=p:d.t"], False),
        (["--input", "in", "--output", "out", "--project", "p"], False),
        (["--input", "in", "--output", "out", "--dask_client_address", "h:8786"], False),
    ],
)
def test_local_job(argv, local):
    assert local_job(argv) is local


_PROBE = (
    "import atexit, sys\n"
    "atexit.register(lambda: print('CLOUD_IO', 'apache_beam.io.gcp.gcsio' in sys.modules and sys.modules['apache_beam.io.gcp.gcsio'] is not None))\n"
    "import runpy\n"
    "sys.argv = ['dicom-deid', *sys.argv[1:]]\n"
    "runpy.run_module('pipeline.dicom.run', run_name='__main__')\n"
)


def _cli(args: list[str]) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    return subprocess.run([sys.executable, "-c", _PROBE, *args], capture_output=True, text=True, env=env, timeout=300)


def test_command_line_local_job_skips_cloud_io_and_writes_the_same_bytes(tmp_path: Path, key_file: Path):
    inp = tmp_path / "in"
    write_archive(inp, studies=1, series=2, instances=2)
    common = ["--input", str(inp), "--uid_key_file", str(key_file)]
    assert run([*common, "--output", str(tmp_path / "in_process")]) == 0
    proc = _cli([*common, "--output", str(tmp_path / "cli")])
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "CLOUD_IO False" in proc.stdout
    assert outputs(tmp_path / "cli") == outputs(tmp_path / "in_process") and len(outputs(tmp_path / "cli")) == 4


def test_command_line_with_a_cloud_path_imports_cloud_io(tmp_path: Path, key_file: Path):
    proc = _cli(["--input", "gs://no-such-bucket-deid-test/in"])  # stops at set-up (no --output): no network
    assert "CLOUD_IO True" in proc.stdout, proc.stderr[-2000:]


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    p = tmp_path / "uid.key"
    p.write_bytes(b"V0hhdCBhIHRlc3Qga2V5IGZvciBVSURzIC0tIDMyIGJ5dGVz\n")
    return p
