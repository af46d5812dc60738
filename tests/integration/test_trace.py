"""The ptrace tracer end to end: real tracees, strace 6.1 as the oracle."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import syscope
from syscope.events import ExitEvent, SyscallEvent

SYSCOPE = [sys.executable, "-m", "syscope"]
PY = "/usr/bin/python3"


def run(args: list[str], **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(SYSCOPE + args, capture_output=True, text=True, timeout=60, **kw)  # type: ignore[call-overload]


def _norm(text: str) -> list[str]:
    return [re.sub(r"0x[0-9a-f]+", "ADDR", line) for line in text.splitlines()]


def test_filtered_trace_matches_strace(tmp_path: Path) -> None:
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    r = run(["-e", "trace=openat,close,read", "-o", str(ours), "--", "/bin/cat", "/etc/hostname"])
    assert r.returncode == 0, r.stderr
    subprocess.run(["strace", "-e", "trace=openat,close,read", "-o", str(theirs), "/bin/cat",
                    "/etc/hostname"], check=True, capture_output=True)
    assert _norm(ours.read_text()) == _norm(theirs.read_text())


def test_full_trace_of_true_matches_strace(tmp_path: Path) -> None:
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    assert run(["-o", str(ours), "--", "/bin/true"]).returncode == 0
    subprocess.run(["strace", "-o", str(theirs), "/bin/true"], check=True)
    a, b = _norm(ours.read_text()), _norm(theirs.read_text())
    # getrandom's bytes are random; everything else must be identical
    a = [re.sub(r'getrandom\(".*?"', "getrandom(R", x) for x in a]
    a = [re.sub(r"(set_tid_address.*= )\d+", r"\1PID", x) for x in a]
    b = [re.sub(r"(set_tid_address.*= )\d+", r"\1PID", x) for x in b]
    b = [re.sub(r'getrandom\(".*?"', "getrandom(R", x) for x in b]
    assert a == b


def test_follow_forks_exit_code_and_child_lines(tmp_path: Path) -> None:
    out = tmp_path / "t"
    r = run(["-f", "-o", str(out), "--", "/bin/sh", "-c", "/bin/ls /nonexistent; exit 3"])
    assert r.returncode == 3
    text = out.read_text()
    pids = {int(m) for m in re.findall(r"^(\d+) ", text, re.M)}
    assert len(pids) == 2
    assert "+++ exited with 2 +++" in text and "+++ exited with 3 +++" in text
    assert "--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED" in text
    assert re.search(r'execve\("/bin/ls", \["/bin/ls", "/nonexistent"\]', text)


def test_ff_writes_one_file_per_process(tmp_path: Path) -> None:
    prefix = tmp_path / "out"
    r = run(["-ff", "-o", str(prefix), "--", "/bin/sh", "-c", "/bin/true; /bin/true"])
    assert r.returncode == 0
    files = sorted(tmp_path.glob("out.*"))
    assert len(files) == 3
    assert sum("execve(\"/bin/true\"" in f.read_text() for f in files) == 2


def test_killed_by_signal_is_reraised(tmp_path: Path) -> None:
    r = run(["-o", str(tmp_path / "t"), "--", "/bin/sh", "-c", "kill -9 $$"])
    assert r.returncode == -signal.SIGKILL
    assert "+++ killed by SIGKILL +++" in (tmp_path / "t").read_text()


@pytest.mark.parametrize("backend", ["ptrace", "ebpf"])
def test_summary_counts_equal_strace(tmp_path: Path, backend: str) -> None:
    r = run(["-c", "--backend", backend, "--", "/bin/ls", "/etc"])
    ours = {m[1]: int(m[0]) for m in re.findall(r"^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?(\w+)$",
                                                 r.stderr, re.M)}
    s = subprocess.run(["strace", "-c", "-o", str(tmp_path / "c"), "/bin/ls", "/etc"], capture_output=True)
    assert s.returncode == 0
    theirs = {m[1]: int(m[0]) for m in re.findall(r"^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?(\w+)$",
                                                  (tmp_path / "c").read_text(), re.M)}
    assert ours == theirs
    assert r.stderr.splitlines()[0] == "% time     seconds  usecs/call     calls    errors syscall"


def test_threads_are_followed() -> None:
    code = "import threading; t=threading.Thread(target=open, args=('/etc/hostname',)); t.start(); t.join()"
    evs = list(syscope.trace([PY, "-c", code], follow_forks=True))
    tids = {e.tid for e in evs if isinstance(e, SyscallEvent)}
    pids = {e.pid for e in evs if isinstance(e, SyscallEvent)}
    assert len(tids) == 2 and len(pids) == 1
    assert any(e.name == "openat" and '"/etc/hostname"' in e.args for e in evs if isinstance(e, SyscallEvent))


def test_api_yields_typed_events() -> None:
    evs = list(syscope.trace(["/bin/cat", "/nonexistent-file"]))
    op = [e for e in evs if isinstance(e, SyscallEvent) and e.name == "openat" and
          '"/nonexistent-file"' in e.args]
    assert op and op[0].errno == 2 and op[0].retval == -2
    assert isinstance(evs[-1], ExitEvent) and evs[-1].exit_code == 1


def test_attach_and_detach_leaves_process_running() -> None:
    victim = subprocess.Popen([PY, "-c", "import time\nwhile True: time.sleep(0.01)"])
    try:
        time.sleep(0.3)
        tr = subprocess.Popen(SYSCOPE + ["-p", str(victim.pid)], stderr=subprocess.PIPE, text=True)
        time.sleep(1.5)
        tr.send_signal(signal.SIGINT)
        _, err = tr.communicate(timeout=20)
        assert "clock_nanosleep" in err or "select" in err
        time.sleep(0.2)
        state = Path(f"/proc/{victim.pid}/stat").read_text().split(") ")[1].split()[0]
        assert state in ("S", "R")
        status = Path(f"/proc/{victim.pid}/status").read_text()
        assert re.search(r"^TracerPid:\s+0$", status, re.M)
        assert victim.poll() is None
    finally:
        victim.kill()
        victim.wait()


def test_bad_input_one_line_errors() -> None:
    r = run(["--", "/no/such/prog"])
    assert r.returncode == 1 and r.stderr == "syscope: Can't stat '/no/such/prog': No such file or directory\n"
    r = run(["-e", "trace=nosuchcall", "--", "/bin/true"])
    assert r.returncode == 1 and r.stderr == "syscope: invalid system call 'nosuchcall'\n"
    r = run(["-p", "999999"])
    assert r.returncode == 1
    assert r.stderr == "syscope: attach: ptrace(PTRACE_SEIZE, 999999): No such process\n"
    assert "Traceback" not in r.stderr


def test_timeline_flag_writes_trace_events(tmp_path: Path) -> None:
    import json

    out = tmp_path / "tl.json"
    r = run(["-f", "--timeline", str(out), "-o", str(tmp_path / "t"), "--", "/bin/sh", "-c", "/bin/true"])
    assert r.returncode == 0, r.stderr
    doc = json.loads(out.read_text())
    events = doc["traceEvents"] if isinstance(doc, dict) else doc
    slices = [e for e in events if e.get("ph") == "X"]
    assert any(e["name"] == "execve" for e in slices)
    assert len({e["pid"] for e in slices}) == 2


@pytest.mark.parametrize("case", ["first-executable", "empty-entry-is-cwd", "empty-path", "unset-path"])
def test_a_bare_command_is_looked_up_as_strace_does(tmp_path: Path, case: str) -> None:
    """strace.c startup_child's $PATH search: a regular file with an execute bit, in the entries'
    order, an empty entry the current directory, nothing without $PATH; the execve line's path
    and the "Can't stat" error are strace's own."""
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain/prog").write_text("not executable\n")
    (tmp_path / "dir/prog").mkdir(parents=True)
    (tmp_path / "exe").mkdir()
    (tmp_path / "exe/prog").write_text("#!/bin/sh\nexit 0\n")
    (tmp_path / "exe/prog").chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k != "PATH"}
    cwd = tmp_path
    if case == "first-executable":
        env["PATH"] = f"{tmp_path}/plain:{tmp_path}/dir:{tmp_path}/exe:/usr/bin"
    elif case == "empty-entry-is-cwd":
        env["PATH"], cwd = f"{tmp_path}/plain::/usr/bin", tmp_path / "exe"
    elif case == "empty-path":
        env["PATH"] = ""
    outs = []
    for tracer in ([*SYSCOPE, "-e", "trace=execve", "--"], ["/usr/bin/strace", "-e", "trace=execve"]):
        r = subprocess.run([*tracer, "prog"], env=env, cwd=cwd, capture_output=True, text=True, timeout=60)
        first = r.stderr.splitlines()[0] if r.stderr else ""
        outs.append((r.returncode, first.split(", [")[0].replace("/usr/bin/strace: ", "").replace("syscope: ", "")))
    assert outs[0] == outs[1]
    if case in ("first-executable", "empty-entry-is-cwd"):
        assert outs[0] == (0, f'execve("{tmp_path}/exe/prog"')
    else:
        assert outs[0] == (1, "Can't stat 'prog': No such file or directory")
