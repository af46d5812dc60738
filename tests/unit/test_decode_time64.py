"""i386 *_time64 calls on recorded memory: their timespecs are the 64-bit struct
__kernel_timespec (linux/time_types.h), also in what a return formatter reads after the call."""

from __future__ import annotations

import struct

from recorded_memory import DictMemory, decode_line  # tests/unit is on sys.path (pytest rootdir import mode)


def run(name: str, args: tuple[int, ...], mem: DictMemory, retval: int) -> str:
    return decode_line(name, args, mem, retval, arch="i386")


def test_pselect6_time64_time_left_is_64_bit() -> None:
    # fd 0 readable; the kernel wrote back 5 s 7 ns left into the 16-byte timespec
    mem = DictMemory({0x1000: struct.pack("<qq", 5, 7), 0x2000: struct.pack("<I", 1)})
    got = run("pselect6_time64", (1, 0x2000, 0, 0, 0x1000, 0), mem, 1)
    assert got == ("pselect6_time64(1, [0], NULL, NULL, {tv_sec=5, tv_nsec=7}, NULL) = "
                   "1 (in [0], left {tv_sec=5, tv_nsec=7})")


def test_pselect6_time_left_is_32_bit() -> None:
    mem = DictMemory({0x1000: struct.pack("<ii", 5, 7), 0x2000: struct.pack("<I", 1)})
    got = run("pselect6", (1, 0x2000, 0, 0, 0x1000, 0), mem, 1)
    assert got == "pselect6(1, [0], NULL, NULL, {tv_sec=5, tv_nsec=7}, NULL) = 1 (in [0], left {tv_sec=5, tv_nsec=7})"
