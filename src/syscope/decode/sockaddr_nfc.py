"""struct sockaddr_nfc and struct sockaddr_nfc_llcp (linux/nfc.h) as strace's sockaddr.c prints
them: an NFC LLCP address is a sockaddr_nfc followed by the service access points and name."""

from __future__ import annotations

import struct

from syscope.decode import fmt
from syscope.decode.registry import word_size
from syscope.decode.sockaddr_ieee802154 import verbose_xval
from syscope.decode.sockaddr_ll import ifindex

SIZE = 16  # sizeof(struct sockaddr_nfc): family, then u32 dev_idx, target_idx, nfc_protocol
_DSAP_AT = 16  # offsetof(struct sockaddr_nfc_llcp, dsap), ssap right after it
_NAME_AT = 18  # offsetof(struct sockaddr_nfc_llcp, service_name)
_NAME_MAX = 63  # NFC_LLCP_MAX_SERVICE_NAME


def sockaddr_nfc(data: bytes, arch: str, head: str, verbose: int, xflag: int) -> str:
    """data is at least SIZE bytes.  The LLCP fields only when the whole sockaddr_nfc_llcp is
    there: its last field, service_name_len, is a size_t, so the struct is 88 bytes with a 4-byte
    word and 96 with an 8-byte one; a length in between shows ``...``."""
    idx, target, proto = struct.unpack_from("<III", data, 2 + 2)
    parts = [head, f"dev_idx={ifindex(idx, verbose)}", f"target_idx={fmt.hexnum(target)}",
             f"nfc_protocol={fmt.enum(arch, 'nfc_sockaddr_protocols', verbose)(proto)}"]
    word = word_size(arch)
    len_at = -(-(_NAME_AT + _NAME_MAX) // word) * word  # service_name_len, aligned to its size
    if len(data) < len_at + word:
        if len(data) > SIZE:
            parts.append("...")
        return "{" + ", ".join(parts) + "}"
    name_len = int.from_bytes(data[len_at:len_at + word], "little")
    name = data[_NAME_AT:_NAME_AT + min(_NAME_MAX, name_len)]
    parts += [f"dsap={verbose_xval(arch, 'nfc_saps', data[_DSAP_AT], verbose)}",
              f"ssap={verbose_xval(arch, 'nfc_saps', data[_DSAP_AT + 1], verbose)}",
              f'service_name="{fmt.quote(name, xflag)}"', f"service_name_len={name_len}"]
    return "{" + ", ".join(parts) + "}"
