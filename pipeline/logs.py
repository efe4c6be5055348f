"""Keep a run's INFO log to our own lines: Beam's internal chatter is silenced, logger by logger.

Beam logs at INFO what only its developers need (``Converting string literal
type hint to Any`` for every string annotation, state-cache sizes, gRPC
servers and channels of the local runner). Those loggers are raised to
WARNING; every other logger (ours, and Beam's runners that report a job's
state, such as Dataflow's) is left as it is. With
``--direct_running_mode=multi_processing`` the worker processes' log entries
reach the launcher through one Beam logger as ``Worker: <log entry>``; a
filter there keeps the entries our code logged and the worker's errors.
"""

from __future__ import annotations

import logging
import re

# Beam loggers whose INFO lines are internal detail (their warnings and errors still show).
CHATTY_LOGGERS = (
    "apache_beam.typehints.native_type_compatibility",
    "apache_beam.runners.worker.statecache",
    "apache_beam.runners.worker.sdk_worker",
    "apache_beam.runners.worker.sdk_worker_main",
    "apache_beam.runners.worker.data_plane",
    "apache_beam.runners.portability.fn_api_runner.worker_handlers",
    "apache_beam.runners.portability.fn_api_runner.fn_runner",
)
# The launcher-side logger that relays worker processes' entries (multi_processing).
WORKER_RELAY_LOGGER = "apache_beam.runners.portability.local_job_service"
_LOCATION = re.compile(r'log_location: "([^"]*)"')
_OWN_PACKAGES = ("pipeline", "transforms")


class WorkerEntryFilter(logging.Filter):
    """Drop relayed worker entries that Beam itself logged below ERROR; keep ours and all errors."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not str(record.msg).startswith("Worker:") or record.levelno >= logging.ERROR:
            return True
        text = str(record.args[0]) if isinstance(record.args, tuple) and record.args else record.getMessage()
        match = _LOCATION.search(text)
        if match is None:
            return True
        return not _is_beam(match.group(1))


def _is_beam(location: str) -> bool:
    parts = re.split(r"[\\/]", location)
    if "apache_beam" in parts:
        return True
    return not any(p in _OWN_PACKAGES for p in parts[:-1])


_FILTER = WorkerEntryFilter()


def quiet_beam_logs() -> None:
    """Silence Beam's INFO chatter (idempotent); our own loggers keep INFO."""
    for name in CHATTY_LOGGERS:
        logger = logging.getLogger(name)
        if logger.level == logging.NOTSET or logger.level < logging.WARNING:
            logger.setLevel(logging.WARNING)
    relay = logging.getLogger(WORKER_RELAY_LOGGER)
    if _FILTER not in relay.filters:
        relay.addFilter(_FILTER)
