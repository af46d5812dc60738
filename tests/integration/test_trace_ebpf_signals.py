"""``syscope --backend ebpf`` and a signal another process sends to the traced program while it
runs: the line ``--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_USER, si_pid=N, si_uid=0} ---`` comes
from the kernel's siginfo (trace.bpf.c trace_signal) and is placed where the signal is delivered,
after the call it interrupted and before the handler's rt_sigreturn, as the ptrace backend
(which sees the delivery stop) prints it."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

SYSCOPE = [sys.executable, "-m", "syscope"]

# Says it is ready, then waits in pause() until SIGUSR1's handler ran; a blocked-and-pending
# SIGUSR2 sent meanwhile is delivered when sigprocmask unblocks it, inside that call.
WAITER_C = r"""
#include <signal.h>
#include <unistd.h>
static volatile sig_atomic_t got;
static void on_signal(int sig) { got = sig; }
int main(void) {
    struct sigaction sa = {0};
    sigset_t usr2;
    sa.sa_handler = on_signal;
    sigaction(SIGUSR1, &sa, 0);
    sigaction(SIGUSR2, &sa, 0);
    sigemptyset(&usr2);
    sigaddset(&usr2, SIGUSR2);
    sigprocmask(SIG_BLOCK, &usr2, 0);
    write(1, "ready\n", 6);
    while (!got)
        pause();
    write(1, "again\n", 6);
    while (!got || got == SIGUSR1) {
        sigset_t pending;
        sigpending(&pending);
        if (sigismember(&pending, SIGUSR2))
            break;
    }
    sigprocmask(SIG_UNBLOCK, &usr2, 0);
    return 0;
}
"""


def _wait_in_pause(tracer: subprocess.Popen[bytes]) -> int:
    """The traced program's pid, once it sleeps in pause(2) (x86_64 call 34): /proc/PID/syscall
    names the call from its entry on, so the sleep itself is waited for (state S, three times
    running) before the signal is sent."""
    deadline = time.monotonic() + 60
    children = Path(f"/proc/{tracer.pid}/task/{tracer.pid}/children")
    asleep = 0
    while time.monotonic() < deadline and asleep < 3:
        time.sleep(0.02)
        kids = children.read_text().split()
        if not kids:
            continue
        pid = int(kids[0])
        try:
            in_pause = Path(f"/proc/{pid}/syscall").read_text().split()[0] == "34"
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        asleep = asleep + 1 if in_pause and state == "S" else 0
    assert asleep == 3, "the traced program never slept in pause()"
    return pid


def _trace_with_signals(backend: str, exe: Path, out: Path) -> tuple[list[str], int]:
    tracer = subprocess.Popen([*SYSCOPE, "--backend", backend, "-o", str(out), "--", str(exe)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert tracer.stdout is not None
        assert tracer.stdout.readline() == b"ready\n"
        pid = _wait_in_pause(tracer)
        os.kill(pid, signal.SIGUSR1)
        assert tracer.stdout.readline() == b"again\n"
        os.kill(pid, signal.SIGUSR2)  # blocked: pending until the program unblocks it
        _, err = tracer.communicate(timeout=60)
    finally:
        if tracer.poll() is None:
            tracer.kill()
            tracer.wait()
    assert tracer.returncode == 0, err
    text = out.read_text().replace(str(exe), "PROG")
    lines = [re.sub(rf"0x[0-9a-f]{{6,}}|\b{pid}\b", lambda m: "ADDR" if m[0].startswith("0x") else "PID", ln)
             for ln in text.splitlines()]
    return lines, pid


def test_a_signal_sent_from_outside_is_printed_where_it_is_delivered(build_c, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    exe = build_c("ebpf_signal_waiter", WAITER_C)
    me = os.getpid()
    got = {}
    for backend in ("ptrace", "ebpf"):
        lines, _ = _trace_with_signals(backend, exe, tmp_path / backend)
        got[backend] = lines
    ebpf = got["ebpf"]
    usr1 = f"--- SIGUSR1 {{si_signo=SIGUSR1, si_code=SI_USER, si_pid={me}, si_uid=0}} ---"
    usr2 = f"--- SIGUSR2 {{si_signo=SIGUSR2, si_code=SI_USER, si_pid={me}, si_uid=0}} ---"
    at = ebpf.index(usr1)
    # the call it interrupted, then the handler's return, which pause(2) then fails with
    assert re.fullmatch(r"pause\(\) += \? ERESTARTNOHAND \(To be restarted if no handler\)", ebpf[at - 1])
    assert re.fullmatch(r"rt_sigreturn\(\{mask=\[USR2\]\}\) += -1 EINTR \(Interrupted system call\)", ebpf[at + 1])
    # the pending SIGUSR2 is delivered on the way out of the sigprocmask that unblocks it
    at2 = ebpf.index(usr2)
    assert re.fullmatch(r"rt_sigprocmask\(SIG_UNBLOCK, \[USR2\], NULL, 8\) += 0", ebpf[at2 - 1])
    assert re.fullmatch(r"rt_sigreturn\(\{mask=\[\]\}\) += 0", ebpf[at2 + 1])
    # and every line as the ptrace backend prints it (its sigpending loop may turn a different
    # number of times: those lines apart)
    def calls(lines: list[str]) -> list[str]:
        return [ln for ln in lines if not ln.startswith("rt_sigpending(")]
    assert calls(ebpf) == calls(got["ptrace"])


PAUSER_C = r"""
#include <unistd.h>
int main(void) {
    write(1, "ready\n", 6);
    pause();
    return 0;
}
"""


def test_a_fatal_signal_is_printed_before_the_death_it_causes(build_c, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # SIGTERM's default action: the kernel ends the whole group when it is sent (complete_signal
    # queues SIGKILL), which an untraced program takes instead; strace's tracee does not take that
    # shortcut and shows the signal, then the death
    exe = build_c("ebpf_signal_pauser", PAUSER_C)
    me = os.getpid()
    texts = {}
    for backend in ("ptrace", "ebpf"):
        out = tmp_path / backend
        tracer = subprocess.Popen([*SYSCOPE, "--backend", backend, "-o", str(out), "--", str(exe)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            assert tracer.stdout is not None
            assert tracer.stdout.readline() == b"ready\n"
            os.kill(_wait_in_pause(tracer), signal.SIGTERM)
            _, err = tracer.communicate(timeout=60)
        finally:
            if tracer.poll() is None:
                tracer.kill()
                tracer.wait()
        # strace exits with the signal's status (128 + 15) when its command dies of it
        assert tracer.returncode in (128 + signal.SIGTERM, -signal.SIGTERM), err
        texts[backend] = out.read_text().splitlines()[-3:]
    assert re.fullmatch(r"pause\(\) += \? ERESTARTNOHAND \(To be restarted if no handler\)", texts["ebpf"][0])
    assert texts["ebpf"][1:] == [f"--- SIGTERM {{si_signo=SIGTERM, si_code=SI_USER, si_pid={me}, si_uid=0}} ---",
                                 "+++ killed by SIGTERM +++"]
    assert texts["ebpf"] == texts["ptrace"]
