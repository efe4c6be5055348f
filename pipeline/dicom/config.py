"""Everything a ``dicom-deid`` job needs, validated before the pipeline starts.

``JobConfig.from_options`` reads the config file, the filter file or filter-table
exports and checks the UID key; any problem raises ``SetupError`` with messages
that name the option or JSON path, so a bad job fails before reading an
instance.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import uuid
from dataclasses import dataclass, field

from pipeline.connectors import gcs
from pipeline.connectors.dicomweb import HttpPolicy, Service, probe, read_credentials
from pipeline.connectors.files import expand_inputs, is_gcs, join, match_files
from pipeline.jobsetup import (
    KeySource,
    SetupError,
    _is_inside,
    _load_spec,
    _local_absolute,
    _uses_kms,
    check_outputs,
    Announcing,
    Note,
    key_source,
    outputs_of,
    random_key_notes,
    read_problem,
    FILTER_MAX_BYTES,
    setup_read,
)
from pipeline.options import (
    DEFAULT_MAX_INSTANCE_BYTES,
    DEFAULT_PAGE_SIZE,
    DEFAULT_PROGRESS_SECONDS,
    DEFAULT_STOW_BATCH_BYTES,
    DEFAULT_STOW_BATCH_INSTANCES,
    DEFAULT_STREAM_COPY_BYTES,
    UID_KEY_ENV,
    DeidArguments,
)
from transforms.deid_config import DeidSpec
from transforms.dicom.dicomweb import default_auth, parse_store_url
from transforms.dicom.method import assess
from transforms.dicom.profiles import compile_plan
from transforms.dicom.filters import InstanceFilter, filter_from_rows, parse_filter_file, read_export_rows
from transforms.dicom.uids import check_uid_root
from transforms.errors import FilterError, cause
from transforms.pixels.burnedin import needs_pixels
from transforms.pixels.ocr import OcrUnavailableError, check_ocr_available

_LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobConfig(Announcing):
    """The validated job: plain values, picklable, no pipeline options inside."""

    patterns: tuple[str, ...]
    output: str | None
    spec: DeidSpec
    key: KeySource
    uid_root: str
    failures_output: str
    summary_output: str
    instance_filter: InstanceFilter | None
    max_failure_fraction: float | None
    uid_mapping_output: str | None
    annotations_output: str | None = None
    review_report: str | None = None
    annotations_table: str | None = None
    filter_table: str | None = None
    filter_query: str | None = None
    skip_existing: bool = False
    residual_sweep: bool = True
    progress_interval: float = DEFAULT_PROGRESS_SECONDS
    stream_copy_bytes: int = DEFAULT_STREAM_COPY_BYTES
    max_instance_bytes: int = DEFAULT_MAX_INSTANCE_BYTES
    progress_scope: str = ""
    source: Service | None = None
    destination: Service | None = None
    http_policy: HttpPolicy = HttpPolicy()
    dicomweb_page_size: int = DEFAULT_PAGE_SIZE
    stow_batch_instances: int = DEFAULT_STOW_BATCH_INSTANCES
    stow_batch_bytes: int = DEFAULT_STOW_BATCH_BYTES
    progress_keep: bool = False  # DaskRunner: one reporter per worker process for the whole run
    max_requests_per_second: float = 0.0  # --dicomweb_max_requests_per_second, for the whole job
    notes: tuple[Note, ...] = field(default=(), compare=False, repr=False)  # logged by announce()
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])

    @property
    def filters(self) -> bool:
        """True when instances are filtered (a local filter, or one read from BigQuery)."""
        return self.instance_filter is not None or bool(self.filter_table or self.filter_query)

    @property
    def destinations(self) -> str:
        """Where outputs go, for log lines: the folder and/or the store's name."""
        return " and ".join(d for d in (self.output, self.destination and self.destination.name) if d)

    def outputs(self) -> list[tuple[str, str | None, str]]:
        """Every output location as (flag, path, "folder" or "file")."""
        return outputs_of(self.output, self.failures_output, self.summary_output,
                          ("--uid_mapping_output", self.uid_mapping_output), self.annotations_output)

    def with_workers(self, workers: int) -> JobConfig:
        """The job with its DICOMweb request cap divided among ``workers`` processes (spec section 8)."""
        policy = dataclasses.replace(self.http_policy, requests_per_second=self.max_requests_per_second / max(1, workers))
        return dataclasses.replace(self, http_policy=policy)

    def remote_problems(self) -> list[str]:
        """What needs the network: gs:// buckets listable, gs:// outputs writable, DICOMweb services answering."""
        problems = []
        for pattern in self.patterns:
            if is_gcs(pattern):
                try:
                    gcs.list_prefix(pattern, limit=1)
                except gcs.GcsProblem as exc:
                    problems.append(f"--input {pattern}: {exc}")
        check_outputs(self.outputs(), problems, remote=True)
        if problems:
            return problems
        for service in (self.source, self.destination):
            if service is not None:
                problem, warning = probe(service, self.http_policy, self.skip_existing)
                if problem:
                    problems.append(problem)
                if warning:
                    _LOGGER.warning("%s", warning)
        return problems

    @classmethod
    def from_options(cls, opts, environ: dict[str, str] | None = None, check_services: bool = True) -> JobConfig:
        """Validate options and load config, filters and key; check that every output can be written.

        ``opts``: ``DeidOptions`` (a Beam view) or the namespace ``pipeline.cli.parse`` returns
        (before Beam is imported; nothing here imports it for local paths). ``check_services``:
        then also ``remote_problems`` (gs:// buckets and outputs, each DICOMweb service, spec
        section 3), once the rest is valid.

        Raises
        ------
        SetupError
            With every problem found, each naming its option or JSON path.
        """
        env = os.environ if environ is None else environ
        problems = DeidArguments.validate_deid(opts)
        if problems:
            raise SetupError(problems)
        notes: list[Note] = []
        spec = _load_spec(opts.config, problems, notes)
        try:
            patterns = tuple(expand_inputs(opts.input or [], gcs_exists=_gcs_input_exists))
        except ValueError as exc:
            problems.append(str(exc))
            patterns = ()
        output = opts.output
        if output:
            output = _local_absolute(output.rstrip("/") if len(output) > 1 else output)
        for pattern in patterns if output else ():
            base = pattern.split("**")[0].rstrip("/")
            if not any(c in base for c in "*?[") and _is_inside(output, base):
                problems.append(f"--output {opts.output} lies inside --input {base}: a rerun would read its own output")
        try:
            uid_root = check_uid_root(opts.uid_root)
        except ValueError as exc:
            problems.append(f"--uid_root: {exc}")
            uid_root = opts.uid_root
        key = _key_source(opts, env, problems)
        source, destination, policy = _services(opts, env, key, problems)
        instance_filter = _load_filters(opts, spec, problems)
        for flag, value in (("--annotations_output", opts.annotations_output), ("--annotations_table", opts.annotations_table)):
            if value and spec.annotation is None:
                problems.append(f"{flag} needs an 'annotation' object in the config (storeQuote, ...)")
        if spec.annotation is not None and not (opts.annotations_output or opts.annotations_table):
            notes.append((logging.WARNING, "The config asks for annotations but neither --annotations_output nor "
                          "--annotations_table is set: none are written"))
        if _uses_kms(spec.text):
            try:
                import google.cloud.kms  # noqa: F401
            except ImportError:
                problems.append("config.text: kmsWrapped keys need the google-cloud-kms package (pip install google-cloud-kms)")
        if opts.review_report and spec is not None and not needs_pixels(spec):
            problems.append("--review_report needs a config that redacts burned-in text (cleanImage, "
                            "image.textRedactionMode or a cleanImageTag action on PixelData)")
        if needs_pixels(spec):
            try:
                check_ocr_available()
            except OcrUnavailableError as exc:
                problems.append(f"config: burned-in text redaction cannot run here: {exc}")
        failures_output = _local_absolute(opts.failures_output) or join(output, "deid_failures.jsonl")
        summary_output = _local_absolute(opts.summary_output) or join(output, "deid_summary.json")
        check_outputs(outputs_of(output, failures_output, summary_output,
                                 ("--uid_mapping_output", _local_absolute(opts.uid_mapping_output)),
                                 _local_absolute(opts.annotations_output)), problems, remote=False)
        if problems:
            raise SetupError(problems)
        notes += _identity_kept_notes(spec) + random_key_notes(key, "--uid_key_file")
        for flag, value in (("--uid_mapping_output", opts.uid_mapping_output), ("--annotations_output", opts.annotations_output),
                            ("--review_report", opts.review_report)):
            if value and value.startswith("gs://"):
                notes.append((logging.INFO, f"{flag} goes to a bucket: it can re-identify, and who may read it is "
                              "decided by the bucket's IAM, not by this job (local files are created owner-only)"))
        job = cls(
            patterns=patterns,
            output=output,
            spec=spec,
            key=key,
            uid_root=uid_root,
            failures_output=failures_output,
            summary_output=summary_output,
            source=source,
            destination=destination,
            http_policy=policy,
            dicomweb_page_size=opts.dicomweb_page_size,
            stow_batch_instances=opts.dicomweb_stow_batch_instances,
            stow_batch_bytes=opts.dicomweb_stow_batch_bytes,
            instance_filter=instance_filter,
            max_failure_fraction=opts.max_failure_fraction,
            uid_mapping_output=_local_absolute(opts.uid_mapping_output),
            annotations_output=_local_absolute(opts.annotations_output),
            review_report=_local_absolute(opts.review_report),
            annotations_table=opts.annotations_table,
            filter_table=opts.filter_table,
            filter_query=opts.filter_query,
            skip_existing=opts.skip_existing,
            residual_sweep=opts.residual_sweep,
            progress_interval=opts.progress_interval,
            stream_copy_bytes=opts.stream_copy_bytes,
            max_requests_per_second=opts.dicomweb_max_requests_per_second,
            notes=tuple(notes),
            max_instance_bytes=opts.max_instance_bytes,
        )
        return job.checked(check_services)


def _identity_kept_notes(spec: DeidSpec) -> list[Note]:
    """The warning of a config whose outputs will not be marked PatientIdentityRemoved YES."""
    kept = assess(compile_plan(spec)).kept
    if not kept:
        return []
    shown = ", ".join(kept[:4]) + (f" and {len(kept) - 4} more" if len(kept) > 4 else "")
    return [(logging.WARNING, f"The config keeps {shown}, which the Basic Profile removes and no PS3.15 option "
             "keeps: outputs are marked PatientIdentityRemoved NO (docs/configuration.md)")]


GOOGLE_PAGE_LIMIT = 5000  # QIDO limit for studies and series on Cloud Healthcare


def _gcs_input_exists(path: str) -> bool:
    try:
        return gcs.exists(path)
    except gcs.GcsProblem as exc:
        raise ValueError(f"--input {path}: {exc}") from None


def workers(opts) -> int:
    """The worker processes a request cap is divided among (spec section 8); 1 before Beam is imported."""
    if not hasattr(opts, "view_as"):
        return 1
    from apache_beam.options.pipeline_options import DirectOptions, WorkerOptions

    worker = opts.view_as(WorkerOptions)
    direct = opts.view_as(DirectOptions)
    return max(1, worker.max_num_workers or worker.num_workers or direct.direct_num_workers or 1)


def _services(opts, env, key: KeySource, problems: list[str]):
    """Check the DICOMweb URLs, auth modes and credentials; return (source, destination, policy)."""
    services = {}
    for side in ("source", "destination"):
        flag = f"--dicomweb_{side}"
        url = getattr(opts, f"dicomweb_{side}")
        if not url:
            services[side] = None
            continue
        try:
            store = parse_store_url(url, flag)
        except ValueError as exc:
            problems.append(str(exc))
            services[side] = None
            continue
        auth = getattr(opts, f"dicomweb_{side}_auth") or opts.dicomweb_auth or default_auth(store)
        credentials, missing = read_credentials(auth, side, env)
        for name in missing:
            problems.append(f"{flag} with auth {auth} needs {name}")
        if not store.url.startswith("https://") and not store.loopback:
            _LOGGER.warning("%s %s: plain http to a host that is not loopback: credentials and PHI travel unencrypted", flag, store.name)
        if store.google and side == "source" and opts.dicomweb_page_size > GOOGLE_PAGE_LIMIT:
            problems.append(f"--dicomweb_page_size {opts.dicomweb_page_size}: Cloud Healthcare allows at most {GOOGLE_PAGE_LIMIT}")
        services[side] = Service(store.url, store.name, auth, store.google, side, credentials)
    source, destination = services["source"], services["destination"]
    if source is not None and (opts.filter_table or opts.filter_query):
        problems.append(
            "--filter_table / --filter_query with --dicomweb_source: not supported yet (the rows are read inside the "
            "job, after the listing is planned); export the table and give --filter_table_export"
        )
    if source is not None and destination is not None and source.url == destination.url:
        problems.append("--dicomweb_source and --dicomweb_destination are the same store: use another destination")
    if destination is not None and key.origin == "random":
        problems.append(
            f"--dicomweb_destination needs a persistent UID key (--uid_key_file or ${UID_KEY_ENV}): "
            "a random key would store a second copy under new UIDs on each rerun"
        )
    rate = opts.dicomweb_max_requests_per_second / workers(opts)
    policy = HttpPolicy(
        opts.dicomweb_max_attempts, opts.dicomweb_backoff_seconds, rate, opts.dicomweb_max_listed, opts.max_instance_bytes
    )
    return source, destination, policy


def _key_source(opts, env, problems: list[str]) -> KeySource:
    return key_source(opts.uid_key_file, "--uid_key_file", env, problems)


def _load_filters(opts, spec: DeidSpec, problems: list[str]) -> InstanceFilter | None:
    result: InstanceFilter | None = None
    sources = [("--filter_file", opts.filter_file), ("request.filterConfig", spec.filter_uri)]
    for what, path in sources:
        if not path:
            continue
        try:
            parsed = parse_filter_file(setup_read(path, FILTER_MAX_BYTES).decode("utf-8-sig"), name=f"{what} {path}")
        except FilterError as exc:
            problems.append(str(exc))
            continue
        except Exception as exc:
            problems.append(read_problem(what, path, exc))
            continue
        result = parsed if result is None else result.union(parsed)
    if opts.filter_table_export:
        try:
            matches = match_files(opts.filter_table_export, gcs_list=gcs.list_prefix)
        except gcs.GcsProblem as exc:
            problems.append(f"--filter_table_export {opts.filter_table_export}: cannot be listed: {exc}")
            matches = []
        except Exception as exc:
            problems.append(f"--filter_table_export {opts.filter_table_export}: cannot be listed ({cause(exc)})")
            matches = []
        if not matches and not problems:
            problems.append(f"--filter_table_export {opts.filter_table_export}: matches no file")
        for path in matches:
            try:
                rows = read_export_rows(path, setup_read(path, FILTER_MAX_BYTES))
                parsed = filter_from_rows(rows, name=path)
            except FilterError as exc:
                problems.append(str(exc))
                continue
            except Exception as exc:
                problems.append(read_problem("--filter_table_export", path, exc))
                continue
            result = parsed if result is None else result.union(parsed)
    return result
