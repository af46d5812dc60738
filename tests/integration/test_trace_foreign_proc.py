"""The process and fd facts of --filter (sysdig's fields on ptrace events) when /proc belongs to
another pid namespace than the tracer's: syscope run under ``unshare --pid --fork`` without
remounting /proc, so the tracee the tracer calls 2 is some other process in /proc (kthreadd,
usually).  The context must read the tracee's own /proc entry: its name, its parent (1, the
tracer, in the tracer's namespace), its session (/proc's number of its leader mapped back), its
cwd (proc.cwd, and a relative open's fd.name), its environment and its fds."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SYSCOPE = [sys.executable, "-m", "syscope"]
NEW_PIDNS = ["unshare", "--user", "--map-root-user", "--pid", "--fork"]


def _filtered(tmp_path: Path, expr: str, script: str) -> list[str]:
    """The strace lines of the tracee's openat/read calls that ``expr`` keeps, traced from a
    pid namespace of the tracer's own."""
    out = tmp_path / "trace.txt"
    r = subprocess.run([*NEW_PIDNS, *SYSCOPE, "-e", "trace=openat,read", "--filter", expr,
                        "-o", str(out), "/usr/bin/python3", "-S", "-c", script],
                       capture_output=True, text=True, timeout=60, cwd=tmp_path,
                       env={**os.environ, "SYSCOPE_TEST_MARK": "pidns"})
    assert r.returncode == 0, r.stderr
    return out.read_text().splitlines()


def test_filter_reads_the_tracees_proc_entry_when_proc_is_another_namespaces(tmp_path: Path) -> None:
    # /proc of the tests' namespace: the tracer's numbers (1 itself, 2 the tracee) name others there
    work = tmp_path / "work"
    work.mkdir()
    (work / "data.txt").write_text("x")
    script = (f"import os; os.setsid(); os.chdir({str(work)!r}); fd = os.open('data.txt', os.O_RDONLY); "
              "os.read(fd, 1)")
    # fd.name first: the process's other fields are read once it has its session and cwd
    expr = (f"fd.name={work / 'data.txt'} and proc.name=python3 and proc.ppid=1 and proc.cwd={work} "
            "and proc.is_sid_leader=true and proc.sname=python3 and proc.env[SYSCOPE_TEST_MARK]=pidns")
    lines = _filtered(tmp_path, expr, script)
    # openat's fd.name: the relative path against the tracee's cwd; read's: its fd 3's link
    # (comm is the name execve(2) was given, not the link's target)
    assert [ln.split("(")[0] for ln in lines] == ["openat", "read", "+++ exited with 0 +++"], lines
    assert '"data.txt", O_RDONLY|O_CLOEXEC) = 3' in lines[0]
    assert lines[1].startswith("read(3, ")
