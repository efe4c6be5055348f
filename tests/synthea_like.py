"""A Synthea-shaped FHIR R4 export with known people in it (issue 18), for tests and bench/.

Synthea itself (Java) is not on PyPI and carebundle writes neither displays nor notes, so this
writes what a Synthea run writes, in its shapes: one transaction Bundle per patient (``urn:uuid:``
references, Patient with ``official`` and ``maiden`` names, ``Mr.``/``Mrs.`` prefixes and
digit suffixes ``Given30 Family156``, identifiers MRN/SSN/driver's licence/passport, Encounters
whose ``subject.display`` and ``participant.individual.display`` are names, Claims and
ExplanationOfBenefits with ``patient.display`` and a care team, MedicationRequests with a
``requester.display``, CareTeams, Provenance, DocumentReferences and DiagnosticReports whose
base64 ``text/plain`` notes carry the visit date and the given name, an ImagingStudy with a
``urn:oid:`` identifier of system ``urn:ietf:rfc:3986``, Immunizations, Observations, Conditions),
a practitioner Bundle (Practitioner, PractitionerRole) and a hospital Bundle (Organization,
Location) referenced by conditional references ``Practitioner?identifier=...|npi``.

Names come from a ``names`` callable, so the bench can draw them from Faker locales the code
does not ship; the tests pass fixed lists. ``digits=False`` writes names without Synthea's
suffixes. ``truth`` holds every HumanName written and every date of every note.
"""

from __future__ import annotations

import base64
import datetime
import json
import random
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

NPI = "http://hl7.org/fhir/sid/us-npi"
SYNTHEA = "https://github.com/synthetichealth/synthea"
_V2 = "http://terminology.hl7.org/CodeSystem/v2-0203"
_HOSPITALS = ["MOUNT AUBURN HOSPITAL", "BAYSTATE FRANKLIN MEDICAL CENTER", "HALLMARK HEALTH SYSTEM", "CAPE COD HOSPITAL"]
_CITIES = [("Springfield", "MA", "01101"), ("Worcester", "MA", "01601"), ("Lowell", "MA", "01850"), ("Quincy", "MA", "02169")]
_STREETS = ["Kuhn Overpass", "Lemke Lodge", "Rippin Run", "Gulgowski Heights", "Hand Gateway", "Wunsch Ramp"]
_CONDITIONS = [("444814009", "Viral sinusitis (disorder)"), ("195662009", "Acute viral pharyngitis (disorder)"),
               ("10509002", "Acute bronchitis (disorder)"), ("162864005", "Body mass index 30+ - obesity (finding)")]  # fmt: skip
_MEDS = [("313782", "Acetaminophen 325 MG Oral Tablet"), ("308182", "Amoxicillin 250 MG Oral Capsule"),
         ("314076", "lisinopril 10 MG Oral Tablet")]  # fmt: skip


@dataclass
class Person:
    """A person the export names: parts as written (with Synthea digits when on)."""

    given: list[str]
    family: str
    prefix: str = ""

    def text(self) -> str:
        return " ".join(([self.prefix] if self.prefix else []) + self.given[:1] + [self.family])

    def human_name(self, use: str = "official") -> dict:
        name: dict = {"use": use, "family": self.family, "given": list(self.given)}
        if self.prefix:
            name["prefix"] = [self.prefix]
        return name


@dataclass
class Export:
    """The export (file name -> Bundle) and its truth."""

    files: dict[str, dict]
    people: list[Person] = field(default_factory=list)  # every HumanName written (patients, maiden names, practitioners)
    note_dates: dict[str, list[str]] = field(default_factory=dict)  # patient id -> the dates its notes hold
    notes: dict[str, list[str]] = field(default_factory=dict)  # "Type/id" of a resource with a note -> its dates
    patient_ids: list[str] = field(default_factory=list)

    def write_ndjson(self, folder: Path) -> list[Path]:
        """Write Synthea's bulk layout: one ``<Type>.ndjson`` per type, references as written
        (``urn:uuid:`` ones included, which resolve to nothing outside their Bundle)."""
        folder.mkdir(parents=True, exist_ok=True)
        by_type: dict[str, list[str]] = {}
        for _, bundle in sorted(self.files.items()):
            for entry in bundle["entry"]:
                res = entry["resource"]
                by_type.setdefault(res["resourceType"], []).append(json.dumps(res, ensure_ascii=False))
        paths = []
        for rtype, lines in sorted(by_type.items()):
            path = folder / f"{rtype}.ndjson"
            path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
            paths.append(path)
        return paths

    def write(self, folder: Path) -> list[Path]:
        """Write Synthea's layout: one ``.json`` Bundle per patient, practitioners, hospitals."""
        folder.mkdir(parents=True, exist_ok=True)
        paths = []
        for name, bundle in sorted(self.files.items()):
            path = folder / name
            path.write_text(json.dumps(bundle, ensure_ascii=False), encoding="utf-8")
            paths.append(path)
        return paths


def _suffix(rng: random.Random, word: str, digits: bool) -> str:
    return f"{word}{rng.randrange(1, 999)}" if digits else word


def _entry(resource: dict, method: str = "POST") -> dict:
    return {"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource,
            "request": {"method": method, "url": resource["resourceType"]}}  # fmt: skip


def _note(lines: list[str]) -> str:
    return base64.b64encode("\n".join(lines).encode("utf-8")).decode("ascii")


def generate(
    patients: int,
    seed: int,
    names: Callable[[random.Random], tuple[str, str]],
    digits: bool = True,
    practitioners: int = 6,
) -> Export:
    """Return a Synthea-shaped export of ``patients`` patients (deterministic for a seed).

    Parameters
    ----------
    names : callable
        ``names(rng) -> (given, family)``; a family may hold an apostrophe or a space.
    digits : bool
        Append Synthea's digit suffixes to every name part.
    """
    rng = random.Random(seed)

    def uid() -> str:
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))

    def person(prefix: str = "") -> Person:
        given, family = names(rng)
        return Person([_suffix(rng, g, digits) for g in given.split()], _suffix(rng, family, digits), prefix)

    export = Export({})
    orgs, locs = [], []
    hospital_entries = []
    for h in range(2):
        oid, lid = uid(), uid()
        city, state, zip_ = _CITIES[h % len(_CITIES)]
        name = _HOSPITALS[(seed + h) % len(_HOSPITALS)]
        org = {"resourceType": "Organization", "id": oid, "identifier": [{"system": SYNTHEA, "value": oid}], "active": True,
               "type": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/organization-type", "code": "prov", "display": "Healthcare Provider"}], "text": "Healthcare Provider"}],
               "name": name, "telecom": [{"system": "phone", "value": f"413{rng.randrange(1000000, 9999999)}"}],
               "address": [{"line": [f"{rng.randrange(10, 999)} {rng.choice(_STREETS)}"], "city": city, "state": state, "postalCode": zip_, "country": "US"}]}  # fmt: skip
        loc = {"resourceType": "Location", "id": lid, "identifier": [{"system": SYNTHEA, "value": lid}], "status": "active", "name": name,
               "address": {"line": org["address"][0]["line"], "city": city, "state": state, "postalCode": zip_, "country": "US"},
               "position": {"longitude": -71.0 - rng.random(), "latitude": 42.0 + rng.random()},
               "managingOrganization": {"identifier": {"system": SYNTHEA, "value": oid}, "display": name}}  # fmt: skip
        orgs.append(org)
        locs.append(loc)
        hospital_entries += [_entry(org, "PUT"), _entry(loc, "PUT")]
    export.files[f"hospitalInformation{seed}.json"] = {"resourceType": "Bundle", "type": "batch", "entry": hospital_entries}
    doctors = []
    practitioner_entries = []
    for i in range(practitioners):
        doc = person("Dr.")
        npi = str(9999900000 + rng.randrange(0, 99999))
        did = uid()
        gender = rng.choice(["male", "female"])
        prac = {"resourceType": "Practitioner", "id": did, "identifier": [{"system": NPI, "value": npi}], "active": True,
                "name": [doc.human_name()], "gender": gender,
                "telecom": [{"extension": [{"url": "http://hl7.org/fhir/us/core/StructureDefinition/us-core-direct", "valueBoolean": True}],
                             "system": "email", "value": f"{doc.given[0]}.{doc.family}@example.com".replace(" ", "").replace("'", ""), "use": "work"}],
                "address": [orgs[i % 2]["address"][0]]}  # fmt: skip
        role = {"resourceType": "PractitionerRole", "id": uid(), "practitioner": {"identifier": {"system": NPI, "value": npi}, "display": doc.text()},
                "organization": {"identifier": {"system": SYNTHEA, "value": orgs[i % 2]["id"]}, "display": orgs[i % 2]["name"]},
                "code": [{"coding": [{"system": "http://nucc.org/provider-taxonomy", "code": "208D00000X", "display": "General Practice"}], "text": "General Practice"}],
                "location": [{"identifier": {"system": SYNTHEA, "value": locs[i % 2]["id"]}, "display": locs[i % 2]["name"]}]}  # fmt: skip
        doctors.append((doc, npi, i % 2))
        export.people.append(doc)
        practitioner_entries += [_entry(prac, "PUT"), _entry(role, "PUT")]
    export.files[f"practitionerInformation{seed}.json"] = {"resourceType": "Bundle", "type": "batch", "entry": practitioner_entries}
    for p in range(patients):
        export.files[f"patient{p:03d}_{seed}.json"] = _patient_bundle(rng, uid, person, doctors, orgs, locs, export)
    return export


def _patient_bundle(rng, uid, person, doctors, orgs, locs, export: Export) -> dict:
    female = rng.random() < 0.5
    married = rng.random() < 0.5
    me = person("Mrs." if female and married else "Ms." if female else "Mr.")
    pid = uid()
    export.patient_ids.append(pid)
    export.people.append(me)
    birth = datetime.date(1940, 1, 1) + datetime.timedelta(days=rng.randrange(0, 365 * 60))
    city, state, zip_ = rng.choice(_CITIES)
    names = [me.human_name()]
    if female and married:
        maiden = person("Ms.")
        maiden.given = me.given
        names.append(maiden.human_name("maiden"))
        export.people.append(maiden)
    mother = person()
    export.people.append(mother)
    patient = {
        "resourceType": "Patient", "id": pid,
        "meta": {"profile": ["http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient"]},
        "text": {"status": "generated", "div": '<div xmlns="http://www.w3.org/1999/xhtml">Generated by <a href="https://github.com/synthetichealth/synthea">Synthea</a>.Version identifier: v3.0.0\n .   Person seed: 1 Population seed: 2</div>'},
        "extension": [
            {"url": "http://hl7.org/fhir/StructureDefinition/patient-mothersMaidenName", "valueString": f"{mother.given[0]} {mother.family}"},
            {"url": "http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex", "valueCode": "F" if female else "M"},
            {"url": "http://synthetichealth.github.io/synthea/disability-adjusted-life-years", "valueDecimal": round(rng.random(), 6)},
        ],
        "identifier": [
            {"system": SYNTHEA, "value": pid},
            {"type": {"coding": [{"system": _V2, "code": "MR", "display": "Medical Record Number"}], "text": "Medical Record Number"}, "system": "http://hospital.smarthealthit.org", "value": pid},
            {"type": {"coding": [{"system": _V2, "code": "SS", "display": "Social Security Number"}], "text": "Social Security Number"}, "system": "http://hl7.org/fhir/sid/us-ssn", "value": f"999-{rng.randrange(10, 99)}-{rng.randrange(1000, 9999)}"},
            {"type": {"coding": [{"system": _V2, "code": "DL", "display": "Driver's license number"}], "text": "Driver's license number"}, "system": "urn:oid:2.16.840.1.113883.4.3.25", "value": f"S999{rng.randrange(10000, 99999)}"},
            {"type": {"coding": [{"system": _V2, "code": "PPN", "display": "Passport Number"}], "text": "Passport Number"}, "system": "http://standardhealthrecord.org/fhir/StructureDefinition/passportNumber", "value": f"X{rng.randrange(10**7, 10**8)}X"},
        ],
        "name": names,
        "telecom": [{"system": "phone", "value": f"555-{rng.randrange(100, 999)}-{rng.randrange(1000, 9999)}", "use": "home"}],
        "gender": "female" if female else "male",
        "birthDate": birth.isoformat(),
        "address": [{"extension": [{"url": "http://hl7.org/fhir/StructureDefinition/geolocation", "extension": [{"url": "latitude", "valueDecimal": 42.3}, {"url": "longitude", "valueDecimal": -71.1}]}],
                     "line": [f"{rng.randrange(100, 9999)} {rng.choice(_STREETS)} Suite {rng.randrange(1, 99)}"], "city": city, "state": state, "postalCode": zip_, "country": "US"}],
        "maritalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-MaritalStatus", "code": "M" if married else "S", "display": "M" if married else "S"}], "text": "M" if married else "S"},
        "multipleBirthBoolean": False,
        "communication": [{"language": {"coding": [{"system": "urn:ietf:bcp:47", "code": "en-US", "display": "English"}], "text": "English"}}],
    }  # fmt: skip
    entries = [_entry(patient)]
    ref = {"reference": f"urn:uuid:{pid}"}
    display = {"reference": f"urn:uuid:{pid}", "display": me.text()}
    plain = {"reference": f"urn:uuid:{pid}", "display": " ".join(me.given[:1] + [me.family])}
    dates: list[str] = []
    day = birth + datetime.timedelta(days=365 * 18)
    for visit in range(rng.randrange(2, 5)):
        day += datetime.timedelta(days=rng.randrange(20, 700))
        doc, npi, h = rng.choice(doctors)
        start = f"{day.isoformat()}T{rng.randrange(8, 17):02d}:00:00-05:00"
        end = f"{day.isoformat()}T{rng.randrange(17, 20):02d}:15:00-05:00"
        doc_ref = {"reference": f"Practitioner?identifier={NPI}|{npi}", "display": doc.text()}
        org_ref = {"reference": f"Organization?identifier={SYNTHEA}|{orgs[h]['id']}", "display": orgs[h]["name"]}
        loc_ref = {"reference": f"Location?identifier={SYNTHEA}|{locs[h]['id']}", "display": locs[h]["name"]}
        eid = uid()
        enc = {"resourceType": "Encounter", "id": eid, "identifier": [{"use": "official", "system": SYNTHEA, "value": eid}], "status": "finished",
               "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"},
               "type": [{"coding": [{"system": "http://snomed.info/sct", "code": "185349003", "display": "Encounter for check up (procedure)"}], "text": "Encounter for check up (procedure)"}],
               "subject": dict(display), "participant": [{"type": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "code": "PPRF", "display": "primary performer"}], "text": "primary performer"}],
               "period": {"start": start, "end": end}, "individual": dict(doc_ref)}],
               "period": {"start": start, "end": end}, "location": [{"location": dict(loc_ref)}], "serviceProvider": dict(org_ref)}  # fmt: skip
        eref = {"reference": f"urn:uuid:{eid}"}
        code, cname = rng.choice(_CONDITIONS)
        cond = {"resourceType": "Condition", "id": uid(),
                "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "resolved"}]},
                "verificationStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-ver-status", "code": "confirmed"}]},
                "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-category", "code": "encounter-diagnosis", "display": "Encounter Diagnosis"}]}],
                "code": {"coding": [{"system": "http://snomed.info/sct", "code": code, "display": cname}], "text": cname},
                "subject": dict(ref), "encounter": dict(eref), "onsetDateTime": start, "recordedDate": start}  # fmt: skip
        obs = {"resourceType": "Observation", "id": uid(), "status": "final",
               "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "vital-signs", "display": "vital-signs"}]}],
               "code": {"coding": [{"system": "http://loinc.org", "code": "29463-7", "display": "Body Weight"}], "text": "Body Weight"},
               "subject": dict(ref), "encounter": dict(eref), "effectiveDateTime": start, "issued": f"{day.isoformat()}T10:00:00.000-05:00",
               "valueQuantity": {"value": round(50 + rng.random() * 50, 1), "unit": "kg", "system": "http://unitsofmeasure.org", "code": "kg"}}  # fmt: skip
        med_code, med = rng.choice(_MEDS)
        medreq = {"resourceType": "MedicationRequest", "id": uid(), "status": "stopped", "intent": "order",
                  "medicationCodeableConcept": {"coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": med_code, "display": med}], "text": med},
                  "subject": dict(ref), "encounter": dict(eref), "authoredOn": start, "requester": dict(doc_ref),
                  "dosageInstruction": [{"sequence": 1, "asNeededBoolean": True}]}  # fmt: skip
        imm = {"resourceType": "Immunization", "id": uid(), "status": "completed",
               "vaccineCode": {"coding": [{"system": "http://hl7.org/fhir/sid/cvx", "code": "140", "display": "Influenza, seasonal, injectable, preservative free"}], "text": "Influenza, seasonal, injectable, preservative free"},
               "patient": dict(ref), "encounter": dict(eref), "occurrenceDateTime": start, "primarySource": True, "location": dict(loc_ref)}  # fmt: skip
        visit_date = [day.isoformat(), day.strftime("%m/%d/%Y"), day.strftime("%B %-d, %Y")][visit % 3]
        given = me.given[0]
        note = [
            visit_date, "", "# Chief Complaint", "No complaints.", "", "# History of Present Illness", given,
            f" is a {(day - birth).days // 365} year-old non-hispanic white {'female' if female else 'male'}.",
            f"Seen by {doc.text()} at {orgs[h]['name']}.", "", "# Social History",
            f"Patient is {'married' if married else 'single'}. Patient identifies as heterosexual.",
            f"Patient's mother, {mother.given[0]} {mother.family}, was present.", "", "# Assessment and Plan",
            f"Patient is presenting with {cname.lower()}. Follow up on {(day + datetime.timedelta(days=14)).isoformat()}.",
        ]  # fmt: skip
        dates.append(visit_date)
        dates.append((day + datetime.timedelta(days=14)).isoformat())
        docref = {"resourceType": "DocumentReference", "id": uid(),
                  "identifier": [{"system": "urn:ietf:rfc:3986", "value": f"urn:uuid:{uid()}"}], "status": "superseded",
                  "type": {"coding": [{"system": "http://loinc.org", "code": "34117-2", "display": "History and physical note"}]},
                  "category": [{"coding": [{"system": "http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category", "code": "clinical-note", "display": "Clinical Note"}]}],
                  "subject": dict(ref), "date": f"{day.isoformat()}T10:00:00.000-05:00", "author": [dict(doc_ref)], "custodian": dict(org_ref),
                  "content": [{"attachment": {"contentType": "text/plain; charset=utf-8", "data": _note(note)},
                               "format": {"system": "http://ihe.net/fhir/ihe.formatcode.fhir/CodeSystem/formatcode", "code": "urn:ihe:iti:xds:2017:mimeTypeSufficient", "display": "mimeType Sufficient"}}],
                  "context": {"encounter": [dict(eref)], "period": {"start": start, "end": end}}}  # fmt: skip
        report = {"resourceType": "DiagnosticReport", "id": uid(), "status": "final",
                  "category": [{"coding": [{"system": "http://loinc.org", "code": "34117-2", "display": "History and physical note"}]}],
                  "code": {"coding": [{"system": "http://loinc.org", "code": "34117-2", "display": "History and physical note"}]},
                  "subject": dict(ref), "encounter": dict(eref), "effectiveDateTime": start, "issued": f"{day.isoformat()}T10:00:00.000-05:00",
                  "performer": [dict(doc_ref)], "presentedForm": [{"contentType": "text/plain; charset=utf-8", "data": _note(note)}]}  # fmt: skip
        claim = {"resourceType": "Claim", "id": uid(), "status": "active",
                 "type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/claim-type", "code": "professional"}]}, "use": "claim",
                 "patient": dict(plain), "billablePeriod": {"start": start, "end": end}, "created": end, "provider": dict(org_ref),
                 "priority": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/processpriority", "code": "normal"}]},
                 "careTeam": [{"sequence": 1, "provider": dict(doc_ref)}],
                 "insurance": [{"sequence": 1, "focal": True, "coverage": {"display": "Medicaid"}}],
                 "item": [{"sequence": 1, "productOrService": {"coding": [{"system": "http://snomed.info/sct", "code": "185349003", "display": "Encounter for check up (procedure)"}], "text": "Encounter for check up (procedure)"}, "encounter": [dict(eref)]}],
                 "total": {"value": round(rng.random() * 500, 2), "currency": "USD"}}  # fmt: skip
        eob = {"resourceType": "ExplanationOfBenefit", "id": uid(), "status": "active",
               "type": claim["type"], "use": "claim", "patient": dict(plain), "billablePeriod": {"start": start, "end": end}, "created": end,
               "insurer": {"display": "Medicaid"}, "provider": dict(doc_ref), "referral": {"reference": "#1"},
               "contained": [{"resourceType": "ServiceRequest", "id": "1", "status": "completed", "intent": "order", "subject": dict(ref), "requester": dict(doc_ref),
                              "performer": [dict(doc_ref)]}],
               "claim": {"reference": f"urn:uuid:{claim['id']}"}, "outcome": "complete",
               "careTeam": [{"sequence": 1, "provider": dict(doc_ref), "role": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/claimcareteamrole", "code": "primary", "display": "Primary provider"}]}}],
               "insurance": [{"focal": True, "coverage": {"display": "Medicaid"}}]}  # fmt: skip
        entries += [_entry(r) for r in (enc, cond, obs, medreq, imm, docref, report, claim, eob)]
        for holder in (docref, report):
            export.notes[f"{holder['resourceType']}/{holder['id']}"] = dates[-2:]
        if visit == 0:
            study_uid = f"1.2.840.99999999.{rng.randrange(10**6, 10**7)}.{rng.randrange(10**9, 10**10)}"
            study = {"resourceType": "ImagingStudy", "id": uid(),
                     "identifier": [{"use": "official", "system": "urn:ietf:rfc:3986", "value": f"urn:oid:{study_uid}"}], "status": "available",
                     "subject": dict(ref), "encounter": dict(eref), "started": start, "numberOfSeries": 1, "numberOfInstances": 1,
                     "procedureCode": [{"coding": [{"system": "http://snomed.info/sct", "code": "399208008", "display": "Plain chest X-ray (procedure)"}], "text": "Plain chest X-ray (procedure)"}],
                     "location": dict(loc_ref),
                     "series": [{"uid": f"{study_uid}.1", "number": 1, "modality": {"system": "http://dicom.nema.org/resources/ontology/DCM", "code": "CR", "display": "Computed Radiography"},
                                 "numberOfInstances": 1, "bodySite": {"system": "http://snomed.info/sct", "code": "51185008", "display": "Thoracic structure (body structure)"}, "started": start,
                                 "instance": [{"uid": f"{study_uid}.1.1", "sopClass": {"system": "urn:ietf:rfc:3986", "code": "1.2.840.10008.5.1.4.1.1.1.1"}, "number": 1, "title": "Chest X-ray"}]}]}  # fmt: skip
            team = {"resourceType": "CareTeam", "id": uid(), "status": "active", "subject": dict(ref), "encounter": dict(eref),
                    "period": {"start": start}, "participant": [
                        {"role": [{"coding": [{"system": "http://snomed.info/sct", "code": "116154003", "display": "Patient"}], "text": "Patient"}], "member": dict(display)},
                        {"role": [{"coding": [{"system": "http://snomed.info/sct", "code": "223366009", "display": "Healthcare professional (occupation)"}]}], "member": dict(doc_ref)}],
                    "managingOrganization": [dict(org_ref)]}  # fmt: skip
            entries += [_entry(study), _entry(team)]
    prov = {"resourceType": "Provenance", "id": uid(), "target": [{"reference": f"urn:uuid:{pid}"}],
            "recorded": f"{day.isoformat()}T11:00:00.000-05:00",
            "agent": [{"type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/provenance-participant-type", "code": "author", "display": "Author"}]},
                       "who": {"reference": f"Practitioner?identifier={NPI}|{doctors[0][1]}", "display": doctors[0][0].text()},
                       "onBehalfOf": {"reference": f"Organization?identifier={SYNTHEA}|{orgs[0]['id']}", "display": orgs[0]["name"]}}]}  # fmt: skip
    entries.append(_entry(prov))
    export.note_dates[pid] = dates
    return {"resourceType": "Bundle", "type": "transaction", "entry": entries}


def fixed_names(given: list[str], family: list[str]) -> Callable[[random.Random], tuple[str, str]]:
    """A ``names`` callable over fixed lists (the tests' names)."""
    return lambda rng: (rng.choice(given), rng.choice(family))


def leaf_strings(value, path: str = ""):
    """(path, text) of every string leaf of an output resource; a base64 ``data`` leaf also as its
    decoded text when that is UTF-8 (a note)."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaf_strings(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for item in value:
            yield from leaf_strings(item, path)
    elif isinstance(value, str):
        yield path, value
        if path.endswith(".data"):
            try:
                yield path + "#decoded", base64.b64decode(value).decode("utf-8")
            except (ValueError, UnicodeDecodeError):
                pass


def name_parts(people: list[Person]) -> set[str]:
    """Every name part the export holds, as written and without digits (2+ letters)."""
    parts: set[str] = set()
    for p in people:
        for part in p.given + [p.family]:
            for form in (part, re.sub(r"[0-9]+", "", part)):
                for word in [form, *form.split()]:
                    if sum(c.isalpha() for c in word) >= 2 and word.lower() not in _PARTICLES:
                        parts.add(word)
    return parts


def name_leaks(resources: list[dict], people: list[Person]) -> list[tuple[str, str]]:
    """(resource path, name part) for each name part found as a word in an output leaf."""
    parts = sorted(name_parts(people))
    pattern = re.compile(r"(?<![^\W_])(" + "|".join(re.escape(p) for p in parts) + r")(?![^\W\d_])", re.IGNORECASE)
    leaks = []
    for r in resources:
        for path, text in leaf_strings(r):
            for m in pattern.finditer(text):
                leaks.append((f"{r['resourceType']}.{path}", m.group(1)))
    return leaks


DATE_IN_TEXT = re.compile(r"\b(\d{4}-\d{2}-\d{2}|\d{2}/\d{2}/\d{4}|[A-Z][a-z]+ \d{1,2}, \d{4})\b")
_PARTICLES = {"van", "de", "da", "der", "den", "von", "le", "la", "di", "del", "du", "mac", "mc", "ó", "ní", "nic", "ua"}


__all__ = ["DATE_IN_TEXT", "Export", "Person", "fixed_names", "generate", "leaf_strings", "name_leaks", "name_parts"]
