"""proc.pgid.*, proc.vpgid.* and proc.sid.* (proc.sname) when the group's and session's leader
has exited: a shell that started a job in the background and returned leaves its group behind
(the id stays the group's, credentials(7)).  libsinsp then names the eldest ancestor still in
the group (sinsp_filtercheck_thread.cpp); a zombie leader has exited already (libsinsp forgets a
process at its exit) and has no exe or cmdline left in /proc (proc(5))."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# The watched command: a subreaper (so the orphaned member stays in the watched tree under it)
# whose child leads a new session and group, forks the member and exits.  The member runs a
# shell that opens the marker twice: once while the leader is a zombie, once after it is reaped.
TOP = r"""
import ctypes, os, sys
marker, fifo1, fifo2 = sys.argv[1:4]
ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
r, w = os.pipe()
leader = os.fork()
if leader == 0:
    os.setsid()  # leads a new session and a new process group
    if os.fork() == 0:
        os.close(w)
        os.read(r, 1)  # until the leader has exited
        os.execv("/bin/sh", ["sh", "-c", f"read a <{marker}; read b <{fifo1}; read c <{marker}; read d <{fifo2}"])
    os._exit(0)
os.close(r)
os.waitid(os.P_PID, leader, os.WEXITED | os.WNOWAIT)  # exited, not reaped: a zombie
print(leader, flush=True)
os.write(w, b"x")
sys.stdin.readline()  # the test saw the first open
os.waitpid(leader, 0)  # reaped: gone from /proc
with open(fifo1, "w") as f:
    f.write("go\n")
os.wait()  # the member
"""

FIELDS = ("proc.name", "proc.pgid", "proc.pgid.name", "proc.pgid.exe", "proc.pgid.exepath",
          "proc.vpgid.name", "proc.vpgid.exepath", "proc.sname", "proc.sid.exe", "proc.sid.exepath",
          "proc.pexepath", "proc.aexepath[1]")


def test_group_and_session_leader_fields_after_the_leader_exits(tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    marker.write_text("m\n")
    fifo1, fifo2 = tmp_path / "fifo1", tmp_path / "fifo2"
    os.mkfifo(fifo1)
    os.mkfifo(fifo2)
    top = tmp_path / "top.py"
    top.write_text(TOP)
    w = subprocess.Popen([sys.executable, "-m", "syscope", "watch", "-p", "|".join(f"%{f}" for f in FIELDS),
                          f"evt.type=openat and fd.name={marker}", "--", "/usr/bin/python3", str(top),
                          str(marker), str(fifo1), str(fifo2)],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert w.stdin is not None and w.stdout is not None
    try:
        leader = int(w.stdout.readline())
        # the member's shell is blocked in its next open while watch shows this line: its /proc
        # entry is there when its fields are read
        zombie_leader = w.stdout.readline().rstrip("\n").split("|")
        w.stdin.write("reaped\n")
        w.stdin.flush()
        gone_leader = w.stdout.readline().rstrip("\n").split("|")
        with open(fifo2, "w") as f:
            f.write("done\n")
        _out, err = w.communicate(timeout=60)
    finally:
        w.kill()
    assert w.returncode == 0, err
    sh = os.path.realpath("/bin/sh")
    # the member's shell is the eldest process of the group and session left: its parent, the
    # subreaper, is in watch's
    # and, as libsinsp's exepath of any process, the parent's with symlinks resolved (the same
    # as the parent's own proc.exepath: /usr/bin/python3 -> python3.N)
    py = os.path.realpath("/usr/bin/python3")
    want = ["sh", str(leader), "sh", "sh", sh, "sh", sh, "sh", "sh", sh, py, py]
    assert zombie_leader == want, err
    assert gone_leader == want, err
