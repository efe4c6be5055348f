"""Progress of a running job: Beam metrics (Dataflow) and a periodic log line (DirectRunner).

``_ProgressFn`` sees every final outcome (filtered out, skipped, succeeded,
failed) as it happens, with the number of instances found as a side input. It
bumps the ``deid`` counters ``done``, ``succeeded``, ``skipped``,
``filtered_out``, ``failed`` and the gauge ``found`` (the figures the Dataflow
job page shows), and, when ``interval`` > 0, a reporter thread of the worker
process logs ``progress: DONE of FOUND instances done (P%), R/s`` every
``interval`` seconds and once at the end. The line holds counts only.
"""

from __future__ import annotations

import logging
import threading
import time

import apache_beam as beam
from apache_beam.metrics import Metrics

_LOGGER = logging.getLogger(__name__)
_OUTCOMES = ("succeeded", "skipped", "filtered_out", "failed")


class ProgressReporter:
    """Process-wide counts and the thread that logs them; shared by the DoFn instances."""

    _lock = threading.Lock()
    _shared: ProgressReporter | None = None

    def __init__(self, interval: float, scope: str) -> None:
        self.interval = interval
        self.scope = scope
        self.done = 0
        self.found = 0
        self.users = 0
        self.first: float | None = None
        self.last = 0.0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @classmethod
    def acquire(cls, interval: float, scope: str) -> ProgressReporter:
        """Return the process's reporter, starting its thread on first use."""
        with cls._lock:
            if cls._shared is None:
                cls._shared = cls(interval, scope)
                if interval > 0:
                    thread = threading.Thread(target=cls._shared._loop, name="deid-progress", daemon=True)
                    cls._shared._thread = thread
                    thread.start()
            cls._shared.users += 1
            return cls._shared

    def release(self) -> None:
        """Drop one user; the last one stops the thread and logs the final line."""
        with self._lock:
            self.users -= 1
            if self.users > 0:
                return
            if ProgressReporter._shared is self:
                ProgressReporter._shared = None
        self._stop.set()
        if self.interval > 0:
            self.log()

    def add(self, found: int) -> None:
        """Count one finished instance."""
        now = time.monotonic()
        with self._lock:
            self.done += 1
            self.found = max(self.found, found)
            if self.first is None:
                self.first = now
            self.last = now

    def line(self) -> str:
        """The progress line: counts, share and rate (from the first to the latest instance done)."""
        share = f" ({100 * self.done / self.found:.0f}%)" if self.found else ""
        span = self.last - self.first if self.first is not None else 0.0
        rate = f"{(self.done - 1) / span:.1f}/s" if span > 0 else "n/a"
        return f"progress{self.scope}: {self.done} of {self.found} instances done{share}, {rate}"

    def log(self) -> None:
        """Log the progress line at INFO."""
        _LOGGER.info("%s", self.line())

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self.log()


class _ProgressFn(beam.DoFn):
    """outcome -> outcome (pass-through); counts it; side input ``found``: instances matched."""

    def __init__(self, interval: float, scope: str = "") -> None:
        self._interval = interval
        self._scope = scope
        self._done = Metrics.counter("deid", "done")
        self._by_outcome = {o: Metrics.counter("deid", o) for o in _OUTCOMES}
        self._found = Metrics.gauge("deid", "found")

    def setup(self) -> None:
        self._reporter = ProgressReporter.acquire(self._interval, self._scope)

    def process(self, outcome: str, found: int):
        self._reporter.add(found)
        self._done.inc()
        self._by_outcome[outcome.split(":")[0]].inc()
        self._found.set(found)
        yield outcome

    def teardown(self) -> None:
        self._reporter.release()


class TrackProgress(beam.PTransform):
    """Pass outcomes through ``_ProgressFn`` with the count of found paths as side input."""

    def __init__(self, found, interval: float, scope: str = "") -> None:
        super().__init__()
        self._found = found
        self._interval = interval
        self._scope = scope

    def expand(self, outcomes):
        return outcomes | "CountProgress" >> beam.ParDo(
            _ProgressFn(self._interval, self._scope), found=beam.pvalue.AsSingleton(self._found)
        )
