"""The lines the tracer's C extension makes itself (sources/ptrace/lines.py, _stops_line.c fmt_*) are
the Python sink's lines byte for byte: real programs traced to a file with the C lines on and
off (SYSCOPE_C_LINES), address-space randomisation off for both (setarch -R) so that the
addresses match, only what differs between two runs of a program masked (the random bytes of
getrandom, the pid)."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from syscope._kernel import stops
from syscope.decode import DecodeOptions
from syscope.events import ProcessEvent, SyscallEvent
from syscope.sinks.strace_text import StraceTextSink
from syscope.sources.ptrace.engine import Tracer

# reads, writes, lseek, failing calls, strings with every escape and of every length around -s,
# an octal escape before a digit, a NULL buffer, bad addresses (the C code gives those back)
SCRIPT = r"""
import ctypes, os, sys
path = sys.argv[1]
fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
for data in (b"plain", b'tab\there "quote" back\\slash', b"\n\v\f\r\t", b"\x00\x01" + b"2" + b"\x07" + b"8",
             bytes(range(256)), b"x" * 31, b"y" * 32, b"z" * 33, b"\x7f\x80\xff", b"\x1b[1m", b""):
    os.write(fd, data)
os.lseek(fd, 0, os.SEEK_SET)
for n in (1, 5, 31, 32, 33, 300, 4096):
    os.read(fd, n)
os.lseek(fd, -3, os.SEEK_END)
os.read(fd, 10)
os.read(fd, 10)
try:
    os.lseek(fd, 0, 77)
except OSError:
    pass
os.close(fd)
for bad in (fd, -1, 1 << 20):
    try:
        os.close(bad)
    except OSError:
        pass
    try:
        os.read(bad, 3)
    except OSError:
        pass
# openat with and without a mode, stats of files, a directory, a device, a missing path
os.close(os.open(path + ".new", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640))
os.close(os.open(path, os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW))
os.symlink(path, path + ".link")
for p in (path, path + ".link", os.path.dirname(path), "/dev/null", "/nonexistent\t"):
    for f in (os.stat, os.lstat):
        try:
            f(p)
        except OSError:
            pass
    os.access(p, os.R_OK | os.W_OK)
    os.access(p, os.F_OK)
    for name in ("user.syscope", "system.posix_acl_access"):
        try:
            os.getxattr(p, name)
        except OSError:
            pass
        try:
            os.getxattr(p, name, follow_symlinks=False)
        except OSError:
            pass
try:
    os.setxattr(path, "user.syscope", b"value\0")
    os.getxattr(path, "user.syscope")
    os.setxattr(path, "user.syscope", b"v" * 40)
    os.getxattr(path, "user.syscope")
except OSError:
    pass
os.readlink(path + ".link")
fd = os.open("/dev/null", os.O_RDONLY)
os.fstat(fd)
os.close(fd)
libc = ctypes.CDLL(None, use_errno=True)
# mmap's flags: the map type, then flags; a type without a name and MAP_HUGE_* bits are Python's
libc.mmap.restype = ctypes.c_void_p
libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
for prot, flags in ((3, 0x22), (0, 0x20022), (7, 0x4022), (1, 0x22 | (21 << 26)), (3, 0x2F), (3, 0x23),
                    (3, 0x40022), (3, 0x8000022), (0x1000003, 0x122)):
    libc.mmap(None, 4096, prot, flags, -1, 0)
libc.write(1, None, 0)
libc.read(0, ctypes.c_void_p(16), 4)
libc.write(1, ctypes.c_void_p(16), 4)
# fcntl by command: flags with and without names, results with flags, failures, and commands the
# C code leaves to Python (a lock, an owner, a signal, an unknown bit)
import fcntl
fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_NONBLOCK)
for cmd, arg in ((fcntl.F_GETFD, 0), (fcntl.F_SETFD, fcntl.FD_CLOEXEC), (fcntl.F_GETFD, 0), (fcntl.F_SETFD, 0),
                 (fcntl.F_SETFD, 0x10), (fcntl.F_GETFL, 0), (fcntl.F_SETFL, os.O_NONBLOCK | os.O_NOATIME),
                 (fcntl.F_SETFL, 0x80000000), (fcntl.F_GETFL, 0), (fcntl.F_DUPFD, 10), (fcntl.F_DUPFD_CLOEXEC, 0),
                 (fcntl.F_DUPFD, -1), (fcntl.F_GETOWN, 0), (fcntl.F_SETSIG, 10), (fcntl.F_GETSIG, 0),
                 (fcntl.F_NOTIFY, fcntl.DN_ACCESS | fcntl.DN_MULTISHOT), (fcntl.F_GETPIPE_SZ, 0),
                 (fcntl.F_ADD_SEALS, fcntl.F_SEAL_WRITE), (fcntl.F_GET_SEALS, 0), (0x7777, 5)):
    for f in (fd, 1 << 20):
        try:
            fcntl.fcntl(f, cmd, arg)
        except OSError:
            pass
fcntl.lockf(fd, fcntl.LOCK_EX)
os.close(fd)
r, w = os.pipe()
for cmd, arg in ((fcntl.F_GETFL, 0), (fcntl.F_SETPIPE_SZ, 8192), (fcntl.F_GETPIPE_SZ, 0)):
    fcntl.fcntl(w, cmd, arg)
os.close(r)
os.close(w)
m = os.memfd_create("seals", os.MFD_ALLOW_SEALING)
fcntl.fcntl(m, fcntl.F_GET_SEALS)
fcntl.fcntl(m, fcntl.F_ADD_SEALS, fcntl.F_SEAL_SHRINK | fcntl.F_SEAL_GROW)
fcntl.fcntl(m, fcntl.F_GET_SEALS)
os.close(m)
# rt_sigaction(2) with struct kernel_sigaction words (handler, flags, restorer, mask): handlers,
# flags with and without SA_RESTORER and with unknown bits, small and large masks, RT signals,
# NULL, bad addresses and signals, the old action written where the new one was read
act, old = (ctypes.c_uint64 * 4)(), (ctypes.c_uint64 * 4)()
for sig, handler, flags, mask in ((10, 1, 0x14000000, 0), (10, 0, 0, 1 << 1 | 1 << 14),
                                  (12, 0x1234, 0x4000000, 1 << 40), (40, 1, 0x10000000, (1 << 64) - 1),
                                  (34, 0, 0, (1 << 64) - 1 - (1 << 8)),
                                  (15, 1, 0x80000000, 0), (15, 1, 0xFFFFFFFF80000000, 0), (15, 0, 0x200, 0),
                                  (64, 0, 0, (1 << 42) - 1), (0, 1, 0, 0), (65, 1, 0, 0), (-1, 1, 0, 0)):
    act[:] = [handler, flags, 0x7f0000001000, mask]
    libc.syscall(13, sig, ctypes.byref(act), ctypes.byref(old), 8)
    libc.syscall(13, sig, None, ctypes.byref(old), 8)
    libc.syscall(13, sig, ctypes.byref(act), None, 8)
    libc.syscall(13, sig, ctypes.byref(act), ctypes.byref(act), 8)
libc.syscall(13, 10, ctypes.c_void_p(16), ctypes.byref(old), 8)
libc.syscall(13, 10, None, ctypes.c_void_p(16), 8)
libc.syscall(13, 10, ctypes.byref(act), ctypes.byref(old), 4)
# getcwd(2): the path, a buffer too small (ERANGE), a bad one, a directory with escapes
buf = ctypes.create_string_buffer(4100)
os.chdir(os.path.dirname(path))
os.mkdir("d\tq\"\n\xe9")
for d in (".", "d\tq\"\n\xe9"):
    os.chdir(d)
    for n in (4100, 3, 0):
        libc.syscall(79, buf, n)
libc.syscall(79, ctypes.c_void_p(16), 4100)
os.chdir("..")
os.rmdir("d\tq\"\n\xe9")
# ioctl: isatty's TCGETS and TIOCGWINSZ failing on files, pipes, bad descriptors and addresses
# (the C lines), succeeding on a pty (Python's struct), an _IOWR command and an unknown one
# between them (decoded while stopped at entry), FIONREAD's int
import termios
r, w = os.pipe()
fd = os.open(path, os.O_RDONLY)
try:
    pty, tty = os.openpty()
except OSError:
    pty, tty = r, w
for f in (fd, r, w, 1 << 20, -1, tty, pty):
    for req, arg in ((termios.TCGETS, ctypes.byref(act)), (termios.TIOCGWINSZ, ctypes.byref(act)),
                     (termios.TCGETS, None), (termios.TCGETS, ctypes.c_void_p(16)), (0xC0087801, ctypes.byref(act)),
                     (termios.FIONREAD, ctypes.byref(act)), (termios.TIOCGPGRP, ctypes.byref(act)),
                     (termios.TIOCGPGRP, None), (0x7801, 5)):
        libc.ioctl(f, ctypes.c_ulong(req), arg)
for f in (fd, r, w, pty, tty):
    os.close(f)
# UFFDIO_API, an _IOWR struct the kernel rewrites (features): printed as it was at entry, then
# "=> " what the call made of it, so never kept to the exit with TCGETS's lines on
uffd = libc.syscall(323, os.O_CLOEXEC)
if uffd >= 0:
    for _ in range(2):
        api = (ctypes.c_uint64 * 3)(0xAA, 0, 0)
        libc.ioctl(uffd, ctypes.c_ulong(0xC018AA3F), api)
        libc.ioctl(uffd, ctypes.c_ulong(termios.TCGETS), api)
    os.close(uffd)
os.write(1, b"done\n")
os.unlink(path + ".new")  # the second run makes them again
os.unlink(path + ".link")
os.unlink(path)
"""


# -y's paths (lines made from /proc/P/fd/N and /proc/P/cwd at the exit stop): a file unlinked while
# open and one really named "... (deleted)", names with "<", ">", a newline, a space, a tab, a
# non-UTF-8 byte, pipes, sockets, an eventfd, /dev/null, openat with a real dirfd and AT_FDCWD,
# dup/dup2/fcntl(F_DUPFD), fchdir, a bad descriptor (-1), one not open (EBADF), a closed one
Y_SCRIPT = r"""
import ctypes, os, socket, sys
top = sys.argv[1].encode()
os.chdir(top)
libc = ctypes.CDLL(None, use_errno=True)
names = [b"plain", b"a<b>c", b"new\nline", b"sp ace\ttab", b"bad\xff\xfe", b"q\"uo\\te", b"x (deleted)", b"07\x017"]
for name in names:
    fd = os.open(name, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
    os.write(fd, b"data")
    os.lseek(fd, 0, os.SEEK_SET)
    os.read(fd, 4)
    os.fstat(fd)
    os.close(fd)
# unlinked while open: "<PATH>(deleted)"; the file really named "x (deleted)" keeps its name
fd = os.open(b"gone", os.O_RDWR | os.O_CREAT, 0o600)
real = os.open(b"x (deleted)", os.O_RDWR)
os.unlink(b"gone")
for f in (fd, real):
    os.write(f, b"after")
    os.lseek(f, 0, os.SEEK_SET)
    os.read(f, 5)
    os.fstat(f)
os.close(fd)
os.close(real)
# a directory fd: openat relative to it and to AT_FDCWD, fchdir, getdents64
d = os.open(b"sub", os.O_RDONLY | os.O_DIRECTORY)
for name in (b"plain2", b"we<ird>"):
    f = os.open(name, os.O_WRONLY | os.O_CREAT, 0o600, dir_fd=d)
    os.close(f)
    os.stat(name, dir_fd=d)
    os.access(name, os.R_OK, dir_fd=d)
os.stat(b"plain")
os.listdir(d)
os.fchdir(d)
os.stat(b"plain2")
os.chdir(b"..")
os.close(d)
# dups: the new descriptor's path in the result
f = os.open(b"plain", os.O_RDONLY)
g = os.dup(f)
os.dup2(f, 20)
import fcntl
h = fcntl.fcntl(f, fcntl.F_DUPFD, 30)
os.read(20, 2)
os.read(g, 2)
os.read(h, 2)
for x in (f, g, 20, h):
    os.close(x)
# pipes, sockets, an eventfd, /dev/null
r, w = os.pipe()
os.write(w, b"p")
os.read(r, 1)
os.close(r)
os.close(w)
a, b = socket.socketpair()
a.send(b"s")
b.recv(1)
os.write(a.fileno(), b"w")
os.read(b.fileno(), 1)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
socket.socket(socket.AF_INET6, socket.SOCK_DGRAM).close()
e = os.eventfd(0)
os.eventfd_write(e, 3)
os.eventfd_read(e)
n = os.open(b"/dev/null", os.O_WRONLY)
os.write(n, b"nothing")
for x in (e, n):
    os.close(x)
a.close()
b.close()
s.close()
# a bad descriptor, one that is not open, one just closed
for bad in (-1, 1000, n):
    try:
        os.read(bad, 1)
    except OSError:
        pass
    try:
        os.fstat(bad)
    except OSError:
        pass
    libc.syscall(257, bad, b"plain", 0, 0)  # openat(bad, ...)
os.write(1, b"done\n")
for name in names:
    os.unlink(name)
os.unlink(b"sub/plain2")
os.unlink(b"sub/we<ird>")
"""


# the simple calls of a default trace (issue 14: none decoded in Python): ids and masks, uid_t's
# -1, modes with high bits, arch_prctl by code, limits (infinity, N*1024, NULL, unknown resources),
# random bytes (0, under and over -s, unknown flags), sysinfo, statfs of several filesystems,
# creat; each with bad pointers, NULLs and failures (what the C code prints, or gives back)
CALLS_SCRIPT = r"""
import ctypes, os, sys
path = sys.argv[1]
libc = ctypes.CDLL(None, use_errno=True)
sc = libc.syscall
sc.restype = ctypes.c_long
for nr in (186, 110, 111, 39):  # gettid, getppid, getpgrp, getpid
    sc(nr)
for pid in (0, 1, -1, 1 << 22):
    sc(124, pid)  # getsid
for mask in (0o22, 0o777, 0o10777, 0x12345, 0, 0o22):
    sc(95, mask)  # umask
for nr, args in ((105, (-1,)), (106, (-1,)), (117, (-1, -1, -1)), (119, (-1, 0xFFFFFFFF, -1)), (113, (-1, -1)),
                 (140, (0, 0)), (140, (1, 1)), (140, (2, 0)), (140, (7, 0)), (62, (0, 0)), (62, (-1 << 20, 0))):
    sc(nr, *args)  # setuid, setgid, setresuid, setresgid, setreuid, getpriority, kill
for name, mode in ((path, 0o640), (path, 0o104755), (path + "/no/such", 0o600), (None, 0o600)):
    fd = sc(85, name.encode() if name else None, mode)  # creat
    if fd >= 0:
        sc(93, fd, -1, -1)  # fchown, uid_t -1: unchanged
        sc(93, fd, 0, 0xFFFFFFFF)
        os.close(fd)
val = ctypes.c_uint64()
for code, arg in ((0x1003, ctypes.byref(val)), (0x1004, ctypes.byref(val)), (0x1003, None), (0x1004, 16),
                  (0x1011, 0), (0x1012, 1), (0x1001, val.value), (0x9999, 0), (0x1021, ctypes.byref(val))):
    sc(158, code, arg)  # arch_prctl: ARCH_GET_FS/GS, ARCH_GET/SET_CPUID, ARCH_SET_GS, unknown, XCOMP_SUPP
new, old = (ctypes.c_uint64 * 2)(), (ctypes.c_uint64 * 2)()
for res in (7, 3, 4, 8, 1, 99):  # NOFILE, STACK, CORE, MEMLOCK, FSIZE, an unknown one
    sc(302, 0, res, None, ctypes.byref(old))
    sc(302, 0, res, ctypes.byref(old), None)
for lim in ((2048, 1 << 20), (1025, 4096), (0, (1 << 64) - 1), (1024, 1024)):
    new[:] = lim
    sc(302, 0, 4, ctypes.byref(new), ctypes.byref(old))  # RLIMIT_CORE
sc(302, 0, 7, ctypes.c_void_p(16), ctypes.byref(old))
sc(302, 0, 7, None, ctypes.c_void_p(16))
sc(302, 1 << 22, 7, None, ctypes.byref(old))
sc(302, 1, 7, None, ctypes.byref(old))
buf = ctypes.create_string_buffer(64)
for n, flags in ((0, 0), (8, 0), (32, 1), (33, 0), (64, 2), (8, 4), (8, 0x80), (8, 7)):
    sc(318, buf, n, flags)  # getrandom
sc(318, None, 8, 0)
sc(318, ctypes.c_void_p(16), 8, 0)
info = ctypes.create_string_buffer(112)
for arg in (info, None, ctypes.c_void_p(16)):
    sc(99, arg)  # sysinfo
st = ctypes.create_string_buffer(120)
for p in ("/proc", "/sys", "/no/such\\t", None):
    sc(137, p.encode() if p else None, st)  # statfs
sc(137, b"/proc", None)
sc(137, b"/proc", ctypes.c_void_p(16))
r, w = os.pipe()
for fd in (r, -1, 1 << 20):
    sc(138, fd, st)  # fstatfs
sc(138, r, None)
os.close(r)
os.close(w)
fds = (ctypes.c_int * 2)()
for nr, args in ((22, (fds,)), (293, (fds, os.O_CLOEXEC | os.O_NONBLOCK)), (293, (fds, 0)), (22, (None,)),
                 (293, (ctypes.c_void_p(16), 0)), (293, (fds, 0x40000000))):
    if sc(nr, *args) == 0:  # pipe, pipe2: the pair written; NULL, a bad address, an unnamed flag
        os.close(fds[0])
        os.close(fds[1])
gids = (ctypes.c_uint32 * 40)()
os.setgroups([0, 1, 2, 0xFFFFFFFE, 7, 8])
for n, arg in ((40, gids), (0, None), (0, gids), (40, None), (40, ctypes.c_void_p(16)), (1, gids)):
    sc(115, n, arg)  # getgroups: the list, its count, a failure (EINVAL, EFAULT)
os.setgroups([])
sc(115, 40, gids)
uts = ctypes.create_string_buffer(390)
for arg in (uts, None, ctypes.c_void_p(16)):
    sc(63, arg)  # uname
os.unlink(path)
os.write(1, b"done\n")
"""


# wait4 (every status form, WNOHANG's 0, NULL and bad pointers, rusage, ECHILD), clone and clone3
# as fork (CLONE_PARENT_SETTID, CLONE_PIDFD: what the kernel stored), failing ones (their addresses),
# an unnamed flag or signal and clone3's set_tid or a size past its struct (Python's to print),
# rt_sigprocmask's sets (empty, RT signals, "~[...]" when full, NULL, another size, a bad address)
PROC_SCRIPT = r"""
import ctypes, os, signal, struct, time
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
libc.syscall.argtypes = [ctypes.c_long] + [ctypes.c_void_p] * 5
def sc(*a):
    return libc.syscall(*a, *[None] * (6 - len(a)))
new, old = ctypes.c_uint64(1 << 16), ctypes.c_uint64()  # SIGCHLD blocked: no signal line to order
for how, a, b, size in ((0, ctypes.addressof(new), ctypes.addressof(old), 8), (0, None, ctypes.addressof(old), 8),
                        (2, ctypes.addressof(old), None, 8), (0, ctypes.addressof(new), None, 4), (7, None, None, 8),
                        (0, 16, None, 8), (0, None, 16, 8)):
    sc(14, how, a, b, size)
for mask in (0, (1 << 64) - 1, ((1 << 64) - 1) ^ (1 << 8), 0x3 << 31, 0xFFFF_FFFF_0000_0000):
    new.value = mask
    sc(14, 0, ctypes.addressof(new), ctypes.addressof(old), 8)
    sc(14, 2, ctypes.addressof(old), None, 8)
name = ctypes.create_string_buffer(b"procsig")
for args in ((23, 0), (23, 40), (23, 41), (23, 1 << 40), (24, 63), (7,), (8, 0), (8, 1, 0, 0, 0), (38, 0, 1, 2, 3),
             (39, 0, 0, 0, 0), (39, 1, 2, 3, 4), (0x7777, 1, 2), (3,), (15, ctypes.addressof(name)), (1, 0)):
    sc(157, *args)  # prctl: PR_CAPBSET_READ/DROP (a capability without a name too), PR_GET/SET_KEEPCAPS,
    # PR_SET/GET_NO_NEW_PRIVS (EINVAL); an unknown option, a named result, a string, a signal: Python's
cpus, nodes, mode = ctypes.create_string_buffer(512), (ctypes.c_uint64 * 40)(), ctypes.c_int(-1)
for n, arg in ((512, cpus), (8, cpus), (1, cpus), (512, None), (512, 16)):
    sc(204, 0, n, arg)  # sched_getaffinity: the bytes returned, EINVAL, EFAULT
nodes[0] = 1
at = ctypes.addressof(nodes)
for policy, mask, maxnode in ((0, None, 0), (5, at, 1024), (1 | 0x8000, at, 3), (0, at, 2561), (9, None, 0),
                              (2, 16, 1025), (0, None, 1), (0, None, 0)):
    sc(238, policy, mask, maxnode)  # set_mempolicy: modes, flags, -s's cut of the mask, an unnamed mode, EFAULT
for args in ((ctypes.addressof(mode), ctypes.addressof(nodes), 1025, None, 0), (None, None, 0, None, 0),
             (16, None, 0, None, 0), (ctypes.addressof(mode), ctypes.addressof(nodes), 1, None, 0),
             (ctypes.addressof(mode), None, 0, ctypes.addressof(mode), 2), (ctypes.addressof(mode), None, 0, None, 1)):
    sc(239, *args)  # get_mempolicy: the policy and mask written, NULL, EFAULT, EINVAL, MPOL_F_NODE's node number
stack, old_ss = ctypes.create_string_buffer(65536), (ctypes.c_uint64 * 3)()
for ss in ((ctypes.addressof(stack), 0, 65536), (0, 2, 0), (ctypes.addressof(stack), 0x80000000, 65536),
           (ctypes.addressof(stack), 0, 100), (ctypes.addressof(stack), 0x40, 65536)):
    new_ss = (ctypes.c_uint64 * 3)(*ss)  # sigaltstack: a stack, SS_DISABLE, SS_AUTODISARM, ENOMEM, an unnamed flag
    sc(131, ctypes.addressof(new_ss), ctypes.addressof(old_ss))
for args in ((None, ctypes.addressof(old_ss)), (None, None), (16, None), (None, 16)):
    sc(131, *args)
new_ss = (ctypes.c_uint64 * 3)(0, 2, 0)
sc(131, ctypes.addressof(new_ss), None)
signal.signal(signal.SIGUSR1, lambda *a: None)  # rt_sigreturn: the mask its frame restores
for mask in ({signal.SIGCHLD}, {signal.SIGCHLD, signal.SIGUSR2, signal.SIGRTMIN + 3}, set(signal.valid_signals())):
    signal.pthread_sigmask(signal.SIG_SETMASK, mask - {signal.SIGUSR1})
    os.kill(os.getpid(), signal.SIGUSR1)
signal.pthread_sigmask(signal.SIG_SETMASK, {signal.SIGCHLD})
status, ru = ctypes.c_int(), ctypes.create_string_buffer(144)
def child(code):
    pid = os.fork()
    if pid == 0:
        if code == "stop":  # stopped, then continued asleep until killed
            os.kill(os.getpid(), signal.SIGSTOP)
            time.sleep(60)
        elif code == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
        os._exit(code if isinstance(code, int) else 0)
    return pid
for code, args in ((0, (ctypes.addressof(status), 0, ctypes.addressof(ru))), (3, (ctypes.addressof(status), 0, None)),
                   (0, (None, 0, ctypes.addressof(ru))), ("kill", (ctypes.addressof(status), 0, None)),
                   (0, (16, 0, None)), (0, (ctypes.addressof(status), 0, 16))):
    pid = child(code)
    sc(61, pid, *args)  # (a bad address: EFAULT, the child reaped all the same, kernel/exit.c)
pid = child("stop")
sc(61, pid, ctypes.addressof(status), 2, None)  # WUNTRACED
os.kill(pid, signal.SIGCONT)
sc(61, pid, ctypes.addressof(status), 8, None)  # WCONTINUED
os.kill(pid, signal.SIGKILL)
sc(61, pid, ctypes.addressof(status), 0, None)
pid = child("stop")
sc(61, -1, ctypes.addressof(status), 1, ctypes.addressof(ru))  # WNOHANG, nothing yet (or stopped: not asked)
os.kill(pid, signal.SIGKILL)
sc(61, pid, ctypes.addressof(status), 0x40000000, ctypes.addressof(ru))
sc(61, -1, ctypes.addressof(status), 1, ctypes.addressof(ru))  # ECHILD
sc(61, -1, None, 0x7000, None)  # an unnamed option: EINVAL, Python's
tid = ctypes.c_int(-7)
for flags, ptid in ((0x100000 | signal.SIGCHLD, ctypes.addressof(tid)),
                    (0x1000 | signal.SIGCHLD, ctypes.addressof(tid)),
                    (0x01200000 | signal.SIGCHLD, None), (signal.SIGCHLD, None)):
    pid = sc(56, flags, None, ptid, None, None)
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
    if flags & 0x1000:
        os.close(tid.value)
for flags, ptid in ((0x800 | 0x100000, ctypes.addressof(tid)), (0x800 | 0x1000 | 0x80000, 16),
                    (0x10000 | 0x80000 | 0x01000000, None)):
    sc(56, flags, 4096, ptid, 8192, 12288)  # EINVAL (CLONE_SIGHAND without CLONE_VM, CLONE_THREAD without it)
for flags in (0x400000 | signal.SIGCHLD, 0x7F):  # an unnamed flag, an unnamed exit signal: Python's
    pid = sc(56, flags, None, None, None, None)
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0x40000000)  # __WALL: a child whose exit signal is not SIGCHLD too
pfd = ctypes.c_int(-1)
def args3(flags, sig=signal.SIGCHLD, set_tid=0, n_tid=0, cgroup=0):
    return ctypes.create_string_buffer(struct.pack("<11Q", flags, ctypes.addressof(pfd), ctypes.addressof(tid),
                                                   ctypes.addressof(tid), sig, 0, 0, 0, set_tid, n_tid, cgroup), 96)
for a, size in ((args3(0x1000 | 0x100000), 88), (args3(0x100000), 64), (args3(0), 80)):
    pid = sc(435, a, size)
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
    if pfd.value >= 0:
        os.close(pfd.value)
        pfd.value = -1
for a, size in ((args3(0x800), 88), (args3(0, 200), 88), (args3(0, 1 << 40), 88), (args3(0, 0, 16, 1), 88),
                (args3(0x200000000, cgroup=12345), 88), (args3(0), 96), (args3(0), 40), (None, 88),
                (ctypes.c_void_p(16), 88), (args3(0x2000000000), 88)):
    pid = sc(435, a, size)  # EINVAL, E2BIG, EFAULT, EBADF; an unnamed signal or flag, set_tid: Python's
    if pid == 0:
        os._exit(0)
    if pid > 0:  # (the size past the struct, its bytes zero)
        os.waitpid(pid, 0)
os.write(1, b"done\n")
"""


# futex(2) by operation (decode/more.py _FUTEX_ARGS): waits with a timeout, NULL, one that cannot be
# read, a bad one, the _PRIVATE and FUTEX_CLOCK_REALTIME bits, bitsets, requeues, PI locks, and
# what the C code leaves to Python (FUTEX_WAKE_OP's encoded operation, a bitset without a name, an
# unknown command, an operation without a name, a bad timeout address)
FUTEX_SCRIPT = r"""
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
sc = libc.syscall
sc.restype = ctypes.c_long
word, other = ctypes.c_uint32(0), ctypes.c_uint32(0)
uaddr, uaddr2 = ctypes.addressof(word), ctypes.addressof(other)
ts = (ctypes.c_int64 * 2)(0, 1000)
bad_ts = (ctypes.c_int64 * 2)(-1, -1)
P, RT = 128, 256
for op, val, timeout, addr2, val3 in (
        (0, 1, ts, 0, 0), (0, 0, ts, 0, 0), (P, 0, ts, 0, 0), (P, 1, None, 0, 0), (P | RT, 0, ts, 0, 0),
        (RT, 0, ts, 0, 0), (0, 0, bad_ts, 0, 0), (0, 0, ctypes.c_void_p(16), 0, 0), (1, 5, None, 0, 0),
        (1 | P, 2147483647, None, 0, 0), (9, 0, ts, 0, 0xFFFFFFFF), (9 | P | RT, 0, ts, 0, 0xFFFFFFFF),
        (9, 0, ts, 0, 5), (9, 1, None, 0, 0xFFFFFFFF), (10 | P, 1, None, 0, 0xFFFFFFFF), (10, 1, None, 0, 0),
        (3, 1, ctypes.c_void_p(2), uaddr2, 0), (4 | P, 1, ctypes.c_void_p(2), uaddr2, 0),
        (4, 1, ctypes.c_void_p(2), uaddr2, 7), (5 | P, 1, ctypes.c_void_p(1), uaddr2, 0x12345678),
        (8, 0, None, 0, 0), (7, 0, None, 0, 0), (6 | P, 0, ts, 0, 0), (7 | P, 0, None, 0, 0),
        (13, 0, None, 0, 0), (7, 0, None, 0, 0), (11, 1, ts, uaddr2, 0), (12, 1, ctypes.c_void_p(1), uaddr2, 0),
        (2, 0, None, 0, 0), (0x7F, 0, None, 0, 0), (1 | RT, 1, None, 0, 0), (0x80000001, 1, None, 0, 0),
        (1 | 0x100000000, 1, None, 0, 0)):
    sc(202, ctypes.c_void_p(uaddr), ctypes.c_long(op), ctypes.c_long(val), timeout, ctypes.c_void_p(addr2),
       ctypes.c_long(val3))
sc(202, None, 1, 1, None, None, 0)
sc(202, ctypes.c_void_p(16), 0, 0, ts, None, 0)
"""


# socket(2) by domain (kinds/net.py socket_c_plans: the protocol's table is the domain's), connect(2)
# and bind(2) with AF_UNIX (paths with escapes, abstract names with NULs, lengths that cut sun_path,
# 2 bytes: the family alone), AF_INET and AF_INET6 addresses (mapped, scope ids, flow labels, the
# 26 bytes whose scope id is half there), and what the C code leaves to Python (other domains and
# families, unknown types and flags, addresses shorter than their family's struct, link-local scope
# ids, bad pointers); NULL and lengths below 2 print the address
NET_SCRIPT = r"""
import ctypes, os, socket, struct, sys
path = sys.argv[1]
os.chdir(os.path.dirname(path))  # the relative unix names bound below
libc = ctypes.CDLL(None, use_errno=True)
sc = libc.syscall
sc.restype = ctypes.c_long
# socket(2): domains with and without protocol tables, type flags, unknown ones
NB, CX = socket.SOCK_NONBLOCK, socket.SOCK_CLOEXEC
fds = []
for dom, typ, proto in ((1, 1 | CX, 0), (2, 2 | NB, 0), (2, 1, 6), (2, 1 | NB | CX, 0), (10, 2, 17), (2, 3, 255),
                        (16, 3 | CX, 0), (16, 3, 15), (16, 3, 99), (17, 2, 0), (17, 2, 768), (0x1234, 1, 0),
                        (2, 0xF, 0), (2, 1 | 0x100000, 0), (2, 1, -1), (2, 1, 7777), (1 << 32 | 2, 2, 0),
                        (2, 2, 1 << 32 | 17), (10, 1, 0), (1, 2, 0)):
    fd = sc(41, ctypes.c_long(dom), ctypes.c_long(typ), ctypes.c_long(proto))
    if fd >= 0:
        fds.append(fd)
for fd in fds:
    os.close(fd)


def unix(name, size=None):
    data = struct.pack("<H", socket.AF_UNIX) + name
    return data, len(data) if size is None else size


def inet(port, addr):
    return struct.pack("<H", socket.AF_INET) + struct.pack(">H", port) + socket.inet_aton(addr) + bytes(8), 16


def inet6(port, addr, flow=0, scope=None):
    data = struct.pack("<H", socket.AF_INET6) + struct.pack(">HI", port, flow) + socket.inet_pton(socket.AF_INET6, addr)
    return data + (b"" if scope is None else struct.pack("<I", scope)), None


sun = path.encode() + b".sock"
addrs = [unix(b"/nonexistent/sock"), unix(b"tab\there \"q\"\n\\\x7f\xe9"), unix(sun + b"\0"), unix(sun, 110),
         unix(b"\0abstract" + path.encode()[-20:] + b"\0x\x01" + b"7"), unix(b""), unix(b"x"), unix(b"y" * 120, 128),
         unix(b"y" * 200, 300), inet(1, "127.0.0.1"), inet(53, "127.0.0.2"), inet(0, "0.0.0.0"),
         (inet(80, "1.2.3.4")[0][:8], 8), inet6(1, "::1"), inet6(1, "::1", scope=0),
         inet6(2, "::ffff:127.0.0.1", 0x12345),
         inet6(3, "2001:db8::1:0:0:1", scope=3), inet6(4, "fe80::1", scope=1), inet6(4, "fe80::1"),
         inet6(5, "ff02::1", scope=1), (inet6(6, "::1", scope=0)[0][:26], 26), (inet6(1, "::1")[0][:20], 20),
         (b"\x34\x12" + bytes(14), 16), (b"\x10\x00" + bytes(10), 12), (b"", 0), (b"\x01", 1), (b"\x01\x00", 2),
         (struct.pack("<HHiI", 16, 0, 1234, 5), 12), (struct.pack("<HHiI", 16, 3, -1, 0x80000000), 16),
         (struct.pack("<HHiI", 16, 0, 7, 0)[:11], 11),
         (b"\x02\x00", 2), (b"\x0a\x00", 2)]
for data, size in addrs:
    n = len(data) if size is None else size
    # zeros past the data up to the length given (not the heap's bytes, which differ between runs)
    buf = ctypes.create_string_buffer(data, max(len(data), n, 1))
    for dom, typ in ((socket.AF_UNIX, socket.SOCK_STREAM), (socket.AF_INET, socket.SOCK_STREAM),
                     (socket.AF_INET6, socket.SOCK_DGRAM)):
        s = socket.socket(dom, typ)
        libc.connect(s.fileno(), buf, n)
        libc.bind(s.fileno(), buf, n)
        s.close()
s = socket.socket(socket.AF_UNIX)
for addr, n in ((None, 16), (ctypes.c_void_p(16), 16), (ctypes.c_void_p(16), 0), (None, 0), (ctypes.c_void_p(16), -1),
                (ctypes.c_void_p(16), 1 << 32 | 3)):
    sc(42, s.fileno(), addr, ctypes.c_long(n))
    sc(49, s.fileno(), addr, ctypes.c_long(n))
s.close()
# getsockname, getpeername, accept, accept4: value-result lengths ("[in => out]", the value at
# entry when the call failed), the address cut to the length at entry, a non-socket (stdin, not a
# socket here), a bad descriptor, NULL and bad pointers
ls = socket.socket(socket.AF_UNIX)
ls.bind(sun + b"2")
ls.listen(4)
peers = [socket.socket(socket.AF_UNIX) for _ in range(3)]
for p in peers:
    p.connect(sun + b"2")
unbound = socket.socket(socket.AF_INET)
out = ctypes.create_string_buffer(128)
for fd in (ls.fileno(), peers[0].fileno(), unbound.fileno(), 0, 1 << 20):
    for size in (128, 110, 16, 3, 1, 0, -1):
        for nr in (51, 52):
            ln = ctypes.c_int(size)
            sc(nr, fd, out, ctypes.byref(ln))
    sc(51, fd, None, None)
    sc(52, fd, out, ctypes.c_void_p(16))
    sc(52, fd, ctypes.c_void_p(16), ctypes.byref(ctypes.c_int(16)))
for size in (128, 1):
    ln = ctypes.c_int(size)
    os.close(sc(43, ls.fileno(), out, ctypes.byref(ln)))
ln = ctypes.c_int(64)
os.close(sc(288, ls.fileno(), out, ctypes.byref(ln), socket.SOCK_CLOEXEC))
sc(43, unbound.fileno(), out, ctypes.byref(ctypes.c_int(16)))
for x in (ls, unbound, *peers):
    x.close()
for name in (sun, sun + b"2", b"tab\there \"q\"\n\\\x7f\xe9", b"x"):
    try:
        os.unlink(name)
    except OSError:
        pass
os.write(1, b"done\n")
"""


# the times of a line (-t/-tt/-ttt, -T): their digits differ from run to run, their widths do not
# (the column a line is padded to counts the prefix); test_c_line_times holds the digits to the sink's
# (not only at a line's start: on stderr the tracee's own writes come before some)
_TIMES = re.compile(r"(?<!\d)(?:\d\d:\d\d:\d\d|\d{10})(?:\.\d+)? |<\d+(?:\.\d+)?>$|\(\+ *\d+(?:\.\d+)?\) "
                    r"|^(?:P\d+ )? *\d+\.\d+ "  # -r: "(+   0.000012) " after -t, else first
                    r"|(?<=[^\s\d.]) +\d+\.\d+ (?=\w+\()", re.M)  # (or after the tracee's "tar: " on stderr)


# a program that forks and waits: one task, two, one again (-f: the lines are made while one is)
# (SIGCHLD blocked: its line would come before or after wait4's as the child's exit falls)
FORK_SCRIPT = r"""
import os, signal
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGCHLD})
for i in range(50): os.write(1, b"a")
pid = os.fork()
if pid == 0:
    for i in range(30): os.write(1, b"c")
    os._exit(0)
os.waitpid(pid, 0)
for i in range(50): os.write(1, b"b")
"""

# execve and execveat (their arguments made by the extension at the entry stop): failing ones with
# every argv the abbreviation rules cut (-s's length of each string, -s's count of strings, "..."
# after them), empty ones, NULL arrays, bad pointers (Python's to print), a path too long, then
# execveat(fd, "", AT_EMPTY_PATH) of a #! script whose shell looks its command up in PATH (a
# failed execve, then the one that runs), which ends in exit_group
EXEC_SCRIPT = r"""
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
libc.syscall.argtypes = [ctypes.c_long] + [ctypes.c_void_p] * 6
keep = []
def sc(*a):
    return libc.syscall(*a, *[None] * (7 - len(a)))
def arr(items):
    keep.append((ctypes.c_char_p * (len(items) + 1))(*items, None))
    return ctypes.cast(keep[-1], ctypes.c_void_p)
def s(b):
    keep.append(ctypes.create_string_buffer(b))
    return ctypes.cast(keep[-1], ctypes.c_void_p)
missing = s(b"/nonexistent/prog")
for argv in ([b"a"], [], [b"x" * 40, b"y" * 32, b"z" * 31, b"w" * 33, b"tab\there\n\"q\"\\"],
             [b"%d" % i for i in range(40)], [b"%d" % i for i in range(32)], [b"%d" % i for i in range(33)],
             [b"\xff\x00", b"\x01\x37"], [b""], [b"<>" * 5000]):
    sc(59, missing, arr(argv), arr([b"A=1", b"B=2"]))
sc(59, missing, None, None)
sc(59, missing, arr([b"one"]), arr([b"ONLY=1"]))
sc(59, missing, arr([b"none"]), arr([]))
sc(59, missing, 1, 8)
sc(59, missing, arr([b"bad env"]), 8)
sc(59, 16, arr([b"bad path"]), None)
sc(59, s(b"/" + b"x" * 5000), arr([b"long path"]), None)
sc(59, s(b"a\tb\"c" * 10), arr([b"relative"]), None)
sc(59, s(sys.argv[1].encode()), arr([b"a directory"]), None)
sc(322, -100 & (2**64 - 1), missing, arr([b"at"]), arr([]), 0)
sc(322, 12345, s(b""), arr([b"bad fd"]), None, 0x1000)
script = os.path.join(sys.argv[1], "script")
fd = os.open(script, os.O_RDONLY)
os.set_inheritable(fd, True)
os.execve(fd, [script] + ["arg%d" % i for i in range(35)], {"PATH": "/nonexistent:/usr/bin:/bin", "K": "v"})
"""


def _exec_dir(tmp_path: Path) -> Path:
    """The #! script EXEC_SCRIPT runs last."""
    top = tmp_path / "exec"
    top.mkdir()
    (top / "script").write_text('#!/bin/sh\nexec true "$@"\n')
    (top / "script").chmod(0o755)
    return top


def _pids_masked(text: str) -> str:
    """-f: the ids of the tasks (the prefixes, what clone returns), named by their order of
    appearance, and the padding they move; and how the two tasks' lines fell (each task's calls
    whole, in its order, task after task): while two run, Python prints both runs' lines as
    they came."""
    # where a task's id is printed (only there: a file's size may be the same number)
    places = [r"^(\d+) ", r"\[pid +(\d+)\]", r"si_pid=(\d+)", r"wait4\((\d+),", r"Process (\d+) attached",
              r"^.*(?:clone|set_tid_address|getpid|gettid|wait4)(?:\(| resumed>).*= (\d+)(?: <[\d.]+>)?$"]
    found = sorted((m.start(1), m.group(1)) for pattern in places for m in re.finditer(pattern, text, re.M))
    names: dict[str, str] = {}
    for _, pid in found:
        names.setdefault(pid, f"P{len(names) + 1}")
    for pattern in places:
        text = re.sub(pattern, lambda m: m.group()[: m.start(1) - m.start()] + names[m.group(1)]
                      + m.group()[m.end(1) - m.start():], text, flags=re.M)
    text = re.sub(r" +(= |<unfinished)", r" \1", re.sub(r"^(P\d+) +", r"\1 ", text, flags=re.M))
    tasks: dict[str, list[str]] = {}
    for line in text.splitlines():
        m = re.match(r"(P\d+ |\[pid +P\d+\] )", line)
        # (stderr: a line without "[pid N] " is the one task's, here the parent's)
        key, body = (m.group(1).replace("[pid", "").strip(" []"), line[m.end():]) if m else ("P1", line)
        calls = tasks.setdefault(key, [])
        resumed = re.match(r"(?:[\d:.]+ )?<\.\.\. \S+ resumed>", body)  # (after its time, -tt)
        if resumed and calls and calls[-1].endswith(" <unfinished ...>"):
            calls[-1] = calls[-1][: -len(" <unfinished ...>")] + body[resumed.end():]
        else:
            calls.append(body)
    whole = "\n".join(f"{key} {call}" for key, calls in sorted(tasks.items()) for call in calls)
    return re.sub(r",(?=\S)", ", ", re.sub(r"\(\s+", "(", whole)) + "\n"


def _masked(text: str) -> str:
    # what two runs of one program do differently: random bytes, its pid, the times
    text = _TIMES.sub(lambda m: re.sub(r"\d", "N", m.group()), text)
    text = re.sub(r'^([PN\d:.()+ ]*?)getrandom\("[^"]*"(\.\.\.)?, ', r'\1getrandom(RANDOM, ', text, flags=re.M)
    # free memory, processes: the numbers of a sysinfo struct (its fields and their order compared)
    text = re.sub(r"^([PN\d:.()+ ]*?)sysinfo\(\{.*$", lambda m: re.sub(r"\d+", "N", m.group()), text, flags=re.M)
    text = text.replace("SYSCOPE_C_LINES=0", "SYSCOPE_C_LINES=1")  # the switch itself, in -v's envp
    # the children's ids (what clone returns and wait4 reaps), the CPU time they used
    text = re.sub(r"^([PN\d:.()+ ]*?(?:clone3?|wait4)\(.*\)\s+= )\d+", r"\1PID", text, flags=re.M)
    text = re.sub(r"(wait4\(|parent_tid=\[|si_pid=)\d+|(kill\()\d+(?=, SIG)", r"\1\2PID", text)
    text = re.sub(r"(ru_[us]time=\{tv_sec=)\d+(, tv_usec=)\d+", r"\1N\2N", text)
    text = re.sub(r"ru_maxrss=.*?\}", "REST}", text)  # (-v)
    # -y: the inodes of pipes and sockets (-yy: "UNIX-STREAM:[N->M]")
    text = re.sub(r"(?<=[a-zA-Z0-9]:)\[\d+(?:->\d+)?\]", "[INODE]", text)
    return re.sub(r"^([PN\d:.()+ ]*?(?:set_tid_address|getpid|gettid|getppid)\(.*\)\s+= )\d+( <[N.]+>)?$", r"\1PID\2",
                  text, flags=re.M)


def _trace(tmp_path: Path, name: str, on: bool, opts: list[str], cmd: list[str]) -> str:
    """The trace of cmd to a file (-o), or to stderr (a file here: the tracer's own stderr) when
    opts start with "stderr"."""
    out = tmp_path / f"{name}.{int(on)}"
    env = dict(os.environ, SYSCOPE_C_LINES="1" if on else "0")  # one length: the same envp address
    to = [] if opts[:1] == ["stderr"] else ["-o", str(out)]
    # -o: the tracee's stderr is another file (the trace file's size, which the tracee may fstat,
    # depends on when the lines were written, not on what they are)
    with open(out if not to else out.with_suffix(".err"), "wb") as err:
        subprocess.run(["setarch", "-R", sys.executable, "-m", "syscope", *to, *opts[1 if not to else 0:], "--", *cmd],
                       env=env, check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
                       timeout=120)
    text = out.read_text()
    if not to:  # the tracee's stderr is the trace: its size when the tracee looks (sysinfo's lines vary)
        # (-y: "2</path/of/the/trace>")
        text = re.sub(r'((?:newfstatat|fstat)\(2(?:<[^>]*>)?, (?:"", )?\{st_mode=S_IFREG\|\d+, st_size=)\d+',
                      r"\1SIZE", text)
        text = re.sub(r"(lseek\(2(?:<[^>]*>)?, 0, SEEK_CUR\)\s+= )\d+", r"\1SIZE", text)
        text = text.replace(f"2<{out}>", f"2<{out.with_suffix('.N')}>")  # -y: the file itself (one length)
    return _masked(_pids_masked(text) if "-f" in opts else text)


WORKLOADS = {
    "dd": ["dd", "if=/dev/zero", "of=/dev/null", "bs=1", "count=300", "status=none"],  # no timings
    "script": [sys.executable, "-S", "-I", "-c", SCRIPT],
    # openat, newfstatat, getdents64, fcntl; statx, getxattr, lgetxattr, readlink (the tree below)
    "tar": ["tar", "cf", "/dev/null", "TREE"],
    "ls": ["ls", "-laR", "TREE"],
    "fork": [sys.executable, "-S", "-I", "-c", FORK_SCRIPT],
    "yfiles": [sys.executable, "-S", "-I", "-c", Y_SCRIPT, "TREE"],
    "calls": [sys.executable, "-S", "-I", "-c", CALLS_SCRIPT],
    "exec": [sys.executable, "-S", "-I", "-c", EXEC_SCRIPT, "EXECDIR"],
}


def _tree(tmp_path: Path) -> Path:
    """Files, directories, a symlink, a name that needs escapes: what tar and ls walk."""
    top = tmp_path / "tree"
    (top / "sub" / "deeper").mkdir(parents=True)
    for k, name in enumerate(["a", "b c", "t\tab", "\u00e9t\u00e9", "sub/x", "sub/deeper/y"]):
        (top / name).write_bytes(b"z" * (k * 700))
    (top / "link").symlink_to("a")
    return top
OPTIONS = {"default": [], "s5-a20": ["-s", "5", "-a", "20"], "trace": ["-e", "trace=read,write,lseek,close"],
           "s0": ["-s", "0"], "stderr": ["stderr"], "verbose": ["-v"], "tt-T": ["-tt", "-T"], "t": ["-t"],
           "ttt-ns": ["-ttt", "--syscall-times=ns"],
           "stderr-T-ms": ["stderr", "-T", "--absolute-timestamps=precision:ms"], "r": ["-r"],
           "tt-r-T": ["-tt", "-r", "-T"], "stderr-r-ms": ["stderr", "-r", "--relative-timestamps=ms"],
           # -y's paths (their C lines); -yy and --decode-fds=path,socket stay Python's, here compared too
           "y": ["-y"], "y-s5-tt": ["-y", "-s", "5", "-tt"], "stderr-y": ["stderr", "-y"],
           "decode-fds-path": ["--decode-fds=path"], "yy": ["-yy"]}
# -y on the programs whose descriptors and names it shows; the -y program only with -y
_Y_OPTIONS = ("y", "y-s5-tt", "stderr-y", "decode-fds-path", "yy")


# -v on dd only: the files the others make show their inode numbers and times whole under -v,
# which differ from run to run (and -v's structs are Python's to print)
CASES = [(w, o) for w in WORKLOADS for o in OPTIONS if (o != "verbose" or w == "dd")
         and (o in ("y", "stderr-y") or o not in _Y_OPTIONS or w in ("script", "tar", "yfiles"))
         and (w != "yfiles" or o in _Y_OPTIONS) and w != "exec"]
CASES += [("exec", o) for o in ("default", "s5-a20", "s0", "stderr", "tt-T", "r", "y")]
# -f on the program that forks (-o FILE: each line's pid first; stderr: "[pid N] " while two tasks)
FOLLOW = {"f": ["-f"], "f-tt-T": ["-f", "-tt", "-T"], "stderr-f": ["stderr", "-f"], "f-r": ["-f", "-r"]}
OPTIONS.update(FOLLOW)
FOLLOW_Y = {"f-y": ["-f", "-y"]}
OPTIONS.update(FOLLOW_Y)
CASES = [(w, o) for w, o in CASES if w != "fork"] + [
    (w, o) for w in ("fork", "script", "dd", "exec") for o in FOLLOW] + [("fork", "f-y"), ("yfiles", "f-y")]
# futex by operation, its C lines under the options that change a line's frame
WORKLOADS["futex"] = [sys.executable, "-S", "-I", "-c", FUTEX_SCRIPT]
CASES += [("futex", o) for o in ("default", "s5-a20", "stderr", "tt-T", "y")]
# socket, connect and bind
WORKLOADS["net"] = [sys.executable, "-S", "-I", "-c", NET_SCRIPT]
CASES += [("net", o) for o in ("default", "s5-a20", "stderr", "tt-T", "y")]
# wait4, clone, clone3, rt_sigprocmask
WORKLOADS["proc"] = [sys.executable, "-S", "-I", "-c", PROC_SCRIPT]
CASES += [("proc", o) for o in ("default", "s5-a20", "stderr", "tt-T", "y")]


@pytest.mark.parametrize(("workload", "opts"), CASES, ids=[f"{w}-{o}" for w, o in CASES])
def test_c_lines_are_the_python_lines(tmp_path: Path, workload: str, opts: str) -> None:
    cmd = [str(_tree(tmp_path)) if a == "TREE" else str(_exec_dir(tmp_path)) if a == "EXECDIR" else a
           for a in WORKLOADS[workload]]
    if workload in ("script", "calls", "net"):
        cmd.append(str(tmp_path / "data"))
    got = _trace(tmp_path, workload + opts, True, OPTIONS[opts], cmd)
    want = _trace(tmp_path, workload + opts, False, OPTIONS[opts], cmd)
    assert got == want
    if workload == "dd" and opts == "default":
        assert got.count('read(0, "\\0", 1)') == 300


@pytest.mark.parametrize("form", [(1, 0, False, 6, False, False, 6), (2, 6, True, 6, True, True, 6),
                                  (3, 9, True, 3, False, False, 6), (2, 3, True, 9, False, True, 3),
                                  (0, 0, True, 0, True, True, 9), (0, 0, False, 6, False, True, 6)])
def test_c_line_times(form: tuple[int, int, bool, int, bool, bool, int], monkeypatch: pytest.MonkeyPatch) -> None:
    """The extension's -t/-tt/-ttt prefix and -T suffix are the sink's for the same float times
    (the kept entry's and the exit stop's, time.time()'s clock): fractions near 0 and 1, a
    negative duration (the clock set back), times across days and a DST change."""
    timestamps, ts_digits, show_time, duration_digits, pid, relative, relative_digits = form
    monkeypatch.setenv("TZ", "Europe/Berlin")  # a local time with DST: 1711846800 is its change in 2024
    time.tzset()
    sink = StraceTextSink(io.StringIO(), timestamps=timestamps, ts_digits=ts_digits, show_time=show_time,
                          duration_digits=duration_digits, pid_prefix="file" if pid else "none", relative=relative,
                          relative_digits=relative_digits)
    assert sink.c_line_form == form
    assert stops.fmt_times(*form)
    try:
        for ts in (1_700_000_000.0, 1_700_000_000.999999, 1_700_000_000.9999999, 1_733_456_789.000001, 1.5,
                   1_711_846_799.123456, 1_711_846_800.5, 2_000_000_000.25, 1_796_537_898.5558267):
            for d, last in ((0.0, None), (1.2e-5, ts - 0.5), (0.9999999, ts + 1.0), (1.0000001, ts - 12.345678),
                            (12.345678, ts - 1e-7), (-0.000003, ts), (3e-10, ts - 1234567.9999999)):
                stops.fmt_last(last)  # -r: the last line's time (None: the first line)
                sink._last_ts = last
                ev = SyscallEvent(4321, 4321, "x86_64", 3, "close", (0,) * 6, ts)
                ev.ts_exit = ts + d
                pre, suf = stops._stops.fmt_times_text(ev.ts_enter, ev.ts_exit, ev.tid)  # built (scripts/setup.sh)
                assert pre == sink._prefix(ev.tid, ev.ts_enter)
                want = io.StringIO()
                sink.out = want
                ev.args, ev.ret_text, ev.phase = ["0"], "0", "exit"
                sink.handle(ev)
                assert want.getvalue().endswith(" = 0" + suf + "\n"), (ts, d)
    finally:
        stops.fmt_times(0, 0, False, 6, False, False, 6)
        stops.fmt_last(None)
        monkeypatch.undo()
        time.tzset()


def test_the_extension_makes_the_lines(tmp_path: Path) -> None:
    """Through the Python API: the calls the extension made lines of come as text, not events,
    and in their order among the events (here the 300 byte reads and writes of dd)."""
    assert stops.IMPLEMENTATION == "c" and stops.fmt_text is not stops.py_fmt_text  # built (scripts/setup.sh)
    tracer = Tracer(["dd", "if=/dev/zero", "of=/dev/null", "bs=1", "count=300"])
    texts: list[str] = []
    tracer.line_out = texts.append
    names = [ev.name for ev in tracer.events() if getattr(ev, "phase", "") == "exit"]
    made = "".join(texts)
    assert made.count('read(0, "\\0", 1)') + names.count("read") >= 300
    assert made.count('read(0, "\\0", 1)') >= 290  # the first of each call is Python's
    assert made.count('write(1, "\\0", 1)') >= 290
    assert "execve" not in names and made.startswith('execve("/usr/bin/dd", ["dd", "if=/dev/zero", ')


def test_the_extension_makes_timed_lines() -> None:
    """-ttt -r -T (line_form): the extension's lines carry the kept entry's time, the time since
    the line before, and the call's duration, in order, the duration within the time to the
    next line's entry."""
    tracer = Tracer(["dd", "if=/dev/zero", "of=/dev/null", "bs=1", "count=300"])
    texts: list[str] = []
    tracer.line_out = texts.append
    tracer.line_form = (3, 6, True, 6, False, True, 6)
    tracer.line_last(None)
    for _ in tracer.events():
        pass
    text = "".join(texts)
    rel = re.findall(r'^(\d+\.\d{6}) \(\+ +(\d+\.\d{6})\) write\(1, "\\0", 1\) += 1 <\d+\.\d{6}>\n'
                     r'(\d+\.\d{6}) \(\+ +(\d+\.\d{6})\) read\(', text, re.M)
    assert len(rel) >= 290  # each read's time since the write before it (truncated: 1 µs either way)
    assert all(abs(float(r) - (float(b) - float(a))) <= 2e-6 for a, _, b, r in rel)
    made = re.findall(r'^(\d+\.\d{6}) \(\+ +\d+\.\d{6}\) read\(0, "\\0", 1\) += 1 <(\d+\.\d{6})>$', text, re.M)
    assert len(made) >= 290
    starts = [float(t) for t, _ in made]
    assert starts == sorted(starts)
    # (truncated to microseconds: the difference of two printed times may be 1 µs short)
    for (_, d), a, b in zip(made, starts, starts[1:], strict=False):
        assert float(d) <= b - a + 1e-6


def test_the_extension_makes_lines_while_one_task() -> None:
    """-f (entry events for "<unfinished ...>", -o FILE's pid prefix): the extension makes the
    parent's lines before the fork and after the child is gone, none while both are traced."""
    tracer = Tracer([sys.executable, "-S", "-I", "-c", FORK_SCRIPT], follow_forks=True, entries=True)
    tracer.interleave_entries = True
    texts: list[str] = []
    tracer.line_out = texts.append
    tracer.line_form = (0, 0, False, 6, True, False, 6)
    events = [ev for ev in tracer.events() if getattr(ev, "phase", "") == "exit"]
    made = "".join(texts)
    lines = re.findall(r'^(\d+) +write\(1, "(.)", 1\) += 1$', made, re.M)
    assert sum(c == "a" for _, c in lines) >= 45 and sum(c == "b" for _, c in lines) >= 45
    assert not any(c == "c" for _, c in lines)  # two tasks: Python's, entries and all
    assert len({pid for pid, _ in lines}) == 1
    assert sum(ev.name == "write" and ev.raw_args[2] == 1 for ev in events) + len(lines) == 130


# the parent blocks in a read of a pipe (its entry half printed by Python, left open) while its
# child makes calls, then the child writes what ends the read and waits in a read of its own
TWO_TASKS_SCRIPT = r"""
import os
r1, w1 = os.pipe()
r2, w2 = os.pipe()
pid = os.fork()
if pid == 0:
    for i in range(40): os.write(1, b"c")
    os.write(w1, b"go")
    os.read(r2, 1)
    os._exit(0)
os.read(r1, 2)
for i in range(40): os.write(1, b"p")
os.write(w2, b"x")
os.waitpid(pid, 0)
"""


@pytest.mark.parametrize("prefix", ["file", "bracket"])
def test_the_extension_makes_lines_of_two_tasks(prefix: str) -> None:
    """-f with the sink's open line shared (line_cuts, as the CLI wires it): the extension makes
    the child's lines while the parent is in a call, its first one cutting the parent's entry
    half "<unfinished ...>"; a kept entry met by another thread's report is handed back and
    printed as strace's cut line.  Every call is there once, whole or in two halves."""
    tracer = Tracer([sys.executable, "-S", "-I", "-c", TWO_TASKS_SCRIPT], follow_forks=True, entries=True)
    tracer.interleave_entries = True
    out = io.StringIO()
    sink = StraceTextSink(out, pid_prefix=prefix, nprocs=lambda: len(tracer.tasks),
                          exit_args_follow=lambda ev: tracer.decoder is not None
                          and tracer.decoder.exit_args_follow(ev))
    made: list[str] = []

    def line_out(text: str) -> None:
        made.append(text)
        out.write(text)

    tracer.line_out = line_out
    tracer.line_form = (0, 0, False, 6, 1 if prefix == "file" else 2, False, 6)
    tracer.line_cuts = True
    sink.open_store = tracer.line_open
    python = []
    for ev in tracer.events():
        if isinstance(ev, SyscallEvent) and ev.phase == "exit":
            python.append(ev.name)
        sink.handle(ev)
    sink.close()
    text, c_text = out.getvalue(), "".join(made)
    pid = r"(\d+) +" if prefix == "file" else r"(?:\[pid +(\d+)\] )?"
    child = re.findall(rf'^{pid}write\(1, "c", 1\) += 1$', c_text, re.M)
    parent = re.findall(rf'^{pid}write\(1, "p", 1\) += 1$', c_text, re.M)
    # (a call whose entry was kept when the other task reported is Python's: a few at most)
    assert len(child) >= 35 and len(parent) >= 35, c_text
    # one id each, printed ("[pid N] " too: two tasks were traced then)
    assert len(set(child)) == 1 and len(set(parent)) == 1 and set(child) != set(parent) and all(child + parent)
    assert python.count("write") + len(re.findall(r"^(?:\d+ +|\[pid +\d+\] )?write\(", c_text, re.M)) == 82, python
    # each call once: an "<unfinished ...>" half and its "<... resumed>" rest, of the same task
    open_: dict[str, str] = {}
    calls = []
    for line in text.splitlines():
        m = re.match(r"(\d+) +|\[pid +(\d+)\] ", line)
        task = (m.group(1) or m.group(2)) if m else "main"
        body = line[m.end():] if m else line
        if body.endswith(" <unfinished ...>"):
            assert task not in open_, line
            open_[task] = body[: -len(" <unfinished ...>")]
        elif body.startswith("<... "):
            name = body.split()[1]
            # ("[pid N] " only while two tasks are traced: the one task left has none)
            key = task if task in open_ or len(open_) != 1 else next(iter(open_))
            assert open_.pop(key).startswith(name + "("), line
            calls.append(name)
        elif not body.startswith(("+++", "---")):
            calls.append(body.split("(")[0])
    assert not open_
    assert calls.count("write") == 82 and calls.count("read") >= 2
    assert re.search(r"read\(\d+, +<unfinished \.\.\.>$", text, re.M), text  # the parent's, cut


@pytest.mark.parametrize("workload", ["tar", "ls"])
def test_the_extension_makes_file_lines(tmp_path: Path, workload: str) -> None:
    """openat, newfstatat, getdents64, statx, getxattr, lgetxattr lines made by the extension (tar, ls)."""
    top = str(_tree(tmp_path))
    tracer = Tracer([top if a == "TREE" else a for a in WORKLOADS[workload]])
    texts: list[str] = []
    tracer.line_out = texts.append
    for _ in tracer.events():
        pass
    made = "".join(texts)
    want = (["newfstatat(", "openat(", "getdents64(", "fcntl("] if workload == "tar"
            else ["statx(", "lgetxattr(", "getxattr("])
    for call in want:  # the tree's files at least (the first call of each name is Python's)
        assert len(re.findall(rf"^{re.escape(call)}.*\) += ", made, re.M)) >= 4, call


def test_the_extension_makes_y_lines(tmp_path: Path) -> None:
    """-y: the extension makes the lines of descriptors with their paths (reads, writes, fstat,
    openat's AT_FDCWD and a real dirfd, results that are descriptors, a file unlinked while open,
    pipes, sockets, an eventfd); close and dup2, which change the links they print, are Python's,
    decoded while the thread is stopped at their entry (late_decode.py)."""
    top = _tree(tmp_path)
    tracer = Tracer([sys.executable, "-S", "-I", "-c", Y_SCRIPT, str(top)], options=DecodeOptions(decode_fds=1))
    texts: list[str] = []
    tracer.line_out = texts.append
    events = [ev for ev in tracer.events() if getattr(ev, "phase", "") == "exit"]
    made = "".join(texts)
    for line in (f'openat(AT_FDCWD<{top}>, "a<b>c", O_RDWR|O_CREAT|O_TRUNC|O_CLOEXEC, 0600) = 3<{top}/a\\74b\\76c>',
                 f'write(3<{top}/new\\nline>, "data", 4)', f"read(3<{top}/bad\\377\\376>, ",
                 f"lseek(3<{top}/gone>(deleted), 0, SEEK_SET)", f"lseek(4<{top}/x (deleted)>, 0, SEEK_SET)",
                 f'newfstatat(AT_FDCWD<{top}>, "plain", ', f'newfstatat(3<{top}/sub>, "plain2", ',
                 f"= 30<{top}/plain>", "write(4<pipe:[", "write(3<socket:[", "read(4<socket:[",
                 "<anon_inode:[eventfd]>, ",
                 "</dev/null>, \"nothing\", 7)", "read(-1, 0x", "read(1000, 0x", "= -1 EBADF (Bad file descriptor)"):
        assert line in made, line
    python = {ev.name for ev in events}
    assert {"close", "dup2"} <= python and "close(" not in made and "dup2(" not in made


def test_y_lines_with_proc_of_another_pid_namespace(tmp_path: Path) -> None:
    """-y's links when /proc is not the tracer's PID namespace's (``unshare -pf`` without a new
    /proc: the tracee's /proc number is not its pid, pidns.proc_pid finds it): the C lines read
    the same links as Python."""
    cmd = ["cat", "/etc/hostname", "/dev/null"]
    texts: list[str] = []
    for on in (True, False):
        out = tmp_path / f"ns.{int(on)}"
        env = dict(os.environ, SYSCOPE_C_LINES="1" if on else "0")
        subprocess.run(["unshare", "-pf", "setarch", "-R", sys.executable, "-m", "syscope", "-y", "-o", str(out), "--",
                        *cmd], env=env, check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, timeout=120)
        texts.append(_masked(out.read_text()))
    assert texts[0] == texts[1]
    assert "</etc/hostname>" in texts[0] and "read(3</dev/null>, " in texts[0]


def test_a_commands_lines_beside_an_attached_process_carry_its_pid(tmp_path: Path) -> None:
    """-p PID -- CMD without -f: two tasks are traced, so strace prints "[pid N] " before each
    line on stderr; the extension's lines of the command carry it as the Python lines do (its
    count of tasks: _stops.fmt_nprocs)."""
    texts = []
    for on in (True, False):
        sleeper = subprocess.Popen(["sleep", "1"])
        out = tmp_path / f"p{int(on)}"
        with open(out, "wb") as err:
            subprocess.run(["setarch", "-R", sys.executable, "-m", "syscope", "-p", str(sleeper.pid), "--", "cat",
                            "/etc/hostname"],
                           env=dict(os.environ, SYSCOPE_C_LINES="1" if on else "0"), stdin=subprocess.DEVNULL,
                           stdout=subprocess.DEVNULL, stderr=err, timeout=60, check=True)
        sleeper.wait()
        lines = out.read_text().splitlines()
        cat = next(m.group(1) for ln in lines if (m := re.match(r"\[pid +(\d+)\] execve\(", ln)))
        text = "\n".join(ln.replace(cat, "CAT") for ln in lines if f" {cat}]" in ln)
        texts.append(re.sub(r'getrandom\("[^"]*"', "getrandom(RANDOM", text))  # (two runs' random bytes)
    assert texts[0] == texts[1]
    assert 'openat(AT_FDCWD, "/etc/hostname", O_RDONLY) = 3' in re.sub(r" +=", " =", texts[0])
    assert all(re.match(r"\[pid +CAT\] ", ln) for ln in texts[0].splitlines())
    assert len(texts[0].splitlines()) > 20


def test_stderr_lines_are_out_while_the_tracee_blocks(tmp_path: Path) -> None:
    """strace's stderr is live: the lines the extension made are written before the tracer
    sleeps, not held until the next report (here the tracee blocks in read(2), a call whose
    entry the extension keeps, until we write)."""
    err = tmp_path / "err"
    prog = "import os\nfor i in range(5): os.write(1, b'%d\\n' % i)\nos.read(0, 1)\n"
    with open(err, "wb") as f:
        p = subprocess.Popen([sys.executable, "-m", "syscope", "--", "/usr/bin/python3", "-S", "-I", "-c", prog],
                             stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=f)
    try:
        seen = ""
        for _ in range(400):  # until the lines are there (the test fails if they never come)
            seen = err.read_text()
            if 'write(1, "4\\n", 2)' in seen:
                break
            time.sleep(0.05)
        assert 'write(1, "3\\n", 2)' in seen and 'write(1, "4\\n", 2)' in seen
        assert p.poll() is None and "read(0, " not in seen  # still in the call: the lines came before
    finally:
        assert p.stdin is not None
        p.stdin.write(b"x")
        p.stdin.close()
        p.wait(timeout=60)
    assert p.returncode == 0
    assert 'read(0, "x", 1)' in err.read_text()


def test_the_extension_makes_command_and_struct_lines(tmp_path: Path) -> None:
    """fcntl by command (its plans chosen by the command's register), rt_sigaction's structs,
    getcwd's path: made by the extension, and what it leaves to Python (a flag bit without a
    name, a lock, a signal number without a name) still comes as events."""
    tracer = Tracer([sys.executable, "-S", "-I", "-c", SCRIPT, str(tmp_path / "data")])
    texts: list[str] = []
    tracer.line_out = texts.append
    events = [ev for ev in tracer.events() if getattr(ev, "phase", "") == "exit"]
    made = "".join(texts)
    for line in ("fcntl(3, F_SETFD, FD_CLOEXEC)", "fcntl(3, F_GETFD)                       = 0x1 (flags FD_CLOEXEC)",
                 "fcntl(3, F_GETFL)                       = 0x8c02 (flags O_RDWR|O_APPEND|O_NONBLOCK|O_LARGEFILE)",
                 "fcntl(5, F_SETPIPE_SZ, 8192)", "= 0x6 (seals F_SEAL_SHRINK|F_SEAL_GROW)",
                 "rt_sigaction(SIGUSR1, {sa_handler=SIG_IGN, sa_mask=[], sa_flags=SA_RESTORER|SA_RESTART, "
                 "sa_restorer=0x7f0000001000}, {sa_handler=SIG_DFL, sa_mask=[], sa_flags=0}, 8) = 0",
                 "sa_mask=~[KILL STOP]", "rt_sigaction(SIGUSR1, NULL, 0x10, 8)    = -1 EFAULT (Bad address)",
                 'getcwd("', "= -1 ERANGE (Numerical result out of range)",
                 "ioctl(3, TCGETS, NULL)                  = -1 ENOTTY (Inappropriate ioctl for device)",
                 "ioctl(1048576, TIOCGWINSZ, 0x", "ioctl(1048576, FIONREAD, 0x",
                 "ioctl(3, TIOCGPGRP, NULL)               = -1 ENOTTY (Inappropriate ioctl for device)"):
        assert line in made, line
    python = [(ev.name, ev.args[1] if len(ev.args) > 1 else "") for ev in events]
    assert ("fcntl", "F_SETLKW") in python and ("fcntl", "F_SETFD") in python  # the lock; 0x10's FD_???
    assert ("ioctl", "FIONREAD") in python and ("ioctl", "_IOC(_IOC_READ|_IOC_WRITE, 0x78, 0x1, 0x8)") in python
    # an int the kernel writes, read when the call succeeded (a pty's process group: Python's)
    assert all(ev.errno is None for ev in events if ev.name == "ioctl" and ev.args[1] in ("FIONREAD", "TIOCGPGRP"))
    assert sum(name == "rt_sigaction" and ev.args[0] in ("0", "65", "-1") for (name, _), ev in zip(python, events,
                                                                                             strict=True)) == 12


def test_the_extension_makes_futex_lines() -> None:
    """futex by operation (decode/more.py futex_c_plans, chosen by the command's bits): made by
    the extension with their timeouts and bitsets; what it leaves to Python (FUTEX_WAKE_OP's
    operation, a bitset or an operation without a name, an unknown command, a timeout it cannot
    read) still comes as events."""
    tracer = Tracer([sys.executable, "-S", "-I", "-c", FUTEX_SCRIPT])
    texts: list[str] = []
    tracer.line_out = texts.append
    events = [ev for ev in tracer.events() if getattr(ev, "phase", "") == "exit" and ev.name == "futex"]
    made = "".join(texts)
    for line in (", FUTEX_WAIT, 1, {tv_sec=0, tv_nsec=1000}) = -1 EAGAIN (Resource temporarily unavailable)",
                 ", FUTEX_WAIT_PRIVATE, 0, {tv_sec=0, tv_nsec=1000}) = -1 ETIMEDOUT (Connection timed out)",
                 ", FUTEX_WAIT_PRIVATE, 1, NULL) = -1 EAGAIN", ", FUTEX_WAIT_PRIVATE|FUTEX_CLOCK_REALTIME, 0, {",
                 ", FUTEX_WAIT, 0, {tv_sec=-1, tv_nsec=18446744073709551615}) = -1 EINVAL",
                 ", FUTEX_WAKE_PRIVATE, 2147483647) = 0", ", FUTEX_WAKE, 5)",
                 ", FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME, 0, {tv_sec=0, tv_nsec=1000}, "
                 "FUTEX_BITSET_MATCH_ANY)",
                 ", FUTEX_WAKE_BITSET_PRIVATE, 1, FUTEX_BITSET_MATCH_ANY) = 0", ", FUTEX_REQUEUE, 1, 2, 0x",
                 ", FUTEX_CMP_REQUEUE, 1, 2, 0x", ", 7) = -1 EAGAIN", ", FUTEX_TRYLOCK_PI) = 0",
                 ", FUTEX_LOCK_PI_PRIVATE, {tv_sec=0, tv_nsec=1000}) = 0", ", FUTEX_LOCK_PI2, NULL) = 0",
                 ", FUTEX_WAIT_REQUEUE_PI, 1, {tv_sec=0, tv_nsec=1000}, 0x", ", FUTEX_FD, 0)",
                 "futex(NULL, FUTEX_WAKE, 1)", "futex(0x10, FUTEX_WAIT, 0, {tv_sec=0, tv_nsec=1000}) = -1 EFAULT"):
        assert line in re.sub(r" +=", " =", made), line
    # (addresses: wherever the mmap area puts them, 0x7f... or lower)
    python = sorted(re.sub(r"0x[0-9a-f]{9,}", "ADDR", ", ".join(ev.args[1:])) for ev in events)
    assert python == sorted(["0x7f /* FUTEX_??? */, 0, NULL, NULL, 0", "0x80000001 /* FUTEX_??? */, 1",
                             "0x101 /* FUTEX_??? */, 1", "FUTEX_WAIT, 0, 0x10",
                             "FUTEX_WAIT_BITSET, 0, {tv_sec=0, tv_nsec=1000}, 0x5", "FUTEX_WAKE_BITSET, 1, 0",
                             "FUTEX_WAKE_OP_PRIVATE, 1, 1, ADDR, FUTEX_OP_ADD<<28|0x345<<12|FUTEX_OP_CMP_LT<<24|0x678"])


def test_the_extension_makes_socket_lines(tmp_path: Path) -> None:
    """socket by domain, connect and bind with AF_UNIX, AF_INET and AF_INET6 addresses: made by
    the extension; what it leaves to Python still comes as events."""
    tracer = Tracer([sys.executable, "-S", "-I", "-c", NET_SCRIPT, str(tmp_path / "data")])
    texts: list[str] = []
    tracer.line_out = texts.append
    events = [ev for ev in tracer.events() if getattr(ev, "phase", "") == "exit"
              and ev.name in ("socket", "connect", "bind", "getsockname", "getpeername", "accept", "accept4")]
    made = re.sub(r" +=", " =", "".join(texts))
    sun = str(tmp_path / "data.sock")
    for line in ("socket(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC, 0) = 3",
                 "socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC|SOCK_NONBLOCK, IPPROTO_IP) = ",
                 "socket(AF_INET6, SOCK_DGRAM, IPPROTO_UDP) = ",
                 "socket(AF_NETLINK, SOCK_RAW, NETLINK_KOBJECT_UEVENT) = ",
                 "socket(AF_UNIX, SOCK_DGRAM, 0) = ",
                 'connect(3, {sa_family=AF_UNIX, sun_path="/nonexistent/sock"}, 19) = -1 ENOENT',
                 'bind(3, {sa_family=AF_UNIX, sun_path="tab\\there \\"q\\"\\n\\\\\\177\\351"}, 18) = 0',
                 f'bind(3, {{sa_family=AF_UNIX, sun_path="{sun}"}}, 110) = ', "bind(3, {sa_family=AF_UNIX}, 2) = 0",
                 'bind(3, {sa_family=AF_UNIX, sun_path=@"abstract', '\\0x\\0017"}, ',
                 "sun_path=\"" + "y" * 108 + "\"}, 300)",
                 'connect(3, {sa_family=AF_INET, sin_port=htons(1), sin_addr=inet_addr("127.0.0.1")}, 16) = '
                 "-1 ECONNREFUSED",
                 'inet_pton(AF_INET6, "::ffff:127.0.0.1", &sin6_addr)}, 24) = ', "sin6_flowinfo=htonl(74565)",
                 'inet_pton(AF_INET6, "2001:db8::1:0:0:1", &sin6_addr), sin6_scope_id=3}, 28)',
                 'inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}, 26)',
                 'inet_pton(AF_INET6, "fe80::1", &sin6_addr)}, 24)', "connect(3, NULL, 16) = -1 EFAULT",
                 "bind(3, 0x10, -1) = -1 EINVAL", "connect(3, 0x10, 0) = -1 EINVAL"):
        assert line in made, line
    python = [(ev.name, re.sub(r"0x7f[0-9a-f]+", "ADDR", ", ".join(ev.args))) for ev in events]
    for call in (("socket", "AF_PACKET, SOCK_DGRAM, 0"), ("socket", "0x1234 /* AF_??? */, SOCK_STREAM, 0"),
                 ("socket", "AF_INET, SOCK_STREAM|0x100000, IPPROTO_IP"),
                 ("socket", "AF_INET, 0xf /* SOCK_??? */, IPPROTO_IP"),
                 ("socket", "AF_NETLINK, SOCK_RAW, 0x63 /* NETLINK_??? */"), ("connect", "3, 0x10, 16"),
                 ("bind", '3, {sa_family=AF_INET, sa_data="\\0P\\1\\2\\3\\4"}, 8'),
                 ("connect", '3, {sa_family=AF_NETLINK, sa_data="\\0\\0\\7\\0\\0\\0\\0\\0\\0"}, 11')):
        assert call in python, call
    # sockaddr_nl: nl_pad when set, nl_groups in %#010x but 0
    for line in ("connect(3, {sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}, 12) = ",
                 "connect(3, {sa_family=AF_NETLINK, nl_pid=1234, nl_groups=0x00000005}, 12) = ",
                 "bind(3, {sa_family=AF_NETLINK, nl_pad=0x3, nl_pid=-1, nl_groups=0x80000000}, 16) = "):
        assert line in made, line
    assert not any("nl_pid" in args for _, args in python), python
    assert not any("inet_addr" in args or "sun_path" in args for _, args in python), python
    assert sum("fe80::1" in args and "if_nametoindex" in args for _, args in python) == 6  # a link-local scope id
    # the value-result lengths, read at the entry stop by the extension
    for line in (f'getsockname(3, {{sa_family=AF_UNIX, sun_path="{sun}2"}}, [128 => {len(sun) + 4}]) = 0',
                 'getsockname(3, {sa_family=AF_UNIX, sun_path="/', "getpeername(3, 0x", ", [128]) = -1 ENOTCONN",
                 "getsockname(4, {sa_family=AF_INET, sin_port=htons(0), sin_addr=inet_addr(\"0.0.0.0\")}, [128 => 16])",
                 "getsockname(4, 0x", ", [1 => 16]) = 0",
                 "getpeername(0, 0x", ", [16]) = -1 ENOTSOCK (Socket operation on non-socket)",
                 "getsockname(1048576, 0x", ", [-1]) = -1 EBADF", "getsockname(3, NULL, NULL) = -1 EFAULT",
                 "getpeername(3, 0x", ", 0x10) = -1 ENOTCONN", ", 0x10) = -1 EFAULT",
                 "accept(3, {sa_family=AF_UNIX}, [128 => 2]) = ",
                 "accept4(3, {sa_family=AF_UNIX}, [64 => 2], SOCK_CLOEXEC) = ",
                 "accept(4, 0x", ", [16]) = -1 EINVAL"):
        assert re.sub(r"\(\d+, ", "(N, ", line) in re.sub(r"\(\d+, ", "(N, ", made), line


def test_ls_decodes_no_socket_or_connect_in_python(tmp_path: Path) -> None:
    """ls -la's look-ups of users and groups (the C library's socket and connect to nscd's AF_UNIX
    socket) are made by the extension."""
    tracer = Tracer(["ls", "-la", str(_tree(tmp_path))])
    texts: list[str] = []
    tracer.line_out = texts.append
    python = [ev.name for ev in tracer.events() if getattr(ev, "phase", "") == "exit"]
    assert not {"socket", "connect"} & set(python), python
    assert "socket(AF_UNIX, " in "".join(texts) and "connect(" in "".join(texts)


def test_the_python_workload_decodes_no_futex_in_python() -> None:
    """The python workload of issue 14 (every call a default trace makes has a C form): its
    futex calls (FUTEX_WAKE_PRIVATE, 11 of them) are all made by the extension."""
    tracer = Tracer(["/usr/bin/python3", "-c", "import json,email,http.client"])
    texts: list[str] = []
    tracer.line_out = texts.append
    python = [ev.name for ev in tracer.events() if getattr(ev, "phase", "") == "exit"]
    assert "futex" not in python, python
    assert "".join(texts).count("futex(") >= 5


def test_the_extension_makes_a_calls_first_line_too() -> None:
    """The first call of a kind is kept by the extension once the engine has handed over its
    format (lines.py _keep_from_now, stops.keep): its line is made in C, at its exit, as the later
    ones are; Python decodes only the calls without a C form."""
    script = "import os\nos.access('/', os.X_OK)\nos.getcwd()\nos.getegid()\n"
    tracer = Tracer([sys.executable, "-S", "-I", "-c", script])
    texts: list[str] = []
    tracer.line_out = texts.append
    python = {ev.name for ev in tracer.events() if getattr(ev, "phase", "") == "exit"}
    made = "".join(texts)
    for line in ('access("/", X_OK)', "getcwd(", "getegid()"):
        assert line in made, line
    assert not {"access", "getcwd", "getegid"} & python, python


def _python_stops(cmd: list[str], *select: str) -> tuple[list[int], str]:
    """The numbers of the syscall stops the engine handled in Python (entries; exits as -1) and
    the text the extension made, of a run through the Python API (``select``: -e trace='s calls)."""
    from syscope.syscalls import native_arch, numbers

    traced = {numbers(native_arch())[n] for n in select}
    tracer = Tracer(cmd, select=(lambda arch, nr: nr in traced) if select else None)
    stops: list[int] = []
    handle = tracer._syscall_stop

    def counted(task: object, raw: stops.SyscallInfo | None = None, *rest: object) -> object:
        if raw is not None:
            stops.append(raw[4] if raw[0] == 1 else -1)
        return handle(task, raw, *rest)  # type: ignore[arg-type]

    tracer._syscall_stop = counted  # type: ignore[method-assign]
    texts: list[str] = []
    tracer.line_out = texts.append
    list(tracer.events())
    return stops, "".join(texts)


def test_every_call_is_the_extensions_from_the_first_one() -> None:
    """The formats made ahead are given to the extension at the command's exec (lines.py
    _load_ahead): after it, no call of ls's stops in Python, the first of each kind included (the
    engine handled only the execve, whose arguments are made at its entry stop); with -e trace=
    the calls left out are not kept, and are handled as before (their entry in Python, then the
    extension's run of untraced calls)."""
    cmd = ["ls", "-la", "/etc/default"]
    python, made = _python_stops(cmd)
    assert python == [59], python  # execve's entry
    assert 'openat(AT_FDCWD, "/etc/default", ' in made and "getdents64(3, " in made and "exit_group(0)" in made
    python, made = _python_stops(cmd, "execve", "openat", "close")
    assert 59 in python and "openat(" in made and "close(" in made
    assert "getdents64" not in made and "fstat" not in made
    assert set(python) - {59, 257, 3} and not {257, 3} & set(python[1:]), python  # untraced ones only


def _python_and_made(cmd: list[str]) -> tuple[list[SyscallEvent], str]:
    """The calls decoded in Python (their exit events) and the text the extension made, through
    the Python API (/work/tasks/pycalls.py's way)."""
    tracer = Tracer(cmd)
    texts: list[str] = []
    tracer.line_out = texts.append
    events = [ev for ev in tracer.events() if getattr(ev, "phase", "") == "exit"]
    return events, "".join(texts)


def test_the_extension_makes_the_simple_calls_lines(tmp_path: Path) -> None:
    """Ids, masks, uid_t's -1 and modes (their kinds' and return kinds' C forms, registry.py):
    every such line of CALLS_SCRIPT is the extension's, none decoded in Python."""
    events, made = _python_and_made([sys.executable, "-S", "-I", "-c", CALLS_SCRIPT, str(tmp_path / "data")])
    for line in ("getpgrp()", "getsid(0)", "getsid(-1)                              = -1 ESRCH (No such process)",
                 "umask(022)", "umask(0777)                             = 022", "umask(021505)",
                 "setresuid(-1, -1, -1)                   = 0", "setresgid(-1, -1, -1)", "setuid(-1)",
                 "getpriority(PRIO_PGRP, 1)", f'creat("{tmp_path}/data", 0104755) = 3',
                 "creat(NULL, 0600)                       = -1 EFAULT (Bad address)",
                 "fchown(3, -1, -1)", "fchown(3, 0, -1)"):
        assert line in made, line
    assert re.search(r"^gettid\(\) += \d+$", made, re.M) and re.search(r"^getppid\(\) += \d+$", made, re.M)
    python = {ev.name for ev in events}
    assert not {"gettid", "getppid", "getpgrp", "getsid", "umask", "creat", "setuid", "setresuid", "fchown"} & python
    # what the C code gives back: a "which" and a signal 0 without a name
    assert {"getpriority", "kill"} <= python


def test_the_extension_makes_arch_prctl_prlimit_getrandom_lines(tmp_path: Path) -> None:
    """arch_prctl by code (the pointer written, arg2 in hex, no argument), prlimit64's limits
    (infinity, N*1024, NULL, the old value written, a failed call's address), getrandom's bytes in
    hex: the extension's lines; an unnamed code, resource or flag, an XSAVE mask and a faulting
    struct are Python's.  /bin/true's calls are then all C's."""
    events, made = _python_and_made([sys.executable, "-S", "-I", "-c", CALLS_SCRIPT, str(tmp_path / "data")])
    for pattern in (r"arch_prctl\(ARCH_GET_FS, \[0x[0-9a-f]+\]\) = 0", r"arch_prctl\(ARCH_GET_GS, \[NULL\]\) += 0",
                    r"arch_prctl\(ARCH_GET_FS, NULL\) += -1 EFAULT", r"arch_prctl\(ARCH_GET_GS, 0x10\) += -1 EFAULT",
                    r"arch_prctl\(ARCH_GET_CPUID\) += 1", r"arch_prctl\(ARCH_SET_CPUID, 0x1\) += 0",
                    r"arch_prctl\(ARCH_SET_GS, 0\) += 0",
                    r"prlimit64\(0, RLIMIT_STACK, NULL, \{rlim_cur=\d+\*1024, rlim_max=RLIM64_INFINITY\}\) = 0",
                    r"prlimit64\(0, RLIMIT_CORE, \{rlim_cur=2\*1024, rlim_max=1024\*1024\}, \{rlim_cur=0, "
                    r"rlim_max=RLIM64_INFINITY\}\) = 0",
                    r"prlimit64\(0, RLIMIT_CORE, \{rlim_cur=1025, rlim_max=4\*1024\}, \{rlim_cur=2\*1024, ",
                    r"prlimit64\(0, RLIMIT_CORE, \{rlim_cur=0, rlim_max=RLIM64_INFINITY\}, 0x[0-9a-f]+\) = -1 EPERM",
                    r"prlimit64\(0, RLIMIT_CORE, \{rlim_cur=1024, rlim_max=1024\}, ",
                    r"prlimit64\(0, RLIMIT_NOFILE, NULL, 0x10\) += -1 EFAULT",
                    r"prlimit64\(4194304, RLIMIT_NOFILE, NULL, 0x[0-9a-f]+\) = -1 ESRCH",
                    r'getrandom\("", 0, 0\) += 0', r'getrandom\("(\\x[0-9a-f]{2}){8}", 8, 0\) += 8',
                    r'getrandom\("(\\x[0-9a-f]{2}){32}", 32, GRND_NONBLOCK\) = 32',
                    r'getrandom\("(\\x[0-9a-f]{2}){32}"\.\.\., 33, 0\) = 33',
                    r'getrandom\("(\\x[0-9a-f]{2}){32}"\.\.\., 64, GRND_RANDOM\) = 64',
                    r"getrandom\(0x[0-9a-f]+, 8, GRND_NONBLOCK\|GRND_RANDOM\|GRND_INSECURE\) = -1 EINVAL",
                    r"getrandom\(NULL, 8, 0\) += -1 EFAULT", r"getrandom\(0x10, 8, 0\) += -1 EFAULT"):
        assert re.search(f"^{pattern}", made, re.M), pattern
    python = [(ev.name, ev.args[0].split(",")[0] if ev.name == "arch_prctl" else ev.args[1]) for ev in events
              if ev.name in ("arch_prctl", "prlimit64", "getrandom")]
    assert sorted(python) == [("arch_prctl", "0x9999 /* ARCH_??? */"), ("arch_prctl", "ARCH_GET_XCOMP_SUPP"),
                              ("getrandom", "8"), ("prlimit64", "0x63 /* RLIMIT_??? */"),
                              ("prlimit64", "0x63 /* RLIMIT_??? */"), ("prlimit64", "RLIMIT_NOFILE")]
    events, made = _python_and_made(["/bin/true"])
    assert [ev.name for ev in events] == []  # (execve and exit_group: test_execve_and_exit_group_lines...)
    assert "arch_prctl(" in made and "prlimit64(" in made



def test_execve_and_exit_group_lines_are_the_extensions(tmp_path: Path) -> None:
    """execve's arguments made at its entry stop (the image they are in is gone at the exit stop),
    its line at the exit stop past the exec event, exit_group's "= ?" line at the task's exit
    (lines.py _keep_at_entry, _stops.c keep_now and EXIT_STOP): a trace's first and last calls are
    not decoded in Python, the failing ones and the execveat of a #! script neither, but those
    with a pointer the extension cannot read (its rule: Python prints what it cannot)."""
    for cmd in (["/bin/true"], [sys.executable, "-S", "-I", "-c", EXEC_SCRIPT, str(_exec_dir(tmp_path))]):
        tracer = Tracer(cmd)
        texts: list[str] = []
        tracer.line_out = texts.append
        python = [ev for ev in tracer.events() if getattr(ev, "phase", "") == "exit"]
        made = "".join(texts)
        assert made.startswith(f'execve("{cmd[0]}", [') and made.endswith("exit_group(0)" + " " * 27 + "= ?\n")
        assert "exit_group" not in {ev.name for ev in python}
        if cmd == ["/bin/true"]:
            assert not {"execve", "execveat"} & {ev.name for ev in python}
            continue
        assert sorted(ev.args[1:] for ev in python if ev.name == "execve") == [
            ["0x1", "0x8"], ['["bad env"]', "0x8"], ['["bad path"]', "NULL"]]
        assert "execveat" not in {ev.name for ev in python}
        for line in ('execve("/nonexistent/prog", [], 0x', 'execve("/nonexistent/prog", NULL, NULL) = -1 ENOENT',
                     '"30", "31", ...], 0x', '"30", "31"], 0x', '["\\377", "\\0017"], 0x', " /* 1 var */) = -1 ENOENT",
                     'execveat(3, "", ["', ', AT_EMPTY_PATH) = 0\n', 'execve("/nonexistent/true", ["true", "arg0", ',
                     'execve("/usr/bin/true", ["true", "arg0", '):
            assert line in made, line


def test_the_extension_makes_sysinfo_and_statfs_lines(tmp_path: Path) -> None:
    """sysinfo's and statfs/fstatfs's structs (a filesystem magic by name, fsid, ST_* flags; NULL,
    a bad address, a failed call's address), pipe's pair and uname's struct are the extension's
    lines, as getgroups' array (an unnamed pipe2 flag is Python's); a python start-up's
    getrandom, sysinfo, gettid, arch_prctl and prlimit64 are then none of Python's."""
    events, made = _python_and_made([sys.executable, "-S", "-I", "-c", CALLS_SCRIPT, str(tmp_path / "data")])
    for pattern in (r"sysinfo\(\{uptime=\d+, loads=\[\d+, \d+, \d+\], totalram=\d+, freeram=\d+, "
                    r"sharedram=\d+, bufferram=\d+, totalswap=\d+, freeswap=\d+, procs=\d+, totalhigh=0, "
                    r"freehigh=0, mem_unit=1\}\) = 0",
                    r"sysinfo\(NULL\) += -1 EFAULT", r"sysinfo\(0x10\) += -1 EFAULT",
                    r'statfs\("/proc", \{f_type=PROC_SUPER_MAGIC, f_bsize=4096, f_blocks=0, f_bfree=0, f_bavail=0, '
                    r"f_files=0, f_ffree=0, f_fsid=\{val=\[0x[0-9a-f]+, 0\]\}, f_namelen=255, f_frsize=4096, "
                    r"f_flags=ST_VALID\|\S+\}\) = 0",
                    r'statfs\("/sys", \{f_type=SYSFS_MAGIC, ', r'statfs\("/no/such\\\\t", 0x[0-9a-f]+\) += -1 ENOENT',
                    r"statfs\(NULL, 0x[0-9a-f]+\) += -1 EFAULT", r'statfs\("/proc", NULL\) += -1 EFAULT',
                    r'statfs\("/proc", 0x10\) += -1 EFAULT',
                    r"fstatfs\(\d+, \{f_type=PIPEFS_MAGIC, .*, f_flags=ST_VALID\}\) += 0",
                    r"fstatfs\(-1, 0x[0-9a-f]+\) += -1 EBADF", r"fstatfs\(1048576, 0x[0-9a-f]+\) += -1 EBADF",
                    r"fstatfs\(\d+, NULL\) += -1 EFAULT",
                    r"pipe\(\[\d+, \d+\]\) += 0", r"pipe2\(\[\d+, \d+\], O_NONBLOCK\|O_CLOEXEC\) += 0",
                    r"pipe2\(\[\d+, \d+\], 0\) += 0", r"pipe\(NULL\) += -1 EFAULT", r"pipe2\(0x10, 0\) += -1 EFAULT",
                    r'uname\(\{sysname="Linux", nodename="[^"]*", \.\.\.\}\) = 0', r"uname\(NULL\) += -1 EFAULT",
                    r"uname\(0x10\) += -1 EFAULT", r"getgroups\(40, \[0, 1, 2, 7, 8, 4294967294\]\) += 6",
                    r"getgroups\(0, NULL\) += 6", r"getgroups\(40, NULL\) += -1 EFAULT",
                    r"getgroups\(40, 0x10\) += -1 EFAULT", r"getgroups\(1, 0x[0-9a-f]+\) += -1 EINVAL",
                    r"getgroups\(40, \[\]\) += 0"):
        assert re.search(f"^{pattern}", made, re.M), pattern
    assert not {"sysinfo", "statfs", "fstatfs", "pipe", "uname", "getgroups"} & {ev.name for ev in events}
    assert [ev.args[1] for ev in events if ev.name == "pipe2"] == ["0x40000000 /* O_??? */"]
    events, made = _python_and_made(["/usr/bin/python3", "-c", "import json,email,http.client"])
    assert not {"getrandom", "sysinfo", "gettid", "arch_prctl", "prlimit64"} & {ev.name for ev in events}
    assert "getrandom(" in made and "sysinfo({" in made


def test_an_execve_let_go_at_its_exec_event_prints_its_arguments(monkeypatch: pytest.MonkeyPatch) -> None:
    """A trace interrupted at the exec event, between an execve's entry stop (where the extension
    made its arguments) and its exit stop: the call is let go "<detached ...>" with the arguments
    as Python printed them at the entry (the extension hands its text back with the entry,
    stops.take; the image they were read from is gone)."""
    shown = {}
    for on in ("1", "0"):
        monkeypatch.setenv("SYSCOPE_C_LINES", on)
        tracer = Tracer(["/bin/true", "x" * 40, "y"])
        texts: list[str] = []
        tracer.line_out = texts.append
        calls = []
        for ev in tracer.events():
            if isinstance(ev, ProcessEvent) and ev.what == "exec":
                tracer.request_stop()
            elif isinstance(ev, SyscallEvent):
                calls.append(ev)
        assert [(ev.name, ev.detached) for ev in calls] == [("execve", True)] and not "".join(texts)
        assert len(calls[0].args) == (1 if on == "1" else 3)  # the extension's text, or Python's three
        shown[on] = re.sub(r"0x[0-9a-f]+ /\* \d+ vars \*/", "ENVP", ", ".join(calls[0].args))
    assert shown["1"] == shown["0"] == '"/bin/true", ["/bin/true", "' + "x" * 32 + '"..., "y"], ENVP'


def test_a_failed_launch_is_the_extensions_line(tmp_path: Path) -> None:
    """The launched command's own execve that fails (a #! interpreter missing): strace shows it
    though it comes before the command runs (the set-up it ends is hidden), and so does the
    extension, with the lines on as off."""
    script = tmp_path / "script"
    script.write_text("#!/nonexistent/interpreter\n")
    script.chmod(0o755)
    out = {}
    for on in ("1", "0"):
        trace = tmp_path / f"trace.{on}"
        p = subprocess.run([sys.executable, "-m", "syscope", "-o", str(trace), "--", str(script)],
                           env=dict(os.environ, SYSCOPE_C_LINES=on), stdin=subprocess.DEVNULL,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=60)
        assert p.returncode == 1 and b"exec: No such file or directory" in p.stderr
        out[on] = re.sub(r"0x[0-9a-f]+ /\*", "ENVP /*", trace.read_text())
    assert out["1"] == out["0"]
    assert re.fullmatch(r'execve\("[^"]+"(\.\.\.)?, \["[^"]+"(\.\.\.)?\], ENVP /\* \d+ vars \*/\) '
                        r"= -1 ENOENT \(No such file or directory\)\n\+\+\+ exited with 1 \+\+\+\n", out["1"])
    tracer = Tracer([str(script)])
    texts: list[str] = []
    tracer.line_out = texts.append
    assert not [ev for ev in tracer.events() if isinstance(ev, SyscallEvent)]
    assert "".join(texts).startswith('execve("')


def test_the_extension_makes_wait4_clone_and_sigprocmask_lines(tmp_path: Path) -> None:
    """wait4's status and rusage, clone's and clone3's arguments (what the kernel stored at exit),
    rt_sigprocmask's sets and rt_sigreturn's restored mask are the extension's lines; an unnamed flag, option, signal or
    command, clone3's set_tid and a size past its struct are Python's."""
    events, made = _python_and_made([sys.executable, "-S", "-I", "-c", PROC_SCRIPT])
    for pattern in (r"rt_sigprocmask\(SIG_BLOCK, \[CHLD\], \[\], 8\) += 0", r"rt_sigprocmask\(SIG_BLOCK, ~\[KILL\], ",
                    r"rt_sigprocmask\(SIG_BLOCK, \[RTMIN RT_1\], ",
                    r"rt_sigprocmask\(SIG_BLOCK, NULL, 0x10, 8\) += -1 EFAULT",
                    r"rt_sigprocmask\(SIG_BLOCK, 0x[0-9a-f]+, NULL, 4\) += -1 EINVAL",
                    r"wait4\(\d+, \[\{WIFEXITED\(s\) && WEXITSTATUS\(s\) == 3\}\], 0, NULL\) += \d+",
                    r"wait4\(\d+, \[\{WIFSIGNALED\(s\) && WTERMSIG\(s\) == SIGKILL\}\], 0, NULL\)",
                    r"wait4\(\d+, \[\{WIFSTOPPED\(s\) && WSTOPSIG\(s\) == SIGSTOP\}\], WSTOPPED, NULL\)",
                    r"wait4\(\d+, \[\{WIFCONTINUED\(s\)\}\], WCONTINUED, NULL\)",
                    r"wait4\(\d+, NULL, 0, \{ru_utime=\{tv_sec=\d+, tv_usec=\d+\}, "
                    r"ru_stime=\{tv_sec=\d+, tv_usec=\d+\}, \.\.\.\}\)",
                    r"wait4\(\d+, 0x10, 0, NULL\) += -1 EFAULT",
                    r"wait4\(-1, 0x[0-9a-f]+, WNOHANG, 0x[0-9a-f]+\) += -1 ECHILD",
                    r"clone\(child_stack=NULL, flags=CLONE_CHILD_CLEARTID\|CLONE_CHILD_SETTID\|SIGCHLD, "
                    r"child_tidptr=0x[0-9a-f]+\) += \d+",
                    r"clone\(child_stack=NULL, flags=CLONE_PARENT_SETTID\|SIGCHLD, parent_tid=\[(\d+)\]\) += \1$",
                    r"clone\(child_stack=NULL, flags=CLONE_PIDFD\|SIGCHLD, parent_tid=\[3\]\) += \d+",
                    r"clone\(child_stack=NULL, flags=SIGCHLD\) += \d+",
                    r"clone\(child_stack=0x1000, flags=CLONE_SIGHAND\|CLONE_PIDFD\|CLONE_SETTLS, parent_tid=0x10, "
                    r"tls=0x3000\) += -1 EINVAL",
                    r"clone3\(\{flags=CLONE_PIDFD\|CLONE_PARENT_SETTID, pidfd=0x[0-9a-f]+, parent_tid=0x[0-9a-f]+, "
                    r"exit_signal=SIGCHLD, stack=NULL, stack_size=0\} => \{pidfd=\[3\], parent_tid=\[(\d+)\]\}, "
                    r"88\) += \1$",
                    r"clone3\(\{flags=0, exit_signal=SIGCHLD, stack=NULL, stack_size=0\}, 80\) += \d+",
                    r"clone3\(\{flags=0, exit_signal=1099511627776, stack=NULL, stack_size=0\}, 88\) += -1 EINVAL",
                    r"clone3\(\{flags=CLONE_INTO_CGROUP, exit_signal=SIGCHLD, stack=NULL, stack_size=0, "
                    r"cgroup=12345\}, 88\) += -1 EBADF", r"clone3\(NULL, 88\) += -1 EFAULT",
                    r"clone3\(0x[0-9a-f]+, 40\) += -1 EINVAL"):
        assert re.search(f"^{pattern}", made, re.M), pattern
    for pattern in (r"rt_sigreturn\(\{mask=\[CHLD\]\}\) += 0", r"rt_sigreturn\(\{mask=\[USR2 CHLD RT_5\]\}\) += 0",
                    r"rt_sigreturn\(\{mask=~\[KILL USR1 STOP RTMIN RT_1\]\}\) += 0"):  # (glibc's SIGRTMIN: 34)
        assert re.search(f"^{pattern}", made, re.M), pattern
    assert "rt_sigreturn" not in {ev.name for ev in events}
    for pattern in (r"sigaltstack\(\{ss_sp=0x[0-9a-f]+, ss_flags=0, ss_size=65536\}, "
                    r"\{ss_sp=NULL, ss_flags=SS_DISABLE, ss_size=0\}\) += 0",
                    r"sigaltstack\(\{ss_sp=NULL, ss_flags=SS_DISABLE, ss_size=0\}, \{ss_sp=0x",
                    r"sigaltstack\(\{ss_sp=0x[0-9a-f]+, ss_flags=SS_AUTODISARM, ss_size=65536\}, \{",
                    r"sigaltstack\(\{ss_sp=0x[0-9a-f]+, ss_flags=0, ss_size=100\}, 0x[0-9a-f]+\) += -1 ENOMEM",
                    r"sigaltstack\(NULL, NULL\) += 0", r"sigaltstack\(NULL, 0x10\) += -1 EFAULT"):
        assert re.search(f"^{pattern}", made, re.M), pattern
    # (an unnamed flag, a stack_t that cannot be read)
    python = [re.sub(r"ss_sp=0x[0-9a-f]+", "ss_sp=SP", ev.args[0]) for ev in events if ev.name == "sigaltstack"]
    assert python == [
        "{ss_sp=SP, ss_flags=0x40 /* SS_??? */, ss_size=65536}", "0x10"]
    python = sorted((ev.name, ev.args[1] if ev.name == "clone" else ev.args[0] if ev.name != "wait4" else ev.args[2])
                    for ev in events if ev.name in ("wait4", "clone", "clone3", "rt_sigprocmask"))
    # (a set that cannot be read; WNOHANG's 0 with a rusage: whether the struct was written is the
    # call's, wait4's or getrusage's, Python knows it by name)
    assert python == sorted([("rt_sigprocmask", "0x7 /* SIG_??? */"), ("rt_sigprocmask", "SIG_BLOCK"),
                             ("wait4", "0x7000"), ("wait4", "WNOHANG"),
                             ("clone", "flags=0x400000|SIGCHLD"), ("clone", "flags=127"),
                             *[("clone3", ev.args[0]) for ev in events if ev.name == "clone3"]]), python
    # signal 200, set_tid, size 96, an unnamed flag, a struct that cannot be read
    assert sorted(ev.args[1] for ev in events if ev.name == "clone3") == ["88"] * 4 + ["96"]
    assert "0x10" in [ev.args[0] for ev in events if ev.name == "clone3"]


@pytest.mark.parametrize("cmd", [["sh", "-c", "ls /usr | wc -l"], ["tar", "czf", "TMP/x.tgz", "/etc/default"],
                                 ["/usr/bin/python3", "-c", "import threading; t = threading.Thread(target=print); "
                                  "t.start(); t.join()"], ["bash", "-c", "echo $((1+1))"], ["git", "--version"]],
                         ids=["sh-pipe", "tar-z", "python-thread", "bash", "git"])
def test_shells_and_threads_decode_no_wait4_clone_or_sigprocmask_in_python(tmp_path: Path, cmd: list[str]) -> None:
    """A shell's children and a thread's start: their clone, clone3, wait4, rt_sigprocmask and
    rt_sigreturn (a SIGCHLD handler's) calls are all the extension's lines (issue 14: one call
    without a C form brings the whole decoder back into a trace's start-up)."""
    events, made = _python_and_made([a.replace("TMP", str(tmp_path)) for a in cmd])
    assert not {"clone", "clone3", "wait4", "rt_sigprocmask", "rt_sigreturn"} & {ev.name for ev in events}
    assert re.search(r"^(clone3?|rt_sigprocmask)\(", made, re.M)


SLEEP_SCRIPT = r"""
import ctypes, signal
libc = ctypes.CDLL(None, use_errno=True)
sc = libc.syscall
sc.restype = ctypes.c_long
class TS(ctypes.Structure):
    _fields_ = [("sec", ctypes.c_long), ("nsec", ctypes.c_long)]
short, rem, bad = TS(0, 1000), TS(7, 7), ctypes.c_void_p(16)
P = ctypes.byref
NANOSLEEP, CLOCK_NANOSLEEP = 35, 230
sc(NANOSLEEP, P(short), P(rem))
sc(NANOSLEEP, P(short), None)
sc(NANOSLEEP, None, None)
sc(NANOSLEEP, bad, P(rem))
sc(NANOSLEEP, P(TS(0, 2000000000)), None)
sc(NANOSLEEP, P(TS(-1, 0)), P(rem))
sc(NANOSLEEP, P(short), P(short))  # one struct for both, not interrupted
sc(CLOCK_NANOSLEEP, 1, 0, P(short), P(rem))
sc(CLOCK_NANOSLEEP, 0, 1, P(TS(0, 0)), P(rem))
sc(CLOCK_NANOSLEEP, 7, 1, P(TS(0, 0)), None)
sc(CLOCK_NANOSLEEP, 99, 0, P(short), None)  # no such clock: Python's
sc(CLOCK_NANOSLEEP, 1, 6, P(short), None)  # a flag without a name: Python's
sc(CLOCK_NANOSLEEP, 1, 0, bad, P(rem))
sc(CLOCK_NANOSLEEP, ctypes.c_long(1 << 32 | 1), 0, P(short), bad)
signal.signal(signal.SIGALRM, lambda *a: None)
# interrupted by a signal: the remainder is written, over the request when they are one struct
for clock, flags, args in ((None, None, (P(TS(5, 0)), P(rem))), (None, None, (P(TS(5, 0)),) * 2),
                           (0, 0, (P(TS(5, 0)), P(rem))), (1, 0, (P(TS(5, 0)), P(rem))), (0, 0, (P(TS(5, 0)),) * 2),
                           (1, 0, (P(TS(5, 0)), None)), (1, 0, (P(TS(5, 0)), bad))):
    signal.setitimer(signal.ITIMER_REAL, 0.05)
    if clock is None:
        sc(NANOSLEEP, *args)
    else:
        sc(CLOCK_NANOSLEEP, clock, flags, *args)
"""


def _left_masked(text: str) -> str:
    """The time left of an interrupted sleep (5 s less what it slept) differs between two runs."""
    return re.sub(r"tv_sec=4, tv_nsec=\d+", "tv_sec=4, tv_nsec=LEFT", text)


def test_the_extension_makes_nanosleep_lines(tmp_path: Path) -> None:
    """nanosleep and clock_nanosleep (the request; the remainder, written when a signal interrupted
    the sleep, a relative one's only): the extension's lines are Python's, with C lines on and
    off; a remainder that is the request (glibc's sleep(3)) is decoded while the thread is stopped,
    showing the request strace read at entry; an unnamed clock or flag, a faulting read and an
    interrupted call (ERESTART_RESTARTBLOCK, past the extension's errno texts) are Python's."""
    cmd = [sys.executable, "-S", "-I", "-c", SLEEP_SCRIPT]
    for opts in ([], ["-s", "5"]):
        got = _left_masked(_trace(tmp_path, "sleep", True, opts, cmd))
        assert got == _left_masked(_trace(tmp_path, "sleep", False, opts, cmd))
        assert "nanosleep({tv_sec=5, tv_nsec=0}, {tv_sec=5, tv_nsec=0})" not in got
        assert got.count("nanosleep({tv_sec=5, tv_nsec=0}, {tv_sec=4, tv_nsec=LEFT})") == 2
    events, made = _python_and_made(cmd)
    made = re.sub(r" +=", " =", made)
    for line in ("nanosleep({tv_sec=0, tv_nsec=1000}, 0x", "nanosleep({tv_sec=0, tv_nsec=1000}, NULL) = 0",
                 "nanosleep(NULL, NULL) = -1 EFAULT", "nanosleep({tv_sec=0, tv_nsec=2000000000}, NULL) = -1 EINVAL",
                 "nanosleep({tv_sec=-1, tv_nsec=0}, 0x",
                 "clock_nanosleep(CLOCK_MONOTONIC, 0, {tv_sec=0, tv_nsec=1000}, 0x",
                 "clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, {tv_sec=0, tv_nsec=0}, 0x",
                 "clock_nanosleep(CLOCK_BOOTTIME, TIMER_ABSTIME, {tv_sec=0, tv_nsec=0}, NULL) = 0",
                 "clock_nanosleep(CLOCK_MONOTONIC, 0, {tv_sec=0, tv_nsec=1000}, 0x10) = 0",
                 "clock_nanosleep(CLOCK_MONOTONIC, 0, {tv_sec=5, tv_nsec=0}, 0x10) = -1 EFAULT"):
        assert line in made, line
    python = [(ev.name, re.sub(r"0x[0-9a-f]{6,}", "ADDR", _left_masked(", ".join(ev.args))))
              for ev in events if "nanosleep" in ev.name]
    left = "{tv_sec=5, tv_nsec=0}, {tv_sec=4, tv_nsec=LEFT}"
    assert python == [("nanosleep", "0x10, ADDR"), ("nanosleep", "{tv_sec=0, tv_nsec=1000}, ADDR"),
                      ("clock_nanosleep", "0x63 /* CLOCK_??? */, 0, {tv_sec=0, tv_nsec=1000}, NULL"),
                      ("clock_nanosleep", "CLOCK_MONOTONIC, 0x6 /* TIMER_??? */, {tv_sec=0, tv_nsec=1000}, NULL"),
                      ("clock_nanosleep", "CLOCK_MONOTONIC, 0, 0x10, ADDR"), ("nanosleep", left), ("nanosleep", left),
                      ("clock_nanosleep", "CLOCK_REALTIME, 0, " + left),
                      ("clock_nanosleep", "CLOCK_MONOTONIC, 0, " + left),
                      ("clock_nanosleep", "CLOCK_REALTIME, 0, " + left),
                      ("clock_nanosleep", "CLOCK_MONOTONIC, 0, {tv_sec=5, tv_nsec=0}, NULL")]
    events, made = _python_and_made(["sleep", "0.01"])
    assert "clock_nanosleep" not in {ev.name for ev in events} and "clock_nanosleep(CLOCK_REALTIME, 0, " in made


POLL_SCRIPT = r"""
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
sc = libc.syscall
sc.restype = ctypes.c_long
class PollFd(ctypes.Structure):
    _fields_ = [("fd", ctypes.c_int), ("events", ctypes.c_short), ("revents", ctypes.c_short)]
r, w = os.pipe()
POLL, POLLIN, POLLOUT, POLLPRI = 7, 1, 4, 2
def fds(*pairs):
    return (PollFd * max(len(pairs), 1))(*[PollFd(f, e, 0) for f, e in pairs])
sc(POLL, fds((r, POLLIN), (w, POLLOUT)), 2, 0)
sc(POLL, fds((r, POLLIN)), 1, 0)  # nothing to read: Timeout
sc(POLL, fds((-1, POLLIN), (w, 0), (w, POLLOUT | POLLPRI)), 3, 0)
sc(POLL, fds(*[(w, POLLOUT)] * 9), 9, 0)
sc(POLL, fds(*[(r, POLLIN)] * 4 + [(w, POLLOUT)] * 2 + [(r, POLLIN)] * 3), 9, 0)
sc(POLL, fds((9999, POLLIN)), 1, 0)  # POLLNVAL
sc(POLL, None, 0, 0)
sc(POLL, None, 1, 0)
sc(POLL, ctypes.c_void_p(16), 1, 0)
sc(POLL, fds((w, 0x4000)), 1, 0)  # an events bit without a name: Python's
sc(POLL, fds((w, POLLOUT)), 1 << 20, 0)  # EINVAL: more than RLIMIT_NOFILE
sc(POLL, fds(), 0, 1)
"""


def test_the_extension_makes_poll_lines(tmp_path: Path) -> None:
    """poll's struct pollfd array at entry (-s elements, a negative fd without events) and the
    revents it set at exit (Timeout, none set, -s of them): the extension's lines are Python's with
    C lines on and off; NULL, a faulting array, an unnamed bit are Python's; xargs' polls are C's."""
    cmd = [sys.executable, "-S", "-I", "-c", POLL_SCRIPT]
    for opts in ([], ["-s", "2"], ["-s", "0"], ["-y"]):
        assert _trace(tmp_path, "poll", True, opts, cmd) == _trace(tmp_path, "poll", False, opts, cmd)
    events, made = _python_and_made(cmd)
    made = re.sub(r" +=", " =", made)
    for line in ("poll([{fd=3, events=POLLIN}, {fd=4, events=POLLOUT}], 2, 0) = 1 ([{fd=4, revents=POLLOUT}])",
                 "poll([{fd=3, events=POLLIN}], 1, 0) = 0 (Timeout)",
                 "poll([{fd=-1}, {fd=4, events=0}, {fd=4, events=POLLPRI|POLLOUT}], 3, 0) = 1 "
                 "([{fd=4, revents=POLLOUT}])",
                 "poll([" + ", ".join(["{fd=4, events=POLLOUT}"] * 9) + "], 9, 0) = 9 ([{fd=4, revents=POLLOUT}, ",
                 "{fd=3, events=POLLIN}], 9, 0) = 2 ([{fd=4, revents=POLLOUT}, {fd=4, revents=POLLOUT}])",
                 "poll([{fd=9999, events=POLLIN}], 1, 0) = 1 ([{fd=9999, revents=POLLNVAL}])",
                 "poll(NULL, 0, 0) = 0 (Timeout)", "poll(NULL, 1, 0) = -1 EFAULT",
                 "poll([], 0, 1) = 0 (Timeout)"):
        assert line in made, line
    python = [re.sub(r"0x[0-9a-f]{6,}", "ADDR", ", ".join(ev.args)) for ev in events if ev.name == "poll"]
    # (more elements than RLIMIT_NOFILE allows: Python's)
    assert python == ["0x10, 1, 0", "[{fd=4, events=0x4000}], 1, 0", "ADDR, 1048576, 0"], python
    # xargs polls its open descriptors at start (findutils' fdleak.c), in chunks of 64: how many
    # chunks depends on the descriptors it inherits, so only "some, all C's" is fixed
    events, made = _python_and_made(["xargs", "--version"])
    assert "poll" not in {ev.name for ev in events} and made.count("poll([") >= 1


def test_grep_decodes_no_sigaltstack_in_python() -> None:
    """grep -r's start-up (its stack-overflow handler's sigaltstack) is all the extension's."""
    events, made = _python_and_made(["grep", "-r", "zzzz", "/etc/default"])
    assert "sigaltstack" not in {ev.name for ev in events}
    assert re.search(r"^sigaltstack\(\{ss_sp=0x[0-9a-f]+, ss_flags=0, ss_size=\d+\}, NULL\) += 0", made, re.M)


def test_the_extension_makes_prctl_lines() -> None:
    """prctl's options that print registers only (a capability by name, or its number with
    "CAP_???"; a number; the rest in hex) are the extension's lines; the others Python's."""
    events, made = _python_and_made([sys.executable, "-S", "-I", "-c", PROC_SCRIPT])
    for line in ("prctl(PR_CAPBSET_READ, CAP_CHOWN)       = 1", "prctl(PR_CAPBSET_READ, CAP_CHECKPOINT_RESTORE) = 1",
                 "prctl(PR_CAPBSET_READ, 0x29 /* CAP_??? */) = -1 EINVAL (Invalid argument)",
                 "prctl(PR_CAPBSET_READ, 0x10000000000 /* CAP_??? */) = -1 EINVAL (Invalid argument)",
                 "prctl(PR_CAPBSET_DROP, 0x3f /* CAP_??? */) = -1 EINVAL (Invalid argument)",
                 "prctl(PR_GET_KEEPCAPS)                  = 0", "prctl(PR_SET_KEEPCAPS, 0)               = 0",
                 "prctl(PR_SET_KEEPCAPS, 1)               = 0",
                 "prctl(PR_SET_NO_NEW_PRIVS, 0, 0x1, 0x2, 0x3) = -1 EINVAL",
                 "prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0)  = 0",
                 "prctl(PR_GET_NO_NEW_PRIVS, 0x1, 0x2, 0x3, 0x4) = -1 EINVAL"):
        assert line in made, line
    python = [ev.args[0].split(",")[0] for ev in events if ev.name == "prctl"]
    assert python == ["0x7777 /* PR_??? */", "PR_GET_DUMPABLE", "PR_SET_NAME", "PR_SET_PDEATHSIG"], python


@pytest.mark.parametrize("cmd", [["ss", "-s"], ["ps", "-e"], ["ip", "addr"]], ids=["ss", "ps", "ip"])
def test_libcap_programs_decode_no_prctl_in_python(cmd: list[str]) -> None:
    """libcap's probe of the bounding set (PR_CAPBSET_READ up to the first capability the kernel
    lacks) is all the extension's lines."""
    events, made = _python_and_made(cmd)
    assert "prctl" not in {ev.name for ev in events}
    assert "prctl(PR_CAPBSET_READ, CAP_" in made


COPY_SCRIPT = r"""
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
sc = libc.syscall
sc.restype = ctypes.c_long
COPY_FILE_RANGE, SPLICE = 326, 275
src = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
os.write(src, b"0123456789" * 10)
dst = os.open(sys.argv[1] + ".out", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
off_in, off_out = ctypes.c_longlong(5), ctypes.c_longlong(0)
P = ctypes.byref
sc(COPY_FILE_RANGE, src, P(off_in), dst, None, 10, 0)  # advanced to 15: shown as passed
sc(COPY_FILE_RANGE, src, P(off_in), dst, P(off_out), 10, 0)
sc(COPY_FILE_RANGE, src, None, dst, None, 10, 0)  # at the end: 0
os.lseek(src, 0, 0)
sc(COPY_FILE_RANGE, src, None, dst, None, ctypes.c_ulong(1 << 62), 0)
sc(COPY_FILE_RANGE, src, None, dst, None, 10, 7)  # EINVAL
sc(COPY_FILE_RANGE, -1, None, dst, None, 10, 0)
sc(COPY_FILE_RANGE, src, ctypes.c_void_p(16), dst, None, 10, 0)  # EFAULT: Python's
r, w = os.pipe()
sc(SPLICE, src, P(off_in), w, None, 5, 0)
sc(SPLICE, r, None, dst, None, 5, 1)  # SPLICE_F_MOVE
sc(SPLICE, r, None, dst, None, 5, 0x40)  # an unnamed flag: Python's
"""


def test_the_extension_makes_copy_file_range_lines(tmp_path: Path) -> None:
    """copy_file_range and splice with NULL offsets (cp's) are the extension's lines; with an
    offset pointer their entry is decoded while the thread is stopped: the offset as passed, not
    as the call advanced it (strace's, the eBPF plan copies it at sys_enter too)."""
    cmd = [sys.executable, "-S", "-I", "-c", COPY_SCRIPT, str(tmp_path / "data")]
    for opts in ([], ["-s", "0"], ["-y"]):
        assert _trace(tmp_path, "copy", True, opts, cmd) == _trace(tmp_path, "copy", False, opts, cmd)
    events, made = _python_and_made(cmd)
    made = re.sub(r" +=", " =", made)
    for line in ("copy_file_range(3, NULL, 4, NULL, 10, 0) = 0\n",
                 "copy_file_range(3, NULL, 4, NULL, 4611686018427387904, 0) = 100\n",
                 "copy_file_range(3, NULL, 4, NULL, 10, 7) = -1 EINVAL", "copy_file_range(-1, NULL, 4, NULL, 10, 0) = "
                 "-1 EBADF", "splice(5, NULL, 4, NULL, 5, SPLICE_F_MOVE) = 5\n"):
        assert line in made, line
    python = [f"{ev.name}({', '.join(ev.args)}) = {ev.retval}" for ev in events
              if ev.name in ("copy_file_range", "splice")]
    assert python == ["copy_file_range(3, [5], 4, NULL, 10, 0) = 10", "copy_file_range(3, [15], 4, [0], 10, 0) = 10",
                      "copy_file_range(3, 0x10, 4, NULL, 10, 0) = -14", "splice(3, [25], 6, NULL, 5, 0) = 5",
                      "splice(5, NULL, 4, NULL, 5, 0x40 /* SPLICE_F_??? */) = -22"], python
    events, made = _python_and_made(["cp", str(tmp_path / "data"), str(tmp_path / "copy")])
    assert "copy_file_range" not in {ev.name for ev in events} and "copy_file_range(3, NULL, 4, NULL, " in made


UTIMENS_SCRIPT = r"""
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
sc = libc.syscall
sc.restype = ctypes.c_long
class TS(ctypes.Structure):
    _fields_ = [("sec", ctypes.c_long), ("nsec", ctypes.c_long)]
UTIMENSAT, AT_FDCWD, NOW, OMIT = 280, -100, (1 << 30) - 1, (1 << 30) - 2
path = sys.argv[1].encode()
fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
def times(*pairs):
    return ctypes.byref((TS * 2)(*[TS(s, n) for s, n in pairs]))
sc(UTIMENSAT, fd, None, None, 0)  # touch(1)'s
sc(UTIMENSAT, AT_FDCWD, path, times((1700000000, 500000000), (1700000000, 0)), 0)
sc(UTIMENSAT, AT_FDCWD, path, times((5, NOW), (7, OMIT)), 0x100)  # AT_SYMLINK_NOFOLLOW
sc(UTIMENSAT, AT_FDCWD, path, times((0, 0), (-1, 999999999)), 0)
sc(UTIMENSAT, AT_FDCWD, path, times((1 << 62, 0), (0, -1)), 0)  # no date; EINVAL
sc(UTIMENSAT, AT_FDCWD, path, times((1, 1000000000), (1, 0)), 0)
sc(UTIMENSAT, AT_FDCWD, path, ctypes.c_void_p(16), 0)  # EFAULT: Python's
sc(UTIMENSAT, AT_FDCWD, path, None, 0x4)  # an unnamed flag: Python's
sc(UTIMENSAT, -1, None, None, 0)
"""


def test_the_extension_makes_utimensat_lines(tmp_path: Path) -> None:
    """utimensat's struct timespec pair (the local dates, UTIME_NOW/UTIME_OMIT, a zero time and a
    fraction past its maximum without one, NULL) is the extension's, as touch(1)'s call; a faulting
    read and an unnamed flag are Python's; the lines are Python's with C lines on and off, in two
    time zones."""
    cmd = [sys.executable, "-S", "-I", "-c", UTIMENS_SCRIPT, str(tmp_path / "data")]
    for opts in ([], ["-s", "0"], ["-y"]):
        assert _trace(tmp_path, "utimens", True, opts, cmd) == _trace(tmp_path, "utimens", False, opts, cmd)
    events, made = _python_and_made(cmd)
    made = re.sub(r" +=", " =", made)
    data = str(tmp_path / "data")
    zone = time.strftime("%z", time.localtime(1700000000))
    date = time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(1700000000))
    for line in ("utimensat(3, NULL, NULL, 0) = 0",
                 f'utimensat(AT_FDCWD, "{data}", [{{tv_sec=1700000000, tv_nsec=500000000}} '
                 f"/* {date}.500000000{zone} */, {{tv_sec=1700000000, tv_nsec=0}} /* {date}{zone} */], 0) = 0",
                 f'utimensat(AT_FDCWD, "{data}", [UTIME_NOW, UTIME_OMIT], AT_SYMLINK_NOFOLLOW) = 0',
                 f'"{data}", [{{tv_sec=0, tv_nsec=0}}, {{tv_sec=-1, tv_nsec=999999999}} /* ',
                 f'"{data}", [{{tv_sec=4611686018427387904, tv_nsec=0}}, '
                 "{tv_sec=0, tv_nsec=18446744073709551615}], 0) = -1 EINVAL",
                 f'"{data}", [{{tv_sec=1, tv_nsec=1000000000}}, {{tv_sec=1, tv_nsec=0}} /* ',
                 "utimensat(-1, NULL, NULL, 0) = -1 EBADF"):
        assert line in made, line
    python = [re.sub(r"0x[0-9a-f]{6,}", "ADDR", ", ".join(ev.args)) for ev in events if ev.name == "utimensat"]
    assert python == [f'AT_FDCWD, "{data}", 0x10, 0', f'AT_FDCWD, "{data}", NULL, 0x4 /* AT_??? */'], python
    env = dict(os.environ, TZ="America/Los_Angeles")
    for on in ("1", "0"):
        env["SYSCOPE_C_LINES"] = on
        subprocess.run([sys.executable, "-m", "syscope", "-o", str(tmp_path / f"tz.{on}"), "--", *cmd], env=env,
                       check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, timeout=120)
    got = [ln for ln in (tmp_path / "tz.1").read_text().splitlines() if "utimensat" in ln]
    assert got == [ln for ln in (tmp_path / "tz.0").read_text().splitlines() if "utimensat" in ln]
    assert "-0800 */" in "".join(got)
    events, made = _python_and_made(["touch", str(tmp_path / "touched")])
    assert "utimensat" not in {ev.name for ev in events} and "utimensat(" in made


def test_ip_addr_binds_its_netlink_socket_in_c() -> None:
    """ip(8)'s bind to its AF_NETLINK socket (struct sockaddr_nl) is the extension's line."""
    events, made = _python_and_made(["ip", "addr"])
    assert "bind" not in {ev.name for ev in events}
    assert "bind(3, {sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}, 12)" in made


def test_the_extension_makes_affinity_and_mempolicy_lines() -> None:
    """sched_getaffinity's CPU mask and set_mempolicy/get_mempolicy's modes and node masks (cut
    at -s longs) are the extension's lines; ps -e's start-up then decodes nothing in Python."""
    events, made = _python_and_made([sys.executable, "-S", "-I", "-c", PROC_SCRIPT])
    zeros = "0000000000000000"
    for line in (r"sched_getaffinity\(0, 512, \[0( \d+)*\]\) += \d+",
                 r"sched_getaffinity\(0, 1, 0x[0-9a-f]+\) += -1 EINVAL",
                 r"sched_getaffinity\(0, 512, NULL\) += -1 EFAULT", r"set_mempolicy\(MPOL_DEFAULT, NULL, 0\) += 0",
                 rf"set_mempolicy\(MPOL_PREFERRED_MANY, \[0x00000000000001(, {zeros}){{15}}\], 1024\) += 0",
                 r"set_mempolicy\(MPOL_PREFERRED\|MPOL_F_STATIC_NODES, \[0x00000000000001\], 3\) += -?\d",
                 rf"set_mempolicy\(MPOL_DEFAULT, \[0x00000000000001(, {zeros}){{31}}, \.\.\.\], 2561\)",
                 r"set_mempolicy\(MPOL_DEFAULT, NULL, 1\) += ",
                 rf"get_mempolicy\(\[MPOL_DEFAULT\], \[{zeros}(, {zeros}){{15}}\], 1025, NULL, 0\) += 0",
                 r"get_mempolicy\(NULL, NULL, 0, NULL, 0\) += 0",
                 r"get_mempolicy\(0x10, NULL, 0, NULL, 0\) += -1 EFAULT",
                 r"get_mempolicy\(\[MPOL_DEFAULT\], 0x[0-9a-f]+, 1, NULL, 0\) += 0",
                 r"get_mempolicy\(0x[0-9a-f]+, NULL, 0, NULL, MPOL_F_NODE\) += -1 EINVAL"):
        assert re.search(f"^{line}", made, re.M), line
    python = [ev.args for ev in events if ev.name in ("sched_getaffinity", "set_mempolicy", "get_mempolicy")]
    # an unnamed mode, a mask that cannot be read
    assert python == [["0x9 /* MPOL_??? */", "NULL", "0"], ["MPOL_BIND", "0x10", "1025"]], python
    events, made = _python_and_made(["ps", "-e"])
    assert not {"sched_getaffinity", "set_mempolicy", "get_mempolicy", "prctl"} & {ev.name for ev in events}
