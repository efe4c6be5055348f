"""Field paths of ``fieldMetadataList`` and the BASIC profile: syntax, matching, checking (spec 4).

A path is dot-separated components. Lower case: an element name (JSON name without
``[x]``, or a choice's JSON name such as ``deceasedAge``). Upper case: an R4 type with
primitives capitalised (``String``, ``DateTime``), a bound-code name
(``AdministrativeGenderCode``, ``LanguageCode``), a resource type, ``Resource`` (any
resource root), or a capitalised choice base (``Deceased``).

A leaf's concrete path is its tuple of ``Step``s from the root. A path matches when its
components line up, in order, with a contiguous run of steps ending at the leaf or an
ancestor (leading steps may be skipped, gaps may not); a choice step may take two
components (base, type). ``Uri`` also matches ``url`` and ``canonical``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from transforms.fhir.elements import PRIMITIVES, Step, cap, is_resource, node_children
from transforms.fhir._fhir_r4_types import DATATYPES, RESOURCES

MASKABLE = frozenset("code decimal id markdown oid string uri url canonical uuid xhtml".split())
DATES = frozenset({"date", "dateTime", "instant"})
# Action -> leaf types it may take (None: any).
ACTION_TYPES: dict[str, frozenset[str] | None] = {
    "keepField": None,
    "removeField": None,
    "characterMaskField": MASKABLE,
    "cryptoHashField": MASKABLE,
    "dateShiftField": DATES,
    "cleanTextField": MASKABLE | DATES,
    "transform": None,
    # built-in actions of the BASIC profile rows
    "idHash": frozenset({"id", "string"}),
    "referenceHash": frozenset({"string"}),
    "uidRegen": frozenset({"id", "oid", "uri", "string"}),
}
_COMPONENT = re.compile(r"[A-Za-z][A-Za-z0-9]*")


class PathError(ValueError):
    """A path is malformed or can match no R4 element (the message names no value)."""


def parse_path(text: str) -> tuple[str, ...]:
    """Split a path into components, checking the syntax.

    Raises
    ------
    PathError
        For an empty path, an empty component or a character outside ``[A-Za-z0-9]``.
    """
    if not isinstance(text, str) or not text:
        raise PathError("a path may not be empty")
    comps = tuple(text.split("."))
    for comp in comps:
        if not comp:
            raise PathError(f"path {text!r} has an empty component")
        if not _COMPONENT.fullmatch(comp):
            raise PathError(f"path {text!r}: component {comp!r} is not an element or type name")
    return comps


def _type_matches(comp: str, step: Step) -> bool:
    t = step.type
    if comp == cap(t) or comp == step.alias:
        return True
    if comp == "Uri" and t in ("url", "canonical"):
        return True
    return comp == "Resource" and step.root


def lines_up(comp: str, step: Step) -> bool:
    """True when one component lines up with one step (by name or by type)."""
    if comp[0].islower():
        return comp == step.name or (step.choice and comp == step.name + cap(step.type))
    return _type_matches(comp, step) or (step.choice and comp == cap(step.name))


def _pair_lines_up(base: str, type_comp: str, step: Step) -> bool:
    return step.choice and base in (step.name, cap(step.name)) and _type_matches(type_comp, step)


def match_ends(comps: tuple[str, ...], steps: tuple[Step, ...]) -> list[int]:
    """Return the step indices at which ``comps`` can end (empty: no match)."""
    k = len(comps)
    memo: dict[tuple[int, int], bool] = {}

    def align(c: int, s: int) -> bool:
        if s < 0:
            return False
        key = (c, s)
        hit = memo.get(key)
        if hit is not None:
            return hit
        step = steps[s]
        ok = lines_up(comps[c], step) and (c == 0 or align(c - 1, s - 1))
        if not ok and c >= 1 and _pair_lines_up(comps[c - 1], comps[c], step):
            ok = c == 1 or align(c - 2, s - 1)
        memo[key] = ok
        return ok

    return [j for j in range(len(steps)) if align(k - 1, j)]


def matches(comps: tuple[str, ...], steps: tuple[Step, ...], min_end: int = 0) -> bool:
    """True when the path matches the leaf of ``steps`` or an ancestor at index >= ``min_end``."""
    return any(j >= min_end for j in match_ends(comps, steps))


# ---------------------------------------------------------------------------------------
# Checking a path against the type table
# ---------------------------------------------------------------------------------------


def _steps_of(owner: str, rel: str) -> list[Step]:
    out = []
    for key, (types, minimum, maximum, choice, alias) in node_children(owner, rel).items():
        full = f"{rel}.{key}" if rel else key
        for t in types:
            out.append(Step(key, t, owner, full, choice, alias, minimum, array=maximum != "1"))
    return out


@lru_cache(maxsize=1)
def _all_steps() -> tuple[Step, ...]:
    out: list[Step] = [Step(r, r, r, "", root=True, minimum=1) for r in RESOURCES]
    for owner, elems in list(RESOURCES.items()) + list(DATATYPES.items()):
        for key, (types, minimum, maximum, choice, alias) in elems.items():
            name = key.rsplit(".", 1)[-1]
            for t in types:
                out.append(Step(name, t, owner, key, choice, alias, minimum, array=maximum != "1"))
    # A primitive's _x object holds id and extension.
    out.append(Step("extension", "Extension", "#primitive", "extension", array=True))
    return tuple(out)


def _children(step: Step) -> list[Step]:
    if step.type == "Resource":
        return [Step(r, r, r, "", root=True, minimum=1) for r in RESOURCES]
    node = step.children_node()
    if node is None:
        return []
    return _steps_of(*node)


def _first_states(comp: str) -> set[tuple[Step, bool]]:
    states = set()
    for step in _all_steps():
        if lines_up(comp, step):
            states.add((step, step.choice and comp == cap(step.name)))
    return states


@lru_cache(maxsize=4096)
def resolve_path(comps: tuple[str, ...]) -> tuple[Step, ...]:
    """Return the steps (anywhere in R4) at which the path can end; empty if none."""
    states = _first_states(comps[0])
    for comp in comps[1:]:
        nxt: set[tuple[Step, bool]] = set()
        for step, base_only in states:
            if base_only and _type_matches(comp, step):
                nxt.add((step, False))
            for child in _children(step):
                if lines_up(comp, child):
                    nxt.add((child, child.choice and comp == cap(child.name)))
        states = nxt
        if not states:
            break
    return tuple(sorted({s for s, _ in states}, key=lambda s: (s.owner, s.rel, s.type)))


def check_path(comps: tuple[str, ...], allowed: frozenset[str] | None) -> None:
    """Check that a path can match an R4 element and, aimed by name, that the action fits.

    Raises
    ------
    PathError
        When the path can match no element, or when its last component is an element
        name whose primitive types the action cannot take (``cryptoHashField`` on
        ``Patient.birthDate``). A path ending in a type name just skips such leaves.
    """
    ends = resolve_path(comps)
    text = ".".join(comps)
    if not ends:
        raise PathError(f"path {text!r} matches no FHIR R4 element")
    if allowed is None or not comps[-1][0].islower():
        return
    types = {s.type for s in ends}
    if types <= PRIMITIVES and not (types & allowed):
        raise PathError(
            f"path {text!r} names an element of type {', '.join(sorted(types))}, "
            f"which this action cannot take (allowed: {', '.join(sorted(allowed))})"
        )


__all__ = [
    "ACTION_TYPES",
    "DATES",
    "MASKABLE",
    "PathError",
    "check_path",
    "is_resource",
    "lines_up",
    "match_ends",
    "matches",
    "parse_path",
    "resolve_path",
]
