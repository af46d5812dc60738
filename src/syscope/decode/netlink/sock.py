"""Which netlink protocol a descriptor speaks, and its -yy text ``NETLINK:[ROUTE:1234]``.

A socket's protocol family is its "system.sockprotoname" attribute (net/socket.c
sockfs_getxattr: "NETLINK" for every netlink socket); the netlink protocol and port id of a
bound socket are in /proc/PID/net/netlink (net/netlink/af_netlink.c netlink_seq_show: the "Eth"
and "Pid" columns, by inode), the same facts strace gets from NETLINK_SOCK_DIAG's netlink_diag.
An unbound socket is not listed: its protocol is unknown (-1) until it binds, as for strace.
"""

from __future__ import annotations

import os

from syscope.decode import fmt

_CACHE: dict[int, tuple[int, int]] = {}  # inode -> (protocol, port id), once seen bound


def _lookup(pid: int, inode: int) -> tuple[int, int] | None:
    hit = _CACHE.get(inode)
    if hit is not None:
        return hit
    want = str(inode)
    try:
        with open(f"/proc/{pid}/net/netlink") as f:
            next(f, None)
            for line in f:
                cols = line.split()
                if len(cols) >= 10 and cols[9] == want:
                    got = (int(cols[1]), int(cols[2]))
                    if len(_CACHE) > 1024:
                        _CACHE.clear()
                    _CACHE[inode] = got
                    return got
    except (OSError, ValueError):
        return None
    return None


def _inode(pid: int, fd: int) -> int | None:
    path = f"/proc/{pid}/fd/{fd}"
    try:
        target = os.readlink(path)
        if not target.startswith("socket:["):
            return None
        if os.getxattr(path, "system.sockprotoname").rstrip(b"\0") != b"NETLINK":
            return None
        return int(target[8:-1])
    except (OSError, ValueError):
        return None


def family(pid: int, fd: int) -> int | None:
    """The netlink protocol of the descriptor (NETLINK_ROUTE ...), -1 for a netlink socket whose
    protocol is not known, None when it is not a netlink socket."""
    if fd < 0:
        return None
    inode = _inode(pid, fd)
    if inode is None:
        return None
    got = _lookup(pid, inode)
    return -1 if got is None else got[0]


def describe(pid: int, inode: int) -> str | None:
    """-yy: ``NETLINK:[SOCK_DIAG:1234]`` (protocol name without NETLINK_, port id), or
    ``NETLINK:[PROTO]`` for a protocol without a name; None when the socket is not bound."""
    got = _lookup(pid, inode)
    if got is None:
        return None
    proto, portid = got
    name = dict((v, n) for v, n in reversed(fmt.consts("x86_64").get("nl_protocols", []))).get(proto)
    if name is None:
        return f"NETLINK:[{proto}]"
    return f"NETLINK:[{name[8:]}:{portid}]"
