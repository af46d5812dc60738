"""``syscope run --profile P [--caps docker|host|LIST] [--mode enforce] -- CMD``."""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
from collections.abc import Iterator
from types import FrameType

from syscope._kernel.libseccomp import SCMP_ACT_LOG, SCMP_ACT_NOTIFY
from syscope.cli.common import ArgParser, command_argv
from syscope.command import resolve_command
from syscope.errors import UnsupportedError, UsageError
from syscope.seccomp import auditlog, enforce
from syscope.seccomp.profile import Profile, load, parse_caps
from syscope.seccomp.supervise import render_counts, supervise


def build_parser() -> argparse.ArgumentParser:
    ap = ArgParser(prog="syscope run", description="run a command under a seccomp profile")
    ap.add_argument("--profile", required=True, help="Docker/OCI JSON or kubernetes YAML profile")
    ap.add_argument("--caps", default="docker",
                    help="capabilities for includes/excludes: docker (default), host, or a list")
    ap.add_argument("--mode", choices=["enforce", "log", "notify"], default="enforce",
                    help="enforce; log: allow all, report what would be denied at exit; "
                         "notify: report each denied call live")
    ap.add_argument("--log-source", choices=["auto", "audit", "notify"], default="auto",
                    help="log mode: audit (SECCOMP_RET_LOG records from the audit multicast group), "
                         "notify (a SECCOMP_RET_USER_NOTIF supervisor), auto: audit where it works")
    ap.add_argument("--allow-on-notify", action="store_true",
                    help="notify mode: let denied calls continue (for recording, never for security)")
    ap.add_argument("-q", "--quiet", action="store_true", help="no warnings about skipped names")
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    return ap


def main(argv: list[str]) -> int:
    ap = build_parser()
    ns = ap.parse_args(argv)
    cmd = command_argv(ns.cmd)
    if not cmd:
        raise UsageError("run: no command (syscope run --profile P -- CMD ...)")
    resolve_command(cmd)
    prof = load(ns.profile)
    caps = parse_caps(ns.caps)
    if ns.mode == "log" and ns.log_source != "notify":
        why = auditlog.available(prof)
        if why is None:
            return _log_via_audit(cmd, prof, caps, ns.quiet)
        if ns.log_source == "audit":
            raise UnsupportedError(f"run: log mode through audit is not available here: {why}")
    if ns.mode != "enforce":
        built = enforce.build(prof, caps, default_override=SCMP_ACT_NOTIFY)
        for w in [] if ns.quiet else built.warnings:
            print(f"syscope: warning: {w}", file=sys.stderr)
        with _command_owns_sigint():
            code, counts = supervise(cmd, built, ns.mode, allow=ns.allow_on_notify)
        if ns.mode == "log":
            print(render_counts(counts), file=sys.stderr)
        return enforce.reraise_exit(code)
    built = enforce.build(prof, caps)
    if not ns.quiet:
        for w in built.warnings:
            print(f"syscope: warning: {w}", file=sys.stderr)
    with _command_owns_sigint():
        code = enforce.wait_status(enforce.spawn(cmd, built))
    return enforce.reraise_exit(code)


def _log_via_audit(cmd: list[str], prof: Profile, caps: frozenset[str], quiet: bool) -> int:
    built = enforce.build(prof, caps, default_override=SCMP_ACT_LOG)
    for w in [] if quiet else built.warnings:
        print(f"syscope: warning: {w}", file=sys.stderr)
    with _command_owns_sigint():
        code, counts, warnings = auditlog.run_logged(cmd, built)
    for w in warnings:
        print(f"syscope: warning: {w}", file=sys.stderr)
    print(render_counts(counts), file=sys.stderr)
    return enforce.reraise_exit(code)


@contextlib.contextmanager
def _command_owns_sigint() -> Iterator[None]:
    """The command owns the terminal's ^C (it is in our process group and gets it too); syscope
    only waits for it, as strace does for its tracee.  A no-op handler, not SIG_IGN: handlers are
    reset by execve, an ignored signal would stay ignored in the command (signal(7)).  When syscope
    itself started with SIGINT ignored (a background job of a script), it stays so for both."""
    old = signal.getsignal(signal.SIGINT)
    if old != signal.SIG_IGN:
        signal.signal(signal.SIGINT, _ignore)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)


def _ignore(_signo: int, _frame: FrameType | None) -> None:
    pass
