"""Ids and references: the keyed hex id hash, so every link still resolves (spec 6).

``hash_id`` is lowercase hex HMAC-SHA256(hash key, source id): 64 characters, inside the
FHIR id pattern ``[A-Za-z0-9\\-\\.]{1,64}`` (ours: the service's base64 is not a valid id).
``rewrite_reference`` maps ``Type/id[/_history/v]``, ``http(s)://base/Type/id`` and ``#id``
to hashed ids, and a Bundle's ``urn:uuid:`` to its entry; anything else is unresolvable.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from functools import lru_cache

from transforms.fhir.elements import is_resource

ID_PATTERN = re.compile(r"[A-Za-z0-9\-\.]{1,64}")
_RELATIVE = re.compile(r"(?:https?://[^?#\s]+/)?([A-Z][A-Za-z]+)/([A-Za-z0-9\-\.]{1,64})(?:/_history/[A-Za-z0-9\-\.]{1,64})?")


@lru_cache(maxsize=8)
def _keyed(key: bytes) -> hmac.HMAC:
    return hmac.new(key, digestmod=hashlib.sha256)


def hash_id(source_id: str, key: bytes) -> str:
    """Return the output id of a source id (or of an entry's fullUrl)."""
    h = _keyed(key).copy()  # the keyed state is computed once per key
    h.update(source_id.encode("utf-8"))
    return h.hexdigest()


def parse_reference(reference: str) -> tuple[str, str] | None:
    """Return (Type, id) of a literal ``Type/id`` or ``http(s)://base/Type/id`` reference."""
    m = _RELATIVE.fullmatch(reference)
    if m and is_resource(m.group(1)):
        return m.group(1), m.group(2)
    return None


def rewrite_reference(reference: str, key: bytes, bundle: dict[str, tuple[str, str]] | None = None) -> str | None:
    """Return the output form of a reference; None when it cannot be resolved.

    Parameters
    ----------
    reference : str
        ``Reference.reference`` as written.
    key : bytes
        The hash key.
    bundle : dict, optional
        fullUrl -> (Type, output id) of the entries of the enclosing Bundle.
    """
    if bundle and reference in bundle:
        rtype, new = bundle[reference]
        return f"{rtype}/{new}"
    if reference.startswith("#"):
        local = reference[1:]
        return "#" + hash_id(local, key) if local else "#"
    parsed = parse_reference(reference)
    if parsed is None:
        return None
    return f"{parsed[0]}/{hash_id(parsed[1], key)}"


__all__ = ["ID_PATTERN", "hash_id", "parse_reference", "rewrite_reference"]
