"""Ancillary data of sendmsg/recvmsg (cmsg(3), unix(7), socket(7)): the control buffer is a
sequence of struct cmsghdr {size_t cmsg_len; int cmsg_level; int cmsg_type;} each followed by
its data and padded to the size of a word (CMSG_ALIGN in linux/socket.h)."""

from __future__ import annotations

import struct
from collections.abc import Callable

from syscope.decode import fmt


def cmsgs(data: bytes, word: int, arch: str, fd: Callable[[int], str], xflag: int = 0,
          verbose: int = 0, limit: int = 1 << 30) -> str:
    """``[{cmsg_len=20, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[5]}]``."""
    hdr = word + 8
    code = "<Qii" if word == 8 else "<Iii"
    levels = fmt.enum(arch, "sockopt_level", verbose)
    types = fmt.enum(arch, "scm_type", verbose)
    sol_socket = next((v for v, n in fmt.consts(arch).get("sockopt_level", []) if n == "SOL_SOCKET"), 1)
    items = []
    off = 0
    while off + hdr <= len(data):
        clen, level, typ = struct.unpack_from(code, data, off)
        lvl = levels(level & 0xFFFFFFFF) if levels.get(level & 0xFFFFFFFF) else str(level)
        is_sock = level == sol_socket
        tname = (types.get(typ) if is_sock else None) or str(typ)
        tshown = types(typ) if is_sock and types.get(typ) else str(typ)
        head = f"cmsg_len={clen}, cmsg_level={lvl}, cmsg_type={tshown}"
        if clen < hdr:
            items.append("{" + head + "}")
            break
        body = data[off + hdr: off + min(clen, len(data) - off)]
        items.append("{" + head + ", cmsg_data=" + _data(tname if is_sock else "", body, fd, xflag, limit) + "}")
        off += (clen + word - 1) // word * word
    return "[" + ", ".join(items) + "]"


def _data(tname: str, body: bytes, fd: Callable[[int], str], xflag: int, limit: int) -> str:
    if tname == "SCM_RIGHTS":
        n = len(body) // 4
        fds = [fd(v) for v in struct.unpack_from(f"<{n}i", body)]
        if len(fds) > limit:  # print_array(): -s elements, then "..."
            fds = fds[:limit] + ["..."]
        return "[" + ", ".join(fds) + "]"
    if tname == "SCM_CREDENTIALS" and len(body) >= 12:
        pid, uid, gid = struct.unpack_from("<iII", body)  # struct ucred (linux/socket.h)
        return f"{{pid={pid}, uid={uid}, gid={gid}}}"
    return '"' + fmt.quote(body, xflag) + '"'
