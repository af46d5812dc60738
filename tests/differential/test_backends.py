"""The eBPF backend's lines against the ptrace backend's on differential programs (backends.py):
coreutils, C programs and Python ones with files, sockets, signals, threads and children.  The
-y/-yy programs are left to the report (backends.py): an fd's path is read from /proc when the
line is decoded, which for the eBPF backend is after the call (docs/trace.md)."""

from __future__ import annotations

import backends
import pytest
from diffharness import Report

PROGRAMS = ["ls_la_etc", "cp_mv_rm", "find_exec", "head_wc_sort", "c_fds", "c_stat", "c_timers", "c_pty",
            "c_threads", "py_files", "py_tcp", "py_udp_unix", "py_signals", "py_subproc", "py_asyncio", "py_os",
            # i386 programs through socketcall(2) and ipc(2), sendmmsg/recvmmsg (the capture plan's subcalls)
            "c_net_m32", "c_sysv_m32_v"]
TARGET = 97.0


@pytest.fixture(scope="module")
def report() -> Report:
    rep = backends.run_all(workers=2, only=PROGRAMS)
    print("\n" + rep.text())
    return rep


def test_all_programs_ran_under_both(report: Report) -> None:
    assert sorted(r.name for r in report.results) == sorted(PROGRAMS)
    bad = {r.name: (r.strace_rc, r.syscope_rc, r.syscope_stderr[-300:]) for r in report.results
           if r.strace_rc != r.syscope_rc or r.total < 20 or r.unpaired}
    assert not bad, bad


def test_ebpf_lines_agree_with_ptrace(report: Report) -> None:
    assert report.percent >= TARGET, report.text(samples=5)
