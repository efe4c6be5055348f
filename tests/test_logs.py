"""Beam's INFO chatter silenced logger by logger; our loggers and worker errors untouched (pure)."""

from __future__ import annotations

import logging

from pipeline.logs import CHATTY_LOGGERS, WORKER_RELAY_LOGGER, WorkerEntryFilter, quiet_beam_logs


def _relayed(level: int, location: str) -> logging.LogRecord:
    entry = f'severity: INFO timestamp {{ seconds: 1 }} message: "x" log_location: "{location}" thread: "MainThread"'
    return logging.LogRecord(WORKER_RELAY_LOGGER, level, __file__, 1, "Worker: %s", (entry,), None)


def test_relayed_worker_entries_keep_ours_and_errors():
    f = WorkerEntryFilter()
    beam = "/venv/lib/python3.11/site-packages/apache_beam/runners/worker/sdk_worker.py:246"
    assert not f.filter(_relayed(logging.INFO, beam))
    assert not f.filter(_relayed(logging.WARNING, beam))
    assert f.filter(_relayed(logging.ERROR, beam))
    assert f.filter(_relayed(logging.INFO, "/repo/pipeline/progress.py:104"))
    assert f.filter(_relayed(logging.WARNING, "/repo/pipeline/dicom/deidentify.py:62"))
    plain = logging.LogRecord(WORKER_RELAY_LOGGER, logging.INFO, __file__, 1, "Job state %s", ("DONE",), None)
    assert f.filter(plain)  # not a relayed worker entry


def test_quiet_beam_logs_raises_only_the_named_loggers():
    quiet_beam_logs()
    quiet_beam_logs()  # idempotent: one filter
    for name in CHATTY_LOGGERS:
        assert not logging.getLogger(name).isEnabledFor(logging.INFO)
        assert logging.getLogger(name).isEnabledFor(logging.WARNING)
    assert sum(isinstance(x, WorkerEntryFilter) for x in logging.getLogger(WORKER_RELAY_LOGGER).filters) == 1
    root = logging.getLogger()
    saved = root.level
    root.setLevel(logging.INFO)
    try:
        assert logging.getLogger("pipeline.progress").isEnabledFor(logging.INFO)
        assert logging.getLogger("apache_beam.runners.dataflow.dataflow_runner").isEnabledFor(logging.INFO)
    finally:
        root.setLevel(saved)
