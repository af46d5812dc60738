"""Small ioctl families, as strace's inotify_ioctl.c ('I'), watchdog_ioctl.c ('W'),
random_ioctl.c ('R'), nbd_ioctl.c (0xab) and counter_ioctl.c ('>')."""

from __future__ import annotations

from functools import cache

from syscope.decode import fmt
from syscope.decode.ioctl.core import NO_ARG, Call, Struct, by_name, family, simple, struct_arg

_SPECS = {
    0x49: {"INOTIFY_IOC_SETNEXTWD": "d"},
    0x57: {"WDIOC_GETSTATUS": "out:i", "WDIOC_GETBOOTSTATUS": "out:i", "WDIOC_GETTEMP": "out:i",
           "WDIOC_GETTIMEOUT": "out:i", "WDIOC_GETPRETIMEOUT": "out:i", "WDIOC_GETTIMELEFT": "out:i",
           "WDIOC_SETTIMEOUT": "in:i", "WDIOC_SETPRETIMEOUT": "in:i",
           # linux/watchdog.h says it takes an int; the kernel ignores it
           "WDIOC_KEEPALIVE": "none"},
    0x52: {"RNDGETENTCNT": "out:i", "RNDADDTOENTCNT": "in:i", "RNDADDENTROPY": "entropy",
           "RNDZAPENTCNT": "none", "RNDCLEARPOOL": "none", "RNDRESEEDCRNG": "none"},
    0xAB: {"NBD_DISCONNECT": "none", "NBD_CLEAR_SOCK": "none", "NBD_DO_IT": "none", "NBD_CLEAR_QUE": "none",
           "NBD_PRINT_DEBUG": "none", "NBD_SET_SOCK": "fd", "NBD_SET_BLKSIZE": "u", "NBD_SET_SIZE": "u",
           "NBD_SET_SIZE_BLOCKS": "u", "NBD_SET_TIMEOUT": "u", "NBD_SET_FLAGS": "nbd_flags"},
    0x3E: {"COUNTER_ADD_WATCH_IOCTL": "watch", "COUNTER_ENABLE_EVENTS_IOCTL": "none",
           "COUNTER_DISABLE_EVENTS_IOCTL": "none"},
}

# linux/counter.h struct counter_watch {struct counter_component {u8 type, scope; u8 parent,
# id} component; u8 event, channel}
_COMPONENT = Struct([("type", "B", "xval:counter_component_types"), ("scope", "B", "xval:counter_scopes"),
                     ("parent", "B", "u"), ("id", "B", "u")])
_WATCH = Struct([("component", "4s", lambda c, v: _COMPONENT.text(c, v)), ("event", "B", "xval:counter_event_types"),
                 ("channel", "B", "u")])


@cache
def _codes(arch: str, typ: int) -> dict[int, str]:
    return by_name(arch, _SPECS[typ])


def _small(c: Call) -> str | None:
    spec = _codes(c.arch, (c.code >> 8) & 0xFF).get(c.code)
    if spec is None:
        return None
    if spec == "entropy":
        # linux/random.h struct rand_pool_info {int entropy_count, buf_size; u32 buf[]}
        got = c.unpack("ii")
        if got is None:
            return c.addr()
        return f"{{entropy_count={got[0]}, buf_size={got[1]}, buf={c.strn(c.arg + 8, got[1] & 0xFFFFFFFF)}}}"
    if spec == "fd":
        return c.d.fd_or_num(c.ev, fmt.s32(c.arg))
    if spec == "nbd_flags":
        return c.flags("nbd_ioctl_flags", c.arg)
    if spec == "watch":
        return struct_arg(c, _WATCH, out=False)
    if spec == "none":
        return NO_ARG
    return simple(c, spec)


for _typ in _SPECS:
    family(_typ)(_small)


# lirc(4) requests ('i', linux/lirc.h) as strace's lirc_ioctl.c: one unsigned int, read at exit
# for the getters
_LIRC = {"LIRC_GET_FEATURES": "features", "LIRC_GET_SEND_MODE": "mode", "LIRC_GET_REC_MODE": "mode",
         "LIRC_SET_SEND_MODE": "mode", "LIRC_SET_REC_MODE": "mode", "LIRC_SET_TRANSMITTER_MASK": "x",
         **dict.fromkeys(("LIRC_GET_REC_RESOLUTION", "LIRC_GET_MIN_TIMEOUT", "LIRC_GET_MAX_TIMEOUT", "LIRC_GET_LENGTH",
                          "LIRC_SET_SEND_CARRIER", "LIRC_SET_REC_CARRIER", "LIRC_SET_SEND_DUTY_CYCLE",
                          "LIRC_SET_REC_TIMEOUT", "LIRC_SET_REC_TIMEOUT_REPORTS", "LIRC_SET_MEASURE_CARRIER_MODE",
                          "LIRC_SET_REC_CARRIER_RANGE", "LIRC_SET_WIDEBAND_RECEIVER", "LIRC_GET_REC_TIMEOUT"), "u")}


@cache
def _lirc_codes(arch: str) -> dict[int, str]:
    return by_name(arch, _LIRC)


@family(0x69)
def lirc(c: Call) -> str | None:
    spec = _lirc_codes(c.arch).get(c.code)
    if spec is None:
        return None
    if c.code >> 30 == 2 and c.failed:  # _IOC_READ: the value the kernel wrote
        return c.addr()
    got = c.unpack("I")
    if got is None:
        return c.addr()
    v = got[0]
    if spec == "features":
        return f"[{c.flags('lirc_features', v)}]"
    if spec == "mode":
        return f"[{c.xval('lirc_modes', v)}]"
    return f"[{fmt.hexnum(v)}]" if spec == "x" else f"[{v}]"


# the modem lines of TIOCMGET/TIOCMBIS/TIOCMBIC/TIOCMSET (tty_ioctl(4)), strace's term.c
_TIOCM = {"TIOCMGET": "out", "TIOCMBIS": "in", "TIOCMBIC": "in", "TIOCMSET": "in"}


@cache
def tiocm_codes(arch: str) -> dict[int, str]:
    return by_name(arch, _TIOCM)


def modem_flags(c: Call, way: str) -> str:
    if way == "out" and c.failed:
        return c.addr()
    got = c.unpack("I")
    return c.addr() if got is None else f"[{c.flags('modem_flags', got[0])}]"
