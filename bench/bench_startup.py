"""Time from the command to its answer for a job that cannot start (a config error).

    .venv/bin/python bench/bench_startup.py [--tree PATH ...] [--repeat 5] [--cold]

Each tree (a checkout of this repository; default: this one) runs
``dicom-deid --input ARCHIVE --output OUT --config BAD.json`` with that tree first on
PYTHONPATH and the same interpreter and packages, and the wall time until the process ends
(its last act is the error message) is reported: the median and the range of ``--repeat``
runs. ``--cold`` first evicts the interpreter's standard library, the virtualenv's packages and
the tree's files from the page cache (posix_fadvise DONTNEED on each file: no root needed, no
other file touched), as after a reboot or on a busy machine whose cache holds other work.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def evict(folders: list[Path]) -> int:
    """Drop the files under ``folders`` from the page cache; return how many files."""
    count = 0
    for folder in folders:
        for dirpath, _, files in os.walk(folder):
            for name in files:
                try:
                    fd = os.open(os.path.join(dirpath, name), os.O_RDONLY)
                except OSError:
                    continue
                try:
                    os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
                    count += 1
                finally:
                    os.close(fd)
    return count


def one_run(tree: Path, work: Path, cold: bool) -> float:
    if cold:
        evict([Path(sysconfig.get_paths()["stdlib"]), Path(sysconfig.get_paths()["purelib"]), tree])
    env = {**os.environ, "PYTHONPATH": str(tree)}
    code = "import sys; from pipeline.dicom.run import main; sys.argv[0] = 'dicom-deid'; main()"
    argv = [sys.executable, "-c", code, "--input", str(work / "in"), "--output", str(work / "out"),
            "--config", str(work / "bad.json")]
    start = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True, cwd=work, env=env, timeout=600)
    elapsed = time.perf_counter() - start
    if proc.returncode != 2 or "config.nope" not in proc.stderr:
        raise SystemExit(f"unexpected answer from {tree}: {proc.returncode} {proc.stderr[-500:]}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", action="append", type=Path, help="repository checkout(s) to time (default: this one)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--cold", action="store_true", help="evict the page cache before each run")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    args = parser.parse_args()
    trees = args.tree or [ROOT]
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "in").mkdir()
        (work / "bad.json").write_text('{"nope": 1}')
        for tree in trees:
            subprocess.run([sys.executable, "-m", "compileall", "-q", str(tree / "pipeline"), str(tree / "transforms")], check=False)
            one_run(tree, work, False)  # warm once
        for _ in range(args.repeat):  # interleaved, so load changes hit every tree alike
            for tree in trees:
                results.setdefault(str(tree), []).append(one_run(tree, work, args.cold))
    print(f"time to the config error, {'cold' if args.cold else 'warm'} page cache, {args.repeat} runs each")
    for tree, times in results.items():
        print(f"{tree}: median {statistics.median(times):.2f} s (min {min(times):.2f}, max {max(times):.2f})")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
