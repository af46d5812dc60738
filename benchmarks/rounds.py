"""What the benchmarks that time whole commands share: one run's wall clock and CPU time, the
commands run alternately in rounds (so that a machine busy with other work slows each of them
alike), medians, and the ``taskset -c 0`` prefix that puts tracer and tracee on one CPU.

Imported by the scripts next to it (``benchmarks/`` is their sys.path[0] when run as scripts).
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Hashable, Mapping
from typing import NamedTuple, TypeVar

# tracer and tracee on one CPU: a stop then wakes a task on the same CPU, so the figure depends
# less on how deeply an idle CPU sleeps
PIN = ["taskset", "-c", "0"]

# syscope as a user runs it: what the `syscope` console script that pip writes does (not
# `python -m syscope`, whose runpy, importlib.util and contextlib cost ~4 ms of every start-up a
# user never pays); from source via PYTHONPATH, so --baseline-src runs an older tree the same way
LAUNCHER = "import sys; from syscope.cli.main import console_entry; sys.argv[0] = 'syscope'; console_entry()"
SYSCOPE = [sys.executable, "-c", LAUNCHER]
# which interpreter syscope ran on (a distribution's optimised build or a plain source build such
# as pyenv's differ by ~20% in start-up instructions): every benchmark's header says it
INTERPRETER = f"python {sys.version.split()[0]} ({os.path.realpath(getattr(sys, '_base_executable', sys.executable))})"

Key = TypeVar("Key", bound=Hashable)
Command = tuple[list[str], "dict[str, str] | None"]  # argv and its environment (None: ours)


class Timing(NamedTuple):
    wall: float  # seconds of wall clock
    cpu: float  # user + system seconds of the command and every process it waited for
    stderr: str  # what it wrote to stderr, when asked to keep it


def timed(cmd: list[str], env: dict[str, str] | None = None, keep_stderr: bool = False) -> Timing:
    """One run: on a loaded machine the wall clock also holds the time spent waiting for a CPU
    other programs had, the CPU time (getrusage(2) RUSAGE_CHILDREN) much less so."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    r = subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE if keep_stderr else subprocess.DEVNULL, text=True, env=env)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timing(wall, cpu, r.stderr or "")


def alternated(cmds: Mapping[Key, Command], runs: int) -> tuple[dict[Key, list[float]], dict[Key, list[float]]]:
    """Every command once a round, in the same order, ``runs`` rounds: (wall seconds, CPU
    seconds) of each run, by command."""
    walls: dict[Key, list[float]] = {k: [] for k in cmds}
    cpus: dict[Key, list[float]] = {k: [] for k in cmds}
    for _ in range(runs):
        for key, (cmd, env) in cmds.items():
            t = timed(cmd, env)
            walls[key].append(t.wall)
            cpus[key].append(t.cpu)
    return walls, cpus


def medians(runs: Mapping[Key, list[float]]) -> dict[Key, float]:
    return {k: statistics.median(v) for k, v in runs.items()}
