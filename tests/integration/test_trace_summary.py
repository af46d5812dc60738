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
    code = ("import os, sys\nprint(os.getpid(), flush=True)\n"
            "for line in sys.stdin:\n    os.getppid()\n    print('ok', flush=True)\n")
    held = subprocess.Popen(["strace", "-o", "/dev/null", "-e", "trace=none", "/usr/bin/python3", "-c", code],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert held.stdin is not None and held.stdout is not None
    try:
        pid = int(held.stdout.readline())
        tr = subprocess.Popen([sys.executable, "-m", "syscope", "-c", "--backend", "ebpf", "-p", str(pid)],
                              stderr=subprocess.PIPE, text=True)
        assert tr.stderr is not None
        assert tr.stderr.readline() == f"syscope: Process {pid} attached\n"
        for _ in range(5):
            held.stdin.write("x\n")
            held.stdin.flush()
            assert held.stdout.readline() == "ok\n"
        tr.send_signal(signal.SIGINT)
        _, table = tr.communicate(timeout=60)
        assert _counts(table)["getppid"] == (5, 0), table
    finally:
        held.kill()
        held.wait()
