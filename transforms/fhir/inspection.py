"""Text inspection of FHIR leaves: the resource's own values as detector context, and findings
in the Annotation shape (spec 8, 9). The detector and the TextConfig are the shared ones
(``transforms.text``); this module only says what FHIR feeds them and how findings are reported.
"""

from __future__ import annotations

from typing import Any

from transforms.fhir.dates import da_form
from transforms.fhir.elements import Step, child_step, root_step
from transforms.fhir.paths import DATES
from transforms.text.detect import ContextValue, Finding
from transforms.text.infotypes import DEFAULT_INFO_TYPES

# A birth date is reported as DATE (ours: the public documentation does), then shifted.
INFO_TYPES = tuple(t for t in DEFAULT_INFO_TYPES if t != "DATE_OF_BIRTH")


def context_values(resource: dict, removed_only: bool = False) -> tuple[ContextValue, ...]:
    """The resource's own identifying values, as detector context (spec 8).

    With ``removed_only`` only the values of fields BASIC removes, hashes or shifts (the
    ``contextualDeid`` set): ``Address.state`` and Organization/Location names are left out.
    """
    out: list[ContextValue] = []
    rtype = str(resource.get("resourceType"))

    def visit(value: Any, steps: tuple[Step, ...]) -> None:
        step = steps[-1]
        if isinstance(value, list):
            for item in value:
                visit(item, steps)
            return
        if isinstance(value, dict):
            if step.type == "Resource":
                return  # a contained resource has its own context
            if step.type == "HumanName":
                out.extend(ContextValue(n, "PERSON_NAME") for n in _pn_values(value))
            node = step.children_node()
            for key, item in value.items():
                sub = child_step(*node, key) if node and not key.startswith("_") else None
                if sub is not None:
                    visit(item, steps + (sub,))
            return
        if not isinstance(value, str) or not value.strip():
            return
        parent = steps[-2].type if len(steps) > 1 else ""
        if step.type in DATES:
            da = da_form(value)
            if da:
                out.append(ContextValue(da, "DATE"))
        elif parent == "Address" and step.name in ("line", "text"):
            out.append(ContextValue(value, "STREET_ADDRESS"))
        elif parent == "Address" and step.name == "state" and removed_only:
            return
        elif parent == "Address" and step.name in ("city", "district", "state", "postalCode"):
            out.append(ContextValue(value, "LOCATION"))
        elif parent == "ContactPoint" and step.name == "value":
            kind = "EMAIL_ADDRESS" if "@" in value else "PHONE_NUMBER"
            out.append(ContextValue(value, kind))
        elif parent == "Identifier" and step.name == "value":
            out.append(ContextValue(value, "MEDICAL_RECORD_NUMBER"))
        elif rtype in ("Organization", "Location") and len(steps) == 2 and step.name == "name" and not removed_only:
            out.append(ContextValue(value, "ORGANIZATION_NAME"))

    visit(resource, (root_step(rtype),))
    return tuple(out)


def resource_names(resource: dict) -> list[tuple[str, ...]]:
    """The resource's own HumanNames as (family, given...) tuples."""
    names = []
    for name in resource.get("name", []) if isinstance(resource.get("name"), list) else []:
        if isinstance(name, dict):
            parts = [name.get("family")] + list(name.get("given") or [])
            names.append(tuple(p for p in parts if isinstance(p, str) and p))
    return names


def annotation_findings(value: str, found: list[Finding], names: list[tuple[str, ...]], store_quote: bool, counts) -> list[dict]:
    """The findings of one leaf in the Annotation shape: sorted by start, longer first,
    each PERSON_NAME matching one of ``names`` followed by its parts (spec 9)."""
    out = []
    for f in sorted(found, key=lambda f: (f.start, f.start - f.end)):
        out.append(_finding(f.info_type, f.start, f.end, value, store_quote))
        counts[f.info_type] += 1
        if f.info_type == "PERSON_NAME":
            out.extend(_name_parts(f, value, names, store_quote))
    return out

def _finding(info_type: str, start: int, end: int, value: str, store_quote: bool) -> dict:
    item = {"infoType": info_type, "start": str(start), "end": str(end)}
    if store_quote:
        item["quote"] = value[start:end]
    return item

def _name_parts(f: Finding, value: str, names: list[tuple[str, ...]], store_quote: bool) -> list[dict]:
    """The family and given parts inside a PERSON_NAME matching one of the resource's names."""
    quote = value[f.start : f.end].lower()
    for parts in names:
        if len(parts) < 2 or not all(p.lower() in quote for p in parts):
            continue
        spans = []
        for part in parts:
            pos = quote.find(part.lower())
            if pos >= 0 and not (pos == 0 and len(part) == len(quote)):
                spans.append((f.start + pos, f.start + pos + len(part)))
        spans.sort()
        return [_finding("PERSON_NAME", s, e, value, store_quote) for s, e in spans]
    return []


def _pn_values(name: dict) -> list[str]:
    """A HumanName as DICOM PN values (``Family^Given Middle``) plus its text."""
    out = []
    family = name.get("family") if isinstance(name.get("family"), str) else ""
    given = [g for g in name.get("given") or [] if isinstance(g, str)]
    if family or given:
        out.append(f"{family}^{given[0]}^{' '.join(given[1:])}".rstrip("^") if given else family)
    if isinstance(name.get("text"), str) and name["text"].strip():
        out.append(name["text"])
    return out


__all__ = ["INFO_TYPES", "annotation_findings", "context_values", "resource_names"]
