"""rtnetlink attribute lists: for each family header, its attribute types' table, strace's
default name for an unknown type, and how each type's data prints (strace src/rtnl_*.c)."""

from __future__ import annotations

import socket
import struct
from typing import Any

from syscope.decode.netlink import core
from syscope.decode.netlink.core import Attrs, Ctx
from syscope.decode.netlink.route_link import IFLA  # noqa: F401  (route.py's link headers)
from syscope.decode.netlink.route_stats import IFLA_STATS  # noqa: F401  (and its stats headers)


def _struct(fields: tuple[tuple[str, str], ...], size: int = 0) -> core.AttrDecoder:
    """A struct of plain numbers (size: strace's offsetofend when the struct has padding after)."""
    return lambda ctx, a, n, o: core.struct_of(ctx, a, n, fields)


def _lwt_encap(ctx: Ctx, addr: int, n: int, hdr: Any) -> str | None:
    if n < 2:
        return None
    data = ctx.read(addr, 2)
    return core.ptr(addr) if data is None else ctx.xval(int.from_bytes(data, "little"), "lwtunnel_encap_types",
                                                         "LWTUNNEL_ENCAP_???")


def _ifa_address(ctx: Ctx, addr: int, n: int, hdr: Any) -> str | None:
    return core.inet_addr_any(ctx, addr, n, hdr["family"])


def _ifa_cacheinfo(ctx: Ctx, addr: int, n: int, hdr: Any) -> str | None:
    return core.struct_of(ctx, addr, n, (("ifa_prefered", "I"), ("ifa_valid", "I"), ("cstamp", "I"),
                                         ("tstamp", "I")))


IFA = Attrs("rtnl_addr_attrs", "IFA_???", {
    "IFA_ADDRESS": _ifa_address, "IFA_LOCAL": _ifa_address, "IFA_LABEL": core.nla_str,
    "IFA_BROADCAST": _ifa_address, "IFA_ANYCAST": _ifa_address, "IFA_CACHEINFO": _ifa_cacheinfo,
    "IFA_MULTICAST": _ifa_address, "IFA_FLAGS": core.nla_flags("ifaddrflags", "IFA_F_???", 4),
    "IFA_RT_PRIORITY": core.u32, "IFA_TARGET_NETNSID": core.s32,
})
def _family_addr(ctx: Ctx, addr: int, n: int, hdr: Any) -> str | None:
    """An address of the header's family (decode_route_addr, decode_rule_addr, decode_neigh_addr)."""
    return core.inet_addr_any(ctx, addr, n, hdr["family"])


def _rtvia(ctx: Ctx, addr: int, n: int, hdr: Any) -> str | None:
    """struct rtvia {rtvia_family, rtvia_addr[]}."""
    if n < 2:
        return None
    data = ctx.read(addr, 2)
    if data is None:
        return core.ptr(addr)
    fam = int.from_bytes(data, "little")
    text = f"{{rtvia_family={ctx.xval(fam, 'nl_addrfams', 'AF_???')}"
    if n > 2:
        text += ", " + core.inet_addr_any(ctx, addr + 2, n - 2, fam, "rtvia_addr")
    return text + "}"


_U = core.show_u
_RT_CLASS = core.nla_xval("routing_table_ids", None, 4)
_RTA_METRICS = Attrs("rtnl_rta_metrics_attrs", "RTAX_???", lambda ctx, a, n, t: (
    core.nla_str(ctx, a, n, t) if ctx.name("rtnl_rta_metrics_attrs", t & core.NLA_TYPE_MASK) == "RTAX_CC_ALGO"
    else core.u32(ctx, a, n, t) if ctx.name("rtnl_rta_metrics_attrs", t & core.NLA_TYPE_MASK) else None))
RTA_DECODERS: dict[str, core.AttrDecoder] = {
    "RTA_DST": _family_addr, "RTA_SRC": _family_addr, "RTA_IIF": core.nla_ifindex, "RTA_OIF": core.nla_ifindex,
    "RTA_GATEWAY": _family_addr, "RTA_PRIORITY": core.u32, "RTA_PREFSRC": _family_addr,
    "RTA_METRICS": core.nested(_RTA_METRICS), "RTA_PROTOINFO": core.u32, "RTA_FLOW": core.u32,
    "RTA_CACHEINFO": core.struct_dec(tuple(core.Field(f, "I", core.show_x if f == "rta_id" else _U) for f in (
        "rta_clntref", "rta_lastuse", "rta_expires", "rta_error", "rta_used", "rta_id", "rta_ts", "rta_tsage"))),
    "RTA_MP_ALGO": core.u32, "RTA_TABLE": _RT_CLASS, "RTA_MARK": core.u32,
    "RTA_MFC_STATS": _struct((("mfcs_packets", "Q"), ("mfcs_bytes", "Q"), ("mfcs_wrong_if", "Q"))),
    "RTA_VIA": _rtvia, "RTA_NEWDST": _family_addr, "RTA_PREF": core.u8, "RTA_ENCAP_TYPE": _lwt_encap,
    "RTA_EXPIRES": core.u64, "RTA_UID": core.u32, "RTA_TTL_PROPAGATE": core.u8, "RTA_IP_PROTO": core.u8,
    "RTA_SPORT": core.u16, "RTA_DPORT": core.u16,
}
RTA = Attrs("rtnl_route_attrs", "RTA_???", RTA_DECODERS)


def _multipath(ctx: Ctx, addr: int, n: int, hdr: Any) -> str | None:
    """RTA_MULTIPATH: struct rtnexthop {len, flags, hops, ifindex} headers, each followed by
    its route attributes (decode_rta_multipath)."""
    if n < 8:
        return None
    out: list[str] = []
    cur, left = addr, n
    is_array = False
    while True:
        data = ctx.read(cur, 8)
        if data is None:
            out.append(core.ptr(cur))
            break
        rtnh_len, flags, hops, ifindex = struct.unpack("<HBBi", data)
        size = min(left, rtnh_len)
        if cur == addr and rtnh_len < n:
            is_array = True
        text = (f"{{rtnh_len={rtnh_len}, rtnh_flags={ctx.flags(flags, 'RTNH_F_???', 'route_nexthop_flags')}, "
                f"rtnh_hops={hops}, rtnh_ifindex={ctx.ifindex(ifindex)}}}")
        if size > 8:
            text = f"[{text}, {core.nlattr_list(ctx, cur + 8, size - 8, RTA, hdr)}]"
        out.append(text)
        step = core.align4(size)
        if step >= left:
            break
        cur, left = cur + step, left - step
    return "[" + ", ".join(out) + "]" if is_array else out[0]


RTA_DECODERS["RTA_MULTIPATH"] = _multipath
_RANGE_U32 = _struct((("start", "I"), ("end", "I")))
FRA = Attrs("rtnl_rule_attrs", "FRA_???", {
    "FRA_DST": _family_addr, "FRA_SRC": _family_addr, "FRA_IIFNAME": core.nla_str, "FRA_GOTO": core.u32,
    "FRA_PRIORITY": core.u32, "FRA_FWMARK": core.u32, "FRA_FLOW": core.u32, "FRA_TUN_ID": core.nla_be64,
    "FRA_SUPPRESS_IFGROUP": core.u32, "FRA_SUPPRESS_PREFIXLEN": core.u32, "FRA_TABLE": _RT_CLASS,
    "FRA_FWMASK": core.u32, "FRA_OIFNAME": core.nla_str, "FRA_L3MDEV": core.u8, "FRA_UID_RANGE": _RANGE_U32,
    "FRA_PROTOCOL": core.nla_xval("routing_protocols", "RTPROT_???", 1),
    "FRA_IP_PROTO": core.nla_ip_proto,
    "FRA_SPORT_RANGE": _struct((("start", "H"), ("end", "H"))),
    "FRA_DPORT_RANGE": _struct((("start", "H"), ("end", "H"))),
})
NDA = Attrs("rtnl_neigh_attrs", "NDA_???", {
    "NDA_DST": _family_addr, "NDA_LLADDR": core.hwaddr,
    "NDA_CACHEINFO": _struct((("ndm_confirmed", "I"), ("ndm_used", "I"), ("ndm_updated", "I"), ("ndm_refcnt", "I"))),
    "NDA_PROBES": core.u32, "NDA_VLAN": core.u16, "NDA_PORT": core.nla_be16, "NDA_VNI": core.u32,
    "NDA_IFINDEX": core.nla_ifindex, "NDA_MASTER": core.nla_ifindex, "NDA_LINK_NETNSID": core.u32,
    "NDA_SRC_VNI": core.u32, "NDA_PROTOCOL": core.nla_ip_proto,
    "NDA_NH_ID": core.u32,
    "NDA_FDB_EXT_ATTRS": core.nested(Attrs("rtnl_neigh_fdb_ext_attrs", "NFEA_???", {
        "NFEA_ACTIVITY_NOTIFY": core.nla_flags("fdb_notify_flags", "FDB_NOTIFY_???", 1)})),
    "NDA_FLAGS_EXT": core.nla_flags("neighbor_cache_entry_ext_flags", "NTF_EXT_???", 4),
    "NDA_NDM_STATE_MASK": core.nla_flags("neighbor_cache_entry_states", "NUD_???", 2),
    "NDA_NDM_FLAGS_MASK": core.nla_flags("neighbor_cache_entry_flags", "NTF_???", 1),
})
# struct tc_stats up to its backlog (linux/pkt_sched.h), struct tc_estimator
_TC_STATS = (("bytes", "Q"), ("packets", "I"), ("drops", "I"), ("overlimits", "I"), ("bps", "I"), ("pps", "I"),
             ("qlen", "I"), ("backlog", "I"))
# linux/gen_stats.h
_TCA_STATS2 = core.nested(Attrs("rtnl_tca_stats_attrs", "TCA_STATS_???", {
    "TCA_STATS_BASIC": _struct((("bytes", "Q"), ("packets", "I"))),
    "TCA_STATS_RATE_EST": _struct((("bps", "I"), ("pps", "I"))),
    "TCA_STATS_QUEUE": _struct((("qlen", "I"), ("backlog", "I"), ("drops", "I"), ("requeues", "I"),
                                ("overlimits", "I"))),
    "TCA_STATS_RATE_EST64": _struct((("bps", "Q"), ("pps", "Q"))),
    "TCA_STATS_BASIC_HW": _struct((("bytes", "Q"), ("packets", "I"))),
    "TCA_STATS_PKT64": core.u64,
}))
# struct tc_sizespec and the u16 table after it (linux/pkt_sched.h)
_TCA_STAB = core.nested(Attrs("rtnl_tca_stab_attrs", "TCA_STAB_???", {
    "TCA_STAB_BASE": _struct((("cell_log", "B"), ("size_log", "B"), ("cell_align", "h"), ("overhead", "i"),
                              ("linklayer", "I"), ("mpu", "I"), ("mtu", "I"), ("tsize", "I"))),
    "TCA_STAB_DATA": core.array_of(2, lambda ctx, raw: str(int.from_bytes(raw, "little"))),
}))
TCA = Attrs("rtnl_tc_attrs", "TCA_???", {
    "TCA_STATS2": _TCA_STATS2, "TCA_STAB": _TCA_STAB,
    "TCA_KIND": core.nla_str,
    "TCA_STATS": lambda ctx, a, n, o: core.struct_of(ctx, a, n, _TC_STATS),
    "TCA_RATE": lambda ctx, a, n, o: core.struct_of(ctx, a, n, (("interval", "b"), ("ewma_log", "B"))),
    "TCA_FCNT": core.u32, "TCA_CHAIN": core.u32, "TCA_HW_OFFLOAD": core.u8, "TCA_INGRESS_BLOCK": core.u32,
    "TCA_EGRESS_BLOCK": core.u32, "TCA_DUMP_FLAGS": core.u32,
})
TCA_ACT = Attrs("rtnl_tc_action_attrs", "TCA_ACT_???", {
    "TCA_ACT_KIND": core.nla_str, "TCA_ACT_INDEX": core.u32, "TCA_ACT_STATS": _TCA_STATS2,
    "TCA_ACT_FLAGS": core.nla_flags("rtnl_tca_act_flags", "TCA_ACT_FLAGS_???", 4),
    "TCA_ACT_HW_STATS": core.nla_flags("rtnl_tca_act_hw_stats", "TCA_ACT_HW_STATS_???", 4),
    "TCA_ACT_USED_HW_STATS": core.nla_flags("rtnl_tca_act_hw_stats", "TCA_ACT_HW_STATS_???", 4),
    "TCA_ACT_IN_HW_COUNT": core.u32,
})
def _ndt_stats(ctx: Ctx, addr: int, n: int, hdr: Any) -> str | None:
    """struct ndt_stats: u64 counters, ndts_table_fulls only in the full-size struct."""
    names = ("ndts_allocs", "ndts_destroys", "ndts_hash_grows", "ndts_res_failed", "ndts_lookups", "ndts_hits",
             "ndts_rcv_probes_mcast", "ndts_rcv_probes_ucast", "ndts_periodic_gc_runs", "ndts_forced_gc_runs",
             "ndts_table_fulls")
    size = 8 * len(names) if n >= 8 * len(names) else n if n == 8 * (len(names) - 1) else 0
    if not size:
        return None
    data = ctx.read(addr, size)
    if data is None:
        return core.ptr(addr)
    vals = struct.unpack(f"<{size // 8}Q", data)
    return "{" + ", ".join(f"{k}={v}" for k, v in zip(names, vals, strict=False)) + "}"


_NDT_CONFIG = core.struct_dec((
    core.Field("ndtc_key_len", "H", core.show_u), core.Field("ndtc_entry_size", "H", core.show_u),
    *(core.Field(f, "I", core.show_u) for f in ("ndtc_entries", "ndtc_last_flush", "ndtc_last_rand",
                                                "ndtc_hash_rnd")),
    core.Field("ndtc_hash_mask", "I", lambda ctx, v: f"{v:#010x}"),  # PRINT_FIELD_0X
    core.Field("ndtc_hash_chain_gc", "I", core.show_u), core.Field("ndtc_proxy_qlen", "I", core.show_u)))
_NDTPA = Attrs("rtnl_neightbl_parms_attrs", "NDTPA_???", {
    "NDTPA_IFINDEX": core.nla_ifindex,
    **{f"NDTPA_{k}": core.u32 for k in ("REFCNT", "QUEUE_LEN", "APP_PROBES", "UCAST_PROBES", "MCAST_PROBES",
                                         "PROXY_QLEN", "QUEUE_LENBYTES", "MCAST_REPROBES")},
    **{f"NDTPA_{k}": core.u64 for k in ("REACHABLE_TIME", "BASE_REACHABLE_TIME", "RETRANS_TIME", "GC_STALETIME",
                                         "DELAY_PROBE_TIME", "ANYCAST_DELAY", "PROXY_DELAY", "LOCKTIME",
                                         "INTERVAL_PROBE_TIME_MS")},
})
NDTA = Attrs("rtnl_neightbl_attrs", "NDTA_???", {
    "NDTA_NAME": core.nla_str, "NDTA_THRESH1": core.u32, "NDTA_THRESH2": core.u32, "NDTA_THRESH3": core.u32,
    "NDTA_CONFIG": _NDT_CONFIG, "NDTA_PARMS": core.nested(_NDTPA), "NDTA_STATS": _ndt_stats,
    "NDTA_GC_INTERVAL": core.u64,
})
IFAL = Attrs("rtnl_addrlabel_attrs", "IFAL_???", {})
DCB = Attrs("rtnl_dcb_attrs", "DCB_ATTR_???", None)
NETCONFA = Attrs("rtnl_netconf_attrs", "NETCONFA_???", {})
def _mdb_entry_info(ctx: Ctx, addr: int, n: int, hdr: Any) -> str | None:
    """struct br_mdb_entry (28 bytes: the group address union is 16 bytes, then its big-endian
    protocol, padded), then the entry's attributes."""
    if n < 28:
        return None
    data = ctx.read(addr, 28)
    if data is None:
        return core.ptr(addr)
    ifindex, state, flags, vid = struct.unpack_from("<IBBH", data)
    proto = int.from_bytes(data[24:26], "big")
    group = data[8:24] if proto != socket.AF_INET else data[8:12]
    text = (f"{{ifindex={ctx.ifindex(ifindex)}, state={ctx.xval(state, 'mdb_states', 'MDB_???')}, "
            f"flags={ctx.flags(flags, 'MDB_FLAGS_???', 'mdb_flags')}, vid={vid}, "
            f"addr={{{core.inet_text(ctx, proto, group, 'u')}, "
            f"proto=htons({ctx.xval(proto, 'nl_addrfams', 'AF_???')})}}}}")
    if n > 28:
        text += ", " + core.nlattr_list(ctx, addr + 28, n - 28, _MDB_EATTR)
    return text


def _mdba_router_port(ctx: Ctx, addr: int, n: int, hdr: Any) -> str | None:
    """The port's ifindex (u32), then its attributes."""
    if n < 4:
        return None
    data = ctx.read(addr, 4)
    if data is None:
        return core.ptr(addr)
    text = ctx.ifindex(int.from_bytes(data, "little"))
    if n > 4:
        text += ", " + core.nlattr_list(ctx, addr + 4, n - 4, _MDB_ROUTER_PATTR)
    return text


_MDB_EATTR = Attrs("rtnl_mdba_mdb_eattr_attrs", "MDBA_MDB_EATTR_???", {"MDBA_MDB_EATTR_TIMER": core.nla_clock_t})
_MDB_ROUTER_PATTR = Attrs("rtnl_mdba_router_pattr_attrs", "MDBA_ROUTER_PATTR_???", {
    "MDBA_ROUTER_PATTR_TIMER": core.nla_clock_t, "MDBA_ROUTER_PATTR_INET_TIMER": core.nla_clock_t,
    "MDBA_ROUTER_PATTR_INET6_TIMER": core.nla_clock_t,
    "MDBA_ROUTER_PATTR_TYPE": core.nla_xval("multicast_router_types", "MDB_RTR_TYPE_???", 1)})
MDBA = Attrs("rtnl_mdb_attrs", "MDBA_???", {
    "MDBA_MDB": core.nested(Attrs("rtnl_mdba_mdb_attrs", "MDBA_MDB_???", {
        "MDBA_MDB_ENTRY": core.nested(Attrs("rtnl_mdba_mdb_entry_attrs", "MDBA_MDB_ENTRY_???", {
            "MDBA_MDB_ENTRY_INFO": _mdb_entry_info}))})),
    "MDBA_ROUTER": core.nested(Attrs("rtnl_mdba_router_attrs", "MDBA_ROUTER_???", {
        "MDBA_ROUTER_PORT": _mdba_router_port})),
})
NETNSA = Attrs("rtnl_nsid_attrs", "NETNSA_???", {})
def _nh_grp(ctx: Ctx, raw: bytes) -> str:
    """struct nexthop_grp {id, weight, resvd1, resvd2}: the reserved fields only when set."""
    nh_id, weight, r1, r2 = struct.unpack("<IBBH", raw)
    text = f"{{id={nh_id}, weight={weight}"
    text += f", resvd1={core.fmt.hexnum(r1)}" if r1 else ""
    text += f", resvd2={core.fmt.hexnum(r2)}" if r2 else ""
    return text + "}"


def _nha_addr(ctx: Ctx, addr: int, n: int, hdr: Any) -> str | None:
    return core.inet_addr_any(ctx, addr, n, hdr["family"])


NHA = Attrs("rtnl_nexthop_attrs", "NHA_???", {
    "NHA_ID": core.u32, "NHA_GROUP": core.array_of(8, _nh_grp),
    "NHA_GROUP_TYPE": core.nla_xval("rtnl_nexthop_grp_types", "NEXTHOP_GRP_TYPE_???", 2),
    "NHA_BLACKHOLE": core.u32, "NHA_OIF": core.nla_ifindex, "NHA_GATEWAY": _nha_addr,
    "NHA_ENCAP_TYPE": _lwt_encap, "NHA_GROUPS": core.u32, "NHA_MASTER": core.nla_ifindex, "NHA_FDB": core.u32,
    "NHA_RES_GROUP": core.nested(Attrs("rtnl_nha_res_group_attrs", "NHA_RES_GROUP_???", {
        "NHA_RES_GROUP_BUCKETS": core.u16, "NHA_RES_GROUP_IDLE_TIMER": core.nla_clock_t,
        "NHA_RES_GROUP_UNBALANCED_TIMER": core.nla_clock_t, "NHA_RES_GROUP_UNBALANCED_TIME": core.nla_clock_t})),
    "NHA_RES_BUCKET": core.nested(Attrs("rtnl_nha_res_bucket_attrs", "NHA_RES_BUCKET_???", {
        "NHA_RES_BUCKET_INDEX": core.u16, "NHA_RES_BUCKET_IDLE_TIME": core.nla_clock_t,
        "NHA_RES_BUCKET_NH_ID": core.u32})),
})


def show_stats_mask(ctx: Ctx, v: int) -> str:
    """if_stats_msg.filter_mask: bit 1 << IFLA_STATS_* per attribute wanted (IFLA_STATS_FILTER_BIT)."""
    rows = [(1 << t, f"1<<{name}") for t, name in ctx.rows("ifstats_attrs")]
    return ctx.flags(v, "1<<IFLA_STATS_???", rows)


def cachereport(ctx: Ctx, family: int, addr: int, n: int) -> str:
    """RTM_NEWCACHEREPORT: a struct rtgenmsg whose family is RTNL_FAMILY_IPMR/IP6MR (or an
    address family), then the multicast routing report attributes of that family."""
    name = ctx.name("rtnl_family", family)
    fam = ctx.xval(family, "rtnl_family", None) if name else ctx.xval(family, "nl_addrfams", "RTNL_FAMILY_???")
    text = f"{{rtgen_family={fam}}}"
    if n > 4:
        attrs = _CREPORT.get(name or "")
        body = core.nlattr_list(ctx, addr + 4, n - 4, attrs) if attrs else ctx.hexstr(addr + 4, n - 4)
        text += ", " + body
    return text


_CREPORT = {
    "RTNL_FAMILY_IPMR": Attrs("rtnl_ipmra_creport_attr", "IPMRA_CREPORT_???", {
        "IPMRA_CREPORT_MSGTYPE": core.nla_xval("rtnl_ipmra_msg_types", "IGMPMSG_???", 1),
        "IPMRA_CREPORT_VIF_ID": core.u32, "IPMRA_CREPORT_SRC_ADDR": core.nla_in_addr,
        "IPMRA_CREPORT_DST_ADDR": core.nla_in_addr, "IPMRA_CREPORT_TABLE": core.u32}),
    "RTNL_FAMILY_IP6MR": Attrs("rtnl_ip6mra_creport_attr", "IP6MRA_CREPORT_???", {
        "IP6MRA_CREPORT_MSGTYPE": core.nla_xval("rtnl_ip6mra_msg_types", "MRT6MSG_???", 1),
        "IP6MRA_CREPORT_MIF_ID": core.u32, "IP6MRA_CREPORT_SRC_ADDR": core.nla_in6_addr,
        "IP6MRA_CREPORT_DST_ADDR": core.nla_in6_addr}),
}
