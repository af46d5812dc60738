"""The part of a sysdig filter the BPF hooks can decide: ``kernel_selection(text)``.

The result is a conservative over-approximation (``syscope.sources.ebpf.selection``): every
syscall event the filter accepts passes it, so running the filter in user space on what arrives
gives the same results as without it.  Only facts the hooks know before copying anything are
used: the call (``evt.type``, and the fields that depend on it alone: ``evt.is_io*``,
``evt.dir``), the process (``proc.pid``), the thread's name (``proc.name``: the kernel's comm) and
the caller's uid (``user.uid``).

How: the filter is parsed into a tree and evaluated in three-valued (Kleene) logic with only one of
these facts known and every other field unknown.  ``and``/``or``/``not`` then need no special
cases: a call is dropped only when the filter is *false* for it whatever the unknown fields hold.
Each comparison is evaluated by the filter's own compiled code (``compile_filter`` on the
comparison's text, against an event carrying the known fact), so the two cannot disagree on what
``=``, ``in``, ``glob`` or ``startswith`` mean.  For the open-ended facts (pid, comm, uid) the
candidates are the literals the filter compares them with, plus "any other value", for which
``=``/``in`` are false and ``!=`` is true; when that other value can pass, nothing is narrowed.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from syscope.context.fds import _FD_RET, OPEN_CALLS
from syscope.context.process import Context
from syscope.events import SyscallEvent
from syscope.filters.sysdig import _lex, _Tok, compile_filter, field_type
from syscope.sources.ebpf import names
from syscope.sources.ebpf.selection import KernelSelection
from syscope.syscalls import roles

# Fields whose value for a syscall event the hooks know (the rest are unknown at that point).
NR_FIELDS = frozenset({"evt.type", "evt.is_io", "evt.is_io_read", "evt.is_io_write", "evt.dir"})
PUSHED_FIELDS = NR_FIELDS | {"proc.pid", "proc.name", "user.uid"}
_OTHER_FIELDS = {"proc.pid": "pid", "proc.name": "comm", "user.uid": "uid"}

Tri = bool | None  # True, False, or None: unknown

# every call syscope.context.fds.track_fds() learns from: when calls are selected, these still
# arrive from every process, so fd.name resolves as it would without the selection
FD_TABLE_CALLS = OPEN_CALLS | _FD_RET | frozenset({"connect", "bind", "close", "close_range"})


@dataclass(frozen=True)
class _Atom:
    field: str
    op: str
    values: tuple[str, ...]
    text: str  # the comparison's own text, compiled by the filter's code to evaluate it


@dataclass(frozen=True)
class _Node:
    kind: str  # "and", "or", "not"
    parts: tuple[_Node | _Atom, ...]


Tree = _Node | _Atom


# Nesting (parentheses, `not`) the tree parser and the walks over its tree follow by recursion;
# a filter nested deeper is not pushed into the kernel: the hooks select every call and the
# filter, which compile_filter accepted, still decides in userspace.
_MAX_TREE_DEPTH = 100


class _TooDeep(Exception):
    pass


class _TreeParser:
    """The grammar of syscope.filters.sysdig._Parser, building a tree instead of closures.  Runs
    only on filters compile_filter accepted, so it reports no errors of its own."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.toks: list[_Tok] = _lex(text)
        self.i = 0
        self.depth = 0

    def nest(self) -> None:
        self.depth += 1
        if self.depth > _MAX_TREE_DEPTH:
            raise _TooDeep

    def peek(self) -> _Tok:
        return self.toks[self.i]

    def take(self) -> _Tok:
        t = self.toks[self.i]
        self.i += 1
        return t

    def or_(self) -> Tree:
        parts = [self.and_()]
        while self.peek().kind == "word" and self.peek().text == "or":
            self.take()
            parts.append(self.and_())
        return parts[0] if len(parts) == 1 else _Node("or", tuple(parts))

    def and_(self) -> Tree:
        parts = [self.not_()]
        while self.peek().kind == "word" and self.peek().text == "and":
            self.take()
            parts.append(self.not_())
        return parts[0] if len(parts) == 1 else _Node("and", tuple(parts))

    def not_(self) -> Tree:
        t = self.peek()
        if t.kind == "word" and t.text == "not":
            self.take()
            self.nest()
            node = _Node("not", (self.not_(),))
            self.depth -= 1
            return node
        return self.primary()

    def primary(self) -> Tree:
        t = self.take()
        if t.kind == "(":
            self.nest()
            inner = self.or_()
            self.take()  # ")"
            self.depth -= 1
            return inner
        start = t.col - 1
        op = self.take().text
        values: list[str] = []
        if op in ("in", "pmatch"):
            self.take()  # "("
            while True:
                values.append(self.take().text)
                if self.take().kind == ")":
                    break
        elif op != "exists":
            values.append(self.take().text)
        end = self.peek().col - 1
        return _Atom(t.text, op, tuple(values), self.text[start:end].strip())


def parse_tree(text: str) -> Tree:
    """The filter's tree (and/or/not nodes over comparisons); FilterError if it is not valid."""
    compile_filter(text)  # the filter's own parser reports the errors, with their columns
    return _TreeParser(text).or_()


def _eval(node: Tree, atom: Callable[[_Atom], Tri]) -> Tri:
    """Kleene's three-valued logic: unknown only where the known facts leave the answer open."""
    if isinstance(node, _Atom):
        return atom(node)
    if node.kind == "not":
        v = _eval(node.parts[0], atom)
        return None if v is None else not v
    vals = [_eval(p, atom) for p in node.parts]
    if node.kind == "and":
        return False if False in vals else (None if None in vals else True)
    return True if True in vals else (None if None in vals else False)


def _atoms(node: Tree) -> list[_Atom]:
    if isinstance(node, _Atom):
        return [node]
    return [a for p in node.parts for a in _atoms(p)]


@functools.lru_cache(maxsize=4096)
def _compiled(text: str) -> Callable[[SyscallEvent], bool]:
    ctx = Context(live=False)  # no /proc: the fake event carries the one fact evaluated
    return compile_filter(text, ctx)


def _fake(name: str = "", pid: int = 0, comm: str = "", uid: int = 0) -> SyscallEvent:
    return SyscallEvent(pid=pid, tid=pid, arch="x86_64", nr=0, name=name, raw_args=(0,) * 6,
                        ts_enter=0.0, phase="exit", retval=0, comm=comm, uid=uid)


def syscall_universe() -> frozenset[str]:
    """Every evt.type a syscall record of the eBPF source can carry (both tables, i386
    socketcall's calls, and syscall_N for numbers without a name)."""
    out: set[str] = {n for n, _a in roles.SOCKETCALLS.values()}
    for arch in ("x86_64", "i386"):
        named = names.by_nr(arch)
        out.update(named.values())
        out.update(f"syscall_{nr}" for nr in range(512) if nr not in named)
    return frozenset(out)


def _syscalls(tree: Tree) -> frozenset[str] | None:
    atoms = _atoms(tree)
    if not any(a.field in NR_FIELDS for a in atoms):
        return None
    out = set()
    universe = syscall_universe()
    for name in universe:
        ev = _fake(name=name)

        def atom(a: _Atom, ev: SyscallEvent = ev) -> Tri:
            return _compiled(a.text)(ev) if a.field in NR_FIELDS else None

        if _eval(tree, atom) is not False:
            out.add(name)
    return None if out == universe else frozenset(out)


def _other(a: _Atom) -> Tri:
    """A comparison of the field with a value that is none of the filter's literals."""
    if a.op in ("=", "==", "in"):
        return False
    if a.op in ("!=", "exists"):
        return True
    return None  # contains, startswith, glob, <, ...: could go either way


def _values(tree: Tree, fname: str) -> set[str] | None:
    """The values of ``fname`` the filter can accept, or None when any value might be."""
    atoms = [a for a in _atoms(tree) if a.field == fname]
    if not atoms:
        return None
    if _eval(tree, lambda a: _other(a) if a.field == fname else None) is not False:
        return None
    ftype = field_type(fname)
    out = set()
    for cand in {v for a in atoms if a.op in ("=", "==", "in") for v in a.values}:
        if ftype == "int":
            try:
                val: int | str = int(cand, 0)
            except ValueError:
                continue  # compile_filter refused it already; defensive
        else:
            val = cand
        ev = _fake(**{_OTHER_FIELDS[fname]: val})  # type: ignore[arg-type]

        def atom(a: _Atom, ev: SyscallEvent = ev) -> Tri:
            return _compiled(a.text)(ev) if a.field == fname else None

        if _eval(tree, atom) is not False:
            out.add(cand)
    return out


def kernel_selection(texts: list[str]) -> KernelSelection:
    """What the hooks may select for events that must satisfy every filter in ``texts`` (the
    watch filter, and the rules' conditions joined with ``or``); empty texts select nothing out."""
    texts = [t for t in texts if t.strip()]
    if not texts:
        return KernelSelection()
    try:
        tree: Tree = parse_tree(texts[0]) if len(texts) == 1 else \
            _Node("and", tuple(parse_tree(t) for t in texts))
    except _TooDeep:
        return KernelSelection()
    syscalls = _syscalls(tree)
    tgids = _values(tree, "proc.pid")
    comms = _values(tree, "proc.name")
    uids = _values(tree, "user.uid")
    if comms is not None and any("\ufffd" in c for c in comms):
        comms = None  # a comm that was not UTF-8 reads with U+FFFD: not comparable in the kernel
    return KernelSelection(
        syscalls=syscalls,
        always=FD_TABLE_CALLS if syscalls is not None else frozenset(),
        tgids=None if tgids is None else frozenset(int(t, 0) for t in tgids),
        comms=None if comms is None else frozenset(comms),
        uids=None if uids is None else frozenset(int(u, 0) for u in uids),
    )


__all__ = ["kernel_selection", "parse_tree", "syscall_universe", "PUSHED_FIELDS", "NR_FIELDS"]
