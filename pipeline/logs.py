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
    """Drop relayed worker entries that Beam itself logged below ERROR; keep ours and all errors.

    An entry of ours is shown as its own line: ``INFO pipeline.progress (worker): progress
    ...`` rather than Beam's ``Worker: severity: INFO timestamp { ... } message: "..."``.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if not str(record.msg).startswith("Worker:"):
            return True
        text = str(record.args[0]) if isinstance(record.args, tuple) and record.args else record.getMessage()
        match = _LOCATION.search(text)
        if match is None:
            return True
        if _is_beam(match.group(1)):
            return record.levelno >= logging.ERROR
        message = _MESSAGE.search(text)
        if message is not None:
            record.name = _module(match.group(1)) + " (worker)"
            record.msg, record.args = "%s", (_unescape(message.group(1)),)
        return True


_MESSAGE = re.compile(r'message: "((?:[^"\\]|\\.)*)"')


def _module(location: str) -> str:
    """``/repo/pipeline/progress.py:104`` -> ``pipeline.progress``."""
    parts = re.split(r"[\\/]", location.rsplit(":", 1)[0])
    for i, part in enumerate(parts):
        if part in _OWN_PACKAGES:
            return ".".join(parts[i:]).removesuffix(".py")
    return parts[-1].removesuffix(".py")


def _unescape(text: str) -> str:
    """Undo the text-format escapes of a relayed message (quotes, backslashes, octal UTF-8 bytes)."""
    try:
        return text.encode("latin-1", "backslashreplace").decode("unicode_escape").encode("latin-1").decode("utf-8")
    except (UnicodeError, ValueError):
        return text


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
