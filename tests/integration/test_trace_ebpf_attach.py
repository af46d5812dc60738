"""``--backend ebpf -p PID``: the call a process is in when the hooks attach.  Its sys_enter came
before them, so only its sys_exit is seen; it is printed whole, from the registers at its exit
(trace.bpf.c attached_call), as strace 6.1 prints it when it saw the entry.  strace's ptrace
attach interrupts such a call instead: a read on a pipe restarts and is printed alike, a sleep
resumes as ``restart_syscall(<... resuming interrupted read ...>)``."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

SYSCOPE = [sys.executable, "-m", "syscope"]


def _status(pid: int) -> dict[str, str]:
    with open(f"/proc/{pid}/status") as f:
        return dict(ln.rstrip("\n").split(":\t", 1) for ln in f if ":\t" in ln)


def _sleeps_in(pid: int, nr: int) -> bool:
    """Task pid sleeps in call nr (/proc/PID/syscall: its number first, proc(5))."""
    with open(f"/proc/{pid}/syscall") as f:
        return f.read().split(" ", 1)[0] == str(nr) and _status(pid)["State"].startswith("S")


def _until_sleeps_in(pid: int, nr: int, switches: str | None = None) -> None:
    """Until task pid sleeps in call nr, and (switches) after a context switch since then."""
    while not (_sleeps_in(pid, nr) and _status(pid)["voluntary_ctxt_switches"] != switches):
        subprocess.run(["sleep", "0.01"], check=True)


def _attach(tracer: list[str], pid: int, out: Path) -> subprocess.Popen[str]:
    """A tracer on pid writing to out, once it says it attached."""
    tr = subprocess.Popen([*tracer, "-o", str(out), "-p", str(pid)], stderr=subprocess.PIPE, text=True)
    assert tr.stderr is not None
    assert tr.stderr.readline().endswith(f"Process {pid} attached\n")  # blocks until it is
    return tr


def test_a_read_in_progress_at_attach_is_printed_as_strace_prints_it(tmp_path: Path) -> None:
    firsts = []
    for name, tracer in (("ebpf", [*SYSCOPE, "--backend", "ebpf"]), ("strace", ["strace"])):
        cat = subprocess.Popen(["cat"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
        assert cat.stdin is not None
        try:
            _until_sleeps_in(cat.pid, 0)  # in read(2) (x86_64)
            switches = _status(cat.pid)["voluntary_ctxt_switches"]
            tr = _attach(tracer, cat.pid, tmp_path / name)
            if name == "strace":
                # ptrace's attach stops it (a switch) and its read restarts: only then has
                # strace seen the call's entry (written before, the data ends it unseen)
                _until_sleeps_in(cat.pid, 0, switches)
            cat.stdin.write(b"hi\n")
            cat.stdin.close()  # cat ends, and with it the trace
            assert cat.wait(timeout=60) == 0
            assert tr.wait(timeout=60) == 0
        finally:
            cat.kill()
            cat.wait()
        firsts.append((tmp_path / name).read_text().splitlines()[:2])
    ours, theirs = firsts
    assert ours == theirs
    assert ours[0].startswith('read(0, "hi\\n", 131072)') and ours[0].endswith("= 3")


def test_a_sleep_in_progress_at_attach_is_printed_as_the_call_it_is(tmp_path: Path) -> None:
    # ours attached in the call, strace there from its start: the same call line
    lines = []
    for name, tracer in (("ebpf", [*SYSCOPE, "--backend", "ebpf"]), ("strace", ["strace"])):
        out = tmp_path / name
        if name == "strace":
            sleeper = subprocess.Popen(["strace", "-o", str(out), "sleep", "1000"])
            victim = _child_sleeping_in(sleeper.pid, 230)
        else:
            sleeper = subprocess.Popen(["sleep", "1000"])
            _until_sleeps_in(sleeper.pid, 230)  # in clock_nanosleep(2) (x86_64)
            victim = sleeper.pid
        try:
            tr = _attach(tracer, victim, out) if name == "ebpf" else None
            subprocess.run(["kill", "-ALRM", str(victim)], check=True)  # kills it in the call
            sleeper.wait(timeout=60)
            assert tr is None or tr.wait(timeout=60) == 0
        finally:
            sleeper.kill()
            sleeper.wait()
        # the time left (the fourth argument) depends on when the signal came
        lines.append([re.sub(r"\{tv_sec=\d+, tv_nsec=\d+\}\)", "{LEFT})", ln) for ln in out.read_text().splitlines()
                      if not ln.startswith(("execve(", "---"))])
    ours, theirs = lines
    assert ours[0] == theirs[-2] == ("clock_nanosleep(CLOCK_REALTIME, 0, {tv_sec=1000, tv_nsec=0}, {LEFT}) "
                                     "= ? ERESTART_RESTARTBLOCK (Interrupted by signal)")
    assert ours[1:] == theirs[-1:] == ["+++ killed by SIGALRM +++"]


def _child_sleeping_in(pid: int, nr: int) -> int:
    """The child of pid that sleeps in call nr, once one does (strace forks short-lived probes
    of the kernel's ptrace before the command: they are not it)."""
    while True:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            for child in map(int, f.read().split()):
                try:
                    if _sleeps_in(child, nr):
                        return child
                except FileNotFoundError:  # a probe that ended
                    pass
        subprocess.run(["sleep", "0.01"], check=True)
