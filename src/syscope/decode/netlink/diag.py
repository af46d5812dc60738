"""NETLINK_SOCK_DIAG (sock_diag(7)): requests and answers of the unix, inet, netlink, packet and
smc socket families; each is a header struct then attributes (strace src/netlink_*_diag.c).
Which struct a message holds follows its family byte and whether it is a request."""

from __future__ import annotations

import os
import socket
import struct
from typing import Any

from syscope.decode import fmt, sockaddr
from syscope.decode.fmt import ptr
from syscope.decode.netlink import core
from syscope.decode.netlink.core import Attrs, Ctx, Field, Header, header_text
from syscope.decode.netlink.core import show_flags as _flags
from syscope.decode.netlink.core import show_u as _u
from syscope.decode.netlink.core import show_x as _x
from syscope.decode.netlink.core import show_xval as _xval
from syscope.decode.registry import word_size
from syscope.decode.sockaddr_alg import cstring_field

NLM_F_REQUEST = 1
AF_SMC = 43


def _cookie(ctx: Ctx, v: Any) -> str:
    return f"[{v[0]}, {v[1]}]"


def _bit_flags(table: str, shift: int, dflt: str, fmt_name: str) -> core.Show:
    """A mask with one bit per member of an enum (1<<TCP_LISTEN, 1<<(INET_DIAG_CONG-1))."""
    def show(ctx: Ctx, v: int) -> str:
        rows = [(1 << (t - shift), fmt_name.format(name)) for t, name in ctx.rows(table) if t - shift >= 0]
        return ctx.flags(v, dflt, rows)
    return show


_TCP_STATE_FLAGS = _bit_flags("tcp_states", 0, "1<<TCP_???", "1<<{}")
_INET_EXT = _bit_flags("inet_diag_attrs", 1, "1<<INET_DIAG_???-1", "1<<({}-1)")
_SMC_EXT = _bit_flags("smc_diag_attrs", 1, "1<<SMC_DIAG_???-1", "1<<({}-1)")


def _port(ctx: Ctx, raw: bytes) -> str:
    """PRINT_FIELD_NET_PORT: htons(N); -X verbose/raw show the bytes too."""
    text = f"htons({int.from_bytes(raw, 'big')})"
    if ctx.xs == 0:
        return text
    hexed = '"' + "".join(f"\\x{c:02x}" for c in raw) + '"'
    return hexed if ctx.xs == 2 else f"{hexed} /* {text} */"


def _addr(ctx: Ctx, family: int, raw: bytes, name: str) -> str:
    n = 4 if family == socket.AF_INET else 16
    return core.inet_text(ctx, family, raw[:n], name)


def _sockid(family: int | None = None) -> core.Show:
    """struct inet_diag_sockid: ports and addresses in network order, interface, cookie."""
    def show(ctx: Ctx, raw: bytes) -> str:
        fam = ctx.family if family is None else family
        ifindex, c0, c1 = struct.unpack_from("<III", raw, 36)
        return (f"{{idiag_sport={_port(ctx, raw[0:2])}, idiag_dport={_port(ctx, raw[2:4])}, "
                f"{_addr(ctx, fam, raw[4:20], 'idiag_src')}, {_addr(ctx, fam, raw[20:36], 'idiag_dst')}, "
                f"idiag_if={ctx.ifindex(ifindex)}, idiag_cookie=[{c0}, {c1}]}}")
    return show


def _netlink_proto(ctx: Ctx, v: int) -> str:
    if ctx.name("netlink_diag_proto", v):
        return ctx.xval(v, "netlink_diag_proto", None)
    return ctx.xval(v, "nl_protocols", "NETLINK_???")


def _meminfo(ctx: Ctx, addr: int, n: int, opaque: Any) -> str | None:
    """decode_nla_meminfo: u32 counters indexed by SK_MEMINFO_*."""
    count = n // 4
    if not count:
        return None
    items = []
    limit = ctx.slimit if ctx.abbrev else count
    for k in range(count):
        if k >= limit:
            items.append("...")
            break
        data = ctx.read(addr + 4 * k, 4)
        if data is None:
            if k == 0:
                return ptr(addr)
            items.append(f"... /* {ptr(addr + 4 * k)} */")
            break
        items.append(f"[{ctx.xval(k, 'sk_meminfo_indices', 'SK_MEMINFO_???', fmt_u=True)}]="
                     f"{struct.unpack('<I', data)[0]}")
    return "[" + ", ".join(items) + "]"


def _unix_vfs(ctx: Ctx, addr: int, n: int, opaque: Any) -> str | None:
    """struct unix_diag_vfs {udiag_vfs_dev (a kernel dev_t), udiag_vfs_ino}."""
    if n < 8:
        return None
    data = ctx.read(addr, 8)
    if data is None:
        return ptr(addr)
    ino, dev = struct.unpack("<II", data)  # the inode comes first in the struct
    return f"{{udiag_vfs_dev={fmt.makedev(dev)}, udiag_vfs_ino={ino}}}"


_UNIX_ATTRS = Attrs("unix_diag_attrs", "UNIX_DIAG_???", {
    "UNIX_DIAG_VFS": _unix_vfs,
    "UNIX_DIAG_ICONS": core.array_of(4, lambda ctx, raw: str(int.from_bytes(raw, "little"))),
    "UNIX_DIAG_NAME": core.nla_str, "UNIX_DIAG_PEER": core.u32, "UNIX_DIAG_MEMINFO": _meminfo,
    "UNIX_DIAG_SHUTDOWN": core.u8, "UNIX_DIAG_UID": core.nla_uid,
    "UNIX_DIAG_RQLEN": lambda ctx, a, n, o: core.struct_of(ctx, a, n, (("udiag_rqueue", "I"), ("udiag_wqueue", "I"))),
})
_NDR_RING = tuple(Field(f, "I", _u) for f in ("ndr_block_size", "ndr_block_nr", "ndr_frame_size", "ndr_frame_nr"))
_NETLINK_ATTRS = Attrs("netlink_diag_attrs", "NETLINK_DIAG_???", {
    "NETLINK_DIAG_MEMINFO": _meminfo,
    "NETLINK_DIAG_RX_RING": core.struct_dec(_NDR_RING), "NETLINK_DIAG_TX_RING": core.struct_dec(_NDR_RING),
    "NETLINK_DIAG_FLAGS": core.nla_flags("netlink_socket_flags", "NDIAG_FLAG_???", 4),
    # the multicast groups: an array of the tracee's unsigned longs
    "NETLINK_DIAG_GROUPS": lambda ctx, a, n, o: core.array_of(
        word_size(ctx.arch), lambda ctx, raw: fmt.hexnum(int.from_bytes(raw, "little")))(ctx, a, n, o),
})
def _pdmc(ctx: Ctx, raw: bytes) -> str:
    """struct packet_diag_mclist: the address is its first pdmc_alen bytes (at most 32)."""
    index, count, typ, alen = struct.unpack_from("<IIHH", raw)
    addr = '"' + "".join(f"\\x{c:02x}" for c in raw[12:12 + min(alen, 32)]) + '"'
    return (f"{{pdmc_index={ctx.ifindex(index)}, pdmc_count={count}, pdmc_type={typ}, pdmc_alen={alen}, "
            f"pdmc_addr={addr}}}")


_PDR_RING = core.struct_dec(tuple(Field(f, "I", _u) for f in (
    "pdr_block_size", "pdr_block_nr", "pdr_frame_size", "pdr_frame_nr", "pdr_retire_tmo", "pdr_sizeof_priv",
    "pdr_features")))
_PACKET_ATTRS = Attrs("packet_diag_attrs", "PACKET_DIAG_???", {
    "PACKET_DIAG_MEMINFO": _meminfo, "PACKET_DIAG_UID": core.nla_uid, "PACKET_DIAG_FANOUT": core.u32,
    "PACKET_DIAG_INFO": core.struct_dec((
        Field("pdi_index", "I", core.show_ifindex),
        Field("pdi_version", "I", _xval("af_packet_versions", "TPACKET_???")),
        Field("pdi_reserve", "I", _u), Field("pdi_copy_thresh", "I", _u), Field("pdi_tstamp", "I", _u),
        Field("pdi_flags", "I", _flags("packet_diag_info_flags", "PDI_???")))),
    "PACKET_DIAG_MCLIST": core.array_of(44, _pdmc),
    "PACKET_DIAG_RX_RING": _PDR_RING, "PACKET_DIAG_TX_RING": _PDR_RING,
    "PACKET_DIAG_FILTER": lambda ctx, a, n, o: _filter(ctx, a, n),
})


def _filter(ctx: Ctx, addr: int, n: int) -> str | None:
    """The socket's classic BPF program: struct sock_filter instructions (8 bytes each, at most
    65535 of them: the length of a struct sock_fprog is an unsigned short)."""
    count = n // 8
    if not count or count > 0xFFFF or ctx.bpf_program is None:
        return None
    return ctx.bpf_program(ctx.mem, addr, count)
def _u32s(*names: str) -> tuple[Field, ...]:
    return tuple(Field(n, "I", _u) for n in names)


def _shutdown(ctx: Ctx, addr: int, n: int, opaque: Any) -> str | None:
    """INET_DIAG_SHUTDOWN: RCV_SHUTDOWN/SEND_SHUTDOWN are not UAPI (include/net/sock.h), so
    strace always shows the number with the names in a comment (the number alone under -X raw)."""
    saved = ctx.xs
    ctx.xs = 2 if saved == 2 else 1
    try:
        return core.nla_flags("sock_shutdown_flags", "???_SHUTDOWN", 1)(ctx, addr, n, opaque)
    finally:
        ctx.xs = saved


def _md5sig(ctx: Ctx, raw: bytes) -> str:
    """struct tcp_diag_md5sig {tcpm_family, tcpm_prefixlen, tcpm_keylen, tcpm_addr[4], tcpm_key[80]}
    (linux/inet_diag.h): the address as its family has it, the key's first tcpm_keylen bytes."""
    family, prefixlen, keylen = struct.unpack_from("<BBH", raw)
    key = "".join(f"\\x{c:02x}" for c in raw[20:20 + min(80, keylen)])
    return (f"{{tcpm_family={ctx.xval(family, 'nl_addrfams', 'AF_???')}, tcpm_prefixlen={prefixlen}, "
            f"tcpm_keylen={keylen}, {core.inet_text(ctx, family, raw[4:20], 'tcpm_addr')}, tcpm_key=\"{key}\"}}")


# struct inet_diag_sockopt (linux/inet_diag.h): one bit each, from bit 0 of the first byte
_SOCKOPT_BITS = ("recverr", "is_icsk", "freebind", "hdrincl", "mc_loop", "transparent", "mc_all", "nodefrag",
                 "bind_address_no_port", "recverr_rfc4884", "defer_connect")


def _sockopt(ctx: Ctx, addr: int, n: int, opaque: Any) -> str | None:
    """INET_DIAG_SOCKOPT: the bits set (every bit under -v), the 5 unused ones as a number, then
    any non-zero bytes after the struct (strace decode_diag_sockopt, print_nonzero_bytes)."""
    if n < 2:
        return None
    data = ctx.read(addr, 2)
    if data is None:
        return ptr(addr)
    bits = data[0] | data[1] << 8
    parts = [f"{name}={bits >> k & 1}" for k, name in enumerate(_SOCKOPT_BITS) if not ctx.abbrev or bits >> k & 1]
    if not ctx.abbrev or bits >> 11:
        parts.append(f"unused={fmt.hexnum(bits >> 11)} /* bits 3..8 */")
    text = "{" + ", ".join(parts) + "}"
    rest = min(n, os.sysconf("SC_PAGESIZE")) - 2
    if rest > 0:
        tail = ctx.read(addr + 2, rest)
        if tail is None:
            text += ", ???"
        elif any(tail):
            shown = "".join(f"\\x{c:02x}" for c in tail[:ctx.slimit])
            text += f', /* bytes 2..{rest + 1} */ "{shown}"' + ("..." if rest > ctx.slimit else "")
    return text


def _sockaddrs(ctx: Ctx, raw: bytes) -> str:
    return sockaddr.sockaddr(raw, ctx.arch, ctx.xs, ctx.xflag)


_TLS = Attrs("inet_diag_ulp_info_tls_attrs", "TLS_INFO_???", {
    "TLS_INFO_VERSION": core.nla_xval("tls_info_versions", "TLS_???_VERSION", 2),
    "TLS_INFO_CIPHER": core.nla_xval("tls_info_ciphers", "TLS_CIPHER_???", 2),
    "TLS_INFO_TXCONF": core.nla_xval("tls_info_configs", "TLS_CONF_???", 2),
    "TLS_INFO_RXCONF": core.nla_xval("tls_info_configs", "TLS_CONF_???", 2)})
_MPTCP = Attrs("inet_diag_ulp_info_mptcp_attrs", "MPTCP_SUBFLOW_ATTR_???", {
    "MPTCP_SUBFLOW_ATTR_TOKEN_REM": core.x32, "MPTCP_SUBFLOW_ATTR_TOKEN_LOC": core.x32,
    "MPTCP_SUBFLOW_ATTR_RELWRITE_SEQ": core.u32, "MPTCP_SUBFLOW_ATTR_MAP_SEQ": core.u64,
    "MPTCP_SUBFLOW_ATTR_MAP_SFSEQ": core.u32, "MPTCP_SUBFLOW_ATTR_SSN_OFFSET": core.u32,
    "MPTCP_SUBFLOW_ATTR_MAP_DATALEN": core.u16,
    "MPTCP_SUBFLOW_ATTR_FLAGS": core.nla_flags("mptcp_subflow_flags", "MPTCP_SUBFLOW_FLAG_???", 4),
    "MPTCP_SUBFLOW_ATTR_ID_REM": core.u8, "MPTCP_SUBFLOW_ATTR_ID_LOC": core.u8})
# INET_ULP_INFO_TLS and _MPTCP are the ULPs' own attribute types, whatever INET_ULP_INFO_NAME says
_ULP_INFO = Attrs("inet_diag_ulp_info_attrs", "INET_ULP_INFO_???", {
    "INET_ULP_INFO_NAME": core.nla_str, "INET_ULP_INFO_TLS": core.nested(_TLS),
    "INET_ULP_INFO_MPTCP": core.nested(_MPTCP)})
_BPF_STORAGE = Attrs("inet_diag_bpf_storage_attrs", "SK_DIAG_BPF_STORAGE_???", {
    "SK_DIAG_BPF_STORAGE_MAP_ID": core.u32, "SK_DIAG_BPF_STORAGE_MAP_VALUE": core.xint})
_BPF_STORAGES = Attrs("inet_diag_bpf_storages_attrs", "SK_DIAG_BPF_STORAGE_???", {
    "SK_DIAG_BPF_STORAGE": core.nested(_BPF_STORAGE)})

# the attributes of an inet_diag_msg (strace netlink_inet_diag.c inet_diag_msg_nla_decoders);
# INET_DIAG_INFO (struct tcp_info) is printed as bytes, as strace 6.1 does
_INET_ATTRS = Attrs("inet_diag_attrs", "INET_DIAG_???", {
    "INET_DIAG_MEMINFO": core.struct_dec(_u32s("idiag_rmem", "idiag_wmem", "idiag_fmem", "idiag_tmem")),
    "INET_DIAG_VEGASINFO": core.struct_dec(_u32s("tcpv_enabled", "tcpv_rttcnt", "tcpv_rtt", "tcpv_minrtt")),
    "INET_DIAG_CONG": core.nla_str, "INET_DIAG_TOS": core.u8, "INET_DIAG_TCLASS": core.u8,
    "INET_DIAG_SKMEMINFO": _meminfo, "INET_DIAG_SHUTDOWN": _shutdown,
    # struct tcp_dctcp_info, struct tcp_bbr_info (linux/inet_diag.h)
    "INET_DIAG_DCTCPINFO": core.struct_dec((Field("dctcp_enabled", "H", _u), Field("dctcp_ce_state", "H", _u),
                                            *_u32s("dctcp_alpha", "dctcp_ab_ecn", "dctcp_ab_tot"))),
    "INET_DIAG_PROTOCOL": core.nla_ip_proto, "INET_DIAG_SKV6ONLY": core.u8,
    # arrays of struct sockaddr_storage (128 bytes)
    "INET_DIAG_LOCALS": core.array_of(128, _sockaddrs), "INET_DIAG_PEERS": core.array_of(128, _sockaddrs),
    "INET_DIAG_MARK": core.u32,
    "INET_DIAG_BBRINFO": core.struct_dec((Field("bbr_bw_lo", "I", _x), Field("bbr_bw_hi", "I", _x),
                                          *_u32s("bbr_min_rtt", "bbr_pacing_gain", "bbr_cwnd_gain"))),
    "INET_DIAG_CLASS_ID": core.u32, "INET_DIAG_MD5SIG": core.array_of(100, _md5sig),
    "INET_DIAG_ULP_INFO": core.nested(_ULP_INFO), "INET_DIAG_SK_BPF_STORAGES": core.nested(_BPF_STORAGES),
    "INET_DIAG_CGROUP_ID": core.u64, "INET_DIAG_SOCKOPT": _sockopt,
})
def _bc_op_text(ctx: Ctx, raw: bytes) -> str:
    code, yes, no = struct.unpack("<BBH", raw)
    return f"{{code={ctx.xval(code, 'inet_diag_bytecodes', 'INET_DIAG_BC_???')}, yes={yes}, no={no}}}"


def _bc_data(ctx: Ctx, code: str, addr: int, n: int) -> str:
    """What follows an inet_diag_bc_op, by its code (strace decode_bytecode_data)."""
    if code in ("INET_DIAG_BC_S_COND", "INET_DIAG_BC_D_COND"):
        # struct inet_diag_hostcond {family, prefix_len, int port}, then the address
        if n < 8:
            return ctx.hexstr(addr, n)
        data = ctx.read(addr, 8)
        if data is None:
            return ptr(addr)
        family, plen, port = struct.unpack("<BBxxi", data)
        text = f"{{family={ctx.xval(family, 'nl_addrfams', 'AF_???')}, prefix_len={plen}, port={port}"
        if n > 8:
            text += ", " + core.inet_addr_any(ctx, addr + 8, n - 8, family, "addr")
        return text + "}"
    if code == "INET_DIAG_BC_DEV_COND":
        got = core.nla_ifindex(ctx, addr, n, None)
        return ctx.hexstr(addr, n) if got is None else got
    if code in ("INET_DIAG_BC_S_GE", "INET_DIAG_BC_S_LE", "INET_DIAG_BC_D_GE", "INET_DIAG_BC_D_LE"):
        if n < 4:
            return ctx.hexstr(addr, n)
        data = ctx.read(addr, 4)
        return ptr(addr) if data is None else _bc_op_text(ctx, data)
    if code == "INET_DIAG_BC_MARK_COND":
        got = core.struct_of(ctx, addr, n, (("mark", "I"), ("mask", "I")))
        return ctx.hexstr(addr, n) if got is None else got
    return ctx.hexstr(addr, n)


def _bc_op(ctx: Ctx, addr: int, n: int, opaque: Any) -> str | None:
    """INET_DIAG_REQ_BYTECODE: a struct inet_diag_bc_op and the data of its code."""
    if n < 4:
        return None
    data = ctx.read(addr, 4)
    if data is None:
        return ptr(addr)
    text = _bc_op_text(ctx, data)
    if n > 4:
        text += ", " + _bc_data(ctx, ctx.name("inet_diag_bytecodes", data[0]) or "", addr + 4, n - 4)
    return text


_INET_REQ_ATTRS = Attrs("inet_diag_req_attrs", "INET_DIAG_REQ_???", {
    "INET_DIAG_REQ_BYTECODE": _bc_op,
    "INET_DIAG_REQ_PROTOCOL": core.nla_ip_proto,
})
def _zero_x(width: int) -> core.Show:
    """PRINT_FIELD_0X: C's ``%#0*llx`` at twice the field's size (``0xe1``, zero is ``00``)."""
    return lambda ctx, v: f"{v:#0{width}x}" if v else "0" * width


def _always_commented(table: str, dflt: str) -> core.Show:
    """A constant of a kernel-internal table, always with its number (strace's
    PRINT_FIELD_XVAL_VERBOSE: the names are not UAPI); the number alone under -X raw."""
    def show(ctx: Ctx, v: int) -> str:
        return fmt.hexnum(v) if ctx.xs == 2 else f"{fmt.hexnum(v)} /* {ctx.name(table, v) or dflt} */"
    return show


def _cstring(ctx: Ctx, raw: bytes) -> str:
    return cstring_field(raw, ctx.xflag)  # PRINT_FIELD_CSTRING


def _smc_cursor(name: str) -> tuple[Field, ...]:
    """struct smc_diag_cursor {__u16 reserved, wrap; __u32 count} as one field."""
    return (Field(name, "HHI", lambda ctx, v: f"{{reserved={v[0]}, wrap={v[1]}, count={v[2]}}}"),)


_SMC_LINKINFO = (Field("link_id", "B", _u), Field("ibname", "64s", _cstring), Field("ibport", "B", _u),
                 Field("gid", "40s", _cstring), Field("peer_gid", "40s", _cstring))
_SMC_ATTRS = Attrs("smc_diag_attrs", "SMC_DIAG_???", {
    # struct smc_diag_conninfo (linux/smc_diag.h)
    "SMC_DIAG_CONNINFO": core.struct_dec((
        *(Field(f, "I", _u) for f in ("token", "sndbuf_size", "rmbe_size", "peer_rmbe_size")),
        *_smc_cursor("rx_prod"), *_smc_cursor("rx_cons"), *_smc_cursor("tx_prod"), *_smc_cursor("tx_cons"),
        *(Field(f, "B", _zero_x(2)) for f in ("rx_prod_flags", "rx_conn_state_flags", "tx_prod_flags",
                                               "tx_conn_state_flags")),
        *_smc_cursor("tx_prep"), *_smc_cursor("tx_sent"), *_smc_cursor("tx_fin"))),
    # struct smc_diag_lgrinfo: an array of one struct smc_diag_linkinfo, the role
    "SMC_DIAG_LGRINFO": core.struct_dec((
        Field("lnk", "146s", lambda ctx, raw: "[{" + ", ".join(core.fields_text(ctx, raw, _SMC_LINKINFO)) + "}]"),
        Field("role", "B", _xval("smc_link_group_roles", "SMC_???")))),
    "SMC_DIAG_SHUTDOWN": core.nla_flags("sock_shutdown_flags", "???_SHUTDOWN", 1),
    # struct smcd_diag_dmbinfo: the u64 fields are 8-aligned
    "SMC_DIAG_DMBINFO": core.struct_dec((Field("linkid", "I", _u), Field("pad", "4s", None),
                                         *(Field(f, "Q", _x) for f in ("peer_gid", "my_gid", "token", "peer_token")))),
    "SMC_DIAG_FALLBACK": core.struct_dec(tuple(Field(f, "I", _always_commented("smc_decl_codes", "SMC_CLC_DECL_???"))
                                               for f in ("reason", "peer_diagnosis"))),
})

_COOKIE = ("2I", _cookie)
_UNIX_REQ = Header("sdiag_family", (
    Field("sdiag_protocol", "B", _u), Field("pad", "H", None),
    Field("udiag_states", "I", _TCP_STATE_FLAGS), Field("udiag_ino", "I", _u),
    Field("udiag_show", "I", _flags("unix_diag_show", "UDIAG_SHOW_???")), Field("udiag_cookie", *_COOKIE)), None)
_UNIX_MSG = Header("udiag_family", (
    Field("udiag_type", "B", _xval("socktypes", "SOCK_???")), Field("udiag_state", "B", _xval("tcp_states", "TCP_???")),
    Field("pad", "B", None), Field("udiag_ino", "I", _u), Field("udiag_cookie", *_COOKIE)), _UNIX_ATTRS)
_NETLINK_REQ = Header("sdiag_family", (
    Field("sdiag_protocol", "B", _netlink_proto), Field("pad", "H", None), Field("ndiag_ino", "I", _u),
    Field("ndiag_show", "I", _flags("netlink_diag_show", "NDIAG_SHOW_???")), Field("ndiag_cookie", *_COOKIE)), None)
_NETLINK_MSG = Header("ndiag_family", (
    Field("ndiag_type", "B", _xval("socktypes", "SOCK_???")),
    Field("ndiag_protocol", "B", _xval("nl_protocols", "NETLINK_???")),
    Field("ndiag_state", "B", _xval("netlink_states", "NETLINK_???")),
    Field("ndiag_portid", "I", _u), Field("ndiag_dst_portid", "I", _u), Field("ndiag_dst_group", "I", _u),
    Field("ndiag_ino", "I", _u), Field("ndiag_cookie", *_COOKIE)), _NETLINK_ATTRS)
_PACKET_REQ = Header("sdiag_family", (
    Field("sdiag_protocol", "B", _x), Field("pad", "H", None), Field("pdiag_ino", "I", _u),
    Field("pdiag_show", "I", _flags("packet_diag_show", "PACKET_SHOW_???")), Field("pdiag_cookie", *_COOKIE)), None)
_PACKET_MSG = Header("pdiag_family", (
    Field("pdiag_type", "B", _xval("socktypes", "SOCK_???")),
    Field("pdiag_num", "H", _xval("ethernet_protocols", "ETH_P_???")),
    Field("pdiag_ino", "I", _u), Field("pdiag_cookie", *_COOKIE)), _PACKET_ATTRS)
_INET_REQ_V2 = Header("sdiag_family", (
    Field("sdiag_protocol", "B", _xval("inet_protocols", "IPPROTO_???")), Field("idiag_ext", "B", _INET_EXT),
    Field("pad", "B", None), Field("idiag_states", "I", _TCP_STATE_FLAGS), Field("id", "48s", _sockid())),
    _INET_REQ_ATTRS)
_INET_REQ_COMPAT = Header("idiag_family", (
    Field("idiag_src_len", "B", _u), Field("idiag_dst_len", "B", _u), Field("idiag_ext", "B", _INET_EXT),
    Field("id", "48s", _sockid()), Field("idiag_states", "I", _TCP_STATE_FLAGS), Field("idiag_dbs", "I", _u)),
    _INET_REQ_ATTRS)
_INET_MSG = Header("idiag_family", (
    Field("idiag_state", "B", _xval("tcp_states", "TCP_???")), Field("idiag_timer", "B", _u),
    Field("idiag_retrans", "B", _u), Field("id", "48s", _sockid()), Field("idiag_expires", "I", _u),
    Field("idiag_rqueue", "I", _u), Field("idiag_wqueue", "I", _u), Field("idiag_uid", "I", _u),
    Field("idiag_inode", "I", _u)), _INET_ATTRS)
_SMC_REQ = Header("diag_family", (
    Field("pad", "2s", None), Field("diag_ext", "B", _SMC_EXT), Field("id", "48s", _sockid(socket.AF_INET))), None)
_SMC_MSG = Header("diag_family", (
    Field("diag_state", "B", _xval("smc_states", "SMC_???")),
    Field("diag_fallback", "B", _xval("smc_diag_mode", "SMC_DIAG_MODE_???")), Field("diag_shutdown", "B", _u),
    Field("id", "48s", _sockid(socket.AF_INET)), Field("diag_uid", "I", _u), Field("diag_inode", "Q", _u)),
    _SMC_ATTRS)

# family -> (request header, answer header)
_BY_FAMILY: dict[int, tuple[Header, Header]] = {
    socket.AF_UNIX: (_UNIX_REQ, _UNIX_MSG), socket.AF_INET: (_INET_REQ_V2, _INET_MSG),
    socket.AF_INET6: (_INET_REQ_V2, _INET_MSG), socket.AF_NETLINK: (_NETLINK_REQ, _NETLINK_MSG),
    socket.AF_PACKET: (_PACKET_REQ, _PACKET_MSG), AF_SMC: (_SMC_REQ, _SMC_MSG),
}


def payload(ctx: Ctx, h: Any, addr: int, n: int) -> str | None:
    if h.type == 3:  # NLMSG_DONE
        return None
    data = ctx.read(addr, 1)
    if data is None:
        return ptr(addr)
    family = data[0]
    pair = _BY_FAMILY.get(family)
    if pair is not None and n > 1:
        hd = pair[0] if h.flags & NLM_F_REQUEST else pair[1]
        if hd is _INET_REQ_V2 and ctx.name("nl_sock_diag_types", h.type) in ("TCPDIAG_GETSOCK", "DCCPDIAG_GETSOCK"):
            hd = _INET_REQ_COMPAT
        return header_text(ctx, hd, family, addr, n)
    text = f"{{family={ctx.xval(family, 'nl_addrfams', 'AF_???')}"
    if n > 1:
        text += f", data={ctx.hexstr(addr + 1, n - 1)}"
    return text + "}"
