"""Keyed, deterministic UID regeneration (spec section 4).

A new UID is ``<root>.`` followed by the decimal value of the first 128 bits of
HMAC-SHA256(key, original UID). Every worker and every rerun with the same key
maps a UID the same way, with no shared state.

A UID is a registry UID (a SOP class, transfer syntax, coding scheme, well-known
instance: kept as it is) exactly when it is listed in PS3.6 (``_uid_registry.py``,
generated data), never because of its prefix: ``1.2.840.10008.<anything>`` that
is not registered is regenerated like any other value. ``is_valid_uid`` is the
PS3.5 9.1 syntax (digits and dots, no empty component, no leading zero, at most
64 characters); a value that fails it is never kept as a UID (``transforms.dicom.tags``
regenerates it whatever the profile) and never names an output
(``transforms.dicom.outpath``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import secrets

from transforms.dicom._uid_registry import REGISTRY_UIDS
from transforms.errors import KeyMaterialError

DEFAULT_UID_ROOT = "2.25"
MAX_UID_LENGTH = 64
# 128 bits need at most 39 decimal digits.
_MAX_SUFFIX_DIGITS = 39
_UID_ROOT_RE = re.compile(r"^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$")
# PS3.5 9.1: components of digits, no leading zero (a lone 0 is fine), separated by single dots.
_UID_RE = re.compile(r"(?:0|[1-9][0-9]*)(?:\.(?:0|[1-9][0-9]*))*")
_REGISTRY = frozenset(REGISTRY_UIDS)
_MIN_KEY_BYTES = 16


def check_uid_root(root: str) -> str:
    """Return ``root`` if regenerated UIDs under it stay valid, else raise.

    Raises
    ------
    ValueError
        If the root is not a valid UID prefix or leaves no room for the
        39-digit suffix within 64 characters.
    """
    if not _UID_ROOT_RE.match(root):
        raise ValueError("the UID root must be digits and dots with no leading zeros")
    if len(root) + 1 + _MAX_SUFFIX_DIGITS > MAX_UID_LENGTH:
        raise ValueError(
            f"the UID root must be at most {MAX_UID_LENGTH - 1 - _MAX_SUFFIX_DIGITS} characters"
        )
    return root


def is_valid_uid(uid: str) -> bool:
    """Return True when ``uid`` is a UID by PS3.5 9.1 (padding already removed).

    Digits and dots only, no empty component, no leading zero in a component,
    1 to 64 characters. Everything else (a path, a name, an empty string) is not.
    """
    return 0 < len(uid) <= MAX_UID_LENGTH and _UID_RE.fullmatch(uid) is not None


def is_registry_uid(uid: str) -> bool:
    """Return True for UIDs listed in the PS3.6 registry, which are never regenerated."""
    return uid in _REGISTRY


def remap_uid(uid: str, key: bytes, root: str = DEFAULT_UID_ROOT) -> str:
    """Return the keyed-hash replacement of one UID.

    Parameters
    ----------
    uid : str
        The original UID; trailing padding (space or NUL) is ignored.
    key : bytes
        The secret HMAC key.
    root : str
        The root of the new UID.

    Returns
    -------
    str
        ``uid`` unchanged when it is empty or a registry UID, else
        ``root + "." + str(int(HMAC-SHA256(key, uid)[:16]))`` (the UTF-8 bytes
        of ``uid``: a value that is not a valid UID is regenerated too, and two
        different values never share their input).
    """
    uid = uid.strip("\x00 ")
    if not uid or uid in _REGISTRY:
        return uid
    digest = hmac.new(key, uid.encode("utf-8", "surrogatepass"), hashlib.sha256).digest()
    return f"{root}.{int.from_bytes(digest[:16], 'big')}"


_MAPPABLE_RE = re.compile(r"[0-9.]{1,256}")


def is_mappable_uid(original: str) -> bool:
    """True when an original value may be listed in the UID mapping: digits and dots only.

    A real archive's flawed UID (a leading zero, an empty component, more than 64
    characters) is listed, so the key holder can still find it; a value with any
    other character (a letter, a separator, a path, a name) never is.
    """
    return _MAPPABLE_RE.fullmatch(original) is not None


def mapping_row(original: str, new: str) -> str | None:
    """Return the ``original,new`` line of the UID mapping CSV, or None when it may not be listed.

    Only digits and dots reach the file (``is_mappable_uid``; ``new`` is a valid
    UID), so no value can add a column or a row (a comma, a newline, a formula)
    nor carry a name: the CSV needs no quoting by construction. The tag step
    records only such originals; this is the writer's own check.
    """
    if is_mappable_uid(original) and is_valid_uid(new):
        return f"{original},{new}"
    return None


def decode_key(raw: bytes) -> bytes:
    """Return key bytes from a key file's content: base64 text or raw bytes.

    Raises
    ------
    KeyMaterialError
        If the key is shorter than 16 bytes.
    """
    text = raw.strip()
    key = raw
    if text and re.fullmatch(rb"[A-Za-z0-9+/=_-]+", text):
        try:
            key = base64.b64decode(text + b"=" * (-len(text) % 4), altchars=b"-_" if b"-" in text or b"_" in text else None, validate=True)
        except (binascii.Error, ValueError):
            key = raw
    if len(key) < _MIN_KEY_BYTES:
        raise KeyMaterialError(f"the UID key must hold at least {_MIN_KEY_BYTES} bytes")
    return key


def random_key() -> bytes:
    """Return a fresh 32-byte key (used when the user gives none)."""
    return secrets.token_bytes(32)
