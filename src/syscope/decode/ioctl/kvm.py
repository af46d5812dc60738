"""KVM requests (type 0xae, linux/kvm.h), as strace's kvm.c and its x86 arch_kvm.c: the VM and
vCPU descriptors KVM_CREATE_VM/KVM_CREATE_VCPU return, a capability's name, a memory slot,
cpuid tables, and the x86 registers (struct kvm_regs, kvm_sregs: abbreviated without -v).
With -e kvm=vcpu, KVM_RUN's return is followed by the vCPU's exit reason, read from the
struct kvm_run the vCPU descriptor maps (Documentation/virt/kvm/api.rst)."""

from __future__ import annotations

import struct

from syscope.decode import fmt
from syscope.decode.base import proc_dir
from syscope.decode.ioctl import tables
from syscope.decode.ioctl.core import Call, Requests, Struct, family
from syscope.lean import cache

_SPECS = {"KVM_CREATE_VM": "vm", "KVM_CREATE_VCPU": "vcpu", "KVM_CHECK_EXTENSION": "cap",
          "KVM_SET_USER_MEMORY_REGION": "memory_region", "KVM_GET_REGS": "regs_out", "KVM_SET_REGS": "regs",
          "KVM_GET_SREGS": "sregs_out", "KVM_SET_SREGS": "sregs", "KVM_SET_CPUID2": "cpuid",
          "KVM_GET_SUPPORTED_CPUID": "cpuid_out", "KVM_GET_EMULATED_CPUID": "cpuid_out", "KVM_RUN": "run"}
_X86 = ("x86_64", "i386")  # struct kvm_regs/kvm_sregs are strace's (and these) x86 layouts only

_MEMORY_REGION = Struct([("slot", "I", "u"), ("flags", "I", "flags:kvm_mem_flags"),
                         ("guest_phys_addr", "Q", "x"), ("memory_size", "Q", "u"), ("userspace_addr", "Q", "x")])
_CPUID_ENTRY = Struct([("function", "I", "x"), ("index", "I", "x"), ("flags", "I", "flags:kvm_cpuid_flags"),
                       ("eax", "I", "x"), ("ebx", "I", "x"), ("ecx", "I", "x"), ("edx", "I", "x"),
                       ("padding", "12x", "")])
_REGS = ("rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rsp", "rbp", "r8", "r9", "r10", "r11", "r12", "r13", "r14",
         "r15", "rip", "rflags")
_ABBREV_REGS = ("rax", "...", "rsp", "rbp", "...", "rip", "rflags")
# struct kvm_segment: base, limit, selector, then eight u8 attributes (and unusable, padding)
_SEGMENT = struct.Struct("<QIH8Bxx")
_SEGMENT_BITS = ("type", "present", "dpl", "db", "s", "l", "g", "avl")
_SEGMENTS = ("cs", "ds", "es", "fs", "gs", "ss", "tr", "ldt")
_DTABLE = struct.Struct("<QH6x")
# struct kvm_sregs: 8 segments, gdt, idt, cr0 cr2 cr3 cr4 cr8 efer apic_base, interrupt_bitmap[4]
_SREGS_SIZE = 8 * _SEGMENT.size + 2 * _DTABLE.size + 7 * 8 + 4 * 8
_KVM_RUN_EXIT_REASON = struct.Struct("<8xI")  # struct kvm_run: u8 flags and padding[6], then it


_REQUESTS = Requests(_SPECS)


def _segment(data: bytes, off: int) -> str:
    base, limit, selector, *bits = _SEGMENT.unpack_from(data, off)
    attrs = "".join(f", {n}={v}" for n, v in zip(_SEGMENT_BITS, bits, strict=True))
    return f"{{base={fmt.hexnum(base)}, limit={limit}, selector={selector}{attrs}}}"


def _sregs(c: Call, data: bytes) -> str:
    parts = [f"cs={_segment(data, 0)}"]
    if c.d.abbrev:
        return "{" + parts[0] + ", ...}"
    parts += [f"{n}={_segment(data, k * _SEGMENT.size)}" for k, n in enumerate(_SEGMENTS) if k]
    off = 8 * _SEGMENT.size
    for n in ("gdt", "idt"):
        base, limit = _DTABLE.unpack_from(data, off)
        parts.append(f"{n}={{base={fmt.hexnum(base)}, limit={limit}}}")
        off += _DTABLE.size
    vals = struct.unpack_from("<7Q4Q", data, off)
    parts += [f"{n}={v}" for n, v in zip(("cr0", "cr2", "cr3", "cr4", "cr8", "efer"), vals[:6], strict=True)]
    parts.append(f"apic_base={fmt.hexnum(vals[6])}")
    parts.append("interrupt_bitmap=[" + ", ".join(fmt.hexnum(v) for v in vals[7:]) + "]")
    return "{" + ", ".join(parts) + "}"


def _regs(c: Call, data: bytes) -> str:
    vals = dict(zip(_REGS, struct.unpack_from("<18Q", data), strict=True))
    shown = _ABBREV_REGS if c.d.abbrev else _REGS
    return "{" + ", ".join(n if n == "..." else f"{n}={fmt.hexnum(vals[n])}" for n in shown) + "}"


def _cpuid(c: Call) -> str:
    got = c.unpack("I")
    if got is None:
        return c.addr()
    nent = got[0]
    if c.d.abbrev:
        entries = "[...]" if nent else "[]"
    else:
        entries = c.d.array(c.mem, c.arg + 8, nent, _CPUID_ENTRY.size, lambda b: _CPUID_ENTRY.text(c, b))
    return f"{{nent={nent}, entries={entries}}}"


def _exit_reason(c: Call) -> str | None:
    """The exit reason in the struct kvm_run the vCPU descriptor maps: strace finds the mapping
    of the descriptor's anon_inode:kvm-vcpu:N file among the process's mappings."""
    link = c.d.readlink(f"{proc_dir(c.ev.pid)}/fd/{fmt.s32(c.ev.raw_args[0])}")
    path = None if link is None else link.decode(errors="replace")
    if path is None or not path.startswith("anon_inode:kvm-vcpu:"):
        return None
    try:
        with open(f"{proc_dir(c.ev.pid)}/maps", encoding="utf-8", errors="replace") as maps:
            starts = [int(line.split("-", 1)[0], 16) for line in maps if line.rstrip().endswith(" " + path)]
    except OSError:
        return None
    if not starts:
        return None
    data = c.mem.read(starts[0], _KVM_RUN_EXIT_REASON.size)
    if data is None or len(data) < _KVM_RUN_EXIT_REASON.size:
        return None
    reason = _KVM_RUN_EXIT_REASON.unpack(data)[0]
    return _exit_reasons(c.arch).get(reason, "KVM_EXIT_???")


@cache
def _exit_reasons(arch: str) -> dict[int, str]:
    return {v: n for v, n in reversed(tables.rows(arch, "kvm_exit_reason"))}


@family(0xAE)
def kvm(c: Call) -> str | None:
    spec = _REQUESTS.spec(c)
    if spec is None or (spec.startswith(("regs", "sregs")) and c.arch not in _X86):
        return None
    if spec == "vm":
        c.ret_fd()
        return None
    if spec == "vcpu":
        c.ret_fd()
        return str(c.arg & 0xFFFFFFFF)
    if spec == "cap":
        return c.xval("kvm_cap", c.arg)
    if spec == "run":
        if c.d.opts.kvm_vcpu and not c.failed:
            c.ret_aux(_exit_reason(c))
        return None
    # the _out structs are the kernel's answer: strace reads them at exit, the address if the
    # call failed; the others it reads at entry (the kernel does not change them)
    if spec.endswith("_out") and c.failed:
        return c.addr()
    if spec.startswith("cpuid"):
        return _cpuid(c)
    if spec == "memory_region":
        got = _MEMORY_REGION.read(c)
        return c.addr() if got is None else got[0]
    size = _SREGS_SIZE if spec.startswith("sregs") else 18 * 8
    data = c.read(size)
    if data is None:
        return c.addr()
    return _sregs(c, data) if spec.startswith("sregs") else _regs(c, data)

