"""Generate ``transforms/text/data/clinical_words.txt.gz`` (clinical words, upper case) and
``clinical_english.txt.gz`` (the common English words the same meanings write in lower case).

Run by hand from the repository root when the list changes (pydicom is pinned in
requirements.txt, so the same pydicom gives the same bytes)::

    python transforms/text/_generate_clinical.py

The source is the DICOM code dictionary pydicom ships (``pydicom.sr._concepts_dict``: code
meanings of SNOMED CT, RxNorm, RadLex and DICOM's own DCM scheme; DICOM PS3.16 is free to use).
Kept: the words (3+ letters) that a meaning writes in **lower case** (``pallidus`` in ``Structure
of globus pallidus``, ``contracta`` in ``vena contracta``), minus the common English words
(``english_words.txt.gz`` has them). As SCOWL does for English, the dictionary writes proper
names capitalised (``Agatston``, ``Barrett``), so a word it writes in lower case is a clinical
word and, by itself, no evidence of a name.

Only one half of the meanings is read: those whose SHA-256 first byte is even. The other half
(and the other schemes: MDC, NCIt, FMA, IBSI, UCUM) is what the evaluation's held-out
``dicom_codes`` sets (``bench/text_eval_sets.py``) are drawn from, so the false-positive rate
measured there is not measured on the list the detector ships. Animal breeds and organisms are
left out, as in the evaluation, and so are meanings of stains (which write the names of people
and places they bear in lower case: ``wayson stain``, ``berlin blue``) and of animals.

The second list holds the common English words of the same lower-case words (``line``, ``point``,
``notch``, ``ring``, ``fold``: 1,494 words): the nouns clinical text writes after an eponym
(``Hickman line``, ``McBurney point``), used by the eponym rule of ``patterns._eponym``.
"""

from __future__ import annotations

import gzip
import hashlib
import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent / "data" / "clinical_words.txt.gz"
OUT_ENGLISH = Path(__file__).resolve().parent / "data" / "clinical_english.txt.gz"
ENGLISH = Path(__file__).resolve().parent / "data" / "english_words.txt.gz"
SCHEMES = ("SCT", "RXNORM", "RADLEX", "DCM")
_EPONYM_OR_ANIMAL = re.compile(r"(?i)\bstain\b|\bdog\b|\bcat\b|\bovis\b|\bhorse\b|\bcattle\b|\bsheep\b|\bpig\b")


def tune_half() -> list[str]:
    """The meanings of the tuning half (the evaluation's ``tune`` part draws from the same half)."""
    from pydicom.sr._concepts_dict import concepts

    meanings = {
        meaning for scheme in SCHEMES for codes in concepts[scheme].values() for meaning, _ in codes.values()
        if 3 <= len(meaning) <= 60 and "breed" not in meaning and "(organism)" not in meaning
    }
    return sorted(m for m in meanings if hashlib.sha256(m.encode()).digest()[0] % 2 == 0)


def main() -> int:
    with gzip.open(ENGLISH, "rt", encoding="ascii") as handle:
        english = {line.strip() for line in handle}
    words = set()
    for meaning in tune_half():
        if _EPONYM_OR_ANIMAL.search(meaning):
            continue  # stains named after people and places (wayson, berlin blue), animals
        for word in re.findall(r"(?<![A-Za-z'])[a-z]{3,}(?![A-Za-z])", meaning):
            words.add(word.upper())
    for path, kept in ((OUT, words - english), (OUT_ENGLISH, words & english)):
        data = ("\n".join(sorted(kept)) + "\n").encode("ascii")
        # mtime=0: the same input gives the same bytes.
        with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
            gz.write(data)
        print(f"{len(kept)} words -> {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
