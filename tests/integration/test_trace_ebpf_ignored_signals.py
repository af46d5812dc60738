"""``syscope --backend ebpf`` and signals whose action is to ignore them (issue 15).

A signal whose action is SIG_DFL with the default "ignore" (SIGCHLD, SIGWINCH, SIGURG) or SIG_IGN
is discarded when it is sent to an untraced task (kernel/signal.c sig_ignored), but queued to a
ptraced one ("Tracers may want to know about even ignored signal"), so strace shows its
signal-delivery stop: ``--- SIGCHLD {...} ---`` after the parent's ``wait4``, ``--- SIGWINCH``
after a ``kill`` to itself.  The eBPF backend records such a signal where it is generated
(signal_generate with TRACE_SIGNAL_IGNORED, trace.bpf.c trace_signal) and places it before the
task's next call.  SIGCHLD to a parent that sets SIG_IGN is not sent at all once the child is
not (or no longer) ptraced (kernel/signal.c do_notify_parent: autoreap, sig = 0), so neither
strace (with or without -f) nor eBPF shows it; SIGWINCH with SIG_IGN is shown by both.

The program makes the moment deterministic: its child exits only once the parent sleeps in
wait4 (read from /proc/PPID/syscall), so the SIGCHLD comes during that call on every run and
under every tracer; the three tracers' lines from wait4 on must be equal.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SYSCOPE = [sys.executable, "-m", "syscope"]

# argv[1] is the disposition of SIGCHLD and SIGWINCH: dfl, ign or handler
PROG_C = r"""
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
static void on_signal(int sig) { (void)sig; }
/* the child exits once its parent sleeps in wait4 (x86_64 call 61, /proc/PID/syscall) */
static void exit_when_parent_waits(void) {
    char path[64], buf[64];
    snprintf(path, sizeof path, "/proc/%d/syscall", (int)getppid());
    for (;;) {
        FILE *f = fopen(path, "r");
        size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
        if (f)
            fclose(f);
        buf[n] = 0;
        if (!strncmp(buf, "61 ", 3))
            _exit(3);
        usleep(1000);
    }
}
int main(int argc, char **argv) {
    struct sigaction sa;
    int status;
    pid_t child;
    (void)argc;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = !strcmp(argv[1], "ign") ? SIG_IGN : !strcmp(argv[1], "handler") ? on_signal : SIG_DFL;
    sigaction(SIGCHLD, &sa, 0);
    sigaction(SIGWINCH, &sa, 0);
    child = fork();
    if (child == 0)
        exit_when_parent_waits();
    wait4(child, &status, 0, 0);
    kill(getpid(), SIGWINCH);
    getppid();
    return 0;
}
"""


def _from_wait4(text: str, follow: bool) -> list[str]:
    """The parent's lines from its wait4 on (with -f: those after it, as strace splits the wait4
    the child's lines interrupt into "<unfinished ...>" and "<... resumed>", where eBPF prints it
    whole), pids and addresses made names, columns collapsed."""
    lines = text.splitlines()
    if follow:
        parent = lines[0].split()[0]
        lines = [ln.split(None, 1)[1] for ln in lines if ln.split()[0] == parent]
    start = max(i for i, ln in enumerate(lines) if ln.startswith(("wait4(", "<... wait4 resumed>")))
    out = []
    for ln in lines[start + follow:]:
        ln = re.sub(r"0x[0-9a-f]{6,}", "ADDR", ln)
        ln = re.sub(r"\b\d{2,}\b", "N", ln)  # pids (si_pid, wait4's, kill's, getppid's)
        out.append(re.sub(r"\)\s+= ", ") = ", ln))
    return out


EXPECTED = {
    "dfl": ["wait4(N, [{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, NULL) = N",
            "--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=N, si_uid=0, si_status=3, si_utime=0, "
            "si_stime=0} ---"],
    "ign": ["wait4(N, ADDR, 0, NULL) = -1 ECHILD (No child processes)"],
    "handler": ["wait4(N, [{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, NULL) = N",
                "--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=N, si_uid=0, si_status=3, si_utime=0, "
                "si_stime=0} ---",
                "rt_sigreturn({mask=[]}) = N"],
}


@pytest.mark.parametrize("disposition", ["dfl", "ign", "handler"])
@pytest.mark.parametrize("follow", [False, True], ids=["", "f"])
def test_ignored_and_handled_sigchld_and_sigwinch_as_strace_prints_them(  # type: ignore[no-untyped-def]
        build_c, tmp_path: Path, disposition: str, follow: bool) -> None:
    exe = build_c("ebpf_ignored_signals", PROG_C, "-O2")
    strace = shutil.which("strace")
    assert strace is not None, "strace 6.1 is part of the test machine (scripts/setup.sh)"
    f = ["-f"] if follow else []
    got = {}
    for name, argv in (("strace", [strace, *f]), ("ptrace", [*SYSCOPE, "--backend", "ptrace", *f]),
                       ("ebpf", [*SYSCOPE, "--backend", "ebpf", *f])):
        cmd = [*argv, "-o", str(tmp_path / name)] if name == "strace" else [*argv, "-o", str(tmp_path / name), "--"]
        r = subprocess.run([*cmd, str(exe), disposition], capture_output=True, timeout=120)
        assert r.returncode == 0, r.stderr.decode(errors="replace")
        got[name] = _from_wait4((tmp_path / name).read_text(), follow)
    winch = "--- SIGWINCH {si_signo=SIGWINCH, si_code=SI_USER, si_pid=N, si_uid=0} ---"
    after_kill = ["getpid() = N", "kill(N, SIGWINCH) = 0", winch]
    if disposition == "handler":
        after_kill.append("rt_sigreturn({mask=[]}) = 0")
    expected = [*EXPECTED[disposition][follow:], *after_kill,
                "getppid() = N", "exit_group(0) = ?", "+++ exited with 0 +++"]
    assert got["strace"] == expected
    assert got["ptrace"] == expected
    assert got["ebpf"] == expected
