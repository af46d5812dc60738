"""-e inject=...:poke_enter= into a range that runs into an unmapped page, as strace 6.1 says it
(ucopy.c): the poke writes what it can ("pid:N short write (W < L) @ADDR", with the reason when
PTRACE_POKEDATA did the writing), and the path the call then gets is cut by the same page
("short read (R < N) @ADDR: Bad address"): real tracees, real pokes."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

SYSCOPE = [sys.executable, "-m", "syscope"]

# chdir() on the last byte of a page followed by an unmapped one; prints that address
EDGE = r"""
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>
int main(void) {
    char *p = mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED || munmap(p + 4096, 4096))
        return 2;
    p[4095] = '/';
    printf("%p\n", (void *) (p + 4095));
    fflush(stdout);
    chdir(p + 4095);
    return 0;
}
"""
POKE = ["-e", "trace=chdir", "-e", "inject=chdir:poke_enter=@arg1=3f5354524143457374726163653f00"]


@pytest.fixture(scope="module")
def edge(build_c: Callable[..., Path]) -> Path:
    return build_c("poke_edge", EDGE)


def test_a_poke_cut_by_an_unmapped_page_is_a_short_write(tmp_path: Path, edge: Path) -> None:
    log = tmp_path / "log"
    r = subprocess.run([*SYSCOPE, *POKE, "-o", str(log), str(edge)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    addr = r.stdout.strip()
    # one byte of the 15 fits before the unmapped page; the call's path is that byte, unended
    assert re.search(rf"^syscope: pid:\d+ short write \(1 < 15\) @{addr}$", r.stderr, re.M), r.stderr
    assert re.search(rf"^syscope: short read \(1 < \d+\) @{addr}: Bad address$", r.stderr, re.M), r.stderr
    assert re.search(rf"^chdir\({addr}\) += -1 EFAULT \(Bad address\) \(INJECTED: args\)$", log.read_text(), re.M)


def test_a_poke_by_ptrace_pokedata_says_why_it_stopped(tmp_path: Path, edge: Path) -> None:
    # process_vm_writev fails (ENOSYS injected by an outer syscope): the words go by PTRACE_POKEDATA
    # (poke-ptrace.test), which stops at the unmapped page with EIO
    log = tmp_path / "log"
    r = subprocess.run([*SYSCOPE, "-qq", "-o", "/dev/null", "-e", "signal=none", "-e", "trace=process_vm_writev",
                        "-e", "fault=process_vm_writev:error=ENOSYS",
                        *SYSCOPE, *POKE, "-o", str(log), str(edge)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    addr = r.stdout.strip()
    assert re.search(rf"^syscope: pid:\d+ short write \(1 < 15\) @{addr}: Input/output error$", r.stderr,
                     re.M), r.stderr
    assert re.search(rf"^chdir\({addr}\) += -1 EFAULT \(Bad address\) \(INJECTED: args\)$", log.read_text(), re.M)
