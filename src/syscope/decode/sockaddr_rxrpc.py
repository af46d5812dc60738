"""struct sockaddr_rxrpc (linux/rxrpc.h) as strace's sockaddr.c prints it."""

from __future__ import annotations

import socket
import struct

from syscope.decode import fmt
from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

SIZE = 36  # sizeof(struct sockaddr_rxrpc): srx_family..transport_len, then a sockaddr_in6
_TRANSPORT_AT = 8  # offsetof(struct sockaddr_rxrpc, transport)


def _family(arch: str, fam: int, verbose: int) -> str:
    name = fmt.enum(arch, "socket_family").get(fam)
    if verbose == 2:
        return fmt.hexnum(fam)
    if name is None:
        return f"{fam:#x} /* AF_??? */"
    return (f"{fam:#x} /* {name} */" if fam else f"0 /* {name} */") if verbose else name


def sockaddr_rxrpc(data: bytes, arch: str, head: str, verbose: int, xflag: int,
                   inet: Callable[[bytes], str]) -> str:
    """data is at least SIZE bytes; inet prints a whole sockaddr_in/sockaddr_in6 (sockaddr.sockaddr)
    for the IPv4 and IPv6 transports, the only ones RxRPC has (net/rxrpc/af_rxrpc.c)."""
    service, ttype, tlen = struct.unpack_from("<HHH", data, 2)
    # srx_service is always shown with its comment (strace PRINT_FIELD_XVAL_VERBOSE)
    shown_service = fmt.enum(arch, "rxrpc_services", 2 if verbose == 2 else 1)(service)
    parts = [head, f"srx_service={shown_service}",
             f"transport_type={fmt.enum(arch, 'socket_type', verbose)(ttype)}", f"transport_len={tlen}"]
    fam = struct.unpack_from("<H", data, _TRANSPORT_AT)[0]
    avail = min(tlen, len(data) - _TRANSPORT_AT)
    rest = data[_TRANSPORT_AT + 2:_TRANSPORT_AT + max(avail, 2)]
    quoted = f'"{fmt.quote(rest, xflag)}"'
    if fam in (socket.AF_INET, socket.AF_INET6):
        field = "sin" if fam == socket.AF_INET else "sin6"
        if tlen >= (16 if fam == socket.AF_INET else 24):
            # the transport's fields as the whole address, its family renamed sin(6)_family
            text = inet(data[_TRANSPORT_AT:_TRANSPORT_AT + avail])
            transport = f"{field}=" + text.replace("{sa_family=", f"{{{field}_family=", 1)
        else:
            inner = f"{field}_family={_family(arch, fam, verbose)}" + (f", {quoted}" if rest else "")
            transport = f"{field}={{{inner}}}"
    else:
        transport = f"family={_family(arch, fam, verbose)}" + (f", {quoted}" if rest else "")
    parts.append(f"transport={{{transport}}}")
    return "{" + ", ".join(parts) + "}"
