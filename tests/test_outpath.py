"""The output path from the header alone equals the path the engine writes."""

from __future__ import annotations

import io

import pydicom
import pytest

from tests.factories import make_dataset, sample_instance, to_bytes
from transforms.deid_config import parse_config
from transforms.dicom.deidentify import Deidentifier, StageFailure, UidCache
from transforms.dicom.outpath import predict_output_path
from transforms.dicom.profiles import compile_plan

KEY = b"0123456789abcdef0123456789abcdef"
UID_ACTION = "regenUidTag"
CONFIGS = {
    "basic": {},
    "keep_all": {"dicomTagConfig": {"profileType": "KEEP_ALL_PROFILE"}},
    "minimal": {"dicomTagConfig": {"profileType": "MINIMAL_KEEP_LIST_PROFILE"}},
    "tag_contents": {"dicomTagConfig": {"profileType": "DEIDENTIFY_TAG_CONTENTS"}},
    "primary_keep": {"dicomTagConfig": {"options": {"primaryIds": "KEEP"}}},
    "keep_all_primary_keep": {"dicomTagConfig": {"profileType": "KEEP_ALL_PROFILE", "options": {"primaryIds": "KEEP"}}},
    "primary_regen": {"dicomTagConfig": {"profileType": "KEEP_ALL_PROFILE", "options": {"primaryIds": "REGEN"}}},
    "keep_sop": {"dicomTagConfig": {"actions": [{"queries": ["SOPInstanceUID"], "keepTag": {}}]}},
    "regen_study_over_keep": {
        "dicomTagConfig": {
            "options": {"primaryIds": "KEEP"},
            "actions": [{"queries": ["StudyInstanceUID"], UID_ACTION: {}}],
        }
    },
    "reset_series": {"dicomTagConfig": {"actions": [{"queries": ["SeriesInstanceUID"], "resetTag": {}}]}},
    "keep_by_vr": {"dicomTagConfig": {"actions": [{"queries": ["UI"], "keepTag": {}}]}},
    "legacy_keep_list": {"dicom": {"keepList": {"tags": ["StudyInstanceUID"]}}},
    "legacy_skip_id": {"dicom": {"skipIdRedaction": True}},
}
INSTANCES = {
    "explicit": lambda: make_dataset(index=2, study=1, series=1),
    "implicit": lambda: make_dataset(index=1, implicit=True),
    "spec_sample": sample_instance,
}


def _header(data: bytes) -> pydicom.Dataset:
    return pydicom.dcmread(io.BytesIO(data), stop_before_pixels=True)


@pytest.mark.parametrize("instance", sorted(INSTANCES))
@pytest.mark.parametrize("config", sorted(CONFIGS))
def test_predicted_path_is_the_engines(config, instance):
    """For every profile and UID action, the header-only path equals the engine's output path."""
    spec = parse_config(CONFIGS[config])
    data = to_bytes(INSTANCES[instance]())
    engine = Deidentifier(spec, KEY)
    predicted = predict_output_path(_header(data), compile_plan(spec), UidCache(KEY, "2.25"))
    try:
        expected = engine(data).relative_path
    except StageFailure:
        expected = None  # no output: the prediction must not name one that exists
    assert predicted == expected


def test_unknown_when_the_engine_fails():
    """Deleting a naming UID makes the engine fail; the prediction is None (never skipped)."""
    spec = parse_config({"dicomTagConfig": {"actions": [{"queries": ["SOPInstanceUID"], "deleteTag": {}}]}})
    data = to_bytes(make_dataset())
    with pytest.raises(StageFailure):
        Deidentifier(spec, KEY)(data)
    assert predict_output_path(_header(data), compile_plan(spec), UidCache(KEY, "2.25")) is None


def test_depends_on_key_and_root():
    """Another key or UID root names another path (the check never mixes up runs)."""
    spec = parse_config({})
    header = _header(to_bytes(make_dataset()))
    plan = compile_plan(spec)
    a = predict_output_path(header, plan, UidCache(KEY, "2.25"))
    b = predict_output_path(header, plan, UidCache(KEY[::-1], "2.25"))
    c = predict_output_path(header, plan, UidCache(KEY, "1.2.3"))
    assert len({a, b, c}) == 3 and c.startswith("studies/1.2.3.")
