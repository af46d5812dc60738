"""strace's syscall sets for ``-e trace=`` and the other syscall qualifiers: names, numbers,
%classes, /regex/ (POSIX extended, through the C library's regcomp(3) as strace uses it) and
``all``, per architecture, parsed as strace 6.1 parses them (syscope.filters.strace_expr)."""

from __future__ import annotations

from syscope.errors import FilterError
from syscope.filters import subcalls
from syscope.lean import cache
from syscope.sources.ptrace.inject import Excluding, SyscallSet
from syscope.syscalls import class_names, numbers, table_size
from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    import ctypes
    from collections.abc import Iterable


def nsyscalls(arch: str) -> int:
    """strace's nsyscall_vec[p]: the table length, gaps included (``trace=335`` is accepted on
    x86_64 although 335 is unassigned there)."""
    return table_size(arch)


@cache
def _valid_numbers(arch: str) -> frozenset[int]:
    return frozenset(numbers(arch).values())


def arch_names(arch: str) -> dict[str, int]:
    """name -> number on ``arch`` (syscope.syscalls.numbers: no per-call record is built, so
    that checking a set stays cheap at start-up)."""
    return numbers(arch)


def set_names(sel: SyscallSet, archs: Iterable[str]) -> frozenset[str]:
    out: set[str] = set()
    for arch in archs:
        for name, nr in arch_names(arch).items():
            if (arch, nr) in sel:
                out.add(name)
    return frozenset(out)


# strace(1): %class tokens; the bare (deprecated) spellings exist only for the older classes
_CLASSES = {
    "%file": "file", "%process": "process", "%net": "network", "%network": "network",
    "%signal": "signal", "%ipc": "ipc", "%desc": "desc", "%memory": "memory", "%creds": "creds",
    "%stat": "stat", "%lstat": "lstat", "%fstat": "fstat", "%%stat": "stat_like",
    "%statfs": "statfs", "%fstatfs": "fstatfs", "%%statfs": "statfs_like", "%clock": "clock",
    "%pure": "pure",
    "file": "file", "process": "process", "network": "network", "signal": "signal", "ipc": "ipc",
    "desc": "desc", "memory": "memory",
}

_64BIT = frozenset({"x86_64", "aarch64"})
_32BIT = frozenset({"i386"})


class _Regex:
    """POSIX ERE through libc's regcomp/regexec, as strace compiles ``/regex`` (REG_EXTENDED |
    REG_NOSUB), so ``[[:alpha:]]`` works and errors read exactly like strace's ``regcomp:`` ones."""

    _REG_EXTENDED = 1
    _REG_NOSUB = 8
    _REGEX_T_SIZE = 256  # glibc's regex_t is 64 bytes on LP64; room to spare

    def __init__(self, pattern: str) -> None:
        import ctypes  # only for a /regex token: not on every command line's start-up

        libc = _libc()
        raw = pattern.encode("utf-8", "surrogateescape")
        if b"\0" in raw:
            raise FilterError(f"invalid system call '/{pattern}'")
        self._buf = ctypes.create_string_buffer(self._REGEX_T_SIZE)
        rc = libc.regcomp(self._buf, raw, self._REG_EXTENDED | self._REG_NOSUB)
        if rc != 0:
            msg = ctypes.create_string_buffer(256)
            libc.regerror(rc, self._buf, msg, len(msg))
            raise FilterError(f"regcomp: {pattern}: {msg.value.decode(errors='replace')}")

    def search(self, name: str) -> bool:
        return bool(_libc().regexec(self._buf, name.encode(), 0, None, 0) == 0)

    def close(self) -> None:
        _libc().regfree(self._buf)


@cache
def _libc() -> ctypes.CDLL:
    import ctypes

    libc = ctypes.CDLL(None)
    libc.regcomp.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    libc.regcomp.restype = ctypes.c_int
    libc.regexec.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_void_p,
                             ctypes.c_int]
    libc.regexec.restype = ctypes.c_int
    libc.regerror.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t]
    libc.regerror.restype = ctypes.c_size_t
    libc.regfree.argtypes = [ctypes.c_void_p]
    libc.regfree.restype = None
    return libc


class Sel:
    """A set under construction: ``items`` or, when ``neg``, everything but ``items``."""

    # a plain class, not a dataclass: the option checks run before anything imports dataclasses
    __slots__ = ("neg", "items")

    def __init__(self, neg: bool = False, items: set[tuple[str, int]] | None = None) -> None:
        self.neg = neg
        self.items: set[tuple[str, int]] = set() if items is None else items

    def __repr__(self) -> str:
        return f"Sel(neg={self.neg!r}, items={self.items!r})"

    def freeze(self) -> SyscallSet | None:
        if self.neg:
            return Excluding(self.items) if self.items else None
        return frozenset(self.items)

    def minus(self, other: Sel) -> Sel:
        if not self.neg and not other.neg:
            return Sel(False, self.items - other.items)
        if not self.neg:
            return Sel(False, self.items & other.items)
        if not other.neg:
            return Sel(True, self.items | other.items)
        return Sel(False, other.items - self.items)

    def empty(self) -> bool:
        return not self.neg and not self.items


class SyscallParser:
    def __init__(self, archs: tuple[str, ...]) -> None:
        self.archs = archs

    def parse(self, text: str) -> Sel:
        """strace's qualify_syscall_tokens: ``[!]...value[,value]...``."""
        sel = Sel()
        s = text
        while s.startswith("!"):
            sel.neg = not sel.neg
            s = s[1:]
        if s == "none":
            return sel
        if s == "all":
            sel.neg = not sel.neg
            return sel
        done = False
        for token in s.split(","):
            if not token:
                continue  # strtok skips empty items: trace=open,,close
            if not self._token(token, sel.items):
                raise FilterError(f"invalid system call '{token}'")
            done = True
        if not done:
            raise FilterError(f"invalid system call '{text}'")
        return sel

    def _archs_for(self, token: str) -> tuple[tuple[str, ...], str, bool]:
        """Split ``value@64`` / ``@32`` / ``@x32`` (strace(1)); -> (archs, value, is_x32)."""
        value, at, pers = token.rpartition("@")
        if not at:
            return self.archs, token, False
        if pers == "64":
            return tuple(a for a in self.archs if a in _64BIT), value, False
        if pers == "32":
            return tuple(a for a in self.archs if a in _32BIT), value, False
        if pers == "x32" and "x86_64" in self.archs:
            # x32 is strace's third x86_64 personality; syscope traces no x32 tracees, so the
            # token is validated against the x86_64 names and selects nothing
            return ("x86_64",), value, True
        raise FilterError(f"incorrect personality designator '{pers}' in qualification '{token}'")

    def _token(self, token: str, out: set[tuple[str, int]]) -> bool:
        optional = False
        while token.startswith("?"):
            optional = True
            token = token[1:]
        archs, value, validate_only = self._archs_for(token)
        found: set[tuple[str, int]] = set()
        ok = False
        if value[:1].isdigit() and value[:1].isascii():
            if value.isdigit() and value.isascii():
                n = int(value)
                for arch in archs:
                    # a number is a system call where the arch's table has one (basic_filters.c
                    # qualify_syscall_number: scno_pers_is_valid wants an entry, so a hole such
                    # as x86_64's 336-423 or the time64 range's unused 415 is invalid), and not
                    # one of the subcall entries (subcalls.py): scno_pers_is_valid refuses
                    # TRACE_INDIRECT_SUBCALL, so i386's 501 is invalid while 'connect' is not
                    if n in _valid_numbers(arch):
                        found.add((arch, n))
                        ok = True
        elif value.startswith("/"):
            rx = _Regex(value[1:])  # a bad regex is fatal even after '?' (as in strace)
            try:
                for arch in archs:
                    for names in (arch_names(arch), subcalls.subcalls(arch)):
                        for name, nr in names.items():
                            if rx.search(name):
                                found.add((arch, nr))
                                ok = True
            finally:
                rx.close()
        elif value == "all":
            ok = True
            for arch in archs:
                found.update((arch, nr) for nr in range(nsyscalls(arch)))
                found.update((arch, nr) for nr in subcalls.subcalls(arch).values())
        elif value in _CLASSES:
            ok = True  # a known class matches even where it is empty (%pure@x32)
            for arch in archs:
                names = arch_names(arch)
                found.update((arch, names[n]) for n in class_names(arch, _CLASSES[value]))
                found.update((arch, nr) for nr in subcalls.in_class(arch, _CLASSES[value]))
        else:
            for arch in archs:
                known = arch_names(arch).get(value)
                if known is not None:
                    found.add((arch, known))
                    ok = True
                # the call a multiplexer stands for (subcalls.py): i386's socketcall connect
                sub = subcalls.subcalls(arch).get(value)
                if sub is not None:
                    found.add((arch, sub))
                    ok = True
        if not validate_only:
            out |= found
        return ok or optional
__all__ = ["Sel", "SyscallParser", "arch_names", "nsyscalls", "set_names"]
