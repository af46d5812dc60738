"""Ancillary data of sendmsg/recvmsg (cmsg(3), unix(7), socket(7)): the control buffer is a
sequence of struct cmsghdr {size_t cmsg_len; int cmsg_level; int cmsg_type;} each followed by
its data and padded to the size of a word (CMSG_ALIGN in linux/socket.h)."""

from __future__ import annotations

import socket
import struct
from typing import NamedTuple

from syscope.decode import fmt, sockaddr
from syscope.decode.sockaddr_ll import ifindex
from syscope.lean import cache
from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable


def cmsgs(data: bytes, word: int, arch: str, fd: Callable[[int], str], xflag: int = 0,
          verbose: int = 0, limit: int = 1 << 30, addr: int = 0, in_len: int | None = None,
          pid: Callable[[int], str] = str) -> str:
    """``[{cmsg_len=20, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[5]}]``.  The type
    is named for SOL_SOCKET (SCM_*) and SOL_IP (ip(7) control messages share the option names),
    a number otherwise; the data is shown only for the types decoded here.  fd prints a
    descriptor (SCM_RIGHTS), pid a process id of the tracee's namespace (SCM_CREDENTIALS)."""
    hdr = word + 8
    code = "<Qii" if word == 8 else "<Iii"
    levels = fmt.enum(arch, "sockopt_level", verbose)
    lv = {n: v for v, n in fmt.consts(arch).get("sockopt_level", [])}
    by_level = {lv.get("SOL_SOCKET", 1): _scm_types(arch, verbose),
                lv.get("SOL_IP", 0): _ip_types(arch, verbose)}
    items = []
    off = 0
    left = len(data)
    # strace decode_msg_control(): each header while a whole one is left, its data cut at the
    # end of the buffer; "... /* ADDR */" where bytes too few for a header remain, "..." when
    # the buffer was longer than what was read (net.core.optmem_max)
    while left >= hdr:
        clen, level, typ = struct.unpack_from(code, data, off)
        lvl = levels(level & 0xFFFFFFFF) if levels.get(level & 0xFFFFFFFF) else str(level)
        table = by_level.get(level)
        utyp = typ & 0xFFFFFFFF  # printed as an unsigned int (strace: printxval, PRINT_VAL_X)
        tname = table.get(utyp) if table is not None else None
        tshown = table(utyp) if table is not None else fmt.hexnum(utyp)
        head = f"cmsg_len={clen}, cmsg_level={lvl}, cmsg_type={tshown}"
        if clen < hdr:
            items.append("{" + head + "}")
            left -= hdr
            break
        body = data[off + hdr: off + min(clen, left)]
        shown = _data(tname or "", body, _Ctx(fd, xflag, limit, arch, verbose, word, pid))
        items.append("{" + head + (f", cmsg_data={shown}" if shown is not None else "") + "}")
        step = (clen + word - 1) // word * word
        if step >= left:
            left = 0
            break
        off += step
        left -= step
    if left:
        items.append(f"... /* {fmt.ptr(addr + len(data) - left)} */")
    elif in_len is not None and len(data) < in_len:
        items.append("...")
    return "[" + ", ".join(items) + "]"


@cache
def _scm_types(arch: str, verbose: int) -> fmt.Enum:
    """The SOL_SOCKET control message types as strace's scmvals: the SCM_* and SO_TIMESTAMP*
    ones, SCM_SECURITY (a kernel-internal name) and the options that double as types."""
    c = fmt.consts(arch)
    rows = c.get("scm_type", []) + c.get("scm_kernel", [])
    rows += [(v, n) for v, n in c.get("sol_socket", []) if n in ("SO_WIFI_STATUS", "SO_TXTIME")]
    return fmt.Enum(rows, "SCM_", verbose)


@cache
def _ip_types(arch: str, verbose: int) -> fmt.Enum:
    """The SOL_IP control message types as strace's ip_cmsg_types: the IP_* options the kernel
    sends as control messages (ip(7)) and SCM_SECURITY, which ip_cmsg_recv_security() sends at
    this level with its SOL_SOCKET number (net/ipv4/ip_sockglue.c)."""
    c = fmt.consts(arch)
    return fmt.Enum(c.get("ip_cmsg_types", []) + c.get("scm_kernel", []), "IP_", verbose)


def optmem_max() -> int:
    """The most ancillary data the kernel takes (net.core.optmem_max, socket(7)): strace reads
    no more of a control buffer."""
    global _OPTMEM
    if _OPTMEM is None:
        try:
            with open("/proc/sys/net/core/optmem_max") as f:
                _OPTMEM = int(f.read())
        except (OSError, ValueError):
            _OPTMEM = 20480  # the kernel's default (sysctl_optmem_max)
    return _OPTMEM


_OPTMEM: int | None = None


def _array(items: list[str], limit: int) -> str:
    if len(items) > limit:  # print_array(): -s elements, then "..."
        items = items[:limit] + ["..."]
    return "[" + ", ".join(items) + "]"


class _Ctx(NamedTuple):  # not a frozen dataclass: its class costs the tracer's start-up ~0.5 ms
    """What a control message's data printer needs besides the bytes."""

    fd: Callable[[int], str]  # a descriptor as -y decorates it
    xflag: int  # -x/-xx
    limit: int  # array elements before "..."
    arch: str
    verbose: int  # the -X style
    word: int  # sizeof(long): the _OLD timestamps are kernel longs
    pid: Callable[[int], str]  # a pid of the tracee's namespace as -Y/--pidns-translation print it


def _uints(body: bytes, c: _Ctx) -> str:
    return _array([str(v) for v in struct.unpack_from(f"<{len(body) // 4}I", body)], c.limit)


def _xint8s(body: bytes, c: _Ctx) -> str:
    return _array([fmt.hexnum(b) for b in body], c.limit)  # print_cmsg_xint8_t


def _fds(body: bytes, c: _Ctx) -> str:
    return _array([c.fd(v) for v in struct.unpack_from(f"<{len(body) // 4}i", body)], c.limit)


def _ucred(body: bytes, c: _Ctx) -> str:
    pid, uid, gid = struct.unpack_from("<iII", body)  # struct ucred (linux/socket.h)
    return f"{{pid={c.pid(pid)}, uid={uid}, gid={gid}}}"  # msghdr.c print_scm_creds: PRINT_FIELD_TGID


def _security(body: bytes, c: _Ctx) -> str:
    return '"' + fmt.quote(body, c.xflag) + '"'


def _times(code: str, frac: str, count: int) -> Callable[[bytes, _Ctx], str]:
    """Timestamps (socket(7) SO_TIMESTAMP*): a struct timeval/timespec, or SO_TIMESTAMPING's
    array of three (struct scm_timestamping); ``???`` when the data is shorter (strace's
    print_*_data_size).  tv_sec signed, the fraction printed unsigned."""
    size = struct.calcsize(code)

    def times(body: bytes, c: _Ctx) -> str:
        if len(body) < size * count:
            return "???"
        vals = [f"{{tv_sec={s}, tv_{frac}={f}}}" for s, f in struct.iter_unpack(code, body[:size * count])]
        return vals[0] if count == 1 else "[" + ", ".join(vals) + "]"
    return times


def _old_times(frac: str, count: int) -> Callable[[bytes, _Ctx], str]:
    """The _OLD timestamps: struct timeval / timespec of kernel longs (asm/socket.h)."""
    by_word = {8: _times("<qQ", frac, count), 4: _times("<iI", frac, count)}
    return lambda body, c: by_word[c.word](body, c)


def _pktinfo(body: bytes, c: _Ctx) -> str:
    # struct in_pktinfo (linux/in.h): int ipi_ifindex, ipi_spec_dst, ipi_addr; strace's
    # PRINT_FIELD_IFINDEX and PRINT_FIELD_INET_ADDR, in the -X style: raw, the number and the
    # address bytes; verbose, those with the readable form in a comment
    idx = struct.unpack_from("<i", body)[0]
    addrs = []
    for k in (4, 8):
        text = f'inet_addr("{socket.inet_ntop(socket.AF_INET, body[k:k + 4])}")'
        if c.verbose:
            hexed = '"' + "".join(f"\\x{b:02x}" for b in body[k:k + 4]) + '"'
            text = hexed if c.verbose == 2 else f"{hexed} /* {text} */"
        addrs.append(text)
    return f"{{ipi_ifindex={ifindex(idx, c.verbose)}, ipi_spec_dst={addrs[0]}, ipi_addr={addrs[1]}}}"


def _recverr(body: bytes, c: _Ctx) -> str:
    # struct sock_extended_err (linux/errqueue.h) and the offender's struct sockaddr_in after it
    errno_, origin, type_, code, _pad, info, data = struct.unpack_from("<IBBBBII", body)
    return (f"{{ee_errno={errno_}, ee_origin={origin}, ee_type={type_}, ee_code={code}, ee_info={info}, "
            f"ee_data={data}, offender={sockaddr.sockaddr(body[16:32], c.arch, c.verbose, c.xflag, c.fd, c.pid)}}}")


def _origdstaddr(body: bytes, c: _Ctx) -> str:
    return sockaddr.sockaddr(body[:128], c.arch, c.verbose, c.xflag, c.fd, c.pid)  # at most a sockaddr_storage


# cmsg_data printers by type name, and the least data each needs (strace msghdr.c
# cmsg_socket_printers / cmsg_ip_printers; a type without one prints no cmsg_data)
_PRINTERS: dict[str, tuple[int, Callable[[bytes, _Ctx], str]]] = {
    "SCM_RIGHTS": (4, _fds),
    "SCM_CREDENTIALS": (12, _ucred),
    "SCM_SECURITY": (1, _security),
    "SO_TIMESTAMP_OLD": (1, _old_times("usec", 1)),
    "SO_TIMESTAMPNS_OLD": (1, _old_times("nsec", 1)),
    "SO_TIMESTAMPING_OLD": (1, _old_times("nsec", 3)),
    # __kernel_sock_timeval and __kernel_timespec: 64-bit on every arch (linux/time_types.h)
    "SO_TIMESTAMP_NEW": (1, _times("<qQ", "usec", 1)),
    "SO_TIMESTAMPNS_NEW": (1, _times("<qQ", "nsec", 1)),
    "SO_TIMESTAMPING_NEW": (1, _times("<qQ", "nsec", 3)),
    "IP_PKTINFO": (12, _pktinfo),
    "IP_TTL": (4, _uints),
    "IP_TOS": (1, _xint8s),
    "IP_RECVOPTS": (1, _xint8s),
    "IP_RETOPTS": (1, _xint8s),
    "IP_RECVERR": (32, _recverr),
    "IP_ORIGDSTADDR": (16, _origdstaddr),
    "IP_CHECKSUM": (4, _uints),
}


def _data(tname: str, body: bytes, c: _Ctx) -> str | None:
    """cmsg_data as strace's cmsg printers (msghdr.c), each only when the data is at least as long
    as its minimum."""
    printer = _PRINTERS.get(tname)
    if printer is None or len(body) < printer[0]:
        return None
    return printer[1](body, c)
