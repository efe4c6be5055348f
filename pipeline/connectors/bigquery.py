"""BigQuery ends of the job: the filter table or query, and the annotations table.

This is the Dataflow path (``--filter_table`` / ``--filter_query``,
``--annotations_table``). BigQuery cannot run in the tests here, so the tests
build these transforms and check their table, query and schema without a cloud
call; the same rows go through ``transforms.dicom.filters.filter_from_rows`` as the
export files of ``--filter_table_export``, which is tested end to end.

Unlike the local filter, a BigQuery filter is read by the running pipeline: a
malformed row fails the job after it started (the row number is in the error),
not before.
"""

from __future__ import annotations

import json

import apache_beam as beam
from apache_beam.io.gcp.bigquery import BigQueryDisposition, ReadFromBigQuery, WriteToBigQuery

from transforms.dicom.filters import filter_from_rows

# Documented in README.md ("Annotations in BigQuery"). One row per written instance.
ANNOTATIONS_SCHEMA = {
    "fields": [
        {
            "name": "study_uid",
            "type": "STRING",
            "mode": "REQUIRED",
            "description": "De-identified StudyInstanceUID of the instance (as in the output path).",
        },
        {
            "name": "source_name",
            "type": "STRING",
            "mode": "REQUIRED",
            "description": "annotationSource.cloudHealthcareSource.name: source path and original UIDs "
            "(re-identifying).",
        },
        {
            "name": "annotation",
            "type": "STRING",
            "mode": "REQUIRED",
            "description": "The text Annotation resource as JSON, as in the --annotations_output lines "
            "(holds quotes, i.e. PHI, when storeQuote is true).",
        },
    ]
}


def read_filter_rows(table: str | None = None, query: str | None = None) -> ReadFromBigQuery:
    """Return the ReadFromBigQuery of a filter table or standard-SQL query (Storage Read API)."""
    if (table is None) == (query is None):
        raise ValueError("give a filter table or a query, not both")
    method = ReadFromBigQuery.Method.DIRECT_READ
    if table is not None:
        return ReadFromBigQuery(table=table, method=method)
    return ReadFromBigQuery(query=query, use_standard_sql=True, method=method)


def write_annotations_table(table: str) -> WriteToBigQuery:
    """Return the WriteToBigQuery of annotation rows: table created if needed, rows appended."""
    return WriteToBigQuery(
        table,
        schema=ANNOTATIONS_SCHEMA,
        create_disposition=BigQueryDisposition.CREATE_IF_NEEDED,
        write_disposition=BigQueryDisposition.WRITE_APPEND,
        method=WriteToBigQuery.Method.FILE_LOADS,
    )


def annotation_row(study_uid: str, line: str) -> dict:
    """Return the ANNOTATIONS_SCHEMA row of one annotation JSON line."""
    name = json.loads(line)["annotationSource"]["cloudHealthcareSource"]["name"]
    return {"study_uid": study_uid, "source_name": name, "annotation": line}


class ReadBigQueryFilter(beam.PTransform):
    """Read the filter rows and build one InstanceFilter (a singleton PCollection)."""

    def __init__(self, table: str | None, query: str | None) -> None:
        super().__init__()
        self._table = table
        self._query = query

    def expand(self, pbegin):
        name = f"--filter_table {self._table}" if self._table else "--filter_query"
        return (
            pbegin
            | "ReadFilterRows" >> read_filter_rows(self._table, self._query)
            | "CollectFilterRows" >> beam.combiners.ToList()
            | "BuildFilter" >> beam.Map(lambda rows: filter_from_rows(rows, name=name))
        )


class WriteAnnotationsTable(beam.PTransform):
    """(new study UID, JSON line) pairs -> rows of ``table``."""

    def __init__(self, table: str) -> None:
        super().__init__()
        self._table = table

    def expand(self, pairs):
        return (
            pairs
            | "AnnotationRows" >> beam.MapTuple(annotation_row)
            | "WriteAnnotationRows" >> write_annotations_table(self._table)
        )


# Documented in README.md ("FHIR"). One row per de-identified resource with an annotation.
FHIR_ANNOTATIONS_SCHEMA = {
    "fields": [
        {"name": "resource_type", "type": "STRING", "mode": "REQUIRED", "description": "The resource's type."},
        {
            "name": "source_name",
            "type": "STRING",
            "mode": "REQUIRED",
            "description": "annotationSource.cloudHealthcareSource.name: source file and source id (re-identifying).",
        },
        {
            "name": "annotation",
            "type": "STRING",
            "mode": "REQUIRED",
            "description": "The Annotation as JSON, as in the --annotations_output lines (PHI when storeQuote is true).",
        },
    ]
}


def fhir_annotation_row(resource_type: str, line: str) -> dict:
    """Return the FHIR_ANNOTATIONS_SCHEMA row of one annotation JSON line."""
    name = json.loads(line)["annotationSource"]["cloudHealthcareSource"]["name"]
    return {"resource_type": resource_type, "source_name": name, "annotation": line}


class WriteFhirAnnotationsTable(beam.PTransform):
    """(type, new id, JSON line) triples -> rows of ``table`` (created if needed, appended)."""

    def __init__(self, table: str) -> None:
        super().__init__()
        self._table = table

    def expand(self, triples):
        return (
            triples
            | "ToFhirAnnotationRows" >> beam.Map(lambda t: fhir_annotation_row(t[0], t[2]))
            | "WriteFhirAnnotationRows"
            >> WriteToBigQuery(
                self._table,
                schema=FHIR_ANNOTATIONS_SCHEMA,
                create_disposition=BigQueryDisposition.CREATE_IF_NEEDED,
                write_disposition=BigQueryDisposition.WRITE_APPEND,
                method=WriteToBigQuery.Method.FILE_LOADS,
            )
        )
