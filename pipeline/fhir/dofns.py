"""The FHIR job's DoFns: thin adapters around ``transforms.fhir`` (read, parse, de-identify, write).

Every element that can fail becomes a failure record ``{"source", "line", "entry",
"resource_type", "stage", "error", "message"}`` naming field paths, never values, and
every resource is counted exactly once as an outcome (see ``fhir_graph.summarize``).
"""

from __future__ import annotations

import csv
import gzip
import io
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
    cause,
    DeidError,
    InputNotRegularError,
    InputTooLargeError,
    KeyMaterialError,
    UnexpectedError,
)
from transforms.fhir.bundle import units
from transforms.fhir.elements import is_resource
from transforms.fhir.engine import FhirDeidentifier, identifier_value, patient_reference
from transforms.fhir.inspection import name_values
from transforms.fhir.ndjson import dumps, parse_resource

_LOGGER = logging.getLogger(__name__)
FILTERED = "filtered"
ANNOTATIONS = "annotations"
ID_PAIRS = "id_pairs"
OUTCOMES = "outcomes"
JOB_NAMES = "job_names"
PATIENTS = "patients"
UNIT = "unit"
SHARD_RESOURCES = 100_000  # resources per output file, at most


def type_label(rtype: object) -> str:
    """The resource type as records and the summary name it: an R4 type name, else ``unknown``.

    A ``resourceType`` is input text: only the fixed vocabulary of R4 names may reach a
    failure record, the summary or stdout (issue 22).
    """
    return rtype if isinstance(rtype, str) and is_resource(rtype) else "unknown"


def fhir_failure(source: str, line: int | None, entry: int | None, rtype: object, stage: str, error: str, message: str) -> dict:
    """Return a FHIR failure record (spec 10): no value, no source id, a known type name or ``unknown``."""
    return {
        "source": source,
        "line": line,
        "entry": entry,
        "resource_type": type_label(rtype),
        "stage": stage,
        "error": error,
        "message": message,
    }


def csv_row(*fields: str) -> str:
    """One CSV record (RFC 4180): a field with a comma, quote or line break is quoted, so no
    value can add a row or a column to a mapping file (issue 22)."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(fields)
    return buf.getvalue()


def _error_name(exc: Exception) -> str:
    return type(exc).__name__ if isinstance(exc, DeidError) else UnexpectedError.__name__


def _message(exc: Exception, what: str) -> str:
    if isinstance(exc, DeidError):
        return str(exc)
    return f"unexpected error while {what} ({cause(exc)}); no value is reported"


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
                FAILED, fhir_failure(path, None, None, "", "read", "InvalidResourceError", f"the file cannot be read ({cause(exc)})")
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
    """(source, line, text) -> one unit dict per resource (a Bundle per entry); failures, filtered.

    With ``join`` (any text cleaning, ``--patient_key_system``, ``contextualDeid``) it is the
    first of the two passes (issue 18): each unit goes out keyed by its patient (none: a key of
    its own), carrying its JSON text rather than the parsed dict (text crosses the shuffle
    several times cheaper than a dict and parses again in microseconds), and what the unit
    tells about its patient goes to ``PATIENTS``: a Patient's identifier of the key system and
    its own values (names in every form, dates, addresses, telecom, identifiers), any other
    resource's HumanNames. A resource of no patient gives its names to ``JOB_NAMES``
    (practitioners: a side input of the job, bounded by the number of practitioners).
    """

    def __init__(self, spec: DeidSpec, key: KeySource, system: str | None, join: bool = False) -> None:
        self._spec = spec
        self._key = key
        self._system = system
        self._join = join
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
        whole = len(found) == 1 and found[0].entry is None  # the line is the resource's text
        for unit in found:
            if unit.error is not None:
                yield pvalue.TaggedOutput(
                    FAILED, fhir_failure(source, line, unit.entry, rtype, "parse", _error_name(unit.error), str(unit.error))
                )
                continue
            res = unit.resource
            utype = res.get("resourceType") if isinstance(res.get("resourceType"), str) else ""
            if self._filter is not None and f"{utype}/{res.get('id')}" not in self._filter:
                yield pvalue.TaggedOutput(FILTERED, type_label(utype))
                continue
            out = {
                "source": source,
                "line": line,
                "entry": unit.entry,
                "resource": res,
                "full_url": unit.full_url,
                "bundle": unit.bundle,
                "bundle_patients": unit.bundle_patients,
            }
            if not self._join:
                yield out
                continue
            yield from self._keyed(out, text if whole else None)

    def _keyed(self, unit: dict, text: str | None):
        res = unit.pop("resource")
        unit["text"] = text = text if text is not None else dumps(res)
        try:
            key = patient_join_key(unit, res)
            info = self._patient_info(res, text)
        except Exception:
            key, info = "", None  # the resource itself fails when it is de-identified, with a record
        if info is not None:
            if key:
                yield key, (PATIENTS, info)
            else:
                for value in info[1]:
                    yield pvalue.TaggedOutput(JOB_NAMES, value)
        # A resource of no patient is grouped alone (a key no patient id can take: ids have no
        # control characters), so one GroupByKey and one de-identification serve every unit.
        yield (key or f"\x00{unit['source']}\x00{unit['line']}\x00{unit['entry']}"), (UNIT, unit)

    def _patient_info(self, res: dict, text: str) -> tuple | None:
        """(identifier value, context values) a resource gives about its patient, or None."""
        if res.get("resourceType") == "Patient":
            mrn = identifier_value(res.get("identifier"), self._system) if self._system else None
            return mrn, tuple(self._engine.context_values(res, True))
        if '"name"' not in text and 'Name"' not in text:
            return None  # no element that can hold a HumanName (name, valueHumanName, ...)
        names = name_values(res)
        return (None, names) if names else None


def patient_join_key(unit: dict, res: dict | None = None) -> str:
    """The source Patient key a unit joins on ('' when it has no patient)."""
    res = unit["resource"] if res is None else res
    if res.get("resourceType") == "Patient":
        return str(res.get("id") or unit.get("full_url") or "")
    pid, _ = patient_reference(res, unit.get("bundle_patients"))
    return pid or ""


def join_patients(element):
    """One patient's group -> (unit, patient identifier value, patient context) per unit.

    The group holds ``(UNIT, unit)`` and ``(PATIENTS, info)`` items in any order (a
    GroupByKey: the units are held until every info is read, as a CoGroupByKey would hold
    them). The context is every value the patient's resources gave, sorted: the same tuple
    for each of the patient's units, so a worker builds its matcher once per patient.
    """
    _, items = element
    units, infos = [], []
    for kind, payload in items:
        (units if kind == UNIT else infos).append(payload)
    infos.sort(key=lambda i: (i[0] is None, i[0] or ""))
    mrn = infos[0][0] if infos else None
    merged = {value for _, values in infos for value in values}
    context = tuple(sorted(merged, key=lambda v: (v.info_type, v.text)))
    for unit in units:
        yield unit, mrn, context


class DeidentifyFhirFn(beam.DoFn):
    """(unit, patient value, patient context) -> (type, new id, line); annotations, ids, outcomes."""

    def __init__(self, job) -> None:
        self._job = job
        self._ok = Metrics.counter("fhir_deid", "deidentified")

    def setup(self) -> None:
        job = self._job
        self._engine = _engine(job.spec, job.key, job.patient_key_system, job.lowercase_annotation_keys)
        self._names_from: object = None
        self._names: tuple = ()

    def _job_names(self, names) -> tuple:
        """The side input as one tuple, rebuilt only when the runner hands a new object."""
        if names is not self._names_from:
            fresh = tuple(sorted(names, key=lambda v: (v.info_type, v.text)))
            if fresh != self._names:
                self._names = fresh
            self._names_from = names
        return self._names

    def process(self, element, job_names=()):
        unit, patient_value, patient_context = element
        try:
            res = unit.get("resource")
            if res is None:  # a unit that crossed the patient join travels as text
                res = parse_resource(unit["text"])
        except Exception as exc:  # (it was parsed once already: not expected)
            yield pvalue.TaggedOutput(
                FAILED, fhir_failure(unit["source"], unit["line"], unit["entry"], "", "parse", _error_name(exc), _message(exc, "parsing"))
            )
            return
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
                job_names=self._job_names(job_names),
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
            yield pvalue.TaggedOutput(ID_PAIRS, csv_row(f"{rtype}/{result.source_id}", f"{rtype}/{result.new_id}"))
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

    def __init__(self, folder: str, pattern: str, private: bool = False) -> None:
        self._folder = folder
        self._pattern = pattern
        self._private = private

    def process(self, element):
        (rtype, shard, shards), items = element
        name = self._pattern.format(type=rtype, shard=shard, shards=shards)
        path = confined(self._folder, name)  # a plain name under the folder (the type is an R4 type)
        body = "".join(line + "\n" for _, line in sorted(items))
        write_text(path, body, private=self._private)
        yield rtype, path


__all__ = [
    "ANNOTATIONS",
    "JOB_NAMES",
    "PATIENTS",
    "csv_row",
    "type_label",
    "FILTERED",
    "ID_PAIRS",
    "OUTCOMES",
    "DeidentifyFhirFn",
    "ParseFn",
    "ReadLinesFn",
    "WriteShardFn",
    "fhir_failure",
    "join_patients",
    "patient_join_key",
    "shard_of",
]
