"""bpf(2)'s union bpf_attr, one struct per command, as strace's src/bpf.c prints it: the command,
the command's struct read for the size the caller gave (at most a page; the part past the
caller's size is zero, as the kernel's copy_from_user of bpf_attr leaves it), fields printed a
group at a time while the size reaches the group's first field (each group is a kernel release
that extended the struct), then ``extra_data`` when the bytes past the struct strace knows are
not all zero (the kernel rejects them: bpf_check_uarg_tail_zero in kernel/bpf/syscall.c)."""

from __future__ import annotations

import socket
from collections.abc import Callable

from syscope.decode import fmt
from syscope.decode.base import DecoderBase
from syscope.decode.fmt import ptr as _ptr
from syscope.decode.registry import ArgFn, Memory, register
from syscope.events import SyscallEvent

_PAGE = 4096
_NAME_LEN = 16  # BPF_OBJ_NAME_LEN (linux/bpf.h)

# A field: (name, C type, printer, starts a group).  C types: u32, u64 (8-aligned, __aligned_u64
# in linux/bpf.h), name (char[BPF_OBJ_NAME_LEN]).  A group's first field is where strace stops
# when the caller's size does not reach it.  Printers: u (unsigned), d (signed), x (hex), fd, addr
# (a __aligned_u64 pointer: NULL or hex), str (a C string at a __u64), path (a file name), E:TABLE (an enum), F:TABLE
# (flags), kver (KERNEL_VERSION), name (char array), ifindex, insns (struct bpf_insn array),
# logbuf (log_size bytes), tpname (128 bytes), numa (printed only with BPF_F_NUMA_NODE).
Field = tuple[str, str, str, bool]

# The per-command structs of union bpf_attr in linux/bpf.h, in the order strace 6.1 knows them
# (its bpf_attr.h: a command's struct ends with the last field strace 6.1 prints).
_ATTRS: dict[str, tuple[Field, ...]] = {
    "BPF_MAP_CREATE": (
        ("map_type", "u32", "E:bpf_map_types", True), ("key_size", "u32", "u", False),
        ("value_size", "u32", "u", False), ("max_entries", "u32", "u", False),
        ("map_flags", "u32", "F:bpf_map_flags", True), ("inner_map_fd", "u32", "fd", True),
        ("numa_node", "u32", "numa", True), ("map_name", "name", "name", True),
        ("map_ifindex", "u32", "ifindex", True), ("btf_fd", "u32", "fd", True),
        ("btf_key_type_id", "u32", "u", False), ("btf_value_type_id", "u32", "u", False),
        ("btf_vmlinux_value_type_id", "u32", "u", True), ("map_extra", "u64", "u", True)),
    "BPF_MAP_LOOKUP_ELEM": (
        ("map_fd", "u32", "fd", True), ("key", "u64", "addr", False), ("value", "u64", "addr", False),
        ("flags", "u64", "F:bpf_map_lookup_elem_flags", True)),
    "BPF_MAP_UPDATE_ELEM": (
        ("map_fd", "u32", "fd", True), ("key", "u64", "addr", False), ("value", "u64", "addr", False),
        ("flags", "u64", "E:bpf_map_update_elem_flags", False)),
    "BPF_MAP_DELETE_ELEM": (("map_fd", "u32", "fd", True), ("key", "u64", "addr", False)),
    "BPF_MAP_GET_NEXT_KEY": (
        ("map_fd", "u32", "fd", True), ("key", "u64", "addr", False), ("next_key", "u64", "addr", False)),
    "BPF_MAP_FREEZE": (("map_fd", "u32", "fd", True),),
    "BPF_OBJ_PIN": (
        ("pathname", "u64", "path", True), ("bpf_fd", "u32", "fd", False),
        ("file_flags", "u32", "F:bpf_file_mode_flags", True)),
    "BPF_PROG_ATTACH": (
        ("target_fd", "u32", "fd", True), ("attach_bpf_fd", "u32", "fd", False),
        ("attach_type", "u32", "E:bpf_attach_type", False), ("attach_flags", "u32", "F:bpf_attach_flags", False),
        ("replace_bpf_fd", "u32", "fd", True)),
    "BPF_PROG_DETACH": (
        ("target_fd", "u32", "fd", True), ("dummy", "u32", "", False),
        ("attach_type", "u32", "E:bpf_attach_type", False)),
    "BPF_PROG_LOAD": (
        ("prog_type", "u32", "E:bpf_prog_types", True), ("insn_cnt", "u32", "u", False),
        ("insns", "u64", "insns", False), ("license", "u64", "str", False),
        ("log_level", "u32", "u", True), ("log_size", "u32", "u", False), ("log_buf", "u64", "logbuf", False),
        ("kern_version", "u32", "kver", True), ("prog_flags", "u32", "F:bpf_prog_flags", True),
        ("prog_name", "name", "name", True), ("prog_ifindex", "u32", "ifindex", True),
        ("expected_attach_type", "u32", "E:bpf_attach_type", True),
        ("prog_btf_fd", "u32", "fd", True), ("func_info_rec_size", "u32", "u", False),
        ("func_info", "u64", "addr", False), ("func_info_cnt", "u32", "u", False),
        ("line_info_rec_size", "u32", "u", False), ("line_info", "u64", "addr", False),
        ("line_info_cnt", "u32", "u", False), ("attach_btf_id", "u32", "u", True),
        ("attach_prog_fd", "u32", "fd", True), ("pad", "u32", "", False), ("fd_array", "u64", "addr", True)),
}
_ATTRS["BPF_PROG_TEST_RUN"] = (
    ("prog_fd", "u32", "fd", True), ("retval", "u32", "u", False), ("data_size_in", "u32", "u", False),
    ("data_size_out", "u32", "u", False), ("data_in", "u64", "addr", False), ("data_out", "u64", "addr", False),
    ("repeat", "u32", "u", False), ("duration", "u32", "u", False),
    ("ctx_size_in", "u32", "u", True), ("ctx_size_out", "u32", "u", False), ("ctx_in", "u64", "addr", False),
    ("ctx_out", "u64", "addr", False), ("flags", "u32", "F:bpf_test_run_flags", True), ("cpu", "u32", "u", False),
    ("batch_size", "u32", "u", True))
for _cmd, _first in (("PROG_GET_NEXT_ID", "start_id"), ("MAP_GET_NEXT_ID", "start_id"), ("BTF_GET_NEXT_ID", "start_id"),
                     ("LINK_GET_NEXT_ID", "start_id"), ("PROG_GET_FD_BY_ID", "prog_id"),
                     ("MAP_GET_FD_BY_ID", "map_id")):
    _ATTRS["BPF_" + _cmd] = ((_first, "u32", "u", True), ("next_id", "u32", "u", False),
                             ("open_flags", "u32", "F:bpf_file_mode_flags", True))
_ATTRS["BPF_OBJ_GET"] = _ATTRS["BPF_OBJ_PIN"]
_ATTRS["BPF_MAP_LOOKUP_AND_DELETE_ELEM"] = _ATTRS["BPF_MAP_LOOKUP_ELEM"]
_ATTRS["BPF_LINK_GET_FD_BY_ID"] = (("link_id", "u32", "u", True),)
_ATTRS["BPF_BTF_GET_FD_BY_ID"] = (("btf_id", "u32", "u", True),)
# the batch commands share one struct; update and delete leave out the fields they do not take
# (strace prints the count the kernel wrote back at exit: not yet here)
for _cmd, _skip in (("LOOKUP_BATCH", ()), ("LOOKUP_AND_DELETE_BATCH", ()), ("UPDATE_BATCH", ("in_batch", "out_batch")),
                    ("DELETE_BATCH", ("in_batch", "out_batch", "values"))):
    _ATTRS["BPF_MAP_" + _cmd] = tuple(
        (name, ctype, "" if name in _skip else printer, group) for name, ctype, printer, group in (
            ("in_batch", "u64", "addr", True), ("out_batch", "u64", "addr", False), ("keys", "u64", "addr", False),
            ("values", "u64", "addr", False), ("count", "u32", "u", False), ("map_fd", "u32", "fd", False),
            ("elem_flags", "u64", "F:bpf_map_lookup_elem_flags", False), ("flags", "u64", "x", False)))
# the tracepoint's name: at most 128 bytes up to its NUL (strace's TP_NAME_SIZE)
_ATTRS["BPF_RAW_TRACEPOINT_OPEN"] = (("name", "u64", "tpname", True), ("prog_fd", "u32", "fd", False))
# the commands strace prints inside a named struct ({test={...}}), and the size strace's
# bpf_attr.h gives a struct that is not its sizeof (offsetofend of its last field)
_WRAPPED = {"BPF_PROG_TEST_RUN": "test", "BPF_RAW_TRACEPOINT_OPEN": "raw_tracepoint",
            **{f"BPF_MAP_{c}_BATCH": "batch" for c in ("LOOKUP", "LOOKUP_AND_DELETE", "UPDATE", "DELETE")}}
_SIZE_OF = {"BPF_PROG_TEST_RUN": 76, "BPF_RAW_TRACEPOINT_OPEN": 12}
_SIZES = {"u32": 4, "u64": 8, "name": _NAME_LEN}


def _layout(fields: tuple[Field, ...]) -> tuple[list[tuple[int, Field]], int]:
    """Each field's offset by C's natural alignment, and the struct's size (8-aligned when it
    holds a u64)."""
    off, align, out = 0, 4, []
    for f in fields:
        size = _SIZES[f[1]]
        a = 8 if f[1] == "u64" else 1 if f[1] == "name" else 4
        align = max(align, a)
        off = (off + a - 1) // a * a
        out.append((off, f))
        off += size
    return out, (off + align - 1) // align * align


_LAYOUTS = {cmd: (_layout(fields)[0], _SIZE_OF.get(cmd, _layout(fields)[1])) for cmd, fields in _ATTRS.items()}


def kernel_version(v: int, xs: int) -> str:
    """A kern_version (strace's print_kernel_version: KERNEL_VERSION(a, b, c) of linux/version.h,
    the hex number under -X raw, both under -X verbose)."""
    text = f"KERNEL_VERSION({v >> 16}, {(v >> 8) & 0xFF}, {v & 0xFF})"
    return fmt.hexnum(v) if xs == 2 else f"{fmt.hexnum(v)} /* {text} */" if xs == 1 else text


def _ifindex(idx: int) -> str:
    # PRINT_FIELD_IFINDEX: the interface's name when this host has one of that index
    if idx:
        try:
            return f'if_nametoindex("{socket.if_indextoname(idx)}")'
        except OSError:
            pass
    return str(idx)


def _name(raw: bytes, size: int) -> str:
    # PRINT_FIELD_CSTRING_SZ: the array up to its NUL; without one in the bytes given, all but
    # the last (the place of the NUL) and "..."
    data = raw[:size]
    cut = data.find(b"\0")
    if cut >= 0:
        return '"' + fmt.quote(data[:cut]) + '"'
    return '"' + fmt.quote(data[:-1]) + '"...'


class _Attr:
    def __init__(self, d: DecoderBase, arch: str) -> None:
        self.d = d
        self.arch = arch
        self.cmds = fmt.enum(arch, "bpf_commands")

    def table(self, printer: str) -> Callable[[int], str]:
        kind, _, table = printer.partition(":")
        if kind == "E":
            return fmt.enum(self.arch, table, self.d.xs)
        return fmt.flags(self.arch, table, self.d.xs)

    def field(self, ev: SyscallEvent, mem: Memory, printer: str, v: int, vals: dict[str, int]) -> str:
        d = self.d
        if printer == "u":
            return str(v)
        if printer == "x":
            return fmt.hexnum(v)
        if printer in ("addr", "insns"):
            return _ptr(v)
        if printer == "fd":
            return d.fd(ev, fmt.s32(v))
        if printer == "str":
            return d.cstr(mem, v, d.limit)
        if printer == "path":
            # printpath: a file name, whole up to PATH_MAX
            return d.cstr(mem, v, 4096, whole=True)
        if printer == "logbuf":
            return self.logbuf(mem, v, vals.get("log_size", 0))
        if printer == "tpname":
            return self.logbuf(mem, v, 128)
        if printer == "kver":
            return kernel_version(v, d.xs)
        if printer == "ifindex":
            return _ifindex(v)
        if printer == "numa":
            # the kernel's NUMA_NO_NODE (-1) is not in UAPI: strace prints the number with it
            return f"{v} /* NUMA_NO_NODE */" if v == 0xFFFFFFFF else str(v)
        return self.table(printer)(v)

    def text(self, ev: SyscallEvent, mem: Memory, cmd: str, addr: int, size: int) -> str:
        fields, struct_size = _LAYOUTS[cmd]
        # strace reads the whole size given (umoven_or_printaddr): an unreadable part is the address
        got = mem.read(addr, size)
        if got is None or len(got) < size:
            return _ptr(addr)
        n = min(size, struct_size)
        data = got[:n].ljust(struct_size, b"\0")
        vals: dict[str, int] = {}
        parts: list[str] = []
        for off, (name, ctype, printer, group) in fields:
            if group and parts and n <= off:
                break
            if ctype == "name":
                parts.append(f"{name}={_name(data[off:off + _NAME_LEN], min(_NAME_LEN, n - off))}")
                continue
            v = int.from_bytes(data[off:off + _SIZES[ctype]], "little")
            vals[name] = v
            if not printer or (printer == "numa" and not vals.get("map_flags", 0) & self.numa_flag()):
                continue
            parts.append(f"{name}={self.field(ev, mem, printer, v, vals)}")
        if cmd in _WRAPPED:
            parts = [f"{_WRAPPED[cmd]}={{" + ", ".join(parts) + "}"]
        extra = self.extra(got[struct_size:], struct_size)
        if extra:
            parts.append(extra)
        return "{" + ", ".join(parts) + "}"

    def logbuf(self, mem: Memory, addr: int, size: int) -> str:
        # printstr_ex(log_size, QUOTE_0_TERMINATED): up to a NUL, "..." when none is within
        if not addr:
            return "NULL"
        n = min(size, self.d.slimit)
        got = mem.read_cstr(addr, n)
        if got is None:
            return _ptr(addr)
        data, nul = got
        if nul:
            return '"' + fmt.quote(data, self.d.xflag) + '"'
        return '"' + fmt.quote(data[:n], self.d.xflag) + '"...'

    def numa_flag(self) -> int:
        rows = fmt.consts(self.arch).get("bpf_map_flags", [])
        return next((v for v, n in rows if n == "BPF_F_NUMA_NODE"), 4)

    def extra(self, data: bytes, struct_size: int) -> str:
        # decode_attr_extra_data: the bytes past the struct, when one is not zero
        if not any(data):
            return ""
        if self.d.abbrev:
            return "..."
        hexed = "".join(f"\\x{c:02x}" for c in data)
        return f'extra_data="{hexed}" /* bytes {struct_size}..{struct_size + len(data) - 1} */'

    def attr(self, ev: SyscallEvent, mem: Memory, i: int) -> str:
        cmd = self.cmds.get(ev.raw_args[i - 1] & 0xFFFFFFFF)
        addr, size = ev.raw_args[i], ev.raw_args[i + 1] & 0xFFFFFFFF
        if cmd not in _LAYOUTS or not 0 < size <= _PAGE:
            return _ptr(addr)
        return self.text(ev, mem, cmd, addr, size)


@register("bpf_attr")
def build_bpf_attr(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    attr = _Attr(d, arch)
    return lambda ev, mem: attr.attr(ev, mem, i)
