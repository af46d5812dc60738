"""Socket requests (type 0x89, linux/sockios.h), as strace's sock.c: SIOCGIFCONF and the int
ones (the struct ifreq requests are not decoded yet: their argument prints in hex)."""

from __future__ import annotations

import struct
from functools import cache

from syscope.decode import fmt, more
from syscope.decode.ioctl.core import SNAPSHOT, Call, by_name, family, simple

_SPECS = {"SIOCGIFCONF": "ifconf", "FIOGETOWN": "out:i", "SIOCATMARK": "out:i", "SIOCGIFENCAP": "out:i",
          "SIOCGPGRP": "out:i", "SIOCOUTQNSD": "out:i", "FIOSETOWN": "in:i", "SIOCSIFENCAP": "in:i",
          "SIOCSPGRP": "in:i"}
_IFREQ = {8: 40, 4: 32}  # sizeof(struct ifreq): ifr_name[16] and a 24 (16 on 32-bit) byte union


# the struct ifconf the call was given is kept at entry: the kernel rewrites ifc_len
SNAPSHOT.add("SIOCGIFCONF")


@cache
def _codes(arch: str) -> dict[int, str]:
    return by_name(arch, _SPECS)


def _len(n: int, size: int) -> str:
    """print_ifc_len: the length, and how many struct ifreq it holds."""
    count = (n & 0xFFFFFFFF) // size
    return f"{n} /* {count} * sizeof(struct ifreq) */" if n > 0 and count * size == n else str(n)


@family(0x89)
def sock(c: Call) -> str | None:
    spec = _codes(c.arch).get(c.code)
    if spec is None:
        return None
    if spec != "ifconf":
        return simple(c, spec)
    # struct ifconf {int ifc_len; union {char *ifc_buf; struct ifreq *ifc_req}}
    code = "i4xQ" if c.word == 8 else "iI"
    size = struct.calcsize("<" + code)
    before = c.read_entry(size) if c.entry is not None else c.read(size)
    if before is None:
        return c.addr()
    elen, ebuf = struct.unpack("<" + code, before)
    ifr = _IFREQ[c.word]
    text = "{ifc_len=" + (_len(elen, ifr) if ebuf else "")
    after = c.read(size)
    if after is None:
        return (text if ebuf else text + _len(elen, ifr)) + f", ifc_buf={fmt.ptr(ebuf)}}}"
    alen, abuf = struct.unpack("<" + code, after)
    if ebuf and elen != alen:
        text += " => "
    if not ebuf or elen != alen:
        text += _len(alen, ifr)
    if not ebuf or c.failed:
        text += f", ifc_buf={fmt.ptr(ebuf)}"
        return text + (f" => {fmt.ptr(abuf)}}}" if abuf != ebuf else "}")

    def one(b: bytes) -> str:
        end = b[:16].find(b"\0")
        name = b[:end] if end >= 0 else b[:15]
        quoted = '"' + fmt.quote(name, c.d.opts.xflag) + '"' + ("..." if end < 0 else "")
        return f"{{ifr_name={quoted}, ifr_addr={more.sockaddr(b[16:32], c.arch, c.xs, c.d.opts.xflag)}}}"
    return text + f", ifc_buf={c.d.array(c.mem, abuf, (alen & 0xFFFFFFFF) // ifr, ifr, one)}}}"
