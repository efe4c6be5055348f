"""The pipeline graph: match -> reshuffle -> read/filter/skip -> de-identify -> write.

A DICOMweb source adds a branch (list -> retrieve, ``pipeline.connectors.dicomweb_read``)
flattened into de-identification; a DICOMweb destination adds the STOW-RS writer
after (or instead of) the file writer.

``build(p, job)`` wires the transforms and returns the PCollections a test may
inspect; it parses no options (see ``pipeline.dicom.run``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import apache_beam as beam
from apache_beam.io import fileio
from apache_beam.io.fileio import EmptyMatchTreatment

from pipeline.connectors.dicomweb_read import STATS, ReadDicomweb
from pipeline.connectors.dicomweb_store import StoreFn
from pipeline.connectors.files import write_text
from pipeline.dicom.config import JobConfig
from pipeline.dicom.deidentify import DeidentifyFn
from pipeline.dicom.read import _ReadFn
from pipeline.dicom.write import ReadBackKeptFn, WriteAnnotations, WriteInstances, WriteReviewReport
from pipeline.progress import Progress, _FoundFn
from pipeline.records import (
    ANNOTATIONS,
    FAILED,
    FIGURES,
    FILTERED,
    REVIEW,
    SKIPPED,
    VALUES_REPLACED,
    WriteFailures,
    WriteLines,
)
from transforms.dicom.deidentify import STAGES
from transforms.dicom.uids import mapping_row

READ = "read"


@dataclass
class DeidOutputs:
    """PCollections exposed for tests: sources written, duplicates, filtered out, failure records, summary."""

    written: beam.PCollection
    filtered: beam.PCollection
    failures: beam.PCollection
    summary: beam.PCollection
    duplicates: beam.PCollection | None = None


def summarize(counts: list[tuple[str, int]], job: JobConfig) -> dict:
    """Return the summary dict from (outcome, count) pairs.

    Outcomes are ``found``, ``filtered_out``, ``skipped``, ``succeeded``,
    ``duplicates`` and ``failed:<stage>``; found = filtered_out + skipped +
    succeeded + duplicates + failed holds by construction, since each matched
    path yields exactly one outcome. ``succeeded`` is the number of files
    written: a duplicate (the same de-identified bytes as a kept input of its
    output path) is written once, for the kept input.
    """
    c = dict(counts)
    summary = _summary(c, job)
    if job.source is not None or job.destination is not None:
        summary["dicomweb"] = {
            "source": job.source.name if job.source else None,
            "destination": job.destination.name if job.destination else None,
            **{f: c.get(f"dicomweb:{f}", 0) for f in DICOMWEB_FIGURES},
            "throttled_seconds": round(c.get("dicomweb:throttled_ms", 0) / 1000, 3),
        }
    return summary


DICOMWEB_FIGURES = (
    "studies_listed",
    "series_listed",
    "filter_unmatched",
    "requests",
    "retries",
    "retrieved",
    "stored",
    "stored_with_warning",
    "already_stored",
)


def _summary(c: dict, job: JobConfig) -> dict:
    by_stage = {s: c.get(f"failed:{s}", 0) for s in STAGES if c.get(f"failed:{s}", 0)}
    failed = sum(by_stage.values())
    succeeded = c.get("succeeded", 0)
    return {
        "found": c.get("found", 0),
        "filtered_out": c.get("filtered_out", 0),
        "skipped": c.get("skipped", 0),
        "succeeded": succeeded,
        "duplicates": c.get("duplicates", 0),
        "failed": failed,
        "failed_by_stage": by_stage,
        "counter": {"success": succeeded, "failure": failed},
        VALUES_REPLACED: c.get(VALUES_REPLACED, 0),
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


def _mapping_rows(element) -> list[str]:
    """The UID mapping lines of one de-identified element (valid UIDs only: ``uids.mapping_row``)."""
    return [row for row in (mapping_row(o, n) for o, n in element[5]) if row is not None]


def dicomweb_seeds(job: JobConfig) -> list[tuple[str, str]]:
    """The listing's seeds: the whole store, or the filter's entries pushed down (spec section 5)."""
    f = job.instance_filter
    if f is None:
        return [("store", "")]
    return (
        [("study", u) for u in sorted(f.studies)]
        + [("series", u) for u in sorted(f.series)]
        + [("instance", u) for u in sorted(f.instances)]
    )


def build(p: beam.Pipeline, job: JobConfig) -> DeidOutputs:
    """Add the de-identification job to pipeline ``p``."""
    progress = Progress(job.progress_interval, job.progress_scope, job.run_id, keep=job.progress_keep)
    to_deid, found, filtered, skipped, read_failures, stats = [], [], [], [], [], []
    if job.patterns:
        matched = (
            p
            | "Inputs" >> beam.Create(list(job.patterns))
            | "Match" >> fileio.MatchAll(EmptyMatchTreatment.ALLOW)
            | "Paths" >> beam.ParDo(_FoundFn(progress))
        )
        paths = matched | "Reshuffle" >> beam.Reshuffle()
        side = {}
        if job.filter_table or job.filter_query:
            from pipeline.connectors.bigquery import (
                ReadBigQueryFilter,  # BigQuery's Beam I/O only for a job that reads it
            )

            table_filter = p | "FilterFromBigQuery" >> ReadBigQueryFilter(job.filter_table, job.filter_query)
            side["table_filter"] = beam.pvalue.AsSingleton(table_filter)
        read = paths | "ReadAndFilter" >> beam.ParDo(_ReadFn(job, progress), **side).with_outputs(
            FILTERED, SKIPPED, FAILED, main=READ
        )
        to_deid.append(read[READ])
        found.append(matched)
        filtered.append(read[FILTERED])
        skipped.append(read[SKIPPED])
        read_failures.append(read[FAILED])
    if job.source is not None:
        web = (
            p
            | "DicomwebSeeds" >> beam.Create(dicomweb_seeds(job))
            | "ReadDicomweb" >> ReadDicomweb(job, progress)
        )
        to_deid.append(web["read"])
        found += [web["found"], web["list_failed"]]
        skipped.append(web["skipped"])
        read_failures += [web["failed"], web["list_failed"]]
        stats.append(web["stats"])
    inputs = to_deid[0] if len(to_deid) == 1 else tuple(to_deid) | "AllInputs" >> beam.Flatten()
    store_names = (job.source.name,) if job.source is not None else ()
    deid = inputs | "Deidentify" >> beam.ParDo(
        DeidentifyFn(
            job.spec, job.key, job.uid_root, bool(job.uid_mapping_output), progress, store_names, job.residual_sweep,
            bool(job.review_report), job.max_instance_bytes,
        )
    ).with_outputs(FAILED, FIGURES, REVIEW, main="deidentified")
    if job.review_report:
        deid[REVIEW] | "WriteReviewReport" >> WriteReviewReport(job.review_report)
    write_failures, duplicates, uid_pairs = [], None, None
    to_store = deid["deidentified"]
    if job.output:
        # Files first: one output per path (duplicates, conflicts); a store then gets the kept bytes.
        passthrough = job.destination is not None
        written, duplicates, file_failed, annotations, uid_pairs = deid["deidentified"] | "Write" >> WriteInstances(
            job.output, job.run_id, progress, passthrough
        )
        write_failures.append(file_failed)
        if passthrough:
            to_store = written | "ReadBackKept" >> beam.ParDo(ReadBackKeptFn(job.output))
    if job.destination is not None:
        stored = to_store | "Store" >> beam.ParDo(StoreFn(job, progress)).with_outputs(
            FAILED, ANNOTATIONS, STATS, main="stored"
        )
        written, annotations = stored["stored"], stored[ANNOTATIONS]
        write_failures.append(stored[FAILED])
        stats.append(stored[STATS])
        if uid_pairs is None:
            uid_pairs = deid["deidentified"] | "UidPairs" >> beam.FlatMap(_mapping_rows)
    if job.annotations_output:
        annotations | "WriteAnnotations" >> WriteAnnotations(job.annotations_output)
    if job.annotations_table:
        from pipeline.connectors.bigquery import WriteAnnotationsTable

        annotations | "WriteAnnotationsTable" >> WriteAnnotationsTable(job.annotations_table)
    failures = (*read_failures, deid[FAILED], *write_failures) | "AllFailures" >> beam.Flatten()
    failures | "WriteFailures" >> WriteFailures(job.failures_output)
    if job.uid_mapping_output:
        uid_pairs | "WriteUidMapping" >> WriteLines(job.uid_mapping_output, header="original,new", private=True)

    def flat(label: str, pcolls: list):
        return pcolls[0] if len(pcolls) == 1 else tuple(pcolls) | label >> beam.Flatten()

    filtered_all = flat("AllFiltered", filtered) if filtered else None
    outcomes = [
        flat("AllFound", found) | "FoundOutcome" >> beam.Map(lambda _: "found"),
        flat("AllSkipped", skipped) | "SkippedOutcome" >> beam.Map(lambda _: "skipped"),
        written | "WrittenOutcome" >> beam.Map(lambda _: "succeeded"),
        failures | "FailedOutcome" >> beam.Map(lambda f: f"failed:{f['stage']}"),
    ]
    if duplicates is not None:
        outcomes.append(duplicates | "DuplicateOutcome" >> beam.Map(lambda _: "duplicates"))
    if filtered_all is not None:
        outcomes.append(filtered_all | "FilteredOutcome" >> beam.Map(lambda _: "filtered_out"))
    counted = tuple(outcomes) | "AllOutcomes" >> beam.Flatten() | "OutcomePairs" >> beam.Map(lambda k: (k, 1))
    summary = (
        (counted, deid[FIGURES], *stats)
        | "AllFigures" >> beam.Flatten()
        | "CountOutcomes" >> beam.CombinePerKey(sum)
        | "CollectCounts" >> beam.combiners.ToList()
        | "WriteSummary" >> beam.ParDo(_WriteSummaryFn(job))
    )
    return DeidOutputs(written, filtered_all, failures, summary, duplicates)
