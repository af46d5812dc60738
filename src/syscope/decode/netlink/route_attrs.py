"""rtnetlink attribute lists: for each family header, its attribute types' table, strace's
default name for an unknown type, and how each type's data prints (strace src/rtnl_*.c)."""

from __future__ import annotations

from typing import Any

from syscope.decode.netlink import core
from syscope.decode.netlink.core import Attrs, Ctx


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
IFLA = Attrs("rtnl_link_attrs", "IFLA_???", {})
RTA = Attrs("rtnl_route_attrs", "RTA_???", {})
NDA = Attrs("rtnl_neigh_attrs", "NDA_???", {})
FRA = Attrs("rtnl_rule_attrs", "FRA_???", {})
# struct tc_stats up to its backlog (linux/pkt_sched.h), struct tc_estimator
_TC_STATS = (("bytes", "Q"), ("packets", "I"), ("drops", "I"), ("overlimits", "I"), ("bps", "I"), ("pps", "I"),
             ("qlen", "I"), ("backlog", "I"))
TCA = Attrs("rtnl_tc_attrs", "TCA_???", {
    "TCA_KIND": core.nla_str,
    "TCA_STATS": lambda ctx, a, n, o: core.struct_of(ctx, a, n, _TC_STATS),
    "TCA_RATE": lambda ctx, a, n, o: core.struct_of(ctx, a, n, (("interval", "b"), ("ewma_log", "B"))),
    "TCA_FCNT": core.u32, "TCA_CHAIN": core.u32, "TCA_HW_OFFLOAD": core.u8, "TCA_INGRESS_BLOCK": core.u32,
    "TCA_EGRESS_BLOCK": core.u32, "TCA_DUMP_FLAGS": core.u32,
})
TCA_ROOT = Attrs("rtnl_tc_action_attrs", "TCA_ROOT_???", {})
NDTA = Attrs("rtnl_neightbl_attrs", "NDTA_???", {})
IFAL = Attrs("rtnl_addrlabel_attrs", "IFAL_???", {})
DCB = Attrs("rtnl_dcb_attrs", "DCB_ATTR_???", None)
NETCONFA = Attrs("rtnl_netconf_attrs", "NETCONFA_???", {})
MDBA = Attrs("rtnl_mdb_attrs", "MDBA_???", {})
NETNSA = Attrs("rtnl_nsid_attrs", "NETNSA_???", {})
IFLA_STATS = Attrs("ifstats_attrs", "IFLA_STATS_???", {})
NHA = Attrs("rtnl_nexthop_attrs", "NHA_???", {})


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
    "RTNL_FAMILY_IPMR": Attrs("rtnl_ipmra_creport_attr", "IPMRA_CREPORT_???", {}),
    "RTNL_FAMILY_IP6MR": Attrs("rtnl_ip6mra_creport_attr", "IP6MRA_CREPORT_???", {}),
}
