"""The ends a job reads and writes: files (local and gs://), DICOMweb stores, BigQuery."""
