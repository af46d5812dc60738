"""``syscope --backend ebpf`` on calls that repeat: the kernel sends a run of repeated calls as one
record (trace.bpf.c in_run), and every call of it must still be printed, in its place among the
thread's other lines, signals and other threads' lines, and without waiting for the run to end."""

from __future__ import annotations

import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

SYSCOPE = [sys.executable, "-m", "syscope"]

# A run of one call, a signal in its middle, a run of two alternating calls, a call that breaks
# the pattern, the pattern again, and a run cut by a fork (tlive: two tasks, nothing kept back).
RUNS_C = r"""
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
static void on_usr1(int sig) { (void)sig; }
int main(int argc, char **argv) {
    int n = atoi(argv[1]);
    signal(SIGUSR1, on_usr1);
    for (int i = 0; i < n; i++) {
        getppid();
        if (i == n / 2)
            kill(getpid(), SIGUSR1);
    }
    for (int i = 0; i < n; i++) {
        getppid();
        getpgrp();
        if (i == n / 3)
            getuid();
    }
    for (int i = 0; i < 7; i++)
        getppid();
    pid_t p = fork();
    for (int i = 0; i < n; i++)
        getppid();
    if (p == 0)
        _exit(0);
    waitpid(p, NULL, 0);
    for (int i = 0; i < n; i++)
        getpgrp();
    return 0;
}
"""


def _normal(text: str, exe: str) -> list[str]:
    out = []
    for ln in text.replace(exe, "PROG").splitlines():
        ln = re.sub(r"0x[0-9a-f]{6,}", "ADDR", ln)
        ln = re.sub(r"\b\d{3,7}\b", "N", ln)
        out.append(re.sub(r"\) +=", ") =", ln))
    return out


def test_runs_of_repeated_calls_print_every_call_in_place(build_c, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    exe = build_c("ebpf_runs", RUNS_C)
    texts = {}
    for backend in ("ptrace", "ebpf"):
        out = tmp_path / backend
        r = subprocess.run([*SYSCOPE, "--backend", backend, "-o", str(out), "--", str(exe), "3000"],
                           capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stderr
        texts[backend] = _normal(out.read_text(), str(exe))
    # SIGCHLD comes where the untraced child's exit falls among the parent's calls: each run
    # has its own place for it
    ebpf, ptrace = ([ln for ln in texts[b] if not ln.startswith("--- SIGCHLD")] for b in ("ebpf", "ptrace"))
    assert ebpf == ptrace
    assert sum(1 for ln in texts["ebpf"] if ln.startswith("--- SIGCHLD")) == 1
    # the signal between the 1501st and the 1502nd getppid, as ptrace stops show it
    sig = next(i for i, ln in enumerate(ebpf) if ln.startswith("--- SIGUSR1"))
    assert ebpf[sig - 1].startswith("kill(N, SIGUSR1) = 0")
    assert sum(1 for ln in ebpf[:sig] if ln.startswith("getppid()")) == 1501
    assert sum(1 for ln in ebpf if ln.startswith("getppid()")) == 3000 + 3000 + 7 + 3000
    assert sum(1 for ln in ebpf if ln.startswith("getpgrp()")) == 3000 + 3000


def test_runs_with_follow_forks_keep_each_process_whole(build_c, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    exe = build_c("ebpf_runs", RUNS_C)
    out = tmp_path / "t"
    r = subprocess.run([*SYSCOPE, "--backend", "ebpf", "-f", "-o", str(out), "--", str(exe), "5000"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    per_pid: dict[str, list[str]] = {}
    for ln in out.read_text().splitlines():
        pid, _, rest = ln.partition(" ")
        per_pid.setdefault(pid, []).append(rest.strip())
    parent, child = sorted(per_pid.values(), key=len, reverse=True)
    # the parent's calls before the fork went out before the child's first line could
    assert sum(1 for ln in parent if ln.startswith("getppid()")) == 5000 + 5000 + 7 + 5000
    assert sum(1 for ln in parent if ln.startswith("getpgrp()")) == 5000 + 5000
    assert sum(1 for ln in child if ln.startswith("getppid()")) == 5000
    assert "lost" not in r.stderr


def _read_lines_until(stream, want: int, prefix: str, deadline: float) -> int:  # type: ignore[no-untyped-def]
    seen = 0
    buf = b""
    while seen < want and time.monotonic() < deadline:
        ready, _, _ = select.select([stream], [], [], 1.0)
        if not ready:
            continue
        chunk = stream.read1(65536) if hasattr(stream, "read1") else stream.read(65536)
        if not chunk:
            break
        buf += chunk
        *lines, buf = buf.split(b"\n")
        seen += sum(1 for ln in lines if ln.startswith(prefix.encode()))
    return seen


def test_a_run_is_printed_when_its_thread_blocks(tmp_path: Path) -> None:
    # the victim makes 5000 getppid calls and then waits on its stdin for good: nothing ends the
    # run but the thread being switched out (sched_switch), so the lines come while it waits
    code = "import os, sys\nsys.stdin.buffer.read(1)\nfor _ in range(5000): os.getppid()\nsys.stdin.buffer.read(1)"
    victim = subprocess.Popen(["/usr/bin/python3", "-c", code], stdin=subprocess.PIPE)
    tracer = None
    try:
        tracer = subprocess.Popen([*SYSCOPE, "--backend", "ebpf", "-p", str(victim.pid)], stderr=subprocess.PIPE)
        assert tracer.stderr is not None
        first = tracer.stderr.readline()  # "Process N attached": the programs are in place
        assert b"attached" in first
        assert victim.stdin is not None
        victim.stdin.write(b"x")
        victim.stdin.flush()
        seen = _read_lines_until(tracer.stderr, 5000, "getppid()", time.monotonic() + 60)
        assert seen == 5000
        assert victim.poll() is None  # it still waits: the lines came from the run it ended on
    finally:
        if tracer is not None:
            tracer.send_signal(signal.SIGINT)
            tracer.communicate(timeout=60)
        victim.kill()
        victim.wait()


def test_a_thread_that_never_blocks_still_shows_its_run(tmp_path: Path) -> None:
    # one call over and over, never waiting: the run goes out at its first call after 0.1 s or
    # when the thread is preempted, so lines keep coming while it runs
    victim = subprocess.Popen(["/usr/bin/python3", "-c", "import os\nwhile True: os.getppid()"])
    tracer = None
    try:
        tracer = subprocess.Popen([*SYSCOPE, "--backend", "ebpf", "-p", str(victim.pid)], stderr=subprocess.PIPE)
        assert tracer.stderr is not None
        assert _read_lines_until(tracer.stderr, 10000, "getppid()", time.monotonic() + 60) >= 10000
    finally:
        if tracer is not None:
            tracer.send_signal(signal.SIGINT)
            _, rest = tracer.communicate(timeout=60)
            assert rest.endswith(f"syscope: Process {victim.pid} detached\n".encode())
        victim.kill()
        victim.wait()


# Calls that repeat all but the byte or few they read or write (trace.bpf.c: a varying run, each
# call's word kept): reads and writes a byte at a time with a signal in their middle, 8-byte reads
# (the most a varying call may copy), 3-byte reads broken by another call every 700, and 9-byte
# reads (too many bytes: a record each).  More calls than a varying run keeps (VALS) in each.
VARYING_C = r"""
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
static void on_usr1(int sig) { (void)sig; }
int main(int argc, char **argv) {
    int n = atoi(argv[1]);
    int in = open(argv[2], O_RDONLY), out = open("/dev/null", O_WRONLY);
    unsigned char c[16];
    signal(SIGUSR1, on_usr1);
    for (int i = 0; i < n; i++) {
        read(in, c, 1);
        write(out, c, 1);
        if (i == n / 2)
            kill(getpid(), SIGUSR1);
    }
    for (int i = 0; i < n; i++)
        read(in, c, 8);
    for (int i = 0; i < n; i++) {
        read(in, c, 3);
        if (i % 700 == 0)
            getppid();
    }
    for (int i = 0; i < 100; i++)
        read(in, c, 9);
    return 0;
}
"""


def test_runs_of_calls_differing_in_their_bytes_print_every_call(build_c, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import random

    exe = build_c("ebpf_varying_runs", VARYING_C)
    data = tmp_path / "data"
    n = 1500
    data.write_bytes(random.Random(15).randbytes(n * (1 + 8 + 3) + 900))
    texts = {}
    for backend in ("ptrace", "ebpf"):
        out = tmp_path / backend
        r = subprocess.run([*SYSCOPE, "--backend", backend, "-o", str(out), "--", str(exe), str(n), str(data)],
                           capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stderr
        texts[backend] = _normal(out.read_text(), str(exe))
    assert texts["ebpf"] == texts["ptrace"]
    ebpf = texts["ebpf"]
    assert sum(1 for ln in ebpf if re.match(r'read\(3, ".*", ([1389])\) = \1$', ln)) == 3 * n + 100
    assert sum(1 for ln in ebpf if ln.startswith("write(4, ")) == n
    sig = ebpf.index(next(ln for ln in ebpf if ln.startswith("--- SIGUSR1")))
    assert ebpf[sig - 1].startswith("kill(N, SIGUSR1) = 0")
    assert sum(1 for ln in ebpf[:sig] if ln.startswith("write(4, ")) == n // 2 + 1


# Runs the kernel counts without making each call's record (trace.bpf.c run_fast): it rereads
# the bytes a call copies and compares them with its run's, so a change in the middle of a run
# (a 20-byte write whose bytes change now and then, a one-byte write that is the same byte for a
# while) must end the run there, and a call with other arguments or another result too.
CHANGING_C = r"""
#include <fcntl.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
int main(int argc, char **argv) {
    int n = atoi(argv[1]), fd = open("/dev/null", O_WRONLY);
    struct timespec ts = {0, 1000};
    /* a call with an entry-time copy (never part of a run) between repeats: runs of back 2 and
     * one call, with no record of the call before */
    for (int i = 0; i < 50; i++) {
        nanosleep(&ts, NULL);
        getppid();
    }
    char buf[64] = "twenty bytes of text", one = 'A';  /* up to '|': printable */
    for (int i = 0; i < n; i++) {
        if (i % 37 == 36)
            buf[i % 20] ^= 1;
        write(fd, buf, 20);
        if (i % 50 == 49)
            one++;
        write(fd, &one, 1);
        if (i % 101 == 100)
            write(fd, buf, 19);
        if (i % 131 == 130)
            write(fd, buf, 64);
    }
    return 0;
}
"""


def test_runs_end_where_the_copied_bytes_arguments_or_result_change(build_c, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    exe = build_c("ebpf_changing_runs", CHANGING_C)
    n = 3000
    texts = {}
    for backend in ("ptrace", "ebpf"):
        out = tmp_path / backend
        r = subprocess.run([*SYSCOPE, "--backend", backend, "-o", str(out), "--", str(exe), str(n)],
                           capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stderr
        texts[backend] = _normal(out.read_text(), str(exe))
    assert texts["ebpf"] == texts["ptrace"]
    ebpf = texts["ebpf"]
    assert sum(1 for ln in ebpf if re.match(r'write\(3, ".*", 20\) = 20$', ln)) == n
    assert len({ln for ln in ebpf if re.match(r'write\(3, ".+", 1\) = 1$', ln)}) == n // 50 + 1


# A run kept while the tree has other tasks (trace.bpf.c REC_RUNOPEN): the parent calls getppid()
# over and over, counting its calls in shared memory; the child, woken by a timer, passes that
# count to a call of its own (lseek(-1, COUNT, SEEK_SET)), so its line must come after at least
# COUNT of the parent's getppid() lines -- whatever the kernel held back as the parent's run.
CONCURRENT_C = r"""
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
int main(int argc, char **argv) {
    volatile long *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    int n = atoi(argv[1]);
    pid_t p = fork();
    if (p == 0) {
        struct timespec ts = {0, 3000000};
        for (int i = 0; i < n; i++) {
            nanosleep(&ts, NULL);
            lseek(-1, shared[0], SEEK_SET);
        }
        shared[1] = 1;
        _exit(0);
    }
    while (!shared[1]) {
        getppid();
        shared[0]++;
    }
    waitpid(p, NULL, 0);
    return 0;
}
"""


def test_a_run_beside_another_task_keeps_the_order_of_lines(build_c, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    exe = build_c("ebpf_concurrent_runs", CONCURRENT_C)
    out = tmp_path / "t"
    r = subprocess.run([*SYSCOPE, "--backend", "ebpf", "-f", "-o", str(out), "--", str(exe), "40"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    lines = out.read_text().splitlines()
    parent = lines[0].split()[0]
    calls = 0
    seen = []
    for ln in lines:
        pid, _, rest = ln.partition(" ")
        rest = rest.strip()
        if pid == parent and rest.startswith("getppid()"):
            calls += 1
        m = re.match(r"lseek\(-1, (\d+), SEEK_SET\) += -1 EBADF", rest)
        if m:
            assert calls >= int(m.group(1)), (calls, ln)
            seen.append(int(m.group(1)))
    assert len(seen) == 40
    # the parent's calls went out as runs, not a record each: the count grew by thousands
    # between the child's calls, all printed
    assert calls >= seen[-1] > 1000
    assert "lost" not in r.stderr
