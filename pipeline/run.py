"""Entry point: ``dicom-deid`` / ``python -m pipeline.run`` (and the flex-template PY_FILE).

Parses options, validates the whole job before the pipeline starts, runs the
graph, prints the summary and sets the exit status.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import os
import sys

from pipeline.lean import skip_cloud_io

if __name__ == "__main__" or os.path.basename(sys.argv[0]) == "dicom-deid":  # the command line, before Beam
    skip_cloud_io(sys.argv[1:])
    # numpy's OpenBLAS would start a thread per core in every process (the launcher, each
    # worker), which spin after any call; the job's parallelism is its worker processes.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import apache_beam as beam  # noqa: E402
from apache_beam.runners.runner import PipelineState  # noqa: E402
from apache_beam.options.pipeline_options import DirectOptions, PipelineOptions, StandardOptions  # noqa: E402

from pipeline.config import JobConfig, SetupError  # noqa: E402
from pipeline.files import read_bytes  # noqa: E402
from pipeline.dicom_graph import build  # noqa: E402
from pipeline.logs import quiet_beam_logs  # noqa: E402
from pipeline.forkworkers import fork_server  # noqa: E402
from pipeline.options import DeidOptions  # noqa: E402

_LOGGER = logging.getLogger(__name__)
EXIT_SETUP = 2
EXIT_FAILURES = 3
FORK_ENV = "DEID_FORK_WORKERS"  # 0: Beam's own multi_processing workers (fresh interpreters)


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


def _forks_workers(options: PipelineOptions) -> bool:
    """multi_processing workers are forked from this process unless DEID_FORK_WORKERS=0."""
    direct = options.view_as(DirectOptions)
    return (
        options.view_as(StandardOptions).runner in (None, "DirectRunner", "direct")
        and direct.direct_running_mode == "multi_processing"
        and os.environ.get(FORK_ENV, "1") != "0"
    )


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
        from pipeline.dask_runner import DeidDaskRunner

        return DeidDaskRunner()
    return None


def _with_progress_scope(job: JobConfig, options: PipelineOptions) -> JobConfig:
    """Progress lines on the DirectRunner and the DaskRunner (Dataflow shows the same figures as metrics).

    With multi_processing, and on dask, each worker process logs the instances it finished.
    The lines never come from Beam metrics (the DaskRunner collects none).
    """
    if is_dask(options):
        # Each dask worker process logs what it finished; its DoFns are set up and torn
        # down once per partition, so the reporter lives for the whole run in that process.
        return dataclasses.replace(job, progress_scope=" (this worker)", progress_keep=True)
    if _runner(options) is None:
        return dataclasses.replace(job, progress_interval=0.0)
    direct = options.view_as(DirectOptions)
    if direct.direct_running_mode == "multi_processing" and (direct.direct_num_workers or 1) != 1:
        return dataclasses.replace(job, progress_scope=" (this worker)")
    return job


def run(argv: list[str] | None = None, fresh_process: bool = False) -> int:
    """Run the job; return the process exit status.

    ``fresh_process``: called by the command line, in a process that has run no
    job yet (multi_processing workers are then forked from this process itself).
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    quiet_beam_logs()
    unknown = unknown_flags(argv)
    if unknown:
        print(f"dicom-deid: unknown option(s): {', '.join(unknown)}", file=sys.stderr)
        return EXIT_SETUP
    options = PipelineOptions(argv)
    # multi_processing workers are forked from one server process per launcher
    # (pipeline.forkworkers); it starts importing now, while the job is set up.
    server = fork_server(fork_here=fresh_process) if _forks_workers(options) else None
    try:
        job = JobConfig.from_options(options.view_as(DeidOptions))
    except SetupError as exc:
        print("dicom-deid: the job cannot start:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_SETUP
    if is_dask(options):
        bigquery = [flag for flag, value in (
            ("--filter_table", job.filter_table), ("--filter_query", job.filter_query),
            ("--annotations_table", job.annotations_table),
        ) if value]
        if bigquery:
            print(
                f"dicom-deid: the job cannot start:\n  {', '.join(bigquery)}: BigQuery reads and writes need "
                "Dataflow; the DaskRunner cannot run them (use --filter_table_export / --annotations_output)",
                file=sys.stderr,
            )
            return EXIT_SETUP
    job = _with_progress_scope(job, options)
    inputs = [*job.patterns, *([job.source.name] if job.source else [])]
    _LOGGER.info("De-identifying %s -> %s (%s)", ", ".join(inputs), job.destinations, job.spec.profile)
    p = beam.Pipeline(runner=_runner(options, server.command() if server else None), options=options)
    build(p, job)
    return finish(p.run(), job, "instance", "dicom-deid")


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


def main() -> None:
    """Console-script entry point."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    sys.exit(run(fresh_process=True))


if __name__ == "__main__":
    main()
