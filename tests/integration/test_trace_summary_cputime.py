"""strace -c's "time" column: each call's system CPU time by default, the wall clock with -w
(strace 6.1 count.c), on a real program that sleeps in nanosleep(2) and reads /dev/zero.

The bounds below are not timings of syscope: a 0.3 s sleep lasts at least 0.3 s by the wall
clock, and runs for far less than that on a CPU (it is asleep); a read of 64 MiB of zeros runs in
the kernel for more than nothing."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

SYSCOPE = [sys.executable, "-m", "syscope"]

SLEEPER = r"""
#include <fcntl.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
int main(void) {
    struct timespec ts = {0, 300000000};
    syscall(SYS_nanosleep, &ts, 0);
    size_t n = 64 << 20;
    char *buf = malloc(n);
    int fd = open("/dev/zero", O_RDONLY);
    return !(buf && fd >= 0 && read(fd, buf, n) == (ssize_t) n);
}
"""
ROW = re.compile(r"^\s*[\d.]+\s+([\d.]+)\s+\d+\s+(\d+)\s+\d*\s*(\w+)$", re.M)


@pytest.fixture(scope="module")
def sleeper(build_c: Callable[..., Path]) -> Path:
    return build_c("cputime_sleeper", SLEEPER, "-O1")


def _seconds(tmp_path: Path, *opts: str, prog: Path) -> dict[str, float]:
    out = tmp_path / "table"
    r = subprocess.run([*SYSCOPE, *opts, "-o", str(out), "--", str(prog)], capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0, r.stderr
    return {name: float(secs) for secs, _, name in ROW.findall(out.read_text())}


@pytest.mark.parametrize("opts", [["-c"], ["-c", "-e", "trace=nanosleep,read"], ["-C", "-e", "trace=nanosleep,read"]])
def test_summary_times_are_system_cpu_time(tmp_path: Path, sleeper: Path, opts: list[str]) -> None:
    t = _seconds(tmp_path, *opts, prog=sleeper)
    assert t["nanosleep"] < 0.3  # asleep, not on a CPU
    assert t["read"] > 0  # 64 MiB copied by the kernel


@pytest.mark.parametrize("backend", ["auto", "ptrace"])
def test_w_times_by_the_wall_clock(tmp_path: Path, sleeper: Path, backend: str) -> None:
    # -S max-time: eBPF times every call then (it samples the clock on busy CPUs otherwise)
    t = _seconds(tmp_path, "-cw", "-S", "max-time", "--backend", backend, prog=sleeper)
    assert t["nanosleep"] >= 0.3


def test_overhead_without_a_suffix_is_microseconds(tmp_path: Path, sleeper: Path) -> None:
    # strace's parse_ts: no suffix is microseconds, so -O1 leaves a 0.3 s sleep nearly whole
    t = _seconds(tmp_path, "-cw", "-O1", "--backend", "ptrace", prog=sleeper)
    assert t["nanosleep"] >= 0.29
    t = _seconds(tmp_path, "-cw", "-O1s", "--backend", "ptrace", prog=sleeper)
    assert t["nanosleep"] == 0


MIGRANT = r"""
#define _GNU_SOURCE
#include <sched.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
int main(void) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(0, &set);
    if (sched_setaffinity(0, sizeof(set), &set))
        return 2;
    pid_t self = getpid(), helper = fork();
    if (helper == 0) {  /* while the parent sleeps on CPU 0, allow it only CPU 1 */
        struct timespec nap = {0, 200000000};
        nanosleep(&nap, 0);
        CPU_ZERO(&set);
        CPU_SET(1, &set);
        _exit(sched_setaffinity(self, sizeof(set), &set) ? 3 : 0);
    }
    struct timespec ts = {0, 600000000};
    syscall(SYS_nanosleep, &ts, 0);
    int st;
    waitpid(helper, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 4;
}
"""


def test_w_times_a_call_that_wakes_up_on_another_cpu(tmp_path: Path, build_c: Callable[..., Path]) -> None:
    # the kernel-counted table (what -cw picks): the call's entry and exit run on different CPUs
    prog = build_c("cputime_migrant", MIGRANT, "-O1")
    t = _seconds(tmp_path, "-cw", prog=prog)
    assert t["nanosleep"] >= 0.6
