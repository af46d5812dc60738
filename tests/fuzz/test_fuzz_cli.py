"""The same generated inputs through the real command line, for a subset of each parser: the
CLI exits 0 or non-zero with exactly one ``syscope: ...`` line on stderr, never a traceback, and
ends within the timeout."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from fuzz_harness import COUNTS, fuzz  # tests/fuzz is on sys.path (pytest rootdir import mode)
from hypothesis import given
from hypothesis import strategies as st
from test_fuzz_filters import _filter, _mutated, _strace_expr
from test_fuzz_profiles import _profile_file
from test_fuzz_recorded import _LINES, _lines
from test_fuzz_rules import _rules_file

TIMEOUT = 60


def _run(parser: str, *args: str, findings: bool = False) -> None:
    COUNTS[f"cli {parser}"] += 1
    try:
        r = subprocess.run([sys.executable, "-m", "syscope", *args], capture_output=True, text=True,
                           errors="replace", timeout=TIMEOUT, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"hang: syscope {' '.join(args)!r} ran longer than {TIMEOUT} s") from None
    assert "Traceback" not in r.stderr, r.stderr[-3000:]
    if findings and r.returncode in (1, 2) and r.stdout.strip() and not r.stderr.strip():
        return  # profile check: warnings (1) or errors (2) found in the profile, listed on stdout
    if r.returncode != 0:
        # the error is the last line (progress and summary lines may come before it)
        lines = r.stderr.splitlines()
        assert lines and lines[-1].startswith("syscope: "), r.stderr[-3000:]


@fuzz(25)
@given(st.one_of(_filter, _mutated(_filter)).filter(lambda t: "\x00" not in t))  # argv cannot hold NUL
def test_cli_trace_filter(text: str) -> None:
    _run("--filter", "--filter", text, "-o", "/dev/null", "--", "/bin/true")


@fuzz(25)
@given(st.lists(st.one_of(_strace_expr(), _mutated(_strace_expr())).filter(lambda t: "\x00" not in t),
                min_size=1, max_size=2))
def test_cli_trace_expressions(exprs: list[str]) -> None:
    args = [a for e in exprs for a in ("-e", e)]
    _run("-e", *args, "-o", "/dev/null", "--", "/bin/true")


@fuzz(25)
@given(_profile_file())
def test_cli_profile_check(tmp_path_factory: Any, case: tuple[str, bytes]) -> None:
    suffix, raw = case
    f = tmp_path_factory.getbasetemp() / f"cli-profile{suffix}"
    f.write_bytes(raw)
    _run("profile check", "profile", "check", str(f), findings=True)


@fuzz(20)
@given(_rules_file())
def test_cli_watch_rules_replay(tmp_path_factory: Any, raw: bytes) -> None:
    # rules applied on a replayed trace: the rules loader without the eBPF program
    base = tmp_path_factory.getbasetemp()
    rules = base / "cli-rules.yaml"
    rules.write_bytes(raw)
    trace = base / "cli-rules-trace.jsonl"
    import json
    trace.write_text("".join(json.dumps(d) + "\n" for d in _LINES))
    _run("watch -r --rules", "watch", "-r", str(trace), "--rules", str(rules))


@fuzz(25)
@given(_lines(_LINES), st.sampled_from(["report", "timeline"]))
def test_cli_report_and_timeline(tmp_path_factory: Any, lines: list[bytes], command: str) -> None:
    base: Path = tmp_path_factory.getbasetemp()
    f = base / "cli-trace.jsonl"
    f.write_bytes(b"\n".join(lines) + b"\n")
    _run(command, command, str(f), "-o", str(base / f"cli-out.{command}"))
