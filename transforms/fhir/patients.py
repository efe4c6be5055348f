"""Whose resource is it: the patient key of the per-patient date shift (spec 7).

A pure function of the resource (no shuffle): a Patient's source id; another resource's
first ``Patient/<id>`` reference along its patient-compartment paths (generated from the
R4 CompartmentDefinition), a Bundle ``urn:uuid:`` to a Patient entry included.
"""

from __future__ import annotations

from typing import Any

from transforms.fhir.elements import patient_compartment
from transforms.fhir.ids import parse_reference


def _strip(value: str) -> str:
    return "".join(value.split())


def _references_at(resource: dict, path: str) -> list[dict]:
    items: list[Any] = [resource]
    for name in path.split("."):
        nxt: list[Any] = []
        for item in items:
            if isinstance(item, dict) and name in item:
                value = item[name]
                nxt.extend(value if isinstance(value, list) else [value])
        items = nxt
    return [r for r in items if isinstance(r, dict)]


def patient_reference(resource: dict, bundle_patients: dict[str, str] | None = None) -> tuple[str | None, dict | None]:
    """Return (source Patient id, the Reference object) of a resource's patient compartment.

    A Patient is its own patient; other types take the first ``Patient/<id>`` reference
    along their compartment paths (a Bundle ``urn:uuid:`` to a Patient entry included:
    ``bundle_patients`` maps such fullUrls to the Patient's key; outside a Bundle, when
    ``bundle_patients`` is None, a ``urn:uuid:<id>`` counts as the patient ``<id>``).
    (None, None) when the resource is in no patient compartment or names no patient.
    """
    rtype = resource.get("resourceType")
    if rtype == "Patient":
        return (str(resource["id"]) if "id" in resource else None), None
    for path in patient_compartment(str(rtype)):
        for ref in _references_at(resource, path):
            text = ref.get("reference")
            if not isinstance(text, str):
                continue
            if bundle_patients and text in bundle_patients:
                return bundle_patients[text], ref
            parsed = parse_reference(text)
            if parsed and parsed[0] == "Patient":
                return parsed[1], ref
            if bundle_patients is None and text.startswith("urn:uuid:") and len(text) > 9:
                # (ours) outside a Bundle a urn:uuid: at a patient-compartment path names the
                # resource of that id (Synthea's bulk NDJSON writes them so): the patient key
                return text[9:], ref
    return None, None


def identifier_value(identifiers: Any, system: str) -> str | None:
    """Return the first identifier value of ``system``, spaces stripped (None if none)."""
    if isinstance(identifiers, dict):
        identifiers = [identifiers]
    for ident in identifiers or ():
        if isinstance(ident, dict) and ident.get("system") == system and isinstance(ident.get("value"), str):
            value = _strip(ident["value"])
            if value:
                return value
    return None


__all__ = ["identifier_value", "patient_reference"]
