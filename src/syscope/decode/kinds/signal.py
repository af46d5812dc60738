"""Signals: numbers, sets, actions, siginfo, sigreturn frames, sigevent."""

from __future__ import annotations

import struct

from syscope.decode import cformat as c
from syscope.decode import fmt
from syscope.decode.base import DecoderBase
from syscope.decode.fmt import hexnum as _hex
from syscope.decode.fmt import ptr as _ptr
from syscope.decode.fmt import s32 as _s32
from syscope.decode.kinds.scalar import signed32
from syscope.decode.registry import ArgFn, Memory, RetFn, register, returns, store, word_size
from syscope.decode.registry import read_struct as _read_struct
from syscope.events import SyscallEvent
from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable


def _signal_names(data: bytes) -> tuple[str, ...]:
    """A sigset_t as the tuple of its signal names (bit N-1 is signal N, signal(7))."""
    mask = int.from_bytes(data[:8], "little")
    return tuple(fmt.signame(k + 1) for k in range(64) if mask >> k & 1)


def _sigset(d: DecoderBase, mem: Memory, addr: int, size: int, ev: SyscallEvent | None = None, i: int = 0) -> str:
    if not addr:
        return "NULL"
    # rt_sigprocmask(2): a size other than the kernel's sigset_t (8 bytes) is EINVAL;
    # strace then shows the address only.
    if size != 8:
        return _ptr(addr)
    data = mem.read(addr, 8)
    if data is None or len(data) < 8:
        return _ptr(addr)
    if ev is not None:
        store(ev, i, _signal_names(data))
    return fmt.sigset(data, d.xs)


def _sigaction(d: DecoderBase, mem: Memory, addr: int, word: int, arch: str, ev: SyscallEvent,
               i: int) -> str:
    """strace's struct sigaction text; kept as argument i's structured value: ``sa_handler``
    (SIG_DFL, SIG_IGN or the address), ``sa_mask`` and ``sa_flags`` as names, ``sa_restorer``
    (the address, None without SA_RESTORER)."""
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
    if d.opts.raw_all:
        h = _hex(handler)
    if d.opts.xlat_verbose and handler in (0, 1):
        h = f"{handler:#x} /* {h} */" if handler else f"0 /* {h} */"
    fl = fmt.flags(arch, "sa_flags", d.xs)
    # sa_flags is an unsigned long: glibc sign-extends SA_RESETHAND (0x80000000) into the
    # upper half on 64-bit, which strace shows as an unknown 0xffffffff00000000
    text = f"{{sa_handler={h}, sa_mask={fmt.sigset(mask, d.xs)}, sa_flags={fl(flags)}"
    restorer_bit = 0x04000000  # SA_RESTORER (asm/signal.h); strace prints the field with it
    if flags & restorer_bit:
        text += f", sa_restorer={_ptr(restorer)}"
    store(ev, i, {"sa_handler": {0: "SIG_DFL", 1: "SIG_IGN"}.get(handler, handler),
                  "sa_mask": _signal_names(mask), "sa_flags": fl.names(flags),
                  "sa_restorer": restorer if flags & restorer_bit else None})
    return text + "}"


def _c_sigaction(d: DecoderBase, i: int, arch: str, out: bool) -> c.COp | None:
    """_sigaction's C form (64-bit ABIs: struct kernel_sigaction's words): sa_flags' table, the
    names of a set's signals; param 1: an output, its address when the call failed."""
    if word_size(arch) != 8:
        return None
    return c.COp(c.SIGACTION, i, int(out), tables=(c.flags_table(fmt.flags(arch, "sa_flags")),
                                                  c.signals_table(fmt.sigset_name)))


@register("sig", scalar=True, xlat="dec", value=signed32,
          c=lambda d, i, arch, kind: c.COp(c.XLAT, i, mask=c.INT, tables=(c.signals_table(fmt.signame),)))
def build_sig(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    o = d.opts
    if o.raw_all:
        return lambda ev, mem: str(_s32(ev.raw_args[i]))
    return lambda ev, mem: fmt.signame(_s32(ev.raw_args[i]))


def _c_stack_t(out: bool) -> Callable[[DecoderBase, int, str, str], c.COp | None]:
    """build_stack_t's C form (FOP_STACK_T): a 64-bit ABI's stack_t, ss_flags' table; param 1:
    the old stack (build_out_stack_t), its address when the call failed."""
    return lambda d, i, arch, kind: c.COp(c.STACK_T, i, int(out), tables=(
        c.flags_table(fmt.flags(arch, "ss_flags")),)) if word_size(arch) == 8 else None


@register("stack_t", c=_c_stack_t(False))
def build_stack_t(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    word = word_size(arch)
    ssf = fmt.flags(arch, "ss_flags", d.xs)

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


@register("siginfo")
def build_siginfo(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    # decode.siginfo when a plan first has a siginfo argument, not with rt_sigaction's (start-up)
    from syscope.decode.siginfo import format_siginfo

    def siginfo(ev: SyscallEvent, mem: Memory) -> str:
        addr = ev.raw_args[i]
        data = mem.read(addr, 128) if addr else None
        if data is None or len(data) < 128:
            return _ptr(addr)
        # si_fd decorated as a descriptor of the calling process (-y)
        return format_siginfo(data, arch, d.opts.raw_all, d.opts.xlat_verbose,
                              lambda p: d.pid(ev, p, "tgid"), lambda fd: d.fd_or_num(ev, fd))
    return siginfo


def sigreturn_mask_at(arch: str, name: str) -> list[tuple[int, int]]:
    """Where a sigreturn's frame keeps the blocked mask it restores: (offset from the stack
    pointer at the call, bytes) for each part.  The eBPF capture plan copies these."""
    if arch != "i386":
        # x86_64 rt_sigreturn: the handler's "ret" popped pretcode, so the stack pointer
        # is at struct ucontext (arch/x86/include/asm/sigframe.h); uc_sigmask follows
        # uc_flags, uc_link, uc_stack (24) and uc_mcontext (256).
        return [(296, 8)]
    if name == "rt_sigreturn":
        # struct rt_sigframe_ia32 (arch/x86/include/asm/sigframe.h): pretcode (popped),
        # sig, pinfo, puc, siginfo (128), then the ucontext_ia32 whose uc_sigmask
        # follows uc_flags, uc_link, uc_stack (12) and the 88-byte sigcontext_32
        return [(248, 8)]
    # struct sigframe_ia32: pretcode and sig are popped by the return trampoline,
    # sp is at sigcontext_32 whose oldmask is at 80; the mask's upper word is
    # extramask, after the 88-byte sigcontext and the 624-byte _fpstate_32
    return [(80, 4), (712, 4)]


def _c_sigreturn(d: DecoderBase, i: int, arch: str, kind: str) -> c.COp | None:
    """build_sigreturn's C form (FOP_SIGRETURN): the 8-byte mask at its offset from the entry's
    stack pointer, made at the entry stop (engine.py: lines.py _keep_at_entry); an i386 sigreturn's
    two parts and verbose=none's address are Python's."""
    at = sigreturn_mask_at(arch, "rt_sigreturn")
    if d.brief or word_size(arch) != 8 or len(at) != 1:
        return None
    return c.COp(c.SIGRETURN, i, aux=at[0][0], tables=(c.signals_table(fmt.sigset_name),))


@register("sigreturn", scalar=True, c=_c_sigreturn)
def build_sigreturn(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    brief = d.brief
    def sigreturn(ev: SyscallEvent, mem: Memory) -> str:
        # The stack pointer: what a recording reader kept (the eBPF tracer's), else
        # /proc/PID/task/TID/syscall (proc(5)), valid while the thread stops.
        sp = getattr(mem, "stack_pointer", None)
        if sp is None:
            try:
                with open(f"/proc/{ev.pid}/task/{mem.tid}/syscall", "rb") as f:
                    sp = int(f.read().split()[7], 16)
            except (OSError, IndexError, ValueError):
                return ""
        at = [sp + off for off, _size in sigreturn_mask_at(arch, ev.name)]
        # what strace prints when it does not read the mask (verbose off: umove_or_printaddr):
        # rt_sigreturn's print_sigset_addr the mask's address inside {mask=}; i386 sigreturn
        # (linux/i386/arch_sigreturn.c reads the whole frame at the stack pointer) that bare
        unread = f"{{mask={_ptr(at[0])}}}" if len(at) == 1 else _ptr(sp)
        if brief:
            return unread
        words = [mem.read(a, 8 if len(at) == 1 else 4) for a in at]
        if any(w is None or len(w) < (8 if len(at) == 1 else 4) for w in words):
            return unread
        data = b"".join(w for w in words if w is not None)
        return f"{{mask={fmt.sigset(data, d.xs)}}}"
    return sigreturn


def _c_sigset(out: bool) -> Callable[[DecoderBase, int, str, str], c.COp | None]:
    """_sigset's C form (FOP_SIGSET): the size's register, an output's address when the call
    failed (aux), the names of a set's signals."""
    return lambda d, i, arch, kind: c.COp(c.SIGSET, i, int(kind[7:]), aux=int(out),
                                          tables=(c.signals_table(fmt.sigset_name),))


@register("sigset", stores=True, c=_c_sigset(False))
def build_sigset(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    n = int(kind[7:])
    return lambda ev, mem: _sigset(d, mem, ev.raw_args[i], ev.raw_args[n], ev, i)


@register("sigaction", stores=True, c=lambda d, i, arch, kind: _c_sigaction(d, i, arch, False))
def build_sigaction(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    word = word_size(arch)
    return lambda ev, mem: _sigaction(d, mem, ev.raw_args[i], word, arch, ev, i)


@register("sigevent")
def build_sigevent(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    o = d.opts
    word = word_size(arch)
    notify = fmt.enum(arch, "sigev_notify", d.xs)
    nv = {n: v for v, n in fmt.consts(arch).get("sigev_notify", [])}
    signalling = {nv.get(n) for n in ("SIGEV_SIGNAL", "SIGEV_THREAD", "SIGEV_THREAD_ID")} - {None}

    def sigevent(ev: SyscallEvent, mem: Memory) -> str:
        addr = ev.raw_args[i]
        # struct sigevent (asm-generic/siginfo.h): sigval (a word), int signo, int notify,
        # then a union: the thread id, or function and attributes pointers
        code = "<QiiQQ" if word == 8 else "<IiiII"
        fields = _read_struct(mem, addr, code) if addr else None
        if fields is None:
            return _ptr(addr)
        val, signo, how, u1, u2 = fields
        if how in signalling:
            sig = fmt.signame(signo) if signo else "0"
            if o.xlat_verbose and signo:
                sig = f"{signo} /* {sig} */"
        else:
            # no signal is sent: strace prints the number as it is, unsigned (print_sigevent)
            sig = str(signo & 0xFFFFFFFF)
        text = f"sigev_signo={sig}, sigev_notify={notify(how & 0xFFFFFFFF)}"
        # the value is shown only when set (strace 6.1 leaves a zero sigev_value out), whatever
        # the notification
        head = f"{{sigev_value={{sival_int={_s32(val)}, sival_ptr={_ptr(val)}}}, {text}" if val \
            else "{" + text
        if how == nv.get("SIGEV_THREAD_ID"):
            return head + f", sigev_notify_thread_id={_s32(u1)}}}"
        if how == nv.get("SIGEV_THREAD"):
            return head + f", sigev_notify_function={_ptr(u1)}, sigev_notify_attributes={_ptr(u2)}}}"
        return head + "}"
    return sigevent


@register("pselect_sig")
def build_pselect_sig(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    word = word_size(arch)
    def pselect_sig(ev: SyscallEvent, mem: Memory) -> str:
        # pselect6's sixth argument: struct {const sigset_t *ss; size_t ss_len} (fs/select.c)
        addr = ev.raw_args[i]
        fields = _read_struct(mem, addr, "<QQ" if word == 8 else "<II")
        if fields is None:
            return _ptr(addr)
        ss, ln = fields
        return f"{{sigmask={_sigset(d, mem, ss, ln)}, sigsetsize={ln}}}"
    return pselect_sig


@register("sigset", out=True, stores=True, c=_c_sigset(True))
def build_out_sigset(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    n = int(kind[7:])

    def osigset(ev: SyscallEvent, mem: Memory) -> str:
        if ev.errno is not None:
            return _ptr(ev.raw_args[i])
        return _sigset(d, mem, ev.raw_args[i], ev.raw_args[n], ev, i)
    return osigset


@register("pending_sigset", out=True, stores=True)
def build_out_pending_sigset(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    n = int(kind.split(":", 1)[1])

    # rt_sigpending(2) takes any size up to sigset_t's (the old sigpending reuses it), so strace
    # prints the first `size` bytes of the set (print_sigset_addr_len_limit(..., 1))
    def pending(ev: SyscallEvent, mem: Memory) -> str:
        addr, size = ev.raw_args[i], ev.raw_args[n]
        if ev.errno is not None or not addr or not 1 <= size <= 8:
            return _ptr(addr)
        data = mem.read(addr, size)
        if data is None or len(data) < size:
            return _ptr(addr)
        data = data.ljust(8, b"\0")
        store(ev, i, _signal_names(data))
        return fmt.sigset(data, d.xs)
    return pending


@register("sigaction", out=True, stores=True, c=lambda d, i, arch, kind: _c_sigaction(d, i, arch, True))
def build_out_sigaction(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    word = word_size(arch)
    def osigaction(ev: SyscallEvent, mem: Memory) -> str:
        if ev.errno is not None:
            return _ptr(ev.raw_args[i])
        return _sigaction(d, mem, ev.raw_args[i], word, arch, ev, i)
    return osigaction


@register("stack_t", out=True, c=_c_stack_t(True))
def build_out_stack_t(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    # sigaltstack(2)'s old stack: written only when the call succeeds
    return d.failed_addr(i, d.kind(kind, i, arch))


@register("siginfo_out", out=True)
def build_out_siginfo_out(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    from syscope.decode.siginfo import format_siginfo  # when a plan first has one (start-up)

    def siginfo_out(ev: SyscallEvent, mem: Memory) -> str:
        addr = ev.raw_args[i]
        data = mem.read(addr, 128) if addr and ev.errno is None else None
        if data is None or len(data) < 128:
            return _ptr(addr)
        return format_siginfo(data, arch, d.opts.raw_all, d.opts.xlat_verbose,
                              lambda p: d.pid(ev, p, "tgid"))
    return siginfo_out


@returns("sigwait")
def ret_sigwait(d: DecoderBase, arch: str) -> RetFn:
    # rt_sigtimedwait(2) returns a signal number; strace names it
    return lambda ev: f"{ev.retval} ({fmt.signame(ev.retval or 0)})" if ev.retval else str(ev.retval)
