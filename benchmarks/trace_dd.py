"""Full and filtered trace cost: syscope against strace on real workloads.

Full traces (both tracers with ``-o /dev/null``, syscope ÷ strace, wall clock of the whole run):

- ``dd if=/dev/zero of=/dev/null bs=1 count=N``: two calls a byte, the per-stop cost alone;
- ``tar cf /dev/null /usr/include``: openat/fstat/read/getdents64 on thousands of files;
- ``ls -laR /usr/share/doc``: statx/getxattr/readlink, many failing calls;
- ``/usr/bin/python3 -c 'import json,email,http.client'``: a short run, start-up included;
- ``sh -c 'for i in 1 .. 10; do ls -la /usr/share; done'`` (``--only sh``, not run unless named):
  with ``--opts -f`` a tree of two tasks, the shell waiting in wait4 while each ls runs.

Each is run unpinned and with tracer and tracee on one CPU (``taskset -c 0``: a stop then wakes
a task on the same CPU, so the figure depends less on how deeply an idle CPU sleeps), strace and
syscope alternately in the same round, medians over RUNS rounds.  Each ratio is given twice: by
wall clock (what the issue's targets are about) and by CPU time of tracer and tracee together
(user + system, getrusage of the waited-for processes), which a loaded machine disturbs less.
With ``--baseline-src DIR`` (a checkout's ``src``, e.g. ``git archive HEAD src | tar -x -C DIR``)
the old syscope runs in the same rounds too, so a change is measured against what it replaces.

The filtered case (``-e trace=openat`` on NF dd calls) compares syscope with the untraced run,
with strace --seccomp-bpf and with an allow-all seccomp filter (the kernel's floor).

``--expr trace=close`` (any -e expression) gives both tracers that expression in the full-trace
workloads: without -f no seccomp prefilter is used, so every call still stops, and the calls left
out cost a stop at entry and one at exit (where neither tracer reads anything).

``--opts '-f -tt -T'`` gives both tracers those options in the full-trace workloads (the usual
``strace -f -tt -T -o FILE``).

Usage: .venv/bin/python benchmarks/trace_dd.py [N] [RUNS] [NF] [--only WORKLOAD,...]
       [--baseline-src DIR] [--no-filtered] [--expr EXPR] [--opts OPTIONS]
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import tempfile

from rounds import INTERPRETER, PIN, SYSCOPE, alternated, medians


def workloads(n: int) -> dict[str, list[str]]:
    return {
        "dd": ["dd", "if=/dev/zero", "of=/dev/null", "bs=1", f"count={n}"],
        "tar": ["tar", "cf", "/dev/null", "/usr/include"],
        "ls": ["ls", "-laR", "/usr/share/doc"],
        "python": ["/usr/bin/python3", "-c", "import json,email,http.client"],
        "sh": ["sh", "-c", "for i in 1 2 3 4 5 6 7 8 9 10; do ls -la /usr/share >/dev/null; done"],
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", nargs="?", type=int, default=20000)
    ap.add_argument("runs", nargs="?", type=int, default=5)
    ap.add_argument("nf", nargs="?", type=int, default=2_000_000)
    ap.add_argument("--only", default="", help="comma-separated workloads (dd,tar,ls,python,sh)")
    ap.add_argument("--baseline-src", default="", help="an older syscope's src/ to run alongside")
    ap.add_argument("--no-filtered", action="store_true", help="skip the filtered (seccomp) case")
    ap.add_argument("--expr", default="", help="an -e expression for both tracers' full-trace runs (trace=close)")
    ap.add_argument("--opts", default="", help="options for both tracers' full-trace runs ('-f -tt -T')")
    args = ap.parse_args()
    loads = workloads(args.n)
    if args.only:
        loads = {k: v for k, v in loads.items() if k in args.only.split(",")}
    else:
        del loads["sh"]  # (the four; the shell's tree is for -f: --only sh --opts -f)
    # syscope as installed: with PYTHONDONTWRITEBYTECODE (set on some machines) every run would
    # compile its ~150 modules again (0.1 s of start-up becomes 0.8 s); the first run writes them
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    base_env = None
    if args.baseline_src:
        base_env = dict(env, PYTHONPATH=os.path.abspath(args.baseline_src))
    cases: dict[str, tuple[list[str], dict[str, str] | None]] = {}
    expr = (["-e", args.expr] if args.expr else []) + shlex.split(args.opts)
    for name, cmd in loads.items():
        for pin, tag in (([], ""), (PIN, "_cpu0")):
            cases[f"{name}{tag}/strace"] = ([*pin, "strace", *expr, "-o", "/dev/null", *cmd], None)
            cases[f"{name}{tag}/syscope"] = ([*pin, *SYSCOPE, *expr, "-o", "/dev/null", "--", *cmd], env)
            if base_env is not None:
                cases[f"{name}{tag}/old"] = ([*pin, *SYSCOPE, *expr, "-o", "/dev/null", "--", *cmd], base_env)
    allow_all = None
    if not args.no_filtered:
        ddf = ["dd", "if=/dev/zero", "of=/dev/null", "bs=1", f"count={args.nf}"]
        # The kernel's floor for any seccomp filter: an allow-all profile run by `syscope run` (same
        # Python start-up as the tracer) - a task with a filter takes the slow syscall entry path.
        allow_all = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
        json.dump({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": []}, allow_all)
        allow_all.close()
        cases.update({
            "filtered/native": (ddf, None),
            "filtered/strace_seccomp": (["strace", "-f", "--seccomp-bpf", "-o", "/dev/null", "-e",
                                         "trace=openat", *ddf], None),
            "filtered/syscope": ([*SYSCOPE, "-f", "-o", "/dev/null", "-e", "trace=openat", "--", *ddf], env),
            "filtered/seccomp_floor": ([*SYSCOPE, "run", "--profile", allow_all.name, "--", *ddf], env),
        })
    try:
        times, cpu = alternated(cases, args.runs)
    finally:
        if allow_all is not None:
            os.unlink(allow_all.name)
    med = medians(times)
    cmed = medians(cpu)
    impl = subprocess.run([sys.executable, "-c", "from syscope._kernel import stops; print(stops.IMPLEMENTATION)"],
                          capture_output=True, text=True).stdout.strip()
    print(f"CPUs: {os.cpu_count()}  load average: {os.getloadavg()[0]:.2f}  runs: {args.runs}  "
          f"per-stop calls: {impl} (SYSCOPE_PURE_PYTHON=1: python)  {INTERPRETER}")
    for k, v in med.items():
        print(f"{k:28s} {v:8.3f} s  cpu {cmed[k]:8.3f} s")
    print("full trace, syscope ÷ strace (unpinned | taskset -c 0):")
    for name in loads:
        line = f"  {name:8s} {med[name + '/syscope'] / med[name + '/strace']:5.2f} | " \
               f"{med[name + '_cpu0/syscope'] / med[name + '_cpu0/strace']:5.2f}"
        if base_env is not None:
            line += f"    old: {med[name + '/old'] / med[name + '/strace']:5.2f} | " \
                    f"{med[name + '_cpu0/old'] / med[name + '_cpu0/strace']:5.2f}"
        print(line)
    print("CPU time (tracer + tracee, user + system), syscope ÷ strace (unpinned | taskset -c 0):")
    for name in loads:
        line = f"  {name:8s} {cmed[name + '/syscope'] / cmed[name + '/strace']:5.2f} | " \
               f"{cmed[name + '_cpu0/syscope'] / cmed[name + '_cpu0/strace']:5.2f}"
        if base_env is not None:
            line += f"    old: {cmed[name + '/old'] / cmed[name + '/strace']:5.2f} | " \
                    f"{cmed[name + '_cpu0/old'] / cmed[name + '_cpu0/strace']:5.2f}"
        print(line)
    if not args.no_filtered:
        nat = med["filtered/native"]
        print(f"filtered (count={args.nf}) syscope/native = {med['filtered/syscope'] / nat:.2f}, "
              f"strace --seccomp-bpf/native = {med['filtered/strace_seccomp'] / nat:.2f}, "
              f"allow-all seccomp filter/native = {med['filtered/seccomp_floor'] / nat:.2f}")


if __name__ == "__main__":
    main()
