"""``syscope --backend ebpf -y``: an fd is named by what it was when the call was made.  The eBPF
tracer decodes after the call -- the program below reuses fd 3 for another file, moves it with
dup2, changes directory and exits long before its lines are decoded -- so the names come from the
tracer's fd table (sources/ebpf/trace_fds.py), and must be those the ptrace backend reads from
/proc while the call is stopped."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

SYSCOPE = [sys.executable, "-m", "syscope"]

FDS_C = r"""
#include <fcntl.h>
#include <unistd.h>
int main(int argc, char **argv) {
    char buf[4];
    if (chdir(argv[1]) != 0)
        return 2;
    int fd = open("first", O_RDONLY);
    read(fd, buf, sizeof buf);
    close(fd);
    fd = openat(AT_FDCWD, "sub/../second", O_RDONLY | O_CLOEXEC);
    dup2(fd, 7);
    close(fd);
    read(7, buf, sizeof buf);
    int dir = open("sub", O_RDONLY | O_DIRECTORY);
    fd = openat(dir, "third", O_RDONLY);
    fchdir(dir);
    read(fd, buf, sizeof buf);
    close(fd);
    fd = open("third", O_RDONLY);
    read(fd, buf, sizeof buf);
    return 0;
}
"""


def test_fd_paths_are_those_at_the_call(build_c, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    exe = build_c("ebpf_fds", FDS_C)
    work = tmp_path / "work"
    (work / "sub").mkdir(parents=True)
    for name, text in (("first", "1st"), ("second", "2nd"), ("sub/third", "3rd")):
        (work / name).write_text(text)
    runs = {}
    for backend in ("ptrace", "ebpf"):
        out = tmp_path / backend
        r = subprocess.run([*SYSCOPE, "--backend", backend, "-y", "-o", str(out), "--", str(exe), str(work)],
                           capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stderr
        text = out.read_text().replace(str(exe), "PROG")
        lines = [re.sub(r"0x[0-9a-f]{6,}", "ADDR", ln) for ln in text.splitlines()]
        # from the chdir on: the program's own calls
        start = next(i for i, ln in enumerate(lines) if ln.startswith("chdir("))
        runs[backend] = [re.sub(r"\) +=", ") =", ln) for ln in lines[start:]]
    assert runs["ebpf"] == runs["ptrace"]
    text = "\n".join(runs["ebpf"])
    w = str(work)
    assert f'read(3<{w}/first>, "1st", 4) = 3' in text
    assert f'dup2(3<{w}/second>, 7) = 7<{w}/second>' in text
    assert f'read(7<{w}/second>, "2nd", 4) = 3' in text
    assert f'openat(3<{w}/sub>, "third", O_RDONLY) = 4<{w}/sub/third>' in text
    assert f'openat(AT_FDCWD<{w}/sub>, "third", O_RDONLY) = 4<{w}/sub/third>' in text
