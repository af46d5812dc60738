"""siginfo_t as strace prints it in ``--- SIGCHLD {...} ---`` lines (strace printsiginfo).

The union member shown depends on si_code and the signal (asm-generic/siginfo.h): sender fields
for user-sent signals, child fields for SIGCHLD, the faulting address for SIGSEGV/SIGBUS/SIGILL/
SIGFPE/SIGTRAP, the seccomp fields for SIGSYS.
"""

from __future__ import annotations

import struct
from collections.abc import Callable

from syscope.decode import fmt

_FAULT_TABLES = {11: "segv_code", 7: "bus_code", 4: "ill_code", 8: "fpe_code", 5: "trap_code"}
_SIGCHLD, _SIGPOLL, _SIGSYS = 17, 29, 31


def _code_name(arch: str, signo: int, code: int) -> str:
    if code <= 0 or code == 0x80:
        name = fmt.enum(arch, "si_code").get(code)
        if name is not None:
            return name
    table = _FAULT_TABLES.get(signo) or {_SIGCHLD: "cld_code", _SIGPOLL: "poll_code",
                                        _SIGSYS: "sys_code"}.get(signo)
    if table is not None and code > 0:
        name = fmt.enum(arch, table).get(code)
        if name is not None:
            return name
    return str(code)


def _ticks(v: int) -> str:
    # clock_t in USER_HZ (100) ticks: strace adds the seconds
    return f"{v} /* {v / 100:.2f} s */" if v else "0"


def format_siginfo(siginfo_bytes: bytes, arch: str, raw: bool = False, verbose: bool = False,
                   pid: Callable[[int], str] = str) -> str:
    """``{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=123, si_uid=0, si_status=0, ...}``;
    raw (-X raw): signal numbers and codes as numbers; verbose (-X verbose): both; ``pid``
    prints si_pid (strace's PRINT_FIELD_TGID: --decode-pids adds the comm and translation)."""
    pid_text = pid
    word = 4 if arch == "i386" else 8
    data = siginfo_bytes.ljust(128, b"\0")
    signo, err, code = struct.unpack_from("<iii", data, 0)
    # the union starts after the three ints, aligned to a pointer (16 on 64-bit, 12 on i386)
    u = 16 if word == 8 else 12
    ptr = "<Q" if word == 8 else "<I"
    lng = "<q" if word == 8 else "<i"
    code_num = fmt.hexnum(code & 0xFFFFFFFF)
    if raw:
        parts = [f"si_signo={signo}", f"si_code={code_num}"]
    elif verbose:
        cname = _code_name(arch, signo, code)
        parts = [f"si_signo={signo} /* {fmt.signame(signo)} */",
                 f"si_code={code_num} /* {cname} */" if cname != str(code) else f"si_code={code_num}"]
    else:
        parts = [f"si_signo={fmt.signame(signo)}", f"si_code={_code_name(arch, signo, code)}"]
    if err:
        name = fmt.errno_text(err).split(" ")[1] if err < 4096 else str(err)
        parts.insert(2, f"si_errno={name}")  # after si_code (printsiginfo -> print_si_info)
    if code in (0, -6) or (code <= 0 and code not in (-2, -5, -4, -3, -1)):
        # SI_USER, SI_TKILL (kill(2), tgkill(2)): the sender
        if code != 0x80:
            si_pid, uid = struct.unpack_from("<iI", data, u)
            parts += [f"si_pid={pid_text(si_pid)}", f"si_uid={uid}"]
    elif code in (-1, -3):  # SI_QUEUE, SI_MESGQ: sender and the queued value
        si_pid, uid = struct.unpack_from("<iI", data, u)
        val_i = struct.unpack_from("<i", data, u + 8)[0]
        val_p = struct.unpack_from(ptr, data, u + 8)[0]
        parts += [f"si_pid={pid_text(si_pid)}", f"si_uid={uid}", f"si_int={val_i}",
                  f"si_ptr={fmt.ptr(val_p)}"]
    elif code == -2:  # SI_TIMER
        tid, overrun = struct.unpack_from("<ii", data, u)
        val_i = struct.unpack_from("<i", data, u + 8)[0]
        val_p = struct.unpack_from(ptr, data, u + 8)[0]
        parts += [f"si_timerid={tid:#x}", f"si_overrun={overrun}", f"si_int={val_i}",
                  f"si_ptr={fmt.ptr(val_p)}"]
    elif code > 0 and code != 0x80:
        if signo == _SIGCHLD:
            si_pid, uid, status = struct.unpack_from("<iIi", data, u)
            off = u + 12 + (4 if word == 8 else 0)  # clock_t si_utime is long-aligned
            utime = struct.unpack_from(lng, data, off)[0]
            stime = struct.unpack_from(lng, data, off + word)[0]
            st = str(status) if code == 1 or raw else fmt.signame(status)
            parts += [f"si_pid={pid_text(si_pid)}", f"si_uid={uid}", f"si_status={st}",
                      f"si_utime={utime if raw else _ticks(utime)}", f"si_stime={stime if raw else _ticks(stime)}"]
        elif signo in _FAULT_TABLES:
            addr = struct.unpack_from(ptr, data, u)[0]
            parts.append(f"si_addr={fmt.ptr(addr)}")
        elif signo == _SIGPOLL:
            band = struct.unpack_from(lng, data, u)[0]
            fd = struct.unpack_from("<i", data, u + word)[0]
            parts += [f"si_band={band}", f"si_fd={fd}"]
        elif signo == _SIGSYS:
            addr = struct.unpack_from(ptr, data, u)[0]
            nr, audit = struct.unpack_from("<iI", data, u + word)
            parts += [f"si_call_addr={fmt.ptr(addr)}",
                      f"si_syscall={nr}", f"si_arch={audit:#x}"]
    return "{" + ", ".join(parts) + "}"
