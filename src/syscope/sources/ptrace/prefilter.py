"""The seccomp-bpf prefilter of filtered traces (what ``strace --seccomp-bpf`` does).

A classic-BPF program installed in the launched child before it execs returns SECCOMP_RET_TRACE
for the traced syscalls and SECCOMP_RET_ALLOW for the rest, so the tracer resumes tasks with
PTRACE_CONT and only traced calls stop (PTRACE_EVENT_SECCOMP, then the exit stop).  Untraced calls
cost one filter run in the kernel, a few dozen nanoseconds.

Program shape (struct seccomp_data: int nr at 0, u32 arch at 4; include/uapi/linux/seccomp.h)::

    ld [4]                          ; arch
    jeq AUDIT_ARCH_X86_64, 0, 1     ; per traced arch: is it this one?
    ja  body_x86_64                 ; (ja has a 32-bit offset: bodies may be longer than 255)
    ...
    ret TRACE                       ; an arch we have no table for: let the tracer decide
  body:
    ld [0]                          ; nr
    jeq N, 0, 1 / ret TRACE         ; a lone number
    jge LO, 0, 2 / jgt HI, 1, 0 / ret TRACE   ; a range
    ret ALLOW

A filter returning SECCOMP_RET_TRACE with no tracer attached fails the call with ENOSYS
(seccomp(2)), which is why every task of the launched tree stays traced while it runs.
"""

from __future__ import annotations

import struct

from syscope._kernel.seccomp_filter import SECCOMP_RET_ALLOW, SECCOMP_RET_TRACE
from syscope.syscalls.roles import AUDIT_ARCH
from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

# <linux/filter.h> / <linux/bpf_common.h> opcodes
_LD_W_ABS = 0x20
_JMP_JA = 0x05
_JMP_JEQ_K = 0x15
_JMP_JGT_K = 0x25
_JMP_JGE_K = 0x35
_RET_K = 0x06

_X32_SYSCALL_BIT = 0x40000000  # x32 ABI numbers on x86_64 (arch/x86/include/uapi/asm/unistd.h)

_INSN = struct.Struct("=HBBI")  # struct sock_filter: u16 code, u8 jt, u8 jf, u32 k


def ranges(nrs: Iterable[int]) -> list[tuple[int, int]]:
    """Sorted numbers folded into inclusive ranges: {1,2,3,7} -> [(1,3),(7,7)]."""
    out: list[tuple[int, int]] = []
    for n in sorted(set(nrs)):
        if out and out[-1][1] == n - 1:
            out[-1] = (out[-1][0], n)
        else:
            out.append((n, n))
    return out


def _body(arch: str, nrs: Iterable[int]) -> list[tuple[int, int, int, int]]:
    code: list[tuple[int, int, int, int]] = [(_LD_W_ABS, 0, 0, 0)]
    if arch == "x86_64":
        code += [(_JMP_JGE_K, 0, 1, _X32_SYSCALL_BIT), (_RET_K, 0, 0, SECCOMP_RET_TRACE)]
    for lo, hi in ranges(nrs):
        if lo == hi:
            code += [(_JMP_JEQ_K, 0, 1, lo), (_RET_K, 0, 0, SECCOMP_RET_TRACE)]
        else:
            code += [(_JMP_JGE_K, 0, 2, lo), (_JMP_JGT_K, 1, 0, hi), (_RET_K, 0, 0, SECCOMP_RET_TRACE)]
    code.append((_RET_K, 0, 0, SECCOMP_RET_ALLOW))
    return code


def build_program(traced: Mapping[str, Iterable[int]]) -> bytes:
    """The filter for ``{arch: syscall numbers to trace}``; other calls of those archs are allowed."""
    bodies = [(AUDIT_ARCH[a], _body(a, nrs)) for a, nrs in traced.items()]
    head: list[tuple[int, int, int, int]] = [(_LD_W_ABS, 0, 0, 4)]
    # dispatch: 2 instructions an arch, then the catch-all return
    dispatch_len = 2 * len(bodies) + 1
    offset = 0  # where each body starts, counted from the end of the dispatch block
    for i, (audit, body) in enumerate(bodies):
        # the ja sits at dispatch index 2*i+1; its target is dispatch_len + offset
        head += [(_JMP_JEQ_K, 0, 1, audit), (_JMP_JA, 0, 0, dispatch_len - (2 * i + 2) + offset)]
        offset += len(body)
    head.append((_RET_K, 0, 0, SECCOMP_RET_TRACE))
    code = head + [insn for _, body in bodies for insn in body]
    if len(code) > 4096:  # BPF_MAXINSNS
        raise ValueError("seccomp prefilter too long")
    return b"".join(_INSN.pack(*insn) for insn in code)
