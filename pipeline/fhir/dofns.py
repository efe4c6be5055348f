"""The FHIR job's DoFns: thin adapters around ``transforms.fhir`` (read, parse, de-identify, write).

Every element that can fail becomes a failure record ``{"source", "line", "entry",
"resource_type", "stage", "error", "message"}`` naming field paths, never values, and
every resource is counted exactly once as an outcome (see ``fhir_graph.summarize``).
"""

from __future__ import annotations

import gzip
import logging

import apache_beam as beam
from apache_beam import pvalue
from apache_beam.metrics import Metrics

from pipeline.connectors.files import (
    confined,
    is_gcs,
    open_source,
    read_source,
    source_stamp,
    too_large,
    write_text,
)
from pipeline.jobsetup import KeySource
from pipeline.options import DEFAULT_MAX_LINE_BYTES
from pipeline.records import FAILED
from transforms.deid_config import DeidSpec
from transforms.errors import (
    DeidError,
    InputNotRegularError,
    InputTooLargeError,
    KeyMaterialError,
    UnexpectedError,
)
from transforms.fhir.bundle import units
from transforms.fhir.engine import FhirDeidentifier, identifier_value, patient_reference
from transforms.fhir.ndjson import dumps, parse_resource

_LOGGER = logging.getLogger(__name__)
FILTERED = "filtered"
ANNOTATIONS = "annotations"
ID_PAIRS = "id_pairs"
OUTCOMES = "outcomes"
SHARD_RESOURCES = 100_000  # resources per output file, at most


def fhir_failure(source: str, line: int | None, entry: int | None, rtype: str, stage: str, error: str, message: str) -> dict:
    """Return a FHIR failure record (spec 10): no value, no source id."""
    return {
        "source": source,
        "line": line,
        "entry": entry,
        "resource_type": rtype or "unknown",
        "stage": stage,
        "error": error,
        "message": message,
    }


def _error_name(exc: Exception) -> str:
    return type(exc).__name__ if isinstance(exc, DeidError) else UnexpectedError.__name__


def _message(exc: Exception, what: str) -> str:
    if isinstance(exc, DeidError):
        return str(exc)
    return f"unexpected {type(exc).__name__} while {what}; no value is reported"


def _engine(spec: DeidSpec, key: KeySource, system: str | None, lowercase: bool) -> FhirDeidentifier:
    """The engine of a worker: the key file is read here, in setup(), never in the graph."""
    return FhirDeidentifier(spec, key.load(), system, lowercase)


class ReadLinesFn(beam.DoFn):
    """path -> (source, line number, text) for each non-blank line; a ``.json`` file is line 1.

    Bounded (docs/security.md): only a regular file is opened (``files.source_stamp``
    by ``stat`` first), and no line (nor a ``.json`` file) longer than
    ``max_line_bytes``, decompressed, is held: it becomes a failure record and
    reading goes on at the next line.
    """

    def __init__(self, max_line_bytes: int = DEFAULT_MAX_LINE_BYTES) -> None:
        self._max = max_line_bytes

    def process(self, path: str):
        limit = self._max
        try:
            if not is_gcs(path):
                source_stamp(path)  # a FIFO, device or socket is never opened
            if path.endswith(".json"):
                data = read_source(path, limit, "--max_line_bytes")
                text = data.decode("utf-8")
                yield path, 1, text
                return
            for number, raw in _lines(path, limit):
                if raw is None:
                    message = too_large("--max_line_bytes", limit, "the line is longer")
                    failure = fhir_failure(path, number, None, "", "read", InputTooLargeError.__name__, message)
                    yield pvalue.TaggedOutput(FAILED, failure)
                    continue
                try:
                    text = raw.decode("utf-8")
                except UnicodeDecodeError:
                    yield pvalue.TaggedOutput(
                        FAILED, fhir_failure(path, number, None, "", "read", "InvalidResourceError", "the line is not UTF-8")
                    )
                    continue
                if number == 1 and text.startswith("\ufeff"):
                    text = text[1:]
                text = text.rstrip("\r\n")
                if text.strip():
                    yield path, number, text
        except UnicodeDecodeError:
            yield pvalue.TaggedOutput(FAILED, fhir_failure(path, 1, None, "", "read", "InvalidResourceError", "the file is not UTF-8"))
        except (InputNotRegularError, InputTooLargeError) as exc:
            line = 1 if isinstance(exc, InputTooLargeError) else None
            yield pvalue.TaggedOutput(FAILED, fhir_failure(path, line, None, "", "read", type(exc).__name__, str(exc)))
        except Exception as exc:
            _LOGGER.warning("%s cannot be read (%s)", path, type(exc).__name__)
            yield pvalue.TaggedOutput(
                FAILED, fhir_failure(path, None, None, "", "read", "InvalidResourceError", f"the file cannot be read ({type(exc).__name__})")
            )


_SKIP_CHUNK = 1 << 20


def _lines(path: str, limit: int):
    """Yield (line number, bytes) per line, or (line number, None) for a line longer than ``limit``.

    At most ``limit`` + 1 bytes of a line are held (a ``.gz`` is decompressed as it
    is read): the rest of a longer line is read in 1 MiB steps and dropped.
    """
    f = open_source(path)
    if path.endswith(".gz"):
        f = gzip.GzipFile(fileobj=f, mode="rb")
    with f:
        number = 0
        while True:
            raw = f.readline(limit + 1)
            if not raw:
                return
            number += 1
            if len(raw) > limit and not (len(raw) == limit + 1 and raw.endswith(b"\n")):
                while raw and not raw.endswith(b"\n"):
                    raw = f.readline(_SKIP_CHUNK)
                yield number, None
                continue
            yield number, raw


class ParseFn(beam.DoFn):
    """(source, line, text) -> one unit dict per resource (a Bundle per entry); failures, filtered."""

    def __init__(self, spec: DeidSpec, key: KeySource, system: str | None) -> None:
        self._spec = spec
        self._key = key
        self._system = system
        self._filter = frozenset(spec.resource_filter) if spec.resource_filter is not None else None

    def setup(self) -> None:
        self._engine = _engine(self._spec, self._key, self._system, False)

    def process(self, element):
        source, line, text = element
        rtype = ""
        try:
            obj = parse_resource(text)
            rtype = obj.get("resourceType") if isinstance(obj.get("resourceType"), str) else ""
            found = units(obj, self._engine.output_id)
        except Exception as exc:
            yield pvalue.TaggedOutput(FAILED, fhir_failure(source, line, None, rtype, "parse", _error_name(exc), _message(exc, "parsing")))
            return
        for unit in found:
            if unit.error is not None:
                yield pvalue.TaggedOutput(
                    FAILED, fhir_failure(source, line, unit.entry, rtype, "parse", _error_name(unit.error), str(unit.error))
                )
                continue
            res = unit.resource
            utype = res.get("resourceType") if isinstance(res.get("resourceType"), str) else ""
            if self._filter is not None and f"{utype}/{res.get('id')}" not in self._filter:
                yield pvalue.TaggedOutput(FILTERED, utype or "unknown")
                continue
            yield {
                "source": source,
                "line": line,
                "entry": unit.entry,
                "resource": res,
                "full_url": unit.full_url,
                "bundle": unit.bundle,
                "bundle_patients": unit.bundle_patients,
            }


def patient_join_key(unit: dict) -> str:
    """The source Patient key a unit joins on ('' when it has no patient)."""
    res = unit["resource"]
    if res.get("resourceType") == "Patient":
        return str(res.get("id") or unit.get("full_url") or "")
    pid, _ = patient_reference(res, unit.get("bundle_patients"))
    return pid or ""


class PatientInfoFn(beam.DoFn):
    """Patient unit -> (join key, (identifier value of the system, context values))."""

    def __init__(self, spec: DeidSpec, key: KeySource, system: str | None) -> None:
        self._spec = spec
        self._key = key
        self._system = system

    def setup(self) -> None:
        self._engine = _engine(self._spec, self._key, self._system, False)

    def process(self, unit: dict):
        res = unit["resource"]
        if res.get("resourceType") != "Patient":
            return
        try:
            mrn = identifier_value(res.get("identifier"), self._system) if self._system else None
            context = self._engine.context_values(res, True) if self._engine.fhir.contextual else ()
        except Exception:
            return  # the Patient itself fails in DeidentifyFhirFn and is reported there
        yield patient_join_key(unit), (mrn, tuple(context))


def join_patients(element):
    """CoGroupByKey result -> (unit, patient identifier value, patient context) per unit."""
    _, groups = element
    infos = sorted(groups["patients"], key=lambda i: (i[0] is None, i[0] or ""))
    mrn, context = infos[0] if infos else (None, ())
    for unit in groups["units"]:
        own = unit["resource"].get("resourceType") == "Patient"
        yield unit, mrn, () if own else context


class DeidentifyFhirFn(beam.DoFn):
    """(unit, patient value, patient context) -> (type, new id, line); annotations, ids, outcomes."""

    def __init__(self, job) -> None:
        self._job = job
        self._ok = Metrics.counter("fhir_deid", "deidentified")

    def setup(self) -> None:
        job = self._job
        self._engine = _engine(job.spec, job.key, job.patient_key_system, job.lowercase_annotation_keys)

    def process(self, element):
        unit, patient_value, patient_context = element
        res = unit["resource"]
        rtype = res.get("resourceType") if isinstance(res.get("resourceType"), str) else ""
        try:
            result = self._engine(
                res,
                source=unit["source"],
                patient_value=patient_value,
                patient_context=tuple(patient_context),
                bundle=unit.get("bundle"),
                bundle_patients=unit.get("bundle_patients"),
                full_url=unit.get("full_url"),
            )
            line = dumps(result.resource)
        except Exception as exc:
            stage = "text" if isinstance(exc, KeyMaterialError) else "fields"
            yield pvalue.TaggedOutput(
                FAILED, fhir_failure(unit["source"], unit["line"], unit["entry"], rtype, stage, _error_name(exc), _message(exc, "de-identifying"))
            )
            return
        self._ok.inc()
        for name, n in result.counters.items():
            yield pvalue.TaggedOutput(OUTCOMES, (f"counter|{name}", n))
        for name, n in result.findings_by_info_type.items():
            yield pvalue.TaggedOutput(OUTCOMES, (f"findings|{name}", n))
        if result.annotation is not None:
            yield pvalue.TaggedOutput(ANNOTATIONS, (result.resource_type, result.new_id, dumps(result.annotation)))
        if self._job.id_mapping_output:
            original = f"{rtype}/{result.source_id}"
            yield pvalue.TaggedOutput(ID_PAIRS, f"{original},{rtype}/{result.new_id}")
        meta = result.resource.get("meta")
        updated = meta.get("lastUpdated") if isinstance(meta, dict) and isinstance(meta.get("lastUpdated"), str) else ""
        yield result.resource_type, result.new_id, line, updated


def shard_of(new_id: str, shards: int) -> int:
    """The shard of an output id: a pure function of the id, so reruns write the same files."""
    try:
        n = int(new_id[:8], 16)
    except ValueError:
        import zlib

        n = zlib.crc32(new_id.encode("utf-8"))
    return n % shards


class WriteShardFn(beam.DoFn):
    """((type, shard, shards), [(id, line)]) -> the file path, lines sorted by id."""

    def __init__(self, folder: str, pattern: str) -> None:
        self._folder = folder
        self._pattern = pattern

    def process(self, element):
        (rtype, shard, shards), items = element
        name = self._pattern.format(type=rtype, shard=shard, shards=shards)
        path = confined(self._folder, name)  # a plain name under the folder (the type is an R4 type)
        body = "".join(line + "\n" for _, line in sorted(items))
        write_text(path, body)
        yield rtype, path


__all__ = [
    "ANNOTATIONS",
    "FILTERED",
    "ID_PAIRS",
    "OUTCOMES",
    "DeidentifyFhirFn",
    "ParseFn",
    "PatientInfoFn",
    "ReadLinesFn",
    "WriteShardFn",
    "fhir_failure",
    "join_patients",
    "patient_join_key",
    "shard_of",
]
