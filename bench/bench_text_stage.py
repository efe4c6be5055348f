"""Speed of the text stage: tag de-identification with DEIDENTIFY_TAG_CONTENTS, one process.

    python bench/bench_text_stage.py [--src DIR] [--studies 10] [--repeat 3]

Times ``transforms.dicom.deidentify.Deidentifier`` with ``bench.TEXT_CONFIG`` (every free-text
element inspected by the shared detector) over a ``tools/make_sample.py`` corpus (seed 7,
``--studies`` x 4 series x 10 instances, in ``bench/out/corpus_s{N}x4x10``, generated on first
use), in memory (read bytes -> de-identify), and the same loop tag-only (``{}``); prints files
per second and the text/tag-only ratio. ``--src DIR`` runs the ``transforms/`` of another
checkout or export (``git archive <commit> transforms | tar -x -C DIR``) to compare with an
older detector on the same machine. Best of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--src", type=Path, default=None)
    parser.add_argument("--studies", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(args.src.resolve() if args.src else REPO_ROOT))
    sys.path.insert(1, str(REPO_ROOT / "bench"))
    import transforms  # before bench, which puts this checkout first on sys.path
    from transforms.deid_config import parse_config
    from transforms.dicom.deidentify import Deidentifier

    from bench import OUT_DIR, TEXT_CONFIG, ensure_corpus, ensure_key  # noqa: E402

    print(f"transforms from {Path(transforms.__file__).parent}")

    files = ensure_corpus(OUT_DIR / f"corpus_s{args.studies}x4x10", args.studies, 4, 10)
    data = [p.read_bytes() for p in files]
    key = ensure_key(OUT_DIR / "uid.key")
    rates = {}
    for name, config in (("tag-only", {}), ("text", TEXT_CONFIG)):
        engine = Deidentifier(parse_config(config), key)
        best = float("inf")
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            for raw in data:
                engine(raw)
            best = min(best, time.perf_counter() - t0)
        rates[name] = len(data) / best
        print(f"{name}: {len(data)} files, best {best:.2f} s, {rates[name]:.1f} files/s")
    print(f"text / tag-only: {rates['text'] / rates['tag-only']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
