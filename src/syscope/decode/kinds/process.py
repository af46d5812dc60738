"""Processes: argv/envp, clone, limits, credentials, capabilities, CPU sets, wait and rusage."""

from __future__ import annotations

import os
import struct

from syscope.decode import cformat, fmt, structs
from syscope.decode.base import DecoderBase
from syscope.decode.fmt import hexnum as _hex
from syscope.decode.fmt import ptr as _ptr
from syscope.decode.fmt import s32 as _s32
from syscope.decode.fmt import wait_status
from syscope.decode.kinds.clone_forms import clone_args_op
from syscope.decode.kinds.scalar import signed32
from syscope.decode.registry import ArgFn, Memory, RetFn, register, returns, store, word_size
from syscope.decode.registry import read_struct as _read_struct
from syscope.events import SyscallEvent
from syscope.lean import cache
from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

    from syscope.decode.registry import CFactory


def _rlim(v: int, inf: str = "RLIM64_INFINITY") -> str:
    # strace resource.c sprint_rlim64: infinity by name, multiples of 1024 as N*1024
    if v == 0xFFFFFFFFFFFFFFFF or (inf == "RLIM_INFINITY" and v == 0xFFFFFFFF):
        return inf
    if v > 1024 and v % 1024 == 0:
        return f"{v // 1024}*1024"
    return str(v)



def _persona(arch: str, v: int, xs: int) -> str:
    """personality(2) value as strace's personality.c: the persona (low byte, PER_MASK) by name
    or ``0x1f /* PER_??? */``, then the flag bits above it, ``PER_LINUX|ADDR_NO_RANDOMIZE``; xs
    is the -X style."""
    text = fmt.enum(arch, "personality", xs)(v & 0xFF)
    if v & ~0xFF:
        text += "|" + fmt.flags(arch, "personality_flags", xs)(v & ~0xFF)
    return text


def _ioprio(arch: str, v: int, xs: int = 0) -> str:
    """An I/O priority as the kernel's IOPRIO_PRIO_VALUE(class, data) (linux/ioprio.h: the class
    in the bits above 13); xs is the -X style of the class name."""
    cls = fmt.enum(arch, "ioprio_class", 1 if xs else 0)
    return f"IOPRIO_PRIO_VALUE({cls(v >> 13)}, {v & 0x1FFF})"


def _pointer_array(mem: Memory, addr: int, word: int) -> Iterator[tuple[int, int | None]]:
    """The pointers of a NULL-terminated array (execve(2)'s argv and envp), each with its own
    address, up to the NULL (not yielded); a last ``(address, None)`` when the array runs into
    memory that cannot be read before its NULL."""
    code = "<Q" if word == 8 else "<I"
    at = addr
    while True:
        raw = mem.read(at, word) if at < 1 << 8 * word else None
        if raw is None or len(raw) < word:
            yield at, None
            return
        p = struct.unpack(code, raw)[0]
        if not p:
            return
        yield at, p
        at += word


def _argv(d: DecoderBase, mem: Memory, addr: int, word: int, ev: SyscallEvent, i: int) -> str:
    if not addr:
        return "NULL"
    parts: list[str] = []
    values: list[str | None] = []
    limit = d.opts.string_limit
    for n, (at, p) in enumerate(_pointer_array(mem, addr, word)):
        if p is None:
            if n == 0:
                return _ptr(addr)
            # strace printargv: the array ran into unreadable memory, at this address
            parts.append(f"... /* {_ptr(at)} */")
            break
        if n >= limit and d.abbrev:
            parts.append("...")
            break
        text, value = d.cstr_value(mem, p, limit)
        parts.append(text)
        values.append(value)
    store(ev, i, values)
    return "[" + ", ".join(parts) + "]"


def _envp(d: DecoderBase, mem: Memory, addr: int, word: int) -> str:
    if not addr:
        return "NULL"
    n = 0
    unterminated = ""
    for _at, p in _pointer_array(mem, addr, word):
        if p is None:
            if n == 0:
                return _ptr(addr)
            unterminated = ", unterminated"  # strace printargc: no NULL before the fault
            break
        n += 1
    return f"{addr:#x} /* {n} var{'' if n == 1 else 's'}{unterminated} */"


def _cap_data(d: DecoderBase, mem: Memory, hdr: int, addr: int, arch: str) -> str:
    """capget(2)/capset(2) data: one struct __user_cap_data_struct {effective, permitted,
    inheritable} for _LINUX_CAPABILITY_VERSION_1, two (the upper 32 capabilities) after."""
    raw = mem.read(hdr, 8) if hdr else None
    if raw is None or len(raw) < 8:
        return _ptr(addr)  # no header, no version to size the data by (strace's print_cap_data)
    versions = {n: v for v, n in fmt.consts(arch).get("cap_version", [])}
    # two structs for _LINUX_CAPABILITY_VERSION_2 and _3, one for _1 and any unknown version
    n = 2 if struct.unpack("<I", raw[:4])[0] in (versions.get("_LINUX_CAPABILITY_VERSION_2"),
                                                 versions.get("_LINUX_CAPABILITY_VERSION_3")) else 1
    data = mem.read(addr, 12 * n) if addr else None
    if data is None or len(data) < 12 * n:
        return _ptr(addr)
    words = struct.unpack(f"<{3 * n}I", data)
    lo_caps, hi_caps = _cap_masks(arch, d.xs)
    out = []
    for k, name in enumerate(("effective", "permitted", "inheritable")):
        # strace's print_cap_bits: the low word by printflags(cap_mask0), then "|" and the high
        # word by printflags(cap_mask1), each in the -X style ("0xffffffff|0x1ff" under raw)
        lo, hi = words[k], (words[3 + k] if n == 2 else 0)
        parts = [lo_caps(lo)] if lo or not hi else []
        if hi:
            parts.append(hi_caps(hi))
        out.append(f"{name}={'|'.join(parts)}")
    return "{" + ", ".join(out) + "}"


@cache
def _cap_masks(arch: str, style: int) -> tuple[fmt.Flags, fmt.Flags]:
    """The capability bits of the low and the high 32-bit word (strace's cap_mask0/cap_mask1,
    named ``1<<CAP_...`` after the capability numbers of linux/capability.h)."""
    caps = fmt.consts(arch).get("capability", [])
    lo = [(1 << v, f"1<<{n}") for v, n in caps if v < 32]
    hi = [(1 << (v - 32), f"1<<{n}") for v, n in caps if 32 <= v < 64]
    return fmt.Flags(lo, style, "CAP_???"), fmt.Flags(hi, style, "CAP_???")


def clone_plan(d: DecoderBase, arch: str) -> tuple[list[ArgFn], list[ArgFn]]:
    # clone(2) on x86_64: (flags, stack, parent_tid, child_tid, tls); i386 and arm64 swap
    # tls and child_tid (kernel/fork.c CONFIG_CLONE_BACKWARDS).  strace prints stack and
    # flags at entry, and the tid/tls pointers the flags make meaningful at exit.
    fl = fmt.flags(arch, "clone_flags")
    c = {n: v for v, n in fmt.consts(arch).get("clone_flags", [])}
    settid_f = c.get("CLONE_PARENT_SETTID", 0)
    ptid_f = settid_f | c.get("CLONE_PIDFD", 0)
    ctid_f = c.get("CLONE_CHILD_SETTID", 0) | c.get("CLONE_CHILD_CLEARTID", 0)
    tls_f = c.get("CLONE_SETTLS", 0)
    ctid_i, tls_i = (4, 3) if arch in ("i386", "aarch64") else (3, 4)

    def stack(ev: SyscallEvent, mem: Memory) -> str:
        return "child_stack=" + _ptr(ev.raw_args[1])

    def flags(ev: SyscallEvent, mem: Memory) -> str:
        v = ev.raw_args[0] & 0xFFFFFFFF
        sig = v & 0xFF
        if d.opts.raw_all:
            return "flags=" + _hex(v & ~0xFF) + (f"|{sig}" if sig else "")
        if d.opts.xlat_verbose:
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
        value = struct.unpack('i', data)[0]
        # the child's tid (CLONE_PARENT_SETTID), else the pidfd CLONE_PIDFD stored there
        # (clone.c: printnum_pid PT_TID / printnum_fd)
        if ev.raw_args[0] & settid_f:
            return f"parent_tid=[{d.pid(ev, value, 'tid')}]"
        return f"parent_tid=[{d.fd_or_num(ev, value)}]"

    def ctid(ev: SyscallEvent, mem: Memory) -> str | None:
        if not ev.raw_args[0] & ctid_f:
            return None
        return "child_tidptr=" + _ptr(ev.raw_args[ctid_i])

    def tls(ev: SyscallEvent, mem: Memory) -> str | None:
        if not ev.raw_args[0] & tls_f:
            return None
        if arch == "i386":  # a struct user_desc * there
            from syscope.decode.kinds.ldt import user_desc  # i386 only: not with every execve's family

            return "tls=" + user_desc(mem, ev.raw_args[tls_i], arch)
        return "tls=" + _ptr(ev.raw_args[tls_i])

    return [stack, flags], [ptid, tls, ctid]

# -- helpers -------------------------------------------------------------------------


@register("sched_param")
def build_sched_param(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    return lambda ev, mem: d.num_at(mem, ev.raw_args[i], "<i")  # struct sched_param: one int


def _c_rlimit(out: bool) -> CFactory:
    """The C form of a struct rlimit64 (FOP_RLIMIT; an output's address when the call failed):
    every rlimit of a 64-bit ABI (the layout and RLIM64_INFINITY build_rlimit picks there)."""
    return lambda d, i, arch, kind: cformat.COp(cformat.RLIMIT, i, param=int(out)) if word_size(arch) == 8 else None


@register("rlimit", "rlimit32", stores=True, c=_c_rlimit(False))
def build_rlimit(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    o = d.opts
    word = word_size(arch)
    # getrlimit/setrlimit use the native word (struct rlimit), prlimit64 always 64-bit
    lay = structs.layout("rlimit64" if kind == "rlimit" or word == 8 else "rlimit32", arch)
    inf = "RLIM64_INFINITY" if kind == "rlimit" or word == 8 else "RLIM_INFINITY"

    def rlimit(ev: SyscallEvent, mem: Memory) -> str:
        addr = ev.raw_args[i]
        fields = _read_struct(mem, addr, lay.st)
        if fields is None:
            return _ptr(addr)
        cur, mx = fields
        store(ev, i, {"rlim_cur": cur, "rlim_max": mx})
        if o.raw_all:
            return f"{{rlim_cur={cur}, rlim_max={mx}}}"
        if o.xlat_verbose:
            def both(v: int) -> str:
                t = _rlim(v, inf)
                return t if t == str(v) else f"{v} /* {t} */"
            return f"{{rlim_cur={both(cur)}, rlim_max={both(mx)}}}"
        return f"{{rlim_cur={_rlim(cur, inf)}, rlim_max={_rlim(mx, inf)}}}"
    return rlimit


# execve(2)'s arrays as the C line maker prints them abbreviated (-v prints envp's strings: Python's)
@register("argv", stores=True, c=lambda d, i, arch, kind: cformat.COp(cformat.ARGV, i) if d.abbrev else None)
def build_argv(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    word = word_size(arch)
    return lambda ev, mem: _argv(d, mem, ev.raw_args[i], word, ev, i)


@register("envp", c=lambda d, i, arch, kind: cformat.COp(cformat.ENVP, i) if d.abbrev else None)
def build_envp(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    word = word_size(arch)
    if not d.abbrev:  # -v, -e abbrev=none
        return lambda ev, mem: _argv(d, mem, ev.raw_args[i], word, ev, i)
    return lambda ev, mem: _envp(d, mem, ev.raw_args[i], word)


def _groups(d: DecoderBase, mem: Memory, addr: int, n: int) -> str:
    """A gid_t array as strace's print_groups: more than NGROUPS_MAX entries is the address,
    (gid_t) -1 prints as -1 (printuid), the rest as print_array (src/uid.c)."""
    if n > _NGROUPS_MAX:
        return _ptr(addr)
    return d.array(mem, addr, n, 4, _gid)


def _gid(chunk: bytes) -> str:
    g = int.from_bytes(chunk, "little")
    return "-1" if g == 0xFFFFFFFF else str(g)


# strace asks sysconf(_SC_NGROUPS_MAX), the kernel's NGROUPS_MAX (linux/limits.h)
_NGROUPS_MAX = os.sysconf("SC_NGROUPS_MAX")


@register("gids_in", count="arg:0")
def build_gids_in(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    # setgroups(2): size (the previous argument, an int) gid_t values
    return lambda ev, mem: _groups(d, mem, ev.raw_args[i], ev.raw_args[i - 1] & 0xFFFFFFFF)


@register("ioprio", scalar=True)
def build_ioprio(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    def ioprio(ev: SyscallEvent, mem: Memory) -> str:
        # strace ioprio_print: the int itself under -X raw, and before the macro under -X verbose
        v = ev.raw_args[i] & 0xFFFFFFFF
        if d.xs == 0:
            return _ioprio(arch, v)
        return str(_s32(v)) if d.xs == 2 else f"{_s32(v)} /* {_ioprio(arch, v, 1)} */"
    return ioprio


@register("persona", scalar=True)
def build_persona(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    def persona(ev: SyscallEvent, mem: Memory) -> str:
        # 0xffffffff only queries (personality(2)): shown as the number
        v = ev.raw_args[i] & 0xFFFFFFFF
        return _persona(arch, v, d.xs) if v != 0xFFFFFFFF else _hex(v)
    return persona


@register("kcmp_idx", scalar=True)
def build_kcmp_idx(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    kt = {n: v for v, n in fmt.consts(arch).get("kcmp_type", [])}
    kcmp_file, kcmp_epoll = kt.get("KCMP_FILE", 0), kt.get("KCMP_EPOLL_TFD", 7)
    # the types that compare a whole resource take no index (kcmp(2))
    no_index = {kt[n] for n in ("KCMP_VM", "KCMP_FILES", "KCMP_FS", "KCMP_SIGHAND", "KCMP_IO", "KCMP_SYSVSEM")
                if n in kt}

    def kcmp_idx(ev: SyscallEvent, mem: Memory) -> str | None:
        v, ktype = ev.raw_args[i], ev.raw_args[2] & 0xFFFFFFFF
        # a descriptor of the process pid (idx1 of pid1, idx2 of pid2), a pid of the tracee's
        # namespace: -y its path there (kcmp.c printfd_pid_tracee_ns)
        pid = _s32(ev.raw_args[0 if i == 3 else 1])
        if ktype in no_index:
            return None
        if ktype == kcmp_file or (ktype == kcmp_epoll and i == 3):
            return d.fd_of(ev, pid, _s32(v))
        if ktype == kcmp_epoll:
            # struct kcmp_epoll_slot (linux/kcmp.h): efd, tfd of pid2, toff
            got = _read_struct(mem, v, "<iiI")
            if got is None:
                return _ptr(v)
            return f"{{efd={d.fd_of(ev, pid, got[0])}, tfd={d.fd_of(ev, pid, got[1])}, toff={got[2]}}}"
        return _hex(v)
    return kcmp_idx


@register("membarrier_cpu", scalar=True, value=signed32)
def build_membarrier_cpu(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    # membarrier(2): cpu_id only means something with MEMBARRIER_CMD_FLAG_CPU
    return lambda ev, mem: str(_s32(ev.raw_args[i])) if ev.raw_args[1] & 1 else None


@register("cap_header")
def build_cap_header(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    ver = fmt.enum(arch, "cap_version", d.xs)

    def cap_header(ev: SyscallEvent, mem: Memory) -> str:
        # struct __user_cap_header_struct (linux/capability.h): u32 version, int pid (a process
        # of the tracee's namespace: capability.c PRINT_FIELD_TGID)
        addr = ev.raw_args[i]
        fields = _read_struct(mem, addr, "<Ii")
        if fields is None:
            return _ptr(addr)
        v, pid = fields
        return f"{{version={ver(v)}, pid={d.pid(ev, pid)}}}"
    return cap_header


@register("cap_data")
def build_cap_data(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    return lambda ev, mem: _cap_data(d, mem, ev.raw_args[0], ev.raw_args[i], arch)


@register("cpuset_in")
def build_cpuset_in(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    def cpuset_in(ev: SyscallEvent, mem: Memory) -> str:
        # sched_setaffinity(2): a CPU mask of the given length in bytes
        addr, n = ev.raw_args[i], ev.raw_args[i - 1]
        if addr and not n:
            return "[]"  # strace prints an empty mask for a zero length (src/affinity.c)
        data = mem.read(addr, n) if addr and 0 < n <= 1 << 16 else None
        if data is None or len(data) < n:
            return _ptr(addr)
        bits = int.from_bytes(data, "little")
        return "[" + " ".join(str(k) for k in range(8 * len(data)) if bits >> k & 1) + "]"
    return cpuset_in


# C form (FOP_WSTATUS): the status by fmt.wait_status's rules, the signals by name
@register("wstatus", out=True, stores=True, c=lambda d, i, arch, kind: cformat.COp(
    cformat.WSTATUS, i, tables=(cformat.signals_table(fmt.signame),)))
def build_out_wstatus(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    def wstatus(ev: SyscallEvent, mem: Memory) -> str:
        addr = ev.raw_args[i]
        if not addr:
            return "NULL"
        # wait4(2): the status is only written when a child was reaped (retval > 0)
        if ev.retval is None or ev.retval <= 0:
            return _ptr(addr)
        got = _read_struct(mem, addr, "<i")
        if got is None:
            return _ptr(addr)
        store(ev, i, got[0])
        return "[" + wait_status(got[0]) + "]"
    return wstatus


@register("rlimit", "rlimit32", out=True, stores=True, c=_c_rlimit(True))
def build_out_rlimit(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    return d.failed_addr(i, d.kind(kind, i, arch))


@register("sched_param", out=True)
def build_out_sched_param(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    return d.failed_addr(i, d.kind(kind, i, arch))


@register("cap_data", out=True)
def build_out_cap_data(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    def cap_data_out(ev: SyscallEvent, mem: Memory) -> str:
        if ev.errno is not None or ev.retval is None:
            return _ptr(ev.raw_args[i])
        return _cap_data(d, mem, ev.raw_args[0], ev.raw_args[i], arch)
    return cap_data_out


# C form (FOP_RUSAGE): a 64-bit ABI's struct abbreviated (-v: every field, Python's)
@register("rusage", out=True, stores=True, c=lambda d, i, arch, kind: cformat.COp(cformat.RUSAGE, i)
          if d.abbrev and structs.layout("rusage", arch).size == 144 else None)
def build_out_rusage(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    lay = structs.layout("rusage", arch)
    umask = (1 << 8 * word_size(arch)) - 1

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
        store(ev, i, v)
        # tv_usec unsigned, as every timeval strace prints (print_timeval.c)
        text = (f"{{ru_utime={{tv_sec={v['ru_utime_sec']}, tv_usec={v['ru_utime_usec'] & umask}}}, "
                f"ru_stime={{tv_sec={v['ru_stime_sec']}, tv_usec={v['ru_stime_usec'] & umask}}}")
        if d.abbrev:
            return text + ", ...}"
        # the longs unsigned too (strace print_rusage: PRINT_FIELD_U)
        rest = ", ".join(f"{k}={v[k] & umask}" for k in lay.names[4:])
        return f"{text}, {rest}}}"
    return rusage


CLONE_ARGS_VER0 = 64  # linux/sched.h: the first struct clone_args, up to tls
INT_MAX = 0x7FFFFFFF


@register("clone_args", out=True, stores=True, c=lambda d, i, arch, kind: clone_args_op(d, i, arch))
def build_out_clone_args(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    lay = structs.layout("clone_args", arch)
    consts = fmt.consts(arch)
    cf = {n: v for v, n in consts.get("clone_flags", []) + consts.get("clone3_flags", [])}
    # clone3 names its own flags after clone's (strace: printflags_ex(clone_flags, clone3_flags))
    rows = consts.get("clone_flags", []) + consts.get("clone3_flags", [])
    fl = fmt.Flags(rows, d.xs, "CLONE_")
    pidfd_f, ptid_f = cf.get("CLONE_PIDFD", 0x1000), cf.get("CLONE_PARENT_SETTID", 0x100000)
    ctid_f = cf.get("CLONE_CHILD_SETTID", 0) | cf.get("CLONE_CHILD_CLEARTID", 0)
    cgroup_f = cf.get("CLONE_INTO_CGROUP", 0x200000000)

    def signal(sig: int) -> str:
        if sig >= INT_MAX:
            return str(sig)  # not a signal number: strace prints the u64
        name = fmt.signame(sig) if sig else "0"
        if d.xs == 2 or name == str(sig):
            return str(sig)
        return f"{sig} /* {name} */" if d.xs == 1 else name

    def entry(mem: Memory, addr: int, size: int, fetch: int, a: dict[str, int]) -> str:
        f = a["flags"]
        parts = [f"flags={fl(f)}"]
        # clone(2): the fields each flag makes the kernel use, in strace's order
        if f & pidfd_f:
            parts.append(f"pidfd={_ptr(a['pidfd'])}")
        if f & ctid_f:
            parts.append(f"child_tid={_ptr(a['child_tid'])}")
        if f & ptid_f:
            parts.append(f"parent_tid={_ptr(a['parent_tid'])}")
        parts.append(f"exit_signal={signal(a['exit_signal'])}")
        parts.append(f"stack={_ptr(a['stack'])}")
        parts.append(f"stack_size={_hex(a['stack_size'])}")
        if f & cf.get("CLONE_SETTLS", 0):
            if arch == "i386":
                from syscope.decode.kinds.ldt import user_desc

                parts.append("tls=" + user_desc(mem, a["tls"], arch))
            else:
                parts.append("tls=" + _ptr(a["tls"]))
        set_tid, n_tid = a["set_tid"], a["set_tid_size"]
        if set_tid or n_tid:
            # kernel/fork.c: at most MAX_PID_NS_LEVEL (32) pids, one per pid namespace level
            if not set_tid or not n_tid or n_tid > 32:
                parts.append(f"set_tid={_ptr(set_tid)}")
            else:
                parts.append("set_tid=" + d.array(mem, set_tid, n_tid, 4,
                                                  lambda b: str(struct.unpack("<i", b)[0])))
            parts.append(f"set_tid_size={n_tid}")
        if fetch > 80 and (a["cgroup"] or f & cgroup_f):
            parts.append(f"cgroup={a['cgroup']}")
        tail = d.nonzero_tail(mem, addr, fetch, size) if size > fetch else None
        if tail:
            parts.append(tail)
        return "{" + ", ".join(parts) + "}"

    def changed(ev: SyscallEvent, mem: Memory, addr: int, size: int, fetch: int) -> str:
        """What the kernel wrote back (strace's clone3 at exit: `` => {pidfd=[3]}``)."""
        data = mem.read(addr, fetch)
        if data is None or len(data) < fetch:
            return f" => {_ptr(addr)}"
        a = lay.unpack(data.ljust(lay.size, b"\0"))
        parts = []
        for bit, name in ((pidfd_f, "pidfd"), (ptid_f, "parent_tid")):
            if a["flags"] & bit:
                ptr = a[name]
                got = _read_struct(mem, ptr, "<i")
                if got is None:
                    parts.append(f"{name}={_ptr(ptr)}")
                elif name == "pidfd":
                    parts.append(f"pidfd=[{d.fd_or_num(ev, got[0])}]")
                else:
                    parts.append(f"parent_tid=[{d.pid(ev, got[0], 'tid')}]")
        tail = d.nonzero_tail(mem, addr, fetch, size) if size > fetch else None
        if tail:
            parts.append(tail)
        return " => {" + ", ".join(parts) + "}" if parts else ""

    def clone_args(ev: SyscallEvent, mem: Memory) -> str:
        addr, size = ev.raw_args[i], ev.raw_args[1]
        # clone3(2): the size says which version of the struct the caller knows; strace reads
        # at most its own (and prints the bytes past it when they are not zero)
        fetch = min(size, lay.size)
        if fetch < CLONE_ARGS_VER0:
            return _ptr(addr)
        data = mem.read(addr, fetch) if addr else None
        if data is None or len(data) < fetch:
            return _ptr(addr)
        a = lay.unpack(data.ljust(lay.size, b"\0"))
        store(ev, i, a)
        text = entry(mem, addr, size, fetch, a)
        if ev.errno is None and ev.retval is not None and (a["flags"] & (pidfd_f | ptid_f) or size > fetch):
            text += changed(ev, mem, addr, size, fetch)
        return text
    return clone_args


@register("ptrp", "ulongp", out=True)
def build_out_ptrp(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    word = word_size(arch)

    def num(ev: SyscallEvent, mem: Memory) -> str:
        # a long or pointer the kernel stored (strace printnum_ptr / printnum_ulong)
        addr = ev.raw_args[i]
        raw = mem.read(addr, word) if addr and ev.errno is None else None
        if raw is None or len(raw) < word:
            return _ptr(addr)
        v = int.from_bytes(raw, "little")
        return f"[{_ptr(v)}]" if kind == "ptrp" else f"[{v}]"
    return num


def _sysinfo_op(d: DecoderBase, i: int, arch: str, kind: str) -> cformat.COp | None:
    """The C form of struct sysinfo (FOP_SYSINFO): a 64-bit ABI's layout as the C code reads it
    (mem_unit at 104, 108 bytes), loads' array cut at -s's count as DecoderBase.arr cuts it
    when abbreviating (-v: Python's)."""
    lay = structs.layout("sysinfo", arch)
    if word_size(arch) != 8 or lay.size != 108 or lay.offset("mem_unit") != 104 or not d.abbrev:
        return None
    return cformat.COp(cformat.SYSINFO, i)


@register("sysinfo", out=True, stores=True, c=_sysinfo_op)
def build_out_sysinfo(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    lay = structs.layout("sysinfo", arch)

    def sysinfo(ev: SyscallEvent, mem: Memory) -> str:
        addr = ev.raw_args[i]
        data = mem.read(addr, lay.size) if addr and ev.errno is None else None
        if data is None or len(data) < lay.size:
            return _ptr(addr)
        v = lay.unpack(data)
        store(ev, i, v)
        loads = d.arr([str(v["load0"]), str(v["load1"]), str(v["load2"])])
        return (f"{{uptime={v['uptime']}, loads={loads}, "
                + ", ".join(f"{k}={v[k]}" for k in (
                    "totalram", "freeram", "sharedram", "bufferram", "totalswap", "freeswap",
                    "procs", "totalhigh", "freehigh", "mem_unit")) + "}")
    return sysinfo


# C form (FOP_UTSNAME): the abbreviated struct (-v: all six fields, Python's)
@register("utsname", out=True,
          c=lambda d, i, arch, kind: cformat.COp(cformat.UTSNAME, i) if d.abbrev else None)
def build_out_utsname(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    o = d.opts
    names = ("sysname", "nodename", "release", "version", "machine", "domainname")

    def utsname(ev: SyscallEvent, mem: Memory) -> str:
        addr = ev.raw_args[i]
        # struct new_utsname: six 65-byte NUL-terminated fields (linux/utsname.h)
        data = mem.read(addr, 65 * 6) if addr and ev.errno is None else None
        if data is None or len(data) < 65 * 6:
            return _ptr(addr)
        vals = [data[65 * k: 65 * k + 65].split(b"\0", 1)[0] for k in range(6)]
        shown = 6 if not d.abbrev else 2
        parts = [f'{n}="{fmt.quote(v, o.xflag)}"' for n, v in zip(names[:shown], vals[:shown],
                                                                   strict=True)]
        return "{" + ", ".join(parts) + (", ...}" if d.abbrev else "}")
    return utsname


# C form (FOP_CPUSET): the bits of the bytes returned
@register("cpuset", out=True, c=lambda d, i, arch, kind: cformat.COp(cformat.CPUSET, i))
def build_out_cpuset(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
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


# C form (FOP_GIDS): the abbreviated array (-v: every item, Python's), NGROUPS_MAX handed over
@register("gids", out=True, count="ret",
          c=lambda d, i, arch, kind: cformat.COp(cformat.GIDS, i, aux=_NGROUPS_MAX) if d.abbrev else None)
def build_out_gids(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    def gids(ev: SyscallEvent, mem: Memory) -> str:
        # getgroups(2): as many as it returned; a failure (-1 as unsigned) is the address
        if ev.retval is None:
            return _ptr(ev.raw_args[i])
        return _groups(d, mem, ev.raw_args[i], ev.retval & 0xFFFFFFFF)
    return gids


@returns("sched_policy")
def ret_sched_policy(d: DecoderBase, arch: str) -> RetFn:
    pol = fmt.enum(arch, "sched_policy")

    def sched_policy(ev: SyscallEvent) -> str:
        name = pol.get(ev.retval or 0)
        return f"{ev.retval} ({name})" if name else str(ev.retval)
    return sched_policy


@returns("ioprio")
def ret_ioprio(d: DecoderBase, arch: str) -> RetFn:
    if d.xs == 2:
        return lambda ev: str(ev.retval)
    return lambda ev: f"{ev.retval} ({_ioprio(arch, ev.retval or 0, d.xs)})"


@returns("membarrier")
def ret_membarrier(d: DecoderBase, arch: str) -> RetFn:
    # sprintflags("", membarrier_cmds, rval) in the -X style (strace's membarrier.c)
    cmds = fmt.flags(arch, "membarrier_cmd", d.xs)

    def membarrier_ret(ev: SyscallEvent) -> str:
        # MEMBARRIER_CMD_QUERY (0) returns the set of supported commands
        r = ev.retval or 0
        if ev.raw_args[0] & 0xFFFFFFFF == 0 and r:
            return f"{r:#x} ({cmds(r)})"
        return str(r)
    return membarrier_ret


@returns("personality")
def ret_personality(d: DecoderBase, arch: str) -> RetFn:
    def personality(ev: SyscallEvent) -> str:
        r = (ev.retval or 0) & 0xFFFFFFFF
        return f"{_hex(r)} ({_persona(arch, r, d.xs)})"
    return personality
