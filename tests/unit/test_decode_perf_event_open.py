"""perf_event_open(2) (kinds/perf.py) on recorded registers and memory: the struct
perf_event_attr it shares with PERF_EVENT_IOC_MODIFY_ATTRIBUTES, the PERF_FLAG_* flags and the
size the kernel writes back on E2BIG.  The expected forms are strace 6.1's (src/perf.c, its
tests/perf_event_open.c); strace's suite itself runs under the real tracer in
tests/differential/test_strace_suite.py."""

from __future__ import annotations

import struct

from recorded_memory import DictMemory, decode_line  # tests/unit is on sys.path (pytest rootdir import mode)

from syscope.decode import DecodeOptions, Decoder
from syscope.events import SyscallEvent

E2BIG, EINVAL = 7, 22
PERF_TYPE_HARDWARE, PERF_TYPE_BREAKPOINT = 0, 5
PERF_FLAG_FD_CLOEXEC = 8


def _attr(typ: int, size: int, config: int, period: int, bits: int, tail: bytes = b"") -> bytes:
    # struct perf_event_attr (linux/perf_event.h): type, size, config, sample_period,
    # sample_type, read_format, the bit-field word, then the fields from wakeup_events on
    return struct.pack("<IIQQQQQ", typ, size, config, period, 0, 0, bits) + tail.ljust(80, b"\0")


def test_perf_event_open_attr_pid_cpu_group_fd_flags() -> None:
    # PERF_COUNT_HW_CPU_CYCLES, disabled=1 and exclude_kernel=1 (bits 0 and 5)
    mem = DictMemory({0x1000: _attr(PERF_TYPE_HARDWARE, 64, 0, 1000, 0b100001)})
    line = decode_line("perf_event_open", (0x1000, 0, 0xFFFFFFFF, 0xFFFFFFFF, PERF_FLAG_FD_CLOEXEC), mem, 3)
    assert line == ("perf_event_open({type=PERF_TYPE_HARDWARE, size=PERF_ATTR_SIZE_VER0, "
                    "config=PERF_COUNT_HW_CPU_CYCLES, sample_period=1000, sample_type=0, read_format=0, "
                    "disabled=1, exclude_kernel=1, precise_ip=0 /* arbitrary skid */, ...}, "
                    "0, -1, -1, PERF_FLAG_FD_CLOEXEC) = 3")
    # unknown flag bits of the 64-bit flags (printflags64), and -e verbose=none: the attr is
    # its address, the flags still have their names
    line = decode_line("perf_event_open", (0x1000, 1, 2, 3, 0xFFFFFFFFFFFFFFFF), mem, -EINVAL,
                       DecodeOptions(no_verbose=frozenset({"perf_event_open"})))
    assert line == ("perf_event_open(0x1000, 1, 2, 3, PERF_FLAG_FD_NO_GROUP|PERF_FLAG_FD_OUTPUT|"
                    "PERF_FLAG_PID_CGROUP|PERF_FLAG_FD_CLOEXEC|0xfffffffffffffff0) = -1 EINVAL (Invalid argument)")


def test_perf_event_open_e2big_shows_the_size_the_kernel_wrote() -> None:
    # the caller's attr is larger than the kernel's, with a non-zero tail: the kernel writes
    # its own size (PERF_ATTR_SIZE_VER7 here) into attr.size and fails with E2BIG
    mem = DictMemory({0x1000: _attr(PERF_TYPE_HARDWARE, 0xA0, 0, 1, 0) + b"\xff" * 32})
    ev = SyscallEvent(pid=1, tid=1, arch="x86_64", nr=298, name="perf_event_open",
                      raw_args=(0x1000, 0, 0, 0xFFFFFFFF, 0, 0), ts_enter=0.0)
    dec = Decoder(DecodeOptions())
    dec.decode_entry(ev, mem)
    mem.blocks[0x1000] = _attr(PERF_TYPE_HARDWARE, 128, 0, 1, 0) + b"\xff" * 32
    ev.retval, ev.errno = -E2BIG, E2BIG
    dec.decode_exit(ev, mem)
    assert ev.args[0].startswith("{type=PERF_TYPE_HARDWARE, size=0xa0 /* PERF_ATTR_SIZE_??? */ => "
                                 "PERF_ATTR_SIZE_VER7, config=PERF_COUNT_HW_CPU_CYCLES, sample_period=1, ")
    assert ev.args[0].endswith(", ...}")
    assert ev.args[1:] == ["0", "0", "-1", "0"]


def test_perf_event_open_breakpoint_type_defaults_under_v() -> None:
    # bp_type (offset 52; size VER0 ends the attr after bp_addr): 5 is below HW_BREAKPOINT_INVALID
    # (RW|X): strace comments it as invalid; 0x10 is past it: HW_BREAKPOINT_???
    for bp_type, shown in ((5, "bp_type=0x5 /* HW_BREAKPOINT_INVALID */"),
                           (0x10, "bp_type=0x10 /* HW_BREAKPOINT_??? */"), (3, "bp_type=HW_BREAKPOINT_RW")):
        mem = DictMemory({0x1000: _attr(PERF_TYPE_BREAKPOINT, 64, 0, 1, 0, struct.pack("<II", 0, bp_type))})
        line = decode_line("perf_event_open", (0x1000, 0, 0, 0, 0), mem, -EINVAL, DecodeOptions(verbose=True))
        assert f"wakeup_events=0, {shown}, bp_addr=0}}" in line
