"""The -c table on both backends (kernel counters through eBPF, and ptrace) against real strace
6.1 runs of a program with signal handlers and a child: calls and errors, rt_sigreturn, the tree
with -f and the one process without, row order for every -S key that does not depend on time,
the -U columns and -O overhead."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.attached import GETPPID_PER_LINE, attach_and_poke
from tests.cprogs import INT80

SIGKID = r"""
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
static volatile int hits;
static void on_usr1(int s) { (void)s; hits++; }
int main(void) {
    signal(SIGUSR1, on_usr1);
    for (int i = 0; i < 5; i++) kill(getpid(), SIGUSR1);   /* five handlers: five rt_sigreturn */
    pid_t p = fork();
    if (p == 0) {
        for (int i = 0; i < 200; i++) getppid();
        for (int i = 0; i < 30; i++) open("/nonexistent/x", O_RDONLY);
        _exit(0);
    }
    waitpid(p, NULL, 0);
    for (int i = 0; i < 40; i++) getuid();
    for (int i = 0; i < 40; i++) getgid();
    for (int i = 0; i < 7; i++) open("/nonexistent/y", O_RDONLY);
    return hits == 5 ? 0 : 1;
}
"""
ROW = re.compile(r"^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(\d*)\s*(\w+)$", re.M)
BACKENDS = ["ebpf", "ptrace"]


@pytest.fixture(scope="module")
def sigkid(build_c: Callable[..., Path]) -> Path:
    return build_c("sigkid", SIGKID, "-O1")


def _syscope(tmp_path: Path, *args: str) -> str:
    out = tmp_path / "syscope.txt"
    r = subprocess.run([sys.executable, "-m", "syscope", "-o", str(out), *args], capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    return out.read_text()


def _strace(tmp_path: Path, *args: str) -> str:
    out = tmp_path / "strace.txt"
    subprocess.run(["strace", "-o", str(out), *args], check=True, timeout=120)
    return out.read_text()


def _counts(text: str) -> dict[str, tuple[int, int]]:
    return {m[3]: (int(m[1]), int(m[2] or 0)) for m in ROW.finditer(text) if m[3] != "total"}


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("follow", [[], ["-f"]], ids=["one-process", "tree"])
def test_calls_and_errors_equal_strace(tmp_path: Path, sigkid: Path, backend: str, follow: list[str]) -> None:
    ours = _counts(_syscope(tmp_path, "-c", *follow, "--backend", backend, "--", str(sigkid)))
    theirs = _counts(_strace(tmp_path, "-c", *follow, str(sigkid)))
    assert ours == theirs
    assert ours["rt_sigreturn"] == (5, 0)
    # the child's calls only with -f, as strace traces only the process it started without it
    assert ours.get("getppid") == ((200, 0) if follow else None)
    assert ours["openat"][1] == (37 if follow else 7)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("opts", [["-C"], ["-C", "-f", "-Z"], ["-c", "-f", "-Z"], ["-c", "-z"], ["-c", "-f", "-w"]])
def test_table_with_lines_status_and_wall_clock_counts_as_strace(tmp_path: Path, sigkid: Path, backend: str,
                                                                  opts: list[str]) -> None:
    # -C's table beside the lines, -z/-Z (strace 6.1 counts every call: they choose lines only), -w
    ours = _counts(_syscope(tmp_path, *opts, "--backend", backend, "--", str(sigkid)))
    theirs = _counts(_strace(tmp_path, *opts, str(sigkid)))
    assert ours == theirs
    assert ours["rt_sigreturn"] == (5, 0) and ours["getuid"] == (40, 0)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("sort", ["nothing", "calls", "errors", "name"])
def test_row_order_equals_strace(tmp_path: Path, sigkid: Path, backend: str, sort: str) -> None:
    # sorts that do not look at time: ties keep syscall-number order, -S nothing keeps it all
    ours = _syscope(tmp_path, "-c", "-f", "-S", sort, "--backend", backend, "--", str(sigkid))
    theirs = _strace(tmp_path, "-c", "-f", "-S", sort, str(sigkid))
    assert [m[3] for m in ROW.finditer(ours)] == [m[3] for m in ROW.finditer(theirs)]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("columns", ["calls,errors,name", "name,calls", "errors,calls", "count,syscall,error"])
def test_columns_without_time_equal_strace_text(tmp_path: Path, sigkid: Path, backend: str, columns: str) -> None:
    ours = _syscope(tmp_path, "-c", "-f", "-U", columns, "-S", "calls", "--backend", backend, "--", str(sigkid))
    theirs = _strace(tmp_path, "-c", "-f", "-U", columns, "-S", "calls", str(sigkid))
    assert ours == theirs


@pytest.mark.parametrize("backend", BACKENDS)
def test_min_max_avg_columns_and_sorts(tmp_path: Path, sigkid: Path, backend: str) -> None:
    cols = "min-time,max-time,avg-time,total-time,calls,name"
    theirs = _strace(tmp_path, "-c", "-f", "-U", cols, str(sigkid))
    for sort in ("max-time", "min-time", "avg-time"):
        ours = _syscope(tmp_path, "-c", "-f", "-U", cols, "-S", sort, "--backend", backend, "--", str(sigkid))
        lines = ours.splitlines()
        assert lines[0] == theirs.splitlines()[0]  # "shortest  longest  usecs/call     seconds ..."
        rows = [line.split() for line in lines[2:-2]]
        assert {r[5]: int(r[4]) for r in rows} == {r.split()[5]: int(r.split()[4])
                                                   for r in theirs.splitlines()[2:-2]}
        for lo, hi, avg, total, calls, _name in rows:
            # (%.6f rounds, usecs/call truncates: a microsecond either way)
            assert float(lo) <= float(avg) / 1e6 + 2e-6 and float(avg) / 1e6 <= float(hi) + 2e-6
            # shortest is rounded to the microsecond: up to half of one off for each call
            assert float(hi) <= float(total) + 1e-6
            assert float(lo) * int(calls) <= float(total) + 0.5e-6 * int(calls) + 1e-6
        key = {"min-time": 0, "max-time": 1, "avg-time": 2}[sort]
        values = [float(r[key]) for r in rows]
        assert values == sorted(values, reverse=True)
        assert float(rows[0][key]) > 0


@pytest.mark.parametrize("backend", BACKENDS)
def test_overhead_is_taken_off_every_call(tmp_path: Path, sigkid: Path, backend: str) -> None:
    # a second of overhead is more than any call here takes: every time is clamped to zero
    text = _syscope(tmp_path, "-c", "-f", "-O", "1s", "-U", "total-time,max-time,calls,name",
                    "--backend", backend, "--", str(sigkid))
    rows = [line.split() for line in text.splitlines()[2:]]
    assert rows and all(r[0] in ("0.000000", "-" * len(r[0])) for r in rows)
    assert _counts(_syscope(tmp_path, "-c", "-f", "-O", "5us", "--backend", backend, "--", str(sigkid))) \
        == _counts(_strace(tmp_path, "-c", "-f", str(sigkid)))


@pytest.mark.parametrize("args, message", [
    (["-U", "calls,bogus"], "unknown column name: 'bogus'"),
    (["-U", "calls,count"], "provided more than once: 'count'"),
    (["-O", "fast"], "invalid -O argument: 'fast'"),
    (["-S", "weight"], "invalid sortby: 'weight'"),
    (["-ff"], "(-c/--summary-only or -C/--summary) and -ff/--output-separately are mutually exclusive"),
    (["--output-separately", "-o", "/dev/null"], "and -ff/--output-separately are mutually exclusive"),
])
def test_bad_summary_options_are_one_line_errors(args: list[str], message: str) -> None:
    r = subprocess.run([sys.executable, "-m", "syscope", "-c", *args, "--", "/bin/true"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode != 0
    assert message in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("backend", BACKENDS)
def test_32bit_calls_get_a_table_of_their_own(tmp_path: Path, build_c: Callable[..., Path], backend: str) -> None:
    exe = build_c("int80", INT80, "-O1")
    ours = _syscope(tmp_path, "-c", "-U", "calls,errors,name", "-S", "calls", "--backend", backend, "--", str(exe))
    theirs = _strace(tmp_path, "-c", "-U", "calls,errors,name", "-S", "calls", str(exe))
    assert ours == theirs
    native, sep, compat = ours.partition("System call usage summary for 32 bit mode:\n")
    rows = re.compile(r"^\s*(\d+)\s+(\d*)\s*(\w+)$", re.M)
    assert sep and {m[3]: (int(m[1]), int(m[2] or 0)) for m in rows.finditer(compat) if m[3] != "total"} \
        == {"getpid": (5, 0), "unlink": (1, 1)}
    assert "getpid" not in native


# exits 0 only when not ptraced (proc(5): TracerPid)
NOT_PTRACED = ["/bin/grep", "-q", "^TracerPid:[[:space:]]*0$", "/proc/self/status"]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("follow", [[], ["-f"]], ids=["one-process", "tree"])
def test_trace_selection_counts_equal_strace(tmp_path: Path, sigkid: Path, backend: str, follow: list[str]) -> None:
    sel = ["-e", "trace=openat,getppid,kill,rt_sigreturn"]
    ours = _counts(_syscope(tmp_path, "-c", *follow, *sel, "--backend", backend, "--", str(sigkid)))
    theirs = _counts(_strace(tmp_path, "-c", *follow, *sel, str(sigkid)))
    assert ours == theirs
    assert set(ours) == ({"openat", "kill", "rt_sigreturn"} | ({"getppid"} if follow else set()))


def test_ebpf_counts_a_selection_without_ptrace(tmp_path: Path) -> None:
    # asked for by name, -c -e trace= is counted by eBPF too: the command is not ptraced
    text = _syscope(tmp_path, "-c", "-e", "trace=openat,read", "--backend", "ebpf", "--", *NOT_PTRACED)
    assert set(_counts(text)) == {"openat", "read"}


def test_ebpf_counts_a_process_another_tracer_holds() -> None:
    # -c --backend ebpf -p: counted by eBPF, so a process ptrace cannot attach to (it has a
    # tracer already) is counted all the same
    pid, first, table = attach_and_poke(GETPPID_PER_LINE, ["-c", "--backend", "ebpf"], 5,
                                        launcher=("strace", "-o", "/dev/null", "-e", "trace=none"))
    assert first == f"syscope: Process {pid} attached\n"
    assert _counts(table)["getppid"] == (5, 0), table


# Calls their task dies in: strace never sees them end (ptrace_stop skips a task with SIGKILL
# pending), so they are not in its table; a SIGTERM'd call ends first under ptrace and counts.
# The program waits (polling /proc/PID/syscall, left out by -e trace=) until each victim is in
# pause(2), so what is counted does not depend on scheduling.
DYING = r"""
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
static volatile pid_t tids[2];
static void *blocker(void *a) { tids[(long)a] = gettid(); pause(); return 0; }
static void until_in_pause(const char *path) {   /* /proc/.../syscall: "34 ..." once in pause(2) */
    char buf[32];
    for (;;) {
        int fd = open(path, O_RDONLY);
        ssize_t n = fd < 0 ? -1 : pread(fd, buf, sizeof buf - 1, 0);
        if (fd >= 0) close(fd);
        if (n > 3 && !memcmp(buf, "34 ", 3)) return;
        usleep(1000);
    }
}
static pid_t paused_child(void) {
    pid_t c = fork();
    if (c == 0) { pause(); _exit(1); }
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/syscall", c);
    until_in_pause(path);
    return c;
}
int main(void) {
    pid_t a = fork();
    if (a == 0) {   /* two threads in pause(2) when their process's exit_group(2) ends them */
        pthread_t t[2];
        for (long i = 0; i < 2; i++) pthread_create(&t[i], 0, blocker, (void *)i);
        for (int i = 0; i < 2; i++) {
            char path[64];
            while (!tids[i]) usleep(1000);
            snprintf(path, sizeof path, "/proc/self/task/%d/syscall", tids[i]);
            until_in_pause(path);
        }
        exit(0);
    }
    waitpid(a, 0, 0);
    pid_t b = paused_child();
    kill(b, SIGKILL);    /* its pause(2) never returns to a tracer */
    waitpid(b, 0, 0);
    pid_t c = paused_child();
    kill(c, SIGTERM);    /* under ptrace not made a SIGKILL: pause(2) ends, ERESTARTNOHAND */
    waitpid(c, 0, 0);
    kill(getpid(), SIGKILL);   /* the call that kills its caller */
    return 0;
}
"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_calls_a_task_dies_in_are_not_counted(tmp_path: Path, build_c: Callable[..., Path], backend: str) -> None:
    exe = build_c("dying", DYING, "-O1", "-pthread")
    sel = ["-e", "trace=pause,kill"]
    out = tmp_path / "syscope.txt"
    r = subprocess.run([sys.executable, "-m", "syscope", "-o", str(out), "-c", "-f", *sel, "--backend", backend,
                        "--", str(exe)], capture_output=True, text=True, timeout=120)
    assert r.returncode == -signal.SIGKILL, r.stderr  # syscope dies of it, as strace
    theirs = tmp_path / "strace.txt"
    subprocess.run(["strace", "-o", str(theirs), "-c", "-f", *sel, str(exe)], timeout=120)
    assert _counts(out.read_text()) == _counts(theirs.read_text()) == {"pause": (1, 1), "kill": (2, 0)}


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("follow", [[], ["-f"]], ids=["one-process", "tree"])
def test_command_keeps_its_argv0(tmp_path: Path, backend: str, follow: list[str]) -> None:
    # argv[0] as given, not the path found for it (strace execs it so): bash looks itself up in
    # PATH by it, calls that count (newfstatat, access, getuid...)
    argv = ["bash", "-c", 'echo "$0"; (exit 3); exit 0']
    out = tmp_path / "syscope.txt"
    r = subprocess.run([sys.executable, "-m", "syscope", "-o", str(out), "-c", *follow, "--backend", backend,
                        "--", *argv], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and r.stdout == "bash\n", r.stderr
    assert _counts(out.read_text()) == _counts(_strace(tmp_path, "-c", *follow, *argv))


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("opts", [["-c"], ["-C", "-f"]])
def test_no_call_counted_no_table(tmp_path: Path, sigkid: Path, backend: str, opts: list[str]) -> None:
    # strace prints no table at all when nothing was counted (-e trace=none, or a call never made)
    for sel in ("trace=none", "trace=chdir"):
        ours = _syscope(tmp_path, *opts, "-e", sel, "--backend", backend, "--", str(sigkid))
        theirs = _strace(tmp_path, *opts, "-e", sel, str(sigkid))
        assert "total" not in ours and ours.count("\n") == theirs.count("\n")


@pytest.mark.parametrize("opts", [["-c", "-i"], ["-c", "-n", "-r"], ["-c", "-tt", "-T", "-y", "-k"], ["-w"],
                                  ["-U", "calls"], ["-S", "calls"], ["-c", "-C"], ["-C", "-c"], ["-C", "-T", "-i"],
                                  ["-c", "-ff"], ["-C", "-w", "-S", "calls", "-U", "calls,name"]])
def test_what_summary_options_say_as_strace(opts: list[str]) -> None:
    # strace.c init(): -w/-U refused without -c/-C, -S said to have no effect, -c's moot line options said
    ours = subprocess.run([sys.executable, "-m", "syscope", *opts, "-o", "/dev/null", "--", "/bin/true"],
                          capture_output=True, text=True, timeout=60)
    theirs = subprocess.run(["strace", *opts, "-o", "/dev/null", "/bin/true"], capture_output=True, text=True,
                            timeout=60)
    assert ours.returncode == theirs.returncode
    said = [ln.replace("strace: ", "syscope: ", 1) for ln in theirs.stderr.splitlines() if not ln.startswith("Try ")]
    assert ours.stderr.splitlines() == said
