"""Header context of the infoType detector: an instance's own values as written forms.

``HeaderContext`` expands each ``ContextValue`` (PN, dates, phones, addresses, other
identifiers) into the forms it may take in text and finds them, case- and
accent-insensitively, never inside a longer word or number.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from transforms.text.lexicon import (
    _ADDRESS_PARTS,
    _CTX,
    _Cand,
    _DA,
    _DATE,
    _DIGITS,
    _DIGIT_GROUPS,
    _DOB,
    _FIRST,
    _LAST,
    _MONTHS,
    _NON_DIGIT,
    _PN,
    _PN_STOP,
    _RANK,
    _SEPARATORS,
    _TOKEN,
    _bounded,
    _fold,
    _ideographic,
    _upper_ascii,
    _valid_date,
)
from transforms.text.patterns import (
    _Scan,
    _phones,
)


@dataclass(frozen=True)
class ContextValue:
    """An identifier value taken from the instance's own header."""

    text: str
    info_type: str


# ---------------------------------------------------------------------------------------
# Header context
# ---------------------------------------------------------------------------------------


def _pn_forms(value: str) -> list[tuple[str, str]]:
    """Written forms of a DICOM PN value: (form, info_type)."""
    groups = value.split("=")
    forms: list[tuple[str, str]] = []
    alphabetic = groups[0].strip()
    if alphabetic:
        forms.append((alphabetic, _PN))
        if "^" in alphabetic:
            parts = [p.strip() for p in alphabetic.split("^")] + [""] * 4
            family, given, middle = parts[0], parts[1], parts[2]
        elif "," in alphabetic:
            family, _, rest = alphabetic.partition(",")
            family, words = family.strip(), rest.split()
            given, middle = (words[0] if words else ""), " ".join(words[1:])
        else:
            words = alphabetic.split()
            family = words[-1] if len(words) > 1 else alphabetic
            given = words[0] if len(words) > 1 else ""
            middle = " ".join(words[1:-1])
        if family and given:
            forms += [
                (f"{given} {family}", _PN),
                (f"{family}, {given}", _PN),
                (f"{family},{given}", _PN),
                (f"{family}^{given}", _PN),
                (f"{family} {given}", _PN),
            ]
            if middle:
                forms += [
                    (f"{given} {middle} {family}", _PN),
                    (f"{given} {middle[0]}. {family}", _PN),
                    (f"{given} {middle[0]} {family}", _PN),
                    (f"{family}, {given} {middle}", _PN),
                ]
        for part, kind in ((family, _LAST), (given, _FIRST)):
            letters = sum(c.isalpha() for c in part)
            if letters >= 2 and _upper_ascii(part) not in _PN_STOP:
                forms.append((part, kind))
    for group in groups[1:2]:
        ideographic = group.strip().strip("^")
        if ideographic:
            forms += [(ideographic, _PN), (ideographic.replace("^", ""), _PN)]
            forms.append((ideographic.replace("^", " "), _PN))
    return forms


def _date_forms(value: str) -> tuple[list[str], tuple[int, int, int] | None]:
    """Written forms of a DICOM DA (or the date of a DT) value, and the date itself."""
    m = _DA.match(value.strip())
    if not m or not _valid_date(int(m[1]), int(m[2]), int(m[3])):
        return [value], None
    y, mo, d = m[1], m[2], m[3]
    mi, di = int(mo), int(d)
    month, mon = _MONTHS[mi - 1], _MONTHS[mi - 1][:3]
    forms = [
        value.strip(), f"{y}{mo}{d}", f"{y}-{mo}-{d}", f"{y}/{mo}/{d}", f"{mo}/{d}/{y}",
        f"{mi}/{di}/{y}", f"{mo}-{d}-{y}", f"{d}.{mo}.{y}", f"{di}.{mi}.{y}", f"{d}/{mo}/{y}",
        f"{di}/{mi}/{y}", f"{month} {di}, {y}", f"{month} {d}, {y}", f"{month} {di} {y}",
        f"{di} {month} {y}", f"{d} {month} {y}", f"{mon} {di}, {y}", f"{mon}. {di}, {y}",
        f"{mon} {d}, {y}", f"{mon} {di} {y}", f"{di} {mon} {y}", f"{d} {mon} {y}",
        f"{di}-{mon}-{y}", f"{d}-{mon}-{y}",
    ]
    return forms, (int(y), mi, di)


class HeaderContext:
    """The header values of one instance as written forms, and their candidate spans.

    Parameters
    ----------
    context : Iterable[ContextValue]
        The instance's identifier values (see the module docstring for how each
        infoType's values are expanded into written forms).
    """

    def __init__(self, context: Iterable[ContextValue] = ()) -> None:
        pairs: list[tuple[str, str]] = []  # (written form, info_type)
        add = pairs.append
        self._phones: set[str] = set()
        dob: set[tuple[int, int, int]] = set()
        for value in context:
            text, kind = value.text.strip(" \x00"), value.info_type
            if not text:
                continue
            if kind == _PN:
                pairs.extend(_pn_forms(text))
            elif kind in (_DATE, _DOB):
                date_forms, ymd = _date_forms(text)
                pairs.extend((form, kind) for form in date_forms)
                if ymd is not None and kind == _DOB:
                    dob.add(ymd)
            elif kind == "PHONE_NUMBER":
                digits = _NON_DIGIT.sub("", text)
                if len(digits) == 11 and digits[0] == "1":
                    digits = digits[1:]
                if len(digits) >= 7:
                    self._phones.add(digits)
                    if len(digits) >= 10:
                        self._phones.add(digits[-7:])
            elif kind in ("STREET_ADDRESS", "LOCATION"):
                add((text, kind))
                for part in _ADDRESS_PARTS.split(text):
                    part = part.strip()
                    if len(part) >= 4 and any(map(str.isalpha, part)):
                        street = kind == "STREET_ADDRESS" and part[0].isdigit()
                        add((part, "STREET_ADDRESS" if street else "LOCATION"))
            elif len(text) >= 3:
                add((text, kind))
                if any(map(str.isalpha, text)) and any(map(str.isdigit, text)):
                    compact = _SEPARATORS.sub("", text)
                    if len(compact) >= 3:
                        add((compact, kind))
        self._dob = frozenset(dob)
        forms: dict[str, str] = {}  # folded form -> the most specific info_type
        rank = _RANK.get
        for form, kind in pairs:
            folded = form.lower() if form.isascii() else _fold(form)
            old = forms.get(folded)
            if old is None or rank(kind, 0) > rank(old, 0):
                forms[folded] = kind
        self._index: dict[str, list[tuple[str, str]]] = {}
        self._loose: list[tuple[str, str]] = []
        match = _TOKEN.match
        for form, kind in forms.items():
            m = match(form)
            if m is None or _ideographic(form[0]):
                if len(form) >= 2:
                    self._loose.append((form, kind))
            elif len(form) >= 2:
                self._index.setdefault(m[0], []).append((form, kind))


    def _context_candidates(self, scan: _Scan, want: frozenset[str]) -> list[_Cand]:
        out: list[_Cand] = []
        if self._index or self._loose:
            folded, index = scan.folded, self._index
            candidates = list(self._loose)
            for token in scan.words:
                if token in index:
                    candidates.extend(index[token])
            for form, kind in candidates:
                if kind == _DOB and _DOB not in want:
                    kind = _DATE
                if kind not in want:
                    continue
                pos = folded.find(form)
                while pos != -1:
                    if _bounded(folded, pos, pos + len(form)):
                        out.append((pos, pos + len(form), kind, _CTX))
                    pos = folded.find(form, pos + 1)
        if self._phones and "PHONE_NUMBER" in want and scan.digits >= 7:
            out.extend(self._phone_candidates(scan.text))
        return out

    def _phone_candidates(self, text: str) -> list[_Cand]:
        out: list[_Cand] = []
        for run in _DIGIT_GROUPS.finditer(text):
            if run.end() - run.start() < 7:
                continue
            groups = [(m.start(), m.end()) for m in _DIGITS.finditer(run[0])]
            digits = "".join(run[0][s:e] for s, e in groups)
            if len(digits) < 7:
                continue
            starts = {}
            ends = {}
            count = 0
            for s, e in groups:
                starts[count] = run.start() + s
                count += e - s
                ends[count] = run.start() + e
            for target in self._phones:
                pos = digits.find(target)
                while pos != -1:
                    if pos in starts and pos + len(target) in ends:
                        s, e = starts[pos], ends[pos + len(target)]
                        if pos >= 1 and digits[pos - 1] == "1" and pos - 1 in starts:
                            s = starts[pos - 1]  # the +1 / 1- prefix
                        if s > 0 and text[s - 1] in "(+":
                            s -= 1
                        out.append((s, e, "PHONE_NUMBER", _CTX))
                    pos = digits.find(target, pos + 1)
        return out
