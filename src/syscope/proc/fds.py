"""Open file descriptors of a process, each described as what it is.

/proc/PID/fd/N is a magic link (proc(5)): a path for files, ``socket:[inode]``, ``pipe:[inode]``,
``anon_inode:[eventfd]`` / ``anon_inode:bpf-map``... for the rest; /proc/PID/fdinfo/N has the
offset and the open flags (octal).  psutil's ``open_files()`` lists only regular files, and its
``net_connections()`` reads the socket tables of *syscope's* network namespace (/proc/net), so a
process in another namespace (a container) would show no addresses; here the socket tables are
read from /proc/PID/net, which is the table of the target's own network namespace.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import stat
import sys
from dataclasses import dataclass
from typing import Any

from syscope.errors import NoSuchProcess
from syscope.proc._procfs import from_proc, os_error, proc_is_ours, proc_path, to_proc

# include/net/tcp_states.h
_TCP_STATES = {1: "ESTABLISHED", 2: "SYN_SENT", 3: "SYN_RECV", 4: "FIN_WAIT1", 5: "FIN_WAIT2",
               6: "TIME_WAIT", 7: "CLOSE", 8: "CLOSE_WAIT", 9: "LAST_ACK", 10: "LISTEN",
               11: "CLOSING", 12: "NEW_SYN_RECV"}
# /proc/net/unix columns Type and St (include/uapi/linux/net.h socket_state; SOCK_* types).
_UNIX_TYPES = {1: "STREAM", 2: "DGRAM", 5: "SEQPACKET"}
_UNIX_STATES = {1: "UNCONNECTED", 2: "CONNECTING", 3: "CONNECTED", 4: "DISCONNECTING"}
_SO_ACCEPTCON = 0x10000  # net/unix/af_unix.c prints this flag for listening sockets
_NETLINK_PROTOCOLS = {0: "ROUTE", 2: "USERSOCK", 4: "SOCK_DIAG", 6: "XFRM", 7: "SELINUX",
                      9: "AUDIT", 10: "FIB_LOOKUP", 11: "CONNECTOR", 12: "NETFILTER",
                      15: "KOBJECT_UEVENT", 16: "GENERIC"}


@dataclass(frozen=True, slots=True)
class SocketInfo:
    proto: str  # TCP, TCP6, UDP, UDP6, RAW, RAW6, UNIX, NETLINK, PACKET, or the kernel's name
    local: str | None = None
    remote: str | None = None
    state: str | None = None

    def describe(self) -> str:
        text = self.proto
        if self.local is not None:
            text += f" {self.local}"
        if self.remote is not None:
            text += f" -> {self.remote}"
        if self.state:
            text += f" ({self.state})"
        return text


@dataclass(slots=True)
class FdInfo:
    fd: int
    kind: str  # file, dir, chr, blk, fifo, socket, pipe, anon, other
    target: str  # the link text
    mode: str = ""  # r, w, rw from the open flags
    pos: int | None = None
    flags: int | None = None
    socket: SocketInfo | None = None
    peers: tuple[tuple[int, int], ...] = ()  # (pid, fd) holding the same pipe, other processes

    def describe(self) -> str:
        if self.socket is not None:
            return self.socket.describe()
        if self.kind == "pipe" and self.peers:
            who = ", ".join(f"pid {p} fd {f}" for p, f in self.peers[:4])
            more = f" +{len(self.peers) - 4}" if len(self.peers) > 4 else ""
            return f"{self.target} (also open in {who}{more})"
        if self.kind == "anon":
            return self.target.removeprefix("anon_inode:")
        if self.kind == "file" and self.pos is not None:
            return f"{self.target} (offset {self.pos})"
        return self.target

    def to_dict(self) -> dict[str, Any]:
        s = self.socket
        return {"fd": self.fd, "kind": self.kind, "target": self.target, "mode": self.mode,
                "pos": self.pos, "flags": self.flags, "description": self.describe(),
                "socket": None if s is None else {"proto": s.proto, "local": s.local,
                                                  "remote": s.remote, "state": s.state},
                "peers": [list(p) for p in self.peers]}


def _inet_addr(hexaddr: str, v6: bool) -> str:
    """Address as /proc/net/tcp prints it: the in-kernel bytes, as host-endian 32-bit words."""
    addr_hex, port_hex = hexaddr.split(":")
    raw = bytes.fromhex(addr_hex)
    # Each 32-bit word was printed with %08X of a __be32 loaded as a host integer, so on a
    # little-endian host every 4-byte group comes out reversed (net/ipv4/tcp_ipv4.c get_tcp4_sock).
    if sys.byteorder == "little":
        raw = b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4))
    port = int(port_hex, 16)
    if v6:
        ip6 = ipaddress.IPv6Address(raw)
        mapped = ip6.ipv4_mapped
        return f"{mapped}:{port}" if mapped else f"[{ip6}]:{port}"
    return f"{ipaddress.IPv4Address(raw)}:{port}"


def _read_lines(path: str) -> list[str]:
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read().splitlines()[1:]
    except OSError:
        return []


def socket_table(pid: int) -> dict[int, SocketInfo]:
    """inode -> socket facts for every socket in the network namespace of ``pid``."""
    table: dict[int, SocketInfo] = {}
    for name, proto, v6 in (("tcp", "TCP", False), ("tcp6", "TCP6", True), ("udp", "UDP", False),
                            ("udp6", "UDP6", True), ("raw", "RAW", False), ("raw6", "RAW6", True),
                            ("udplite", "UDPLITE", False), ("udplite6", "UDPLITE6", True)):
        for line in _read_lines(proc_path(pid, "net", name)):
            f = line.split()
            if len(f) < 10:
                continue
            try:
                inode = int(f[9])
                st = int(f[3], 16)
                local, remote = _inet_addr(f[1], v6), _inet_addr(f[2], v6)
            except ValueError:
                continue
            if proto.startswith("TCP"):
                state: str | None = _TCP_STATES.get(st, str(st))
            else:
                # UDP/RAW reuse the TCP state numbers: 1 = connected, 7 = not connected.
                state = "connected" if st == 1 else None
            if state in ("LISTEN",) or (not proto.startswith("TCP") and st != 1):
                remote_shown = None
            else:
                remote_shown = remote
            table[inode] = SocketInfo(proto, local, remote_shown, state)
    for line in _read_lines(proc_path(pid, "net", "unix")):
        # Num RefCount Protocol Flags Type St Inode [Path]
        f = line.split(None, 7)
        if len(f) < 7:
            continue
        try:
            flags, typ, st, inode = int(f[3], 16), int(f[4], 16), int(f[5], 16), int(f[6])
        except ValueError:
            continue
        path = f[7] if len(f) > 7 else None
        kind = _UNIX_TYPES.get(typ, str(typ))
        ustate = "LISTEN" if flags & _SO_ACCEPTCON else _UNIX_STATES.get(st, str(st))
        table[inode] = SocketInfo(f"UNIX {kind}", path if path else "(unnamed)", None, ustate)
    for line in _read_lines(proc_path(pid, "net", "netlink")):
        # sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode
        f = line.split()
        if len(f) < 10:
            continue
        try:
            eth, portid, inode = int(f[1]), int(f[2]), int(f[9])
        except ValueError:
            continue
        table[inode] = SocketInfo(f"NETLINK {_NETLINK_PROTOCOLS.get(eth, str(eth))}", f"portid {portid}")
    for line in _read_lines(proc_path(pid, "net", "packet")):
        # sk RefCnt Type Proto Iface R Rmem User Inode
        f = line.split()
        if len(f) < 9:
            continue
        try:
            ifindex, inode = int(f[4]), int(f[8])
        except ValueError:
            continue
        try:
            iface = socket.if_indextoname(ifindex) if ifindex else "any"
        except OSError:
            iface = f"ifindex {ifindex}"
        table[inode] = SocketInfo("PACKET", iface)
    return table


def _fdinfo(pid: int, fd: int) -> tuple[int | None, int | None]:
    try:
        with open(proc_path(pid, "fdinfo", str(fd))) as f:
            text = f.read()
    except OSError:
        return None, None
    pos = flags = None
    for line in text.splitlines():
        if line.startswith("pos:"):
            pos = int(line.split()[1])
        elif line.startswith("flags:"):
            flags = int(line.split()[1], 8)
    return pos, flags


def _mode(flags: int | None) -> str:
    if flags is None:
        return ""
    return {os.O_RDONLY: "r", os.O_WRONLY: "w", os.O_RDWR: "rw"}.get(flags & os.O_ACCMODE, "?")


def _kind(pid: int, fd: int, target: str) -> str:
    if target.startswith("socket:["):
        return "socket"
    if target.startswith("pipe:["):
        return "pipe"
    if target.startswith("anon_inode:"):
        return "anon"
    try:
        st = os.stat(proc_path(pid, "fd", str(fd)))
    except OSError:
        return "file"  # the file was deleted or sits behind a mount we cannot reach
    if stat.S_ISDIR(st.st_mode):
        return "dir"
    if stat.S_ISCHR(st.st_mode):
        return "chr"
    if stat.S_ISBLK(st.st_mode):
        return "blk"
    if stat.S_ISFIFO(st.st_mode):
        return "fifo"
    if stat.S_ISREG(st.st_mode):
        return "file"
    return "other"


def _inode(target: str) -> int | None:
    try:
        return int(target[target.index("[") + 1:target.index("]")])
    except ValueError:
        return None


def _pipe_holders(inodes: set[int], skip_pid: int) -> dict[int, list[tuple[int, int]]]:
    """inode -> (pid, fd) of other processes that hold the same pipe (the other end, usually);
    ``skip_pid`` and the /proc entries are /proc's numbers, the pids given back syscope's (a holder
    outside syscope's pid namespace has none there and is left out)."""
    found: dict[int, list[tuple[int, int]]] = {}
    if not inodes:
        return found
    ours = proc_is_ours()
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit() or int(entry.name) == skip_pid:
            continue
        try:
            fds = os.listdir(os.path.join(entry.path, "fd"))
        except OSError:
            continue  # gone or not ours to read: it simply does not show as a holder
        for fdname in fds:
            try:
                link = os.readlink(os.path.join(entry.path, "fd", fdname))
            except OSError:
                continue
            if link.startswith("pipe:["):
                ino = _inode(link)
                holder = int(entry.name) if ours else from_proc(int(entry.name))
                if ino in inodes and holder:
                    found.setdefault(ino, []).append((holder, int(fdname)))
    return found


def list_fds(pid: int, peers: bool = True) -> list[FdInfo]:
    """The open fds of the process syscope's pid namespace calls ``pid`` (procs.py); raises
    NoSuchProcess / AccessDenied for the whole process."""
    proc = to_proc(pid)  # the /proc entry it is read by
    try:
        names = os.listdir(proc_path(proc, "fd"))
    except OSError as exc:
        raise os_error(exc, pid, "the open files") from None
    out: list[FdInfo] = []
    sockets: dict[int, SocketInfo] | None = None
    for name in sorted(names, key=int):
        fd = int(name)
        try:
            target = os.readlink(proc_path(proc, "fd", name))
        except PermissionError as exc:
            # Listing fd/ needs only read permission on the directory, but reading a link needs
            # ptrace read access (proc(5)); without it no fd can be described.
            raise os_error(exc, pid, "the open files") from None
        except OSError:
            continue  # closed between listdir and readlink
        pos, flags = _fdinfo(proc, fd)
        info = FdInfo(fd, _kind(proc, fd, target), target, _mode(flags), pos, flags)
        if info.kind == "socket":
            if sockets is None:
                sockets = socket_table(proc)
            ino = _inode(target)
            sock = sockets.get(ino) if ino is not None else None
            if sock is None:
                # Not in any /proc/net table (vsock, alg, a socket torn down meanwhile): the
                # kernel still names its protocol in the system.sockprotoname xattr (socket(7)).
                try:
                    proto = os.getxattr(proc_path(proc, "fd", name), "system.sockprotoname").decode()
                except OSError:
                    proto = "socket"
                sock = SocketInfo(proto.rstrip("\0"))
            info.socket = sock
        out.append(info)
    if not os.path.exists(proc_path(proc)):
        raise NoSuchProcess(f"process {pid} is gone")
    if peers:
        pipes = {i for i in (_inode(f.target) for f in out if f.kind == "pipe") if i is not None}
        holders = _pipe_holders(pipes, proc)
        for f in out:
            if f.kind == "pipe":
                f.peers = tuple(holders.get(_inode(f.target) or -1, ()))
    return out
