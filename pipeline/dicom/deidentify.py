"""The de-identification DoFn: a thin adapter around ``transforms.dicom.deidentify``."""

from __future__ import annotations

import logging

import apache_beam as beam
from apache_beam import pvalue
from apache_beam.metrics import Metrics

from pipeline.connectors.files import open_source
from pipeline.dicom.read import LargeInstance, Tail
from pipeline.jobsetup import KeySource
from pipeline.options import DEFAULT_MAX_INSTANCE_BYTES
from pipeline.progress import Progress
from pipeline.records import FAILED, FIGURES, REVIEW, VALUES_REPLACED, failure_record
from transforms.deid_config import DeidSpec
from transforms.dicom.deidentify import Deidentifier, StageFailure, failure_reason
from transforms.errors import InvalidElementError
from transforms.pixels.framestream import deidentify_framed

_LOGGER = logging.getLogger(__name__)


class DeidentifyFn(beam.DoFn):
    """(path, bytes) -> (path, relative output path, bytes, annotations, tail, UID pairs); failures to FAILED.

    The count of kept values replaced because they did not fit their VR goes to
    FIGURES as ``(VALUES_REPLACED, n)`` (the summary's ``values_replaced``).

    UID pairs (original, new) are carried only with ``emit_uid_pairs``; the
    writer lists those of the inputs it keeps. With ``review``, each instance's
    burned-in text review entry (``transforms.pixels.review``) goes to REVIEW.

    A ``LargeInstance`` is de-identified from its header alone; its output
    element carries a ``Tail`` (the pixel offset and the source's stamp), and
    the writer copies the source's PixelData after the header bytes while the
    source is unchanged. One with a frame layout (a redacting
    config; ``streamcopy.redactable_tail``) has its frames read from the
    source and examined one at a time; when text was found the element carries ``RedactedPixels``
    (layout, boxes per frame, digest) in place of the offset, and the writer
    blacks the boxes out as it copies the frames.

    An instance read from a DICOMweb store is named ``<store>/studies/...``; its
    annotations name the store as their source (``store_names``), as the
    service's annotation records do.

    The key is loaded in ``setup`` (from the key file when there is one), so it
    is not part of the pipeline graph in that case.
    """

    def __init__(
        self,
        spec: DeidSpec,
        key: KeySource,
        uid_root: str,
        emit_uid_pairs: bool = False,
        progress: Progress | None = None,
        store_names: tuple[str, ...] = (),
        residual_sweep: bool = True,
        review: bool = False,
        max_instance_bytes: int = DEFAULT_MAX_INSTANCE_BYTES,
    ) -> None:
        self._review = review
        self._max_instance_bytes = max_instance_bytes
        self._store_names = store_names
        self._spec = spec
        self._residual_sweep = residual_sweep
        self._progress = progress or Progress(0.0)
        self._key = key
        self._uid_root = uid_root
        self._emit_uid_pairs = emit_uid_pairs
        self._engine: Deidentifier | None = None
        self._ok = Metrics.counter("deid", "deidentified")

    def setup(self) -> None:
        self._engine = Deidentifier(
            self._spec, self._key.load(), self._uid_root, key_resolver=_resolve_kms, residual_sweep=self._residual_sweep,
            review=self._review, max_inflated_bytes=self._max_instance_bytes,
        )
        self._progress.start()

    def teardown(self) -> None:
        self._progress.stop()

    def process(self, element: tuple[str, bytes | LargeInstance]):
        path, data = element
        large = isinstance(data, LargeInstance)
        source = next((n for n in self._store_names if path.startswith(n + "/studies/")), path)
        pixels = None
        try:
            if large and data.layout is not None:
                result, pixels = self._framed(path, source, data)
            elif large:
                result = self._engine(data.header, source=source, header_only=True)
            else:
                result = self._engine(data, source=source)
            relative = result.relative_path  # digits and dots only (outpath.instance_path checks)
        except InvalidElementError as exc:  # the last guard: a value that cannot name a path
            exc = StageFailure("tags", type(exc).__name__, str(exc))
            yield from self._failed(path, exc)
            return
        except StageFailure as exc:
            yield from self._failed(path, exc)
            return
        self._ok.inc()
        if result.replaced:
            yield pvalue.TaggedOutput(FIGURES, (VALUES_REPLACED, result.replaced))
        pairs = tuple(result.uid_pairs) if self._emit_uid_pairs else ()
        tail = Tail(pixels if pixels is not None else data.pixel_offset, data.stamp) if large else None
        if result.review is not None:
            yield pvalue.TaggedOutput(REVIEW, result.review)
        yield path, relative, result.data, (result.study_uid, result.annotations), tail, pairs

    def _failed(self, path: str, exc: StageFailure):
        Metrics.counter("deid", f"failed_{exc.stage}").inc()
        _LOGGER.warning("%s failed at %s: %s", path, exc.stage, exc.error_type)
        self._progress.finished("failed")
        yield pvalue.TaggedOutput(FAILED, failure_record(path, exc.stage, exc.error_type, exc.message))

    def _framed(self, path: str, source: str, data: LargeInstance):
        """Header-only de-identification with the frames examined as read: (result, RedactedPixels or None)."""
        try:
            f = open_source(path, data.stamp)
        except Exception as exc:
            raise StageFailure("read", *failure_reason(exc, "read")) from None
        with f:
            return deidentify_framed(self._engine, data.header, f, data.layout, source)


def _resolve_kms(rule) -> bytes:
    """Unwrap a kmsWrapped key of a text rule (google-cloud-kms, imported only here)."""
    from transforms.text.transform import unwrap_kms_key

    wrapped, name = rule.kms_wrapped
    return unwrap_kms_key(wrapped, name)
