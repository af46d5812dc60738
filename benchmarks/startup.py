"""Start-up cost: syscope against strace on runs that are nearly all start-up.

- ``true``: ``-o /dev/null -- /bin/true`` — the tracer's own start-up, the tracee's is ~1 ms;
- ``bad-e``: ``-e trace=%foo /bin/true`` — an option error (strace's syntax tests run thousands);
- ``python``: ``-o /dev/null -- /usr/bin/python3 -c 'import json,email,http.client'`` (issue 14's
  short workload: there syscope's start-up is a large part of the whole);
- ``bare``: the interpreter alone (``python -c pass``), the floor of any Python tool.

syscope runs as pip's console script does (``from syscope.cli.main import console_entry``, not
``-m``, which also imports runpy); ``--module`` adds the ``python -m syscope`` spelling.  Each
round runs every command once, alternately, unpinned and under ``taskset -c 0``; medians over
RUNS rounds of the CPU time (user + system of the tracer and the tracee, getrusage: what a loaded
machine disturbs least) and of the wall clock.  With ``--baseline-src DIR`` (a checkout's
``src``: ``git archive REV src | tar -x -C DIR``) the old syscope runs in the same rounds too.
``--importtime`` prints the slowest imports of one ``true`` run (``python -X importtime``).

Usage: .venv/bin/python benchmarks/startup.py [RUNS] [--baseline-src DIR] [--module] [--importtime]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys

from rounds import INTERPRETER, LAUNCHER, PIN, alternated, timed

CASES = {
    "true": ["-o", "/dev/null", "--", "/bin/true"],
    "bad-e": ["-e", "trace=%foo", "/bin/true"],
    "python": ["-o", "/dev/null", "--", "/usr/bin/python3", "-c", "import json,email,http.client"],
}


def env_with(src: str) -> dict[str, str]:
    # syscope as installed runs from compiled bytecode: with PYTHONDONTWRITEBYTECODE (set on some
    # machines) each run would compile every module it imports again, the standard library's
    # among them, and that is what would be measured; the warm-up run writes the bytecode
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = src + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def importtime(env: dict[str, str], top: int = 25) -> None:
    out = subprocess.run([sys.executable, "-X", "importtime", "-c", LAUNCHER, *CASES["true"]],
                         env=env, capture_output=True, text=True).stderr
    rows = []
    for line in out.splitlines():
        if line.startswith("import time:") and "cumulative" not in line:
            own, cumulative, name = line[len("import time:"):].split("|")
            rows.append((int(cumulative), int(own), name.rstrip()))
    print(f"slowest imports of one 'true' run (µs, wall clock; {len(rows)} modules):")
    for cumulative, own, name in sorted(rows, reverse=True)[:top]:
        print(f"  {cumulative:8d} {own:8d}  {name}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("runs", nargs="?", type=int, default=15)
    ap.add_argument("--baseline-src", help="an older syscope's src folder, run in the same rounds")
    ap.add_argument("--module", action="store_true", help="also time python -m syscope")
    ap.add_argument("--importtime", action="store_true", help="print the slowest imports of one run")
    args = ap.parse_args()
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "src")
    tracers: dict[str, tuple[list[str], dict[str, str] | None]] = {
        "strace": (["strace"], None),
        "syscope": ([sys.executable, "-c", LAUNCHER], env_with(here)),
    }
    if args.module:
        tracers["syscope -m"] = ([sys.executable, "-m", "syscope"], env_with(here))
    if args.baseline_src:
        tracers["baseline"] = ([sys.executable, "-c", LAUNCHER], env_with(args.baseline_src))
    cmds: dict[tuple[str, str, bool], tuple[list[str], dict[str, str] | None]] = {}
    for pinned in (False, True):
        pin = PIN if pinned else []
        cmds[("bare", "python", pinned)] = ([*pin, sys.executable, "-c", "pass"], env_with(here))
        for case, argv in CASES.items():
            for name, (tracer, env) in tracers.items():
                cmds[(case, name, pinned)] = ([*pin, *tracer, *argv], env)
    for cmd, env in cmds.values():
        timed(cmd, env)  # warm the page cache (and compile bytecode where it may be written)
    walls, cpus = alternated(cmds, args.runs)
    med = statistics.median
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}; medians of {args.runs} alternated rounds;"
          f" {INTERPRETER}")
    print(f"{'case':8} {'tracer':11} {'CPU ms':>9} {'wall ms':>9} {'÷strace CPU':>12} {'÷strace wall':>13}"
          f"   {'pinned: CPU ms':>14} {'wall ms':>9} {'÷strace CPU':>12} {'÷strace wall':>13}")
    for case, tracer, pinned in cmds:
        if pinned:
            continue
        cells = []
        for pin in (False, True):
            key, ref = (case, tracer, pin), (case, "strace", pin)
            c, w = med(cpus[key]) * 1e3, med(walls[key]) * 1e3
            if ref in cmds and tracer != "strace":
                rc, rw = c / (med(cpus[ref]) * 1e3), w / (med(walls[ref]) * 1e3)
                cells.append(f"{c:9.1f} {w:9.1f} {rc:12.2f} {rw:13.2f}")
            else:
                cells.append(f"{c:9.1f} {w:9.1f} {'':12} {'':13}")
        print(f"{case:8} {tracer:11} {cells[0]}   {'':5}{cells[1]}")
    if args.importtime:
        importtime(env_with(here))


if __name__ == "__main__":
    main()
