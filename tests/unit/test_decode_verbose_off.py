"""-e verbose=!SET (strace's verbose(tcp) false) on recorded registers and memory: structures
print as their address (util.c umove_or_printaddr), arrays as print_array prints them before it
would read (NULL, ``[]`` for no element, else the address: the ``count`` each array kind declares
in the registry), and the whole-call decoders and results that read memory follow the option
(fcntl's struct flock, futex's timeout, poll/ppoll's revents, pselect6's time left,
clock_adjtime's state).  The same calls run under both tracers in tests/differential
(c_*_verbose_none)."""

from __future__ import annotations

import struct

import pytest
from recorded_memory import DictMemory, decode_line  # tests/unit is on sys.path (pytest rootdir import mode)

from syscope.decode import DecodeOptions, registry


def _off(*names: str) -> DecodeOptions:
    return DecodeOptions(no_verbose=frozenset(names))


def test_every_declared_count_names_a_source_the_arrp_kind_reads() -> None:
    registry.load_all()
    declared = {n: s.count_from for table in (registry.ENTRY, registry.EXIT) for n, s in table.items() if s.count_from}
    assert {"gids", "gids_in", "epoll_events", "pollfds", "iov", "riov"} <= set(declared)
    for name, count in declared.items():
        assert count == "ret" or count == "param" or (count.startswith("arg:") and count[4:].isdigit()), name
    assert registry.brief_kind("iov:2") == "arrp:arg:2"
    assert registry.brief_kind(">gids") == ">arrp:ret"
    assert registry.brief_kind(">timex") == ">p"
    assert registry.brief_kind("fd") == "fd"


@pytest.mark.parametrize(("name", "args", "ret", "want"), [
    # print_array: no element is [] whatever the address, NULL stays NULL, else the address
    ("getgroups", (8, 0x1000), 0, "getgroups(8, []) = 0"),
    ("getgroups", (8, 0x1000), 2, "getgroups(8, 0x1000) = 2"),
    ("getgroups", (8, 0x1000), -22, "getgroups(8, 0x1000) = -1 EINVAL (Invalid argument)"),
    ("setgroups", (0, 0x1000), 0, "setgroups(0, []) = 0"),
    ("setgroups", (2, 0), -14, "setgroups(2, NULL) = -1 EFAULT (Bad address)"),
    ("epoll_wait", (7, 0x1000, 4, 0), 0, "epoll_wait(7, [], 4, 0) = 0"),
    ("writev", (1, 0x1000, 0), 0, "writev(1, [], 0) = 0"),
    ("writev", (1, 0x1000, 2), 5, "writev(1, 0x1000, 2) = 5"),
])
def test_arrays_with_verbose_off(name: str, args: tuple[int, ...], ret: int, want: str) -> None:
    mem = DictMemory({0x1000: b"\x01\0\0\0" * 16})
    assert decode_line(name, args, mem, ret, _off(name)) == want


def test_whole_call_decoders_and_results_with_verbose_off() -> None:
    flock = struct.pack("<hh4xqqi4x", 1, 0, 0, 10, 0)  # F_WRLCK from 0, 10 bytes
    mem = DictMemory({0x1000: flock, 0x2000: struct.pack("<qq", 1, 500), 0x3000: struct.pack("<ihh", 3, 1, 1)})
    assert decode_line("fcntl", (3, 6, 0x1000), mem, 0) == \
        "fcntl(3, F_SETLK, {l_type=F_WRLCK, l_whence=SEEK_SET, l_start=0, l_len=10}) = 0"
    assert decode_line("fcntl", (3, 6, 0x1000), mem, 0, _off("fcntl")) == "fcntl(3, F_SETLK, 0x1000) = 0"
    assert decode_line("fcntl", (3, 5, 0x1000), mem, 0, _off("fcntl")) == "fcntl(3, F_GETLK, 0x1000) = 0"
    assert decode_line("futex", (0x4000, 0, 0, 0x2000), mem, -110, _off("futex")) == \
        "futex(0x4000, FUTEX_WAIT, 0, 0x2000) = -1 ETIMEDOUT (Connection timed out)"
    # poll's ready descriptors and ppoll's/pselect6's time left are read only when verbose
    assert decode_line("poll", (0x3000, 1, 10), mem, 1) == "poll([{fd=3, events=POLLIN}], 1, 10) = 1 " \
        "([{fd=3, revents=POLLIN}])"
    assert decode_line("poll", (0x3000, 1, 10), mem, 1, _off("poll")) == "poll(0x3000, 1, 10) = 1"
    assert decode_line("poll", (0x3000, 1, 10), mem, 0, _off("poll")) == "poll(0x3000, 1, 10) = 0 (Timeout)"
    assert decode_line("ppoll", (0x3000, 1, 0x2000, 0, 8), mem, 1, _off("ppoll")) == \
        "ppoll(0x3000, 1, 0x2000, NULL, 8) = 1"
    # clock_adjtime's result names the clock state only after printing the struct timex
    assert decode_line("clock_adjtime", (0, 0x1000), mem, 5, _off("clock_adjtime")) == \
        "clock_adjtime(CLOCK_REALTIME, 0x1000) = 5"
