"""Generate a small, deterministic, synthetic DICOM archive full of fake PHI.

This is the bundled sample archive that the README's run command de-identifies,
and the generator the benchmark uses to build its 2,000-instance corpus.  Every
patient, physician, institution, phone number, address and identifier in it is
invented; they are planted everywhere a de-identifier has to find them:

* the usual Patient, Study, Series and Equipment attributes (names, IDs, dates,
  times, addresses, phone numbers, accession numbers, station names, serials);
* free text (StudyDescription, SeriesDescription, ImageComments,
  AdditionalPatientHistory, PatientComments, ProtocolName) naming the patient;
* sequences, some nested (OtherPatientIDsSequence,
  ReferringPhysicianIdentificationSequence, RequestAttributesSequence,
  PhysiciansReadingStudyIdentificationSequence, ReferencedStudySequence,
  ReferencedImageSequence);
* a private block (group 0x0011, creator ``ACME_SAMPLE_PRIVATE``) holding the
  name, the ID, a UN blob, a private sequence and a copy of a UID;
* an overlay plane (group 0x6000) on CT instances whose description names the
  patient;
* the file meta SourceApplicationEntityTitle (an institution AE title).

Pixel data are cheap synthetic images (an ellipse or a fan plus noise); no text
is burnt into the pixels.  Modalities cycle CT, MR, US, SC (Modality ``OT``)
across series.  Most series are Explicit VR Little Endian; one series in every
three studies is Implicit VR Little Endian, and the last series of the archive
is RLE Lossless when pydicom's built-in RLE encoder is usable.

The same arguments and seed always give byte-identical files: all randomness
comes from ``random.Random(seed)`` and ``numpy.random.default_rng`` seeded from
it, and UIDs are derived from the seed with ``generate_uid(entropy_srcs=...)``.

Usage::

    python tools/make_sample.py --out DIR [--studies 3] [--series-per-study 2]
        [--instances-per-series 4] [--seed 1] [--rows 512] [--cols 512]

writes ``DIR/stNNNN/seNN/imNNNN.dcm`` and prints ``{"out": DIR, "files": N}``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from pathlib import Path
from typing import NamedTuple, Sequence

import numpy as np
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import (
    ExplicitVRLittleEndian,
    ImplicitVRLittleEndian,
    RLELossless,
    generate_uid,
)

UID_ROOT = "1.2.826.0.1.3680043.8.498."
IMPLEMENTATION_CLASS_UID = "1.2.826.0.1.3680043.8.498.1"
IMPLEMENTATION_VERSION_NAME = "SAMPLE_GEN_1"
PRIVATE_CREATOR = "ACME_SAMPLE_PRIVATE"
PRIVATE_GROUP = 0x0011
OVERLAY_GROUP = 0x6000
DETACHED_STUDY_CLASS = "1.2.840.10008.3.1.2.3.1"

CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2"
MR_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.4"
US_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.6.1"
SC_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.7"

#: Series kinds in the order they cycle, with their SOP class and Modality value.
KINDS: tuple[tuple[str, str, str], ...] = (
    ("CT", CT_IMAGE_STORAGE, "CT"),
    ("MR", MR_IMAGE_STORAGE, "MR"),
    ("US", US_IMAGE_STORAGE, "US"),
    ("SC", SC_IMAGE_STORAGE, "OT"),
)

# All of these are invented.  The surnames are deliberately unusual so that a
# leak is easy to spot in de-identified output; one of them is non-ASCII.
FAMILY_NAMES: tuple[str, ...] = (
    "Quenneville", "Abernathy-Stroud", "Villaseñor", "Ostrowski", "Pendergrass",
    "Thistlewood", "Marchetti-Vance", "Szczepanski", "Okafor-Lindqvist",
    "Brannigan", "Delacroix-Hume", "Wojtowicz", "Fennimore", "Achterberg",
)
NON_ASCII_FAMILY = "Villaseñor"
GIVEN_NAMES: tuple[tuple[str, str], ...] = (
    ("Maribel", "F"), ("Thaddeus", "M"), ("Ottoline", "F"), ("Evander", "M"),
    ("Philippa", "F"), ("Lucius", "M"), ("Genevieve", "F"), ("Barnaby", "M"),
    ("Rosamund", "F"), ("Leopold", "M"), ("Henrietta", "F"), ("Cassius", "M"),
)
MAIDEN_NAMES: tuple[str, ...] = (
    "Harrowgate", "Kittredge", "Lindenmeyer", "Pevensie", "Carrowmore", "Duquesne",
)
PHYSICIAN_FAMILY: tuple[str, ...] = (
    "Haverkamp", "Lindqvist", "Okonkwo-Baines", "Treadwell", "Fairweather",
    "Castellanos", "Rutherford-Pym", "Ashcombe",
)
PHYSICIAN_GIVEN: tuple[str, ...] = (
    "Cornelius", "Imogen", "Bartholomew", "Rosalind", "Percival", "Winifred",
    "Ambrose", "Clementine",
)
STREETS: tuple[str, ...] = (
    "Larkspur", "Juniper Hollow", "Bellweather", "Cobblestone", "Marrowbone",
    "Quillfeather", "Tamarack", "Wrenfield",
)
STREET_TYPES: tuple[str, ...] = ("Ave", "Lane", "Road", "Street", "Court", "Way")
CITIES: tuple[tuple[str, str, str], ...] = (
    ("Fairhaven", "MA", "02719"), ("Marlow Falls", "NH", "03456"),
    ("Eastbrook", "ME", "04634"), ("Pine Hollow", "VT", "05071"),
)
#: (name, AE-title prefix, station prefix, address)
INSTITUTIONS: tuple[tuple[str, str, str, str], ...] = (
    ("Quenneville Memorial Hospital", "QUENNHOSP", "QMH",
     "1400 Larkspur Ave, Fairhaven, MA 02719"),
    ("Saint Abernathy Regional Medical Center", "STABRMC", "SARMC",
     "77 Bellweather Road, Marlow Falls, NH 03456"),
    ("Ostrowski Valley Imaging Clinic", "OSTVALIMG", "OVIC",
     "9 Tamarack Court, Eastbrook, ME 04634"),
)
PROCEDURES: dict[str, tuple[str, ...]] = {
    "CT": ("CT CHEST", "CT ABDOMEN PELVIS", "CT HEAD"),
    "MR": ("MR BRAIN", "MR LUMBAR SPINE", "MR KNEE"),
    "US": ("US ABDOMEN", "US PELVIS", "US THYROID"),
    "SC": ("OUTSIDE IMAGES", "SCANNED DOCUMENT"),
}
SERIES_LABELS: dict[str, tuple[str, ...]] = {
    "CT": ("AX 5MM", "AX 2.5MM", "COR MPR"),
    "MR": ("AX T1", "AX T2", "SAG FLAIR"),
    "US": ("TRANSVERSE", "LONGITUDINAL"),
    "SC": ("SCREEN SAVE", "KEY IMAGES"),
}


class Patient(NamedTuple):
    """A fake patient."""

    family: str
    given: str
    sex: str
    patient_id: str
    birth_date: dt.date
    address: str
    phone: str
    ssn: str
    mother_name: str

    @property
    def pn(self) -> str:
        """The PN value ``FAMILY^GIVEN``."""
        return f"{self.family}^{self.given}"

    @property
    def non_ascii(self) -> bool:
        """Whether any of the patient's text needs a non-ASCII character set."""
        return not (self.pn + self.address + self.mother_name).isascii()


class Physician(NamedTuple):
    """A fake physician (or technologist)."""

    family: str
    given: str
    npi: str
    phone: str

    @property
    def pn(self) -> str:
        """The PN value ``FAMILY^GIVEN``."""
        return f"{self.family}^{self.given}"

    @property
    def full(self) -> str:
        """``GIVEN FAMILY``."""
        return f"{self.given} {self.family}"


class Study(NamedTuple):
    """The plan of one study."""

    idx: int
    patient: Patient
    uid: str
    start: dt.datetime
    accession: str
    study_id: str
    institution: tuple[str, str, str, str]
    referring: Physician
    reader: Physician
    performer: Physician
    operator: Physician
    procedure: str
    previous_uid: str | None
    requested_id: str
    step_id: str


def _uid(seed: int, *parts: object) -> str:
    """Return a UID under ``UID_ROOT`` derived only from ``seed`` and ``parts``."""
    return generate_uid(
        prefix=UID_ROOT, entropy_srcs=["make_sample", str(seed), *(str(p) for p in parts)]
    )


def _digits(rnd: random.Random, n: int) -> str:
    """Return ``n`` random decimal digits, the first not zero."""
    return str(rnd.randint(1, 9)) + "".join(str(rnd.randint(0, 9)) for _ in range(n - 1))


def _phone(rnd: random.Random) -> str:
    """Return a fictional North American number (555-01xx)."""
    return f"({rnd.randint(201, 989)}) 555-01{rnd.randint(0, 99):02d}"


def _address(rnd: random.Random) -> str:
    """Return a fake street address."""
    city, state, zipcode = rnd.choice(CITIES)
    return (
        f"{rnd.randint(2, 9899)} {rnd.choice(STREETS)} {rnd.choice(STREET_TYPES)}, "
        f"{city}, {state} {zipcode}"
    )


def _make_patients(rnd: random.Random, count: int) -> list[Patient]:
    """Return ``count`` fake patients; the second one has the non-ASCII surname."""
    families = [f for f in FAMILY_NAMES if f != NON_ASCII_FAMILY]
    rnd.shuffle(families)
    families.insert(min(1, len(families)), NON_ASCII_FAMILY)
    givens = list(GIVEN_NAMES)
    rnd.shuffle(givens)
    patients = []
    used_ids: set[str] = set()
    for i in range(count):
        given, sex = givens[i % len(givens)]
        pid = _digits(rnd, 8)
        while pid in used_ids:
            pid = _digits(rnd, 8)
        used_ids.add(pid)
        birth = dt.date(1935, 1, 1) + dt.timedelta(days=rnd.randint(0, 365 * 70))
        patients.append(
            Patient(
                family=families[i % len(families)],
                given=given,
                sex=sex,
                patient_id=pid,
                birth_date=birth,
                address=_address(rnd),
                phone=_phone(rnd),
                ssn=f"9{rnd.randint(0, 99):02d}-{rnd.randint(10, 99)}-{rnd.randint(0, 9999):04d}",
                mother_name=f"{rnd.choice(MAIDEN_NAMES)}^{rnd.choice(PHYSICIAN_GIVEN)}",
            )
        )
    return patients


def _make_physicians(rnd: random.Random) -> list[Physician]:
    """Return the archive's pool of fake physicians and technologists."""
    givens = list(PHYSICIAN_GIVEN)
    rnd.shuffle(givens)
    return [
        Physician(family=f, given=g, npi="1" + _digits(rnd, 9), phone=_phone(rnd))
        for f, g in zip(PHYSICIAN_FAMILY, givens)
    ]


def _age(birth: dt.date, when: dt.date) -> str:
    """Return the DICOM AS age of someone born on ``birth`` at ``when``."""
    years = when.year - birth.year - ((when.month, when.day) < (birth.month, birth.day))
    return f"{max(years, 0):03d}Y"


def _plan_studies(
    seed: int, rnd: random.Random, studies: int, series_per_study: int
) -> list[Study]:
    """Assign patients, dates, institutions and staff to every study."""
    n_patients = max(1, round(0.7 * studies))
    patients = _make_patients(rnd, n_patients)
    staff = _make_physicians(rnd)
    last: dict[str, tuple[str, dt.datetime]] = {}
    plans = []
    for i in range(studies):
        patient = patients[i] if i < n_patients else patients[rnd.randrange(n_patients)]
        previous = last.get(patient.patient_id)
        if previous is None:
            day = dt.date(2015, 1, 1) + dt.timedelta(days=rnd.randint(0, 365 * 6))
        else:
            day = previous[1].date() + dt.timedelta(days=rnd.randint(30, 400))
        start = dt.datetime(day.year, day.month, day.day, rnd.randint(7, 18),
                            rnd.randint(0, 59), rnd.randint(0, 59))
        uid = _uid(seed, "study", i)
        first_kind = KINDS[(i * series_per_study) % len(KINDS)][0]
        referring, reader, performer, operator = rnd.sample(staff, 4)
        plans.append(
            Study(
                idx=i,
                patient=patient,
                uid=uid,
                start=start,
                accession="ACC" + _digits(rnd, 7),
                study_id="S" + _digits(rnd, 6),
                institution=rnd.choice(INSTITUTIONS),
                referring=referring,
                reader=reader,
                performer=performer,
                operator=operator,
                procedure=rnd.choice(PROCEDURES[first_kind]),
                previous_uid=previous[0] if previous else None,
                requested_id="RP" + _digits(rnd, 6),
                step_id="SPS" + _digits(rnd, 6),
            )
        )
        last[patient.patient_id] = (uid, start)
    return plans


def _code_item(value: str, meaning: str) -> Dataset:
    """Return a PersonIdentificationCodeSequence item (local scheme ``L``)."""
    item = Dataset()
    item.CodeValue = value
    item.CodingSchemeDesignator = "L"
    item.CodeMeaning = meaning
    return item


def _rle_works() -> bool:
    """Return whether pydicom's built-in RLE Lossless encoder is usable here."""
    try:
        ds = Dataset()
        ds.file_meta = FileMetaDataset()
        ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds.Rows, ds.Columns, ds.SamplesPerPixel = 4, 4, 1
        ds.PhotometricInterpretation = "MONOCHROME2"
        ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 8, 8, 7, 0
        ds.compress(RLELossless, np.zeros((4, 4), np.uint8), generate_instance_uid=False)
        return ds.file_meta.TransferSyntaxUID == RLELossless
    except Exception:  # noqa: BLE001 - any failure means "skip RLE"
        return False


class _SeriesImages:
    """Cheap synthetic images for one series: a fixed shape plus fresh noise."""

    def __init__(self, kind: str, rows: int, cols: int, rng: np.random.Generator) -> None:
        self.kind = kind
        self.rows, self.cols = rows, cols
        self.rng = rng
        y, x = np.ogrid[0:rows, 0:cols]
        cy = rows * rng.uniform(0.45, 0.55)
        cx = cols * rng.uniform(0.45, 0.55)
        if kind == "US":
            # A fan opening downwards from the top centre.
            ang = np.abs(np.arctan2(x - cx, y + 1.0))
            rad = np.hypot(x - cx, y + 1.0) / rows
            self.field = np.where(ang < 0.6, rad, 9.0).astype(np.float32)
        else:
            ay = rows * rng.uniform(0.30, 0.42)
            ax = cols * rng.uniform(0.30, 0.42)
            self.field = (((y - cy) / ay) ** 2 + ((x - cx) / ax) ** 2).astype(np.float32)

    def image(self, k: int, n: int) -> np.ndarray:
        """Return the ``k``-th of ``n`` images of the series."""
        shape = (self.rows, self.cols)
        thr = np.float32(1.0 - 0.5 * ((k + 0.5) / max(n, 1) - 0.5) ** 2)
        inside = self.field < thr
        if self.kind == "CT":
            noise = self.rng.integers(0, 48, shape, dtype=np.uint16)
            core = self.field < thr * np.float32(0.08)
            img = np.where(inside, np.uint16(1040), np.uint16(0)) + noise
            img[core] += np.uint16(900)
            return img
        if self.kind == "MR":
            noise = self.rng.integers(0, 64, shape, dtype=np.uint16)
            return np.where(inside, np.uint16(700), np.uint16(0)) + noise
        if self.kind == "US":
            noise = self.rng.integers(0, 96, shape, dtype=np.uint8)
            fan = self.field < np.float32(0.95)
            gray = np.where(fan, noise + np.uint8(40), np.uint8(0)).astype(np.uint8)
            gray[inside & fan] //= 3
            return np.stack([gray, gray, gray], axis=-1)
        noise = self.rng.integers(0, 24, shape, dtype=np.uint8)
        return np.where(inside, np.uint8(150), np.uint8(20)) + noise


def _overlay_bytes(rows: int, cols: int) -> bytes:
    """Return packed OverlayData with a small rectangle set, padded to even length."""
    bits = np.zeros((rows, cols), dtype=bool)
    bits[rows // 8: rows // 8 + max(rows // 16, 1), cols // 8: cols // 8 + max(cols // 6, 1)] = 1
    data = np.packbits(bits.ravel(), bitorder="little").tobytes()
    return data + b"\x00" * (len(data) % 2)


def _fmt_date(d: dt.date) -> str:
    """Return a DICOM DA value."""
    return d.strftime("%Y%m%d")


def _fmt_time(t: dt.datetime) -> str:
    """Return a DICOM TM value."""
    return t.strftime("%H%M%S")


def _study_level(ds: Dataset, st: Study) -> None:
    """Set the patient and study attributes of ``ds`` from ``st``."""
    p = st.patient
    sdate = _fmt_date(st.start)
    if p.non_ascii:
        ds.SpecificCharacterSet = "ISO_IR 192"
    ds.InstanceCreationDate = sdate
    ds.StudyDate = sdate
    ds.StudyTime = _fmt_time(st.start)
    ds.AccessionNumber = st.accession
    ds.InstitutionName = st.institution[0]
    ds.InstitutionAddress = st.institution[3]
    ds.ReferringPhysicianName = st.referring.pn
    ds.ReferringPhysicianTelephoneNumbers = st.referring.phone
    ref = Dataset()
    ref.InstitutionName = st.institution[0]
    ref.PersonAddress = st.institution[3]
    ref.PersonTelephoneNumbers = st.referring.phone
    ref.PersonIdentificationCodeSequence = [_code_item(st.referring.npi, st.referring.full)]
    ds.ReferringPhysicianIdentificationSequence = [ref]
    us_date = st.start.strftime("%m/%d/%Y")
    ds.StudyDescription = f"{st.procedure} - {p.family.upper()} {us_date}"
    ds.NameOfPhysiciansReadingStudy = st.reader.pn
    reader = Dataset()
    reader.InstitutionName = st.institution[0]
    reader.PersonIdentificationCodeSequence = [_code_item(st.reader.npi, st.reader.full)]
    ds.PhysiciansReadingStudyIdentificationSequence = [reader]
    if st.previous_uid is not None:
        prev = Dataset()
        prev.ReferencedSOPClassUID = DETACHED_STUDY_CLASS
        prev.ReferencedSOPInstanceUID = st.previous_uid
        ds.ReferencedStudySequence = [prev]
    ds.PatientName = p.pn
    ds.PatientID = p.patient_id
    ds.PatientBirthDate = _fmt_date(p.birth_date)
    ds.PatientSex = p.sex
    ds.OtherPatientIDs = p.ssn
    other = Dataset()
    other.PatientID = p.ssn
    other.IssuerOfPatientID = "US SSA"
    other.TypeOfPatientID = "TEXT"
    ds.OtherPatientIDsSequence = [other]
    ds.PatientMotherBirthName = p.mother_name
    ds.PatientAge = _age(p.birth_date, st.start.date())
    ds.PatientAddress = p.address
    ds.PatientTelephoneNumbers = p.phone
    ds.AdditionalPatientHistory = (
        f"{p.given} {p.family}, DOB {p.birth_date:%m/%d/%Y}, SSN {p.ssn}, seen at "
        f"{st.institution[0]} on {us_date}; referred by Dr. {st.referring.full}."
    )
    ds.PatientComments = (
        f"Lives at {p.address}. Mother's maiden name "
        f"{p.mother_name.split('^')[0]}. Home phone {p.phone}."
    )
    ds.StudyInstanceUID = st.uid
    ds.StudyID = st.study_id


def _series_kind_attrs(ds: Dataset, kind: str, k: int, rows: int, cols: int) -> None:
    """Set the modality-specific image attributes of instance ``k`` (0-based)."""
    if kind in ("CT", "MR"):
        fov = 350.0 if kind == "CT" else 240.0
        thick = 5.0 if kind == "CT" else 4.0
        z = -40.0 - k * thick
        ds.SliceThickness = f"{thick:.1f}"
        ds.ImagePositionPatient = [f"{-fov / 2:.1f}", f"{-fov / 2:.1f}", f"{z:.1f}"]
        ds.ImageOrientationPatient = ["1", "0", "0", "0", "1", "0"]
        ds.SliceLocation = f"{z:.1f}"
        ds.PixelSpacing = [f"{fov / rows:.6g}", f"{fov / cols:.6g}"]
        ds.SamplesPerPixel = 1
        ds.PhotometricInterpretation = "MONOCHROME2"
        ds.BitsAllocated, ds.BitsStored, ds.HighBit = 16, 12, 11
        ds.PixelRepresentation = 0
    if kind == "CT":
        ds.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL"]
        ds.KVP = "120"
        ds.AcquisitionNumber = 1
        ds.RescaleIntercept = "-1024"
        ds.RescaleSlope = "1"
        ds.RescaleType = "HU"
        ds.WindowCenter = "40"
        ds.WindowWidth = "400"
    elif kind == "MR":
        ds.ImageType = ["ORIGINAL", "PRIMARY", "OTHER"]
        ds.ScanningSequence = "SE"
        ds.SequenceVariant = "NONE"
        ds.ScanOptions = ""
        ds.MRAcquisitionType = "2D"
        ds.RepetitionTime = "500"
        ds.EchoTime = "15"
        ds.EchoTrainLength = 1
        ds.MagneticFieldStrength = "1.5"
        ds.ImagedNucleus = "1H"
        ds.SpacingBetweenSlices = "4.0"
        ds.AcquisitionNumber = 1
        ds.WindowCenter = "380"
        ds.WindowWidth = "800"
    elif kind == "US":
        ds.ImageType = ["ORIGINAL", "PRIMARY", "ABDOMINAL", "0001"]
        ds.PatientOrientation = ""
        ds.BurnedInAnnotation = "NO"
        ds.SamplesPerPixel = 3
        ds.PhotometricInterpretation = "RGB"
        ds.PlanarConfiguration = 0
        ds.BitsAllocated, ds.BitsStored, ds.HighBit = 8, 8, 7
        ds.PixelRepresentation = 0
    else:
        ds.ImageType = ["DERIVED", "SECONDARY"]
        ds.ConversionType = "WSD"
        ds.PatientOrientation = ""
        ds.BurnedInAnnotation = "NO"
        ds.SamplesPerPixel = 1
        ds.PhotometricInterpretation = "MONOCHROME2"
        ds.BitsAllocated, ds.BitsStored, ds.HighBit = 8, 8, 7
        ds.PixelRepresentation = 0


def _private_block(ds: Dataset, st: Study) -> None:
    """Add the ACME private block holding copies of identifiers."""
    p = st.patient
    blk = ds.private_block(PRIVATE_GROUP, PRIVATE_CREATOR, create=True)
    blk.add_new(0x01, "LO", f"{p.given} {p.family}")
    raw = f"{p.pn}|{p.patient_id}|{_fmt_date(p.birth_date)}".encode("utf-8")
    blk.add_new(0x02, "UN", raw + b"\x00" * (len(raw) % 2))
    blk.add_new(0x03, "LO", p.patient_id)
    item = Dataset()
    item.AccessionNumber = st.accession
    item.InstitutionName = st.institution[0]
    blk.add_new(0x04, "SQ", [item])
    blk.add_new(0x05, "UI", st.uid)


def _overlay(ds: Dataset, rows: int, cols: int, data: bytes, family: str) -> None:
    """Add a graphics overlay plane in group 0x6000."""
    g = OVERLAY_GROUP << 16
    ds.add_new(g | 0x0010, "US", rows)
    ds.add_new(g | 0x0011, "US", cols)
    ds.add_new(g | 0x0022, "LO", f"Measurement ROI for {family.upper()}")
    ds.add_new(g | 0x0040, "CS", "G")
    ds.add_new(g | 0x0050, "SS", [1, 1])
    ds.add_new(g | 0x0100, "US", 1)
    ds.add_new(g | 0x0102, "US", 0)
    ds.add_new(g | 0x3000, "OW", data)


def make_archive(
    out_dir: str,
    studies: int = 3,
    series_per_study: int = 2,
    instances_per_series: int = 4,
    seed: int = 1,
    rows: int = 512,
    cols: int = 512,
) -> list[str]:
    """Write a synthetic DICOM archive full of fake PHI.

    Parameters
    ----------
    out_dir : str
        Root directory; files go to ``out_dir/stNNNN/seNN/imNNNN.dcm``
        (all numbers 1-based).  Created if missing; existing files with the
        same names are overwritten.
    studies : int
        Number of studies (about 0.7 patients per study).
    series_per_study : int
        Series per study; modalities cycle CT, MR, US, SC across all series.
    instances_per_series : int
        Single-frame instances per series.
    seed : int
        Seed of every random choice and of the UIDs.
    rows, cols : int
        Image size of CT, US and SC images; MR images are half of each.

    Returns
    -------
    list of str
        The paths written, sorted.

    Raises
    ------
    ValueError
        If a count is below 1 or an image dimension below 16.
    """
    if min(studies, series_per_study, instances_per_series) < 1:
        raise ValueError("studies, series and instances must each be at least 1")
    if min(rows, cols) < 16:
        raise ValueError("rows and cols must each be at least 16")
    rnd = random.Random(seed)
    plans = _plan_studies(seed, rnd, studies, series_per_study)
    rle_series = (studies - 1, series_per_study - 1) if _rle_works() else None
    overlay_cache: dict[tuple[int, int], bytes] = {}
    root = Path(out_dir)
    paths: list[str] = []
    for st in plans:
        implicit_series = (st.idx // 3) % series_per_study if st.idx % 3 == 1 else None
        inst = st.institution
        for j in range(series_per_study):
            kind, sop_class, modality = KINDS[(st.idx * series_per_study + j) % len(KINDS)]
            if (st.idx, j) == rle_series:
                tsuid = RLELossless
            elif j == implicit_series:
                tsuid = ImplicitVRLittleEndian
            else:
                tsuid = ExplicitVRLittleEndian
            srows, scols = (max(rows // 2, 8), max(cols // 2, 8)) if kind == "MR" else (rows, cols)
            images = _SeriesImages(kind, srows, scols, np.random.default_rng([seed, st.idx, j]))
            series_uid = _uid(seed, "series", st.idx, j)
            frame_uid = _uid(seed, "frame", st.idx, j)
            series_start = st.start + dt.timedelta(minutes=6 * j + rnd.randint(1, 4))
            label = rnd.choice(SERIES_LABELS[kind])
            ae_title = f"{inst[1]}_{modality}1"
            station = f"{inst[2]}-{modality}-STN{rnd.randint(1, 9):02d}"
            serial = f"SN{rnd.randint(0, 9_999_999):07d}{modality}"
            sdir = root / f"st{st.idx + 1:04d}" / f"se{j + 1:02d}"
            sdir.mkdir(parents=True, exist_ok=True)
            first_sop: str | None = None
            for k in range(instances_per_series):
                sop_uid = _uid(seed, "instance", st.idx, j, k)
                acq = series_start + dt.timedelta(seconds=3 * k)
                created = acq + dt.timedelta(minutes=2)
                ds = Dataset()
                _study_level(ds, st)
                ds.InstanceCreationTime = _fmt_time(created)
                ds.SOPClassUID = sop_class
                ds.SOPInstanceUID = sop_uid
                ds.SeriesDate = _fmt_date(series_start)
                ds.AcquisitionDate = _fmt_date(acq)
                ds.ContentDate = _fmt_date(acq)
                ds.SeriesTime = _fmt_time(series_start)
                ds.AcquisitionTime = _fmt_time(acq)
                ds.ContentTime = _fmt_time(acq)
                ds.Modality = modality
                ds.Laterality = ""
                ds.Manufacturer = "ACME Imaging"
                ds.StationName = station
                ds.SeriesDescription = f"{label} MRN {st.patient.patient_id}"
                ds.PerformingPhysicianName = st.performer.pn
                ds.OperatorsName = st.operator.pn
                ds.ManufacturerModelName = f"Synthetica {modality}"
                if first_sop is not None:
                    ref = Dataset()
                    ref.ReferencedSOPClassUID = sop_class
                    ref.ReferencedSOPInstanceUID = first_sop
                    ds.ReferencedImageSequence = [ref]
                ds.DeviceSerialNumber = serial
                ds.ProtocolName = f"{st.procedure} ({st.patient.family.upper()})"
                if kind in ("CT", "MR"):
                    ds.PatientPosition = "HFS"
                ds.SeriesInstanceUID = series_uid
                ds.SeriesNumber = j + 1
                ds.InstanceNumber = k + 1
                if kind in ("CT", "MR"):
                    ds.FrameOfReferenceUID = frame_uid
                    ds.PositionReferenceIndicator = ""
                ds.ImageComments = (
                    f"Images of {st.patient.given} {st.patient.family}; call "
                    f"{st.patient.phone} with questions."
                )
                req = Dataset()
                req.AccessionNumber = st.accession
                req.RequestedProcedureDescription = (
                    f"{st.procedure} for {st.patient.family.upper()}, "
                    f"{st.patient.given.upper()}"
                )
                req.ScheduledProcedureStepID = st.step_id
                req.RequestedProcedureID = st.requested_id
                ds.RequestAttributesSequence = [req]
                ds.Rows, ds.Columns = srows, scols
                _series_kind_attrs(ds, kind, k, srows, scols)
                _private_block(ds, st)
                if kind == "CT":
                    data = overlay_cache.get((srows, scols))
                    if data is None:
                        data = overlay_cache[(srows, scols)] = _overlay_bytes(srows, scols)
                    _overlay(ds, srows, scols, data, st.patient.family)
                arr = images.image(k, instances_per_series)
                meta = FileMetaDataset()
                meta.MediaStorageSOPClassUID = sop_class
                meta.MediaStorageSOPInstanceUID = sop_uid
                meta.TransferSyntaxUID = ExplicitVRLittleEndian
                meta.ImplementationClassUID = IMPLEMENTATION_CLASS_UID
                meta.ImplementationVersionName = IMPLEMENTATION_VERSION_NAME
                meta.SourceApplicationEntityTitle = ae_title
                ds.file_meta = meta
                ds.preamble = b"\x00" * 128
                if tsuid == RLELossless:
                    ds.compress(RLELossless, arr, generate_instance_uid=False)
                else:
                    meta.TransferSyntaxUID = tsuid
                    raw = arr.tobytes()
                    raw += b"\x00" * (len(raw) % 2)
                    ds.add_new(0x7FE00010, "OW" if arr.dtype == np.uint16 else "OB", raw)
                path = sdir / f"im{k + 1:04d}.dcm"
                ds.save_as(path, enforce_file_format=True)
                paths.append(str(path))
                if first_sop is None:
                    first_sop = sop_uid
    return sorted(paths)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line interface.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name; ``sys.argv[1:]`` when omitted.

    Returns
    -------
    int
        The exit status, 0 on success.
    """
    parser = argparse.ArgumentParser(
        description="Write a deterministic synthetic DICOM archive with fake PHI."
    )
    parser.add_argument("--out", required=True, help="output directory")
    parser.add_argument("--studies", type=int, default=3)
    parser.add_argument("--series-per-study", type=int, default=2)
    parser.add_argument("--instances-per-series", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rows", type=int, default=512)
    parser.add_argument("--cols", type=int, default=512)
    args = parser.parse_args(argv)
    try:
        paths = make_archive(
            args.out,
            studies=args.studies,
            series_per_study=args.series_per_study,
            instances_per_series=args.instances_per_series,
            seed=args.seed,
            rows=args.rows,
            cols=args.cols,
        )
    except ValueError as exc:
        parser.error(str(exc))
    print(json.dumps({"out": args.out, "files": len(paths)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
