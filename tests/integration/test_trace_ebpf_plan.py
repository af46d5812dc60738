"""The eBPF tracer's capture plan (trace_plan.py) for argument kinds it has no rule of its own
for: the knowledge layer's data buffer of the call (``syscalls.roles``: an input sized by another
argument, an output sized by the return value) is copied, so the line shows the bytes as the
ptrace backend's does instead of an address."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

SYSCOPE = [sys.executable, "-m", "syscope"]


def test_data_buffers_by_their_roles(tmp_path: Path) -> None:
    target = tmp_path / "x"
    code = ("import os, socket\na, b = socket.socketpair()\na.send(b'plain')\n"
            f"os.getrandom(4)\nopen({str(target)!r}, 'w').close()\nos.setxattr({str(target)!r}, 'user.k', b'v')\n"
            f"os.getxattr({str(target)!r}, 'user.k')\n")
    out = tmp_path / "t"
    r = subprocess.run([*SYSCOPE, "--backend", "ebpf", "-e", "trace=sendto,getrandom,setxattr,getxattr", "-o", str(out),
                        "--", "/usr/bin/python3", "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    lines = [re.sub(r"\) +=", ") =", ln) for ln in out.read_text().splitlines()]
    assert 'sendto(3, "plain", 5, 0, NULL, 0) = 5' in lines
    assert any(re.fullmatch(r'getrandom\("(\\x[0-9a-f]{2}){4}", 4, 0\) = 4', ln) for ln in lines), lines
    assert f'setxattr("{target}", "user.k", "v", 1, 0) = 0' in lines
    assert any(ln.startswith(f'getxattr("{target}", "user.k", "v", ') for ln in lines), lines
    assert "capture plan does not copy" not in r.stderr


# pselect6's sixth argument points to a struct whose first word points to the signal mask
# (fs/select.c get_sigset_argpack): the plan follows that pointer (OP_PTRAT), 64-bit and i386.
PSELECT_C = r"""
#define _GNU_SOURCE
#include <signal.h>
#include <sys/select.h>
#include <unistd.h>
int main(void) {
    int p[2];
    pipe(p);
    write(p[1], "x", 1);
    fd_set r;
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    struct timespec ts = {0, 1000};
    sigset_t m;
    sigemptyset(&m);
    sigaddset(&m, SIGUSR1);
    sigaddset(&m, SIGTERM);
    pselect(p[0] + 1, &r, NULL, NULL, &ts, &m);
    pselect(p[0] + 1, &r, NULL, NULL, &ts, NULL);
    return 0;
}
"""


def test_pselect6_sigmask_is_followed(build_c, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for exe in (build_c("ebpf_pselect", PSELECT_C), build_c("ebpf_pselect32", PSELECT_C, "-m32")):
        lines = {}
        for backend in ("ptrace", "ebpf"):
            out = tmp_path / backend
            r = subprocess.run([*SYSCOPE, "--backend", backend, "-e", "trace=pselect6,pselect6_time64", "-o", str(out),
                                "--", str(exe)], capture_output=True, text=True, timeout=60)
            assert r.returncode == 0, r.stderr
            lines[backend] = [re.sub(r"left \{[^}]*\}", "left T", re.sub(r"\) +=", ") =", ln))
                              for ln in out.read_text().splitlines()]
        assert lines["ebpf"] == lines["ptrace"]
        assert "{sigmask=[USR1 TERM], sigsetsize=8}" in lines["ebpf"][0]
        assert "{sigmask=NULL, sigsetsize=8}" in lines["ebpf"][1]


# clone3 writes the child's pidfd and tid through two pointers of its struct clone_args: strace
# prints them after the struct ("=> {pidfd=[N], parent_tid=[N]}"); the plan follows both.
CLONE3_C = r"""
#define _GNU_SOURCE
#include <linux/sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void) {
    int pidfd = -1;
    pid_t ptid = 0;
    struct clone_args a = {0};
    a.flags = CLONE_PIDFD | CLONE_PARENT_SETTID;
    a.pidfd = (uint64_t)(uintptr_t)&pidfd;
    a.parent_tid = (uint64_t)(uintptr_t)&ptid;
    a.exit_signal = SIGCHLD;
    long r = syscall(SYS_clone3, &a, sizeof a);
    if (r == 0)
        _exit(0);
    waitpid(r, NULL, 0);
    return 0;
}
"""


def test_clone3_pidfd_and_parent_tid_are_followed(build_c, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    exe = build_c("ebpf_clone3", CLONE3_C)
    lines = {}
    for backend in ("ptrace", "ebpf"):
        out = tmp_path / backend
        r = subprocess.run([*SYSCOPE, "--backend", backend, "-e", "trace=clone3", "-o", str(out), "--", str(exe)],
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stderr
        lines[backend] = [re.sub(r"\b\d{3,}\b", "N", re.sub(r"0x[0-9a-f]+", "ADDR", ln))
                          for ln in out.read_text().splitlines()]
    assert lines["ebpf"] == lines["ptrace"]
    assert re.search(r"=> \{pidfd=\[\d+\], parent_tid=\[N\]\}", lines["ebpf"][0]), lines["ebpf"]
