"""bpf(2)'s union bpf_attr, one struct per command, as strace's src/bpf.c prints it: the command,
the command's struct read for the size the caller gave (at most a page; the part past the
caller's size is zero, as the kernel's copy_from_user of bpf_attr leaves it), fields printed a
group at a time while the size reaches the group's first field (each group is a kernel release
that extended the struct), then ``extra_data`` when the bytes past the struct strace knows are
not all zero (the kernel rejects them: bpf_check_uarg_tail_zero in kernel/bpf/syscall.c).

Most commands print whole at entry.  The commands whose struct the kernel writes back
(BPF_OBJ_GET_INFO_BY_FD's info_len and info, BPF_PROG_QUERY's prog_ids and prog_cnt,
BPF_TASK_FD_QUERY's buf, the GET_NEXT_ID commands' next_id, the batch commands' count) are read
at entry and printed at exit, a field the kernel changed as ``entry => exit`` (strace's
tprint_value_changed); the size argument follows them (kind ``>bpf_size``)."""

from __future__ import annotations

from syscope.decode import fmt
from syscope.decode.base import DecoderBase
from syscope.decode.fmt import ptr as _ptr
from syscope.decode.kinds import bpf_info
from syscope.decode.kinds.bpf_filter import ebpf_program_printer
from syscope.decode.registry import ArgFn, Memory, RetFn, register, returns
from syscope.events import SyscallEvent
from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

_PAGE = 4096
_NAME_LEN = bpf_info.NAME_LEN

# A field: (name, C type, printer, starts a group), as bpf_info.Field.  Printers: u (unsigned),
# u=> (unsigned, which the kernel may write back: ``entry => exit``), x (hex), fd, tgid, addr (a
# __aligned_u64 pointer: NULL or hex), str (a C string at a __u64), path (a file name), E:TABLE (an
# enum), F:TABLE (flags), kver (KERNEL_VERSION), name (char array), ifindex, insns (struct bpf_insn
# array of insn_cnt), logbuf (log_size bytes), tpname (128 bytes), numa (printed only with
# BPF_F_NUMA_NODE), btf (btf_size bytes), ids (prog_cnt __u32 written back), tfbuf (buf_len
# bytes written back), info (BPF_OBJ_GET_INFO_BY_FD's info struct), oldfd (only with BPF_F_REPLACE).
Field = bpf_info.Field

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
    # the GET_NEXT_ID commands' next_id is the kernel's answer
    _ATTRS["BPF_" + _cmd] = ((_first, "u32", "u", True), ("next_id", "u32", "u=>" if "NEXT" in _cmd else "u", False),
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
_ATTRS["BPF_OBJ_GET_INFO_BY_FD"] = (
    ("bpf_fd", "u32", "fd", True), ("info_len", "u32", "u=>", False), ("info", "u64", "info", False))
_ATTRS["BPF_PROG_QUERY"] = (
    ("target_fd", "u32", "fd", True), ("attach_type", "u32", "E:bpf_attach_type", False),
    ("query_flags", "u32", "F:bpf_query_flags", False), ("attach_flags", "u32", "F:bpf_attach_flags", False),
    ("prog_ids", "u64", "ids", False), ("prog_cnt", "u32", "u=>", False))
_ATTRS["BPF_BTF_LOAD"] = (
    ("btf", "u64", "btf", True), ("btf_log_buf", "u64", "addr", False), ("btf_size", "u32", "u", False),
    ("btf_log_size", "u32", "u", False), ("btf_log_level", "u32", "u", False))
_ATTRS["BPF_TASK_FD_QUERY"] = (
    ("pid", "u32", "tgid", True), ("fd", "u32", "fd", False), ("flags", "u32", "u", False),
    ("buf_len", "u32", "u=>", False), ("buf", "u64", "tfbuf", False), ("prog_id", "u32", "u", False),
    ("fd_type", "u32", "E:bpf_task_fd_type", False), ("probe_offset", "u64", "x", False),
    ("probe_addr", "u64", "x", False))
# BPF_LINK_CREATE: these four, then a union chosen by attach_type (bpf_info.link_create); the
# struct is 48 bytes (its largest member, kprobe_multi)
_ATTRS["BPF_LINK_CREATE"] = (
    ("prog_fd", "u32", "fd", True), ("target_fd", "u32", "fd", False),
    ("attach_type", "u32", "E:bpf_attach_type", False), ("flags", "u32", "x", False))
_ATTRS["BPF_LINK_UPDATE"] = (
    ("link_fd", "u32", "fd", True), ("new_prog_fd", "u32", "fd", False), ("flags", "u32", "F:bpf_attach_flags", False),
    ("old_prog_fd", "u32", "oldfd", False))
# the commands strace prints inside a named struct ({test={...}}), and the size strace's
# bpf_attr.h gives a struct that is not its sizeof (offsetofend of its last field)
_WRAPPED = {"BPF_PROG_TEST_RUN": "test", "BPF_RAW_TRACEPOINT_OPEN": "raw_tracepoint", "BPF_OBJ_GET_INFO_BY_FD": "info",
            "BPF_PROG_QUERY": "query", "BPF_TASK_FD_QUERY": "task_fd_query", "BPF_LINK_CREATE": "link_create",
            "BPF_LINK_UPDATE": "link_update",
            **{f"BPF_MAP_{c}_BATCH": "batch" for c in ("LOOKUP", "LOOKUP_AND_DELETE", "UPDATE", "DELETE")}}
_SIZE_OF = {"BPF_PROG_TEST_RUN": 76, "BPF_RAW_TRACEPOINT_OPEN": 12}
_SIZE_OF.update({"BPF_PROG_QUERY": 28, "BPF_BTF_LOAD": 28, "BPF_LINK_CREATE": 48})
# the commands printed at exit (strace's decoders return 0 at entry): the kernel writes back part
# of their struct
_BATCH = frozenset(f"BPF_MAP_{c}_BATCH" for c in ("LOOKUP", "LOOKUP_AND_DELETE", "UPDATE", "DELETE"))
_AT_EXIT = frozenset({"BPF_OBJ_GET_INFO_BY_FD", "BPF_PROG_QUERY", "BPF_TASK_FD_QUERY", "BPF_PROG_GET_NEXT_ID",
                      "BPF_MAP_GET_NEXT_ID", "BPF_BTF_GET_NEXT_ID", "BPF_LINK_GET_NEXT_ID", *_BATCH})
# the commands whose result is a new descriptor (strace's RVAL_FD: its path under -y)
_RETURN_FD = frozenset(f"BPF_{c}" for c in ("MAP_CREATE", "PROG_LOAD", "OBJ_PIN", "OBJ_GET", "PROG_GET_FD_BY_ID",
                                            "MAP_GET_FD_BY_ID", "BTF_LOAD", "BTF_GET_FD_BY_ID", "LINK_CREATE",
                                            "LINK_GET_FD_BY_ID"))
_BATCH_COUNT = 32  # offsetof(count) in the batch struct


_LAYOUTS = {cmd: (bpf_info.layout(fields)[0], _SIZE_OF.get(cmd, bpf_info.layout(fields)[1]))
            for cmd, fields in _ATTRS.items()}


def kernel_version(v: int, xs: int) -> str:
    """A kern_version (strace's print_kernel_version: KERNEL_VERSION(a, b, c) of linux/version.h,
    the hex number under -X raw, both under -X verbose)."""
    text = f"KERNEL_VERSION({v >> 16}, {(v >> 8) & 0xFF}, {v & 0xFF})"
    return fmt.hexnum(v) if xs == 2 else f"{fmt.hexnum(v)} /* {text} */" if xs == 1 else text


class _Attr:
    """One decoder's bpf(2) printer; the commands read at entry and printed at exit, and the
    descriptor results, are kept by thread in the decoder (both halves are built apart)."""

    def __init__(self, d: DecoderBase, arch: str) -> None:
        self.d = d
        self.arch = arch
        self.cmds = fmt.enum(arch, "bpf_commands")
        self.program = ebpf_program_printer(d, arch)
        self.info = bpf_info.InfoPrinter(d, arch)
        # thread -> (command, the struct as read at entry, BPF_OBJ_GET_INFO_BY_FD's entry state)
        self.pending: dict[int, tuple[str, bytes, bpf_info.InfoState | None]] = vars(d).setdefault("bpf_pending", {})
        self.fd_result: set[int] = vars(d).setdefault("bpf_fd_result", set())
        rows = fmt.consts(arch)
        self.numa = next((v for v, n in rows.get("bpf_map_flags", []) if n == "BPF_F_NUMA_NODE"), 4)
        self.replace = next((v for v, n in rows.get("bpf_attach_flags", []) if n == "BPF_F_REPLACE"), 4)

    def table(self, printer: str) -> Callable[[int], str]:
        kind, _, table = printer.partition(":")
        if kind == "E":
            return fmt.enum(self.arch, table, self.d.xs)
        return fmt.flags(self.arch, table, self.d.xs)

    def field(self, ev: SyscallEvent, mem: Memory, printer: str, name: str, vals: dict[str, int],
              old: dict[str, int], state: bpf_info.InfoState | None) -> str:
        d, v = self.d, vals[name]
        simple = _SIMPLE.get(printer)
        if simple is not None:
            return simple(v)
        if printer == "u=>":
            return bpf_info.changed(old[name], v)
        if printer in ("fd", "oldfd"):
            return d.fd(ev, fmt.s32(v))
        if printer == "tgid":
            return d.pid(ev, fmt.s32(v))
        if printer == "str":
            return d.cstr(mem, v, d.limit)
        if printer == "path":
            # printpath: a file name, whole up to PATH_MAX
            return d.cstr(mem, v, 4096, whole=True)
        if printer == "logbuf":
            return self.logbuf(mem, v, vals.get("log_size", 0))
        if printer == "tpname":
            return self.logbuf(mem, v, 128)
        if printer == "tfbuf":
            # what both the caller's and the kernel's buf_len cover, up to its NUL
            return self.logbuf(mem, v, min(old["buf_len"], vals["buf_len"]))
        if printer == "insns":
            return self.program(mem, v, vals["insn_cnt"])
        if printer == "btf":
            return d.buf(mem, v, vals["btf_size"])  # printstrn: btf_size bytes, cut at -s
        if printer == "ids":
            return bpf_info.u32_array(d, ev, mem, v, vals["prog_cnt"])
        if printer == "info":
            return _ptr(v) if d.abbrev else self.info.text(ev, mem, v, vals["info_len"], state)
        if printer == "kver":
            return kernel_version(v, d.xs)
        return self.table(printer)(v)

    def text(self, ev: SyscallEvent, mem: Memory, cmd: str, got: bytes, size: int, before: bytes | None = None,
             state: bpf_info.InfoState | None = None) -> str:
        """The command's struct from the bytes read (``before``: as they were at entry)."""
        fields, struct_size = _LAYOUTS[cmd]
        n = min(size, struct_size)
        data = got[:n].ljust(struct_size, b"\0")
        vals = bpf_info.values(fields, data)
        old = vals if before is None else bpf_info.values(fields, before[:n].ljust(struct_size, b"\0"))
        parts: list[str] = []
        for off, (name, ctype, printer, group) in fields:
            if group and parts and n <= off:
                break
            if ctype == "name":
                parts.append(f"{name}={bpf_info.name_text(data[off:off + _NAME_LEN], min(_NAME_LEN, n - off))}")
            elif printer and not (printer == "numa" and not vals.get("map_flags", 0) & self.numa) and not (
                    printer == "oldfd" and not vals["flags"] & self.replace):
                parts.append(f"{name}={self.field(ev, mem, printer, name, vals, old, state)}")
        known = struct_size
        if cmd == "BPF_LINK_CREATE" and n > 16:
            more, known = bpf_info.link_create(self.d, self.arch, ev, mem, vals["attach_type"], data[16:])
            parts.extend(more)
        if cmd in _WRAPPED:
            parts = [f"{_WRAPPED[cmd]}={{" + ", ".join(parts) + "}"]
        extra = bpf_info.extra_data(got[known:], known, self.d.abbrev)
        if extra:
            parts.append(extra)
        return "{" + ", ".join(parts) + "}"

    def logbuf(self, mem: Memory, addr: int, size: int) -> str:
        # printstr_ex(log_size, QUOTE_0_TERMINATED): up to a NUL, "..." when none is within
        if not addr:
            return "NULL"
        if not size:
            return '""'  # nothing to read, and no "..." for a length of 0
        n = min(size, self.d.slimit)
        got = mem.read_cstr(addr, n)
        if got is None:
            return _ptr(addr)
        data, nul = got
        if nul:
            return '"' + fmt.quote(data, self.d.xflag) + '"'
        return '"' + fmt.quote(data[:n], self.d.xflag) + '"...'

    def attr(self, ev: SyscallEvent, mem: Memory, i: int) -> str | None:
        """At entry: the struct, or None for a command printed at exit (its bytes kept)."""
        cmd = self.cmds.get(ev.raw_args[i - 1] & 0xFFFFFFFF)
        addr, size = ev.raw_args[i], ev.raw_args[i + 1] & 0xFFFFFFFF
        self.pending.pop(ev.tid, None)
        self.fd_result.discard(ev.tid)
        if cmd not in _LAYOUTS or not 0 < size <= _PAGE:
            return _ptr(addr)
        # strace reads the whole size given (umoven_or_printaddr): an unreadable part is the address
        got = mem.read(addr, size)
        if got is None or len(got) < size:
            return _ptr(addr)
        if cmd in _AT_EXIT:
            state = None
            if cmd == "BPF_OBJ_GET_INFO_BY_FD":
                vals = bpf_info.values(_LAYOUTS[cmd][0], got[:16].ljust(16, b"\0"))
                state = bpf_info.info_entry(self.d, ev, mem, vals["bpf_fd"], vals["info"], vals["info_len"])
            self.pending[ev.tid] = (cmd, got, state)
            return None
        if cmd in _RETURN_FD:
            self.fd_result.add(ev.tid)
        return self.text(ev, mem, cmd, got, size)

    def size(self, ev: SyscallEvent, mem: Memory, i: int) -> str:
        """At exit: the struct of a command printed at exit, then the size."""
        size = ev.raw_args[i] & 0xFFFFFFFF
        pending = self.pending.pop(ev.tid, None)
        if pending is None:
            return str(size)
        cmd, before, state = pending
        addr = ev.raw_args[i - 1]
        got = mem.read(addr, size)
        if cmd in _BATCH:
            # the struct as it went in, then the count the kernel wrote back when it changed
            text = self.text(ev, mem, cmd, before, size)
            if got is not None and len(got) == size and size >= _BATCH_COUNT + 4:
                old, new = (int.from_bytes(b[_BATCH_COUNT:_BATCH_COUNT + 4], "little") for b in (before, got))
                if old != new:
                    text += f" => {{batch={{count={new}}}}}"
        elif got is None or len(got) < size:
            text = _ptr(addr)
        else:
            text = self.text(ev, mem, cmd, got, size, before, state)
        return f"{text}, {size}"


# printers of a field's value alone
_SIMPLE: dict[str, Callable[[int], str]] = {
    "u": str, "x": fmt.hexnum, "addr": _ptr, "ifindex": bpf_info.ifindex,
    # the kernel's NUMA_NO_NODE (-1) is not in UAPI: strace prints the number with it
    "numa": lambda v: f"{v} /* NUMA_NO_NODE */" if v == 0xFFFFFFFF else str(v),
}


def _attr(d: DecoderBase, arch: str) -> _Attr:
    # one printer per decoder and arch, shared by the entry, exit and return kinds
    cache: dict[str, _Attr] = vars(d).setdefault("bpf_attr", {})
    got = cache.get(arch)
    if got is None:
        got = cache[arch] = _Attr(d, arch)
    return got


@register("bpf_attr")
def build_bpf_attr(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    attr = _attr(d, arch)
    return lambda ev, mem: attr.attr(ev, mem, i)


def _size_value(arch: str, i: int, kind: str) -> Callable[[SyscallEvent], int]:
    return lambda ev: ev.raw_args[i] & 0xFFFFFFFF


@register("bpf_size", out=True, scalar=True, value=_size_value)
def build_bpf_size(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    attr = _attr(d, arch)
    return lambda ev, mem: attr.size(ev, mem, i)


@returns("bpf")
def ret_bpf(d: DecoderBase, arch: str) -> RetFn:
    """A new descriptor (RVAL_FD) for the commands that make one, when the struct was decoded;
    a number past INT_MAX prints as a number (syscall.c: printfd takes an int)."""
    fd_result = _attr(d, arch).fd_result

    def ret(ev: SyscallEvent) -> str:
        r = ev.retval or 0
        if ev.tid in fd_result:
            fd_result.discard(ev.tid)
            if 0 <= r <= 0x7FFFFFFF:
                return d.fd_or_num(ev, r)
        return str(r)
    return ret
