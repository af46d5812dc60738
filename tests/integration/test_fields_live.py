"""Every field of the registry has a value on some real event: a program that opens, reads and
writes files, makes a symlink, talks TCP and UDP, dup2s, chmods and execs, then a podman container,
all under ``syscope watch -j -p`` with every field.  The fields that cannot have a value on this
machine are listed with the reason.  Also: docs/fields.md is generated from the registry."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests import podman

from syscope.filters.fields import all_fields

ROOT = Path(__file__).resolve().parents[2]

PROG = r"""
import os, socket, sys
d = sys.argv[1]
with open(os.path.join(d, "f"), "w") as f:
    f.write("hello")
with open(os.path.join(d, "f")) as f:
    f.read()
os.symlink(os.path.join(d, "f"), os.path.join(d, "link"))
os.chmod(os.path.join(d, "f"), 0o4644)
srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen()
c = socket.create_connection(srv.getsockname())
s, _ = srv.accept()
c.sendall(b"ping"); s.recv(10)
os.dup2(c.fileno(), 5)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.1", 0))
v = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
v.sendto(b"dgram", u.getsockname()); u.recvfrom(10)
r, w = os.pipe(); os.write(w, b"x"); os.read(r, 1)
os.execv("/bin/sleep", ["sleep", "0.2"])
"""

# No value on this machine, and why.
ABSENT = {
    "k8s.pod.name": "no Kubernetes here: no CRI pod labels", "k8s.ns.name": "no Kubernetes here",
    "k8s.pod.uid": "no Kubernetes here", "k8s.pod.id": "no Kubernetes here",
    "k8s.pod.label": "no Kubernetes here", "k8s.pod.labels": "no Kubernetes here",
    "fd.cip.name": "no DNS tracking", "fd.sip.name": "no DNS tracking",
    "fd.lip.name": "no DNS tracking", "fd.rip.name": "no DNS tracking",
    "container.privileged": "the runtimes' state syscope reads does not record it",
    "container.start_ts": "the runtimes' state syscope reads does not record it",
    "evt.is_open_exec": "nothing opens an executable with O_CREAT here",
    "user.loginname": "no login session on this machine: the audit loginuid is unset (-1)",
    "evt.asynctype": "syscope has no asynchronous events",
    "fs.path.target": "the eBPF source copies one path per call (a symlink's target, not its link)",
    "fs.path.targetraw": "the eBPF source copies one path per call",
    "thread.cap_inheritable": "root's inheritable set is empty: a value, but no names",
}
ARGS = {"index": "[1]", "index!": "[1]", "name": ".fd", "name?": "[PATH]"}


def names() -> list[str]:
    out = []
    for f in all_fields():
        if f.name == "k8s.pod.label":
            out.append("k8s.pod.label.app")
            continue
        out.append(f.name + ARGS.get(f.arg, "") if f.arg in ("index!", "name") else f.name)
        if f.arg in ("index", "name?"):
            out.append(f.name + ARGS[f.arg])
    return out + ["evt.arg.flags", "evt.rawarg.flags"]


def test_every_field_has_a_value_on_a_real_event(tmp_path: Path, podman_image: str) -> None:
    prog = tmp_path / "prog.py"
    prog.write_text(PROG)
    fields = names()
    fmt = " ".join(f"%{n}" for n in fields)
    name = podman.unique_name()
    pm = " ".join(podman.PODMAN)
    # The container runs until watch has evaluated its events (~250 fields a row: on a loaded
    # machine watch is seconds behind): its facts are found through its cgroup, which goes with
    # its last process.  The command returns once the container's cat has run (its output is in
    # the container's log).
    script = (f"/usr/bin/python3 {prog} {tmp_path}; "
              f"{pm} run -d --name {name} {' '.join(podman.LIMITS)} {podman_image} "
              f"sh -c 'cat /etc/hostname; exec sleep 600' >/dev/null; "
              f"until {pm} logs {name} 2>/dev/null | grep -q .; do sleep 0.1; done")
    try:
        r = subprocess.run([sys.executable, "-m", "syscope", "watch", "-j", "-p", fmt,
                            "proc.name in (python3, sleep, cat, sh)", "--", "/bin/sh", "-c", script],
                           capture_output=True, text=True, timeout=180)
    finally:
        podman.run("rm", "-f", "-t", "0", name)
    assert r.returncode == 0, r.stderr
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    assert rows and set(rows[0]) == set(fields)
    seen = {n for n in fields if any(row[n] not in (None, "") for row in rows)}
    base = {n: n.split("[")[0].removesuffix(".fd").removesuffix(".app") for n in fields}
    missing = sorted(n for n in fields if n not in seen and base[n] not in ABSENT)
    assert not missing, missing
    # python's open(path, "w"): sysdig's rendering of the flags, and the raw number
    (w,) = [row for row in rows if row["evt.type"] == "openat" and row["fd.name"] == str(tmp_path / "f")
            and row["evt.is_open_write"]]
    assert w["evt.arg.flags"] == "O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC" and w["evt.rawarg.flags"] == 0o2001101
    assert any(row["container.name"] not in (None, "host") and row["container.image"] == podman_image
               for row in rows)


def test_fields_doc_is_generated_from_the_registry() -> None:
    r = subprocess.run([sys.executable, str(ROOT / "tools" / "gen_fields_doc.py"), "--check"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    text = (ROOT / "docs" / "fields.md").read_text()
    assert f"{len(all_fields())} fields" in text and len(all_fields()) >= 150


def test_watch_lists_the_fields() -> None:
    r = subprocess.run([sys.executable, "-m", "syscope", "watch", "-l"], capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert len(lines) == len(all_fields())
    assert any(ln.split()[:2] == ["proc.aname[N]", "list"] for ln in lines)
    assert any(ln.split()[:2] == ["evt.arg.NAME", "str"] for ln in lines)
