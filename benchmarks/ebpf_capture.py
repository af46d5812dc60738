"""Capture and live-filter throughput of the eBPF source (issue 10).

    .venv/bin/python benchmarks/ebpf_capture.py [--runs N] [--calls N]

1. Sustained capture rate: a scoped `dd bs=1` fills a 256 MiB ring while nobody consumes; the
   records are then drained as `watch -w` does (read_batch + CaptureWriter: one copy, LZ4 blocks)
   and, alternately, as the version-1 writer did (every record parsed, converted to an event, JSON,
   gzip).  Prints records/s written for each (target >= 1,000,000/s) and the ratio; medians.
2. Codecs on the same records: LZ4 block, zstd level 1, zlib level 1: MB/s and size ratio.
3. Live filtered rate: the same records parsed, converted and run through the filter
   `evt.type=openat and proc.name=cat` (what `watch` does per record): records/s.
4. `watch -w cap -- dd bs=1 count=N` end to end, unpinned and `taskset -c 0`: events written,
   dropped (target 0), seconds.
5. The cost to a dd of a system-wide watch for cats, with kernel-side selection and without:
   dd's time for N one-byte copies alone / with each watch, alternated; medians.
The machine may be shared: every comparison alternates its candidates in the same rounds.
Needs root (or CAP_BPF+CAP_PERFMON).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from pathlib import Path

import lz4.block

from syscope.context import Context
from syscope.filters.pushdown import kernel_selection
from syscope.filters.sysdig import compile_filter
from syscope.sinks.capture import CaptureWriter
from syscope.sources.ebpf.source import MODE_STREAM, RECORD, Probe, raw_event, spawn_parked
from syscope.sources.ebpf.stream import Converter

FILTER = "evt.type=openat and proc.name=cat"


def fill_ring(n_calls: int) -> Probe:
    probe = Probe(mode=MODE_STREAM, scoped=True, ring_size=1 << 28)
    pid, gate = spawn_parked(["/bin/dd", "if=/dev/zero", "of=/dev/null", "bs=1", f"count={n_calls}"])
    probe.mark(pid, pending=True)
    os.close(gate)
    os.waitpid(pid, 0)
    return probe


def capture_raw(n_calls: int, out: Path) -> float:
    probe = fill_ring(n_calls)
    try:
        t = time.perf_counter()
        w = CaptureWriter(out, Context(live=False))
        n = 0
        while True:
            data, k = probe.read_batch()
            if not k:
                break
            w.write_records(data, k)
            n += k
        w.close()
        return n / (time.perf_counter() - t)
    finally:
        probe.close()


def capture_v1(n_calls: int, out: Path) -> float:
    """The version-1 writer's work per record: parse, convert, to_dict, JSON, gzip."""
    probe = fill_ring(n_calls)
    try:
        t = time.perf_counter()
        conv = Converter(Context(live=False), probe.mono_to_wall)
        n = 0
        with gzip.open(out, "wt", encoding="utf-8") as f:
            while True:
                data, k = probe.read_batch()
                if not k:
                    break
                for tup in RECORD.iter_unpack(data):
                    ev = conv.convert(raw_event(tup))
                    if ev is not None:
                        f.write(json.dumps(ev.to_dict()) + "\n")
                        conv.settle(ev)
                n += k
        return n / (time.perf_counter() - t)
    finally:
        probe.close()


def sample(n_calls: int) -> bytes:
    probe = fill_ring(n_calls)
    try:
        chunks = []
        while True:
            data, k = probe.read_batch()
            if not k:
                break
            chunks.append(data)
        return b"".join(chunks)
    finally:
        probe.close()


def codecs(data: bytes, runs: int) -> None:
    block = 1 << 20
    pieces = [data[i:i + block] for i in range(0, len(data), block)]
    cands: dict[str, Callable[[bytes], bytes]] = {
        "lz4 block": lambda b: lz4.block.compress(b, store_size=False),
        "zlib -1": lambda b: zlib.compress(b, 1),
    }
    try:  # zstandard is not a dependency: compared when installed
        import zstandard

        cands["zstd -1"] = zstandard.ZstdCompressor(level=1).compress
    except ImportError:
        pass
    times: dict[str, list[float]] = {k: [] for k in cands}
    sizes: dict[str, int] = {}
    for _ in range(runs):
        for name, fn in cands.items():  # alternated in each round
            t = time.perf_counter()
            sizes[name] = sum(len(fn(p)) for p in pieces)
            times[name].append(time.perf_counter() - t)
    for name in cands:
        el = statistics.median(times[name])
        print(f"  {name:10} {len(data) / el / 1e6:8.0f} MB/s   ratio {len(data) / sizes[name]:6.1f}x")


def live_filtered(n_calls: int, flt: str, gated: bool) -> float:
    """Records/s through watch's live pipeline (parse, the user-space gate of the kernel's
    selection when ``gated``, event objects, the filter) over a ring a dd filled."""
    from syscope.sources.ebpf import stream

    probe = fill_ring(n_calls)
    try:
        ctx = Context(live=False)
        pred = compile_filter(flt, ctx)
        conv = Converter(ctx, probe.mono_to_wall)
        gate = stream._Gate(kernel_selection([flt])) if gated else None
        t = time.perf_counter()
        n = 0
        while True:
            data, k = probe.read_batch()
            if not k:
                break
            for tup in RECORD.iter_unpack(data):
                if gate is not None and gate.decide(tup) == stream._SKIP:
                    continue
                ev = conv.convert(raw_event(tup))
                if ev is not None:
                    pred(ev)
                    conv.settle(ev)
            n += k
        return n / (time.perf_counter() - t)
    finally:
        probe.close()


def watch_dd(count: int, pin: bool, cap: Path) -> tuple[str, float]:
    cmd = [sys.executable, "-m", "syscope", "watch", "-w", str(cap), "--", "dd", "if=/dev/zero",
           "of=/dev/null", "bs=1", f"count={count}"]
    if pin:
        cmd = ["taskset", "-c", "0", *cmd]
    t = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True)
    el = time.perf_counter() - t
    line = next((ln for ln in r.stderr.splitlines() if "events written" in ln), r.stderr.strip())
    return line, el


def dd_time(count: int) -> float:
    t = time.perf_counter()
    subprocess.run(["taskset", "-c", "0", "dd", "if=/dev/zero", "of=/dev/null", "bs=1",
                    f"count={count}"], stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - t


def dd_cost(count: int, runs: int) -> None:
    """dd alone vs under a system-wide watch for cats, with and without kernel-side selection."""
    from syscope.sources.ebpf.stream import watch_events

    def under(selection: object) -> float:
        import threading

        stop = threading.Event()
        result: list[float] = []

        def run_dd() -> None:
            time.sleep(0.3)
            result.append(dd_time(count))
            stop.set()

        th = threading.Thread(target=run_dd)
        th.start()
        pred = compile_filter(FILTER)
        for ev in watch_events(selection=selection, stop=stop.is_set):  # type: ignore[arg-type]
            pred(ev)
        th.join()
        return result[0]

    sel = kernel_selection([FILTER])
    res: dict[str, list[float]] = {"alone": [], "watch, selected in kernel": [], "watch, all sent": []}
    for _ in range(runs):
        res["alone"].append(dd_time(count))
        res["watch, selected in kernel"].append(under(sel))
        res["watch, all sent"].append(under(None))
    base = statistics.median(res["alone"])
    for name, vals in res.items():
        m = statistics.median(vals)
        print(f"  {name:28} {m:6.2f}s  ({m / base:4.2f}x dd alone)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--calls", type=int, default=300_000, help="dd copies (2 records each)")
    ap.add_argument("--dd-count", type=int, default=200_000)
    a = ap.parse_args()
    print("machine may be loaded by other work: alternated rounds, medians")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "cap"
        raw, v1 = [], []
        for _ in range(a.runs):
            raw.append(capture_raw(a.calls, out))
            v1.append(capture_v1(a.calls, out))
        r, b = statistics.median(raw), statistics.median(v1)
        print(f"capture, raw LZ4 blocks          {r:>12,.0f} records/s (target >= 1,000,000)")
        print(f"capture, v1 (event->JSON->gzip)  {b:>12,.0f} records/s   ratio {r / b:.1f}x")
        print("codecs on the same records (1 MiB blocks):")
        codecs(sample(a.calls), a.runs)
        for flt in (FILTER, "evt.type=write and fd.num=1"):
            full, gated = [], []
            for _ in range(a.runs):
                full.append(live_filtered(a.calls, flt, gated=False))
                gated.append(live_filtered(a.calls, flt, gated=True))
            g, f_ = statistics.median(gated), statistics.median(full)
            print(f"live filtered '{flt}': {g:,.0f} records/s (events built only past the "
                  f"selection); {f_:,.0f}/s building every event; ratio {g / f_:.1f}x")
        for pin in (False, True):
            for _ in range(min(a.runs, 3)):
                line, el = watch_dd(a.dd_count, pin, out)
                print(f"watch -w -- dd count={a.dd_count} {'taskset -c 0' if pin else 'unpinned'}: "
                      f"{line} ({el:.2f}s)")
        print(f"dd bs=1 count={a.dd_count} on CPU 0, with a system-wide watch for '{FILTER}':")
        dd_cost(a.dd_count, min(a.runs, 3))


if __name__ == "__main__":
    main()
