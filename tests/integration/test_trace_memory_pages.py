"""Tracee memory is read a page at a time within one call's decoding, as strace's ucopy.c
vm_read_mem does: a writev of 16 buffers in one page costs one process_vm_readv for the iovec
array and one for the page, not one per buffer (counted by strace tracing syscope)."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

SYSCOPE = [sys.executable, "-m", "syscope"]

WRITEV = r"""
#include <sys/mman.h>
#include <sys/uio.h>
int main(void) {
    char *buf = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    struct iovec *io = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (buf == MAP_FAILED || io == MAP_FAILED)
        return 2;
    for (int i = 0; i < 16; i++) {
        buf[i * 8] = 'a' + i;
        io[i].iov_base = buf + i * 8;
        io[i].iov_len = 1;
    }
    writev(-1, io, 16);
    return 0;
}
"""


def test_one_read_per_page_of_a_call(tmp_path: Path, build_c: Callable[..., Path]) -> None:
    prog = build_c("pages_writev", WRITEV)
    log, reads = tmp_path / "log", tmp_path / "reads"
    r = subprocess.run(["strace", "-qq", "-e", "signal=none", "-e", "trace=process_vm_readv",
                        "-o", str(reads), *SYSCOPE, "-o", str(log), "-e", "trace=writev", str(prog)],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    iovs = ", ".join(f'{{iov_base="{chr(97 + i)}", iov_len=1}}' for i in range(16))
    assert re.search(rf"^writev\(-1, \[{iovs}\], 16\) += -1 EBADF", log.read_text(), re.M), log.read_text()
    calls = [ln for ln in reads.read_text().splitlines() if "process_vm_readv(" in ln]
    assert len(calls) == 2, "\n".join(calls)
