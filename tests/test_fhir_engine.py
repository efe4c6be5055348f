"""Tests for transforms.fhir: the spec's acceptance table (section 11) and the engine's rules, no Beam."""

from __future__ import annotations

import base64
import copy
import datetime
import hashlib
import hmac
import json
import xml.dom.minidom

import pytest

from tests.fhir_factories import MRN_SYSTEM, invariant_problems, sample_patient
from transforms.deid_config import parse_config
from transforms.dicom.cleantext import text_key
from transforms.errors import ConfigError, InvalidResourceError, UnsupportedBundleError
from transforms.fhir.bundle import units
from transforms.fhir.engine import DATA_ABSENT_REASON, FhirDeidentifier
from transforms.fhir.ids import ID_PATTERN, hash_id
from transforms.fhir.ndjson import dumps, parse_resource
from transforms.text.transform import date_offset_days

KEY = b"fhir-test-run-key-0123456789abcdef"
HASH = text_key(KEY)


def engine(config: dict | None = None, **kw) -> FhirDeidentifier:
    return FhirDeidentifier(parse_config(config or {}), KEY, **kw)


def days(d: str, n: int) -> str:
    return (datetime.date.fromisoformat(d) + datetime.timedelta(days=n)).isoformat()


def h(source_id: str) -> str:
    return hash_id(source_id, HASH)


class TestSamplePatient:
    """Acceptance 1 and 2: the documented Patient example."""

    def test_example_1_resource(self):
        """id hashed, name gone, gender kept, dates shifted, address reduced, div cleaned."""
        p = sample_patient()
        out = engine({"annotation": {"storeQuote": True}})(p, source="in.ndjson").resource
        d = date_offset_days(p["id"], HASH)
        assert d != 0
        assert out["id"] == h(p["id"])
        assert "name" not in out
        assert out["gender"] == "female"
        assert out["birthDate"] == days("1980-12-05", d)
        assert out["address"] == [{"use": "home", "type": "both", "state": "CA", "period": {"start": days("1990-12-05", d)}}]
        div = out["text"]["div"]
        assert "[PERSON_NAME]" in div and "Smith" not in div and "Darcy" not in div
        assert f"<b>DateOfBirth</b>: {out['birthDate']}</p>" in div
        assert "Female" in div
        xml.dom.minidom.parseString(div)
        assert invariant_problems(out) == []

    def test_example_1_annotation(self):
        """One key, Patient.text.div: PERSON_NAME 42-54, 42-47, 49-54, DATE 81-91, with quotes."""
        p = sample_patient()
        result = engine({"annotation": {"storeQuote": True}})(p, source="in.ndjson")
        details = result.annotation["textAnnotation"]["details"]
        assert list(details) == ["Patient.text.div"]
        assert details["Patient.text.div"]["findings"] == [
            {"infoType": "PERSON_NAME", "start": "42", "end": "54", "quote": "Smith, Darcy"},
            {"infoType": "PERSON_NAME", "start": "42", "end": "47", "quote": "Smith"},
            {"infoType": "PERSON_NAME", "start": "49", "end": "54", "quote": "Darcy"},
            {"infoType": "DATE", "start": "81", "end": "91", "quote": "1980-12-05"},
        ]
        assert result.annotation["annotationSource"]["cloudHealthcareSource"]["name"] == f"in.ndjson/fhir/Patient/{p['id']}"
        assert result.annotation["customData"] == {"outputResource": f"Patient/{h(p['id'])}"}

    def test_example_1_documented_legacy_form_and_no_quote(self):
        """The documented {"fhir": {}, store_quote "true"} gives the same; storeQuote false: no quote."""
        p = sample_patient()
        a = engine({"annotation": {"storeQuote": True}})(p)
        b = engine({"fhir": {}, "annotation": {"annotation_store_name": "projects/x/annotationStores/y", "store_quote": "true"}})(p)
        assert dumps(a.resource) == dumps(b.resource) and a.annotation == b.annotation
        c = engine({"annotation": {"storeQuote": False}})(p)
        findings = c.annotation["textAnnotation"]["details"]["Patient.text.div"]["findings"]
        assert [f["start"] for f in findings] == ["42", "42", "49", "81"]
        assert all("quote" not in f for f in findings)

    def test_example_1_lowercase_keys(self):
        """--lowercase_annotation_keys writes the documentation's patient.text.div."""
        result = engine({"annotation": {}}, lowercase_annotation_keys=True)(sample_patient())
        assert list(result.annotation["textAnnotation"]["details"]) == ["patient.text.div"]

    def test_example_2_inspect_address_text(self):
        """INSPECT_AND_TRANSFORM on Patient.address.text: [STREET_ADDRESS], second key 0-46."""
        cfg = {
            "fhir": {"fieldMetadataList": [{"paths": ["Patient.address.text"], "action": "INSPECT_AND_TRANSFORM"}]},
            "annotation": {"storeQuote": True},
        }
        result = engine(cfg)(sample_patient())
        address = result.resource["address"][0]
        assert address["text"] == "[STREET_ADDRESS]"
        assert not {"line", "city", "district", "postalCode"} & set(address)
        details = result.annotation["textAnnotation"]["details"]
        assert list(details) == ["Patient.text.div", "Patient.address[0].text"]
        assert details["Patient.address[0].text"]["findings"] == [
            {"infoType": "STREET_ADDRESS", "start": "0", "end": "46", "quote": "123 Main Street Anycity, Anydistrict, CA 12345"}
        ]


def test_example_3_gender_rules_first_match_wins():
    """Patient.gender kept, AdministrativeGenderCode removed elsewhere; swapped, both go."""
    p = sample_patient()
    p["contact"] = [{"gender": "male"}]
    keep_first = [{"paths": ["Patient.gender"], "keepField": {}}, {"paths": ["AdministrativeGenderCode"], "removeField": {}}]
    out = engine({"fhirFieldConfig": {"fieldMetadataList": keep_first}})(p).resource
    assert out["gender"] == "female"
    assert "contact" not in out
    out = engine({"fhirFieldConfig": {"fieldMetadataList": keep_first[::-1]}})(p).resource
    assert "gender" not in out and "contact" not in out


def _p1_and_observation():
    ident = {"system": MRN_SYSTEM, "value": "MRN-0001"}
    patient = {"resourceType": "Patient", "id": "p1", "identifier": [dict(ident)]}
    obs = {
        "resourceType": "Observation",
        "id": "o1",
        "status": "final",
        "code": {"text": "x"},
        "subject": {"reference": "Patient/p1", "identifier": dict(ident)},
    }
    return patient, obs


def test_example_4_crypto_hash_with_a_key_and_links():
    """Identifier values are base64 HMAC(K, MRN-0001); ids and the subject link hash alike."""
    k = bytes(range(32))
    cfg = {
        "fhirFieldConfig": {
            "fieldMetadataList": [{"paths": ["Identifier.value"], "cryptoHashField": {}}],
            "options": {"cryptoHashConfig": {"cryptoKey": base64.b64encode(k).decode()}},
        }
    }
    e = engine(cfg)
    patient, obs = _p1_and_observation()
    want = base64.b64encode(hmac.new(k, b"MRN-0001", hashlib.sha256).digest()).decode()
    p_out, o_out = e(patient).resource, e(obs).resource
    assert p_out["identifier"][0]["value"] == want
    assert o_out["subject"]["identifier"]["value"] == want
    assert p_out["id"] == hash_id("p1", k)
    assert o_out["subject"]["reference"] == f"Patient/{p_out['id']}"


def _observations_of_p1():
    base = {"resourceType": "Observation", "status": "final", "code": {"text": "x"}, "subject": {"reference": "Patient/p1"}}
    return [
        {**base, "id": "a", "effectiveDateTime": "2020-03-01T09:30:00-05:00"},
        {**base, "id": "b", "effectivePeriod": {"start": "2020-03-02", "end": "2020-03-04"}, "issued": "2020-03-05T10:00:00.000Z"},
        {**base, "id": "c", "effectiveDateTime": "2020-03"},
        {**base, "id": "d", "subject": {"reference": "Patient/p2"}, "effectiveDateTime": "2020-03-01"},
    ]


def test_example_5_keep_all_with_date_shift():
    """KEEP_ALL + dateShiftField: p1's dates move by d1 at their precision, p2's by d2, ids kept."""
    cfg = {"fhirFieldConfig": {"profileType": "KEEP_ALL", "fieldMetadataList": [{"paths": ["Date", "DateTime", "Instant"], "dateShiftField": {}}]}}
    e = engine(cfg)
    a, b, c, d_ = (e(o).resource for o in _observations_of_p1())
    d1, d2 = date_offset_days("p1", HASH), date_offset_days("p2", HASH)
    assert d1 != d2
    assert a["effectiveDateTime"] == days("2020-03-01", d1) + "T09:30:00-05:00"
    assert b["effectivePeriod"] == {"start": days("2020-03-02", d1), "end": days("2020-03-04", d1)}
    assert b["issued"] == days("2020-03-05", d1) + "T10:00:00.000Z"
    assert c["effectiveDateTime"] == days("2020-03-15", d1)[:7]
    assert d_["effectiveDateTime"] == days("2020-03-01", d2)
    assert [a["id"], b["id"], c["id"]] == ["a", "b", "c"]
    again = engine(cfg)
    assert [dumps(again(o).resource) for o in _observations_of_p1()] == [dumps(x) for x in (a, b, c, d_)]


def test_example_6_patient_key_system_keys_on_the_mrn():
    """With the MRN system, p1's dates shift by date_offset_days("MRN-0001", text key)."""
    patient, obs = _p1_and_observation()
    patient["birthDate"] = "1970-01-02"
    obs["effectiveDateTime"] = "2020-03-01"
    e = engine({}, patient_key_system=MRN_SYSTEM)
    d = date_offset_days("MRN-0001", HASH)
    assert e(patient).resource["birthDate"] == days("1970-01-02", d)
    assert e(obs).resource["effectiveDateTime"] == days("2020-03-01", d)
    del obs["subject"]["identifier"]  # from the join instead; else the source id, counted
    assert e(obs, patient_value="MRN-0001").resource["effectiveDateTime"] == days("2020-03-01", d)
    fallback = e(obs)
    assert fallback.resource["effectiveDateTime"] == days("2020-03-01", date_offset_days("p1", HASH))
    assert fallback.counters["patient_key_fallbacks"] == 1


def test_example_7_transaction_bundle_without_ids():
    """Bundle entries without id get h(fullUrl); urn:uuid references point at them."""
    bundle = {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [
            {"fullUrl": "urn:uuid:A", "resource": {"resourceType": "Patient", "birthDate": "1980-01-01"}, "request": {"method": "POST", "url": "Patient"}},
            {
                "fullUrl": "urn:uuid:B",
                "resource": {"resourceType": "Observation", "status": "final", "code": {"text": "x"}, "subject": {"reference": "urn:uuid:A"}, "effectiveDateTime": "2020-01-01"},
                "request": {"method": "POST", "url": "Observation"},
            },
        ],
    }
    e = engine()
    found = units(bundle, e.output_id)
    outs = [e(u.resource, bundle=u.bundle, bundle_patients=u.bundle_patients, full_url=u.full_url).resource for u in found]
    patient, obs = outs
    assert patient["id"] == h("urn:uuid:A") and ID_PATTERN.fullmatch(patient["id"])
    assert obs["subject"]["reference"] == f"Patient/{patient['id']}"
    shift = date_offset_days("urn:uuid:A", HASH)  # the Patient entry's key: its fullUrl
    assert patient["birthDate"] == days("1980-01-01", shift)
    assert obs["effectiveDateTime"] == days("2020-01-01", shift)
    assert "request" not in json.dumps(outs)


def test_other_bundle_types_fail():
    """A document or history Bundle is not unwrapped: the line fails."""
    with pytest.raises(UnsupportedBundleError):
        units({"resourceType": "Bundle", "type": "document", "entry": []}, engine().output_id)


def test_example_8_fhir_with_fhir_field_config_is_rejected():
    """fhir with fhirFieldConfig: one message naming both fields."""
    with pytest.raises(ConfigError) as info:
        parse_config({"fhir": {}, "fhirFieldConfig": {}})
    assert any("fhir" in p and "fhirFieldConfig" in p for p in info.value.problems)


def test_example_9_paths_checked_with_json_paths():
    """cryptoHash on a date by name, and a path matching no R4 element, each at its JSON path."""
    cfg = {"fhirFieldConfig": {"fieldMetadataList": [{"paths": ["Patient.birthDate"], "cryptoHashField": {}}, {"paths": ["Patient.adress"], "removeField": {}}]}}
    with pytest.raises(ConfigError) as info:
        parse_config(cfg)
    problems = info.value.problems
    assert any(p.startswith("config.fhirFieldConfig.fieldMetadataList[0].paths[0]:") for p in problems)
    assert any(p.startswith("config.fhirFieldConfig.fieldMetadataList[1].paths[0]:") for p in problems)
    assert not any("1980" in p for p in problems)


@pytest.mark.parametrize(
    "entry, message",
    [
        ({"paths": [], "removeField": {}}, "needs at least one path"),
        ({"paths": ["Patient..name"], "removeField": {}}, "empty component"),
        ({"paths": ["Patient.city"], "removeField": {}}, "matches no FHIR R4 element"),
        ({"paths": ["Patient.name"]}, "exactly one action"),
        ({"paths": ["Patient.name"], "removeField": {}, "keepField": {}}, "exactly one action"),
    ],
)
def test_bad_field_entries(entry, message):
    """Entries without paths or with zero or several actions, and bad paths, are rejected."""
    with pytest.raises(ConfigError, match=message):
        parse_config({"fhirFieldConfig": {"fieldMetadataList": [entry]}})


def test_path_ending_in_a_type_skips_leaves_it_cannot_take():
    """cryptoHashField on Patient.HumanName is fine; on Date by type it just skips nothing-to-hash."""
    parse_config({"fhirFieldConfig": {"fieldMetadataList": [{"paths": ["Patient.HumanName", "Address.String"], "cryptoHashField": {}}]}})


def test_choice_and_skipped_leading_steps():
    """Deceased.Age.unit and deceasedAge name the choice; Address.city matches Patient.address.city."""
    parse_config({"fhirFieldConfig": {"fieldMetadataList": [{"paths": ["Deceased.Age.unit", "deceasedAge", "Address.city"], "removeField": {}}]}})
    cfg = {"fhirFieldConfig": {"profileType": "KEEP_ALL", "fieldMetadataList": [{"paths": ["deceasedDateTime"], "removeField": {}}]}}
    out = engine(cfg)({"resourceType": "Patient", "id": "x", "deceasedDateTime": "2020-01-01", "deceasedBoolean": True} | {}).resource
    assert "deceasedDateTime" not in out and out["deceasedBoolean"] is True


def test_extensions_removed_unless_kept_or_matched():
    """Extensions go in every profile (counted) unless keepExtensions or a list entry matches inside."""
    p = {
        "resourceType": "Patient",
        "id": "x",
        "extension": [{"url": "http://example.org/a", "valueString": "Darcy Smith"}],
        "modifierExtension": [{"url": "http://example.org/b", "valueBoolean": True}],
        "birthDate": "1980-12-05",
        "_birthDate": {"extension": [{"url": "http://example.org/t", "valueDateTime": "1980-12-05T08:00:00Z"}]},
    }
    result = engine({"fhirFieldConfig": {"profileType": "KEEP_ALL"}})(p)
    assert not {"extension", "modifierExtension", "_birthDate"} & set(result.resource)
    assert result.counters["extensions_removed"] == 2 and result.counters["modifier_extensions_removed"] == 1
    kept = engine({"fhirFieldConfig": {"options": {"keepExtensions": {}}}})(p).resource
    assert kept["extension"][0]["valueString"] == "[PERSON_NAME]"  # value.String is cleaned text
    assert kept["_birthDate"]["extension"][0]["valueDateTime"].endswith("T08:00:00Z")
    assert kept["_birthDate"]["extension"][0]["valueDateTime"] != "1980-12-05T08:00:00Z"
    matched = engine({"fhirFieldConfig": {"fieldMetadataList": [{"paths": ["Extension.value.String"], "keepField": {}}]}})(p).resource
    assert matched["extension"] == p["extension"] and "modifierExtension" not in matched


def test_required_element_kept_as_data_absent_reason():
    """Removing Task.input.value[x] (min 1) leaves the data-absent-reason extension."""
    task = {
        "resourceType": "Task",
        "id": "t",
        "status": "draft",
        "intent": "order",
        "input": [{"type": {"text": "note"}, "valueString": "call Darcy Smith"}],
    }
    cfg = {"fhirFieldConfig": {"fieldMetadataList": [{"paths": ["Task.input.value"], "removeField": {}}]}}
    out = engine(cfg)(task).resource
    assert invariant_problems(out) == []
    assert "valueString" not in out["input"][0]
    assert out["input"][0]["_valueString"]["extension"][0] == {"url": DATA_ABSENT_REASON, "valueCode": "masked"}


def test_references_all_forms():
    """Type/id, absolute, _history and #id resolve; conditional and unknown urn are removed, counted."""
    report = {
        "resourceType": "DiagnosticReport",
        "id": "r",
        "status": "final",
        "code": {"text": "x"},
        "contained": [{"resourceType": "Observation", "id": "c1", "status": "final", "code": {"text": "y"}}],
        "subject": {"reference": "http://fhir.example/base/Patient/p1/_history/3", "display": "Darcy Smith"},
        "result": [{"reference": "#c1"}, {"reference": "Observation?code=123"}, {"reference": "urn:uuid:nowhere", "display": "z"}],
        "performer": [{"reference": "Practitioner/dr1"}],
    }
    result = engine()(report)
    out = result.resource
    assert out["contained"][0]["id"] == h("c1")
    assert out["subject"]["reference"] == f"Patient/{h('p1')}"
    assert out["subject"]["display"] == "[PERSON_NAME]"
    assert out["result"][0] == {"reference": f"#{h('c1')}"}
    assert out["result"][1:] == [{"display": "z"}]  # the conditional one is left empty and removed
    assert result.counters["references_unresolved"] == 2
    assert out["performer"] == [{"reference": f"Practitioner/{h('dr1')}"}]


def test_imaging_study_uids_regenerated_like_dicom():
    """series/instance UIDs and the urn:dicom:uid identifier map as dicom-deid's remap_uid does."""
    from transforms.dicom.uids import remap_uid

    study = {
        "resourceType": "ImagingStudy",
        "id": "s",
        "status": "available",
        "subject": {"reference": "Patient/p1"},
        "identifier": [{"system": "urn:dicom:uid", "value": "urn:oid:1.2.3.4"}],
        "series": [{"uid": "1.2.3.4.5", "modality": {"code": "CT"}, "instance": [{"uid": "1.2.3.4.5.6", "sopClass": {"code": "1.2"}}]}],
    }
    out = engine()(study).resource
    assert out["identifier"][0]["value"] == "urn:oid:" + remap_uid("1.2.3.4", KEY)
    assert out["series"][0]["uid"] == remap_uid("1.2.3.4.5", KEY)
    assert out["series"][0]["instance"][0]["uid"] == remap_uid("1.2.3.4.5.6", KEY)


def test_invalid_dates_removed_and_counted():
    """An invalid date is removed and counted, never kept."""
    result = engine()({"resourceType": "Patient", "id": "x", "birthDate": "1980-13-45"})
    assert "birthDate" not in result.resource and result.counters["invalid_dates_removed"] == 1


def test_unknown_element_fails_without_value():
    """An element R4 does not define fails the resource, naming the path and the key's position,
    never the key (input text) or the value."""
    with pytest.raises(InvalidResourceError, match=r"^Patient: key 3 is not an element of Patient") as info:
        engine()({"resourceType": "Patient", "id": "x", "favouriteColour": "Darcy"})
    assert "Darcy" not in str(info.value) and "favourite" not in str(info.value)


def test_numbers_keep_their_text_and_masks_and_hashes():
    """1.50 stays 1.50; masks, hashes on oid/uuid/id and CLEAN_ALL keep types valid."""
    line = '{"resourceType":"Observation","id":"o","status":"final","code":{"text":"Darcy Smith"},"valueQuantity":{"value":1.50,"unit":"mg"}}'
    out = dumps(engine({"fhirFieldConfig": {"profileType": "KEEP_ALL"}})(parse_resource(line)).resource)
    assert out == line
    cfg = {"fhirFieldConfig": {"profileType": "KEEP_ALL", "fieldMetadataList": [{"paths": ["CodeableConcept.text"], "characterMaskField": {}}, {"paths": ["Resource.id"], "cryptoHashField": {}}], "options": {"characterMaskConfig": {"maskingCharacter": "#"}}}}
    res = engine(cfg)(parse_resource(line)).resource
    assert res["code"]["text"] == "#" * len("Darcy Smith")
    assert ID_PATTERN.fullmatch(res["id"]) and res["valueQuantity"]["value"] == "1.50"


def test_contextual_deid_marks_context_findings_ctx():
    """With contextualDeid the resource's own values found in cleaned text become [CTX]."""
    p = copy.deepcopy(sample_patient())
    out = engine({"fhirFieldConfig": {"options": {"contextualDeid": {}}}, "annotation": {}})(p)
    assert "[CTX]" in out.resource["text"]["div"]
    findings = out.annotation["textAnnotation"]["details"]["Patient.text.div"]["findings"]
    assert findings[0]["infoType"] == "PERSON_NAME"  # the annotation keeps the detected infoType
    org = {"resourceType": "Organization", "id": "o", "name": "Acme Clinic", "text": {"status": "generated", "div": "<div>Acme Clinic, Mr. John Doe</div>"}}
    div = engine({"fhirFieldConfig": {"options": {"contextualDeid": {}}}})(org).resource["text"]["div"]
    assert "[CTX]" not in div and "[ORGANIZATION_NAME]" in div and "[PERSON_NAME]" in div  # a kept field is not CTX


def test_clean_all_cleans_text_keeps_links():
    """CLEAN_ALL cleans string leaves, still hashes ids and references, keeps booleans."""
    obs = {"resourceType": "Observation", "id": "o", "status": "final", "code": {"text": "x"}, "subject": {"reference": "Patient/p1"}, "valueString": "Seen by Dr. Alan Grant", "valueBoolean": True} 
    del obs["valueBoolean"]
    out = engine({"fhirFieldConfig": {"profileType": "CLEAN_ALL"}})(obs).resource
    assert out["id"] == h("o") and out["subject"]["reference"] == f"Patient/{h('p1')}"
    assert "Grant" not in out["valueString"]


@pytest.mark.parametrize(
    "value, type_code, days_, expected",
    [
        ("2020", "date", 100, "2020"),
        ("2020-03", "dateTime", 20, "2020-04"),
        ("2020-12-31", "date", 1, "2021-01-01"),
        ("2020-03-01T23:59:60.123+14:00", "dateTime", -1, "2020-02-29T23:59:60.123+14:00"),
        ("2020-03-01T10:00:00Z", "instant", 2, "2020-03-03T10:00:00Z"),
    ],
)
def test_fhir_date_precision(value, type_code, days_, expected):
    """Precision kept: a year stays, a month follows its 15th, time and zone as written."""
    from transforms.fhir.dates import shift_fhir_date

    assert shift_fhir_date(value, days_, type_code) == expected


@pytest.mark.parametrize(
    "value, type_code",
    [("2020-03-01", "instant"), ("2020-03-01T10:00:00Z", "date"), ("2020-02-30", "date"), ("2020-03-01T25:00:00Z", "dateTime"), ("0000", "date")],
)
def test_invalid_fhir_dates(value, type_code):
    """Values invalid for their type raise (the engine removes and counts them)."""
    from transforms.fhir.dates import shift_fhir_date

    with pytest.raises(ValueError):
        shift_fhir_date(value, 5, type_code)


def test_primitive_arrays_keep_their_extension_arrays_aligned():
    """given/_given stay aligned when extensions are kept and a value is removed."""
    name_ext = {"url": "http://example.org/n", "valueCode": "x"}
    p = {"resourceType": "Patient", "id": "x", "name": [{"given": ["A", "B"], "_given": [None, {"extension": [name_ext]}]}]}
    cfg = {"fhirFieldConfig": {"profileType": "KEEP_ALL", "options": {"keepExtensions": {}}}}
    assert engine(cfg)(p).resource["name"] == p["name"]
    cfg["fhirFieldConfig"]["fieldMetadataList"] = [{"paths": ["HumanName.given"], "characterMaskField": {}}]
    out = engine(cfg)(p).resource["name"][0]
    assert out["given"] == ["*", "*"]  # the rule covers the _given extensions too (they belong to given)
    assert out["_given"][0] is None and out["_given"][1]["extension"][0]["valueCode"] == "*"


def test_narrative_replacements_never_eat_markup():
    """A name across inline tags is replaced run by run; the narrative stays well-formed XHTML."""
    p = {
        "resourceType": "Patient",
        "id": "x",
        "name": [{"family": "Smith", "given": ["Darcy"]}],
        "text": {"status": "generated", "div": '<div xmlns="http://www.w3.org/1999/xhtml"><p>Seen: <b>Darcy</b> Smith &amp; co, <i title="Darcy Smith">x</i></p><!-- Darcy Smith --></div>'},
    }
    div = engine()(p).resource["text"]["div"]
    xml.dom.minidom.parseString(div)
    assert "Darcy" not in div and "Smith" not in div and "<!--" not in div  # comments are not inspected: dropped
    assert div.startswith('<div xmlns="http://www.w3.org/1999/xhtml"><p>Seen: <b>[PERSON_NAME]</b> [PERSON_NAME] &amp; co')


def test_snake_case_names_and_unknown_fields():
    """snake_case names are accepted; unknown fields are rejected at their JSON path."""
    spec = parse_config({"fhir_field_config": {"profile_type": "KEEP_ALL", "field_metadata_list": [{"paths": ["Patient.name"], "remove_field": {}}]}})
    assert spec.fhir.profile == "KEEP_ALL" and spec.fhir.rules[0].action == "removeField"
    with pytest.raises(ConfigError, match=r"config\.fhirFieldConfig\.options\.keepExtension: unknown field"):
        parse_config({"fhirFieldConfig": {"options": {"keepExtension": {}}}})
    with pytest.raises(ConfigError, match=r"config\.fhir\.fieldMetadataList\[0\]\.action: expected one of"):
        parse_config({"fhir": {"fieldMetadataList": [{"paths": ["Patient.name"], "action": "REDACT"}]}})
