"""Seeded mutations of DICOM Part 10 bytes, for the engine's fuzz test.

Each mutation is the kind of damage real archives show: a file cut short, flipped
bytes, an element length far beyond the file, garbage after the data set, and a
broken VR code. ``mutants(data, seed, count)`` yields ``(kind, bytes)`` pairs;
the same seed always gives the same mutants.
"""

from __future__ import annotations

import io
import random
import struct
from typing import Iterator

import pydicom

_LONG_VRS = {b"OB", b"OD", b"OF", b"OL", b"OV", b"OW", b"SQ", b"SV", b"UC", b"UN", b"UR", b"UT", b"UV"}


def element_offsets(data: bytes) -> list[tuple[int, int]]:
    """(header offset, header length) of the top-level elements (0: implicit VR, 8-byte header)."""
    ds = pydicom.dcmread(io.BytesIO(data), defer_size=None)
    out = []
    for raw in ds._dict.values():
        tell = getattr(raw, "value_tell", None)
        if tell is None:
            continue
        if raw.is_implicit_VR:
            out.append((tell - 8, 0))
            continue
        for size in (8, 12):
            start = tell - size
            if start >= 132 and data[start + 4 : start + 6] in (_LONG_VRS if size == 12 else {data[start + 4 : start + 6]}):
                out.append((start, size))
                break
    return out


def _truncate(data: bytes, rnd: random.Random) -> bytes:
    return data[: rnd.randrange(132, len(data))]


def _flip(data: bytes, rnd: random.Random) -> bytes:
    buf = bytearray(data)
    for _ in range(rnd.randint(1, 16)):
        buf[rnd.randrange(132, len(buf))] = rnd.randrange(256)
    return bytes(buf)


def _huge_length(data: bytes, rnd: random.Random, offsets) -> bytes:
    start, size = rnd.choice(offsets)
    buf = bytearray(data)
    if size == 0:
        struct.pack_into("<I", buf, start + 4, rnd.choice((0xFFFFFFF0, 0x7FFFFFFF, len(data) * 3)))
    elif size == 8:
        struct.pack_into("<H", buf, start + 6, rnd.choice((0xFFFF, 0xFFFE, 0x8001)))
    else:
        struct.pack_into("<I", buf, start + 8, rnd.choice((0xFFFFFFF0, 0x7FFFFFFF, len(data) * 3)))
    return bytes(buf)


def _garbage(data: bytes, rnd: random.Random) -> bytes:
    return data + bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 300)))


def _broken_vr(data: bytes, rnd: random.Random, offsets) -> bytes:
    start, size = rnd.choice(offsets)
    buf = bytearray(data)
    if size == 0:  # implicit VR: break the tag instead (an unknown or out-of-order element)
        buf[start : start + 2] = rnd.choice((b"\xff\xff", b"\x00\x00", b"\xfe\xff"))
        return bytes(buf)
    buf[start + 4 : start + 6] = rnd.choice((b"ZZ", b"\x00\x00", b"SQ", b"UN", b"PN", b"OB", b"US", b"DS", b"UI", b"AT"))
    return bytes(buf)


KINDS = ("truncate", "flip", "huge_length", "garbage", "broken_vr")


def mutants(data: bytes, seed: int, count: int) -> Iterator[tuple[str, bytes]]:
    """Yield ``count`` mutants of ``data``, cycling through ``KINDS``."""
    rnd = random.Random(seed)
    offsets = element_offsets(data)
    for i in range(count):
        kind = KINDS[i % len(KINDS)]
        if kind == "truncate":
            yield kind, _truncate(data, rnd)
        elif kind == "flip":
            yield kind, _flip(data, rnd)
        elif kind == "huge_length":
            yield kind, _huge_length(data, rnd, offsets)
        elif kind == "garbage":
            yield kind, _garbage(data, rnd)
        else:
            yield kind, _broken_vr(data, rnd, offsets)
