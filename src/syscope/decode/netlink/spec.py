"""The netlink constant tables, declared as (kind, headers, names) for tools/gen_decode.py.

Each table's rows come from the UAPI headers (tools/uapi.py, run by tools/gen_decode.py): a regular expression
that the names match, or ``enum:MEMBER`` for every member of the enum that declares MEMBER (the
attribute types of one family: IFLA_*, not the IFLA_INFO_* of the next enum).  Names that are
bounds (``__IFLA_MAX``, ``IFLA_MAX``) are never rows.  The names strace prints an unknown value
by (``RTM_???``) are the decoders' own, next to the tables they use (strace's dflt arguments).
"""

from __future__ import annotations

_NL = ("linux/netlink.h",)
_RT = ("linux/rtnetlink.h",)
_NF = "linux/netfilter/"

# table -> (kind "enum" | "flags", headers, pattern, names left out)
SCANNED: dict[str, tuple[str, tuple[str, ...], str, tuple[str, ...]]] = {
    # netlink(7): the message header
    "nl_protocols": ("enum", _NL, r"NETLINK_(ROUTE|UNUSED|USERSOCK|FIREWALL|SOCK_DIAG|NFLOG|XFRM|SELINUX|ISCSI|AUDIT"
                     r"|FIB_LOOKUP|CONNECTOR|NETFILTER|IP6_FW|DNRTMSG|KOBJECT_UEVENT|GENERIC|SCSITRANSPORT"
                     r"|ECRYPTFS|RDMA|CRYPTO|SMC)", ()),
    "nl_types": ("enum", _NL, r"NLMSG_(NOOP|ERROR|DONE|OVERRUN)", ()),
    "nl_flags": ("flags", _NL, r"NLM_F_(REQUEST|MULTI|ACK|ECHO|DUMP_INTR|DUMP_FILTERED)", ()),
    "nl_get_flags": ("flags", _NL, r"NLM_F_(DUMP|ROOT|MATCH|ATOMIC)", ()),
    "nl_new_flags": ("flags", _NL, r"NLM_F_(REPLACE|EXCL|CREATE|APPEND)", ()),
    "nl_delete_flags": ("flags", _NL, r"NLM_F_(NONREC|BULK)", ()),
    "nl_ack_flags": ("flags", _NL, r"NLM_F_(CAPPED|ACK_TLVS)", ()),
    "nlmsgerr_attrs": ("enum", _NL, "enum:NLMSGERR_ATTR_UNUSED", ()),
    "nla_flags": ("flags", _NL, r"NLA_F_(NESTED|NET_BYTEORDER)", ()),
    # the message types of each protocol
    # RTM_SETSTATS and RTM_*TUNNEL (Linux 6.3+) are after strace 6.1, whose tests expect them unnamed
    "nl_route_types": ("enum", _RT, r"RTM_(NEW|DEL|GET|SET)[A-Z]+",
                       ("RTM_SETSTATS", "RTM_NEWTUNNEL", "RTM_DELTUNNEL", "RTM_GETTUNNEL")),
    # audit message types are the AUDIT_* macros numbered 1000-2999 (linux/audit.h), see VALUE_RANGE
    "nl_audit_types": ("enum", ("linux/audit.h",), r"AUDIT_\w+", ()),
    "nl_selinux_types": ("enum", ("linux/selinux_netlink.h",), "enum:SELNL_MSG_SETENFORCE", ("SELNL_MSG_BASE",)),
    "nl_sock_diag_types": ("enum", ("linux/inet_diag.h", "linux/sock_diag.h"),
                           r"TCPDIAG_GETSOCK|DCCPDIAG_GETSOCK|SOCK_DIAG_BY_FAMILY|SOCK_DESTROY", ()),
    "nl_xfrm_types": ("enum", ("linux/xfrm.h",), "enum:XFRM_MSG_NEWSA", ("XFRM_MSG_BASE",)),
    "nl_netfilter_subsys_ids": ("enum", (_NF + "nfnetlink.h",), r"NFNL_SUBSYS_\w+", ("NFNL_SUBSYS_COUNT",)),
    "nl_netfilter_msg_types": ("enum", (_NF + "nfnetlink.h",), r"NFNL_MSG_BATCH_(BEGIN|END)", ()),
    "nf_ctnetlink_msg_types": ("enum", (_NF + "nfnetlink_conntrack.h",), "enum:IPCTNL_MSG_CT_NEW", ()),
    "nf_ctnetlink_exp_msg_types": ("enum", (_NF + "nfnetlink_conntrack.h",), "enum:IPCTNL_MSG_EXP_NEW", ()),
    "nf_queue_msg_types": ("enum", (_NF + "nfnetlink_queue.h",), "enum:NFQNL_MSG_PACKET", ()),
    "nf_ulog_msg_types": ("enum", (_NF + "nfnetlink_log.h",), "enum:NFULNL_MSG_PACKET", ()),
    "nf_osf_msg_types": ("enum", (_NF + "nfnetlink_osf.h",), "enum:OSF_MSG_ADD", ()),
    "nf_ipset_msg_types": ("enum", (_NF + "ipset/ip_set.h",), r"IPSET_CMD_(?!MAX)\w+", ()),
    "nf_acct_msg_types": ("enum", (_NF + "nfnetlink_acct.h",), "enum:NFNL_MSG_ACCT_NEW", ()),
    "nf_cttimeout_msg_types": ("enum", (_NF + "nfnetlink_cttimeout.h",), "enum:IPCTNL_MSG_TIMEOUT_NEW", ()),
    "nf_cthelper_msg_types": ("enum", (_NF + "nfnetlink_cthelper.h",), "enum:NFNL_MSG_CTHELPER_NEW", ()),
    "nf_nftables_msg_types": ("enum", (_NF + "nf_tables.h",), "enum:NFT_MSG_NEWTABLE", ()),
    "nf_nft_compat_msg_types": ("enum", (_NF + "nf_tables_compat.h",), "enum:NFNL_MSG_COMPAT_GET", ()),
    "nf_hook_msg_types": ("enum", (_NF + "nfnetlink_hook.h",), "enum:NFNL_MSG_HOOK_GET", ()),
    "nfnetlink_versions": ("enum", (_NF + "nfnetlink.h",), r"NFNETLINK_V0", ()),
    # socket address families (glibc's bits/socket.h: the kernel's are not UAPI); the aliases
    # AF_LOCAL/AF_FILE/AF_ROUTE are not how strace names 1 and 16
    "nl_addrfams": ("enum", ("bits/socket.h",), r"AF_\w+", ("AF_LOCAL", "AF_FILE", "AF_ROUTE")),
    # rtnetlink(7) message headers
    "arp_hardware_types": ("enum", ("linux/if_arp.h",), r"ARPHRD_\w+", ()),
    "iffflags": ("flags", ("linux/if.h",), r"IFF_\w+", ("IFF_VOLATILE",)),
    "ifaddrflags": ("flags", ("linux/if_addr.h",), r"IFA_F_\w+", ()),
    "routing_scopes": ("enum", _RT, r"RT_SCOPE_\w+", ()),
    "routing_types": ("enum", _RT, r"RTN_\w+", ()),
    "routing_protocols": ("enum", _RT, r"RTPROT_\w+", ()),
    "routing_table_ids": ("enum", _RT, r"RT_TABLE_\w+", ()),
    "routing_flags": ("flags", _RT, r"RTM_F_\w+", ()),
    "route_nexthop_flags": ("flags", _RT, r"RTNH_F_\w+", ()),
    "rtnl_family": ("enum", _RT, r"RTNL_FAMILY_\w+", ()),
    "ip_type_of_services": ("flags", ("linux/ip.h",), r"IPTOS_(LOWDELAY|THROUGHPUT|RELIABILITY|MINCOST)", ()),
    "neighbor_cache_entry_states": ("flags", ("linux/neighbour.h",), r"NUD_\w+", ()),
    "neighbor_cache_entry_flags": ("flags", ("linux/neighbour.h",), r"NTF_\w+", ("NTF_EXT_MANAGED", "NTF_EXT_LOCKED")),
    "fib_rule_actions": ("enum", ("linux/fib_rules.h",), r"FR_ACT_\w+", ()),
    "fib_rule_flags": ("flags", ("linux/fib_rules.h",), r"FIB_RULE_\w+", ()),
    "dcb_commands": ("enum", ("linux/dcbnl.h",), "enum:DCB_CMD_UNDEFINED", ()),
    # rtnetlink attribute types, one table per family header
    "rtnl_link_attrs": ("enum", ("linux/if_link.h",), "enum:IFLA_UNSPEC", ()),
    "rtnl_addr_attrs": ("enum", ("linux/if_addr.h",), "enum:IFA_UNSPEC", ()),
    "rtnl_route_attrs": ("enum", _RT, "enum:RTA_UNSPEC", ()),
    "rtnl_neigh_attrs": ("enum", ("linux/neighbour.h",), "enum:NDA_UNSPEC", ()),
    "rtnl_rule_attrs": ("enum", ("linux/fib_rules.h",), "enum:FRA_UNSPEC", ()),
    "rtnl_tc_attrs": ("enum", _RT, "enum:TCA_UNSPEC", ()),
    "rtnl_tc_action_attrs": ("enum", ("linux/pkt_cls.h",), "enum:TCA_ACT_UNSPEC", ()),
    "rtnl_tca_act_flags": ("flags", ("linux/pkt_cls.h",), r"TCA_ACT_FLAGS_\w+", ()),
    "rtnl_tca_act_hw_stats": ("flags", ("linux/pkt_cls.h",), r"TCA_ACT_HW_STATS_(IMMEDIATE|DELAYED)", ()),
    "rtnl_tca_stats_attrs": ("enum", ("linux/gen_stats.h",), "enum:TCA_STATS_UNSPEC", ()),
    "rtnl_tca_stab_attrs": ("enum", ("linux/pkt_sched.h",), "enum:TCA_STAB_UNSPEC", ()),
    "rtnl_neightbl_attrs": ("enum", ("linux/neighbour.h",), "enum:NDTA_UNSPEC", ()),
    "rtnl_neightbl_parms_attrs": ("enum", ("linux/neighbour.h",), "enum:NDTPA_UNSPEC", ()),
    "rtnl_addrlabel_attrs": ("enum", ("linux/if_addrlabel.h",), "enum:IFAL_ADDRESS", ()),
    "rtnl_dcb_attrs": ("enum", ("linux/dcbnl.h",), "enum:DCB_ATTR_UNDEFINED", ()),
    "rtnl_netconf_attrs": ("enum", ("linux/netconf.h",), "enum:NETCONFA_UNSPEC", ()),
    "rtnl_mdb_attrs": ("enum", ("linux/if_bridge.h",), "enum:MDBA_UNSPEC", ()),
    "rtnl_nsid_attrs": ("enum", ("linux/net_namespace.h",), "enum:NETNSA_NONE", ()),
    "rtnl_nexthop_attrs": ("enum", ("linux/nexthop.h",), "enum:NHA_UNSPEC", ()),
    "rtnl_nexthop_grp_types": ("enum", ("linux/nexthop.h",), "enum:NEXTHOP_GRP_TYPE_MPATH", ()),
    # attribute 0 of these is the padding one (NHA_RES_GROUP_PAD = NHA_RES_GROUP_UNSPEC)
    "rtnl_nha_res_group_attrs": ("enum", ("linux/nexthop.h",), "enum:NHA_RES_GROUP_PAD", ("NHA_RES_GROUP_UNSPEC",)),
    "rtnl_nha_res_bucket_attrs": ("enum", ("linux/nexthop.h",), "enum:NHA_RES_BUCKET_PAD",
                                  ("NHA_RES_BUCKET_UNSPEC",)),
    # IOAM6 and XFRM (Linux 5.15, 6.2) are after strace 6.1's table
    "lwtunnel_encap_types": ("enum", ("linux/lwtunnel.h",), "enum:LWTUNNEL_ENCAP_NONE",
                             ("LWTUNNEL_ENCAP_IOAM6", "LWTUNNEL_ENCAP_XFRM")),
    "rtnl_rta_metrics_attrs": ("enum", _RT, "enum:RTAX_UNSPEC", ()),
    "rtnl_neigh_fdb_ext_attrs": ("enum", ("linux/neighbour.h",), "enum:NFEA_UNSPEC", ()),
    "fdb_notify_flags": ("flags", ("linux/neighbour.h",), r"FDB_NOTIFY_\w+", ()),
    # NTF_EXT_LOCKED (Linux 6.1) is after strace 6.1's table; NTF_EXT_LEARNED is an ndm_flags bit
    "neighbor_cache_entry_ext_flags": ("flags", ("linux/neighbour.h",), r"NTF_EXT_(MANAGED|LOCKED)",
                                       ("NTF_EXT_LOCKED",)),
    "rtnl_mdba_mdb_attrs": ("enum", ("linux/if_bridge.h",), "enum:MDBA_MDB_UNSPEC", ()),
    "rtnl_mdba_mdb_entry_attrs": ("enum", ("linux/if_bridge.h",), "enum:MDBA_MDB_ENTRY_UNSPEC", ()),
    "rtnl_mdba_mdb_eattr_attrs": ("enum", ("linux/if_bridge.h",), "enum:MDBA_MDB_EATTR_UNSPEC", ()),
    "rtnl_mdba_router_attrs": ("enum", ("linux/if_bridge.h",), "enum:MDBA_ROUTER_UNSPEC", ()),
    # MDBA_ROUTER_PATTR_VID (Linux 5.13) is after strace 6.1's table
    "rtnl_mdba_router_pattr_attrs": ("enum", ("linux/if_bridge.h",), "enum:MDBA_ROUTER_PATTR_UNSPEC",
                                     ("MDBA_ROUTER_PATTR_VID",)),
    "mdb_states": ("enum", ("linux/if_bridge.h",), r"MDB_(TEMPORARY|PERMANENT)", ()),
    "mdb_flags": ("flags", ("linux/if_bridge.h",), r"MDB_FLAGS_\w+", ()),
    "multicast_router_types": ("enum", ("linux/if_bridge.h",), "enum:MDB_RTR_TYPE_DISABLED", ()),
    "rtnl_ifla_brport_attrs": ("enum", ("linux/if_link.h",), "enum:IFLA_BRPORT_UNSPEC", ()),
    "rtnl_ifla_af_spec_inet6_attrs": ("enum", ("linux/if_link.h",), "enum:IFLA_INET6_UNSPEC", ()),
    "rtnl_ifla_af_spec_inet_attrs": ("enum", ("linux/if_link.h",), "enum:IFLA_INET_UNSPEC", ()),
    "in6_addr_gen_mode": ("enum", ("linux/if_link.h",), "enum:IN6_ADDR_GEN_MODE_EUI64", ()),
    "inet6_devconf_indices": ("enum", ("linux/ipv6.h",), "enum:DEVCONF_FORWARDING", ()),
    "inet_devconf_indices": ("enum", ("linux/ip.h",), "enum:IPV4_DEVCONF_FORWARDING", ()),
    "snmp_ip_stats": ("enum", ("linux/snmp.h",), "enum:IPSTATS_MIB_NUM", ()),
    # ICMP6_MIB_RATELIMITHOST (Linux 6.3) is after strace 6.1's table
    "snmp_icmp6_stats": ("enum", ("linux/snmp.h",), "enum:ICMP6_MIB_NUM", ("ICMP6_MIB_RATELIMITHOST",)),
    # IFLA_AF_SPEC of an AF_BRIDGE message (linux/if_bridge.h) and AF_MCTP's (linux/if_link.h)
    "rtnl_ifla_af_spec_bridge_attrs": ("enum", ("linux/if_bridge.h",), "enum:IFLA_BRIDGE_FLAGS", ()),
    "rtnl_ifla_bridge_flags": ("flags", ("linux/if_bridge.h",), r"BRIDGE_FLAGS_(MASTER|SELF)", ()),
    "rtnl_ifla_bridge_modes": ("enum", ("linux/if_bridge.h",), r"BRIDGE_MODE_(VEB|VEPA|UNDEF)", ()),
    "rtnl_ifla_af_spec_bridge_vlan_tunnel_info_attrs": ("enum", ("linux/if_bridge.h",),
                                                        "enum:IFLA_BRIDGE_VLAN_TUNNEL_UNSPEC", ()),
    "rtnl_ifla_af_spec_mctp_attrs": ("enum", ("linux/if_link.h",), "enum:IFLA_MCTP_UNSPEC", ()),
    # IFLA_INFO_DATA by link kind: a bridge's IFLA_BR_* (and its boolean options and querier
    # state, linux/if_bridge.h), a tun device's IFLA_TUN_*
    "rtnl_ifla_info_data_bridge_attrs": ("enum", ("linux/if_link.h",), "enum:IFLA_BR_UNSPEC", ()),
    "br_boolopt_ids": ("enum", ("linux/if_bridge.h",), "enum:BR_BOOLOPT_NO_LL_LEARN", ("BR_BOOLOPT_MAX",)),
    "rtnl_ifla_br_mcast_querier_attrs": ("enum", ("linux/if_bridge.h",), "enum:BRIDGE_QUERIER_UNSPEC", ()),
    "rtnl_ifla_info_data_tun_attrs": ("enum", ("linux/if_link.h",), "enum:IFLA_TUN_UNSPEC", ()),
    "tun_device_types": ("enum", ("linux/if_tun.h",), r"IFF_(TUN|TAP)", ()),
    "rtnl_ifla_xdp_attrs": ("enum", ("linux/if_link.h",), "enum:IFLA_XDP_UNSPEC", ()),
    "rtnl_ifla_xdp_attached_mode": ("enum", ("linux/if_link.h",), "enum:XDP_ATTACHED_NONE", ()),
    "xdp_flags": ("flags", ("linux/if_link.h",), r"XDP_FLAGS_\w+", ("XDP_FLAGS_MODES", "XDP_FLAGS_MASK")),
    "rtnl_ifla_events": ("enum", ("linux/if_link.h",), "enum:IFLA_EVENT_NONE", ()),
    # RTEXT_FILTER_MST (Linux 6.0) is after strace 6.1's table
    "rtnl_ifla_ext_filter_flags": ("flags", _RT, r"RTEXT_FILTER_\w+", ("RTEXT_FILTER_MST",)),
    "rtnl_ifla_proto_down_reason_attrs": ("enum", ("linux/if_link.h",), "enum:IFLA_PROTO_DOWN_REASON_UNSPEC", ()),
    "rtnl_ifla_info_attrs": ("enum", ("linux/if_link.h",), "enum:IFLA_INFO_UNSPEC", ()),
    "rtnl_ifla_vfinfo_list_attrs": ("enum", ("linux/if_link.h",), "enum:IFLA_VF_INFO_UNSPEC", ()),
    "rtnl_ifla_vf_info_attrs": ("enum", ("linux/if_link.h",), "enum:IFLA_VF_UNSPEC", ()),
    "rtnl_ifla_vf_stats_attrs": ("enum", ("linux/if_link.h",), "enum:IFLA_VF_STATS_RX_PACKETS", ()),
    "rtnl_ifla_vf_vlan_list_attrs": ("enum", ("linux/if_link.h",), "enum:IFLA_VF_VLAN_INFO_UNSPEC", ()),
    "rtnl_ifla_vf_link_states": ("enum", ("linux/if_link.h",), "enum:IFLA_VF_LINK_STATE_AUTO", ()),
    "rtnl_ifla_port_attrs": ("enum", ("linux/if_link.h",), "enum:IFLA_PORT_UNSPEC", ()),
    "rtnl_ifla_vf_port_attrs": ("enum", ("linux/if_link.h",), "enum:IFLA_VF_PORT_UNSPEC", ()),
    "ifstats_xstats_type_attrs": ("enum", ("linux/if_link.h",), "enum:LINK_XSTATS_TYPE_UNSPEC", ()),
    "ifstats_xstats_bridge_attrs": ("enum", ("linux/if_bridge.h",), "enum:BRIDGE_XSTATS_UNSPEC", ()),
    "ifstats_xstats_bond_attrs": ("enum", ("linux/if_bonding.h", "linux/if_link.h"), "enum:BOND_XSTATS_UNSPEC", ()),
    "ifstats_xstats_bond_3ad_attrs": ("enum", ("linux/if_bonding.h", "linux/if_link.h"),
                                      "enum:BOND_3AD_STAT_LACPDU_RX", ()),
    # the hardware stats attributes (Linux 5.18) are after strace 6.1's table
    "ifstats_offload_attrs": ("enum", ("linux/if_link.h",), "enum:IFLA_OFFLOAD_XSTATS_UNSPEC",
                              ("IFLA_OFFLOAD_XSTATS_HW_S_INFO", "IFLA_OFFLOAD_XSTATS_L3_STATS")),
    "ifstats_af_spec_mpls_attrs": ("enum", ("linux/mpls.h",), "enum:MPLS_STATS_UNSPEC", ()),
    "ifstats_xstats_bridge_mcast_indices": ("enum", ("linux/if_bridge.h",), "enum:BR_MCAST_DIR_RX",
                                            ("BR_MCAST_DIR_SIZE",)),
    "nl_bridge_vlan_flags": ("flags", ("linux/if_bridge.h",), r"BRIDGE_VLAN_INFO_\w+", ()),
    "ifstats_attrs": ("enum", ("linux/if_link.h",), "enum:IFLA_STATS_UNSPEC", ()),
    "rtnl_ipmra_creport_attr": ("enum", ("linux/mroute.h",), "enum:IPMRA_CREPORT_UNSPEC", ()),
    "rtnl_ip6mra_creport_attr": ("enum", ("linux/mroute6.h",), "enum:IP6MRA_CREPORT_UNSPEC", ()),
    "rtnl_ipmra_msg_types": ("enum", ("linux/mroute.h",), r"IGMPMSG_\w+", ()),
    # MRT6MSG_WRMIFWHOLE (Linux 6.0) is after strace 6.1's table
    "rtnl_ip6mra_msg_types": ("enum", ("linux/mroute6.h",), r"MRT6MSG_\w+", ("MRT6MSG_WRMIFWHOLE",)),
    # sock_diag(7) requests and answers
    "tcp_states": ("enum", ("netinet/tcp.h",), "enum:TCP_ESTABLISHED", ()),
    "socktypes": ("enum", ("bits/socket_type.h",), r"SOCK_(STREAM|DGRAM|RAW|RDM|SEQPACKET|DCCP|PACKET)", ()),
    "inet_protocols": ("enum", ("linux/in.h",), "enum:IPPROTO_IP", ()),
    "ethernet_protocols": ("enum", ("linux/if_ether.h",), r"ETH_P_\w+", ()),
    "unix_diag_show": ("flags", ("linux/unix_diag.h",), r"UDIAG_SHOW_\w+", ()),
    "unix_diag_attrs": ("enum", ("linux/unix_diag.h",), "enum:UNIX_DIAG_NAME", ()),
    "netlink_diag_show": ("flags", ("linux/netlink_diag.h",), r"NDIAG_SHOW_\w+", ()),
    "netlink_diag_attrs": ("enum", ("linux/netlink_diag.h",), "enum:NETLINK_DIAG_MEMINFO", ()),
    "netlink_socket_flags": ("flags", ("linux/netlink_diag.h",), r"NDIAG_FLAG_\w+", ()),
    "netlink_diag_proto": ("enum", ("linux/netlink_diag.h",), r"NDIAG_PROTO_ALL", ()),
    "packet_diag_show": ("flags", ("linux/packet_diag.h",), r"PACKET_SHOW_\w+", ()),
    "packet_diag_attrs": ("enum", ("linux/packet_diag.h",), "enum:PACKET_DIAG_INFO", ()),
    "af_packet_versions": ("enum", ("linux/if_packet.h",), "enum:TPACKET_V1", ()),
    "packet_diag_info_flags": ("flags", ("linux/packet_diag.h",), r"PDI_\w+", ()),
    "inet_diag_attrs": ("enum", ("linux/inet_diag.h",), "enum:INET_DIAG_NONE", ()),
    "inet_diag_bytecodes": ("enum", ("linux/inet_diag.h",), "enum:INET_DIAG_BC_NOP", ()),
    "inet_diag_req_attrs": ("enum", ("linux/inet_diag.h",), "enum:INET_DIAG_REQ_NONE", ()),
    # INET_DIAG_ULP_INFO's lists: the ULP's name and its own attributes (kTLS, MPTCP subflows)
    "inet_diag_ulp_info_attrs": ("enum", ("linux/inet_diag.h",), "enum:INET_ULP_INFO_UNSPEC", ()),
    "inet_diag_ulp_info_tls_attrs": ("enum", ("linux/tls.h",), "enum:TLS_INFO_UNSPEC", ()),
    "tls_info_versions": ("enum", ("linux/tls.h",), r"TLS_1_[23]_VERSION", ()),
    "tls_info_ciphers": ("enum", ("linux/tls.h",), r"TLS_CIPHER_(?!\w*_SIZE$)\w+", ()),
    "tls_info_configs": ("enum", ("linux/tls.h",), r"TLS_CONF_\w+", ()),
    "inet_diag_ulp_info_mptcp_attrs": ("enum", ("linux/mptcp.h",), "enum:MPTCP_SUBFLOW_ATTR_UNSPEC", ()),
    "mptcp_subflow_flags": ("flags", ("linux/mptcp.h",), r"MPTCP_SUBFLOW_FLAG_\w+", ()),
    # INET_DIAG_SK_BPF_STORAGES and the storages in it (linux/sock_diag.h)
    "inet_diag_bpf_storages_attrs": ("enum", ("linux/sock_diag.h",), "enum:SK_DIAG_BPF_STORAGE_REP_NONE", ()),
    "inet_diag_bpf_storage_attrs": ("enum", ("linux/sock_diag.h",), "enum:SK_DIAG_BPF_STORAGE_NONE", ()),
    "smc_diag_attrs": ("enum", ("linux/smc_diag.h",), "enum:SMC_DIAG_NONE", ()),
    "smc_diag_mode": ("enum", ("linux/smc_diag.h",), r"SMC_DIAG_MODE_\w+", ()),
    "sk_meminfo_indices": ("enum", ("linux/sock_diag.h",), "enum:SK_MEMINFO_RMEM_ALLOC", ("SK_MEMINFO_VARS",)),
}

# Kernel-internal constants that no UAPI header exports (strace names them all the same); a
# table that is also generated gets these rows after its own
DECLARED: dict[str, list[tuple[int, str]]] = {
    # net/netlink/af_netlink.h; TCP_CLOSE is the state sock_init_data() gives a new socket
    "netlink_states": [(0, "NETLINK_UNCONNECTED"), (1, "NETLINK_CONNECTED"), (7, "TCP_CLOSE")],
    # net/smc/smc.h enum smc_state
    "smc_states": [(1, "SMC_ACTIVE"), (2, "SMC_INIT"), (7, "SMC_CLOSED"), (10, "SMC_LISTEN"),
                   (20, "SMC_PEERCLOSEWAIT1"), (21, "SMC_PEERCLOSEWAIT2"), (24, "SMC_APPFINCLOSEWAIT"),
                   (22, "SMC_APPCLOSEWAIT1"), (23, "SMC_APPCLOSEWAIT2"), (25, "SMC_PEERFINCLOSEWAIT"),
                   (26, "SMC_PEERABORTWAIT"), (27, "SMC_PROCESSABORT")],
    # include/net/if_inet6.h: an IPv6 interface's flags (IFLA_INET6_FLAGS)
    "inet6_if_flags": [(0x10, "IF_RS_SENT"), (0x20, "IF_RA_RCVD"), (0x40, "IF_RA_MANAGED"),
                       (0x80, "IF_RA_OTHERCONF"), (0x80000000, "IF_READY")],
    # include/net/sock.h: the shutdown bits of a socket (sock_diag's *_DIAG_SHUTDOWN)
    "sock_shutdown_flags": [(1, "RCV_SHUTDOWN"), (2, "SEND_SHUTDOWN")],
    # net/smc/smc_core.h enum smc_lgr_role
    "smc_link_group_roles": [(0, "SMC_CLNT"), (1, "SMC_SERV")],
    # net/smc/smc_clc.h: the decline reasons strace 6.1 names (SMC_DIAG_FALLBACK)
    "smc_decl_codes": [(0x01010000, "SMC_CLC_DECL_MEM"), (0x02010000, "SMC_CLC_DECL_TIMEOUT_CL"),
                       (0x02020000, "SMC_CLC_DECL_TIMEOUT_AL"), (0x03000000, "SMC_CLC_DECL_CNFERR"),
                       (0x03010000, "SMC_CLC_DECL_PEERNOSMC"), (0x03020000, "SMC_CLC_DECL_IPSEC"),
                       (0x03030000, "SMC_CLC_DECL_NOSMCDEV"), (0x03040000, "SMC_CLC_DECL_MODEUNSUPP"),
                       (0x03050000, "SMC_CLC_DECL_RMBE_EC"), (0x03060000, "SMC_CLC_DECL_OPTUNSUPP"),
                       (0x04000000, "SMC_CLC_DECL_SYNCERR"), (0x05000000, "SMC_CLC_DECL_PEERDECL"),
                       (0x99990000, "SMC_CLC_DECL_INTERR"), (0x99990001, "SMC_CLC_DECL_ERR_RTOK"),
                       (0x99990002, "SMC_CLC_DECL_ERR_RDYLNK"), (0x99990003, "SMC_CLC_DECL_ERR_REGRMB")],
    # include/net/tcp_states.h: the one state netinet/tcp.h lacks
    "tcp_states": [(12, "TCP_NEW_SYN_RECV")],
}

# tables whose pattern also matches other constants of the header: the rows' value range
VALUE_RANGE: dict[str, tuple[int, int]] = {"nl_audit_types": (1000, 2999)}
