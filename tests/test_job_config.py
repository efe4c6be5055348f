"""Job validation before the pipeline starts (keys, filters, paths)."""

from __future__ import annotations

import base64

import pytest
from apache_beam.options.pipeline_options import PipelineOptions

from pipeline.dicom.config import JobConfig
from pipeline.jobsetup import SetupError
from pipeline.options import UID_KEY_ENV, DeidOptions

KEY = bytes(range(32))


def job(tmp_path, *extra, environ=None):
    (tmp_path / "in").mkdir(exist_ok=True)
    argv = ["--input", str(tmp_path / "in"), "--output", str(tmp_path / "out"), *extra]
    return JobConfig.from_options(PipelineOptions(argv).view_as(DeidOptions), environ=environ or {})


def test_key_from_environment_is_hidden(tmp_path):
    """$DEID_UID_KEY gives the key; it never shows in repr of the job."""
    cfg = job(tmp_path, environ={UID_KEY_ENV: base64.b64encode(KEY).decode()})
    assert cfg.key.origin == "environment" and cfg.key.load() == KEY
    assert base64.b64encode(KEY).decode() not in repr(cfg) and str(list(KEY)) not in repr(cfg)


def test_no_key_means_random_per_run(tmp_path):
    """Without a key the job gets a random one, different each run."""
    a, b = job(tmp_path), job(tmp_path)
    assert a.key.origin == "random" and a.key.load() != b.key.load()


def test_short_key_file_rejected(tmp_path):
    """A key file with fewer than 16 bytes stops the job, naming the option."""
    (tmp_path / "k").write_bytes(b"abc")
    with pytest.raises(SetupError, match="--uid_key_file"):
        job(tmp_path, "--uid_key_file", str(tmp_path / "k"))


def test_output_inside_input_rejected(tmp_path):
    """An output folder inside the input folder would be read back on a rerun."""
    (tmp_path / "in").mkdir()
    argv = ["--input", str(tmp_path / "in"), "--output", str(tmp_path / "in" / "out")]
    with pytest.raises(SetupError, match="lies inside"):
        JobConfig.from_options(PipelineOptions(argv).view_as(DeidOptions), environ={})


def test_bad_filter_line_stops_the_job(tmp_path):
    """A malformed filter line is reported with its number before anything runs."""
    (tmp_path / "f.txt").write_text("/studies/1.2\nnot a path\n")
    with pytest.raises(SetupError, match="line 2"):
        job(tmp_path, "--filter_file", str(tmp_path / "f.txt"))


def test_request_body_filter_and_config_errors_together(tmp_path):
    """Config problems and option problems are all reported at once."""
    (tmp_path / "c.json").write_text('{"config": {"dicomTagConfig": {"profileType": "NOPE"}}}')
    with pytest.raises(SetupError) as info:
        job(tmp_path, "--config", str(tmp_path / "c.json"), "--uid_root", "1.02")
    text = "\n".join(info.value.problems)
    assert "config.dicomTagConfig.profileType" in text and "--uid_root" in text


def test_redaction_without_ocr_models_stops_the_job(tmp_path, monkeypatch):
    """A config asking for burned-in text redaction does not start without the PP-OCR models;
    the message names the Python package. Without redaction the same machine starts the job."""
    import transforms.pixels.ocr

    (tmp_path / "c.json").write_text('{"image": {"textRedactionMode": "REDACT_ALL_TEXT"}}')
    assert job(tmp_path, "--config", str(tmp_path / "c.json")).spec.clean_image.mode == "REDACT_ALL_TEXT"
    monkeypatch.setattr(transforms.pixels.ocr, "_ppocr_models", lambda: None)
    with pytest.raises(SetupError) as info:
        job(tmp_path, "--config", str(tmp_path / "c.json"))
    assert any("burned-in text redaction" in p and "rapidocr-onnxruntime" in p for p in info.value.problems)
    assert job(tmp_path).spec.clean_image is None
