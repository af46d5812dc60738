"""``--mode log`` through the audit subsystem: the profile's denials become SECCOMP_RET_LOG, and
the AUDIT_SECCOMP records they produce are read from the audit multicast group (one user-space
reader, nothing stops in syscope, nothing is rate-limited: see syscope._kernel.audit).

Records are system-wide, so the command runs in an audit session of its own: the child writes its
loginuid (the current one, or our uid when unset) before loading the filter, which gives it and
its descendants a fresh ``ses=`` (kernel/audit.c audit_set_loginuid); only records of that
session count.  The end is certain too: syscope is a child subreaper (PR_SET_CHILD_SUBREAPER,
prctl(2)), so it waits for every descendant, then makes one logged call of its own in a sentinel
child; kauditd sends the queue in order, so once the sentinel's record arrives every record of
the command's tree has arrived.

Where any of that is missing (no CONFIG_AUDIT, no CAP_AUDIT_READ/CAP_AUDIT_CONTROL, not the
initial network namespace, an immutable loginuid, "log" not in kernel.seccomp.actions_logged,
a profile that itself uses SCMP_ACT_LOG), ``available()`` says why and the caller uses the
SECCOMP_RET_USER_NOTIF supervisor instead.
"""

from __future__ import annotations

import ctypes
import os
import re
import select
import time
from collections import Counter

from syscope._kernel import audit as A
from syscope._kernel import libseccomp as L
from syscope._kernel.prctl import set_child_subreaper, set_no_new_privs
from syscope.errors import KernelError, SyscopeError
from syscope.seccomp.enforce import MARKER_ARG, MARKER_NR, Built, spawn
from syscope.seccomp.profile import Profile

_FIELDS = re.compile(rb"\b(ses|pid|arch|syscall|code)=(\S+)")


def available(prof: Profile) -> str | None:
    """None when log mode can go through audit here; else the reason it cannot."""
    if prof.default_action == "SCMP_ACT_LOG" or any(r.action == "SCMP_ACT_LOG" for r in prof.rules):
        return "the profile logs calls itself (SCMP_ACT_LOG): its records would mix with the report"
    try:
        with open("/proc/sys/kernel/seccomp/actions_logged") as f:
            if "log" not in f.read().split():
                return "kernel.seccomp.actions_logged does not include log"
        reader = A.RecordReader(rcvbuf=1 << 16)
        reader.close()
        A.lost()
        _probe_session()
    except (OSError, SyscopeError) as exc:
        return str(exc)
    return None


def _session_uid() -> int:
    cur = A.loginuid()
    return cur if cur != A.LOGINUID_UNSET else os.getuid()


def _probe_session() -> None:
    """Can a child of ours start an audit session?  (Writing our own loginuid would change
    syscope's session, so a throwaway child tries.)"""
    uid = _session_uid()
    pid = os.fork()
    if pid == 0:
        try:
            A.new_session(uid)
            os._exit(0)
        except BaseException:
            os._exit(1)
    _, st = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(st) != 0:
        raise KernelError("cannot start an audit session (/proc/self/loginuid not writable)")


def _sentinel() -> int:
    """A child that makes one SECCOMP_RET_LOG call (MARKER_NR) and exits; returns its pid."""
    filt = L.Filter(L.SCMP_ACT_ALLOW)
    filt.set_nnp(False)
    filt.add_rule(L.SCMP_ACT_LOG, MARKER_NR)
    libc = ctypes.CDLL(None, use_errno=True)
    pid = os.fork()
    if pid == 0:
        try:
            set_no_new_privs()
            if filt.load() == 0:
                libc.syscall(MARKER_NR, MARKER_ARG, 0, 0, 0, 0, 0)
        finally:
            os._exit(0)
    return pid


def run_logged(argv: list[str], built: Built) -> tuple[int, Counter[str], list[str]]:
    """Run ``argv`` under ``built`` (made with default_override=SCMP_ACT_LOG) and count, by name,
    the calls the profile would have denied.  Returns (exit status or -signal, counts, warnings)."""
    counts: Counter[str] = Counter()
    warnings: list[str] = []
    reader = A.RecordReader()  # subscribed before the command starts
    try:
        lost0 = A.lost()
        set_child_subreaper(True)
        r, w = os.pipe()
        try:
            pid = spawn(argv, built, session=(w, _session_uid()))
        finally:
            os.close(w)
        with os.fdopen(r, "rb") as f:
            line = f.readline().decode().strip()
        if not line or line.startswith("E"):
            os.waitpid(pid, 0)
            raise KernelError(f"cannot start an audit session for the command: {line[2:] or 'no answer'}")
        ses = line.encode()
        sentinel: int | None = None
        status: int | None = None
        done = False
        deadline = 0.0
        while not done:
            ready = select.select([reader], [], [], 0.05)[0]
            if ready:
                for typ, text in reader.read():
                    if typ != A.AUDIT_SECCOMP:
                        continue
                    f2 = dict(_FIELDS.findall(text))
                    if f2.get(b"code") != b"0x7ffc0000":  # SECCOMP_RET_LOG
                        continue
                    nr, arch = int(f2.get(b"syscall", b"-1")), int(f2.get(b"arch", b"0"), 16)
                    if f2.get(b"ses") == ses:
                        counts[L.name_of_call(arch, nr)] += 1
                    elif sentinel is not None and f2.get(b"pid") == str(sentinel).encode() and nr == MARKER_NR:
                        done = True
            if sentinel is None:
                # Reap the whole tree: orphans come to us as subreaper; ECHILD when none is left.
                try:
                    while True:
                        wpid, st = os.waitpid(-1, os.WNOHANG)
                        if wpid == 0:
                            break
                        if wpid == pid:
                            status = os.waitstatus_to_exitcode(st)
                except ChildProcessError:
                    sentinel = _sentinel()
                    deadline = time.monotonic() + 5.0
            elif time.monotonic() > deadline:
                warnings.append("the end-of-run audit record did not arrive: counts may be short")
                break
        if sentinel is not None:
            os.waitpid(sentinel, 0)
        lost = A.lost() - lost0
        if lost > 0 or reader.overruns:
            warnings.append(f"the kernel lost audit records meanwhile ({lost} system-wide, "
                            f"{reader.overruns} overruns of our socket): counts may be short")
    finally:
        set_child_subreaper(False)
        reader.close()
    return (status if status is not None else 0), counts, warnings
