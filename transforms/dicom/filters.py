"""Which instances a job processes: filter files and filter-table exports.

A filter lists studies, series and instances by their source UIDs; an instance
is processed when its study, its series or itself is listed (spec section 8).
Parsing is pure: callers hand in text or bytes, never paths.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from typing import Iterable, Mapping

from transforms.errors import FilterError, cause

_UID = r"[0-9]+(?:\.[0-9]+)*"
_PATH_RE = re.compile(rf"^/studies/({_UID})(?:/series/({_UID})(?:/instances/({_UID}))?)?/?$")
PATH_COLUMNS = ("path", "resource_path", "resourcePath", "dicom_path", "dicomPath")
UID_COLUMNS = ("StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID")


@dataclass(frozen=True)
class InstanceFilter:
    """Sets of listed study, series and SOP instance UIDs."""

    studies: frozenset[str] = frozenset()
    series: frozenset[str] = frozenset()
    instances: frozenset[str] = frozenset()

    def accepts(self, study: str, series: str, sop: str) -> bool:
        """Return True when the instance is listed by study, series or itself."""
        return study in self.studies or series in self.series or sop in self.instances

    def __len__(self) -> int:
        return len(self.studies) + len(self.series) + len(self.instances)

    def union(self, other: InstanceFilter) -> InstanceFilter:
        """Return a filter listing what either lists."""
        return InstanceFilter(
            self.studies | other.studies, self.series | other.series, self.instances | other.instances
        )


def _from_triples(triples: Iterable[tuple[str, str | None, str | None]]) -> InstanceFilter:
    studies, series, instances = set(), set(), set()
    for study, ser, sop in triples:
        if sop:
            instances.add(sop)
        elif ser:
            series.add(ser)
        else:
            studies.add(study)
    return InstanceFilter(frozenset(studies), frozenset(series), frozenset(instances))


def parse_resource_path(text: str) -> tuple[str, str | None, str | None] | None:
    """Return (study, series, instance) UIDs of a ``/studies/...`` path, None if malformed."""
    m = _PATH_RE.match(text.strip())
    return (m.group(1), m.group(2), m.group(3)) if m else None


def parse_filter_file(text: str, name: str = "filter file") -> InstanceFilter:
    """Parse a filter file: one ``/studies/S[/series/R[/instances/I]]`` per line.

    Blank lines are ignored; ``\\n`` and ``\\r\\n`` both end a line.

    Raises
    ------
    FilterError
        Naming the first malformed line by number.
    """
    triples = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parsed = parse_resource_path(line)
        if parsed is None:
            raise FilterError(
                f"{name} line {number}: expected /studies/UID[/series/UID[/instances/UID]]"
            )
        triples.append(parsed)
    return _from_triples(triples)


def filter_from_rows(rows: Iterable[Mapping[str, object]], name: str) -> InstanceFilter:
    """Build a filter from table rows: a path column, or UID columns.

    Raises
    ------
    FilterError
        When a row has neither a path column nor StudyInstanceUID, or a path is malformed.
    """
    triples = []
    for number, row in enumerate(rows, start=1):
        path_col = next((c for c in PATH_COLUMNS if c in row), None)
        if path_col is None and len(row) == 1 and UID_COLUMNS[0] not in row:
            path_col = next(iter(row))
        if path_col is not None:
            value = row[path_col]
            parsed = parse_resource_path(str(value)) if value else None
            if parsed is None:
                raise FilterError(f"{name} row {number}: column {path_col} is not a /studies/... path")
            triples.append(parsed)
            continue
        study = _cell(row.get(UID_COLUMNS[0]))
        if not study:
            raise FilterError(
                f"{name} row {number}: needs a path column ({', '.join(PATH_COLUMNS)}) or StudyInstanceUID"
            )
        series = _cell(row.get(UID_COLUMNS[1]))
        sop = _cell(row.get(UID_COLUMNS[2]))
        triples.append((study, series, sop))
    return _from_triples(triples)


def _cell(value: object) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text or None


def read_export_rows(name: str, data: bytes) -> list[dict]:
    """Decode one BigQuery export file (CSV with header, JSONL or Avro) into rows.

    The format comes from the file name (``.csv``, ``.json``/``.jsonl``/``.ndjson``,
    ``.avro``), else from the content.

    Raises
    ------
    FilterError
        When the content is not one of these formats.
    """
    lower = name.lower()
    if lower.endswith(".avro") or data[:4] == b"Obj\x01":
        import fastavro

        try:
            return [dict(r) for r in fastavro.reader(io.BytesIO(data))]
        except Exception as exc:
            raise FilterError(f"{name}: not a readable Avro file ({cause(exc)})") from None
    text = data.decode("utf-8-sig")
    if lower.endswith((".json", ".jsonl", ".ndjson")) or text.lstrip().startswith("{"):
        rows = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                raise FilterError(f"{name} line {number}: not a JSON object") from None
            if not isinstance(row, dict):
                raise FilterError(f"{name} line {number}: not a JSON object")
            rows.append(row)
        return rows
    return list(csv.DictReader(io.StringIO(text)))
