"""The tracer's per-stop calls (syscope._kernel.stops) both ways: the C extension and the ctypes
fallback give the same answers on real processes, and a trace made with either is strace's."""

from __future__ import annotations

import ast
import ctypes
import errno
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from tests.conftest import BuildC
from tests.integration.test_trace_engine import both_ff, norm

from syscope._kernel import ptrace as pt
from syscope._kernel import stops

IMPLS = ["c", "python"]

PROG = r"""
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
int main(void) {
    char buf[64];
    int p[2];
    struct timespec ts = {0, 1000};
    if (pipe(p)) return 1;
    write(p[1], "hello, pipe\n", 12);
    read(p[0], buf, sizeof buf);
    open("/nonexistent/file", O_RDONLY);
    int fd = open("/dev/zero", O_RDONLY);
    read(fd, buf, 5);
    close(fd);
    nanosleep(&ts, NULL);
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    getsockname(s, (struct sockaddr *)&ss, &len);
    sigset_t chld;  /* no SIGCHLD line: whether it comes before or after wait4 is the scheduler's */
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, NULL);
    pid_t child = fork();
    if (child == 0) {
        write(1, "child\n", 6);
        _exit(3);
    }
    int st;
    waitpid(child, &st, 0);
    write(1, "done\n", 5);
    return 0;
}
"""


def _env(impl: str) -> dict[str, str]:
    return dict(os.environ, SYSCOPE_PURE_PYTHON="1" if impl == "python" else "0")


def test_the_extension_is_built_and_the_switch_picks_the_fallback() -> None:
    # scripts/setup.sh and pip build it (setup.py); SYSCOPE_PURE_PYTHON=1 picks the ctypes one
    code = "from syscope._kernel import stops; print(stops.IMPLEMENTATION)"
    for impl in IMPLS:
        got = subprocess.run([sys.executable, "-c", code], env=_env(impl), capture_output=True, text=True,
                             check=True).stdout.strip()
        assert got == impl


def _impls() -> dict[str, dict[str, object]]:
    from syscope._kernel import _stops  # type: ignore[attr-defined]

    c = {"wait_stop": _stops.wait_stop, "syscall_info": _stops.syscall_info, "resume": _stops.resume,
         "vm_read": _stops.vm_read}
    py = {"wait_stop": stops.py_wait_stop, "syscall_info": stops.py_syscall_info, "resume": stops.py_resume,
          "vm_read": stops.py_vm_read}
    return {"c": c, "python": py}


@pytest.mark.parametrize("impl", IMPLS)
def test_memory_and_errors_the_same_both_ways(impl: str) -> None:
    f = _impls()[impl]
    buf = ctypes.create_string_buffer(b"tracee memory\0more", 18)
    addr = ctypes.addressof(buf)
    me = os.getpid()
    assert f["vm_read"](me, addr, 13) == b"tracee memory"  # type: ignore[operator]
    assert f["vm_read"](me, addr, 0) == b""  # type: ignore[operator]
    assert f["vm_read"](me, 8, 16) is None  # type: ignore[operator]  # the zero page: EFAULT
    # not a tracee of ours: PTRACE_GET_SYSCALL_INFO and a resume fail with ESRCH
    assert f["syscall_info"](me) is None  # type: ignore[operator]
    assert f["resume"](pt.PTRACE_SYSCALL, me, 0) == errno.ESRCH  # type: ignore[operator]


_REQUESTS = r"""
import os, struct, sys
from syscope._kernel import ptrace as pt
from syscope.errors import NoSuchProcess
pid = os.fork()
if pid == 0:
    os.kill(os.getpid(), 19)  # SIGSTOP: wait for the seize
    os.kill(os.getpid(), 10)  # SIGUSR1: a signal-delivery stop whose siginfo names this process
    os._exit(7)
os.waitpid(pid, os.WUNTRACED)
pt.ptrace(pt.PTRACE_SEIZE, pid, 0, pt.PTRACE_O_TRACEEXIT | pt.PTRACE_O_EXITKILL)
os.kill(pid, 18)  # SIGCONT
seen = []
while True:
    _, status = os.waitpid(pid, pt.WALL)
    if os.WIFEXITED(status):
        seen.append(("exited", os.WEXITSTATUS(status)))
        break
    if status >> 16 == pt.PTRACE_EVENT_EXIT:
        seen.append(("event exit", pt.get_event_msg(pid)))
    elif status >> 16 == 0 and os.WSTOPSIG(status) == 10:
        signo, _errno, code, sender = struct.unpack_from("iii4xi", pt.get_siginfo(pid))  # x86_64: si_pid at 16
        seen.append(("siginfo", signo, code, sender == pid))
    pt.ptrace(pt.PTRACE_CONT, pid, 0, 0)  # every signal suppressed: SIGUSR1 would kill it
me = os.getpid()  # not a tracee of this process: ESRCH
for call in (lambda: pt.get_event_msg(me), lambda: pt.get_siginfo(me), lambda: pt.ptrace(pt.PTRACE_INTERRUPT, me)):
    try:
        call()
    except NoSuchProcess as exc:
        seen.append(("ESRCH", str(exc)))
print(repr(seen))
print("ctypes" in sys.modules)
"""


@pytest.mark.parametrize("impl", IMPLS)
def test_the_engine_s_requests_the_same_both_ways(impl: str) -> None:
    # PTRACE_SEIZE, GETSIGINFO, GETEVENTMSG and a resume on a real tracee: the extension makes them
    # (a traced run then imports no ctypes), the ctypes binding without it
    r = subprocess.run([sys.executable, "-c", _REQUESTS], env=_env(impl), capture_output=True, text=True,
                       timeout=60, check=True)
    seen, imported_ctypes = r.stdout.splitlines()
    assert ast.literal_eval(seen) == [
        ("siginfo", 10, 0, True),  # SI_USER from the process itself
        ("event exit", 7 << 8), ("exited", 7),
        ("ESRCH", f"ptrace(PTRACE_GETEVENTMSG, {_pid_of(seen)}): No such process"),
        ("ESRCH", f"ptrace(PTRACE_GETSIGINFO, {_pid_of(seen)}): No such process"),
        ("ESRCH", f"ptrace(PTRACE_INTERRUPT, {_pid_of(seen)}): No such process"),
    ]
    assert imported_ctypes == ("False" if impl == "c" else "True")


def _pid_of(seen: str) -> str:
    return seen.split("PTRACE_GETEVENTMSG, ")[1].split(")")[0]


def _traced_child_stops(impl: str) -> list[tuple[int, tuple[int, ...] | None]]:
    """Seize /bin/true, let it run to its end under PTRACE_SYSCALL, keep every stop's info."""
    f = _impls()[impl]
    pid = os.fork()
    if pid == 0:
        os.kill(os.getpid(), 19)  # SIGSTOP: wait for the seize
        os.execv("/bin/true", ["/bin/true"])
    os.waitpid(pid, os.WUNTRACED)
    pt.ptrace(pt.PTRACE_SEIZE, pid, 0, pt.PTRACE_O_TRACESYSGOOD | pt.PTRACE_O_EXITKILL)
    os.kill(pid, 18)  # SIGCONT
    seen: list[tuple[int, tuple[int, ...] | None]] = []
    while True:
        tid, status, info = f["wait_stop"](pt.WALL)  # type: ignore[operator]
        assert tid == pid
        if os.WIFEXITED(status):
            assert os.WEXITSTATUS(status) == 0
            break
        seen.append((status, info))
        sig = 0 if info is not None or os.WSTOPSIG(status) in (5, 18, 19) else os.WSTOPSIG(status)
        assert f["resume"](pt.PTRACE_SYSCALL, tid, sig) == 0  # type: ignore[operator]
    with pytest.raises(ChildProcessError):
        f["wait_stop"](pt.WALL | os.WNOHANG)  # type: ignore[operator]
    return seen


@pytest.mark.parametrize("impl", IMPLS)
def test_wait_stop_reads_each_syscall_stop(impl: str) -> None:
    seen = _traced_child_stops(impl)
    infos = [info for status, info in seen if info is not None]
    assert infos, seen
    # every syscall stop has its info: entries (op 1) with a number and six arguments, exits
    # (op 2) with a return value, both after the instruction and stack pointers; the last call,
    # exit_group, never returns
    assert all(status == 0x857F for status, info in seen if info is not None)
    entries = [i for i in infos if i[0] == pt.SYSCALL_INFO_ENTRY]
    exits = [i for i in infos if i[0] == pt.SYSCALL_INFO_EXIT]
    assert all(len(i) == 11 for i in entries) and all(len(i) == 6 for i in exits)
    assert entries[-1][4] == 231  # exit_group on x86_64
    assert len(entries) == len(exits) + 1


def _keeps() -> bool:
    """Is the extension new enough to keep entries?  A checkout's extension is built by
    scripts/setup.sh (pip): one built before wait_call leaves it to the Python versions."""
    return stops.IMPLEMENTATION == "c" and stops.wait_call is not stops.py_wait_call


def _calls_of_true(impl: str, mark: bool) -> list[stops.CallResult]:
    """/bin/true under PTRACE_SYSCALL through wait_call, its thread armed and (``mark``) every
    native call number marked: each report as (tid, status, info, entry, ts)."""
    from syscope.syscalls import roles

    if impl == "c":
        f: Any = stops  # the extension's (or, built before wait_call, the fallback's: _keeps())
    else:
        f = SimpleNamespace(wait_call=stops.py_wait_call, arm=stops.py_arm, fast_call=stops.py_fast_call,
                            reset=stops.py_reset)
    pid = os.fork()
    if pid == 0:
        os.kill(os.getpid(), 19)  # SIGSTOP: wait for the seize
        os.execv("/bin/true", ["/bin/true"])
    os.waitpid(pid, os.WUNTRACED)
    pt.ptrace(pt.PTRACE_SEIZE, pid, 0, pt.PTRACE_O_TRACESYSGOOD | pt.PTRACE_O_EXITKILL)
    f.reset()
    armed = f.arm(pid, True)
    assert armed == (impl == "c" and _keeps())
    if mark:
        for nr in range(1024):
            f.fast_call(roles.AUDIT_ARCH["x86_64"], nr, True)
    os.kill(pid, 18)  # SIGCONT
    seen = []
    try:
        while True:
            got = f.wait_call(pt.WALL)
            tid, status, info, entry, ts = got
            assert tid == pid
            seen.append(got)
            if os.WIFEXITED(status):
                break
            sig = 0 if info is not None or os.WSTOPSIG(status) in (5, 18, 19) else os.WSTOPSIG(status)
            assert stops.resume(pt.PTRACE_SYSCALL, tid, sig) == 0
    finally:
        f.reset()
    return seen


@pytest.mark.parametrize("impl", IMPLS)
def test_wait_call_keeps_the_entries_of_marked_calls(impl: str) -> None:
    """The extension resumes an armed thread at the entry stop of a marked call and gives that
    entry back with the thread's next report; the Python version gives every stop to the caller.
    The calls seen are the same either way, and wait_stop's when nothing is marked."""
    before = time.time()
    marked = _calls_of_true(impl, mark=True)
    after = time.time()
    unmarked = _calls_of_true(impl, mark=False)
    # nothing marked: every entry comes as its own stop, as wait_stop gives it
    assert all(entry is None for _, _, _, entry, _ in unmarked)
    plain = [info[4] for _, _, info, _, _ in unmarked if info is not None and info[0] == pt.SYSCALL_INFO_ENTRY]
    assert plain[-1] == 231  # exit_group on x86_64
    if impl == "python" or not _keeps():
        assert all(entry is None for _, _, _, entry, _ in marked)
        return
    # every call's entry came back with its exit stop; exit_group's, which never returns, with the
    # exit status; no entry stop reached the caller
    assert not [info for _, _, info, _, _ in marked if info is not None and info[0] == pt.SYSCALL_INFO_ENTRY]
    kept = [(entry, info, ts) for _, _, info, entry, ts in marked if entry is not None]
    assert [e[4] for e, _, _ in kept] == plain
    assert all(e[0] == pt.SYSCALL_INFO_ENTRY and len(e) == 11 for e, _, _ in kept)
    assert all(i is not None and i[0] == pt.SYSCALL_INFO_EXIT for _, i, _ in kept[:-1])
    assert kept[-1][1] is None and os.WIFEXITED(marked[-1][1])
    assert all(before <= ts <= after for _, _, ts in kept)  # time.time() of the entry stop


@pytest.mark.parametrize("impl", IMPLS)
def test_trace_is_strace_s_either_way(tmp_path: Path, build_c: BuildC, impl: str,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    exe = build_c("stops_prog", PROG)
    monkeypatch.setenv("SYSCOPE_PURE_PYTHON", "1" if impl == "python" else "0")
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    r = subprocess.run([sys.executable, "-m", "syscope", "-T", "-o", str(ours), "--", str(exe)],
                       capture_output=True, text=True, timeout=60)
    s = subprocess.run(["strace", "-T", "-o", str(theirs), str(exe)], capture_output=True, text=True, timeout=60)
    assert r.returncode == s.returncode == 0, r.stderr
    assert r.stdout == s.stdout == "child\ndone\n"
    a, b = ours.read_text(), theirs.read_text()
    # durations differ run to run; that each returned call has one does not
    assert sum(re.search(r" <\d+\.\d{6}>$", line) is not None for line in a.splitlines()) > 20
    a, b = re.sub(r" <\d+\.\d{6}>$", "", a, flags=re.M), re.sub(r" <\d+\.\d{6}>$", "", b, flags=re.M)
    assert norm(a) == norm(b)
    # -f: the child traced too (its lines in a file of its own: how the two interleave is the
    # scheduler's choice)
    mine, strace_s = both_ff(tmp_path / "ff", [], [str(exe)])
    assert len(mine) == 2 and mine == strace_s


@pytest.mark.parametrize("opts", [[], ["-v", "-s", "200"]])
def test_exit_halves_decoded_after_the_resume_read_only_what_was_read_at_the_stop(
        tmp_path: Path, opts: list[str]) -> None:
    """prefetch.py: stat buffers, getdents64 entries and read(2) data copied at the exit stop;
    the decoder, run after the thread resumed, finds every byte it wants in those copies (no read
    of the running process), and the lines are strace's."""
    import io

    from syscope.decode import DecodeOptions
    from syscope.sinks.strace_text import StraceTextSink
    from syscope.sources.ptrace.engine import Tracer

    d, o = tmp_path / "d", tmp_path / "o"  # what ls lists (and its .., -v prints times), strace's file
    d.mkdir()
    o.mkdir()
    for name in ("a", "b", "c"):
        (d / name).write_text(name * 100)
    (d / "link").symlink_to("a")
    # the first reads set the access times (relatime): before both runs, which print them (-v)
    subprocess.run(["sh", "-c", f"ls -la {d} && cat {d}/a {d}/b {d}/c"], check=True, stdout=subprocess.DEVNULL)
    limit = int(opts[-1]) if opts else 32
    env = {"PATH": "/usr/bin:/bin", "LC_ALL": "C"}
    fetched = 0
    for cmd in (["ls", "-la", str(d)], ["cat", f"{d}/a", f"{d}/b"], ["pwd"]):
        out = io.StringIO()
        tracer = Tracer(cmd, env=env, options=DecodeOptions(string_limit=limit, verbose="-v" in opts))
        tracer.prefetch_exits = True  # as on more than one CPU, whatever this machine has
        sink = StraceTextSink(out)
        saved, null = os.dup(1), os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)  # the tracee's stdout /dev/null, as for strace below (ls asks what it is)
        try:
            for ev in tracer.events():
                sink.handle(ev)
        finally:
            os.dup2(saved, 1)
            os.close(saved)
            os.close(null)
        assert tracer._prefetch.misses == 0, cmd
        fetched += tracer._prefetch.fetched
        theirs = o / "strace.txt"
        subprocess.run(["strace", *opts, "-o", str(theirs), *cmd], check=True, timeout=60, env=env,
                       stdout=subprocess.DEVNULL)
        assert norm(out.getvalue()) == norm(theirs.read_text())
    assert fetched > 20


SIGNAL_BEFORE_SLEEP = r"""
import collections, itertools, os, signal, subprocess, sys
from syscope._kernel import _stops
WALL = 0x40000000

class Stop(Exception):
    pass

def handler(signo, frame):
    raise Stop

signal.signal(signal.SIGUSR1, handler)
child = subprocess.Popen(["/bin/sleep", "60"])
# from another process: a thread of this one would wait for the GIL the polls keep
subprocess.Popen(["/bin/sh", "-c", f"sleep 0.2; kill -USR1 {os.getpid()}"])
wait = getattr(_stops, sys.argv[1])
# WNOHANG polls, all in C (map and deque: no bytecode between them, so CPython's handler cannot
# run), then one blocking wait: the signal lands during the polls and sets CPython's flag only
polls = itertools.chain(itertools.repeat(WALL | os.WNOHANG, 10_000_000), [WALL])
try:
    collections.deque(map(wait, polls), maxlen=0)
    print("reaped" if child.poll() is not None else "returned")
except Stop:
    print("handled while the child lives" if child.poll() is None else "handled after the child")
child.kill()
child.wait()
"""


@pytest.mark.parametrize("wait", ["wait_stop", "wait_call"])
def test_a_signal_during_polls_is_handled_before_the_tracer_sleeps(wait: str) -> None:
    # ^C on `syscope -p PID` whose tasks sleep: SIGINT came while the extension polled (no
    # blocking call to interrupt), its handler's PTRACE_INTERRUPT never ran, and the tracer slept
    # in waitpid until a task made a call (the attach test hung 1 run in 4)
    r = subprocess.run([sys.executable, "-c", SIGNAL_BEFORE_SLEEP, wait], capture_output=True, text=True,
                       timeout=120)
    assert r.stdout == "handled while the child lives\n", r.stdout + r.stderr
