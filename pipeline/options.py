"""Command-line and template options of the de-identification job.

Every flag takes the ``--name=value`` form a Dataflow flex-template launcher
passes. The UID key is never an option value: options end up in job metadata
and logs, so only a key *file* path is accepted here.
"""

from __future__ import annotations

from apache_beam.options.pipeline_options import PipelineOptions

UID_KEY_ENV = "DEID_UID_KEY"


def _fraction(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise ValueError("must be between 0 and 1")
    return value


class DeidOptions(PipelineOptions):
    """Options of ``dicom-deid`` (and of the flex template)."""

    @classmethod
    def _add_argparse_args(cls, parser) -> None:
        parser.add_argument(
            "--input",
            action="append",
            help="DICOM file, folder (recursive) or glob, local or gs://; repeat for several.",
        )
        parser.add_argument("--output", help="Output folder, local or gs://.")
        parser.add_argument(
            "--config",
            help="DeidentifyConfig JSON (or a whole request body), local or gs://. "
            "Default: {} = the DICOM Basic Profile.",
        )
        parser.add_argument(
            "--filter_file",
            help="Lines of /studies/UID[/series/UID[/instances/UID]]; only these are processed.",
        )
        parser.add_argument(
            "--filter_table_export",
            help="Glob of BigQuery export files (CSV, JSONL, Avro) listing what to process.",
        )
        parser.add_argument(
            "--uid_key_file",
            help=f"File holding the UID key (raw bytes or base64), local or gs://. Else ${UID_KEY_ENV}; "
            "else a random per-run key.",
        )
        parser.add_argument("--uid_root", default="2.25", help="Root of regenerated UIDs (default 2.25).")
        parser.add_argument(
            "--uid_mapping_output",
            help="Write original,new UID pairs here (CSV; for the key holder only: it re-identifies).",
        )
        parser.add_argument(
            "--annotations_output",
            help="Folder (local or gs://) for text annotations, one JSON-lines file per study. "
            "Needs an 'annotation' config; holds PHI when storeQuote is true.",
        )
        parser.add_argument(
            "--failures_output",
            help="JSON-lines file of failed instances (default OUTPUT/deid_failures.jsonl).",
        )
        parser.add_argument(
            "--summary_output",
            help="JSON summary of counts (default OUTPUT/deid_summary.json).",
        )
        parser.add_argument(
            "--max_failure_fraction",
            type=_fraction,
            default=None,
            help="Exit non-zero when failed/found exceeds this (default: report failures, never fail).",
        )

    def validate_deid(self) -> list[str]:
        """Return one message per missing or invalid required option."""
        errors = []
        if not self.input:
            errors.append("--input is required (a file, folder or glob; repeatable)")
        if not self.output:
            errors.append("--output is required")
        return errors
