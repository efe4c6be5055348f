"""The DICOMweb steps of the job graph: list (QIDO-RS), retrieve (WADO-RS), store (STOW-RS).

``ReadDicomweb`` fans a store out the way spec section 4 describes: seeds (the
store, or the filter's entries pushed down into QIDO) -> studies -> Distinct ->
series -> Distinct -> instances -> Distinct -> retrieve. Each Distinct is a
GroupByKey on the UIDs, so it is also the shuffle that spreads the next fan-out
over all workers. Retrieve yields what the file reader yields, ``(name, bytes)``,
so de-identification is shared. The STOW-RS writer is in ``pipeline.connectors.dicomweb_store``.

Every DoFn reports its request figures on the ``stats`` output as
``("dicomweb:<figure>", n)`` pairs, summed into the summary's ``dicomweb`` object.
"""

from __future__ import annotations

import logging

import apache_beam as beam
from apache_beam import pvalue
from apache_beam.io.filesystems import FileSystems
from apache_beam.metrics import Metrics
from apache_beam.transforms.window import GlobalWindows
from pydicom.dataset import Dataset

from pipeline.connectors.dicomweb import (
    DicomwebClient,
    HttpPolicy,
    Service,
    list_series_instances,
)
from pipeline.connectors.files import confined
from pipeline.progress import Progress
from pipeline.records import FAILED, SKIPPED, failure_record
from transforms.dicom.deidentify import UidCache, quiet_pydicom
from transforms.dicom.dicomweb import (
    SERIES_UID,
    SOP_UID,
    STUDY_UID,
    check_instance,
    decode_retrieved,
    instance_name,
    qido_value,
    store_path,
)
from transforms.dicom.outpath import instance_path, predict_output_uids
from transforms.dicom.profiles import compile_plan
from transforms.dicom.uids import is_valid_uid
from transforms.errors import (
    DeidError,
    DicomwebBadResponse,
    DicomwebListingFailed,
    DicomwebListingTruncated,
)

_LOGGER = logging.getLogger(__name__)
STATS = "stats"
LIST_FAILED = "list_failed"
STUDIES = "studies"
SERIES = "series"
INSTANCES = "instances"
ANNOTATIONS = "annotations"


class DicomwebFn(beam.DoFn):
    """Base: one client per DoFn instance (made in setup), figures emitted per bundle."""

    def __init__(self, service: Service, policy: HttpPolicy) -> None:
        self._service = service
        self._policy = policy

    def setup(self) -> None:
        self.client = DicomwebClient(self._service, self._policy)
        self.clients = [self.client]  # every client whose requests this step reports
        self._reported = (0, 0, 0)
        self._figures: dict[str, int] = {}

    def teardown(self) -> None:
        self.client.close()

    def count(self, figure: str, n: int = 1) -> None:
        self._figures[figure] = self._figures.get(figure, 0) + n

    def finish_bundle(self):
        cs = self.clients
        now = (
            sum(c.requests for c in cs),
            sum(c.retries for c in cs),
            int(round(sum(c.throttled_seconds for c in cs) * 1000)),
        )
        for figure, value, before in zip(("requests", "retries", "throttled_ms"), now, self._reported):
            if value > before:
                self.count(figure, value - before)
        self._reported = now
        figures, self._figures = self._figures, {}
        for figure, n in sorted(figures.items()):
            yield pvalue.TaggedOutput(STATS, GlobalWindows.windowed_value_at_end_of_window((f"dicomweb:{figure}", n)))

    def invalid_uid(self, where: str, what: str, index: int) -> pvalue.TaggedOutput:
        """A failure record for a listed entry whose UID is not a valid UID (never put into a URL or a name)."""
        _LOGGER.warning("%s listed a %s UID that is not a valid UID (entry %d)", where, what, index)
        article = "an" if what[0] in "aeiou" else "a"
        message = f"the store listed {article} {what} whose UID is not a valid UID (PS3.5 9.1) at entry {index}: it is not read"
        return pvalue.TaggedOutput(LIST_FAILED, failure_record(where, "read", DicomwebBadResponse.__name__, message))

    def listing_failure(self, where: str, exc: DeidError) -> pvalue.TaggedOutput:
        error = DicomwebListingTruncated if isinstance(exc, DicomwebListingTruncated) else DicomwebListingFailed
        _LOGGER.warning("%s not listed whole: %s", where, type(exc).__name__)
        message = f"not listed whole: {exc} ({type(exc).__name__})"
        return pvalue.TaggedOutput(LIST_FAILED, failure_record(where, "read", error.__name__, message))


class _SeedFn(DicomwebFn):
    """A seed -> studies, series or instances: the whole store, or one filter entry pushed into QIDO."""

    def __init__(self, service: Service, policy: HttpPolicy, page_size: int) -> None:
        super().__init__(service, policy)
        self._page_size = page_size

    def process(self, seed: tuple[str, str]):
        kind, uid = seed
        name = self._service.name
        try:
            if kind == "store":
                for index, entry in enumerate(self.client.search("studies", self._page_size)):
                    study = qido_value(entry, STUDY_UID)
                    if study and not is_valid_uid(study):
                        yield self.invalid_uid(name, "study", index)
                    elif study:
                        yield pvalue.TaggedOutput(STUDIES, (study, False))
            elif kind == "study":
                yield pvalue.TaggedOutput(STUDIES, (uid, True))
            elif kind == "series":
                found = 0
                for entry in self.client.search("series", self._page_size, SeriesInstanceUID=uid):
                    study, series = qido_value(entry, STUDY_UID), qido_value(entry, SERIES_UID)
                    if study and series == uid and is_valid_uid(study) and is_valid_uid(series):
                        found += 1
                        yield pvalue.TaggedOutput(SERIES, (study, series))
                if not found:
                    self.count("filter_unmatched")
            else:
                found = 0
                for entry in self.client.search("instances", self._page_size, SOPInstanceUID=uid):
                    triple = tuple(qido_value(entry, t) for t in (STUDY_UID, SERIES_UID, SOP_UID))
                    if all(triple) and triple[2] == uid and all(is_valid_uid(u) for u in triple):
                        found += 1
                        yield pvalue.TaggedOutput(INSTANCES, triple)
                if not found:
                    self.count("filter_unmatched")
        except DeidError as exc:
            yield self.listing_failure(name if kind in ("store", "study") else f"{name} ({kind} filter entry {uid})", exc)


class _ListSeriesFn(DicomwebFn):
    """(study, from filter) -> (study, series) for each series of the study."""

    def __init__(self, service: Service, policy: HttpPolicy, page_size: int) -> None:
        super().__init__(service, policy)
        self._page_size = page_size

    def process(self, element: tuple[str, bool]):
        study, from_filter = element
        found = 0
        try:
            for index, entry in enumerate(self.client.search(store_path(study, then="series"), self._page_size)):
                series = qido_value(entry, SERIES_UID)
                if series and not is_valid_uid(series):
                    yield self.invalid_uid(f"{self._service.name}/studies/{study}", "series", index)
                elif series:
                    found += 1
                    yield study, series
        except DeidError as exc:
            yield self.listing_failure(f"{self._service.name}/studies/{study}", exc)
            return
        self.count("studies_listed")
        if from_filter and not found:
            self.count("filter_unmatched")


class _ListInstancesFn(DicomwebFn):
    """(study, series) -> (study, series, SOP instance) for each instance, each SOP UID once."""

    def __init__(self, service: Service, policy: HttpPolicy, page_size: int) -> None:
        super().__init__(service, policy)
        self._page_size = page_size

    def process(self, element: tuple[str, str]):
        study, series = element
        seen = set()
        try:
            for index, entry in enumerate(self.client.search(store_path(study, series, then="instances"), self._page_size)):
                sop = qido_value(entry, SOP_UID)
                if sop and not is_valid_uid(sop):
                    yield self.invalid_uid(f"{self._service.name}/studies/{study}/series/{series}", "instance", index)
                elif sop and sop not in seen:
                    seen.add(sop)
                    yield study, series, sop
        except DeidError as exc:
            yield self.listing_failure(f"{self._service.name}/studies/{study}/series/{series}", exc)
            return
        self.count("series_listed")


class DestinationIndex:
    """Which predicted outputs a destination holds: each destination series listed once, cached."""

    def __init__(self, client: DicomwebClient, page_size: int, max_series: int = 256) -> None:
        self._client = client
        self._page_size = page_size
        self._max = max_series
        self._series: dict[tuple[str, str], set[str]] = {}

    def holds(self, study: str, series: str, sop: str) -> bool:
        """Return True when the destination holds the instance (a failed listing: False)."""
        key = (study, series)
        if key not in self._series:
            if len(self._series) >= self._max:
                self._series.pop(next(iter(self._series)))
            try:
                self._series[key] = list_series_instances(self._client, study, series, self._page_size)
            except DeidError:
                return False
        return sop in self._series[key]


class ExistingOutputs:
    """``--skip_existing``: does the output folder, the destination store, or both hold an output?"""

    def __init__(self, job) -> None:
        self._job = job
        self._plan = compile_plan(job.spec)
        self._remap = UidCache(job.key.load(), job.uid_root)
        self._index = None
        self.client = None
        if job.destination is not None:
            self.client = self._client = DicomwebClient(job.destination, job.http_policy)
            self._index = DestinationIndex(self._client, job.dicomweb_page_size)

    def close(self) -> None:
        if self._index is not None:
            self._client.close()

    def predict(self, ds: Dataset) -> tuple[str, str, str] | None:
        return predict_output_uids(ds, self._plan, self._remap)

    def holds(self, uids: tuple[str, str, str] | None) -> bool:
        """True when every output place holds the predicted instance ("unknown" never skips)."""
        if uids is None:
            return False
        if self._job.output and not FileSystems.exists(confined(self._job.output, instance_path(*uids))):
            return False
        return self._index is None or self._index.holds(*uids)


def _uid_header(study: str, series: str, sop: str) -> Dataset:
    ds = Dataset()
    ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.SOPInstanceUID = study, series, sop
    return ds


class _RetrieveFn(DicomwebFn):
    """(study, series, SOP) -> (instance name, Part 10 bytes); skipped and failed to side outputs."""

    def __init__(self, job, progress: Progress) -> None:
        super().__init__(job.source, job.http_policy)
        self._job = job
        self._progress = progress
        self._retrieved = Metrics.counter("deid", "retrieved")
        self._skipped = Metrics.counter("deid", "skipped")
        self._failed = Metrics.counter("deid", "failed_read")

    def setup(self) -> None:
        super().setup()
        quiet_pydicom()  # retrieved headers are parsed here: pydicom must not warn with a value
        self._existing = ExistingOutputs(self._job) if self._job.skip_existing else None
        if self._existing is not None and self._existing.client is not None:
            self.clients.append(self._existing.client)
        self._progress.start()

    def teardown(self) -> None:
        super().teardown()
        if self._existing is not None:
            self._existing.close()
        self._progress.stop()

    def process(self, element: tuple[str, str, str]):
        study, series, sop = element
        name = instance_name(self._service.name, study, series, sop)
        self._progress.found()
        if self._existing is not None and self._existing.holds(self._existing.predict(_uid_header(study, series, sop))):
            self._skipped.inc()
            self._progress.finished("skipped")
            yield pvalue.TaggedOutput(SKIPPED, name)
            return
        try:
            body, content_type = self.client.retrieve(study, series, sop)
            data = decode_retrieved(body, content_type)
            del body
            check_instance(data, study, series, sop, self._policy.max_instance_bytes)
        except DeidError as exc:
            self._failed.inc()
            self._progress.finished("failed")
            yield pvalue.TaggedOutput(FAILED, failure_record(name, "read", type(exc).__name__, str(exc)))
            return
        self._retrieved.inc()
        self.count("retrieved")
        yield name, data


class ReadDicomweb(beam.PTransform):
    """Seeds -> (instance name, bytes), with the DISTINCT instances (found), skipped, failed, stats.

    Returns a dict of PCollections: ``read``, ``found``, ``skipped``, ``failed``
    (instances), ``list_failed`` (stores, studies, series not listed whole) and ``stats``.
    """

    def __init__(self, job, progress: Progress) -> None:
        super().__init__()
        self._job = job
        self._progress = progress

    def expand(self, seeds):
        job = self._job
        svc, policy, size = job.source, job.http_policy, job.dicomweb_page_size
        seeded = seeds | "ListStudies" >> beam.ParDo(_SeedFn(svc, policy, size)).with_outputs(
            STUDIES, SERIES, INSTANCES, LIST_FAILED, STATS
        )
        listed_series = (
            seeded[STUDIES]
            | "DistinctStudies" >> beam.Distinct()
            | "ListSeries" >> beam.ParDo(_ListSeriesFn(svc, policy, size)).with_outputs(LIST_FAILED, STATS, main=SERIES)
        )
        listed = (
            (seeded[SERIES], listed_series[SERIES])
            | "AllSeries" >> beam.Flatten()
            | "DistinctSeries" >> beam.Distinct()
            | "ListInstances" >> beam.ParDo(_ListInstancesFn(svc, policy, size)).with_outputs(LIST_FAILED, STATS, main=INSTANCES)
        )
        found = (
            (seeded[INSTANCES], listed[INSTANCES])
            | "AllInstances" >> beam.Flatten()
            | "DistinctInstances" >> beam.Distinct()
        )
        read = found | "Retrieve" >> beam.ParDo(_RetrieveFn(job, self._progress)).with_outputs(SKIPPED, FAILED, STATS, main="read")
        return {
            "read": read["read"],
            "found": found,
            "skipped": read[SKIPPED],
            "failed": read[FAILED],
            "list_failed": (seeded[LIST_FAILED], listed_series[LIST_FAILED], listed[LIST_FAILED]) | "ListingFailures" >> beam.Flatten(),
            "stats": (seeded[STATS], listed_series[STATS], listed[STATS], read[STATS]) | "ReadStats" >> beam.Flatten(),
        }


__all__ = ["ANNOTATIONS", "LIST_FAILED", "STATS", "DestinationIndex", "DicomwebFn", "ExistingOutputs", "ReadDicomweb"]
