"""Issue 18 in the engine (no Beam): names by structure, the patient's and the job's names as
context, clinical notes cleaned, CLEAN_ALL output valid R4, findings counted, ImagingStudy UIDs."""

from __future__ import annotations

import base64
import datetime
import hashlib
import re
import xml.dom.minidom

import pytest

from tests.fhir_factories import invariant_problems
from transforms.deid_config import parse_config
from transforms.dicom.cleantext import text_key
from transforms.dicom.uids import DEFAULT_UID_ROOT, remap_uid
from transforms.fhir.engine import FhirDeidentifier
from transforms.fhir.inspection import context_values, name_values
from transforms.text.transform import date_offset_days

KEY = b"fhir-names-test-key-0123456789abcd"
HASH = text_key(KEY)
# Names on no word list the detector ships (and with Synthea's digits, an apostrophe, a particle).
PATIENT = {"resourceType": "Patient", "id": "p1", "gender": "female", "birthDate": "1961-04-09",
           "name": [{"use": "official", "family": "O'Ruttledge84", "given": ["Ermengarde312", "Wynne"], "prefix": ["Mrs."]},
                    {"use": "maiden", "family": "Vandersloot7", "given": ["Ermengarde312"]}]}  # fmt: skip
DOCTOR = {"resourceType": "Practitioner", "id": "d1", "name": [{"family": "Featherstonehaugh", "given": ["Tancred"], "prefix": ["Dr."]}]}


def engine(profile: str = "BASIC", **config) -> FhirDeidentifier:
    return FhirDeidentifier(parse_config({"fhirFieldConfig": {"profileType": profile}, **config}), KEY)


def run(e: FhirDeidentifier, resource: dict, **kw):
    return e(resource, patient_context=context_values(PATIENT, True), job_names=name_values(DOCTOR), **kw)


def _b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


@pytest.mark.parametrize("profile", ["BASIC", "CLEAN_ALL"])
@pytest.mark.parametrize(
    "ref",
    [
        {"reference": "Patient/p1"},
        {"reference": "urn:uuid:pp"},  # a Bundle entry (the bundle table below)
        {"reference": "Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|9999912345"},
        {"type": "Practitioner", "identifier": {"system": "http://hl7.org/fhir/sid/us-npi", "value": "1"}},
        {"reference": "#rp"},
    ],
    ids=["literal", "bundle", "conditional", "type", "contained"],
)
def test_person_display_replaced_whole(profile, ref):
    """A display of a reference to a person is wholly a PERSON_NAME, whatever the detector knows."""
    obs = {"resourceType": "Observation", "id": "o", "status": "final", "code": {"text": "x"},
           "contained": [{"resourceType": "RelatedPerson", "id": "rp", "patient": {"reference": "Patient/p1"}}],
           "performer": [{**ref, "display": "Zephyrine Quabbin-Oyelaran"}]}  # fmt: skip
    result = engine(profile)(obs, bundle={"urn:uuid:pp": ("Patient", "h")})
    assert result.resource["performer"][0]["display"] == "[PERSON_NAME]"
    assert result.findings_by_info_type["PERSON_NAME"] == 1  # counted with no annotation block


def test_person_display_by_element_and_not_for_organizations():
    """Claim.patient only points at a Patient (the R4 table): its display is a name with no
    reference at all; an Organization's display is text, inspected."""
    claim = {"resourceType": "Claim", "id": "c", "patient": {"display": "Zephyrine Quabbin"},
             "provider": {"reference": "Organization/o", "display": "Quabbin Valley Clinic"}}  # fmt: skip
    out = engine()(claim).resource
    assert out["patient"]["display"] == "[PERSON_NAME]"
    assert out["provider"]["display"] == "[ORGANIZATION_NAME]"
    assert engine("KEEP_ALL")(claim).resource["patient"]["display"] == "Zephyrine Quabbin"


@pytest.mark.parametrize(
    "text",
    ["Ermengarde312 O'Ruttledge84", "Ermengarde O'Ruttledge", "ERMENGARDE O'RUTTLEDGE", "O'Ruttledge, Ermengarde",
     "E. O'Ruttledge", "Mrs. Ermengarde Wynne O'Ruttledge", "Ermengarde Vandersloot", "Ermengarde312 alone", "Wynne",
     "ermengarde o'ruttledge", "wynne"],
)  # fmt: skip
def test_patient_names_found_in_any_form(text):
    """The patient's names (all parts, with and without digits, initials, maiden name) are context
    for every resource of the patient: none of these forms survives in a note."""
    obs = {"resourceType": "Observation", "id": "o", "status": "final", "code": {"text": "x"},
           "subject": {"reference": "Patient/p1"}, "note": [{"text": f"Discussed with {text} today."}]}  # fmt: skip
    out = run(engine(), obs).resource["note"][0]["text"]
    for part in ("Ermengarde", "Ruttledge", "Vandersloot", "Wynne"):
        assert part.lower() not in out.lower(), out


@pytest.mark.parametrize("text", ["ermengarde o'ruttledge", "wynne"])
def test_patient_names_the_detector_alone_cannot_know(text):
    """Forms with no shape of a name (lower case, a lone word) are found only through the patient's
    own values: without them the detector keeps them (why the join exists)."""
    obs = {"resourceType": "Observation", "id": "o", "status": "final", "code": {"text": "x"},
           "subject": {"reference": "Patient/p1"}, "note": [{"text": f"Discussed with {text} today."}]}  # fmt: skip
    assert text in engine()(obs).resource["note"][0]["text"]
    assert text not in run(engine(), obs).resource["note"][0]["text"].lower()


def test_job_names_found_capitalised_only():
    """A practitioner's name (the job's names) is found anywhere; a part alone only capitalised."""
    obs = {"resourceType": "Observation", "id": "o", "status": "final", "code": {"text": "x"},
           "performer": [{"reference": "Organization/o", "display": "Tancred Featherstonehaugh, cardiology"}],
           "note": [{"text": "Featherstonehaugh reviewed it. We tancred the tubes."}]}  # fmt: skip
    out = run(engine(), obs).resource
    assert "Tancred" not in out["performer"][0]["display"] and "Featherstonehaugh" not in out["performer"][0]["display"]
    assert out["note"][0]["text"].startswith("[LAST_NAME] reviewed it.") and "tancred the tubes" in out["note"][0]["text"]


def _docref(data: str, content_type: str | None = "text/plain; charset=utf-8", **attachment) -> dict:
    att = {"data": data, "title": "note", **attachment}
    if content_type is not None:
        att["contentType"] = content_type
    return {"resourceType": "DocumentReference", "id": "dr", "status": "current", "subject": {"reference": "Patient/p1"},
            "date": "2015-05-14T10:00:00-04:00", "content": [{"attachment": att}]}  # fmt: skip


NOTE = "2015-05-14\n\n# History of Present Illness\nErmengarde312\n is seen by Dr. Tancred Featherstonehaugh.\nFollow up on 05/28/2015."


@pytest.mark.parametrize("profile", ["BASIC", "CLEAN_ALL"])
def test_text_note_cleaned_and_dates_shift_with_the_record(profile):
    """A text/plain note is decoded, cleaned with the patient's names, its dates shifted by the
    patient's offset (the same as DocumentReference.date), re-encoded; size and hash follow."""
    data = _b64(NOTE)
    res = run(engine(profile), _docref(data, size=len(NOTE), hash="x" * 28)).resource
    att = res["content"][0]["attachment"]
    text = base64.b64decode(att["data"]).decode("utf-8")
    assert "Ermengarde" not in text and "Tancred" not in text and "Featherstonehaugh" not in text
    d = date_offset_days("p1", HASH)
    shifted = datetime.date(2015, 5, 14) + datetime.timedelta(days=d)
    assert text.startswith(shifted.isoformat()) and res["date"].startswith(shifted.isoformat())
    assert (datetime.date(2015, 5, 28) + datetime.timedelta(days=d)).strftime("%m/%d/%Y") in text
    assert "2015-05-14" not in text and "05/28/2015" not in text
    assert int(att["size"]) == len(text.encode("utf-8"))
    if profile == "CLEAN_ALL":  # BASIC removes every base64Binary but a note, the hash included
        assert att["hash"] == base64.b64encode(hashlib.sha1(text.encode("utf-8")).digest()).decode()
    else:
        assert "hash" not in att


def test_note_kinds():
    """HTML keeps its markup; no content type: UTF-8 text is a note, bytes are a binary (BASIC
    removes, CLEAN_ALL keeps); declared text that is not UTF-8 is removed and counted; KEEP_ALL keeps."""
    html = _b64("<html><body><p>Dr. Tancred Featherstonehaugh saw <b>Ermengarde312</b> on 2015-05-14</p></body></html>")
    out = base64.b64decode(run(engine(), _docref(html, "text/html")).resource["content"][0]["attachment"]["data"]).decode()
    xml.dom.minidom.parseString(out)
    assert "<b>[FIRST_NAME]</b>" in out and "Tancred" not in out and "2015-05-14" not in out
    bare = run(engine(), _docref(_b64(NOTE), None)).resource["content"][0]["attachment"]
    assert "Ermengarde" not in base64.b64decode(bare["data"]).decode()
    png = base64.b64encode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR").decode()
    assert "data" not in run(engine(), _docref(png, None)).resource["content"][0]["attachment"]
    assert run(engine(), _docref(png, "image/png")).resource["content"][0]["attachment"].get("data") is None
    assert run(engine("CLEAN_ALL"), _docref(png, "image/png")).resource["content"][0]["attachment"]["data"] == png
    latin = base64.b64encode("Ermengarde \xe9t\xe9".encode("latin-1")).decode()
    result = run(engine(), _docref(latin, "text/plain"))
    assert "data" not in result.resource["content"][0]["attachment"] and result.counters["text_attachments_removed"] == 1
    assert run(engine(), _docref(latin, "text/plain; charset=ISO-8859-1")).counters["text_attachments_cleaned"] == 1
    assert run(engine("KEEP_ALL"), _docref(_b64(NOTE))).resource["content"][0]["attachment"]["data"] == _b64(NOTE)


def test_clean_all_keeps_codes_uris_and_types_valid():
    """CLEAN_ALL cleans free text only: name.use stays a code, systems stay uris, identifiers are
    hashed (not [MEDICAL_RECORD_NUMBER]); every leaf fits its R4 type."""
    p = {**PATIENT, "identifier": [{"system": "http://hl7.org/fhir/sid/us-ssn", "value": "999-12-3456"}],
         "telecom": [{"system": "phone", "value": "555-201-3344", "use": "home"}],
         "text": {"status": "generated", "div": '<div xmlns="http://www.w3.org/1999/xhtml">Ermengarde312 O\'Ruttledge84, see https://example.org/x</div>'},
         "communication": [{"language": {"coding": [{"system": "urn:ietf:bcp:47", "code": "en-US"}], "text": "English"}}],
         "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/patient-mothersMaidenName", "valueString": "Isolde Pettigrew"}]}  # fmt: skip
    out = engine("CLEAN_ALL", fhirFieldConfig={"profileType": "CLEAN_ALL", "options": {"keepExtensions": {}}})(p).resource
    assert invariant_problems(out) == []
    assert [n["use"] for n in out["name"]] == ["official", "maiden"] and out["name"][0]["family"] == "[PERSON_NAME]"
    assert out["identifier"][0]["system"] == "http://hl7.org/fhir/sid/us-ssn" and "[" not in out["identifier"][0]["value"]
    assert out["communication"][0]["language"]["coding"][0] == {"system": "urn:ietf:bcp:47", "code": "en-US"}
    assert out["extension"][0]["valueString"] == "[PERSON_NAME]"  # a kept extension's name is context too
    loc = {"resourceType": "Location", "id": "l", "name": "Home", "position": {"longitude": -71.1, "latitude": 42.3}}
    for profile in ("BASIC", "CLEAN_ALL"):
        assert "position" not in engine(profile)(loc).resource  # removed, not left as masked extensions


def test_imaging_study_oid_identifier_is_the_dicom_uid():
    """An ImagingStudy identifier urn:oid:<uid> of system urn:ietf:rfc:3986 maps as dicom-deid maps the UID."""
    uid = "1.2.840.99999999.1234567.1234567890"
    study = {"resourceType": "ImagingStudy", "id": "s", "status": "available", "subject": {"reference": "Patient/p1"},
             "identifier": [{"system": "urn:ietf:rfc:3986", "value": f"urn:oid:{uid}"}, {"system": "urn:dicom:uid", "value": f"urn:oid:{uid}"}],
             "series": [{"uid": f"{uid}.1", "modality": {"system": "http://dicom.nema.org/resources/ontology/DCM", "code": "CR"}}]}  # fmt: skip
    out = engine()(study).resource
    assert [i["value"] for i in out["identifier"]] == [f"urn:oid:{remap_uid(uid, KEY, DEFAULT_UID_ROOT)}"] * 2
    assert out["series"][0]["uid"] == remap_uid(f"{uid}.1", KEY, DEFAULT_UID_ROOT)
    other = {"resourceType": "DocumentReference", "id": "d", "status": "current", "content": [{"attachment": {"title": "x"}}],
             "identifier": [{"system": "urn:ietf:rfc:3986", "value": f"urn:oid:{uid}"}]}  # fmt: skip
    assert not engine()(other).resource["identifier"][0]["value"].startswith("urn:oid:")  # hashed like any identifier


def test_findings_counted_without_annotations():
    """findings_by_info_type counts every finding whether or not annotations are written."""
    obs = {"resourceType": "Observation", "id": "o", "status": "final", "code": {"text": "x"},
           "subject": {"reference": "Patient/p1", "display": "Ermengarde O'Ruttledge"}, "note": [{"text": "Call 555-201-3344 on 2020-01-02."}]}  # fmt: skip
    counts = run(engine(), obs).findings_by_info_type
    with_annotations = run(engine(annotation={}), obs)
    assert counts == with_annotations.findings_by_info_type and counts["PERSON_NAME"] == 1
    assert counts["PHONE_NUMBER"] == 1 and counts["DATE"] == 1
    assert re.search("PERSON_NAME", str(with_annotations.annotation))


def test_kept_texts_lose_the_exports_names():
    """A text BASIC keeps (DiagnosticReport.conclusion, Dosage.text, Coding.display) still loses a
    name the export holds; other kept texts are unchanged; KEEP_ALL and an explicit keep keep it."""
    report = {"resourceType": "DiagnosticReport", "id": "r", "status": "final", "subject": {"reference": "Patient/p1"},
              "code": {"coding": [{"system": "http://loinc.org", "code": "1", "display": "Chest X-ray"}]},
              "conclusion": "Ermengarde Wynne O'Ruttledge84 has clear lungs; seen with Dr. Featherstonehaugh."}  # fmt: skip
    result = run(engine(), report)
    assert result.resource["conclusion"] == "[PERSON_NAME] has clear lungs; seen with Dr. [LAST_NAME]."
    assert result.resource["code"]["coding"][0]["display"] == "Chest X-ray"
    assert result.counters["residual_names_replaced"] == 2
    assert run(engine("KEEP_ALL"), report).resource["conclusion"] == report["conclusion"]
    keep = engine(fhirFieldConfig={"fieldMetadataList": [{"paths": ["DiagnosticReport.conclusion"], "keepField": {}}]})
    assert run(keep, report).resource["conclusion"] == report["conclusion"]


def test_kept_text_sweep_finds_ideographic_names():
    """A name with no first word to index (ideographic) is still looked for in kept texts."""
    patient = {"resourceType": "Patient", "id": "p9", "name": [{"text": "山田太郎"}]}
    report = {"resourceType": "DiagnosticReport", "id": "r", "status": "final", "subject": {"reference": "Patient/p9"},
              "code": {"text": "x"}, "conclusion": "所見なし。山田太郎様。"}  # fmt: skip
    out = engine()(report, patient_context=context_values(patient, True)).resource["conclusion"]
    assert "山田太郎" not in out and out.startswith("所見なし。")
