"""What both backends must do as strace 6.1 does, checked on each.  -ttt/-T: each line's time and
duration are the call's (the eBPF ones from the kernel's clock at entry and exit, trace.bpf.c,
converted to the wall clock): a 200 ms sleep lasts at least 200 ms, the call after it starts
after it ended, every time falls inside the run.  -p: the named thread alone, its process's
other threads with -f (strace's attach_tcb), announced "attached with N threads"."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.attached import GETPPID_PER_LINE_THREADED, attach_and_poke

SLEEP_THEN_CALL = r"""
#include <time.h>
#include <unistd.h>
int main(void) {
    struct timespec ts = {0, 200000000};
    nanosleep(&ts, 0);
    getppid();
    return 0;
}
"""
LINE = re.compile(r"^(\d+\.\d{6}) (\w+)\(.*\) += \S+(?: <(\d+\.\d{6})>)?$")


@pytest.mark.parametrize("backend", ["ebpf", "ptrace"])
def test_times_and_durations_are_the_calls(tmp_path: Path, build_c: Callable[..., Path], backend: str) -> None:
    exe = build_c("sleep_then_call", SLEEP_THEN_CALL, "-O1")
    out = tmp_path / "t"
    before = time.time()
    r = subprocess.run([sys.executable, "-m", "syscope", "--backend", backend, "-ttt", "-T", "-e",
                        "trace=clock_nanosleep,getppid", "-o", str(out), "--", str(exe)],
                       capture_output=True, text=True, timeout=60)
    after = time.time()
    assert r.returncode == 0, r.stderr
    calls = {m[2]: (float(m[1]), float(m[3])) for m in map(LINE.match, out.read_text().splitlines()) if m}
    (slept_at, slept), (called_at, took) = calls["clock_nanosleep"], calls["getppid"]
    assert slept >= 0.2  # the kernel's clock_nanosleep(2) does not return early
    assert called_at >= slept_at + slept - 1e-6  # entered after the sleep returned (6 digits)
    assert before <= slept_at and called_at + took <= after


@pytest.mark.parametrize("backend", ["ebpf", "ptrace"])
@pytest.mark.parametrize("follow", [[], ["-f"]], ids=["one-thread", "all-threads"])
def test_p_traces_other_threads_with_f_only(backend: str, follow: list[str]) -> None:
    # strace's attach_tcb: -p PID is PID's thread alone, its /proc/PID/task too with -f
    pid, first, rest = attach_and_poke(GETPPID_PER_LINE_THREADED,
                                       ["--backend", backend, *follow, "-e", "trace=getppid"], 3)
    # (the main thread waits for the worker to end: two threads)
    assert first == f"syscope: Process {pid} attached{' with 2 threads' if follow else ''}\n"
    calls = [ln for ln in rest.splitlines() if "getppid()" in ln]
    assert len(calls) == (3 if follow else 0), rest
    assert f"syscope: Process {pid} detached" in rest.splitlines()
