"""Walking a JSON config and collecting every problem, each named by its JSON path.

``Checker`` is shared by the DICOM config (``transforms.deid_config``) and the FHIR one
(``transforms.fhir.config``): both report problems the same way, all at once.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from transforms.text.infotypes import KNOWN_INFO_TYPES


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)

class Checker:
    """Collects problems while walking the JSON; one instance per parse."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, path: str, msg: str) -> None:
        self.problems.append(f"{path}: {msg}")

    def fields(self, obj: Any, path: str, allowed: tuple[str, ...]) -> dict[str, Any]:
        """Return ``obj`` with camelCase keys; report non-objects and unknown keys."""
        if not isinstance(obj, dict):
            self.fail(path, f"expected a JSON object, got {json_type(obj)}")
            return {}
        out: dict[str, Any] = {}
        for key, value in obj.items():
            name = key if key in allowed else camel(key)
            if name not in allowed:
                hint = f"; allowed: {', '.join(allowed)}" if allowed else "; this message has no fields"
                self.fail(f"{path}.{key}", f"unknown field{hint}")
                continue
            if name in out:
                self.fail(f"{path}.{key}", f"field {name!r} is given twice")
                continue
            out[name] = value
        return out

    def enum(self, value: Any, path: str, allowed: tuple[str, ...]) -> str | None:
        if not isinstance(value, str) or value not in allowed:
            self.fail(path, f"expected one of {', '.join(allowed)}")
            return None
        return value

    def boolean(self, value: Any, path: str) -> bool:
        # "true"/"false" too (ours): the public documentation's annotation example sends strings.
        if value in ("true", "false"):
            return value == "true"
        if not isinstance(value, bool):
            self.fail(path, f"expected true or false, got {json_type(value)}")
            return False
        return value

    def string(self, value: Any, path: str) -> str | None:
        if not isinstance(value, str):
            self.fail(path, f"expected a string, got {json_type(value)}")
            return None
        return value

    def strings(self, value: Any, path: str) -> list[str]:
        if not isinstance(value, list):
            self.fail(path, f"expected a list of strings, got {json_type(value)}")
            return []
        out = []
        for i, item in enumerate(value):
            s = self.string(item, f"{path}[{i}]")
            if s is not None:
                out.append(s)
        return out

    def info_types(self, value: Any, path: str) -> tuple[str, ...]:
        names = self.strings(value, path)
        for i, name in enumerate(names):
            if name not in KNOWN_INFO_TYPES:
                self.fail(f"{path}[{i}]", f"unknown infoType {name!r}")
        return tuple(names)

    def empty(self, value: Any, path: str) -> None:
        self.fields(value, path, ())

def json_type(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}.get(
        type(value), "null" if value is None else "a number"
    )

def check_key(c: Checker, f: dict[str, Any], path: str) -> None:
    if "cryptoKey" in f and "kmsWrapped" in f:
        c.fail(path, "cryptoKey and kmsWrapped cannot be used together")
    if "cryptoKey" in f:
        key = c.string(f["cryptoKey"], f"{path}.cryptoKey")
        if key is not None:
            try:
                raw = base64.b64decode(key, validate=True)
            except (binascii.Error, ValueError):
                raw = b""
            if len(raw) not in (16, 24, 32):
                c.fail(f"{path}.cryptoKey", "must be base64 of a 16, 24 or 32 byte key")
    if "kmsWrapped" in f:
        kw = c.fields(f["kmsWrapped"], f"{path}.kmsWrapped", ("wrappedKey", "cryptoKey"))
        for name in ("wrappedKey", "cryptoKey"):
            if name not in kw:
                c.fail(f"{path}.kmsWrapped.{name}", "is required")
            else:
                c.string(kw[name], f"{path}.kmsWrapped.{name}")
