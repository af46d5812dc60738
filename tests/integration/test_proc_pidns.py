"""syscope ps / fds / env run in a pid namespace of their own whose /proc is still the parent's
(``unshare --pid --fork`` without remounting /proc): the pid typed is the namespace's, as the
shell there shows it (``$!``), and it names the process the user means, not the one /proc has
under that number (pid 2 there is kthreadd, usually)."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

NEW_PIDNS = ["unshare", "--user", "--map-root-user", "--pid", "--fork"]
PY = "/usr/bin/python3"

# pid 1 in the new namespace: starts a child (pid 2 there) with a marked environment and an fd 7,
# runs the subcommands on it, and prints what each said as one JSON object
INNER = r"""
import json, os, subprocess, sys
child = subprocess.Popen(
    [sys.argv[1], "-c", "import os, sys; os.dup2(os.open('/etc/hostname', os.O_RDONLY), 7); "
     "print('ready', flush=True); sys.stdin.read()"],
    stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, pass_fds=(),
    env={"PATH": "/usr/bin:/bin", "SYSCOPE_PIDNS_MARK": "inside"})
assert child.stdout.readline() == "ready\n"
out = {"me": os.getpid(), "child": child.pid}
for name, args in (("ps", ["ps", "-p", str(child.pid), "--json"]), ("fds", ["fds", str(child.pid), "--json"]),
                   ("env", ["env", str(child.pid), "--json"]), ("all", ["ps", "--json"]),
                   ("none", ["fds", "30000"])):
    r = subprocess.run([sys.executable, "-m", "syscope", *args], capture_output=True, text=True)
    out[name] = [r.returncode, r.stdout, r.stderr]
child.stdin.close()
child.wait()
print(json.dumps(out))
"""


def _inside() -> dict[str, Any]:
    r = subprocess.run([*NEW_PIDNS, sys.executable, "-c", INNER, PY], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    out: dict[str, Any] = json.loads(r.stdout)
    # the case this is about: /proc is the parent namespace's, where 2 is another process
    with open("/proc/2/stat") as f:
        assert "(python3)" not in f.read()
    return out


def _json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


def test_ps_fds_env_read_the_process_the_namespace_calls_pid() -> None:
    out = _inside()
    assert out["me"] == 1 and out["child"] == 2
    rc, text, err = out["ps"]
    assert rc == 0, err
    [child] = _json_lines(text)
    assert child["pid"] == 2 and child["ppid"] == 1 and child["name"] == "python3"
    assert child["cmdline"][-1].endswith("sys.stdin.read()")
    assert child["pidns"]["same_as_syscope"] and child["pidns"]["ns_pid"] == 2 and child["pidns"]["depth"] == 0
    rc, text, err = out["fds"]
    assert rc == 0, err
    fds = {f["fd"]: f for f in _json_lines(text)}
    assert fds[7]["target"] == "/etc/hostname", fds
    rc, text, err = out["env"]
    assert rc == 0, err
    [env] = _json_lines(text)
    assert env["pid"] == 2 and env["environ"]["SYSCOPE_PIDNS_MARK"] == "inside"


def test_ps_lists_the_namespace_s_processes_by_their_pids_there() -> None:
    out = _inside()
    rc, text, err = out["all"]
    assert rc == 0, err
    procs = {p["pid"]: p for p in _json_lines(text)}
    # pid 1 (the script), 2 (its child), and the ps itself: nothing of the parent namespace, which
    # has no pid in this one
    assert {1, 2} <= set(procs) and len(procs) == 3, procs
    assert procs[2]["ppid"] == 1 and procs[1]["ppid"] == 0  # pid 1's parent is outside
    assert all(p["pidns"]["same_as_syscope"] for p in procs.values())
    assert procs[2]["cmdline"][-1].endswith("sys.stdin.read()")


def test_a_pid_the_namespace_does_not_have_is_an_error() -> None:
    rc, text, err = _inside()["none"]
    assert rc != 0 and text == "" and "Traceback" not in err
    assert "no process 30000" in err and len(err.strip().splitlines()) == 1
