"""Kernel-side selection of a sysdig filter (syscope.filters.pushdown): never drops an event the
filter accepts (checked against the filter itself on many events), and narrows where it can."""

from __future__ import annotations

import itertools
import random

import pytest

from syscope.context import Context
from syscope.events import SyscallEvent
from syscope.filters.pushdown import kernel_selection, syscall_universe
from syscope.filters.sysdig import compile_filter
from syscope.sources.ebpf.selection import COMM_LEN, KernelSelection

NAMES = ["openat", "read", "write", "close", "execve", "connect", "sendto", "recvfrom", "mmap",
         "socket", "dup2", "getpid", "clone3", "syscall_500"]
PIDS = [1, 7, 42, 4242]
COMMS = ["cat", "dd", "bash", "a-very-long-process-name", "sshd"]
UIDS = [0, 1000, 65534]
PATHS = [(), ("/etc/passwd",), ("/tmp/x",), ("10.0.0.1:80",)]

FILTERS = [
    "evt.type=openat",
    "evt.type=openat and proc.name=cat and fd.name=/tmp/x",
    "evt.type=openat or proc.name=cat",
    "not evt.type=read",
    "not evt.type in (read, write)",
    "not (evt.type=read or evt.type=write) and proc.name=dd",
    "evt.type!=close",
    "not evt.type!=close",
    "evt.type in (open, openat) and not proc.name in (bash, sshd)",
    "proc.name=cat or proc.name=dd",
    "(proc.name=cat and evt.type=read) or (proc.name=dd and evt.type=write)",
    "proc.pid=42",
    "proc.pid in (1, 42) and not proc.pid=1",
    "not proc.pid=42",
    "proc.pid!=42 and evt.type=getpid",
    "user.uid=0 and evt.type=execve",
    "user.uid in (0, 1000) or user.uid=65534",
    "not user.uid=0",
    "evt.is_io=true",
    "evt.is_io_read=true and proc.name=cat",
    "evt.is_io_write=false and evt.type startswith re",
    "evt.type startswith send",
    "evt.type contains o and not evt.type glob 'open*'",
    "evt.type pmatch (/x) or evt.type icontains CLOSE",
    "evt.type exists and proc.name=cat",
    "not evt.type exists",
    "fd.name contains /etc",
    "fd.name contains /etc and evt.type=openat",
    "not (fd.name contains /etc and evt.type=openat)",
    "proc.name contains a",
    "proc.name=a-very-long-process-name",
    "proc.name startswith ca and evt.type=read",
    "evt.type=syscall_500",
    "evt.dir='<' and evt.type=close",
    "evt.dir='>' or evt.type=close",
    "proc.name in (cat) and proc.name in (dd)",
    "evt.type=read and evt.type=write",
    "not not evt.type=read",
    "(evt.type=read) and (proc.pid=7 or user.uid=1000)",
    "evt.failed=true and evt.type=openat",
    "evt.type=openat and not fd.name=/tmp/x or proc.pid=4242",
]


def _events() -> list[SyscallEvent]:
    out = []
    rng = random.Random(10)
    for name, pid, comm, uid in itertools.product(NAMES, PIDS, COMMS, UIDS):
        paths = rng.choice(PATHS)
        ret = rng.choice([0, 3, -2])
        out.append(SyscallEvent(pid=pid, tid=pid, arch="x86_64", nr=0, name=name,
                                raw_args=(3, 0, 0, 0, 0, 0), ts_enter=1.0, phase="exit",
                                args=["3"], retval=ret, errno=2 if ret < 0 else None,
                                ts_exit=1.5, comm=comm, uid=uid, paths=paths))
    return out


def admits(sel: KernelSelection, ev: SyscallEvent) -> bool:
    """The hooks' decision (syscope.bpf.c selected()) for one call."""
    if sel.syscalls is not None:
        if ev.name in sel.always:
            return True
        if ev.name not in sel.syscalls:
            return False
    if sel.tgids is not None and ev.pid not in sel.tgids:
        return False
    if sel.uids is not None and ev.uid not in sel.uids:
        return False
    if sel.comms is not None:
        keys = {c.encode()[:COMM_LEN - 1] for c in sel.comms}
        if (ev.comm or "").encode()[:COMM_LEN - 1] not in keys:
            return False
    return True


EVENTS = _events()


@pytest.mark.parametrize("text", FILTERS)
def test_selection_keeps_every_accepted_event(text: str) -> None:
    sel = kernel_selection([text])
    pred = compile_filter(text, Context(live=False))
    accepted = [ev for ev in EVENTS if pred(ev)]
    lost = [(ev.name, ev.pid, ev.comm, ev.uid) for ev in accepted if not admits(sel, ev)]
    assert not lost, (sel.describe(), lost[:5])


@pytest.mark.parametrize("text, expect", [
    ("evt.type=openat and proc.name=cat and fd.name=/tmp/x",
     "evt.type in (openat) and proc.name in (cat)"),
    ("not (evt.type!=close)", "evt.type in (close)"),
    ("proc.pid in (1, 42) and not proc.pid=1", "proc.pid in (42)"),
    ("(proc.name=cat and evt.type=read) or (proc.name=dd and evt.type=write)",
     "evt.type in (read, write) and proc.name in (cat, dd)"),
    ("user.uid=0 and evt.type=execve", "evt.type in (execve) and user.uid in (0)"),
    ("evt.type startswith sendm", "evt.type in (sendmmsg, sendmsg)"),
    ("evt.type=openat or proc.name=cat", "everything"),  # a cat's reads must still arrive
    ("not evt.type exists", "evt.type in ()"),
    ("evt.type=read and evt.type=write", "evt.type in ()"),
    ("proc.name!=bash", "everything"),
    ("fd.name contains /etc", "everything"),
    ("evt.type=nosuchcall", "evt.type in ()"),
])
def test_selection_narrows(text: str, expect: str) -> None:
    assert kernel_selection([text]).describe() == expect


def test_negation_keeps_all_but_the_excluded_calls() -> None:
    sel = kernel_selection(["not evt.type in (read, write)"])
    assert sel.syscalls == syscall_universe() - {"read", "write"}
    # the fd table's calls always arrive once calls are selected, from every process
    assert "openat" in sel.always and "close" in sel.always and "read" not in sel.always


def test_rules_and_filter_combine_as_and() -> None:
    sel = kernel_selection(["proc.name=cat", "(evt.type=openat) or (evt.type=connect)"])
    assert sel.describe() == "evt.type in (connect, openat) and proc.name in (cat)"


def test_nr_entries_cover_both_tables_and_socketcall() -> None:
    sel = kernel_selection(["evt.type=connect"])
    entries = sel.nr_entries()
    assert entries[42] & 1  # x86_64 connect
    assert entries[512 + 362] & 1  # i386 connect
    assert entries[512 + 102] & 1  # i386 socketcall(2), shown as the call it multiplexes
    assert entries[257] == 2  # openat: fd table only
