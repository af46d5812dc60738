"""MTD (flash) requests (type 'M', mtd/mtd-abi.h), as strace's mtd.c."""

from __future__ import annotations

from syscope.decode import fmt
from syscope.decode.ioctl.core import Call, Requests, answered, family, simple
from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

_SPECS = {"MEMERASE": "erase", "MEMLOCK": "erase", "MEMUNLOCK": "erase", "MEMISLOCKED": "erase",
          "MEMERASE64": "erase64", "MEMWRITEOOB": "oob", "MEMREADOOB": "oob", "MEMWRITEOOB64": "oob64",
          "MEMREADOOB64": "oob64", "MEMWRITE": "write", "OTPGETREGIONINFO": "otpinfo_out", "OTPLOCK": "otpinfo",
          "OTPSELECT": "otpselect", "MTDFILEMODE": "filemode", "MEMGETBADBLOCK": "in:Q", "MEMSETBADBLOCK": "in:Q",
          "MEMGETINFO": "info_out", "MEMGETOOBSEL": "oobsel_out", "ECCGETLAYOUT": "layout_out",
          "ECCGETSTATS": "stats_out", "OTPGETREGIONCOUNT": "out:I", "MEMGETREGIONCOUNT": "out:i",
          "MEMGETREGIONINFO": "region"}


_REQUESTS = Requests(_SPECS)


def _x(*pairs: tuple[str, int]) -> str:
    return "{" + ", ".join(f"{n}={fmt.hexnum(v)}" for n, v in pairs) + "}"


@family(0x4D)
def mtd(c: Call) -> str | None:
    named = _REQUESTS.spec(c)
    if named is None:
        return None
    spec = answered(c, named)
    if spec is None:
        return c.addr()
    if spec == "filemode":
        return c.xval("mtd_file_mode_options", c.arg)
    if spec in _PRINTERS:
        code, show = _PRINTERS[spec]
        if spec == "oob" and c.word == 4:
            code = "3I"
        got = c.unpack(code)
        return c.addr() if got is None else show(c, got)
    if spec == "region":
        # struct region_info_user {u32 offset, erasesize, numblocks, regionindex}
        got = c.unpack("4I")
        if got is None:
            return c.addr()
        text = f"{{regionindex={fmt.hexnum(got[3])}"
        if not c.failed:
            text += f", offset={fmt.hexnum(got[0])}, erasesize={fmt.hexnum(got[1])}, numblocks={fmt.hexnum(got[2])}"
        return text + "}"
    return simple(c, spec)


def _oob(c: Call, v: tuple[int, ...]) -> str:
    return _x(("start", v[0]), ("length", v[1]))[:-1] + f", ptr={fmt.ptr(v[2])}}}"


def _write(c: Call, v: tuple[int, ...]) -> str:
    # struct mtd_write_req {u64 start, len, ooblen, usr_data, usr_oob; u8 mode}
    return (_x(("start", v[0]), ("len", v[1]), ("ooblen", v[2]))[:-1]
            + f", usr_data={fmt.ptr(v[3])}, usr_oob={fmt.ptr(v[4])}, mode={c.xval('mtd_mode_options', v[5])}}}")


def _info(c: Call, v: tuple[int, ...]) -> str:
    # struct mtd_info_user {u8 type; u32 flags, size, erasesize, writesize, oobsize; u64 padding}
    return (f"{{type={c.xval('mtd_type_options', v[0])}, flags={c.flags('mtd_flags_options', v[1])}, "
            + _x(("size", v[2]), ("erasesize", v[3]), ("writesize", v[4]), ("oobsize", v[5]), ("padding", v[6]))[1:])


def _oobsel(c: Call, v: tuple[int, ...]) -> str:
    # struct nand_oobinfo {u32 useecc, eccbytes, oobfree[8][2], eccpos[32]}
    free = c.d.arr(["[" + ", ".join(fmt.hexnum(x) for x in v[2 + 2 * k:4 + 2 * k]) + "]" for k in range(8)])
    pos = c.d.arr([fmt.hexnum(x) for x in v[18:50]])
    return (f"{{useecc={c.xval('mtd_nandecc_options', v[0])}, eccbytes={fmt.hexnum(v[1])}, "
            f"oobfree={free}, eccpos={pos}}}")


def _layout(c: Call, v: tuple[int, ...]) -> str:
    # struct nand_ecclayout_user {u32 eccbytes, eccpos[64], oobavail; struct nand_oobfree
    # {u32 offset, length} oobfree[8]}
    pos = c.d.arr([fmt.hexnum(x) for x in v[1:65]])
    free = c.d.arr([_x(("offset", v[66 + 2 * k]), ("length", v[67 + 2 * k])) for k in range(8)])
    return f"{{eccbytes={fmt.hexnum(v[0])}, eccpos={pos}, oobavail={fmt.hexnum(v[65])}, oobfree={free}}}"


_PRINTERS: dict[str, tuple[str, Callable[[Call, tuple[int, ...]], str]]] = {
    "erase": ("2I", lambda c, v: _x(("start", v[0]), ("length", v[1]))),
    "erase64": ("2Q", lambda c, v: _x(("start", v[0]), ("length", v[1]))),
    # struct mtd_oob_buf {u32 start, length; unsigned char *ptr}
    "oob": ("2IQ", _oob),
    # struct mtd_oob_buf64 {u64 start; u32 pad, length; u64 usr_ptr}
    "oob64": ("QIIQ", lambda c, v: _x(("start", v[0]), ("length", v[2]))[:-1] + f", usr_ptr={fmt.ptr(v[3])}}}"),
    "write": ("5QB7x", _write),
    "otpinfo": ("3I", lambda c, v: _x(("start", v[0]), ("length", v[1]))[:-1] + f", locked={v[2]}}}"),
    "otpselect": ("I", lambda c, v: f"[{c.xval('mtd_otp_options', v[0])}]"),
    "info": ("B3x5IQ", _info),
    "oobsel": ("50I", _oobsel),
    "layout": ("82I", _layout),
    "stats": ("4I", lambda c, v: _x(("corrected", v[0]), ("failed", v[1]), ("badblocks", v[2]), ("bbtblocks", v[3]))),
}
