"""The generic decoder: turns a signature row (sigs.py) into a per-syscall plan once, then runs
the plan on each stop.  A plan is two lists of small closures (entry half, exit half) plus a
return formatter, so the hot path is a dict hit and a few calls.  What each argument kind prints
(and its structured value) lives in the registry (registry.py), filled by kinds/*.py.
"""

from __future__ import annotations

import struct

from syscope.decode import fmt, registry, widths
from syscope.decode.base import DecoderBase
from syscope.decode.fmt import ptr as _ptr
from syscope.decode.fmt import s32 as _s32
from syscope.decode.fmt import wait_status
from syscope.decode.options import DecodeOptions
from syscope.decode.registry import ArgFn, Memory, RetFn, read_struct
from syscope.decode.sigs import SIGS, SIGS_ARCH
from syscope.events import ArgRecipe, ArgSpec, SyscallEvent
from syscope.lean import import_module
from syscope.syscalls import roles
from syscope.syscalls.roles import SOCKETCALLS

__all__ = ["Decoder", "Memory", "dumpstr", "hexdump", "wait_status"]

_read_struct = read_struct
_WORD = {"i386": 4}

# socketcall(2) call numbers (linux/net.h SYS_*) -> (call, number of arguments in the array)
_SOCKETCALL = SOCKETCALLS
# ... and ipc(2)'s (linux/ipc.h SEMOP ... SHMCTL, decode/ipccall.py)
_MULTIPLEXED = frozenset({"socketcall", "ipc"})
# signatures that are one whole-call decoder (more.py, kinds/process.py), not one kind per argument
_WHOLE_CALL = frozenset({"clone", "fcntl", "prctl", "arch_prctl", "ptrace", "futex"})
# the whole-call decoders that build their own plan: (decoder, arch) -> (entry, exit, return),
# by module and function: imported when such a call is first seen, as the kinds are (registry)
_WHOLE_CALL_PLANS = {"prctl": ("prctl", "prctl_plan"), "arch_prctl": ("prctl", "arch_prctl_plan"),
                     "ptrace": ("ptrace", "ptrace_plan")}
# i386 calls taking a 64-bit time (arch/x86/entry/syscalls/syscall_32.tbl) -> the call they mirror
_TIME64 = {"clock_gettime64": "clock_gettime", "clock_settime64": "clock_settime",
           "clock_getres_time64": "clock_getres", "clock_nanosleep_time64": "clock_nanosleep",
           "timer_gettime64": "timer_gettime", "timer_settime64": "timer_settime",
           "timerfd_gettime64": "timerfd_gettime", "timerfd_settime64": "timerfd_settime",
           "utimensat_time64": "utimensat", "pselect6_time64": "pselect6", "ppoll_time64": "ppoll",
           "recvmmsg_time64": "recvmmsg", "rt_sigtimedwait_time64": "rt_sigtimedwait", "futex_time64": "futex",
           "sched_rr_get_interval_time64": "sched_rr_get_interval", "clock_adjtime64": "clock_adjtime",
           "io_pgetevents_time64": "io_pgetevents"}


class Plan:
    __slots__ = ("entry", "exit", "ret", "lenarg", "lenoff", "offarg", "spec")

    def __init__(self, entry: list[ArgFn], exit_: list[ArgFn], ret: RetFn, lenarg: int = -1,
                 lenoff: int = 0, offarg: int = -1, spec: ArgRecipe | tuple[ArgSpec, ...] = ()) -> None:
        self.entry = entry
        self.exit = exit_
        self.ret = ret
        # a value-result length read at entry: the int at raw_args[lenarg] + lenoff (a socklen_t *,
        # or msg_namelen inside recvmsg's struct msghdr)
        self.lenarg = lenarg
        self.lenoff = lenoff
        # a loff_t * the call updates (sendfile(2)): its value before the call, read at entry
        self.offarg = offarg
        # how each argument's structured value is found (events.ArgSpec), by register index
        self.spec = spec


class Decoder(DecoderBase):
    """Decodes syscall arguments and return values as strace 6.1 prints them, and keeps the
    decoded values for ``SyscallEvent.structured_args``."""

    def __init__(self, options: DecodeOptions | None = None) -> None:
        super().__init__(options)
        self._plans: dict[str, dict[str, Plan]] = {}
        # socketcall: the event being decoded and its shadow with the real arguments, by thread
        self._subcalls: dict[int, tuple[SyscallEvent, SyscallEvent]] = {}
        # the shadows of ipc(2) calls in flight: whether semctl's union came through a pointer
        self._ipc: dict[int, bool] = {}
        # -e read=/write= given: decided once, not on every exit (an Excluding set is truthy)
        self._dumping = bool(self.opts.read_fds or self.opts.write_fds)

    # -- public API (CONTRIBUTING "Decoding") ---------------------------------------------
    def decode_entry(self, ev: SyscallEvent, mem: Memory) -> None:
        if ev.name in _MULTIPLEXED and (self._demux_entry(ev, mem) is not None or ev.name == "socketcall"):
            return
        try:  # _plan, inline: twice a call
            plan = self._plans[ev.arch][ev.name]
        except KeyError:
            plan = self._plan(ev)
        if plan.lenarg >= 0:
            addr = ev.raw_args[plan.lenarg]
            got = _read_struct(mem, addr + plan.lenoff, "<i") if addr else None
            if got is not None:
                self.inlen[mem.tid] = got[0]
            else:  # not a value left by an earlier call of this thread
                self.inlen.pop(mem.tid, None)
        if plan.offarg >= 0:
            got = _read_struct(mem, ev.raw_args[plan.offarg], "<q")
            if got is not None:
                self.inoff[mem.tid] = got[0]
        ev.arg_spec = plan.spec
        args = ev.args = []
        for fn in plan.entry:
            s = fn(ev, mem)
            if s is not None:
                args.append(s)
        ev.n_entry_args = len(args)

    def exit_args_follow(self, ev: SyscallEvent) -> bool:
        """Does the call print arguments at exit too?  strace then ends an interrupted entry
        half with ", " (``read(3,  <unfinished ...>``)."""
        return bool(self._plan(ev).exit)

    def exit_reads(self, ev: SyscallEvent) -> bool:
        """Does the exit half read memory: arguments printed at exit, or a result that does
        (registry.RETURNS_READ: poll's revents)?"""
        if self._plan(ev).exit:
            return True
        row = SIGS_ARCH.get(ev.arch, {}).get(ev.name) or SIGS.get(ev.name)
        return row is not None and registry.return_reads(row[1])

    def decode_exit(self, ev: SyscallEvent, mem: Memory) -> None:
        if self._subcalls or ev.name in _MULTIPLEXED:  # (an empty dict costs nothing on the hot path)
            sub = self._subcalls.pop(mem.tid, None)
            if sub is not None and sub[0] is ev:
                self._demux_exit(ev, mem, sub[1])
                return
            if ev.name in _MULTIPLEXED:
                shadow = self._demux_entry(ev, mem)  # entry not seen (attached mid-call)
                self._subcalls.pop(mem.tid, None)
                if shadow is not None or ev.name == "socketcall":
                    self._demux_exit(ev, mem, shadow)
                    return
                # an ipc(2) operation without a call of its own: decoded as the plain call
        try:
            plan = self._plans[ev.arch][ev.name]
        except KeyError:
            plan = self._plan(ev)
        if ev.n_entry_args != len(ev.args) or (not ev.args and plan.entry):
            # entry was not seen (attached mid-call): decode the entry half now
            self.decode_entry(ev, mem)
        args = ev.args
        self.mem_box[0] = mem
        for fn in plan.exit:
            s = fn(ev, mem)
            if s is not None:
                args.append(s)
        if ev.retval is None:
            ev.ret_text = "?"
        elif ev.errno is not None:
            ev.ret_text = fmt.errno_text(ev.errno, ev.name in self.opts.raw)
        else:
            ev.ret_text = plan.ret(ev)
        if self._dumping and ev.retval is not None:
            self._dumps(ev, mem)

    # -- multiplexed calls -----------------------------------------------------------------
    def _demux_entry(self, ev: SyscallEvent, mem: Memory) -> SyscallEvent | None:
        """i386 socketcall(call, args): strace shows the socket call it stands for, its
        arguments read from the array (net/socket.c, linux/net.h SYS_*).  The event is renamed;
        raw_args keep the registers, a shadow event with the real arguments is decoded.  ipc(2)
        likewise, its registers in the direct call's order (ipccall.py); an operation it does
        not know stays a plain ipc() (None)."""
        if ev.name == "ipc":
            return self._ipc_entry(ev, mem)
        call = ev.raw_args[0] & 0xFFFFFFFF
        sub = _SOCKETCALL.get(call)
        word = _WORD.get(ev.arch, 8)
        data = mem.read(ev.raw_args[1], sub[1] * word) if sub is not None and ev.raw_args[1] else None
        if sub is None or data is None or len(data) < sub[1] * word:
            # unknown call or unreadable array: the plain socketcall(call, args)
            ev.args = [str(call), _ptr(ev.raw_args[1])]
            ev.n_entry_args = 2
            ev.arg_spec = _arg_spec(ev.arch, ev.name, ())
            return None
        args = struct.unpack(f"<{sub[1]}{'I' if word == 4 else 'Q'}", data) + (0,) * (6 - sub[1])
        shadow = ev.replace(name=sub[0], raw_args=args, args=[], extra=[])
        self.decode_entry(shadow, mem)
        ev.name = sub[0]
        ev.args = list(shadow.args)
        ev.n_entry_args = shadow.n_entry_args
        self._subcalls[mem.tid] = (ev, shadow)
        return shadow

    def _ipc_entry(self, ev: SyscallEvent, mem: Memory) -> SyscallEvent | None:
        from syscope.decode import ipccall  # once an ipc(2) is seen: only i386 has it

        word = _WORD.get(ev.arch, 8)
        sub = ipccall.subcall(ev.raw_args, mem, word)
        if sub is None:
            return None
        name, args, indirect = sub
        shadow = ev.replace(name=name, raw_args=args, args=[], extra=[])
        self.decode_entry(shadow, mem)
        ev.name = name
        ev.args = list(shadow.args)
        ev.n_entry_args = shadow.n_entry_args
        self._subcalls[mem.tid] = (ev, shadow)
        self._ipc[id(shadow)] = indirect
        return shadow

    def _demux_exit(self, ev: SyscallEvent, mem: Memory, shadow: SyscallEvent | None) -> None:
        if shadow is None:  # a socketcall strace leaves plain
            ev.ret_text = "?" if ev.retval is None else fmt.errno_text(ev.errno) if ev.errno else str(ev.retval)
            return
        shadow.retval, shadow.errno = ev.retval, ev.errno
        indirect = self._ipc.pop(id(shadow), None)
        if indirect is not None:
            from syscope.decode import ipccall
        if indirect is not None and shadow.name == "shmat" and ev.errno is None and ev.retval is not None:
            # the attach address the kernel stored for ipc(SHMAT) is the result strace prints
            # (kept as ipc's 0 when it cannot be read: a source that did not copy it)
            raddr = ipccall.shmat_result(ev.raw_args, mem, _WORD.get(ev.arch, 8))
            if raddr is not None:
                shadow.retval = raddr
        self.decode_exit(shadow, mem)
        if indirect and len(shadow.args) > 3:
            shadow.args[3] = ipccall.indirect_text(shadow.args[3])
        elif indirect is not None and shadow.name == "msgrcv" and ev.errno is not None:
            shadow.args = ipccall.failed_msgrcv_args(shadow.args, ev.raw_args)
        ev.args = list(shadow.args)
        ev.ret_text = shadow.ret_text
        ev.extra.extend(shadow.extra)
        # the call's own arguments (read from the array), not socketcall's two registers
        ev.set_structured_args(shadow.structured_args)

    # -- plans ---------------------------------------------------------------------------
    def _plan(self, ev: SyscallEvent) -> Plan:
        try:
            return self._plans[ev.arch][ev.name]
        except KeyError:
            plan = self._plans.setdefault(ev.arch, {})[ev.name] = self._build(ev.arch, ev.name)
            return plan

    def _build(self, arch: str, name: str) -> Plan:
        if name in self.opts.no_verbose and not self.brief:
            # -e verbose=!call: strace's verbose(tcp) is false for the whole call; whole-call
            # plans and return kinds read self.brief while this plan is built
            self.brief = True
            try:
                return self._build(arch, name)
            finally:
                self.brief = False
        if name in self.opts.no_abbrev and self.abbrev:
            # -e abbrev=!SET: these calls print whole, as under -v; built once, so no per-call cost
            whole = self.opts._replace(verbose=True, no_abbrev=frozenset())
            sub = Decoder(whole)
            sub.inlen = self.inlen
            sub.inoff = self.inoff
            sub.kept = self.kept
            sub.mem_box = self.mem_box
            return sub._build(arch, name)
        row = SIGS_ARCH.get(arch, {}).get(name) or SIGS.get(name)
        if row is None and arch == "i386" and name in _TIME64:
            # the 64-bit-time versions of i386 calls print as the plain ones, with a 64-bit
            # struct __kernel_timespec (linux/time_types.h)
            self.time64 = True
            try:
                plan = self._build(arch, _TIME64[name])
            finally:
                self.time64 = False
            plan.spec = ArgRecipe(_arg_spec, arch, name, SIGS.get(_TIME64[name], ((), ""))[0])
            return plan
        if row is None and arch == "i386" and name.endswith("32"):
            # chown32, getuid32 ...: the 32-bit-id versions of the i386 calls print the same
            row = SIGS.get(name[:-2])
        if row is None and name not in self.opts.raw:
            # a call without a signature: one from the kernel's declared types (widths.py)
            typed = widths.from_types(arch, name)
            row = (typed, "d") if typed is not None else None
        if row is None or name in self.opts.raw:
            # strace printargs(): every argument and, when raw, the result in hex
            # as many as the syscall table's entry has (strace's n_args: rt_sigreturn() none,
            # preadv five), the signature's count where the table does not know them
            known = _table_nargs(arch, name)
            if row is None or row[0] and row[0][0] in _WHOLE_CALL:
                n = _nargs(arch, name)
            else:
                n = known if known is not None else len(row[0])
            fns: list[ArgFn] = [self.kind("x", i, arch) for i in range(n)]
            return Plan(fns, [], self.ret("d" if row is None else "x", arch), spec=ArgRecipe(_arg_spec, arch, name, ()))
        kinds_, ret = row
        if not (kinds_ and kinds_[0] in _WHOLE_CALL):
            # each scalar argument at its kernel type's width and signedness (widths.py)
            kinds_ = widths.narrow(arch, name, kinds_, _WORD.get(arch, 8))
        # made when structured_args first asks: a trace's text never does (events.ArgRecipe)
        spec = ArgRecipe(_arg_spec, arch, name, kinds_)
        if self.brief:
            # strace's umove_or_printaddr(): with verbose off, memory other than strings and data
            # buffers is not read, its address is printed (an array's NULL or [] still print)
            kinds_ = tuple(k if k in _WHOLE_CALL else registry.brief_kind(k) for k in kinds_)
        if kinds_ == ("clone",):
            from syscope.decode.kinds.process import clone_plan

            entry, exit_ = clone_plan(self, arch)
            return Plan(entry, exit_, self.ret(ret, arch), spec=spec)
        if kinds_ == ("fcntl",):
            from syscope.decode import more  # socket addresses, fcntl, futex: imported when first needed

            fns, exit_fns, fret = more.fcntl_args(arch, self.fd_or_num, self.xs, self.pid, self.brief)
            return Plan(fns, exit_fns, fret, spec=spec)
        if kinds_[:1] and kinds_[0] in _WHOLE_CALL_PLANS:
            module, function = _WHOLE_CALL_PLANS[kinds_[0]]
            build = getattr(import_module(f"syscope.decode.kinds.{module}"), function)
            entry, exit_, pret = build(self, arch)
            return Plan(entry, exit_, pret, spec=spec)
        if kinds_ == ("futex",):
            from syscope.decode import more

            return Plan(more.futex_args(arch, self.timespec(arch).size == 16, self.xs, self.brief), [],
                        self.ret(ret, arch),
                        spec=spec)
        entry, exit_ = [], []
        out = False
        for i, k in enumerate(kinds_):
            if k.startswith(">"):
                out = True
                fn = self.out(k[1:], i, arch)
                ks = registry.spec(k)
                if ks is not None and ks.entry is not None:
                    entry.append(ks.entry(self, i, arch, k[1:]))
            else:
                fn = self.kind(k, i, arch)
                if out and registry.is_kept(k):
                    keep, fn = self._kept(fn, i)
                    entry.append(keep)
            (exit_ if out else entry).append(fn)
        # the value-result int read at entry: a socklen_t *, get_thread_area's entry_number
        lenarg = next((k for k, w in enumerate(kinds_) if w in (">socklen", ">user_desc_get")), -1)
        if ">loffp_inout" in kinds_:
            return Plan(entry, exit_, self.ret(ret, arch), lenarg, 0, kinds_.index(">loffp_inout"), spec)
        if ">rmsghdr" in kinds_:
            # recvmsg(2): msg_namelen (after the msg_name pointer) is value-result
            return Plan(entry, exit_, self.ret(ret, arch), kinds_.index(">rmsghdr"), _WORD.get(arch, 8), spec=spec)
        return Plan(entry, exit_, self.ret(ret, arch), lenarg, spec=spec)

    def _kept(self, fn: ArgFn, i: int) -> tuple[ArgFn, ArgFn]:
        """An input printed at exit but read at entry (registry ``kept``): the entry half
        keeps its text by thread (printing nothing), the exit half prints it."""
        texts = self.kept

        def keep(ev: SyscallEvent, mem: Memory) -> None:
            texts[mem.tid, i] = fn(ev, mem)

        def kept(ev: SyscallEvent, mem: Memory) -> str | None:
            text = texts.pop((mem.tid, i), None)
            return text if text is not None else fn(ev, mem)
        return keep, kept

    # -- -e read=/write= -------------------------------------------------------------------
    def _dumps(self, ev: SyscallEvent, mem: Memory) -> None:
        # the calls that move an fd's data and their buffer's layout (strace's dumpio()): the
        # I/O class of syscope.syscalls.roles; the buffer is the argument after the fd
        kind = roles.DATA_ARGS.get(ev.name)  # roles' views are made when first asked for
        if kind is None:
            return
        fd = _s32(ev.raw_args[0]) if ev.raw_args else -1
        reading = ev.name in roles.IO_READ
        if fd not in (self.opts.read_fds if reading else self.opts.write_fds):
            return
        # strace's dumpio dumps what a write was given, failed or not, and what a read
        # returned, only when it succeeded (src/syscall.c)
        if reading and ev.errno is not None:
            return
        moved = (ev.retval or 0) if reading else _WRITE_ALL
        if kind == "data":
            # a read: as many bytes as its result says; a write: the length it was given
            # (dumpstr(u_arg[1], u_arg[2]); mq_timedsend returns 0, not a count)
            n = moved if reading else min(ev.raw_args[2], _WRITE_ALL)
            ev.extra.extend(dumpstr(mem, ev.raw_args[1], n))
            return
        word = _WORD.get(ev.arch, 8)
        if kind == "iov":
            self._dump_iov(ev, mem, ev.raw_args[1], ev.raw_args[2], moved, word)
        elif kind == "msg":
            hdr = self._msg_iov(mem, ev.raw_args[1], word)
            if hdr is not None:
                self._dump_iov(ev, mem, hdr[0], hdr[1], moved, word)
        else:
            # sendmmsg/recvmmsg: each message's buffers, as much as its msg_len says
            hsize, size = (56, 64) if word == 8 else (28, 32)
            for k in range(ev.retval or 0):
                addr = ev.raw_args[1] + k * size
                hdr = self._msg_iov(mem, addr, word)
                raw = mem.read(addr + hsize, 4)
                if hdr is None or raw is None or len(raw) < 4:
                    return
                ev.extra.append(f" = {hdr[1]} buffers in vector {k}")
                self._dump_iov(ev, mem, hdr[0], hdr[1], struct.unpack("<I", raw)[0], word)

    @staticmethod
    def _msg_iov(mem: Memory, addr: int, word: int) -> tuple[int, int] | None:
        """(msg_iov, msg_iovlen) of a struct msghdr."""
        got = _read_struct(mem, addr, "<16xQQ" if word == 8 else "<8xII")
        return None if got is None else (got[0], got[1])

    def _dump_iov(self, ev: SyscallEvent, mem: Memory, addr: int, count: int, total: int, word: int) -> None:
        """strace's dumpiov: `` * N bytes in buffer K`` and the hex dump of the bytes the call
        moved, buffer by buffer."""
        count = min(count, 1024)  # UIO_MAXIOV
        size = 2 * word
        raw = mem.read(addr, size * count) if addr and count else None
        if raw is None or len(raw) < size * count:
            return
        code = "<QQ" if word == 8 else "<II"
        for k in range(count):
            if total <= 0:
                break
            base, ln = struct.unpack_from(code, raw, k * size)
            n = min(ln, total)
            total -= n
            ev.extra.append(f" * {n} bytes in buffer {k}")
            ev.extra.extend(dumpstr(mem, base, n))




# a write's buffers are dumped whole (strace's dumpiov_upto(..., -1)); bounded so that a wild
# length does not make the tracer read gigabytes
_WRITE_ALL = 1 << 24


_PRINTABLE = bytes(c if 0x20 <= c < 0x7F else 0x2E for c in range(256))


def hexdump(data: bytes, offset: int = 0, width: int = 5) -> list[str]:
    """strace's -e read=/write= dump lines (src/util.c dumpstr) of `data`, found `offset` bytes
    into the buffer, the offset printed in `width` hex digits."""
    lines = []
    full = len(data) - len(data) % 16
    # whole 16-byte lines from one hex string and one translated copy: a megabyte dump is
    # 65536 lines (strace's read-write test dumps several)
    hx, asc = data[:full].hex(" "), data[:full].translate(_PRINTABLE).decode("ascii")
    for k, off in enumerate(range(0, full, 16)):
        h = hx[48 * k: 48 * k + 47]
        lines.append(f" | {offset + off:0{width}x}  {h[:23]}  {h[24:]}  {asc[off:off + 16]} |")
    for off in range(full, len(data), 16):
        chunk = data[off: off + 16]
        hexpart = ""
        for j in range(16):
            hexpart += f"{chunk[j]:02x} " if j < len(chunk) else "   "
            if j == 7:
                hexpart += " "
        asc = "".join(chr(c) if 0x20 <= c < 0x7F else "." for c in chunk)
        lines.append(f" | {offset + off:0{width}x}  {hexpart} {asc:<16s} |")
    return lines


# strace's dumpstr reads the tracee's buffer in pieces of this size (DUMPSTR_BUF_MAXSZ)
_DUMP_CHUNK = 1 << 16


def dump_offset_width(length: int) -> int:
    """Hex digits of a dump's offset column: five, or as many as the last offset of a buffer
    over 1 MiB needs (dumpstr's offs_chars: ``1 + ilog2(len - 1) / 4``)."""
    return 5 if length <= 1 << 20 else 1 + ((length - 1).bit_length() - 1) // 4


def dumpstr(mem: Memory, addr: int, length: int) -> list[str]:
    """The dump of `length` bytes at `addr` as strace's dumpstr prints it: read 64 KiB at a time;
    nothing when the first piece faults, a ``<Cannot fetch N bytes ...>`` line (and no more) when
    a later one does."""
    if length <= 0:
        return []
    width = dump_offset_width(length)
    lines: list[str] = []
    for start in range(0, length, _DUMP_CHUNK):
        size = min(length - start, _DUMP_CHUNK)
        data = mem.read(addr + start, size)
        if data is None or len(data) < size:
            if start:
                plural = "" if size == 1 else "s"
                lines.append(f" | <Cannot fetch {size} byte{plural} from pid {mem.tid} @{addr + start:#x}>")
            break
        lines.extend(hexdump(data, start, width))
    return lines


def _arg_spec(arch: str, name: str, kinds_: tuple[str, ...]) -> tuple[ArgSpec, ...]:
    """How each register of the call becomes a structured argument: the kernel's parameter
    name (syscope.syscalls) and what its kind declares (a value from the register, or the
    value it stores from memory)."""
    names = _arg_names(arch, name)
    n = max(len(names), 0 if kinds_ and kinds_[0] in _WHOLE_CALL else len(kinds_))
    out = []
    for i in range(n):
        nm = names[i] if i < len(names) else f"arg{i}"
        k = kinds_[i] if i < len(kinds_) and kinds_[0] not in _WHOLE_CALL else "u"
        spec = registry.spec(k)
        if spec is None:
            out.append(ArgSpec(nm))
        elif spec.value is not None:
            out.append(ArgSpec(nm, spec.value(arch, i, k)))
        else:
            out.append(ArgSpec(nm, None, spec.stores))
    return tuple(out)


def _arg_names(arch: str, name: str) -> tuple[str, ...]:
    try:
        from syscope.syscalls import table

        info = table(arch).by_name(name)
    except Exception:  # noqa: BLE001 - the tables land separately; unknown arch or missing file
        return ()
    return tuple(info.arg_names) if info is not None else ()


def _table_nargs(arch: str, name: str) -> int | None:
    """The argument count of the syscall table's entry when it names them all (the generated
    tables say 6 for a call whose parameters the kernel does not describe)."""
    from syscope.syscalls import table

    info = table(arch).by_name(name)
    return info.nargs if info is not None and len(info.arg_names) == info.nargs else None


def _nargs(arch: str, name: str) -> int:
    try:
        from syscope.syscalls import table
    except ImportError:
        return 6
    try:
        info = table(arch).by_name(name)
    except Exception:  # the tables land separately; unknown arch or missing file
        return 6
    return info.nargs if info is not None else 6

