"""De-identification adds no dciodvfy error kind (PS3.15: never less conformant than the input)."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pydicom
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


# Real objects bundled with pydicom (no download) whose IODs the IOD-free resolution broke:
# enhanced CT (liver_1frame), a 12-lead ECG waveform, an RT Plan, SR documents, a
# palette-colour ultrasound image; plus plain CT, MR and RT Dose.
BUNDLED = (
    "liver_1frame.dcm",
    "waveform_ecg.dcm",
    "rtplan.dcm",
    "test-SR.dcm",
    "reportsi.dcm",
    "examples_palette.dcm",
    "CT_small.dcm",
    "MR_small.dcm",
    "rtdose.dcm",
)


@pytest.mark.parametrize("name", ["basic", "minimal"])
def test_bundled_real_objects_no_new_error_kind(tmp_path, name):
    """pydicom's own real test objects keep their dciodvfy error kinds under Basic and minimal."""
    from pydicom.data import get_testdata_file

    error_kinds = _load("check_conformance").error_kinds
    engine = Deidentifier(parse_config(CONFIGS[name]), b"k" * 32)
    new = {}
    for file_name in BUNDLED:
        path = Path(get_testdata_file(file_name))
        out = tmp_path / file_name
        out.write_bytes(engine(path.read_bytes()).data)
        added = error_kinds(str(out)) - error_kinds(str(path))
        if added:
            new[file_name] = sorted(added)
    assert new == {}


def test_veterinary_object_no_new_error_kind(tmp_path):
    """A veterinary CT (species, responsible person and organization, Type 2C) stays as valid under Basic."""
    from pydicom.data import get_testdata_file

    ds = pydicom.dcmread(get_testdata_file("CT_small.dcm"))
    ds.PatientSpeciesDescription = "Canis lupus familiaris"
    ds.PatientBreedDescription = "Beagle"
    ds.BreedRegistrationSequence = pydicom.Sequence()
    ds.ResponsiblePerson = "OWNER^ALEX"
    ds.ResponsibleOrganization = "Abernathy Kennels"
    src = tmp_path / "vet.dcm"
    ds.save_as(src)
    error_lines = _load("check_conformance").error_lines
    out = tmp_path / "vet_out.dcm"
    out.write_bytes(Deidentifier(parse_config({}), b"k" * 32)(src.read_bytes()).data)

    def errors(path):  # (kind, attribute): CT_small already lacks another Type 2C attribute
        return {(kind, where) for kind, wheres in error_lines(str(path)).items() for where in wheres}

    assert errors(out) - errors(src) == set()
    assert b"OWNER" not in out.read_bytes()


def test_error_kinds_read_non_utf8_output(tmp_path):
    """dciodvfy echoes a Latin-1 value as raw bytes: kinds are still read, without the value."""
    from pydicom.data import get_testdata_file

    ds = pydicom.dcmread(get_testdata_file("CT_small.dcm"))
    ds.SpecificCharacterSet = "ISO_IR 100"
    ds.BodyPartExamined = "T\xe9TE"  # é is not a CS character: dciodvfy prints the value
    path = tmp_path / "latin1.dcm"
    ds.save_as(path)
    kinds = _load("check_conformance").error_kinds(str(path))
    invalid = [k for k in kinds if "Value invalid for this VR" in k]
    assert invalid and not any("\xe9" in k or "TE" in k for k in invalid)


# Redacted encapsulated images in their output syntax (docs/burned-in.md): JPEG 2000 lossy (YBR_ICT)
# and JPEG baseline (YBR_FULL_422 cine) to JPEG 2000 Lossless YBR_RCT, JPEG-LS near-lossless to
# JPEG-LS Lossless, a JPEG 2000 Lossless cine with one frame re-encoded.
REENCODED = ("US1_J2KI.dcm", "examples_ybr_color.dcm", "SC_rgb_jls_lossy_line.dcm", "emri_small_jpeg_2k_lossless.dcm")


@pytest.mark.parametrize("file_name", REENCODED)
def test_reencoded_pixels_no_new_error_kind(tmp_path, file_name):
    """A box blacked out and the image re-encoded adds no dciodvfy error kind (image pixel module,
    lossy compression attributes, encapsulation)."""
    from pydicom.data import get_testdata_file

    from transforms.pixels.pixeldata import Box, redact

    error_kinds = _load("check_conformance").error_kinds
    path = Path(get_testdata_file(file_name))
    ds = pydicom.dcmread(path)
    assert redact(ds, {0: [Box(5, 5, 30, 20)]}) > 0
    out = tmp_path / file_name
    ds.save_as(out, enforce_file_format=True)
    assert pydicom.dcmread(out).file_meta.TransferSyntaxUID in (pydicom.uid.JPEG2000Lossless, pydicom.uid.JPEGLSLossless)
    assert error_kinds(str(out)) - error_kinds(str(path)) == set()
