"""Entry point: ``fhir-deid`` / ``python -m pipeline.fhir.run``.

Parses options, validates the whole job before the pipeline starts, runs the FHIR graph,
prints the summary and sets the exit status: 0; 2 = cannot start (nothing read);
3 = failed/found over ``--max_failure_fraction``.
"""

from __future__ import annotations

import logging
import sys

import apache_beam as beam
from apache_beam.options.pipeline_options import PipelineOptions

from pipeline.fhir.config import FhirJobConfig
from pipeline.fhir.graph import build
from pipeline.jobsetup import SetupError
from pipeline.launch import EXIT_SETUP, _runner, finish, unknown_flags
from pipeline.options import DICOM_ONLY_FLAGS, DeidOptions, FhirOptions

_LOGGER = logging.getLogger(__name__)


def run(argv: list[str] | None = None) -> int:
    """Run the job; return the process exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    unknown = unknown_flags(argv)
    dicom_only = sorted({a.split("=")[0] for a in argv if a.split("=")[0] in DICOM_ONLY_FLAGS})
    if unknown or dicom_only:
        if unknown:
            print(f"fhir-deid: unknown option(s): {', '.join(unknown)}", file=sys.stderr)
        if dicom_only:
            print(f"fhir-deid: option(s) of dicom-deid only: {', '.join(dicom_only)}", file=sys.stderr)
        return EXIT_SETUP
    options = PipelineOptions(argv)
    try:
        job = FhirJobConfig.from_options(options.view_as(DeidOptions), options.view_as(FhirOptions))
    except SetupError as exc:
        print("fhir-deid: the job cannot start:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_SETUP
    _LOGGER.info("De-identifying FHIR %s -> %s (%s)", ", ".join(job.patterns), job.output, job.fhir.profile)
    p = beam.Pipeline(runner=_runner(options), options=options)
    build(p, job)
    return finish(p.run(), job, "resource", "fhir-deid")


def main() -> None:
    """Console-script entry point."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    sys.exit(run())


if __name__ == "__main__":
    main()
