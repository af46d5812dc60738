"""siginfo_t as strace prints it in ``--- SIGCHLD {...} ---`` lines (strace printsiginfo).

The union member shown depends on si_code and the signal (asm-generic/siginfo.h): sender fields
for user-sent signals, child fields for SIGCHLD, the faulting address for SIGSEGV/SIGBUS/SIGILL/
SIGFPE/SIGTRAP, the seccomp fields for SIGSYS.
"""

from __future__ import annotations

import struct

from syscope.decode import cplans
from syscope.decode.plain import SIGRTMAX, hexnum, pairs, ptr, signame
from syscope.syscalls import ARCHES
from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

_FAULT_TABLES = {11: "segv_code", 7: "bus_code", 4: "ill_code", 8: "fpe_code", 5: "trap_code"}
_SIGCHLD, _SIGPOLL, _SIGSYS = 17, 29, 31
# the constant tables a signal's line names values by (tools/gen_cplans.py writes them into
# decode/cplans_<arch>.py too: a traced run's signal lines then import neither fmt nor the
# constant tables of decode/consts_<arch>.py)
TABLES = ("si_code", "cld_code", "poll_code", "sys_code", *_FAULT_TABLES.values(), "audit_arch")
_names: dict[tuple[str, str], dict[int, str]] = {}


def _name(arch: str, table: str, value: int) -> str | None:
    """A value's name in one of TABLES, as fmt.enum names it."""
    got = _names.get((arch, table))
    if got is None:
        packed = cplans.module(arch).SIGINFO.get(table) if arch in ARCHES else None
        if packed is not None:
            rows = pairs(packed)
        else:
            from syscope.decode import fmt  # (an arch without formats made ahead)

            rows = fmt.consts(arch).get(table, [])
        got = _names[arch, table] = {}
        for v, n in rows:
            got.setdefault(v, n)  # (the first of a value's names, as fmt.Enum)
    return got.get(value)


def _code_name(arch: str, signo: int, code: int) -> str | None:
    """The si_code's name: a generic SI_* code first, then the signal's own (print_si_code)."""
    name = _name(arch, "si_code", code)
    if name is not None:
        return name
    table = _FAULT_TABLES.get(signo) or {_SIGCHLD: "cld_code", _SIGPOLL: "poll_code",
                                        _SIGSYS: "sys_code"}.get(signo)
    return _name(arch, table, code) if table is not None and code > 0 else None


def _ticks(v: int) -> str:
    # clock_t in USER_HZ (100) ticks: strace adds the seconds
    return f"{v} /* {v / 100:.2f} s */" if v else "0"


def _styled(num: str, name: str | None, style: int) -> str:
    """print_xlat_ex: the name (abbrev), ``NUM /* NAME */`` (verbose), NUM (raw or no name)."""
    if name is None or style == 2:
        return num
    return f"{num} /* {name} */" if style == 1 else name


def _uid(v: int) -> str:
    return "-1" if v == 0xFFFFFFFF else str(v)


class _Fields:
    """The union of a siginfo_t (asm-generic/siginfo.h) at its offset for the word size."""

    def __init__(self, data: bytes, word: int) -> None:
        self.data = data
        self.u = 16 if word == 8 else 12  # after three ints, aligned to a pointer
        self.word = word
        self.ptr = "<Q" if word == 8 else "<I"
        self.lng = "<q" if word == 8 else "<i"

    def at(self, code: str, off: int) -> int:
        return struct.unpack_from(code, self.data, self.u + off)[0]

    def source(self, pid: Callable[[int], str]) -> list[str]:
        # printsigsource: the sender
        return [f"si_pid={pid(self.at('<i', 0))}", f"si_uid={_uid(self.at('<I', 4))}"]

    def sigval(self) -> list[str]:
        return [f"si_int={self.at('<i', 8)}", f"si_ptr={ptr(self.at(self.ptr, 8))}"]


def _syscall_nr(arch: str, audit_arch: int, nr: int, style: int) -> str:
    """PRINT_FIELD_SYSCALL_NAME: __NR_name for the tracee's own arch, ``N /* name */`` for
    another (i386 under x86_64, x32's numbers), the number alone when unknown."""
    from syscope.syscalls import arch_from_audit, table
    from syscope.syscalls.roles import AUDIT_ARCH

    other = arch_from_audit(audit_arch)
    x32 = other == "x86_64" and nr & 0x40000000  # __X32_SYSCALL_BIT (asm/unistd.h)
    info = table(other).by_nr(nr & ~0x40000000 if x32 else nr) if other is not None else None
    if info is None or style == 2:
        return str(nr & 0xFFFFFFFF)
    if AUDIT_ARCH.get(arch) == audit_arch and not x32:
        return f"{nr} /* __NR_{info.name} */" if style == 1 else f"__NR_{info.name}"
    return f"{nr & 0xFFFFFFFF} /* {info.name} */"


def _kernel_fields(f: _Fields, arch: str, signo: int, code: int, style: int,
                   pid: Callable[[int], str], fd: Callable[[int], str]) -> list[str]:
    """print_si_info for a signal the kernel sent (si_code > 0): the fields of its union member."""
    if signo == _SIGCHLD:
        off = 12 + (4 if f.word == 8 else 0)  # clock_t si_utime is long-aligned
        utime, stime = f.at(f.lng, off), f.at(f.lng, off + f.word)
        status = f.at("<i", 8)
        # CLD_EXITED's status is an exit code, any other a signal (printsignal)
        sig_name = signame(status) if 0 < status <= SIGRTMAX else None
        st = str(status) if code == 1 else _styled(str(status), sig_name, style)
        return [*f.source(pid), f"si_status={st}", f"si_utime={utime if style == 2 else _ticks(utime)}",
                f"si_stime={stime if style == 2 else _ticks(stime)}"]
    if signo in _FAULT_TABLES:
        out = [f"si_addr={ptr(f.at(f.ptr, 0))}"]
        if signo == 7 and code in (4, 5):  # BUS_MCEERR_AR/AO: the address's least significant bit
            out.append(f"si_addr_lsb={hexnum(f.at('<h', f.word) & 0xFFFF)}")
        elif signo == 11 and code == 3:  # SEGV_BNDERR: the bounds (after a pointer-sized pad)
            out += [f"si_lower={ptr(f.at(f.ptr, 2 * f.word))}", f"si_upper={ptr(f.at(f.ptr, 3 * f.word))}"]
        elif signo == 11 and code == 4:  # SEGV_PKUERR: the protection key
            out.append(f"si_pkey={f.at('<I', 2 * f.word)}")
        return out
    if signo == _SIGPOLL:
        return [f"si_band={f.at(f.lng, 0)}", f"si_fd={fd(f.at('<i', f.word))}"] if 1 <= code <= 6 else []
    if signo == _SIGSYS:
        nr, audit = f.at("<i", f.word), f.at("<I", f.word + 4)
        aname = _name(arch, "audit_arch", audit)
        audit_text = (_styled(f"{audit:#x}", aname, style) if aname is not None
                      else f"{audit:#x} /* AUDIT_ARCH_??? */" if style != 2 else f"{audit:#x}")
        return [f"si_call_addr={ptr(f.at(f.ptr, 0))}", f"si_syscall={_syscall_nr(arch, audit, nr, style)}",
                f"si_arch={audit_text}"]
    out = f.source(pid) if f.at("<i", 0) or f.at("<I", 4) else []
    return out + (f.sigval() if f.at(f.ptr, 8) else [])


def _user_fields(f: _Fields, code: int, pid: Callable[[int], str], fd: Callable[[int], str]) -> list[str]:
    """print_si_info for a signal a process sent (si_code <= 0)."""
    if code in (0, -6):  # SI_USER, SI_TKILL
        return f.source(pid)
    if code == -2:  # SI_TIMER
        return [f"si_timerid={hexnum(f.at('<I', 0))}", f"si_overrun={f.at('<i', 4)}", *f.sigval()]
    if code == -5:  # SI_SIGIO
        return [f"si_band={f.at(f.lng, 0)}", f"si_fd={fd(f.at('<i', f.word))}"]
    return f.source(pid) + (f.sigval() if f.at(f.ptr, 8) else [])


def format_siginfo(siginfo_bytes: bytes, arch: str, raw: bool = False, verbose: bool = False,
                   pid: Callable[[int], str] = str, fd: Callable[[int], str] = str) -> str:
    """``{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=123, si_uid=0, si_status=0, ...}``;
    raw (-X raw): signal numbers and codes as numbers; verbose (-X verbose): both; ``pid``
    prints si_pid (strace's PRINT_FIELD_TGID: --decode-pids adds the comm and translation), ``fd``
    si_fd (PRINT_FIELD_FD: -y adds the path).
    The fields follow strace's printsiginfo (src/printsiginfo.c)."""
    style = 2 if raw else 1 if verbose else 0
    word = 4 if arch == "i386" else 8
    data = siginfo_bytes.ljust(128, b"\0")
    signo, err, code = struct.unpack_from("<iii", data, 0)
    if not signo:
        return "{}"
    parts = [f"si_signo={_styled(str(signo), signame(signo) if 0 < signo <= SIGRTMAX else None, style)}",
             f"si_code={_styled(hexnum(code & 0xFFFFFFFF), _code_name(arch, signo, code), style)}"]
    if err:
        # PRINT_FIELD_ERR_U: an errno by name, any other value unsigned
        u = err & 0xFFFFFFFF
        from syscope.decode import fmt  # (si_errno: rare)

        name = fmt.errno_text(u).split(" ")[1] if 0 < u < 4096 else None
        name = None if name is None or name[0].isdigit() else name
        parts.append(f"si_errno={_styled(str(u), name, style)}")
    f = _Fields(data, word)
    parts += _user_fields(f, code, pid, fd) if code <= 0 else _kernel_fields(f, arch, signo, code, style, pid, fd)
    return "{" + ", ".join(parts) + "}"

