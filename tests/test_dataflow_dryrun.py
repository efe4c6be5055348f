"""The job translated for Dataflow offline (``--dry_run=True``), one run per main config.

Beam's DataflowRunner builds the whole job here: every DoFn pickled, the graph
translated to the Dataflow runner API and validated, the job request built;
only the submission is skipped. A graph Dataflow cannot take fails here, not on
its first scheduled run. Nothing may reach the network: outbound connections
and name lookups other than loopback raise, and credentials are a fake file.

What Beam 2.77 needs for that: ``--project`` a valid project id (6-30
characters), ``--region``, ``--temp_location`` in a validly named bucket (3+
characters; else Beam looks up a default bucket over the network),
``--no_auth`` and ``--sdk_location=container`` (no SDK staged).
"""

from __future__ import annotations

import ipaddress
import json
import socket
from pathlib import Path

import pytest
from apache_beam.internal import pickler
from apache_beam.portability import common_urns
from apache_beam.portability.api import beam_runner_api_pb2
from apache_beam.runners.dataflow.dataflow_runner import DataflowRunner

from pipeline.dicom.run import run
from tests.test_pipeline import write_archive

DATAFLOW = [
    "--runner", "DataflowRunner", "--dry_run=True", "--no_auth", "--sdk_location=container",
    "--project", "deid-project", "--region", "us-central1", "--temp_location", "gs://deid-bucket/tmp",
]
ANNOTATION = {"annotationStoreName": "projects/p/locations/l/datasets/d/annotationStores/a", "storeQuote": False}
CONFIGS = {
    "tag-only": ({}, []),
    "text": ({"dicom": {"filterProfile": "DEIDENTIFY_TAG_CONTENTS"}, "annotation": ANNOTATION}, ["annotations_output"]),
    "redaction": ({"image": {"textRedactionMode": "REDACT_ALL_TEXT"}}, []),
    "bigquery": (
        {"dicom": {"filterProfile": "DEIDENTIFY_TAG_CONTENTS"}, "annotation": ANNOTATION},
        ["--filter_table=deid-project:cohort.instances", "--annotations_table=deid-project:deid.annotations"],
    ),
    "bigquery-query": ({}, ["--filter_query=SELECT StudyInstanceUID FROM `deid-project.cohort.studies`"]),
}
EXPECTED_STEPS = {
    "tag-only": ["Match", "ReadAndFilter", "Deidentify", "Write", "WriteFailures", "WriteSummary", "WriteUidMapping"],
    "text": ["Deidentify", "WriteAnnotations", "WriteSummary"],
    "redaction": ["Deidentify", "WriteSummary"],
    "bigquery": ["FilterFromBigQuery", "ReadAndFilter", "WriteAnnotationsTable", "WriteSummary"],
    "bigquery-query": ["FilterFromBigQuery", "ReadAndFilter", "WriteSummary"],
}


def _loopback(host) -> bool:
    if host in (None, "localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@pytest.fixture
def offline(monkeypatch, tmp_path):
    """No network: fake credentials, no metadata server, non-loopback connections refused."""
    creds = tmp_path / "fake-credentials.json"
    creds.write_text(json.dumps({
        "type": "authorized_user", "client_id": "x", "client_secret": "x", "refresh_token": "x",
        "token": "x", "expiry": "2099-01-01T00:00:00Z", "token_uri": "http://127.0.0.1:9/token",
    }))
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(creds))
    monkeypatch.setenv("NO_GCE_CHECK", "true")
    attempts = []
    connect, getaddrinfo = socket.socket.connect, socket.getaddrinfo

    def guarded_connect(sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6) and not _loopback(address[0]):
            attempts.append(address)
            raise OSError(f"test: no network ({address[0]})")
        return connect(sock, address)

    def guarded_getaddrinfo(host, *args, **kwargs):
        if not _loopback(host):
            attempts.append(host)
            raise socket.gaierror(f"test: no network ({host})")
        return getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)
    return attempts


@pytest.fixture
def jobs(monkeypatch):
    """The Dataflow job objects the dry runs built."""
    built = []
    translate = DataflowRunner.run_pipeline

    def keep(self, pipeline, options):
        result = translate(self, pipeline, options)
        built.append(result.job)
        return result

    monkeypatch.setattr(DataflowRunner, "run_pipeline", keep)
    return built


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_dataflow_translates_the_job(name, tmp_path, offline, jobs):
    config, extra = CONFIGS[name]
    inp = tmp_path / "in"
    write_archive(inp, instances=1)
    (tmp_path / "config.json").write_text(json.dumps(config))
    key = tmp_path / "uid.key"
    key.write_bytes(b"V0hhdCBhIHRlc3Qga2V5IGZvciBVSURzIC0tIDMyIGJ5dGVz\n")
    args = [
        "--input", str(inp), "--output", str(tmp_path / "out"), "--uid_key_file", str(key),
        "--config", str(tmp_path / "config.json"), "--uid_mapping_output", str(tmp_path / "uids.csv"),
        *(f"--annotations_output={tmp_path / 'annotations'}" if e == "annotations_output" else e for e in extra),
        *DATAFLOW,
    ]
    assert run(args) == 0
    assert offline == []
    assert len(jobs) == 1
    proto = jobs[0].proto_pipeline
    labels = {t.unique_name.split("/")[0] for t in proto.components.transforms.values()}
    missing = [step for step in EXPECTED_STEPS[name] if step not in labels]
    assert not missing, f"steps not in the Dataflow job: {missing}"
    # Every DoFn of the job must load again from what Dataflow would ship to its workers.
    loaded = 0
    for transform in proto.components.transforms.values():
        if transform.spec.urn == common_urns.primitives.PAR_DO.urn:
            payload = beam_runner_api_pb2.ParDoPayload.FromString(transform.spec.payload)
            if payload.do_fn.urn == "beam:dofn:pickled_python_info:v1":
                pickler.loads(payload.do_fn.payload)
                loaded += 1
    assert loaded >= 5
    assert not (tmp_path / "out" / "deid_summary.json").exists()  # translated, nothing ran
