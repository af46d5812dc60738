"""The tracer's command line read without argparse (cli/trace_fastargs.py) gives what the argparse
parser that defines the options gives, for every option in every spelling getopt_long accepts,
and leaves to argparse what it would have to word; cli/trace_optable.py is current."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from syscope.cli.strace_argv import canonical_argv
from syscope.cli.trace_cmd import build_parser
from syscope.cli.trace_fastargs import fast_args
from syscope.cli.trace_optable import ACTIONS, SPELLINGS
from syscope.errors import UsageError

ROOT = Path(__file__).resolve().parents[2]


def _argparse(argv: list[str]) -> dict[str, object]:
    parser = build_parser()
    return vars(parser.parse_args(canonical_argv(parser, argv)))


def _values(index: int) -> list[str]:
    _kind, _dest, _const, choices, limit, _qualifier = ACTIONS[index]
    if choices is not None:
        return list(choices)
    if limit is not None:
        return ["0", "7", str(limit)]
    return ["VAL", "", "-x", "=x", "a=b,c", "trace=%file"]


def _prefix(spelling: str) -> str:
    """The shortest prefix of a long spelling that names its option alone (getopt_long takes it)."""
    for n in range(3, len(spelling)):
        hits = {SPELLINGS[s][0] for s in SPELLINGS if s.startswith(spelling[:n])}
        if hits == {SPELLINGS[spelling][0]}:
            return spelling[:n]
    return spelling


def _lines() -> list[list[str]]:
    out: list[list[str]] = []
    for spelling, (index, takes) in SPELLINGS.items():
        if ACTIONS[index][0] == "help":
            continue
        long = spelling.startswith("--")
        if takes == "none":
            out += [[spelling, "true"], [spelling, spelling, "--", "true"]]
            if not long:
                out.append([f"-{spelling[1]}{spelling[1]}", "ls", "-l"])
            else:
                out.append([_prefix(spelling), "true"])
            continue
        if takes == "optional":
            out.append([spelling, "true"])
        for v in _values(index):
            if long:
                out += [[f"{spelling}={v}", "true"], [f"{_prefix(spelling)}={v}", "true"]]
                if takes == "required":
                    out.append([spelling, v, "true"])
            else:
                out.append([spelling, v, "true"])
                if v:
                    out.append([f"{spelling}{v}", "true"])
    out += [
        [], ["--"], ["true"], ["-f", "--", "sh", "-c", "exit 3"],
        ["-e", "trace=open", "--trace=read", "-e", "status=failed", "--quiet", "-qq", "true"],
        ["-p", "1", "-p", "2,3", "-f", "-tt", "-T", "-s80", "-a", "60", "-o", "/dev/null"],
        ["-yy", "-xx", "-v", "--decode-fds", "-Y", "--pidns-translation", "-X", "raw", "true"],
        ["--timestamps", "--timestamps=unix,ms", "--tips", "--tips=id:3", "true"],
        ["-D", "-DD", "--daemonize=session", "-E", "A=1", "-E", "B", "-u", "nobody", "true"],
        ["-fvT", "-e", "-x", "-e=y", "-ofile", "prog", "-s", "1"],
    ]
    return out


def test_the_table_is_what_the_generator_makes() -> None:
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import gen_trace_optable
    finally:
        sys.path.remove(str(ROOT / "tools"))
    made = gen_trace_optable.generate()
    assert made == (ROOT / "src/syscope/cli/trace_optable.py").read_text(encoding="utf-8"), \
        "rerun tools/gen_trace_optable.py"


def test_every_option_reads_as_argparse_reads_it() -> None:
    lines = _lines()
    assert len(lines) > 400
    for argv in lines:
        fast = fast_args(list(argv))
        assert fast is not None, argv
        assert vars(fast) == _argparse(list(argv)), argv


@pytest.mark.parametrize("argv", [
    ["-h"], ["--help", "true"], ["-fh"], ["--he"],  # the help: argparse prints it
    ["-s", "x", "true"], ["-a-1", "true"], ["--string-limit=2147483648", "true"],  # not a number for it
    ["-X", "pretty", "true"], ["--color=blue", "true"], ["--backend", "bpf", "true"],  # not a choice
    ["--no-such-option", "true"], ["-j", "true"], ["--s=1", "true"],  # unknown, ambiguous
    ["-e"], ["--output"], ["-fo"],  # a missing argument
    ["--follow-forks=yes", "true"],  # an argument to an option that takes none
])
def test_what_argparse_words_is_left_to_it(argv: list[str]) -> None:
    assert fast_args(list(argv)) is None
    with pytest.raises((UsageError, SystemExit)):
        _argparse(list(argv))


def test_a_double_dash_value_is_getopts() -> None:
    # getopt_long takes the word after an option that requires an argument whatever it is: strace
    # -o -- writes the file "--" (argparse would drop a "--" from an option's value)
    args = fast_args(["-o", "--", "-e", "--", "--trace", "--", "true"])
    assert args is not None
    assert args.output == "--" and args.exprs == ["--", "trace=--"] and args.command == ["--", "true"]
