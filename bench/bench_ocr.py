"""Benchmark of burned-in text redaction (``bench.py --case ocr``).

What is measured, on a corpus made by ``../shared/tools/make_corpus.py`` (the
issue's: ``--studies 10 --series-per-study 2 --instances-per-series 10
--burned-in-fraction 1 --seed 11``), given as ``--corpus DIR`` (its ``dicom/``
folder is read):

* **Text detection of 512x512 frames, per engine**: every 512x512 single-frame
  instance of the corpus is decoded and rendered once (not timed), then each
  engine's detector runs on it (``OcrEngine(name).detect``: ``ppocr``, the
  default, and ``tesseract``, one engine per process) by 1 process and by 2
  processes at once; frames per second of wall time and of CPU time for each.
* **pipeline, multi_processing x2**: ``python -m pipeline.dicom.run`` with
  ``REDACT_ALL_TEXT`` (or ``--config``) and, next to it, tag-only (``{}``),
  on the whole corpus and a one-file corpus; instances per second with the
  start-up excluded, ``(N - 1) / (T_N - T_1)`` as in the throughput case.
  Target: >= 16 instances/s with redaction on 2 cores.
* **PixelData kept**: when the corpus has ``truth.json``, every output whose
  original had no burned-in text must keep the original PixelData's MD5 (outputs
  are matched to originals through ``--uid_mapping_output``).

Results go to stdout and to ``bench/out/bench_ocr.json``.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import shutil
import sys
import time
from pathlib import Path

import pydicom

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from bench import MULTI_FLAGS, MULTI_WORKERS, OUT_DIR, list_dcm, pipeline_cases, render, warm_cache  # noqa: E402

TARGET = 16.0
ALL_TEXT = {"dicomTagConfig": {"options": {"cleanImage": {"textRedactionMode": "REDACT_ALL_TEXT"}}}}

_FRAMES = None


def _frames_512(files: list[Path]) -> list:
    from transforms.pixels.pixeldata import decode_frames, render_for_ocr

    out = []
    for path in files:
        ds = pydicom.dcmread(path)
        if int(ds.get("Rows", 0)) == 512 and int(ds.get("Columns", 0)) == 512 and int(ds.get("NumberOfFrames", 1) or 1) == 1:
            out.append(render_for_ocr(decode_frames(ds)[0], ds))
    return out


def _ocr_share(job: tuple[str, list[int]]) -> tuple[int, float]:
    from transforms.pixels.ocr import OcrEngine

    name, indices = job
    engine = OcrEngine(name)
    start = time.process_time()
    for i in indices:
        engine.detect(_FRAMES[i])
    return len(indices), time.process_time() - start


def ocr_rate(frames: list, processes: int, engine: str) -> tuple[float, float]:
    """(frames per wall second, frames per CPU second) when ``processes`` processes detect text at once."""
    global _FRAMES
    _FRAMES = frames
    shares = [(engine, list(range(i, len(frames), processes))) for i in range(processes)]
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(processes) as pool:
        pool.map(_ocr_share, [(engine, [0])] * processes)  # start-up and engine creation, not timed
        start = time.perf_counter()
        results = pool.map(_ocr_share, shares)
        wall = time.perf_counter() - start
    done = sum(n for n, _ in results)
    return done / wall, done / sum(cpu for _, cpu in results)


def kept_pixels(corpus: Path, out: Path, mapping: Path) -> dict | None:
    """Count outputs of originals without burned-in text whose PixelData MD5 is unchanged."""
    truth_path = corpus / "truth.json"
    if not truth_path.is_file():
        return None
    truth = json.loads(truth_path.read_text())["files"]
    new_uid = dict(line.split(",", 1) for line in mapping.read_text().splitlines()[1:] if line)
    outputs = {p.stem: p for p in out.rglob("*.dcm")}
    checked = kept = 0
    for rel, info in truth.items():
        if info.get("burned_in"):
            continue
        original = pydicom.dcmread(corpus / "dicom" / rel)
        target = outputs.get(new_uid.get(str(original.SOPInstanceUID), ""))
        if target is None:
            continue
        checked += 1
        md5 = hashlib.md5(original.PixelData).hexdigest()
        kept += hashlib.md5(pydicom.dcmread(target).PixelData).hexdigest() == md5
    return {"instances_without_burned_in_text": checked, "pixeldata_md5_kept": kept}


def main(args, work: Path, key_file: Path) -> int:
    corpus = Path(args.corpus).resolve() if args.corpus else None
    if corpus is None or not (corpus / "dicom").is_dir():
        print(
            "bench --case ocr needs --corpus DIR made by ../shared/tools/make_corpus.py, e.g.\n"
            "  python ../shared/tools/make_corpus.py --out bench/out/burned --studies 10 "
            "--series-per-study 2 --instances-per-series 10 --burned-in-fraction 1 --seed 11",
            file=sys.stderr,
        )
        return 2
    source = corpus / "dicom"
    files = list_dcm(source)
    n = len(files)
    warm_cache(files)
    config = work / "ocr_config.json"
    config.write_text(json.dumps(json.loads(args.config.read_text()) if args.config else ALL_TEXT))
    tag_only = work / "tag_only.json"
    tag_only.write_text("{}")
    one = work / "one_file_corpus"
    one.mkdir(parents=True, exist_ok=True)
    shutil.copy2(files[0], one / files[0].name)

    frames = _frames_512(files)
    fps = {}
    if frames:
        from transforms.pixels.ocr import ENGINES

        for engine in ENGINES:
            for processes in (1, 2):
                print(f"{engine}: text detection of {len(frames)} 512x512 frames, {processes} process(es)", flush=True)
                fps[f"{engine} x{processes}"] = ocr_rate(frames, processes, engine)

    mapping = work / "uid_mapping.csv"
    extra = (*MULTI_FLAGS, f"--uid_mapping_output={mapping}")
    redact = pipeline_cases(
        f"pipeline x{MULTI_WORKERS}, burned-in redaction", MULTI_WORKERS, source, one, n, work, key_file,
        config, extra, args.repeat,
    )
    out = next(work.glob("pipe_mp_ocr_config_full"))
    kept = kept_pixels(corpus, out, mapping)
    tags = pipeline_cases(
        f"pipeline x{MULTI_WORKERS}, tag-only", MULTI_WORKERS, source, one, n, work, key_file, tag_only,
        MULTI_FLAGS, args.repeat,
    )
    rate = redact[2].rate
    ratios = [("burned-in redaction / tag-only (instances/s, start-up excluded)", rate / tags[2].rate)]
    verdict = "".join(
        f"text detection of {len(frames)} 512x512 frames, {key} process(es): {wall:.1f} frames/s "
        f"({cpu:.1f} frames per CPU second)\n"
        for key, (wall, cpu) in fps.items()
    )
    verdict += f"target >= {TARGET} instances/s with redaction on 2 cores: {'MET' if rate >= TARGET else 'MISSED'} ({rate:.1f}/s)"
    if kept is not None:
        verdict += (
            f"\nPixelData MD5 kept: {kept['pixeldata_md5_kept']} of "
            f"{kept['instances_without_burned_in_text']} instances without burned-in text"
        )
    print(render(redact + tags, ratios, verdict))
    result = {
        "corpus": str(corpus),
        "files": n,
        "frames_512": len(frames),
        "ocr_frames_per_s": fps,
        "cases": [c.as_dict() for c in redact + tags],
        "redaction_instances_per_s": rate,
        "target": TARGET,
        "target_met": rate >= TARGET,
        "pixel_data_kept": kept,
    }
    path = OUT_DIR / "bench_ocr.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=1) + "\n")
    print(f"\nwrote {path}")
    return 0
