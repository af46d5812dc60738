"""Log and notify modes: a SECCOMP_RET_USER_NOTIF supervisor (seccomp_unotify(2)).

Every call the profile would deny is sent to us instead, one by one, with the caller blocked, so
nothing is lost or rate-limited (unlike SECCOMP_RET_LOG, which goes through the audit printk
ratelimit).  log mode answers CONTINUE and counts; notify mode prints each call and answers EPERM
(or CONTINUE with --allow-on-notify).
"""

from __future__ import annotations

import errno as _errno
import os
import select
import sys
import time
from collections import Counter
from collections.abc import Callable
from typing import TextIO

from syscope._kernel import libseccomp as L
from syscope.decode import DecodeOptions, Decoder
from syscope.errors import KernelError
from syscope.events import SyscallEvent
from syscope.seccomp.enforce import MARKER_ARG, MARKER_NR, Built, spawn, wait_status
from syscope.sources.ptrace.memory import ProcessMemory
from syscope.syscalls import arch_from_audit


def _find_listener(pid: int, deadline: float) -> int:
    """The fd number of the child's seccomp listener: /proc/PID/fd links read
    ``anon_inode:seccomp notify`` (kernel/seccomp.c init_listener)."""
    while time.monotonic() < deadline:
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                try:
                    if os.readlink(f"/proc/{pid}/fd/{fd}") == "anon_inode:seccomp notify":
                        return int(fd)
                except OSError:
                    continue
        except OSError:
            pass
        try:
            wpid, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            wpid = pid
        if wpid:
            raise KernelError("the command exited before its seccomp filter was loaded")
        time.sleep(0.002)
    raise KernelError("timed out waiting for the seccomp listener")


_decoder: Decoder | None = None


def describe(notif: L.Notif, name: str) -> str:
    """``name(decoded args)`` with syscope.decode; raw hex where the decoder has no table."""
    global _decoder
    raw = tuple(int(a) for a in notif.data.args)
    arch = arch_from_audit(notif.data.arch)
    if arch is not None:
        # The task is blocked in the notified call; process_vm_readv and /proc/PID/mem read it as
        # they read a ptrace-stopped one (both need only PTRACE_MODE_ATTACH, and we are its
        # parent).  What we read is only printed, never used to decide (seccomp_unotify(2) warns
        # that the memory can change).
        mem = ProcessMemory(notif.pid)
        try:
            if _decoder is None:
                _decoder = Decoder(DecodeOptions())
            ev = SyscallEvent(pid=notif.pid, tid=notif.pid, arch=arch, nr=notif.data.nr, name=name,
                              raw_args=raw, ts_enter=time.time())
            _decoder.decode_entry(ev, mem)
            if ev.args:
                return f"{name}({', '.join(ev.args)})"
        except (KeyError, ValueError, LookupError):
            pass  # no decoder plan for this call: raw arguments below
    return f"{name}({', '.join(hex(a) for a in raw)})"


def serve(argv: list[str], built: Built, answer: Callable[[L.Notif], int | None]) -> int:
    """Run ``argv`` under ``built`` (a filter with SECCOMP_RET_USER_NOTIF outcomes) and hand every
    notification to ``answer``: None lets the call continue (SECCOMP_USER_NOTIF_FLAG_CONTINUE),
    an errno fails it.  Returns the raw exit status of the command (negative signal number when
    killed) once every task using the filter is gone.  The one notification loop of syscope: the
    log/notify modes and the ``--recorder notify`` recorder are answers given to it."""
    pid = spawn(argv, built, marker=True)
    status: int | None = None
    try:
        fd = L.pidfd_getfd(pid, _find_listener(pid, time.monotonic() + 10))
    except BaseException:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        raise
    notifier = L.Notifier(fd)
    marker_seen = False
    try:
        poll = select.poll()
        poll.register(fd, select.POLLIN)
        while True:
            events = poll.poll(100)
            hup = False
            for _, ev in events:
                if ev & select.POLLIN:
                    notif = notifier.receive()
                    if notif is None:
                        continue
                    if not marker_seen and notif.pid == pid and notif.data.nr == MARKER_NR \
                            and notif.data.args[0] == MARKER_ARG:
                        marker_seen = True
                        notifier.respond(notif.id, error=_errno.ENOSYS)
                        continue
                    err = answer(notif)
                    if err is None:
                        notifier.respond(notif.id, cont=True)
                    else:
                        notifier.respond(notif.id, error=err)
                elif ev & (select.POLLHUP | select.POLLERR):
                    # Every task using the filter is gone (seccomp_unotify(2), Linux 5.8+).
                    hup = True
            if status is None:
                wpid, st = os.waitpid(pid, os.WNOHANG)
                if wpid:
                    status = os.waitstatus_to_exitcode(st)
            if hup or (status is not None and not events):
                if status is None:
                    status = wait_status(pid)
                if hup:
                    break
                # The command is gone but descendants may still hold the filter: keep serving
                # until the listener hangs up.
    finally:
        notifier.close()
    return status


def supervise(argv: list[str], built: Built, mode: str, allow: bool = False,
              out: TextIO = sys.stderr) -> tuple[int, Counter[str]]:
    """Run ``argv`` under ``built`` (made with default_override=SCMP_ACT_NOTIFY).  Returns the
    raw exit status (negative signal number when killed) and the per-name count of notified calls."""
    counts: Counter[str] = Counter()

    def answer(notif: L.Notif) -> int | None:
        name = L.name_of_call(notif.data.arch, notif.data.nr)
        counts[name] += 1
        if mode == "notify":
            known = L.audit_arches().get(notif.data.arch)
            arch = known[0] if known else hex(notif.data.arch)
            verdict = "allowed" if allow else "denied EPERM"
            print(f"syscope: [pid {notif.pid}] {describe(notif, name)} [{arch}] {verdict}",
                  file=out, flush=True)
        return None if mode == "log" or allow else _errno.EPERM

    return serve(argv, built, answer), counts


def render_counts(counts: Counter[str]) -> str:
    if not counts:
        return "syscope: no call would have been denied"
    lines = ["syscope: calls the profile would have denied:"]
    for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"  {n:6d} {name}")
    return "\n".join(lines)
