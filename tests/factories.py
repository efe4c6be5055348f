"""Test instances with known fake PHI (dicognito style): nothing here is real patient data."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import ExplicitVRLittleEndian, ImplicitVRLittleEndian, generate_uid

SPEC_DIR = Path(__file__).resolve().parent / "data"  # copies of ../shared/spec samples
ROOT = "1.2.826.0.1.3680043.8.498."
CT_IMAGE = "1.2.840.10008.5.1.4.1.1.2"

PHI = {
    "PatientName": "QUENNEVILLE^MARIBEL",
    "PatientID": "48151623",
    "PatientBirthDate": "19710304",
    "OtherPatientIDs": "123-45-6789",
    "AccessionNumber": "ACC7781234",
    "InstitutionName": "Abernathy Memorial Hospital",
    "ReferringPhysicianName": "OSTROWSKI^THADDEUS",
    "StudyDescription": "CT CHEST - QUENNEVILLE 03/14/2019",
    "StationName": "ABERCT1",
    "DeviceSerialNumber": "SN884422",
}
# Values that must not survive the Basic Profile anywhere in the output bytes.
PHI_NEEDLES = [
    "QUENNEVILLE",
    "MARIBEL",
    "48151623",
    "19710304",
    "123-45-6789",
    "ACC7781234",
    "Abernathy",
    "OSTROWSKI",
    "ABERCT1",
    "SN884422",
    "ACME_TEST_PRIVATE",
    "SENDINGAE",
]


def _uid(*parts: object) -> str:
    return generate_uid(ROOT, entropy_srcs=[str(p) for p in parts])


def make_dataset(index: int = 0, study: int = 0, series: int = 0, implicit: bool = False, **phi: str) -> Dataset:
    """Return a small CT instance with planted PHI in tags, sequences, private and file meta."""
    values = {**PHI, **phi}
    ds = Dataset()
    ds.SpecificCharacterSet = "ISO_IR 100"
    ds.SOPClassUID = CT_IMAGE
    ds.SOPInstanceUID = _uid("sop", study, series, index)
    ds.StudyInstanceUID = _uid("study", study)
    ds.SeriesInstanceUID = _uid("series", study, series)
    ds.FrameOfReferenceUID = _uid("for", study, series)
    ds.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL"]
    ds.Modality = "CT"
    ds.StudyDate = ds.SeriesDate = ds.ContentDate = "20190314"
    ds.StudyTime = ds.ContentTime = "101010"
    ds.StudyID = "4411"
    ds.SeriesNumber = series + 1
    ds.InstanceNumber = index + 1
    ds.PatientSex = "F"
    ds.PatientAge = "047Y"
    ds.Manufacturer = "ACME"
    for kw, value in values.items():
        setattr(ds, kw, value)
    ds.OtherPatientIDsSequence = Sequence([_item(PatientID=values["PatientID"], TypeOfPatientID="TEXT")])
    code = _item(CodeValue="1234567890", CodingSchemeDesignator="L", CodeMeaning="Thaddeus Ostrowski")
    rpis = _item(InstitutionName=values["InstitutionName"])
    rpis.PersonIdentificationCodeSequence = Sequence([code])
    ds.ReferringPhysicianIdentificationSequence = Sequence([rpis])
    ds.ReferencedImageSequence = Sequence(
        [_item(ReferencedSOPClassUID=CT_IMAGE, ReferencedSOPInstanceUID=_uid("sop", study, series, 0))]
    )
    ds.ReferencedStudySequence = Sequence(
        [_item(ReferencedSOPClassUID="1.2.840.10008.3.1.2.3.1", ReferencedSOPInstanceUID=_uid("study", study + 100))]
    )
    block = ds.private_block(0x0011, "ACME_TEST_PRIVATE", create=True)
    block.add_new(0x01, "LO", values["PatientName"].replace("^", " "))
    block.add_new(0x02, "UN", (values["PatientID"] + "|" + values["PatientBirthDate"]).encode())
    ds.add_new(0x60000010, "US", 8)
    ds.add_new(0x60000011, "US", 8)
    ds.add_new(0x60000040, "CS", "G")
    ds.add_new(0x60000050, "SS", [1, 1])
    ds.add_new(0x60000100, "US", 1)
    ds.add_new(0x60000102, "US", 0)
    ds.add_new(0x60003000, "OW", b"\xff" * 8)
    ds.Rows = ds.Columns = 8
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 0
    rng = np.random.default_rng(index + 1000 * series + 100000 * study)
    ds.PixelData = rng.integers(0, 4096, size=(8, 8), dtype=np.uint16).tobytes()
    ds["PixelData"].VR = "OW"
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = CT_IMAGE
    meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    meta.TransferSyntaxUID = ImplicitVRLittleEndian if implicit else ExplicitVRLittleEndian
    meta.ImplementationClassUID = ROOT + "1"
    meta.SourceApplicationEntityTitle = "SENDINGAE"
    ds.file_meta = meta
    ds.preamble = b"\x00" * 128
    return ds


def _item(**kw: object) -> Dataset:
    item = Dataset()
    for k, v in kw.items():
        setattr(item, k, v)
    return item


def to_bytes(ds: Dataset) -> bytes:
    """Serialize as a Part 10 file."""
    buf = io.BytesIO()
    ds.save_as(buf, enforce_file_format=True)
    return buf.getvalue()


def from_dicom_json(path: Path, pixel_data: bytes | None = None) -> Dataset:
    """Build a Part 10 dataset from a DICOM JSON (PS3.18 F.2) file of the spec."""
    obj = json.loads(path.read_text())[0]
    meta_json = {k: v for k, v in obj.items() if k.startswith("0002")}
    body_json = {k: v for k, v in obj.items() if not k.startswith("0002") and "BulkDataURI" not in v}
    ds = Dataset.from_json(body_json)
    meta = FileMetaDataset(Dataset.from_json(meta_json))
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    meta.MediaStorageSOPClassUID = ds.SOPClassUID
    meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.file_meta = meta
    ds.preamble = b"\x00" * 128
    if pixel_data is not None:
        ds.PixelData = pixel_data
        ds["PixelData"].VR = "OB"
    return ds


def sample_instance() -> Dataset:
    """The spec's sample instance (Ann Johnson), with small native pixels.

    The published instance is 1024x1024 JPEG; tag tests only need valid pixel
    data, so this one is 16x16 RGB (YBR_FULL_422 needs JPEG, hence RGB here).
    """
    ds = from_dicom_json(SPEC_DIR / "sample-instance.dicom.json")
    ds.Rows = ds.Columns = 16
    ds.PhotometricInterpretation = "RGB"
    ds.PixelData = bytes(range(256)) * 3
    ds["PixelData"].VR = "OB"
    ds.PlanarConfiguration = 0
    for kw in ("LossyImageCompression", "LossyImageCompressionMethod"):
        if kw in ds:
            delattr(ds, kw)
    return ds


def sequence_instance() -> Dataset:
    """The spec's sequence sample (PhysiciansReadingStudyIdentificationSequence)."""
    ds = from_dicom_json(SPEC_DIR / "sample-sequence-instance.dicom.json")
    ds.Rows = ds.Columns = 16
    ds.PhotometricInterpretation = "RGB"
    ds.PlanarConfiguration = 0
    ds.PixelData = bytes(range(256)) * 3
    ds["PixelData"].VR = "OB"
    return ds


# --- burned-in text -----------------------------------------------------------------------------

# What the published sample image shows along its bottom edge (fake values, the sample's own).
SAMPLE_BURNED_LINES = ("Ann Johnson", "ID: S1214223-1", "DOB: 08/12/1988", "Female", "Riverside Clinic")


def burn_text(shape: tuple[int, int], lines, origin=(16, 16), size: int = 24, spacing: float = 1.5):
    """Return a float mask (rows, columns) in [0, 1] with ``lines`` drawn from ``origin`` down.

    Uses Pillow's bundled scalable font, so no system font is needed.
    """
    from PIL import Image, ImageDraw, ImageFont

    mask = Image.new("L", (shape[1], shape[0]), 0)
    draw = ImageDraw.Draw(mask)
    font = ImageFont.load_default(size=size)
    x, y = origin
    for line in lines:
        draw.text((x, y), line, fill=255, font=font)
        y += int(size * spacing)
    return np.asarray(mask, dtype=np.float32) / 255.0


def ultrasound_picture(rows: int, columns: int, seed: int = 0) -> np.ndarray:
    """An ultrasound-like RGB picture: a speckled fan on black (uint8, rows x columns x 3)."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:rows, 0:columns].astype(np.float32)
    angle = np.arctan2(xx - columns / 2, yy - rows * 0.05)
    dist = np.hypot(xx - columns / 2, yy - rows * 0.05)
    fan = (np.abs(angle) < 0.55) & (dist < rows * 0.75)
    speckle = np.clip(rng.rayleigh(35, size=(rows, columns)), 0, 180)
    grey = np.where(fan, speckle, 0).astype(np.uint8)
    return np.repeat(grey[..., None], 3, axis=2)


def burned_sample_instance(size: int = 1024) -> Dataset:
    """The spec's sample instance with its published kind of image: YBR_FULL_422 JPEG baseline,
    ``size`` x ``size``, an ultrasound-like picture with the sample's identifiers burned in
    along the bottom edge."""
    from PIL import Image
    from pydicom.encaps import encapsulate
    from pydicom.uid import JPEGBaseline8Bit

    picture = ultrasound_picture(size, size).astype(np.float32)
    text_size = max(12, size // 40)
    top = size - int(text_size * 1.5) * len(SAMPLE_BURNED_LINES) - text_size
    mask = burn_text((size, size), SAMPLE_BURNED_LINES, origin=(text_size, top), size=text_size)
    picture = picture * (1 - mask[..., None]) + 255 * mask[..., None]
    buf = io.BytesIO()
    Image.fromarray(picture.astype(np.uint8), "RGB").save(buf, format="JPEG", quality=95, subsampling=1)
    ds = from_dicom_json(SPEC_DIR / "sample-instance.dicom.json")
    ds.Rows = ds.Columns = size
    ds.PixelData = encapsulate([buf.getvalue()])
    ds["PixelData"].VR = "OB"
    ds["PixelData"].is_undefined_length = True
    ds.file_meta.TransferSyntaxUID = JPEGBaseline8Bit
    return ds
