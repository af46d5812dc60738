"""`syscope watch` end to end: real eBPF programs, real processes, real captures."""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from syscope.context import Context
from syscope.sources.file import read_capture

HOSTNAME = Path("/etc/hostname").read_text()


def watch(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "syscope", "watch", *args], capture_output=True,
                          text=True, timeout=timeout)


def test_scoped_cat_sees_openat_with_fd_name() -> None:
    r = watch("-j", "evt.type=openat and fd.name=/etc/hostname", "--", "/bin/cat", "/etc/hostname")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(HOSTNAME)  # cat's own output comes first
    rows = [json.loads(line) for line in r.stdout[len(HOSTNAME):].splitlines()]
    assert len(rows) == 1
    row = rows[0]
    assert row["proc.name"] == "cat" and row["fd.name"] == "/etc/hostname"
    assert row["fd.num"] == row["evt.rawres"] >= 3 and row["evt.failed"] is False
    assert row["fd.type"] == "file" and isinstance(row["evt.latency"], int)


def test_default_line_and_read_resolves_fd_name() -> None:
    r = watch("evt.type=read and fd.name=/etc/hostname", "--", "/bin/cat", "/etc/hostname")
    assert r.returncode == 0, r.stderr
    lines = r.stdout[len(HOSTNAME):].splitlines()
    assert lines, r.stdout
    parts = lines[0].split()
    # %evt.num %evt.outputtime %evt.cpu %proc.name (%thread.tid) %evt.dir %evt.type %evt.info
    assert parts[3] == "cat" and parts[4].startswith("(") and parts[5] == "<" and parts[6] == "read"
    assert parts[7] == f"res={len(HOSTNAME.encode())}"


def test_system_wide_sees_a_cat_started_by_the_test(tmp_path: Path) -> None:
    # a file of the test's own: another cat of a common file elsewhere on the machine must not match
    target = tmp_path / "watched"
    target.write_text("x\n")
    w = subprocess.Popen([sys.executable, "-m", "syscope", "watch", "-n", "1", "--duration", "30",
                          "-p", "%proc.name %evt.type %fd.name %proc.pid",
                          f"proc.name=cat and evt.type=openat and fd.name={target}"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    pids = []
    try:
        deadline = time.monotonic() + 30
        while w.poll() is None and time.monotonic() < deadline:
            c = subprocess.Popen(["/bin/cat", str(target)], stdout=subprocess.DEVNULL)
            pids.append(c.pid)
            c.wait()
            time.sleep(0.2)
        out, err = w.communicate(timeout=30)
    finally:
        if w.poll() is None:
            w.kill()
            w.wait()
    assert w.returncode == 0, err
    name, typ, fdname, pid = out.split()
    assert (name, typ, fdname) == ("cat", "openat", str(target))
    assert int(pid) in pids


def test_custom_format_failed_calls() -> None:
    r = watch("-p", "%proc.name %evt.type %fd.name %evt.res",
              "evt.failed=true and fd.name contains nonexist", "--", "/bin/cat", "/nonexistent/file")
    assert r.returncode == 1, r.stderr  # cat's exit status
    assert r.stdout.splitlines() == ["cat openat /nonexistent/file ENOENT"]


def test_process_tree_scoping_follows_forks(tmp_path: Path) -> None:
    # sh forks cat: the child's events are in scope; the watcher's own and others' are not.
    r = watch("-p", "%proc.name %proc.ppid %fd.name", "evt.type=openat and fd.name=/etc/hostname",
              "--", "/bin/sh", "-c", "/bin/cat /etc/hostname; /bin/cat /etc/hostname")
    assert r.returncode == 0, r.stderr
    lines = [ln for ln in r.stdout.splitlines() if ln != HOSTNAME.strip()]
    assert len(lines) == 2
    assert {ln.split()[0] for ln in lines} == {"cat"}
    # both cats are children of the sh that the watcher started
    assert len({ln.split()[1] for ln in lines}) == 1


def test_bad_filter_one_line_with_column() -> None:
    r = watch("evt.type=openat and (proc.name=cat or", "--", "/bin/true")
    assert r.returncode != 0
    assert r.stderr.count("\n") == 1 and "column 38" in r.stderr and "Traceback" not in r.stderr


def test_drops_are_reported() -> None:
    r = watch("--ring-size", "8192", "-p", "%evt.type", "evt.type=write", "--",
              "/bin/dd", "if=/dev/zero", "of=/dev/null", "bs=1", "count=50000")
    assert r.returncode == 0, r.stderr
    assert "events dropped by the kernel" in r.stderr
    dropped = int(r.stderr.split("syscope: ")[-1].split()[0])
    assert dropped > 0 and len(r.stdout.splitlines()) < 50000


def test_unprivileged_user_gets_one_line_reason() -> None:
    r = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                        sys.executable, "-m", "syscope", "watch", "--duration", "1"],
                       capture_output=True, text=True, timeout=60,
                       env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2] / "src")})
    assert r.returncode != 0
    assert r.stderr.startswith("syscope: eBPF unavailable") and r.stderr.count("\n") == 1, r.stderr


def test_capture_replay_with_filter_and_chisels(tmp_path: Path) -> None:
    cap = tmp_path / "cap.syscope"
    r = watch("-w", str(cap), "--", "/bin/sh", "-c", "/bin/cat /etc/hostname /etc/passwd >/dev/null")
    assert r.returncode == 0, r.stderr
    assert "events written" in r.stderr
    recs = [ev.to_dict() | {"comm": getattr(ev, "comm", None)}
            for ev in read_capture(cap, Context())]
    assert any(x["type"] == "process" and x.get("filename") == "/bin/cat" for x in recs)
    r = watch("-r", str(cap), "-p", "%proc.name %fd.name", "evt.type=read and fd.name=/etc/passwd")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0] == "cat /etc/passwd"
    r = watch("-r", str(cap), "-c", "topfiles_bytes")
    assert r.returncode == 0, r.stderr
    table = dict(reversed(ln.split(None, 1)) for ln in r.stdout.splitlines()[2:])
    assert table["/etc/hostname"] == f"{len(HOSTNAME.encode())}B"
    size = Path("/etc/passwd").stat().st_size
    assert "/etc/passwd" in table and table["/etc/passwd"].endswith(("B", "KB"))
    if size < 1024:
        assert table["/etc/passwd"] == f"{size}B"
    r = watch("-r", str(cap), "-c", "topscalls", "proc.name=cat")
    counts = {ln.split()[1]: int(ln.split()[0]) for ln in r.stdout.splitlines()[2:]}
    n_read = sum(1 for x in recs if x.get("name") == "read" and x.get("comm") == "cat")
    assert counts["read"] == n_read > 0
    r = watch("-r", str(cap), "-c", "fdbytes_by", "proc.name")
    assert r.returncode == 0 and "cat" in r.stdout, r.stderr
    r = watch("-r", str(cap), "-c", "echo_fds", "fd.name=/etc/hostname")
    assert r.stdout.startswith(f"------ Read {len(HOSTNAME.encode())}B from /etc/hostname (cat)")
    only = tmp_path / "only.syscope"
    r = watch("-w", str(only), "evt.type=openat", "--", "/bin/cat", "/etc/hostname")
    assert r.returncode == 0 and r.stdout == HOSTNAME, r.stderr
    # the process records the replay's table needs are kept, but are not events of the capture
    names = {getattr(ev, "name", type(ev).__name__) for ev in read_capture(only, Context())}
    assert names == {"openat"}
    r = watch("-r", str(cap), "-c", "nosuch")
    assert r.returncode != 0 and "unknown chisel" in r.stderr


def test_capture_newer_major_refused_older_read(tmp_path: Path) -> None:
    newer = tmp_path / "new.syscope"
    with gzip.open(newer, "wt") as f:
        f.write(json.dumps({"format": "syscope-capture", "version": [2, 0]}) + "\n")
    r = watch("-r", str(newer))
    assert r.returncode != 0 and "newer than this syscope" in r.stderr and r.stderr.count("\n") == 1
    minor = tmp_path / "minor.syscope"
    ev = {"rec": "event", "type": "syscall", "pid": 7, "tid": 7, "arch": "x86_64", "nr": 0,
          "name": "read", "args": ["3"], "raw_args": [3, 0, 0, 0, 0, 0], "retval": 5, "errno": None,
          "ts_enter": 1.0, "ts_exit": 1.5, "comm": "x"}
    with gzip.open(minor, "wt") as f:
        f.write(json.dumps({"format": "syscope-capture", "version": [1, 7]}) + "\n")
        f.write(json.dumps({"rec": "future-kind", "x": 1}) + "\n")
        f.write(json.dumps(ev) + "\n")
    r = watch("-r", str(minor), "-p", "%proc.name %evt.type %evt.rawres")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "x read 5\n"
    r = watch("-r", str(tmp_path / "missing.syscope"))
    assert r.returncode != 0 and "Traceback" not in r.stderr


RULES = """
- list: watched_files
  items: [/etc/hostname]
- macro: opened
  condition: evt.type in (open, openat) and evt.failed=false
- rule: Hostname read
  desc: test rule
  condition: opened and fd.name in (watched_files)
  output: hostname opened by %proc.name (pid=%proc.pid file=%fd.name)
  priority: NOTICE
"""


def test_rules_custom_and_default(tmp_path: Path) -> None:
    rf = tmp_path / "rules.yaml"
    rf.write_text(RULES)
    r = watch("--rules", str(rf), "--", "/bin/cat", "/etc/hostname")
    assert r.returncode == 0, r.stderr
    # Falco's text alert: "HH:MM:SS.nnnnnnnnn: Priority output"
    alerts = [ln for ln in r.stdout.splitlines() if re.match(r"\d\d:\d\d:\d\d\.\d{9}: Notice ", ln)]
    assert len(alerts) == 1 and " Notice hostname opened by cat (pid=" in alerts[0], r.stdout
    assert alerts[0].endswith("file=/etc/hostname)")
    assert "rules: 1 loaded, 0 skipped" in r.stderr
    target = Path("/etc/syscope-watch-test")
    try:
        r = watch("--rules", "--", "/bin/sh", "-c",
                  f"/bin/cat /etc/shadow >/dev/null; echo x > {target}")
    finally:
        target.unlink(missing_ok=True)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert ": Notice shell started" in out
    assert ": Warning sensitive file opened" in out and "file=/etc/shadow" in out
    assert ": Error file below /etc opened for writing" in out and f"file={target}" in out
    bad = tmp_path / "bad.yaml"
    bad.write_text("- rule: x\n  condition: evt.type=\n  output: y\n  priority: NOTICE\n")
    r = watch("--rules", str(bad), "--", "/bin/true")
    assert r.returncode != 0 and "Traceback" not in r.stderr
    assert f"{bad}:1: rule 'x' skipped: invalid condition" in r.stderr
    assert r.stderr.splitlines()[-1] == "syscope: watch: no rule to run (every rule was skipped or disabled)"


@pytest.mark.parametrize("chisel", ["topprocs_errors", "topfiles_errors", "topscalls_time", "lsof", "ps",
                                    "iobytes_file", "proc_exec_time", "topfiles_time", "topprocs_cpu",
                                    "topprocs_file", "spy_file", "spy_users", "netstat"])
def test_more_chisels_on_live_command(chisel: str) -> None:
    r = watch("-c", chisel, "--", "/bin/sh", "-c", "/bin/cat /etc/hostname /nonexistent >/dev/null 2>&1")
    assert r.returncode == 1, r.stderr  # the command's exit status: cat failed on /nonexistent
    out = r.stdout
    if chisel == "topprocs_errors":
        assert any(ln.split()[1:] == ["cat"] for ln in out.splitlines()[2:])
    elif chisel == "topfiles_errors":
        assert any(ln.endswith("/nonexistent") for ln in out.splitlines())
    elif chisel == "topscalls_time":
        assert any(ln.split()[-1] == "execve" for ln in out.splitlines()[2:])
    elif chisel == "iobytes_file":
        assert int(out.split()[1]) >= len(HOSTNAME.encode())
    elif chisel == "proc_exec_time":
        assert "Process cat with pid" in out
    elif chisel == "topfiles_time":
        assert any(ln.endswith("/etc/hostname") and ln.split()[0].endswith("ms")
                   for ln in out.splitlines()[2:])
    elif chisel == "topprocs_cpu":
        assert {ln.split()[1] for ln in out.splitlines()[2:]} >= {"sh", "cat"}
    elif chisel == "topprocs_file":
        assert any(ln.split()[1:] == ["cat"] for ln in out.splitlines()[2:])
    elif chisel == "spy_file":
        assert f"------ Read {len(HOSTNAME.encode())}B from /etc/hostname (cat)" in out
    elif chisel == "spy_users":
        assert sum(ln.split()[1:3] == ["root", "cat"] for ln in out.splitlines()) == 1
    elif chisel == "netstat":
        assert out.splitlines() == [f"{'PID':>8} {'COMMAND':<16} ADDRESS"]  # no sockets here
    else:
        assert out.splitlines()[0].split()[0] == "PID"


def test_live_table_chisel_refreshes_each_second() -> None:
    r = watch("-c", "topscalls", "--duration", "3.6")
    assert r.returncode == 0, r.stderr
    # one table per elapsed second, then the last partial second's at the end
    assert r.stdout.count("Count           Syscall") >= 3


@pytest.mark.parametrize("args,msg", [
    (["--", "/nonexistent/x"], "Can't stat '/nonexistent/x'"),
    (["--ring-size", "1000", "--", "/bin/true"], "power of 2"),
    (["-p", "%evt.nope"], "format error at column 1: unknown field 'evt.nope'"),
    (["-r", "/etc/hostname"], "not a syscope capture file"),
    (["--rules", "/nonexistent.yaml"], "/nonexistent.yaml: No such file or directory"),
    (["--bogus"], "unrecognized arguments"),
])
def test_bad_input_is_one_line(args: list[str], msg: str) -> None:
    r = watch(*args)
    assert r.returncode != 0
    assert r.stderr.startswith("syscope: ") and r.stderr.count("\n") == 1 and msg in r.stderr, r.stderr
