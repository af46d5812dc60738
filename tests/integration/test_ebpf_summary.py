"""Kernel-counted summary (eBPF) against the real strace -c -f, on real programs."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.cprogs import INT80

from syscope.errors import UsageError
from syscope.sinks.summary import SummaryTable
from syscope.sources.ebpf import build
from syscope.sources.ebpf.summary import run_counted

FORKER = r"""
#include <fcntl.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void) {
    char buf[16];
    for (int k = 0; k < 3; k++) {
        pid_t p = fork();
        if (p == 0) {
            for (int i = 0; i < 100; i++) getppid();
            int fd = open("/nonexistent/x", O_RDONLY);
            (void)fd;
            _exit(0);
        }
        waitpid(p, NULL, 0);
    }
    int fd = open("/dev/zero", O_RDONLY);
    for (int i = 0; i < 1000; i++) read(fd, buf, 1);
    close(fd);
    return 3;
}
"""


def _strace_counts(argv: list[str], tmp: Path) -> dict[str, tuple[int, int]]:
    out = tmp / "strace.txt"
    subprocess.run(["strace", "-c", "-f", "-o", str(out), *argv], check=False,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rows: dict[str, tuple[int, int]] = {}
    for line in out.read_text().splitlines():
        m = re.match(r"\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(\d*)\s*(\w+)$", line)
        if m and m.group(3) != "total":
            rows[m.group(3)] = (int(m.group(1)), int(m.group(2) or 0))
    return rows


@pytest.fixture(scope="module")
def forker(build_c: Callable[..., Path]) -> Path:
    return build_c("forker", FORKER, "-O1")


def test_counts_equal_strace_for_process_tree(forker: Path, tmp_path: Path) -> None:
    status, rows = run_counted([str(forker)])
    assert (status >> 8) == 3
    ours = {name: (calls, errors) for name, calls, errors, _s in rows}
    assert ours == _strace_counts([str(forker)], tmp_path)
    assert ours["getppid"] == (300, 0)
    assert ours["openat"][1] >= 3  # the children's failed opens are counted (fork inheritance)


def test_dd_counts_equal_strace(tmp_path: Path) -> None:
    argv = ["/bin/dd", "if=/dev/zero", "of=/dev/null", "bs=1", "count=100000"]
    _status, rows = run_counted(argv)
    ours = {name: (calls, errors) for name, calls, errors, _s in rows}
    assert ours == _strace_counts(argv, tmp_path)
    assert ours["read"][0] >= 100000
    # past the first 4096 calls per CPU the clock is sampled; both of dd's alternating calls
    # must still get time (a sampler that aliased with read/write would give one of them 0)
    secs = {name: s for name, _c, _e, s in rows}
    assert secs["read"] > 0 and secs["write"] > 0 and secs["execve"] > 0


def test_table_renders_kernel_counts(forker: Path) -> None:
    _status, rows = run_counted([str(forker)])
    t = SummaryTable()
    for name, calls, errors, seconds in rows:
        t.add_counts(name, calls, errors, seconds)
    text = t.render()
    assert re.search(r"\s300\s+getppid$", text, re.M)
    assert text.splitlines()[0].startswith("% time")


def test_only_the_command_tree_is_counted() -> None:
    # A busy process outside the tree must not leak into the counts.
    noise = subprocess.Popen(["/bin/dd", "if=/dev/zero", "of=/dev/null", "bs=1", "count=3000000"],
                             stderr=subprocess.DEVNULL)
    try:
        _status, rows = run_counted(["/bin/true"])
    finally:
        noise.kill()
        noise.wait()
    ours = {name: calls for name, calls, _e, _s in rows}
    assert ours.get("read", 0) < 50 and ours.get("write", 0) < 50


def test_missing_program_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="Can't stat"):
        run_counted(["/nonexistent/prog"])


def test_shipped_object_rebuilds_byte_for_byte(tmp_path: Path) -> None:
    out = build.build(tmp_path / "rebuilt.bpf.o")
    assert out.read_bytes() == build.OBJECT.read_bytes()
    assert b"/work" not in out.read_bytes() and b"/tmp" not in out.read_bytes()



def test_availability_probe_here_and_unprivileged() -> None:
    import os
    import subprocess
    import sys

    from syscope.sources.ebpf import unavailable_reason

    assert unavailable_reason() is None  # root on a BTF kernel with libbpf1: it runs
    code = "from syscope.sources.ebpf import unavailable_reason; print(unavailable_reason())"
    r = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                        sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                       env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2] / "src")})
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("eBPF unavailable:") and "permission denied" in r.stdout


def test_command_gets_default_sigpipe() -> None:
    # Python ignores SIGPIPE; the counted command must not inherit that (signal(7): ignored
    # dispositions survive execve).
    status, _rows = run_counted(["/bin/sh", "-c", "grep -q SigIgn /proc/self/status && "
                                 "exit $(( 0x$(grep SigIgn /proc/self/status | cut -f2) & 0x1000 ? 9 : 0 ))"])
    assert status >> 8 == 0


def test_32bit_calls_get_their_own_table_like_strace(tmp_path: Path,
                                                    build_c: Callable[..., Path]) -> None:
    from syscope.sources.ebpf.summary import run_counted_arches

    exe = build_c("int80", INT80, "-O1")
    _status, per_arch = run_counted_arches([str(exe)])
    i386 = {n: (c, e) for n, c, e, _s in per_arch["i386"]}
    assert i386 == {"getpid": (5, 0), "unlink": (1, 1)}
    out = tmp_path / "s.txt"
    subprocess.run(["strace", "-c", "-f", "-o", str(out), str(exe)], check=True)
    text = out.read_text()
    native_part, _sep, compat_part = text.partition("32 bit mode")
    assert i386 == _parse_table(compat_part)
    native = {n: (c, e) for n, c, e, _s in per_arch["x86_64"]}
    assert "getpid" not in native and native == _parse_table(native_part)


def _parse_table(text: str) -> dict[str, tuple[int, int]]:
    rows = {}
    for line in text.splitlines():
        m = re.match(r"\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(\d*)\s*(\w+)$", line)
        if m and m.group(3) != "total":
            rows[m.group(3)] = (int(m.group(1)), int(m.group(2) or 0))
    return rows


def test_strace_table_leaves_out_calls_a_task_died_in_a_recorder_keeps_them(
        build_c: Callable[..., Path]) -> None:
    # strace -c (count_options' seen_exits) has no row for a call whose task died in it; a
    # profile recorder (container_record: count mode without count_options) must see that it
    # was made, or an enforced profile would refuse it
    import os

    from tests.integration.test_trace_summary import DYING

    from syscope.sources.ebpf.source import MODE_COUNT, Probe, spawn_parked

    exe = build_c("dying", DYING, "-O1", "-pthread")
    status, rows = run_counted([str(exe)])
    assert os.WTERMSIG(status) == 9
    ours = {name: (calls, errors) for name, calls, errors, _s in rows}
    assert ours["pause"] == (1, 1) and ours["kill"] == (2, 0)
    with Probe(mode=MODE_COUNT, scoped=True) as probe:
        pid, gate = spawn_parked([str(exe)])
        probe.mark(pid, pending=True)
        os.close(gate)
        os.waitpid(pid, 0)
        counts = probe.counts()
    pause, kill = _nr("pause"), _nr("kill")
    assert counts[pause][0] == 4 and counts[kill][0] == 3  # two threads, two children, itself


def _nr(name: str) -> int:
    from syscope.syscalls import table

    info = table("x86_64").by_name(name)
    assert info is not None
    return info.nr
