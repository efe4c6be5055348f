"""Benchmark: de-identification adds no dciodvfy error kind, per profile, per input file.

    python bench/bench_conformance.py --input DIR [--profiles basic,minimal] [--details]

Every file under ``--input`` goes through ``transforms.dicom.deidentify.Deidentifier``
once per profile (a fixed UID key), and its output, written to a temporary file of its
own, is compared with that input by ``dciodvfy`` (``tools/check_conformance.py``'s error
kinds: numbers, UIDs and quoted values removed). Each input is paired with exactly its
own output, so inputs that share a SOP Instance UID (which a pipeline run writes to one
path) are each checked. Prints, per profile: files, de-identified, failed (the engine's
failure record: stage and error class), and the outputs with an error kind their input
did not have; ``--details`` names each with the attributes. Exits 1 when any profile adds
a kind. Needs dicom3tools (``dciodvfy``).
"""

from __future__ import annotations

import argparse
import collections
import importlib.util
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from transforms.deid_config import parse_config  # noqa: E402
from transforms.dicom.deidentify import Deidentifier, StageFailure  # noqa: E402

PROFILES = {
    "basic": {},
    "clean_descriptors": {"dicomTagConfig": {"options": {"cleanDescriptors": {}}}},
    "tag_contents": {"dicomTagConfig": {"profileType": "DEIDENTIFY_TAG_CONTENTS"}},
    "minimal": {"dicomTagConfig": {"profileType": "MINIMAL_KEEP_LIST_PROFILE"}},
    "keep_all": {"dicomTagConfig": {"profileType": "KEEP_ALL_PROFILE"}},
}


def _check_conformance():
    spec = importlib.util.spec_from_file_location("check_conformance", ROOT / "tools" / "check_conformance.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_profile(name: str, files: list[Path], root: Path, details: bool) -> int:
    """De-identify and check every file under one profile; return the outputs with a new kind."""
    cc = _check_conformance()
    engine = Deidentifier(parse_config(PROFILES[name]), b"bench-conformance-key-0123456789")
    failed = collections.Counter()
    new = collections.Counter()
    worse = done = 0
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.dcm"
        for path in files:
            try:
                result = engine(path.read_bytes(), source=str(path))
            except StageFailure as exc:
                failed[f"{exc.stage}: {exc.error_type}"] += 1
                continue
            done += 1
            out.write_bytes(result.data)
            after = cc.error_lines(str(out))
            added = set(after) - cc.error_kinds(str(path))
            if added:
                worse += 1
                new.update(added)
                if details:
                    for kind in sorted(added):
                        print(f"  {name}: {os.path.relpath(path, root)}: {kind} {sorted(after[kind])}")
    print(f"{name}: {len(files)} files, {done} de-identified, {sum(failed.values())} failed, "
          f"{worse} outputs with a new dciodvfy error kind ({len(new)} kinds)")
    for reason, n in failed.most_common():
        print(f"    failed {n:4d}  {reason}")
    for kind, n in new.most_common():
        print(f"    new    {n:4d}  {kind}")
    return worse


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--input", required=True)
    ap.add_argument("--profiles", default=",".join(PROFILES), help=f"comma-separated, of {', '.join(PROFILES)}")
    ap.add_argument("--details", action="store_true")
    args = ap.parse_args(argv)
    if shutil.which("dciodvfy") is None:
        print("dciodvfy not found: apt-get install dicom3tools", file=sys.stderr)
        return 2
    root = Path(args.input)
    files = sorted(p for p in root.rglob("*") if p.is_file())
    worse = sum(run_profile(name, files, root, args.details) for name in args.profiles.split(","))
    return 1 if worse else 0


if __name__ == "__main__":
    sys.exit(main())
