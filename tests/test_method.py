"""PS3.15 E.1.1 attributes tell the truth: YES only when the config removed identity, codes for what was applied."""

from __future__ import annotations

import io

import pydicom
import pytest
from pydicom.dataset import Dataset
from pydicom.sr.codedict import codes
from pydicom.sr._cid_dict import cid_concepts

from tests.factories import make_dataset, to_bytes
from transforms.deid_config import parse_config
from transforms.dicom.deidentify import Deidentifier
from transforms.dicom.method import BASIC_PROFILE, CLEAN_PIXEL_DATA, OPTION_CODES, assess
from transforms.dicom.profiles import compile_plan

KEY = b"0123456789abcdef0123456789abcdef"


def deid(ds, config=None):
    result = Deidentifier(parse_config(config or {}), KEY)(to_bytes(ds))
    return pydicom.dcmread(io.BytesIO(result.data))


def code_values(out) -> list[str]:
    return [str(c.CodeValue) for c in out.get("DeidentificationMethodCodeSequence", [])]


def keep(*keywords: str) -> dict:
    return {"dicomTagConfig": {"actions": [{"queries": list(keywords), "keepTag": {}}]}}


def test_codes_are_the_standards_cid_7050():
    """Every code and meaning is PS3.16 CID 7050's (pydicom's tables, generated from the standard)."""
    ours = {BASIC_PROFILE, CLEAN_PIXEL_DATA, *OPTION_CODES.values()}
    standard = {(getattr(codes.DCM, name).value, getattr(codes.DCM, name).meaning) for name in cid_concepts[7050]["DCM"]}
    assert ours <= standard
    assert standard - ours == {("113102", "Clean Recognizable Visual Features Option")}  # nothing here defaces


@pytest.mark.parametrize("profile", ["ATTRIBUTE_CONFIDENTIALITY_BASIC_PROFILE", "MINIMAL_KEEP_LIST_PROFILE"])
def test_removing_profiles_say_yes_and_113100(profile):
    out = deid(make_dataset(), {"dicomTagConfig": {"profileType": profile}})
    assert out.PatientIdentityRemoved == "YES" and code_values(out) == ["113100"]


def test_keep_all_output_holding_identity_is_not_labelled_de_identified():
    """The service's keep-all example keeps name, ID and birth date: NO, and no profile code."""
    src = make_dataset()
    out = deid(src, {"dicomTagConfig": {"profileType": "KEEP_ALL_PROFILE", "options": {"primaryIds": "KEEP"}}})
    assert (out.PatientName, out.PatientID, out.PatientBirthDate) == (src.PatientName, src.PatientID, src.PatientBirthDate)
    assert out.PatientIdentityRemoved == "NO"
    assert "DeidentificationMethodCodeSequence" not in out
    assert list(out.DeidentificationMethod) == ["dicom-deid 0.1.0", "KEEP_ALL_PROFILE", "primaryIds KEEP"]
    assert {"PatientName", "PatientID", "PatientBirthDate", "private elements"} <= set(
        assess(compile_plan(parse_config({"dicomTagConfig": {"profileType": "KEEP_ALL_PROFILE"}}))).kept)


def test_keep_all_over_an_earlier_de_identification_keeps_its_claim_and_adds_this_run():
    """A source another tool de-identified (YES, its method and codes) keeps them; this run is appended."""
    src = make_dataset()
    src.PatientIdentityRemoved = "YES"
    src.DeidentificationMethod = "OtherTool 2.0"
    item = Dataset()
    item.CodeValue, item.CodingSchemeDesignator, item.CodeMeaning = "113100", "DCM", "Basic Application Confidentiality Profile"
    src.DeidentificationMethodCodeSequence = [item]
    out = deid(src, {"dicomTagConfig": {"profileType": "KEEP_ALL_PROFILE"}, "image": {"textRedactionMode": "REDACT_ALL_TEXT"}})
    assert out.PatientIdentityRemoved == "YES"
    assert list(out.DeidentificationMethod) == ["OtherTool 2.0", "dicom-deid 0.1.0", "KEEP_ALL_PROFILE", "cleanImage REDACT_ALL_TEXT"]
    assert code_values(out) == ["113100", "113101"]


def test_an_earlier_runs_codes_do_not_survive_a_removing_profile():
    src = make_dataset()
    item = Dataset()
    item.CodeValue, item.CodingSchemeDesignator, item.CodeMeaning = "113106", "DCM", "x"
    src.DeidentificationMethodCodeSequence = [item]
    assert code_values(deid(src)) == ["113100"]


@pytest.mark.parametrize(
    "keywords, code",
    [
        (("PatientSex", "PatientAge", "PatientWeight"), "113108"),  # Retain Patient Characteristics
        (("StudyDate", "StudyTime"), "113106"),  # Retain Longitudinal Temporal Information Full Dates
        (("StationName", "DeviceSerialNumber"), "113109"),  # Retain Device Identity
        (("InstitutionName",), "113112"),  # Retain Institution Identity
        (("FrameOfReferenceUID",), "113110"),  # Retain UIDs
        (("00111001",), "113111"),  # a private element kept by its tag: Retain Safe Private
    ],
)
def test_a_retain_option_kept_by_the_config_is_listed(keywords, code):
    out = deid(make_dataset(), keep(*keywords))
    assert out.PatientIdentityRemoved == "YES" and code_values(out) == ["113100", code]


@pytest.mark.parametrize("keyword", ["PatientName", "PatientID", "PatientBirthDate", "OtherPatientIDs"])
def test_keeping_what_no_option_keeps_says_no(keyword):
    out = deid(make_dataset(), keep(keyword))
    assert out.PatientIdentityRemoved == "NO" and "113100" not in code_values(out)


def test_tag_contents_keeps_times_numbers_and_binary_so_it_does_not_say_yes():
    """DEIDENTIFY_TAG_CONTENTS inspects text only: PatientBirthTime, GPS and MakerNote stay as they are."""
    spec = parse_config({"dicomTagConfig": {"profileType": "DEIDENTIFY_TAG_CONTENTS"}})
    method = assess(compile_plan(spec))
    assert not method.identity_removed and {"PatientBirthTime", "GPSLatitude", "MakerNote"} <= set(method.kept)
    out = deid(make_dataset(), {"dicomTagConfig": {"profileType": "DEIDENTIFY_TAG_CONTENTS"}})
    assert out.PatientIdentityRemoved == "NO"
    assert "113105" in code_values(out) and "113100" not in code_values(out)  # descriptors were cleaned


def test_clean_descriptors_and_pixels_are_listed_with_the_basic_profile():
    config = {"dicomTagConfig": {"options": {"cleanDescriptors": {}, "cleanImage": {"textRedactionMode": "REDACT_ALL_TEXT"}}}}
    out = deid(make_dataset(), config)
    assert out.PatientIdentityRemoved == "YES" and {"113100", "113101", "113105"} <= set(code_values(out))
