"""Sockets: types and protocols, addresses, option names and values, messages."""

from __future__ import annotations

import socket
import struct
from typing import Any

from syscope.decode import cformat as c
from syscope.decode import fmt, msg, sockaddr
from syscope.decode.base import DecoderBase
from syscope.decode.fmt import hexnum as _hex
from syscope.decode.fmt import ptr as _ptr
from syscope.decode.fmt import s32 as _s32
from syscope.decode.kinds.bpf_filter import fprog_printer, fprog_size, program_printer
from syscope.decode.kinds.net_packet import getsockopt_printer, setsockopt_printer
from syscope.decode.kinds.scalar import field_and_flags, signed32
from syscope.decode.registry import ArgFn, Memory, RetFn, register, returns, spec, store, word_size
from syscope.decode.registry import read_struct as _read_struct
from syscope.events import SyscallEvent
from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

# UIO_MAXIOV (linux/uio.h): strace prints no more of an mmsghdr vector (IOV_MAX)
_IOV_MAX = 1024
# sizeof(struct sockaddr_storage) (linux/socket.h): the most of a socket address strace reads
_SOCKADDR_STORAGE = 128


def _msghdr(d: DecoderBase, ev: SyscallEvent, mem: Memory, i: int, addr: int, word: int, data_len: int | None,
            arch: str, namelen_in: int | None = None) -> tuple[str, dict[str, Any] | None]:
    """A struct msghdr's text and its structured value, from the same reads: ``msg_name`` a
    SockAddr (None when absent or unread), ``msg_iov`` as readv's ``[{iov_base, iov_len}]``
    (None when unread), ``msg_flags`` as names, the lengths as ints; None when unreadable."""
    # struct msghdr (linux/socket.h user_msghdr): name, namelen, iov, iovlen, control,
    # controllen, flags; pointers and size_t are words, namelen/flags ints.  data_len is the
    # byte count received (recvmsg), None for a message sent.
    fields = _read_struct(mem, addr, "<QI4xQQQQi" if word == 8 else "<IIIIIIi")
    if fields is None:
        return _ptr(addr), None
    name, namelen, iov, iovlen, control, controllen, flags = fields
    namelen = _s32(namelen)  # an int (strace prints it and compares it signed)
    name_v = None
    # recvmsg: the kernel wrote no more than the caller's buffer held (the length it returns
    # is the address's full size), strace decodes that much (print_struct_msghdr); fewer
    # bytes than a family is the address (decode_sockaddr), as is a name it cannot read
    shown = namelen_in if namelen_in is not None and namelen > namelen_in else namelen
    data = mem.read(name, min(shown, _SOCKADDR_STORAGE)) if name and shown >= 2 else None
    if not name:
        name_s = "NULL"
    elif data is None or len(data) < min(shown, _SOCKADDR_STORAGE):
        name_s = _ptr(name)
    else:
        name_s = sockaddr.sockaddr(data, arch, d.xs, d.opts.xflag, lambda fd: d.fd_or_num(ev, fd),
                               lambda p: d.pid(ev, p))
        name_v = sockaddr.sockaddr_value(data, arch)
    nl = f"{namelen_in} => {namelen}" if namelen_in is not None and namelen_in != namelen else str(namelen)
    # d.iov keeps the array it read as argument i's value: it becomes msg_iov of the struct's.
    # A message named to or from a netlink address carries netlink messages: strace's
    # print_struct_msghdr decodes each buffer by decode_netlink for the descriptor's protocol
    # (iov_decode_netlink) when msg_name's family is AF_NETLINK
    nl_decode = _netlink_iov(d, ev, mem, arch) if name_v is not None and name_v.family == "AF_NETLINK" else None
    iov_s = d.iov(mem, iov, iovlen, word, data_len, ev, i, decode=nl_decode)
    iov_v = ev.arg_values.pop(i, None) if ev.arg_values else None
    parts = [f"msg_name={name_s}", f"msg_namelen={nl}", f"msg_iov={iov_s}", f"msg_iovlen={iovlen}"]
    if controllen:
        clen = min(controllen, msg.optmem_max())
        cdata = mem.read(control, clen) if control and clen >= word + 8 else None
        if cdata is None or len(cdata) < clen:
            parts.append(f"msg_control={_ptr(control)}")
        else:
            parts.append("msg_control=" + msg.cmsgs(cdata, word, arch, lambda fd: d.fd_or_num(ev, fd),
                                                     d.opts.xflag, d.xs, d.limit, control, controllen,
                                                     lambda p: d.pid(ev, p)))
    parts.append(f"msg_controllen={controllen}")
    flag_table = fmt.flags(arch, 'msg_flags', d.xs)
    parts.append(f"msg_flags={flag_table(flags & 0xFFFFFFFF)}")
    value = {"msg_name": name_v, "msg_namelen": namelen, "msg_iov": iov_v, "msg_iovlen": iovlen,
             "msg_controllen": controllen, "msg_flags": flag_table.names(flags & 0xFFFFFFFF)}
    return "{" + ", ".join(parts) + "}", value


def _netlink_iov(d: DecoderBase, ev: SyscallEvent, mem: Memory, arch: str) -> Callable[[int, int], str]:
    """decode_netlink of a message buffer, for the protocol of the call's socket (argument 0;
    -1, headers only, when it is not known)."""
    from syscope.decode.kinds.netlink import netlink_text
    from syscope.decode.netlink import sock
    from syscope.decode.pidns import proc_pid

    fam = sock.family(proc_pid(ev.pid), ev.raw_args[0] & 0xFFFFFFFF)
    return lambda addr, length: netlink_text(d, ev, mem, arch, -1 if fam is None else fam, addr, length)


def _mmsgs(d: DecoderBase, ev: SyscallEvent, mem: Memory, i: int, addr: int, word: int, arch: str,
           recv: bool, namelens: list[int] | None) -> tuple[str, list[dict[str, Any]] | None]:
    """sendmmsg(2)/recvmmsg(2): ``[{msg_hdr={...}, msg_len=3}, ...]`` as strace's decode_mmsgvec:
    recvmmsg's messages received, sendmmsg's vector whether the call failed or not, a msg_len
    for each message the call handled (its result); no more than -s of them (unless -v), nor
    than UIO_MAXIOV, nor than recvmmsg's entry half could read (namelens: each message's
    msg_namelen before the call); ``... /* ADDR */`` where the vector stops being readable.
    struct mmsghdr is a msghdr then an unsigned int, word-aligned.  The structured value:
    ``[{"msg_hdr": <msghdr value>, "msg_len": n}, ...]`` for the messages printed (msg_len None
    for one the call did not handle)."""
    done = ev.retval if ev.errno is None and ev.retval else 0
    vlen = done if recv else ev.raw_args[i + 1] & 0xFFFFFFFF
    count = min(_IOV_MAX, len(namelens)) if namelens is not None else _IOV_MAX
    hsize, size = (56, 64) if word == 8 else (28, 32)
    items: list[str] = []
    values: list[dict[str, Any]] = []
    for k in range(vlen):
        cur = addr + k * size
        raw = mem.read(cur, size)
        if raw is None or len(raw) < size:
            if not k:
                return _ptr(addr), None
            items.append(f"... /* {_ptr(cur)} */")
            break
        if k >= d.limit or k >= count:  # print_array's -s elements, then print_struct_mmsghdr's count
            items.append("...")
            break
        mlen = struct.unpack_from("<I", raw, hsize)[0]
        hdr, hdr_v = _msghdr(d, ev, mem, i, cur, word, mlen if recv else None, arch,
                             namelens[k] if namelens is not None else None)
        items.append(f"{{msg_hdr={hdr}, msg_len={mlen}}}" if k < done else f"{{msg_hdr={hdr}}}")
        values.append({"msg_hdr": hdr_v, "msg_len": mlen if k < done else None})
    return "[" + ", ".join(items) + "]", values


def _socktype(arch: str, i: int, kind: str) -> Callable[[SyscallEvent], Any]:
    ty, rest = fmt.enum(arch, "socket_type"), fmt.flags(arch, "socket_type_flags")

    def value(ev: SyscallEvent) -> tuple[str, ...]:
        v = ev.raw_args[i] & 0xFFFFFFFF
        return field_and_flags(ty.get(v & 0xF) or f"{v & 0xF:#x}", rest, v, 0xF)
    return value


def _socktype_verbose(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    ty, rest = fmt.enum(arch, "socket_type"), fmt.flags(arch, "socket_type_flags")

    def socktype(ev: SyscallEvent, mem: Memory) -> str:
        # type and flags each as their own number (strace prints two comments)
        v = ev.raw_args[i] & 0xFFFFFFFF
        t = f"{_hex(v & 0xF)} /* {ty(v & 0xF)} */" if ty.get(v & 0xF) else _hex(v & 0xF)
        return t + (f"|{v & ~0xF:#x} /* {rest(v & ~0xF)} */" if v & ~0xF else "")
    return socktype


def _socktype_raw(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    def raw_socktype(ev: SyscallEvent, mem: Memory) -> str:
        v = ev.raw_args[i] & 0xFFFFFFFF
        return _hex(v & 0xF) + (f"|{v & ~0xF:#x}" if v & ~0xF else "")
    return raw_socktype


# C form: the type (the low 4 bits) by name, then the flags (fmt.field_flags); a type without a
# name and bits without one are given back to this builder
@register("socktype", scalar=True, xlat="hex", verbose=_socktype_verbose, raw=_socktype_raw,
          value=_socktype, c=lambda d, i, arch, kind: c.field_flags_op(
              fmt.enum(arch, "socket_type"), fmt.flags(arch, "socket_type_flags"), i, 0xF))
def build_socktype(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    ty = fmt.enum(arch, "socket_type")
    rest = fmt.flags(arch, "socket_type_flags")

    def socktype(ev: SyscallEvent, mem: Memory) -> str:
        v = ev.raw_args[i] & 0xFFFFFFFF
        return fmt.field_flags(ty(v & 0xF), rest, v, 0xF)
    return socktype


# the protocol's table by the socket's domain (socket(2): the protocol numbers are the domain's;
# strace's net.c SYS_FUNC(socket), which picks it by the whole register); another domain's
# protocol prints as a number
_PROTOCOLS = {"AF_INET": "ipproto", "AF_INET6": "ipproto", "AF_NETLINK": "netlink_proto"}
# ... which strace prints as a number too (its default case); strace has tables for AF_PACKET's
# (htons(ETH_P_...)), AF_BLUETOOTH's, AF_CAN's... that this decoder prints as numbers: those
# domains are left out of the C lines, which would repeat that
_PROTOCOL_NUMBERS = ("AF_UNIX",)


@register("sockproto", scalar=True, xlat="hex", value=signed32)
def build_sockproto(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    fam = {n: v for v, n in fmt.consts(arch).get("socket_family", [])}
    by_family = {fam.get(af): fmt.enum(arch, table) for af, table in _PROTOCOLS.items()}

    def sockproto(ev: SyscallEvent, mem: Memory) -> str:
        en = by_family.get(ev.raw_args[0])
        v = _s32(ev.raw_args[i])
        return en(v) if en is not None else str(v)
    return sockproto


def socket_c_plans(d: DecoderBase, arch: str, name: str) -> list[c.CPlan]:
    """The tracer's C lines of socket(2) (decode/cformat.py): its row's kinds, the protocol by
    its domain's table (build_sockproto), a plan per domain chosen by the domain's register:
    those with a table and those whose protocol is a number (_PROTOCOL_NUMBERS).  Other
    domains, and a protocol without a name in its table, are the builders' to print."""
    from syscope.decode.sigs import SIGS

    # the domain and the type as their kinds print them (the row's first two)
    head: list[c.COp] = []
    for i, k in enumerate(SIGS[name][0][:2]):
        ks = spec(k)
        op = ks.c(d, i, arch, k) if ks is not None and ks.c is not None else None
        if op is None:
            return []
        head.append(op)
    fam = {n: v for v, n in fmt.consts(arch).get("socket_family", [])}
    ret = c.fd_ret(d)
    plans = [c.CPlan(name, (*head, c.enum_op(fmt.enum(arch, table), 2, c.INT)), ret, (0, c.ALL, fam[af]))
             for af, table in _PROTOCOLS.items() if af in fam]
    return plans + [c.CPlan(name, (*head, c.COp(c.D32, 2, mask=c.INT)), ret, (0, c.ALL, fam[af]))
                    for af in _PROTOCOL_NUMBERS if af in fam]


@register("msghdr", stores=True)
def build_msghdr(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    word = word_size(arch)

    def msghdr(ev: SyscallEvent, mem: Memory) -> str:
        text, value = _msghdr(d, ev, mem, i, ev.raw_args[i], word, None, arch)
        if value is not None:
            store(ev, i, value)
        return text
    return msghdr


# C form: the families whose layout the extension knows (AF_UNIX, AF_INET, AF_INET6), the others
# given back to this builder; the address's length is argument N (the kind's ":N")
# aux: AF_NETLINK's nl_pid printed as a number (no --pidns-translation: DecoderBase.pid)
@register("sockaddr", stores=True, c=lambda d, i, arch, kind: c.COp(
    c.SOCKADDR, i, param=int(kind[9:]), aux=int(d.pidns is None),
    tables=(c.enum_table(fmt.enum(arch, "socket_family")),)))
def build_sockaddr(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    n = int(kind[9:])

    def sockaddr_in(ev: SyscallEvent, mem: Memory) -> str:
        addr, ln = ev.raw_args[i], _s32(ev.raw_args[n])
        if not addr:
            return "NULL"
        # strace decode_sockaddr: fewer than 2 bytes, or a length it cannot read whole, is the
        # address; at most a struct sockaddr_storage (128 bytes) is read
        ln = min(ln, 128)
        data = mem.read(addr, ln) if ln >= 2 else None
        if data is None or len(data) < ln:
            return _ptr(addr)
        store(ev, i, sockaddr.sockaddr_value(data, arch))
        return sockaddr.sockaddr(data, arch, d.xs, d.opts.xflag, lambda fd: d.fd_or_num(ev, fd),
                             lambda p: d.pid(ev, p))
    return sockaddr_in


@register("sockopt_name", scalar=True, xlat="hex")
def build_sockopt_name(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    lv = {n: v for v, n in fmt.consts(arch).get("sockopt_level", [])}
    # option names by level (socket(7), tcp(7))
    by_level = {lv.get("SOL_SOCKET"): fmt.enum(arch, "sol_socket"),
                lv.get("SOL_TCP"): fmt.enum(arch, "sol_tcp"), lv.get("SOL_IP"): fmt.enum(arch, "sol_ip"),
                lv.get("SOL_IPV6"): fmt.enum(arch, "sol_ipv6"),
                lv.get("SOL_NETLINK"): fmt.enum(arch, "sol_netlink"),
                lv.get("SOL_PACKET"): fmt.enum(arch, "sol_packet"), lv.get("SOL_RAW"): fmt.enum(arch, "sol_raw")}

    sol_socket = lv.get("SOL_SOCKET")
    attach_filter = {n: v for v, n in fmt.consts(arch).get("sol_socket", [])}.get("SO_ATTACH_FILTER")

    def sockopt_name(ev: SyscallEvent, mem: Memory) -> str:
        v = ev.raw_args[i] & 0xFFFFFFFF
        level = ev.raw_args[1] & 0xFFFFFFFF
        if v == attach_filter and level == sol_socket and ev.name == "getsockopt":
            # its getsockopt(2) alias (asm-generic/socket.h SO_GET_FILTER; strace's getsock_options)
            return "SO_GET_FILTER"
        en = by_level.get(level)
        return en(v) if en is not None else str(_s32(v))
    return sockopt_name


def _sol_socket(arch: str) -> tuple[int | None, dict[str, int], frozenset[int]]:
    """SOL_SOCKET's value, its option values by name, and the options whose value is an int
    (strace net.c: "All known int-like options")."""
    lv = {n: v for v, n in fmt.consts(arch).get("sockopt_level", [])}
    so = {n: v for v, n in fmt.consts(arch).get("sol_socket", [])}
    ints = frozenset(v for v, _n in fmt.consts(arch).get("sol_socket_int", []))
    return lv.get("SOL_SOCKET"), so, ints


def _hexstr(d: DecoderBase, mem: Memory, addr: int, ln: int) -> str:
    """``"\\x01\\x00"``: bytes as strace's printstr_ex(QUOTE_FORCE_HEX), cut at -s."""
    n = min(ln, d.slimit)
    data = mem.read(addr, n) if addr else None
    if data is None or len(data) < n:
        return _ptr(addr)
    return '"' + fmt.quote(data, 2) + '"' + ("..." if ln > n else "")


def _int_at(mem: Memory, addr: int, show: Callable[[int], str] = str) -> str:
    got = _read_struct(mem, addr, "<i")
    return _ptr(addr) if got is None else f"[{show(got[0])}]"


def _txrehash(d: DecoderBase, arch: str) -> Callable[[int], str]:
    """SO_TXREHASH's value, a SOCK_TXREHASH_* constant printed as a decimal xval (strace
    print_txrehash: printxval_d)."""
    en = fmt.enum(arch, "sock_txrehash")

    def show(v: int) -> str:
        name = en.get(v)
        if d.xs == 2:
            return str(v)
        if name is None:
            return f"{v} /* SOCK_TXREHASH_??? */"
        return f"{v} /* {name} */" if d.xs == 1 else name
    return show


def _mreq_options(arch: str) -> dict[tuple[int, int], int]:
    """(level, option) -> address family of the multicast requests setsockopt takes: struct
    ip_mreq for IP_ADD/DROP_MEMBERSHIP (ip(7)), struct ipv6_mreq for IPV6_ADD/DROP_MEMBERSHIP
    and IPV6_JOIN/LEAVE_ANYCAST (ipv6(7))."""
    c = fmt.consts(arch)
    lv = {n: v for v, n in c.get("sockopt_level", [])}
    out: dict[tuple[int, int], int] = {}
    # MCAST_JOIN/LEAVE_GROUP take a struct group_req at either level (rfc3678): "family" 0
    groups = ("MCAST_JOIN_GROUP", "MCAST_LEAVE_GROUP")
    for level, table, names, family in (
            ("SOL_IP", "sol_ip", ("IP_ADD_MEMBERSHIP", "IP_DROP_MEMBERSHIP"), socket.AF_INET),
            ("SOL_IPV6", "sol_ipv6", ("IPV6_ADD_MEMBERSHIP", "IPV6_DROP_MEMBERSHIP", "IPV6_JOIN_ANYCAST",
                                      "IPV6_LEAVE_ANYCAST"), socket.AF_INET6)):
        for v, n in c.get(table, []):
            if n in names and level in lv:
                out[lv[level], v] = family
            elif n in groups and level in lv:
                out[lv[level], v] = 0
    return out


def _ifindex(idx: int) -> str:
    try:
        return f'if_nametoindex("{socket.if_indextoname(idx)}")'
    except OSError:
        return str(idx)


def _mreq(mem: Memory, addr: int, ln: int, family: int, arch: str, d: DecoderBase) -> str:
    """strace's print_mreq/print_mreq6/print_group_req: shorter than the struct is the address."""
    # struct group_req (linux/in.h): u32 interface, then a sockaddr_storage aligned as a long
    word = word_size(arch)
    size = 8 if family == socket.AF_INET else 20 if family == socket.AF_INET6 else word + 128
    raw = mem.read(addr, size) if ln >= size else None
    if raw is None or len(raw) < size:
        return _ptr(addr)
    if family == socket.AF_INET:
        group, iface = (socket.inet_ntop(socket.AF_INET, raw[k:k + 4]) for k in (0, 4))
        return f'{{imr_multiaddr=inet_addr("{group}"), imr_interface=inet_addr("{iface}")}}'
    if not family:
        gr = sockaddr.sockaddr(raw[word:], arch, d.xs, d.opts.xflag)
        return f"{{gr_interface={_ifindex(struct.unpack_from('<I', raw)[0])}, gr_group={gr}}}"
    group = socket.inet_ntop(socket.AF_INET6, raw[:16])
    idx = struct.unpack_from("<I", raw, 16)[0]
    return f'{{inet_pton(AF_INET6, "{group}", &ipv6mr_multiaddr), ipv6mr_interface={_ifindex(idx)}}}'


@register("sockopt_val")
def build_sockopt_val(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    sol_socket, so, ints = _sol_socket(arch)
    txrehash = _txrehash(d, arch)
    mreqs = _mreq_options(arch)

    filters = {so.get("SO_ATTACH_FILTER"), so.get("SO_ATTACH_REUSEPORT_CBPF")}
    fprog = fprog_printer(d, arch, "sock")
    packet_raw = setsockopt_printer(d, arch)

    def sockopt_val(ev: SyscallEvent, mem: Memory) -> str:
        # strace print_setsockopt(): the length is an int
        addr, ln = ev.raw_args[i], _s32(ev.raw_args[4])
        level, name = ev.raw_args[1] & 0xFFFFFFFF, ev.raw_args[2] & 0xFFFFFFFF
        text = packet_raw(mem, level, name, addr, ln) if addr else None
        if text is not None:
            return text
        if addr and (level, name) in mreqs:
            return _mreq(mem, addr, ln, mreqs[level, name], arch, d)
        if level == sol_socket and name in filters:
            # a struct sock_fprog when the length is exactly its size (kinds/bpf_filter.py)
            return fprog(mem, addr) if ln == fprog_size(arch) else _ptr(addr)
        if addr and level == sol_socket:
            if name == so.get("SO_LINGER"):
                got = _read_struct(mem, addr, "<ii") if ln >= 8 else None  # struct linger (socket(7))
                return _ptr(addr) if got is None else f"{{l_onoff={got[0]}, l_linger={got[1]}}}"
            if name in ints:
                return _ptr(addr) if ln < 4 else _int_at(mem, addr)
            if name == so.get("SO_TXREHASH"):
                return _ptr(addr) if ln < 4 else _int_at(mem, addr, txrehash)
        if ln == 4:
            return _int_at(mem, addr) if addr else "NULL"
        return d.buf(mem, addr, ln & 0xFFFFFFFF) if addr else "NULL"
    return sockopt_val


# C form: the families the extension knows, as the input's; the length the call returned is
# argument N's value, cut to its value at the entry stop, which the extension reads there (the
# slot's inlen, _stops.c: so the calls with a ">socklen" are kept from their entry stop)
@register("sockaddr", out=True, stores=True, c=lambda d, i, arch, kind: c.COp(
    c.SOCKADDR_OUT, i, param=int(kind[9:]), aux=int(d.pidns is None),
    tables=(c.enum_table(fmt.enum(arch, "socket_family")),)))
def build_out_sockaddr(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    n = int(kind[9:])

    def sockaddr_out(ev: SyscallEvent, mem: Memory) -> str:
        addr, lenp = ev.raw_args[i], ev.raw_args[n]
        if not addr:
            return "NULL"
        if ev.errno is not None or ev.retval is None:
            return _ptr(addr)
        got = _read_struct(mem, lenp, "<i")
        if got is None:
            return _ptr(addr)
        # strace decode_sockaddr: the length the kernel returned, cut to the caller's buffer and
        # to a struct sockaddr_storage; under 2 bytes (no sa_family: a socketpair's peer, an
        # unnamed socket) it prints the address, as it does for a read that faults
        ln = min(_s32(got[0]), d.inlen.get(mem.tid, 4096), 128)
        data = mem.read(addr, ln) if ln >= 2 else None
        if data is None or len(data) < ln:
            return _ptr(addr)
        store(ev, i, sockaddr.sockaddr_value(data, arch))
        return sockaddr.sockaddr(data, arch, d.xs, d.opts.xflag, lambda fd: d.fd_or_num(ev, fd),
                             lambda p: d.pid(ev, p))
    return sockaddr_out


@register("socklen", out=True, stores=True, c=lambda d, i, arch, kind: c.COp(c.SOCKLEN, i))
def build_out_socklen(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    def socklen(ev: SyscallEvent, mem: Memory) -> str:
        addr = ev.raw_args[i]
        if not addr:
            return "NULL"
        before = d.inlen.pop(mem.tid, None)
        got = _read_struct(mem, addr, "<i")
        if got is None:
            return _ptr(addr)
        now = got[0]
        store(ev, i, now)
        # strace prints [in => out] when the kernel changed a value-result length
        if before is not None and before != now and ev.errno is None:
            return f"[{before} => {now}]"
        return f"[{before if ev.errno is not None and before is not None else now}]"
    return socklen


@register("sockopt_oval", out=True)
def build_out_sockopt_oval(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    sol_socket, so, ints = _sol_socket(arch)
    txrehash = _txrehash(d, arch)

    program = program_printer(d, arch, "sock")
    packet_raw = getsockopt_printer(d, arch)

    def sol_socket_value(ev: SyscallEvent, mem: Memory, addr: int, name: int, rlen: int) -> str | None:
        if name == so.get("SO_ATTACH_FILTER"):
            # SO_GET_FILTER: the kernel returns the program's instruction count, an unsigned
            # short (strace print_getsockopt); the instructions as a sock_filter array
            return program(mem, addr, rlen) if rlen == rlen & 0xFFFF else _ptr(addr)
        if name == so.get("SO_PEERCRED") or name == so.get("SO_LINGER"):
            # struct ucred (unix(7)) / struct linger (socket(7)), as much as the kernel wrote
            ln = min(rlen, 12 if name == so.get("SO_PEERCRED") else 8)
            raw = mem.read(addr, ln)
            if raw is None or len(raw) < ln:
                return _ptr(addr)
            if name == so.get("SO_LINGER"):
                return fmt.int_fields_upto(("l_onoff", "l_linger"), lambda k, v: str(v), raw, ln)
            # pid (a process of the tracee's namespace: PRINT_FIELD_TGID), then uid and gid:
            # unsigned, (uid_t) -1 as -1 (strace PRINT_FIELD_ID)
            return fmt.int_fields_upto(
                ("pid", "uid", "gid"),
                lambda k, v: d.pid(ev, v) if k == 0 else str(v) if v == -1 else str(v & 0xFFFFFFFF), raw, ln)
        if name == so.get("SO_ERROR"):
            if rlen < 4:
                return _hexstr(d, mem, addr, rlen)
            got = _read_struct(mem, addr, "<I")
            if got is None:
                return _ptr(addr)
            # SO_ERROR holds an errno (socket(7)): strace names it (print_err)
            name_ = fmt.errno_text(got[0]).split()[1] if got[0] else "0"
            return f"[{name_}]" if not name_.isdigit() else f"[{got[0]}]"
        if name in ints:
            return _int_at(mem, addr) if rlen >= 4 else _hexstr(d, mem, addr, rlen)
        if name == so.get("SO_TXREHASH"):
            return _int_at(mem, addr, txrehash) if rlen >= 4 else _hexstr(d, mem, addr, rlen)
        return None

    def sockopt_oval(ev: SyscallEvent, mem: Memory) -> str:
        addr = ev.raw_args[i]
        if ev.errno is not None or ev.retval is None:
            return _ptr(addr)
        # the length the caller offered and the one the kernel wrote back (getsockopt(2));
        # strace print_getsockopt(): a length <= 0 is the address
        got = _read_struct(mem, ev.raw_args[4], "<i")
        if got is None:
            return _ptr(addr)
        rlen, ulen = got[0], d.inlen.get(mem.tid, got[0])
        if ulen <= 0 or rlen <= 0:
            return _ptr(addr)
        if addr and ev.raw_args[1] & 0xFFFFFFFF == sol_socket:
            text = sol_socket_value(ev, mem, addr, ev.raw_args[2] & 0xFFFFFFFF, rlen)
            if text is not None:
                return text
        text = packet_raw(mem, ev.raw_args[1] & 0xFFFFFFFF, ev.raw_args[2] & 0xFFFFFFFF, addr, rlen) if addr else None
        if text is not None:
            return text
        if rlen == 4:
            return _int_at(mem, addr) if addr else "NULL"
        return d.buf(mem, addr, rlen)
    return sockopt_oval


@register("rmsghdr", out=True, stores=True)
def build_out_rmsghdr(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    word = word_size(arch)
    def rmsghdr(ev: SyscallEvent, mem: Memory) -> str:
        before = d.inlen.pop(mem.tid, None)
        if ev.errno is not None or ev.retval is None:
            # strace's recvmsg: a failed call shows the name length the caller offered, when
            # the header could be read at entry
            return _ptr(ev.raw_args[i]) if before is None else f"{{msg_namelen={before}}}"
        text, value = _msghdr(d, ev, mem, i, ev.raw_args[i], word, ev.retval, arch, before)
        if value is not None:
            store(ev, i, value)
        return text
    return rmsghdr


def build_mmsg_namelens(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    """recvmmsg's entry half: each message's msg_namelen before the kernel overwrites it, for
    no more than UIO_MAXIOV messages, up to the first it cannot read (strace
    save_mmsgvec_namelen); the exit half prints ``before => after``."""
    word = word_size(arch)
    size = 64 if word == 8 else 32

    def mmsg_namelens(ev: SyscallEvent, mem: Memory) -> None:
        n = min(ev.raw_args[i + 1] & 0xFFFFFFFF, _IOV_MAX)
        raw = mem.read(ev.raw_args[i], n * size) if n and ev.raw_args[i] else None
        got = len(raw) // size if raw else 0
        # msg_namelen follows the msg_name pointer (linux/socket.h user_msghdr)
        d.kept[mem.tid, i] = [_s32(struct.unpack_from("<I", raw, k * size + word)[0]) for k in range(got)] \
            if raw else []
    return mmsg_namelens


@register("mmsg_send", "mmsg_recv", out=True, stores=True, entry=build_mmsg_namelens)
def build_out_mmsg_send(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    word = word_size(arch)
    recv = kind == "mmsg_recv"

    def mmsg(ev: SyscallEvent, mem: Memory) -> str:
        namelens = d.kept.pop((mem.tid, i), None) if recv else None
        if not ev.raw_args[i] or (recv and (ev.errno is not None or ev.retval is None)):
            return _ptr(ev.raw_args[i])
        text, value = _mmsgs(d, ev, mem, i, ev.raw_args[i], word, arch, recv, namelens)
        if value is not None:
            store(ev, i, value)
        return text
    return mmsg


@returns("mmsg_recv", reads=True)
def ret_recvmmsg(d: DecoderBase, arch: str) -> RetFn:
    lay = d.timespec(arch)  # recvmmsg_time64 on i386: taken while its plan is built

    def recvmmsg_ret(ev: SyscallEvent) -> str:
        # strace do_recvmmsg: "Timeout" for no message; with verbose on and a timeout given,
        # the time the kernel left in it ("left {...}", recvmmsg(2) updates it)
        if not ev.retval:
            return "0 (Timeout)"
        addr, mem = ev.raw_args[4], d.mem_box[0]
        if not addr or mem is None or ev.name in d.opts.no_verbose:
            return str(ev.retval)
        got = _read_struct(mem, addr, lay.st)
        left = _ptr(addr) if got is None else f"{{tv_sec={got[0]}, tv_nsec={got[1]}}}"
        return f"{ev.retval} (left {left})"
    return recvmmsg_ret
