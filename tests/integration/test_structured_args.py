"""Structured arguments (SyscallEvent.structured_args) on real tracees: the values the ptrace
decoder and the eBPF source fill next to the strace text, and their round trip through the one
serializer (to_dict / event_from_dict) that JSON lines and capture files use."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import syscope
from syscope.events import Arg, SockAddr, SyscallEvent, event_from_dict
from syscope.sources.ebpf.stream import watch_events

PROG = r"""
#include <arpa/inet.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>
int main(int argc, char **argv) {
    int fd = openat(AT_FDCWD, argv[1], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    write(fd, "ab\0\377\n", 5);
    write(fd, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", 40);
    struct iovec v[2] = {{"ab", 2}, {"cde", 3}};
    writev(fd, v, 2);
    close(fd);
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons(atoi(argv[2]));
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    connect(s, (struct sockaddr *)&a, sizeof a);
    close(s);
    int u = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un un;
    memset(&un, 0, sizeof un);
    un.sun_family = AF_UNIX;
    strncpy(un.sun_path, argv[3], sizeof un.sun_path - 1);
    connect(u, (struct sockaddr *)&un, sizeof un);
    close(u);
    return 0;
}
"""


@pytest.fixture
def run_args(tmp_path: Path) -> Iterator[tuple[Path, int, Path]]:
    """The file to create, a listening TCP port on 127.0.0.1 and a listening unix socket path."""
    tcp = socket.socket()
    tcp.bind(("127.0.0.1", 0))
    tcp.listen(1)
    unix_path = tmp_path / "s.sock"
    unix = socket.socket(socket.AF_UNIX)
    unix.bind(str(unix_path))
    unix.listen(1)
    try:
        yield tmp_path / "out.bin", tcp.getsockname()[1], unix_path
    finally:
        tcp.close()
        unix.close()


def by_name(ev: SyscallEvent) -> dict[str, Arg]:
    return {a.name: a for a in ev.structured_args}


def calls(evs: list[SyscallEvent], name: str) -> list[SyscallEvent]:
    return [e for e in evs if e.name == name]


def test_ptrace_structured_values(build_c: Callable[..., Path], run_args: tuple[Path, int, Path]) -> None:
    out, port, unix_path = run_args
    exe = build_c("structured", PROG)
    evs = [e for e in syscope.trace([str(exe), str(out), str(port), str(unix_path)])
           if isinstance(e, SyscallEvent)]

    opens = [e for e in calls(evs, "openat") if e.structured_args[1].value == str(out)]
    assert len(opens) == 1
    o = by_name(opens[0])
    assert list(o) == ["dfd", "filename", "flags", "mode"]  # the kernel's parameter names
    assert o["dfd"].value == -100 and o["dfd"].raw & 0xFFFFFFFF == 0xFFFFFF9C
    assert o["filename"].value == str(out)
    assert o["flags"].value == ("O_WRONLY", "O_CREAT", "O_TRUNC", "O_CLOEXEC")
    assert "|".join(o["flags"].value) == opens[0].args[2]  # the same facts as the strace text
    assert o["mode"].value == 0o640
    fd = opens[0].retval

    writes = [by_name(e) for e in calls(evs, "write") if e.structured_args[0].value == fd]
    assert [w["buf"].value for w in writes] == [b"ab\0\xff\n", b"x" * 32]  # at most -s bytes, as printed
    assert [w["count"].value for w in writes] == [5, 40]

    (wv,) = [by_name(e) for e in calls(evs, "writev")]
    assert wv["vec"].value == [{"iov_base": b"ab", "iov_len": 2}, {"iov_base": b"cde", "iov_len": 3}]

    conns = [by_name(e)["uservaddr"].value for e in calls(evs, "connect")]
    assert conns == [SockAddr("AF_INET", "127.0.0.1", port), SockAddr("AF_UNIX", str(unix_path))]

    for ev in evs:  # every event, JSON lines' way and back
        back = event_from_dict(json.loads(json.dumps(ev.to_dict())))
        assert isinstance(back, SyscallEvent)
        assert back.structured_args == ev.structured_args, ev.name
        assert back.args == ev.args


def test_json_form_is_documented_and_old_traces_still_read(build_c: Callable[..., Path],
                                                           run_args: tuple[Path, int, Path]) -> None:
    out, port, unix_path = run_args
    exe = build_c("structured", PROG)
    evs = [e for e in syscope.trace([str(exe), str(out), str(port), str(unix_path)])
           if isinstance(e, SyscallEvent)]
    w = next(e for e in calls(evs, "write") if e.structured_args[1].value == b"ab\0\xff\n")
    d = json.loads(json.dumps(w.to_dict()))
    assert d["structured_args"][1] == {"name": "buf", "raw": w.raw_args[1], "value": {"$bytes": "YWIA/wo="}}
    c = next(e for e in calls(evs, "connect") if e.errno is None)
    d = json.loads(json.dumps(c.to_dict()))
    assert d["structured_args"][1]["value"] == {"$sockaddr": {"family": "AF_INET", "address": "127.0.0.1",
                                                              "port": port}}
    # a line written before structured arguments existed: the text is all there is
    del d["structured_args"]
    old = event_from_dict(d)
    assert isinstance(old, SyscallEvent)
    assert old.structured_args == [] and old.args == c.args


def test_ebpf_source_fills_the_same_values(build_c: Callable[..., Path], run_args: tuple[Path, int, Path]) -> None:
    out, port, unix_path = run_args
    exe = build_c("structured", PROG)
    evs = [e for e in watch_events([str(exe), str(out), str(port), str(unix_path)]) if isinstance(e, SyscallEvent)]

    opens = [e for e in calls(evs, "openat") if by_name(e)["filename"].value == str(out)]
    assert len(opens) == 1
    assert by_name(opens[0])["flags"].raw & 0o3 == 1  # O_WRONLY: the register, as the kernel saw it
    fd = opens[0].retval
    bufs = [by_name(e)["buf"].value for e in calls(evs, "write") if by_name(e)["fd"].raw == fd]
    assert bufs[0] == b"ab\0\xff\n" and bufs[1].startswith(b"x" * 32)
    conns = [by_name(e)["uservaddr"].value for e in calls(evs, "connect")]
    assert conns == [SockAddr("AF_INET", "127.0.0.1", port), SockAddr("AF_UNIX", str(unix_path))]
    for ev in evs:
        back = event_from_dict(json.loads(json.dumps(ev.to_dict())))
        assert isinstance(back, SyscallEvent) and back.structured_args == ev.structured_args
