"""Ancillary data of sendmsg/recvmsg (cmsg(3), unix(7), socket(7)): the control buffer is a
sequence of struct cmsghdr {size_t cmsg_len; int cmsg_level; int cmsg_type;} each followed by
its data and padded to the size of a word (CMSG_ALIGN in linux/socket.h)."""

from __future__ import annotations

import socket
import struct
from collections.abc import Callable

from syscope.decode import fmt


def cmsgs(data: bytes, word: int, arch: str, fd: Callable[[int], str], xflag: int = 0,
          verbose: int = 0, limit: int = 1 << 30) -> str:
    """``[{cmsg_len=20, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[5]}]``.  The type
    is named for SOL_SOCKET (SCM_*) and SOL_IP (ip(7) control messages share the option names),
    a number otherwise; the data is shown only for the types decoded here."""
    hdr = word + 8
    code = "<Qii" if word == 8 else "<Iii"
    levels = fmt.enum(arch, "sockopt_level", verbose)
    lv = {n: v for v, n in fmt.consts(arch).get("sockopt_level", [])}
    by_level = {lv.get("SOL_SOCKET", 1): fmt.enum(arch, "scm_type", verbose),
                lv.get("SOL_IP", 0): fmt.enum(arch, "sol_ip", verbose)}
    items = []
    off = 0
    while off + hdr <= len(data):
        clen, level, typ = struct.unpack_from(code, data, off)
        lvl = levels(level & 0xFFFFFFFF) if levels.get(level & 0xFFFFFFFF) else str(level)
        table = by_level.get(level)
        tname = table.get(typ) if table is not None else None
        tshown = table(typ) if table is not None else f"{typ:#x}"
        head = f"cmsg_len={clen}, cmsg_level={lvl}, cmsg_type={tshown}"
        if clen < hdr:
            items.append("{" + head + "}")
            break
        body = data[off + hdr: off + min(clen, len(data) - off)]
        shown = _data(tname or "", body, fd, xflag, limit)
        items.append("{" + head + (f", cmsg_data={shown}" if shown is not None else "") + "}")
        off += (clen + word - 1) // word * word
    return "[" + ", ".join(items) + "]"


def _data(tname: str, body: bytes, fd: Callable[[int], str], xflag: int, limit: int) -> str | None:
    if tname == "SCM_RIGHTS":
        n = len(body) // 4
        fds = [fd(v) for v in struct.unpack_from(f"<{n}i", body)]
        if len(fds) > limit:  # print_array(): -s elements, then "..."
            fds = fds[:limit] + ["..."]
        return "[" + ", ".join(fds) + "]"
    if tname == "SCM_CREDENTIALS" and len(body) >= 12:
        pid, uid, gid = struct.unpack_from("<iII", body)  # struct ucred (linux/socket.h)
        return f"{{pid={pid}, uid={uid}, gid={gid}}}"
    if tname in ("SO_TIMESTAMP_OLD", "SO_TIMESTAMPNS_OLD") and len(body) >= 16:
        sec, frac = struct.unpack_from("<qq", body)  # struct timeval / timespec (socket(7))
        return f"{{tv_sec={sec}, tv_{'usec' if tname == 'SO_TIMESTAMP_OLD' else 'nsec'}={frac}}}"
    if tname == "IP_PKTINFO" and len(body) >= 12:
        # struct in_pktinfo (linux/in.h): int ipi_ifindex, ipi_spec_dst, ipi_addr
        idx = struct.unpack_from("<i", body)[0]
        try:
            ifname = f'if_nametoindex("{socket.if_indextoname(idx)}")'
        except OSError:
            ifname = str(idx)
        dst, addr = (socket.inet_ntop(socket.AF_INET, body[k:k + 4]) for k in (4, 8))
        return f'{{ipi_ifindex={ifname}, ipi_spec_dst=inet_addr("{dst}"), ipi_addr=inet_addr("{addr}")}}'
    if tname == "IP_TTL" and len(body) >= 4:
        return f"[{struct.unpack_from('<i', body)[0]}]"
    if tname == "IP_TOS" and body:
        return f"[{body[0]}]"
    if tname:
        return '"' + fmt.quote(body, xflag) + '"' if tname.startswith("SCM_") else None
    return None
