"""-yy: what a socket fd is connected to, from /proc/PID/net/{tcp,tcp6,udp,udp6,unix} (proc(5)),
read through the tracee's own network namespace.  Printed as strace does:
``TCP:[127.0.0.1:5000->127.0.0.1:41234]``, ``UDPv6:[[::1]:53]``, ``UNIX-STREAM:[123,"/path"]``,
and ``PROTO:[inode]`` while the socket is not bound yet."""

from __future__ import annotations

import os
import socket
import struct

_INET = (("tcp", "TCP", socket.AF_INET), ("tcp6", "TCPv6", socket.AF_INET6),
         ("udp", "UDP", socket.AF_INET), ("udp6", "UDPv6", socket.AF_INET6))
_UNIX_TYPES = {1: "UNIX-STREAM", 2: "UNIX-DGRAM", 5: "UNIX-SEQPACKET"}


def _addr(hexaddr: str, family: int) -> str:
    ip, port = hexaddr.split(":")
    # the kernel prints each 32-bit word of the address in host (little-endian) order
    raw = b"".join(struct.pack("<I", int(ip[k:k + 8], 16)) for k in range(0, len(ip), 8))
    text = socket.inet_ntop(family, raw)
    p = int(port, 16)
    return f"[{text}]:{p}" if family == socket.AF_INET6 else f"{text}:{p}"


def describe(pid: int, inode: int, fd_path: str) -> str | None:
    """``TCP:[...]`` for the socket with this inode, or None when nothing names it."""
    want = str(inode)
    for fname, label, family in _INET:
        try:
            with open(f"/proc/{pid}/net/{fname}") as f:
                next(f)
                for line in f:
                    cols = line.split()
                    if len(cols) > 9 and cols[9] == want:
                        local, remote = cols[1], cols[2]
                        if int(local.split(":")[1], 16) == 0:
                            return f"{label}:[{inode}]"
                        text = _addr(local, family)
                        if int(remote.split(":")[1], 16):
                            text += "->" + _addr(remote, family)
                        return f"{label}:[{text}]"
        except OSError:
            continue
    try:
        with open(f"/proc/{pid}/net/unix") as f:
            next(f)
            for line in f:
                cols = line.split()
                if len(cols) > 6 and cols[6] == want:
                    label = _UNIX_TYPES.get(int(cols[4], 16), "UNIX")
                    if len(cols) > 7:
                        return f'{label}:[{inode},"{cols[7]}"]'
                    return f"{label}:[{inode}]"
    except OSError:
        pass
    # not bound or connected yet, so not in /proc/net: the socket's protocol name still is
    # (sock_getxattr "system.sockprotoname", net/socket.c)
    try:
        proto = os.getxattr(fd_path, "system.sockprotoname").rstrip(b"\0").decode()
    except OSError:
        return None
    return f"{proto}:[{inode}]"
