"""-k/--stack-traces on real processes: the stack of each call and signal, unwound by elfutils'
libdw while the thread is stopped, as strace prints it (`` > FILE(SYMBOL+0xOFF) [0xADDR]``)."""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

SYSCOPE = [sys.executable, "-m", "syscope"]

NESTED_C = r"""
#include <signal.h>
#include <unistd.h>
__attribute__((noinline)) int inner(int n) { int r = chdir(""); kill(getpid(), SIGURG); return r + n; }
__attribute__((noinline)) int middle(int n) { return inner(n + 1) + 1; }
int main(void) { return middle(0) < -10; }
"""

NESTED_CXX = r"""
#include <unistd.h>
namespace ns {
__attribute__((noinline)) int inner(int n) { return chdir("") + n; }
__attribute__((noinline)) int outer(int n) { return inner(n + 1) + 1; }
}
int main() { return ns::outer(0) < -10; }
"""

FRAME = re.compile(r"^ > (/[^(]+)\((\S.*)\+0x[0-9a-f]+\) \[0x[0-9a-f]+\]$")


def _symbols(lines: list[str], start: int) -> list[str]:
    out = []
    for ln in lines[start + 1:]:
        m = FRAME.match(ln)
        if m is None:
            break
        out.append(m.group(2))
    return out


def test_stack_of_a_call_and_a_signal(tmp_path: Path) -> None:
    prog = tmp_path / "nested"
    subprocess.run(["gcc", "-O1", "-g", "-o", str(prog), "-x", "c", "-"], input=NESTED_C, text=True, check=True)
    r = subprocess.run([*SYSCOPE, "-k", "-e", "trace=chdir", str(prog)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    lines = r.stderr.splitlines()
    call = next(i for i, ln in enumerate(lines) if ln.startswith('chdir("")'))
    syms = _symbols(lines, call)
    # libc's wrapper, then the program's functions from the innermost out
    assert syms[0] in ("chdir", "__chdir") and syms[1:4] == ["inner", "middle", "main"]
    assert all(FRAME.match(ln).group(1) == str(prog) for ln in lines[call + 2:call + 5])  # type: ignore[union-attr]
    sig = next(i for i, ln in enumerate(lines) if ln.startswith("--- SIGURG"))
    assert _symbols(lines, sig)[1:4] == ["inner", "middle", "main"]
    # the same frames as strace finds (its offsets may differ by one: libunwind's return addresses)
    s = subprocess.run(["strace", "-k", "-e", "trace=chdir", str(prog)], capture_output=True, text=True, timeout=60)
    theirs = s.stderr.splitlines()
    assert _symbols(theirs, next(i for i, ln in enumerate(theirs) if ln.startswith("chdir")))[1:4] == syms[1:4]


def test_cxx_symbols_are_demangled(tmp_path: Path) -> None:
    compiler = shutil.which("g++")
    assert compiler is not None, "g++ is installed by scripts/setup.sh"
    prog = tmp_path / "nested_cxx"
    subprocess.run([compiler, "-O1", "-o", str(prog), "-x", "c++", "-"], input=NESTED_CXX, text=True, check=True)
    r = subprocess.run([*SYSCOPE, "--stack-traces", "-e", "trace=chdir", str(prog)],
                       capture_output=True, text=True, timeout=60)
    lines = r.stderr.splitlines()
    syms = _symbols(lines, next(i for i, ln in enumerate(lines) if ln.startswith("chdir")))
    assert syms[1:4] == ["ns::inner(int)", "ns::outer(int)", "main"]


def test_stack_of_an_attached_process(tmp_path: Path) -> None:
    prog = tmp_path / "nested_loop"
    loop = NESTED_C.replace("int main(void) { return middle(0) < -10; }",
                            "int main(void) { for (;;) { middle(0); usleep(20000); } }")
    subprocess.run(["gcc", "-O1", "-o", str(prog), "-x", "c", "-"], input=loop, text=True, check=True)
    tracee = subprocess.Popen([str(prog)])
    try:
        t = subprocess.Popen([*SYSCOPE, "-k", "-e", "trace=chdir", "-e", "signal=none", "-p", str(tracee.pid)],
                             stderr=subprocess.PIPE, text=True)
        assert t.stderr is not None
        lines = []
        for ln in t.stderr:
            lines.append(ln.rstrip("\n"))
            if "(main+" in lines[-1] and any(x.startswith('chdir("")') for x in lines):
                break  # a whole stack of a chdir
        t.send_signal(signal.SIGINT)  # detaches; the process runs on
        t.communicate(timeout=30)
    finally:
        tracee.kill()
        tracee.wait()
    call = next(i for i, ln in enumerate(lines) if ln.startswith('chdir("")'))
    assert _symbols(lines, call)[1:4] == ["inner", "middle", "main"]
