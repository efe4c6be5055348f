"""Everything a job needs, validated before the pipeline starts.

``JobConfig.from_options`` reads the config file, the filter file or filter-table
exports and checks the UID key; any problem raises ``SetupError`` with messages
that name the option or JSON path, so a bad job fails before reading an
instance.
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from dataclasses import dataclass, field

from apache_beam.io.filesystems import FileSystems

from pipeline.files import expand_inputs, join, read_bytes
from pipeline.options import DEFAULT_PROGRESS_SECONDS, DEFAULT_STREAM_COPY_BYTES, UID_KEY_ENV, DeidOptions
from transforms.deid_config import DeidSpec, parse_config
from transforms.pixels.burnedin import needs_pixels
from transforms.errors import ConfigError, DeidError, FilterError
from transforms.dicom.filters import InstanceFilter, filter_from_rows, parse_filter_file, read_export_rows
from transforms.pixels.ocr import OcrUnavailableError, check_ocr_available
from transforms.dicom.uids import check_uid_root, decode_key, random_key

_LOGGER = logging.getLogger(__name__)


class SetupError(Exception):
    """The job cannot start; ``problems`` lists why, one message each."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


class Secret:
    """Key bytes that never show in repr, str, logs or pipeline option listings."""

    def __init__(self, value: bytes) -> None:
        self._value = value

    def reveal(self) -> bytes:
        """Return the key bytes (for the engine only)."""
        return self._value

    def __repr__(self) -> str:
        return "Secret(<hidden>)"

    __str__ = __repr__


@dataclass(frozen=True)
class KeySource:
    """Where workers get the UID key: a file they read in setup(), or the bytes."""

    path: str | None = None
    secret: Secret | None = None
    origin: str = "random"

    def load(self) -> bytes:
        """Return the key bytes (reads the key file on a worker)."""
        if self.path:
            return decode_key(read_bytes(self.path))
        assert self.secret is not None
        return self.secret.reveal()


@dataclass(frozen=True)
class JobConfig:
    """The validated job: plain values, picklable, no pipeline options inside."""

    patterns: tuple[str, ...]
    output: str
    spec: DeidSpec
    key: KeySource
    uid_root: str
    failures_output: str
    summary_output: str
    instance_filter: InstanceFilter | None
    max_failure_fraction: float | None
    uid_mapping_output: str | None
    annotations_output: str | None = None
    annotations_table: str | None = None
    filter_table: str | None = None
    filter_query: str | None = None
    skip_existing: bool = False
    progress_interval: float = DEFAULT_PROGRESS_SECONDS
    stream_copy_bytes: int = DEFAULT_STREAM_COPY_BYTES
    progress_scope: str = ""
    progress_keep: bool = False  # DaskRunner: one reporter per worker process for the whole run
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])

    @property
    def filters(self) -> bool:
        """True when instances are filtered (a local filter, or one read from BigQuery)."""
        return self.instance_filter is not None or bool(self.filter_table or self.filter_query)

    @classmethod
    def from_options(cls, opts: DeidOptions, environ: dict[str, str] | None = None) -> JobConfig:
        """Validate options and load config, filters and key.

        Raises
        ------
        SetupError
            With every problem found, each naming its option or JSON path.
        """
        env = os.environ if environ is None else environ
        problems = opts.validate_deid()
        if problems:
            raise SetupError(problems)
        spec = _load_spec(opts.config, problems)
        try:
            patterns = tuple(expand_inputs(opts.input))
        except ValueError as exc:
            problems.append(str(exc))
            patterns = ()
        output = opts.output.rstrip("/") if len(opts.output) > 1 else opts.output
        for pattern in patterns:
            base = pattern.split("**")[0].rstrip("/")
            if not any(c in base for c in "*?[") and _is_inside(output, base):
                problems.append(f"--output {opts.output} lies inside --input {base}: a rerun would read its own output")
        try:
            uid_root = check_uid_root(opts.uid_root)
        except ValueError as exc:
            problems.append(f"--uid_root: {exc}")
            uid_root = opts.uid_root
        key = _key_source(opts, env, problems)
        instance_filter = _load_filters(opts, spec, problems)
        for flag, value in (("--annotations_output", opts.annotations_output), ("--annotations_table", opts.annotations_table)):
            if value and spec.annotation is None:
                problems.append(f"{flag} needs an 'annotation' object in the config (storeQuote, ...)")
        if spec.annotation is not None and not (opts.annotations_output or opts.annotations_table):
            _LOGGER.warning(
                "The config asks for annotations but neither --annotations_output nor --annotations_table is set: "
                "none are written"
            )
        if _uses_kms(spec.text):
            try:
                import google.cloud.kms  # noqa: F401
            except ImportError:
                problems.append("config.text: kmsWrapped keys need the google-cloud-kms package (pip install google-cloud-kms)")
        if needs_pixels(spec):
            try:
                check_ocr_available()
            except OcrUnavailableError as exc:
                problems.append(f"config: burned-in text redaction cannot run here: {exc}")
        if problems:
            raise SetupError(problems)
        return cls(
            patterns=patterns,
            output=output,
            spec=spec,
            key=key,
            uid_root=uid_root,
            failures_output=opts.failures_output or join(output, "deid_failures.jsonl"),
            summary_output=opts.summary_output or join(output, "deid_summary.json"),
            instance_filter=instance_filter,
            max_failure_fraction=opts.max_failure_fraction,
            uid_mapping_output=opts.uid_mapping_output,
            annotations_output=opts.annotations_output,
            annotations_table=opts.annotations_table,
            filter_table=opts.filter_table,
            filter_query=opts.filter_query,
            skip_existing=opts.skip_existing,
            progress_interval=opts.progress_interval,
            stream_copy_bytes=opts.stream_copy_bytes,
        )


def _uses_kms(obj) -> bool:
    if isinstance(obj, dict):
        return any(k in ("kmsWrapped", "kms_wrapped") or _uses_kms(v) for k, v in obj.items())
    if isinstance(obj, list):
        return any(_uses_kms(v) for v in obj)
    return False


def _is_inside(path: str, folder: str) -> bool:
    if path.startswith("gs://") or folder.startswith("gs://"):
        return path == folder or path.startswith(folder + "/")
    p, f = os.path.abspath(path), os.path.abspath(folder)
    return p == f or p.startswith(f + os.sep)


def _load_json(path: str, what: str, problems: list[str]):
    try:
        return json.loads(read_bytes(path).decode("utf-8"))
    except json.JSONDecodeError as exc:
        problems.append(f"{what} {path}: not valid JSON (line {exc.lineno}, column {exc.colno})")
    except Exception as exc:
        problems.append(f"{what} {path}: cannot be read ({type(exc).__name__})")
    return None


def _load_spec(path: str | None, problems: list[str]) -> DeidSpec:
    obj = {} if path is None else _load_json(path, "--config", problems)
    if obj is None:
        return DeidSpec()
    try:
        spec = parse_config(obj, log=_LOGGER.info)
        if spec.config_uri:
            inner = _load_json(spec.config_uri, "request.gcsConfigUri", problems)
            if inner is None:
                return spec
            loaded = parse_config(inner, log=_LOGGER.info)
            return DeidSpec(**{**loaded.__dict__, "filter_uri": spec.filter_uri})
        return spec
    except ConfigError as exc:
        problems.extend(exc.problems)
        return DeidSpec()


def _key_source(opts: DeidOptions, env, problems: list[str]) -> KeySource:
    if opts.uid_key_file:
        try:
            decode_key(read_bytes(opts.uid_key_file))
        except DeidError as exc:
            problems.append(f"--uid_key_file {opts.uid_key_file}: {exc}")
        except Exception as exc:
            problems.append(f"--uid_key_file {opts.uid_key_file}: cannot be read ({type(exc).__name__})")
        return KeySource(path=opts.uid_key_file, origin="file")
    if env.get(UID_KEY_ENV):
        try:
            return KeySource(secret=Secret(decode_key(env[UID_KEY_ENV].encode())), origin="environment")
        except DeidError as exc:
            problems.append(f"${UID_KEY_ENV}: {exc}")
            return KeySource(secret=Secret(b""), origin="environment")
    _LOGGER.warning(
        "No UID key given (--uid_key_file or $%s): using a random key for this run only. "
        "Reruns will map UIDs differently.",
        UID_KEY_ENV,
    )
    return KeySource(secret=Secret(random_key()), origin="random")


def _load_filters(opts: DeidOptions, spec: DeidSpec, problems: list[str]) -> InstanceFilter | None:
    result: InstanceFilter | None = None
    sources = [("--filter_file", opts.filter_file), ("request.filterConfig.resourcePathsGcsUri", spec.filter_uri)]
    for what, path in sources:
        if not path:
            continue
        try:
            parsed = parse_filter_file(read_bytes(path).decode("utf-8-sig"), name=f"{what} {path}")
        except FilterError as exc:
            problems.append(str(exc))
            continue
        except Exception as exc:
            problems.append(f"{what} {path}: cannot be read ({type(exc).__name__})")
            continue
        result = parsed if result is None else result.union(parsed)
    if opts.filter_table_export:
        try:
            matches = FileSystems.match([opts.filter_table_export])[0].metadata_list
        except Exception as exc:
            problems.append(f"--filter_table_export {opts.filter_table_export}: cannot be listed ({type(exc).__name__})")
            matches = []
        if not matches and not problems:
            problems.append(f"--filter_table_export {opts.filter_table_export}: matches no file")
        for meta in sorted(matches, key=lambda m: m.path):
            try:
                rows = read_export_rows(meta.path, read_bytes(meta.path))
                parsed = filter_from_rows(rows, name=meta.path)
            except FilterError as exc:
                problems.append(str(exc))
                continue
            result = parsed if result is None else result.union(parsed)
    return result
