"""Reading a stopped tracee's memory (the MemoryReader contract in CONTRIBUTING.md).

Three ways: process_vm_readv(2), one syscall per read; /proc/PID/mem with pread(2), also one
syscall per read (after one open per thread), and the way left when the kernel lacks cross-memory
attach (CONFIG_CROSS_MEMORY_ATTACH) or an LSM refuses it; PTRACE_PEEKDATA one word at a time as
the last resort.  A way that fails for a reason other than a bad address is dropped for the rest
of the session.

strace tries process_vm_readv first (umoven).  Which of the first two is cheaper depends on the
machine: process_vm_readv pins the pages (get_user_pages_remote) while /proc/PID/mem maps them one
at a time, and on a VM with costly page-table work the difference is 2-3x for the short reads
of a trace (a 32-byte string).  So once a session has made some reads (a short trace gains
nothing from it), the next ones alternate between the two and time them, and the cheaper one
comes first from then on.

Pages, as strace's ucopy.c vm_read_mem: between ``hold_pages()`` and ``drop_pages()`` (the tracer
brackets each half of a call it decodes: strace drops its pages whenever the thread ran,
invalidate_umove_cache) a read within at most four pages reads those pages whole and keeps them:
the many small reads of one call (an iovec array and each of its buffers, a path and a struct
next to it on the stack) cost one syscall per page, not one each.  Outside, every read is fresh.
Not with PTRACE_PEEKDATA (a word a call).
"""

from __future__ import annotations

import errno
import os
import struct
import time

from syscope._kernel.ptrace import peek_data
from syscope._kernel.stops import vm_read
from syscope.errors import KernelError
from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

_PAGE = 4096
_PAGE_MASK = _PAGE - 1
_CACHED_PAGES = 4  # strace's cached_raddr[4]
_WORD = struct.Struct("<Q")

METHODS = ("vm", "procmem", "peek")
_usable = list(METHODS)  # shared by every ProcessMemory: what works on this kernel, cheapest first
_CALIBRATION = 32  # timed reads of each of the first two ways before the cheaper one is kept
_WARM_UP = 256  # reads before the calibration starts


class _Calibration:
    """Times the first reads of a session, alternating process_vm_readv and /proc/PID/mem, then
    puts the one with the smaller median first in ``_usable``."""

    def __init__(self) -> None:
        self.times: dict[str, list[float]] = {"vm": [], "procmem": []}
        self.done = False
        self.warm_up = _WARM_UP

    def started(self) -> bool:
        """Counts a read: False while the session's first reads go the default way."""
        if self.warm_up:
            self.warm_up -= 1
            return False
        return True

    def next_method(self) -> str | None:
        """The way the next read should take (None: calibrated, or nothing left to compare)."""
        if self.done:
            return None
        if "vm" not in _usable or "procmem" not in _usable:
            self.done = True
            return None
        vm, pm = self.times["vm"], self.times["procmem"]
        if len(vm) >= _CALIBRATION and len(pm) >= _CALIBRATION:
            self.done = True
            vm.sort()
            pm.sort()
            if pm[len(pm) // 2] < vm[len(vm) // 2]:
                _usable.remove("procmem")
                _usable.insert(_usable.index("vm"), "procmem")
            return None
        return "vm" if len(vm) <= len(pm) else "procmem"


_calibration = _Calibration()

# Where strace's warning about a string cut by an unmapped page goes (the CLI's stderr); None: said
# nowhere (the Python API is quiet).  One tracer per process: set by Tracer from its callback.
short_read_warning: Callable[[str], None] | None = None


def process_vm_read(tid: int, addr: int, size: int) -> bytes | None:
    """process_vm_readv(2) of one range: None when nothing is readable; KernelError when this
    way of reading does not work here (ENOSYS, EPERM)."""
    got = vm_read(tid, addr, size)
    if got.__class__ is int:
        raise KernelError(f"process_vm_readv({tid}): {os.strerror(got)}", got)
    return got


class ProcessMemory:
    """Reads of one thread's memory; reads never cross a page they cannot reach.

    ``method`` pins one way ("vm", "procmem", "peek"); by default the first usable one is used.
    /proc/PID/mem is opened on first use: make a new ProcessMemory after an execve (the old
    file still shows the old address space)."""

    __slots__ = ("tid", "_method", "_fd", "held")

    def __init__(self, tid: int, method: str | None = None) -> None:
        if method is not None and method not in METHODS:
            raise ValueError(f"unknown memory method {method!r}")
        self.tid = tid
        self._method = method
        self._fd = -1
        # page -> its bytes while held (hold_pages/drop_pages; the tracer sets it itself, twice a call)
        self.held: dict[int, bytes | None] | None = None

    def hold_pages(self) -> None:
        """Keep the pages read from now on, until drop_pages(): the thread's memory does not
        change meanwhile (it is stopped, or only inputs of its current call are read)."""
        self.held = {}

    def drop_pages(self) -> None:
        self.held = None

    @property
    def needs_stop(self) -> bool:
        """Does reading need the thread stopped?  PTRACE_PEEKDATA does (ptrace(2): the tracee
        must be in a ptrace-stop); process_vm_readv and /proc/PID/mem read a running task."""
        return (self._method or _usable[0]) == "peek"

    def __del__(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)

    def _raw(self, addr: int, size: int) -> bytes | None:
        """One read that may come back short at an unmapped page; None when nothing is readable."""
        if not _calibration.done and self._method is None and _calibration.started():
            return self._timed(addr, size)
        while True:
            method = self._method or _usable[0]
            try:
                if method == "vm":  # process_vm_read, inline: a read a call
                    got = vm_read(self.tid, addr, size)
                    return got if got.__class__ is not int else process_vm_read(self.tid, addr, size)
                if method == "procmem":
                    return self._pread(addr, size)
                return self._peek(addr, size)
            except KernelError:
                if self._method is not None or len(_usable) == 1:
                    return None
                if method in _usable:
                    _usable.remove(method)

    def _timed(self, addr: int, size: int) -> bytes | None:
        """A read during the session's calibration: by the way it asks for, timed."""
        method = _calibration.next_method()
        if method is None:
            return self._raw(addr, size)
        t0 = time.perf_counter()
        try:
            data = process_vm_read(self.tid, addr, size) if method == "vm" else self._pread(addr, size)
        except KernelError:
            if method in _usable:
                _usable.remove(method)
            return self._raw(addr, size)
        if data is not None:  # a fault is no measure of the way
            _calibration.times[method].append(time.perf_counter() - t0)
        return data

    def _pread(self, addr: int, size: int) -> bytes | None:
        if self._fd < 0:
            try:
                self._fd = os.open(f"/proc/{self.tid}/mem", os.O_RDONLY | os.O_CLOEXEC)
            except FileNotFoundError:
                return None  # the task is gone
            except OSError as exc:
                raise KernelError(f"open /proc/{self.tid}/mem: {exc.strerror}", exc.errno or 0) from None
        try:
            data = os.pread(self._fd, size, addr)
        except (OSError, OverflowError):
            return None  # EIO: unmapped; ESRCH: the task is gone; >= 2**63: not an off_t, not mapped
        return data or None

    def _peek(self, addr: int, size: int) -> bytes | None:
        start = addr & ~7
        out = bytearray()
        pos = start
        while pos < addr + size:
            word = peek_data(self.tid, pos)
            if word is None:
                break
            out += _WORD.pack(word)
            pos += 8
        data = bytes(out[addr - start: addr - start + size])
        return data or None

    def _page(self, page: int) -> bytes | None:
        """One whole page, read once per decoding; None when it is not mapped."""
        pages = self.held
        assert pages is not None
        if page in pages:  # (not a KeyError caught: a page not yet read is the usual case)
            return pages[page]
        if len(pages) >= _CACHED_PAGES:
            del pages[next(iter(pages))]  # the oldest
        data = pages[page] = self._raw(page, _PAGE)
        return data

    def _cached(self, addr: int, size: int) -> bool:
        """Is this read served by whole pages?  Up to four pages, not page 0, not word by word."""
        first = addr & ~_PAGE_MASK
        return (self.held is not None and 0 < first and addr + size - first <= _CACHED_PAGES * _PAGE
                and (self._method or _usable[0]) != "peek")

    def _read_pages(self, addr: int, size: int) -> bytes | None:
        parts = []
        pos, end = addr, addr + size
        while pos < end:
            page = pos & ~_PAGE_MASK
            data = self._page(page)
            if data is None:
                break
            chunk = data[pos - page: pos - page + end - pos]
            parts.append(chunk)
            pos += len(chunk)
            if len(data) < _PAGE:
                break  # cut short at a fault
        return b"".join(parts) or None

    def read(self, addr: int, size: int) -> bytes | None:
        if size <= 0:
            return b""
        pages = self.held
        if pages is not None:  # a read within one held page (most reads of a call): in one step
            first = addr & ~_PAGE_MASK
            if first and addr + size <= first + _PAGE and (self._method or _usable[0]) != "peek":
                data = pages[first] if first in pages else self._page(first)
                return None if data is None else data[addr - first: addr - first + size] or None
        if self._cached(addr, size):
            return self._read_pages(addr, size)
        data = self._raw(addr, size)
        if data is None or len(data) == size:
            return data
        # A partial read stops at a fault: retry page by page so we return what is mapped.
        out = bytearray(data)
        while len(out) < size:
            chunk = self._raw(addr + len(out), min(size - len(out), _PAGE - (addr + len(out)) % _PAGE))
            if not chunk:
                break
            out += chunk
        return bytes(out)

    def read_cstr(self, addr: int, limit: int) -> tuple[bytes, bool] | None:
        # Read up to the end of the current page first, as strace's umovestr does, so that a
        # string ending just before an unmapped page is still read.
        out = b""
        pos = addr
        while len(out) < limit:
            want = min(_PAGE - (pos % _PAGE), limit - len(out))
            # the whole of it from a held page (want ends at the page's end at most), as read()
            pages = self.held
            first = pos & ~_PAGE_MASK
            if pages is not None and first and (self._method or _usable[0]) != "peek":
                data = pages[first] if first in pages else self._page(first)
                chunk = None if data is None else data[pos - first: pos - first + want] or None
            else:
                chunk = self._raw(pos, want)
            if chunk is None:
                if not out:
                    return None
                if short_read_warning is not None:
                    # strace's umovestr: bytes were read, then the next page faulted (EFAULT
                    # from process_vm_readv, EIO from /proc/PID/mem and PTRACE_PEEKDATA)
                    err = errno.EFAULT if (self._method or _usable[0]) == "vm" else errno.EIO
                    short_read_warning(f"short read ({len(out)} < {limit}) @{addr:#x}: {os.strerror(err)}")
                return out, False
            nul = chunk.find(b"\0")
            if nul >= 0:
                return out + chunk[:nul], True
            out += chunk
            pos += len(chunk)
        return out[:limit], False
