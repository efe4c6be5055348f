"""Bundles unwrapped into their entries' resources (spec 1).

Bundles of type collection, transaction, batch and searchset are unwrapped: each
``entry.resource`` is de-identified and written as its own type; ``fullUrl``, ``request``
and ``response`` are dropped (ours). ``urn:uuid:`` references resolve to the entry's
output ``Type/<id>``; an entry without an id gets h = hex HMAC(hash key, fullUrl).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from transforms.errors import InvalidResourceError, UnsupportedBundleError

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
        if isinstance(url, str) and isinstance(rtype, str):
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
        url = entry.get("fullUrl") if isinstance(entry.get("fullUrl"), str) else None
        out.append(Unit(entry["resource"], i, url, mapping, patients))
    return out


__all__ = ["UNWRAPPED_TYPES", "Unit", "units"]
