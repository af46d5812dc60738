"""`syscope watch` on a loaded machine: kernel-side selection, exec facts from the kernel, raw
captures (complete, readable after any stop, readable when cut), replay = live.

Every test uses markers of its own (a file in tmp_path, a uuid): other engineers' processes run
on the same machine and must neither match nor be needed."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from syscope.context import Context
from syscope.events import SyscallEvent
from syscope.sources.file import read_capture

WATCH = [sys.executable, "-m", "syscope", "watch"]


@pytest.fixture
def dd_load() -> Iterator[subprocess.Popen[bytes]]:
    """A `dd bs=1` saturating CPU 0: two syscalls a microsecond or so, for as long as the test."""
    dd = subprocess.Popen(["taskset", "-c", "0", "dd", "if=/dev/zero", "of=/dev/null", "bs=1"],
                          stderr=subprocess.DEVNULL)
    yield dd
    dd.kill()
    dd.wait()


def _start(args: list[str]) -> subprocess.Popen[str]:
    return subprocess.Popen(WATCH + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_ready(w: subprocess.Popen[str], poke: list[str], want: str, limit: float = 60) -> None:
    """Run ``poke`` until watch prints a line containing ``want``: the hooks are attached."""
    assert w.stdout is not None
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        subprocess.run(poke, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        r, _, _ = select.select([w.stdout], [], [], 0.2)
        if r:
            line = w.stdout.readline()
            if want in line:
                return
    raise AssertionError("watch did not start: " + (w.stderr.read() if w.stderr else ""))


def _stop(w: subprocess.Popen[str], sig: int = signal.SIGTERM) -> tuple[str, str]:
    time.sleep(0.5)  # a drain or two: what the kernel wrote reaches the consumer
    w.send_signal(sig)
    out, err = w.communicate(timeout=60)
    return out, err


def test_cats_of_a_file_all_caught_under_dd_load(tmp_path: Path, dd_load: object) -> None:
    target = tmp_path / "watched-file"
    target.write_text("x\n")
    w = _start(["-p", "%proc.cmdline", f"evt.type=openat and proc.name=cat and fd.name={target}"])
    try:
        # warm-up cats name /dev/null too, so their lines are told apart from the counted ones
        _wait_ready(w, ["/bin/cat", str(target), "/dev/null"], "/dev/null")
        for _ in range(20):
            subprocess.run(["/bin/cat", str(target)], stdout=subprocess.DEVNULL, check=True)
        out, err = _stop(w)
    finally:
        w.kill()
    counted = [ln for ln in out.splitlines() if ln == f"cat {target}"]
    assert len(counted) == 20, (out[-2000:], err)
    assert "Traceback" not in err


def test_short_lived_echo_arguments_from_the_kernel(dd_load: object) -> None:
    marker = f"marker-{uuid.uuid4().hex}"
    w = _start(["-p", "%proc.cmdline|%proc.args|%proc.exepath|%proc.pname",
                f"evt.type=execve and evt.rawres=0 and proc.cmdline contains {marker}"])
    try:
        _wait_ready(w, ["/bin/echo", f"{marker}-ready"], f"{marker}-ready")
        for i in range(20):
            subprocess.run(["/bin/echo", f"{marker}-{i}"], stdout=subprocess.DEVNULL, check=True)
        out, err = _stop(w)
    finally:
        w.kill()
    rows = [ln.split("|") for ln in out.splitlines() if "-ready" not in ln]
    assert sorted(r[0] for r in rows) == sorted(f"echo {marker}-{i}" for i in range(20)), err
    for _cmd, args, exe, pname in rows:
        # libsinsp's proc.exepath: the canonical path, symlinks (/bin -> usr/bin) resolved
        assert args.startswith(marker) and exe == os.path.realpath("/bin/echo")
        assert pname == "python3" or pname.startswith("python"), pname


def test_long_argv_is_bounded_and_flagged(tmp_path: Path) -> None:
    marker = uuid.uuid4().hex
    long_args = [f"{marker}-{i}-" + "a" * 200 for i in range(16)]  # ~3.3 KB: over the bound
    r = subprocess.run(WATCH + ["-p", "ARGS:%proc.args", "evt.type=execve and evt.rawres=0", "--", "/bin/echo",
                                *long_args], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    lines = [ln for ln in r.stdout.splitlines() if ln.startswith("ARGS:")]
    assert len(lines) == 1
    got = lines[0][5:].split(" ")
    assert got[0] == long_args[0] and 4 <= len(got) < 16  # a prefix of ~2 KB


def test_capture_of_a_busy_command_loses_nothing(tmp_path: Path) -> None:
    cap = tmp_path / "dd.cap"
    r = subprocess.run(WATCH + ["-w", str(cap), "--", "dd", "if=/dev/zero", "of=/dev/null", "bs=1",
                                "count=200000"], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert ", 0 dropped" in r.stderr and "dropped by the kernel" not in r.stderr, r.stderr
    assert cap.stat().st_mode & 0o777 == 0o600
    counts: dict[str, int] = {}
    for ev in read_capture(cap, Context()):
        if isinstance(ev, SyscallEvent) and ev.comm == "dd":
            counts[ev.name] = counts.get(ev.name, 0) + 1
    # dd's 200000 one-byte copies, plus its reads of locale/ld files
    assert counts["write"] >= 200000 and counts["read"] >= 200000, counts


def test_watch_exits_with_the_command_status() -> None:
    r = subprocess.run(WATCH + ["evt.type=nosuch", "--", "/bin/sh", "-c", "exit 7"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 7, r.stderr
    r = subprocess.run(WATCH + ["evt.type=nosuch", "--", "/bin/sh", "-c", "kill -TERM $$"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 128 + signal.SIGTERM, r.stderr


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_stopped_capture_is_readable(tmp_path: Path, sig: int) -> None:
    """A capture stopped by a signal holds every record the kernel had written before it, even
    when the consumer was behind by more than a drain or two (descheduled on a busy machine:
    here held with SIGSTOP while ~80,000 records pile up before the counted cats), and reads back.

    Scoped to a command of its own: other processes on this machine (another dd bs=1) would
    otherwise fill the ring and make the kernel drop records, the cats' among them."""
    cap = tmp_path / "stopped.cap"
    marker = tmp_path / f"m-{uuid.uuid4().hex}"
    marker.write_text("m\n")
    started, ready, go, end = (tmp_path / n for n in ("started", "ready", "go", "end"))
    os.mkfifo(go)
    os.mkfifo(end)
    script = (f": >{started}; read x <{go}; dd if=/dev/zero of=/dev/null bs=1 count=40000 2>/dev/null;"
              f" for i in 1 2 3 4 5; do /bin/cat {marker}; done >/dev/null; : >{ready}; read x <{end}")
    w = subprocess.Popen(WATCH + ["-w", str(cap), "--", "/bin/sh", "-c", script],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not started.exists() and time.monotonic() < deadline and w.poll() is None:
            time.sleep(0.05)  # the command runs once the hooks are attached
        w.send_signal(signal.SIGSTOP)
        go.write_text("\n")
        while not ready.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        w.send_signal(sig)  # pending until the consumer runs again
        w.send_signal(signal.SIGCONT)
        # the command lives on until watch has stopped and waits to reap it (blocked in wait4:
        # /proc/PID/syscall, proc(5)): its exit must not be what stops watch
        while not _in_syscall(w.pid, "wait4") and time.monotonic() < deadline:
            time.sleep(0.05)
        end.write_text("\n")
        _out, err = w.communicate(timeout=60)
    finally:
        w.kill()
    assert "Traceback" not in err and "events written" in err and ", 0 dropped" in err, err
    r = subprocess.run(WATCH + ["-r", str(cap), "-p", "%proc.name %fd.name",
                                f"evt.type=openat and fd.name={marker}"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and r.stderr == "", r.stderr
    assert r.stdout.count(f"cat {marker}\n") == 5, err


def _in_syscall(pid: int, name: str) -> bool:
    """Whether process ``pid`` is blocked in system call ``name`` (/proc/PID/syscall, proc(5))."""
    from syscope.syscalls import table

    try:
        with open(f"/proc/{pid}/syscall") as f:
            nr = f.read().split(" ", 1)[0]
    except OSError:
        return False
    info = table(os.uname().machine).by_name(name)
    return nr.isdigit() and info is not None and int(nr) == info.nr


def test_cut_capture_reads_every_complete_block(tmp_path: Path) -> None:
    cap = tmp_path / "whole.cap"
    r = subprocess.run(WATCH + ["-w", str(cap), "--", "/bin/sh", "-c",
                                "for i in 1 2 3 4 5 6 7 8; do /bin/cat /etc/hostname; done;"
                                " dd if=/dev/zero of=/dev/null bs=1 count=20000 2>/dev/null"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    data = cap.read_bytes()
    whole = sum(1 for _ in read_capture(cap, Context()))
    cut = tmp_path / "cut.cap"
    sizes = sorted({*range(0, len(data), max(1, len(data) // 40)), len(data) - 1, 12, 16, 40})
    last = -1
    import contextlib
    import io

    for size in sizes:
        cut.write_bytes(data[:size])
        err = io.StringIO()
        try:
            with contextlib.redirect_stderr(err):
                n = sum(1 for _ in read_capture(cut, Context()))
        except Exception as exc:  # noqa: BLE001 - only a cut header may refuse the file
            assert size < 64 and "not a syscope capture" in str(exc) or "damaged" in str(exc), exc
            continue
        assert last <= n <= whole
        last = n
    # every whole block before the cut: cut in the last block's payload loses only that block
    assert last < whole
    r = subprocess.run(WATCH + ["-r", str(cut), "-j", "evt.type=openat"], capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0 and "cut short" in r.stderr and r.stderr.count("\n") == 1, r.stderr


def test_replay_gives_the_live_results(tmp_path: Path) -> None:
    cap = tmp_path / "live.cap"
    fmt = "%evt.type %proc.name %proc.cmdline %proc.pname %fd.name %evt.res %user.uid"
    flt = "evt.type in (openat, read, write, close, execve) and not fd.name startswith /usr"
    cmd = ["--", "/bin/sh", "-c", "/bin/cat /etc/hostname; /bin/echo one two >/dev/null"]
    live = subprocess.run(WATCH + ["-w", str(cap), "-p", fmt, flt, *cmd], capture_output=True,
                          text=True, timeout=120)
    assert live.returncode == 0, live.stderr
    replay = subprocess.run(WATCH + ["-r", str(cap), "-p", fmt, flt], capture_output=True,
                            text=True, timeout=120)
    assert replay.returncode == 0, replay.stderr
    live_lines = [ln for ln in live.stdout.splitlines() if ln.split(" ", 1)[0] in
                  ("openat", "read", "write", "close", "execve")]
    assert live_lines and replay.stdout.splitlines() == live_lines
    assert "echo echo one two sh" in replay.stdout
    # a chisel: live (no filter, every event written) and replayed
    cap2 = tmp_path / "chisel.cap"
    live = subprocess.run(WATCH + ["-w", str(cap2), "-c", "topfiles_bytes", *cmd],
                          capture_output=True, text=True, timeout=120)
    replay = subprocess.run(WATCH + ["-r", str(cap2), "-c", "topfiles_bytes"], capture_output=True,
                            text=True, timeout=120)
    assert live.returncode == replay.returncode == 0, live.stderr + replay.stderr
    table = live.stdout[live.stdout.index("Bytes"):]
    assert "/etc/hostname" in table and replay.stdout.endswith(table)


def test_raw_capture_block_flags(tmp_path: Path) -> None:
    """The version-2 layout as documented: magic, a JSON header, blocks of entries."""
    from syscope.sources.capture import MAGIC, blocks, entries, read_meta

    cap = tmp_path / "layout.cap"
    r = subprocess.run(WATCH + ["-w", str(cap), "--", "/bin/true"], capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    with open(cap, "rb") as f:
        assert f.read(8) == MAGIC
        f.seek(0)
        meta = read_meta(f, cap)
        assert meta["version"][0] == 2 and meta["record_size"] == 384
        kinds = set()
        for payload in blocks(f):
            for flags, data in entries(payload):
                kinds.add((flags, len(data)))
    assert (0, 384) in kinds and any(f == 1 << 28 for f, _n in kinds)
    assert os.stat(cap).st_mode & 0o077 == 0


def test_drops_reported_while_running_and_at_exit(tmp_path: Path) -> None:
    # a one-page ring holds ten records: a dd bs=1 overflows it at once
    r = subprocess.run(WATCH + ["--ring-size", str(os.sysconf("SC_PAGE_SIZE")), "-w", str(tmp_path / "c"),
                                "--", "dd", "if=/dev/zero", "of=/dev/null", "bs=1", "count=100000"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    running = [ln for ln in r.stderr.splitlines() if ln.endswith("events dropped so far (ring buffer full)")]
    final = [ln for ln in r.stderr.splitlines() if ln.endswith("events dropped by the kernel (ring buffer full)")]
    assert running and len(final) == 1, r.stderr
    n_final = int(final[0].split()[1])
    assert 0 < int(running[0].split()[1]) <= n_final
    assert f", {n_final} dropped" in r.stderr
