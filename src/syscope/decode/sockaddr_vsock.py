"""struct sockaddr_vm (vsock(7), linux/vm_sockets.h) as strace's sockaddr.c prints it."""

from __future__ import annotations

import struct

from syscope.decode import fmt

# sizeof(struct sockaddr_vm): svm_family, svm_reserved1, svm_port, svm_cid, then svm_flags and
# the svm_zero padding up to sizeof(struct sockaddr)
SIZE = 16
_ZERO_AT = 13  # offsetof(struct sockaddr_vm, svm_zero): right after the one-byte svm_flags


def named_or_hex(arch: str, table: str, value: int, verbose: int) -> str:
    """strace PRINT_FIELD_XVAL with no default: the name, else the bare number in hex."""
    if fmt.enum(arch, table).get(value) is None and verbose != 2:
        return fmt.hexnum(value)
    return fmt.enum(arch, table, verbose)(value)


def sockaddr_vsock(data: bytes, arch: str, head: str, verbose: int) -> str:
    """data is at least SIZE bytes."""
    reserved1, port, cid, flags = struct.unpack_from("<HIIB", data, 2)
    parts = [head]
    if reserved1:  # shown only when set, as strace does
        parts.append(f"svm_reserved1={reserved1:#x}")
    parts += [f"svm_cid={named_or_hex(arch, 'vsock_cids', cid, verbose)}",
              f"svm_port={named_or_hex(arch, 'vsock_ports', port, verbose)}",
              f"svm_flags={fmt.flags(arch, 'vsock_flags', verbose)(flags)}"]
    zero = data[_ZERO_AT:SIZE]
    if any(zero):
        parts.append('svm_zero="' + "".join(f"\\x{c:02x}" for c in zero) + '"')
    return "{" + ", ".join(parts) + "}"
