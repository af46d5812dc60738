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


# -- btrfs ioctls (ioctl/btrfs.py): what the kernel writes back, which strace's own btrfs test
# only sees on a mounted btrfs (tests/btrfs.c with -d DIR); the unmounted paths run in the suite


def _ioctl(cmd: str, arg: int, before: dict[int, bytes], after: dict[int, bytes], retval: int,
           opts: DecodeOptions | None = None) -> str:
    """One ioctl on fd 3 whose memory is ``before`` at entry and ``after`` at exit."""
    from syscope.decode import Decoder
    from syscope.decode.ioctl.names import numbers
    from syscope.events import SyscallEvent

    ev = SyscallEvent(pid=1, tid=1, arch="x86_64", nr=16, name="ioctl",
                      raw_args=(3, numbers("x86_64")[cmd], arg, 0, 0, 0), ts_enter=0.0)
    dec = Decoder(opts or DecodeOptions())
    dec.decode_entry(ev, DictMemory(before))
    ev.retval = retval
    if -4096 < retval < 0:
        ev.errno = -retval
    dec.decode_exit(ev, DictMemory(after))
    return f"ioctl({', '.join(ev.args)}) = {ev.ret_text}"


def test_btrfs_balance_v2_state_after_the_call() -> None:
    args = struct.pack("<QQ", 1, 0) + struct.pack("<9Q", 1, 0, 1, 0, 0xFFFFFFFFFFFFFFFF, 0, 0, 0, 1)
    args += bytes(1024 - len(args))
    done = bytearray(args)
    done[8:16] = struct.pack("<Q", 1)  # BTRFS_BALANCE_STATE_RUNNING
    data = ("data={profiles=BTRFS_BLOCK_GROUP_DATA, usage=0, devid=makedev(0, 0x1), pstart=0, pend=UINT64_MAX, "
            "vstart=0, vend=0, target=0, flags=BTRFS_BALANCE_ARGS_PROFILES}")
    assert _ioctl("BTRFS_IOC_BALANCE_V2", 0x1000, {0x1000: args}, {0x1000: bytes(done)}, 0) == (
        f"ioctl(3, BTRFS_IOC_BALANCE_V2, {{flags=BTRFS_BALANCE_DATA, {data}}} => "
        f"{{flags=BTRFS_BALANCE_DATA, state=BTRFS_BALANCE_STATE_RUNNING, {data}}}) = 0")
    # failed: as the call found it; a read-only request prints the address
    assert _ioctl("BTRFS_IOC_BALANCE_V2", 0x1000, {0x1000: args}, {0x1000: args}, -1).endswith(
        f"{{flags=BTRFS_BALANCE_DATA, {data}}}) = -1 EPERM (Operation not permitted)")
    assert _ioctl("BTRFS_IOC_BALANCE_PROGRESS", 0x1000, {0x1000: args}, {0x1000: args}, -1).startswith(
        "ioctl(3, BTRFS_IOC_BALANCE_PROGRESS, 0x1000)")


def test_btrfs_tree_search_v2_items_under_v() -> None:
    key = struct.pack("<7Q3I4x32x", 5, 256, 0xFFFFFFFFFFFFFF00, 0, 0xFFFFFFFFFFFFFFFF, 0, 0xFFFFFFFFFFFFFFFF,
                      1, 1, 10)
    before = key + struct.pack("<Q", 64) + bytes(64)
    found = bytearray(before)
    found[64:68] = struct.pack("<I", 1)  # nr_items
    found[112:144] = struct.pack("<3QII", 7, 256, 0, 1, 0)
    head = ("{key={tree_id=BTRFS_FS_TREE_OBJECTID, min_objectid=BTRFS_FIRST_FREE_OBJECTID, "
            "max_objectid=BTRFS_LAST_FREE_OBJECTID, min_offset=0, max_offset=UINT64_MAX, min_transid=0, "
            "max_transid=UINT64_MAX, min_type=BTRFS_INODE_ITEM_KEY, max_type=BTRFS_INODE_ITEM_KEY, "
            "nr_items=10}, buf_size=64}")
    line = _ioctl("BTRFS_IOC_TREE_SEARCH_V2", 0x1000, {0x1000: before}, {0x1000: bytes(found)}, 0,
                  DecodeOptions(verbose=True))
    assert line == (f"ioctl(3, BTRFS_IOC_TREE_SEARCH_V2, {head} => {{key={{nr_items=1}}, buf_size=64, "
                    "buf=[{transid=7, objectid=BTRFS_FIRST_FREE_OBJECTID, offset=0, type=BTRFS_INODE_ITEM_KEY, "
                    "len=0}]}) = 0")
    # without -v: the default object id bounds are left out and the items are "..."
    short = _ioctl("BTRFS_IOC_TREE_SEARCH_V2", 0x1000, {0x1000: before}, {0x1000: bytes(found)}, 0)
    assert "{key={tree_id=BTRFS_FS_TREE_OBJECTID, min_offset=0," in short
    assert short.endswith("=> {key={nr_items=1}, buf_size=64, ...}) = 0")
    # EOVERFLOW: the buffer size the items need
    bigger = bytearray(before)
    bigger[104:112] = struct.pack("<Q", 4096)
    assert _ioctl("BTRFS_IOC_TREE_SEARCH_V2", 0x1000, {0x1000: before}, {0x1000: bytes(bigger)}, -75).endswith(
        "buf_size=64} => {buf_size=4096}) = -1 EOVERFLOW (Value too large for defined data type)")


def test_btrfs_dev_stats_fs_info_and_supported_features() -> None:
    stats = struct.pack("<3Q", 1, 5, 0) + bytes(1032 - 24)
    filled = struct.pack("<3Q5Q", 1, 5, 0, 0, 1, 2, 3, 4) + bytes(1032 - 64)
    assert _ioctl("BTRFS_IOC_GET_DEV_STATS", 0x1000, {0x1000: stats}, {0x1000: filled}, 0) == (
        "ioctl(3, BTRFS_IOC_GET_DEV_STATS, {devid=makedev(0, 0x1), nr_items=5, flags=0} => {nr_items=5, flags=0, "
        "[[BTRFS_DEV_STAT_WRITE_ERRS]=0, [BTRFS_DEV_STAT_READ_ERRS]=1, [BTRFS_DEV_STAT_FLUSH_ERRS]=2, "
        "[BTRFS_DEV_STAT_CORRUPTION_ERRS]=3, [BTRFS_DEV_STAT_GENERATION_ERRS]=4]}) = 0")
    info = struct.pack("<QQ16sIIIHHQQ16s", 1, 1, bytes(range(16)), 16384, 4096, 4096, 0, 4, 1, 9, bytes(16))
    info += bytes(1024 - len(info))
    assert _ioctl("BTRFS_IOC_FS_INFO", 0x1000, {}, {0x1000: info}, 0) == (
        "ioctl(3, BTRFS_IOC_FS_INFO, {max_id=1, num_devices=1, fsid=00010203-0405-0607-0809-0a0b0c0d0e0f, "
        "nodesize=16384, sectorsize=4096, clone_alignment=4096, csum_type=BTRFS_CSUM_TYPE_CRC32, csum_size=4, "
        "flags=BTRFS_FS_INFO_FLAG_CSUM_INFO}) = 0")
    feats = struct.pack("<9Q", 0, 3, 1, 0, 1, 0, 0, 0, 0)
    x = DecodeOptions(xlat_verbose=True)
    assert _ioctl("BTRFS_IOC_GET_SUPPORTED_FEATURES", 0x1000, {}, {0x1000: feats}, 0, x) == (
        "ioctl(3, 0x80489439 /* BTRFS_IOC_GET_SUPPORTED_FEATURES */, [{compat_flags=0, compat_ro_flags=0x3 "
        "/* BTRFS_FEATURE_COMPAT_RO_FREE_SPACE_TREE|BTRFS_FEATURE_COMPAT_RO_FREE_SPACE_TREE_VALID */, "
        "incompat_flags=0x1 /* BTRFS_FEATURE_INCOMPAT_MIXED_BACKREF */} /* supported */, {compat_flags=0, "
        "compat_ro_flags=0x1 /* BTRFS_FEATURE_COMPAT_RO_FREE_SPACE_TREE */, incompat_flags=0} /* safe to set */, "
        "{compat_flags=0, compat_ro_flags=0, incompat_flags=0} /* safe to clear */]) = 0")
