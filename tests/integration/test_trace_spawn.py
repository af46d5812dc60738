"""The launched command's process made in the tracer's memory (_stops_spawn.c, CLONE_VM), not
forked: what the command gets is what a forked child gave it, and what strace gives it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from syscope._kernel import stops
from syscope.events import ExitEvent, SyscallEvent
from syscope.sources.ptrace.engine import Tracer

SRC = Path(__file__).resolve().parents[2] / "src"
IMPLEMENTATIONS = ["c", "python"]  # spawn, and the ctypes side's fork (SYSCOPE_PURE_PYTHON=1)


def _signal_state(tracer: list[str], pure: bool) -> list[str]:
    """The signal lines of /proc/self/status of grep run by the tracer, started with SIGHUP ignored
    (nohup's way) and SIGUSR1 blocked."""
    script = ("import os, signal, subprocess, sys\nsignal.signal(signal.SIGHUP, signal.SIG_IGN)\n"
              "signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})\n"
              "sys.exit(subprocess.run(sys.argv[1:], close_fds=True).returncode)\n")
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    if pure:
        env["SYSCOPE_PURE_PYTHON"] = "1"
    r = subprocess.run([sys.executable, "-c", script, *tracer, "-o", "/dev/null", "--",
                        "grep", "-E", "^Sig(Blk|Ign|Cgt)", "/proc/self/status"],
                       env=env, capture_output=True, text=True, check=True, timeout=60)
    return r.stdout.split("\n")


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
def test_the_command_gets_the_signals_strace_gives_it(impl: str) -> None:
    """Blocked and ignored-at-start signals passed on, SIGPIPE and SIGXFSZ (CPython's ignored) and
    the tracer's own handlers not: /proc/self/status as under strace."""
    got = _signal_state([sys.executable, "-m", "syscope"], impl == "python")
    assert got == _signal_state(["strace"], False)
    assert "SigIgn:\t0000000000000001" in got and "SigBlk:\t0000000000000200" in got


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
def test_an_exec_that_fails_says_why_and_exits_1(impl: str, tmp_path: Path) -> None:
    script = tmp_path / "script"
    script.write_text("#!/nonexistent/interpreter\n")
    script.chmod(0o755)
    env = {**os.environ, "PYTHONPATH": str(SRC), "SYSCOPE_PURE_PYTHON": "1" if impl == "python" else "0"}
    r = subprocess.run([sys.executable, "-m", "syscope", "--", str(script)], env=env, capture_output=True,
                       text=True, timeout=60)
    s = subprocess.run(["strace", "--", str(script)], capture_output=True, text=True, timeout=60)
    assert r.returncode == s.returncode == 1
    assert r.stderr.splitlines()[1:] == ["syscope: exec: No such file or directory", "+++ exited with 1 +++"]
    assert s.stderr.splitlines()[1:] == ["strace: exec: No such file or directory", "+++ exited with 1 +++"]


def test_the_environment_given_is_the_commands() -> None:
    tracer = Tracer(["/usr/bin/env"], env={"ONLY": "this one", "LANG": "C"})
    events = list(tracer.events())
    execve = next(ev for ev in events if isinstance(ev, SyscallEvent) and ev.name == "execve")
    assert execve.args[2].endswith("/* 2 vars */")
    assert isinstance(events[-1], ExitEvent) and events[-1].exit_code == 0


def test_the_childs_memory_is_freed_at_its_exec() -> None:
    """spawn made it (not fork), the mapping it ran in is gone once it has exec'd, and 200
    launches in one process leave no mapping behind."""
    def mapped() -> int:  # (kB: the mappings of the children merge into one region when left)
        return int(next(line.split()[1] for line in Path("/proc/self/status").read_text().splitlines()
                        if line.startswith("VmSize:")))

    assert stops.IMPLEMENTATION == "c"  # (scripts/setup.sh builds the extension)
    tracer = Tracer(["/bin/true"])
    made: list[int] = []
    tracer.on_launched = lambda: made.append(tracer._spawned)
    list(tracer.events())
    assert made == [tracer.child] and tracer._spawned == 0  # made by spawn, released since
    assert not stops.spawn_release(made[0])  # (freed at the exec already)
    list(Tracer(["/bin/true"]).events())
    before = mapped()
    for _ in range(200):
        list(Tracer(["/bin/true"]).events())
    # (a child left mapped is 64 KiB of stack and its arguments, ~5 MB for the 64 that may be;
    # the interpreter's own heap grows ~1 MB over these runs)
    assert mapped() < before + 3 * 1024
