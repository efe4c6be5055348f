"""Burned-in text on real images: every DICOM file of pydicom, pydicom-data and deid-data.

    python bench/bench_burnedin_real.py [--modes REDACT_ALL_TEXT ...] [--workers 2] [--json PATH]

The files come from the installed packages (requirements-test.txt pins them;
``tests/real_images.py`` finds them, deid-data's cines are read from their zips), plus
copies made from them: a 3-frame copy of the greyscale ultrasound whose picture moves, and
a real 16-bit MONOCHROME1 chest radiograph (RG1) with a name, sex and birth date line
written on 1 and on 3 frames. What is written on each picture is in
``tests/data/real_burnedin.json`` (looked at, not generated). Each file goes through the
engine alone (``Deidentifier``, as the job runs it; files sharing a SOP Instance UID are
all measured), in each mode, then:

* outcome: written, or the failure's DICOM reason;
* every identifier box is read on the first, quarter, middle, three-quarter and last
  frame, in the original and in the output, by Tesseract (a line read, enlarged) and by
  PP-OCRv4 recognition of the crop (``bench_burnedin._RapidReader``); an identifier counts
  for a reader on a frame when that reader reads it in the original there (score.py's
  ``readable``). ``recognised``: the text detector finds an infoType in the value alone
  (what the sensitive modes can know today; the rest is issue 19's);
* pixels changed outside every area of print (the truth's text boxes grown by the
  redaction margin and 2 px), all frames, per file, summed up per image class (a file
  without an entry holds no print: every change counts).

Results: a table per mode on stdout and ``bench/out/bench_burnedin_real.json``.
"""

from __future__ import annotations

import argparse
import collections
import io
import json
import multiprocessing
import os
import sys
import time
from pathlib import Path

import numpy as np

REPO_ROOT = Path(__file__).resolve().parent.parent
for path in (REPO_ROOT, REPO_ROOT / "bench"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from tests import real_images  # noqa: E402

MODES = ("REDACT_ALL_TEXT", "REDACT_SENSITIVE_TEXT", "REDACT_SENSITIVE_TEXT_CLEAN_DESCRIPTORS")
OUT = REPO_ROOT / "bench" / "out" / "bench_burnedin_real.json"
_G: dict = {}


def _derived() -> dict[str, tuple]:
    grey = next(i for i in real_images.load() if i.name == "greyscale ultrasound")
    return {
        "copy:greyscale-ultrasound-3-frames-moving": (lambda: real_images.moving_copy(grey), grey),
        "copy:chest-radiograph-burned-line-1-frame": (lambda: real_images.burned_radiograph(1)[0],
                                                       real_images.burned_radiograph(1)[1]),
        "copy:chest-radiograph-burned-line-3-frames": (lambda: real_images.burned_radiograph(3)[0],
                                                        real_images.burned_radiograph(3)[1]),
    }


def _init() -> None:
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    from bench_burnedin import _RapidReader

    from transforms.pixels.ocr import TesseractEngine

    _G["tess"] = TesseractEngine()
    _G["rapid"] = _RapidReader()
    _G["engines"] = {}
    _G["truth"] = {f: image for image in real_images.load() for f in image.files}
    _G["derived"] = _derived()


def _engine(mode: str):
    from transforms.deid_config import parse_config
    from transforms.dicom.deidentify import Deidentifier

    if mode not in _G["engines"]:
        config = {"dicomTagConfig": {"options": {"cleanImage": {"textRedactionMode": mode}}}}
        _G["engines"][mode] = Deidentifier(parse_config(config), b"bench-real-images-key-0123456789")
    return _G["engines"][mode]


def _readable(view: np.ndarray, box, needle: str) -> dict[str, bool]:
    from tests.test_real_images import readable

    grey = view if view.ndim == 2 else np.asarray(np.round(view @ np.array([0.299, 0.587, 0.114])), np.uint8)
    rapid = _G["rapid"](grey, box)
    import difflib
    import re

    norm = re.sub(r"[\W_]+", "", rapid).lower()
    target = re.sub(r"[\W_]+", "", needle).lower()
    rapid_reads = target in norm or any(
        difflib.SequenceMatcher(None, target, norm[i : i + len(target)]).ratio() >= 0.8
        for i in range(max(1, len(norm) - len(target) + 1)))
    return {"tess": readable(_G["tess"], view, box, needle), "rapid": rapid_reads}


def _recognised(value: str) -> bool:
    from transforms.text.detect import Detector
    from transforms.text.infotypes import DEFAULT_INFO_TYPES

    return bool(Detector.for_context(()).detect(value, info_types=frozenset(DEFAULT_INFO_TYPES)))


def _job(job: tuple[str, str]) -> dict:
    import pydicom

    from transforms.dicom.deidentify import StageFailure
    from transforms.pixels import pixeldata

    mode, key = job
    if key in _G["derived"]:
        build, image = _G["derived"][key]
        data = build()
    else:
        data, image = real_images.read_bytes(key), _G["truth"].get(key)
    record = {"file": key, "mode": mode, "image": image.name if image else None,
              "class": image.kind if image else None}
    start = time.process_time()
    try:
        result = _engine(mode)(data, source=key)
    except StageFailure as exc:
        record.update(outcome="failed", error=exc.error_type, stage=exc.stage)
        return record
    record.update(outcome="written", cpu_s=round(time.process_time() - start, 2))
    try:
        source = pydicom.dcmread(io.BytesIO(data))
        if "PixelData" not in source:
            return record
        before = pixeldata.decode_frames(source)
        after = pixeldata.decode_frames(pydicom.dcmread(io.BytesIO(result.data)))
    except Exception as exc:  # not an image, or one the engine does not redact (no pixel step here)
        record["pixels"] = f"not decoded ({type(exc).__name__})"
        return record
    record["modality"] = str(source.get("Modality", "") or "")
    record["frames"] = int(before.shape[0])
    changed = (before != after) if before.shape == after.shape else np.ones(before.shape, bool)
    if changed.ndim == 4:
        changed = changed.any(axis=-1)
    text = np.zeros(changed.shape[1:], bool)
    pad = pixeldata.DEFAULT_MARGIN + 2
    for x0, y0, x1, y1 in image.text if image else ():
        text[max(0, y0 - pad) : y1 + pad, max(0, x0 - pad) : x1 + pad] = True
    record["changed"] = int(changed.sum())
    record["outside"] = int(changed[:, ~text].sum())
    record["pixels_total"] = int(changed.size)
    reads = []
    count = before.shape[0]
    for index in sorted({0, count // 4, count // 2, 3 * count // 4, count - 1}) if image and image.identifiers else ():
        view_before = pixeldata.render_views(before[index], source, index)[0]
        view_after = pixeldata.render_views(after[index], source, index)[0]
        for item in image.identifiers:
            was = _readable(view_before, item.box, item.value)
            if not any(was.values()):
                continue
            now = _readable(view_after, item.box, item.value)
            reads.append({"frame": index, "kind": item.kind, "value": item.value, "recognised": _recognised(item.value),
                          **{f"{r}_before": was[r] for r in was}, **{f"{r}_left": was[r] and now[r] for r in now}})
    record["reads"] = reads
    return record


def _table(records: list[dict], mode: str) -> list[str]:
    rows = [r for r in records if r["mode"] == mode]
    out = [f"\n### {mode}", "", "| class | files | identifiers left (tess) | (rapid) | recognised left (tess/rapid) "
           "| outside text: max | mean | files over 1% |", "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    by_class: dict[str, list[dict]] = collections.defaultdict(list)
    for r in rows:
        if "pixels_total" in r:
            by_class[r["class"] or _class_of(r)].append(r)
    for name in sorted(by_class):
        group = by_class[name]
        reads = [x for r in group for x in r.get("reads", [])]
        shares = [r["outside"] / r["pixels_total"] for r in group]
        tess = [x for x in reads if x["tess_before"]]
        rapid = [x for x in reads if x["rapid_before"]]
        rec_t = [x for x in tess if x["recognised"]]
        rec_r = [x for x in rapid if x["recognised"]]
        out.append(f"| {name} | {len(group)} | {sum(x['tess_left'] for x in tess)}/{len(tess)} | "
                   f"{sum(x['rapid_left'] for x in rapid)}/{len(rapid)} | "
                   f"{sum(x['tess_left'] for x in rec_t)}/{len(rec_t)}, {sum(x['rapid_left'] for x in rec_r)}/{len(rec_r)} | "
                   f"{100 * max(shares):.2f}% | {100 * sum(shares) / len(shares):.3f}% | "
                   f"{sum(s > 0.01 for s in shares)} |")
    failed = collections.Counter(r.get("error") for r in rows if r["outcome"] == "failed")
    out.append(f"\nwritten {sum(r['outcome'] == 'written' for r in rows)} of {len(rows)}; failed: {dict(failed)}")
    return out


def _class_of(record: dict) -> str:
    modality = record.get("modality", "")
    return {"US": "ultrasound", "CR": "CR", "DX": "CR", "CT": "CT", "MR": "MR", "NM": "NM"}.get(modality, "other")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--modes", nargs="+", default=list(MODES))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", default=str(OUT))
    args = parser.parse_args(argv)
    keys = list(real_images.all_files()) + list(_derived())
    jobs = [(mode, key) for mode in args.modes for key in keys]
    start = time.time()
    with multiprocessing.get_context("fork").Pool(args.workers, initializer=_init) as pool:
        records = pool.map(_job, jobs, chunksize=1)
    lines = [f"{len(keys)} files, {len(args.modes)} modes, {time.time() - start:.0f} s wall"]
    for mode in args.modes:
        lines += _table(records, mode)
    left = [dict(file=r["file"], mode=r["mode"], **x) for r in records for x in r.get("reads", [])
            if x["tess_left"] or x["rapid_left"]]
    print("\n".join(lines))
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps({"records": records, "left": left, "tables": lines}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
