"""The STOW-RS writer: de-identified outputs stored in a DICOMweb destination, batched.

Each part is exactly the bytes the file writer would write (a large instance's
header followed by its source's PixelData, streamed); batches are sent at either
cap and at the bundle's end, and every instance gets its own outcome (spec
section 7).
"""

from __future__ import annotations

import io
import logging

from apache_beam import pvalue
from apache_beam.metrics import Metrics
from apache_beam.transforms.window import GlobalWindows

from pipeline.connectors.dicomweb import find_existing
from pipeline.connectors.dicomweb_read import ANNOTATIONS, DicomwebFn
from pipeline.connectors.files import open_file
from pipeline.progress import Progress
from pipeline.records import FAILED, failure_record
from transforms.dicom.dicomweb import (
    CONFLICT,
    REJECTED,
    RETRY,
    STORED_WITH_WARNING,
    UNKNOWN,
    backoff_seconds,
    decode_retrieved,
    parse_stow_answer,
    stow_body,
    stow_content_type,
)
from transforms.errors import DicomwebBadResponse, DicomwebError, DicomwebRejected, InstanceConflictError

_LOGGER = logging.getLogger(__name__)


class _ChainReader:
    """Header bytes, then a source file from the PixelData offset: a large instance's output, streamed.

    ``len`` is what is left to read (the encoder sums it up front for Content-Length);
    the source file is opened on first read and closed at its end.
    """

    def __init__(self, header: bytes, source: str, pixel_offset: int) -> None:
        self._header = io.BytesIO(header)
        self._source = source
        self._offset = pixel_offset
        self._file = None
        with open_file(source) as f:
            f.seek(0, io.SEEK_END)
            self._left = len(header) + f.tell() - pixel_offset

    @property
    def len(self) -> int:
        return self._left

    def read(self, n: int = -1) -> bytes:
        block = self._header.read(n)
        if block:
            self._left -= len(block)
            return block
        if self._file is None:
            self._file = open_file(self._source)
            self._file.seek(self._offset)
        block = self._file.read(n if n is not None and n >= 0 else -1)
        self._left -= len(block)
        if not block:
            self._file.close()
        return block


def _output_bytes(item) -> bytes:
    source, _, data, _, pixel_offset = item[:5]
    if pixel_offset is None:
        return data
    reader = _ChainReader(data, source, pixel_offset)
    return reader.read(len(data)) + reader.read(-1)


def _uids_of(relative: str) -> tuple[str, str, str]:
    parts = relative.split("/")  # studies/S/series/R/instances/I.dcm
    return parts[1], parts[3], parts[5][: -len(".dcm")]


class StoreFn(DicomwebFn):
    """De-identified outputs -> STOW-RS in batches; yields each stored instance's source.

    A batch is sent at either cap and at the bundle's end; a large instance goes
    alone. With a first-copy server (not Cloud Healthcare, which answers 409 by
    itself), instances the destination already holds are read back and compared:
    the same bytes are success, other bytes an ``InstanceConflictError`` record.
    """

    def __init__(self, job, progress: Progress) -> None:
        super().__init__(job.destination, job.http_policy)
        self._job = job
        self._progress = progress
        self._max_instances = job.stow_batch_instances
        self._max_bytes = job.stow_batch_bytes
        self._stored = Metrics.counter("deid", "stored")
        self._warned = Metrics.counter("deid", "stored_with_warning")
        self._failed = Metrics.counter("deid", "failed_write")

    def setup(self) -> None:
        super().setup()
        self._batch: list = []
        self._bytes = 0
        self._progress.start()

    def teardown(self) -> None:
        super().teardown()
        self._progress.stop()

    def process(self, item):
        source, relative, data, _, pixel_offset = item[:5]
        sop = _uids_of(relative)[2]
        if pixel_offset is not None or any(_uids_of(b[1])[2] == sop for b in self._batch):
            yield from self._flush()
        self._batch.append(item)
        self._bytes += len(data)
        if pixel_offset is not None or len(self._batch) >= self._max_instances or self._bytes >= self._max_bytes:
            yield from self._flush()

    def finish_bundle(self):
        for out in self._flush():
            if isinstance(out, pvalue.TaggedOutput):
                yield pvalue.TaggedOutput(out.tag, GlobalWindows.windowed_value_at_end_of_window(out.value))
            else:
                yield GlobalWindows.windowed_value_at_end_of_window(out)
        yield from super().finish_bundle()

    def _flush(self):
        batch, self._batch, self._bytes = self._batch, [], 0
        if not batch:
            return
        results: dict[str, tuple] = {}  # sop -> (error class or None, message)
        items = {_uids_of(item[1])[2]: item for item in batch}
        if not self._service.google:
            self._compare_existing(items, results)
        self._send([s for s in items if s not in results], items, results)
        for sop, item in items.items():
            error, message = results.get(sop, (DicomwebBadResponse, "no STOW answer for the instance"))
            source, _, _, (study, annotations), _ = item[:5]
            if error is None:
                self._stored.inc()
                if message == STORED_WITH_WARNING:
                    self._warned.inc()
                    self.count("stored_with_warning")
                self.count("stored" if message != "already_stored" else "already_stored")
                self._progress.finished("succeeded")
                for line in annotations:
                    yield pvalue.TaggedOutput(ANNOTATIONS, (study, line))
                yield source
            else:
                self._failed.inc()
                self._progress.finished("failed")
                _LOGGER.warning("%s not stored: %s", source, error.__name__)
                yield pvalue.TaggedOutput(FAILED, failure_record(source, "write", error.__name__, message))

    def _compare_existing(self, items: dict, results: dict) -> None:
        """Read back what the destination already holds under these UIDs; same bytes = stored."""
        try:
            existing = find_existing(self.client, list(items), 1000)
        except DicomwebError as exc:
            for sop in items:
                results[sop] = (type(exc), f"{self._service.name}: existing instances cannot be searched: {exc}")
            return
        for sop, (study, series) in existing.items():
            try:
                body, content_type = self.client.retrieve(study, series, sop)
                same = decode_retrieved(body, content_type) == _output_bytes(items[sop])
            except DicomwebError as exc:
                results[sop] = (type(exc), f"{self._service.name}: the stored copy cannot be compared: {exc}")
                continue
            if same:
                results[sop] = (None, "already_stored")
            else:
                results[sop] = (
                    InstanceConflictError,
                    f"{self._service.name} already holds an instance with these UIDs and other bytes; nothing was overwritten",
                )

    def _send(self, sops: list[str], items: dict, results: dict) -> None:
        """STOW ``sops``; resend what the answer does not name alone, and 0xA7xx failures later."""
        rounds = 0
        queue = [sops] if sops else []
        while queue:
            group = queue.pop(0)
            try:
                status, answer = self.client.store(self._body(group, items))
            except DicomwebError as exc:
                for sop in group:
                    results[sop] = (type(exc), str(exc))
                continue
            retry = []
            for sop, (outcome, code) in parse_stow_answer(status, answer, group).items():
                reason = f" (FailureReason 0x{code:04X})" if code is not None else ""
                where = f"POST {self._service.name}/studies: HTTP {status}"
                if outcome == UNKNOWN:
                    if len(group) > 1:
                        queue.append([sop])
                    else:
                        results[sop] = (DicomwebBadResponse, f"{where}: the answer does not name the instance")
                elif outcome == RETRY:
                    retry.append(sop)
                    results[sop] = (DicomwebRejected, f"{where}: out of resources{reason}, attempts exhausted")
                elif outcome == CONFLICT:
                    results[sop] = (InstanceConflictError, f"{where}: other bytes are stored under these UIDs{reason}")
                elif outcome == REJECTED:
                    results[sop] = (DicomwebRejected, f"{where}: rejected{reason}")
                else:
                    results[sop] = (None, outcome)
            if retry and rounds + 1 < self._policy.max_attempts:
                rounds += 1
                self.client._wait(backoff_seconds(rounds, self._policy.backoff_base, self.client._rand()))
                queue.append(retry)

    def _body(self, sops: list[str], items: dict):
        def make():
            parts = []
            for sop in sops:
                source, _, data, _, pixel_offset = items[sop][:5]
                parts.append(data if pixel_offset is None else _ChainReader(data, source, pixel_offset))
            body = stow_body(parts)
            return body, stow_content_type(body)

        return make


__all__ = ["StoreFn"]
