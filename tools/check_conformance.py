"""Check that de-identification adds no new dciodvfy error kind.

    python tools/check_conformance.py --orig ARCHIVE --out OUT_DIR --uid_key_file KEY [--every 20]

Each sampled original is paired with its output through the keyed SOP Instance UID
(the output path is studies/<study>/series/<series>/instances/<new SOP UID>.dcm), both are
run through ``dciodvfy`` (Debian package dicom3tools), and error lines are reduced to a
kind (numbers, UIDs and quoted values removed). Prints the error kinds an output has that its
original did not (``--details``: which original, which attributes); exits 1 when there is
any, 2 when dciodvfy is missing. dciodvfy's output is read as Latin-1 (it echoes values in
the file's own character set). Originals that share a SOP Instance UID share one output,
which is compared with the original it adds the fewest kinds to.
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pydicom

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from transforms.dicom.uids import decode_key, remap_uid  # noqa: E402


def error_lines(path: str) -> dict[str, set[str]]:
    """Return ``{error kind: {where}}`` of a file's dciodvfy errors.

    The kind is the message with numbers, UIDs and quoted values removed; ``where`` is
    the ``Element=<...> Module=<...>`` part (attribute and module names, no value).
    """
    proc = subprocess.run(["dciodvfy", path], capture_output=True)
    # dciodvfy echoes element values as stored: bytes in the file's character set, not UTF-8.
    text = (proc.stdout + proc.stderr).decode("latin-1")
    kinds: dict[str, set[str]] = {}
    for line in text.splitlines():
        if line.startswith("Error"):
            message, _, where = line.partition(" Element=")
            kind = re.sub(r"<[^>]*>|'[^']*'|\d+(?:\.\d+)*", "N", message)[:200]
            named = re.search(r"attribute (<[^>]*>)", message)  # an attribute's name, not a value
            kinds.setdefault(kind, set()).add(("Element=" + where if where else named.group(1) if named else "")[:200])
    return kinds


def error_kinds(path: str) -> set[str]:
    """Return the dciodvfy error lines of a file, reduced to their kind."""
    return set(error_lines(path))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--orig", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--uid_key_file", required=True)
    ap.add_argument("--uid_root", default="2.25")
    ap.add_argument("--every", type=int, default=1, help="check every Nth original (default all)")
    ap.add_argument("--details", action="store_true", help="name each original with a new kind and where")
    args = ap.parse_args(argv)
    if shutil.which("dciodvfy") is None:
        print("dciodvfy not found: apt-get install dicom3tools", file=sys.stderr)
        return 2
    key = decode_key(Path(args.uid_key_file).read_bytes())
    outputs = {p.stem: str(p) for p in Path(args.out).rglob("*.dcm")}
    originals = sorted(str(p) for p in Path(args.orig).rglob("*") if p.is_file())[:: args.every]
    by_output: dict[str, list[str]] = {}
    missing = 0
    for orig in originals:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # pydicom's warnings quote values
                sop = str(pydicom.dcmread(orig, stop_before_pixels=True).SOPInstanceUID)
        except Exception:
            continue
        out = outputs.get(remap_uid(sop, key, args.uid_root)) or outputs.get(sop)
        if out is None:
            missing += 1
            continue
        by_output.setdefault(out, []).append(orig)
    new = collections.Counter()
    shared = 0
    for out, origs in sorted(by_output.items()):
        after = error_lines(out)
        # Originals that share a SOP Instance UID share an output path (the same image in
        # another transfer syntax, a re-sent instance): the output is compared with the
        # one it adds the fewest kinds to, which it most likely came from.
        shared += len(origs) > 1
        orig, added = min(((o, set(after) - error_kinds(o)) for o in origs), key=lambda pair: len(pair[1]))
        new.update(added)
        if args.details:
            for kind in sorted(added):
                print(f"{os.path.relpath(orig, args.orig)}: {kind} {sorted(after[kind])}")
    n_orig = sum(len(v) for v in by_output.values())
    print(f"{len(by_output)} outputs checked against {n_orig} originals ({shared} outputs shared by "
          f"originals with one SOP Instance UID, compared with the closest), {missing} originals without output")
    for kind, n in new.most_common():
        print(f"{n:6d}  {kind}")
    print("no new error kind" if not new else f"{len(new)} new error kind(s)")
    return 1 if new else 0


if __name__ == "__main__":
    sys.exit(main())
