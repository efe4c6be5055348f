"""Bundles unwrapped into their entries' resources (spec 1).

Bundles of type collection, transaction, batch and searchset are unwrapped: each
``entry.resource`` is de-identified and written as its own type; ``fullUrl``, ``request``
and ``response`` are dropped (ours). ``urn:uuid:`` references resolve to the entry's
output ``Type/<id>``; an entry without an id gets h = hex HMAC(hash key, fullUrl).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable

from transforms.errors import InvalidResourceError, UnsupportedBundleError
from transforms.fhir.elements import is_resource

_URI = re.compile(r"[^ \t\r\n]+")

UNWRAPPED_TYPES = frozenset({"collection", "transaction", "batch", "searchset"})


@dataclass
class Unit:
    """One resource to de-identify: a line's resource, or one Bundle entry's."""

    resource: dict | None
    entry: int | None = None
    full_url: str | None = None
    bundle: dict[str, tuple[str, str]] | None = None
    bundle_patients: dict[str, str] | None = None
    error: InvalidResourceError | None = field(default=None, repr=False)


def units(obj: dict, output_id: Callable[[str | None, str | None], str | None]) -> list[Unit]:
    """Return the resources of one parsed line (a Bundle gives one Unit per entry).

    Raises
    ------
    UnsupportedBundleError
        For a Bundle type that is not unwrapped.
    """
    if obj.get("resourceType") != "Bundle":
        return [Unit(obj)]
    btype = obj.get("type")
    if btype not in UNWRAPPED_TYPES:
        raise UnsupportedBundleError("Bundle.type is not collection, transaction, batch or searchset")
    entries = obj.get("entry") or []
    if not isinstance(entries, list):
        raise InvalidResourceError("Bundle.entry is not an array")
    mapping: dict[str, tuple[str, str]] = {}
    patients: dict[str, str] = {}
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("resource"), dict):
            continue
        res, url = entry["resource"], entry.get("fullUrl")
        rtype, rid = res.get("resourceType"), res.get("id")
        # (issue 22) only an R4 type may reach another entry's reference
        if isinstance(url, str) and _URI.fullmatch(url) and isinstance(rtype, str) and is_resource(rtype):
            new = output_id(rid if isinstance(rid, str) else None, url)
            if new:
                mapping[url] = (rtype, new)
            if rtype == "Patient":
                patients[url] = rid if isinstance(rid, str) and rid else url
    out = []
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or not isinstance(entry.get("resource"), dict):
            out.append(Unit(None, i, error=InvalidResourceError(f"Bundle.entry[{i}] has no resource")))
            continue
        url = entry.get("fullUrl")
        if url is not None and not (isinstance(url, str) and _URI.fullmatch(url)):
            out.append(Unit(None, i, error=InvalidResourceError(f"Bundle.entry[{i}].fullUrl is not an R4 uri")))
            continue
        # Each unit carries only the entries it references: a unit crosses a shuffle (the
        # patient join), and the whole Bundle's table in every entry would grow with its square.
        refs = set(_references(entry["resource"]))
        own = {url} if url else set()
        out.append(
            Unit(
                entry["resource"],
                i,
                url,
                {u: mapping[u] for u in refs if u in mapping},
                {u: patients[u] for u in refs | own if u in patients},
            )
        )
    return out


def _references(value: Any):
    """Every ``reference`` string inside a resource (contained resources included)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "reference" and isinstance(item, str):
                yield item
            elif isinstance(item, (dict, list)):
                yield from _references(item)
    elif isinstance(value, list):
        for item in value:
            yield from _references(item)


__all__ = ["UNWRAPPED_TYPES", "Unit", "units"]
