"""Thin ctypes binding of prctl(2) for the options syscope uses; errno becomes KernelError here.

Safe between fork and exec: nothing here allocates beyond the call itself.
"""

from __future__ import annotations

import ctypes
import os

from syscope.errors import KernelError

_libc = ctypes.CDLL(None, use_errno=True)
_prctl = _libc.prctl
_prctl.restype = ctypes.c_int
_prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]

# <linux/prctl.h>
PR_SET_SECCOMP = 22
PR_SET_CHILD_SUBREAPER = 36
PR_SET_NO_NEW_PRIVS = 38
SECCOMP_MODE_FILTER = 2  # <linux/seccomp.h>

_NAMES = {PR_SET_SECCOMP: "PR_SET_SECCOMP", PR_SET_CHILD_SUBREAPER: "PR_SET_CHILD_SUBREAPER",
          PR_SET_NO_NEW_PRIVS: "PR_SET_NO_NEW_PRIVS"}


def prctl(option: int, arg2: int = 0, arg3: int = 0) -> None:
    if _prctl(option, arg2, arg3, 0, 0) != 0:
        err = ctypes.get_errno()
        raise KernelError(f"prctl({_NAMES.get(option, option)}): {os.strerror(err)}", err)


def set_no_new_privs() -> None:
    """execve can no longer grant privileges (set-uid, file capabilities); a task without
    CAP_SYS_ADMIN needs it before installing a seccomp filter (seccomp(2))."""
    prctl(PR_SET_NO_NEW_PRIVS, 1)


def set_child_subreaper(on: bool) -> None:
    """Orphaned descendants are re-parented to this process instead of init (prctl(2))."""
    prctl(PR_SET_CHILD_SUBREAPER, int(on))


def set_seccomp_filter(fprog_addr: int) -> None:
    """Install the classic-BPF program whose struct sock_fprog is at fprog_addr."""
    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, fprog_addr)
