"""Local infoType detection in element values: no network, no model download (spec section 5).

This module owns finding infoTypes in one element value and resolving overlaps; the
rules live beside it: ``lexicon`` (word lists, compiled patterns), ``patterns`` (VR and
pattern rules), ``context`` (header values as written forms). ``detect(text, context, vr,
info_types)`` returns non-overlapping ``Finding`` spans sorted by start. A caller that inspects
many elements of one instance builds ``Detector.for_context(context)`` once (a
``ContextMatcher``) and calls its ``detect`` for each element; the module-level ``detect`` is
a thin wrapper over that. Nothing here logs or prints a value.

Findings come from three sources: the element's own VR, the instance's header values
(context) and patterns. When spans overlap, a VR finding wins, then the longer span, then
the more specific type (DATE_OF_BIRTH over DATE; PERSON_NAME over LAST_NAME over
FIRST_NAME), then context over pattern. ``info_types`` limits the types reported (a date of
birth is reported as DATE when only DATE is asked for).

How each type is detected (VR = the element's own VR, ctx = header values, pat = pattern;
a row with an empty first cell continues the row above):

| infoType | How it is detected |
|---|---|
| PERSON_NAME | VR: every value of a PN element. ctx: each header PN value written as the |
| | whole value, `FAMILY^GIVEN`, `Given Family`, `Given Middle Family`, `Given M. Family`, |
| | `Family, Given`, `Family Given`, and its ideographic group. pat: 1-3 capitalized words |
| | after `Dr.`, `Mr.`, `Mrs.`, `Ms.`, `Miss`, `Prof.` (title excluded); a 1990 US Census |
| | first name (`names` package, minus common words) + a capitalized word that is not a |
| | medical or common word (+ a third word after a middle name; `Given M. Family`); |
| | `Family, Given` or `Family^Given` with a census given name; two capitalized words after |
| | `patient`, `pt`, `contact`, `mother`, `father`, `wife`, `husband`, `son`, `daughter`, |
| | `called`, `spoke with`, `per`. |
| FIRST_NAME | ctx: the given-name component alone (2+ letters, not a title or stop word). |
| LAST_NAME | ctx: the family-name component alone (2+ letters, not a title or stop word). |
| DATE | VR: every valid DA value and DT value. ctx: each header date written as `YYYYMMDD`, |
| | `YYYY-MM-DD`, `YYYY/MM/DD`, `MM/DD/YYYY`, `M/D/YYYY`, `MM-DD-YYYY`, `DD.MM.YYYY`, |
| | `D.M.YYYY`, `DD/MM/YYYY`, `Month D, YYYY`, `D Month YYYY`, `Mon D, YYYY`, `Mon. D, YYYY`, |
| | `D-Mon-YYYY` (any case). pat: standalone `YYYYMMDD`, `YYYY-MM-DD`, `YYYY/MM/DD`, |
| | `M/D/YYYY`, `M-D-YYYY`, `D.M.YYYY`, `M/D/YY` (D/M/Y when the first part is over 12), |
| | `March 14, 2019`, `14 Mar 2019`, `14-Mar-2019`, `Mar 2019`; calendar-checked, years |
| | 1850-2100. |
| DATE_OF_BIRTH | ctx: the header birth date in any form above. pat: a date within 15 characters |
| | after `DOB`, `D.O.B`, `born`, `birth date`, `date of birth` (any case), or a date |
| | equal to the header birth date. |
| AGE | VR: every AS value. pat: `47 y/o`, `47yo`, `47 y.o.`, `47-year-old`, `47 years old`, |
| | `3-month-old`, `047Y`, `47 Y` (the phrase); `aged 47`, `age: 47` (the number); <= 150. |
| PHONE_NUMBER | ctx: header numbers by their digits (7+) ignoring separators and a leading |
| | `1`/`+1`, and their last 7 digits, on digit-group boundaries. pat: North American |
| | numbers (`555-234-5678`, `(555) 234-5678`, `555.234.5678`, `+1 555 234 5678`, a bare |
| | valid 10-digit number) and local `234-5678`; other separated digit runs of 7+ digits go |
| | to `phonenumbers.PhoneNumberMatcher(text, "US", Leniency.POSSIBLE)` (e.g. |
| | `+44 20 7946 0958`). Never over a date, SSN or IP address, nor glued to a letter. |
| EMAIL_ADDRESS | pat: `local@domain.tld`. |
| US_SOCIAL_SECURITY_NUMBER | pat: `ddd-dd-dddd`, `ddd dd dddd`, and 9 bare digits within 20 |
| | characters after `SSN` or `social security`; all checked with `stdnum.us.ssn.is_valid`. |
| STREET_ADDRESS | ctx: header addresses, whole and their comma- or `^`-separated parts that |
| | start with a house number. pat: house number + 1-4 capitalized words + a street suffix |
| | (`Street`, `St`, `Avenue`, `Ave`, `Road`, `Rd`, `Boulevard`, `Blvd`, `Lane`, `Ln`, `Drive`, |
| | `Dr`, `Court`, `Ct`, `Way`, `Place`, `Pl`, `Terrace`, `Parkway`, `Circle`, `Highway`, |
| | `Trail`, `Square`, `Loop`, `Alley`, `Plaza`, `Pike`, ...) + optional unit (`Apt 4B`, |
| | `Suite 200`, `#12`); no word may be a medical word (`5 MM CT` is not an address). |
| LOCATION | ctx: header locations and the other parts (4+ characters, with a letter) of header |
| | addresses. pat: `City, ST 12345(-6789)` / `City ST 12345` with a state abbreviation |
| | (50 + DC); `ST 12345` (a comma before it is required for CT, PA, MS, IN, OR and other |
| | abbreviations that are also common tokens); `City, State` with a full state name. |
| ORGANIZATION_NAME | ctx: header institution and issuer values. pat: 1-5 capitalized or |
| | all-caps words (at least one not a medical or common word) + `Hospital`, |
| | `Medical Center`, `Medical Centre`, `Clinic`, `Health System`, `Health Center`, |
| | `Healthcare`, `University`, `Institute`, `Imaging`, `Radiology`, `Infirmary`, |
| | `Foundation`, `Cancer Center` (any case; + `Center`, `Group`, ... and `of X`); |
| | `University of X`, `Hospital of the X`, `Institute of X`, `Clinic of X`. |
| MEDICAL_RECORD_NUMBER | ctx: every other header identifier (3+ characters; with letters and |
| | digits also without separators, `ACC-778` ~ `ACC778`). pat: a token of letters, digits |
| | and `-` with 4+ digits right after `MRN`, `MR#`, `MR No`, `medical record` (+ `number`, |
| | `no`, `#`), `patient id`, `pt id`, `chart #`, `acct`, `account` (the token alone). |
| URL | pat: `http://`, `https://`, `www.` up to white space, and bare domains with a common |
| | TLD (`com`, `org`, `net`, `edu`, `gov`, `io`, `us`, ...); trailing punctuation excluded. |
| IP_ADDRESS | pat: dotted quads checked with `ipaddress.IPv4Address` (not part of a longer dotted |
| | number such as a UID); colon-hex runs checked with `ipaddress.IPv6Address`. |

Header values match case- and accent-insensitively (NFKD), never inside a longer word or
number. Cheap prefilters skip whole rules: no digit means no date, phone, SSN, age, MRN,
address or IPv4 rule; no ``@`` no e-mail rule; no upper-case letter no name, organisation or
location rule; most rules also need one of their cue words among the text's tokens.
"""

from __future__ import annotations

import bisect
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from transforms.text.context import ContextValue, HeaderContext
from transforms.text.lexicon import (
    _ALL,
    _Cand,
    _RANK,
    _VR,
)
from transforms.text.patterns import (
    HEADER_TEXT,
    _Scan,
    _cached_patterns,
    _vr_candidates,
    id_candidates,
    layout_candidates,
)
from transforms.text.infotypes import KNOWN_INFO_TYPES

__all__ = ["HEADER_TEXT", "LAYOUTS", "ContextMatcher", "ContextValue", "Detector", "Finding", "detect"]

LAYOUTS = (None, "line", "header")
_FULL_WIDTH = {0xFF01 + i: 0x21 + i for i in range(94)} | {0x3000: 0x20}


@dataclass(frozen=True)
class Finding:
    """One infoType found in a text: ``quote == text[start:end]``."""

    info_type: str
    start: int
    end: int
    quote: str


def _resolve(text: str, cands: Iterable[_Cand]) -> list[Finding]:
    """Non-overlapping findings: VR rule, then longer, then more specific, then context.

    Nothing a rule found is dropped: the part of a losing candidate that no chosen finding
    covers becomes a finding of its own type (``Elza Nwosu`` and ``Nwosu APR`` overlap; the
    longer one wins and ``Elza`` is still a name).
    """
    rank = _RANK.get
    ordered = sorted(
        {(src != _VR, s - e, -rank(kind, 0), -src, s, kind, e) for s, e, kind, src in cands}
    )
    chosen = _Spans()
    for _, _, _, _, s, kind, e in ordered:
        for piece_start, piece_end in chosen.uncovered(s, e):
            remainder = (piece_start, piece_end) != (s, e)
            if remainder:  # its words only
                while piece_start < piece_end and not text[piece_start].isalnum():
                    piece_start += 1
                while piece_end > piece_start and not text[piece_end - 1].isalnum():
                    piece_end -= 1
            if piece_start >= piece_end:
                continue
            # A remainder glued to a chosen finding (``O'Ruttledge84`` beside ``... O'Ruttledge``)
            # is part of the same word: that finding takes it, not a finding of its own.
            if not (remainder and chosen.extend_glued(piece_start, piece_end)):
                chosen.add(piece_start, piece_end, kind)
    return [Finding(kind, s, e, text[s:e]) for s, e, kind, _ in chosen.spans]


class _Spans:
    """Chosen findings: disjoint spans kept in order of start, found by bisection.

    A text of many candidates (20,000 capitalised words in one element) must not
    cost a scan of every chosen span per candidate.
    """

    def __init__(self) -> None:
        self.spans: list[tuple[int, int, str, int]] = []  # (start, end, kind, order added)
        self._starts: list[int] = []

    def add(self, s: int, e: int, kind: str) -> None:
        i = bisect.bisect_left(self._starts, s)
        self._starts.insert(i, s)
        self.spans.insert(i, (s, e, kind, len(self.spans)))

    def uncovered(self, s: int, e: int) -> list[tuple[int, int]]:
        """The parts of ``[s, e)`` that no chosen span covers."""
        pieces = []
        i = max(bisect.bisect_right(self._starts, s) - 1, 0)
        pos = s
        spans = self.spans
        for k in range(i, len(spans)):  # (islice would step over the first i spans one by one)
            cs, ce = spans[k][0], spans[k][1]
            if cs >= e:
                break
            if ce <= pos:
                continue
            if cs > pos:
                pieces.append((pos, cs))
            pos = max(pos, ce)
            if pos >= e:
                return pieces
        pieces.append((pos, e))
        return pieces

    def extend_glued(self, s: int, e: int) -> bool:
        """Extend the chosen span that ``[s, e)`` touches with no character between (the one
        added first, when one ends at ``s`` and another starts at ``e``); False when none does."""
        i = bisect.bisect_left(self._starts, s)
        touching = []
        if i > 0 and self.spans[i - 1][1] == s:
            touching.append(i - 1)
        if i < len(self.spans) and self.spans[i][0] == e:
            touching.append(i)
        if not touching:
            return False
        j = min(touching, key=lambda k: self.spans[k][3])
        cs, ce, kind, order = self.spans[j]
        self.spans[j] = (min(cs, s), max(ce, e), kind, order)
        self._starts[j] = min(cs, s)
        return True


class ContextMatcher(HeaderContext):
    """Detection for the elements of one instance, with its header values as context.

    Parameters
    ----------
    context : Iterable[ContextValue]
        The instance's identifier values (see the module docstring for how each
        infoType's values are expanded into written forms).
    """

    def context_spans(self, text: str, info_types: Collection[str] | None = None) -> set[tuple[int, int]]:
        """Spans of ``text`` where a header (context) value is written, before resolution.

        Used by FHIR ``contextualDeid``: a finding over such a span becomes ``[CTX]``.
        """
        if not text:
            return set()
        return {(s, e) for s, e, _, _ in self._context_candidates(_Scan(text), _wanted(info_types))}

    def context_findings(self, text: str) -> list[Finding]:
        """Occurrences of the instance's own values only (no VR rule, no pattern).

        The residual identifier sweep (``transforms.dicom.sweep``) uses this on
        values that every rule left in place: it must find the instance's
        identifiers there and nothing else.
        """
        if not text or not (self._index or self._loose or self._phones):
            return []
        cands = self._context_candidates(_Scan(text), _ALL)
        return _resolve(text, cands) if cands else []

    def detect(
        self,
        text: str,
        vr: str | None = None,
        info_types: Collection[str] | None = None,
        layout: str | None = None,
    ) -> list[Finding]:
        """Findings in ``text``, sorted by start, non-overlapping.

        Parameters
        ----------
        text : str
            The element value as a string (multiple values joined by backslash).
        vr : str or None
            The element's VR: PN, DA, DT and AS values are findings by themselves.
            None means plain text.
        info_types : Collection[str] or None
            Report only these infoTypes; None means all of ``DEFAULT_INFO_TYPES``.
        layout : {None, "line", "header"}
            None for element values and narrative text. ``"line"``: one line of burned-in text
            (the sensitive modes): a line that holds an identifier or a run of 6+ digits is a
            header line. ``"header"``: a line of the header block (top edge, after a name
            label). On a header line each word that is not a known technical term is a
            ``HEADER_TEXT`` finding (fail closed), whatever ``info_types`` says.

        Returns
        -------
        list[Finding]
            The findings; each ``quote`` is ``text[start:end]``.

        Raises
        ------
        ValueError
            If ``info_types`` names an unknown infoType or ``layout`` is unknown.
        """
        if layout not in LAYOUTS:
            raise ValueError("layout must be None, 'line' or 'header'")
        if not text:
            return []
        want = _wanted(info_types)
        cands: list[_Cand] = []
        if vr in ("PN", "DA", "DT", "AS"):
            cands.extend(c for c in _vr_candidates(text, vr) if c[2] in want)
            covered = sum(c[1] - c[0] for c in cands)
            if cands and covered >= len(text.replace("\\", "").strip()):
                # The VR findings cover every value and win every overlap: patterns and
                # context could add nothing.
                return [Finding(k, st, en, text[st:en]) for st, en, k, _ in sorted(cands) if st < en]
        # full-width punctuation and letters as OCR may read them (OKAFOR，MARGARET): the same
        # length in ASCII, so spans stay those of ``text``
        scan = _Scan(text if text.isascii() else text.translate(_FULL_WIDTH))
        cands.extend(self._context_candidates(scan, want))
        cands.extend(_cached_patterns(scan, want, self._dob if scan.digits else frozenset()))
        if layout is not None:
            cands.extend(c for c in layout_candidates(scan, cands, layout) if c[2] in want or c[2] == HEADER_TEXT)
        elif cands and "MEDICAL_RECORD_NUMBER" in want:
            cands.extend(id_candidates(scan, cands, False))
        if not cands:
            return []
        if len(cands) == 1:
            s, e, kind, _ = cands[0]
            return [Finding(kind, s, e, text[s:e])] if s < e else []
        return _resolve(text, cands)


def _wanted(info_types: Collection[str] | None) -> frozenset[str]:
    if info_types is None:
        return _ALL
    want = frozenset(info_types)
    unknown = want - KNOWN_INFO_TYPES
    if unknown:
        raise ValueError(f"Unknown infoTypes: {', '.join(sorted(unknown))}.")
    return want


class Detector:
    """Precompiled detection state; ``for_context`` builds the per-instance matcher.

    All patterns are compiled at import and the census name list is loaded once, on
    first use, so a ``Detector`` holds no per-run state of its own.
    """

    _empty: ClassVar[ContextMatcher | None] = None

    @classmethod
    def for_context(cls, context: Sequence[ContextValue] = ()) -> ContextMatcher:
        """Return a matcher to reuse for every element of one instance.

        Parameters
        ----------
        context : Sequence[ContextValue]
            The instance's own identifier values; empty for pattern-only detection.

        Returns
        -------
        ContextMatcher
            Its ``detect(text, vr, info_types)`` finds infoTypes in one value.
        """
        if not context:
            if cls._empty is None:
                cls._empty = ContextMatcher(())
            return cls._empty
        return ContextMatcher(context)


def detect(
    text: str,
    context: Sequence[ContextValue] = (),
    vr: str | None = None,
    info_types: Collection[str] | None = None,
    layout: str | None = None,
) -> list[Finding]:
    """Findings in text, sorted by start, non-overlapping.

    Parameters
    ----------
    text : str
        The element value as a string (multiple values joined by backslash).
    context : Sequence[ContextValue]
        The instance's own identifier values (PN values as PERSON_NAME, dates, phone
        numbers, addresses, institutions, other identifiers).
    vr : str or None
        The element's VR; None means plain text.
    info_types : Collection[str] or None
        Report only these infoTypes; None means all of ``DEFAULT_INFO_TYPES``.
    layout : {None, "line", "header"}
        Burned-in text: see ``ContextMatcher.detect``.

    Returns
    -------
    list[Finding]
        Non-overlapping findings sorted by start.

    Raises
    ------
    ValueError
        If ``info_types`` names an unknown infoType.
    """
    return Detector.for_context(context).detect(text, vr, info_types, layout)
