"""The pipeline graph: match -> reshuffle -> read/filter/skip -> de-identify -> write.

``build(p, job)`` wires the transforms and returns the PCollections a test may
inspect; it parses no options (see ``pipeline.run``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import apache_beam as beam
from apache_beam.io import fileio
from apache_beam.io.fileio import EmptyMatchTreatment

from pipeline.bigquery import ReadBigQueryFilter, WriteAnnotationsTable
from pipeline.config import JobConfig
from pipeline.dofns import UID_PAIRS, DeidentifyFn
from pipeline.progress import Progress, _FoundFn
from pipeline.files import (
    ANNOTATIONS,
    FAILED,
    FILTERED,
    SKIPPED,
    WriteAnnotations,
    WriteFailures,
    WriteLines,
    _ReadFn,
    _WriteDicomFn,
    write_text,
)
from transforms.dicom.deidentify import STAGES

READ = "read"
WRITTEN = "written"


@dataclass
class DeidOutputs:
    """PCollections exposed for tests: sources written, filtered out, failure records, summary."""

    written: beam.PCollection
    filtered: beam.PCollection
    failures: beam.PCollection
    summary: beam.PCollection


def summarize(counts: list[tuple[str, int]], job: JobConfig) -> dict:
    """Return the summary dict from (outcome, count) pairs.

    Outcomes are ``found``, ``filtered_out``, ``skipped``, ``succeeded`` and
    ``failed:<stage>``; found = filtered_out + skipped + succeeded + failed holds
    by construction, since each matched path yields exactly one outcome.
    """
    c = dict(counts)
    by_stage = {s: c.get(f"failed:{s}", 0) for s in STAGES if c.get(f"failed:{s}", 0)}
    failed = sum(by_stage.values())
    succeeded = c.get("succeeded", 0)
    return {
        "found": c.get("found", 0),
        "filtered_out": c.get("filtered_out", 0),
        "skipped": c.get("skipped", 0),
        "succeeded": succeeded,
        "failed": failed,
        "failed_by_stage": by_stage,
        "counter": {"success": succeeded, "failure": failed},
        "profile": job.spec.profile,
        "uid_key": job.key.origin,
        "output": job.output,
        "failures_output": job.failures_output,
        "skip_existing": job.skip_existing,
    }


class _WriteSummaryFn(beam.DoFn):
    def __init__(self, job: JobConfig) -> None:
        self._job = job

    def process(self, counts: list):
        summary = summarize(counts, self._job)
        write_text(self._job.summary_output, json.dumps(summary, indent=1, sort_keys=True) + "\n")
        yield summary


def build(p: beam.Pipeline, job: JobConfig) -> DeidOutputs:
    """Add the de-identification job to pipeline ``p``."""
    progress = Progress(job.progress_interval, job.progress_scope, job.run_id, keep=job.progress_keep)
    matched = (
        p
        | "Inputs" >> beam.Create(list(job.patterns))
        | "Match" >> fileio.MatchAll(EmptyMatchTreatment.ALLOW)
        | "Paths" >> beam.ParDo(_FoundFn(progress))
    )
    paths = matched | "Reshuffle" >> beam.Reshuffle()
    side = {}
    if job.filter_table or job.filter_query:
        table_filter = p | "FilterFromBigQuery" >> ReadBigQueryFilter(job.filter_table, job.filter_query)
        side["table_filter"] = beam.pvalue.AsSingleton(table_filter)
    read = paths | "ReadAndFilter" >> beam.ParDo(_ReadFn(job, progress), **side).with_outputs(
        FILTERED, SKIPPED, FAILED, main=READ
    )
    deid = read[READ] | "Deidentify" >> beam.ParDo(
        DeidentifyFn(job.spec, job.key, job.uid_root, bool(job.uid_mapping_output), progress)
    ).with_outputs(FAILED, UID_PAIRS, main="deidentified")
    written = deid["deidentified"] | "Write" >> beam.ParDo(_WriteDicomFn(job.output, job.run_id, progress)).with_outputs(
        FAILED, ANNOTATIONS, main=WRITTEN
    )
    if job.annotations_output:
        written[ANNOTATIONS] | "WriteAnnotations" >> WriteAnnotations(job.annotations_output)
    if job.annotations_table:
        written[ANNOTATIONS] | "WriteAnnotationsTable" >> WriteAnnotationsTable(job.annotations_table)
    failures = (read[FAILED], deid[FAILED], written[FAILED]) | "AllFailures" >> beam.Flatten()
    failures | "WriteFailures" >> WriteFailures(job.failures_output)
    if job.uid_mapping_output:
        deid[UID_PAIRS] | "WriteUidMapping" >> WriteLines(job.uid_mapping_output, header="original,new")

    outcomes = (
        matched | "FoundOutcome" >> beam.Map(lambda _: "found"),
        read[FILTERED] | "FilteredOutcome" >> beam.Map(lambda _: "filtered_out"),
        read[SKIPPED] | "SkippedOutcome" >> beam.Map(lambda _: "skipped"),
        written[WRITTEN] | "WrittenOutcome" >> beam.Map(lambda _: "succeeded"),
        failures | "FailedOutcome" >> beam.Map(lambda f: f"failed:{f['stage']}"),
    )
    summary = (
        outcomes
        | "AllOutcomes" >> beam.Flatten()
        | "CountOutcomes" >> beam.combiners.Count.PerElement()
        | "CollectCounts" >> beam.combiners.ToList()
        | "WriteSummary" >> beam.ParDo(_WriteSummaryFn(job))
    )
    return DeidOutputs(written[WRITTEN], read[FILTERED], failures, summary)
