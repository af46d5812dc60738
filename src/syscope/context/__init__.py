"""Process and fd state that events do not carry (``ProcInfo``, ``Context``, the per-process fd
table): filled by the sources, read by sysdig's fields, the capture writer and the chisels."""

from syscope.context.fds import (
    IO_READ,
    IO_WRITE,
    OPEN_CALLS,
    absolute_path,
    event_paths,
    fd_name,
    fd_num,
    fd_type,
    track_fds,
)
from syscope.context.process import Context, ProcInfo, PtraceContext, container_id, fill_from_procfs

__all__ = ["Context", "ProcInfo", "PtraceContext", "container_id", "fill_from_procfs", "IO_READ", "IO_WRITE",
           "OPEN_CALLS", "absolute_path", "event_paths", "fd_name", "fd_num", "fd_type", "track_fds"]
