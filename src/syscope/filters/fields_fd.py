"""sysdig's fd.* fields (libsinsp's sinsp_filtercheck_fd.cpp): the fd an event names, its
path or socket endpoints.  For a socket, the endpoints come from the call's own address (connect's
server, accept's client) and, while the socket is open, from the kernel's socket table
(/proc/PID/net/*), which also tells TCP from UDP."""

from __future__ import annotations

import ipaddress
import os
import socket as _socket
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from syscope.context import Context
from syscope.context.fds import ADDR_RE, fd_name, fd_num, fd_type
from syscope.events import Event, SyscallEvent
from syscope.filters.registry import Getter, field
from syscope.syscalls.roles import IO_READ, IO_WRITE, MSG_CALLS, SOCKADDR_CALLS

TYPECHAR = {"file": "f", "directory": "d", "ipv4": "4", "ipv6": "6", "unix": "u", "pipe": "p",
            "event": "e", "signalfd": "s", "eventpoll": "l", "inotify": "i", "timerfd": "t",
            "netlink": "n", "memfd": "m", "bpf": "b", "io_uring": "r", "pidfd": "P", "userfaultfd": "u"}

# calls whose fd name is the address they carry (connect, sendto, sendmsg's msg_name ...), and the
# ones among them that name a peer per message (sendto/recvfrom, the msghdr calls): the calls with
# a socket address role or a msghdr buffer (syscope.syscalls.roles)
_SOCK_NAMED = SOCKADDR_CALLS | MSG_CALLS
_PER_MESSAGE = _SOCK_NAMED & (IO_READ | IO_WRITE)
# the receiving end is the server: accept(2)/bind(2)/listen(2), and the reads that name their peer
_SERVER_CALLS = frozenset({"accept", "accept4", "bind", "listen"}) | (_PER_MESSAGE & IO_READ)
# calls that give the socket a (new) peer address: connect(2), and the sends that name one
_NAME_CHANGING = (_PER_MESSAGE & IO_WRITE) | {"connect"}


def type_of_name(name: str) -> str | None:
    """The fd type of a /proc/PID/fd link text."""
    if name.startswith("socket:"):
        return "ipv4"
    if name.startswith("pipe:"):
        return "pipe"
    if name.startswith("anon_inode:"):
        kind = name[len("anon_inode:"):].strip("[]")
        return {"eventfd": "event", "signalfd": "signalfd", "eventpoll": "eventpoll",
                "inotify": "inotify", "timerfd": "timerfd", "bpf-map": "bpf", "bpf-prog": "bpf",
                "io_uring": "io_uring", "pidfd": "pidfd"}.get(kind, kind)
    if name.startswith("/memfd:"):
        return "memfd"
    if name.startswith("/"):
        return "file"
    return None


def _split(addr: str | None) -> tuple[str, int] | None:
    if addr is None:
        return None
    m = ADDR_RE.match(addr)
    return (m.group(1), int(m.group(2))) if m else None


@dataclass(slots=True)
class Sock:
    proto: str | None  # "tcp", "udp", "raw", None when unknown
    local: tuple[str, int] | None
    remote: tuple[str, int] | None
    server: bool  # the local end is the server (accepted, bound, listening)
    connected: bool


class _Cache:
    __slots__ = ("ev", "val")

    def __init__(self) -> None:
        self.ev: Event | None = None
        self.val: Any = None


def _sock_table(proc_pid: int) -> dict[int, Any]:
    """The sockets of /proc's process ``proc_pid``'s network namespace, by inode."""
    from syscope.proc.fds import socket_table

    try:
        return socket_table(proc_pid)
    except OSError:
        return {}


def sock_facts(ctx: Context) -> Callable[[Event], Sock | None]:
    cache = _Cache()

    def get(ev: Event) -> Sock | None:
        if cache.ev is ev:
            return cache.val  # type: ignore[no-any-return,unused-ignore]
        cache.ev = ev
        cache.val = val = _compute(ctx, ev)
        return val

    return get


def _compute(ctx: Context, ev: Event) -> Sock | None:
    if not isinstance(ev, SyscallEvent):
        return None
    name = event_fd_name(ev, ctx)
    t = _typ(ev, ctx)
    if t not in ("ipv4", "ipv6"):
        return None
    addr = _split(name)
    server = ev.name in _SERVER_CALLS
    local = remote = None
    proto = None
    connected = ev.name in ("connect", "accept", "accept4")
    if addr is not None:
        if ev.name == "bind":
            local = addr
        else:
            remote = addr
    n = ev.raw_args[0] & 0xFFFFFFFF if ev.name in _DUPS and ev.raw_args else fd_num(ev)
    if ctx.live and n is not None and n >= 0:
        try:
            link = os.readlink(f"{ctx.proc_dir(ev.pid)}/fd/{n}")
        except OSError:
            link = ""
        if link.startswith("socket:["):
            info = _sock_table(ctx.proc_pid(ev.pid)).get(int(link[8:-1]))
            if info is not None:
                proto = info.proto.lower().rstrip("6")
                lo, re_ = _split(info.local), _split(info.remote)
                local = lo or local
                if re_ is not None and re_[1] != 0:
                    remote = re_
                    connected = True
                if info.state == "LISTEN":
                    server = True
    if proto is None:
        # the socket is gone (or a replay): accept(2)/listen(2) exist only for stream sockets;
        # a datagram socket names its peer per message (sendto/recvfrom/sendmsg/recvmsg); a
        # connect(2) is taken as TCP, its usual use
        if ev.name in ("connect", "accept", "accept4", "listen"):
            proto = "tcp"
        elif addr is not None and ev.name in _PER_MESSAGE:
            proto = "udp"
    return Sock(proto, local, remote, server, connected)


def _ip(a: tuple[str, int] | None) -> str | None:
    return a[0] if a else None


def _port(a: tuple[str, int] | None) -> int | None:
    return a[1] if a else None


def _role(which: str) -> Callable[[Sock], tuple[str, int] | None]:
    # client/server: the server end is the local one when this side accepted or listens
    if which == "l":
        return lambda s: s.local
    if which == "r":
        return lambda s: s.remote
    if which == "s":
        return lambda s: s.local if s.server else s.remote
    return lambda s: s.remote if s.server else s.local


def _on_sock(get: Callable[[Sock], Any]) -> Callable[[Context, str | None], Getter]:
    def make(ctx: Context, arg: str | None) -> Getter:
        sf = sock_facts(ctx)

        def g(ev: Event) -> Any:
            s = sf(ev)
            return None if s is None else get(s)
        return g
    return make


def _on_syscall(get: Callable[[SyscallEvent, Context], Any]) -> Callable[[Context, str | None], Getter]:
    def make(ctx: Context, arg: str | None) -> Getter:
        return lambda ev: get(ev, ctx) if isinstance(ev, SyscallEvent) else None
    return make


def _inet_socket(ev: SyscallEvent, ctx: Context, name: str | None) -> Any:
    """The kernel's facts of a ``socket:[INODE]`` fd (/proc/PID/net/*), or None (not an inet
    socket, or gone)."""
    if name is None or not name.startswith("socket:[") or not ctx.live:
        return None
    try:
        return _sock_table(ev.pid).get(int(name[8:-1]))
    except ValueError:
        return None


_DUPS = frozenset({"dup", "dup2", "dup3"})


def event_fd_name(ev: SyscallEvent, ctx: Context) -> str | None:
    """The name of the fd the event is about: for dup(2) and kin the fd duplicated (libsinsp's
    fdinfo of a dup is its oldfd's), else the call's path, address or fd."""
    if ev.name in _DUPS and ev.raw_args:
        return ctx.fd_name(ev.pid, ev.raw_args[0] & 0xFFFFFFFF)
    return fd_name(ev, ctx)


def _name(ev: SyscallEvent, ctx: Context) -> str | None:
    name = event_fd_name(ev, ctx)
    info = _inet_socket(ev, ctx, name)
    if info is not None and info.local:
        # as sysdig names a connected socket: local->remote
        return f"{info.local}->{info.remote}" if info.remote and not info.remote.endswith(":0") \
            else info.local
    return name


def _typ(ev: SyscallEvent, ctx: Context) -> str | None:
    name = event_fd_name(ev, ctx)
    # a call that carries an address (_SOCK_NAMED) is typed from that address
    if name is not None and name.startswith("socket:[") and ev.name not in _SOCK_NAMED:
        info = _inet_socket(ev, ctx, name)
        if info is None:
            return "unix" if ctx.live else fd_type(name, ev)
        return "ipv6" if info.proto.endswith("6") else "ipv4"
    if name is not None and ADDR_RE.match(name):
        # an address the fd table kept from connect/accept/bind
        return "ipv6" if ":" in name.rsplit(":", 1)[0] else "ipv4"
    return fd_type(name, ev)


field("fd.num", "int", "the fd number the event names")(_on_syscall(lambda ev, ctx: fd_num(ev)))
field("fd.name", "str", "the full name of the fd: a path, or ip:port for a socket")(_on_syscall(_name))
field("fd.nameraw", "str", "the name as the call passed it, before making it absolute")(
    _on_syscall(lambda ev, ctx: ev.paths[0] if ev.paths else fd_name(ev, ctx)))
field("fd.type", "str", "the fd type: file, directory, ipv4, ipv6, unix, pipe, event, ...")(_on_syscall(_typ))
field("fd.typechar", "str", "the fd type as one letter (f, d, 4, 6, u, p, e, ...)")(
    _on_syscall(lambda ev, ctx: None if (t := _typ(ev, ctx)) is None else TYPECHAR.get(t, "o")))


def _dir(ev: SyscallEvent, ctx: Context) -> str | None:
    n = fd_name(ev, ctx)
    if not n or not n.startswith("/"):
        return None
    if _typ(ev, ctx) == "directory":
        return n
    return os.path.dirname(n) or "/"


field("fd.directory", "str", "the directory of a file fd (the fd itself for a directory)")(_on_syscall(_dir))
field("fd.filename", "str", "the file name of a file fd, without its directory")(
    _on_syscall(lambda ev, ctx: os.path.basename(n) if (n := fd_name(ev, ctx)) and n.startswith("/")
                and _typ(ev, ctx) == "file" else None))
def _container(ev: SyscallEvent, ctx: Context) -> str:
    p = ctx.proc(ev.pid)
    return p.container if p is not None else "host"


field("fd.containername", "str", "container.id:fd.name")(
    _on_syscall(lambda ev, ctx: None if (n := fd_name(ev, ctx)) is None else f"{_container(ev, ctx)}:{n}"))
field("fd.containerdirectory", "str", "container.id:fd.directory")(
    _on_syscall(lambda ev, ctx: None if (d := _dir(ev, ctx)) is None else f"{_container(ev, ctx)}:{d}"))


def _dev(ev: SyscallEvent, ctx: Context) -> os.stat_result | None:
    n = fd_name(ev, ctx)
    if not n or not n.startswith("/") or not ctx.live:
        return None
    try:
        return os.stat(n)
    except OSError:
        return None


field("fd.ino", "int", "the inode number of a file fd")(
    _on_syscall(lambda ev, ctx: None if (s := _dev(ev, ctx)) is None else s.st_ino))
field("fd.dev", "int", "the device number of a file fd's filesystem")(
    _on_syscall(lambda ev, ctx: None if (s := _dev(ev, ctx)) is None else s.st_dev))
field("fd.dev.major", "int", "the major device number")(
    _on_syscall(lambda ev, ctx: None if (s := _dev(ev, ctx)) is None else os.major(s.st_dev)))
field("fd.dev.minor", "int", "the minor device number")(
    _on_syscall(lambda ev, ctx: None if (s := _dev(ev, ctx)) is None else os.minor(s.st_dev)))

for _w, _who in (("c", "client"), ("s", "server"), ("l", "local"), ("r", "remote")):
    field(f"fd.{_w}ip", "ip", f"the {_who} IP address")(
        (lambda r: _on_sock(lambda s: _ip(r(s))))(_role(_w)))
    field(f"fd.{_w}port", "int", f"the {_who} port")(
        (lambda r: _on_sock(lambda s: _port(r(s))))(_role(_w)))
    field(f"fd.{_w}net", "ipnet", f"the {_who} IP, compared with networks (a.b.c.d/n)")(
        (lambda r: _on_sock(lambda s: _ip(r(s))))(_role(_w)))
    field(f"fd.{_w}proto", "str", f"the {_who} port's service name (services(5))")(
        (lambda r: _on_sock(lambda s: _service(r(s), s.proto)))(_role(_w)))
    # libsinsp resolves names from the DNS answers it saw; syscope has none: absent
    field(f"fd.{_w}ip.name", "str", f"the domain name of the {_who} IP (absent: no DNS tracking)")(
        lambda ctx, arg: lambda ev: None)


def _service(a: tuple[str, int] | None, proto: str | None) -> str | None:
    if a is None:
        return None
    try:
        return _socket.getservbyport(a[1], proto or "tcp")
    except OSError:
        return str(a[1])


field("fd.ip", "ip", "an IP of the connection (client or server)")(
    _on_sock(lambda s: [x[0] for x in (s.local, s.remote) if x]))
field("fd.port", "int", "a port of the connection (client or server)")(
    _on_sock(lambda s: [x[1] for x in (s.local, s.remote) if x]))
field("fd.net", "ipnet", "an IP of the connection, compared with networks")(
    _on_sock(lambda s: [x[0] for x in (s.local, s.remote) if x]))
field("fd.proto", "str", "the service name of the server port")(
    _on_sock(lambda s: _service(s.local if s.server else s.remote, s.proto)))
field("fd.l4proto", "str", "the layer-4 protocol of a socket: tcp, udp, raw (unknown once closed)")(
    _on_sock(lambda s: s.proto))
field("fd.is_server", "bool", "the process is the server end of the connection")(_on_sock(lambda s: s.server))
field("fd.connected", "bool", "the socket is connected")(_on_sock(lambda s: s.connected))
field("fd.sockfamily", "str", "the socket family: ip or unix")(
    _on_syscall(lambda ev, ctx: {"ipv4": "ip", "ipv6": "ip", "unix": "unix"}.get(_typ(ev, ctx) or "")))
field("fd.name_changed", "bool", "the call gave the socket a (new) address (sendto/sendmsg with one)")(
    _on_syscall(lambda ev, ctx: bool(ev.paths) and ev.name in _NAME_CHANGING))


def ip_matches_net(value: str, net: str) -> bool:
    try:
        return ipaddress.ip_address(value) in ipaddress.ip_network(net, strict=False)
    except ValueError:
        return False


def _fd_layer(ev: SyscallEvent, ctx: Context) -> str | None:
    n = fd_name(ev, ctx)
    if not n or not n.startswith("/") or not ctx.live:
        return None
    from syscope.filters.procx import exe_layer

    return exe_layer(ctx.proc_dir(ev.pid), n)


field("fd.is_upper_layer", "bool", "the file is in the upper (writable) layer of an overlayfs")(
    _on_syscall(lambda ev, ctx: None if (lay := _fd_layer(ev, ctx)) is None else lay == "upper"))
field("fd.is_lower_layer", "bool", "the file is in the lower (image) layer of an overlayfs")(
    _on_syscall(lambda ev, ctx: None if (lay := _fd_layer(ev, ctx)) is None else lay == "lower"))
field("fd.uid", "str", "a unique id of the fd in the session: pid and fd number")(
    _on_syscall(lambda ev, ctx: None if (n := fd_num(ev)) is None else f"{ev.pid}{n}"))
field("fd.types", "list", "the types of the fds the event names")(
    _on_syscall(lambda ev, ctx: None if (t := _typ(ev, ctx)) is None else [t]))
