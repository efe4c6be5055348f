"""The Healthcare API ``TextConfig``: how each text finding is transformed (spec 5).

This module owns the transformation of findings (spans of text with an infoType)
once detection has found them; it does no detection itself.

Precedence, first match wins, one rule per finding:

1. a ``CTX`` finding (a contextual descriptor match) always becomes ``[CTX]``;
2. an infoType in ``excludeInfoTypes`` is never transformed;
3. the first ``additionalTransformations`` entry naming the infoType;
4. the first entry with an empty ``infoTypes`` list (the default rule);
5. the profile: ``BASIC`` (also when absent or ``PROFILE_TYPE_UNSPECIFIED``)
   date-shifts ``DATE`` and replaces every other infoType by ``[INFO_TYPE]``;
   ``EMPTY`` leaves it unchanged.

Results stay valid for the element's VR: DA, DT, TM and AS values are either
date-shifted or emptied, and text is cut to the VR's maximum length per value
(per component group for PN). Date shifts use a per-patient offset in days
from HMAC-SHA256(key, patient key), so every worker agrees without shared state.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import hashlib
import hmac
import importlib
import re
from dataclasses import dataclass
from typing import Any, Callable, NamedTuple, Protocol, Sequence

from transforms.configcheck import camel
from transforms.errors import ConfigError, KeyMaterialError
from transforms.text.lexicon import _DATE_NAMED, _MONTH_INTL_NUM, _fold, _named_groups

BASIC = "BASIC"
EMPTY = "EMPTY"
CTX = "CTX"
_KINDS = {
    "replaceWithInfoTypeConfig": "replaceWithInfoType",
    "redactConfig": "redact",
    "characterMaskConfig": "characterMask",
    "cryptoHashConfig": "cryptoHash",
    "dateShiftConfig": "dateShift",
}
_KEY_SIZES = (16, 24, 32)
_TEMPORAL_VRS = frozenset({"DA", "DT", "TM", "AS"})
_MULTI_VALUED_VRS = frozenset({"AE", "AS", "CS", "DA", "DT", "LO", "PN", "SH", "TM", "UC"})
_MAX_LENGTHS = {"AE": 16, "CS": 16, "SH": 16, "LO": 64, "PN": 64, "ST": 1024, "LT": 10240}
_TOKEN_RE = re.compile(r"\[[A-Z0-9_]+\]")


class FindingLike(Protocol):
    """Anything shaped like ``transforms.text.detect.Finding`` (end is exclusive)."""

    @property
    def info_type(self) -> str: ...

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...

    @property
    def quote(self) -> str: ...


@dataclass(frozen=True)
class Rule:
    """One ``additionalTransformations`` entry; empty ``info_types`` = default rule."""

    info_types: frozenset[str]
    kind: str
    masking_character: str = "*"
    crypto_key: bytes | None = None
    kms_wrapped: tuple[str, str] | None = None


@dataclass(frozen=True)
class TextSpec:
    """A parsed ``TextConfig``: profile ``BASIC`` or ``EMPTY``, rules, exclusions."""

    profile: str
    rules: tuple[Rule, ...]
    exclude: frozenset[str]


class _Span(NamedTuple):
    start: int
    end: int
    info_type: str
    rule: Rule | None  # None for CTX


_BASIC_DATE_RULE = Rule(frozenset(), "dateShift")
_BASIC_OTHER_RULE = Rule(frozenset(), "replaceWithInfoType")


def _fields(obj: Any, path: str) -> dict[str, Any]:
    if obj is None:
        return {}
    if not isinstance(obj, dict):
        raise ConfigError([f"{path}: expected a JSON object"])
    return {camel(k): v for k, v in obj.items()}


def _parse_rule(item: Any, path: str) -> Rule:
    f = _fields(item, path)
    kinds = [k for k in _KINDS if k in f]
    if len(kinds) != 1:
        raise ConfigError([f"{path}: needs exactly one of {', '.join(_KINDS)}"])
    conf = _fields(f[kinds[0]], f"{path}.{kinds[0]}")
    rule = Rule(frozenset(f.get("infoTypes") or ()), _KINDS[kinds[0]])
    if rule.kind == "characterMask":
        return Rule(rule.info_types, rule.kind, conf.get("maskingCharacter") or "*")
    if rule.kind not in ("cryptoHash", "dateShift"):
        return rule
    kpath = f"{path}.{kinds[0]}"
    key = None
    if conf.get("cryptoKey") is not None:
        try:
            key = base64.b64decode(conf["cryptoKey"], validate=True)
        except (binascii.Error, ValueError, TypeError):
            key = b""
        if len(key) not in _KEY_SIZES:
            raise ConfigError([f"{kpath}.cryptoKey: must be base64 of a 16, 24 or 32 byte key"])
    wrapped = None
    if conf.get("kmsWrapped") is not None:
        kw = _fields(conf["kmsWrapped"], f"{kpath}.kmsWrapped")
        wrapped = (kw.get("wrappedKey", ""), kw.get("cryptoKey", ""))
    return Rule(rule.info_types, rule.kind, crypto_key=key, kms_wrapped=wrapped)


def parse_text_config(obj: dict[str, Any] | None) -> TextSpec:
    """Return the ``TextSpec`` of a (validated) ``text`` object.

    Parameters
    ----------
    obj : dict or None
        The ``TextConfig`` JSON; camelCase or snake_case keys; None = ``{}``.

    Returns
    -------
    TextSpec
        Profile ``BASIC`` when ``profileType`` is absent or unspecified.

    Raises
    ------
    ConfigError
        If the object is malformed (naming the JSON path, never a value).
    """
    f = _fields(obj, "text")
    profile = EMPTY if f.get("profileType") == EMPTY else BASIC
    name = "additionalTransformations" if "additionalTransformations" in f else "transformations"
    items = f.get(name) or []
    if not isinstance(items, list):
        raise ConfigError([f"text.{name}: expected a list"])
    rules = tuple(_parse_rule(item, f"text.{name}[{i}]") for i, item in enumerate(items))
    return TextSpec(profile, rules, frozenset(f.get("excludeInfoTypes") or ()))


def unwrap_kms_key(wrapped_key_b64: str, crypto_key_name: str) -> bytes:
    """Return the plaintext of a Cloud KMS wrapped key.

    Parameters
    ----------
    wrapped_key_b64 : str
        The base64 ciphertext (``kmsWrapped.wrappedKey``).
    crypto_key_name : str
        The KMS key resource name (``kmsWrapped.cryptoKey``).

    Returns
    -------
    bytes
        The unwrapped key.

    Raises
    ------
    KeyMaterialError
        If google-cloud-kms is not installed, the ciphertext is not base64, the
        KMS call fails or the key is not 16, 24 or 32 bytes.
    """
    try:
        ciphertext = base64.b64decode(wrapped_key_b64, validate=True)
    except (binascii.Error, ValueError, TypeError):
        raise KeyMaterialError("the kmsWrapped wrappedKey is not valid base64") from None
    try:
        kms = importlib.import_module("google.cloud.kms")
    except ImportError:
        raise KeyMaterialError(
            "kmsWrapped keys need the google-cloud-kms package, which is not installed; "
            "install google-cloud-kms or give cryptoKey instead"
        ) from None
    try:
        response = kms.KeyManagementServiceClient().decrypt(
            name=crypto_key_name, ciphertext=ciphertext
        )
        plaintext = bytes(response.plaintext)
    except Exception as exc:  # any client or transport error
        raise KeyMaterialError(
            f"Cloud KMS could not unwrap the kmsWrapped key ({type(exc).__name__})"
        ) from None
    if len(plaintext) not in _KEY_SIZES:
        raise KeyMaterialError("the unwrapped kmsWrapped key is not 16, 24 or 32 bytes long")
    return plaintext


def date_offset_days(patient_key: str, key: bytes) -> int:
    """Return the per-patient date shift, in [-100, -1] or [1, 100] days.

    Parameters
    ----------
    patient_key : str
        PatientID, or StudyInstanceUID when PatientID is empty.
    key : bytes
        The HMAC key.

    Returns
    -------
    int
        Derived from HMAC-SHA256(key, patient_key); never 0.
    """
    digest = hmac.new(key, patient_key.encode("utf-8"), hashlib.sha256).digest()
    n = int.from_bytes(digest[:8], "big") % 200
    return n - 100 if n < 100 else n - 99


def _add_days(d: datetime.date, days: int) -> datetime.date:
    try:
        return d + datetime.timedelta(days=days)
    except OverflowError:
        raise ValueError("the shifted date is out of range") from None


def _ymd(d: datetime.date) -> str:
    return f"{d.year:04d}{d.month:02d}{d.day:02d}"


_DA_RE = re.compile(r"(\d{4})(\d{2})(\d{2})|(\d{4})\.(\d{2})\.(\d{2})")


def shift_da(value: str, days: int) -> str:
    """Return a DA value shifted by ``days``, as ``YYYYMMDD``.

    Parameters
    ----------
    value : str
        ``YYYYMMDD`` or the retired ``YYYY.MM.DD``; padding is ignored.
    days : int
        The offset.

    Returns
    -------
    str
        The shifted date; an empty value stays empty.

    Raises
    ------
    ValueError
        If the value is not a valid date.
    """
    value = value.strip(" \x00")
    if not value:
        return ""
    m = _DA_RE.fullmatch(value)
    if not m:
        raise ValueError("the value is not a DICOM DA date")
    y, mo, d = (int(g) for g in m.groups() if g is not None)
    return _ymd(_add_days(datetime.date(y, mo, d), days))


_DT_RE = re.compile(r"(\d{4}|\d{6}|\d{8}|\d{10}|\d{12}|\d{14})(\.\d{1,6})?([+-]\d{4})?")


def shift_dt(value: str, days: int) -> str:
    """Return a DT value shifted by ``days`` at its own precision.

    Time, fraction and UTC offset are kept as written. A ``YYYYMM`` value is
    read as the 15th of its month and a ``YYYY`` value as 2 July (the middle
    of the period); the shifted middle gives the new month or year. With
    offsets within 100 days a year-only value therefore never changes.

    Parameters
    ----------
    value : str
        ``YYYY[MM[DD[HH[MM[SS[.F]]]]]][&ZZXX]``; padding is ignored.
    days : int
        The offset.

    Returns
    -------
    str
        The shifted value with the same precision; an empty value stays empty.

    Raises
    ------
    ValueError
        If the value is not a valid DT.
    """
    value = value.strip(" \x00")
    if not value:
        return ""
    m = _DT_RE.fullmatch(value)
    if not m or (m.group(2) and len(m.group(1)) != 14):
        raise ValueError("the value is not a DICOM DT")
    digits, tail = m.group(1), (m.group(2) or "") + (m.group(3) or "")
    time = digits[8:]
    limits = (23, 59, 60)
    if any(int(time[i : i + 2]) > limits[i // 2] for i in range(0, len(time), 2)):
        raise ValueError("the value is not a DICOM DT")
    year = int(digits[:4])
    if len(digits) == 4:
        return f"{_add_days(datetime.date(year, 7, 2), days).year:04d}{tail}"
    if len(digits) == 6:
        new = _add_days(datetime.date(year, int(digits[4:6]), 15), days)
        return f"{new.year:04d}{new.month:02d}{tail}"
    new = _add_days(datetime.date(year, int(digits[4:6]), int(digits[6:8])), days)
    return _ymd(new) + time + tail


_MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
_YMD_RE = re.compile(r"(\d{4})([-/.]?)(\d{1,2})\2(\d{1,2})")
_XYY_RE = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})")
_MDY_NAME_RE = re.compile(r"([A-Za-z]{3,9})(\.?)(\s+)(\d{1,2})(,?\s*)(\d{4})")
_DMY_NAME_RE = re.compile(r"(\d{1,2})([\s\-/.]+)([A-Za-z]{3,9})(\.?)([\s\-/.,]+)(\d{4})")
_YMD_NAME_RE = re.compile(r"(\d{4})([\s\-/]+)([A-Za-z]{3,9})(\.?)([\s\-/]+)(\d{1,2})((?:st|nd|rd|th)?)")


def _padded(*parts: str, default: bool) -> bool:
    """Whether numbers are zero-padded: a leading zero says yes, one digit says no."""
    if any(len(p) == 2 and p[0] == "0" for p in parts):
        return True
    if any(len(p) == 1 for p in parts):
        return False
    return default


def _num(n: int, padded: bool) -> str:
    return f"{n:02d}" if padded else str(n)


def _month_number(word: str) -> int | None:
    w = word.lower()
    return next((i for i, m in enumerate(_MONTHS, 1) if w in (m, m[:3])), None)


def _month_name(month: int, like: str, full: bool) -> str:
    name = _MONTHS[month - 1] if full else _MONTHS[month - 1][:3]
    if like.isupper():
        return name.upper()
    return name if like.islower() else name.capitalize()


def _shift_core(s: str, days: int) -> str | None:
    m = _YMD_RE.fullmatch(s)
    if m and (m.group(2) or len(s) == 8):
        y, sep, mo, d = m.groups()
        new = _add_days(datetime.date(int(y), int(mo), int(d)), days)
        pad = _padded(mo, d, default=True)
        return f"{new.year:04d}{sep}{_num(new.month, pad)}{sep}{_num(new.day, pad)}"
    m = _XYY_RE.fullmatch(s)
    if m:
        a, sep, b, y = m.groups()
        year = int(y) if len(y) == 4 else int(y) + (2000 if int(y) < 69 else 1900)
        orders = ("dm", "md") if sep == "." else ("md", "dm")
        for order in orders:
            mo, d = (a, b) if order == "md" else (b, a)
            try:
                old = datetime.date(year, int(mo), int(d))
            except ValueError:
                continue
            new = _add_days(old, days)
            pad = _padded(a, b, default=True)
            first, second = (new.month, new.day) if order == "md" else (new.day, new.month)
            yy = f"{new.year:04d}" if len(y) == 4 else f"{new.year % 100:02d}"
            return f"{_num(first, pad)}{sep}{_num(second, pad)}{sep}{yy}"
        return None
    m = _MDY_NAME_RE.fullmatch(s)
    if m and _month_number(m.group(1)):
        mon, dot, s1, d, s2, y = m.groups()
        new = _add_days(datetime.date(int(y), _month_number(mon) or 0, int(d)), days)
        full = len(mon) > 3 or mon.lower() == "may"
        day = _num(new.day, _padded(d, default=False))
        return f"{_month_name(new.month, mon, full)}{dot}{s1}{day}{s2}{new.year:04d}"
    m = _DMY_NAME_RE.fullmatch(s)
    if m and _month_number(m.group(3)):
        d, s1, mon, dot, s2, y = m.groups()
        new = _add_days(datetime.date(int(y), _month_number(mon) or 0, int(d)), days)
        compact = not any(c.isspace() for c in s1 + s2)
        day = _num(new.day, _padded(d, default=compact))
        name = _month_name(new.month, mon, len(mon) > 3)
        return f"{day}{s1}{name}{dot}{s2}{new.year:04d}"
    m = _YMD_NAME_RE.fullmatch(s)
    if m and _month_number(m.group(3)):
        y, s1, mon, dot, s2, d, ordinal = m.groups()
        new = _add_days(datetime.date(int(y), _month_number(mon) or 0, int(d)), days)
        day = _num(new.day, _padded(d, default=False))
        suffix = _ordinal(new.day) if ordinal else ""
        return f"{new.year:04d}{s1}{_month_name(new.month, mon, len(mon) > 3)}{dot}{s2}{day}{suffix}"
    return None


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_LEAD = re.compile(r"(?i)((?:mon|tue|wed|thu|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?)(\.?,?[ \t]+)")
_DT_DIGITS = re.compile(r"(\d{8})((?:[01]\d|2[0-3])[0-5]\d[0-5]\d(?:\.\d{1,6})?(?:[+\-]\d{4})?)")


def _styled(word: str, like: str) -> str:
    if like.isupper():
        return word.upper()
    return word if like.islower() else word.capitalize()


def _shift_parts(core: str, days: int) -> str | None:
    """A date of the detector's month-name grammar (``Mar-03-1998``, ``03.MAR.98``,
    ``1998MAR03``, ``Tue, 3 Mar 1998``, ``3rd Mar 1998``, ``Mar-1998``) or a DICOM DT written out,
    shifted with every part in its own place and style: padding, case, a full or short month
    name, the year's width, an ordinal, a weekday. A month-year is read as its 15th. A month of
    another language: None (the caller writes the infoType)."""
    m = _DT_DIGITS.fullmatch(core)
    if m is not None:
        shifted = _shift_core(m[1], days)
        return None if shifted is None else shifted + m[2]
    w = _WEEKDAY_LEAD.match(core)
    body = core[w.end() :] if w else core
    m = _DATE_NAMED.fullmatch(_fold(body))
    if m is None:
        return None
    day_g, mon_g, year_g = _named_groups(m)
    if m[mon_g] in _MONTH_INTL_NUM or _month_number(m[mon_g]) is None and m[mon_g] != "sept":
        return None
    month = _month_number(m[mon_g][:3])
    year = int(m[year_g]) if len(m[year_g]) == 4 else int(m[year_g]) + (2000 if int(m[year_g]) < 69 else 1900)
    new = _add_days(datetime.date(year, month or 0, int(m[day_g]) if day_g else 15), days)
    like = body[m.start(mon_g) : m.end(mon_g)]
    parts = [(m.start(year_g), m.end(year_g), f"{new.year:04d}" if len(m[year_g]) == 4 else f"{new.year % 100:02d}"),
             (m.start(mon_g), m.end(mon_g), _month_name(new.month, like, len(like) > 4 or like.lower() in ("june", "july")))]
    if day_g:
        end = m.end(day_g)
        parts.append((m.start(day_g), end, _num(new.day, len(m[day_g]) == 2)))
        if body[end : end + 2].lower() in ("st", "nd", "rd", "th"):
            parts.append((end, end + 2, _styled(_ordinal(new.day), body[end : end + 2])))
    out = body
    for start, end, text in sorted(parts, reverse=True):
        out = out[:start] + text + out[end:]
    if w is None:
        return out
    name = _WEEKDAYS[new.weekday()]
    return _styled(name if len(w[1]) > 3 else name[:3], w[1]) + w[2] + out


def _ordinal(day: int) -> str:
    return "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


_ISO_TIME = re.compile(
    r"T(?:\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?|\d{4}(?:\d{2}(?:\.\d{1,6})?)?)(?:Z|[+\-]\d{2}:?\d{2})?\Z"
)


def shift_text_date(quote: str, days: int) -> str | None:
    """Return a date written in free text shifted by ``days``, in the same format.

    Numeric forms keep their order, separators, zero padding and year width
    (``YYYYMMDD``, ``YYYY-MM-DD``, ``MM/DD/YYYY``, ``M/D/YY``, ``DD.MM.YYYY``
    ...); slash and dash forms are read month first unless that is not a date,
    dot forms day first. Two-digit years pivot at 69 (``00``-``68`` = 20xx).
    Month names keep their style (full or three letters) and case.

    Parameters
    ----------
    quote : str
        The text of the finding; surrounding whitespace is kept.
    days : int
        The offset.

    Returns
    -------
    str or None
        The shifted date, or None if the text is not a date this reads.
    """
    m = re.fullmatch(r"(\s*)(.*?)(\s*)", quote, re.DOTALL)
    lead, core, trail = m.groups() if m else ("", quote, "")
    # an ISO 8601 time after the date stays as it is: a whole-day shift (2004-07-16T18:22)
    iso = _ISO_TIME.search(core)
    time = iso.group() if iso is not None and iso.start() > 0 else ""
    try:
        shifted = _shift_core(core[: len(core) - len(time)], days)
        if shifted is None:
            shifted = _shift_parts(core[: len(core) - len(time)], days)
    except ValueError:
        return None
    return None if shifted is None else lead + shifted + time + trail


def _cut(value: str, limit: int) -> str:
    """Cut to ``limit`` characters, before a ``[INFO_TYPE]`` token rather than inside it."""
    if len(value) <= limit:
        return value
    for m in _TOKEN_RE.finditer(value):
        if m.start() < limit < m.end() and m.start() > 0:
            return value[: m.start()]
    return value[:limit]


def _fit(text: str, vr: str | None) -> str:
    limit = _MAX_LENGTHS.get(vr or "")
    if limit is None:
        return text
    values = text.split("\\") if vr in _MULTI_VALUED_VRS else [text]
    if vr == "PN":
        values = ["=".join(_cut(g, limit) for g in v.split("=")) for v in values]
    else:
        values = [_cut(v, limit) for v in values]
    return "\\".join(values)


def _unwrap_rule(rule: Rule) -> bytes:
    return unwrap_kms_key(*(rule.kms_wrapped or ("", "")))


class TextTransformer:
    """Apply a ``TextSpec`` to findings in element values.

    Parameters
    ----------
    spec : TextSpec
        The parsed ``text`` config.
    default_key : bytes
        Key of cryptoHash and dateShift rules that carry none (the job's key).
    key_resolver : callable, optional
        Returns the key of a rule with ``kms_wrapped``; called once per such
        rule, by the constructor. Default: ``unwrap_kms_key`` (Cloud KMS).

    Raises
    ------
    KeyMaterialError
        If a kmsWrapped key cannot be unwrapped.
    """

    def __init__(
        self,
        spec: TextSpec,
        default_key: bytes,
        key_resolver: Callable[[Rule], bytes] | None = None,
    ) -> None:
        self.spec = spec
        self._default_key = default_key
        self._named: dict[str, Rule] = {}
        for rule in spec.rules:
            for info_type in rule.info_types:
                self._named.setdefault(info_type, rule)
        self._default = next((r for r in spec.rules if not r.info_types), None)
        self._kms_keys: dict[Rule, bytes] = {}
        for rule in spec.rules:
            if rule.kms_wrapped and rule.crypto_key is None and rule not in self._kms_keys:
                self._kms_keys[rule] = (key_resolver or _unwrap_rule)(rule)

    def rule_for(self, info_type: str) -> Rule | None:
        """Return the rule for ``info_type``, or None to leave it unchanged.

        Parameters
        ----------
        info_type : str
            The finding's infoType.

        Returns
        -------
        Rule or None
            Per the precedence in the module docstring (``CTX`` aside).
        """
        if info_type in self.spec.exclude:
            return None
        rule = self._named.get(info_type, self._default)
        if rule is not None or self.spec.profile == EMPTY:
            return rule
        return _BASIC_DATE_RULE if info_type == "DATE" else _BASIC_OTHER_RULE

    def _key(self, rule: Rule) -> bytes:
        return rule.crypto_key or self._kms_keys.get(rule) or self._default_key

    def _spans(self, text: str, findings: Sequence[FindingLike]) -> list[_Span]:
        """Findings that have a rule, in order; overlapping ones are merged."""
        found = []
        for f in findings:
            start, end = max(0, int(f.start)), min(len(text), int(f.end))
            rule = None if f.info_type == CTX else self.rule_for(f.info_type)
            if start < end and (rule is not None or f.info_type == CTX):
                found.append(_Span(start, end, f.info_type, rule))
        found.sort(key=lambda s: (s.start, s.start - s.end))
        merged: list[_Span] = []
        for span in found:
            if merged and span.start < merged[-1].end:
                last = merged[-1]
                lead = span if span.end - span.start > last.end - last.start else last
                merged[-1] = _Span(last.start, max(last.end, span.end), lead.info_type, lead.rule)
            else:
                merged.append(span)
        return merged

    def _replace(self, value: str, span: _Span, vr: str | None, patient_key: str) -> str:
        info_type, rule = span.info_type, span.rule
        if rule is None:
            return f"[{CTX}]"
        if rule.kind == "redact":
            return ""
        if rule.kind == "characterMask":
            return rule.masking_character * len(value)
        if rule.kind == "cryptoHash":
            digest = hmac.new(self._key(rule), value.encode("utf-8"), hashlib.sha256).digest()
            hashed = base64.b64encode(digest).decode("ascii")
            # "=" separates PN component groups, so the padding goes.
            return hashed.rstrip("=") if vr == "PN" else hashed
        if rule.kind == "dateShift":
            days = date_offset_days(patient_key, self._key(rule))
            shifted = shift_text_date(value, days)
            if shifted is not None:
                return shifted
        return f"[{info_type}]"

    def _temporal(self, text: str, spans: list[_Span], vr: str, patient_key: str) -> str:
        """DA/DT/TM/AS: a date shift of the whole value, else empty."""
        rules = [s.rule for s in spans if s.rule is not None and s.rule.kind == "dateShift"]
        if len(rules) != len(spans):
            return ""
        if vr in ("TM", "AS"):
            return text  # a whole-day shift leaves times and ages as they are
        days = date_offset_days(patient_key, self._key(rules[0]))
        shift = shift_da if vr == "DA" else shift_dt
        out = []
        for value in text.split("\\"):
            try:
                out.append(shift(value, days))
            except ValueError:
                out.append("")
        return "\\".join(out) if any(out) else ""

    def apply(
        self,
        text: str,
        findings: Sequence[FindingLike],
        vr: str | None,
        patient_key: str,
        escape: Callable[[str], str] | None = None,
    ) -> str:
        """Return ``text`` with each finding transformed by its rule.

        Parameters
        ----------
        text : str
            The element value (or any free text when ``vr`` is None).
        findings : sequence of Finding
            Spans found in ``text``; overlapping spans are merged and take the
            infoType of the longest. The text at the offsets is transformed.
        vr : str or None
            The element's VR, for validity and length limits.
        patient_key : str
            Key of the per-patient date offset.
        escape : callable, optional
            Applied to each replacement (FHIR narrative: XML escaping).

        Returns
        -------
        str
            The new value; ``text`` itself when no finding has a rule.
        """
        spans = self._spans(text, findings)
        if not spans:
            return text
        vr = vr.upper() if vr else None
        if vr in _TEMPORAL_VRS:
            return self._temporal(text, spans, vr or "", patient_key)
        out = text
        for span in reversed(spans):
            new = self._replace(text[span.start : span.end], span, vr, patient_key)
            if escape is not None:
                new = escape(new)
            out = out[: span.start] + new + out[span.end :]
        return _fit(out, vr)
