"""struct sockaddr_mctp (linux/mctp.h) as strace's sockaddr.c prints it."""

from __future__ import annotations

import struct

from syscope.decode import fmt
from syscope.decode.sockaddr_vsock import named_or_hex

# sizeof(struct sockaddr_mctp): family, __smctp_pad0, smctp_network, then the u8 smctp_addr,
# smctp_type, smctp_tag and __smctp_pad1
SIZE = 12


def sockaddr_mctp(data: bytes, arch: str, head: str, verbose: int) -> str:
    """data is at least SIZE bytes; the padding fields are shown only when set."""
    pad0, network, addr, mtype, tag, pad1 = struct.unpack_from("<HIBBBB", data, 2)
    parts = [head]
    if pad0:
        parts.append(f"__smctp_pad0={pad0:#x}")
    parts += [f"smctp_network={named_or_hex(arch, 'mctp_nets', network, verbose)}",
              f"smctp_addr={{s_addr={named_or_hex(arch, 'mctp_addrs', addr, verbose)}}}",
              f"smctp_type={fmt.hexnum(mtype)}", f"smctp_tag={fmt.hexnum(tag)}"]
    if pad1:
        parts.append(f"__smctp_pad1={pad1:#x}")
    return "{" + ", ".join(parts) + "}"
