"""Thin ctypes binding of elfutils' libdwfl (libdw.so.1), for -k/--stack-traces: unwinding the
stack of a thread this process has ptrace-stopped, as strace's unwind-libdw.c does, and the C++
ABI demangler of libstdc++ (``__cxa_demangle``) for its symbols.

The calls and their types are elfutils' <elfutils/libdwfl.h>; failures become KernelError with
dwfl_errmsg() here.  libdw reads the thread's registers (PTRACE_GETREGS) and memory itself, so
it must run in the tracer's own thread while the thread is stopped.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from dataclasses import dataclass

from syscope.errors import KernelError, UnsupportedError

Dwarf_Addr = ctypes.c_uint64
DWARF_CB_OK, DWARF_CB_ABORT = 0, 1  # <elfutils/libdw.h>


class _Callbacks(ctypes.Structure):
    # Dwfl_Callbacks: find_elf, find_debuginfo, section_address, debuginfo_path
    _fields_ = [("find_elf", ctypes.c_void_p), ("find_debuginfo", ctypes.c_void_p),
                ("section_address", ctypes.c_void_p), ("debuginfo_path", ctypes.c_void_p)]


class _Sym(ctypes.Structure):
    # GElf_Sym (Elf64_Sym, <elf.h>)
    _fields_ = [("st_name", ctypes.c_uint32), ("st_info", ctypes.c_uint8), ("st_other", ctypes.c_uint8),
                ("st_shndx", ctypes.c_uint16), ("st_value", ctypes.c_uint64), ("st_size", ctypes.c_uint64)]


FRAME_CB = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)


def _load() -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL("libdw.so.1")
    except OSError:
        return None


_dw = _load()
if _dw is not None:
    _dw.dwfl_begin.restype = ctypes.c_void_p
    _dw.dwfl_begin.argtypes = [ctypes.POINTER(_Callbacks)]
    _dw.dwfl_end.restype = None
    _dw.dwfl_end.argtypes = [ctypes.c_void_p]
    _dw.dwfl_report_begin.restype = None
    _dw.dwfl_report_begin.argtypes = [ctypes.c_void_p]
    _dw.dwfl_linux_proc_report.restype = ctypes.c_int
    _dw.dwfl_linux_proc_report.argtypes = [ctypes.c_void_p, ctypes.c_int]
    _dw.dwfl_report_end.restype = ctypes.c_int
    _dw.dwfl_report_end.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]
    _dw.dwfl_linux_proc_attach.restype = ctypes.c_int
    _dw.dwfl_linux_proc_attach.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_bool]
    _dw.dwfl_getthread_frames.restype = ctypes.c_int
    _dw.dwfl_getthread_frames.argtypes = [ctypes.c_void_p, ctypes.c_int, FRAME_CB, ctypes.c_void_p]
    _dw.dwfl_frame_pc.restype = ctypes.c_bool
    _dw.dwfl_frame_pc.argtypes = [ctypes.c_void_p, ctypes.POINTER(Dwarf_Addr), ctypes.POINTER(ctypes.c_bool)]
    _dw.dwfl_addrmodule.restype = ctypes.c_void_p
    _dw.dwfl_addrmodule.argtypes = [ctypes.c_void_p, Dwarf_Addr]
    _dw.dwfl_module_info.restype = ctypes.c_char_p
    _dw.dwfl_module_info.argtypes = [ctypes.c_void_p] + [ctypes.c_void_p] * 7
    _dw.dwfl_module_addrinfo.restype = ctypes.c_char_p
    _dw.dwfl_module_addrinfo.argtypes = [ctypes.c_void_p, Dwarf_Addr, ctypes.POINTER(ctypes.c_uint64),
                                         ctypes.POINTER(_Sym), ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]
    _dw.dwfl_module_relocate_address.restype = ctypes.c_int
    _dw.dwfl_module_relocate_address.argtypes = [ctypes.c_void_p, ctypes.POINTER(Dwarf_Addr)]
    _dw.dwfl_errmsg.restype = ctypes.c_char_p
    _dw.dwfl_errmsg.argtypes = [ctypes.c_int]


def available() -> bool:
    return _dw is not None


def errmsg() -> str:
    assert _dw is not None
    msg = _dw.dwfl_errmsg(-1)  # -1: the last error of this thread
    return msg.decode(errors="replace") if msg else "unknown error"


@dataclass(frozen=True, slots=True)
class Frame:
    """One frame: the module's file (None: no module maps the address), the symbol and the
    offset into it (None: no symbol), the address relative to the module (strace's true_offset)."""

    module: str | None
    symbol: str | None
    offset: int
    address: int


class Process:
    """A Dwfl session on one process (dwfl_begin + dwfl_linux_proc_attach with the process
    already ptrace-stopped by us: libdw neither attaches nor detaches)."""

    def __init__(self, pid: int) -> None:
        if _dw is None:
            raise UnsupportedError("-k needs elfutils' libdw.so.1 (Debian: libdw1)")
        self.pid = pid
        # the address of libdw's own finders, as strace's static Dwfl_Callbacks names them
        self._callbacks = _Callbacks(
            ctypes.cast(_dw.dwfl_linux_proc_find_elf, ctypes.c_void_p).value,
            ctypes.cast(_dw.dwfl_standard_find_debuginfo, ctypes.c_void_p).value, None, None)
        handle = _dw.dwfl_begin(ctypes.byref(self._callbacks))
        if not handle:
            raise KernelError(f"dwfl_begin: {errmsg()}")
        self._dwfl: int | None = handle
        rc = _dw.dwfl_linux_proc_attach(handle, pid, True)
        if rc != 0:
            self.close()
            import os

            why = errmsg() if rc < 0 else os.strerror(rc)
            raise KernelError(f"dwfl_linux_proc_attach returned an error for process {pid}: {why}")

    def report(self) -> None:
        """Reads the process's mappings again (/proc/PID/maps): after an mmap, an execve ..."""
        assert _dw is not None and self._dwfl is not None
        _dw.dwfl_report_begin(self._dwfl)
        if _dw.dwfl_linux_proc_report(self._dwfl, self.pid) != 0:
            raise KernelError(f"dwfl_linux_proc_report returned an error for pid {self.pid}: {errmsg()}")
        if _dw.dwfl_report_end(self._dwfl, None, None) != 0:
            raise KernelError(f"dwfl_report_end returned an error for pid {self.pid}: {errmsg()}")

    def frames(self, tid: int, depth: int = 256) -> tuple[list[Frame], str | None]:
        """The frames of stopped thread ``tid``, innermost first, and the error that ended the
        walk early (None when it reached the outermost frame)."""
        assert _dw is not None and self._dwfl is not None
        dw, dwfl = _dw, self._dwfl
        out: list[Frame] = []

        def one(state: int, _arg: int) -> int:
            pc, activation = Dwarf_Addr(), ctypes.c_bool()
            if not dw.dwfl_frame_pc(state, ctypes.byref(pc), ctypes.byref(activation)):
                return -1
            # a return address points after the call: look the call itself up (unwind-libdw.c)
            addr = pc.value if activation.value else pc.value - 1
            mod = dw.dwfl_addrmodule(dwfl, addr)
            if mod:
                name = dw.dwfl_module_info(mod, None, None, None, None, None, None, None)
                off, sym = ctypes.c_uint64(), _Sym()
                symbol = dw.dwfl_module_addrinfo(mod, addr, ctypes.byref(off), ctypes.byref(sym), None, None, None)
                true = Dwarf_Addr(addr)
                dw.dwfl_module_relocate_address(mod, ctypes.byref(true))
                out.append(Frame(name.decode(errors="replace") if name else None,
                                 symbol.decode(errors="replace") if symbol else None, off.value, true.value))
            return DWARF_CB_ABORT if len(out) > depth else DWARF_CB_OK

        rc = dw.dwfl_getthread_frames(dwfl, tid, FRAME_CB(one), None)
        if rc == 0:
            return out, None
        return out, errmsg() if rc < 0 else "too many stack frames"

    def close(self) -> None:
        if _dw is not None and self._dwfl is not None:
            _dw.dwfl_end(self._dwfl)
            self._dwfl = None


def _load_cxx() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("stdc++") or "libstdc++.so.6"
    try:
        lib = ctypes.CDLL(name)
    except OSError:
        return None
    lib.__cxa_demangle.restype = ctypes.c_void_p
    lib.__cxa_demangle.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_void_p, ctypes.POINTER(ctypes.c_int)]
    return lib


_cxx = _load_cxx()
_libc = ctypes.CDLL(None)
_libc.free.argtypes = [ctypes.c_void_p]


def demangle(symbol: str) -> str:
    """A C++ symbol as source code names it (``_ZN2ns2f3Ei`` -> ``ns::f3(int)``, the C++ ABI's
    __cxa_demangle, as strace's cplus_demangle(DMGL_AUTO | DMGL_PARAMS)); other names unchanged."""
    if _cxx is None or not symbol.startswith("_Z"):
        return symbol
    status = ctypes.c_int()
    got = _cxx.__cxa_demangle(symbol.encode(), None, None, ctypes.byref(status))
    if not got or status.value != 0:
        return symbol
    try:
        text = ctypes.string_at(got).decode(errors="replace")
    finally:
        _libc.free(got)
    return text
