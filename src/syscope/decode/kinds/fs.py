"""Files: paths, open flags and modes, stat/statx/statfs, directory entries, offsets."""

from __future__ import annotations

import struct

from syscope.decode import cformat as c
from syscope.decode import fmt, structs
from syscope.decode.base import DecoderBase
from syscope.decode.fmt import hexnum as _hex
from syscope.decode.fmt import isotime as _isotime
from syscope.decode.fmt import makedev as _makedev
from syscope.decode.fmt import octal as _oct
from syscope.decode.fmt import ptr as _ptr
from syscope.decode.kinds.scalar import field_and_flags, unsigned32
from syscope.decode.registry import ArgFn, Memory, register, store, word_size
from syscope.decode.registry import read_struct as _read_struct
from syscope.events import SyscallEvent
from syscope.lean import cache
from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

PATH_MAX = 4096  # limits.h: the longest path the kernel accepts, so the most strace prints
# d_type values (dirent.h DT_*), as strace names them
_DT = {0: "DT_UNKNOWN", 1: "DT_FIFO", 2: "DT_CHR", 4: "DT_DIR", 6: "DT_BLK", 8: "DT_REG",
       10: "DT_LNK", 12: "DT_SOCK", 14: "DT_WHT"}


def _dtype(d: DecoderBase, dtype: int) -> str:
    name = _DT.get(dtype)
    if name is None:
        return str(dtype)
    if d.xs == 2:
        return _hex(dtype)
    return f"{_hex(dtype)} /* {name} */" if d.xs == 1 else name


@cache
def _stat_at(arch: str) -> tuple[structs.Layout, int, int, int]:
    """The stat layout of ``arch`` and where st_mode, st_rdev and st_size are in its values."""
    lay = structs.layout("stat", arch)
    return lay, lay.at("st_mode"), lay.at("st_rdev"), lay.at("st_size")


def _stat_op(d: DecoderBase, i: int, arch: str) -> c.COp | None:
    """_stat's abbreviated form for the C line maker (decode/cformat.py): the layout's size and
    the offsets of the three fields it shows, the file type names and the set-id bits' table
    DecoderBase.mode prints with."""
    if not d.abbrev or arch != "x86_64":
        return None
    lay = structs.layout("stat", arch)
    aux = lay.size | lay.offset("st_mode") << 16 | lay.offset("st_rdev") << 32 | lay.offset("st_size") << 48
    return c.COp(c.STAT, i, aux=aux, tables=c.mode_tables(arch))


def _stat(d: DecoderBase, mem: Memory, addr: int, arch: str, ev: SyscallEvent, i: int) -> str:
    # tar and ls print a stat a call: the abbreviated line takes three fields by index
    lay, at_mode, at_rdev, at_size = _stat_at(arch)
    data = mem.read(addr, lay.size) if addr else None
    if data is None or len(data) < lay.size:
        return _ptr(addr)
    values = lay.st.unpack_from(data)
    store(ev, i, lay.public_values(values))
    st_mode = values[at_mode]
    mode = d.mode(st_mode, arch)
    dev_line = ""
    if (st_mode & 0o170000) in (0o020000, 0o060000):  # S_IFCHR, S_IFBLK: strace shows st_rdev, not st_size
        rdev = values[at_rdev]
        dev = _makedev(rdev)
        dev_line = (f"st_rdev={_hex(rdev)}" if d.opts.raw_all else f"st_rdev={_hex(rdev)} /* {dev} */"
                    if d.opts.xlat_verbose else f"st_rdev={dev}")
    if d.abbrev:
        mid = dev_line or f"st_size={values[at_size]}"
        return f"{{st_mode={mode}, {mid}, ...}}"
    st = dict(zip(lay.names, values, strict=True))
    sdev = st["st_dev"]
    dev_text = (_hex(sdev) if d.opts.raw_all else f"{_hex(sdev)} /* {_makedev(sdev)} */"
                if d.opts.xlat_verbose else _makedev(sdev))
    parts = [f"st_dev={dev_text}", f"st_ino={st['st_ino']}", f"st_mode={mode}",
             f"st_nlink={st['st_nlink']}", f"st_uid={st['st_uid']}", f"st_gid={st['st_gid']}",
             f"st_blksize={st['st_blksize']}", f"st_blocks={st['st_blocks']}"]
    parts.append(dev_line or f"st_size={st['st_size']}")
    for t in ("atime", "mtime", "ctime"):
        sec, nsec = st[f"st_{t}"], st[f"st_{t}_nsec"]
        iso = _isotime(sec, nsec)
        parts.append(f"st_{t}={sec} /* {iso} */" if iso else f"st_{t}={sec}")
        parts.append(f"st_{t}_nsec={nsec}")
    return "{" + ", ".join(parts) + "}"


@register("path", scalar=True, stores=True, c=lambda d, i, arch, kind: c.COp(c.PATH, i))
def build_path(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    # strace's printpath: at most PATH_MAX - 1 bytes (one more read to see if it is longer), and
    # a path that faults before its NUL is its address (umovestr failed; src/util.c printpathn)
    return lambda ev, mem: d.cstr(mem, ev.raw_args[i], PATH_MAX - 1, ev, i, whole=True)


@register("str", scalar=True, stores=True, c=lambda d, i, arch, kind: c.COp(c.STR, i))
def build_str(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    limit = d.opts.string_limit
    return lambda ev, mem: d.cstr(mem, ev.raw_args[i], limit, ev, i, whole=True)


def _open_flag_names(arch: str) -> Callable[[int], tuple[str, ...]]:
    acc, rest = fmt.enum(arch, "open_access"), fmt.flags(arch, "open_flags")
    return lambda v: field_and_flags(acc.get(v & 3), rest, v, 3)


def _open_flags(arch: str, i: int, kind: str) -> Callable[[SyscallEvent], Any]:
    names = _open_flag_names(arch)
    return lambda ev: names(ev.raw_args[i] & 0xFFFFFFFF)


def _access(arch: str, i: int, kind: str) -> Callable[[SyscallEvent], Any]:
    fl = fmt.flags(arch, "access_mode")
    return lambda ev: fl.names(ev.raw_args[i] & 0xFFFFFFFF) or ("F_OK",)


def _statx_flags(arch: str, i: int, kind: str) -> Callable[[SyscallEvent], Any]:
    sync, rest = fmt.enum(arch, "statx_sync"), fmt.flags(arch, "statx_at_flags")

    def value(ev: SyscallEvent) -> tuple[str, ...]:
        v = ev.raw_args[i] & 0xFFFFFFFF
        return field_and_flags(sync.get(v & 0x6000), rest, v, 0x6000)
    return value


@register("open_flags", scalar=True, xlat="hex", value=_open_flags,
          c=lambda d, i, arch, kind: c.field_flags_op(fmt.enum(arch, "open_access"), fmt.flags(arch, "open_flags"),
                                                      i, 3))
def build_open_flags(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    acc = fmt.enum(arch, "open_access")
    rest = fmt.flags(arch, "open_flags")

    def open_flags(ev: SyscallEvent, mem: Memory) -> str:
        v = ev.raw_args[i] & 0xFFFFFFFF
        return fmt.field_flags(acc.get(v & 3), rest, v, 3)
    return open_flags


def _open_mode_needed(arch: str) -> int:
    need = 0
    for v, _n in fmt.consts(arch).get("open_mode_needed", []):
        need |= v
    return need


@register("open_mode", scalar=True, value=unsigned32,
          c=lambda d, i, arch, kind: c.COp(c.OCTAL_IF, i, mask=c.INT, aux=_open_mode_needed(arch)) if i else None)
def build_open_mode(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    need = _open_mode_needed(arch)

    def open_mode(ev: SyscallEvent, mem: Memory) -> str | None:
        # open(2): the mode is only meaningful (and strace only prints it) with
        # O_CREAT or O_TMPFILE.
        if ev.raw_args[i - 1] & need:
            return _oct(ev.raw_args[i] & 0xFFFFFFFF)
        return None
    return open_mode


@register("access", scalar=True, xlat="hex", value=_access,
          c=lambda d, i, arch, kind: c.flags_op(fmt.flags(arch, "access_mode"), i, c.INT, zero="F_OK"))
def build_access(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    fl = fmt.flags(arch, "access_mode")

    def access(ev: SyscallEvent, mem: Memory) -> str:
        # F_OK is 0; other bits without a name are strace's printflags(access_modes, mode, "?_OK")
        v = ev.raw_args[i] & 0xFFFFFFFF
        return fl(v) if v else "F_OK"
    return access


@register("open_how", stores=True)
def build_open_how(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    acc, rest = fmt.enum(arch, "open_access"), fmt.flags(arch, "open_flags")
    acc_flags = _open_flag_names(arch)
    res = fmt.flags(arch, "resolve_flags", d.xs)
    need = 0
    for v, _n in fmt.consts(arch).get("open_mode_needed", []):
        need |= v

    def flags_text(v: int) -> str:
        # the u64 flags whole (strace tprint_open_modes64): bits past 32 are unknown flags
        if d.xs == 2:
            return _hex(v)
        text = fmt.field_flags(acc.get(v & 3), rest, v, 3)
        return f"{_hex(v)} /* {text} */" if d.xs == 1 and text != _hex(v) else text

    def open_how(ev: SyscallEvent, mem: Memory) -> str:
        addr, size = ev.raw_args[i], ev.raw_args[i + 1]
        # struct open_how (linux/openat2.h): u64 flags, mode, resolve; openat2(2) takes its
        # size, below OPEN_HOW_SIZE_VER0 (24) it is not one (strace print_open_how)
        if size < 24:
            return _ptr(addr)
        fields = _read_struct(mem, addr, "<QQQ")
        if fields is None:
            return _ptr(addr)
        flags, mode, resolve = fields
        store(ev, i, {"flags": acc_flags(flags & 0xFFFFFFFF), "mode": mode, "resolve": res.names(resolve)})
        text = f"{{flags={flags_text(flags)}"
        if flags & need or mode:
            text += f", mode={_oct(mode)}"
        text += f", resolve={res(resolve)}"
        tail = d.nonzero_tail(mem, addr, 24, size)
        return text + (f", {tail}}}" if tail else "}")
    return open_how


@register("statx_flags", scalar=True, value=_statx_flags,
          c=lambda d, i, arch, kind: c.COp(c.SPLIT_FLAGS, i, mask=c.INT, aux=0x6000, tables=(
              c.flags_table(fmt.flags(arch, "statx_sync")), c.flags_table(fmt.flags(arch, "statx_at_flags")))))
def build_statx_flags(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    # strace's statx.c: printflags(at_statx_sync_types, flags & AT_STATX_SYNC_TYPE, NULL), then
    # "|" and printflags(at_flags, rest, NULL) when bits are left.  Both have a NULL default
    # (spec.NULL_DEFAULT): the sync type 0 is AT_STATX_SYNC_AS_STAT, but nothing under -X raw,
    # and bits without a name print bare; both bits of the 2-bit field are FORCE_SYNC|DONT_SYNC
    sync = fmt.flags(arch, "statx_sync", d.xs)
    rest = fmt.flags(arch, "statx_at_flags", d.xs)

    def statx_flags(ev: SyscallEvent, mem: Memory) -> str:
        v = ev.raw_args[i] & 0xFFFFFFFF
        r = v & ~0x6000
        head = sync(v & 0x6000)
        return f"{head}|{rest(r)}" if r else head
    return statx_flags


def _mount_flags(arch: str) -> tuple[Callable[[int], tuple[int, bool]], int, int]:
    """mount(2)'s flags without the old magic number (and whether it was there), MS_REMOUNT,
    and the flags that make the kernel ignore the type and data (bind, move, propagation)."""
    mf = {n: v for v, n in fmt.consts(arch).get("mount_flags", [])}
    magic = {n: v for v, n in fmt.consts(arch).get("mount_magic", [])}
    val, msk = magic.get("MS_MGC_VAL", 0xC0ED0000), magic.get("MS_MGC_MSK", 0xFFFF0000)
    no_type = 0
    for n in ("MS_BIND", "MS_MOVE", "MS_SHARED", "MS_PRIVATE", "MS_SLAVE", "MS_UNBINDABLE"):
        no_type |= mf.get(n, 0)

    def split(flags: int) -> tuple[int, bool]:
        # "if the magic number is there, it is discarded" (mount(2), do_mount())
        if flags & msk == val:
            return flags & ~msk, True
        return flags, False
    return split, mf.get("MS_REMOUNT", 0x20), no_type


@register("mount_type", "mount_data", scalar=True, stores=True)
def build_mount_str(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    split, remount, no_type = _mount_flags(arch)
    limit = d.opts.string_limit

    def mount_str(ev: SyscallEvent, mem: Memory) -> str:
        # strace prints the address of an argument the kernel ignores: the type for a remount,
        # the type and data for a bind, move or propagation change
        flags, _magic = split(ev.raw_args[3])
        ignored = not flags & remount and flags & no_type if kind == "mount_data" else flags & (remount | no_type)
        if ignored:
            return _ptr(ev.raw_args[i])
        return d.cstr(mem, ev.raw_args[i], limit, ev, i, whole=True)
    return mount_str


def _build_mount_flags(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    split, _remount, _no_type = _mount_flags(arch)
    fl = fmt.flags(arch, "mount_flags", d.xs)
    magic = fmt.enum(arch, "mount_magic", d.xs)
    val = next((v for v, n in fmt.consts(arch).get("mount_magic", []) if n == "MS_MGC_VAL"), 0xC0ED0000)

    def mount_flags(ev: SyscallEvent, mem: Memory) -> str:
        flags, old = split(ev.raw_args[i])
        if not old:
            return fl(flags)
        # the magic number by name, then the flags (strace: print_xlat(MS_MGC_VAL)|flags)
        return magic(val) + "|" + fl(flags) if flags else magic(val)
    return mount_flags


register("mount_flags", scalar=True, xlat="hex", value=lambda arch, i, kind: _mount_flag_names(arch, i),
         verbose=_build_mount_flags, raw=_build_mount_flags)(_build_mount_flags)


def _mount_flag_names(arch: str, i: int) -> Callable[[SyscallEvent], Any]:
    fl = fmt.flags(arch, "mount_flags")
    split = _mount_flags(arch)[0]
    return lambda ev: fl.names(split(ev.raw_args[i])[0])


XATTR_SIZE_MAX = 65536  # linux/limits.h: the largest value an extended attribute may have


def _xattr_val(d: DecoderBase, ev: SyscallEvent, mem: Memory, i: int, size: int) -> str:
    """An extended attribute's value (strace print_xattr_val): its address past XATTR_SIZE_MAX,
    else its bytes without a trailing NUL (QUOTE_OMIT_TRAILING_0)."""
    addr = ev.raw_args[i]
    if size > XATTR_SIZE_MAX or not addr:
        return _ptr(addr)
    n = min(size, d.slimit)
    data = mem.read(addr, n) if n else b""
    if data is None or len(data) < n:
        return _ptr(addr)
    store(ev, i, data)
    cut = size > n
    if not cut and data.endswith(b"\0"):
        data = data[:-1]
    return '"' + fmt.quote(data, d.xflag) + '"' + ("..." if cut else "")


@register("xattr_val", scalar=True, stores=True)
def build_xattr_val(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    n = int(kind.split(":")[1])  # setxattr(2): the size argument
    return lambda ev, mem: _xattr_val(d, ev, mem, i, ev.raw_args[n])


@register("xattr_val", out=True, scalar=True, stores=True, c=lambda d, i, arch, kind: c.COp(c.XATTR, i))
def build_out_xattr_val(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    def xattr_val(ev: SyscallEvent, mem: Memory) -> str:
        # getxattr(2): the value the call returned, as long as its return value
        if ev.errno is not None or ev.retval is None:
            return _ptr(ev.raw_args[i])
        return _xattr_val(d, ev, mem, i, ev.retval)
    return xattr_val


@register("xattr_list", out=True, scalar=True, stores=True)
def build_out_xattr_list(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    def xattr_list(ev: SyscallEvent, mem: Memory) -> str:
        # listxattr(2) with size 0 only asks for the size: the list is its address
        if ev.errno is not None or ev.retval is None or not ev.raw_args[i + 1]:
            return _ptr(ev.raw_args[i])
        return d.buf(mem, ev.raw_args[i], ev.retval, ev, i)
    return xattr_list


MOUNT_ATTR_SIZE_VER0 = 32  # linux/mount.h: the first struct mount_attr
INT_MAX = 0x7FFFFFFF


@register("mount_attr")
def build_mount_attr(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    attr = fmt.flags(arch, "mount_attr_attr", d.xs)
    prop = fmt.enum(arch, "mount_attr_propagation", d.xs)
    idmap = next((v for v, n in fmt.consts(arch).get("mount_attr_attr", []) if n == "MOUNT_ATTR_IDMAP"), 0x100000)

    def mount_attr(ev: SyscallEvent, mem: Memory) -> str:
        # struct mount_attr (linux/mount.h): u64 attr_set, attr_clr, propagation, userns_fd;
        # mount_setattr(2) takes its size (strace print_mount_attr)
        addr, size = ev.raw_args[i], ev.raw_args[i + 1]
        if size < MOUNT_ATTR_SIZE_VER0:
            return _ptr(addr)
        got = _read_struct(mem, addr, "<4Q")
        if got is None:
            return _ptr(addr)
        aset, aclr, propagation, userns = got
        # the user namespace fd only means something with MOUNT_ATTR_IDMAP
        fd = (d.fd_or_num(ev, userns) if userns <= INT_MAX and (aset | aclr) & idmap else str(userns))
        text = (f"{{attr_set={attr(aset)}, attr_clr={attr(aclr)}, propagation={prop(propagation)}, "
                f"userns_fd={fd}")
        tail = d.nonzero_tail(mem, addr, MOUNT_ATTR_SIZE_VER0, size)
        return text + (f", {tail}}}" if tail else "}")
    return mount_attr


# C: NULL only, the extension keeping only the entries with it NULL (cformat.late_when: the call
# advances the offset, copy_file_range(2), which strace printed at entry)
@register("loffp", stores=True, c=lambda d, i, arch, kind: c.COp(c.NULL, i))
def build_loffp(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    def loffp(ev: SyscallEvent, mem: Memory) -> str:
        addr = ev.raw_args[i]
        got = _read_struct(mem, addr, "<q")
        if got is None:
            return _ptr(addr)
        store(ev, i, got[0])
        return f"[{got[0]}]"
    return loffp


# C: a 64-bit ABI's struct timespec (d.timespec: i386's time64 calls' too, but C lines are native's)
@register("utimes", c=lambda d, i, arch, kind: c.COp(c.UTIMES, i) if word_size(arch) == 8 else None)
def build_utimes(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    o = d.opts
    lay = d.timespec(arch)
    # utimensat(2): tv_nsec may name UTIME_NOW or UTIME_OMIT (linux/stat.h), and then
    # tv_sec is ignored and strace prints the name alone
    special = {(1 << 30) - 1: "UTIME_NOW", (1 << 30) - 2: "UTIME_OMIT"}

    def utimes(ev: SyscallEvent, mem: Memory) -> str:
        addr = ev.raw_args[i]
        data = mem.read(addr, 2 * lay.size) if addr else None
        if data is None or len(data) < 2 * lay.size:
            return _ptr(addr)
        out = []
        for k in range(2):
            sec, nsec = lay.st.unpack_from(data, k * lay.size)
            if nsec in special and not o.raw_all:  # -X raw: the numbers alone
                out.append(f"{{tv_sec={sec}, tv_nsec={nsec}}} /* {special[nsec]} */" if o.xlat_verbose
                           else special[nsec])
                continue
            iso = _isotime(sec, nsec)
            out.append(f"{{tv_sec={sec}, tv_nsec={nsec}}}" + (f" /* {iso} */" if iso else ""))
        return "[" + ", ".join(out) + "]"
    return utimes


@register("mknod_mode", "mknod_dev", scalar=True, value=unsigned32)
def build_mknod_mode(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    def mknod(ev: SyscallEvent, mem: Memory) -> str | None:
        # mknod(2): the device number only means something for character and block files
        # the mode is a umode_t, an unsigned short (include/linux/types.h; mknod(2), mknodat(2))
        mode = ev.raw_args[i if kind == "mknod_mode" else i - 1] & 0xFFFF
        if kind == "mknod_mode":
            return d.mode(mode, arch)
        if mode & 0o170000 in (0o020000, 0o060000):
            # the kernel's dev is an unsigned int (fs/namei.c SYSCALL_DEFINE3(mknod))
            v = ev.raw_args[i] & 0xFFFFFFFF
            return f"{_hex(v)} /* {_makedev(v)} */" if d.opts.xlat_verbose else _makedev(v)
        return None
    return mknod


@register("stat", out=True, stores=True, c=lambda d, i, arch, kind: _stat_op(d, i, arch))
def build_out_stat(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    def stat_out(ev: SyscallEvent, mem: Memory) -> str:
        # DecoderBase.failed_addr, folded in: a stat a call for tar and ls
        if ev.errno is not None or ev.retval is None:
            return _ptr(ev.raw_args[i])
        return _stat(d, mem, ev.raw_args[i], arch, ev, i)
    return stat_out


@register("llseek_res", out=True)
def build_out_llseek_res(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    def llseek_res(ev: SyscallEvent, mem: Memory) -> str:
        addr = ev.raw_args[i]
        return d.num_at(mem, addr, "<q") if ev.errno is None else _ptr(addr)
    return llseek_res


@register("loffp_inout", out=True)
def build_out_loffp_inout(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    def loffp_inout(ev: SyscallEvent, mem: Memory) -> str:
        # sendfile(2) advances *offset by what it copied: strace shows [before] => [after]
        # when the call copied something, both unsigned (printnum_ulong)
        addr = ev.raw_args[i]
        before = d.inoff.pop(mem.tid, None)
        if not addr:
            return "NULL"
        if before is None:
            return _ptr(addr)
        before &= (1 << 64) - 1
        if ev.errno is not None or not ev.retval or not ev.raw_args[i + 1]:
            return f"[{before}]"
        got = _read_struct(mem, addr, "<Q")
        return f"[{before}] => " + (_ptr(addr) if got is None else f"[{got[0]}]")
    return loffp_inout


@register("statx", out=True, stores=True, c=lambda d, i, arch, kind: c.COp(c.STATX, i, tables=(
    c.flags_table(fmt.flags(arch, "statx_mask")), c.flags_table(fmt.flags(arch, "statx_attrs")),
    *c.mode_tables(arch))) if d.abbrev else None)
def build_out_statx(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    def statx(ev: SyscallEvent, mem: Memory) -> str:
        addr = ev.raw_args[i]
        if ev.errno is not None or ev.retval is None:
            return _ptr(addr)
        # struct statx (linux/stat.h): mask u32, blksize u32, attributes u64, nlink,
        # uid, gid u32, mode u16 (+pad), ino, size, blocks, attributes_mask u64
        data = mem.read(addr, 152)
        if data is None or len(data) < 152:
            return _ptr(addr)
        (mask, blk, attrs, nlink, uid, gid, mode, ino, size, blocks,
         amask) = struct.unpack_from("<IIQIIIH2xQQQQ", data)
        store(ev, i, {"stx_mask": mask, "stx_blksize": blk, "stx_attributes": attrs, "stx_nlink": nlink,
                      "stx_uid": uid, "stx_gid": gid, "stx_mode": mode, "stx_ino": ino, "stx_size": size,
                      "stx_blocks": blocks})
        m = fmt.flags(arch, "statx_mask", d.xs)(mask)
        a = fmt.flags(arch, "statx_attrs", d.xs)
        if d.abbrev:
            return (f"{{stx_mask={m}, stx_attributes={a(attrs)}, "
                    f"stx_mode={d.mode(mode, arch)}, stx_size={size}, ...}}")
        parts = [f"stx_mask={m}", f"stx_blksize={blk}", f"stx_attributes={a(attrs)}",
                 f"stx_nlink={nlink}", f"stx_uid={uid}", f"stx_gid={gid}",
                 f"stx_mode={d.mode(mode, arch)}", f"stx_ino={ino}", f"stx_size={size}",
                 f"stx_blocks={blocks}", f"stx_attributes_mask={a(amask)}"]
        # statx_timestamp at 64 (atime), 80 (btime), 96 (ctime), 112 (mtime)
        # each timestamp only when the kernel filled it in (its STATX_*TIME bit in stx_mask)
        for name, off, bit in (("atime", 64, 0x20), ("btime", 80, 0x800), ("ctime", 96, 0x80),
                               ("mtime", 112, 0x40)):
            if not mask & bit:
                continue
            sec, nsec = struct.unpack_from("<qI", data, off)
            iso = _isotime(sec, nsec)
            parts.append(f"stx_{name}={{tv_sec={sec}, tv_nsec={nsec}}}"
                         + (f" /* {iso} */" if iso else ""))
        rmaj, rmin, dmaj, dmin = struct.unpack_from("<IIII", data, 128)
        parts += [f"stx_rdev_major={rmaj}", f"stx_rdev_minor={rmin}",
                  f"stx_dev_major={dmaj}", f"stx_dev_minor={dmin}"]
        if mask & 0x1000:  # STATX_MNT_ID
            parts.append(f"stx_mnt_id={_hex(struct.unpack_from('<Q', data, 144)[0])}")
        return "{" + ", ".join(parts) + "}"
    return statx


def _statfs_op(d: DecoderBase, i: int, arch: str, kind: str) -> c.COp | None:
    """The C form of a struct statfs of a 64-bit ABI (FOP_STATFS reads the layout below's
    "<7q2i3q" in place): the filesystem magics' names, the ST_* flags."""
    if kind != "statfs" or word_size(arch) != 8:
        return None
    return c.COp(c.STATFS, i, tables=(c.enum_table(fmt.enum(arch, "fs_magic")),
                                      c.flags_table(fmt.flags(arch, "statfs_flags"))))


@register("statfs", "statfs64", out=True, stores=True, c=_statfs_op)
def build_out_statfs(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    word = word_size(arch)
    magic = fmt.enum(arch, "fs_magic", d.xs)
    stf = fmt.flags(arch, "statfs_flags", d.xs)
    # struct statfs (asm-generic/statfs.h): 7 words, fsid (2 ints), 3 words, spare;
    # struct statfs64 on i386: two u32, five u64, fsid, three u32 (packed to 4 bytes)
    statfs_st = struct.Struct("<2I5Q2i3I" if kind == "statfs64" else "<7q2i3q" if word == 8 else "<7i2i3i")

    def statfs(ev: SyscallEvent, mem: Memory) -> str:
        addr = ev.raw_args[i]
        fields = _read_struct(mem, addr, statfs_st) if ev.errno is None else None
        if fields is None:
            return _ptr(addr)
        (ftype, bsize, blocks, bfree, bavail, files, ffree, fs0, fs1, namelen, frsize,
         flags) = fields
        t = magic(ftype & 0xFFFFFFFF) if magic.get(ftype & 0xFFFFFFFF) else _hex(ftype & 0xFFFFFFFF)
        store(ev, i, {"f_type": magic.get(ftype & 0xFFFFFFFF) or ftype & 0xFFFFFFFF, "f_bsize": bsize,
                      "f_blocks": blocks, "f_bfree": bfree, "f_bavail": bavail, "f_files": files,
                      "f_ffree": ffree, "f_fsid": [fs0 & 0xFFFFFFFF, fs1 & 0xFFFFFFFF],
                      "f_namelen": namelen, "f_frsize": frsize, "f_flags": stf.names(flags)})
        return (f"{{f_type={t}, f_bsize={bsize}, f_blocks={blocks}, f_bfree={bfree}, "
                f"f_bavail={bavail}, f_files={files}, f_ffree={ffree}, "
                f"f_fsid={{val=[{_hex(fs0 & 0xFFFFFFFF)}, {_hex(fs1 & 0xFFFFFFFF)}]}}, "
                f"f_namelen={namelen}, f_frsize={frsize}, f_flags={stf(flags)}}}")
    return statfs


def _dirents(d: DecoderBase, addr: int, data: bytes, head: struct.Struct,
             entry: Callable[[int, tuple[Any, ...]], str]) -> str:
    """getdents(2)'s records in ``data``, each a ``head`` (d_reclen its third field) and the
    rest: each one's text made by ``entry(offset, head fields)``; under -s abbreviation (strace's
    default) only their count, ``ADDR /* N entries */``. A zero d_reclen ends the list."""
    n = off = 0
    items = []
    while off + head.size <= len(data):
        fields = head.unpack_from(data, off)
        if not fields[2]:
            break
        if not d.abbrev:
            items.append(entry(off, fields))
        off += fields[2]
        n += 1
    if not d.abbrev:
        return "[" + ", ".join(items) + "]"
    return f"{_ptr(addr)} /* {n} entries */"


@register("dirents", out=True, c=lambda d, i, arch, kind: c.COp(c.DIRENTS, i) if d.abbrev else None)
def build_out_dirents(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    o = d.opts
    # struct linux_dirent64 (linux/dirent.h): d_ino u64, d_off s64, d_reclen u16, d_type u8,
    # d_name NUL-terminated
    head = struct.Struct("<QqHB")

    def dirents(ev: SyscallEvent, mem: Memory) -> str:
        addr = ev.raw_args[i]
        if ev.errno is not None or ev.retval is None:
            return _ptr(addr)
        data = mem.read(addr, ev.retval) if ev.retval else b""
        if data is None:  # strace's umoven failing: the address (an eBPF record's copy too short)
            return _ptr(addr)

        def entry(off: int, fields: tuple[Any, ...]) -> str:
            ino, doff, reclen, dtype = fields
            name = data[off + head.size: off + reclen].split(b"\0", 1)[0]
            return (f"{{d_ino={ino}, d_off={doff}, d_reclen={reclen}, d_type={_dtype(d, dtype)}, "
                    f'd_name="{fmt.quote(name, o.xflag)}"}}')
        return _dirents(d, addr, data, head, entry)
    return dirents


@register("cwd", out=True, scalar=True, stores=True, c=lambda d, i, arch, kind: c.COp(c.CWD, i))
def build_out_cwd(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    def cwd(ev: SyscallEvent, mem: Memory) -> str:
        if ev.errno is not None or ev.retval is None:
            return _ptr(ev.raw_args[i])
        return d.cstr(mem, ev.raw_args[i], PATH_MAX, ev, i)
    return cwd


@register("dirents_old", out=True)
def build_out_dirents_old(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    word = word_size(arch)
    # struct linux_dirent (fs/readdir.c): d_ino and d_off longs, d_reclen u16, d_name
    # NUL-terminated, then d_type in the record's last byte
    head = struct.Struct("<QQH" if word == 8 else "<IIH")
    o = d.opts

    def dirents_old(ev: SyscallEvent, mem: Memory) -> str:
        addr = ev.raw_args[i]
        if ev.errno is not None or ev.retval is None or ev.retval > ev.raw_args[i + 1]:
            return _ptr(addr)
        data = mem.read(addr, ev.retval) if ev.retval else b""
        if data is None:  # strace's umoven failing: the address (an eBPF record's copy too short)
            return _ptr(addr)

        def entry(off: int, fields: tuple[Any, ...]) -> str:
            ino, doff, reclen = fields
            name = data[off + head.size: off + reclen - 1].split(b"\0", 1)[0]
            dtype = data[off + reclen - 1] if off + reclen <= len(data) else 0
            return (f'{{d_ino={ino}, d_off={doff}, d_reclen={reclen}, d_name="{fmt.quote(name, o.xflag)}", '
                    f"d_type={_dtype(d, dtype)}}}")
        return _dirents(d, addr, data, head, entry)
    return dirents_old


@register("dev", scalar=True)
def build_dev(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    # ustat(2)'s dev_t, an unsigned int in the kernel's old encoding: strace prints makedev()
    return lambda ev, mem: fmt.makedev(ev.raw_args[i] & 0xFFFFFFFF)
