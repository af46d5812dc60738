#!/usr/bin/env python3
"""Cost of decoding the dd bs=1 hot path: read(0, "\\0", 1) = 1 / write(1, "\\0", 1) = 1.

Runs alternately, several rounds, and reports medians: the decode (entry + exit) of one
read/write pair in microseconds, and its ratio to a baseline that only builds the two
SyscallEvent objects the tracer creates anyway.  Memory is an in-process reader over the
recorded 1-byte buffer (the tracer's /proc/PID/mem read is measured by the trace benchmark).
"""

from __future__ import annotations

import statistics
import time

from syscope.decode import DecodeOptions, Decoder
from syscope.events import SyscallEvent

N = 20000


class OneByte:
    tid = 1

    def read(self, addr: int, size: int) -> bytes | None:
        return b"\0"[:size]

    def read_cstr(self, addr: int, limit: int) -> tuple[bytes, bool] | None:
        return b"", True


def baseline() -> float:
    t = time.perf_counter()
    for _ in range(N):
        SyscallEvent(pid=1, tid=1, arch="x86_64", nr=0, name="read", raw_args=(0, 4096, 1, 0, 0, 0),
                     ts_enter=0.0)
        SyscallEvent(pid=1, tid=1, arch="x86_64", nr=1, name="write", raw_args=(1, 4096, 1, 0, 0, 0),
                     ts_enter=0.0)
    return time.perf_counter() - t


def decoded(dec: Decoder, mem: OneByte) -> float:
    t = time.perf_counter()
    for _ in range(N):
        r = SyscallEvent(pid=1, tid=1, arch="x86_64", nr=0, name="read", raw_args=(0, 4096, 1, 0, 0, 0),
                         ts_enter=0.0)
        dec.decode_entry(r, mem)
        r.retval = 1
        dec.decode_exit(r, mem)
        w = SyscallEvent(pid=1, tid=1, arch="x86_64", nr=1, name="write", raw_args=(1, 4096, 1, 0, 0, 0),
                         ts_enter=0.0)
        dec.decode_entry(w, mem)
        w.retval = 1
        dec.decode_exit(w, mem)
    return time.perf_counter() - t


def main() -> None:
    dec, mem = Decoder(DecodeOptions()), OneByte()
    base, full = [], []
    for _ in range(7):
        base.append(baseline())
        full.append(decoded(dec, mem))
    b, f = statistics.median(base), statistics.median(full)
    per_pair = (f - b) / N * 1e6
    print(f"decode cost per read+write pair: {per_pair:.2f} us ({per_pair / 2:.2f} us per call)")
    print(f"ratio (events + decode) / events only: {f / b:.2f}x")


if __name__ == "__main__":
    main()
