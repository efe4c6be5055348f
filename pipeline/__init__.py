"""The Beam side of dicom-deid and fhir-deid: options, job set-up, graphs, I/O and runners.

``dicom/`` and ``fhir/`` hold each command's job (config, graph, DoFns, entry point);
``connectors/`` the ends it reads and writes (files, DICOMweb, BigQuery); ``runners/``
what the runners need from us (forked workers, Dask, the lean start-up). The modules
at this level are shared by both commands.
"""
