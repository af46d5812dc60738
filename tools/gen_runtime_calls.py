#!/usr/bin/env python3
"""Record what an OCI runtime's container init calls after it loads the container's seccomp filter,
and write ``src/syscope/seccomp/runtime_calls.json``.

A profile recorded from a program outside a container lacks these calls, and the runtime's own
init then fails inside the filter it just loaded (runc: ``ensure /proc/self/fd is on procfs:
operation not permitted``).  runc loads the filter late when ``noNewPrivileges`` is set (just
before execve) and early otherwise (before dropping capabilities and switching user, as loading
it without no_new_privs needs CAP_SYS_ADMIN: libcontainer/standard_init_linux.go), so both are
recorded and kept apart.

How: ``runc run`` on an OCI bundle (a busybox-static rootfs made here, ``/bin/true`` as the
process, a profile allowing every call this machine's table names) under syscope's own ptrace
tracer with -f.  In the process that makes the successful ``seccomp(SECCOMP_SET_MODE_FILTER)``
(or ``prctl(PR_SET_SECCOMP)``), every call of every thread from that load up to and including its
successful ``execve`` of the container's program is kept; libseccomp loads with TSYNC, so the
other threads of the Go runtime are under the filter too.

    tools/gen_runtime_calls.py            record runc (and crun when installed), write the JSON
    tools/gen_runtime_calls.py --check    exit 1 when a recording has calls the file lacks

Needs root, runc (Debian's runc package) and busybox-static.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from syscope.events import SyscallEvent  # noqa: E402
from syscope.sources.ptrace import trace  # noqa: E402
from syscope.syscalls import native_arch, table  # noqa: E402

OUT = ROOT / "src" / "syscope" / "seccomp" / "runtime_calls.json"


def make_bundle(work: Path, runtime: str, nnp: bool) -> Path:
    bundle = work / f"bundle-{runtime}-{int(nnp)}"
    rootfs = bundle / "rootfs"
    (rootfs / "bin").mkdir(parents=True)
    shutil.copy("/bin/busybox", rootfs / "bin" / "busybox")
    os.symlink("busybox", rootfs / "bin" / "true")
    for d in ("proc", "sys", "dev", "etc", "tmp"):
        (rootfs / d).mkdir()
    subprocess.run([runtime, "spec"], cwd=bundle, check=True)
    cfg = json.loads((bundle / "config.json").read_text())
    cfg["process"]["terminal"] = False
    cfg["process"]["args"] = ["/bin/true"]
    cfg["process"]["noNewPrivileges"] = nnp
    names = sorted(i.name for i in table(native_arch()))
    cfg["linux"]["seccomp"] = {"defaultAction": "SCMP_ACT_ERRNO",
                               "syscalls": [{"names": names, "action": "SCMP_ACT_ALLOW"}]}
    (bundle / "config.json").write_text(json.dumps(cfg))
    return bundle


def _is_filter_load(ev: SyscallEvent) -> bool:
    if ev.retval != 0:
        return False
    if ev.name == "seccomp":
        return ev.raw_args[0] == 1  # SECCOMP_SET_MODE_FILTER (<linux/seccomp.h>)
    return ev.name == "prctl" and ev.raw_args[0] == 22 and ev.raw_args[1] == 2  # PR_SET_SECCOMP, FILTER


def refusal(runtime: str, work: Path) -> str | None:
    """Why ``runtime run`` fails on this machine (crun 1.8 refuses a hybrid cgroup layout), or None."""
    bundle = make_bundle(work / "probe", runtime, True)
    r = subprocess.run([runtime, "run", "--bundle", str(bundle), f"syscope-gen-{uuid.uuid4().hex[:8]}"],
                       capture_output=True, text=True, timeout=60)
    return None if r.returncode == 0 else (r.stderr.strip().splitlines() or [f"exit {r.returncode}"])[-1]


def record(runtime: str, nnp: bool, work: Path, runs: int) -> list[str]:
    """The union over ``runs`` runs: the Go runtime's own calls (futex, nanosleep, tgkill for
    preemption signals...) vary from run to run."""
    seen: set[str] = set()
    for i in range(runs):
        seen |= record_once(runtime, nnp, work / str(i))
    return sorted(seen)


def record_once(runtime: str, nnp: bool, work: Path) -> set[str]:
    bundle = make_bundle(work, runtime, nnp)
    argv = [shutil.which(runtime) or runtime, "run", "--bundle", str(bundle), f"syscope-gen-{uuid.uuid4().hex[:8]}"]
    loaded: set[int] = set()
    done: set[int] = set()
    seen: set[str] = set()
    for ev in trace(argv, follow_forks=True, decode=False):
        if not isinstance(ev, SyscallEvent) or ev.pid in done:
            continue
        if ev.pid in loaded:
            seen.add(ev.name)
            if ev.name in ("execve", "execveat") and (ev.retval == 0 or ev.unfinished):
                done.add(ev.pid)
        elif _is_filter_load(ev):
            loaded.add(ev.pid)
    if not loaded:
        raise SystemExit(f"{runtime}: no seccomp filter load seen")
    return seen


def version(runtime: str) -> str:
    out = subprocess.run([runtime, "--version"], capture_output=True, text=True, check=True).stdout
    return out.splitlines()[0].split()[-1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--runs", type=int, default=20, help="runs recorded per runtime and mode (default 20)")
    ns = ap.parse_args()
    runtimes = [r for r in ("runc", "crun") if shutil.which(r)]
    data: dict[str, object] = {
        "comment": "calls an OCI runtime's init makes after loading the container's seccomp filter; "
                   "generated by tools/gen_runtime_calls.py",
        "kernel": platform.release(), "arch": native_arch(), "runtimes": {}}
    with tempfile.TemporaryDirectory(prefix="syscope-gen-runtime-") as tmp:
        for rt in runtimes:
            why = refusal(rt, Path(tmp))
            entry: dict[str, object] = {"version": version(rt)}
            if why is not None:
                entry["not_recorded"] = why  # kept so the file says why the runtime is missing
            else:
                entry["runs"] = ns.runs
                entry["no_new_privs"] = record(rt, True, Path(tmp) / "nnp", ns.runs)
                entry["without_no_new_privs"] = record(rt, False, Path(tmp) / "plain", ns.runs)
            data["runtimes"][rt] = entry  # type: ignore[index]
    if ns.check:
        old = json.loads(OUT.read_text())
        missing = {f"{rt}:{k}": sorted(set(v[k]) - set(old["runtimes"].get(rt, {}).get(k, [])))
                   for rt, v in data["runtimes"].items()  # type: ignore[attr-defined]
                   for k in ("no_new_privs", "without_no_new_privs") if k in v}
        missing = {k: v for k, v in missing.items() if v}
        print(json.dumps(missing) if missing else "ok")
        return 1 if missing else 0
    OUT.write_text(json.dumps(data, indent=1) + "\n")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
