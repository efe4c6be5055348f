"""Word lists, precompiled patterns and string helpers of the infoType detector.

Shared by ``patterns`` (pattern and VR rules), ``context`` (header values) and ``detect``
(resolution); see ``transforms.text.detect`` for what each infoType matches.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from functools import cache, lru_cache


from transforms.text.infotypes import DEFAULT_INFO_TYPES


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
# Month names and abbreviations of the languages European devices print, accents folded
# (08-DEZ-2026, 3 févr. 1998, 12 ene 2020, 5 mei 2001, 1998. márc. 3., Marso 3, 1998, 3. marca 1998): used by the month-name date
# grammar only, between a day and a year.
_MONTHS_INTL = {
    1: "januar janvier janv enero ene gennaio gen januari janeiro januarja leden ledna styczen stycznia sijecanj sijecnja ianuarie sausio",
    2: "februar fevrier fevr fev febrero febbraio februari fevereiro febr pebrero februarja unor unora luty lutego veljaca veljace februarie vasario",
    3: "marz mrz mars marzo maart mrt marco marc marcius marso marec marca brezen brezna marzec ozujak ozujka martie mart kovo",
    4: "avril avr abril abr aprile aprilis aprila duben dubna kwiecien kwietnia travanj travnja aprilie balandzio",
    5: "mai mayo maggio mag mei maio maj majus maja kveten kvetna svibanj svibnja gegutes geguzes",
    6: "juni juin junio giugno giu junho junius hunyo junij junija cerven cervna czerwiec czerwca lipanj lipnja iunie birzelio",
    7: "juli juillet juil julio luglio lug julho julius hulyo julij julija cervenec cervence lipiec lipca srpanj srpnja iulie liepos",
    8: "aout agosto ago augustus augusztus avgust avgusta avg srpen srpna sierpien sierpnia kolovoz kolovoza augusti rugpjucio",
    9: "septembre septiembre setiembre settembre set setembro szept szeptember setyembre septembra zari wrzesien wrzesnia rujan rujna septembrie septembar rugsejo",
    10: "oktober okt octobre octubre ottobre ott outubro out oktubre oktobra rijen rijna pazdziernik pazdziernika octombrie oktobar spalio",
    11: "novembre noviembre novembro nobyembre novembra listopad listopadu listopada studeni studenoga noiembrie novembar lapkricio",
    12: "dezember dez decembre diciembre dic dicembre dezembro disyembre decembra prosinec prosince grudzien grudnia prosinac prosinca desember decembrie decembar gruodzio",
}
_MONTH_INTL_NUM = {w: i for i, words in _MONTHS_INTL.items() for w in words.split()}

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
    STROKE TRAUMA PAIN START RESUME STOP HOLD CONTINUE INCREASE DECREASE TAPER ATTENDING
    HOSPITALIST NOM PRENOM NEE EPOUSE EP ANS MME MLLE DRS FORTE MBI PIN MEDICARE MEDICAID PHILHEALTH NPI RRN""".split()
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

_UP = "A-ZÀ-ÖØ-ÞĀ-ɏ"  # Latin-1 and Latin Extended-A/B (both cases: Əmirova, Žanis, İbrahimli)
_LO = "a-zß-öø-ÿĀ-ɏ"
_W = rf"[{_UP}](?:[{_UP}{_LO}]+|'[{_UP}{_LO}][{_UP}{_LO}]{{2,}}|'[Aa][Ll](?=-))(?:['\-][{_UP}{_LO}]+)*"  # a capitalized or all-caps word (O'Neill, O'neal)
# Particles of family names, any case: van der Berg, de Groot, Le Goff, TER HONCK, van 't Wel,
# in 't Veld, dos Santos, bin Laden, Silva e Sousa, Ó Flanagáin, Ní Bhriain, delos Reyes, de los Angeles.
_PARTICLES = (
    r"(?:(?i:(?:in|op|aan|uit|over|voor|bij|toe|tot)[ \t]+(?:'t|het|de|den|der|ten|ter)"
    r"|van|von|vom|zum|zur|zu|de|der|den|des|del|della|dello|dei|di|da|das|dos|du|la|le|lo|te|ter|ten"
    r"|'t|af|av|al|el|bin|bint|binti|ibn|ben|ap|ó|ní|nic|uí|delos|dela|los|las)|do|y|e)(?![\w'])"
)
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
# YYYYMMDD, and the ISO 8601 basic date-time (19340617T034116)
# and the DICOM DT and HL7 DTM written out, YYYYMMDDHHMM[SS[.FFFFFF]][+ZZZZ] (rounds 14 to 17)
_DATE_8 = re.compile(
    rf"{_NO_DIGIT_BEFORE}(\d{{4}})(\d{{2}})(\d{{2}})"
    rf"(?:T\d{{4}}(?:\d{{2}}(?:\.\d{{1,6}})?)?Z?|([01]\d|2[0-3])[0-5]\d(?:[0-5]\d(?:\.\d{{1,6}})?)?(?:[+\-]\d{{4}})?)?"
    rf"{_NO_DIGIT_AFTER}"
)
# YYYY-MM-DD and YYYY/MM/DD, with an ISO 8601 time after a T (2004-07-16T18:22:05.1+02:00)
_DATE_YMD = re.compile(
    rf"(?<![\w.\-/])(\d{{4}})([-/.])(\d{{1,2}})\2(\d{{1,2}})"
    rf"(?:T\d{{2}}:\d{{2}}(?::\d{{2}}(?:\.\d{{1,6}})?)?(?:Z|[+\-]\d{{2}}:?\d{{2}})?)?(?!(?!T\d)\w|[\-/]|\.\d)"
)
_DATE_MDY = re.compile(
    rf"(?<![\w.\-/])(\d{{1,2}})([/.\-])(\d{{1,2}})\2(\d{{4}}|\d{{2}})(?![\w\-/]|\.\d)"
)
_WEEKDAY = r"(?:mon|tue|wed|thu|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\.?,?[ \t]+"
_DATE_MONTH = re.compile(
    # an optional weekday before (Thu, 25 May 2000; Saturday, 12 June 1954) and "of" (10th of May 2021)
    rf"(?i:\b(?:(?:{_WEEKDAY})?(\d{{1,2}})(?:st|nd|rd|th)?(?:[ \t]+of)?[ \t\-]*({_MON})\.?[ \t,\-]*(\d{{4}})"
    rf"|(?:{_WEEKDAY})?({_MON})\.?[ \t]+(\d{{1,2}})(?:st|nd|rd|th)?,?[ \t]+(\d{{4}})"
    rf"|({_MON})\.?,?[ \t]+(\d{{4}})"
    # year first: 1940 Jun 6, 2009-SEP-02, 1993/Dec/26th
    rf"|(\d{{4}})([ \t]+|[\-/])({_MON})\.?\10(\d{{1,2}})(?:st|nd|rd|th)?(?![\-/]?\d))\b)"
)
# Twelfth round: a two-digit year after an apostrophe (07 October '69, Dec 3 '13), and a month and
# day without a year (October 11, Jun. 23rd, the 21st of January: a date's elements other than
# the year are identifiers too): a full month name, or an abbreviation with its dot or an
# ordinal, capitalised, the day not followed by a digit, a colon or a unit.
_DATE_APOSTROPHE = re.compile(
    rf"(?i:\b(?:(\d{{1,2}})(?:st|nd|rd|th)?[ \t\-]*({_MON})\.?|({_MON})\.?[ \t]+(\d{{1,2}})(?:st|nd|rd|th)?,?"
    # thirteenth round: a month and an apostrophe year, no day (March '91)
    rf"|({_MON})\.?)"
    r"[ \t]+['’](\d{2}))(?!\w)"
)
_MONTH_FULL = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_MONTH_ABBR = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)"
_DATE_NO_YEAR = re.compile(
    rf"(?<![\w'])(?:({_MONTH_FULL}|{_MONTH_FULL.upper()})[ \t]+(\d{{1,2}})(?:st|nd|rd|th)?"
    rf"|({_MONTH_ABBR}|{_MONTH_ABBR.upper()})\.[ \t]*(\d{{1,2}})(?:st|nd|rd|th)?"
    rf"|({_MONTH_ABBR}|{_MONTH_ABBR.upper()})[ \t]+(\d{{1,2}})(?:st|nd|rd|th)"
    rf"|(\d{{1,2}})(?:st|nd|rd|th)[ \t]+of[ \t]+({_MONTH_FULL}|{_MONTH_FULL.upper()}))"
    r"(?![\w:]|[ \t]*(?:mg|ml|mm|cm|kg|%|[-/.]\d|,?[ \t]*\d))"
)
# D.M.YYYY with the month in Roman numerals (22.XII.1979, 4-V-2017), as European forms write it.
_ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
_DATE_ROMAN = re.compile(
    r"(?<![\w.\-/])(\d{1,2})([.\-/ ])(XII|XI|X|IX|VIII|VII|VI|V|IV|III|II|I)\2(\d{4})(?![\w]|[.\-/]\d)"
)
# Dates devices print: DD-MON-YY, 24MAY02, D/MON/YYYY; YY-MM-DD-HHMMSS stamps; YYYY.MM.DD.
_DATE_MON_YY = re.compile(
    rf"(?<![\w])(\d{{1,2}})([ \-/]?)({_MON})\2(\d{{2}}|\d{{4}})(?!\w|[\-/]\d)", re.IGNORECASE
)
# Fourteenth round: a month name between any of the separators dates are printed with (space,
# hyphen, slash, dot, a comma, none), in the three orders (Mar-03-1998, 03.MAR.98, 1998MAR03,
# Mar. 3 98, March/3/1998) and month-year (Mar-1998): a grammar, not one more list of forms.
_DSEP = r"(?:[ \t]*[\-/.][ \t]*|,?[ \t]+(?:de[ \t]+)?)"  # 3 de marzo de 1998 (Spanish, Portuguese)
_MON_ANY = rf"(?:{'|'.join(sorted(_MONTH_INTL_NUM, key=len, reverse=True))}|{_MON[3:-1]})"
_DATE_NAMED = re.compile(
    rf"(?i:(?<![\w.\-/])(?:"
    rf"(\d{{1,2}})(?:st|nd|rd|th)?{_DSEP}?({_MON_ANY})\.?{_DSEP}?(\d{{4}}|\d{{2}})"
    rf"|({_MON_ANY})\.?{_DSEP}(\d{{1,2}})(?:st|nd|rd|th)?{_DSEP}(\d{{4}}|\d{{2}})"
    rf"|(\d{{4}}){_DSEP}?({_MON_ANY})\.?{_DSEP}?(\d{{1,2}})(?:st|nd|rd|th)?"
    rf"|({_MON_ANY})\.?{_DSEP}(\d{{4}})"
    r")(?!\w|[\-/.]\d))"
)
# The groups of each order of _DATE_NAMED, by its first group: (day, month, year); day 0 for month-year.
_NAMED_ORDERS = {1: (1, 2, 3), 4: (5, 4, 6), 7: (9, 8, 7), 10: (0, 10, 11)}


def _named_groups(m: re.Match[str]) -> tuple[int, int, int]:
    """(day, month, year) group numbers of a ``_DATE_NAMED`` match, day 0 for month-year."""
    return _NAMED_ORDERS[1 if m[1] else 4 if m[4] else 7 if m[7] else 10]


# a two-digit year is no year before a unit or another number (May 5 10 mg)
_UNIT_AFTER = re.compile(r"[ \t]*(?:mg|mcg|ml|mm|cm|kg|g|%|units?|x\b|[-/.]?\d)", re.IGNORECASE)
# Hijri dates (Saudi and Gulf systems): D/M/YYYY with a year 1300-1499 and AH or H after it
# (04/11/1418 H), or year first (1417/11/27); days 1-30.
_DATE_HIJRI = re.compile(
    r"(?<![\w.\-/])(?:(\d{1,2})([/\-.])(\d{1,2})\2(1[34]\d\d)(?=[ \t]*(?:A\.?H\.?|H|هـ)(?!\w))"
    r"|(1[34]\d\d)([/\-])(\d{1,2})\6(\d{1,2}))(?![\w\-/]|\.\d)"
)
# Korean, Chinese and Japanese dates: 1998년 3월 3일, 1998年3月3日 (eighteenth round).
_DATE_CJK = re.compile(r"(?<!\d)(\d{4})[ \t]*[년年][ \t]*(\d{1,2})[ \t]*[월月][ \t]*(\d{1,2})[ \t]*[일日]")
# A quarter and a year (Q3 1941), as DOB fields of some exports hold a date made coarse.
_DATE_QUARTER = re.compile(r"(?<![\w.\-/])Q([1-4])[ \t]+((?:18|19|20)\d\d)(?![\w\-/]|\.\d)")
# Day and month with a slash, the year after a hyphen or a space (Danish 3/3-1998, Swedish 3/3 1998).
_DATE_DM_Y = re.compile(r"(?<![\w./\-])(\d{1,2})/(\d{1,2})[ \-](\d{4})(?![\w\-/]|\.\d)")
# Day first with a dot after the day and the month and a space between (Central Europe: 3. 3. 1998,
# 19. 04. 1941), a four-digit year (nineteenth round).
_DATE_DMY_SPACED = re.compile(r"(?<![\w.\-/])(\d{1,2})\.[ \t]+(\d{1,2})\.[ \t]*(\d{4})(?!\w|\.\d)")
# Year first with a dot after each part and a space between (Hungarian: 2015. 08. 18.)
_DATE_YMD_SPACED = re.compile(r"(?<![\w.\-/])(\d{4})\.[ \t]+(\d{1,2})\.[ \t]*(\d{1,2})\.(?!\d)")
_DATE_STAMP = re.compile(r"(?<![\w\-])(\d{2})-(\d{2})-(\d{2})-(\d{4,6})(?![\w\-])")
_DATE_DOTTED = re.compile(r"(?<![\w.])(\d{4})\.(\d{2})\.(\d{2})(?![\w]|\.\d)")
# A run of 6+ digits (an ID when a name or a header line is beside it).
_ID_RUN = re.compile(r"(?<![\w.\-/:])(?:[A-Za-z]{0,3})\d{6,}(?![\w.\-/:]|\.\d)")
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
    r"|account(?:[ \t]+(?:number|no\b\.?|#))?"
    # national and hospital IDs: Moroccan CIN, Pakistani CNIC, Emirates ID, Saudi iqama, French IPP
    # and NIR, NHS number
    r"|cin\b|cnic\b|nic\b|eid\b|emirates[ \t]+id\b|iqama(?:[ \t]+(?:no\b\.?|#))?|ipp\b|nir\b"
    r"|national[ \t]+id\b|nhs[ \t]*(?:no\b\.?|number|#)|pin\b|philhealth(?:[ \t]+(?:no\b\.?|#))?|mbi\b|philsys\b"
    r"|npi\b|rrn\b))"
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
    # eighteenth round, first (the longer alternative wins): health services of the UK and
    # Australia, birth and emergency centres
    r"health[ \t]+and[ \t]+social[ \t]+care[ \t]+trust|hospital[ \t]+and[ \t]+health[ \t]+service"
    r"|local[ \t]+health[ \t]+district|(?:university[ \t]+)?health[ \t]+board|integrated[ \t]+care[ \t]+board"
    r"|birth[ \t]+cent(?:er|re)|(?:freestanding[ \t]+)?emergency[ \t]+cent(?:er|re)|"
    r"medical[ \t]+cent(?:er|re)|cancer[ \t]+cent(?:er|re)|health[ \t]+(?:system|cent(?:er|re))"
    r"|med[ \t]+ctr|med[ \t]+cent(?:er|re)|medical[ \t]+ctr|healthcare|hospital|hosp|clinic|university"
    r"|univ|institute|imaging|radiology|infirmary|foundation|polyclinic|family[ \t]+practice"
    # weak cues: an organisation only with a word before them that is not an ordinary word
    r"|medical[ \t]+group|medical|medicine|health|hlth|ctr"
    # eleventh round: a centre or an institute after a word (KIDNEY CENTER, Heart Inst.), a
    # women's and children's hospital, weak too
    r"|cent(?:er|re)|inst\.?|institut|women'?s(?:[ \t]+(?:&|and)[ \t]+children'?s)?"
    r"|memorial|dialysis[ \t]+unit|maternity[ \t]+home"
    # fourteenth round: a general hospital by its town (Tuusula General, JAKOBSTAD GENERAL), weak
    r"|general"
    # seventeenth round: urgent care, a hospice, a rural health unit, a family health team
    r"|urgent[ \t]+care|hospice|rural[ \t]+health[ \t]+unit|family[ \t]+health[ \t]+team|health[ \t]+station"
)
_ORG_STRONG = re.compile(
    r"(?i)\b(?:hospital|hosp|clinic|polyclinic|family[ \t]+practice|university|univ|institute|infirmary|foundation|healthcare"
    r"|med(?:ical)?[ \t]+(?:ctr|cent(?:er|re)|group)|health[ \t]+(?:system|cent(?:er|re))"
    r"|imaging[ \t]+(?:ctr|cent(?:er|re))|social[ \t]+care[ \t]+trust|health[ \t]+service|local[ \t]+health[ \t]+district"
    r"|health[ \t]+board|integrated[ \t]+care[ \t]+board|birth[ \t]+cent(?:er|re)|emergency[ \t]+cent(?:er|re))\b"
)
# Organisation words that need a word before them that is not common English or technical.
_ORG_WEAK = frozenset({"MEDICAL", "MEDICINE", "HEALTH", "HLTH", "CTR", "IMAGING", "RADIOLOGY"})
_ORG_TAIL = (
    r"cent(?:er|re)|group|associates|assocs?|services|partners|department|network|complex|city"
    r"|(?:nhs[ \t]+)?(?:foundation[ \t]+)?trust|team|unit|district"
)
# a company's suffix after an institution (X Radiology, P.C.; X Medical Center Ltd; X Imaging LLC)
_ORG_SUFFIX = (
    r"(?:,?[ \t]+(?:P\.C\.|PC|Ltd\.?|LTD\.?|LLC|L\.L\.C\.|Inc\.?|INC\.?|PLLC|LLP|\((?:Pvt|Private)\.?\)[ \t]+(?:Ltd\.?|Limited)"
    r"|Pvt\.?[ \t]+Ltd\.?|GmbH|Kft\.?|Zrt\.?|S\.A\.|S\.r\.l\.|B\.V\.))?"
)
# Connectors inside an organisation's or a place's name (Hospital of the Cross, Santa Casa de
# Arroio do Sal, Santo Antonio do Leverger).
_ORG_JOIN = r"(?:(?:of(?:[ \t]+the)?|and|&|for|(?i:de|do|da|dos|das|del|della|di|du|des))[ \t]+)"
_ORG = re.compile(
    rf"(?<![\w'\-&.])({_OW}(?:[ \t]+{_ORG_JOIN}?{_OW}){{0,4}})"
    rf"[ \t]+(?i:{_ORG_WORD})(?:[ \t]+(?i:{_ORG_TAIL}))?(?!\w){_ORG_SUFFIX}"
    rf"(?:[ \t]+(?:of|OF)[ \t]+(?:(?:the|THE)[ \t]+)?{_OW}(?:[ \t]+{_OW}){{0,2}})?"
)
# A saint's name as a hospital's (St. Jeevan's, ST. MUGABO'S), checked in code.
_SAINTS = re.compile(rf"(?<![\w'])(?:St|ST|Saint|SAINT)\.?[ \t]+({_W})['’][sS](?![\w'])")
_ORG_OF = re.compile(
    # the cue first: Centre Hospitalier de X, Hosp. X, Clinique X, Hopital X (French and
    # Maghreb forms)
    rf"(?<!\w)(?:(?:Centre|CENTRE|Center|CENTER)[ \t]+(?:Hospitalier|HOSPITALIER)|Hosp\.|HOSP\.|Clinique|CLINIQUE"
    rf"|Polyclinique|POLYCLINIQUE|(?:Ospital|OSPITAL)[ \t]+(?:ng|NG)"
    rf"|H[oô]pital|H[OÔ]PITAL)[ \t]+(?:(?:de|du|des|DE|DU|DES|d'|D')[ \t]*)?{_OW}(?:[ \t]+{_ORG_JOIN}?{_OW}){{0,3}}"
    # fifteenth round: Centre d'Imagerie X, CENTRE DE RADIOLOGIE X, Centre Médical X
    rf"|(?<!\w)(?:Centre|CENTRE|Cabinet|CABINET)[ \t]+(?:(?i:d'imagerie|de[ \t]+radiologie|d'imagerie[ \t]+m[ée]dicale"
    rf"|m[ée]dical|de[ \t]+sant[ée]|de[ \t]+diagnostic))[ \t]+{_OW}(?:[ \t]+{_ORG_JOIN}?{_OW}){{0,3}}"
    rf"|(?<!\w)(?:University|UNIVERSITY|Hospital|HOSPITAL|Institute|INSTITUTE|Clinic|CLINIC)"
    rf"[ \t]+(?:of|OF)[ \t]+(?:(?:the|THE)[ \t]+)?(?:{_PARTICLES}[ \t]+)*{_OW}(?:[ \t]+{_OW}){{0,2}}"
    # Hospital Municipal de Encantado, Clinica Santa Maria do Sul: a word, a connector, a place
    rf"|(?<!\w)(?:Hospital|HOSPITAL|Clinic|CLINIC|Clinica|CLINICA|Policlinico|POLICLINICO)"
    rf"(?:[ \t]+{_OW})?[ \t]+(?i:de|do|da|dos|das|del|di)[ \t]+{_OW}(?:[ \t]+{_ORG_JOIN}?{_OW}){{0,3}}"
    # fourteenth round: Hospital Universitario X, Hospital General Y, Clinica Regional Z: the kind
    # of hospital in Spanish, Portuguese or Italian, then its place
    rf"|(?<!\w)(?:Hospital|HOSPITAL|Clinica|CLINICA|Policlinico|POLICLINICO|Ospedale|OSPEDALE)[ \t]+"
    rf"(?i:universitari[oa]|general|geral|regional|regionale|central|municipal|provincial|nacional|militar"
    rf"|infantil|distrital|comarcal|civile?|estadual|federal|privado|maggiore)"
    rf"[ \t]+(?:(?i:de|do|da|del|di)[ \t]+)?{_OW}(?:[ \t]+{_ORG_JOIN}?{_OW}){{0,3}}"
)
# Rumah Sakit (Indonesian, Malay): RS X, RSUD X, Rumah Sakit X (the words after it checked in code).
_ORG_RS = re.compile(rf"(?<![\w.\-])(?:RS|RSU|RSUD|RSUP|RSIA|Rumah[ \t]+Sakit|RUMAH[ \t]+SAKIT)[ \t]+({_OW}(?:[ \t]+{_OW}){{0,2}})")

_TITLE = re.compile(
    r"(?<![\w])(?:(?:Dr|DR|Mr|Mrs|MRS|Ms|Mx|MX|Prof|PROF|MR|MS|Mme|MME|Mlle|MLLE|Drs|DRS|Dra|DRA|Atty|ATTY|Engr"
    r"|ENGR|Gng|GNG|Bb|Rev|REV|Hon|HON)\.[ \t]*"
    r"|(?:Dr|DR|Mr|Mrs|MRS|Ms|Mx|Miss|MISS|Prof|PROF|Mme|MME|Mlle|MLLE|Pr|Drs|DRS|Dra|Atty|Engr|Gng|Rev)[ \t]+)"
    rf"((?:{_PARTICLES}[ \t]+)*(?:{_W}|[{_UP}]\.)(?:[ \t]+(?:{_PARTICLES}[ \t]+)*(?:{_W}|[{_UP}]\.)){{0,2}})"
)
_NAME_WORD = re.compile(rf"{_W}|[{_UP}]\.")
_NAME_SEQ = re.compile(
    rf"(?<![\w'\-.])({_W})(?=[ \t]+(?:([{_UP}])\.?[ \t]+)?({_W})(?:[ \t]+({_W}))?)"
)
_FAMILY_GIVEN = re.compile(
    rf"(?<![\w'\-.^])({_W})(?=(?:,[ \t]*|\^)({_W})(?:(?:[ \t]+|\^)([{_UP}])\b\.?)?)"
)
# A DICOM PN written out: FAMILY^GIVEN(^MIDDLE...), any letters (components may be empty).
_CARET = re.compile(rf"(?<![\w'\-.^])(?:{_PARTICLES}[ ]+)*[{_UP}{_LO}][{_UP}{_LO}'\-]*(?:\^[{_UP}{_LO}'\-. ]*)*\^[{_UP}{_LO}][{_UP}{_LO}'\-.]*")
# Two (or three) capitalised words, an optional initial between them (overlapping matches).
_PAIR = re.compile(
    rf"(?<![\w'\-.])({_W})(?=[ \t]+(?:([{_UP}])\.?[ \t]+)?({_W})(?![\w'\-]))"
)
# Family names with a particle: Jan van der Berg, Maria da Silva.
_PARTICLE = re.compile(
    rf"(?<![\w'\-.])({_W}(?:[ \t]+[{_UP}]\.)?)[ \t]+((?:{_PARTICLES}[ \t]+)+)({_W})"
)
# Family, Given with any two capitalised words (checked in code).
_COMMA_PAIR = re.compile(rf"(?<![\w'\-.^])({_W}),[ \t]*({_W})(?:[ \t]+([{_UP}])\b\.?)?(?![\w'])")
# A given name and a family name with an Arabic or French prefix (Yemisi el-Lideya, Queila
# d'Odukoya, Melicia al-Takatsu).
_PREFIXED_FAMILY = re.compile(
    rf"(?<![\w'\-.])({_W})[ \t]+((?:al|el|ad|ar|as|ash|at|az|an|abu|ben|bou|d|l)[\-'’]({_W}))(?![\w'\-])"
)
# A cue before a person's name (contact, wife, spoke with, per...) and what separates them.
_CUE_HEAD = (
    r"(?i:\b(?:emergency[ \t]+contact|contact|patient|pt|mother|father|wife|husband|son"
    r"|daughter|called|spoke[ \t]+with|per))(?:[:.,]?[ \t]+\(?|[ \t]*\()"
)
# The same cues before a name typed in lower case (spoke with nigate buraimoh): checked in code.
_CUE_LOWER = re.compile(
    _CUE_HEAD
    + rf"([{_LO}][{_LO}'\-]{{2,}})[ \t]+(?:(?:el|al|bin|binti|bint|ibn|ben|de|da|van|von)[ \t]+)?([{_LO}][{_LO}'\-]{{2,}})(?![\w'\-])"
)
_CUE = re.compile(_CUE_HEAD + rf"({_W})[ \t]+(?:[{_UP}]\.?[ \t]+)?({_W})")

# A label naming a person's role (overlay lines, report footers): the words after it are a name
# (``Operator: M. Skoog``, ``Ref Phys: BRAKE``, ``Read by Okafor``). A label needs its colon,
# a ``... by`` phrase does not. Up to three name words, initials and particles included.
_ROLE_BY = (
    r"(?:referred|read|reported|performed|requested|ordered|signed|dictated|verified|approved|"
    r"interpreted|scanned|reviewed|transcribed)[ \t]+by"
)
_ROLE_LABEL = (
    r"(?:operator|op|ref|referring|ref[ \t]+phys(?:ician)?|ref(?:erring)?[ \t]+(?:dr|md|physician|phys|doctor)|"
    r"sonographer|sono|tech|technologist|technician|radiographer|radiologist|reader|reporting|perf|"
    r"perf[ \t]+phys|performing(?:[ \t]+phys(?:ician)?)?|phys|physician|attending|resident|fellow|surgeon|"
    r"nurse|requesting(?:[ \t]+phys(?:ician)?)?|ordering(?:[ \t]+phys(?:ician)?)?|consultant|examiner|"
    # the patient's name label: ``Name:`` alone or after ``Patient``/``Pt`` (not ``Protocol Name:``)
    r"(?:patient|pt)(?:'s)?[ \t]+name|(?<![A-Za-z][ \t])(?<![A-Za-z])name"
    # French labels (fifteenth round): Nom, Prénom, Nom de naissance, Médecin prescripteur, Manipulateur
    r"|nom(?:[ \t]+(?:de[ \t]+naissance|d'usage|de[ \t]+jeune[ \t]+fille))?|pr[ée]nom|m[ée]decin(?:[ \t]+(?:prescripteur"
    r"|demandeur|traitant|radiologue))?|manipulat(?:eur|rice)|radiologue|op[ée]rat(?:eur|rice)|prescripteur)"
)
_ROLE_NAME_WORD = rf"(?:{_PARTICLES}[ \t]+)*(?:{_W}|[{_UP}]\.|[{_UP}](?![\w'.\-]))"
_ROLE = re.compile(
    rf"(?i:\b(?:{_ROLE_BY}[ \t]*:?|{_ROLE_LABEL}[ \t]*:))[ \t]*"
    rf"({_ROLE_NAME_WORD}(?:,?[ \t]+{_ROLE_NAME_WORD}){{0,2}})"
)
# Seventeenth round: a newborn's name after Baby Boy/Girl, BB, BG, B/O (baby of): checked in code
# (not after C/O: clinicians write it for "complains of").
_NEWBORN = re.compile(
    rf"(?<![\w/])(?:Baby[ \t]+(?:Boy|Girl)|BABY[ \t]+(?:BOY|GIRL)|BB|BG|B/O)[ \t]+"
    rf"((?:{_PARTICLES}[ \t]+)*{_W}(?:[ \t]+(?:{_PARTICLES}[ \t]+)*{_W})?)"
)
# A family name and an initial without its dot (COJUANCO D, Chikiamco T): checked in code.
_FAMILY_BARE_INITIALS = re.compile(rf"(?<![\w'\-.])({_W})[ \t]+([{_UP}])(?=[ \t]*(?:$|[.,;:)\]|]))")
# A capital initial with its dot right before a name (``M. Skoog``): part of the name.
_INITIAL_BEFORE = re.compile(rf"(?:^|(?<=[\s(,;:|]))([{_UP}])\.[ \t]*\Z")

# Prefilters: lower-case tokens one of which must occur for a rule to be tried.
_MONTH_WORDS = frozenset(_MONTHS) | frozenset(m[:3] for m in _MONTHS) | {"sept"}
_MONTH_WORDS_ANY = _MONTH_WORDS | frozenset(_MONTH_INTL_NUM)
_AGE_WORDS = frozenset("y yo yr yrs year years old age aged".split())
_MRN_WORDS = frozenset(
    "mrn mr medical patient pt chart acct account cin cnic nic eid emirates iqama ipp nir national nhs pin "
    "philhealth mbi philsys npi rrn".split()
)
# An Emirates ID (784-YYYY-NNNNNNN-N) needs no label.
_EMIRATES_ID = re.compile(r"(?<![\w\-])784-\d{4}-\d{7}-\d(?![\w\-])")
# A Korean resident registration number (YYMMDD-SNNNNNN): the date and the sex digit checked in code.
_KOREAN_RRN = re.compile(r"(?<![\w\-])(\d{2})(\d{2})(\d{2})-([1-4])\d{6}(?![\w\-])")
# Seventeenth round: digit groups joined by hyphens, 11+ digits, one group of 6+ (PhilHealth
# 31-755595900-8): an ID whatever its label (a phone number has no group of 6).
_HYPHEN_ID = re.compile(r"(?<![\w\-.])\d{1,9}(?:-\d{1,9}){2,4}(?![\w\-]|\.\d)")
_SSN_WORDS = frozenset(("ssn", "social"))
_DOB_WORDS = frozenset(("dob", "b", "born", "birth", "birthdate"))
_TITLE_WORDS = frozenset("dr mr mrs ms mx miss prof mme mlle pr drs dra atty engr gng bb rev hon".split())
_ROLE_WORDS = frozenset(
    "operator op ref referring referred read reported performed requested ordered signed dictated verified "
    "approved interpreted scanned reviewed transcribed sonographer sono tech technologist technician "
    "radiographer radiologist reader reporting perf performing phys physician attending resident fellow "
    "surgeon nurse requesting ordering consultant examiner name nom prenom medecin manipulateur manipulatrice "
    "radiologue operateur operatrice prescripteur".split()
)
_CUE_WORDS = frozenset(
    "contact patient pt mother father wife husband son daughter called spoke per".split()
)
_ORG_WORDS = frozenset(
    "hospital clinic university institute imaging radiology infirmary foundation healthcare "
    "center centre system med medical medicine health hlth ctr hosp univ polyclinic practice inst institut "
    "women womens hospitalier clinique hopital memorial dialysis maternity general ospedale cabinet "
    "urgent hospice rural team station polyclinique ospital trust service district board birth emergency "
    "rs rsu rsud rsup rsia sakit".split()
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
    folded = _fold(name)
    return _MONTH_INTL_NUM.get(folded) or _MONTH_NUM[folded[:3]]


@cache
def _census_first_all() -> frozenset[str]:
    """Upper-case 1990 US Census first names of 3+ letters, common words included."""
    import names as _census  # on first use: a tag-only job never loads the census lists

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


# ---------------------------------------------------------------------------------------
# Institutions in the languages of European and other sites (twentieth round): a grammar of cue
# words, read on the accent-folded, lower-case text; the words are checked in code (capitalised
# in the original, name-like or a place). Cue first: the cue, its adjectives, then the name
# (Klinikum Nordwest, Szpital Wojewodzki w Opolu, Fakultni nemocnice Motol); name first: the name,
# then the cue (Sahlgrenska Universitetssjukhuset, Tampereen yliopistollinen sairaala, Ankara Sehir
# Hastanesi); an abbreviation and a place (UMC Utrecht, KBC Split, FN Motol).
_INTL_CUE_FIRST = (
    r"(?:universitats|kreis|stadtisches[ \t]+)?klinikum|(?:kreis|stadtisches[ \t]+)?krankenhaus|kantonsspital|spital"
    r"|(?:gemeinschafts|radiologische[ \t]+)?praxis|medizinisches[ \t]+versorgungszentrum|radiologie[ \t]+zentrum"
    r"|(?:algemeen[ \t]+|academisch[ \t]+|universitair[ \t]+)?ziekenhuis|(?:universitair[ \t]+)?medisch[ \t]+centrum"
    r"|centro[ \t]+(?:de[ \t]+salud|medico|hospitalar|hospitalario|clinico|de[ \t]+diagnostico|diagnostico)"
    r"|sanatorio|complejo[ \t]+hospitalario|unidade[ \t]+local[ \t]+de[ \t]+saude|casa[ \t]+di[ \t]+cura"
    r"|azienda[ \t]+ospedaliera(?:[ \t]+universitaria)?|presidio[ \t]+ospedaliero|istituto|policlinico"
    r"|szpital(?:[ \t]+(?:wojewodzki|miejski|powiatowy|kliniczny|uniwersytecki|specjalistyczny))?"
    r"|centrum[ \t]+medyczne|przychodnia|(?:fakultni[ \t]+|krajska[ \t]+|mestska[ \t]+)?nemocnice"
    r"|(?:fakultna[ \t]+|univerzitna[ \t]+)?nemocnica|poliklinika|spitalul(?:[ \t]+(?:clinic|judetean|municipal))*"
    r"|(?:opca|klinicka|specijalna)[ \t]+bolnica|klinicki[ \t]+bolnicki[ \t]+centar|dom[ \t]+zdravlja"
    r"|zdravstveni[ \t]+dom|splosna[ \t]+bolnisnica|univerzitetni[ \t]+klinicni[ \t]+center|bolnica|bolnisnica"
    r"|centre[ \t]+(?:hospitalier[ \t]+universitaire|medical|de[ \t]+sante|d'imagerie)|clinique|hopital|clinica"
    r"|ospedale|ospital|rumah[ \t]+sakit|benh[ \t]+vien"
)
_INTL_CUE_LAST = (
    r"(?:universitets|lans|central|region)?(?:sjukhus(?:et)?|sykehus(?:et)?|sjukehus(?:et)?|sygehus(?:et)?|hospital(?:et)?)"
    r"|(?:keskus|yliopistollinen[ \t]+keskus|yliopistollinen[ \t]+|alue)?sairaala|terveyskeskus"
    r"|korhaz|klinika|rendelointezet|(?:devlet|sehir|egitim[ \t]+ve[ \t]+arast[iı]rma|universitesi)[ \t]+hastanesi|hastanesi"
    r"|klinikum|krankenhaus|spital|ziekenhuis|kliniek|nemocnice|bolnica|bolnisnica|szpital"
)
# abbreviations of hospitals before their place (UMC Utrecht, KBC Split, FN Motol, AZ Groeninge)
# (not UZ: Slovenian for ultrasound; not AO, SB, CH, OB: aorta, small bowel, channel, a preposition)
_INTL_ABBR = r"umc|az|chu|chr|fn|kbc|ukc|zd|mvz|asl|aou|uls|lkh"
_INTL_JOIN = r"(?:w|we|in|im|am|an|der|des|di|de|del|della|do|da|dos|van|den|la|le|du|i|u|v|na|s)"
_INTL_ORG_FIRST = re.compile(
    rf"(?<![\w'])({_INTL_CUE_FIRST}|{_INTL_ABBR})((?:[ \t]+(?:{_INTL_JOIN}[ \t]+)?[^\W\d_][\w'\-]*){{1,3}})"
)
_INTL_ORG_LAST = re.compile(rf"((?:[^\W\d_][\w'\-]*[ \t]+){{1,3}})(?:[a-z]+[ \t]+)?({_INTL_CUE_LAST})(?![\w])")
_INTL_ORG_WORDS = frozenset(
    """klinikum krankenhaus kantonsspital spital praxis versorgungszentrum zentrum ziekenhuis centrum centro sanatorio
    complejo unidade casa azienda presidio istituto policlinico szpital przychodnia nemocnice nemocnica poliklinika
    spitalul bolnica centar zdravlja dom bolnisnica center centre clinique hopital hospital clinica ospedale ospital
    rumah benh sjukhus sjukhuset sykehus sykehuset sjukehus sygehus sygehuset hospitalet sairaala keskussairaala
    terveyskeskus korhaz klinika rendelointezet hastanesi kliniek umc az chu chr fn kbc ukc zd mvz asl aou uls lkh
    universitetssjukhuset universitetssykehus universitetssjukehus universitetshospital
    gemeinschaftspraxis universitatsklinikum kreiskrankenhaus regionsjukhuset lanssjukhuset centralsjukhuset
    keskussairaala aluesairaala""".split()
)
