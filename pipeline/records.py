"""The tags of the DICOM job's side outputs, the failure record every failed input becomes, and the
transforms that write such records (and other sorted line files)."""

from __future__ import annotations

import json

import apache_beam as beam

from pipeline.connectors.files import write_text

FAILED = "failed"
FILTERED = "filtered"
ANNOTATIONS = "annotations"
SKIPPED = "skipped"
DUPLICATES = "duplicates"
UID_PAIRS = "uid_pairs"
FIGURES = "figures"  # (summary figure, n) pairs summed into the summary
VALUES_REPLACED = "values_replaced"
REVIEW = "review"  # review-report entries (--review_report)


def failure_record(source: str, stage: str, error: str, message: str) -> dict:
    """Return the failure record of spec section 9 (no element values)."""
    return {"source": source, "stage": stage, "error": error, "message": message}


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
    "ANNOTATIONS",
    "DUPLICATES",
    "FAILED",
    "FIGURES",
    "FILTERED",
    "REVIEW",
    "SKIPPED",
    "UID_PAIRS",
    "VALUES_REPLACED",
    "WriteFailures",
    "WriteLines",
    "failure_record",
]
