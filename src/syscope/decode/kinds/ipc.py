"""System V IPC (semop(2)/semtimedop(2) operations, shmat(2)) and POSIX message queues."""

from __future__ import annotations

import struct

from syscope.decode import fmt
from syscope.decode.base import DecoderBase
from syscope.decode.fmt import hexnum as _hex
from syscope.decode.fmt import ptr as _ptr
from syscope.decode.registry import ArgFn, Memory, read_struct, register, word_size
from syscope.events import SyscallEvent
from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

# struct sembuf (linux/sem.h): unsigned short sem_num, short sem_op, short sem_flg
_SEMBUF = struct.Struct("<Hhh")


@register("sembufs")
def build_sembufs(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    n = int(kind.split(":", 1)[1])
    flg = fmt.flags(arch, "semop_flags", d.xs)

    # strace's print_sembuf, as an array abbreviated at -s (src/ipc_sem.c)
    def one(chunk: bytes) -> str:
        num, op, fl = _SEMBUF.unpack(chunk)
        return f"{{sem_num={num}, sem_op={op}, sem_flg={flg(fl & 0xFFFF)}}}"

    def sembufs(ev: SyscallEvent, mem: Memory) -> str:
        # nsops is an unsigned int (semop(2))
        return d.array(mem, ev.raw_args[i], ev.raw_args[n] & 0xFFFFFFFF, _SEMBUF.size, one)
    return sembufs


# POSIX message queues (mq_overview(7)) ---------------------------------------------------------

def _mq_attr(d: DecoderBase, mem: Memory, addr: int, flags: fmt.Flags | None, word: int) -> str:
    # struct mq_attr (linux/mqueue.h): four longs used; strace's printmqattr names mq_flags' bits
    # for mq_getsetattr(2) and prints the number for mq_open(2) (src/print_mq_attr.c)
    # (and four reserved longs: the kernel copies, and strace reads, the whole struct)
    got = read_struct(mem, addr, "<8q" if word == 8 else "<8i")
    if got is None:
        return _ptr(addr)
    fl = flags(got[0] & ((1 << 8 * word) - 1)) if flags is not None else _hex(got[0] & ((1 << 8 * word) - 1))
    return f"{{mq_flags={fl}, mq_maxmsg={got[1]}, mq_msgsize={got[2]}, mq_curmsgs={got[3]}}}"


def _creat(arch: str) -> int:
    return dict((n, v) for v, n in fmt.consts(arch).get("open_flags", [])).get("O_CREAT", 0o100)


@register("mq_mode", scalar=True)
def build_mq_mode(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    creat = _creat(arch)

    # mq_open(3): the mode and attributes are read only with O_CREAT, and strace prints them
    # only then (src/mq.c); the mode as print_numeric_umode_t
    def mq_mode(ev: SyscallEvent, mem: Memory) -> str | None:
        if not ev.raw_args[i - 1] & creat:
            return None
        return fmt.octal(ev.raw_args[i] & 0xFFFF)
    return mq_mode


@register("mq_attr")
def build_mq_attr(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    word = word_size(arch)
    creat = _creat(arch)
    # "mq_attr:open" is mq_open's (printed with O_CREAT only, mq_flags as a number)
    opening = kind.endswith(":open")
    flags = None if opening else fmt.flags(arch, "mq_attr_flags", d.xs)

    def mq_attr(ev: SyscallEvent, mem: Memory) -> str | None:
        if opening and not ev.raw_args[1] & creat:
            return None
        return _mq_attr(d, mem, ev.raw_args[i], flags, word)
    return mq_attr


@register("mq_attr", out=True)
def build_out_mq_attr(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    # mq_getsetattr(2)'s old attributes: written by the call, read at exit
    return d.failed_addr(i, build_mq_attr(d, i, arch, kind))


@register("mq_prio", out=True)
def build_out_mq_prio(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    # mq_timedreceive(2)'s msg_prio: an unsigned int it writes, [N] (strace printnum_int "%u")
    def mq_prio(ev: SyscallEvent, mem: Memory) -> str:
        addr = ev.raw_args[i]
        return d.num_at(mem, addr, "<I") if ev.errno is None else _ptr(addr)
    return mq_prio


@register("mq_timeout", out=True)
def build_out_mq_timeout(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    # mq_timedreceive(2)'s timeout is read by the kernel at entry: strace prints it at exit
    # whether the call failed or not (src/mq.c temporarily_clear_syserror)
    return d.kind("timespec", i, arch)


# System V IPC: msgget/semget/shmget, msgctl/semctl/shmctl, msgsnd/msgrcv (strace's src/ipc_*.c) ---

# The *ctl structures, by word size: field -> (offset, struct code), as linux/ipc.h, msg.h, sem.h
# and shm.h lay them out (asm-generic/ipcbuf.h, msgbuf.h, sembuf.h, shmbuf.h: struct ipc64_perm,
# msqid64_ds, semid64_ds, shmid64_ds, msginfo, seminfo, shminfo64, shm_info).  The 32-bit layout is
# i386's: a 16-bit mode, times as a low word followed by a high word.
_PERM = {8: {"uid": (4, "I"), "gid": (8, "I"), "mode": (20, "I"), "key": (0, "i"), "cuid": (12, "I"),
             "cgid": (16, "I")},
         4: {"uid": (4, "I"), "gid": (8, "I"), "mode": (20, "H"), "key": (0, "i"), "cuid": (12, "I"),
             "cgid": (16, "I")}}
_DS: dict[str, dict[int, tuple[int, list[tuple[str, int, str]]]]] = {
    # (size of the struct, [(field, offset, code)]) in strace's print order
    "msg": {8: (120, [("msg_stime", 48, "Q"), ("msg_rtime", 56, "Q"), ("msg_ctime", 64, "Q"), ("msg_qnum", 80, "Q"),
                      ("msg_qbytes", 88, "Q"), ("msg_lspid", 96, "i"), ("msg_lrpid", 100, "i")]),
            4: (88, [("msg_stime", 36, "I"), ("msg_rtime", 44, "I"), ("msg_ctime", 52, "I"), ("msg_qnum", 64, "I"),
                     ("msg_qbytes", 68, "I"), ("msg_lspid", 72, "i"), ("msg_lrpid", 76, "i")])},
    "sem": {8: (104, [("sem_otime", 48, "Q"), ("sem_ctime", 64, "Q"), ("sem_nsems", 80, "Q")]),
            4: (64, [("sem_otime", 36, "I"), ("sem_ctime", 44, "I"), ("sem_nsems", 52, "I")])},
    "shm": {8: (112, [("shm_segsz", 48, "Q"), ("shm_cpid", 80, "i"), ("shm_lpid", 84, "i"), ("shm_nattch", 88, "Q"),
                      ("shm_atime", 56, "Q"), ("shm_dtime", 64, "Q"), ("shm_ctime", 72, "Q")]),
            4: (84, [("shm_segsz", 36, "I"), ("shm_cpid", 64, "i"), ("shm_lpid", 68, "i"), ("shm_nattch", 72, "I"),
                     ("shm_atime", 40, "I"), ("shm_dtime", 48, "I"), ("shm_ctime", 56, "I")])},
}
# IPC_SET prints only what the kernel takes from the caller (ipc/msg.c msgctl_down)
_SET_FIELDS = {"msg": ("msg_qbytes",), "sem": (), "shm": ()}
# the IPC_INFO/*_INFO structures: (fields, code by word size)
_INFO: dict[str, tuple[tuple[str, ...], dict[int, str]]] = {
    "msginfo": (("msgpool", "msgmap", "msgmax", "msgmnb", "msgmni", "msgssz", "msgtql", "msgseg"),
                {8: "<7iH", 4: "<7iH"}),
    "seminfo": (("semmap", "semmni", "semmns", "semmnu", "semmsl", "semopm", "semume", "semusz", "semvmx",
                 "semaem"), {8: "<10i", 4: "<10i"}),
    "shminfo": (("shmmax", "shmmin", "shmmni", "shmseg", "shmall"), {8: "<5Q", 4: "<5I"}),
    "shm_info": (("used_ids", "shm_tot", "shm_rss", "shm_swp", "swap_attempts", "swap_successes"),
                 {8: "<i4x5Q", 4: "<i5I"}),
}
# which *ctl commands the kernel fills a buffer for, and with what
_CTL = {"msg": ("msgctl_cmds", 1, {"IPC_STAT": "ds", "MSG_STAT": "ds", "MSG_STAT_ANY": "ds", "IPC_INFO": "msginfo",
                                   "MSG_INFO": "msginfo"}),
        "sem": ("semctl_cmds", 2, {"IPC_STAT": "ds", "SEM_STAT": "ds", "SEM_STAT_ANY": "ds", "IPC_INFO": "seminfo",
                                   "SEM_INFO": "seminfo"}),
        "shm": ("shmctl_cmds", 1, {"IPC_STAT": "ds", "SHM_STAT": "ds", "SHM_STAT_ANY": "ds", "IPC_INFO": "shminfo",
                                   "SHM_INFO": "shm_info"})}


def ctl_buffer_size(which: str, word: int) -> int:
    """The most bytes msgctl/semctl/shmctl ("msg", "sem", "shm") read or write at their buffer
    for a task of this word size: the *id_ds struct or an *_INFO one (the eBPF capture plan
    copies as many)."""
    infos = [struct.calcsize(codes[word]) for name, (_f, codes) in _INFO.items() if name.startswith(which)]
    return max(_DS[which][word][0], *infos)


def _ipc_fields(arch: str) -> dict[str, int]:
    return {n: v for v, n in fmt.consts(arch).get("ipc_fields", [])}


def _id(v: int) -> str:
    # printuid: (uid_t) -1 as -1
    return "-1" if v == 0xFFFFFFFF else str(v)


def _perm(data: bytes, word: int, full: bool) -> str:
    f = {k: struct.unpack_from("<" + code, data, off)[0] for k, (off, code) in _PERM[word].items()}
    text = f"uid={_id(f['uid'])}, gid={_id(f['gid'])}, mode={fmt.octal(f['mode'])}"
    if full:
        text += f", key={f['key'] & 0xFFFFFFFF}, cuid={_id(f['cuid'])}, cgid={_id(f['cgid'])}"
    return "{" + text + "}"


def _ipc_ds(mem: Memory, addr: int, which: str, word: int, setting: bool,
            pid: Callable[[int], str] = str) -> str:
    """print_msqid_ds/print_semid_ds/print_shmid_ds: IPC_SET's fields, or the whole struct;
    ``pid`` prints shm_cpid/shm_lpid (PRINT_FIELD_TGID: -Y, --pidns-translation)."""
    size, fields = _DS[which][word]
    data = mem.read(addr, size) if addr else None
    if data is None or len(data) < size:
        return _ptr(addr)
    parts = [f"{which}_perm={_perm(data, word, not setting)}"]
    for name, off, code in fields:
        if not setting or name in _SET_FIELDS[which]:
            v = struct.unpack_from("<" + code, data, off)[0]
            parts.append(f"{name}={pid(v) if name in ('shm_cpid', 'shm_lpid') else v}")
    return "{" + ", ".join(parts) + "}"


def _ipc_info(mem: Memory, addr: int, which: str, word: int) -> str:
    names, codes = _INFO[which]
    got = read_struct(mem, addr, codes[word])
    if got is None:
        return _ptr(addr)
    return "{" + ", ".join(f"{n}={v}" for n, v in zip(names, got, strict=True)) + "}"


@register("ipc_key", scalar=True)
def build_ipc_key(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    # printxval(ipc_private, key, NULL): IPC_PRIVATE by name, any other key in hex
    private = fmt.enum(arch, "ipc_private", d.xs)

    def ipc_key(ev: SyscallEvent, mem: Memory) -> str:
        v = ev.raw_args[i] & 0xFFFFFFFF
        return private(v) if v == 0 else _hex(v)
    return ipc_key


@register("ipc_get_flags", scalar=True)
def build_ipc_get_flags(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    # msgget(2)/semget(2): IPC_CREAT|IPC_EXCL|... then the permission bits in octal.  The flags
    # have a NULL default (spec.NULL_DEFAULT); the "|" before the permissions is printed when
    # printflags() returned non-zero, i.e. named a bit (or -X raw printed the number): bits
    # without a name run into the octal mode, "0x100000000600" (strace's ipc_msg.c, ipc_sem.c)
    flags = fmt.flags(arch, "ipc_resource_flags", d.xs)

    def ipc_get_flags(ev: SyscallEvent, mem: Memory) -> str:
        v = ev.raw_args[i] & 0xFFFFFFFF
        rest = v & ~0o777
        perm = fmt.octal(v & 0o777)
        named = rest and (d.xs == 2 or any(not n.startswith("0x") for n in flags.names(rest)))
        return flags(rest) + ("|" if named else "") + perm
    return ipc_get_flags


@register("shm_get_flags", scalar=True)
def build_shm_get_flags(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    # shmget(2): the flags, the huge page size as N<<SHM_HUGE_SHIFT (linux/shm.h), the mode
    flags = fmt.flags(arch, "shm_resource_flags", d.xs)
    c = _ipc_fields(arch)
    shift, mask = c.get("SHM_HUGE_SHIFT", 26), c.get("SHM_HUGE_MASK", 0x3F)
    shift_text = {0: "SHM_HUGE_SHIFT", 1: f"{shift} /* SHM_HUGE_SHIFT */"}.get(d.xs, str(shift))

    def shm_get_flags(ev: SyscallEvent, mem: Memory) -> str:
        v = ev.raw_args[i] & 0xFFFFFFFF
        rest = v & ~0o777
        huge = rest & (mask << shift)
        rest &= ~(mask << shift)
        parts = [flags(rest)] if rest else []  # a NULL default (spec.NULL_DEFAULT)
        if huge:
            parts.append(f"{huge >> shift}<<{shift_text}")
        return "|".join([*parts, fmt.octal(v & 0o777)])
    return shm_get_flags


@register("ipcctl", scalar=True)
def build_ipcctl(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    # PRINTCTL (strace's ipc_defs.h): IPC_64| then the command, "ipcctl:msg|sem|shm"
    table = _CTL[kind.split(":", 1)[1]][0]
    cmds = fmt.enum(arch, table, d.xs)
    ipc64 = _ipc_fields(arch).get("IPC_64", 0x100)
    ipc64_text = {0: "IPC_64", 1: f"{ipc64:#x} /* IPC_64 */"}.get(d.xs, f"{ipc64:#x}")

    def ipcctl(ev: SyscallEvent, mem: Memory) -> str:
        v = ev.raw_args[i] & 0xFFFFFFFF
        text = cmds(v & ~ipc64)
        return f"{ipc64_text}|{text}" if v & ipc64 else text
    return ipcctl


@register("ipcbuf", out=True)
def build_out_ipcbuf(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    # the *ctl buffer ("ipcbuf:msg|sem|shm"): IPC_SET's struct (read from the caller, printed
    # whether the call failed or not), the STAT/INFO structs the kernel filled (the address when
    # the call failed), any other command's argument as an address (semctl's is the semun value)
    which = kind.split(":", 1)[1]
    table, cmd_i, filled = _CTL[which]
    names = fmt.enum(arch, table)
    ipc64 = _ipc_fields(arch).get("IPC_64", 0x100)
    word = word_size(arch)

    def ipcbuf(ev: SyscallEvent, mem: Memory) -> str:
        addr = ev.raw_args[i]
        cmd = names.get(ev.raw_args[cmd_i] & 0xFFFFFFFF & ~ipc64)
        if cmd == "IPC_SET":
            return _ipc_ds(mem, addr, which, word, True)
        what = filled.get(cmd or "")
        if what is None or ev.errno is not None or ev.retval is None:
            return _ptr(addr)
        if what == "ds":
            return _ipc_ds(mem, addr, which, word, False, lambda p: d.pid(ev, p, "tgid"))
        return _ipc_info(mem, addr, what, word)
    return ipcbuf


@register("msgbuf", stores=True)
def build_msgbuf(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    # struct msgbuf (linux/msg.h): long mtype, then mtext of msgsz bytes (the argument named
    # after the colon), printed as a data buffer (strace's tprint_msgbuf)
    n = int(kind.split(":", 1)[1])
    word = word_size(arch)
    code = "<q" if word == 8 else "<i"

    def msgbuf(ev: SyscallEvent, mem: Memory) -> str:
        addr = ev.raw_args[i]
        # umove of the whole struct msgbuf (the long and the first byte, padded)
        head = mem.read(addr, 2 * word) if addr else None
        if head is None or len(head) < 2 * word:
            return _ptr(addr)
        mtype = struct.unpack_from(code, head)[0]
        return f"{{mtype={mtype}, mtext={d.buf(mem, addr + word, ev.raw_args[n], ev, i)}}}"
    return msgbuf


@register("msgbuf", out=True, stores=True)
def build_out_msgbuf(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    # msgrcv(2): what the kernel wrote (msgsz bytes of mtext, as strace prints them)
    fn = build_msgbuf(d, i, arch, kind)
    return d.failed_addr(i, fn)
