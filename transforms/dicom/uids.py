"""Keyed, deterministic UID regeneration (spec section 4).

A new UID is ``<root>.`` followed by the decimal value of the first 128 bits of
HMAC-SHA256(key, original UID). Every worker and every rerun with the same key
maps a UID the same way, with no shared state. Registry UIDs (SOP classes,
transfer syntaxes, coding schemes and anything else under the DICOM root
``1.2.840.10008``) are never regenerated.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import secrets

from pydicom.uid import UID_dictionary

from transforms.errors import KeyMaterialError

DEFAULT_UID_ROOT = "2.25"
DICOM_REGISTRY_ROOT = "1.2.840.10008."
MAX_UID_LENGTH = 64
# 128 bits need at most 39 decimal digits.
_MAX_SUFFIX_DIGITS = 39
_UID_ROOT_RE = re.compile(r"^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$")
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


def is_registry_uid(uid: str) -> bool:
    """Return True for UIDs from the DICOM registry, which are never regenerated."""
    return uid.startswith(DICOM_REGISTRY_ROOT) or uid in UID_dictionary


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
        ``root + "." + str(int(HMAC-SHA256(key, uid)[:16]))``.
    """
    uid = uid.strip("\x00 ")
    if not uid or is_registry_uid(uid):
        return uid
    digest = hmac.new(key, uid.encode("ascii", "replace"), hashlib.sha256).digest()
    return f"{root}.{int.from_bytes(digest[:16], 'big')}"


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
