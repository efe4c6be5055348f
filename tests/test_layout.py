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
    """pipeline/dicom/run.py may run as a script, so no module or package may share a stdlib name."""
    names = {p.stem for d in ("pipeline", "transforms") for p in (ROOT / d).rglob("*.py")}
    names |= {p.parent.name for d in ("pipeline", "transforms") for p in (ROOT / d).rglob("__init__.py")}
    assert not names & set(sys.stdlib_module_names)


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _import_graph() -> dict[str, set[str]]:
    """Project module -> the project modules it imports, at the top or inside a function."""
    paths = [p for d in ("pipeline", "transforms") for p in (ROOT / d).rglob("*.py")]
    modules = {_module_name(p) for p in paths}
    graph: dict[str, set[str]] = {}
    for path in paths:
        edges = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                targets = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            else:
                continue
            edges |= {t for t in targets if t in modules}
        name = _module_name(path)
        graph[name] = edges - {name}
    return graph


def test_no_import_cycle():
    """No two project modules import each other, directly or through others (lazy imports count)."""
    graph = _import_graph()
    cycles, state = [], {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_transforms_config_modules_do_not_import_each_other_back():
    """The FHIR config checker uses the shared checker, not the DICOM config module."""
    assert "transforms.deid_config" not in _import_graph()["transforms.fhir.config"]


def test_packages_resolve_inside_repo():
    """The generic names pipeline and transforms resolve to this repository."""
    import pipeline
    import transforms

    assert Path(pipeline.__file__).resolve().parent == ROOT / "pipeline"
    assert Path(transforms.__file__).resolve().parent == ROOT / "transforms"
