"""The Beam pipeline of dicom-deid: options, file I/O, DoFns and the graph."""
