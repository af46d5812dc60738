"""``syscope profile``: record, merge, check, diff and explain seccomp profiles.

    syscope profile [-o OUT] [--format docker|oci|containers|kubernetes] [--name N] [--args] [--no-vdso]
                    [--recorder ptrace|notify] [--runtime runc] -- CMD
    syscope profile --container NAME|ID [--duration S] -o OUT      (eBPF, from the host)
    syscope profile -o OUT -- podman run ...                       (eBPF, from the container's start)
    syscope profile --merge A B ... [-o OUT] [--format F]
    syscope profile check FILE...
    syscope profile diff A B
    syscope profile explain PROFILE TRACE.jsonl
"""

from __future__ import annotations

import argparse
import datetime
import os
import shlex
import signal
import sys

from syscope.cli.common import ArgParser, command_argv
from syscope.command import resolve_command
from syscope.errors import ProfileError, UsageError
from syscope.proc.containers import ContainerFacts
from syscope.seccomp import check
from syscope.seccomp.container_record import is_container_run
from syscope.seccomp.formats import FORMATS, render, validate
from syscope.seccomp.profile import Profile, load
from syscope.seccomp.record import RECORDERS


def _write(text: str, out: str | None) -> None:
    if out is None or out == "-":
        sys.stdout.write(text)
        return
    try:
        with open(out, "w") as f:
            f.write(text)
    except OSError as exc:
        raise ProfileError(f"{out}: {exc.strerror}") from None


def main(argv: list[str]) -> int:
    if argv and argv[0] == "check":
        return _check(argv[1:])
    if argv and argv[0] == "diff":
        return _diff(argv[1:])
    if argv and argv[0] == "explain":
        return _explain(argv[1:])
    return _record_or_merge(argv)


def _check(argv: list[str]) -> int:
    ap = ArgParser(prog="syscope profile check")
    ap.add_argument("files", nargs="+")
    ns = ap.parse_args(argv)
    worst = 0
    for f in ns.files:
        findings = check.check_file(f)
        for fd in findings:
            print(f"{f}: {fd}")
        if any(x.level == "error" for x in findings):
            worst = max(worst, 2)
        elif findings:
            worst = max(worst, 1)
        if not findings:
            print(f"{f}: ok")
    return worst


def _diff(argv: list[str]) -> int:
    ap = ArgParser(prog="syscope profile diff")
    ap.add_argument("a")
    ap.add_argument("b")
    ns = ap.parse_args(argv)
    a, b = load(ns.a), load(ns.b)
    only_a, only_b, differ = check.diff(a, b)
    da, db = _default_text(a), _default_text(b)
    if da != db:
        print(f"default: {da} in {ns.a}, {db} in {ns.b}")
    for n in only_a:
        print(f"< {n}")
    for n in only_b:
        print(f"> {n}")
    for n in differ:
        print(f"~ {n} (conditions differ)")
    print(f"{len(only_a)} only in {ns.a}, {len(only_b)} only in {ns.b}, {len(differ)} with different "
          "conditions")
    return 1 if only_a or only_b or differ else 0


def _default_text(p: Profile) -> str:
    if p.default_action in ("SCMP_ACT_ERRNO", "SCMP_ACT_TRACE"):
        import errno

        n = p.default_errno_ret if p.default_errno_ret is not None else errno.EPERM
        return f"{p.default_action}({errno.errorcode.get(n, n)})"
    return p.default_action


def _explain(argv: list[str]) -> int:
    ap = ArgParser(prog="syscope profile explain")
    ap.add_argument("profile")
    ap.add_argument("trace", help="JSON lines of syscope events (syscope -o F --json ...), or a "
                    "capture of syscope watch -w")
    ns = ap.parse_args(argv)
    prof = load(ns.profile)
    used = check.trace_names(ns.trace)
    unused = check.explain(prof, used)
    allowed = check.all_allowed(prof)
    for n in unused:
        why = check.DANGEROUS.get(n)
        print(f"unused: {n}" + (f"  (dangerous: {why})" if why else ""))
    denied = sorted(used - allowed)
    for n in denied:
        print(f"used but not allowed: {n}")
    print(f"{len(allowed) - len(unused)} of {len(allowed)} allowed calls used by the trace; "
          f"{len(unused)} could be removed")
    return 0


EXAMPLES = """\
examples:
  syscope profile -o app.json -- ./app --selftest
  syscope profile --format kubernetes --name app -o app.yaml -- ./app
  syscope profile --runtime runc -o app.json -- ./app      # for podman/docker --security-opt
  syscope profile --container web -o web.json              # a running container, from the host
  syscope profile -o web.json -- podman run --rm IMAGE CMD # a container from its first call
  syscope profile check containers-common.json config.json spo.yaml
  syscope profile diff app.json docker-default.json
"""


def build_parser() -> argparse.ArgumentParser:
    ap = ArgParser(prog="syscope profile", description="record, merge, check and compare seccomp profiles",
                   epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-o", "--output")
    ap.add_argument("--format", choices=FORMATS, default="docker",
                    help="docker (moby), oci (runtime-spec linux.seccomp), containers (containers/common: "
                         "podman, CRI-O), kubernetes (security-profiles-operator SeccompProfile)")
    ap.add_argument("--name", default=None, help="kubernetes: metadata.name")
    ap.add_argument("--args", action="store_true",
                    help="argument rules for clone (no namespace flags), socket families, personality")
    ap.add_argument("--no-vdso", action="store_true", help="leave out vDSO calls that were not seen")
    ap.add_argument("--recorder", choices=RECORDERS, default=None,
                    help="ptrace: syscope's tracer with -f (default); notify: a SECCOMP_RET_USER_NOTIF "
                         "filter (a `podman run` command is recorded through eBPF, see --container)")
    ap.add_argument("--container", metavar="NAME|ID",
                    help="record a running container from the host through eBPF, scoped to its cgroup, "
                         "until it exits, --duration passes or ^C (adds --runtime runc)")
    ap.add_argument("--duration", type=float, metavar="S", help="--container: stop after S seconds")
    ap.add_argument("--merge", nargs="+", metavar="PROFILE")
    ap.add_argument("--runtime", metavar="RUNTIME", default=None,
                    help="also allow what this OCI runtime's init calls after loading the filter "
                         "(runc; recorded data, see tools/gen_runtime_calls.py), for a profile "
                         "used by a container")
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    return ap


def _check_output(out: str | None) -> None:
    if out not in (None, "-"):
        # say so before the command runs, not after a long recording
        d = os.path.dirname(os.path.abspath(out))
        if not os.path.isdir(d) or not os.access(d, os.W_OK):
            raise ProfileError(f"{out}: cannot write there ({d} is not a writable directory)")


def _record_container(ns: argparse.Namespace, cmd: list[str]) -> tuple[Profile, int, str]:
    """--container REF, or a `podman run` command: eBPF counts scoped to the container; the
    runtime's own calls are added (runc unless --runtime says otherwise)."""
    from syscope.seccomp import container_record, record

    if ns.args or ns.recorder:
        raise UsageError("profile: --args and --recorder do not apply to containers (recorded by "
                         "eBPF call counts, without arguments)")
    if ns.container and cmd:
        raise UsageError("profile: --container records a running container; give no command")
    _check_output(ns.output)
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if ns.container:
        got = container_record.record_container(ns.container, ns.duration)
        what = f"container {got.facts.name if got.facts and got.facts.name else ns.container}"
        if got.facts is not None and got.facts.image:
            what += f" (image {got.facts.image})"
        why = {"exited": "the container exited", "duration": "--duration",
               "interrupted": "interrupted"}.get(got.ended, got.ended)
        how = f"{why} after {got.seconds:.1f} s"
        print("syscope: note: calls the container made before the recording began (its start-up) are "
              "not in the profile; `syscope profile -- podman run ...` records from the start", file=sys.stderr)
    else:
        resolve_command(cmd)
        got = container_record.record_podman_run(cmd)
        what = shlex.join(cmd)
        how = f"exit {got.rec.status}"
    comment = f"recorded by syscope from {what} on {now} ({how}), eBPF call counts"
    prof, notes = record.build_profile(got.rec, comment, vdso=not ns.no_vdso)
    for n in notes:
        print(f"syscope: note: {n}", file=sys.stderr)
    if ns.runtime is None:
        ns.runtime = _runtime_for(got.facts, cmd)
    base = got.facts.name if got.facts is not None and got.facts.name else "container"
    name = ns.name or "".join(c if c.isalnum() else "-" for c in base.lower()).strip("-") or "container"
    return prof, got.rec.status if not ns.container else 0, name


def _runtime_for(facts: ContainerFacts | None, cmd: list[str]) -> str:
    """The runtime whose post-filter calls to add: the container's own (podman's --runtime in the
    command, else what its state says) when syscope has its calls recorded, else runc (a note)."""
    from syscope.proc.containers import oci_runtime
    from syscope.seccomp.runtime import recorded_runtimes

    rt = None
    for i, a in enumerate(cmd):
        if a == "--runtime" and i + 1 < len(cmd):
            rt = cmd[i + 1]
        elif a.startswith("--runtime="):
            rt = a.split("=", 1)[1]
    if rt is None and facts is not None:
        rt = oci_runtime(facts)
    if rt is not None and os.path.basename(rt) in recorded_runtimes():
        return os.path.basename(rt)
    if rt is not None:
        print(f"syscope: note: the container runs under {rt}, whose calls syscope has not recorded; "
              "runc's are added", file=sys.stderr)
    return "runc"


def _record_or_merge(argv: list[str]) -> int:
    ap = build_parser()
    ns = ap.parse_args(argv)
    cmd = command_argv(ns.cmd)
    name = ns.name or "profile"
    status = 0
    if ns.runtime:
        from syscope.seccomp.runtime import runtime_calls

        runtime_calls(ns.runtime)  # an unknown runtime is said before a long recording
    if ns.duration is not None and (not ns.container or ns.duration <= 0):
        raise UsageError("profile: --duration takes a positive number of seconds, with --container")
    if ns.merge:
        if cmd or ns.container:
            raise UsageError("profile: --merge takes profiles, not a command or a container")
        prof = check.merge([load(p) for p in ns.merge])
    elif ns.container or is_container_run(cmd) and ns.recorder is None:
        prof, status, name = _record_container(ns, cmd)
    else:
        if not cmd:
            raise UsageError("profile: no command (syscope profile -o OUT -- CMD ...)")
        from syscope.seccomp import record

        resolve_command(cmd)
        _check_output(ns.output)
        rec = record.record(cmd, ns.recorder or "ptrace")
        status = rec.status
        now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        how = f"exit {rec.status}" if rec.status >= 0 else f"killed by {signal.Signals(-rec.status).name}"
        comment = f"recorded by syscope from: {shlex.join(cmd)} on {now} ({how})"
        prof, notes = record.build_profile(rec, comment, vdso=not ns.no_vdso, args=ns.args)
        for n in notes:
            print(f"syscope: note: {n}", file=sys.stderr)
        if ns.name is None and ns.format == "kubernetes":
            name = "".join(c if c.isalnum() else "-" for c in cmd[0].rsplit("/", 1)[-1].lower()).strip("-")
    if ns.runtime:
        from syscope.seccomp.profile import add_runtime_calls

        added = add_runtime_calls(prof, ns.runtime)
        if added:
            print(f"syscope: note: added for {ns.runtime}'s init: {', '.join(added)}", file=sys.stderr)
    text = render(prof, ns.format, name=name)
    # Never write a file our own schema rejects.
    import json

    import yaml

    doc = yaml.safe_load(text) if ns.format == "kubernetes" else json.loads(text)
    errs = validate(doc, ns.format)
    if errs:
        raise ProfileError(f"generated profile fails the {ns.format} schema: {errs[0]}")
    _write(text, ns.output)
    if status:
        # Exit as the command did (as `syscope run` and strace do): a failed self-test shows.
        from syscope.seccomp.enforce import reraise_exit

        return reraise_exit(status)
    return 0
