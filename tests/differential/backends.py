#!/usr/bin/env python3
"""The two syscope backends against each other on the differential programs (diffharness.py):
each program runs under ``syscope --backend ptrace -ff`` and ``syscope --backend ebpf -ff`` in a
fresh copy of the same directory; the per-process files are paired and normalised as the strace
comparison does, and the share of identical normalised lines is the agreement figure.

``.venv/bin/python tests/differential/backends.py [PROGRAM ...] [--samples N]`` prints it, with
the differing lines by syscall (in the report: "strace:" is the ptrace backend's line,
"syscope:" the eBPF backend's).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import diffharness  # noqa: E402
from diffharness import NORAND, TIMEOUT, Program, ProgramResult, Report  # noqa: E402


def run_program(prog: Program, base: Path, exes: dict[str, str]) -> ProgramResult:
    t0 = time.monotonic()
    argv = [re.sub(r"\{(exe(?:32)?:\w+)\}", lambda m: exes[m.group(1)], a) for a in prog.argv]
    pdir = base / prog.name
    work = pdir / "work"
    if pdir.exists():
        shutil.rmtree(pdir)
    res = ProgramResult(prog.name)
    env = diffharness._env()
    rcs = []
    for side in ("ptrace", "ebpf"):
        (pdir / side).mkdir(parents=True, exist_ok=True)
        diffharness._fresh(work, prog.setup)
        r = subprocess.run([*NORAND, *diffharness._syscope(), "--backend", side, "-ff", "-o",
                            str(pdir / side / "t"), *prog.opts, "--", *argv], cwd=work, env=env,
                           stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           timeout=TIMEOUT)
        rcs.append(r.returncode)
        res.syscope_stderr = r.stderr.decode(errors="replace")[-2000:]
    res.strace_rc, res.syscope_rc = rcs
    pf, ef = diffharness._read_ff(pdir / "ptrace" / "t"), diffharness._read_ff(pdir / "ebpf" / "t")
    pl, el = diffharness._labels(pf), diffharness._labels(ef)
    p_by = {lab: pid for pid, lab in pl.items()}
    e_by = {lab: pid for pid, lab in el.items()}
    res.processes = len(p_by)
    for lab in sorted(set(p_by) | set(e_by)):
        a = diffharness.normalise(pf[p_by[lab]], pl, prog.normalise) if lab in p_by else []
        b = diffharness.normalise(ef[e_by[lab]], el, prog.normalise) if lab in e_by else []
        if lab not in p_by or lab not in e_by:
            res.unpaired.append(f"{lab} only in {'ebpf' if lab in e_by else 'ptrace'}")
        diffharness._compare(res, lab, a, b)
    res.seconds = time.monotonic() - t0
    return res


def run_all(workers: int = 2, only: list[str] | None = None) -> Report:
    t0 = time.monotonic()
    base = Path(tempfile.mkdtemp(prefix="syscope-backends-"))
    try:
        (base / "bin").mkdir()
        exes = diffharness.compile_progs(base / "bin")
        progs = [p for p in diffharness.programs() if not only or p.name in only]
        with ThreadPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(lambda p: run_program(p, base, exes), progs))
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return Report(results, time.monotonic() - t0)


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("programs", nargs="*")
    ap.add_argument("--samples", type=int, default=3)
    ap.add_argument("--workers", type=int, default=2)
    a = ap.parse_args(argv)
    rep = run_all(a.workers, a.programs or None)
    print(rep.text(samples=a.samples).replace("syscope vs strace 6.1", "eBPF backend vs ptrace backend", 1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
