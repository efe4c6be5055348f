"""Entry point: ``dicom-deid`` / ``python -m pipeline.dicom.run`` (and the flex-template PY_FILE).

Parses options, validates the whole job before the pipeline starts, runs the
graph, prints the summary and sets the exit status.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import sys

from pipeline.runners.lean import skip_cloud_io

if __name__ == "__main__" or os.path.basename(sys.argv[0]) == "dicom-deid":  # the command line, before Beam
    skip_cloud_io(sys.argv[1:])
    # numpy's OpenBLAS would start a thread per core in every process (the launcher, each
    # worker), which spin after any call; the job's parallelism is its worker processes.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import apache_beam as beam  # noqa: E402
from apache_beam.options.pipeline_options import DirectOptions, PipelineOptions, StandardOptions  # noqa: E402

from pipeline.dicom.config import JobConfig  # noqa: E402
from pipeline.dicom.graph import build  # noqa: E402
from pipeline.jobsetup import SetupError  # noqa: E402
from pipeline.launch import EXIT_SETUP, _runner, finish, is_dask, unknown_flags  # noqa: E402
from pipeline.logs import quiet_beam_logs  # noqa: E402
from pipeline.options import DeidOptions  # noqa: E402
from pipeline.runners.forkworkers import fork_server  # noqa: E402

_LOGGER = logging.getLogger(__name__)
FORK_ENV = "DEID_FORK_WORKERS"  # 0: Beam's own multi_processing workers (fresh interpreters)


def _forks_workers(options: PipelineOptions) -> bool:
    """multi_processing workers are forked from this process unless DEID_FORK_WORKERS=0."""
    direct = options.view_as(DirectOptions)
    return (
        options.view_as(StandardOptions).runner in (None, "DirectRunner", "direct")
        and direct.direct_running_mode == "multi_processing"
        and os.environ.get(FORK_ENV, "1") != "0"
    )


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
    # (pipeline.runners.forkworkers); it starts importing now, while the job is set up.
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


def main() -> None:
    """Console-script entry point."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    sys.exit(run(fresh_process=True))


if __name__ == "__main__":
    main()
