"""Real-time clock requests (type 'p', linux/rtc.h), as strace's rtc.c."""

from __future__ import annotations

import struct

from syscope.decode import fmt
from syscope.decode.ioctl import tables
from syscope.decode.ioctl.core import Call, Requests, family, simple

_SPECS = {"RTC_ALM_READ": "time_out", "RTC_RD_TIME": "time_out", "RTC_ALM_SET": "time", "RTC_SET_TIME": "time",
          "RTC_IRQP_SET": "u", "RTC_EPOCH_SET": "u", "RTC_IRQP_READ": "out:Q", "RTC_EPOCH_READ": "out:Q",
          "RTC_WKALM_RD": "wkalrm_out", "RTC_WKALM_SET": "wkalrm", "RTC_PLL_GET": "pll_out", "RTC_PLL_SET": "pll",
          "RTC_VL_READ": "vl", "RTC_PARAM_GET": "param_get", "RTC_PARAM_SET": "param_set",
          "RTC_AIE_ON": "none", "RTC_AIE_OFF": "none", "RTC_UIE_ON": "none", "RTC_UIE_OFF": "none",
          "RTC_PIE_ON": "none", "RTC_PIE_OFF": "none", "RTC_WIE_ON": "none", "RTC_WIE_OFF": "none",
          "RTC_VL_CLR": "none"}
_TM = ("tm_sec", "tm_min", "tm_hour", "tm_mday", "tm_mon", "tm_year", "tm_wday", "tm_yday", "tm_isdst")
_PLL = ("pll_ctrl", "pll_value", "pll_max", "pll_min", "pll_posmult", "pll_negmult", "pll_clock")


_REQUESTS = Requests(_SPECS)


def _time(c: Call, data: bytes, off: int = 0) -> str:
    # struct rtc_time: nine ints; -v prints the last three
    vals = struct.unpack_from("<9i", data, off)
    n = 6 if c.d.abbrev else 9
    return "{" + ", ".join(f"{_TM[k]}={vals[k]}" for k in range(n)) + (", ...}" if c.d.abbrev else "}")


@family(0x70)
def rtc(c: Call) -> str | None:
    spec = _REQUESTS.spec(c)
    if spec is None:
        return None
    if spec.endswith("_out") or spec == "vl":
        if c.failed:
            return c.addr()
        spec = spec.removesuffix("_out")
    if spec == "time":
        data = c.read(36)
        return c.addr() if data is None else _time(c, data)
    if spec == "wkalrm":
        # struct rtc_wkalrm {u8 enabled, pending; struct rtc_time time (at 4)}
        data = c.read(40)
        return c.addr() if data is None else f"{{enabled={data[0]}, pending={data[1]}, time={_time(c, data, 4)}}}"
    if spec == "pll":
        # struct rtc_pll_info: six ints, then long pll_clock
        got = c.unpack("6iq" if c.word == 8 else "6ii")
        if got is None:
            return c.addr()
        return "{" + ", ".join(f"{n}={v}" for n, v in zip(_PLL, got, strict=True)) + "}"
    if spec == "vl":
        got = c.unpack("I")
        return c.addr() if got is None else f"[{c.flags('rtc_vl_flags', got[0])}]"
    if spec.startswith("param"):
        return _param(c, spec == "param_get")
    return simple(c, spec)


def _param(c: Call, get: bool) -> str:
    # struct rtc_param {u64 param; union {u64 uvalue; s64 svalue; u64 ptr}; u32 index, __pad}
    got = c.unpack("QQII")
    if got is None:
        return c.addr()
    param, value, index, pad = got
    padding = f", __pad={fmt.hexnum(pad)}" if pad else ""
    text = f"{{param={c.xval('rtc_params', param)}"
    if not get:
        text += ", " + _value(c, param, value)
    text += f", index={index}{padding}}}"
    if not get:
        return text
    if c.failed:
        return f"{text} => {c.addr()}"
    return f"{text} => {{{_value(c, param, value)}{padding}}}"


def _value(c: Call, param: int, value: int) -> str:
    name = tables.enum(c.arch, "rtc_params").get(param)
    if name == "RTC_PARAM_FEATURES":
        return "uvalue=" + tables.bits(c.arch, "rtc_features", c.xs, "<<")(value)
    if name == "RTC_PARAM_CORRECTION":
        return f"svalue={value - (1 << 64) if value >> 63 else value}"
    if name == "RTC_PARAM_BACKUP_SWITCH_MODE":
        return "uvalue=" + c.xval("rtc_backup_switch_modes", value)
    return f"uvalue={fmt.hexnum(value)}"
