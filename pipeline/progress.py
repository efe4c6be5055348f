"""Progress of a running job: Beam metrics (Dataflow) and a periodic log line (DirectRunner).

``Progress`` is held by the DoFns that match paths and finish instances and
counts every matched path (``found``) and every instance done where it happens
(read and filtered out, skipped, failed, or written), and each final outcome
(filtered out, skipped, succeeded, duplicates, failed). An instance written is
done when its bytes are written; whether it is kept or a duplicate is decided
after every input of its output path is written (see ``pipeline.connectors.files``). It
bumps the ``deid`` counters ``found``, ``done``, ``succeeded``, ``duplicates``,
``skipped``, ``filtered_out`` and ``failed`` (the figures the Dataflow job page
shows), and, when ``interval`` > 0,
a reporter thread of the worker process logs ``progress: DONE of FOUND instances
done (P%), R/s`` every ``interval`` seconds and once at the end (with several
worker processes, each logs its own; FOUND is known in the one that matched the
paths). The line holds counts only.
"""

from __future__ import annotations

import logging
import threading
import time

import apache_beam as beam
from apache_beam.metrics import Metrics

_LOGGER = logging.getLogger(__name__)
_OUTCOMES = ("succeeded", "duplicates", "skipped", "filtered_out", "failed")


class ProgressReporter:
    """Process-wide counts and the thread that logs them; shared by the DoFn instances."""

    _lock = threading.Lock()
    _shared: ProgressReporter | None = None

    def __init__(self, interval: float, scope: str, run_id: str = "", keep: bool = False) -> None:
        self.run_id = run_id
        self.keep = keep
        self._logged: int | None = None
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
    def acquire(cls, interval: float, scope: str, run_id: str = "", keep: bool = False) -> ProgressReporter:
        """Return the process's reporter of this run, starting its thread on first use.

        A reporter left by another run (whose steps were not torn down) is stopped.
        With ``keep`` (a dask worker, whose DoFns are set up once per partition) the
        reporter outlives its last user: counts add up over the whole run, and the
        thread logs only when they changed since its last line.
        """
        with cls._lock:
            if cls._shared is not None and cls._shared.run_id != run_id:
                cls._shared._stop.set()
                cls._shared = None
            if cls._shared is None:
                cls._shared = cls(interval, scope, run_id, keep)
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
            if self.users > 0 or self.keep:
                return
            if ProgressReporter._shared is self:
                ProgressReporter._shared = None
        self._stop.set()
        if self.interval > 0:
            self.log()

    def add_found(self) -> None:
        """Count one matched path (known in the process that matched it)."""
        with self._lock:
            self.found += 1

    def add(self) -> None:
        """Count one finished instance."""
        now = time.monotonic()
        with self._lock:
            self.done += 1
            if self.first is None:
                self.first = now
            self.last = now

    def line(self) -> str:
        """The progress line: counts, share and rate (from the first to the latest instance done)."""
        span = self.last - self.first if self.first is not None else 0.0
        rate = f"{(self.done - 1) / span:.1f}/s" if span > 0 else "n/a"
        if self.found:
            return f"progress{self.scope}: {self.done} of {self.found} instances done ({100 * self.done / self.found:.0f}%), {rate}"
        return f"progress{self.scope}: {self.done} instances done, {rate}"

    def log(self) -> None:
        """Log the progress line at INFO."""
        _LOGGER.info("%s", self.line())

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            if self.keep:
                with self._lock:
                    changed = self._logged != self.done
                    self._logged = self.done
                if not changed:
                    continue
            self.log()


class Progress:
    """Held by each DoFn that finishes instances; counts outcomes where they happen.

    Counting inside the steps that do the work (not in a step of its own) keeps
    the figures live: a separate step may run only after the work is done.
    """

    def __init__(self, interval: float, scope: str = "", run_id: str = "", keep: bool = False) -> None:
        self._interval = interval
        self._keep = keep
        self._scope = scope
        self._run_id = run_id
        self._reporter: ProgressReporter | None = None
        self._done = Metrics.counter("deid", "done")
        self._by_outcome = {o: Metrics.counter("deid", o) for o in (*_OUTCOMES, "found")}

    def start(self) -> None:
        """Call from DoFn.setup."""
        self._reporter = ProgressReporter.acquire(self._interval, self._scope, self._run_id, self._keep)

    def found(self) -> None:
        """Count a matched path."""
        self._by_outcome["found"].inc()
        self._reporter.add_found()

    def finished(self, outcome: str | None) -> None:
        """Count an instance done, with its final outcome (skipped, filtered_out, failed) or None.

        None: the instance is written and its outcome (succeeded or duplicates)
        comes later, through ``outcome``.
        """
        if outcome is not None:
            self._by_outcome[outcome].inc()
        self._done.inc()
        self._reporter.add()

    def outcome(self, outcome: str) -> None:
        """Count the outcome of an instance already counted done: succeeded, duplicates or failed."""
        self._by_outcome[outcome].inc()

    def stop(self) -> None:
        """Call from DoFn.teardown."""
        if self._reporter is not None:
            self._reporter.release()
            self._reporter = None


class _FoundFn(beam.DoFn):
    """File metadata -> (path, size); counts the path as found."""

    def __init__(self, progress: Progress) -> None:
        self._progress = progress

    def setup(self) -> None:
        self._progress.start()

    def process(self, meta):
        self._progress.found()
        yield meta.path, meta.size_in_bytes

    def teardown(self) -> None:
        self._progress.stop()
