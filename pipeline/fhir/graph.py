"""The FHIR job graph: match -> read lines -> reshuffle -> parse -> [join Patient] -> de-identify -> write.

``build(p, job)`` wires the transforms and returns the PCollections a test may inspect; it
parses no options (see ``pipeline.fhir.run``). Outputs under ``--output``:
``<Type>-SSSSS-of-NNNNN.ndjson`` (lines sorted by id, shards by id: reruns write the same
bytes), ``manifest.json`` (written last), the failures and the summary.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import apache_beam as beam
from apache_beam.io import fileio
from apache_beam.io.fileio import EmptyMatchTreatment

from pipeline.connectors.bigquery import WriteFhirAnnotationsTable
from pipeline.connectors.files import WriteFailures, WriteLines, join, write_text
from pipeline.fhir.config import INPUT_SUFFIXES, FhirJobConfig
from pipeline.fhir.dofns import (
    ANNOTATIONS,
    FILTERED,
    ID_PAIRS,
    OUTCOMES,
    SHARD_RESOURCES,
    DeidentifyFhirFn,
    ParseFn,
    PatientInfoFn,
    ReadLinesFn,
    WriteShardFn,
    join_patients,
    patient_join_key,
    shard_of,
)
from pipeline.records import FAILED
from transforms.fhir.basic_profile import BASIC_PROFILE_VERSION
from transforms.fhir.engine import COUNTERS

STAGES = ("read", "parse", "fields", "text", "write")
EPOCH = "1970-01-01T00:00:00Z"


@dataclass
class FhirOutputs:
    """PCollections exposed for tests."""

    written: beam.PCollection
    failures: beam.PCollection
    summary: beam.PCollection


def summarize(counts: list[tuple[str, int]], job: FhirJobConfig) -> dict:
    """Return the summary dict from (key, count) pairs (spec 10).

    Keys: ``found|T``, ``filtered_out|T``, ``succeeded|T``, ``failed|T|stage``,
    ``counter|name``, ``findings|INFO_TYPE``, ``annotations``, ``files_skipped``.
    found = filtered_out + succeeded + failed in total and per type: every resource is
    found once, as the outcome it gets (a failure counts as found in its own type).
    """
    by_type: dict[str, dict[str, int]] = {}
    by_stage: dict[str, int] = {}
    counters = {name: 0 for name in COUNTERS}
    findings: dict[str, int] = {}
    other: dict[str, int] = {}
    for key, n in counts:
        parts = key.split("|")
        if parts[0] in ("filtered_out", "succeeded", "failed"):
            t = by_type.setdefault(parts[1], {"found": 0, "filtered_out": 0, "succeeded": 0, "failed": 0})
            t[parts[0]] += n
            t["found"] += n
            if parts[0] == "failed":
                by_stage[parts[2]] = by_stage.get(parts[2], 0) + n
        elif parts[0] == "counter":
            counters[parts[1]] = counters.get(parts[1], 0) + n
        elif parts[0] == "findings":
            findings[parts[1]] = findings.get(parts[1], 0) + n
        else:
            other[key] = other.get(key, 0) + n
    total = {k: sum(t[k] for t in by_type.values()) for k in ("found", "filtered_out", "succeeded", "failed")}
    return {
        **total,
        "by_resource_type": dict(sorted(by_type.items())),
        "failed_by_stage": dict(sorted(by_stage.items())),
        "counter": {"success": total["succeeded"], "failure": total["failed"]},
        "annotations": other.get("annotations", 0),
        "findings_by_info_type": dict(sorted(findings.items())),
        **counters,
        "files_skipped": other.get("files_skipped", 0),
        "profile": job.fhir.profile,
        "config_source": job.fhir.source,
        "basic_profile_version": BASIC_PROFILE_VERSION,
        "key": job.key.origin,
        "output": job.output,
        "failures_output": job.failures_output,
    }


class _WriteSummaryFn(beam.DoFn):
    def __init__(self, job: FhirJobConfig) -> None:
        self._job = job

    def process(self, counts: list):
        summary = summarize(counts, self._job)
        write_text(self._job.summary_output, json.dumps(summary, indent=1, sort_keys=True) + "\n")
        yield summary


def _manifest(files: list[tuple[str, str]], updated: list[str]) -> str:
    """The Bulk-style manifest; transactionTime is the latest output meta.lastUpdated (ours)."""
    stamps = [u for u in updated if u]
    manifest = {
        "transactionTime": max(stamps) if stamps else EPOCH,
        "request": "fhir-deid",
        "requiresAccessToken": False,
        "output": [{"type": t, "url": path} for t, path in sorted(files, key=lambda f: f[1])],
        "error": [],
    }
    return json.dumps(manifest, indent=1) + "\n"


class WriteSharded(beam.PTransform):
    """(type, id, line) -> files named by ``pattern`` (type, shard, shards), lines sorted by id."""

    def __init__(self, folder: str, pattern: str, per_file: int = SHARD_RESOURCES) -> None:
        super().__init__()
        self._folder = folder
        self._pattern = pattern
        self._per_file = per_file

    def expand(self, items):
        per_file = self._per_file
        counts = (
            items
            | "TypeOf" >> beam.Map(lambda x: (x[0], 1))
            | "CountPerType" >> beam.CombinePerKey(sum)
        )

        def keyed(item, counts):
            rtype, new_id, line = item[0], item[1], item[2]
            shards = max(1, -(-counts[rtype] // per_file))
            return (rtype, shard_of(new_id, shards), shards), (new_id, line)

        return (
            items
            | "KeyByShard" >> beam.Map(keyed, counts=beam.pvalue.AsDict(counts))
            | "GroupShards" >> beam.GroupByKey()
            | "WriteShardFiles" >> beam.ParDo(WriteShardFn(self._folder, self._pattern))
        )


def _accepted(path: str) -> bool:
    return path.endswith(INPUT_SUFFIXES)


def build(p: beam.Pipeline, job: FhirJobConfig) -> FhirOutputs:
    """Add the FHIR de-identification job to pipeline ``p``."""
    matched = (
        p
        | "Inputs" >> beam.Create(list(job.patterns))
        | "Match" >> fileio.MatchAll(EmptyMatchTreatment.ALLOW)
        | "Paths" >> beam.Map(lambda m: m.path)
    )
    skipped = matched | "OtherNames" >> beam.Filter(lambda path: not _accepted(path))
    lines = (
        matched
        | "InputNames" >> beam.Filter(_accepted)
        | "ReshufflePaths" >> beam.Reshuffle()
        | "ReadLines" >> beam.ParDo(ReadLinesFn()).with_outputs(FAILED, main="lines")
    )
    parsed = (
        lines["lines"]
        | "ReshuffleLines" >> beam.Reshuffle()
        | "Parse" >> beam.ParDo(ParseFn(job.spec, job.key, job.patient_key_system)).with_outputs(FAILED, FILTERED, main="units")
    )
    units = parsed["units"]
    if job.needs_patient_join:
        keyed = units | "KeyByPatient" >> beam.Map(lambda u: (patient_join_key(u), u))
        patients = units | "PatientInfo" >> beam.ParDo(PatientInfoFn(job.spec, job.key, job.patient_key_system))
        joined = (
            {"units": keyed | "WithPatient" >> beam.Filter(lambda kv: kv[0] != ""), "patients": patients}
            | "JoinPatients" >> beam.CoGroupByKey()
            | "PerUnit" >> beam.FlatMap(join_patients)
        )
        alone = (
            keyed
            | "WithoutPatient" >> beam.Filter(lambda kv: kv[0] == "")
            | "NoPatientValues" >> beam.Map(lambda kv: (kv[1], None, ()))
        )
        work = (joined, alone) | "AllUnits" >> beam.Flatten()
    else:
        work = units | "NoJoin" >> beam.Map(lambda u: (u, None, ()))
    deid = work | "Deidentify" >> beam.ParDo(DeidentifyFhirFn(job)).with_outputs(
        FAILED, ANNOTATIONS, ID_PAIRS, OUTCOMES, main="written"
    )
    written = deid["written"]
    files = written | "WriteNdjson" >> WriteSharded(job.output, "{type}-{shard:05d}-of-{shards:05d}.ndjson")
    updated = written | "LastUpdated" >> beam.Map(lambda w: w[3])
    output_dir = job.output

    def write_manifest(files_list, updated_list):
        write_text(join(output_dir, "manifest.json"), _manifest(files_list, updated_list))
        return len(files_list)

    (
        p
        | "ManifestTrigger" >> beam.Create([None])
        | "WriteManifest"
        >> beam.Map(
            lambda _, f, u: write_manifest(f, u),
            f=beam.pvalue.AsList(files),
            u=beam.pvalue.AsList(updated),
        )
    )
    if job.annotations_output:
        deid[ANNOTATIONS] | "WriteAnnotations" >> WriteSharded(
            job.annotations_output, "annotations-{type}-{shard:05d}-of-{shards:05d}.jsonl"
        )
    if job.annotations_table:
        deid[ANNOTATIONS] | "WriteAnnotationsTable" >> WriteFhirAnnotationsTable(job.annotations_table)
    if job.id_mapping_output:
        deid[ID_PAIRS] | "WriteIdMapping" >> WriteLines(job.id_mapping_output, header="original,new")
    failures = (lines[FAILED], parsed[FAILED], deid[FAILED]) | "AllFailures" >> beam.Flatten()
    failures | "WriteFailures" >> WriteFailures(job.failures_output)

    outcomes = (
        written | "SucceededOutcome" >> beam.Map(lambda w: (f"succeeded|{w[0]}", 1)),
        parsed[FILTERED] | "FilteredOutcome" >> beam.Map(lambda t: (f"filtered_out|{t}", 1)),
        failures | "FailedOutcome" >> beam.Map(lambda f: (f"failed|{f['resource_type']}|{f['stage']}", 1)),
        deid[OUTCOMES],
        deid[ANNOTATIONS] | "AnnotationOutcome" >> beam.Map(lambda _: ("annotations", 1)),
        skipped | "SkippedFileOutcome" >> beam.Map(lambda _: ("files_skipped", 1)),
    )
    summary = (
        outcomes
        | "AllOutcomes" >> beam.Flatten()
        | "SumOutcomes" >> beam.CombinePerKey(sum)
        | "CollectCounts" >> beam.combiners.ToList()
        | "WriteSummary" >> beam.ParDo(_WriteSummaryFn(job))
    )
    return FhirOutputs(written, failures, summary)
