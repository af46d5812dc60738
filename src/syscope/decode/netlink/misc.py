"""Small netlink protocols: SELinux notifications (linux/selinux_netlink.h) and udev's
kobject_uevent messages (struct udev_monitor_netlink_header, as strace prints them)."""

from __future__ import annotations

import struct
from typing import Any

from syscope.decode import fmt
from syscope.decode.fmt import ptr
from syscope.decode.netlink.core import Ctx


def selinux_payload(ctx: Ctx, h: Any, addr: int, n: int) -> str | None:
    """SELNL_MSG_SETENFORCE's {val} (int), SELNL_MSG_POLICYLOAD's {seqno} (u32)."""
    name = ctx.name("nl_selinux_types", h.type)
    if name not in ("SELNL_MSG_SETENFORCE", "SELNL_MSG_POLICYLOAD"):
        return None
    if n < 4:
        return ctx.hexstr(addr, n)
    data = ctx.read(addr, 4)
    if data is None:
        return ptr(addr)
    if name == "SELNL_MSG_SETENFORCE":
        return f"{{val={struct.unpack('<i', data)[0]}}}"
    return f"{{seqno={struct.unpack('<I', data)[0]}}}"


# struct udev_monitor_netlink_header (systemd's libudev): char prefix[8] "libudev", then
# big-endian magic, then the header, properties offset and length, then four big-endian hashes
_UDEV = struct.Struct("<8s4sIII4s4s4s4s")


def kobject_uevent(ctx: Ctx, addr: int, n: int) -> str:
    data = ctx.read(addr, _UDEV.size) if addr and n >= _UDEV.size else None
    if data is None or not data.startswith(b"libudev\0"):
        return ctx.strn(addr, n)
    prefix, magic, hsize, poff, plen, sub, dev, hi, lo = _UDEV.unpack(data)

    def htonl(b: bytes) -> str:
        return f"htonl({fmt.hexnum(int.from_bytes(b, 'big'))})"
    text = (f'{{prefix="libudev", magic={htonl(magic)}, header_size={hsize}, properties_off={poff}, '
            f"properties_len={plen}, filter_subsystem_hash={htonl(sub)}, filter_devtype_hash={htonl(dev)}, "
            f"filter_tag_bloom_hi={htonl(hi)}, filter_tag_bloom_lo={htonl(lo)}}}")
    if n > _UDEV.size:
        return f"[{text}, {ctx.strn(addr + _UDEV.size, n - _UDEV.size)}]"
    return text
