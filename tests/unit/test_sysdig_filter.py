"""sysdig filter language: parsing, errors with columns, field values on real-shaped events."""

from __future__ import annotations

import os

import pytest

from syscope.context import Context
from syscope.errors import FilterError
from syscope.events import SyscallEvent
from syscope.filters.sysdig import compile_filter, compile_format, field_value


def _ev(name: str, nr: int, args: list[str], ret: int, paths: tuple[str, ...] = (),
        raw: tuple[int, ...] = (0,) * 6, comm: str = "cat", errno: int | None = None) -> SyscallEvent:
    ev = SyscallEvent(pid=4242, tid=4243, arch="x86_64", nr=nr, name=name, raw_args=raw,
                      ts_enter=1000.0, phase="exit", args=args, retval=ret, errno=errno,
                      ts_exit=1000.000002, comm=comm, ppid=1, uid=0, cpu=1, paths=paths)
    return ev


CTX = Context(live=False)
OPEN = _ev("openat", 257, ["AT_FDCWD", '"/etc/hostname"', "O_RDONLY"], 3, paths=("/etc/hostname",))
FAIL = _ev("openat", 257, ["AT_FDCWD", '"/nope"', "O_RDONLY"], -2, paths=("/nope",), errno=2)
CONN = _ev("connect", 42, ["3", "{sa_family=AF_INET, sin_port=htons(443)}", "16"], 0,
           paths=("10.1.2.3:443",), raw=(3, 0, 16, 0, 0, 0), comm="curl")
READ = _ev("read", 0, ["3", '"abc"', "4096"], 3, raw=(3, 0, 4096, 0, 0, 0))


def f(text: str) -> object:
    return compile_filter(text, CTX)


@pytest.mark.parametrize("text,ev,want", [
    ("evt.type=openat", OPEN, True),
    ("evt.type=openat and fd.name contains /etc and not proc.name=sshd", OPEN, True),
    ("evt.type=openat and fd.name contains /etc and not proc.name=cat", OPEN, False),
    ("evt.type in (connect, accept4) and fd.sip != 127.0.0.1", CONN, True),
    ("evt.type in (connect, accept4) and fd.sip != 10.1.2.3", CONN, False),
    ("fd.sport = 443 and fd.l4proto=tcp and fd.type=ipv4 and fd.typechar=4", CONN, True),
    ("evt.failed=true", FAIL, True),
    ("evt.failed=true", OPEN, False),
    ("evt.res=ENOENT", FAIL, True),
    ("evt.rawres < 0", FAIL, True),
    ("evt.rawres >= 3 and evt.rawres <= 3", OPEN, True),
    ("fd.name startswith '/etc/' and fd.name endswith name", OPEN, True),
    ("fd.name glob '/etc/*name'", OPEN, True),
    ("fd.name pmatch (/etc, /usr)", OPEN, True),
    ("fd.name pmatch (/et)", OPEN, False),
    ("proc.name icontains CU", CONN, True),
    ("fd.directory=/etc and fd.filename=hostname", OPEN, True),
    ("(evt.type=read or evt.type=write) and evt.is_io_read=true and evt.buflen=3", READ, True),
    ("fd.num=3", READ, True),
    ("evt.arg.fd=3", READ, True),
    ("evt.arg[2] = /etc/hostname", OPEN, True),  # sysdig's openat: fd, dirfd, name, flags...
    ("fd.sip exists", OPEN, False),
    ("fd.sip exists", CONN, True),
    ("not (thread.tid=4243 or proc.pid=1)", OPEN, False),
    ("evt.cpu=1 and user.uid=0 and user.name=root and proc.ppid=1", OPEN, True),
    ("evt.latency > 1000 and evt.latency < 3000", OPEN, True),
    ('fd.name = "/etc/hostname"', OPEN, True),
])
def test_filters(text: str, ev: SyscallEvent, want: bool) -> None:
    assert compile_filter(text, CTX)(ev) is want


@pytest.mark.parametrize("text,col", [
    ("evt.type=openat and", 20),
    ("evt.typo=openat", 1),
    ("evt.type=openat and (proc.name=cat", 35),
    ("proc.pid=abc", 10),
    ("evt.type in connect", 13),
    ("fd.name='unterminated", 9),
    ("evt.type openat", 10),
    ("proc.name < 3", 11),
    ("evt.failed=maybe", 12),
    ("", 1),
])
def test_errors_name_the_column(text: str, col: int) -> None:
    with pytest.raises(FilterError, match=f"column {col}:"):
        compile_filter(text, CTX)


def test_format_and_missing_fields() -> None:
    fmt = compile_format("%proc.name %evt.type %fd.name %fd.sip", CTX)
    assert fmt(OPEN) == "cat openat /etc/hostname <NA>"
    with pytest.raises(FilterError, match="column 4"):
        compile_format("x: %evt.nope", CTX)


def test_live_context_reads_proc_for_ptrace_style_events() -> None:
    # An event without comm (as the ptrace source makes) gets proc.* from /proc.
    ev = SyscallEvent(pid=os.getpid(), tid=os.getpid(), arch="x86_64", nr=39, name="getpid",
                      raw_args=(0,) * 6, ts_enter=0.0, phase="exit", retval=os.getpid())
    ctx = Context()
    assert field_value("proc.name", ev, ctx) == open("/proc/self/comm").read().strip()
    assert field_value("proc.ppid", ev, ctx) == os.getppid()
    assert compile_filter(f"proc.pid={os.getpid()} and proc.exepath exists", ctx)(ev)
