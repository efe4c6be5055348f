"""What both commands check before a job starts: the run key, the config file, inputs and outputs.

``SetupError`` carries every problem found (one message each, naming the option or
JSON path); ``KeySource`` tells workers where the run key is without ever showing it.
Every output folder is created if needed and written to (a probe file, removed
after, and so are the folders the probe created), so an unwritable output stops the
job before anything is read. Nothing here imports Beam unless a path is on gs://
(``pipeline.connectors.gcs``: bounded waits, named causes).
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from dataclasses import dataclass

from pipeline.connectors import gcs
from pipeline.connectors.files import is_gcs, read_bytes, read_source
from pipeline.options import (
    UID_KEY_ENV,
)
from transforms.deid_config import DeidSpec, parse_config
from transforms.dicom.uids import decode_key, random_key
from transforms.errors import ConfigError, DeidError, InputNotRegularError, InputTooLargeError, cause

_LOGGER = logging.getLogger(__name__)

# The most read of each file the job reads before it starts (a FIFO, a device or a link to
# /dev/zero is refused whatever its size): a key is 32 bytes in base64, a config a few
# kilobytes; a filter may list millions of instances.
KEY_MAX_BYTES = 64 * 1024
CONFIG_MAX_BYTES = 64 * 1024**2
FILTER_MAX_BYTES = 4 * 1024**3


class SetupError(Exception):
    """The job cannot start; ``problems`` lists why, one message each."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


class Secret:
    """Key bytes that never show in repr, str, logs or pipeline option listings."""

    def __init__(self, value: bytes) -> None:
        self._value = value

    def reveal(self) -> bytes:
        """Return the key bytes (for the engine only)."""
        return self._value

    def __repr__(self) -> str:
        return "Secret(<hidden>)"

    __str__ = __repr__


@dataclass(frozen=True)
class KeySource:
    """Where workers get the UID key: a file they read in setup(), or the bytes."""

    path: str | None = None
    secret: Secret | None = None
    origin: str = "random"

    def load(self) -> bytes:
        """Return the key bytes (reads the key file on a worker)."""
        if self.path:
            return decode_key(read_bytes(self.path, KEY_MAX_BYTES))
        assert self.secret is not None
        return self.secret.reveal()


def _local_absolute(path: str | None) -> str | None:
    """A local path made absolute against the launcher's working directory (gs:// and None unchanged).

    Every ``*_output`` option accepts a bare file name, a relative or absolute
    path or gs://; workers (other processes) then write where the user meant.
    """
    if not path or path.startswith("gs://"):
        return path
    return os.path.abspath(path)


def _uses_kms(obj) -> bool:
    if isinstance(obj, dict):
        return any(k in ("kmsWrapped", "kms_wrapped") or _uses_kms(v) for k, v in obj.items())
    if isinstance(obj, list):
        return any(_uses_kms(v) for v in obj)
    return False


def _is_inside(path: str, folder: str) -> bool:
    if path.startswith("gs://") or folder.startswith("gs://"):
        return path == folder or path.startswith(folder + "/")
    p, f = os.path.abspath(path), os.path.abspath(folder)
    return p == f or p.startswith(f + os.sep)


def setup_read(path: str, limit: int) -> bytes:
    """A config, key or filter file's bytes before the job starts (local, or gs:// with a bounded wait).

    Only a regular file is read (checked by ``stat`` and again on the open file), and at most
    ``limit`` bytes of it.

    Raises
    ------
    SetupProblem
        With the cause in words (no such file, permission, no bucket, not a regular file, too large, ...).
    """
    if is_gcs(path):
        try:
            data = gcs.read(path, limit)
        except gcs.GcsProblem as exc:
            raise SetupProblem(str(exc)) from None
    else:
        try:
            data = read_source(path, limit)
        except InputNotRegularError:
            raise SetupProblem("not a regular file (a FIFO, device, socket or folder is never read)") from None
        except InputTooLargeError:
            raise SetupProblem(f"larger than {limit} bytes") from None
        except OSError as exc:
            raise SetupProblem(exc.strerror or "an I/O error") from None
    if len(data) > limit:  # it grew after its size was taken
        raise SetupProblem(f"larger than {limit} bytes")
    return data


class SetupProblem(Exception):
    """Why one path cannot be used, in words (the caller adds the option and the path)."""


def read_problem(what: str, path: str, exc: BaseException) -> str:
    """The one-line problem of a file that cannot be read or decoded."""
    if isinstance(exc, SetupProblem):
        return f"{what} {path}: cannot be read: {exc}"
    if isinstance(exc, UnicodeDecodeError):
        return f"{what} {path}: not UTF-8 text (byte {exc.start})"
    if isinstance(exc, RecursionError):
        return f"{what} {path}: cannot be read: its JSON is nested too deeply"
    return f"{what} {path}: cannot be read ({cause(exc)})"


def _load_json(path: str, what: str, problems: list[str]):
    try:
        return json.loads(setup_read(path, CONFIG_MAX_BYTES).decode("utf-8"))
    except json.JSONDecodeError as exc:
        problems.append(f"{what} {path}: not valid JSON (line {exc.lineno}, column {exc.colno})")
    except Exception as exc:
        problems.append(read_problem(what, path, exc))
    return None


def check_outputs(outputs: list[tuple[str, str | None, str]], problems: list[str], remote: bool) -> None:
    """Check that each output can be written: ``(flag, path, "folder" | "file")``; None paths are skipped.

    Local outputs always (``remote`` False: gs:// ones are left for later, as they need Beam and the
    network); a folder that does not exist is created for the probe and removed again.
    """
    checked: set[str] = set()  # each folder once (the default failures and summary files lie in --output)
    for flag, path, kind in outputs:
        if not path or is_gcs(path) != remote:
            continue
        folder = path if kind == "folder" else (path.rsplit("/", 1)[0] if is_gcs(path) else os.path.dirname(path) or ".")
        if not remote:
            folder = os.path.abspath(folder)
        if folder in checked:
            continue
        checked.add(folder)
        if remote:
            try:
                gcs.probe_write(folder)
            except gcs.GcsProblem as exc:
                problems.append(f"{flag} {path}: {exc}")
            continue
        if kind == "folder" and os.path.exists(path) and not os.path.isdir(path):
            problems.append(f"{flag} {path}: is a file, not a folder")
            continue
        if kind == "file" and os.path.isdir(path):
            problems.append(f"{flag} {path}: is a folder, not a file")
            continue
        problem = probe_local_folder(folder)
        if problem:
            problems.append(f"{flag} {path}: {problem}")


def probe_local_folder(folder: str) -> str | None:
    """Create ``folder`` if needed and write a probe file in it; remove both again. The cause, or None."""
    folder = os.path.abspath(folder)
    missing = []
    existing = folder
    while not os.path.exists(existing):
        missing.append(existing)
        existing = os.path.dirname(existing)
    if not os.path.isdir(existing):
        return f"cannot be created: {existing} is a file"
    try:
        try:
            os.makedirs(folder, exist_ok=True)
        except OSError as exc:
            return f"cannot be created ({exc.strerror})"
        probe = os.path.join(folder, f"{gcs.PROBE_NAME}{uuid.uuid4().hex}")
        try:
            fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError as exc:
            return f"cannot be written ({exc.strerror})"
        try:
            os.write(fd, b"probe")
        except OSError as exc:
            return f"cannot be written ({exc.strerror})"
        finally:
            os.close(fd)
            os.remove(probe)
        return None
    finally:
        for made in missing:  # deepest first
            try:
                os.rmdir(made)
            except OSError:
                pass


Note = tuple  # (logging level, message): said once the job is known to start (``announce``)


def announce(notes) -> None:
    """Log the notes gathered while the job was checked (nothing is said for a job that cannot start)."""
    for level, message in notes:
        _LOGGER.log(level, "%s", message)


class Announcing:
    """What both job configs share: their notes, said once the job is known to start."""

    notes: tuple

    def announce(self) -> None:
        """Log what the checks noted (ignored fields, a random key, ...)."""
        announce(self.notes)

    def checked(self, check_services: bool):
        """The job itself, after ``remote_problems`` when ``check_services`` (and then its notes said).

        Raises
        ------
        SetupError
            With what gs:// or a DICOMweb service answered.
        """
        if check_services:
            problems = self.remote_problems()
            if problems:
                raise SetupError(problems)
            self.announce()
        return self


def outputs_of(output, failures_output, summary_output, mapping: tuple[str, str | None], annotations_output):
    """Every output location of a job as (flag, path, "folder" or "file"), for ``check_outputs``."""
    return [
        ("--output", output, "folder"),
        ("--failures_output", failures_output, "file"),
        ("--summary_output", summary_output, "file"),
        (*mapping, "file"),
        ("--annotations_output", annotations_output, "folder"),
    ]


def _load_spec(path: str | None, problems: list[str], notes: list[Note] | None = None, dicom: bool = True) -> DeidSpec:
    obj = {} if path is None else _load_json(path, "--config", problems)
    if obj is None:
        return DeidSpec()
    log = _LOGGER.info if notes is None else (lambda message: notes.append((logging.INFO, message)))
    try:
        spec = parse_config(obj, log=log)
        if spec.resource_filter is not None and dicom:
            log("request.resourceFilter applies to fhir-deid only; it has no effect on DICOM instances")
        if spec.config_uri:
            inner = _load_json(spec.config_uri, "request.gcsConfigUri", problems)
            if inner is None:
                return spec
            loaded = parse_config(inner, log=log)
            return DeidSpec(**{**loaded.__dict__, "filter_uri": spec.filter_uri, "resource_filter": spec.resource_filter})
        return spec
    except ConfigError as exc:
        problems.extend(exc.problems)
        return DeidSpec()


def key_source(path: str | None, flag: str, env, problems: list[str]) -> KeySource:
    """The run key: a key file (checked here, read again by workers), $DEID_UID_KEY, or random."""
    if path:
        try:
            decode_key(setup_read(path, KEY_MAX_BYTES))
        except DeidError as exc:
            problems.append(f"{flag} {path}: {exc}")
        except Exception as exc:
            problems.append(read_problem(flag, path, exc))
        return KeySource(path=_local_absolute(path), origin="file")
    if env.get(UID_KEY_ENV):
        try:
            return KeySource(secret=Secret(decode_key(env[UID_KEY_ENV].encode())), origin="environment")
        except DeidError as exc:
            problems.append(f"${UID_KEY_ENV}: {exc}")
            return KeySource(secret=Secret(b""), origin="environment")
    return KeySource(secret=Secret(random_key()), origin="random")


def random_key_notes(key: KeySource, flag: str) -> list[Note]:
    """The warning of a job that runs with a random key."""
    if key.origin != "random":
        return []
    return [(logging.WARNING, f"No key given ({flag} or ${UID_KEY_ENV}): using a random key for this run only. "
             "Reruns will map UIDs and ids differently.")]
