"""The calls of the i386 multiplexers socketcall(2) and ipc(2) as syscall sets name them.

strace gives each of them an entry of its own after the i386 table (its linux/i386/syscallent.h:
SYS_socket_subcall 500 + the call of <linux/net.h>, then SYS_ipc_subcall 521 + the operation of
<linux/ipc.h>), qualified by name, class or regex as any call: ``-e trace=connect`` or
``%network`` select the connect a 32-bit program makes through socketcall(2), ``-e
trace=socketcall`` only the socketcalls it cannot decode.  Not by number: strace's
scno_pers_is_valid (defs.h) refuses TRACE_INDIRECT_SUBCALL entries, so ``-e trace=503`` is an
invalid system call.  syscope numbers them the same way: the sets hold those numbers, the tracer stops
at the multiplexer when any of its calls is traced and asks ``TraceSpec.is_traced_call`` which.
Their classes are their multiplexer's (strace's entries: TN for every socket call, even sendto,
whose direct call is a descriptor call too; TI for the ipc calls), and for an ipc call also those
of its direct call (shmat and shmdt: TM, memory)."""

from __future__ import annotations

from syscope.lean import cache
from syscope.syscalls import class_names, numbers
from syscope.syscalls.roles import IPCCALLS, SOCKETCALLS

# strace's SYS_socket_subcall on i386 and its count of socket calls (SYS_socket_nsubcalls):
# the ipc calls follow (linux/generic/subcallent.h)
_SOCKET_BASE = 500
_IPC_BASE = _SOCKET_BASE + 21
_ARCHES = frozenset({"i386"})
# the class of a multiplexer's calls that have no direct call of their own
_CLASS_OF = {"socketcall": "network", "ipc": "ipc"}


@cache
def subcalls(arch: str) -> dict[str, int]:
    """name -> the number strace gives the multiplexed call on ``arch`` (none off i386)."""
    if arch not in _ARCHES:
        return {}
    out = {name: _SOCKET_BASE + call for call, (name, _n) in SOCKETCALLS.items()}
    out.update({name: _IPC_BASE + op for op, name in IPCCALLS.items()})
    return out


@cache
def multiplexers(arch: str) -> dict[int, tuple[str, int]]:
    """The multiplexers' numbers on ``arch`` -> (their name, the base of their calls' numbers)."""
    if arch not in _ARCHES:
        return {}
    nums = numbers(arch)
    return {nums[name]: (name, base) for name, base in (("socketcall", _SOCKET_BASE), ("ipc", _IPC_BASE))
            if name in nums}


def call_number(arch: str, nr: int, arg0: int) -> int | None:
    """The number of the call a multiplexer ``nr`` stands for, from its first argument (ipc's
    low 16 bits: the version is above); None when it is no multiplexer or not a call it has."""
    mux = multiplexers(arch).get(nr)
    if mux is None:
        return None
    name, base = mux
    call = arg0 & (0xFFFFFFFF if name == "socketcall" else 0xFFFF)
    known = SOCKETCALLS.get(call) if name == "socketcall" else IPCCALLS.get(call)
    return base + call if known is not None else None


def of_multiplexer(arch: str, nr: int) -> frozenset[int]:
    """The numbers of every call the multiplexer ``nr`` stands for."""
    mux = multiplexers(arch).get(nr)
    if mux is None:
        return frozenset()
    table = SOCKETCALLS if mux[0] == "socketcall" else IPCCALLS
    return frozenset(mux[1] + call for call in table)


@cache
def in_class(arch: str, cls: str) -> frozenset[int]:
    """The multiplexed calls of a class (strace's TN/TI/TM flags of their entries)."""
    if arch not in _ARCHES:
        return frozenset()
    members = class_names(arch, cls)
    out = set()
    for name, nr in subcalls(arch).items():
        mux = "socketcall" if nr < _IPC_BASE else "ipc"
        if _CLASS_OF[mux] == cls or (mux == "ipc" and name in members):
            out.add(nr)
    return frozenset(out)
