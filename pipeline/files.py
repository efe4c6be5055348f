"""File access through Beam's FileSystems (local paths and gs://), and the file DoFns.

``expand_inputs`` turns --input values into match patterns; ``_ReadFn`` reads
each matched path (deciding the filter from the header first, so filtered-out
instances are never read whole); ``_WriteDicomFn`` writes outputs atomically.
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
from dataclasses import dataclass

import apache_beam as beam
from apache_beam import pvalue
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems
from apache_beam.metrics import Metrics

from pipeline.progress import Progress
from transforms.collisions import Member, conflict_error, resolve
from transforms.pixels.burnedin import needs_pixels
from transforms.dicom.deidentify import UidCache, failure_reason
from transforms.dicom.outpath import predict_output_path
from transforms.dicom.profiles import compile_plan
from transforms.dicom.streamcopy import copy_tail, copyable_tail, read_header, redactable_tail
from transforms.errors import PixelDataError
from transforms.pixels.framestream import FrameLayout, RedactedPixels, write_redacted

_LOGGER = logging.getLogger(__name__)
FAILED = "failed"
FILTERED = "filtered"
ANNOTATIONS = "annotations"
SKIPPED = "skipped"
DUPLICATES = "duplicates"
UID_PAIRS = "uid_pairs"
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


def failure_record(source: str, stage: str, error: str, message: str) -> dict:
    """Return the failure record of spec section 9 (no element values)."""
    return {"source": source, "stage": stage, "error": error, "message": message}


@dataclass(frozen=True)
class LargeInstance:
    """A large instance whose PixelData is copied, not read whole: its head and where pixels start.

    ``layout``: set when a redacting config examines and blacks out its frames
    one at a time (``transforms.pixels.framestream``); None for a copy.
    """

    header: bytes
    pixel_offset: int
    layout: FrameLayout | None = None


def _open(path: str):
    if is_gcs(path):
        return FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED)
    return open(path, "rb")


class _ReadFn(beam.DoFn):
    """(path, size) -> (path, bytes | LargeInstance); filtered, skipped and failed to side outputs.

    The header is read first (a bounded head of the file) when a filter,
    ``--skip_existing`` or the large-instance copy needs it: filtered-out and
    skipped instances are never read whole, and a large instance whose pixels
    are not redacted is never read whole at all; one whose frames a redacting
    config examines (``streamcopy.redactable_tail``) is read a frame at a time
    (with ``--output``: a DICOMweb destination alone takes whole instances or
    copied tails). Any
    instance is read whole at most once.
    """

    def __init__(self, job, progress: Progress) -> None:
        self._job = job
        self._progress = progress
        self._read = Metrics.counter("deid", "read")
        self._large = Metrics.counter("deid", "stream_copied")
        self._framed = Metrics.counter("deid", "stream_redacted")
        self._filtered = Metrics.counter("deid", "filtered_out")
        self._skipped = Metrics.counter("deid", "skipped")
        self._failed = Metrics.counter("deid", "failed_read")

    def setup(self) -> None:
        job = self._job
        self._plan = compile_plan(job.spec)
        self._remap = UidCache(job.key.load(), job.uid_root) if job.skip_existing else None
        self._existing = None
        if job.skip_existing and job.destination is not None:
            from pipeline.dicomweb_fns import ExistingOutputs

            self._existing = ExistingOutputs(job)
        self._cleaned: set[str] = set()
        self._copy_pixels = not needs_pixels(job.spec)
        self._frame_pixels = not self._copy_pixels and job.output is not None
        self._table_filter = self._merged = None
        self._progress.start()

    def teardown(self) -> None:
        if self._existing is not None:
            self._existing.close()
        self._progress.stop()

    def _filter(self, table_filter):
        """The local filter, united with the BigQuery one (side input) once per worker."""
        if table_filter is None:
            return self._job.instance_filter
        if table_filter is not self._table_filter:
            local = self._job.instance_filter
            self._table_filter = table_filter
            self._merged = table_filter if local is None else local.union(table_filter)
        return self._merged

    def process(self, element, table_filter=None):
        path, size = element
        job = self._job
        instance_filter = self._filter(table_filter)
        large = (self._copy_pixels or self._frame_pixels) and size is not None and size >= job.stream_copy_bytes
        stage = "filter" if instance_filter is not None else "read"
        try:
            if instance_filter is not None or job.skip_existing or large:
                with _open(path) as f:
                    try:
                        head, ds, pixel_offset = read_header(f)
                    except Exception:
                        if instance_filter is not None:
                            raise
                        head = None  # not decided from the header: the engine reports the file
                    if head is not None:
                        if instance_filter is not None and not instance_filter.accepts(
                            str(ds.StudyInstanceUID), str(ds.SeriesInstanceUID), str(ds.SOPInstanceUID)
                        ):
                            self._filtered.inc()
                            self._progress.finished("filtered_out")
                            yield pvalue.TaggedOutput(FILTERED, path)
                            return
                        stage = "read"
                        if job.skip_existing and self._exists(ds):
                            self._skipped.inc()
                            self._progress.finished("skipped")
                            yield pvalue.TaggedOutput(SKIPPED, path)
                            return
                        if large and pixel_offset is not None and self._copy_pixels and copyable_tail(
                            job.spec, self._plan, ds, f, pixel_offset, size
                        ):
                            self._large.inc()
                            yield path, LargeInstance(head[:pixel_offset], pixel_offset)
                            return
                        if large and pixel_offset is not None and self._frame_pixels:
                            layout = redactable_tail(job.spec, self._plan, ds, f, pixel_offset, size)
                            if layout is not None:
                                self._framed.inc()
                                yield path, LargeInstance(head[:pixel_offset], pixel_offset, layout)
                                return
            stage = "read"
            data = read_bytes(path)
        except Exception as exc:  # every input ends up counted: unreadable = failed
            self._failed.inc()
            self._progress.finished("failed")
            yield pvalue.TaggedOutput(FAILED, failure_record(path, stage, *failure_reason(exc, stage)))
            return
        self._read.inc()
        yield path, data

    def _exists(self, ds) -> bool:
        if self._existing is not None:
            return self._existing.holds(self._existing.predict(ds))
        relative = predict_output_path(ds, self._plan, self._remap)
        if relative is None:
            return False
        final = join(self._job.output, *relative.split("/"))
        if not FileSystems.exists(final):
            return False
        folder = os.path.dirname(final)
        if not is_gcs(final) and folder not in self._cleaned:
            # A killed run may have left a staged copy next to an output that is skipped now.
            self._cleaned.add(folder)
            remove_stale_temporaries(folder, self._job.run_id)
        return True


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
    with _open(path) as f:
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


def _remove(path: str) -> None:
    if is_gcs(path):
        FileSystems.delete([path])
    elif os.path.exists(path):
        os.remove(path)


class _WriteDicomFn(beam.DoFn):
    """(source, relative path, bytes, annotations, pixel offset, UID pairs) -> (relative path, written member).

    Writes each instance once, as soon as it is de-identified, without
    replacing an existing output (see ``place_instance``): a killed run leaves
    every finished output in place for ``--skip_existing``. Which input an
    output path keeps is decided afterwards, by ``_DecideOutputFn``, from all
    inputs of that path. With a pixel offset (a large instance), the bytes are
    the de-identified header and the source's PixelData element is copied
    after them in chunks; with ``RedactedPixels`` in its place, frame by frame
    with the boxes blacked out (``framestream.write_redacted``; a failure there
    is a ``pixels`` failure, as on the whole-file way, and leaves no file).
    """

    def __init__(self, output: str, run_id: str, progress: Progress) -> None:
        self._output = output
        self._progress = progress
        self._run_id = run_id
        self._made_dirs: set[str] = set()
        self._failed = Metrics.counter("deid", "failed_write")

    def setup(self) -> None:
        crash = os.environ.get(CRASH_ENV)
        self._crash_after = int(crash) if crash else None
        self._count = 0
        self._progress.start()

    def teardown(self) -> None:
        self._progress.stop()

    def process(self, element):
        source, relative, data, (study, annotations), pixel_offset, uid_pairs = element
        final = join(self._output, *relative.split("/"))
        try:
            digest, placed, staged = place_instance(
                final, self._filler(source, data, pixel_offset), self._made_dirs, self._run_id
            )
        except Exception as exc:
            self._failed.inc()
            self._progress.finished("failed")
            stage = "pixels" if isinstance(exc, PixelDataError) else "write"
            yield pvalue.TaggedOutput(FAILED, failure_record(source, stage, *failure_reason(exc, stage)))
            return
        self._count += 1
        self._progress.finished(None)  # done; its outcome is decided with the path's other inputs
        yield relative, (source, digest, placed, staged, study, tuple(annotations), tuple(uid_pairs))

    def _filler(self, source: str, data: bytes, pixel_offset: int | RedactedPixels | None):
        if self._crash_after is not None and self._count >= self._crash_after:

            def crash(f) -> None:  # test-only (CRASH_ENV): die mid-write, as a killed worker does
                f.write(data[: len(data) // 2])
                f.flush()
                os._exit(CRASH_EXIT)

            return crash

        def fill(f) -> None:
            f.write(data)
            if isinstance(pixel_offset, RedactedPixels):
                with _open(source) as src:
                    write_redacted(src, f, pixel_offset)
            elif pixel_offset is not None:
                with _open(source) as src:
                    copy_tail(src, f, pixel_offset)

        return fill


class _DecideOutputFn(beam.DoFn):
    """(relative path, [written members]) -> the kept source; duplicates and conflicts to side outputs.

    Runs after a GroupByKey on the output path, so it sees every input of that
    path at once, whichever worker wrote it: the decision is exact and, the
    kept member being the first by source name, the same on every rerun. The
    kept member's bytes end on the output (its staged copy is renamed over it
    when another input or an earlier run placed the file); staged copies of the
    others are removed. Only the kept member's annotations and UID pairs go on.
    Digests are compared only for a path with more than one input.
    """

    def __init__(self, output: str, progress: Progress, passthrough: bool = False) -> None:
        self._output = output
        self._progress = progress
        self._passthrough = passthrough
        self._written = Metrics.counter("deid", "written")
        self._conflicts = Metrics.counter("deid", "failed_write")

    def setup(self) -> None:
        self._progress.start()

    def teardown(self) -> None:
        self._progress.stop()

    def process(self, element):
        relative, group = element
        records = [tuple(g) for g in group]  # (source, digest, placed, staged, study, annotations, uid_pairs)
        final = join(self._output, *relative.split("/"))
        staged_paths = [r[3] for r in records if r[3]]
        try:
            if len(records) == 1:
                members = [Member(records[0][0], records[0][1] or "")]
            else:  # bytes not digested while writing (local) are on disk: staged, or the one placed
                members = [Member(r[0], r[1] or file_digest(r[3] or final)) for r in records]
            record_of = {id(m): r for m, r in zip(members, records)}
            kept_digest = None
            if sum(1 for r in records if r[2]) > 1:  # gs:// only: two writers created the object at once
                kept_digest = file_digest(final)  # keep what is there
            result = resolve(members, kept_digest)
            kept = record_of[id(result.kept)]
            if kept_digest is None and not kept[2]:
                _rename(kept[3], final)
                staged_paths.remove(kept[3])
            for path in staged_paths:
                _remove(path)
        except Exception as exc:
            for path in staged_paths:
                try:
                    _remove(path)
                except Exception:  # noqa: BLE001 - the failure records below say what happened
                    pass
            for source in sorted(r[0] for r in records):
                self._progress.outcome("failed")
                yield pvalue.TaggedOutput(FAILED, failure_record(source, "write", *failure_reason(exc, "write")))
            return
        self._written.inc()
        _, _, _, _, study, annotations, uid_pairs = kept
        if not self._passthrough:
            self._progress.outcome("succeeded")
            for line in annotations:
                yield pvalue.TaggedOutput(ANNOTATIONS, (study, line))
        for old, new in uid_pairs:
            yield pvalue.TaggedOutput(UID_PAIRS, f"{old},{new}")
        for member in result.duplicates:
            self._progress.outcome("duplicates")
            yield pvalue.TaggedOutput(DUPLICATES, member.source)
        for member in result.conflicts:
            self._conflicts.inc()
            self._progress.outcome("failed")
            exc = conflict_error(member.source, result.kept.source, relative)
            yield pvalue.TaggedOutput(FAILED, failure_record(member.source, "write", type(exc).__name__, str(exc)))
        if self._passthrough:  # a DICOMweb destination follows: it counts the kept output and annotates it
            yield result.kept.source, relative, study, annotations
        else:
            yield result.kept.source


def _rename(staged: str, final: str) -> None:
    """Put a staged copy in place of ``final`` (atomic locally; copy then delete on gs://)."""
    if is_gcs(final):
        FileSystems.rename([staged], [final])
    else:
        os.replace(staged, final)


class WriteInstances(beam.PTransform):
    """De-identified instances -> output files, one per output path (see ``_DecideOutputFn``).

    The GroupByKey carries small records (source, digest, where the bytes are,
    annotations, UID pairs), never instance bytes: those are written once, by
    ``_WriteDicomFn``, before the decision.
    """

    def __init__(self, output: str, run_id: str, progress: Progress, passthrough: bool = False) -> None:
        super().__init__()
        self._output = output
        self._run_id = run_id
        self._progress = progress
        self._passthrough = passthrough

    def expand(self, deidentified):
        placed = deidentified | "Place" >> beam.ParDo(
            _WriteDicomFn(self._output, self._run_id, self._progress)
        ).with_outputs(FAILED, main="placed")
        decided = (
            placed["placed"]
            | "GroupByOutputPath" >> beam.GroupByKey()
            | "Decide" >> beam.ParDo(_DecideOutputFn(self._output, self._progress, self._passthrough)).with_outputs(
                FAILED, ANNOTATIONS, UID_PAIRS, DUPLICATES, main="kept"
            )
        )
        failures = (placed[FAILED], decided[FAILED]) | "WriteFailed" >> beam.Flatten()
        return decided["kept"], decided[DUPLICATES], failures, decided[ANNOTATIONS], decided[UID_PAIRS]


class ReadBackKeptFn(beam.DoFn):
    """(source, relative path, study, annotations) of a kept output -> the element a store writer takes.

    With both ``--output`` and ``--dicomweb_destination``, the store receives
    exactly the bytes the file output kept for that path (read back whole).
    """

    def __init__(self, output: str) -> None:
        self._output = output

    def process(self, element):
        source, relative, study, annotations = element
        data = read_bytes(join(self._output, *relative.split("/")))
        yield source, relative, data, (study, annotations), None, ()


class _WriteStudyAnnotationsFn(beam.DoFn):
    """(new study UID, [JSON lines]) -> FOLDER/<study>.jsonl, lines sorted."""

    def __init__(self, folder: str) -> None:
        self._folder = folder

    def process(self, element):
        study, lines = element
        path = join(self._folder, f"{study}.jsonl")
        write_text(path, "".join(line + "\n" for line in sorted(lines)), private=True)
        yield path


class WriteAnnotations(beam.PTransform):
    """Write annotation lines grouped by study: deterministic files, bounded in size."""

    def __init__(self, folder: str) -> None:
        super().__init__()
        self._folder = folder

    def expand(self, pairs):
        return (
            pairs
            | "GroupByStudy" >> beam.GroupByKey()
            | "WriteStudyAnnotations" >> beam.ParDo(_WriteStudyAnnotationsFn(self._folder))
        )


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
    "FAILED",
    "DUPLICATES",
    "FILTERED",
    "SKIPPED",
    "UID_PAIRS",
    "WriteInstances",
    "LargeInstance",
    "ANNOTATIONS",
    "ReadBackKeptFn",
    "WriteAnnotations",
    "WriteFailures",
    "WriteLines",
    "expand_inputs",
    "read_bytes",
    "write_text",
]
