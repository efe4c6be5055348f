"""File access through Beam's FileSystems (local paths and gs://): reading, atomic and owner-only writing.

``expand_inputs`` turns --input values into match patterns; ``write_atomic`` and
``place_instance`` write through a temporary name, so a reader never sees a partial file
and an existing output is never replaced; ``WriteFailures`` and ``WriteLines`` write the
job's JSON-lines records.
"""

from __future__ import annotations

import ctypes
import errno
import hashlib
import json
import logging
import os
import sys
import uuid

import apache_beam as beam
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems

_LOGGER = logging.getLogger(__name__)
# Re-identifying outputs (UID mapping, annotations with quotes): owner-only, whatever the umask.
PRIVATE_MODE = 0o600
_GLOB_CHARS = set("*?[")
_TMP_MARK = ".tmp-"
# Test-only: a write DoFn that reads this variable dies (os._exit) in the middle of the
# write after that many outputs, leaving a temporary file behind like a killed worker.
CRASH_ENV = "DEID_TEST_CRASH_AFTER_WRITES"
CRASH_EXIT = 70


def is_gcs(path: str) -> bool:
    """Return True for gs:// paths."""
    return path.startswith("gs://")


def join(base: str, *parts: str) -> str:
    """Join path parts with '/' for gs:// and os.path for local paths."""
    return FileSystems.join(base, *parts) if is_gcs(base) else os.path.join(base, *parts)


def read_bytes(path: str) -> bytes:
    """Return the whole content of a local or gs:// file."""
    if not is_gcs(path):
        with open(path, "rb") as f:
            return f.read()
    with FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED) as f:
        return f.read()


def write_bytes_atomic(path: str, data: bytes, made_dirs: set[str] | None = None, mode: int | None = None) -> None:
    """Write a file so that readers see the old file or the whole new one (see ``write_atomic``)."""
    write_atomic(path, lambda f: f.write(data), made_dirs, mode=mode)


def _ensure_folder(path: str, made_dirs: set[str] | None, run_id: str | None) -> str:
    """Create the local folder of ``path`` once (none for a bare file name); return it."""
    folder = os.path.dirname(path)
    if made_dirs is None or folder not in made_dirs:
        if folder:
            os.makedirs(folder, exist_ok=True)
        if run_id is not None:
            remove_stale_temporaries(folder or ".", run_id)
        if made_dirs is not None:
            made_dirs.add(folder)
    return folder


def _open_new(tmp: str, folder: str, mode: int | None):
    """Open a new local temporary file; with ``mode``, set exactly (fchmod ignores the umask)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(tmp, flags, 0o600 if mode is not None else 0o666)
    except FileNotFoundError:  # the folder went away since it was cached
        if not folder:
            raise
        os.makedirs(folder, exist_ok=True)
        fd = os.open(tmp, flags, 0o600 if mode is not None else 0o666)
    if mode is not None:
        os.fchmod(fd, mode)
    return os.fdopen(fd, "wb")


def write_atomic(
    path: str, fill, made_dirs: set[str] | None = None, run_id: str | None = None, mode: int | None = None
) -> None:
    """Create ``path`` with ``fill(file)`` so that readers see no file or the whole file.

    GCS objects appear only when their upload completes; locally the bytes go
    to a temporary sibling ``<path>.tmp-<run>-<random>`` that is then renamed
    over the target. ``made_dirs`` remembers folders already created (one
    ``makedirs`` per folder, not per file). With ``run_id`` (the instance
    writer), the first write into a folder also removes temporary files that an
    earlier, killed run left there (another run id): a rerun leaves no partial file.
    A local ``path`` may be a bare file name (the working directory). With
    ``mode`` a local file gets exactly that mode, whatever the umask (set on the
    temporary file before any byte is written); on gs:// the bucket's IAM decides.
    """
    if is_gcs(path):
        with FileSystems.create(path, compression_type=CompressionTypes.UNCOMPRESSED) as f:
            fill(f)
        return
    folder = _ensure_folder(path, made_dirs, run_id)
    tmp = f"{path}{_TMP_MARK}{run_id or 'w'}-{uuid.uuid4().hex}"
    try:
        with _open_new(tmp, folder, mode) as f:
            fill(f)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def remove_stale_temporaries(folder: str, run_id: str) -> int:
    """Remove ``*.tmp-*`` files of other runs in a local folder; return how many."""
    removed = 0
    mine = f"{_TMP_MARK}{run_id}-"
    with os.scandir(folder) as entries:
        for entry in entries:
            if _TMP_MARK in entry.name and mine not in entry.name and entry.is_file():
                try:
                    os.remove(entry.path)
                    removed += 1
                except FileNotFoundError:
                    pass
    if removed:
        _LOGGER.info("Removed %d temporary file(s) of an interrupted run in %s", removed, folder)
    return removed


def write_text(path: str, text: str, private: bool = False) -> None:
    """Write UTF-8 text atomically (summary, failures, mapping files); ``private``: mode 0600 locally."""
    write_bytes_atomic(path, text.encode("utf-8"), mode=PRIVATE_MODE if private else None)


def expand_inputs(inputs: list[str]) -> list[str]:
    """Turn --input values into match patterns, checking that plain paths exist.

    A folder (or a gs:// prefix that is not an object) becomes ``folder/**``;
    a glob is kept; a file is kept.

    Raises
    ------
    ValueError
        Naming an input that is neither a glob nor an existing file or folder.
    """
    patterns = []
    for raw in inputs:
        for item in (p.strip() for p in raw.split(",")):
            if not item:
                continue
            if _GLOB_CHARS & set(item):
                patterns.append(item)
            elif is_gcs(item):
                patterns.append(item if FileSystems.exists(item) and not item.endswith("/") else item.rstrip("/") + "/**")
            elif os.path.isdir(item):
                patterns.append(os.path.join(os.path.abspath(item), "**"))
            elif os.path.isfile(item):
                patterns.append(os.path.abspath(item))
            else:
                raise ValueError(f"--input {item}: no such file or folder")
    return patterns


def open_file(path: str):
    """Open a local or gs:// file for reading bytes (no decompression)."""
    if is_gcs(path):
        return FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED)
    return open(path, "rb")


class _Hashing:
    """A write-only file wrapper that digests every byte written (SHA-256)."""

    def __init__(self, f) -> None:
        self._f = f
        self.hash = hashlib.sha256()

    def write(self, block) -> int:
        self.hash.update(block)
        return self._f.write(block)

    def flush(self) -> None:
        self._f.flush()


def file_digest(path: str, chunk: int = 1 << 20) -> str:
    """SHA-256 of a local or gs:// file, read in chunks."""
    h = hashlib.sha256()
    with open_file(path) as f:
        while True:
            block = f.read(chunk)
            if not block:
                return h.hexdigest()
            h.update(block)


def place_instance(final: str, fill, made_dirs: set[str] | None, run_id: str) -> tuple[str | None, bool, str | None]:
    """Write an instance's bytes for ``final`` without replacing what is there; return (digest, placed, staged).

    Locally the bytes go to a temporary sibling that is moved to ``final``
    only if ``final`` is absent (``_rename_no_replace``: atomic, exact with any
    number of writers): ``placed`` is True. When
    ``final`` exists (another input with the same new UIDs, or an earlier run)
    the temporary file is kept, ``staged``, for the decision after all writes.
    On gs:// an absent object is created directly (check, then create: two
    writers of one new path at the same moment may both create it; the decision
    then reads the object back); an existing one gets a staged temporary object.
    On gs:// the digest (SHA-256 of every byte written, the copied PixelData of
    a large instance included) is computed while writing, since a raced object
    keeps only one writer's bytes; locally it is None: every member's bytes stay
    on disk until the decision, which digests them only for a path with more than
    one input (no hashing for the common path).
    """
    tmp = f"{final}{_TMP_MARK}{run_id}-{uuid.uuid4().hex}"
    if is_gcs(final):
        target = tmp if FileSystems.exists(final) else final
        with FileSystems.create(target, compression_type=CompressionTypes.UNCOMPRESSED) as f:
            hashing = _Hashing(f)
            fill(hashing)
        return hashing.hash.hexdigest(), target == final, None if target == final else tmp
    folder = _ensure_folder(final, made_dirs, run_id)
    try:
        with _open_new(tmp, folder, None) as f:
            fill(f)
        try:
            _rename_no_replace(tmp, final)
        except FileExistsError:
            return None, False, tmp
        return None, True, None
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def _rename_no_replace(tmp: str, final: str) -> None:
    """Move ``tmp`` to ``final`` only if ``final`` is absent (atomic); FileExistsError otherwise.

    Linux's renameat2(RENAME_NOREPLACE) does it in one directory operation; where
    it is missing (another OS, an old kernel or C library, a file system without
    it) a hard link and the removal of ``tmp`` do the same in two. With several
    workers writing into one folder, each directory operation waits for the
    folder's lock (perf, 2 workers: a tenth of the run spinning on it).
    """
    global _RENAMEAT2
    if _RENAMEAT2 is None:
        _RENAMEAT2 = _load_renameat2()
    if _RENAMEAT2:
        if _RENAMEAT2(_AT_FDCWD, os.fsencode(tmp), _AT_FDCWD, os.fsencode(final), _RENAME_NOREPLACE) == 0:
            return
        err = ctypes.get_errno()
        if err == errno.EEXIST:
            raise FileExistsError(err, os.strerror(err), final)
        if err not in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
            raise OSError(err, os.strerror(err), final)
    os.link(tmp, final)
    os.remove(tmp)


_AT_FDCWD = -100
_RENAME_NOREPLACE = 1
_RENAMEAT2 = None


def _load_renameat2():
    """libc's renameat2, or False where there is none."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    fn.restype = ctypes.c_int
    return fn


def remove_file(path: str) -> None:
    """Remove a local or gs:// file if it is there."""
    if is_gcs(path):
        FileSystems.delete([path])
    elif os.path.exists(path):
        os.remove(path)


def replace_file(staged: str, final: str) -> None:
    """Put a staged copy in place of ``final`` (atomic locally; copy then delete on gs://)."""
    if is_gcs(final):
        FileSystems.rename([staged], [final])
    else:
        os.replace(staged, final)


class WriteFailures(beam.PTransform):
    """Write failure records as one sorted JSON-lines file (empty when none failed)."""

    def __init__(self, path: str) -> None:
        super().__init__()
        self._path = path

    def expand(self, failures):
        return (
            failures
            | "FailureToJson" >> beam.Map(lambda r: json.dumps(r, sort_keys=True))
            | "WriteFailuresFile" >> WriteLines(self._path)
        )


class WriteLines(beam.PTransform):
    """Write strings as one sorted text file, each line once (e.g. the UID mapping CSV).

    ``private``: a re-identifying file, created owner-only (0600) when local.
    """

    def __init__(self, path: str, header: str = "", private: bool = False) -> None:
        super().__init__()
        self._path = path
        self._header = header
        self._private = private

    def expand(self, lines):
        header = self._header
        path = self._path
        private = self._private

        def write(items):
            body = "".join(line + "\n" for line in sorted(set(items)))
            write_text(path, (header + "\n" if header else "") + body, private=private)
            return path

        return lines | "CollectLines" >> beam.combiners.ToList() | "WriteLinesFile" >> beam.Map(write)


__all__ = [
    "PRIVATE_MODE",
    "WriteFailures",
    "WriteLines",
    "expand_inputs",
    "file_digest",
    "is_gcs",
    "join",
    "open_file",
    "place_instance",
    "read_bytes",
    "remove_file",
    "remove_stale_temporaries",
    "replace_file",
    "write_atomic",
    "write_bytes_atomic",
    "write_text",
]
