"""Summary mode cost: `dd bs=1` under kernel-side counting vs native, run alternately.

    .venv/bin/python benchmarks/ebpf_summary.py [--runs N] [--count N] [--strace]

Prints the median wall time of each and the ratio (target <= 2.0).  ``--strace`` also times
``strace -c -f`` once on the same command for comparison.  Needs root (or CAP_BPF+CAP_PERFMON).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import time

from syscope.sources.ebpf.summary import run_counted


def _native(argv: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(argv, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - t


def _counted(argv: list[str]) -> float:
    # The probe is loaded inside run_counted; time only the child's life, as the native run does.
    t = time.perf_counter()
    devnull = os.open(os.devnull, os.O_WRONLY)
    saved = os.dup(2)
    os.dup2(devnull, 2)
    try:
        status, _rows = run_counted(argv)
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)
    assert status == 0
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--count", type=int, default=2_000_000)
    ap.add_argument("--strace", action="store_true")
    a = ap.parse_args()
    argv = ["/bin/dd", "if=/dev/zero", "of=/dev/null", "bs=1", f"count={a.count}"]
    native: list[float] = []
    counted: list[float] = []
    ratios: list[float] = []
    for _ in range(a.runs):
        n = _native(argv)
        c = _counted(argv)
        native.append(n)
        counted.append(c)
        ratios.append(c / n)
    print(f"command: {' '.join(argv)}")
    print(f"native median       {statistics.median(native):8.3f} s")
    print(f"ebpf -c median      {statistics.median(counted):8.3f} s  (includes BPF load+attach)")
    print(f"ratio median        {statistics.median(ratios):8.2f} x  (target <= 2.0)")
    if a.strace:
        t = time.perf_counter()
        subprocess.run(["strace", "-c", "-f", "-o", os.devnull, *argv], stderr=subprocess.DEVNULL)
        s = time.perf_counter() - t
        print(f"strace -c -f        {s:8.3f} s  ratio {s / statistics.median(native):.1f} x")


if __name__ == "__main__":
    main()
