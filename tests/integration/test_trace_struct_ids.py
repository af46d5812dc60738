"""Pids and descriptors inside structures and command-dependent arguments, on a real program in
a pid namespace of its own, with strace 6.1 as the oracle for every line: --pidns-translation
translates the pid fields (f_owner_ex, F_SETOWN/F_GETOWN, capget's header, struct ucred,
sockaddr_nl, clone's result, waitid's P_PGID), -y decorates the descriptors (kcmp's, the
pidfd CLONE_PIDFD stores, waitid's P_PIDFD) also when /proc belongs to another pid namespace
than the tracer's, and -P selects fsconfig(2) only by the arguments its command makes a path
or a descriptor."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

SYSCOPE = [sys.executable, "-m", "syscope"]
NEW_PIDNS = ["unshare", "--user", "--map-root-user", "--pid", "--fork"]

IDS_C = r"""
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/kcmp.h>
#include <linux/netlink.h>
#include <sched.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#ifndef P_PIDFD
# define P_PIDFD 3
#endif

int main(void)
{
    int fd = open("/dev/null", O_RDONLY);
    pid_t pid = getpid();
    struct f_owner_ex owner = { F_OWNER_PID, pid };
    fcntl(fd, F_SETOWN_EX, &owner);
    fcntl(fd, F_GETOWN_EX, &owner);
    fcntl(fd, F_SETOWN, pid);
    syscall(SYS_fcntl, fd, F_GETOWN);  /* glibc's fcntl() asks F_GETOWN_EX */
    syscall(SYS_kcmp, pid, pid, KCMP_FILE, fd, fd);
    struct __user_cap_header_struct cap_header = { _LINUX_CAPABILITY_VERSION_3, pid };
    struct __user_cap_data_struct cap_data[2];
    syscall(SYS_capget, &cap_header, cap_data);
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    struct ucred cred;
    socklen_t len = sizeof(cred);
    getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &cred, &len);
    struct sockaddr_nl nl = { .nl_family = AF_NETLINK, .nl_pid = pid };
    connect(-1, (struct sockaddr *) &nl, sizeof(nl));
    /* the child waits for the pipe to close: its exit is not printed before the clone's end */
    int p[2];
    pipe(p);
    int pidfd = -1;
    pid_t child = syscall(SYS_clone, CLONE_PIDFD | SIGCHLD, 0, &pidfd, 0, 0);
    if (child == 0) {
        char c;
        close(p[1]);
        read(p[0], &c, 1);
        _exit(0);
    }
    close(p[1]);
    waitpid(child, 0, 0);
    /* waitid's id is what its idtype says: a pidfd, a process group (its own: pgid 1 inside) */
    siginfo_t info;
    setpgid(0, 0);
    waitid(P_PIDFD, pidfd, &info, WEXITED | WNOHANG);
    waitid(P_PGID, getpgid(0), &info, WEXITED | WNOHANG);
    return 0;
}
"""

FSCONFIG_C = r"""
#include <fcntl.h>
#include <linux/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
    int fd = open("/dev/full", O_WRONLY);
    /* selected: the value is the path, or aux a descriptor open on it */
    syscall(SYS_fsconfig, -1, FSCONFIG_SET_PATH, "source", "/dev/full", AT_FDCWD);
    syscall(SYS_fsconfig, -1, FSCONFIG_SET_FD, "source", 0, fd);
    /* not selected: the context descriptor, a key, a string value never name a file */
    syscall(SYS_fsconfig, fd, FSCONFIG_SET_FD, "source", 0, -1);
    syscall(SYS_fsconfig, -1, FSCONFIG_SET_PATH, "/dev/full", "/", AT_FDCWD);
    syscall(SYS_fsconfig, -1, FSCONFIG_SET_STRING, "source", "/dev/full", 0);
    syscall(SYS_fsconfig, fd, FSCONFIG_CMD_CREATE, 0, 0, 0);
    return 0;
}
"""

IDS_CALLS = ["-e", "trace=fcntl,kcmp,capget,getsockopt,connect,clone,waitid", "-e", "signal=none"]


def _build(tmp_path: Path, name: str, source: str) -> Path:
    exe = tmp_path / name
    subprocess.run(["gcc", "-O0", "-o", str(exe), "-x", "c", "-"], input=source, text=True, check=True)
    return exe


def _trace(tool: list[str], tmp_path: Path, name: str, options: list[str], command: list[str],
           wrap: list[str] | None = None) -> list[str]:
    out = tmp_path / name
    r = subprocess.run([*(wrap or []), *tool, *options, "-o", str(out), *command],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return out.read_text().splitlines()


def _shape(lines: list[str]) -> list[str]:
    """The lines with the tracer's pids (each line's prefix) as P0, P1... in order of first
    appearance, addresses as 0xA and socket inodes as N: what differs between two runs.  A
    number before ``<`` is a descriptor (every one is decorated here), never a pid."""
    names: dict[str, str] = {}
    for ln in lines:
        names.setdefault(ln.split()[0], f"P{len(names)}")
    out = []
    for ln in lines:
        ln = re.sub(r"socket:\[\d+\]", "socket:[N]", re.sub(r"0x[0-9a-f]+", "0xA", " ".join(ln.split())))
        out.append(re.sub(r"(?<![\w.])\d+(?![\w.<])", lambda m: names.get(m.group(0), m.group(0)), ln))
    return out


def test_pids_in_structs_are_translated(tmp_path: Path) -> None:
    exe = _build(tmp_path, "ids", IDS_C)
    options = ["-f", "-y", "--pidns-translation", *IDS_CALLS]
    ours = _shape(_trace(SYSCOPE, tmp_path, "ours", options, [*NEW_PIDNS, str(exe)]))
    # pid 1 inside is P1 (P0 is unshare) outside: every pid field says so
    assert "P1 fcntl(3</dev/null>, F_SETOWN_EX, {type=F_OWNER_PID, pid=1 /* P1 in strace's PID NS */}) = 0" in ours
    assert "P1 fcntl(3</dev/null>, F_SETOWN, 1 /* P1 in strace's PID NS */) = 0" in ours
    assert any("SO_PEERCRED, {pid=1 /* P1 in strace's PID NS */, uid=0, gid=0}" in ln for ln in ours)
    assert any("capget({version=_LINUX_CAPABILITY_VERSION_3, pid=1 /* P1 in strace's PID NS */}" in ln for ln in ours)
    assert any("nl_pid=1 /* P1 in strace's PID NS */" in ln for ln in ours)
    assert any("waitid(P_PGID, 1 /* P1 in strace's PID NS */, " in ln for ln in ours)
    theirs = _shape(_trace(["strace"], tmp_path, "theirs", options, [*NEW_PIDNS, str(exe)]))
    assert ours == theirs


def test_descriptors_decorated_when_proc_is_another_namespaces(tmp_path: Path) -> None:
    # the tracer in a new pid namespace, /proc still the outer one: its pids are not /proc's
    exe = _build(tmp_path, "ids", IDS_C)
    options = ["-f", "-y", *IDS_CALLS]
    ours = _shape(_trace(SYSCOPE, tmp_path, "ours", options, [str(exe)], wrap=NEW_PIDNS))
    assert "P0 kcmp(P0, P0, KCMP_FILE, 3</dev/null>, 3</dev/null>) = 0" in ours
    assert any("flags=CLONE_PIDFD|SIGCHLD, parent_tid=[8<anon_inode:[pidfd]>])" in ln for ln in ours)
    assert any("waitid(P_PIDFD, 8<anon_inode:[pidfd]>, " in ln for ln in ours)
    theirs = _shape(_trace(["strace"], tmp_path, "theirs", options, [str(exe)], wrap=NEW_PIDNS))
    assert ours == theirs


def test_path_filter_follows_fsconfig_commands(tmp_path: Path) -> None:
    exe = _build(tmp_path, "fsconfig", FSCONFIG_C)
    options = ["-y", "-P", "/dev/full", "-e", "trace=fsconfig"]
    ours = _trace(SYSCOPE, tmp_path, "ours", options, [str(exe)])
    calls = [ln.split(",")[:2] for ln in ours if ln.startswith("fsconfig(")]
    assert calls == [["fsconfig(-1", " FSCONFIG_SET_PATH"], ["fsconfig(-1", " FSCONFIG_SET_FD"]], ours
    assert ours == _trace(["strace"], tmp_path, "theirs", options, [str(exe)])
