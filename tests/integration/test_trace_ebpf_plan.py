"""The eBPF tracer's capture plan (trace_plan.py) for argument kinds it has no rule of its own
for: the knowledge layer's data buffer of the call (``syscalls.roles``: an input sized by another
argument, an output sized by the return value) is copied, so the line shows the bytes as the
ptrace backend's does instead of an address."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

SYSCOPE = [sys.executable, "-m", "syscope"]


def test_data_buffers_by_their_roles(tmp_path: Path) -> None:
    target = tmp_path / "x"
    code = ("import os, socket\na, b = socket.socketpair()\na.send(b'plain')\n"
            f"os.getrandom(4)\nopen({str(target)!r}, 'w').close()\nos.setxattr({str(target)!r}, 'user.k', b'v')\n"
            f"os.getxattr({str(target)!r}, 'user.k')\n")
    out = tmp_path / "t"
    r = subprocess.run([*SYSCOPE, "--backend", "ebpf", "-e", "trace=sendto,getrandom,setxattr,getxattr", "-o", str(out),
                        "--", "/usr/bin/python3", "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    lines = [re.sub(r"\) +=", ") =", ln) for ln in out.read_text().splitlines()]
    assert 'sendto(3, "plain", 5, 0, NULL, 0) = 5' in lines
    assert any(re.fullmatch(r'getrandom\("(\\x[0-9a-f]{2}){4}", 4, 0\) = 4', ln) for ln in lines), lines
    assert f'setxattr("{target}", "user.k", "v", 1, 0) = 0' in lines
    assert any(ln.startswith(f'getxattr("{target}", "user.k", "v", ') for ln in lines), lines
    assert "capture plan does not copy" not in r.stderr
