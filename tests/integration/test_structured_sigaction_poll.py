"""Structured values of rt_sigaction's struct sigaction, poll/ppoll's struct pollfd array and
statfs's struct statfs on real C tracees under the ptrace decoder, and their round trip through
the one serializer."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import syscope
from syscope.events import SyscallEvent, event_from_dict

PROG = r"""
#define _GNU_SOURCE
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
static void on_usr1(int sig) { (void)sig; }
int main(void) {
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGUSR2);
    sigaddset(&sa.sa_mask, SIGTERM);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGUSR1, &sa, NULL);
    sa.sa_handler = SIG_IGN;
    sa.sa_flags = 0;
    sigaction(SIGUSR1, &sa, &old);
    int p[2];
    if (pipe(p)) return 1;
    if (write(p[1], "x", 1) != 1) return 2;
    struct pollfd f[3] = {{p[0], POLLIN, 0}, {p[1], POLLOUT, 0}, {-1, POLLIN, 0}};
    if (poll(f, 3, 1000) != 2) return 3;
    struct timespec t = {1, 0};
    if (ppoll(f, 1, &t, NULL) != 1) return 4;
    return 0;
}
"""


def test_sigaction_and_pollfd_values(build_c: Callable[..., Path]) -> None:
    exe = build_c("structured_sigaction_poll", PROG)
    evs = [e for e in syscope.trace([str(exe)]) if isinstance(e, SyscallEvent)]
    acts = [e for e in evs if e.name == "rt_sigaction" and e.raw_args[0] == 10]  # SIGUSR1
    assert len(acts) == 2
    first, second = (e.structured_args for e in acts)
    handler = first[1].value["sa_handler"]
    assert isinstance(handler, int) and handler not in (0, 1)  # the function's address
    assert first[1].value["sa_mask"] == ("SIGUSR2", "SIGTERM")
    assert "SA_RESTART" in first[1].value["sa_flags"] and "SA_RESTORER" in first[1].value["sa_flags"]
    assert isinstance(first[1].value["sa_restorer"], int)  # glibc sets SA_RESTORER and its address
    assert first[2].value is None  # oact NULL
    # the second call: the new action is SIG_IGN; the old one, written at exit, is the first's
    assert second[1].value["sa_handler"] == "SIG_IGN"
    assert second[2].value["sa_handler"] == handler
    assert second[2].value["sa_mask"] == ("SIGUSR2", "SIGTERM")

    (poll,) = [e for e in evs if e.name == "poll"]
    fds = poll.structured_args[0].value
    rfd, wfd = fds[0]["fd"], fds[1]["fd"]
    assert fds == [{"fd": rfd, "events": ("POLLIN",), "revents": ("POLLIN",)},
                   {"fd": wfd, "events": ("POLLOUT",), "revents": ("POLLOUT",)},
                   {"fd": -1, "events": ("POLLIN",), "revents": ()}]
    (ppoll,) = [e for e in evs if e.name == "ppoll"]
    assert ppoll.structured_args[0].value == [{"fd": rfd, "events": ("POLLIN",), "revents": ("POLLIN",)}]

    for ev in acts + [poll, ppoll]:
        back = event_from_dict(json.loads(json.dumps(ev.to_dict())))
        assert isinstance(back, SyscallEvent) and back.structured_args == ev.structured_args, ev.name


STATFS = r"""
#include <stdio.h>
#include <sys/vfs.h>
int main(int argc, char **argv) {
    struct statfs s;
    if (statfs(argv[1], &s)) return 1;
    printf("%ld %ld %ld %lx\n", (long)s.f_bsize, (long)s.f_blocks, (long)s.f_namelen, (long)s.f_type);
    return 0;
}
"""


def test_statfs_value(build_c: Callable[..., Path], tmp_path: Path) -> None:
    import subprocess

    exe = build_c("structured_statfs", STATFS)
    # what the program itself got from the kernel, to compare the decoder's value with
    bsize, blocks, namelen, ftype = subprocess.run([str(exe), str(tmp_path)], capture_output=True, text=True,
                                                   check=True).stdout.split()
    evs = [e for e in syscope.trace([str(exe), str(tmp_path)])
           if isinstance(e, SyscallEvent) and e.name == "statfs"]
    assert len(evs) == 1
    assert evs[0].structured_args[0].value == str(tmp_path)
    v = evs[0].structured_args[1].value
    assert (v["f_bsize"], v["f_blocks"], v["f_namelen"]) == (int(bsize), int(blocks), int(namelen))
    assert v["f_type"].endswith("_MAGIC") and evs[0].args[1].startswith(f"{{f_type={v['f_type']}, ")
    assert int(ftype, 16) > 0 and isinstance(v["f_flags"], tuple) and len(v["f_fsid"]) == 2
    back = event_from_dict(json.loads(json.dumps(evs[0].to_dict())))
    assert isinstance(back, SyscallEvent) and back.structured_args == evs[0].structured_args
