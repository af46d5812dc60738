"""Requests of type 0x94: btrfs's (linux/btrfs.h, strace's btrfs.c) and the generic file ones
that share its type (linux/fs.h FICLONE, FICLONERANGE, FIDEDUPERANGE, FS_IOC_[GS]ETFSLABEL;
strace's fs_0x94_ioctl.c).

A command the kernel only reads prints its struct; one it only writes prints the struct at exit
(its address when the call failed); one it reads and rewrites prints the struct as the call
found it and, when the call succeeded, `` => `` what the kernel wrote (strace's
tprint_value_changed).  Struct layouts are the UAPI header's, read field by field here.
"""

from __future__ import annotations

import struct
from collections.abc import Callable

from syscope.decode import fmt
from syscope.decode.ioctl import tables
from syscope.decode.ioctl.core import NO_ARG, SNAPSHOT, Call, Requests, cstr, family

U64_MAX = 0xFFFFFFFFFFFFFFFF

# the v2 subvolume calls are _IOW by number, yet the kernel writes transid back: keep the struct
# as the call found it, as for an _IOWR command
SNAPSHOT.update({"BTRFS_IOC_SNAP_CREATE_V2", "BTRFS_IOC_SUBVOL_CREATE_V2"})

_REQUESTS = Requests({
    "BTRFS_IOC_TRANS_START": "none", "BTRFS_IOC_TRANS_END": "none", "BTRFS_IOC_SYNC": "none",
    "BTRFS_IOC_SCRUB_CANCEL": "none", "BTRFS_IOC_QUOTA_RESCAN_WAIT": "none",
    # these take a struct btrfs_ioctl_vol_args by their number and read none (fs/btrfs/ioctl.c)
    "BTRFS_IOC_DEFRAG": "none", "BTRFS_IOC_BALANCE": "none",
    "BTRFS_IOC_BALANCE_CTL": "balance_ctl", "BTRFS_IOC_START_SYNC": "u64_out",
    "BTRFS_IOC_DEFAULT_SUBVOL": "u64", "BTRFS_IOC_WAIT_SYNC": "u64",
    "BTRFS_IOC_SUBVOL_GETFLAGS": "subvol_flags_out", "BTRFS_IOC_SUBVOL_SETFLAGS": "subvol_flags",
    "BTRFS_IOC_BALANCE_V2": "balance_v2", "BTRFS_IOC_BALANCE_PROGRESS": "balance_progress_out",
    "BTRFS_IOC_DEFRAG_RANGE": "defrag_range", "BTRFS_IOC_DEV_INFO": "dev_info",
    "BTRFS_IOC_DEV_REPLACE": "dev_replace", "BTRFS_IOC_GET_FEATURES": "features_out",
    "BTRFS_IOC_SET_FEATURES": "set_features", "BTRFS_IOC_GET_SUPPORTED_FEATURES": "supported_features_out",
    "BTRFS_IOC_FS_INFO": "fs_info", "BTRFS_IOC_GET_DEV_STATS": "dev_stats",
    "BTRFS_IOC_INO_LOOKUP": "ino_lookup", "BTRFS_IOC_INO_PATHS": "ino_paths",
    "BTRFS_IOC_LOGICAL_INO": "logical_ino", "BTRFS_IOC_LOGICAL_INO_V2": "logical_ino",
    "BTRFS_IOC_QGROUP_ASSIGN": "qgroup_assign", "BTRFS_IOC_QGROUP_CREATE": "qgroup_create",
    "BTRFS_IOC_QGROUP_LIMIT": "qgroup_limit_out", "BTRFS_IOC_QUOTA_CTL": "quota_ctl",
    "BTRFS_IOC_QUOTA_RESCAN": "quota_rescan", "BTRFS_IOC_QUOTA_RESCAN_STATUS": "quota_rescan_status_out",
    "BTRFS_IOC_SET_RECEIVED_SUBVOL": "received_subvol", "BTRFS_IOC_SCRUB": "scrub",
    "BTRFS_IOC_SCRUB_PROGRESS": "scrub_progress", "BTRFS_IOC_TREE_SEARCH": "tree_search",
    "BTRFS_IOC_TREE_SEARCH_V2": "tree_search_v2", "BTRFS_IOC_SEND": "send",
    "BTRFS_IOC_SPACE_INFO": "space_info",
    "BTRFS_IOC_SNAP_CREATE": "vol_args", "BTRFS_IOC_RESIZE": "vol_args", "BTRFS_IOC_SCAN_DEV": "vol_args",
    "BTRFS_IOC_FORGET_DEV": "vol_args", "BTRFS_IOC_ADD_DEV": "vol_args", "BTRFS_IOC_RM_DEV": "vol_args",
    "BTRFS_IOC_SUBVOL_CREATE": "vol_args", "BTRFS_IOC_SNAP_DESTROY": "vol_args",
    "BTRFS_IOC_DEVICES_READY": "vol_args",
    "BTRFS_IOC_SNAP_CREATE_V2": "vol_args_v2", "BTRFS_IOC_SUBVOL_CREATE_V2": "vol_args_v2",
    "FICLONE": "d", "FICLONERANGE": "clone_range", "FIDEDUPERANGE": "dedupe_range",
    "FS_IOC_GETFSLABEL": "fslabel_out", "FS_IOC_SETFSLABEL": "fslabel",
})

# -- field printers at the call's -X style ----------------------------------------------------


def u64(c: Call, v: int) -> str:
    """PRINT_FIELD_U64: all ones is UINT64_MAX (print_xlat_u)."""
    if v != U64_MAX or c.xs == 2:
        return str(v)
    return f"{v} /* UINT64_MAX */" if c.xs == 1 else "UINT64_MAX"


def xval_u(c: Call, table: str, v: int) -> str:
    """printxval_u without a default: a name, or the decimal number alone (object ids, key
    types: XLAT_STYLE_FMT_U)."""
    name = None if c.xs == 2 else tables.enum(c.arch, table).get(v)
    if name is None:
        return str(v)
    return f"{v} /* {name} */" if c.xs == 1 else name


def dev(c: Call, v: int) -> str:
    """print_dev_t: ``makedev(0, 0x1)``; the number under -X raw, both under -X verbose."""
    if c.xs == 2:
        return fmt.hexnum(v)
    return f"{fmt.hexnum(v)} /* {fmt.makedev(v)} */" if c.xs == 1 else fmt.makedev(v)


def uuid(raw: bytes) -> str:
    h = raw[:16].hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def fd(c: Call, v: int) -> str:
    return c.d.fd_or_num(c.ev, fmt.s32(v & 0xFFFFFFFF))


def changed(c: Call, entry: str | None, exit_: Callable[[], str | None]) -> str:
    """A struct the kernel reads and rewrites: as the call found it, then `` => `` what it wrote
    unless the call failed.  ``entry`` None: the argument was unreadable (its address)."""
    head = entry if entry is not None else c.addr()
    if c.failed:
        return head
    tail = exit_()
    return head if tail is None else f"{head} => {tail}"


def _u(data: bytes, off: int, code: str = "Q") -> int:
    return int(struct.unpack_from("<" + code, data, off)[0])


# -- the structs ------------------------------------------------------------------------------

# struct btrfs_balance_args (packed, 136 bytes): profiles, usage, devid, pstart, pend, vstart,
# vend, target, flags, limit, stripes_min/max, unused[6]
_BALANCE_ARGS = 136


def balance_args(c: Call, data: bytes, off: int) -> str:
    f = struct.unpack_from("<9Q", data, off)
    return (f"{{profiles={c.flags('btrfs_space_info_flags', f[0])}, usage={u64(c, f[1])}, devid={dev(c, f[2])}, "
            f"pstart={u64(c, f[3])}, pend={u64(c, f[4])}, vstart={u64(c, f[5])}, vend={u64(c, f[6])}, "
            f"target={u64(c, f[7])}, flags={c.flags('btrfs_balance_args', f[8])}}}")


def balance(c: Call, data: bytes | None, out: bool) -> str:
    """struct btrfs_ioctl_balance_args: flags, state, then data/meta/sys as flags select them."""
    if data is None:
        return c.addr()
    flags, state = struct.unpack_from("<QQ", data)
    parts = [f"flags={c.flags('btrfs_balance_flags', flags)}"]
    if out:
        parts.append(f"state={c.flags('btrfs_balance_state', state)}")
    named = {n: v for v, n in tables.rows(c.arch, "btrfs_balance_flags")}
    for k, (field, bit) in enumerate((("data", "BTRFS_BALANCE_DATA"), ("meta", "BTRFS_BALANCE_METADATA"),
                                      ("sys", "BTRFS_BALANCE_SYSTEM"))):
        if flags & named.get(bit, 0):
            parts.append(f"{field}={balance_args(c, data, 16 + k * _BALANCE_ARGS)}")
    return "{" + ", ".join(parts) + "}"


def balance_v2(c: Call) -> str:
    entry = c.read_entry(1024)
    return changed(c, None if entry is None else balance(c, entry, False), lambda: balance(c, c.read(1024), True))


def features(c: Call, data: bytes, off: int = 0) -> str:
    compat, ro, incompat = struct.unpack_from("<3Q", data, off)
    return (f"{{compat_flags={c.flags('btrfs_features_compat', compat)}, "
            f"compat_ro_flags={c.flags('btrfs_features_compat_ro', ro)}, "
            f"incompat_flags={c.flags('btrfs_features_incompat', incompat)}}}")


def qgroup_limit(c: Call, data: bytes, off: int) -> str:
    flags, *vals = struct.unpack_from("<5Q", data, off)
    names = ("max_rfer", "max_excl", "rsv_rfer", "rsv_excl")
    return (f"{{flags={c.flags('btrfs_qgroup_limit_flags', flags)}, "
            + ", ".join(f"{n}={v}" for n, v in zip(names, vals, strict=True)) + "}")


def qgroup_inherit(c: Call, addr: int) -> str:
    """struct btrfs_qgroup_inherit: flags, counts, lim, then qgroups[num_qgroups]."""
    data = c.read(72, addr)
    if data is None:
        return c.addr(addr)
    flags, nq, nref, nexcl = struct.unpack_from("<4Q", data)
    text = (f"{{flags={c.flags('btrfs_qgroup_inherit_flags', flags)}, num_qgroups={nq}, num_ref_copies={nref}, "
            f"num_excl_copies={nexcl}, lim={qgroup_limit(c, data, 32)}, ")
    if c.d.abbrev:
        return text + "...}"
    return text + "qgroups=" + c.array(nq, "Q", str, addr + 72) + "}"


def search_key(c: Call, data: bytes, entering: bool) -> str:
    """struct btrfs_ioctl_search_key: 7 u64 then min_type, max_type, nr_items (u32); strace leaves
    out min/max_objectid at their defaults unless -v, and at exit prints nr_items alone."""
    tree, lo, hi, off_lo, off_hi, tr_lo, tr_hi = struct.unpack_from("<7Q", data)
    t_lo, t_hi, nr = struct.unpack_from("<3I", data, 56)
    if not entering:
        return f"{{nr_items={nr}}}"
    obj = "btrfs_tree_objectids"
    parts = [f"tree_id={xval_u(c, obj, tree)}"]
    first = tables.value(c.arch, obj, "BTRFS_FIRST_FREE_OBJECTID")
    last = tables.value(c.arch, obj, "BTRFS_LAST_FREE_OBJECTID")
    if lo != first or not c.d.abbrev:
        parts.append(f"min_objectid={xval_u(c, obj, lo)}")
    if hi != last or not c.d.abbrev:
        parts.append(f"max_objectid={xval_u(c, obj, hi)}")
    parts += [f"min_offset={u64(c, off_lo)}", f"max_offset={u64(c, off_hi)}", f"min_transid={u64(c, tr_lo)}",
              f"max_transid={u64(c, tr_hi)}", f"min_type={xval_u(c, 'btrfs_key_types', t_lo)}",
              f"max_type={xval_u(c, 'btrfs_key_types', t_hi)}", f"nr_items={nr}"]
    return "{" + ", ".join(parts) + "}"


_SEARCH_KEY = 104
_SEARCH_HEADER = struct.Struct("<3QII")  # transid, objectid, offset, type, len


def search_buf(c: Call, addr: int, size: int, nr: int) -> str:
    """The items TREE_SEARCH returned: struct btrfs_ioctl_search_header each, followed by its
    len bytes of item."""
    if c.d.abbrev:
        return "..."
    items: list[str] = []
    off = 0
    for k in range(nr):
        if off + _SEARCH_HEADER.size > size or k > c.d.slimit:
            items.append("...")
            break
        raw = c.read(_SEARCH_HEADER.size, addr + off)
        if raw is None:
            items.append(f"... /* {c.addr(addr + off)} */")
            break
        transid, objectid, offset, typ, ln = _SEARCH_HEADER.unpack(raw)
        items.append(f"{{transid={transid}, objectid={xval_u(c, 'btrfs_tree_objectids', objectid)}, "
                     f"offset={offset}, type={xval_u(c, 'btrfs_key_types', typ)}, len={ln}}}")
        off += _SEARCH_HEADER.size + ln
    return "buf=[" + ", ".join(items) + "]"


def tree_search(c: Call, v2: bool) -> str:
    """TREE_SEARCH (key, then 3992 bytes of items) and TREE_SEARCH_V2 (key, buf_size, items)."""
    size = _SEARCH_KEY + 8 if v2 else _SEARCH_KEY
    if v2 and c.failed and c.ev.errno == 75:  # EOVERFLOW: the buf_size the items need
        found = c.read_entry(size)
        text = c.addr() if found is None else _search_text(c, found, True, v2)
        got = c.unpack("104xQ")
        return text if got is None else f"{text} => {{buf_size={got[0]}}}"
    entry = c.read_entry(size)
    head = None if entry is None else _search_text(c, entry, True, v2)

    def after() -> str | None:
        data = c.read(size)
        if data is None:
            return c.addr()
        text = _search_text(c, data, False, v2)[:-1]
        nr = _u(data, 64, "I")
        buf_size = _u(data, _SEARCH_KEY) if v2 else 4096 - _SEARCH_KEY
        return f"{text}, {search_buf(c, c.arg + size, buf_size, nr)}}}"
    return changed(c, head, after)


def _search_text(c: Call, data: bytes, entering: bool, v2: bool) -> str:
    text = "{key=" + search_key(c, data, entering)
    if v2:
        text += f", buf_size={_u(data, _SEARCH_KEY)}"
    return text + "}"


def vol_args_v2(c: Call) -> str:
    """struct btrfs_ioctl_vol_args_v2: fd, transid, flags, {size, qgroup_inherit}, name[4040];
    the kernel writes transid back (its number is _IOW, the call is read-write)."""
    entry = c.read_entry(4096)
    head = None
    if entry is not None:
        fd_, _transid, flags, size, qgi = struct.unpack_from("<qQQQQ", entry)
        parts = [f"fd={fd(c, fd_)}", f"flags={c.flags('btrfs_snap_flags_v2', flags)}"]
        if flags & (tables.value(c.arch, "btrfs_snap_flags_v2", "BTRFS_SUBVOL_QGROUP_INHERIT") or 0):
            qgi &= (1 << 8 * c.word) - 1
            parts += [f"size={size}", "qgroup_inherit=" + (qgroup_inherit(c, qgi) if qgi else "NULL")]
        parts.append(f"name={cstr(c, entry[56:])}")
        head = "{" + ", ".join(parts) + "}"

    def after() -> str | None:
        got = c.unpack("8xQ")
        return c.addr() if got is None else f"{{transid={got[0]}}}"
    return changed(c, head, after)


def received_subvol(c: Call) -> str:
    """struct btrfs_ioctl_received_subvol_args: uuid, stransid, rtransid, stime, rtime, flags;
    struct btrfs_ioctl_timespec {u64 sec; u32 nsec} is 16 bytes on x86_64, 12 on i386."""
    ts = 16 if c.word == 8 else 12
    size = 16 + 16 + 2 * ts + 8 + 128

    def when(data: bytes, off: int) -> str:
        sec, nsec = struct.unpack_from("<QI", data, off)
        text = f"{{sec={sec}, nsec={nsec}}}"
        iso = fmt.isotime(sec, nsec)
        return f"{text} /* {iso} */" if iso else text
    entry = c.read_entry(size)
    head = None
    if entry is not None:
        head = (f"{{uuid={uuid(entry)}, stransid={_u(entry, 16)}, stime={when(entry, 32)}, "
                f"flags={_u(entry, 32 + 2 * ts)}}}")

    def after() -> str | None:
        data = c.read(size)
        return c.addr() if data is None else f"{{rtransid={_u(data, 24)}, rtime={when(data, 32 + ts)}}}"
    return changed(c, head, after)


# struct btrfs_scrub_progress: 15 u64 counters
_SCRUB_PROGRESS = ("data_extents_scrubbed", "tree_extents_scrubbed", "data_bytes_scrubbed", "tree_bytes_scrubbed",
                   "read_errors", "csum_errors", "verify_errors", "no_csum", "csum_discards", "super_errors",
                   "malloc_errors", "uncorrectable_errors", "corrected_errors", "last_physical", "unverified_errors")


def scrub(c: Call, full: bool) -> str:
    """struct btrfs_ioctl_scrub_args: devid, start, end, flags, progress, padded to 1 KiB;
    BTRFS_IOC_SCRUB_PROGRESS passes the devid alone."""
    entry = c.read_entry(1024)
    head = None
    if entry is not None:
        devid, start, end, flags = struct.unpack_from("<4Q", entry)
        head = f"{{devid={dev(c, devid)}"
        if full:
            head += f", start={start}, end={u64(c, end)}, flags={c.flags('btrfs_scrub_flags', flags)}"
        head += "}"

    def after() -> str | None:
        data = c.read(1024)
        if data is None:
            return c.addr()
        vals = struct.unpack_from("<15Q", data, 32)
        inner = ", ".join(f"{n}={v}" for n, v in zip(_SCRUB_PROGRESS, vals, strict=True))
        return f"{{progress={{{inner}}}}}"
    return changed(c, head, after)


def dev_info(c: Call) -> str:
    """struct btrfs_ioctl_dev_info_args: devid, uuid[16], bytes_used, total_bytes, unused[379],
    path[1024]; a zero uuid is left out."""
    entry = c.read_entry(4096)
    head = None
    if entry is not None:
        head = f"{{devid={dev(c, _u(entry, 0))}" + (f", uuid={uuid(entry[8:24])}" if any(entry[8:24]) else "") + "}"

    def after() -> str | None:
        data = c.read(4096)
        if data is None:
            return c.addr()
        parts = [f"uuid={uuid(data[8:24])}"] if any(data[8:24]) else []
        parts += [f"bytes_used={_u(data, 24)}", f"total_bytes={_u(data, 32)}", f"path={cstr(c, data[3072:])}"]
        return "{" + ", ".join(parts) + "}"
    return changed(c, head, after)


def dev_replace(c: Call) -> str:
    """struct btrfs_ioctl_dev_replace_args: cmd, result, then the START parameters or the
    STATUS report (a union), padded with spare[64]."""
    size = 16 + 2 * 8 + 2 * 1025 + 6 + 64 * 8  # the union is the 2066-byte start struct, 8-aligned
    start_cmd = tables.value(c.arch, "btrfs_dev_replace_cmds", "BTRFS_IOCTL_DEV_REPLACE_CMD_START")
    status_cmd = tables.value(c.arch, "btrfs_dev_replace_cmds", "BTRFS_IOCTL_DEV_REPLACE_CMD_STATUS")
    entry = c.read_entry(size)
    head = None
    if entry is not None:
        cmd = _u(entry, 0)
        head = f"{{cmd={c.xval('btrfs_dev_replace_cmds', cmd)}"
        if cmd == start_cmd:
            mode = c.xval("btrfs_cont_reading_from_srcdev_mode", _u(entry, 24))
            head += (f", start={{srcdevid={dev(c, _u(entry, 16))}, cont_reading_from_srcdev_mode={mode}, "
                     f"srcdev_name={cstr(c, entry[32:1057])}, tgtdev_name={cstr(c, entry[1057:2082])}}}")
        head += "}"

    def after() -> str | None:
        data = c.read(size)
        if data is None:
            return c.addr()
        text = f"{{result={c.xval('btrfs_dev_replace_results', _u(data, 8))}"
        if _u(data, 0) == status_cmd:
            state, progress, started, stopped, werr, rerr = struct.unpack_from("<6Q", data, 16)
            pct = f" /* {progress // 10}.{progress % 10}% */" if progress <= 1000 else ""
            times = []
            for v in (started, stopped):
                iso = fmt.isotime(v, 0)
                times.append(f"{v} /* {iso} */" if iso else str(v))
            text += (f", status={{replace_state={c.xval('btrfs_dev_replace_state', state)}, "
                     f"progress_1000={progress}{pct}, time_started={times[0]}, time_stopped={times[1]}, "
                     f"num_write_errors={werr}, num_uncorrectable_read_errors={rerr}}}")
        return text + "}"
    return changed(c, head, after)


def fs_info(c: Call) -> str:
    """struct btrfs_ioctl_fs_info_args (1 KiB); csum_type/csum_size, generation and
    metadata_uuid only when flags says the kernel filled them."""
    data = None if c.failed else c.read(1024)
    if data is None:
        return c.addr()
    flags = _u(data, 48)

    def bit(name: str) -> int:
        return tables.value(c.arch, "btrfs_fs_info_flags", name) or 0
    parts = [f"max_id={_u(data, 0)}", f"num_devices={_u(data, 8)}", f"fsid={uuid(data[16:32])}",
             f"nodesize={_u(data, 32, 'I')}", f"sectorsize={_u(data, 36, 'I')}",
             f"clone_alignment={_u(data, 40, 'I')}"]
    if flags & bit("BTRFS_FS_INFO_FLAG_CSUM_INFO"):
        parts += [f"csum_type={c.xval('btrfs_csum_types', _u(data, 44, 'H'))}", f"csum_size={_u(data, 46, 'H')}"]
    parts.append(f"flags={c.flags('btrfs_fs_info_flags', flags)}")
    if flags & bit("BTRFS_FS_INFO_FLAG_GENERATION"):
        parts.append(f"generation={_u(data, 56)}")
    if flags & bit("BTRFS_FS_INFO_FLAG_METADATA_UUID"):
        parts.append(f"metadata_uuid={uuid(data[64:80])}")
    return "{" + ", ".join(parts) + "}"


def dev_stats(c: Call) -> str:
    """struct btrfs_ioctl_get_dev_stats: devid, nr_items, flags, values[5] (of 1032 bytes)."""
    entry = c.read_entry(1032)
    head = None
    if entry is not None:
        devid, nr, flags = struct.unpack_from("<3Q", entry)
        head = f"{{devid={dev(c, devid)}, nr_items={nr}, flags={c.flags('btrfs_dev_stats_flags', flags)}}}"

    def after() -> str | None:
        data = c.read(1032)
        if data is None:
            return c.addr()
        _devid, nr, flags = struct.unpack_from("<3Q", data)
        values = struct.unpack_from("<5Q", data, 24)
        items = []
        for k in range(nr):
            if k >= len(values):  # the struct holds BTRFS_DEV_STAT_VALUES_MAX of them
                items.append("...")
                break
            items.append(f"[{xval_u(c, 'btrfs_dev_stats_values', k)}]={values[k]}")
        return f"{{nr_items={nr}, flags={c.flags('btrfs_dev_stats_flags', flags)}, [{', '.join(items)}]}}"
    return changed(c, head, after)


def ino_lookup(c: Call) -> str:
    """struct btrfs_ioctl_ino_lookup_args: treeid, objectid, name[4080]; a zero treeid asks for
    the containing subvolume's, which the kernel writes back."""
    entry = c.read_entry(4096)
    head = None
    obj = "btrfs_tree_objectids"
    if entry is not None:
        head = f"{{treeid={xval_u(c, obj, _u(entry, 0))}, objectid={xval_u(c, obj, _u(entry, 8))}}}"

    def after() -> str | None:
        data = c.read(4096)
        if data is None:
            return c.addr()
        tree = f"treeid={xval_u(c, obj, _u(data, 0))}, " if entry is not None and _u(entry, 0) == 0 else ""
        return f"{{{tree}name={cstr(c, data[16:])}}}"
    return changed(c, head, after)


def _container(c: Call, addr: int, elems: Callable[[int, int], str]) -> str:
    """struct btrfs_data_container: bytes_left, bytes_missing, elem_cnt, elem_missed (u32), then
    val[]; the values under -v."""
    got = c.unpack("4I", addr) if addr else None
    if got is None:
        return c.addr(addr)
    text = (f"{{bytes_left={got[0]}, bytes_missing={got[1]}, elem_cnt={got[2]}, elem_missed={got[3]}, ")
    return text + ("...}" if c.d.abbrev else "val=" + elems(addr + 16, got[2]) + "}")


def ino_paths(c: Call) -> str:
    """struct btrfs_ioctl_ino_path_args: inum, size, reserved[4], fspath: a container of
    offsets (from val) of the paths."""
    entry = c.read_entry(56)
    head = None if entry is None else (f"{{inum={_u(entry, 0)}, size={_u(entry, 8)}, "
                                       f"fspath={fmt.ptr(_u(entry, 48))}}}")

    def paths(val: int, n: int) -> str:
        return c.array(n, "Q", lambda off: c.d.cstr(c.mem, val + off, 4096), val)

    def after() -> str | None:
        got = c.unpack("48xQ")
        return c.addr() if got is None else f"{{fspath={_container(c, got[0], paths)}}}"
    return changed(c, head, after)


def logical_ino(c: Call) -> str:
    """struct btrfs_ioctl_logical_ino_args: logical, size, reserved[3], flags, inodes: a
    container of {inum, offset, root} triples."""
    entry = c.read_entry(56)
    head = None
    if entry is not None:
        logical, size, r0, r1, r2, flags, inodes = struct.unpack_from("<7Q", entry)
        parts = [f"logical={logical}", f"size={size}"]
        if r0 or r1 or r2:
            parts.append(f"reserved=[{fmt.hexnum(r0)}, {fmt.hexnum(r1)}, {fmt.hexnum(r2)}]")
        parts += [f"flags={c.flags('btrfs_logical_ino_args_flags', flags)}", f"inodes={fmt.ptr(inodes)}"]
        head = "{" + ", ".join(parts) + "}"

    def triples(val: int, n: int) -> str:
        return c.d.array(c.mem, val, n // 3, 24,
                         lambda b: "{{inum={}, offset={}, root={}}}".format(*struct.unpack("<3Q", b)))

    def after() -> str | None:
        got = c.unpack("48xQ")
        return c.addr() if got is None else f"{{inodes={_container(c, got[0], triples)}}}"
    return changed(c, head, after)


def send(c: Call) -> str:
    """struct btrfs_ioctl_send_args: send_fd, clone_sources_count, clone_sources (a pointer:
    4 bytes on i386), parent_root, flags."""
    code = "<qQQQQ" if c.word == 8 else "<qQIQQ"
    got = c.unpack(code[1:])
    if got is None:
        return c.addr()
    send_fd, count, sources, parent, flags = got
    obj = "btrfs_tree_objectids"
    if c.d.abbrev:
        shown = fmt.ptr(sources)
    else:
        shown = c.array(count, "Q", lambda v: xval_u(c, obj, v), sources)
    return (f"{{send_fd={fd(c, send_fd)}, clone_sources_count={count}, clone_sources={shown}, "
            f"parent_root={xval_u(c, obj, parent)}, flags={c.flags('btrfs_send_flags', flags)}}}")


def space_info(c: Call) -> str:
    """struct btrfs_ioctl_space_args: space_slots, total_spaces, then spaces[] (flags,
    total_bytes, used_bytes); space_slots 0 asks how many there are."""
    entry = c.read_entry(16)
    head = None if entry is None else f"{{space_slots={_u(entry, 0)}}}"
    kinds = fmt.Flags(tables.rows(c.arch, "btrfs_space_info_flags"), c.xs, "BTRFS_SPACE_INFO_")

    def one(raw: bytes) -> str:
        flags, total, used = struct.unpack("<3Q", raw)
        return f"{{flags={kinds(flags)}, total_bytes={total}, used_bytes={used}}}"

    def after() -> str | None:
        got = c.unpack("QQ")
        if got is None:
            return c.addr()
        slots, total = got
        if slots == 0 and total:
            return f"{{total_spaces={total}}}"
        rest = "..." if c.d.abbrev else "spaces=" + c.d.array(c.mem, c.arg + 16, total, 24, one)
        return f"{{total_spaces={total}, {rest}}}"
    return changed(c, head, after)


def dedupe_range(c: Call) -> str:
    """struct file_dedupe_range: src_offset, src_length, dest_count, then dest_count struct
    file_dedupe_range_info {dest_fd, dest_offset, bytes_deduped, status}; two of them and
    "..." without -v."""
    got = c.unpack("QQH")
    if got is None:
        return c.addr()
    src_off, src_len, count = got
    cut = c.d.abbrev and count > 2  # the third is read, then "..." stands for it and the rest
    shown = 3 if cut else count

    def info(entering: bool) -> str:
        def one(raw: bytes) -> str:
            if entering:
                dest_fd, dest_off = struct.unpack_from("<qQ", raw)
                return f"{{dest_fd={fd(c, dest_fd)}, dest_offset={dest_off}}}"
            deduped, status = struct.unpack_from("<Qi", raw, 16)
            return f"{{bytes_deduped={deduped}, status={status}}}"
        seen = [0]

        def limited(raw: bytes) -> str:
            seen[0] += 1
            return "..." if cut and seen[0] == 3 else one(raw)
        return "info=" + c.d.array(c.mem, c.arg + 24, shown, 32, limited)
    head = f"{{src_offset={src_off}, src_length={src_len}, dest_count={count}, {info(True)}}}"
    return changed(c, head, lambda: "{" + info(False) + "}")


def vol_args(c: Call) -> str:
    """struct btrfs_ioctl_vol_args: fd, name[4088]."""
    data = c.read(4096)
    return c.addr() if data is None else f"{{fd={fd(c, _u(data, 0, 'q'))}, name={cstr(c, data[8:])}}}"


def _simple(c: Call, spec: str) -> str | None:
    """The commands whose argument is one value or one fixed struct."""
    if spec.endswith("_out") and c.failed:
        return c.addr()
    spec = spec.removesuffix("_out")
    if spec == "none":
        return NO_ARG
    if spec == "d":
        return str(fmt.s32(c.arg & 0xFFFFFFFF))
    if spec == "balance_ctl":
        return c.xval("btrfs_balance_ctl_cmds", c.arg)
    size = _SIZES.get(spec, 8)
    data = c.read(size)
    if data is None:
        return c.addr()
    show = _STRUCTS.get(spec)
    return None if show is None else show(c, data)


_SIZES = {"features": 24, "set_features": 48, "supported_features": 72, "defrag_range": 48,
          "qgroup_assign": 24, "qgroup_create": 16, "qgroup_limit": 48, "quota_ctl": 16, "quota_rescan": 64,
          "quota_rescan_status": 64, "clone_range": 32, "fslabel": 256, "balance_progress": 1024}
_Show = Callable[[Call, bytes], str]
_STRUCTS: dict[str, _Show] = {
    "u64": lambda c, d: f"[{_u(d, 0)}]",
    "subvol_flags": lambda c, d: c.flags("btrfs_snap_flags_v2", _u(d, 0)),
    "features": lambda c, d: features(c, d),
    "set_features": lambda c, d: f"[{features(c, d)}, {features(c, d, 24)}]",
    "supported_features": lambda c, d: (f"[{features(c, d)} /* supported */, {features(c, d, 24)} /* safe to set */, "
                                        f"{features(c, d, 48)} /* safe to clear */]"),
    "defrag_range": lambda c, d: (f"{{start={_u(d, 0)}, len={u64(c, _u(d, 8))}, "
                                  f"flags={c.flags('btrfs_defrag_flags', _u(d, 16))}, extent_thresh={_u(d, 24, 'I')}, "
                                  f"compress_type={c.xval('btrfs_compress_types', _u(d, 28, 'I'))}}}"),
    "qgroup_assign": lambda c, d: "{{assign={}, src={}, dst={}}}".format(*struct.unpack_from("<3Q", d)),
    "qgroup_create": lambda c, d: "{{create={}, qgroupid={}}}".format(*struct.unpack_from("<2Q", d)),
    "qgroup_limit": lambda c, d: f"{{qgroupid={_u(d, 0)}, lim={qgroup_limit(c, d, 8)}}}",
    "quota_ctl": lambda c, d: f"{{cmd={c.xval('btrfs_qgroup_ctl_cmds', _u(d, 0))}}}",
    "quota_rescan": lambda c, d: f"{{flags={_u(d, 0)}}}",
    "quota_rescan_status": lambda c, d: (f"{{flags={_u(d, 0)}, "
                                         f"progress={xval_u(c, 'btrfs_tree_objectids', _u(d, 8))}}}"),
    "clone_range": lambda c, d: ("{{src_fd={}, src_offset={}, src_length={}, dest_offset={}}}"
                                 .format(fd(c, _u(d, 0, "q")), *struct.unpack_from("<3Q", d, 8))),
    "fslabel": lambda c, d: cstr(c, d),
    "balance_progress": lambda c, d: balance(c, d, True),
}

_CALLS: dict[str, Callable[[Call], str]] = {
    "balance_v2": lambda c: balance_v2(c),
    "dev_info": dev_info, "dev_replace": dev_replace, "fs_info": fs_info, "dev_stats": dev_stats,
    "ino_lookup": ino_lookup, "ino_paths": ino_paths, "logical_ino": logical_ino,
    "received_subvol": received_subvol, "scrub": lambda c: scrub(c, True), "scrub_progress": lambda c: scrub(c, False),
    "tree_search": lambda c: tree_search(c, False), "tree_search_v2": lambda c: tree_search(c, True),
    "send": send, "space_info": space_info, "vol_args": vol_args, "vol_args_v2": vol_args_v2,
    "dedupe_range": dedupe_range,
}


@family(0x94)
def btrfs(c: Call) -> str | None:
    spec = _REQUESTS.spec(c)
    if spec is None:
        return None
    whole = _CALLS.get(spec)
    if whole is not None:
        return whole(c)
    return _simple(c, spec)
