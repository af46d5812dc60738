"""The ioctl dispatcher's parts every family decoder uses: the call being decoded and the
printers of strace's ioctl decoders (umove_or_printaddr, printnum_int, PRINT_FIELD_*).

strace decodes ioctl's third argument by the command's _IOC type (src/ioctl.c ioctl_decode):
one decoder per family of commands.  A family decoder here gets a ``Call`` at the call's exit
(the memory the kernel read is still there; what it wrote is there too) and returns the
argument's text, ``NO_ARG`` for a command strace prints without one, or None for a command it
does not decode (strace then prints the register in hex).
"""

from __future__ import annotations

import struct

from syscope.decode import fmt
from syscope.decode.base import DecoderBase
from syscope.decode.ioctl import tables
from syscope.decode.registry import Memory, word_size
from syscope.events import SyscallEvent
from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only (postponed): collections costs a start-up ~6 M instructions
    from collections.abc import Callable, Sequence
    from typing import Any

    Family = Callable[["Call"], "str | None"]

NO_ARG = ""  # the command takes no argument: strace prints ``ioctl(fd, CMD)``

FAMILIES: dict[int, Family] = {}
# commands whose argument is kept as the call found it at entry besides the _IOC_READ|_IOC_WRITE
# ones (a plain-number command the kernel rewrites: SIOCGIFCONF's ifc_len), by name
SNAPSHOT: set[str] = set()


def snapshot_codes(arch: str) -> frozenset[int]:
    """The numbers of SNAPSHOT's commands, as the family modules imported so far declare them
    (made again when one more has added its own)."""
    got = _SNAPSHOT_CODES.get(arch)
    if got is None or got[0] != len(SNAPSHOT):
        got = _SNAPSHOT_CODES[arch] = (len(SNAPSHOT), frozenset(by_name(arch, dict.fromkeys(SNAPSHOT, ""))))
    return got[1]


_SNAPSHOT_CODES: dict[str, tuple[int, frozenset[int]]] = {}


def family(*types: int) -> Callable[[Family], Family]:
    """Register the decoder of the commands of these _IOC types."""
    def register(fn: Family) -> Family:
        for t in types:
            FAMILIES[t] = fn
        return fn
    return register


class Call:
    """One ioctl call at its exit: the command, the argument and where to read."""

    __slots__ = ("d", "ev", "mem", "arch", "code", "arg", "failed", "xs", "word", "verbose", "entry", "ret")

    def __init__(self, d: DecoderBase, ev: SyscallEvent, mem: Memory, arch: str,
                 entry: tuple[int, bytes | None] | None = None) -> None:
        self.d, self.ev, self.mem, self.arch = d, ev, mem, arch
        self.code = ev.raw_args[1] & 0xFFFFFFFF
        self.arg = ev.raw_args[2]
        # strace's syserror(): a failed call wrote nothing worth reading
        self.failed = ev.errno is not None or ev.retval is None
        self.xs = d.xs  # the -X style: 0 abbrev, 1 verbose, 2 raw
        self.word = word_size(arch)
        # -e verbose=none: strace's umove_or_printaddr prints the address instead of reading
        self.verbose = ev.name not in d.opts.no_verbose
        # an _IOC_READ|_IOC_WRITE argument as it was when the call began (the kernel rewrites it)
        self.entry = entry
        # the return value's text when the command decorates it (strace's RVAL_FD: a descriptor
        # with -y; RVAL_STR: the auxstr after the number), set by the family decoder
        self.ret: str | None = None

    def ret_fd(self) -> None:
        """The call returns a descriptor (RVAL_FD): printed with its path under -y."""
        r = self.ev.retval
        if not self.failed and r is not None:
            self.ret = self.d.fd_or_num(self.ev, r)

    def ret_aux(self, aux: str | None) -> None:
        """RVAL_STR: the number and, when there is one, the auxstr in parentheses."""
        if not self.failed and aux is not None:
            self.ret = f"{self.ev.retval} ({aux})"

    @property
    def nr(self) -> int:
        return self.code & 0xFF

    @property
    def size(self) -> int:
        return (self.code >> 16) & 0x3FFF

    # -- reading ---------------------------------------------------------------------------
    def read(self, size: int, addr: int | None = None) -> bytes | None:
        addr = self.arg if addr is None else addr
        if not addr or not self.verbose:
            return None
        data = self.mem.read(addr, size)
        return data if data is not None and len(data) == size else None

    def read_entry(self, size: int) -> bytes | None:
        """The argument's first bytes as the call found them (read at entry when the command
        both reads and writes it; else now)."""
        if self.entry is not None and self.entry[0] == self.arg and self.verbose:
            data = self.entry[1]
            return data[:size] if data is not None and len(data) >= size else None
        return self.read(size)

    def addr(self, addr: int | None = None) -> str:
        return fmt.ptr(self.arg if addr is None else addr)

    def unpack(self, code: str, addr: int | None = None) -> tuple[Any, ...] | None:
        st = struct.Struct("<" + code)
        data = self.read(st.size, addr)
        return None if data is None else st.unpack(data)

    # -- constants at the call's -X style ----------------------------------------------------
    def xval(self, table: str, value: int) -> str:
        return tables.enum(self.arch, table, self.xs)(value)

    def flags(self, table: str, value: int) -> str:
        return tables.flags(self.arch, table, self.xs)(value)

    # -- strace's printers -------------------------------------------------------------------
    def num(self, code: str, shape: str = "[{}]", out: bool = True) -> str:
        """printnum_*: ``[N]`` of the value at arg (``out``: written by the kernel, so a failed
        call prints the address)."""
        if out and self.failed:
            return self.addr()
        got = self.unpack(code)
        if got is None:
            return self.addr()
        v = got[0]
        return shape.format(fmt.hexnum(v) if shape.startswith("[0x") else v)

    def xnum(self, code: str, out: bool = True) -> str:
        if out and self.failed:
            return self.addr()
        got = self.unpack(code)
        return self.addr() if got is None else f"[{fmt.hexnum(got[0])}]"

    def strn(self, addr: int, length: int, force_hex: bool = False) -> str:
        """printstr_ex: ``length`` bytes at addr as a quoted string, cut at -s; strace reads one
        byte past -s to know there is more, so a buffer that ends there prints its address
        (``force_hex``: QUOTE_FORCE_HEX, every byte as \\xNN)."""
        limit = self.d.slimit
        data = self.read(min(length, limit + 1), addr) if addr and length else (b"" if addr else None)
        if data is None:
            return self.addr(addr)
        shown = data[:limit]
        text = fmt.quote(shown, 2 if force_hex else self.d.opts.xflag)
        return '"' + text + '"' + ("..." if length > limit else "")

    def array(self, count: int, code: str, show: Callable[[int], str], addr: int | None = None) -> str:
        """print_array of ``count`` elements of one struct code each."""
        st = struct.Struct("<" + code)
        return self.d.array(self.mem, self.arg if addr is None else addr, count, st.size,
                            lambda b: show(st.unpack(b)[0]))


# the ids a struct's pid field can name (decode/kinds/pids.py): the /proc/PID/status line it is
# translated by
PID_FIELDS = frozenset(("tid", "tgid", "pgid", "sid"))


class Struct:
    """A struct layout as data: fields in order, each (name, struct-module code, printer).
    Printers: "u"/"d" decimal, "x" hex, "xval:TABLE" an enum, "flags:TABLE" a flag set,
    "str" a char array up to its NUL, "" a field read and not printed, "fd" a descriptor
    (PRINT_FIELD_FD: -y decorates it), "tid"/"tgid"/"pgid"/"sid" a pid of the tracee's
    namespace (PRINT_FIELD_TGID ...: -Y and --pidns-translation); or a callable
    (Call, value) -> text."""

    def __init__(self, fields: Sequence[tuple[str, str, Any]]) -> None:
        self.fields = list(fields)
        self.st = struct.Struct("<" + "".join(c for _n, c, _p in self.fields))
        self.size = self.st.size

    def values(self, data: bytes) -> dict[str, Any]:
        out: dict[str, Any] = {}
        vals = iter(self.st.unpack(data[: self.size]))
        for name, code, _p in self.fields:
            if not code.endswith("x"):
                out[name] = next(vals)
        return out

    def text(self, c: Call, data: bytes, only: Sequence[str] | None = None) -> str:
        vals = self.values(data)
        parts = []
        for name, code, printer in self.fields:
            if code.endswith("x") or printer == "" or (only is not None and name not in only):
                continue
            parts.append(f"{name}={show(c, printer, vals[name])}")
        return "{" + ", ".join(parts) + "}"

    def read(self, c: Call, addr: int | None = None) -> tuple[str, dict[str, Any]] | None:
        data = c.read(self.size, addr)
        return None if data is None else (self.text(c, data), self.values(data))


def cstr(c: Call, raw: bytes) -> str:
    """A char array as print_quoted_cstring prints it: up to its NUL; one without a NUL prints
    size - 1 bytes and "..."."""
    end = raw.find(b"\0")
    text = raw[:end] if end >= 0 else raw[:-1]
    return '"' + fmt.quote(text, c.d.opts.xflag) + '"' + ("..." if end < 0 else "")


def show(c: Call, printer: Any, v: Any) -> str:
    if callable(printer):
        return str(printer(c, v))
    if printer in ("u", "d"):
        return str(v)
    if printer == "x":
        return fmt.hexnum(v)
    if printer == "str":
        return cstr(c, bytes(v))
    if printer == "fd":
        return c.d.fd_or_num(c.ev, v)
    if printer in PID_FIELDS:
        return c.d.pid(c.ev, v, printer)
    kind, _, table = printer.partition(":")
    if kind == "xval":
        return c.xval(table, v)
    if kind == "flags":
        return c.flags(table, v)
    raise ValueError(f"unknown field printer {printer!r}")


def struct_arg(c: Call, layout: Struct, out: bool) -> str:
    """umove_or_printaddr of a struct: NULL, its address when unreadable (or, for a struct the
    kernel writes, when the call failed), else its fields."""
    if out and c.failed:
        return c.addr()
    got = layout.read(c)
    return c.addr() if got is None else got[0]


def simple(c: Call, spec: str) -> str:
    """The argument shapes strace's decoders share, named by a short spec:
    ``none`` no argument; ``u``/``d``/``x`` the register itself (unsigned long, int, hex);
    ``out:C``/``in:C`` a pointer to one value of struct-module code C the kernel writes / reads,
    ``[N]`` (``xout``/``xin``: in hex); ``in:CC`` a pair ``[a, b]``."""
    if spec == "none":
        return NO_ARG
    if spec == "u":
        return str(c.arg)
    if spec == "d":
        return str(fmt.s32(c.arg))
    if spec == "x":
        return fmt.hexnum(c.arg)
    way, _, code = spec.partition(":")
    if way.endswith("out") and c.failed:
        return c.addr()
    got = c.unpack(code)
    if got is None:
        return c.addr()
    show_one = fmt.hexnum if way.startswith("x") else str
    return "[" + ", ".join(show_one(v) for v in got) + "]"


class Requests:
    """A family's commands by name, each with the short spec its decoder acts on.

    The numbers are made per arch on first use: an _IOC number carries the argument's size,
    which follows the arch's types (linux/ioctl.h), so one name can have three numbers."""

    __slots__ = ("_specs", "_numbered", "_by_arch")

    def __init__(self, specs: dict[str, str], numbered: dict[int, str] | None = None) -> None:
        self._specs = specs
        # numbers no header names that strace still decodes (an old number, a wrong direction)
        self._numbered = numbered or {}
        self._by_arch: dict[str, dict[int, str]] = {}

    def codes(self, arch: str) -> dict[int, str]:
        got = self._by_arch.get(arch)
        if got is None:
            got = self._by_arch[arch] = by_name(arch, self._specs) | self._numbered
        return got

    def spec(self, c: Call) -> str | None:
        """The spec of the call's command, None for a command of the family not decoded."""
        return self.codes(c.arch).get(c.code)


def answered(c: Call, spec: str) -> str | None:
    """A ``NAME_out`` spec (a struct the kernel writes) as ``NAME``, or None when the call
    failed: the kernel wrote nothing and strace prints the address (umove_or_printaddr at exit
    after syserror)."""
    if not spec.endswith("_out"):
        return spec
    return None if c.failed else spec[:-4]


def by_name(arch: str, specs: dict[str, str]) -> dict[int, str]:
    """number -> spec of the named commands this arch defines."""
    from syscope.decode.ioctl.names import numbers

    nums = numbers(arch)
    return {nums[n]: s for n, s in specs.items() if n in nums}
