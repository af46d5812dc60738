"""Classic BPF programs (struct sock_fprog / struct sock_filter, linux/filter.h) as strace's
src/bpf_filter.c prints them: ``{len=N, filter=[BPF_STMT(BPF_LD|BPF_W|BPF_ABS, 0), BPF_JUMP(...)]}``,
with the k operand of seccomp filters (SECCOMP_RET_* actions, bpf_seccomp_filter.c) and socket
filters (SKF_*_OFF offsets, bpf_sock_filter.c) by name.  Used by seccomp(2), prctl(PR_SET_SECCOMP)
and setsockopt(SO_ATTACH_FILTER)."""

from __future__ import annotations

import struct

from syscope.decode import fmt
from syscope.decode.base import DecoderBase
from syscope.decode.fmt import hexnum as _hex
from syscope.decode.fmt import ptr as _ptr
from syscope.decode.registry import Memory, read_struct, word_size
from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

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
                                                       "skf_ad", "seccomp_ret_action", "ebpf_class", "ebpf_size",
                                                       "ebpf_mode", "ebpf_op_alu", "ebpf_op_jmp", "ebpf_regs")}
        self.cls = {n: v for v, n in fmt.consts(arch).get("bpf_class", [])}
        self.off = {n: v & 0xFFFFFFFF for v, n in fmt.consts(arch).get("skf_off", [])}
        self.abs_mode = next((v for v, n in fmt.consts(arch).get("bpf_mode", []) if n == "BPF_ABS"), 0x20)

    def unknown_bits(self, i: int) -> str:
        return f"|{_hex(i)} /* BPF_??? */" if i else ""

    def either(self, first: str, second: str, v: int) -> str:
        # printxvals(v, "BPF_???", first, second): the first table that names v
        t = self.t
        return t[second](v) if t[first].get(v) is None and t[second].get(v) is not None else t[first](v)

    def code(self, code: int, extended: bool = False) -> str:
        # strace print_bpf_filter_code(code, extended): eBPF (extended) has its own class and
        # mode tables, BPF_DW, and more ALU and jump operations; its BPF_ALU64 and BPF_JMP32
        # take the places of classic BPF_MISC and BPF_RET
        t, c = self.t, self.cls
        cls = code & _CLASS
        i = code & ~_CLASS
        out = t["ebpf_class" if extended else "bpf_class"](cls)
        if cls in (c.get("BPF_ST"), c.get("BPF_STX")) and not extended:
            return out + self.unknown_bits(i)
        if cls in (c.get("BPF_LD"), c.get("BPF_LDX"), c.get("BPF_ST"), c.get("BPF_STX")):
            size = self.either("bpf_size", "ebpf_size", code & _SIZE) if extended else t["bpf_size"](code & _SIZE)
            return f"{out}|{size}|{t['ebpf_mode' if extended else 'bpf_mode'](code & _MODE)}"
        if cls == c.get("BPF_MISC") and not extended:
            return f"{out}|{t['bpf_miscop'](code & _MISCOP)}" + self.unknown_bits(i & ~(code & _MISCOP))
        if cls in (c.get("BPF_ALU"), c.get("BPF_MISC")):
            op = self.either("bpf_op_alu", "ebpf_op_alu", code & _OP) if extended else t["bpf_op_alu"](code & _OP)
            return f"{out}|{t['bpf_src'](code & _SRC)}|{op}"
        if cls == c.get("BPF_JMP"):
            op = self.either("bpf_op_jmp", "ebpf_op_jmp", code & _OP) if extended else t["bpf_op_jmp"](code & _OP)
            return f"{out}|{t['bpf_src'](code & _SRC)}|{op}"
        if extended:
            # BPF_RET's place (BPF_JMP32) is reserved in strace 6.1's eBPF printer: the bits only
            return out + self.unknown_bits(i)
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


_EBPF_INSN = struct.Struct("<BBhi")  # struct bpf_insn {__u8 code; __u8 dst_reg:4, src_reg:4; __s16 off; __s32 imm;}


def ebpf_program_printer(d: DecoderBase, arch: str) -> Callable[[Memory, int, int], str]:
    """A printer of ``n`` struct bpf_insn (linux/bpf.h) at an address, as strace's
    print_ebpf_prog: the address without -v, else ``[{code=..., dst_reg=BPF_REG_1, src_reg=...,
    off=-4, imm=0x1}, ...]``, at most BPF_MAXINSNS of them."""
    p = _Printer(d, arch, "")
    regs = p.t["ebpf_regs"]

    def insn(chunk: bytes) -> str:
        code, regs_byte, off, imm = _EBPF_INSN.unpack(chunk)
        # the bitfields of a little-endian bpf_insn: dst_reg the low nibble
        return (f"{{code={p.code(code, True)}, dst_reg={regs(regs_byte & 0xF)}, src_reg={regs(regs_byte >> 4)}, "
                f"off={off}, imm={_hex(imm & 0xFFFFFFFF)}}}")

    def program(mem: Memory, addr: int, n: int) -> str:
        if d.abbrev:
            return _ptr(addr)
        seen = [0]

        def one(chunk: bytes) -> str:
            seen[0] += 1
            return "..." if seen[0] > _MAXINSNS else insn(chunk)
        text = d.array(mem, addr, n, _EBPF_INSN.size, one)
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
