"""Text inspection of FHIR leaves: the resource's own values as detector context, and findings
in the Annotation shape (spec 8, 9). The detector and the TextConfig are the shared ones
(``transforms.text``); this module only says what FHIR feeds them and how findings are reported.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from transforms.fhir._fhir_r4_types import DATATYPES, RESOURCES
from transforms.fhir.dates import da_form
from transforms.fhir.elements import Step, child_step, root_step
from transforms.fhir.paths import DATES
from transforms.text.context import HeaderContext
from transforms.text.detect import ContextMatcher, ContextValue, Finding
from transforms.text.infotypes import DEFAULT_INFO_TYPES

# A birth date is reported as DATE (ours: the public documentation does), then shifted.
INFO_TYPES = tuple(t for t in DEFAULT_INFO_TYPES if t != "DATE_OF_BIRTH")
_PARTS = frozenset({"FIRST_NAME", "LAST_NAME"})
_NAMES = _PARTS | {"PERSON_NAME"}
_ANY = "\x00"  # in name_words: some name has no first word to look for
_DIGITS = re.compile(r"[0-9]+")
MOTHERS_MAIDEN_NAME = "http://hl7.org/fhir/StructureDefinition/patient-mothersMaidenName"
_SPACES = re.compile(r"\s+")


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
    for ext in resource.get("extension") or () if isinstance(resource.get("extension"), list) else ():
        # A name the resource holds outside a HumanName (Synthea writes the mother's maiden name so).
        if isinstance(ext, dict) and ext.get("url") == MOTHERS_MAIDEN_NAME and isinstance(ext.get("valueString"), str):
            out.extend(ContextValue(v, "PERSON_NAME") for v in _pn_values({"text": ext["valueString"]}))
    return tuple(out)


def resource_names(resource: dict) -> list[tuple[str, ...]]:
    """The resource's own HumanNames as (family, given...) tuples."""
    names = []
    for name in resource.get("name", []) if isinstance(resource.get("name"), list) else []:
        if isinstance(name, dict):
            parts = [name.get("family")] + list(name.get("given") or [])
            names.append(tuple(p for p in parts if isinstance(p, str) and p))
    return names


def annotation_findings(value: str, found: list[Finding], names: list[tuple[str, ...]], store_quote: bool) -> list[dict]:
    """The findings of one leaf in the Annotation shape: sorted by start, longer first,
    each PERSON_NAME matching one of ``names`` followed by its parts (spec 9)."""
    out = []
    for f in sorted(found, key=lambda f: (f.start, f.start - f.end)):
        out.append(_finding(f.info_type, f.start, f.end, value, store_quote))
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


def _pn(family: str, given: list[str]) -> str:
    return f"{family}^{given[0]}^{' '.join(given[1:])}".rstrip("^") if given else family


def _pn_values(name: dict) -> list[str]:
    """A HumanName as DICOM PN values (``Family^Given^Middle``), in every form a text may use.

    The parts as written and without digits (Synthea writes ``Jaime416 Hirthe744``; a
    display or note may hold either), the given name as an initial (``J. Hirthe``,
    ``J Hirthe``), and the ``text`` form; the detector's context expands each PN value into
    ``Given Family``, ``Family, Given``, ``Family`` alone and so on.
    """
    out: list[str] = []
    family = name.get("family") if isinstance(name.get("family"), str) else ""
    given = [g for g in name.get("given") or [] if isinstance(g, str) and g.strip()]
    text = name.get("text") if isinstance(name.get("text"), str) and name["text"].strip() else ""
    for strip in (False, True):
        fam = _SPACES.sub(" ", _DIGITS.sub("", family)).strip() if strip else family
        giv = [v for v in (_SPACES.sub(" ", _DIGITS.sub("", g)).strip() for g in given) if v] if strip else given
        if fam or giv:
            out.append(_pn(fam, giv))
            out += [_pn(fam, [g]) for g in giv[1:]]  # a middle name is a given name too ("Wynne")
        if fam and giv and giv[0][:1].isalpha():
            out += [f"{fam}^{giv[0][0]}.", f"{fam}^{giv[0][0]}"]
        if text:
            out.append(_SPACES.sub(" ", _DIGITS.sub("", text)).strip() if strip else text)
    seen: set[str] = set()
    return [v for v in out if v and not (v in seen or seen.add(v))]


@lru_cache(maxsize=1)
def _human_name_keys() -> frozenset[str]:
    """The JSON names of every element that can hold a HumanName (``name``, ``valueHumanName``...)."""
    keys = set()
    for table in list(RESOURCES.values()) + list(DATATYPES.values()):
        for rel, (types, _, _, choice, _) in table.items():
            if "HumanName" in types:
                base = rel.rsplit(".", 1)[-1]
                keys.add(base + "HumanName" if choice else base)
    return frozenset(keys)


def _may_hold_names(value: Any, keys: frozenset[str]) -> bool:
    """A quick scan of the JSON keys: could this hold a HumanName? (the typed walk is dearer)"""
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, (dict, list)) and (key in keys or _may_hold_names(item, keys)):
                return True
    elif isinstance(value, list):
        return any(_may_hold_names(item, keys) for item in value if isinstance(item, (dict, list)))
    return False


def name_values(resource: dict) -> tuple[ContextValue, ...]:
    """Every HumanName of a resource (contained resources included) as PERSON_NAME context."""
    out: list[ContextValue] = []
    if not _may_hold_names(resource, _human_name_keys()):
        return ()
    for name in human_names(resource):
        out.extend(ContextValue(v, "PERSON_NAME") for v in _pn_values(name))
    return tuple(dict.fromkeys(out))


def human_names(value: Any, steps: tuple[Step, ...] | None = None) -> Iterable[dict]:
    """The HumanName objects anywhere in a resource, found by the R4 types (not by key names)."""
    if steps is None:
        if not isinstance(value, dict) or not isinstance(value.get("resourceType"), str):
            return
        steps = (root_step(value["resourceType"]),)
    step = steps[-1]
    if isinstance(value, list):
        for item in value:
            yield from human_names(item, steps)
        return
    if not isinstance(value, dict):
        return
    if step.type == "HumanName":
        yield value
        return
    if step.type == "Resource":
        yield from human_names(value)
        return
    node = step.children_node()
    for key, item in value.items():
        if isinstance(item, (dict, list)) and node and not key.startswith("_"):
            sub = child_step(*node, key)
            if sub is not None:
                yield from human_names(item, steps + (sub,))


class NameMatcher(HeaderContext):
    """Values that are not the resource's own: its patient's, or the job's names (practitioners).

    They join the resource's own matcher (``with_others``), so a text is scanned once and
    every finding is resolved by the detector's own rules. With ``capitalised`` (the job's
    names: hundreds of practitioners hold names that are also words, ``Will``, ``Hope``), a
    name part found alone counts only when it starts with a capital letter.
    """

    def __init__(self, values: Iterable[ContextValue], capitalised: bool = False) -> None:
        super().__init__(tuple(values))
        self._capitalised = capitalised
        # the first word (folded) of every person-name value: texts without one need no scan
        self.name_words = _name_words(self)

    def _context_candidates(self, scan, want):
        found = super()._context_candidates(scan, want)
        if self._capitalised:
            text = scan.text
            found = [c for c in found if c[2] not in _PARTS or text[c[0]].isupper()]
        return found

    def spans(self, text: str) -> set[tuple[int, int]]:
        """Spans where one of the values is written (``contextualDeid``)."""
        return ContextMatcher.context_spans(self, text, INFO_TYPES)


class _WithOthers(ContextMatcher):
    """A resource's matcher that also finds other values (the patient's, the job's) in one scan."""

    def __init__(self, own: ContextMatcher, others: tuple[NameMatcher, ...]) -> None:  # noqa: D107
        self.__dict__.update(own.__dict__)  # the own matcher's state, not rebuilt
        self._others = others
        if not self._index:
            # context_findings returns early on an empty own index; the others' values count too
            # (no text token is empty, so this entry never matches anything itself)
            self._index = {"": []}

    def _context_candidates(self, scan, want):
        found = super()._context_candidates(scan, want)
        for other in self._others:
            found.extend(other._context_candidates(scan, want))
        return found


_WORD = re.compile(r"[^\W\d_]+|\d+")


@lru_cache(maxsize=16384)
def _words(text: str) -> frozenset[str]:
    """The lower-case, accent-free words of a text (kept texts repeat: Coding.display)."""
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return frozenset(_WORD.findall(text.lower()))


def name_words(matcher: ContextMatcher) -> frozenset[str]:
    """The first words (folded) of every person-name value a matcher finds, its others' included."""
    own = _name_words(matcher)
    others = getattr(matcher, "_others", ())
    return own.union(*(o.name_words for o in others)) if others else own


def may_hold_name(words: frozenset[str], text: str) -> bool:
    """False when no word of ``text`` starts one of the names (``name_words``): no scan needed."""
    return bool(words) and (_ANY in words or not words.isdisjoint(_words(text)))


def _name_words(ctx: HeaderContext) -> frozenset[str]:
    words = {w for w, forms in ctx._index.items() if any(kind in _NAMES for _, kind in forms)}
    if any(kind in _NAMES for _, kind in ctx._loose):
        words.add(_ANY)  # a name that does not start with a word (ideographic): always scan
    return frozenset(words)


def with_others(own: ContextMatcher, others: tuple[NameMatcher, ...]) -> ContextMatcher:
    """The resource's matcher, finding the others' values too (the detector's resolution decides overlaps)."""
    return _WithOthers(own, others) if others else own


__all__ = [
    "INFO_TYPES",
    "NameMatcher",
    "annotation_findings",
    "context_values",
    "may_hold_name",
    "name_words",
    "human_names",
    "name_values",
    "resource_names",
    "with_others",
]
