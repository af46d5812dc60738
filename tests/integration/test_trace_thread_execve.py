"""A non-leader thread's execve while the leader is in a call that never returns: the leader's
call ends at its exit stop (PTRACE_O_TRACEEXIT, strace's print_event_exit), the caller's execve
line ends "<pid changed to ...>", the old leader is "superseded", as strace 6.1 prints them.

The thread waits, through /proc, until the leader is where the test wants it (a zombie after its
exit stop; blocked in nanosleep), so the order of the lines is fixed, not left to the scheduler.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

SYSCOPE = [sys.executable, "-m", "syscope"]

# argv[1] "exit": the leader calls exit(42) (the thread's exit, not the group's) and the thread
# execs once the leader is a zombie; "sleep": the leader sleeps in nanosleep and the thread execs
# once it is blocked there (/proc/PID/task/TID/syscall starts with the call's number)
_SOURCE = r"""#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
static pid_t leader;
static int sleeping;
static void wait_leader(void) {
    char path[64], buf[256];
    snprintf(path, sizeof path, sleeping ? "/proc/%d/task/%d/syscall" : "/proc/%d/task/%d/stat",
             leader, leader);
    for (;;) {
        FILE *f = fopen(path, "r");
        size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
        if (f) fclose(f);
        buf[n] = 0;
        char want[32];
        snprintf(want, sizeof want, "%d ", SYS_nanosleep);
        if (sleeping ? strncmp(buf, want, strlen(want)) == 0 : (strrchr(buf, ')') && strrchr(buf, ')')[2] == 'Z'))
            return;
        usleep(1000);
    }
}
static void *run(void *a) {
    wait_leader();
    char *argv[] = {"/bin/true", 0};
    execv("/bin/true", argv);
    return a;
}
int main(int argc, char **argv) {
    leader = getpid();
    sleeping = argc > 1 && strcmp(argv[1], "sleep") == 0;
    pthread_t t;
    pthread_create(&t, 0, run, 0);
    if (sleeping) {
        struct timespec ts = {123, 0};
        syscall(SYS_nanosleep, &ts, 0);
    } else {
        syscall(SYS_exit, 42);
    }
    return 1;
}
"""


@pytest.fixture(scope="module")
def prog(build_c: Callable[..., Path]) -> Path:
    return build_c("thread_execve_leader", _SOURCE, "-O1", "-pthread")


def _norm(text: str) -> list[str]:
    pids: dict[str, str] = {}
    out = []
    for line in text.splitlines():
        line = re.sub(r"0x[0-9a-f]+", "ADDR", line)
        line = re.sub(r"/\* \d+ vars \*/", "/* N vars */", line)
        line = re.sub(r"^(\d+) +", r"\1 ", line)  # "%-5d ": the padding depends on the pid's digits
        line = re.sub(r"\) +(= \S+)$", r") \1", line)  # -a: so does the column of " = "
        # pids: the prefix, and the ones the pid change and the superseded line name
        out.append(re.sub(r"^\d+|(?<=pid changed to )\d+|(?<=execve in pid )\d+",
                          lambda m: pids.setdefault(m.group(0), f"P{len(pids)}"), line))
    return out


def _both(tmp_path: Path, opts: list[str], cmd: list[str]) -> tuple[list[str], list[str]]:
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    r = subprocess.run([*SYSCOPE, *opts, "-o", str(ours), "--", *cmd], capture_output=True, text=True, timeout=60)
    s = subprocess.run(["strace", *opts, "-o", str(theirs), *cmd], capture_output=True, text=True, timeout=60)
    assert r.returncode == s.returncode == 0, r.stderr
    return _norm(ours.read_text()), _norm(theirs.read_text())


def test_leader_exit_ends_at_its_exit_stop_as_strace(tmp_path: Path, prog: Path) -> None:
    a, b = _both(tmp_path, ["-f", "-e", "trace=execve,exit"], [str(prog), "exit"])
    assert a == b
    # the leader's exit(42) closes on its own line, before the thread's execve
    assert a[1] == "P0 exit(42) = ?", a
    assert a[2].startswith("P1 execve(") and a[2].endswith("<pid changed to P0 ...>")
    assert a[3:5] == ["P0 +++ superseded by execve in pid P1 +++", "P0 <... execve resumed>) = 0"]


def test_leader_sleeping_when_a_thread_execs_as_strace(tmp_path: Path, prog: Path) -> None:
    a, b = _both(tmp_path, ["-f", "-e", "trace=execve,nanosleep"], [str(prog), "sleep"])
    assert a == b
    # nanosleep would print its remainder at exit: strace marks the half it never decodes
    assert "P0 <... nanosleep resumed> <unfinished ...>) = ?" in a


@pytest.mark.parametrize("quiet", [["-qqq"], ["--quiet=thread-execve"]])
def test_quiet_superseded(tmp_path: Path, prog: Path, quiet: list[str]) -> None:
    a, b = _both(tmp_path, ["-f", *quiet, "-e", "trace=execve,exit"], [str(prog), "exit"])
    assert a == b
    assert not any("superseded" in ln for ln in a) and "P0 <... execve resumed>) = 0" in a
