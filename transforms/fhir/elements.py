"""The R4 type table, read: which element a JSON key is and what type it has.

The data is generated (``_fhir_r4_types.py``, from the R4 StructureDefinitions). A *node*
is ``(owner, rel)``: the type that declares the element and its dotted path inside it
(``("Patient", "contact.name")``); the root of a resource is ``(Type, "")``. Types use
the R4 codes (``dateTime``, ``HumanName``); ``cap`` gives the path-syntax spelling
(``DateTime``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from transforms.fhir._fhir_r4_types import DATATYPES, PATIENT_COMPARTMENT, RESOURCES

PRIMITIVES = frozenset(
    "base64Binary boolean canonical code date dateTime decimal id instant integer markdown oid "
    "positiveInt string time unsignedInt uri url uuid xhtml".split()
)
# Types whose children are declared inline (``contact.name``), not by a data type of their own.
_INLINE = frozenset({"BackboneElement", "Element"})
# Children of a primitive's ``_x`` object and of an inline Element (id and extension).
_ELEMENT_CHILDREN = {"id": (("string",), 0, "1", False, ""), "extension": (("Extension",), 0, "*", False, "")}

__all__ = ["Step", "PRIMITIVES", "cap", "child_step", "is_resource", "patient_compartment", "root_step", "table"]


def cap(type_code: str) -> str:
    """Return the path-syntax spelling of an R4 type (``dateTime`` -> ``DateTime``)."""
    return type_code[:1].upper() + type_code[1:]


def table(owner: str) -> dict[str, tuple]:
    """Return the element table of a resource or data type (empty if unknown)."""
    return RESOURCES.get(owner) or DATATYPES.get(owner) or {}


def is_resource(name: str) -> bool:
    """True for the 146 concrete R4 resource types."""
    return name in RESOURCES


def patient_compartment(resource_type: str) -> tuple[str, ...]:
    """Element paths of the patient compartment of a type, in order (empty: not in it)."""
    return PATIENT_COMPARTMENT.get(resource_type, ())


@dataclass(frozen=True)
class Step:
    """One step of a leaf's concrete path: an element and the type it has here.

    ``owner``/``rel`` locate the element's definition (its children hang below);
    ``type`` is the R4 code (for a choice the chosen type); ``alias`` a bound-code
    name (``AdministrativeGenderCode``); ``minimum`` the R4 minimum cardinality.
    """

    name: str
    type: str
    owner: str
    rel: str
    choice: bool = False
    alias: str = ""
    minimum: int = 0
    root: bool = False
    array: bool = False

    def __post_init__(self) -> None:
        # Decisions are cached per tuple of steps: hash each step once, not per lookup.
        object.__setattr__(self, "_hash", hash((self.name, self.type, self.owner, self.rel, self.choice, self.root)))

    def __hash__(self) -> int:
        return self._hash  # type: ignore[attr-defined]

    def children_node(self) -> tuple[str, str] | None:
        """Return the node whose children are this step's children (None for primitives)."""
        if self.root:
            return (self.type, "")
        if self.type in _INLINE:
            return (self.owner, self.rel)
        if self.type.startswith("#"):
            return (self.owner, self.type[1:])
        if self.type in PRIMITIVES:
            return ("#primitive", "")
        return (self.type, "")


def root_step(resource_type: str) -> Step:
    """Return the root step (resourceType, resourceType) of a resource."""
    return Step(resource_type, resource_type, resource_type, "", root=True, minimum=1)


def _entries(owner: str, rel: str) -> dict[str, tuple]:
    if owner == "#primitive":
        return _ELEMENT_CHILDREN
    if not rel:
        t = table(owner)
        if owner in _INLINE or not t:
            return _ELEMENT_CHILDREN if owner in _INLINE else {}
        return _top(owner)
    return _below(owner, rel)


@lru_cache(maxsize=None)
def _top(owner: str) -> dict[str, tuple]:
    return {k: v for k, v in table(owner).items() if "." not in k}


@lru_cache(maxsize=None)
def _below(owner: str, rel: str) -> dict[str, tuple]:
    prefix = rel + "."
    return {
        k[len(prefix) :]: v
        for k, v in table(owner).items()
        if k.startswith(prefix) and "." not in k[len(prefix) :]
    }


@lru_cache(maxsize=65536)
def child_step(owner: str, rel: str, key: str) -> Step | None:
    """Return the step of JSON ``key`` inside node ``(owner, rel)``; None if R4 has no such element.

    ``key`` is the JSON name (``valueQuantity`` for the choice ``value[x]``); a leading
    ``_`` (a primitive's extension object) is the caller's to strip.
    """
    entries = _entries(owner, rel)
    full = f"{rel}.{key}" if rel else key
    hit = entries.get(key)
    if hit is not None and not hit[3]:
        types, minimum, maximum, _, alias = hit
        if len(types) != 1:
            return None
        return Step(key, types[0], owner, full, False, alias, minimum, array=maximum != "1")
    for name, (types, minimum, maximum, choice, alias) in entries.items():
        if choice and key.startswith(name) and len(key) > len(name):
            chosen = key[len(name) :]
            for t in types:
                if cap(t) == chosen:
                    return Step(name, t, owner, f"{rel}.{name}" if rel else name, True, alias, minimum)
    return None


def node_children(owner: str, rel: str) -> dict[str, tuple]:
    """Return the element entries directly below a node (for path validation)."""
    return _entries(owner, rel)
