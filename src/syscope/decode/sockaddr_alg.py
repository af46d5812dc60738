"""struct sockaddr_alg_new (linux/if_alg.h, the AF_ALG crypto sockets) as strace's sockaddr.c
prints it."""

from __future__ import annotations

import struct

from syscope.decode import fmt

# offsetof(struct sockaddr_alg_new, salg_name): salg_family, salg_type[14], salg_feat, salg_mask
_NAME_AT = 24
# strace decodes from sizeof(struct sockaddr_alg_new) + 1 on: a name of at least its NUL
SIZE = _NAME_AT + 1


def cstring_field(field: bytes, xflag: int) -> str:
    """A NUL-terminated text in a field of len(field) bytes (strace QUOTE_0_TERMINATED |
    QUOTE_EXPECT_TRAILING_0): up to its NUL; without one, all but the last byte and ``...``."""
    end = field.find(b"\0")
    if end >= 0:
        return f'"{fmt.quote(field[:end], xflag)}"'
    return f'"{fmt.quote(field[:-1], xflag)}"...'


def sockaddr_alg(data: bytes, arch: str, head: str, verbose: int, xflag: int) -> str:
    """data is at least SIZE bytes; the name runs to the end of the address (Linux 4.12 lifted
    its 64-byte limit, linux/if_alg.h)."""
    feat, mask = struct.unpack_from("<II", data, 16)
    # the flags always carry their comment (strace PRINT_FIELD_FLAGS_VERBOSE)
    flags = fmt.flags(arch, "alg_sockaddr_flags", 2 if verbose == 2 else 1)
    return (f"{{{head}, salg_type={cstring_field(data[2:16], xflag)}, salg_feat={flags(feat)}, "
            f"salg_mask={flags(mask)}, salg_name={cstring_field(data[_NAME_AT:], xflag)}}}")
