"""Decoders for fcntl, futex, poll, epoll and termios: small functions over the tables.  Socket
addresses are decode/sockaddr.py."""

from __future__ import annotations

import struct

from syscope.decode import fmt
from syscope.decode.fmt import hexnum as _hex
from syscope.decode.fmt import ptr as _ptr
from syscope.decode.fmt import s32 as _s32
from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only (postponed): collections costs a start-up ~6 M instructions
    from collections.abc import Callable
    from typing import Any

    from syscope.decode.registry import Memory
    from syscope.events import SyscallEvent

    Fn = Callable[["SyscallEvent", "Memory"], "str | None"]


def poll_list(mem: Memory, addr: int, n: int, arch: str, field: str, only_set: bool,
              fd_text: Callable[[int], str] | None = None, limit: int = 1 << 30,
              values: list[dict[str, Any]] | None = None, style: int = 0) -> str | None:
    """A struct pollfd array as strace prints it (poll(2)): each fd with its ``events`` at entry,
    the ones with ``revents`` set at exit (``only_set``).  ``values`` gets every element read, as
    ``{"fd", "events", "revents"}`` with the flags as names (the structured value).  ``style``:
    the -X style the flags follow (printflags at entry, sprintflags in the exit's text)."""
    if not addr:
        return "NULL"
    if n > 1 << 16:  # more than RLIMIT_NOFILE allows: poll(2) fails with EINVAL anyway
        return None
    # at entry strace's print_array: -s elements (one more is read), an element it cannot read
    # ends the array with "... /* ADDR */"; at exit every element is read
    want = n if only_set else min(n, limit + 1)
    data = mem.read(addr, 8 * want) or b""
    ev = fmt.flags(arch, "poll_events", style)
    items = []
    for k in range(n):
        chunk = data[8 * k:8 * k + 8] if 8 * k + 8 <= len(data) else mem.read(addr + 8 * k, 8)
        if chunk is None or len(chunk) < 8:
            if only_set:  # strace decode_poll_exiting: the address it could not read, last
                items.append(f"{addr + 8 * k:#x}")
            elif k == 0:
                return None
            else:
                items.append(f"... /* {addr + 8 * k:#x} */")
            break
        if not only_set and k >= limit:
            items.append("...")
            if values is not None:  # the structured value has every element (-P matches any)
                rest = mem.read(addr + 8 * k, 8 * (n - k)) or b""
                values += [{"fd": f, "events": ev.names(e & 0xFFFF), "revents": ev.names(r & 0xFFFF)}
                           for f, e, r in struct.iter_unpack("<ihh", rest[:len(rest) // 8 * 8])]
            break
        fd, events, revents = struct.unpack("<ihh", chunk)
        if values is not None:
            values.append({"fd": fd, "events": ev.names(events & 0xFFFF), "revents": ev.names(revents & 0xFFFF)})
        if only_set:
            if revents:
                items.append(f"{{fd={fd}, revents={ev(revents & 0xFFFF)}}}")
        elif fd < 0:
            items.append(f"{{fd={fd}}}")  # poll(2) ignores a negative fd: strace shows no events
        else:
            shown = fd_text(fd) if fd_text is not None else fd  # -y: the entry list carries paths
            items.append(f"{{fd={shown}, events={ev(events & 0xFFFF)}}}")
    if only_set and len(items) > limit:  # -s elements, then "..."
        items = items[:limit] + ["..."]
    return "[" + ", ".join(items) + "]"


def epoll_event(data: bytes, arch: str, style: int = 0) -> str:
    # struct epoll_event is packed on x86_64 (12 bytes), 16 elsewhere (linux/eventpoll.h); the
    # events by printflags in the -X style (strace's epoll.c print_epoll_event)
    events, u64 = struct.unpack_from("<IQ", data)
    return (f"{{events={fmt.flags(arch, 'epoll_events', style)(events)}, "
            f"data={{u32={u64 & 0xFFFFFFFF}, u64={u64}}}}}")


def epoll_size(arch: str) -> int:
    return 12 if arch in ("x86_64", "i386") else 16


def termios(data: bytes, arch: str, whole: bool = False) -> str:
    """struct termios as strace 6 prints it: the four flag words, then "..." (whole, -v: the line
    discipline and the control characters, c_cc indexed by their V* names).  The delay fields
    of c_oflag and CSIZE/CBAUD of c_cflag are enums inside the word."""
    bits = {n: v for v, n in fmt.consts(arch).get("termios_bits", [])}
    iflag, oflag, cflag, lflag = struct.unpack_from("<IIII", data)

    def fields(word: int, tables: list[tuple[str, str]], rest_table: str) -> str:
        parts = []
        for mask_name, table in tables:
            mask = bits.get(mask_name, 0)
            parts.append(fmt.enum(arch, table).get(word & mask) or f"{word & mask:#x}")
            word &= ~mask
        rest = fmt.flags(arch, rest_table)(word)
        return "|".join(parts + ([rest] if rest else [])) or "0"

    o = fields(oflag, [("NLDLY", "tc_nldly"), ("CRDLY", "tc_crdly"), ("TABDLY", "tc_tabdly"),
                       ("BSDLY", "tc_bsdly"), ("VTDLY", "tc_vtdly"), ("FFDLY", "tc_ffdly")], "tc_oflag")
    c = fields(cflag, [("CBAUD", "baud"), ("CSIZE", "tc_csize")], "tc_cflag")
    # an empty flag word prints as nothing at all ("c_iflag=, "), as strace 6.1 does (the
    # tables are in spec.NULL_DEFAULT)
    head = (f"{{c_iflag={fmt.flags(arch, 'tc_iflag')(iflag)}, c_oflag={o}, c_cflag={c}, "
            f"c_lflag={fmt.flags(arch, 'tc_lflag')(lflag)}")
    if not whole:
        return head + ", ...}"
    line = fmt.enum(arch, "tty_ldisc")(data[16])
    names = fmt.enum(arch, "tc_cc")
    cc = ", ".join(f"[{names.get(k) or k}]={_hex(v)}" for k, v in enumerate(data[17:36]))
    return f"{head}, c_line={line}, c_cc=[{cc}]}}"


def _flock(data: bytes, arch: str, pid_text: Callable[[int], str] | None, verbose: int = 0) -> str:
    # struct flock (asm-generic/fcntl.h): short l_type, l_whence; off_t l_start, l_len; pid_t
    # l_pid.  off_t is a long: 8 bytes on x86_64, 4 on i386 (flock64 is not decoded here).
    code = "<hh4xqqi" if arch != "i386" else "<hhiii"
    typ, whence, start, ln, pid = struct.unpack_from(code, data)
    text = (f"{{l_type={fmt.enum(arch, 'flock_type', verbose)(typ & 0xFFFF)}, "
            f"l_whence={fmt.enum(arch, 'seek_whence', verbose)(whence & 0xFFFF)}, l_start={start}, l_len={ln}")
    # l_pid only where the kernel wrote it (F_GETLK), a pid of the tracee's namespace
    # (fcntl.c PRINT_FIELD_TGID)
    return text + (f", l_pid={pid_text(pid)}}}" if pid_text is not None else "}")


def _flock_size(arch: str) -> int:
    # sizeof(struct flock), its tail padding included (8-byte alignment of off_t): the kernel's
    # copy_from_user and strace's umove read all of it, so a struct cut by the end of the
    # mapping is a fault (EFAULT, the address printed) even where l_pid's bytes were readable
    return 32 if arch != "i386" else 16


def _owner(decode_pid: Callable[[Any, int, str], str], ev: SyscallEvent, pid: int) -> str:
    """F_SETOWN's owner: a process, or -PGID a group (fcntl(2); strace's printpid_tgid_pgid)."""
    if pid < -1:
        return "-" + decode_pid(ev, -pid, "pgid")
    return decode_pid(ev, pid, "tgid") if pid > 0 else str(pid)


def _owner_ex(ev: SyscallEvent, v: int, mem: Memory, owner_types: Callable[[int], str],
              pid_text: Callable[[int, int], str]) -> str:
    """struct f_owner_ex {int type; pid_t pid;} (fcntl(2)): strace's print_f_owner_ex; the pid
    names a thread, a process or a group as the type says (pid_text(type, pid))."""
    data = mem.read(v, 8) if v else None
    if data is None or len(data) < 8:
        return _ptr(v)
    typ, pid = struct.unpack("<ii", data)
    return f"{{type={owner_types(typ & 0xFFFFFFFF)}, pid={pid_text(typ, pid)}}}"


# fcntl(2)'s commands by what their third argument and result print (asm-generic/fcntl.h,
# linux/fcntl.h; strace's fcntl.c decode_fcntl): the decoder below and the tracer's C lines
# (fcntl_c_plans) both follow these tables.
# The third argument printed from its value alone: a flag table's names (an int: F_SETFD's
# FD_CLOEXEC), "int" (a number: F_DUPFD's lowest descriptor, a pipe's size), "open_flags" (F_SETFL's
# O_* word, its access mode a field).  Locks, owners, signals and leases are decoded by code below.
_FCNTL_ARG = {"F_SETFD": "fd_flags", "F_ADD_SEALS": "f_seals", "F_NOTIFY": "notify_flags", "F_DUPFD": "int",
              "F_DUPFD_CLOEXEC": "int", "F_SETPIPE_SZ": "int", "F_SETFL": "open_flags"}
# ... not printed (the getters)
_FCNTL_NO_ARG = ("F_GETFD", "F_GETFL", "F_GETOWN", "F_GETSIG", "F_GETLEASE", "F_GETPIPE_SZ", "F_GET_SEALS")
# The result a flag word, "%#x (LABEL NAMES)" (RVAL_HEX with its flags; "0" alone when none is set,
# but F_GETFL's access mode O_RDONLY is 0), by the table its names come from
_FCNTL_RET = {"F_GETFD": ("flags", "fd_flags"), "F_GET_SEALS": ("seals", "f_seals"), "F_GETFL": ("flags", "open_flags")}
# ... a descriptor (F_DUPFD's new one: -y prints its path), or a process, a signal, a lease
# (decoded by code below); any other command's result is the number
_FCNTL_RET_FD = ("F_DUPFD", "F_DUPFD_CLOEXEC")
_FCNTL_RET_DECODED = ("F_GETOWN", "F_GETSIG", "F_GETLEASE")


def fcntl_c_plans(d: Any, arch: str, name: str) -> list[Any]:
    """The tracer's C lines of fcntl (decode/cformat.py): a plan per command whose argument and
    result the tables above print (F_SETFD, F_GETFL...), chosen by the command's register; the
    other commands are this module's to print."""
    from syscope.decode import cformat as c

    cmds = {n: v for v, n in fmt.consts(arch).get("fcntl_cmd", [])}
    cmd_op = c.enum_op(fmt.enum(arch, "fcntl_cmd"), 1, c.INT)
    acc, oflags = fmt.enum(arch, "open_access"), fmt.flags(arch, "open_flags")
    plans = []
    for cmd in (*_FCNTL_ARG, *_FCNTL_NO_ARG):
        value = cmds.get(cmd)
        if value is None or cmd in _FCNTL_RET_DECODED:
            continue
        ops = [c.fd_op(d, 0), cmd_op]
        form = _FCNTL_ARG.get(cmd)
        if form == "int":
            ops.append(c.COp(c.D32, 2, mask=c.INT))
        elif form == "open_flags":
            ops.append(c.field_flags_op(acc, oflags, 2, 3))
        elif form is not None:
            ops.append(c.flags_op(fmt.flags(arch, form), 2, c.INT))
        named = _FCNTL_RET.get(cmd)
        ret: Any = c.fd_ret(d) if cmd in _FCNTL_RET_FD else c.RET_D
        if named is not None:
            label, table = named
            op = (c.field_flags_op(acc, oflags, 0, 3) if table == "open_flags"
                  else c.flags_op(fmt.flags(arch, table), 0, c.INT))
            ret = (c.RET_NAMED, label, table != "open_flags", op)
        plans.append(c.CPlan(name, tuple(ops), ret, (1, c.INT, value)))
    return plans


def fcntl_args(arch: str, decode_fd: Callable[[Any, int], str], verbose: int = 0,
               decode_pid: Callable[[Any, int, str], str] = lambda ev, pid, kind: str(pid),
               brief: bool = False) -> tuple[list[Fn], list[Fn], Callable[[Any], str]]:
    """fcntl(2): the third argument's type and the result's meaning depend on the command.
    verbose (-X verbose): constants as numbers with their names in a comment; decode_fd and
    decode_pid print a descriptor and a pid (an id of the kind named) of the tracee's; brief
    (verbose off): the lock and owner structs print as addresses (umove_or_printaddr)."""
    cmd = fmt.enum(arch, "fcntl_cmd", verbose)
    c = {n: v for v, n in fmt.consts(arch).get("fcntl_cmd", [])}
    no_arg = {c.get(n) for n in _FCNTL_NO_ARG}
    arg_forms = {c[n]: form for n, form in _FCNTL_ARG.items() if n in c}
    ret_forms = {c[n]: form for n, form in _FCNTL_RET.items() if n in c}
    ret_fd = {c.get(n) for n in _FCNTL_RET_FD} - {None}
    setlk = {c.get(n) for n in ("F_SETLK", "F_SETLKW", "F_OFD_SETLK", "F_OFD_SETLKW")} - {None}
    getlk = {c.get(n) for n in ("F_GETLK", "F_OFD_GETLK")} - {None}
    fsize = _flock_size(arch)
    owner_types = fmt.enum(arch, "f_owner_types", verbose)
    flag_tables = {t: fmt.flags(arch, t, verbose) for t in ("fd_flags", "f_seals", "notify_flags")}
    lease = fmt.enum(arch, "flock_type", verbose)
    setown_ex, getown_ex = c.get("F_SETOWN_EX"), c.get("F_GETOWN_EX")
    owner_kind = {"F_OWNER_TID": "tid", "F_OWNER_PID": "tgid", "F_OWNER_PGRP": "pgid"}
    owner_kinds = {v: owner_kind[n] for v, n in fmt.consts(arch).get("f_owner_types", []) if n in owner_kind}
    oflags = fmt.flags(arch, "open_flags")
    acc = fmt.enum(arch, "open_access")

    def open_fl(v: int) -> str:
        return fmt.field_flags(acc.get(v & 3), oflags, v, 3)

    def fd(ev: SyscallEvent, mem: Memory) -> str:
        return decode_fd(ev, _s32(ev.raw_args[0]))

    def owner_ex(ev: SyscallEvent, v: int, mem: Memory) -> str:
        return _owner_ex(ev, v, mem, owner_types, lambda typ, pid: decode_pid(ev, pid, owner_kinds[typ])
                         if typ in owner_kinds else str(pid))


    def cmd_fn(ev: SyscallEvent, mem: Memory) -> str:
        return cmd(ev.raw_args[1] & 0xFFFFFFFF)

    def arg(ev: SyscallEvent, mem: Memory) -> str | None:
        k = ev.raw_args[1] & 0xFFFFFFFF
        v = ev.raw_args[2]
        if k in no_arg or k in getlk or k == getown_ex:
            return None
        if k == setown_ex:
            return _ptr(v) if brief else owner_ex(ev, v, mem)
        if k in setlk:
            data = mem.read(v, fsize) if v and not brief else None
            return _flock(data, arch, None, verbose) if data is not None and len(data) == fsize else _ptr(v)
        form = arg_forms.get(k)
        if form == "int":
            return str(_s32(v))
        if form == "open_flags":
            # (the F_GETFL result stays names only under -X verbose, as in strace 6.1)
            if verbose == 2:
                return _hex(v & 0xFFFFFFFF)
            return (f"{fmt.hexnum(v & 0xFFFFFFFF)} /* {open_fl(v & 0xFFFFFFFF)} */" if verbose
                    else open_fl(v & 0xFFFFFFFF))
        if form is not None:
            return flag_tables[form](v & 0xFFFFFFFF)
        if k == c.get("F_SETLEASE"):
            return lease(v)  # printxval64(lockfcmds, ...)
        if k == c.get("F_SETSIG"):
            return fmt.signame(v) if 0 < v < 65 else str(v)
        if k == c.get("F_SETOWN"):
            return _owner(decode_pid, ev, _s32(v))
        return _ptr(v) if v else "0"

    def lock_out(ev: SyscallEvent, mem: Memory) -> str | None:
        # F_GETLK and F_GETOWN_EX fill their struct in: strace shows it (with l_pid) at exit
        if ev.raw_args[1] & 0xFFFFFFFF == getown_ex:
            return owner_ex(ev, ev.raw_args[2], mem) if ev.errno is None and not brief else _ptr(ev.raw_args[2])
        if ev.raw_args[1] & 0xFFFFFFFF not in getlk:
            return None
        v = ev.raw_args[2]
        data = mem.read(v, fsize) if v and ev.errno is None and not brief else None
        if data is None or len(data) != fsize:
            return _ptr(v)
        return _flock(data, arch, lambda p: decode_pid(ev, p, "tgid"), verbose)

    def ret(ev: SyscallEvent) -> str:
        k = ev.raw_args[1] & 0xFFFFFFFF
        r = ev.retval or 0
        named = ret_forms.get(k)
        if named is not None:
            # RVAL_HEX prints with "%#lx": 0 has no 0x prefix (O_RDONLY, F_RDLCK)
            label, table = named
            if table == "open_flags":
                return f"{fmt.hexnum(r)} ({label} {open_fl(r)})"
            return f"{fmt.hexnum(r)} ({label} {flag_tables[table](r)})" if r else "0"
        if k == c.get("F_GETLEASE") and ev.errno is None:
            name = lease.get(r)  # RVAL_HEX | RVAL_STR with the lease type's name
            return f"{fmt.hexnum(r)} ({name})" if name else fmt.hexnum(r)
        if k == c.get("F_GETSIG") and ev.errno is None and r:
            return f"{r} ({fmt.signame(r)})"
        if k in ret_fd:
            return decode_fd(ev, r)
        if k == c.get("F_GETOWN") and ev.errno is None and _s32(r) > 0:
            # a group's -PGID result prints bare (RVAL_PGID of a negative value)
            return decode_pid(ev, _s32(r), "tgid")
        return str(r)

    return [fd, cmd_fn, arg], [lock_out], ret


def _futex_op_names(arch: str) -> dict[int, str]:
    """strace's xlat/futexops.in: each command, its _PRIVATE form, and FUTEX_CLOCK_REALTIME on the
    waits that take a clock (futex(2): FUTEX_WAIT, FUTEX_WAIT_BITSET, FUTEX_WAIT_REQUEUE_PI)."""
    cmds = fmt.consts(arch).get("futex_op", [])
    f = {n: v for v, n in fmt.consts(arch).get("futex_flags", [])}
    private, realtime = f.get("FUTEX_PRIVATE_FLAG", 128), f.get("FUTEX_CLOCK_REALTIME", 256)
    names = {v: n for v, n in cmds}
    for v, n in cmds:
        # FUTEX_FD has no _PRIVATE name in linux/futex.h: strace spells the flag out
        names[v | private] = "FUTEX_FD|FUTEX_PRIVATE_FLAG" if n == "FUTEX_FD" else f"{n}_PRIVATE"
    for v, n in cmds:
        if n in ("FUTEX_WAIT", "FUTEX_WAIT_BITSET", "FUTEX_WAIT_REQUEUE_PI"):
            names[v | realtime] = f"{n}|FUTEX_CLOCK_REALTIME"
            names[v | private | realtime] = f"{n}_PRIVATE|FUTEX_CLOCK_REALTIME"
    return names


# futex(2)'s commands by what follows the operation (strace's futex.c SYS_FUNC(futex)): val, the
# timeout (a struct timespec *), val2 (the timeout register as a number), uaddr2, val3 as a
# number, as FUTEX_BITSET_MATCH_ANY or the bitset's hex, as FUTEX_WAKE_OP's encoded operation.
# The decoder below and the tracer's C lines (futex_c_plans) both follow this table; a command
# not in it prints val, the timeout's address, uaddr2 and val3's hex.
_FUTEX_ARGS = {"FUTEX_WAIT": ("val", "timeout"), "FUTEX_LOCK_PI": ("timeout",), "FUTEX_LOCK_PI2": ("timeout",),
               "FUTEX_WAIT_BITSET": ("val", "timeout", "bitset"), "FUTEX_WAKE_BITSET": ("val", "bitset"),
               "FUTEX_REQUEUE": ("val", "val2", "uaddr2"), "FUTEX_CMP_REQUEUE": ("val", "val2", "uaddr2", "val3"),
               "FUTEX_CMP_REQUEUE_PI": ("val", "val2", "uaddr2", "val3"),
               "FUTEX_WAKE_OP": ("val", "val2", "uaddr2", "wake_op"),
               "FUTEX_WAIT_REQUEUE_PI": ("val", "timeout", "uaddr2"), "FUTEX_FD": ("val",), "FUTEX_WAKE": ("val",),
               "FUTEX_UNLOCK_PI": (), "FUTEX_TRYLOCK_PI": ()}
# the operation's command bits (linux/futex.h FUTEX_CMD_MASK: without FUTEX_PRIVATE_FLAG and
# FUTEX_CLOCK_REALTIME)
_FUTEX_CMD = 0x7F
# the one named bitset (linux/futex.h; strace's xlat/futexbitset.in)
_FUTEX_BITSET = ((0xFFFFFFFF, "FUTEX_BITSET_MATCH_ANY"),)


def futex_c_plans(d: Any, arch: str, name: str) -> list[Any]:
    """The tracer's C lines of futex (decode/cformat.py): a plan per command whose arguments
    the table above prints without FUTEX_WAKE_OP's encoded operation, chosen by the command's
    bits; the operation by its name (with _PRIVATE, FUTEX_CLOCK_REALTIME), one without a name,
    a bitset other than FUTEX_BITSET_MATCH_ANY, and a timeout that cannot be read are Python's."""
    from syscope.decode import cformat as c

    op = c.COp(c.XLAT, 1, mask=c.INT, tables=((tuple(_futex_op_names(arch).items()), None),))
    ops = {"val": c.COp(c.U32, 2, mask=c.INT), "val2": c.COp(c.U32, 3, mask=c.INT), "uaddr2": c.COp(c.PTR, 4),
           "val3": c.COp(c.U32, 5, mask=c.INT), "timeout": c.COp(c.TIMESPEC, 3),
           "bitset": c.COp(c.XLAT, 5, mask=c.INT, tables=((_FUTEX_BITSET, None),))}
    plans = []
    for cmd, cmd_name in fmt.consts(arch).get("futex_op", []):
        fields = _FUTEX_ARGS.get(cmd_name)
        if fields is None or any(f not in ops for f in fields):
            continue
        plans.append(c.CPlan(name, (c.COp(c.PTR, 0), op, *(ops[f] for f in fields)), c.RET_D,
                             (1, _FUTEX_CMD, cmd)))
    return plans


def futex_args(arch: str, ts64: bool = True, style: int = 0, brief: bool = False) -> list[Fn]:
    """futex(2) as strace's src/futex.c: which of val, timeout, val2, uaddr2 and val3 print, and
    how, follows the command.  ts64: the timeout is a 64-bit struct timespec (all but i386's
    plain futex); style: the -X style; brief (verbose off): the timeout as its address
    (print_timespec's umove_or_printaddr)."""
    ts = struct.Struct("<qQ" if ts64 else "<iI")  # tv_nsec printed zero-extended, as strace
    names = _futex_op_names(arch)
    o = {n: v for v, n in fmt.consts(arch).get("futex_op", [])}
    wake_ops = fmt.enum(arch, "futex_wake_ops")
    wake_cmps = fmt.enum(arch, "futex_wake_cmps")
    oparg_shift = 8  # FUTEX_OP_OPARG_SHIFT (linux/futex.h)

    def op(ev: SyscallEvent, mem: Memory) -> str:
        v = ev.raw_args[1] & 0xFFFFFFFF
        name = names.get(v)
        if style == 2:
            return _hex(v)
        if name is None:
            return f"{_hex(v)} /* FUTEX_??? */"
        return f"{_hex(v)} /* {name} */" if style == 1 else name

    def timeout(ev: SyscallEvent, mem: Memory) -> str:
        addr = ev.raw_args[3]
        data = mem.read(addr, ts.size) if addr and not brief else None
        if data is None or len(data) < ts.size:
            return _ptr(addr)
        sec, nsec = ts.unpack(data)
        return f"{{tv_sec={sec}, tv_nsec={nsec}}}"

    def bitset(v: int) -> str:
        # printxval(futexbitset, val3, NULL): FUTEX_BITSET_MATCH_ANY, else the number
        name = dict(_FUTEX_BITSET).get(v)
        if name is not None and style != 2:
            return f"{_hex(v)} /* {name} */" if style == 1 else name
        return _hex(v)

    def wake_op(v: int) -> str:
        # the encoded operation of FUTEX_WAKE_OP: op<<28|oparg<<12|cmp<<24|cmparg
        parts = []
        if (v >> 28) & oparg_shift:
            parts.append("FUTEX_OP_OPARG_SHIFT<<28")
        name = wake_ops.get((v >> 28) & 0x7)
        parts.append(f"{name}<<28" if name else f"{_hex((v >> 28) & 0x7)}<<28 /* FUTEX_OP_??? */")
        parts.append(f"{_hex((v >> 12) & 0xFFF)}<<12")
        name = wake_cmps.get((v >> 24) & 0xF)
        parts.append(f"{name}<<24" if name else f"{_hex((v >> 24) & 0xF)}<<24 /* FUTEX_OP_CMP_??? */")
        parts.append(_hex(v & 0xFFF))
        return "|".join(parts)

    layouts = {o[n]: fields for n, fields in _FUTEX_ARGS.items() if n in o}

    def rest(ev: SyscallEvent, mem: Memory) -> str | None:
        val, val2, val3 = (ev.raw_args[k] & 0xFFFFFFFF for k in (2, 3, 5))
        fields = layouts.get(ev.raw_args[1] & _FUTEX_CMD)
        if fields is None:
            return f"{val}, {_ptr(ev.raw_args[3])}, {_ptr(ev.raw_args[4])}, {_hex(val3)}"
        if not fields:
            return None
        out = []
        for f in fields:
            if f == "timeout":
                out.append(timeout(ev, mem))
            elif f == "uaddr2":
                out.append(_ptr(ev.raw_args[4]))
            elif f == "bitset":
                out.append(bitset(val3))
            elif f == "wake_op":
                out.append(wake_op(val3))
            else:
                out.append(str(val if f == "val" else val2 if f == "val2" else val3))
        return ", ".join(out)

    return [lambda ev, mem: _ptr(ev.raw_args[0]), op, rest]
