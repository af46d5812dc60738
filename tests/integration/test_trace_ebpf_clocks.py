"""``--backend ebpf`` with -ttt and -T: each line's time and duration come from the kernel's clock
at the call's entry and exit (trace.bpf.c), converted to the wall clock: a 200 ms sleep lasts at
least 200 ms, the call after it starts after it ended, and every time falls inside the run."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

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
