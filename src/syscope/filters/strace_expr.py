"""strace's ``-e`` qualifier language, parsed as strace 6.1 parses it.

``parse(["trace=%file,!close", "signal=!SIGCHLD", "inject=openat:error=ENOENT:when=3+"])``
returns a :class:`TraceSpec`: which syscalls are traced, which signals and return statuses are
shown, which calls print raw/unabbreviated, which fds get hex dumps, and the injection rules.

Every behaviour below was checked against the real ``strace`` 6.1 binary (``strace -e EXPR -o
/dev/null /bin/true``), and every rejection raises :class:`~syscope.errors.FilterError` whose
one-line message is strace's (without its ``strace:`` prefix and its ``Try 'strace -h'`` line).
Facts carried over from strace(1) and from running it:

* ``-e SET`` means ``-e trace=SET``; an unknown ``QUAL=`` prefix is not an error by itself, the
  whole argument becomes a syscall token (``foo=bar`` -> ``invalid system call 'foo=bar'``).
* A repeated qualifier replaces the previous one (strace clears the set before parsing each
  ``-e``): ``-e trace=openat -e trace=close`` traces only ``close``.  ``inject=``/``fault=`` rules
  accumulate, but a later rule replaces an earlier one for the syscalls they share.
* Sets: leading ``!`` characters each invert; ``all``/``none`` are recognised only as the whole
  set (``all`` is also a syscall class token, ``none`` is not: ``trace=none,open`` is an error);
  empty comma items are skipped, a set with no items at all is an error naming the whole value.
"""

from __future__ import annotations

import errno as _errno
import math

from syscope.errors import FilterError
from syscope.filters.strace_sets import Sel, SyscallParser, arch_names, set_names
from syscope.filters.trace_spec import (
    DECODE_FDS_NAMES,
    DECODE_PIDS_NAMES,
    QUIET_NAMES,
    STATUS_NAMES,
    TraceSpec,
    default_archs,
    quiet_for_q,
)
from syscope.lean import cache
from syscope.sources.ptrace.inject import Excluding, InjectRule, Poke, SyscallSet, When
from syscope.syscalls import ARCHES, class_names, table
from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator
    from typing import TypeVar

    T = TypeVar("T")

# Start-up: every tracer command line parses its -e arguments before anything else, and strace's
# syntax tests start the tracer thousands of times with a bad one.  So this module imports only
# what parsing needs (no dataclasses, no decoder: signal names and DecodeOptions come when used).

__all__ = [
    "When", "Poke", "InjectRule", "TraceSpec", "Excluding", "parse", "quiet_for_q", "QUALIFIERS",
    "QUIET_NAMES", "DECODE_FDS_NAMES", "DECODE_PIDS_NAMES", "STATUS_NAMES", "iter_names",
]

# -- number and name sets (signal=, read=, status=, quiet= ...) --------------------------------

_C_SPACE = " \t\n\v\f\r"  # isspace() in the C locale, which strtol/strtod skip
# The patterns are compiled when first used (re.compile caches them), and re imported then, not
# when the tracer starts: a command line without inject=, fault=, or a number in a set never
# needs them (re with its enums and compiler is ~2 ms of start-up)
_C_LONG = r"[ \t\n\v\f\r]*[+-]?[0-9]+"


def _c_uint(s: str, upto: int) -> int | None:
    """strace's string_to_uint_upto: strtol base 10, whole string, 0..upto."""
    import re

    if not re.compile(_C_LONG).fullmatch(s):
        return None
    n = int(s.strip(_C_SPACE))
    return n if 0 <= n <= upto else None


def _fd(s: str) -> int | None:
    return _c_uint(s, 2**31 - 1)


@cache
def _signal_names() -> dict[str, int]:
    """strace's sigstr_to_uint names: signame(0..255) with a SIG prefix, compared without it and
    case-insensitively (``io``, ``SigIo``, ``RTMIN``, ``SIGRT_1``..``SIGRT_32``)."""
    from syscope.decode.fmt import signame  # only when a signal is named

    out: dict[str, int] = {}
    for n in range(256):
        name = signame(n)
        if name.upper().startswith("SIG"):
            out.setdefault(name[3:].upper(), n)
    return out


def _signal(s: str) -> int | None:
    if not s.isascii():
        return None  # strncasecmp in the C locale: "ſigio" is not "SIGIO" (Python's upper() says it is)
    if s[:1].isdigit():
        return _c_uint(s, 255)
    key = s[3:] if s[:3].upper() == "SIG" else s
    return _signal_names().get(key.upper())


def _lookup(names: dict[str, str]) -> Callable[[str], str | None]:
    def find(s: str) -> str | None:
        # strace compares these names with strcasecmp, which folds ASCII only
        return names.get(s.lower()) if s.isascii() else None
    return find


_STATUS = {n: n for n in STATUS_NAMES}
_QUIET = {**{n: n for n in QUIET_NAMES}, "exits": "exit", "superseded": "thread-execve"}
_DECODE_FDS = {n: n for n in DECODE_FDS_NAMES}
_DECODE_PIDS = {n: n for n in DECODE_PIDS_NAMES}


def _tokens(text: str, conv: Callable[[str], T | None], what: str) -> tuple[bool, set[T]]:
    """strace's qualify_tokens: leading ``!`` invert, whole-value ``all``/``none`` (case-
    sensitive), else comma items, each converted or ``invalid WHAT 'ITEM'``.  -> (negated, items)"""
    neg = False
    s = text
    while s.startswith("!"):
        neg = not neg
        s = s[1:]
    if s == "none":
        return neg, set()
    if s == "all":
        return not neg, set()
    items: set[T] = set()
    done = False
    for token in s.split(","):
        if not token:
            continue
        v = conv(token)
        if v is None:
            raise FilterError(f"invalid {what} '{token}'")
        items.add(v)
        done = True
    if not done:
        raise FilterError(f"invalid {what} '{text}'")
    return neg, items


def _finite(text: str, conv: Callable[[str], T | None], what: str, universe: Iterable[T]) -> frozenset[T]:
    neg, items = _tokens(text, conv, what)
    return frozenset(set(universe) - items) if neg else frozenset(items)


# -- inject= / fault= --------------------------------------------------------------------------

@cache
def _errno_names() -> dict[str, int]:
    """strace's errnoent: one name a number (EWOULDBLOCK, EDEADLOCK and ENOTSUP are rejected by
    strace 6.1), plus the kernel-internal codes 512..530 it also names (not ENOPARAM)."""
    out = {name: getattr(_errno, name) for name in dir(_errno)
           if name.startswith("E") and isinstance(getattr(_errno, name), int)}
    for alias in ("EWOULDBLOCK", "EDEADLOCK", "ENOTSUP"):
        out.pop(alias, None)
    out.setdefault("EHWPOISON", 133)  # include/uapi/asm-generic/errno.h; missing from Python's errno
    kernel = ("ERESTARTSYS", "ERESTARTNOINTR", "ERESTARTNOHAND", "ENOIOCTLCMD", "ERESTART_RESTARTBLOCK",
              "EPROBE_DEFER", "EOPENSTALE", None, None, "EBADHANDLE", "ENOTSYNC", "EBADCOOKIE", "ENOTSUPP",
              "ETOOSMALL", "ESERVERFAULT", "EBADTYPE", "EJUKEBOX", "EIOCBQUEUED", "ERECALLCONFLICT")
    for nr, name in enumerate(kernel, start=512):
        if name is not None:
            out[name] = nr
    return out


_MAX_ERRNO = 4095
_SIGRTMAX = 64
_RETVAL = r"[ \t\n\v\f\r]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)"
_DELAY = r"[ \t\n\v\f\r]*([+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)(s|ms|us|ns|)"
_DELAY_NS = {"": 1000, "s": 10**9, "ms": 10**6, "us": 1000, "ns": 1}


def _retval(s: str) -> int | None:
    """strtoull(s, 0) on the whole string: 0x/0 prefixes, a minus sign wraps modulo 2**64,
    overflow is an error.  Returned as a signed 64-bit number."""
    import re

    m = re.compile(_RETVAL).fullmatch(s)
    if m is None:
        return None
    digits = m.group(2)
    if digits[:2] in ("0x", "0X"):
        v = int(digits[2:], 16)
    else:
        v = int(digits, 8 if digits.startswith("0") else 10)
    if v >= 2**64:
        return None
    if m.group(1) == "-":
        v = -v % 2**64
    return v - 2**64 if v >= 2**63 else v


def _delay_us(s: str) -> int | None:
    """strace(1) "Time specification format": a decimal float with an optional s/ms/us/ns
    suffix, microseconds when bare; negative, infinite and hexadecimal values are refused."""
    import re

    m = re.compile(_DELAY).fullmatch(s)
    if m is None:
        return None
    v = float(m.group(1))
    if not math.isfinite(v) or v < 0:
        return None
    return round(v * _DELAY_NS[m.group(2)] / 1000)


def _when(s: str) -> When | None:
    """``first[..last][+[step]]``: first and step 1..65535, last first..65534 (strace(1)); the
    numbers are read with strtoimax, so leading blanks and a sign are allowed."""
    import re

    m = re.compile(_C_LONG).match(s)
    if m is None:
        return None
    first = int(m.group().strip(_C_SPACE))
    rest = s[m.end():]
    if not 1 <= first <= 0xFFFF:
        return None
    last: int | None = None
    if rest.startswith("."):
        if not rest.startswith(".."):
            return None
        m = re.compile(_C_LONG).match(rest, 2)
        if m is None:
            return None
        last = int(m.group().strip(_C_SPACE))
        rest = rest[m.end():]
        if not first <= last <= 0xFFFE:
            return None
    if not rest:
        return When(first, first if last is None else last, 1)  # F: that one; F..L: each in range
    if not rest.startswith("+"):
        return None
    rest = rest[1:]
    if not rest:
        return When(first, last, 1)
    if not re.compile(_C_LONG).fullmatch(rest):
        return None
    step = int(rest.strip(_C_SPACE))
    if not 1 <= step <= 0xFFFF:
        return None
    return When(first, last, step)


_HEX_PAIR = r"[0-9a-fA-F].|[+-][0-9a-fA-F]|[ \t\n\v\f\r][0-9a-fA-F]"


def _pokes(s: str) -> tuple[Poke, ...] | None:
    """``@argN=HEX[,@argM=HEX...]``: N 1..7 once each; HEX read two characters at a time with
    sscanf("%2hhx") as strace does (so an embedded ``0x`` pair reads as 0), at most 1024 bytes."""
    import re

    pokes: list[Poke] = []
    seen: set[int] = set()
    for item in s.split(","):
        if not item:
            continue
        m = re.fullmatch(r"@arg([1-7])=(.*)", item, re.S)
        if m is None:
            return None
        arg, hexdata = int(m.group(1)), m.group(2)
        if arg in seen or not hexdata or len(hexdata) % 2 or len(hexdata) > 2048:
            return None
        data = bytearray()
        for i in range(0, len(hexdata), 2):
            pair = hexdata[i:i + 2]
            if not re.compile(_HEX_PAIR).fullmatch(pair):
                return None
            digits = re.match(r"[ \t\n\v\f\r]?([+-]?)([0-9a-fA-F]+)", pair)
            assert digits is not None
            v = int(digits.group(2), 16)
            data.append((-v if digits.group(1) == "-" else v) & 0xFF)
        seen.add(arg)
        pokes.append(Poke(arg, bytes(data)))
    return tuple(pokes)


class _InjectParser:
    def __init__(self, archs: tuple[str, ...], syscalls: SyscallParser) -> None:
        self.archs = archs
        self.syscalls = syscalls

    def parse(self, text: str, fault: bool) -> tuple[Sel, InjectRule, list[str]]:
        """strace parses the ``:`` options first (``invalid inject argument 'TEXT'``), then the
        syscall set (``invalid system call ...``), then requires an action."""
        what = "fault argument" if fault else "inject argument"
        bad = FilterError(f"invalid {what} '{text}'")
        set_text, _, opts_text = text.partition(":")
        seen: set[str] = set()
        error = retval = signo = delay_enter = delay_exit = None
        name: str | None = None
        poke_enter: tuple[Poke, ...] = ()
        poke_exit: tuple[Poke, ...] = ()
        when = When()
        for token in opts_text.split(":"):
            if not token:
                continue  # strtok: "open::error=1" and a trailing ':' are fine
            key, eq, val = token.partition("=")
            if not eq:
                raise bad
            if fault and key not in ("error", "when", "syscall"):
                raise bad  # strace(1): fault= takes error= and when= (6.1 also takes syscall=)
            if key == "when":
                w = _when(val)
                if w is None:
                    raise bad
                when = w  # strace(1): the last when= takes precedence
                continue
            if key in seen or (key in ("error", "retval") and ("error" in seen or "retval" in seen)):
                raise bad  # strace(1): only one of each; error and retval are mutually exclusive
            seen.add(key)
            if key == "error":
                # a number 0..4095 or else a name, and then 0 is refused (strace(1): 1..4095)
                error = _c_uint(val, _MAX_ERRNO)
                if error is None and val.isascii():  # strcasecmp: ASCII case folding only
                    error = _errno_names().get(val.upper())
                ok = bool(error)
            elif key == "retval":
                retval = _retval(val)
                ok = retval is not None
            elif key == "signal":
                signo = _signal(val)  # strace(1): 1..SIGRTMAX
                ok = signo is not None and 1 <= signo <= _SIGRTMAX
            elif key == "delay_enter":
                delay_enter = _delay_us(val)
                ok = delay_enter is not None
            elif key == "delay_exit":
                delay_exit = _delay_us(val)
                ok = delay_exit is not None
            elif key in ("poke_enter", "poke_exit"):
                pokes = _pokes(val) if val else None
                ok = pokes is not None
                if key == "poke_enter":
                    poke_enter = pokes or ()
                else:
                    poke_exit = pokes or ()
            elif key == "syscall":
                name = self._pure(val)
                ok = name is not None
            else:
                ok = False
            if not ok:
                raise bad
        sel = self.syscalls.parse(set_text)
        if not seen & {"error", "retval", "signal", "delay_enter", "delay_exit", "poke_enter", "poke_exit"}:
            if not fault:
                raise bad  # strace(1): at least one action (syscall= alone is not one)
            error = _errno.ENOSYS  # strace(1): fault= is inject= with error=ENOSYS by default
        rule = InjectRule(
            syscalls=frozenset(), error=error, retval=retval, signo=signo, delay_enter=delay_enter,
            delay_exit=delay_exit, when=when,
            syscall=None if name is None else arch_names(self.archs[0]).get(name),
            syscall_name=name, poke_enter=poke_enter, poke_exit=poke_exit, fault=fault)
        return sel, rule, self._warnings(retval)

    def _pure(self, name: str) -> str | None:
        """syscall=NAME must be a %pure syscall on every traced arch (strace checks each
        personality: getuid32 is refused on x86_64, where it does not exist)."""
        for arch in self.archs:
            if name not in class_names(arch, "pure"):
                return None
        return name

    def _warnings(self, retval: int | None) -> list[str]:
        """strace's notes (not errors) about a retval the tracee would read as -errno."""
        if retval is None:
            return []
        r = retval % 2**64
        if r > 2**64 - 1 - _MAX_ERRNO:
            return [f"Inadvertent injection of error {2**64 - r} is possible for retval={r}"]
        if "i386" in self.archs:
            r32 = r & 0xFFFFFFFF
            if r32 > 2**32 - 1 - _MAX_ERRNO:
                return [f"Inadvertent injection of error {2**32 - r32} is possible in compat "
                        f"personality for retval={r}"]
            if r32 != r:
                return [f"Injected return value {r} will be clipped to {r32} in compat personality"]
        return []


# -- qualifiers --------------------------------------------------------------------------------

# strace(1) "-e expr": qualifier spellings -> canonical name
QUALIFIERS = {
    "trace": "trace", "t": "trace",
    "abbrev": "abbrev", "a": "abbrev",
    "verbose": "verbose", "v": "verbose",
    "raw": "raw", "x": "raw",
    "signal": "signal", "signals": "signal", "s": "signal",
    "read": "read", "reads": "read", "r": "read",
    "write": "write", "writes": "write", "w": "write",
    "fault": "fault", "inject": "inject", "status": "status",
    "quiet": "quiet", "silent": "quiet", "silence": "quiet", "q": "quiet",
    "decode-fds": "decode-fds", "decode-fd": "decode-fds",
    "decode-pids": "decode-pids", "decode-pid": "decode-pids",
    "kvm": "kvm",
}


def _split(expr: str) -> tuple[str, str]:
    key, eq, value = expr.partition("=")
    if eq and key in QUALIFIERS:
        return QUALIFIERS[key], value
    return "trace", expr  # the default qualifier; "foo=bar" is then a (bad) syscall token


def parse(exprs: Iterable[str], archs: tuple[str, ...] | None = None) -> TraceSpec:
    """Parse every ``-e`` argument in order, with strace 6.1's semantics.

    ``archs`` (default: the native arch, plus i386 on x86_64) are the tables syscall names and
    numbers resolve in; a name known on any of them is valid.  Raises FilterError."""
    if archs is None:
        archs = default_archs()
    archs = tuple(archs)
    if not archs:
        raise FilterError("no architecture to resolve system calls in")
    for arch in archs:
        if arch not in ARCHES:
            table(arch)  # unknown arch: SyscopeError naming it
    sp = SyscallParser(archs)
    ip = _InjectParser(archs, sp)
    spec = TraceSpec(archs=archs)
    given: set[str] = set()
    rules: list[tuple[Sel, InjectRule]] = []
    warnings: list[str] = []
    for expr in exprs:
        qual, value = _split(expr)
        given.add(qual)
        if qual == "trace":
            spec.trace = sp.parse(value).freeze()
        elif qual == "abbrev":
            spec.abbrev = sp.parse(value).freeze()
        elif qual == "verbose":
            spec.verbose = sp.parse(value).freeze()
        elif qual == "raw":
            raw = sp.parse(value).freeze()
            spec.raw = Excluding() if raw is None else raw
        elif qual == "signal":
            neg, items = _tokens(value, _signal, "signal")
            # strace's signal numbers are 0..255, so a negated set is finite
            spec.signals = None if neg and not items else (
                frozenset(set(range(256)) - items) if neg else frozenset(items))
        elif qual in ("read", "write"):
            neg, fd_items = _tokens(value, _fd, "descriptor")
            fds: frozenset[int] | None = (Excluding(fd_items) if fd_items else None) if neg \
                else frozenset(fd_items)
            if qual == "read":
                spec.read_fds = fds
            else:
                spec.write_fds = fds
        elif qual == "status":
            st = _finite(value, _lookup(_STATUS), "status", STATUS_NAMES)
            spec.status = None if st == frozenset(STATUS_NAMES) else st
        elif qual == "quiet":
            spec.quiet = _finite(value, _lookup(_QUIET), "quiet", QUIET_NAMES)
        elif qual == "decode-fds":
            spec.decode_fds = _finite(value, _lookup(_DECODE_FDS), "decode-fds", DECODE_FDS_NAMES)
        elif qual == "decode-pids":
            spec.decode_pids = _finite(value, _lookup(_DECODE_PIDS), "decode-pids", DECODE_PIDS_NAMES)
        elif qual == "kvm":
            if value != "vcpu":
                raise FilterError(f"invalid -e kvm= argument: '{value}'")
            spec.kvm_vcpu = True
        else:  # inject / fault
            sel, rule, notes = ip.parse(value, fault=qual == "fault")
            # one tamper rule a syscall: a later rule takes over the syscalls it names
            rules = [(old.minus(sel), r) for old, r in rules]
            rules.append((sel, rule))
            warnings.extend(notes)
    spec.inject = tuple(r._replace(syscalls=_frozen_any(sel)) for sel, r in rules if not sel.empty())
    spec.given = frozenset(given)
    spec.warnings = tuple(warnings)
    return spec


def _frozen_any(sel: Sel) -> SyscallSet:
    frozen = sel.freeze()
    return Excluding() if frozen is None else frozen


def iter_names(sel: SyscallSet | None, archs: tuple[str, ...] | None = None) -> Iterator[str]:
    """The syscall names a set selects on ``archs`` (sorted; for messages and --list)."""
    chosen = Excluding() if sel is None else sel
    yield from sorted(set_names(chosen, archs or default_archs()))
