"""Small formatters shared by all decoders: strings, flag sets, enums, signals, errno.

Everything here reproduces strace 6.1's printing rules (src/util.c string_quote, src/xlat.c
printflags/printxval, src/signal.c sprintsigmask_n)."""

from __future__ import annotations

import os
import struct

# collections.abc's Mapping from where it is defined (os imports it at every start): collections.abc
# imports collections, ~6 M instructions of a tracer's start-up
from _collections_abc import Mapping

from syscope.decode.errnos import failed_text

# (fmt's names too: the decoder's kinds print them through fmt)
from syscope.decode.plain import SIGNALS as SIGNALS
from syscope.decode.plain import SIGRTMAX as SIGRTMAX
from syscope.decode.plain import SIGRTMIN as SIGRTMIN
from syscope.decode.plain import hexnum as hexnum
from syscope.decode.plain import pairs
from syscope.decode.plain import ptr as ptr
from syscope.decode.plain import signame as signame
from syscope.decode.plain import sigset_name as sigset_name
from syscope.lean import cache, import_module
from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from types import ModuleType

_HERE = os.path.dirname(os.path.abspath(__file__))  # os.path: pathlib costs the tracer's start-up ~3 ms

# string_quote(): these escapes are named; other non-printables are octal (or hex with -x).
_NAMED = {0x22: '\\"', 0x5C: "\\\\", 0x0C: "\\f", 0x0A: "\\n", 0x0D: "\\r", 0x09: "\\t", 0x0B: "\\v"}
_PLAIN = bytes(c for c in range(0x20, 0x7F) if c not in _NAMED)
_ESC: list[str] = [
    _NAMED.get(c, chr(c) if 0x20 <= c < 0x7F else "") for c in range(256)
]
_HEX = [f"\\x{c:02x}" for c in range(256)]
_DIGITS = frozenset(b"01234567")


def mac_addr(data: bytes, xs: int) -> str:
    """A hardware address as strace's print_mac_addr: ``aa:bb:cc``; under -X raw (xs 2) the bytes
    as a string, under -X verbose (xs 1) the string with the colon form in a comment."""
    colons = ":".join(f"{c:02x}" for c in data)
    if not xs:
        return colons
    raw = '"' + "".join(f"\\x{c:02x}" for c in data) + '"'
    return raw if xs == 2 else f"{raw} /* {colons} */"


def octal(v: int) -> str:
    """A mode as strace prints it (``%#03o``): 0644, 022, 000."""
    return f"0{v:02o}" if v else "000"


def makedev(dev: int) -> str:
    """``makedev(0x8, 0x1)``: the kernel's new_encode_dev() split (include/linux/kdev_t.h), as
    glibc's major()/minor()."""
    major = ((dev >> 8) & 0xFFF) | ((dev >> 32) & 0xFFFFF000)
    minor = (dev & 0xFF) | ((dev >> 12) & 0xFFFFFF00)
    return f"makedev({hexnum(major)}, {hexnum(minor)})"


def isotime(sec: int, nsec: int) -> str:
    """The local ISO time strace prints in a comment after a timestamp; "" for none."""
    import time
    if not sec and not nsec:
        return ""  # strace prints no date for a zero (unset) timestamp
    if not 0 <= nsec < 1_000_000_000:
        return ""  # not a time (print_time_t_ex: a fraction over its maximum prints no date)
    try:
        t = time.localtime(sec)
    except (OverflowError, OSError, ValueError):
        return ""  # not a representable date: the number alone, as strace does
    off = time.strftime("%z", t)
    frac = f".{nsec:09d}" if nsec else ""  # strace omits a zero fraction
    return time.strftime("%Y-%m-%dT%H:%M:%S", t) + frac + off


def s32(v: int) -> int:
    """The low 32 bits of a register as a signed int (an int argument in a 64-bit register)."""
    v &= 0xFFFFFFFF
    return v - 0x100000000 if v & 0x80000000 else v


def quote(data: bytes, xflag: int = 0, escape: bytes = b"") -> str:
    """The bytes as strace prints them inside double quotes (without the quotes).  ``xflag``: 0
    octal escapes, 1 (-x) the whole string in hex if a byte is not printable, 2 (-xx) all hex, 3
    (--strings-in-hex=non-ascii-chars) each unprintable byte as \\xNN (util.c string_quote).
    ``escape``: printable bytes escaped all the same (string_quote's escape_chars: ``<>`` in the
    paths and names -y and -Y print between angle brackets)."""
    if xflag == 2:
        return "".join(_HEX[c] for c in data)
    if not data.translate(None, _PLAIN) and not (escape and data.translate(None, escape) != data):
        return data.decode("ascii")
    if xflag == 3:
        return "".join((_ESC[c] if c not in escape else "") or _HEX[c] for c in data)
    if xflag == 1:
        # -x: the whole string goes hex as soon as one byte is neither printable nor one of the
        # isspace() controls \t\n\v\f\r (strace util.c string_quote).
        for c in data:
            if c > 0x7E or (c < 0x20 and not 9 <= c <= 13):
                return "".join(_HEX[c] for c in data)
    out = []
    n = len(data)
    for i, c in enumerate(data):
        s = _ESC[c] if c not in escape else ""
        if s:
            out.append(s)
        elif i + 1 < n and data[i + 1] in _DIGITS:
            # a following octal digit would be read as part of the escape: use all 3 digits
            out.append(f"\\{c:03o}")
        else:
            out.append(f"\\{c:o}")
    return "".join(out)


class PackedTables(Mapping[str, list[tuple[int, str]]]):
    """The generated constant tables (with the ones spec.DECLARED spells out in place of generated
    ones) as (value, name) rows, each table converted when first asked for: a trace reads a few
    dozen of its ~450 tables.  They come from the module tools/gen_decode.py writes
    (consts_<arch>.py), each table one string of value and name pairs: parsing them as JSON and
    importing spec.py cost the tracer's start-up ~5 ms."""

    def __init__(self, packed: dict[str, str]) -> None:
        self._packed = packed
        self._rows: dict[str, list[tuple[int, str]]] = {}

    def __getitem__(self, table: str) -> list[tuple[int, str]]:
        rows = self._rows.get(table)
        if rows is None:
            rows = self._rows[table] = pairs(self._packed[table])
        return rows

    def words(self, table: str) -> list[str] | None:
        """A table's values and names as they are packed (value, name, value, name...), not
        converted: for a reader that makes its own view of a large table with C loops."""
        packed = self._packed.get(table)
        return packed.split() if packed is not None else None

    def __iter__(self) -> Iterator[str]:
        return iter(self._packed)

    def __len__(self) -> int:
        return len(self._packed)


@cache
def _generated(arch: str) -> ModuleType:
    """The generated module of an architecture that has one (tools/gen_decode.py), x86_64's otherwise."""
    name = arch if os.path.exists(os.path.join(_HERE, f"consts_{arch}.py")) else "x86_64"
    return import_module(f"syscope.decode.consts_{name}")


@cache
def consts(arch: str) -> PackedTables:
    return PackedTables(_generated(arch).TABLES)


class Flags:
    """A flag table: ``O_CREAT|O_TRUNC``, unknown bits as ``|0x80000000``, zero as ``0``.
    Style 1 (-X verbose): ``0x240 /* O_CREAT|O_TRUNC */``; style 2 (-X raw): ``0x240``."""

    __slots__ = ("rows", "cache", "zero", "named_zero", "null", "verbose", "unknown")

    def __init__(self, rows: list[tuple[int, str]], verbose: int = 0, unknown: str = "",
                 null: bool = False) -> None:
        """``null``: strace prints the table with a NULL default (printflags(xlat, v, NULL),
        spec.NULL_DEFAULT): src/xlat.c printflags_ex() then prints nothing for 0 in every -X
        style (raw too: ``if (flags || dflt)``) and bits without a name as a bare number."""
        self.rows = [(v, n) for v, n in rows if v]
        # a table may name its empty set (PROT_NONE), in every style but raw; otherwise strace
        # prints 0, or nothing under a NULL default
        named = next((n for v, n in rows if not v), None)
        self.named_zero = named is not None
        self.zero = named if named is not None else ("" if null else "0")
        self.null = null
        self.cache: dict[int, str] = {}
        self.verbose = verbose
        # the comment of a value without one known bit: ``0x8 /* CLOSE_RANGE_??? */`` (none
        # under a NULL default)
        self.unknown = "" if null else unknown

    def __call__(self, value: int, zero: str | None = None) -> str:
        """``zero``: what 0 prints when the table has no name for it, for a caller whose
        default differs from the table's declared one (``""``: strace's NULL default at this
        call only)."""
        hit = self.cache.get(value) if zero is None else None
        if hit is not None:
            return hit
        if self.verbose == 2:
            if not value:
                return "" if self.null else (zero if zero is not None else "0")
            return hexnum(value)
        parts, rest = self._split(value)
        if rest:
            if not parts and zero is None and self.unknown:
                # strace printflags_ex(): no flag matched, the number and the table's default
                # in a comment (src/xlat.c), in every -X style but raw
                text = f"{rest:#x} /* {dflt(self.unknown)} */"
                if len(self.cache) < 4096:
                    self.cache[value] = text
                return text
            parts.append(f"{rest:#x}")
        text = "|".join(parts) if parts else (self.zero if zero is None or self.named_zero else zero)
        if self.verbose and text and text != "0":
            num = hexnum(value)
            if text != num:
                text = f"{num} /* {text} */"
        if zero is None and len(self.cache) < 4096:
            self.cache[value] = text
        return text

    def names(self, value: int) -> tuple[str, ...]:
        """The set as a tuple of names (the structured value of a flags argument); bits without
        a name as one hex string; () for zero."""
        parts, rest = self._split(value)
        if rest:
            parts.append(f"{rest:#x}")
        return tuple(parts)

    def _split(self, value: int) -> tuple[list[str], int]:
        """The names of the table's rows set in ``value``, in table order (strace's xlat order),
        and the bits no row names."""
        parts = []
        rest = value
        for v, n in self.rows:
            if rest & v == v:
                parts.append(n)
                rest &= ~v
        return parts, rest


class Enum:
    """An enum: its name, or ``0x10 /* RLIMIT_??? */`` for a value the table lacks.
    Style 1 (-X verbose): ``0x3 /* RLIMIT_STACK */``, style 2 (-X raw): ``0x3``; ``get`` always
    gives the bare name."""

    __slots__ = ("names", "unknown", "verbose")

    def __init__(self, rows: list[tuple[int, str]], prefix: str, verbose: int = 0) -> None:
        self.names: dict[int, str] = {}
        for v, n in rows:
            self.names.setdefault(v, n)
        self.unknown = prefix
        self.verbose = verbose

    def __call__(self, value: int) -> str:
        if self.verbose == 2:
            return hexnum(value)
        n = self.names.get(value)
        if n is not None:
            if self.verbose:
                return f"{value:#x} /* {n} */" if value else f"0 /* {n} */"
            return n
        return f"{hexnum(value)} /* {dflt(self.unknown)} */"

    def get(self, value: int) -> str | None:
        return self.names.get(value)


def dflt(prefix: str) -> str:
    """The comment of a value without a name: the prefix and ``???`` (``CLONE_???``), or a
    default strace spells whole (access(2)'s ``?_OK``, spec.UNKNOWN)."""
    return prefix if "?" in prefix else prefix + "???"


def field_flags(name: str | None, rest: Flags, value: int, mask: int) -> str:
    """A value whose bits under mask are one named field and the other bits flags,
    ``O_WRONLY|O_CREAT`` (open(2) access mode, mmap(2) map type, socket(2) type, statx(2) sync
    type); a field without a name leaves the whole value to the flags (strace prints the xval,
    then the flags of the rest)."""
    if name is None:
        return rest(value)
    r = value & ~mask
    return name + "|" + rest(r, "0") if r else name


@cache
def flags(arch: str, table: str, verbose: int = 0) -> Flags:
    """verbose: the -X style, 0 abbrev, 1 verbose, 2 raw."""
    from syscope.decode.consts_spec import NULL_DEFAULT  # spec.py's, generated (tools/gen_decode.py)

    rows = consts(arch).get(table, [])
    return Flags(rows, verbose, unknown_prefix(table, rows), table in NULL_DEFAULT)


@cache
def enum(arch: str, table: str, verbose: int = 0) -> Enum:
    rows = consts(arch).get(table, [])
    return Enum(rows, unknown_prefix(table, rows), verbose)


def unknown_prefix(table: str, rows: list[tuple[int, str]]) -> str:
    """What strace names an unknown value of a table in its comment (the ``dflt`` of
    printxval/printflags, ``IOPRIO_WHO_???``): the table's own default when spec.py declares
    one, else the names' common prefix up to its last underscore."""
    from syscope.decode.consts_spec import UNKNOWN  # spec.py's, generated (tools/gen_decode.py)

    if table in UNKNOWN:
        return UNKNOWN[table]
    names = [n for _v, n in rows]
    if not names:
        return ""
    common = os.path.commonprefix(names)
    if len(names) == 1 or "_" not in common or not common.endswith("_"):
        common = common[: common.rfind("_") + 1] if "_" in common else ""
    return common


def sigset(data: bytes, verbose: int = 0) -> str:
    """``[INT TERM]``; ``~[...]`` listing the clear bits when 2/3 or more are set
    (strace signal.c sprintsigmask_n); verbose is the -X style: 1 ``[2 /* INT */ 15 /* TERM */]``,
    2 (raw) ``[2 15]``."""
    nwords = min(len(data), 8) // 4 if len(data) >= 4 else 1
    data = data[:8].ljust(nwords * 4, b"\0")
    mask = int.from_bytes(data[: nwords * 4], "little")
    nbits = nwords * 32
    prefix = ""
    if mask.bit_count() >= nbits * 2 // 3:
        mask = ~mask & ((1 << nbits) - 1)
        prefix = "~"
    names = []
    i = 0
    while mask:
        if mask & 1:
            sig = i + 1
            name = sigset_name(sig)
            if verbose == 2:
                name = str(sig)
            names.append(f"{sig} /* {name} */" if verbose == 1 and name != str(sig) else name)
        mask >>= 1
        i += 1
    return prefix + "[" + " ".join(names) + "]"


# Kernel-internal codes that leak to ptrace when a call is interrupted (include/linux/errno.h);
# the messages are strace's (src/strace.c).
_KERNEL_ERRNO = {
    512: ("ERESTARTSYS", "To be restarted if SA_RESTART is set"),
    513: ("ERESTARTNOINTR", "To be restarted"),
    514: ("ERESTARTNOHAND", "To be restarted if no handler"),
    515: ("ENOIOCTLCMD", "No ioctl command"),
    516: ("ERESTART_RESTARTBLOCK", "Interrupted by signal"),
    517: ("EPROBE_DEFER", "Driver requests probe retry"),
    518: ("EOPENSTALE", "Open found a stale dentry"),
    519: ("ENOPARAM", "Parameter not supported"),
    521: ("EBADHANDLE", "Illegal NFS file handle"),
    522: ("ENOTSYNC", "Update synchronization mismatch"),
    523: ("EBADCOOKIE", "Cookie is stale"),
    524: ("ENOTSUPP", "Operation is not supported"),
    525: ("ETOOSMALL", "Buffer or request is too small"),
    526: ("ESERVERFAULT", "An untranslatable error occurred"),
    527: ("EBADTYPE", "Type not supported by server"),
    528: ("EJUKEBOX", "Request initiated, but will not complete before timeout"),
    529: ("EIOCBQUEUED", "iocb queued, will get completion event"),
    530: ("ERECALLCONFLICT", "conflict with recalled state"),
}


@cache
def errno_text(err: int, raw: bool = False) -> str:
    """The part after `` = `` for a failed call: ``-1 ENOENT (No such file or directory)``.
    ``raw`` (-e raw=): strace's print_err_ret, the result and the C library's strerror() even
    for a restart code, ``-1 ERESTARTNOHAND (Unknown error 514)``."""
    k = _KERNEL_ERRNO.get(err)
    if k is not None:
        if raw:
            return f"-1 {k[0]} ({os.strerror(err)})"
        # strace prints restart codes with "?" since the program never sees them
        if 512 <= err <= 516:
            return f"? {k[0]} ({k[1]})"
        return f"-1 {k[0]} ({k[1]})"
    return failed_text(err)


def wait_status(status: int) -> str:
    """``{WIFEXITED(s) && WEXITSTATUS(s) == 0}`` as strace's printstatus()."""
    s = status & 0xFFFF
    if s & 0x7F == 0:
        text = f"{{WIFEXITED(s) && WEXITSTATUS(s) == {(s >> 8) & 0xFF}}}"
    elif s & 0xFF == 0x7F:
        text = f"{{WIFSTOPPED(s) && WSTOPSIG(s) == {signame((s >> 8) & 0xFF)}}}"
    elif s == 0xFFFF:
        text = "{WIFCONTINUED(s)}"
    else:
        core = " && WCOREDUMP(s)" if s & 0x80 else ""
        text = f"{{WIFSIGNALED(s) && WTERMSIG(s) == {signame(s & 0x7F)}{core}}}"
    hi = status >> 16
    if hi:
        text += f" | {hi:#x} << 16"
    return text


def int_fields_upto(names: tuple[str, ...], show: Callable[[int, int], str], raw: bytes, ln: int) -> str:
    """A struct of int fields the kernel filled ``ln`` bytes of: the whole fields (``show(k,
    value)``), then the part of the next one as hex bytes (strace MAYBE_PRINT_FIELD_LEN)."""
    parts = []
    for k, name in enumerate(names):
        start = 4 * k
        if ln <= start:
            break
        if ln >= start + 4:
            parts.append(f"{name}={show(k, struct.unpack_from('<i', raw, start)[0])}")
        else:
            parts.append(f'{name}="{quote(raw[start:ln], 2)}"')
    return "{" + ", ".join(parts) + "}"
