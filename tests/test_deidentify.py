"""The per-instance engine: documented examples, profiles, precedence and output invariants."""

from __future__ import annotations

import io

import pydicom
import pytest
from pydicom.datadict import keyword_for_tag

from tests.factories import PHI_NEEDLES, make_dataset, sample_instance, sequence_instance, to_bytes
from transforms.dicom import codec
from transforms.dicom._ps315_table import PS315_E1_1
from transforms.deid_config import parse_config
from transforms.dicom.deidentify import IMPLEMENTATION_CLASS_UID, Deidentifier, StageFailure
from transforms.dicom.profiles import Op, resolve
from transforms.dicom.uids import remap_uid

KEY = b"0123456789abcdef0123456789abcdef"


def deid(ds, config=None, key=KEY):
    result = Deidentifier(parse_config(config or {}), key)(to_bytes(ds))
    return result, pydicom.dcmread(io.BytesIO(result.data))


class TestDocumentedExamples:
    def test_example_1_keep_patient_name(self):
        """Example 1: PatientName kept, the rest per the Basic Profile, UIDs regenerated."""
        src = sample_instance()
        _, out = deid(src, {"dicomTagConfig": {"actions": [{"queries": ["PatientName"], "keepTag": {}}]}})
        assert str(out.PatientName) == "Ann Johnson"
        assert out.PatientID == "" and out.PatientBirthDate == ""
        assert out.ReferringPhysicianName == ""
        for kw in ("StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID"):
            assert getattr(out, kw) == remap_uid(getattr(src, kw), KEY)

    def test_example_2_delete_patient_name(self):
        """Example 2: deleteTag removes PatientName."""
        _, out = deid(sample_instance(), {"dicomTagConfig": {"actions": [{"queries": ["PatientName"], "deleteTag": {}}]}})
        assert "PatientName" not in out

    def test_example_3_reset_patient_name(self):
        """Example 3: resetTag sets PLACEHOLDER."""
        _, out = deid(sample_instance(), {"dicomTagConfig": {"actions": [{"queries": ["PatientName"], "resetTag": {}}]}})
        assert str(out.PatientName) == "PLACEHOLDER"

    def test_example_5_keep_all_regen_sop_only(self):
        """Example 5: only SOPInstanceUID (and MediaStorageSOPInstanceUID) change."""
        src = sample_instance()
        config = {
            "dicomTagConfig": {
                "profileType": "KEEP_ALL_PROFILE",
                "options": {"primaryIds": "KEEP"},
                "actions": [{"queries": ["00080018"], "regenUidTag": {}}],
            }
        }
        _, out = deid(src, config)
        new_sop = remap_uid(src.SOPInstanceUID, KEY)
        assert out.SOPInstanceUID == new_sop
        assert out.file_meta.MediaStorageSOPInstanceUID == new_sop
        assert out.StudyInstanceUID == src.StudyInstanceUID
        assert out.SeriesInstanceUID == src.SeriesInstanceUID
        assert out.file_meta.ImplementationVersionName == "OFFIS_DCMTK_361"
        added = {"PatientIdentityRemoved", "DeidentificationMethod", "DeidentificationMethodCodeSequence"}
        for elem in src:
            if elem.keyword not in {"SOPInstanceUID"} | added:
                assert out[elem.tag].value == elem.value, elem.keyword

    def test_example_6_recurse_reading_physicians(self):
        """Example 6: recursed sequence kept; nested codes reset to PLACEHOLDER."""
        src = sequence_instance()
        _, out = deid(src, {"dicomTagConfig": {"actions": [{"queries": ["PhysiciansReadingStudyIdentificationSequence"], "recurseTag": {}}]}})
        seq = out.PhysiciansReadingStudyIdentificationSequence
        assert len(seq) == 2
        for item in seq:
            (code,) = item.PersonIdentificationCodeSequence
            assert code.CodeValue == "PLACEHOLDER"
            assert code.CodingSchemeDesignator == "PLACEHOLDER"
        assert out.StudyInstanceUID == remap_uid("3333333", KEY)
        assert out.SOPInstanceUID == remap_uid("2222222", KEY)

    def test_example_6_without_recurse_deletes(self):
        """Without recurseTag the Basic Profile deletes the sequence (X)."""
        _, out = deid(sequence_instance())
        assert "PhysiciansReadingStudyIdentificationSequence" not in out


class TestBasicProfile:
    def test_no_planted_phi_anywhere(self):
        """No planted value survives in the output bytes (tags, sequences, private, file meta)."""
        result, _ = deid(make_dataset())
        assert [n for n in PHI_NEEDLES if n.encode() in result.data] == []

    def test_no_original_uid_anywhere(self):
        """No original instance UID survives in the output bytes."""
        src = make_dataset(index=3)
        result, _ = deid(src)
        for uid in (src.SOPInstanceUID, src.StudyInstanceUID, src.SeriesInstanceUID, src.FrameOfReferenceUID):
            assert uid.encode() not in result.data

    def test_x_absent_z_empty(self):
        """X attributes are absent, Z attributes present and empty."""
        _, out = deid(make_dataset())
        assert "OtherPatientIDs" not in out and "PatientAge" not in out
        assert out.PatientName == "" and out.AccessionNumber == ""

    def test_private_overlay_and_file_meta(self):
        """Private elements and overlays are deleted; file meta rebuilt with no source AE."""
        _, out = deid(make_dataset())
        assert not any(e.tag.is_private for e in out)
        assert not any(0x6000 <= e.tag.group <= 0x601E for e in out)
        assert "SourceApplicationEntityTitle" not in out.file_meta
        assert out.file_meta.ImplementationClassUID == IMPLEMENTATION_CLASS_UID
        assert out.file_meta.MediaStorageSOPInstanceUID == out.SOPInstanceUID

    def test_image_references_remapped_not_deleted(self):
        """ReferencedImageSequence (X/Z/U*) is kept with its UIDs remapped consistently."""
        first = make_dataset(index=0)
        _, out0 = deid(first)
        _, out3 = deid(make_dataset(index=3))
        ref = out3.ReferencedImageSequence[0]
        assert ref.ReferencedSOPInstanceUID == out0.SOPInstanceUID
        assert ref.ReferencedSOPClassUID == first.SOPClassUID

    def test_pixel_data_byte_identical(self):
        """PixelData is copied byte for byte and the transfer syntax is kept."""
        src = make_dataset(implicit=True)
        _, out = deid(src)
        assert out.PixelData == src.PixelData
        assert out.file_meta.TransferSyntaxUID == src.file_meta.TransferSyntaxUID

    def test_e11_attributes(self):
        """PatientIdentityRemoved, DeidentificationMethod and the 113100 code are added."""
        _, out = deid(make_dataset())
        assert out.PatientIdentityRemoved == "YES"
        assert "ATTRIBUTE_CONFIDENTIALITY_BASIC_PROFILE" in out.DeidentificationMethod
        assert [c.CodeValue for c in out.DeidentificationMethodCodeSequence] == ["113100"]

    def test_same_key_same_bytes(self):
        """Same input and key give byte-identical output; another key gives other UIDs."""
        src = make_dataset()
        a, _ = deid(src)
        b, _ = deid(src)
        c, _ = deid(src, key=b"another key of 32 bytes........!")
        assert a.data == b.data
        assert a.sop_uid != c.sop_uid


class TestPrecedence:
    def test_first_action_wins(self):
        """A VR action listed first wins over a later keyword action."""
        config = {"dicomTagConfig": {"actions": [
            {"queries": ["PN"], "resetTag": {}},
            {"queries": ["PatientName"], "keepTag": {}},
        ]}}
        _, out = deid(make_dataset(), config)
        assert str(out.PatientName) == "PLACEHOLDER"

    def test_action_beats_option_beats_profile(self):
        """An action on SOPInstanceUID beats primaryIds KEEP, which beats the profile."""
        src = make_dataset()
        config = {"dicomTagConfig": {"options": {"primaryIds": "KEEP"}, "actions": [{"queries": ["SOPInstanceUID"], "regenUidTag": {}}]}}
        _, out = deid(src, config)
        assert out.SOPInstanceUID == remap_uid(src.SOPInstanceUID, KEY)
        assert out.StudyInstanceUID == src.StudyInstanceUID
        assert [c.CodeValue for c in out.DeidentificationMethodCodeSequence] == ["113100", "113110"]

    def test_vr_query_skips_unsupported(self):
        """regenUidTag by VR PN matches nothing; the profile still applies."""
        _, out = deid(make_dataset(), {"dicomTagConfig": {"actions": [{"queries": ["PN"], "regenUidTag": {}}]}})
        assert out.PatientName == ""

    def test_keep_private_element_keeps_its_creator(self):
        """Keeping a private element by tag keeps its private creator too."""
        _, out = deid(make_dataset(), {"dicomTagConfig": {"actions": [{"queries": ["00111001"], "keepTag": {}}]}})
        assert out[0x00111001].value == "QUENNEVILLE MARIBEL"
        assert out[0x00110010].value == "ACME_TEST_PRIVATE"
        assert 0x00111002 not in out

    def test_removing_required_uid_fails(self):
        """A config that deletes SOPInstanceUID fails the instance, naming the keyword."""
        with pytest.raises(StageFailure, match="SOPInstanceUID"):
            deid(make_dataset(), {"dicomTagConfig": {"actions": [{"queries": ["SOPInstanceUID"], "deleteTag": {}}]}})


class TestOtherProfiles:
    def test_minimal_keep_list(self):
        """MINIMAL_KEEP_LIST_PROFILE keeps the keep list; the CT IOD's Type 2 empty, Type 1 valid, others gone."""
        src = make_dataset()
        _, out = deid(src, {"dicomTagConfig": {"profileType": "MINIMAL_KEEP_LIST_PROFILE"}})
        added = {"PatientIdentityRemoved", "DeidentificationMethod", "DeidentificationMethodCodeSequence"}
        kept = {e.keyword for e in out} - added
        assert {"SOPInstanceUID", "Rows", "PixelData", "Modality"} <= kept
        assert out.SOPInstanceUID == remap_uid(src.SOPInstanceUID, KEY)
        # Type 2 in the CT Image IOD: present and empty.
        for keyword in ("PatientName", "PatientID", "StudyDate", "StudyID", "AccessionNumber"):
            assert out[keyword].value in (None, "", b""), keyword
        # Type 1: a regenerated UID, a code kept; Type 3 removed.
        assert out.FrameOfReferenceUID == remap_uid(src.FrameOfReferenceUID, KEY)
        assert list(out.ImageType) == list(src.ImageType)
        assert not {"PatientAge", "InstitutionName", "OtherPatientIDsSequence", "ReferencedImageSequence"} & kept

    def test_keep_all_regenerates_primary_ids_and_references(self):
        """KEEP_ALL keeps everything but regenerates every non-registry UID (ours) and references."""
        src = make_dataset(index=2)
        _, out = deid(src, {"dicomTagConfig": {"profileType": "KEEP_ALL_PROFILE"}})
        assert str(out.PatientName) == src.PatientName
        assert out.SOPInstanceUID == remap_uid(src.SOPInstanceUID, KEY)
        ref = out.ReferencedImageSequence[0].ReferencedSOPInstanceUID
        assert ref == remap_uid(src.ReferencedImageSequence[0].ReferencedSOPInstanceUID, KEY)
        assert out.FrameOfReferenceUID == remap_uid(src.FrameOfReferenceUID, KEY)
        assert out.SOPClassUID == src.SOPClassUID

    def test_keep_all_with_primary_ids_keep_keeps_every_uid(self):
        """KEEP_ALL with primaryIds KEEP is the one config that keeps every UID as it is."""
        src = make_dataset(index=2)
        _, out = deid(src, {"dicomTagConfig": {"profileType": "KEEP_ALL_PROFILE", "options": {"primaryIds": "KEEP"}}})
        assert out.SOPInstanceUID == src.SOPInstanceUID
        assert out.FrameOfReferenceUID == src.FrameOfReferenceUID

    def test_legacy_keep_list(self):
        """dicom.keepList keeps its tags plus the minimal list; primary UIDs still regenerated."""
        src = make_dataset()
        _, out = deid(src, {"dicom": {"keepList": {"tags": ["PatientID", "StudyInstanceUID"]}}})
        assert out.PatientID == src.PatientID
        assert out.PatientName in (None, "")  # Type 2 in the CT IOD: kept present, empty
        assert "PatientAge" not in out
        assert out.StudyInstanceUID == remap_uid(src.StudyInstanceUID, KEY)

    def test_legacy_remove_list_and_skip_id_redaction(self):
        """dicom.removeList deletes its tags and OverlayData; skipIdRedaction keeps UIDs."""
        src = make_dataset()
        _, out = deid(src, {"dicom": {"removeList": {"tags": ["PatientID"]}, "skipIdRedaction": True}})
        assert "PatientID" not in out and 0x60003000 not in out
        assert str(out.PatientName) == src.PatientName
        assert out.SOPInstanceUID == src.SOPInstanceUID


@pytest.mark.parametrize(
    "code, keyword, op",
    [
        ("X", "", Op.DELETE),
        ("Z", "", Op.EMPTY),
        ("D", "", Op.RESET),
        ("U", "", Op.REGEN),
        ("X/Z", "", Op.EMPTY),
        ("X/D", "", Op.DELETE),
        ("Z/D", "", Op.EMPTY),
        ("X/Z/D", "", Op.EMPTY),
        ("X/Z/U*", "", Op.WALK_UIDS),
        ("X/Z", "ReferencedStudySequence", Op.DELETE),
        ("X/Z/D", "InstitutionCodeSequence", Op.DELETE),
        ("X/Z", "AcquisitionContextSequence", Op.EMPTY),
    ],
)
def test_resolve_compound_codes(code, keyword, op):
    """Each Basic Profile code (compounds included) resolves to one operation."""
    assert resolve(code, keyword) is op


def test_every_table_code_resolves():
    """Every code in the generated table is one resolve() understands."""
    for key, (_kw, _name, code, _opts) in PS315_E1_1.items():
        if key != "private":
            assert isinstance(resolve(code), Op)


@pytest.mark.parametrize("vr, keyword", [("DA", "PatientBirthDate"), ("TM", "StudyTime"), ("DT", "AcquisitionDateTime"), ("AS", "PatientAge"), ("SH", "AccessionNumber"), ("LO", "PatientID"), ("US", "Rows"), ("DS", "PatientWeight"), ("IS", "SeriesNumber")])
def test_reset_gives_valid_dummies(vr, keyword):
    """resetTag writes a value valid for the VR (dates parse, strings fit)."""
    src = make_dataset()
    setattr(src, keyword, {"DA": "20200101", "TM": "101010", "DT": "20200101101010", "AS": "047Y", "US": 8, "DS": "70.5", "IS": "3"}.get(vr, "X12345"))
    _, out = deid(src, {"dicomTagConfig": {"profileType": "KEEP_ALL_PROFILE", "actions": [{"queries": [keyword], "resetTag": {}}]}})
    value = out[keyword].value
    assert value not in (None, "")
    if vr == "DA":
        pydicom.valuerep.DA(value)
    if vr in ("SH", "LO"):
        assert value == "PLACEHOLDER"


class TestCodec:
    @pytest.mark.parametrize(
        "data, error",
        [(b"", "empty"), (b"hello world", "no DICM"), (b"\x00" * 128 + b"DICM" + b"\x02\x00", "")],
    )
    def test_garbage_is_invalid(self, data, error):
        """Empty and non-DICOM input raise InvalidInstanceError (stage read)."""
        with pytest.raises(StageFailure) as info:
            Deidentifier(parse_config({}), KEY)(data)
        assert info.value.stage == "read"
        assert error in info.value.message

    @pytest.mark.parametrize("cut", [200, 700, -40])
    def test_truncated_file_fails(self, cut):
        """A file cut anywhere fails at read instead of producing a short output."""
        data = to_bytes(make_dataset())
        with pytest.raises(StageFailure) as info:
            Deidentifier(parse_config({}), KEY)(data[:cut])
        assert info.value.stage == "read"

    def test_dicomdir_is_unsupported(self):
        """A DICOMDIR is a failure, not an instance."""
        from pydicom.data import get_testdata_file

        with open(get_testdata_file("DICOMDIR"), "rb") as f:
            data = f.read()
        with pytest.raises(StageFailure, match="DICOMDIR") as info:
            Deidentifier(parse_config({}), KEY)(data)
        assert info.value.error_type == "UnsupportedInstanceError"

    def test_failure_messages_hold_no_values(self):
        """Failure messages name keywords, never values."""
        ds = make_dataset()
        del ds.SOPInstanceUID
        with pytest.raises(StageFailure) as info:
            Deidentifier(parse_config({}), KEY)(to_bytes(ds))
        assert "SOPInstanceUID" in info.value.message
        assert not any(n in str(info.value) for n in PHI_NEEDLES)


def test_table_matches_reference():
    """The generated table holds every record of the shared reference with the same codes."""
    import json
    from pathlib import Path

    ref = Path(__file__).resolve().parents[2] / "shared" / "reference" / "ps3.15-table-e1-1.json"
    if not ref.exists():
        pytest.skip("../shared/reference is not present")
    records = json.loads(ref.read_text())
    assert len(PS315_E1_1) == len(records)
    for rec in records:
        key = "private" if rec["id"].startswith("gggg") else rec["id"]
        assert PS315_E1_1[key][2] == rec["basicProfile"]
        if "x" not in key and key != "private":
            assert PS315_E1_1[key][0] == (keyword_for_tag(int(key, 16)) or "")


def test_profile_doc_is_current():
    """docs/basic-profile.md is exactly what the code does (regenerate it when this fails)."""
    from pathlib import Path

    from transforms.dicom.profiles import describe_basic_profile

    doc = Path(__file__).resolve().parents[1] / "docs" / "basic-profile.md"
    assert doc.read_text() == describe_basic_profile()
