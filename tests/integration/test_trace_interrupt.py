"""syscope interrupted while the traced program is blocked in a call, as strace 6.1 behaves
(strace.c cleanup(), detach(), droptcb()): real tracees, real signals.

- SIGTERM (-I2, the default without -o): the command gets the signal, every task is detached and
  runs on (never left stopped), the call in flight ends its line "<detached ...>";
- -I1 (anywhere): syscope dies of the signal at once; its output ends with the entry half of the
  call in flight, as strace's does (it printed that half when the call started);
- the command inherits the signals syscope was started with ignored, though syscope handles some."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

SYSCOPE = [sys.executable, "-m", "syscope"]

# handles SIGTERM, so that it outlives the detach: the test can look at it afterwards
SLEEPER = r"""
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
static void on_term(int sig) { (void) sig; }
int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_term;
    sigaction(SIGTERM, &sa, 0);
    struct timespec ts = {30, 0};
    for (int i = 0; i < 2; i++)
        syscall(SYS_nanosleep, &ts, 0);  /* glibc's nanosleep() is clock_nanosleep */
    return 0;
}
"""
NANOSLEEP = 35  # x86_64 __NR_nanosleep: /proc/PID/syscall's first field while it blocks there


@pytest.fixture(scope="module")
def sleeper(build_c: Callable[..., Path]) -> Path:
    return build_c("interrupt_sleeper", SLEEPER)


def _tracee_in_nanosleep(tracer: subprocess.Popen[str]) -> int:
    """The tracer's child once it sleeps in nanosleep: /proc/PID/syscall names the call also at
    its syscall stops, where the tracer may not have seen the call yet, so the task must be seen
    asleep ("S", not "t") three times running, the tracer long done with its entry stop."""
    deadline = time.monotonic() + 30
    asleep = 0
    while time.monotonic() < deadline:
        kids = subprocess.run(["pgrep", "-P", str(tracer.pid)], capture_output=True, text=True).stdout.split()
        for kid in kids:
            try:
                if Path(f"/proc/{kid}/syscall").read_text().split()[0] == str(NANOSLEEP):
                    asleep = asleep + 1 if _state(int(kid))[0] == "S" else 0
                    if asleep == 3:
                        return int(kid)
                    break
            except (OSError, IndexError, KeyError):
                pass
        else:
            asleep = 0
        time.sleep(0.05)
    raise AssertionError("the tracee never slept in nanosleep")


def _state(pid: int) -> tuple[str, int]:
    """(state letter, TracerPid) of a live process."""
    status = Path(f"/proc/{pid}/status").read_text()
    fields = dict(line.split(":\t", 1) for line in status.splitlines() if ":\t" in line)
    return fields["State"].split()[0], int(fields["TracerPid"])


def test_sigterm_detaches_and_the_call_in_flight_ends_detached(tmp_path: Path, sleeper: Path) -> None:
    log, errors = tmp_path / "log", tmp_path / "stderr"
    with errors.open("w") as stderr:  # not a pipe: the tracee, which lives on, has it too
        tracer = subprocess.Popen([*SYSCOPE, "-I2", "-o", str(log), "-e", "trace=nanosleep", str(sleeper)],
                                  stderr=stderr, text=True)
    child = _tracee_in_nanosleep(tracer)
    try:
        tracer.send_signal(signal.SIGTERM)
        tracer.wait(timeout=30)
        err = errors.read_text()
        assert tracer.returncode == -signal.SIGTERM, err  # strace dies of the signal that stopped it
        assert log.read_text() == "nanosleep({tv_sec=30, tv_nsec=0},  <detached ...>\n"
        assert "Traceback" not in err
        # the command got the SIGTERM (handled it) and runs on untraced, not stopped
        deadline = time.monotonic() + 10
        while _state(child)[1] != 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        state, tracer_pid = _state(child)
        assert tracer_pid == 0 and state in "RS"
    finally:
        os.kill(child, signal.SIGKILL)


# the same call made once before it blocks: the tracer then knows the call, and the C extension
# keeps its entry stop without returning to Python (stops.wait_call); interrupted, the call
# in flight is taken back from it
TWICE = SLEEPER.replace("for (int i = 0; i < 2; i++)", """struct timespec nap = {0, 1};
    syscall(SYS_nanosleep, &nap, 0);
    for (int i = 0; i < 2; i++)""")


@pytest.mark.parametrize(("impl", "anywhere"), [("c", False), ("c", True), ("python", False)])
def test_a_call_met_before_ends_detached_too(tmp_path: Path, build_c: Callable[..., Path], impl: str,
                                             anywhere: bool) -> None:
    exe = build_c("interrupt_twice", TWICE)
    log, errors = tmp_path / "log", tmp_path / "stderr"
    env = dict(os.environ, SYSCOPE_PURE_PYTHON="1" if impl == "python" else "0")
    with errors.open("w") as stderr:  # not a pipe: the tracee, which lives on, has it too
        tracer = subprocess.Popen([*SYSCOPE, "-I1" if anywhere else "-I2", "-o", str(log), "-e",
                                   "trace=nanosleep", str(exe)], stderr=stderr, text=True, env=env)
    child = _tracee_in_nanosleep(tracer)
    try:
        tracer.send_signal(signal.SIGTERM)
        tracer.wait(timeout=30)
        err = errors.read_text()
        assert tracer.returncode == -signal.SIGTERM and "Traceback" not in err, err
        first = "nanosleep({tv_sec=0, tv_nsec=1}, NULL)".ljust(39) + " = 0\n"  # strace's -a40
        tail = "" if anywhere else " <detached ...>\n"
        assert log.read_text() == first + "nanosleep({tv_sec=30, tv_nsec=0}, " + tail
    finally:
        os.kill(child, signal.SIGKILL)


def test_status_detached_shows_only_the_detached_call(tmp_path: Path, sleeper: Path) -> None:
    log = tmp_path / "log"
    # no pipe: the tracee, which lives on (it inherits a SIGINT ignored as syscope was started), has it too
    tracer = subprocess.Popen([*SYSCOPE, "-I2", "-o", str(log), "-e", "status=detached", str(sleeper)],
                              stderr=subprocess.DEVNULL, text=True)
    child = _tracee_in_nanosleep(tracer)
    try:
        tracer.send_signal(signal.SIGINT)
        tracer.wait(timeout=30)
        assert log.read_text() == "nanosleep({tv_sec=30, tv_nsec=0},  <detached ...>\n"
    finally:
        os.kill(child, signal.SIGKILL)


def test_interruptible_anywhere_dies_at_once_with_the_entry_half_out(tmp_path: Path, sleeper: Path) -> None:
    log = tmp_path / "log"
    tracer = subprocess.Popen([*SYSCOPE, "-I1", "-o", str(log), "-e", "trace=nanosleep", str(sleeper)],
                              stderr=subprocess.PIPE, text=True)
    child = _tracee_in_nanosleep(tracer)
    try:
        tracer.send_signal(signal.SIGTERM)
        _, err = tracer.communicate(timeout=30)
        assert tracer.returncode == -signal.SIGTERM and "Traceback" not in err, err
        assert log.read_text() == "nanosleep({tv_sec=30, tv_nsec=0}, "
        # no tracer left: the kernel let the tracee go (PTRACE_O_EXITKILL ended it): never stopped
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                state, tracer_pid = _state(child)
            except OSError:
                break  # gone
            if tracer_pid == 0 and state != "T":
                break
            time.sleep(0.05)
        else:
            raise AssertionError(f"tracee {child} left traced or stopped")
    finally:
        try:
            os.kill(child, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _sigign_of_traced_cat(ignore: tuple[int, ...]) -> int:
    """SigIgn of a command syscope runs, syscope started with ``ignore`` ignored."""
    def preexec() -> None:  # whatever pytest was started with (a background job ignores SIGINT)
        for s in (signal.SIGHUP, signal.SIGINT, signal.SIGTERM, signal.SIGUSR1):
            signal.signal(s, signal.SIG_IGN if s in ignore else signal.SIG_DFL)

    r = subprocess.run([*SYSCOPE, "-e", "trace=none", "/bin/cat", "/proc/self/status"], capture_output=True,
                       text=True, timeout=60, preexec_fn=preexec)
    assert r.returncode == 0, r.stderr
    line = next(ln for ln in r.stdout.splitlines() if ln.startswith("SigIgn:"))
    return int(line.split()[1], 16)


@pytest.mark.parametrize("signo", [signal.SIGHUP, signal.SIGINT, signal.SIGTERM, signal.SIGUSR1])
def test_the_command_inherits_what_syscope_was_given_ignored(signo: int) -> None:
    # syscope sets handlers of its own for SIGINT/SIGTERM/SIGHUP, which execve would reset to
    # their defaults: an ignored disposition is passed on unchanged, as strace does (nohup)
    mask = 1 << (signo - 1)
    assert _sigign_of_traced_cat((signo,)) & mask
    assert not _sigign_of_traced_cat(()) & mask


def test_a_command_syscope_cannot_trace_is_not_left_stopped() -> None:
    # strace -f traces syscope's child first: PTRACE_SEIZE fails (EPERM); the child, stopped
    # before its execve, goes, and syscope says why in one line (strace would wait forever)
    r = subprocess.run(["strace", "-f", "-qq", "-o", "/dev/null", *SYSCOPE, "/bin/true"], capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 1
    assert re.fullmatch(r"syscope: ptrace\(PTRACE_SEIZE, \d+\): Operation not permitted\n", r.stderr), r.stderr


# a call made as fast as the tracer lets it: SIGTERM lands anywhere in the tracer's work on a stop
NAPPER = r"""
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
int main(void) {
    struct timespec nap = {0, 1};
    for (;;)
        syscall(SYS_nanosleep, &nap, 0);
}
"""


@pytest.mark.parametrize("delay", [0.3, 0.45, 0.6, 0.75])
def test_interrupted_anywhere_mid_work_leaves_whole_lines(tmp_path: Path, build_c: Callable[..., Path],
                                                          delay: float) -> None:
    """-I1 while the tracer decodes and writes: strace's output, which dies between two of its
    writes, holds whole lines and at most one entry half; so must syscope's (its handler only
    asks the loop to end, never writes from between two bytecodes of a line being made)."""
    exe = build_c("interrupt_napper", NAPPER)
    log = tmp_path / "log"
    tracer = subprocess.Popen([*SYSCOPE, "-I1", "-o", str(log), "-e", "trace=nanosleep", str(exe)],
                              stderr=subprocess.PIPE, text=True)
    while not log.exists() or log.stat().st_size < 200:  # tracing, and past start-up
        assert tracer.poll() is None, tracer.communicate()
        time.sleep(0.01)
    time.sleep(delay)
    tracer.send_signal(signal.SIGTERM)
    _, err = tracer.communicate(timeout=30)
    assert tracer.returncode == -signal.SIGTERM and "Traceback" not in err, err
    *lines, last = log.read_text().split("\n")
    assert lines and set(lines) == {"nanosleep({tv_sec=0, tv_nsec=1}, NULL)".ljust(39) + " = 0"}
    assert last in ("", "nanosleep({tv_sec=0, tv_nsec=1}, ")


@pytest.mark.parametrize("tool", ["strace", "syscope"])
def test_output_file_and_command_sit_fatal_signals_out(tmp_path: Path, build_c: Callable[..., Path],
                                                       tool: str) -> None:
    """strace -o FILE PROG (no -I): -I3 is the default (strace(1)): SIGTERM, SIGINT and SIGHUP sent
    to the tracer change nothing, the trace runs to the command's end; and -q is implied: no
    "Process N detached" or personality note on stderr.  strace itself is run as the reference."""
    exe = build_c("interrupt_short", SLEEPER.replace("{30, 0}", "{1, 0}"))
    log = tmp_path / "log"
    argv = ["strace"] if tool == "strace" else SYSCOPE
    tracer = subprocess.Popen([*argv, "-o", str(log), "-e", "trace=nanosleep", str(exe)],
                              stderr=subprocess.PIPE, text=True)
    _tracee_in_nanosleep(tracer)
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        tracer.send_signal(sig)
    _, err = tracer.communicate(timeout=30)
    assert (tracer.returncode, err) == (0, "")
    line = "nanosleep({tv_sec=1, tv_nsec=0}, NULL)".ljust(39) + " = 0\n"  # strace's -a40
    assert log.read_text() == line * 2 + "+++ exited with 0 +++\n"


@pytest.mark.parametrize("impl", ["c", "python"])
def test_sigint_detaches_a_p_process_asleep_in_an_untraced_call(sleeper: Path, impl: str) -> None:
    # -p PID -e trace=getppid on a process asleep in nanosleep: request_stop's PTRACE_INTERRUPT
    # comes back as the untraced call's syscall-exit-stop (PTRACE_SYSCALL is in effect,
    # ptrace(2)), which the stop loop used to handle and resume itself: the tracer slept on
    victim = subprocess.Popen([str(sleeper)])
    env = dict(os.environ, SYSCOPE_PURE_PYTHON="1" if impl == "python" else "0")
    tracer = subprocess.Popen([*SYSCOPE, "-e", "trace=getppid", "-p", str(victim.pid)], stderr=subprocess.PIPE,
                              text=True, env=env)
    try:
        assert tracer.stderr is not None
        assert tracer.stderr.readline() == f"syscope: Process {victim.pid} attached\n"
        deadline, asleep = time.monotonic() + 30, 0
        while asleep < 3 and time.monotonic() < deadline:  # the attach stop handled, asleep again
            state, tracer_pid = _state(victim.pid)
            asleep = asleep + 1 if (state, tracer_pid) == ("S", tracer.pid) else 0
            time.sleep(0.05)
        assert asleep == 3
        tracer.send_signal(signal.SIGINT)
        # well before the sleeper's 30 s nanosleep ends (whose end woke the old tracer)
        _, err = tracer.communicate(timeout=20)
        assert f"syscope: Process {victim.pid} detached" in err, err
        assert _state(victim.pid) == ("S", 0)  # running on, untraced
    finally:
        tracer.kill()
        victim.kill()
        victim.wait()
