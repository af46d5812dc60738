"""Block device requests (type 0x12, linux/fs.h BLK*) and HDIO (type 0x03, linux/hdreg.h), as
strace's block.c and hdio.c (its generated gen_hdio.c)."""

from __future__ import annotations

from syscope.decode.ioctl import tables
from syscope.decode.ioctl.core import Call, Requests, Struct, family, simple, struct_arg

_BLOCK = {
    # taken as a value, not a pointer
    "BLKRASET": "u", "BLKFRASET": "u",
    "BLKSECTGET": "out:H", "BLKROTATIONAL": "out:H",
    "BLKROGET": "out:i", "BLKBSZGET": "out:i", "BLKSSZGET": "out:i", "BLKALIGNOFF": "out:i",
    "BLKROSET": "in:i", "BLKBSZSET": "in:i",
    "BLKPBSZGET": "out:I", "BLKIOMIN": "out:I", "BLKIOOPT": "out:I", "BLKDISCARDZEROES": "out:I",
    "BLKGETZONESZ": "out:I", "BLKGETNRZONES": "out:I",
    "BLKRAGET": "out:q", "BLKFRAGET": "out:q", "BLKGETSIZE": "out:Q",
    "BLKGETSIZE64": "out:Q", "BLKGETDISKSEQ": "out:Q",
    "BLKDISCARD": "in:QQ", "BLKSECDISCARD": "in:QQ", "BLKZEROOUT": "in:QQ",
    "BLKRRPART": "none", "BLKFLSBUF": "none", "BLKTRACESTART": "none", "BLKTRACESTOP": "none",
    "BLKTRACETEARDOWN": "none",
    "BLKPG": "blkpg", "BLKTRACESETUP": "trace",
}

# linux/blkpg.h: struct blkpg_ioctl_arg {int op, flags, datalen; void *data} and the
# partition it points to {long long start, length; int pno; char devname[64], volname[64]}
_BLKPG = Struct([("op", "i", "xval:blkpg_ops"), ("flags", "i", "d"), ("datalen", "i", "d"), ("pad", "4x", ""),
                 ("data", "Q", "")])
_PART = Struct([("start", "q", "d"), ("length", "q", "d"), ("pno", "i", "d"), ("devname", "64s", "str"),
                ("volname", "64s", "str")])
# linux/blktrace_api.h struct blk_user_trace_setup: char name[32]; u16 act_mask; u32 buf_size,
# buf_nr; u64 start_lba, end_lba; u32 pid (strace block.c PRINT_FIELD_TGID: an int pid)
_TRACE = Struct([("name", "32s", ""), ("act_mask", "H", "u"), ("pad", "2x", ""), ("buf_size", "I", "u"),
                 ("buf_nr", "I", "u"), ("pad2", "4x", ""), ("start_lba", "Q", "u"), ("end_lba", "Q", "u"),
                 ("pid", "i", "tgid")])


_BLOCK_REQUESTS = Requests(_BLOCK)


@family(0x12)
def block(c: Call) -> str | None:
    spec = _BLOCK_REQUESTS.spec(c)
    if spec is None:
        return None
    if spec == "blkpg":
        got = _BLKPG.read(c)
        if got is None:
            return c.addr()
        text, vals = got
        part = _PART.read(c, vals["data"])
        return text[:-1] + ", data=" + (part[0] if part is not None else c.addr(vals["data"])) + "}"
    if spec == "trace":
        got = _TRACE.read(c)
        if got is None:
            return c.addr()
        text = got[0][:-1]
        if not c.failed:
            name = c.read(32)
            if name is not None:
                text += ", name=" + _TRACE_NAME.text(c, name)[6:-1]
        return text + "}"
    return simple(c, spec)


_TRACE_NAME = Struct([("name", "32s", "str")])

_HDIO = {
    "HDIO_GET_32BIT": "out:Q", "HDIO_GET_ACOUSTIC": "out:Q", "HDIO_GET_ADDRESS": "out:Q",
    "HDIO_GET_BUSSTATE": "bus", "HDIO_GET_DMA": "out:Q", "HDIO_GET_KEEPSETTINGS": "out:Q",
    "HDIO_GET_MULTCOUNT": "out:Q", "HDIO_GET_NOWERR": "out:Q", "HDIO_GET_UNMASKINTR": "out:Q",
    "HDIO_GET_WCACHE": "out:Q",
    "HDIO_SET_32BIT": "u", "HDIO_SET_ACOUSTIC": "u", "HDIO_SET_ADDRESS": "u", "HDIO_SET_BUSSTATE": "bus_in",
    "HDIO_SET_DMA": "u", "HDIO_SET_KEEPSETTINGS": "u", "HDIO_SET_MULTCOUNT": "u", "HDIO_SET_NICE": "nice_in",
    "HDIO_SET_NOWERR": "u", "HDIO_SET_PIO_MODE": "u", "HDIO_SET_UNMASKINTR": "u", "HDIO_SET_WCACHE": "u",
    "HDIO_UNREGISTER_HWIF": "u",
    "HDIO_DRIVE_RESET": "ints3", "HDIO_SCAN_HWIF": "ints3",
    "HDIO_GETGEO": "geo", "HDIO_DRIVE_CMD": "cmd", "HDIO_GET_NICE": "nice", "HDIO_GET_IDENTITY": "ident",
    "HDIO_OBSOLETE_IDENTITY": "ident_old",
}

# linux/hdreg.h struct hd_geometry
_GEO = Struct([("heads", "B", "u"), ("sectors", "B", "u"), ("cylinders", "H", "u"), ("pad", "4x", ""),
               ("start", "Q", "u")])
# struct hd_drive_cmd_hdr (hdreg.h): command, sector_number, feature, sector_count
_CMD = Struct([("command", "B", "xval:hdio_drive_cmds"), ("sector_number", "B", "u"), ("feature", "B", "u"),
               ("sector_count", "B", "u")])
_CMD_OUT = Struct([("status", "B", "x"), ("error", "B", "u"), ("nsector", "B", "u"), ("sector_count", "B", "")])


_HDIO_REQUESTS = Requests(_HDIO)


@family(0x03)
def hdio(c: Call) -> str | None:
    spec = _HDIO_REQUESTS.spec(c)
    if spec is None or c.word != 8 and spec not in ("geo", "cmd"):
        # the HDIO compat ioctls were never supported by the kernel (strace's hdio.c)
        return None
    if spec == "ints3":
        return c.array(3, "I", lambda v: f"{v:#x}")
    if spec == "geo":
        return struct_arg(c, _GEO, out=True)
    if spec == "cmd":
        return _drive_cmd(c)
    if spec in ("nice", "bus"):
        if c.failed:
            return c.addr()
        got = c.unpack("Q")
        return c.addr() if got is None else "[" + _nice_or_bus(c, spec, got[0]) + "]"
    if spec in ("nice_in", "bus_in"):
        return _nice_or_bus(c, spec[:-3], c.arg)
    if spec.startswith("ident"):
        # the drive's identify data: 512 bytes (142 for the obsolete request), as a string
        return c.addr() if c.failed else c.strn(c.arg, 142 if spec == "ident_old" else 512)
    return simple(c, spec)


def _nice_or_bus(c: Call, spec: str, v: int) -> str:
    if spec == "nice":
        return tables.bits(c.arch, "hdio_ide_nice", c.xs)(v)
    return c.xval("hdio_busstates", v)


def _drive_cmd(c: Call) -> str:
    got = _CMD.read(c)
    if got is None:
        return c.addr()
    text = got[0]
    # the kernel writes the status back (an EIO failure too: the drive's error registers)
    if c.failed and c.ev.errno != 5:
        return text
    data = c.read(4)
    if data is None:
        return text
    vals = _CMD_OUT.values(data)
    out = _CMD_OUT.text(c, data)
    n = vals["sector_count"]
    if n:
        buf = c.strn(c.arg + 4, n * 512, force_hex=True)
        out = out[:-1] + f", buf={buf}}}"
    return f"{text} => {out}"
