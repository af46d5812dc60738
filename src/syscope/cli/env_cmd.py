"""``syscope env``: environments of processes, secret-like variables flagged and redacted."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from collections import Counter

from syscope.cli.common import ArgParser
from syscope.errors import AccessDenied, NoSuchProcess, UsageError
from syscope.proc import EnvReport, read_env, scan_all
from syscope.proc._procfs import check_pid

EXAMPLES = """\
A secret passed to a program in an environment variable can be read from
/proc/PID/environ by root and by the same user, from the host for every
container too. Variables are flagged by name (PASSWORD, PASSWD, SECRET, TOKEN,
API_KEY, PRIVATE_KEY, ACCESS_KEY, CREDENTIAL, AUTH, ...) and by value (URLs
with a password such as DATABASE_URL=postgres://u:pw@db/x, PEM private keys,
AWS, GitHub, GitLab, Slack, Stripe and Google keys, JSON web tokens). Flagged
values print as **** unless --reveal is given; a URL keeps all but its password.

examples:
  syscope env 1234                 environment of process 1234, secrets redacted
  syscope env 1234 --reveal        the same with the secret values shown
  syscope env 1234 --secrets       only the flagged variables
  syscope env --all                one-screen audit of every process
  syscope env --all --json         every process, one JSON object each
"""

_AUDIT_ROWS = 12  # rows of the per-process table that keep --all within one 24-line screen


def build_parser() -> ArgParser:
    p = ArgParser(prog="syscope env", description="Show the environment of processes with secret-like "
                  "variables flagged,\nand the container and pid namespace each lives in.",
                  epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("pids", nargs="*", metavar="PID", help="processes to show")
    p.add_argument("--all", action="store_true", help="audit every process: who exposes which secrets")
    p.add_argument("--reveal", action="store_true", help="print secret-like values instead of ****")
    p.add_argument("--secrets", action="store_true", help="print only the flagged variables")
    p.add_argument("--json", action="store_true", help="one JSON object per process")
    return p


def _where(rep: EnvReport) -> str:
    c, ns = rep.proc.container, rep.proc.pidns
    if c is None:
        cont = "container: unknown (cgroup not readable)"
    elif c.id is not None:
        cont = f"container: {c.runtime} {c.id}" + (f" pod {c.pod}" if c.pod else "")
        f = rep.proc.facts
        if f is not None:
            cont += "".join(f" {k} {v}" for k, v in (("name", f.name), ("image", f.image),
                                                     ("k8s pod", f.pod_name),
                                                     ("k8s namespace", f.pod_namespace)) if v)
        cont += f" (cgroup {c.cgroup})"
    else:
        cont = "container: none, host" + (f" ({c.unit})" if c.unit else "") + f" (cgroup {c.cgroup})"
    if ns is None or ns.inode is None:
        pidns = "pid namespace: not readable"
    elif ns.ours:
        pidns = f"pid namespace: {ns.inode} (same as syscope's)"
    else:
        pidns = f"pid namespace: {ns.inode} (nested {ns.depth} deep; pid {ns.ns_pid} inside)"
    return f"  {cont}\n  {pidns}"


def _show_one(rep: EnvReport, reveal: bool, secrets_only: bool) -> None:
    p = rep.proc
    print(f"pid {p.pid} ({p.name}) user {p.user or '?'}: {p.command}")
    print(_where(rep))
    if rep.error:
        print(f"  environment: {rep.error}")
        return
    if rep.kernel_thread:
        print("  environment: none (kernel thread)")
        return
    flagged = {f.name: f for f in rep.secrets}
    n = len(flagged)
    note = "" if reveal or not n else " (values redacted; --reveal shows them)"
    print(f"  {len(rep.env)} variables, {n} secret-like{note}")
    for name in sorted(rep.env):
        f = flagged.get(name)
        if f is None:
            if not secrets_only:
                print(f"    {name}={rep.env[name]}")
            continue
        value = rep.env[name] if reveal else f.redacted
        print(f"  ! {name}={value}    [{f.reason}]")


def _audit(reps: list[EnvReport], reveal: bool) -> None:
    total = len(reps)
    denied = [r for r in reps if r.error == "access denied"]
    gone = [r for r in reps if r.error and r.error.startswith("gone")]
    zombies = [r for r in reps if r.error and r.error.startswith("zombie")]
    kthreads = [r for r in reps if r.kernel_thread]
    exposing = [r for r in reps if r.secrets]
    nvars = sum(len(r.secrets) for r in exposing)
    print(f"{total} processes: {total - len(denied) - len(gone) - len(zombies) - len(kthreads)} read, "
          f"{len(kthreads)} kernel threads (no environment), {len(denied)} not readable (access denied), "
          f"{len(zombies)} zombies, {len(gone)} vanished while scanning")
    if not exposing:
        print("no process exposes a secret-like environment variable")
    else:
        in_containers = sum(1 for r in exposing if r.proc.in_container)
        print(f"{len(exposing)} processes expose {nvars} secret-like variables "
              f"({in_containers} of those processes are in containers)"
              + ("" if reveal else "; values redacted, --reveal shows them"))
        width = shutil.get_terminal_size((100, 24)).columns if sys.stdout.isatty() else 10_000
        print(f"{'PID':>7}  {'USER':<10} {'CONTAINER':<20} {'PIDNS':<20} {'COMMAND':<24} SECRETS")
        exposing.sort(key=lambda r: (-len(r.secrets), r.proc.pid))
        for r in exposing[:_AUDIT_ROWS]:
            p = r.proc
            cont = p.container.label() if p.container else "?"
            pidns = p.pidns.label() if p.pidns else "?"
            names = ", ".join(f"{f.name}={r.env[f.name]}" if reveal else f.name for f in r.secrets)
            line = (f"{p.pid:>7}  {(p.user or '?')[:10]:<10} {cont[:20]:<20} {pidns[:20]:<20} "
                    f"{p.command[:24]:<24} {names}")
            print(line[:width])
        if len(exposing) > _AUDIT_ROWS:
            n_more = len(exposing) - _AUDIT_ROWS
            print(f"... and {n_more} more processes (syscope env --all --json lists all)")
        by_name = Counter(f.name for r in exposing for f in r.secrets)
        top = ", ".join(f"{name} ({n})" for name, n in by_name.most_common(8))
        print(f"most exposed names (processes): {top}")
    for label, group in (("not readable", denied), ("vanished", gone)):
        if group:
            pids = ", ".join(str(r.proc.pid) for r in group[:10])
            more = f" +{len(group) - 10}" if len(group) > 10 else ""
            print(f"{label}: {pids}{more}")


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    if args.all and args.pids:
        raise UsageError("give PIDs or --all, not both")
    if not args.all and not args.pids:
        raise UsageError("which process? give a PID or --all")
    if args.all:
        reps = scan_all()
        if args.json:
            for r in reps:
                print(json.dumps(r.to_dict(args.reveal)))
        else:
            _audit(reps, args.reveal)
        return 0
    pids = [check_pid(x) for x in args.pids]
    status = 0
    for i, pid in enumerate(pids):
        rep = read_env(pid)
        if rep.error:
            status = 1
        if args.json:
            print(json.dumps(rep.to_dict(args.reveal)))
            continue
        if i:
            print()
        _show_one(rep, args.reveal, args.secrets)
    if status and len(pids) == 1:
        # One process asked for and its environment could not be read: that is the answer, as
        # an error with its exit code, after the facts that could be read were printed.
        rep_error = rep.error
        if rep_error == "access denied":
            raise AccessDenied(f"may not read the environment of process {pids[0]}: permission denied")
        raise NoSuchProcess(f"environment of process {pids[0]}: {rep_error}")
    return status
