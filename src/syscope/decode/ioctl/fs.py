"""File system requests of types 'X' (linux/fs.h FITRIM, FS_IOC_FS[GS]ETXATTR, FIFREEZE) and
'f' (FS_IOC_FIEMAP, FS_IOC_[GS]ETFLAGS), as strace's fs_x_ioctl.c and fs_f_ioctl.c."""

from __future__ import annotations

from syscope.decode.ioctl.core import Call, Requests, Struct, family, simple, struct_arg

_X = {"FITRIM": "trim", "FS_IOC_FSGETXATTR": "getx", "FS_IOC_FSSETXATTR": "setx", "FIFREEZE": "none",
      "FITHAW": "none"}
_F = {"FS_IOC_FIEMAP": "fiemap", "FS_IOC_GETFLAGS": "getflags", "FS_IOC32_GETFLAGS": "getflags",
      "FS_IOC_SETFLAGS": "setflags", "FS_IOC32_SETFLAGS": "setflags"}

# linux/fs.h struct fstrim_range {u64 start, len, minlen}
_TRIM = Struct([("start", "Q", "x"), ("len", "Q", "u"), ("minlen", "Q", "u")])
# linux/fs.h struct fsxattr {u32 fsx_xflags, fsx_extsize, fsx_nextents, fsx_projid, fsx_cowextsize}
_FSX = [("fsx_xflags", "I", "flags:fs_xflags"), ("fsx_extsize", "I", "u"), ("fsx_nextents", "I", "u"),
        ("fsx_projid", "I", "x"), ("fsx_cowextsize", "I", "u"), ("fsx_pad", "8x", "")]
_FSX_GET = Struct(_FSX)
_FSX_SET = Struct([(n, c, "" if n == "fsx_nextents" else p) for n, c, p in _FSX])
# linux/fiemap.h struct fiemap {u64 fm_start, fm_length; u32 fm_flags, fm_mapped_extents,
# fm_extent_count, fm_reserved; struct fiemap_extent fm_extents[]}
_FIEMAP = Struct([("fm_start", "Q", "u"), ("fm_length", "Q", "u"), ("fm_flags", "I", "flags:fiemap_flags"),
                  ("fm_mapped_extents", "I", "u"), ("fm_extent_count", "I", "u"), ("fm_reserved", "I", "")])
_EXTENT = Struct([("fe_logical", "Q", "u"), ("fe_physical", "Q", "u"), ("fe_length", "Q", "u"),
                  ("fe_reserved64", "16x", ""), ("fe_flags", "I", "flags:fiemap_extent_flags"),
                  ("fe_reserved", "12x", "")])


_X_REQUESTS, _F_REQUESTS = Requests(_X), Requests(_F)


@family(0x58)
def fs_x(c: Call) -> str | None:
    spec = _X_REQUESTS.spec(c)
    if spec is None:
        return None
    if spec == "trim":
        return struct_arg(c, _TRIM, out=False)
    if spec == "getx":
        return struct_arg(c, _FSX_GET, out=True)
    if spec == "setx":
        return struct_arg(c, _FSX_SET, out=False)
    return simple(c, spec)


@family(0x66)
def fs_f(c: Call) -> str | None:
    spec = _F_REQUESTS.spec(c)
    if spec is None:
        return None
    if spec == "fiemap":
        return _fiemap(c)
    if spec == "getflags" and c.failed:
        return c.addr()
    got = c.unpack("I")
    return c.addr() if got is None else "[" + c.flags("fs_ioc_flags", got[0]) + "]"


def _fiemap(c: Call) -> str:
    data = c.read(_FIEMAP.size)
    if data is None:
        return c.addr()
    text = _FIEMAP.text(c, data, ("fm_start", "fm_length", "fm_flags", "fm_extent_count"))
    if c.failed:
        return text
    vals = _FIEMAP.values(data)
    out = _FIEMAP.text(c, data, ("fm_flags", "fm_mapped_extents"))[:-1]
    if c.d.abbrev:
        out += ", ..."
    else:
        n = vals["fm_mapped_extents"]
        arr = c.d.array(c.mem, c.arg + _FIEMAP.size, n, _EXTENT.size, lambda b: _EXTENT.text(c, b))
        out += ", fm_extents=" + arr
    return f"{text} => {out}}}"
