"""Filter files and BigQuery filter-table exports (spec section 8)."""

from __future__ import annotations

import io
import json

import fastavro
import pytest

from transforms.errors import FilterError
from transforms.dicom.filters import filter_from_rows, parse_filter_file, read_export_rows


def test_filter_file_levels():
    """Study, series and instance lines each select their level; CRLF and blanks are fine."""
    f = parse_filter_file("/studies/1.1\r\n\n/studies/2.1/series/2.2\n/studies/3.1/series/3.2/instances/3.3\n")
    assert f.accepts("1.1", "9", "9")
    assert f.accepts("9", "2.2", "9") and not f.accepts("2.1", "9", "9")
    assert f.accepts("9", "9", "3.3") and not f.accepts("3.1", "3.2", "9")


def test_filter_file_bad_line_named():
    """A malformed line fails with its line number."""
    with pytest.raises(FilterError, match="line 3"):
        parse_filter_file("/studies/1\n\n/study/2\n")


def _avro(rows, schema_fields):
    buf = io.BytesIO()
    schema = {"type": "record", "name": "r", "fields": schema_fields}
    fastavro.writer(buf, fastavro.parse_schema(schema), rows)
    return buf.getvalue()


@pytest.mark.parametrize(
    "name, data",
    [
        ("f.csv", b"StudyInstanceUID,SeriesInstanceUID,SOPInstanceUID\n1.1,,\n2.1,2.2,\n"),
        ("f.json", b'{"StudyInstanceUID": "1.1"}\n{"StudyInstanceUID": "2.1", "SeriesInstanceUID": "2.2", "SOPInstanceUID": null}\n'),
        ("f.avro", None),
        ("paths.csv", b"path\n/studies/1.1\n/studies/2.1/series/2.2\n"),
    ],
)
def test_export_formats(name, data):
    """CSV, JSONL and Avro exports, with UID columns or a path column, give the same filter."""
    if data is None:
        fields = [{"name": "StudyInstanceUID", "type": "string"}, {"name": "SeriesInstanceUID", "type": ["null", "string"]}]
        data = _avro([{"StudyInstanceUID": "1.1", "SeriesInstanceUID": None}, {"StudyInstanceUID": "2.1", "SeriesInstanceUID": "2.2"}], fields)
    f = filter_from_rows(read_export_rows(name, data), name)
    assert f.studies == {"1.1"} and f.series == {"2.2"} and not f.instances


def test_export_without_usable_column():
    """Rows with neither a path column nor StudyInstanceUID are rejected, naming the row."""
    with pytest.raises(FilterError, match="row 1"):
        filter_from_rows(read_export_rows("x.json", json.dumps({"a": 1, "b": 2}).encode()), "x.json")
