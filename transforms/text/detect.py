"""Local infoType detection in element values: no network, no model download (spec section 5).

This module owns finding infoTypes in one element value. ``detect(text, context, vr,
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

import calendar
import ipaddress
import re
import unicodedata
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import ClassVar

# phonenumbers, names (census lists) and python-stdnum are imported where first used: a
# tag-only job, which never detects text, does not pay for them in every worker process.

from transforms.text.infotypes import DEFAULT_INFO_TYPES, KNOWN_INFO_TYPES

__all__ = ["ContextMatcher", "ContextValue", "Detector", "Finding", "detect"]


@dataclass(frozen=True)
class Finding:
    """One infoType found in a text: ``quote == text[start:end]``."""

    info_type: str
    start: int
    end: int
    quote: str


@dataclass(frozen=True)
class ContextValue:
    """An identifier value taken from the instance's own header."""

    text: str
    info_type: str


# ---------------------------------------------------------------------------------------
# Constants and word lists
# ---------------------------------------------------------------------------------------

_ALL = frozenset(DEFAULT_INFO_TYPES)
_VR, _CTX, _PAT = 2, 1, 0  # finding sources, in order of precedence on equal spans
_RANK = {"DATE_OF_BIRTH": 1, "PERSON_NAME": 2, "LAST_NAME": 1}
_PN, _FIRST, _LAST = "PERSON_NAME", "FIRST_NAME", "LAST_NAME"
_DATE, _DOB = "DATE", "DATE_OF_BIRTH"

_MONTHS = (
    "january february march april may june july august september october november december"
).split()
_MONTH_NUM = {m[:3]: i for i, m in enumerate(_MONTHS, 1)}

# Components of a header PN value that are not names.
_PN_STOP = frozenset(
    "THE AND OF DR MR MRS MS MISS PROF JR SR MD DO PHD RN NP PA II III IV".split()
)
# Census first names that are common English, medical or DICOM words.
_COMMON_FIRST = frozenset(
    """AIDE ALPHA AMBER AMERICA AMI ANA ANGLE APRIL ART ASA ASIA AUGUST AURA AUTUMN BELL
    BILL BLANCH BRAIN BROOK BUCK BUD BUNNY CANDY CARRY CHANCE CHARITY CHASE CHIN CHINA CLAY
    COY CRYSTAL DAISY DALE DAWN DEL DELTA DESTINY DIA DON DOT ECHO EDEN ELSE ERA EVE FAITH
    FERN FOREST GALE GAY GENE GLEN GOLDEN GRACE GRANT GUY HARMONY HONEY HOPE IMA INDIA IRIS
    IVORY IVY JACK JADE JEWEL JOY JUNE KING KIT LADY LANE LEAN LIBERTY LILY LONG MAC MAJOR
    MAN MANY MARK MAX MAY MERCY META MIA MIN MISS MISTY MOON NAN NOBLE NOVA NUMBERS OPAL PAGE
    PAT PATIENCE PEARL PRECIOUS PRINCE RAY REED REX RICH ROB ROCKY ROD ROSE ROYAL RUBY RUSTY
    SAGE SAL SANDY SEASON SEE SID SON SONG SOON SPRING STAR SUE SUMMER SUN SUNNY SUNSHINE
    TAD TIA TINY TOD TRINITY VAN VIOLET WARD WILL WINTER YOUNG""".split()
)
# Capitalized words that are not a surname (or a name word after a title or cue).
_NAME_STOP = frozenset(
    """CT MR MRI US XR PET SPECT NM CR DX MG RF XA CTA MRA DR MRS MS MISS PROF JR SR MD PHD
    RN NP DO II III IV AP PA LAT LL RL AX COR SAG CHEST HEAD BRAIN NECK ABDOMEN ABD PELVIS
    SPINE CERVICAL THORACIC LUMBAR KNEE HIP LUNG LUNGS LIVER HEART CARDIAC THORAX SINUS
    SINUSES BREAST FACE ORBIT ORBITS WRIST ANKLE FOOT HAND ELBOW SHOULDER FEMUR TIBIA RENAL
    KIDNEY KIDNEYS BONE BONES SOFT TISSUE AXIAL CORONAL SAGITTAL OBLIQUE LATERAL FRONTAL
    LEFT RIGHT BILATERAL UPPER LOWER WHOLE BODY CONTRAST WITH WITHOUT WO PRE POST NON
    ROUTINE PROTOCOL SCOUT LOCALIZER TOPOGRAM SURVIEW HELICAL SPIRAL RECON STANDARD SHARP
    SMOOTH THIN THICK PHASE ARTERIAL VENOUS DELAYED PORTAL PERFUSION DIFFUSION FLAIR TRACE
    ADC DWI MIP MPR VOLUME DOSE SERIES STUDY EXAM REPORT IMAGE IMAGES VIEW VIEWS FILM SCAN
    SCREENING DIAGNOSTIC BIOPSY ANGIO NEURO CARDIO VASCULAR NUCLEAR MEDICINE RADIOLOGY
    IMAGING HOSPITAL CENTER CENTRE CLINIC MEDICAL HEALTH HEALTHCARE UNIVERSITY INSTITUTE
    DEPARTMENT DEPT GENERAL MEMORIAL REGIONAL COUNTY COMMUNITY FOUNDATION INFIRMARY SYSTEM
    PATIENT PT DOCTOR PHYSICIAN NURSE TECH RADIOLOGIST PORTABLE UPRIGHT SUPINE PRONE NORMAL
    ABNORMAL FINDINGS IMPRESSION HISTORY INDICATION COMPARISON TECHNIQUE RESULT RESULTS
    PRELIM PRELIMINARY FINAL ADDENDUM PRIMARY SECONDARY ORIGINAL DERIVED OTHER MM CM KV MA
    MAS SEC NO YES NOT AND OR THE OF FOR TO IN ON AT BY FROM AS IS ARE WAS WERE BE HAS HAD
    HAVE WILL MAY CAN THIS THAT THESE THOSE WELL ALSO ALL ANY SOME NONE THERE HERE HE SHE
    HIS HER THEY THEM WE YOU MRN DOB SSN ID AGE SEX MALE FEMALE DATE TIME PHONE EMAIL
    ADDRESS NAME NUMBER RECORD ACCOUNT CHART ACCESSION CONTACT EMERGENCY MOTHER FATHER WIFE
    HUSBAND SON DAUGHTER FAMILY CALLED SPOKE PER SEEN NOTED REVIEWED DISCUSSED TOLERATED
    REFERRED TRANSFERRED ADMITTED DISCHARGED ALLERGIC ALLERGY ALLERGIES NOTE NOTES CONSENT
    PROCEDURE MONDAY TUESDAY WEDNESDAY THURSDAY FRIDAY SATURDAY SUNDAY JANUARY FEBRUARY
    MARCH APRIL JUNE JULY AUGUST SEPTEMBER OCTOBER NOVEMBER DECEMBER MEN WOMEN
    DEFAULT BASELINE FOLLOW UP ACUTE CHRONIC MASS LESION NODULE FRACTURE TUMOR CANCER
    STROKE TRAUMA PAIN""".split()
)

_STATES = (
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH "
    "NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC"
).split()
# Abbreviations that are also common tokens: a ZIP after them needs a comma before them.
_AMBIGUOUS_STATES = frozenset("CT PA MS IN OR ME DE OK HI MA MD LA ID CO AL".split())
_STATE_NAMES = (
    "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|"
    "Georgia|Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|"
    "Massachusetts|Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|"
    "New Hampshire|New Jersey|New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|"
    "Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|"
    "Vermont|Virginia|Washington|West Virginia|Wisconsin|Wyoming|District of Columbia"
).split("|")

# ---------------------------------------------------------------------------------------
# Precompiled patterns
# ---------------------------------------------------------------------------------------

_UP = "A-ZÀ-ÖØ-Þ"
_LO = "a-zß-öø-ÿ"
_W = rf"[{_UP}][{_UP}{_LO}]+(?:['\-][{_UP}{_LO}]+)*"  # a capitalized or all-caps word
_OW = rf"[{_UP}][{_UP}{_LO}'.\-]*"  # a word of an organisation or city name
_NO_DIGIT_BEFORE = r"(?<![\w.])"
_NO_DIGIT_AFTER = r"(?!\w|\.\d)"

_NON_DIGIT = re.compile(r"\D+")
_DIGITS = re.compile(r"\d+")
_NON_SPACE = re.compile(r"\S+")
_SEPARATORS = re.compile(r"[\W_]+")
_ADDRESS_PARTS = re.compile(r"[,^\n;]")
_TOKEN = re.compile(r"[^\W\d_]+|\d+")
_ASCII_TOKEN = re.compile(r"[a-z]+|[0-9]+")  # _TOKEN on lower-case ASCII text, faster
_DIGIT_GROUPS = re.compile(r"\d+(?:(?:[ .\-]|\)[ ]?|[ ]?\()\d+)*")

_MON = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DATE_8 = re.compile(rf"{_NO_DIGIT_BEFORE}(\d{{4}})(\d{{2}})(\d{{2}}){_NO_DIGIT_AFTER}")
_DATE_YMD = re.compile(
    rf"(?<![\w.\-/])(\d{{4}})([-/])(\d{{1,2}})\2(\d{{1,2}})(?!(?!T\d)\w|[\-/]|\.\d)"
)
_DATE_MDY = re.compile(
    rf"(?<![\w.\-/])(\d{{1,2}})([/.\-])(\d{{1,2}})\2(\d{{4}}|\d{{2}})(?![\w\-/]|\.\d)"
)
_DATE_MONTH = re.compile(
    rf"(?i:\b(?:(\d{{1,2}})(?:st|nd|rd|th)?[ \t\-]*({_MON})\.?[ \t,\-]*(\d{{4}})"
    rf"|({_MON})\.?[ \t]+(\d{{1,2}})(?:st|nd|rd|th)?,?[ \t]+(\d{{4}})"
    rf"|({_MON})\.?,?[ \t]+(\d{{4}}))\b)"
)
_DOB_CUE = re.compile(r"(?i)\b(?:d\.?o\.?b|born|birth[ \t]*date|date[ \t]+of[ \t]+birth)\b")
_DA = re.compile(r"(\d{4})(\d{2})(\d{2})")
_DT = re.compile(
    r"(\d{4})(?:(\d{2})(?:(\d{2})(?:\d{2}(?:\d{2}(?:\d{2}(?:\.\d{1,6})?)?)?)?)?)?"
    r"(?:[+\-]\d{4})?"
)
_AS = re.compile(r"\d{3}[DWMY]")

_SSN = re.compile(r"(?<![\d\-])(\d{3})([- ])(\d{2})\2(\d{4})(?![\d\-])")
_SSN_BARE = re.compile(
    r"(?i:\bssn\b|\bsocial[ \t]+security\b)[^\d\n]{0,20}?(?<!\d)(\d{9})(?!\d)"
)
_PHONE_SHAPE = re.compile(
    r"(?:\+?1[ .\-]?)?(?:\(\d{3}\)[ ]?|\d{3}[ .\-]?)?\d{3}[ .\-]?\d{4}"
    r"|\+\d{1,3}[ .\-]?(?:\(?\d{1,4}\)?[ .\-]?){1,4}\d{2,4}"
)
# North American numbers; without an area code only as ddd-dddd (checked in code).
_PHONE_US = re.compile(
    r"(?<![\w+\-.(])(?:\+?1[ .\-]?)?(?:\(\d{3}\)[ ]?|\d{3}[ .\-]?)?\d{3}[ .\-]?\d{4}"
    r"(?![\w\-]|\.\d)"
)

_AGE_PHRASE = re.compile(
    r"(?<![\w.])(\d{1,3})(?:[ \t]*(?i:y/o|y\.o\.|yo\b|yrs?\.?[ \t]+old\b|years?[ \t]+old\b)"
    r"|[ \t\-](?i:year|yr|month|week|day)s?-old\b|Y\b|[ \t]Y(?![ \t]*\w))"
)
_AGE_KEY = re.compile(r"(?i:\bage[d:]?)[ \t]*[:=]?[ \t]*(\d{1,3})(?!\d|\.\d)")

_EMAIL = re.compile(
    r"(?<![\w.+\-])[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}\b"
)
_TLD = r"(?:com|org|net|edu|gov|mil|int|io|info|biz|us|uk|ca|de|fr|au|nl|eu|co|health|ai)"
_URL = re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>\"'\\]+")
_URL_BARE = re.compile(
    rf"(?i)(?<![\w@.\-/])(?:[a-z0-9](?:[a-z0-9\-]{{0,61}}[a-z0-9])?\.)+{_TLD}\b"
    r"(?:/[^\s<>\"'\\]*)?"
)
_IPV4 = re.compile(r"(?<![\w.\-])\d{1,3}(?:\.\d{1,3}){3}(?![\w\-]|\.\d)")
_IPV6 = re.compile(r"(?<![\w:.])[0-9A-Fa-f:.]{2,45}(?![\w:]|\.\w)")

_MRN = re.compile(
    r"(?i:\b(?:mrn|mr[ \t]*#|mr[ \t]*no\b\.?|medical[ \t]+record(?:[ \t]+(?:number|no\b\.?|#))?"
    r"|patient[ \t]+id\b|pt\.?[ \t]+id\b|chart[ \t]*(?:#|no\b\.?|number)|acct\b\.?"
    r"|account(?:[ \t]+(?:number|no\b\.?|#))?))"
    r"[ \t]*[:#=]?[ \t]*([A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)"
)

_SUFFIX = (
    "street|st|avenue|ave|av|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|way|place|pl|"
    "terrace|ter|parkway|pkwy|circle|cir|highway|hwy|trail|trl|square|sq|loop|alley|aly|"
    "plaza|plz|crescent|pike|turnpike|expressway|expy|row|path"
)
_STREET = re.compile(
    rf"(?<![\w\-/.#])\d{{1,6}}[A-Za-z]?((?:[ \t]+[A-Z0-9][A-Za-z0-9'.\-]*){{1,4}})[ \t]+"
    rf"((?i:{_SUFFIX}))\b\.?"
    r"(?:,?[ \t]*(?:(?i:apt|apartment|suite|ste|unit|rm|room|fl|floor|bldg)\b\.?[ \t]*#?|#)"
    r"[ \t]*[A-Za-z0-9][A-Za-z0-9\-]*)?"
)
_ST = "|".join(_STATES)
_CITY_STATE_ZIP = re.compile(
    rf"(?<![\w'\-])((?:{_OW}[ \t]+){{0,2}}{_OW})(?:,[ \t]*|[ \t]+)(?:{_ST})[ \t]+\d{{5}}"
    r"(?:-\d{4})?"
    r"(?![\w\-])"
)
_STATE_ZIP = re.compile(rf"(?<![\w])({_ST})[ \t]+\d{{5}}(?:-\d{{4}})?(?![\w\-])")
_STATE_NAME = re.compile(
    rf"(?:(?<![\w'\-])((?:{_OW}[ \t]+){{0,2}}{_OW}))?,[ \t]*"
    rf"({'|'.join(n for s in _STATE_NAMES for n in (s, s.upper()))})(?![\w])"
)

_ORG_WORD = (
    r"medical[ \t]+cent(?:er|re)|cancer[ \t]+cent(?:er|re)|health[ \t]+(?:system|cent(?:er|re))"
    r"|healthcare|hospital|clinic|university|institute|imaging|radiology|infirmary|foundation"
)
_ORG_TAIL = r"cent(?:er|re)|group|associates|services|partners|department|network"
_ORG = re.compile(
    rf"(?<![\w'\-&.])({_OW}(?:[ \t]+(?:(?:of(?:[ \t]+the)?|and|&|for)[ \t]+)?{_OW}){{0,4}})"
    rf"[ \t]+(?i:{_ORG_WORD})(?:[ \t]+(?i:{_ORG_TAIL}))?(?!\w)"
    rf"(?:[ \t]+(?:of|OF)[ \t]+(?:(?:the|THE)[ \t]+)?{_OW}(?:[ \t]+{_OW}){{0,2}})?"
)
_ORG_OF = re.compile(
    rf"(?<!\w)(?:University|UNIVERSITY|Hospital|HOSPITAL|Institute|INSTITUTE|Clinic|CLINIC)"
    rf"[ \t]+(?:of|OF)[ \t]+(?:(?:the|THE)[ \t]+)?{_OW}(?:[ \t]+{_OW}){{0,2}}"
)

_TITLE = re.compile(
    r"(?<![\w])(?:(?:Dr|DR|Mr|Mrs|MRS|Ms|Prof|PROF|MR|MS)\.[ \t]*"
    r"|(?:Dr|DR|Mr|Mrs|MRS|Ms|Miss|MISS|Prof|PROF)[ \t]+)"
    rf"((?:{_W}|[{_UP}]\.)(?:[ \t]+(?:{_W}|[{_UP}]\.)){{0,2}})"
)
_NAME_WORD = re.compile(rf"{_W}|[{_UP}]\.")
_NAME_SEQ = re.compile(
    rf"(?<![\w'\-.])({_W})(?=[ \t]+(?:([{_UP}])\.?[ \t]+)?({_W})(?:[ \t]+({_W}))?)"
)
_FAMILY_GIVEN = re.compile(
    rf"(?<![\w'\-.^])({_W})(?=(?:,[ \t]*|\^)({_W})(?:(?:[ \t]+|\^)([{_UP}])\b\.?)?)"
)
_CUE = re.compile(
    r"(?i:\b(?:emergency[ \t]+contact|contact|patient|pt|mother|father|wife|husband|son"
    r"|daughter|called|spoke[ \t]+with|per))[:.,]?[ \t]+"
    rf"({_W})[ \t]+(?:[{_UP}]\.?[ \t]+)?({_W})"
)

# Prefilters: lower-case tokens one of which must occur for a rule to be tried.
_MONTH_WORDS = frozenset(_MONTHS) | frozenset(m[:3] for m in _MONTHS) | {"sept"}
_AGE_WORDS = frozenset("y yo yr yrs year years old age aged".split())
_MRN_WORDS = frozenset("mrn mr medical patient pt chart acct account".split())
_SSN_WORDS = frozenset(("ssn", "social"))
_DOB_WORDS = frozenset(("dob", "b", "born", "birth", "birthdate"))
_TITLE_WORDS = frozenset("dr mr mrs ms miss prof".split())
_CUE_WORDS = frozenset(
    "contact patient pt mother father wife husband son daughter called spoke per".split()
)
_ORG_WORDS = frozenset(
    "hospital clinic university institute imaging radiology infirmary foundation healthcare "
    "center centre system".split()
)
_SUFFIX_WORDS = frozenset(_SUFFIX.split("|"))
_STATE_WORDS = frozenset(s.lower() for s in _STATES)
_STATE_NAME_WORDS = frozenset(n.split()[0].lower() for n in _STATE_NAMES)
_URL_WORDS = frozenset(_TLD[3:-1].split("|")) | {"http", "https", "www"}

# ---------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------

_Cand = tuple[int, int, str, int]  # start, end, info_type, source


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    base = unicodedata.normalize("NFKD", char)
    folded = "".join(c for c in base if not unicodedata.combining(c)).lower()
    if len(folded) == 1:
        return folded
    lower = char.lower()
    return lower if len(lower) == 1 else char


def _fold(text: str) -> str:
    """Lower-case, accent-free text of the same length (offsets are kept)."""
    if text.isascii():
        return text.lower()
    return "".join([_fold_char(c) for c in text])


def _upper_ascii(word: str) -> str:
    return word.upper() if word.isascii() else _fold(word).upper()


def _ideographic(char: str) -> bool:
    return ord(char) >= 0x2E80


def _bounded(text: str, start: int, end: int) -> bool:
    """True when text[start:end] is not inside a longer word or number."""
    if start > 0:
        before, first = text[start - 1], text[start]
        if (first.isdigit() and before.isdigit()) or (
            first.isalpha() and before.isalpha() and not _ideographic(first)
        ):
            return False
    if end < len(text):
        last, after = text[end - 1], text[end]
        if (last.isdigit() and after.isdigit()) or (
            last.isalpha() and after.isalpha() and not _ideographic(last)
        ):
            return False
    return True


def _count_digits(text: str) -> int:
    return sum(c.isdigit() for c in text)


def _valid_date(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


def _month(name: str) -> int:
    return _MONTH_NUM[name[:3].lower()]


@cache
def _census_first_all() -> frozenset[str]:
    """Upper-case 1990 US Census first names of 3+ letters, common words included."""
    import names as _census

    found: set[str] = set()
    for key in ("first:male", "first:female"):
        with open(_census.FILES[key], encoding="ascii") as handle:
            found.update(line.split(maxsplit=1)[0] for line in handle if line.strip())
    return frozenset(n for n in found if len(n) >= 3)


@cache
def _census_first_names() -> frozenset[str]:
    """Upper-case 1990 US Census first names (3+ letters), minus common words."""
    return _census_first_all() - _COMMON_FIRST


@cache
def _census_first_lower() -> frozenset[str]:
    return frozenset(n.lower() for n in _census_first_names())


def _is_first_name(word: str) -> bool:
    if not (word[1:].islower() or word.isupper()):
        return False
    return _upper_ascii(word) in _census_first_names()


def _stop(word: str) -> bool:
    return _upper_ascii(word.rstrip(".")) in _NAME_STOP


def _strip_lead(text: str, start: int, end: int) -> int | None:
    """Start of text[start:end] after leading stop words; None if nothing is left."""
    for m in _NON_SPACE.finditer(text, start, end):
        if not _stop(m.group()) and m.group().lower() not in ("of", "the", "and", "&", "for"):
            return m.start()
    return None


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


def _dates(scan: _Scan) -> list[tuple[int, int, tuple[int, int, int]]]:
    """Pattern dates: (start, end, (year, month, day)); day 0 when only month and year."""
    text, lengths = scan.text, scan.lengths
    out = []
    if 8 in lengths:
        for m in _DATE_8.finditer(text):
            y, mo, d = int(m[1]), int(m[2]), int(m[3])
            if 1850 <= y <= 2100 and _valid_date(y, mo, d):
                out.append((m.start(), m.end(), (y, mo, d)))
    slash_or_dash = "-" in text or "/" in text
    short = 1 in lengths or 2 in lengths
    if slash_or_dash and 4 in lengths and short:
        for m in _DATE_YMD.finditer(text):
            y, mo, d = int(m[1]), int(m[3]), int(m[4])
            if 1850 <= y <= 2100 and _valid_date(y, mo, d):
                out.append((m.start(), m.end(), (y, mo, d)))
    if short and (slash_or_dash or "." in text):
        for m in _DATE_MDY.finditer(text):
            a, b, sep, ys = int(m[1]), int(m[3]), m[2], m[4]
            if len(ys) == 2 and sep != "/":
                continue
            y = int(ys) + (2000 if len(ys) == 2 else 0)
            mo, d = (b, a) if sep == "." or (a > 12 and b <= 12) else (a, b)
            if 1850 <= y <= 2100 and _valid_date(y, mo, d):
                out.append((m.start(), m.end(), (y, mo, d)))
    if 4 in lengths and not scan.words.isdisjoint(_MONTH_WORDS):
        for m in _DATE_MONTH.finditer(text):
            if m[1]:
                y, mo, d = int(m[3]), _month(m[2]), int(m[1])
            elif m[4]:
                y, mo, d = int(m[6]), _month(m[4]), int(m[5])
            else:
                y, mo, d = int(m[8]), _month(m[7]), 0
            if 1850 <= y <= 2100 and (d == 0 or _valid_date(y, mo, d)):
                out.append((m.start(), m.end(), (y, mo, d)))
    return out


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
    census = _census_first_lower()
    if not words.isdisjoint(census):
        for m in _matches_at(scan, census, _NAME_SEQ):
            first, second, third = m[1], m[3], m[4]
            if not _is_first_name(first) or _stop(second) or (second.isupper() and len(second) < 3):
                continue
            if _upper_ascii(second) in _COMMON_FIRST:
                continue
            end = m.end(3)
            if third and not m[2] and _is_first_name(second) and not _stop(third):
                end = m.end(4)  # Given Middle Family
            out.append((m.start(1), end, _PN, _PAT))
        if "," in text or "^" in text:
            for m in _FAMILY_GIVEN.finditer(text):
                if _is_first_name(m[2]) and not _stop(m[1]):
                    out.append((m.start(1), m.end(3) if m[3] else m.end(2), _PN, _PAT))
    if not words.isdisjoint(_CUE_WORDS):
        for m in _matches_at(scan, _CUE_WORDS, _CUE):
            # After a cue ("contact April Haynes") a census first name counts even when it
            # is also a month or a common word.
            first_ok = not _stop(m[1]) or _upper_ascii(m[1]) in _census_first_all()
            if first_ok and not _stop(m[2]):
                out.append((m.start(1), m.end(2), _PN, _PAT))
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
    if phone:
        taken = [(s, e) for s, e, _ in dates] + ssns + ips
        out.extend((s, e, "PHONE_NUMBER", _PAT) for s, e in _phones(scan, taken))
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
    if not scan.upper:
        return out
    if _PN in want:
        out.extend(_name_candidates(scan))
    if "ORGANIZATION_NAME" in want and not words.isdisjoint(_ORG_WORDS):
        for m in _ORG.finditer(text):
            start = _strip_lead(text, m.start(1), m.end(1))
            if start is not None:
                out.append((start, m.end(), "ORGANIZATION_NAME", _PAT))
        out.extend((m.start(), m.end(), "ORGANIZATION_NAME", _PAT) for m in _ORG_OF.finditer(text))
    if "LOCATION" in want and "," in text and not words.isdisjoint(_STATE_NAME_WORDS):
        for m in _STATE_NAME.finditer(text):
            start = None if m[1] is None else _strip_lead(text, m.start(1), m.end(1))
            out.append((m.start(2) if start is None else start, m.end(2), "LOCATION", _PAT))
    return out


def _resolve(text: str, cands: Iterable[_Cand]) -> list[Finding]:
    """Non-overlapping findings: VR rule, then longer, then more specific, then context."""
    rank = _RANK.get
    ordered = sorted(
        {(src != _VR, s - e, -rank(kind, 0), -src, s, kind, e) for s, e, kind, src in cands}
    )
    chosen: list[tuple[int, int, str]] = []
    for _, _, _, _, s, kind, e in ordered:
        for cs, ce, _ in chosen:
            if s < ce and cs < e:
                break
        else:
            if s < e:
                chosen.append((s, e, kind))
    chosen.sort()
    return [Finding(kind, s, e, text[s:e]) for s, e, kind in chosen]


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


class ContextMatcher:
    """Detection for the elements of one instance, with its header values as context.

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

    def detect(
        self, text: str, vr: str | None = None, info_types: Collection[str] | None = None
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

        Returns
        -------
        list[Finding]
            The findings; each ``quote`` is ``text[start:end]``.

        Raises
        ------
        ValueError
            If ``info_types`` names an unknown infoType.
        """
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
        scan = _Scan(text)
        cands.extend(self._context_candidates(scan, want))
        cands.extend(_cached_patterns(scan, want, self._dob if scan.digits else frozenset()))
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

    Returns
    -------
    list[Finding]
        Non-overlapping findings sorted by start.

    Raises
    ------
    ValueError
        If ``info_types`` names an unknown infoType.
    """
    return Detector.for_context(context).detect(text, vr, info_types)
