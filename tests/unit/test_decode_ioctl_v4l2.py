"""The V4L2 ioctl decoder (syscope.decode.ioctl.v4l2) on recorded registers and memory, as strace
6.1's src/v4l2.c prints the requests."""

from __future__ import annotations

import struct

from recorded_memory import DictMemory, decode_line  # tests/unit is on sys.path (pytest rootdir import mode)

from syscope.decode import DecodeOptions
from syscope.decode.ioctl.names import numbers

M64 = (1 << 64) - 1
ADDR = 0x7F0000001000
EBADF = -9


def cmd(name: str) -> int:
    return numbers("x86_64")[name]


def test_a_failed_set_format_prints_the_format_it_was_given() -> None:
    # struct v4l2_format: type, then the union at 8 (struct v4l2_pix_format for VIDEO_OUTPUT)
    fmt = struct.pack("<I4x7I", 2, 640, 480, 0x38303553, 1, 1280, 614400, 7).ljust(208, b"\0")
    got = decode_line("ioctl", (M64, cmd("VIDIOC_S_FMT"), ADDR), DictMemory({ADDR: fmt}), EBADF)
    assert got == ("ioctl(-1, VIDIOC_S_FMT, {type=V4L2_BUF_TYPE_VIDEO_OUTPUT, fmt.pix={width=640, height=480, "
                   "pixelformat=v4l2_fourcc('S', '5', '0', '8') /* V4L2_PIX_FMT_SPCA508 */, field=V4L2_FIELD_NONE, "
                   "bytesperline=1280, sizeimage=614400, colorspace=V4L2_COLORSPACE_JPEG}}) "
                   "= -1 EBADF (Bad file descriptor)")


def test_enum_fmt_adds_what_the_kernel_wrote_to_the_struct() -> None:
    desc = struct.pack("<III32sI", 3, 1, 1, b"Motion-JPEG", 0x47504A4D).ljust(64, b"\0")
    got = decode_line("ioctl", (3, cmd("VIDIOC_ENUM_FMT"), ADDR), DictMemory({ADDR: desc}), 0)
    assert got == ("ioctl(3, VIDIOC_ENUM_FMT, {index=3, type=V4L2_BUF_TYPE_VIDEO_CAPTURE, "
                   'flags=V4L2_FMT_FLAG_COMPRESSED, description="Motion-JPEG", '
                   "pixelformat=v4l2_fourcc('M', 'J', 'P', 'G') /* V4L2_PIX_FMT_MJPEG */}) = 0")


def test_control_ids_by_name_by_class_and_unknown() -> None:
    def ctrl(cid: int, value: int = 0, ret: int = EBADF, opts: DecodeOptions | None = None) -> str:
        mem = DictMemory({ADDR: struct.pack("<Ii", cid, value)})
        return decode_line("ioctl", (M64, cmd("VIDIOC_S_CTRL"), ADDR), mem, ret, opts)
    assert ctrl(0x980900, 5, 0) == "ioctl(-1, VIDIOC_S_CTRL, {id=V4L2_CID_BRIGHTNESS, value=5 => 5}) = 0"
    # within a control class without a name of its own; outside any (0: a menu value, not an id)
    assert ctrl(0xA31234).startswith("ioctl(-1, VIDIOC_S_CTRL, {id=V4L2_CTRL_CLASS_DETECT+0x1234, value=0})")
    assert ctrl(0).startswith("ioctl(-1, VIDIOC_S_CTRL, {id=0 /* V4L2_CID_??? */, value=0})")
    raw = ctrl(0x980900, opts=DecodeOptions(raw_all=True))
    assert raw.startswith("ioctl(-1, 0xc008561c, {id=0x980900, value=0})")


def test_undecoded_requests_print_the_register_and_subdev_aliases_are_not_named() -> None:
    # strace 6.1 leaves VIDIOC_G_EDID undecoded; its ioctlent lacks VIDIOC_SUBDEV_G_EDID
    got = decode_line("ioctl", (M64, cmd("VIDIOC_G_EDID"), 0), DictMemory({}), EBADF)
    assert got == "ioctl(-1, VIDIOC_G_EDID, 0) = -1 EBADF (Bad file descriptor)"
