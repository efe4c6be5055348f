"""Benchmark: the cost of writing redacted encapsulated pixel data (``pixeldata.redact``).

    python bench/bench_reencode.py [--repo PATH] [--repeat 3] [--files a.dcm,b.dcm]

For each file (pydicom's and pydicom-data's JPEG 2000, JPEG-LS and JPEG test files by default),
a box over the middle of the last frame is blacked out with ``transforms.pixels.pixeldata.redact``
(decode, black out, re-encode or write uncompressed, decode again and compare): prints the output
transfer syntax, the median seconds over ``--repeat`` runs (each on a fresh read of the file; the
OCR is not included, the pixel writing is all that changes), and the PixelData bytes of the source
and of the output. ``--repo`` imports ``transforms`` from another checkout (e.g. an export of the
commit before this change) to compare.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from pathlib import Path

FILES = (
    "US1_J2KR.dcm",  # JPEG 2000 Lossless, YBR_RCT, 640 x 480 (pydicom-data)
    "US1_J2KI.dcm",  # JPEG 2000 (lossy), YBR_ICT
    "RG1_J2KR.dcm",  # JPEG 2000 Lossless, 15-bit MONOCHROME1, 1955 x 1841 (pydicom-data)
    "MR2_J2KI.dcm",  # JPEG 2000 (lossy), 12-bit, 1024 x 1024
    "emri_small_jpeg_2k_lossless.dcm",  # 10 frames, 64 x 64
    "JPEGLSNearLossless_16.dcm",
    "emri_small_jpeg_ls_lossless.dcm",
    "examples_ybr_color.dcm",  # JPEG baseline YBR_FULL_422, 30 frames
    "color3d_jpeg_baseline.dcm",  # JPEG baseline, 120 frames of 640 x 480 RGB
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repo", default=str(Path(__file__).resolve().parents[1]))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--files", default=",".join(FILES))
    args = parser.parse_args(argv)
    sys.path.insert(0, args.repo)
    warnings.simplefilter("ignore")
    import pydicom
    from pydicom.data import get_testdata_file

    from transforms.pixels.pixeldata import Box, decode_frames, redact

    print(f"{'file':34s} {'source syntax':34s} {'output syntax':34s} {'seconds':>8s} {'source B':>10s} {'output B':>10s}")
    for name in args.files.split(","):
        path = get_testdata_file(name)
        source = pydicom.dcmread(path)
        frames = decode_frames(source)
        rows, columns = frames.shape[1:3]
        box = {frames.shape[0] - 1: [Box(columns // 3, rows // 3, columns // 2, rows // 2)]}
        times = []
        for _ in range(args.repeat):
            ds = pydicom.dcmread(path)
            start = time.perf_counter()
            redact(ds, box)
            times.append(time.perf_counter() - start)
        print(
            f"{name:34s} {source.file_meta.TransferSyntaxUID.name[:34]:34s} "
            f"{ds.file_meta.TransferSyntaxUID.name[:34]:34s} {statistics.median(times):8.3f} "
            f"{len(source.PixelData):10d} {len(ds.PixelData):10d}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
