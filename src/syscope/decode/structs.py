"""Struct layouts as data: per arch, the fields in order with their struct-module codes.

Layouts follow the kernel UAPI (arch/x86/include/uapi/asm/stat.h, linux/time_types.h,
linux/resource.h, linux/dirent.h); "x" entries are padding.  Decoders unpack with the compiled
struct.Struct and pick fields by name.
"""

from __future__ import annotations

import struct
from _operator import itemgetter  # operator.py re-exports it: the C module alone (start-up)

from syscope.lean import cache

LAYOUTS: dict[str, dict[str, list[tuple[str, str]]]] = {
    "stat": {
        "x86_64": [("st_dev", "Q"), ("st_ino", "Q"), ("st_nlink", "Q"), ("st_mode", "I"),
                   ("st_uid", "I"), ("st_gid", "I"), ("__pad0", "i"), ("st_rdev", "Q"),
                   ("st_size", "q"), ("st_blksize", "q"), ("st_blocks", "q"),
                   ("st_atime", "q"), ("st_atime_nsec", "Q"), ("st_mtime", "q"),
                   ("st_mtime_nsec", "Q"), ("st_ctime", "q"), ("st_ctime_nsec", "Q"),
                   ("__unused", "24x")],
        # struct stat64 (arch/x86/include/uapi/asm/stat.h), used by i386 stat64/fstat64
        "i386": [("st_dev", "Q"), ("__pad0", "I"), ("__st_ino", "I"), ("st_mode", "I"),
                 ("st_nlink", "I"), ("st_uid", "I"), ("st_gid", "I"), ("st_rdev", "Q"),
                 ("__pad3", "I"), ("st_size", "q"), ("st_blksize", "I"), ("st_blocks", "Q"),
                 ("st_atime", "I"), ("st_atime_nsec", "I"), ("st_mtime", "I"),
                 ("st_mtime_nsec", "I"), ("st_ctime", "I"), ("st_ctime_nsec", "I"),
                 ("st_ino", "Q")],
    },
    # asm-generic/stat.h, used by arm64 (arch/arm64/include/uapi/asm/stat.h)
    "stat_generic": {
        "aarch64": [("st_dev", "Q"), ("st_ino", "Q"), ("st_mode", "I"), ("st_nlink", "I"),
                    ("st_uid", "I"), ("st_gid", "I"), ("st_rdev", "Q"), ("__pad1", "8x"),
                    ("st_size", "q"), ("st_blksize", "i"), ("__pad2", "4x"), ("st_blocks", "q"),
                    ("st_atime", "q"), ("st_atime_nsec", "Q"), ("st_mtime", "q"),
                    ("st_mtime_nsec", "Q"), ("st_ctime", "q"), ("st_ctime_nsec", "Q"),
                    ("__unused", "8x")],
    },
    # tv_nsec/tv_usec print zero-extended from their own width (strace's print_timespec.h
    # TIMESPEC_TO_SEC_NSEC: zero_extend_signed_to_ull), so a garbage -1 shows as 18446744073709551615
    "timespec": {
        "x86_64": [("tv_sec", "q"), ("tv_nsec", "Q")],
        "i386": [("tv_sec", "i"), ("tv_nsec", "I")],
    },
    "sysinfo": {
        "x86_64": [("uptime", "q"), ("load0", "Q"), ("load1", "Q"), ("load2", "Q"),
                   ("totalram", "Q"), ("freeram", "Q"), ("sharedram", "Q"), ("bufferram", "Q"),
                   ("totalswap", "Q"), ("freeswap", "Q"), ("procs", "H"), ("__pad", "6x"),
                   ("totalhigh", "Q"), ("freehigh", "Q"), ("mem_unit", "I")],
        "i386": [("uptime", "i"), ("load0", "I"), ("load1", "I"), ("load2", "I"),
                 ("totalram", "I"), ("freeram", "I"), ("sharedram", "I"), ("bufferram", "I"),
                 ("totalswap", "I"), ("freeswap", "I"), ("procs", "H"), ("__pad", "2x"),
                 ("totalhigh", "I"), ("freehigh", "I"), ("mem_unit", "I")],
    },
    "timeval": {
        "x86_64": [("tv_sec", "q"), ("tv_usec", "Q")],
        "i386": [("tv_sec", "i"), ("tv_usec", "I")],
    },
    # struct rusage (linux/resource.h): two timevals then 14 longs
    "rusage": {
        "x86_64": [("ru_utime_sec", "q"), ("ru_utime_usec", "q"), ("ru_stime_sec", "q"),
                   ("ru_stime_usec", "q")] + [(n, "q") for n in (
                       "ru_maxrss", "ru_ixrss", "ru_idrss", "ru_isrss", "ru_minflt", "ru_majflt",
                       "ru_nswap", "ru_inblock", "ru_oublock", "ru_msgsnd", "ru_msgrcv",
                       "ru_nsignals", "ru_nvcsw", "ru_nivcsw")],
        "i386": [("ru_utime_sec", "i"), ("ru_utime_usec", "i"), ("ru_stime_sec", "i"),
                 ("ru_stime_usec", "i")] + [(n, "i") for n in (
                     "ru_maxrss", "ru_ixrss", "ru_idrss", "ru_isrss", "ru_minflt", "ru_majflt",
                     "ru_nswap", "ru_inblock", "ru_oublock", "ru_msgsnd", "ru_msgrcv",
                     "ru_nsignals", "ru_nvcsw", "ru_nivcsw")],
    },
    # struct clone_args (linux/sched.h), the same on every arch
    "clone_args": {
        "x86_64": [(n, "Q") for n in ("flags", "pidfd", "child_tid", "parent_tid", "exit_signal",
                                      "stack", "stack_size", "tls", "set_tid", "set_tid_size",
                                      "cgroup")],
    },
    "rlimit32": {
        "i386": [("rlim_cur", "I"), ("rlim_max", "I")],
        "x86_64": [("rlim_cur", "Q"), ("rlim_max", "Q")],
    },
    "rlimit64": {
        "x86_64": [("rlim_cur", "Q"), ("rlim_max", "Q")],
        "i386": [("rlim_cur", "Q"), ("rlim_max", "Q")],
    },
}


class Layout:
    __slots__ = ("st", "names", "size", "public", "_public_at", "_fields")

    def __init__(self, fields: list[tuple[str, str]]) -> None:
        # "<" + explicit codes: no implicit alignment, the layouts above spell out padding
        self.st = struct.Struct("<" + "".join(code for _n, code in fields))
        self._fields = fields
        self.names = [n for n, c in fields if not c.endswith("x")]
        self.size = self.st.size
        # the fields a structured value shows: not the reserved "__..." ones
        self.public = tuple(n for n in self.names if not n.startswith("__"))
        at = [self.names.index(n) for n in self.public]
        # a C-level pick of the public values (a stat a call for tar and ls: no Python loop)
        self._public_at = itemgetter(*at) if len(at) > 1 else (lambda v: tuple(v[k] for k in at))

    def unpack(self, data: bytes) -> dict[str, int]:
        return dict(zip(self.names, self.st.unpack(data[: self.size]), strict=True))

    def public_values(self, values: tuple[int, ...]) -> dict[str, int]:
        """The public fields of ``st.unpack``'s values, by name (a structured value)."""
        return dict(zip(self.public, self._public_at(values), strict=True))

    def offset(self, name: str) -> int:
        """The byte offset of field ``name`` (the tracer's C line maker reads fields in place)."""
        pos = 0
        for n, code in self._fields:
            if n == name:
                return pos
            pos += struct.calcsize("<" + code)
        raise KeyError(name)

    def at(self, name: str) -> int:
        """The index of field ``name`` in ``st.unpack``'s values."""
        return self.names.index(name)


@cache
def layout(name: str, arch: str) -> Layout:
    if name == "stat" and arch == "aarch64":
        name = "stat_generic"
    per_arch = LAYOUTS[name]
    return Layout(per_arch.get(arch) or per_arch["x86_64"])
