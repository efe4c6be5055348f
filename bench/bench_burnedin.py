"""Quality benchmark of burned-in text redaction, read by two OCR readers.

    python bench/bench_burnedin.py --corpus DIR [--corpus DIR2 ...] [--modes REDACT_ALL_TEXT ...]
    python bench/bench_burnedin.py --generate DIR --seed 7 --per-case 4   # bench/burnedin_cases.py first

For each corpus (a ``make_corpus.py`` output or a ``bench/burnedin_cases.py``
output: ``DIR/dicom`` and ``DIR/truth.json``) and each mode, the job runs as
users run it (``python -m pipeline.dicom.run --direct_running_mode=multi_processing
--direct_num_workers=2 --config cfg.json --uid_mapping_output map.csv``), then:

* ``../shared/tools/score.py --uid-map map.csv`` scores it (its JSON summary is
  kept; ``outputs_unmatched`` must be 0);
* every truth box is read in the original and in the output, on the frame it
  is on, by two readers: ``tesseract`` (score.py's own crop reader: Tesseract,
  page segmentation mode 7) and ``rapidocr`` (PP-OCRv4 recognition of the same
  crop, onnxruntime). A string counts for a reader when that reader reads it in
  the original; it is *left readable* when the reader still reads it in the
  output (score.py's ``readable``: normalised substring, or 80% fuzzy window).
  Identifiers and non-identifying strings are counted apart (the sensitive
  modes should keep the latter);
* pixels changed outside every text box (all frames), and the PixelData MD5 of
  instances without text.

Results: one table per corpus and mode on stdout and ``bench/out/bench_burnedin.json``
(``--json``), which also lists, per corpus and mode, every identifier box a reader
still reads (``left``: file, case, kind, frame, box, readers).
"""

from __future__ import annotations

import argparse
import base64
import collections
import csv
import hashlib
import importlib.util
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pydicom

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))
if str(REPO_ROOT / "bench") not in sys.path:
    sys.path.insert(0, str(REPO_ROOT / "bench"))

SHARED_TOOLS = Path(os.environ.get("DEID_SHARED_TOOLS", REPO_ROOT.parent / "shared" / "tools"))
TOOL_PYTHON = os.environ.get("DEID_TOOL_PYTHON", "/work/tools/toolvenv/bin/python")
OUT_DIR = REPO_ROOT / "bench" / "out"
MODES = ("REDACT_ALL_TEXT", "REDACT_SENSITIVE_TEXT_CLEAN_DESCRIPTORS")

_G: dict = {}


def _score_module():
    spec = importlib.util.spec_from_file_location("deid_score", SHARED_TOOLS / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _boxes(info: dict) -> list[dict]:
    """Every truth box of one file: generator ``cases`` (with frame, identifier) or make_corpus boxes."""
    if "cases" in info:
        return info["cases"]
    burned = info.get("burned_in") or {}
    return [dict(b, identifier=True, frame=None) for b in burned.get("boxes", [])]


def _frames(ds) -> np.ndarray:
    arr = ds.pixel_array
    if int(ds.get("NumberOfFrames", 1) or 1) == 1:
        arr = arr[None]
    return arr


class _RapidReader:
    """PP-OCRv4 recognition of a crop (the second reader), 1 thread."""

    def __init__(self) -> None:
        from rapidocr_onnxruntime import RapidOCR

        self.engine = RapidOCR(intra_op_num_threads=1, inter_op_num_threads=1)

    def __call__(self, frame: np.ndarray, bbox) -> str:
        x0, y0, x1, y1 = bbox
        pad = 4
        rows, columns = frame.shape[:2]
        crop = frame[max(0, y0 - pad) : min(rows, y1 + pad), max(0, x0 - pad) : min(columns, x1 + pad)].astype(np.float32)
        if crop.ndim == 3:
            crop = crop.mean(axis=2)
        lo, hi = float(crop.min()), float(crop.max())
        if crop.size == 0 or hi - lo < 1e-6:
            return ""
        grey = (crop - lo) / (hi - lo) * 255.0
        if np.median(grey) < 128:
            grey = 255.0 - grey
        from PIL import Image

        scale = max(1, round(48 / max(1, grey.shape[0])))
        img = Image.fromarray(grey.astype(np.uint8)).resize((grey.shape[1] * scale, grey.shape[0] * scale), Image.BICUBIC)
        framed = np.full((img.height + 16, img.width + 16), 255, np.uint8)
        framed[8:-8, 8:-8] = np.asarray(img)
        result, _ = self.engine(np.stack([framed] * 3, axis=-1), use_det=False, use_cls=False, use_rec=True)
        return " ".join(str(r[0]) for r in (result or []))


def _read_file(job):
    """Read every box of one original/output pair with both readers; return per-box records."""
    rel, out_path = job
    score, rapid = _G["score"], _G.get("rapid")
    if rapid is None:
        rapid = _G["rapid"] = _RapidReader()
    info = _G["truth"][rel]
    original = pydicom.dcmread(Path(_G["corpus"]) / "dicom" / rel)
    out = pydicom.dcmread(out_path)
    iarr, oarr = _frames(original), _frames(out)
    record = {"rel": rel, "case": info.get("case") or info["meta"].get("modality", "?"), "boxes": []}
    if iarr.shape != oarr.shape:
        record["error"] = "shape"
        return record
    diff = np.abs(iarr.astype(np.int32) - oarr.astype(np.int32))
    if diff.ndim == 4:
        diff = diff.max(axis=3)
    changed = diff > 0
    mask = np.zeros(changed.shape[1:], bool)
    boxes = _boxes(info)
    for b in boxes:
        x0, y0, x1, y1 = b["bbox"]
        mask[y0:y1, x0:x1] = True
    record["changed_outside"] = float(changed[:, ~mask].mean()) if (~mask).any() else 0.0
    record["md5_kept"] = hashlib.md5(original.PixelData).digest() == hashlib.md5(out.PixelData).digest()
    for b in boxes:
        frame = b.get("frame") or 0
        entry = {"kind": b["kind"], "identifier": bool(b["identifier"]), "frame": frame, "bbox": list(b["bbox"])}
        x0, y0, x1, y1 = b["bbox"]
        touched = bool(changed[frame, y0:y1, x0:x1].any())
        needle = b["needle"] or b["text"]
        for name, reader in (("tesseract", score.ocr_box), ("rapidocr", rapid)):
            before = reader(iarr[frame], b["bbox"])
            after = reader(oarr[frame], b["bbox"]) if touched else before
            entry[name] = [bool(score.readable(needle, before)), bool(score.readable(needle, after))]
        record["boxes"].append(entry)
    return record


def run_job(corpus: Path, out: Path, mode: str, work: Path, key_file: Path) -> dict:
    """Run the pipeline with ``mode`` on ``corpus/dicom``; return timing and the mapping path."""
    config = work / f"{mode}.json"
    config.write_text(json.dumps({"dicomTagConfig": {"options": {"cleanImage": {"textRedactionMode": mode}}}}))
    mapping = work / f"{out.name}.map.csv"
    if out.exists():
        shutil.rmtree(out)
    cmd = [
        sys.executable, "-m", "pipeline.dicom.run", "--input", str(corpus / "dicom"), "--output", str(out),
        "--uid_key_file", str(key_file), "--config", str(config), f"--uid_mapping_output={mapping}",
        "--direct_running_mode=multi_processing", "--direct_num_workers=2",
    ]
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT))
    start = time.perf_counter()
    with open(work / f"{out.name}.log", "w") as log:
        proc = subprocess.run(cmd, cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"pipeline failed for {mode} on {corpus} (log {work / (out.name + '.log')})")
    return {"wall_s": wall, "mapping": mapping}


def run_score(corpus: Path, out: Path, mapping: Path, work: Path) -> dict:
    result = work / f"{out.name}.score.json"
    cmd = [TOOL_PYTHON, str(SHARED_TOOLS / "score.py"), "--corpus", str(corpus), "--out", str(out),
           "--tool", "dicom-deid", "--uid-map", str(mapping), "--json", str(result)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        return {"error": proc.stderr[-400:]}
    summary = json.loads(result.read_text())
    row = next((line for line in proc.stdout.splitlines() if line.startswith("|")), "")
    burned = summary.get("burned_in") or {}
    return {
        "row": row,
        "outputs_unmatched": summary.get("outputs_unmatched"),
        "burned_in": burned,
        "pixels_changed_outside_boxes_mean": summary.get("pixels_changed_outside_boxes_mean"),
    }


def read_outputs(corpus: Path, out: Path, mapping: Path, workers: int) -> list[dict]:
    truth = json.loads((corpus / "truth.json").read_text())["files"]
    new_uid = {}
    with open(mapping, newline="") as fh:
        for row in csv.DictReader(fh):
            new_uid[row["original"]] = row["new"]
    by_sop = {}
    for path in out.rglob("*.dcm"):
        ds = pydicom.dcmread(path, stop_before_pixels=True)
        by_sop[str(ds.SOPInstanceUID)] = path
    jobs = []
    for rel, info in truth.items():
        target = by_sop.get(new_uid.get(info["uids"]["sop"], ""))
        if target is not None:
            jobs.append((rel, str(target)))
    _G.update(truth=truth, corpus=str(corpus), score=_score_module())
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        records = pool.map(_read_file, jobs, chunksize=1)
    missing = len(truth) - len(jobs)
    if missing:
        records.append({"rel": "(unpaired)", "case": "unpaired", "boxes": [], "unpaired": missing})
    return records


def summarise(records: list[dict]) -> dict:
    """Per case and overall: for each reader, identifiers readable before / left readable; kept plain text."""
    cases: dict[str, dict] = collections.defaultdict(lambda: collections.Counter())
    outside: dict[str, list[float]] = collections.defaultdict(list)
    for r in records:
        for key in (r["case"], "ALL"):
            c = cases[key]
            c["files"] += 1
            if "changed_outside" in r:
                outside[key].append(r["changed_outside"])
            if not r["boxes"] and "md5_kept" in r:
                c["no_text_files"] += 1
                c["no_text_md5_kept"] += r["md5_kept"]
            for b in r["boxes"]:
                group = "id" if b["identifier"] else "plain"
                for reader in ("tesseract", "rapidocr"):
                    before, after = b[reader]
                    c[f"{group}_{reader}_readable"] += before
                    c[f"{group}_{reader}_left"] += before and after
                c[f"{group}_strings"] += 1
    out = {}
    for key, c in cases.items():
        row = dict(c)
        row["changed_outside_mean"] = round(float(np.mean(outside[key])), 5) if outside[key] else None
        for reader in ("tesseract", "rapidocr"):
            readable = c[f"id_{reader}_readable"]
            row[f"id_{reader}_left_pct"] = round(100.0 * c[f"id_{reader}_left"] / readable, 2) if readable else None
        out[key] = row
    return out


def left_readable(records: list[dict]) -> list[dict]:
    """The identifier boxes a reader still reads in the output: file, case, kind, frame, box, readers."""
    out = []
    for r in records:
        for b in r["boxes"]:
            readers = [name for name in ("tesseract", "rapidocr") if b[name] == [True, True]]
            if b["identifier"] and readers:
                out.append({"rel": r["rel"], "case": r["case"], "kind": b["kind"], "frame": b["frame"],
                            "bbox": b.get("bbox"), "readers": readers})
    return out


def table(summary: dict) -> str:
    head = (f"{'case':<13} {'files':>5} {'ids':>4} {'tess left':>12} {'rapid left':>12} "
            f"{'plain kept (t/r)':>17} {'outside%':>8} {'md5 kept':>8}")
    lines = [head, "-" * len(head)]
    for key in sorted(summary, key=lambda k: (k == "ALL", k)):
        c = summary[key]
        t = f"{c.get('id_tesseract_left', 0)}/{c.get('id_tesseract_readable', 0)}"
        r = f"{c.get('id_rapidocr_left', 0)}/{c.get('id_rapidocr_readable', 0)}"
        p = f"{c.get('plain_tesseract_left', 0)}/{c.get('plain_tesseract_readable', 0)} {c.get('plain_rapidocr_left', 0)}/{c.get('plain_rapidocr_readable', 0)}"
        o = c.get("changed_outside_mean")
        md5 = f"{c.get('no_text_md5_kept', 0)}/{c.get('no_text_files', 0)}" if c.get("no_text_files") else "-"
        lines.append(f"{key:<13} {c['files']:>5} {c.get('id_strings', 0):>4} {t:>12} {r:>12} {p:>17} "
                     f"{(100 * o if o is not None else float('nan')):>8.3f} {md5:>8}")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", action="append", default=[], help="make_corpus.py or burnedin_cases.py output")
    parser.add_argument("--generate", help="write a bench/burnedin_cases.py corpus here first and bench it")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--per-case", type=int, default=4)
    parser.add_argument("--modes", nargs="+", default=list(MODES))
    parser.add_argument("--workers", type=int, default=2, help="reader processes")
    parser.add_argument("--no-score", action="store_true", help="skip ../shared/tools/score.py")
    parser.add_argument("--work", default=str(OUT_DIR / "burnedin_work"))
    parser.add_argument("--json", default=str(OUT_DIR / "bench_burnedin.json"), help="where the results go")
    args = parser.parse_args(argv)
    corpora = [Path(c).resolve() for c in args.corpus]
    if args.generate:
        from burnedin_cases import write_corpus  # bench/ is on sys.path when run as a script

        target = Path(args.generate).resolve()
        if target.exists():
            shutil.rmtree(target)
        write_corpus(target, args.seed, args.per_case)
        corpora.append(target)
    if not corpora:
        parser.error("give --corpus DIR or --generate DIR")
    work = Path(args.work).resolve()
    work.mkdir(parents=True, exist_ok=True)
    key_file = work / "uid.key"
    if not key_file.exists():
        key_file.write_text(base64.b64encode(hashlib.sha256(b"bench_burnedin").digest()).decode() + "\n")
    results = []
    for corpus in corpora:
        for mode in args.modes:
            out = work / f"{corpus.name}_{mode}"
            job = run_job(corpus, out, mode, work, key_file)
            files = len(list((corpus / "dicom").rglob("*.dcm")))
            scored = None if args.no_score else run_score(corpus, out, job["mapping"], work)
            records = read_outputs(corpus, out, job["mapping"], args.workers)
            summary = summarise(records)
            print(f"\n== {corpus.name} {mode}: {files} files, job {job['wall_s']:.1f} s (start-up included)")
            if scored:
                print(f"score.py: {scored.get('row', scored.get('error'))}")
                print(f"score.py burned_in: {json.dumps(scored.get('burned_in'))}  outputs_unmatched: "
                      f"{scored.get('outputs_unmatched')}")
            print(table(summary), flush=True)
            results.append({"corpus": str(corpus), "mode": mode, "files": files, "job_wall_s": job["wall_s"],
                            "score": scored, "summary": summary, "left": left_readable(records)})
    path = Path(args.json)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=1) + "\n")
    print(f"\nwrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
