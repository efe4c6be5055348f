"""multi_processing workers forked from the launcher (pipeline.forkworkers) against Beam's own."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from pipeline import forkworkers
from pipeline.run import FORK_ENV, run
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


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    p = tmp_path / "uid.key"
    p.write_bytes(b"V0hhdCBhIHRlc3Qga2V5IGZvciBVSURzIC0tIDMyIGJ5dGVz\n")
    return p
