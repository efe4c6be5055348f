"""Generate ``transforms/text/data/english_words.txt.gz`` (common English words, upper case).

Run by hand from the repository root when the word list changes::

    apt-get install wamerican    # Debian: SCOWL size-50 American English word list
    python transforms/text/_generate_english.py /usr/share/dict/american-english

The input is Debian's ``wamerican`` 2020.12.07 (SCOWL by Kevin Atkinson; its copyright notice
permits use, copying and distribution: http://wordlist.aspell.net/scowl-readme/). Only entries
written in lower case and made of letters are kept (``brown``, not ``Brown`` or ``Brown's``):
SCOWL writes proper nouns capitalised, so the list holds the words that are common English words
and, as such, not evidence of a name by themselves. The detector uses it to tell unknown
capitalised words (likely names) from ordinary ones; it is data, never a runtime download.
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent / "data" / "english_words.txt.gz"


def main(source: str) -> int:
    words = set()
    with open(source, encoding="utf-8") as handle:
        for line in handle:
            word = line.strip()
            if word.isalpha() and word.isascii() and word.islower() and len(word) >= 2:
                words.add(word.upper())
    data = ("\n".join(sorted(words)) + "\n").encode("ascii")
    OUT.parent.mkdir(exist_ok=True)
    # mtime=0: the same input gives the same bytes.
    with open(OUT, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
        gz.write(data)
    print(f"{len(words)} words -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/dict/american-english"))
