"""GPIO character device requests (type 0xb4, linux/gpio.h), as strace's gpio_ioctl.c: the v1
line handle/event requests and the v2 line requests, info and values."""

from __future__ import annotations

import struct

from syscope.decode import fmt
from syscope.decode.ioctl import tables
from syscope.decode.ioctl.core import Call, Requests, cstr, family
from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

_SPECS = {"GPIO_GET_CHIPINFO_IOCTL": "chipinfo", "GPIO_GET_LINEINFO_UNWATCH_IOCTL": "unwatch",
          "GPIO_V2_GET_LINEINFO_IOCTL": "v2info", "GPIO_V2_GET_LINEINFO_WATCH_IOCTL": "v2info",
          "GPIO_V2_GET_LINE_IOCTL": "v2request", "GPIO_V2_LINE_SET_CONFIG_IOCTL": "v2config",
          "GPIO_V2_LINE_GET_VALUES_IOCTL": "v2get", "GPIO_V2_LINE_SET_VALUES_IOCTL": "v2set",
          "GPIO_GET_LINEINFO_IOCTL": "info", "GPIO_GET_LINEINFO_WATCH_IOCTL": "info",
          "GPIO_GET_LINEHANDLE_IOCTL": "handle", "GPIO_GET_LINEEVENT_IOCTL": "event",
          "GPIOHANDLE_GET_LINE_VALUES_IOCTL": "getvalues", "GPIOHANDLE_SET_LINE_VALUES_IOCTL": "setvalues",
          "GPIOHANDLE_SET_CONFIG_IOCTL": "handleconfig"}
_SIZES = {"chipinfo": 68, "unwatch": 4, "v2info": 256, "v2request": 592, "v2config": 272, "v2get": 16, "v2set": 16,
          "info": 72, "handle": 364, "event": 48, "getvalues": 64, "setvalues": 64, "handleconfig": 84}


_REQUESTS = Requests(_SPECS)


def _arr(c: Call, data: bytes, off: int, count: int, code: str, show: Callable[[int], str] = str) -> str:
    size = struct.calcsize(code)
    return c.d.arr([show(v) for (v,) in struct.iter_unpack("<" + code, data[off:off + count * size])])


def _xarr_if(c: Call, data: bytes, off: int, n: int, name: str) -> str:
    words = struct.unpack_from(f"<{n}I", data, off)
    return f", {name}=" + c.d.arr([fmt.hexnum(w) for w in words]) if any(words) else ""


@family(0xB4)
def gpio(c: Call) -> str | None:
    spec = _REQUESTS.spec(c)
    if spec is None:
        return None
    out_only = spec in ("chipinfo", "getvalues")
    if out_only and c.failed:
        return c.addr()
    data = c.read(_SIZES[spec])
    if data is None:
        return c.addr()
    entry, result = _HALVES[spec](c, data)
    if result is None:
        return entry
    if out_only:
        return result
    return entry if c.failed else f"{entry} => {result}"


def _chipinfo(c: Call, d: bytes) -> tuple[str, str | None]:
    lines = struct.unpack_from("<I", d, 64)[0]
    return "", f"{{name={cstr(c, d[:32])}, label={cstr(c, d[32:64])}, lines={lines}}}"


def _info(c: Call, d: bytes) -> tuple[str, str | None]:
    offset, flags = struct.unpack_from("<II", d)
    return (f"{{line_offset={offset}}}",
            f"{{flags={c.flags('gpio_line_flags', flags)}, name={cstr(c, d[8:40])}, consumer={cstr(c, d[40:72])}}}")


def _handle(c: Call, d: bytes) -> tuple[str, str | None]:
    flags, = struct.unpack_from("<I", d, 256)
    lines, fd = struct.unpack_from("<Ii", d, 356)
    n = min(lines, 64)
    text = (f"{{lines={lines}, lineoffsets={_arr(c, d, 0, n, 'I')}, "
            f"flags={c.flags('gpio_handle_flags', flags)}, default_values={_arr(c, d, 260, n, 'B')}, "
            f"consumer_label={cstr(c, d[324:356])}}}")
    return text, f"{{fd={c.d.fd_or_num(c.ev, fd)}}}"


def _event(c: Call, d: bytes) -> tuple[str, str | None]:
    line, hflags, eflags = struct.unpack_from("<III", d)
    fd, = struct.unpack_from("<i", d, 44)
    text = (f"{{lineoffset={line}, handleflags={c.flags('gpio_handle_flags', hflags)}, "
            f"eventflags={c.flags('gpio_event_flags', eflags)}, consumer_label={cstr(c, d[12:44])}}}")
    return text, f"{{fd={c.d.fd_or_num(c.ev, fd)}}}"


def _values(c: Call, d: bytes) -> tuple[str, str | None]:
    text = f"{{values={_arr(c, d, 0, 64, 'B')}}}"
    # GPIOHANDLE_GET_LINE_VALUES_IOCTL prints what the kernel wrote, SET what it is given
    return ("", text) if _REQUESTS.spec(c) == "getvalues" else (text, None)


def _handleconfig(c: Call, d: bytes) -> tuple[str, str | None]:
    flags, = struct.unpack_from("<I", d)
    return f"{{flags={c.flags('gpio_handle_flags', flags)}, default_values={_arr(c, d, 4, 64, 'B')}}}", None


def _unwatch(c: Call, d: bytes) -> tuple[str, str | None]:
    return f"{{offset={struct.unpack_from('<I', d)[0]}}}", None


def _attr(c: Call, d: bytes, off: int, as_field: bool) -> str:
    """struct gpio_v2_line_attribute {u32 id, padding; union {u64 flags, values;
    u32 debounce_period_us}}."""
    aid, pad, val = struct.unpack_from("<IIQ", d, off)
    names = {tables.value(c.arch, "gpio_v2_line_attr_ids", n): n for n in
             ("GPIO_V2_LINE_ATTR_ID_FLAGS", "GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES", "GPIO_V2_LINE_ATTR_ID_DEBOUNCE")}
    kind = names.get(aid) if not pad else None
    if kind == "GPIO_V2_LINE_ATTR_ID_FLAGS":
        return f"flags={c.flags('gpio_v2_line_flags', val)}"
    if kind == "GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES":
        return f"values={fmt.hexnum(val)}"
    if kind == "GPIO_V2_LINE_ATTR_ID_DEBOUNCE":
        return f"debounce_period_us={val & 0xFFFFFFFF}"
    text = f"id={aid}" + (f", padding={pad:#x}" if pad else "") + f", data={fmt.hexnum(val)}"
    return f"attr={{{text}}}" if as_field else text


def _config(c: Call, d: bytes, off: int) -> str:
    """struct gpio_v2_line_config {u64 flags; u32 num_attrs, padding[5];
    struct gpio_v2_line_config_attribute {attr; u64 mask} attrs[10]}."""
    flags, num = struct.unpack_from("<QI", d, off)
    text = f"{{flags={c.flags('gpio_v2_line_flags', flags)}, num_attrs={num}" + _xarr_if(c, d, off + 12, 5, "padding")
    if num:
        items = []
        for k in range(min(num, 10)):
            mask = struct.unpack_from("<Q", d, off + 48 + k * 24)[0]
            items.append(f"{{{_attr(c, d, off + 32 + k * 24, True)}, mask={fmt.hexnum(mask)}}}")
        text += ", attrs=" + c.d.arr(items)
    return text + "}"


def _v2config(c: Call, d: bytes) -> tuple[str, str | None]:
    return _config(c, d, 0), None


def _v2request(c: Call, d: bytes) -> tuple[str, str | None]:
    num, ebuf = struct.unpack_from("<II", d, 560)
    fd, = struct.unpack_from("<i", d, 588)
    text = (f"{{num_lines={num}, offsets={_arr(c, d, 0, min(num, 64), 'I')}, consumer={cstr(c, d[256:288])}, "
            f"config={_config(c, d, 288)}")
    if ebuf:
        text += f", event_buffer_size={ebuf}"
    text += _xarr_if(c, d, 568, 5, "padding") + "}"
    return text, f"{{fd={c.d.fd_or_num(c.ev, fd)}}}"


def _v2info(c: Call, d: bytes) -> tuple[str, str | None]:
    offset, num, flags = struct.unpack_from("<IIQ", d, 64)
    text = (f"{{name={cstr(c, d[:32])}, consumer={cstr(c, d[32:64])}, "
            f"flags={c.flags('gpio_v2_line_flags', flags)}, num_attrs={num}")
    if num:
        text += ", attrs=" + c.d.arr(["{" + _attr(c, d, 80 + k * 16, False) + "}" for k in range(min(num, 10))])
    return f"{{offset={offset}}}", text + _xarr_if(c, d, 240, 4, "padding") + "}"


def _v2get(c: Call, d: bytes) -> tuple[str, str | None]:
    bits, mask = struct.unpack_from("<QQ", d)
    return f"{{mask={fmt.hexnum(mask)}}}", f"{{bits={fmt.hexnum(bits)}}}"


def _v2set(c: Call, d: bytes) -> tuple[str, str | None]:
    bits, mask = struct.unpack_from("<QQ", d)
    return f"{{bits={fmt.hexnum(bits)}, mask={fmt.hexnum(mask)}}}", None


_HALVES: dict[str, Callable[[Call, bytes], tuple[str, str | None]]] = {
    "chipinfo": _chipinfo, "info": _info, "handle": _handle, "event": _event, "getvalues": _values,
    "setvalues": _values, "handleconfig": _handleconfig, "unwatch": _unwatch, "v2config": _v2config,
    "v2request": _v2request, "v2info": _v2info, "v2get": _v2get, "v2set": _v2set}
