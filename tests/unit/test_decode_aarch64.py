"""The aarch64 tables (tools/gen_decode.py over the arm64 UAPI headers) and layouts, on recorded
register values and memory.  arm64 numbers its open(2) flags differently from x86
(arch/arm64/include/uapi/asm/fcntl.h), uses the generic struct stat (asm-generic/stat.h) and
CONFIG_CLONE_BACKWARDS (tls before child_tid)."""

from __future__ import annotations

import struct

from recorded_memory import DictMemory, decode_line  # tests/unit is on sys.path (pytest rootdir import mode)

from syscope.decode.fmt import consts


def run(arch: str, name: str, args: tuple[int, ...], mem: DictMemory, retval: int) -> str:
    return decode_line(name, args, mem, retval, arch=arch)


def test_open_flags_are_arm64_values() -> None:
    t = {n: v for v, n in consts("aarch64")["open_flags"]}
    assert (t["O_DIRECTORY"], t["O_NOFOLLOW"], t["O_DIRECT"], t["O_LARGEFILE"]) == (0o40000, 0o100000, 0o200000,
                                                                                     0o400000)
    x = {n: v for v, n in consts("x86_64")["open_flags"]}
    assert x["O_DIRECTORY"] == 0o200000  # and x86's differ: the tables are per arch
    assert "MAP_32BIT" not in {n for _v, n in consts("aarch64")["mmap_flags"]}
    assert {n for _v, n in consts("aarch64")["mmap_prot"]} >= {"PROT_BTI", "PROT_MTE"}


def test_openat_directory_on_arm64() -> None:
    mem = DictMemory({0x1000: b"/etc\0"})
    # O_RDONLY|O_NONBLOCK|O_CLOEXEC|O_DIRECTORY with arm64's O_DIRECTORY (040000)
    flags = 0o4000 | 0o2000000 | 0o40000
    got = run("aarch64", "openat", (-100 & 0xFFFFFFFFFFFFFFFF, 0x1000, flags), mem, 3)
    assert got == 'openat(AT_FDCWD, "/etc", O_RDONLY|O_NONBLOCK|O_CLOEXEC|O_DIRECTORY) = 3'
    # the same bits read on x86_64 mean O_DIRECT (040000 there)
    assert "O_DIRECT|" in run("x86_64", "openat", (-100 & 0xFFFFFFFFFFFFFFFF, 0x1000, flags), mem, 3)


def test_generic_stat_layout() -> None:
    # struct stat (asm-generic/stat.h): dev, ino, mode, nlink, uid, gid, rdev, pad, size,
    # blksize, pad, blocks, three (sec, nsec) pairs, two unused ints
    st = struct.pack("<QQIIIIQQqiiqqQqQqQII", 0x803, 42, 0o100644, 1, 0, 0, 0, 0, 1234, 4096, 0, 8,
                     1, 0, 2, 0, 3, 0, 0, 0)
    assert len(st) == 128
    mem = DictMemory({0x1000: b"f\0", 0x2000: st})
    got = run("aarch64", "newfstatat", (-100 & 0xFFFFFFFFFFFFFFFF, 0x1000, 0x2000, 0), mem, 0)
    assert got == 'newfstatat(AT_FDCWD, "f", {st_mode=S_IFREG|0644, st_size=1234, ...}, 0) = 0'


def test_clone_backwards_on_arm64() -> None:
    # clone(flags, stack, parent_tid, tls, child_tid) on arm64: glibc's fork passes child_tid
    flags = 0x01000000 | 0x00200000 | 17  # CLONE_CHILD_SETTID|CLONE_CHILD_CLEARTID|SIGCHLD
    got = run("aarch64", "clone", (flags, 0, 0, 0, 0xffff8000a0), DictMemory({}), 77)
    assert got == ("clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, "
                   "child_tidptr=0xffff8000a0) = 77")
