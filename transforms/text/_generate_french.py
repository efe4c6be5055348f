"""Generate ``transforms/text/data/french_words.txt.gz``: French words (upper case, accents
folded) from the Dicollecte French Hunspell dictionary, so that report text in French
(``COMPTE RENDU``, ``ÉCHOGRAPHIE ABDOMINALE``, ``KYSTE BILIAIRE``) is not read as a name.

Run by hand from the repository root when the list changes (Debian packages, install time only)::

    apt-get download hunspell-fr-classical hunspell-tools
    dpkg-deb -x hunspell-fr-classical_*.deb /tmp/hfr && dpkg-deb -x hunspell-tools_*.deb /tmp/ht
    python transforms/text/_generate_french.py /tmp/hfr/usr/share/hunspell/fr.dic \
        /tmp/hfr/usr/share/hunspell/fr.aff /tmp/ht/usr/bin/unmunch

The input is Debian's ``hunspell-fr-classical`` 7.0 (Dicollecte contributors, Mozilla Public
License 2.0; the source is https://grammalecte.net and Debian's package). The list made from it is
under the same licence, MPL-2.0 (a file-level licence: it covers this data file only); its first
line says so. Kept: entries whose stem is written in lower case (the dictionary writes given
names, family names and places capitalised: ``Abdelkrim``, ``Abdelli`` are left out), nouns,
adjectives and the other non-verb entries with their feminine and plural forms (``unmunch``
applies the affix rules), and verbs as their infinitive only (their conjugations are a million
forms); elided articles (``l'``, ``d'``, ``qu'``) cut off; two letters or more. The detector uses
the list only where two words of a dictionary stand together and neither is a census name
(``patterns._dictionary_pair``).
"""

from __future__ import annotations

import gzip
import re
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

OUT = Path(__file__).resolve().parent / "data" / "french_words.txt.gz"
NOTICE = (
    "# Derived from the Dicollecte French Hunspell dictionary (hunspell-fr-classical 7.0). "
    "This Source Code Form is subject to the terms of the Mozilla Public License, v. 2.0. "
    "If a copy of the MPL was not distributed with this file, You can obtain one at http://mozilla.org/MPL/2.0/."
)
_ELIDED = re.compile(r"^(?:[a-zA-Z]{1,7}')+")


def _fold(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c)).upper()


def main(dic: str, aff: str, unmunch: str) -> int:
    lines = Path(dic).read_text(encoding="utf-8").splitlines()[1:]
    verbs, others = set(), []
    for line in lines:
        entry = line.split("\t")[0].split(" ")[0]
        stem = entry.split("/")[0]
        if not stem or not stem[0].islower():
            continue
        if "po:v" in line:
            verbs.add(stem)
        else:
            others.append(entry)
    with tempfile.TemporaryDirectory() as tmp:
        mini = Path(tmp) / "mini.dic"
        mini.write_text(f"{len(others)}\n" + "\n".join(others) + "\n", encoding="utf-8")
        forms = subprocess.run([unmunch, str(mini), aff], capture_output=True, check=True).stdout.decode("utf-8")
    words = set()
    for raw in [*forms.splitlines(), *verbs]:
        word = _ELIDED.sub("", raw.strip().split("/")[0])
        if len(word) >= 2 and word.isalpha() and word.islower():
            folded = _fold(word)
            if folded.isascii() and folded.isalpha():
                words.add(folded)
    data = (NOTICE + "\n" + "\n".join(sorted(words)) + "\n").encode("ascii")
    # mtime=0: the same input gives the same bytes.
    with open(OUT, "wb") as handle, gzip.GzipFile(fileobj=handle, mode="wb", mtime=0, filename="") as gz:
        gz.write(data)
    print(f"{len(words)} words -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
