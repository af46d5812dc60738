"""NETLINK_NETFILTER (nfnetlink, linux/netfilter/nfnetlink.h): a message type is a subsystem id
in its high byte and that subsystem's command in the low byte (``NFNL_SUBSYS_NFTABLES<<8|NFT_MSG_NEWTABLE``);
the payload is a struct nfgenmsg then attributes (strace src/netlink.c, netlink_netfilter.c)."""

from __future__ import annotations

from typing import Any

from syscope.decode import fmt
from syscope.decode.fmt import ptr
from syscope.decode.netlink.core import Attrs, Ctx, nlattr_list

# subsystem name -> (its command table, strace's default for an unknown command)
_COMMANDS: dict[str, tuple[str, str]] = {
    "NFNL_SUBSYS_CTNETLINK": ("nf_ctnetlink_msg_types", "IPCTNL_MSG_CT_???"),
    "NFNL_SUBSYS_CTNETLINK_EXP": ("nf_ctnetlink_exp_msg_types", "IPCTNL_MSG_EXP_???"),
    "NFNL_SUBSYS_QUEUE": ("nf_queue_msg_types", "NFQNL_MSG_???"),
    "NFNL_SUBSYS_ULOG": ("nf_ulog_msg_types", "NFULNL_MSG_???"),
    "NFNL_SUBSYS_OSF": ("nf_osf_msg_types", "OSF_MSG_???"),
    "NFNL_SUBSYS_IPSET": ("nf_ipset_msg_types", "IPSET_CMD_???"),
    "NFNL_SUBSYS_ACCT": ("nf_acct_msg_types", "NFNL_MSG_ACCT_???"),
    "NFNL_SUBSYS_CTNETLINK_TIMEOUT": ("nf_cttimeout_msg_types", "IPCTNL_MSG_TIMEOUT_???"),
    "NFNL_SUBSYS_CTHELPER": ("nf_cthelper_msg_types", "NFNL_MSG_CTHELPER_???"),
    "NFNL_SUBSYS_NFTABLES": ("nf_nftables_msg_types", "NFT_MSG_???"),
    "NFNL_SUBSYS_NFT_COMPAT": ("nf_nft_compat_msg_types", "NFNL_MSG_COMPAT_???"),
    "NFNL_SUBSYS_HOOK": ("nf_hook_msg_types", "NFT_MSG_HOOK_???"),
}
# the subsystems whose requests carry new/get/delete flags (strace decode_nlmsg_flags_netfilter)
_FLAGGED = {"NFNL_SUBSYS_CTNETLINK", "NFNL_SUBSYS_CTNETLINK_EXP", "NFNL_SUBSYS_ACCT",
            "NFNL_SUBSYS_CTNETLINK_TIMEOUT", "NFNL_SUBSYS_CTHELPER", "NFNL_SUBSYS_NFTABLES",
            "NFNL_SUBSYS_NFT_COMPAT", "NFNL_SUBSYS_HOOK"}
_VERB_FLAGS = {"NEW": "nl_new_flags", "GET": "nl_get_flags", "DEL": "nl_delete_flags"}
_ANY_ATTRS = Attrs(None, None)


def type_text(ctx: Ctx, t: int) -> str:
    """The batch control messages by name, else SUBSYS<<8|COMMAND."""
    batch = ctx.name("nl_netfilter_msg_types", t)
    if batch is not None:
        if ctx.xs == 2:
            return fmt.hexnum(t)
        return f"{fmt.hexnum(t)} /* {batch} */" if ctx.xs == 1 else batch
    subsys, cmd = t >> 8, t & 0xFF
    sub_text = ctx.xval(subsys, "nl_netfilter_subsys_ids", "NFNL_SUBSYS_???")
    commands = _COMMANDS.get(ctx.name("nl_netfilter_subsys_ids", subsys) or "")
    cmd_text = ctx.xval(cmd, *commands) if commands else fmt.hexnum(cmd)
    return f"{sub_text}<<8|{cmd_text}"


def flags_table(ctx: Ctx, t: int) -> str | None:
    """new/get/delete by the command's verb (IPCTNL_MSG_CT_GET_STATS gets, NFT_MSG_DELRULE deletes)."""
    sub = ctx.name("nl_netfilter_subsys_ids", t >> 8)
    if sub not in _FLAGGED:
        return None
    name = ctx.name(_COMMANDS[sub][0], t & 0xFF) or ""
    for word in name.split("MSG_", 1)[-1].split("_"):
        verb = word[:3]
        if verb in _VERB_FLAGS:
            return _VERB_FLAGS[verb]
    return None


def payload(ctx: Ctx, h: Any, addr: int, n: int) -> str | None:
    """struct nfgenmsg {nfgen_family, version, res_id (big-endian)}, then attributes."""
    if h.type == 3:  # NLMSG_DONE
        return None
    if n < 4:
        return ctx.hexstr(addr, n)
    data = ctx.read(addr, 4)
    if data is None:
        return ptr(addr)
    family, version = data[0], data[1]
    raw_res = int.from_bytes(data[2:4], "little")
    res_id = int.from_bytes(data[2:4], "big")
    nftables = ctx.name("nl_netfilter_subsys_ids", h.type >> 8) == "NFNL_SUBSYS_NFTABLES"
    nft_id = next((v for v, name in ctx.rows("nl_netfilter_subsys_ids") if name == "NFNL_SUBSYS_NFTABLES"), -1)
    # the kernel once filled res_id in host order (linux commit v4.3-rc1~28^2~47^2~1)
    if nftables and res_id == nft_id:
        res = _named(ctx, raw_res, "htons(NFNL_SUBSYS_NFTABLES)")
    elif nftables and raw_res == nft_id:
        res = _named(ctx, raw_res, "NFNL_SUBSYS_NFTABLES")
    else:
        res = f"htons({res_id})"
    text = (f"{{nfgen_family={ctx.xval(family, 'nl_addrfams', 'AF_???')}, "
            f"version={ctx.xval(version, 'nfnetlink_versions', 'NFNETLINK_???')}, res_id={res}}}")
    if n > 4:
        batch = ctx.name("nl_netfilter_msg_types", h.type) is not None
        if batch or h.type < 0x10:
            text += ", " + ctx.hexstr(addr + 4, n - 4)
        else:
            text += ", " + nlattr_list(ctx, addr + 4, n - 4, _ANY_ATTRS)
    return text


def _named(ctx: Ctx, v: int, name: str) -> str:
    if ctx.xs == 2:
        return fmt.hexnum(v)
    return f"{fmt.hexnum(v)} /* {name} */" if ctx.xs == 1 else name
