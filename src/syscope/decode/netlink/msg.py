"""Netlink messages as strace 6.1 prints them (src/netlink.c): the struct nlmsghdr of each
message in a buffer, ``{nlmsg_len=..., nlmsg_type=..., nlmsg_flags=..., nlmsg_seq=..., nlmsg_pid=...}``,
then its payload decoded by the socket's protocol (``[{hdr}, payload]``), several messages as
an array; NLMSG_ERROR's struct nlmsgerr with the message it answers, NLMSG_DONE's int.

The message types and the flags that go with them are per protocol (netlink(7)); the names come
from the generated tables (netlink/spec.py), the defaults printed for unknown values are strace's.
"""

from __future__ import annotations

import socket
import struct
from collections.abc import Callable
from typing import NamedTuple

from syscope.decode import fmt
from syscope.decode.fmt import ptr
from syscope.decode.netlink import core, diag, misc, nf, route
from syscope.decode.netlink.core import Attrs, Ctx, nlattr_list

NLMSG_HDRLEN = 16
NLMSG_NOOP, NLMSG_ERROR, NLMSG_DONE = 1, 2, 3
NLMSG_MIN_TYPE = 0x10
NLM_F_CAPPED = 0x100

(NETLINK_ROUTE, NETLINK_SOCK_DIAG, NETLINK_XFRM, NETLINK_SELINUX, NETLINK_AUDIT, NETLINK_NETFILTER,
 NETLINK_KOBJECT_UEVENT, NETLINK_GENERIC, NETLINK_CRYPTO) = (0, 4, 6, 7, 9, 12, 15, 16, 21)


class Hdr(NamedTuple):
    len: int
    type: int
    flags: int
    seq: int
    pid: int


# protocol -> (message type table, strace's default for an unknown type)
_TYPES: dict[int, tuple[str, str]] = {
    NETLINK_AUDIT: ("nl_audit_types", "AUDIT_???"),
    NETLINK_CRYPTO: ("nl_crypto_types", "CRYPTO_MSG_???"),
    NETLINK_ROUTE: ("nl_route_types", "RTM_???"),
    NETLINK_SELINUX: ("nl_selinux_types", "SELNL_MSG_???"),
    NETLINK_SOCK_DIAG: ("nl_sock_diag_types", "SOCK_DIAG_???"),
    NETLINK_XFRM: ("nl_xfrm_types", "XFRM_MSG_???"),
}


def _type_text(ctx: Ctx, t: int, family: int, pid: int) -> str:
    """decode_nlmsg_type: types below NLMSG_MIN_TYPE are the control messages of every protocol."""
    if t < NLMSG_MIN_TYPE or family < 0:
        return ctx.xval(t, "nl_types", "NLMSG_???")
    if family == NETLINK_NETFILTER:
        return nf.type_text(ctx, t)
    if family == NETLINK_GENERIC:
        return ctx_generic_type(ctx, t)
    table, dflt = _TYPES.get(family, ("nl_types", "NLMSG_???"))
    return ctx.xval(t, table, dflt)


def ctx_generic_type(ctx: Ctx, t: int) -> str:
    """NETLINK_GENERIC message types are family ids the kernel hands out at run time: named by
    asking the kernel's controller (genetlink CTRL_CMD_GETFAMILY), as strace's genl_families_xlat."""
    name = _genl_families().get(t)
    if ctx.xs == 2 or name is None:
        return f"{fmt.hexnum(t)} /* GENERIC_FAMILY_??? */" if name is None and ctx.xs != 2 else fmt.hexnum(t)
    return f"{fmt.hexnum(t)} /* {name} */" if ctx.xs == 1 else name


_GENL_CACHE: dict[int, str] = {}


def _genl_families() -> dict[int, str]:
    if _GENL_CACHE:
        return _GENL_CACHE
    # linux/genetlink.h: GENL_ID_CTRL 16, CTRL_CMD_GETFAMILY 3, CTRL_ATTR_FAMILY_ID 1 (u16),
    # CTRL_ATTR_FAMILY_NAME 2 (string)
    try:
        s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW | socket.SOCK_CLOEXEC, NETLINK_GENERIC)
    except OSError:
        return _GENL_CACHE
    with s:
        try:
            s.sendto(struct.pack("<IHHIIBBH", 20, 16, 0x301, 1, 0, 3, 1, 0), (0, 0))
            done = False
            while not done:
                data = s.recv(65536)
                off = 0
                while off + NLMSG_HDRLEN <= len(data):
                    ln, typ = struct.unpack_from("<IH", data, off)
                    if ln < NLMSG_HDRLEN or typ in (NLMSG_DONE, NLMSG_ERROR):
                        done = True
                        break
                    _genl_one(data[off + NLMSG_HDRLEN + 4: off + ln])
                    off += core.align4(ln)
        except OSError:
            pass
    return _GENL_CACHE


def _genl_one(body: bytes) -> None:
    fam_id, name, off = None, None, 0
    while off + 4 <= len(body):
        alen, atype = struct.unpack_from("<HH", body, off)
        if alen < 4:
            break
        val = body[off + 4: off + alen]
        if atype == 1 and len(val) >= 2:
            fam_id = struct.unpack_from("<H", val)[0]
        elif atype == 2:
            name = val.split(b"\0", 1)[0].decode("ascii", "replace")
        off += core.align4(alen)
    if fam_id is not None and name:
        _GENL_CACHE[fam_id] = name


def _flags_tables(ctx: Ctx, t: int, family: int) -> str | None:
    """The flags table of the request type (decode_nlmsg_flags_*): NLM_F_ROOT and NLM_F_REPLACE
    share a bit, told apart by whether the message gets, creates or deletes."""
    if t < NLMSG_MIN_TYPE:
        return "nl_ack_flags" if t == NLMSG_ERROR else None
    if family == NETLINK_ROUTE:
        if t == route.RTM_DELACTION:
            return "nl_get_flags"
        return {0: "nl_new_flags", 1: "nl_delete_flags", 2: "nl_get_flags"}.get(t & 3)
    if family == NETLINK_SOCK_DIAG:
        return "nl_get_flags"
    if family == NETLINK_NETFILTER:
        return nf.flags_table(ctx, t)
    if family == NETLINK_XFRM:
        return _xfrm_flags(ctx, t)
    return None


def _xfrm_flags(ctx: Ctx, t: int) -> str | None:
    name = ctx.name("nl_xfrm_types", t) or ""
    if name in ("XFRM_MSG_NEWSA", "XFRM_MSG_NEWPOLICY", "XFRM_MSG_NEWAE", "XFRM_MSG_NEWSADINFO",
                "XFRM_MSG_NEWSPDINFO"):
        return "nl_new_flags"
    if name in ("XFRM_MSG_DELSA", "XFRM_MSG_DELPOLICY"):
        return "nl_delete_flags"
    if name in ("XFRM_MSG_GETSA", "XFRM_MSG_GETPOLICY", "XFRM_MSG_GETAE", "XFRM_MSG_GETSADINFO",
                "XFRM_MSG_GETSPDINFO"):
        return "nl_get_flags"
    return None


def hdr_text(ctx: Ctx, family: int, h: Hdr) -> str:
    flags = ctx.flags(h.flags, "NLM_F_???", "nl_flags", _flags_tables(ctx, h.type, family))
    return (f"{{nlmsg_len={h.len}, nlmsg_type={_type_text(ctx, h.type, family, h.pid)}, "
            f"nlmsg_flags={flags}, nlmsg_seq={h.seq}, nlmsg_pid={ctx.pid_text(fmt.s32(h.pid))}}}")


PayloadDecoder = Callable[[Ctx, Hdr, int, int], "str | None"]
_PAYLOAD: dict[int, PayloadDecoder] = {
    NETLINK_ROUTE: route.payload,
    NETLINK_SOCK_DIAG: diag.payload,
    NETLINK_NETFILTER: nf.payload,
    NETLINK_SELINUX: misc.selinux_payload,
}
_NLMSGERR_ATTRS = Attrs("nlmsgerr_attrs", "NLMSGERR_ATTR_???", {
    "NLMSGERR_ATTR_MSG": core.nla_str,
    "NLMSGERR_ATTR_OFFS": core.u32,
    "NLMSGERR_ATTR_COOKIE": lambda ctx, a, n, o: _cookie(ctx, a, n),
})


def _cookie(ctx: Ctx, addr: int, n: int) -> str:
    data = ctx.read(addr, min(n, ctx.slimit + 1) if ctx.abbrev else n)
    if data is None:
        return ptr(addr)
    items = [str(b) for b in data[: ctx.slimit if ctx.abbrev else n]]
    if ctx.abbrev and n > ctx.slimit:
        items.append("...")
    return "[" + ", ".join(items) + "]"


def _payload(ctx: Ctx, family: int, h: Hdr, addr: int, n: int) -> str:
    if h.type == NLMSG_ERROR:
        return _nlmsgerr(ctx, family, addr, n, bool(h.flags & NLM_F_CAPPED))
    if h.type >= NLMSG_MIN_TYPE or h.type == NLMSG_DONE:
        dec = _PAYLOAD.get(family)
        if dec is not None:
            text = dec(ctx, h, addr, n)
            if text is not None:
                return text
    if h.type == NLMSG_DONE and n == 4:
        data = ctx.read(addr, 4)
        return ptr(addr) if data is None else str(struct.unpack("<i", data)[0])
    return ctx.hexstr(addr, n)


def _nlmsgerr(ctx: Ctx, family: int, addr: int, n: int, capped: bool) -> str:
    """struct nlmsgerr: the error and the request it answers (its header only when capped),
    then the extended-ack attributes."""
    if n < 4 + NLMSG_HDRLEN:
        return ctx.hexstr(addr, n)
    raw = ctx.read(addr, 4 + NLMSG_HDRLEN)
    if raw is None:
        return ptr(addr)
    err = struct.unpack_from("<i", raw)[0]
    h = Hdr(*struct.unpack_from("<IHHII", raw, 4))
    addr += 4
    n -= 4
    nlmsg_len = max(NLMSG_HDRLEN, h.len)
    payload = min(n, NLMSG_HDRLEN if capped else nlmsg_len)
    err_text = _err(err)
    text = f"{{error={err_text}, msg={_with_payload(ctx, family, h, addr, payload)}}}"
    if n > payload:
        attrs = nlattr_list(ctx, addr + payload, n - payload, _NLMSGERR_ATTRS)
        return f"[{text}, {attrs}]"
    return text


def _err(err: int) -> str:
    """PRINT_FIELD_ERR_D: ``-EACCES`` for a negated errno, the number otherwise."""
    if err < 0:
        name = fmt.errno_text(-err).split()[1]
        if not name[0].isdigit() and name != str(-err):
            return "-" + name
    return str(err)


def _with_payload(ctx: Ctx, family: int, h: Hdr, addr: int, n: int) -> str:
    nlmsg_len = min(h.len, n)
    head = hdr_text(ctx, family, h)
    if nlmsg_len <= NLMSG_HDRLEN:
        return head
    body = _payload(ctx, family, h, addr + NLMSG_HDRLEN, nlmsg_len - NLMSG_HDRLEN)
    return f"[{head}, {body}]"


def decode(ctx: Ctx, family: int, addr: int, n: int) -> str:
    """decode_netlink: the messages of a buffer of n bytes sent to or read from a netlink
    socket of this protocol (-1: unknown)."""
    if family == NETLINK_KOBJECT_UEVENT:
        return misc.kobject_uevent(ctx, addr, n)

    def one(at: int, left: int, raw: bytes) -> tuple[int, str]:
        h = Hdr(*struct.unpack("<IHHII", raw))
        return h.len, _with_payload(ctx, family, h, at, left)
    return core.records(ctx, addr, n, NLMSG_HDRLEN, one)
