"""Everything a ``fhir-deid`` job needs, validated before the pipeline starts (spec 1, 2).

``FhirJobConfig.from_options`` loads and checks the config (the shared checker, JSON paths
in every message), the key, the inputs (a pattern matching nothing stops the job) and the
output folders; any problem raises ``SetupError`` before a line is read.
"""

from __future__ import annotations

import logging
import os
import uuid
from dataclasses import dataclass, field

from pipeline.connectors import gcs
from pipeline.connectors.files import _beam_fs, expand_inputs, is_gcs, join, match_files
from pipeline.jobsetup import (
    Announcing,
    KeySource,
    Note,
    SetupError,
    _is_inside,
    _load_spec,
    _uses_kms,
    check_outputs,
    key_source,
    outputs_of,
    random_key_notes,
)
from pipeline.options import DEFAULT_MAX_LINE_BYTES
from transforms.deid_config import DeidSpec
from transforms.fhir.config import KEEP_ALL, FhirSpec

_LOGGER = logging.getLogger(__name__)
INPUT_SUFFIXES = (".ndjson", ".ndjson.gz", ".json")


@dataclass(frozen=True)
class FhirJobConfig(Announcing):
    """The validated FHIR job: plain values, picklable, no pipeline options inside."""

    patterns: tuple[str, ...]
    output: str
    spec: DeidSpec
    key: KeySource
    failures_output: str
    summary_output: str
    annotations_output: str | None = None
    annotations_table: str | None = None
    id_mapping_output: str | None = None
    patient_key_system: str | None = None
    lowercase_annotation_keys: bool = False
    max_failure_fraction: float | None = None
    notes: tuple[Note, ...] = field(default=(), compare=False, repr=False)  # logged by announce()
    max_line_bytes: int = DEFAULT_MAX_LINE_BYTES
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])

    @property
    def fhir(self) -> FhirSpec:
        """The FHIR part of the config (BASIC when the config has none)."""
        return self.spec.fhir or FhirSpec()

    @property
    def needs_patient_join(self) -> bool:
        """True when resources need their patient's values: the identifier system, contextualDeid,
        or any text cleaning (names of the patient and of the job are context, issue 18)."""
        f = self.fhir
        cleans = f.profile != KEEP_ALL or any(r.action in ("cleanTextField", "transform") for r in f.rules)
        return bool(self.patient_key_system) or f.contextual or cleans

    def outputs(self) -> list[tuple[str, str | None, str]]:
        """Every output location as (flag, path, "folder" or "file")."""
        return outputs_of(self.output, self.failures_output, self.summary_output,
                          ("--id_mapping_output", self.id_mapping_output), self.annotations_output)

    def remote_problems(self) -> list[str]:
        """What needs the network: gs:// outputs writable (inputs were matched by ``from_options``)."""
        problems: list[str] = []
        check_outputs(self.outputs(), problems, remote=True)
        return problems

    @classmethod
    def from_options(cls, opts, fopts=None, environ: dict[str, str] | None = None, check_services: bool = True) -> FhirJobConfig:
        """Validate options and load config and key; check that inputs match and outputs can be written.

        ``opts`` (and ``fopts``): ``DeidOptions`` and ``FhirOptions`` (Beam views), or the one
        namespace ``pipeline.cli.parse`` returns before Beam is imported (``fopts`` None).
        ``check_services``: then also ``remote_problems`` (gs:// outputs), once the rest is valid.

        Raises
        ------
        SetupError
            With every problem found, each naming its option or JSON path.
        """
        env = os.environ if environ is None else environ
        fopts = opts if fopts is None else fopts
        problems = []
        if not opts.input:
            problems.append("--input is required (an NDJSON file, folder or glob; repeatable)")
        if not opts.output:
            problems.append("--output is required")
        if problems:
            raise SetupError(problems)
        notes: list[Note] = []
        spec = _load_spec(opts.config, problems, notes, dicom=False)
        try:
            patterns = tuple(expand_inputs(opts.input, gcs_exists=_gcs_input_exists))
        except ValueError as exc:
            problems.append(str(exc))
            patterns = ()
        if patterns and not problems:
            problem = _match_problem(patterns)
            if problem:
                problems.append(problem if problem.startswith("--input") else f"--input: {', '.join(opts.input)} {problem}")
        output = opts.output.rstrip("/") if len(opts.output) > 1 else opts.output
        for pattern in patterns:
            base = pattern.split("**")[0].rstrip("/")
            if not any(c in base for c in "*?[") and _is_inside(output, base):
                problems.append(f"--output {opts.output} lies inside --input {base}: a rerun would read its own output")
        stale = _stale_outputs(output)
        if stale:
            problems.append(
                f"--output {opts.output} already holds {stale}: its shards would be imported with the new ones; "
                "use an empty folder"
            )
        if opts.annotations_output and _is_inside(opts.annotations_output.rstrip("/"), output):
            problems.append("--annotations_output may not be --output or lie inside it (a FHIR import would read it)")
        for flag, value in (("--annotations_output", opts.annotations_output), ("--annotations_table", opts.annotations_table)):
            if value and spec.annotation is None:
                problems.append(f"{flag} needs an 'annotation' object in the config (storeQuote, ...)")
        if spec.annotation is not None and not (opts.annotations_output or opts.annotations_table):
            notes.append((logging.WARNING, "The config asks for annotations but no --annotations_output/--annotations_table is set"))
        if spec.annotation is not None and spec.annotation.store_name:
            notes.append((logging.INFO, "config.annotation.annotationStoreName is ignored: annotations go to files or BigQuery"))
        if _uses_kms(spec.text) or (spec.fhir and (spec.fhir.hash_kms or spec.fhir.date_shift_kms)):
            try:
                import google.cloud.kms  # noqa: F401
            except ImportError:
                problems.append("config: kmsWrapped keys need the google-cloud-kms package (pip install google-cloud-kms)")
        if spec.filter_uri:
            notes.append((logging.INFO, "request.filterConfig is accepted and has no effect on FHIR resources (use resourceFilter)"))
        for name in ("dicomTagConfig", "dicom", "image"):
            if spec.source == name or (name == "image" and spec.clean_image is not None):
                notes.append((logging.INFO, f"config.{name} is accepted and has no effect on FHIR resources"))
        key = key_source(fopts.key_file, "--key_file", env, problems)
        failures_output = opts.failures_output or join(output, "deid_failures.jsonl")
        summary_output = opts.summary_output or join(output, "deid_summary.json")
        check_outputs(outputs_of(output, failures_output, summary_output,
                                 ("--id_mapping_output", fopts.id_mapping_output), opts.annotations_output),
                      problems, remote=False)
        if problems:
            raise SetupError(problems)
        notes += random_key_notes(key, "--key_file")
        job = cls(
            patterns=patterns,
            output=output,
            spec=spec,
            key=key,
            failures_output=failures_output,
            summary_output=summary_output,
            annotations_output=opts.annotations_output,
            annotations_table=opts.annotations_table,
            id_mapping_output=fopts.id_mapping_output,
            patient_key_system=fopts.patient_key_system,
            lowercase_annotation_keys=fopts.lowercase_annotation_keys,
            max_failure_fraction=opts.max_failure_fraction,
            notes=tuple(notes),
            max_line_bytes=fopts.max_line_bytes,
        )
        return job.checked(check_services)


def _gcs_input_exists(path: str) -> bool:
    try:
        return gcs.exists(path)
    except gcs.GcsProblem as exc:
        raise ValueError(f"--input {path}: {exc}") from None


def _match_problem(patterns: tuple[str, ...]) -> str | None:
    """None when a pattern matches a file; else why not ("matches no file", or a gs:// cause)."""
    for pattern in patterns:
        try:
            if match_files(pattern, gcs_list=gcs.list_prefix):
                return None
        except gcs.GcsProblem as exc:
            return f"--input {pattern}: {exc}"
        except Exception:
            return None  # other listing problems surface in the job, with the path
    return "matches no file"


def _stale_outputs(output: str) -> str | None:
    """Name what a previous run left in ``output`` (``*.ndjson`` or ``manifest.json``), if any."""
    try:
        if is_gcs(output):
            found = _beam_fs()[0].match([join(output, "*.ndjson"), join(output, "manifest.json")])
            hits = [m.path for r in found for m in r.metadata_list]
        elif os.path.isdir(output):
            hits = [n for n in os.listdir(output) if n.endswith(".ndjson") or n == "manifest.json"]
        else:
            hits = []
    except Exception:
        return None
    if not hits:
        return None
    return "manifest.json" if any(h.endswith("manifest.json") for h in hits) else "*.ndjson files"


__all__ = ["FhirJobConfig", "INPUT_SUFFIXES"]
