"""What strace's ``-e`` arguments asked for (:class:`TraceSpec`), apart from their parser.

``syscope.filters.strace_expr.parse`` makes one of the ``-e`` text; a command line without any
``-e``, ``-z`` or ``-Z`` takes ``TraceSpec(default_archs())`` as it is, without the parser, the
syscall-set language (strace_sets) and the tampering records (sources.ptrace.inject) that only
the parser needs: start-up, as every traced run reads its command line (docs/trace.md).
What a spec of such a line holds (``trace`` None, no ``inject``, nothing ``given``) asks nothing
of those modules; the methods that read a set parsed from text import them (a parsed spec's
caller already did).
"""

from __future__ import annotations

from syscope.syscalls import native_arch, table
from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    from syscope.decode import DecodeOptions
    from syscope.sources.ptrace.inject import InjectRule, SyscallSet

__all__ = ["TraceSpec", "default_archs", "quiet_for_q", "QUIET_NAMES", "DECODE_FDS_NAMES",
           "DECODE_PIDS_NAMES", "STATUS_NAMES"]


def default_archs() -> tuple[str, ...]:
    arch = native_arch()
    # a 64-bit x86 tracer also sees i386 tracees (strace's second personality)
    return (arch, "i386") if arch == "x86_64" else (arch,)


QUIET_NAMES = ("attach", "exit", "path-resolution", "personality", "thread-execve")
DECODE_FDS_NAMES = ("path", "socket", "dev", "pidfd")
DECODE_PIDS_NAMES = ("comm", "pidns")
STATUS_NAMES = ("successful", "failed", "unfinished", "unavailable", "detached")


def quiet_for_q(count: int) -> frozenset[str]:
    """The quiet= set of ``-q`` repeated ``count`` times (strace(1): -q = attach,personality;
    -qq adds exit; -qqq = all)."""
    if count <= 0:
        return frozenset()
    if count == 1:
        return frozenset({"attach", "personality"})
    if count == 2:
        return frozenset({"attach", "personality", "exit"})
    return frozenset(QUIET_NAMES)


class TraceSpec:
    """Everything the ``-e`` arguments asked for.  ``None`` means "all" where noted."""

    __slots__ = ("trace", "signals", "status", "quiet", "decode_fds", "verbose", "raw", "abbrev", "read_fds",
                 "write_fds", "inject", "decode_pids", "kvm_vcpu", "given", "warnings", "archs")

    def __init__(self, archs: tuple[str, ...] = ()) -> None:
        self.trace: SyscallSet | None = None  # None = every syscall
        self.signals: frozenset[int] | None = None  # -e signal=; None = all
        self.status: frozenset[str] | None = None  # -e status=; None = all
        self.quiet: frozenset[str] = frozenset()  # canonical names from QUIET_NAMES
        self.decode_fds: frozenset[str] = frozenset()  # from DECODE_FDS_NAMES
        self.verbose: SyscallSet | None = None  # None = all (strace's default verbose=all)
        self.raw: SyscallSet = frozenset()
        self.abbrev: SyscallSet | None = None  # None = all (default); empty = none (like -v)
        self.read_fds: frozenset[int] | None = frozenset()  # None = all; may be an Excluding (read=!3)
        self.write_fds: frozenset[int] | None = frozenset()
        self.inject: tuple[InjectRule, ...] = ()  # disjoint sets: a later rule took over shared syscalls
        self.decode_pids: frozenset[str] = frozenset()  # from DECODE_PIDS_NAMES
        self.kvm_vcpu = False  # -e kvm=vcpu
        self.given: frozenset[str] = frozenset()  # canonical qualifiers that appeared ("trace", "raw"...)
        self.warnings: tuple[str, ...] = ()  # strace's non-fatal notes (retval that looks like an error...)
        self.archs = archs

    def __repr__(self) -> str:
        return "TraceSpec(" + ", ".join(f"{k}={getattr(self, k)!r}" for k in self.__slots__) + ")"

    def is_traced(self, arch: str, nr: int) -> bool:
        if self.trace is None or (arch, nr) in self.trace:
            return True
        from syscope.filters import subcalls  # a parsed set only (the i386 multiplexers' calls)

        calls = subcalls.of_multiplexer(arch, nr)
        if calls:
            # i386 socketcall/ipc: stopped at when any call they stand for is traced
            # (is_traced_call decides on the call)
            return any((arch, c) in self.trace for c in calls)
        # a number the arch's table does not name is always traced (strace's syscall.c gives an
        # invalid scno DEFAULT_QUAL_FLAGS: no set can name it, -e trace=none shows it too)
        return table(arch).by_nr(nr) is None

    def is_traced_call(self, arch: str, nr: int, arg0: int) -> bool:
        """Is a multiplexer's call traced: the call it stands for by its own number (strace
        qualifies the subcall's entry, subcalls.py), the multiplexer's for one it has not."""
        if self.trace is None:
            return True
        from syscope.filters import subcalls  # a parsed set only

        sub = subcalls.call_number(arch, nr, arg0)
        return (arch, sub if sub is not None else nr) in self.trace

    def traced_nrs(self, arch: str) -> frozenset[int] | None:
        """The traced numbers of ``arch`` as a finite set (for a seccomp prefilter), or None when
        every number is traced.  A negated set is materialised over the arch's table range, so
        numbers beyond the table are then dropped (strace would still trace them)."""
        if self.trace is None:
            return None
        from syscope.filters import subcalls
        from syscope.filters.strace_sets import nsyscalls
        from syscope.sources.ptrace.inject import Excluding

        if isinstance(self.trace, Excluding):
            if not any(a == arch for a, _ in self.trace.excluded):
                return None
            return frozenset(nr for nr in range(nsyscalls(arch)) if self.is_traced(arch, nr))
        # the multiplexers of traced calls (subcalls.py numbers are no syscall's)
        size = nsyscalls(arch)
        return frozenset({nr for a, nr in self.trace if a == arch and nr < size}
                         | {m for m in subcalls.multiplexers(arch) if self.is_traced(arch, m)})

    def injected(self, arch: str, nr: int) -> tuple[InjectRule, ...]:
        """The rule (at most one) tampering with ``(arch, nr)``.  strace 6.1 tampers only with
        traced syscalls (``-e trace=close -e inject=getppid:retval=42`` leaves getppid alone),
        so an untraced syscall gets none."""
        if not self.inject or not self.is_traced(arch, nr):
            return ()
        return tuple(r for r in self.inject if (arch, nr) in r.syscalls)

    def shows_signal(self, signo: int) -> bool:
        return self.signals is None or signo in self.signals

    def shows_status(self, kind: str) -> bool:
        """``kind``: one of STATUS_NAMES, the outcome of a finished (or abandoned) call."""
        return self.status is None or kind in self.status

    def decode_options(self, base: DecodeOptions) -> DecodeOptions:
        """``base`` with raw=, abbrev=, verbose=, read=, write= and decode-fds= applied (only those
        given).  verbose=SET becomes ``no_verbose`` (the calls outside SET), not DecodeOptions.verbose,
        which is -v (abbrev=none)."""
        changes: dict[str, object] = {}
        if not self.given and not self.kvm_vcpu:
            return base  # no -e: the parser's modules stay unimported
        from syscope.filters.strace_sets import set_names
        from syscope.sources.ptrace.inject import Excluding

        archs = self.archs or default_archs()
        if "raw" in self.given:
            changes["raw"] = set_names(self.raw, archs)
        if "abbrev" in self.given:
            if self.abbrev is None:
                changes["abbrev"] = True
                changes["no_abbrev"] = frozenset()
            elif not self.abbrev and not isinstance(self.abbrev, Excluding):
                changes["abbrev"] = False  # abbrev=none: the effect of -v (strace(1))
            else:
                every = set_names(Excluding(), archs)
                changes["abbrev"] = True
                changes["no_abbrev"] = every - set_names(self.abbrev, archs)
        if "verbose" in self.given and self.verbose is not None:
            changes["no_verbose"] = set_names(Excluding(), archs) - set_names(self.verbose, archs)
        if "read" in self.given:
            changes["read_fds"] = Excluding() if self.read_fds is None else self.read_fds
        if "write" in self.given:
            changes["write_fds"] = Excluding() if self.write_fds is None else self.write_fds
        if "decode-fds" in self.given:
            # DecodeOptions.decode_fds is -y (1: paths) / -yy (2: paths and socket endpoints)
            level = 0
            if self.decode_fds:
                level = 1 if self.decode_fds == {"path"} else 2
            changes["decode_fds"] = level
            changes["fd_kinds"] = frozenset(self.decode_fds)
        if self.kvm_vcpu:
            changes["kvm_vcpu"] = True
        if not changes:
            return base
        return base._replace(**changes)  # type: ignore[arg-type]
