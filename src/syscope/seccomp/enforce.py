"""Turn a Profile into a libseccomp filter, resolved as Docker + runc do, and run a command under it.

The whole filter is built (and every refusal reported) in the parent; the forked child only sets
no_new_privs, calls seccomp_load and execve, so a command never starts under a half-loaded filter.
"""

from __future__ import annotations

import ctypes
import errno as _errno
import os
import signal
import sys
from dataclasses import dataclass, field

from syscope._kernel import audit as _audit
from syscope._kernel import libseccomp as L
from syscope._kernel.prctl import set_no_new_privs
from syscope.command import resolve_command, restore_signals
from syscope.errors import KernelError, ProfileError, SyscopeError
from syscope.seccomp.profile import GOARCH, Profile, errno_of, kernel_version, rule_applies

# A syscall number no arch defines: the child calls it right after seccomp_load so that it blocks
# in a notification until the supervisor holds the listener fd (the kernel creates that fd
# O_CLOEXEC, so without the pause execve could close it before the parent fetched it).
MARKER_NR = 1000
MARKER_ARG = 0x73637065  # "scpe": tells the marker call from a program's own call of 1000


# libseccomp 2.5 refuses SCMP_ACT_ERRNO/TRACE data from 4095 on (EINVAL from seccomp_init and
# seccomp_rule_add), although the kernel takes any value and caps it at MAX_ERRNO = 4095
# (kernel/seccomp.c, SECCOMP_RET_ERRNO); runc loads through libseccomp too.
LIBSECCOMP_MAX_ERRNO = 4094


def _loadable_errno(action: str, errno_ret: int | None, where: str) -> int:
    n = errno_of(action, errno_ret)
    if n > LIBSECCOMP_MAX_ERRNO:
        raise ProfileError(f"{where}: errno {n}: libseccomp (which loads the filter, for runc too) refuses "
                           f"values above {LIBSECCOMP_MAX_ERRNO}")
    return n


def action_value(action: str, errno_ret: int | None, where: str = "$") -> int:
    if action in ("SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD"):
        return L.SCMP_ACT_KILL_THREAD
    if action == "SCMP_ACT_KILL_PROCESS":
        return L.SCMP_ACT_KILL_PROCESS
    if action == "SCMP_ACT_TRAP":
        return L.SCMP_ACT_TRAP
    if action == "SCMP_ACT_ERRNO":
        return L.SCMP_ACT_ERRNO(_loadable_errno(action, errno_ret, where))
    if action == "SCMP_ACT_TRACE":
        # runc passes errnoRet as the SECCOMP_RET_DATA of TRACE too (defaulting to EPERM).
        return L.SCMP_ACT_TRACE(_loadable_errno(action, errno_ret, where))
    if action == "SCMP_ACT_ALLOW":
        return L.SCMP_ACT_ALLOW
    if action == "SCMP_ACT_LOG":
        return L.SCMP_ACT_LOG
    if action == "SCMP_ACT_NOTIFY":
        raise ProfileError("SCMP_ACT_NOTIFY needs a listener; use --mode notify instead")
    raise ProfileError(f"unknown action {action}")


def _arch_token(scmp_name: str) -> int | None:
    # SCMP_ARCH_X86_64 -> "x86_64": libseccomp's arch names are the suffixes, lower-cased.
    return L.arch_resolve(scmp_name.removeprefix("SCMP_ARCH_").lower())


_NATIVE_SCMP = {"x86_64": "SCMP_ARCH_X86_64", "aarch64": "SCMP_ARCH_AARCH64", "s390x": "SCMP_ARCH_S390X",
                "riscv64": "SCMP_ARCH_RISCV64", "ppc64le": "SCMP_ARCH_PPC64LE"}


@dataclass
class Built:
    filt: L.Filter
    warnings: list[str] = field(default_factory=list)
    arches: list[int] = field(default_factory=list)
    enosys: int = 0  # number of ENOSYS rules added for syscalls newer than the profile


def build(prof: Profile, caps: frozenset[str], default_override: int | None = None) -> Built:
    """Build the filter.  ``default_override`` replaces the denying outcomes (log/notify modes)."""
    default = action_value(prof.default_action, prof.default_errno_ret, "$.defaultErrnoRet")
    allow_default = default in (L.SCMP_ACT_ALLOW, L.SCMP_ACT_LOG)
    filt_default = default if default_override is None or allow_default else default_override
    native = L.arch_native()
    warnings: list[str] = []
    # Architectures as moby resolves them: the archMap entry of this machine's arch with its
    # subArchitectures, else the plain "architectures" list (moby profiles/seccomp/seccomp_linux.go).
    machine = os.uname().machine
    names: list[str] = []
    if prof.arch_map:
        for arch, subs in prof.arch_map:
            if arch == _NATIVE_SCMP.get(machine):
                names = [arch, *subs]
    else:
        names = list(prof.architectures)
    subs_tok: list[int] = []
    for n in names:
        tok = _arch_token(n)
        if tok is None:
            warnings.append(f"architecture {n} unknown to libseccomp, skipped")
        elif tok != native and tok not in subs_tok:
            subs_tok.append(tok)
    arches = [native, *subs_tok]
    goarch = GOARCH.get(machine, machine)
    kver = kernel_version()
    maxnr: dict[int, int] = {a: -1 for a in arches}
    exec_allowed = allow_default
    # (action, native nr, conditions, native only): a rule added by number for a name this
    # libseccomp does not know can only go to the native filter (see _by_number).
    rules: list[tuple[int, int, list[tuple[int, int, int, int]], bool]] = []
    by_number: dict[str, int | None] = {}
    for rule in prof.rules:
        if not rule_applies(rule, caps, goarch, kver):
            continue
        act = action_value(rule.action, rule.errno_ret, f"{rule.path}.errnoRet")
        conds = [(a.index, L.CMP_OPS[a.op], a.value, a.value_two) for a in rule.args]
        for name in rule.names:
            nr = L.syscall_nr(native, name)
            native_only = nr is None
            if nr is None:
                if name not in by_number:
                    by_number[name] = _by_number(name, subs_tok, warnings)
                nr = by_number[name]
                if nr is None:
                    continue
                maxnr[native] = max(maxnr[native], nr)
            for a in arches:
                anr = L.syscall_nr(a, name)
                if anr is not None and anr >= 0:
                    maxnr[a] = max(maxnr[a], anr)
            if name in ("execve", "execveat") and act in (L.SCMP_ACT_ALLOW, L.SCMP_ACT_LOG):
                exec_allowed = True
            if default_override is not None and act not in (L.SCMP_ACT_ALLOW, L.SCMP_ACT_LOG):
                # log/notify modes: whatever the profile would deny goes to the supervisor.
                act = default_override
            # runc skips rules whose action equals the default (libseccomp would refuse them
            # with EACCES anyway: seccomp_rule_add(3)).
            if act != filt_default:
                rules.append((act, nr, conds, native_only))
    if not exec_allowed:
        raise ProfileError("the profile blocks execve: the command could never start under it")

    def make(arch_list: list[int]) -> L.Filter:
        f = L.Filter(filt_default)
        # libseccomp would set NNP itself at load; the child sets it with prctl first.
        f.set_nnp(False)
        for a in arch_list:
            f.add_arch(a)
        if native not in arch_list:
            f.remove_arch(native)
        # rule numbers are native ones; libseccomp translates them for each arch by name
        for act, nr, conds, native_only in rules:
            if native_only and native not in arch_list:
                continue
            f.add_rule(act, nr, conds)
        return f

    # The native arch gets a filter of its own so that numbers libseccomp has no name for can
    # still get rules (rules for other arches are translated by name); seccomp_merge(3) joins them.
    filt = make([native])
    enosys = 0
    # A default of ERRNO(ENOSYS) (containers/common's profile) already answers every call the
    # profile does not name with ENOSYS, on each arch of the filter, which is what runc's stub
    # is for; adding ENOSYS rules then would repeat the default, which libseccomp refuses with
    # EACCES (seccomp_rule_add(3)): runc likewise generates no stub for such a default.
    stub = default_override is None and not allow_default and filt_default != L.SCMP_ACT_ERRNO(_errno.ENOSYS)
    if stub:
        enosys += _add_enosys_native(filt, maxnr[native])
    if default_override == L.SCMP_ACT_NOTIFY and allow_default:
        # The supervisor needs one call that is always notified (see spawn); with an allowing
        # default, a rule for the marker number provides it.
        filt.add_rule(default_override, MARKER_NR)
    if subs_tok:
        sub = make(subs_tok)
        if stub:
            enosys += _add_enosys_named(sub, subs_tok, maxnr, native)
        filt.merge(sub)
    return Built(filt, warnings, arches, enosys)


def _by_number(name: str, subs: list[int], warnings: list[str]) -> int | None:
    """The native number of a syscall this libseccomp has no name for (2.5.4 stops at Linux 6.1's
    futex_waitv/cachestat...; mseal, statmount... came later), from syscope's own tables.
    seccomp_rule_add(3) takes any number for the native arch (libseccomp only translates numbers
    for the other arches of a filter, by name: arch_syscall_translate() in src/arch.c), so the rule
    is native-only; the sub-arches keep their default (or ENOSYS) for it."""
    from syscope.syscalls import native_arch, table

    ver = ".".join(map(str, L.version()))
    try:
        info = table(native_arch()).by_name(name)
    except SyscopeError:
        info = None
    if info is None:
        warnings.append(f"{name}: unknown to libseccomp {ver} and to syscope's syscall tables, skipped")
        return None
    where = f"added by number {info.nr} for {native_arch()}"
    if subs:
        where += " only (libseccomp translates rules for other arches by name)"
    warnings.append(f"{name}: unknown to libseccomp {ver}, {where}")
    return info.nr


def _add_enosys_native(filt: L.Filter, maxnr: int) -> int:
    """runc's patchbpf behaviour (libcontainer/seccomp/patchbpf): a syscall numbered above the
    highest one the profile names gets ENOSYS instead of the default errno, so that programs fall
    back to older calls (glibc's clone3 -> clone) rather than fail with EPERM.  runc prepends a
    cBPF stub; here ERRNO(ENOSYS) rules cover every number above the max up to 1023, named by
    libseccomp or not (the syscall tables of all arches end well below that)."""
    if maxnr < 0:
        return 0
    added = 0
    for nr in range(maxnr + 1, 1024):
        filt.add_rule(L.SCMP_ACT_ERRNO(_errno.ENOSYS), nr)
        added += 1
    return added


def _add_enosys_named(filt: L.Filter, arches: list[int], maxnr: dict[int, int], native: int) -> int:
    """The same for the other arches of the filter, by name (rules are translated by name): the
    numbers libseccomp knows above each arch's max, when the name is above the max on all of them."""
    cands: set[str] = set()
    for a in arches:
        m = maxnr[a]
        if m < 0:
            continue
        base = m & ~0x3FF
        for num in range(m + 1, base + 0x400):
            n = L.syscall_name(a, num)
            if n is not None:
                cands.add(n)
    added = 0
    for n in sorted(cands):
        nr = L.syscall_nr(native, n)
        ok = nr is not None and all(
            (anr := L.syscall_nr(a, n)) is None or anr < 0 or anr > maxnr[a] for a in arches)
        if ok and nr is not None:
            try:
                filt.add_rule(L.SCMP_ACT_ERRNO(_errno.ENOSYS), nr)
                added += 1
            except ProfileError:
                pass  # no such call on these arches, or already covered by a profile rule
    return added


def spawn(argv: list[str], built: Built, marker: bool = False,
          session: tuple[int, int] | None = None) -> int:
    """Fork, set no_new_privs, seccomp_load, execve.  Returns the child's pid.

    ``session`` (fd, uid): before anything else the child starts a new audit session by writing
    ``uid`` to its loginuid, and writes the session id (or ``E`` on failure, then exits 126) to
    the fd, a pipe the parent reads (its fds are O_CLOEXEC: execve closes them)."""
    path = resolve_command(argv)
    libc = ctypes.CDLL(None, use_errno=True)
    c_argv = (ctypes.c_char_p * (len(argv) + 1))(*[a.encode() for a in argv], None)
    env = [f"{k}={v}".encode() for k, v in os.environ.items()]
    c_envp = (ctypes.c_char_p * (len(env) + 1))(*env, None)
    c_path = path.encode()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        try:
            restore_signals()
            if session is not None:
                try:
                    os.write(session[0], f"{_audit.new_session(session[1])}\n".encode())
                except OSError as exc:
                    os.write(session[0], f"E {exc.strerror}\n".encode())
                    os._exit(126)
            try:
                set_no_new_privs()
            except KernelError as exc:
                os.write(2, f"syscope: {exc}\n".encode())
                os._exit(126)
            rc = built.filt.load()
            if rc < 0:
                os.write(2, f"syscope: seccomp_load: {os.strerror(-rc)}\n".encode())
                os._exit(126)
            if marker:
                libc.syscall(MARKER_NR, MARKER_ARG, 0, 0, 0, 0, 0)
            # From here on only execve: anything else could itself be denied by the filter.
            libc.execve(c_path, c_argv, c_envp)
            err = ctypes.get_errno()
            os.write(2, f"syscope: exec {argv[0]}: {os.strerror(err)}\n".encode())
            os._exit(127 if err == _errno.ENOENT else 126)
        finally:
            os._exit(127)
    return pid


def wait_status(pid: int) -> int:
    """The exit code of ``pid``, or the negative number of the signal that killed it (as
    os.waitstatus_to_exitcode gives it).  waitpid is retried on EINTR by Python itself (PEP 475)."""
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


def reraise_exit(code: int) -> int:
    """Exit as the command did: re-raise its fatal signal on ourselves, as strace does."""
    if code >= 0:
        return code
    sig = -code
    sys.stdout.flush()
    sys.stderr.flush()
    signal.signal(sig, signal.SIG_DFL)
    # A core dump of syscope itself is of no use; the command already dumped its own.
    try:
        import resource
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ValueError, OSError):
        pass
    os.kill(os.getpid(), sig)
    return 128 + sig
