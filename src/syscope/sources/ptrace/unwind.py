"""-k/--stack-traces: the call stack of a stopped tracee, one line a frame as strace prints it
(src/unwind.c):

    ``> /usr/lib/x86_64-linux-gnu/libc.so.6(__chdir+0xb) [0xf123b]``, ``> /path/prog() [0x1139]``
    when the address has no symbol, ``> ERROR [0xADDR]`` when the walk stops early.

The walk is elfutils' libdwfl (syscope._kernel.libdw), run while the thread is in a ptrace-stop
(the tracer holds the stop until the line is printed).  Its module list is read again from
/proc/PID/maps before each walk, so code mapped since the last one (dlopen, an execve) is known.
"""

from __future__ import annotations

from syscope._kernel import libdw
from syscope.errors import SyscopeError, UnsupportedError


class Unwinder:
    def __init__(self) -> None:
        if not libdw.available():
            raise UnsupportedError("-k needs elfutils' libdw.so.1 (Debian: libdw1)")
        self._procs: dict[int, libdw.Process] = {}

    def stack(self, pid: int, tid: int) -> list[str]:
        """The lines of thread ``tid``'s stack (process ``pid``)."""
        try:
            proc = self._procs.get(pid)
            if proc is None:
                proc = self._procs[pid] = libdw.Process(pid)
            proc.report()
            frames, error = proc.frames(tid)
        except SyscopeError as exc:
            return [f" > {exc}"]
        lines = []
        for f in frames:
            if f.symbol:
                lines.append(f" > {f.module}({libdw.demangle(f.symbol)}+{f.offset:#x}) [{f.address:#x}]")
            elif f.module:
                lines.append(f" > {f.module}() [{f.address:#x}]")
        if error is not None:
            lines.append(f" > {error}")
        return lines

    def forget(self, pid: int) -> None:
        """A process ended (or its pid is about to name another): drop its session."""
        proc = self._procs.pop(pid, None)
        if proc is not None:
            proc.close()

    def close(self) -> None:
        for pid in list(self._procs):
            self.forget(pid)
