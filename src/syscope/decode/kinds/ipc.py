"""System V IPC: semop(2)/semtimedop(2) operations, shmat(2)."""

from __future__ import annotations

import struct

from syscope.decode import fmt
from syscope.decode.base import DecoderBase
from syscope.decode.registry import ArgFn, Memory, register
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
