"""struct sockaddr_xdp (linux/if_xdp.h, AF_XDP sockets) as strace's sockaddr.c prints it."""

from __future__ import annotations

import struct

from syscope.decode import fmt
from syscope.decode.sockaddr_ll import ifindex
from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

SIZE = 16  # sizeof(struct sockaddr_xdp): family, u16 flags, u32 ifindex, queue_id, shared_umem_fd
_XDP_SHARED_UMEM = 1  # linux/if_xdp.h: only then is sxdp_shared_umem_fd a descriptor


def sockaddr_xdp(data: bytes, arch: str, head: str, verbose: int, fd: Callable[[int], str] = str) -> str:
    """data is at least SIZE bytes; fd shows the shared UMEM's descriptor (strace PRINT_FIELD_FD)."""
    flags, idx, queue, umem_fd = struct.unpack_from("<HIII", data, 2)
    parts = [head, f"sxdp_flags={fmt.flags(arch, 'xdp_sockaddr_flags', verbose)(flags)}",
             f"sxdp_ifindex={ifindex(idx, verbose)}", f"sxdp_queue_id={queue}"]
    if flags & _XDP_SHARED_UMEM:
        parts.append(f"sxdp_shared_umem_fd={fd(fmt.s32(umem_fd))}")
    elif umem_fd:  # unused without XDP_SHARED_UMEM: shown, in hex, only when set
        parts.append(f"sxdp_shared_umem_fd={umem_fd:#x}")
    return "{" + ", ".join(parts) + "}"
