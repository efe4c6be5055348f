"""The tags of the DICOM job's side outputs and the failure record every failed input becomes."""

from __future__ import annotations

FAILED = "failed"
FILTERED = "filtered"
ANNOTATIONS = "annotations"
SKIPPED = "skipped"
DUPLICATES = "duplicates"
UID_PAIRS = "uid_pairs"
REVIEW = "review"


def failure_record(source: str, stage: str, error: str, message: str) -> dict:
    """Return the failure record of spec section 9 (no element values)."""
    return {"source": source, "stage": stage, "error": error, "message": message}


__all__ = ["ANNOTATIONS", "DUPLICATES", "FAILED", "FILTERED", "REVIEW", "SKIPPED", "UID_PAIRS", "failure_record"]
