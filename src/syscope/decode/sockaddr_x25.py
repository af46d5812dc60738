"""struct sockaddr_x25 (linux/x25.h) as strace's sockaddr.c prints it."""

from __future__ import annotations

from syscope.decode.sockaddr_alg import cstring_field

SIZE = 18  # sizeof(struct sockaddr_x25): family, then struct x25_address {char x25_addr[16];}


def sockaddr_x25(data: bytes, head: str, xflag: int) -> str:
    """data is at least SIZE bytes; the address is a NUL-terminated text in its 16 bytes."""
    return f"{{{head}, sx25_addr={{x25_addr={cstring_field(data[2:SIZE], xflag)}}}}}"
