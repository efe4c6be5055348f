"""R4 primitive values checked against their type before anything is written (issue 22).

A value that does not fit its R4 type cannot be trusted to hold what its type says (a name in
``active``, in ``multipleBirthInteger``, in ``gender`` or in an element id), so the engine
never writes one unchanged: ``problem(value, step)`` says what is wrong, naming the R4 type
only, never the value. The rules are the R4 regular expressions of each primitive (FHIR 4.0.1
datatypes page; XML Schema's ``\\s`` is space, tab, CR and LF only), JSON's own types (a
boolean is ``true``/``false``, numbers are JSON numbers, everything else a non-empty string),
the codes of *required* bindings (generated from the R4 ValueSets, ``_fhir_r4_types``), a
MIME type's syntax (RFC 6838/2045) for the MIME-type bindings, and well-formed XML with a
``div`` root and no DOCTYPE for narrative. Element ids (``id`` of an element, not of a
resource) must be FHIR ids.
"""

from __future__ import annotations

import math
import re
import xml.parsers.expat
from functools import lru_cache
from typing import Callable

from transforms.fhir._fhir_r4_types import REQUIRED_BINDINGS, VALUE_SETS
from transforms.fhir.elements import PRIMITIVES, Step

_NWS = r"[^ \t\r\n]"
_YEAR = r"([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)"
_ZONE = r"(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))"
_CLOCK = r"([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?"
_DAY = r"-(0[1-9]|1[0-2])-(0[1-9]|[1-2][0-9]|3[0-1])"
_MIME_NAME = r"[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}"
_MIME_TOP = "application|audio|example|font|haptics|image|message|model|multipart|text|video"
_TOKEN = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
PATTERNS: dict[str, re.Pattern] = {
    "code": re.compile(rf"{_NWS}+([ \t\r\n]{_NWS}+)*"),
    "id": re.compile(r"[A-Za-z0-9\-.]{1,64}"),
    "uri": re.compile(rf"{_NWS}+"),
    "url": re.compile(rf"{_NWS}+"),
    "canonical": re.compile(rf"{_NWS}+"),
    "oid": re.compile(r"urn:oid:[0-2](\.(0|[1-9][0-9]*))+"),
    "uuid": re.compile(r"urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"),
    "date": re.compile(rf"{_YEAR}(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1]))?)?"),
    "dateTime": re.compile(rf"{_YEAR}(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1])(T{_CLOCK}{_ZONE})?)?)?"),
    "instant": re.compile(rf"{_YEAR}{_DAY}T{_CLOCK}{_ZONE}"),
    "time": re.compile(_CLOCK),
    "integer": re.compile(r"-?(0|[1-9][0-9]*)"),
    "unsignedInt": re.compile(r"0|[1-9][0-9]*"),
    "positiveInt": re.compile(r"[1-9][0-9]*"),
    "decimal": re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?"),
}
MIME_TYPE = re.compile(
    rf"(?:{_MIME_TOP}|x-{_MIME_NAME})/{_MIME_NAME}"
    rf"(?:[ \t]*;[ \t]*{_TOKEN}=(?:{_TOKEN}|\"(?:[^\"\\\r\n]|\\.)*\"))*",
    re.IGNORECASE,
)
_CURRENCY = re.compile(r"[A-Z]{3}")
# BCP 47 (the all-languages binding R4 gives every language element at most): a 2-3 letter
# language, then subtags of 1-8 letters or digits; private use x-... (ours: the 4-8 letter
# language subtags BCP 47 reserves are refused, a name is not a language).
LANGUAGE = re.compile(r"(?:[A-Za-z]{2,3}|[xX])(?:-[A-Za-z0-9]{1,8})*")
_BASE64 = re.compile(r"[A-Za-z0-9+/]*={0,2}")
_BASE64_SPACE = re.compile(r"[ \t\r\n]+")
_INT32 = 2**31

__all__ = [
    "LANGUAGE",
    "MIME_TYPE",
    "PATTERNS",
    "RawNumber",
    "checker",
    "is_base64",
    "is_element_id",
    "problem",
    "required_codes",
    "xhtml_problem",
]


class RawNumber(str):
    """A JSON number kept as its source text (``1.50`` stays ``1.50``)."""


def _is_number(value: object) -> bool:
    # A parsed JSON number is a RawNumber; Python callers may pass an int or a finite float.
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, RawNumber) or (isinstance(value, int) and not isinstance(value, bool))


def is_base64(value: str) -> bool:
    """True for base64 text (R4 base64Binary: groups of 4, white space allowed between)."""
    compact = _BASE64_SPACE.sub("", value) if not value.isalnum() else value
    return len(compact) % 4 == 0 and bool(compact) and _BASE64.fullmatch(compact) is not None


@lru_cache(maxsize=None)
def required_codes(owner: str, rel: str) -> frozenset[str] | str | None:
    """The codes a required binding allows at ``(owner, rel)``, a syntax marker, or None (no binding)."""
    name = REQUIRED_BINDINGS.get(owner, {}).get(rel)
    if name is None:
        return None
    codes = VALUE_SETS[name]
    return codes if isinstance(codes, str) else frozenset(codes)


def is_element_id(steps: tuple[Step, ...]) -> bool:
    """True for the ``id`` of an element (not of a resource): it must be a FHIR id (issue 22)."""
    return steps[-1].name == "id" and len(steps) > 1 and not steps[-2].root


def xhtml_problem(value: str) -> str | None:
    """Why a narrative is not well-formed XHTML (a ``div`` root, no DOCTYPE), or None."""
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    roots: list[str] = []

    def start(name: str, _attrs: dict) -> None:
        if not roots:
            roots.append(name.rsplit(" ", 1)[-1])

    def refuse(*_args) -> None:
        raise ValueError("a DOCTYPE or entity declaration")

    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    try:
        parser.Parse(value.encode("utf-8"), True)
    except (xml.parsers.expat.ExpatError, ValueError):
        return "is not well-formed XHTML"
    if roots != ["div"]:
        return "is not an XHTML div"
    return None


def checker(steps: tuple[Step, ...]) -> Callable[[object], str | None]:
    """``problem`` for one leaf path, with the common case (a non-empty string where R4 has a
    string) decided without a call into the general rules; the engine keeps one per path."""
    step = steps[-1]
    t = step.type

    def general(value: object) -> str | None:
        return problem(value, steps)

    if t in ("integer", "unsignedInt", "positiveInt", "decimal"):
        number = PATTERNS[t]

        def check_number(value: object) -> str | None:
            if type(value) is RawNumber and number.fullmatch(value) and (t == "decimal" or len(value) < 10):
                return None
            return problem(value, steps)

        return check_number
    if t == "boolean":
        return lambda value: None if value is True or value is False else problem(value, steps)
    if t not in PRIMITIVES or t in ("xhtml", "base64Binary") or is_element_id(steps) or step.alias == "LanguageCode":
        return general
    pattern = PATTERNS.get(t)
    codes = required_codes(step.owner, step.rel) if t == "code" else None
    if isinstance(codes, str):
        return general  # a syntax marker (MIME type, currency)

    def check_text(value: object) -> str | None:
        # a non-empty string of its pattern (and of its value set): decided here; anything else
        # goes to the general rules for the message
        if type(value) is str and value and (pattern is None or pattern.fullmatch(value)) and (codes is None or value in codes):
            return None
        return problem(value, steps)

    return check_text


def problem(value: object, steps: tuple[Step, ...]) -> str | None:
    """What makes ``value`` unfit for the leaf at ``steps`` (a phrase naming the type), or None.

    Dates are checked by their R4 pattern only; the calendar is the date shift's check
    (``invalid_dates_removed``).
    """
    step = steps[-1]
    t = step.type
    if t not in PRIMITIVES:
        return f"holds a primitive where R4 has {t}"
    if t == "boolean":
        return None if value is True or value is False else "is not a JSON boolean"
    if t in ("integer", "unsignedInt", "positiveInt", "decimal"):
        if not _is_number(value):
            return f"is not a JSON number ({t})"
        text = str.__str__(value) if isinstance(value, RawNumber) else repr(value)
        if not PATTERNS[t].fullmatch(text):
            return f"is not an R4 {t}"
        if t != "decimal" and not -_INT32 <= int(text) < _INT32:
            return f"is out of the range of an R4 {t}"
        return None
    if not isinstance(value, str) or _is_number(value) or value == "":
        return f"is not a non-empty JSON string ({t})"
    if t == "xhtml":
        return xhtml_problem(value)
    if t == "base64Binary":
        return None if is_base64(value) else "is not R4 base64Binary"
    if is_element_id(steps):
        return None if PATTERNS["id"].fullmatch(value) else "is not an R4 id (element id)"
    pattern = PATTERNS.get(t)
    if pattern is not None and not pattern.fullmatch(value):
        return f"is not an R4 {t}"
    if t == "code" and step.alias == "LanguageCode" and not LANGUAGE.fullmatch(value):
        return "is not a BCP 47 language tag"
    if t == "code":
        codes = required_codes(step.owner, step.rel)
        if codes is None:
            return None
        if codes == "#mimetype":
            return None if MIME_TYPE.fullmatch(value) else "is not a MIME type (required binding)"
        if codes == "#currency":
            return None if _CURRENCY.fullmatch(value) else "is not a currency code (required binding)"
        if value not in codes:
            return "is not in the value set of its required binding"
    return None
