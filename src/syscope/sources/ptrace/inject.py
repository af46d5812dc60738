"""The tampering rules the ptrace tracer carries out (strace(1) "Tampering": ``-e inject=``,
``-e fault=``): which calls, which invocations (``When``), what result, signal, delay or memory
pokes.  ``syscope.filters.strace_expr`` parses the ``-e`` text into these; the tracer only reads
them, so they live with the source and the parser imports them (filters sit above sources).
"""

from __future__ import annotations

from syscope.syscalls import table
from syscope.typenames import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from typing import Any

    _AnySet = frozenset[Any]
else:
    _AnySet = frozenset  # (typing's Any is for the checker only: typenames.py)

SyscallSet = frozenset[tuple[str, int]]


class Excluding(_AnySet):
    """A negated set (strace's ``!SET``): everything *except* the members it holds.

    strace keeps a "not" flag next to its number sets, so ``trace=!open`` also traces syscall
    numbers outside any table and ``read=!3`` dumps every fd but 3.  An ``Excluding`` is a
    frozenset of the excluded values whose ``in`` is inverted, so ``x in s`` answers the real
    question for both kinds; iterate ``s.excluded`` (not ``s``) to see what it leaves out.
    Set algebra (``|``, ``-``) and ``len`` work on the excluded values: don't use them.
    """

    __slots__ = ()

    def __contains__(self, item: object) -> bool:
        return not frozenset.__contains__(self, item)

    def __bool__(self) -> bool:
        return True

    # never equal to a plain frozenset: !{open} and {open} hold the same members but mean opposites
    def __eq__(self, other: object) -> bool:
        return isinstance(other, Excluding) and frozenset.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return hash(("Excluding", frozenset(iter(self))))

    @property
    def excluded(self) -> frozenset[Any]:
        return frozenset(iter(self))

    def __repr__(self) -> str:
        return f"Excluding({set(iter(self))!r})"


# -- when= -------------------------------------------------------------------------------------

# The records below are NamedTuples, not frozen dataclasses: the tracer's option checks build
# them, and they run before anything imports dataclasses (whose import and class creation cost
# more than the checks: strace's syntax tests start the tracer thousands of times).
class When(NamedTuple):
    """``when=FIRST[..LAST][+[STEP]]`` (strace(1) "Tampering"): which invocations, counted from 1
    per syscall and per tracee, get the injection.  Checked on a real tracee with strace 6.1:
    ``3`` = only the 3rd; ``3+`` = 3rd onwards; ``3+2`` = 3, 5, 7...; ``2..5`` and ``2..5+`` =
    2nd to 5th inclusive; ``2..5+2`` = 2 and 4.  Without ``when=`` every invocation is tampered.
    """

    first: int = 1
    last: int | None = None  # inclusive; None: no upper bound
    step: int = 1

    def applies(self, n: int) -> bool:
        """Whether the ``n``-th (1-based) invocation of the syscall in this tracee is tampered."""
        if n < self.first or (self.last is not None and n > self.last):
            return False
        return (n - self.first) % self.step == 0


class Poke(NamedTuple):
    """``poke_enter=@argN=HEX`` / ``poke_exit=``: write ``data`` where argument ``arg`` (1..7) points."""

    arg: int
    data: bytes


class InjectRule(NamedTuple):
    """One ``-e inject=SET:...`` or ``-e fault=SET:...``."""

    syscalls: SyscallSet  # (arch, nr); may be an Excluding (inject=!SET / inject=all)
    error: int | None = None  # errno to return (fault= defaults to ENOSYS)
    retval: int | None = None  # success value, as a signed 64-bit number (-1 for 2**64-1)
    signo: int | None = None  # signal delivered on syscall entry
    delay_enter: int | None = None  # microseconds (rounded from strace's ns-precise time)
    delay_exit: int | None = None
    syscall: int | None = None  # syscall=NAME: its number on archs[0] (see substitute_nr)
    when: When = When()
    syscall_name: str | None = None
    poke_enter: tuple[Poke, ...] = ()
    poke_exit: tuple[Poke, ...] = ()
    fault: bool = False  # written as fault= (only error/when/syscall allowed)

    def substitute_nr(self, arch: str) -> int | None:
        """The syscall number to run instead of -1 for a tracee of ``arch`` (syscall=NAME)."""
        if self.syscall_name is None:
            return None
        info = table(arch).by_name(self.syscall_name)
        return None if info is None else info.nr


__all__ = ["SyscallSet", "Excluding", "When", "Poke", "InjectRule"]
