"""Benchmark: DICOMweb store -> store against files -> files, and a leak score of the destination.

What it does (issue 11)
-----------------------
1. Starts two real Orthanc servers (DICOMweb plugin, basic auth, loopback) and a
   third holding one instance; loads the corpus into the first through Orthanc's
   REST API (untimed).
2. **store -> store**: ``python -m pipeline.dicom.run --dicomweb_source A
   --dicomweb_destination B`` with ``multi_processing`` x ``--workers``; checks that
   every instance arrived (B's REST API lists all of them) and that the summary
   reconciles (found = filtered_out + skipped + succeeded + failed).
3. Downloads B's instances (REST ``GET /instances/{id}/file``) and runs
   ``score.py --corpus CORPUS --out DOWNLOADED --tool dicomweb``: its Markdown line
   is printed as is.
4. **files -> files**: the same job on the corpus folder into a folder; the
   destination's instances must be byte-identical to these files.
5. Rates exclude start-up as ``bench.py`` does: each case also runs on a
   one-instance input, and ``rate = (N - 1) / (T(N) - T(1))``; the wall rate
   ``N / T(N)`` is shown too.

Usage (from the repository root)::

    python bench/bench_dicomweb.py [--corpus /tmp/dwcorpus] [--workers 2] [--repeat 1]

The corpus defaults to the issue's: ``make_corpus.py --studies 5
--series-per-study 4 --instances-per-series 10 --seed 31`` (200 instances), made
with the tools venv when ``CORPUS/dicom`` is missing. Results go to stdout and to
``bench/out/bench_dicomweb.json``.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

import argparse  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

from tests.orthanc import OrthancServer  # noqa: E402

# The project-independent corpus generator and scorer (../shared/tools beside the checkout) and an
# interpreter with their needs (pydicom numpy pillow faker pytesseract): DEID_TOOLS_PYTHON.
TOOLS_PYTHON = os.environ.get("DEID_TOOLS_PYTHON", sys.executable)
SHARED_TOOLS = Path(os.environ.get("DEID_SHARED_TOOLS", REPO_ROOT.parent / "shared" / "tools"))
OUT_DIR = REPO_ROOT / "bench" / "out"
KEY = b"YmVuY2ggZGljb213ZWIga2V5IC0tIDMyIGJ5dGVzIGxvbmc=\n"


def ensure_corpus(corpus: Path) -> list[Path]:
    if not (corpus / "dicom").is_dir():
        subprocess.run(
            [TOOLS_PYTHON, str(SHARED_TOOLS / "make_corpus.py"), "--out", str(corpus), "--studies", "5",
             "--series-per-study", "4", "--instances-per-series", "10", "--seed", "31"],
            check=True,
        )
    return sorted(p for p in (corpus / "dicom").rglob("*") if p.is_file())


def run_job(argv: list[str], env: dict, workers: int) -> tuple[float, dict]:
    """Run the pipeline in a subprocess; return (wall seconds, summary)."""
    summary_path = Path(argv[argv.index("--summary_output") + 1])
    cmd = [sys.executable, "-m", "pipeline.dicom.run", *argv, "--progress_interval", "0",
           "--direct_running_mode", "multi_processing", "--direct_num_workers", str(workers)]
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        sys.stderr.write(done.stderr[-4000:])
        raise SystemExit(f"pipeline failed ({done.returncode}): {' '.join(argv[:4])} ...")
    return wall, json.loads(summary_path.read_text())


def reconciles(summary: dict) -> bool:
    return summary["found"] == summary["filtered_out"] + summary["skipped"] + summary["succeeded"] + summary["failed"]


def best(repeat: int, once) -> tuple[float, dict]:
    runs = [once(i) for i in range(repeat)]
    return min(runs, key=lambda r: r[0])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=Path("/tmp/dwcorpus"))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--json", type=Path, default=OUT_DIR / "bench_dicomweb.json")
    args = parser.parse_args(argv)
    files = ensure_corpus(args.corpus)
    n = len(files)
    work = Path(tempfile.mkdtemp(prefix="bench-dicomweb-"))
    key = work / "uid.key"
    key.write_bytes(KEY)
    one = work / "one"
    one.mkdir()
    shutil.copy(files[0], one / files[0].name)
    servers = []
    try:
        source, single = OrthancServer("bench-source"), OrthancServer("bench-single")
        servers += [source, single]
        t0 = time.perf_counter()
        for f in files:
            source.upload(f.read_bytes())
        load_seconds = time.perf_counter() - t0
        single.upload(files[0].read_bytes())
        env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
        env.pop("DEID_UID_KEY", None)

        def store_run(src: OrthancServer, expected: int, label: str):
            def once(i: int):
                dest = OrthancServer(f"bench-dest-{label}-{i}")
                servers.append(dest)
                run_env = {**env, **src.env("SOURCE_"), **dest.env("DESTINATION_")}
                wall, summary = run_job(
                    ["--dicomweb_source", src.url, "--dicomweb_destination", dest.url, "--dicomweb_auth", "basic",
                     "--uid_key_file", str(key), "--failures_output", str(work / f"{label}{i}-failures.jsonl"),
                     "--summary_output", str(work / f"{label}{i}-summary.json")],
                    run_env, args.workers,
                )
                held = len(dest.rest("GET", "/instances"))
                assert summary["succeeded"] == expected == held, (summary, held)
                assert reconciles(summary)
                store_run.last = (dest, summary)
                return wall, summary

            return once

        def file_run(inp: Path, expected: int, label: str):
            def once(i: int):
                out = work / f"{label}{i}"
                wall, summary = run_job(
                    ["--input", str(inp), "--output", str(out), "--uid_key_file", str(key),
                     "--failures_output", str(out) + "-failures.jsonl", "--summary_output", str(out) + "-summary.json"],
                    env, args.workers,
                )
                assert summary["succeeded"] == expected and reconciles(summary), summary
                file_run.last = (out, summary)
                return wall, summary

            return once

        s_all, s_summary = best(args.repeat, store_run(source, n, "all"))
        dest, _ = store_run.last
        downloaded = work / "downloaded"
        downloaded.mkdir()
        for oid in dest.rest("GET", "/instances"):
            (downloaded / f"{oid}.dcm").write_bytes(dest.rest("GET", f"/instances/{oid}/file"))
        s_one, _ = best(args.repeat, store_run(single, 1, "one"))
        f_all, f_summary = best(args.repeat, file_run(args.corpus / "dicom", n, "files"))
        files_out, _ = file_run.last
        f_one, _ = best(args.repeat, file_run(one, 1, "files-one"))
        digest = lambda paths: sorted(hashlib.sha256(p.read_bytes()).hexdigest() for p in paths)  # noqa: E731
        same_bytes = digest(downloaded.glob("*.dcm")) == digest(files_out.rglob("*.dcm"))
        score = subprocess.run(
            [TOOLS_PYTHON, str(SHARED_TOOLS / "score.py"), "--corpus", str(args.corpus), "--out", str(downloaded),
             "--tool", "dicomweb", "--json", str(work / "score.json")],
            capture_output=True, text=True,
        )
        markdown = [line for line in score.stdout.splitlines() if line.startswith("|")]
        result = {
            "instances": n,
            "workers": args.workers,
            "corpus_load_seconds": round(load_seconds, 2),
            "store_to_store": {"wall_seconds": round(s_all, 2), "one_instance_seconds": round(s_one, 2),
                               "instances_per_second": round((n - 1) / (s_all - s_one), 2) if s_all > s_one else None,
                               "wall_instances_per_second": round(n / s_all, 2), "summary": s_summary},
            "files_to_files": {"wall_seconds": round(f_all, 2), "one_instance_seconds": round(f_one, 2),
                               "instances_per_second": round((n - 1) / (f_all - f_one), 2) if f_all > f_one else None,
                               "wall_instances_per_second": round(n / f_all, 2), "summary": f_summary},
            "destination_held": len(list(downloaded.iterdir())),
            "destination_bytes_equal_file_output": same_bytes,
            "score_markdown": markdown,
            "score_stdout_tail": score.stdout[-3000:],
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=1, sort_keys=True) + "\n")
        print(f"{'case':<22} {'instances':>9} {'T(N) s':>8} {'T(1) s':>8} {'inst/s':>8} {'wall inst/s':>12}")
        for label, key_ in (("store -> store", "store_to_store"), ("files -> files", "files_to_files")):
            r = result[key_]
            print(f"{label:<22} {n:>9} {r['wall_seconds']:>8.2f} {r['one_instance_seconds']:>8.2f} "
                  f"{r['instances_per_second'] or float('nan'):>8.2f} {r['wall_instances_per_second']:>12.2f}")
        print("store -> store summary:", json.dumps({k: s_summary[k] for k in ("found", "filtered_out", "skipped", "succeeded", "failed")}),
              json.dumps(s_summary.get("dicomweb", {}), sort_keys=True))
        print(f"destination holds {result['destination_held']} of {n} instances; "
              f"byte-identical to the files -> files output: {same_bytes}")
        print("\n".join(markdown) if markdown else score.stdout[-2000:] + score.stderr[-2000:])
        return 0
    finally:
        for server in servers:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
