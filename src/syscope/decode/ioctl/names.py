"""ioctl command names as strace 6.1 prints them (src/ioctl.c SYS_FUNC(ioctl)).

The names are strace's ioctlent: every _IO*() command of the UAPI headers (consts_<arch>.py
"ioctl_cmds", tools/gen_decode.py), the plain-number ones of the headers ioctls_gen.sh reads
(tables_<arch>.py "ioctl_plain", tools/gen_ioctl.py) and the tty requests of spec.py.  Several
names can share a number: strace prints them all, ``A or B``, in the order of its sorted table
(src/ioctlsort.c: by number, then name; a name that extends the one before it with the same
number, ``FOO`` then ``FOO_OLD``, is left out).  Some commands carry a parameter in their
number and print as a call (ioctl_decode_command_number: ``EVIOCGNAME(64)``, ``EVIOCGBIT(EV_KEY, 8)``).
"""

from __future__ import annotations

from itertools import compress

from syscope.decode import fmt
from syscope.decode.ioctl import tables
from syscope.decode.ioctl.tables_spec import UNNAMED
from syscope.lean import cache
from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

_DIRS = {0: "_IOC_NONE", 1: "_IOC_WRITE", 2: "_IOC_READ", 3: "_IOC_READ|_IOC_WRITE"}
_NONE, _WRITE, _READ = 0, 1, 2


def ioc(code: int) -> str:
    """An unknown command as strace's ioctl_print_code: asm-generic/ioctl.h's dir(2) size(14)
    type(8) nr(8) fields."""
    h = fmt.hexnum
    return f"_IOC({_DIRS[code >> 30]}, {h((code >> 8) & 0xFF)}, {h(code & 0xFF)}, {h((code >> 16) & 0x3FFF)})"


# the literal head of spec.UNNAMED: re (~2 ms of a trace's start-up) is imported and the pattern
# compiled only for a name that begins with it
_UNNAMED_HEAD = UNNAMED[:next((i for i, c in enumerate(UNNAMED) if c in "\\()[]{}|.*+?^$"), len(UNNAMED))]


def _unnamed(name: str) -> bool:
    if not name.startswith(_UNNAMED_HEAD):
        return False
    import re

    return re.fullmatch(UNNAMED, name) is not None


_NAMED: dict[str, dict[int, str | None]] = {}


def named(arch: str, code: int) -> str | None:
    """The names strace prints for a command number (``A or B``), None when it has none.  Made
    for each number when first seen, not for all ~2,400 at the first ioctl (~6 ms of a short
    trace): the names of the number in strace's sorted order, without the headers' unnamed
    ones (spec.UNNAMED) and a name that extends the one before it (``FOO`` then ``FOO_OLD``)."""
    per_arch = _NAMED.setdefault(arch, {})
    if code in per_arch:
        return per_arch[code]
    kept: list[str] = []
    prev: str | None = None
    nums = numbers(arch)
    # the names defined with this number: strace keeps one number per name (ioctlsort: the first
    # definition found), as numbers() does; a scan in C (no inverted table of ~3,000 names, ~4 M
    # instructions at the first ioctl)
    for n in sorted(n for n in compress(nums, map(code.__eq__, nums.values())) if not _unnamed(n)):
        if prev is None or not n.startswith(prev):
            kept.append(n)
        prev = n
    text = per_arch[code] = " or ".join(kept) or None
    return text


def _sized(name: str) -> Callable[[int], str]:
    return lambda code: f"{name}({(code >> 16) & 0x3FFF})"


def _evdev(arch: str, code: int, verbose: bool) -> str | None:
    """evdev_decode_number: the commands of linux/input.h whose number carries a length or an
    event code."""
    d, nr, size = code >> 30, code & 0xFF, (code >> 16) & 0x3FFF

    def xval(tbl: str, v: int) -> str:
        rows = tables.rows(arch, tbl)
        name = next((n for x, n in rows if x == v), None)
        if name is not None:
            return name
        return fmt.hexnum(v) if verbose else f"{fmt.hexnum(v)} /* {tables.unknown(tbl, rows)}??? */"
    if d == _WRITE and 0xC0 <= nr <= 0xFF:
        return f"EVIOCSABS({xval('evdev_abs', nr - 0xC0)})"
    if d != _READ:
        return None
    if 0x20 <= nr <= 0x3F:
        ev = "0" if nr == 0x20 else xval("evdev_ev", nr - 0x20)
        return f"EVIOCGBIT({ev}, {size})"
    if 0x40 <= nr <= 0x7F:
        return f"EVIOCGABS({xval('evdev_abs', nr - 0x40)})"
    named = {0x06: "EVIOCGNAME", 0x07: "EVIOCGPHYS", 0x08: "EVIOCGUNIQ", 0x09: "EVIOCGPROP",
             0x0A: "EVIOCGMTSLOTS", 0x18: "EVIOCGKEY", 0x19: "EVIOCGLED", 0x1A: "EVIOCGSND", 0x1B: "EVIOCGSW"}
    return f"{named[nr]}({size})" if nr in named else None


def _hiddev(code: int) -> str | None:
    d, nr = code >> 30, code & 0xFF
    if d == _READ:
        named = {0x04: "HIDIOCGRAWNAME", 0x05: "HIDIOCGRAWPHYS", 0x06: "HIDIOCSFEATURE", 0x08: "HIDIOCGRAWUNIQ",
                 0x12: "HIDIOCGPHYS"}
    elif d == _READ | _WRITE:
        named = {0x06: "HIDIOCSFEATURE", 0x07: "HIDIOCGFEATURE"}
    else:
        return None
    return _sized(named[nr])(code) if nr in named else None


def parametric(arch: str, code: int, verbose: bool) -> str | None:
    """ioctl_decode_command_number: a name with the parameter the number carries, or None."""
    typ, d, nr, size = (code >> 8) & 0xFF, code >> 30, code & 0xFF, (code >> 16) & 0x3FFF
    if typ == 0x21:
        # _IOC(_IOC_READ, '!', 2, sizeof(uint64_t)): the direction an older kernel header had
        return "SECCOMP_IOCTL_NOTIF_ID_VALID_WRONG_DIR" if code == (_READ << 30 | 8 << 16 | 0x2102) else None
    if typ == 0x45:
        return _evdev(arch, code, verbose)
    if typ == 0x48:
        return _hiddev(code)
    if typ == 0x4D and d in (_WRITE, _READ):
        return f"MIXER_{'WRITE' if d == _WRITE else 'READ'}({nr})"
    if (typ, d, nr) in ((0x55, _READ, 0x2C), (0x6A, _READ, 0x13), (0x6B, _WRITE, 0)):
        name = {0x55: "UI_GET_SYSNAME", 0x6A: "JSIOCGNAME", 0x6B: "SPI_IOC_MESSAGE"}[typ]
        return f"{name}({size})"
    return None


def command(arch: str, code: int, verbose: bool = False) -> str:
    """The text of the command (without -X verbose's number): names, or ``_IOC(...)``."""
    code &= 0xFFFFFFFF
    special = parametric(arch, code, verbose)
    if special == "SECCOMP_IOCTL_NOTIF_ID_VALID_WRONG_DIR":
        return special  # IOCTL_NUMBER_STOP_LOOKUP
    names = named(arch, code)
    if special is not None:
        return f"{special} or {names}" if names else special
    return names if names is not None else ioc(code)


@cache
def numbers(arch: str) -> dict[str, int]:
    """name -> number, for the family decoders' switch over their commands: each name's first
    definition in the requests (ioctl_req), the _IO*() commands (ioctl_cmds), then the plain
    numbers (tables.rows' ioctl_plain).  Made with C loops (split, map, zip, dict) over the
    packed tables rather than from their ~3,000 rows converted one by one (~10 M instructions of
    the first ioctl's decoding); dict(zip(...)) keeps a name's last pair, so each table is read
    from its end."""
    out: dict[str, int] = {}
    plain = tables.plain_words(arch, "ioctl_plain")
    if plain is None:
        rows = tables.rows(arch, "ioctl_plain")
        out.update((n, v & 0xFFFFFFFF) for v, n in reversed(rows))
    else:
        # rows() sorts the generated and the declared pairs by value: a name's first is its least
        words, declared = plain
        pairs = sorted({*zip(map(int, words[::2]), words[1::2], strict=True), *declared}, reverse=True)
        out.update((n, v & 0xFFFFFFFF) for v, n in pairs)
    consts = fmt.consts(arch)
    for table in ("ioctl_cmds", "ioctl_req"):  # the earlier table's definition wins
        words = consts.words(table) or []
        values = [v & 0xFFFFFFFF for v in map(int, words[-2::-2])]
        out.update(zip(words[::-2], values, strict=True))
    return out


def codes(arch: str, *names: str) -> dict[int, str]:
    """number -> name of the named commands this arch defines."""
    nums = numbers(arch)
    return {nums[n]: n for n in names if n in nums}
