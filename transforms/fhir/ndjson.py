"""NDJSON lines in and out: numbers kept as written, compact UTF-8 JSON (spec 1).

``parse_resource`` reads one line (BOM dropped) into dicts whose numbers are
``RawNumber`` (the source text), so ``dumps`` writes ``1.50`` back as ``1.50``: numbers
are never parsed as floats. ``dumps`` writes compact JSON, keys in their order.
"""

from __future__ import annotations

import json
from typing import Any

from transforms.errors import InvalidResourceError
from transforms.fhir.primitives import RawNumber

_encode_str = json.encoder.encode_basestring  # ensure_ascii=False form


def parse_resource(text: str) -> dict:
    """Parse one JSON resource.

    Raises
    ------
    InvalidResourceError
        When the text is not JSON or not an object (the message names the position only).
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        obj = json.loads(text, parse_float=RawNumber, parse_int=RawNumber)
    except json.JSONDecodeError as exc:
        raise InvalidResourceError(f"not valid JSON (column {exc.colno})") from None
    except RecursionError:
        raise InvalidResourceError("JSON nested too deeply") from None
    if not isinstance(obj, dict):
        raise InvalidResourceError("the line is not a JSON object")
    return obj


def dumps(obj: Any) -> str:
    """Compact JSON, UTF-8 text (not ASCII-escaped), numbers as their source text."""
    parts: list[str] = []
    _write(obj, parts.append)
    return "".join(parts)


def _write(obj: Any, out) -> None:
    if isinstance(obj, RawNumber):
        out(str.__str__(obj))
    elif isinstance(obj, str):
        out(_encode_str(obj))
    elif isinstance(obj, dict):
        out("{")
        first = True
        for key, value in obj.items():
            if not first:
                out(",")
            first = False
            out(_encode_str(key))
            out(":")
            _write(value, out)
        out("}")
    elif isinstance(obj, list):
        out("[")
        for i, value in enumerate(obj):
            if i:
                out(",")
            _write(value, out)
        out("]")
    elif obj is True:
        out("true")
    elif obj is False:
        out("false")
    elif obj is None:
        out("null")
    elif isinstance(obj, int):
        out(str(obj))
    else:
        raise TypeError(f"cannot write {type(obj).__name__} as JSON")


__all__ = ["dumps", "parse_resource"]
