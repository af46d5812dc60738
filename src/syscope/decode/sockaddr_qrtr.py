"""struct sockaddr_qrtr (linux/qrtr.h) as strace's sockaddr.c prints it."""

from __future__ import annotations

import struct

from syscope.decode.sockaddr_vsock import named_or_hex

SIZE = 12  # sizeof(struct sockaddr_qrtr): sq_family, then the 32-bit sq_node and sq_port


def sockaddr_qrtr(data: bytes, arch: str, head: str, verbose: int) -> str:
    """data is at least SIZE bytes."""
    node, port = struct.unpack_from("<II", data, 4)
    return (f"{{{head}, sq_node={named_or_hex(arch, 'qipcrtr_nodes', node, verbose)}, "
            f"sq_port={named_or_hex(arch, 'qipcrtr_ports', port, verbose)}}}")
