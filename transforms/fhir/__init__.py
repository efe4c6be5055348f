"""FHIR R4 de-identification: type table, paths, profiles, ids, dates, the per-resource engine."""
