"""Process facts beyond ``ProcInfo`` that sysdig's proc.*, thread.*, user.* and group.* fields
show (session, tty, login uid, capabilities, cwd, memory...), read from /proc once per process
image and kept next to the ``Context`` (a replayed capture has none: its pids are not today's)."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field

from syscope.context import Context, ProcInfo

_CLK_TCK = os.sysconf("SC_CLK_TCK")


def _boot_time() -> float:
    try:
        with open("/proc/stat") as f:
            for line in f:
                if line.startswith("btime "):
                    return float(line.split()[1])
    except OSError:
        pass
    return 0.0


BOOT_TIME = _boot_time()


@dataclass(slots=True)
class ProcExtra:
    info: ProcInfo
    state: str | None = None  # proc(5) stat field 3: "Z" for a zombie (exited, not yet reaped)
    tty: int | None = None
    pgid: int | None = None
    sid: int | None = None
    start: float | None = None  # wall-clock seconds (proc(5) starttime + boot time)
    nthreads: int | None = None
    minflt: int | None = None
    majflt: int | None = None
    vpid: int | None = None
    vpgid: int | None = None
    loginuid: int | None = None
    euid: int | None = None
    egid: int | None = None
    cap_eff: int | None = None
    cap_prm: int | None = None
    cap_inh: int | None = None
    vmsize: int | None = None  # KiB, as proc(5) status shows them
    vmrss: int | None = None
    vmswap: int | None = None
    cwd: str | None = None
    exe_link: str | None = None  # /proc/PID/exe: the file executed, symlinks resolved
    env: list[str] = field(default_factory=list)


def extra(ctx: Context, pid: int) -> ProcExtra | None:
    """What /proc says of ``pid`` beyond its ProcInfo; None for a replay or a vanished process.
    Read again when the ProcInfo changes (an exec makes a new one)."""
    if not ctx.live:
        return None
    info = ctx.proc(pid)
    if info is None:
        return None
    # kept on the context (a Context is not hashable): it lives and dies with the session
    per: dict[int, ProcExtra] = ctx.__dict__.setdefault("_sysdig_procx", {})
    x = per.get(pid)
    if x is not None and x.info is info:
        return x
    x = _read(info, ctx)
    per[pid] = x
    return x


def _read(info: ProcInfo, ctx: Context) -> ProcExtra:
    proc_dir = ctx.proc_dir(info.pid)
    x = ProcExtra(info)
    try:
        with open(f"{proc_dir}/stat", "rb") as f:
            stat = f.read().decode(errors="replace")
        # proc(5): fields after the ")" of comm start with state (field 3)
        rest = stat[stat.rindex(")") + 2:].split()
        x.state = rest[0]
        # the group's and session's leaders as /proc numbers them: in the context's numbers
        x.pgid, x.sid, x.tty = ctx.pid_from_proc(int(rest[2])), ctx.pid_from_proc(int(rest[3])), int(rest[4])
        x.minflt, x.majflt = int(rest[7]), int(rest[9])
        x.nthreads = int(rest[17])
        x.start = BOOT_TIME + int(rest[19]) / _CLK_TCK
    except (OSError, ValueError, IndexError):
        return x
    try:
        with open(f"{proc_dir}/status") as f:
            for line in f:
                key, _, val = line.partition(":")
                v = val.split()
                if not v:
                    continue
                if key == "NSpid":
                    x.vpid = int(v[-1])
                elif key == "NSpgid":
                    x.vpgid = int(v[-1])
                elif key == "Uid":
                    x.euid = int(v[1])
                elif key == "Gid":
                    x.egid = int(v[1])
                elif key == "CapEff":
                    x.cap_eff = int(v[0], 16)
                elif key == "CapPrm":
                    x.cap_prm = int(v[0], 16)
                elif key == "CapInh":
                    x.cap_inh = int(v[0], 16)
                elif key in ("VmSize", "VmRSS", "VmSwap"):
                    setattr(x, key.lower(), int(v[0]))
    except (OSError, ValueError):
        pass
    try:
        with open(f"{proc_dir}/loginuid") as f:
            x.loginuid = int(f.read().strip())
    except (OSError, ValueError):
        pass
    try:
        x.cwd = os.readlink(f"{proc_dir}/cwd")
        x.exe_link = os.readlink(f"{proc_dir}/exe")
    except OSError:
        pass
    return x


def environ(proc_dir: str) -> list[str]:
    """The environment of the process whose /proc directory is ``proc_dir`` (Context.proc_dir)."""
    try:
        with open(f"{proc_dir}/environ", "rb") as f:
            return [e.decode(errors="replace") for e in f.read().split(b"\0") if e]
    except OSError:
        return []


def exe_in_upper_layer(proc_dir: str, exe: str) -> bool | None:
    layer = exe_layer(proc_dir, exe)
    return None if layer is None else layer == "upper"


def exe_layer(proc_dir: str, exe: str) -> str | None:
    """Which overlayfs layer ``exe`` (a path in the mount namespace of the process whose /proc
    directory is ``proc_dir``, Context.proc_dir) is in: "upper" (its
    upperdir: written after the overlay was mounted, overlayfs copies a file up when it changes),
    "lower" (from the image), "" (not on an overlay), None (unknown: the process is gone)."""
    best: tuple[str, str] | None = None
    try:
        with open(f"{proc_dir}/mountinfo") as f:
            for line in f:
                pre, _, post = line.partition(" - ")
                mnt = pre.split()[4]
                fields = post.split()
                if len(fields) < 3 or fields[0] != "overlay":
                    continue
                if exe == mnt or exe.startswith(mnt.rstrip("/") + "/"):
                    opts = dict(o.partition("=")[::2] for o in fields[2].split(","))
                    upper = opts.get("upperdir")
                    if upper and (best is None or len(mnt) > len(best[0])):
                        best = (mnt, upper)
    except OSError:
        return None
    if best is None:
        return ""
    rel = exe[len(best[0].rstrip("/")):].lstrip("/")
    return "upper" if os.path.lexists(os.path.join(best[1], rel)) else "lower"


def now_ns() -> int:
    return time.time_ns()


__all__ = ["ProcExtra", "extra", "environ", "BOOT_TIME", "now_ns", "exe_layer", "exe_in_upper_layer"]
