"""Generate ``transforms/text/data/english_words.txt.gz`` (common English words, upper case) and
``english_rare_words.txt.gz`` (the rarer words of a larger SCOWL list, beyond the first).

Run by hand from the repository root when the word lists change::

    apt-get install wamerican wamerican-large   # Debian: SCOWL size-50 and size-70 lists
    python transforms/text/_generate_english.py /usr/share/dict/american-english \
        /usr/share/dict/american-english-large

The input is Debian's ``wamerican`` 2020.12.07 (SCOWL by Kevin Atkinson; its copyright notice
permits use, copying and distribution: http://wordlist.aspell.net/scowl-readme/). Only entries
written in lower case and made of letters are kept (``brown``, not ``Brown`` or ``Brown's``):
SCOWL writes proper nouns capitalised, so the list holds the words that are common English words
and, as such, not evidence of a name by themselves. The detector uses it to tell unknown
capitalised words (likely names) from ordinary ones; it is data, never a runtime download.

The rare words (Debian ``wamerican-large`` 2020.12.07, SCOWL size 70, the same copyright notice,
minus the size-50 words: ``glenoid``, ``labrum``, ``gyrus``, but also ``hamza``, ``naira``,
``silva``) are too often given or family names to be ordinary words by themselves; the detector
uses them only where two words of a dictionary stand together
(``patterns._dictionary_pair``).
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
OUT = DATA / "english_words.txt.gz"
OUT_RARE = DATA / "english_rare_words.txt.gz"


def _words(source: str) -> set[str]:
    words = set()
    with open(source, encoding="utf-8") as handle:
        for line in handle:
            word = line.strip()
            if word.isalpha() and word.isascii() and word.islower() and len(word) >= 2:
                words.add(word.upper())
    return words


def _write(words: set[str], out: Path) -> None:
    data = ("\n".join(sorted(words)) + "\n").encode("ascii")
    out.parent.mkdir(exist_ok=True)
    # mtime=0: the same input gives the same bytes.
    with open(out, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
        gz.write(data)
    print(f"{len(words)} words -> {out}")


def main(source: str, large: str | None = None) -> int:
    words = _words(source)
    _write(words, OUT)
    if large is not None:
        _write(_words(large) - words, OUT_RARE)
    return 0


if __name__ == "__main__":
    sys.exit(main(*(sys.argv[1:] or ["/usr/share/dict/american-english"])))
