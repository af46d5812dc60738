"""SCSI generic requests (type 0x22, scsi/sg.h), as strace's scsi.c (the SG_IO v3/v4 headers
themselves are not decoded yet: their address is printed)."""

from __future__ import annotations

from functools import cache

from syscope.decode.ioctl import tables
from syscope.decode.ioctl.core import Call, by_name, family, simple

_SPECS = {"SG_IO": "sg_io", "SG_GET_SCSI_ID": "scsi_id", "SG_GET_REQUEST_TABLE": "req_table",
          "SG_SCSI_RESET": "reset", "SG_SET_TRANSFORM": "x32", "SG_GET_TIMEOUT": "none",
          **dict.fromkeys(("SG_NEXT_CMD_LEN", "SG_SET_COMMAND_Q", "SG_SET_DEBUG", "SG_SET_FORCE_LOW_DMA",
                           "SG_SET_FORCE_PACK_ID", "SG_SET_KEEP_ORPHAN", "SG_SET_RESERVED_SIZE", "SG_SET_TIMEOUT"),
                          "in:i"),
          **dict.fromkeys(("SG_EMULATED_HOST", "SG_GET_ACCESS_COUNT", "SG_GET_COMMAND_Q", "SG_GET_KEEP_ORPHAN",
                           "SG_GET_LOW_DMA", "SG_GET_NUM_WAITING", "SG_GET_PACK_ID", "SG_GET_RESERVED_SIZE",
                           "SG_GET_SG_TABLESIZE", "SG_GET_TRANSFORM", "SG_GET_VERSION_NUM"), "out:i")}


@cache
def _codes(arch: str) -> dict[int, str]:
    return by_name(arch, _SPECS)


@family(0x22)
def scsi(c: Call) -> str | None:
    spec = _codes(c.arch).get(c.code)
    if spec is None:
        return None
    if spec == "sg_io":
        got = c.unpack("I")
        if got is None or chr(got[0] & 0xFF) in "SQ" and got[0] < 0x100:
            return c.addr()
        return f"[{got[0]}]"
    if spec == "scsi_id":
        # struct sg_scsi_id {int host_no, channel, scsi_id, lun, scsi_type; short
        # h_cmd_per_lun, d_queue_depth; int unused[2]}
        got = None if c.failed else c.unpack("5ihh")
        if got is None:
            return c.addr()
        return (f"{{host_no={got[0]}, channel={got[1]}, scsi_id={got[2]:#x}, lun={got[3]}, "
                f"scsi_type={got[4]:#x}, h_cmd_per_lun={got[5]}, d_queue_depth={got[6]}}}")
    if spec == "req_table":
        return c.addr()
    if spec == "reset":
        got = c.unpack("I")
        if got is None:
            return c.addr()
        v = got[0]
        no_escalate = tables.value(c.arch, "sg_scsi_reset", "SG_SCSI_RESET_NO_ESCALATE") or 0
        head = "SG_SCSI_RESET_NO_ESCALATE|" if v & no_escalate and c.xs != 2 else ""
        rest = v & ~no_escalate if head else v
        return f"[{head}{c.xval('sg_scsi_reset', rest)}]"
    if spec == "x32":
        return f"{c.arg & 0xFFFFFFFF:#x}" if c.arg & 0xFFFFFFFF else "0"
    return simple(c, spec)
