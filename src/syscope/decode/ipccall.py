"""i386 ipc(2): the System V IPC multiplexer, shown as the call it stands for (strace's
syscall.c decode_ipc_subcall and the TRACE_INDIRECT_SUBCALL branches of its ipc_*.c decoders).

``ipc(call, first, second, third, ptr, fifth)``: the low 16 bits of ``call`` are the operation
(<linux/ipc.h> SEMOP ... SHMCTL, roles.IPCCALLS), the high 16 bits a version.  The kernel's
ipc/syscall.c ksys_ipc() passes the other registers to the call in its own order, which this
module rebuilds as the direct call's registers, so the direct call's signature decodes them:

- semop(first, ptr, second), semtimedop(first, ptr, second, fifth);
- semctl(first, second, third, *ptr): the union semun is passed by address (ksys_old_semctl
  reads it); strace prints the address it holds in brackets, ``[NULL]``;
- msgsnd(first, ptr, second, third); msgrcv(first, msgp, second, msgtyp, third), msgp and
  msgtyp read from the struct ipc_kludge at ptr when the version is 0 (glibc's way), else
  ptr and fifth;
- msgctl/shmctl(first, second, ptr); shmdt(ptr); the *get calls (first, second, third);
- shmat(first, ptr, second): the kernel stores the attach address at third and returns 0;
  strace prints that address as the result (ipc_shm.c).
"""

from __future__ import annotations

import re
import struct

from syscope.decode import fmt
from syscope.decode.registry import Memory
from syscope.syscalls.roles import IPCCALLS

_BARE_ADDRESS = re.compile(r"^(NULL|0x[0-9a-f]+)$")


# The direct call's registers as ipc(2) passes them (ipc/syscall.c ksys_ipc, version 0 -- the C
# libraries'): each an ipc register (raw index: 1 first, 2 second, 3 third, 4 ptr, 5 fifth), or
# (register, k): word k of the memory that register points to -- semctl's union semun
# (ksys_old_semctl reads it), msgrcv's struct ipc_kludge { msgp; msgtyp; }.  A call not named
# here passes (first, second, third): msgget, semget, shmget.  The eBPF capture plan copies each
# subcall's arguments by this table too (sources/ebpf/trace_plan.py).
ARGS: dict[str, tuple[int | tuple[int, int], ...]] = {
    "semop": (1, 4, 2), "semtimedop": (1, 4, 2, 5), "semctl": (1, 2, 3, (4, 0)),
    "msgsnd": (1, 4, 2, 3), "msgrcv": (1, (4, 0), 2, (4, 1), 3),
    "msgctl": (1, 2, 4), "shmctl": (1, 2, 4), "shmat": (1, 4, 2), "shmdt": (4,),
}
_GET_ARGS = (1, 2, 3)
# msgrcv of another version: msgp and msgtyp are ptr and fifth themselves
_MSGRCV_DIRECT = (1, 4, 2, 5, 3)
# ipc(SHMAT) stores the attach address at its third argument (ipc/syscall.c: put_user(raddr,
# (unsigned long __user *) third)) and returns 0
SHMAT_RESULT = 3


def registers(name: str, version: int = 0) -> tuple[int | tuple[int, int], ...]:
    """Where ipc(2) passes each argument of the call it stands for (ARGS)."""
    if name == "msgrcv" and version:
        return _MSGRCV_DIRECT
    return ARGS.get(name, _GET_ARGS)


def subcall(raw: tuple[int, ...], mem: Memory, word: int) -> tuple[str, tuple[int, ...], bool] | None:
    """The call an ipc(2) stands for and its registers as the direct call has them, and whether
    its last argument was read through a pointer (semctl's union: printed ``[ADDR]``); None for
    an operation strace leaves as a plain ipc()."""
    call = raw[0] & 0xFFFFFFFF
    version, op = call >> 16, call & 0xFFFF
    name = IPCCALLS.get(op)
    if name is None:
        return None
    layout = registers(name, version)
    read: dict[int, tuple[int, ...] | None] = {}
    args: list[int] = []
    for where in layout:
        if isinstance(where, int):
            args.append(raw[where])
            continue
        reg, k = where
        if reg not in read:
            n = 1 + max(w[1] for w in layout if isinstance(w, tuple) and w[0] == reg)
            read[reg] = _words(mem, raw[reg], n, word) if raw[reg] else None
        got = read[reg]
        # unreadable: the pointer itself stands for the first word (strace prints the address)
        args.append(got[k] if got is not None else raw[reg] if k == 0 else 0)
    last = layout[-1]
    indirect = isinstance(last, tuple) and read.get(last[0]) is not None
    return name, tuple(args) + (0,) * (6 - len(args)), indirect


def indirect_text(text: str) -> str:
    """semctl's union address as strace prints what it read through ipc's pointer: a bare
    address in brackets (tprint_indirect_begin/end), a decoded struct as it is."""
    return f"[{text}]" if _BARE_ADDRESS.match(text) else text


def failed_msgrcv_args(args: list[str], raw: tuple[int, ...]) -> list[str]:
    """msgrcv through ipc(2) with the version-0 struct ipc_kludge, failed: strace's
    fetch_msgrcv_args (umoven_or_printaddr) prints the kludge's address, and no msgtyp."""
    if raw[0] >> 16 & 0xFFFF or len(args) != 5:
        return args
    return [args[0], fmt.ptr(raw[4]), args[2], args[4]]


def shmat_result(raw: tuple[int, ...], mem: Memory, word: int) -> int | None:
    """The address ipc(SHMAT) stored at its third argument (ipc/syscall.c: put_user(raddr))."""
    got = _words(mem, raw[SHMAT_RESULT], 1, word)
    return got[0] if got is not None else None


def _words(mem: Memory, addr: int, n: int, word: int) -> tuple[int, ...] | None:
    data = mem.read(addr, n * word)
    if data is None or len(data) < n * word:
        return None
    return struct.unpack(f"<{n}{'I' if word == 4 else 'Q'}", data)
