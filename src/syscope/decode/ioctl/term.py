"""tty requests (type 'T', asm-generic/ioctls.h) as strace's term.c, ioctl_tty(2)."""

from __future__ import annotations

from functools import cache

from syscope.decode import fmt, more
from syscope.decode.ioctl.core import NO_ARG, Call, family
from syscope.decode.ioctl.misc import modem_flags, tiocm_codes
from syscope.decode.ioctl.names import codes

# the kernel reads the struct (decoded at entry, failed call or not) / writes it (at exit)
_TERMIOS_IN = ("TCSETS", "TCSETSW", "TCSETSF", "TIOCSLCKTRMIOS")
_TERMIOS_OUT = ("TCGETS", "TIOCGLCKTRMIOS")
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
                        ("int_in", _INT_IN), ("none", _NO_ARG), ("value", _VALUE),
                        ("winsize_in", ("TIOCSWINSZ",)), ("winsize_out", ("TIOCGWINSZ",)),
                        ("tcxonc", ("TCXONC",)), ("tcflsh", ("TCFLSH",))):
        out.update(dict.fromkeys(codes(arch, *group), kind))
    return out


@family(0x54)
def term(c: Call) -> str | None:
    kind = _kinds(c.arch).get(c.code)
    if kind is None:
        way = tiocm_codes(c.arch).get(c.code)
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
    # struct termios (asm-generic/termbits.h): four flag words, c_line, c_cc[19]
    size = 16 if c.d.abbrev else 36
    data = c.read(size)
    return c.addr() if data is None else more.termios(data, c.arch, not c.d.abbrev)
