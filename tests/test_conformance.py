"""De-identification adds no dciodvfy error kind (PS3.15: never less conformant than the input)."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

from transforms.deid_config import parse_config
from transforms.dicom.deidentify import Deidentifier

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(shutil.which("dciodvfy") is None, reason="dciodvfy (dicom3tools) not installed")
CONFIGS = {
    "basic": {},
    "tag_contents": {"dicomTagConfig": {"profileType": "DEIDENTIFY_TAG_CONTENTS"}},
    "clean_descriptors": {"dicomTagConfig": {"options": {"cleanDescriptors": {}}}},
    "minimal": {"dicomTagConfig": {"profileType": "MINIMAL_KEEP_LIST_PROFILE"}},
}
# The minimal profile keeps the spec's list plus the IOD's Type 2 attributes (empty) and
# Type 1 attributes (valid dummies or, for codes and numbers, their values): README.


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("archive")
    paths = _load("make_sample").make_archive(str(folder), studies=2, series_per_study=2, instances_per_series=1, rows=64, cols=64)
    return [Path(p) for p in paths]


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_no_new_error_kind(archive, tmp_path, name):
    """Every sample modality keeps its dciodvfy error kinds (no new ones) under each profile."""
    error_kinds = _load("check_conformance").error_kinds
    engine = Deidentifier(parse_config(CONFIGS[name]), b"k" * 32)
    new = {}
    for path in archive:
        out = tmp_path / path.name
        out.write_bytes(engine(path.read_bytes()).data)
        added = error_kinds(str(out)) - error_kinds(str(path))
        if added:
            new[path.name] = sorted(added)
    assert new == {}
