"""What the tracer reads about a task from /proc (proc(5)): its thread group, the call it sits in,
its seccomp filters."""

from __future__ import annotations

from syscope.syscalls import native_arch, table

_NATIVE = native_arch()


def status(tid: int, *keys: bytes) -> dict[bytes, bytes]:
    """Fields of /proc/PID/status (proc(5)); empty when the task is gone."""
    out: dict[bytes, bytes] = {}
    try:
        with open(f"/proc/{tid}/status", "rb") as f:
            for line in f:
                key, _, value = line.partition(b":")
                if key in keys:
                    out[key] = value.strip()
    except OSError:
        pass
    return out


def same_tgid(tid: int, pid: int) -> bool:
    return status(tid, b"Tgid").get(b"Tgid") == str(pid).encode()


def blocked_in(tid: int) -> str | None:
    """The syscall a task sits in (/proc/PID/syscall, proc(5)), read before attaching: the
    interrupt makes it restart through restart_syscall, which strace names after it."""
    try:
        with open(f"/proc/{tid}/syscall", "rb") as f:
            first = f.read().split(b" ", 1)[0]
    except OSError:
        return None
    if not first.lstrip(b"-").isdigit() or int(first) < 0:
        return None  # "running"
    info = table(_NATIVE).by_nr(int(first))
    return info.name if info is not None else None


def seccomp_filters(tid: int) -> int:
    """How many seccomp filters the task has ("Seccomp_filters:", Linux >= 5.9; before that,
    "Seccomp: 2", filter mode, counts as one)."""
    st = status(tid, b"Seccomp", b"Seccomp_filters")
    if b"Seccomp_filters" in st:
        return int(st[b"Seccomp_filters"])
    return 1 if st.get(b"Seccomp") == b"2" else 0

