"""Full and filtered trace cost on `dd if=/dev/zero of=/dev/null bs=1 count=N`.

Runs native, strace and syscope alternately (both tracers with -o /dev/null), takes the median of
several runs and prints ratios: syscope/strace for a full trace (N calls), syscope/native for a
filtered one (`-e trace=openat`, NF calls: enough that the ~0.1 s start of a Python program does
not hide what the untraced calls cost; strace is shown with and without --seccomp-bpf).
Usage: .venv/bin/python benchmarks/trace_dd.py [N] [RUNS] [NF]
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time

N = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
RUNS = int(sys.argv[2]) if len(sys.argv) > 2 else 5
NF = int(sys.argv[3]) if len(sys.argv) > 3 else 2_000_000
DD = ["dd", "if=/dev/zero", "of=/dev/null", "bs=1", f"count={N}"]
DDF = ["dd", "if=/dev/zero", "of=/dev/null", "bs=1", f"count={NF}"]
SYSCOPE = [sys.executable, "-m", "syscope"]
# The kernel's floor for any seccomp filter: an allow-all profile run by `syscope run` (same Python
# start-up as the tracer) - a task with a filter takes the slow syscall entry path on every call.
ALLOW_ALL = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
json.dump({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": []}, ALLOW_ALL)
ALLOW_ALL.close()
CASES = {
    "native": DD,
    "strace": ["strace", "-o", "/dev/null", *DD],
    "syscope": [*SYSCOPE, "-o", "/dev/null", "--", *DD],
    # Both tracers and their tracee on one CPU: a stop then wakes a task on the same CPU, so the
    # figure depends less on how deeply an idle second CPU sleeps between stops.
    "strace_cpu0": ["taskset", "-c", "0", "strace", "-o", "/dev/null", *DD],
    "syscope_cpu0": ["taskset", "-c", "0", *SYSCOPE, "-o", "/dev/null", "--", *DD],
    "native_f": DDF,
    "strace_filtered": ["strace", "-o", "/dev/null", "-e", "trace=openat", *DD],
    "strace_seccomp_f": ["strace", "-f", "--seccomp-bpf", "-o", "/dev/null", "-e", "trace=openat", *DDF],
    "syscope_filtered": [*SYSCOPE, "-o", "/dev/null", "-e", "trace=openat", "--", *DDF],
    "seccomp_floor_f": [*SYSCOPE, "run", "--profile", ALLOW_ALL.name, "--", *DDF],
}


def timed(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def main() -> None:
    times: dict[str, list[float]] = {k: [] for k in CASES}
    for _ in range(RUNS):
        for name, cmd in CASES.items():
            times[name].append(timed(cmd))
    med = {k: statistics.median(v) for k, v in times.items()}
    for k, v in med.items():
        print(f"{k:18s} {v:8.3f} s")
    print(f"full trace     syscope/strace = {med['syscope'] / med['strace']:.2f}")
    print(f"full trace     strace/native  = {med['strace'] / med['native']:.1f}")
    print(f"full trace, one CPU   syscope/strace = {med['syscope_cpu0'] / med['strace_cpu0']:.2f}")
    print(f"filtered       syscope/native = {med['syscope_filtered'] / med['native_f']:.2f}   (count={NF})")
    print(f"filtered       strace --seccomp-bpf/native = {med['strace_seccomp_f'] / med['native_f']:.2f}")
    print(f"filtered       allow-all seccomp filter/native = {med['seccomp_floor_f'] / med['native_f']:.2f}"
          "   (the kernel's floor, with syscope's start-up)")
    print(f"filtered       strace (no seccomp)/native = {med['strace_filtered'] / med['native']:.1f}"
          f"   (count={N})")


if __name__ == "__main__":
    main()
