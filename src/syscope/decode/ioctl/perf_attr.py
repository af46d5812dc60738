"""struct perf_event_attr (linux/perf_event.h) as strace's perf.c prints it: the type and size,
config by event type, the sample period or frequency, sample and read formats, the set bit
flags (all of them under -v), then under -v the fields the attr's size covers.  For
PERF_EVENT_IOC_MODIFY_ATTRIBUTES and perf_event_open(2)."""

from __future__ import annotations

import struct

from syscope.decode import fmt
from syscope.decode.ioctl import tables
from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

MAX_SIZE = 128  # sizeof(struct perf_event_attr) as strace 6.1 knows it (up to sig_data)
SIZE_VER0 = 64  # PERF_ATTR_SIZE_VER0: the first published size
_ABBREV_SIZE = 48  # offsetof(struct perf_event_attr, wakeup_events)
# the bit fields of the u64 at offset 40, in order (precise_ip is two bits)
_BITS = ("disabled", "inherit", "pinned", "exclusive", "exclude_user", "exclude_kernel", "exclude_hv",
         "exclude_idle", "mmap", "comm", "freq", "inherit_stat", "enable_on_exec", "task", "watermark",
         "precise_ip", "mmap_data", "sample_id_all", "exclude_host", "exclude_guest", "exclude_callchain_kernel",
         "exclude_callchain_user", "mmap2", "comm_exec", "use_clockid", "context_switch", "write_backward",
         "namespaces", "ksymbol", "bpf_event", "aux_output", "cgroup", "text_poke", "build_id", "inherit_thread",
         "remove_on_exec", "sigtrap")
_SKID = ("arbitrary skid", "constant skid", "requested to have 0 skid", "must have 0 skid")
_HW_EVENT_MASK = 0xFFFFFFFF  # PERF_HW_EVENT_MASK


def _bits(flags: int) -> dict[str, int]:
    out: dict[str, int] = {}
    shift = 0
    for name in _BITS:
        width = 2 if name == "precise_ip" else 1
        out[name] = (flags >> shift) & ((1 << width) - 1)
        shift += width
    out["__reserved_1"] = flags >> shift
    return out


def _names(arch: str, table: str) -> dict[str, int]:
    return {n: v for v, n in tables.rows(arch, table)}


def text(read: Callable[[int, int], bytes | None], addr: int, arch: str, xs: int, abbrev: bool) -> str:
    """The attr at addr; ``read(addr, n)`` reads the tracee's memory."""
    size_raw = read(addr + 4, 4)
    if size_raw is None or len(size_raw) < 4:
        return fmt.ptr(addr)
    size = min(struct.unpack("<I", size_raw)[0], MAX_SIZE) or SIZE_VER0
    if size < SIZE_VER0:
        return fmt.ptr(addr)
    if abbrev:
        size = _ABBREV_SIZE
    data = read(addr, size)
    if data is None or len(data) < size:
        return fmt.ptr(addr)
    data = data.ljust(MAX_SIZE, b"\0")

    def xval(table: str, v: int) -> str:
        return tables.enum(arch, table, xs)(v)

    def flags(table: str, v: int) -> str:
        return tables.flags(arch, table, xs)(v)

    typ, attr_size, config, period, sample_type, read_format, bitword = struct.unpack_from("<IIQQQQQ", data)
    types = _names(arch, "perf_type_id")
    parts = [f"type={xval('perf_type_id', typ)}", f"size={xval('perf_attr_size', attr_size)}"]
    parts.append("config=" + _config(typ, config, types, xval))
    bits = _bits(bitword)
    parts.append(f"sample_freq={period}" if bits["freq"] else f"sample_period={period}")
    parts.append(f"sample_type={flags('perf_event_sample_format', sample_type)}")
    parts.append(f"read_format={flags('perf_event_read_format', read_format)}")
    for name in _BITS:
        if name == "precise_ip":
            parts.append(f"precise_ip={bits[name]} /* {_SKID[bits[name]]} */")
        elif not abbrev or bits[name]:
            parts.append(f"{name}={bits[name]}")
    if bits["__reserved_1"]:
        parts.append(f"__reserved_1={fmt.hexnum(bits['__reserved_1'])} /* Bits 63..38 */")
    if not abbrev:
        parts += _verbose_tail(data, size, typ, types, sample_type, bits, arch, xs, xval, flags)
    if (attr_size and attr_size > size) or (not attr_size and size < SIZE_VER0):
        parts.append("...")
    return "{" + ", ".join(parts) + "}"


def _config(typ: int, config: int, types: dict[str, int], xval: Callable[[str, int], str]) -> str:
    high = f"{fmt.hexnum(config >> 32)}<<32|" if config >> 32 else ""
    if typ == types.get("PERF_TYPE_HARDWARE"):
        return high + xval("perf_hw_id", config & _HW_EVENT_MASK)
    if typ == types.get("PERF_TYPE_SOFTWARE"):
        return xval("perf_sw_ids", config)
    if typ == types.get("PERF_TYPE_TRACEPOINT"):
        return str(config)
    if typ == types.get("PERF_TYPE_HW_CACHE"):
        mid = (config & _HW_EVENT_MASK) >> 24
        return (high + (f"{fmt.hexnum(mid)}<<24|" if mid else "")
                + xval("perf_hw_cache_op_result_id", (config >> 16) & 0xFF) + "<<16|"
                + xval("perf_hw_cache_op_id", (config >> 8) & 0xFF) + "<<8|"
                + xval("perf_hw_cache_id", config & 0xFF))
    return fmt.hexnum(config)


def _bp_type(arch: str, xs: int, bp_type: int) -> str:
    # linux/hw_breakpoint.h: HW_BREAKPOINT_INVALID (RW|X) bounds the meaningful combinations and
    # is not a type: strace's perf.c names only the types and comments an unnamed value up to
    # that bound as "HW_BREAKPOINT_INVALID", anything above as "HW_BREAKPOINT_???"
    names = _names(arch, "hw_breakpoint_type")
    invalid = names.pop("HW_BREAKPOINT_INVALID", None)
    known = {v: n for n, v in names.items()}
    if xs == 2:
        return fmt.hexnum(bp_type)
    if bp_type in known:
        return f"{fmt.hexnum(bp_type)} /* {known[bp_type]} */" if xs else known[bp_type]
    dflt = "HW_BREAKPOINT_INVALID" if invalid is not None and bp_type <= invalid else "HW_BREAKPOINT_???"
    return f"{fmt.hexnum(bp_type)} /* {dflt} */"


def _verbose_tail(data: bytes, size: int, typ: int, types: dict[str, int], sample_type: int, bits: dict[str, int],
                  arch: str, xs: int, xval: Callable[[str, int], str], flags: Callable[[str, int], str]) -> list[str]:
    # clockid is a __s32 that strace's PRINT_FIELD_XVAL shows as its u32 bits (0xbeeffeed)
    (wakeup, bp_type, config1, config2, branch, regs_user, stack_user, clockid, regs_intr, aux_watermark,
     max_stack, reserved_2, aux_sample_size, reserved_3, sig_data) = struct.unpack_from("<IIQQQQIIQIHHIIQ", data, 48)
    breakpoint = typ == types.get("PERF_TYPE_BREAKPOINT")
    sample = _names(arch, "perf_event_sample_format")
    out = [f"wakeup_watermark={wakeup}" if bits["watermark"] else f"wakeup_events={wakeup}"]
    if breakpoint:
        out.append(f"bp_type={_bp_type(arch, xs, bp_type)}")
    out.append(f"bp_addr={fmt.hexnum(config1)}" if breakpoint else f"config1={fmt.hexnum(config1)}")
    # the fields after config1 print only as far as the attr's size reaches (offsetof < size)
    rest: list[tuple[int, str | None]] = [
        (64, f"bp_len={config2}" if breakpoint else f"config2={fmt.hexnum(config2)}"),
        (72, f"branch_sample_type={flags('perf_branch_sample_type', branch)}"
         if sample_type & sample.get("PERF_SAMPLE_BRANCH_STACK", 0) else None),
        (80, f"sample_regs_user={fmt.hexnum(regs_user)}"),
        (88, f"sample_stack_user={fmt.hexnum(stack_user)}"
         if sample_type & sample.get("PERF_SAMPLE_STACK_USER", 0) else None),
        (92, f"clockid={fmt.enum(arch, 'clock_id')(clockid)}" if bits["use_clockid"] else None),
        (96, f"sample_regs_intr={fmt.hexnum(regs_intr)}"),
        (104, f"aux_watermark={aux_watermark}"),
        (108, f"sample_max_stack={max_stack}"),
        (110, f"/* bytes 110..111: {fmt.hexnum(reserved_2)} */" if reserved_2 else None),
        (112, f"aux_sample_size={aux_sample_size}"),
        (116, f"/* bytes 116..119: {fmt.hexnum(reserved_3)} */" if reserved_3 else None),
        (120, f"sig_data={fmt.hexnum(sig_data)}"),
    ]
    for off, shown in rest:
        if off >= size:
            break
        if shown is None:
            continue
        if shown.startswith("/*") and out:
            out[-1] += " " + shown
        else:
            out.append(shown)
    return out


def with_new_size(shown: str, new_size: int | None, arch: str, xs: int) -> str:
    """``shown`` (this module's text of an attr) with the size the kernel wrote back on
    E2BIG: ``size=X => Y``, ``=> ???`` when it could not be read (strace's perf.c,
    tprint_value_changed then printxval or tprint_unavailable)."""
    if not shown.startswith("{type="):
        return shown  # the attr showed as its address: nothing to amend
    start = shown.find(", size=")
    if start < 0:
        return shown
    # the size is the second field; the third (config=) always follows it
    end = shown.find(", config=", start)
    if end < 0:
        return shown
    after = "???" if new_size is None else tables.enum(arch, "perf_attr_size", xs)(new_size)
    return f"{shown[:end]} => {after}{shown[end:]}"
