"""Syscall numbers <-> names for the eBPF source: x86_64's table, and i386's for the calls a task
makes through the 32-bit entry (the BPF code flags those, see TS_CALL32 in syscope.bpf.c).

Uses the project's generated tables (``syscope.syscalls``) when present; otherwise the kernel UAPI
header ``asm/unistd_64.h``; otherwise ``syscall_NNN`` names, so the watcher never fails on them.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

_HEADERS = {
    "x86_64": ("/usr/include/x86_64-linux-gnu/asm/unistd_64.h", "/usr/include/asm/unistd_64.h"),
    "i386": ("/usr/include/x86_64-linux-gnu/asm/unistd_32.h", "/usr/include/asm/unistd_32.h"),
}

# i386 socketcall(2)'s calls (include/uapi/linux/net.h SYS_*) and their argument counts (net/socket.c
# nargs[]): the BPF code unpacks the arguments, the events carry the call's own name, as strace
# shows them.  send/recv/accept have no direct i386 call of their own.
SOCKETCALLS: dict[int, tuple[str, int]] = {
    1: ("socket", 3), 2: ("bind", 3), 3: ("connect", 3), 4: ("listen", 2), 5: ("accept", 3),
    6: ("getsockname", 3), 7: ("getpeername", 3), 8: ("socketpair", 4), 9: ("send", 4),
    10: ("recv", 4), 11: ("sendto", 6), 12: ("recvfrom", 6), 13: ("shutdown", 2),
    14: ("setsockopt", 5), 15: ("getsockopt", 5), 16: ("sendmsg", 3), 17: ("recvmsg", 3),
    18: ("accept4", 4), 19: ("recvmmsg", 5), 20: ("sendmmsg", 4),
}


@functools.cache
def by_nr(arch: str = "x86_64") -> dict[int, str]:
    try:
        from syscope.syscalls import table

        t = table(arch)
        out = {}
        for nr in range(512):
            info = t.by_nr(nr)
            if info is not None:
                out[nr] = info.name
        if out:
            return out
    except Exception:  # noqa: BLE001 - the generated tables are optional here
        pass
    for h in _HEADERS.get(arch, ()):
        p = Path(h)
        if p.exists():
            return {int(m.group(2)): m.group(1)
                    for m in re.finditer(r"#define __NR_(\w+)\s+(\d+)", p.read_text())}
    return {}


@functools.cache
def by_name(arch: str = "x86_64") -> dict[str, int]:
    return {v: k for k, v in by_nr(arch).items()}


def name_of(nr: int, arch: str = "x86_64") -> str:
    return by_nr(arch).get(nr) or f"syscall_{nr}"


@functools.cache
def nargs(arch: str = "x86_64") -> dict[int, int]:
    """nr -> argument count, from the generated tables when present (else all calls show 6)."""
    try:
        from syscope.syscalls import table

        t = table(arch)
        infos = (t.by_nr(nr) for nr in range(512))
        return {info.nr: info.nargs for info in infos if info is not None}
    except Exception:  # noqa: BLE001 - the generated tables are optional here
        return {}
