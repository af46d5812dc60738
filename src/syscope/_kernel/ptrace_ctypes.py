"""The ctypes binding of ptrace(2), process_vm_readv(2) and process_vm_writev(2) behind
``syscope._kernel.ptrace``: its calls the C extension (``_stops``) does not make, and all of them
when the extension is not built.  Imported at the first such call only (ctypes costs ~2 ms at
start-up).
"""

from __future__ import annotations

import ctypes
import errno as _errno
import os

from syscope._kernel.ptrace_defs import (
    PTRACE_GET_SYSCALL_INFO,
    PTRACE_GETEVENTMSG,
    PTRACE_GETSIGINFO,
    PTRACE_PEEKUSER,
    PTRACE_POKEUSER,
    failure,
    request_name,
)
from syscope.errors import KernelError

_libc = ctypes.CDLL(None, use_errno=True)
_ptrace = _libc.ptrace
_ptrace.restype = ctypes.c_long
_ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p]


def _fail(what: str, pid: int) -> KernelError:
    return failure(what, pid, ctypes.get_errno())


def ptrace(request: int, pid: int, addr: int = 0, data: int = 0) -> int:
    res = _ptrace(request, pid, addr, data)
    if res == -1 and ctypes.get_errno():
        raise _fail(f"ptrace({request_name(request)}", pid)
    return int(res)


raw_ptrace = _ptrace  # the bare call for the tracer's hot path: -1 on failure, errno unread


def resume(request: int, tid: int, sig: int = 0) -> bool:
    """PTRACE_SYSCALL/CONT/LISTEN on the hot path: False when the task is gone (ESRCH: it was
    killed while stopped, its exit status follows), errors other than ESRCH raise."""
    if _ptrace(request, tid, None, sig) == -1:
        if ctypes.get_errno() == _errno.ESRCH:
            return False
        raise _fail(f"ptrace({request}", tid)
    return True


def peek_user(tid: int, offset: int) -> int:
    ctypes.set_errno(0)
    res = _ptrace(PTRACE_PEEKUSER, tid, offset, None)
    if res == -1 and ctypes.get_errno():
        raise _fail("ptrace(PTRACE_PEEKUSER", tid)
    return int(res) & 0xFFFFFFFFFFFFFFFF


def poke_user(tid: int, offset: int, value: int) -> None:
    if _ptrace(PTRACE_POKEUSER, tid, offset, ctypes.c_void_p(value & 0xFFFFFFFFFFFFFFFF)) == -1:
        raise _fail("ptrace(PTRACE_POKEUSER", tid)

# struct ptrace_syscall_info (include/uapi/linux/ptrace.h): op u8, pad[3], arch u32, ip u64,
# sp u64, then {nr u64, args[6] u64} at entry or {rval s64, is_error u8} at exit: 88 bytes.
_INFO_SIZE = 88
_info_buf = ctypes.create_string_buffer(_INFO_SIZE)
_info_addr = ctypes.addressof(_info_buf)


_info_view = memoryview(_info_buf).cast("B")


def get_syscall_info(tid: int) -> memoryview:
    """The stop's struct ptrace_syscall_info, as a view of one shared buffer: valid until the
    next call (the hot path unpacks it at once instead of copying 88 bytes).  Success returns the
    size the kernel filled, so errno needs no reset."""
    if _ptrace(PTRACE_GET_SYSCALL_INFO, tid, _INFO_SIZE, _info_addr) <= 0:
        raise _fail("ptrace(PTRACE_GET_SYSCALL_INFO", tid)
    return _info_view


def get_siginfo(tid: int) -> bytes:
    buf = ctypes.create_string_buffer(128)
    if _ptrace(PTRACE_GETSIGINFO, tid, 0, ctypes.addressof(buf)) == -1:
        raise _fail("ptrace(PTRACE_GETSIGINFO", tid)
    return buf.raw


def get_event_msg(tid: int) -> int:
    val = ctypes.c_ulong(0)
    if _ptrace(PTRACE_GETEVENTMSG, tid, 0, ctypes.addressof(val)) == -1:
        raise _fail("ptrace(PTRACE_GETEVENTMSG", tid)
    return int(val.value)


class _IOVec(ctypes.Structure):
    _fields_ = [("base", ctypes.c_void_p), ("len", ctypes.c_size_t)]


_pvr = _libc.process_vm_readv
_pvr.restype = ctypes.c_ssize_t
_pvr.argtypes = [ctypes.c_int, ctypes.POINTER(_IOVec), ctypes.c_ulong,
                 ctypes.POINTER(_IOVec), ctypes.c_ulong, ctypes.c_ulong]


_read_size = 1 << 16
_read_buf = ctypes.create_string_buffer(_read_size)
_local = _IOVec(ctypes.addressof(_read_buf), 0)
_remote = _IOVec(0, 0)
_local_ref, _remote_ref = ctypes.byref(_local), ctypes.byref(_remote)


def process_vm_read(pid: int, addr: int, size: int) -> bytes | None:
    """Read tracee memory; None when the address faults (short read at a page boundary).

    Reads up to 64 KiB go through one preallocated buffer (the tracer is single-threaded), the
    common small reads of the hot path then cost one syscall and one copy."""
    if size > _read_size:
        buf = ctypes.create_string_buffer(size)
        local = _IOVec(ctypes.addressof(buf), size)
        remote = _IOVec(addr, size)
        n = _pvr(pid, ctypes.byref(local), 1, ctypes.byref(remote), 1, 0)
        if n < 0:
            _vm_error(pid)
        return buf.raw[:n] if n > 0 else None
    _local.len = size
    _remote.base = addr
    _remote.len = size
    n = _pvr(pid, _local_ref, 1, _remote_ref, 1, 0)
    if n <= 0:
        if n < 0:
            _vm_error(pid)
        return None
    return ctypes.string_at(_read_buf, n)


def _vm_error(pid: int) -> None:
    """A bad address (EFAULT) or a vanished task (ESRCH) reads as nothing; anything else (ENOSYS
    without CONFIG_CROSS_MEMORY_ATTACH, EPERM under some LSMs) means this way cannot read at all."""
    err = ctypes.get_errno()
    if err not in (_errno.EFAULT, _errno.ESRCH, _errno.EIO):
        raise KernelError(f"process_vm_readv({pid}): {os.strerror(err)}", err)


PTRACE_PEEKDATA = 2


def peek_data(tid: int, addr: int) -> int | None:
    """One word of tracee memory (PTRACE_PEEKDATA), None when the address faults."""
    ctypes.set_errno(0)
    res = _ptrace(PTRACE_PEEKDATA, tid, addr, None)
    if res == -1 and ctypes.get_errno():
        return None
    return int(res) & 0xFFFFFFFFFFFFFFFF


_pvw = _libc.process_vm_writev
_pvw.restype = ctypes.c_ssize_t
_pvw.argtypes = _pvr.argtypes


PTRACE_POKEDATA = 5


def process_vm_write(pid: int, addr: int, data: bytes) -> tuple[int, int]:
    """Write tracee memory (-e inject=...:poke_enter=): (bytes written, errno).  Fewer bytes when
    the range faults part-way (0: none); the errno says why the write stopped, 0 when
    process_vm_writev(2) just wrote less (it tells no reason).  Where process_vm_writev is not
    available (ENOSYS: an older kernel, a seccomp filter; EPERM) or faults at once (EFAULT, EIO)
    the words are written with PTRACE_POKEDATA, the bytes around an unaligned start or end kept
    as they were (strace's ucopy.c upoken)."""
    buf = ctypes.create_string_buffer(data, len(data))
    local = _IOVec(ctypes.addressof(buf), len(data))
    remote = _IOVec(addr, len(data))
    got = _pvw(pid, ctypes.byref(local), 1, ctypes.byref(remote), 1, 0)
    if got >= 0:
        return int(got), 0
    err = ctypes.get_errno()
    if err not in (_errno.ENOSYS, _errno.EPERM, _errno.EFAULT, _errno.EIO):
        raise _fail("process_vm_writev(", pid)
    return _poke_words(pid, addr, data)


def _poke_words(pid: int, addr: int, data: bytes) -> tuple[int, int]:
    """PTRACE_POKEDATA word by word: a partial first or last word is read first (PEEKDATA) and
    only its bytes in the range replaced; stops at the first word that faults, with its errno."""
    word = ctypes.sizeof(ctypes.c_void_p)
    start, end = addr - addr % word, addr + len(data)
    written = 0
    for at in range(start, end, word):
        lo, hi = max(addr, at), min(end, at + word)
        if lo > at or hi < at + word:
            old = peek_data(pid, at)
            if old is None:
                return written, ctypes.get_errno()
            chunk = bytearray(old.to_bytes(word, "little"))
        else:
            chunk = bytearray(word)
        chunk[lo - at:hi - at] = data[lo - addr:hi - addr]
        if _ptrace(PTRACE_POKEDATA, pid, at, int.from_bytes(chunk, "little")) == -1:
            return written, ctypes.get_errno()
        written += hi - lo
    return written, 0
