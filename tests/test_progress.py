"""The progress reporter logs a line when the counts move, and the final line only if it is new."""

from __future__ import annotations

import logging
import time

from pipeline.progress import ProgressReporter


def _lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "pipeline.progress"]


def test_the_last_line_is_logged_once(caplog):
    """Work done, the job still writing: the periodic line said 100%, release() does not say it again."""
    with caplog.at_level(logging.INFO, logger="pipeline.progress"):
        reporter = ProgressReporter.acquire(0.02, "", run_id="once")
        for _ in range(3):
            reporter.add_found()
            reporter.add()
        time.sleep(0.2)  # ten intervals with the same counts
        reporter.release()
    lines = _lines(caplog)
    assert [line.split(",")[0] for line in lines].count("progress: 3 of 3 instances done (100%)") == 1
    assert lines[-1].startswith("progress: 3 of 3 instances done (100%)")


def test_the_final_line_comes_when_no_periodic_line_did(caplog):
    with caplog.at_level(logging.INFO, logger="pipeline.progress"):
        reporter = ProgressReporter.acquire(60.0, "", run_id="final")
        reporter.add_found()
        reporter.add()
        reporter.release()
    assert [line.split(",")[0] for line in _lines(caplog)] == ["progress: 1 of 1 instances done (100%)"]
