"""Static checks of the flex template: metadata.json, Dockerfile and README."""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from apache_beam.options.pipeline_options import PipelineOptions

from pipeline.options import _TABLE_RE, UID_KEY_ENV, DeidOptions, _auth, _boolean, _fraction
from pipeline.launch import unknown_flags
from transforms.dicom.uids import check_uid_root

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
METADATA = json.loads((TEMPLATES / "metadata.json").read_text(encoding="utf-8"))
PARAMS = {p["name"]: p for p in METADATA["parameters"]}
DOCKERFILE = (TEMPLATES / "Dockerfile").read_text(encoding="utf-8")
README = (TEMPLATES / "README.md").read_text(encoding="utf-8")
REQUIREMENTS = (ROOT / "requirements.txt").read_text(encoding="utf-8")

GCS_PARAMS = {
    "input",
    "output",
    "config",
    "filter_file",
    "filter_table_export",
    "uid_key_file",
    "uid_mapping_output",
    "failures_output",
    "summary_output",
    "annotations_output",
}
LOCAL_PATHS = [
    "/data/archive/",
    "archive/study1.dcm",
    "C:\\archive",
    "file:///data/x.dcm",
    "gs:/b/x",
    "",
]
BAD_FRACTIONS = {"1.5", "2", "-0.1", "01", "1.01", "abc", "", "1e-3"}


def _deid_flags() -> set[str]:
    parser = argparse.ArgumentParser()
    DeidOptions._add_argparse_args(parser)
    strings = (s for action in parser._actions for s in action.option_strings)
    return {s[2:] for s in strings if s.startswith("--")} - {"help"}


def _matches(param: dict, value: str) -> bool:
    return all(re.search(rx, value) for rx in param["regexes"])


def _example(param: dict) -> str:
    found = re.search(r"Example: (\S.*)$", param["helpText"])
    assert found, f"{param['name']}: helpText must end with 'Example: VALUE'"
    return found.group(1)


def _readme_gcloud_parameters() -> list[tuple[str, str]]:
    """Return the (name, value) pairs of every ``--parameters`` flag in the README."""
    pairs = []
    for raw in re.findall(r"--parameters[ =]('[^']*'|\S+)", README):
        text = raw.strip("'")
        delimiter = ","
        alternate = re.match(r"\^(.)\^", text)  # gcloud topic escaping
        if alternate:
            delimiter, text = alternate.group(1), text[alternate.end() :]
        for item in text.split(delimiter):
            name, _, value = item.partition("=")
            pairs.append((name, value))
    return pairs


def _readme_launch_body() -> dict:
    """Return the flexTemplates:launch request body shown in the README."""
    blocks = re.findall(r"```json\n(.*?)```", README, re.S)
    blocks = [b for b in blocks if "launchParameter" in b]
    assert len(blocks) == 1
    return json.loads(blocks[0])


def _readme_examples() -> list[tuple[str, str]]:
    body = _readme_launch_body()["launchParameter"]["parameters"]
    return _readme_gcloud_parameters() + sorted(body.items())


def _dockerfile_instructions() -> list[tuple[str, str]]:
    text = re.sub(r"\\\n", " ", DOCKERFILE)
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line and not line.startswith("#")]
    return [tuple(line.split(None, 1)) for line in lines]


def _runs() -> str:
    return " ".join(rest for name, rest in _dockerfile_instructions() if name == "RUN")


def _env() -> dict[str, str]:
    env = {}
    for name, rest in _dockerfile_instructions():
        if name == "ENV":
            key, _, value = rest.partition("=")
            env[key.strip()] = value.strip().strip('"')
    return env


class TestMetadata:
    def test_names_are_the_deid_options(self):
        """metadata.json has one parameter per DeidOptions flag, and no other."""
        names = [p["name"] for p in METADATA["parameters"]]
        assert len(names) == len(set(names))
        assert set(names) == _deid_flags()

    def test_no_parameter_is_required_alone(self):
        """Every parameter is optional: a source (input or dicomweb_source) and a destination
        (output or dicomweb_destination) are checked by the job, and the help says so."""
        params = METADATA["parameters"]
        assert all(isinstance(p["isOptional"], bool) for p in params)
        assert not [p["name"] for p in params if not p["isOptional"]]
        assert "dicomweb_source" in PARAMS["input"]["helpText"]
        assert "dicomweb_destination" in PARAMS["output"]["helpText"]

    def test_fields(self):
        """The template and each parameter carry the fields the service reads."""
        assert METADATA["name"] and METADATA["description"]
        fields = {"name", "label", "helpText", "isOptional", "regexes"}
        for param in METADATA["parameters"]:
            assert set(param) == fields, param["name"]
            assert param["label"] and param["helpText"] and param["regexes"]

    def test_input_help_explains_comma_separated_values(self):
        """The input help says one value holds several comma-separated inputs."""
        assert "comma-separated" in PARAMS["input"]["helpText"]
        assert "," in _example(PARAMS["input"])

    def test_uid_key_is_only_a_file(self):
        """No parameter takes the UID key itself."""
        assert [name for name in PARAMS if "key" in name] == ["uid_key_file"]


class TestRegexes:
    @pytest.mark.parametrize("name", sorted(PARAMS))
    def test_compile_and_accept_the_help_example(self, name):
        """Every regex compiles and accepts the example in its helpText."""
        for rx in PARAMS[name]["regexes"]:
            re.compile(rx)
        assert _matches(PARAMS[name], _example(PARAMS[name]))

    @pytest.mark.parametrize("name", sorted(GCS_PARAMS))
    def test_gcs_parameters_reject_local_paths(self, name):
        """Each gs:// parameter accepts a gs:// path and rejects local paths."""
        assert _matches(PARAMS[name], "gs://my-bucket/archive/")
        for path in LOCAL_PATHS:
            assert not _matches(PARAMS[name], path), path

    def test_gcs_regexes_reject_line_breaks(self):
        """A gs:// value with a line break is rejected."""
        for name in GCS_PARAMS:
            assert not _matches(PARAMS[name], "gs://b/x\n--uid_root=1"), name

    @pytest.mark.parametrize(
        ("value", "ok"),
        [
            ("gs://b/2024/", True),
            ("gs://b/2024/,gs://b/2025/*.dcm", True),
            ("gs://b/2024/, gs://b/2025/", True),
            ("gs://b/2024/,/local/dir", False),
            ("/local/dir,gs://b/2024/", False),
        ],
    )
    def test_input_accepts_comma_separated_gcs_paths(self, value, ok):
        """input takes one gs:// path or a comma-separated list of them."""
        assert _matches(PARAMS["input"], value) is ok

    @pytest.mark.parametrize(
        "value",
        ["0", "1", "0.01", "0.5", "1.0", "1.", "0.", ".25", *sorted(BAD_FRACTIONS)],
    )
    def test_max_failure_fraction_regex_agrees_with_the_parser(self, value):
        """A fraction the regex accepts is one the option parser accepts."""
        if _matches(PARAMS["max_failure_fraction"], value):
            assert 0.0 <= _fraction(value) <= 1.0
        else:
            assert value in BAD_FRACTIONS

    @pytest.mark.parametrize(
        "value",
        ["2.25", "1.2.826.0.1.3680043", "1.0.3", "0"]
        + ["2.25.", ".2.25", "2.025", "2..25", "2,25", "abc", ""],
    )
    def test_uid_root_regex_agrees_with_check_uid_root(self, value):
        """The uid_root regex accepts what check_uid_root accepts (length aside)."""
        try:
            valid = check_uid_root(value) == value
        except ValueError:
            valid = False
        assert _matches(PARAMS["uid_root"], value) is valid

    @pytest.mark.parametrize("value", ["true", "false", "True", "FALSE", "1", "0", "yes", "no", "maybe", "tru", "", " true"])
    def test_boolean_regex_agrees_with_the_parser(self, value):
        """skip_existing: what the regex accepts, the option parser parses; the rest it rejects or is empty."""
        if _matches(PARAMS["skip_existing"], value):
            assert _boolean(value) in (True, False)
        else:
            assert value in ("maybe", "tru", "", " true")
            if value in ("maybe", "tru"):
                with pytest.raises(ValueError):
                    _boolean(value)

    @pytest.mark.parametrize("name", ["dicomweb_source", "dicomweb_destination"])
    @pytest.mark.parametrize(
        ("value", "ok"),
        [
            ("https://healthcare.googleapis.com/v1/projects/p/locations/l/datasets/d/dicomStores/s/dicomWeb", True),
            ("http://127.0.0.1:8042/dicom-web", True),
            ("https://deid:secret@pacs.example.org/dicom-web", False),
            ("https://pacs.example.org/dicom-web?token=x", False),
            ("gs://b/x", False),
            ("https://pacs.example.org/dicom-web\n--uid_root=1", False),
        ],
    )
    def test_dicomweb_urls_take_no_credentials(self, name, value, ok):
        """A DICOMweb URL parameter is http(s) without user-info, query or line break."""
        assert _matches(PARAMS[name], value) is ok

    @pytest.mark.parametrize("name", ["dicomweb_auth", "dicomweb_source_auth", "dicomweb_destination_auth"])
    @pytest.mark.parametrize("value", ["none", "google", "basic", "bearer", "oauth", "", "Google"])
    def test_auth_regex_agrees_with_the_parser(self, name, value):
        """An auth mode the regex accepts is one the option parser accepts."""
        if _matches(PARAMS[name], value):
            assert _auth(value) == value
        else:
            assert value in ("oauth", "", "Google")

    @pytest.mark.parametrize("name", ["filter_table", "annotations_table"])
    @pytest.mark.parametrize(
        "value",
        ["my-project:dicom_deid.tonight", "example.com:my-project:ds.t", "ds.table_1", "my-project.ds.t", "gs://b/t", "ds", ":ds.t", "p:ds.t\nx"],
    )
    def test_table_regex_agrees_with_the_option_check(self, name, value):
        """A BigQuery table the template regex accepts is one the pipeline accepts, and vice versa."""
        assert _matches(PARAMS[name], value) is bool(_TABLE_RE.match(value))

    def test_readme_examples_pass_the_regexes(self):
        """Every parameter value in the README's commands passes its regexes."""
        examples = _readme_examples()
        assert {"input", "output", "uid_key_file"} <= {name for name, _ in examples}
        for name, value in examples:
            if name in PARAMS:
                assert _matches(PARAMS[name], value), (name, value)
            else:
                assert name == "sdk_container_image", name


class TestReadme:
    def test_runs_set_the_worker_image(self):
        """The run command and the scheduled launch both make workers run the image."""
        assert "sdk_container_image" in dict(_readme_gcloud_parameters())
        body = _readme_launch_body()["launchParameter"]
        assert body["environment"]["sdkContainerImage"]
        assert body["environment"]["serviceAccountEmail"]
        assert body["containerSpecGcsPath"].startswith("gs://")
        assert body["jobName"]

    def test_lists_dockerignore_lines(self):
        """The README gives the .dockerignore lines for the venv, sample and bench."""
        assert re.search(r"```\n\.venv/\nsample/\nbench/out/\n```", README)

    def test_builds_from_the_repository_root(self):
        """The build commands name templates/Dockerfile with the root as context."""
        assert "['build', '-f', 'templates/Dockerfile', '-t', '$_IMAGE', '.']" in README
        assert "docker build -f templates/Dockerfile -t $IMAGE ." in README


class TestDockerfile:
    def test_beam_image_matches_the_pin(self):
        """The Beam SDK image tag equals the apache-beam pin in requirements.txt."""
        pin = re.search(r"^apache-beam(?:\[[^\]]*\])?==(\S+)$", REQUIREMENTS, re.M)
        assert pin
        froms = [rest for name, rest in _dockerfile_instructions() if name == "FROM"]
        assert froms == [f"apache/beam_python3.11_sdk:{pin.group(1)}"]

    def test_copies_the_python311_launcher(self):
        """The launcher binary comes from the Python 3.11 launcher image."""
        launcher = "/opt/google/dataflow/python_template_launcher"
        copy = (
            "--from=gcr.io/dataflow-templates-base/python311-template-launcher-base"
            f" {launcher} {launcher}"
        )
        assert ("COPY", copy) in _dockerfile_instructions()

    def test_installs_tesseract_and_limits_threads(self):
        """tesseract-ocr comes from apt, the lists are cleaned, OMP_THREAD_LIMIT=1."""
        install = "apt-get install -y --no-install-recommends tesseract-ocr"
        assert re.search(re.escape(install) + r"(\s|$)", _runs())
        assert "rm -rf /var/lib/apt/lists/*" in _runs()
        assert _env()["OMP_THREAD_LIMIT"] == "1"

    def test_installs_the_pinned_set_and_the_project(self):
        """requirements.txt, then the project without dependencies, then pip check."""
        steps = [
            "pip install --no-cache-dir -r requirements.txt",
            "pip install --no-cache-dir --no-deps .",
            "pip check",
        ]
        positions = [_runs().find(step) for step in steps]
        assert -1 not in positions and positions == sorted(positions)
        assert ("WORKDIR", "/template") in _dockerfile_instructions()
        assert ("COPY", ". /template") in _dockerfile_instructions()

    def test_py_file_exists_in_the_repository(self):
        """FLEX_TEMPLATE_PYTHON_PY_FILE is pipeline/dicom/run.py of the copied repository."""
        py_file = _env()["FLEX_TEMPLATE_PYTHON_PY_FILE"]
        assert py_file == "/template/pipeline/dicom/run.py"
        assert (ROOT / Path(py_file).relative_to("/template")).is_file()

    def test_entrypoint_is_beam_boot(self):
        """The entry point is the Beam worker boot program."""
        instructions = _dockerfile_instructions()
        entry = [rest for name, rest in instructions if name == "ENTRYPOINT"]
        assert entry == ['["/opt/apache/beam/boot"]']


class TestLaunch:
    @pytest.mark.parametrize(
        ("argv", "expected"),
        [([], False), (["--skip_existing"], True), (["--skip_existing=true"], True),
         (["--skip_existing=false"], False), (["--skip_existing=True"], True), (["--skip_existing=0"], False)],
    )
    def test_booleans_parse_from_strings_and_bare_flags(self, argv, expected):
        """A template passes --skip_existing=true/false; on the command line a bare flag means true."""
        opts = PipelineOptions([*argv, "--output=gs://b/o"]).view_as(DeidOptions)
        assert opts.skip_existing is expected and opts.output == "gs://b/o"

    def test_every_parameter_takes_the_name_value_form(self):
        """Each parameter given as --name=<help example> reaches DeidOptions with a value."""
        argv = [f"--{p['name']}={_example(p)}" for p in METADATA["parameters"]]
        opts = PipelineOptions(argv).view_as(DeidOptions)
        for p in METADATA["parameters"]:
            value = getattr(opts, p["name"])
            assert value not in (None, []), p["name"]


    def test_parameters_are_known_flags(self):
        """Every parameter, as --name=value with its help example, is a known flag."""
        # Not "=x" for every flag: the parser applies types, and
        # "--max_failure_fraction=x" exits with a usage error instead of returning.
        argv = [f"--{p['name']}={_example(p)}" for p in METADATA["parameters"]]
        assert unknown_flags(argv) == []

    def test_launch_options_are_known_flags(self):
        """The Dataflow options a launch adds next to the parameters are known flags."""
        argv = [
            "--runner=DataflowRunner",
            "--project=my-project",
            "--region=europe-west4",
            "--job_name=dicom-deid-nightly",
            "--temp_location=gs://b/temp",
            "--staging_location=gs://b/staging",
            "--service_account_email=w@my-project.iam.gserviceaccount.com",
            "--sdk_container_image=europe-west4-docker.pkg.dev/p/r/dicom-deid:1",
            "--template_location=/tmp/job.json",
            "--max_num_workers=20",
        ]
        assert unknown_flags(argv) == []

    def test_py_file_runs_as_a_script(self, tmp_path):
        """pipeline/dicom/run.py run by path, as a launcher runs it, reaches option checks."""
        env = {**os.environ, "PYTHONPATH": str(ROOT)}  # the image installs the project
        env.pop(UID_KEY_ENV, None)
        argv = [f"--input={tmp_path / 'missing'}", f"--output={tmp_path / 'out'}"]
        result = subprocess.run(
            [sys.executable, str(ROOT / "pipeline" / "dicom" / "run.py"), *argv],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 2, result.stderr
        assert "no such file or folder" in result.stderr
