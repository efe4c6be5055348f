"""Pattern and VR rules of the infoType detector: candidate spans from the text alone.

A candidate is ``(start, end, info_type, source)``; ``transforms.text.detect`` resolves
overlaps. Pattern results are memoised per worker (``_cached_patterns``).
"""

from __future__ import annotations

import bisect
import ipaddress
import itertools
import re
from functools import cache

# phonenumbers and python-stdnum are imported where first used: a tag-only job, which never
# detects text, does not pay for them in every worker process.

from transforms.text import vocabulary as _vocab
from transforms.text.lexicon import (
    _CARET,
    _ID_RUN,
    _STATE_NAMES,
    _STATES,
    _COMMA_PAIR,
    _DATE_DOTTED,
    _DATE_MON_YY,
    _DATE_STAMP,
    _ORG_STRONG,
    _PAIR,
    _PARTICLE,
    _PARTICLES,
    _UP,
    _LO,
    _W,
    _AGE_KEY,
    _AGE_PHRASE,
    _AGE_WORDS,
    _AMBIGUOUS_STATES,
    _AS,
    _ASCII_TOKEN,
    _CITY_STATE_ZIP,
    _COMMON_FIRST,
    _CUE,
    _CUE_LOWER,
    _PREFIXED_FAMILY,
    _CUE_WORDS,
    _INITIAL_BEFORE,
    _ROLE,
    _ROLE_WORDS,
    _Cand,
    _DA,
    _DATE,
    _DATE_8,
    _DATE_MDY,
    _DATE_MONTH,
    _DATE_NAMED,
    _named_groups,
    _UNIT_AFTER,
    _DATE_ROMAN,
    _DATE_APOSTROPHE,
    _DATE_NO_YEAR,
    _ROMAN_MONTHS,
    _DATE_YMD,
    _DATE_YMD_SPACED,
    _DATE_DMY_SPACED,
    _DATE_DM_Y,
    _DATE_HIJRI,
    _DATE_QUARTER,
    _DATE_CJK,
    _EMIRATES_ID,
    _KOREAN_RRN,
    _HYPHEN_ID,
    _NEWBORN,
    _FAMILY_BARE_INITIALS,
    _DIGIT_GROUPS,
    _DOB,
    _DOB_CUE,
    _DOB_WORDS,
    _DT,
    _EMAIL,
    _FAMILY_GIVEN,
    _IPV4,
    _IPV6,
    _MONTH_WORDS,
    _MONTH_WORDS_ANY,
    _MRN,
    _MRN_WORDS,
    _NAME_SEQ,
    _NAME_WORD,
    _NON_DIGIT,
    _ORG,
    _ORG_OF,
    _ORG_RS,
    _INTL_ORG_FIRST,
    _INTL_ORG_LAST,
    _INTL_ORG_WORDS,
    _INTL_ABBR,
    _INTL_JOIN,
    _OW,
    _SAINTS,
    _ORG_WORDS,
    _PAT,
    _PHONE_SHAPE,
    _PHONE_US,
    _PN,
    _SSN,
    _SSN_BARE,
    _SSN_WORDS,
    _STATE_NAME,
    _STATE_NAME_WORDS,
    _STATE_WORDS,
    _STATE_ZIP,
    _STREET,
    _SUFFIX_WORDS,
    _TITLE,
    _TITLE_WORDS,
    _TOKEN,
    _URL,
    _URL_BARE,
    _URL_WORDS,
    _VR,
    _census_first_all,
    _census_first_lower,
    _count_digits,
    _fold,
    _is_first_name,
    _month,
    _stop,
    _strip_lead,
    _upper_ascii,
    _valid_date,
)


_MON_GLUED = re.compile(r"\d(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)")


class _Scan:
    """One text and what the prefilters need to know about it, computed once."""

    __slots__ = ("text", "folded", "words", "lengths", "digits", "upper")

    def __init__(self, text: str) -> None:
        self.text = text
        self.folded = folded = _fold(text)
        tokens = (_ASCII_TOKEN if folded.isascii() else _TOKEN).findall(folded)
        self.words = set(tokens)
        numbers = [len(t) for t in tokens if t[0].isdigit()]
        self.lengths = set(numbers)  # the lengths of the digit runs
        self.digits = sum(numbers)
        self.upper = folded != text  # an upper-case (or accented) letter is present


# ---------------------------------------------------------------------------------------
# VR rules and patterns
# ---------------------------------------------------------------------------------------


def _vr_candidates(text: str, vr: str) -> list[_Cand]:
    out: list[_Cand] = []
    pos = 0
    for value in text.split("\\"):
        start, pos = pos, pos + len(value) + 1
        stripped = value.strip(" \x00")
        if not stripped:
            continue
        s = start + len(value) - len(value.lstrip(" \x00"))
        e = s + len(stripped)
        if vr == "PN":
            if any(c.isalnum() for c in stripped):
                out.append((s, e, _PN, _VR))
        elif vr == "DA":
            m = _DA.fullmatch(stripped)
            if m and _valid_date(int(m[1]), int(m[2]), int(m[3])):
                out.append((s, e, _DATE, _VR))
        elif vr == "DT":
            m = _DT.fullmatch(stripped)
            if m and int(m[1]) > 0 and _valid_date(int(m[1]), int(m[2] or 1), int(m[3] or 1)):
                out.append((s, e, _DATE, _VR))
        elif vr == "AS" and _AS.fullmatch(stripped):
            out.append((s, e, "AGE", _VR))
    return out


_VERSION_BEFORE = re.compile(r"(?i)(?:\bv|\bver|version|release|rev|build|software|sw)\.?[ \t:]*\Z")


# Twenty-first round: national identity numbers that carry a check digit or a checked date, by
# python-stdnum's validators (already a dependency): a token of letters and digits with 7+ digits,
# its compact form's length picks the validators to try (Czech and Slovak rodne cislo, PESEL,
# codice fiscale, BSN, personnummer, DNI and NIE, AHV, CPR, fodselsnummer, HETU, Belgian,
# Austrian, German, Romanian, Croatian, Slovenian, Greek, French, British, Israeli, Korean,
# Chinese, Indian, Brazilian, Mexican, South African, Estonian, Lithuanian, Bulgarian, Turkish,
# Irish, Icelandic, Canadian numbers).
_NATIONAL_ID_TOKEN = re.compile(r"(?<![\w./\-])[A-Za-z]{0,6}\d[\dA-Za-z./\-]{5,22}[\dA-Za-z](?![\w/\-]|\.\w)")
_NATIONAL_ID_SEPARATORS = re.compile(r"[./\-]")
# The lengths each number can have, compact (letters and digits only), by stdnum module.
_NATIONAL_ID_LENGTHS = {
    "cz.rc": (9, 10), "sk.rc": (9, 10), "pl.pesel": (11,), "it.codicefiscale": (16,), "nl.bsn": (9,),
    "se.personnummer": (10, 12), "es.dni": (9,), "es.nie": (9,), "ch.ssn": (13,), "dk.cpr": (10,),
    "no.fodselsnummer": (11,), "fi.hetu": (10, 11), "be.nn": (11,), "at.vnr": (10,), "de.idnr": (11,),
    "ro.cnp": (13,), "hr.oib": (11,), "si.emso": (13,), "gr.amka": (11,), "fr.nir": (13, 15), "gb.nhs": (10,),
    "il.idnr": (9,), "kr.rrn": (13,), "cn.ric": (18,), "in_.aadhaar": (12,), "br.cpf": (11,), "mx.curp": (18,),
    "za.idnr": (13,), "ee.ik": (11,), "lt.asmens": (11,), "bg.egn": (10,), "tr.tckimlik": (11,), "ie.pps": (8, 9),
    "is_.kennitala": (10,), "ca.sin": (9,),
}  # fmt: skip


@cache
def _national_id_validators() -> dict[int, tuple]:
    """The validators by the length of the compact number they accept (imported when first used)."""
    import importlib

    by_length: dict[int, list] = {}
    for name, lengths in _NATIONAL_ID_LENGTHS.items():
        module = importlib.import_module(f"stdnum.{name}")
        for n in lengths:
            by_length.setdefault(n, []).append(module)
    return {n: tuple(v) for n, v in by_length.items()}


def _national_ids(text: str, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans of national identity numbers a validator of ``_NATIONAL_ID_LENGTHS`` accepts; not
    inside ``taken`` (a date, an SSN, an IP address, a phone number)."""
    validators = _national_id_validators()
    inside = _SpanIndex(taken).contains
    out = []
    for m in _NATIONAL_ID_TOKEN.finditer(text):
        token = m[0]
        compact = _NATIONAL_ID_SEPARATORS.sub("", token)
        if sum(c.isdigit() for c in compact) < 7 or inside(m.start(), m.end()):
            continue
        for module in validators.get(len(compact), ()):
            try:
                if module.is_valid(token):
                    out.append(m.span())
                    break
            except Exception:  # noqa: BLE001 - a validator's own error on odd input is no match
                continue
    return out


def _dates(scan: _Scan) -> list[tuple[int, int, tuple[int, int, int]]]:
    """Pattern dates: (start, end, (year, month, day)); day 0 when only month and year."""
    text, lengths = scan.text, scan.lengths
    out = []
    if 8 in lengths or 12 in lengths or 14 in lengths:
        for m in _DATE_8.finditer(text):
            y, mo, d = int(m[1]), int(m[2]), int(m[3])
            if 1850 <= y <= 2100 and _valid_date(y, mo, d):
                out.append((m.start(), m.end(), (y, mo, d)))
    slash_or_dash = "-" in text or "/" in text
    short = 1 in lengths or 2 in lengths
    if (slash_or_dash or "." in text) and 4 in lengths and short:
        for m in _DATE_YMD.finditer(text):
            y, mo, d = int(m[1]), int(m[3]), int(m[4])
            if m[2] == "." and _VERSION_BEFORE.search(text, max(0, m.start() - 12), m.start()):
                continue  # version 2019.3.1
            if 1850 <= y <= 2100 and _valid_date(y, mo, d):
                out.append((m.start(), m.end(), (y, mo, d)))
    if short and (slash_or_dash or "." in text):
        for m in _DATE_MDY.finditer(text):
            a, b, sep, ys = int(m[1]), int(m[3]), m[2], m[4]
            if len(ys) == 2 and sep != "/" and _VERSION_BEFORE.search(text, max(0, m.start() - 12), m.start()):
                continue  # V 5.6.08, version 1.7.10: a version, not a date
            if len(ys) == 2 and a > 31:
                # YY/MM/DD (53/02/28, 90/05/01, 98.03.03): a first number no day or month can be
                y, mo, d = a + (2000 if a < 30 else 1900), b, int(ys)
            else:
                y = int(ys) + (2000 if len(ys) == 2 else 0)
                mo, d = (b, a) if sep == "." and b <= 12 or (a > 12 and b <= 12) else (a, b)
            if 1850 <= y <= 2100 and _valid_date(y, mo, d):
                out.append((m.start(), m.end(), (y, mo, d)))
    if short and not scan.words.isdisjoint(_MONTH_WORDS) or "jan" in scan.folded or _MON_GLUED.search(scan.folded):
        for m in _DATE_MON_YY.finditer(text):
            ys = m[4]
            y = int(ys) if len(ys) == 4 else int(ys) + (2000 if int(ys) < 69 else 1900)
            d, mo = int(m[1]), _month(m[3])
            if 1850 <= y <= 2100 and _valid_date(y, mo, d):
                out.append((m.start(), m.end(), (y, mo, d)))
    if 2 in lengths and "-" in text:
        for m in _DATE_STAMP.finditer(text):
            y, mo, d = 2000 + int(m[1]), int(m[2]), int(m[3])
            if _valid_date(y, mo, d):
                out.append((m.start(), m.end(), (y, mo, d)))
    if 4 in lengths and short and (slash_or_dash or "." in text):
        for m in _DATE_HIJRI.finditer(text):
            # the Hijri calendar's own date: checked as one (months of 29 or 30 days), never shifted
            y, mo, d = (int(m[4]), int(m[3]), int(m[1])) if m[1] else (int(m[5]), int(m[7]), int(m[8]))
            if 1 <= mo <= 12 and 1 <= d <= 30:
                out.append((m.start(), m.end(), (y, mo, d)))
    if 4 in lengths and not text.isascii():
        for m in _DATE_CJK.finditer(text):
            y, mo, d = int(m[1]), int(m[2]), int(m[3])
            if 1850 <= y <= 2100 and _valid_date(y, mo, d):
                out.append((m.start(), m.end(), (y, mo, d)))
    if 4 in lengths and 1 in lengths and "q" in scan.words:
        for m in _DATE_QUARTER.finditer(text):
            out.append((m.start(), m.end(), (int(m[2]), 3 * int(m[1]) - 2, 0)))
    if 4 in lengths and short and "/" in text:
        for m in _DATE_DM_Y.finditer(text):
            y, mo, d = int(m[3]), int(m[2]), int(m[1])
            if 1850 <= y <= 2100 and _valid_date(y, mo, d):
                out.append((m.start(), m.end(), (y, mo, d)))
    if 4 in lengths and short and ". " in text:
        for m in _DATE_DMY_SPACED.finditer(text):
            y, mo, d = int(m[3]), int(m[2]), int(m[1])
            if 1850 <= y <= 2100 and _valid_date(y, mo, d):
                out.append((m.start(), m.end(), (y, mo, d)))
        for m in _DATE_YMD_SPACED.finditer(text):
            y, mo, d = int(m[1]), int(m[2]), int(m[3])
            if 1850 <= y <= 2100 and _valid_date(y, mo, d):
                out.append((m.start(), m.end(), (y, mo, d)))
    if 4 in lengths and "." in text:
        for m in _DATE_DOTTED.finditer(text):
            y, mo, d = int(m[1]), int(m[2]), int(m[3])
            if 1850 <= y <= 2100 and _valid_date(y, mo, d):
                out.append((m.start(), m.end(), (y, mo, d)))
    if 4 in lengths and not scan.words.isdisjoint(_MONTH_WORDS):
        for m in _DATE_MONTH.finditer(text):
            if m[1]:
                y, mo, d = int(m[3]), _month(m[2]), int(m[1])
            elif m[4]:
                y, mo, d = int(m[6]), _month(m[4]), int(m[5])
            elif m[7]:
                y, mo, d = int(m[8]), _month(m[7]), 0
            else:
                y, mo, d = int(m[9]), _month(m[11]), int(m[12])
            if 1850 <= y <= 2100 and (d == 0 or _valid_date(y, mo, d)):
                out.append((m.start(), m.end(), (y, mo, d)))
    if (short or 4 in lengths) and not scan.words.isdisjoint(_MONTH_WORDS_ANY):
        out.extend(_named_dates(scan))
    months = not scan.words.isdisjoint(_MONTH_WORDS)
    if short and months:
        if "'" in text or "\u2019" in text:
            for m in _DATE_APOSTROPHE.finditer(text):
                d, mon = (m[1], m[2]) if m[1] else (m[4], m[3]) if m[3] else ("0", m[5])
                yy = int(m[6])
                y, mo = yy + (2000 if yy < 30 else 1900), _month(mon)
                if d == "0" or _valid_date(y, mo, int(d)):
                    out.append((m.start(), m.end(), (y, mo, int(d))))
        for m in _DATE_NO_YEAR.finditer(text):
            mon = m[1] or m[3] or m[5] or m[8]
            d = int(m[2] or m[4] or m[6] or m[7])
            # no year: 2000, a leap year, to check the day (February 29 is a date)
            if _valid_date(2000, _month(mon), d):
                out.append((m.start(), m.end(), (0, _month(mon), d)))
    if 4 in lengths and short and not scan.words.isdisjoint(_ROMAN_WORDS):
        for m in _DATE_ROMAN.finditer(text):
            y, mo, d = int(m[4]), _ROMAN_MONTHS.index(m[3]) + 1, int(m[1])
            if 1850 <= y <= 2100 and _valid_date(y, mo, d):
                out.append((m.start(), m.end(), (y, mo, d)))
    return out


# months of other languages that are English words too (3 out 2020 is prose in lower case)
_ENGLISH_MONTHS_INTL = frozenset("set out gen mag ago mars mart".split())


def _named_dates(scan: _Scan) -> list[tuple[int, int, tuple[int, int, int]]]:
    """Dates with a month name between any separators, in any of the three orders (the grammar
    of ``_DATE_NAMED``), read on the accent-folded text (févr., März). An English month in lower
    case counts only glued to its numbers (03mar1998): `may 3 98` is prose; a month of another
    language only with a day (Mag 2000 is a magnification); a two-digit year only where no unit
    or number follows (May 5 10 mg)."""
    text, out = scan.text, []
    for m in _DATE_NAMED.finditer(scan.folded):
        d, mon, ys = _named_groups(m)
        month = text[m.start(mon):m.end(mon)]
        if (month.islower() and (m[mon] in _MONTH_WORDS or m[mon] in _ENGLISH_MONTHS_INTL)
                and any(c in " \t" for c in m[0]) and not (text.startswith(".", m.end(mon)) and m[mon] != "may")
                and not (d == 1 and text.startswith(".", m.end(1)))):
            # months are capitalised in English (an abbreviation's dot aside: 1978. apr. 9., and a
            # day with its dot before: 3. mars 1998); French, Spanish, Dutch, Hungarian write them
            # in lower case
            continue
        if not d and m[mon] not in _MONTH_WORDS:
            continue
        ys = m[ys]
        if len(ys) == 2:
            if _UNIT_AFTER.match(text, m.end()):
                continue
            y = int(ys) + (2000 if int(ys) < 69 else 1900)
        else:
            y = int(ys)
        mo, day = _month(m[mon]), int(m[d]) if d else 0
        if 1850 <= y <= 2100 and (day == 0 or _valid_date(y, mo, day)):
            out.append((m.start(), m.end(), (y, mo, day)))
    return out


_ROMAN_WORDS = frozenset(r.lower() for r in _ROMAN_MONTHS)


def _phones(scan: _Scan, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Phone numbers not overlapping the spans in ``taken`` (dates, SSNs, IP addresses).

    North American numbers and local ``ddd-dddd`` come from precompiled patterns;
    ``phonenumbers`` (slow) runs only when a separated run of 7+ digits is left that
    neither they nor ``taken`` explain (international and unusual formats).
    """

    def free(s: int, e: int, spans: list[tuple[int, int]]) -> bool:
        return all(e <= ts or s >= te for ts, te in spans)

    text, lengths = scan.text, scan.lengths
    out = []
    if not lengths.isdisjoint((7, 10, 11)) or (4 in lengths and not lengths.isdisjoint((3, 6))):
        for m in _PHONE_US.finditer(text):
            raw = m[0]
            digits = _NON_DIGIT.sub("", raw)
            if len(digits) == 7:
                ok = len(raw) == 8 and raw[3] == "-" and raw[0] >= "2"
            else:
                ok = len(digits) >= 10 and digits[-10] >= "2" and digits[-7] >= "2"
            if ok and free(*m.span(), taken):
                out.append(m.span())
    explained = taken + out
    if scan.digits - sum(_count_digits(text[s:e]) for s, e in explained) < 7:
        return out
    for run in _DIGIT_GROUPS.finditer(text):
        s, e = run.span()
        if (
            not run[0].isdigit()
            and len(_NON_DIGIT.sub("", run[0])) >= 7
            and not (s > 0 and text[s - 1].isalpha())
            and not (e < len(text) and text[e].isalpha())
            and free(s, e, explained)
        ):
            break
    else:
        return out
    import phonenumbers

    leniency = phonenumbers.Leniency.POSSIBLE
    for match in phonenumbers.PhoneNumberMatcher(text, "US", leniency=leniency):
        s, e, raw = match.start, match.end, match.raw_string
        if not free(s, e, explained) or not _PHONE_SHAPE.fullmatch(raw) or raw.isdigit():
            continue
        if (s > 0 and text[s - 1].isalnum()) or (e < len(text) and text[e].isalnum()):
            continue
        out.append((s, e))
    return out


def _matches_at(
    scan: _Scan, vocab: frozenset[str], pattern: re.Pattern[str]
) -> list[re.Match[str]]:
    """Matches of ``pattern`` starting where a word of ``vocab`` occurs (no full scan)."""
    found = []
    folded, text = scan.folded, scan.text
    for word in scan.words & vocab:
        pos = folded.find(word)
        while pos != -1:
            m = pattern.match(text, pos)
            if m is not None:
                found.append(m)
            pos = folded.find(word, pos + 1)
    return found


def _name_candidates(scan: _Scan) -> list[_Cand]:
    text, words = scan.text, scan.words
    out: list[_Cand] = []
    if not words.isdisjoint(_TITLE_WORDS):
        for m in _matches_at(scan, _TITLE_WORDS, _TITLE):
            end = None
            for w in _NAME_WORD.finditer(text, m.start(1), m.end(1)):
                if _stop(w[0]):
                    break
                if len(w[0]) > 2 or not w[0].endswith("."):
                    end = w.end()
            if end is not None:
                out.append((m.start(1), end, _PN, _PAT))
        for m in _TITLE_LETTER.finditer(text):
            out.append((m.start(1), m.end(1), _PN, _PAT))  # Ms. I, Dr. O: a one-letter family name
    census = _census_first_lower()
    if not words.isdisjoint(census):
        for m in _matches_at(scan, census, _NAME_SEQ):
            first, second, third = m[1], m[3], m[4]
            if not _is_first_name(first) or _stop(second) or (second.isupper() and len(second) < 3):
                continue
            if _upper_ascii(second) in _COMMON_FIRST:
                continue
            if _ordinary_pair(first, second):
                continue  # Manual Hold, Manual Entry: a census first name that is an ordinary word
            if _vocab.product_or_grade(second):
                continue  # Forrest IIB: a grade, not a family name
            up2 = _upper_ascii(second)
            if up2 not in _vocab.name_words() and _vocab.clinical_shape(up2):
                continue  # MORTON NEUROMA, Dupuytren contracture: a finding named after a person
            end = m.end(3)
            if third and not m[2] and _is_first_name(second) and not _stop(third):
                end = m.end(4)  # Given Middle Family
            out.append((m.start(1), end, _PN, _PAT))
        if "," in text or "^" in text:
            for m in _FAMILY_GIVEN.finditer(text):
                up1 = _upper_ascii(m[1])
                if up1 in _vocab.TECHNICAL and up1 not in _vocab.name_words():
                    continue  # GA, Williams: a technical term that is no name
                if _is_first_name(m[2]) and not _stop(m[1]):
                    out.append((m.start(1), m.end(3) if m[3] else m.end(2), _PN, _PAT))
    if "^" in text:
        for m in _CARET.finditer(text):
            if _HL7_TYPE.match(text, m.start()):
                continue  # ORM^O01, ADT^A08: an HL7 message type and its event
            if sum(c.isalpha() for c in m[0]) >= 3:
                out.append((m.start(), m.end(), _PN, _PAT))
    out.extend(_shape_names(text))
    if out:
        out = [c for c in out if not _eponym(text, c[0], c[1]) and not _citation(text, c[0], c[1])]
    if out:
        out = _with_particles(text, out)
    if not words.isdisjoint(_ROLE_WORDS):
        out.extend(_role_names(scan))
    if not words.isdisjoint(_CREDENTIAL_WORDS) or (("d" in words or "r" in words) and "." in text):  # MD, M.D., D.O., R.T.
        out.extend(_credential_names(text))
    if "/" in text:
        for m in _SLASH_PAIR.finditer(text):
            # FAMILY/GIVEN: no technical, ordinary or clinical word (T1/T2, AP/LAT, Left/Right),
            # one of them name-like, 3+ letters each and one of 5+ (not DNR/DNI)
            ups = [_upper_ascii(w) for w in (m[1], m[2])]
            if max(len(u) for u in ups) >= 5 and all(
                   len(u) >= 3 and u not in _vocab.TECHNICAL and u not in _vocab.ordinary()
                   and u not in _vocab.rare_english() and not _vocab.clinical_shape(u) for u in ups) and (
                    _unknown(m[1]) or _unknown(m[2])):
                out.append((m.start(1), m.end(2), _PN, _PAT))
    if "." in text:
        for m in _INITIALS_FAMILY.finditer(text):
            # G. M. Family: initials before a name-like or census family name, no technical word
            # (H.C. dela Cruz: the particles before it too)
            family = m[2].split()[-1]
            up = _upper_ascii(family)
            if (_unknown(family) or up in _vocab.name_words()) and up not in _vocab.TECHNICAL and not _stop(family):
                out.append((m.start(1), m.end(2), _PN, _PAT))
    if not words.isdisjoint(_GREETING_WORDS):
        for m in _GREETING.finditer(text):
            # Dear Given Family, Hello Family: one or two words, none technical or a stop word,
            # and no lone ordinary word (Dear Colleague, Hi There)
            # (the name stops before a second word that is a stop word or technical: Hi Uralp Res)
            names = [w for w in (m[1], m[2]) if w]
            for i, w in enumerate(names):
                if _stop(w) or _upper_ascii(w) in _vocab.TECHNICAL:
                    names = names[:i] if i else []
                    break
            if any(_unknown(w) or _is_first_name(w) or _upper_ascii(w) in _vocab.surnames() for w in names):
                out.append((m.start(1), m.end(1) if len(names) == 1 else m.end(2), _PN, _PAT))
    if '"' in text or "'" in text or "\u201c" in text:
        for m in _NICKNAME.finditer(text):
            # Given "Nick" Family: either name-like or a census name, neither a stop word
            names = (m[1], *m[2].split())
            if not any(_stop(w) for w in names) and any(
                    _unknown(w) or _is_first_name(w) or _upper_ascii(w) in _vocab.surnames() for w in names):
                out.append((m.start(1), m.end(2), _PN, _PAT))
    if not words.isdisjoint(_CUE_WORDS):
        for m in _matches_at(scan, _CUE_WORDS, _CUE):
            # After a cue ("contact April Haynes") a census first name counts even when it
            # is also a month or a common word.
            first_ok = not _stop(m[1]) or _upper_ascii(m[1]) in _census_first_all()
            # ... but two ordinary words are not a name (patient Position Acquisition)
            # (clinical shorthand is no name: per NEPHRO FELLOW, spoke with RAD ONC)
            named = [(_upper_ascii(w) in _vocab.name_words() or not _vocab.known(_upper_ascii(w)))
                     and not (len(w) <= 7 and _vocab.abbreviation(_upper_ascii(w))) for w in (m[1], m[2])]
            # ... nor two ordinary words unless the first is a first name (Patient Setup Point,
            # Patient Safety Reasons; not contact Rose Hill)
            ordinary = _vocab.ordinary()
            plain = (_upper_ascii(m[1]) in ordinary and _upper_ascii(m[2]) in ordinary
                     and _upper_ascii(m[1]) not in _census_first_all())
            if first_ok and not _stop(m[2]) and any(named) and not plain:
                out.append((m.start(1), m.end(2), _PN, _PAT))
    if "(" in text:
        out.extend(_paren_names(text))
    if '"' in text and ("family" in words or "given" in words):
        for m in _JSON_NAME.finditer(text):
            for v in _JSON_STRING.finditer(text, m.start(1), m.end(1)):
                if any(c.isalpha() for c in v[1]):
                    out.append((v.start(1), v.end(1), _PN, _PAT))
    if not words.isdisjoint(_NEWBORN_WORDS):
        for m in _NEWBORN.finditer(text):
            # Baby Boy Dimatibag, BB Sincioco, B/O Marikit delos Reyes: the words name-like or census
            # names, no stop or technical word (BG 120 has no word)
            end = None
            for w in _NAME_WORD_RUN.finditer(text, m.start(1), m.end(1)):
                if not w[0][0].isupper():
                    continue  # a particle
                if _stop(w[0]) or _upper_ascii(w[0]) in _vocab.TECHNICAL or not (
                        _unknown(w[0]) or _is_first_name(w[0]) or _upper_ascii(w[0]) in _vocab.name_words()):
                    break  # BABY GIRL SIMPAUCO Twin A: the name ends before Twin
                end = w.end()
            if end is not None:
                out.append((m.start(1), end, _PN, _PAT))
    if scan.upper:
        for m in _FAMILY_TWO_INITIALS.finditer(text):
            # Lee CS, Choi WH (Korean and citation style): a frequent census family name, or a census
            # one that is no English word, and two initials that are no technical term, stop word or
            # drug suffix (not Impella CP, FSPGR BH, MARKER BB, Tylenol ES)
            up, initials = _upper_ascii(m[1]), m[2]
            if ((up in _vocab.common_surnames() or up in _vocab.name_words() and up not in _vocab.ordinary())
                    and up not in _vocab.TECHNICAL and not _stop(m[1])
                    and initials not in _vocab.TECHNICAL and not _stop(initials) and initials not in _FUNCTION_WORDS
                    and initials not in _DRUG_SUFFIXES):
                out.append((m.start(1), m.end(2), _PN, _PAT))
        for m in _FAMILY_BARE_INITIALS.finditer(text):
            # COJUANCO D, Chikiamco T: a name-like word of 5+ letters that no list holds, census
            # surnames included (Weber B, Child-Pugh B are grades), and an initial at a phrase's end
            up = _upper_ascii(m[1])
            if (len(up) >= 5 and _unknown(m[1]) and up not in _vocab.TECHNICAL and not _vocab.clinical_shape(up)
                    and not any(part in _vocab.surnames() for part in up.split("-"))):
                out.append((m.start(1), m.end(2), _PN, _PAT))
    if not words.isdisjoint(_LINK_WORDS):
        out.extend(_linked_names(text))
    if not words.isdisjoint(_PREFERRED_WORDS):
        for m in _PREFERRED.finditer(text):
            if not _stop(m[1]) and (_unknown(m[1]) or _is_first_name(m[1])):
                out.append((m.start(1), m.end(1), _PN, _PAT))
    if not scan.text.isascii():
        out.extend(_cjk_names(text))
    if "-" in text or "'" in text or "\u2019" in text:
        for m in _PREFIXED_FAMILY.finditer(text):
            # Given al-Family: the given name or the family name after its prefix is name-like
            if not _stop(m[1]) and (_unknown(m[1]) or _is_first_name(m[1]) or _unknown(m[3])):
                out.append((m.start(1), m.end(2), _PN, _PAT))
    return out


# Fifteenth round: a family name before née/ép. and the name after it, a wife's or son's name
# after w/o, s/o, d/o (KHALIL née HADDAD Amina, BAYHUM WARDIANI w/o KRIKOR OUHAMOU), a kunya (Um
# Mubaraka, Abu Karim), the second of two doctors (Drs Mbarki and Boubaker).
_LINKED = re.compile(
    rf"(?<![\w'\-/])({_W}(?:[ \t]+{_W})?)[ \t]+(?:n[ée]e|N[ÉE]E|[ée]p\.|[ÉE]P\.?|[ée]pouse|[ÉE]POUSE|w/o|W/O|s/o|S/O|d/o|D/O)"
    rf"[ \t]+({_W}(?:[ \t]+{_W}){{0,2}})(?![\w'\-])"
)
_KUNYA = re.compile(rf"(?<![\w'\-])(?:Umm?|UMM?|Abu|ABU|Abou|ABOU)[ \t]+({_W})(?![\w'\-])")
_DOCTORS = re.compile(rf"(?<![\w])(?:Drs|DRS)\.?[ \t]+{_W}[ \t]+(?:and|&)[ \t]+({_W})(?![\w'\-])")
_LINK_WORDS = frozenset("nee ep epouse o um umm abu abou drs".split())


_NEWBORN_WORDS = frozenset("baby bb bg b o".split())
_NAME_WORD_RUN = re.compile(r"\S+")
_FAMILY_TWO_INITIALS = re.compile(rf"(?<![\w'\-.])({_W})[ \t]+([{_UP}]{{2}})(?=[ \t]*(?:$|[.,;:)\]|]))")
# Drug suffixes after a brand (Tylenol ES, Cardizem CD, Wellbutrin XL): no initials.
_DRUG_SUFFIXES = frozenset("ER XR SR CR XL DS ES HC LA CD SA XT DR MR IR HCT EC PM CP".split())
# A preferred or called name (pref. name Grace, Preferred: Steph, prefers to be called Chris).
_PREFERRED = re.compile(
    rf"(?i:\b(?:pref(?:erred)?\.?[ \t]+name|preferred|prefers[ \t]+to[ \t]+be[ \t]+called|goes[ \t]+by|a\.?k\.?a\.?|nickname))"
    rf"[ \t]*:?[ \t]+({_W})"
)
# A name in Hangul or Han characters in parentheses after a Latin one (Inchan Lim (임인찬)), after a
# DICOM PN's = (KIM^SEOYEON=김^서연), or after a Korean role label (판독의 정승하, 보호자 김민수).
_CJK_NAME = r"[\u3400-\u9fff\uac00-\ud7af]{2,5}"
_CJK_AFTER_NAME = re.compile(rf"(?<=[\w.])[ \t]*\(({_CJK_NAME})\)")
_CJK_PN = re.compile(r"=([\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]+(?:\^[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]*)+)")
_CJK_ROLE = re.compile(
    rf"(?:판독의|판독|보호자|환자명|환자|성명|이름|담당의|주치의|의뢰의|검사자|촬영자|의사|간호사)[ \t]*:?[ \t]*({_CJK_NAME})(?![\uac00-\ud7af])"
)


_PREFERRED_WORDS = frozenset("pref preferred prefers goes aka a nickname".split())


def _cjk_names(text: str) -> list[_Cand]:
    """Names in Hangul or Han characters where the layout says so (``_CJK_AFTER_NAME``, ``_CJK_PN``,
    ``_CJK_ROLE``): the detector reads no Korean, Chinese or Japanese text otherwise."""
    out: list[_Cand] = [(m.start(1), m.end(1), _PN, _PAT) for m in _CJK_AFTER_NAME.finditer(text)]
    out.extend((m.start(1), m.end(1), _PN, _PAT) for m in _CJK_PN.finditer(text))
    out.extend((m.start(1), m.end(1), _PN, _PAT) for m in _CJK_ROLE.finditer(text))
    return out


def _linked_names(text: str) -> list[_Cand]:
    """The names of ``_LINKED``, ``_KUNYA`` and ``_DOCTORS``: each side with a name-like, census
    first or census surname word and no stop or technical word (not CT W/O CONTRAST, Opacity s/o
    consolidation)."""
    out: list[_Cand] = []

    def named(span: str) -> bool:
        ws = span.split()
        return not any(_stop(w) or _upper_ascii(w) in _vocab.TECHNICAL for w in ws) and any(
            (_unknown(w) and not _vocab.clinical_shape(_upper_ascii(w))) or _is_first_name(w)
            or _upper_ascii(w) in _vocab.surnames() for w in ws)

    for m in _LINKED.finditer(text):
        for g in (1, 2):
            if named(m[g]):
                out.append((m.start(g), m.end(g), _PN, _PAT))
    for pattern in (_KUNYA, _DOCTORS):
        for m in pattern.finditer(text):
            if named(m[1]):
                out.append((m.start() if pattern is _KUNYA else m.start(1), m.end(1), _PN, _PAT))
    return out


def _paren_names(text: str) -> list[_Cand]:
    """Family (Given) and Given (Other) Family: every word name-like (no dictionary, clinical or
    technical word, no drug or procedure shape), the one in parentheses 3 to 10 letters as given
    names are, or Al- and such a word (not Omnipaque (Iohexol), Furosemide (Lasix), Doppler (Color))."""
    out: list[_Cand] = []
    for m in _PAREN_NAME.finditer(text):
        words = [w for w in (m[1], m[2], m[3].split()[-1] if m[3] else "") if w]
        if not all(2 <= len(part) <= 10 for part in m[2].split("-")) or not all(
                (_unknown(w) or _is_first_name(w)) and not _vocab.clinical_shape(_upper_ascii(w))
                and _upper_ascii(w) not in _vocab.TECHNICAL for w in words):
            continue
        out.append((m.start(1), m.end(3) if m[3] else m.end(2) + 1, _PN, _PAT))
    return out


def _credential_names(text: str) -> list[_Cand]:
    """The words before a credential (``MD``, ``RN``, ``PhD``...) from the first that is no stop
    word or technical term (``Seen with Ana Ruiz, MD``: not ``Seen``); a lone word only when it
    is name-like, a census surname or after an initial (``Okafor, MD``, ``H. Elantary, DO``;
    not ``Radiology, MD``)."""
    out: list[_Cand] = []
    for m in _CREDENTIAL.finditer(text):
        words = list(_NAME_WORD.finditer(text, m.start(1), m.end(1)))
        while words and len(words[0][0].rstrip(".")) > 1 and (
                _stop(words[0][0]) or _upper_ascii(words[0][0]) in _vocab.TECHNICAL
                or _upper_ascii(words[0][0]) in _vocab.ordinary() and len(words) > 2):
            words.pop(0)
        names = [w for w in words if len(w[0].rstrip(".")) > 1]
        if not names or any(_stop(w[0]) for w in names):
            continue
        if len(names) > 1 and all(
                _upper_ascii(w[0]) in _vocab.ordinary() and not _is_first_name(w[0])
                and _upper_ascii(w[0]) not in _vocab.surnames() for w in names):
            continue  # PER WOUND CARE RN: ordinary words before a credential
        up = _upper_ascii(names[0][0])
        # a lone word: name-like, a census surname, or after an initial (H. Elantary, DO)
        initial = len(words) > 1 and len(words[0][0].rstrip(".")) == 1
        if len(names) == 1 and not (_unknown(names[0][0]) or up in _vocab.surnames()
                                    or (initial and up not in _vocab.ordinary() and up not in _vocab.TECHNICAL)):
            continue
        out.append((words[0].start(), words[-1].end(), _PN, _PAT))
    return out


def _lower_cue_names(scan: _Scan) -> list[_Cand]:
    """A name typed in lower case after a cue (``spoke with nigate buraimoh``, ``per demesse
    terayama``, ``wife nelcina mebrate``): two words no dictionary holds, neither the beginning
    of a dictionary word as shorthand is (``per ortho recs``), not both shaped like clinical
    terms (``patient metoprolol succinate``)."""
    out: list[_Cand] = []
    for m in _matches_at(scan, _CUE_WORDS, _CUE_LOWER):
        ups = [_upper_ascii(w) for w in (m[1], m[2])]
        # (one word may begin a dictionary word, `satu` of saturation, when the other is a name-like
        # word of 5+ letters: per satu asikainen; per ortho recs is shorthand)
        short = [_vocab.abbreviation(u) for u in ups]
        if (all(not _stop(u) and u not in _vocab.ordinary() and u not in _vocab.rare_english()
                and u not in _vocab.TECHNICAL and not any(c.isdigit() for c in u) for u in ups)
                and not (any(short) and (all(short) or len(ups[short.index(False)]) < 5))
                and not all(_vocab.clinical_shape(u) for u in ups)):
            out.append((m.start(1), m.end(2), _PN, _PAT))
    return out


def _role_names(scan: _Scan) -> list[_Cand]:
    """The name after a role label (``Operator: M. Skoog``, ``Ref Phys: BRAKE``): its words up
    to a stop word or a technical term that is no census name; an initial alone is no name."""
    out: list[_Cand] = []
    text = scan.text
    pos = 0
    while (m := _ROLE.search(text, pos)) is not None:
        pos = m.end(1)
        end = None
        for w in _NAME_WORD_OR_INITIAL.finditer(text, m.start(1), m.end(1)):
            word = w[0].rstrip(".")
            up = _upper_ascii(word)
            if len(word) == 1:
                if end is not None:
                    end = w.end()  # an initial after the name (Ref: SKOOG M): part of it
                continue  # an initial: part of the name, not a name alone
            if _stop(word) or (up in _vocab.TECHNICAL and up not in _vocab.name_words()):
                pos = w.start()  # the next label may begin here (Nom : X  Prénom : Y)
                break
            end = w.end()
        if end is not None:
            out.append((m.start(1), end, _PN, _PAT))
    return out


_NAME_WORD_OR_INITIAL = re.compile(rf"{_W}|[{_UP}]\.?(?![\w'])")
_GREETING_WORDS = frozenset(("dear", "hello", "hi"))
# Clinicians' credentials written as one word; with dots and RT(R) in _CREDENTIAL besides.
_CREDENTIALS = (
    "MD DO RN PhD NP DDS DMD MBBS FRCR FACR RDMS RDCS RVT RVS CNMT ARRT CRNA APRN FNP LPN BSN MSN".split()
)
_CREDENTIAL_INITIALS = frozenset(("M.D.", "D.O.", "R.N.", "P.A."))
_CREDENTIAL_WORDS = frozenset(c.lower() for c in _CREDENTIALS) | {"rt", "pa"}  # the words of a text that hold one
# One to three name words (an initial among them) before a clinician's credential
# (``Flint Volpicella, MD``, ``Okafor MD``, ``Ana B. Ruiz, M.D.``): a name, whoever it is.
_CREDENTIAL = re.compile(
    rf"(?<![\w'.])(?<!\w-)((?:[{_UP}]\.[ \t]*)?(?:{_W}[ \t]+(?:[{_UP}]\.[ \t]+)?){{0,2}}{_W}),?[ \t]+"
    rf"(?:{'|'.join(_CREDENTIALS)}|M\.D\.|D\.O\.|Ph\.D\.|PA-C|R\.?T\.?(?:\([A-Z]{{1,3}}\))*)"
    r"(?![\w\-])"
)
# FAMILY/GIVEN as some RIS exports write a name (checked in code).
_SLASH_PAIR = re.compile(rf"(?<![\w'\-./])({_W})/({_W})(?![\w'\-/])")
# Two or three initials before a family name (B. B. Mkapa, S.U. Dhoubanjar, I. T. LAKHE); one
# initial is how species are written (S. Aureus, N. MEDIANUS).
_INITIALS_FAMILY = re.compile(rf"(?<![\w'\-.])((?:[{_UP}]\.[ \t]?){{2,3}})((?:{_PARTICLES}[ \t]+)*{_W})(?![\w'\-])")
# FHIR HumanName written out as JSON in a text (a note, a DICOM text element): "family" and "given"
_JSON_NAME = re.compile(r'"(?:family|given)"[ \t]*:[ \t]*(\[[^\]\n]{0,400}\]|"[^"\n]{1,100}")')
_JSON_STRING = re.compile(r'"([^"\n]{1,100})"')
# A greeting before a name (Dear Bandana Seyrek, Hello Nkurunziza, Hi Uralp,).
_GREETING = re.compile(rf"(?<![\w])(?:Dear|DEAR|Hello|HELLO|Hi|HI)[ \t]+({_W})(?:[ \t]+({_W}))?(?![\w'\-])")
# Given "Nick" Family: a nickname in quotes between the given and the family name.
_NICKNAME = re.compile(
    rf"(?<![\w'\-.])({_W})[ \t]+[\"“'][^\"”'\n]{{1,20}}[\"”'][ \t]+((?:{_PARTICLES}[ \t]+)*{_W}(?:[ \t]+{_W})?)(?![\w'\-])"
)
_HL7_TYPE = re.compile(r"[A-Z]{3}\^[A-Z]\d\d(?![\w^])")
# Family (Given) and Given (Other) Family: a given name in parentheses (checked in code).
_PAREN_NAME = re.compile(
    rf"(?<![\w'\-.(])({_W})[ \t]+\(({_W})(?:[ \t]+[{_UP}]\.)?\)(?:[ \t]+((?:{_PARTICLES}[ \t]+)*{_W}))?(?![\w'\-(])"
)
# A title and a lone capital letter (a one-letter family name: Ms. I, Dr. O.), not an initial
# before a name (Dr. J. Okafor).
_TITLE_LETTER = re.compile(
    rf"(?<![\w])(?:(?:Dr|DR|Mr|MR|Mrs|MRS|Ms|MS|Prof|PROF)\.|Dr|Mr|Mrs|Ms|Miss|Prof)[ \t]+"
    rf"([{_UP}])(?![\w'\-]|\.?[ \t]*[{_UP}])"
)
# Given M. Family with a family name of any length, a single letter included (Given M. No).
_GIVEN_INITIAL = re.compile(rf"(?<![\w'\-.])({_W})[ \t]+[{_UP}]\.[ \t]+([{_UP}](?:[{_LO}]*|[{_UP}]+))(?![\w'\-])")
# Family, Given with a one-letter family name (I, JEYN; O, Min-Ji S).
_LETTER_COMMA = re.compile(rf"(?<![\w'\-.^])([{_UP}]),[ \t]*({_W})(?:[ \t]+([{_UP}])\b\.?)?(?![\w'])")
# Family, G. (a display string's family name and initials: ``Dokova, N.``, ``Takizawa, K. M.``).
_FAMILY_INITIALS = re.compile(rf"(?<![\w'\-.^])({_W}),[ \t]*[{_UP}]\.(?:[ \t]*[{_UP}]\.)*(?![\w'\-])")
# A lone capital letter right after a name (Aqtoqty I, Danai I, MD), its dot included.
_LETTER_AFTER = re.compile(rf"[ \t]+([{_UP}]\.?)(?![\w'\-])")
# Family-name endings of many countries (Ashimova, Darbaidze, Petrenko, Hovhannisyan, Ionescu,
# Kowalski, Novakovic, Papadopoulos): with one capitalised word before it, a name.
_SURNAME_END = re.compile(
    r"(?i)^[a-z]{2,}(?:ova|eva|yeva|ov|ev|yev|enko|chuk|yuk|idze|dze|shvili|yan|escu|oglu|ski|ska|sky|skaya|"
    r"vich|wicz|ovic|evic|sson|poulos|opoulou|akis|ides)$"
)
_STATE_UPPER = frozenset(n.upper() for n in _STATE_NAMES) | frozenset(_STATES)
_PARTICLES_BEFORE = re.compile(rf"(?:^|(?<=[\s(,;:|]))((?:{_PARTICLES}[ \t]+)+)\Z")
_PARTICLES_AFTER = re.compile(rf"[ \t]+(?:{_PARTICLES}[ \t]+)+{_W}")
_WORD_BEFORE = re.compile(rf"(?:^|(?<=[\s(,;:|]))({_W})[ ]+\Z")


def _with_particles(text: str, cands: list[_Cand]) -> list[_Cand]:
    """Name candidates grown over the particles of a family name next to them (``van`` in
    ``van Beulingen, Rickey``, ``TER HONCK`` after ``ANGEL``), and ``FAMILY^GIVEN`` over the
    words of a family name before it (``MAJD UDEEN^KELLY``)."""
    out = []
    for s, e, kind, src in cands:
        if kind == _PN:
            m = _PARTICLES_BEFORE.search(text, max(0, s - 40), s)
            if m is not None:
                s = m.start(1)
            m = _INITIAL_BEFORE.search(text, max(0, s - 4), s)
            if m is not None:
                s = m.start(1)
            m = _PARTICLES_AFTER.match(text, e)
            if m is not None:
                e = m.end()
            m = _LETTER_AFTER.match(text, e)
            if m is not None:
                e = m.end(1)  # Danai I, MD: a one-letter family name or an initial after the name
            if "^" in text[s:e]:
                for _ in range(2):
                    m = _WORD_BEFORE.search(text, max(0, s - 40), s)
                    if m is None or _stop(m[1]) or _upper_ascii(m[1]) in _vocab.TECHNICAL:
                        break
                    s = m.start(1)
        out.append((s, e, kind, src))
    return out


def _ordinary_pair(first: str, second: str) -> bool:
    """Both words are ordinary (English or clinical) words and the second is no census surname,
    or both are clinical words (``Vena Cava``)."""
    up1, up2 = _upper_ascii(first), _upper_ascii(second)
    ordinary, clinical = _vocab.ordinary(), _vocab.clinical()
    if up1 in clinical and up2 in clinical:
        return True
    return up1 in ordinary and up2 in ordinary and up2 not in _vocab.name_words()


_NEXT_WORD = re.compile(r"[ \t]+([A-Za-z]+)")


def _eponym(text: str, start: int, end: int) -> bool:
    """A name candidate of a rule by shape that names a method, sign or disease after a person:
    its last word, or the word right after it, is an eponym noun (``Agatston Score``, ``Barrett
    Design Factor``, ``Jones fracture``). A census first name before a noun that is also a census
    surname stays a name (``Mary Ring``), and so does a first name and a name-like word before
    one (``Mary Jones disease``)."""
    words = text[start:end].split()
    if len(words) > 3:
        return False
    nouns = _vocab.EPONYM_NOUNS
    last = _upper_ascii(words[-1])
    if len(words) > 1 and last in nouns:
        return last not in _vocab.name_words() or not _is_first_name(words[0])
    if (
        # two words, or a class letter between them (Kerley B lines); not Given M. Family
        (len(words) == 2 or (len(words) == 3 and len(words[1]) == 1))
        and len(last) >= 4
        and _vocab.clinical_noun(last)
        and last not in _vocab.common_surnames()
        and last not in _vocab.census_first()
        and _upper_ascii(words[0]) not in _vocab.census_first()
    ):
        return True  # Hickman line, McBurney point, Stryker notch: a noun the code dictionary writes in lower case
    m = _NEXT_WORD.match(text, end)
    if m is not None and len(last) == 1 and len(m[1]) >= 4 and _vocab.clinical_noun(m[1].upper()):
        return True  # Kerley B lines: a class letter before a noun the code dictionary writes in lower case
    if m is None or m[1].upper() not in nouns:
        return False
    # a first name stays a name before the noun with a family name after it (Mary Jones disease),
    # not with a second first name that is no frequent surname (Monte Carlo Method)
    return (not _is_first_name(words[0]) or last in _vocab.ordinary()
            or (len(words) == 2 and _is_first_name(words[1]) and last not in _vocab.common_surnames()))


# A reference as clinical text cites one: an abbreviation in capitals, an author and a year
# (``CRL, Nelson 1981``, ``FWP by GA, Williams, 1982``: a method, not a person).
_CITATION = re.compile(r"([A-Z]{2,4}), ?[A-Z][a-z]+")
_CITATION_YEAR = re.compile(r",?[ \t]+(?:18|19|20)\d\d(?!\d)")


def _citation(text: str, start: int, end: int) -> bool:
    """``ABBR, Author YEAR``: the abbreviation is no frequent surname (``LEE, John`` is a name)."""
    m = _CITATION.fullmatch(text, start, end)
    return (m is not None and _CITATION_YEAR.match(text, end) is not None
            and m[1] not in _vocab.common_surnames())


def _unknown(word: str) -> bool:
    """A capitalised word that is neither a stop word nor an ordinary word: name-like."""
    if _stop(word):
        return False
    if sum(c.isalpha() for c in word) < 3:
        return False
    if _vocab.product_or_grade(word):
        return False  # RADspeed, NeuViz, IIF: a product name or a grade
    upper = _upper_ascii(word)
    if "-" in word and _compound(word, upper):
        return False  # End-tidal, Side-stream: a compound of ordinary words
    return not _vocab.known(upper) or upper in _vocab.surnames()


def _compound(word: str, upper: str) -> bool:
    """A hyphenated compound of ordinary (English or clinical) words, written as a compound is
    (a later part in lower case: ``End-tidal``) or holding no census name (``SIDE-STREAM``); not
    ``Hill-Sachs``, ``Mary-Jane``, ``Rose-Marie``."""
    parts = upper.split("-")
    if any(len(p) < 2 or p not in _vocab.ordinary() for p in parts):
        return False
    return any(p[:1].islower() for p in word.split("-")[1:]) or all(p not in _vocab.name_words() for p in parts)


def _short_family(word: str) -> bool:
    """A family name of two or three letters (Su, Ji; OH, LIM): capitalised, no stop, ordinary
    or technical word; in capitals with a vowel (not an acronym such as FCR)."""
    if not 2 <= len(word) <= 3 or _stop(word) or _vocab.product_or_grade(word):
        return False
    upper = _upper_ascii(word)
    if upper in _vocab.TECHNICAL:
        return False
    if upper in _vocab.ordinary():
        return False  # Ambu Bag
    if word[1:].islower():
        return True
    return word.isupper() and any(c in "AEIOUY" for c in upper)


# Seventh round. Latin anatomy as atlases and devices print it (``ARTERIA RADIALIS``,
# ``PROCESSUS MASTOIDEUS``, ``LIGAMENTUM FLAVUM``): a noun in ``-us``/``-um``/``-a`` and an
# adjective or genitive in an ending Latin anatomy uses and family names hardly do.
_LATIN_NOUN = re.compile(r"^[A-Z]{3,}(?:US|UM|A)$")
_LATIN_ADJECTIVE = re.compile(
    r"^[A-Z]{2,}(?:ALIS|ARIS|IALE|NALE|RALE|TALE|VALE|EUS|EUM|ICUS|ICUM|ACUS|AE|ORUM|ARUM|IFORMIS|[^A]UM)$"
)
# Eighth round: a genitive in ``-i`` after a noun in ``-us``, ``-um`` or ``-x`` (``GYRUS CINGULI``,
# ``FALX CEREBELLI``). Not ``-is`` after ``-ia`` (``ARTERIA CAROTIS``: Greek family names end so,
# ``Filippia Alexandridis``), nor ``-a`` after ``-ula`` (``CAPSULA INTERNA``: it cost a name of a
# note in aggregate).
_LATIN_HEAD = re.compile(r"^[A-Z]{3,}(?:US|UM)$|^[A-Z]+[AEIOU][LNR]?X$")
_LATIN_GENITIVE_I = re.compile(r"^[A-Z]{4,}I$")
# Ninth round: an adjective in -oideus/-idea... (``GLANDULA THYROIDEA``, ``OS SPHENOIDEUM``)
# after any Latin noun, and one in -anus, -atus, -inus, -ivus, -tius after a noun in -ulus or
# -vus (``NERVUS MEDIANUS``, ``VENTRICULUS TERTIUS``; not after a given name in -ius: Lithuanian
# family names end so, ``Paulius Mickevicius``).
_LATIN_OID = re.compile(r"^[A-Z]{2,}IDE(?:A|US|UM)$")
_LATIN_DIMINUTIVE = re.compile(r"^[A-Z]{2,}(?:UL|V)US$")
_LATIN_US_ADJECTIVE = re.compile(r"^[A-Z]{3,}(?:ANUS|ATUS|INUS|IVUS|IUS)$")


# Fourteenth round: the head nouns of Terminologia Anatomica. The words after one are its
# adjectives and genitives (ARTERIA RENALIS DEXTRA, VENA SAPHENA MAGNA, MUSCULUS PSOAS MAJOR), never
# a name, whatever their ending; after a head that is a census name too (Vena, Crista, Ramus)
# only words in a Latin ending that are no census names (not Vena Johnson).
_LATIN_HEADS = frozenset(
    """
    ARTERIA ARTERIAE VENA VENAE NERVUS NERVI MUSCULUS MUSCULI OS OSSA GLANDULA GLANDULAE LIGAMENTUM
    LIGAMENTA BRONCHUS BRONCHI PROCESSUS CAPUT COLLUM CORNU LABRUM CELLULAE CRISTA VERMIS CAUDA LINEA
    PES RAMUS RAMI TRUNCUS DUCTUS FOSSA FORAMEN SINUS PLEXUS TENDO BURSA CORPUS NUCLEUS GYRUS SULCUS
    LOBUS LOBULUS ARCUS ANGULUS MARGO FACIES TUBERCULUM TUBEROSITAS CONDYLUS EPICONDYLUS CAPSULA
    VALVA VALVULA VENTRICULUS ATRIUM AURICULA SEPTUM MEATUS CANALIS FISSURA INCISURA SPINA APEX
    BASIS FUNDUS ISTHMUS HILUM HIATUS ANULUS ANNULUS RECESSUS CISTERNA PLICA MEMBRANA FASCIA
    RETINACULUM ARTICULATIO SYMPHYSIS DISCUS MENISCUS CARTILAGO COSTA VERTEBRA PARS REGIO TRACTUS
    FASCICULUS FUNICULUS COLUMNA CORTEX MEDULLA PEDUNCULUS THALAMUS PONS HEPAR LIEN PULMO VESICA
    MANDIBULA MAXILLA CLAVICULA SCAPULA BULBUS LAMINA RADIX TRIGONUM SUTURA FOVEA FORNIX SQUAMA
    ORBITA CAVUM CAVITAS TUNICA ANSA FLEXOR EXTENSOR ABDUCTOR ADDUCTOR
    """.split()
)
_LATIN_HEAD_WORDS = frozenset(h.lower() for h in _LATIN_HEADS)
_LATIN_ENDING = re.compile(r"^[A-Z]{3,}(?:IS|AE|I|A|US|UM|OR|ER|ES|IX|AX|EX|E)$")
_WORD_RUN = re.compile(rf"{_W}")


def _latin_phrases(text: str) -> list[tuple[int, int]]:
    """Spans of a Latin head noun and up to three capitalised words after it (see ``_LATIN_HEADS``)."""
    spans = []
    words = list(_WORD_RUN.finditer(text))
    for i, w in enumerate(words):
        up = _upper_ascii(w[0])
        if up not in _LATIN_HEADS:
            continue
        named = up in _census_first_all() or up in _vocab.surnames()
        end = w.end()
        for nxt in words[i + 1 : i + 4]:
            if text[end : nxt.start()].strip(" \t") or (w[0].isupper() and not nxt[0].isupper()):
                break  # not the next word of the phrase, or another case
            up2 = _upper_ascii(nxt[0])
            if named and (_LATIN_ENDING.match(up2) is None or up2 in _vocab.name_words()):
                break
            end = nxt.end()
        spans.append((w.start(), end))
    return spans


def _outside_latin(text: str, names: list[_Cand]) -> list[_Cand]:
    """The name candidates that lie inside no Latin phrase."""
    spans = _latin_phrases(text)
    if not spans:
        return names
    inside = _SpanIndex(spans).contains
    return [c for c in names if not inside(c[0], c[1])]


def _latin_pair(up1: str, up2: str) -> bool:
    """Two words shaped as Latin anatomy is: a noun in ``-us``, ``-um`` or ``-a`` and an adjective
    or genitive of 5+ letters in ``-alis``, ``-aris``, ``-eus``, ``-icus``, ``-ae``, ``-um``,
    ``-iformis``...; the second no census name (``Marcus Baum``, ``Maria McRae`` stay names).
    And a genitive in ``-i`` after a noun in ``-us``, ``-um`` or ``-x``, where neither word is a
    census name (``Marcus Bellini`` stays a name)."""
    if len(up2) < 5 or up2 in _vocab.name_words():
        return False
    if _LATIN_NOUN.match(up1) is not None and _LATIN_ADJECTIVE.match(up2) is not None:
        # a genitive in -ae after a noun in -us or -um (RAMUS MANDIBULAE), not after a given name in -a
        return not (up2.endswith("AE") and up1.endswith("A"))
    if up1 in _vocab.name_words() or up1 in _vocab.census_first():
        return False
    if _LATIN_HEAD.match(up1) is not None and _LATIN_GENITIVE_I.match(up2) is not None:
        return True
    if _LATIN_OID.match(up2) is not None and (_LATIN_NOUN.match(up1) is not None or _LATIN_HEAD.match(up1) is not None):
        return True
    return _LATIN_DIMINUTIVE.match(up1) is not None and _LATIN_US_ADJECTIVE.match(up2) is not None


# Two-letter words that begin a clause or a phrase, and the two-letter abbreviations of an
# image's plane, view, side or sequence (``Stnd Ax``, ``Chest Lt``): no family name after a
# name-like word.
_FUNCTION_WORDS = frozenset(
    "IN ON AT TO OF OR AS IS BY BE IF IT AN SO WE HE ME MY US UP DO GO "
    "AX AP PA LL RL LT RT SA LA FS PD IR TR CO DW".split()
)
_CLAUSE_END = re.compile(r"[ \t]*(?:$|[,.;:)\]])")
_VALUE_AFTER = re.compile(r"[ \t]*[:=]?[ \t]*[-+]?\d")


def _two_letter_family(text: str, first: str, second: str, end: int) -> bool:
    """``Sekhr Ma``, ``Nirv Pi``, ``Jufang No``: a capitalised name-like word of 4+ letters and a
    two-letter family name written as a name is (a capital and a small letter) that is an English,
    stop or technical word, as romanised syllables are (a technical abbreviation in that case is no
    parameter: not before a value, ``Doppler Pi 1.1``); no function word, and ``No`` only where the
    phrase ends (``Jufang No)``, not ``Doppler No flow``)."""
    if len(second) != 2 or not (second[0].isupper() and second[1].islower()) or not first[1:].islower():
        return False
    up2 = _upper_ascii(second)
    if up2 in _FUNCTION_WORDS or _VALUE_AFTER.match(text, end) is not None:
        return False
    return up2 != "NO" or _CLAUSE_END.match(text, end) is not None


_DAY_AFTER = re.compile(r"\.?[ \t]*\d")


def _shape_only_name(upper: str) -> bool:
    """A word in ``-oma``, ``-ide``, ``-ate`` (or a short one in ``-tion``) that only its ending
    makes clinical: no English, rare English or clinical word (``ISIOMA``, ``OLAMIDE``,
    ``NASUTION``; ``LIPOMA`` and ``HEMATOMA`` are words, and clinical words in ``-tion`` no
    dictionary holds are long: ``REVASCULARIZATION``)."""
    return ((upper.endswith(("OMA", "IDE", "ATE")) or (upper.endswith("TION") and len(upper) <= 9))
            and upper not in _vocab.ordinary() and upper not in _vocab.rare_english()
            and upper not in _vocab.TECHNICAL)


def _family_given(first: str, second: str, up1: str, up2: str) -> bool:
    """``KOBILAROV Median``, ``CHINO Hinka``, ``SOTOMA Pupi``: a word of 3+ letters in capitals, with
    a vowel, and one of 3+ written as a name is, one of them name-like; neither a technical term
    nor a clinical word, and a name-like second word no clinically shaped one (``LIPOMA Left`` is
    no name). A name-like first word before an ordinary one has 5+ letters and two vowels, as a
    family name has and an acronym has not (``TAVR Planning``, ``ACR Accreditation``)."""
    if not (first.isupper() and len(up1) >= 3 and len(up2) >= 3 and second[1:].islower()):
        return False
    vowels = sum(c in "AEIOUY" for c in up1)
    if not vowels or _technical_pair(up1, up2) or up1 in _vocab.clinical() or up2 in _vocab.clinical():
        return False
    if _unknown(second) and not _vocab.clinical_shape(up2):
        return True
    return _unknown(first) and not _vocab.clinical_shape(up1) and len(up1) >= 5 and vowels >= 2


def _technical_pair(up1: str, up2: str) -> bool:
    """Either word is a technical term (a modality, a view, a manufacturer: never a name)."""
    return up1 in _vocab.TECHNICAL or up2 in _vocab.TECHNICAL


def _dictionary_pair(up1: str, up2: str) -> bool:
    """Two words of a dictionary, one of them a rare English word (``GLENOID LABRUM``, ``Talar
    Dome``, ``ROTATOR CUFF``): no name, unless the first is a census first name or the second a
    frequent census surname (``Dines Silva``)."""
    rare = _vocab.rare_english()
    if up1 not in rare and up2 not in rare:
        return _french_pair(up1, up2)
    words = _vocab.ordinary()
    return ((up1 in words or up1 in rare) and (up2 in words or up2 in rare)
            and up1 not in _vocab.census_first() and up2 not in _vocab.common_surnames())


def _french_pair(up1: str, up2: str) -> bool:
    """Two words of the French (or English) dictionary, one of them French, neither a census
    name (``COMPTE RENDU``, ``KYSTE BILIAIRE``, ``ECHOGRAPHIE ABDOMINALE``): report text in French,
    no name (``ROUX AIMEE``, ``BERGER MARTIN`` stay names: census names)."""
    french = _vocab.french()
    if up1 not in french and up2 not in french:
        return False
    words = _vocab.ordinary()
    census = _vocab.census_first()
    surnames = _vocab.surnames()
    return all((u in french or u in words) and u not in census and u not in surnames for u in (up1, up2))


def _shape_names(text: str) -> list[_Cand]:
    """Names by their shape: two name-like words (``Siobhan Okafor``, ``OKAFOR SIOBHAN``), a
    name-like word and a census surname, ``Family, Given`` and names with a particle."""
    out: list[_Cand] = []
    census_last = _vocab.name_words()
    surnames = _vocab.surnames()
    common = _vocab.common_surnames()
    for m in _PAIR.finditer(text):
        first, second = m[1], m[3]
        if _stop(first):
            continue
        if _stop(second):
            # Sekhr Ma, Jufang No: a two-letter family name that is a stop word
            if not m[2] and _unknown(first) and len(first) >= 4 and _two_letter_family(text, first, second, m.end(3)):
                out.append((m.start(1), m.end(3), _PN, _PAT))
            continue
        up1, up2 = _upper_ascii(first), _upper_ascii(second)
        if up2.lower() in _MONTH_WORDS and _DAY_AFTER.match(text, m.end(3)) is not None:
            continue  # Rec'd Nov. 2nd, Seen Jul 8: a month before a day, not a family name
        if not m[2] and (_latin_pair(up1, up2) or _dictionary_pair(up1, up2)):
            continue  # ARTERIA RADIALIS, RAMUS MANDIBULAE, GLENOID LABRUM: anatomy, not a name
        if (
            (_unknown(first) and _unknown(second))  # Siobhan Okafor
            # ... or a name-like word and one in -oma no dictionary holds (Euripa Isioma, Isioma
            # Amamiya: an Igbo given name, not a tumour's)
            or (_unknown(first) and _shape_only_name(up2)) or (_shape_only_name(up1) and _unknown(second))
            or (_unknown(first) and up2 in common and up2 not in _vocab.TECHNICAL)  # Liesbeth Brown
            or (up2 in surnames and up1 not in _vocab.TECHNICAL)  # Edit Peterson
            or (up1 in _vocab.census_first() and up1 not in _vocab.TECHNICAL and _unknown(second))  # Joy Morellato
            or (up1 in common and not m[2] and _is_first_name(second))  # BROWN JAMES
            # Given M. Family: the initial is evidence; one name-like word is enough (Bo A. Sadiqov)
            # (a technical term that is also a census name counts: RAVISHANKAR E. RAO)
            or (m[2] and text[m.end(2) : m.end(2) + 1] == "." and (_unknown(first) or _unknown(second))
                and not any(u in _vocab.TECHNICAL and u not in census_last for u in (up1, up2)))
            # a census first name and a census surname that are both ordinary words (Rob Hart)
            or (up1 in _vocab.census_first() and up2 in census_last and not _technical_pair(up1, up2)
                and not _vocab.clinical_shape(up2) and up1 not in _vocab.clinical() and up2 not in _vocab.clinical())
            # a name-like word and a census surname that is an ordinary word (Aleka Gut)
            or (_unknown(first) and len(up1) >= 4 and len(up2) >= 3 and up2 in census_last
                and not _technical_pair(up1, up2))
            # a name-like word and a short family name that is no ordinary word (Ilija Su, ARDAQ OH)
            or (_unknown(first) and len(up1) >= 4 and not m[2] and _short_family(second))
            # ... or a two-letter family name that is an English or stop word (Sekhr Ma, Jufang No)
            or (_unknown(first) and len(up1) >= 4 and not m[2] and _two_letter_family(text, first, second, m.end(3)))
            # FAMILY Given, the family name in capitals as display strings write it (KOBILAROV
            # Median, CHINO Hinka): one name-like word, no technical or clinical word
            or (not m[2] and _family_given(first, second, up1, up2))
            # a capitalised word and a family name by its ending (Abet Ashimova, Keto Darbaidze)
            or (_SURNAME_END.match(up2) is not None and _unknown(second) and up1 not in _vocab.TECHNICAL
                and not _vocab.clinical_shape(up1) and len(up1) >= 3)
        ):
            out.append((m.start(1), m.end(3), _PN, _PAT))
    if "." in text:
        for m in _GIVEN_INITIAL.finditer(text):
            # Given M. Family: the initial is evidence; any family name after it, short or a stop
            # word (Diana J. No), when the given name is a census or name-like word
            given, family = m[1], m[2]
            up = _upper_ascii(family)
            # a technical term that is also a census name counts here (RAVISHANKAR E. RAO)
            # (and a two-letter one written as a name is, a capital and a small letter: Nisa H. Ga)
            if (_is_first_name(given) or _unknown(given)) and (
                    up not in _vocab.TECHNICAL or up in _vocab.name_words() or (len(family) == 2 and family[1].islower())):
                out.append((m.start(1), m.end(2), _PN, _PAT))
    if "," in text:
        for m in _FAMILY_INITIALS.finditer(text):
            # Family, G.: a name-like or census family name before initials, each with its dot
            up = _upper_ascii(m[1])
            if text[m.end(1) + 1 : m.end()].replace(" ", "").strip("\t") in _CREDENTIAL_INITIALS:
                continue  # Ruiz, M.D.: a credential, not initials (_credential_names)
            if up in _vocab.TECHNICAL or up in _STATE_UPPER or _stop(m[1]):
                continue
            if _unknown(m[1]) or up in surnames or (
                # the whole value: the shape is the evidence, an English word too (Mica, E.; Ani,
                # Z.), unless a clinical one (Vitamin, D.; Hepatitis, B.)
                len(up) >= 3 and not text[: m.start()].strip() and not text[m.end() :].strip()
                and up not in _vocab.clinical() and not _vocab.clinical_noun(up) and not _vocab.clinical_shape(up)
                and up not in _vocab.rare_english()
            ):
                out.append((m.start(1), m.end(), _PN, _PAT))
        for m in _LETTER_COMMA.finditer(text):
            if _unknown(m[2]) or _is_first_name(m[2]):
                out.append((m.start(1), m.end(3) if m[3] else m.end(2), _PN, _PAT))  # I, JEYN: Family, Given
        for m in _COMMA_PAIR.finditer(text):
            family, given = m[1], m[2]
            if (m[3] and len(family) == 2 and family[1].islower() and _upper_ascii(family) not in _FUNCTION_WORDS
                    and len(given) >= 4 and _unknown(given)):
                # No, Chenxuan R: a two-letter family name that is a stop or technical word, before
                # a name-like given name and an initial
                out.append((m.start(1), m.end(3), _PN, _PAT))
                continue
            if _stop(family) or _stop(given) or _upper_ascii(given) in _STATE_UPPER:
                continue  # Springfield, Illinois is a place
            if given.lower() in _CREDENTIAL_WORDS:
                continue  # Demirelli, CNMT: a credential (_credential_names)
            if any(_upper_ascii(w) in _vocab.TECHNICAL and _upper_ascii(w) not in census_last for w in (family, given)):
                # GA, Hadlock: a technical term that is no name; but in capitals a two-letter family
                # name before a name-like given name of 4+ letters that is no census name (PM, SOHYEONG)
                up_given = _upper_ascii(given)
                if (family.isupper() and given.isupper() and len(family) == 2 and len(given) >= 4 and not m[3]
                        and _unknown(given) and up_given not in census_last and up_given not in _vocab.TECHNICAL
                        and _CITATION_YEAR.match(text, m.end(2)) is None):  # OFD by GA, ASUM 2000: a citation
                    out.append((m.start(1), m.end(2), _PN, _PAT))
                continue
            lexicon = _upper_ascii(family) in census_last or _upper_ascii(given) in census_last
            # FAMILY, GIVEN M or all capitals: the form is evidence, one name-like word is enough
            form = (m[3] or (family.isupper() and given.isupper())) and (_unknown(family) or _unknown(given)) and not (
                _technical_pair(_upper_ascii(family), _upper_ascii(given)))
            if (_unknown(family) and (_unknown(given) or lexicon)) or (lexicon and _unknown(given)) or form:
                out.append((m.start(1), m.end(3) if m[3] else m.end(2), _PN, _PAT))
    if " " in text:
        for m in _PARTICLE.finditer(text):
            if not _stop(m[1]) and not _stop(m[3]):
                out.append((m.start(1), m.end(3), _PN, _PAT))
    return out


def _digit_candidates(
    scan: _Scan, want: frozenset[str], dob_dates: frozenset[tuple[int, int, int]]
) -> list[_Cand]:
    """Candidates of the rules that need a digit."""
    text, words = scan.text, scan.words
    out: list[_Cand] = []
    phone = "PHONE_NUMBER" in want and scan.digits >= 7
    dates = _dates(scan) if phone or _DATE in want or _DOB in want else []
    cue = not words.isdisjoint(_DOB_WORDS)
    for s, e, ymd in dates:
        dob = ymd in dob_dates or cue and any(
            s - c.end() <= 15 for c in _DOB_CUE.finditer(text, max(0, s - 40), s)
        )
        kind = _DOB if dob and _DOB in want else _DATE
        if kind in want:
            out.append((s, e, kind, _PAT))
    ssns = []
    if scan.digits >= 9:
        from stdnum.us import ssn as _us_ssn

        if 2 in scan.lengths and 3 in scan.lengths and 4 in scan.lengths:
            for m in _SSN.finditer(text):
                if _us_ssn.is_valid(m[1] + m[3] + m[4]):
                    ssns.append(m.span())
        if 9 in scan.lengths and not words.isdisjoint(_SSN_WORDS):
            ssns.extend(m.span(1) for m in _SSN_BARE.finditer(text) if _us_ssn.is_valid(m[1]))
        if "US_SOCIAL_SECURITY_NUMBER" in want:
            out.extend((s, e, "US_SOCIAL_SECURITY_NUMBER", _PAT) for s, e in ssns)
    ips = []
    if scan.digits >= 4 and text.count(".") >= 3:
        for m in _IPV4.finditer(text):
            try:
                ipaddress.IPv4Address(m[0])
            except ValueError:
                continue
            ips.append(m.span())
        if "IP_ADDRESS" in want:
            out.extend((s, e, "IP_ADDRESS", _PAT) for s, e in ips)
    phones: list[tuple[int, int]] = []
    if phone:
        taken = [(s, e) for s, e, _ in dates] + ssns + ips
        phones = _phones(scan, taken)
        out.extend((s, e, "PHONE_NUMBER", _PAT) for s, e in phones)
    if "MEDICAL_RECORD_NUMBER" in want and scan.digits >= 7:
        # not a date, an SSN, an IP address or a phone number (555-201-3344 passes a checksum or two)
        taken = [(s, e) for s, e, _ in dates] + ssns + ips + phones
        out.extend((s, e, "MEDICAL_RECORD_NUMBER", _PAT) for s, e in _national_ids(text, taken))
    if "AGE" in want and not words.isdisjoint(_AGE_WORDS):
        for m in _AGE_PHRASE.finditer(text):
            if int(m[1]) <= 150:
                out.append((m.start(), m.end(), "AGE", _PAT))
        for m in _AGE_KEY.finditer(text):
            if int(m[1]) <= 150:
                out.append((m.start(1), m.end(1), "AGE", _PAT))
    if "MEDICAL_RECORD_NUMBER" in want and not words.isdisjoint(_MRN_WORDS):
        for m in _matches_at(scan, _MRN_WORDS, _MRN):
            if sum(c.isdigit() for c in m[1]) >= 4:
                out.append((m.start(1), m.end(1), "MEDICAL_RECORD_NUMBER", _PAT))
    if "MEDICAL_RECORD_NUMBER" in want and "784" in words:
        out.extend((m.start(), m.end(), "MEDICAL_RECORD_NUMBER", _PAT) for m in _EMIRATES_ID.finditer(text))
    if "MEDICAL_RECORD_NUMBER" in want and 6 in scan.lengths and 7 in scan.lengths and "-" in text:
        for m in _KOREAN_RRN.finditer(text):
            # a Korean resident registration number: a birth date before it (any century)
            if _valid_date(2000, int(m[2]), int(m[3])) and int(m[2]) > 0:
                out.append((m.start(), m.end(), "MEDICAL_RECORD_NUMBER", _PAT))
    if "MEDICAL_RECORD_NUMBER" in want and "-" in text and scan.digits >= 11 and max(scan.lengths) >= 6:
        for m in _HYPHEN_ID.finditer(text):
            groups = m[0].split("-")
            if sum(len(g) for g in groups) >= 11 and max(len(g) for g in groups) >= 6:
                out.append((m.start(), m.end(), "MEDICAL_RECORD_NUMBER", _PAT))
    if "STREET_ADDRESS" in want and not words.isdisjoint(_SUFFIX_WORDS):
        for m in _STREET.finditer(text):
            street_words = m[1].split()
            if (
                m[2][0].isupper()
                and not any(_stop(w) for w in street_words)
                and any(sum(c.isalpha() for c in w) >= 2 for w in street_words)
            ):
                out.append((m.start(), m.end(), "STREET_ADDRESS", _PAT))
    if "LOCATION" in want and 5 in scan.lengths and not words.isdisjoint(_STATE_WORDS):
        for m in _CITY_STATE_ZIP.finditer(text):
            start = _strip_lead(text, m.start(1), m.end(1))
            out.append((m.start(1) if start is None else start, m.end(), "LOCATION", _PAT))
        for m in _STATE_ZIP.finditer(text):
            if m[1] not in _AMBIGUOUS_STATES or text[: m.start()].rstrip().endswith(","):
                out.append((m.start(), m.end(), "LOCATION", _PAT))
    return out


_PATTERN_CACHE: dict[tuple, tuple[_Cand, ...]] = {}
_PATTERN_CACHE_SIZE = 16384


def _cached_patterns(
    scan: _Scan, want: frozenset[str], dob_dates: frozenset[tuple[int, int, int]]
) -> tuple[_Cand, ...]:
    """``_pattern_candidates`` memoised per worker: archive values repeat a lot.

    Patterns depend only on the text, the wanted types and (for texts with digits) the
    patient's birth dates, so the key holds exactly those. Values live only in this
    process's memory; the cache is cleared when full.
    """
    key = (scan.text, want, dob_dates)
    found = _PATTERN_CACHE.get(key)
    if found is None:
        if len(_PATTERN_CACHE) >= _PATTERN_CACHE_SIZE:
            _PATTERN_CACHE.clear()
        found = _PATTERN_CACHE[key] = tuple(_pattern_candidates(scan, want, dob_dates))
    return found


def _pattern_candidates(
    scan: _Scan, want: frozenset[str], dob_dates: frozenset[tuple[int, int, int]]
) -> list[_Cand]:
    text, words = scan.text, scan.words
    out = _digit_candidates(scan, want, dob_dates) if scan.digits else []
    if "@" in text and "EMAIL_ADDRESS" in want:
        out.extend((m.start(), m.end(), "EMAIL_ADDRESS", _PAT) for m in _EMAIL.finditer(text))
    if "URL" in want and "." in text and not words.isdisjoint(_URL_WORDS):
        urls = [m.span() for m in _URL.finditer(text)]
        urls.extend(m.span() for m in _URL_BARE.finditer(text))
        for s, e in urls:
            e = s + len(text[s:e].rstrip(".,;:!?)]}'\""))
            out.append((s, e, "URL", _PAT))
    if "IP_ADDRESS" in want and text.count(":") >= 2:
        for m in _IPV6.finditer(text):
            candidate = m[0].rstrip(".")
            if candidate.count(":") >= 2 and any(c not in ":." for c in candidate):
                try:
                    ipaddress.IPv6Address(candidate)
                except ValueError:
                    continue
                out.append((m.start(), m.start() + len(candidate), "IP_ADDRESS", _PAT))
    if _PN in want and not words.isdisjoint(_CUE_WORDS):
        out.extend(_lower_cue_names(scan))
    if not scan.upper:
        return out
    if _PN in want:
        names = _name_candidates(scan)
        if names and not words.isdisjoint(_LATIN_HEAD_WORDS):
            names = _outside_latin(text, names)
        out.extend(names)
    if "ORGANIZATION_NAME" in want and not words.isdisjoint(_ORG_WORDS):
        out.extend(_org_candidates(text))
    if "ORGANIZATION_NAME" in want and not words.isdisjoint(_INTL_ORG_WORDS):
        out.extend(_intl_org_candidates(scan))
    if "ORGANIZATION_NAME" in want and ("st" in words or "saint" in words):
        for m in _SAINTS.finditer(text):
            # St. Jeevan's: a hospital named after a saint, any name (not St. Louis, no 's)
            if not _stop(m[1]) and _upper_ascii(m[1]) not in _vocab.TECHNICAL:
                out.append((m.start(), m.end(), "ORGANIZATION_NAME", _PAT))
    if "LOCATION" in want and "," in text and not words.isdisjoint(_STATE_NAME_WORDS):
        for m in _STATE_NAME.finditer(text):
            start = None if m[1] is None else _strip_lead(text, m.start(1), m.end(1))
            out.append((m.start(2) if start is None else start, m.end(2), "LOCATION", _PAT))
    return out


# ---------------------------------------------------------------------------------------
# IDs beside names, and the lines of burned-in text (layout)
# ---------------------------------------------------------------------------------------

HEADER_TEXT = "HEADER_TEXT"
_NAME_KINDS = frozenset({_PN, "FIRST_NAME", "LAST_NAME"})
_EVIDENCE_KINDS = frozenset({_PN, "FIRST_NAME", "LAST_NAME", _DATE, _DOB, "MEDICAL_RECORD_NUMBER", "ORGANIZATION_NAME"})
_ID_NEAR = 30  # characters between a name and a 6+ digit run beside it
_GLUED_ID = re.compile(r"(?<![\d.])\d{6,}(?![\d]|\.\d)")  # 6+ digits, letters around them or not
_TOKEN_RUN = re.compile(r"\S+")


def id_candidates(scan: _Scan, cands: list[_Cand], line: bool) -> list[_Cand]:
    """Runs of 6+ digits (up to 3 letters before them) beside a name, or on a header line (any
    run of 6+ digits there, glued to letters or not)."""
    if not scan.digits or max(scan.lengths, default=0) < 6:
        return []
    text = scan.text
    spans = _SpanIndex((cs, ce) for cs, ce, _, _ in cands)
    names = _SpanIndex((ns, ne) for ns, ne, kind, _ in cands if kind in _NAME_KINDS)
    out: list[_Cand] = []
    # a header line: also a run OCR glued to the text beside it (W: 400 L: 40iD94845306)
    for m in (_GLUED_ID if line else _ID_RUN).finditer(text):
        s, e = m.span()
        if spans.contains(s, e):
            continue  # already a date, a phone number, an ID
        # a name that starts at most _ID_NEAR after the run and ends at most _ID_NEAR before it
        if line or names.meets(s - _ID_NEAR, e + _ID_NEAR):
            out.append((s, e, "MEDICAL_RECORD_NUMBER", _PAT))
    return out


_INTL_ABBR_SET = frozenset(_INTL_ABBR.split("|"))
_INTL_JOIN_SET = frozenset(_INTL_JOIN[3:-1].split("|"))
_FOLDED_WORD = re.compile(r"[^\W\d_][\w'\-]*")


def _intl_place_word(word: str) -> bool:
    """A word of an institution's name or place: capitalised, no stop word or technical term."""
    return word[0].isupper() and not _stop(word) and _upper_ascii(word) not in _vocab.TECHNICAL


def _intl_org_candidates(scan: _Scan) -> list[_Cand]:
    """Institutions of the cue grammar in ``lexicon`` (``_INTL_ORG_FIRST``, ``_INTL_ORG_LAST``):
    the cue capitalised where it comes first (``het ziekenhuis`` is prose), an abbreviation in
    capitals; the name's words capitalised, no stop word or technical term, one of them no
    common English word (not Klinik Notes, Praxis Guidelines)."""
    text, folded = scan.text, scan.folded
    ordinary = _vocab.ordinary()
    out: list[_Cand] = []
    for m in _INTL_ORG_FIRST.finditer(folded):
        start, cue_end = m.span(1)
        cue = text[start:cue_end]
        if not cue[0].isupper() or (m[1] in _INTL_ABBR_SET and not cue.isupper()):
            continue
        end, named = None, False
        for w in _FOLDED_WORD.finditer(folded, m.start(2), m.end(2)):
            word = text[w.start() : w.end()]
            if w[0] in _INTL_JOIN_SET and word.islower():
                continue  # Szpital Wojewodzki w Opolu, Krankenhaus der Barmherzigen Brueder
            if not _intl_place_word(word):
                break
            end, named = w.end(), named or _upper_ascii(word) not in ordinary
        if end is not None and named:
            out.append((start, end, "ORGANIZATION_NAME", _PAT))
    for m in _INTL_ORG_LAST.finditer(folded):
        words = list(_FOLDED_WORD.finditer(folded, m.start(1), m.end(1)))
        start = None
        for w in reversed(words):
            word = text[w.start() : w.end()]
            if start is None and word.islower() and not _stop(word):
                continue  # an adjective before the cue: Tampereen yliopistollinen sairaala
            if not _intl_place_word(word):
                break
            start = w.start()
        if start is None or all(_upper_ascii(text[w.start() : w.end()]) in ordinary for w in words if w.start() >= start):
            continue
        out.append((start, m.end(2), "ORGANIZATION_NAME", _PAT))
    return out


def _org_candidates(text: str) -> list[_Cand]:
    """Institutions: capitalised words before a cue (``BAPTIST MED CTR``), or the cue first
    (``Hospital of X``, ``Centre Hospitalier de X``)."""
    out: list[_Cand] = []
    for m in _ORG.finditer(text):
        start = _strip_lead(text, m.start(1), m.end(1))
        if start is None:
            continue
        before = _ORG_LEAD_BEFORE.search(text, max(0, start - 5), start)
        lead = [_upper_ascii(w.strip("*'.&")) for w in text[start : m.end(1)].split()]
        if all(w in _vocab.TECHNICAL for w in lead):
            continue  # GE Healthcare, a manufacturer
        # a centre, an institute: only after a name-like word of 4+ letters (not AEC Center)
        cue = text[m.end(1) : m.end()].lstrip().lower()
        short = 4 if cue.startswith(("cent", "inst", "women", "memorial", "dialysis", "maternity")) else 0
        if not _ORG_STRONG.search(m[0]) and not _ORG_COMPANY.search(m[0]) and all(
            _vocab.known(_upper_ascii(w.strip("*'.&"))) or _stop(w) or len(w.strip("*'.&")) < short
            for w in text[start : m.end(1)].split()
        ):
            continue  # a weak cue (MEDICAL, Health) after ordinary words: Internal Medicine
        if before is not None:
            start = before.start(1)  # Dr. Dhafer Al-Khulaif Hospital, AT TARAF KIDNEY CENTER, As Samawah ...
        end = m.end()
        if text[m.end(1) : end].strip().lower() in _PLACE_AFTER_CUES:
            # DHQ Hospital Wazirabad, Civil Hospital Thul: the place after the hospital, one or two
            # name-like words (not Mercy Hospital Emergency, X Hospital Radiology)
            for w in _NEXT_WORDS.finditer(text, end):
                if w.start() != end or not _unknown(w[1]) or _upper_ascii(w[1]) in _vocab.TECHNICAL or w.end() - m.end() > 40:
                    break
                end = w.end()
        out.append((start, end, "ORGANIZATION_NAME", _PAT))
    out.extend((m.start(), m.end(), "ORGANIZATION_NAME", _PAT) for m in _ORG_OF.finditer(text))
    for m in _ORG_RS.finditer(text):
        # RS KARKI, RSUD Cibinong: the first word after it name-like (not RS Technique)
        first = m[1].split()[0]
        if (_unknown(first) or _upper_ascii(first) in _vocab.name_words()) and _upper_ascii(first) not in _vocab.TECHNICAL:
            out.append((m.start(), m.end(), "ORGANIZATION_NAME", _PAT))
    return out


# A title or an Arabic article right before an institution's name belongs to it.
_ORG_LEAD_BEFORE = re.compile(
    r"(?:^|(?<=[\s(,;:|]))((?:Dr|DR)\.?|Al|AL|As|AS|At|AT|Ad|AD|Ar|AR|An|AN|El|EL|Ash|ASH|Az|AZ"
    # a family name's particles (de Guzman Clinic, delos Santos Diagnostic Imaging, de los Angeles ...)
    r"|(?:(?i:de|del|dela|delos|van|von|di|da|du|le|la)[ \t]+)*(?i:de|del|dela|delos|de[ \t]+los|de[ \t]+la|de[ \t]+las|van|von|di|da|du))"
    r"[ \t]+\Z"
)
_ORG_COMPANY = re.compile(r"(?:P\.C\.|\bPC|Ltd\.?|LTD\.?|LLC|Inc\.?|INC\.?|PLLC|LLP|GmbH)\Z")
_PLACE_AFTER_CUES = frozenset(("hospital", "hosp", "clinic", "polyclinic", "infirmary"))
_NEXT_WORDS = re.compile(rf"[ \t]+({_OW})(?![\w'\-])")
_LOWER_INITIAL = re.compile(rf"(?<![\w'])[{_LO}]")


def _capital(m: re.Match[str]) -> str:
    upper = m[0].upper()
    return upper if len(upper) == 1 else m[0]  # ß stays: the offsets may not move


def layout_candidates(scan: _Scan, cands: list[_Cand], layout: str) -> list[_Cand]:
    """Findings of a line of burned-in text (``layout`` "line", or "header" for the header block).

    A line in the header block, or a line that holds an identifier the other rules found (a
    date, an ID, a name, an institution), a run of 6+ digits or a name-like word (a capitalised
    word that is no ordinary, technical or clinical word: what OCR reads of a name it glued or
    misread), is a header line: each of its
    words that is not a known technical term (``vocabulary.technical``) is sensitive, with the
    label ``HEADER_TEXT`` (fail closed). ``FAMILY, GIVEN`` of two words that are not technical
    terms is a name on any line (``TEST, ADL``).
    """
    text = scan.text
    out: list[_Cand] = []
    if _ORG_STRONG.search(text) is not None and _LOWER_INITIAL.search(text) is not None:
        # OCR reads a capital as a small letter (olsen Community Clinic): the institution rules
        # run on the line with every word's first letter a capital (the same offsets)
        out.extend(_org_candidates(_LOWER_INITIAL.sub(_capital, text)))
    if "," in text:
        for m in _COMMA_PAIR.finditer(text):
            # a technical term that is also a name (MAX, HEAD) does not make the pair technical
            if not any(_upper_ascii(w) in _vocab.TECHNICAL and _upper_ascii(w) not in _vocab.name_words() for w in (m[1], m[2])):
                out.append((m.start(1), m.end(3) if m[3] else m.end(2), _PN, _PAT))
    evidence = (
        layout == "header"
        or any(kind in _EVIDENCE_KINDS for _, _, kind, _ in cands)
        or (scan.digits >= 6 and _GLUED_ID.search(text) is not None)
        # a name-like word: a name or place the rules do not know, or one that OCR glued to
        # its neighbour or misread (BEATRIZABERNATHY, ABERNATHY.BEATRIZ, Laleview)
        or (scan.upper and any(_name_like(part) for part in _LETTER_RUN.findall(_CAMEL.sub(" ", text))))
    )
    if not evidence:
        return out
    if layout == "header" and _ORG_STRONG.search(text) is not None:
        # at the top edge a strong institution cue makes an institution of whatever capitalised
        # words stand before it, stop and ordinary words too (OK HOSPITAL, NA IMAGING CENTER)
        out.extend((m.start(1), m.end(), "ORGANIZATION_NAME", _PAT) for m in _ORG.finditer(text)
                   if _ORG_STRONG.search(m[0]) is not None)
    out.extend(id_candidates(scan, cands + out, True))
    found = [(s, e) for s, e, kind, _ in cands + out if kind in _EVIDENCE_KINDS]
    names = [(s, e) for s, e, kind, _ in cands + out if kind in _NAME_KINDS]
    words = list(_TOKEN_RUN.finditer(text))
    flagged = _header_words(words, found, names)
    out.extend((words[i].start(), words[i].end(), HEADER_TEXT, _PAT) for i in sorted(flagged))
    return out


_LETTER_RUN = re.compile(r"[^\W\d_]{4,}")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")  # LakeviewMedical: two words OCR glued


def _name_like(word: str) -> bool:
    """A capitalised run of 4+ letters that is no ordinary, technical or clinical word."""
    if not word[0].isupper():
        return False
    upper = _upper_ascii(word)
    return not _vocab.known(upper) or upper in _vocab.surnames()


class _SpanIndex:
    """Spans (possibly overlapping) sorted by start, with the running maximum of their ends:
    each question below is one bisection, not a scan (a header line of 20,000 words)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [s for s, _ in ordered]
        self._max_end = list(itertools.accumulate((e for _, e in ordered), max))

    def _reach(self, k: int) -> int:
        """The largest end among the first ``k`` spans (-1 for none)."""
        return self._max_end[k - 1] if k > 0 else -1

    def holds(self, x: int) -> bool:
        """Some span has start <= x < end."""
        return self._reach(bisect.bisect_right(self._starts, x)) > x

    def ends_after(self, x: int) -> bool:
        """Some span has start < x <= end."""
        return self._reach(bisect.bisect_left(self._starts, x)) >= x

    def contains(self, s: int, e: int) -> bool:
        """Some span has start <= s and e <= end."""
        return self._reach(bisect.bisect_right(self._starts, s)) >= e

    def meets(self, s: int, e: int) -> bool:
        """Some span has start <= e and end >= s (``s`` may be negative)."""
        k = bisect.bisect_right(self._starts, e)
        return k > 0 and self._max_end[k - 1] >= s


def _header_words(words: list[re.Match[str]], found: list[tuple[int, int]], names: list[tuple[int, int]]) -> set[int]:
    """Indexes of the words of a header line that are sensitive (fail closed).

    A word inside a finding is left to it. A word beside an identifier, or beside a word
    already flagged, stays only when it is a technical term or clinically shaped (``VAN LOON
    KARAMA``: LOON is an English word); beside a name or a name-like word, a technical term
    that is also a census name goes too (``DIXON M``, ``NAME NUHU``, ``RAO JYDEV``). Elsewhere a word stays when it is technical,
    clinically shaped or an ordinary English word that is not a census name. A word followed
    by a lone initial (``BIGOT K``) is a name unless technical; the initial goes with it. A
    name-like word goes, also glued to another (``LakeviewMedical``).
    Repeated until nothing changes (flags spread along the line).
    """

    found_index, names_index = _SpanIndex(found), _SpanIndex(names)

    def within(span: tuple[int, int], index: _SpanIndex) -> bool:
        return index.holds(span[0]) or index.ends_after(span[1])

    spans = [m.span() for m in words]
    inside = {i for i, sp in enumerate(spans) if found_index.contains(*sp)}
    uppers = [_upper_ascii(m[0].strip(".,;:|*'\"()[]-_/")) for m in words]
    letters = [sum(c.isalpha() for c in m[0]) for m in words]
    flagged: set[int] = set()
    name_like: set[int] = set()
    changed = True
    while changed:
        changed = False
        for i, m in enumerate(words):
            if i in flagged or i in inside or letters[i] == 0 or m[0][0].isdigit():
                continue
            upper = uppers[i]
            near = [j for j in (i - 1, i + 1) if 0 <= j < len(words)]
            if letters[i] == 1:
                # an initial right after a name (VOGT M): sex markers there go too (fail closed);
                # a letter right before a name is a one-letter family name or an initial (I, SUBIN)
                sensitive = upper.isalpha() and (
                    (i > 0 and (i - 1 in flagged or within(spans[i - 1], names_index)))
                    or (i + 1 < len(words) and len(upper) == 1 and letters[i + 1] > 1
                        and (i + 1 in flagged or within(spans[i + 1], names_index))))
            elif any(_name_like(part) for part in _LETTER_RUN.findall(_CAMEL.sub(" ", m[0]))):
                sensitive = True  # a name-like word, alone or glued to another (LakeviewMedical)
                name_like.add(i)
            else:
                shaped = upper in _vocab.TECHNICAL or _vocab.clinical_shape(upper)
                initial = i + 1 < len(words) and letters[i + 1] == 1 and uppers[i + 1].isalpha() and len(uppers[i + 1]) == 1
                # beside a name or a name-like word (RAO JYDEV), a census name goes even when technical
                if any(within(spans[j], names_index) or j in name_like for j in near) or initial:
                    sensitive = not shaped or upper in _vocab.name_words()
                elif any(within(spans[j], found_index) or j in flagged for j in near):
                    sensitive = not shaped
                else:
                    sensitive = not _vocab.technical(upper.replace("'", "").replace("-", ""))
            if sensitive:
                flagged.add(i)
                changed = True
    return flagged
