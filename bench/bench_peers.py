"""Whole-process comparison with peers, and a profile of one tag-only run.

``bench/bench.py --case peers``: on the same 2,000-instance corpus, in one run,
each as a whole process (interpreter start, imports, every file, exit):

* **project**: ``python -m pipeline.dicom.run`` tag-only (Basic Profile),
  ``--direct_running_mode=multi_processing --direct_num_workers=2`` (2 cores),
  and the default in-memory runner (1 core);
* **dicom-anonymizer** (PyPI ``dicom-anonymizer``, its own venv, default
  actions; ``--anonymizer`` names its executable): one process; it reads a flat
  folder only, so it gets a folder of hard links to the same files;
* **pydicom read+write**: one process reading, parsing, writing each file
  (``dcmread`` -> ``save_as``), the floor of any pydicom-based tool.

Wall seconds (``time.perf_counter``) and CPU seconds (the child's user+system
time, its own children included) per case, best of ``--repeat`` by wall time.
Targets (issue 13): project wall (2 cores) at least 2.5x faster than
dicom-anonymizer's, and the project's instances per CPU-second at least 0.7x
the read+write's.

``bench/bench.py --case profile``: one in-memory tag-only run under cProfile,
split into start-up (interpreter), imports, match, read, parse, engine
(tag actions, UIDs, checks), serialize, write, and the rest (Beam's runner);
the functions with the most own time follow. cProfile slows Python-heavy code
(parsing most), so the shares are indicative; the unprofiled wall time of the
same run is printed with it.
"""

from __future__ import annotations

import json
import os
import pstats
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench import OUT_DIR, REPO_ROOT, ensure_corpus, warm_cache

ANONYMIZER_VENV = OUT_DIR / "anonvenv"  # its own venv: a peer's dependencies never enter the project's
DEFAULT_ANONYMIZER = ANONYMIZER_VENV / "bin" / "dicom-anonymizer"
ANONYMIZER_PIN = "dicom-anonymizer==2.1.0"


def ensure_anonymizer(path: Path) -> Path:
    """The dicom-anonymizer command; the default one is installed in bench/out/anonvenv on first use."""
    if path == DEFAULT_ANONYMIZER and not path.exists():
        subprocess.run([sys.executable, "-m", "venv", str(ANONYMIZER_VENV)], check=True)
        subprocess.run([str(ANONYMIZER_VENV / "bin" / "pip"), "install", "-q", ANONYMIZER_PIN], check=True)
    return path
TARGET_WALL = 2.5
TARGET_CPU = 0.7

_ROUND_TRIP = r"""
import io, os, sys
import pydicom
src, dst = sys.argv[1], sys.argv[2]
made = set()
for root, _, names in os.walk(src):
    for name in sorted(names):
        if not name.endswith(".dcm"):
            continue
        path = os.path.join(root, name)
        with open(path, "rb") as f:
            ds = pydicom.dcmread(io.BytesIO(f.read()))
        buf = io.BytesIO()
        ds.save_as(buf, enforce_file_format=True)
        out = os.path.join(dst, os.path.relpath(path, src))
        folder = os.path.dirname(out)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        with open(out, "wb") as f:
            f.write(buf.getvalue())
"""

_PROFILED = r"""
import cProfile, json, os, sys, time
t0 = time.perf_counter()
profile = cProfile.Profile()
profile.enable()
sys.argv = ["dicom-deid"] + sys.argv[3:]  # as the command line: pipeline.runners.lean applies
import pipeline.dicom.run
t1 = time.perf_counter()
try:
    pipeline.dicom.run.main()
except SystemExit as exc:
    code = exc.code or 0
t2 = time.perf_counter()
profile.disable()
profile.dump_stats(os.environ["DEID_PROFILE_STATS"])
open(os.environ["DEID_PROFILE_TIMES"], "w").write(json.dumps({"imports": t1 - t0, "run": t2 - t1}))
"""


def _children_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def _timed(cmd: list[str], log: Path, env: dict | None = None) -> tuple[float, float, int]:
    with open(log, "wb") as f:
        c0, t0 = _children_cpu(), time.perf_counter()
        proc = subprocess.run(cmd, cwd=REPO_ROOT, stdout=f, stderr=subprocess.STDOUT, env=env)
        return time.perf_counter() - t0, _children_cpu() - c0, proc.returncode


def _count(folder: Path) -> int:
    return sum(1 for p in folder.rglob("*") if p.is_file() and p.suffix == ".dcm")


def _flat_links(files: list[Path], folder: Path) -> Path:
    """A flat folder of hard links to the corpus files (dicom-anonymizer does not recurse)."""
    if folder.exists() and len(list(folder.iterdir())) == len(files):
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for i, p in enumerate(files):
        os.link(p, folder / f"{i:05d}.dcm")
    return folder


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO_ROOT)
    env.setdefault("OMP_THREAD_LIMIT", "1")
    return env


def main_peers(args, work: Path, key_file: Path) -> int:
    corpus = (args.corpus or OUT_DIR / "corpus").resolve()
    files = ensure_corpus(corpus, args.studies, args.series_per_study, args.instances_per_series)
    n = len(files)
    anonymizer = ensure_anonymizer(Path(getattr(args, "anonymizer", None) or DEFAULT_ANONYMIZER))
    flat = _flat_links(files, OUT_DIR / "corpus_flat")
    total = warm_cache(files)
    print(f"corpus {corpus}: {n} files, {total / 1e6:.0f} MB; {os.cpu_count()} CPUs; repeat {args.repeat}", flush=True)
    env = _env()
    py = sys.executable
    project = [py, "-m", "pipeline.dicom.run", "--input", str(corpus), "--uid_key_file", str(key_file), "--progress_interval=0"]
    cases = {
        "project, multi_processing x2 (2 cores)": lambda out: project + [
            "--output", str(out), "--direct_running_mode=multi_processing", "--direct_num_workers=2"],
        "project, in-memory (1 core)": lambda out: project + ["--output", str(out)],
        "dicom-anonymizer (1 process)": lambda out: [str(anonymizer), str(flat), str(out)],
        "pydicom read+write (1 process)": lambda out: [py, "-c", _ROUND_TRIP, str(corpus), str(out)],
    }
    if not anonymizer.exists():
        print(f"peers: {anonymizer} not found: install dicom-anonymizer in its own venv (see README)", file=sys.stderr)
        return 2
    best: dict[str, tuple[float, float]] = {}
    runs = 0
    for i in range(args.repeat):
        for name, make in cases.items():
            # Each run writes a folder of its own, removed only after the last run: deleting
            # the run before (2,000 files) just before a run made ext4 skip the recently freed
            # inodes while allocating new ones (perf: find_inode_bit / recently_deleted), system
            # time charged to whichever run came next, more to an output tree of more folders.
            # And every run starts with no dirty page of the one before (its 875 MB of output).
            runs += 1
            out = work / f"peer_out_{runs:02d}"
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir(parents=True)
            os.sync()
            wall, cpu, rc = _timed(make(out), work / "peer.log", env)
            written = _count(out)
            if rc != 0 or written != n:
                tail = (work / "peer.log").read_text(errors="replace")[-3000:]
                raise RuntimeError(f"{name}: exit {rc}, {written} of {n} files written\n{tail}")
            print(f"  {name} #{i + 1}: {wall:.2f} s wall, {cpu:.2f} s cpu", flush=True)
            if name not in best or wall < best[name][0]:
                best[name] = (wall, cpu)
    for out in work.glob("peer_out_*"):
        shutil.rmtree(out, ignore_errors=True)
    rows = []
    print()
    print(f"{'case':<40} {'files':>6} {'wall s':>7} {'cpu s':>7} {'files/s':>8} {'files/cpu-s':>11}")
    for name, (wall, cpu) in best.items():
        rows.append({"case": name, "files": n, "wall_s": wall, "cpu_s": cpu, "files_per_s": n / wall, "files_per_cpu_s": n / cpu})
        print(f"{name:<40} {n:>6} {wall:>7.2f} {cpu:>7.2f} {n / wall:>8.1f} {n / cpu:>11.1f}")
    proj_wall, proj_cpu = best["project, multi_processing x2 (2 cores)"]
    mem_wall, mem_cpu = best["project, in-memory (1 core)"]
    anon_wall, _ = best["dicom-anonymizer (1 process)"]
    _, rw_cpu = best["pydicom read+write (1 process)"]
    wall_ratio = anon_wall / proj_wall
    cpu_ratio = rw_cpu / proj_cpu
    print()
    print(f"wall: dicom-anonymizer / project x2 = {wall_ratio:.2f}x (target >= {TARGET_WALL}x): "
          f"{'MET' if wall_ratio >= TARGET_WALL else 'MISSED'}")
    print(f"per CPU-second: project x2 / read+write = {cpu_ratio:.2f}x (target >= {TARGET_CPU}x): "
          f"{'MET' if cpu_ratio >= TARGET_CPU else 'MISSED'}")
    print(f"  (in-memory, 1 core: wall {anon_wall / mem_wall:.2f}x dicom-anonymizer's, per CPU-second {rw_cpu / mem_cpu:.2f}x read+write)")
    result = {
        "files": n, "bytes": total, "cpu_count": os.cpu_count(), "repeat": args.repeat, "cases": rows,
        "wall_ratio_vs_dicom_anonymizer": wall_ratio, "cpu_ratio_vs_read_write": cpu_ratio,
        "targets": {"wall": TARGET_WALL, "cpu": TARGET_CPU},
        "met": {"wall": wall_ratio >= TARGET_WALL, "cpu": cpu_ratio >= TARGET_CPU},
    }
    path = OUT_DIR / "bench_peers.json"
    path.write_text(json.dumps(result, indent=1) + "\n")
    print(f"\nwrote {path}")
    return 0


def _cum(stats: pstats.Stats, suffix: str, name: str) -> float:
    """The largest cumulative time of a function ``name`` in a file ending with ``suffix``."""
    total = 0.0
    for (filename, line, func), (_, _, _, ct, _) in stats.stats.items():
        if filename.endswith(suffix) and func == name:
            total = max(total, ct)
    return total


def _by_class(stats: pstats.Stats, suffix: str, cls: str) -> float:
    """Cumulative time of ``cls.process`` in the file ending with ``suffix`` (by the class's lines)."""
    path = next((f for (f, _, _) in stats.stats if f.endswith(suffix)), None)
    if path is None:
        return 0.0
    text = Path(path).read_text().splitlines()
    start = next(i for i, line in enumerate(text, 1) if line.startswith(f"class {cls}"))
    end = next((i for i, line in enumerate(text, 1) if i > start and line.startswith("class ")), len(text) + 1)
    for (filename, line, func), (_, _, _, ct, _) in stats.stats.items():
        if filename.endswith(suffix) and func == "process" and start < line < end:
            return ct
    return 0.0


def main_profile(args, work: Path, key_file: Path) -> int:
    corpus = (args.corpus or OUT_DIR / "corpus").resolve()
    files = ensure_corpus(corpus, args.studies, args.series_per_study, args.instances_per_series)
    n = len(files)
    warm_cache(files)
    env = _env()
    # Each run writes a fresh folder after a sync, removed at the end (see main_peers).
    plain_out, out = work / "profile_out_plain", work / "profile_out"
    for folder in (plain_out, out):
        shutil.rmtree(folder, ignore_errors=True)
    common = ["--input", str(corpus), "--uid_key_file", str(key_file), "--progress_interval=0"]
    base = [*common, "--output", str(out)]
    os.sync()
    plain_wall, plain_cpu, rc = _timed(
        [sys.executable, "-m", "pipeline.dicom.run", *common, "--output", str(plain_out)], work / "plain.log", env
    )
    if rc != 0:
        raise RuntimeError((work / "plain.log").read_text()[-3000:])
    os.sync()
    env["DEID_PROFILE_STATS"] = str(work / "run.pstats")
    env["DEID_PROFILE_TIMES"] = str(work / "times.json")
    wall, cpu, rc = _timed([sys.executable, "-c", _PROFILED, "-", "-", *base], work / "profiled.log", env)
    if rc != 0 or _count(out) != n:
        raise RuntimeError((work / "profiled.log").read_text()[-3000:])
    times = json.loads((work / "times.json").read_text())
    stats = pstats.Stats(str(work / "run.pstats"))
    imports_all = _cum(stats, "<frozen importlib._bootstrap>", "_find_and_load")
    stages = {
        "start-up (interpreter, exit)": wall - times["imports"] - times["run"],
        "imports at start": times["imports"],
        "imports later (lazy, in the run)": max(0.0, imports_all - times["imports"]),
        "match": _by_class(stats, "apache_beam/io/fileio.py", "_MatchAllFn"),
    }
    read = _by_class(stats, "pipeline/files.py", "_ReadFn")
    # the header alone (parse_header) when the pixels are copied after it, else the whole file (parse)
    parse = _cum(stats, "transforms/dicom/codec.py", "parse") + _cum(stats, "transforms/dicom/codec.py", "parse_header")
    serialize = _cum(stats, "transforms/dicom/codec.py", "serialize")
    engine = _cum(stats, "transforms/dicom/deidentify.py", "__call__")
    write = _by_class(stats, "pipeline/files.py", "_WriteDicomFn")
    stages.update({
        "read (bytes from disk)": read,
        "parse (codec.parse / parse_header)": parse,
        "engine (tag actions, UIDs, checks)": engine - parse - serialize,
        "serialize (codec.serialize)": serialize,
        "write (atomic file write)": write,
    })
    accounted = sum(v for k, v in stages.items() if k != "start-up (interpreter, exit)")
    stages["Beam runner, graph, summary (the rest)"] = times["imports"] + times["run"] - accounted
    print(f"\nprofile of one tag-only run, in-memory, {n} files (cProfile on; unprofiled: {plain_wall:.2f} s wall, "
          f"{plain_cpu:.2f} s cpu)")
    print(f"{'stage':<42} {'seconds':>8} {'share':>6} {'ms/file':>8}")
    for name, secs in stages.items():
        print(f"{name:<42} {secs:>8.2f} {100 * secs / wall:>5.1f}% {1000 * secs / n:>8.2f}")
    print(f"{'total (profiled wall)':<42} {wall:>8.2f} {100.0:>5.1f}%")
    print("\ntop functions by own time:")
    stats.sort_stats("tottime")
    rows = sorted(stats.stats.items(), key=lambda kv: kv[1][2], reverse=True)[:15]
    for (filename, line, func), (cc, nc, tt, ct, _) in rows:
        short = filename.replace(str(REPO_ROOT) + "/", "").split("site-packages/")[-1]
        print(f"  {tt:7.2f} s own {ct:7.2f} s cum {nc:>9} calls  {short}:{line}({func})")
    for folder in (plain_out, out):
        shutil.rmtree(folder, ignore_errors=True)
    path = OUT_DIR / "bench_profile.json"
    path.write_text(json.dumps({"files": n, "profiled_wall_s": wall, "unprofiled_wall_s": plain_wall,
                                "unprofiled_cpu_s": plain_cpu, "stages_s": stages}, indent=1) + "\n")
    print(f"\nwrote {path}")
    return 0
