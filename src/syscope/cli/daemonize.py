"""-D/--daemonize: the tracer runs as a detached grandchild of the command instead of its parent,
so the command keeps syscope's place: the shell's child, its pid, process group and session
(strace(1) -D; strace.c startup_child with daemonized_tracer).

The original process becomes the command: it forks, waits until its descendant (the tracer) has
attached to it, then executes the command.  The tracer is a grandchild (its parent exits at once,
so the kernel reparents it to the reaper) and, with -DD, leads a process group of its own, with
-DDD a session, so that a signal to the command's group or session does not reach it.  Its
calls before the execve are the tracer's business, not the command's: the task stays hidden
until then, as a launched command's is.
"""

from __future__ import annotations

import os

from syscope.errors import UsageError, progname
from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

# strace.c: --daemonize=grandchild|pgroup|session, -D counted as 1, 2, 3
LEVELS = {"grandchild": 1, "pgroup": 2, "pg": 2, "session": 3}


def level_of(value: int | str | None) -> int:
    """-D count or --daemonize's word -> 0 (off), 1 grandchild, 2 pgroup, 3 session."""
    if value is None or value == 0:
        return 0
    if isinstance(value, int):
        return min(value, 3)
    if value not in LEVELS:
        raise UsageError(f"invalid --daemonize argument: '{value}'")
    return LEVELS[value]


def become_tracee(level: int, path: str, argv: list[str], env: dict[str, str] | None) -> tuple[int, Callable[[], None]]:
    """Splits this process: here it returns only in the tracer, with the pid to attach to and the
    call that lets the command run once attached; the original process executes the command
    (never returning) after that call, or exits 1 if the tracer ends before it."""
    tracee = os.getpid()
    ready, go = os.pipe()
    child = os.fork()
    if child:
        os.close(go)
        os.waitpid(child, 0)  # the middle process, gone as soon as the tracer is forked
        if not os.read(ready, 1):
            os._exit(1)  # the tracer could not attach (it said why)
        os.close(ready)
        try:
            os.execve(path, argv, env if env is not None else os.environ)
        except OSError as exc:
            os.write(2, f"{progname()}: exec: {exc.strerror}\n".encode())
        os._exit(1)
    os.close(ready)
    if level == 2:
        os.setpgid(0, 0)
    elif level >= 3:
        os.setsid()
    if os.fork():
        os._exit(0)

    def release() -> None:
        os.write(go, b"x")
        os.close(go)
    return tracee, release
