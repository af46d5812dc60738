"""The parts of bpf(2) that strace's src/bpf.c prints from more than the command's own struct:
BPF_OBJ_GET_INFO_BY_FD's struct bpf_map_info / struct bpf_prog_info (linux/bpf.h), chosen by what
the descriptor is (its /proc/PID/fd link: anon_inode:bpf-map or anon_inode:bpf-prog) and printed
at exit with the values the caller passed in (``entry => exit``), and BPF_LINK_CREATE's union,
chosen by the attach type.  Also the layout helpers kinds/bpf.py shares: field offsets by C's
natural alignment, char-array names, interface indexes and the ``extra_data`` tail."""

from __future__ import annotations

import socket
import time

from syscope.decode import fmt
from syscope.decode.base import DecoderBase, proc_dir
from syscope.decode.fmt import ptr as _ptr
from syscope.decode.kinds.bpf_filter import ebpf_program_printer
from syscope.decode.registry import Memory
from syscope.events import SyscallEvent
from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

NAME_LEN = 16  # BPF_OBJ_NAME_LEN (linux/bpf.h)
_TAG_SIZE = 8  # BPF_TAG_SIZE
_PAGE = 4096

# A field: (name, C type, printer, starts a group).  C types: u32, u64 (8-aligned, __aligned_u64
# in linux/bpf.h), name (char[BPF_OBJ_NAME_LEN]), tag (__u8[BPF_TAG_SIZE]).  A group's first field
# is where strace stops when the size given does not reach it (each group is a kernel release
# that extended the struct).
Field = tuple[str, str, str, bool]
SIZES = {"u32": 4, "u64": 8, "name": NAME_LEN, "tag": _TAG_SIZE}
_ALIGN = {"u32": 4, "u64": 8, "name": 1, "tag": 1}


def layout(fields: tuple[Field, ...]) -> tuple[list[tuple[int, Field]], int]:
    """Each field's offset by C's natural alignment, and the struct's size (8-aligned when it
    holds a u64)."""
    off, align, out = 0, 4, []
    for f in fields:
        a = _ALIGN[f[1]]
        align = max(align, a)
        off = (off + a - 1) // a * a
        out.append((off, f))
        off += SIZES[f[1]]
    return out, (off + align - 1) // align * align


def values(fields: list[tuple[int, Field]], data: bytes) -> dict[str, int]:
    """The integer fields of a struct's bytes, by name."""
    return {name: int.from_bytes(data[off:off + SIZES[ctype]], "little")
            for off, (name, ctype, _p, _g) in fields if ctype in ("u32", "u64")}


def name_text(raw: bytes, size: int) -> str:
    # PRINT_FIELD_CSTRING_SZ: the array up to its NUL; without one in the bytes given, all but
    # the last (the place of the NUL) and "..."
    data = raw[:size]
    cut = data.find(b"\0")
    if cut >= 0:
        return '"' + fmt.quote(data[:cut]) + '"'
    return '"' + fmt.quote(data[:-1]) + '"...'


def ifindex(idx: int) -> str:
    # PRINT_FIELD_IFINDEX: the interface's name when this host has one of that index
    if idx:
        try:
            return f'if_nametoindex("{socket.if_indextoname(idx)}")'
        except OSError:
            pass
    return str(idx)


def extra_data(data: bytes, struct_size: int, abbrev: bool) -> str:
    """decode_attr_extra_data: the bytes past the struct, when one is not zero."""
    if not any(data):
        return ""
    if abbrev:
        return "..."
    hexed = "".join(f"\\x{c:02x}" for c in data)
    return f'extra_data="{hexed}" /* bytes {struct_size}..{struct_size + len(data) - 1} */'


def changed(old: int, new: int, show: Callable[[int], str] = str) -> str:
    """A field the kernel wrote back: ``entry => exit`` when it differs (tprint_value_changed)."""
    return f"{show(old)} => {show(new)}" if old != new else show(new)


def failed(ev: SyscallEvent) -> bool:
    return ev.errno is not None or ev.retval is None


def u32_array(d: DecoderBase, ev: SyscallEvent, mem: Memory, addr: int, count: int) -> str:
    """print_array of __u32 at exit: tfetch_mem reads nothing of a failed call, so its array is
    the address (util.c tfetch_mem64: ``entering(tcp) || !syserror(tcp)``)."""
    if addr and count and failed(ev):
        return _ptr(addr)
    return d.array(mem, addr, count, 4, lambda c: str(int.from_bytes(c, "little")))


# struct bpf_map_info and struct bpf_prog_info (linux/bpf.h), up to the fields strace 6.1 prints
# (its bpf_attr.h; bpf_map_info's size includes map_extra, which it does not print)
_MAP_INFO: tuple[Field, ...] = (
    ("type", "u32", "E:bpf_map_types", True), ("id", "u32", "u", False), ("key_size", "u32", "u", False),
    ("value_size", "u32", "u", False), ("max_entries", "u32", "u", False),
    ("map_flags", "u32", "F:bpf_map_flags", False), ("name", "name", "name", True),
    ("ifindex", "u32", "ifindex", True), ("btf_vmlinux_value_type_id", "u32", "u", False),
    ("netns_dev", "u64", "dev", False), ("netns_ino", "u64", "u", False), ("btf_id", "u32", "u", True),
    ("btf_key_type_id", "u32", "u", False), ("btf_value_type_id", "u32", "u", False), ("pad", "u32", "", False),
    ("map_extra", "u64", "", False))
_PROG_INFO: tuple[Field, ...] = (
    ("type", "u32", "E:bpf_prog_types", True), ("id", "u32", "u", False), ("tag", "tag", "tag", False),
    ("jited_prog_len", "u32", "u=>", False), ("xlated_prog_len", "u32", "u=>", False),
    ("jited_prog_insns", "u64", "jited", False), ("xlated_prog_insns", "u64", "xlated", False),
    ("load_time", "u64", "boottime", True), ("created_by_uid", "u32", "uid", False),
    ("nr_map_ids", "u32", "u=>", False), ("map_ids", "u64", "map_ids", False), ("name", "name", "name", False),
    ("ifindex", "u32", "ifindex", True), ("gpl_compatible", "u32", "bit", False), ("netns_dev", "u64", "dev", False),
    ("netns_ino", "u64", "u", False), ("nr_jited_ksyms", "u32", "u=>", True),
    ("nr_jited_func_lens", "u32", "u=>", False),
    ("jited_ksyms", "u64", "a=>", False), ("jited_func_lens", "u64", "a=>", False), ("btf_id", "u32", "u", True),
    ("func_info_rec_size", "u32", "u=>", False), ("func_info", "u64", "addr", False),
    ("nr_func_info", "u32", "u=>", False), ("nr_line_info", "u32", "u=>", False), ("line_info", "u64", "addr", False),
    ("jited_line_info", "u64", "a=>", False), ("nr_jited_line_info", "u32", "u=>", False),
    ("line_info_rec_size", "u32", "u=>", False), ("jited_line_info_rec_size", "u32", "u=>", False),
    ("nr_prog_tags", "u32", "u=>", False), ("prog_tags", "u64", "addr", False), ("run_time_ns", "u64", "u", True),
    ("run_cnt", "u64", "u", False), ("recursion_misses", "u64", "u", True), ("verified_insns", "u32", "u", True))
# strace prints xlated_prog_len right after jited_prog_insns: the field order above is the
# struct's, the print order of the two lengths is strace's (see _PROG_ORDER)
_PROG_ORDER = ("type", "id", "tag", "jited_prog_len", "jited_prog_insns", "xlated_prog_len", "xlated_prog_insns")
MAP_INFO = layout(_MAP_INFO)
PROG_INFO = (layout(_PROG_INFO)[0], 220)  # offsetofend(verified_insns), strace's bpf_prog_info_struct_size
_INFO = {"anon_inode:bpf-map": ("map", MAP_INFO), "anon_inode:bpf-prog": ("prog", PROG_INFO)}

_BOOT_OFFSET: list[int] = []


def boottime(ns: int, xs: int) -> str:
    """print_boottime: CLOCK_BOOTTIME nanoseconds as the local time they were, to the second
    (the offset to CLOCK_REALTIME taken once); nothing under -X raw."""
    if xs == 2:
        return ""
    if not _BOOT_OFFSET:
        _BOOT_OFFSET.append(time.clock_gettime_ns(time.CLOCK_REALTIME) - time.clock_gettime_ns(time.CLOCK_BOOTTIME))
    when = fmt.isotime((ns + _BOOT_OFFSET[0]) // 1_000_000_000, 0)
    return f" /* {when} */" if when else ""


class InfoState:
    """What BPF_OBJ_GET_INFO_BY_FD's entry saw: the kind of object the descriptor is, and the
    info struct as the caller filled it (the lengths and counts it offers)."""

    __slots__ = ("kind", "entry")

    def __init__(self, kind: str | None, entry: bytes) -> None:
        self.kind = kind
        self.entry = entry


def _fetch(mem: Memory, addr: int, size: int) -> bytes | None:
    # fetch_bpf_obj_info: a page-sized buffer, zero past the size read
    if not 0 < size <= _PAGE or not addr:
        return None
    got = mem.read(addr, size)
    return got if got is not None and len(got) == size else None


def info_entry(d: DecoderBase, ev: SyscallEvent, mem: Memory, bpf_fd: int, info: int, info_len: int) -> InfoState:
    """At entry: which info struct the descriptor's object has (none without -v, where strace
    prints the address only) and the caller's copy of it."""
    if d.abbrev:
        return InfoState(None, b"")
    # strace's getfdpath: the descriptor's /proc link, whatever -y says
    link = d.readlink(f"{proc_dir(ev.pid)}/fd/{fmt.s32(bpf_fd)}") if fmt.s32(bpf_fd) >= 0 else None
    got = _INFO.get(link.decode(errors="replace")) if link is not None else None
    if got is None:
        return InfoState(None, b"")
    return InfoState(got[0], _fetch(mem, info, info_len) or b"")


class InfoPrinter:
    """BPF_OBJ_GET_INFO_BY_FD's info at exit: strace's print_bpf_map_info / print_bpf_prog_info."""

    def __init__(self, d: DecoderBase, arch: str) -> None:
        self.d, self.arch = d, arch
        self.program = ebpf_program_printer(d, arch)

    def text(self, ev: SyscallEvent, mem: Memory, addr: int, size: int, state: InfoState | None) -> str:
        if state is None or state.kind is None:
            return _ptr(addr)
        buf = _fetch(mem, addr, size)
        if buf is None:
            return _ptr(addr)
        fields, struct_size = MAP_INFO if state.kind == "map" else PROG_INFO
        n = min(size, struct_size)
        data = buf[:n].ljust(struct_size, b"\0")
        vals = values(fields, data)
        # the caller's values (bpf_prog_info's lengths and counts: what it has room for)
        old = values(fields, state.entry[:min(len(state.entry), struct_size)].ljust(struct_size, b"\0"))
        by_name = {f[0]: (off, f) for off, f in fields}
        order = [*_PROG_ORDER, *(f[0] for _o, f in fields if f[0] not in _PROG_ORDER)] if state.kind == "prog" \
            else [f[0] for _o, f in fields]
        parts: list[str] = []
        for name in order:
            off, (_n, ctype, printer, group) = by_name[name]
            if group and parts and n <= off:
                return "{" + ", ".join(parts) + "}"
            if ctype in ("name", "tag"):
                raw = data[off:off + SIZES[ctype]]
                parts.append(f"{name}={name_text(raw, NAME_LEN) if ctype == 'name' else self.tag(raw)}")
            elif printer:
                parts.append(f"{name}={self.field(ev, mem, name, printer, vals, old)}")
        extra = extra_data(buf[struct_size:], struct_size, False)
        return "{" + ", ".join(parts + ([extra] if extra else [])) + "}"

    @staticmethod
    def tag(raw: bytes) -> str:
        # PRINT_FIELD_HEX_ARRAY: every byte as \xNN
        return '"' + "".join(f"\\x{c:02x}" for c in raw) + '"'

    def field(self, ev: SyscallEvent, mem: Memory, name: str, printer: str, vals: dict[str, int],
              old: dict[str, int]) -> str:
        v, d = vals[name], self.d
        if printer == "u":
            return str(v)
        if printer == "u=>":
            return changed(old[name], v)
        if printer == "a=>":
            return changed(old[name], v, fmt.ptr)
        if printer == "addr":
            return _ptr(v)
        if printer == "ifindex":
            return ifindex(v)
        if printer == "dev":
            return fmt.makedev(v)
        if printer == "bit":
            return str(v & 1)  # gpl_compatible:1
        if printer == "uid":
            return "-1" if v == 0xFFFFFFFF else str(v)  # PRINT_FIELD_ID (printuid)
        if printer == "boottime":
            return f"{v}{boottime(v, d.xs)}"
        if printer == "jited":
            return self.hexstr(mem, v, vals["jited_prog_len"])
        if printer == "xlated":
            # the instructions of the smaller of the two lengths (what both sides have room for)
            count = min(old["xlated_prog_len"], vals["xlated_prog_len"]) // 8
            return _ptr(v) if v and count and failed(ev) else self.program(mem, v, count)
        if printer == "map_ids":
            return u32_array(d, ev, mem, v, min(old["nr_map_ids"], vals["nr_map_ids"]))
        kind, _, table = printer.partition(":")
        return (fmt.enum if kind == "E" else fmt.flags)(self.arch, table, d.xs)(v)

    def hexstr(self, mem: Memory, addr: int, length: int) -> str:
        # printstr_ex(QUOTE_FORCE_HEX): the first -s bytes, each as \xNN
        if not addr:
            return "NULL"
        n = min(length, self.d.slimit)
        data = mem.read(addr, n) if n else b""
        if data is None or len(data) < n:
            return _ptr(addr)
        return '"' + "".join(f"\\x{c:02x}" for c in data) + '"' + ("..." if length > n else "")


# BPF_LINK_CREATE's union after prog_fd, target_fd, attach_type and flags: which member is chosen
# by the attach type as strace 6.1 guesses it (bpf.c decode_BPF_LINK_CREATE); the offsets are
# the union's, 16 bytes into the struct (linux/bpf.h)
_LINK_UNION = 16


def link_create(d: DecoderBase, arch: str, ev: SyscallEvent, mem: Memory, attach_type: int,
                union: bytes) -> tuple[list[str], int]:
    """The fields of the union strace prints for this attach type, and the size of the struct
    it then knows (the bytes after it are extra_data)."""
    names = fmt.enum(arch, "bpf_attach_type")
    name = names.get(attach_type) if attach_type else "BPF_CGROUP_INET_INGRESS"

    def u(off: int, size: int) -> int:
        return int.from_bytes(union[off:off + size], "little")
    if attach_type == 0:
        # BPF_PROG_TYPE_EXT's target_btf_id: printed when set
        btf_id = u(0, 4)
        return ([f"target_btf_id={btf_id}"] if btf_id else []), _LINK_UNION + 4
    if name == "BPF_TRACE_ITER":
        info, count = u(0, 8), u(8, 4)

        def iter_info(c: bytes) -> str:
            return f"{{map={{map_fd={d.fd(ev, fmt.s32(int.from_bytes(c, 'little')))}}}}}"
        return [f"iter_info={d.array(mem, info, count, 4, iter_info)}", f"iter_info_len={count}"], _LINK_UNION + 12
    if name == "BPF_PERF_EVENT":
        return [f"perf_event={{bpf_cookie={fmt.hexnum(u(0, 8))}}}"], _LINK_UNION + 8
    if name == "BPF_TRACE_KPROBE_MULTI":
        flags, cnt, syms, addrs, cookies = u(0, 4), u(4, 4), u(8, 8), u(16, 8), u(24, 8)
        word = 4 if arch == "i386" else 8

        def sym(c: bytes) -> str:
            return d.cstr(mem, int.from_bytes(c, "little"), d.slimit)

        def xnum(c: bytes) -> str:
            return fmt.hexnum(int.from_bytes(c, "little"))
        flag_text = fmt.flags(arch, "bpf_link_create_kprobe_multi_flags", d.xs)(flags)
        return [f"kprobe_multi={{flags={flag_text}, cnt={cnt}, syms={d.array(mem, syms, cnt, word, sym)}, "
                f"addrs={d.array(mem, addrs, cnt, 8, xnum)}, cookies={d.array(mem, cookies, cnt, 8, xnum)}}}"], \
            _LINK_UNION + 32
    # no member known for this type: the union is extra_data
    return [], _LINK_UNION
