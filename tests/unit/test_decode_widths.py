"""Each scalar argument cut to its kernel type's width and signedness (decode/widths.py), on
recorded register values with garbage in the upper bits, as strace's own tests pass them."""

from __future__ import annotations

import struct

from recorded_memory import DictMemory, decode_line  # tests/unit is on sys.path (pytest rootdir import mode)

from syscope.decode import widths

HI = 0xFFFFFFFF00000000  # what strace's tests put in the upper half of an int argument
M64 = (1 << 64) - 1


def line(name: str, args: tuple[int, ...], retval: int = 0, mem: DictMemory | None = None,
         arch: str = "x86_64") -> str:
    return decode_line(name, args, mem or DictMemory({}), retval, arch=arch)


def test_unsigned_int_drops_the_upper_half() -> None:
    assert line("alarm", (HI | 42,)) == "alarm(42) = 0"


def test_uid_t_is_unsigned_but_minus_one_stays() -> None:
    mem = DictMemory({0x1000: b"f\0"})
    assert line("chown", (0x1000, 0xFFFF0000, 0), mem=mem) == 'chown("f", 4294901760, 0) = 0'
    assert line("chown", (0x1000, M64, HI | 0xFFFFFFFF), mem=mem) == 'chown("f", -1, -1) = 0'
    assert line("setfsuid", (0xC0DEFFFF,)) == "setfsuid(3235839999) = 0"


def test_umode_t_is_sixteen_bits() -> None:
    mem = DictMemory({0x1000: b"f\0"})
    assert line("creat", (0x1000, 0xFFFFFFFF00000000), 3, mem) == 'creat("f", 000) = 3'
    assert line("mkdir", (0x1000, M64), 0, mem) == 'mkdir("f", 0177777) = 0'
    # a file type without a name: the whole mode as a number
    assert line("mknod", (0x1000, M64, 0), 0, mem) == 'mknod("f", 0177777) = 0'


def test_int_flags_print_the_32_bit_value() -> None:
    assert line("inotify_init1", (0xFACEFEED00080800 | 0x1234,), -22) .startswith(
        "inotify_init1(IN_NONBLOCK|IN_CLOEXEC|0x1234)")
    assert line("mlock2", (0x1000, 0x10, M64)).endswith("MLOCK_ONFAULT|0xfffffffe) = 0")


def test_int_enum_unknown_is_32_bits() -> None:
    assert "0xda7adead /*" in line("kcmp", (1, 2, 0xBADC0DEDDA7ADEAD, 0, 0))


def test_long_and_size_keep_64_bits() -> None:
    # getdents64(unsigned int fd, struct linux_dirent64 *, unsigned int count)
    assert line("getdents64", (M64, 0, 0xDEADBEEFDEADBEEF), -9).startswith("getdents64(-1, NULL, 3735928559)")
    # pread64's count is a size_t, its offset a loff_t
    assert ", 18446744073709551615, -1)" in line("pread64", (3, 0, M64, M64), -22)


def test_timespec_nsec_is_unsigned() -> None:
    ts = struct.pack("<qq", -1, -1)
    assert line("nanosleep", (0x1000, 0), -22, DictMemory({0x1000: ts})).startswith(
        "nanosleep({tv_sec=-1, tv_nsec=18446744073709551615}, NULL)")


def test_calls_without_a_signature_decode_by_type() -> None:
    assert widths.from_types("x86_64", "pkey_free") == ("d",)
    assert line("pkey_free", (0xBADC0DED00000000,), -22).startswith("pkey_free(0)")
    assert line("iopl", (HI | 4,), -38).startswith("iopl(4)")
    assert line("landlock_restrict_self", (HI | 0xFFFFFFFF, HI | 1), -9).startswith(
        "landlock_restrict_self(-1, 0x1)")


def test_i386_is_unchanged() -> None:
    assert line("alarm", (42,), arch="i386") == "alarm(42) = 0"
    assert line("chown", (0x1000, 0xFFFF0000, 0), mem=DictMemory({0x1000: b"f\0"}), arch="i386") == \
        'chown("f", 4294901760, 0) = 0'


def test_flags_without_a_known_bit_name_the_table_in_a_comment() -> None:
    # strace printflags_ex(): no bit matched, the number and the table's default name
    assert line("close_range", (7, 7, 8), -22).startswith("close_range(7, 7, 0x8 /* CLOSE_RANGE_??? */)")
    assert line("close_range", (7, 7, 0xC), -22).startswith("close_range(7, 7, CLOSE_RANGE_CLOEXEC|0x8)")
    assert line("inotify_init1", (HI | 0xFF96B77B,), -22).startswith("inotify_init1(0xff96b77b /* IN_??? */)")
    # zero is 0, not a comment
    assert line("close_range", (7, 7, 0), 0) == "close_range(7, 7, 0) = 0"


def test_enum_unknown_names_the_longest_common_prefix() -> None:
    assert line("ioprio_get", (HI | 0xFA57BEEF, 1), -22).startswith("ioprio_get(0xfa57beef /* IOPRIO_WHO_??? */, 1)")
    assert "0xdeadca75 /* POSIX_FADV_??? */" in line("fadvise64", (3, 0, 0, 0xF00DFEEDDEADCA75), -22)
