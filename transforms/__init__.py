"""Pure DICOM de-identification logic: no Beam, no I/O beyond bytes in and out."""

__version__ = "0.1.0"
