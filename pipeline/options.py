"""Command-line and template options of the de-identification job.

Every flag takes the ``--name=value`` form a Dataflow flex-template launcher
passes. The UID key is never an option value: options end up in job metadata
and logs, so only a key *file* path is accepted here.

This module does not import Beam (that takes seconds): ``--help``, option values and
the job's own checks run before it (``pipeline.cli``). ``DeidArguments`` and
``FhirArguments`` define the flags; ``DeidOptions`` and ``FhirOptions``, the Beam
``PipelineOptions`` views made of them, are built on first use (``from pipeline.options
import DeidOptions`` imports Beam then). ``HELP_GROUPS`` orders ``--help`` and the
options reference (docs/options.md, ``python tools/gen_options_doc.py``).
"""

from __future__ import annotations

import argparse
import re
import threading

UID_KEY_ENV = "DEID_UID_KEY"
# PROJECT:DATASET.TABLE (project ids may hold a domain prefix and dashes) or DATASET.TABLE.
_TABLE_RE = re.compile(r"^(?:[a-z][a-z0-9.:-]{4,}[a-z0-9]:)?\w+\.[\w$-]+$")


def _fraction(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise ValueError("must be between 0 and 1")
    return value


def _boolean(text: str) -> bool:
    """Parse a template-parameter boolean: true/false, 1/0, yes/no (any case)."""
    value = text.strip().lower()
    if value in ("true", "1", "yes"):
        return True
    if value in ("false", "0", "no", ""):
        return False
    raise ValueError("must be true or false")


def _seconds(text: str) -> float:
    value = float(text)
    if not value >= 0:
        raise ValueError("must be a number of seconds, 0 or more")
    return value


def _byte_count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise ValueError("must be a number of bytes, 0 or more")
    return value


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise ValueError("must be a whole number, 1 or more")
    return value


def _auth(text: str) -> str:
    value = text.strip().lower()
    if value not in ("none", "google", "basic", "bearer"):
        raise ValueError("must be none, google, basic or bearer")
    return value


DEFAULT_PROGRESS_SECONDS = 10.0
DEFAULT_PAGE_SIZE = 5000
DEFAULT_STOW_BATCH_INSTANCES = 20
DEFAULT_STOW_BATCH_BYTES = 64 * 1024 * 1024
DEFAULT_MAX_ATTEMPTS = 8
DEFAULT_STREAM_COPY_BYTES = 64 * 1024 * 1024
DEFAULT_MAX_INSTANCE_BYTES = 4 * 1024**3  # 4 GiB: a Part 10 value length is a 32-bit count
DEFAULT_MAX_LINE_BYTES = 256 * 1024**2  # 256 MiB per NDJSON line (a resource), decompressed
DEFAULT_MAX_LISTED = 10_000_000  # QIDO-RS entries of one listing (a store's studies, a study's series, ...)


class DeidArguments:
    """Options of ``dicom-deid`` (and of the flex template); ``DeidOptions`` is their Beam view."""

    @classmethod
    def _add_argparse_args(cls, parser) -> None:
        parser.add_argument(
            "--input",
            action="append",
            help="DICOM file, folder (recursive) or glob, local or gs://; repeat for several.",
        )
        parser.add_argument(
            "--output",
            help="Output folder, local or gs:// (optional with --dicomweb_destination; both may be given).",
        )
        parser.add_argument(
            "--dicomweb_source",
            help="DICOMweb base URL to read every instance from (QIDO-RS, WADO-RS); may be given with --input.",
        )
        parser.add_argument(
            "--dicomweb_destination",
            help="DICOMweb base URL to store the de-identified instances in (STOW-RS).",
        )
        parser.add_argument(
            "--dicomweb_auth",
            type=_auth,
            help="none, google, basic ($DICOMWEB_USERNAME, $DICOMWEB_PASSWORD) or bearer ($DICOMWEB_TOKEN). "
            "Default: google for healthcare.googleapis.com, else none.",
        )
        parser.add_argument("--dicomweb_source_auth", type=_auth, help="--dicomweb_auth for the source only.")
        parser.add_argument("--dicomweb_destination_auth", type=_auth, help="--dicomweb_auth for the destination only.")
        parser.add_argument(
            "--dicomweb_page_size",
            type=_positive_int,
            default=DEFAULT_PAGE_SIZE,
            help=f"QIDO-RS limit per page (default {DEFAULT_PAGE_SIZE}).",
        )
        parser.add_argument(
            "--dicomweb_stow_batch_instances",
            type=_positive_int,
            default=DEFAULT_STOW_BATCH_INSTANCES,
            help=f"At most this many instances per STOW-RS request (default {DEFAULT_STOW_BATCH_INSTANCES}).",
        )
        parser.add_argument(
            "--dicomweb_stow_batch_bytes",
            type=_positive_int,
            default=DEFAULT_STOW_BATCH_BYTES,
            help=f"A STOW-RS request is sent once its instances reach this many bytes (default {DEFAULT_STOW_BATCH_BYTES}).",
        )
        parser.add_argument(
            "--dicomweb_max_attempts",
            type=_positive_int,
            default=DEFAULT_MAX_ATTEMPTS,
            help=f"Attempts per DICOMweb request on 429, 408, 5xx and connection errors (default {DEFAULT_MAX_ATTEMPTS}).",
        )
        parser.add_argument(
            "--dicomweb_backoff_seconds",
            type=_seconds,
            default=1.0,
            help="Base of the back-off: wait min(B*2^n, 64) s plus up to B s of jitter before attempt n+1 "
            "(default 1).",
        )
        parser.add_argument(
            "--dicomweb_max_requests_per_second",
            type=_seconds,
            default=0.0,
            help="Cap on DICOMweb requests per second for the whole job, shared by the workers (default 0: none).",
        )
        parser.add_argument(
            "--dicomweb_max_listed",
            type=_positive_int,
            default=DEFAULT_MAX_LISTED,
            help="A QIDO-RS listing (a store's studies, a study's series, a series' instances) that goes past this "
            f"many entries ends with a failure record (default {DEFAULT_MAX_LISTED}); so does one that repeats a page.",
        )
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
            "--filter_table",
            help="BigQuery table PROJECT:DATASET.TABLE listing what to process (read with "
            "ReadFromBigQuery; the Dataflow path).",
        )
        parser.add_argument(
            "--filter_query",
            help="BigQuery standard-SQL query whose rows list what to process (ReadFromBigQuery).",
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
            "--review_report",
            help="Write an HTML page (local or gs://, self-contained) showing, for every instance whose "
            "pixels were changed or where burned-in text was found and kept, the frame before and after "
            "with each box and the mode's decision. Needs a config that redacts burned-in text. As "
            "sensitive as the input unless the mode is REDACT_ALL_TEXT (kept text is readable in it).",
        )
        parser.add_argument(
            "--annotations_table",
            help="BigQuery table PROJECT:DATASET.TABLE for text annotations (WriteToBigQuery; "
            "created if needed, rows appended). Needs an 'annotation' config.",
        )
        parser.add_argument(
            "--skip_existing",
            type=_boolean,
            nargs="?",
            const=True,
            default=False,
            help="Incremental run: an instance whose output already exists is counted as skipped, "
            "not de-identified again (decided from its header). Bare flag or =true/false.",
        )
        parser.add_argument(
            "--residual_sweep",
            type=_boolean,
            nargs="?",
            const=True,
            default=True,
            help="After the profile, replace every remaining occurrence of the instance's own "
            "identifying values (names, IDs, dates, institution, ...) in any element (default true; "
            "=false turns it off). Bare flag or =true/false.",
        )
        parser.add_argument(
            "--progress_interval",
            type=_seconds,
            default=DEFAULT_PROGRESS_SECONDS,
            help=f"Seconds between progress log lines (default {DEFAULT_PROGRESS_SECONDS:g}; 0: none).",
        )
        parser.add_argument(
            "--stream_copy_bytes",
            type=_byte_count,
            default=DEFAULT_STREAM_COPY_BYTES,
            help="Instances at least this large whose pixels are not redacted get their PixelData "
            "copied from the source file, never held in memory; with a redacting mode, instances this "
            "large, or whose frames decode to this many bytes, are redacted a frame at a time "
            f"(default {DEFAULT_STREAM_COPY_BYTES}; 0: always).",
        )
        parser.add_argument(
            "--max_instance_bytes",
            type=_positive_int,
            default=DEFAULT_MAX_INSTANCE_BYTES,
            help="A DICOM input larger than this many bytes (a file, or an instance a DICOMweb store sends; "
            "a deflated data set, inflated) is not read and gets a failure record "
            f"(default {DEFAULT_MAX_INSTANCE_BYTES}: 4 GiB).",
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
        if not self.input and not self.dicomweb_source:
            errors.append("--input (a file, folder or glob; repeatable) or --dicomweb_source is required")
        if not self.output and not self.dicomweb_destination:
            errors.append("--output or --dicomweb_destination is required")
        if not self.output and self.dicomweb_destination:
            for flag, value in (("--failures_output", self.failures_output), ("--summary_output", self.summary_output)):
                if not value:
                    errors.append(f"{flag} is required without --output")
        if self.filter_table and self.filter_query:
            errors.append("--filter_table and --filter_query: give one of them, not both")
        if self.filter_table and not _TABLE_RE.match(self.filter_table):
            errors.append("--filter_table must be PROJECT:DATASET.TABLE (or DATASET.TABLE)")
        if self.annotations_table and not _TABLE_RE.match(self.annotations_table):
            errors.append("--annotations_table must be PROJECT:DATASET.TABLE (or DATASET.TABLE)")
        return errors


# The dicom-deid flags fhir-deid takes too; every other DeidArguments flag is DICOM-only and
# refused by fhir-deid (it would silently do nothing there): a new flag is DICOM-only until listed here.
FHIR_SHARED_FLAGS = (
    "--input",
    "--output",
    "--config",
    "--annotations_output",
    "--annotations_table",
    "--failures_output",
    "--summary_output",
    "--max_failure_fraction",
)


class FhirArguments:
    """The options ``fhir-deid`` adds to the shared ones of ``DeidArguments`` (``FHIR_SHARED_FLAGS``).

    The other ``DeidArguments`` flags are refused by fhir-deid (``DICOM_ONLY_FLAGS``); the key
    is a file (``--key_file``, the same file as ``dicom-deid --uid_key_file``) or $DEID_UID_KEY,
    never an option value. ``FhirOptions`` is their Beam view.
    """

    @classmethod
    def _add_argparse_args(cls, parser) -> None:
        parser.add_argument(
            "--key_file",
            help=f"File holding the run key (raw bytes or base64), local or gs://; the same file as "
            f"dicom-deid --uid_key_file. Else ${UID_KEY_ENV}; else a random per-run key.",
        )
        parser.add_argument(
            "--id_mapping_output",
            help="Write original,new Type/id pairs here (CSV; for the key holder only: it re-identifies).",
        )
        parser.add_argument(
            "--max_line_bytes",
            type=_positive_int,
            default=DEFAULT_MAX_LINE_BYTES,
            help="An NDJSON line (or a .json file) longer than this many bytes, decompressed, is not parsed and "
            f"gets a failure record; reading goes on at the next line (default {DEFAULT_MAX_LINE_BYTES}: 256 MiB).",
        )
        parser.add_argument(
            "--patient_key_system",
            help="Identifier system (e.g. the MRN system) whose value keys each patient's date shift, "
            "so FHIR and DICOM (PatientID = that value) dates shift alike.",
        )
        parser.add_argument(
            "--lowercase_annotation_keys",
            type=_boolean,
            nargs="?",
            const=True,
            default=False,
            help="Annotation keys as patient.text.div (the public documentation's form). =true/false.",
        )


def flags_of(*classes) -> list[str]:
    """The ``--flags`` the option classes define, in definition order (no Beam)."""
    parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    for cls in classes:
        try:
            cls._add_argparse_args(parser)
        except argparse.ArgumentError:
            continue  # a flag two classes define
    return [s for action in parser._actions for s in action.option_strings if s.startswith("--")]


# What the shared flags mean for fhir-deid, where their DeidArguments help speaks of DICOM.
FHIR_HELP = {
    "--input": "NDJSON (.ndjson, .ndjson.gz) or Bundle (.json) file, folder (recursive) or glob, local or gs://; "
    "repeat for several.",
    "--output": "Output folder, local or gs://; it may not hold an earlier run's *.ndjson or manifest.json.",
    "--config": "DeidentifyConfig JSON (or a whole request body), local or gs://; its fhirFieldConfig or fhir part "
    "applies. Default: {} = the FHIR BASIC profile.",
    "--failures_output": "JSON-lines file of failed resources (default OUTPUT/deid_failures.jsonl).",
    "--annotations_output": "Folder (local or gs://) for text annotations, annotations-<Type>-*.jsonl. Needs an "
    "'annotation' config; holds PHI when storeQuote is true.",
}

# Flags of dicom-deid that fhir-deid refuses.
DICOM_ONLY_FLAGS = tuple(f for f in flags_of(DeidArguments) if f not in FHIR_SHARED_FLAGS)

# --help and docs/options.md list each command's flags in these groups, in this order. A flag in
# no group fails tests/test_cli.py (and shows under "Other" until it is placed).
HELP_GROUPS = (
    ("Input", ("--input", "--filter_file", "--filter_table_export", "--filter_table", "--filter_query",
               "--skip_existing")),
    ("Output", ("--output", "--failures_output", "--summary_output", "--uid_mapping_output", "--id_mapping_output",
                "--annotations_output", "--annotations_table", "--lowercase_annotation_keys", "--review_report",
                "--max_failure_fraction")),
    ("Configuration", ("--config", "--residual_sweep")),
    ("Keys and UIDs", ("--uid_key_file", "--key_file", "--uid_root", "--patient_key_system")),
    ("DICOMweb", ("--dicomweb_source", "--dicomweb_destination", "--dicomweb_auth", "--dicomweb_source_auth",
                  "--dicomweb_destination_auth", "--dicomweb_page_size", "--dicomweb_stow_batch_instances",
                  "--dicomweb_stow_batch_bytes", "--dicomweb_max_attempts", "--dicomweb_backoff_seconds",
                  "--dicomweb_max_requests_per_second", "--dicomweb_max_listed")),
    ("Running", ("--progress_interval", "--stream_copy_bytes", "--max_instance_bytes", "--max_line_bytes")),
)

# Each command's option classes (Beam-free), and the flags it refuses.
COMMANDS = {
    "dicom-deid": ((DeidArguments,), ()),
    "fhir-deid": ((DeidArguments, FhirArguments), DICOM_ONLY_FLAGS),
}
HELP_OVERRIDES = {"dicom-deid": {}, "fhir-deid": FHIR_HELP}

_VIEWS = {"DeidOptions": DeidArguments, "FhirOptions": FhirArguments}
_VIEWS_LOCK = threading.Lock()


def __getattr__(name: str):
    """``DeidOptions`` / ``FhirOptions``: the Beam PipelineOptions views, built (with Beam) on first use."""
    base = _VIEWS.get(name)
    if base is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from apache_beam.options.pipeline_options import PipelineOptions

    with _VIEWS_LOCK:
        cls = globals().get(name)
        if cls is None:  # one class per process: Beam finds its options through PipelineOptions' subclasses
            cls = type(name, (base, PipelineOptions), {"__module__": __name__, "__qualname__": name, "__doc__": base.__doc__})
            globals()[name] = cls
    return cls
