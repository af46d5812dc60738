"""Syscall numbers <-> names for the eBPF source: x86_64's table, and i386's for the calls a task
makes through the 32-bit entry (the BPF code flags those, see TS_CALL32 in syscope.bpf.c).

All from the generated tables (``syscope.syscalls``); ``syscall_NNN`` for a number they lack, so
the watcher never fails on one.
"""

from __future__ import annotations

import functools

from syscope.syscalls import table


@functools.cache
def by_nr(arch: str = "x86_64") -> dict[int, str]:
    return {info.nr: info.name for info in table(arch)}


@functools.cache
def by_name(arch: str = "x86_64") -> dict[str, int]:
    return {v: k for k, v in by_nr(arch).items()}


def name_of(nr: int, arch: str = "x86_64") -> str:
    return by_nr(arch).get(nr) or f"syscall_{nr}"


@functools.cache
def nargs(arch: str = "x86_64") -> dict[int, int]:
    """nr -> argument count (6 where the table knows no signature)."""
    return {info.nr: info.nargs for info in table(arch)}
