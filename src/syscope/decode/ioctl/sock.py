"""Socket requests (type 0x89, linux/sockios.h), as strace's sock.c: SIOCGIFCONF, the int
ones, the struct ifreq requests (netdevice(7): the interface's name, then the member the
command reads or the kernel writes), the bridge ones, and the address of the rest."""

from __future__ import annotations

import socket
import struct

from syscope.decode import fmt, sockaddr
from syscope.decode.ioctl import tables
from syscope.decode.ioctl.core import SNAPSHOT, Call, Requests, by_name, cstr, family, simple
from syscope.lean import cache

_SPECS = {"SIOCGIFCONF": "ifconf", "FIOGETOWN": "out:i", "SIOCATMARK": "out:i", "SIOCGIFENCAP": "out:i",
          "SIOCGPGRP": "out:i", "SIOCOUTQNSD": "out:i", "FIOSETOWN": "in:i", "SIOCSIFENCAP": "in:i",
          "SIOCSPGRP": "in:i"}
# struct ifreq: ifr_name[16], then the union; what of it each command reads or writes (the
# union member strace prints): "S..." the call's input, "G..." the kernel's answer
_IFREQ_MEMBERS = {"ADDR": "ifr_addr", "DSTADDR": "ifr_dstaddr", "BRDADDR": "ifr_broadaddr", "NETMASK": "ifr_netmask",
                  "HWADDR": "ifr_hwaddr", "HWBROADCAST": "ifr_hwaddr", "FLAGS": "ifr_flags", "INDEX": "ifr_ifindex",
                  "METRIC": "ifr_metric", "MTU": "ifr_mtu", "SLAVE": "ifr_slave", "NAME": "ifr_newname",
                  "TXQLEN": "ifr_qlen", "MAP": "ifr_map"}
_SPECS.update({f"SIOC{way}IF{cmd}": f"ifreq_{way}" for cmd in _IFREQ_MEMBERS for way in "SG"})
_SPECS.update({"SIOCADDMULTI": "ifreq_S", "SIOCDELMULTI": "ifreq_S", "SIOCBRADDBR": "brname",
               "SIOCBRDELBR": "brname", "SIOCBRADDIF": "brif", "SIOCBRDELIF": "brif"})
# the requests strace prints the address of (sock.c: routing, ARP, bonding, MII, stamps ...)
_SPECS.update(dict.fromkeys((
    "SIOCADDDLCI", "SIOCADDRT", "SIOCBONDCHANGEACTIVE", "SIOCBONDENSLAVE", "SIOCBONDINFOQUERY", "SIOCBONDRELEASE",
    "SIOCBONDSETHWADDR", "SIOCBONDSLAVEINFOQUERY", "SIOCDARP", "SIOCDELDLCI", "SIOCDELRT", "SIOCDIFADDR",
    "SIOCDRARP", "SIOCETHTOOL", "SIOCGARP", "SIOCGHWTSTAMP", "SIOCGIFBR", "SIOCGIFCOUNT", "SIOCGIFMEM",
    "SIOCGIFPFLAGS", "SIOCGIFVLAN", "SIOCGMIIPHY", "SIOCGMIIREG", "SIOCGRARP", "SIOCGSKNS", "SIOCGSTAMP_OLD",
    "SIOCGSTAMP_NEW", "SIOCGSTAMPNS_OLD", "SIOCGSTAMPNS_NEW", "SIOCRTMSG", "SIOCSARP", "SIOCSHWTSTAMP", "SIOCSIFBR",
    "SIOCSIFLINK", "SIOCSIFMEM", "SIOCSIFPFLAGS", "SIOCSIFVLAN", "SIOCSMIIREG", "SIOCSRARP", "SIOCWANDEV"), "addr"))
_IFREQ = {8: 40, 4: 32}  # sizeof(struct ifreq): ifr_name[16] and a 24 (16 on 32-bit) byte union


# the struct ifconf the call was given is kept at entry: the kernel rewrites ifc_len
SNAPSHOT.add("SIOCGIFCONF")


_REQUESTS = Requests(_SPECS)


def _len(n: int, size: int) -> str:
    """print_ifc_len: the length, and how many struct ifreq it holds."""
    count = (n & 0xFFFFFFFF) // size
    return f"{n} /* {count} * sizeof(struct ifreq) */" if n > 0 and count * size == n else str(n)


@family(0x89)
def sock(c: Call) -> str | None:
    spec = _REQUESTS.spec(c)
    if spec is None:
        return None
    if spec.startswith("ifreq"):
        return _ifreq(c, spec)
    if spec == "brname":
        return _brname(c)
    if spec == "brif":
        return _brif(c)
    if spec == "addr":
        return c.addr()
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
        return f"{{ifr_name={quoted}, ifr_addr={sockaddr.sockaddr(b[16:32], c.arch, c.xs, c.d.opts.xflag)}}}"
    return text + f", ifc_buf={c.d.array(c.mem, abuf, (alen & 0xFFFFFFFF) // ifr, ifr, one)}}}"


@cache
def _hwaddr_lengths(arch: str) -> dict[int, int]:
    """ARPHRD value -> its address length (spec.HWADDR_LENGTHS, print_mac.c), by the value's
    first name; made once per arch, not at each call."""
    known = {v: n for v, n in reversed(fmt.consts(arch).get("arp_hardware_types", []))}
    lengths = {n: v for v, n in tables.rows(arch, "hwaddr_lengths")}
    return {v: lengths[n] for v, n in known.items() if n in lengths}


def _hwaddr(c: Call, u: bytes) -> str:
    fam = struct.unpack_from("<H", u)[0]
    # a type without a length shows all of sa_data
    data = u[2:2 + min(_hwaddr_lengths(c.arch).get(fam, 14), 14)]
    return f"{{sa_family={c.xval('arp_hardware_types', fam)}, sa_data={fmt.mac_addr(data, c.xs)}}}"


def _member(c: Call, member: str, u: bytes) -> str:
    """print_ifreq: the union member the command uses."""
    if member in ("ifr_addr", "ifr_dstaddr", "ifr_broadaddr", "ifr_netmask"):
        return sockaddr.sockaddr(u[:16], c.arch, c.xs, c.d.opts.xflag)
    if member == "ifr_hwaddr":
        return _hwaddr(c, u)
    if member == "ifr_flags":
        return c.flags("iffflags", struct.unpack_from("<H", u)[0])
    if member in ("ifr_slave", "ifr_newname"):
        return cstr(c, u[:16])
    if member == "ifr_map":
        if c.word == 8:
            start, end, base, irq, dma, port = struct.unpack_from("<QQHBBB", u)
        else:
            start, end, base, irq, dma, port = struct.unpack_from("<IIHBBB", u)
        return (f"{{mem_start={fmt.hexnum(start)}, mem_end={fmt.hexnum(end)}, base_addr={fmt.hexnum(base)}, "
                f"irq={fmt.hexnum(irq)}, dma={fmt.hexnum(dma)}, port={fmt.hexnum(port)}}}")
    return str(struct.unpack_from("<i", u)[0])  # ifr_ifindex, ifr_metric, ifr_mtu, ifr_qlen


@cache
def _members(arch: str) -> dict[int, str]:
    out = by_name(arch, {f"SIOC{w}IF{cmd}": m for cmd, m in _IFREQ_MEMBERS.items() for w in "SG"})
    out.update(by_name(arch, {"SIOCADDMULTI": "ifr_hwaddr", "SIOCDELMULTI": "ifr_hwaddr", "SIOCGIFNAME": "ifr_name"}))
    return out


def _ifreq(c: Call, spec: str) -> str:
    data = c.read(_IFREQ[c.word])
    if data is None:
        return c.addr()
    member = _members(c.arch)[c.code]
    name, u = data[:16], data[16:]
    if spec == "ifreq_S":
        return f"{{ifr_name={cstr(c, name)}, {member}={_member(c, member, u)}}}"
    # a G request: what the call gave at entry (the name, or SIOCGIFNAME's index), then what
    # the kernel wrote when it succeeded
    if member == "ifr_name":
        head = f"{{ifr_ifindex={struct.unpack_from('<i', u)[0]}"
    else:
        head = f"{{ifr_name={cstr(c, name)}"
    if c.failed:
        return head + "}"
    return head + f", {member}={cstr(c, name) if member == 'ifr_name' else _member(c, member, u)}}}"


def _brname(c: Call) -> str:
    """printstr_ex(arg, IFNAMSIZ, QUOTE_0_TERMINATED): up to 16 bytes to a NUL; an unreadable
    one before the NUL prints the address."""
    if not c.arg:
        return "NULL"
    if not c.verbose:
        return c.addr()
    room = min(16, 4096 - c.arg % 4096)
    data = c.mem.read(c.arg, room)
    if data is None or len(data) < room:
        return c.addr()
    end = data.find(b"\0")
    if end < 0 and room < 16:
        more_data = c.mem.read(c.arg + room, 16 - room)
        if more_data is None or len(more_data) < 16 - room:
            return c.addr()
        data += more_data
        end = data.find(b"\0")
    text = data[:end] if end >= 0 else data
    return '"' + fmt.quote(text, c.d.opts.xflag) + '"' + ("..." if end < 0 else "")


def _brif(c: Call) -> str:
    data = c.read(_IFREQ[c.word])
    if data is None:
        return c.addr()
    idx = struct.unpack_from("<i", data, 16)[0]
    try:
        text = f'if_nametoindex("{socket.if_indextoname(idx)}")' if idx > 0 else str(idx)
    except OSError:
        text = str(idx)
    return f"{{ifr_ifindex={text}}}"
