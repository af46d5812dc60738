"""-n's syscall number on the lines that are not calls (``--- SIG ---``, ``+++ exited +++``):
strace 6.1 prints the thread's last syscall-entry stop (print_syscall_number: tcp->true_scno),
which is its last call made, a call ``-e trace=`` leaves out too, unless --seccomp-bpf keeps the
untraced calls from stopping.  Compared with the real strace on a program whose last calls are
untraced: a signal after kill(2), a thread that ends in exit(2), a child and a process that end
in exit_group(2)."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

SYSCOPE = [sys.executable, "-m", "syscope"]


LAST_CALLS = r"""
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
static void on_usr1(int s) { (void)s; }
static void *thread(void *a) { (void)a; getppid(); return 0; }   /* ends in exit(2) */
int main(void) {
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, 0);   /* no SIGCHLD line: where it comes is scheduling */
    signal(SIGUSR1, on_usr1);
    open("/nonexistent/a", O_RDONLY);
    kill(getpid(), SIGUSR1);            /* its line comes after kill(2) */
    pthread_t t;
    pthread_create(&t, 0, thread, 0);
    pthread_join(t, 0);
    pid_t p = fork();
    if (p == 0) {
        open("/nonexistent/b", O_RDONLY);
        getppid();
        _exit(4);                       /* exit_group(2) */
    }
    waitpid(p, 0, 0);
    open("/nonexistent/c", O_RDONLY);
    getuid();
    return 0;
}
"""


@pytest.fixture(scope="module")
def last_calls(build_c: Callable[..., Path]) -> Path:
    return build_c("last_calls", LAST_CALLS, "-O1", "-pthread")


def _other_lines(text: str) -> list[str]:
    """The signal and exit lines, the sender's pid named by its place."""
    return [re.sub(r"si_pid=\d+", "si_pid=PID", x) for x in text.splitlines() if "---" in x or "+++" in x]


def _runs(tmp_path: Path, opts: list[str], argv: list[str], strace_opts: list[str]) -> list[list[list[str]]]:
    """The -ff files' signal and exit lines (sorted, one list per process) of syscope and of strace."""
    out = []
    for tool, d in (([*SYSCOPE, *opts, "-ff", "-o", str(tmp_path / "y" / "t"), "--"], tmp_path / "y"),
                    (["strace", *strace_opts, "-ff", "-o", str(tmp_path / "s" / "t")], tmp_path / "s")):
        d.mkdir()
        r = subprocess.run([*tool, *argv], capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stderr
        out.append(sorted(_other_lines(f.read_text()) for f in d.iterdir()))
    return out


@pytest.mark.parametrize("backend", ["ptrace", "ebpf"])
def test_exit_and_signal_lines_number_the_last_call_made(tmp_path: Path, last_calls: Path, backend: str) -> None:
    ours, theirs = _runs(tmp_path, ["--backend", backend, "-n", "-e", "trace=openat"], [str(last_calls)],
                         ["-n", "-e", "trace=openat"])
    assert ours == theirs
    assert ours == [["[  60] +++ exited with 0 +++"],  # the thread: exit(2)
                    ["[  62] --- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_USER, si_pid=PID, si_uid=0} ---",
                     "[ 231] +++ exited with 0 +++"],
                    ["[ 231] +++ exited with 4 +++"]]


def test_seccomp_bpf_numbers_the_last_traced_call(tmp_path: Path, last_calls: Path) -> None:
    # --seccomp-bpf: untraced calls do not stop, so a process's last stop is its last traced
    # call; but a new task stops at every call until its first seccomp stop (strace.c sets
    # TCB_SECCOMP_FILTER there), so the thread that makes no traced call has its exit(2)
    opts = ["--seccomp-bpf", "-n", "-e", "trace=openat"]
    ours, theirs = _runs(tmp_path, opts, [str(last_calls)], opts)
    assert ours == theirs
    assert ours == [["[  60] +++ exited with 0 +++"], ["[ 257] +++ exited with 4 +++"],
                    ["[ 257] --- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_USER, si_pid=PID, si_uid=0} ---",
                     "[ 257] +++ exited with 0 +++"]]


def test_seccomp_bpf_stops_an_untraced_execve(tmp_path: Path) -> None:
    # strace's filter stops execve and execveat, traced or not (TRACE_SECCOMP_DEFAULT,
    # filter_seccomp.c traced_by_seccomp): a child whose first stop is its execve numbers its
    # exit with it, the shell that makes getppid with that
    opts = ["--seccomp-bpf", "-n", "-e", "trace=getppid"]
    ours, theirs = _runs(tmp_path, opts, ["/bin/sh", "-c", "/bin/true; /bin/true"], opts)
    assert ours == theirs
    assert ["[  59] +++ exited with 0 +++"] in ours


def test_without_f_only_the_process_started(tmp_path: Path, last_calls: Path) -> None:
    out = tmp_path / "t"
    r = subprocess.run([*SYSCOPE, "-n", "-e", "trace=openat", "-o", str(out), "--", str(last_calls)],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert _other_lines(out.read_text())[-1] == "[ 231] +++ exited with 0 +++"


THREAD_EXECVE = r"""
#include <pthread.h>
#include <unistd.h>
static void *thread(void *a) {
    (void)a;
    getppid();
    char *argv[] = {"/bin/true", 0};
    execv("/bin/true", argv);           /* the leader, in pause(2), is superseded */
    return 0;
}
int main(void) {
    pthread_t t;
    pthread_create(&t, 0, thread, 0);
    pause();
    return 0;
}
"""


@pytest.mark.parametrize("trace", [[], ["-e", "trace=getppid"], ["--seccomp-bpf", "-e", "trace=getppid"]])
def test_superseded_line_numbers_the_execve_callers_last_call(tmp_path: Path, build_c: Callable[..., Path],
                                                              trace: list[str]) -> None:
    # strace.c maybe_switch_tcbs prints "+++ superseded" with the execve caller's tcb (under the
    # leader's pid): its last syscall-entry stop is the execve, traced or not; the leader's last
    # call (pause) and the last number printed (getppid's) are not it
    prog = build_c("thread_execve", THREAD_EXECVE, "-O1", "-pthread")
    lines = []
    for tool in ([*SYSCOPE, "--backend", "ptrace"], ["strace"]):
        out = tmp_path / "out"
        r = subprocess.run([*tool, "-f", "-n", *trace, "-o", str(out), "--", str(prog)],
                           capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stderr
        # -f -o FILE: each line starts with its pid
        lines.append([re.sub(r"in pid \d+", "in pid PID", re.sub(r"^\d+ +", "", x))
                      for x in out.read_text().splitlines() if "superseded" in x])
    assert lines[0] == lines[1] == ["[  59] +++ superseded by execve in pid PID +++"]
