"""The documentation: the site builds with no warning, the options page is the generator's output,
every config field is documented, and README and docs point at nothing a clone lacks."""

from __future__ import annotations

import ast
import importlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
sys.path.insert(0, str(ROOT / "tools"))


def test_options_page_is_the_generators_output():
    import gen_options_doc

    assert (DOCS / "options.md").read_text(encoding="utf-8") == gen_options_doc.render(), (
        "docs/options.md is out of date: run `.venv/bin/python tools/gen_options_doc.py` and commit the page")


def test_site_builds_with_no_warning(tmp_path):
    """`mkdocs build --strict` (warnings are errors): links, anchors, nav, included files."""
    mkdocs = shutil.which("mkdocs", path=str(Path(sys.executable).parent)) or shutil.which("mkdocs")
    if mkdocs is None:
        pytest.fail("mkdocs is not installed: it is pinned in requirements-test.txt (`make setup`)")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run([mkdocs, "build", "--strict", "--site-dir", str(tmp_path / "site")], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "WARNING" not in proc.stderr, proc.stderr[-3000:]
    assert (tmp_path / "site" / "options" / "index.html").exists()


def _config_fields(module_name: str) -> set[str]:
    """Every field name a config checker accepts (the third argument of each ``c.fields`` call)."""
    module = importlib.import_module(module_name)
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    names: set[str] = set()
    for func in ast.walk(tree):
        if not isinstance(func, ast.FunctionDef):
            continue
        local = {t.id: node.value for node in ast.walk(func) if isinstance(node, ast.Assign)
                 for t in node.targets if isinstance(t, ast.Name)}
        for call in ast.walk(func):
            if isinstance(call, ast.Call) and getattr(call.func, "attr", "") == "fields" and len(call.args) >= 3:
                arg = call.args[2]
                if isinstance(arg, ast.Name) and arg.id in local:
                    arg = local[arg.id]
                names.update(eval(compile(ast.Expression(arg), "<fields>", "eval"), vars(module)))  # noqa: S307
    return names


@pytest.mark.parametrize("module, page", [("transforms.deid_config", "configuration.md"), ("transforms.fhir.config", "fhir.md")])
def test_every_config_field_is_documented(module, page):
    text = (DOCS / page).read_text(encoding="utf-8")
    missing = sorted(name for name in _config_fields(module) if f"`{name}`" not in text)
    assert missing == [], f"docs/{page} does not name these config fields: {missing}"


def test_readme_and_docs_point_only_at_what_a_clone_has():
    texts = {p.relative_to(ROOT): p.read_text(encoding="utf-8") for p in [ROOT / "README.md", *DOCS.glob("*.md")]}
    for path, text in texts.items():
        assert "../shared" not in text and not re.search(r"\bissue \d+", text), path
        for target in re.findall(r"\]\(([^)#\s]+)", text):
            if not target.startswith(("http://", "https://", "mailto:")):
                assert (ROOT / path).parent.joinpath(target).exists(), (path, target)


def test_readme_is_short_and_its_commands_are_the_makefiles():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 250
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "make sample" in readme and "make test" in readme
    assert re.search(r"(?m)^sample:", makefile) and re.search(r"(?m)^test:", makefile)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.rstrip().endswith("make test")  # the README's test command is what CI runs
