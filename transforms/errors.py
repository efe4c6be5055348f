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


class InvalidElementError(InvalidInstanceError):
    """An element's value cannot be read or written as its VR declares."""


class TruncatedInstanceError(InvalidInstanceError):
    """The file ends before the data it declares."""


class SourceReadError(DeidError):
    """The input file or object could not be read from its storage (I/O error)."""


class InputNotRegularError(SourceReadError):
    """The input is a FIFO, device, socket or folder (or a link to one): it is never read."""


class InputTooLargeError(SourceReadError):
    """The input (a DICOM file, an NDJSON line) is larger than the job's limit for it."""


class SourceChangedError(DeidError):
    """The source file changed (size or modification time) after it was examined: its tail is not copied."""


class OutputWriteError(DeidError):
    """An output could not be written to its storage (I/O error)."""


class OutputPathError(OutputWriteError):
    """A path built for an output would not stay under its output folder: nothing is written there."""


class KeyMaterialError(DeidError):
    """A key file or key variable could not be read or decoded."""


class FilterError(DeidError):
    """A filter file or filter table export is malformed."""


class PixelDataError(DeidError):
    """Pixel data cannot be decoded or re-encoded for redaction."""


class InstanceConflictError(DeidError):
    """Another input de-identified to the same output path (the same new UIDs) with other bytes.

    The kept output is not replaced, as a DICOM store answers 409 Conflict
    when an instance with the same SOP Instance UID but other content is stored.
    """


class DicomwebError(DeidError):
    """A DICOMweb request failed; the message holds the method, service name, path and status only."""


class DicomwebUnavailable(DicomwebError):
    """A retryable failure (429, 408, 5xx, connection error) persisted through the last attempt."""


class DicomwebNotFound(DicomwebError):
    """The service answered 404: the instance (or store) is not there."""


class DicomwebRefused(DicomwebError):
    """The service answered 401 or 403."""


class DicomwebHttpError(DicomwebError):
    """The service answered another status that is not retried."""


class DicomwebRedirected(DicomwebError):
    """The service answered with a redirect that is not followed (another origin, outside the store, or a POST)."""


class DicomwebBadResponse(DicomwebError):
    """The answer is not what DICOMweb promises (not one Part 10 file with the listed UIDs, no STOW answer)."""


class DicomwebListingFailed(DicomwebError):
    """A store, study or series could not be listed whole."""


class DicomwebListingTruncated(DicomwebError):
    """A listing reached the server's offset cap with results left."""


class DicomwebRejected(DicomwebError):
    """STOW-RS named the instance in FailedSOPSequence for a reason other than a conflict."""


class InvalidResourceError(DeidError):
    """The input line is not a FHIR R4 resource this tool can de-identify."""


class UnsupportedBundleError(InvalidResourceError):
    """A Bundle of a type that is not unwrapped (only collection, transaction, batch, searchset)."""


class UnexpectedError(DeidError):
    """An unexpected exception (a bug) while de-identifying one input: the failure record names
    its class in the message, never its text (which may hold values)."""


_CAUSES = (
    # (exception class name, the cause in words); matched along the exception's class hierarchy
    ("MemoryError", "not enough memory"),
    ("RecursionError", "nested too deep"),
    ("NotImplementedError", "not supported by the installed decoders"),
    ("UnicodeError", "text in an encoding it does not declare"),
    ("EOFError", "the data ends early"),
    ("error", "corrupt or truncated data"),  # struct.error, zlib.error
    ("KeyError", "an element it needs is missing"),
    ("IndexError", "fewer values than it declares"),
    ("TypeError", "a value of the wrong type"),
    ("ValueError", "a value out of range or of the wrong size"),
    ("OSError", "an I/O error"),
    ("RuntimeError", "the decoder rejected the data"),
)


def cause(exc: BaseException) -> str:
    """The cause of an exception from a library (pydicom, a codec, zlib) in words, for a message.

    Never the exception's text (which may quote a value) and never its Python class name: a
    failure record gives a DICOM reason, and this says what kind of fault lay under it.
    """
    names = {k.__name__ for k in type(exc).__mro__}
    return next((words for name, words in _CAUSES if name in names), "an unexpected error")
