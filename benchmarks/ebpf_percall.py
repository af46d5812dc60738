"""What one call of a program traced by ``syscope --backend ebpf`` costs the kernel, in ns, beside
its floors: the traced program's CPU time per call (``dd bs=1``: a read and a write of one byte a
byte, so its CPU is all per call) natively, with two empty tp_btf programs on sys_enter/sys_exit
(the floor of any syscall tracepoint program: the tracepoint's dispatch and the BPF trampoline),
and under ``syscope --backend ebpf -f -o F``; and each BPF program's own run time per run
(bpf_stats: run_time_ns / run_cnt, the kernel's figures) for the empty programs and syscope's.

dd runs under a small wrapper that reports its own rusage (getrusage(2) of the one child it
waited for), so dd's CPU is told from the tracer's; "rest" is what the wrapper's parent side
took: the tracer (and the wrapper's start, as in the native run).  The cases alternate in each
round, unpinned and all on one CPU (``taskset -c 0``); medians over RUNS rounds.  The bpf_stats
pass runs after the timed rounds (stats on, every BPF program on the machine reads the clock
twice a run, which would slow the timed runs): its "less empty" column takes away what the
empty program's run costs there, the stats' own clock reads.

Needs clang (the empty programs are compiled at run time, as ``syscope.sources.ebpf.build``
compiles the shipped ones).

``--baseline-src DIR`` adds ``syscope-base``: the same with another syscope tree first on the path
(``git archive REV src | tar -x -C DIR`` makes one: DIR/src), alternated with this one.

Usage: .venv/bin/python benchmarks/ebpf_percall.py [COUNT] [RUNS] [--baseline-src DIR]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from rounds import PIN, SYSCOPE

from syscope._kernel import libbpf
from syscope.sources.ebpf import build

EMPTY_HOOKS = """\
#define SEC(name) __attribute__((section(name), used))
char LICENSE[] SEC("license") = "GPL";
SEC("tp_btf/sys_enter") int empty_enter(void *ctx) { return 0; }
SEC("tp_btf/sys_exit") int empty_exit(void *ctx) { return 0; }
"""

# Runs ARGV, waits for it, and writes its CPU seconds (user + system) to the file named first.
WRAPPER = """\
import os, sys
pid = os.posix_spawnp(sys.argv[2], sys.argv[2:], os.environ)
_, status, ru = os.wait4(pid, 0)
open(sys.argv[1], "w").write(repr(ru.ru_utime + ru.ru_stime))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def empty_hooks(tmp: Path) -> libbpf.BpfObject:
    """The floor: two empty programs on the syscall tracepoints, loaded and attached."""
    src = tmp / "empty.bpf.c"
    src.write_text(EMPTY_HOOKS)
    clang = build._tool(("clang-14", "clang"))
    subprocess.run([clang, *build.CFLAGS, src.name, "-o", "empty.bpf.o"], cwd=tmp, check=True)
    obj = libbpf.BpfObject(tmp / "empty.bpf.o")
    obj.load()
    for prog in ("empty_enter", "empty_exit"):
        obj.attach(prog)
    return obj


class ProgWatch:
    """Takes an fd of every BPF program process ``pid`` holds while it runs (found in
    /proc/PID/fdinfo), so their run counts can be read after it ended."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.fds: dict[int, int] = {}  # prog id -> our fd
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()

    def _poll(self) -> None:
        while not self._done.wait(0.05):
            try:
                names = os.listdir(f"/proc/{self.pid}/fdinfo")
            except OSError:
                return
            for n in names:
                try:
                    info = Path(f"/proc/{self.pid}/fdinfo/{n}").read_text()
                except OSError:
                    continue
                for line in info.splitlines():
                    if line.startswith("prog_id:") and "link_type" not in info:
                        pid_ = int(line.split()[1])
                        if pid_ not in self.fds:
                            fd = libbpf.prog_fd_by_id(pid_)
                            if fd is not None:
                                self.fds[pid_] = fd

    def stats(self) -> dict[str, libbpf.ProgStats]:
        self._done.set()
        self._thread.join()
        out = {}
        for fd in self.fds.values():
            st = libbpf.prog_stats(fd)
            out[st.name] = st
            os.close(fd)
        return out


def run(cmd: list[str], ddcpu: Path, watch: bool = False,
        env: dict[str, str] | None = None) -> tuple[float, float, dict[str, libbpf.ProgStats]]:
    """(dd's CPU seconds, the CPU seconds of everything else the command ran, BPF programs' stats)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    w = ProgWatch(p.pid) if watch else None
    p.wait()
    stats = w.stats() if w else {}
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    dd = float(ddcpu.read_text())
    return dd, total - dd, stats


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("count", nargs="?", type=int, default=2_000_000)
    ap.add_argument("runs", nargs="?", type=int, default=5)
    ap.add_argument("--baseline-src", type=Path, help="also run the eBPF tracer of this tree (DIR/src)")
    args = ap.parse_args()
    calls = 2 * args.count
    with tempfile.TemporaryDirectory() as tmpname:
        tmp = Path(tmpname)
        out, ddcpu = tmp / "trace", tmp / "ddcpu"
        dd = [sys.executable, "-c", WRAPPER, str(ddcpu),
              "dd", "if=/dev/zero", "of=/dev/null", "bs=1", f"count={args.count}"]
        env_note = os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # syscope from its bytecode
        os.environ["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
        tracer = [*SYSCOPE, "--backend", "ebpf", "-f", "-o", str(out), "--"]
        envs: dict[str, dict[str, str] | None] = {}
        cases: dict[str, list[str] | None] = {"native": [], "empty hooks": None, "syscope": tracer}
        if args.baseline_src is not None:
            cases["syscope-base"] = tracer
            envs["syscope-base"] = {**os.environ, "PYTHONPATH": str(args.baseline_src.resolve() / "src"),
                                    "PYTHONPYCACHEPREFIX": str(tmp / "pycache-base")}
        for name in ("syscope", "syscope-base"):
            if name in cases:  # bytecode
                subprocess.run([*tracer, "true"], check=False, stdout=subprocess.DEVNULL, env=envs.get(name))
        floor = empty_hooks(tmp)
        floor.close()
        per_call: dict[str, list[float]] = {}
        rest: dict[str, list[float]] = {}
        for _ in range(args.runs):
            for pin, tag in (([], ""), (PIN, " cpu0")):
                for name, pre in cases.items():
                    obj = empty_hooks(tmp) if pre is None else None
                    try:
                        d, r, _ = run([*pin, *(pre or []), *dd], ddcpu, env=envs.get(name))
                    finally:
                        if obj is not None:
                            obj.close()
                    per_call.setdefault(name + tag, []).append(d / calls * 1e9)
                    rest.setdefault(name + tag, []).append(r)
        # the programs' own time: bpf_stats on (a pass of its own, see the module's text)
        prog_ns: dict[str, list[float]] = {}
        stats_fd = libbpf.enable_run_time_stats()
        try:
            for _ in range(args.runs):
                for pin, tag in (([], ""), (PIN, " cpu0")):
                    obj = empty_hooks(tmp)
                    try:
                        run([*pin, *dd], ddcpu)
                        for prog in ("empty_enter", "empty_exit"):
                            st = libbpf.prog_stats(obj.prog_fd(prog))
                            prog_ns.setdefault(prog + tag, []).append(st.run_time_ns / max(st.run_cnt, 1))
                    finally:
                        obj.close()
                    for name in ("syscope", "syscope-base"):
                        if name not in cases:
                            continue
                        _, _, stats = run([*pin, *tracer, *dd], ddcpu, watch=True, env=envs.get(name))
                        suffix = name[len("syscope"):]
                        for prog in ("trace_enter", "trace_exit"):
                            if prog in stats:
                                st = stats[prog]
                                prog_ns.setdefault(prog + suffix + tag, []).append(st.run_time_ns / max(st.run_cnt, 1))
        finally:
            os.close(stats_fd)
        if env_note is not None:
            os.environ["PYTHONDONTWRITEBYTECODE"] = env_note
    med = {k: statistics.median(v) for k, v in per_call.items()}
    rmed = {k: statistics.median(v) for k, v in rest.items()}
    pmed = {k: statistics.median(v) for k, v in prog_ns.items()}
    print(f"CPUs: {os.cpu_count()}  load average: {os.getloadavg()[0]:.2f}  runs: {args.runs}  "
          f"dd if=/dev/zero bs=1 count={args.count} ({calls} calls)")
    print("dd's CPU per call, ns (unpinned | taskset -c 0), ÷ native, and the CPU seconds of the rest:")
    for name in cases:
        u, p = med[name], med[name + " cpu0"]
        print(f"  {name:13s} {u:7.0f} | {p:7.0f} ns   ×{u / med['native']:5.2f} | ×{p / med['native cpu0']:5.2f}"
              f"   rest {rmed[name]:6.3f} | {rmed[name + ' cpu0']:6.3f} s")
    for tag, label in (("", "unpinned"), (" cpu0", "taskset -c 0")):
        for name in cases:
            if name.startswith("syscope"):
                over = med[name + tag] - med["empty hooks" + tag]
                print(f"  {name}'s programs over the empty ones ({label}): {over:.0f} ns a call")
    print("bpf_stats run_time_ns / run_cnt per program run, ns (unpinned | taskset -c 0), "
          "less the empty program's (the stats' own clock reads):")
    for prog, empty in (("empty_enter", "empty_enter"), ("empty_exit", "empty_exit"),
                        ("trace_enter", "empty_enter"), ("trace_exit", "empty_exit"),
                        ("trace_enter-base", "empty_enter"), ("trace_exit-base", "empty_exit")):
        if prog not in pmed:
            if not prog.endswith("-base"):
                print(f"  {prog:12s} not seen")
            continue
        u, p = pmed[prog], pmed[prog + " cpu0"]
        print(f"  {prog:16s} {u:7.0f} | {p:7.0f}   less empty {u - pmed[empty]:7.0f} | "
              f"{p - pmed[empty + ' cpu0']:7.0f}")


if __name__ == "__main__":
    main()
