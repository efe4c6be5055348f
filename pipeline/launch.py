"""What both commands share around a run: unknown flags, the runner, the summary and exit status.

Exit status: 0; ``EXIT_SETUP`` (2) when the job cannot start; ``EXIT_FAILURES`` (3) when
failed/found exceeds ``--max_failure_fraction`` or the job did not finish.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys

from apache_beam.options.pipeline_options import DirectOptions, PipelineOptions, StandardOptions
from apache_beam.runners.runner import PipelineState

from pipeline.connectors.files import read_bytes

_LOGGER = logging.getLogger(__name__)
EXIT_SETUP = 2
EXIT_FAILURES = 3


def _all_option_classes(cls=PipelineOptions):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_option_classes(sub)


def unknown_flags(argv: list[str]) -> list[str]:
    """Return the flags no PipelineOptions class defines (typos must not pass silently)."""
    if is_dask(argv):
        _load_dask_options()
    parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    seen = set()
    for cls in _all_option_classes():
        if cls in seen or "_add_argparse_args" not in cls.__dict__:
            continue
        seen.add(cls)
        try:
            cls._add_argparse_args(parser)
        except argparse.ArgumentError:
            continue  # the same flag defined by two option classes
    _, rest = parser.parse_known_args(argv)
    return [a.split("=")[0] for a in rest if a.startswith("--")]


DASK_RUNNER_NAMES = ("DaskRunner", "dask")


def is_dask(argv_or_options) -> bool:
    """True when the job asks for Beam's DaskRunner (by --runner, or by a --dask_* flag)."""
    if isinstance(argv_or_options, PipelineOptions):
        return argv_or_options.view_as(StandardOptions).runner in DASK_RUNNER_NAMES
    args = list(argv_or_options)
    for i, arg in enumerate(args):
        if arg.startswith("--dask_"):
            return True
        if arg.startswith("--runner="):
            if arg.split("=", 1)[1] in DASK_RUNNER_NAMES:
                return True
        elif arg == "--runner" and i + 1 < len(args) and args[i + 1] in DASK_RUNNER_NAMES:
            return True
    return False


def _load_dask_options() -> None:
    """Import Beam's DaskRunner module, which defines the --dask_* options (dask is heavy: only then)."""
    try:
        import apache_beam.runners.dask.dask_runner  # noqa: F401  (registers DaskOptions)
    except ImportError:  # dask not installed: the flags stay unknown and are reported
        pass


class _NotInMemoryWarning(logging.Filter):
    """Drop the FnApiRunner's advice to use multi_processing: the forked workers are that."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "direct_running_mode should be" not in record.getMessage()


def _runner(options: PipelineOptions, worker_command: str | None = None):
    """Return the runner: DirectRunner means Beam's FnApiRunner, run in this process.

    Beam's DirectRunner first tries to download and start the Prism runner binary
    from the internet; a de-identification job must not fetch code at run time,
    and in-memory / multi_processing modes are the FnApiRunner's anyway.
    """
    name = options.view_as(StandardOptions).runner
    if name in (None, "DirectRunner", "direct"):
        from apache_beam.runners.portability.fn_api_runner import FnApiRunner

        if worker_command:
            from apache_beam.transforms.environments import SubprocessSDKEnvironment

            # The FnApiRunner replaces its environment by Beam's worker command in
            # multi_processing mode; in in_memory mode it keeps ours and still runs
            # direct_num_workers workers of it.
            options.view_as(DirectOptions).direct_running_mode = "in_memory"
            logging.getLogger("apache_beam.runners.portability.fn_api_runner.fn_runner").addFilter(_NotInMemoryWarning())
            return FnApiRunner(default_environment=SubprocessSDKEnvironment.from_command_string(worker_command))
        return FnApiRunner()
    if name in DASK_RUNNER_NAMES:
        from pipeline.runners.dask_runner import DeidDaskRunner

        return DeidDaskRunner()
    return None


def finish(result, job, noun: str, tool: str) -> int:
    """Wait for a job, print its summary and return the exit status (shared by both commands).

    ``job`` has ``summary_output``, ``failures_output`` and ``max_failure_fraction``;
    ``noun`` names what was counted in the messages ("instance", "resource").
    """
    try:
        state = result.wait_until_finish() if hasattr(result, "wait_until_finish") else None
    finally:
        client = getattr(result, "client", None)  # DaskRunner: leave the cluster, keep it running
        if client is not None:
            client.close()
    if state != PipelineState.DONE:
        # A flex-template launcher only submits the job (nothing ran yet): the summary on
        # disk, if any, is an earlier run's and must not decide this exit status.
        _LOGGER.info("Job state %s; the summary will be written to %s", state, job.summary_output)
        return 0 if state in (None, PipelineState.RUNNING, PipelineState.PENDING, PipelineState.UNKNOWN) else EXIT_FAILURES
    try:
        summary = json.loads(read_bytes(job.summary_output))
    except Exception:
        _LOGGER.warning("The job finished but its summary %s cannot be read", job.summary_output)
        return EXIT_FAILURES
    print(json.dumps(summary, indent=1, sort_keys=True))
    if summary["failed"]:
        _LOGGER.warning("%d %s(s) failed; see %s", summary["failed"], noun, job.failures_output)
    limit = job.max_failure_fraction
    if limit is not None and summary["found"] and summary["failed"] / summary["found"] > limit:
        print(
            f"{tool}: {summary['failed']} of {summary['found']} {noun}s failed, "
            f"more than --max_failure_fraction={limit}",
            file=sys.stderr,
        )
        return EXIT_FAILURES
    return 0
