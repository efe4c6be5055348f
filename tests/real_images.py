"""The real images of ``tests/data/real_burnedin.json``: their files in the installed PyPI packages.

pydicom's own test files, pydicom-data (module ``data_store``) and deid-data (module
``deid_data``; its cines are zipped) ship real DICOM images with burned-in text. The
truth file lists, for the ones that hold print, every area of print and the identifiers
among it, written down by looking at each picture. A file is named
``package:path[!member]`` (``deid-data:ultrasounds/RGB_CINE.zip!RGB_CINE.dcm``); its bytes
are read from the installed package at test or bench time (requirements-test.txt pins
the packages), never copied into the repository.
"""

from __future__ import annotations

import importlib.util
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

TRUTH = Path(__file__).resolve().parent / "data" / "real_burnedin.json"
# package name -> (module, folder inside it holding the files)
SOURCES = {"pydicom": ("pydicom", "data/test_files"), "pydicom-data": ("data_store", "data"), "deid-data": ("deid_data", "data")}


@dataclass(frozen=True)
class Identifier:
    value: str
    kind: str
    box: tuple[int, int, int, int]


@dataclass(frozen=True)
class RealImage:
    """One picture (in one or more files: copies in other encodings) and its print."""

    name: str
    kind: str  # image class: ultrasound, echo, CR, CT, ...
    files: tuple[str, ...]
    identifiers: tuple[Identifier, ...]
    text: tuple[tuple[int, int, int, int], ...]


def load() -> list[RealImage]:
    data = json.loads(TRUTH.read_text())
    return [
        RealImage(item["name"], item["class"], tuple(item["files"]),
                  tuple(Identifier(i["value"], i["kind"], tuple(i["box"])) for i in item["identifiers"]),
                  tuple(tuple(b) for b in item["text"]))
        for item in data["images"]
    ]


def package_root(package: str) -> Path:
    """The folder of ``package``'s files (raises ModuleNotFoundError when it is not installed)."""
    module, folder = SOURCES[package]
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"{package} is not installed (pip install -r requirements-test.txt)")
    return Path(list(spec.submodule_search_locations)[0]) / folder


def read_bytes(key: str) -> bytes:
    """The bytes of ``package:path[!member]``."""
    package, _, rest = key.partition(":")
    path, _, member = rest.partition("!")
    file = package_root(package) / path
    if member:
        with zipfile.ZipFile(file) as archive:
            return archive.read(member)
    return file.read_bytes()


def all_files() -> Iterator[str]:
    """Every file of the three packages that starts like DICOM (Part 10 preamble), zip members too, as keys."""
    for package in SOURCES:
        root = package_root(package)
        for file in sorted(root.rglob("*")):
            if not file.is_file():
                continue
            rel = file.relative_to(root).as_posix()
            if file.suffix == ".zip":
                with zipfile.ZipFile(file) as archive:
                    for member in archive.namelist():
                        if archive.read(member)[128:132] == b"DICM":
                            yield f"{package}:{rel}!{member}"
            elif file.stat().st_size > 132:
                with file.open("rb") as f:
                    if f.read(132)[128:132] == b"DICM":
                        yield f"{package}:{rel}"


# --- copies made from the real files (the shapes issue 20 saw escape) ------------------------


def multi_frame(ds, frames) -> bytes:
    """``ds`` with ``frames`` (native decoded values, colour as RGB) as its pixels, Explicit VR LE."""
    import numpy as np
    from pydicom.dataelem import DataElement
    from pydicom.uid import ExplicitVRLittleEndian

    ds = ds.copy()
    ds.NumberOfFrames = frames.shape[0]
    if frames.ndim == 4:
        ds.PhotometricInterpretation, ds.PlanarConfiguration = "RGB", 0
    vr = "OB" if frames.dtype.itemsize == 1 else "OW"
    ds["PixelData"] = DataElement(0x7FE00010, vr, np.ascontiguousarray(frames).tobytes())
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    buf = io.BytesIO()
    ds.save_as(buf, enforce_file_format=True)
    return buf.getvalue()


BURNED_LINE = "HALVORSEN, MARGIT   F   DOB 04/11/1958"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def burned_radiograph(frames: int) -> tuple[bytes, RealImage]:
    """pydicom-data's 16-bit MONOCHROME1 chest radiograph (RG1) with a name, sex and birth date line
    written on each of ``frames`` frames, as CR consoles print it (synthetic print on a real picture)."""
    import numpy as np
    import pydicom
    from PIL import Image, ImageDraw, ImageFont

    from transforms.pixels import pixeldata

    ds = pydicom.dcmread(io.BytesIO(read_bytes("pydicom-data:RG1_UNCR.dcm")))
    frame = pixeldata.decode_frames(ds)[0].copy()
    mask = Image.new("L", (frame.shape[1], frame.shape[0]), 0)
    try:
        font = ImageFont.truetype(FONT, 40)
    except OSError:
        font = ImageFont.load_default(size=40)
    ImageDraw.Draw(mask).text((60, 60), BURNED_LINE, fill=255, font=font)
    ink = np.asarray(mask) > 127
    frame[ink] = int(frame.min())  # MONOCHROME1: the lowest value is white
    ys, xs = np.nonzero(ink)
    box = (int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1)
    image = RealImage(f"chest radiograph with a burned line, {frames} frame(s)", "CR", (), (
        Identifier("HALVORSEN, MARGIT", "PERSON_NAME", box), Identifier("04/11/1958", "DATE_OF_BIRTH", box)), (box,))
    return multi_frame(ds, np.stack([frame] * frames)), image


def moving_copy(image: RealImage, frames: int = 3, seed: int = 20) -> bytes:
    """A ``frames``-frame copy of a single-frame grey picture whose middle moves (noise) after frame 0."""
    import numpy as np
    import pydicom

    from transforms.pixels import pixeldata

    ds = pydicom.dcmread(io.BytesIO(read_bytes(image.files[0])))
    single = pixeldata.decode_frames(ds)[0]
    rows, columns = single.shape[:2]
    stack = np.stack([single] * frames)
    rng = np.random.default_rng(seed)
    y0, y1, x0, x1 = rows // 6, rows - rows // 10, columns // 7, columns - columns // 6
    body = stack[1:, y0:y1, x0:x1].astype(np.int32) + rng.integers(-6, 7, stack[1:, y0:y1, x0:x1].shape)
    stack[1:, y0:y1, x0:x1] = np.clip(body, 0, np.iinfo(single.dtype).max).astype(single.dtype)
    return multi_frame(ds, stack)
