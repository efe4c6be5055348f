"""File access through Beam's FileSystems (local paths and gs://), and the file DoFns.

``expand_inputs`` turns --input values into match patterns; ``_ReadFn`` reads
each matched path (deciding the filter from the header first, so filtered-out
instances are never read whole); ``_WriteDicomFn`` writes outputs atomically.
"""

from __future__ import annotations

import json
import logging
import os
import uuid

import apache_beam as beam
from apache_beam import pvalue
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems
from apache_beam.metrics import Metrics

from transforms import codec
from transforms.deidentify import safe_message
from transforms.errors import DeidError
from transforms.filters import InstanceFilter

_LOGGER = logging.getLogger(__name__)
FAILED = "failed"
FILTERED = "filtered"
ANNOTATIONS = "annotations"
_GLOB_CHARS = set("*?[")


def is_gcs(path: str) -> bool:
    """Return True for gs:// paths."""
    return path.startswith("gs://")


def join(base: str, *parts: str) -> str:
    """Join path parts with '/' for gs:// and os.path for local paths."""
    return FileSystems.join(base, *parts) if is_gcs(base) else os.path.join(base, *parts)


def read_bytes(path: str) -> bytes:
    """Return the whole content of a local or gs:// file."""
    if not is_gcs(path):
        with open(path, "rb") as f:
            return f.read()
    with FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED) as f:
        return f.read()


def write_bytes_atomic(path: str, data: bytes, made_dirs: set[str] | None = None) -> None:
    """Write a file so that readers see the old file or the whole new one.

    GCS objects appear only when their upload completes; locally the bytes go
    to a temporary sibling that is then renamed over the target. ``made_dirs``
    remembers folders already created (one ``makedirs`` per folder, not per file).
    """
    if is_gcs(path):
        with FileSystems.create(path, compression_type=CompressionTypes.UNCOMPRESSED) as f:
            f.write(data)
        return
    folder = os.path.dirname(path)
    if made_dirs is None or folder not in made_dirs:
        os.makedirs(folder, exist_ok=True)
        if made_dirs is not None:
            made_dirs.add(folder)
    tmp = f"{path}.tmp-{uuid.uuid4().hex}"
    try:
        try:
            f = open(tmp, "wb")
        except FileNotFoundError:  # the folder went away since it was cached
            os.makedirs(folder, exist_ok=True)
            f = open(tmp, "wb")
        with f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def write_text(path: str, text: str) -> None:
    """Write UTF-8 text atomically (summary, failures, mapping files)."""
    write_bytes_atomic(path, text.encode("utf-8"))


def expand_inputs(inputs: list[str]) -> list[str]:
    """Turn --input values into match patterns, checking that plain paths exist.

    A folder (or a gs:// prefix that is not an object) becomes ``folder/**``;
    a glob is kept; a file is kept.

    Raises
    ------
    ValueError
        Naming an input that is neither a glob nor an existing file or folder.
    """
    patterns = []
    for raw in inputs:
        for item in (p.strip() for p in raw.split(",")):
            if not item:
                continue
            if _GLOB_CHARS & set(item):
                patterns.append(item)
            elif is_gcs(item):
                patterns.append(item if FileSystems.exists(item) and not item.endswith("/") else item.rstrip("/") + "/**")
            elif os.path.isdir(item):
                patterns.append(os.path.join(os.path.abspath(item), "**"))
            elif os.path.isfile(item):
                patterns.append(os.path.abspath(item))
            else:
                raise ValueError(f"--input {item}: no such file or folder")
    return patterns


def failure_record(source: str, stage: str, error: str, message: str) -> dict:
    """Return the failure record of spec section 9 (no element values)."""
    return {"source": source, "stage": stage, "error": error, "message": message}


class _ReadFn(beam.DoFn):
    """path -> (path, bytes); filtered paths and unreadable files go to side outputs."""

    def __init__(self, instance_filter: InstanceFilter | None) -> None:
        self._filter = instance_filter
        self._read = Metrics.counter("deid", "read")
        self._filtered = Metrics.counter("deid", "filtered_out")
        self._failed = Metrics.counter("deid", "failed_read")

    def process(self, path: str):
        stage = "read"
        try:
            if self._filter is not None:
                stage = "filter"
                if not self._accepts(path):
                    self._filtered.inc()
                    yield pvalue.TaggedOutput(FILTERED, path)
                    return
                stage = "read"
            data = read_bytes(path)
        except Exception as exc:  # every input ends up counted: unreadable = failed
            self._failed.inc()
            yield pvalue.TaggedOutput(FAILED, failure_record(path, stage, type(exc).__name__, safe_message(exc)))
            return
        self._read.inc()
        yield path, data

    def _accepts(self, path: str) -> bool:
        with FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED) as f:
            head = f.read(128 * 1024)
            while True:
                try:
                    ds = codec.parse(head, stop_before_pixels=True)
                    break
                except DeidError:
                    more = f.read(len(head))
                    if not more:
                        raise
                    head += more
        return self._filter.accepts(str(ds.StudyInstanceUID), str(ds.SeriesInstanceUID), str(ds.SOPInstanceUID))


class _WriteDicomFn(beam.DoFn):
    """(source, relative path, bytes) -> writes OUTPUT/relative path; yields the source."""

    def __init__(self, output: str) -> None:
        self._output = output
        self._made_dirs: set[str] = set()
        self._written = Metrics.counter("deid", "written")
        self._failed = Metrics.counter("deid", "failed_write")

    def process(self, element):
        source, relative, data, (study, annotations) = element
        try:
            write_bytes_atomic(join(self._output, *relative.split("/")), data, self._made_dirs)
        except Exception as exc:
            self._failed.inc()
            yield pvalue.TaggedOutput(FAILED, failure_record(source, "write", type(exc).__name__, safe_message(exc)))
            return
        self._written.inc()
        for line in annotations:
            yield pvalue.TaggedOutput(ANNOTATIONS, (study, line))
        yield source


class _WriteStudyAnnotationsFn(beam.DoFn):
    """(new study UID, [JSON lines]) -> FOLDER/<study>.jsonl, lines sorted."""

    def __init__(self, folder: str) -> None:
        self._folder = folder

    def process(self, element):
        study, lines = element
        path = join(self._folder, f"{study}.jsonl")
        write_text(path, "".join(line + "\n" for line in sorted(lines)))
        yield path


class WriteAnnotations(beam.PTransform):
    """Write annotation lines grouped by study: deterministic files, bounded in size."""

    def __init__(self, folder: str) -> None:
        super().__init__()
        self._folder = folder

    def expand(self, pairs):
        return (
            pairs
            | "GroupByStudy" >> beam.GroupByKey()
            | "WriteStudyAnnotations" >> beam.ParDo(_WriteStudyAnnotationsFn(self._folder))
        )


class WriteFailures(beam.PTransform):
    """Write failure records as one sorted JSON-lines file (empty when none failed)."""

    def __init__(self, path: str) -> None:
        super().__init__()
        self._path = path

    def expand(self, failures):
        return (
            failures
            | "FailureToJson" >> beam.Map(lambda r: json.dumps(r, sort_keys=True))
            | "WriteFailuresFile" >> WriteLines(self._path)
        )


class WriteLines(beam.PTransform):
    """Write strings as one sorted text file (e.g. the UID mapping CSV)."""

    def __init__(self, path: str, header: str = "") -> None:
        super().__init__()
        self._path = path
        self._header = header

    def expand(self, lines):
        header = self._header
        path = self._path

        def write(items: list) -> str:
            body = "".join(line + "\n" for line in sorted(set(items)))
            write_text(path, (header + "\n" if header else "") + body)
            return path

        return lines | "CollectLines" >> beam.combiners.ToList() | "WriteLinesFile" >> beam.Map(write)


__all__ = [
    "FAILED",
    "FILTERED",
    "ANNOTATIONS",
    "WriteAnnotations",
    "WriteFailures",
    "WriteLines",
    "expand_inputs",
    "read_bytes",
    "write_text",
]
