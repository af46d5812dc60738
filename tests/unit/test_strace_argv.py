"""The tracer's command line scanned as strace's getopt_long scans it (cli.strace_argv) and
resolved into the tracer's settings (cli.trace_options), on the real parser of ``syscope``."""

from __future__ import annotations

import argparse

import pytest

from syscope.cli.strace_argv import canonical_argv
from syscope.cli.trace_cmd import build_parser
from syscope.cli.trace_options import blocked_signals, reconcile
from syscope.errors import UsageError


def _args(*argv: str) -> argparse.Namespace:
    parser = build_parser()
    args = parser.parse_args(canonical_argv(parser, list(argv)))
    reconcile(args)
    return args


def test_scan_stops_at_the_command() -> None:
    # strace's optstring starts with '+': the command's own options are the command's
    args = _args("-f", "ls", "-l", "-o", "x")
    assert args.f == 1 and args.output is None
    assert args.command == ["--", "ls", "-l", "-o", "x"]


@pytest.mark.parametrize("argv", [
    ["--trace=chdir", "true"], ["--trace", "chdir", "true"],
    ["-e", "trace=chdir", "true"], ["-etrace=chdir", "true"],
])
def test_long_qualifiers(argv: list[str]) -> None:
    assert _args(*argv).exprs == ["trace=chdir"]


def test_unambiguous_prefixes() -> None:
    # strace's long option is "signals": --signal= is a prefix of it alone
    assert _args("--signal=none", "--statu=failed", "true").exprs == ["signal=none", "status=failed"]
    assert _args("--summary-only", "--successful", "true").successful  # --successful-only


def test_qualifiers_keep_command_line_order() -> None:
    args = _args("--status=failed", "-e", "trace=open", "--signal=none", "--quiet", "true")
    assert args.exprs == ["status=failed", "trace=open", "signal=none", "quiet=attach,personality"]


def test_optional_argument_only_after_equals() -> None:
    # getopt takes an optional argument from "--name=value" only: the next word is the command
    args = _args("--decode-fds", "ls")
    assert args.exprs == ["decode-fds=path"] and args.command == ["--", "ls"]
    assert _args("--decode-fds=all", "ls").exprs == ["decode-fds=all"]


def test_short_values_keep_what_argparse_would_change() -> None:
    assert _args("-e=x", "true").exprs == ["=x"]  # argparse alone would give "x"
    assert _args("-e", "-x", "true").exprs == ["-x"]  # argparse alone would refuse it
    assert _args("-s", "0", "true").strsize == 0 and _args("-s80", "true").strsize == 80


@pytest.mark.parametrize("argv, message", [
    (["-G", "true"], "invalid option -- 'G'"),
    (["--no-such", "true"], "unrecognized option '--no-such'"),
    (["--t=x", "true"], "option '--t' is ambiguous"),
    (["-s"], "option requires an argument -- 's'"),
    (["--output"], "option '--output' requires an argument"),
    (["--follow-forks=1", "true"], "option '--follow-forks' doesn't allow an argument"),
    (["-f", "--follow-forks", "true"], "-f and --follow-forks cannot be provided simultaneously"),
    (["-t", "--timestamps", "true"], "-t and --absolute-timestamps cannot be provided simultaneously"),
    (["-x", "--strings-in-hex", "true"], "-x and --strings-in-hex cannot be provided simultaneously"),
    (["-y", "--decode-fds=path", "true"], "-y and --decode-fds cannot be provided simultaneously"),
    (["--absolute-timestamps=format:bogus", "true"], "invalid --absolute-timestamps argument"),
    (["-I", "5", "true"], "invalid -I/--interruptible argument: '5'"),
    (["-b", "open", "true"], "Syscall 'open' for -b isn't supported"),
    (["--secontext", "true"], "--secontext .* is not supported by syscope yet"),
    (["--tips=bogus", "true"], "invalid --tips argument: 'bogus'"),
    (["--tips=id:-1", "true"], "invalid --tips argument: 'id:-1'"),
    (["--tips=format:random", "true"], "invalid --tips argument: 'format:random'"),
    (["-o", "|cat", "-ff", "true"], "piping the output and -ff/--output-separately are mutually exclusive"),
    (["--daemonize=bogus", "true"], "invalid --daemonize argument: 'bogus'"),
])
def test_bad_command_lines(argv: list[str], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        _args(*argv)


@pytest.mark.parametrize("argv, choice", [
    ([], None), (["--tips"], (-1, "compact")), (["--tips=full", "--tips=id:3"], (3, "full")),
    (["--tips=id:7,format:full"], (7, "full")), (["--tips=5"], (5, "compact")),
    (["--tips=full", "--tips=random"], (-1, "full")), (["--tips=none"], None), (["--tips=,ID:2,,"], (2, "compact")),
])
def test_tips_options_accumulate_as_strace(argv: list[str], choice: tuple[int, str] | None) -> None:
    assert _args(*argv, "true").tips == choice


def test_follow_forks_spellings() -> None:
    assert (_args("-ff", "true").f, _args("-ff", "true").per_process) == (2, True)
    args = _args("--follow-forks", "--output-separately", "true")
    assert (args.f, args.per_process) == (1, True)
    assert (_args("-F", "true").f, _args("-F", "true").per_process) == (1, False)


@pytest.mark.parametrize("argv, level, digits", [
    (["-t"], 1, 0), (["-tt"], 2, 6), (["-ttt"], 3, 6),
    (["--timestamps"], 1, 0), (["--absolute-timestamps=us"], 2, 6),
    (["--absolute-timestamps=format:unix,precision:ms"], 3, 3), (["--timestamps=unix"], 3, 0),
    (["--timestamps=time,ns"], 2, 9), (["--timestamps=none"], 0, 0),
    (["--absolute-timestamps=precision:ms", "--absolute-timestamps=format:unix"], 3, 3),
    (["--timestamps=UNIX", "--timestamps=precision:US"], 3, 6),
])
def test_absolute_timestamps(argv: list[str], level: int, digits: int) -> None:
    args = _args(*argv, "true")
    assert (args.timestamps, args.ts_digits) == (level, digits)


def test_precision_of_relative_and_durations() -> None:
    args = _args("--relative-timestamps=ms", "--syscall-times=ns", "true")
    assert (args.relative, args.relative_digits, args.show_time, args.duration_digits) == (True, 3, True, 9)
    args = _args("-r", "-T", "true")
    assert (args.relative_digits, args.duration_digits) == (6, 6)


def test_strings_in_hex_and_interruptible() -> None:
    assert [_args(f"--strings-in-hex={w}", "true").xflag for w in ("none", "non-ascii", "all")] == [0, 1, 2]
    assert _args("--strings-in-hex", "true").xflag == 2
    assert _args("-I", "never_tstp", "true").interruptible == 4
    assert len(blocked_signals(_args("--interruptible=3", "true").interruptible)) == 5
    assert blocked_signals(_args("-I1", "true").interruptible) == ()


def test_every_strace_long_option_is_known() -> None:
    # strace 6.1's longopts (strace.c); each must scan, none may be "unrecognized"
    names = ("columns output-append-mode detach-on summary-only summary debug daemonize daemonised daemonized env "
             "follow-forks output-separately help instruction-pointer interruptible stack-traces syscall-number "
             "output summary-syscall-overhead attach trace-path relative-timestamps string-limit summary-sort-by "
             "absolute-timestamps timestamps syscall-times user summary-columns no-abbrev version "
             "summary-wall-clock strings-in-hex const-print-style pidns-translation successful-only failed-only "
             "failing-only seccomp-bpf tips trace abbrev verbose raw signals status read write fault inject kvm "
             "quiet silent silence decode-fds decode-pids secontext").split()
    known = {s for a in build_parser()._actions for s in a.option_strings}
    assert not [n for n in names if f"--{n}" not in known]


def test_tip_bubble_layout() -> None:
    """Each tip in its bubble: the text in 44 columns between the bubble's edges, one width for
    every row; without strace's drawing, ``full`` is ``compact``."""
    from syscope.cli import tips

    for n in range(len(tips.TIPS)):
        compact = tips.render(n, "compact").splitlines()
        assert tips.render(n, "full").splitlines() == compact
        assert len(compact) == len(tips.TIPS[n]) + 3
        assert len({len(line) for line in compact[1:]}) == 1
        assert [line[3:47].rstrip() for line in compact[2:-1]] == list(tips.TIPS[n])
    assert tips.render(len(tips.TIPS) + 1, "full") == tips.render(1, "full")
