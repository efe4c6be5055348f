"""Exceptions raised by the de-identification engine.

Messages are full sentences that name a tag keyword, a step or a config path,
never an element value: values may be PHI and messages end up in logs and in
failure records.
"""

from __future__ import annotations


class DeidError(Exception):
    """Base class of every error the engine raises on purpose."""


class ConfigError(DeidError):
    """The de-identification config is invalid; ``problems`` lists each one.

    Each problem names the JSON path of the offending field, for example
    ``config.dicomTagConfig.actions[2].queries[0]: ...``.
    """

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("invalid de-identification config:\n  " + "\n  ".join(self.problems))


class InvalidInstanceError(DeidError):
    """The input is not a DICOM instance this tool can de-identify."""


class UnsupportedInstanceError(InvalidInstanceError):
    """The input is DICOM but not a composite instance (e.g. a DICOMDIR)."""


class MissingAttributeError(InvalidInstanceError):
    """An attribute the output needs (e.g. SOPInstanceUID) is absent or empty."""


class TruncatedInstanceError(InvalidInstanceError):
    """The file ends before the data it declares."""


class KeyMaterialError(DeidError):
    """A key file or key variable could not be read or decoded."""


class FilterError(DeidError):
    """A filter file or filter table export is malformed."""


class PixelDataError(DeidError):
    """Pixel data cannot be decoded or re-encoded for redaction."""


class InvalidResourceError(DeidError):
    """The input line is not a FHIR R4 resource this tool can de-identify."""


class UnsupportedBundleError(InvalidResourceError):
    """A Bundle of a type that is not unwrapped (only collection, transaction, batch, searchset)."""


class UnexpectedError(DeidError):
    """An unexpected exception (a bug) while de-identifying one input: the failure record names
    its class in the message, never its text (which may hold values)."""
