"""DICOMweb without the network: URLs and names, QIDO entries, multipart bodies, STOW answers, back-off.

Everything here is a pure function of its arguments (``pipeline/dicomweb.py`` does
the HTTP). Multipart bodies are built and parsed with requests-toolbelt's
``MultipartEncoder`` / ``MultipartDecoder``: the encoder streams each part from a
reader and knows the total length up front (STOW is sent with ``Content-Length``,
not chunked, and the parts are never copied into one buffer); the decoder splits a
WADO-RS answer on its boundary and leaves each part's bytes exactly as sent.
"""

from __future__ import annotations

import email.utils
import io
import re
import time
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from pydicom import dcmread
from requests_toolbelt.multipart.decoder import MultipartDecoder
from requests_toolbelt.multipart.encoder import MultipartEncoder

from transforms.dicom.codec import DEFAULT_MAX_INFLATED_BYTES, check_inflated_size
from transforms.dicom.uids import is_valid_uid
from transforms.errors import DicomwebBadResponse, cause

GOOGLE_HOST = "healthcare.googleapis.com"
_GOOGLE_PATH = re.compile(
    r"^/(?:v1|v1beta1)/(projects/[^/]+/locations/[^/]+/datasets/[^/]+/dicomStores/[^/]+/dicomWeb)$"
)
AUTH_MODES = ("none", "google", "basic", "bearer")
# QIDO attribute tags (PS3.18 JSON keys).
STUDY_UID = "0020000D"
SERIES_UID = "0020000E"
SOP_UID = "00080018"
SOP_CLASS = "00080016"
INCLUDE_FIELDS = (STUDY_UID, SERIES_UID, SOP_UID, SOP_CLASS)
_REFERENCED_SOP_SEQUENCE = "00081199"
_FAILED_SOP_SEQUENCE = "00081198"
_REFERENCED_SOP_INSTANCE = "00081155"
_FAILURE_REASON = "00081197"
_WARNING_REASON = "00081196"
RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
DICOM_PART_TYPE = "application/dicom"
WADO_ACCEPT = 'multipart/related; type="application/dicom"; transfer-syntax=*'
STOW_ACCEPT = "application/dicom+json"
MAX_RETRY_AFTER = 300.0
MAX_BACKOFF = 64.0


@dataclass(frozen=True)
class StoreUrl:
    """A checked DICOMweb base URL: ``url`` for requests, ``name`` for records, ``google`` for its host."""

    url: str
    name: str
    google: bool

    @property
    def loopback(self) -> bool:
        """True when the host is a loopback address (plain http is then not warned about)."""
        host = urlsplit(self.url).hostname or ""
        return host in ("localhost", "::1") or host.startswith("127.")


def redact_userinfo(url: str) -> str:
    """Return ``url`` with any ``user:password@`` removed (for messages)."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def parse_store_url(url: str, flag: str) -> StoreUrl:
    """Check a DICOMweb base URL (spec section 2) and return it with its service name.

    Raises
    ------
    ValueError
        Naming ``flag`` and the URL without any user-info.
    """
    shown = redact_userinfo(url)
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        raise ValueError(f"{flag} {shown}: not a valid URL") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{flag} {shown}: must be an http:// or https:// URL")
    if "@" in parts.netloc:
        raise ValueError(f"{flag} {shown}: credentials may not be part of the URL (see --dicomweb_auth)")
    if parts.query or parts.fragment or url.strip().endswith(("?", "#")):
        raise ValueError(f"{flag} {shown}: may not hold a query or a fragment")
    path = parts.path.rstrip("/")
    normalized = urlunsplit((parts.scheme, parts.netloc.lower(), path, "", ""))
    if parts.hostname.lower() == GOOGLE_HOST:
        m = _GOOGLE_PATH.match(path)
        if not m:
            raise ValueError(
                f"{flag} {shown}: a Cloud Healthcare store URL is "
                "https://healthcare.googleapis.com/v1/projects/P/locations/L/datasets/D/dicomStores/S/dicomWeb"
            )
        return StoreUrl(normalized, m.group(1), True)
    return StoreUrl(normalized, normalized, False)


def default_auth(store: StoreUrl) -> str:
    """``google`` for Cloud Healthcare stores, else ``none`` (spec section 1)."""
    return "google" if store.google else "none"


def store_path(study: str | None = None, series: str | None = None, sop: str | None = None, then: str = "") -> str:
    """Return ``studies/S[/series/R[/instances/I]][/then]``, every UID checked first.

    A UID a store sent is never put into a request path unchecked: only a valid
    UID (PS3.5 9.1, digits and dots) reaches the URL, so ``../``, ``?`` or ``%2F``
    cannot make an authenticated request to another path.

    Raises
    ------
    DicomwebBadResponse
        Naming which UID (study, series, instance) is not a valid UID, never its value.
    """
    parts = []
    for word, what, uid in (("studies", "study", study), ("series", "series", series), ("instances", "instance", sop)):
        if uid is None:
            break
        if not is_valid_uid(uid):
            raise DicomwebBadResponse(f"the store's {what} UID is not a valid UID (PS3.5 9.1): it is not requested")
        parts += [word, uid]
    if then:
        parts.append(then)
    return "/".join(parts)


def instance_name(store_name: str, study: str, series: str, sop: str) -> str:
    """Return ``<store name>/studies/S/series/R/instances/I`` (failure records, annotations)."""
    return f"{store_name}/studies/{study}/series/{series}/instances/{sop}"


def qido_value(entry: dict, tag: str) -> str | None:
    """Return the first value of ``tag`` in a QIDO-RS JSON entry, or None."""
    values = (entry.get(tag) or {}).get("Value") or []
    return str(values[0]) if values and values[0] is not None else None


def backoff_seconds(attempt: int, base: float, jitter: float, retry_after: float | None = None) -> float:
    """Return the wait before attempt ``attempt + 1`` (attempts count from 1; spec section 8).

    ``min(base * 2**attempt, 64)`` plus ``base * jitter`` (``jitter`` uniform in
    [0, 1)); a larger ``Retry-After`` wins, up to 300 s. ``base`` is 1 s by
    default; tests make it small.
    """
    wait = min(base * 2**attempt, MAX_BACKOFF) + base * jitter
    if retry_after is not None and retry_after > wait:
        wait = min(retry_after, MAX_RETRY_AFTER)
    return wait


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Return a ``Retry-After`` header (seconds or an HTTP date) as seconds from ``now``, or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def decode_retrieved(body: bytes, content_type: str) -> bytes:
    """Return the one Part 10 file of a WADO-RS answer (multipart/related or single-part).

    Raises
    ------
    DicomwebBadResponse
        When the answer holds no part or more than one, or a part that is not application/dicom.
    """
    media = content_type.split(";", 1)[0].strip().lower()
    if media == DICOM_PART_TYPE:
        return body
    if media != "multipart/related":
        raise DicomwebBadResponse(f"the answer is {_media_name(media)}, not multipart/related or application/dicom")
    if not _BOUNDARY.search(content_type):
        raise DicomwebBadResponse("the store's multipart answer names no boundary: a bad store answer")
    try:
        parts = MultipartDecoder(body, content_type).parts
    except Exception:
        raise DicomwebBadResponse("the store's multipart answer cannot be split at its boundary: a bad store answer") from None
    if len(parts) != 1:
        raise DicomwebBadResponse(f"the answer holds {len(parts)} parts, not one")
    part_type = (parts[0].headers.get(b"Content-Type") or b"").split(b";", 1)[0].strip().lower()
    if part_type and part_type != DICOM_PART_TYPE.encode():
        raise DicomwebBadResponse("the answer's part is not application/dicom")
    return parts[0].content


_BOUNDARY = re.compile(r";\s*boundary\s*=\s*(?:\"[^\"]+\"|[^\s;\"]+)", re.IGNORECASE)
_MEDIA = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}")


def _media_name(media: str) -> str:
    """A media type for a message: the store's text only when it is a plain type/subtype."""
    if not media:
        return "untyped"
    return media if _MEDIA.fullmatch(media) else "of an unreadable type"


def check_instance(data: bytes, study: str, series: str, sop: str, max_inflated: int = DEFAULT_MAX_INFLATED_BYTES) -> None:
    """Check that ``data`` is a Part 10 file with the listed UIDs.

    Raises
    ------
    DicomwebBadResponse
        When it is not Part 10, or its UIDs differ from the listing's.
    InputTooLargeError
        A deflated data set that inflates to more than ``max_inflated`` bytes.
    """
    if len(data) < 132 or data[128:132] != b"DICM":
        raise DicomwebBadResponse("the retrieved instance is not a DICOM Part 10 file")
    check_inflated_size(data, max_inflated)
    try:
        ds = dcmread(io.BytesIO(data), stop_before_pixels=True, specific_tags=["StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID"])
        found = (str(ds.get("StudyInstanceUID", "")), str(ds.get("SeriesInstanceUID", "")), str(ds.get("SOPInstanceUID", "")))
    except Exception as exc:
        raise DicomwebBadResponse(f"the retrieved instance's header cannot be read ({cause(exc)})") from None
    if found != (study, series, sop):
        raise DicomwebBadResponse("the retrieved instance's UIDs differ from the listed ones")


def stow_body(parts: list) -> MultipartEncoder:
    """Return a STOW-RS multipart body over ``parts`` (readers or bytes), streamed, with a known length.

    The boundary is 32 random hex digits (the encoder's default is a uuid4 hex).
    Each part carries ``Content-Type: application/dicom`` (and the encoder's
    ``Content-Disposition`` line, which multipart/related receivers ignore).
    """
    return MultipartEncoder(fields=[(f"instance{i}", (None, part, DICOM_PART_TYPE)) for i, part in enumerate(parts)])


def stow_content_type(body: MultipartEncoder) -> str:
    """The request's Content-Type for ``body``: multipart/related of application/dicom."""
    return f'multipart/related; type="{DICOM_PART_TYPE}"; boundary={body.boundary_value}'


# STOW outcomes of one instance.
STORED = "stored"
STORED_WITH_WARNING = "stored_with_warning"
RETRY = "retry"
CONFLICT = "conflict"
REJECTED = "rejected"
UNKNOWN = "unknown"


def parse_stow_answer(status: int, answer: object, sops: list[str]) -> dict[str, tuple[str, int | None]]:
    """Return each sent SOP UID's outcome in a STOW-RS answer (spec section 7).

    Parameters
    ----------
    status : int
        The HTTP status (200, 202, 400, 409, ...).
    answer : object
        The parsed ``application/dicom+json`` body (a dict, or a one-item list), or None.
    sops : list of str
        The SOP Instance UIDs sent, in order.

    Returns
    -------
    dict
        SOP UID -> (outcome, reason code). In ReferencedSOPSequence: ``stored``
        (``stored_with_warning`` with a WarningReason); in FailedSOPSequence:
        ``retry`` for 0xA7xx (out of resources), else ``conflict`` when the status
        is 409, else ``rejected``. An instance the answer does not name is
        ``unknown`` (the caller resends it alone); sent alone, a bodiless 409 is a
        conflict.
    """
    if isinstance(answer, list) and len(answer) == 1:
        answer = answer[0]
    outcomes: dict[str, tuple[str, int | None]] = {sop: (UNKNOWN, None) for sop in sops}
    if isinstance(answer, dict):
        for item in _items(answer, _REFERENCED_SOP_SEQUENCE):
            sop = qido_value(item, _REFERENCED_SOP_INSTANCE)
            if sop in outcomes:
                warning = _int_value(item, _WARNING_REASON)
                outcomes[sop] = (STORED_WITH_WARNING if warning is not None else STORED, warning)
        for item in _items(answer, _FAILED_SOP_SEQUENCE):
            sop = qido_value(item, _REFERENCED_SOP_INSTANCE)
            if sop in outcomes:
                reason = _int_value(item, _FAILURE_REASON)
                if reason is not None and reason & 0xFF00 == 0xA700:
                    outcomes[sop] = (RETRY, reason)
                elif status == 409:
                    outcomes[sop] = (CONFLICT, reason)
                else:
                    outcomes[sop] = (REJECTED, reason)
    elif status == 409 and len(sops) == 1:
        outcomes[sops[0]] = (CONFLICT, None)
    return outcomes


def _items(answer: dict, tag: str) -> list[dict]:
    values = (answer.get(tag) or {}).get("Value") or []
    return [v for v in values if isinstance(v, dict)]


def _int_value(item: dict, tag: str) -> int | None:
    value = qido_value(item, tag)
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        return None


__all__ = [
    "AUTH_MODES",
    "StoreUrl",
    "backoff_seconds",
    "check_instance",
    "decode_retrieved",
    "default_auth",
    "instance_name",
    "parse_retry_after",
    "parse_store_url",
    "parse_stow_answer",
    "qido_value",
    "redact_userinfo",
    "store_path",
    "stow_body",
    "stow_content_type",
]
