"""The struct arguments of kinds/ldt.py (struct user_desc), kinds/system.py (struct __sysctl_args)
on recorded registers and memory.  Each expected line is one strace 6.1 printed for the same
registers and bytes in its own test suite (tests/modify_ldt.c, xet_thread_area_x86.c, sysctl.c);
the suite itself runs under the real tracer in tests/differential/test_strace_suite.py."""

from __future__ import annotations

import struct

from recorded_memory import DictMemory, decode_line  # tests/unit is on sys.path (pytest rootdir import mode)

from syscope.decode import DecodeOptions

ENOSYS, EINVAL = 38, 22
# the bitfield word of struct user_desc: contents=2, read_exec_only=1, lm=1
_BITS = (2 << 1) | (1 << 3) | (1 << 7)


def test_modify_ldt_user_desc_only_at_its_size_and_the_clipped_error() -> None:
    desc = struct.pack("<IIII", 0x83828180, 0x87868584, 0x8B8A8988, _BITS)
    mem = DictMemory({0x1000: desc})
    # the kernel returns (unsigned int)-ENOSYS: strace takes the errno back and keeps the number
    line = decode_line("modify_ldt", (0xBADC0DEDDA7A1057, 0x1000, 16), mem, 0xFFFFFFDA)
    assert line == ("modify_ldt(-629534633, {entry_number=2206368128, base_addr=0x87868584, limit=0x8b8a8988, "
                    "seg_32bit=0, contents=2, read_exec_only=1, limit_in_pages=0, seg_not_present=0, useable=0, "
                    "lm=1}, 16) = 4294967258 ENOSYS (Function not implemented)")
    # any other byte count: the address alone
    assert decode_line("modify_ldt", (1, 0x1000, 42), mem, 0).startswith("modify_ldt(1, 0x1000, 42) = 0")
    assert decode_line("modify_ldt", (0, 0, 0), mem, 0) == "modify_ldt(0, NULL, 0) = 0"


def test_set_thread_area_ids_and_zero_hex_fields() -> None:
    desc = struct.pack("<IIII", 0xFFFFFFFF, 0, 0, 1 | (1 << 1))
    mem = DictMemory({0x1000: desc})
    assert decode_line("set_thread_area", (0x1000,), mem, -ENOSYS) == (
        "set_thread_area({entry_number=-1, base_addr=00000000, limit=00000000, seg_32bit=1, contents=1, "
        "read_exec_only=0, limit_in_pages=0, seg_not_present=0, useable=0, lm=0}) "
        "= -1 ENOSYS (Function not implemented)")
    # i386: no lm (the kernel ignores it for 32-bit tasks); the entry the kernel chose follows
    # the result
    chosen = DictMemory({0x1000: struct.pack("<IIII", 12, 0x1000, 0xFFFFF, 0x51)})
    line = decode_line("set_thread_area", (0x1000,), chosen, 0, arch="i386")
    assert line == ("set_thread_area({entry_number=12, base_addr=0x00001000, limit=0x000fffff, seg_32bit=1, "
                    "contents=0, read_exec_only=0, limit_in_pages=1, seg_not_present=0, useable=1}) "
                    "= 0 (entry_number=12)")
    # the struct cut by unmapped memory: its address
    assert decode_line("set_thread_area", (0x1004,), DictMemory({0x1000: desc[:8]}), -ENOSYS).startswith(
        "set_thread_area(0x1004)")


def test_get_thread_area_entry_number_then_the_rest() -> None:
    # a failed call: entry_number as the call found it (only 4 bytes readable), then "..."
    mem = DictMemory({0x1000: struct.pack("<I", 2718281828)})
    assert decode_line("get_thread_area", (0x1000,), mem, -ENOSYS) == (
        "get_thread_area({entry_number=2718281828, ...}) = -1 ENOSYS (Function not implemented)")
    assert decode_line("get_thread_area", (0,), mem, -ENOSYS).startswith("get_thread_area(NULL)")
    assert decode_line("get_thread_area", (0x2000,), mem, -ENOSYS).startswith("get_thread_area(0x2000)")
    # success: the descriptor the kernel filled
    full = DictMemory({0x1000: struct.pack("<IIII", 12, 0xF7F00000, 0xFFFFF, 0x51)})
    assert decode_line("get_thread_area", (0x1000,), full, 0, arch="i386") == (
        "get_thread_area({entry_number=12, base_addr=0xf7f00000, limit=0x000fffff, seg_32bit=1, contents=0, "
        "read_exec_only=0, limit_in_pages=1, seg_not_present=0, useable=1}) = 0")


def test_sysctl_args_fields_and_faults() -> None:
    args = struct.pack("<QiiQQQQ32x", 0x7000, 1818978921, 0, 0x7877767574737271, 0x6665646362617A79,
                       0x6E6D6C6B6A696867, 8535856707940741231)
    mem = DictMemory({0x1000: args, 0x3000: bytes(80)})
    assert decode_line("_sysctl", (0x1000,), mem, -ENOSYS) == (
        "_sysctl({name=0x7000, nlen=1818978921, oldval=0x7877767574737271, oldlenp=0x6665646362617a79, "
        "newval=0x6e6d6c6b6a696867, newlen=8535856707940741231}) = -1 ENOSYS (Function not implemented)")
    assert decode_line("_sysctl", (0x3000,), mem, -ENOSYS).startswith(
        "_sysctl({name=NULL, nlen=0, oldval=NULL, oldlenp=NULL, newval=NULL, newlen=0})")
    # the whole struct (with its __unused words) must be readable
    assert decode_line("_sysctl", (0x1010,), mem, -ENOSYS).startswith("_sysctl(0x1010)")
    # -e verbose=none: the address
    quiet = DecodeOptions(no_verbose=frozenset({"_sysctl"}))
    assert decode_line("_sysctl", (0x1000,), mem, -EINVAL, quiet).startswith("_sysctl(0x1000)")
