"""Generator of burned-in text cases with truth boxes (bench and tests).

Burned-in text in real archives is not where a synthetic corpus usually puts it
(light print along the edges of a dark image). Each case class here breaks one
of those habits:

``middle``       light text over the anatomy in the middle of a 16-bit CT-like image;
``dark_label``   dark text on a bright label box, anywhere on the image;
``monochrome1``  MONOCHROME1 (low stored values are white), text stored at the minimum;
``small_font``   9-10 px text on 256 and 512 px images, anywhere;
``us_colour``    coloured text (yellow, green, cyan, orange) inside the region of a
                 ``SequenceOfUltrasoundRegions``, over a speckled sector;
``later_frame``  a multi-frame cine whose moving picture carries text on one later
                 frame only, grey (not brighter than 200 of 255), over the picture;
``textured``     text over a strongly textured colour picture (secondary capture);
``no_text``      images without any text (their PixelData must keep its MD5).

Every image with text carries identifiers (names, IDs, dates, accession numbers,
institutions; the same values are in the header, so the clean-descriptors mode
can use them) and non-identifying text (``Female``, ``L``/``R``, scale numbers,
``mm``, window/level figures) that the sensitive modes should keep.

Truth: ``write_corpus(out, seed, per_case)`` writes ``out/dicom/<case>/imNNN.dcm``
and ``out/truth.json`` in the layout of ``../shared/tools/make_corpus.py``, so
``score.py`` can score it: ``files[rel]["burned_in"]["boxes"]`` holds the
identifier boxes (frame 0 only, what ``score.py`` reads); every box, with its
frame and whether it is an identifier, is in ``files[rel]["cases"]``.
``case_instance(case, seed)`` returns one ``(Dataset, boxes)`` for tests.

Fonts: DejaVu (Debian ``fonts-dejavu-core``), else Pillow's bundled default font.
Same case, seed and arguments: same bytes.
"""

from __future__ import annotations

import json
import os
import random
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pydicom
from PIL import Image, ImageDraw, ImageFont
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

__all__ = ["CASES", "TextBox", "case_instance", "write_corpus"]

CASES = ("middle", "dark_label", "monochrome1", "small_font", "us_colour", "later_frame", "textured", "no_text")

_FONTS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
)
_SURNAMES = ("HALVORSEN", "OKAFOR", "MENDELSSOHN", "TRAN", "BRISCOE", "KOWALCZYK", "ABERNATHY", "NAKAMURA",
             "FITZGERALD", "DELACROIX", "OYELARAN", "PETERSEN", "QUINTERO", "WHITAKER", "ZIMMERMANN", "LINDQVIST")
_GIVEN = ("MARGARET", "TOBIAS", "ELENA", "RASHID", "CORNELIA", "DMITRI", "BEATRIZ", "WENDELL", "SIOBHAN",
          "AUGUSTIN", "PRISCILLA", "HAKON")
_INSTITUTIONS = ("Riverside General Hospital", "St Aldhelm Clinic", "Northgate Imaging Centre",
                 "Lakeview Medical Center")
_US_COLOURS = ((255, 255, 0), (0, 255, 0), (0, 255, 255), (255, 165, 0), (255, 80, 80))
_SOP_CT = "1.2.840.10008.5.1.4.1.1.2"
_SOP_MR = "1.2.840.10008.5.1.4.1.1.4"
_SOP_US = "1.2.840.10008.5.1.4.1.1.6.1"
_SOP_US_MF = "1.2.840.10008.5.1.4.1.1.3.1"
_SOP_SC = "1.2.840.10008.5.1.4.1.1.7"


@dataclass(frozen=True)
class TextBox:
    """One burned-in string: what was drawn, where (x0, y0, x1, y1 exclusive, padded by 2), on which frame.

    ``frame`` is None when the string is on every frame. ``needle`` is what a
    reader must not find after redaction (the identifier value without its label).
    """

    text: str
    needle: str
    kind: str
    identifier: bool
    bbox: tuple[int, int, int, int]
    frame: int | None
    font_px: int


def _font(px: int, index: int):
    path = _FONTS[index % len(_FONTS)]
    if os.path.exists(path):
        return ImageFont.truetype(path, px)
    return ImageFont.load_default(size=px)


class _Patient:
    def __init__(self, rng: random.Random) -> None:
        self.surname = rng.choice(_SURNAMES)
        self.given = rng.choice(_GIVEN)
        self.id = str(rng.randint(10_000_000, 99_999_999))
        self.birth = f"{rng.randint(1930, 2005)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        self.study_date = f"{rng.randint(2015, 2025)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        self.accession = f"A{rng.randint(1_000_000, 9_999_999)}"
        self.institution = rng.choice(_INSTITUTIONS)

    def identifier_lines(self, rng: random.Random, count: int) -> list[tuple[str, str, str]]:
        """(text, needle, kind) of ``count`` identifier lines, in a shuffled order."""
        b, s = self.birth, self.study_date
        lines = [
            (f"{self.surname}, {self.given}", f"{self.surname}, {self.given}", "name"),
            (f"ID: {self.id}", self.id, "id"),
            (f"DOB: {b[:4]}-{b[4:6]}-{b[6:]}", f"{b[:4]}-{b[4:6]}-{b[6:]}", "date"),
            (f"{s[4:6]}/{s[6:]}/{s[:4]}", f"{s[4:6]}/{s[6:]}/{s[:4]}", "date"),
            (f"ACC {self.accession}", self.accession, "accession"),
            (self.institution, self.institution, "institution"),
            (f"{self.given} {self.surname}", f"{self.given} {self.surname}", "name"),
        ]
        rng.shuffle(lines)
        return lines[:count]


def _plain_lines(rng: random.Random, count: int) -> list[tuple[str, str, str]]:
    """Non-identifying annotations the sensitive modes should keep."""
    pool = [
        ("Female", "Female", "sex"),
        (rng.choice(("L", "R")), "", "side"),
        (f"W:{rng.choice((350, 400, 1500, 80))} L:{rng.choice((40, 50, 300, -600))}", "", "window"),
        (f"{rng.choice((5, 10, 20))} mm", "", "scale"),
        (" ".join(str(v) for v in range(0, rng.choice((10, 15, 20)) + 1, 5)), "", "scale"),
    ]
    rng.shuffle(pool)
    return pool[:count]


def _place(draw, boxes_taken, size, text, px, font_index, rng, region=None):
    """A free position for ``text`` inside ``region`` (x0, y0, x1, y1); returns (x, y, font, bbox) or None."""
    columns, rows = size
    x_lo, y_lo, x_hi, y_hi = region or (2, 2, columns - 2, rows - 2)
    font = _font(px, font_index)
    for _ in range(200):
        left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
        width, height = right - left, bottom - top
        if width >= x_hi - x_lo - 4:
            px -= 1
            font = _font(px, font_index)
            continue
        x = rng.randint(x_lo + 2, x_hi - width - 2) - left
        y = rng.randint(y_lo + 2, max(y_lo + 2, y_hi - height - 2)) - top
        bx = draw.textbbox((x, y), text, font=font)
        bbox = (max(0, bx[0] - 2), max(0, bx[1] - 2), min(columns, bx[2] + 2), min(rows, bx[3] + 2))
        if all(bbox[2] + 3 <= o[0] or o[2] + 3 <= bbox[0] or bbox[3] + 3 <= o[1] or o[3] + 3 <= bbox[1] for o in boxes_taken):
            boxes_taken.append(bbox)
            return x, y, font, bbox, px
    return None


def _text_mask(size, items, rng, font_px, region=None, label=False):
    """Draw (text, needle, kind, identifier) items at free positions; returns (mask float 0..1, label mask, boxes)."""
    columns, rows = size
    mask = Image.new("L", size, 0)
    labels = Image.new("L", size, 0)
    draw = ImageDraw.Draw(mask)
    label_draw = ImageDraw.Draw(labels)
    taken: list[tuple[int, int, int, int]] = []
    out = []
    for text, needle, kind, identifier in items:
        px = rng.choice(font_px)
        placed = _place(draw, taken, size, text, px, rng.randint(0, 2), rng, region)
        if placed is None:
            continue
        x, y, font, bbox, px = placed
        if label:
            label_draw.rectangle([bbox[0], bbox[1], bbox[2] - 1, bbox[3] - 1], fill=255)
        draw.text((x, y), text, fill=255, font=font)
        out.append(TextBox(text, needle, kind, identifier, bbox, None, px))
    return np.asarray(mask, np.float32) / 255.0, np.asarray(labels, np.float32) / 255.0, out


def _anatomy(rng: np.random.Generator, rows: int, columns: int) -> np.ndarray:
    """A CT/MR-like picture in 0..1: a body ellipse with organs, soft noise, dark air around."""
    yy, xx = np.mgrid[0:rows, 0:columns].astype(np.float32)
    cy, cx = rows / 2, columns / 2
    img = np.zeros((rows, columns), np.float32)
    body = ((yy - cy) / (0.45 * rows)) ** 2 + ((xx - cx) / (0.42 * columns)) ** 2 < 1
    img[body] = 0.45
    for _ in range(7):
        oy, ox = rng.uniform(0.3, 0.7) * rows, rng.uniform(0.3, 0.7) * columns
        ry, rx = rng.uniform(0.04, 0.14) * rows, rng.uniform(0.04, 0.14) * columns
        organ = ((yy - oy) / ry) ** 2 + ((xx - ox) / rx) ** 2 < 1
        img[organ & body] = rng.uniform(0.3, 0.95)
    img += rng.normal(0, 0.03, img.shape).astype(np.float32) * body
    return np.clip(img, 0, 1)


def _texture(rng: np.random.Generator, rows: int, columns: int) -> np.ndarray:
    """A strongly textured colour picture in 0..1 (rows, columns, 3): blotches plus fine grain."""
    coarse = rng.uniform(0, 1, (rows // 16 + 1, columns // 16 + 1, 3)).astype(np.float32)
    big = np.asarray(Image.fromarray((coarse * 255).astype(np.uint8)).resize((columns, rows), Image.BICUBIC), np.float32) / 255
    grain = rng.uniform(-0.25, 0.25, (rows, columns, 1)).astype(np.float32)
    return np.clip(big * 0.8 + grain + 0.1, 0, 1)


def _speckle(rng: np.random.Generator, rows: int, columns: int, shift: float = 0.0) -> np.ndarray:
    """An ultrasound sector in 0..1 with speckle; ``shift`` moves the picture (cine frames)."""
    yy, xx = np.mgrid[0:rows, 0:columns].astype(np.float32)
    apex_x, apex_y = columns / 2, rows * 0.08
    angle = np.arctan2(xx - apex_x, yy - apex_y)
    radius = np.hypot(xx - apex_x, yy - apex_y)
    sector = (np.abs(angle) < 0.6) & (radius < rows * 0.88)
    base = 0.35 + 0.25 * np.sin(radius / 9.0 + shift) * np.cos(angle * 5 + shift / 2)
    noise = rng.rayleigh(0.18, (rows, columns)).astype(np.float32)
    return np.clip((base + noise) * sector * 0.85, 0, 1), sector


def _dataset(sop_class: str, modality: str, patient: _Patient, rows: int, columns: int, uid_root: random.Random) -> Dataset:
    ds = Dataset()
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = sop_class
    sop = generate_uid(entropy_srcs=[str(uid_root.random())])
    meta.MediaStorageSOPInstanceUID = sop
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.file_meta = meta
    ds.SOPClassUID = sop_class
    ds.SOPInstanceUID = sop
    ds.StudyInstanceUID = generate_uid(entropy_srcs=[str(uid_root.random())])
    ds.SeriesInstanceUID = generate_uid(entropy_srcs=[str(uid_root.random())])
    ds.Modality = modality
    ds.PatientName = f"{patient.surname}^{patient.given}"
    ds.PatientID = patient.id
    ds.PatientBirthDate = patient.birth
    ds.PatientSex = "F"
    ds.StudyDate = patient.study_date
    ds.AccessionNumber = patient.accession
    ds.InstitutionName = patient.institution
    ds.BurnedInAnnotation = "YES"
    ds.Rows, ds.Columns = rows, columns
    ds.PixelRepresentation = 0
    return ds


def _grey(ds: Dataset, pixels: np.ndarray, bits: int, photometric: str = "MONOCHROME2") -> None:
    dtype = np.uint16 if bits > 8 else np.uint8
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = photometric
    ds.BitsAllocated = 16 if bits > 8 else 8
    ds.BitsStored = bits
    ds.HighBit = bits - 1
    ds.PixelData = np.ascontiguousarray(pixels.astype(dtype)).tobytes()
    ds["PixelData"].VR = "OW" if bits > 8 else "OB"


def _rgb(ds: Dataset, pixels: np.ndarray) -> None:
    ds.SamplesPerPixel = 3
    ds.PhotometricInterpretation = "RGB"
    ds.PlanarConfiguration = 0
    ds.BitsAllocated = ds.BitsStored = 8
    ds.HighBit = 7
    ds.PixelData = np.ascontiguousarray(pixels.astype(np.uint8)).tobytes()
    ds["PixelData"].VR = "OB"


def _items(patient: _Patient, rng: random.Random, identifiers: int, plain: int):
    ids = [(t, n, k, True) for t, n, k in patient.identifier_lines(rng, identifiers)]
    return ids + [(t, n, k, False) for t, n, k in _plain_lines(rng, plain)]


def case_instance(case: str, seed: int) -> tuple[Dataset, list[TextBox]]:
    """One instance of ``case`` made from ``seed``: the dataset and its text boxes."""
    if case not in CASES:
        raise ValueError(f"unknown case {case!r}")
    rng = random.Random(f"{case}:{seed}")
    nrng = np.random.default_rng(rng.randrange(2**32))
    patient = _Patient(rng)
    if case in ("middle", "dark_label", "monochrome1"):
        rows = columns = rng.choice((512, 384))
        ds = _dataset(_SOP_CT if case != "monochrome1" else _SOP_MR, "CT" if case != "monochrome1" else "CR",
                      patient, rows, columns, rng)
        picture = _anatomy(nrng, rows, columns)
        centre = (columns // 5, rows // 5, columns * 4 // 5, rows * 4 // 5)
        mask, labels, boxes = _text_mask(
            (columns, rows), _items(patient, rng, 4, 3), rng, (13, 15, 18, 22),
            region=centre if case == "middle" else None, label=case == "dark_label",
        )
        top = 4095
        if case == "middle":  # light, not white, print over the anatomy
            ink = rng.uniform(0.8, 1.0)
            values = picture * (1 - mask) + ink * mask
        elif case == "dark_label":  # dark print on a bright label
            values = picture * (1 - labels) + rng.uniform(0.85, 1.0) * labels
            values = values * (1 - mask) + rng.uniform(0.0, 0.15) * mask
        else:  # MONOCHROME1: white is the lowest stored value
            values = (1 - picture) * (1 - mask) + 0.0 * mask
        _grey(ds, np.round(values * top), 12, "MONOCHROME1" if case == "monochrome1" else "MONOCHROME2")
        if case != "monochrome1":
            ds.WindowCenter, ds.WindowWidth = 2048, 4096
        return ds, boxes
    if case == "small_font":
        rows = columns = rng.choice((256, 512))
        ds = _dataset(_SOP_MR, "MR", patient, rows, columns, rng)
        picture = _anatomy(nrng, rows, columns)
        mask, _, boxes = _text_mask((columns, rows), _items(patient, rng, 4, 3), rng, (9, 10))
        values = picture * (1 - mask) + rng.uniform(0.85, 1.0) * mask
        _grey(ds, np.round(values * 1023), 10)
        return ds, boxes
    if case == "us_colour":
        rows, columns = 480, 640
        ds = _dataset(_SOP_US, "US", patient, rows, columns, rng)
        picture, sector = _speckle(nrng, rows, columns)
        ys, xs = np.nonzero(sector)
        region = (int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1)
        mask, _, boxes = _text_mask((columns, rows), _items(patient, rng, 4, 3), rng, (13, 15, 18),
                                    region=(region[0] + 40, region[1] + 60, region[2] - 40, region[3] - 20))
        colour = np.array(rng.choice(_US_COLOURS), np.float32) / 255
        values = np.repeat(picture[..., None], 3, axis=2) * (1 - mask[..., None]) + colour * mask[..., None]
        _rgb(ds, np.round(values * 255))
        item = Dataset()
        item.RegionSpatialFormat = 1
        item.RegionDataType = 1
        item.RegionFlags = 0
        item.RegionLocationMinX0, item.RegionLocationMinY0 = region[0], region[1]
        item.RegionLocationMaxX1, item.RegionLocationMaxY1 = region[2] - 1, region[3] - 1
        item.PhysicalUnitsXDirection = item.PhysicalUnitsYDirection = 3
        item.PhysicalDeltaX = item.PhysicalDeltaY = 0.02
        ds.SequenceOfUltrasoundRegions = [item]
        return ds, boxes
    if case == "later_frame":
        rows, columns, frames = 240, 320, 6
        ds = _dataset(_SOP_US_MF, "US", patient, rows, columns, rng)
        later = rng.randint(1, frames - 1)
        mask, _, boxes = _text_mask((columns, rows), _items(patient, rng, 3, 1), rng, (13, 15, 18),
                                    region=(columns // 6, rows // 4, columns * 5 // 6, rows * 5 // 6))
        ink = rng.uniform(0.7, 0.78)  # grey print: not brighter than 200 of 255
        stack = []
        for f in range(frames):
            picture, _ = _speckle(nrng, rows, columns, shift=f * 0.7)
            picture = picture * 0.7
            if f == later:
                picture = picture * (1 - mask) + ink * mask
            stack.append(picture)
        _grey(ds, np.round(np.stack(stack) * 255), 8)
        ds.NumberOfFrames = frames
        ds.FrameIncrementPointer = 0x00181063
        ds.FrameTime = 33.3
        boxes = [TextBox(b.text, b.needle, b.kind, b.identifier, b.bbox, later, b.font_px) for b in boxes]
        return ds, boxes
    if case == "textured":
        rows, columns = rng.choice(((480, 640), (512, 512)))
        ds = _dataset(_SOP_SC, "OT", patient, rows, columns, rng)
        picture = _texture(nrng, rows, columns)
        mask, _, boxes = _text_mask((columns, rows), _items(patient, rng, 4, 3), rng, (15, 18, 22))
        ink = np.array(rng.choice(((1.0, 1.0, 1.0), (0.0, 0.0, 0.0), (1.0, 1.0, 0.0))), np.float32)
        values = picture * (1 - mask[..., None]) + ink * mask[..., None]
        _rgb(ds, np.round(values * 255))
        return ds, boxes
    # no_text
    rows = columns = rng.choice((256, 512))
    ds = _dataset(_SOP_CT, "CT", patient, rows, columns, rng)
    ds.BurnedInAnnotation = "NO"
    _grey(ds, np.round(_anatomy(nrng, rows, columns) * 4095), 12)
    ds.WindowCenter, ds.WindowWidth = 2048, 4096
    return ds, []


def write_corpus(out: str | Path, seed: int, per_case: int = 4, cases: tuple[str, ...] = CASES) -> dict:
    """Write ``per_case`` instances of every case to ``out/dicom`` and ``out/truth.json``; return the truth."""
    out = Path(out)
    files = {}
    for case in cases:
        folder = out / "dicom" / case
        folder.mkdir(parents=True, exist_ok=True)
        for i in range(per_case):
            ds, boxes = case_instance(case, seed * 1000 + i)
            rel = f"{case}/im{i:03d}.dcm"
            pydicom.dcmwrite(out / "dicom" / rel, ds, enforce_file_format=True)
            ids_frame0 = [b for b in boxes if b.identifier and not b.frame]
            files[rel] = {
                "items": [],
                "uids": {"study": ds.StudyInstanceUID, "series": ds.SeriesInstanceUID, "sop": ds.SOPInstanceUID,
                         "sop_class": ds.SOPClassUID},
                "refs": [],
                "burned_in": (
                    {"frames": "all", "header_flag": str(ds.BurnedInAnnotation),
                     "boxes": [{"text": b.text, "needle": b.needle, "kind": b.kind, "bbox": list(b.bbox),
                                "font_px": b.font_px} for b in ids_frame0]}
                    if ids_frame0 else None
                ),
                "meta": {"modality": str(ds.Modality), "transfer_syntax": str(ds.file_meta.TransferSyntaxUID),
                         "rows": int(ds.Rows), "cols": int(ds.Columns), "frames": int(ds.get("NumberOfFrames", 1)),
                         "samples": int(ds.SamplesPerPixel)},
                "case": case,
                "cases": [asdict(b) for b in boxes],
            }
    truth = {"generator": "bench/burnedin_cases.py", "seed": seed, "files": files}
    (out / "truth.json").write_text(json.dumps(truth, indent=1), encoding="utf-8")
    return truth


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--per-case", type=int, default=4)
    args = parser.parse_args()
    truth = write_corpus(args.out, args.seed, args.per_case)
    print(json.dumps({"out": args.out, "files": len(truth["files"]), "seed": args.seed}))
