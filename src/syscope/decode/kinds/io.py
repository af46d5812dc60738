"""Data and descriptors in bulk: buffers, iovecs, poll/epoll/select sets, ioctl."""

from __future__ import annotations

from syscope.decode import cformat as c
from syscope.decode import fmt, structs
from syscope.decode.base import DecoderBase
from syscope.decode.fmt import ptr as _ptr
from syscope.decode.fmt import s32 as _s32
from syscope.decode.registry import ArgFn, Memory, RetFn, register, returns, store, word_size
from syscope.decode.registry import read_struct as _read_struct
from syscope.events import SyscallEvent
from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any


def _fdset(d: DecoderBase, mem: Memory, addr: int, nfds: int, word: int, ev: SyscallEvent | None = None,
           i: int | None = None) -> str:
    """``[3 5]``; with ev and -y the descriptors carry their paths (the arguments, not the
    sets select(2) returns)."""
    if not addr:
        return "NULL"
    if nfds <= 0:
        return _ptr(addr)
    nfds = min(nfds, 1 << 20)  # strace decode_select(): "beware of select(2^31-1, ...)"
    # fd_set is an array of longs (select(2)); strace reads whole words covering nfds
    nbytes = (nfds + 8 * word - 1) // (8 * word) * word
    data = mem.read(addr, nbytes)
    if data is None or len(data) < nbytes:
        return _ptr(addr)
    bits = int.from_bytes(data, "little")
    if ev is not None and i is not None:
        store(ev, i, [k for k in range(nfds) if bits >> k & 1])  # the set's descriptors (-P looks at them)
    if ev is not None and d.opts.decode_fds:
        return "[" + " ".join(d.fd(ev, k) for k in range(nfds) if bits >> k & 1) + "]"
    return "[" + " ".join(str(k) for k in range(nfds) if bits >> k & 1) + "]"


@register("buf", scalar=True, stores=True, c=lambda d, i, arch, kind: c.COp(c.BUF, i, int(kind[4:])))
def build_buf(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    n = int(kind[4:])
    buf = d.buf  # bound once: write(2) is the hot path
    return lambda ev, mem: buf(mem, ev.raw_args[i], ev.raw_args[n], ev, i)


@register("iov", stores=True, count="param")
def build_iov(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    word = word_size(arch)
    n = int(kind[4:])
    return lambda ev, mem: d.iov(mem, ev.raw_args[i], ev.raw_args[n], word, None, ev, i)


# ioctl(2): command names and argument decoders live in decode/ioctl (one module per family),
# imported when the first ioctl's plan is built: its ~25 modules and tables are a third of the
# decoder's import time, which a trace without an ioctl (and every start-up) need not pay.
def _build_ioctl_req(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    from syscope.decode import ioctl

    return ioctl.build_req(d, i, arch, kind)


def _build_ioctl_req_verbose(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    from syscope.decode import ioctl

    return ioctl.build_req_verbose(d, i, arch, kind)


def _build_ioctl_req_raw(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    from syscope.decode import ioctl

    return ioctl.build_req_raw(d, i, arch, kind)


def _build_ioctl_arg(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    from syscope.decode import ioctl

    return ioctl.build_arg(d, i, arch, kind)


def _build_ioctl_ret(d: DecoderBase, arch: str) -> RetFn:
    from syscope.decode import ioctl

    return ioctl.build_ret(d, arch)


register("ioctl_req", scalar=True, xlat="hex", verbose=_build_ioctl_req_verbose, raw=_build_ioctl_req_raw)(
    _build_ioctl_req)
# scalar: under -e verbose=none the family decoders still run and print structs as addresses
register("ioctl_arg", out=True, scalar=True)(_build_ioctl_arg)
# the return value as the command's family decoder chose (a descriptor with -y, an auxstr)
returns("ioctl")(_build_ioctl_ret)


@register("pollfds", stores=True, count="arg:1",
          c=lambda d, i, arch, kind: None if d.opts.decode_fds else c.COp(
              c.POLLFDS, i, i + 1, tables=(c.flags_table(fmt.flags(arch, "poll_events")),)))
def build_pollfds(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    from syscope.decode import more  # poll and epoll: its socket helpers only when such a call is seen

    o = d.opts
    def pollfds(ev: SyscallEvent, mem: Memory) -> str:
        # the structured value: [{"fd", "events", "revents"}], revents filled at exit (_revents)
        values: list[dict[str, Any]] = []
        got = more.poll_list(mem, ev.raw_args[i], ev.raw_args[1] & 0xFFFFFFFF, arch, "events", False,
                             (lambda fd: d.fd(ev, fd)) if o.decode_fds else None, d.limit, values, d.xs)
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
    from syscope.decode import more

    size = more.epoll_size(arch)
    ctl_del = {n: v for v, n in fmt.consts(arch).get("epoll_ctl", [])}.get("EPOLL_CTL_DEL")

    def epoll_ev(ev: SyscallEvent, mem: Memory) -> str:
        addr = ev.raw_args[i]
        # epoll_ctl(2): EPOLL_CTL_DEL ignores the event, strace shows its address
        data = mem.read(addr, size) if addr and ev.raw_args[1] & 0xFFFFFFFF != ctl_del else None
        if data is None or len(data) < size:
            return _ptr(addr)
        return more.epoll_event(data, arch, d.xs)
    return epoll_ev


@register("fdset", stores=True)
def build_fdset(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    word = word_size(arch)
    n = int(kind[6:])
    return lambda ev, mem: _fdset(d, mem, ev.raw_args[i], _s32(ev.raw_args[n]), word, ev, i)


@register("riov_addr", count="param")
def build_riov_addr(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    word = word_size(arch)
    n = int(kind[10:])

    def riov_addr(ev: SyscallEvent, mem: Memory) -> str:
        # process_vm_readv(2)'s remote iovecs: addresses in the other process, not read
        return d.iov(mem, ev.raw_args[i], ev.raw_args[n], word, None, addrs=True)
    return riov_addr


@register("rbuf", "rstr", out=True, scalar=True, stores=True, c=lambda d, i, arch, kind: c.COp(c.RBUF, i))
def build_out_rbuf(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    buf = d.buf  # bound once: read(2) is the hot path

    # the bytes the call wrote, as many as it returned
    def rbuf(ev: SyscallEvent, mem: Memory) -> str:
        if ev.errno is not None or ev.retval is None:
            return _ptr(ev.raw_args[i])
        # no more than the buffer's size: recv(MSG_TRUNC) returns the datagram's real length
        n = ev.retval if ev.retval <= ev.raw_args[i + 1] else ev.raw_args[i + 1]
        return buf(mem, ev.raw_args[i], n, ev, i)
    return rbuf


@register("rbufx", out=True, scalar=True, stores=True, c=lambda d, i, arch, kind: c.COp(c.RBUFX, i))
def build_out_rbufx(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    def rbufx(ev: SyscallEvent, mem: Memory) -> str:
        # random bytes are not text: strace's getrandom prints them in hex (QUOTE_FORCE_HEX)
        addr, n = ev.raw_args[i], ev.retval
        if ev.errno is not None or n is None or not addr:
            return _ptr(addr)
        want = min(n, d.slimit)
        data = mem.read(addr, want) if want else b""
        if data is None or len(data) < want:
            return _ptr(addr)
        store(ev, i, data)
        return '"' + fmt.quote(data, 2) + '"' + ("..." if n > want else "")
    return rbufx


# C form (FOP_FDPAIR): the two numbers; with -y their paths are Python's
@register("fdpair", out=True, stores=True,
          c=lambda d, i, arch, kind: None if d.opts.decode_fds else c.COp(c.FDPAIR, i))
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


@register("epoll_events", out=True, count="ret")
def build_out_epoll_events(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    from syscope.decode import more

    size = more.epoll_size(arch)

    def epoll_events(ev: SyscallEvent, mem: Memory) -> str:
        addr = ev.raw_args[i]
        if ev.errno is not None or ev.retval is None:
            return _ptr(addr)
        n = ev.retval
        data = mem.read(addr, size * n) if n else b""
        if data is None or len(data) < size * n:
            return _ptr(addr)
        return d.arr([more.epoll_event(data[k * size:], arch, d.xs) for k in range(n)])
    return epoll_events


@register("riov", out=True, stores=True, count="param")
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
    return lambda ev, mem: d.num_written(ev, mem, ev.raw_args[i], "<i")


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


@returns("select", reads=True)
def ret_select(d: DecoderBase, arch: str) -> RetFn:
    word = word_size(arch)
    # taken while the plan is built: _time64 (pselect6_time64) is only set then
    ts, tv = d.timespec(arch).st, structs.layout("timeval", arch)
    # verbose off: the time left is sprint_timespec's/sprint_timeval's address (the fd sets are
    # read with umoven, so they still print)
    brief = d.brief

    def select_ret(ev: SyscallEvent) -> str:
        if not ev.retval:
            return "0 (Timeout)"
        mem = d.mem_box[0]
        if mem is None:
            return str(ev.retval)
        n = min(_s32(ev.raw_args[0]), 1 << 20)
        nbytes = (n + 8 * word - 1) // (8 * word) * word if n > 0 else 0
        # strace decode_select(): the ready descriptors of each set until the count the call
        # returned is used up, then the time left; always in parentheses, even empty
        ready, out, sep = ev.retval, "", ""
        for label, k in (("in", 1), ("out", 2), ("except", 3)):
            if ready <= 0:
                break
            data = mem.read(ev.raw_args[k], nbytes) if ev.raw_args[k] and nbytes else None
            if data is None or len(data) < nbytes:
                continue
            bits, first = int.from_bytes(data, "little"), True
            for j in range(n):
                if not bits >> j & 1:
                    continue
                out += f"{sep}{label} [{j}" if first else f" {j}"
                first, sep = False, ", "
                ready -= 1
                if not ready:
                    break
            if out:
                out += "]"  # after every set once one is printed, as strace does
        # the kernel writes back the time left (select(2), pselect6 timespec)
        if ev.raw_args[4]:
            if brief:
                out += f"{sep}left {_ptr(ev.raw_args[4])}"
            elif ev.name.startswith("pselect6"):
                left = _read_struct(mem, ev.raw_args[4], ts)
                out += f"{sep}left " + (_ptr(ev.raw_args[4]) if left is None
                                        else f"{{tv_sec={left[0]}, tv_nsec={left[1]}}}")
            else:
                out += f"{sep}left " + d.timeval(mem, ev.raw_args[4], tv)
        return f"{ev.retval} ({out})"
    return select_ret


@returns("ppoll", reads=True)
def ret_ppoll(d: DecoderBase, arch: str) -> RetFn:
    from syscope.decode import more

    lay = d.timespec(arch)
    brief = d.brief

    def ppoll_ret(ev: SyscallEvent) -> str:
        # ppoll(2) also writes back the time left, as pselect6 does
        if not ev.retval:
            return "0 (Timeout)"
        mem = d.mem_box[0]
        if mem is None or brief:
            # verbose off: poll.c decode_poll_exiting stops before revents and the time left
            return str(ev.retval)
        after: list[dict[str, Any]] = []
        lst = more.poll_list(mem, ev.raw_args[0], ev.raw_args[1] & 0xFFFFFFFF, arch, "revents", True, None,
                             d.limit, after, d.xs)
        _revents(ev, after)
        parts = [lst] if lst else []
        got = _read_struct(mem, ev.raw_args[2], lay.st)
        if got is not None:
            parts.append(f"left {{tv_sec={got[0]}, tv_nsec={got[1]}}}")
        return f"{ev.retval} ({', '.join(parts)})" if parts else str(ev.retval)
    return ppoll_ret


@returns("poll", c=lambda d, arch: None if d.brief else c.RET_POLL, reads=True)
def ret_poll(d: DecoderBase, arch: str) -> RetFn:
    from syscope.decode import more

    brief = d.brief

    def poll_ret(ev: SyscallEvent) -> str:
        if not ev.retval:
            return "0 (Timeout)"
        if brief:
            return str(ev.retval)  # verbose off: poll.c decode_poll_exiting prints no revents
        # poll(2) writes revents; strace appends the ready ones after the count
        mem = d.mem_box[0]
        after: list[dict[str, Any]] = []
        lst = more.poll_list(mem, ev.raw_args[0], ev.raw_args[1] & 0xFFFFFFFF, arch, "revents", True, None,
                             d.limit, after, d.xs) if mem is not None else None
        _revents(ev, after)
        return f"{ev.retval} ({lst})" if lst else str(ev.retval)
    return poll_ret
