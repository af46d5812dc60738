"""Netlink messages decoded as strace 6.1 decodes them: a real tracee sends rtnetlink and sock_diag
requests (headers, family structs, attributes, nested attributes, several messages in one buffer,
an unknown type, a message cut short) and the sendto lines of ``syscope`` must be strace's own;
``-yy`` names a bound netlink socket by its protocol and port id."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

SYSCOPE = [sys.executable, "-m", "syscope"]

# The kernel answers some of these with errors (the tracee ignores them): only what was sent is
# compared, and what was sent does not depend on the machine.  send() is sendto(fd, buf, len,
# flags, NULL, 0) on x86_64.
PROG = r"""
import os, socket, struct

def nlmsg(typ, flags, body, seq=0):
    return struct.pack("<IHHII", 16 + len(body), typ, flags, seq, 0) + body

def nla(typ, data):
    raw = struct.pack("<HH", 4 + len(data), typ) + data
    return raw + b"\0" * (-len(raw) % 4)

REQUEST, DUMP = 1, 0x300
route = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
route.bind((0, 0))
# RTM_GETLINK dump: struct ifinfomsg, IFLA_EXT_MASK (RTEXT_FILTER_VF), IFLA_IFNAME
ifinfo = struct.pack("<BxHiII", socket.AF_UNSPEC, 0, 0, 0, 0)
route.send(nlmsg(18, REQUEST | DUMP, ifinfo + nla(29, struct.pack("<I", 1)) + nla(3, b"lo\0")), socket.MSG_DONTWAIT)
# RTM_GETADDR dump of AF_INET with IFA_ADDRESS 127.0.0.1 and an unknown attribute type
ifaddr = struct.pack("<BBBBI", socket.AF_INET, 8, 0, 0, 1)
attrs = nla(1, socket.inet_aton("127.0.0.1")) + nla(0x3fff, b"abcd")
route.send(nlmsg(22, REQUEST | DUMP, ifaddr + attrs), socket.MSG_DONTWAIT)
# RTM_GETROUTE with a nested RTA_METRICS (RTAX_MTU) and RTA_OIF
rtmsg = struct.pack("<BBBBBBBBI", socket.AF_INET, 32, 0, 0, 254, 3, 0, 1, 0)
attrs = nla(8, nla(2, struct.pack("<I", 1500))) + nla(4, struct.pack("<I", 1))
route.send(nlmsg(26, REQUEST, rtmsg + attrs), socket.MSG_DONTWAIT)
# two messages in one buffer, the second of an unknown type; then a header cut short
route.send(nlmsg(18, REQUEST, ifinfo, seq=1) + nlmsg(0xffff, REQUEST, b"\x01\x02\x03\x04", seq=2), socket.MSG_DONTWAIT)
route.send(nlmsg(18, REQUEST, ifinfo)[:10], socket.MSG_DONTWAIT)
# NETLINK_SOCK_DIAG: a unix_diag_req dump of every state, then an inet_diag_req_v2 for TCP
diag = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 4)
diag.bind((0, 0))
udiag = struct.pack("<BBHIII2I", socket.AF_UNIX, 0, 0, 0xffffffff, 0, 1 | 4, 0xffffffff, 0xffffffff)
diag.send(nlmsg(20, REQUEST | DUMP, udiag), socket.MSG_DONTWAIT)
sockid = (struct.pack(">HH", 80, 0) + socket.inet_aton("127.0.0.1") + bytes(12) + bytes(16)
          + struct.pack("<III", 1, 0, 0))
idiag = struct.pack("<BBBBI", socket.AF_INET, socket.IPPROTO_TCP, 0, 0, 1 << 10) + sockid
diag.send(nlmsg(20, REQUEST, idiag), socket.MSG_DONTWAIT)
os.close(diag.fileno()); diag.detach()
"""


def _sendto_lines(text: str) -> list[str]:
    return [ln for ln in text.splitlines() if ln.startswith("sendto(")]


def test_netlink_requests_print_as_strace_prints_them(tmp_path: Path) -> None:
    prog = tmp_path / "nl.py"
    prog.write_text(PROG)
    theirs, ours = tmp_path / "strace.out", tmp_path / "syscope.out"
    cmd = ["/usr/bin/python3", str(prog)]
    subprocess.run(["strace", "-e", "trace=sendto", "-o", str(theirs), *cmd], check=True, timeout=60)
    got = subprocess.run([*SYSCOPE, "-e", "trace=sendto", "-o", str(ours), *cmd], capture_output=True,
                         text=True, timeout=60)
    assert got.returncode == 0, got.stderr
    expected = _sendto_lines(theirs.read_text())
    assert len(expected) == 7
    assert _sendto_lines(ours.read_text()) == expected
    # the decoding is really there (not both printing the bytes)
    assert "nlmsg_type=RTM_GETLINK" in expected[0] and "IFLA_EXT_MASK" in expected[0]
    assert 'inet_addr("127.0.0.1")' in expected[1]
    assert "udiag_states=" in expected[5]


def test_yy_names_a_bound_netlink_socket_by_protocol_and_port(tmp_path: Path) -> None:
    prog = tmp_path / "nl.py"
    prog.write_text(PROG)
    got = subprocess.run([*SYSCOPE, "-yy", "-e", "trace=sendto,close", "/usr/bin/python3", str(prog)],
                         capture_output=True, text=True, timeout=60)
    assert got.returncode == 0, got.stderr
    sends = _sendto_lines(got.stderr)
    assert re.match(r"sendto\(3<NETLINK:\[ROUTE:\d+\]>, \[?\{nlmsg_len=", sends[0]), sends[0]
    assert any(re.match(r"sendto\(4<NETLINK:\[SOCK_DIAG:\d+\]>, ", s) for s in sends), sends
