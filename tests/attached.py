"""A running process that tests attach syscope to with -p: it prints its pid, then calls getppid(2)
once for each line it reads and answers "ok", so that a test knows how many calls it made while
traced."""

from __future__ import annotations

import signal
import subprocess
import sys

# getppid per line read, in the main thread (or, threaded, in a second thread while the main one
# waits for it: a process of two threads)
GETPPID_PER_LINE = ("import os, sys\nprint(os.getpid(), flush=True)\n"
                    "for line in sys.stdin:\n    os.getppid()\n    print('ok', flush=True)\n")
GETPPID_PER_LINE_THREADED = (
    "import os, sys, threading\n"
    "def worker():\n    for line in sys.stdin:\n        os.getppid()\n        print('ok', flush=True)\n"
    "threading.Thread(target=worker).start()\n"
    "print(os.getpid(), flush=True)\n")


def attach_and_poke(code: str, syscope_args: list[str], pokes: int,
                    launcher: tuple[str, ...] = ()) -> tuple[int, str, str]:
    """Run ``code`` (under ``launcher``, e.g. another tracer), attach ``syscope *syscope_args -p
    PID`` to it, make it call getppid ``pokes`` times, then ^C syscope.  (pid, syscope's first
    line on stderr, the rest of its stderr)."""
    victim = subprocess.Popen([*launcher, "/usr/bin/python3", "-c", code], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    assert victim.stdin is not None and victim.stdout is not None
    try:
        pid = int(victim.stdout.readline())
        tracer = subprocess.Popen([sys.executable, "-m", "syscope", *syscope_args, "-p", str(pid)],
                                  stderr=subprocess.PIPE, text=True)
        assert tracer.stderr is not None
        first = tracer.stderr.readline()  # "Process N attached": syscope is in place
        for _ in range(pokes):
            victim.stdin.write("x\n")
            victim.stdin.flush()
            assert victim.stdout.readline() == "ok\n"
        tracer.send_signal(signal.SIGINT)
        _, rest = tracer.communicate(timeout=60)
        return pid, first, rest
    finally:
        victim.kill()
        victim.wait()
