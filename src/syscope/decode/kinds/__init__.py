"""The argument kinds, one module per family (strace keeps one file per syscall family); each
module registers its kinds in ``syscope.decode.registry`` when imported."""

from syscope.decode.kinds import fs, io, ipc, mm, net, process, scalar, security, signal, system, time

__all__ = ["fs", "io", "ipc", "mm", "net", "process", "scalar", "security", "signal", "system", "time"]
