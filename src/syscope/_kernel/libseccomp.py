"""ctypes binding of the system libseccomp (Debian's libseccomp2, ``libseccomp.so.2``, 2.5.4).

Only what enforcement needs: build a filter context, add architectures and rules, resolve syscall
names per architecture, load.  libseccomp returns negative errno values (seccomp_rule_add(3):
"return zero on success or a negative errno value on failure"); they become domain exceptions here.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno as _errno
import functools
import os
from collections.abc import Sequence

from syscope.errors import KernelError, ProfileError, UnsupportedError

# Actions, from <seccomp.h> (libseccomp 2.5.4).
SCMP_ACT_KILL_PROCESS = 0x80000000
SCMP_ACT_KILL_THREAD = 0x00000000
SCMP_ACT_TRAP = 0x00030000
SCMP_ACT_NOTIFY = 0x7FC00000
SCMP_ACT_LOG = 0x7FFC0000
SCMP_ACT_ALLOW = 0x7FFF0000


def SCMP_ACT_ERRNO(x: int) -> int:  # noqa: N802 - the <seccomp.h> macro's name
    return 0x00050000 | (x & 0x0000FFFF)


def SCMP_ACT_TRACE(x: int) -> int:  # noqa: N802
    return 0x7FF00000 | (x & 0x0000FFFF)


# The arches of the machines syscope runs on and their 32-bit ABIs: syscope's name (the tracer's
# SyscallEvent.arch), libseccomp's name (seccomp_arch_resolve_name(3)) and its SCMP_ARCH_* macro
# (the name OCI profiles use).  Their numbers (AUDIT_ARCH_* of <linux/audit.h>, the arch of struct
# seccomp_data) are libseccomp's own tokens, asked for in audit_arches().
ARCH_NAMES: tuple[tuple[str, str, str], ...] = (
    ("x86_64", "x86_64", "SCMP_ARCH_X86_64"), ("i386", "x86", "SCMP_ARCH_X86"),
    ("x32", "x32", "SCMP_ARCH_X32"), ("aarch64", "aarch64", "SCMP_ARCH_AARCH64"),
    ("arm", "arm", "SCMP_ARCH_ARM"),
)


@functools.cache
def audit_arches() -> dict[int, tuple[str, str]]:
    """AUDIT_ARCH token -> (syscope's arch name, SCMP_ARCH_* name), as this libseccomp resolves them."""
    out: dict[int, tuple[str, str]] = {}
    for name, lname, scmp in ARCH_NAMES:
        tok = arch_resolve(lname)
        if tok is not None:
            out[tok] = (name, scmp)
    return out


def __getattr__(name: str) -> dict[int, tuple[str, str]]:
    # AUDIT_ARCHES: the mapping audit_arches() returns, resolved on first use (it loads libseccomp)
    if name == "AUDIT_ARCHES":
        return audit_arches()
    raise AttributeError(name)


# enum scmp_compare
CMP_OPS: dict[str, int] = {
    "SCMP_CMP_NE": 1, "SCMP_CMP_LT": 2, "SCMP_CMP_LE": 3, "SCMP_CMP_EQ": 4,
    "SCMP_CMP_GE": 5, "SCMP_CMP_GT": 6, "SCMP_CMP_MASKED_EQ": 7,
}

# enum scmp_filter_attr
SCMP_FLTATR_CTL_NNP = 3


class _ArgCmp(ctypes.Structure):
    # struct scmp_arg_cmp { unsigned int arg; enum scmp_compare op; scmp_datum_t datum_a, datum_b; }
    _fields_ = [("arg", ctypes.c_uint), ("op", ctypes.c_int),
                ("datum_a", ctypes.c_uint64), ("datum_b", ctypes.c_uint64)]


_lib: ctypes.CDLL | None = None
_libc = ctypes.CDLL(None, use_errno=True)


def lib() -> ctypes.CDLL:
    global _lib
    if _lib is None:
        name = ctypes.util.find_library("seccomp") or "libseccomp.so.2"
        try:
            so = ctypes.CDLL(name, use_errno=True)
        except OSError as exc:
            raise UnsupportedError(f"libseccomp is not installed ({exc})") from None
        so.seccomp_init.restype = ctypes.c_void_p
        so.seccomp_init.argtypes = [ctypes.c_uint32]
        so.seccomp_release.argtypes = [ctypes.c_void_p]
        so.seccomp_release.restype = None
        so.seccomp_arch_add.argtypes = [ctypes.c_void_p, ctypes.c_uint32]
        so.seccomp_arch_remove.argtypes = [ctypes.c_void_p, ctypes.c_uint32]
        so.seccomp_arch_exist.argtypes = [ctypes.c_void_p, ctypes.c_uint32]
        so.seccomp_arch_native.restype = ctypes.c_uint32
        so.seccomp_arch_resolve_name.argtypes = [ctypes.c_char_p]
        so.seccomp_arch_resolve_name.restype = ctypes.c_uint32
        so.seccomp_syscall_resolve_name_arch.argtypes = [ctypes.c_uint32, ctypes.c_char_p]
        so.seccomp_syscall_resolve_name_arch.restype = ctypes.c_int
        so.seccomp_syscall_resolve_num_arch.argtypes = [ctypes.c_uint32, ctypes.c_int]
        so.seccomp_syscall_resolve_num_arch.restype = ctypes.c_void_p
        so.seccomp_rule_add_array.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int,
                                              ctypes.c_uint, ctypes.POINTER(_ArgCmp)]
        so.seccomp_load.argtypes = [ctypes.c_void_p]
        so.seccomp_attr_set.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_uint32]
        so.seccomp_export_bpf.argtypes = [ctypes.c_void_p, ctypes.c_int]
        so.seccomp_merge.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
        so.seccomp_version.restype = ctypes.POINTER(_Version)
        _lib = so
    return _lib


def arch_native() -> int:
    return int(lib().seccomp_arch_native())


def arch_resolve(name: str) -> int | None:
    """``x86_64`` -> AUDIT_ARCH_X86_64 token; None when this libseccomp does not know the name."""
    tok = int(lib().seccomp_arch_resolve_name(name.encode()))
    return tok or None


def syscall_nr(arch: int, name: str) -> int | None:
    """The number of ``name`` on ``arch``; None when unknown (__NR_SCMP_ERROR)."""
    nr = int(lib().seccomp_syscall_resolve_name_arch(arch, name.encode()))
    return None if nr == -1 else nr


def syscall_name(arch: int, nr: int) -> str | None:
    p = lib().seccomp_syscall_resolve_num_arch(arch, nr)
    if not p:
        return None
    try:
        return ctypes.string_at(p).decode()
    finally:
        _libc.free(ctypes.c_void_p(p))


X32_SYSCALL_BIT = 0x40000000  # arch/x86/include/uapi/asm/unistd.h __X32_SYSCALL_BIT


def name_of_call(audit_arch: int, nr: int) -> str:
    """The name of a call as seccomp reports it (struct seccomp_data, an AUDIT_SECCOMP record):
    an x32 call comes with AUDIT_ARCH_X86_64 and __X32_SYSCALL_BIT set in its number, and only
    libseccomp's x32 arch names those numbers.  ``syscall_NR`` when no name is known."""
    if nr & X32_SYSCALL_BIT and audit_arches().get(audit_arch, ("",))[0] == "x86_64":
        audit_arch = arch_resolve("x32") or audit_arch
    return syscall_name(audit_arch, nr) or f"syscall_{nr}"


class _Version(ctypes.Structure):
    # struct scmp_version { unsigned int major, minor, micro; } (seccomp_version(3))
    _fields_ = [("major", ctypes.c_uint), ("minor", ctypes.c_uint), ("micro", ctypes.c_uint)]


def version() -> tuple[int, int, int]:
    """The version of the libseccomp loaded (seccomp_version(3))."""
    v = lib().seccomp_version().contents
    return (v.major, v.minor, v.micro)


def _check(rc: int, what: str) -> None:
    if rc < 0:
        err = -rc
        raise KernelError(f"{what}: {os.strerror(err)}", err)


class Filter:
    """A libseccomp filter context (``scmp_filter_ctx``); released on close or garbage collection."""

    def __init__(self, default_action: int) -> None:
        self._ctx: int | None = None  # set first: __del__ runs even when __init__ raises
        ctx = lib().seccomp_init(default_action)
        if not ctx:
            raise ProfileError(f"libseccomp refused default action {default_action:#x}")
        self._ctx = ctx

    @property
    def ctx(self) -> int:
        if self._ctx is None:
            raise ValueError("filter released")
        return self._ctx

    def add_arch(self, arch: int) -> None:
        rc = int(lib().seccomp_arch_add(self.ctx, arch))
        # -EEXIST: already present (the native arch is added by seccomp_init), seccomp_arch_add(3).
        if rc != -_errno.EEXIST:
            _check(rc, f"seccomp_arch_add({arch:#x})")

    def has_arch(self, arch: int) -> bool:
        return int(lib().seccomp_arch_exist(self.ctx, arch)) == 0

    def remove_arch(self, arch: int) -> None:
        _check(int(lib().seccomp_arch_remove(self.ctx, arch)), f"seccomp_arch_remove({arch:#x})")

    def add_rule(self, action: int, nr: int, conds: Sequence[tuple[int, int, int, int]] = ()) -> None:
        """conds: (arg index, op, datum_a, datum_b) as struct scmp_arg_cmp."""
        arr = (_ArgCmp * max(1, len(conds)))()
        for i, (arg, op, a, b) in enumerate(conds):
            arr[i].arg, arr[i].op, arr[i].datum_a, arr[i].datum_b = arg, op, a, b
        rc = int(lib().seccomp_rule_add_array(self.ctx, action, nr, len(conds), arr))
        if rc < 0:
            raise ProfileError(f"libseccomp rejected rule for syscall {nr}: {os.strerror(-rc)}")

    def merge(self, other: Filter) -> None:
        """seccomp_merge(3): ``other`` (disjoint arches, same attributes) is consumed."""
        _check(int(lib().seccomp_merge(self.ctx, other.ctx)), "seccomp_merge")
        other._ctx = None

    def set_nnp(self, on: bool) -> None:
        _check(int(lib().seccomp_attr_set(self.ctx, SCMP_FLTATR_CTL_NNP, int(on))), "seccomp_attr_set")

    def load(self) -> int:
        """seccomp_load(3); returns the negative errno (no raise: called in a forked child)."""
        return int(lib().seccomp_load(self.ctx))

    def export_bpf(self, fd: int) -> None:
        _check(int(lib().seccomp_export_bpf(self.ctx, fd)), "seccomp_export_bpf")

    def close(self) -> None:
        if self._ctx is not None:
            lib().seccomp_release(self._ctx)
            self._ctx = None

    def __del__(self) -> None:
        self.close()


# struct seccomp_data / seccomp_notif / seccomp_notif_resp (include/uapi/linux/seccomp.h).
class SeccompData(ctypes.Structure):
    _fields_ = [("nr", ctypes.c_int), ("arch", ctypes.c_uint32), ("instruction_pointer", ctypes.c_uint64),
                ("args", ctypes.c_uint64 * 6)]


class Notif(ctypes.Structure):
    _fields_ = [("id", ctypes.c_uint64), ("pid", ctypes.c_uint32), ("flags", ctypes.c_uint32),
                ("data", SeccompData)]


class NotifResp(ctypes.Structure):
    _fields_ = [("id", ctypes.c_uint64), ("val", ctypes.c_int64), ("error", ctypes.c_int32),
                ("flags", ctypes.c_uint32)]


SECCOMP_USER_NOTIF_FLAG_CONTINUE = 1


# _IOWR('!', 0, struct seccomp_notif) and _IOWR('!', 1, struct seccomp_notif_resp)
SECCOMP_IOCTL_NOTIF_RECV = 0xC0502100
SECCOMP_IOCTL_NOTIF_SEND = 0xC0182101
_libc.ioctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p]


class Notifier:
    """Receive/answer user notifications on a listener fd, with the ioctls of seccomp_unotify(2).

    libseccomp's seccomp_notify_receive() is not used: 2.5.4 folds every ioctl failure into
    ECANCELED, and we must tell ENOENT (the task died) from real errors."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def receive(self) -> Notif | None:
        """One notification; None when it vanished (ENOENT: the task died) or on EINTR."""
        req = Notif()  # must be zeroed: the kernel rejects a dirty buffer with EINVAL
        if _libc.ioctl(self.fd, SECCOMP_IOCTL_NOTIF_RECV, ctypes.byref(req)) < 0:
            err = ctypes.get_errno()
            if err in (_errno.ENOENT, _errno.EINTR):
                return None
            raise KernelError(f"SECCOMP_IOCTL_NOTIF_RECV: {os.strerror(err)}", err)
        return req

    def respond(self, notif_id: int, error: int = 0, val: int = 0, cont: bool = False) -> None:
        r = NotifResp(notif_id, val, -error if error else 0, SECCOMP_USER_NOTIF_FLAG_CONTINUE if cont else 0)
        if _libc.ioctl(self.fd, SECCOMP_IOCTL_NOTIF_SEND, ctypes.byref(r)) < 0:
            err = ctypes.get_errno()
            # ENOENT: the task was killed while we decided (seccomp_unotify(2)); nothing to answer.
            if err != _errno.ENOENT:
                raise KernelError(f"SECCOMP_IOCTL_NOTIF_SEND: {os.strerror(err)}", err)

    def close(self) -> None:
        os.close(self.fd)


def pidfd_getfd(pid: int, targetfd: int) -> int:
    """Duplicate ``targetfd`` of process ``pid`` into us (pidfd_getfd(2), Linux 5.6)."""
    pidfd = os.pidfd_open(pid)
    try:
        fd = int(_libc.syscall(438, pidfd, targetfd, 0))  # __NR_pidfd_getfd, same on all arches
        if fd < 0:
            err = ctypes.get_errno()
            raise KernelError(f"pidfd_getfd({pid}, {targetfd}): {os.strerror(err)}", err)
        return fd
    finally:
        os.close(pidfd)
