"""Recording a container's calls from the host, through eBPF, scoped to the container.

As Inspektor Gadget's ``advise seccomp-profile`` and the security-profiles-operator's recorder do,
nothing runs inside the container and the container is not restarted: syscope's BPF programs
count calls in the kernel (the ``-c`` count mode of syscope.sources.ebpf: per-CPU counters per
syscall number, no ring-buffer traffic) for the tasks marked in its per-tid scope map, and the
kernel's fork hook marks every task a marked task creates.

- ``--container NAME|ID``: the container's tasks are every thread listed in ``cgroup.threads`` of
  its cgroup (and the cgroups below it) in the unified hierarchy; they are marked, and the cgroup
  is read again every 20 ms so that processes entering it from outside (``podman exec``, which
  runc starts from the host and moves in) are marked too.  Calls made before syscope started are
  not seen: record a container from its start with ``syscope profile -- podman run ...``.
- ``-- podman run ...``: syscope gives podman an OCI ``prestart`` hook (``--hooks-dir``, see
  oci-hooks(5)); runc runs it after the container's init process exists and before it loads the
  seccomp filter and execs the program, and waits for it.  The hook (``python -m
  syscope.seccomp.oci_hook SOCKET``) hands the init's pid to syscope over a unix socket and
  returns only once syscope has marked it, so every call of the container from there on is
  counted: the runtime's init after the filter load, and the program from its first instruction.

Counts are taken at syscall exit, so calls that never return (``exit``, ``exit_group``, a killed
task's last call) are not counted; ``exit`` and ``exit_group`` are always added.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from syscope.errors import UsageError
from syscope.proc.containers import ContainerFacts, container_facts, find_container, unified_root
from syscope.seccomp.record import Recording

POLL = 0.02  # seconds between reads of the container's cgroup
ALWAYS = ("exit", "exit_group")  # never return, so never counted at exit
ENGINES = ("podman",)  # engines whose `run` syscope knows how to hook


@dataclass
class ContainerRecording:
    rec: Recording
    facts: ContainerFacts | None
    seconds: float
    ended: str  # "exited", "duration", "interrupted", "command exited"


def _cgroup_dir(pid: int, cid: str) -> str | None:
    """The directory of ``pid``'s cgroup that names container ``cid``: in the unified hierarchy
    when the runtime put it there, else in the v1 hierarchy that has it (a cgroupfs-driver
    runtime on a hybrid host may leave the unified path at "/", which would be the whole host)."""
    from syscope.proc.cgroup import parse_cgroup

    try:
        with open(f"/proc/{pid}/cgroup") as f:
            lines = [ln.rstrip("\n").split(":", 2) for ln in f if ln.count(":") >= 2]
    except OSError:
        return None
    lines.sort(key=lambda f: f[0] != "0")  # the unified line first (cgroups(7))
    for hid, ctrl, path in lines:
        if parse_cgroup(f"0::{path}\n").id != cid:
            continue
        if hid == "0":
            return unified_root() + path
        d = f"/sys/fs/cgroup/{ctrl.removeprefix('name=')}{path}"
        if os.path.isdir(d):
            return d
    return None


def _threads(cgdir: str) -> set[int] | None:
    """Every tid in the cgroup and below it; None when the cgroup is gone (the container exited
    and its runtime removed it)."""
    if not os.path.isdir(cgdir):
        return None
    tids: set[int] = set()
    for dirpath, _dirs, files in os.walk(cgdir):
        name = "cgroup.threads" if "cgroup.threads" in files else "tasks"
        try:
            with open(os.path.join(dirpath, name)) as f:
                tids.update(int(x) for x in f.read().split())
        except (OSError, ValueError):
            continue
    return tids


def _tids_of(pid: int) -> list[int]:
    try:
        return [int(t) for t in os.listdir(f"/proc/{pid}/task")]
    except OSError:
        return [pid]


class _Counter:
    """The count-mode probe and the set of tids marked in it."""

    def __init__(self) -> None:
        from syscope.sources.ebpf.source import MODE_COUNT, Probe

        self.probe = Probe(mode=MODE_COUNT, scoped=True)
        self.marked: set[int] = set()
        self.lock = threading.Lock()
        # counts when the container's init had loaded its filter: only calls made after that
        # belong in the profile (before it, runc's init mounts, pivots root, sets the hostname)
        self.baseline: dict[int, int] | None = None

    def mark(self, tids: set[int] | list[int]) -> None:
        with self.lock:
            for t in tids:
                if t not in self.marked:
                    self.probe.mark(t)
                    self.marked.add(t)

    def recording(self) -> Recording:
        from syscope._kernel.libseccomp import AUDIT_ARCHES
        from syscope.sources.ebpf.source import COMPAT_BASE
        from syscope.syscalls import native_arch, table

        scmp = {name: s for name, s in AUDIT_ARCHES.values()}
        rec = Recording()
        native = native_arch()
        base = self.baseline or {}
        for idx, (calls, _errors, _ns) in self.probe.counts().items():
            if calls <= base.get(idx, 0):
                continue  # made only before the filter was loaded
            arch, nr = ("i386", idx - COMPAT_BASE) if idx >= COMPAT_BASE else (native, idx)
            info = table(arch).by_nr(nr)
            if info is None:
                rec.unnamed.add(f"{arch}:{nr}")
                continue
            rec.names[scmp[arch]].add(info.name)
            rec.calls += calls
        rec.names[scmp[native]].update(ALWAYS)
        return rec

    def close(self) -> None:
        self.probe.close()

    def baseline_at_filter_load(self, pid: int, timeout: float = 60.0) -> None:
        """Wait for ``pid`` to be under a seccomp filter (``Seccomp: 2`` in /proc/PID/status,
        proc(5)) and keep the counts of that moment.  Polled every 0.5 ms; the runtime's calls
        between the load and the snapshot are in the runtime's recorded set anyway, and the
        container's program is still held at runc's exec fifo then."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                with open(f"/proc/{pid}/status") as f:
                    mode = next((ln.split()[1] for ln in f if ln.startswith("Seccomp:")), "0")
            except OSError:
                return  # gone before loading a filter: nothing to cut
            if mode == "2":
                counts = self.probe.counts()
                with self.lock:
                    if self.baseline is None:
                        self.baseline = {i: c for i, (c, _e, _n) in counts.items()}
                return
            time.sleep(0.0005)


class _Stop:
    """^C/SIGTERM end the recording (the container goes on running)."""

    def __init__(self) -> None:
        self.flag = False
        self.old: dict[int, object] = {}

    def __enter__(self) -> _Stop:
        for s in (signal.SIGINT, signal.SIGTERM):
            self.old[s] = signal.signal(s, self._on)
        return self

    def _on(self, _signo: int, _frame: FrameType | None) -> None:
        self.flag = True

    def __exit__(self, *exc: object) -> None:
        for s, h in self.old.items():
            signal.signal(s, h)  # type: ignore[arg-type]


def record_container(ref: str, duration: float | None = None) -> ContainerRecording:
    """Count the calls of the running container ``ref`` (name, id or id prefix) until it exits,
    ``duration`` seconds pass, or SIGINT/SIGTERM."""
    from syscope.proc.containers import container_pids

    facts = find_container(ref)
    if facts is None:
        raise UsageError(f"profile: no container {ref!r} known to podman, CRI-O, docker or containerd here")
    pids = container_pids(facts.id)
    cgdir = _cgroup_dir(pids[0], facts.id) if pids else None
    if cgdir is None:
        raise UsageError(f"profile: container {facts.name or facts.short_id} is not running")
    counter = _Counter()
    start = time.monotonic()
    ended = "exited"
    try:
        with _Stop() as stop:
            while True:
                tids = _threads(cgdir)
                if tids is None or (not tids and counter.marked):
                    break
                first = not counter.marked
                counter.mark(tids)
                if first:
                    # said once the tasks are marked: from here on every call is counted
                    print(f"syscope: recording container {facts.name or facts.short_id} ({len(tids)} "
                          "tasks) until it exits, --duration or ^C", file=sys.stderr, flush=True)
                if stop.flag:
                    ended = "interrupted"
                    break
                if duration is not None and time.monotonic() - start >= duration:
                    ended = "duration"
                    break
                time.sleep(POLL)
        rec = counter.recording()
    finally:
        counter.close()
    return ContainerRecording(rec, facts, time.monotonic() - start, ended)


def _follow_detached(inits: list[int]) -> None:
    """`podman run -d` returns while its container runs on: keep counting until the container's
    init exits, or ^C/SIGTERM."""
    alive = [p for p in inits if os.path.exists(f"/proc/{p}")]
    if not alive:
        return
    print("syscope: podman exited, the container runs on: recording it until it exits or ^C",
          file=sys.stderr, flush=True)
    with _Stop() as stop:
        while not stop.flag and any(os.path.exists(f"/proc/{p}") for p in alive):
            time.sleep(POLL)


def is_container_run(argv: list[str]) -> bool:
    """``podman [global options] run ...``: the command starts a container."""
    return bool(argv) and os.path.basename(argv[0]) in ENGINES and "run" in argv[1:]


def record_podman_run(argv: list[str]) -> ContainerRecording:
    """Run ``podman ... run ...`` with a prestart hook that hands each container init to syscope
    before it loads its filter, and count those containers' calls until the command exits."""
    import subprocess

    with tempfile.TemporaryDirectory(prefix="syscope-hook-") as tmp:
        sock_path = os.path.join(tmp, "hook.sock")
        hooks = Path(tmp) / "hooks.d"
        hooks.mkdir()
        # oci-hooks(5) 1.0.0: run for every container podman starts, at prestart (runc runs it
        # after the init process exists, before the init loads the filter and execs).
        (hooks / "syscope.json").write_text(json.dumps({
            "version": "1.0.0",
            "hook": {"path": sys.executable,
                     "args": [sys.executable, "-m", "syscope.seccomp.oci_hook", sock_path]},
            "when": {"always": True}, "stages": ["prestart"]}))
        srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        srv.bind(sock_path)
        srv.listen(8)
        counter = _Counter()
        inits: list[int] = []
        facts: list[ContainerFacts | None] = []
        watchers: list[threading.Thread] = []
        done = threading.Event()

        def serve() -> None:
            srv.settimeout(0.1)
            while not done.is_set():
                try:
                    conn, _ = srv.accept()
                except TimeoutError:
                    continue
                except OSError:
                    return
                with conn:
                    try:
                        state = json.loads(conn.makefile().readline())
                        pid = int(state["pid"])
                    except (ValueError, KeyError, TypeError, OSError):
                        continue
                    counter.mark(_tids_of(pid))
                    inits.append(pid)
                    if len(inits) == 1:  # one baseline: the counters are shared by all tasks
                        watcher = threading.Thread(target=counter.baseline_at_filter_load, args=(pid,),
                                                   daemon=True)
                        watcher.start()
                        watchers.append(watcher)
                    conn.sendall(b"ok\n")
                # the state names the container now; a --rm one is gone when the command ends
                facts.append(container_facts(pid))

        server = threading.Thread(target=serve, daemon=True)
        server.start()
        start = time.monotonic()
        hooked = [argv[0], "--hooks-dir", str(hooks), *argv[1:]]
        try:
            # The command owns ^C, as for every recorded command: podman passes it on.
            old = signal.signal(signal.SIGINT, lambda *_: None)
            try:
                proc = subprocess.Popen(hooked)
                status = proc.wait()
            finally:
                signal.signal(signal.SIGINT, old)
            done.set()
            server.join()
            _follow_detached(inits)
            for w in watchers:
                w.join()
            rec = counter.recording()
        finally:
            srv.close()
            counter.close()
    rec.status = status
    if not inits:
        raise UsageError("profile: podman started no container (the prestart hook never ran)")
    return ContainerRecording(rec, next((f for f in facts if f is not None), None),
                              time.monotonic() - start, "command exited")
