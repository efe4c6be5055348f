"""multi_processing workers forked from the launcher (pipeline.runners.forkworkers) against Beam's own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from pipeline.runners import forkworkers
from pipeline.dicom.run import FORK_ENV, run
from tests.test_pipeline import outputs, write_archive

MP = ["--direct_running_mode=multi_processing", "--direct_num_workers=2"]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_forked_workers_write_what_beams_workers_write(tmp_path: Path, key_file: Path, monkeypatch):
    inp = tmp_path / "in"
    write_archive(inp, studies=2, series=2, instances=2)
    (inp / "empty.dcm").write_bytes(b"")
    commands = []
    command = forkworkers.ForkServer.command

    def counted(self):
        commands.append(self)
        return command(self)

    monkeypatch.setattr(forkworkers.ForkServer, "command", counted)
    results = {}
    for name, fork in (("forked", "1"), ("beam", "0"), ("forked again", "1")):
        monkeypatch.setenv(FORK_ENV, fork)
        out = tmp_path / name
        assert run(["--input", str(inp), "--output", str(out), "--uid_key_file", str(key_file), *MP]) == 0
        summary = json.loads((out / "deid_summary.json").read_text())
        results[name] = (outputs(out), (out / "deid_failures.jsonl").read_bytes(), summary["succeeded"], summary["failed"])
    assert len(commands) == 2 and commands[0] is commands[1]  # one server, used by both forked runs
    assert results["forked"] == results["beam"] == results["forked again"]
    assert results["forked"][2:] == (8, 1)
    server = commands[0]
    server.close()  # as at exit: waits for its workers, removes its socket folder
    assert server.pid is None and not os.path.exists(server.folder)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_command_line_forks_its_workers_from_itself(tmp_path: Path, key_file: Path, monkeypatch):
    """``dicom-deid`` (a fresh process) forks the worker server from itself: same bytes as in memory."""
    inp = tmp_path / "in"
    write_archive(inp, studies=2, series=2, instances=2)
    (inp / "empty.dcm").write_bytes(b"")
    monkeypatch.setenv(FORK_ENV, "1")
    common = ["--input", str(inp), "--uid_key_file", str(key_file)]
    assert run([*common, "--output", str(tmp_path / "memory")]) == 0
    script = (
        "import sys; from pipeline.runners import forkworkers; from pipeline.dicom import run\n"
        "made = []\n"
        "init = forkworkers.ForkServer.__init__\n"
        "def spy(self, fork_here=False):\n"
        "    init(self, fork_here)\n"
        "    made.append(self.forked)\n"
        "forkworkers.ForkServer.__init__ = spy\n"
        "code = run.run(sys.argv[1:], fresh_process=True)\n"
        "print('FORKED', made)\n"
        "sys.exit(code)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    proc = subprocess.run(
        [sys.executable, "-c", script, *common, "--output", str(tmp_path / "cli"), *MP],
        capture_output=True, text=True, env=env, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "FORKED [True]" in proc.stdout
    assert outputs(tmp_path / "cli") == outputs(tmp_path / "memory")
    for name in ("deid_failures.jsonl",):
        assert (tmp_path / "cli" / name).read_bytes() == (tmp_path / "memory" / name).read_bytes()
    summary = json.loads((tmp_path / "cli" / "deid_summary.json").read_text())
    assert (summary["succeeded"], summary["failed"], summary["found"]) == (8, 1, 9)
    assert not list(Path(tempfile.gettempdir()).glob("deid-workers-*/workers.sock.new"))


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    p = tmp_path / "uid.key"
    p.write_bytes(b"V0hhdCBhIHRlc3Qga2V5IGZvciBVSURzIC0tIDMyIGJ5dGVz\n")
    return p
