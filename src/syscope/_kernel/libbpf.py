"""ctypes binding of the system libbpf (Debian's libbpf1, ``libbpf.so.1``, 1.1.x).

Only what the eBPF source needs: open/load an object, attach its programs, find maps, read and
write map elements, and map a BPF ring buffer's pages so the consumer can read records in batches
straight from shared memory (no per-event callback into Python).

libbpf >= 1.0 returns NULL/negative errno and sets errno (libbpf.h "LIBBPF_STRICT" defaults); the
errno is turned into a domain exception here and only here.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno as _errno
import mmap
import os
import struct
from collections.abc import Iterator
from pathlib import Path

from syscope.errors import AccessDenied, KernelError, SyscopeError, UnsupportedError
from syscope.lean import cache
from syscope.typenames import NamedTuple

_PRINT_FN = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_void_p)

_lib: ctypes.CDLL | None = None
_libc = ctypes.CDLL(None, use_errno=True)
_libc.vsnprintf.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_void_p]
_log: list[str] = []


def _on_print(level: int, fmt: bytes, va: int) -> int:
    # libbpf_print_fn_t receives a va_list; on x86_64 a va_list argument is passed as a pointer,
    # which vsnprintf accepts as is.
    buf = ctypes.create_string_buffer(1024)
    _libc.vsnprintf(buf, len(buf), fmt, va)
    _log.append(buf.value.decode(errors="replace"))
    del _log[:-200]
    return 0


_print_cb = _PRINT_FN(_on_print)


def lib() -> ctypes.CDLL:
    """The loaded libbpf, or UnsupportedError saying why not."""
    global _lib
    if _lib is not None:
        return _lib
    name = "libbpf.so.1"
    try:
        l_ = ctypes.CDLL(name, use_errno=True)
    except OSError:
        found = ctypes.util.find_library("bpf")
        if not found:
            raise UnsupportedError("eBPF unavailable: libbpf.so.1 is not installed "
                                   "(Debian/Ubuntu: apt install libbpf1)") from None
        l_ = ctypes.CDLL(found, use_errno=True)
    P, Int, C = ctypes.c_void_p, ctypes.c_int, ctypes.c_char_p
    sigs: dict[str, tuple[object, list[object]]] = {
        "bpf_object__open_file": (P, [C, P]),
        "bpf_object__load": (Int, [P]),
        "bpf_object__close": (None, [P]),
        "bpf_object__find_program_by_name": (P, [P, C]),
        "bpf_object__find_map_by_name": (P, [P, C]),
        "bpf_program__attach": (P, [P]),
        "bpf_program__set_autoload": (Int, [P, ctypes.c_bool]),
        "bpf_link__destroy": (Int, [P]),
        "bpf_map__fd": (Int, [P]),
        "bpf_map__max_entries": (ctypes.c_uint32, [P]),
        "bpf_map__set_max_entries": (Int, [P, ctypes.c_uint32]),
        "bpf_map__value_size": (ctypes.c_uint32, [P]),
        "bpf_map_update_elem": (Int, [Int, P, P, ctypes.c_uint64]),
        "bpf_map_lookup_elem": (Int, [Int, P, P]),
        "bpf_map_create": (Int, [Int, C, ctypes.c_uint32, ctypes.c_uint32, ctypes.c_uint32, P]),
        "libbpf_num_possible_cpus": (Int, []),
        "libbpf_set_print": (P, [_PRINT_FN]),
        "bpf_program__fd": (Int, [P]),
        "bpf_enable_stats": (Int, [Int]),
        "bpf_prog_get_fd_by_id": (Int, [ctypes.c_uint32]),
        "bpf_obj_get_info_by_fd": (Int, [Int, P, P]),
        "btf__load_vmlinux_btf": (P, []),
        "btf__find_by_name_kind": (Int, [P, C, ctypes.c_uint32]),
        "btf__free": (None, [P]),
    }
    for fn, (res, args) in sigs.items():
        f = getattr(l_, fn)
        f.restype = res
        f.argtypes = args
    l_.libbpf_set_print(_print_cb)
    _lib = l_
    return l_


def _errno_error(what: str, err: int) -> SyscopeError:
    err = abs(err)
    msg = f"{what}: {os.strerror(err)}"
    detail = _last_log_line()
    if detail:
        msg += f" ({detail})"
    if err in (_errno.EPERM, _errno.EACCES):
        return AccessDenied(f"eBPF unavailable: {what}: permission denied (needs root or "
                            "CAP_BPF+CAP_PERFMON)", err)
    if err in (_errno.ENOSYS, _errno.EOPNOTSUPP, _errno.ENOTSUP):
        return UnsupportedError(f"eBPF unavailable: {msg}")
    return KernelError(msg, err)


def _last_log_line() -> str:
    for line in reversed(_log):
        line = line.strip()
        if line and not line.startswith("libbpf: prog") and "processed" not in line:
            return line[:200]
    return ""


def check_btf() -> None:
    if not Path("/sys/kernel/btf/vmlinux").exists():
        raise UnsupportedError("eBPF unavailable: the kernel has no BTF (/sys/kernel/btf/vmlinux "
                               "missing; needs CONFIG_DEBUG_INFO_BTF=y)")


BTF_KIND_TYPEDEF = 8  # include/uapi/linux/btf.h


@cache
def kernel_has_tracepoint(name: str) -> bool:
    """Whether the running kernel has raw tracepoint ``name`` (a tp_btf program's target): its
    BTF then has the typedef ``btf_trace_<name>`` (include/trace/bpf_probe.h), which is what
    libbpf looks up when it loads such a program.  (Parsing the kernel's BTF takes ~10 ms: once.)"""
    check_btf()
    lib_ = lib()
    btf = lib_.btf__load_vmlinux_btf()
    if not btf:
        return False
    try:
        return bool(lib_.btf__find_by_name_kind(btf, f"btf_trace_{name}".encode(), BTF_KIND_TYPEDEF) > 0)
    finally:
        lib_.btf__free(btf)


class BpfObject:
    """A loaded BPF object with its programs attached on request; close() detaches everything."""

    def __init__(self, path: Path) -> None:
        check_btf()
        self._lib = lib()
        self._links: list[int] = []
        _log.clear()
        obj = self._lib.bpf_object__open_file(str(path).encode(), None)
        if not obj:
            raise _errno_error(f"cannot open {path.name}", ctypes.get_errno())
        self._obj: int | None = obj

    def load(self) -> None:
        rc = self._lib.bpf_object__load(self._obj)
        if rc < 0:
            self.close()
            raise _errno_error("cannot load the BPF programs", rc)

    def _program(self, prog_name: str) -> int:
        prog = self._lib.bpf_object__find_program_by_name(self._obj, prog_name.encode())
        if not prog:
            raise KernelError(f"BPF program {prog_name} not found in the object")
        return int(prog)

    def set_autoload(self, prog_name: str, load: bool) -> None:
        """Before load(): whether program ``prog_name`` is loaded (one whose target the kernel
        lacks would fail the whole object's load)."""
        rc = self._lib.bpf_program__set_autoload(self._program(prog_name), load)
        if rc < 0:
            raise _errno_error(f"cannot set {prog_name} to load", rc)

    def attach(self, prog_name: str) -> None:
        link = self._lib.bpf_program__attach(self._program(prog_name))
        if not link:
            raise _errno_error(f"cannot attach {prog_name}", ctypes.get_errno())
        self._links.append(link)

    def prog_fd(self, prog_name: str) -> int:
        """The fd of a loaded program (the object's: closed with it)."""
        return int(self._lib.bpf_program__fd(self._program(prog_name)))

    def set_max_entries(self, name: str, n: int) -> None:
        """Resize a map before load() (for a ring buffer: its size in bytes, a power of 2)."""
        m = self._lib.bpf_object__find_map_by_name(self._obj, name.encode())
        if not m:
            raise KernelError(f"BPF map {name} not found in the object")
        rc = self._lib.bpf_map__set_max_entries(m, n)
        if rc < 0:
            raise _errno_error(f"cannot resize map {name}", rc)

    def map(self, name: str) -> BpfMap:
        m = self._lib.bpf_object__find_map_by_name(self._obj, name.encode())
        if not m:
            raise KernelError(f"BPF map {name} not found in the object")
        return BpfMap(self._lib, m)

    def close(self) -> None:
        for link in self._links:
            self._lib.bpf_link__destroy(link)
        self._links.clear()
        if self._obj:
            self._lib.bpf_object__close(self._obj)
            self._obj = None


BPF_MAP_TYPE_RINGBUF = 27  # include/uapi/linux/bpf.h enum bpf_map_type


class BpfMap:
    def __init__(self, l_: ctypes.CDLL, m: int) -> None:
        self._lib = l_
        self.fd: int = l_.bpf_map__fd(m)
        self.max_entries: int = l_.bpf_map__max_entries(m)
        self.value_size: int = l_.bpf_map__value_size(m)
        self.owned = False  # the object's map: closed with the object

    @classmethod
    def create(cls, map_type: int, name: str, key_size: int, value_size: int, max_entries: int) -> BpfMap:
        """A map made outside any object (bpf_map_create), to put in a map-in-map slot; its fd is
        this object's to close (``close()``)."""
        l_ = lib()
        fd = l_.bpf_map_create(map_type, name.encode(), key_size, value_size, max_entries, None)
        if fd < 0:
            raise _errno_error(f"cannot create map {name}", fd)
        m = cls.__new__(cls)
        m._lib, m.fd, m.max_entries, m.value_size, m.owned = l_, fd, max_entries, value_size, True
        return m

    def close(self) -> None:
        if self.owned and self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def update(self, key: bytes, value: bytes) -> None:
        k = ctypes.create_string_buffer(key, len(key))
        v = ctypes.create_string_buffer(value, len(value))
        if self._lib.bpf_map_update_elem(self.fd, k, v, 0) < 0:
            raise _errno_error("bpf_map_update_elem", ctypes.get_errno())

    def lookup(self, key: bytes, size: int) -> bytes | None:
        k = ctypes.create_string_buffer(key, len(key))
        v = ctypes.create_string_buffer(size)
        if self._lib.bpf_map_lookup_elem(self.fd, k, v) < 0:
            err = ctypes.get_errno()
            if err == _errno.ENOENT:
                return None
            raise _errno_error("bpf_map_lookup_elem", err)
        return v.raw

    def lookup_percpu(self, key: bytes) -> list[bytes]:
        """One value per possible CPU (per-CPU maps round each value up to 8 bytes)."""
        ncpu = num_possible_cpus()
        stride = (self.value_size + 7) & ~7
        raw = self.lookup(key, ncpu * stride) or b""
        return [raw[i * stride:i * stride + self.value_size] for i in range(ncpu)]


def num_possible_cpus() -> int:
    n = int(lib().libbpf_num_possible_cpus())
    if n <= 0:
        raise _errno_error("libbpf_num_possible_cpus", n)
    return n


BPF_STATS_RUN_TIME = 0  # include/uapi/linux/bpf.h enum bpf_stats_type


def enable_run_time_stats() -> int:
    """Turn on the kernel's per-program run time and run count (BPF_ENABLE_STATS): they are kept
    while the returned fd is open (kernel/bpf/syscall.c bpf_enable_runtime_stats); the caller
    closes it.  Each program run then also reads the clock twice (its own cost is in the figures)."""
    fd = int(lib().bpf_enable_stats(BPF_STATS_RUN_TIME))
    if fd < 0:
        raise _errno_error("bpf_enable_stats", fd)
    return fd


def prog_fd_by_id(prog_id: int) -> int | None:
    """An fd of the loaded program ``prog_id`` (it stays loaded while the fd is open), None when
    it is gone."""
    fd = int(lib().bpf_prog_get_fd_by_id(prog_id))
    if fd < 0:
        if abs(fd) == _errno.ENOENT:
            return None
        raise _errno_error(f"bpf_prog_get_fd_by_id {prog_id}", fd)
    return fd


class ProgStats(NamedTuple):
    name: str
    run_time_ns: int  # summed over its runs (while stats were on: enable_run_time_stats)
    run_cnt: int


# struct bpf_prog_info (include/uapi/linux/bpf.h): the fields read here, by offset; the kernel
# fills as much of the struct as the caller's size says (bpf_check_uarg_tail_zero)
_PROG_INFO_SIZE = 208
_PROG_NAME_AT, _RUN_TIME_AT = 64, 192


def prog_stats(fd: int) -> ProgStats:
    """A loaded program's name, run time and run count (BPF_OBJ_GET_INFO_BY_FD)."""
    buf = ctypes.create_string_buffer(_PROG_INFO_SIZE)
    size = ctypes.c_uint32(_PROG_INFO_SIZE)
    if lib().bpf_obj_get_info_by_fd(fd, buf, ctypes.byref(size)) < 0:
        raise _errno_error("bpf_obj_get_info_by_fd", ctypes.get_errno())
    raw = buf.raw
    name = raw[_PROG_NAME_AT:_PROG_NAME_AT + 16].split(b"\0", 1)[0].decode(errors="replace")
    run_time, run_cnt = struct.unpack_from("<QQ", raw, _RUN_TIME_AT)
    return ProgStats(name, run_time, run_cnt)


BUSY = 1 << 31      # BPF_RINGBUF_BUSY_BIT (include/uapi/linux/bpf.h)
DISCARD = 1 << 30   # BPF_RINGBUF_DISCARD_BIT
_NATIVE_U64 = struct.Struct("@Q")  # native mode: nu_ulonglong, a memcpy (Modules/_struct.c)
HDR = 8             # BPF_RINGBUF_HDR_SZ: u32 len + u32 pg_off
_U32 = struct.Struct("<I")


class RingReader:
    """Reads a BPF_MAP_TYPE_RINGBUF directly through its mmapped pages.

    Layout (kernel/bpf/ringbuf.c): page 0 holds the consumer position (writable by user space),
    page 1 the producer position, then the data area mapped twice back to back so that a record
    that wraps is still contiguous in memory.  Each record is an 8-byte header (length with the
    BUSY/DISCARD bits, page offset) followed by the payload rounded up to 8 bytes.
    """

    def __init__(self, m: BpfMap) -> None:
        self.size = m.max_entries
        page = mmap.PAGESIZE
        try:
            self._cons = mmap.mmap(m.fd, page, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE)
            self._prod = mmap.mmap(m.fd, page + 2 * self.size, mmap.MAP_SHARED, mmap.PROT_READ,
                                   offset=page)
        except OSError as exc:
            raise _errno_error("cannot mmap the ring buffer", exc.errno or 0) from None
        self._view = memoryview(self._prod)
        self._page = page
        self._mask = self.size - 1
        # The positions must be read and written as single aligned 8-byte accesses: the kernel
        # reads consumer_pos concurrently (smp_load_acquire in __bpf_ringbuf_reserve), and a store
        # torn into bytes (what struct's "<Q" packing does, byte by byte) can make the ring look
        # full for an instant and drop records.  A ctypes c_uint64 store and a native-mode
        # "@Q" unpack (a memcpy of 8 aligned bytes) are single instructions on x86_64.
        self._cons_pos = ctypes.c_uint64.from_buffer(self._cons, 0)

    def positions(self) -> tuple[int, int]:
        return self._cons_pos.value, _NATIVE_U64.unpack_from(self._prod, 0)[0]

    def fixed_batch(self, record_size: int) -> tuple[memoryview, int]:
        """Records of one fixed payload size between consumer and producer, as one view.

        Returns (view, count); the view holds ``count`` records of ``HDR + record_size`` bytes,
        headers included.  Producers reserve in order but may commit out of order
        (kernel/bpf/ringbuf.c __bpf_ringbuf_reserve), so the caller must stop at the first header
        with the BUSY bit and ``advance`` past only what it parsed.
        """
        cons, prod = self.positions()
        stride = HDR + ((record_size + 7) & ~7)
        n = (prod - cons) // stride
        start = self._page + (cons & self._mask)
        return self._view[start:start + n * stride], n

    def advance(self, nbytes: int) -> None:
        self._cons_pos.value += nbytes

    def records(self) -> Iterator[memoryview]:
        """Committed records of any size, one by one (slower path, for mixed sizes)."""
        cons, prod = self.positions()
        view = self._view
        while cons < prod:
            off = self._page + (cons & self._mask)
            ln = struct.unpack_from("<I", view, off)[0]
            if ln & BUSY:
                break
            rec = ln & ~(BUSY | DISCARD)
            if not ln & DISCARD:
                yield view[off + HDR:off + HDR + rec]
            cons += HDR + ((rec + 7) & ~7)
            self._cons_pos.value = cons

    def batch(self, limit: int = 1 << 24) -> tuple[bytes, int]:
        """The committed records from the consumer position on, up to about ``limit`` bytes, as
        one copy (each still with its 8-byte header: a DISCARD bit there means skip it), and
        the consumer position after them; nothing is released until ``advance_to(position)``.

        The headers are read in the ring first, up to the first one still BUSY, and the bytes
        copied after: a record's bytes are written before its header is committed
        (kernel/bpf/ringbuf.c bpf_ringbuf_commit), and x86 does not reorder loads with loads,
        while a single copy of the whole area (rep movs) may read a record's bytes before its
        header.  One copy and bytes slices of it cost the consumer less per record than
        memoryview slices of the ring (a memoryview key hashes and compares byte by byte)."""
        cons, prod = self.positions()
        view = self._view
        start = self._page + (cons & self._mask)
        unpack = _U32.unpack_from
        at, end = start, start + min(prod - cons, limit)
        while at < end:
            ln = unpack(view, at)[0]
            if ln & BUSY:
                break
            at += HDR + (((ln & ~DISCARD) + 7) & ~7)
        return view[start:at].tobytes(), cons + at - start

    def advance_to(self, position: int) -> None:
        self._cons_pos.value = position

    def close(self) -> None:
        if self._prod.closed:
            return
        del self._cons_pos  # the ctypes object pins the mmap's buffer
        self._view.release()
        self._prod.close()
        self._cons.close()

