"""Times: timespec/timeval, interval timers, times(2), adjtimex(2)."""

from __future__ import annotations

import struct

from syscope.decode import fmt, structs
from syscope.decode.base import DecoderBase
from syscope.decode.cformat import REMTS, TIMESPEC, COp
from syscope.decode.fmt import ptr as _ptr
from syscope.decode.registry import ArgFn, Memory, RetFn, register, returns, store, word_size
from syscope.decode.registry import read_struct as _read_struct
from syscope.events import SyscallEvent


def _c_timespec(d: DecoderBase, i: int, arch: str, kind: str) -> COp | None:
    # struct __kernel_timespec of a 64-bit ABI: two signed 64-bit words (_stops_structs.c put_timespec)
    return COp(TIMESPEC, i) if word_size(arch) == 8 else None


# kept: recvmmsg(2) rewrites its timeout with the time left, and strace prints the one it was given
@register("timespec", stores=True, kept=True, c=_c_timespec)
def build_timespec(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    lay = d.timespec(arch)

    def timespec(ev: SyscallEvent, mem: Memory) -> str:
        addr = ev.raw_args[i]
        got = _read_struct(mem, addr, lay.st)
        if got is None:
            return _ptr(addr)
        store(ev, i, {"tv_sec": got[0], "tv_nsec": got[1]})
        return f"{{tv_sec={got[0]}, tv_nsec={got[1]}}}"
    return timespec


@register("timeval")
def build_timeval(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    tv = structs.layout("timeval", arch)

    def timeval(ev: SyscallEvent, mem: Memory) -> str:
        return d.timeval(mem, ev.raw_args[i], tv)
    return timeval


@register("itimerval", "itimerspec")
def build_itimerval(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    # struct itimerval (setitimer(2)) or itimerspec (timer_settime(2)): two times in a row,
    # interval then value, in microseconds or nanoseconds
    lay = structs.layout("timeval", arch) if kind == "itimerval" else d.timespec(arch)
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


@register("timespec", out=True, stores=True)
def build_out_timespec(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    return d.failed_addr(i, d.kind("timespec", i, arch))


def _c_remts(d: DecoderBase, i: int, arch: str, kind: str) -> COp | None:
    # aux: the flags' register + 1 (0: nanosleep, none)
    return COp(REMTS, i, aux=int(kind.split(":")[1]) + 1 if ":" in kind else 0) if word_size(arch) == 8 else None


@register("remts", out=True, c=_c_remts)
def build_out_remts(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    ts = d.kind("timespec", i, arch)
    # ``remts:N``: only when argument N (clock_nanosleep's flags) is 0: an absolute sleep
    # leaves the remainder alone (clock_nanosleep(2))
    flags = int(kind.split(":")[1]) if ":" in kind else None

    def remts(ev: SyscallEvent, mem: Memory) -> str:
        # nanosleep(2): the remainder is only written when a signal interrupted the sleep, and
        # strace shows it when the call is to be restarted (is_erestart: ERESTART*)
        if ev.errno in (512, 513, 514, 516) and (flags is None or not ev.raw_args[flags]):
            return ts(ev, mem) or ""
        return _ptr(ev.raw_args[i])
    return remts


@register("time_t", out=True)
def build_out_time_t(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    code = "<q" if word_size(arch) == 8 else "<i"

    def time_t(ev: SyscallEvent, mem: Memory) -> str:
        # time(2) stores the time it returns at tloc (strace print_time.c: with its date)
        addr = ev.raw_args[i]
        got = _read_struct(mem, addr, code) if ev.errno is None else None
        if got is None:
            return _ptr(addr)
        iso = fmt.isotime(got[0], 0)
        return f"[{got[0]} /* {iso} */]" if iso else f"[{got[0]}]"
    return time_t


@returns("time")
def ret_time(d: DecoderBase, arch: str) -> RetFn:
    def time_ret(ev: SyscallEvent) -> str:
        iso = fmt.isotime(ev.retval or 0, 0) if ev.errno is None else ""
        return f"{ev.retval} ({iso})" if iso else str(ev.retval)
    return time_ret


@register("tms", out=True)
def build_out_tms(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    word = word_size(arch)
    def tms(ev: SyscallEvent, mem: Memory) -> str:
        addr = ev.raw_args[i]
        got = _read_struct(mem, addr, "<4q" if word == 8 else "<4i") if ev.errno is None else None
        if got is None:
            return _ptr(addr)
        # struct tms (times(2)): clock ticks, USER_HZ = 100; strace adds the seconds
        parts = []
        for name, v in zip(("tms_utime", "tms_stime", "tms_cutime", "tms_cstime"), got, strict=True):
            # no comment under -X raw (strace print_clock_t: a comment is an xlat)
            parts.append(f"{name}={v}" + (f" /* {v / 100:.2f} s */" if v and d.xs != 2 else ""))
        return "{" + ", ".join(parts) + "}"
    return tms


@register("timex", out=True)
def build_out_timex(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    word = word_size(arch)
    modes, status = fmt.flags(arch, "adj_modes", d.xs), fmt.flags(arch, "adj_status", d.xs)
    # struct timex (linux/timex.h); i386's adjtimex has 32-bit longs, clock_adjtime64 and
    # 64-bit arches the __kernel_timex layout: long long fields, ints padded to 8
    long_ = "i" if word == 4 and not d.time64 else "q"
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


@register("itimerval", "itimerspec", out=True)
def build_out_itimerval(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    # the timer's old value: written only when the call succeeds
    return d.failed_addr(i, d.kind(kind, i, arch))


@returns("timex_state")
def ret_timex_state(d: DecoderBase, arch: str) -> RetFn:
    state = fmt.enum(arch, "adj_state")
    if d.brief:
        # verbose off: the struct timex is not read, and time.c do_adjtimex adds the clock's
        # state only after printing it
        return lambda ev: str(ev.retval)
    return lambda ev: f"{ev.retval} ({state.get(ev.retval or 0)})" if state.get(ev.retval or 0) \
        else str(ev.retval)


def _timeval_code(arch: str) -> str:
    # struct timeval (linux/time.h, __kernel_old_timeval): tv_sec a long, tv_usec printed
    # unsigned (strace print_timeval_t: PRINT_FIELD_U, zero-extended)
    return "<qQ" if word_size(arch) == 8 else "<iI"


def _usec_time(sec: int, usec: int) -> str:
    """strace's sprinttime_usec comment: the date with a 6-digit fraction, "" for none."""
    if not 0 <= usec <= 999_999:
        return ""
    iso = fmt.isotime(sec, usec * 1000)
    return iso.replace(f".{usec * 1000:09d}", f".{usec:06d}", 1) if usec else iso


@register("utimes_tv", stores=True)
def build_utimes_tv(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    st = struct.Struct(_timeval_code(arch))

    # utimes(2)/futimesat(2): two timevals, each with its date (strace print_timeval_utimes)
    def utimes_tv(ev: SyscallEvent, mem: Memory) -> str:
        addr = ev.raw_args[i]
        data = mem.read(addr, 2 * st.size) if addr else None
        if data is None or len(data) < 2 * st.size:
            return _ptr(addr)
        out, vals = [], []
        for k in range(2):
            sec, usec = st.unpack_from(data, k * st.size)
            iso = _usec_time(sec, usec)
            out.append(f"{{tv_sec={sec}, tv_usec={usec}}}" + (f" /* {iso} */" if iso else ""))
            vals.append({"tv_sec": sec, "tv_usec": usec})
        store(ev, i, vals)
        return d.arr(out)  # print_local_array: abbreviated after -s elements
    return utimes_tv


@register("utimbuf", stores=True)
def build_utimbuf(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    st = struct.Struct("<qq" if word_size(arch) == 8 else "<ii")

    # utime(2): struct utimbuf {actime, modtime}, each with its date (strace src/utime.c)
    def utimbuf(ev: SyscallEvent, mem: Memory) -> str:
        addr = ev.raw_args[i]
        got = _read_struct(mem, addr, st)
        if got is None:
            return _ptr(addr)
        store(ev, i, {"actime": got[0], "modtime": got[1]})
        parts = []
        for name, sec in zip(("actime", "modtime"), got, strict=True):
            iso = fmt.isotime(sec, 0)
            parts.append(f"{name}={sec}" + (f" /* {iso} */" if iso else ""))
        return "{" + ", ".join(parts) + "}"
    return utimbuf


def _timeval_or_tz(d: DecoderBase, i: int, arch: str, tz: bool) -> ArgFn:
    st = struct.Struct("<ii" if tz else _timeval_code(arch))
    names = ("tz_minuteswest", "tz_dsttime") if tz else ("tv_sec", "tv_usec")

    def tv(ev: SyscallEvent, mem: Memory) -> str:
        addr = ev.raw_args[i]
        got = _read_struct(mem, addr, st)
        if got is None:
            return _ptr(addr)
        store(ev, i, dict(zip(names, got, strict=True)))
        return f"{{{names[0]}={got[0]}, {names[1]}={got[1]}}}"
    return tv


# settimeofday(2)/gettimeofday(2): struct timeval and struct timezone (strace src/time.c)
@register("tv", "timezone", stores=True)
def build_tv(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    return _timeval_or_tz(d, i, arch, kind == "timezone")


@register("tv", "timezone", out=True, stores=True)
def build_out_tv(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    return d.failed_addr(i, _timeval_or_tz(d, i, arch, kind == "timezone"))
