"""NETLINK_ROUTE (rtnetlink(7)): each message type's family header struct, then its attributes.

A header is data: the name of its family field, the fields after it (struct module codes and
how each prints), the attribute list that follows it.  Headers strace prints whole once the
message holds all of them (``{ifi_family=AF_UNIX, ...}`` when it is cut short); the few that are
a family byte and padding print the family alone (strace src/rtnl_*.c).
"""

from __future__ import annotations

import socket
from typing import Any

from syscope.decode.fmt import ptr
from syscope.decode.netlink import route_attrs as ra
from syscope.decode.netlink.core import Ctx, Field, Header, header_text
from syscope.decode.netlink.core import show_flags as _flags
from syscope.decode.netlink.core import show_ifindex as _ifindex
from syscope.decode.netlink.core import show_u as _u
from syscope.decode.netlink.core import show_x as _x
from syscope.decode.netlink.core import show_xval as _xval

RTM_BASE = 16
RTM_DELACTION = 49  # linux/rtnetlink.h: its NLM_F_ROOT is a get flag although it deletes


_IFINFOMSG = Header("ifi_family", (
    Field("pad", "B", None), Field("ifi_type", "H", _xval("arp_hardware_types", "ARPHRD_???")),
    Field("ifi_index", "i", _ifindex), Field("ifi_flags", "I", _flags("iffflags", "IFF_???")),
    Field("ifi_change", "I", _x)), ra.IFLA)
_IFADDRMSG = Header("ifa_family", (
    Field("ifa_prefixlen", "B", _u), Field("ifa_flags", "B", _flags("ifaddrflags", "IFA_F_???")),
    Field("ifa_scope", "B", _xval("routing_scopes", None)), Field("ifa_index", "I", _ifindex)), ra.IFA)
_RTMSG = Header("rtm_family", (
    Field("rtm_dst_len", "B", _u), Field("rtm_src_len", "B", _u),
    Field("rtm_tos", "B", _flags("ip_type_of_services", "IPTOS_TOS_???")),
    Field("rtm_table", "B", _xval("routing_table_ids", None)),
    Field("rtm_protocol", "B", _xval("routing_protocols", "RTPROT_???")),
    Field("rtm_scope", "B", _xval("routing_scopes", None)),
    Field("rtm_type", "B", _xval("routing_types", "RTN_???")),
    Field("rtm_flags", "I", _flags("routing_flags", "RTM_F_???"))), ra.RTA)
_NDMSG = Header("ndm_family", (
    Field("pad1", "B", None), Field("pad2", "H", None), Field("ndm_ifindex", "i", _ifindex),
    Field("ndm_state", "H", _flags("neighbor_cache_entry_states", "NUD_???")),
    Field("ndm_flags", "B", _flags("neighbor_cache_entry_flags", "NTF_???")),
    Field("ndm_type", "B", _xval("routing_types", "RTN_???"))), ra.NDA)
_FIB_RULE_HDR = Header("family", (
    Field("dst_len", "B", _u), Field("src_len", "B", _u),
    Field("tos", "B", _flags("ip_type_of_services", "IPTOS_TOS_???")),
    Field("table", "B", _xval("routing_table_ids", "RT_TABLE_???")),
    Field("res1", "B", None), Field("res2", "B", None),
    Field("action", "B", _xval("fib_rule_actions", "FR_ACT_???")),
    Field("flags", "I", _flags("fib_rule_flags", "FIB_RULE_???"))), ra.FRA)
_TCMSG = Header("tcm_family", (
    Field("pad1", "B", None), Field("pad2", "H", None), Field("tcm_ifindex", "i", _ifindex),
    Field("tcm_handle", "I", _u), Field("tcm_parent", "I", _u), Field("tcm_info", "I", _u)), ra.TCA)
_TCAMSG = Header("tca_family", (), ra.TCA_ACT, family_only=4)
_NDTMSG = Header("ndtm_family", (), ra.NDTA, family_only=4)
_IFADDRLBLMSG = Header("ifal_family", (
    Field("reserved", "B", None), Field("ifal_prefixlen", "B", _u), Field("ifal_flags", "B", _u),
    Field("ifal_index", "I", _ifindex), Field("ifal_seq", "I", _u)), ra.IFAL)
_DCBMSG = Header("dcb_family", (
    Field("cmd", "B", _xval("dcb_commands", "DCB_CMD_???")), Field("dcb_pad", "H", None)), ra.DCB)
_NETCONFMSG = Header("ncm_family", (), ra.NETCONFA, family_only=1)
_BR_PORT_MSG = Header("family", (
    Field("pad1", "B", None), Field("pad2", "H", None), Field("ifindex", "I", _ifindex)), ra.MDBA)
_RTGENMSG_NSID = Header("rtgen_family", (), ra.NETNSA, family_only=1)
_IF_STATS_MSG = Header("family", (
    Field("pad1", "B", _x, only_set=True), Field("pad2", "H", _x, only_set=True),
    Field("ifindex", "I", _ifindex), Field("filter_mask", "I", ra.show_stats_mask)), ra.IFLA_STATS)
_NHMSG = Header("nh_family", (
    Field("nh_scope", "B", _xval("routing_scopes", None)),
    Field("nh_protocol", "B", _xval("routing_protocols", "RTPROT_???")),
    Field("resvd", "B", _x, only_set=True),
    Field("nh_flags", "I", _flags("route_nexthop_flags", "RTNH_F_???"))), ra.NHA)

# message type name -> header (strace netlink_route.c route_decoders)
_BY_TYPE: dict[str, Header] = {}
for _kinds, _hdr in (
        (("LINK",), _IFINFOMSG), (("ADDR", "MULTICAST", "ANYCAST"), _IFADDRMSG), (("ROUTE",), _RTMSG),
        (("NEIGH",), _NDMSG), (("RULE",), _FIB_RULE_HDR), (("QDISC", "TCLASS", "TFILTER", "CHAIN"), _TCMSG),
        (("ACTION",), _TCAMSG), (("NEIGHTBL",), _NDTMSG), (("ADDRLABEL",), _IFADDRLBLMSG), (("DCB",), _DCBMSG),
        (("NETCONF",), _NETCONFMSG), (("MDB",), _BR_PORT_MSG), (("NSID",), _RTGENMSG_NSID),
        (("STATS",), _IF_STATS_MSG), (("NEXTHOP",), _NHMSG)):
    for _k in _kinds:
        for _verb in ("NEW", "DEL", "GET", "SET"):
            _BY_TYPE[f"RTM_{_verb}{_k}"] = _hdr


def payload(ctx: Ctx, h: Any, addr: int, n: int) -> str | None:
    """decode_netlink_route: the family byte every rtnetlink header starts with, then the header
    of the message type (``{family=AF_INET, data="..."}`` for types without one)."""
    if h.type == 3:  # NLMSG_DONE: its int, printed by the caller
        return None
    data = ctx.read(addr, 1)
    if data is None:
        return ptr(addr)
    family = data[0]
    name = ctx.name("nl_route_types", h.type) or ""
    if name == "RTM_NEWCACHEREPORT":
        return ra.cachereport(ctx, family, addr, n)
    hd = _BY_TYPE.get(name)
    if name == "RTM_GETNEIGH" and family == socket.AF_BRIDGE:
        hd = _IFINFOMSG
    if hd is None:
        text = f"{{family={ctx.xval(family, 'nl_addrfams', 'AF_???')}"
        if n > 1:
            text += f", data={ctx.hexstr(addr + 1, n - 1)}"
        return text + "}"
    return header_text(ctx, hd, family, addr, n)
