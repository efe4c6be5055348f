"""The command line a user meets first: --help, errors before the start (one line, exit 2, nothing
written, Beam not imported for local jobs), and a run that stops late (one line, exit 4)."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import cli
from pipeline.options import COMMANDS, DICOM_ONLY_FLAGS, FHIR_SHARED_FLAGS, HELP_GROUPS, flags_of
from tests.test_pipeline import gcs, write_archive  # noqa: F401  (gcs: the emulator fixture)

ROOT = Path(__file__).resolve().parents[1]
KEY = b"V0hhdCBhIHRlc3Qga2V5IGZvciBVSURzIC0tIDMyIGJ5dGVz\n"
# Runs a command as its console script does and says, at exit, whether Beam was imported.
_PROBE = (
    "import atexit, runpy, sys\n"
    "atexit.register(lambda: print('BEAM_IMPORTED', 'apache_beam' in sys.modules))\n"
    "module, sys.argv = sys.argv[1], [sys.argv[2], *sys.argv[3:]]\n"
    "import logging; logging.basicConfig(level=logging.INFO, format='%(levelname)s %(name)s: %(message)s')\n"
    "runpy.run_module(module, run_name='__main__')\n"
)
MODULES = {"dicom-deid": "pipeline.dicom.run", "fhir-deid": "pipeline.fhir.run"}


def command(tool: str, *args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("DEID_UID_KEY", None)
    return subprocess.run([sys.executable, "-c", _PROBE, MODULES[tool], tool, *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def one_line(proc: subprocess.CompletedProcess, tool: str = "dicom-deid") -> str:
    """The job's whole report on stderr: exactly one line, naming the command."""
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith(f"{tool}: "), proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr + proc.stdout
    return lines[0]


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    write_archive(tmp_path / "in", instances=2)
    return tmp_path / "in"


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    (tmp_path / "uid.key").write_bytes(KEY)
    return tmp_path / "uid.key"


# --------------------------------------------------------------------------- --help


@pytest.mark.parametrize("tool", ["dicom-deid", "fhir-deid"])
def test_help_lists_the_commands_options_by_group_with_defaults(tool):
    proc = command(tool, "--help")
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    text = proc.stdout
    assert "BEAM_IMPORTED False" in text
    own = [f for f in flags_of(*COMMANDS[tool][0]) if f not in COMMANDS[tool][1]]
    assert all(f"\n  {flag}" in text for flag in own)
    positions = [text.index(f"\n{title}:") for title, _ in cli.option_rows(tool)]
    assert positions == sorted(positions) and "\nOther:" not in text
    assert text.index("\nInput:") < text.index("\nRunners (Apache Beam options most jobs use):")
    assert f"`{tool} --help_beam` lists them" in text
    assert "[default: none]" in text and "Exit status: 0 done; 2 " in text


def test_help_shows_each_default():
    text = cli.help_text("dicom-deid")
    assert "--dicomweb_page_size N\n      QIDO-RS limit per page (default 5000)." in text
    assert "--skip_existing[=true|false]" in text and "[default: false]" in text
    assert "--uid_root ROOT\n      Root of regenerated UIDs (default 2.25)." in text


def test_fhir_help_leaves_out_what_fhir_deid_refuses():
    text = cli.help_text("fhir-deid")
    assert "--key_file" in text and "--id_mapping_output" in text
    assert not [f for f in DICOM_ONLY_FLAGS if f"\n  {f} " in text or f"\n  {f}[" in text or f"\n  {f}\n" in text]
    assert set(FHIR_SHARED_FLAGS) <= set(flags_of(*COMMANDS["fhir-deid"][0]))


def test_every_option_is_in_a_help_group():
    """A new option must be placed in pipeline.options.HELP_GROUPS (else it shows under "Other")."""
    grouped = {flag for _, flags in HELP_GROUPS for flag in flags}
    for tool, (classes, _refused) in COMMANDS.items():
        assert set(flags_of(*classes)) - grouped == set(), tool


def test_help_beam_lists_beams_options_only():
    proc = command("dicom-deid", "--help_beam")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "--runner" in proc.stdout and "--direct_num_workers" in proc.stdout and "--temp_location" in proc.stdout
    assert "--uid_key_file" not in proc.stdout and "--input " not in proc.stdout


def test_runner_options_shown_in_help_are_beams():
    from pipeline.launch import beam_option_classes

    beam = set(flags_of(*beam_option_classes()))
    import apache_beam.runners.dask.dask_runner  # noqa: F401  (registers --dask_client_address)

    beam |= set(flags_of(*beam_option_classes()))
    shown = {part.split()[0] for flags, _ in cli.RUNNER_OPTIONS for part in flags.split(", ")}
    assert shown <= beam, shown - beam


# --------------------------------------------------------------------------- errors before the start


def test_config_error_is_reported_before_beam_is_imported(tmp_path, archive, key_file):
    (tmp_path / "c.json").write_text('{"dicomTagConfig": {"profileType": "NOPE"}}')
    proc = command("dicom-deid", "--input", str(archive), "--output", str(tmp_path / "out"),
                   "--uid_key_file", str(key_file), "--config", str(tmp_path / "c.json"))
    assert proc.returncode == 2 and "BEAM_IMPORTED False" in proc.stdout
    assert one_line(proc).startswith("dicom-deid: the job cannot start: config.dicomTagConfig.profileType: expected one of ")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "args, expected",
    [
        (["--dicomweb_page_size=abc"], "--dicomweb_page_size: must be a number"),
        (["--dicomweb_auth", "kerberos"], "--dicomweb_auth: must be none, google, basic or bearer"),
        (["--max_failure_fraction=2"], "--max_failure_fraction: must be between 0 and 1"),
        (["--uid_root", "1.02"], "--uid_root: "),
    ],
)
def test_a_bad_value_is_one_line_before_beam(tmp_path, archive, key_file, args, expected):
    proc = command("dicom-deid", "--input", str(archive), "--output", str(tmp_path / "out"),
                   "--uid_key_file", str(key_file), *args)
    assert proc.returncode == 2 and "BEAM_IMPORTED False" in proc.stdout
    assert one_line(proc).startswith(f"dicom-deid: the job cannot start: {expected}")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("special", ["fifo", "zero", "folder"])
@pytest.mark.parametrize("flag", ["--uid_key_file", "--config", "--filter_file"])
def test_key_config_and_filter_must_be_regular_files(tmp_path, archive, key_file, flag, special):
    """A FIFO (which would hang the start), a link to /dev/zero (which would fill memory) or a folder
    given as the key, config or filter file: one line, exit 2, before Beam, nothing written."""
    path = tmp_path / special
    if special == "fifo":
        os.mkfifo(path)
    elif special == "zero":
        path.symlink_to("/dev/zero")
    else:
        path.mkdir()
    args = {"--uid_key_file": str(key_file), flag: str(path)}
    proc = command("dicom-deid", "--input", str(archive), "--output", str(tmp_path / "out"),
                   *[x for kv in args.items() for x in kv])
    assert proc.returncode == 2 and "BEAM_IMPORTED False" in proc.stdout
    assert one_line(proc) == f"dicom-deid: the job cannot start: {flag} {path}: cannot be read: not a regular file (a FIFO, device, socket or folder is never read)"
    assert not (tmp_path / "out").exists()


def test_config_too_large_or_nested_too_deep(tmp_path, archive, key_file, monkeypatch):
    """A config over the limit is not read; JSON nested past Python's recursion limit is named so."""
    (tmp_path / "deep.json").write_text('{"a":' * 100000 + "1" + "}" * 100000)
    (tmp_path / "big.json").write_bytes(b" " * (64 * 1024**2 + 1) + b"{}")
    for name, expected in (("deep.json", "its JSON is nested too deeply"), ("big.json", "larger than 67108864 bytes")):
        proc = command("dicom-deid", "--input", str(archive), "--output", str(tmp_path / "out"),
                       "--uid_key_file", str(key_file), "--config", str(tmp_path / name))
        assert proc.returncode == 2
        assert one_line(proc) == f"dicom-deid: the job cannot start: --config {tmp_path / name}: cannot be read: {expected}"
    assert not (tmp_path / "out").exists()


def test_a_mistyped_flag_is_named_with_the_flag_meant(tmp_path, archive, key_file):
    proc = command("dicom-deid", "--input", str(archive), "--ouput", str(tmp_path / "out"), "--uid_key_file", str(key_file))
    assert proc.returncode == 2
    assert one_line(proc) == "dicom-deid: the job cannot start: unknown option --ouput (did you mean --output?)"
    proc = command("dicom-deid", "--input", str(archive), "--output", str(tmp_path / "out"), "--runer=DirectRunner")
    assert one_line(proc) == "dicom-deid: the job cannot start: unknown option --runer (did you mean --runner?)"
    assert not (tmp_path / "out").exists()


def test_output_that_is_a_file_or_lies_under_one(tmp_path, archive, key_file):
    (tmp_path / "afile").write_text("x")
    for output, cause in ((tmp_path / "afile", "is a file, not a folder"),
                          (tmp_path / "afile" / "out", f"cannot be created: {tmp_path / 'afile'} is a file")):
        proc = command("dicom-deid", "--input", str(archive), "--output", str(output), "--uid_key_file", str(key_file))
        assert proc.returncode == 2 and "BEAM_IMPORTED False" in proc.stdout
        assert one_line(proc) == f"dicom-deid: the job cannot start: --output {output}: {cause}"
    assert (tmp_path / "afile").read_text() == "x"


def test_an_output_that_cannot_be_written_stops_the_job_before_it_reads(tmp_path, archive, key_file):
    """Was a 143-line traceback, exit 1, after "24 of 24 instances done (100%)"."""
    if os.geteuid() == 0:
        output, cause = Path("/sys/deid-test-output/out"), "cannot be created (Operation not permitted)"  # root writes anywhere else
    else:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        output, cause = locked / "out", "cannot be created (Permission denied)"
    proc = command("dicom-deid", "--input", str(archive), "--output", str(output), "--uid_key_file", str(key_file))
    assert proc.returncode == 2
    assert one_line(proc) == f"dicom-deid: the job cannot start: --output {output}: {cause}"
    assert not output.exists()


def test_the_probe_leaves_nothing_behind(tmp_path):
    from pipeline.jobsetup import probe_local_folder

    assert probe_local_folder(str(tmp_path / "a" / "b" / "c")) is None
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "d").mkdir()
    assert probe_local_folder(str(tmp_path / "d")) is None and list((tmp_path / "d").iterdir()) == []


def test_failures_output_that_is_a_folder(tmp_path, archive, key_file):
    (tmp_path / "f").mkdir()
    proc = command("dicom-deid", "--input", str(archive), "--output", str(tmp_path / "out"),
                   "--uid_key_file", str(key_file), "--failures_output", str(tmp_path / "f"))
    assert proc.returncode == 2
    assert one_line(proc) == f"dicom-deid: the job cannot start: --failures_output {tmp_path / 'f'}: is a folder, not a file"
    assert not (tmp_path / "out").exists()


def test_fhir_deid_reports_the_same_way(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "Patient.ndjson").write_text('{"resourceType": "Patient", "id": "p1"}\n')
    (tmp_path / "afile").write_text("x")
    proc = command("fhir-deid", "--input", str(tmp_path / "in"), "--output", str(tmp_path / "afile"))
    assert proc.returncode == 2 and "BEAM_IMPORTED False" in proc.stdout
    assert one_line(proc, "fhir-deid") == f"fhir-deid: the job cannot start: --output {tmp_path / 'afile'}: is a file, not a folder"
    proc = command("fhir-deid", "--input", str(tmp_path / "in"), "--output", str(tmp_path / "o"), "--uid_root=2.25")
    assert one_line(proc, "fhir-deid") == "fhir-deid: the job cannot start: option(s) of dicom-deid only: --uid_root"
    assert not (tmp_path / "o").exists()


# --------------------------------------------------------------------------- gs:// (emulator)


def test_gcs_problems_name_their_cause(gcs, tmp_path, archive, key_file):
    """A missing bucket, a missing or undecodable filter, a path without an object: one line each."""
    bucket, _env = gcs
    bucket.blob("filters/latin1.txt").upload_from_string("/studies/1.2.3\n# é".encode("latin-1"))
    cases = [
        (["--output", "gs://no-such-bucket-deid/out"], "--output gs://no-such-bucket-deid/out: no bucket no-such-bucket-deid"),
        (["--output", str(tmp_path / "out"), "--filter_file", "gs://deid-test/filters/missing.txt"],
         "--filter_file gs://deid-test/filters/missing.txt: cannot be read: no such object"),
        (["--output", str(tmp_path / "out"), "--filter_file", "gs://deid-test/filters/latin1.txt"],
         "--filter_file gs://deid-test/filters/latin1.txt: not UTF-8 text (byte 17)"),
        (["--output", str(tmp_path / "out"), "--config", "gs://deid-test"],
         "--config gs://deid-test: cannot be read: not a gs://BUCKET/OBJECT path"),
        (["--output", str(tmp_path / "out"), "--filter_table_export", "gs://no-such-bucket-deid/export-*.csv"],
         "--filter_table_export gs://no-such-bucket-deid/export-*.csv: cannot be listed: no bucket no-such-bucket-deid"),
    ]
    for args, expected in cases:
        proc = command("dicom-deid", "--input", str(archive), "--uid_key_file", str(key_file), *args)
        assert proc.returncode == 2, proc.stderr[-2000:]
        assert one_line(proc) == f"dicom-deid: the job cannot start: {expected}"
    assert not (tmp_path / "out").exists()
    assert [b.name for b in bucket.list_blobs()] == ["filters/latin1.txt"]  # the probes left nothing


def test_gcs_that_cannot_be_reached(gcs, tmp_path, archive, key_file, monkeypatch):
    monkeypatch.setenv("STORAGE_EMULATOR_HOST", "http://127.0.0.1:9")  # nothing listens there
    proc = command("dicom-deid", "--input", str(archive), "--uid_key_file", str(key_file), "--output", "gs://deid-test/out")
    assert proc.returncode == 2
    assert one_line(proc) == ("dicom-deid: the job cannot start: --output gs://deid-test/out: Cloud Storage cannot be "
                              "reached (connection refused, http://127.0.0.1:9)")


# --------------------------------------------------------------------------- a run that stops late


def test_a_run_that_stops_is_one_line_and_exit_4(tmp_path, capsys, caplog):
    """An error no instance can be charged with (here: the disk is full) ends the run with one line."""
    import apache_beam as beam

    from pipeline.launch import EXIT_STOPPED, run_pipeline

    def write(_):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(tmp_path / "out" / "x.dcm"))

    p = beam.Pipeline()
    p | beam.Create([1]) | "WriteInstances" >> beam.Map(write)
    job = type("Job", (), {"summary_output": str(tmp_path / "s.json"), "failures_output": "", "max_failure_fraction": None})
    with caplog.at_level("INFO"):
        assert run_pipeline(p, job, "instance", "dicom-deid") == EXIT_STOPPED
    err = capsys.readouterr().err
    assert err.strip() == (f"dicom-deid: the job stopped before it finished: No space left on device: {tmp_path / 'out' / 'x.dcm'} "
                           "(step WriteInstances). Outputs written so far are whole files; a rerun with --skip_existing "
                           "finishes the job.")
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


def test_stop_cause_never_shows_another_errors_message():
    from pipeline.launch import stop_cause

    try:
        raise RuntimeError("ValueError: PatientName 'DOE^JANE' is bad [while running 'Deidentify']")
    except RuntimeError as exc:
        assert stop_cause(exc) == "RuntimeError (step Deidentify)"


def test_summary_is_printed_once_and_exit_0(tmp_path, archive, key_file):
    proc = command("dicom-deid", "--input", str(archive), "--output", str(tmp_path / "out"), "--uid_key_file", str(key_file))
    assert proc.returncode == 0, proc.stderr[-3000:]
    summary = json.loads(proc.stdout[: proc.stdout.rindex("}") + 1])
    assert summary["succeeded"] == 2
    assert "Traceback" not in proc.stderr and "apache_beam" not in proc.stderr  # Beam's INFO chatter is quiet


@pytest.mark.parametrize("pattern", ["{d}/**", "{d}/*.ndjson", "{d}/sub/*", "{d}/[ab].ndjson", "{d}/x.ndjson", "{d}/none*"])
def test_local_matching_without_beam_is_beams(tmp_path, pattern):
    """files.match_files answers like Beam's FileSystems.match for the patterns it handles alone."""
    from apache_beam.io.filesystems import FileSystems

    from pipeline.connectors.files import match_files

    for name in ("a.ndjson", "b.ndjson", ".hidden.ndjson", "x.ndjson", "sub/c.ndjson", "sub/deeper/d.json"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("{}")
    pattern = pattern.format(d=tmp_path)
    assert match_files(pattern) == sorted(m.path for m in FileSystems.match([pattern])[0].metadata_list)


def test_fhir_help_speaks_of_fhir():
    text = cli.help_text("fhir-deid")
    assert "NDJSON" in text and "failed resources" in text and "FHIR BASIC profile" in text
    assert "DICOM file" not in text and "--dicomweb_destination" not in text


def test_gcs_setup_files_are_held_to_their_limit(gcs):
    """A gs:// config, key or filter larger than its limit is not downloaded; an empty one is read."""
    from pipeline.jobsetup import SetupProblem, setup_read

    bucket, _ = gcs
    for name, data in (("empty.json", b""), ("small.json", b"{}"), ("big.json", b"x" * 1000)):
        bucket.blob(name).upload_from_string(data)
    assert setup_read("gs://deid-test/small.json", 10) == b"{}"
    assert setup_read("gs://deid-test/empty.json", 10) == b""
    assert setup_read("gs://deid-test/big.json", 1000) == b"x" * 1000
    with pytest.raises(SetupProblem, match="^larger than 100 bytes$"):
        setup_read("gs://deid-test/big.json", 100)
