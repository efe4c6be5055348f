"""dicom-deid: the DICOM job (config, graph, read, de-identify, write, entry point)."""
