"""Classic BPF programs (struct sock_fprog / struct sock_filter, linux/filter.h) as strace's
src/bpf_filter.c prints them: ``{len=N, filter=[BPF_STMT(BPF_LD|BPF_W|BPF_ABS, 0), BPF_JUMP(...)]}``,
with the k operand of seccomp filters (SECCOMP_RET_* actions, bpf_seccomp_filter.c) and socket
filters (SKF_*_OFF offsets, bpf_sock_filter.c) by name.  Used by seccomp(2), prctl(PR_SET_SECCOMP)
and setsockopt(SO_ATTACH_FILTER)."""

from __future__ import annotations

import struct
from collections.abc import Callable

from syscope.decode import fmt
from syscope.decode.base import DecoderBase
from syscope.decode.fmt import hexnum as _hex
from syscope.decode.fmt import ptr as _ptr
from syscope.decode.registry import Memory, read_struct, word_size

# The field masks of an instruction's code: BPF_CLASS, BPF_SIZE, BPF_MODE, BPF_OP, BPF_SRC
# (linux/bpf_common.h), BPF_RVAL and BPF_MISCOP (linux/filter.h): function-like macros there
_CLASS, _SIZE, _MODE, _OP, _SRC, _RVAL, _MISCOP = 0x07, 0x18, 0xE0, 0xF0, 0x08, 0x18, 0xF8
_INSN = struct.Struct("<HBBI")  # struct sock_filter {__u16 code; __u8 jt; __u8 jf; __u32 k;}
# BPF_MAXINSNS (linux/bpf_common.h): strace prints no more instructions than the kernel takes
_MAXINSNS = 4096
# SECCOMP_RET_ACTION_FULL (linux/seccomp.h): the action part of a seccomp return value
_RET_ACTION_FULL = 0xFFFF0000


class _Printer:
    def __init__(self, d: DecoderBase, arch: str, kind: str) -> None:
        self.d, self.kind = d, kind
        self.t = {t: fmt.enum(arch, t, d.xs) for t in ("bpf_class", "bpf_size", "bpf_mode", "bpf_src",
                                                       "bpf_op_alu", "bpf_op_jmp", "bpf_rval", "bpf_miscop",
                                                       "skf_ad", "seccomp_ret_action")}
        self.cls = {n: v for v, n in fmt.consts(arch).get("bpf_class", [])}
        self.off = {n: v & 0xFFFFFFFF for v, n in fmt.consts(arch).get("skf_off", [])}
        self.abs_mode = next((v for v, n in fmt.consts(arch).get("bpf_mode", []) if n == "BPF_ABS"), 0x20)

    def unknown_bits(self, i: int) -> str:
        return f"|{_hex(i)} /* BPF_??? */" if i else ""

    def code(self, code: int) -> str:
        # strace print_bpf_filter_code(code, extended=false)
        t, c = self.t, self.cls
        cls = code & _CLASS
        i = code & ~_CLASS
        out = t["bpf_class"](cls)
        if cls in (c.get("BPF_ST"), c.get("BPF_STX")):
            return out + self.unknown_bits(i)
        if cls in (c.get("BPF_LD"), c.get("BPF_LDX")):
            return f"{out}|{t['bpf_size'](code & _SIZE)}|{t['bpf_mode'](code & _MODE)}"
        if cls == c.get("BPF_MISC"):
            return f"{out}|{t['bpf_miscop'](code & _MISCOP)}" + self.unknown_bits(i & ~(code & _MISCOP))
        if cls == c.get("BPF_ALU"):
            return f"{out}|{t['bpf_src'](code & _SRC)}|{t['bpf_op_alu'](code & _OP)}"
        if cls == c.get("BPF_JMP"):
            return f"{out}|{t['bpf_src'](code & _SRC)}|{t['bpf_op_jmp'](code & _OP)}"
        # BPF_RET
        return f"{out}|{t['bpf_rval'](code & _RVAL)}" + self.unknown_bits(i & ~(code & _RVAL))

    def xlat32(self, name: str) -> str:
        # print_xlat32: the name, 0x... /* NAME */ under -X verbose, the number under -X raw
        v = self.off.get(name, 0)
        return _hex(v) if self.d.xs == 2 else f"{v:#x} /* {name} */" if self.d.xs == 1 else name

    def k(self, code: int, k: int) -> str:
        cls = code & _CLASS
        if self.kind == "seccomp" and cls == self.cls.get("BPF_RET"):
            action = k & _RET_ACTION_FULL
            data = k & ~action
            text = self.t["seccomp_ret_action"](action)
            return f"{text}|{_hex(data)}" if data else text
        if self.kind == "sock" and cls == self.cls.get("BPF_LD") and code & _MODE == self.abs_mode:
            o = self.off
            if k >= o.get("SKF_AD_OFF", 0xFFFFF000):
                return f"{self.xlat32('SKF_AD_OFF')}+{self.t['skf_ad'](k - o.get('SKF_AD_OFF', 0xFFFFF000))}"
            if k >= o.get("SKF_NET_OFF", 0xFFF00000):
                return f"{self.xlat32('SKF_NET_OFF')}+{k - o.get('SKF_NET_OFF', 0xFFF00000)}"
            if k >= o.get("SKF_LL_OFF", 0xFFE00000):
                return f"{self.xlat32('SKF_LL_OFF')}+{k - o.get('SKF_LL_OFF', 0xFFE00000)}"
        return _hex(k)

    def insn(self, chunk: bytes) -> str:
        code, jt, jf, k = _INSN.unpack(chunk)
        if jt or jf:
            return f"BPF_JUMP({self.code(code)}, {_hex(k)}, {_hex(jt)}, {_hex(jf)})"
        return f"BPF_STMT({self.code(code)}, {self.k(code, k)})"


def program_printer(d: DecoderBase, arch: str, kind: str) -> Callable[[Memory, int, int], str]:
    """A printer of ``n`` struct sock_filter instructions at an address (strace print_bpf_fprog):
    the address without -v; kind is "seccomp" or "sock" (how the k operand of a return or an
    absolute load is named)."""
    p = _Printer(d, arch, kind)

    def program(mem: Memory, filt: int, n: int) -> str:
        if d.abbrev:
            return _ptr(filt)
        seen = [0]

        def insn(chunk: bytes) -> str:
            seen[0] += 1
            return "..." if seen[0] > _MAXINSNS else p.insn(chunk)
        text = d.array(mem, filt, n, _INSN.size, insn)
        # BPF_MAXINSNS: the array stops at the first "..." (print_bpf_filter_block returns false)
        cut = text.find(", ...") if seen[0] > _MAXINSNS else -1
        return text[:cut] + ", ...]" if cut >= 0 else text
    return program


def fprog_printer(d: DecoderBase, arch: str, kind: str) -> Callable[[Memory, int], str]:
    """A printer of the struct sock_fprog at an address (strace decode_bpf_fprog)."""
    program = program_printer(d, arch, kind)
    code = "<H6xQ" if word_size(arch) == 8 else "<H2xI"

    def fprog(mem: Memory, addr: int) -> str:
        got = read_struct(mem, addr, code)
        if got is None:
            return _ptr(addr)
        n, filt = got
        return f"{{len={n}, filter={program(mem, filt, n)}}}"
    return fprog


def fprog_size(arch: str) -> int:
    """sizeof(struct sock_fprog): an unsigned short and a pointer."""
    return 16 if word_size(arch) == 8 else 8
