"""System V IPC (semop(2)/semtimedop(2) operations, shmat(2)) and POSIX message queues."""

from __future__ import annotations

import struct

from syscope.decode import fmt
from syscope.decode.base import DecoderBase
from syscope.decode.fmt import hexnum as _hex
from syscope.decode.fmt import ptr as _ptr
from syscope.decode.registry import ArgFn, Memory, read_struct, register, word_size
from syscope.events import SyscallEvent

# struct sembuf (linux/sem.h): unsigned short sem_num, short sem_op, short sem_flg
_SEMBUF = struct.Struct("<Hhh")


@register("sembufs")
def build_sembufs(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    n = int(kind.split(":", 1)[1])
    flg = fmt.flags(arch, "semop_flags", d.xs)

    # strace's print_sembuf, as an array abbreviated at -s (src/ipc_sem.c)
    def one(chunk: bytes) -> str:
        num, op, fl = _SEMBUF.unpack(chunk)
        return f"{{sem_num={num}, sem_op={op}, sem_flg={flg(fl & 0xFFFF)}}}"

    def sembufs(ev: SyscallEvent, mem: Memory) -> str:
        # nsops is an unsigned int (semop(2))
        return d.array(mem, ev.raw_args[i], ev.raw_args[n] & 0xFFFFFFFF, _SEMBUF.size, one)
    return sembufs


# POSIX message queues (mq_overview(7)) ---------------------------------------------------------

def _mq_attr(d: DecoderBase, mem: Memory, addr: int, flags: fmt.Flags | None, word: int) -> str:
    # struct mq_attr (linux/mqueue.h): four longs used; strace's printmqattr names mq_flags' bits
    # for mq_getsetattr(2) and prints the number for mq_open(2) (src/print_mq_attr.c)
    # (and four reserved longs: the kernel copies, and strace reads, the whole struct)
    got = read_struct(mem, addr, "<8q" if word == 8 else "<8i")
    if got is None:
        return _ptr(addr)
    fl = flags(got[0] & ((1 << 8 * word) - 1)) if flags is not None else _hex(got[0] & ((1 << 8 * word) - 1))
    return f"{{mq_flags={fl}, mq_maxmsg={got[1]}, mq_msgsize={got[2]}, mq_curmsgs={got[3]}}}"


def _creat(arch: str) -> int:
    return dict((n, v) for v, n in fmt.consts(arch).get("open_flags", [])).get("O_CREAT", 0o100)


@register("mq_mode", scalar=True)
def build_mq_mode(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    creat = _creat(arch)

    # mq_open(3): the mode and attributes are read only with O_CREAT, and strace prints them
    # only then (src/mq.c); the mode as print_numeric_umode_t
    def mq_mode(ev: SyscallEvent, mem: Memory) -> str | None:
        if not ev.raw_args[i - 1] & creat:
            return None
        return fmt.octal(ev.raw_args[i] & 0xFFFF)
    return mq_mode


@register("mq_attr")
def build_mq_attr(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    word = word_size(arch)
    creat = _creat(arch)
    # "mq_attr:open" is mq_open's (printed with O_CREAT only, mq_flags as a number)
    opening = kind.endswith(":open")
    flags = None if opening else fmt.flags(arch, "mq_attr_flags", d.xs)

    def mq_attr(ev: SyscallEvent, mem: Memory) -> str | None:
        if opening and not ev.raw_args[1] & creat:
            return None
        return _mq_attr(d, mem, ev.raw_args[i], flags, word)
    return mq_attr


@register("mq_attr", out=True)
def build_out_mq_attr(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    # mq_getsetattr(2)'s old attributes: written by the call, read at exit
    return d.failed_addr(i, build_mq_attr(d, i, arch, kind))


@register("mq_prio", out=True)
def build_out_mq_prio(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    # mq_timedreceive(2)'s msg_prio: an unsigned int it writes, [N] (strace printnum_int "%u")
    def mq_prio(ev: SyscallEvent, mem: Memory) -> str:
        addr = ev.raw_args[i]
        got = read_struct(mem, addr, "<I") if ev.errno is None else None
        return _ptr(addr) if got is None else f"[{got[0]}]"
    return mq_prio


@register("mq_timeout", out=True)
def build_out_mq_timeout(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    # mq_timedreceive(2)'s timeout is read by the kernel at entry: strace prints it at exit
    # whether the call failed or not (src/mq.c temporarily_clear_syserror)
    return d.kind("timespec", i, arch)
