"""Loop device requests (type 'L', linux/loop.h), as strace's loop.c."""

from __future__ import annotations

import struct
from typing import Any

from syscope.decode import fmt
from syscope.decode.ioctl.core import Call, Requests, answered, cstr, family, simple

_SPECS = {"LOOP_GET_STATUS": "info_out", "LOOP_SET_STATUS": "info", "LOOP_GET_STATUS64": "info64_out",
          "LOOP_SET_STATUS64": "info64", "LOOP_CONFIGURE": "config", "LOOP_CLR_FD": "none",
          "LOOP_SET_CAPACITY": "none", "LOOP_CTL_GET_FREE": "none", "LOOP_SET_FD": "fd", "LOOP_CHANGE_FD": "fd",
          "LOOP_CTL_ADD": "d", "LOOP_CTL_REMOVE": "d", "LOOP_SET_DIRECT_IO": "u", "LOOP_SET_BLOCK_SIZE": "u"}
_KEY_SIZE = 32  # LO_KEY_SIZE
# struct loop_info (linux/loop.h; __kernel_old_dev_t and unsigned long are the arch's long)
_INFO = {8: struct.Struct("<i4xQQQiiii64s32s2Q4s4x"), 4: struct.Struct("<iIIIiiii64s32s2I4s")}
# struct loop_info64: five u64, four u32, file and crypt names, key, two u64
_INFO64 = struct.Struct("<5Q4I64s64s32s2Q")


_REQUESTS = Requests(_SPECS)


def _key(c: Call, raw: bytes, size: int) -> str:
    n = min(size & 0xFFFFFFFF, _KEY_SIZE)
    shown = raw[:min(n, c.d.slimit)]
    return '"' + fmt.quote(shown, c.d.opts.xflag) + '"' + ("..." if n > len(shown) else "")


def _xarr(c: Call, vals: tuple[int, ...] | bytes) -> str:
    return "[" + ", ".join(fmt.hexnum(v) for v in vals) + "]"


@family(0x4C)
def loop(c: Call) -> str | None:
    named = _REQUESTS.spec(c)
    if named is None:
        return None
    spec = answered(c, named)
    if spec is None:
        return c.addr()
    if spec == "info":
        st = _INFO[c.word]
        data = c.read(st.size)
        return c.addr() if data is None else _info(c, st.unpack(data))
    if spec == "info64":
        data = c.read(_INFO64.size)
        return c.addr() if data is None else _info64(c, data)
    if spec == "config":
        data = c.read(8 + _INFO64.size + 64)
        if data is None:
            return c.addr()
        fd, bsize = struct.unpack_from("<iI", data)
        text = f"{{fd={c.d.fd_or_num(c.ev, fd)}, block_size={bsize}, info={_info64(c, data[8:])}"
        reserved = struct.unpack_from("<8Q", data, 8 + _INFO64.size)
        return text + (f", __reserved={_xarr(c, reserved)}" if any(reserved) else "") + "}"
    if spec == "fd":
        return c.d.fd_or_num(c.ev, fmt.s32(c.arg))
    return simple(c, spec)


def _info(c: Call, v: tuple[Any, ...]) -> str:
    (number, dev, inode, rdev, offset, etype, ksize, flags, name, key, init0, init1, reserved) = v
    whole = not c.d.abbrev
    parts = [f"lo_number={number}"]
    if whole:
        parts += [f"lo_device={fmt.makedev(dev)}", f"lo_inode={inode}", f"lo_rdevice={fmt.makedev(rdev)}"]
    parts.append(f"lo_offset={fmt.hexnum(offset & 0xFFFFFFFF)}")
    if whole or etype:
        parts += [f"lo_encrypt_type={c.xval('loop_crypt_type_options', etype & 0xFFFFFFFF)}",
                  f"lo_encrypt_key_size={ksize & 0xFFFFFFFF}"]
    parts += [f"lo_flags={c.flags('loop_flags_options', flags & 0xFFFFFFFF)}", f"lo_name={cstr(c, name)}"]
    if whole or etype:
        parts.append(f"lo_encrypt_key={_key(c, key, ksize)}")
    if whole:
        parts += [f"lo_init={_xarr(c, (init0, init1))}", f"reserved={_xarr(c, reserved)}"]
    else:
        parts.append("...")
    return "{" + ", ".join(parts) + "}"


def _info64(c: Call, data: bytes) -> str:
    (dev, inode, rdev, offset, sizelimit, number, etype, ksize, flags, fname, cname, key,
     init0, init1) = _INFO64.unpack_from(data)
    whole = not c.d.abbrev
    if whole:
        parts = [f"lo_device={fmt.makedev(dev)}", f"lo_inode={inode}", f"lo_rdevice={fmt.makedev(rdev)}",
                 f"lo_offset={fmt.hexnum(offset)}", f"lo_sizelimit={sizelimit}", f"lo_number={number}"]
    else:
        parts = [f"lo_offset={fmt.hexnum(offset)}", f"lo_number={number}"]
    if whole or etype:
        parts += [f"lo_encrypt_type={c.xval('loop_crypt_type_options', etype)}", f"lo_encrypt_key_size={ksize}"]
    parts += [f"lo_flags={c.flags('loop_flags_options', flags)}", f"lo_file_name={cstr(c, fname)}"]
    if whole or etype:
        parts += [f"lo_crypt_name={cstr(c, cname)}", f"lo_encrypt_key={_key(c, key, ksize)}"]
    parts.append(f"lo_init={_xarr(c, (init0, init1))}" if whole else "...")
    return "{" + ", ".join(parts) + "}"
