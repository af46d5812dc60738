"""Video4Linux2 requests (type 'V', linux/videodev2.h), as strace 6.1's src/v4l2.c.

strace decodes a V4L2 request in two halves: at entry what the program gives the kernel
(``{type=..., index=...}``), at exit, when the call succeeded, what the kernel wrote back
(after ``=>`` for a struct it rewrites).  A failed call prints the entry half only.  The commands
strace leaves undecoded (VIDIOC_OVERLAY, G_EDID, G_SELECTION ...) print their argument in hex.
Layouts follow the kernel's UAPI structs (x86_64 and aarch64: pointers and unions 8-aligned).
"""

from __future__ import annotations

import struct

from syscope.decode import fmt
from syscope.decode.ioctl import tables
from syscope.decode.ioctl.core import Call, Requests, cstr, family
from syscope.lean import cache
from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

# the requests strace decodes (the rest print their argument in hex)
_SPECS = ("VIDIOC_QUERYCAP VIDIOC_ENUM_FMT VIDIOC_G_FMT VIDIOC_S_FMT VIDIOC_TRY_FMT VIDIOC_REQBUFS VIDIOC_QUERYBUF "
          "VIDIOC_QBUF VIDIOC_DQBUF VIDIOC_G_FBUF VIDIOC_S_FBUF VIDIOC_STREAMON VIDIOC_STREAMOFF VIDIOC_G_PARM "
          "VIDIOC_S_PARM VIDIOC_G_STD VIDIOC_S_STD VIDIOC_ENUMSTD VIDIOC_ENUMINPUT VIDIOC_G_CTRL VIDIOC_S_CTRL "
          "VIDIOC_G_TUNER VIDIOC_S_TUNER VIDIOC_QUERYCTRL VIDIOC_QUERY_EXT_CTRL VIDIOC_G_INPUT VIDIOC_S_INPUT "
          "VIDIOC_CROPCAP VIDIOC_G_CROP VIDIOC_S_CROP VIDIOC_S_EXT_CTRLS VIDIOC_TRY_EXT_CTRLS VIDIOC_G_EXT_CTRLS "
          "VIDIOC_ENUM_FRAMESIZES VIDIOC_ENUM_FRAMEINTERVALS VIDIOC_CREATE_BUFS").split()


_REQUESTS = Requests({n: n for n in _SPECS})


def fourcc(c: Call, value: int, table: str | None) -> str:
    """print_pixelformat: ``v4l2_fourcc('Y', 'U', 'Y', 'V') /* V4L2_PIX_FMT_YUYV */``; -X raw: hex."""
    if c.xs == 2:
        return fmt.hexnum(value)
    chars = []
    for k in range(4):
        b = (value >> (8 * k)) & 0xFF
        if b in (0x27, 0x5C):
            chars.append("'\\" + chr(b) + "'")
        elif 0x20 <= b < 0x7F:
            chars.append(f"'{chr(b)}'")
        else:
            chars.append(f"'\\x{b:02x}'")
    text = "v4l2_fourcc(" + ", ".join(chars) + ")"
    name = tables.enum(c.arch, table).get(value) if table else None
    return f"{text} /* {name} */" if name else text


@cache
def _control_ids(arch: str, style: int) -> fmt.Enum:
    """The control ids: the V4L2_CID_* values that carry a control class (the kernel's
    V4L2_CTRL_ID2WHICH(id) = id & 0x0fff0000); the rest of the header's V4L2_CID_* names are the
    values of menu controls (V4L2_CID_POWER_LINE_FREQUENCY_DISABLED) or limits (V4L2_CID_MAX_CTRLS)."""
    rows = [(v, n) for v, n in tables.rows(arch, "v4l2_control_ids") if v & 0x0FFF0000]
    return fmt.Enum(rows, "V4L2_CID_", style)


def cid(c: Call, value: int, next_flags: bool = False) -> str:
    """print_v4l2_cid: a control's name, ``CLASS+offset`` within a known control class, or
    ``0x... /* V4L2_CID_??? */``; the NEXT_CTRL/NEXT_COMPOUND query flags first."""
    if c.xs == 2:
        return fmt.hexnum(value)
    prefix = ""
    if next_flags:
        mask = 0
        for v, _n in tables.rows(c.arch, "v4l2_control_query_flags"):
            mask |= v
        if value & mask:
            prefix = c.flags("v4l2_control_query_flags", value & mask) + "|"
            value &= ~mask
    name = _control_ids(c.arch, 0).get(value)
    if name is None:
        below = [(v, n) for v, n in tables.rows(c.arch, "v4l2_control_classes") if v <= value]
        if below:
            base, cls = max(below)
            if value - base < 0x10000:
                name = f"{cls}+{fmt.hexnum(value - base)}"
    if name is None:
        return prefix + f"{fmt.hexnum(value)} /* V4L2_CID_??? */"
    if c.xs == 1:
        return prefix + f"{fmt.hexnum(value)} /* {name} */"
    return prefix + name


def _rect(d: bytes, off: int) -> str:
    left, top, width, height = struct.unpack_from("<iiII", d, off)
    return f"{{left={left}, top={top}, width={width}, height={height}}}"


def _u32(d: bytes, off: int) -> int:
    return int(struct.unpack_from("<I", d, off)[0])


def _buf_type(c: Call, d: bytes, off: int = 0) -> str:
    return "type=" + c.xval("v4l2_buf_types", _u32(d, off))


def _type_name(c: Call, value: int) -> str:
    return tables.enum(c.arch, "v4l2_buf_types").get(value) or ""


# -- struct v4l2_format (the union at 8: it holds pointers) ------------------------------------
def _pix(c: Call, d: bytes) -> str:
    w, h, pf, field, bpl, size, cs = struct.unpack_from("<7I", d, 8)
    return (f"fmt.pix={{width={w}, height={h}, pixelformat={fourcc(c, pf, 'v4l2_pix_fmts')}, "
            f"field={c.xval('v4l2_fields', field)}, bytesperline={bpl}, sizeimage={size}, "
            f"colorspace={c.xval('v4l2_colorspaces', cs)}}}")


def _pix_mp(c: Call, d: bytes) -> str:
    w, h, pf, field, cs = struct.unpack_from("<5I", d, 8)
    n = d[8 + 180]
    planes = [f"{{sizeimage={_u32(d, 28 + 20 * k)}, bytesperline={_u32(d, 32 + 20 * k)}}}" for k in range(min(n, 8))]
    return (f"fmt.pix_mp={{width={w}, height={h}, pixelformat={fourcc(c, pf, 'v4l2_pix_fmts')}, "
            f"field={c.xval('v4l2_fields', field)}, colorspace={c.xval('v4l2_colorspaces', cs)}, "
            f"plane_fmt={c.d.arr(planes)}, num_planes={n}}}")


def _win(c: Call, d: bytes) -> tuple[str, bool]:
    field, key = struct.unpack_from("<II", d, 24)
    clips_ptr, = struct.unpack_from("<Q", d, 32)
    count, = struct.unpack_from("<I", d, 40)
    bitmap, = struct.unpack_from("<Q", d, 48)
    alpha = d[56]
    # struct v4l2_clip {struct v4l2_rect c; struct v4l2_clip *next}
    clips = c.d.array(c.mem, clips_ptr, count, 24, lambda b: f"{{c={_rect(b, 0)}}}")
    alpha_text = f", global_alpha={fmt.hexnum(alpha)}" if alpha else ""
    # print_array's false (NULL, no element, an unreadable one) ends S_FMT's text at entry
    ok = clips.startswith("[{") and " /* 0x" not in clips
    return (f"fmt.win={{w={_rect(d, 8)}, field={c.xval('v4l2_fields', field)}, chromakey={fmt.hexnum(key)}, "
            f"clips={clips}, clipcount={count}, bitmap={fmt.ptr(bitmap)}{alpha_text}}}"), ok


def _vbi(c: Call, d: bytes) -> str:
    rate, off, spl, sf = struct.unpack_from("<4I", d, 8)
    s0, s1, n0, n1, flags = struct.unpack_from("<iiIII", d, 24)
    return (f"fmt.vbi={{sampling_rate={rate}, offset={off}, samples_per_line={spl}, "
            f"sample_format={fourcc(c, sf, 'v4l2_pix_fmts')}, start=[{s0}, {s1}], count=[{n0}, {n1}], "
            f"flags={c.flags('v4l2_vbi_flags', flags)}}}")


def _sliced(c: Call, d: bytes) -> str:
    service_set, = struct.unpack_from("<H", d, 8)
    lines = struct.unpack_from("<48H", d, 10)
    rows = [c.d.arr([fmt.hexnum(v) for v in lines[k * 24:(k + 1) * 24]]) for k in range(2)]
    return (f"fmt.sliced={{service_set={c.flags('v4l2_sliced_flags', service_set)}, "
            f"service_lines=[{', '.join(rows)}], io_size={_u32(d, 108)}}}")


def _sdr(c: Call, d: bytes) -> str:
    pf, size = struct.unpack_from("<II", d, 8)
    size_text = f", buffersize={size}" if size else ""
    return f"fmt.sdr={{pixelformat={fourcc(c, pf, 'v4l2_sdr_fmts')}{size_text}}}"


def _meta(c: Call, d: bytes) -> str:
    pf, size = struct.unpack_from("<II", d, 8)
    return f"fmt.meta={{dataformat={fourcc(c, pf, 'v4l2_meta_fmts')}, buffersize={size}}}"


_FORMATS: dict[str, Callable[[Call, bytes], object]] = {
    "VIDEO_CAPTURE": _pix, "VIDEO_OUTPUT": _pix, "VIDEO_CAPTURE_MPLANE": _pix_mp, "VIDEO_OUTPUT_MPLANE": _pix_mp,
    "VIDEO_OVERLAY": _win, "VIDEO_OUTPUT_OVERLAY": _win, "VBI_CAPTURE": _vbi, "VBI_OUTPUT": _vbi,
    "SLICED_VBI_CAPTURE": _sliced, "SLICED_VBI_OUTPUT": _sliced, "SDR_CAPTURE": _sdr, "SDR_OUTPUT": _sdr,
    "META_CAPTURE": _meta, "META_OUTPUT": _meta}


def _format_union(c: Call, d: bytes) -> tuple[str, bool] | None:
    """The format union the type selects, and whether it printed whole (None: a type without
    one)."""
    show = _FORMATS.get(_type_name(c, _u32(d, 0)).removeprefix("V4L2_BUF_TYPE_"))
    if show is None:
        return None
    if show is _win:
        return _win(c, d)
    return str(show(c, d)), True


def _format(c: Call, d: bytes, now: bytes | None, name: str) -> str:
    """print_v4l2_format: G_FMT gives the type, S/TRY_FMT the whole format (a format it cannot
    print whole ends the call's text); the kernel's format follows at exit."""
    text = "{" + _buf_type(c, d)
    if name != "VIDIOC_G_FMT":
        union = _format_union(c, d)
        if union is None or not union[1]:
            return text + (", " + union[0] if union else "") + "}"
        text += ", " + union[0]
    if now is not None:
        after = _format_union(c, now)
        if after is not None:
            text += (", " if name == "VIDIOC_G_FMT" else "} => {") + after[0]
    return text + "}"


def _kernel_version(c: Call, version: int) -> str:
    """print_kernel_version: KERNEL_VERSION(a, b, c) (-X raw: the number; -X verbose: both)."""
    text = f"KERNEL_VERSION({version >> 16}, {(version >> 8) & 0xFF}, {version & 0xFF})"
    if c.xs == 2:
        return fmt.hexnum(version)
    return f"{fmt.hexnum(version)} /* {text} */" if c.xs == 1 else text


def _capability(c: Call) -> str:
    """print_v4l2_capability: struct v4l2_capability {driver[16], card[32], bus_info[32],
    version, capabilities, device_caps (when set)}."""
    d = c.read(104)
    if d is None:
        return c.addr()
    version, caps, dcaps = struct.unpack_from("<III", d, 80)
    text = (f"{{driver={cstr(c, d[:16])}, card={cstr(c, d[16:48])}, bus_info={cstr(c, d[48:80])}, "
            f"version={_kernel_version(c, version)}, "
            f"capabilities={c.flags('v4l2_device_capabilities_flags', caps)}")
    if dcaps:
        text += f", device_caps={c.flags('v4l2_device_capabilities_flags', dcaps)}"
    return text + "}"


# -- the rest --------------------------------------------------------------------------------
def _ext_controls(c: Call, d: bytes, name: str) -> str:
    """print_v4l2_ext_controls: the controls array at entry (not for G_EXT_CTRLS) and, after the
    call, again with error_idx when it failed."""
    cls, count, error_idx = struct.unpack_from("<III", d, 0)
    controls, = struct.unpack_from("<Q", d, 24)
    text = f"{{ctrl_class={c.xval('v4l2_control_classes', cls)}, count={count}"
    if not count:
        return text + "}"
    is_get = name == "VIDIOC_G_EXT_CTRLS"

    def control(b: bytes) -> str:
        # struct v4l2_ext_control is packed: id, size, reserved2, then the 8-byte union at 12
        cid_, size = struct.unpack_from("<II", b, 0)
        head = f"{{id={_control_ids(c.arch, c.xs)(cid_)}, size={size}"
        if size:
            return head + f", string={c.strn(struct.unpack_from('<Q', b, 12)[0], size)}}}"
        value, = struct.unpack_from("<i", b, 12)
        value64, = struct.unpack_from("<q", b, 12)
        return head + f", value={value}, value64={value64}}}"

    def arr() -> tuple[str, bool]:
        got = c.d.array(c.mem, controls, count, 20, control)
        return got, got.startswith("[") and " /* 0x" not in got

    if not is_get:
        first, ok = arr()
        text += f", controls={first}"
        if not ok:
            return text + "}"
        if c.failed:
            after, _ok = arr()
            return text + f"}} => {{controls={after}, error_idx={error_idx}}}"
        after, _ok = arr()
        return text + f"}} => {{controls={after}}}"
    after, _ok = arr()
    text += f", controls={after}"
    if c.failed:
        text += f", error_idx={error_idx}"
    return text + "}"


def _fract(d: bytes, off: int) -> str:
    num, den = struct.unpack_from("<II", d, off)
    return f"{num}/{den}"


def _parm_body(c: Call, d: bytes) -> str | None:
    kind = _type_name(c, _u32(d, 0))
    cap, mode, _n, _d, ext, bufs = struct.unpack_from("<6I", d, 4)
    if kind == "V4L2_BUF_TYPE_VIDEO_CAPTURE":
        way, mode_name, bufs_name = "capture", "capturemode", "readbuffers"
    elif kind == "V4L2_BUF_TYPE_VIDEO_OUTPUT":
        way, mode_name, bufs_name = "output", "outputmode", "writebuffers"
    else:
        return None
    return (f"parm.{way}={{capability={c.flags('v4l2_streaming_capabilities', cap)}, "
            f"{mode_name}={c.flags('v4l2_capture_modes', mode)}, timeperframe={_fract(d, 12)}, "
            f"extendedmode={fmt.hexnum(ext)}, {bufs_name}={bufs}}}")


def _parm(c: Call, d: bytes, now: bytes | None, name: str) -> str:
    """print_v4l2_streamparm: capture and output parameters only; S_PARM gives them, G_PARM gets them."""
    text = "{" + _buf_type(c, d)
    body = _parm_body(c, d)
    if body is None:
        return text + "}"
    if name == "VIDIOC_S_PARM":
        text += ", " + body
    if now is None:
        return text + "}"
    after = _parm_body(c, now)
    joiner = ", " if name == "VIDIOC_G_PARM" else "} => {"
    return text + (joiner + after if after else "") + "}"


def _tuner_fields(c: Call, d: bytes) -> str:
    kind, cap, low, high, rx, aud = struct.unpack_from("<6I", d, 36)
    sig, afc = struct.unpack_from("<ii", d, 60)
    return (f"name={cstr(c, d[4:36])}, type={c.xval('v4l2_tuner_types', kind)}, "
            f"capability={c.flags('v4l2_tuner_capabilities', cap)}, rangelow={low}, rangehigh={high}, "
            f"rxsubchans={c.flags('v4l2_tuner_rxsubchanses', rx)}, audmode={c.xval('v4l2_tuner_audmodes', aud)}, "
            f"signal={sig}, afc={afc}")


def _tuner(c: Call, d: bytes, now: bytes | None, name: str) -> str:
    text = f"{{index={_u32(d, 0)}"
    if name == "VIDIOC_S_TUNER":
        text += ", " + _tuner_fields(c, d)
        return text + ("}" if now is None else f"}} => {{{_tuner_fields(c, now)}}}")
    return text + ("}" if now is None else f", {_tuner_fields(c, now)}}}")


def _queryctrl(c: Call, d: bytes, now: bytes | None, name: str) -> str:
    """print_v4l2_queryctrl / print_v4l2_query_ext_ctrl: the id asked (with the NEXT flags),
    the id found when it differs, then the control."""
    entry_id = _u32(d, 0)
    text = f"{{id={cid(c, entry_id, True)}"
    if now is None:
        return text + "}"
    found = _u32(now, 0)
    if found != entry_id:
        text += " => " + cid(c, found)
    kind = _u32(now, 4)
    text += f", type={c.xval('v4l2_control_types', kind)}, name={cstr(c, now[8:40])}"
    if c.d.abbrev:
        return text + ", ...}"
    if name == "VIDIOC_QUERYCTRL":
        mn, mx, step, dflt, flags = struct.unpack_from("<iiiiI", now, 40)
        text += f", minimum={mn}, maximum={mx}, step={step}, default_value={dflt}"
        text += f", flags={c.flags('v4l2_control_flags', flags)}"
        reserved = struct.unpack_from("<2I", now, 60)
    else:
        mn, mx, step, dflt = struct.unpack_from("<qqQq", now, 40)
        flags, elem_size, elems, ndims = struct.unpack_from("<4I", now, 72)
        dims = struct.unpack_from("<4I", now, 88)
        text += (f", minimum={mn}, maximum={mx}, step={step}, default_value={dflt}, "
                 f"flags={c.flags('v4l2_control_flags', flags)}, elem_size={elem_size}, elems={elems}, "
                 f"nr_of_dims={ndims}, dims={c.d.arr([str(v) for v in dims[:min(ndims, 4)]])}")
        reserved = struct.unpack_from("<32I", now, 104)
    if any(reserved):
        text += ", reserved=" + c.d.arr([fmt.hexnum(v) for v in reserved])
    return text + "}"


def _buffer(c: Call, d: bytes, now: bytes | None, name: str) -> str:
    """print_v4l2_buffer (struct v4l2_buffer: index, type, bytesused, flags, field, timestamp at
    8-aligned 24, timecode, sequence, memory at 60, the m union at 64, length at 72)."""
    dq = name == "VIDIOC_DQBUF"
    text = "{" + _buf_type(c, d, 4) + ("" if dq else f", index={_u32(d, 0)}")
    if now is None:
        return text + "}"
    if dq:
        text += f", index={_u32(now, 0)}"
    memory = _u32(now, 60)
    text += f", memory={c.xval('v4l2_memories', memory)}"
    mname = tables.enum(c.arch, "v4l2_memories").get(memory)
    m, = struct.unpack_from("<Q", now, 64)
    if mname == "V4L2_MEMORY_MMAP":
        text += f", m.offset={fmt.hexnum(m & 0xFFFFFFFF)}"
    elif mname == "V4L2_MEMORY_USERPTR":
        text += f", m.userptr={fmt.ptr(m)}"
    text += f", length={_u32(now, 72)}, bytesused={_u32(now, 8)}, flags={_buf_flags(c, _u32(now, 12))}"
    if dq:
        sec, usec = struct.unpack_from("<qq", now, 24)
        text += f", timestamp={{tv_sec={sec}, tv_usec={usec}}}"
    return text + ", ...}"


def _buf_flags(c: Call, value: int) -> str:
    # V4L2_BUF_FLAG_TIMESTAMP_MASK 0xe000 and V4L2_BUF_FLAG_TSTAMP_SRC_MASK 0x70000 (videodev2.h)
    # print as their own values after the flags
    if c.xs == 2:
        return fmt.hexnum(value)
    ts_type, ts_src = value & 0xE000, value & 0x70000
    rest = value & ~0x7E000
    text = c.flags("v4l2_buf_flags", rest) + "|" if rest else ""
    return text + c.xval("v4l2_buf_flags_ts_type", ts_type) + "|" + c.xval("v4l2_buf_flags_ts_src", ts_src)


def _decode(c: Call, name: str, d: bytes, now: bytes | None) -> str:  # noqa: C901 - one case a request
    """The argument's text: ``d`` as the call found it, ``now`` what the kernel left (None
    for a failed call)."""
    u = _u32
    if name == "VIDIOC_ENUM_FMT":
        text = f"{{index={u(d, 0)}, {_buf_type(c, d, 4)}"
        if now is not None:
            text += (f", flags={c.flags('v4l2_format_description_flags', u(now, 8))}, "
                     f"description={cstr(c, now[12:44])}, pixelformat={fourcc(c, u(now, 44), 'v4l2_pix_fmts')}")
        return text + "}"
    if name in ("VIDIOC_G_FMT", "VIDIOC_S_FMT", "VIDIOC_TRY_FMT"):
        return _format(c, d, now, name)
    if name == "VIDIOC_REQBUFS":
        text = f"{{{_buf_type(c, d, 4)}, memory={c.xval('v4l2_memories', u(d, 8))}, count={u(d, 0)}"
        return text + ("}" if now is None else f" => {u(now, 0)}}}")
    if name in ("VIDIOC_QUERYBUF", "VIDIOC_QBUF", "VIDIOC_DQBUF"):
        return _buffer(c, d, now, name)
    if name in ("VIDIOC_S_FBUF", "VIDIOC_G_FBUF"):
        base, = struct.unpack_from("<Q", d, 8)
        return f"{{capability={fmt.hexnum(u(d, 0))}, flags={fmt.hexnum(u(d, 4))}, base={fmt.ptr(base)}}}"
    if name in ("VIDIOC_STREAMON", "VIDIOC_STREAMOFF"):
        return f"[{c.xval('v4l2_buf_types', u(d, 0))}]"
    if name in ("VIDIOC_G_PARM", "VIDIOC_S_PARM"):
        return _parm(c, d, now, name)
    if name == "VIDIOC_S_STD":
        return f"[{fmt.hexnum(struct.unpack_from('<Q', d)[0])}]"
    if name == "VIDIOC_ENUMSTD":
        text = f"{{index={u(d, 0)}"
        if now is not None:
            # struct v4l2_standard {u32 index; u64 id (at 8); u8 name[24]; frameperiod; framelines}
            text += f", name={cstr(c, now[16:40])}, frameperiod={_fract(now, 40)}, framelines={u(now, 48)}"
        return text + "}"
    if name == "VIDIOC_ENUMINPUT":
        text = f"{{index={u(d, 0)}"
        if now is not None:
            text += f", name={cstr(c, now[4:36])}, type={c.xval('v4l2_input_types', u(now, 36))}"
        return text + "}"
    if name in ("VIDIOC_G_CTRL", "VIDIOC_S_CTRL"):
        value = struct.unpack_from("<i", d, 4)[0]
        text = f"{{id={cid(c, u(d, 0))}" + ("" if name == "VIDIOC_G_CTRL" else f", value={value}")
        if now is not None:
            after = struct.unpack_from("<i", now, 4)[0]
            text += f", value={after}" if name == "VIDIOC_G_CTRL" else f" => {after}"
        return text + "}"
    if name in ("VIDIOC_G_TUNER", "VIDIOC_S_TUNER"):
        return _tuner(c, d, now, name)
    if name in ("VIDIOC_QUERYCTRL", "VIDIOC_QUERY_EXT_CTRL"):
        return _queryctrl(c, d, now, name)
    if name == "VIDIOC_S_INPUT":
        return f"[{u(d, 0)}]"
    if name == "VIDIOC_CROPCAP":
        text = "{" + _buf_type(c, d)
        if now is not None:
            text += f", bounds={_rect(now, 4)}, defrect={_rect(now, 20)}, pixelaspect={_fract(now, 36)}"
        return text + "}"
    if name == "VIDIOC_G_CROP":
        return "{" + _buf_type(c, d) + ("" if now is None else f", c={_rect(now, 4)}") + "}"
    if name == "VIDIOC_S_CROP":
        return f"{{{_buf_type(c, d)}, c={_rect(d, 4)}}}"
    if name == "VIDIOC_ENUM_FRAMESIZES":
        return _framesize(c, d, now)
    if name == "VIDIOC_ENUM_FRAMEINTERVALS":
        return _frameinterval(c, d, now)
    if name == "VIDIOC_CREATE_BUFS":
        return _create_bufs(c, d, now)
    return c.addr()


def _framesize(c: Call, d: bytes, now: bytes | None) -> str:
    text = f"{{index={_u32(d, 0)}, pixel_format={fourcc(c, _u32(d, 4), 'v4l2_pix_fmts')}"
    if now is not None:
        kind = _u32(now, 8)
        text += f", type={c.xval('v4l2_framesize_types', kind)}"
        kname = tables.enum(c.arch, "v4l2_framesize_types").get(kind)
        if kname == "V4L2_FRMSIZE_TYPE_DISCRETE":
            w, h = struct.unpack_from("<II", now, 12)
            text += f", discrete={{width={w}, height={h}}}"
        elif kname == "V4L2_FRMSIZE_TYPE_STEPWISE":
            v = struct.unpack_from("<6I", now, 12)
            text += (f", stepwise={{min_width={v[0]}, max_width={v[1]}, step_width={v[2]}, "
                     f"min_height={v[3]}, max_height={v[4]}, step_height={v[5]}}}")
    return text + "}"


def _frameinterval(c: Call, d: bytes, now: bytes | None) -> str:
    text = (f"{{index={_u32(d, 0)}, pixel_format={fourcc(c, _u32(d, 4), 'v4l2_pix_fmts')}, "
            f"width={_u32(d, 8)}, height={_u32(d, 12)}")
    if now is not None:
        kind = _u32(now, 16)
        text += f", type={c.xval('v4l2_frameinterval_types', kind)}"
        kname = tables.enum(c.arch, "v4l2_frameinterval_types").get(kind)
        if kname == "V4L2_FRMIVAL_TYPE_DISCRETE":
            text += f", discrete={_fract(now, 20)}"
        elif kname in ("V4L2_FRMIVAL_TYPE_STEPWISE", "V4L2_FRMIVAL_TYPE_CONTINUOUS"):
            text += f", stepwise={{min={_fract(now, 20)}, max={_fract(now, 28)}, step={_fract(now, 36)}}}"
    return text + "}"


def _create_bufs(c: Call, d: bytes, now: bytes | None) -> str:
    """print_v4l2_create_buffers: the request at entry; the buffers made go to the return value
    (strace's auxstr ``{index=N, count=N}``)."""
    fmt_data = d[16:16 + 208]
    union = _format_union(c, fmt_data)
    body = _buf_type(c, fmt_data) + (", " + union[0] if union else "")
    if now is not None:
        c.ret_aux(f"{{index={_u32(now, 0)}, count={_u32(now, 4)}}}")
    return f"{{count={_u32(d, 4)}, memory={c.xval('v4l2_memories', _u32(d, 8))}, format={{{body}}}}}"


# the size of each request's argument as strace reads it (the kernel's sizeof)
_SIZES = {"VIDIOC_ENUM_FMT": 64, "VIDIOC_G_FMT": 208, "VIDIOC_S_FMT": 208, "VIDIOC_TRY_FMT": 208,
          "VIDIOC_REQBUFS": 20, "VIDIOC_QUERYBUF": 88, "VIDIOC_QBUF": 88, "VIDIOC_DQBUF": 88, "VIDIOC_S_FBUF": 48,
          "VIDIOC_STREAMON": 4, "VIDIOC_STREAMOFF": 4, "VIDIOC_G_PARM": 204, "VIDIOC_S_PARM": 204,
          "VIDIOC_S_STD": 8, "VIDIOC_ENUMSTD": 72, "VIDIOC_ENUMINPUT": 80, "VIDIOC_G_CTRL": 8, "VIDIOC_S_CTRL": 8,
          "VIDIOC_G_TUNER": 84, "VIDIOC_S_TUNER": 84, "VIDIOC_QUERYCTRL": 68, "VIDIOC_QUERY_EXT_CTRL": 232,
          "VIDIOC_S_INPUT": 4, "VIDIOC_CROPCAP": 44, "VIDIOC_G_CROP": 20, "VIDIOC_S_CROP": 20,
          "VIDIOC_S_EXT_CTRLS": 32, "VIDIOC_G_FBUF": 48, "VIDIOC_TRY_EXT_CTRLS": 32, "VIDIOC_G_EXT_CTRLS": 32,
          "VIDIOC_ENUM_FRAMESIZES": 44, "VIDIOC_ENUM_FRAMEINTERVALS": 52, "VIDIOC_CREATE_BUFS": 256}
# requests whose argument the kernel only writes: a failed call prints the address
_OUT_ONLY = frozenset({"VIDIOC_QUERYCAP", "VIDIOC_G_FBUF", "VIDIOC_G_STD", "VIDIOC_G_INPUT"})
# structs holding a pointer or a long (the format union, buffers, the framebuffer, extended
# controls): the offsets above are the 64-bit ABI's; a 32-bit tracee's print as a number
# rather than wrongly (strace reads them through its mpers 32-bit layouts)
_WORD_SIZED = frozenset({"VIDIOC_G_FMT", "VIDIOC_S_FMT", "VIDIOC_TRY_FMT", "VIDIOC_QUERYBUF", "VIDIOC_QBUF",
                         "VIDIOC_DQBUF", "VIDIOC_G_FBUF", "VIDIOC_S_FBUF", "VIDIOC_S_EXT_CTRLS",
                         "VIDIOC_TRY_EXT_CTRLS", "VIDIOC_G_EXT_CTRLS", "VIDIOC_CREATE_BUFS"})


@family(0x56)
def v4l2(c: Call) -> str | None:
    name = _REQUESTS.spec(c)
    if name is None or (c.word != 8 and name in _WORD_SIZED):
        return None
    if name in _OUT_ONLY:
        if c.failed:
            return c.addr()
        if name == "VIDIOC_G_STD":
            return c.xnum("Q")
        if name == "VIDIOC_G_INPUT":
            return c.num("I")
        if name == "VIDIOC_G_FBUF":
            data = c.read(48)
            return c.addr() if data is None else _decode(c, name, data, data)
        return _capability(c)
    data = c.read_entry(_SIZES[name])
    if data is None:
        return c.addr()
    if name.endswith("_EXT_CTRLS"):
        return _ext_controls(c, data, name)
    now = None if c.failed else c.read(_SIZES[name])
    return _decode(c, name, data, now)
