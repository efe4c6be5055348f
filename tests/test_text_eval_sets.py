"""The builder of the text detector's evaluation sets (``bench/text_eval_sets.py``, issue 19):
every part builds, its gold spans lie on the text, a part builds the same cases every time, the
parts measured before keep the cases they were measured on, and the seventh and eighth held-out
parts take their names from lists the detector does not ship. Nothing here runs the detector
(``heldout7`` is measured once, after the eighth round of tuning; ``heldout8`` once, after the
ninth). A few seconds.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import text_eval_sets as sets_module  # noqa: E402
from bench.text_eval_sets import SEEDS, build  # noqa: E402

SET_NAMES = {"display", "header", "overlay", "narrative", "institution", "dates", "vocabulary", "dicom_codes"}
# SHA-256 (first 16 hex digits) of every case (set, text, spans, place) at size 40: the parts
# were measured on these cases (at size 300), so a change of the builder must leave them alone.
DIGESTS_40 = {
    "tune": "265027136314a2c5",
    "heldout": "e97ca7d7058c8467",
    "heldout2": "90754259cb6628d0",
    "heldout3": "4bc23a6e75de6ec4",
    "heldout4": "b4b804a10b9ed57e",
    "heldout5": "12c174e888ab3e02",
    "heldout6": "badc8275b832874f",
    "heldout7": "789f57a03b11d613",
    "heldout8": "9d7d84e44460726d",
}


def _digest(sets) -> str:
    h = hashlib.sha256()
    for name in sorted(sets):
        for case in sets[name]:
            h.update(json.dumps([name, case.text, case.spans, case.where]).encode())
    return h.hexdigest()[:16]


@pytest.fixture(scope="module")
def built():
    return {part: build(part, size=40) for part in SEEDS}


@pytest.mark.parametrize("part", sorted(SEEDS))
def test_part_builds_the_cases_it_was_measured_on(built, part):
    assert _digest(built[part]) == DIGESTS_40[part]


@pytest.mark.parametrize("part", sorted(SEEDS))
def test_sets_sizes_and_gold_spans(built, part):
    sets = built[part]
    assert set(sets) == SET_NAMES
    for name in ("display", "header", "narrative", "institution", "dates"):
        assert len(sets[name]) == 40
    assert len(sets["dicom_codes"]) == 300
    for name, cases in sets.items():
        for case in cases:
            if name in ("vocabulary", "dicom_codes"):
                assert case.spans == []
                continue
            end = 0
            for start, stop, kind in case.spans:
                assert kind in ("NAME", "INSTITUTION", "DATE", "ID")
                assert end <= start < stop <= len(case.text)  # in order, not overlapping
                quote = case.text[start:stop]
                assert quote == quote.strip() and quote
                end = stop
        if name not in ("vocabulary", "dicom_codes", "overlay"):
            assert all(case.spans for case in cases), name


def test_heldout7_is_deterministic_and_has_its_shapes(built):
    again = build("heldout7", size=40)
    assert _digest(again) == _digest(built["heldout7"])
    big = build("heldout7", size=300)
    texts = {name: [c.text for c in cases] for name, cases in big.items()}
    # new display, header and overlay shapes, note templates and date forms are all there
    assert any(t.endswith("^^") for t in texts["display"])
    assert any(re.search(r"\^\^(Dr|Mrs|Mr|Ms)$", t) for t in texts["display"])
    assert any(t.startswith(("PAT:", "PT NAME:")) for t in texts["header"])
    assert any(t.startswith("PAT:") for t in texts["overlay"])
    assert any("'s " in t for t in texts["narrative"])
    assert any(t.startswith("cc: ") for t in texts["narrative"])
    assert any(re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d$", t) for t in texts["dates"])


def test_heldout7_names_are_not_in_the_detectors_lists():
    first, last = sets_module._census1990()
    ssa = sets_module._ssa_first_names()
    international = [n for country in sets_module._nam_dict_first_names() for n in country]
    surnames = sets_module._census2010_surnames()
    assert len(ssa) > 5000 and len(international) > 10000 and len(surnames) > 80000
    assert not [n for n in ssa if n.upper() in first]
    assert not [n for n in international if sets_module._ascii(n).upper() in first]
    assert not [n for n in surnames if n.upper() in last]
    assert len(sets_module._geonames_cities()) > 20000


def test_heldout8_is_deterministic_and_has_its_shapes(built):
    again = build("heldout8", size=40)
    assert _digest(again) == _digest(built["heldout8"])
    big = build("heldout8", size=300)
    texts = {name: [c.text for c in cases] for name, cases in big.items()}
    gold = {name: [[c.text[s:e] for s, e, _ in c.spans] for c in cases] for name, cases in big.items()}
    # a generational suffix stays outside the gold span, like a title
    suffixed = [(t, g) for t, g in zip(texts["display"], gold["display"]) if re.search(r" (Jr\.?|JR|Sr\.|II|III|IV)$", t)]
    assert suffixed and all(t.startswith(g[0]) and not g[0].endswith(("Jr.", "III")) for t, g in suffixed)
    assert any(re.search(r" (da|de|dos|das|do|bin|binti|bint|ibn|van der|de la|del) ", t) for t in texts["display"])
    assert any(re.search(r" (al-|Al-|el-|El-|Abu-)\w", t) for t in texts["display"])
    assert any(re.search(r"(D|O|d|Dell)'\w", t) for t in texts["display"])
    assert any(re.match(r"(Mrs|Mx\.?|Ms|Mr|Miss) ", t) for t in texts["display"])
    assert any(t.startswith("PID") for t in texts["header"]) and any("ACC" in t for t in texts["header"])
    assert any(t.startswith("PID") for t in texts["overlay"])
    # names typed in lower case in notes, and their gold span is the name
    lower = [g for t, g in zip(texts["narrative"], gold["narrative"]) if t.startswith("spoke with ")]
    assert lower and all(g[0].islower() for g in lower)
    assert any(re.match(r"(Mrs|Mx\.?|Miss) \w+'s ", t) for t in texts["narrative"])
    assert any(re.search(r"\d[A-Z][a-z]{2}\d{4}$", t) for t in texts["dates"])
    assert any(re.search(r"\d\.[IVX]+\.\d{4}$", t) for t in texts["dates"])
    assert any(re.search(r"\d{4} [A-Z][a-z]{2} \d{1,2}$", t) for t in texts["dates"])
    assert any(re.search(r"Gen Hosp|GEN HOSP", t) for t in texts["institution"])
    assert any(re.search(r"Santa Casa de|SANTA CASA DE", t, re.I) for t in texts["institution"])


def test_heldout8_names_are_not_in_the_detectors_lists():
    first, last = sets_module._census1990()
    ibge = sets_module._ibge_first_names()
    japanese = sets_module._japanese_surnames()
    habesha = sets_module._habesha_names()
    morphex_first, morphex_all = sets_module._morphex_names()
    assert len(ibge) > 5000 and len(japanese) > 700 and len(habesha) > 1000 and len(morphex_all) > 300
    everything = ibge + japanese + habesha + morphex_all
    assert not [n for n in everything if n.upper() in first | last]
    assert set(morphex_first) <= set(morphex_all)
    # nor a name of the seventh part's lists (the ninth round of tuning sees them)
    seventh = {n.upper() for n in sets_module._census2010_surnames() + sets_module._ssa_first_names()}
    seventh |= {sets_module._ascii(n).upper() for country in sets_module._nam_dict_first_names() for n in country}
    assert not [n for n in everything if n.upper() in seventh]
    assert len(sets_module._brazil_municipalities()) > 5000


@pytest.mark.parametrize("part", ["heldout7", "heldout8"])
def test_held_out_vocabulary_and_codes_are_new(part):
    words = sets_module.VOCAB_HELDOUT7 if part == "heldout7" else sets_module.VOCAB_HELDOUT8
    assert 250 <= len(words) <= 300
    sets_module._vocabulary(part)  # asserts no string equal, in any case, to an earlier list's
    # no age (an identifier type) among them
    assert not [w for w in words if re.search(r"\b\d+\s*(Y|yo|yrs?|years?)\b", w)]
    mine = {c.text for c in sets_module._codes(part, 300)}
    earlier = set()
    for other in list(SEEDS)[: list(SEEDS).index(part)]:
        earlier |= {c.text for c in sets_module._codes(other, 300)}
    assert len(mine) == 300 and not mine & earlier
