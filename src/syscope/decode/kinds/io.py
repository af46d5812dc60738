"""Data and descriptors in bulk: buffers, iovecs, poll/epoll/select sets, ioctl."""

from __future__ import annotations

import functools
from typing import Any

from syscope.decode import fmt, more, structs
from syscope.decode.base import DecoderBase
from syscope.decode.fmt import hexnum as _hex
from syscope.decode.fmt import ptr as _ptr
from syscope.decode.fmt import s32 as _s32
from syscope.decode.registry import ArgFn, Memory, RetFn, register, returns, store, word_size
from syscope.decode.registry import read_struct as _read_struct
from syscope.events import SyscallEvent


def _ioc(v: int) -> str:
    # asm-generic/ioctl.h: dir(2) size(14) type(8) nr(8); strace prints unknown requests this way
    d, size, typ, nr = v >> 30, (v >> 16) & 0x3FFF, (v >> 8) & 0xFF, v & 0xFF
    dirs = {0: "_IOC_NONE", 1: "_IOC_WRITE", 2: "_IOC_READ", 3: "_IOC_READ|_IOC_WRITE"}
    return f"_IOC({dirs[d]}, {_hex(typ)}, {_hex(nr)}, {_hex(size)})"



def _fdset(d: DecoderBase, mem: Memory, addr: int, nfds: int, word: int, ev: SyscallEvent | None = None) -> str:
    """``[3 5]``; with ev and -y the descriptors carry their paths (the arguments, not the
    sets select(2) returns)."""
    if not addr:
        return "NULL"
    if nfds <= 0 or nfds > 1 << 20:
        return _ptr(addr)
    # fd_set is an array of longs (select(2)); strace reads whole words covering nfds
    nbytes = (nfds + 8 * word - 1) // (8 * word) * word
    data = mem.read(addr, nbytes)
    if data is None or len(data) < nbytes:
        return _ptr(addr)
    bits = int.from_bytes(data, "little")
    if ev is not None and d.opts.decode_fds:
        return "[" + " ".join(d.fd(ev, k) for k in range(nfds) if bits >> k & 1) + "]"
    return "[" + " ".join(str(k) for k in range(nfds) if bits >> k & 1) + "]"


@register("buf", scalar=True, stores=True)
def build_buf(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    n = int(kind[4:])
    buf = d.buf  # bound once: write(2) is the hot path
    return lambda ev, mem: buf(mem, ev.raw_args[i], ev.raw_args[n], ev, i)


@register("iov", stores=True)
def build_iov(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    word = word_size(arch)
    n = int(kind[4:])
    return lambda ev, mem: d.iov(mem, ev.raw_args[i], ev.raw_args[n], word, None, ev, i)


@register("ioctl_req", scalar=True, xlat="hex")
def build_ioctl_req(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    # several requests can share a number (TCSETS is SNDCTL_TMR_START, FICLONE is
    # BTRFS_IOC_CLONE): strace names them all, "A or B" in name order
    # the commands are the tty/file ones of spec.py (plain numbers in asm/ioctls.h) and every
    # _IO* macro of the UAPI headers (tools/gen_decode.py "ioctl_cmds", as strace's ioctlent)
    return _ioctl_req(i, _ioctl_names(arch))


@functools.cache
def _ioctl_names(arch: str) -> dict[int, str]:
    by_nr: dict[int, set[str]] = {}
    for table in ("ioctl_req", "ioctl_cmds"):
        for nr, nm in fmt.consts(arch).get(table, []):
            by_nr.setdefault(nr & 0xFFFFFFFF, set()).add(nm)
    return {nr: " or ".join(sorted(nms)) for nr, nms in by_nr.items()}


def _ioctl_req(i: int, req: dict[int, str]) -> ArgFn:
    def ioctl_req(ev: SyscallEvent, mem: Memory) -> str:
        v = ev.raw_args[i] & 0xFFFFFFFF
        return req.get(v) or _ioc(v)
    return ioctl_req


@register("pollfds", stores=True)
def build_pollfds(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    o = d.opts
    def pollfds(ev: SyscallEvent, mem: Memory) -> str:
        # the structured value: [{"fd", "events", "revents"}], revents filled at exit (_revents)
        values: list[dict[str, Any]] = []
        got = more.poll_list(mem, ev.raw_args[i], ev.raw_args[1], arch, "events", False,
                             (lambda fd: d.fd(ev, fd)) if o.decode_fds else None, d.limit, values)
        if got is None:
            return _ptr(ev.raw_args[i])
        if ev.raw_args[i]:
            for v in values:
                v["revents"] = None  # not written before the call returns
            store(ev, i, values)
        return got
    return pollfds


def _revents(ev: SyscallEvent, after: list[dict[str, Any]]) -> None:
    """poll/ppoll's exit: the revents the kernel wrote, into the entry's structured value of the
    fds (argument 0, from the same read that prints them)."""
    before = ev.arg_values.get(0) if ev.arg_values else None
    if isinstance(before, list):
        for v, a in zip(before, after, strict=False):
            v["revents"] = a["revents"]


@register("epoll_event")
def build_epoll_event(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    size = more.epoll_size(arch)
    ctl_del = {n: v for v, n in fmt.consts(arch).get("epoll_ctl", [])}.get("EPOLL_CTL_DEL")

    def epoll_ev(ev: SyscallEvent, mem: Memory) -> str:
        addr = ev.raw_args[i]
        # epoll_ctl(2): EPOLL_CTL_DEL ignores the event, strace shows its address
        data = mem.read(addr, size) if addr and ev.raw_args[1] & 0xFFFFFFFF != ctl_del else None
        if data is None or len(data) < size:
            return _ptr(addr)
        return more.epoll_event(data, arch)
    return epoll_ev


@register("fdset")
def build_fdset(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    word = word_size(arch)
    n = int(kind[6:])
    return lambda ev, mem: _fdset(d, mem, ev.raw_args[i], _s32(ev.raw_args[n]), word, ev)


@register("riov_addr")
def build_riov_addr(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    word = word_size(arch)
    n = int(kind[10:])

    def riov_addr(ev: SyscallEvent, mem: Memory) -> str:
        # process_vm_readv(2)'s remote iovecs: addresses in the other process, not read
        return d.iov(mem, ev.raw_args[i], ev.raw_args[n], word, None, addrs=True)
    return riov_addr


@register("rbuf", "rstr", out=True, scalar=True, stores=True)
def build_out_rbuf(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    buf = d.buf  # bound once: read(2) is the hot path

    # the bytes the call wrote, as many as it returned
    def rbuf(ev: SyscallEvent, mem: Memory) -> str:
        if ev.errno is not None or ev.retval is None:
            return _ptr(ev.raw_args[i])
        return buf(mem, ev.raw_args[i], ev.retval, ev, i)
    return rbuf


@register("fdpair", out=True, stores=True)
def build_out_fdpair(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    o = d.opts
    def fdpair(ev: SyscallEvent, mem: Memory) -> str:
        addr = ev.raw_args[i]
        fields = _read_struct(mem, addr, "<ii") if ev.errno is None else None
        if fields is None:
            return _ptr(addr)
        a, b = fields
        store(ev, i, [a, b])
        if o.decode_fds:
            return d.arr([d.fd(ev, a), d.fd(ev, b)])
        return d.arr([str(a), str(b)])
    return fdpair


@register("ioctl_arg", out=True)
def build_out_ioctl_arg(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    reqs = {n: v for v, n in fmt.consts(arch).get("ioctl_req", [])}
    tcgets, winsz = reqs.get("TCGETS"), reqs.get("TIOCGWINSZ")
    # requests that pass a struct in: decoded whether or not the call succeeded
    tcsets = {reqs.get(n) for n in ("TCSETS", "TCSETSW", "TCSETSF")} - {None}
    swinsz = reqs.get("TIOCSWINSZ")
    # requests whose argument is a value, named by a table (ioctl_tty(2) TCFLSH, TCXONC)
    by_value = {reqs.get("TCFLSH"): fmt.enum(arch, "tcflsh"), reqs.get("TCXONC"): fmt.enum(arch, "tcxonc")}
    # requests whose argument is a plain int (TIOCSCTTY's force flag, TCSBRK's duration)
    int_value = {reqs.get(n) for n in ("TIOCSCTTY", "TCSBRK", "TCSBRKP")} - {None}
    # requests whose argument points to one int (ioctl_tty(2), ioctl_fionread)
    ints = {reqs.get(n) for n in ("FIONREAD", "TIOCGPTN", "TIOCSPTLCK", "FIONBIO", "TIOCOUTQ",
                                  "TIOCGPGRP", "TIOCSPGRP", "TIOCGSID")} - {None}
    # requests whose argument is a file descriptor (ioctl_ficlone(2))
    fd_args = {reqs.get(n) for n in ("FICLONE",)} - {None}
    # requests that take no argument: strace prints none (ioctl_tty(2), ioctl(2) FIOCLEX)
    cmds = {n: v & 0xFFFFFFFF for v, n in fmt.consts(arch).get("ioctl_cmds", [])}
    no_arg = {reqs.get(n) for n in ("FIOCLEX", "FIONCLEX", "TIOCNOTTY", "TIOCEXCL", "TIOCNXCL")} - {None}
    # fs freeze/thaw take no argument either (strace's file_ioctl.c prints none)
    no_arg |= {cmds[n] for n in ("FIFREEZE", "FITHAW") if n in cmds}
    known = {tcgets, winsz} | ints
    # a named command that moves a struct (a size in its _IOC number) takes a pointer: strace's
    # decoders print it as an address, NULL included; an unknown command's argument is a number
    pointers = {v for v in _ioctl_names(arch) if (v >> 16) & 0x3FFF and v >> 30}

    def ioctl_arg(ev: SyscallEvent, mem: Memory) -> str | None:
        addr = ev.raw_args[i]
        r: int | None = ev.raw_args[1] & 0xFFFFFFFF
        if r in no_arg:
            return None
        en = by_value.get(r)
        if en is not None:
            return en(addr & 0xFFFFFFFF)
        if r in fd_args:
            return d.fd_or_num(ev, _s32(addr))
        if r in int_value:
            return str(_s32(addr))
        if r in tcsets or r == swinsz:
            r = tcgets if r in tcsets else winsz
        elif ev.errno is not None or not addr or r not in known:
            return _ptr(addr) if r in known or r in pointers else _hex(addr)
        if r == tcgets:
            # struct termios (asm-generic/termbits.h): four flag words, c_line, c_cc[19]
            data = mem.read(addr, 16 if d.abbrev else 36)
            if data is None or len(data) < (16 if d.abbrev else 36):
                return _ptr(addr)
            return more.termios(data, arch, not d.abbrev)
        if r == winsz:
            ws = _read_struct(mem, addr, "<HHHH")
            if ws is None:
                return _ptr(addr)
            row, col, xp, yp = ws
            return f"{{ws_row={row}, ws_col={col}, ws_xpixel={xp}, ws_ypixel={yp}}}"
        got = _read_struct(mem, addr, "<i")
        return _ptr(addr) if got is None else f"[{got[0]}]"
    return ioctl_arg


@register("epoll_events", out=True)
def build_out_epoll_events(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    size = more.epoll_size(arch)

    def epoll_events(ev: SyscallEvent, mem: Memory) -> str:
        addr = ev.raw_args[i]
        if ev.errno is not None or ev.retval is None:
            return _ptr(addr)
        n = ev.retval
        data = mem.read(addr, size * n) if n else b""
        if data is None or len(data) < size * n:
            return _ptr(addr)
        return d.arr([more.epoll_event(data[k * size:], arch) for k in range(n)])
    return epoll_events


@register("riov", out=True, stores=True)
def build_out_riov(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    word = word_size(arch)
    n = int(kind[5:])

    def riov(ev: SyscallEvent, mem: Memory) -> str:
        if ev.errno is not None or ev.retval is None:
            # a failed read: the buffers' addresses (strace io.c, IOV_DECODE_ADDR on syserror)
            return d.iov(mem, ev.raw_args[i], ev.raw_args[n], word, None, addrs=True)
        return d.iov(mem, ev.raw_args[i], ev.raw_args[n], word, ev.retval, ev, i)
    return riov


@register("intp", out=True)
def build_out_intp(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    def intp(ev: SyscallEvent, mem: Memory) -> str:
        addr = ev.raw_args[i]
        got = _read_struct(mem, addr, "<i") if ev.errno is None and ev.retval is not None else None
        return _ptr(addr) if got is None else f"[{got[0]}]"
    return intp


@register("mincore", out=True)
def build_out_mincore(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    def mincore(ev: SyscallEvent, mem: Memory) -> str:
        addr = ev.raw_args[i]
        if ev.errno is not None or ev.retval is None or not addr:
            return _ptr(addr)
        # mincore(2): one byte a page of the range, bit 0 = resident
        pages = (ev.raw_args[1] + 4095) // 4096
        n = min(pages, d.opts.string_limit) if d.abbrev else pages
        data = mem.read(addr, n) if n else b""
        if data is None or len(data) < n:
            return _ptr(addr)
        items = [str(b & 1) for b in data] + (["..."] if n < pages else [])
        return "[" + ", ".join(items) + "]"
    return mincore


@returns("select")
def ret_select(d: DecoderBase, arch: str) -> RetFn:
    word = word_size(arch)
    # taken while the plan is built: _time64 (pselect6_time64) is only set then
    ts, tv = d.timespec(arch).st, structs.layout("timeval", arch)

    def select_ret(ev: SyscallEvent) -> str:
        if not ev.retval:
            return "0 (Timeout)"
        mem = d.mem_box[0]
        if mem is None:
            return str(ev.retval)
        n = _s32(ev.raw_args[0])
        parts = []
        for label, k in (("in", 1), ("out", 2), ("except", 3)):
            if ev.raw_args[k]:
                got = _fdset(d, mem, ev.raw_args[k], n, word)
                if got not in ("[]",) and got.startswith("["):
                    parts.append(f"{label} {got}")
        # the kernel writes back the time left (select(2), pselect6 timespec)
        if ev.raw_args[4]:
            if ev.name.startswith("pselect6"):
                left = _read_struct(mem, ev.raw_args[4], ts)
                if left is not None:
                    parts.append(f"left {{tv_sec={left[0]}, tv_nsec={left[1]}}}")
            else:
                parts.append("left " + d.timeval(mem, ev.raw_args[4], tv))
        return f"{ev.retval} ({', '.join(parts)})" if parts else str(ev.retval)
    return select_ret


@returns("ppoll")
def ret_ppoll(d: DecoderBase, arch: str) -> RetFn:
    lay = d.timespec(arch)

    def ppoll_ret(ev: SyscallEvent) -> str:
        # ppoll(2) also writes back the time left, as pselect6 does
        if not ev.retval:
            return "0 (Timeout)"
        mem = d.mem_box[0]
        if mem is None:
            return str(ev.retval)
        after: list[dict[str, Any]] = []
        lst = more.poll_list(mem, ev.raw_args[0], ev.raw_args[1], arch, "revents", True, None, d.limit, after)
        _revents(ev, after)
        parts = [lst] if lst else []
        got = _read_struct(mem, ev.raw_args[2], lay.st)
        if got is not None:
            parts.append(f"left {{tv_sec={got[0]}, tv_nsec={got[1]}}}")
        return f"{ev.retval} ({', '.join(parts)})" if parts else str(ev.retval)
    return ppoll_ret


@returns("poll")
def ret_poll(d: DecoderBase, arch: str) -> RetFn:
    def poll_ret(ev: SyscallEvent) -> str:
        if not ev.retval:
            return "0 (Timeout)"
        # poll(2) writes revents; strace appends the ready ones after the count
        mem = d.mem_box[0]
        after: list[dict[str, Any]] = []
        lst = more.poll_list(mem, ev.raw_args[0], ev.raw_args[1], arch, "revents", True, None, d.limit, after) \
            if mem is not None else None
        _revents(ev, after)
        return f"{ev.retval} ({lst})" if lst else str(ev.retval)
    return poll_ret
