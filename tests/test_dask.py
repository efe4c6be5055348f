"""The job on a local dask.distributed cluster (2 worker processes) against the DirectRunner.

Beam's DaskRunner (with the gaps ``pipeline.runners.dask_runner`` fills) must write the
same bytes to the same paths, the same failure records, annotations, UID
mapping and summary as the DirectRunner, from the same key.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.dicom.run import run
from tests.factories import make_dataset
from tests.test_pipeline import write_archive

distributed = pytest.importorskip("distributed")

TEXT_WITH_ANNOTATIONS = {
    "dicom": {"filterProfile": "DEIDENTIFY_TAG_CONTENTS"},
    "annotation": {
        "annotationStoreName": "projects/p/locations/l/datasets/d/annotationStores/a",
        "storeQuote": False,
    },
}


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None, silence_logs=40
    ) as c:
        yield c


@pytest.fixture
def job(tmp_path: Path) -> dict:
    """An archive with a filter, a corrupt file and an empty file; a text config with annotations."""
    inp = tmp_path / "in"
    good = write_archive(inp, studies=3, series=2, instances=3)
    (inp / "truncated.dcm").write_bytes(good[0].read_bytes()[:700])
    (inp / "empty.dcm").write_bytes(b"")
    filt = tmp_path / "filter.txt"
    filt.write_text(
        f"/studies/{make_dataset(study=0).StudyInstanceUID}\n/studies/{make_dataset(study=1).StudyInstanceUID}\n"
    )
    config = tmp_path / "config.json"
    config.write_text(json.dumps(TEXT_WITH_ANNOTATIONS))
    key = tmp_path / "uid.key"
    key.write_bytes(b"V0hhdCBhIHRlc3Qga2V5IGZvciBVSURzIC0tIDMyIGJ5dGVz\n")
    return {"tmp": tmp_path, "inp": inp, "filter": filt, "config": config, "key": key}


def _args(job: dict, name: str) -> list[str]:
    base = job["tmp"] / name
    return [
        "--input", str(job["inp"]), "--output", str(base / "out"), "--uid_key_file", str(job["key"]),
        "--config", str(job["config"]), "--filter_file", str(job["filter"]),
        "--annotations_output", str(base / "annotations"), "--uid_mapping_output", str(base / "uids.csv"),
    ]


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _normalized(tree: dict[str, bytes], name: str, other: str) -> dict[str, bytes]:
    """The files, with the run folder's own name in the summary replaced (its output paths differ)."""
    out = {}
    for rel, data in tree.items():
        if rel.endswith("deid_summary.json"):
            data = data.replace(name.encode(), other.encode())
        out[rel] = data
    return out


def test_dask_cluster_writes_what_the_direct_runner_writes(cluster, job):
    assert run(_args(job, "direct")) == 0
    dask_args = _args(job, "dask") + ["--runner", "DaskRunner", f"--dask_client_address={cluster.scheduler_address}"]
    assert run(dask_args) == 0

    direct, dask = _tree(job["tmp"] / "direct"), _tree(job["tmp"] / "dask")
    assert set(direct) == set(dask)
    assert _normalized(dask, "/dask/", "/direct/") == direct

    summary = json.loads(direct["out/deid_summary.json"])
    assert (summary["found"], summary["succeeded"], summary["filtered_out"], summary["failed"]) == (20, 12, 6, 2)
    failures = [json.loads(line) for line in direct["out/deid_failures.jsonl"].decode().splitlines()]
    assert sorted(Path(f["source"]).name for f in failures) == ["empty.dcm", "truncated.dcm"]
    assert sum(rel.endswith(".dcm") for rel in direct) == 12
    assert sum(rel.startswith("annotations/") for rel in direct) == 2  # one file per listed study
    assert len(direct["uids.csv"].decode().splitlines()) > 12


def test_dask_runner_refuses_bigquery_ends(job, capsys):
    args = _args(job, "bq") + ["--runner", "DaskRunner", "--filter_table", "proj-1:ds.table"]
    assert run(args) == 2
    assert "DaskRunner" in capsys.readouterr().err


def test_progress_on_dask_adds_up_over_partitions():
    """DoFns are set up and torn down per partition on dask: the worker's count must survive that."""
    from pipeline.progress import Progress

    counted = Progress(0.0, " (this worker)", "run-keep", keep=True)
    for _ in range(3):  # three partitions, one instance each
        counted.start()
        counted.finished("succeeded")
        counted.stop()
    counted.start()
    assert counted._reporter.done == 3 and counted._reporter.line().startswith("progress (this worker): 3 instances")
    counted.stop()
    reset = Progress(0.0, "", "run-direct")
    for _ in range(2):
        reset.start()
        reset.finished("succeeded")
        reset.stop()
    reset.start()
    assert reset._reporter.done == 0  # DirectRunner: torn down at the end, a fresh count next time
    reset.stop()
