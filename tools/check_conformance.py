"""Check that de-identification adds no new dciodvfy error kind.

    python tools/check_conformance.py --orig ARCHIVE --out OUT_DIR --uid_key_file KEY [--every 20]

Each sampled original is paired with its output through the keyed SOP Instance UID
(the output path is studies/<study>/series/<series>/instances/<new SOP UID>.dcm), both are
run through ``dciodvfy`` (Debian package dicom3tools), and error lines are reduced to a
kind (numbers and quoted values removed). Prints the error kinds an output has that its
original did not; exits 1 when there is any, 2 when dciodvfy is missing.
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pydicom

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from transforms.dicom.uids import decode_key, remap_uid  # noqa: E402


def error_kinds(path: str) -> set[str]:
    """Return the dciodvfy error lines of a file, reduced to their kind."""
    proc = subprocess.run(["dciodvfy", path], capture_output=True, text=True)
    kinds = set()
    for line in (proc.stdout + proc.stderr).splitlines():
        if line.startswith("Error"):
            kinds.add(re.sub(r"<[^>]*>|\d+", "N", line.split(" Element=")[0])[:200])
    return kinds


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--orig", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--uid_key_file", required=True)
    ap.add_argument("--uid_root", default="2.25")
    ap.add_argument("--every", type=int, default=1, help="check every Nth original (default all)")
    args = ap.parse_args(argv)
    if shutil.which("dciodvfy") is None:
        print("dciodvfy not found: apt-get install dicom3tools", file=sys.stderr)
        return 2
    key = decode_key(Path(args.uid_key_file).read_bytes())
    outputs = {p.stem: str(p) for p in Path(args.out).rglob("*.dcm")}
    originals = sorted(str(p) for p in Path(args.orig).rglob("*") if p.is_file())[:: args.every]
    new = collections.Counter()
    checked = missing = 0
    for orig in originals:
        try:
            sop = str(pydicom.dcmread(orig, stop_before_pixels=True).SOPInstanceUID)
        except Exception:
            continue
        out = outputs.get(remap_uid(sop, key, args.uid_root)) or outputs.get(sop)
        if out is None:
            missing += 1
            continue
        checked += 1
        new.update(error_kinds(out) - error_kinds(orig))
    print(f"{checked} pairs checked, {missing} originals without output")
    for kind, n in new.most_common():
        print(f"{n:6d}  {kind}")
    print("no new error kind" if not new else f"{len(new)} new error kind(s)")
    return 1 if new else 0


if __name__ == "__main__":
    sys.exit(main())
