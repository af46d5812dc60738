"""The report counts what the syscall-knowledge layer says moves data: the I/O calls of
syscope.syscalls.roles, send(2)/recv(2) included (an i386 program's, through socketcall(2)), read
from the structured arguments of a real trace; a fork's child joins the process tree by clone's
flags (CLONE_THREAD unset)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import syscope
from syscope.events import SyscallEvent
from syscope.sinks.report import ReportSink
from syscope.syscalls import roles

PROG = r"""
#include <arpa/inet.h>
#include <linux/net.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
/* send(2)/recv(2) as i386 programs make them: socketcall(2) with SYS_SEND/SYS_RECV (linux/net.h) */
int main(void) {
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(s, (struct sockaddr *)&a, sizeof a)) return 1;
    socklen_t l = sizeof a;
    getsockname(s, (struct sockaddr *)&a, &l);
    if (connect(s, (struct sockaddr *)&a, sizeof a)) return 2;
    char buf[16];
    unsigned long sargs[4] = {(unsigned long)s, (unsigned long)"hello", 5, 0};
    unsigned long rargs[4] = {(unsigned long)s, (unsigned long)buf, sizeof buf, 0};
    if (syscall(SYS_socketcall, SYS_SEND, sargs) != 5) return 3;
    if (syscall(SYS_socketcall, SYS_RECV, rargs) != 5) return 4;
    pid_t c = fork();
    if (c == 0) _exit(0);
    waitpid(c, 0, 0);
    return 0;
}
"""


def test_report_counts_send_and_recv_by_their_roles(tmp_path: Path) -> None:
    src = tmp_path / "sc.c"
    src.write_text(PROG)
    exe = tmp_path / "sc"
    subprocess.run(["gcc", "-m32", "-static", "-O0", "-o", str(exe), str(src)], check=True)
    assert "send" in roles.IO_WRITE and "recv" in roles.IO_READ
    out = tmp_path / "r.html"
    sink = ReportSink(out)
    names = []
    for ev in syscope.trace([str(exe)], follow_forks=True):
        sink.handle(ev)
        if isinstance(ev, SyscallEvent):
            names.append(ev.name)
    data = sink.data()
    sink.close()
    assert "send" in names and "recv" in names
    [sock] = [s for s in data["sockets"] if s["key"].startswith("127.0.0.1:") and s["key"] != "127.0.0.1:0"]
    assert (sock["written"], sock["read"]) == (5, 5)
    procs = {p["pid"]: p for p in data["processes"]}
    children = [p for p in procs.values() if p.get("parent") in procs]
    assert len(children) == 1
