"""What real archives hold and the PS3.15 table does not name (issue: real archives).

UN-encoded elements, UI elements no rule lists, identifiers in sequences the table
does not list, and damaged files: pure engine tests, no Beam.
"""

from __future__ import annotations

import io
import json
import struct
import time

import pydicom
import pytest
from pydicom.dataelem import DataElement
from pydicom.dataset import Dataset
from pydicom.filebase import DicomBytesIO
from pydicom.filewriter import write_dataset
from pydicom.sequence import Sequence

from tests.factories import PHI, PHI_NEEDLES, make_dataset, to_bytes
from tests.mutations import KINDS, mutants
from transforms.deid_config import parse_config
from transforms.dicom._ps315_table import PS315_E1_1
from transforms.dicom.deidentify import Deidentifier, StageFailure
from transforms.dicom.uids import remap_uid
from transforms import errors

KEY = b"0123456789abcdef0123456789abcdef"
KEEP_ALL = {"dicomTagConfig": {"profileType": "KEEP_ALL_PROFILE"}}
TAG_CONTENTS = {"dicomTagConfig": {"profileType": "DEIDENTIFY_TAG_CONTENTS"}}
_TABLE_TAGS = {int(k, 16) for k in PS315_E1_1 if "x" not in k and k != "private"}


def deid(ds_or_bytes, config=None, **kw):
    data = ds_or_bytes if isinstance(ds_or_bytes, bytes) else to_bytes(ds_or_bytes)
    result = Deidentifier(parse_config(config or {}), KEY, **kw)(data)
    return result, pydicom.dcmread(io.BytesIO(result.data))


def _as_un(ds: Dataset, keyword: str) -> None:
    """Store one element with VR UN (its value bytes as an explicit VR UN file has them)."""
    elem = ds[keyword]
    value = elem.value
    data = bytes(value) if isinstance(value, (bytes, bytearray)) else str(value).encode("ascii")
    data += b"\x00" * (len(data) % 2)
    ds[elem.tag] = DataElement(elem.tag, "UN", data)


def _implicit_sequence_bytes(*items: Dataset) -> bytes:
    """An SQ's value as PS3.5 6.2.2 encodes a sequence of unknown VR: implicit VR LE items."""
    out = b""
    for item in items:
        fp = DicomBytesIO()
        fp.is_little_endian, fp.is_implicit_VR = True, True
        write_dataset(fp, item)
        body = fp.getvalue()
        out += b"\xfe\xff\x00\xe0" + struct.pack("<I", len(body)) + body
    return out


class TestUnknownVr:
    def test_un_frame_of_reference_is_regenerated(self):
        """A FrameOfReferenceUID stored as UN gets the table's U like a UI one."""
        src = make_dataset()
        original = src.FrameOfReferenceUID
        _as_un(src, "FrameOfReferenceUID")
        result, out = deid(src)
        assert out.FrameOfReferenceUID == remap_uid(original, KEY)
        assert original.encode() not in result.data

    def test_un_patient_name_is_emptied(self):
        """A UN PatientName is decoded with its dictionary VR before the Basic Profile's Z."""
        src = make_dataset()
        _as_un(src, "PatientName")
        result, out = deid(src)
        assert out.PatientName == "" and b"QUENNEVILLE" not in result.data

    def test_un_private_sequence_is_parsed_and_walked(self):
        """A private UN value holding implicit VR items becomes an SQ whose items get the plan."""
        src = make_dataset()
        item = Dataset()
        item.PatientID = PHI["PatientID"]
        item.ReferencedSOPInstanceUID = src.SOPInstanceUID
        block = src.private_block(0x0013, "ACME_UN_SEQUENCE", create=True)
        block.add_new(0x10, "UN", _implicit_sequence_bytes(item))
        result, out = deid(src, TAG_CONTENTS)
        seq = out[block.get_tag(0x10)]
        assert seq.VR == "SQ" and len(seq.value) == 1
        inner = seq.value[0]
        assert inner.ReferencedSOPInstanceUID == remap_uid(src.SOPInstanceUID, KEY)
        assert PHI["PatientID"] not in str(inner.PatientID)
        _, basic = deid(src)
        assert block.get_tag(0x10) not in basic  # the Basic Profile still deletes private elements


class TestEveryUidRegenerated:
    def test_unlisted_ui_element_is_regenerated(self):
        """CreatorVersionUID is not in Table E.1-1; its value is remapped like any UID."""
        assert 0x00089123 not in _TABLE_TAGS
        src = make_dataset()
        src.CreatorVersionUID = src.StudyInstanceUID
        result, out = deid(src)
        assert out.CreatorVersionUID == remap_uid(src.StudyInstanceUID, KEY) == out.StudyInstanceUID
        assert src.StudyInstanceUID.encode() not in result.data

    def test_uid_in_unlisted_sequence_is_regenerated_and_consistent(self):
        """A UID inside a sequence no rule names maps as the same UID does elsewhere."""
        src = make_dataset()
        item = Dataset()
        item.ReferencedSOPClassUID = "1.2.840.10008.5.1.4.1.1.2"
        item.ReferencedSOPInstanceUID = src.SOPInstanceUID
        src.ReferencedInstanceSequence = Sequence([item])  # (0008,114A), not in the table
        assert 0x0008114A not in _TABLE_TAGS
        _, out = deid(src)
        ref = out.ReferencedInstanceSequence[0]
        assert ref.ReferencedSOPInstanceUID == out.SOPInstanceUID
        assert ref.ReferencedSOPClassUID == "1.2.840.10008.5.1.4.1.1.2"  # registry UID kept

    def test_kept_private_ui_is_regenerated_under_keep_all(self):
        """KEEP_ALL keeps private elements, but not the original UIDs they hold."""
        src = make_dataset()
        block = src.private_block(0x0015, "ACME_UIDS", create=True)
        block.add_new(0x01, "UI", src.SeriesInstanceUID)
        block.add_new(0x02, "UN", src.FrameOfReferenceUID.encode() + b"\x00" * (len(src.FrameOfReferenceUID) % 2))
        result, out = deid(src, KEEP_ALL)
        assert out[block.get_tag(0x01)].value == remap_uid(src.SeriesInstanceUID, KEY)
        assert src.FrameOfReferenceUID.encode() not in result.data
        assert str(out.PatientName) == PHI["PatientName"]  # KEEP_ALL still keeps the rest

    def test_keep_tag_and_primary_ids_keep_are_respected(self):
        """An action that keeps a UID, and primaryIds KEEP, keep their values."""
        src = make_dataset()
        src.CreatorVersionUID = "1.2.826.0.1.3680043.8.498.77"
        config = {"dicomTagConfig": {"options": {"primaryIds": "KEEP"}, "actions": [{"queries": ["CreatorVersionUID"], "keepTag": {}}]}}
        _, out = deid(src, config)
        assert out.CreatorVersionUID == src.CreatorVersionUID
        assert out.SOPInstanceUID == src.SOPInstanceUID


class TestResidualSweep:
    @staticmethod
    def _with_unlisted_identifiers() -> Dataset:
        src = make_dataset()
        # An issuer sequence the table does not list, holding the institution and the patient ID.
        issuer = Dataset()
        issuer.LocalNamespaceEntityID = PHI["InstitutionName"]
        issuer.UniversalEntityIDType = "ISO"
        src.IssuerOfPatientIDQualifiersSequence = Sequence([issuer])
        equipment = Dataset()
        equipment.Manufacturer = PHI["InstitutionName"]  # an equipment value that is the institution's
        equipment.UnformattedTextValue = f"patient {PHI['PatientID']} seen at {PHI['InstitutionName']}"
        src.ContributingEquipmentSequence = Sequence([equipment])
        for tag in (0x00100024, 0x00400033, 0x0018A001, 0x00700006, 0x00080070):
            assert tag not in _TABLE_TAGS
        return src

    def test_unlisted_sequence_holding_institution_and_patient_id(self):
        """Values the table's rules never reach are replaced with [CTX]."""
        result, out = deid(self._with_unlisted_identifiers())
        equipment = out.ContributingEquipmentSequence[0]
        text = equipment.UnformattedTextValue
        assert PHI["PatientID"] not in text and PHI["InstitutionName"] not in text and "[CTX]" in text
        assert PHI["InstitutionName"] not in str(equipment.Manufacturer)
        assert PHI["InstitutionName"] not in str(out.IssuerOfPatientIDQualifiersSequence[0].LocalNamespaceEntityID)
        for needle in (PHI["PatientID"], PHI["InstitutionName"]):
            assert needle.encode() not in result.data

    def test_sweep_is_recorded_in_annotations(self):
        result, _ = deid(self._with_unlisted_identifiers(), {"annotation": {"storeQuote": True}})
        record = result.annotations[0]
        assert '"0018A001[0].00700006"' in record and PHI["PatientID"] in record

    def test_sweep_can_be_turned_off(self):
        _, out = deid(self._with_unlisted_identifiers(), residual_sweep=False)
        assert PHI["PatientID"] in out.ContributingEquipmentSequence[0].UnformattedTextValue

    def test_manufacturer_is_left_unless_it_is_the_institution(self):
        src = make_dataset()
        src.ManufacturerModelName = "ACME Scanner 3000"
        _, out = deid(src)
        assert out.Manufacturer == "ACME" and out.ManufacturerModelName == "ACME Scanner 3000"
        src.Manufacturer = PHI["InstitutionName"]
        _, out = deid(src)
        assert PHI["InstitutionName"] not in str(out.Manufacturer)

    def test_kept_element_is_not_swept(self):
        src = self._with_unlisted_identifiers()
        config = {"dicomTagConfig": {"actions": [{"queries": ["ContributingEquipmentSequence"], "keepTag": {}}]}}
        _, out = deid(src, config)
        assert PHI["PatientID"] in out.ContributingEquipmentSequence[0].UnformattedTextValue


class TestDamagedFiles:
    DICOM_REASONS = {
        name for name, cls in vars(errors).items() if isinstance(cls, type) and issubclass(cls, errors.DeidError)
    }

    @pytest.mark.filterwarnings("ignore::UserWarning")
    def test_implicit_body_under_an_explicit_syntax(self):
        """pydicom's SC_rgb_jpeg.dcm case: the body is implicit VR, the meta says explicit."""
        src = make_dataset()
        buf = io.BytesIO()
        pydicom.dcmwrite(buf, src, implicit_vr=True, little_endian=True, force_encoding=True)
        data = buf.getvalue()
        assert pydicom.dcmread(io.BytesIO(data)).file_meta.TransferSyntaxUID == "1.2.840.10008.1.2.1"
        result, out = deid(data)
        assert out.ImageType == ["ORIGINAL", "PRIMARY", "AXIAL"]
        assert out.SOPInstanceUID == remap_uid(src.SOPInstanceUID, KEY)

    def test_fuzzed_sample_fails_only_with_dicom_reasons(self):
        """Seeded mutations of sample instances: no builtin exception escapes or names a failure,
        and no planted value reaches a message. Bounded to a few seconds."""
        engines = [Deidentifier(parse_config(c), KEY) for c in ({}, TAG_CONTENTS, KEEP_ALL)]
        sources = [to_bytes(make_dataset(index=i, implicit=i == 1)) for i in range(3)]
        seen_kinds, failures, deadline = set(), 0, time.monotonic() + 8
        for seed in range(40):
            for data in sources:
                for kind, mutant in mutants(data, seed, len(KINDS)):
                    seen_kinds.add(kind)
                    for engine in engines:
                        try:
                            engine(mutant)
                        except StageFailure as exc:
                            failures += 1
                            assert exc.error_type in self.DICOM_REASONS, (kind, exc.stage, exc.error_type)
                            assert not any(n in exc.message for n in PHI_NEEDLES), (kind, exc.stage)
            if time.monotonic() > deadline:
                break
        assert seen_kinds == set(KINDS) and failures > 0


def test_mixed_folder_reconciles_end_to_end(tmp_path):
    """A folder as archives hold it, through the whole job on 2 workers: good instances, an
    identical copy, a re-sent instance with other content, seeded mutants, a UN-encoded file and
    a file that is no DICOM. Every input is counted exactly once, files written == succeeded,
    every failure names a DICOM reason, and no planted value reaches a failure record."""
    from pipeline.dicom.run import run

    inp, out = tmp_path / "in", tmp_path / "out"
    inp.mkdir()
    key = tmp_path / "uid.key"
    key.write_bytes(b"V0hhdCBhIHRlc3Qga2V5IGZvciBVSURzIC0tIDMyIGJ5dGVz\n")
    sources = [to_bytes(make_dataset(index=i)) for i in range(3)]
    for i, data in enumerate(sources):
        (inp / f"im{i}.dcm").write_bytes(data)
    (inp / "copy_of_im0.dcm").write_bytes(sources[0])  # a duplicate
    resent = make_dataset(index=1)
    resent.PixelData = bytes(len(resent.PixelData))  # other pixels: different de-identified bytes
    (inp / "resent_im1.dcm").write_bytes(to_bytes(resent))  # a conflict: same UIDs, other bytes
    un = make_dataset(index=5)
    _as_un(un, "FrameOfReferenceUID")
    (inp / "un.dcm").write_bytes(to_bytes(un))
    for n, (kind, mutant) in enumerate(mutants(sources[2], seed=3, count=len(KINDS))):
        (inp / f"mutant_{n}_{kind}.dcm").write_bytes(mutant)
    (inp / "readme.txt").write_text("not an instance")
    found = len(list(inp.iterdir()))
    assert run(["--input", str(inp), "--output", str(out), "--uid_key_file", str(key),
                "--direct_running_mode=multi_processing", "--direct_num_workers=2"]) == 0
    summary = json.loads((out / "deid_summary.json").read_text())
    assert summary["found"] == found
    assert summary["found"] == summary["filtered_out"] + summary["skipped"] + summary["succeeded"] + summary[
        "duplicates"] + summary["failed"]
    assert summary["duplicates"] >= 1 and summary["failed"] >= 2  # the conflict and readme.txt at least
    assert len(list(out.rglob("*.dcm"))) == summary["succeeded"]
    records = [json.loads(line) for line in (out / "deid_failures.jsonl").read_text().splitlines()]
    assert len(records) == summary["failed"]
    reasons = TestDamagedFiles.DICOM_REASONS
    assert all(r["error"] in reasons for r in records), {r["error"] for r in records}
    assert any(r["error"] == "InstanceConflictError" and r["source"].endswith("resent_im1.dcm") for r in records)
    text = (out / "deid_failures.jsonl").read_text()
    assert not any(n in text for n in PHI_NEEDLES)
