"""The eBPF tracer's cost: ``syscope --backend ebpf -f -o F -- dd ... bs=1`` ÷ dd alone, and the
same for strace and for ``syscope --backend ptrace``.

dd bs=1 makes two calls a byte (a read and a write of one byte), the worst case for a tracer: its
whole cost is per call.  Each tracer writes every line to a file (``-o F``, a fresh file in a
temporary directory, as a user would), and the wall clock of the whole run is taken (the eBPF
tracer's run includes draining and printing what the kernel recorded after dd ended).  The cases
run alternately in each round, unpinned and all on one CPU (``taskset -c 0``: tracer and tracee
then share it), medians over RUNS rounds.  It also says whether every call was printed (lines in
F against the 2 x COUNT calls dd makes).

``--baseline-src DIR`` adds ``ebpf-base``: the same eBPF run with another syscope tree first on the
path (``git archive REV src | tar -x -C DIR`` makes one: DIR/src), to measure a change against the
code before it in the same alternation.

``--input /dev/urandom`` makes every call differ (each byte read and written is another): the
eBPF tracer sends a run of calls equal to the ones before them as one record, and /dev/zero's
stream is that best case, so both figures are worth reporting.

Usage: .venv/bin/python benchmarks/trace_ebpf.py [COUNT] [RUNS] [--no-strace] [--no-ptrace]
       [--baseline-src DIR] [--input PATH]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from rounds import PIN, SYSCOPE, medians, timed


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("count", nargs="?", type=int, default=2_000_000)
    ap.add_argument("runs", nargs="?", type=int, default=5)
    ap.add_argument("--no-strace", action="store_true", help="skip strace (85x native: long with a big COUNT)")
    ap.add_argument("--no-ptrace", action="store_true", help="skip syscope's ptrace backend")
    ap.add_argument("--baseline-src", type=Path, help="also run the eBPF tracer of this tree (DIR/src)")
    ap.add_argument("--input", default="/dev/zero", help="dd's if= (/dev/urandom: no two calls alike)")
    args = ap.parse_args()
    dd = ["dd", f"if={args.input}", "of=/dev/null", "bs=1", f"count={args.count}"]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "trace"
        tracers: dict[str, list[str]] = {"native": [],
                                         "ebpf": [*SYSCOPE, "--backend", "ebpf", "-f", "-o", str(out), "--"]}
        # syscope as installed runs from compiled bytecode: with PYTHONDONTWRITEBYTECODE (or a
        # tree it may not write to) each run would compile every module it imports again.  The
        # bytecode goes to a cache in the temporary directory, written by the warm-up runs below
        base_env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        base_env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        envs: dict[str, dict[str, str]] = {"ebpf": base_env, "ptrace": base_env}
        if args.baseline_src is not None:
            tracers["ebpf-base"] = tracers["ebpf"]
            envs["ebpf-base"] = {**base_env, "PYTHONPATH": str(args.baseline_src.resolve() / "src"),
                                 "PYTHONPYCACHEPREFIX": str(Path(tmp) / "pycache-base")}
        if not args.no_ptrace:
            tracers["ptrace"] = [*SYSCOPE, "--backend", "ptrace", "-f", "-o", str(out), "--"]
        if not args.no_strace:
            tracers["strace"] = ["strace", "-f", "-o", str(out)]
        for name, pre in tracers.items():
            if pre[:1] == [sys.executable]:
                timed([*pre, "dd", "if=/dev/zero", "of=/dev/null", "count=1"], envs.get(name))
        times: dict[str, list[float]] = {}
        cpus: dict[str, list[float]] = {}
        complete: list[bool] = []
        notes: set[str] = set()
        for _ in range(args.runs):
            for pin, tag in (([], ""), (PIN, " cpu0")):
                for name, pre in tracers.items():
                    took, cpu, err = timed([*pin, *pre, *dd], envs.get(name), keep_stderr=True)
                    times.setdefault(name + tag, []).append(took)
                    cpus.setdefault(name + tag, []).append(cpu)
                    if name.startswith("ebpf"):
                        byte_calls = ("read(0, ", "write(1, ")
                        calls = sum(1 for ln in out.read_text().splitlines()
                                    if ln.split(" ", 1)[-1].lstrip().startswith(byte_calls))
                        complete.append(calls == 2 * args.count)
                        notes.update(ln for ln in err.splitlines() if ln.startswith("syscope:"))
    med = medians(times)
    cpu_med = medians(cpus)
    print(f"CPUs: {os.cpu_count()}  load average: {os.getloadavg()[0]:.2f}  runs: {args.runs}  "
          f"dd if={args.input} bs=1 count={args.count}")
    for k, v in med.items():
        print(f"  {k:14s} {v:8.3f} s wall  {cpu_med[k]:8.3f} s CPU")
    for what, m in (("wall clock", med), ("CPU time (user + system, tracer + dd)", cpu_med)):
        print(f"÷ native, {what} (unpinned | taskset -c 0):")
        for name in tracers:
            if name != "native":
                print(f"  {name:10s} {m[name] / m['native']:7.2f} | {m[name + ' cpu0'] / m['native cpu0']:7.2f}")
    print(f"eBPF runs that printed every read and write: {sum(complete)}/{len(complete)}")
    for n in sorted(notes):
        print("  " + n)


if __name__ == "__main__":
    main()
