"""tty requests (type 'T', asm-generic/ioctls.h) as strace's term.c, ioctl_tty(2)."""

from __future__ import annotations

import struct

from syscope.decode import fmt
from syscope.decode.ioctl import tables
from syscope.decode.ioctl.core import NO_ARG, Call, family
from syscope.decode.ioctl.misc import TIOCM_REQUESTS, modem_flags
from syscope.decode.ioctl.names import codes
from syscope.lean import cache

# the kernel reads the struct (decoded at entry, failed call or not) / writes it (at exit)
_TERMIOS_IN = ("TCSETS", "TCSETSW", "TCSETSF", "TIOCSLCKTRMIOS")
_TERMIOS_OUT = ("TCGETS", "TIOCGLCKTRMIOS")
_TERMIOS2_IN = ("TCSETS2", "TCSETSW2", "TCSETSF2")
_TERMIO_IN = ("TCSETA", "TCSETAW", "TCSETAF")
_INT_OUT = ("TIOCGPGRP", "TIOCGSID", "TIOCGETD", "TIOCGSOFTCAR", "TIOCGPTN", "FIONREAD", "TIOCOUTQ",
            "TIOCGEXCL", "TIOCGDEV")
_INT_IN = ("TIOCSPGRP", "TIOCSETD", "FIONBIO", "FIOASYNC", "TIOCPKT", "TIOCSSOFTCAR", "TIOCSPTLCK")
_NO_ARG = ("TIOCSBRK", "TIOCCBRK", "TIOCCONS", "TIOCNOTTY", "TIOCEXCL", "TIOCNXCL", "FIOCLEX", "FIONCLEX",
           "TIOCVHANGUP", "TIOCSSERIAL")
_VALUE = ("TCSBRK", "TCSBRKP", "TIOCSCTTY")


@cache
def _kinds(arch: str) -> dict[int, str]:
    out: dict[int, str] = {}
    for kind, group in (("termios_in", _TERMIOS_IN), ("termios_out", _TERMIOS_OUT), ("int_out", _INT_OUT),
                        ("termios2_in", _TERMIOS2_IN), ("termios2_out", ("TCGETS2",)),
                        ("termio_in", _TERMIO_IN), ("termio_out", ("TCGETA",)), ("str1", ("TIOCSTI",)),
                        ("int_in", _INT_IN), ("none", _NO_ARG), ("value", _VALUE),
                        ("winsize_in", ("TIOCSWINSZ",)), ("winsize_out", ("TIOCGWINSZ",)),
                        ("tcxonc", ("TCXONC",)), ("tcflsh", ("TCFLSH",))):
        out.update(dict.fromkeys(codes(arch, *group), kind))
    return out


def failed_address_codes(arch: str) -> list[int]:
    """The commands whose failed call prints the argument's address (term below: what the kernel
    writes, "_out", a struct or an int (Call.num's out), read only when the call succeeded: a
    shell's TIOCGPGRP on a file or pipe)."""
    return [code for code, kind in _kinds(arch).items() if kind.endswith("_out")]


@family(0x54)
def term(c: Call) -> str | None:
    kind = _kinds(c.arch).get(c.code)
    if kind is None:
        way = TIOCM_REQUESTS.spec(c)
        return modem_flags(c, way) if way is not None else None
    if kind == "none":
        return NO_ARG
    if kind in ("tcxonc", "tcflsh"):
        return fmt.enum(c.arch, kind, c.xs)(c.arg)
    if kind == "value":
        return str(fmt.s32(c.arg))
    if kind.startswith("int"):
        return c.num("i", out=kind == "int_out")
    if kind.endswith("_out") and c.failed:
        return c.addr()
    if kind.startswith("winsize"):
        ws = c.unpack("HHHH")
        if ws is None:
            return c.addr()
        return f"{{ws_row={ws[0]}, ws_col={ws[1]}, ws_xpixel={ws[2]}, ws_ypixel={ws[3]}}}"
    if kind == "str1":
        return c.strn(c.arg, 1)
    # struct termios (asm-generic/termbits.h): four flag words, c_line, c_cc[19]; termios2
    # adds c_ispeed, c_ospeed; the old struct termio has 16-bit words and c_cc[8]
    shape = kind.split("_")[0]
    size = {"termios": 36, "termios2": 44, "termio": 18}[shape]
    data = c.read(size)
    return c.addr() if data is None else _termios(c, data, shape)


def _termios(c: Call, data: bytes, shape: str) -> str:
    words = struct.unpack_from("<4H" if shape == "termio" else "<4I", data)
    arch, xs = c.arch, c.xs
    iflag, oflag, cflag, lflag = words
    # strace's decode_flags: each word's plain flags by printflags64(..., NULL), which prints
    # nothing for 0 ("c_iflag=", "FF0|"): the tables are in spec.NULL_DEFAULT
    text = (f"{{c_iflag={fmt.flags(arch, 'tc_iflag', xs)(iflag)}, c_oflag={_oflag(c, oflag)}, "
            f"c_cflag={_cflag(c, cflag)}, c_lflag={tables.flags(arch, 'term_lflags', xs)(lflag)}")
    if c.d.abbrev:
        return text + ", ...}"
    line_off = 8 if shape == "termio" else 16
    ncc = 8 if shape == "termio" else 19
    cc_names = fmt.enum(arch, "tc_cc")
    cc = ", ".join(f"[{cc_names.get(k) or k}]={fmt.hexnum(v)}"
                   for k, v in enumerate(data[line_off + 1:line_off + 1 + ncc]))
    text += f", c_line={fmt.enum(arch, 'tty_ldisc', xs)(data[line_off])}, c_cc=[{cc}]"
    if shape == "termios2":
        ispeed, ospeed = struct.unpack_from("<II", data, 36)
        text += f", c_ispeed={ispeed}, c_ospeed={ospeed}"
    return text + "}"


def _field(c: Call, table: str, value: int, dflt: str) -> str:
    name = fmt.enum(c.arch, table).get(value)
    if c.xs == 2 or name is None and c.xs:
        return fmt.hexnum(value) if c.xs == 2 else f"{fmt.hexnum(value)} /* {dflt} */"
    if name is None:
        return f"{fmt.hexnum(value)} /* {dflt} */"
    return f"{fmt.hexnum(value)} /* {name} */" if c.xs else name


def _oflag(c: Call, v: int) -> str:
    """decode_oflag: each delay field by name, then the other flags."""
    bits = {n: x for x, n in fmt.consts(c.arch).get("termios_bits", [])}
    # XTABS: POSIX's name for TAB3 (strace's term_oflags_tabdly lists it first)
    xtabs = {n: x for x, n in fmt.consts(c.arch).get("tc_tabdly", [])}.get("TAB3")
    parts = []
    for mask_name, table, dflt in (("NLDLY", "tc_nldly", "NL?"), ("CRDLY", "tc_crdly", "CR?"),
                                   ("TABDLY", "tc_tabdly", "TAB?"), ("BSDLY", "tc_bsdly", "BS?"),
                                   ("VTDLY", "tc_vtdly", "VT?"), ("FFDLY", "tc_ffdly", "FF?")):
        mask = bits.get(mask_name, 0)
        field = v & mask
        if table == "tc_tabdly" and field == xtabs and c.xs != 2:
            parts.append(f"{fmt.hexnum(field)} /* XTABS */" if c.xs else "XTABS")
        else:
            parts.append(_field(c, table, field, dflt))
        v &= ~mask
    return "|".join([*parts, fmt.flags(c.arch, "tc_oflag", c.xs)(v)])


def _cflag(c: Call, v: int) -> str:
    """decode_cflag: output speed, input speed << IBSHIFT, character size, other flags."""
    bits = {n: x for x, n in fmt.consts(c.arch).get("termios_bits", [])}
    cbaud, csize = bits.get("CBAUD", 0), bits.get("CSIZE", 0)
    cibaud = tables.value(c.arch, "term_bits", "CIBAUD") or 0
    ibshift = tables.value(c.arch, "term_bits", "IBSHIFT") or 16
    parts = [_field(c, "baud", v & cbaud, "B???")]
    if v & cibaud:
        shift = str(ibshift) if c.xs == 2 else (f"{ibshift} /* IBSHIFT */" if c.xs else "IBSHIFT")
        parts.append(f"{_field(c, 'baud', (v & cibaud) >> ibshift, 'B???')}<<{shift}")
    parts.append(_field(c, "tc_csize", v & csize, "CS?"))
    return "|".join([*parts, fmt.flags(c.arch, "tc_cflag", c.xs)(v & ~(cbaud | cibaud | csize))])
