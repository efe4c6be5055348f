"""Writing de-identified instances under ``--output``, and their annotations.

``WriteInstances`` stages each output under a temporary name, decides between inputs
that share an output path (duplicates and conflicts, ``transforms.collisions``) and
places the winner; ``WriteAnnotations`` writes one annotation file per study.
"""

from __future__ import annotations

import logging
import os

import apache_beam as beam
from apache_beam import pvalue
from apache_beam.metrics import Metrics

from pipeline.connectors.files import (
    CRASH_ENV,
    CRASH_EXIT,
    check_unchanged,
    confined,
    file_digest,
    open_source,
    place_instance,
    read_bytes,
    remove_file,
    replace_file,
    write_text,
)
from pipeline.progress import Progress
from pipeline.records import ANNOTATIONS, DUPLICATES, FAILED, UID_PAIRS, failure_record
from transforms.collisions import Member, conflict_error, resolve
from transforms.dicom.deidentify import failure_reason
from transforms.dicom.streamcopy import copy_tail
from transforms.dicom.uids import is_valid_uid, mapping_row
from transforms.errors import PixelDataError
from transforms.pixels.framestream import RedactedPixels, write_redacted

_LOGGER = logging.getLogger(__name__)


class _WriteDicomFn(beam.DoFn):
    """(source, relative path, bytes, annotations, tail, UID pairs) -> (relative path, written member).

    Writes each instance once, as soon as it is de-identified, without
    replacing an existing output (see ``place_instance``): a killed run leaves
    every finished output in place for ``--skip_existing``. Which input an
    output path keeps is decided afterwards, by ``_DecideOutputFn``, from all
    inputs of that path. With a ``Tail`` (a large instance), the bytes are
    the de-identified header and the source's PixelData element is copied
    after them in chunks, exactly as long as it was when examined; with
    ``RedactedPixels`` in its place, frame by frame with the boxes blacked out
    (``framestream.write_redacted``; a failure there is a ``pixels`` failure, as
    on the whole-file way, and leaves no file). A source whose size or
    modification time differ from the tail's stamp, before or after the copy,
    fails at stage ``write`` (``SourceChangedError``) and leaves no file. The
    output path is ``confined`` under ``--output``.
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
        source, relative, data, (study, annotations), tail, uid_pairs = element
        try:
            final = confined(self._output, relative)
            digest, placed, staged = place_instance(
                final, self._filler(source, data, tail), self._made_dirs, self._run_id, self._output
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

    def _filler(self, source: str, data: bytes, tail):
        if self._crash_after is not None and self._count >= self._crash_after:

            def crash(f) -> None:  # test-only (CRASH_ENV): die mid-write, as a killed worker does
                f.write(data[: len(data) // 2])
                f.flush()
                os._exit(CRASH_EXIT)

            return crash

        def fill(f) -> None:
            f.write(data)
            if tail is None:
                return
            # The source as it was examined, or nothing: a change since is a write failure.
            stamp = tail.stamp
            with open_source(source, stamp) as src:
                if isinstance(tail.pixels, RedactedPixels):
                    write_redacted(src, f, tail.pixels)
                else:
                    copy_tail(src, f, tail.pixels, end=None if stamp is None else stamp.size)
                if stamp is not None:
                    check_unchanged(src, source, stamp)

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
        staged_paths = [r[3] for r in records if r[3]]
        try:
            final = confined(self._output, relative)
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
                replace_file(kept[3], final)
                staged_paths.remove(kept[3])
            for path in staged_paths:
                remove_file(path)
        except Exception as exc:
            for path in staged_paths:
                try:
                    remove_file(path)
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
            row = mapping_row(old, new)
            if row is not None:
                yield pvalue.TaggedOutput(UID_PAIRS, row)
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
        data = read_bytes(confined(self._output, relative))
        yield source, relative, data, (study, annotations), None, ()


class _WriteStudyAnnotationsFn(beam.DoFn):
    """(new study UID, [JSON lines]) -> FOLDER/<study>.jsonl, lines sorted."""

    def __init__(self, folder: str) -> None:
        self._folder = folder

    def process(self, element):
        study, lines = element
        if not is_valid_uid(study):  # never: the engine names outputs by valid UIDs only (outpath)
            _LOGGER.error("%d annotation line(s) not written: their study is not named by a valid UID", len(lines))
            return
        path = confined(self._folder, f"{study}.jsonl")
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


class _WriteReviewFn(beam.DoFn):
    def __init__(self, path: str) -> None:
        self._path = path

    def process(self, entries: list):
        from transforms.pixels.review import render_page

        page = render_page(entries)
        # Kept text is readable in it (sensitive modes): owner-only, as the other re-identifying outputs.
        write_text(self._path, page, private=True)
        yield len(entries)


class WriteReviewReport(beam.PTransform):
    """Write the burned-in text review page (``transforms.pixels.review``) of every entry, at the end."""

    def __init__(self, path: str) -> None:
        super().__init__()
        self._path = path

    def expand(self, entries):
        return (
            entries
            | "CollectReview" >> beam.combiners.ToList()
            | "WriteReviewPage" >> beam.ParDo(_WriteReviewFn(self._path))
        )


__all__ = ["ReadBackKeptFn", "WriteAnnotations", "WriteInstances", "WriteReviewReport"]
