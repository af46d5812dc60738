"""PTP hardware clock requests (type '=', linux/ptp_clock.h), as strace's ptp.c."""

from __future__ import annotations

import struct

from syscope.decode import fmt
from syscope.decode.ioctl import tables
from syscope.decode.ioctl.core import Call, Requests, Struct, family

_SPECS = {"PTP_CLOCK_GETCAPS": "caps", "PTP_CLOCK_GETCAPS2": "caps", "PTP_EXTTS_REQUEST": "extts",
          "PTP_EXTTS_REQUEST2": "extts2", "PTP_PEROUT_REQUEST": "perout", "PTP_PEROUT_REQUEST2": "perout2",
          "PTP_ENABLE_PPS": "pps", "PTP_ENABLE_PPS2": "pps", "PTP_SYS_OFFSET": "sysoff", "PTP_SYS_OFFSET2": "sysoff",
          "PTP_PIN_GETFUNC": "getfunc", "PTP_PIN_GETFUNC2": "getfunc2", "PTP_PIN_SETFUNC": "setfunc",
          "PTP_PIN_SETFUNC2": "setfunc2", "PTP_SYS_OFFSET_PRECISE": "precise", "PTP_SYS_OFFSET_PRECISE2": "precise",
          "PTP_SYS_OFFSET_EXTENDED": "extended", "PTP_SYS_OFFSET_EXTENDED2": "extended"}
_MAX_SAMPLES = 25  # linux/ptp_clock.h PTP_MAX_SAMPLES
# struct ptp_clock_caps: eight ints, int rsv[12]
_CAPS = Struct([(n, "i", "d") for n in ("max_adj", "n_alarm", "n_ext_ts", "n_per_out", "pps", "n_pins",
                                        "cross_timestamping", "adjust_phase")] + [("rsv", "48s", "")])
_TIME = struct.Struct("<qII")  # struct ptp_clock_time {s64 sec; u32 nsec, reserved}


_REQUESTS = Requests(_SPECS)


def _time(data: bytes, off: int = 0, rtc: bool = False, raw: bool = False) -> str:
    sec, nsec, reserved = _TIME.unpack_from(data, off)
    text = f"{{sec={sec}, nsec={nsec}" + (f", reserved={reserved:#x}}}" if reserved else "}")
    if rtc and not raw:
        when = fmt.isotime(sec, nsec)
        if when:
            text += f" /* {when} */"
    return text


def _rsv(data: bytes, off: int, n: int) -> str:
    words = struct.unpack_from(f"<{n}I", data, off)
    return ", rsv=[" + ", ".join(fmt.hexnum(w) for w in words) + "]" if any(words) else ""


@family(0x3D)
def ptp(c: Call) -> str | None:
    spec = _REQUESTS.spec(c)
    if spec is None:
        return None
    raw = c.xs == 2
    if spec == "pps":
        return fmt.hexnum(c.arg)
    if spec in ("caps", "precise"):
        size = 80 if spec == "caps" else 64
        data = None if c.failed else c.read(size)
        if data is None:
            return c.addr()
        if spec == "caps":
            return _CAPS.text(c, data)[:-1] + _rsv(data, 32, 12) + "}"
        return (f"{{device={_time(data, 0, True, raw)}, sys_realtime={_time(data, 16, True, raw)}, "
                f"sys_monoraw={_time(data, 32)}{_rsv(data, 48, 4)}}}")
    if spec.startswith("extts"):
        got = c.unpack("II8s")
        if got is None:
            return c.addr()
        text = f"{{index={got[0]}, flags={c.flags('ptp_extts_flags', got[1])}"
        return text + (_rsv(got[2], 0, 2) if spec == "extts2" else "") + "}"
    if spec.startswith("perout"):
        return _perout(c, spec == "perout2", raw)
    if spec in ("sysoff", "extended"):
        return _sysoff(c, spec, raw)
    return _pin(c, spec)


def _perout(c: Call, v2: bool, raw: bool) -> str:
    data = c.read(56)
    if data is None:
        return c.addr()
    index, flags = struct.unpack_from("<II", data, 32)
    phase = flags & (tables.value(c.arch, "ptp_perout_flags", "PTP_PEROUT_PHASE") or 0)
    text = f"{{phase={_time(data)}" if phase else f"{{start={_time(data, 0, True, raw)}"
    text += f", period={_time(data, 16)}, index={index}, flags={c.flags('ptp_perout_flags', flags)}"
    if flags & (tables.value(c.arch, "ptp_perout_flags", "PTP_PEROUT_DUTY_CYCLE") or 0):
        text += f", on={_time(data, 40)}"
    elif v2:
        text += _rsv(data, 40, 4)
    return text + "}"


def _sysoff(c: Call, spec: str, raw: bool) -> str:
    size = 832 if spec == "sysoff" else 1216
    data = c.read(size)
    if data is None:
        return c.addr()
    n = struct.unpack_from("<I", data)[0]
    text = f"{{n_samples={n}{_rsv(data, 4, 3)}"
    if c.failed:
        return text + "}"
    n = min(n, _MAX_SAMPLES)
    if spec == "sysoff":
        arr = c.d.array(c.mem, c.arg + 16, 2 * n + 1, 16, lambda b: _time(b, 0, True, raw))
    else:
        arr = c.d.array(c.mem, c.arg + 16, n, 48,
                        lambda b: "[" + ", ".join(_time(b, k, True, raw) for k in (0, 16, 32)) + "]")
    return f"{text}, ts={arr}}}"


def _pin(c: Call, spec: str) -> str:
    # struct ptp_pin_desc {char name[64]; u32 index, func, chan, rsv[5]}
    data = c.read(96)
    if data is None:
        return c.addr()
    index, func, chan = struct.unpack_from("<III", data, 64)
    text = f"{{index={index}"
    if spec.startswith("get"):
        if spec == "getfunc2":
            text += _rsv(data, 76, 5)
        if c.failed:
            return text + "}"
        name = data[:64]
        end = name.find(b"\0")
        shown = name[:end] if end >= 0 else name[:63]
        text += ', name="' + fmt.quote(shown, c.d.opts.xflag) + '"' + ("..." if end < 0 else "")
    text += f", func={c.xval('ptp_pin_funcs', func)}, chan={chan}"
    if spec == "setfunc2":
        text += _rsv(data, 76, 5)
    return text + "}"
