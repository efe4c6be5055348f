"""Benchmark of issue 18: person names, notes and CLEAN_ALL validity on a Synthea-shaped export.

The export is ``tests/synthea_like.generate`` (Synthea's shapes: patient transaction Bundles,
practitioner and hospital Bundles, conditional references, displays, base64 notes with dates,
ImagingStudy ``urn:oid:`` identifiers) with names drawn from Faker locales the code does not
ship (en_IE with its apostrophes, de_DE, nl_NL with particles, pl_PL, it_IT, pt_BR, hu_HU, sv_SE,
ga_IE, en_US): with Synthea's digit suffixes and without, as Synthea's Bundles, and with digits
as its bulk NDJSON (one file per type, ``urn:uuid:`` references that resolve to nothing).
``fhir-deid`` runs on each with the default config and with CLEAN_ALL (DirectRunner, one
process). Measured per run:

* **names left**: every name part any HumanName of the export holds (2+ letters, with and
  without digits; particles like ``van`` aside), found as a word, case-insensitively, in any
  output leaf, base64 notes decoded (``tests/synthea_like.name_leaks``);
* **note dates**: dates a note held in the source still readable in that output note (through
  the id mapping), and output notes whose first date is not their DocumentReference's
  (shifted) date;
* **R4 problems**: output leaves that do not fit their R4 type, binding or cardinality, or hold an
  infoType token outside free text (``tests/fhir_factories.invariant_problems``);
* counts (found / written / failed), ``findings_by_info_type``, ImagingStudy identifiers mapped.

Usage (from the repository root)::

    python bench/bench_fhir_names.py [--patients 11] [--seed 2718] [--practitioners 30]

Results go to stdout and to ``bench/out/bench_fhir_names.json``.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

import argparse  # noqa: E402
import csv  # noqa: E402
import datetime  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402

from tests.fhir_factories import invariant_problems  # noqa: E402
from tests.synthea_like import DATE_IN_TEXT, generate, leaf_strings, name_leaks  # noqa: E402

OUT_DIR = REPO_ROOT / "bench" / "out"
LOCALES = ("en_IE", "de_DE", "nl_NL", "pl_PL", "it_IT", "pt_BR", "hu_HU", "sv_SE", "ga_IE", "en_US")
KEY = b"bench-fhir-names-run-key-0123456789"
_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%B %d, %Y")


def faker_names(seed: int):
    """``names(rng)`` drawing (given, family) from a random Faker locale (Faker is a test dependency)."""
    from faker import Faker

    fakers = {}
    for i, loc in enumerate(LOCALES):
        fake = Faker(loc)
        fake.seed_instance(seed * 100 + i)
        fakers[loc] = fake

    def names(rng: random.Random) -> tuple[str, str]:
        fake = fakers[rng.choice(LOCALES)]
        return fake.first_name(), fake.last_name()

    return names


def _day(text: str) -> datetime.date | None:
    for fmt in _FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _shifted_forms(held: list[str], found: list[str]) -> set[str]:
    """The source dates of a note as the shift writes them: each moved by the note's own offset
    (its first output date against its first source date), in the source's format."""
    first_out, first_in = (_day(found[0]) if found else None), (_day(held[0]) if held else None)
    if first_out is None or first_in is None:
        return set()
    offset = first_out - first_in
    if not offset:  # the first date was not shifted: nothing is excused
        return set()
    out = set()
    for text in held:
        day = _day(text)
        for fmt in _FORMATS:
            try:
                if datetime.datetime.strptime(text, fmt).date() == day:
                    out.add((day + offset).strftime(fmt))
                    break
            except ValueError:
                continue
    return out


def measure(export, out: Path) -> dict:
    resources = [json.loads(x) for p in sorted(out.glob("*.ndjson")) for x in p.read_text(encoding="utf-8").splitlines()]
    summary = json.loads((out / "deid_summary.json").read_text())
    leaks = name_leaks(resources, export.people)
    with open(out.parent / f"{out.name}-ids.csv", newline="", encoding="utf-8") as f:
        source = {row["new"]: row["original"] for row in csv.DictReader(f)}
    notes = readable = mismatched = 0
    for r in resources:
        for path, text in leaf_strings(r):
            if not path.endswith("#decoded"):
                continue
            notes += 1
            found = DATE_IN_TEXT.findall(text)
            # the dates this note held in the source, still there: not those a shifted date equals by
            # chance (a note's 2002-01-14 shifted by 14 days is its own follow-up date 2002-01-28)
            held = export.notes[source[f"{r['resourceType']}/{r['id']}"]]
            readable += len(set(found) & set(held) - _shifted_forms(held, found))
            if r["resourceType"] == "DocumentReference" and found and _day(found[0]) != datetime.date.fromisoformat(r["date"][:10]):
                mismatched += 1
    problems = [p for r in resources for p in invariant_problems(r)]
    studies = [r for r in resources if r["resourceType"] == "ImagingStudy"]
    return {
        "found": summary["found"],
        "written": summary["succeeded"],
        "failed": summary["failed"],
        "name_parts_left": len(leaks),
        "distinct_parts_left": sorted({p for _, p in leaks})[:20],
        "leak_paths": sorted({path for path, _ in leaks})[:20],
        "notes": notes,
        "note_dates_readable": readable,
        "notes_first_date_not_the_record_date": mismatched,
        "r4_problems": len(problems),
        "r4_problem_examples": sorted(set(problems))[:10],
        "person_name_findings": summary["findings_by_info_type"].get("PERSON_NAME", 0),
        "imaging_identifiers_as_new_uid": sum(s["identifier"][0]["value"].startswith("urn:oid:2.25.") for s in studies),
        "imaging_studies": len(studies),
    }


def run_job(inp: Path, out: Path, profile: str) -> float:
    shutil.rmtree(out, ignore_errors=True)
    key = out.parent / "run.key"
    key.write_bytes(KEY)
    cmd = [sys.executable, "-m", "pipeline.fhir.run", "--input", str(inp), "--output", str(out), "--key_file", str(key),
           "--id_mapping_output", str(out.parent / f"{out.name}-ids.csv")]  # fmt: skip
    if profile != "default":
        cfg = out.parent / f"{profile}.json"
        cfg.write_text(json.dumps({"fhirFieldConfig": {"profileType": profile}}))
        cmd += ["--config", str(cfg)]
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    start = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=11)
    parser.add_argument("--seed", type=int, default=2718)
    parser.add_argument("--practitioners", type=int, default=30)
    parser.add_argument("--json", type=Path, default=OUT_DIR / "bench_fhir_names.json")
    args = parser.parse_args(argv)
    work = OUT_DIR / "fhir_names"
    shutil.rmtree(work, ignore_errors=True)
    results = []
    for digits, layout in ((True, "bundles"), (False, "bundles"), (True, "ndjson")):
        export = generate(args.patients, args.seed, faker_names(args.seed), digits=digits, practitioners=args.practitioners)
        name = f"{'digits' if digits else 'plain'}-{layout}"
        inp = work / f"in-{name}"
        (export.write if layout == "bundles" else export.write_ndjson)(inp)
        entries = sum(len(b["entry"]) for b in export.files.values())
        for profile in ("default", "CLEAN_ALL"):
            out = work / f"out-{name}-{profile}"
            wall = run_job(inp, out, profile)
            row = {"digits": digits, "layout": layout, "profile": profile, "entries": entries, "people": len(export.people), "wall_s": round(wall, 1)}
            row.update(measure(export, out))
            results.append(row)
            print(
                f"{name:14} {profile:9} entries {entries:5} written {row['written']:5} failed {row['failed']} | "
                f"name parts left {row['name_parts_left']} | notes {row['notes']}, original dates readable {row['note_dates_readable']}, "
                f"first date != record date {row['notes_first_date_not_the_record_date']} | R4 problems {row['r4_problems']} | "
                f"PERSON_NAME findings {row['person_name_findings']} | ImagingStudy ids mapped {row['imaging_identifiers_as_new_uid']}/{row['imaging_studies']} | {wall:.1f} s"
            )
            if row["name_parts_left"]:
                print("   left:", row["distinct_parts_left"], row["leak_paths"])
            if row["r4_problems"]:
                print("   R4:", row["r4_problem_examples"])
    payload = {"patients": args.patients, "seed": args.seed, "practitioners": args.practitioners, "locales": LOCALES, "runs": results}
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(payload, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
