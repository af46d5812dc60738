"""The attributes of RTM_*STATS messages (IFLA_STATS_*, linux/if_link.h) as strace 6.1 prints
them (src/rtnl_stats.c): 64-bit link counters, bridge and bond extended stats, offload stats,
per-family (MPLS) stats."""

from __future__ import annotations

import struct
from typing import Any

from syscope.decode.fmt import ptr
from syscope.decode.netlink import core
from syscope.decode.netlink.core import AttrDecoder, Attrs, Ctx
from syscope.decode.netlink.route_link import IFLA_DECODERS

AF_MPLS = 28
_LINK_64 = IFLA_DECODERS["IFLA_STATS64"]


def _counters(fields: tuple[tuple[str, int], ...], after: str = "", tail: bool = True) -> AttrDecoder:
    """A struct of u64 counters (a field of n > 1 is an array by BR_MCAST_DIR_* index), then
    any bytes after it as a hex string."""
    words = sum(n for _f, n in fields)
    size = 8 * words + (8 if after else 0)

    def dec(ctx: Ctx, addr: int, n: int, opaque: Any) -> str | None:
        if n < size:
            return None
        data = ctx.read(addr, size)
        if data is None:
            return ptr(addr)
        vals = struct.unpack_from(f"<{words}Q", data)
        parts, k = [], 0
        for name, count in fields:
            if count == 1:
                parts.append(f"{name}={vals[k]}")
            else:
                items = [f"[{ctx.xval(i, 'ifstats_xstats_bridge_mcast_indices', None, fmt_u=True)}]={vals[k + i]}"
                         for i in range(count)]
                parts.append(f"{name}=[{', '.join(items)}]")
            k += count
        if after:
            vid, flags, pad2 = struct.unpack_from("<HHI", data, 8 * words)
            parts.append(f"vid={vid}")
            parts.append(f"flags={ctx.flags(flags, 'BRIDGE_VLAN_INFO_???', 'nl_bridge_vlan_flags')}")
            if pad2:
                parts.append(f"pad2={core.fmt.hexnum(pad2)}")
        text = "{" + ", ".join(parts) + "}"
        if tail and n > size:
            text += ", " + ctx.hexstr(addr + size, n - size)
        return text
    return dec


_BRIDGE = Attrs("ifstats_xstats_bridge_attrs", "BRIDGE_XSTATS_???", {
    "BRIDGE_XSTATS_VLAN": _counters(tuple((f, 1) for f in ("rx_bytes", "rx_packets", "tx_bytes", "tx_packets")),
                                    after="vid"),
    "BRIDGE_XSTATS_MCAST": _counters((
        ("igmp_v1queries", 2), ("igmp_v2queries", 2), ("igmp_v3queries", 2), ("igmp_leaves", 2),
        ("igmp_v1reports", 2), ("igmp_v2reports", 2), ("igmp_v3reports", 2), ("igmp_parse_errors", 1),
        ("mld_v1queries", 2), ("mld_v2queries", 2), ("mld_leaves", 2), ("mld_v1reports", 2),
        ("mld_v2reports", 2), ("mld_parse_errors", 1), ("mcast_bytes", 2), ("mcast_packets", 2))),
    "BRIDGE_XSTATS_STP": _counters(tuple((f, 1) for f in (
        "transition_blk", "transition_fwd", "rx_bpdu", "tx_bpdu", "rx_tcn", "tx_tcn"))),
})
_BOND_3AD = Attrs("ifstats_xstats_bond_3ad_attrs", "BOND_XSTATS_???", {
    name: core.u64 for name in (
        "BOND_3AD_STAT_LACPDU_RX", "BOND_3AD_STAT_LACPDU_TX", "BOND_3AD_STAT_LACPDU_UNKNOWN_RX",
        "BOND_3AD_STAT_LACPDU_ILLEGAL_RX", "BOND_3AD_STAT_MARKER_RX", "BOND_3AD_STAT_MARKER_TX",
        "BOND_3AD_STAT_MARKER_RESP_RX", "BOND_3AD_STAT_MARKER_RESP_TX", "BOND_3AD_STAT_MARKER_UNKNOWN_RX")})
_BOND = Attrs("ifstats_xstats_bond_attrs", "BOND_XSTATS_???", {"BOND_XSTATS_3AD": core.nested(_BOND_3AD)})
_XSTATS = core.nested(Attrs("ifstats_xstats_type_attrs", "LINK_XSTATS_TYPE_???", {
    "LINK_XSTATS_TYPE_BRIDGE": core.nested(_BRIDGE), "LINK_XSTATS_TYPE_BOND": core.nested(_BOND)}))
_OFFLOAD = core.nested(Attrs("ifstats_offload_attrs", "IFLA_OFFLOAD_XSTATS_???", {
    "IFLA_OFFLOAD_XSTATS_CPU_HIT": _LINK_64}))
_MPLS = Attrs("ifstats_af_spec_mpls_attrs", "MPLS_STATS_???", {
    "MPLS_STATS_LINK": _counters(tuple((f, 1) for f in (
        "rx_packets", "tx_packets", "rx_bytes", "tx_bytes", "rx_errors", "tx_errors", "rx_dropped",
        "tx_dropped", "rx_noroute")))})


def _af_spec(ctx: Ctx, addr: int, n: int, opaque: Any) -> str | None:
    """IFLA_STATS_AF_SPEC: one attribute per address family; AF_MPLS's are MPLS_STATS_*."""
    def by_family(ctx: Ctx, a: int, ln: int, nla_type: Any) -> str | None:
        if nla_type & core.NLA_TYPE_MASK == AF_MPLS:
            return core.nlattr_list(ctx, a, ln, _MPLS)
        return ctx.hexstr(a, ln)
    return core.nlattr_list(ctx, addr, n, Attrs("nl_addrfams", "AF_???", by_family))


IFLA_STATS = Attrs("ifstats_attrs", "IFLA_STATS_???", {
    "IFLA_STATS_LINK_64": _LINK_64, "IFLA_STATS_LINK_XSTATS": _XSTATS, "IFLA_STATS_LINK_XSTATS_SLAVE": _XSTATS,
    "IFLA_STATS_LINK_OFFLOAD_XSTATS": _OFFLOAD, "IFLA_STATS_AF_SPEC": _af_spec,
})
