"""``syscope ps``: processes with their container and pid namespace."""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys

from syscope.cli.common import ArgParser
from syscope.errors import UsageError
from syscope.proc import ProcInfo, build_tree, list_processes
from syscope.proc._procfs import check_pid

EXAMPLES = """\
columns:
  PID, PPID, USER  as ps(1) shows them
  CONTAINER        runtime:short-id (docker, containerd, cri-o, podman,
                   kubernetes, systemd-nspawn, lxc) from /proc/PID/cgroup;
                   "host", or host:<systemd unit> outside containers
  PIDNS            pid namespace inode (/proc/PID/ns/pid); for a namespace
                   other than syscope's, the pid the process has inside it,
                   as in 4026532301(pid 1)

examples:
  syscope ps                       every process
  syscope ps --tree                as a tree, children under their parent
  syscope ps --container           only processes in containers, by container
  syscope ps -p 1234 -p 5678 --json
"""


def build_parser() -> ArgParser:
    p = ArgParser(prog="syscope ps", description="List processes with pid, ppid, user, container id,\n"
                  "pid namespace and command line.", epilog=EXAMPLES,
                  formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--tree", action="store_true", help="show processes as a tree by parent")
    p.add_argument("--container", action="store_true",
                   help="only processes that live in a container, grouped by container")
    p.add_argument("-p", "--pid", action="append", default=[], metavar="PID",
                   help="only this process (repeatable)")
    p.add_argument("--json", action="store_true", help="one JSON object per process")
    return p


# ps(1) shows each non-printable byte of a command line as "?" (procps escape_str): a newline in
# an argument (sh -c 'a\nb') would otherwise break the one-process-a-line table.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _row(p: ProcInfo, prefix: str = "") -> list[str]:
    label = p.container.label() if p.container else "?"
    if p.facts is not None and p.facts.name:
        label += f"/{p.facts.name}"  # the name the runtime knows it by (podman ps, docker ps)
    return [str(p.pid), str(p.ppid), p.user or "?", label,
            p.pidns.label() if p.pidns else "?", prefix + _CONTROL.sub("?", p.command)]


def _print_table(rows: list[list[str]]) -> None:
    header = ["PID", "PPID", "USER", "CONTAINER", "PIDNS", "COMMAND"]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(5)]
    width = shutil.get_terminal_size((10_000, 24)).columns if sys.stdout.isatty() else 10_000
    for r in [header, *rows]:
        cells = [r[i].rjust(widths[i]) if i < 2 else r[i].ljust(widths[i]) for i in range(5)]
        line = "  ".join(cells)
        print((line + "  " + r[5])[:width])


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    pids = [check_pid(x) for x in args.pid] or None
    procs = list(list_processes(pids))
    if pids and not procs:
        raise UsageError(f"no such process: {', '.join(map(str, pids))}")
    if args.container:
        procs = [p for p in procs if p.in_container]
    if args.json:
        for p in procs:
            print(json.dumps(p.to_dict()))
        return 0
    if args.container:
        groups: dict[str, list[ProcInfo]] = {}
        for p in procs:
            assert p.container is not None and p.container.id is not None
            groups.setdefault(p.container.id, []).append(p)
        if not groups:
            print("no process lives in a container")
        for cid, members in groups.items():
            c = members[0].container
            assert c is not None
            extra = f" pod {c.pod}" if c.pod else ""
            f = members[0].facts
            if f is not None:
                extra += "".join(f" {k} {v}" for k, v in (("name", f.name), ("image", f.image),
                                                          ("k8s pod", f.pod_name),
                                                          ("k8s namespace", f.pod_namespace)) if v)
            print(f"{c.runtime} container {cid}{extra} (cgroup {c.cgroup}): {len(members)} processes")
            rows = _tree_rows(members) if args.tree else [_row(p) for p in members]
            _print_table(rows)
            print()
        return 0
    _print_table(_tree_rows(procs) if args.tree else [_row(p) for p in procs])
    return 0


def _tree_rows(procs: list[ProcInfo]) -> list[list[str]]:
    rows: list[list[str]] = []

    def walk(p: ProcInfo, lead: str, last: bool, top: bool) -> None:
        rows.append(_row(p, "" if top else lead + ("└─ " if last else "├─ ")))
        kid_lead = "" if top else lead + ("   " if last else "│  ")
        for i, c in enumerate(p.children):
            walk(c, kid_lead, i == len(p.children) - 1, False)

    for root in build_tree(procs):
        walk(root, "", True, True)
    return rows
