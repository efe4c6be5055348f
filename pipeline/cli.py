"""The command line before Beam is imported: ``--help``, option values, mistyped flags.

Importing Beam takes seconds (more on a cold disk cache), so both commands read their own
options with a plain argparse parser built from the option classes of
``pipeline.options`` (``COMMANDS``), report a bad value or a missing option in one line
each and print ``--help`` without it. Beam's own options (``--runner``, ``--project``,
...) are left for Beam, which checks them once it is imported (``pipeline.launch``);
``--help_beam`` lists them.
"""

from __future__ import annotations

import argparse
import difflib
import textwrap

from pipeline.options import COMMANDS, HELP_GROUPS, HELP_OVERRIDES, flags_of

HELP_FLAGS = ("-h", "--help")
BEAM_HELP_FLAG = "--help_beam"
SUMMARIES = {
    "dicom-deid": "De-identify DICOM instances (local files, gs://, DICOMweb) with a Cloud Healthcare "
    "DeidentifyConfig, on Apache Beam.",
    "fhir-deid": "De-identify FHIR R4 resources (bulk NDJSON, Bundles; local or gs://) with the FHIR part "
    "of the same DeidentifyConfig, on Apache Beam.",
}
USAGE = {
    "dicom-deid": "dicom-deid --input PATH [--input PATH ...] --output FOLDER [--uid_key_file KEY] [--config JSON] "
    "[options] [Beam options]",
    "fhir-deid": "fhir-deid --input PATH [--input PATH ...] --output FOLDER [--key_file KEY] [--config JSON] "
    "[options] [Beam options]",
}
# The Beam options most jobs use, shown in --help (each is checked to exist by tests/test_cli.py).
RUNNER_OPTIONS = (
    ("--runner NAME", "DirectRunner (default: this machine, Beam's in-process FnApiRunner), DataflowRunner, "
     "or DaskRunner (a dask.distributed cluster: SLURM, PBS, ...)."),
    ("--direct_running_mode MODE", "in_memory (default: one process) or multi_processing (worker processes)."),
    ("--direct_num_workers N", "Worker processes with multi_processing (default: 1; 0: one per core)."),
    ("--dask_client_address HOST:PORT", "The dask scheduler to run on (DaskRunner)."),
    ("--project, --region, --temp_location, --max_num_workers, --sdk_container_image",
     "Dataflow: where and on what the job runs (see docs/dataflow.md)."),
)
EXIT_STATUS = "0 done; 2 the job cannot start (nothing was read or written); 3 more failures than " \
    "--max_failure_fraction; 4 the job stopped before it finished (outputs written so far are whole files)."


class OptionError(Exception):
    """A bad option value, named by its flag (raised instead of argparse's exit)."""


class _Parser(argparse.ArgumentParser):
    """argparse that raises ``OptionError`` and words a bad value by its type function's message."""

    def __init__(self) -> None:
        super().__init__(add_help=False, allow_abbrev=False)

    def add_argument(self, *args, **kwargs):
        kind = kwargs.get("type")
        if callable(kind) and kind not in (str, int, float):
            kwargs["type"] = _worded(kind)
        return super().add_argument(*args, **kwargs)

    def error(self, message: str):
        raise OptionError(message.removeprefix("argument "))


def _worded(kind):
    def convert(text: str):
        try:
            return kind(text)
        except ValueError as exc:
            reason = str(exc)
            if "invalid literal" in reason or "could not convert" in reason:
                reason = "must be a number"
            raise argparse.ArgumentTypeError(reason) from None

    convert.__name__ = getattr(kind, "__name__", "value")
    return convert


def command_parser(tool: str) -> argparse.ArgumentParser:
    """The Beam-free parser of a command's own flags."""
    parser = _Parser()
    for cls in COMMANDS[tool][0]:
        cls._add_argparse_args(parser)
    return parser


def parse(tool: str, argv: list[str]) -> argparse.Namespace:
    """Parse the command's own flags (Beam's are left alone).

    Raises
    ------
    OptionError
        A bad or missing value, or a flag the command refuses, in one message naming the flag.
    """
    refused = COMMANDS[tool][1]
    given = sorted({a.split("=")[0] for a in argv if a.split("=")[0] in refused})
    if given:
        raise OptionError(f"option(s) of dicom-deid only: {', '.join(given)}")
    namespace, _ = command_parser(tool).parse_known_args(argv)
    return namespace


def mistyped(tool: str, argv: list[str]) -> list[str]:
    """One hint per flag that is not the command's but is close to one of its flags ("--ouput")."""
    own = [f for f in flags_of(*COMMANDS[tool][0]) if f not in COMMANDS[tool][1]]
    hints = []
    for arg in argv:
        flag = arg.split("=")[0]
        if flag.startswith("--") and flag not in own and flag not in HELP_FLAGS:
            close = difflib.get_close_matches(flag, own, n=1, cutoff=0.8)
            if close:
                hints.append(f"unknown option {flag} (did you mean {close[0]}?)")
    return hints


def wants_help(argv: list[str]) -> str | None:
    """``help``, ``beam`` or None."""
    if any(a in HELP_FLAGS for a in argv):
        return "help"
    if any(a.split("=")[0] == BEAM_HELP_FLAG for a in argv):
        return "beam"
    return None


def _metavar(action: argparse.Action) -> str:
    kind = getattr(action.type, "__name__", "")
    if action.nargs == "?":
        return "[=true|false]"
    by_type = {"_positive_int": "N", "_byte_count": "BYTES", "_seconds": "SECONDS", "_fraction": "FRACTION",
               "_auth": "none|google|basic|bearer"}
    if kind in by_type:
        return " " + by_type[kind]
    name = action.dest
    if name.endswith(("_table",)):
        return " PROJECT:DATASET.TABLE"
    if name.endswith("_query"):
        return " SQL"
    if name.startswith("dicomweb_"):
        return " URL"
    if name.endswith(("_system",)):
        return " URI"
    if name in ("uid_root",):
        return " ROOT"
    return " PATH"


def _default(action: argparse.Action) -> str:
    """The default in words: "none" when the option is unset by default."""
    value = action.default
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _row(flag: str, action: argparse.Action, tool: str) -> tuple[str, str, str]:
    text = " ".join((HELP_OVERRIDES[tool].get(flag) or action.help or "").split())
    default = _default(action)
    if default == "none" and "default" in text.lower():
        default = "see the description"
    return flag + _metavar(action), text, default


def option_rows(tool: str) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """(group, [(flag with metavar, help text, default)]) in ``HELP_GROUPS`` order; "Other" last."""
    parser = command_parser(tool)
    refused = COMMANDS[tool][1]
    actions = {a.option_strings[0]: a for a in parser._actions if a.option_strings}
    placed: set[str] = set()
    groups = []
    for title, flags in HELP_GROUPS:
        rows = []
        for flag in flags:
            action = actions.get(flag)
            if action is None or flag in refused:
                continue
            placed.add(flag)
            rows.append(_row(flag, action, tool))
        if rows:
            groups.append((title, rows))
    other = [_row(f, a, tool) for f, a in actions.items() if f not in placed and f not in refused]
    if other:
        groups.append(("Other", other))
    return groups


def help_text(tool: str, width: int = 100) -> str:
    """What ``TOOL --help`` prints: the command's options by group, each with its default, then Beam's."""
    out = [f"usage: {USAGE[tool]}", "", SUMMARIES[tool], ""]
    wrap = textwrap.TextWrapper(width=width, initial_indent=" " * 6, subsequent_indent=" " * 6)
    for title, rows in option_rows(tool):
        out.append(f"{title}:")
        for flag, text, default in rows:
            out.append(f"  {flag}")
            said = "default" in text.lower()  # the help text already says it
            out.extend(wrap.wrap(text + ("" if said else f" [default: {default}]")))
        out.append("")
    out.append("Runners (Apache Beam options most jobs use):")
    for flag, text in RUNNER_OPTIONS:
        out.append(f"  {flag}")
        out.extend(wrap.wrap(text))
    out += [
        "",
        f"Every other Apache Beam and Dataflow option is accepted too; `{tool} --help_beam` lists them.",
        "",
        "Exit status: " + EXIT_STATUS,
        "Documentation: docs/ in the repository (docs/options.md lists these options).",
    ]
    return "\n".join(out) + "\n"


def beam_help(tool: str) -> str:
    """Beam's own options (imports Beam): what ``TOOL --help_beam`` prints."""
    parser = argparse.ArgumentParser(prog=tool, add_help=False, allow_abbrev=False, usage=f"{tool} [options] [Beam options]",
                                     description="Apache Beam and Dataflow options (the command's own: --help).")
    for cls in beam_option_classes():
        try:
            cls._add_argparse_args(parser)
        except argparse.ArgumentError:
            continue
    return parser.format_help()


def beam_option_classes():
    """Beam's PipelineOptions classes, ours left out (imports Beam)."""
    from apache_beam.options.pipeline_options import PipelineOptions

    return [cls for cls in _all_option_classes(PipelineOptions) if cls.__module__ != "pipeline.options"]


def _all_option_classes(cls):
    seen = set()
    for sub in cls.__subclasses__():
        for found in (sub, *_all_option_classes(sub)):
            if found not in seen and "_add_argparse_args" in found.__dict__:
                seen.add(found)
                yield found
