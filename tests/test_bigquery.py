"""The BigQuery transforms are built with the given table, query and schema.

BigQuery cannot run here (no emulator Beam can read from), so these tests build
the transforms and the job graph without running them; no cloud call is made.
The rows they carry go through the same code as the export files, which
tests/test_pipeline.py runs end to end on gs:// (storage emulator).
"""

from __future__ import annotations

import json

import apache_beam as beam
import pytest
from apache_beam.io.gcp.bigquery import BigQueryDisposition, ReadFromBigQuery, WriteToBigQuery
from apache_beam.options.pipeline_options import PipelineOptions

from pipeline.connectors.bigquery import ANNOTATIONS_SCHEMA, annotation_row, read_filter_rows, write_annotations_table
from pipeline.dicom.config import JobConfig
from pipeline.jobsetup import SetupError
from pipeline.dicom.graph import build
from pipeline.options import DeidOptions
from tests.factories import make_dataset, to_bytes
from transforms.deid_config import parse_config
from transforms.dicom.deidentify import Deidentifier

ANNOTATING = {"dicomTagConfig": {"profileType": "DEIDENTIFY_TAG_CONTENTS"}, "annotation": {"storeQuote": False}}


def test_filter_table_read():
    """--filter_table reads the table with the Storage Read API."""
    read = read_filter_rows(table="my-project:pacs.tonight")
    assert isinstance(read, ReadFromBigQuery)
    assert read.method == ReadFromBigQuery.Method.DIRECT_READ
    assert read._kwargs == {"table": "my-project:pacs.tonight"}


def test_filter_query_read():
    """--filter_query runs standard SQL."""
    sql = "SELECT StudyInstanceUID FROM `my-project.pacs.studies`"
    read = read_filter_rows(query=sql)
    assert read._kwargs == {"query": sql, "use_standard_sql": True}
    with pytest.raises(ValueError):
        read_filter_rows(table="p:d.t", query=sql)


def test_annotations_write():
    """--annotations_table: the documented schema, created if needed, rows appended, load jobs."""
    write = write_annotations_table("my-project:phi.annotations")
    assert isinstance(write, WriteToBigQuery)
    ref = write.table_reference
    assert (ref.projectId, ref.datasetId, ref.tableId) == ("my-project", "phi", "annotations")
    assert write.schema == ANNOTATIONS_SCHEMA
    assert write.create_disposition == BigQueryDisposition.CREATE_IF_NEEDED
    assert write.write_disposition == BigQueryDisposition.WRITE_APPEND
    assert write.method == WriteToBigQuery.Method.FILE_LOADS


def test_annotation_row_fits_the_schema():
    """An engine annotation becomes one row with exactly the schema's columns."""
    result = Deidentifier(parse_config(ANNOTATING), b"k" * 32)(to_bytes(make_dataset()), source="gs://b/a.dcm")
    (line,) = result.annotations
    row = annotation_row(result.study_uid, line)
    assert set(row) == {f["name"] for f in ANNOTATIONS_SCHEMA["fields"]}
    assert row["source_name"].startswith("gs://b/a.dcm/studies/") and json.loads(row["annotation"])


def test_job_graph_with_bigquery_ends(tmp_path):
    """The whole job graph builds with a filter table and an annotations table (not run)."""
    (tmp_path / "in").mkdir()
    (tmp_path / "c.json").write_text(json.dumps(ANNOTATING))
    argv = [
        f"--input={tmp_path / 'in'}", f"--output={tmp_path / 'out'}", f"--config={tmp_path / 'c.json'}",
        "--filter_table=my-project:pacs.tonight", "--annotations_table=my-project:phi.annotations",
        "--project=my-project", "--temp_location=gs://b/tmp",
    ]
    options = PipelineOptions(argv)
    job = JobConfig.from_options(options.view_as(DeidOptions), environ={})
    p = beam.Pipeline(options=options)
    build(p, job)
    labels = {t.full_label for t in p.transforms_stack[0].parts}
    assert {"FilterFromBigQuery", "WriteAnnotationsTable", "ReadAndFilter"} <= labels


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--filter_table=p-1234:d.t", "--filter_query=SELECT 1"], "not both"),
        (["--filter_table=gs://b/t"], "--filter_table must be"),
        (["--annotations_table=p-1234:d.t"], "--annotations_table needs an 'annotation'"),
    ],
)
def test_bigquery_option_errors(tmp_path, extra, message):
    """Conflicting or malformed BigQuery options stop the job before it starts."""
    (tmp_path / "in").mkdir()
    argv = ["--input", str(tmp_path / "in"), "--output", str(tmp_path / "out"), *extra]
    with pytest.raises(SetupError, match=message):
        JobConfig.from_options(PipelineOptions(argv).view_as(DeidOptions), environ={})


def test_fhir_annotations_table_rows_and_graph(tmp_path):
    """fhir-deid --annotations_table: rows {resource_type, source_name, annotation}; the graph builds."""
    from pipeline.connectors.bigquery import FHIR_ANNOTATIONS_SCHEMA, fhir_annotation_row
    from pipeline.fhir.config import FhirJobConfig
    from pipeline.fhir.graph import build as build_fhir
    from pipeline.options import FhirOptions
    from tests.fhir_factories import sample_patient
    from transforms.fhir.engine import FhirDeidentifier
    from transforms.fhir.ndjson import dumps

    result = FhirDeidentifier(parse_config({"annotation": {}}), b"k" * 32)(sample_patient(), source="in.ndjson")
    line = dumps(result.annotation)
    row = fhir_annotation_row("Patient", line)
    assert row == {"resource_type": "Patient", "source_name": f"in.ndjson/fhir/Patient/{sample_patient()['id']}", "annotation": line}
    assert [f["name"] for f in FHIR_ANNOTATIONS_SCHEMA["fields"]] == list(row)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "Patient.ndjson").write_text(json.dumps(sample_patient()) + "\n")
    cfg = tmp_path / "c.json"
    cfg.write_text(json.dumps({"annotation": {}}))
    opts = PipelineOptions(["--input", str(tmp_path / "in"), "--output", str(tmp_path / "out"), "--config", str(cfg),
                            "--annotations_table", "my-project:deid.fhir_annotations"])  # fmt: skip
    job = FhirJobConfig.from_options(opts.view_as(DeidOptions), opts.view_as(FhirOptions), environ={})
    p = beam.Pipeline(options=opts)
    build_fhir(p, job)
    labels = []
    p.visit(_Labels(labels))
    assert any(label.endswith("WriteAnnotationsTable/WriteFhirAnnotationRows") for label in labels)


class _Labels(beam.pipeline.PipelineVisitor):
    def __init__(self, out: list) -> None:
        self.out = out

    def enter_composite_transform(self, node) -> None:
        self.out.append(node.full_label)
