"""Cost of `syscope profile` (recording) against the bare command.

Runs alternately, RUNS rounds, medians: the command alone, `strace -f -o /dev/null` (the same
ptrace work, in C), `syscope profile` with the ptrace recorder (default) and with the notify
recorder, and `syscope run --profile` (enforcing the recorded profile).  The command is
`ls -la /usr/bin` (a few thousand calls) and `dd bs=1 count=N` (2N+ calls, the per-call cost).
A `python -m syscope --version`-sized start (~0.1 s) is in every syscope figure.
Usage: .venv/bin/python benchmarks/profile_record.py [RUNS] [N]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rounds import SYSCOPE  # syscope as the console script starts it

RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 5
N = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
PROGRAMS = {"ls": ["ls", "-la", "/usr/bin"],
            "dd": ["dd", "if=/dev/zero", "of=/dev/null", "bs=1", f"count={N}"]}


def timed(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:  # the profiles recorded, gone with the run
        measure(Path(tmp))


def measure(tmp: Path) -> None:
    for label, prog in PROGRAMS.items():
        prof = str(tmp / f"{label}.json")
        subprocess.run([*SYSCOPE, "profile", "-o", prof, "--", *prog], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        cases = {
            "native": prog,
            "strace -f": ["strace", "-f", "-o", "/dev/null", *prog],
            "profile (ptrace)": [*SYSCOPE, "profile", "-o", "/dev/null", "--", *prog],
            "profile (notify)": [*SYSCOPE, "profile", "--recorder", "notify", "-o", "/dev/null", "--", *prog],
            "run --profile": [*SYSCOPE, "run", "--profile", prof, "--", *prog],
            "syscope start": [*SYSCOPE, "syscalls", "read"],
        }
        times: dict[str, list[float]] = {k: [] for k in cases}
        for _ in range(RUNS):
            for name, cmd in cases.items():
                times[name].append(timed(cmd))
        med = {k: statistics.median(v) for k, v in times.items()}
        print(f"== {' '.join(prog)}")
        for k, v in med.items():
            extra = "" if k == "native" else f"   x{v / med['native']:.1f} native"
            print(f"{k:18s} {v:8.3f} s{extra}")
        start = med["syscope start"]
        for k in ("profile (ptrace)", "profile (notify)"):
            print(f"{k} minus syscope start: x{(med[k] - start) / med['native']:.1f} native, "
                  f"x{(med[k] - start) / med['strace -f']:.2f} strace -f")


if __name__ == "__main__":
    main()
