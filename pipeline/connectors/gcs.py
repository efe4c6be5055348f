"""gs:// before the job starts: read, list and probe with a bounded wait, and name the cause.

The running job reaches Cloud Storage through Beam's FileSystems, which retries a
failing call for two minutes and then raises a bare exception. The checks before the
job starts use the same client Beam builds (``gcsio.create_storage_client``: the same
credentials, project and emulator), with a 10-second retry budget, and turn a failure
into a cause a user can act on: the bucket does not exist, the object does not exist,
which permission is missing, no credentials, the service cannot be reached. A cause
never holds a credential, a token or the account's name. Once Cloud Storage cannot be
reached at all, later checks report the same cause without waiting again.
"""

from __future__ import annotations

import re
import uuid

RETRY_SECONDS = 10.0
TIMEOUT = (5.0, 20.0)  # connect, read
PROBE_NAME = ".deid-probe-"
_PERMISSION = re.compile(r"\b(storage\.[a-zA-Z]+\.[a-zA-Z]+)\b")
_argv: list[str] = []


class GcsProblem(Exception):
    """A gs:// path cannot be used; the message is the cause (no path, no credential)."""


def configure(argv: list[str]) -> None:
    """The command line, whose Beam options (project, impersonation) the checks' client honours."""
    global _argv, _state
    _argv = list(argv)
    _state = None


def split(path: str) -> tuple[str, str]:
    """``gs://bucket/name`` -> (bucket, name); GcsProblem for a path without a bucket."""
    match = re.fullmatch(r"gs://([a-z0-9][a-z0-9._-]{1,220}[a-z0-9])(?:/(.*))?", path, re.S)
    if match is None:
        raise GcsProblem("not a gs://BUCKET/OBJECT path")
    return match.group(1), match.group(2) or ""


class _State:
    def __init__(self) -> None:
        from google.cloud.storage.retry import DEFAULT_RETRY

        self.client = _client()
        # Server errors and timeouts are retried for RETRY_SECONDS; a name that does not resolve
        # or a refused connection is not going to change within them.
        self.retry = DEFAULT_RETRY.with_timeout(RETRY_SECONDS).with_predicate(
            lambda exc: DEFAULT_RETRY._predicate(exc) and not _hopeless(exc))
        self.unreachable: str | None = None
        self.buckets: dict[str, str | None] = {}  # bucket -> cause it cannot be used, or None


_state: _State | None = None


def _hopeless(exc: BaseException) -> bool:
    text = repr(exc)
    return any(marker in text for marker in ("NameResolutionError", "Failed to resolve", "Connection refused"))


def _client():
    """The storage client Beam's GCS file system would make, without its 25 s of credential retries.

    Application Default Credentials are looked up once; none found means an anonymous client,
    as in Beam (public buckets still work). The result is also left in Beam's per-process
    credential cache, so the job launched from this process does not look again. With
    ``--impersonate_service_account`` Beam's own ``create_storage_client`` is used.
    """
    import logging

    import google.auth
    from apache_beam.io.gcp.gcsio import create_storage_client
    from apache_beam.options.pipeline_options import GoogleCloudOptions, PipelineOptions
    from google.auth.exceptions import DefaultCredentialsError
    from google.cloud import storage

    options = PipelineOptions(_argv)
    cloud = options.view_as(GoogleCloudOptions)
    if cloud.impersonate_service_account:
        return create_storage_client(options)
    quiet = logging.getLogger("google.auth._default")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # "metadata server unavailable": the cause, if it matters, is ours to say
    try:
        credentials, _ = google.auth.default(scopes=cloud.gcp_oauth_scopes)
    except DefaultCredentialsError:
        credentials = None
    finally:
        quiet.setLevel(level)
    _seed_beam(credentials)
    if credentials is None:
        return storage.Client.create_anonymous_client()
    return storage.Client(credentials=credentials, project=cloud.project)


def _seed_beam(credentials) -> None:
    try:
        from apache_beam.internal.gcp import auth

        with auth._Credentials._credentials_lock:
            if not auth._Credentials._credentials_init:
                auth._Credentials._credentials = None if credentials is None else auth._ApitoolsCredentialsAdapter(credentials)
                auth._Credentials._credentials_init = True
    except (ImportError, AttributeError):  # another Beam release: it looks them up itself
        pass


def _get() -> _State:
    global _state
    if _state is None:
        _state = _State()
    return _state


def _call(fn, *args, **kwargs):
    state = _get()
    if state.unreachable:
        raise GcsProblem(state.unreachable)
    try:
        return fn(*args, timeout=TIMEOUT, retry=state.retry, **kwargs)
    except Exception as exc:
        cause, network = describe(exc, state.client)
        if network:
            state.unreachable = cause
        raise GcsProblem(cause) from None


def describe(exc: BaseException, client=None) -> tuple[str, bool]:
    """(cause in words, whether Cloud Storage itself could not be reached)."""
    import requests
    from google.api_core import exceptions as api
    from google.auth import exceptions as auth

    if isinstance(exc, api.RetryError) and exc.cause is not None:
        exc = exc.cause
    if isinstance(exc, api.NotFound):
        return "not found", False
    if isinstance(exc, api.Forbidden):
        permission = _PERMISSION.search(getattr(exc, "message", "") or "")
        needed = f"permission {permission.group(1)} denied" if permission else "access denied"
        return f"{needed} (403) to {_principal(client)}", False
    if isinstance(exc, api.Unauthorized):
        return f"the credentials were refused (401): {_principal(client)}", False
    if isinstance(exc, auth.RefreshError):
        return "the Google credentials could not be refreshed (expired or revoked; renew them)", True
    if isinstance(exc, (auth.TransportError, requests.exceptions.RequestException, ConnectionError)):
        from pipeline.connectors.dicomweb import _connection_cause

        host = getattr(getattr(client, "_connection", None), "API_BASE_URL", "") or "storage.googleapis.com"
        return f"Cloud Storage cannot be reached ({_connection_cause(exc)}, {host})", True
    if isinstance(exc, api.GoogleAPICallError) and exc.code is not None:
        return f"Cloud Storage answered {exc.code}", False
    return type(exc).__name__, False


def _principal(client) -> str:
    """Who asked, in words: anonymous (no credentials found) or the job's Google credentials."""
    from google.auth.credentials import AnonymousCredentials

    credentials = getattr(client, "_credentials", None)
    if credentials is None or isinstance(credentials, AnonymousCredentials):
        return "anonymous: no Google credentials found (set GOOGLE_APPLICATION_CREDENTIALS, or run " \
               "gcloud auth application-default login)"
    return "the job's Google credentials"


def _bucket(bucket: str) -> None:
    """Check once per bucket that it exists and can be listed (storage.objects.list)."""
    state = _get()
    if bucket not in state.buckets:
        try:
            _call(_listed(state.client), bucket, max_results=1, fields="items(name)")
            state.buckets[bucket] = None
        except GcsProblem as exc:
            state.buckets[bucket] = f"no bucket {bucket}" if str(exc) == "not found" else str(exc)
    if state.buckets[bucket]:
        raise GcsProblem(state.buckets[bucket])


def read(path: str, limit: int | None = None) -> bytes:
    """The object's bytes; GcsProblem naming why not (no bucket, no object, permission, network).

    With ``limit``, an object larger than that is not downloaded (GcsProblem "larger than ...").
    """
    bucket, name = split(path)
    if not name or name.endswith("/"):
        raise GcsProblem("not a gs://BUCKET/OBJECT path")
    state = _get()
    try:
        blob = state.client.bucket(bucket).blob(name)
        if limit is not None:
            _call(blob.reload)  # its size, before a byte is downloaded
            if blob.size is not None and blob.size > limit:
                raise GcsProblem(f"larger than {limit} bytes")
        return _call(blob.download_as_bytes)
    except GcsProblem as exc:
        if str(exc) != "not found":
            raise
        _bucket(bucket)
        raise GcsProblem("no such object") from None


def list_prefix(path: str, limit: int | None = None) -> list[str]:
    """``gs://`` paths of the objects under the literal part of ``path`` (before any glob character)."""
    bucket, name = split(path)
    prefix = re.split(r"[*?\[]", name, maxsplit=1)[0]
    _bucket(bucket)
    state = _get()
    blobs = _call(_listed(state.client), bucket, prefix=prefix, max_results=limit, fields="items(name),nextPageToken")
    return [f"gs://{bucket}/{b.name}" for b in blobs]


def _listed(client):
    """``list_blobs`` read through (its pages are fetched while iterating, inside ``_call``)."""
    return lambda *args, **kwargs: list(client.list_blobs(*args, **kwargs))


def exists(path: str) -> bool:
    """True when the object exists (its bucket is checked first)."""
    bucket, name = split(path)
    _bucket(bucket)
    if not name:
        return False
    state = _get()
    return bool(_call(state.client.bucket(bucket).blob(name).exists))


def probe_write(folder: str) -> None:
    """Create and delete an empty object in ``folder`` (the job needs to create and to delete: renames)."""
    bucket, name = split(folder.rstrip("/") + "/")
    state = _get()
    blob = state.client.bucket(bucket).blob(f"{name}{PROBE_NAME}{uuid.uuid4().hex}")
    try:
        _call(blob.upload_from_string, b"")
    except GcsProblem as exc:
        if str(exc) == "not found":
            raise GcsProblem(f"no bucket {bucket}") from None
        raise GcsProblem(str(exc) if state.unreachable else f"cannot write: {exc}") from None
    try:
        _call(blob.delete)
    except GcsProblem as exc:
        raise GcsProblem(f"can write but not delete (the job renames its temporary objects): {exc}; the probe "
                         f"gs://{bucket}/{blob.name} is left there") from None
