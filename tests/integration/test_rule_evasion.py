"""The built-in rule for ptrace/bpf use trusts tracers by their executable's path, not their name
(issue 16: a binary named ``strace`` or ``syscope`` evaded it).  Real programs under the real
eBPF watcher with the built-in rules."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import BuildC

PTRACE_ME = r"""
#include <stdio.h>
#include <sys/ptrace.h>
int main(void) { printf("%ld\n", ptrace(PTRACE_TRACEME, 0, 0, 0)); return 0; }
"""


def _watch_rules(*cmd: str) -> str:
    r = subprocess.run([sys.executable, "-m", "syscope", "watch", "--rules", "--", *cmd], capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_a_binary_named_like_a_tracer_is_reported(build_c: BuildC) -> None:
    for name in ("strace", "syscope", "gdb"):
        prog = build_c(name, PTRACE_ME)
        out = _watch_rules(str(prog))
        assert "ptrace used" in out and f"command={name}" in out, out


def test_the_installed_strace_is_trusted() -> None:
    out = _watch_rules("/usr/bin/strace", "-o", "/dev/null", "/bin/true")
    assert "ptrace used" not in out, out
