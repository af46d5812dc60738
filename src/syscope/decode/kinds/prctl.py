"""prctl(2) and arch_prctl(2): each option decodes its arguments its own way.

The facts are strace 6.1's src/prctl.c: which arguments an option prints and how (a named
constant, flags, a signal, a string, a number written by the kernel), that the arguments an
option does not use are left out (or printed in hex when the option takes "the rest"), and the
return values that are decoded (``= 0x3 (SECBIT_NOROOT|SECBIT_NOROOT_LOCKED)``).  The option
values and every table come from the UAPI headers (spec_process.py, tools/gen_decode.py).

The plan of a call is three closures: the entry arguments, the arguments the kernel writes
(printed at exit) and the return value; each looks the option up in a dict of small functions.
"""

from __future__ import annotations

from syscope.decode import fmt
from syscope.decode.base import DecoderBase
from syscope.decode.fmt import hexnum as _hex
from syscope.decode.fmt import ptr as _ptr
from syscope.decode.fmt import s32 as _s32
from syscope.decode.registry import ArgFn, Memory, RetFn, word_size
from syscope.events import SyscallEvent
from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only (postponed): collections costs a start-up ~6 M instructions
    from collections.abc import Callable
    from typing import Any

    # an option's entry arguments: the texts after the option
    Args = Callable[[SyscallEvent, Memory], list[str]]
    # an option's return value: the text after " = " of a successful call
    Ret = Callable[[SyscallEvent], str]

TASK_COMM_LEN = 16  # include/linux/sched.h: PR_SET_NAME/PR_GET_NAME's buffer


class _Ctx:
    """What the option decoders share: the -X style, the tables of an arch, the decoder."""

    def __init__(self, d: DecoderBase, arch: str) -> None:
        self.d = d
        self.arch = arch
        self.xs = d.xs  # 0 abbrev, 1 verbose, 2 raw
        c = fmt.consts(arch)
        self.v = {n: v for table in ("prctl_option", "pr_fields", "pr_cap_ambient", "pr_mce_kill",
                                     "pr_spec_cmds", "pr_set_vma", "seccomp_mode", "pr_sched_core_cmds",
                                     "arch_prctl")
                  for v, n in c.get(table, [])}
        self.word = word_size(arch)

    def xval(self, table: str, value: int) -> str:
        """printxval: the name, ``0x5 /* PR_TSC_??? */`` for an unknown value."""
        return fmt.enum(self.arch, table, self.xs)(value)

    def flags(self, table: str, value: int) -> str:
        """printflags: names|0xrest, ``0x40 /* PR_FP_MODE_??? */`` when no bit has a name."""
        return fmt.flags(self.arch, table, self.xs)(value)

    def aux_flags(self, table: str, value: int) -> str | None:
        """sprintflags_ex in SPFF_AUXSTR_MODE (a return value's comment): names only, never the
        number again; None under -X raw or when no bit has a name (src/xlat.c)."""
        if self.xs == 2:
            return None
        rows = fmt.consts(self.arch).get(table, [])
        if value == 0:
            return rows[0][1] if rows and rows[0][0] == 0 else None
        names, rest = [], value
        for v, n in rows:
            if v and rest & v == v:
                names.append(n)
                rest &= ~v
        if not names:
            return None
        return "|".join(names + ([f"{rest:#x}"] if rest else []))

    def signal(self, sig: int) -> str:
        """printsignal (src/signal.c): the name, ``N /* SIGX */`` under -X verbose, N raw or
        unnamed."""
        name = fmt.signame(sig) if sig > 0 else None
        if name is None or name == str(sig) or self.xs == 2:
            return str(sig)
        return f"{sig} /* {name} */" if self.xs == 1 else name

    def rest(self, ev: SyscallEvent, first: int) -> list[str]:
        """print_prctl_args: the arguments from index first on, in hex."""
        return [_hex(ev.raw_args[k]) for k in range(first, 5)]

    def comm(self, mem: Memory, addr: int, size: int) -> str:
        """printstr_ex(addr, size, QUOTE_0_TERMINATED): the string if its NUL comes within size
        bytes, else size bytes and "..."; the address when it cannot be read that far."""
        if not addr:
            return "NULL"
        size = min(size, self.d.opts.string_limit)
        got = mem.read_cstr(addr, size)
        if got is None:
            return _ptr(addr)
        data, nul = got
        if nul:
            return '"' + fmt.quote(data, self.d.opts.xflag) + '"'
        if len(data) < size:
            return _ptr(addr)
        return '"' + fmt.quote(data, self.d.opts.xflag) + '"...'



# -- values that split into fields (SVE/SME vector lengths, tagged addresses) -------------------

def _vl(c: _Ctx, table: str, mask: int, arg: int, aux: bool) -> str | None:
    """sprint_sve_val / sprint_sme_val: ``PR_SVE_VL_INHERIT|0x1234`` (flags, then the length)."""
    if c.xs == 2:
        return None if aux else _hex(arg)
    vl, fl = arg & mask, arg & ~mask
    if not fl and aux:
        return None
    names = fmt.flags(c.arch, table, 0)(fl, "") if fl else ""
    text = (names + "|" if names else "") + _hex(vl)
    if not aux and fl and c.xs == 1:
        return f"{_hex(arg)} /* {text} */"
    return text


def _tagged(c: _Ctx, arg: int, rval: bool) -> str | None:
    """sprint_tagged_addr_val: enable bit, MTE fault mode, tag mask, the other bits."""
    v = c.v
    enabled_bit, tcf_mask = v.get("PR_TAGGED_ADDR_ENABLE", 1), v.get("PR_MTE_TCF_MASK", 6)
    tag_mask, tag_shift = v.get("PR_MTE_TAG_MASK", 0xFFFF << 3), v.get("PR_MTE_TAG_SHIFT", 3)
    out = ""
    if not rval and c.xs != 0:
        out = _hex(arg)
    if c.xs == 2:
        return None if rval else out
    if not rval and c.xs == 1:
        out += " /* "
    out += ("PR_TAGGED_ADDR_ENABLE" if arg & enabled_bit else "!PR_TAGGED_ADDR_ENABLE") + "|"
    tcf = arg & tcf_mask
    out += fmt.enum(c.arch, "pr_mte_tcf").get(tcf) or _hex(tcf)
    if arg & tag_mask:
        out += f"|{_hex((arg & tag_mask) >> tag_shift)}<<PR_MTE_TAG_SHIFT"
    rest = arg & ~(enabled_bit | tcf_mask | tag_mask)
    if rest:
        out += f"|{_hex(rest)}"
    if not rval and c.xs == 1:
        out += " */"
    return out


# -- the options ---------------------------------------------------------------------------------

def _entry_commands(c: _Ctx) -> dict[str, Args]:
    """The options whose arg2 is a sub-command that decides how the rest prints."""
    from syscope.decode.kinds.bpf_filter import fprog_printer  # prctl's, not arch_prctl's (every program's)

    a = c.arch
    seccomp_prog = fprog_printer(c.d, a, "seccomp")

    def cap_ambient(ev: SyscallEvent, mem: Memory) -> list[str]:
        sub = ev.raw_args[1]
        out = [c.xval("pr_cap_ambient", sub)]
        if sub in (c.v.get("PR_CAP_AMBIENT_RAISE"), c.v.get("PR_CAP_AMBIENT_LOWER"),
                   c.v.get("PR_CAP_AMBIENT_IS_SET")):
            return [*out, c.xval("capability", ev.raw_args[2]), *c.rest(ev, 3)]
        return [*out, *c.rest(ev, 2)]

    def mce_kill(ev: SyscallEvent, mem: Memory) -> list[str]:
        sub = ev.raw_args[1]
        policy = (c.xval("pr_mce_kill_policy", ev.raw_args[2]) if sub == c.v.get("PR_MCE_KILL_SET")
                  else _hex(ev.raw_args[2]))
        return [c.xval("pr_mce_kill", sub), policy, *c.rest(ev, 3)]

    def set_vma(ev: SyscallEvent, mem: Memory) -> list[str]:
        sub = ev.raw_args[1]
        if sub != c.v.get("PR_SET_VMA_ANON_NAME"):
            return [c.xval("pr_set_vma", sub), *c.rest(ev, 2)]
        return [c.xval("pr_set_vma", sub), _ptr(ev.raw_args[2]), str(ev.raw_args[3]),
                c.d.cstr(mem, ev.raw_args[4], c.d.opts.string_limit)]

    def set_mm(ev: SyscallEvent, mem: Memory) -> list[str]:
        return [c.xval("pr_set_mm", ev.raw_args[1] & 0xFFFFFFFF), *c.rest(ev, 2)]

    def set_seccomp(ev: SyscallEvent, mem: Memory) -> list[str]:
        mode = ev.raw_args[1]
        out = [c.xval("seccomp_mode", mode)]
        if mode == c.v.get("SECCOMP_MODE_STRICT"):
            return out
        if mode == c.v.get("SECCOMP_MODE_FILTER"):
            # the filter program as strace's decode_seccomp_fprog (kinds/bpf_filter.py)
            return [*out, seccomp_prog(mem, ev.raw_args[2])]
        return [*out, *c.rest(ev, 2)]

    def spec_get(ev: SyscallEvent, mem: Memory) -> list[str]:
        return [c.xval("pr_spec_cmds", ev.raw_args[1])]

    def spec_set(ev: SyscallEvent, mem: Memory) -> list[str]:
        sub = ev.raw_args[1]
        known = sub in {v for v, _n in fmt.consts(a).get("pr_spec_cmds", [])}
        val = c.xval("pr_spec_set_flags", ev.raw_args[2]) if known else _hex(ev.raw_args[2])
        return [c.xval("pr_spec_cmds", sub), val]

    def sud(ev: SyscallEvent, mem: Memory) -> list[str]:
        return [c.xval("pr_sud_cmds", ev.raw_args[1]), _hex(ev.raw_args[2]), _hex(ev.raw_args[3]),
                _ptr(ev.raw_args[4])]

    def sched_core(ev: SyscallEvent, mem: Memory) -> list[str]:
        cmd = ev.raw_args[1] & 0xFFFFFFFF
        # the pid type is always commented with its name (printxval_ex XLAT_STYLE_VERBOSE)
        pidtype = fmt.enum(a, "pr_sched_core_pidtypes", 2 if c.xs == 2 else 1)(ev.raw_args[3] & 0xFFFFFFFF)
        # the pid names a thread, process, group or session as the pid type says (prctl.c)
        kind = {"PIDTYPE_PID": "tid", "PIDTYPE_TGID": "tgid", "PIDTYPE_PGID": "pgid", "PIDTYPE_SID": "sid"}.get(
            fmt.enum(a, "pr_sched_core_pidtypes").get(ev.raw_args[3] & 0xFFFFFFFF) or "", "")
        pid = c.d.pid(ev, _s32(ev.raw_args[2]), kind) if kind else str(_s32(ev.raw_args[2]))
        out = [c.xval("pr_sched_core_cmds", cmd), pid, pidtype]
        if cmd == c.v.get("PR_SCHED_CORE_GET"):
            return out  # the cookie is written by the call: printed at exit
        return [*out, _ptr(ev.raw_args[4])]

    return {"PR_CAP_AMBIENT": cap_ambient, "PR_MCE_KILL": mce_kill, "PR_SET_VMA": set_vma, "PR_SET_MM": set_mm,
            "PR_SET_SECCOMP": set_seccomp, "PR_GET_SPECULATION_CTRL": spec_get,
            "PR_SET_SPECULATION_CTRL": spec_set, "PR_SET_SYSCALL_USER_DISPATCH": sud, "PR_SCHED_CORE": sched_core}


def _entry_table(c: _Ctx) -> dict[str, Args]:
    """Option name -> its arguments at entry (prctl.c SYS_FUNC(prctl), entering)."""

    def none(ev: SyscallEvent, mem: Memory) -> list[str]:
        return []

    def unsigned(ev: SyscallEvent, mem: Memory) -> list[str]:
        return [str(ev.raw_args[1])]

    def unsigned_rest(ev: SyscallEvent, mem: Memory) -> list[str]:
        return [str(ev.raw_args[1]), *c.rest(ev, 2)]

    def hex_rest(ev: SyscallEvent, mem: Memory) -> list[str]:
        return c.rest(ev, 1)

    def dumpable(ev: SyscallEvent, mem: Memory) -> list[str]:
        return [c.xval("pr_dumpable", ev.raw_args[1])]

    def capbset(ev: SyscallEvent, mem: Memory) -> list[str]:
        return [c.xval("capability", ev.raw_args[1])]

    def set_name(ev: SyscallEvent, mem: Memory) -> list[str]:
        # the kernel copies at most TASK_COMM_LEN - 1 bytes (kernel/sys.c)
        return [c.comm(mem, ev.raw_args[1], TASK_COMM_LEN - 1)]

    def pdeathsig(ev: SyscallEvent, mem: Memory) -> list[str]:
        v = ev.raw_args[1]
        return [str(v) if v > 128 else c.signal(v)]

    def set_ptracer(ev: SyscallEvent, mem: Memory) -> list[str]:
        pid = _s32(ev.raw_args[1])
        if pid == -1:  # PR_SET_PTRACER_ANY, printed as a decimal constant
            return [{0: "PR_SET_PTRACER_ANY", 1: "-1 /* PR_SET_PTRACER_ANY */"}.get(c.xs, "-1")]
        return [c.d.pid(ev, pid, "tgid")]

    def securebits(ev: SyscallEvent, mem: Memory) -> list[str]:
        return [c.flags("secbits", ev.raw_args[1])]

    def timerslack(ev: SyscallEvent, mem: Memory) -> list[str]:
        v = ev.raw_args[1]
        bits = 8 * c.word
        v &= (1 << bits) - 1
        return [str(v - (1 << bits) if v >> (bits - 1) else v)]

    def tsc(ev: SyscallEvent, mem: Memory) -> list[str]:
        return [c.xval("pr_tsc", ev.raw_args[1] & 0xFFFFFFFF)]

    def unalign(ev: SyscallEvent, mem: Memory) -> list[str]:
        return [c.flags("pr_unalign_flags", ev.raw_args[1] & 0xFFFFFFFF)]

    def fp_mode(ev: SyscallEvent, mem: Memory) -> list[str]:
        return [c.flags("pr_fp_mode", ev.raw_args[1] & 0xFFFFFFFF)]

    def sve_set(ev: SyscallEvent, mem: Memory) -> list[str]:
        return [_vl(c, "pr_sve_vl_flags", c.v.get("PR_SVE_VL_LEN_MASK", 0xFFFF), ev.raw_args[1], False) or ""]

    def sme_set(ev: SyscallEvent, mem: Memory) -> list[str]:
        return [_vl(c, "pr_sme_vl_flags", c.v.get("PR_SME_VL_LEN_MASK", 0xFFFF), ev.raw_args[1], False) or ""]

    def tagged_set(ev: SyscallEvent, mem: Memory) -> list[str]:
        return [_tagged(c, ev.raw_args[1], False) or "", *c.rest(ev, 2)]

    def pac_reset(ev: SyscallEvent, mem: Memory) -> list[str]:
        return [c.flags("pr_pac_reset_keys", ev.raw_args[1]), *c.rest(ev, 2)]

    def pac_set(ev: SyscallEvent, mem: Memory) -> list[str]:
        return [c.flags("pr_pac_enabled_keys", ev.raw_args[1]), c.flags("pr_pac_enabled_keys", ev.raw_args[2]),
                *c.rest(ev, 3)]

    table: dict[str, Args] = {
        "PR_GET_KEEPCAPS": none, "PR_GET_SECCOMP": none, "PR_GET_TIMERSLACK": none, "PR_GET_TIMING": none,
        "PR_GET_DUMPABLE": none, "PR_GET_SECUREBITS": none, "PR_GET_FP_MODE": none, "PR_SVE_GET_VL": none,
        "PR_SME_GET_VL": none, "PR_TASK_PERF_EVENTS_DISABLE": none, "PR_TASK_PERF_EVENTS_ENABLE": none,
        "PR_SET_CHILD_SUBREAPER": unsigned, "PR_SET_ENDIAN": unsigned, "PR_SET_FPEMU": unsigned,
        "PR_SET_FPEXC": unsigned, "PR_SET_KEEPCAPS": unsigned, "PR_SET_TIMING": unsigned,
        "PR_SET_NO_NEW_PRIVS": unsigned_rest, "PR_SET_THP_DISABLE": unsigned_rest,
        "PR_SET_IO_FLUSHER": unsigned_rest, "PR_SET_DUMPABLE": dumpable, "PR_CAPBSET_DROP": capbset,
        "PR_CAPBSET_READ": capbset, "PR_SET_NAME": set_name, "PR_SET_PDEATHSIG": pdeathsig,
        "PR_SET_PTRACER": set_ptracer, "PR_SET_SECUREBITS": securebits,
        "PR_SET_TIMERSLACK": timerslack, "PR_SET_TSC": tsc, "PR_SET_UNALIGN": unalign,
        "PR_SET_FP_MODE": fp_mode, "PR_SVE_SET_VL": sve_set, "PR_SME_SET_VL": sme_set,
        "PR_SET_TAGGED_ADDR_CTRL": tagged_set, "PR_PAC_RESET_KEYS": pac_reset, "PR_PAC_SET_ENABLED_KEYS": pac_set,
        **_entry_commands(c),
    }
    # the value the kernel writes through arg2 is printed at exit (_exit_table)
    for name in ("PR_GET_CHILD_SUBREAPER", "PR_GET_ENDIAN", "PR_GET_FPEMU", "PR_GET_FPEXC", "PR_GET_NAME",
                 "PR_GET_PDEATHSIG", "PR_GET_TID_ADDRESS", "PR_GET_TSC", "PR_GET_UNALIGN"):
        table[name] = none
    # everything else (PR_GET_NO_NEW_PRIVS, PR_MCE_KILL_GET, unknown options ...): arg2..arg5 in hex
    table[""] = hex_rest
    return table


def _exit_table(c: _Ctx) -> dict[str, ArgFn]:
    """Option name -> the argument the kernel wrote, printed at exit."""
    kptr = "<Q" if c.word == 8 else "<I"

    def uint(ev: SyscallEvent, mem: Memory) -> str:
        return c.d.num_written(ev, mem, ev.raw_args[1], "<I", str)

    def get_name(ev: SyscallEvent, mem: Memory) -> str:
        if ev.errno is not None or ev.retval is None:
            return _ptr(ev.raw_args[1])
        return c.comm(mem, ev.raw_args[1], TASK_COMM_LEN)

    def pdeathsig(ev: SyscallEvent, mem: Memory) -> str:
        return c.d.num_written(ev, mem, ev.raw_args[1], "<i", c.signal)

    def tid_address(ev: SyscallEvent, mem: Memory) -> str:
        return c.d.num_written(ev, mem, ev.raw_args[1], kptr, _ptr)

    def tsc(ev: SyscallEvent, mem: Memory) -> str:
        return c.d.num_written(ev, mem, ev.raw_args[1], "<I", lambda v: c.xval("pr_tsc", v))

    def unalign(ev: SyscallEvent, mem: Memory) -> str:
        return c.d.num_written(ev, mem, ev.raw_args[1], "<I", lambda v: c.flags("pr_unalign_flags", v))

    def sched_core(ev: SyscallEvent, mem: Memory) -> str | None:
        if ev.raw_args[1] & 0xFFFFFFFF != c.v.get("PR_SCHED_CORE_GET"):
            return None
        # printnum_int64 "%#llx": the cookie
        return c.d.num_written(ev, mem, ev.raw_args[4], "<Q", _hex)

    return {"PR_GET_CHILD_SUBREAPER": uint, "PR_GET_ENDIAN": uint, "PR_GET_FPEMU": uint, "PR_GET_FPEXC": uint,
            "PR_GET_NAME": get_name, "PR_GET_PDEATHSIG": pdeathsig, "PR_GET_TID_ADDRESS": tid_address,
            "PR_GET_TSC": tsc, "PR_GET_UNALIGN": unalign, "PR_SCHED_CORE": sched_core}


def _ret_table(c: _Ctx) -> dict[str, Ret]:
    """Option name -> how a successful call's return value prints (RVAL_HEX|RVAL_STR forms)."""
    def hex_aux(aux: str | None, r: int) -> str:
        return f"{_hex(r)} ({aux})" if aux else _hex(r)

    def dumpable(ev: SyscallEvent) -> str:
        name = fmt.enum(c.arch, "pr_dumpable").get(ev.retval or 0)
        return f"{ev.retval} ({name})" if name else str(ev.retval)

    def mce_kill_get(ev: SyscallEvent) -> str:
        name = fmt.enum(c.arch, "pr_mce_kill_policy").get(ev.retval or 0)
        return f"{ev.retval} ({name})" if name else str(ev.retval)

    def flags_of(table: str) -> Ret:
        def ret(ev: SyscallEvent) -> str:
            r = ev.retval or 0
            return hex_aux(c.aux_flags(table, r), r) if r else "0"
        return ret

    def pac_enabled(ev: SyscallEvent) -> str:
        r = ev.retval or 0
        return hex_aux(c.aux_flags("pr_pac_enabled_keys", r), r)

    def vl(table: str, mask: str) -> Ret:
        def ret(ev: SyscallEvent) -> str:
            r = ev.retval or 0
            return hex_aux(_vl(c, table, c.v.get(mask, 0xFFFF), r, True), r) if r else "0"
        return ret

    def spec_ctrl(ev: SyscallEvent) -> str:
        r = ev.retval or 0
        if ev.raw_args[1] in {v for v, _n in fmt.consts(c.arch).get("pr_spec_cmds", [])}:
            return hex_aux(c.aux_flags("pr_spec_get_flags", r), r)
        return str(r)

    def tagged(ev: SyscallEvent) -> str:
        r = ev.retval or 0
        return hex_aux(_tagged(c, r, True), r)

    return {"PR_GET_DUMPABLE": dumpable, "PR_MCE_KILL_GET": mce_kill_get,
            "PR_GET_SECUREBITS": flags_of("secbits"), "PR_GET_FP_MODE": flags_of("pr_fp_mode"),
            "PR_PAC_GET_ENABLED_KEYS": pac_enabled,
            "PR_SVE_SET_VL": vl("pr_sve_vl_flags", "PR_SVE_VL_LEN_MASK"),
            "PR_SVE_GET_VL": vl("pr_sve_vl_flags", "PR_SVE_VL_LEN_MASK"),
            "PR_SME_SET_VL": vl("pr_sme_vl_flags", "PR_SME_VL_LEN_MASK"),
            "PR_SME_GET_VL": vl("pr_sme_vl_flags", "PR_SME_VL_LEN_MASK"),
            "PR_GET_SPECULATION_CTRL": spec_ctrl, "PR_GET_TAGGED_ADDR_CTRL": tagged}


def prctl_plan(d: DecoderBase, arch: str) -> tuple[list[ArgFn], list[ArgFn], RetFn]:
    """The entry arguments, the exit arguments and the return value of prctl(2)."""
    c = _Ctx(d, arch)
    names = fmt.enum(arch, "prctl_option")
    entries, exits, rets = _entry_table(c), _exit_table(c), _ret_table(c)
    default = entries[""]

    def name(ev: SyscallEvent) -> str:
        return names.get(ev.raw_args[0] & 0xFFFFFFFF) or ""

    def entry(ev: SyscallEvent, mem: Memory) -> str:
        args = entries.get(name(ev), default)(ev, mem)
        return ", ".join([c.xval("prctl_option", ev.raw_args[0] & 0xFFFFFFFF), *args])

    def exit_(ev: SyscallEvent, mem: Memory) -> str | None:
        fn = exits.get(name(ev))
        return fn(ev, mem) if fn is not None else None

    def ret(ev: SyscallEvent) -> str:
        fn = rets.get(name(ev))
        return fn(ev) if fn is not None else str(ev.retval)

    return [entry], [exit_], ret


def prctl_c_plans(d: DecoderBase, arch: str, name: str) -> list[Any]:
    """The tracer's C lines of prctl (decode/cformat.py), a plan per option chosen by its register
    as arch_prctl's: the named options whose entry prints registers only (none, a number, the
    rest in hex, a capability: _entry_table's none, unsigned, unsigned_rest, hex_rest, capbset),
    nothing at exit and a plain result; their entries read no memory, so the extension keeps
    them (cformat.SELECTED_ONLY, late_decode.py), the other options' are this module's."""
    from syscope.decode import cformat as c

    ctx = _Ctx(d, arch)
    entries, exits, rets = _entry_table(ctx), _exit_table(ctx), _ret_table(ctx)
    code = c.enum_op(fmt.enum(arch, "prctl_option"), 0, c.INT)

    def hexes(first: int) -> tuple[Any, ...]:
        return tuple(c.COp(c.HEX, k) for k in range(first, 5))

    args = {"none": (), "unsigned": (c.COp(c.U64, 1),), "unsigned_rest": (c.COp(c.U64, 1), *hexes(2)),
            "hex_rest": hexes(1), "capbset": (c.enum_dflt_op(fmt.enum(arch, "capability"), 1, c.ALL),)}
    plans = []
    for value, option in fmt.consts(arch).get("prctl_option", []):
        ops = args.get(entries.get(option, entries[""]).__name__)
        if ops is not None and option not in exits and option not in rets:
            plans.append(c.CPlan(name, (code, *ops), c.RET_D, (0, c.INT, value)))
    return plans


# -- arch_prctl(2) (x86: arch/x86/kernel/process_64.c do_arch_prctl_64) --------------------------

# the codes printed their own way (the others: the code and arg2 in hex): a pointer written at
# exit, an XSAVE feature mask written at exit, a feature number in, the result a feature mask,
# no argument
_ARCH_GET_PTR = ("ARCH_GET_FS", "ARCH_GET_GS")
_ARCH_GET_MASK = ("ARCH_GET_XCOMP_SUPP", "ARCH_GET_XCOMP_PERM", "ARCH_GET_XCOMP_GUEST_PERM")
_ARCH_REQ = ("ARCH_REQ_XCOMP_PERM", "ARCH_REQ_XCOMP_GUEST_PERM")
_ARCH_NO_ARG = ("ARCH_GET_CPUID",)


def arch_prctl_c_plans(d: DecoderBase, arch: str, name: str) -> list[Any]:
    """The tracer's C lines of arch_prctl (decode/cformat.py), a plan per code chosen by its
    register as fcntl's: ARCH_GET_FS/GS with the pointer written ("[0x7f...]", the address
    when the call failed), ARCH_GET_CPUID alone, every other named code with arg2 in hex; the
    XSAVE codes (their masks' comments) and unnamed codes are this module's to print."""
    from syscope.decode import cformat as c

    code = c.enum_op(fmt.enum(arch, "arch_prctl"), 0, c.INT)
    special = (*_ARCH_GET_MASK, *_ARCH_REQ)
    plans = []
    for value, option in fmt.consts(arch).get("arch_prctl", []):
        if option in special:
            continue
        ops = ((code,) if option in _ARCH_NO_ARG
               else (code, c.COp(c.PTR_AT, 1)) if option in _ARCH_GET_PTR else (code, c.COp(c.HEX, 1)))
        plans.append(c.CPlan(name, ops, c.RET_D, (0, c.INT, value)))
    return plans


def arch_prctl_plan(d: DecoderBase, arch: str) -> tuple[list[ArgFn], list[ArgFn], RetFn]:
    c = _Ctx(d, arch)
    v = c.v
    get_ptr = {v.get(n) for n in _ARCH_GET_PTR}
    get_mask = {v.get(n) for n in _ARCH_GET_MASK}
    req = {v.get(n) for n in _ARCH_REQ}
    no_arg = {v.get(n) for n in _ARCH_NO_ARG}
    # the XSAVE feature names are always commented (printflags_ex/printxvals_ex with
    # XLAT_STYLE_VERBOSE: "XFEATURE_MASK_* macros are not publicly exposed")
    xs = 2 if c.xs == 2 else 1
    kptr = "<Q" if c.word == 8 else "<I"

    def option(ev: SyscallEvent) -> int:
        return ev.raw_args[0] & 0xFFFFFFFF

    def entry(ev: SyscallEvent, mem: Memory) -> str:
        op = option(ev)
        text = c.xval("arch_prctl", op)
        if op in get_ptr or op in get_mask or op in no_arg:
            return text
        if op in req:
            return f"{text}, {fmt.enum(arch, 'x86_xfeature_bits', xs)(ev.raw_args[1])}"
        return f"{text}, {_hex(ev.raw_args[1])}"

    def exit_(ev: SyscallEvent, mem: Memory) -> str | None:
        op = option(ev)
        if op in get_ptr:
            return c.d.num_written(ev, mem, ev.raw_args[1], kptr, _ptr)
        if op in get_mask:
            return c.d.num_written(ev, mem, ev.raw_args[1], "<Q", lambda m: fmt.flags(arch, "x86_xfeatures", xs)(m))
        return None

    def ret(ev: SyscallEvent) -> str:
        r = ev.retval or 0
        if option(ev) in req and r > 0:
            aux = c.aux_flags("x86_xfeatures", r)
            return f"{_hex(r)} ({aux})" if aux else _hex(r)
        return str(r)

    return [entry], [exit_], ret
