"""Thin ctypes binding for installing a classic-BPF seccomp filter on the calling thread.

Used by the tracer's launched child between fork and exec (strace --seccomp-bpf does the same), so
it must be cheap and must not allocate much: the program bytes are built by the parent before fork.
The prctl calls (and their errno) are _kernel/prctl.py's.
"""

from __future__ import annotations

import ctypes

from syscope._kernel.prctl import set_no_new_privs, set_seccomp_filter

# <linux/seccomp.h> return values (the action is the high 16 bits)
SECCOMP_RET_ALLOW = 0x7FFF0000
SECCOMP_RET_TRACE = 0x7FF00000


class _SockFprog(ctypes.Structure):
    # struct sock_fprog (include/uapi/linux/filter.h): unsigned short len; struct sock_filter *filter
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


class PreparedFilter:
    """A filter program held in C memory, ready to install after fork without building anything."""

    def __init__(self, program: bytes) -> None:
        if len(program) % 8 or not 0 < len(program) // 8 <= 4096:  # BPF_MAXINSNS
            raise ValueError("a seccomp program is 1..4096 eight-byte instructions")
        self._buf = ctypes.create_string_buffer(program, len(program))
        self._fprog = _SockFprog(len(program) // 8, ctypes.addressof(self._buf))
        self._addr = ctypes.addressof(self._fprog)

    def install(self, no_new_privs: bool) -> None:
        """Install on the calling thread.  Without CAP_SYS_ADMIN the kernel demands no_new_privs
        first (seccomp(2), EACCES otherwise)."""
        if no_new_privs:
            set_no_new_privs()
        set_seccomp_filter(self._addr)
