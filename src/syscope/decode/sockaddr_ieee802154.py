"""struct sockaddr_ieee802154 as strace's sockaddr.c prints it.  The kernel does not export it
to userspace (include/net/af_ieee802154.h): its layout, carried over from strace's sockaddr.c, is
family, then struct ieee802154_addr_sa {int addr_type; u16 pan_id; union {u8 hwaddr[8];
u16 short_addr;}}."""

from __future__ import annotations

import struct

from syscope.decode import fmt

SIZE = 20  # sizeof(struct sockaddr_ieee802154): the int addr_type aligns the struct to 4
_ADDR_AT = 4  # offsetof(struct sockaddr_ieee802154, addr)
_SHORT = 2  # IEEE802154_ADDR_SHORT (include/net/af_ieee802154.h)
_NONE = 0  # IEEE802154_ADDR_NONE


def verbose_xval(arch: str, table: str, value: int, verbose: int) -> str:
    """strace PRINT_FIELD_XVAL_VERBOSE without a default: a known value with its name in a
    comment in every -X style but raw, an unknown one as the bare number."""
    if verbose == 2 or fmt.enum(arch, table).get(value) is None:
        return fmt.hexnum(value)
    return fmt.enum(arch, table, 1)(value)


def sockaddr_ieee802154(data: bytes, arch: str, head: str, verbose: int) -> str:
    """data is at least SIZE bytes."""
    addr_type, pan_id = struct.unpack_from("<iH", data, _ADDR_AT)
    shown_type = fmt.enum(arch, "ieee802154_addr_types", 2 if verbose == 2 else 1)(addr_type & 0xFFFFFFFF)
    parts = [f"addr_type={shown_type}", f"pan_id={verbose_xval(arch, 'ieee802154_pan_ids', pan_id, verbose)}"]
    if addr_type == _SHORT:
        short = struct.unpack_from("<H", data, _ADDR_AT + 6)[0]
        parts.append(f"short_addr={verbose_xval(arch, 'ieee802154_addrs', short, verbose)}")
    elif addr_type != _NONE:
        # IEEE802154_ADDR_LONG and unknown types: the 8-byte hardware address (strace print_hwaddr)
        parts.append("hwaddr=" + fmt.mac_addr(data[_ADDR_AT + 6:_ADDR_AT + 14], verbose))
    return f"{{{head}, addr={{{', '.join(parts)}}}}}"
