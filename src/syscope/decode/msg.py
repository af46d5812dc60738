"""Ancillary data of sendmsg/recvmsg (cmsg(3), unix(7), socket(7)): the control buffer is a
sequence of struct cmsghdr {size_t cmsg_len; int cmsg_level; int cmsg_type;} each followed by
its data and padded to the size of a word (CMSG_ALIGN in linux/socket.h)."""

from __future__ import annotations

import functools
import socket
import struct
from collections.abc import Callable

from syscope.decode import fmt, more


def cmsgs(data: bytes, word: int, arch: str, fd: Callable[[int], str], xflag: int = 0,
          verbose: int = 0, limit: int = 1 << 30, addr: int = 0, in_len: int | None = None) -> str:
    """``[{cmsg_len=20, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[5]}]``.  The type
    is named for SOL_SOCKET (SCM_*) and SOL_IP (ip(7) control messages share the option names),
    a number otherwise; the data is shown only for the types decoded here."""
    hdr = word + 8
    code = "<Qii" if word == 8 else "<Iii"
    levels = fmt.enum(arch, "sockopt_level", verbose)
    lv = {n: v for v, n in fmt.consts(arch).get("sockopt_level", [])}
    by_level = {lv.get("SOL_SOCKET", 1): _scm_types(arch, verbose),
                lv.get("SOL_IP", 0): fmt.enum(arch, "sol_ip", verbose)}
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
        shown = _data(tname or "", body, fd, xflag, limit, arch, verbose)
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


@functools.cache
def _scm_types(arch: str, verbose: int) -> fmt.Enum:
    """The SOL_SOCKET control message types as strace's scmvals: the SCM_* and SO_TIMESTAMP*
    ones, SCM_SECURITY (a kernel-internal name) and the options that double as types."""
    c = fmt.consts(arch)
    rows = c.get("scm_type", []) + c.get("scm_kernel", [])
    rows += [(v, n) for v, n in c.get("sol_socket", []) if n in ("SO_WIFI_STATUS", "SO_TXTIME")]
    return fmt.Enum(rows, "SCM_", verbose)


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


def _data(tname: str, body: bytes, fd: Callable[[int], str], xflag: int, limit: int, arch: str,
          verbose: int) -> str | None:
    """cmsg_data as strace's cmsg printers (msghdr.c), each only when the data is at least as long
    as its minimum."""
    if tname in ("IP_TTL", "IP_CHECKSUM") and len(body) >= 4:
        return _array([str(v) for v in struct.unpack_from(f"<{len(body) // 4}I", body)], limit)
    if tname in ("IP_TOS", "IP_RECVOPTS", "IP_RETOPTS") and body:
        return _array([fmt.hexnum(b) for b in body], limit)  # print_cmsg_xint8_t
    if tname == "IP_ORIGDSTADDR" and len(body) >= 16:  # a struct sockaddr_in
        return more.sockaddr(body, arch, verbose, xflag)
    if tname == "SCM_RIGHTS" and len(body) >= 4:
        n = len(body) // 4
        fds = [fd(v) for v in struct.unpack_from(f"<{n}i", body)]
        if len(fds) > limit:  # print_array(): -s elements, then "..."
            fds = fds[:limit] + ["..."]
        return "[" + ", ".join(fds) + "]"
    if tname == "SCM_CREDENTIALS" and len(body) >= 12:
        pid, uid, gid = struct.unpack_from("<iII", body)  # struct ucred (linux/socket.h)
        return f"{{pid={pid}, uid={uid}, gid={gid}}}"
    if tname in ("SO_TIMESTAMP_OLD", "SO_TIMESTAMPNS_OLD", "SO_TIMESTAMP_NEW", "SO_TIMESTAMPNS_NEW") \
            and len(body) >= 16:
        # struct timeval / timespec (socket(7)); the _NEW ones are __kernel_sock_timeval and
        # __kernel_timespec, 64-bit on every arch (linux/time_types.h)
        sec, frac = struct.unpack_from("<qQ", body)
        return f"{{tv_sec={sec}, tv_{'usec' if tname.startswith('SO_TIMESTAMP_') else 'nsec'}={frac}}}"
    if tname == "IP_PKTINFO" and len(body) >= 12:
        # struct in_pktinfo (linux/in.h): int ipi_ifindex, ipi_spec_dst, ipi_addr
        idx = struct.unpack_from("<i", body)[0]
        try:
            ifname = f'if_nametoindex("{socket.if_indextoname(idx)}")'
        except OSError:
            ifname = str(idx)
        dst, addr = (socket.inet_ntop(socket.AF_INET, body[k:k + 4]) for k in (4, 8))
        return f'{{ipi_ifindex={ifname}, ipi_spec_dst=inet_addr("{dst}"), ipi_addr=inet_addr("{addr}")}}'
    if tname and tname != "SCM_RIGHTS" and body:  # each printer has a minimum length, 1 at least
        return '"' + fmt.quote(body, xflag) + '"' if tname.startswith("SCM_") else None
    return None
