"""Socket data buffers: what send/sendto write to and recv/recvfrom read from a netlink socket
is netlink messages, decoded (strace's decode_sockbuf, src/net.c); any other socket's data is a
plain buffer."""

from __future__ import annotations

from syscope.decode.base import DecoderBase
from syscope.decode.fmt import ptr
from syscope.decode.kinds import bpf_filter
from syscope.decode.netlink import sock
from syscope.decode.pidns import proc_pid
from syscope.decode.registry import ArgFn, Memory, register
from syscope.events import SyscallEvent
from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable


def _netlink(d: DecoderBase, ev: SyscallEvent, mem: Memory, arch: str, fam: int, addr: int, length: int,
             bpf: Callable[[Memory, int, int], str]) -> str:
    # the netlink decoders (every family's messages and attributes) are imported when a call
    # first meets a netlink socket: most traced programs never do (start-up)
    from syscope.decode.netlink import msg
    from syscope.decode.netlink.core import Ctx

    ctx = Ctx(mem, arch, d.xs, d.slimit, d.abbrev, d.xflag, lambda fd: d.fd_or_num(ev, fd), bpf,
              lambda p: d.pid(ev, p))
    return msg.decode(ctx, fam, addr, length)


def netlink_text(d: DecoderBase, ev: SyscallEvent, mem: Memory, arch: str, fam: int, addr: int,
                 length: int) -> str:
    """The netlink messages of a buffer (a sendmsg/recvmsg iovec named to a netlink address)."""
    return _netlink(d, ev, mem, arch, fam, addr, length, bpf_filter.program_printer(d, arch, "sock"))


@register("sockbuf", scalar=True, stores=True)
def build_sockbuf(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    n = int(kind.split(":", 1)[1])
    buf = d.buf
    bpf = bpf_filter.program_printer(d, arch, "sock")  # socket filters inside sock_diag answers
    # verbose off: decode_sockbuf asks the socket's protocol only when verbose(tcp), so the
    # netlink messages print as the plain buffer
    brief = d.brief

    def sockbuf(ev: SyscallEvent, mem: Memory) -> str:
        addr, length = ev.raw_args[i], ev.raw_args[n]
        fam = sock.family(proc_pid(ev.pid), ev.raw_args[0] & 0xFFFFFFFF) if addr and not brief else None
        if fam is None:
            return buf(mem, addr, length, ev, i)
        return _netlink(d, ev, mem, arch, fam, addr, length, bpf)
    return sockbuf


@register("rsockbuf", out=True, scalar=True, stores=True)
def build_out_rsockbuf(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    buf = d.buf
    bpf = bpf_filter.program_printer(d, arch, "sock")
    brief = d.brief  # as sockbuf's

    def rsockbuf(ev: SyscallEvent, mem: Memory) -> str:
        addr = ev.raw_args[i]
        if ev.errno is not None or ev.retval is None:
            return ptr(addr)
        fam = sock.family(proc_pid(ev.pid), ev.raw_args[0] & 0xFFFFFFFF) if addr and not brief else None
        if fam is None:
            # no more than the buffer's size: MSG_TRUNC returns the datagram's real length
            return buf(mem, addr, min(ev.retval, ev.raw_args[i + 1]), ev, i)
        return _netlink(d, ev, mem, arch, fam, addr, ev.retval, bpf)
    return rsockbuf
