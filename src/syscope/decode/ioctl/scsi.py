"""SCSI generic requests (type 0x22, scsi/sg.h), as strace's scsi.c, sg_io_v3.c and sg_io_v4.c."""

from __future__ import annotations

import struct

from syscope.decode import fmt
from syscope.decode.ioctl import tables
from syscope.decode.ioctl.core import Call, Requests, family, simple

_SPECS = {"SG_IO": "sg_io", "SG_GET_SCSI_ID": "scsi_id", "SG_GET_REQUEST_TABLE": "req_table",
          "SG_SCSI_RESET": "reset", "SG_SET_TRANSFORM": "x32", "SG_GET_TIMEOUT": "none",
          **dict.fromkeys(("SG_NEXT_CMD_LEN", "SG_SET_COMMAND_Q", "SG_SET_DEBUG", "SG_SET_FORCE_LOW_DMA",
                           "SG_SET_FORCE_PACK_ID", "SG_SET_KEEP_ORPHAN", "SG_SET_RESERVED_SIZE", "SG_SET_TIMEOUT"),
                          "in:i"),
          **dict.fromkeys(("SG_EMULATED_HOST", "SG_GET_ACCESS_COUNT", "SG_GET_COMMAND_Q", "SG_GET_KEEP_ORPHAN",
                           "SG_GET_LOW_DMA", "SG_GET_NUM_WAITING", "SG_GET_PACK_ID", "SG_GET_RESERVED_SIZE",
                           "SG_GET_SG_TABLESIZE", "SG_GET_TRANSFORM", "SG_GET_VERSION_NUM"), "out:i")}


_REQUESTS = Requests(_SPECS)


@family(0x22)
def scsi(c: Call) -> str | None:
    spec = _REQUESTS.spec(c)
    if spec is None:
        return None
    if spec == "sg_io":
        got = c.unpack("I")
        if got is None:
            return c.addr()
        decode = {ord("S"): sg_io_v3, ord("Q"): sg_io_v4}.get(got[0])
        return decode(c) if decode is not None else f"[{got[0]}]"
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


# struct sg_io_hdr (scsi/sg.h): int interface_id, dxfer_direction; u8 cmd_len, mx_sb_len;
# u16 iovec_count; u32 dxfer_len; void *dxferp; u8 *cmdp; void *sbp; u32 timeout, flags;
# int pack_id; void *usr_ptr; u8 status, masked_status, msg_status, sb_len_wr; u16
# host_status, driver_status; int resid; u32 duration, info
_SG_IO_HDR = {8: struct.Struct("<iiBBHIQQQIIi4xQBBBBHHiII4x"), 4: struct.Struct("<iiBBHIIIIIIiIBBBBHHiII")}
_FIELDS = ("interface_id", "dxfer_direction", "cmd_len", "mx_sb_len", "iovec_count", "dxfer_len", "dxferp", "cmdp",
           "sbp", "timeout", "flags", "pack_id", "usr_ptr", "status", "masked_status", "msg_status", "sb_len_wr",
           "host_status", "driver_status", "resid", "duration", "info")


def _sg_buffer(c: Call, addr: int, size: int, iovecs: int) -> str:
    if iovecs:
        return c.d.iov(c.mem, addr, iovecs, c.word, size)
    return c.strn(addr, size, force_hex=True)


def sg_io_v3(c: Call) -> str:
    """decode_sg_io_v3: the request the call is given, then the response fields (strace prints
    them whether or not the call failed)."""
    st = _SG_IO_HDR[c.word]
    # the interface id was read already; strace reads the rest from the next field on
    rest = c.read(st.size - 4, c.arg + 4)
    if rest is None:
        return f"{{interface_id='S', {c.addr(c.arg + 4)}}}"
    entry = dict(zip(_FIELDS, st.unpack(b"S\0\0\0" + rest), strict=True))
    dirs = {n: v for v, n in tables.rows(c.arch, "sg_io_dxfer_direction")}
    direction = entry["dxfer_direction"]
    # the directions are negative ints (SG_DXFER_TO_DEV is -2), printed as unsigned when unknown
    rows = [(v & 0xFFFFFFFF, n) for v, n in tables.rows(c.arch, "sg_io_dxfer_direction")]
    dir_text = fmt.Enum(rows, "SG_DXFER_", c.xs)(direction & 0xFFFFFFFF)
    text = (f"{{interface_id='S', dxfer_direction={dir_text}, "
            f"cmd_len={entry['cmd_len']}, cmdp={_sg_buffer(c, entry['cmdp'], entry['cmd_len'], 0)}, "
            f"mx_sb_len={entry['mx_sb_len']}, iovec_count={entry['iovec_count']}, dxfer_len={entry['dxfer_len']}, "
            f"timeout={entry['timeout']}, flags={c.flags('sg_io_flags', entry['flags'])}")
    if direction in (dirs.get("SG_DXFER_TO_DEV"), dirs.get("SG_DXFER_TO_FROM_DEV")):
        text += f", dxferp={_sg_buffer(c, entry['dxferp'], entry['dxfer_len'], entry['iovec_count'])}"
    data = c.read(st.size)
    if data is None:
        if direction == dirs.get("SG_DXFER_FROM_DEV"):
            text += f", dxferp={fmt.ptr(entry['dxferp'])}"
        return text + f", sbp={fmt.ptr(entry['sbp'])}}}"
    out = dict(zip(_FIELDS, st.unpack(data), strict=True))
    if out["interface_id"] != ord("S"):
        return text + f" => interface_id={out['interface_id'] & 0xFFFFFFFF}}}"
    if out["dxfer_direction"] in (dirs.get("SG_DXFER_FROM_DEV"), dirs.get("SG_DXFER_TO_FROM_DEV")):
        din = out["dxfer_len"]
        if 0 < out["resid"] <= din:
            din -= out["resid"]
        buf = _sg_buffer(c, out["dxferp"], din, out["iovec_count"])
        if out["dxfer_direction"] == dirs.get("SG_DXFER_FROM_DEV"):
            text += f", dxferp={buf}"
        elif din:
            text += f" => dxferp={buf}"
    h = fmt.hexnum
    return text + (f", status={h(out['status'])}, masked_status={h(out['masked_status'])}, "
                   f"msg_status={h(out['msg_status'])}, sb_len_wr={out['sb_len_wr']}, "
                   f"sbp={_sg_buffer(c, out['sbp'], out['sb_len_wr'], 0)}, host_status={h(out['host_status'])}, "
                   f"driver_status={h(out['driver_status'])}, resid={out['resid']}, duration={out['duration']}, "
                   f"info={c.flags('sg_io_info', out['info'])}}}")


# struct sg_io_v4 (linux/bsg.h), 160 bytes
_V4 = [("guard", "i"), ("protocol", "I"), ("subprotocol", "I"), ("request_len", "I"), ("request", "Q"),
       ("request_tag", "Q"), ("request_attr", "I"), ("request_priority", "I"), ("request_extra", "I"),
       ("max_response_len", "I"), ("response", "Q"), ("dout_iovec_count", "I"), ("dout_xfer_len", "I"),
       ("din_iovec_count", "I"), ("din_xfer_len", "I"), ("dout_xferp", "Q"), ("din_xferp", "Q"), ("timeout", "I"),
       ("flags", "I"), ("usr_ptr", "Q"), ("spare_in", "I"), ("driver_status", "I"), ("transport_status", "I"),
       ("device_status", "I"), ("retry_delay", "I"), ("info", "I"), ("duration", "I"), ("response_len", "I"),
       ("din_resid", "i"), ("dout_resid", "i"), ("generated_tag", "Q"), ("spare_out", "I"), ("padding", "I")]
_V4_ST = struct.Struct("<" + "".join(code for _n, code in _V4))


def sg_io_v4(c: Call) -> str:
    """decode_sg_io_v4: the request, then the response (whether or not the call failed)."""
    rest = c.read(_V4_ST.size - 4, c.arg + 4)
    if rest is None:
        return f"{{guard='Q', {c.addr(c.arg + 4)}}}"
    e = dict(zip((n for n, _c in _V4), _V4_ST.unpack(b"Q\0\0\0" + rest), strict=True))
    h = fmt.hexnum
    text = (f"{{guard='Q', protocol={c.xval('bsg_protocol', e['protocol'])}, "
            f"subprotocol={c.xval('bsg_subprotocol', e['subprotocol'])}, request_len={e['request_len']}, "
            f"request={_sg_buffer(c, e['request'], e['request_len'], 0)}, request_tag={h(e['request_tag'])}, "
            f"request_attr={e['request_attr']}, request_priority={e['request_priority']}, "
            f"request_extra={e['request_extra']}, max_response_len={e['max_response_len']}, "
            f"dout_iovec_count={e['dout_iovec_count']}, dout_xfer_len={e['dout_xfer_len']}, "
            f"din_iovec_count={e['din_iovec_count']}, din_xfer_len={e['din_xfer_len']}, "
            f"dout_xferp={_sg_buffer(c, e['dout_xferp'], e['dout_xfer_len'], e['dout_iovec_count'])}, "
            f"timeout={e['timeout']}, flags={c.flags('bsg_flags', e['flags'])}, usr_ptr={h(e['usr_ptr'])}")
    data = c.read(_V4_ST.size)
    if data is None:
        return text + f", response={h(e['response'])}, din_xferp={h(e['din_xferp'])}}}"
    o = dict(zip((n for n, _c in _V4), _V4_ST.unpack(data), strict=True))
    if o["guard"] != ord("Q"):
        return text + f" => guard={o['guard'] & 0xFFFFFFFF}}}"
    din = o["din_xfer_len"]
    if 0 < o["din_resid"] <= din:
        din -= o["din_resid"]
    return text + (f", response_len={o['response_len']}, "
                   f"response={_sg_buffer(c, o['response'], o['response_len'], 0)}, "
                   f"din_xferp={_sg_buffer(c, o['din_xferp'], din, o['din_iovec_count'])}, "
                   f"driver_status={h(o['driver_status'])}, transport_status={h(o['transport_status'])}, "
                   f"device_status={h(o['device_status'])}, retry_delay={o['retry_delay']}, "
                   f"info={c.flags('sg_io_info', o['info'])}, duration={o['duration']}, "
                   f"response_len={o['response_len']}, din_resid={o['din_resid']}, dout_resid={o['dout_resid']}, "
                   f"generated_tag={h(o['generated_tag'])}}}")
