"""Benchmark: tag-only de-identification against a plain pydicom read+write.

Acceptance of the throughput issue: time tag-only de-identification of a
2,000-instance corpus and, in the same run, a plain pydicom read+write of the
same files; print both rates, per core, and their ratio, excluding pipeline
start-up.  Target: the pipeline does at least 0.6x the round-trip rate per core.

What is measured (all on the same corpus, in one run)
----------------------------------------------------
* **round-trip** (one process, one core): for every file, read its bytes from
  disk, ``pydicom.dcmread(BytesIO)``, ``ds.save_as(BytesIO,
  enforce_file_format=True)`` and write the bytes to a file.  This is the
  floor any tool that reads and rewrites DICOM with pydicom has to pay.
* **engine** (one process, one core): the same loop through
  ``transforms.dicom.deidentify.Deidentifier`` (strict parse, tag actions, UID
  regeneration, serialize), writing ``result.data`` to
  ``OUT/result.relative_path``.
* **pipeline, in-memory** (one core): ``python -m pipeline.dicom.run`` in a
  subprocess with the default runner (Beam's FnApiRunner, in-memory, one
  worker), on the whole corpus and on a one-file corpus.
* **pipeline, multi_processing x2**: the same with
  ``--direct_running_mode=multi_processing --direct_num_workers=2``; its rate
  per core is its rate divided by 2.

Before anything is timed every corpus file is read once, so that all cases read
from the page cache.  Each case runs ``--repeat`` times into a fresh output
folder and the fastest run is kept.  Rates are files per second of wall time
(``time.perf_counter``); the CPU seconds shown are those of this process (in
process cases) or of the subprocess and its reaped children (pipeline cases).

How pipeline start-up is excluded
---------------------------------
A pipeline run costs ``T(n) = S + n / r``: a fixed start-up ``S`` (interpreter,
Beam import, graph construction, runner and worker start, summary writing)
plus ``n`` files at rate ``r``.  The run on the full corpus of ``N`` files and
the run on a one-file corpus (a folder holding a copy of one file of the corpus)
give ``r = (N - 1) / (T(N) - T(1))``, with no start-up in it.  Each of the two
times is the best of ``--repeat`` runs.  Every run must report
``succeeded == files`` in its ``deid_summary.json``, or the benchmark fails.

Usage (from the repository root)::

    python bench/bench.py [--corpus DIR] [--studies 50] [--repeat 1] [--json PATH]

The corpus is generated with ``tools/make_sample.py`` (seed 7; 50 studies x 4
series x 10 instances = 2,000 files, ~840 MB) when ``--corpus`` holds no
``.dcm`` file.  Numbers go to stdout as a table and to ``bench/out/bench.json``.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

import argparse  # noqa: E402
import base64  # noqa: E402
import importlib.util  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import resource  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
from dataclasses import asdict, dataclass, field  # noqa: E402
from typing import Callable, Sequence  # noqa: E402

import pydicom  # noqa: E402

from transforms.deid_config import parse_config  # noqa: E402
from transforms.dicom.deidentify import Deidentifier  # noqa: E402

OUT_DIR = REPO_ROOT / "bench" / "out"
DEFAULT_STUDIES = 50
SERIES_PER_STUDY = 4
INSTANCES_PER_SERIES = 10
SEED = 7
TARGET = 0.6
TEXT_TARGET = 0.5
TEXT_CONFIG = {"dicomTagConfig": {"profileType": "DEIDENTIFY_TAG_CONTENTS"}}
MULTI_WORKERS = 2
MULTI_FLAGS = (
    "--direct_running_mode=multi_processing",
    f"--direct_num_workers={MULTI_WORKERS}",
)


@dataclass
class Case:
    """One row of the result table."""

    name: str
    files: int
    seconds: float
    cores: int
    cpu_seconds: float | None = None
    note: str = ""
    all_seconds: list[float] = field(default_factory=list)

    @property
    def rate(self) -> float:
        """Files per second of wall time."""
        return self.files / self.seconds if self.seconds > 0 else float("nan")

    @property
    def rate_per_core(self) -> float:
        """Files per second per core used."""
        return self.rate / self.cores

    def as_dict(self) -> dict:
        """The row as JSON-ready data."""
        d = asdict(self)
        d["files_per_s"] = self.rate
        d["files_per_s_per_core"] = self.rate_per_core
        return d


@dataclass
class Run:
    """One timed run: wall seconds and CPU seconds."""

    wall: float
    cpu: float


def _load_make_sample():
    """Import ``tools/make_sample.py`` by path (``tools`` is not a package)."""
    path = REPO_ROOT / "tools" / "make_sample.py"
    spec = importlib.util.spec_from_file_location("make_sample", path)
    if spec is None or spec.loader is None:
        raise RuntimeError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def list_dcm(folder: Path) -> list[Path]:
    """Return the ``.dcm`` files under ``folder``, sorted."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*.dcm") if p.is_file())


def ensure_corpus(folder: Path, studies: int, series: int, instances: int) -> list[Path]:
    """Return the corpus files, generating the corpus when ``folder`` has none."""
    files = list_dcm(folder)
    if files:
        print(f"corpus: {len(files)} files in {folder}", flush=True)
        return files
    print(
        f"corpus: generating {studies}x{series}x{instances} instances in {folder} "
        f"(seed {SEED}) ...",
        flush=True,
    )
    t0 = time.perf_counter()
    _load_make_sample().make_archive(str(folder), studies, series, instances, SEED)
    files = list_dcm(folder)
    print(f"corpus: {len(files)} files in {time.perf_counter() - t0:.1f} s", flush=True)
    if not files:
        raise RuntimeError(f"make_sample wrote no .dcm file to {folder}")
    return files


def ensure_key(path: Path) -> bytes:
    """Return the UID key in ``path``, writing base64 of 32 random bytes if missing."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(base64.b64encode(os.urandom(32)) + b"\n")
    return base64.b64decode(path.read_bytes().strip())


def warm_cache(files: Sequence[Path]) -> int:
    """Read every file once (untimed) so that timed cases read from the page cache."""
    total = 0
    for p in files:
        total += len(p.read_bytes())
    return total


def _fresh(folder: Path) -> Path:
    """Remove ``folder`` if present and return it, to be created by the case."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return folder


class _Writer:
    """Write bytes under a root folder, creating each parent folder once."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._made: set[str] = set()

    def __call__(self, rel: str, data: bytes) -> None:
        path = os.path.join(self.root, rel)
        parent = os.path.dirname(path)
        if parent not in self._made:
            os.makedirs(parent, exist_ok=True)
            self._made.add(parent)
        with open(path, "wb") as f:
            f.write(data)


def run_round_trip(files: Sequence[Path], corpus: Path, out: Path) -> Run:
    """Time read bytes -> dcmread -> save_as -> write bytes over all files."""
    write = _Writer(out)
    rels = [str(p.relative_to(corpus)) for p in files]
    c0, t0 = time.process_time(), time.perf_counter()
    for p, rel in zip(files, rels):
        with open(p, "rb") as f:
            data = f.read()
        ds = pydicom.dcmread(io.BytesIO(data))
        buf = io.BytesIO()
        ds.save_as(buf, enforce_file_format=True)
        write(rel, buf.getvalue())
    return Run(time.perf_counter() - t0, time.process_time() - c0)


def run_engine(files: Sequence[Path], engine: Deidentifier, out: Path) -> Run:
    """Time read bytes -> Deidentifier -> write ``result.data`` over all files."""
    write = _Writer(out)
    c0, t0 = time.process_time(), time.perf_counter()
    for p in files:
        with open(p, "rb") as f:
            data = f.read()
        result = engine(data)
        write(result.relative_path, result.data)
    return Run(time.perf_counter() - t0, time.process_time() - c0)


def _children_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def run_pipeline(
    corpus: Path,
    expected: int,
    out: Path,
    key_file: Path,
    config: Path | None,
    extra: Sequence[str],
    log: Path,
) -> Run:
    """Time ``python -m pipeline.dicom.run`` on ``corpus`` in a subprocess; check its summary."""
    cmd = [
        sys.executable, "-m", "pipeline.dicom.run",
        "--input", str(corpus), "--output", str(out), "--uid_key_file", str(key_file),
    ]
    if config is not None:
        cmd += ["--config", str(config)]
    cmd += list(extra)
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as logf:
        c0, t0 = _children_cpu(), time.perf_counter()
        proc = subprocess.run(cmd, cwd=REPO_ROOT, stdout=logf, stderr=subprocess.STDOUT)
        wall, cpu = time.perf_counter() - t0, _children_cpu() - c0
    summary_path = out / "deid_summary.json"
    problem = None
    if proc.returncode != 0:
        problem = f"exit status {proc.returncode}"
    elif not summary_path.is_file():
        problem = f"no summary at {summary_path}"
    else:
        summary = json.loads(summary_path.read_text())
        if summary.get("succeeded") != expected or summary.get("failed"):
            problem = (
                f"summary found={summary.get('found')} succeeded={summary.get('succeeded')} "
                f"failed={summary.get('failed')} filtered_out={summary.get('filtered_out')}, "
                f"expected succeeded={expected}"
            )
    if problem:
        tail = log.read_text(errors="replace")[-4000:]
        raise RuntimeError(
            f"pipeline run failed ({problem}):\n  {' '.join(cmd)}\n--- log tail ({log}) ---\n{tail}"
        )
    return Run(wall, cpu)


def best_of(repeat: int, label: str, once: Callable[[int], Run]) -> tuple[Run, list[float]]:
    """Run ``once(i)`` ``repeat`` times; return the fastest run and all wall times."""
    runs = []
    for i in range(repeat):
        r = once(i)
        print(f"  {label} #{i + 1}: {r.wall:.2f} s wall, {r.cpu:.2f} s cpu", flush=True)
        runs.append(r)
    return min(runs, key=lambda r: r.wall), [r.wall for r in runs]


def pipeline_cases(
    title: str,
    cores: int,
    corpus: Path,
    one: Path,
    n: int,
    work: Path,
    key_file: Path,
    config: Path | None,
    extra: Sequence[str],
    repeat: int,
) -> list[Case]:
    """Time the pipeline on the full and the one-file corpus; return three table rows."""
    tag = ("mp" if extra else "mem") + ("_" + config.stem if config is not None else "")

    def full(i: int) -> Run:
        out = work / f"pipe_{tag}_full"
        if out.exists():
            shutil.rmtree(out)
        return run_pipeline(corpus, n, out, key_file, config, extra, work / f"pipe_{tag}_full.log")

    def single(i: int) -> Run:
        out = work / f"pipe_{tag}_one"
        if out.exists():
            shutil.rmtree(out)
        return run_pipeline(one, 1, out, key_file, config, extra, work / f"pipe_{tag}_one.log")

    print(f"{title}: 1-file corpus (start-up)", flush=True)
    r1, all1 = best_of(repeat, "1 file", single)
    print(f"{title}: full corpus", flush=True)
    rn, alln = best_of(repeat, f"{n} files", full)
    rows = [
        Case(f"{title}: full run", n, rn.wall, cores, rn.cpu, "incl. start-up", alln),
        Case(f"{title}: 1-file run", 1, r1.wall, cores, r1.cpu, "= start-up", all1),
    ]
    delta = rn.wall - r1.wall
    rows.append(
        Case(
            f"{title}, start-up excluded",
            n - 1,
            delta if delta > 0 else float("nan"),
            cores,
            rn.cpu - r1.cpu,
            "(N-1)/(T_N-T_1)",
        )
    )
    return rows


def _fmt(x: float | None, spec: str) -> str:
    """Format ``x`` with ``spec``; NaN or None give a right-aligned ``n/a``."""
    if x is None or x != x:
        width = spec.split(".")[0]
        return format("n/a", f">{width}" if width else "")
    return format(x, spec)


def render(cases: Sequence[Case], ratios: Sequence[tuple[str, float]], verdict: str) -> str:
    """Return the result table as text."""
    head = (
        f"{'case':<48} {'files':>6} {'seconds':>8} {'files/s':>8} {'cores':>5} "
        f"{'files/s/core':>12} {'cpu s':>7}  note"
    )
    lines = [head, "-" * len(head)]
    for c in cases:
        lines.append(
            f"{c.name:<48} {c.files:>6} {_fmt(c.seconds, '8.2f')} {_fmt(c.rate, '8.1f')} "
            f"{c.cores:>5} {_fmt(c.rate_per_core, '12.1f')} {_fmt(c.cpu_seconds, '7.1f')}  "
            f"{c.note}".rstrip()
        )
    lines.append("")
    width = max(len(name) for name, _ in ratios)
    for name, value in ratios:
        text = "n/a" if value != value else f"{value:.3f}x"
        lines.append(f"{name:<{width}}  {text}")
    lines.append("")
    lines.append(verdict)
    return "\n".join(lines)



# --------------------------------------------------------------------------- scaling and memory

SCALING_WORKERS = (1, 2)
LARGE_FRAMES = 1000  # 1000 frames of 512 x 512 x 16 bits = 524,288,000 bytes of pixel data
LARGE_SIDE = 512
# Runs pipeline.dicom.run in this process and records its peak RSS (and that of reaped children).
_RSS_WRAPPER = (
    "import json, resource, sys\n"
    "from pipeline.dicom.run import main\n"
    "code = 0\n"
    "try:\n"
    "    main()\n"
    "except SystemExit as exc:\n"
    "    code = exc.code or 0\n"
    "peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    "open(sys.argv[1], 'w').write(json.dumps({'peak_rss_kib': peak}))\n"
    "sys.exit(code)\n"
)


def scaling_cases(corpus: Path, one: Path, n: int, work: Path, key_file: Path, repeat: int) -> tuple[list[Case], float]:
    """multi_processing with 1 and 2 workers on the same corpus; return rows and the speed-up."""
    rows: list[Case] = []
    rates = {}
    for workers in SCALING_WORKERS:
        extra = ("--direct_running_mode=multi_processing", f"--direct_num_workers={workers}")
        got = pipeline_cases(
            f"scaling: multi_processing x{workers}", workers, corpus, one, n, work / f"scale{workers}",
            key_file, None, extra, repeat,
        )
        rows += got
        rates[workers] = got[2].rate
    return rows, rates[2] / rates[1]


def _text_band(side: int):
    """A burned-in annotation: two lines of white (4095) print on a black band, rows 0-47."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFont

    band = Image.new("L", (side, 48), 0)
    draw = ImageDraw.Draw(band)
    font = ImageFont.load_default(size=16)
    draw.text((8, 4), "BENCH^LARGE  ID BENCH-0001", fill=255, font=font)
    draw.text((8, 26), "DOB 1961-07-14  ACME HOSPITAL", fill=255, font=font)
    return np.round(np.asarray(band, np.float32) / 255 * 4095).astype(np.uint16)


def write_large_instance(path: Path, frames: int = LARGE_FRAMES, side: int = LARGE_SIDE) -> int:
    """Write a multi-frame CT instance with ``frames`` x side x side 16-bit frames; return its size.

    Every frame is random 12-bit noise under a burned-in text band (``_text_band``, the same on
    every frame, as a cine's annotations are). The header comes from pydicom; the PixelData
    element is appended in chunks, so the bench itself never holds the pixels.
    """
    import struct

    import numpy as np
    from pydicom.dataset import FileMetaDataset
    from pydicom.uid import ExplicitVRLittleEndian, generate_uid

    ds = pydicom.Dataset()
    ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.2.1"  # Enhanced CT
    ds.SOPInstanceUID, ds.StudyInstanceUID, ds.SeriesInstanceUID = (generate_uid() for _ in range(3))
    ds.PatientName, ds.PatientID, ds.Modality = "BENCH^LARGE", "BENCH-0001", "CT"
    ds.Rows = ds.Columns = side
    ds.NumberOfFrames = frames
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 0
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = ds.SOPClassUID
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    path.parent.mkdir(parents=True, exist_ok=True)
    length = frames * side * side * 2
    rng = np.random.default_rng(SEED)
    with open(path, "wb") as f:
        ds.save_as(f, enforce_file_format=True)
        f.write(struct.pack("<HH", 0x7FE0, 0x0010) + b"OW\0\0" + struct.pack("<I", length))
        band = _text_band(side)
        for start in range(0, frames, 50):
            block = rng.integers(0, 4096, size=(min(50, frames - start), side, side), dtype=np.uint16)
            block[:, : band.shape[0]] = band
            f.write(block.tobytes())
    return path.stat().st_size


def _output_digests(out: Path) -> dict[str, str]:
    """SHA-256 of every output instance (read in chunks), by relative path."""
    import hashlib

    digests = {}
    for path in sorted(out.rglob("*.dcm")):
        h = hashlib.sha256()
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 22), b""):
                h.update(block)
        digests[str(path.relative_to(out))] = h.hexdigest()
    return digests


def _text_left(source: Path, out: Path, frames=(0, LARGE_FRAMES - 1)) -> dict:
    """For some frames of the redacted output: the share of the text band's print still there, and
    of the pixels below the band changed (read frame by frame, never the whole instance)."""
    import numpy as np

    from transforms.dicom.streamcopy import read_header

    outputs = list(out.rglob("*.dcm"))
    big = max(outputs, key=lambda p: p.stat().st_size)
    frame_bytes = LARGE_SIDE * LARGE_SIDE * 2
    ink = _text_band(LARGE_SIDE) > 2048
    report = {}
    with open(source, "rb") as f, open(big, "rb") as g:
        _, _, src_offset = read_header(f)
        _, _, out_offset = read_header(g)
        for index in frames:
            planes = []
            for handle, offset in ((f, src_offset), (g, out_offset)):
                handle.seek(offset + 12 + index * frame_bytes)
                planes.append(np.frombuffer(handle.read(frame_bytes), "<u2").reshape(LARGE_SIDE, LARGE_SIDE))
            before, after = planes
            left = (after[: ink.shape[0]][ink] == before[: ink.shape[0]][ink]).mean()
            below = (after[ink.shape[0] :] != before[ink.shape[0] :]).mean()
            report[f"frame {index}"] = {"print_left": float(left), "changed_below_band": float(below)}
    return report


def write_large_jpeg_instance(path: Path, frames: int = LARGE_FRAMES, side: int = LARGE_SIDE) -> int:
    """Write a JPEG baseline cine: ``frames`` RGB frames of grey noise (a grey picture, as an
    ultrasound's, in colour frames) under the text band, quality 98, no chroma subsampling, one
    fragment per frame (about 345 KB a frame, 786 KB decoded); return its size."""
    import struct

    import numpy as np
    from PIL import Image
    from pydicom.dataset import FileMetaDataset
    from pydicom.uid import JPEGBaseline8Bit, generate_uid

    ds = pydicom.Dataset()
    ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.3.1"  # Ultrasound Multi-frame Image
    ds.SOPInstanceUID, ds.StudyInstanceUID, ds.SeriesInstanceUID = (generate_uid() for _ in range(3))
    ds.PatientName, ds.PatientID, ds.Modality = "BENCH^LARGE", "BENCH-0002", "US"
    ds.Rows = ds.Columns = side
    ds.NumberOfFrames = frames
    ds.SamplesPerPixel, ds.PhotometricInterpretation, ds.PlanarConfiguration = 3, "YBR_FULL", 0
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 8, 8, 7, 0
    ds.LossyImageCompression = "01"
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = ds.SOPClassUID
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.file_meta.TransferSyntaxUID = JPEGBaseline8Bit
    path.parent.mkdir(parents=True, exist_ok=True)
    band = (_text_band(side) >> 4).astype(np.uint8)
    rng = np.random.default_rng(SEED)
    with open(path, "wb") as f:
        ds.save_as(f, enforce_file_format=True)
        f.write(struct.pack("<HH", 0x7FE0, 0x0010) + b"OB\0\0" + struct.pack("<I", 0xFFFFFFFF))
        f.write(struct.pack("<HHI", 0xFFFE, 0xE000, 0))  # empty Basic Offset Table
        for _ in range(frames):
            grey = rng.integers(0, 256, size=(side, side), dtype=np.uint8)
            grey[: band.shape[0]] = band
            buf = io.BytesIO()
            Image.fromarray(np.repeat(grey[..., None], 3, axis=2), "RGB").save(buf, format="JPEG", quality=98, subsampling=0)
            data = buf.getvalue() + b"\0" * (len(buf.getvalue()) % 2)
            f.write(struct.pack("<HHI", 0xFFFE, 0xE000, len(data)) + data)
        f.write(struct.pack("<HHI", 0xFFFE, 0xE0DD, 0))
    return path.stat().st_size


def memory_cases(work: Path, key_file: Path) -> dict:
    """Peak RSS of a 1-worker (in-memory) run on a corpus holding one ~500 MB multi-frame instance.

    Native instance (with a small archive): tag-only with the stream copy (default) and whole;
    REDACT_ALL_TEXT frame by frame (default: the instance is over --stream_copy_bytes) and whole.
    A JPEG cine alone: REDACT_ALL_TEXT frame by frame and whole. The redacting runs of one
    instance must write the same bytes (checked).
    """
    corpus = OUT_DIR / "corpus_large_text"  # corpus_large (no text band) was the former instance
    large = corpus / "large" / "multiframe.dcm"
    if not large.exists() or large.stat().st_size < LARGE_FRAMES * LARGE_SIDE * LARGE_SIDE * 2:
        print(f"memory: writing {large} ...", flush=True)
        write_large_instance(large)
        _load_make_sample().make_archive(str(corpus / "small"), 1, 1, 4, SEED)
    jpeg_corpus = OUT_DIR / "corpus_large_jpeg_grey"
    jpeg = jpeg_corpus / "cine.dcm"
    if not jpeg.exists():
        print(f"memory: writing {jpeg} ...", flush=True)
        write_large_jpeg_instance(jpeg)
    size = large.stat().st_size
    files = len(list_dcm(corpus))
    result = {"instance_bytes": size, "jpeg_instance_bytes": jpeg.stat().st_size, "files": files, "runs": {}}
    redact = work / "memory_redact_all_text.json"
    redact.write_text(json.dumps({"dicomTagConfig": {"options": {"cleanImage": {"textRedactionMode": "REDACT_ALL_TEXT"}}}}))
    whole = ("--stream_copy_bytes=1000000000000",)
    digests = {}
    for label, source, extra in (
        ("stream copy (default)", corpus, ()),
        ("whole file (--stream_copy_bytes=10^12)", corpus, whole),
        # Redaction: the frames are read, examined and blacked out one at a time (default), or the
        # instance is decoded, examined and written whole.
        ("REDACT_ALL_TEXT", corpus, ("--config", str(redact))),
        ("REDACT_ALL_TEXT, whole file (--stream_copy_bytes=10^12)", corpus, ("--config", str(redact), *whole)),
        ("JPEG cine, REDACT_ALL_TEXT", jpeg_corpus, ("--config", str(redact))),
        ("JPEG cine, REDACT_ALL_TEXT, whole file (--stream_copy_bytes=10^12)", jpeg_corpus, ("--config", str(redact), *whole)),
    ):
        instance = (jpeg if source == jpeg_corpus else large).stat().st_size
        expected = len(list_dcm(source))
        out = work / "memory_out"
        if out.exists():
            shutil.rmtree(out)
        rss_file = work / "memory_rss.json"
        cmd = [
            sys.executable, "-c", _RSS_WRAPPER, str(rss_file),
            "--input", str(source), "--output", str(out), "--uid_key_file", str(key_file), *extra,
        ]
        t0 = time.perf_counter()
        with open(work / "memory.log", "wb") as log:
            proc = subprocess.run(cmd, cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT)
        wall = time.perf_counter() - t0
        summary = json.loads((out / "deid_summary.json").read_text()) if (out / "deid_summary.json").exists() else {}
        if proc.returncode != 0 or summary.get("succeeded") != expected:
            raise RuntimeError(f"memory run failed ({label}): exit {proc.returncode}, summary {summary}")
        peak = json.loads(rss_file.read_text())["peak_rss_kib"] * 1024
        result["runs"][label] = {"peak_rss_bytes": peak, "ratio_to_instance": peak / instance, "seconds": wall}
        digests[label] = _output_digests(out)
        if label == "REDACT_ALL_TEXT":
            left = _text_left(large, out)
            result["runs"][label]["text"] = left
            print("  REDACT_ALL_TEXT: " + ", ".join(
                f"{frame}: {v['print_left']:.1%} of the print left, {v['changed_below_band']:.2%} changed below the band"
                for frame, v in left.items()), flush=True)
        print(f"  {label}: peak RSS {peak / 1e6:.0f} MB = {peak / instance:.2f}x the instance ({instance / 1e6:.0f} MB), "
              f"{wall:.1f} s", flush=True)
    for framed in ("REDACT_ALL_TEXT", "JPEG cine, REDACT_ALL_TEXT"):
        same = digests[framed] == digests[f"{framed}, whole file (--stream_copy_bytes=10^12)"]
        result["redaction_outputs_identical" if framed == "REDACT_ALL_TEXT" else "jpeg_redaction_outputs_identical"] = same
        print(f"  {framed} frame by frame and whole: {'the same' if same else 'DIFFERENT'} output bytes", flush=True)
        if not same:
            raise RuntimeError(f"memory: the frame-by-frame and whole-file outputs of {framed} differ")
    return result


def main_scale(args, work: Path, key_file: Path) -> int:
    """The scaling and memory cases (``--case scaling`` / ``--case memory``)."""
    result: dict = {"cpu_count": os.cpu_count(), "python": platform.python_version(), "apache_beam": _beam_version()}
    try:
        if args.case in ("scaling", "scale-and-memory"):
            corpus = (args.corpus or OUT_DIR / "corpus").resolve()
            files = ensure_corpus(corpus, args.studies, args.series_per_study, args.instances_per_series)
            n = len(files)
            one = work / "one_file_corpus"
            one.mkdir(parents=True, exist_ok=True)
            shutil.copy2(files[0], one / files[0].name)
            warm_cache(files)
            rows, speedup = scaling_cases(corpus, one, n, work, key_file, args.repeat)
            print(render(rows, [("speed-up, 2 workers / 1 worker (start-up excluded)", speedup)], ""))
            result["scaling"] = {"files": n, "cases": [c.as_dict() for c in rows], "speedup": speedup}
        if args.case in ("memory", "scale-and-memory"):
            mem = memory_cases(work, key_file)
            mem["target"] = "peak RSS < 2x the instance size"
            mem["target_met"] = mem["runs"]["stream copy (default)"]["ratio_to_instance"] < 2
            mem["redaction_target_met"] = mem["runs"]["REDACT_ALL_TEXT"]["ratio_to_instance"] < 2
            mem["jpeg_redaction_target_met"] = mem["runs"]["JPEG cine, REDACT_ALL_TEXT"]["ratio_to_instance"] < 2
            result["memory"] = mem
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    path = args.json if args.json != OUT_DIR / "bench.json" else OUT_DIR / f"bench_{args.case}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(_finite(result), indent=1, allow_nan=False) + "\n")
    print(f"\nwrote {path}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; return the exit status (0 even when the target is missed)."""
    parser = argparse.ArgumentParser(
        description="Time tag-only de-identification against a pydicom read+write round trip."
    )
    parser.add_argument(
        "--corpus",
        type=Path,
        default=None,
        help="corpus folder (default bench/out/corpus; bench/out/corpus_sN when --studies N "
        "is not the default); generated when it holds no .dcm file",
    )
    parser.add_argument(
        "--studies",
        type=int,
        default=DEFAULT_STUDIES,
        help=f"studies when generating (default {DEFAULT_STUDIES}; x{SERIES_PER_STUDY} series "
        f"x{INSTANCES_PER_SERIES} instances = 2,000 files)",
    )
    parser.add_argument("--series-per-study", type=int, default=SERIES_PER_STUDY)
    parser.add_argument("--instances-per-series", type=int, default=INSTANCES_PER_SERIES)
    parser.add_argument("--repeat", type=int, default=1, help="runs per case; the best is kept")
    parser.add_argument(
        "--config",
        type=Path,
        default=None,
        help="DeidentifyConfig JSON for the engine and the pipeline (default {}: Basic Profile)",
    )
    parser.add_argument("--json", type=Path, default=OUT_DIR / "bench.json", help="results file")
    parser.add_argument(
        "--skip-multi", action="store_true", help="skip the multi_processing pipeline case"
    )
    parser.add_argument(
        "--skip-text", action="store_true", help="skip the text-inspection (DEIDENTIFY_TAG_CONTENTS) case"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the output folders and logs in bench/out/work"
    )
    parser.add_argument(
        "--case",
        choices=("throughput", "scaling", "memory", "scale-and-memory", "ocr", "peers", "profile"),
        default="throughput",
        help="throughput (default: the cases above); scaling: multi_processing with 1 and 2 workers "
        "on the same corpus; memory: peak RSS of a 1-worker run on a corpus with a ~500 MB "
        "multi-frame instance (generated in bench/out/corpus_large_text); ocr: burned-in text "
        "redaction on a make_corpus.py corpus given as --corpus (see bench/bench_ocr.py); peers: whole-process "
        "wall and CPU time against dicom-anonymizer and a pydicom read+write; profile: where one tag-only run "
        "spends its time (see bench/bench_peers.py)",
    )
    parser.add_argument(
        "--anonymizer", default=None, help="dicom-anonymizer executable for --case peers "
        "(default bench/out/anonvenv/bin/dicom-anonymizer, installed there on first use)",
    )
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.case != "throughput":
        work = OUT_DIR / "work"
        if work.exists():
            shutil.rmtree(work)
        work.mkdir(parents=True)
        key_file = OUT_DIR / "uid.key"
        ensure_key(key_file)
        if args.case in ("peers", "profile"):
            from bench_peers import main_peers, main_profile

            try:
                return (main_peers if args.case == "peers" else main_profile)(args, work, key_file)
            finally:
                if not args.keep:
                    shutil.rmtree(work, ignore_errors=True)
        if args.case == "ocr":
            from bench_ocr import main as main_ocr

            try:
                return main_ocr(args, work, key_file)
            finally:
                if not args.keep:
                    shutil.rmtree(work, ignore_errors=True)
        return main_scale(args, work, key_file)

    corpus = args.corpus
    if corpus is None:
        default_shape = (
            args.studies == DEFAULT_STUDIES
            and args.series_per_study == SERIES_PER_STUDY
            and args.instances_per_series == INSTANCES_PER_SERIES
        )
        corpus = OUT_DIR / "corpus" if default_shape else OUT_DIR / (
            f"corpus_s{args.studies}x{args.series_per_study}x{args.instances_per_series}"
        )
    corpus = corpus.resolve()
    work = OUT_DIR / "work"
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)

    files = ensure_corpus(corpus, args.studies, args.series_per_study, args.instances_per_series)
    n = len(files)
    if n < 2:
        print("bench: the corpus needs at least 2 files", file=sys.stderr)
        return 2
    key_file = OUT_DIR / "uid.key"
    key = ensure_key(key_file)
    config_obj = {} if args.config is None else json.loads(args.config.read_text())
    engine = Deidentifier(parse_config(config_obj), key)  # also quiets pydicom, as in workers

    one = work / "one_file_corpus"
    one.mkdir(parents=True)
    shutil.copy2(files[0], one / files[0].name)

    print("warming the page cache ...", flush=True)
    total_bytes = warm_cache(files)
    print(f"  {n} files, {total_bytes / 1e6:.0f} MB", flush=True)

    cases: list[Case] = []
    try:
        print("round-trip (pydicom read+write), 1 process", flush=True)
        rt, rt_all = best_of(
            args.repeat, f"{n} files",
            lambda i: run_round_trip(files, corpus, _fresh(work / "round_trip")),
        )
        cases.append(
            Case("round-trip (pydicom read+write)", n, rt.wall, 1, rt.cpu, "1 process", rt_all)
        )

        print("engine (Deidentifier), 1 process", flush=True)
        en, en_all = best_of(
            args.repeat, f"{n} files", lambda i: run_engine(files, engine, _fresh(work / "engine"))
        )
        cases.append(
            Case("engine (Deidentifier, tag-only)", n, en.wall, 1, en.cpu, "1 process", en_all)
        )
        shutil.rmtree(work / "round_trip", ignore_errors=True)
        shutil.rmtree(work / "engine", ignore_errors=True)

        mem = pipeline_cases(
            "pipeline in-memory", 1, corpus, one, n, work, key_file, args.config, (), args.repeat
        )
        cases += mem
        text_rows: list[Case] = []
        if not args.skip_text:
            text_cfg = work / "deidentify_tag_contents.json"
            text_cfg.write_text(json.dumps(TEXT_CONFIG))
            text_engine = Deidentifier(parse_config(TEXT_CONFIG), key)
            print("engine, text inspection (DEIDENTIFY_TAG_CONTENTS), 1 process", flush=True)
            te, te_all = best_of(
                args.repeat, f"{n} files",
                lambda i: run_engine(files, text_engine, _fresh(work / "engine_text")),
            )
            cases.append(Case("engine, text inspection", n, te.wall, 1, te.cpu, "1 process", te_all))
            shutil.rmtree(work / "engine_text", ignore_errors=True)
            text_rows = pipeline_cases(
                "pipeline in-memory, text", 1, corpus, one, n, work, key_file, text_cfg, (), args.repeat
            )
            cases += text_rows
        mp: list[Case] = []
        if not args.skip_multi:
            mp = pipeline_cases(
                f"pipeline multi_processing x{MULTI_WORKERS}", MULTI_WORKERS, corpus, one, n,
                work, key_file, args.config, MULTI_FLAGS, args.repeat,
            )
            cases += mp
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    round_trip, eng, pipe = cases[0], cases[1], mem[2]
    ratios = [
        ("engine / round-trip (per core)", eng.rate_per_core / round_trip.rate_per_core),
        (
            "pipeline in-memory / round-trip (per core, start-up excluded)",
            pipe.rate_per_core / round_trip.rate_per_core,
        ),
        ("pipeline in-memory / engine (per core)", pipe.rate_per_core / eng.rate_per_core),
    ]
    if mp:
        ratios += [
            (
                f"pipeline multi_processing x{MULTI_WORKERS} / round-trip "
                "(per core, start-up excluded)",
                mp[2].rate_per_core / round_trip.rate_per_core,
            ),
            (
                f"pipeline multi_processing x{MULTI_WORKERS} / pipeline in-memory (speed-up)",
                mp[2].rate / pipe.rate,
            ),
        ]
    text_ratio = float("nan")
    if text_rows:
        text_ratio = text_rows[2].rate_per_core / pipe.rate_per_core
        ratios.append(("pipeline in-memory: text inspection / tag-only (per core)", text_ratio))
    primary = ratios[1][1]
    met = primary >= TARGET
    verdict = (
        f"target >= {TARGET}x (pipeline in-memory per core / round-trip per core, "
        f"start-up excluded): {'MET' if met else 'MISSED'} "
        f"({'n/a' if primary != primary else f'{primary:.3f}x'})"
    )
    if text_rows:
        verdict += (
            f"\ntarget >= {TEXT_TARGET}x (text inspection / tag-only, pipeline in-memory per core): "
            f"{'MET' if text_ratio >= TEXT_TARGET else 'MISSED'} ({text_ratio:.3f}x)"
        )
    print()
    print(
        f"corpus {corpus}: {n} files, {total_bytes / 1e6:.0f} MB; "
        f"repeat {args.repeat} (best kept); {os.cpu_count()} CPUs"
    )
    print(render(cases, ratios, verdict))

    result = {
        "corpus": str(corpus),
        "files": n,
        "bytes": total_bytes,
        "repeat": args.repeat,
        "config": str(args.config) if args.config else None,
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "pydicom": pydicom.__version__,
        "apache_beam": _beam_version(),
        "cases": [c.as_dict() for c in cases],
        "ratios": {name: value for name, value in ratios},
        "target": TARGET,
        "target_ratio": primary,
        "target_met": met,
        "text_target": TEXT_TARGET,
        "text_ratio": text_ratio,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(_finite(result), indent=1, allow_nan=False) + "\n")
    print(f"\nwrote {args.json}")
    return 0


def _finite(obj: object) -> object:
    """Return ``obj`` with NaN and infinite floats replaced by None (strict JSON)."""
    if isinstance(obj, float):
        return obj if obj == obj and obj not in (float("inf"), float("-inf")) else None
    if isinstance(obj, dict):
        return {k: _finite(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_finite(v) for v in obj]
    return obj


def _beam_version() -> str | None:
    try:
        import apache_beam

        return apache_beam.__version__
    except ImportError:
        return None


if __name__ == "__main__":
    sys.exit(main())
