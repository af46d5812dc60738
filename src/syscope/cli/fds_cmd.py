"""``syscope fds``: open file descriptors of a process, described as what they are."""

from __future__ import annotations

import argparse
import json

from syscope.cli.common import ArgParser
from syscope.proc import list_fds, process_info
from syscope.proc._procfs import check_pid

EXAMPLES = """\
Each fd is shown with its kind (file, dir, chr, blk, fifo, pipe, socket, anon),
its open mode (r, w, rw) and what it is: a path with the offset; a socket with
protocol, local and remote address and state, read from the process's own
network namespace (/proc/PID/net), so containers' sockets show their addresses
too; a pipe with the other processes that hold it.

examples:
  syscope fds 1234
  syscope fds 1234 --json
"""


def build_parser() -> ArgParser:
    p = ArgParser(prog="syscope fds", description="List the open file descriptors of a process: files,\n"
                  "sockets with addresses, pipes, anonymous inodes.", epilog=EXAMPLES,
                  formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("pid", metavar="PID", help="the process")
    p.add_argument("--json", action="store_true", help="one JSON object per fd")
    p.add_argument("--no-peers", action="store_true",
                   help="do not scan other processes for the other end of pipes")
    return p


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    pid = check_pid(args.pid)
    proc = process_info(pid)
    fds = list_fds(pid, peers=not args.no_peers)
    if args.json:
        for f in fds:
            print(json.dumps(f.to_dict()))
        return 0
    where = ""
    if proc.container is not None and proc.container.id is not None:
        facts = proc.facts
        name = f" {facts.name}" if facts is not None and facts.name else ""
        image = f" image {facts.image}" if facts is not None and facts.image else ""
        where = f", in {proc.container.runtime} container {proc.container.short_id}{name}{image}"
    print(f"pid {pid} ({proc.name}{where}): {len(fds)} open fds")
    print(f"{'FD':>5}  {'KIND':<6} {'MODE':<4} WHAT")
    for f in fds:
        print(f"{f.fd:>5}  {f.kind:<6} {f.mode:<4} {f.describe()}")
    return 0
