"""i386 (gcc -m32) tracees under the eBPF watcher: their calls enter through the 32-bit entry with
the i386 numbers and registers, and the kernel side still copies paths and data for them."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from syscope.context import Context
from syscope.events import SyscallEvent
from syscope.filters.sysdig import field_value
from syscope.sources.ebpf.stream import watch_events

PROG32 = r"""
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>
int main(int argc, char **argv) {
    char buf[256];
    int fd = open("/etc/hostname", O_RDONLY);
    ssize_t n = read(fd, buf, sizeof buf);
    close(fd);
    if (n > 0)
        write(1, buf, n);
    struct iovec iov[2] = {{"vec-one", 7}, {"vec-two\\n", 8}};
    writev(1, iov, 2);
    if (argc > 1) {
        int s = socket(AF_INET, SOCK_DGRAM, 0);
        struct sockaddr_in a;
        memset(&a, 0, sizeof a);
        a.sin_family = AF_INET;
        a.sin_port = htons(atoi(argv[1]));
        inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
        struct iovec v = {"msg32-data", 10};
        struct mmsghdr m;
        memset(&m, 0, sizeof m);
        m.msg_hdr.msg_name = &a;
        m.msg_hdr.msg_namelen = sizeof a;
        m.msg_hdr.msg_iov = &v;
        m.msg_hdr.msg_iovlen = 1;
        sendmmsg(s, &m, 1, 0);       /* a direct i386 call (345): struct compat_mmsghdr */
        /* glibc's i386 connect and sendmsg go through socketcall(2) */
        connect(s, (struct sockaddr *)&a, sizeof a);
        struct iovec v2 = {"sockcall-msg", 12};
        struct msghdr h;
        memset(&h, 0, sizeof h);
        h.msg_iov = &v2;
        h.msg_iovlen = 1;
        sendmsg(s, &h, 0);
    }
    return 0;
}
"""


FIELDS = ("fd.name", "evt.buffer", "fd.sip", "fd.sport")


@pytest.fixture(scope="module")
def prog32(build_c: Callable[..., Path]) -> Path:
    return build_c("prog32", PROG32, "-m32")  # proc.name=prog32 below


def hostname() -> bytes:
    return Path("/etc/hostname").read_bytes()


def test_watch_json_paths_and_data_of_32bit_calls(prog32: Path) -> None:
    r = subprocess.run([sys.executable, "-m", "syscope", "watch", "-j", "proc.name=prog32", "--",
                        str(prog32)], capture_output=True, timeout=120)
    assert r.returncode == 0, r.stderr
    # the program's own output shares the stdout: its writes land in the pipe between the
    # watcher's lines wherever they happen to (the last one, without a newline, before a JSON line)
    program_text, rows = b"", []
    for line in r.stdout.splitlines():
        start = line.find(b'{"evt.num"')
        if start < 0:
            program_text += line + b"\n"
            continue
        program_text += line[:start]
        rows.append(json.loads(line[start:]))
    assert program_text.startswith(hostname()), program_text
    by_type: dict[str, list[dict[str, object]]] = {}
    for row in rows:
        by_type.setdefault(str(row["evt.type"]), []).append(row)
    opened = [o for o in by_type.get("openat", []) + by_type.get("open", [])
              if o["fd.name"] == "/etc/hostname"]
    assert len(opened) == 1
    assert "name=/etc/hostname flags=O_RDONLY" in str(opened[0]["evt.info"])  # sysdig's openat
    fd = opened[0]["evt.rawres"]
    (rd,) = [x for x in by_type["read"] if x["fd.num"] == fd and x["fd.name"] == "/etc/hostname"]
    assert rd["fd.name"] == "/etc/hostname"
    text = hostname().decode()
    dotted = text.replace("\n", ".")  # sysdig's evt.info: non-printable bytes as dots
    assert f"data={dotted} fd=" in str(rd["evt.info"])
    (wr,) = [x for x in by_type["write"] if x["fd.num"] == 1]
    assert f"data={dotted} fd=" in str(wr["evt.info"])
    (wv,) = by_type["writev"]
    # struct compat_iovec: 32-bit base and length; sysdig's writev data is the first iovec's here
    assert str(wv["evt.info"]).startswith("res=15 data=vec-one fd=")


def test_32bit_events_fields_and_compat_mmsghdr(prog32: Path) -> None:
    sink = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sink.bind(("127.0.0.1", 0))
    port = sink.getsockname()[1]
    ctx = Context()
    with sink:
        # fields while each event is current: the fd table moves on with the next one
        evs = [(ev.name, ev.arch, {f: field_value(f, ev, ctx) for f in FIELDS})
               for ev in watch_events([str(prog32), str(port)], ctx=ctx)
               if isinstance(ev, SyscallEvent) and ev.pid != os.getpid()]
        assert sink.recv(100) == b"msg32-data"
        assert sink.recv(100) == b"sockcall-msg"
    # the exec of the 32-bit program is the 64-bit parent's execve: not an i386 call
    assert [(n, a) for n, a, _f in evs if n == "execve"] == [("execve", "x86_64")]
    calls32 = [(n, f) for n, a, f in evs if a == "i386"]
    got = {n: f for n, f in calls32 if f["fd.name"] == "/etc/hostname"}
    assert {"read", "close"} <= set(got)
    assert got["read"]["evt.buffer"] == hostname().decode()
    (w,) = [f for n, f in calls32 if n == "write"]
    assert w["evt.buffer"] == hostname().decode()
    (mm,) = [f for n, f in calls32 if n == "sendmmsg"]
    assert mm["evt.buffer"] == "msg32-data"
    assert (mm["fd.sip"], mm["fd.sport"]) == ("127.0.0.1", port)
    # socketcall(2)'s calls, unpacked in the kernel and named as strace names them
    assert "socketcall" not in [n for n, _f in calls32]
    (conn,) = [f for n, f in calls32 if n == "connect"]
    assert conn["fd.name"] == f"127.0.0.1:{port}"
    (sm,) = [f for n, f in calls32 if n == "sendmsg"]
    assert sm["evt.buffer"] == "sockcall-msg"
    assert (sm["fd.sip"], sm["fd.sport"]) == ("127.0.0.1", port)  # the connected socket's
