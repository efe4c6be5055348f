"""Entry point: ``fhir-deid`` / ``python -m pipeline.fhir.run``.

Prints ``--help``, parses options and validates the whole job before Beam is imported,
then checks Beam's flags and gs:// outputs, runs the FHIR graph, prints the summary and
sets the exit status: 0; 2 = cannot start (nothing read); 3 = failed/found over
``--max_failure_fraction``; 4 = the job stopped before it finished (``pipeline.launch``).
"""

from __future__ import annotations

import logging
import sys

from pipeline.fhir.config import FhirJobConfig
from pipeline.launch import _runner, beam_options, cannot_start, prepare, run_pipeline

_LOGGER = logging.getLogger(__name__)
TOOL = "fhir-deid"


def run(argv: list[str] | None = None) -> int:
    """Run the job; return the process exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    status, job = prepare(TOOL, argv, lambda args: FhirJobConfig.from_options(args, check_services=False))
    if status is not None:
        return status
    problems = job.remote_problems()
    if problems:
        return cannot_start(TOOL, problems)
    import apache_beam as beam

    from pipeline.fhir.graph import build

    options = beam_options(TOOL, argv)
    job.announce()
    _LOGGER.info("De-identifying FHIR %s -> %s (%s)", ", ".join(job.patterns), job.output, job.fhir.profile)
    p = beam.Pipeline(runner=_runner(options), options=options)
    build(p, job)
    return run_pipeline(p, job, "resource", TOOL)


def main() -> None:
    """Console-script entry point."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    sys.exit(run())


if __name__ == "__main__":
    main()
