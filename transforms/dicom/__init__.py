"""DICOM: Part 10 codec, tag plans (PS3.15 profiles), keyed UIDs, output paths, filters, the per-instance engine."""
