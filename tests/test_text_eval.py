"""The text detector on identifiers nobody listed (issue 19): held-out sets, device formats,
clinical vocabulary, and the layout rule of burned-in text. Fast (about two seconds).

The held-out sets (``bench/text_eval_sets.py``, names and places from Faker locales the detector
does not ship) are checked against floors a little under what ``bench/bench_text_detector.py``
measures on 300 cases per set (``bench/RESULTS.md``), so a change that loses recall fails here.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from transforms.text.detect import HEADER_TEXT, Detector, detect
from transforms.text.layout import header_lines

# bench/ as the namespace package the other tests use (bench.burnedin_cases): putting bench/
# itself on sys.path first would make ``import bench`` find bench/bench.py instead.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_text_detector import evaluate  # noqa: E402
from bench.text_eval_sets import build  # noqa: E402

# set -> {kind: floor} (recall), or a ceiling on the false-positive rate.
FLOORS = {
    "display": {"NAME": 0.95},
    "header": {"NAME": 0.95, "DATE": 0.95, "ID": 0.99},
    "overlay": {"NAME": 0.90, "DATE": 0.99, "ID": 0.99, "INSTITUTION": 0.95},
    "narrative": {"NAME": 0.97},
    "institution": {"INSTITUTION": 0.95},
    "dates": {"DATE": 0.99},
}
FP_CEILING = 0.02


@pytest.fixture(scope="module")
def heldout():
    matcher = Detector.for_context(())

    def run(text, set_name, where):
        layout = {"overlay": "header" if where == "top" else "line", "header": "line"}.get(set_name)
        return [(f.start, f.end) for f in matcher.detect(text, layout=layout)]

    return evaluate(build("heldout", size=100), {"project": run})["project"]


@pytest.mark.parametrize("set_name", sorted(FLOORS))
def test_heldout_recall(heldout, set_name):
    recall = heldout[set_name]["recall"]
    for kind, floor in FLOORS[set_name].items():
        assert recall[kind] >= floor, (set_name, kind, recall[kind])


@pytest.mark.parametrize("set_name", ["vocabulary", "dicom_codes"])
def test_heldout_vocabulary_false_positives(heldout, set_name):
    assert heldout[set_name]["fp_rate"] <= FP_CEILING


@pytest.mark.parametrize(
    "text, quote",
    [
        ("DOB 24-MAY-02", "24-MAY-02"),
        ("7-OCT-2016", "7-OCT-2016"),
        ("7-Oct-2016 14:20", "7-Oct-2016"),
        ("11-05-25-142825", "11-05-25-142825"),
        ("05/24/2002", "05/24/2002"),
        ("20020524", "20020524"),
        ("DATE:24MAY2002", "24MAY2002"),
        ("24MAY02", "24MAY02"),
        ("2002.05.24", "2002.05.24"),
        ("24/MAY/2002", "24/MAY/2002"),
    ],
)
def test_device_dates(text, quote):
    assert quote in [f.quote for f in detect(text) if f.info_type in ("DATE", "DATE_OF_BIRTH")]


@pytest.mark.parametrize("text", ["31-FEB-02", "11-13-25-142825", "2002.13.24", "C5-1 24Hz", "FR 24-MAYO-2"])
def test_device_date_lookalikes(text):
    assert not [f for f in detect(text) if f.info_type in ("DATE", "DATE_OF_BIRTH")]


def test_id_beside_a_name_and_not_alone():
    assert ("MEDICAL_RECORD_NUMBER", "0001128201") in [(f.info_type, f.quote) for f in detect("Rosamund Brannigan 0001128201")]
    assert detect("Series 1234567") == []
    assert detect("Image 0001128201 of a phantom") == []


@pytest.mark.parametrize(
    "text, quote",
    [
        ("BAPTIST MED CTR", "BAPTIST MED CTR"),
        ("*WESTWAY MEDICAL*", "WESTWAY MEDICAL"),
        ("AGMC Sports Medicine", "AGMC Sports Medicine"),
        ("ST MARY HOSP", "ST MARY HOSP"),
    ],
)
def test_institutions(text, quote):
    assert ("ORGANIZATION_NAME", quote) in [(f.info_type, f.quote) for f in detect(text)]


@pytest.mark.parametrize(
    "text",
    [
        "Female", "W:400 L:40", "ABDOMEN", "C5-1", "L12-5 MSK", "Lisinopril 10 mg", "Metformin, Lisinopril",
        "Internal Medicine", "Nuclear Medicine", "GE Healthcare", "SIEMENS HEALTHINEERS", "Portable AP Chest",
        "AXIAL T2 FLAIR", "Regurgitant Fraction", "Intraductal Papillomas", "patient Position Acquisition",
        "LOGIQ E9 ABD FR 24Hz MI 1.2 TIs 0.4",
    ],
)
def test_clinical_vocabulary_is_not_an_identifier(text):
    assert detect(text) == []
    assert detect(text.upper()) == []


@pytest.mark.parametrize(
    "text, quote",
    [
        ("Rosamund Brannigan reports", "Rosamund Brannigan"),
        ("OKAFOR^SIOBHAN", "OKAFOR^SIOBHAN"),
        ("VAN DER BERG^JAN", "VAN DER BERG^JAN"),
        ("Okafor, Siobhan", "Okafor, Siobhan"),
        ("Mr. O'Neill", "O'Neill"),
        ("Ms. de Groot", "de Groot"),
        ("Kate Əmirova", "Kate Əmirova"),
        ("Liesbeth Brown", "Liesbeth Brown"),
        ("BROWN JAMES", "BROWN JAMES"),
        # particles of a family name, any case, before and after the rest of the name
        ("van Beulingen, Rickey K", "van Beulingen, Rickey K"),
        ("ANGEL TER HONCK", "ANGEL TER HONCK"),
        ("Lisa Meerdink aan de Broekmuele reports", "Lisa Meerdink aan de Broekmuele"),
        # a family name of two words before FAMILY^GIVEN
        ("MAJD UDEEN^KELLY", "MAJD UDEEN^KELLY"),
        # Given M. Family with one name-like word; O'neal
        ("Bo A. Sadiqov", "Bo A. Sadiqov"),
        ("Larentius Z. O'neal presented", "Larentius Z. O'neal"),
        # names that are ordinary words: census first name + census surname, name-like word + surname
        ("Rob Hart", "Rob Hart"),
        ("Aleka Gut", "Aleka Gut"),
        # Dutch names ending in -aal/-dal are not clinical adjectives (intraductal)
        ("OTABEK GROENENDAAL", "OTABEK GROENENDAAL"),
    ],
)
def test_names_nobody_listed(text, quote):
    assert ("PERSON_NAME", quote) in [(f.info_type, f.quote) for f in detect(text)]


def _kinds(text, layout):
    return [(f.info_type, f.quote) for f in Detector.for_context(()).detect(text, layout=layout)]


def test_header_line_fails_closed_on_unknown_words():
    # top edge: CCHS is not a technical term; ABDOMEN is
    assert _kinds("CCHS  ABDOMEN", "header") == [(HEADER_TEXT, "CCHS")]
    assert _kinds("CCHS CLEVELAND", "header") == [("PERSON_NAME", "CCHS CLEVELAND")]
    # technical header text stays
    assert _kinds("C5-1 ABDOMEN FR 24Hz MI 1.2", "header") == []
    # a line with an ID is a header line wherever it is: the word beside the ID goes, even an English one
    assert (HEADER_TEXT, "BIGOT") in _kinds("BIGOT  340070223", "line")
    # ... and an initial after a surname
    assert (HEADER_TEXT, "M") in _kinds("VOGT M | 18-MAR-97 | 5228858", "line")
    # a line without evidence stays as the plain detector sees it
    assert _kinds("No acute findings", "line") == []
    assert ("PERSON_NAME", "TEST, ADL") in _kinds("TEST, ADL", "line")


def test_header_line_flags_spread_along_the_line():
    # English words next to a flagged word or an initial go (LOON, TUTU, BIGOT); a technical
    # term that is a census surname goes beside an initial (DIXON M)
    assert [q for _, q in _kinds("VAN LOON KARAMA 529458489 12/07/2011", "line")][:3] == ["VAN", "LOON", "KARAMA"]
    assert (HEADER_TEXT, "TUTU") in _kinds("TUTU KIBURI 13483914 6-Jul-1961", "line")
    assert (HEADER_TEXT, "DIXON") in _kinds("DIXON M 21-NOV-15 3296809", "line")
    assert ("PERSON_NAME", "PORTER, MAX") in _kinds("PORTER, MAX 35964479", "header")
    # technical and plain header text without a name stays
    assert _kinds("No acute findings", "header") == []
    assert _kinds("Liver Long 12/03/2020", "line") == [("DATE", "12/03/2020")]


@pytest.mark.parametrize(
    "text, quote",
    [
        ("OKAFOR\uff0cMARGARET", "OKAFOR\uff0cMARGARET"),  # a full-width comma, as PP-OCR reads one
        ("BEATRIZABERNATHY", "BEATRIZABERNATHY"),  # two words OCR glued
        ("ABERNATHY.BEATRIZ", "ABERNATHY.BEATRIZ"),
        ("LakeviewMedical Center", "LakeviewMedical"),
        ("Northgate Imaging Centre", "Northgate Imaging Centre"),
        ("W: 400 L: 40iD94845306", "94845306"),  # an ID glued to the window text beside it
    ],
)
def test_burned_in_lines_as_ocr_reads_them(text, quote):
    assert quote in [q for _, q in _kinds(text, "line")]


@pytest.mark.parametrize("text", ["LYMPH NODE", "Sag Liver L-M", "HGen HPen", "W: 1500L: 50", "Adv Breast", "TIS0.4 MI 1.4"])
def test_plain_burned_in_lines_stay(text):
    assert _kinds(text, "line") == []


def test_overlapping_findings_keep_every_word():
    # "Elza Nwosu" and "Nwosu APR" overlap: the longer wins, Elza is still a finding, and so is the date
    found = _kinds("Elza Nwosu APR 19 1997", "header")
    quotes = " ".join(q for _, q in found)
    assert "Elza" in quotes and "Nwosu" in quotes and "1997" in quotes


def test_header_text_ignores_info_types_and_layout_is_checked():
    found = Detector.for_context(()).detect("CCHS", info_types=["DATE"], layout="header")
    assert [f.info_type for f in found] == [HEADER_TEXT]
    with pytest.raises(ValueError):
        detect("x", layout="page")  # type: ignore[arg-type]


def test_header_lines_top_edge_and_under_a_name_label():
    boxes = [(10, 5, 200, 20), (10, 300, 120, 315), (10, 318, 160, 333), (300, 318, 400, 333), (10, 480, 90, 495)]
    texts = ["ST MARY HOSP", "Patient Name:", "OKAFOR SIOBHAN", "far away", "5 cm"]
    assert header_lines(boxes, texts, 512) == [True, False, True, False, False]


@pytest.mark.parametrize(
    "text, quote",
    [
        # a role label names a person: what follows it is a name, an ordinary word or an initial included
        ("Operator: M. Skoog", "M. Skoog"),
        ("Ref Phys: BRAKE", "BRAKE"),
        ("Sonographer: H. De Vos", "H. De Vos"),
        ("Read by Okafor on 12/01/2020", "Okafor"),
        ("Ref: BAI", "BAI"),
        # an initial with its dot before a name is part of it
        ("by K. Siobhan Okafor", "K. Siobhan Okafor"),
        # FAMILY, GIVEN M: the form is evidence when one word is name-like
        ("FILET, ALICJA R", "FILET, ALICJA R"),
    ],
)
def test_names_by_role_label_and_form(text, quote):
    assert ("PERSON_NAME", quote) in [(f.info_type, f.quote) for f in detect(text)]


@pytest.mark.parametrize(
    "text",
    [
        # a role label followed by technical or plain words is no name
        "Ref: L12-5", "Performed by: Radiology Dept", "Tech: GE", "Operator: NONE",
        # eponyms: capitalised words before a noun that names a method, sign or disease
        "Agatston Score Threshold", "Barrett Toric", "Barrett Design Factor", "Extended Tofts Model",
        # clinical words the DICOM code dictionary writes in lower case (its tune half)
        "Globus Pallidus", "Vena Cava", "Patent Foramen Ovale", "Pituitary Fossa",
        # ordinary words after a cue, and a census first name that is an ordinary word
        "Patient Setup Point", "Rejected for Patient Safety Reasons", "Manual Hold", "FWP by GA, Hadlock, 1991",
    ],
)
def test_clinical_and_eponym_terms_are_not_names(text):
    assert [f for f in detect(text) if f.info_type == "PERSON_NAME"] == []


@pytest.mark.parametrize(
    "text, quote",
    # a first name and a surname before an eponym noun stay a name
    [("Mary Jones disease", "Mary Jones"), ("Mary Ring", "Mary Ring"), ("Rose Hill spoke", "Rose Hill")],
)
def test_names_before_eponym_nouns_stay(text, quote):
    assert ("PERSON_NAME", quote) in [(f.info_type, f.quote) for f in detect(text)]


# Fifth round (tuned on the tune part and heldout3; heldout4 held out).
@pytest.mark.parametrize(
    "text, quote",
    [
        # a title and a lone capital letter: a one-letter family name, not an initial before a name
        ("Ms. O tolerated the procedure.", "O"),
        ("Results called to Dr. U.", "U"),
        # a lone capital letter right after a name joins it
        ("Referred by Tadesse K, MD for review", "Tadesse K"),
        ("Ref: SKOOG M", "SKOOG M"),
        # a cue word before a parenthesis
        ("Mother (Keto Tsiklauri) at bedside.", "Keto Tsiklauri"),
        # a name-like word and a short family name that is no ordinary word
        ("Seen with Chidera Xu today", "Chidera Xu"),
        ("NGOZI XU", "NGOZI XU"),
        # a family name by its ending, after any capitalised word
        ("Abet Kuznetsova reports improvement", "Abet Kuznetsova"),
        # Family, Given with a one-letter family name
        ("O, TEMITOPE", "O, TEMITOPE"),
        # family names that end as an inflammation or a Latin adjective would are still names
        # (guards of the new shapes: these two passed before the round, as "Ambu Bag" below did)
        ("ARVYDAS ADOMAITIS", "ARVYDAS ADOMAITIS"),
        ("Kostas Zacharis", "Kostas Zacharis"),
    ],
)
def test_round5_names(text, quote):
    assert ("PERSON_NAME", quote) in [(f.info_type, f.quote) for f in detect(text)]


def test_round5_letter_before_a_name_on_a_header_line():
    found = Detector.for_context(()).detect("5946932267  O Kwabena", layout="line")
    assert any(f.quote == "O" for f in found)


@pytest.mark.parametrize(
    "text",
    [
        # an eponym before a noun the code dictionary writes in lower case (its tune half)
        "KOCHER POINT", "Kohlrausch Folds", "Kerckring B Folds",
        # a product name's inner capitals, a roman-numeral grade
        "Planmeca ProMax", "Vatech PaXi", "Forrest IIB",
        # -itis after an English word, Latin adjectives of anatomy
        "RIEDEL THYROIDITIS", "ORBICULARIS OCULI",
        # a short English word is no family name
        "Ambu Bag",
    ],
)
def test_round5_not_names(text):
    assert [f for f in detect(text) if f.info_type == "PERSON_NAME"] == []


# Sixth round (tuned on the tune part, heldout3 and heldout4; heldout5 held out).
@pytest.mark.parametrize(
    "text",
    [
        # a prefix and an English word is an English word
        "Nonspecific QRS-T changes",
        # a hyphenated compound of ordinary words
        "End-expiratory Side-stream sampling",
        "Breath-hold Free-breathing",
        # two first names before an eponym noun (no family name among them)
        "Monte Carlo Technique",
        "Sally Carlo Method",
        # a reference cited as clinical text cites one: abbreviation, author, year
        "OFD, Hansmann, 1985",
        # -itis of an organ's word that ends in -y
        "HORTON ARTERITIS",
        "Takayasu Arteritis",
    ],
)
def test_round6_not_names(text):
    assert not [f for f in detect(text) if f.info_type == "PERSON_NAME"]


@pytest.mark.parametrize(
    "text, quote",
    [
        # Given M. Family with a family name that is a technical term and a census name
        ("SUBRAMANIAM K. RAO", "SUBRAMANIAM K. RAO"),
        # a drug or adjective ending does not make a word clinical when no English word begins so
        ("Gnanaseelan Tmperumal", "Gnanaseelan Tmperumal"),
        ("Skntla Nmpiyary", "Skntla Nmpiyary"),
        # the patient's name label
        ("Name: Lksmi Drvary", "Lksmi Drvary"),
        ("NAME: Pusp Krpasary", "Pusp Krpasary"),
        # guards: a frequent surname in capitals before the citation shape, a first name and a
        # family name before an eponym noun, a hyphenated given name
        ("LEE, John 1961", "LEE, John"),
        ("Mary Jones disease", "Mary Jones"),
        ("Rose-Marie Okafor", "Rose-Marie Okafor"),
    ],
)
def test_round6_names(text, quote):
    assert ("PERSON_NAME", quote) in [(f.info_type, f.quote) for f in detect(text)]


def test_round6_protocol_name_label_is_no_name_label():
    assert not [f for f in detect("Protocol Name: Routine Brain") if f.info_type == "PERSON_NAME"]


def test_round6_census_name_beside_a_name_like_word_on_a_header_line():
    found = Detector.for_context(()).detect("RAO SKNTLA  1234567", layout="line")
    assert "RAO" in [f.quote for f in found]


@pytest.mark.parametrize("text", ["GENERAL HOSPITAL", "ON IMAGING CENTRE", "NO ONE CLINIC"])
def test_round6_institution_at_the_top_edge(text):
    found = Detector.for_context(()).detect(text, layout="header")
    # stop and ordinary words before a strong cue, at the top edge only
    assert ("ORGANIZATION_NAME", text) in [(f.info_type, f.quote) for f in found]
    assert not [f for f in detect(text) if f.info_type == "ORGANIZATION_NAME"]


# Seventh round (tuned on the tune part and heldout3 ... heldout5; heldout6 held out). Each case
# of test_round7_not_names and test_round7_names fails on the detector before the round (ca97968);
# test_round7_guards passes on both.
@pytest.mark.parametrize(
    "text",
    [
        # Latin anatomy in capitals: a noun in -us/-um/-a and an adjective or genitive
        "ARTERIA FEMORALIS",
        "PROCESSUS STYLOIDEUS",
        "LIGAMENTUM NUCHAE",
        "RECESSUS SACCIFORMIS",
        # a finding named after a person: the second word a tumour, contracture
        "VOLKMANN CONTRACTURE",
        "Warren Fibroma",
    ],
)
def test_round7_not_names(text):
    assert not [f for f in detect(text) if f.info_type == "PERSON_NAME"]


@pytest.mark.parametrize(
    "text, quote",
    [
        # a two-letter family name that is an English, stop or technical word, written as a name
        ("Seen with Lobsang Pi today.", "Lobsang Pi"),
        ("Witness (Wangmo No) present.", "Wangmo No"),
        ("Dolkar Ma", "Dolkar Ma"),
        ("Tenzin Po", "Tenzin Po"),
        ("TSERING K. MA", "TSERING K. MA"),
        ("Dolkar P. Ga", "Dolkar P. Ga"),
        ("No, Dawalhamo R", "No, Dawalhamo R"),
        ("PM, TSERINGMO", "PM, TSERINGMO"),
        # -vir is a drug ending only after a vowel
        ("Pema Skrvir", "Pema Skrvir"),
    ],
)
def test_round7_names(text, quote):
    assert ("PERSON_NAME", quote) in [(f.info_type, f.quote) for f in detect(text)]


@pytest.mark.parametrize(
    "text, quote",
    [
        # census names in Latin shapes stay names
        ("Marcus Baum", "Marcus Baum"),
        ("Julia Macrae", "Julia Macrae"),
        ("Lucia Ferrae", "Lucia Ferrae"),
        # two-letter technical words as parameters and views, No before a word, a citation
        ("Doppler Pi 1.2", None),
        ("Stnd Ax", None),
        ("Gadavist No flow", None),
        ("FL by GA, KURMAK 1991", None),
    ],
)
def test_round7_guards(text, quote):
    names = [f.quote for f in detect(text) if f.info_type == "PERSON_NAME"]
    assert names == ([quote] if quote else [])


# Eighth round (tuned on heldout6, measured once in the seventh round, and the earlier tuning parts).
# Each case of test_round8_names and test_round8_not_names fails on the detector before the round
# (3a543ba); test_round8_guards passes on both.
@pytest.mark.parametrize(
    "text, quote",
    [
        # Family, G.: a display string's family name and initials, each with its dot
        ("Wojtaszek, B.", "Wojtaszek, B."),
        ("Oyelaran, T. A.", "Oyelaran, T. A."),
        ("Seen by Nwachukwu, C. today", "Nwachukwu, C."),
        ("Zbigniewska, K.", "Zbigniewska, K."),
        # FAMILY Given: the family name in capitals, one of the two words name-like
        ("OKONJO Ifeoma", "OKONJO Ifeoma"),
        ("COTTON Ngozi", "COTTON Ngozi"),
    ],
)
def test_round8_names(text, quote):
    assert ("PERSON_NAME", quote) in [(f.info_type, f.quote) for f in detect(text)]


@pytest.mark.parametrize(
    "text",
    [
        # a genitive in -i after a noun in -us, -um or -x
        "GYRUS DENTATI",
        "LOBUS QUADRATI",
        "MEATUS ACUSTICI",
        # two dictionary words, one of them a rare English word (SCOWL size 70)
        "SCAPHOID TUBEROSITY",
        # a technical term that is a census first name is no evidence of a name
        "ECHO LVEF",
    ],
)
def test_round8_not_names(text):
    assert not [f for f in detect(text) if f.info_type == "PERSON_NAME"]


@pytest.mark.parametrize(
    "text, quote",
    [
        # acronyms before an ordinary word are no FAMILY Given
        ("TAVI Sizing", None),
        ("MRCP Review", None),
        # census names stay names in the new shapes' neighbourhood
        ("Marcus Bellini", "Marcus Bellini"),
        ("Dines Silva", "Dines Silva"),
        ("Hamza Elatli", "Hamza Elatli"),
        # a state or a technical term before initials is no family name
        ("Springfield, Ohio, U.S.", None),
        ("Levels: Vitamin, D. pending", None),
    ],
)
def test_round8_guards(text, quote):
    names = [f.quote for f in detect(text) if f.info_type == "PERSON_NAME"]
    assert names == ([quote] if quote else [])


# Found on heldout7 after its one measurement (so tuned on it): an ISO 8601 date-time is one date,
# time included, and ASSOC ends an institution as ASSOCIATES does.
@pytest.mark.parametrize(
    "text, quote, info_type",
    [
        ("Acquired 2011-09-30T07:45 on unit 2", "2011-09-30T07:45", "DATE"),
        ("DOB: 1950-01-02T00:00:00Z", "1950-01-02T00:00:00Z", "DATE_OF_BIRTH"),
        ("Outside films from WHITLEY RADIOLOGY ASSOC", "WHITLEY RADIOLOGY ASSOC", "ORGANIZATION_NAME"),
    ],
)
def test_round8_formats(text, quote, info_type):
    assert (info_type, quote) in [(f.info_type, f.quote) for f in detect(text)]


# Also read on heldout7 after its measurement: the words before a clinician's credential are a name
# (a given name that is an English word included), and M.D. after a comma is no initials.
@pytest.mark.parametrize(
    "text, quote",
    [
        ("Dictated: Clay Wrzesniewski, MD", "Clay Wrzesniewski"),
        ("Discussed with Oduya RN at the bedside", "Oduya"),
        ("Case seen with Ana B. Ruiz, M.D. today", "Ana B. Ruiz"),
        ("Internal Medicine, MD", None),
        ("Radiology, MD", None),
    ],
)
def test_round8_credentials(text, quote):
    names = [f.quote for f in detect(text) if f.info_type == "PERSON_NAME"]
    assert names == ([quote] if quote else [])


# Ninth round (tuned on heldout7 after its one measurement, and the earlier parts). Each case of
# test_round9_names and test_round9_not_names fails on e258edc; test_round9_guards passes on both.
@pytest.mark.parametrize(
    "text, quote",
    [
        # Family, G. as the whole value: the shape is the evidence, an English word too
        ("Mica, E.", "Mica, E."),
        ("Ani, Z. K.", "Ani, Z. K."),
    ],
)
def test_round9_names(text, quote):
    assert ("PERSON_NAME", quote) in [(f.info_type, f.quote) for f in detect(text)]


@pytest.mark.parametrize(
    "text",
    [
        # Latin: -oideus/-idea after a noun, -anus/-atus/-inus/-ivus/-tius after -ulus or -vus
        "ARTERIA SPHENOIDEA",
        "CELLULA ETHMOIDEA",
        "MUSCULUS PECTINATUS",
        "NERVUS PALATINUS",
    ],
)
def test_round9_not_names(text):
    assert not [f for f in detect(text) if f.info_type == "PERSON_NAME"]


@pytest.mark.parametrize(
    "text, quote",
    [
        # Lithuanian names in -ius stay names; Family, G. inside running text needs a name-like word
        ("Paulius Mickevicius", "Paulius Mickevicius"),
        ("Seen with Mica, E. today", None),
        ("Type, B.", None),
    ],
)
def test_round9_guards(text, quote):
    names = [f.quote for f in detect(text) if f.info_type == "PERSON_NAME"]
    assert names == ([quote] if quote else [])


# Tenth round (tuned on heldout8 after its one measurement, and the earlier parts). Each case of
# test_round10_found fails on b104861; test_round10_guards passes on both.
@pytest.mark.parametrize(
    "text, quote, info_type",
    [
        # dates: year first with a month name, Roman-numeral months
        ("Exam 1981 Aug 30 done", "1981 Aug 30", "DATE"),
        ("Scan: 2011-FEB-09", "2011-FEB-09", "DATE"),
        ("DOB 3.VIII.1964", "3.VIII.1964", "DATE_OF_BIRTH"),
        # a name typed in lower case after a cue
        ("spoke with adaeze okonkwo re: results", "adaeze okonkwo", "PERSON_NAME"),
        ("pt's husband chidubem eze-nwosu called", "chidubem eze-nwosu", "PERSON_NAME"),
        # Arabic and French prefixes, bint, Mx
        ("Message left for Samira al-Haddadi today.", "Samira al-Haddadi", "PERSON_NAME"),
        ("Witness: Amal bint Rashida", "Amal bint Rashida", "PERSON_NAME"),
        ("Reviewed Mx. Okoro's films", "Okoro's", "PERSON_NAME"),
        # a given or family name in -oma, -ide, -ate that no dictionary holds
        ("Ifeoma Eze", "Ifeoma Eze", "PERSON_NAME"),
        ("OLAMIDE ADEYEMI", "OLAMIDE ADEYEMI", "PERSON_NAME"),
        # institutions: Hospital Municipal de X, polyclinics, family practices
        ("Transferred from Hospital Regional de Itabuna", "Hospital Regional de Itabuna", "ORGANIZATION_NAME"),
        ("Seen at Mbeki Polyclinic", "Mbeki Polyclinic", "ORGANIZATION_NAME"),
        ("OKONJO FAMILY PRACTICE", "OKONJO FAMILY PRACTICE", "ORGANIZATION_NAME"),
    ],
)
def test_round10_found(text, quote, info_type):
    assert (info_type, quote) in [(f.info_type, f.quote) for f in detect(text)]


@pytest.mark.parametrize(
    "text",
    [
        # clinical shorthand in lower case after a cue, words of a dictionary, drugs
        "per ortho recs",
        "spoke with vasc surg",
        "patient metoprolol succinate",
        "pt denies dysuria",
        # tumours whose names are dictionary words, a year and a number
        "Cerebellar Meningioma",
        "Invasive Thymoma",
        "Table 2009 May 123",
        "Refer to Family Practice",
    ],
)
def test_round10_guards(text):
    assert not [f for f in detect(text) if f.info_type in ("PERSON_NAME", "ORGANIZATION_NAME", "DATE")]


# Eleventh round (tuned on heldout9 after its one measurement, and the earlier parts). Each case of
# test_round11_found fails on 37cc417; test_round11_guards passes on both.
@pytest.mark.parametrize(
    "text, quote, info_type",
    [
        # a weekday before a date, "the 10th of May", the ISO 8601 basic date-time
        ("Seen Tuesday, 4 March 1997", "Tuesday, 4 March 1997", "DATE"),
        ("Admitted 21st of October 2003", "21st of October 2003", "DATE"),
        ("Acquired 20031021T101500", "20031021T101500", "DATE"),
        # a nickname in quotes, a signature with an initial and a credential
        ('Discussed with Chidinma "Chi" Obiora today', 'Chidinma "Chi" Obiora', "PERSON_NAME"),
        ("Images reviewed --K. Adesanya, RT(R)(MR)", "K. Adesanya", "PERSON_NAME"),
        # a lower-case name with a particle after a cue, binti
        ("spoke with yusuf el mansouri re: results", "yusuf el mansouri", "PERSON_NAME"),
        ("Witness: Nurul binti Hashim", "Nurul binti Hashim", "PERSON_NAME"),
        # institutions: the cue first, a centre or an institute after a name-like word
        ("Transferred from Centre Hospitalier de Tlemcen", "Centre Hospitalier de Tlemcen", "ORGANIZATION_NAME"),
        ("HOSP. MOSTAGANEM", "HOSP. MOSTAGANEM", "ORGANIZATION_NAME"),
        ("Okonkwo Eye Inst.", "Okonkwo Eye Inst.", "ORGANIZATION_NAME"),
        ("BENAOUDA KIDNEY CENTER", "BENAOUDA KIDNEY CENTER", "ORGANIZATION_NAME"),
    ],
)
def test_round11_found(text, quote, info_type):
    assert (info_type, quote) in [(f.info_type, f.quote) for f in detect(text)]


@pytest.mark.parametrize(
    "text",
    [
        # a centre after ordinary words or a short acronym, quotes around a technical word
        "Trauma Center",
        "AEC Center",
        'Lesion "A" Left',
        'Marked "FRAGILE" Box',
        "per de novo",
        "Radiology, MD",
    ],
)
def test_round11_guards(text):
    assert not [f for f in detect(text) if f.info_type in ("PERSON_NAME", "ORGANIZATION_NAME")]


# Twelfth round (tuned on heldout10 after its one measurement, and the earlier parts). Each case
# of test_round12_found and test_round12_shorthand_is_no_name fails on 88d7968;
# test_round12_guards passes on both.
@pytest.mark.parametrize(
    "text, quote, info_type",
    [
        # a two-digit year after an apostrophe; a month and day without a year
        ("Seen 14 February '71", "14 February '71", "DATE"),
        ("DOB Aug 9 '55", "Aug 9 '55", "DATE_OF_BIRTH"),
        ("Next visit: September 14", "September 14", "DATE"),
        ("Rec'd Nov. 2nd", "Nov. 2nd", "DATE"),
        ("Admitted the 9th of April", "9th of April", "DATE"),
        # FAMILY/GIVEN, initials first, a greeting, a credential
        ("OKONKWO/ADAEZE", "OKONKWO/ADAEZE", "PERSON_NAME"),
        ("C. N. Adebayo", "C. N. Adebayo", "PERSON_NAME"),
        ("Dear Bandele,", "Bandele", "PERSON_NAME"),
        ("Hello Chidubem", "Chidubem", "PERSON_NAME"),
        ("--Amaka Eze, CNMT", "Amaka Eze", "PERSON_NAME"),
        # institutions: memorial, dialysis unit, a saint's possessive
        ("Transferred from NNAMDI MEMORIAL", "NNAMDI MEMORIAL", "ORGANIZATION_NAME"),
        ("Obiora Dialysis Unit", "Obiora Dialysis Unit", "ORGANIZATION_NAME"),
        ("Images from St. Chinedu's", "St. Chinedu's", "ORGANIZATION_NAME"),
    ],
)
def test_round12_found(text, quote, info_type):
    assert (info_type, quote) in [(f.info_type, f.quote) for f in detect(text)]


@pytest.mark.parametrize(
    "text",
    [
        "May 5 mg",
        "Lisinopril 10 mg daily",
        "DNR/DNI",
        "T1/T2",
        "S. Aureus",
        "Dear Colleague",
        "Hi Res",
        "St. Louis",
        "Memorial Day",
        "Transferred to the dialysis unit",
    ],
)
def test_round12_guards(text):
    assert not [f for f in detect(text) if f.info_type in ("PERSON_NAME", "ORGANIZATION_NAME", "DATE")]


@pytest.mark.parametrize("text", ["PER WOUND CARE RN", "SPOKE WITH RAD ONC", "Per Nephro Fellow"])
def test_round12_shorthand_is_no_name(text):
    # clinical shorthand after a cue or before a credential (fails on 88d7968)
    assert not [f for f in detect(text) if f.info_type == "PERSON_NAME"]


@pytest.mark.parametrize("layout", ["line", "header"])
def test_ocr_small_initial_before_an_institution_cue(layout):
    # OCR read the capital O as o (a make_corpus image, seed 27147): the institution is still found
    # on a burned-in line; plain text keeps its rule (capitalised words only)
    found = [(f.info_type, f.quote) for f in detect("olsen Community Clinic", layout=layout)]
    assert ("ORGANIZATION_NAME", "olsen Community Clinic") in found
    assert not detect("olsen Community Clinic")


# Thirteenth round (tuned on heldout11 after its one measurement, and the earlier parts). Each case
# of test_round13_found fails on ac324f3; test_round13_guards passes on both.
@pytest.mark.parametrize(
    "text, quote, info_type",
    [
        # D.M.YY and D-M-YY, YY/MM/DD, a month and an apostrophe year
        ("Study: 14.6.83", "14.6.83", "DATE"),
        ("Seen 07-11-99", "07-11-99", "DATE"),
        ("Acq Date: 64/09/17", "64/09/17", "DATE"),
        ("Onset: September '87", "September '87", "DATE"),
        # a short family name in -tion no dictionary holds, a company suffix after an institution
        ("Signed: Harahap Nasution", "Harahap Nasution", "PERSON_NAME"),
        ("Okoye Radiology, P.C.", "Okoye Radiology, P.C.", "ORGANIZATION_NAME"),
        ("Enugu Medical Center Ltd", "Enugu Medical Center Ltd", "ORGANIZATION_NAME"),
    ],
)
def test_round13_found(text, quote, info_type):
    assert (info_type, quote) in [(f.info_type, f.quote) for f in detect(text)]


@pytest.mark.parametrize(
    "text",
    ["Software V 5.6.08", "version 1.7.10", "Segmental Revascularization", "Acute Inflammation", "Im: 45/120"],
)
def test_round13_guards(text):
    assert not [f for f in detect(text) if f.info_type in ("PERSON_NAME", "ORGANIZATION_NAME", "DATE")]


# Fourteenth round (tuned on heldout12 after its one measurement, the earlier parts, and a date
# grammar written from first principles: every order, separator, month form and year width).
# Each case of test_round14_found fails on d5c5048; in test_round14_guards the first ten are false
# positives d5c5048 had, the rest pass on both.
@pytest.mark.parametrize(
    "text, quote, info_type",
    [
        # a month name between any separators, in the three orders, and month-year
        ("Seen Mar-03-1998.", "Mar-03-1998", "DATE"),
        ("Exam 03.MAR.98 reviewed", "03.MAR.98", "DATE"),
        ("Acq 1998MAR03", "1998MAR03", "DATE"),
        ("Date: March/3/1998", "March/3/1998", "DATE"),
        ("Since Mar-1998", "Mar-1998", "DATE"),
        ("Seen Mar 3 98.", "Mar 3 98", "DATE"),
        # numeric: YYYY.M.D, YY.MM.DD, MM.DD.YYYY where the day is over 12, the DICOM DT written out
        ("Study: 1970.7.11", "1970.7.11", "DATE"),
        ("Study: 98.03.03", "98.03.03", "DATE"),
        ("Study: 07.23.1961", "07.23.1961", "DATE"),
        ("Acquired 19980303143055.123", "19980303143055.123", "DATE"),
        # months as European devices print them
        ("Untersuchung 08-DEZ-2026", "08-DEZ-2026", "DATE"),
        ("Examen du 3 févr. 1998", "3 févr. 1998", "DATE"),
        ("Fecha: 12 ene 2020", "12 ene 2020", "DATE"),
        ("Follow up on May. 18th.", "May. 18th", "DATE"),
        # a given name in parentheses; a name typed in lower case after a cue
        ("Eronen (Juho)", "Eronen (Juho)", "PERSON_NAME"),
        ("Rauni (Kalle) Vesterinen", "Rauni (Kalle) Vesterinen", "PERSON_NAME"),
        ("per satu asikainen the patient fell", "satu asikainen", "PERSON_NAME"),
        # a general hospital by its town, a hospital's kind before its place, Rumah Sakit
        ("Transferred from Tuusula General", "Tuusula General", "ORGANIZATION_NAME"),
        ("Hospital Universitario Raili", "Hospital Universitario Raili", "ORGANIZATION_NAME"),
        ("Images from RS KARKI", "RS KARKI", "ORGANIZATION_NAME"),
    ],
)
def test_round14_found(text, quote, info_type):
    assert (info_type, quote) in [(f.info_type, f.quote) for f in detect(text)]


@pytest.mark.parametrize(
    "text",
    [
        # Latin anatomy after a head noun of Terminologia Anatomica; eponyms before a noun
        "ARTERIA RENALIS DEXTRA", "VENA SAPHENA MAGNA", "MUSCULUS PSOAS MAJOR", "OS CUNEIFORME MEDIALE",
        "SCHATZKI RING", "MECKEL CAVE", "MALLORY-WEISS TEAR", "Endplate Schmorl node",
        # a verb or a role before or after a word no list holds; drugs in parentheses
        "START COLACE", "SPOKE WITH IR ATTENDING", "Omnipaque (Iohexol)", "Levetiracetam (Keppra)",
        "Furosemide (Lasix)", "Doppler (Color) Flow",
        # shorthand after a cue; English words that are months elsewhere; units after a short year
        "per ortho recs", "per nephro fellow today", "came out 3 2020", "MAG 2000", "May 5 10 mg", "may 3 98",
        "version 2019.3.1", "Anesthesia: General", "Attorney General", "RS Technique",
    ],
)
def test_round14_guards(text):
    assert not [f for f in detect(text) if f.info_type in ("PERSON_NAME", "ORGANIZATION_NAME", "DATE")]


@pytest.mark.parametrize("text, quote", [("Vena Johnson", "Vena Johnson"), ("Mary Ring", "Mary Ring")])
def test_round14_names_beside_latin_heads_and_eponym_nouns_stay(text, quote):
    assert ("PERSON_NAME", quote) in [(f.info_type, f.quote) for f in detect(text)]


# Fifteenth round (tuned on heldout13 after its one measurement at 99b7eff, and the earlier parts).
# Each case of test_round15_found fails on 99b7eff; test_round15_guards passes on both.
@pytest.mark.parametrize(
    "text, quote, info_type",
    [
        # year first with a dot after each part (Hungarian), months of Hungarian forms
        ("Collected 1939. 05. 02.", "1939. 05. 02.", "DATE"),
        ("Visit Date: 1978. ápr. 9.", "1978. ápr. 9", "DATE"),
        ("Szül. dátum: 1988. szept. 25.", "1988. szept. 25", "DATE"),
        # the place after a hospital; a medical complex; (Pvt) Ltd
        ("DHQ Hospital Wazirabad", "DHQ Hospital Wazirabad", "ORGANIZATION_NAME"),
        ("THQ HOSPITAL LODHRAN", "THQ HOSPITAL LODHRAN", "ORGANIZATION_NAME"),
        ("Yousafzai Medical Complex", "Yousafzai Medical Complex", "ORGANIZATION_NAME"),
        ("Kovacsik Diagnostic Centre (Pvt) Ltd", "Kovacsik Diagnostic Centre (Pvt) Ltd", "ORGANIZATION_NAME"),
        # Irish particles of family names
        ("Ó Breanndáin, Madeleine", "Ó Breanndáin, Madeleine", "PERSON_NAME"),
        ("Síle Ní Bhriain", "Síle Ní Bhriain", "PERSON_NAME"),
    ],
)
def test_round15_found(text, quote, info_type):
    assert (info_type, quote) in [(f.info_type, f.quote) for f in detect(text)]


@pytest.mark.parametrize("text", ["In 2015. 3 patients", "may 3 98", "you may. 3 98", "Mercy Hospital Emergency Dept"])
def test_round15_guards(text):
    found = [(f.info_type, f.quote) for f in detect(text)]
    assert not [q for k, q in found if k == "DATE"] and ("ORGANIZATION_NAME", "Mercy Hospital Emergency") not in found


# Sixteenth round (tuned on heldout14 after its one measurement at a63aa8f, and the earlier parts).
# Each case of test_round16_found fails on a63aa8f; test_round16_guards passes on both but the
# four French ones (false positives a63aa8f had).
@pytest.mark.parametrize(
    "text, quote, info_type",
    [
        # Hijri dates, a DT with its offset, a quarter and a year
        ("Onset: 23/02/1429 AH", "23/02/1429", "DATE"),
        ("DOB(H) 1417/11/27", "1417/11/27", "DATE_OF_BIRTH"),
        ("Born 19430413152054.000000+0100", "19430413152054.000000+0100", "DATE_OF_BIRTH"),
        ("MOUDALLAL, ABDOH  DOB Q4 1948", "Q4 1948", "DATE_OF_BIRTH"),
        # national IDs after their labels; an Emirates ID alone
        ("CIN X56240   MEGHICHI MONTASSER", "X56240", "MEDICAL_RECORD_NUMBER"),
        ("verified 784-1976-8217538-8 at registration", "784-1976-8217538-8", "MEDICAL_RECORD_NUMBER"),
        # French labels and titles, née and w/o, a kunya, two doctors, Arabic apostrophes
        ("Nom : MEDDAHI  Prénom : Chaker", "Chaker", "PERSON_NAME"),
        ("Mme Alifa AL-KHADRA EP BEZZINE, 56 ans", "BEZZINE", "PERSON_NAME"),
        ("COCHIN née TEMMAM Abdel-Rahman", "COCHIN", "PERSON_NAME"),
        ("BAYHUM WARDIANI w/o KRIKOR OUHAMOU", "BAYHUM WARDIANI", "PERSON_NAME"),
        ("A relative (Um Mubaraka) translated", "Um Mubaraka", "PERSON_NAME"),
        ("Discussed with Drs Mbarki and Boubaker.", "Boubaker", "PERSON_NAME"),
        ("Muteb D'Al-Thunayan", "Muteb D'Al-Thunayan", "PERSON_NAME"),
        ("Melliti (Abdelkrim)", "Melliti (Abdelkrim)", "PERSON_NAME"),
        # Medical City, NHS Foundation Trust, Centre d'Imagerie X, a title or an article before
        ("Moamel Medical City", "Moamel Medical City", "ORGANIZATION_NAME"),
        ("Fallatah NHS Foundation Trust", "Fallatah NHS Foundation Trust", "ORGANIZATION_NAME"),
        ("Centre d'Imagerie Fezouata", "Centre d'Imagerie Fezouata", "ORGANIZATION_NAME"),
        ("from Dr. Dhafer Al-Khulaif Hospital", "Dr. Dhafer Al-Khulaif Hospital", "ORGANIZATION_NAME"),
        ("AT TARAF KIDNEY CENTER", "AT TARAF KIDNEY CENTER", "ORGANIZATION_NAME"),
    ],
)
def test_round16_found(text, quote, info_type):
    assert (info_type, quote) in [(f.info_type, f.quote) for f in detect(text)]


@pytest.mark.parametrize(
    "text",
    ["CT W/O CONTRAST", "Opacity s/o consolidation", "Abdomen w/o contrast", "FINDINGS S/O PNEUMONIA", "Um Okay",
     "Pr 45 units", "Trust the process", "Medical City", "Q5 2000", "Seen at Mercy Hospital Emergency",
     # report text in French: two words of the French dictionary, neither a census name
     "COMPTE RENDU", "ÉCHOGRAPHIE ABDOMINALE", "KYSTE BILIAIRE SIMPLE", "HÉPATOMÉGALIE HOMOGÈNE"],
)
def test_round16_guards(text):
    found = [(f.info_type, f.quote) for f in detect(text)]
    assert not [q for k, q in found if k in ("PERSON_NAME", "DATE")] and not [
        q for k, q in found if k == "ORGANIZATION_NAME" and q != "Mercy Hospital"]


@pytest.mark.parametrize("text", ["ROUX AIMEE", "Pierre BLANC", "BERGER MARTIN"])
def test_french_words_that_are_census_names_stay_names(text):
    assert ("PERSON_NAME", text) in [(f.info_type, f.quote) for f in detect(text)]


# Seventeenth round (tuned on heldout15 after its one measurement at 270f4ee, and the earlier parts).
# Each case of test_round17_found fails on 270f4ee; test_round17_guards passes on both, but the
# HL7 message type and the three product and brand strings (false positives 270f4ee had).
@pytest.mark.parametrize(
    "text, quote, info_type",
    [
        # HL7 DTM with minutes and an offset; Tagalog months
        ("Acc Dt 201410140251+0800", "201410140251+0800", "DATE"),
        ("Seen Marso 18, 1953", "Marso 18, 1953", "DATE"),
        # hyphenated IDs whatever the label; MBI after its label
        ("Dagohoy de la Vega (PhilHealth 31-755595900-8)", "31-755595900-8", "MEDICAL_RECORD_NUMBER"),
        ("Medicare MBI 5XW2-FV8-VN17 on file", "5XW2-FV8-VN17", "MEDICAL_RECORD_NUMBER"),
        # newborns, Filipino titles and particles, a bare initial after a family name, JSON HumanName
        ("BABY GIRL SIMPAUCO Twin A", "SIMPAUCO", "PERSON_NAME"),
        ("BG Pantangco", "Pantangco", "PERSON_NAME"),
        ("Atty. Cojuangco", "Cojuangco", "PERSON_NAME"),
        ("C/O Marikit delos Reyes", "Marikit delos Reyes", "PERSON_NAME"),
        ("COJUANCO D", "COJUANCO D", "PERSON_NAME"),
        ("H.C. dela Cruz", "H.C. dela Cruz", "PERSON_NAME"),
        ('Yayoy "Sand" de Jesus', 'Yayoy "Sand" de Jesus', "PERSON_NAME"),
        ('{"family": "Limtuaco", "given": ["Makisig"]}', "Makisig", "PERSON_NAME"),
        # urgent care, rural health unit, family health team, Ospital ng X, particles before, LTD
        ("Ipil Urgent Care", "Ipil Urgent Care", "ORGANIZATION_NAME"),
        ("Poona Piagapo Rural Health Unit", "Poona Piagapo Rural Health Unit", "ORGANIZATION_NAME"),
        ("Butig Family Health Team", "Butig Family Health Team", "ORGANIZATION_NAME"),
        ("Images from Ospital ng Libagon", "Ospital ng Libagon", "ORGANIZATION_NAME"),
        ("de Guzman Clinic", "de Guzman Clinic", "ORGANIZATION_NAME"),
        ("TAMBULIG MEDICAL CENTER LTD", "TAMBULIG MEDICAL CENTER LTD", "ORGANIZATION_NAME"),
    ],
)
def test_round17_found(text, quote, info_type):
    assert (info_type, quote) in [(f.info_type, f.quote) for f in detect(text)]


@pytest.mark.parametrize(
    "text",
    ["ORM^O01", "Neozep Forte", "Vantage Galan 3T", "Pelvic UTZ (TAS)", "Call 555-123-4567", "BG 120", "Weber B",
     "Child-Pugh B", "Impella CP", "C/O RUQ pain", "Tylenol ES", "Care Team", "Intensive Care Unit", "S. Aureus"],
)
def test_round17_guards(text):
    assert not [f for f in detect(text) if f.info_type in ("PERSON_NAME", "ORGANIZATION_NAME", "MEDICAL_RECORD_NUMBER")]


# Eighteenth round (tuned on heldout16 after its one measurement at e4089ee, and the earlier parts).
# Each case of test_round18_found fails on e4089ee; test_round18_guards passes on both.
@pytest.mark.parametrize(
    "text, quote, info_type",
    [
        # Korean dates and resident registration numbers; NPI after its label
        ("검사일 1998년 3월 3일 (화)", "1998년 3월 3일", "DATE"),
        ("RRN 490814-4170633 confirmed", "490814-4170633", "MEDICAL_RECORD_NUMBER"),
        ("Ordering provider Dr. Kang, NPI 1703809008.", "1703809008", "MEDICAL_RECORD_NUMBER"),
        # names in Hangul where the layout says so; a preferred name; census family names in context
        ("Inchan Lim (임인찬)", "임인찬", "PERSON_NAME"),
        ("PARK^YOONKYUNG=박^윤경", "박^윤경", "PERSON_NAME"),
        ("10.Aug.2019 검사시행, 판독의 정승하.", "정승하", "PERSON_NAME"),
        ("SANG-RAE KIM (Preferred: Steph)", "Steph", "PERSON_NAME"),
        ("W. D. Park", "W. D. Park", "PERSON_NAME"),
        ("BB Park", "Park", "PERSON_NAME"),
        ("Lee CS", "Lee CS", "PERSON_NAME"),
        ("Lim (Byung-ha)", "Lim (Byung-ha)", "PERSON_NAME"),
        # health services, birth and emergency centres, a company suffix after a census name
        ("Yangju Health and Social Care Trust", "Yangju Health and Social Care Trust", "ORGANIZATION_NAME"),
        ("Seosan Local Health District", "Seosan Local Health District", "ORGANIZATION_NAME"),
        ("Park Birth Center", "Park Birth Center", "ORGANIZATION_NAME"),
        ("Park Radiology, P.C.", "Park Radiology, P.C.", "ORGANIZATION_NAME"),
        ("RS LEE", "RS LEE", "ORGANIZATION_NAME"),
    ],
)
def test_round18_found(text, quote, info_type):
    assert (info_type, quote) in [(f.info_type, f.quote) for f in detect(text)]


@pytest.mark.parametrize(
    "text",
    ["AX T1 FSPGR BH", "SKIN MARKER BB", "Impella CP", "Neozep FT", "Preferred language English", "Emergency Center",
     "Health Board", "2020년 13월 1일", "Internal Medicine"],
)
def test_round18_guards(text):
    assert not [f for f in detect(text) if f.info_type in ("PERSON_NAME", "ORGANIZATION_NAME", "DATE")]


# Nineteenth round (after heldout17's one measurement at d77f8b2): dates of Central Europe. Each
# case of test_round19_found fails on d77f8b2; test_round19_guards passes on both.
@pytest.mark.parametrize(
    "text, quote",
    [("Acc Dt 2. 7. 2002 ob 9.24", "2. 7. 2002"), ("DOB: 19. 04. 1941", "19. 04. 1941"),
     ("Study: 21. februarja 1957", "21. februarja 1957"), ("LMP 18. avg. 1990", "18. avg. 1990"),
     ("3. března 1998", "3. března 1998"), ("3 marca 1998", "3 marca 1998"), ("12 listopada 2001", "12 listopada 2001")],
)
def test_round19_found(text, quote):
    assert quote in [f.quote for f in detect(text) if f.info_type in ("DATE", "DATE_OF_BIRTH")]


@pytest.mark.parametrize("text", ["Grade 3. 4 mm", "3. 4. 25 mg", "Section 3. 14. 200"])
def test_round19_guards(text):
    assert not [f for f in detect(text) if f.info_type == "DATE"]


# Twentieth round: institutions by a grammar of cue words in the languages of European and other
# sites (not tuned on a part: heldout18 is being written meanwhile). Each case of
# test_round20_found fails on 2b7614a but the Romanian one (a clinic cue found it before);
# test_round20_guards passes on both.
@pytest.mark.parametrize(
    "text",
    ["Szpital Wojewódzki w Opolu", "Fakultní nemocnice Motol", "Tampereen yliopistollinen sairaala",
     "Ankara Şehir Hastanesi", "Kantonsspital Aarau", "Akershus universitetssykehus", "Szent János Kórház",
     "Azienda Ospedaliera San Camillo", "Centro de Salud Delicias", "Krankenhaus der Barmherzigen Brüder Trier",
     "Spitalul Clinic Județean Cluj", "AZ Groeninge"],
)
def test_round20_found(text):
    assert ("ORGANIZATION_NAME", text) in [(f.info_type, f.quote) for f in detect(text)]


@pytest.mark.parametrize(
    "text",
    ["went to the ziekenhuis", "Hospital Course", "SB OBSTRUCTION", "Praxis Guidelines", "Klinik Notes",
     "transferred to hospital", "FN RATE", "FLOW AO VENC 200", "UZ TREBUHA"],
)
def test_round20_guards(text):
    assert not [f for f in detect(text) if f.info_type == "ORGANIZATION_NAME"]


@pytest.mark.parametrize(
    "text, quote",
    [("3 martie 1998", "3 martie 1998"), ("12 augusti 2001", "12 augusti 2001"), ("5 desember 1999", "5 desember 1999"),
     ("14 gruodžio 2003", "14 gruodžio 2003")],
)
def test_round20_months(text, quote):
    # Romanian, Swedish, Norwegian, Lithuanian months (fail on 2b7614a); `mart` in lower case is
    # an English word before a day (test_round20_guards_months)
    assert ("DATE", quote) in [(f.info_type, f.quote) for f in detect(text)]


def test_round20_guards_months():
    assert not [f for f in detect("the mart 3 1998 sale") if f.info_type == "DATE"]


# Twenty-first round (after heldout18's one measurement at 4bceac4): national identity numbers by
# python-stdnum's validators. Each case of test_round21_found fails on c687df7; the guards pass on both.
@pytest.mark.parametrize(
    "text, quote",
    [("PESEL 44051401359", "44051401359"), ("C.F. RSSMRA85T10A562S", "RSSMRA85T10A562S"), ("BSN 111222333", "111222333"),
     ("DNI 12345678Z", "12345678Z"), ("AHV 756.1234.5678.97", "756.1234.5678.97")],
)
def test_round21_found(text, quote):
    assert ("MEDICAL_RECORD_NUMBER", quote) in [(f.info_type, f.quote) for f in detect(text)]


def test_a_phone_number_stays_a_phone_number():
    # a phone number may pass a national checksum: it keeps its own infoType (555-201-3344), and a
    # Danish CPR, shaped as a phone number is, goes as one
    assert [(f.info_type, f.quote) for f in detect("Call 555-201-3344.")] == [("PHONE_NUMBER", "555-201-3344")]
    assert [f.quote for f in detect("CPR 030398-1234")] == ["030398-1234"]


@pytest.mark.parametrize("text", ["dose 1234567 mGy", "Accession 12345678", "Series 1.2.840.10008.5.1.4", "Lot 20190303A1"])
def test_round21_guards(text):
    assert not [f for f in detect(text) if f.info_type == "MEDICAL_RECORD_NUMBER"]


def test_many_national_id_tokens_in_one_text():
    """20,000 digit tokens (one hostile value): each tried only by the validators of its length."""
    text = " ".join(["44051401359"] * 20000)
    assert len(detect(text)) == 20000


@pytest.mark.parametrize(
    "text", ["3/3-1998", "12/11 1998", "3 de marzo de 1998", "14 de novembro de 2001", "3. mars 1998", "9. november 1999"]
)
def test_round21_dates(text):
    # Danish and Swedish day/month then the year, Spanish and Portuguese `de`, a lower-case
    # month after a day with its dot (fail on 400a3b7)
    assert ("DATE", text) in [(f.info_type, f.quote) for f in detect(text)]
