"""struct sockaddr_ll (packet(7), linux/if_packet.h) as strace's sockaddr.c prints it."""

from __future__ import annotations

import socket
import struct

from syscope.decode import fmt

SIZE = 20  # sizeof(struct sockaddr_ll): the shortest address decoded field by field
_ADDR_AT = 12  # offsetof(struct sockaddr_ll, sll_addr)


def ifindex(idx: int, verbose: int) -> str:
    """strace PRINT_FIELD_IFINDEX: the interface's if_nametoindex() when it exists."""
    try:
        dev = socket.if_indextoname(idx)
    except (OSError, OverflowError):
        return str(idx)
    if verbose == 2:
        return str(idx)
    text = f'if_nametoindex("{dev}")'
    return f"{idx} /* {text} */" if verbose else text


def byte_0x(v: int) -> str:
    # PRINT_VAL_0X is C's "%#0*x" at the field's width: zero has no 0x prefix
    return f"{v:#04x}" if v else "0000"


def sockaddr_ll(data: bytes, arch: str, head: str, verbose: int) -> str:
    """``{sa_family=AF_PACKET, sll_protocol=htons(ETH_P_ALL), sll_ifindex=..., ...}``;
    data is at least SIZE bytes (the whole address the caller passed)."""
    proto, idx, hatype, pkttype, halen = struct.unpack_from("<HiHBB", data, 2)
    proto = socket.ntohs(proto)
    raw_proto = '"' + "".join(f"\\x{c:02x}" for c in data[2:4]) + '"'
    named = f"htons({fmt.enum(arch, 'ethernet_protocols')(proto)})"
    shown = raw_proto if verbose == 2 else f"{raw_proto} /* {named} */" if verbose else named
    parts = [head, f"sll_protocol={shown}", f"sll_ifindex={ifindex(idx & 0xFFFFFFFF, verbose)}",
             f"sll_hatype={fmt.enum(arch, 'arp_hardware_types', verbose)(hatype)}",
             f"sll_pkttype={fmt.enum(arch, 'af_packet_types', verbose)(pkttype)}", f"sll_halen={halen}"]
    if halen:
        # bytes past the address the caller gave are "..." (strace's oob_halen)
        inside = len(data) - _ADDR_AT
        items = [byte_0x(data[_ADDR_AT + k]) for k in range(min(halen, inside))]
        if halen > inside:
            items.append("...")
        parts.append("sll_addr=[" + ", ".join(items) + "]")
    return "{" + ", ".join(parts) + "}"
