"""-yy: what a socket fd is, as strace 6.1 prints it: ``TCP:[127.0.0.1:5000->127.0.0.1:41234]``,
``UDPv6:[[::1]:53]``, ``UNIX-STREAM:[123->124]``, ``UNIX:[125,"/path"]``, and ``PROTO:[inode]``
when nothing more is known.

The protocol comes from the socket's "system.sockprotoname" attribute (net/socket.c
sockfs_getxattr); the endpoints from NETLINK_SOCK_DIAG (sock_diag(7)): inet_diag also reports
bound-but-unconnected TCP sockets (TCP_BOUND_INACTIVE, Linux 6.5), unix_diag the peer's inode.
Neither is in /proc/net, which remains the fallback when netlink is unavailable.  Like strace,
what was once found for an inode is remembered (1024 slots by inode) and printed again even after
the socket changed or its peer went away.
"""

from __future__ import annotations

import os
import socket
import struct

_NETLINK_SOCK_DIAG = 4
_SOCK_DIAG_BY_FAMILY = 20
_NLM_F_REQUEST = 1
_NLM_F_DUMP = 0x300
_NLMSG_ERROR = 2
_NLMSG_DONE = 3
_UDIAG_SHOW_NAME = 1
_UDIAG_SHOW_PEER = 4
_UNIX_DIAG_NAME = 0
_UNIX_DIAG_PEER = 2

# protocol name (sockprotoname) -> (family, IPPROTO_*) for inet_diag
_INET_PROTOS = {
    "TCP": (socket.AF_INET, socket.IPPROTO_TCP), "UDP": (socket.AF_INET, socket.IPPROTO_UDP),
    "UDPLITE": (socket.AF_INET, 136), "RAW": (socket.AF_INET, socket.IPPROTO_RAW),
    "PING": (socket.AF_INET, socket.IPPROTO_ICMP), "SCTP": (socket.AF_INET, 132),
    "TCPv6": (socket.AF_INET6, socket.IPPROTO_TCP), "UDPv6": (socket.AF_INET6, socket.IPPROTO_UDP),
    "UDPLITEv6": (socket.AF_INET6, 136), "RAWv6": (socket.AF_INET6, socket.IPPROTO_RAW),
    "PINGv6": (socket.AF_INET6, socket.IPPROTO_ICMP), "SCTPv6": (socket.AF_INET6, 132),
}
# /proc/net fallback files
_PROC_NET = {"TCP": "tcp", "TCPv6": "tcp6", "UDP": "udp", "UDPv6": "udp6"}

_CACHE: dict[int, tuple[int, str]] = {}
_CACHE_MASK = 1023


def _netlink_query(msg: bytes, dump: bool) -> list[bytes] | None:
    """Send one sock_diag request; the payloads of the SOCK_DIAG_BY_FAMILY answers."""
    try:
        s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW | socket.SOCK_CLOEXEC, _NETLINK_SOCK_DIAG)
    except OSError:
        return None
    out: list[bytes] = []
    with s:
        flags = _NLM_F_REQUEST | (_NLM_F_DUMP if dump else 0)
        try:
            s.sendto(struct.pack("<IHHII", 16 + len(msg), _SOCK_DIAG_BY_FAMILY, flags, 1, 0) + msg, (0, 0))
            while True:
                data = s.recv(65536)
                off = 0
                while off + 16 <= len(data):
                    length, typ = struct.unpack_from("<IH", data, off)
                    if length < 16 or off + length > len(data):
                        return out
                    if typ in (_NLMSG_DONE, _NLMSG_ERROR):
                        return out
                    if typ == _SOCK_DIAG_BY_FAMILY:
                        out.append(data[off + 16: off + length])
                    off += (length + 3) & ~3
                if not dump:
                    return out
        except OSError:
            return None


def _inet(inode: int, label: str) -> str | None:
    family, proto = _INET_PROTOS[label]
    # struct inet_diag_req_v2: family, protocol, ext, pad, states (all), struct inet_diag_sockid
    req = struct.pack("<BBBBI", family, proto, 0, 0, 0xFFFFFFFF) + bytes(48)
    answers = _netlink_query(req, dump=True)
    if answers is None:
        return None
    for msg in answers:
        # struct inet_diag_msg: family, state, timer, retrans, sockid (sport, dport big-endian,
        # src[16], dst[16], if, cookie[2]), expires, rqueue, wqueue, uid, inode
        if len(msg) < 72 or struct.unpack_from("<I", msg, 68)[0] != inode:
            continue
        n = 4 if family == socket.AF_INET else 16
        sport, dport = struct.unpack_from(">HH", msg, 4)
        src, dst = msg[8: 8 + n], msg[24: 24 + n]

        def ep(addr: bytes, port: int) -> str:
            text = socket.inet_ntop(family, addr)
            return f"[{text}]:{port}" if family == socket.AF_INET6 else f"{text}:{port}"

        text = ep(src, sport)
        if dport or any(dst):
            text += "->" + ep(dst, dport)
        return f"{label}:[{text}]"
    return None


def _unix(inode: int, label: str) -> str | None:
    # struct unix_diag_req: family, protocol, pad, states, ino, show, cookie[2]; a cookie of all
    # ones means "any" (INET_DIAG_NOCOOKIE, net/core/sock_diag.c)
    req = struct.pack("<BBHIII2I", socket.AF_UNIX, 0, 0, 0xFFFFFFFF, inode,
                      _UDIAG_SHOW_NAME | _UDIAG_SHOW_PEER, 0xFFFFFFFF, 0xFFFFFFFF)
    answers = _netlink_query(req, dump=False)
    if not answers:
        return None
    msg = answers[0]
    # struct unix_diag_msg (16 bytes), then attributes {u16 len, u16 type, data}, 4-aligned
    if len(msg) < 16 or struct.unpack_from("<I", msg, 4)[0] != inode:
        return None
    peer = 0
    name = b""
    off = 16
    while off + 4 <= len(msg):
        alen, atype = struct.unpack_from("<HH", msg, off)
        if alen < 4:
            break
        body = msg[off + 4: off + alen]
        if atype == _UNIX_DIAG_PEER and len(body) >= 4:
            peer = struct.unpack_from("<I", body)[0]
        elif atype == _UNIX_DIAG_NAME and not name:
            name = body
        off += (alen + 3) & ~3
    if not peer and not name:
        return None
    from syscope.decode.fmt import quote

    text = str(inode) + (f"->{peer}" if peer else "")
    if name:
        # an abstract name (unix(7)) starts with a NUL: shown as @"name"; a path ends at its NUL
        if name[:1] == b"\0":
            text += ',@"' + quote(name[1:].split(b"\0", 1)[0]) + '"'
        else:
            text += ',"' + quote(name.split(b"\0", 1)[0]) + '"'
    return f"{label}:[{text}]"


def _proc_net(pid: int, inode: int, label: str) -> str | None:
    fname = _PROC_NET.get(label)
    if fname is None:
        return None
    family = socket.AF_INET6 if label.endswith("v6") else socket.AF_INET
    want = str(inode)
    try:
        with open(f"/proc/{pid}/net/{fname}") as f:
            next(f)
            for line in f:
                cols = line.split()
                if len(cols) > 9 and cols[9] == want:
                    local, remote = cols[1], cols[2]
                    if int(local.split(":")[1], 16) == 0:
                        return None
                    text = _hexaddr(local, family)
                    if int(remote.split(":")[1], 16):
                        text += "->" + _hexaddr(remote, family)
                    return f"{label}:[{text}]"
    except OSError:
        return None
    return None


def _hexaddr(hexaddr: str, family: int) -> str:
    ip, port = hexaddr.split(":")
    # the kernel prints each 32-bit word of the address in host (little-endian) order
    raw = b"".join(struct.pack("<I", int(ip[k:k + 8], 16)) for k in range(0, len(ip), 8))
    text = socket.inet_ntop(family, raw)
    p = int(port, 16)
    return f"[{text}]:{p}" if family == socket.AF_INET6 else f"{text}:{p}"


def describe(pid: int, inode: int, fd_path: str) -> str | None:
    """``TCP:[...]`` for the socket with this inode, or None when not even its protocol is known."""
    hit = _CACHE.get(inode & _CACHE_MASK)
    if hit is not None and hit[0] == inode:
        return hit[1]
    try:
        label = os.getxattr(fd_path, "system.sockprotoname").rstrip(b"\0").decode()
    except OSError:
        return None
    got: str | None = None
    if label.startswith("UNIX"):
        # UNIX-STREAM for stream sockets, UNIX for the others (net/unix/af_unix.c protos)
        got = _unix(inode, label)
    elif label in _INET_PROTOS:
        got = _inet(inode, label)
        if got is None:
            got = _proc_net(pid, inode, label)
    elif label == "NETLINK":
        from syscope.decode.netlink import sock as netlink_sock

        got = netlink_sock.describe(pid, inode)
    if got is None:
        return f"{label}:[{inode}]"
    _CACHE[inode & _CACHE_MASK] = (inode, got)
    return got
