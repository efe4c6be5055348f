"""File access through Beam's FileSystems (local paths and gs://): reading, atomic and owner-only writing.

Beam is imported only when a gs:// path is met (``_beam_fs``): local reads and the job's
checks before it starts do not wait for it.

``expand_inputs`` turns --input values into match patterns; ``write_atomic`` and
``place_instance`` write through a temporary name, so a reader never sees a partial file
and an existing output is never replaced (the job's JSON-lines records are written by
``pipeline.records``).

Hostile input (docs/security.md): inputs are read only when they are regular files
(``source_stamp`` by ``stat`` before opening, ``open_source`` again by ``fstat`` on the
opened descriptor), within a byte limit (``read_source``); the size and modification
time seen when an input was examined (``SourceStamp``) are checked again when its
tail is copied later (``check_unchanged``). Every output path built from input
values goes through ``confined``: plain name components, under its root; and
clean-up removes only temporaries named as this tool names them.
"""

from __future__ import annotations

import ctypes
import errno
import glob
import hashlib
import logging
import os
import re
import stat
import sys
import uuid
from dataclasses import dataclass

from transforms.errors import (
    InputNotRegularError,
    InputTooLargeError,
    OutputPathError,
    SourceChangedError,
)

_LOGGER = logging.getLogger(__name__)
# Re-identifying outputs (UID mapping, annotations with quotes): owner-only, whatever the umask.
PRIVATE_MODE = 0o600
_GLOB_CHARS = set("*?[")
_TMP_MARK = ".tmp-"
# Test-only: a write DoFn that reads this variable dies (os._exit) in the middle of the
# write after that many outputs, leaving a temporary file behind like a killed worker.
CRASH_ENV = "DEID_TEST_CRASH_AFTER_WRITES"
CRASH_EXIT = 70


def _beam_fs():
    """Beam's ``FileSystems`` and ``CompressionTypes``, imported on first use (gs://, the running job)."""
    from apache_beam.io.filesystem import CompressionTypes
    from apache_beam.io.filesystems import FileSystems

    return FileSystems, CompressionTypes


# A name this job writes: letters, digits, dot, dash, underscore (UIDs, "studies", shard names).
_SAFE_NAME = re.compile(r"[0-9A-Za-z_-][0-9A-Za-z._-]{0,254}")
# The temporaries write_atomic and place_instance make: <safe name>.tmp-<run id>-<uuid4 hex>.
_TMP_NAME = re.compile(r"[0-9A-Za-z_-][0-9A-Za-z._-]*\.tmp-[0-9A-Za-z]{1,32}-[0-9a-f]{32}")
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
NOT_REGULAR = "the input is not a regular file (a FIFO, device, socket or folder, or a link to one) and is not read"


@dataclass(frozen=True)
class SourceStamp:
    """What an input was when it was examined: its size and modification time (ns; gs://: its update time)."""

    size: int
    mtime: int


def source_stamp(path: str) -> SourceStamp:
    """Stat an input before it is opened: its stamp, or InputNotRegularError for anything but a regular file.

    A local path is ``stat``-ed (links followed: a link to ``/dev/zero`` is a device);
    a FIFO, device, socket or folder is refused without being opened. A gs://
    object is always a regular file; its metadata gives size and update time.
    """
    if is_gcs(path):
        meta = _beam_fs()[0].get_filesystem(path).metadata(path)
        return SourceStamp(meta.size_in_bytes, int(round(meta.last_updated_in_seconds * 1e6)))
    st = os.stat(path)
    if not stat.S_ISREG(st.st_mode):
        raise InputNotRegularError(NOT_REGULAR)
    return SourceStamp(st.st_size, st.st_mtime_ns)


def open_source(path: str, stamp: SourceStamp | None = None):
    """Open an input for reading bytes: a regular file only; with ``stamp``, one that still matches it.

    Locally the file is opened non-blocking (a FIFO put in its place after the
    ``stat`` cannot hang the job) and checked with ``fstat`` before any byte is read.

    Raises
    ------
    InputNotRegularError
        The path is not (or no longer) a regular file.
    SourceChangedError
        ``stamp`` is given and the file's size or modification time differ from it.
    """
    if is_gcs(path):
        if stamp is not None and source_stamp(path) != stamp:
            raise SourceChangedError(_CHANGED)
        FileSystems, CompressionTypes = _beam_fs()
        return FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED)
    fd = os.open(path, _OPEN_FLAGS)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise InputNotRegularError(NOT_REGULAR)
        if stamp is not None and SourceStamp(st.st_size, st.st_mtime_ns) != stamp:
            raise SourceChangedError(_CHANGED)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


_CHANGED = "the source file changed (size or modification time) after it was examined: its pixel data is not copied"


def check_unchanged(f, path: str, stamp: SourceStamp) -> None:
    """Raise SourceChangedError when the open input ``f`` no longer matches ``stamp`` (after a copy)."""
    if is_gcs(path):
        now = source_stamp(path)
    else:
        st = os.fstat(f.fileno())
        now = SourceStamp(st.st_size, st.st_mtime_ns)
    if now != stamp:
        raise SourceChangedError(_CHANGED)


def read_source(path: str, limit: int, what: str = "--max_instance_bytes", size: int | None = None) -> bytes:
    """Return a whole input (a regular file, at most ``limit`` bytes; InputTooLargeError beyond).

    The read asks for the size the open file has (one byte more, to see growth), never
    for ``limit`` bytes: a buffer of the limit's size would be allocated for every file.
    ``size``: a gs:// object's size when the caller knows it (the match), saving a request.
    """
    with open_source(path) as f:
        if not is_gcs(path):
            size = os.fstat(f.fileno()).st_size
        elif size is None:
            size = source_stamp(path).size
        if size > limit:
            raise InputTooLargeError(too_large(what, limit))
        data = f.read(size + 1)
        if len(data) > size:  # it grew while read: read on, within the limit
            data += f.read(limit + 1 - len(data)) if len(data) <= limit else b""
    if len(data) > limit:
        raise InputTooLargeError(too_large(what, limit))
    return data


def too_large(what: str, limit: int, noun: str = "the input is larger") -> str:
    """The failure message of an input over its limit (names the option, never a value)."""
    return f"{noun} than {what} ({limit} bytes) and is not read"


def confined(root: str, relative: str) -> str:
    """Return ``root/relative`` for an output, checked to stay under ``root``.

    Every component of ``relative`` (``/``-separated) must be a plain name
    (letters, digits, ``.``, ``-``, ``_``; not ``.`` or ``..``), and the joined
    local path must normalize to a path under ``root``. Output names are built
    from validated UIDs (``transforms.dicom.outpath``) and fixed words, so this
    never fires on a good run: it is the last guard between input values and the
    file system.

    Raises
    ------
    OutputPathError
        When a component is not a plain name or the path would leave ``root``.
    """
    parts = relative.split("/")
    if not all(_SAFE_NAME.fullmatch(part) and part.strip(".") for part in parts):
        raise OutputPathError("the output path built for this input is not made of plain names: nothing is written")
    path = join(root, *parts)
    if not is_gcs(root):
        base = os.path.normpath(os.path.abspath(root))
        if os.path.commonpath([base, os.path.normpath(os.path.abspath(path))]) != base:
            raise OutputPathError("the output path built for this input leaves its output folder: nothing is written")
    return path


def _check_resolves_under(folder: str, root: str) -> None:
    """Raise OutputPathError when a local folder (links resolved) is not under ``root`` (links resolved)."""
    base = os.path.realpath(root)
    if os.path.commonpath([base, os.path.realpath(folder)]) != base:
        raise OutputPathError("an output folder resolves outside its output root (a link): nothing is written")


def is_gcs(path: str) -> bool:
    """Return True for gs:// paths."""
    return path.startswith("gs://")


def join(base: str, *parts: str) -> str:
    """Join path parts with '/' for gs:// and os.path for local paths."""
    if not is_gcs(base):
        return os.path.join(base, *parts)
    return _beam_fs()[0].join(base, *parts)


def read_bytes(path: str, limit: int | None = None) -> bytes:
    """Return the whole content of a local or gs:// file (with ``limit``: a regular file of at
    most that many bytes, InputNotRegularError or InputTooLargeError otherwise)."""
    if limit is not None and not is_gcs(path):
        return read_source(path, limit, "the limit of this file")
    if not is_gcs(path):
        with open(path, "rb") as f:
            return f.read()
    FileSystems, CompressionTypes = _beam_fs()
    with FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED) as f:
        data = f.read() if limit is None else f.read(limit + 1)
    if limit is not None and len(data) > limit:
        raise InputTooLargeError(too_large("the limit of this file", limit))
    return data


def write_bytes_atomic(path: str, data: bytes, made_dirs: set[str] | None = None, mode: int | None = None) -> None:
    """Write a file so that readers see the old file or the whole new one (see ``write_atomic``)."""
    write_atomic(path, lambda f: f.write(data), made_dirs, mode=mode)


def _ensure_folder(path: str, made_dirs: set[str] | None, run_id: str | None, root: str | None = None) -> str:
    """Create the local folder of ``path`` once (none for a bare file name); return it.

    With ``root``, the folder must resolve (links followed) under it, checked once
    per folder, before anything is removed or written there.
    """
    folder = os.path.dirname(path)
    if made_dirs is None or folder not in made_dirs:
        if folder:
            os.makedirs(folder, exist_ok=True)
        if root is not None:
            _check_resolves_under(folder or ".", root)
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
        FileSystems, CompressionTypes = _beam_fs()
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


def remove_stale_temporaries(folder: str, run_id: str, root: str | None = None) -> int:
    """Remove temporaries of other runs in a local output folder; return how many.

    Only files named exactly as ``write_atomic`` and ``place_instance`` name theirs
    (``<name>.tmp-<run id>-<32 hex digits>``, a regular file, not a link) are
    removed: another program's ``*.tmp-*`` file is left alone. Callers pass only
    folders under an output root (``confined``); with ``root`` the folder must
    also resolve under it (links followed).
    """
    if root is not None:
        _check_resolves_under(folder, root)
    removed = 0
    mine = f"{_TMP_MARK}{run_id}-"
    with os.scandir(folder) as entries:
        for entry in entries:
            if (
                _TMP_MARK in entry.name
                and mine not in entry.name
                and _TMP_NAME.fullmatch(entry.name)
                and entry.is_file(follow_symlinks=False)
            ):
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


def expand_inputs(inputs: list[str], gcs_exists=None) -> list[str]:
    """Turn --input values into match patterns, checking that plain paths exist.

    A folder (or a gs:// prefix that is not an object) becomes ``folder/**``;
    a glob is kept; a file is kept. ``gcs_exists(path)`` tells whether a gs://
    path is an object (default: Beam's FileSystems).

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
                exists = gcs_exists or _beam_fs()[0].exists
                patterns.append(item if not item.endswith("/") and exists(item) else item.rstrip("/") + "/**")
            elif os.path.isdir(item):
                patterns.append(os.path.join(os.path.abspath(item), "**"))
            elif os.path.isfile(item):
                patterns.append(os.path.abspath(item))
            else:
                raise ValueError(f"--input {item}: no such file or folder")
    return patterns


def match_files(pattern: str, gcs_list=None) -> list[str]:
    """The files a Beam match pattern names, sorted (``*`` stays within a folder, ``**`` crosses folders).

    Local patterns without ``**`` or ``?`` are matched with ``glob``, and ``FOLDER/**`` by walking the
    folder (the same files as Beam's FileSystems.match, without importing Beam); the others, and
    gs://, by Beam's FileSystems.
    ``gcs_list(pattern, limit=1)`` is called first for a gs:// pattern (a bounded check of its
    bucket that raises with the cause).
    """
    if not is_gcs(pattern) and pattern.endswith("/**") and not _GLOB_CHARS & set(pattern[:-3]):
        # A folder read recursively (what --input FOLDER becomes): every file under it, as Beam lists it.
        return sorted(os.path.join(d, f) for d, _, files in os.walk(pattern[:-3]) for f in files)
    if not is_gcs(pattern) and "**" not in pattern and "?" not in pattern:
        if not _GLOB_CHARS & set(pattern):
            return [pattern] if os.path.isfile(pattern) else []
        return sorted(p for p in glob.glob(pattern, include_hidden=True) if os.path.isfile(p))
    if is_gcs(pattern) and gcs_list is not None:
        gcs_list(pattern, limit=1)
    return sorted(m.path for m in _beam_fs()[0].match([pattern])[0].metadata_list)


def open_file(path: str):
    """Open a local or gs:// file for reading bytes (no decompression)."""
    if is_gcs(path):
        FileSystems, CompressionTypes = _beam_fs()
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


def place_instance(
    final: str, fill, made_dirs: set[str] | None, run_id: str, root: str | None = None
) -> tuple[str | None, bool, str | None]:
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
    one input (no hashing for the common path). With ``root`` (the output folder;
    ``final`` comes from ``confined``), a new local folder must resolve under it.
    """
    tmp = f"{final}{_TMP_MARK}{run_id}-{uuid.uuid4().hex}"
    if is_gcs(final):
        FileSystems, CompressionTypes = _beam_fs()
        target = tmp if FileSystems.exists(final) else final
        with FileSystems.create(target, compression_type=CompressionTypes.UNCOMPRESSED) as f:
            hashing = _Hashing(f)
            fill(hashing)
        return hashing.hash.hexdigest(), target == final, None if target == final else tmp
    folder = _ensure_folder(final, made_dirs, run_id, root)
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
        _beam_fs()[0].delete([path])
    elif os.path.exists(path):
        os.remove(path)


def replace_file(staged: str, final: str) -> None:
    """Put a staged copy in place of ``final`` (atomic locally; copy then delete on gs://)."""
    if is_gcs(final):
        _beam_fs()[0].rename([staged], [final])
    else:
        os.replace(staged, final)


__all__ = [
    "NOT_REGULAR",
    "PRIVATE_MODE",
    "SourceStamp",
    "check_unchanged",
    "confined",
    "expand_inputs",
    "file_digest",
    "match_files",
    "is_gcs",
    "join",
    "open_file",
    "open_source",
    "place_instance",
    "read_bytes",
    "read_source",
    "remove_file",
    "remove_stale_temporaries",
    "replace_file",
    "source_stamp",
    "too_large",
    "write_atomic",
    "write_bytes_atomic",
    "write_text",
]
