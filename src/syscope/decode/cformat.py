"""The decoder's format of simple calls as data, for the ptrace tracer's C line maker.

The tracer's C extension (``syscope._kernel._stops``, fmt_* in ``_stops_line.c``) can make the whole
line of a call at its exit stop without returning to Python, when it is given the call's format.
That format is compiled here from the decoder's own knowledge, never typed a second time: the
call's signature row (sigs.py, narrowed to the kernel's types by widths.py, as ``Decoder._build``
does) and, for each argument kind, what the kind declares next to its Python builder
(``registry.register(..., c=...)``: a ``COp`` under the decoder's options, or None when this kind
prints something the C code does not make, e.g. -yy's socket endpoints).  A call is C-formatted only when
every argument kind and the return kind have a C form; any other call, and every call under an
option that changes how these kinds print (-X, -x, -e raw=/verbose=/abbrev=, -e read=/write=,
-yy and --decode-fds= other than path, --decode-pids), is decoded by Python as before.  Plain -y
has C forms of its own (FD_PATH, DIRFD_PATH, RET_FD): the number and ``<PATH>``, read from
/proc/P/fd/N at the exit stop (base.py DecoderBase.link's rules); the calls that change what such
a link names are never kept to their exit under -y (sources/ptrace/late_decode.py).

Under the default options the formats are made ahead (tools/gen_cplans.py, decode/cplans.py) and
used under any -s: a kind's ``c=`` must not depend on -s (the extension is given it apart,
``_stops.fmt_setup``, and cuts what -s cuts itself); tests/unit/test_cplans.py checks every call's.

What the C code gives back to Python instead of printing (an enum value without a name, a flag
bit without one, a read that faults or comes back short, an errno without a text) keeps the
Python rules for those cases in one place.
"""

from __future__ import annotations

from syscope.decode import fmt, registry, widths
from syscope.decode.errnos import ERRNO_LIMIT, errno_texts  # noqa: F401 - the extension's errno texts
from syscope.decode.sigs import SIGS, SIGS_ARCH
from syscope.typenames import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Callable

    from syscope.decode.base import DecoderBase

# the C ops (_stops.h FOP_*), in its order
(D32, U32, S64, U64, HEX, PTR, BUF, RBUF, XLAT, FLAGS, PATH, STR, DIRFD, FIELD_FLAGS, OCTAL_IF, XATTR, STAT,
 SPLIT_FLAGS, STATX, DIRENTS, SIGACTION, CWD, FAILED_PTR, FD_PATH, DIRFD_PATH, OCTAL, UID, PTR_AT, RLIMIT,
 RBUFX, ARGV, ENVP, TIMESPEC, SOCKADDR, SYSINFO, STATFS, FDPAIR, UTSNAME, GIDS, WSTATUS, RUSAGE, CLONE, CLONE_ARGS,
 SIGSET, REMTS, POLLFDS, SIGRETURN, STACK_T, XLAT_DFLT, NULL, UTIMES,
 CPUSET, NODEMASK, MPOL_OUT, SOCKADDR_OUT, SOCKLEN) = range(1, 57)
# the version of these ops and of fmt_call's op tuples: the extension says which it makes
# (_stops.FMT_VERSION); an extension built from another _stops.c makes no lines
VERSION = 25
# the C return forms (_stops.h FRET_*): signed decimal, unsigned decimal, hex, and a named one
# given as (RET_NAMED, label, zero_bare, COp): "%#x (label TEXT)", TEXT the value as the op prints
# it, "0" alone for 0 when zero_bare (fcntl's F_GETFD: "0x1 (flags FD_CLOEXEC)"); a descriptor
# with -y's path (base.py DecoderBase.fd); octal (fmt.octal: umask's)
# with poll(2)'s revents (kinds/io.py ret_poll: the call's POLLFDS op says where)
RET_D, RET_U, RET_X, RET_NAMED, RET_FD, RET_OCTAL, RET_POLL = 1, 2, 3, 4, 5, 6, 7
ALL = (1 << 64) - 1
INT = 0xFFFFFFFF

# named by the engine at entry from the thread's previous call (engine.py _decode), and the
# multiplexer whose argument array is read at entry (decoder.py _demux_entry)
_NOT_BY_ROW = frozenset({"restart_syscall", "socketcall"})
_PATH_ONLY = frozenset({"path"})


# a table as the C code gets it: its (value, name) rows in the order Python matches them, and the
# text of a flag word 0 (None: an enum, whose values are matched whole)
Table = tuple[tuple[tuple[int, str], ...], "str | None"]


class COp(NamedTuple):
    """One argument of a C-formatted line: the op, the register, a length's register (BUF), the
    register's bits that count, the op's number (FIELD_FLAGS/SPLIT_FLAGS: the field's bits;
    OCTAL_IF: the previous argument's bits that show it; STAT: the struct's size and field
    offsets, _stops.h struct fmt_op) and the tables it prints with (_stops.c fmt_op_ok)."""

    op: int
    reg: int
    param: int = 0
    mask: int = ALL
    aux: int = 0
    tables: tuple[Table, ...] = ()


class CPlan(NamedTuple):
    """A call's line: its name, arguments and result form; ``select`` (register, mask, value):
    the plan of the calls whose register masked is value (a command's: fcntl's F_GETFL), one of
    the call's plans; (input, output) or (bits,): the only plan, of the entries ``late_when``'s
    rule keeps (the output pointer NULL or another than the input's; the registers NULL); None:
    the call's only plan.  ``entry_only``: no argument prints at exit
    (no ">" kind in the signature: the decoder's Plan.exit is empty), so the extension may make
    the arguments at the entry stop (execve's, whose image is gone at its exit stop) and end a
    line the task's exit cuts "= ?" (exit_group's; sinks/strace_text.py _unfinished_tail)."""

    name: str
    ops: tuple[COp, ...]
    ret: int | tuple[int, str, bool, COp]
    select: tuple[int, ...] | None = None
    entry_only: bool = False


# whole-call decoders (decoder.py _WHOLE_CALL) with C lines by command: their module and function
# (decoder, arch, name) -> [CPlan, ...], kept next to the decoder they follow
_BY_COMMAND = {"fcntl": ("syscope.decode.more", "fcntl_c_plans"),
               "arch_prctl": ("syscope.decode.kinds.prctl", "arch_prctl_c_plans"),
               "futex": ("syscope.decode.more", "futex_c_plans"),
               "clone": ("syscope.decode.kinds.clone_forms", "clone_c_plans"),
               "prctl": ("syscope.decode.kinds.prctl", "prctl_c_plans")}
# ... and calls decoded by command through their kinds (ioctl's request and argument; socket's
# protocol, whose table is the domain's), by name
_BY_NAME = {"ioctl": ("syscope.decode.ioctl", "c_plans"), "socket": ("syscope.decode.kinds.net", "socket_c_plans")}
# the calls whose input the kernel may write over while strace read it at entry, yet whose entries
# may be decoded at exit in the common case (CPlan select other than a command's, LateDecode):
# - nanosleep(2) and clock_nanosleep(2) (">remts"): the remainder, written when a signal interrupts
#   the sleep, is often the request itself (glibc's sleep(3) passes one struct for both): entries
#   with the two pointers apart, (input, output);
# - copy_file_range(2) and splice(2) ("loffp"): the loff_t pointers the call advances: entries with
#   them all NULL (cp(1)'s), (bits of the registers,)
def late_when(arch: str, name: str) -> tuple[int, ...] | None:
    """The entries of a call whose input the kernel may rewrite that may be decoded at exit (the
    rule's test: sources/ptrace/late_decode.py, and _stops.c fmt_selected)."""
    row = SIGS_ARCH.get(arch, {}).get(name) or SIGS.get(name)
    if row is None:
        return None
    kinds = [k.partition(":")[0] for k in row[0]]
    if ">remts" in kinds and "timespec" in kinds:
        return kinds.index("timespec"), kinds.index(">remts")
    bits = sum(1 << i for i, k in enumerate(kinds) if k == "loffp")
    return (bits,) if bits else None


# the calls whose other commands' (or rewritten inputs') entries must be decoded while the thread
# is stopped: the extension keeps only the entries a plan selects (_stops.fast_call's 2)
SELECTED_ONLY = frozenset({"ioctl", "prctl"}) | frozenset(n for n in SIGS if late_when("x86_64", n) is not None)


def plans(d: DecoderBase, arch: str, name: str, word: int = 8) -> list[CPlan]:
    """The C formats of a call as the decoder prints it now: one (``plan``), one per command a
    whole-call decoder prints by table (fcntl), or none."""
    row = SIGS_ARCH.get(arch, {}).get(name) or SIGS.get(name)
    whole = _BY_NAME.get(name) or (_BY_COMMAND.get(row[0][0]) if row is not None and len(row[0]) == 1 else None)
    if whole is None:
        one = plan(d, arch, name, word)
        return [one] if one is not None else []
    o = d.opts
    if word != 8 or name in o.raw or name in o.no_verbose or name in o.no_abbrev or not options_allow(d):
        return []
    from syscope.lean import import_module

    return list(getattr(import_module(whole[0]), whole[1])(d, arch, name))


def options_allow(d: DecoderBase) -> bool:
    """May any call be C-formatted under the decoder's options?  (-x/-xx change the quoting,
    -X every constant, -y/-yy the descriptors, -e read=/write= add dump lines.)"""
    o = d.opts
    return (not o.xflag and not o.raw_all and not o.xlat_verbose and (not o.decode_fds or fd_paths(d))
            and not o.decode_pids and not o.read_fds and not o.write_fds and o.string_limit <= 8192)


def fd_paths(d: DecoderBase) -> bool:
    """Plain -y (--decode-fds=path): descriptors print with their path only, which the C forms
    make (FD_PATH, DIRFD_PATH, RET_FD); the other kinds (-yy's socket endpoints and device
    numbers, pidfds' processes) are Python's."""
    return d.opts.decode_fds == 1 and d.fd_kinds == _PATH_ONLY


def fd_op(d: DecoderBase, i: int) -> COp:
    """A descriptor argument (kinds/scalar.py build_fd): the number, and its path under -y."""
    return COp(FD_PATH if d.opts.decode_fds else D32, i, mask=INT)


def fd_ret(d: DecoderBase) -> int:
    """A descriptor result (kinds/scalar.py ret_fd): the number, and its path under -y."""
    return RET_FD if d.opts.decode_fds else RET_D


def plan(d: DecoderBase, arch: str, name: str, word: int = 8) -> CPlan | None:
    """The C format of a call as the decoder prints it now, or None."""
    o = d.opts
    if word != 8 or name in _NOT_BY_ROW or name in o.raw or name in o.no_verbose or name in o.no_abbrev:
        return None
    if not options_allow(d):
        return None
    row = SIGS_ARCH.get(arch, {}).get(name) or SIGS.get(name)
    if row is None:
        typed = widths.from_types(arch, name)
        row = (typed, "d") if typed is not None else None
    if row is None:
        return None
    kinds, ret_kind = row
    ret = return_form(d, arch, ret_kind)
    if ret is None:
        return None
    kinds = widths.narrow(arch, name, kinds, word)
    ops = []
    for i, k in enumerate(kinds):
        spec = registry.spec(k)
        # (a kept kind printed at exit is read at entry: the C line reads at exit; one printed at
        # entry is read as late as the entry is decoded, LateDecode's choice)
        if (spec is None or spec.c is None or spec.entry is not None
                or (spec.kept and any(x.startswith(">") for x in kinds[:i]))):
            return None
        op = spec.c(d, i, arch, k.lstrip(">"))
        if op is None:
            return None
        ops.append(op)
    return CPlan(name, tuple(ops), ret, select=late_when(arch, name),
                 entry_only=not any(k.startswith(">") for k in kinds))


def return_form(d: DecoderBase, arch: str, kind: str) -> int | None:
    """The C form of a return kind (sigs.py's second column), as its family registers it next
    to its Python builder (``registry.returns(..., c=...)``), or None.  A kind without a builder
    ("d") prints as base.py DecoderBase.ret's default, str(retval): RET_D."""
    if registry.return_kind(kind) is None:
        return RET_D
    form = registry.return_c(kind)
    return form(d, arch) if form is not None else None


# -- the C forms of the common kinds (registered with their builders, kinds/*.py) -----------------
def flags_table(table: fmt.Flags, zero: str | None = None) -> Table:
    """A flag table as ``fmt.Flags`` prints it with -X abbrev: its rows (without the zero row)
    in table order and its zero text (or ``zero``, a kind's own); bits without a name are Python's."""
    return tuple(table.rows), table.zero if zero is None else zero


def enum_table(table: fmt.Enum) -> Table:
    """An enum as ``fmt.Enum`` prints it with -X abbrev: its names; a value without one is Python's."""
    return tuple(table.names.items()), None


def flags_op(table: fmt.Flags, i: int, mask: int, zero: str | None = None) -> COp:
    return COp(FLAGS, i, mask=mask, tables=(flags_table(table, zero),))


def enum_op(table: fmt.Enum, i: int, mask: int) -> COp:
    return COp(XLAT, i, mask=mask, tables=(enum_table(table),))


def field_flags_op(field: fmt.Enum, rest: fmt.Flags, i: int, field_mask: int) -> COp:
    """A word printed by ``fmt.field_flags`` (a named field, then the other bits as flags)."""
    return COp(FIELD_FLAGS, i, mask=INT, aux=field_mask, tables=(enum_table(field), flags_table(rest)))


def mode_tables(arch: str) -> tuple[Table, Table]:
    """What ``DecoderBase.mode`` prints a mode with: the file types' names, the set-id bits
    (their flag word printed with an empty zero)."""
    return enum_table(fmt.enum(arch, "file_type")), flags_table(fmt.flags(arch, "mode_bits"), "")


def signals_table(name: Callable[[int], str]) -> Table:
    """The signals 1..SIGRTMAX by name (fmt.signame, or fmt.sigset_name in a set), an enum: a
    number without one (0, negative, past SIGRTMAX) is Python's to print."""
    return tuple((n, name(n)) for n in range(1, fmt.SIGRTMAX + 1)), None


def enum_dflt_op(table: fmt.Enum, i: int, mask: int) -> COp:
    """An enum as ``fmt.Enum`` prints it, a value without a name too: ``0x29 /* CAP_??? */``."""
    return COp(XLAT_DFLT, i, mask=mask, tables=(enum_table(table), (((0, fmt.dflt(table.unknown)),), None)))
