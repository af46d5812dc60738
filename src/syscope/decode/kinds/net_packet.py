"""setsockopt/getsockopt values of the SOL_PACKET (packet(7)) and SOL_RAW (raw(7)) levels:
struct packet_mreq, struct tpacket_req, struct tpacket_stats and struct icmp_filter, laid out
as linux/if_packet.h and linux/icmp.h declare them, printed as strace's net.c prints them."""

from __future__ import annotations

import socket
import struct
from collections.abc import Callable

from syscope.decode import fmt
from syscope.decode.base import DecoderBase
from syscope.decode.registry import Memory

# (level, option, address, length) -> the value's text, or None when the level/option is not ours
OptPrinter = Callable[[Memory, int, int, int, int], "str | None"]

_MREQ = struct.Struct("<iHH8s")  # struct packet_mreq: mr_ifindex, mr_type, mr_alen, mr_address[8]
_TPACKET_REQ = struct.Struct("<4I")  # struct tpacket_req
_TPACKET_REQ_FIELDS = ("tp_block_size", "tp_block_nr", "tp_frame_size", "tp_frame_nr")
_TP_STATS = ("tp_packets", "tp_drops", "tp_freeze_q_cnt")  # struct tpacket_stats_v3's common part


def _ptr(addr: int) -> str:
    return fmt.ptr(addr) if addr else "NULL"


def _names(arch: str, table: str) -> dict[str, int]:
    return {n: v for v, n in fmt.consts(arch).get(table, [])}


def _ifindex(idx: int) -> str:
    try:
        return f'if_nametoindex("{socket.if_indextoname(idx)}")'
    except (OSError, OverflowError):
        return str(idx)


def _mac(data: bytes, xs: int) -> str:
    """PRINT_FIELD_MAC_SZ: ``aa:bb``; the bytes under -X raw, both under -X verbose."""
    text = ":".join(f"{c:02x}" for c in data)
    if xs == 0:
        return text
    hexed = '"' + "".join(f"\\x{c:02x}" for c in data) + '"'
    return hexed if xs == 2 else f"{hexed} /* {text} */"


def _icmp_filter(mem: Memory, addr: int, ln: int, types: fmt.Enum) -> str:
    """strace print_icmp_filter: the 32-bit mask of ICMP types the socket drops; with more than
    half of the bits set, ``~[...]`` of the clear ones.  A short length fills the rest with ones."""
    if ln <= 0:
        return _ptr(addr)
    ln = min(ln, 4)
    raw = mem.read(addr, ln)
    if raw is None or len(raw) < ln:
        return _ptr(addr)
    mask = int.from_bytes(raw + b"\xff" * (4 - ln), "little")
    prefix = ""
    if bin(mask).count("1") > 16:
        mask, prefix = ~mask & 0xFFFFFFFF, "~"
    return prefix + "[" + " ".join(types(b) for b in range(32) if mask >> b & 1) + "]"


def setsockopt_printer(d: DecoderBase, arch: str) -> OptPrinter:
    """strace print_setsockopt's SOL_PACKET and SOL_RAW cases."""
    lv = _names(arch, "sockopt_level")
    packet, raw = lv.get("SOL_PACKET"), lv.get("SOL_RAW")
    po = _names(arch, "sol_packet")
    rings = {po.get("PACKET_RX_RING"), po.get("PACKET_TX_RING")} - {None}
    members = {po.get("PACKET_ADD_MEMBERSHIP"), po.get("PACKET_DROP_MEMBERSHIP")} - {None}
    icmp_filter = _names(arch, "sol_raw").get("ICMP_FILTER")
    mr_type = fmt.enum(arch, "packet_mreq_type", d.xs)
    types = fmt.enum(arch, "icmp_filter_types", d.xs)

    def struct_at(mem: Memory, addr: int, ln: int, layout: struct.Struct) -> tuple[object, ...] | None:
        # a length other than the struct's is the address (strace: len != sizeof)
        data = mem.read(addr, layout.size) if ln == layout.size else None
        return layout.unpack(data) if data is not None and len(data) == layout.size else None

    def show(mem: Memory, level: int, name: int, addr: int, ln: int) -> str | None:
        if level == raw and name == icmp_filter:
            return _icmp_filter(mem, addr, ln, types)
        if level != packet or (name not in rings and name not in members):
            return None
        if name in rings:
            req = struct_at(mem, addr, ln, _TPACKET_REQ)
            if req is None:
                return _ptr(addr)
            return "{" + ", ".join(f"{f}={v}" for f, v in zip(_TPACKET_REQ_FIELDS, req, strict=True)) + "}"
        got = struct_at(mem, addr, ln, _MREQ)
        if got is None:
            return _ptr(addr)
        idx, kind, alen, address = got
        assert isinstance(idx, int) and isinstance(kind, int) and isinstance(alen, int)
        assert isinstance(address, bytes)
        return (f"{{mr_ifindex={_ifindex(idx)}, mr_type={mr_type(kind)}, mr_alen={alen}, "
                f"mr_address={_mac(address[:min(alen, len(address))], d.xs)}}}")
    return show


def getsockopt_printer(d: DecoderBase, arch: str) -> OptPrinter:
    """strace print_getsockopt's SOL_PACKET and SOL_RAW cases; the length is what the kernel
    wrote back."""
    lv = _names(arch, "sockopt_level")
    packet, raw = lv.get("SOL_PACKET"), lv.get("SOL_RAW")
    statistics = _names(arch, "sol_packet").get("PACKET_STATISTICS")
    icmp_filter = _names(arch, "sol_raw").get("ICMP_FILTER")
    types = fmt.enum(arch, "icmp_filter_types", d.xs)

    def show(mem: Memory, level: int, name: int, addr: int, rlen: int) -> str | None:
        if level == raw and name == icmp_filter:
            return _icmp_filter(mem, addr, rlen, types)
        if level != packet or name != statistics:
            return None
        # tpacket_stats_v3 is longer: only the fields of struct tpacket_stats are shown, as
        # many whole ones as the kernel wrote, then the bytes of a cut one (MAYBE_PRINT_FIELD_LEN)
        ln = min(rlen, 4 * len(_TP_STATS))
        data = mem.read(addr, ln)
        if data is None or len(data) < ln:
            return _ptr(addr)
        return fmt.int_fields_upto(_TP_STATS, lambda k, v: str(v & 0xFFFFFFFF), data, ln)
    return show
