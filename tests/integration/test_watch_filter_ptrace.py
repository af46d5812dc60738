"""The sysdig filter language on the ptrace source's events (``event_predicate``, what
``syscope --filter`` calls): real tracees under the real tracer, fields resolved from /proc and the
decoded arguments, and the same answers ``syscope watch`` gives for the same program."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

import syscope
from syscope.context import Context
from syscope.errors import FilterError
from syscope.events import Event, ExitEvent, ProcessEvent, SignalEvent, SyscallEvent
from syscope.filters.sysdig import compile_format, event_predicate, field_value

PY = "/usr/bin/python3"
HOSTNAME = Path("/etc/hostname").read_bytes()


class Traced(list[Event]):
    """The events of one real trace, and what each filter of the test matched *during* the trace:
    the predicate reads /proc while the tracee is stopped, as `syscope --filter` evaluates it."""

    matched: dict[str, list[Event]]
    stdout: bytes


def traced(argv: list[str], *exprs: str, follow: bool = False) -> Traced:
    """Trace with the tracee's stdout a pipe (cat copies a file to a regular file with
    copy_file_range(2), to a pipe with read/write), whatever pytest made of fd 1."""
    preds = {e: event_predicate(e) for e in exprs}
    out = Traced()
    out.matched = {e: [] for e in exprs}
    r, w = os.pipe()
    saved = os.dup(1)
    os.dup2(w, 1)
    os.close(w)
    try:
        for ev in syscope.trace(argv, follow_forks=follow):
            out.append(ev)
            for e, p in preds.items():
                if p(ev):
                    out.matched[e].append(ev)
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        out.stdout = os.read(r, 1 << 16)  # the tracees wrote little: it fits the pipe
        os.close(r)
    return out


def matching(expr: str, events: Traced) -> list[Event]:
    return events.matched[expr]


def calls(events: list[Event]) -> list[SyscallEvent]:
    return [ev for ev in events if isinstance(ev, SyscallEvent)]


EVERYONE = ("proc.name=cat and proc.exepath=/usr/bin/cat and proc.exe=/bin/cat and "
            f"proc.ppid={os.getpid()} and user.uid={os.geteuid()} and user.name=root and "
            "container.id=host and proc.cmdline='cat /etc/hostname' and proc.args=/etc/hostname")
SAME_AS_WATCH = "evt.type in (openat, read, close) and fd.name contains /etc/hostname"
CAT_FILTERS = ("evt.type=openat and fd.name contains /etc", "evt.type=openat and fd.name=/etc/hostname",
               "evt.type=read and fd.name=/etc/hostname", "evt.type=close and fd.name=/etc/hostname",
               "fd.name=/etc/hostname and evt.type=write",
               "evt.type=write and fd.type=pipe and evt.is_io_write=true", "proc.name=cat", EVERYONE,
               "proc.name=sshd or proc.pid=1", SAME_AS_WATCH)


@pytest.fixture(scope="module")
def cat() -> Traced:
    t = traced(["/bin/cat", "/etc/hostname"], *CAT_FILTERS)
    assert t.stdout == HOSTNAME
    return t


def test_openat_below_etc(cat: Traced) -> None:
    got = calls(matching("evt.type=openat and fd.name contains /etc", cat))
    # every open of a path below /etc, and nothing else: the dynamic loader's cache and the file
    opened = [ev for ev in calls(cat) if ev.name == "openat" and '"/etc' in ev.args[1]]
    assert got == opened and len(got) >= 1
    assert got[-1].args[1] == '"/etc/hostname"' and got[-1].retval is not None and got[-1].retval >= 3
    exact = calls(matching("evt.type=openat and fd.name=/etc/hostname", cat))
    assert exact == [got[-1]]


def test_fd_number_resolved_for_read_and_close(cat: Traced) -> None:
    # read(3, ...) names no path: /proc/PID/fd/3 does while cat is stopped; close(3) removes it,
    # and the fd table kept from the open still names it
    reads = calls(matching("evt.type=read and fd.name=/etc/hostname", cat))
    assert reads and reads[0].retval == len(HOSTNAME)
    assert all(ev.raw_args[0] == reads[0].raw_args[0] for ev in reads)
    closes = calls(matching("evt.type=close and fd.name=/etc/hostname", cat))
    assert len(closes) == 1 and closes[0].raw_args[0] == reads[0].raw_args[0]
    fdnum = reads[0].raw_args[0]
    num = calls(traced(["/bin/cat", "/etc/hostname", "/etc/hostname"],
                       f"evt.type=read and fd.num={fdnum} and evt.buflen>0").matched.popitem()[1])
    # the dynamic loader reads the libraries through the same fd number first
    assert sum(1 for ev in num if ev.retval == len(HOSTNAME)) == 2
    assert not matching("fd.name=/etc/hostname and evt.type=write", cat)
    # cat writes the file's bytes to its stdout: a pipe here
    writes = calls(matching("evt.type=write and fd.type=pipe and evt.is_io_write=true", cat))
    assert len(writes) == 1 and writes[0].retval == len(HOSTNAME)


def test_process_fields(cat: Traced) -> None:
    got = calls(matching("proc.name=cat", cat))
    assert got == calls(cat) and len(got) > 10  # the exec's exit included: cat by then
    assert calls(matching(EVERYONE, cat)) == got
    assert not matching("proc.name=sshd or proc.pid=1", cat)
    # compile_format sharing the predicate's context is how a CLI prints fields of ptrace events
    from syscope.context import PtraceContext

    ctx = PtraceContext()
    pred = event_predicate("evt.type=openat and fd.name=/etc/hostname", ctx)
    fmt = compile_format("%proc.name %proc.pid %evt.type %fd.name %evt.res %evt.cpu", ctx)
    lines = [fmt(ev) for ev in syscope.trace(["/bin/cat", "/etc/hostname"]) if pred(ev)]
    assert len(lines) == 1
    name, pid, typ, fd_name, res, cpu = lines[0].split()
    assert (name, typ, fd_name, res, cpu) == ("cat", "openat", "/etc/hostname", "SUCCESS", "<NA>")
    assert int(pid) > 0


def test_exec_refreshes_the_process_facts() -> None:
    # sh forks, the child execs cat: the child's events before its exec are sh's, after it cat's
    events = traced(["/bin/sh", "-c", "/bin/cat /etc/hostname; exit 3"], "proc.name=cat",
                    "proc.name=cat and proc.pname=sh and proc.aname[1]=sh", "evt.type=execve",
                    "evt.type=procexec", follow=True)
    cat_pid = next(ev.pid for ev in calls(events) if ev.name == "execve" and '"/bin/cat"' in ev.args[0])
    sh_pid = next(ev.pid for ev in events)
    assert cat_pid != sh_pid
    got = matching("proc.name=cat", events)
    assert got and {ev.pid for ev in got} == {cat_pid}
    exec_at = next(i for i, ev in enumerate(events) if isinstance(ev, SyscallEvent) and ev.pid == cat_pid
                   and ev.name == "execve")
    after = [ev for ev in events[exec_at:] if isinstance(ev, SyscallEvent) and ev.pid == cat_pid]
    assert all(ev in got for ev in after)
    before = [ev for ev in events[:exec_at] if isinstance(ev, SyscallEvent) and ev.pid == cat_pid]
    assert not any(ev in got for ev in before)
    assert calls(matching("proc.name=cat and proc.pname=sh and proc.aname[1]=sh", events)) == \
        calls(matching("proc.name=cat", events))
    # the exec itself: once as evt.type=execve (the call's exit), the tracer's exec event being
    # evt.type=procexec, so a rule on execve fires once per exec as in Falco
    execs = [ev for ev in matching("evt.type=execve", events) if ev.pid == cat_pid]
    assert [type(ev) for ev in execs] == [SyscallEvent]
    assert [type(ev) for ev in matching("evt.type=procexec", events) if ev.pid == cat_pid] == [ProcessEvent]


def test_failed_calls_and_result_fields(tmp_path: Path) -> None:
    script = ("import os\n"
              "for p in ('/nonexistent-syscope', '/etc/hostname'):\n"
              "    try: os.close(os.open(p, os.O_RDONLY))\n"
              "    except OSError: pass\n")
    filters = ("evt.failed=true",
               "evt.type=openat and evt.res=ENOENT and fd.name=/nonexistent-syscope",
               "evt.type=openat and evt.failed=false and fd.name=/etc/hostname and evt.rawres>=3",
               "evt.failed=true and fd.name=/etc/hostname")
    events = traced([PY, "-c", script], *filters)
    failed = calls(matching("evt.failed=true", events))
    assert failed and all(ev.errno is not None for ev in failed)
    assert failed == [ev for ev in calls(events) if ev.errno is not None]
    enoent = calls(matching(filters[1], events))
    assert len(enoent) == 1 and enoent[0].retval == -2
    assert len(calls(matching(filters[2], events))) == 1
    assert not matching(filters[3], events)


def test_relative_paths_are_made_absolute(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "f.txt").write_text("x")
    script = (f"import os\nos.chdir({str(tmp_path)!r})\n"
              "os.close(os.open('sub/f.txt', os.O_RDONLY))\n"
              "d = os.open('sub', os.O_RDONLY)\n"
              "os.close(os.open('f.txt', os.O_RDONLY, dir_fd=d))\n")
    filters = (f"evt.type=openat and fd.name={tmp_path}/sub/f.txt",
               f"evt.type=openat and fd.directory={tmp_path}/sub and fd.filename=f.txt")
    events = traced([PY, "-c", script], *filters)
    got = calls(matching(filters[0], events))
    assert len(got) == 2
    assert got[0].args[0] == "AT_FDCWD" and got[1].args[0] != "AT_FDCWD"
    assert calls(matching(filters[1], events)) == got


def test_socket_addresses() -> None:
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen()
    port = srv.getsockname()[1]
    script = ("import socket\n"
              f"c = socket.create_connection(('127.0.0.1', {port}))\n"
              "c.send(b'ping')\n"
              "c.close()\n")
    filters = (f"evt.type in (connect, accept4) and fd.sip=127.0.0.1 and fd.sport={port}",
               f"evt.type=connect and fd.type=ipv4 and fd.l4proto=tcp and fd.port={port}",
               f"evt.type=sendto and fd.name='127.0.0.1:{port}'")
    try:
        events = traced([PY, "-c", script], *filters)
    finally:
        srv.close()
    conn = calls(matching(filters[0], events))
    assert len(conn) == 1 and conn[0].name == "connect"
    assert calls(matching(filters[1], events)) == conn
    # send on the connected socket: no address in the call, the fd table has the connect's
    sends = calls(matching(filters[2], events))
    assert len(sends) == 1 and sends[0].retval == 4


def test_signals_exits_and_process_events() -> None:
    script = ("import os, signal\n"
              "signal.signal(signal.SIGUSR1, lambda *a: None)\n"
              "os.kill(os.getpid(), signal.SIGUSR1)\n")
    filters = ("evt.type=signaldeliver and proc.name startswith python3",
               "evt.type=procexit and proc.name startswith python3 and evt.failed=false",
               "fd.name exists or evt.is_io=true", "not fd.name exists")
    events = traced([PY, "-c", script], *filters)
    sig = matching("evt.type=signaldeliver and proc.name startswith python3", events)
    assert len(sig) == 1 and isinstance(sig[0], SignalEvent) and sig[0].signo == 10
    # the process facts outlive the process: cached before it exited
    ex = matching("evt.type=procexit and proc.name startswith python3 and evt.failed=false", events)
    assert len(ex) == 1 and isinstance(ex[0], ExitEvent)
    # non-syscall events have no fd: comparisons on fd fields are false, `exists` says so
    assert not [ev for ev in matching("fd.name exists or evt.is_io=true", events)
                if not isinstance(ev, SyscallEvent)]
    assert len([ev for ev in matching("not fd.name exists", events) if not isinstance(ev, SyscallEvent)]) \
        == sum(1 for ev in events if not isinstance(ev, SyscallEvent))


def test_same_answers_as_the_ebpf_watcher(cat: Traced) -> None:
    expr = SAME_AS_WATCH
    r = subprocess.run([sys.executable, "-m", "syscope", "watch", "-j", expr, "--", "/bin/cat", "/etc/hostname"],
                       capture_output=True, timeout=120)
    assert r.returncode == 0, r.stderr
    rows = [json.loads(line) for line in r.stdout[len(HOSTNAME):].splitlines()]
    ours = calls(matching(expr, cat))
    ctx = Context(live=False)
    assert [(row["evt.type"], row["fd.name"], row["proc.name"], row["evt.res"]) for row in rows] == \
        [(ev.name, "/etc/hostname", "cat", field_value("evt.res", ev, ctx)) for ev in ours]
    assert [row["evt.type"] for row in rows] == ["openat", "read", "read", "close"]


@pytest.mark.parametrize("expr,col", [
    ("evt.type=openat and", 20),
    ("proc.nam=cat", 1),
    ("evt.type=openat and (fd.name contains /etc", 43),
    ("evt.rawres > abc", 14),
    ("evt.failed=maybe", 12),
])
def test_bad_filter_points_at_the_column(expr: str, col: int) -> None:
    with pytest.raises(FilterError) as exc:
        event_predicate(expr)
    assert f"column {col}" in str(exc.value)
