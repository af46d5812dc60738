"""io_uring(7): io_uring_setup's params, io_uring_enter's flags, io_uring_register's argument by
opcode, as strace 6.1's src/io_uring.c prints them.  Struct layouts are linux/io_uring.h's."""

from __future__ import annotations

import struct

from syscope.decode import fmt
from syscope.decode.base import DecoderBase
from syscope.decode.fmt import hexnum as _hex
from syscope.decode.fmt import ptr as _ptr
from syscope.decode.registry import ArgFn, Memory, read_struct, register, word_size
from syscope.events import SyscallEvent
from syscope.lean import cache
from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

# struct io_uring_params: 7 u32 (sq_entries, cq_entries, flags, sq_thread_cpu, sq_thread_idle,
# features, wq_fd), resv[3], then struct io_sqring_offsets and io_cqring_offsets (7 u32, u32
# resv1, u64 resv2/user_addr each)
_PARAMS = struct.Struct("<7I3I7IIQ7IIQ")
_SQ_OFF = ("head", "tail", "ring_mask", "ring_entries", "flags", "dropped", "array")
_CQ_OFF = ("head", "tail", "ring_mask", "ring_entries", "overflow", "cqes", "flags")
_FILES_UPDATE = struct.Struct("<IIQ")  # struct io_uring_files_update {offset, resv, fds}
_PROBE = struct.Struct("<BBH3I")  # struct io_uring_probe {last_op, ops_len, resv, resv2[3]}
_PROBE_OP = struct.Struct("<BBHI")  # struct io_uring_probe_op {op, resv, flags, resv2}
_RESTRICTION = struct.Struct("<HBB3I")  # struct io_uring_restriction {opcode, op/flags, resv, resv2[3]}
_RSRC_REGISTER = struct.Struct("<IIQQQ")  # struct io_uring_rsrc_register {nr, flags, resv2, data, tags}
_RSRC_UPDATE2 = struct.Struct("<IIQQII")  # io_uring_rsrc_update2 {offset, resv, data, tags, nr, resv2}
_RSRC_UPDATE = struct.Struct("<IIQ")  # struct io_uring_rsrc_update {offset, resv, data}
_BUF_REG = struct.Struct("<QIHH3Q")  # struct io_uring_buf_reg {ring_addr, ring_entries, bgid, pad, resv[3]}
_PAGE = 4096


@cache
def _cpuset_size() -> int:
    # strace get_cpuset_size(): 128 bytes, doubled while the kernel's CPU mask is larger
    size = 128
    try:
        with open("/sys/devices/system/cpu/possible") as f:
            last = max(int(part.split("-")[-1]) for part in f.read().strip().split(","))
    except (OSError, ValueError):
        return size
    while size * 8 < last + 1:
        size <<= 1
    return size


def _xints(values: tuple[int, ...] | list[int]) -> str:
    return "[" + ", ".join(_hex(v) for v in values) + "]"


@register("uring_params", out=True)
def build_out_uring_params(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    flags = fmt.flags(arch, "uring_setup_flags", d.xs)
    features = fmt.flags(arch, "uring_setup_features", d.xs)
    attach_wq = next((v for v, n in fmt.consts(arch).get("uring_setup_flags", []) if n == "IORING_SETUP_ATTACH_WQ"),
                     0x20)

    # what the caller passed (read at entry by strace; unchanged when the call fails), then
    # what the kernel wrote back on success: the ring sizes, features and ring offsets
    def params(ev: SyscallEvent, mem: Memory) -> str:
        addr = ev.raw_args[i]
        got = read_struct(mem, addr, _PARAMS)
        if got is None:
            return _ptr(addr)
        sq_entries, cq_entries, fl, cpu, idle, feat, wq_fd = got[:7]
        parts = [f"flags={flags(fl)}", f"sq_thread_cpu={_hex(cpu)}", f"sq_thread_idle={idle}"]
        if fl & attach_wq:
            parts.append(f"wq_fd={d.fd_or_num(ev, wq_fd - (1 << 32) if wq_fd >> 31 else wq_fd)}")
        if any(got[7:10]):
            parts.append(f"resv={_xints(got[7:10])}")
        if ev.errno is None and ev.retval is not None:
            sq, cq = got[10:19], got[19:28]
            parts += [f"sq_entries={sq_entries}", f"cq_entries={cq_entries}", f"features={features(feat)}",
                      f"sq_off={_offsets(_SQ_OFF, sq)}", f"cq_off={_offsets(_CQ_OFF, cq)}"]
        return "{" + ", ".join(parts) + "}"
    return params


def _offsets(names: tuple[str, ...], vals: tuple[int, ...]) -> str:
    # io_sqring_offsets/io_cqring_offsets: resv1 and resv2 only when set
    parts = [f"{n}={v}" for n, v in zip(names, vals[:7], strict=True)]
    if vals[7]:
        parts.append(f"resv1={_hex(vals[7])}")
    if vals[8]:
        parts.append(f"resv2={_hex(vals[8])}")
    return "{" + ", ".join(parts) + "}"


class _Register:
    """io_uring_register's argument, by opcode (strace SYS_FUNC(io_uring_register))."""

    def __init__(self, d: DecoderBase, arch: str) -> None:
        self.d, self.arch, self.word = d, arch, word_size(arch)
        self.op = {n: v for v, n in fmt.consts(arch).get("uring_register_opcodes", [])}
        self.ops_names = fmt.enum(arch, "uring_ops")
        self.ops_hex = fmt.enum(arch, "uring_ops", d.xs)
        self.regops = fmt.enum(arch, "uring_register_opcodes", d.xs)
        self.op_flags = fmt.flags(arch, "uring_op_flags", d.xs)
        self.sqe_flags = fmt.flags(arch, "uring_sqe_flags", d.xs)
        self.restr = fmt.enum(arch, "uring_restriction_opcodes", d.xs)
        self.restr_v = {n: v for v, n in fmt.consts(arch).get("uring_restriction_opcodes", [])}
        self.rsrc_flags = fmt.flags(arch, "uring_register_rsrc_flags", d.xs)
        self.acct = fmt.enum(arch, "uring_iowq_acct")
        self.skip = {v: n for v, n in fmt.consts(arch).get("uring_files_update_fds", [])}
        o = self.op.get
        self.printers: dict[int | None, Callable[[SyscallEvent, Memory, int, int], str]] = {
            o("IORING_REGISTER_BUFFERS"): self.buffers, o("IORING_REGISTER_FILES"): self.fds,
            o("IORING_REGISTER_EVENTFD"): self.fds, o("IORING_REGISTER_EVENTFD_ASYNC"): self.fds,
            o("IORING_REGISTER_FILES_UPDATE"): self.files_update, o("IORING_REGISTER_PROBE"): self.probe,
            o("IORING_REGISTER_RESTRICTIONS"): self.restrictions, o("IORING_REGISTER_FILES2"): self.rsrc_register,
            o("IORING_REGISTER_BUFFERS2"): self.rsrc_register, o("IORING_REGISTER_FILES_UPDATE2"): self.rsrc_update,
            o("IORING_REGISTER_BUFFERS_UPDATE"): self.rsrc_update, o("IORING_REGISTER_IOWQ_AFF"): self.affinity,
            o("IORING_REGISTER_IOWQ_MAX_WORKERS"): self.max_workers, o("IORING_REGISTER_RING_FDS"): self.ring_fds,
            o("IORING_UNREGISTER_RING_FDS"): self.ring_fds_unregister, o("IORING_REGISTER_PBUF_RING"): self.buf_reg,
            o("IORING_UNREGISTER_PBUF_RING"): self.buf_reg,
        }

    def ops(self, v: int) -> str:
        # PRINT_FIELD_XVAL_U: the operation in decimal under -X raw/verbose and when unknown
        name = self.ops_names.get(v)
        if self.d.xs == 2:
            return str(v)
        if name is None:
            return f"{v} /* IORING_OP_??? */"
        return f"{v} /* {name} */" if self.d.xs == 1 else name

    def fd(self, ev: SyscallEvent, v: int) -> str:
        return self.d.fd_or_num(ev, v)

    def failed(self, ev: SyscallEvent) -> bool:
        return ev.errno is not None or ev.retval is None

    def buffers(self, ev: SyscallEvent, mem: Memory, addr: int, n: int) -> str:
        return self.d.iov(mem, addr, n, self.word, None, addrs=True)

    def fd_array(self, ev: SyscallEvent, mem: Memory, addr: int, n: int, skip: bool = False) -> str:
        def elem(chunk: bytes) -> str:
            v = int.from_bytes(chunk, "little", signed=True)
            if skip and v < -1:
                # printxval_d(uring_files_update_fds, fd, NULL)
                name = self.skip.get(v)
                if name is not None and self.d.xs != 2:
                    return f"{v} /* {name} */" if self.d.xs == 1 else name
                return str(v)
            return self.fd(ev, v)
        return self.d.array(mem, addr, n, 4, elem)

    def fds(self, ev: SyscallEvent, mem: Memory, addr: int, n: int) -> str:
        return self.fd_array(ev, mem, addr, n)

    def files_update(self, ev: SyscallEvent, mem: Memory, addr: int, n: int) -> str:
        got = read_struct(mem, addr, _FILES_UPDATE)
        if got is None:
            return _ptr(addr)
        offset, resv, fds = got
        parts = [f"offset={offset}"] + ([f"resv={_hex(resv)}"] if resv else [])
        parts.append(f"fds={self.fd_array(ev, mem, fds, n, skip=True)}")
        return "{" + ", ".join(parts) + "}"

    def probe_text(self, data: bytes, n: int, exiting: bool) -> str:
        last_op, ops_len, resv, *resv2 = _PROBE.unpack_from(data)
        parts = [f"last_op={self.ops(last_op)}", f"ops_len={ops_len}"]
        if resv:
            parts.append(f"resv={_hex(resv)}")
        if any(resv2):
            parts.append(f"resv2={_xints(resv2)}")
        count = min(ops_len, n) if exiting else n
        items = []
        for k in range(count):
            op, oresv, oflags, oresv2 = _PROBE_OP.unpack_from(data, _PROBE.size + k * _PROBE_OP.size)
            f = [f"op={self.ops(op)}"] + ([f"resv={_hex(oresv)}"] if oresv else [])
            f.append(f"flags={self.op_flags(oflags)}")
            if oresv2:
                f.append(f"resv2={_hex(oresv2)}")
            items.append("{" + ", ".join(f) + "}")
        if self.d.abbrev and len(items) > self.d.opts.string_limit:
            items = items[: self.d.opts.string_limit] + ["..."]
        elif exiting and n < ops_len:
            items.append("...")  # PAF_ARRAY_TRUNCATED: the kernel has more ops than fit
        parts.append("ops=[" + ", ".join(items) + "]")
        return "{" + ", ".join(parts) + "}"

    def probe(self, ev: SyscallEvent, mem: Memory, addr: int, n: int) -> str:
        # strace print_io_uring_probe: a probe filled with zeroes is not printed at entry; one
        # that is not is printed at entry and, after a success, again after " => "
        if n > 256:
            return _ptr(addr)
        size = _PROBE.size + n * _PROBE_OP.size
        data = mem.read(addr, size) if addr else None
        if data is None or len(data) < size:
            return _ptr(addr)
        zero = not any(data)
        if self.failed(ev):
            return _ptr(addr) if zero else self.probe_text(data, n, False)
        if zero:
            return self.probe_text(data, n, True)
        return f"{self.probe_text(data, n, False)} => {self.probe_text(data, n, True)}"

    def restriction(self, chunk: bytes) -> str:
        opcode, op, resv, *resv2 = _RESTRICTION.unpack(chunk)
        r = self.restr_v.get
        parts = [f"opcode={self.restr(opcode)}"]
        if opcode == r("IORING_RESTRICTION_REGISTER_OP"):
            parts.append(f"register_op={self.regops(op)}")
        elif opcode == r("IORING_RESTRICTION_SQE_OP"):
            parts.append(f"sqe_op={self.ops_hex(op)}")
        elif opcode in (r("IORING_RESTRICTION_SQE_FLAGS_ALLOWED"), r("IORING_RESTRICTION_SQE_FLAGS_REQUIRED")):
            parts.append(f"sqe_flags={self.sqe_flags(op)}")
        else:
            parts[-1] += f" /* op: {_hex(op)} */"
        if resv:
            parts.append(f"resv={_hex(resv)}")
        if any(resv2):
            parts.append(f"resv2={_xints(resv2)}")
        return "{" + ", ".join(parts) + "}"

    def restrictions(self, ev: SyscallEvent, mem: Memory, addr: int, n: int) -> str:
        return self.d.array(mem, addr, n, _RESTRICTION.size, self.restriction)

    def rsrc_data(self, ev: SyscallEvent, mem: Memory, data: int, nr: int, opcode: int) -> list[str]:
        o = self.op.get
        if opcode == o("IORING_REGISTER_FILES2"):
            return [f"data={self.fd_array(ev, mem, data, nr)}"]
        if opcode == o("IORING_REGISTER_FILES_UPDATE2"):
            return [f"data={self.fd_array(ev, mem, data, nr, skip=True)}"]
        return [f"data={self.d.iov(mem, data, nr, self.word, None, addrs=True)}"]

    def tags(self, mem: Memory, tags: int, nr: int) -> str:
        return "tags=" + self.d.array(mem, tags, nr, 8, lambda c: _hex(int.from_bytes(c, "little")))

    def tail_bytes(self, mem: Memory, addr: int, start: int, size: int) -> list[str]:
        # print_nonzero_bytes: bytes past the known struct, when any is not zero
        end = min(size, _PAGE)
        if start >= end:
            return []
        data = mem.read(addr + start, end - start)
        if data is None or len(data) < end - start:
            return ["???"]
        if not any(data):
            return []
        shown = data[: self.d.opts.string_limit]
        text = '"' + "".join(f"\\x{c:02x}" for c in shown) + '"'
        return [f"/* bytes {start}..{end - 1} */ {text}" + ("..." if len(shown) < len(data) else "")]

    def rsrc_register(self, ev: SyscallEvent, mem: Memory, addr: int, size: int) -> str:
        got = read_struct(mem, addr, _RSRC_REGISTER) if size >= _RSRC_REGISTER.size else None
        if got is None:
            return _ptr(addr)
        nr, flags, resv2, data, tags = got
        parts = [f"nr={nr}", f"flags={self.rsrc_flags(flags)}"] + ([f"resv2={_hex(resv2)}"] if resv2 else [])
        parts += self.rsrc_data(ev, mem, data, nr, ev.raw_args[1] & 0xFFFFFFFF)
        parts.append(self.tags(mem, tags, nr))
        parts += self.tail_bytes(mem, addr, _RSRC_REGISTER.size, size)
        return "{" + ", ".join(parts) + "}"

    def rsrc_update(self, ev: SyscallEvent, mem: Memory, addr: int, size: int) -> str:
        got = read_struct(mem, addr, _RSRC_UPDATE2) if size >= _RSRC_UPDATE2.size else None
        if got is None:
            return _ptr(addr)
        offset, resv, data, tags, nr, resv2 = got
        parts = [f"offset={offset}"] + ([f"resv={_hex(resv)}"] if resv else [])
        parts += self.rsrc_data(ev, mem, data, nr, ev.raw_args[1] & 0xFFFFFFFF)
        parts += [self.tags(mem, tags, nr), f"nr={nr}"] + ([f"resv2={_hex(resv2)}"] if resv2 else [])
        parts += self.tail_bytes(mem, addr, _RSRC_UPDATE2.size, size)
        return "{" + ", ".join(parts) + "}"

    def affinity(self, ev: SyscallEvent, mem: Memory, addr: int, n: int) -> str:
        # strace print_affinitylist: the set CPUs of at most get_cpuset_size() bytes
        if not addr:
            return _ptr(addr)
        if not n:
            return "[]"
        want = min(n, _cpuset_size())
        size = -(-want // self.word) * self.word
        data = mem.read(addr, want)
        if data is None or len(data) < want:
            return _ptr(addr)
        bits = int.from_bytes(data, "little")
        cpus = [str(k) for k in range(8 * size) if bits >> k & 1]
        if size < n:
            cpus.append("...")
        return "[" + " ".join(cpus) + "]"

    def acct_array(self, mem: Memory, addr: int, n: int) -> tuple[str, bool]:
        # print_array_ex(PAF_PRINT_INDICES): [[IO_WQ_BOUND]=N, ...]; False when a read failed
        index = [0]

        def elem(chunk: bytes) -> str:
            k = index[0]
            index[0] += 1
            name = self.acct.get(k)
            if name is None:
                idx = str(k) if self.d.xs == 2 else f"{k} /* IO_WQ_??? */"
            else:
                idx = str(k) if self.d.xs == 2 else f"{k} /* {name} */" if self.d.xs == 1 else name
            return f"[{idx}]={int.from_bytes(chunk, 'little')}"
        text = self.d.array(mem, addr, n, 4, elem)
        return text, text.startswith("[") and text != "[]" and "... /* " not in text

    def max_workers(self, ev: SyscallEvent, mem: Memory, addr: int, n: int) -> str:
        # printed at entry, then " => " and again at exit (print_io_uring_iowq_acct)
        text, whole = self.acct_array(mem, addr, n)
        if not whole:
            return text
        after = _ptr(addr) if self.failed(ev) else self.acct_array(mem, addr, n)[0]
        return f"{text} => {after}"

    def ring_fds(self, ev: SyscallEvent, mem: Memory, addr: int, n: int) -> str:
        def elem(chunk: bytes) -> str:
            offset, resv, data = _RSRC_UPDATE.unpack(chunk)
            parts = [f"offset={-1 if offset == 0xFFFFFFFF else offset}"] + ([f"resv={_hex(resv)}"] if resv else [])
            fd = data & 0xFFFFFFFF
            parts.append(f"data={self.fd(ev, fd - (1 << 32) if fd >> 31 else fd)}")
            return "{" + ", ".join(parts) + "}"
        return self.d.array(mem, addr, n, _RSRC_UPDATE.size, elem)

    def ring_fds_unregister(self, ev: SyscallEvent, mem: Memory, addr: int, n: int) -> str:
        def elem(chunk: bytes) -> str:
            offset, resv, data = _RSRC_UPDATE.unpack(chunk)
            parts = [f"offset={offset}"] + ([f"resv={_hex(resv)}"] if resv else [])
            if data:
                parts.append(f"data={_hex(data)}")
            return "{" + ", ".join(parts) + "}"
        return self.d.array(mem, addr, n, _RSRC_UPDATE.size, elem)

    def buf_reg(self, ev: SyscallEvent, mem: Memory, addr: int, n: int) -> str:
        got = read_struct(mem, addr, _BUF_REG)
        if got is None:
            return _ptr(addr)
        ring_addr, entries, bgid, pad, *resv = got
        parts = [f"ring_addr={_ptr(ring_addr)}", f"ring_entries={entries}", f"bgid={bgid}"]
        if pad:
            parts.append(f"pad={_hex(pad)}")
        if any(resv):
            parts.append(f"resv={_xints(resv)}")
        return "{" + ", ".join(parts) + "}"


@register("uring_register_arg", out=True)
def build_out_uring_register_arg(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    r = _Register(d, arch)

    # strace decodes the argument at entry; it prints the same at exit but for the probe and
    # the max-workers array, which the kernel writes (" => " after their entry value)
    def register_arg(ev: SyscallEvent, mem: Memory) -> str:
        addr, n = ev.raw_args[i], ev.raw_args[i + 1] & 0xFFFFFFFF
        printer = r.printers.get(ev.raw_args[1] & 0xFFFFFFFF)
        return _ptr(addr) if printer is None else printer(ev, mem, addr, n)
    return register_arg
