"""Tests for transforms.text.detect: local infoType detection (VR rules, header context, patterns)."""

from __future__ import annotations

import pytest

from transforms.text.detect import ContextMatcher, ContextValue, Detector, Finding, detect
from transforms.text.infotypes import DEFAULT_INFO_TYPES

PT_NOTE = (
    "Pt Maribel Quenneville tolerated exam well. Called Dr. Ostrowski at 555-234-5678 "
    "with prelim result."
)
CONTACT_NOTE = "Allergic to penicillin. Emergency contact Thaddeus Abernathy 555.234.5678"
PHONE_DOB = "home phone (555) 234-5678. DOB 03/04/1971."

CONTEXT = (
    ContextValue("QUENNEVILLE^MARIBEL", "PERSON_NAME"),
    ContextValue("OSTROWSKI^THADDEUS", "PERSON_NAME"),
    ContextValue("19710304", "DATE_OF_BIRTH"),
    ContextValue("20190314", "DATE"),
    ContextValue("48151623", "MEDICAL_RECORD_NUMBER"),
    ContextValue("ACC-778", "MEDICAL_RECORD_NUMBER"),
    ContextValue("(555) 234-5678", "PHONE_NUMBER"),
    ContextValue("4478 Maple Grove Rd, Springfield, IL 62704", "STREET_ADDRESS"),
    ContextValue("Abernathy Memorial Hospital", "ORGANIZATION_NAME"),
    ContextValue("VILLASEÑOR^JOSÉ", "PERSON_NAME"),
    ContextValue("AB", "MEDICAL_RECORD_NUMBER"),
)


def spans(findings: list[Finding]) -> list[tuple[str, str]]:
    """Return (info_type, quote) pairs."""
    return [(f.info_type, f.quote) for f in findings]


def found(text: str, info_type: str, quote: str, **kwargs: object) -> bool:
    """True when detect(text) reports exactly this quote as this type."""
    return (info_type, quote) in spans(detect(text, **kwargs))


class TestVrRules:
    """The element's own VR makes its values findings."""

    @pytest.mark.parametrize(
        "text, vr, expected",
        [
            ("Ann Johnson", "PN", [Finding("PERSON_NAME", 0, 11, "Ann Johnson")]),
            ("John Doe", "PN", [Finding("PERSON_NAME", 0, 8, "John Doe")]),
            ("WALL^JOHN", "PN", [Finding("PERSON_NAME", 0, 9, "WALL^JOHN")]),
            ("19880812", "DA", [Finding("DATE", 0, 8, "19880812")]),
            ("20110909", "DA", [Finding("DATE", 0, 8, "20110909")]),
            ("2019031412", "DT", [Finding("DATE", 0, 10, "2019031412")]),
            ("047Y", "AS", [Finding("AGE", 0, 4, "047Y")]),
            ("003M", "AS", [Finding("AGE", 0, 4, "003M")]),
        ],
    )
    def test_value_is_finding(self, text: str, vr: str, expected: list[Finding]) -> None:
        """A PN, DA, DT or AS value is one finding covering the value."""
        assert detect(text, vr=vr) == expected

    def test_pn_multiple_values_and_trailing_spaces(self) -> None:
        """Each backslash-separated PN value is its own finding, padding excluded."""
        assert detect("DOE^JOHN\\ROE^JANE ", vr="PN") == [
            Finding("PERSON_NAME", 0, 8, "DOE^JOHN"),
            Finding("PERSON_NAME", 9, 17, "ROE^JANE"),
        ]

    def test_dt_with_offset(self) -> None:
        """A full DT value with fraction and offset is one DATE."""
        text = "20190314120000.000000+0100"
        assert detect(text, vr="DT") == [Finding("DATE", 0, len(text), text)]

    @pytest.mark.parametrize("text, vr", [("20111332", "DA"), ("2011", "DA"), ("47", "AS")])
    def test_invalid_value_is_not_finding(self, text: str, vr: str) -> None:
        """An invalid DA or AS value is not a finding."""
        assert detect(text, vr=vr) == []

    def test_vr_finding_wins_over_context(self) -> None:
        """A PN value stays one PERSON_NAME even though its parts match the context."""
        assert detect("Quenneville^Maribel", CONTEXT, vr="PN") == [
            Finding("PERSON_NAME", 0, 19, "Quenneville^Maribel")
        ]


class TestPatterns:
    """Detection without header context."""

    @pytest.mark.parametrize(
        "text, info_type, quote",
        [
            ("mail john.doe@example.com today", "EMAIL_ADDRESS", "john.doe@example.com"),
            ("see https://example.org/path.", "URL", "https://example.org/path"),
            ("see www.example.com", "URL", "www.example.com"),
            ("portal.example.edu", "URL", "portal.example.edu"),
            ("host 192.168.1.20 down", "IP_ADDRESS", "192.168.1.20"),
            ("from fe80::1ff:fe23:4567:890a", "IP_ADDRESS", "fe80::1ff:fe23:4567:890a"),
            ("SSN 123-45-6789", "US_SOCIAL_SECURITY_NUMBER", "123-45-6789"),
            ("id 123 45 6789", "US_SOCIAL_SECURITY_NUMBER", "123 45 6789"),
            ("ssn: 123456789", "US_SOCIAL_SECURITY_NUMBER", "123456789"),
            ("call 555-234-5678", "PHONE_NUMBER", "555-234-5678"),
            ("call (555) 234-5678", "PHONE_NUMBER", "(555) 234-5678"),
            ("call 555.234.5678", "PHONE_NUMBER", "555.234.5678"),
            ("call +1 555 234 5678", "PHONE_NUMBER", "+1 555 234 5678"),
            ("call 234-5678", "PHONE_NUMBER", "234-5678"),
            ("call +44 20 7946 0958 now", "PHONE_NUMBER", "+44 20 7946 0958"),
            ("seen 20190314", "DATE", "20190314"),
            ("seen 2019-03-14", "DATE", "2019-03-14"),
            ("seen 2019/03/14", "DATE", "2019/03/14"),
            ("seen 3/14/2019", "DATE", "3/14/2019"),
            ("seen 14.03.2019", "DATE", "14.03.2019"),
            ("seen 3/14/19", "DATE", "3/14/19"),
            ("seen March 14, 2019", "DATE", "March 14, 2019"),
            ("seen 14 Mar 2019", "DATE", "14 Mar 2019"),
            ("seen 14-MAR-2019", "DATE", "14-MAR-2019"),
            ("seen Mar 2019", "DATE", "Mar 2019"),
            ("DOB 03/04/1971", "DATE_OF_BIRTH", "03/04/1971"),
            ("D.O.B.: 1971-03-04", "DATE_OF_BIRTH", "1971-03-04"),
            ("born March 4, 1971", "DATE_OF_BIRTH", "March 4, 1971"),
            ("date of birth 19710304", "DATE_OF_BIRTH", "19710304"),
            ("a 47 y/o man", "AGE", "47 y/o"),
            ("a 47yo man", "AGE", "47yo"),
            ("a 47-year-old man", "AGE", "47-year-old"),
            ("he is 47 years old", "AGE", "47 years old"),
            ("aged 47", "AGE", "47"),
            ("age: 47", "AGE", "47"),
            ("Age 47 Y", "AGE", "47 Y"),
            ("at 4478 Maple Grove Rd Apt 4B", "STREET_ADDRESS", "4478 Maple Grove Rd Apt 4B"),
            ("12 Oak Street", "STREET_ADDRESS", "12 Oak Street"),
            ("Springfield, IL 62704", "LOCATION", "Springfield, IL 62704"),
            ("New York, NY 10001-1234", "LOCATION", "New York, NY 10001-1234"),
            ("Springfield, Illinois", "LOCATION", "Springfield, Illinois"),
            ("Abernathy Memorial Hospital", "ORGANIZATION_NAME", "Abernathy Memorial Hospital"),
            ("JFK IMAGING CENTER", "ORGANIZATION_NAME", "JFK IMAGING CENTER"),
            ("at Springfield Radiology", "ORGANIZATION_NAME", "Springfield Radiology"),
            ("University of Michigan", "ORGANIZATION_NAME", "University of Michigan"),
            ("MRN48151623", "MEDICAL_RECORD_NUMBER", "48151623"),
            ("MRN: 48151623", "MEDICAL_RECORD_NUMBER", "48151623"),
            ("(MRN 48151623)", "MEDICAL_RECORD_NUMBER", "48151623"),
            ("Patient ID: A1234567", "MEDICAL_RECORD_NUMBER", "A1234567"),
            ("Dr. Ostrowski", "PERSON_NAME", "Ostrowski"),
            ("Mrs. Jones", "PERSON_NAME", "Jones"),
            ("seen by Dr. J. Smith today", "PERSON_NAME", "J. Smith"),
            ("Maribel Quenneville", "PERSON_NAME", "Maribel Quenneville"),
            ("MARIBEL QUENNEVILLE", "PERSON_NAME", "MARIBEL QUENNEVILLE"),
            ("Maribel J. Quenneville", "PERSON_NAME", "Maribel J. Quenneville"),
            ("SMITH, JOHN", "PERSON_NAME", "SMITH, JOHN"),
            ("scan of QUENNEVILLE^MARIBEL", "PERSON_NAME", "QUENNEVILLE^MARIBEL"),
            ("mother Jane Roe called", "PERSON_NAME", "Jane Roe"),
            ("spoke with Bob Ostrowski", "PERSON_NAME", "Bob Ostrowski"),
        ],
    )
    def test_positive(self, text: str, info_type: str, quote: str) -> None:
        """Each pattern finds its example."""
        assert found(text, info_type, quote)

    @pytest.mark.parametrize(
        "text",
        [
            "Manufacturer",
            "ABC1",
            "ACME",
            "CT CHEST W CONTRAST",
            "Axial 5mm",
            "MR BRAIN WO CONTRAST",
            "5 MM CT",
            "LEFT KNEE 2 VIEWS",
            "Page 2 of 5",
            "Hospital",
            "Diagnostic Imaging",
            "e.g. file.dcm",
            "12:30:45",
            "MRN pending",
            "Image 5 Y axis",
            "Will follow up",
            "ORIGINAL\\PRIMARY\\AXIAL",
        ],
    )
    def test_no_finding(self, text: str) -> None:
        """Descriptions and ordinary words give no finding."""
        assert detect(text) == []

    @pytest.mark.parametrize(
        "text, info_type",
        [
            ("SSN 666-12-3456", "US_SOCIAL_SECURITY_NUMBER"),
            ("SSN 000-12-3456", "US_SOCIAL_SECURITY_NUMBER"),
            ("Series 1234567", "PHONE_NUMBER"),
            ("ACC7781234", "PHONE_NUMBER"),
            ("seen 03/14/2019", "PHONE_NUMBER"),
            ("id 123-45-6789", "PHONE_NUMBER"),
            ("20191332", "DATE"),
            ("1.2.840.10008.1.2.1", "IP_ADDRESS"),
            ("code 5.10.2.1-3", "IP_ADDRESS"),
            ("999.1.1.1", "IP_ADDRESS"),
            ("CT 12345", "LOCATION"),
            ("seen 03/14/2019", "DATE_OF_BIRTH"),
            ("Ankle 3 Views", "STREET_ADDRESS"),
            ("account pending", "MEDICAL_RECORD_NUMBER"),
            ("a@b", "EMAIL_ADDRESS"),
            ("CT HEAD", "PERSON_NAME"),
            ("Mark Lesion", "PERSON_NAME"),
            ("BRAIN TUMOR", "PERSON_NAME"),
        ],
    )
    def test_negative(self, text: str, info_type: str) -> None:
        """Look-alikes are not reported as the type."""
        assert info_type not in {f.info_type for f in detect(text)}


class TestContext:
    """Header values as context."""

    @pytest.mark.parametrize(
        "text, info_type, quote",
        [
            ("Maribel Quenneville", "PERSON_NAME", "Maribel Quenneville"),
            ("seen: maribel quenneville", "PERSON_NAME", "maribel quenneville"),
            ("Quenneville, Maribel", "PERSON_NAME", "Quenneville, Maribel"),
            ("QUENNEVILLE^MARIBEL", "PERSON_NAME", "QUENNEVILLE^MARIBEL"),
            ("Quenneville Maribel", "PERSON_NAME", "Quenneville Maribel"),
            ("CT CHEST - QUENNEVILLE", "LAST_NAME", "QUENNEVILLE"),
            ("for maribel", "FIRST_NAME", "maribel"),
            ("Jose Villasenor", "PERSON_NAME", "Jose Villasenor"),
            ("VILLASENOR", "LAST_NAME", "VILLASENOR"),
            ("villaseñor", "LAST_NAME", "villaseñor"),
            ("03/04/1971", "DATE_OF_BIRTH", "03/04/1971"),
            ("3/4/1971", "DATE_OF_BIRTH", "3/4/1971"),
            ("1971-03-04", "DATE_OF_BIRTH", "1971-03-04"),
            ("04.03.1971", "DATE_OF_BIRTH", "04.03.1971"),
            ("1971/03/04", "DATE_OF_BIRTH", "1971/03/04"),
            ("04/03/1971", "DATE_OF_BIRTH", "04/03/1971"),
            ("March 4, 1971", "DATE_OF_BIRTH", "March 4, 1971"),
            ("4 MARCH 1971", "DATE_OF_BIRTH", "4 MARCH 1971"),
            ("Mar 4, 1971", "DATE_OF_BIRTH", "Mar 4, 1971"),
            ("4-Mar-1971", "DATE_OF_BIRTH", "4-Mar-1971"),
            ("on 1971-3-4", "DATE_OF_BIRTH", "1971-3-4"),
            ("exam 14 mar 2019", "DATE", "14 mar 2019"),
            ("call 555-234-5678", "PHONE_NUMBER", "555-234-5678"),
            ("call 555.234.5678", "PHONE_NUMBER", "555.234.5678"),
            ("call 5552345678", "PHONE_NUMBER", "5552345678"),
            ("call +1 555 234 5678", "PHONE_NUMBER", "+1 555 234 5678"),
            ("call 234-5678", "PHONE_NUMBER", "234-5678"),
            ("lives at 4478 Maple Grove Rd", "STREET_ADDRESS", "4478 Maple Grove Rd"),
            ("moved to springfield", "LOCATION", "springfield"),
            ("zip IL 62704", "LOCATION", "IL 62704"),
            ("ref ACC778", "MEDICAL_RECORD_NUMBER", "ACC778"),
            ("ref acc-778", "MEDICAL_RECORD_NUMBER", "acc-778"),
            ("MRN48151623", "MEDICAL_RECORD_NUMBER", "48151623"),
            ("abernathy memorial hospital", "ORGANIZATION_NAME", "abernathy memorial hospital"),
        ],
    )
    def test_forms(self, text: str, info_type: str, quote: str) -> None:
        """Header values are found in their other written forms."""
        assert found(text, info_type, quote, context=CONTEXT)

    @pytest.mark.parametrize(
        "text",
        ["Quennevilles", "XQUENNEVILLE", "148151623", "481516234", "ACC-7789", "AB", "1234-5678"],
    )
    def test_boundaries_and_short_values(self, text: str) -> None:
        """No match inside a longer word or number; values under 3 characters are skipped."""
        assert detect(text, CONTEXT) == []

    def test_middle_name_and_ideographic_forms(self) -> None:
        """Given Middle Family and the ideographic group are PERSON_NAME forms."""
        context = [ContextValue("YAMADA^TAROU^KEN=山田^太郎", "PERSON_NAME")]
        assert found("Tarou Ken Yamada", "PERSON_NAME", "Tarou Ken Yamada", context=context)
        assert found("Tarou K. Yamada", "PERSON_NAME", "Tarou K. Yamada", context=context)
        assert found("患者 山田太郎 様", "PERSON_NAME", "山田太郎", context=context)

    def test_stop_word_components_are_not_names(self) -> None:
        """A PN component that is a title or stop word is not FIRST_NAME or LAST_NAME."""
        context = [ContextValue("ROE^JO^^DR", "PERSON_NAME")]
        assert detect("DR visited", context) == []
        assert found("JO visited", "FIRST_NAME", "JO", context=context)

    def test_free_form_pn_value(self) -> None:
        """A header PN value without carets is read as Given Family."""
        context = [ContextValue("Ann Johnson", "PERSON_NAME")]
        assert found("JOHNSON^ANN", "PERSON_NAME", "JOHNSON^ANN", context=context)
        assert found("Johnson, Ann", "PERSON_NAME", "Johnson, Ann", context=context)
        assert found("seen johnson", "LAST_NAME", "johnson", context=context)

    def test_matcher_reuse_equals_detect(self) -> None:
        """Detector.for_context(...).detect gives what detect(text, context) gives."""
        matcher = Detector.for_context(CONTEXT)
        assert isinstance(matcher, ContextMatcher)
        for text in (PT_NOTE, CONTACT_NOTE, PHONE_DOB, "CT CHEST - QUENNEVILLE 03/14/2019"):
            assert matcher.detect(text) == detect(text, CONTEXT)


class TestExamples:
    """The worked examples of the brief."""

    def test_pt_note_without_context(self) -> None:
        """The person, the doctor and the phone are found with no context."""
        assert spans(detect(PT_NOTE)) == [
            ("PERSON_NAME", "Maribel Quenneville"),
            ("PERSON_NAME", "Ostrowski"),
            ("PHONE_NUMBER", "555-234-5678"),
        ]

    def test_contact_note(self) -> None:
        """The emergency contact's full name and the phone are found."""
        assert spans(detect(CONTACT_NOTE)) == [
            ("PERSON_NAME", "Thaddeus Abernathy"),
            ("PHONE_NUMBER", "555.234.5678"),
        ]

    def test_organization(self) -> None:
        """An institution name is one ORGANIZATION_NAME."""
        assert detect("Abernathy Memorial Hospital") == [
            Finding("ORGANIZATION_NAME", 0, 27, "Abernathy Memorial Hospital")
        ]

    def test_phone_and_dob(self) -> None:
        """A phone and a date after DOB are found."""
        assert spans(detect(PHONE_DOB)) == [
            ("PHONE_NUMBER", "(555) 234-5678"),
            ("DATE_OF_BIRTH", "03/04/1971"),
        ]

    def test_description_with_and_without_context(self) -> None:
        """The surname needs the context; the date does not."""
        text = "CT CHEST - QUENNEVILLE 03/14/2019"
        assert spans(detect(text)) == [("DATE", "03/14/2019")]
        assert spans(detect(text, CONTEXT)) == [
            ("LAST_NAME", "QUENNEVILLE"),
            ("DATE", "03/14/2019"),
        ]

    def test_pt_note_with_context(self) -> None:
        """With context the same note gives the same spans."""
        assert spans(detect(PT_NOTE, CONTEXT)) == spans(detect(PT_NOTE))


class TestInfoTypes:
    """The info_types filter."""

    def test_only_listed_types(self) -> None:
        """Only the listed types are reported."""
        assert spans(detect(PT_NOTE, info_types=["PHONE_NUMBER"])) == [
            ("PHONE_NUMBER", "555-234-5678")
        ]

    def test_vr_finding_filtered(self) -> None:
        """A VR finding of an unlisted type is not reported."""
        assert detect("John Doe", vr="PN", info_types=["DATE"]) == []

    def test_date_of_birth_reported_as_date(self) -> None:
        """With DATE but not DATE_OF_BIRTH listed, a birth date is a DATE."""
        assert spans(detect("DOB 03/04/1971", info_types={"DATE"})) == [("DATE", "03/04/1971")]
        assert spans(detect("03/04/1971", CONTEXT, info_types={"DATE"})) == [
            ("DATE", "03/04/1971")
        ]

    def test_empty_list(self) -> None:
        """An empty list reports nothing."""
        assert detect(PT_NOTE, CONTEXT, info_types=[]) == []

    def test_unknown_type(self) -> None:
        """An unknown infoType name is an error."""
        with pytest.raises(ValueError, match="Unknown infoTypes: NOT_A_TYPE"):
            detect("x", info_types=["NOT_A_TYPE"])


@pytest.mark.parametrize(
    "text, context",
    [
        (PT_NOTE, ()),
        (PT_NOTE, CONTEXT),
        (CONTACT_NOTE, CONTEXT),
        (PHONE_DOB, CONTEXT),
        ("Dr. Maribel Quenneville, 4478 Maple Grove Rd, Springfield, IL 62704", CONTEXT),
        ("MRN 48151623 SSN 123-45-6789 born 1971-03-04 j.q@example.com 10.0.0.1", CONTEXT),
        ("Villaseñor, José (555) 234-5678 Abernathy Memorial Hospital", CONTEXT),
        ("", CONTEXT),
    ],
)
def test_findings_are_sorted_disjoint_and_quoted(
    text: str, context: tuple[ContextValue, ...]
) -> None:
    """Findings are sorted, never overlap, quote their span and use known types."""
    findings = detect(text, context)
    for finding in findings:
        assert finding.quote == text[finding.start : finding.end]
        assert finding.info_type in DEFAULT_INFO_TYPES
        assert finding.start < finding.end
    for before, after in zip(findings, findings[1:]):
        assert before.end <= after.start


@pytest.mark.parametrize("text, name", [
    ("Emergency contact April Haynes 555.234.5678", "April Haynes"),
    ("contact June Quenneville", "June Quenneville"),
])
def test_cue_accepts_month_first_names(text, name):
    """After a cue word a census first name that is also a month still starts a name."""
    assert ("PERSON_NAME", name) in [(f.info_type, f.quote) for f in detect(text)]


def test_month_alone_is_not_a_name():
    """Without a cue a month followed by a year is a date, not a person."""
    assert [f.info_type for f in detect("Follow-up in April 2020")] == ["DATE"]


def test_a_remainder_glued_to_a_finding_joins_it():
    """The uncovered part of a losing candidate that touches a chosen finding with no character
    between (``O'Ruttledge84`` against ``Ermengarde Wynne O'Ruttledge``) extends that finding:
    one replacement, not ``[PERSON_NAME][PERSON_NAME]``; a separate remainder stays its own."""
    from transforms.text.detect import _resolve

    text = "Ermengarde Wynne O'Ruttledge84 has clear lungs"
    found = _resolve(text, [(0, 28, "PERSON_NAME", 2), (17, 30, "LAST_NAME", 2)])
    assert [(f.info_type, f.quote) for f in found] == [("PERSON_NAME", "Ermengarde Wynne O'Ruttledge84")]
    text = "Elza Nwosu APR"
    found = _resolve(text, [(5, 14, "PERSON_NAME", 2), (0, 10, "PERSON_NAME", 2)])
    assert [f.quote for f in found] == ["Elza Nwosu", "APR"]  # a space between: not glued


def _resolve_by_scanning(text, cands):
    """The first implementation of ``detect._resolve`` (a scan of every chosen span per
    candidate: quadratic), kept as the oracle for the bisecting one."""
    from transforms.text.detect import _RANK, _VR

    ordered = sorted({(src != _VR, s - e, -_RANK.get(kind, 0), -src, s, kind, e) for s, e, kind, src in cands})
    chosen = []
    for _, _, _, _, s, kind, e in ordered:
        pieces = [(s, e)]
        for cs, ce, _ in chosen:
            if not (cs >= e or ce <= s):
                pieces = [p for ps, pe in pieces for p in ((ps, min(pe, cs)), (max(ps, ce), pe)) if p[0] < p[1]]
        for ps, pe in pieces:
            remainder = (ps, pe) != (s, e)
            if remainder:
                while ps < pe and not text[ps].isalnum():
                    ps += 1
                while pe > ps and not text[pe - 1].isalnum():
                    pe -= 1
            if ps >= pe:
                continue
            glued = next((i for i, (cs, ce, _) in enumerate(chosen) if ce == ps or cs == pe), None) if remainder else None
            if glued is not None:
                cs, ce, ck = chosen[glued]
                chosen[glued] = (min(cs, ps), max(ce, pe), ck)
            else:
                chosen.append((ps, pe, kind))
    return sorted(chosen)


@pytest.mark.parametrize("seed", range(40))
def test_resolve_agrees_with_the_scanning_oracle(seed):
    """Random overlapping candidates: the bisecting resolution chooses what scanning every span chose."""
    import random

    from transforms.text.detect import _resolve

    rng = random.Random(seed)
    text = "".join(rng.choice("Ab1 ,.-'") for _ in range(120))
    kinds = ("PERSON_NAME", "DATE", "MEDICAL_RECORD_NUMBER", "LOCATION", "HEADER_TEXT")
    cands = []
    for _ in range(rng.randrange(1, 40)):
        s = rng.randrange(0, 118)
        cands.append((s, rng.randrange(s + 1, min(120, s + 25) + 1), rng.choice(kinds), rng.randrange(0, 4)))
    got = [(f.start, f.end, f.info_type) for f in _resolve(text, cands)]
    assert got == _resolve_by_scanning(text, cands)


def test_many_candidates_in_one_text():
    """20,000 capitalised words (one hostile element value) are resolved, one finding each (this took
    9 s by scanning, 0.3 s by bisection: bench figures in bench/RESULTS.md, not timed here)."""
    text = " ".join(["Abcdef"] * 20000)
    findings = Detector.for_context(()).detect(text)
    assert len(findings) == 19999 and findings[0].start == 0 and findings[-1].end == len(text)


def test_many_words_on_one_header_line():
    """A header line of 10,000 ``Smith,`` (7.4 s before the spans were indexed): every word is a finding."""
    text = "Smith, " * 10000
    findings = Detector.for_context(()).detect(text, layout="header")
    covered = {i for f in findings for i in range(f.start, f.end)}
    assert all(i in covered for i in range(0, len(text), 7))


def test_many_latin_phrases_in_one_text():
    """20,000 ``VENA SAPHENA`` (one hostile element value): no name, and each name candidate is
    placed against the Latin phrases by bisection (13 s by scanning every phrase, 0.8 s now)."""
    text = "VENA SAPHENA " * 20000 + "seen by Ulla Brannigan"
    names = [f.quote for f in Detector.for_context(()).detect(text) if f.info_type == "PERSON_NAME"]
    assert names == ["Ulla Brannigan"]


def test_many_id_runs_beside_many_candidates():
    """12,000 HL7 date-times on one header line (one hostile value): each run is placed against the
    candidates by bisection (9.8 s by scanning every candidate for every run, 0.1 s now)."""
    text = "201410140251+0800 " * 12000
    findings = Detector.for_context(()).detect(text, layout="line")
    assert sum(f.info_type == "DATE" for f in findings) == 12000


def test_many_dates_beside_national_id_tokens():
    """12,000 YYYYMMDD dates in one value: each digit token is placed against the dates by
    bisection (3.6 s by scanning every date for every token, 0.1 s now)."""
    text = " ".join(["19980303"] * 12000)
    assert sum(f.info_type == "DATE" for f in Detector.for_context(()).detect(text)) == 12000
