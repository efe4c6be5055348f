"""Reading DICOM inputs: each matched path is read once, after the header decided its fate.

``_ReadFn`` decides the filter and ``--skip_existing`` from a bounded head of the file,
so filtered-out and skipped instances are never read whole, and hands a large instance
on as a ``LargeInstance`` (its header and where its pixels start) instead of its bytes.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass

import apache_beam as beam
from apache_beam import pvalue
from apache_beam.io.filesystems import FileSystems
from apache_beam.metrics import Metrics

from pipeline.connectors.files import (
    SourceStamp,
    confined,
    is_gcs,
    open_source,
    read_source,
    remove_stale_temporaries,
    source_stamp,
    too_large,
)
from pipeline.progress import Progress
from pipeline.records import FAILED, FILTERED, SKIPPED, failure_record
from transforms.dicom.codec import native_pixel_bits
from transforms.dicom.deidentify import UidCache, failure_reason, quiet_pydicom
from transforms.dicom.outpath import predict_output_path
from transforms.dicom.profiles import compile_plan
from transforms.dicom.streamcopy import copyable_tail, read_header, redactable_tail
from transforms.errors import InputTooLargeError
from transforms.pixels.burnedin import needs_pixels
from transforms.pixels.framestream import FrameLayout, RedactedPixels

_LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True)
class LargeInstance:
    """A large instance whose PixelData is copied, not read whole: its head and where pixels start.

    ``layout``: set when a redacting config examines and blacks out its frames
    one at a time (``transforms.pixels.framestream``); None for a copy.
    """

    header: bytes
    pixel_offset: int
    layout: FrameLayout | None = None
    # The source as it was examined: its tail is copied only while it still matches.
    stamp: SourceStamp | None = None


@dataclass(frozen=True)
class Tail:
    """How a large instance's output goes on after its header: the source's pixels and the source's stamp.

    ``pixels``: the PixelData offset (copied as it is) or ``RedactedPixels``
    (frames blacked out as they are copied). The writer copies them only while
    the source still has the size and modification time of ``stamp``.
    """

    pixels: int | RedactedPixels
    stamp: SourceStamp | None


# Files smaller than this are read whole without looking at their header first, in any mode.
_HEADER_FIRST_BYTES = 256 * 1024


def _decoded_bytes(ds) -> int:
    """The bytes a data set's pixel data decodes to (0 when its header does not say)."""
    try:
        return native_pixel_bits(ds) // 8
    except Exception:
        return 0


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
        quiet_pydicom()  # headers are parsed here: pydicom must not warn with a value
        job = self._job
        self._plan = compile_plan(job.spec)
        self._remap = UidCache(job.key.load(), job.uid_root) if job.skip_existing else None
        self._existing = None
        if job.skip_existing and job.destination is not None:
            from pipeline.connectors.dicomweb_read import ExistingOutputs

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
        try:  # by stat, before opening: a FIFO, device or socket is never opened; nor is an oversize file
            stamp = None if is_gcs(path) else source_stamp(path)
            size = size if stamp is None else stamp.size
            if size is not None and size > job.max_instance_bytes:
                raise InputTooLargeError(too_large("--max_instance_bytes", job.max_instance_bytes))
        except Exception as exc:
            self._failed.inc()
            self._progress.finished("failed")
            yield pvalue.TaggedOutput(FAILED, failure_record(path, "read", *failure_reason(exc, "read")))
            return
        instance_filter = self._filter(table_filter)
        large = (self._copy_pixels or self._frame_pixels) and size is not None and size >= job.stream_copy_bytes
        # A redacting config decodes every frame: the header decides too, as a small file of
        # compressed frames can decode to gigabytes (2,000 JPEG frames in 9 MB: 1.5 GB decoded).
        redacting = self._frame_pixels and size is not None and size >= _HEADER_FIRST_BYTES
        stage = "filter" if instance_filter is not None else "read"
        try:
            if large and stamp is None:
                stamp = source_stamp(path)  # gs://: its size and update time, for the copy later
            if instance_filter is not None or job.skip_existing or large or redacting:
                with open_source(path, stamp) as f:
                    try:
                        head, ds, pixel_offset = read_header(f)
                    except Exception:
                        if instance_filter is not None:
                            raise
                        head = None  # not decided from the header: the engine reports the file
                    if head is not None and redacting and not large and _decoded_bytes(ds) >= job.stream_copy_bytes:
                        large = True
                        if stamp is None:
                            stamp = source_stamp(path)
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
                            yield path, LargeInstance(head[:pixel_offset], pixel_offset, None, stamp)
                            return
                        if large and pixel_offset is not None and self._frame_pixels:
                            layout = redactable_tail(job.spec, self._plan, ds, f, pixel_offset, size)
                            if layout is not None:
                                self._framed.inc()
                                yield path, LargeInstance(head[:pixel_offset], pixel_offset, layout, stamp)
                                return
            stage = "read"
            data = read_source(path, job.max_instance_bytes, size=size)
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
        final = confined(self._job.output, relative)
        if not FileSystems.exists(final):
            return False
        folder = os.path.dirname(final)
        if not is_gcs(final) and folder not in self._cleaned:
            # A killed run may have left a staged copy next to an output that is skipped now.
            self._cleaned.add(folder)
            remove_stale_temporaries(folder, self._job.run_id, self._job.output)
        return True


__all__ = ["LargeInstance"]
