"""Device mapper requests (type 0xfd, linux/dm-ioctl.h), as strace's dm.c: the struct dm_ioctl
header the call is given and, after the call, what the kernel changed, each followed by the
payload of the command (target specs, dependencies, device names, target versions, messages)."""

from __future__ import annotations

import struct

from syscope.decode import fmt
from syscope.decode.ioctl.core import Call, Requests, cstr, family
from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

_CMDS = ("DM_VERSION", "DM_REMOVE_ALL", "DM_LIST_DEVICES", "DM_DEV_CREATE", "DM_DEV_REMOVE", "DM_DEV_RENAME",
         "DM_DEV_SUSPEND", "DM_DEV_STATUS", "DM_DEV_WAIT", "DM_TABLE_LOAD", "DM_TABLE_CLEAR", "DM_TABLE_DEPS",
         "DM_TABLE_STATUS", "DM_LIST_VERSIONS", "DM_TARGET_MSG", "DM_DEV_SET_GEOMETRY", "DM_DEV_ARM_POLL")
_NO_PARAMS = {"DM_VERSION", "DM_REMOVE_ALL", "DM_DEV_CREATE", "DM_DEV_REMOVE", "DM_DEV_SUSPEND", "DM_DEV_STATUS",
              "DM_TABLE_CLEAR", "DM_DEV_ARM_POLL"}
_STATUS_AT_EXIT = {"DM_DEV_CREATE", "DM_DEV_RENAME", "DM_DEV_SUSPEND", "DM_DEV_STATUS", "DM_DEV_WAIT",
                   "DM_TABLE_LOAD", "DM_TABLE_CLEAR", "DM_TABLE_DEPS", "DM_TABLE_STATUS", "DM_TARGET_MSG"}
# struct dm_ioctl up to data: u32 version[3], data_size, data_start, target_count; s32
# open_count; u32 flags, event_nr, padding; u64 dev; char name[128], uuid[129]
_HDR = struct.Struct("<3IIIIiIIIQ128s129s")
_DATA = _HDR.size  # offsetof(struct dm_ioctl, data): 305
_VERSION_MAJOR = 4  # DM_VERSION_MAJOR
_SPEC = struct.Struct("<QQiI16s")  # struct dm_target_spec


_REQUESTS = Requests({n: n for n in _CMDS})


def _str0(c: Call, addr: int, size: int) -> str:
    """printstr_ex(..., QUOTE_0_TERMINATED): the string up to its NUL within size bytes, cut at -s."""
    limit = c.d.slimit
    want = min(size, limit + 1)
    if want <= 0:
        return '""'
    got = c.mem.read_cstr(addr, want) if c.verbose else None
    if got is None or not got[1] and len(got[0]) < want:
        return c.addr(addr)
    data, nul = got
    return '"' + fmt.quote(data[:limit], c.d.opts.xflag) + '"' + ("" if nul and len(data) <= limit else "...")


@family(0xFD)
def dm(c: Call) -> str | None:
    name = _REQUESTS.spec(c)
    if name is None:
        return None
    before = c.read_entry(_DATA) if c.entry is not None else c.read(_DATA)
    # a header too short to hold data_size is left to the generic hex (strace's dm_known_ioctl)
    if before is None or struct.unpack_from("<I", before, 12)[0] < 12:
        return None
    hb = _HDR.unpack(before)
    text = "[" + _decode(c, name, hb, True) + "]"
    after = c.read(_DATA)
    if after is None:
        return text
    ha = _HDR.unpack(after)
    changed = ha[:3] != hb[:3] or ha[3] != hb[3] or ha[4] != hb[4] or ha[7] != hb[7]
    if c.failed and not changed:
        return text
    return text + " => [" + _decode(c, name, ha, False) + "]"


def _decode(c: Call, name: str, h: tuple[object, ...], entering: bool) -> str:
    v0, v1, v2, size, start, count, opened, flags, event, _pad, dev, dname, uuid = h
    assert isinstance(size, int) and isinstance(start, int) and isinstance(count, int) and isinstance(flags, int)
    parts = [f"version=[{v0}, {v1}, {v2}]"]
    if v0 != _VERSION_MAJOR:
        return "{" + parts[0] + " /* unsupported device mapper ABI version */}"
    parts.append(f"data_size={size}")
    if size < _DATA:
        return "{" + ", ".join(parts) + " /* data_size too small */}"
    if name not in _NO_PARAMS:
        parts.append(f"data_start={start}")
    if name not in ("DM_REMOVE_ALL", "DM_LIST_DEVICES", "DM_LIST_VERSIONS"):
        assert isinstance(dev, int) and isinstance(dname, bytes) and isinstance(uuid, bytes)
        if dev:
            parts.append(f"dev={fmt.makedev(dev)}")
        if dname[:1] != b"\0":
            parts.append(f"name={cstr(c, dname)}")
        if uuid[:1] != b"\0":
            parts.append(f"uuid={cstr(c, uuid)}")
    suspend = flags & 2  # DM_SUSPEND_FLAG
    if entering:
        if name == "DM_TABLE_LOAD":
            parts.append(f"target_count={count}")
        elif name in ("DM_DEV_RENAME", "DM_DEV_REMOVE", "DM_DEV_WAIT") or name == "DM_DEV_SUSPEND" and not suspend:
            parts.append(f"event_nr={event}")
    elif not c.failed and name in _STATUS_AT_EXIT:
        parts += [f"target_count={count}", f"open_count={opened}", f"event_nr={event}"]
    parts.append(f"flags={c.flags('dm_flags', flags)}")
    return "{" + ", ".join(parts) + "}" + _payload(c, name, size, start, count, flags, int(str(v1)), entering)


def _payload(c: Call, name: str, size: int, start: int, count: int, flags: int, minor: int,
             entering: bool) -> str:
    ok_exit = not entering and not c.failed
    if name in ("DM_DEV_WAIT", "DM_TABLE_STATUS") and ok_exit or name == "DM_TABLE_LOAD" and entering:
        return _target_specs(c, size, start, count, entering)
    if name == "DM_TARGET_MSG":
        if entering:
            return _target_msg(c, size, start)
        return _string(c, size, start) if ok_exit and flags & 0x8000 else ""  # DM_DATA_OUT_FLAG
    if name in ("DM_DEV_RENAME", "DM_DEV_SET_GEOMETRY") and entering:
        return _string(c, size, start)
    if name == "DM_TABLE_DEPS" and ok_exit:
        return _deps(c, size, start)
    if name == "DM_LIST_DEVICES" and ok_exit:
        return _name_list(c, size, start, minor)
    if name == "DM_LIST_VERSIONS" and ok_exit:
        return _versions(c, size, start)
    return ""


def _target_specs(c: Call, size: int, start: int, count: int, entering: bool) -> str:
    if c.d.abbrev:
        return ", ..." if count else ""
    out, offset, end = "", start, 0
    for i in range(count):
        out += ", "
        if i and offset <= end:
            return out + "??? /* misplaced struct dm_target_spec */"
        end = offset + _SPEC.size
        if end <= offset or end > size:
            return out + "??? /* misplaced struct dm_target_spec */"
        if i >= c.d.slimit:
            return out + "..."
        got = c.unpack("QQiI16s", c.arg + offset)
        if got is None:
            return out + c.addr(c.arg + offset)
        sector, length, status, nxt, ttype = got
        text = f"{{sector_start={sector}, length={length}"
        if not entering:
            text += f", status={status}"
        text += f", target_type={cstr(c, ttype)}, string={_str0(c, c.arg + end, size - end)}}}"
        out += text
        offset = offset + nxt if entering else start + nxt
    return out


def _deps(c: Call, size: int, start: int) -> str:
    if start == size:
        return ""
    if c.d.abbrev:
        return ", ..."
    end = start + 8
    if end <= start or end > size:
        return ", ??? /* misplaced struct dm_target_deps */"
    got = c.unpack("I", c.arg + start)
    if got is None:
        return ", " + c.addr(c.arg + start)
    if got[0] > (size - end) // 8:
        return ", ??? /* misplaced struct dm_target_deps */"
    deps = c.d.array(c.mem, c.arg + end, got[0], 8, lambda b: fmt.makedev(struct.unpack("<Q", b)[0]))
    return f", {{count={got[0]}, deps={deps}}}"


def _chained(c: Call, size: int, start: int, head: str, what: str,
             show: Callable[[tuple[int, ...], int], tuple[str, int]]) -> str:
    """The records DM_LIST_DEVICES and DM_LIST_VERSIONS write after the dm_ioctl header, each
    with the offset of the next (0 ends them), as strace's dm.c walks them: a record that points
    backwards or past the data is ``??? /* misplaced struct WHAT */``, ``...`` after -s of them.
    ``show(fields, name_offset)`` gives a record's text and where its next offset is in fields."""
    if start == size:
        return ""
    if c.d.abbrev:
        return ", ..."
    hsize = struct.calcsize("<" + head)
    out, offset, end, k = "", start, 0, 0
    while True:
        out += ", "
        if k and offset <= end:
            return out + f"??? /* misplaced struct {what} */"
        end = offset + hsize
        if end <= offset or end > size:
            return out + f"??? /* misplaced struct {what} */"
        if k >= c.d.slimit:
            return out + "..."
        got = c.unpack(head, c.arg + offset)
        if got is None:
            return out + c.addr(c.arg + offset)
        text, nxt = show(got, end)
        out += text
        if not nxt:
            return out
        offset += nxt
        k += 1


def _name_list(c: Call, size: int, start: int, minor: int) -> str:
    def show(got: tuple[int, ...], end: int) -> tuple[str, int]:
        dev, nxt = got
        text = f"{{dev={fmt.makedev(dev)}, name={_str0(c, c.arg + end, size - end)}"
        name = c.mem.read_cstr(c.arg + end, size - end) if minor >= 37 else None
        if name is not None and name[1]:
            event_addr = (c.arg + end + len(name[0]) + 1 + 7) & ~7
            if event_addr + 4 <= c.arg + end - 12 + nxt:  # end - 12: the record's start
                ev = c.unpack("I", event_addr)
                if ev is not None:
                    text += f", event_nr={ev[0]}"
        return text + "}", nxt

    return _chained(c, size, start, "QI", "dm_name_list", show)


def _versions(c: Call, size: int, start: int) -> str:
    def show(got: tuple[int, ...], end: int) -> tuple[str, int]:
        nxt, a, b, d = got
        return f"{{name={_str0(c, c.arg + end, size - end)}, version=[{a}, {b}, {d}]}}", nxt

    return _chained(c, size, start, "4I", "dm_target_versions", show)


def _target_msg(c: Call, size: int, start: int) -> str:
    if start == size:
        return ""
    if c.d.abbrev:
        return ", ..."
    end = start + 8
    if not (end > start and end <= size):
        return ", ??? /* misplaced struct dm_target_msg */"
    got = c.unpack("Q", c.arg + start)
    if got is None:
        return ", " + c.addr(c.arg + start)
    return f", {{sector={got[0]}, message={_str0(c, c.arg + end, size - end)}}}"


def _string(c: Call, size: int, start: int) -> str:
    if c.d.abbrev:
        return ", ..."
    if start > size:
        return ", ??? /* misplaced string */"
    return f", {{string={_str0(c, c.arg + start, size - start)}}}"
