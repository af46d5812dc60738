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

# Which argument the kernel-side reader copies for each call: (index, "str" | "sock").
# Paths are read at exit (the kernel has copied them by then) - execve's at entry, in the BPF code.
PATH_ARGS: dict[str, tuple[int, str]] = {
    "open": (0, "str"), "creat": (0, "str"), "openat": (1, "str"), "openat2": (1, "str"),
    "stat": (0, "str"), "lstat": (0, "str"), "newfstatat": (1, "str"), "statx": (1, "str"),
    "access": (0, "str"), "faccessat": (1, "str"), "faccessat2": (1, "str"),
    "readlink": (0, "str"), "readlinkat": (1, "str"), "unlink": (0, "str"), "unlinkat": (1, "str"),
    "mkdir": (0, "str"), "mkdirat": (1, "str"), "rmdir": (0, "str"), "chdir": (0, "str"),
    "rename": (0, "str"), "renameat": (1, "str"), "renameat2": (1, "str"),
    "chmod": (0, "str"), "fchmodat": (1, "str"), "chown": (0, "str"), "lchown": (0, "str"),
    "fchownat": (1, "str"), "truncate": (0, "str"), "link": (0, "str"), "linkat": (1, "str"),
    "symlink": (1, "str"), "symlinkat": (2, "str"), "mknod": (0, "str"), "mknodat": (1, "str"),
    "utimensat": (1, "str"), "statfs": (0, "str"), "chroot": (0, "str"), "mount": (1, "str"),
    "umount2": (0, "str"), "inotify_add_watch": (1, "str"), "execve": (0, "str"),
    "execveat": (1, "str"), "swapon": (0, "str"),
    "connect": (1, "sock"), "bind": (1, "sock"), "sendto": (4, "sock"), "accept": (1, "sock"),
    "accept4": (1, "sock"), "getpeername": (1, "sock"), "getsockname": (1, "sock"),
    "recvfrom": (4, "sock"),
    # i386 names of the same calls (arch/x86/entry/syscalls/syscall_32.tbl)
    "stat64": (0, "str"), "lstat64": (0, "str"), "fstatat64": (1, "str"), "statfs64": (0, "str"),
    "truncate64": (0, "str"), "chown32": (0, "str"), "lchown32": (0, "str"), "umount": (0, "str"),
}

# Calls whose data the kernel-side reader copies (the first 255 bytes of what moved; the buffer
# is argument 1 of each): "data" a plain buffer, "iov" the first struct iovec of the array.
# sendto/recvfrom with an address: the address and the data (laid out as a msghdr's).
# "msg": a struct msghdr (sendmsg/recvmsg): its msg_name address and its first iovec's data;
# "mmsg": the same of the first struct mmsghdr of the array (sendmmsg/recvmmsg).
DATA_ARGS: dict[str, str] = {
    "read": "data", "write": "data", "pread64": "data", "pwrite64": "data",
    "sendto": "data", "recvfrom": "data",
    "readv": "iov", "writev": "iov", "preadv": "iov", "pwritev": "iov", "preadv2": "iov",
    "pwritev2": "iov",
    "sendmsg": "msg", "recvmsg": "msg", "sendmmsg": "mmsg", "recvmmsg": "mmsg",
    "recvmmsg_time64": "mmsg",  # i386 glibc >= 2.34 (64-bit time_t timeout; compat mmsghdr)
    "send": "data", "recv": "data",  # i386 socketcall(2) only
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
