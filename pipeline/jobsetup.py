"""What both commands check before a job starts: the run key, the config file, local paths.

``SetupError`` carries every problem found (one message each, naming the option or
JSON path); ``KeySource`` tells workers where the run key is without ever showing it.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass

from pipeline.connectors.files import read_bytes
from pipeline.options import (
    UID_KEY_ENV,
)
from transforms.deid_config import DeidSpec, parse_config
from transforms.dicom.uids import decode_key, random_key
from transforms.errors import ConfigError, DeidError

_LOGGER = logging.getLogger(__name__)


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
            return decode_key(read_bytes(self.path))
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


def _load_json(path: str, what: str, problems: list[str]):
    try:
        return json.loads(read_bytes(path).decode("utf-8"))
    except json.JSONDecodeError as exc:
        problems.append(f"{what} {path}: not valid JSON (line {exc.lineno}, column {exc.colno})")
    except Exception as exc:
        problems.append(f"{what} {path}: cannot be read ({type(exc).__name__})")
    return None


def _load_spec(path: str | None, problems: list[str]) -> DeidSpec:
    obj = {} if path is None else _load_json(path, "--config", problems)
    if obj is None:
        return DeidSpec()
    try:
        spec = parse_config(obj, log=_LOGGER.info)
        if spec.resource_filter is not None:
            _LOGGER.info("request.resourceFilter applies to fhir-deid only; it has no effect on DICOM instances")
        if spec.config_uri:
            inner = _load_json(spec.config_uri, "request.gcsConfigUri", problems)
            if inner is None:
                return spec
            loaded = parse_config(inner, log=_LOGGER.info)
            return DeidSpec(**{**loaded.__dict__, "filter_uri": spec.filter_uri, "resource_filter": spec.resource_filter})
        return spec
    except ConfigError as exc:
        problems.extend(exc.problems)
        return DeidSpec()


def key_source(path: str | None, flag: str, env, problems: list[str]) -> KeySource:
    """The run key: a key file (checked here, read again by workers), $DEID_UID_KEY, or random."""
    if path:
        try:
            decode_key(read_bytes(path))
        except DeidError as exc:
            problems.append(f"{flag} {path}: {exc}")
        except Exception as exc:
            problems.append(f"{flag} {path}: cannot be read ({type(exc).__name__})")
        return KeySource(path=_local_absolute(path), origin="file")
    if env.get(UID_KEY_ENV):
        try:
            return KeySource(secret=Secret(decode_key(env[UID_KEY_ENV].encode())), origin="environment")
        except DeidError as exc:
            problems.append(f"${UID_KEY_ENV}: {exc}")
            return KeySource(secret=Secret(b""), origin="environment")
    _LOGGER.warning(
        "No key given (%s or $%s): using a random key for this run only. "
        "Reruns will map UIDs and ids differently.",
        flag,
        UID_KEY_ENV,
    )
    return KeySource(secret=Secret(random_key()), origin="random")
