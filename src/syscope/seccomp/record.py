"""Recording a least-privilege profile from a real run.

The recorder runs CMD under a filter whose every outcome is SECCOMP_RET_USER_NOTIF, answered
CONTINUE (seccomp_unotify(2)): the filter is inherited by every child and thread and applies to
every architecture added to it, so a 32-bit child is seen with its own arch, and nothing is lost.
Only calls from the execve of CMD on are seen: the filter is installed just before it.
"""

from __future__ import annotations

import errno as _errno
import os
import select
import time
from collections import defaultdict
from dataclasses import dataclass, field

from syscope._kernel import libseccomp as L
from syscope.errors import KernelError
from syscope.seccomp.enforce import MARKER_NR, Built, spawn, wait_status
from syscope.seccomp.profile import Arg, Profile, Rule
from syscope.seccomp.supervise import _find_listener

# audit arch -> (syscope arch name, SCMP_ARCH_ name)
ARCHES = {0xC000003E: ("x86_64", "SCMP_ARCH_X86_64"), 0x40000003: ("i386", "SCMP_ARCH_X86"),
          0x4000003E: ("x32", "SCMP_ARCH_X32"), 0xC00000B7: ("aarch64", "SCMP_ARCH_AARCH64"),
          0x40000028: ("arm", "SCMP_ARCH_ARM")}
# Calls glibc normally serves from the vDSO (vdso(7)); without a vDSO clock they become syscalls.
VDSO_CALLS = ("clock_gettime", "clock_getres", "gettimeofday", "time", "getcpu")
# CLONE_NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET|NEWTIME (<linux/sched.h>)
CLONE_NS_MASK = 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 \
    | 0x40000000 | 0x00000080


@dataclass
class Recording:
    names: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # SCMP arch -> names
    args: dict[tuple[str, str], set[int]] = field(default_factory=lambda: defaultdict(set))
    clone_flags: list[int] = field(default_factory=list)
    status: int = 0


def record(argv: list[str]) -> Recording:
    native = L.arch_native()
    filt = L.Filter(L.SCMP_ACT_NOTIFY)
    filt.set_nnp(False)
    for sub in ("x86", "x32") if native == 0xC000003E else ("arm",) if native == 0xC00000B7 else ():
        tok = L.arch_resolve(sub)
        if tok:
            filt.add_arch(tok)
    pid = spawn(argv, Built(filt), marker=True)
    rec = Recording()
    try:
        fd = L.pidfd_getfd(pid, _find_listener(pid, time.monotonic() + 10))
    except BaseException:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        raise
    notifier = L.Notifier(fd)
    status: int | None = None
    marker_seen = False
    try:
        poll = select.poll()
        poll.register(fd, select.POLLIN)
        while True:
            events = poll.poll(100)
            hup = False
            for _, ev in events:
                if ev & select.POLLIN:
                    n = notifier.receive()
                    if n is None:
                        continue
                    if not marker_seen and n.pid == pid and n.data.nr == MARKER_NR:
                        marker_seen = True
                        notifier.respond(n.id, error=_errno.ENOSYS)
                        continue
                    notifier.respond(n.id, cont=True)
                    _note(rec, n)
                elif ev & (select.POLLHUP | select.POLLERR):
                    hup = True
            if status is None:
                try:
                    wpid, st = os.waitpid(pid, os.WNOHANG)
                except ChildProcessError as exc:
                    raise KernelError("lost the recorded command") from exc
                if wpid:
                    status = -os.WTERMSIG(st) if os.WIFSIGNALED(st) else os.waitstatus_to_exitcode(st)
            if hup:
                break
    finally:
        notifier.close()
    rec.status = status if status is not None else wait_status(pid)
    return rec


def _note(rec: Recording, n: L.Notif) -> None:
    arch = ARCHES.get(n.data.arch)
    if arch is None:
        return
    name = L.syscall_name(n.data.arch, n.data.nr)
    if name is None:
        return
    rec.names[arch[1]].add(name)
    a0 = int(n.data.args[0])
    if name == "clone":
        rec.args[(arch[1], name)].add(a0)
    elif name in ("socket", "personality"):
        rec.args[(arch[1], name)].add(a0 & 0xFFFFFFFF)


def build_profile(rec: Recording, comment: str, vdso: bool = True,
                  args: bool = False) -> tuple[Profile, list[str]]:
    """A least-privilege profile: default ERRNO(EPERM), the names seen (plus vDSO calls), and with
    ``args`` argument conditions for clone, socket, personality.  Returns notes for the user."""
    notes: list[str] = []
    names: set[str] = set()
    for s in rec.names.values():
        names |= s
    if vdso:
        extra = [n for n in VDSO_CALLS if n not in names]
        if extra:
            notes.append("added " + ", ".join(extra) + ": normally vDSO calls, real syscalls on machines "
                         "without a vDSO clock (--no-vdso leaves them out)")
        names |= set(VDSO_CALLS)
    rules: list[Rule] = []
    cond_rules: list[Rule] = []
    if args:
        for name in ("clone", "socket", "personality"):
            seen: set[int] = set()
            for (_, n), vals in rec.args.items():
                if n == name:
                    seen |= vals
            if name not in names or not seen:
                continue
            if name == "clone":
                if any(v & CLONE_NS_MASK for v in seen):
                    notes.append("clone: namespace flags were used, left unconditional")
                    continue
                cond_rules.append(Rule(names=["clone"], action="SCMP_ACT_ALLOW",
                                       args=[Arg(0, CLONE_NS_MASK, 0, "SCMP_CMP_MASKED_EQ")],
                                       comment="clone without namespace flags"))
            else:
                # One rule per value: two conditions on one argument in a single rule would
                # become an OR inside libseccomp, so each value gets its own rule.
                for v in sorted(seen):
                    cond_rules.append(Rule(names=[name], action="SCMP_ACT_ALLOW",
                                           args=[Arg(0, v, 0, "SCMP_CMP_EQ")],
                                           comment=f"{name} argument 0 as seen"))
            names.discard(name)
    rules.append(Rule(names=sorted(names), action="SCMP_ACT_ALLOW"))
    rules += cond_rules
    arch_order = ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32", "SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"]
    arches = [a for a in arch_order if a in rec.names]
    prof = Profile(default_action="SCMP_ACT_ERRNO", default_errno_ret=_errno.EPERM, architectures=arches,
                   rules=rules, comment=comment)
    return prof, notes
