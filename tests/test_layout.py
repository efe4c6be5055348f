"""Project layout rules: no Beam in transforms/, no stdlib-shadowing module names."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("path", sorted((ROOT / "transforms").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_transforms_never_import_beam(path):
    """transforms/ is pure: no apache_beam and no pipeline imports."""
    tree = ast.parse(path.read_text())
    names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert not [n for n in names if n.split(".")[0] in ("apache_beam", "pipeline")]


def test_no_module_shadows_stdlib():
    """pipeline/run.py may run as a script, so no module may share a stdlib name."""
    names = {p.stem for d in ("pipeline", "transforms") for p in (ROOT / d).rglob("*.py")}
    assert not names & set(sys.stdlib_module_names)


def test_packages_resolve_inside_repo():
    """The generic names pipeline and transforms resolve to this repository."""
    import pipeline
    import transforms

    assert Path(pipeline.__file__).resolve().parent == ROOT / "pipeline"
    assert Path(transforms.__file__).resolve().parent == ROOT / "transforms"
