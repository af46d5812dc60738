"""Differential check of the syscope CLI against strace 6.1.

Each program runs twice in a fresh, identical working directory at the same path: under
``strace -ff -o DIR/s`` and under ``syscope -ff -o DIR/y`` (the real CLI, ``python -m syscope``).
The per-process files are paired through the process tree (the child pids each file's
clone/fork/vfork lines return, in order), what legitimately differs between two runs is
normalised (addresses, pids, inodes, clocks, random bytes, ephemeral ports), and the normalised
lines are aligned with difflib.  Agreement = identical lines / aligned lines.

Used by test_differential.py (asserts the figure) and report.py (prints it).
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROGS = HERE / "progs"
PY = "/usr/bin/python3"  # never the pyenv shim (CONTRIBUTING)
STRACE = "/usr/bin/strace"
TIMEOUT = 60
# Both tracers (and so their tracees: personality(2) is inherited) run without address-space
# randomisation: what a program allocates (glibc arenas, CPython's obmalloc radix tree) then does
# not depend on where ASLR put it, so the two runs make the same calls.
NORAND = ["/usr/bin/setarch", "-R"]


@dataclass
class Program:
    name: str
    argv: list[str]  # "{exe:NAME}" ("{exe32:NAME}") is replaced by the compiled progs/NAME.c (-m32)
    opts: list[str] = field(default_factory=list)  # strace options shared by both tracers
    setup: Callable[[Path], None] | None = None  # fills the fresh working directory
    # extra (pattern, replacement) pairs for this program's legitimately variable output
    normalise: list[tuple[str, str]] = field(default_factory=list)


def _tree(work: Path) -> None:
    (work / "a" / "b").mkdir(parents=True)
    for rel, text in (("a/one.txt", "one\n"), ("a/b/two.txt", "two\ntwo\n"), ("three.log", "3\n")):
        (work / rel).write_text(text)


def _text(work: Path) -> None:
    (work / "in.txt").write_text("".join(f"line {n:03d} {'xyz' * (n % 7)}\n" for n in range(200, 0, -1)))
    (work / "bin.dat").write_bytes(bytes(range(256)) * 4)


def _py(code: str) -> list[str]:
    return [PY, "-c", code]


PY_FILES = """
import os, tempfile
with open('f.txt', 'w') as f:
    f.write('hello\\n' * 10)
with open('f.txt', 'rb') as f:
    f.read(7); f.seek(0, 2); f.tell()
os.rename('f.txt', 'g.txt')
os.makedirs('d/e', exist_ok=True)
for e in os.scandir('.'):
    e.is_dir()
os.stat('g.txt'); os.lstat('g.txt'); os.access('g.txt', os.R_OK | os.X_OK)
os.symlink('g.txt', 'h'); os.readlink('h'); os.unlink('h')
os.chmod('g.txt', 0o600); os.truncate('g.txt', 3)
fd = os.open('g.txt', os.O_RDWR | os.O_APPEND | os.O_CLOEXEC)
os.pwrite(fd, b'zz', 0); os.pread(fd, 4, 0); os.fsync(fd); os.dup2(fd, 9); os.close(9); os.close(fd)
os.removedirs('d/e')
os.utime('g.txt', (1, 2))
os.getcwd(); os.umask(0o22); os.getuid(); os.getgroups(); os.uname()
"""

PY_TCP = """
import socket
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(('127.0.0.1', 0)); srv.listen(2)
port = srv.getsockname()[1]
cli = socket.create_connection(('127.0.0.1', port))
conn, peer = srv.accept()
cli.sendall(b'GET / HTTP/1.0\\r\\n\\r\\n')
conn.recv(100)
conn.sendall(b'HTTP/1.0 200 OK\\r\\n\\r\\nhello')
conn.shutdown(socket.SHUT_WR)
cli.recv(100); cli.recv(100)
cli.getpeername(); conn.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF)
for s in (cli, conn, srv):
    s.close()
"""

PY_UDP_UNIX = """
import os, socket
a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); a.bind(('127.0.0.1', 0))
b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
b.sendto(b'datagram', a.getsockname())
a.recvfrom(64)
b.connect(a.getsockname()); b.send(b'x'); a.recv_into(bytearray(8))
a.close(); b.close()
p, q = socket.socketpair()
p.sendmsg([b'ab', b'cd'])
q.recvmsg(16, 64)
r, w = os.pipe()
p.sendmsg([b'fd'], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, r.to_bytes(4, 'little'))])
msg, anc, flags, addr = q.recvmsg(16, socket.CMSG_SPACE(4))
p.close(); q.close()
u = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); u.bind('ux.sock'); u.listen(1)
v = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); v.connect('ux.sock')
c, _ = u.accept(); v.send(b'u'); c.recv(4)
for s in (c, v, u):
    s.close()
os.unlink('ux.sock')
"""

PY_SELECT = """
import os, select, selectors
r, w = os.pipe()
os.write(w, b'!')
select.select([r], [w], [], 0.01)
p = select.poll(); p.register(r, select.POLLIN); p.register(w, select.POLLOUT); p.poll(10)
e = select.epoll(); e.register(r, select.EPOLLIN | select.EPOLLET); e.poll(0.01); e.unregister(r); e.close()
sel = selectors.DefaultSelector(); sel.register(r, selectors.EVENT_READ); sel.select(0.01); sel.close()
os.read(r, 1)
select.select([r], [], [], 0.002)
"""

PY_SIGNALS = """
import os, signal, subprocess
got = []
signal.signal(signal.SIGUSR1, lambda s, f: got.append(s))
os.kill(os.getpid(), signal.SIGUSR1)
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR2, signal.SIGHUP})
os.kill(os.getpid(), signal.SIGUSR2)
signal.sigtimedwait({signal.SIGUSR2}, 1)
signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGUSR2})
signal.signal(signal.SIGCHLD, lambda s, f: None)
pid = os.fork()
if pid == 0:
    os._exit(7)
os.waitpid(pid, 0)
subprocess.run(['/bin/true'])
signal.setitimer(signal.ITIMER_REAL, 0)
signal.alarm(0)
"""

PY_THREADS = """
import threading
def work(n):
    return sum(range(n))
for i in range(3):
    t = threading.Thread(target=work, args=(1000,)); t.start(); t.join()
"""

PY_TIMERS = """
import os, time, select
time.sleep(0.002)
time.monotonic(); time.time(); time.process_time(); time.clock_getres(time.CLOCK_MONOTONIC)
fd = os.eventfd(0, os.EFD_CLOEXEC | os.EFD_NONBLOCK)
os.eventfd_write(fd, 3); os.eventfd_read(fd); os.close(fd)
import resource
resource.getrlimit(resource.RLIMIT_NOFILE)
resource.prlimit(0, resource.RLIMIT_CORE)
resource.getrusage(resource.RUSAGE_SELF)
"""

PY_MEM = """
import mmap, os
m = mmap.mmap(-1, 65536)
m[0:5] = b'hello'
m.madvise(mmap.MADV_DONTNEED)
m.close()
fd = os.memfd_create('buf', os.MFD_CLOEXEC)
os.ftruncate(fd, 4096)
mm = mmap.mmap(fd, 4096, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE)
mm.write(b'abc'); mm.flush(); mm.close(); os.close(fd)
"""

PY_ASYNCIO = """
import asyncio
async def handle(r, w):
    w.write(await r.read(100)); await w.drain(); w.close()
async def main():
    srv = await asyncio.start_server(handle, '127.0.0.1', 0)
    port = srv.sockets[0].getsockname()[1]
    r, w = await asyncio.open_connection('127.0.0.1', port)
    w.write(b'echo'); await w.drain(); await r.read(100); w.close()
    srv.close(); await srv.wait_closed()
asyncio.run(main())
"""

PY_CMSG = """
import socket
a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); a.bind(('127.0.0.1', 0))
for opt in (8, 12, 13):  # IP_PKTINFO, IP_RECVTTL, IP_RECVTOS (ip(7))
    a.setsockopt(socket.IPPROTO_IP, opt, 1)
a.setsockopt(socket.SOL_SOCKET, 35, 1)  # SO_TIMESTAMPNS
b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
b.sendto(b'x', a.getsockname())
a.recvmsg(16, 256)
s6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); s6.bind(('::1', 0))
s6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_RECVPKTINFO, 1)
s6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_RECVHOPLIMIT, 1)
t6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); t6.sendto(b'y', s6.getsockname())
s6.recvmsg(16, 256)
"""

PY_SOCKOPTS = """
import socket, struct
a, b = socket.socketpair()
a.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12)
a.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 5))
a.getsockopt(socket.SOL_SOCKET, socket.SO_LINGER, 8)
a.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, struct.pack('qq', 2, 500))
a.getsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, 16)
for opt in (socket.SO_TYPE, socket.SO_DOMAIN, socket.SO_PROTOCOL, socket.SO_SNDBUF):
    a.getsockopt(socket.SOL_SOCKET, opt)
a.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b'lo')
t = socket.socket(); t.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 8)
t.getsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, 16)
t.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 30)
"""

PY_SUBPROC = """
import subprocess
subprocess.run(['/bin/echo', 'hi'], stdout=subprocess.PIPE, check=True)
p = subprocess.Popen(['/bin/cat'], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
p.communicate(b'piped')
"""

PY_MISC = """
import os, signal, socket, resource, threading
fd = os.open('a.txt', os.O_CREAT | os.O_RDWR, 0o644)
os.write(fd, b'x' * 100)
out = os.open('b.txt', os.O_CREAT | os.O_WRONLY, 0o644)
os.sendfile(out, fd, 0, 50)
os.copy_file_range(fd, out, 10, 0, 60)
r, w = os.pipe()
os.write(w, b'spliced')
os.splice(r, out, 7)
os.posix_fallocate(out, 0, 4096)
os.posix_fadvise(out, 0, 0, os.POSIX_FADV_DONTNEED)
os.fdatasync(out)
os.statvfs('.'); os.fstatvfs(out)
os.close(out); os.close(fd)
os.getresuid(); os.getresgid(); os.getpriority(os.PRIO_PROCESS, 0)
os.sched_getaffinity(0); os.sched_getscheduler(0); os.sched_getparam(0)
os.times()
p = os.fork()
if p == 0:
    os._exit(3)
os.waitid(os.P_PID, p, os.WEXITED)
pid = os.posix_spawn('/bin/true', ['/bin/true'], {})
fdp = os.pidfd_open(pid)
os.waitpid(pid, 0)
os.close(fdp)
os.setxattr('a.txt', 'user.x', b'1'); os.getxattr('a.txt', 'user.x'); os.listxattr('a.txt')
os.removexattr('a.txt', 'user.x')
os.link('a.txt', 'c.txt'); os.chown('c.txt', 0, 0); os.lchown('c.txt', -1, -1); os.unlink('c.txt')
os.mkfifo('fifo'); os.unlink('fifo')
os.access('a.txt', os.W_OK, effective_ids=True)
signal.setitimer(signal.ITIMER_VIRTUAL, 1.5, 0.25); signal.setitimer(signal.ITIMER_VIRTUAL, 0)
signal.siginterrupt(signal.SIGUSR1, True)
signal.pthread_kill(threading.get_ident(), 0)
resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
socket.getaddrinfo('localhost', 80, type=socket.SOCK_STREAM)
s6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); s6.bind(('::1', 0)); s6.getsockname(); s6.close()
"""

PY_OS = """
import os, mmap
os.setpgid(0, 0); os.getpgid(0); os.getsid(0)
os.sched_setaffinity(0, os.sched_getaffinity(0))
m = mmap.mmap(-1, 4096 * 4); m.resize(4096 * 8); m.close()
r, w = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
os.set_blocking(r, True); os.get_inheritable(w); os.set_inheritable(w, True)
os.dup(r); os.dup2(r, 20, inheritable=False)
os.lseek(os.open('.', os.O_RDONLY), 0, os.SEEK_SET)
os.readv(os.open('/etc/hostname', os.O_RDONLY), [bytearray(3), bytearray(100)])
os.writev(w, [b'ab', b'cd'])
os.getcwd(); os.chdir('/'); os.fchdir(os.open('/tmp', os.O_RDONLY))
os.killpg(os.getpgid(0), 0)
"""

PY_PTY = """
import os, pty, termios, tty, fcntl
m, s = os.openpty()
t = termios.tcgetattr(s); tty.setraw(s); termios.tcsetattr(s, termios.TCSADRAIN, t)
fcntl.ioctl(s, termios.TIOCGWINSZ, bytes(8))
termios.tcsendbreak(s, 0); termios.tcdrain(s); termios.tcflow(s, termios.TCOON)
os.ttyname(s)
pid, fd = pty.fork()
if pid == 0:
    os._exit(0)
os.waitpid(pid, 0)
"""

# a signalfd_siginfo read holds the sender's pid (ssi_pid at offset 12)
_SIGNALFD_READ = (r'^(read\(\d+, )".*"\.\.\.(, 128\) = 128)$', r'\1"<signalfd_siginfo>"...\2')

# System V IPC identifiers the kernel hands out (msgget/semget/shmget results, then the *ctl
# and shmat arguments): they differ on every run.
_IPC_IDS = (r"^((?:msg|sem|shm)get\(.*\) = )\d+$|^((?:msg|sem|shm)ctl\(|shmat\(|msgsnd\(|msgrcv\(|semop\(|"
            r"semtimedop\()\d+", r"\1\2IPCID")
# the times and pids an IPC_STAT reports: of this run
_IPC_STAT = (r"\b(msg_[src]time|sem_[oc]time|shm_[adc]time|msg_l[sr]pid|shm_[cl]pid)=\d+", r"\1=N")

# Output of these programs depends on the clock: their printed text is not compared.
_DATE_OUT = (r'^(write\(1, )".*"', r'\1"<clock text>"')


def programs() -> list[Program]:
    sh = "/bin/sh"
    return [
        Program("ls_la_etc", ["/bin/ls", "-la", "/etc"]),
        Program("ls_la_etc_v", ["/bin/ls", "-la", "/etc/apt"], ["-v"]),
        Program("ls_statx_v", ["/bin/ls", "/usr/lib/python3.11"], ["-v"]),
        Program("argv40_s5", [sh, "-c", "/bin/echo " + " ".join(str(k) for k in range(40)) + " >/dev/null"],
                ["-s", "5"]),
        Program("find_exec", ["/usr/bin/find", "/etc/apt", "-maxdepth", "1", "-name", "*.conf*", "-exec",
                              "/bin/true", "{}", ";"]),
        Program("cat", ["/bin/cat", "in.txt", "/etc/hostname"], setup=_text),
        Program("cat_bin_x", ["/bin/cat", "bin.dat"], ["-x", "-s", "80"], setup=_text),
        Program("cp_mv_rm", [sh, "-c", "cp in.txt c.txt && mv c.txt d.txt && rm d.txt && cp -r a a2 && rm -r a2"],
                setup=lambda w: (_text(w), _tree(w))),
        Program("stat", ["/usr/bin/stat", "/etc/passwd", "/dev/null", "/etc"]),
        Program("date", ["/bin/date", "+%Y %H:%M:%S"], normalise=[_DATE_OUT]),
        Program("id", ["/usr/bin/id"]),
        Program("uname", ["/bin/uname", "-a"]),
        Program("env", ["/usr/bin/env"]),
        Program("head_wc_sort", [sh, "-c", "head -n 50 in.txt | sort | wc -l -c"], setup=_text),
        Program("find", ["/usr/bin/find", ".", "-name", "*.txt", "-type", "f"], setup=_tree),
        Program("touch_mkdir_ln", [sh, "-c", "touch t && mkdir -p m/n && ln -s t lnk && readlink lnk && "
                                   "rmdir m/n m"]),
        Program("pipeline_yy", [sh, "-c", "echo abc | tr a-z A-Z | cat"], ["-yy"]),
        # plain -y: the entry halves decoded late except the calls that change the links they print
        # (sources/ptrace/late_decode.py _CHANGE_LINKS: close, dup2, rename, unlink...)
        Program("ls_y", ["/bin/ls", "-la", "/etc/apt", "/dev/null"], ["-y"]),
        Program("cp_mv_rm_y", [sh, "-c", "cp in.txt c.txt && mv c.txt d.txt && rm d.txt && cp -r a a2 && rm -r a2"],
                ["-y"], setup=lambda w: (_text(w), _tree(w))),
        Program("c_signals", ["{exe:signals}"], normalise=[_SIGNALFD_READ]),
        Program("c_timers", ["{exe:timers}"]),
        Program("c_fds", ["{exe:fds}"]),
        Program("c_fds_yy", ["{exe:fds}"], ["-yy"]),
        Program("c_fds_y", ["{exe:fds}"], ["-y"]),
        Program("c_net", ["{exe:net}"]),
        Program("c_net_yy", ["{exe:net}"], ["-yy"]),
        Program("c_poll", ["{exe:poll}"]),
        Program("c_pty", ["{exe:pty}"]),
        Program("c_threads", ["{exe:threads}"]),
        Program("c_stat", ["{exe:stat}"]),
        Program("c_stat_v", ["{exe:stat}"], ["-v"]),
        Program("c_rare", ["{exe:rare}"]),
        Program("c_rare_yy", ["{exe:rare}"], ["-yy"]),
        Program("c_poll_yy", ["{exe:poll}"], ["-yy"]),
        Program("py_select_yy", _py(PY_SELECT), ["-yy"]),
        Program("py_subproc_yy", _py(PY_SUBPROC), ["-yy"]),
        Program("c_rare_m32", ["{exe32:rare}"]),
        Program("py_files", _py(PY_FILES)),
        Program("py_tcp", _py(PY_TCP)),
        Program("py_udp_unix", _py(PY_UDP_UNIX)),
        Program("py_select", _py(PY_SELECT)),
        Program("py_signals", _py(PY_SIGNALS)),
        Program("py_threads", _py(PY_THREADS)),
        Program("py_timers", _py(PY_TIMERS)),
        Program("py_mem", _py(PY_MEM)),
        Program("py_subproc", _py(PY_SUBPROC)),
        Program("py_asyncio", _py(PY_ASYNCIO)),
        Program("py_cmsg", _py(PY_CMSG)),
        Program("py_sockopts", _py(PY_SOCKOPTS)),
        Program("py_files_v", _py(PY_FILES), ["-v"]),
        Program("py_misc", _py(PY_MISC)),
        Program("py_ssl", _py("import ssl; ssl.create_default_context()")),
        Program("gcc_syntax", ["/usr/bin/gcc", "-fsyntax-only", "-x", "c", "hello.c"],
                setup=lambda w: (w / "hello.c").write_text('#include <stdio.h>\nint main(void) { puts("hi"); }\n')),
        Program("py_chmod_modes", [PY, "-c", "import os; open('c', 'w').close(); os.chmod('c', 0o100744); "
                                                        "os.mkdir('d', 0o40755); os.umask(0o22)"]),
        Program("py_os", _py(PY_OS)),
        Program("py_pty", _py(PY_PTY)),
        Program("py_pty_v", _py(PY_PTY), ["-v"]),
        Program("py_udp_unix_xx", _py(PY_UDP_UNIX), ["-xx"]),
        Program("py_misc_s8", _py(PY_MISC), ["-s", "8"]),
        Program("py_udp_unix_s0", _py(PY_UDP_UNIX), ["-s", "0"]),
        Program("py_os_Xraw_v", _py(PY_OS), ["-X", "raw", "-v"]),
        Program("c_stat_Xverbose_xx_v", ["{exe:stat}"], ["-X", "verbose", "-xx", "-v"]),
        Program("c_fds_Xverbose_m32", ["{exe32:fds}"], ["-X", "verbose"]),
        Program("script_pty", ["/usr/bin/script", "-qc", "/bin/true", "/dev/null"], normalise=[_SIGNALFD_READ]),
        Program("ulimit_unshare_chroot", [sh, "-c", "ulimit -a >/dev/null; ulimit -n 256; unshare -n -m -u /bin/true; "
                                                    "chroot / /bin/true"]),
        Program("timeout_nice", [sh, "-c", "timeout 5 nice -n 1 nohup /bin/true; stat -f / /proc; nproc; hostname; "
                                           "whoami"]),
        Program("chmod_chown_flock", [sh, "-c", "touch f && chmod 600 f && chown 0:0 f && flock lk /bin/true && "
                                                "mkfifo p && (echo hi > p &) && cat p"]),
        Program("py_misc_yy", _py(PY_MISC), ["-yy"]),
        Program("py_udp_unix_xs", _py(PY_UDP_UNIX), ["-x", "-s", "80"]),
        Program("tar_gzip", [sh, "-c", "tar --mtime=@0 --owner=0 --group=0 --sort=name -cf - a | gzip -n > t.gz && "
                                       "gzip -dc t.gz | tar -tvf - >/dev/null"], setup=_tree),
        Program("dd", ["/bin/dd", "if=in.txt", "of=out.bin", "bs=512", "count=3", "status=none"], setup=_text),
        Program("sleep", ["/bin/sleep", "0.01"]),
        Program("du_grep_sed", [sh, "-c", "du -s a; grep -rn two .; sed -n 5,10p in.txt; md5sum bin.dat"],
                setup=lambda w: (_text(w), _tree(w))),
        Program("ls_dev_yy", ["/bin/ls", "-l", "/dev/null", "/dev/zero", "/dev/full"], ["-yy"]),
        Program("xargs", [sh, "-c", "printf 'a b c' | xargs -n1 /bin/echo"]),
        Program("c_stat_m32", ["{exe32:stat}"]),
        Program("c_fds_m32", ["{exe32:fds}"]),
        Program("c_net_m32", ["{exe32:net}"]),
        Program("c_signals_m32", ["{exe32:signals}"], normalise=[_SIGNALFD_READ]),
        Program("c_timers_m32", ["{exe32:timers}"]),
        Program("c_threads_m32", ["{exe32:threads}"]),
        Program("c_poll_pty_m32", [sh, "-c", "{exe32:poll}; {exe32:pty}"]),
        Program("c_fds_Xverbose", ["{exe:fds}"], ["-X", "verbose"]),
        Program("c_net_Xverbose", ["{exe:net}"], ["-X", "verbose"]),
        Program("py_tcp_Xverbose", _py(PY_TCP), ["-X", "verbose"]),
        Program("c_stat_Xraw", ["{exe:stat}"], ["-X", "raw"]),
        Program("c_net_Xraw", ["{exe:net}"], ["-X", "raw"]),
        Program("c_net_dumps", ["{exe:net}"], ["-e", "read=all", "-e", "write=all"]),
        Program("c_fds_dumps", ["{exe:fds}"], ["-e", "read=all", "-e", "write=all"]),
        Program("c_fds_eraw", ["{exe:fds}"], ["-e", "raw=mmap,openat,fcntl,ioctl"]),
        # (rt_sigreturn's result is the interrupted call's: wait4's child pid, in hex)
        Program("c_signals_eraw", ["{exe:signals}"], ["-e", "raw=rt_sigreturn,pause,rt_sigaction"],
                normalise=[_SIGNALFD_READ, (r"^(rt_sigreturn\(\) = )0x[0-9a-f]{3,}$", r"\1PID")]),
        Program("c_net_abbrev_none", ["{exe:net}"], ["-e", "abbrev=none"]),
        # flag words that are 0: strace's printflags default decides what they print, per -X style
        Program("c_zeroflags", ["{exe:zeroflags}"], normalise=[_IPC_IDS]),
        Program("c_zeroflags_Xraw", ["{exe:zeroflags}"], ["-X", "raw"], normalise=[_IPC_IDS]),
        Program("c_zeroflags_Xverbose_v", ["{exe:zeroflags}"], ["-X", "verbose", "-v"], normalise=[_IPC_IDS]),
        # System V IPC; built -m32 it goes through the i386 ipc(2) multiplexer
        Program("c_sysv_v", ["{exe:sysv}"], ["-v"], normalise=[_IPC_IDS, _IPC_STAT]),
        Program("c_sysv_m32_v", ["{exe32:sysv}"], ["-v"], normalise=[_IPC_IDS, _IPC_STAT]),
        Program("c_sysv_m32_Xverbose", ["{exe32:sysv}"], ["-X", "verbose"], normalise=[_IPC_IDS, _IPC_STAT]),
        Program("c_zeroflags_m32", ["{exe32:zeroflags}"], normalise=[_IPC_IDS]),
        # -e trace= names and classes select the calls a 32-bit C library makes through
        # socketcall(2)/ipc(2) (strace qualifies each by its own entry)
        Program("c_net_m32_network", ["{exe32:net}"], ["-e", "trace=%network"]),
        Program("c_net_m32_named", ["{exe32:net}"], ["-e", "trace=connect,bind,send,recv,close"]),
        Program("c_sysv_m32_named", ["{exe32:sysv}"],
                ["-e", "trace=msgget,msgsnd,msgrcv,shmat,semop,semtimedop,%memory"],
                normalise=[_IPC_IDS, _IPC_STAT]),
        # netlink messages in sendmsg/recvmsg buffers (the reply names the sender's port id)
        Program("c_nlmsg", ["{exe:nlmsg}"], ["-yy"], normalise=[(r"nlmsg_pid=\d+", "nlmsg_pid=P"),
                                                             (r"NETLINK:\[ROUTE:\d+\]", "NETLINK:[ROUTE:PORT]")]),
        Program("c_nlmsg_m32_v", ["{exe32:nlmsg}"], ["-v"], normalise=[(r"nlmsg_pid=\d+", "nlmsg_pid=P")]),
        Program("c_nlmsg_verbose_none", ["{exe:nlmsg}"], ["-yy", "-e", "verbose=none"],
                normalise=[(r"NETLINK:\[ROUTE:\d+\]", "NETLINK:[ROUTE:PORT]")]),
        # struct fields' flags and constants follow -X too (poll/epoll events, capabilities, timex
        # status, stack_t, sigevent, in_pktinfo, getrusage's who)
        Program("c_poll_Xraw", ["{exe:poll}"], ["-X", "raw"]),
        Program("c_rare_Xraw", ["{exe:rare}"], ["-X", "raw"]),
        Program("c_rare_Xverbose", ["{exe:rare}"], ["-X", "verbose"]),
        Program("c_timers_Xraw", ["{exe:timers}"], ["-X", "raw"]),
        Program("py_asyncio_Xverbose", _py(PY_ASYNCIO), ["-X", "verbose"]),
        Program("py_cmsg_Xraw", _py(PY_CMSG), ["-X", "raw"]),
        Program("py_cmsg_Xverbose", _py(PY_CMSG), ["-X", "verbose"]),
        # -e verbose=none / verbose=!SET: structures as addresses, arrays as print_array prints
        # them unread (NULL, [] for none: epoll_pwait, getgroups), and the whole-call decoders and
        # results that read memory follow (fcntl locks, futex timeouts, poll revents, select's and
        # ppoll's time left, rt_sigreturn's mask, clock_adjtime's state)
        Program("c_poll_verbose_none", ["{exe:poll}"], ["-e", "verbose=none"]),
        Program("c_fds_verbose_none", ["{exe:fds}"], ["-e", "verbose=none"]),
        Program("c_signals_verbose_none", ["{exe:signals}"], ["-e", "verbose=none"], normalise=[_SIGNALFD_READ]),
        # (i386 sigreturn: the frame's address, bare)
        Program("c_signals_m32_verbose_none", ["{exe32:signals}"], ["-e", "verbose=none"],
                normalise=[_SIGNALFD_READ]),
        # an address the kernel returns shorter than sa_family (a socketpair peer's: length 0)
        # prints as its pointer (strace decode_sockaddr), not as an empty struct
        Program("py_socketpair_recvfrom", _py("import socket; a, b = socket.socketpair(); a.send(b'x'); "
                                              "b.recvfrom(1); a.getpeername(); b.getsockname()"), ["-yy"]),
        # -b execve: each child is let go at its exec, the execve it is in ends "<detached ...>"
        Program("sh_detach_on_execve", [sh, "-c", "/bin/true; /bin/echo x"],
                ["-b", "execve", "-e", "signal=none", "-e", "trace=!wait4,rt_sigreturn"]),
        Program("c_rare_verbose_some", ["{exe:rare}"], ["-e", "verbose=!clock_adjtime,getgroups,setgroups"]),
    ]


# -- normalisation -----------------------------------------------------------------------------

_COMMON: list[tuple[re.Pattern[str], str]] = [(re.compile(p), r) for p, r in [
    # the padding to column 40 depends on the width of what was normalised below
    (r"\) +(= [^=]*(\(.*\))?$)", r") \1"),
    # addresses: mmap/brk results, stack and heap pointers, sa_restorer, envp
    (r"0x[0-9a-f]{6,}", "ADDR"),
    # /proc/PID/maps read back: address ranges of this run
    (r"\b[0-9a-f]{8,16}-[0-9a-f]{8,16}\b", "MAPS"),
    # random bytes (getrandom(2)) differ on every run
    (r'^getrandom\(".*?"(\.\.\.)?,', "getrandom(RANDOM,"),
    # inode numbers of pipes, sockets, anon inodes and files
    (r"(pipe|socket|net|anon_inode|UNIX|UNIX-STREAM|UNIX-DGRAM|TCP|UDP|TCPv6|UDPv6|NETLINK):\[\d+(\]|->|,)",
     r"\1:[INO\2"),
    (r"->\d+\]", r"->INO]"),
    (r"\b(st_ino|d_ino|stx_ino|ino)=\d+", r"\1=INO"),
    # timestamps of files and clocks
    (r"\b(st_[amc]time)=\d+( /\* [^*]* \*/)?", r"\1=T"),
    (r"\b(st_[amc]time_nsec)=\d+", r"\1=T"),
    (r"\b(stx_[abcm]time)=\{tv_sec=\d+, tv_nsec=\d+\}( /\* [^*]* \*/)?", r"\1=T"),
    # ports the kernel picks (ip_local_port_range 32768-60999)
    (r"htons\((3[2-9]\d{3}|[4-5]\d{4}|60\d{3})\)", "htons(PORT)"),
    (r"(127\.0\.0\.1|\]):(3[2-9]\d{3}|[4-5]\d{4}|60\d{3})", r"\1:PORT"),
    (r'sin_port="[^"]*" /\* htons\(PORT\) \*/', "sin_port=PORT"),
    (r'sin(6?)_port="\\x([89a-e][0-9a-f])\\x[0-9a-f]{2}"', r"sin\1_port=PORT"),
    (r'sin6_port="[^"]*" /\* htons\(PORT\) \*/', "sin6_port=PORT"),
    # pseudo-terminal numbers depend on what else runs (devpts minor, major 136)
    (r"/dev/pts/\d+", "/dev/pts/N"), (r"(TIOCGPTN, \[)\d+\]", r"\1N]"),
    (r"makedev\(0x88, (0x)?[0-9a-f]+\)", "makedev(0x88, N)"), (r"<char 136:\d+>", "<char 136:N>"),
    # receive timestamps (SO_TIMESTAMP*, socket(7))
    # (-X verbose: the number with the name in a comment; -X raw: SO_TIMESTAMP_OLD 0x1d, _NS_OLD 0x23)
    (r"(cmsg_type=(?:SO_TIMESTAMP\w*|0x[0-9a-f]+ /\* SO_TIMESTAMP\w* \*/|0x1d|0x23), cmsg_data=)"
     r"\{tv_sec=\d+, tv_(n|u)sec=\d+\}", r"\1{tv_sec=N, tv_\2sec=N}"),
    # CPU time a child used (SIGCHLD siginfo)
    (r"\b(si_[us]time)=\d+( /\* [^*]* \*/)?", r"\1=N"),
    # time left of a timeout (select(2), ppoll(2)) and absolute futex deadlines
    (r"left \{tv_sec=\d+, tv_(n|u)sec=\d+\}", r"left {tv_sec=N, tv_\1sec=N}"),
    (r"^(futex\(.*)\{tv_sec=\d+, tv_nsec=\d+\}", r"\1{tv_sec=N, tv_nsec=N}"),
    # whether a futex wait found the word changed / how many waiters a wake found is a race
    (r"^(futex\(.*\) = )(\d+|-1 EAGAIN \(Resource temporarily unavailable\))$", r"\1R"),
    # epoll_data is a union: the u64 view of an fd shows uninitialised upper bytes
    (r"u64=\d{10,}", "u64=U64"),
]]

# calls whose output arguments are clocks or kernel counters: every number in them is a reading
_VOLATILE = re.compile(
    r"^(clock_gettime|gettimeofday|time|times|sysinfo|getrusage|clock_nanosleep|nanosleep|"
    r"timerfd_settime|timerfd_gettime|timer_settime|timer_gettime|setitimer|getitimer|"
    r"sched_getaffinity|times|getcpu|adjtimex|clock_adjtime|clock_adjtime64)\(")
_VOLATILE_NUM = re.compile(r"(?<=[=\[ ,{])\d+(?=[,}\] ])")
_SECONDS = re.compile(r" /\* \d+\.\d+ s \*/")
_WAIT4_RUSAGE = re.compile(r"(ru_[us]time=\{tv_sec=)\d+(, tv_usec=)\d+")
_STATFS_FREE = re.compile(r"\b(f_bfree|f_bavail|f_ffree)=\d+")
_ARENA_MAP = re.compile(r"^mmap\(NULL, 134217728, PROT_NONE, MAP_PRIVATE\|MAP_ANONYMOUS\|MAP_NORESERVE, -1, 0\)")
_MUNMAP_LEN = re.compile(r"^(munmap\(0x[0-9a-f]+, )\d+(\))")
# calls whose arguments or result are process/thread ids
_PID_CALLS = re.compile(
    r"^(getpid|gettid|getppid|getpgid|getpgrp|getsid|setpgid|setsid|set_tid_address|clone|clone3|fork|vfork|"
    r"wait4|waitid|kill|tkill|tgkill|prlimit64|sched_\w+|rt_sigqueueinfo|rt_tgsigqueueinfo|pidfd_open|"
    r"pidfd_send_signal|process_vm_readv|process_vm_writev|ptrace|getpriority|setpriority|ioprio_\w+|"
    r"futex|get_robust_list|capget|capset|perf_event_open|migrate_pages|move_pages|kcmp|rt_sigreturn|sigreturn)\(")
_GETPPID = re.compile(r"^(getppid\(\) = )\d+$")
_NAME = re.compile(r"^([a-z_0-9]+)\(")


def normalise(lines: list[str], pids: dict[int, str], extra: list[tuple[str, str]]) -> list[str]:
    alts = "|".join(str(p) for p in sorted(pids, reverse=True))
    pid_re = re.compile(r"\b(" + alts + r")\b") if pids else None
    # in other calls a pid only where a field names one (a bare number may be a size)
    pid_field = re.compile(r"(\b(?:si_pid|pid|l_pid|nl_pid|sigev_notify_thread_id)=|tid=\[|/proc/|<pid:)(" + alts
                           + r")\b") \
        if pids else None
    extra_c = [(re.compile(p), r) for p, r in extra]
    out = []
    trim = 0
    for line in lines:
        # glibc's new_heap() maps 2*HEAP_MAX_SIZE and unmaps the parts outside an aligned
        # HEAP_MAX_SIZE window (malloc/arena.c): the sizes follow from the (random) address
        if _ARENA_MAP.match(line):
            trim = 2
        elif trim and line.startswith("munmap("):
            line = _MUNMAP_LEN.sub(r"\1N\2", line)
            trim -= 1
        else:
            trim = 0
        for pat, rep in _COMMON:
            line = pat.sub(rep, line)
        if _VOLATILE.match(line):
            head, sep, ret = line.rpartition(") = ")
            head = _SECONDS.sub("", _VOLATILE_NUM.sub("N", head))
            line = head + sep + (ret if not line.startswith("times(") else "N") if sep else line
        line = _WAIT4_RUSAGE.sub(r"\1N\2N", line)
        line = _STATFS_FREE.sub(r"\1=N", line)
        if pid_re is not None and pid_field is not None:
            if _PID_CALLS.match(line) or line.startswith(("---", "+++")):
                line = pid_re.sub(lambda m: pids[int(m.group(1))], line)
            else:
                line = pid_field.sub(lambda m: m.group(1) + pids[int(m.group(2))], line)
        # the first process's parent is the tracer itself
        line = _GETPPID.sub(r"\1TRACER", line)
        for pat, rep in extra_c:
            line = pat.sub(rep, line)
        out.append(line)
    return out


def syscall_of(line: str) -> str:
    m = _NAME.match(line)
    if m:
        return m.group(1)
    if line.startswith("---"):
        return "<signal>"
    if line.startswith("+++"):
        return "<exit>"
    return "<other>"


# -- running -----------------------------------------------------------------------------------

_CHILD = re.compile(r"^(clone|clone3|fork|vfork)\(.*\)\s+= (\d+)$")


def _read_ff(prefix: Path) -> dict[int, list[str]]:
    files = {}
    for p in prefix.parent.glob(prefix.name + ".*"):
        files[int(p.suffix[1:])] = p.read_text(errors="replace").splitlines()
    return files


def _labels(files: dict[int, list[str]]) -> dict[int, str]:
    """Process-tree labels: the root is P, its children P.1, P.2 ... in the order its
    clone/fork/vfork lines returned them."""
    kids: dict[int, list[int]] = {}
    for pid, lines in files.items():
        kids[pid] = [int(m.group(2)) for m in map(_CHILD.match, lines) if m]
    children = {c for cs in kids.values() for c in cs}
    roots = sorted(p for p in files if p not in children)
    labels: dict[int, str] = {}

    def walk(pid: int, label: str) -> None:
        labels[pid] = label
        for k, c in enumerate(kids.get(pid, []), 1):
            walk(c, f"{label}.{k}")

    for k, r in enumerate(roots):
        walk(r, "P" if k == 0 else f"ORPHAN{k}")
    return labels


@dataclass
class ProgramResult:
    name: str
    identical: int = 0
    total: int = 0
    reordered: int = 0  # lines both have, in another order (see _compare)
    strace_rc: int = 0
    syscope_rc: int = 0
    syscope_stderr: str = ""
    processes: int = 0
    unpaired: list[str] = field(default_factory=list)
    differing: Counter[str] = field(default_factory=Counter)
    samples: list[tuple[str, str, str]] = field(default_factory=list)  # (label, strace, syscope)
    seconds: float = 0.0

    @property
    def percent(self) -> float:
        return 100.0 * self.identical / self.total if self.total else 0.0


def _fresh(work: Path, setup: Callable[[Path], None] | None) -> None:
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    if setup is not None:
        setup(work)


def _env() -> dict[str, str]:
    # the same small, fixed environment for both tracers (and so for the traced programs)
    env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C", "LC_ALL": "C", "TZ": "UTC", "HOME": "/root",
           "PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1"}
    return env


def _syscope() -> list[str]:
    """The CLI as CONTRIBUTING says: this interpreter, ``-m syscope``.  SYSCOPE_DIFF_SRC (for
    work on one part while others edit the tree) names another source tree to import from; it is
    applied inside the interpreter, so the traced program's environment stays the same."""
    src = os.environ.get("SYSCOPE_DIFF_SRC")
    if not src:
        return [sys.executable, "-m", "syscope"]
    boot = (f"import runpy, sys; sys.path.insert(0, {src!r}); sys.argv[0] = 'syscope'; "
            "runpy.run_module('syscope', run_name='__main__', alter_sys=True)")
    return [sys.executable, "-c", boot]


def run_program(prog: Program, base: Path, exes: dict[str, str]) -> ProgramResult:
    t0 = time.monotonic()
    argv = [re.sub(r"\{(exe(?:32)?:\w+)\}", lambda m: exes[m.group(1)], a) for a in prog.argv]
    pdir = base / prog.name
    work = pdir / "work"
    if pdir.exists():
        shutil.rmtree(pdir)
    (pdir / "s").mkdir(parents=True, exist_ok=True)
    (pdir / "y").mkdir(parents=True, exist_ok=True)
    res = ProgramResult(prog.name)
    env = _env()
    # strace first, then syscope, each in a fresh copy of the same directory
    _fresh(work, prog.setup)
    s = subprocess.run([*NORAND, STRACE, "-ff", "-o", str(pdir / "s" / "t"), *prog.opts, *argv], cwd=work, env=env,
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       timeout=TIMEOUT)
    _fresh(work, prog.setup)
    y = subprocess.run([*NORAND, *_syscope(), "-ff", "-o", str(pdir / "y" / "t"), *prog.opts, "--", *argv],
                       cwd=work, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, timeout=TIMEOUT)
    res.strace_rc, res.syscope_rc = s.returncode, y.returncode
    res.syscope_stderr = y.stderr.decode(errors="replace")[-2000:]
    sf, yf = _read_ff(pdir / "s" / "t"), _read_ff(pdir / "y" / "t")
    sl, yl = _labels(sf), _labels(yf)
    s_by = {lab: pid for pid, lab in sl.items()}
    y_by = {lab: pid for pid, lab in yl.items()}
    res.processes = len(s_by)
    for lab in sorted(set(s_by) | set(y_by)):
        a = normalise(sf[s_by[lab]], sl, prog.normalise) if lab in s_by else []
        b = normalise(yf[y_by[lab]], yl, prog.normalise) if lab in y_by else []
        if lab not in s_by or lab not in y_by:
            res.unpaired.append(f"{lab} only in {'syscope' if lab in y_by else 'strace'}")
        _compare(res, lab, a, b)
    res.seconds = time.monotonic() - t0
    return res


def _compare(res: ProgramResult, label: str, a: list[str], b: list[str]) -> None:
    """Align the two normalised files; lines in the same order count as identical.  A line both
    sides have but in another place (a SIGCHLD delivered before rather than after a wait4: the
    scheduler's choice) is not counted identical; it is reported as reordered, not as a
    differing syscall."""
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    pairs: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            res.identical += i2 - i1
            res.total += i2 - i1
            continue
        res.total += max(i2 - i1, j2 - j1)
        for k in range(max(i2 - i1, j2 - j1)):
            pairs.append((a[i1 + k] if i1 + k < i2 else "", b[j1 + k] if j1 + k < j2 else ""))
    left = Counter(x for x, _ in pairs if x)
    right = Counter(y for _, y in pairs if y)
    moved = left & right
    res.reordered += sum(moved.values())
    for sa, sb in pairs:
        # the lines found elsewhere on the other side are not differences
        if sa and moved[sa] > 0:
            moved[sa] -= 1
            sa = ""
        if sb and moved[sb] > 0:
            moved[sb] -= 1
            sb = ""
        if not sa and not sb:
            continue
        res.differing[syscall_of(sa or sb)] += 1
        if len(res.samples) < 200:
            res.samples.append((label, sa, sb))


def compile_progs(out: Path) -> dict[str, str]:
    """Each progs/NAME.c as "exe:NAME" and, built -m32 (gcc-multilib), as "exe32:NAME"."""
    exes = {}
    for src in sorted(PROGS.glob("*.c")):
        for key, flags in (("exe", []), ("exe32", ["-m32"])):
            exe = out / (src.stem + ("32" if flags else ""))
            subprocess.run(["gcc", "-w", "-O0", *flags, "-o", str(exe), str(src), "-lutil", "-lpthread"], check=True)
            exes[f"{key}:{src.stem}"] = str(exe)
    return exes


@dataclass
class Report:
    results: list[ProgramResult]
    seconds: float

    @property
    def identical(self) -> int:
        return sum(r.identical for r in self.results)

    @property
    def total(self) -> int:
        return sum(r.total for r in self.results)

    @property
    def percent(self) -> float:
        return 100.0 * self.identical / self.total if self.total else 0.0

    def differing(self) -> Counter[str]:
        c: Counter[str] = Counter()
        for r in self.results:
            c.update(r.differing)
        return c

    def text(self, samples: int = 3) -> str:
        out = [f"syscope vs strace 6.1: {self.identical}/{self.total} normalised lines identical "
               f"({self.percent:.2f}%), {len(self.results)} programs, "
               f"{sum(r.processes for r in self.results)} processes, {self.seconds:.1f}s; "
               f"{sum(r.reordered for r in self.results)} more lines agree but in another order "
               f"(signal delivery / scheduling)"]
        out.append("per program:")
        for r in self.results:
            extra = ""
            if r.strace_rc != r.syscope_rc:
                extra += f" EXIT strace={r.strace_rc} syscope={r.syscope_rc}"
            if r.unpaired:
                extra += f" UNPAIRED {r.unpaired}"
            out.append(f"  {r.name:<16} {r.identical:>5}/{r.total:<5} {r.percent:6.2f}%  procs={r.processes} "
                       f"{r.seconds:.1f}s{extra}")
        diff = self.differing()
        if diff:
            out.append("differing lines by syscall: " + ", ".join(f"{n} {k}" for n, k in
                                                                    sorted(((k, n) for n, k in diff.items()),
                                                                           reverse=True)))
        for r in self.results:
            shown = 0
            for lab, a, b in r.samples:
                if shown >= samples:
                    break
                out.append(f"  [{r.name} {lab}]\n    strace:  {a}\n    syscope: {b}")
                shown += 1
        for r in self.results:
            if r.syscope_rc != r.strace_rc and r.syscope_stderr:
                out.append(f"  [{r.name}] syscope stderr: {r.syscope_stderr.strip()[-500:]}")
        return "\n".join(out)


def run_all(workers: int = 2, only: list[str] | None = None, keep: Path | None = None) -> Report:
    t0 = time.monotonic()
    base = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="syscope-diff-"))
    base.mkdir(parents=True, exist_ok=True)
    try:
        (base / "bin").mkdir(exist_ok=True)
        exes = compile_progs(base / "bin")
        progs = [p for p in programs() if not only or p.name in only]
        with ThreadPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(lambda p: run_program(p, base, exes), progs))
    finally:
        if keep is None:
            shutil.rmtree(base, ignore_errors=True)
    return Report(results, time.monotonic() - t0)

