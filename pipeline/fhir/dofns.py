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
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems
from apache_beam.metrics import Metrics

from pipeline.connectors.files import is_gcs, join, write_text
from pipeline.jobsetup import KeySource
from pipeline.records import FAILED
from transforms.deid_config import DeidSpec
from transforms.errors import DeidError, KeyMaterialError, UnexpectedError
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
    """path -> (source, line number, text) for each non-blank line; a ``.json`` file is line 1."""

    def process(self, path: str):
        try:
            if path.endswith(".json"):
                data = _read(path)
                text = data.decode("utf-8")
                yield path, 1, text
                return
            for number, raw in _lines(path):
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
        except Exception as exc:
            _LOGGER.warning("%s cannot be read (%s)", path, type(exc).__name__)
            yield pvalue.TaggedOutput(
                FAILED, fhir_failure(path, None, None, "", "read", "InvalidResourceError", f"the file cannot be read ({type(exc).__name__})")
            )


def _read(path: str) -> bytes:
    if is_gcs(path):
        with FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED) as f:
            return f.read()
    with open(path, "rb") as f:
        return f.read()


def _lines(path: str):
    gz = path.endswith(".gz")
    if is_gcs(path):
        ctype = CompressionTypes.GZIP if gz else CompressionTypes.UNCOMPRESSED
        f = FileSystems.open(path, compression_type=ctype)
    else:
        f = gzip.open(path, "rb") if gz else open(path, "rb")
    with f:
        number = 0
        while True:
            raw = f.readline()
            if not raw:
                return
            number += 1
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
        path = join(self._folder, name)
        body = "".join(line + "\n" for _, line in sorted(items))
        write_text(path, body)
        yield rtype, path


__all__ = [
    "ANNOTATIONS",
    "DeidentifyFhirFn",
    "FILTERED",
    "ID_PAIRS",
    "OUTCOMES",
    "ParseFn",
    "PatientInfoFn",
    "ReadLinesFn",
    "WriteShardFn",
    "fhir_failure",
    "join_patients",
    "patient_join_key",
    "shard_of",
]
