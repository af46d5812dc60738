"""Flag words whose strace decoder passes a NULL default (printflags(xlat, v, NULL), src/xlat.c
printflags_ex): 0 prints nothing in every -X style unless the table names 0, and bits without a
name print bare.  Each expected line is what strace 6.1 printed for the same registers (the
differential programs c_zeroflags* run the calls under both tracers)."""

from __future__ import annotations

import pytest
from recorded_memory import DictMemory, decode_line  # tests/unit is on sys.path (pytest rootdir import mode)

from syscope.decode import DecodeOptions, fmt
from syscope.decode.spec import NULL_DEFAULT

EINVAL = 22
STYLES = {"abbrev": DecodeOptions(), "verbose": DecodeOptions(xlat_verbose=True), "raw": DecodeOptions(raw_all=True)}
AT_FDCWD = 0xFFFFFF9C


@pytest.mark.parametrize(("style", "flags", "expected"), [
    ("abbrev", 0, '".", AT_STATX_SYNC_AS_STAT, '),
    ("verbose", 0, '".", 0 /* AT_STATX_SYNC_AS_STAT */, '),
    ("raw", 0, '".", , 0, '),
    ("abbrev", 0x10000000, '".", AT_STATX_SYNC_AS_STAT|0x10000000, '),
    ("verbose", 0x10000000, '".", 0 /* AT_STATX_SYNC_AS_STAT */|0x10000000, '),
    ("raw", 0x10000000, '".", |0x10000000, '),
    ("verbose", 0x2100, '".", 0x2000 /* AT_STATX_FORCE_SYNC */|0x100 /* AT_SYMLINK_NOFOLLOW */, '),
    ("raw", 0x2100, '".", 0x2000|0x100, '),
    ("abbrev", 0x6000, '".", AT_STATX_FORCE_SYNC|AT_STATX_DONT_SYNC, '),
])
def test_statx_sync_type_and_flags(style: str, flags: int, expected: str) -> None:
    mem = DictMemory({0x1000: b".\0"})
    line = decode_line("statx", (AT_FDCWD, 0x1000, flags, 0, 0), mem, -EINVAL, STYLES[style])
    assert expected in line, line


@pytest.mark.parametrize(("style", "call", "args", "expected"), [
    # the permissions alone: no flag word, no "|"
    ("abbrev", "msgget", (0, 0o600), "msgget(IPC_PRIVATE, 0600)"),
    ("raw", "msgget", (0, 0o600), "msgget(0, 0600)"),
    ("verbose", "semget", (0, 1, 0o600), "semget(0 /* IPC_PRIVATE */, 1, 0600)"),
    ("abbrev", "shmget", (0, 4096, 0o600), "shmget(IPC_PRIVATE, 4096, 0600)"),
    # bits without a name: printflags() returned 0, so no "|" before the mode (ipc_msg.c);
    # -X raw returns 1 and prints it
    ("abbrev", "msgget", (0, 0x10000000 | 0o600), "msgget(IPC_PRIVATE, 0x100000000600)"),
    ("verbose", "msgget", (0, 0x10000000 | 0o600), "msgget(0 /* IPC_PRIVATE */, 0x100000000600)"),
    ("raw", "msgget", (0, 0x10000000 | 0o600), "msgget(0, 0x10000000|0600)"),
    ("abbrev", "msgget", (0, 0x10000200 | 0o600), "msgget(IPC_PRIVATE, IPC_CREAT|0x10000000|0600)"),
    ("abbrev", "shmget", (0, 4096, 0x10000000 | 0o600), "shmget(IPC_PRIVATE, 4096, 4<<SHM_HUGE_SHIFT|0600)"),
    ("verbose", "shmget", (0, 4096, 0x10000000 | 0o600),
     "shmget(0 /* IPC_PRIVATE */, 4096, 4<<26 /* SHM_HUGE_SHIFT */|0600)"),
])
def test_sysv_ipc_get_flags(style: str, call: str, args: tuple[int, ...], expected: str) -> None:
    assert decode_line(call, args, DictMemory({}), 7, STYLES[style]).startswith(expected + " = 7")


def test_memfd_secret_default_is_empty_not_null() -> None:
    # memfd_secret.c passes "" (not NULL): 0 prints 0 in every style, an unknown bit bare
    for style in STYLES.values():
        assert decode_line("memfd_secret", (0,), DictMemory({}), 3, style).startswith("memfd_secret(0)")


def test_fcntl_setfl_zero_under_verbose() -> None:
    # printflags of the access mode field: 0 is "0 /* O_RDONLY */", not 0x0
    line = decode_line("fcntl", (5, 4, 0), DictMemory({}), 0, STYLES["verbose"])
    assert line.startswith("fcntl(5, 0x4 /* F_SETFL */, 0 /* O_RDONLY */)")


def test_membarrier_query_result_in_each_style() -> None:
    # sprintflags in the -X style: the number alone under raw, a comment under verbose
    assert decode_line("membarrier", (0, 0), DictMemory({}), 0x9, STYLES["raw"]).endswith("= 0x9 (0x9)")
    assert decode_line("membarrier", (0, 0), DictMemory({}), 0x9, STYLES["verbose"]).endswith(
        "= 0x9 (0x9 /* MEMBARRIER_CMD_GLOBAL|MEMBARRIER_CMD_PRIVATE_EXPEDITED */)")


@pytest.mark.parametrize("table", sorted(NULL_DEFAULT))
def test_null_default_tables_exist_and_print_nothing_for_zero(table: str) -> None:
    # the declared set is data other formatters read: each name is a real table
    from syscope.decode.ioctl import tables

    rows = fmt.consts("x86_64").get(table) or tables.rows("x86_64", table)
    assert rows, table
    named = any(v == 0 for v, _n in rows)
    known = 0
    for v, _n in rows:
        known |= v
    unnamed = next(1 << b for b in range(64) if not known & (1 << b))
    generated = table in fmt.consts("x86_64")
    for style in (0, 1):
        f = fmt.flags("x86_64", table, style) if generated else tables.flags("x86_64", table, style)
        assert (f(0) != "") == named
        assert f(unnamed) == hex(unnamed)  # an unknown bit bare: no default to comment with
    raw = fmt.flags("x86_64", table, 2) if generated else tables.flags("x86_64", table, 2)
    assert raw(0) == ""
