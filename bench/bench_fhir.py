"""Benchmark of fhir-deid: resources per second on a planted carebundle cohort.

What is measured, on ``tests/fhir_factories.build_cohort(--patients, --seed)`` (carebundle
0.5.0 plus planted telecom, addresses, MRNs, narrative PHI; ~46 resources per patient):

* **engine** (one process, one core): ``FhirDeidentifier`` on every parsed resource
  (BASIC + annotations with storeQuote, the default text config), serialized with
  ``ndjson.dumps``: resources per second of CPU-bound work, no Beam.
* **pipeline, multi_processing x2**: ``python -m pipeline.fhir.run`` with
  ``--direct_running_mode=multi_processing --direct_num_workers=2`` on the whole cohort
  and on a one-resource cohort; the rate with start-up excluded is
  ``(N - 1) / (T_N - T_1)``, as in ``bench.py``. Every run must report
  ``succeeded == N``.

Usage (from the repository root)::

    python bench/bench_fhir.py [--patients 100] [--seed 11] [--repeat 1]

Results go to stdout and to ``bench/out/bench_fhir.json``.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402

from tests.fhir_factories import build_cohort  # noqa: E402
from transforms.deid_config import parse_config  # noqa: E402
from transforms.fhir.engine import FhirDeidentifier  # noqa: E402
from transforms.fhir.ndjson import dumps, parse_resource  # noqa: E402

OUT_DIR = REPO_ROOT / "bench" / "out"
CONFIG = {"annotation": {"storeQuote": True}}
KEY = b"bench-fhir-run-key-0123456789abcdef"


def run_engine(lines: list[str]) -> dict:
    engine = FhirDeidentifier(parse_config(CONFIG), KEY)
    start, cpu = time.perf_counter(), time.process_time()
    for line in lines:
        dumps(engine(parse_resource(line), source="bench").resource)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {"resources": len(lines), "wall_s": round(wall, 3), "cpu_s": round(cpu, 3), "rate": round(len(lines) / wall, 1)}


def run_pipeline(inp: Path, out: Path, cfg: Path, key: Path, workers: int) -> float:
    if out.exists():
        shutil.rmtree(out)
    cmd = [sys.executable, "-m", "pipeline.fhir.run", "--input", str(inp), "--output", str(out),
           "--config", str(cfg), "--key_file", str(key), "--annotations_output", str(out.parent / (out.name + "-ann"))]  # fmt: skip
    if workers > 1:
        cmd += ["--direct_running_mode=multi_processing", f"--direct_num_workers={workers}"]
    shutil.rmtree(out.parent / (out.name + "-ann"), ignore_errors=True)
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    start = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    summary = json.loads((out / "deid_summary.json").read_text())
    if summary["failed"] or summary["succeeded"] != summary["found"]:
        raise SystemExit(f"pipeline run reported failures: {summary['failed']} of {summary['found']}")
    return wall


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=100)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--repeat", type=int, default=1, help="runs per pipeline case; the best is kept")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", type=Path, default=OUT_DIR / "bench_fhir.json")
    args = parser.parse_args(argv)
    work = OUT_DIR / "fhir"
    shutil.rmtree(work, ignore_errors=True)
    cohort = build_cohort(args.patients, args.seed)
    inp = work / "in"
    cohort.write(inp)
    lines = [line for text in cohort.ndjson.values() for line in text.splitlines() if line.strip()]
    one = work / "one"
    one.mkdir(parents=True)
    (one / "Patient.ndjson").write_text(cohort.ndjson["Patient"].splitlines()[0] + "\n", encoding="utf-8")
    cfg, key = work / "config.json", work / "run.key"
    cfg.write_text(json.dumps(CONFIG))
    key.write_bytes(KEY)
    engine = run_engine(lines)
    t_n = min(run_pipeline(inp, work / "out", cfg, key, args.workers) for _ in range(args.repeat))
    t_1 = min(run_pipeline(one, work / "out1", cfg, key, args.workers) for _ in range(args.repeat))
    n = len(lines)
    rate = (n - 1) / (t_n - t_1) if t_n > t_1 else None
    result = {
        "patients": args.patients,
        "seed": args.seed,
        "resources": n,
        "engine_1_core": engine,
        "pipeline": {"workers": args.workers, "T_N_s": round(t_n, 2), "T_1_s": round(t_1, 2),
                     "rate_excluding_startup": round(rate, 1) if rate else None,
                     "rate_including_startup": round(n / t_n, 1)},  # fmt: skip
        "note": "wall-clock rates; the machine may be shared (loaded)",
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=1) + "\n")
    print(f"cohort: {args.patients} patients (seed {args.seed}), {n} resources")
    print(f"engine, 1 core: {engine['rate']} resources/s ({engine['wall_s']} s)")
    print(
        f"pipeline, multi_processing x{args.workers}: T_N {t_n:.2f} s, T_1 {t_1:.2f} s, "
        f"{result['pipeline']['rate_excluding_startup']} resources/s excluding start-up, "
        f"{result['pipeline']['rate_including_startup']} including"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
