"""Crafted hostile inputs (issue 22) and the checks every hostile run must pass.

What an attacker who controls the input (a file in the archive, an answer of a
DICOMweb store) would send: UIDs that are paths (``1.2.840.10008.99/../../X``,
``../../X``, absolute paths, NUL, backslash, a newline that forges a CSV row),
names hidden inside UIDs and in values of the wrong type (DS, IS, CS, AS, DA,
TM, US), a naming UID stored with another VR, fuzzed UIDs, special files (FIFOs,
a link to ``/dev/zero``, a socket), files over the size limit, a deflated data set
that inflates past it (a "deflate bomb"), sequences nested a thousand deep with a
name at the bottom, and a store that
ignores ``offset``, lists ``../`` UIDs, redirects to another origin, answers
without a multipart boundary or lists without end.

Every planted value holds one of the markers of ``PLANTED``; ``planted_in``
finds any of them (in any case, in UTF-8 and Latin-1 bytes) in the files, logs
and records a test collects. ``Snapshot`` lists every file under a folder (size,
modification time) so a test can show that nothing was written, changed or
removed outside the output roots. Nothing here imports Beam or the pipeline.
"""

from __future__ import annotations

import http.server
import io
import json
import os
import random
import re
import socket
import stat
import sys
import threading
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from pydicom.dataelem import RawDataElement
from pydicom.datadict import tag_for_keyword
from pydicom.dataset import Dataset
from pydicom.tag import Tag

from tests.factories import make_dataset, to_bytes

# Markers of planted values: none of them may appear in any output, log, record or summary.
PATIENT = "WOBBLETON^YSOLDE"  # the patient's own name (the residual sweep knows it)
STRANGER = "Quastlebury"  # a name the instance does not otherwise hold (only type checks catch it)
ESCAPE = "HOSTILEESCAPE"  # the target name of every path traversal
PLANTED = ("WOBBLETON", "YSOLDE", "QUASTLEBURY", ESCAPE, "19450523", "PLANTEDID77")
_TRAVERSAL_DEPTH = "/".join([".."] * 8)


def planted_in(data: bytes | str) -> list[str]:
    """The markers of ``PLANTED`` found in ``data`` (case-insensitive)."""
    text = data.decode("latin-1") if isinstance(data, (bytes, bytearray)) else data
    upper = text.upper()
    return [m for m in PLANTED if m in upper]


def set_raw(ds: Dataset, keyword_or_tag, vr: str, value: bytes) -> None:
    """Put ``value`` into ``ds`` as stored bytes, whatever it is (pydicom writes raw elements as they are)."""
    tag = Tag(tag_for_keyword(keyword_or_tag) if isinstance(keyword_or_tag, str) else keyword_or_tag)
    if len(value) % 2:
        value += b" " if vr != "UI" else b"\x00"
    ds[tag] = RawDataElement(tag, vr, len(value), value, 0, False, True)


def instance(index: int, study: int = 900, **raw: tuple[str, bytes]) -> bytes:
    """A small CT instance of patient ``PATIENT`` with raw (hostile) values; Part 10 bytes."""
    ds = make_dataset(
        index=index,
        study=study,
        PatientName=PATIENT,
        PatientID="PLANTEDID77",
        PatientBirthDate="19450523",
        OtherPatientIDs="PLANTEDID77",
    )
    meta_sop = raw.pop("MediaStorageSOPInstanceUID", None)
    for keyword, (vr, value) in raw.items():
        set_raw(ds, keyword, vr, value)
    if meta_sop is not None:
        set_raw(ds.file_meta, "MediaStorageSOPInstanceUID", "UI", meta_sop[1])
    elif "SOPInstanceUID" in raw:
        set_raw(ds.file_meta, "MediaStorageSOPInstanceUID", "UI", raw["SOPInstanceUID"][1])
    buf = io.BytesIO()
    with warnings.catch_warnings():  # pydicom warns (with the value) about what this module writes on purpose
        warnings.simplefilter("ignore")
        ds.save_as(buf, enforce_file_format=True)
    return buf.getvalue()


def deflate_bomb(index: int, inflated: int) -> bytes:
    """A Deflated Explicit VR Little Endian instance whose data set inflates to more than
    ``inflated`` bytes (zeros in a private OB element), in about a thousandth of that."""
    from pydicom.uid import DeflatedExplicitVRLittleEndian

    ds = make_dataset(index=index, study=950, PatientName=PATIENT, PatientID="PLANTEDID77")
    ds.file_meta.TransferSyntaxUID = DeflatedExplicitVRLittleEndian
    block = ds.private_block(0x0009, "HOSTILE BOMB", create=True)
    block.add_new(0x00, "OB", bytes(inflated))
    buf = io.BytesIO()
    ds.save_as(buf, enforce_file_format=True)
    return buf.getvalue()


def deep_nesting(index: int, depth: int) -> bytes:
    """An instance with a sequence nested ``depth`` items deep, the patient's name at the bottom."""
    from pydicom.sequence import Sequence

    ds = make_dataset(index=index, study=960, PatientName=PATIENT, PatientID="PLANTEDID77")
    inner = Dataset()
    inner.PatientName = PATIENT
    inner.ImageComments = f"seen by Dr {STRANGER}"
    for _ in range(depth):
        outer = Dataset()
        outer.ReferencedImageSequence = Sequence([inner])
        inner = outer
    ds.AnatomicRegionSequence = Sequence([inner])  # a sequence the Basic Profile keeps
    buf = io.BytesIO()
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 8 * depth + 1000))  # pydicom writes nested items recursively
    try:
        ds.save_as(buf, enforce_file_format=True)
    finally:
        sys.setrecursionlimit(limit)
    return buf.getvalue()


def _ui(text: str) -> tuple[str, bytes]:
    return "UI", text.encode("utf-8", "surrogateescape")


# Path characters and names in every UID that could reach an output name.
PATH_UIDS = (
    f"1.2.840.10008.99/{_TRAVERSAL_DEPTH}/{ESCAPE}",
    f"{_TRAVERSAL_DEPTH}/{ESCAPE}",
    f"/tmp/{ESCAPE}",
    f"1.2.3\\..\\..\\{ESCAPE}",
    f"1.2.3\x00/../{ESCAPE}",
    f"1.2.840.10008.{STRANGER}",
    "1.2.3.WOBBLETON.19450523",
    f"%2e%2e%2f%2e%2e%2f{ESCAPE}",
    "..",
    ".",
    f"1.2.3\n4.5,{ESCAPE}",  # a newline and a comma: a forged mapping row
    "1.2." + "9" * 70,  # too long
    "1.02.3",  # a leading zero
    "1..2",  # an empty component
    f"1.2.3 {ESCAPE}",
    "1.2.3.\u00e9" + ESCAPE,
)
NAMING = ("StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID")


def dicom_cases() -> dict[str, bytes]:
    """name -> Part 10 bytes of each crafted instance (regular files; see ``special_files``)."""
    cases: dict[str, bytes] = {}
    n = 0
    for i, uid in enumerate(PATH_UIDS):
        for keyword in NAMING:
            n += 1
            cases[f"path_{i:02d}_{keyword}.dcm"] = instance(n, study=1000 + n, **{keyword: _ui(uid)})
    # The file meta's copy alone, and references inside sequences.
    n += 1
    cases["path_meta_only.dcm"] = instance(n, study=1000 + n, MediaStorageSOPInstanceUID=_ui(PATH_UIDS[0]))
    n += 1
    cases["name_in_frame_of_reference.dcm"] = instance(n, study=1000 + n, FrameOfReferenceUID=_ui(PATH_UIDS[5]))
    # Values that do not fit their VR, holding a stranger's and the patient's own name.
    n += 1
    cases["mistyped_values.dcm"] = instance(
        n,
        study=1000 + n,
        SliceThickness=("DS", STRANGER.encode()),
        PixelSpacing=("DS", b"Wobbleton\\Ysolde"),
        InstanceNumber=("IS", b"19450523X"),
        SpecificCharacterSet=("CS", STRANGER.upper().encode()),  # fits CS; not a defined term
        ConversionType=("CS", b"Quastlebury^Ab"),  # lower case and a caret: not a code string
        PatientOrientation=("CS", b"YSOLDE WOBBLETON"),  # fits CS; the patient's own name (the sweep)
        PatientAge=("AS", b"Ysol"),
        AcquisitionDate=("DA", STRANGER.encode()),
        AcquisitionTime=("TM", b"Quastle"),
        Rows=("US", b"\x08\x00"),
        AcquisitionMatrix=("US", b"QUASTLEBURY^AB\x00\x00"),  # 16 bytes where the VM says 4 values
    )
    # A naming UID stored with another VR (LO), whatever the rules do with it.
    n += 1
    cases["naming_uid_as_lo.dcm"] = instance(n, study=1000 + n, StudyInstanceUID=("LO", f"../../{ESCAPE}".encode()))
    return cases


def fuzzed_uids(seed: int, count: int) -> list[str]:
    """UID-like strings with mutations: letters, path characters, NUL, padding, leading zeros, length."""
    rng = random.Random(seed)
    alphabet = "0123456789" * 4 + "....//\\\\ \x00-_%:,;'\"\n\r\t" + ESCAPE + "e\u00e9"
    out = []
    for _ in range(count):
        base = ".".join(str(rng.randint(0, 10**rng.randint(1, 12))) for _ in range(rng.randint(2, 8)))
        chars = list(base)
        for _ in range(rng.randint(1, 4)):
            pos = rng.randint(0, len(chars))
            chars.insert(pos, rng.choice(alphabet))
        if rng.random() < 0.2:
            chars += list(ESCAPE)
        if rng.random() < 0.1:
            chars = list("0" + "".join(chars))
        out.append("".join(chars)[: rng.choice((16, 64, 65, 200))])
    return out


def fuzz_cases(seed: int = 22, count: int = 12) -> dict[str, bytes]:
    """Instances whose three naming UIDs are fuzzed at once."""
    uids = fuzzed_uids(seed, 3 * count)
    return {
        f"fuzz_{i:02d}.dcm": instance(500 + i, study=2000 + i, **{k: _ui(uids[3 * i + j]) for j, k in enumerate(NAMING)})
        for i in range(count)
    }


def special_files(folder: Path) -> dict[str, str]:
    """Make a FIFO, a link to /dev/zero, a link to the FIFO and a socket in ``folder``; name -> kind."""
    folder.mkdir(parents=True, exist_ok=True)
    made = {}
    fifo = folder / "fifo.dcm"
    os.mkfifo(fifo)
    made[fifo.name] = "fifo"
    (folder / "zero.dcm").symlink_to("/dev/zero")
    made["zero.dcm"] = "device link"
    (folder / "fifo_link.dcm").symlink_to(fifo)
    made["fifo_link.dcm"] = "fifo link"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(str(folder / "socket.dcm"))
    sock.close()  # the socket file stays
    made["socket.dcm"] = "socket"
    return made


@dataclass
class Snapshot:
    """Every entry under ``root`` except under ``skip`` folders: path -> (kind, size, mtime_ns)."""

    root: Path
    skip: tuple[Path, ...] = ()
    entries: dict[str, tuple] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.entries = self.take()

    def take(self) -> dict[str, tuple]:
        out = {}
        skip = tuple(str(s) for s in self.skip)
        for dirpath, dirnames, filenames in os.walk(self.root):
            if dirpath.startswith(skip):
                dirnames[:] = []
                continue
            for name in dirnames + filenames:
                path = os.path.join(dirpath, name)
                if path.startswith(skip):
                    continue
                st = os.lstat(path)
                kind = stat.S_IFMT(st.st_mode)
                out[path] = (kind, st.st_size if stat.S_ISREG(st.st_mode) else 0, st.st_mtime_ns if stat.S_ISREG(st.st_mode) else 0)
        return out

    def changes(self) -> list[str]:
        """Entries added, removed or changed since the snapshot was taken."""
        now = self.take()
        return sorted(
            [f"added {p}" for p in now.keys() - self.entries.keys()]
            + [f"removed {p}" for p in self.entries.keys() - now.keys()]
            + [f"changed {p}" for p in now.keys() & self.entries.keys() if now[p] != self.entries[p]]
        )


def files_under(*roots: Path) -> list[Path]:
    """Every regular file under the roots (links not followed)."""
    out = []
    for root in roots:
        if root.is_file():
            out.append(root)
            continue
        for dirpath, _, filenames in os.walk(root):
            out += [Path(dirpath) / n for n in filenames if Path(dirpath, n).is_file() and not Path(dirpath, n).is_symlink()]
    return out


def escaped_names(*roots: Path, shallow: tuple[Path, ...] = ()) -> list[str]:
    """Paths under ``roots`` (and directly in each of ``shallow``) whose name holds the traversal marker."""
    found = []
    for root in roots:
        for dirpath, dirnames, filenames in os.walk(root):
            found += [os.path.join(dirpath, n) for n in dirnames + filenames if ESCAPE.lower() in n.lower()]
    for folder in shallow:
        found += [str(folder / n) for n in os.listdir(folder) if ESCAPE.lower() in n.lower()]
    return found


# --- a scripted DICOMweb store on loopback --------------------------------------------------------

USER, PASSWORD = "deid", "S3cretHostilePw77"
GOOD_STUDY = "1.2.826.0.1.3680043.8.498.22.1"
STUDIES = {
    # study UID -> behaviour of its series listing
    GOOD_STUDY: "ignores_offset",  # the series listing repeats its page forever
    "1.2.826.0.1.3680043.8.498.22.2": "redirects",
    "1.2.826.0.1.3680043.8.498.22.3": "no_boundary",
    "1.2.826.0.1.3680043.8.498.22.4": "endless",
    f"1.2.840.10008.99/{_TRAVERSAL_DEPTH}/{ESCAPE}": "bad_uid",
    f"1.2.3.{STRANGER}": "bad_uid",
}


def _series_uid(study: str) -> str:
    return study + ".1"


def _sop_uid(study: str, n: int) -> str:
    return f"{study}.1.{n}"


def _qido(entries: list[dict]) -> bytes:
    return json.dumps(entries).encode()


def _entry(study: str, series: str | None = None, sop: str | None = None) -> dict:
    e = {"0020000D": {"vr": "UI", "Value": [study]}}
    if series:
        e["0020000E"] = {"vr": "UI", "Value": [series]}
    if sop:
        e["00080018"] = {"vr": "UI", "Value": [sop]}
        e["00080016"] = {"vr": "UI", "Value": ["1.2.840.10008.5.1.4.1.1.2"]}
    return e


def store_instance(study: str, series: str, sop: str) -> bytes:
    """The Part 10 bytes the store sends for an instance (the listed UIDs, the patient's planted name)."""
    ds = make_dataset(index=0, study=3000, PatientName=PATIENT, PatientID="PLANTEDID77")
    ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.SOPInstanceUID = study, series, sop
    ds.file_meta.MediaStorageSOPInstanceUID = sop
    return to_bytes(ds)


class HostileStore:
    """A loopback DICOMweb store scripted to misbehave (see ``STUDIES``), and an 'elsewhere' origin.

    ``log`` lists (method, path) of every request; ``elsewhere_log`` those the other
    origin received (a redirect there must never be followed).
    """

    def __init__(self) -> None:
        self.log: list[tuple[str, str, bool]] = []
        self.elsewhere_log: list[tuple[str, str, bool]] = []
        self._elsewhere = self._serve(self._elsewhere_handler)
        self._server = self._serve(self._handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/dicom-web"

    @property
    def elsewhere(self) -> str:
        return f"http://localhost:{self._elsewhere.server_address[1]}"

    @staticmethod
    def _serve(handle):
        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                status, headers, body = handle(self)
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_POST = do_GET

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server

    def _elsewhere_handler(self, req):
        self.elsewhere_log.append((req.command, req.path, "Authorization" in req.headers))
        sop = req.path.rsplit("/", 1)[-1]
        data = store_instance("1.2.826.0.1.3680043.8.498.22.2", "1.2.826.0.1.3680043.8.498.22.2.1", sop)
        return 200, {"Content-Type": "application/dicom"}, data

    def _handler(self, req):
        from urllib.parse import parse_qs, unquote, urlsplit

        parts = urlsplit(req.path)
        path = unquote(parts.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        self.log.append((req.command, req.path, "Authorization" in req.headers))
        json_type = {"Content-Type": "application/dicom+json"}
        offset, limit = int(query.get("offset", 0)), int(query.get("limit", 1))
        if path == "/dicom-web/studies":
            entries = [_entry(s) for s in STUDIES]
            return 200, json_type, _qido(entries[offset : offset + limit])
        m = re.fullmatch(r"/dicom-web/studies/(.+?)/series", path)
        if m:
            study = m.group(1)
            if study not in STUDIES:
                return 404, {}, b""
            page = [_entry(study, _series_uid(study))]
            if STUDIES[study] == "ignores_offset":
                return 200, json_type, _qido(page)  # the same page at every offset
            return 200, json_type, _qido(page[offset : offset + limit])
        m = re.fullmatch(r"/dicom-web/studies/(.+?)/series/(.+?)/instances", path)
        if m:
            study, series = m.groups()
            kind = STUDIES.get(study)
            if kind == "endless":  # new UIDs on every page, never an empty one
                page = [_entry(study, series, _sop_uid(study, offset + i)) for i in range(limit)]
                return 200, json_type, _qido(page)
            entries = [_entry(study, series, _sop_uid(study, 1))]
            if kind == "redirects":
                entries += [_entry(study, series, _sop_uid(study, 2)), _entry(study, series, f"{_TRAVERSAL_DEPTH}/{ESCAPE}")]
            return 200, json_type, _qido(entries[offset : offset + limit])
        m = re.fullmatch(r"/dicom-web/studies/(.+?)/series/(.+?)/instances/([^/]+)", path)
        if m:
            study, series, sop = m.groups()
            kind = STUDIES.get(study)
            data = store_instance(study, series, sop)
            if kind == "redirects" and sop.endswith(".1"):  # to another origin: must not be followed
                return 302, {"Location": f"{self.elsewhere}/wado/{sop}"}, b""
            if kind == "redirects" and sop.endswith(".2") and "moved" not in query:  # inside the store: followed
                return 302, {"Location": f"{self.url}/studies/{study}/series/{series}/instances/{sop}?moved=1"}, b""
            if kind == "no_boundary":
                body = b"--xyz\r\nContent-Type: application/dicom\r\n\r\n" + data + b"\r\n--xyz--\r\n"
                return 200, {"Content-Type": 'multipart/related; type="application/dicom"'}, body
            if kind == "endless":
                return 404, {}, b""
            boundary = "b0undary22"
            body = (
                f"--{boundary}\r\nContent-Type: application/dicom\r\n\r\n".encode() + data + f"\r\n--{boundary}--\r\n".encode()
            )
            return 200, {"Content-Type": f'multipart/related; type="application/dicom"; boundary={boundary}'}, body
        return 404, {}, b""

    def stop(self) -> None:
        for server in (self._server, self._elsewhere):
            server.shutdown()
            server.server_close()


__all__ = [
    "ESCAPE",
    "HostileStore",
    "PASSWORD",
    "PATIENT",
    "PLANTED",
    "STRANGER",
    "Snapshot",
    "dicom_cases",
    "escaped_names",
    "files_under",
    "fuzz_cases",
    "fuzzed_uids",
    "planted_in",
    "special_files",
    "store_instance",
]
