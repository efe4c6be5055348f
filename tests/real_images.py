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
