"""struct sockaddr_ipx as strace's sockaddr.c prints it.  The UAPI header (linux/ipx.h) left the
kernel with IPX in 5.15; the layout, carried over from strace's sockaddr.c, is family, the
big-endian u16 sipx_port and u32 sipx_network, u8 sipx_node[6], sipx_type and sipx_zero."""

from __future__ import annotations

import struct

from syscope.decode.sockaddr_ll import byte_0x

SIZE = 16  # sizeof(struct sockaddr_ipx)


def sockaddr_ipx(data: bytes, head: str) -> str:
    """data is at least SIZE bytes; sipx_zero only when set."""
    port, network = struct.unpack_from(">HI", data, 2)
    node = ", ".join(byte_0x(c) for c in data[8:14])
    parts = [head, f"sipx_port=htons({port})", f"sipx_network=htonl({network:#x})", f"sipx_node=[{node}]",
             f"sipx_type={byte_0x(data[14])}"]
    if data[15]:
        parts.append(f"sipx_zero={data[15]:#x}")
    return "{" + ", ".join(parts) + "}"
