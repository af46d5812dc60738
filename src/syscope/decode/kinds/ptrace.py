"""ptrace(2) as strace 6.1's src/ptrace.c and ptrace_syscall_info.c print it.

The request decides what the other three arguments are: nothing after PTRACE_TRACEME, only
the pid for PTRACE_ATTACH/INTERRUPT/KILL/LISTEN, a sizes or counts in addr for the sigmask,
seccomp and syscall-info requests, a signal, options, a siginfo or a sigset in data; what the
kernel writes (PEEK*'s word, GETEVENTMSG's message, GETSIGINFO's siginfo, GETSIGMASK's set,
GET_SYSCALL_INFO's struct ptrace_syscall_info) is printed at exit.  Tables from linux/ptrace.h
and linux/audit.h (spec_process.py).
"""

from __future__ import annotations

import struct

from syscope.decode import fmt
from syscope.decode.base import DecoderBase
from syscope.decode.fmt import hexnum as _hex
from syscope.decode.fmt import ptr as _ptr
from syscope.decode.fmt import s32 as _s32
from syscope.decode.registry import ArgFn, Memory, RetFn, read_struct, word_size
from syscope.decode.siginfo import format_siginfo
from syscope.events import SyscallEvent

# strace names the kernel's PTRACE_PEEKUSR/POKEUSR by glibc's spelling (its xlat/ptrace_cmds.in)
_STRACE_NAMES = {"PTRACE_PEEKUSR": "PTRACE_PEEKUSER", "PTRACE_POKEUSR": "PTRACE_POKEUSER"}

# struct ptrace_syscall_info (linux/ptrace.h): u8 op, u32 arch at 4, u64 instruction_pointer at 8,
# u64 stack_pointer at 16, then the union at 24: entry {u64 nr, u64 args[6]}, exit {s64 rval,
# u8 is_error}, seccomp {u64 nr, u64 args[6], u32 ret_data}
_PSI_ARGS = 32
_PSI_EXIT_SIZE = 33  # offsetofend(exit.is_error)
_PSI_SECCOMP_SIZE = 84  # offsetofend(seccomp.ret_data): the most strace reads

# x86_64's register sets (sys/user.h struct user_regs_struct and user_fpregs_struct), what
# PTRACE_GETREGSET/SETREGSET move for NT_PRSTATUS and NT_FPREGSET: (name, offset, size) in order;
# an array is (name, offset, size of all its u32 elements)
_PRSTATUS = [(n, 8 * k, 8) for k, n in enumerate((
    "r15", "r14", "r13", "r12", "rbp", "rbx", "r11", "r10", "r9", "r8", "rax", "rcx", "rdx", "rsi", "rdi",
    "orig_rax", "rip", "cs", "eflags", "rsp", "ss", "fs_base", "gs_base", "ds", "es", "fs", "gs"))]
_FPREGSET = [("cwd", 0, 2), ("swd", 2, 2), ("ftw", 4, 2), ("fop", 6, 2), ("rip", 8, 8), ("rdp", 16, 8),
             ("mxcsr", 24, 4), ("mxcr_mask", 28, 4)]
_FPREGSET_ARRAYS = [("st_space", 32, 128), ("xmm_space", 160, 256), ("padding", 416, 96)]
_REGSETS = {"x86_64": {"NT_PRSTATUS": (_PRSTATUS, [], 216), "NT_FPREGSET": (_FPREGSET, _FPREGSET_ARRAYS, 512)}}

_RESUME = ("PTRACE_CONT", "PTRACE_DETACH", "PTRACE_SYSCALL", "PTRACE_SINGLESTEP", "PTRACE_SINGLEBLOCK",
           "PTRACE_SYSEMU", "PTRACE_SYSEMU_SINGLESTEP")
# PTRACE_GETREGS/SETREGS move a struct user_regs_struct, *FPREGS a user_fpregs_struct: the
# register sets NT_PRSTATUS and NT_FPREGSET name (strace's decode_pt_regs/decode_pt_fpregs)
_REGS = {"PTRACE_GETREGS": "NT_PRSTATUS", "PTRACE_SETREGS": "NT_PRSTATUS", "PTRACE_GETFPREGS": "NT_FPREGSET",
         "PTRACE_SETFPREGS": "NT_FPREGSET"}

_COUNT_ADDR = ("PTRACE_GETSIGMASK", "PTRACE_SETSIGMASK", "PTRACE_SECCOMP_GET_FILTER", "PTRACE_SECCOMP_GET_METADATA",
               "PTRACE_GET_SYSCALL_INFO")
# data written by the kernel, printed at exit (when not -e verbose=!ptrace)
_AT_EXIT = ("PTRACE_PEEKDATA", "PTRACE_PEEKTEXT", "PTRACE_PEEKUSR", "PTRACE_GETEVENTMSG", "PTRACE_GETSIGINFO",
            "PTRACE_GETSIGMASK", "PTRACE_PEEKSIGINFO", "PTRACE_SECCOMP_GET_FILTER", "PTRACE_GET_SYSCALL_INFO")


class _Psi:
    """print_ptrace_syscall_info: the fields the kernel filled, as far as the size allows."""

    def __init__(self, d: DecoderBase, arch: str) -> None:
        self.xs = d.xs
        self.ops = fmt.enum(arch, "ptrace_syscall_info_op", d.xs)
        self.audit = fmt.enum(arch, "audit_arch", d.xs)

    def nr(self, audit_arch: int, nr: int) -> str:
        """PRINT_FIELD_SYSCALL_NAME: __NR_name, ``N /* __NR_name */`` verbose, N raw or unknown."""
        from syscope.syscalls import arch_from_audit, table

        arch = arch_from_audit(audit_arch)
        info = table(arch).by_nr(nr) if arch is not None and self.xs != 2 else None
        if info is None:
            return str(nr)
        return f"{nr} /* __NR_{info.name} */" if self.xs == 1 else f"__NR_{info.name}"

    def rval(self, rval: int) -> str:
        """PRINT_FIELD_ERR_D: a negative errno by name."""
        import errno

        name = errno.errorcode.get(-rval) if rval < 0 else None
        if name is None or self.xs == 2:
            return str(rval)
        return f"{rval} /* -{name} */" if self.xs == 1 else f"-{name}"

    def __call__(self, mem: Memory, addr: int, user_len: int, kernel_len: int) -> str:
        size = min(user_len, kernel_len, _PSI_SECCOMP_SIZE)
        data = mem.read(addr, size) if size and addr else None
        if data is None or len(data) < size:
            return _ptr(addr)
        data = data.ljust(_PSI_SECCOMP_SIZE, b"\0")
        op, arch, ip, sp = struct.unpack_from("<B3xIQQ", data)
        parts = [f"op={self.ops(op)}"]
        for end, text in ((8, f"arch={self.audit(arch)}"), (16, f"instruction_pointer={_ptr(ip)}"),
                          (24, f"stack_pointer={_ptr(sp)}")):
            if size < end:
                return "{" + ", ".join(parts) + "}"
            parts.append(text)
        if size >= 32 and op in (1, 3):  # PTRACE_SYSCALL_INFO_ENTRY, _SECCOMP
            nr = struct.unpack_from("<Q", data, 24)[0]
            fields = [f"nr={self.nr(arch, nr)}"]
            nargs = min((size - _PSI_ARGS) // 8, 6)
            if nargs > 0:
                args = struct.unpack_from(f"<{nargs}Q", data, _PSI_ARGS)
                fields.append("args=[" + ", ".join(_hex(a) for a in args) + "]")
            if op == 3 and size >= _PSI_SECCOMP_SIZE:
                fields.append(f"ret_data={struct.unpack_from('<I', data, 80)[0]}")
            parts.append(("entry" if op == 1 else "seccomp") + "={" + ", ".join(fields) + "}")
        elif size >= 32 and op == 2:  # PTRACE_SYSCALL_INFO_EXIT
            rval, is_error = struct.unpack_from("<qB", data, 24)
            full = size >= _PSI_EXIT_SIZE
            fields = [f"rval={self.rval(rval) if full and is_error else rval}"]
            if full:
                fields.append(f"is_error={is_error}")
            parts.append("exit={" + ", ".join(fields) + "}")
        return "{" + ", ".join(parts) + "}"


def _regset(d: DecoderBase, mem: Memory, arch: str, nt: str | None, addr: int, size: int | None,
            failed: bool) -> str:
    """decode_regset (arch_prstatus_regset.c, arch_fpregset.c): the registers as far as size
    goes (size None: the whole set), ``...`` when it is longer than the set; the address when
    the call failed, the size is not a whole number of words, or the note type has no layout
    here."""
    layout = _REGSETS.get(arch, {}).get(nt or "")
    if layout is None or failed or size is not None and (not size or size & 7):
        return _ptr(addr)
    fields, arrays, full = layout
    size = full if size is None else size
    n = min(size, full)
    data = mem.read(addr, n) if addr else None
    if data is None or len(data) < n:
        return _ptr(addr)
    parts = [f"{name}={_hex(int.from_bytes(data[off:off + width], 'little'))}"
             for name, off, width in fields if off < n]
    for name, off, width in arrays:
        if off < n:
            count = min((n - off) // 4, width // 4)
            words = struct.unpack_from(f"<{count}I", data, off)
            parts.append(f"{name}={d.arr([_hex(w) for w in words])}")
    if size > full:
        parts.append("...")
    return "{" + ", ".join(parts) + "}"


def _signal(xs: int, sig: int) -> str:
    """printsignal: the name, ``N /* SIGX */`` verbose, the number raw or unnamed."""
    name = fmt.signame(sig) if sig > 0 else str(sig)
    if name == str(sig) or xs == 2:
        return str(sig)
    return f"{sig} /* {name} */" if xs == 1 else name


class _Structs:
    """The structures some requests point to: GETREGSET/SETREGSET's iovec, PEEKSIGINFO's
    arguments, SECCOMP_GET_METADATA's struct seccomp_metadata."""

    def __init__(self, d: DecoderBase, arch: str) -> None:
        self.d = d
        self.arch = arch
        self.nt_names = fmt.enum(arch, "nt_descriptor_types")
        self.nt_types = fmt.enum(arch, "nt_descriptor_types", d.xs)
        self.peek_flags = fmt.flags(arch, "ptrace_peeksiginfo_flags", d.xs)
        self.filter_flags = fmt.flags(arch, "seccomp_filter_flags", d.xs)
        self.iov_code = "<QQ" if word_size(arch) == 8 else "<II"
        self.regset_len: dict[int, int] = {}  # GETREGSET's iov_len at entry, by thread (the kernel updates it)

    def iovec(self, ev: SyscallEvent, mem: Memory, failed: bool, getting: bool) -> str | None:
        """GETREGSET/SETREGSET's struct iovec and the registers it points to (as many as the
        kernel wrote, as many as the caller gave); a length the kernel changed as ``OLD => NEW``."""
        got = read_struct(mem, ev.raw_args[3], self.iov_code)
        if got is None:
            return None
        old = self.regset_len.pop(mem.tid, got[1])
        nt = self.nt_names.get(ev.raw_args[2] & 0xFFFFFFFF)
        base = _regset(self.d, mem, self.arch, nt, got[0], got[1] if getting else old, failed)
        length = f"{old} => {got[1]}" if old != got[1] else str(got[1])
        return f"{{iov_base={base}, iov_len={length}}}"

    def addr_arg(self, ev: SyscallEvent, mem: Memory, req: str) -> str:
        """The addr argument: a note type, PEEKSIGINFO's arguments, a count, or an address."""
        addr = ev.raw_args[2]
        if req in ("PTRACE_GETREGSET", "PTRACE_SETREGSET"):
            return self.nt_types(addr & 0xFFFFFFFF)
        if req == "PTRACE_PEEKSIGINFO":
            return self.peeksiginfo_args(mem, addr)
        return str(addr) if req in _COUNT_ADDR else _ptr(addr)

    def peeksiginfo_args(self, mem: Memory, addr: int) -> str:
        # struct ptrace_peeksiginfo_args (linux/ptrace.h): u64 off, u32 flags, s32 nr
        got = read_struct(mem, addr, "<QIi")
        if got is None:
            return _ptr(addr)
        return f"{{off={got[0]}, flags={self.peek_flags(got[1])}, nr={got[2] & 0xFFFFFFFF}}}"

    def metadata(self, ev: SyscallEvent, mem: Memory) -> str:
        """struct seccomp_metadata (linux/ptrace.h): filter_off from the caller, the flags the
        kernel wrote (strace's decode_seccomp_metadata)."""
        size, addr = ev.raw_args[2], ev.raw_args[3]
        got = read_struct(mem, addr, "<Q") if size >= 8 else None
        if got is None:
            return _ptr(addr)
        text = f"{{filter_off={got[0]}"
        if ev.errno is None and ev.retval is not None and size > 8:
            flags = read_struct(mem, addr + 8, "<Q") if size >= 16 else None
            text += ", ..." if flags is None else f", flags={self.filter_flags(flags[0])}"
            text += ", ..." if flags is not None and size > 16 else ""
        return text + "}"


def ptrace_plan(d: DecoderBase, arch: str) -> tuple[list[ArgFn], list[ArgFn], RetFn]:
    """The entry arguments, the exit arguments and the return value of ptrace(2)."""
    rows = [(v, _STRACE_NAMES.get(n, n)) for v, n in fmt.consts(arch).get("ptrace_cmds", [])]
    requests = fmt.Enum(rows, "PTRACE_", d.xs)
    names = {v: n for v, n in fmt.consts(arch).get("ptrace_cmds", [])}
    options = fmt.flags(arch, "ptrace_setoptions_flags", d.xs)
    word = word_size(arch)
    kptr = "<Q" if word == 8 else "<I"
    verbose = "ptrace" not in d.opts.no_verbose
    siginfo_in = d.kind("siginfo", 3, arch)
    siginfo_out = d.out("siginfo_out", 3, arch)
    sigmask_in = d.kind("sigset:2", 3, arch)
    sigmask_out = d.out("sigset:2", 3, arch)
    psi = _Psi(d, arch)
    st = _Structs(d, arch)
    iov_code = st.iov_code

    def siginfo_text(chunk: bytes) -> str:
        return format_siginfo(chunk, arch, d.opts.raw_all, d.opts.xlat_verbose)

    def name(ev: SyscallEvent) -> str:
        return names.get(ev.raw_args[0], "")

    def data_arg(ev: SyscallEvent, mem: Memory, req: str) -> str | None:
        data = ev.raw_args[3]
        if req in _RESUME:
            return _signal(d.xs, _s32(data))
        if req in ("PTRACE_SEIZE", "PTRACE_SETOPTIONS", "PTRACE_OLDSETOPTIONS"):
            return options(data)
        if req == "PTRACE_SETSIGINFO":
            return siginfo_in(ev, mem)
        if req == "PTRACE_SETSIGMASK":
            return sigmask_in(ev, mem)
        if req in ("PTRACE_GETREGSET", "PTRACE_SETREGSET"):
            # the iovec is printed at exit, with a length the kernel changed as OLD => NEW
            if read_struct(mem, data, iov_code) is None:
                return _ptr(data)
            st.regset_len[mem.tid] = read_struct(mem, data, iov_code)[1]  # type: ignore[index]
            return None
        if req == "PTRACE_SECCOMP_GET_METADATA":
            return None
        if req in _AT_EXIT and verbose:
            return None
        return _ptr(data)

    def entry(ev: SyscallEvent, mem: Memory) -> str:
        req = name(ev)
        out = [requests(ev.raw_args[0])]
        if req == "PTRACE_TRACEME":  # pid, addr and data are ignored
            return out[0]
        out.append(d.pid(ev, _s32(ev.raw_args[1]), "tgid"))  # printpid(tcp, pid, PT_TGID)
        if req in ("PTRACE_ATTACH", "PTRACE_INTERRUPT", "PTRACE_KILL", "PTRACE_LISTEN"):
            return ", ".join(out)
        if req in _REGS:  # the registers are at data, addr is ignored; GET* printed at exit
            if req.startswith("PTRACE_SET"):
                out.append(_regset(d, mem, arch, _REGS[req], ev.raw_args[3], None, False))
            return ", ".join(out)
        out.append(st.addr_arg(ev, mem, req))
        data = data_arg(ev, mem, req)
        if data is not None:
            out.append(data)
        return ", ".join(out)

    def exit_(ev: SyscallEvent, mem: Memory) -> str | None:
        req = name(ev)
        data = ev.raw_args[3]
        failed = ev.errno is not None or ev.retval is None
        if req in ("PTRACE_GETREGSET", "PTRACE_SETREGSET"):
            # GETREGSET's registers are the kernel's (the address when it failed), SETREGSET's the caller's
            getting = req == "PTRACE_GETREGSET"
            return (st.iovec(ev, mem, failed and getting, getting) or _ptr(data)) if mem.tid in st.regset_len \
                else None
        if req == "PTRACE_SECCOMP_GET_METADATA":
            return st.metadata(ev, mem)
        if req in _REGS:
            return _regset(d, mem, arch, _REGS[req], data, None, failed) if req.startswith("PTRACE_GET") \
                else None
        if req not in _AT_EXIT or not verbose:
            return None
        if req == "PTRACE_GETSIGINFO":
            return siginfo_out(ev, mem)
        if req == "PTRACE_GETSIGMASK":
            return sigmask_out(ev, mem)
        if req == "PTRACE_PEEKSIGINFO":
            return _ptr(data) if failed else d.array(mem, data, ev.retval or 0, 128, siginfo_text)
        if req == "PTRACE_GET_SYSCALL_INFO":
            return _ptr(data) if failed else psi(mem, data, ev.raw_args[2], ev.retval or 0)
        got = None if failed or req == "PTRACE_SECCOMP_GET_FILTER" else read_struct(mem, data, kptr)
        if got is None:
            return _ptr(data)
        # printnum_ptr for the PEEK* words, printnum_ulong for GETEVENTMSG
        return f"[{got[0]}]" if req == "PTRACE_GETEVENTMSG" else f"[{_ptr(got[0])}]"

    return [entry], [exit_], lambda ev: str(ev.retval)
