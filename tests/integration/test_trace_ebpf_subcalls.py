"""The eBPF tracer's capture plan (trace_plan.py) on the calls it used to copy too little for,
against the ptrace backend's lines on the same real programs, 64-bit and i386 (tests/differential/
progs, built here): System V IPC (struct sembuf arrays, struct msgbuf, the *ctl structs; on i386
through the ipc(2) multiplexer), the i386 calls that print as others (chown32, the *_time64 calls),
mount's strings, memfd_create's name, process_vm_readv's remote iovecs."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

SYSCOPE = [sys.executable, "-m", "syscope"]
PROGS = Path(__file__).resolve().parents[1] / "differential" / "progs"

# what differs between two runs of a program, not between the backends
_NORMALISE = [
    (re.compile(r"\) +="), ") ="),
    (re.compile(r"0x[0-9a-f]{5,}"), "ADDR"),
    # IPC ids the *get calls return and the other calls take
    (re.compile(r"^((?:msg|sem|shm)get\(.*\) = )\d+$"), r"\1ID"),
    (re.compile(r"^((?:msg|sem|shm)ctl|shmat|msgsnd|msgrcv|semop|semtimedop)\(\d+"), r"\1(ID"),
    # the times and pids an IPC_STAT reports
    (re.compile(r"\b(msg_[src]time|sem_[oc]time|shm_[adc]time|msg_l[sr]pid|shm_[cl]pid)=\d+"), r"\1=N"),
    (re.compile(r"\b(process_vm_readv|process_vm_writev|kill)\(\d+"), r"\1(PID"),
]


def _norm(line: str) -> str:
    for pat, rep in _NORMALISE:
        line = pat.sub(rep, line)
    return line


def _both(exe: Path, tmp_path: Path, *opts: str) -> dict[str, list[str]]:
    lines = {}
    for backend in ("ptrace", "ebpf"):
        out = tmp_path / f"{exe.name}.{backend}"
        r = subprocess.run([*SYSCOPE, "--backend", backend, *opts, "-o", str(out), "--", str(exe)],
                           capture_output=True, text=True, timeout=120, cwd=tmp_path)
        assert r.returncode == 0, r.stderr
        lines[backend] = [_norm(ln) for ln in out.read_text().splitlines()]
        if backend == "ebpf":
            assert "capture plan does not copy" not in r.stderr, r.stderr
    return lines


IPC_CALLS = "trace=msgget,msgsnd,msgrcv,msgctl,semget,semctl,semop,semtimedop,shmget,shmat,shmctl,shmdt"


@pytest.mark.parametrize("flags", [(), ("-m32",)], ids=["x86_64", "i386"])
def test_sysv_ipc_as_ptrace(build_c, tmp_path: Path, flags: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    exe = build_c("plan_sysv" + "".join(flags), (PROGS / "sysv.c").read_text(), *flags)
    lines = _both(exe, tmp_path, "-v", "-e", IPC_CALLS)
    assert lines["ebpf"] == lines["ptrace"]
    text = "\n".join(lines["ebpf"])
    assert 'msgsnd(ID, {mtype=7, mtext="hello\\0"}, 6, 0) = 0' in text
    assert "semop" in text or "semtimedop(ID, [{sem_num=0, sem_op=1, sem_flg=0}" in text, text
    assert re.search(r"shmctl\(ID, (IPC_64\|)?IPC_STAT, \{shm_perm=\{uid=0", text), text
    if flags:  # through ipc(2): semctl's union semun and msgrcv's struct ipc_kludge read at ptr
        assert "semctl(ID, 1, IPC_64|SETVAL, [0x3]) = 0" in text
        assert 'msgrcv(ID, {mtype=7, mtext="hello' in text
        assert re.search(r"^shmat\(ID, NULL, SHM_RDONLY\) = ADDR$", text, re.M), text


@pytest.mark.parametrize("flags", [(), ("-m32",)], ids=["x86_64", "i386"])
def test_sockets_as_ptrace(build_c, tmp_path: Path, flags: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    # sendmmsg/recvmmsg's struct mmsghdr arrays (each message's msghdr, iovecs and buffers); an
    # i386 C library's socket calls through socketcall(2), whose arguments are an array
    exe = build_c("plan_net" + "".join(flags), (PROGS / "net.c").read_text(), *flags)
    lines = _both(exe, tmp_path, "-e", "trace=%network")
    ports = re.compile(r"sin_port=htons\(\d+\)|pid=\d+")
    assert [ports.sub("", ln) for ln in lines["ebpf"]] == [ports.sub("", ln) for ln in lines["ptrace"]]
    text = "\n".join(lines["ebpf"])
    assert "socketcall" not in text
    one, second = r'\{iov_base="one", iov_len=%d\}', r'\{iov_base="second", iov_len=%d\}'
    assert re.search(r"^sendmmsg\(3, \[\{msg_hdr=\{msg_name=NULL, msg_namelen=0, msg_iov=\[" + one % 3
                     + r".*msg_len=3\}, \{msg_hdr=.*" + second % 6 + r".*msg_len=6\}\], 2, 0\) = 2$", text, re.M), text
    assert re.search(r"^recvmmsg(_time64)?\(4, \[\{msg_hdr=.*" + one % 8 + r".*msg_len=3\}, .*" + second % 8
                     + r".*msg_len=6\}\], 2, MSG_DONTWAIT, NULL\) = 2$", text, re.M), text
    assert re.search(r"^socket\(AF_INET, SOCK_DGRAM, IPPROTO_UDP\) = 3$", text, re.M), text


def test_sysv_ipc_zero_flags_as_ptrace(build_c, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # msgsnd of an empty message: struct msgbuf's mtype and its padded first byte only
    for flags in ((), ("-m32",)):
        exe = build_c("plan_zeroflags" + "".join(flags), (PROGS / "zeroflags.c").read_text(), *flags)
        lines = _both(exe, tmp_path, "-e", IPC_CALLS)
        assert lines["ebpf"] == lines["ptrace"]
        assert 'msgsnd(-1, {mtype=0, mtext=""}, 0, 0) = -1 EINVAL (Invalid argument)' in lines["ebpf"]


@pytest.mark.parametrize("flags", [(), ("-m32",)], ids=["x86_64", "i386"])
def test_rare_calls_as_ptrace(build_c, tmp_path: Path, flags: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    # mount's type and data strings, process_vm_readv's remote iovecs, i386's getresuid32 and
    # the *_time64 calls (no signature of their own: they print as the calls they mirror)
    exe = build_c("plan_rare" + "".join(flags), (PROGS / "rare.c").read_text(), *flags)
    calls = "trace=mount,process_vm_readv,getresuid,getresuid32,sched_rr_get_interval,sched_rr_get_interval_time64"
    lines = _both(exe, tmp_path, "-e", calls)
    assert lines["ebpf"] == lines["ptrace"]
    text = "\n".join(lines["ebpf"])
    assert 'mount("none", "/nonexistent", "tmpfs", MS_NOSUID|MS_NODEV, "size=1m")' in text
    assert "[{iov_base=ADDR, iov_len=8}], 1, 0) = 8" in text
    assert re.search(r"getresuid(32)?\(\[0\], \[0\], \[0\]\) = 0", text), text


def test_i386_calls_printed_as_others(build_c, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    exe = build_c("plan_stat_m32", (PROGS / "stat.c").read_text(), "-m32")
    lines = _both(exe, tmp_path, "-e", "trace=chown32,lchown32,fchownat")
    assert lines["ebpf"] == lines["ptrace"]
    assert 'chown32("file", -1, 0) = 0' in lines["ebpf"]
    exe = build_c("plan_fds", (PROGS / "fds.c").read_text())
    lines = _both(exe, tmp_path, "-e", "trace=memfd_create")
    assert lines["ebpf"] == lines["ptrace"]
    assert lines["ebpf"][0].startswith('memfd_create("scratch", ')


# structs read at entry whose size field says how much to print, and which the kernel may rewrite
# (E2BIG: the size it supports): sched_setattr/sched_getattr's struct sched_attr, perf_event_open's
# struct perf_event_attr
ATTR_C = r"""
#define _GNU_SOURCE
#include <linux/perf_event.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
struct attr { uint32_t size, policy; uint64_t flags; int32_t nice; uint32_t prio;
              uint64_t runtime, deadline, period; uint32_t umin, umax; char tail[8]; };
int main(void) {
    struct attr a;
    memset(&a, 0, sizeof a);
    syscall(SYS_sched_getattr, 0, &a, 56, 0);
    a.nice = 1;
    syscall(SYS_sched_setattr, 0, &a, 0);
    memset(&a, 0, sizeof a);
    a.size = sizeof a;          /* 64: more than the kernel knows, a non-zero tail: E2BIG */
    a.tail[0] = 1;
    syscall(SYS_sched_setattr, 0, &a, 0);
    struct perf_event_attr pe;
    memset(&pe, 0, sizeof pe);
    pe.size = sizeof pe;
    pe.type = PERF_TYPE_SOFTWARE;
    pe.config = PERF_COUNT_SW_TASK_CLOCK;
    pe.disabled = 1;
    int fd = syscall(SYS_perf_event_open, &pe, 0, -1, -1, 0);
    if (fd >= 0)
        close(fd);
    return 0;
}
"""


@pytest.mark.parametrize("flags", [(), ("-m32",)], ids=["x86_64", "i386"])
def test_sized_structs_as_ptrace(build_c, tmp_path: Path, flags: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    exe = build_c("plan_attr" + "".join(flags), ATTR_C, *flags)
    lines = _both(exe, tmp_path, "-e", "trace=sched_getattr,sched_setattr,perf_event_open")
    assert lines["ebpf"] == lines["ptrace"]
    text = "\n".join(lines["ebpf"])
    assert re.search(r"^sched_getattr\(0, \{size=56, sched_policy=SCHED_OTHER, ", text, re.M), text
    assert re.search(r"^sched_setattr\(0, \{size=64, .* => \{size=56\}, 0\) = -1 E2BIG", text, re.M), text
    assert re.search(r"^perf_event_open\(\{type=PERF_TYPE_SOFTWARE, size=", text, re.M), text


def test_subcalls_selected_by_their_names(build_c, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # -e trace= names the calls an i386 socketcall(2)/ipc(2) stands for: the eBPF backend shows
    # the ones named, as the ptrace backend does (not every call of a multiplexer one is named)
    ports = re.compile(r"sin_port=htons\(\d+\)|pid=\d+")
    exe = build_c("plan_net-m32", (PROGS / "net.c").read_text(), "-m32")
    lines = _both(exe, tmp_path, "-e", "trace=connect,bind,send,recv,close")
    assert [ports.sub("", ln) for ln in lines["ebpf"]] == [ports.sub("", ln) for ln in lines["ptrace"]]
    names = {ln.split("(")[0] for ln in lines["ebpf"] if "(" in ln}
    assert names == {"connect", "bind", "send", "recv", "close"}, names
    exe = build_c("plan_sysv-m32", (PROGS / "sysv.c").read_text(), "-m32")
    lines = _both(exe, tmp_path, "-e", "trace=msgsnd,semtimedop,shmat")
    assert lines["ebpf"] == lines["ptrace"]
    assert {ln.split("(")[0] for ln in lines["ebpf"] if "(" in ln} == {"msgsnd", "semtimedop", "shmat"}


def test_directory_longer_than_one_copy(tmp_path: Path) -> None:
    # getdents64 writes ~9.6 KiB for these 300 names: more than one copy takes (CAP_MAX), copied in
    # two parts the decoder reads as one buffer
    d = tmp_path / "many"
    d.mkdir()
    for k in range(300):
        (d / f"e{k:04d}").touch()  # a 32-byte struct linux_dirent64 each
    lines = {}
    for backend in ("ptrace", "ebpf"):
        out = tmp_path / backend
        r = subprocess.run([*SYSCOPE, "--backend", backend, "-e", "trace=getdents64", "-o", str(out), "--",
                            "/bin/ls", "-f", str(d)], capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stderr
        lines[backend] = [_norm(ln) for ln in out.read_text().splitlines()]
    assert lines["ebpf"] == lines["ptrace"]
    got = re.search(r"^getdents64\(3, ADDR /\* (\d+) entries \*/, \d+\) = (\d+)$", lines["ebpf"][0])
    assert got is not None and int(got.group(1)) == 302 and int(got.group(2)) > 8184, lines["ebpf"]
