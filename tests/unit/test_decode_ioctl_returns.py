"""ioctl families that decorate the return value (strace's RVAL_FD / RVAL_STR) and the families
of strace's nsfs.c, kvm.c, sock.c, tee.c: on recorded registers and memory, as strace 6.1 prints."""

from __future__ import annotations

import struct

from recorded_memory import DictMemory, decode_line  # tests/unit is on sys.path (pytest rootdir import mode)

from syscope.decode import DecodeOptions
from syscope.decode.ioctl.names import numbers

M64 = (1 << 64) - 1
ADDR = 0x7F0000001000
EBADF = -9


def cmd(name: str) -> int:
    return numbers("x86_64")[name]


def test_nsfs_type_is_named_after_the_number_and_owner_uid_is_read() -> None:
    got = decode_line("ioctl", (5, cmd("NS_GET_NSTYPE"), 0), DictMemory({}), 0x10000000)
    assert got == "ioctl(5, NS_GET_NSTYPE) = 268435456 (CLONE_NEWUSER)"
    failed = decode_line("ioctl", (M64, cmd("NS_GET_NSTYPE"), 0), DictMemory({}), EBADF)
    assert failed == "ioctl(-1, NS_GET_NSTYPE) = -1 EBADF (Bad file descriptor)"
    uid = decode_line("ioctl", (5, cmd("NS_GET_OWNER_UID"), ADDR), DictMemory({ADDR: struct.pack("<I", 1000)}), 0)
    assert uid == "ioctl(5, NS_GET_OWNER_UID, [1000]) = 0"


def test_a_returned_descriptor_prints_plain_without_y() -> None:
    got = decode_line("ioctl", (3, cmd("NS_GET_USERNS"), 0), DictMemory({}), 7, DecodeOptions())
    assert got == "ioctl(3, NS_GET_USERNS) = 7"
    # the next ioctl of the thread, of a family that does not decorate, prints the bare number
    after = decode_line("ioctl", (3, cmd("RTC_AIE_ON"), 0), DictMemory({}), 12)
    assert after == "ioctl(3, RTC_AIE_ON) = 12"
