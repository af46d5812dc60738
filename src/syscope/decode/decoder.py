"""The generic decoder: turns a signature row (sigs.py) into a per-syscall plan once, then runs
the plan on each stop.  A plan is two lists of small closures (entry half, exit half) plus a
return formatter, so the hot path is a dict hit and a few calls.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import stat
import struct
from collections.abc import Callable
from typing import Any, Protocol

from syscope.decode import fmt, more, msg, sockets, structs
from syscope.decode.fmt import hexnum as _hex
from syscope.decode.fmt import ptr as _ptr
from syscope.decode.fmt import s32 as _s32
from syscope.decode.options import DecodeOptions
from syscope.decode.siginfo import format_siginfo
from syscope.decode.sigs import SIGS, SIGS_ARCH
from syscope.events import SyscallEvent


class Memory(Protocol):
    tid: int

    def read(self, addr: int, size: int) -> bytes | None: ...

    def read_cstr(self, addr: int, limit: int) -> tuple[bytes, bool] | None: ...


ArgFn = Callable[[SyscallEvent, Memory], "str | None"]
RetFn = Callable[[SyscallEvent], str]

PATH_MAX = 4096
AT_FDCWD = -100
_WORD = {"i386": 4}


# socketcall(2) call numbers (linux/net.h SYS_*) -> (call, number of arguments in the array)
_SOCKETCALL = {1: ("socket", 3), 2: ("bind", 3), 3: ("connect", 3), 4: ("listen", 2), 5: ("accept", 3),
               6: ("getsockname", 3), 7: ("getpeername", 3), 8: ("socketpair", 4), 9: ("send", 4),
               10: ("recv", 4), 11: ("sendto", 6), 12: ("recvfrom", 6), 13: ("shutdown", 2),
               14: ("setsockopt", 5), 15: ("getsockopt", 5), 16: ("sendmsg", 3), 17: ("recvmsg", 3),
               18: ("accept4", 4), 19: ("recvmmsg", 5), 20: ("sendmmsg", 4)}
_MULTIPLEXED = frozenset({"socketcall"})
# argument kinds that print a register or a string/buffer, not a structure (-e verbose=)
_SCALAR_KINDS = frozenset({
    "d", "ld", "u", "x", "p", "o", "fd", "dirfd", "path", "str", "sig", "rbuf", "rstr", "cwd", "open_flags",
    "open_mode", "access", "socktype", "sockproto", "sockopt_name", "ioctl_req", "mmap_flags", "u32", "skip",
    "pgoff", "off64", "llseek_off", "mremap_new", "statx_flags", "mknod_mode", "mknod_dev", "clone", "fcntl",
    "kcmp_idx", "prctl", "futex", "sigreturn", "persona"})


def _scalar_kind(kind: str) -> bool:
    k = kind.lstrip(">")
    return k in _SCALAR_KINDS or k.startswith(("F:", "E:", "Ei:", "buf:"))
# -e read=/write= dumps of calls that move data through iovecs: name -> (reads?, layout)
_VECTOR_IO = {"readv": (True, "iov"), "preadv": (True, "iov"), "preadv2": (True, "iov"),
              "writev": (False, "iov"), "pwritev": (False, "iov"), "pwritev2": (False, "iov"),
              "recvmsg": (True, "msg"), "sendmsg": (False, "msg"),
              "recvmmsg": (True, "mmsg"), "sendmmsg": (False, "mmsg"), "recvmmsg_time64": (True, "mmsg")}
# i386 calls taking a 64-bit time (arch/x86/entry/syscalls/syscall_32.tbl) -> the call they mirror
_TIME64 = {"clock_gettime64": "clock_gettime", "clock_settime64": "clock_settime",
           "clock_getres_time64": "clock_getres", "clock_nanosleep_time64": "clock_nanosleep",
           "timer_gettime64": "timer_gettime", "timer_settime64": "timer_settime",
           "timerfd_gettime64": "timerfd_gettime", "timerfd_settime64": "timerfd_settime",
           "utimensat_time64": "utimensat", "pselect6_time64": "pselect6", "ppoll_time64": "ppoll",
           "recvmmsg_time64": "recvmmsg", "rt_sigtimedwait_time64": "rt_sigtimedwait", "futex_time64": "futex",
           "sched_rr_get_interval_time64": "sched_rr_get_interval", "clock_adjtime64": "clock_adjtime"}


def _ioc(v: int) -> str:
    # asm-generic/ioctl.h: dir(2) size(14) type(8) nr(8); strace prints unknown requests this way
    d, size, typ, nr = v >> 30, (v >> 16) & 0x3FFF, (v >> 8) & 0xFF, v & 0xFF
    dirs = {0: "_IOC_NONE", 1: "_IOC_WRITE", 2: "_IOC_READ", 3: "_IOC_READ|_IOC_WRITE"}
    return f"_IOC({dirs[d]}, {_hex(typ)}, {_hex(nr)}, {_hex(size)})"


def _oct(v: int) -> str:
    # strace prints modes as "%#03o": 0644, 022, 000
    return f"0{v:02o}" if v else "000"


# d_type values (dirent.h DT_*), as strace names them
_DT = {0: "DT_UNKNOWN", 1: "DT_FIFO", 2: "DT_CHR", 4: "DT_DIR", 6: "DT_BLK", 8: "DT_REG",
       10: "DT_LNK", 12: "DT_SOCK", 14: "DT_WHT"}


def _rlim(v: int, inf: str = "RLIM64_INFINITY") -> str:
    # strace resource.c sprint_rlim64: infinity by name, multiples of 1024 as N*1024
    if v == 0xFFFFFFFFFFFFFFFF or (inf == "RLIM_INFINITY" and v == 0xFFFFFFFF):
        return inf
    if v > 1024 and v % 1024 == 0:
        return f"{v // 1024}*1024"
    return str(v)


def _makedev(dev: int) -> str:
    # the kernel's new_encode_dev() split (include/linux/kdev_t.h), as glibc's major()/minor()
    major = ((dev >> 8) & 0xFFF) | ((dev >> 32) & 0xFFFFF000)
    minor = (dev & 0xFF) | ((dev >> 12) & 0xFFFFFF00)
    return f"makedev({_hex(major)}, {_hex(minor)})"


def _isotime(sec: int, nsec: int) -> str:
    import time
    if not sec and not nsec:
        return ""  # strace prints no date for a zero (unset) timestamp
    try:
        t = time.localtime(sec)
    except (OverflowError, OSError, ValueError):
        return ""  # not a representable date: the number alone, as strace does
    off = time.strftime("%z", t)
    frac = f".{nsec:09d}" if nsec else ""  # strace omits a zero fraction
    return time.strftime("%Y-%m-%dT%H:%M:%S", t) + frac + off


def _persona(arch: str, v: int) -> str | None:
    """personality(2) value: the persona (low byte) and the flag bits, ``PER_LINUX|ADDR_NO_RANDOMIZE``;
    None when the persona has no name."""
    name = fmt.enum(arch, "personality").get(v & 0xFF)
    if name is None:
        return None
    flags = fmt.flags(arch, "personality_flags")(v & ~0xFF, "")
    return f"{name}|{flags}" if flags else name


def _ioprio(arch: str, v: int) -> str:
    """An I/O priority as the kernel's IOPRIO_PRIO_VALUE(class, data) (linux/ioprio.h: the class
    in the bits above 13)."""
    cls = fmt.enum(arch, "ioprio_class")
    return f"IOPRIO_PRIO_VALUE({cls(v >> 13)}, {v & 0x1FFF})"


def _user_desc(mem: Memory, addr: int) -> str:
    """struct user_desc (asm/ldt.h): three u32 then bitfields; i386's TLS descriptor
    (set_thread_area(2), and the tls of clone/clone3 there)."""
    fields = _read_struct(mem, addr, "<iIII")
    if fields is None:
        return _ptr(addr)
    num, base, limit, bits = fields
    return (f"{{entry_number={num}, base_addr={base:#010x}, limit={limit:#08x}, "
            f"seg_32bit={bits & 1}, contents={(bits >> 1) & 3}, "
            f"read_exec_only={(bits >> 3) & 1}, limit_in_pages={(bits >> 4) & 1}, "
            f"seg_not_present={(bits >> 5) & 1}, useable={(bits >> 6) & 1}}}")


@functools.cache
def _compiled(code: str) -> struct.Struct:
    return struct.Struct(code)


def _read_struct(mem: Memory, addr: int, code: str | struct.Struct) -> tuple[Any, ...] | None:
    """A struct of ``code`` (struct module layout, or a compiled Struct) read at addr; None when
    addr is NULL, the read faults or comes back short."""
    st = code if isinstance(code, struct.Struct) else _compiled(code)
    data = mem.read(addr, st.size) if addr else None
    if data is None or len(data) < st.size:
        return None
    return st.unpack(data)


class Plan:
    __slots__ = ("entry", "exit", "ret", "lenarg", "lenoff", "offarg")

    def __init__(self, entry: list[ArgFn], exit_: list[ArgFn], ret: RetFn, lenarg: int = -1,
                 lenoff: int = 0, offarg: int = -1) -> None:
        self.entry = entry
        self.exit = exit_
        self.ret = ret
        # a value-result length read at entry: the int at raw_args[lenarg] + lenoff (a socklen_t *,
        # or msg_namelen inside recvmsg's struct msghdr)
        self.lenarg = lenarg
        self.lenoff = lenoff
        # a loff_t * the call updates (sendfile(2)): its value before the call, read at entry
        self.offarg = offarg


class Decoder:
    """Decodes syscall arguments and return values as strace 6.1 prints them."""

    def __init__(self, options: DecodeOptions | None = None) -> None:
        self.opts = options or DecodeOptions()
        self._plans: dict[str, dict[str, Plan]] = {}
        # the memory of the stop being decoded, for return formatters that read it (poll, select);
        # a box so that the per-call sub-decoders of -e abbrev= share it
        self._mem_box: list[Memory | None] = [None]
        # strace's -v is abbrev=none: whole structs, whole argv/envp arrays
        self.abbrev = self.opts.abbrev and not self.opts.verbose
        # value-result arguments (socklen_t *): the value the caller passed in, by thread
        self._inlen: dict[int, int] = {}
        self._time64 = False  # building a plan for an i386 *_time64 call
        # socketcall: the event being decoded and its shadow with the real arguments, by thread
        self._subcalls: dict[int, tuple[SyscallEvent, SyscallEvent]] = {}
        self._inoff: dict[int, int] = {}  # the same for a loff_t * (sendfile)
        # how many array elements print before "..." (-s; every one under -v)
        self._limit = self.opts.string_limit if self.abbrev else 1 << 30
        # the -X style of constants inside structures: 0 abbrev, 1 verbose, 2 raw
        self._xs = 2 if self.opts.raw_all else 1 if self.opts.xlat_verbose else 0
        # -e read=/write= given: decided once, not on every exit (an Excluding set is truthy)
        self._dumping = bool(self.opts.read_fds or self.opts.write_fds)
        self._slimit, self._xflag = self.opts.string_limit, self.opts.xflag  # read by _buf on every read/write

    # -- public API (CONTRIBUTING "Decoding") ---------------------------------------------
    def decode_entry(self, ev: SyscallEvent, mem: Memory) -> None:
        if ev.name in _MULTIPLEXED:
            self._demux_entry(ev, mem)
            return
        plan = self._plan(ev)
        if plan.lenarg >= 0:
            addr = ev.raw_args[plan.lenarg]
            got = _read_struct(mem, addr + plan.lenoff, "<i") if addr else None
            if got is not None:
                self._inlen[mem.tid] = got[0]
        if plan.offarg >= 0:
            got = _read_struct(mem, ev.raw_args[plan.offarg], "<q")
            if got is not None:
                self._inoff[mem.tid] = got[0]
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

    def decode_exit(self, ev: SyscallEvent, mem: Memory) -> None:
        if self._subcalls or ev.name in _MULTIPLEXED:  # (an empty dict costs nothing on the hot path)
            sub = self._subcalls.pop(mem.tid, None)
            if sub is not None and sub[0] is ev or ev.name in _MULTIPLEXED:
                self._demux_exit(ev, mem, sub[1] if sub is not None and sub[0] is ev else None)
                return
        plan = self._plan(ev)
        if ev.n_entry_args != len(ev.args) or (not ev.args and plan.entry):
            # entry was not seen (attached mid-call): decode the entry half now
            self.decode_entry(ev, mem)
        args = ev.args
        self._mem_box[0] = mem
        for fn in plan.exit:
            s = fn(ev, mem)
            if s is not None:
                args.append(s)
        if ev.retval is None:
            ev.ret_text = "?"
        elif ev.errno is not None:
            ev.ret_text = fmt.errno_text(ev.errno)
        else:
            ev.ret_text = plan.ret(ev)
        if self._dumping and ev.retval is not None and ev.errno is None:
            self._dumps(ev, mem)

    # -- multiplexed calls -----------------------------------------------------------------
    def _demux_entry(self, ev: SyscallEvent, mem: Memory) -> SyscallEvent | None:
        """i386 socketcall(call, args): strace shows the socket call it stands for, its
        arguments read from the array (net/socket.c, linux/net.h SYS_*).  The event is renamed;
        raw_args keep the registers, a shadow event with the real arguments is decoded."""
        call = ev.raw_args[0] & 0xFFFFFFFF
        sub = _SOCKETCALL.get(call)
        word = _WORD.get(ev.arch, 8)
        data = mem.read(ev.raw_args[1], sub[1] * word) if sub is not None and ev.raw_args[1] else None
        if sub is None or data is None or len(data) < sub[1] * word:
            # unknown call or unreadable array: the plain socketcall(call, args)
            ev.args = [str(call), _ptr(ev.raw_args[1])]
            ev.n_entry_args = 2
            return None
        args = struct.unpack(f"<{sub[1]}{'I' if word == 4 else 'Q'}", data) + (0,) * (6 - sub[1])
        shadow = dataclasses.replace(ev, name=sub[0], raw_args=args, args=[], extra=[])
        self.decode_entry(shadow, mem)
        ev.name = sub[0]
        ev.args = list(shadow.args)
        ev.n_entry_args = shadow.n_entry_args
        self._subcalls[mem.tid] = (ev, shadow)
        return shadow

    def _demux_exit(self, ev: SyscallEvent, mem: Memory, shadow: SyscallEvent | None) -> None:
        if shadow is None:
            if ev.name in _MULTIPLEXED:
                shadow = self._demux_entry(ev, mem)  # entry not seen (attached mid-call)
                self._subcalls.pop(mem.tid, None)
            if shadow is None:
                ev.ret_text = "?" if ev.retval is None else fmt.errno_text(ev.errno) if ev.errno else str(ev.retval)
                return
        shadow.retval, shadow.errno = ev.retval, ev.errno
        self.decode_exit(shadow, mem)
        ev.args = list(shadow.args)
        ev.ret_text = shadow.ret_text
        ev.extra.extend(shadow.extra)

    # -- plans ---------------------------------------------------------------------------
    def _plan(self, ev: SyscallEvent) -> Plan:
        try:
            return self._plans[ev.arch][ev.name]
        except KeyError:
            plan = self._plans.setdefault(ev.arch, {})[ev.name] = self._build(ev.arch, ev.name)
            return plan

    def _build(self, arch: str, name: str) -> Plan:
        if name in self.opts.no_abbrev and self.abbrev:
            # -e abbrev=!SET: these calls print whole, as under -v; built once, so no per-call cost
            whole = dataclasses.replace(self.opts, verbose=True, no_abbrev=frozenset())
            sub = Decoder(whole)
            sub._inlen = self._inlen
            sub._inoff = self._inoff
            sub._mem_box = self._mem_box
            plan = sub._build(arch, name)
            return plan
        row = SIGS_ARCH.get(arch, {}).get(name) or SIGS.get(name)
        if row is None and arch == "i386" and name in _TIME64:
            # the 64-bit-time versions of i386 calls print as the plain ones, with a 64-bit
            # struct __kernel_timespec (linux/time_types.h)
            self._time64 = True
            try:
                return self._build(arch, _TIME64[name])
            finally:
                self._time64 = False
        if row is None and arch == "i386" and name.endswith("32"):
            # chown32, getuid32 ...: the 32-bit-id versions of the i386 calls print the same
            row = SIGS.get(name[:-2])
        if row is None or name in self.opts.raw:
            # strace printargs(): every argument and, when raw, the result in hex
            if row is None or row[0] in (("fcntl",), ("prctl",), ("futex",), ("clone",)):
                n = _nargs(arch, name)
            else:
                n = len(row[0])
            fns: list[ArgFn] = [self._kind("x", i, arch) for i in range(n)]
            return Plan(fns, [], self._ret("d" if row is None else "x", arch))
        kinds, ret = row
        if name in self.opts.no_verbose:
            # strace's umove_or_printaddr(): with verbose off, memory other than strings and data
            # buffers is not read, its address is printed
            kinds = tuple(k if _scalar_kind(k) else (">p" if k.startswith(">") else "p") for k in kinds)
        if kinds == ("clone",):
            entry, exit_ = self._clone(arch)
            return Plan(entry, exit_, self._ret(ret, arch))
        if kinds == ("fcntl",):
            fns, exit_fns, fret = more.fcntl_args(arch, self._fd_or_num, self._xs)
            return Plan(fns, exit_fns, fret)
        if kinds == ("prctl",):
            return Plan(more.prctl_args(arch, self._cstr), more.prctl_exit(arch, self._cstr), more.prctl_ret(arch))
        if kinds == ("futex",):
            return Plan(more.futex_args(arch, self._timespec(arch).size == 16, self._xs), [], self._ret(ret, arch))
        entry, exit_ = [], []
        out = False
        for i, kind in enumerate(kinds):
            if kind.startswith(">"):
                out = True
                fn = self._out(kind[1:], i, arch)
            else:
                fn = self._kind(kind, i, arch)
            (exit_ if out else entry).append(fn)
        lenarg = kinds.index(">socklen") if ">socklen" in kinds else -1
        if ">loffp_inout" in kinds:
            return Plan(entry, exit_, self._ret(ret, arch), lenarg, 0, kinds.index(">loffp_inout"))
        if ">rmsghdr" in kinds:
            # recvmsg(2): msg_namelen (after the msg_name pointer) is value-result
            return Plan(entry, exit_, self._ret(ret, arch), kinds.index(">rmsghdr"), _WORD.get(arch, 8))
        return Plan(entry, exit_, self._ret(ret, arch), lenarg)

    def _timespec(self, arch: str) -> structs.Layout:
        return structs.layout("timespec", "x86_64" if self._time64 else arch)

    def _fd_or_num(self, ev: SyscallEvent, fd: int) -> str:
        return self._fd(ev, fd) if self.opts.decode_fds else str(fd)

    def _ret(self, kind: str, arch: str) -> RetFn:
        mask = 0xFFFFFFFF if _WORD.get(arch, 8) == 4 else 0xFFFFFFFFFFFFFFFF
        if kind == "x":
            return lambda ev: _hex((ev.retval or 0) & mask)
        if kind == "o":
            return lambda ev: _oct(ev.retval or 0)
        if kind == "fd" and self.opts.decode_fds:
            return lambda ev: self._fd(ev, ev.retval or 0)
        if kind == "tls_entry":
            def tls_entry(ev: SyscallEvent) -> str:
                mem = self._mem_box[0]
                got = _read_struct(mem, ev.raw_args[0], "<i") if mem is not None else None
                if ev.retval == 0 and got is not None:
                    return f"0 (entry_number={got[0]})"
                return str(ev.retval)
            return tls_entry
        if kind == "select":
            # taken while the plan is built: _time64 (pselect6_time64) is only set then
            ts, tv = self._timespec(arch).st, structs.layout("timeval", arch)

            def select_ret(ev: SyscallEvent) -> str:
                if not ev.retval:
                    return "0 (Timeout)"
                mem = self._mem_box[0]
                if mem is None:
                    return str(ev.retval)
                word = _WORD.get(arch, 8)
                n = _s32(ev.raw_args[0])
                parts = []
                for label, k in (("in", 1), ("out", 2), ("except", 3)):
                    if ev.raw_args[k]:
                        got = self._fdset(mem, ev.raw_args[k], n, word)
                        if got not in ("[]",) and got.startswith("["):
                            parts.append(f"{label} {got}")
                # the kernel writes back the time left (select(2), pselect6 timespec)
                if ev.raw_args[4]:
                    if ev.name.startswith("pselect6"):
                        left = _read_struct(mem, ev.raw_args[4], ts)
                        if left is not None:
                            parts.append(f"left {{tv_sec={left[0]}, tv_nsec={left[1]}}}")
                    else:
                        parts.append("left " + self._timeval(mem, ev.raw_args[4], tv))
                return f"{ev.retval} ({', '.join(parts)})" if parts else str(ev.retval)
            return select_ret
        if kind == "sched_policy":
            pol = fmt.enum(arch, "sched_policy")

            def sched_policy(ev: SyscallEvent) -> str:
                name = pol.get(ev.retval or 0)
                return f"{ev.retval} ({name})" if name else str(ev.retval)
            return sched_policy
        if kind == "ioprio":
            return lambda ev: f"{ev.retval} ({_ioprio(arch, ev.retval or 0)})"
        if kind == "timex_state":
            state = fmt.enum(arch, "adj_state")
            return lambda ev: f"{ev.retval} ({state.get(ev.retval or 0)})" if state.get(ev.retval or 0) \
                else str(ev.retval)
        if kind == "membarrier":
            cmds = fmt.flags(arch, "membarrier_cmd")

            def membarrier_ret(ev: SyscallEvent) -> str:
                # MEMBARRIER_CMD_QUERY (0) returns the set of supported commands
                r = ev.retval or 0
                if ev.raw_args[0] & 0xFFFFFFFF == 0 and r:
                    return f"{r:#x} ({cmds(r)})"
                return str(r)
            return membarrier_ret
        if kind == "sigwait":
            # rt_sigtimedwait(2) returns a signal number; strace names it
            return lambda ev: f"{ev.retval} ({fmt.signame(ev.retval or 0)})" if ev.retval else str(ev.retval)
        if kind == "personality":
            def personality(ev: SyscallEvent) -> str:
                r = (ev.retval or 0) & 0xFFFFFFFF
                text = _persona(arch, r)
                return f"{_hex(r)} ({text})" if text else _hex(r)
            return personality
        if kind == "ppoll":
            lay = self._timespec(arch)

            def ppoll_ret(ev: SyscallEvent) -> str:
                # ppoll(2) also writes back the time left, as pselect6 does
                if not ev.retval:
                    return "0 (Timeout)"
                mem = self._mem_box[0]
                if mem is None:
                    return str(ev.retval)
                lst = more.poll_list(mem, ev.raw_args[0], ev.raw_args[1], arch, "revents", True, None, self._limit)
                parts = [lst] if lst else []
                got = _read_struct(mem, ev.raw_args[2], lay.st)
                if got is not None:
                    parts.append(f"left {{tv_sec={got[0]}, tv_nsec={got[1]}}}")
                return f"{ev.retval} ({', '.join(parts)})" if parts else str(ev.retval)
            return ppoll_ret
        if kind == "poll":
            def poll_ret(ev: SyscallEvent) -> str:
                if not ev.retval:
                    return "0 (Timeout)"
                # poll(2) writes revents; strace appends the ready ones after the count
                mem = self._mem_box[0]
                lst = more.poll_list(mem, ev.raw_args[0], ev.raw_args[1], arch, "revents", True, None, self._limit) \
                    if mem is not None else None
                return f"{ev.retval} ({lst})" if lst else str(ev.retval)
            return poll_ret
        return lambda ev: str(ev.retval)

    # -- argument kinds ------------------------------------------------------------------
    _XLAT_KINDS = ("F:", "E:", "open_flags", "mmap_flags", "access", "socktype", "sockproto", "sockopt_name",
                   "ioctl_req")

    def _verbose(self, kind: str, i: int, arch: str) -> ArgFn | None:
        """-X verbose: a constant argument as its number with the names in a comment,
        ``0x80000 /* O_RDONLY|O_CLOEXEC */``; None for kinds that print no constant."""
        if not (kind.startswith(self._XLAT_KINDS) or kind.startswith("Ei:")
                or kind in ("dirfd", "sig", "sockopt_name", "ioctl_req")):
            return None
        named = Decoder(dataclasses.replace(self.opts, xlat_verbose=False))._kind(kind, i, arch)
        if kind == "socktype":
            ty, rest = fmt.enum(arch, "socket_type"), fmt.flags(arch, "socket_type_flags")

            def socktype(ev: SyscallEvent, mem: Memory) -> str:
                # type and flags each as their own number (strace prints two comments)
                v = ev.raw_args[i] & 0xFFFFFFFF
                t = f"{_hex(v & 0xF)} /* {ty(v & 0xF)} */" if ty.get(v & 0xF) else _hex(v & 0xF)
                return t + (f"|{v & ~0xF:#x} /* {rest(v & ~0xF)} */" if v & ~0xF else "")
            return socktype
        # how the number prints: descriptors, signals and signed enums in decimal, the rest in hex
        if kind in ("dirfd", "sig") or kind.startswith("Ei:"):
            def num(ev: SyscallEvent) -> str:
                return str(_s32(ev.raw_args[i]))
        else:
            def num(ev: SyscallEvent) -> str:
                return _hex(ev.raw_args[i] & 0xFFFFFFFF)

        def verbose(ev: SyscallEvent, mem: Memory) -> str | None:
            text = named(ev, mem)
            if text is None:
                return None
            n = num(ev)
            if text == n or text.startswith(n + " ") or text.lstrip("-").isdigit() or \
                    (kind == "dirfd" and not text.startswith("AT_FDCWD")):
                return text
            return f"{n} /* {text} */"
        return verbose

    def _kind(self, kind: str, i: int, arch: str) -> ArgFn:
        o = self.opts
        word = _WORD.get(arch, 8)
        if o.xlat_verbose and not o.raw_all:
            got = self._verbose(kind, i, arch)
            if got is not None:
                return got
        if o.raw_all and kind == "socktype":
            def raw_socktype(ev: SyscallEvent, mem: Memory) -> str:
                v = ev.raw_args[i] & 0xFFFFFFFF
                return _hex(v & 0xF) + (f"|{v & ~0xF:#x}" if v & ~0xF else "")
            return raw_socktype
        if o.raw_all and kind.startswith(self._XLAT_KINDS):
            # -X raw: constants as plain hex numbers, everything else decoded as usual
            return lambda ev, mem: _hex(ev.raw_args[i] & 0xFFFFFFFF)
        if kind == "d":
            return lambda ev, mem: str(_s32(ev.raw_args[i]))
        if kind == "ld":
            if word == 4:
                return lambda ev, mem: str(_s32(ev.raw_args[i]))
            return lambda ev, mem: str(struct.unpack("q", struct.pack("Q", ev.raw_args[i]))[0])
        if kind == "u":
            return lambda ev, mem: str(ev.raw_args[i])
        if kind == "x":
            return lambda ev, mem: _hex(ev.raw_args[i])
        if kind == "p":
            return lambda ev, mem: _ptr(ev.raw_args[i])
        if kind == "o":
            # the whole mode_t as given, type bits included (chmod("f", 0100644) stays so)
            return lambda ev, mem: _oct(ev.raw_args[i] & 0xFFFFFFFF)
        if kind == "fd":
            if o.decode_fds:
                return lambda ev, mem: self._fd(ev, _s32(ev.raw_args[i]))
            return lambda ev, mem: str(_s32(ev.raw_args[i]))
        if kind == "dirfd":
            def dirfd(ev: SyscallEvent, mem: Memory) -> str:
                fd = _s32(ev.raw_args[i])
                if fd == AT_FDCWD and not o.raw_all:
                    if o.decode_fds:
                        # strace -y shows the working directory the call is relative to
                        return "AT_FDCWD" + self._link(f"/proc/{ev.pid}/cwd")
                    return "AT_FDCWD"
                return self._fd(ev, fd) if o.decode_fds else str(fd)
            return dirfd
        if kind == "path":
            return lambda ev, mem: self._cstr(mem, ev.raw_args[i], PATH_MAX)
        if kind == "str":
            return lambda ev, mem: self._cstr(mem, ev.raw_args[i], o.string_limit)
        if kind == "sig":
            if o.raw_all:
                return lambda ev, mem: str(_s32(ev.raw_args[i]))
            return lambda ev, mem: fmt.signame(_s32(ev.raw_args[i]))
        if kind.startswith("F:"):
            fl = fmt.flags(arch, kind[2:])
            return lambda ev, mem: fl(ev.raw_args[i])
        if kind.startswith("E:"):
            en = fmt.enum(arch, kind[2:])
            if word == 8:
                return lambda ev, mem: en(ev.raw_args[i])
            return lambda ev, mem: en(ev.raw_args[i] & 0xFFFFFFFF)
        if kind.startswith("buf:"):
            n = int(kind[4:])
            return lambda ev, mem: self._buf(mem, ev.raw_args[i], ev.raw_args[n])
        if kind == "open_flags":
            acc = fmt.enum(arch, "open_access")
            rest = fmt.flags(arch, "open_flags")

            def open_flags(ev: SyscallEvent, mem: Memory) -> str:
                v = ev.raw_args[i] & 0xFFFFFFFF
                return fmt.field_flags(acc.get(v & 3), rest, v, 3)
            return open_flags
        if kind == "open_mode":
            need = 0
            for v, _n in fmt.consts(arch).get("open_mode_needed", []):
                need |= v

            def open_mode(ev: SyscallEvent, mem: Memory) -> str | None:
                # open(2): the mode is only meaningful (and strace only prints it) with
                # O_CREAT or O_TMPFILE.
                if ev.raw_args[i - 1] & need:
                    return _oct(ev.raw_args[i] & 0xFFFFFFFF)
                return None
            return open_mode
        if kind == "access":
            fl = fmt.flags(arch, "access_mode")
            return lambda ev, mem: fl(ev.raw_args[i] & 0xFFFFFFFF, "F_OK")
        if kind == "mmap_flags":
            ty = fmt.enum(arch, "mmap_type")
            rest = fmt.flags(arch, "mmap_flags")
            huge = dict((n, v) for v, n in fmt.consts(arch).get("mmap_huge", []))
            hshift, hmask = huge.get("MAP_HUGE_SHIFT", 26), huge.get("MAP_HUGE_MASK", 0x3F)

            def mmap_flags(ev: SyscallEvent, mem: Memory) -> str:
                v = ev.raw_args[i] & 0xFFFFFFFF
                # the huge page size is a log2 field, printed as N<<MAP_HUGE_SHIFT (mmap(2))
                hp = (v >> hshift) & hmask
                v &= ~(hmask << hshift)
                text = fmt.field_flags(ty.get(v & 0xF), rest, v, 0xF)
                return text + f"|{hp}<<MAP_HUGE_SHIFT" if hp else text
            return mmap_flags
        if kind == "socktype":
            ty = fmt.enum(arch, "socket_type")
            rest = fmt.flags(arch, "socket_type_flags")

            def socktype(ev: SyscallEvent, mem: Memory) -> str:
                v = ev.raw_args[i] & 0xFFFFFFFF
                return fmt.field_flags(ty(v & 0xF), rest, v, 0xF)
            return socktype
        if kind == "sockproto":
            fam = {n: v for v, n in fmt.consts(arch).get("socket_family", [])}
            by_family = {fam.get("AF_INET"): fmt.enum(arch, "ipproto"),
                         fam.get("AF_INET6"): fmt.enum(arch, "ipproto"),
                         fam.get("AF_NETLINK"): fmt.enum(arch, "netlink_proto")}

            def sockproto(ev: SyscallEvent, mem: Memory) -> str:
                en = by_family.get(ev.raw_args[0] & 0xFFFFFFFF)
                v = _s32(ev.raw_args[i])
                return en(v) if en is not None else str(v)
            return sockproto
        if kind == "timespec":
            lay = self._timespec(arch)

            def timespec(ev: SyscallEvent, mem: Memory) -> str:
                addr = ev.raw_args[i]
                got = _read_struct(mem, addr, lay.st)
                if got is None:
                    return _ptr(addr)
                return f"{{tv_sec={got[0]}, tv_nsec={got[1]}}}"
            return timespec
        if kind.startswith("iov:"):
            n = int(kind[4:])
            return lambda ev, mem: self._iov(mem, ev.raw_args[i], ev.raw_args[n], word, None)
        if kind == "msghdr":
            return lambda ev, mem: self._msghdr(ev, mem, ev.raw_args[i], word, None, arch)
        if kind == "mremap_new":
            # mremap(2): the new address is only an argument with MREMAP_FIXED
            return lambda ev, mem: _ptr(ev.raw_args[i]) if ev.raw_args[3] & 2 else None
        if kind == "open_how":
            oflags_fn = self._kind("open_flags", 0, arch)
            res = fmt.flags(arch, "resolve_flags")
            need = 0
            for v, _n in fmt.consts(arch).get("open_mode_needed", []):
                need |= v

            def open_how(ev: SyscallEvent, mem: Memory) -> str:
                addr = ev.raw_args[i]
                # struct open_how (linux/openat2.h): u64 flags, mode, resolve
                fields = _read_struct(mem, addr, "<QQQ")
                if fields is None:
                    return _ptr(addr)
                flags, mode, resolve = fields
                fake = SyscallEvent(pid=0, tid=0, arch=arch, nr=0, name="", ts_enter=0.0,
                                    raw_args=(flags, 0, 0, 0, 0, 0))
                text = f"{{flags={oflags_fn(fake, mem)}"
                if flags & need or mode:
                    text += f", mode={_oct(mode)}"
                return text + f", resolve={res(resolve)}}}"
            return open_how
        if kind == "sched_param":
            def sched_param(ev: SyscallEvent, mem: Memory) -> str:
                addr = ev.raw_args[i]
                got = _read_struct(mem, addr, "<i")  # struct sched_param: one int
                return _ptr(addr) if got is None else f"[{got[0]}]"
            return sched_param
        if kind == "stack_t":
            ssf = fmt.flags(arch, "ss_flags")

            def stack_t(ev: SyscallEvent, mem: Memory) -> str:
                addr = ev.raw_args[i]
                # stack_t (sigaltstack(2)): void *ss_sp; int ss_flags; size_t ss_size
                code = "<Qi4xQ" if word == 8 else "<IiI"
                fields = _read_struct(mem, addr, code) if addr else None
                if fields is None:
                    return _ptr(addr)
                sp, flags, ssize = fields
                return f"{{ss_sp={_ptr(sp)}, ss_flags={ssf(flags & 0xFFFFFFFF)}, ss_size={ssize}}}"
            return stack_t
        if kind == "skip":  # a register already shown as part of the argument before it
            return lambda ev, mem: None
        if kind == "user_desc":
            def user_desc(ev: SyscallEvent, mem: Memory) -> str:
                addr = ev.raw_args[i]
                return _user_desc(mem, addr)
            return user_desc
        if kind == "off64":
            # i386 passes a 64-bit offset in two registers, low word first (the next argument
            # is "skip"): pread64, truncate64, fadvise64, fallocate (arch/x86/kernel/sys_ia32.c)
            return lambda ev, mem: str(struct.unpack("<q", struct.pack(
                "<II", ev.raw_args[i] & 0xFFFFFFFF, ev.raw_args[i + 1] & 0xFFFFFFFF))[0])
        if kind == "pgoff":
            # mmap2(2): the offset is in 4096-byte units; strace prints it in bytes
            return lambda ev, mem: _hex((ev.raw_args[i] & 0xFFFFFFFF) * 4096)
        if kind == "llseek_off":
            # _llseek(fd, offset_high, offset_low, result, whence): one 64-bit offset
            return lambda ev, mem: str(struct.unpack("<q", struct.pack(
                "<II", ev.raw_args[2] & 0xFFFFFFFF, ev.raw_args[1] & 0xFFFFFFFF))[0])
        if kind in ("rlimit", "rlimit32"):
            # getrlimit/setrlimit use the native word (struct rlimit), prlimit64 always 64-bit
            lay = structs.layout("rlimit64" if kind == "rlimit" or word == 8 else "rlimit32", arch)
            inf = "RLIM64_INFINITY" if kind == "rlimit" or word == 8 else "RLIM_INFINITY"

            def rlimit(ev: SyscallEvent, mem: Memory) -> str:
                addr = ev.raw_args[i]
                fields = _read_struct(mem, addr, lay.st)
                if fields is None:
                    return _ptr(addr)
                cur, mx = fields
                if o.raw_all:
                    return f"{{rlim_cur={cur}, rlim_max={mx}}}"
                if o.xlat_verbose:
                    def both(v: int) -> str:
                        t = _rlim(v, inf)
                        return t if t == str(v) else f"{v} /* {t} */"
                    return f"{{rlim_cur={both(cur)}, rlim_max={both(mx)}}}"
                return f"{{rlim_cur={_rlim(cur, inf)}, rlim_max={_rlim(mx, inf)}}}"
            return rlimit
        if kind.startswith("sockaddr:"):
            n = int(kind[9:])

            def sockaddr_in(ev: SyscallEvent, mem: Memory) -> str:
                addr, ln = ev.raw_args[i], _s32(ev.raw_args[n])
                if not addr:
                    return "NULL"
                data = mem.read(addr, ln) if 0 < ln <= 4096 else None
                if data is None:
                    return _ptr(addr)
                return more.sockaddr(data, arch, self._xs, self.opts.xflag)
            return sockaddr_in
        if kind == "sockopt_name":
            lv = {n: v for v, n in fmt.consts(arch).get("sockopt_level", [])}
            # option names by level (socket(7), tcp(7))
            by_level = {lv.get("SOL_SOCKET"): fmt.enum(arch, "sol_socket"),
                        lv.get("SOL_TCP"): fmt.enum(arch, "sol_tcp"), lv.get("SOL_IP"): fmt.enum(arch, "sol_ip"),
                        lv.get("SOL_IPV6"): fmt.enum(arch, "sol_ipv6"),
                        lv.get("SOL_NETLINK"): fmt.enum(arch, "sol_netlink")}

            def sockopt_name(ev: SyscallEvent, mem: Memory) -> str:
                v = ev.raw_args[i] & 0xFFFFFFFF
                en = by_level.get(ev.raw_args[1] & 0xFFFFFFFF)
                return en(v) if en is not None else str(_s32(v))
            return sockopt_name
        if kind == "sockopt_val":
            lv = {n: v for v, n in fmt.consts(arch).get("sockopt_level", [])}
            so = {n: v for v, n in fmt.consts(arch).get("sol_socket", [])}
            linger = (lv.get("SOL_SOCKET"), so.get("SO_LINGER"))

            def sockopt_val(ev: SyscallEvent, mem: Memory) -> str:
                addr, ln = ev.raw_args[i], ev.raw_args[4] & 0xFFFFFFFF
                key = (ev.raw_args[1] & 0xFFFFFFFF, ev.raw_args[2] & 0xFFFFFFFF)
                if key == linger and ln >= 8:
                    got = _read_struct(mem, addr, "<ii")  # struct linger (socket(7))
                    if got is not None:
                        return f"{{l_onoff={got[0]}, l_linger={got[1]}}}"
                if ln == 4:
                    got = _read_struct(mem, addr, "<i")
                    if got is not None:
                        return f"[{got[0]}]"
                return self._buf(mem, addr, ln) if addr else "NULL"
            return sockopt_val
        if kind == "ioctl_req":
            # several requests can share a number (TCSETS is SNDCTL_TMR_START, FICLONE is
            # BTRFS_IOC_CLONE): strace names them all, "A or B" in name order
            by_nr: dict[int, list[str]] = {}
            for nr, nm in fmt.consts(arch).get("ioctl_req", []):
                by_nr.setdefault(nr, []).append(nm)
            req = {nr: " or ".join(sorted(nms)) for nr, nms in by_nr.items()}

            def ioctl_req(ev: SyscallEvent, mem: Memory) -> str:
                v = ev.raw_args[i] & 0xFFFFFFFF
                return req.get(v) or _ioc(v)
            return ioctl_req
        if kind == "pollfds":
            def pollfds(ev: SyscallEvent, mem: Memory) -> str:
                got = more.poll_list(mem, ev.raw_args[i], ev.raw_args[1], arch, "events", False,
                                     (lambda fd: self._fd(ev, fd)) if o.decode_fds else None, self._limit)
                return got if got is not None else _ptr(ev.raw_args[i])
            return pollfds
        if kind == "epoll_event":
            size = more.epoll_size(arch)
            ctl_del = {n: v for v, n in fmt.consts(arch).get("epoll_ctl", [])}.get("EPOLL_CTL_DEL")

            def epoll_ev(ev: SyscallEvent, mem: Memory) -> str:
                addr = ev.raw_args[i]
                # epoll_ctl(2): EPOLL_CTL_DEL ignores the event, strace shows its address
                data = mem.read(addr, size) if addr and ev.raw_args[1] & 0xFFFFFFFF != ctl_del else None
                if data is None or len(data) < size:
                    return _ptr(addr)
                return more.epoll_event(data, arch)
            return epoll_ev
        if kind.startswith("Ei:"):
            en = fmt.enum(arch, kind[3:])
            return lambda ev, mem: en(_s32(ev.raw_args[i]))
        if kind.startswith("fdset:"):
            n = int(kind[6:])
            return lambda ev, mem: self._fdset(mem, ev.raw_args[i], _s32(ev.raw_args[n]), word, ev)
        if kind == "timeval":
            tv = structs.layout("timeval", arch)

            def timeval(ev: SyscallEvent, mem: Memory) -> str:
                return self._timeval(mem, ev.raw_args[i], tv)
            return timeval
        if kind in ("itimerval", "itimerspec"):
            # struct itimerval (setitimer(2)) or itimerspec (timer_settime(2)): two times in a row,
            # interval then value, in microseconds or nanoseconds
            lay = structs.layout("timeval", arch) if kind == "itimerval" else self._timespec(arch)
            pair = struct.Struct("<" + lay.st.format[1:] * 2)
            unit = "tv_usec" if kind == "itimerval" else "tv_nsec"

            def itimer(ev: SyscallEvent, mem: Memory) -> str:
                addr = ev.raw_args[i]
                got = _read_struct(mem, addr, pair)
                if got is None:
                    return _ptr(addr)
                return (f"{{it_interval={{tv_sec={got[0]}, {unit}={got[1]}}}, "
                        f"it_value={{tv_sec={got[2]}, {unit}={got[3]}}}}}")
            return itimer
        if kind == "statx_flags":
            sync = fmt.enum(arch, "statx_sync")
            rest = fmt.flags(arch, "statx_at_flags")

            def statx_flags(ev: SyscallEvent, mem: Memory) -> str:
                v = ev.raw_args[i] & 0xFFFFFFFF
                # the sync type is a 2-bit field (AT_STATX_SYNC_TYPE), printed first by name
                st = sync.get(v & 0x6000)
                r = v & ~0x6000
                if o.raw_all:
                    # strace 6.1 prints the sync type as nothing at all under -X raw
                    return f"|{r:#x}" if r else ""
                if o.xlat_verbose and st is not None:
                    head = f"{_hex(v & 0x6000)} /* {st} */"
                    return head + (f"|{r:#x} /* {rest(r)} */" if r else "")
                return fmt.field_flags(st, rest, v, 0x6000)
            return statx_flags
        if kind == "siginfo":
            def siginfo(ev: SyscallEvent, mem: Memory) -> str:
                addr = ev.raw_args[i]
                data = mem.read(addr, 128) if addr else None
                if data is None or len(data) < 128:
                    return _ptr(addr)
                return format_siginfo(data, arch, self.opts.raw_all, self.opts.xlat_verbose)
            return siginfo
        if kind == "sigreturn":
            def sigreturn(ev: SyscallEvent, mem: Memory) -> str:
                # x86_64 rt_sigreturn: the handler's "ret" popped pretcode, so the stack pointer
                # is at struct ucontext (arch/x86/include/asm/sigframe.h); uc_sigmask follows
                # uc_flags, uc_link, uc_stack (24) and uc_mcontext (256).  The stack pointer
                # comes from /proc/PID/task/TID/syscall (proc(5)), valid while the thread stops.
                try:
                    with open(f"/proc/{ev.pid}/task/{mem.tid}/syscall", "rb") as f:
                        sp = int(f.read().split()[7], 16)
                except (OSError, IndexError, ValueError):
                    return ""
                if arch != "i386":
                    at = [sp + 296]
                elif ev.name == "rt_sigreturn":
                    # struct rt_sigframe_ia32 (arch/x86/include/asm/sigframe.h): pretcode (popped),
                    # sig, pinfo, puc, siginfo (128), then the ucontext_ia32 whose uc_sigmask
                    # follows uc_flags, uc_link, uc_stack (12) and the 88-byte sigcontext_32
                    at = [sp + 248]
                else:
                    # struct sigframe_ia32: pretcode and sig are popped by the return trampoline,
                    # sp is at sigcontext_32 whose oldmask is at 80; the mask's upper word is
                    # extramask, after the 88-byte sigcontext and the 624-byte _fpstate_32
                    at = [sp + 80, sp + 712]
                words = [mem.read(a, 8 if len(at) == 1 else 4) for a in at]
                if any(w is None or len(w) < (8 if len(at) == 1 else 4) for w in words):
                    return f"{{mask={_ptr(at[0])}}}"
                data = b"".join(w for w in words if w is not None)
                return f"{{mask={fmt.sigset(data, self._xs)}}}"
            return sigreturn
        if kind == "argv":
            return lambda ev, mem: self._argv(mem, ev.raw_args[i], word)
        if kind == "envp":
            if not self.abbrev:  # -v, -e abbrev=none
                return lambda ev, mem: self._argv(mem, ev.raw_args[i], word)
            return lambda ev, mem: self._envp(mem, ev.raw_args[i], word)
        if kind.startswith("sigset:"):
            n = int(kind[7:])
            return lambda ev, mem: self._sigset(mem, ev.raw_args[i], ev.raw_args[n])
        if kind == "sigaction":
            return lambda ev, mem: self._sigaction(mem, ev.raw_args[i], word, arch)
        if kind == "loffp":
            def loffp(ev: SyscallEvent, mem: Memory) -> str:
                addr = ev.raw_args[i]
                got = _read_struct(mem, addr, "<q")
                return _ptr(addr) if got is None else f"[{got[0]}]"
            return loffp
        if kind == "gids_in":
            def gids_in(ev: SyscallEvent, mem: Memory) -> str:
                # setgroups(2): size (the previous argument) gid_t values
                addr, n = ev.raw_args[i], ev.raw_args[i - 1] & 0xFFFFFFFF
                data = mem.read(addr, 4 * n) if addr and n <= 1 << 16 else None
                if data is None or len(data) < 4 * n:
                    return _ptr(addr)
                return self._arr([str(g) for g in struct.unpack(f"<{n}I", data)])
            return gids_in
        if kind.startswith("riov_addr:"):
            n = int(kind[10:])

            def riov_addr(ev: SyscallEvent, mem: Memory) -> str:
                # process_vm_readv(2)'s remote iovecs: addresses in the other process, not read
                addr, count = ev.raw_args[i], min(ev.raw_args[n], 1024)
                size = 2 * word
                raw = mem.read(addr, size * count) if addr else None
                if raw is None or len(raw) < size * count:
                    return _ptr(addr)
                code = "<QQ" if word == 8 else "<II"
                items = [f"{{iov_base={_ptr(b)}, iov_len={ln}}}" for b, ln in
                         (struct.unpack_from(code, raw, k * size) for k in range(count))]
                return self._arr(items)
            return riov_addr
        if kind == "ioprio":
            return lambda ev, mem: _ioprio(arch, ev.raw_args[i] & 0xFFFFFFFF)
        if kind == "persona":
            def persona(ev: SyscallEvent, mem: Memory) -> str:
                # 0xffffffff only queries (personality(2)): shown as the number
                v = ev.raw_args[i] & 0xFFFFFFFF
                return (_persona(arch, v) if v != 0xFFFFFFFF else None) or _hex(v)
            return persona
        if kind == "kcmp_idx":
            kcmp_file = {n: v for v, n in fmt.consts(arch).get("kcmp_type", [])}.get("KCMP_FILE", 0)

            def kcmp_idx(ev: SyscallEvent, mem: Memory) -> str:
                # kcmp(2): with KCMP_FILE the two indexes are file descriptors
                v = ev.raw_args[i]
                if ev.raw_args[2] & 0xFFFFFFFF == kcmp_file:
                    return self._fd_or_num(ev, _s32(v))
                return str(v)
            return kcmp_idx
        if kind == "membarrier_cpu":
            # membarrier(2): cpu_id only means something with MEMBARRIER_CMD_FLAG_CPU
            return lambda ev, mem: str(_s32(ev.raw_args[i])) if ev.raw_args[1] & 1 else None
        if kind == "cap_header":
            ver = fmt.enum(arch, "cap_version")

            def cap_header(ev: SyscallEvent, mem: Memory) -> str:
                # struct __user_cap_header_struct (linux/capability.h): u32 version, int pid
                addr = ev.raw_args[i]
                fields = _read_struct(mem, addr, "<Ii")
                if fields is None:
                    return _ptr(addr)
                v, pid = fields
                return f"{{version={ver(v)}, pid={pid}}}"
            return cap_header
        if kind == "cap_data":
            return lambda ev, mem: self._cap_data(mem, ev.raw_args[0], ev.raw_args[i], arch)
        if kind == "cpuset_in":
            def cpuset_in(ev: SyscallEvent, mem: Memory) -> str:
                # sched_setaffinity(2): a CPU mask of the given length in bytes
                addr, n = ev.raw_args[i], ev.raw_args[i - 1]
                data = mem.read(addr, n) if addr and 0 < n <= 1 << 16 else None
                if data is None or len(data) < n:
                    return _ptr(addr)
                bits = int.from_bytes(data, "little")
                return "[" + " ".join(str(k) for k in range(8 * len(data)) if bits >> k & 1) + "]"
            return cpuset_in
        if kind == "u32":
            return lambda ev, mem: str(ev.raw_args[i] & 0xFFFFFFFF)
        if kind == "utimes":
            lay = self._timespec(arch)
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
                    if nsec in special:
                        out.append(f"{{tv_sec={sec}, tv_nsec={nsec}}} /* {special[nsec]} */" if o.xlat_verbose
                                   else special[nsec])
                        continue
                    iso = _isotime(sec, nsec)
                    out.append(f"{{tv_sec={sec}, tv_nsec={nsec}}}" + (f" /* {iso} */" if iso else ""))
                return "[" + ", ".join(out) + "]"
            return utimes
        if kind == "sigevent":
            notify = fmt.enum(arch, "sigev_notify", o.xlat_verbose)
            nv = {n: v for v, n in fmt.consts(arch).get("sigev_notify", [])}

            def sigevent(ev: SyscallEvent, mem: Memory) -> str:
                addr = ev.raw_args[i]
                # struct sigevent (asm-generic/siginfo.h): sigval (a word), int signo, int notify,
                # then a union: the thread id, or function and attributes pointers
                code = "<QiiQQ" if word == 8 else "<IiiII"
                fields = _read_struct(mem, addr, code) if addr else None
                if fields is None:
                    return _ptr(addr)
                val, signo, how, u1, u2 = fields
                sig = fmt.signame(signo) if signo else "0"
                if o.xlat_verbose and signo:
                    sig = f"{signo} /* {sig} */"
                text = f"sigev_signo={sig}, sigev_notify={notify(how & 0xFFFFFFFF)}"
                if how == nv.get("SIGEV_NONE"):
                    return "{" + text + "}"
                # the value is shown only when set (strace 6.1 leaves a zero sigev_value out)
                head = f"{{sigev_value={{sival_int={_s32(val)}, sival_ptr={_ptr(val)}}}, {text}" if val \
                    else "{" + text
                if how == nv.get("SIGEV_THREAD_ID"):
                    return head + f", sigev_notify_thread_id={_s32(u1)}}}"
                if how == nv.get("SIGEV_THREAD"):
                    return head + f", sigev_notify_function={_ptr(u1)}, sigev_notify_attributes={_ptr(u2)}}}"
                return head + "}"
            return sigevent
        if kind in ("mknod_mode", "mknod_dev"):
            def mknod(ev: SyscallEvent, mem: Memory) -> str | None:
                # mknod(2): the device number only means something for character and block files
                mode = ev.raw_args[i if kind == "mknod_mode" else i - 1] & 0xFFFFFFFF
                if kind == "mknod_mode":
                    return self._mode(mode, arch)
                if mode & 0o170000 in (0o020000, 0o060000):
                    dev = _makedev(ev.raw_args[i])
                    return f"{_hex(ev.raw_args[i])} /* {dev} */" if self.opts.xlat_verbose else dev
                return None
            return mknod
        if kind == "pselect_sig":
            def pselect_sig(ev: SyscallEvent, mem: Memory) -> str:
                # pselect6's sixth argument: struct {const sigset_t *ss; size_t ss_len} (fs/select.c)
                addr = ev.raw_args[i]
                fields = _read_struct(mem, addr, "<QQ" if word == 8 else "<II")
                if fields is None:
                    return _ptr(addr)
                ss, ln = fields
                return f"{{sigmask={self._sigset(mem, ss, ln)}, sigsetsize={ln}}}"
            return pselect_sig
        raise ValueError(f"unknown argument kind {kind!r}")

    def _out(self, kind: str, i: int, arch: str) -> ArgFn:
        """An argument the kernel writes: decoded at exit, its address when the call failed."""
        o = self.opts
        word = _WORD.get(arch, 8)
        if kind in ("rbuf", "rstr"):
            # the bytes the call wrote, as many as it returned
            def rbuf(ev: SyscallEvent, mem: Memory) -> str:
                if ev.errno is not None or ev.retval is None:
                    return _ptr(ev.raw_args[i])
                return self._buf(mem, ev.raw_args[i], ev.retval)
            return rbuf
        if kind == "fdpair":
            def fdpair(ev: SyscallEvent, mem: Memory) -> str:
                addr = ev.raw_args[i]
                fields = _read_struct(mem, addr, "<ii") if ev.errno is None else None
                if fields is None:
                    return _ptr(addr)
                a, b = fields
                if o.decode_fds:
                    return self._arr([self._fd(ev, a), self._fd(ev, b)])
                return self._arr([str(a), str(b)])
            return fdpair
        if kind.startswith("sigset:"):
            n = int(kind[7:])

            def osigset(ev: SyscallEvent, mem: Memory) -> str:
                if ev.errno is not None:
                    return _ptr(ev.raw_args[i])
                return self._sigset(mem, ev.raw_args[i], ev.raw_args[n])
            return osigset
        if kind == "sigaction":
            def osigaction(ev: SyscallEvent, mem: Memory) -> str:
                if ev.errno is not None:
                    return _ptr(ev.raw_args[i])
                return self._sigaction(mem, ev.raw_args[i], word, arch)
            return osigaction
        if kind == "wstatus":
            def wstatus(ev: SyscallEvent, mem: Memory) -> str:
                addr = ev.raw_args[i]
                if not addr:
                    return "NULL"
                # wait4(2): the status is only written when a child was reaped (retval > 0)
                if ev.retval is None or ev.retval <= 0:
                    return _ptr(addr)
                got = _read_struct(mem, addr, "<i")
                return _ptr(addr) if got is None else "[" + wait_status(got[0]) + "]"
            return wstatus
        if kind == "stat":
            return self._failed_addr(i, lambda ev, mem: self._stat(mem, ev.raw_args[i], arch))
        if kind in ("rlimit", "rlimit32"):
            return self._failed_addr(i, self._kind(kind, i, arch))
        if kind == "llseek_res":
            def llseek_res(ev: SyscallEvent, mem: Memory) -> str:
                addr = ev.raw_args[i]
                got = _read_struct(mem, addr, "<q") if ev.errno is None else None
                return _ptr(addr) if got is None else f"[{got[0]}]"
            return llseek_res
        if kind == "timespec":
            return self._failed_addr(i, self._kind("timespec", i, arch))
        if kind == "remts":
            ts = self._kind("timespec", i, arch)

            def remts(ev: SyscallEvent, mem: Memory) -> str:
                # nanosleep(2): the remainder is only written when a signal interrupted the sleep
                if ev.errno in (4, 512, 513, 514, 516):
                    return ts(ev, mem) or ""
                return _ptr(ev.raw_args[i])
            return remts
        if kind.startswith("sockaddr:"):
            n = int(kind[9:])

            def sockaddr_out(ev: SyscallEvent, mem: Memory) -> str:
                addr, lenp = ev.raw_args[i], ev.raw_args[n]
                if not addr:
                    return "NULL"
                if ev.errno is not None or ev.retval is None:
                    return _ptr(addr)
                got = _read_struct(mem, lenp, "<i")
                if got is None:
                    return _ptr(addr)
                ln = min(got[0], self._inlen.get(mem.tid, 4096))
                data = mem.read(addr, ln) if ln > 0 else b""
                if data is None:
                    return _ptr(addr)
                return more.sockaddr(data, arch, self._xs, self.opts.xflag)
            return sockaddr_out
        if kind == "socklen":
            def socklen(ev: SyscallEvent, mem: Memory) -> str:
                addr = ev.raw_args[i]
                if not addr:
                    return "NULL"
                before = self._inlen.pop(mem.tid, None)
                got = _read_struct(mem, addr, "<i")
                if got is None:
                    return _ptr(addr)
                now = got[0]
                # strace prints [in => out] when the kernel changed a value-result length
                if before is not None and before != now and ev.errno is None:
                    return f"[{before} => {now}]"
                return f"[{before if ev.errno is not None and before is not None else now}]"
            return socklen
        if kind == "sockopt_oval":
            lv = {n: v for v, n in fmt.consts(arch).get("sockopt_level", [])}
            so = {n: v for v, n in fmt.consts(arch).get("sol_socket", [])}
            so_error = (lv.get("SOL_SOCKET"), so.get("SO_ERROR"))
            peercred = (lv.get("SOL_SOCKET"), so.get("SO_PEERCRED"))
            linger = (lv.get("SOL_SOCKET"), so.get("SO_LINGER"))

            def sockopt_oval(ev: SyscallEvent, mem: Memory) -> str:
                addr = ev.raw_args[i]
                if ev.errno is not None or not addr:
                    return _ptr(addr)
                # the length the kernel wrote back says what the value is (getsockopt(2))
                got = _read_struct(mem, ev.raw_args[4], "<i")
                ln = got[0] if got is not None else 4
                key = (ev.raw_args[1] & 0xFFFFFFFF, ev.raw_args[2] & 0xFFFFFFFF)
                if key == peercred and ln >= 12:
                    cred = _read_struct(mem, addr, "<iII")  # struct ucred (unix(7))
                    if cred is not None:
                        return f"{{pid={cred[0]}, uid={cred[1]}, gid={cred[2]}}}"
                if key == linger and ln >= 8:
                    got = _read_struct(mem, addr, "<ii")
                    if got is not None:
                        return f"{{l_onoff={got[0]}, l_linger={got[1]}}}"
                if ln != 4:
                    return self._buf(mem, addr, max(ln, 0))
                got = _read_struct(mem, addr, "<i")
                if got is None:
                    return _ptr(addr)
                v = got[0]
                if v > 0 and key == so_error:
                    # SO_ERROR holds an errno (socket(7)): strace names it
                    name = fmt.errno_text(v).split()[1]
                    return f"[{name}]" if not name.isdigit() else f"[{v}]"
                return f"[{v}]"
            return sockopt_oval
        if kind == "ioctl_arg":
            reqs = {n: v for v, n in fmt.consts(arch).get("ioctl_req", [])}
            tcgets, winsz = reqs.get("TCGETS"), reqs.get("TIOCGWINSZ")
            # requests that pass a struct in: decoded whether or not the call succeeded
            tcsets = {reqs.get(n) for n in ("TCSETS", "TCSETSW", "TCSETSF")} - {None}
            swinsz = reqs.get("TIOCSWINSZ")
            # requests whose argument is a value, named by a table (ioctl_tty(2) TCFLSH, TCXONC)
            by_value = {reqs.get("TCFLSH"): fmt.enum(arch, "tcflsh"), reqs.get("TCXONC"): fmt.enum(arch, "tcxonc")}
            # requests whose argument is a plain int (TIOCSCTTY's force flag, TCSBRK's duration)
            int_value = {reqs.get(n) for n in ("TIOCSCTTY", "TCSBRK", "TCSBRKP")} - {None}
            # requests whose argument points to one int (ioctl_tty(2), ioctl_fionread)
            ints = {reqs.get(n) for n in ("FIONREAD", "TIOCGPTN", "TIOCSPTLCK", "FIONBIO", "TIOCOUTQ",
                                          "TIOCGPGRP", "TIOCSPGRP", "TIOCGSID")} - {None}
            # requests whose argument is a file descriptor (ioctl_ficlone(2))
            fd_args = {reqs.get(n) for n in ("FICLONE",)} - {None}
            # requests that take no argument: strace prints none (ioctl_tty(2), ioctl(2) FIOCLEX)
            no_arg = {reqs.get(n) for n in ("FIOCLEX", "FIONCLEX", "TIOCNOTTY", "TIOCEXCL", "TIOCNXCL")} - {None}
            known = {tcgets, winsz} | ints

            def ioctl_arg(ev: SyscallEvent, mem: Memory) -> str | None:
                addr = ev.raw_args[i]
                r: int | None = ev.raw_args[1] & 0xFFFFFFFF
                if r in no_arg:
                    return None
                en = by_value.get(r)
                if en is not None:
                    return en(addr & 0xFFFFFFFF)
                if r in fd_args:
                    return self._fd_or_num(ev, _s32(addr))
                if r in int_value:
                    return str(_s32(addr))
                if r in tcsets or r == swinsz:
                    r = tcgets if r in tcsets else winsz
                elif ev.errno is not None or not addr or r not in known:
                    return _ptr(addr) if r in known else _hex(addr)
                if r == tcgets:
                    # struct termios (asm-generic/termbits.h): four flag words, c_line, c_cc[19]
                    data = mem.read(addr, 16 if self.abbrev else 36)
                    if data is None or len(data) < (16 if self.abbrev else 36):
                        return _ptr(addr)
                    return more.termios(data, arch, not self.abbrev)
                if r == winsz:
                    ws = _read_struct(mem, addr, "<HHHH")
                    if ws is None:
                        return _ptr(addr)
                    row, col, xp, yp = ws
                    return f"{{ws_row={row}, ws_col={col}, ws_xpixel={xp}, ws_ypixel={yp}}}"
                got = _read_struct(mem, addr, "<i")
                return _ptr(addr) if got is None else f"[{got[0]}]"
            return ioctl_arg
        if kind == "epoll_events":
            size = more.epoll_size(arch)

            def epoll_events(ev: SyscallEvent, mem: Memory) -> str:
                addr = ev.raw_args[i]
                if ev.errno is not None or ev.retval is None:
                    return _ptr(addr)
                n = ev.retval
                data = mem.read(addr, size * n) if n else b""
                if data is None or len(data) < size * n:
                    return _ptr(addr)
                return self._arr([more.epoll_event(data[k * size:], arch) for k in range(n)])
            return epoll_events
        if kind.startswith("riov:"):
            n = int(kind[5:])

            def riov(ev: SyscallEvent, mem: Memory) -> str:
                if ev.errno is not None or ev.retval is None:
                    return _ptr(ev.raw_args[i])
                return self._iov(mem, ev.raw_args[i], ev.raw_args[n], word, ev.retval)
            return riov
        if kind == "rmsghdr":
            def rmsghdr(ev: SyscallEvent, mem: Memory) -> str:
                before = self._inlen.pop(mem.tid, None)
                if ev.errno is not None or ev.retval is None:
                    return _ptr(ev.raw_args[i])
                return self._msghdr(ev, mem, ev.raw_args[i], word, ev.retval, arch, before)
            return rmsghdr
        if kind in ("mmsg_send", "mmsg_recv"):
            recv = kind == "mmsg_recv"

            def mmsg(ev: SyscallEvent, mem: Memory) -> str:
                if ev.errno is not None or ev.retval is None or not ev.raw_args[i]:
                    return _ptr(ev.raw_args[i])
                return self._mmsgs(ev, mem, ev.raw_args[i], word, arch, recv)
            return mmsg
        if kind in ("sched_param", "stack_t", "itimerspec"):
            return self._failed_addr(i, self._kind(kind, i, arch))
        if kind == "loffp_inout":
            def loffp_inout(ev: SyscallEvent, mem: Memory) -> str:
                # sendfile(2) advances *offset: strace shows [before] => [after]
                addr = ev.raw_args[i]
                before = self._inoff.pop(mem.tid, None)
                if not addr:
                    return "NULL"
                got = _read_struct(mem, addr, "<q") if ev.errno is None else None
                if before is None:
                    return _ptr(addr) if got is None else f"[{got[0]}]"
                if got is None or got[0] == before:
                    return f"[{before}]"
                return f"[{before}] => [{got[0]}]"
            return loffp_inout
        if kind == "tms":
            def tms(ev: SyscallEvent, mem: Memory) -> str:
                addr = ev.raw_args[i]
                got = _read_struct(mem, addr, "<4q" if word == 8 else "<4i") if ev.errno is None else None
                if got is None:
                    return _ptr(addr)
                # struct tms (times(2)): clock ticks, USER_HZ = 100; strace adds the seconds
                parts = []
                for name, v in zip(("tms_utime", "tms_stime", "tms_cutime", "tms_cstime"), got, strict=True):
                    parts.append(f"{name}={v}" + (f" /* {v / 100:.2f} s */" if v else ""))
                return "{" + ", ".join(parts) + "}"
            return tms
        if kind == "timex":
            modes, status = fmt.flags(arch, "adj_modes"), fmt.flags(arch, "adj_status")
            # struct timex (linux/timex.h); i386's adjtimex has 32-bit longs, clock_adjtime64 and
            # 64-bit arches the __kernel_timex layout: long long fields, ints padded to 8
            long_ = "i" if word == 4 and not self._time64 else "q"
            pad = "" if long_ == "i" else "4x"
            timex_st = struct.Struct(f"<I{pad}4{long_}i{pad}3{long_}2{long_}3{long_}i{pad}5{long_}i")
            adj_names = ("offset", "freq", "maxerror", "esterror")

            def timex(ev: SyscallEvent, mem: Memory) -> str:
                addr = ev.raw_args[i]
                v = _read_struct(mem, addr, timex_st) if ev.errno is None and ev.retval is not None else None
                if v is None:
                    return _ptr(addr)
                parts = [f"modes={modes(v[0])}"] + [f"{n}={x}" for n, x in zip(adj_names, v[1:5], strict=True)]
                parts.append(f"status={status(v[5] & 0xFFFFFFFF)}")
                parts += [f"constant={v[6]}", f"precision={v[7]}", f"tolerance={v[8]}",
                          f"time={{tv_sec={v[9]}, tv_usec={v[10]}}}", f"tick={v[11]}", f"ppsfreq={v[12]}",
                          f"jitter={v[13]}", f"shift={v[14]}", f"stabil={v[15]}", f"jitcnt={v[16]}",
                          f"calcnt={v[17]}", f"errcnt={v[18]}", f"stbcnt={v[19]}", f"tai={v[20]}"]
                return "{" + ", ".join(parts) + "}"
            return timex
        if kind == "cap_data":
            def cap_data_out(ev: SyscallEvent, mem: Memory) -> str:
                if ev.errno is not None or ev.retval is None:
                    return _ptr(ev.raw_args[i])
                return self._cap_data(mem, ev.raw_args[0], ev.raw_args[i], arch)
            return cap_data_out
        if kind == "intp":
            def intp(ev: SyscallEvent, mem: Memory) -> str:
                addr = ev.raw_args[i]
                got = _read_struct(mem, addr, "<i") if ev.errno is None and ev.retval is not None else None
                return _ptr(addr) if got is None else f"[{got[0]}]"
            return intp
        if kind == "mincore":
            def mincore(ev: SyscallEvent, mem: Memory) -> str:
                addr = ev.raw_args[i]
                if ev.errno is not None or ev.retval is None or not addr:
                    return _ptr(addr)
                # mincore(2): one byte a page of the range, bit 0 = resident
                pages = (ev.raw_args[1] + 4095) // 4096
                n = min(pages, self.opts.string_limit) if self.abbrev else pages
                data = mem.read(addr, n) if n else b""
                if data is None or len(data) < n:
                    return _ptr(addr)
                items = [str(b & 1) for b in data] + (["..."] if n < pages else [])
                return "[" + ", ".join(items) + "]"
            return mincore
        if kind == "siginfo_out":
            def siginfo_out(ev: SyscallEvent, mem: Memory) -> str:
                addr = ev.raw_args[i]
                data = mem.read(addr, 128) if addr and ev.errno is None else None
                if data is None or len(data) < 128:
                    return _ptr(addr)
                return format_siginfo(data, arch, self.opts.raw_all, self.opts.xlat_verbose)
            return siginfo_out
        if kind == "statx":
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
                m = fmt.flags(arch, "statx_mask", self._xs)(mask)
                a = fmt.flags(arch, "statx_attrs", self._xs)
                if self.abbrev:
                    return (f"{{stx_mask={m}, stx_attributes={a(attrs)}, "
                            f"stx_mode={self._mode(mode, arch)}, stx_size={size}, ...}}")
                parts = [f"stx_mask={m}", f"stx_blksize={blk}", f"stx_attributes={a(attrs)}",
                         f"stx_nlink={nlink}", f"stx_uid={uid}", f"stx_gid={gid}",
                         f"stx_mode={self._mode(mode, arch)}", f"stx_ino={ino}", f"stx_size={size}",
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
        if kind == "rusage":
            lay = structs.layout("rusage", arch)

            def rusage(ev: SyscallEvent, mem: Memory) -> str:
                addr = ev.raw_args[i]
                if not addr:
                    return "NULL"
                # wait4 fills it only when a child was reaped (retval > 0)
                if ev.errno is not None or ev.retval is None or (ev.name == "wait4" and ev.retval <= 0):
                    return _ptr(addr)
                data = mem.read(addr, lay.size)
                if data is None or len(data) < lay.size:
                    return _ptr(addr)
                v = lay.unpack(data)
                text = (f"{{ru_utime={{tv_sec={v['ru_utime_sec']}, tv_usec={v['ru_utime_usec']}}}, "
                        f"ru_stime={{tv_sec={v['ru_stime_sec']}, tv_usec={v['ru_stime_usec']}}}")
                if self.abbrev:
                    return text + ", ...}"
                rest = ", ".join(f"{k}={v[k]}" for k in lay.names[4:])
                return f"{text}, {rest}}}"
            return rusage
        if kind == "itimerval":
            fn = self._kind("itimerval", i, arch)
            return self._failed_addr(i, fn)
        if kind == "clone_args":
            lay = structs.layout("clone_args", arch)
            cf = {n: v for v, n in fmt.consts(arch).get("clone_flags", [])}
            fl = fmt.flags(arch, "clone_flags", self._xs)

            def clone_args(ev: SyscallEvent, mem: Memory) -> str:
                addr, size = ev.raw_args[i], ev.raw_args[1]
                data = mem.read(addr, min(size, lay.size)) if addr else None
                if data is None or len(data) < 64:
                    return _ptr(addr)
                a = lay.unpack(data.ljust(lay.size, b"\0"))
                f = a["flags"]
                parts = [f"flags={fl(f)}"]
                # clone(2): the fields each flag makes the kernel use, in strace's order
                if f & cf.get("CLONE_PIDFD", 0):
                    parts.append(f"pidfd={_ptr(a['pidfd'])}")
                if f & (cf.get("CLONE_CHILD_SETTID", 0) | cf.get("CLONE_CHILD_CLEARTID", 0)):
                    parts.append(f"child_tid={_ptr(a['child_tid'])}")
                if f & cf.get("CLONE_PARENT_SETTID", 0):
                    parts.append(f"parent_tid={_ptr(a['parent_tid'])}")
                sig = a["exit_signal"]
                sig_text = fmt.signame(sig) if sig and self._xs != 2 else str(sig)
                if sig and self._xs == 1:
                    sig_text = f"{sig} /* {sig_text} */"
                parts.append(f"exit_signal={sig_text}")
                parts.append(f"stack={_ptr(a['stack'])}")
                parts.append(f"stack_size={_hex(a['stack_size'])}")
                if f & cf.get("CLONE_SETTLS", 0):
                    parts.append("tls=" + (_user_desc(mem, a["tls"]) if arch == "i386" else _ptr(a["tls"])))
                text = "{" + ", ".join(parts) + "}"
                if ev.errno is None and f & cf.get("CLONE_PARENT_SETTID", 0) and a["parent_tid"]:
                    ptid = _read_struct(mem, a["parent_tid"], "<i")
                    if ptid is not None:
                        text += f" => {{parent_tid=[{ptid[0]}]}}"
                return text
            return clone_args
        if kind == "sysinfo":
            lay = structs.layout("sysinfo", arch)

            def sysinfo(ev: SyscallEvent, mem: Memory) -> str:
                addr = ev.raw_args[i]
                data = mem.read(addr, lay.size) if addr and ev.errno is None else None
                if data is None or len(data) < lay.size:
                    return _ptr(addr)
                v = lay.unpack(data)
                loads = self._arr([str(v["load0"]), str(v["load1"]), str(v["load2"])])
                return (f"{{uptime={v['uptime']}, loads={loads}, "
                        + ", ".join(f"{k}={v[k]}" for k in (
                            "totalram", "freeram", "sharedram", "bufferram", "totalswap", "freeswap",
                            "procs", "totalhigh", "freehigh", "mem_unit")) + "}")
            return sysinfo
        if kind == "utsname":
            names = ("sysname", "nodename", "release", "version", "machine", "domainname")

            def utsname(ev: SyscallEvent, mem: Memory) -> str:
                addr = ev.raw_args[i]
                # struct new_utsname: six 65-byte NUL-terminated fields (linux/utsname.h)
                data = mem.read(addr, 65 * 6) if addr and ev.errno is None else None
                if data is None or len(data) < 65 * 6:
                    return _ptr(addr)
                vals = [data[65 * k: 65 * k + 65].split(b"\0", 1)[0] for k in range(6)]
                shown = 6 if not self.abbrev else 2
                parts = [f'{n}="{fmt.quote(v, o.xflag)}"' for n, v in zip(names[:shown], vals[:shown],
                                                                           strict=True)]
                return "{" + ", ".join(parts) + (", ...}" if self.abbrev else "}")
            return utsname
        if kind in ("statfs", "statfs64"):
            magic = fmt.enum(arch, "fs_magic", self._xs)
            stf = fmt.flags(arch, "statfs_flags", self._xs)
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
                return (f"{{f_type={t}, f_bsize={bsize}, f_blocks={blocks}, f_bfree={bfree}, "
                        f"f_bavail={bavail}, f_files={files}, f_ffree={ffree}, "
                        f"f_fsid={{val=[{_hex(fs0 & 0xFFFFFFFF)}, {_hex(fs1 & 0xFFFFFFFF)}]}}, "
                        f"f_namelen={namelen}, f_frsize={frsize}, f_flags={stf(flags)}}}")
            return statfs
        if kind == "cpuset":
            def cpuset(ev: SyscallEvent, mem: Memory) -> str:
                addr = ev.raw_args[i]
                if ev.errno is not None or not ev.retval or ev.retval > 1 << 16:
                    return _ptr(addr)
                # sched_getaffinity(2) returns how many bytes of the mask it wrote
                data = mem.read(addr, ev.retval)
                if data is None or len(data) < ev.retval:
                    return _ptr(addr)
                bits = int.from_bytes(data, "little")
                return "[" + " ".join(str(k) for k in range(8 * len(data)) if bits >> k & 1) + "]"
            return cpuset
        if kind == "gids":
            def gids(ev: SyscallEvent, mem: Memory) -> str:
                addr = ev.raw_args[i]
                if ev.errno is not None or ev.retval is None or not addr:
                    return _ptr(addr)
                n = ev.retval
                data = mem.read(addr, 4 * n) if n else b""
                if data is None or len(data) < 4 * n:
                    return _ptr(addr)
                return self._arr([str(g) for g in struct.unpack(f"<{n}I", data)])
            return gids
        if kind == "dirents":
            def dirents(ev: SyscallEvent, mem: Memory) -> str:
                addr = ev.raw_args[i]
                if ev.errno is not None or ev.retval is None:
                    return _ptr(addr)
                data = mem.read(addr, ev.retval) or b""
                # struct linux_dirent64 (linux/dirent.h): d_ino u64, d_off s64, d_reclen u16,
                # d_type u8, d_name NUL-terminated
                n = off = 0
                items = []
                while off + 19 <= len(data):
                    ino, doff, reclen, dtype = struct.unpack_from("<QqHB", data, off)
                    if not reclen:
                        break
                    if not self.abbrev:
                        name = data[off + 19: off + reclen].split(b"\0", 1)[0]
                        items.append(f"{{d_ino={ino}, d_off={doff}, d_reclen={reclen}, "
                                     f"d_type={self._dtype(dtype)}, "
                                     f'd_name="{fmt.quote(name, o.xflag)}"}}')
                    off += reclen
                    n += 1
                if not self.abbrev:
                    return "[" + ", ".join(items) + "]"
                return f"{_ptr(addr)} /* {n} entries */"
            return dirents
        if kind == "cwd":
            def cwd(ev: SyscallEvent, mem: Memory) -> str:
                if ev.errno is not None or ev.retval is None:
                    return _ptr(ev.raw_args[i])
                return self._cstr(mem, ev.raw_args[i], PATH_MAX)
            return cwd
        return self._kind(kind, i, arch)

    @staticmethod
    def _failed_addr(i: int, fn: ArgFn) -> ArgFn:
        def out(ev: SyscallEvent, mem: Memory) -> str | None:
            if ev.errno is not None or ev.retval is None:
                return _ptr(ev.raw_args[i])
            return fn(ev, mem)
        return out

    def _stat(self, mem: Memory, addr: int, arch: str) -> str:
        lay = structs.layout("stat", arch)
        data = mem.read(addr, lay.size) if addr else None
        if data is None or len(data) < lay.size:
            return _ptr(addr)
        st = lay.unpack(data)
        mode = self._mode(st["st_mode"], arch)
        rdev = st["st_rdev"]
        ftype = st["st_mode"] & 0o170000
        dev_line = ""
        if ftype in (0o020000, 0o060000):  # S_IFCHR, S_IFBLK: strace shows st_rdev, not st_size
            dev = _makedev(rdev)
            dev_line = (f"st_rdev={_hex(rdev)}" if self.opts.raw_all else f"st_rdev={_hex(rdev)} /* {dev} */"
                        if self.opts.xlat_verbose else f"st_rdev={dev}")
        if self.abbrev:
            mid = dev_line or f"st_size={st['st_size']}"
            return f"{{st_mode={mode}, {mid}, ...}}"
        sdev = st["st_dev"]
        dev_text = (_hex(sdev) if self.opts.raw_all else f"{_hex(sdev)} /* {_makedev(sdev)} */"
                    if self.opts.xlat_verbose else _makedev(sdev))
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

    def _mode(self, mode: int, arch: str) -> str:
        if self.opts.raw_all:
            return _oct(mode)
        ft = fmt.enum(arch, "file_type").get(mode & 0o170000)
        special = fmt.flags(arch, "mode_bits")(mode & 0o7000, "")
        text = ft if ft is not None else (f"{mode & 0o170000:#o}" if mode & 0o170000 else "")
        if special:
            text = f"{text}|{special}" if text else special
        perm = _oct(mode & 0o777)
        if text and self.opts.xlat_verbose:
            return f"{_oct(mode)} /* {text}|{perm} */"
        return f"{text}|{perm}" if text else perm

    def _clone(self, arch: str) -> tuple[list[ArgFn], list[ArgFn]]:
        # clone(2) on x86_64: (flags, stack, parent_tid, child_tid, tls); i386 and arm64 swap
        # tls and child_tid (kernel/fork.c CONFIG_CLONE_BACKWARDS).  strace prints stack and
        # flags at entry, and the tid/tls pointers the flags make meaningful at exit.
        fl = fmt.flags(arch, "clone_flags")
        c = {n: v for v, n in fmt.consts(arch).get("clone_flags", [])}
        ptid_f = c.get("CLONE_PARENT_SETTID", 0) | c.get("CLONE_PIDFD", 0)
        ctid_f = c.get("CLONE_CHILD_SETTID", 0) | c.get("CLONE_CHILD_CLEARTID", 0)
        tls_f = c.get("CLONE_SETTLS", 0)
        ctid_i, tls_i = (4, 3) if arch in ("i386", "aarch64") else (3, 4)

        def stack(ev: SyscallEvent, mem: Memory) -> str:
            return "child_stack=" + _ptr(ev.raw_args[1])

        def flags(ev: SyscallEvent, mem: Memory) -> str:
            v = ev.raw_args[0] & 0xFFFFFFFF
            sig = v & 0xFF
            if self.opts.raw_all:
                return "flags=" + _hex(v & ~0xFF) + (f"|{sig}" if sig else "")
            if self.opts.xlat_verbose:
                text = f"{_hex(v & ~0xFF)} /* {fl(v & ~0xFF)} */" if v & ~0xFF else ""
                if sig:
                    text = (text + "|" if text else "") + f"{sig} /* {fmt.signame(sig)} */"
                return "flags=" + (text or "0")
            text = fl(v & ~0xFF, "")
            if sig:
                text = (text + "|" if text else "") + fmt.signame(sig)
            return "flags=" + (text or "0")

        def ptid(ev: SyscallEvent, mem: Memory) -> str | None:
            if not ev.raw_args[0] & ptid_f:
                return None
            addr = ev.raw_args[2]
            data = mem.read(addr, 4) if addr and ev.errno is None else None
            if data is None or len(data) < 4:
                return "parent_tid=" + _ptr(addr)
            return f"parent_tid=[{struct.unpack('i', data)[0]}]"

        def ctid(ev: SyscallEvent, mem: Memory) -> str | None:
            if not ev.raw_args[0] & ctid_f:
                return None
            return "child_tidptr=" + _ptr(ev.raw_args[ctid_i])

        def tls(ev: SyscallEvent, mem: Memory) -> str | None:
            if not ev.raw_args[0] & tls_f:
                return None
            if arch == "i386":  # a struct user_desc * there
                return "tls=" + _user_desc(mem, ev.raw_args[tls_i])
            return "tls=" + _ptr(ev.raw_args[tls_i])

        return [stack, flags], [ptid, tls, ctid]

    # -- helpers -------------------------------------------------------------------------
    def _cstr(self, mem: Memory, addr: int, limit: int) -> str:
        if not addr:
            return "NULL"
        got = mem.read_cstr(addr, limit + 1)
        if got is None:
            return _ptr(addr)
        data, nul = got
        if len(data) > limit or (not nul and len(data) >= limit):
            return '"' + fmt.quote(data[:limit], self.opts.xflag) + '"...'
        return '"' + fmt.quote(data, self.opts.xflag) + '"'

    def _buf(self, mem: Memory, addr: int, length: int) -> str:
        if not addr:
            return "NULL"
        limit = self._slimit
        n = length if length < limit else limit
        data = mem.read(addr, n) if n else b""
        if data is None or len(data) < n:
            return _ptr(addr)
        text = '"' + fmt.quote(data, self._xflag) + '"'
        return text + "..." if length > limit else text

    def _argv(self, mem: Memory, addr: int, word: int) -> str:
        if not addr:
            return "NULL"
        parts: list[str] = []
        code = "<Q" if word == 8 else "<I"
        limit = self.opts.string_limit
        n = 0
        while True:
            raw = mem.read(addr + n * word, word)
            if raw is None or len(raw) < word:
                if n == 0:
                    return _ptr(addr)
                parts.append("...")  # strace: the array ran into unreadable memory
                break
            p = struct.unpack(code, raw)[0]
            if not p:
                break
            if n >= limit and self.abbrev:
                parts.append("...")
                break
            parts.append(self._cstr(mem, p, limit))
            n += 1
        return "[" + ", ".join(parts) + "]"

    def _envp(self, mem: Memory, addr: int, word: int) -> str:
        if not addr:
            return "NULL"
        code = "<Q" if word == 8 else "<I"
        n = 0
        while True:
            raw = mem.read(addr + n * word, word)
            if raw is None or len(raw) < word:
                return _ptr(addr)
            if not struct.unpack(code, raw)[0]:
                break
            n += 1
        return f"{addr:#x} /* {n} var{'' if n == 1 else 's'} */"

    def _iov(self, mem: Memory, addr: int, count: int, word: int, data_len: int | None) -> str:
        """``[{iov_base="...", iov_len=5}, ...]``; for reads only the first data_len bytes
        (the return value) are data, spread over the buffers in order (readv(2))."""
        if not addr:
            return "NULL"
        code = "<QQ" if word == 8 else "<II"
        size = 2 * word
        # the kernel refuses more than UIO_MAXIOV (1024) entries (readv(2))
        count = min(count, 1024)
        raw = mem.read(addr, size * count)
        if raw is None or len(raw) < size * count:
            return _ptr(addr)
        items = []
        left = data_len
        for k in range(count):
            if k >= self.opts.string_limit and self.abbrev:
                items.append("...")
                break
            base, ln = struct.unpack_from(code, raw, k * size)
            shown = ln if left is None else min(ln, left)
            if left is not None:
                left -= shown
            items.append(f"{{iov_base={self._buf(mem, base, shown)}, iov_len={ln}}}")
        return "[" + ", ".join(items) + "]"

    def _msghdr(self, ev: SyscallEvent, mem: Memory, addr: int, word: int, data_len: int | None, arch: str,
                namelen_in: int | None = None) -> str:
        # struct msghdr (linux/socket.h user_msghdr): name, namelen, iov, iovlen, control,
        # controllen, flags; pointers and size_t are words, namelen/flags ints.  data_len is the
        # byte count received (recvmsg), None for a message sent.
        fields = _read_struct(mem, addr, "<QI4xQQQQi" if word == 8 else "<IIIIIIi")
        if fields is None:
            return _ptr(addr)
        name, namelen, iov, iovlen, control, controllen, flags = fields
        if not name:
            name_s = "NULL"
        elif data_len is not None and not namelen:
            name_s = _ptr(name)  # recvmsg: the kernel wrote no address
        else:
            data = mem.read(name, min(namelen, 4096)) if namelen else b""
            name_s = more.sockaddr(data, arch, self._xs, self.opts.xflag) if data is not None else _ptr(name)
        nl = f"{namelen_in} => {namelen}" if namelen_in is not None and namelen_in != namelen else str(namelen)
        parts = [f"msg_name={name_s}", f"msg_namelen={nl}",
                 f"msg_iov={self._iov(mem, iov, iovlen, word, data_len)}", f"msg_iovlen={iovlen}"]
        if controllen:
            cdata = mem.read(control, min(controllen, 1 << 16)) if control else None
            if cdata is None or len(cdata) < min(controllen, 1 << 16):
                parts.append(f"msg_control={_ptr(control)}")
            else:
                parts.append("msg_control=" + msg.cmsgs(cdata, word, arch, lambda fd: self._fd_or_num(ev, fd),
                                                         self.opts.xflag, self._xs, self._limit))
        parts.append(f"msg_controllen={controllen}")
        parts.append(f"msg_flags={fmt.flags(arch, 'msg_flags', self._xs)(flags & 0xFFFFFFFF)}")
        return "{" + ", ".join(parts) + "}"

    def _mmsgs(self, ev: SyscallEvent, mem: Memory, addr: int, word: int, arch: str, recv: bool) -> str:
        """sendmmsg(2)/recvmmsg(2): ``[{msg_hdr={...}, msg_len=3}, ...]``, the messages the call
        handled (its result); struct mmsghdr is a msghdr then an unsigned int, word-aligned."""
        n = ev.retval or 0
        hsize = 56 if word == 8 else 28
        size = 64 if word == 8 else 32
        items = []
        for k in range(n):
            if k >= self.opts.string_limit and self.abbrev:
                items.append("...")
                break
            raw = mem.read(addr + k * size + hsize, 4)
            if raw is None or len(raw) < 4:
                return _ptr(addr)
            mlen = struct.unpack("<I", raw)[0]
            hdr = self._msghdr(ev, mem, addr + k * size, word, mlen if recv else None, arch)
            items.append(f"{{msg_hdr={hdr}, msg_len={mlen}}}")
        return "[" + ", ".join(items) + "]"

    def _fdset(self, mem: Memory, addr: int, nfds: int, word: int, ev: SyscallEvent | None = None) -> str:
        """``[3 5]``; with ev and -y the descriptors carry their paths (the arguments, not the
        sets select(2) returns)."""
        if not addr:
            return "NULL"
        if nfds <= 0 or nfds > 1 << 20:
            return _ptr(addr)
        # fd_set is an array of longs (select(2)); strace reads whole words covering nfds
        nbytes = (nfds + 8 * word - 1) // (8 * word) * word
        data = mem.read(addr, nbytes)
        if data is None or len(data) < nbytes:
            return _ptr(addr)
        bits = int.from_bytes(data, "little")
        if ev is not None and self.opts.decode_fds:
            return "[" + " ".join(self._fd(ev, k) for k in range(nfds) if bits >> k & 1) + "]"
        return "[" + " ".join(str(k) for k in range(nfds) if bits >> k & 1) + "]"

    def _timeval(self, mem: Memory, addr: int, lay: structs.Layout) -> str:
        got = _read_struct(mem, addr, lay.st)
        return _ptr(addr) if got is None else f"{{tv_sec={got[0]}, tv_usec={got[1]}}}"

    def _arr(self, items: list[str]) -> str:
        """An array as strace's print_array(): abbreviated after -s elements (not under -v)."""
        limit = self.opts.string_limit
        if self.abbrev and len(items) > limit:
            items = items[:limit] + ["..."]
        return "[" + ", ".join(items) + "]"

    def _dtype(self, dtype: int) -> str:
        name = _DT.get(dtype)
        if name is None:
            return str(dtype)
        if self._xs == 2:
            return _hex(dtype)
        return f"{_hex(dtype)} /* {name} */" if self._xs == 1 else name

    def _cap_data(self, mem: Memory, hdr: int, addr: int, arch: str) -> str:
        """capget(2)/capset(2) data: one struct __user_cap_data_struct {effective, permitted,
        inheritable} for _LINUX_CAPABILITY_VERSION_1, two (the upper 32 capabilities) after."""
        raw = mem.read(hdr, 4) if hdr else None
        versions = {n: v for v, n in fmt.consts(arch).get("cap_version", [])}
        v1 = versions.get("_LINUX_CAPABILITY_VERSION_1")
        n = 1 if raw is None or len(raw) < 4 or struct.unpack("<I", raw)[0] == v1 else 2
        data = mem.read(addr, 12 * n) if addr else None
        if data is None or len(data) < 12 * n:
            return _ptr(addr)
        words = struct.unpack(f"<{3 * n}I", data)
        caps = fmt.enum(arch, "capability")
        out = []
        for k, name in enumerate(("effective", "permitted", "inheritable")):
            v = words[k] | (words[3 + k] << 32 if n == 2 else 0)
            bits = [f"1<<{caps.get(b) or b}" for b in range(64) if v >> b & 1]
            out.append(f"{name}={'|'.join(bits) or 0}")
        return "{" + ", ".join(out) + "}"

    def _sigset(self, mem: Memory, addr: int, size: int) -> str:
        if not addr:
            return "NULL"
        # rt_sigprocmask(2): a size other than the kernel's sigset_t (8 bytes) is EINVAL;
        # strace then shows the address only.
        if size != 8:
            return _ptr(addr)
        data = mem.read(addr, 8)
        if data is None or len(data) < 8:
            return _ptr(addr)
        return fmt.sigset(data, self._xs)

    def _sigaction(self, mem: Memory, addr: int, word: int, arch: str) -> str:
        if not addr:
            return "NULL"
        # struct kernel_sigaction (arch/x86/include/asm/signal.h via kernel/signal.c):
        # handler, flags, restorer (words), then the 8-byte mask.
        size = 3 * word + 8
        data = mem.read(addr, size)
        if data is None or len(data) < size:
            return _ptr(addr)
        code = "<QQQ" if word == 8 else "<III"
        handler, flags, restorer = struct.unpack(code, data[: 3 * word])
        mask = data[3 * word:]
        h = {0: "SIG_DFL", 1: "SIG_IGN"}.get(handler) or f"{handler:#x}"
        if self.opts.raw_all:
            h = _hex(handler)
        if self.opts.xlat_verbose and handler in (0, 1):
            h = f"{handler:#x} /* {h} */" if handler else f"0 /* {h} */"
        fl = fmt.flags(arch, "sa_flags", self._xs)
        # sa_flags is an unsigned long: glibc sign-extends SA_RESETHAND (0x80000000) into the
        # upper half on 64-bit, which strace shows as an unknown 0xffffffff00000000
        text = f"{{sa_handler={h}, sa_mask={fmt.sigset(mask, self._xs)}, sa_flags={fl(flags)}"
        restorer_bit = 0x04000000  # SA_RESTORER (asm/signal.h); strace prints the field with it
        if flags & restorer_bit:
            text += f", sa_restorer={_ptr(restorer)}"
        return text + "}"

    def _fd(self, ev: SyscallEvent, fd: int) -> str:
        if fd < 0:
            return str(fd)
        return f"{fd}{self._link(f'/proc/{ev.pid}/fd/{fd}')}"

    def _link(self, proc_path: str) -> str:
        try:
            target = os.readlink(os.fsencode(proc_path))
        except OSError:
            return ""
        if self.opts.decode_fds >= 2 and target.startswith(b"socket:["):
            # -yy: the endpoints instead of the bare inode
            pid = proc_path.split("/")[2]
            got = sockets.describe(int(pid), int(target[8:-1]), proc_path)
            if got is not None:
                return f"<{got}>"
        if target == b"anon_inode:[pidfd]":
            # a pidfd names its process: the "Pid:" line of its fdinfo (proc_pid_fdinfo(5))
            try:
                with open(proc_path.replace("/fd/", "/fdinfo/"), "rb") as f:
                    for line in f:
                        # -1 once the process is reaped: then the plain path, as strace
                        if line.startswith(b"Pid:") and int(line.split()[1]) > 0:
                            return f"<pid:{int(line.split()[1])}>"
            except (OSError, ValueError, IndexError):
                pass
        # a file unlinked while open reads back as "PATH (deleted)" (proc(5)); strace shows the
        # marker after the path: <PATH>(deleted)
        deleted = ""
        if target.endswith(b" (deleted)"):
            target, deleted = target[:-10], "(deleted)"
        # strace printfd(): the path quoted like a string, with "<" and ">" escaped as well
        text = fmt.quote(target, self.opts.xflag)
        if "<" in text or ">" in text:
            text = text.replace("<", "\\74").replace(">", "\\76")
        if self.opts.decode_fds >= 2 and target.startswith(b"/dev/"):
            # -yy names the device numbers of character and block special files
            try:
                st = os.stat(proc_path)
            except OSError:
                return f"<{text}>"
            kind = "char" if stat.S_ISCHR(st.st_mode) else "block" if stat.S_ISBLK(st.st_mode) else ""
            if kind:
                return f"<{text}<{kind} {os.major(st.st_rdev)}:{os.minor(st.st_rdev)}>>{deleted}"
        return f"<{text}>{deleted}"

    def _dumps(self, ev: SyscallEvent, mem: Memory) -> None:
        name = ev.name
        fd = _s32(ev.raw_args[0]) if ev.raw_args else -1
        # calls whose second argument is the data buffer and whose result is its length
        if name in ("read", "pread64", "recvfrom", "recv") and fd in self.opts.read_fds or \
                name in ("write", "pwrite64", "sendto", "send") and fd in self.opts.write_fds:
            n = ev.retval or 0
            data = mem.read(ev.raw_args[1], n) if n > 0 else b""
            if data:
                ev.extra.extend(hexdump(data))
            return
        if name not in _VECTOR_IO:
            return
        reading, kind = _VECTOR_IO[name]
        if fd not in (self.opts.read_fds if reading else self.opts.write_fds):
            return
        word = _WORD.get(ev.arch, 8)
        if kind == "iov":
            self._dump_iov(ev, mem, ev.raw_args[1], ev.raw_args[2], ev.retval or 0, word)
        elif kind == "msg":
            hdr = self._msg_iov(mem, ev.raw_args[1], word)
            if hdr is not None:
                self._dump_iov(ev, mem, hdr[0], hdr[1], ev.retval or 0, word)
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
            data = mem.read(base, n) if n else b""
            if data:
                ev.extra.extend(hexdump(data))


def hexdump(data: bytes) -> list[str]:
    """strace's -e read=/write= dump lines (src/util.c dumpstr)."""
    lines = []
    for off in range(0, len(data), 16):
        chunk = data[off: off + 16]
        hexpart = ""
        for j in range(16):
            hexpart += f"{chunk[j]:02x} " if j < len(chunk) else "   "
            if j == 7:
                hexpart += " "
        asc = "".join(chr(c) if 0x20 <= c < 0x7F else "." for c in chunk)
        lines.append(f" | {off:05x}  {hexpart} {asc:<16s} |")
    return lines


def wait_status(status: int) -> str:
    """``{WIFEXITED(s) && WEXITSTATUS(s) == 0}`` as strace's printstatus()."""
    s = status & 0xFFFF
    if s & 0x7F == 0:
        text = f"{{WIFEXITED(s) && WEXITSTATUS(s) == {(s >> 8) & 0xFF}}}"
    elif s & 0xFF == 0x7F:
        text = f"{{WIFSTOPPED(s) && WSTOPSIG(s) == {fmt.signame((s >> 8) & 0xFF)}}}"
    elif s == 0xFFFF:
        text = "{WIFCONTINUED(s)}"
    else:
        core = " && WCOREDUMP(s)" if s & 0x80 else ""
        text = f"{{WIFSIGNALED(s) && WTERMSIG(s) == {fmt.signame(s & 0x7F)}{core}}}"
    hi = status >> 16
    if hi:
        text += f" | {hi:#x} << 16"
    return text


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
