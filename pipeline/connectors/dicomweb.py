"""DICOMweb transport: sessions and credentials, retries and throttling, QIDO/WADO/STOW requests.

A small module on ``requests`` and google-auth's ``AuthorizedSession`` instead of
``dicomweb-client``, which parses and re-encodes instances (spec section 10): here
a retrieve returns the stored bytes (``transfer-syntax=*``) and a store sends our
output bytes unchanged. ``DicomwebClient`` is made in a DoFn's ``setup()`` (one
HTTP session per DoFn instance, never pickled). Every HTTP error becomes one of
the exceptions of ``transforms.errors`` holding the method, the service name, the
path and the status only: never a header, a response body or a credential.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from dataclasses import dataclass

import requests
from apache_beam.metrics import Metrics

from transforms.dicom.dicomweb import (
    INCLUDE_FIELDS,
    RETRYABLE_STATUSES,
    SERIES_UID,
    SOP_UID,
    STOW_ACCEPT,
    STUDY_UID,
    WADO_ACCEPT,
    backoff_seconds,
    parse_retry_after,
    qido_value,
)
from transforms.errors import (
    DicomwebError,
    DicomwebHttpError,
    DicomwebListingTruncated,
    DicomwebNotFound,
    DicomwebRefused,
    DicomwebUnavailable,
    InstanceConflictError,
)

_LOGGER = logging.getLogger(__name__)
DICOM_JSON = "application/dicom+json"
CONNECT_TIMEOUT = 10.0
QIDO_READ_TIMEOUT = 120.0
TRANSFER_READ_TIMEOUT = 1800.0
GOOGLE_OFFSET_CAP = 1_000_000
GOOGLE_SCOPE = "https://www.googleapis.com/auth/cloud-platform"
ENV_NAMES = {"basic": ("USERNAME", "PASSWORD"), "bearer": ("TOKEN",)}


class Credentials:
    """Basic or bearer secrets that never show in repr, str, logs or option listings."""

    def __init__(self, values: dict[str, str]) -> None:
        self._values = dict(values)

    def reveal(self, name: str) -> str:
        """Return one secret (for the session only)."""
        return self._values[name]

    def __repr__(self) -> str:
        return "Credentials(<hidden>)"

    __str__ = __repr__


def read_credentials(auth: str, side: str, env) -> tuple[Credentials | None, list[str]]:
    """Return the secrets ``auth`` needs from the environment, and the names of missing ones.

    ``DICOMWEB_SOURCE_*`` / ``DICOMWEB_DESTINATION_*`` win over ``DICOMWEB_*``.
    """
    if auth not in ENV_NAMES:
        return None, []
    values, missing = {}, []
    for name in ENV_NAMES[auth]:
        specific, general = f"DICOMWEB_{side.upper()}_{name}", f"DICOMWEB_{name}"
        value = env.get(specific) or env.get(general)
        if value:
            values[name] = value
        else:
            missing.append(f"${specific} or ${general}")
    return (Credentials(values) if not missing else None), missing


@dataclass(frozen=True)
class Service:
    """One DICOMweb service of the job (picklable: the session is made on the worker)."""

    url: str
    name: str
    auth: str
    google: bool
    side: str  # "source" or "destination"
    credentials: Credentials | None = None


@dataclass(frozen=True)
class HttpPolicy:
    """Retries and throttling (spec section 8); ``requests_per_second`` is per worker process."""

    max_attempts: int = 8
    backoff_base: float = 1.0
    requests_per_second: float = 0.0


def make_session(service: Service) -> requests.Session:
    """Return an HTTP session that authenticates as ``service.auth`` says."""
    if service.auth == "google":
        import google.auth
        from google.auth.transport.requests import AuthorizedSession

        credentials, _ = google.auth.default(scopes=[GOOGLE_SCOPE])
        return AuthorizedSession(credentials)
    session = requests.Session()
    if service.auth == "basic":
        session.auth = (service.credentials.reveal("USERNAME"), service.credentials.reveal("PASSWORD"))
    elif service.auth == "bearer":
        session.headers["Authorization"] = "Bearer " + service.credentials.reveal("TOKEN")
    return session


class _RateLimiter:
    """A token bucket shared by the threads of a worker process: at most R requests a second."""

    _lock = threading.Lock()
    _next = 0.0

    @classmethod
    def wait_time(cls, rate: float, clock) -> float:
        if rate <= 0:
            return 0.0
        with cls._lock:
            now = clock()
            start = max(now, cls._next)
            cls._next = start + 1.0 / rate
            return start - now


class DicomwebClient:
    """Requests to one service, with bounded retries, back-off, jitter and a request cap.

    ``requests``, ``retries`` and ``throttled_seconds`` count what this client did
    (the summary's ``dicomweb`` figures); back-off sleeps also go to the Beam
    counter ``cumulativeThrottlingSeconds``, so Dataflow does not add workers
    against a quota.
    """

    def __init__(self, service: Service, policy: HttpPolicy, session=None, sleep=time.sleep, clock=time.monotonic, rand=random.random) -> None:
        self.service = service
        self.policy = policy
        self._session = session if session is not None else make_session(service)
        self._sleep, self._clock, self._rand = sleep, clock, rand
        self.requests = 0
        self.retries = 0
        self.throttled_seconds = 0.0
        self._throttled_whole = 0
        self._throttle_counter = Metrics.counter("dicomweb", "cumulativeThrottlingSeconds")
        self._retry_counter = Metrics.counter("deid", "http_retries")

    def close(self) -> None:
        """Close the session's connections."""
        self._session.close()

    def _wait(self, seconds: float) -> None:
        if seconds <= 0:
            return
        self.throttled_seconds += seconds
        whole = int(self.throttled_seconds)
        if whole > self._throttled_whole:
            self._throttle_counter.inc(whole - self._throttled_whole)
            self._throttled_whole = whole
        self._sleep(seconds)

    def request(self, method: str, path: str, *, params=None, headers=None, body=None, read_timeout=QIDO_READ_TIMEOUT, max_attempts=None):
        """Send a request, retrying 429/408/5xx and connection errors; return the last response.

        ``body`` is a callable returning ``(data, extra headers)``, called per
        attempt (a streamed body is consumed by sending it). A non-retryable
        status is returned for the caller to judge.

        Raises
        ------
        DicomwebUnavailable
            When the last attempt still failed in a retryable way, or on a TLS error.
        """
        url = f"{self.service.url}/{path}" if path else self.service.url
        attempts = max_attempts or self.policy.max_attempts
        for attempt in range(1, attempts + 1):
            self._wait(_RateLimiter.wait_time(self.policy.requests_per_second, self._clock))
            data, extra = body() if body is not None else (None, {})
            retry_after = None
            self.requests += 1
            try:
                response = self._session.request(
                    method, url, params=params, headers={**(headers or {}), **extra}, data=data,
                    timeout=(CONNECT_TIMEOUT, read_timeout),
                )
            except requests.exceptions.SSLError:
                raise DicomwebUnavailable(f"{method} {self._where(path)}: TLS error") from None
            except (requests.exceptions.ConnectionError, requests.exceptions.Timeout, requests.exceptions.ChunkedEncodingError) as exc:
                cause = _connection_cause(exc)
            else:
                if response.status_code not in RETRYABLE_STATUSES:
                    return response
                cause = f"HTTP {response.status_code}"
                retry_after = parse_retry_after(response.headers.get("Retry-After"))
                response.close()
            if attempt == attempts:
                raise DicomwebUnavailable(f"{method} {self._where(path)}: {cause} after {attempts} attempt(s)")
            self.retries += 1
            self._retry_counter.inc()
            _LOGGER.info("%s %s: %s; retrying (attempt %d of %d)", method, self._where(path), cause, attempt + 1, attempts)
            self._wait(backoff_seconds(attempt, self.policy.backoff_base, self._rand(), retry_after))
        raise AssertionError("unreachable")

    def _where(self, path: str) -> str:
        return f"{self.service.name}/{path}" if path else self.service.name

    def error(self, method: str, path: str, response) -> DicomwebError:
        """Return the exception for a non-success ``response`` (status only, never the body)."""
        status = response.status_code
        text = f"{method} {self._where(path)}: HTTP {status}"
        if status in (401, 403):
            return DicomwebRefused(text)
        if status == 404:
            return DicomwebNotFound(text)
        if status == 409:
            return InstanceConflictError(text + ": other bytes are stored under these UIDs")
        return DicomwebHttpError(text)

    # QIDO-RS -----------------------------------------------------------------------------

    def search(self, path: str, page_size: int, **match):
        """Yield every QIDO-RS entry of ``path`` (paged; spec section 4).

        The next offset is the offset plus the results received; the listing ends
        on an empty page (``[]`` or 204), never on a short page alone. A 400/404 at
        an offset > 0 ends it only when a probe of the previous offset finds one.

        Raises
        ------
        DicomwebError
            When a page cannot be had; ``DicomwebListingTruncated`` at Google's offset cap.
        """
        offset = 0
        while True:
            if self.service.google and offset >= GOOGLE_OFFSET_CAP:
                raise DicomwebListingTruncated(f"GET {self._where(path)}: the offset cap {GOOGLE_OFFSET_CAP} was reached")
            page = self._page(path, page_size, offset, match)
            if page is None:
                return
            if not page:
                return
            yield from page
            offset += len(page)

    def _page(self, path: str, limit: int, offset: int, match: dict):
        params = {**match, "limit": str(limit), "offset": str(offset), "includefield": ",".join(INCLUDE_FIELDS)}
        response = self.request("GET", path, params=params, headers={"Accept": DICOM_JSON})
        if response.status_code == 204:
            return []
        if response.status_code in (400, 404) and offset > 0:
            probe = self.request("GET", path, params={**params, "limit": "1", "offset": str(offset - 1)}, headers={"Accept": DICOM_JSON})
            if probe.status_code == 200 and len(_json_list(probe, path, self)) == 1:
                return None
        if response.status_code != 200:
            raise self.error("GET", path, response)
        return _json_list(response, path, self)

    # WADO-RS -----------------------------------------------------------------------------

    def retrieve(self, study: str, series: str, sop: str) -> tuple[bytes, str]:
        """Return (body, Content-Type) of one instance, stored bytes (``transfer-syntax=*``).

        Raises
        ------
        DicomwebError
            ``DicomwebNotFound`` on 404, ``DicomwebRefused`` on 401/403, ``DicomwebUnavailable``
            after the last retryable failure, ``DicomwebHttpError`` otherwise (406 included: no
            transcoding fallback).
        """
        path = f"studies/{study}/series/{series}/instances/{sop}"
        response = self.request("GET", path, headers={"Accept": WADO_ACCEPT}, read_timeout=TRANSFER_READ_TIMEOUT)
        if response.status_code != 200:
            raise self.error("GET", path, response)
        return response.content, response.headers.get("Content-Type", "")

    # STOW-RS -----------------------------------------------------------------------------

    def store(self, make_body) -> tuple[int, object]:
        """POST one STOW-RS batch; return (status, parsed answer or None).

        ``make_body`` returns ``(data, content type)`` per attempt.

        Raises
        ------
        DicomwebError
            ``DicomwebUnavailable`` after the last retryable failure; ``DicomwebRefused`` on 401/403;
            ``DicomwebNotFound`` on 404. Other statuses (200, 202, 400, 409, ...) are returned.
        """

        def body():
            data, content_type = make_body()
            return data, {"Content-Type": content_type}

        response = self.request("POST", "studies", headers={"Accept": STOW_ACCEPT}, body=body, read_timeout=TRANSFER_READ_TIMEOUT)
        if response.status_code in (401, 403, 404):
            raise self.error("POST", "studies", response)
        try:
            answer = response.json() if response.content.strip() else None
        except ValueError:
            answer = None
        return response.status_code, answer


def _json_list(response, path: str, client: DicomwebClient) -> list:
    try:
        value = response.json() if response.content.strip() else []
    except ValueError:
        from transforms.errors import DicomwebBadResponse

        raise DicomwebBadResponse(f"GET {client._where(path)}: the answer is not DICOM JSON") from None
    return value if isinstance(value, list) else []


def _connection_cause(exc: BaseException) -> str:
    """A short cause without the URL or headers (requests' messages repeat the URL)."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return "connection timed out"
    if isinstance(exc, requests.exceptions.ReadTimeout):
        return "read timed out"
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return "the answer was cut short"
    text = repr(exc)
    for marker, cause in (
        ("NameResolutionError", "host name not resolved"),
        ("Failed to resolve", "host name not resolved"),
        ("Connection refused", "connection refused"),
        ("RemoteDisconnected", "connection closed by the server"),
        ("Connection reset", "connection reset"),
        ("IncompleteRead", "the answer was cut short"),
    ):
        if marker in text:
            return cause
    return "connection error"


def probe(service: Service, policy: HttpPolicy, skip_existing: bool) -> tuple[str | None, str | None]:
    """Check a service before the job starts: ``GET <base>/studies?limit=1`` (3 attempts).

    Returns
    -------
    (problem, warning)
        A problem stops the job (unreachable, 401, 404, 403 from a source or from a
        destination with --skip_existing); a warning is logged (403 from a
        destination: write-only credentials are allowed).
    """
    what = f"--dicomweb_{service.side} {service.name} (auth {service.auth})"
    try:
        client = DicomwebClient(service, HttpPolicy(3, min(policy.backoff_base, 1.0), 0.0))
    except Exception as exc:
        return f"{what}: credentials cannot be had ({type(exc).__name__})", None
    try:
        response = client.request("GET", "studies", params={"limit": "1"}, headers={"Accept": DICOM_JSON}, read_timeout=10.0)
    except DicomwebError as exc:
        return f"{what}: unreachable: {str(exc).split(': ', 1)[-1]}", None
    finally:
        client.close()
    status = response.status_code
    if status in (200, 204):
        return None, None
    if status == 403 and service.side == "destination" and not skip_existing:
        return None, f"{what}: searching is forbidden (HTTP 403); storing may still be allowed"
    cause = {401: "authentication failed", 403: "access forbidden", 404: "no such store or wrong URL"}.get(status, "unexpected answer")
    return f"{what}: HTTP {status} ({cause})", None


def list_series_instances(client: DicomwebClient, study: str, series: str, page_size: int) -> set[str]:
    """Return the SOP Instance UIDs a series holds (an empty set when it does not exist)."""
    try:
        return {qido_value(e, SOP_UID) for e in client.search(f"studies/{study}/series/{series}/instances", page_size)} - {None}
    except DicomwebNotFound:
        return set()


def find_existing(client: DicomwebClient, sops: list[str], page_size: int) -> dict[str, tuple[str, str]]:
    """Return SOP UID -> (study, series) for those of ``sops`` the service holds (one UID-list QIDO)."""
    found = {}
    for entry in client.search("instances", page_size, SOPInstanceUID=",".join(sops)):
        sop = qido_value(entry, SOP_UID)
        if sop in sops:
            found[sop] = (qido_value(entry, STUDY_UID), qido_value(entry, SERIES_UID))
    return found



__all__ = [
    "Credentials",
    "DicomwebClient",
    "HttpPolicy",
    "Service",
    "find_existing",
    "list_series_instances",
    "make_session",
    "probe",
    "read_credentials",
]
