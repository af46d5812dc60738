"""The link attributes of RTM_*LINK messages (IFLA_*, linux/if_link.h) as strace 6.1 prints
them (src/rtnl_link.c): counters, the device map, bridge port and XDP attributes, the per
family protocol info, the port profiles of virtual functions."""

from __future__ import annotations

import struct
from typing import Any

from syscope.decode.fmt import ptr
from syscope.decode.netlink import core
from syscope.decode.netlink.core import AttrDecoder, Attrs, Ctx, Field

AF_INET6, AF_BRIDGE = 10, 7

# struct rtnl_link_stats / rtnl_link_stats64: these counters, then rx_nohandler (and for the
# 64-bit one rx_otherhost_dropped) when the attribute is long enough
_STATS = ("rx_packets", "tx_packets", "rx_bytes", "tx_bytes", "rx_errors", "tx_errors", "rx_dropped",
          "tx_dropped", "multicast", "collisions", "rx_length_errors", "rx_over_errors", "rx_crc_errors",
          "rx_frame_errors", "rx_fifo_errors", "rx_missed_errors", "tx_aborted_errors", "tx_carrier_errors",
          "tx_fifo_errors", "tx_heartbeat_errors", "tx_window_errors", "rx_compressed", "tx_compressed")


def _stats(word: str, extra: tuple[str, ...]) -> AttrDecoder:
    """The counters struct: accepted at its full size (all extra counters), at the size before
    each extra counter, nothing in between (decode_rtnl_link_stats, ..._stats64)."""
    size = struct.calcsize(word)
    sizes = [size * (len(_STATS) + k) for k in range(len(extra) + 1)]

    def dec(ctx: Ctx, addr: int, n: int, opaque: Any) -> str | None:
        fit = sizes[-1] if n >= sizes[-1] else n if n in sizes else 0
        if not fit:
            return None
        data = ctx.read(addr, fit)
        if data is None:
            return ptr(addr)
        names = (_STATS + extra)[: fit // size]
        vals = struct.unpack(f"<{len(names)}{word}", data)
        return "{" + ", ".join(f"{k}={v}" for k, v in zip(names, vals, strict=True)) + "}"
    return dec


def _bridge_id(ctx: Ctx, addr: int, n: int, opaque: Any) -> str | None:
    """struct ifla_bridge_id {prio[2], addr[6]}."""
    if n < 8:
        return None
    data = ctx.read(addr, 8)
    if data is None:
        return ptr(addr)
    return f"{{prio=[{data[0]}, {data[1]}], addr={core.mac_text(ctx, data[2:8])}}}"


_IFMAP = core.struct_dec((Field("mem_start", "Q", core.show_x), Field("mem_end", "Q", core.show_x),
                          Field("base_addr", "Q", core.show_x), Field("irq", "H", core.show_u),
                          Field("dma", "B", core.show_u), Field("port", "B", core.show_u)))

_BRPORT = Attrs("rtnl_ifla_brport_attrs", "IFLA_BRPORT_???", {
    **{name: core.u8 for name in (
        "IFLA_BRPORT_STATE", "IFLA_BRPORT_MODE", "IFLA_BRPORT_GUARD", "IFLA_BRPORT_PROTECT",
        "IFLA_BRPORT_FAST_LEAVE", "IFLA_BRPORT_LEARNING", "IFLA_BRPORT_UNICAST_FLOOD", "IFLA_BRPORT_PROXYARP",
        "IFLA_BRPORT_LEARNING_SYNC", "IFLA_BRPORT_PROXYARP_WIFI", "IFLA_BRPORT_TOPOLOGY_CHANGE_ACK",
        "IFLA_BRPORT_CONFIG_PENDING", "IFLA_BRPORT_MULTICAST_ROUTER", "IFLA_BRPORT_MCAST_FLOOD",
        "IFLA_BRPORT_MCAST_TO_UCAST", "IFLA_BRPORT_VLAN_TUNNEL", "IFLA_BRPORT_BCAST_FLOOD",
        "IFLA_BRPORT_NEIGH_SUPPRESS", "IFLA_BRPORT_ISOLATED", "IFLA_BRPORT_MRP_RING_OPEN",
        "IFLA_BRPORT_MRP_IN_OPEN", "IFLA_BRPORT_LOCKED")},
    **{name: core.u16 for name in (
        "IFLA_BRPORT_PRIORITY", "IFLA_BRPORT_DESIGNATED_PORT", "IFLA_BRPORT_DESIGNATED_COST",
        "IFLA_BRPORT_ID", "IFLA_BRPORT_NO")},
    **{name: core.nla_clock_t for name in (
        "IFLA_BRPORT_MESSAGE_AGE_TIMER", "IFLA_BRPORT_FORWARD_DELAY_TIMER", "IFLA_BRPORT_HOLD_TIMER")},
    "IFLA_BRPORT_COST": core.u32, "IFLA_BRPORT_ROOT_ID": _bridge_id, "IFLA_BRPORT_BRIDGE_ID": _bridge_id,
    "IFLA_BRPORT_GROUP_FWD_MASK": core.x16, "IFLA_BRPORT_BACKUP_PORT": core.nla_ifindex,
    "IFLA_BRPORT_MCAST_EHT_HOSTS_LIMIT": core.u32, "IFLA_BRPORT_MCAST_EHT_HOSTS_CNT": core.u32,
})


def _indexed(table: str, dflt: str, word: str, signed: bool, base: int = 0) -> AttrDecoder:
    """An array of counters printed with the names of their indices, ``[[NAME]=1, ...]``
    (print_array_ex with PAF_PRINT_INDICES); ``base``: the table's first value sits at index 0
    and is named ``NAME-1`` (IPV4_DEVCONF_FORWARDING-1, strace's inet_devconf_indices)."""
    size = struct.calcsize(word)

    def show(ctx: Ctx, k: int, raw: bytes) -> str:
        if base:
            rows = [(v - base, f"{n}-{base}") for v, n in ctx.rows(table)]
            name = ctx.xval_rows(k, rows, dflt, fmt_u=True)
        else:
            name = ctx.xval(k, table, dflt, fmt_u=True)
        return f"[{name}]={struct.unpack('<' + word, raw)[0]}"

    return core.indexed_array_of(size, show)


_INET6 = Attrs("rtnl_ifla_af_spec_inet6_attrs", "IFLA_INET6_???", {
    "IFLA_INET6_FLAGS": core.nla_flags("inet6_if_flags", "IF_???", 4),
    "IFLA_INET6_CONF": _indexed("inet6_devconf_indices", "DEVCONF_???", "i", True),
    "IFLA_INET6_STATS": _indexed("snmp_ip_stats", "IPSTATS_MIB_???", "Q", False),
    "IFLA_INET6_CACHEINFO": core.struct_dec(tuple(Field(f, "I", core.show_u) for f in (
        "max_reasm_len", "tstamp", "reachable_time", "retrans_time"))),
    "IFLA_INET6_ICMP6STATS": _indexed("snmp_icmp6_stats", "ICMP6_MIB_???", "Q", False),
    "IFLA_INET6_TOKEN": core.nla_in6_addr,
    "IFLA_INET6_ADDR_GEN_MODE": core.nla_xval("in6_addr_gen_mode", "IN6_ADDR_GEN_MODE_???", 1),
    "IFLA_INET6_RA_MTU": core.u32,
})
_INET = Attrs("rtnl_ifla_af_spec_inet_attrs", "IFLA_INET_???", {
    "IFLA_INET_CONF": _indexed("inet_devconf_indices", "IPV4_DEVCONF_???", "i", True, 1)})
# protocol info by the message's family (decode_ifla_protinfo)
_PROTINFO = {AF_BRIDGE: _BRPORT, AF_INET6: _INET6}


def _protinfo(ctx: Ctx, addr: int, n: int, hdr: Any) -> str | None:
    attrs = _PROTINFO.get(hdr["family"])
    return core.nlattr_list(ctx, addr, n, attrs) if attrs else ctx.hexstr(addr, n)


_MCTP = Attrs("rtnl_ifla_af_spec_mctp_attrs", "IFLA_MCTP_???", {"IFLA_MCTP_NET": core.u32})
# the per-family attribute lists of IFLA_AF_SPEC, by the family's name (decode_ifla_af)
_AF_SPEC_FAMILIES = {"AF_INET": _INET, "AF_INET6": _INET6, "AF_MCTP": _MCTP}


def _bridge_vlan_info(ctx: Ctx, addr: int, n: int, opaque: Any) -> str | None:
    """struct bridge_vlan_info {__u16 flags, vid} (linux/if_bridge.h), and any bytes after it
    as a hex string."""
    if n < 4:
        return None
    data = ctx.read(addr, 4)
    if data is None:
        return ptr(addr)
    flags, vid = struct.unpack("<HH", data)
    text = f"{{flags={ctx.flags(flags, 'BRIDGE_VLAN_INFO_???', 'nl_bridge_vlan_flags')}, vid={vid}}}"
    return text + (", " + ctx.hexstr(addr + 4, n - 4) if n > 4 else "")


_BRIDGE_VLAN_TUNNEL = Attrs("rtnl_ifla_af_spec_bridge_vlan_tunnel_info_attrs", "IFLA_BRIDGE_VLAN_TUNNEL_???", {
    "IFLA_BRIDGE_VLAN_TUNNEL_ID": core.u32, "IFLA_BRIDGE_VLAN_TUNNEL_VID": core.u16,
    "IFLA_BRIDGE_VLAN_TUNNEL_FLAGS": core.nla_flags("nl_bridge_vlan_flags", "BRIDGE_VLAN_INFO_???", 2)})
# IFLA_BRIDGE_MRP, _CFM and _MST are printed as bytes, as strace 6.1 does (it has no decoder)
_BRIDGE_AF_SPEC = Attrs("rtnl_ifla_af_spec_bridge_attrs", "IFLA_BRIDGE_???", {
    "IFLA_BRIDGE_FLAGS": core.nla_flags("rtnl_ifla_bridge_flags", "BRIDGE_FLAGS_???", 2),
    "IFLA_BRIDGE_MODE": core.nla_xval("rtnl_ifla_bridge_modes", "BRIDGE_MODE_???", 2),
    "IFLA_BRIDGE_VLAN_INFO": _bridge_vlan_info,
    "IFLA_BRIDGE_VLAN_TUNNEL_INFO": core.nested(_BRIDGE_VLAN_TUNNEL)})


def _af_spec(ctx: Ctx, addr: int, n: int, hdr: Any) -> str | None:
    """IFLA_AF_SPEC: for an AF_BRIDGE message the bridge's own attributes (IFLA_BRIDGE_*,
    linux/if_bridge.h); otherwise attributes per address family (AF_INET's IFLA_INET_*,
    AF_INET6's IFLA_INET6_*, AF_MCTP's IFLA_MCTP_*), each typed by its family (strace
    decode_ifla_af_spec)."""
    if hdr is not None and hdr.get("family") == AF_BRIDGE:
        return core.nlattr_list(ctx, addr, n, _BRIDGE_AF_SPEC)

    def by_family(ctx: Ctx, a: int, ln: int, nla_type: Any) -> str | None:
        attrs = _AF_SPEC_FAMILIES.get(ctx.name("nl_addrfams", nla_type & core.NLA_TYPE_MASK) or "")
        return core.nlattr_list(ctx, a, ln, attrs) if attrs else None
    return core.nlattr_list(ctx, addr, n, Attrs("nl_addrfams", "AF_???", by_family))


_XDP = Attrs("rtnl_ifla_xdp_attrs", "IFLA_XDP_???", {
    "IFLA_XDP_FD": core.nla_fd, "IFLA_XDP_EXPECTED_FD": core.nla_fd,
    "IFLA_XDP_ATTACHED": core.nla_xval("rtnl_ifla_xdp_attached_mode", "XDP_ATTACHED_???", 1),
    "IFLA_XDP_FLAGS": lambda ctx, a, n, o: core._scalar(ctx, a, n, 4, lambda v: ctx.flags(
        v, "XDP_FLAGS_???", "xdp_flags")),
    "IFLA_XDP_PROG_ID": core.u32, "IFLA_XDP_DRV_PROG_ID": core.u32, "IFLA_XDP_SKB_PROG_ID": core.u32,
    "IFLA_XDP_HW_PROG_ID": core.u32,
})


def _vsi(ctx: Ctx, addr: int, n: int, opaque: Any) -> str | None:
    """struct ifla_port_vsi {vsi_mgr_id, vsi_type_id[3], vsi_type_version, pad[3]}."""
    if n < 8:
        return None
    data = ctx.read(addr, 8)
    if data is None:
        return ptr(addr)
    def hexed(raw: bytes) -> str:
        return '"' + "".join(f"\\x{c:02x}" for c in raw) + '"'
    text = f"{{vsi_mgr_id={data[0]}, vsi_type_id={hexed(data[1:4])}, vsi_type_version={data[4]}"
    if any(data[5:8]):
        text += f", pad={hexed(data[5:8])}"
    return text + "}"


_PORT = Attrs("rtnl_ifla_port_attrs", "IFLA_VF_PORT_???", {
    "IFLA_PORT_VF": core.u32, "IFLA_PORT_PROFILE": core.nla_str, "IFLA_PORT_VSI_TYPE": _vsi,
    "IFLA_PORT_REQUEST": core.u8, "IFLA_PORT_RESPONSE": core.u16})
_VF_PORTS = Attrs("rtnl_ifla_vf_port_attrs", "IFLA_VF_PORT_???", {"IFLA_VF_PORT": core.nested(_PORT)})


def _prop_list(ctx: Ctx, addr: int, n: int, opaque: Any) -> str | None:
    def alt_ifname(ctx: Ctx, a: int, ln: int, nla_type: Any) -> str | None:
        if ctx.name("rtnl_link_attrs", nla_type & core.NLA_TYPE_MASK) == "IFLA_ALT_IFNAME":
            return core.nla_str(ctx, a, ln, None)
        return None
    return core.nlattr_list(ctx, addr, n, Attrs("rtnl_link_attrs", "IFLA_???", alt_ifname))


def _vf(fields: tuple[Field, ...], size: int = 0) -> AttrDecoder:
    return core.struct_dec((Field("vf", "I", core.show_u), *fields), size)


def _mac(ctx: Ctx, v: Any) -> str:
    return core.mac_text(ctx, v)


def _vlan_proto(ctx: Ctx, v: int) -> str:
    proto = int.from_bytes(v.to_bytes(2, "little"), "big")
    return f"htons({ctx.xval(proto, 'ethernet_protocols', 'ETH_P_???')})"


def _vf_guid(ctx: Ctx, addr: int, n: int, opaque: Any) -> str | None:
    """struct ifla_vf_guid {vf, guid}: 12 bytes packed or 16 with guid 8-aligned."""
    if n not in (12, 16):
        return None
    data = ctx.read(addr, n)
    if data is None:
        return ptr(addr)
    vf, guid = struct.unpack_from("<I", data)[0], struct.unpack_from("<Q", data, n - 8)[0]
    return f"{{vf={vf}, guid={core.fmt.hexnum(guid)}}}"


_U = core.show_u
_VF_INFO = Attrs("rtnl_ifla_vf_info_attrs", "IFLA_VF_???", {
    "IFLA_VF_MAC": _vf((Field("mac", "32s", _mac),)),
    "IFLA_VF_VLAN": _vf((Field("vlan", "I", _U), Field("qos", "I", _U))),
    "IFLA_VF_TX_RATE": _vf((Field("rate", "I", _U),)),
    "IFLA_VF_SPOOFCHK": _vf((Field("setting", "I", _U),)),
    "IFLA_VF_LINK_STATE": _vf((Field("link_state", "I", core.show_xval("rtnl_ifla_vf_link_states",
                                                                        "IFLA_VF_LINK_STATE_???")),)),
    "IFLA_VF_RATE": _vf((Field("min_tx_rate", "I", _U), Field("max_tx_rate", "I", _U))),
    "IFLA_VF_RSS_QUERY_EN": _vf((Field("setting", "I", _U),)),
    "IFLA_VF_STATS": core.nested(Attrs("rtnl_ifla_vf_stats_attrs", "IFLA_VF_STATS_???", {
        name: core.u64 for name in (
            "IFLA_VF_STATS_RX_PACKETS", "IFLA_VF_STATS_TX_PACKETS", "IFLA_VF_STATS_RX_BYTES",
            "IFLA_VF_STATS_TX_BYTES", "IFLA_VF_STATS_BROADCAST", "IFLA_VF_STATS_MULTICAST",
            "IFLA_VF_STATS_RX_DROPPED", "IFLA_VF_STATS_TX_DROPPED")})),
    "IFLA_VF_TRUST": _vf((Field("setting", "I", _U),)),
    "IFLA_VF_IB_NODE_GUID": _vf_guid, "IFLA_VF_IB_PORT_GUID": _vf_guid,
    "IFLA_VF_VLAN_LIST": core.nested(Attrs("rtnl_ifla_vf_vlan_list_attrs", "IFLA_VF_VLAN_INFO_???", {
        "IFLA_VF_VLAN_INFO": _vf((Field("vlan", "I", _U), Field("qos", "I", _U),
                                  Field("vlan_proto", "H", _vlan_proto)), 16)})),
    "IFLA_VF_BROADCAST": core.struct_dec((Field("broadcast", "32s", _mac),)),
})
_VFINFO_LIST = Attrs("rtnl_ifla_vfinfo_list_attrs", "IFLA_VF_INFO_???", {"IFLA_VF_INFO": core.nested(_VF_INFO)})

def _boolopt(ctx: Ctx, addr: int, n: int, opaque: Any) -> str | None:
    """struct br_boolopt_multi {__u32 optval, optmask}: bits numbered by enum br_boolopt_id."""
    if n < 8:
        return None
    data = ctx.read(addr, 8)
    if data is None:
        return ptr(addr)
    rows = [(1 << v, f"1<<{name}") for v, name in ctx.rows("br_boolopt_ids")]
    val, mask = struct.unpack("<II", data)
    return (f"{{optval={ctx.flags(val, '1<<BR_BOOLOPT_???', rows)}, "
            f"optmask={ctx.flags(mask, '1<<BR_BOOLOPT_???', rows)}}}")


_MCAST_QUERIER = Attrs("rtnl_ifla_br_mcast_querier_attrs", "BRIDGE_QUERIER_???", {
    "BRIDGE_QUERIER_IP_ADDRESS": core.nla_in_addr, "BRIDGE_QUERIER_IP_PORT": core.nla_ifindex,
    "BRIDGE_QUERIER_IP_OTHER_TIMER": core.nla_clock_t, "BRIDGE_QUERIER_IPV6_ADDRESS": core.nla_in6_addr,
    "BRIDGE_QUERIER_IPV6_PORT": core.nla_ifindex, "BRIDGE_QUERIER_IPV6_OTHER_TIMER": core.nla_clock_t})
# a bridge's IFLA_INFO_DATA (strace ifla_info_data_bridge_nla_decoders); IFLA_BR_FDB_FLUSH has
# no payload of its own and IFLA_BR_PAD is padding: their bytes are printed
_BRIDGE_DATA = Attrs("rtnl_ifla_info_data_bridge_attrs", "IFLA_BR_???", {
    **{name: core.nla_clock_t for name in (
        "IFLA_BR_FORWARD_DELAY", "IFLA_BR_HELLO_TIME", "IFLA_BR_MAX_AGE", "IFLA_BR_AGEING_TIME",
        "IFLA_BR_HELLO_TIMER", "IFLA_BR_TCN_TIMER", "IFLA_BR_TOPOLOGY_CHANGE_TIMER", "IFLA_BR_GC_TIMER",
        "IFLA_BR_MCAST_LAST_MEMBER_INTVL", "IFLA_BR_MCAST_MEMBERSHIP_INTVL", "IFLA_BR_MCAST_QUERIER_INTVL",
        "IFLA_BR_MCAST_QUERY_INTVL", "IFLA_BR_MCAST_QUERY_RESPONSE_INTVL", "IFLA_BR_MCAST_STARTUP_QUERY_INTVL")},
    **{name: core.u32 for name in (
        "IFLA_BR_STP_STATE", "IFLA_BR_ROOT_PATH_COST", "IFLA_BR_MCAST_HASH_ELASTICITY", "IFLA_BR_MCAST_HASH_MAX",
        "IFLA_BR_MCAST_LAST_MEMBER_CNT", "IFLA_BR_MCAST_STARTUP_QUERY_CNT")},
    **{name: core.u16 for name in ("IFLA_BR_PRIORITY", "IFLA_BR_ROOT_PORT", "IFLA_BR_VLAN_DEFAULT_PVID")},
    **{name: core.u8 for name in (
        "IFLA_BR_VLAN_FILTERING", "IFLA_BR_TOPOLOGY_CHANGE", "IFLA_BR_TOPOLOGY_CHANGE_DETECTED",
        "IFLA_BR_MCAST_ROUTER", "IFLA_BR_MCAST_SNOOPING", "IFLA_BR_MCAST_QUERY_USE_IFADDR", "IFLA_BR_MCAST_QUERIER",
        "IFLA_BR_NF_CALL_IPTABLES", "IFLA_BR_NF_CALL_IP6TABLES", "IFLA_BR_NF_CALL_ARPTABLES",
        "IFLA_BR_VLAN_STATS_ENABLED", "IFLA_BR_MCAST_STATS_ENABLED", "IFLA_BR_MCAST_IGMP_VERSION",
        "IFLA_BR_MCAST_MLD_VERSION", "IFLA_BR_VLAN_STATS_PER_PORT")},
    "IFLA_BR_VLAN_PROTOCOL": core.nla_xval("ethernet_protocols", "ETH_P_???", 2, wrap="htons", be=True),
    "IFLA_BR_GROUP_FWD_MASK": core.x16, "IFLA_BR_ROOT_ID": _bridge_id, "IFLA_BR_BRIDGE_ID": _bridge_id,
    "IFLA_BR_GROUP_ADDR": core.hwaddr, "IFLA_BR_MULTI_BOOLOPT": _boolopt,
    "IFLA_BR_MCAST_QUERIER_STATE": core.nested(_MCAST_QUERIER),
})
_TUN_DATA = Attrs("rtnl_ifla_info_data_tun_attrs", "IFLA_TUN_???", {
    "IFLA_TUN_OWNER": core.nla_uid, "IFLA_TUN_GROUP": core.nla_uid,
    "IFLA_TUN_TYPE": core.nla_xval("tun_device_types", "IFF_???", 1),
    **{name: core.u8 for name in ("IFLA_TUN_PI", "IFLA_TUN_VNET_HDR", "IFLA_TUN_PERSIST", "IFLA_TUN_MULTI_QUEUE")},
    "IFLA_TUN_NUM_QUEUES": core.u32, "IFLA_TUN_NUM_DISABLED_QUEUES": core.u32,
})
# struct can_device_stats (linux/can/netlink.h): a CAN device's IFLA_INFO_XSTATS
_CAN_XSTATS = core.struct_dec(tuple(Field(f, "I", core.show_u) for f in (
    "bus_error", "error_warning", "error_passive", "bus_off", "arbitration_lost", "restarts")))
# kind -> its decoder (strace decode_nla_linkinfo_data, _xstats, _slave_data)
_BY_KIND: dict[str, dict[str, AttrDecoder]] = {
    "kind_data": {"bridge": core.nested(_BRIDGE_DATA), "tun": core.nested(_TUN_DATA)},
    "kind_xstats": {"can": _CAN_XSTATS},
    "slave_kind_data": {"bridge": core.nested(_BRPORT)},
}
# struct ifla_linkinfo_ctx's kind[64]: a longer kind is no kind
_KIND_MAX = 64


def _kind(key: str) -> AttrDecoder:
    """IFLA_INFO_KIND / IFLA_INFO_SLAVE_KIND: printed as a string, and kept for the attributes
    after it whose layout the kind decides (strace update_ctx_str)."""
    def dec(ctx: Ctx, addr: int, n: int, kinds: Any) -> str | None:
        raw = ctx.read(addr, n) if n < _KIND_MAX else None
        kinds[key] = raw.split(b"\0", 1)[0].decode("latin-1") if raw is not None else ""
        return ctx.nla_str(addr, n)
    return dec


def _by_kind(which: str, key: str) -> AttrDecoder:
    def dec(ctx: Ctx, addr: int, n: int, kinds: Any) -> str | None:
        one = _BY_KIND[which].get(kinds[key])
        return one(ctx, addr, n, kinds) if one is not None else None
    return dec


_LINKINFO = Attrs("rtnl_ifla_info_attrs", "IFLA_INFO_???", {
    "IFLA_INFO_KIND": _kind("kind"), "IFLA_INFO_SLAVE_KIND": _kind("slave_kind"),
    "IFLA_INFO_DATA": _by_kind("kind_data", "kind"), "IFLA_INFO_XSTATS": _by_kind("kind_xstats", "kind"),
    "IFLA_INFO_SLAVE_DATA": _by_kind("slave_kind_data", "slave_kind")})


def _linkinfo(ctx: Ctx, addr: int, n: int, opaque: Any) -> str | None:
    """IFLA_LINKINFO: its list decoded with the kinds seen so far (decode_ifla_linkinfo)."""
    return core.nlattr_list(ctx, addr, n, _LINKINFO, {"kind": "", "slave_kind": ""})

IFLA_DECODERS: dict[str, AttrDecoder] = {
    **{name: core.u32 for name in (
        "IFLA_MTU", "IFLA_LINK", "IFLA_MASTER", "IFLA_TXQLEN", "IFLA_WEIGHT", "IFLA_NET_NS_PID", "IFLA_NUM_VF",
        "IFLA_GROUP", "IFLA_PROMISCUITY", "IFLA_NUM_TX_QUEUES", "IFLA_NUM_RX_QUEUES", "IFLA_CARRIER_CHANGES",
        "IFLA_GSO_MAX_SEGS", "IFLA_GSO_MAX_SIZE", "IFLA_CARRIER_UP_COUNT", "IFLA_CARRIER_DOWN_COUNT",
        "IFLA_MIN_MTU", "IFLA_MAX_MTU", "IFLA_GRO_MAX_SIZE", "IFLA_TSO_MAX_SIZE", "IFLA_TSO_MAX_SEGS",
        "IFLA_ALLMULTI")},
    **{name: core.nla_str for name in (
        "IFLA_IFNAME", "IFLA_QDISC", "IFLA_IFALIAS", "IFLA_PHYS_PORT_NAME", "IFLA_ALT_IFNAME",
        "IFLA_PARENT_DEV_NAME", "IFLA_PARENT_DEV_BUS_NAME")},
    **{name: core.u8 for name in ("IFLA_OPERSTATE", "IFLA_LINKMODE", "IFLA_CARRIER", "IFLA_PROTO_DOWN")},
    **{name: core.s32 for name in ("IFLA_LINK_NETNSID", "IFLA_NEW_NETNSID", "IFLA_IF_NETNSID")},
    **{name: core.hwaddr for name in ("IFLA_ADDRESS", "IFLA_BROADCAST", "IFLA_PERM_ADDRESS")},
    "IFLA_STATS": _stats("I", ("rx_nohandler",)),
    "IFLA_STATS64": _stats("Q", ("rx_nohandler", "rx_otherhost_dropped")),
    "IFLA_PROTINFO": _protinfo, "IFLA_MAP": _IFMAP, "IFLA_VF_PORTS": core.nested(_VF_PORTS),
    "IFLA_PORT_SELF": core.nested(_PORT), "IFLA_AF_SPEC": _af_spec, "IFLA_NET_NS_FD": core.nla_fd,
    "IFLA_EXT_MASK": core.nla_flags("rtnl_ifla_ext_filter_flags", "RTEXT_FILTER_???", 4),
    "IFLA_XDP": core.nested(_XDP), "IFLA_NEW_IFINDEX": core.nla_ifindex,
    "IFLA_EVENT": lambda ctx, a, n, o: core._scalar(ctx, a, n, 4, lambda v: ctx.xval(
        v, "rtnl_ifla_events", "IFLA_EVENT_???")),
    "IFLA_PROP_LIST": _prop_list, "IFLA_LINKINFO": _linkinfo,
    "IFLA_VFINFO_LIST": core.nested(_VFINFO_LIST),
    "IFLA_PROTO_DOWN_REASON": core.nested(Attrs("rtnl_ifla_proto_down_reason_attrs", "IFLA_PROTO_DOWN_REASON_???", {
        "IFLA_PROTO_DOWN_REASON_MASK": core.x32, "IFLA_PROTO_DOWN_REASON_VALUE": core.x32})),
}
IFLA = Attrs("rtnl_link_attrs", "IFLA_???", IFLA_DECODERS)
