"""UBI volume requests (types 'O' and 'o', mtd/ubi-user.h), as strace's ubi.c."""

from __future__ import annotations

import struct

from syscope.decode import fmt
from syscope.decode.ioctl.core import Call, Requests, family, simple

_SPECS = {"UBI_IOCATT": "attach", "UBI_IOCEBCH": "ebch", "UBI_IOCEBMAP": "ebmap", "UBI_IOCMKVOL": "mkvol",
          "UBI_IOCRNVOL": "rnvol", "UBI_IOCRSVOL": "rsvol", "UBI_IOCSETVOLPROP": "prop", "UBI_IOCVOLUP": "vol64",
          **dict.fromkeys(("UBI_IOCDET", "UBI_IOCEBER", "UBI_IOCEBISMAP", "UBI_IOCEBUNMAP", "UBI_IOCRMVOL",
                           "UBI_IOCRPEB", "UBI_IOCSPEB"), "in:i"),
          "UBI_IOCVOLCRBLK": "none", "UBI_IOCVOLRMBLK": "none"}
_NAME = 128  # UBI_MAX_VOLUME_NAME + 1


_REQUESTS = Requests(_SPECS)


def _name(c: Call, raw: bytes, name_len: int) -> str:
    """PRINT_FIELD_CSTRING_SZ with 1 + name_len (clamped) bytes."""
    size = 1 + min(max(name_len, 0), len(raw) - 1)
    part = raw[:size]
    end = part.find(b"\0")
    text = part[:end] if end >= 0 else part[:-1]
    return '"' + fmt.quote(text, c.d.opts.xflag) + '"' + ("..." if end < 0 else "")


@family(0x4F, 0x6F)
def ubi(c: Call) -> str | None:
    spec = _REQUESTS.spec(c)
    if spec is None:
        return None
    if spec in ("mkvol", "attach"):
        text = _mkvol(c) if spec == "mkvol" else _attach(c)
        if text is None:
            return c.addr()
        if not c.failed:
            got = c.unpack("i")
            text += " => " + (c.addr() if got is None else f"[{got[0]}]")
        return text
    if spec == "rsvol":
        got = c.unpack("qi")
        return c.addr() if got is None else f"{{bytes={got[0]}, vol_id={got[1]}}}"
    if spec == "rnvol":
        return _rnvol(c)
    if spec == "ebch":
        got = c.unpack("iib")
        return c.addr() if got is None else (f"{{lnum={got[0]}, bytes={got[1]}, "
                                             f"dtype={c.xval('ubi_data_types', got[2] & 0xFF)}}}")
    if spec == "ebmap":
        got = c.unpack("ib")
        return c.addr() if got is None else f"{{lnum={got[0]}, dtype={c.xval('ubi_data_types', got[1] & 0xFF)}}}"
    if spec == "prop":
        got = c.unpack("B7xQ")
        return c.addr() if got is None else (f"{{property={c.xval('ubi_volume_props', got[0])}, "
                                             f"value={fmt.hexnum(got[1])}}}")
    if spec == "vol64":
        got = c.unpack("q")
        return c.addr() if got is None else f"[{got[0]}]"
    return simple(c, spec)


def _mkvol(c: Call) -> str | None:
    # struct ubi_mkvol_req {s32 vol_id, alignment; s64 bytes; s8 vol_type; u8 flags;
    # s16 name_len; s8 padding2[4]; char name[128]} (packed)
    data = c.read(152)
    if data is None:
        return None
    vol_id, align, nbytes, vtype, flags, name_len = struct.unpack_from("<iiqbBh", data)
    return (f"{{vol_id={vol_id}, alignment={align}, bytes={nbytes}, "
            f"vol_type={c.xval('ubi_volume_types', vtype & 0xFF)}, flags={c.flags('ubi_volume_flags', flags)}, "
            f"name_len={name_len}, name={_name(c, data[24:], name_len)}}}")


def _attach(c: Call) -> str | None:
    # struct ubi_attach_req {s32 ubi_num, mtd_num, vid_hdr_offset; s16 max_beb_per1024; ...}
    got = c.unpack("iiih")
    if got is None:
        return None
    return (f"{{ubi_num={got[0]}, mtd_num={got[1]}, vid_hdr_offset={got[2]}, "
            f"max_beb_per1024={got[3]}}}")


def _rnvol(c: Call) -> str:
    # struct ubi_rnvol_req {s32 count; s8 padding1[12]; struct {s32 vol_id; s16 name_len;
    # s8 padding2[2]; char name[128]} ents[32]}
    data = c.read(16 + 32 * 136)
    if data is None:
        return c.addr()
    count = struct.unpack_from("<i", data)[0]
    ents = []
    for k in range(min(max(count, 0), 32)):
        off = 16 + k * 136
        vol_id, name_len = struct.unpack_from("<ih", data, off)
        ents.append(f"{{vol_id={vol_id}, name_len={name_len}, name={_name(c, data[off + 8:off + 136], name_len)}}}")
    return f"{{count={count}, ents={c.d.arr(ents)}}}"
