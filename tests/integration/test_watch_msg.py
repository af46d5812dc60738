"""sendmsg/recvmsg (and sendmmsg's first message) in eBPF events: the kernel copies the msghdr's
msg_name and the data of its first iovec, so evt.buffer and the fd.* address fields work on them
as on sendto/recvfrom."""

from __future__ import annotations

import json
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

PY = "/usr/bin/python3"
PROG = r"""
import socket, sys
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("127.0.0.1", 0))
u.sendmsg([b"udp-msg\x00\x01"], [], 0, ("127.0.0.1", int(sys.argv[1])))  # unconnected: msg_name
u.sendmsg([b"to-myself"], [], 0, u.getsockname())
u.recvmsg(100)                                        # msg_name filled in by the kernel
a, b = socket.socketpair()
a.sendmsg([b"pair-data", b"second"])                  # no address; two iovecs
b.recvmsg(100)
"""

MMSG = r"""
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
int main(int argc, char **argv) {
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons(atoi(argv[1]));
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    struct iovec v[2] = {{"first-msg", 9}, {"second-msg", 10}};
    struct mmsghdr m[2];
    memset(m, 0, sizeof m);
    for (int i = 0; i < 2; i++) {
        m[i].msg_hdr.msg_name = &a;
        m[i].msg_hdr.msg_namelen = sizeof a;
        m[i].msg_hdr.msg_iov = &v[i];
        m[i].msg_hdr.msg_iovlen = 1;
    }
    return sendmmsg(s, m, 2, 0) == 2 ? 0 : 1;
}
"""

RMMSG = r"""
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>
int main(void) {
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a;
    socklen_t al = sizeof a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    bind(s, (struct sockaddr *)&a, sizeof a);
    getsockname(s, (struct sockaddr *)&a, &al);
    sendto(s, "one-dgram", 9, 0, (struct sockaddr *)&a, sizeof a);
    sendto(s, "two", 3, 0, (struct sockaddr *)&a, sizeof a);
    char b1[64], b2[64];
    struct iovec v[2] = {{b1, 64}, {b2, 64}};
    struct sockaddr_in from[2];
    struct mmsghdr m[2];
    memset(m, 0, sizeof m);
    for (int i = 0; i < 2; i++) {
        m[i].msg_hdr.msg_name = &from[i];
        m[i].msg_hdr.msg_namelen = sizeof from[i];
        m[i].msg_hdr.msg_iov = &v[i];
        m[i].msg_hdr.msg_iovlen = 1;
    }
    return recvmmsg(s, m, 2, MSG_DONTWAIT, 0) == 2 ? 0 : 1;
}
"""

FIELDS = ("evt.type", "evt.buffer", "fd.name", "fd.sip", "fd.sport", "fd.cip", "fd.cport")


def test_sendmsg_recvmsg_udp_and_socketpair() -> None:
    sink = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sink.bind(("127.0.0.1", 0))
    port = sink.getsockname()[1]
    ctx = Context()
    with sink:
        got = [{f: field_value(f, ev, ctx) for f in FIELDS}
               for ev in watch_events([PY, "-c", PROG, str(port)], ctx=ctx)
               if isinstance(ev, SyscallEvent) and ev.name in ("sendmsg", "recvmsg")]
        data, (_ip, sender_port) = sink.recvfrom(100)
    assert data == b"udp-msg\x00\x01"
    assert [g["evt.type"] for g in got] == ["sendmsg", "sendmsg", "recvmsg", "sendmsg", "recvmsg"]
    to_sink, to_self, received, pair_send, pair_recv = got
    # the unconnected sendmsg: its data and its destination, as a sendto with an address
    assert to_sink["evt.buffer"] == "udp-msg\x00\x01"
    assert (to_sink["fd.sip"], to_sink["fd.sport"]) == ("127.0.0.1", port)
    assert to_sink["fd.name"] == f"127.0.0.1:{port}"
    assert to_self["evt.buffer"] == "to-myself"
    assert (to_self["fd.sip"], to_self["fd.sport"]) == ("127.0.0.1", sender_port)
    # recvmsg: the sender's address the kernel wrote to msg_name (the client side)
    assert received["evt.buffer"] == "to-myself"
    assert (received["fd.cip"], received["fd.cport"]) == ("127.0.0.1", sender_port)
    # socketpair: no address; sendmsg's first iovec only, recvmsg got both in one
    assert pair_send["evt.buffer"] == "pair-data"
    assert pair_recv["evt.buffer"] == "pair-datasecond"
    assert pair_send["fd.sip"] is None and pair_recv["fd.cip"] is None


def test_watch_json_info_shows_the_msghdr() -> None:
    sink = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sink.bind(("127.0.0.1", 0))
    port = sink.getsockname()[1]
    with sink:
        r = subprocess.run([sys.executable, "-m", "syscope", "watch", "-j",
                            "evt.type=sendmsg and evt.buffer contains udp-msg", "--", PY, "-c", PROG,
                            str(port)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    assert len(rows) == 1
    info = str(rows[0]["evt.info"])
    # sysdig's sendmsg exit: res, data (the first iovec's, non-printable bytes as dots), fd, tuple
    assert info.startswith("res=9 data=udp-msg.. fd=") and info.endswith(f" tuple=127.0.0.1:{port}")
    assert rows[0]["fd.name"] == f"127.0.0.1:{port}"


def test_sendmmsg_first_message(build_c: Callable[..., Path]) -> None:
    mm = build_c("sendmmsg", MMSG)
    sink = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sink.bind(("127.0.0.1", 0))
    port = sink.getsockname()[1]
    ctx = Context()
    with sink:
        got = [ev for ev in watch_events([str(mm), str(port)], ctx=ctx)
               if isinstance(ev, SyscallEvent) and ev.name == "sendmmsg"]
        assert sink.recv(100) == b"first-msg" and sink.recv(100) == b"second-msg"
    assert len(got) == 1 and got[0].retval == 2
    assert field_value("evt.buffer", got[0], ctx) == "first-msg"
    assert field_value("fd.sip", got[0], ctx) == "127.0.0.1"
    assert field_value("fd.sport", got[0], ctx) == port


def test_same_fields_on_ptrace_events() -> None:
    import syscope
    from syscope.context import PtraceContext
    from syscope.filters.sysdig import event_predicate

    sink = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sink.bind(("127.0.0.1", 0))
    port = sink.getsockname()[1]
    ctx = PtraceContext()
    pred = event_predicate("evt.type in (sendmsg, recvmsg)", ctx)
    with sink:
        got = [{f: field_value(f, ev, ctx) for f in FIELDS}
               for ev in syscope.trace([PY, "-c", PROG, str(port)]) if pred(ev)]
        _data, (_ip, sender_port) = sink.recvfrom(100)
    assert [(g["evt.type"], g["evt.buffer"]) for g in got] == [
        ("sendmsg", "udp-msg\x00\x01"), ("sendmsg", "to-myself"), ("recvmsg", "to-myself"),
        ("sendmsg", "pair-data"), ("recvmsg", "pair-datasecond")]
    assert (got[0]["fd.sip"], got[0]["fd.sport"]) == ("127.0.0.1", port)
    assert (got[2]["fd.cip"], got[2]["fd.cport"]) == ("127.0.0.1", sender_port)


@pytest.mark.parametrize("bits", ["-m64", "-m32"])
def test_recvmmsg_first_message(build_c: Callable[..., Path], bits: str) -> None:
    # glibc's i386 recvmmsg is recvmmsg_time64 (i386 417, struct compat_mmsghdr)
    rmm = build_c(f"recvmmsg{bits}", RMMSG, bits)
    ctx = Context()
    got = []
    port = None
    for ev in watch_events([str(rmm)], ctx=ctx):
        if isinstance(ev, SyscallEvent) and ev.name == "getsockname":
            port = int(str(field_value("fd.name", ev, ctx)).rsplit(":", 1)[1])
        if isinstance(ev, SyscallEvent) and ev.name.startswith("recvmmsg"):
            got.append((ev.name, ev.retval, {f: field_value(f, ev, ctx) for f in FIELDS}))
    assert port
    assert len(got) == 1
    name, ret, f = got[0]
    assert name == ("recvmmsg" if bits == "-m64" else "recvmmsg_time64") and ret == 2
    # the first message only, bounded by its msg_len (the call returns a message count)
    assert f["evt.buffer"] == "one-dgram"
    assert (f["fd.cip"], f["fd.cport"]) == ("127.0.0.1", port)
