"""What both commands share around a run: start-up checks, unknown flags, the runner, the end.

Exit status (``EXIT_*``): 0; 2 when the job cannot start (nothing was read or written);
3 when failed/found exceeds ``--max_failure_fraction``; 4 when the job stopped before it
finished (an error no instance could be charged with: an output that became unwritable,
a full disk, a worker lost; outputs written so far are whole files, and a rerun with
``--skip_existing`` finishes the job). Every one of them is reported in one line, never
a traceback. Importing this module does not import Beam.
"""

from __future__ import annotations

import argparse
import difflib
import json
import logging
import re
import sys

from pipeline.cli import OptionError, beam_help, beam_option_classes, help_text, mistyped, parse, wants_help
from pipeline.connectors.files import read_bytes
from pipeline.options import COMMANDS, flags_of

_LOGGER = logging.getLogger(__name__)
EXIT_SETUP = 2
EXIT_FAILURES = 3
EXIT_STOPPED = 4


def start(tool: str, argv: list[str]) -> tuple[int | None, argparse.Namespace | None]:
    """``--help``, ``--help_beam`` and the command's own option values, before Beam is imported.

    Returns (exit status, None) when the command is done (help printed, or a bad value
    reported), else (None, the parsed options).
    """
    what = wants_help(argv)
    if what is not None:
        sys.stdout.write(help_text(tool) if what == "help" else beam_help(tool))
        return 0, None
    try:
        return None, parse(tool, argv)
    except OptionError as exc:
        return cannot_start(tool, [str(exc), *mistyped(tool, argv)]), None


def prepare(tool: str, argv: list[str], load):
    """Everything before the graph is built: help, option values, ``load(options)`` (the job's own
    checks, before Beam is imported for local paths), then Beam's flags and the checks that need
    the network. Returns (exit status, None) when the command is done, else (None, job).
    """
    from pipeline.connectors import gcs
    from pipeline.jobsetup import SetupError
    from pipeline.logs import quiet_beam_logs

    quiet_beam_logs()
    status, args = start(tool, argv)
    if status is not None:
        return status, None
    gcs.configure(argv)
    try:
        job = load(args)
    except SetupError as exc:
        return cannot_start(tool, [*exc.problems, *mistyped(tool, argv)]), None
    status = check_flags(tool, argv)  # Beam from here: its own flags, then gs:// and DICOMweb
    return (status, None) if status is not None else (None, job)


def cannot_start(tool: str, problems: list[str]) -> int:
    """Report why the job cannot start (one line per problem) and return ``EXIT_SETUP``.

    A mistyped flag's hint ("did you mean --output?") replaces the "is required" line it explains.
    """
    meant = [p.split("did you mean ")[1].rstrip("?)") for p in problems if "did you mean " in p]
    problems = [p for p in problems if not ("is required" in p and any(p.startswith(m) for m in meant))]
    if len(problems) == 1:
        print(f"{tool}: the job cannot start: {problems[0]}", file=sys.stderr)
    else:
        print(f"{tool}: the job cannot start:", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
    return EXIT_SETUP


def beam_options(tool: str, argv: list[str]):
    """Beam's PipelineOptions of the command line, the command's own views registered first (imports Beam).

    Beam parses every registered PipelineOptions class; without ours it would warn that
    ``--input`` and the others cannot be parsed.
    """
    from apache_beam.options.pipeline_options import PipelineOptions

    import pipeline.options

    for cls in COMMANDS[tool][0]:
        getattr(pipeline.options, cls.__name__.replace("Arguments", "Options"))
    return PipelineOptions(argv)


def unknown_flags(argv: list[str], tool: str = "dicom-deid") -> list[str]:
    """Return the flags neither Beam nor the command defines (typos must not pass silently); imports Beam."""
    if is_dask(argv):
        _load_dask_options()
    parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    for cls in [*beam_option_classes(), *COMMANDS[tool][0]]:
        try:
            cls._add_argparse_args(parser)
        except argparse.ArgumentError:
            continue  # the same flag defined by two option classes
    _, rest = parser.parse_known_args(argv)
    return [a.split("=")[0] for a in rest if a.startswith("--")]


def check_flags(tool: str, argv: list[str]) -> int | None:
    """Beam's check of the flags the command left to it: ``EXIT_SETUP`` (reported) or None."""
    unknown = unknown_flags(argv, tool)
    if not unknown:
        return None
    known = flags_of(*beam_option_classes(), *COMMANDS[tool][0])
    problems = []
    for flag in unknown:
        close = difflib.get_close_matches(flag, known, n=1, cutoff=0.8)
        problems.append(f"unknown option {flag}" + (f" (did you mean {close[0]}?)" if close else ""))
    return cannot_start(tool, problems)


DASK_RUNNER_NAMES = ("DaskRunner", "dask")


def is_dask(argv_or_options) -> bool:
    """True when the job asks for Beam's DaskRunner (by --runner, or by a --dask_* flag)."""
    if hasattr(argv_or_options, "view_as"):
        from apache_beam.options.pipeline_options import StandardOptions

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
    from apache_beam.options.pipeline_options import DirectOptions, StandardOptions

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


def run_pipeline(pipeline, job, noun: str, tool: str) -> int:
    """Run a built pipeline, wait, print the summary and return the exit status (both commands).

    An error that stops the run (the runner raises) is reported in one line, naming its
    cause and the step, and gives ``EXIT_STOPPED``; Beam's own log of the failing bundle
    (a traceback, the same error) is held back meanwhile.
    """
    muffle = _BundleErrorMuffle()
    muffle.install()
    try:
        return finish(pipeline.run(), job, noun, tool)
    except Exception as exc:  # noqa: BLE001 - the one line below replaces the traceback
        print(f"{tool}: the job stopped before it finished: {stop_cause(exc)}. Outputs written so far are whole "
              "files; a rerun with --skip_existing finishes the job.", file=sys.stderr)
        return EXIT_STOPPED
    finally:
        muffle.remove()


_BEAM_BUNDLE_LOGGERS = ("apache_beam.runners.common", "apache_beam.runners.portability.fn_api_runner.fn_runner",
                        "apache_beam.runners.worker.sdk_worker", "apache_beam.runners.portability.local_job_service")


class _BundleErrorMuffle(logging.Filter):
    """Drop Beam's ERROR log of a failing bundle while a job runs: the error reaches the launcher as an
    exception, reported in one line. Our own loggers and Beam's warnings are untouched."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.ERROR:
            return True
        text = record.getMessage()
        if record.name == "apache_beam.runners.portability.local_job_service":
            return "apache_beam" not in text  # a worker's relayed entry logged by Beam
        return False

    def install(self) -> None:
        for name in _BEAM_BUNDLE_LOGGERS:
            logging.getLogger(name).addFilter(self)

    def remove(self) -> None:
        for name in _BEAM_BUNDLE_LOGGERS:
            logging.getLogger(name).removeFilter(self)


_STEP = re.compile(r"\[while running '([^']+)'\]")
_OS_ERROR = re.compile(r"\b(\w+Error): \[Errno (\d+)\] ([^\[\]]+?)(?:: '([^']*)')?(?: \[|$)")


def stop_cause(exc: BaseException) -> str:
    """The cause of a stopped run in words: an OS error's text and path, else the error's class, and the step.

    Never the error's own message otherwise: it could hold a value.
    """
    inner = exc
    while inner.__cause__ is not None or (inner.__context__ is not None and not inner.__suppress_context__):
        inner = inner.__cause__ or inner.__context__
    text = str(exc)
    step = _STEP.search(text)
    if isinstance(inner, OSError) and inner.strerror:
        cause = inner.strerror + (f": {inner.filename}" if inner.filename else "")
    else:
        found = _OS_ERROR.search(text)
        if found:
            cause = found.group(3).strip() + (f": {found.group(4)}" if found.group(4) else "")
        else:
            cause = type(inner).__name__
    return cause + (f" (step {step.group(1)})" if step else "")


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
    from apache_beam.runners.runner import PipelineState

    if state != PipelineState.DONE:
        if state in (None, PipelineState.RUNNING, PipelineState.PENDING, PipelineState.UNKNOWN):
            # A flex-template launcher only submits the job (nothing ran yet): the summary on
            # disk, if any, is an earlier run's and must not decide this exit status.
            _LOGGER.info("Job state %s; the summary will be written to %s", state, job.summary_output)
            return 0
        print(f"{tool}: the job stopped before it finished: it ended in state {state}", file=sys.stderr)
        return EXIT_STOPPED
    try:
        summary = json.loads(read_bytes(job.summary_output))
    except Exception as exc:
        print(f"{tool}: the job finished but its summary {job.summary_output} cannot be read: {stop_cause(exc)}",
              file=sys.stderr)
        return EXIT_STOPPED
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
