"""ioctl command names generated from the UAPI headers' _IO* macros (tools/gen_decode.py
"ioctl_cmds", per arch: the size field follows the arch's types), printed as strace does."""

from __future__ import annotations

from recorded_memory import DictMemory, decode_line  # tests/unit is on sys.path (pytest rootdir import mode)

from syscope.decode.fmt import consts
from syscope.decode.ioctl import names as ioctl_names
from syscope.decode.ioctl import tables

M64 = (1 << 64) - 1


def names(arch: str) -> dict[str, int]:
    return {n: v for v, n in consts(arch)["ioctl_cmds"]}


def test_generated_numbers_follow_the_arch() -> None:
    x, i = names("x86_64"), names("i386")
    assert x["FS_IOC_FIEMAP"] == 0xC020660B and x["DM_VERSION"] == 0xC138FD00
    # _IOR(0x12, 112, size_t): the size is sizeof(size_t) of the arch
    assert (x["BLKBSZGET"], i["BLKBSZGET"]) == (0x80081270, 0x80041270)
    assert len(names("aarch64")) > 1000


def test_named_command_and_null_pointer() -> None:
    got = decode_line("ioctl", (M64, 0x80081270, 0), DictMemory({}), -9, arch="x86_64")
    assert got == "ioctl(-1, BLKBSZGET, NULL) = -1 EBADF (Bad file descriptor)"


def test_unknown_command_is_ioc_and_a_number() -> None:
    got = decode_line("ioctl", (M64, 0x12FE | 0xDEAD00000000, 0), DictMemory({}), -9, arch="x86_64")
    assert got.startswith("ioctl(-1, _IOC(_IOC_NONE, 0x12, 0xfe, 0), 0)")


def test_freeze_takes_no_argument() -> None:
    got = decode_line("ioctl", (M64, names("x86_64")["FIFREEZE"], 0x1000), DictMemory({}), -9, arch="x86_64")
    assert got == "ioctl(-1, FIFREEZE) = -1 EBADF (Bad file descriptor)"


def _numbers_row_by_row(arch: str) -> dict[str, int]:
    # names.numbers as strace's ioctlsort keeps one number per name: the first definition, the
    # requests, then the _IO* commands, then the plain numbers in tables.rows' order
    out: dict[str, int] = {}
    for table in ("ioctl_req", "ioctl_cmds"):
        for v, n in consts(arch).get(table, []):
            out.setdefault(n, v & 0xFFFFFFFF)
    for v, n in tables.rows(arch, "ioctl_plain"):
        out.setdefault(n, v & 0xFFFFFFFF)
    return out


def test_every_name_and_number_as_the_rows_define_them() -> None:
    # numbers() and named() read the packed tables with C loops (start-up): the same names and
    # numbers as the converted rows give, on every arch, for every command number
    for arch in ("x86_64", "i386", "aarch64"):
        expected = _numbers_row_by_row(arch)
        assert ioctl_names.numbers(arch) == expected
        by_number: dict[int, list[str]] = {}
        for name, number in expected.items():
            by_number.setdefault(number, []).append(name)
        for number, defined in by_number.items():
            text = ioctl_names.named(arch, number)
            assert text is not None and set(text.split(" or ")) <= set(defined)
        assert ioctl_names.named(arch, 0x12345678) is None
