"""Leaf transformations that keep the value valid for its FHIR type (spec 3.1).

``MISSING`` means "remove the leaf": a mask or hash is invalid for decimal (and a mask for
id, oid, uuid), so those are removed instead (ours).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid
from typing import Any

from transforms.fhir.ids import hash_id
from transforms.fhir.narrative import text_mask

MISSING = object()
_MISSING = MISSING


def mask_value(value: str, type_code: str, char: str) -> Any:
    """characterMaskField: every code point masked; xhtml text only; decimal/id/oid/uuid removed."""
    if type_code in ("decimal", "id", "oid", "uuid"):
        return _MISSING
    if type_code == "xhtml":
        keep = text_mask(value)
        return "".join(char if k and not c.isspace() else c for c, k in zip(value, keep))
    return char * len(value)

def hash_value(value: str, type_code: str, key: bytes) -> Any:
    """cryptoHashField: base64 HMAC-SHA256; id hex; oid/uuid from 128 bits; decimal removed."""
    digest = hmac.new(key, value.encode("utf-8"), hashlib.sha256).digest()
    if type_code == "decimal":
        return _MISSING
    if type_code == "id":
        return hash_id(value, key)
    if type_code == "oid":
        return f"urn:oid:2.25.{int.from_bytes(digest[:16], 'big')}"
    if type_code == "uuid":
        return f"urn:uuid:{uuid.UUID(bytes=digest[:16])}"
    hashed = base64.b64encode(digest).decode("ascii")
    if type_code == "xhtml":
        return f'<div xmlns="http://www.w3.org/1999/xhtml">{hashed}</div>'
    return hashed


__all__ = ["MISSING", "hash_value", "mask_value"]
