"""Free text shared by DICOM and FHIR: infoType detection and TextConfig transformations."""
