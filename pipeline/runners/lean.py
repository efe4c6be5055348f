"""A local command-line job that names no Google Cloud resource does not import Beam's Cloud I/O.

``import apache_beam`` imports its Google Cloud connectors when their client
libraries are installed (they are: Dataflow, gs:// and BigQuery need them):
GCS, BigQuery, Pub/Sub, the cross-language I/O wrappers and the Dataflow API
client: about 0.4 CPU-seconds of a tag-only job's
start-up (bench ``--case profile``), paid again by nothing else. Beam imports each of them inside ``try: ... except
ImportError``, so marking them absent (``sys.modules[name] = None``) before
Beam is first imported leaves them out. That is done only for a job that
cannot need them: the command line (``dicom-deid`` or ``python -m
pipeline.dicom.run``), in a process that has not imported Beam yet, on the local
runner (no ``--runner``, or DirectRunner), with no ``gs://`` anywhere in its
arguments and no BigQuery flag. Every other job imports Beam whole, as before.
Nothing here imports Beam.
"""

from __future__ import annotations

import sys

CLOUD_IO_MODULES = (
    "apache_beam.io.gcp.gcsfilesystem",
    "apache_beam.io.gcp.gcsio",
    "apache_beam.io.gcp.bigquery",
    "apache_beam.io.gcp.pubsub",
    "apache_beam.transforms.xlang.io",
    "google.cloud.dataflow",  # the Dataflow API client (Beam's DataflowRunner imports it in try/except)
)
_CLOUD_FLAGS = ("--filter_table", "--filter_query", "--annotations_table", "--project", "--temp_location",
                "--staging_location", "--dataflow", "--template", "--region", "--dask")  # --runner: its value decides
LOCAL_RUNNERS = ("DirectRunner", "direct")


def local_job(argv: list[str]) -> bool:
    """True when the arguments name no Cloud resource and no runner but the local one."""
    for i, arg in enumerate(argv):
        if "gs://" in arg:
            return False
        if arg.startswith("--runner"):
            value = arg.split("=", 1)[1] if "=" in arg else (argv[i + 1] if i + 1 < len(argv) else "")
            if value not in LOCAL_RUNNERS:
                return False
            continue
        if arg.startswith(_CLOUD_FLAGS):
            return False
    return True


def skip_cloud_io(argv: list[str]) -> bool:
    """Mark Beam's Cloud I/O modules absent for a local job, before Beam is imported; return whether it did."""
    if "apache_beam" in sys.modules or not local_job(argv):
        return False
    for name in CLOUD_IO_MODULES:
        sys.modules.setdefault(name, None)
    return True
