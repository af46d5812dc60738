"""ioctl command names generated from the UAPI headers' _IO* macros (tools/gen_decode.py
"ioctl_cmds", per arch: the size field follows the arch's types), printed as strace does."""

from __future__ import annotations

from recorded_memory import DictMemory, decode_line  # tests/unit is on sys.path (pytest rootdir import mode)

from syscope.decode.fmt import consts

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
