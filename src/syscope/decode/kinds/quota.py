"""Disk quotas: quotactl(2) and quotactl_fd(2), as strace 6.1's src/quota.c prints them.

The command is QCMD(cmd, type) (linux/quota.h: cmd << 8 | type); what the id and addr arguments
are, and whether they print at all, depends on the command: a quota format, a uid, a path, a
struct the kernel reads (Q_SETQUOTA, Q_SETINFO, Q_XSETQLIM: printed whatever the result) or
writes (Q_GET*: printed at exit, the address when the call failed).  Struct layouts are the UAPI
ones (linux/quota.h struct if_dqblk/if_nextdqblk/if_dqinfo, linux/dqblk_xfs.h fs_disk_quota,
fs_quota_stat, fs_quota_statv), declared below as data.
"""

from __future__ import annotations

from syscope.decode import fmt
from syscope.decode.base import DecoderBase
from syscope.decode.fmt import ptr as _ptr
from syscope.decode.registry import ArgFn, Memory, register
from syscope.decode.structs import Layout
from syscope.events import SyscallEvent
from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

_SUBCMDSHIFT = 8  # linux/quota.h SUBCMDSHIFT / SUBCMDMASK
_SUBCMDMASK = 0xFF

_U64 = "Q"
# struct if_dqblk (packed: 8 u64 then u32 dqb_valid); if_nextdqblk adds u32 dqb_id
_DQBLK = [(n, _U64) for n in ("dqb_bhardlimit", "dqb_bsoftlimit", "dqb_curspace", "dqb_ihardlimit",
                              "dqb_isoftlimit", "dqb_curinodes", "dqb_btime", "dqb_itime")] + [("dqb_valid", "I")]
_LAYOUTS: dict[str, list[tuple[str, str]]] = {
    "if_dqblk": _DQBLK,
    "if_nextdqblk": [*_DQBLK, ("dqb_id", "I")],
    "if_dqinfo": [("dqi_bgrace", _U64), ("dqi_igrace", _U64), ("dqi_flags", "I"), ("dqi_valid", "I")],
    # fs_disk_quota_t: naturally aligned on every arch
    "fs_disk_quota": [("d_version", "b"), ("d_flags", "b"), ("d_fieldmask", "H"), ("d_id", "I"),
                      *((n, _U64) for n in ("d_blk_hardlimit", "d_blk_softlimit", "d_ino_hardlimit",
                                            "d_ino_softlimit", "d_bcount", "d_icount")),
                      ("d_itimer", "i"), ("d_btimer", "i"), ("d_iwarns", "H"), ("d_bwarns", "H"), ("_hi", "4x"),
                      ("d_rtb_hardlimit", _U64), ("d_rtb_softlimit", _U64), ("d_rtbcount", _U64),
                      ("d_rtbtimer", "i"), ("d_rtbwarns", "H"), ("_pad", "10x")],
    # fs_quota_stat_t: fs_qfilestat (u64, u64, u32) is 8-aligned on the 64-bit arches
    "fs_quota_stat": [("qs_version", "b"), ("_p0", "x"), ("qs_flags", "H"), ("qs_pad", "b"), ("_p1", "3x"),
                      ("u_ino", _U64), ("u_nblks", _U64), ("u_nextents", "I"), ("_p2", "4x"),
                      ("g_ino", _U64), ("g_nblks", _U64), ("g_nextents", "I"), ("_p3", "4x"),
                      ("qs_incoredqs", "I"), ("qs_btimelimit", "i"), ("qs_itimelimit", "i"),
                      ("qs_rtbtimelimit", "i"), ("qs_bwarnlimit", "H"), ("qs_iwarnlimit", "H"), ("_p4", "4x")],
    # ... and 4-aligned on i386 (strace reads it through its mpers fetch_struct_quotastat)
    "fs_quota_stat32": [("qs_version", "b"), ("_p0", "x"), ("qs_flags", "H"), ("qs_pad", "b"), ("_p1", "3x"),
                        ("u_ino", _U64), ("u_nblks", _U64), ("u_nextents", "I"),
                        ("g_ino", _U64), ("g_nblks", _U64), ("g_nextents", "I"),
                        ("qs_incoredqs", "I"), ("qs_btimelimit", "i"), ("qs_itimelimit", "i"),
                        ("qs_rtbtimelimit", "i"), ("qs_bwarnlimit", "H"), ("qs_iwarnlimit", "H")],
    "fs_quota_statv": [("qs_version", "b"), ("_p1", "x"), ("qs_flags", "H"), ("qs_incoredqs", "I"),
                       *((f"{q}_{f}", c) for q in "ugp"
                         for f, c in (("ino", _U64), ("nblks", _U64), ("nextents", "I"), ("pad", "I"))),
                       ("qs_btimelimit", "i"), ("qs_itimelimit", "i"), ("qs_rtbtimelimit", "i"),
                       ("qs_bwarnlimit", "H"), ("qs_iwarnlimit", "H"), ("qs_rtbwarnlimit", "H"), ("_p3", "2x"),
                       ("_p4", "4x"), ("_p2", "56x")],
}
_LAYOUT_CACHE: dict[str, Layout] = {}


def _layout(name: str) -> Layout:
    got = _LAYOUT_CACHE.get(name)
    if got is None:
        got = _LAYOUT_CACHE[name] = Layout(_LAYOUTS[name])
    return got


def _read(mem: Memory, addr: int, name: str) -> dict[str, int] | None:
    lay = _layout(name)
    data = mem.read(addr, lay.size) if addr else None
    if data is None or len(data) < lay.size:
        return None
    return lay.unpack(data)


def _uid(v: int) -> str:
    # strace printuid(): unsigned, except (uid_t) -1
    v &= 0xFFFFFFFF
    return "-1" if v == 0xFFFFFFFF else str(v)


class _Quota:
    """What one decoder (its -X style, -v) needs to print quotactl's arguments."""

    def __init__(self, d: DecoderBase, arch: str) -> None:
        self.d = d
        self.arch = arch
        c = {n: v for v, n in fmt.consts(arch).get("quota_cmds", [])}
        self.cmd = c
        self.cmds = fmt.enum(arch, "quota_cmds")
        self.types = fmt.enum(arch, "quota_types")
        self.formats = fmt.enum(arch, "quota_formats", d.xs)
        self.valid = fmt.flags(arch, "quota_dqblk_valid", d.xs)
        self.info_flags = fmt.flags(arch, "quota_dqinfo_flags", d.xs)
        self.info_valid = fmt.flags(arch, "quota_dqinfo_valid", d.xs)
        self.xfs_flags = fmt.flags(arch, "xfs_quota_flags", d.xs)
        self.xfs_dqblk = fmt.flags(arch, "xfs_dqblk_flags", d.xs)
        self.stat = "fs_quota_stat32" if arch == "i386" else "fs_quota_stat"
        g = c.get
        self.no_args = {g("Q_QUOTAOFF"), g("Q_SYNC"), g("Q_XQUOTASYNC")}
        # the commands whose id is not printed (the data follows the path or fd at once)
        self.no_id = {g("Q_GETFMT"), g("Q_GETINFO"), g("Q_SETINFO"), g("Q_XGETQSTAT"), g("Q_XGETQSTATV"),
                      g("Q_XQUOTAON"), g("Q_XQUOTAOFF"), g("Q_XQUOTARM")}
        self.gets = {g("Q_GETQUOTA"), g("Q_GETNEXTQUOTA"), g("Q_XGETQUOTA"), g("Q_XGETNEXTQUOTA"),
                     g("Q_GETFMT"), g("Q_GETINFO"), g("Q_XGETQSTAT"), g("Q_XGETQSTATV")}
        self.printers: dict[int | None, Callable[[Memory, int], str]] = {
            g("Q_GETQUOTA"): self.dqblk, g("Q_SETQUOTA"): self.dqblk, g("Q_GETNEXTQUOTA"): self.nextdqblk,
            g("Q_XGETQUOTA"): self.disk_quota, g("Q_XGETNEXTQUOTA"): self.disk_quota,
            g("Q_XSETQLIM"): self.disk_quota, g("Q_GETFMT"): self.getfmt, g("Q_GETINFO"): self.dqinfo,
            g("Q_SETINFO"): self.dqinfo, g("Q_XGETQSTAT"): self.quota_stat, g("Q_XGETQSTATV"): self.quota_statv,
            g("Q_XQUOTAON"): self.xfs_state, g("Q_XQUOTAOFF"): self.xfs_state, g("Q_XQUOTARM"): self.xfs_rm,
        }

    def qcmd(self, qcmd: int) -> str:
        # strace print_qcmd(): QCMD(Q_..., ...QUOTA); -X raw the number, -X verbose both
        if self.d.xs == 2:
            return str(qcmd)
        cmd, typ = qcmd >> _SUBCMDSHIFT, qcmd & _SUBCMDMASK
        t = self.types.get(typ) or f"{fmt.hexnum(typ)} /* ???QUOTA */"
        text = f"QCMD({self.cmds(cmd)}, {t})"
        return f"{qcmd} /* {text} */" if self.d.xs == 1 else text

    def more(self) -> bool:
        return not self.d.abbrev

    def dqblk(self, mem: Memory, addr: int, name: str = "if_dqblk") -> str:
        q = _read(mem, addr, name)
        if q is None:
            return _ptr(addr)
        parts = [f"{n}={q[n]}" for n in ("dqb_bhardlimit", "dqb_bsoftlimit", "dqb_curspace", "dqb_ihardlimit",
                                         "dqb_isoftlimit", "dqb_curinodes")]
        if self.more():
            parts += [f"dqb_btime={q['dqb_btime']}", f"dqb_itime={q['dqb_itime']}",
                      f"dqb_valid={self.valid(q['dqb_valid'])}"]
            if name == "if_nextdqblk":
                parts.append(f"dqb_id={q['dqb_id']}")
        elif name == "if_nextdqblk":
            parts += [f"dqb_id={q['dqb_id']}", "..."]
        else:
            parts.append("...")
        return "{" + ", ".join(parts) + "}"

    def nextdqblk(self, mem: Memory, addr: int) -> str:
        return self.dqblk(mem, addr, "if_nextdqblk")

    def disk_quota(self, mem: Memory, addr: int) -> str:
        q = _read(mem, addr, "fs_disk_quota")
        if q is None:
            return _ptr(addr)
        parts = [f"d_version={q['d_version']}", f"d_flags={self.flags_dflt(self.xfs_dqblk, q['d_flags'] & 0xFF)}",
                 f"d_fieldmask={fmt.hexnum(q['d_fieldmask'])}"]
        parts += [f"{n}={q[n]}" for n in ("d_id", "d_blk_hardlimit", "d_blk_softlimit", "d_ino_hardlimit",
                                          "d_ino_softlimit", "d_bcount", "d_icount")]
        if self.more():
            parts += [f"{n}={q[n]}" for n in ("d_itimer", "d_btimer", "d_iwarns", "d_bwarns", "d_rtb_hardlimit",
                                              "d_rtb_softlimit", "d_rtbcount", "d_rtbtimer", "d_rtbwarns")]
        else:
            parts.append("...")
        return "{" + ", ".join(parts) + "}"

    def flags_dflt(self, table: fmt.Flags, v: int) -> str:
        # xfs_dqblk_flags' default is "FS_???_QUOTA" (strace src/quota.c): not a prefix + "???"
        if v and self.d.xs != 2 and not any(v & bit for bit, _n in table.rows):
            return f"{v:#x} /* FS_???_QUOTA */"
        return table(v)

    def getfmt(self, mem: Memory, addr: int) -> str:
        data = mem.read(addr, 4) if addr else None
        if data is None or len(data) < 4:
            return _ptr(addr)
        return f"[{self.formats(int.from_bytes(data, 'little'))}]"

    def dqinfo(self, mem: Memory, addr: int) -> str:
        q = _read(mem, addr, "if_dqinfo")
        if q is None:
            return _ptr(addr)
        return (f"{{dqi_bgrace={q['dqi_bgrace']}, dqi_igrace={q['dqi_igrace']}, "
                f"dqi_flags={self.info_flags(q['dqi_flags'])}, dqi_valid={self.info_valid(q['dqi_valid'])}}}")

    def quota_stat(self, mem: Memory, addr: int) -> str:
        q = _read(mem, addr, self.stat)
        if q is None:
            return _ptr(addr)
        if not self.more():
            return f"{{qs_version={q['qs_version']}, ...}}"
        files = [f"qs_{w}quota={{qfs_ino={q[f'{p}_ino']}, qfs_nblks={q[f'{p}_nblks']}, "
                 f"qfs_nextents={q[f'{p}_nextents']}}}" for w, p in (("u", "u"), ("g", "g"))]
        return (f"{{qs_version={q['qs_version']}, qs_flags={self.xfs_flags(q['qs_flags'])}, {', '.join(files)}, "
                f"qs_incoredqs={q['qs_incoredqs']}, qs_btimelimit={q['qs_btimelimit']}, "
                f"qs_itimelimit={q['qs_itimelimit']}, qs_rtbtimelimit={q['qs_rtbtimelimit']}, "
                f"qs_bwarnlimit={q['qs_bwarnlimit']}, qs_iwarnlimit={q['qs_iwarnlimit']}}}")

    def quota_statv(self, mem: Memory, addr: int) -> str:
        q = _read(mem, addr, "fs_quota_statv")
        if q is None:
            return _ptr(addr)
        if not self.more():
            return f"{{qs_version={q['qs_version']}, ...}}"
        files = [f"qs_{w}quota={{qfs_ino={q[f'{w}_ino']}, qfs_nblks={q[f'{w}_nblks']}, "
                 f"qfs_nextents={q[f'{w}_nextents']}}}" for w in "ugp"]
        return (f"{{qs_version={q['qs_version']}, qs_flags={self.xfs_flags(q['qs_flags'])}, "
                f"qs_incoredqs={q['qs_incoredqs']}, {', '.join(files)}, qs_btimelimit={q['qs_btimelimit']}, "
                f"qs_itimelimit={q['qs_itimelimit']}, qs_rtbtimelimit={q['qs_rtbtimelimit']}, "
                f"qs_bwarnlimit={q['qs_bwarnlimit']}, qs_iwarnlimit={q['qs_iwarnlimit']}}}")

    def _u32(self, mem: Memory, addr: int) -> int | None:
        data = mem.read(addr, 4) if addr else None
        return None if data is None or len(data) < 4 else int.from_bytes(data, "little")

    def xfs_state(self, mem: Memory, addr: int) -> str:
        v = self._u32(mem, addr)
        return _ptr(addr) if v is None else f"[{self.xfs_flags(v)}]"

    def xfs_rm(self, mem: Memory, addr: int) -> str:
        v = self._u32(mem, addr)
        return _ptr(addr) if v is None else f"[{self.flags_dflt(self.xfs_dqblk, v)}]"


def _cmd_index(kind: str) -> int:
    return int(kind.split(":", 1)[1])


@register("qcmd", scalar=True)
def build_qcmd(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    q = _Quota(d, arch)
    return lambda ev, mem: q.qcmd(ev.raw_args[i] & 0xFFFFFFFF)


@register("quota_id", scalar=True)
def build_quota_id(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    q = _Quota(d, arch)
    c = _cmd_index(kind)
    quotaon = q.cmd.get("Q_QUOTAON")

    # the id: a quota format for Q_QUOTAON, a uid for the per-id commands, absent otherwise
    def quota_id(ev: SyscallEvent, mem: Memory) -> str | None:
        cmd = (ev.raw_args[c] & 0xFFFFFFFF) >> _SUBCMDSHIFT
        if cmd in q.no_args or cmd in q.no_id:
            return None
        if cmd == quotaon:
            return q.formats(ev.raw_args[i] & 0xFFFFFFFF)
        return _uid(ev.raw_args[i])
    return quota_id


@register("quota_addr", out=True)
def build_quota_addr(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    q = _Quota(d, arch)
    c = _cmd_index(kind)
    quotaon = q.cmd.get("Q_QUOTAON")

    def quota_addr(ev: SyscallEvent, mem: Memory) -> str | None:
        cmd = (ev.raw_args[c] & 0xFFFFFFFF) >> _SUBCMDSHIFT
        addr = ev.raw_args[i]
        if cmd in q.no_args:
            return None
        if cmd == quotaon:
            return d.cstr(mem, addr, 4095, whole=True)
        printer = q.printers.get(cmd)
        if printer is None:
            return _ptr(addr)
        # what the kernel writes is read only after a successful call (umove_or_printaddr at exit)
        if cmd in q.gets and (ev.errno is not None or ev.retval is None):
            return _ptr(addr)
        return printer(mem, addr)
    return quota_addr
