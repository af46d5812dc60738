"""Argument roles of syscalls by name: which argument is a path or socket address
(``PATH_ARGS``) and which calls move a data buffer and how it is laid out (``DATA_ARGS``).
The eBPF source copies exactly these in the kernel; the ptrace side (syscope.context.fds,
sysdig's fields, the report) reads the same arguments from the decoded text, so both agree."""

from __future__ import annotations

# Which argument the kernel-side reader copies for each call: (index, "str" | "sock").
# Paths are read at exit (the kernel has copied them by then) - execve's at entry, in the BPF code.
PATH_ARGS: dict[str, tuple[int, str]] = {
    "open": (0, "str"), "creat": (0, "str"), "openat": (1, "str"), "openat2": (1, "str"),
    "stat": (0, "str"), "lstat": (0, "str"), "newfstatat": (1, "str"), "statx": (1, "str"),
    "access": (0, "str"), "faccessat": (1, "str"), "faccessat2": (1, "str"),
    "readlink": (0, "str"), "readlinkat": (1, "str"), "unlink": (0, "str"), "unlinkat": (1, "str"),
    "mkdir": (0, "str"), "mkdirat": (1, "str"), "rmdir": (0, "str"), "chdir": (0, "str"),
    "rename": (0, "str"), "renameat": (1, "str"), "renameat2": (1, "str"),
    "chmod": (0, "str"), "fchmodat": (1, "str"), "chown": (0, "str"), "lchown": (0, "str"),
    "fchownat": (1, "str"), "truncate": (0, "str"), "link": (0, "str"), "linkat": (1, "str"),
    "symlink": (1, "str"), "symlinkat": (2, "str"), "mknod": (0, "str"), "mknodat": (1, "str"),
    "utimensat": (1, "str"), "statfs": (0, "str"), "chroot": (0, "str"), "mount": (1, "str"),
    "umount2": (0, "str"), "inotify_add_watch": (1, "str"), "execve": (0, "str"),
    "execveat": (1, "str"), "swapon": (0, "str"),
    "connect": (1, "sock"), "bind": (1, "sock"), "sendto": (4, "sock"), "accept": (1, "sock"),
    "accept4": (1, "sock"), "getpeername": (1, "sock"), "getsockname": (1, "sock"),
    "recvfrom": (4, "sock"),
    # i386 names of the same calls (arch/x86/entry/syscalls/syscall_32.tbl)
    "stat64": (0, "str"), "lstat64": (0, "str"), "fstatat64": (1, "str"), "statfs64": (0, "str"),
    "truncate64": (0, "str"), "chown32": (0, "str"), "lchown32": (0, "str"), "umount": (0, "str"),
}

# Calls whose data the kernel-side reader copies (the first 255 bytes of what moved; the buffer
# is argument 1 of each): "data" a plain buffer, "iov" the first struct iovec of the array.
# sendto/recvfrom with an address: the address and the data (laid out as a msghdr's).
# "msg": a struct msghdr (sendmsg/recvmsg): its msg_name address and its first iovec's data;
# "mmsg": the same of the first struct mmsghdr of the array (sendmmsg/recvmmsg).
DATA_ARGS: dict[str, str] = {
    "read": "data", "write": "data", "pread64": "data", "pwrite64": "data",
    "sendto": "data", "recvfrom": "data",
    "readv": "iov", "writev": "iov", "preadv": "iov", "pwritev": "iov", "preadv2": "iov",
    "pwritev2": "iov",
    "sendmsg": "msg", "recvmsg": "msg", "sendmmsg": "mmsg", "recvmmsg": "mmsg",
    "recvmmsg_time64": "mmsg",  # i386 glibc >= 2.34 (64-bit time_t timeout; compat mmsghdr)
    "send": "data", "recv": "data",  # i386 socketcall(2) only
}


__all__ = ["PATH_ARGS", "DATA_ARGS"]
