"""fhir-deid: the FHIR R4 job (config, graph, DoFns, entry point)."""
