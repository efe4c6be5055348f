"""TextConfig semantics: rules, precedence, date shifts and VR validity (spec section 5)."""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import re
import sys
import types

import pytest

from transforms.errors import ConfigError, KeyMaterialError
from transforms.text.detect import Finding
from transforms.text.transform import (
    Rule,
    TextSpec,
    TextTransformer,
    date_offset_days,
    parse_text_config,
    shift_da,
    shift_dt,
    shift_text_date,
    unwrap_kms_key,
)

KEY = b"k" * 32
RULE_KEY = b"r" * 16
RULE_KEY_B64 = base64.b64encode(RULE_KEY).decode()
PATIENT = "PID-0001"



def find(text: str, quote: str, info_type: str) -> Finding:
    """Return the finding of the first occurrence of ``quote`` in ``text``."""
    start = text.index(quote)
    return Finding(info_type, start, start + len(quote), quote)


def make(text_config: dict | None, key: bytes = KEY, **kw) -> TextTransformer:
    """Return a transformer for a ``text`` config object."""
    return TextTransformer(parse_text_config(text_config), key, **kw)


def rules(*items: dict) -> dict:
    """Return a ``text`` config with these additionalTransformations."""
    return {"additionalTransformations": list(items)}


def days_between(before: str, after: str) -> int:
    """Return the day difference of two YYYYMMDD dates."""
    parse = datetime.datetime.strptime
    return (parse(after, "%Y%m%d") - parse(before, "%Y%m%d")).days


# --- parsing ---------------------------------------------------------------


@pytest.mark.parametrize(
    "obj, profile",
    [(None, "BASIC"), ({}, "BASIC"), ({"profileType": "BASIC"}, "BASIC"),
     ({"profileType": "PROFILE_TYPE_UNSPECIFIED"}, "BASIC"), ({"profileType": "EMPTY"}, "EMPTY"),
     ({"profile_type": "EMPTY"}, "EMPTY")],
)  # fmt: skip
def test_parse_profile(obj, profile):
    """Absent or unspecified profileType means BASIC; snake_case keys are accepted."""
    spec = parse_text_config(obj)
    assert spec == TextSpec(profile, (), frozenset())


def test_parse_rules_and_aliases():
    """All five kinds parse, from camelCase or snake_case and the transformations alias."""
    spec = parse_text_config({
        "transformations": [
            {"info_types": ["PERSON_NAME"], "replace_with_info_type_config": {}},
            {"infoTypes": ["PHONE_NUMBER"], "redactConfig": {}},
            {"infoTypes": ["EMAIL_ADDRESS"], "character_mask_config": {"masking_character": "#"}},
            {"infoTypes": ["URL"], "characterMaskConfig": {}},
            {"infoTypes": ["MEDICAL_RECORD_NUMBER"],
             "cryptoHashConfig": {"cryptoKey": RULE_KEY_B64}},
            {"infoTypes": ["DATE"], "date_shift_config": {
                "kms_wrapped": {"wrapped_key": "d3JhcA==", "crypto_key": "projects/p/k"}}},
            {"redactConfig": {}},
        ],
        "exclude_info_types": ["AGE"],
    })  # fmt: skip
    assert spec.profile == "BASIC" and spec.exclude == frozenset({"AGE"})
    assert spec.rules == (
        Rule(frozenset({"PERSON_NAME"}), "replaceWithInfoType"),
        Rule(frozenset({"PHONE_NUMBER"}), "redact"),
        Rule(frozenset({"EMAIL_ADDRESS"}), "characterMask", masking_character="#"),
        Rule(frozenset({"URL"}), "characterMask", masking_character="*"),
        Rule(frozenset({"MEDICAL_RECORD_NUMBER"}), "cryptoHash", crypto_key=RULE_KEY),
        Rule(frozenset({"DATE"}), "dateShift", kms_wrapped=("d3JhcA==", "projects/p/k")),
        Rule(frozenset(), "redact"),
    )


@pytest.mark.parametrize("key", ["not base64!", base64.b64encode(b"short").decode()])
def test_parse_bad_crypto_key(key):
    """A bad cryptoKey raises ConfigError naming the path, not the value."""
    obj = rules({"infoTypes": ["DATE"], "dateShiftConfig": {"cryptoKey": key}})
    with pytest.raises(ConfigError, match=r"dateShiftConfig\.cryptoKey") as info:
        parse_text_config(obj)
    assert key not in str(info.value)


# --- rule precedence ------------------------------------------------------


def test_ann_johnson_example():
    """The public example: PatientName 'Ann Johnson' becomes [PERSON_NAME]."""
    t = make(rules({"infoTypes": ["PERSON_NAME"], "replaceWithInfoTypeConfig": {}}))
    finding = Finding("PERSON_NAME", 0, 11, "Ann Johnson")
    assert t.apply("Ann Johnson", [finding], "PN", PATIENT) == "[PERSON_NAME]"


def test_basic_profile_default():
    """BASIC: a DATE finding is date-shifted, a PHONE_NUMBER becomes [PHONE_NUMBER]."""
    text = "Seen 2019-03-14, call 555-123-4567."
    findings = [find(text, "2019-03-14", "DATE"), find(text, "555-123-4567", "PHONE_NUMBER")]
    out = make(None).apply(text, findings, "LT", PATIENT)
    days = date_offset_days(PATIENT, KEY)
    assert out == f"Seen {shift_text_date('2019-03-14', days)}, call [PHONE_NUMBER]."
    assert re.fullmatch(r"Seen \d{4}-\d{2}-\d{2}, call \[PHONE_NUMBER\]\.", out)
    assert "2019-03-14" not in out


@pytest.mark.parametrize(
    "info_type, kind",
    [("DATE", "dateShift"), ("DATE_OF_BIRTH", "replaceWithInfoType"),
     ("PERSON_NAME", "replaceWithInfoType"), ("AGE", "replaceWithInfoType")],
)  # fmt: skip
def test_basic_rule_for(info_type, kind):
    """BASIC gives DATE (only DATE) a date shift and every other infoType a replacement."""
    rule = make({"profileType": "BASIC"}).rule_for(info_type)
    assert rule is not None and rule.kind == kind


def test_empty_profile_unchanged_unless_rule():
    """EMPTY leaves findings alone unless a rule names their infoType or is a default."""
    text = "Ann Johnson 555-123-4567"
    findings = [
        find(text, "Ann Johnson", "PERSON_NAME"),
        find(text, "555-123-4567", "PHONE_NUMBER"),
    ]
    assert make({"profileType": "EMPTY"}).apply(text, findings, "LO", PATIENT) == text
    t = make({"profileType": "EMPTY", **rules({"infoTypes": ["PHONE_NUMBER"], "redactConfig": {}})})
    assert t.rule_for("PERSON_NAME") is None
    assert t.apply(text, findings, "LO", PATIENT) == "Ann Johnson "


def test_exclude_info_types():
    """Excluded infoTypes are never transformed, even when a rule names them."""
    text = "Ann Johnson, 45 years"
    findings = [find(text, "Ann Johnson", "PERSON_NAME"), find(text, "45 years", "AGE")]
    cfg = {"excludeInfoTypes": ["AGE"], **rules({"infoTypes": ["AGE"], "redactConfig": {}})}
    t = make(cfg)
    assert t.rule_for("AGE") is None
    assert t.apply(text, findings, "LT", PATIENT) == "[PERSON_NAME], 45 years"


def test_default_rule_with_empty_info_types():
    """A rule with empty infoTypes applies to every infoType no other rule names."""
    t = make(rules(
        {"infoTypes": [], "redactConfig": {}},
        {"infoTypes": ["PERSON_NAME"], "replaceWithInfoTypeConfig": {}},
    ))  # fmt: skip
    text = "Ann Johnson 555-123-4567 2019-03-14"
    findings = [
        find(text, "Ann Johnson", "PERSON_NAME"),
        find(text, "555-123-4567", "PHONE_NUMBER"),
        find(text, "2019-03-14", "DATE"),
    ]
    assert t.apply(text, findings, "LT", PATIENT) == "[PERSON_NAME]  "


def test_first_rule_naming_type_wins():
    """When two rules name an infoType, the first one applies."""
    t = make(rules(
        {"infoTypes": ["PERSON_NAME"], "characterMaskConfig": {}},
        {"infoTypes": ["PERSON_NAME", "URL"], "redactConfig": {}},
    ))  # fmt: skip
    assert t.rule_for("PERSON_NAME").kind == "characterMask"
    assert t.rule_for("URL").kind == "redact"
    assert t.apply("Ann", [Finding("PERSON_NAME", 0, 3, "Ann")], "LO", PATIENT) == "***"


# --- transformation kinds -------------------------------------------------


def test_redact():
    """redactConfig removes the finding."""
    t = make(rules({"infoTypes": ["PHONE_NUMBER"], "redactConfig": {}}))
    text = "call 555-1234 now"
    assert t.apply(text, [find(text, "555-1234", "PHONE_NUMBER")], "LT", PATIENT) == "call  now"


@pytest.mark.parametrize(
    "config, expected",
    [({"maskingCharacter": "#"}, "mail ############### ok"), ({}, "mail *************** ok"),
     ({"maskingCharacter": ""}, "mail *************** ok"),
     ({"maskingCharacter": "x"}, "mail xxxxxxxxxxxxxxx ok")],
)  # fmt: skip
def test_character_mask(config, expected):
    """characterMask repeats the masking character (default '*') over the finding."""
    t = make(rules({"infoTypes": ["EMAIL_ADDRESS"], "characterMaskConfig": config}))
    text = "mail ann@example.org ok"
    finding = find(text, "ann@example.org", "EMAIL_ADDRESS")
    assert t.apply(text, [finding], "LT", PATIENT) == expected


def hashed(value: str, key: bytes) -> str:
    """Return the expected cryptoHash replacement."""
    return base64.b64encode(hmac.new(key, value.encode(), hashlib.sha256).digest()).decode()


def test_crypto_hash_deterministic_and_keyed():
    """cryptoHash is base64 HMAC-SHA256 with the rule's key, else the default key."""
    with_key = make(rules({"infoTypes": ["MEDICAL_RECORD_NUMBER"],
                           "cryptoHashConfig": {"cryptoKey": RULE_KEY_B64}}))  # fmt: skip
    no_key = make(rules({"infoTypes": ["MEDICAL_RECORD_NUMBER"], "cryptoHashConfig": {}}))
    finding = [Finding("MEDICAL_RECORD_NUMBER", 0, 7, "MRN1234")]
    out = with_key.apply("MRN1234", finding, "LT", PATIENT)
    assert out == hashed("MRN1234", RULE_KEY) == with_key.apply("MRN1234", finding, "LT", "other")
    assert no_key.apply("MRN1234", finding, "LT", PATIENT) == hashed("MRN1234", KEY)
    assert out != hashed("MRN1234", KEY)


@pytest.mark.parametrize("vr, limit", [("LO", 64), ("SH", 16), ("AE", 16)])
def test_crypto_hash_cut_to_vr_length(vr, limit):
    """A hash that makes the value too long is cut to the VR's maximum length."""
    t = make(rules({"infoTypes": ["MEDICAL_RECORD_NUMBER"], "cryptoHashConfig": {}}))
    text = "Record number: MRN1234 (checked)"
    out = t.apply(text, [find(text, "MRN1234", "MEDICAL_RECORD_NUMBER")], vr, PATIENT)
    full = f"Record number: {hashed('MRN1234', KEY)} (checked)"
    assert len(full) > limit and out == full[:limit]


def test_crypto_hash_in_pn_has_no_group_separator():
    """In PN the base64 padding '=' (a component group separator) is dropped."""
    t = make(rules({"infoTypes": ["PERSON_NAME"], "cryptoHashConfig": {}}))
    out = t.apply("Johnson^Ann", [Finding("PERSON_NAME", 0, 11, "Johnson^Ann")], "PN", PATIENT)
    assert out == hashed("Johnson^Ann", KEY).rstrip("=") and "=" not in out


# --- date offsets -----------------------------------------------------------


def test_date_offset_stable_and_in_range():
    """The same patient and key always give the same non-zero offset within 100 days."""
    days = date_offset_days(PATIENT, KEY)
    assert days == date_offset_days(PATIENT, KEY) and 1 <= abs(days) <= 100


def test_date_offsets_spread():
    """Offsets over 1000 patients are spread: at least 150 distinct values, never 0."""
    offsets = [date_offset_days(f"patient-{i}", KEY) for i in range(1000)]
    assert len(set(offsets)) >= 150
    assert all(1 <= abs(d) <= 100 for d in offsets)
    mine = date_offset_days("patient-0", KEY)
    assert sum(d != mine for d in offsets[1:201]) >= 180


def test_date_shift_same_offset_across_calls_and_values():
    """Every DA value of a patient moves by the same number of days, call after call."""
    t = make(None)
    shifts = set()
    for value in ("20190314", "19700101", "20200229", "20191231"):
        for _ in range(2):
            out = t.apply(value, [Finding("DATE", 0, 8, value)], "DA", PATIENT)
            shifts.add(days_between(value, out))
    assert shifts == {date_offset_days(PATIENT, KEY)}


def test_date_shift_rule_key_changes_offset():
    """A dateShift rule with its own key shifts by that key's offset."""
    t = make(rules({"infoTypes": ["DATE"], "dateShiftConfig": {"cryptoKey": RULE_KEY_B64}}))
    out = t.apply("20190314", [Finding("DATE", 0, 8, "20190314")], "DA", PATIENT)
    assert days_between("20190314", out) == date_offset_days(PATIENT, RULE_KEY)


# --- DA / DT ------------------------------------------------------------------


def test_every_shifted_da_parses():
    """Shifted DA values are valid dates for every offset, across month and year ends."""
    start = datetime.date(2019, 12, 1)
    for i in range(0, 460, 3):
        value = (start + datetime.timedelta(days=i)).strftime("%Y%m%d")
        for days in range(-100, 101, 7):
            out = shift_da(value, days)
            assert len(out) == 8 and days_between(value, out) == days


@pytest.mark.parametrize(
    "value, days, expected",
    [("20190314", 10, "20190324"), ("2019.03.14", 1, "20190315"), ("20190314 ", -14, "20190228"),
     ("", 5, ""), ("20200228", 1, "20200229"), ("20200229", 1, "20200301"),
     ("20190228", 1, "20190301"), ("20200301", -1, "20200229"), ("20191231", 1, "20200101")],
)  # fmt: skip
def test_shift_da(value, days, expected):
    """DA shifts handle padding, the retired dotted form, leap days and year ends."""
    assert shift_da(value, days) == expected


@pytest.mark.parametrize("value", ["20190229", "2019-03-14", "201903", "abcdefgh", "20191301"])
def test_shift_da_invalid(value):
    """A value that is not a valid DA raises ValueError without the value."""
    with pytest.raises(ValueError) as info:
        shift_da(value, 1)
    assert value not in str(info.value)


@pytest.mark.parametrize(
    "value, days, expected",
    [("2019", 100, "2019"), ("2019", -100, "2019"), ("201903", 10, "201903"),
     ("201903", 20, "201904"), ("201901", -20, "201812"), ("20190314", 10, "20190324"),
     ("2019031412", 1, "2019031512"), ("201903141230", -14, "201902281230"),
     ("20190314123059", 1, "20190315123059"), ("20190314123059.123456", 1, "20190315123059.123456"),
     ("20190314123059.1+0100", 1, "20190315123059.1+0100"),
     ("2019031412-0500", 1, "2019031512-0500"),
     ("2019+0000", 5, "2019+0000"), ("201903-0800", 30, "201904-0800"), ("", 3, ""),
     ("20200229000000", 366, "20210301000000")],
)  # fmt: skip
def test_shift_dt_keeps_precision(value, days, expected):
    """DT keeps its precision, time, fraction and UTC offset; YYYY/YYYYMM shift their middle."""
    assert shift_dt(value, days) == expected


@pytest.mark.parametrize(
    "value", ["201", "2019031", "20190314.5", "2019031425", "20190230", "2019+01"]
)
def test_shift_dt_invalid(value):
    """A value that is not a valid DT raises ValueError."""
    with pytest.raises(ValueError):
        shift_dt(value, 1)


# --- dates in free text -------------------------------------------------------


@pytest.mark.parametrize(
    "quote, days, expected",
    [("20190314", 1, "20190315"), ("2019-03-14", -14, "2019-02-28"),
     ("2019/03/14", 1, "2019/03/15"),
     ("2019/3/4", 1, "2019/3/5"), ("03/14/2019", 1, "03/15/2019"), ("3/4/2019", 28, "4/1/2019"),
     ("12/14/2019", 20, "01/03/2020"), ("14.03.2019", 1, "15.03.2019"), ("3/14/19", 1, "3/15/19"),
     ("12/31/99", 1, "01/01/00"), ("12/31/1999", -300, "03/06/1999"),
     ("25/12/2019", 1, "26/12/2019"),
     ("March 14, 2019", 30, "April 13, 2019"), ("14 Mar 2019", 30, "13 Apr 2019"),
     ("Mar 14, 2019", -14, "Feb 28, 2019"), ("14-Mar-2019", -10, "04-Mar-2019"),
     ("14-MAR-2019", 30, "13-APR-2019"), ("march 4 2019", 1, "march 5 2019"),
     ("04 Mar 2019", 1, "05 Mar 2019"), (" 2019-03-14 ", 1, " 2019-03-15 "),
     # an ISO 8601 time after the date stays (a whole-day shift)
     ("2019-03-14T18:22", 1, "2019-03-15T18:22"), ("2019-12-31T23:59:59.5+01:00", 1, "2020-01-01T23:59:59.5+01:00"),
     # year first with a month name, its style and an ordinal kept
     ("1940 Jun 6", 30, "1940 Jul 6"), ("2009-SEP-02", -3, "2009-AUG-30"), ("1993/Dec/26th", 7, "1994/Jan/2nd"),
     ("20031021T101500", 3, "20031024T101500")],
)  # fmt: skip
def test_shift_text_date_formats(quote, days, expected):
    """Free-text dates keep their separators, padding, order, month-name style and case."""
    assert shift_text_date(quote, days) == expected


PADDED = ["20190314", "2019-03-14", "2019/03/14", "03/14/2019", "14.03.2019", "03/04/19"]
NAMED = ["March 14, 2019", "14 Mar 2019", "Mar 14, 2019", "14-Mar-2019", "SEPTEMBER 9, 2019"]


@pytest.mark.parametrize("quote", PADDED + NAMED)
@pytest.mark.parametrize("days", [-100, -37, -1, 1, 45, 100])
def test_shift_text_date_round_trips(quote, days):
    """Shifting forth and back gives the original text; padded numeric forms keep their shape."""
    shifted = shift_text_date(quote, days)
    assert shifted is not None and shifted != quote
    assert shift_text_date(shifted, -days) == quote
    if quote in PADDED:
        assert re.sub(r"\d", "9", shifted) == re.sub(r"\d", "9", quote)
    else:
        assert re.sub(r"[^A-Za-z]", "", shifted).isupper() == quote.split()[0].isupper()


@pytest.mark.parametrize(
    "quote, days, expected",
    [("02/29/2020", 1, "03/01/2020"), ("02/28/2020", 1, "02/29/2020"), ("2/28/2019", 1, "3/1/2019"),
     ("2/29/00", 1, "3/1/00"), ("Feb 29, 2024", -365, "Mar 1, 2023"),
     ("2/29/2019", 1, None), ("2/29/19", 1, None), ("30.02.2020", 1, None)],
)  # fmt: skip
def test_shift_text_date_leap_days(quote, days, expected):
    """Leap days are valid only in leap years (two-digit 00 is 2000); others give None."""
    assert shift_text_date(quote, days) == expected


@pytest.mark.parametrize(
    "quote", ["", "yesterday", "13/13/2019", "Smarch 14, 2019", "2019-03", "1234"]
)
def test_shift_text_date_unparseable(quote):
    """Text that is not a readable date gives None."""
    assert shift_text_date(quote, 5) is None


# --- apply: VR validity, offsets, CTX --------------------------------------


@pytest.mark.parametrize(
    "vr, value, info_type, config",
    [("DA", "20190314", "DATE", rules({"infoTypes": ["DATE"], "replaceWithInfoTypeConfig": {}})),
     ("DA", "19700101", "DATE_OF_BIRTH", None), ("DT", "20190314123000", "DATE",
     rules({"infoTypes": ["DATE"], "redactConfig": {}})), ("TM", "123000", "CTX", None),
     ("AS", "045Y", "AGE", None), ("DA", "20190314", "CTX", None)],
)  # fmt: skip
def test_temporal_vr_without_date_shift_is_emptied(vr, value, info_type, config):
    """DA, DT, TM and AS become empty under any transformation that is not a date shift."""
    out = make(config).apply(value, [Finding(info_type, 0, len(value), value)], vr, PATIENT)
    assert out == ""


def test_da_date_shift_whole_value_multi_valued():
    """A DA date shift shifts every value of the element; unreadable values are emptied."""
    days = date_offset_days(PATIENT, KEY)
    out = make(None).apply("20190314\\20200229", [Finding("DATE", 0, 8, "20190314")], "DA", PATIENT)
    assert out == f"{shift_da('20190314', days)}\\{shift_da('20200229', days)}"
    assert make(None).apply("2019-3-14", [Finding("DATE", 0, 9, "2019-3-14")], "DA", PATIENT) == ""


def test_dt_date_shift_keeps_precision_via_apply():
    """A DT element is shifted at its own precision with its offset suffix."""
    value = "20190314123000.5+0100"
    out = make(None).apply(value, [Finding("DATE", 0, 8, "20190314")], "DT", PATIENT)
    assert out == shift_dt(value, date_offset_days(PATIENT, KEY)) and out.endswith("123000.5+0100")


def test_tm_date_shift_leaves_time():
    """A whole-day shift does not change a TM value."""
    assert make(None).apply("1230", [Finding("DATE", 0, 4, "1230")], "TM", PATIENT) == "1230"


def test_unparseable_free_text_date_becomes_info_type():
    """A DATE finding a date shift cannot read becomes [DATE]."""
    text = "seen last Tuesday"
    out = make(None).apply(text, [find(text, "last Tuesday", "DATE")], "LT", PATIENT)
    assert out == "seen [DATE]"


def test_multiple_findings_offsets():
    """Several findings are replaced from the end, so earlier offsets stay valid."""
    t = make(rules(
        {"infoTypes": ["PHONE_NUMBER"], "redactConfig": {}},
        {"infoTypes": ["EMAIL_ADDRESS"], "characterMaskConfig": {"maskingCharacter": "#"}},
    ))  # fmt: skip
    text = "Ann Johnson (ann@x.org) called 555-123-4567 on 03/14/2019 about Ann Johnson."
    findings = [
        find(text, "555-123-4567", "PHONE_NUMBER"),
        Finding("PERSON_NAME", 64, 75, "Ann Johnson"),
        find(text, "03/14/2019", "DATE"),
        find(text, "ann@x.org", "EMAIL_ADDRESS"),
        find(text, "Ann Johnson", "PERSON_NAME"),
    ]
    date = shift_text_date("03/14/2019", date_offset_days(PATIENT, KEY))
    expected = f"[PERSON_NAME] (#########) called  on {date} about [PERSON_NAME]."
    assert make(None).apply(text, [], "LT", PATIENT) == text
    assert t.apply(text, findings, "LT", PATIENT) == expected


def test_overlapping_findings_merged():
    """Overlapping findings become one replacement with the longest finding's infoType."""
    text = "Dr Ann Johnson"
    findings = [
        find(text, "Ann", "FIRST_NAME"),
        find(text, "Johnson", "LAST_NAME"),
        find(text, "Ann Johnson", "PERSON_NAME"),
        Finding("LOCATION", 1, 5, "r An"),
    ]
    assert make(None).apply(text, findings, "LO", PATIENT) == "D[PERSON_NAME]"


@pytest.mark.parametrize(
    "config", [{"profileType": "EMPTY"}, None, rules({"infoTypes": [], "redactConfig": {}}),
               {"excludeInfoTypes": ["PERSON_NAME"]}],
)  # fmt: skip
def test_ctx_always_replaced(config):
    """A CTX finding becomes [CTX] whatever the rules and profile."""
    text = "Chest CT for Ann"
    out = make(config).apply(text, [find(text, "for Ann", "CTX")], "LO", PATIENT)
    assert out == "Chest CT [CTX]"


@pytest.mark.parametrize(
    "start, end", [(-5, 3), (9, 99), (5, 5), (7, 2)],
)  # fmt: skip
def test_out_of_range_offsets_clamped(start, end):
    """Offsets outside the text are clamped; empty or reversed spans are ignored."""
    text = "Ann Johnson"
    out = make(None).apply(text, [Finding("PERSON_NAME", start, end, "x")], "LT", PATIENT)
    expected = {(-5, 3): "[PERSON_NAME] Johnson", (9, 99): "Ann Johns[PERSON_NAME]"}
    assert out == expected.get((start, end), text)


# --- length limits ------------------------------------------------------------


def test_cut_per_value_in_multi_valued_text():
    """For backslash-separated values the limit applies to each value."""
    t = make(rules({"infoTypes": ["PERSON_NAME"], "characterMaskConfig": {}}))
    text = "A" * 10 + "\\" + "B" * 20
    findings = [Finding("PERSON_NAME", 11, 31, "B" * 20), Finding("PERSON_NAME", 0, 10, "A" * 10)]
    assert t.apply(text, findings, "SH", PATIENT) == "*" * 10 + "\\" + "*" * 16


def test_cut_pn_per_component_group():
    """PN is cut to 64 characters per component group."""
    t = make(rules({"infoTypes": ["PERSON_NAME"], "characterMaskConfig": {}}))
    text = "A" * 70 + "=" + "B" * 70
    findings = [Finding("PERSON_NAME", 0, 70, "A" * 70), Finding("PERSON_NAME", 71, 141, "B" * 70)]
    assert t.apply(text, findings, "PN", PATIENT) == "*" * 64 + "=" + "*" * 64


@pytest.mark.parametrize(
    "text, vr, expected",
    [("Patient 123-45-6789", "SH", "Patient "),
     ("123-45-6789", "SH", "[US_SOCIAL_SECUR"),
     ("x" * 60 + " 123-45-6789", "LO", "x" * 60 + " "),
     ("x" * 60 + " 123-45-6789", "UT", "x" * 60 + " [US_SOCIAL_SECURITY_NUMBER]"),
     ("x" * 1020 + " 123-45-6789", "ST", "x" * 1020 + " ")],
)  # fmt: skip
def test_cut_avoids_splitting_tokens(text, vr, expected):
    """Cuts fall before a [INFO_TYPE] token, unless it starts the value; UT is unlimited."""
    finding = find(text, "123-45-6789", "US_SOCIAL_SECURITY_NUMBER")
    out = make(None).apply(text, [finding], vr, PATIENT)
    assert out == expected


def test_unchanged_text_is_not_cut():
    """A value with no applicable finding is returned as it is, even when long."""
    text = "x" * 100
    t = make({"profileType": "EMPTY"})
    assert t.apply(text, [Finding("URL", 0, 5, "xxxxx")], "LO", PATIENT) == text


# --- KMS ----------------------------------------------------------------------

WRAPPED = base64.b64encode(b"wrapped-key-bytes").decode()
KEY_NAME = "projects/p/locations/l/keyRings/r/cryptoKeys/k"


def test_unwrap_without_google_cloud_kms(monkeypatch):
    """Without google-cloud-kms installed, KeyMaterialError names the package, not the key."""
    monkeypatch.setitem(sys.modules, "google.cloud.kms", None)
    with pytest.raises(KeyMaterialError, match="google-cloud-kms") as info:
        unwrap_kms_key(WRAPPED, KEY_NAME)
    assert WRAPPED not in str(info.value) and KEY_NAME not in str(info.value)


def fake_kms(monkeypatch, plaintext: bytes | None, calls: list) -> None:
    """Install a stand-in google.cloud.kms whose decrypt returns ``plaintext`` or fails."""

    class Client:
        def decrypt(self, name, ciphertext):
            calls.append((name, ciphertext))
            if plaintext is None:
                raise RuntimeError(f"denied for {name}")
            return types.SimpleNamespace(plaintext=plaintext)

    fake = types.SimpleNamespace(KeyManagementServiceClient=Client)
    monkeypatch.setitem(sys.modules, "google.cloud.kms", fake)


def test_unwrap_with_kms(monkeypatch):
    """The client's decrypt gets the resource name and the decoded ciphertext."""
    calls: list = []
    fake_kms(monkeypatch, RULE_KEY, calls)
    assert unwrap_kms_key(WRAPPED, KEY_NAME) == RULE_KEY
    assert calls == [(KEY_NAME, b"wrapped-key-bytes")]


@pytest.mark.parametrize(
    "plaintext, wrapped", [(None, WRAPPED), (b"short", WRAPPED), (RULE_KEY, "%%%")]
)
def test_unwrap_failures(monkeypatch, plaintext, wrapped):
    """A failed call, a bad key size or bad base64 raise KeyMaterialError without values."""
    fake_kms(monkeypatch, plaintext, [])
    with pytest.raises(KeyMaterialError) as info:
        unwrap_kms_key(wrapped, KEY_NAME)
    message = str(info.value)
    assert KEY_NAME not in message and wrapped not in message and "short" not in message


def test_transformer_resolves_kms_keys_once():
    """key_resolver is called once per kmsWrapped rule, and its key is used."""
    calls: list = []

    def resolver(rule: Rule) -> bytes:
        calls.append(rule.kms_wrapped)
        return RULE_KEY

    cfg = rules({"infoTypes": ["DATE"], "dateShiftConfig": {
        "kmsWrapped": {"wrappedKey": WRAPPED, "cryptoKey": KEY_NAME}}})  # fmt: skip
    t = make(cfg, key_resolver=resolver)
    for _ in range(3):
        out = t.apply("20190314", [Finding("DATE", 0, 8, "20190314")], "DA", PATIENT)
        assert days_between("20190314", out) == date_offset_days(PATIENT, RULE_KEY)
    assert calls == [(WRAPPED, KEY_NAME)]


def test_transformer_kms_without_library(monkeypatch):
    """Without a resolver or google-cloud-kms, a kmsWrapped rule fails at construction."""
    monkeypatch.setitem(sys.modules, "google.cloud.kms", None)
    cfg = rules({"infoTypes": ["DATE"], "dateShiftConfig": {
        "kmsWrapped": {"wrappedKey": WRAPPED, "cryptoKey": KEY_NAME}}})  # fmt: skip
    with pytest.raises(KeyMaterialError, match="google-cloud-kms"):
        make(cfg)
