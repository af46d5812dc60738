"""Recording a least-privilege profile from a real run.

The default recorder is syscope's own ptrace engine with -f (syscope.sources.ptrace.engine.Tracer): every
syscall of every process and thread of the tree, from the execve of CMD on (the engine hides its
own set-up before that exec, as strace does), each with the architecture PTRACE_GET_SYSCALL_INFO
reports, so a 32-bit child gets its own arch entry.  Calls that never return (exit, exit_group, a
successful execve seen from the old image) come as ``unfinished`` events and are recorded too.

``--recorder notify`` runs CMD under a filter whose every outcome is SECCOMP_RET_USER_NOTIF,
answered CONTINUE (seccomp_unotify(2)) by the one notification loop of supervise.serve.  It needs
no ptrace (it works under another tracer or a Yama ptrace_scope of 3), but it leaves a seccomp
filter in the recorded tree and each call costs a round trip to syscope, as a ptrace stop does.
"""

from __future__ import annotations

import errno as _errno
import os
import signal
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from types import FrameType

from syscope._kernel import libseccomp as L
from syscope.errors import UsageError
from syscope.seccomp.profile import Arg, Profile, Rule

RECORDERS = ("ptrace", "notify")
# the tracer's arch names (SyscallEvent.arch) -> SCMP_ARCH_ names
_SCMP_OF = {name: scmp for name, _lname, scmp in L.ARCH_NAMES}
# Calls glibc normally serves from the vDSO (vdso(7)); without a vDSO clock they become syscalls.
VDSO_CALLS = ("clock_gettime", "clock_getres", "gettimeofday", "time", "getcpu")


def _clone_ns_mask() -> int:
    """CLONE_NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET|NEWTIME, from <linux/sched.h> as
    syscope.decode has it (its unshare(2) flag table holds every CLONE_NEW* flag)."""
    from syscope.decode.fmt import consts
    from syscope.syscalls import native_arch

    return sum(v for v, n in consts(native_arch())["unshare_flags"] if n.startswith("CLONE_NEW"))


@dataclass
class Recording:
    names: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # SCMP arch -> names
    args: dict[tuple[str, str], set[int]] = field(default_factory=lambda: defaultdict(set))
    status: int = 0  # exit code, or the negative number of the signal that killed the command
    calls: int = 0  # syscalls seen
    unnamed: set[str] = field(default_factory=set)  # "arch:nr" of calls no table names

    def add(self, scmp_arch: str, name: str, arg0: int) -> None:
        self.calls += 1
        self.names[scmp_arch].add(name)
        if name == "clone":
            self.args[(scmp_arch, name)].add(arg0)
        elif name in ("socket", "personality"):
            # int arguments: seccomp compares the low 32 bits the kernel reads
            self.args[(scmp_arch, name)].add(arg0 & 0xFFFFFFFF)


def record(argv: list[str], recorder: str = "ptrace") -> Recording:
    """Run ``argv`` to its end and return what it called.  The command owns the terminal's ^C:
    a first SIGINT/SIGTERM/SIGHUP is passed on to it and the recording goes on to its exit."""
    if recorder == "ptrace":
        return record_ptrace(argv)
    if recorder == "notify":
        return record_notify(argv)
    raise UsageError(f"profile: unknown recorder {recorder!r} (one of {', '.join(RECORDERS)})")


def record_ptrace(argv: list[str]) -> Recording:
    from syscope.events import SyscallEvent
    from syscope.sources.ptrace.engine import Tracer

    rec = Recording()
    tracer = Tracer(argv, follow_forks=True, decode=False)
    seen_signal = False

    def on_signal(signo: int, _frame: FrameType | None) -> None:
        nonlocal seen_signal
        if seen_signal:  # a second one: stop recording (the engine drains the tree, then kills it)
            tracer.request_stop()
        seen_signal = True
        if tracer.child is not None:
            try:
                os.kill(tracer.child, signo)
            except OSError:
                pass

    # A Python handler, not SIG_IGN: handlers are reset by execve (signal(7)), an ignored signal
    # would stay ignored in the command.
    with _signals(on_signal):
        for ev in tracer.events():
            if not isinstance(ev, SyscallEvent) or ev.phase != "exit":
                continue
            scmp = _SCMP_OF.get(ev.arch)
            if scmp is None or ev.name.startswith("syscall_"):
                rec.unnamed.add(f"{ev.arch}:{ev.nr}")
                continue
            rec.add(scmp, ev.name, ev.raw_args[0] if ev.raw_args else 0)
    st = tracer.exit_status
    if st is not None:
        rec.status = os.waitstatus_to_exitcode(st)
    return rec


def record_notify(argv: list[str]) -> Recording:
    from syscope.seccomp.enforce import Built
    from syscope.seccomp.supervise import serve

    native = L.arch_native()
    filt = L.Filter(L.SCMP_ACT_NOTIFY)
    filt.set_nnp(False)
    native_name = L.audit_arches().get(native, ("",))[0]
    for sub in ("x86", "x32") if native_name == "x86_64" else ("arm",) if native_name == "aarch64" else ():
        tok = L.arch_resolve(sub)
        if tok:
            filt.add_arch(tok)
    rec = Recording()

    def answer(n: L.Notif) -> int | None:
        _note(rec, n)
        return None

    def on_signal(signo: int, _frame: FrameType | None) -> None:
        pass  # the command, in our process group, got it too; we serve it to its end

    with _signals(on_signal):
        rec.status = serve(argv, Built(filt), answer)
    return rec


class _signals:
    """Install ``handler`` for SIGINT/SIGTERM/SIGHUP for the duration of a recording."""

    SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)

    def __init__(self, handler: Callable[[int, FrameType | None], None]) -> None:
        self.handler = handler
        self.old: list[object] = []

    def __enter__(self) -> None:
        self.old = [signal.signal(s, self.handler) for s in self.SIGNALS]

    def __exit__(self, *exc: object) -> None:
        for s, old in zip(self.SIGNALS, self.old, strict=True):
            signal.signal(s, old)  # type: ignore[arg-type]


def _note(rec: Recording, n: L.Notif) -> None:
    arch = L.audit_arches().get(n.data.arch)
    name = L.syscall_name(n.data.arch, n.data.nr) if arch is not None else None
    if arch is None or name is None:
        rec.unnamed.add(f"{arch[0] if arch else hex(n.data.arch)}:{n.data.nr}")
        return
    rec.add(arch[1], name, int(n.data.args[0]))


def build_profile(rec: Recording, comment: str, vdso: bool = True,
                  args: bool = False) -> tuple[Profile, list[str]]:
    """A least-privilege profile: default ERRNO(EPERM), the names seen (plus vDSO calls), and with
    ``args`` argument conditions for clone, socket, personality.  Returns notes for the user."""
    notes: list[str] = []
    if rec.unnamed:
        notes.append("calls no syscall table names were left out (the profile's default denies them): "
                     + ", ".join(sorted(rec.unnamed)))
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
    ns_mask = _clone_ns_mask()
    if args:
        for name in ("clone", "socket", "personality"):
            seen: set[int] = set()
            for (_, n), vals in rec.args.items():
                if n == name:
                    seen |= vals
            if name not in names or not seen:
                continue
            if name == "clone":
                if any(v & ns_mask for v in seen):
                    notes.append("clone: namespace flags were used, left unconditional")
                    continue
                cond_rules.append(_clone_rule(ns_mask))
            else:
                # One rule per value: two conditions on one argument in a single rule would
                # become an OR inside libseccomp, so each value gets its own rule.
                for v in sorted(seen):
                    cond_rules.append(Rule(names=[name], action="SCMP_ACT_ALLOW",
                                           args=[Arg(0, v, 0, "SCMP_CMP_EQ")],
                                           comment=f"{name} argument 0 as seen"))
            names.discard(name)
    # "clone" is still in names only when it was used with namespace flags (left unconditional)
    if args and "clone3" in names and "clone" not in names:
        # clone3's flags are in memory (struct clone_args), where seccomp cannot look
        # (seccomp(2): "the seccomp filter cannot dereference pointers"), so an allowed clone3
        # would undo the clone rule.  ENOSYS makes glibc fall back to clone (__clone_internal),
        # which the rule checks: what Docker's default profile does for clone3.
        names.discard("clone3")
        if not any(r.names == ["clone"] for r in cond_rules):
            cond_rules.append(_clone_rule(ns_mask))
        cond_rules.append(Rule(names=["clone3"], action="SCMP_ACT_ERRNO", errno_ret=_errno.ENOSYS,
                               comment="clone3 flags cannot be checked: ENOSYS, so glibc uses clone"))
        notes.append("clone3: answered ENOSYS (its flags are out of seccomp's reach); glibc falls back "
                     "to clone, checked for namespace flags; a program without that fallback needs a "
                     "profile recorded without --args")
    rules.append(Rule(names=sorted(names), action="SCMP_ACT_ALLOW"))
    rules += cond_rules
    arches = [a for _, a in L.audit_arches().values() if a in rec.names]
    prof = Profile(default_action="SCMP_ACT_ERRNO", default_errno_ret=_errno.EPERM, architectures=arches,
                   rules=rules, comment=comment)
    return prof, notes


def _clone_rule(ns_mask: int) -> Rule:
    return Rule(names=["clone"], action="SCMP_ACT_ALLOW", args=[Arg(0, ns_mask, 0, "SCMP_CMP_MASKED_EQ")],
                comment="clone without namespace flags")
