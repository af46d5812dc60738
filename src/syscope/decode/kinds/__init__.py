"""The argument kinds, one module per family (strace keeps one file per syscall family); each
module registers its kinds in ``syscope.decode.registry`` when imported."""

from syscope.decode.kinds import fs, io, ipc, mm, net, pids, process, scalar, security, signal, system, time

# the structured calls of strace's own suite (quotactl, memfd, fanotify, fsconfig, io_uring, keys ...)
from . import (
               aio,
               bpf,
               bpf_filter,
               fanotify,
               fsconfig,
               io_uring,
               kexec,
               keys,
               ldt,
               memfd,
               netlink,
               pages,
               perf,
               quota,
               sched_attr,
               waitv,
)

__all__ = ["fs", "io", "ipc", "mm", "net", "pids", "process", "scalar", "security", "signal", "system", "time",
           "bpf_filter", "fanotify", "fsconfig", "io_uring", "kexec", "keys", "ldt", "memfd", "netlink", "pages",
           "quota", "perf", "sched_attr", "waitv", "bpf", "aio"]
