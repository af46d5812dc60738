"""Socket addresses as strace prints them (src/sockaddr.c print_sockaddr) and their structured
form (``syscope.events.SockAddr``): each family's fields by the family's module (sockaddr_*.py).

Its own module, apart from decode/more.py's fcntl, futex, poll and epoll decoders that every
program's first calls need: Python's socket module it imports builds its enums when imported
(~3 ms of CPU), which a trace of a program that never names a socket address does without.
"""

from __future__ import annotations

import os
import socket
import struct

from syscope.decode import (
    fmt,
    sockaddr_alg,
    sockaddr_ax25,
    sockaddr_ieee802154,
    sockaddr_ipx,
    sockaddr_ll,
    sockaddr_mctp,
    sockaddr_nfc,
    sockaddr_qrtr,
    sockaddr_rxrpc,
    sockaddr_vsock,
    sockaddr_x25,
    sockaddr_xdp,
)
from syscope.decode.fmt import hexnum as _hex
from syscope.events import SockAddr
from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

# the shortest address strace decodes a family's fields from (sockaddr.c sa_printers: sizeof
# struct sockaddr_in / sockaddr_nl, SIN6_MIN_LEN for sockaddr_in6 without its sin6_scope_id)
_MIN_LEN = {socket.AF_UNIX: 3, socket.AF_INET: 16, socket.AF_INET6: 24, socket.AF_NETLINK: 12,
            socket.AF_PACKET: sockaddr_ll.SIZE, socket.AF_VSOCK: sockaddr_vsock.SIZE,
            socket.AF_QIPCRTR: sockaddr_qrtr.SIZE, socket.AF_ALG: sockaddr_alg.SIZE,
            socket.AF_X25: sockaddr_x25.SIZE, socket.AF_IPX: sockaddr_ipx.SIZE, socket.AF_AX25: sockaddr_ax25.SIZE}
# families Python's socket module lacks, by their name in the generated table
_MIN_LEN_BY_NAME = {"AF_RXRPC": sockaddr_rxrpc.SIZE, "AF_IEEE802154": sockaddr_ieee802154.SIZE,
                    "AF_XDP": sockaddr_xdp.SIZE, "AF_MCTP": sockaddr_mctp.SIZE, "AF_NFC": sockaddr_nfc.SIZE}


def _scope_id(data: bytes, verbose: int) -> str:
    """``, sin6_scope_id=N``: only past SIN6_MIN_LEN; an interface name for a link-local
    unicast or multicast address (strace PRINT_FIELD_IFINDEX)."""
    if len(data) <= 24:
        return ""
    # strace's decode_sockaddr zero-fills what follows the length it read (sockaddr.c): a
    # 25..27-byte address has the scope id's low bytes only
    scope = struct.unpack_from("<I", data[24:28].ljust(4, b"\0"))[0]
    a = data[8:24]
    if (a[0] == 0xFE and a[1] & 0xC0 == 0x80) or (a[0] == 0xFF and a[1] & 0x0F == 0x02):
        try:
            dev = socket.if_indextoname(scope)
        except (OSError, OverflowError):
            dev = None
        if dev is not None and verbose != 2:
            text = f'if_nametoindex("{dev}")'
            return f", sin6_scope_id={scope} /* {text} */" if verbose else f", sin6_scope_id={text}"
    return f", sin6_scope_id={scope}"


def sockaddr(data: bytes, arch: str, verbose: int = 0, xflag: int = 0, fd: Callable[[int], str] = str,
             pid: Callable[[int], str] = str) -> str:
    """``{sa_family=AF_INET, sin_port=htons(5000), sin_addr=inet_addr("127.0.0.1")}`` (strace
    sockaddr.c); families it does not know show their raw sa_data.  verbose is the -X style:
    1 (verbose) shows the raw field bytes with the decoded value in a comment, 2 (raw) the bytes.
    xflag (-x/-xx) applies to the quoted texts, addresses included; fd shows a descriptor an
    address holds (with its path under -y), pid a process id of the tracee's namespace one holds
    (sockaddr_nl's nl_pid: PRINT_FIELD_TGID, translated under --pidns-translation)."""

    def q(text: bytes) -> str:
        return fmt.quote(text, xflag)

    if len(data) < 2:
        return "{}"
    fam = struct.unpack_from("<H", data)[0]
    name = fmt.enum(arch, "socket_family").get(fam)
    if verbose == 2:
        name = _hex(fam)
    elif name is None:
        name = f"{fam:#x} /* AF_??? */"
    elif verbose:
        name = f"{fam:#x} /* {name} */" if fam else f"0 /* {name} */"
    head = f"sa_family={name}"
    if len(data) == 2:
        return f"{{{head}}}"
    # strace's sa_printers: a family's fields only from its minimum length on, else sa_data
    # (Python's socket module lacks AF_RXRPC: its number comes from the generated table)
    fam_name = fmt.enum(arch, "socket_family").get(fam)
    rxrpc = fam_name == "AF_RXRPC"
    if len(data) < _MIN_LEN_BY_NAME.get(fam_name or "", _MIN_LEN.get(fam, 0)):
        return f'{{{head}, sa_data="{q(data[2:])}"}}'
    if fam == socket.AF_INET and len(data) >= 8:
        port = struct.unpack_from(">H", data, 2)[0]
        addr = socket.inet_ntop(socket.AF_INET, data[4:8])
        if verbose:
            hx = "".join(f"\\x{c:02x}" for c in data[2:4])
            ha = "".join(f"\\x{c:02x}" for c in data[4:8])
            if verbose == 2:
                return f'{{{head}, sin_port="{hx}", sin_addr="{ha}"}}'
            return (f'{{{head}, sin_port="{hx}" /* htons({port}) */, '
                    f'sin_addr="{ha}" /* inet_addr("{addr}") */}}')
        return f'{{{head}, sin_port=htons({port}), sin_addr=inet_addr("{q(addr.encode())}")}}'
    if fam == socket.AF_INET6 and len(data) >= 24:
        port, flow = struct.unpack_from(">HI", data, 2)
        addr = socket.inet_ntop(socket.AF_INET6, data[8:24])
        scope = _scope_id(data, verbose)
        if verbose:
            hp, hf, ha = ("".join(f"\\x{c:02x}" for c in data[a:b]) for a, b in ((2, 4), (4, 8), (8, 24)))
            if verbose == 2:
                return f'{{{head}, sin6_port="{hp}", sin6_flowinfo="{hf}", sin6_addr="{ha}"{scope}}}'
            return (f'{{{head}, sin6_port="{hp}" /* htons({port}) */, sin6_flowinfo="{hf}" /* htonl({flow}) */, '
                    f'sin6_addr="{ha}" /* inet_pton(AF_INET6, "{q(addr.encode())}") */{scope}}}')
        return (f'{{{head}, sin6_port=htons({port}), sin6_flowinfo=htonl({flow}), '
                f'inet_pton(AF_INET6, "{q(addr.encode())}", &sin6_addr){scope}}}')
    if fam == socket.AF_UNIX:
        # strace print_sockaddr_data_un: at most sun_path's 108 bytes; a path up to its NUL, an
        # abstract name (unix(7)) with a leading @ and every byte of the length
        path = data[2:110]
        if path[:1] == b"\0":
            return f'{{{head}, sun_path=@"{q(path[1:])}"}}'
        return f'{{{head}, sun_path="{q(path.split(bytes(1), 1)[0])}"}}'
    if fam == socket.AF_PACKET:
        return sockaddr_ll.sockaddr_ll(data, arch, head, verbose)
    if fam == socket.AF_AX25:
        return sockaddr_ax25.sockaddr_ax25(data, head, verbose)
    if fam == socket.AF_X25:
        return sockaddr_x25.sockaddr_x25(data, head, xflag)
    if fam == socket.AF_IPX:
        return sockaddr_ipx.sockaddr_ipx(data, head)
    if fam_name == "AF_NFC":
        return sockaddr_nfc.sockaddr_nfc(data, arch, head, verbose, xflag)
    if fam_name == "AF_XDP":
        return sockaddr_xdp.sockaddr_xdp(data, arch, head, verbose, fd)
    if fam_name == "AF_MCTP":
        return sockaddr_mctp.sockaddr_mctp(data, arch, head, verbose)
    if fam_name == "AF_IEEE802154":
        return sockaddr_ieee802154.sockaddr_ieee802154(data, arch, head, verbose)
    if fam == socket.AF_ALG:
        return sockaddr_alg.sockaddr_alg(data, arch, head, verbose, xflag)
    if fam == socket.AF_VSOCK:
        return sockaddr_vsock.sockaddr_vsock(data, arch, head, verbose)
    if fam == socket.AF_QIPCRTR:
        return sockaddr_qrtr.sockaddr_qrtr(data, arch, head, verbose)
    if rxrpc:
        return sockaddr_rxrpc.sockaddr_rxrpc(data, arch, head, verbose, xflag,
                                             lambda t: sockaddr(t, arch, verbose, xflag))
    if fam == socket.AF_NETLINK:
        pad, nl_pid, groups = struct.unpack_from("<HiI", data, 2)
        # strace PRINT_FIELD_0X is "%#0*x": 0 has no 0x; nl_pad only when set
        shown = f"{groups:#010x}" if groups else "00000000"
        pad_text = f"nl_pad={pad:#x}, " if pad else ""
        return f"{{{head}, {pad_text}nl_pid={pid(nl_pid)}, nl_groups={shown}}}"
    return f'{{{head}, sa_data="{q(data[2:])}"}}'


def sockaddr_value(data: bytes, arch: str) -> SockAddr | None:
    """The structured form of a socket address (``syscope.events.SockAddr``): the family by
    name, the address as text (IPv4/IPv6, or the unix path; an abstract unix name as ``@name``,
    unix(7)) and the port; None when there is no family (fewer than 2 bytes)."""
    if len(data) < 2:
        return None
    fam = struct.unpack_from("<H", data)[0]
    name = fmt.enum(arch, "socket_family").get(fam) or str(fam)
    if fam == socket.AF_INET and len(data) >= 8:
        return SockAddr(name, socket.inet_ntop(socket.AF_INET, data[4:8]), struct.unpack_from(">H", data, 2)[0])
    if fam == socket.AF_INET6 and len(data) >= 24:
        return SockAddr(name, socket.inet_ntop(socket.AF_INET6, data[8:24]), struct.unpack_from(">H", data, 2)[0])
    if fam == socket.AF_UNIX:
        path = data[2:]
        if not path:
            return SockAddr(name)  # an unnamed socket (unix(7))
        if path[:1] == b"\0":
            return SockAddr(name, "@" + os.fsdecode(path[1:].rstrip(b"\0")))
        return SockAddr(name, os.fsdecode(path.split(b"\0", 1)[0]))
    return SockAddr(name)
