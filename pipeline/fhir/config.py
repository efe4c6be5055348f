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

from apache_beam.io.filesystems import FileSystems

from pipeline.connectors.files import expand_inputs, is_gcs, join
from pipeline.jobsetup import KeySource, SetupError, _is_inside, _load_spec, _uses_kms, key_source
from pipeline.options import DeidOptions, FhirOptions
from transforms.deid_config import DeidSpec
from transforms.fhir.config import FhirSpec

_LOGGER = logging.getLogger(__name__)
INPUT_SUFFIXES = (".ndjson", ".ndjson.gz", ".json")


@dataclass(frozen=True)
class FhirJobConfig:
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
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])

    @property
    def fhir(self) -> FhirSpec:
        """The FHIR part of the config (BASIC when the config has none)."""
        return self.spec.fhir or FhirSpec()

    @property
    def needs_patient_join(self) -> bool:
        """True when resources need their Patient's values (identifier system, contextualDeid)."""
        return bool(self.patient_key_system) or self.fhir.contextual

    @classmethod
    def from_options(cls, opts: DeidOptions, fopts: FhirOptions, environ: dict[str, str] | None = None) -> FhirJobConfig:
        """Validate options and load config and key.

        Raises
        ------
        SetupError
            With every problem found, each naming its option or JSON path.
        """
        env = os.environ if environ is None else environ
        problems = []
        if not opts.input:
            problems.append("--input is required (an NDJSON file, folder or glob; repeatable)")
        if not opts.output:
            problems.append("--output is required")
        if problems:
            raise SetupError(problems)
        spec = _load_spec(opts.config, problems)
        try:
            patterns = tuple(expand_inputs(opts.input))
        except ValueError as exc:
            problems.append(str(exc))
            patterns = ()
        if patterns and not problems and not _any_match(patterns):
            problems.append(f"--input: {', '.join(opts.input)} matches no file")
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
            _LOGGER.warning("The config asks for annotations but no --annotations_output/--annotations_table is set")
        if spec.annotation is not None and spec.annotation.store_name:
            _LOGGER.info("config.annotation.annotationStoreName is ignored: annotations go to files or BigQuery")
        if _uses_kms(spec.text) or (spec.fhir and (spec.fhir.hash_kms or spec.fhir.date_shift_kms)):
            try:
                import google.cloud.kms  # noqa: F401
            except ImportError:
                problems.append("config: kmsWrapped keys need the google-cloud-kms package (pip install google-cloud-kms)")
        if spec.filter_uri:
            _LOGGER.info("request.filterConfig is accepted and has no effect on FHIR resources (use resourceFilter)")
        for name in ("dicomTagConfig", "dicom", "image"):
            if spec.source == name or (name == "image" and spec.clean_image is not None):
                _LOGGER.info("config.%s is accepted and has no effect on FHIR resources", name)
        key = key_source(fopts.key_file, "--key_file", env, problems)
        if problems:
            raise SetupError(problems)
        return cls(
            patterns=patterns,
            output=output,
            spec=spec,
            key=key,
            failures_output=opts.failures_output or join(output, "deid_failures.jsonl"),
            summary_output=opts.summary_output or join(output, "deid_summary.json"),
            annotations_output=opts.annotations_output,
            annotations_table=opts.annotations_table,
            id_mapping_output=fopts.id_mapping_output,
            patient_key_system=fopts.patient_key_system,
            lowercase_annotation_keys=fopts.lowercase_annotation_keys,
            max_failure_fraction=opts.max_failure_fraction,
        )


def _any_match(patterns: tuple[str, ...]) -> bool:
    try:
        results = FileSystems.match(list(patterns))
    except Exception:
        return True  # listing problems surface in the job, with the path
    return any(r.metadata_list for r in results)


def _stale_outputs(output: str) -> str | None:
    """Name what a previous run left in ``output`` (``*.ndjson`` or ``manifest.json``), if any."""
    try:
        if is_gcs(output):
            found = FileSystems.match([join(output, "*.ndjson"), join(output, "manifest.json")])
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
