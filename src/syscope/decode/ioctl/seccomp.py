"""seccomp user-notification requests (type '!', linux/seccomp.h SECCOMP_IOCTL_NOTIF_*), as
strace's seccomp_ioctl.c: the notification the supervisor receives (struct seccomp_notif with
the traced call's seccomp_data), the response it sends, the fd it adds."""

from __future__ import annotations

import errno
import struct

from syscope.decode import fmt
from syscope.decode.ioctl import tables
from syscope.decode.ioctl.core import Call, Requests, family, simple
from syscope.syscalls import roles, table

_SPECS = {"SECCOMP_IOCTL_NOTIF_RECV": "recv", "SECCOMP_IOCTL_NOTIF_SEND": "send",
          "SECCOMP_IOCTL_NOTIF_ID_VALID": "xin:Q", "SECCOMP_IOCTL_NOTIF_ADDFD": "addfd"}
# the older kernel header's direction of NOTIF_ID_VALID (_IOR), still decoded the same
_ID_VALID_WRONG_DIR = 2 << 30 | 8 << 16 | 0x21 << 8 | 2
# struct seccomp_notif {u64 id; u32 pid, flags; struct seccomp_data {int nr; u32 arch;
# u64 instruction_pointer; u64 args[6]}}: 80 bytes
_NOTIF = struct.Struct("<QIIiIQ6Q")
_X32_BIT = 0x40000000  # asm/unistd.h __X32_SYSCALL_BIT


_REQUESTS = Requests(_SPECS, {_ID_VALID_WRONG_DIR: "xin:Q"})


@family(0x21)
def seccomp(c: Call) -> str | None:
    spec = _REQUESTS.spec(c)
    if spec is None:
        return None
    if spec == "recv":
        return _recv(c)
    if spec == "send":
        got = c.unpack("QqiI")
        if got is None:
            return c.addr()
        rid, val, err, flags = got
        return (f"{{id={fmt.hexnum(rid)}, val={val}, error={_err(c, err)}, "
                f"flags={c.flags('seccomp_ioctl_resp_flags', flags)}}}")
    if spec == "addfd":
        got = c.unpack("QIIiI")
        if got is None:
            return c.addr()
        aid, flags, srcfd, newfd, newfd_flags = got
        return (f"{{id={fmt.hexnum(aid)}, flags={c.flags('seccomp_ioctl_addfd_flags', flags)}, "
                f"srcfd={c.d.fd_or_num(c.ev, fmt.s32(srcfd))}, newfd={newfd}, "
                f"newfd_flags={fmt.flags(c.arch, 'open_flags', c.xs)(newfd_flags)}}}")
    return simple(c, spec)


def _err(c: Call, err: int) -> str:
    """PRINT_FIELD_ERR_D: a negated errno, ``-ENOSR``."""
    name = errno.errorcode.get(-err) if err < 0 else None
    if name is None or c.xs == 2:
        return str(err)
    return f"{err} /* -{name} */" if c.xs == 1 else f"-{name}"


def _recv(c: Call) -> str:
    data = c.read(_NOTIF.size)
    if data is None:
        return c.addr()
    # an all-zero notification is the buffer to be filled: printed at exit only
    text = "" if not any(data) else _notif(c, data) + " => "
    if c.failed:
        return text + c.addr() if text else c.addr()
    return text + _notif(c, data)


def _notif(c: Call, data: bytes) -> str:
    nid, pid, flags, nr, arch, ip, *args = _NOTIF.unpack(data)
    arch_text = tables.enum(c.arch, "audit_arch", c.xs)(arch)
    return (f"{{id={fmt.hexnum(nid)}, pid={c.d.pid(c.ev, pid)}, flags={fmt.hexnum(flags)}, "
            f"data={{nr={_syscall(c, nr & 0xFFFFFFFF, arch)}, arch={arch_text}, instruction_pointer={fmt.ptr(ip)}, "
            f"args=[{', '.join(fmt.hexnum(a) for a in args)}]}}}}")


def _syscall(c: Call, nr: int, audit: int) -> str:
    """PRINT_FIELD_SYSCALL_NAME: the call's name in the notification's arch; the tracee's own
    arch prints the __NR_ macro, another ``224 /* gettid */``."""
    arch = next((a for a, v in roles.AUDIT_ARCH.items() if v == audit), None)
    base = nr & ~_X32_BIT if arch == "x86_64" else nr
    try:
        info = table(arch).by_nr(base) if arch else None
    except (KeyError, ValueError):
        info = None
    if info is None or c.xs == 2:
        return str(nr)
    native = arch == c.arch and base == nr
    name = f"__NR_{info.name}" if native else info.name
    if native and c.xs == 0:
        return name
    return f"{nr} /* {name} */"
