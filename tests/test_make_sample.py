"""Tests of tools/make_sample.py, the synthetic sample archive generator."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pydicom

_PATH = Path(__file__).resolve().parents[1] / "tools" / "make_sample.py"


def _load() -> ModuleType:
    """Import tools/make_sample.py by path."""
    spec = importlib.util.spec_from_file_location("make_sample", _PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make_sample = _load()

SMALL = {"rows": 64, "cols": 64}


def test_same_seed_gives_identical_bytes(tmp_path: Path) -> None:
    """Two runs with the same arguments and seed write byte-identical files."""
    kwargs = dict(studies=2, series_per_study=2, instances_per_series=2, seed=7, **SMALL)
    first = make_sample.make_archive(str(tmp_path / "a"), **kwargs)
    second = make_sample.make_archive(str(tmp_path / "b"), **kwargs)
    rel_a = [Path(p).relative_to(tmp_path / "a") for p in first]
    rel_b = [Path(p).relative_to(tmp_path / "b") for p in second]
    assert rel_a == rel_b and rel_a
    for rel in rel_a:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes()


def test_small_archive_contents(tmp_path: Path) -> None:
    """Each file parses and carries PHI, a private block and image references."""
    paths = make_sample.make_archive(
        str(tmp_path), studies=2, series_per_study=2, instances_per_series=2, **SMALL
    )
    assert len(paths) == 2 * 2 * 2
    assert paths == sorted(paths)
    for path in paths:
        ds = pydicom.dcmread(path)
        assert str(ds.PatientName)
        block = ds.private_block(0x0011, "ACME_SAMPLE_PRIVATE")
        assert (0x0011, block.block_start + 0x03) in ds
        if Path(path).name == "im0001.dcm":
            assert "ReferencedImageSequence" not in ds
        else:
            assert "ReferencedImageSequence" in ds
            assert ds.ReferencedImageSequence[0].ReferencedSOPInstanceUID


def test_several_transfer_syntaxes(tmp_path: Path) -> None:
    """An archive of 3 studies x 2 series uses at least two transfer syntaxes."""
    paths = make_sample.make_archive(
        str(tmp_path), studies=3, series_per_study=2, instances_per_series=1, **SMALL
    )
    syntaxes = {
        pydicom.dcmread(p, stop_before_pixels=True).file_meta.TransferSyntaxUID for p in paths
    }
    assert len(syntaxes) >= 2


def test_cli_prints_json(tmp_path: Path, capsys) -> None:
    """The CLI writes the archive and prints the output directory and file count."""
    out = str(tmp_path / "cli")
    argv = ["--out", out, "--studies", "1", "--series-per-study", "1",
            "--instances-per-series", "2", "--rows", "32", "--cols", "32"]
    assert make_sample.main(argv) == 0
    assert capsys.readouterr().out.strip() == f'{{"out": "{out}", "files": 2}}'
    assert len(list(Path(out).rglob("*.dcm"))) == 2
