"""Linux native AIO (io_setup(2), io_submit(2), io_cancel(2), io_getevents(2), io_pgetevents):
struct iocb and struct io_event as strace 6.1's src/aio.c prints them.  Layouts are
linux/aio_abi.h's (little-endian: aio_key before aio_rw_flags); the IOCB_CMD_* and IOCB_FLAG_*
tables are generated from that header (spec_calls.SCANNED aio_cmds, aio_iocb_flags)."""

from __future__ import annotations

import struct

from syscope.decode import fmt
from syscope.decode.base import DecoderBase
from syscope.decode.fmt import hexnum as _hex
from syscope.decode.fmt import ptr as _ptr
from syscope.decode.kinds.process import _ioprio
from syscope.decode.registry import ArgFn, Memory, read_struct, register, word_size
from syscope.events import SyscallEvent

# struct iocb (64 bytes): aio_data, aio_key, aio_rw_flags, aio_lio_opcode (u16), aio_reqprio
# (s16), aio_fildes (u32), aio_buf, aio_nbytes, aio_offset (s64), aio_reserved2, aio_flags, aio_resfd
_IOCB = struct.Struct("<QIiHhIQQqQII")
# struct io_event: data, obj (u64), res, res2 (s64)
_EVENT = struct.Struct("<QQqq")


def _s32(v: int) -> int:
    return v - (1 << 32) if v >> 31 else v


class _Iocb:
    """One struct iocb (strace print_iocb_header / print_iocb)."""

    def __init__(self, d: DecoderBase, arch: str) -> None:
        self.d, self.arch, self.word = d, arch, word_size(arch)
        xs = d.xs
        self.cmds = fmt.enum(arch, "aio_cmds")
        self.cmd = {n: v for v, n in fmt.consts(arch).get("aio_cmds", [])}
        self.iocb_flags = fmt.flags(arch, "aio_iocb_flags", xs)
        self.flag = {n: v for v, n in fmt.consts(arch).get("aio_iocb_flags", [])}
        self.rwf = fmt.flags(arch, "rwf_flags", xs)
        self.poll = fmt.flags(arch, "poll_events", xs)

    def opcode(self, op: int) -> str:
        # printxval_ex(aio_cmds, XLAT_STYLE_FMT_U): the number in decimal, before the name
        # under -X verbose, alone under -X raw and when the table lacks it
        name = self.cmds.get(op)
        if self.d.xs == 2:
            return str(op)
        if name is None:
            return f"{op} /* IOCB_CMD_??? */"
        return f"{op} /* {name} */" if self.d.xs == 1 else name

    def header(self, ev: SyscallEvent, cb: tuple[int, ...]) -> list[str]:
        data, key, rw_flags, op, reqprio, fildes = cb[:6]
        flags = cb[10]
        parts = [f"aio_data={_hex(data)}"]
        if key:
            parts.append(f"aio_key={key}")
        if rw_flags:
            parts.append(f"aio_rw_flags={self.rwf(rw_flags & 0xFFFFFFFF)}")
        parts.append(f"aio_lio_opcode={self.opcode(op)}")
        # the priority is an IOPRIO_PRIO_VALUE only when IOCB_FLAG_IOPRIO says it is valid
        if flags & self.flag.get("IOCB_FLAG_IOPRIO", 2):
            parts.append(f"aio_reqprio={_ioprio(self.arch, reqprio & 0xFFFF, self.d.xs)}")
        elif reqprio:
            parts.append(f"aio_reqprio={reqprio}")
        parts.append(f"aio_fildes={self.d.fd_or_num(ev, _s32(fildes))}")
        return parts

    def common_flags(self, ev: SyscallEvent, cb: tuple[int, ...]) -> list[str]:
        flags, resfd = cb[10], cb[11]
        parts = [f"aio_flags={self.iocb_flags(flags)}"] if flags else []
        if flags & self.flag.get("IOCB_FLAG_RESFD", 1):
            parts.append(f"aio_resfd={self.d.fd_or_num(ev, _s32(resfd))}")
        elif resfd:
            parts.append(f"aio_resfd={_hex(resfd)}")
        return parts

    def valid(self, buf: int, nbytes: int) -> bool:
        # iocb_is_valid: the buffer and the size fit the tracee's words, the size as ssize_t >= 0
        bits = 8 * self.word
        return buf >> bits == 0 and nbytes >> (bits - 1) == 0

    def body(self, ev: SyscallEvent, mem: Memory, cb: tuple[int, ...]) -> list[str]:
        op, buf, nbytes, offset = cb[3], cb[6], cb[7], cb[8]
        c = self.cmd.get
        if op in (c("IOCB_CMD_PREAD"), c("IOCB_CMD_PWRITE")):
            # only a write's buffer is data at submission time
            if op == c("IOCB_CMD_PWRITE") and self.valid(buf, nbytes):
                parts = [f"aio_buf={self.d.buf(mem, buf, nbytes)}"]
            else:
                parts = [f"aio_buf={_hex(buf)}"]
            parts += [f"aio_nbytes={nbytes}", f"aio_offset={offset}"]
            return parts + self.common_flags(ev, cb)
        if op in (c("IOCB_CMD_PREADV"), c("IOCB_CMD_PWRITEV")):
            if self.valid(buf, nbytes):
                iov = self.d.iov(mem, buf, nbytes, self.word, None, addrs=op != c("IOCB_CMD_PWRITEV"))
                parts = [f"aio_buf={iov}"]
            else:
                parts = [f"aio_buf={_hex(buf)}", f"aio_nbytes={nbytes}"]
            return parts + [f"aio_offset={offset}"] + self.common_flags(ev, cb)
        if op == c("IOCB_CMD_POLL"):
            return [f"aio_buf={self.poll(buf)}"] + self.common_flags(ev, cb)
        return []

    def full(self, ev: SyscallEvent, mem: Memory, addr: int) -> str:
        cb = read_struct(mem, addr, _IOCB)
        if cb is None:
            return _ptr(addr)
        return "{" + ", ".join(self.header(ev, cb) + self.body(ev, mem, cb)) + "}"


def _event(chunk: bytes) -> str:
    data, obj, res, res2 = _EVENT.unpack(chunk)
    return f"{{data={_hex(data)}, obj={_hex(obj)}, res={res}, res2={res2}}}"


def _failed(ev: SyscallEvent) -> bool:
    return ev.errno is not None or ev.retval is None


@register("aio_ctx_out", out=True)
def build_out_aio_ctx(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    code = "<Q" if word_size(arch) == 8 else "<I"
    # io_setup's ctx_idp: the context id the kernel wrote, at exit (strace printnum_ptr)
    return lambda ev, mem: d.num_written(ev, mem, ev.raw_args[i], code, _hex)


@register("aio_iocbpp", count="arg:1")
def build_aio_iocbpp(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    iocb = _Iocb(d, arch)
    word = word_size(arch)

    # io_submit's iocbpp: nr pointers to struct iocb; a negative nr is the address alone
    def iocbpp(ev: SyscallEvent, mem: Memory) -> str:
        addr, nr = ev.raw_args[i], ev.raw_args[i - 1] & ((1 << 8 * word) - 1)
        if nr >> (8 * word - 1):
            return _ptr(addr)
        return d.array(mem, addr, nr, word, lambda c: iocb.full(ev, mem, int.from_bytes(c, "little")))
    return iocbpp


@register("aio_iocb_header")
def build_aio_iocb_header(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    iocb = _Iocb(d, arch)

    # io_cancel's iocb: the header fields only (strace SYS_FUNC(io_cancel))
    def header(ev: SyscallEvent, mem: Memory) -> str:
        cb = read_struct(mem, ev.raw_args[i], _IOCB)
        if cb is None:
            return _ptr(ev.raw_args[i])
        return "{" + ", ".join(iocb.header(ev, cb)) + "}"
    return header


@register("aio_event", out=True)
def build_out_aio_event(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    # io_cancel's result: one io_event, written by the kernel on success
    def event(ev: SyscallEvent, mem: Memory) -> str:
        addr = ev.raw_args[i]
        data = None if _failed(ev) or not addr else mem.read(addr, _EVENT.size)
        return _ptr(addr) if data is None or len(data) < _EVENT.size else _event(data)
    return event


@register("aio_events", out=True, count="ret")
def build_out_aio_events(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    # io_getevents' events: as many io_event as the call returned
    def events(ev: SyscallEvent, mem: Memory) -> str:
        addr = ev.raw_args[i]
        if _failed(ev) or ev.retval is None or ev.retval < 0:
            return _ptr(addr)
        return d.array(mem, addr, ev.retval, _EVENT.size, _event)
    return events
