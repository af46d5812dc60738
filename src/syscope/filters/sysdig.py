"""sysdig's filter language over syscope events (any source: ptrace, eBPF, capture files).

    compile_filter("evt.type=openat and fd.name contains /etc and not proc.name=sshd")

Grammar (libsinsp's filter parser, userspace/libsinsp/filter/parser.h): ``and``, ``or``, ``not``,
parentheses; operators ``= == != < <= > >= contains icontains bcontains startswith bstartswith
endswith glob pmatch in intersects exists regex``; values bare or quoted with ``'`` or ``"``; lists
``(a, b, 'c d')`` for ``in``, ``intersects`` and ``pmatch``; ``evt.dir=<`` / ``evt.dir=>``.  A field
an event does not have makes every comparison on it false (sysdig semantics); ``exists`` tests
exactly that.  Bad input raises FilterError naming the column (1-based).

The text is parsed once into a tree (``parse``: iterative, so nesting depth is no limit of the
parser) and compiled into closures over the fields' getters (``syscope.filters.registry``), which
the Falco rules engine also uses to index rules by evt.type.
"""

from __future__ import annotations

import fnmatch
import ipaddress
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from syscope.context.fds import track_fds
from syscope.context.process import Context, ProcInfo, PtraceContext
from syscope.errors import FilterError
from syscope.events import Event, ExitEvent, ProcessEvent, SignalEvent, SyscallEvent
from syscope.filters import fields as registry
from syscope.filters.fields import field_type, getter
from syscope.filters.fields_evt import event_buffer, event_time, event_type
from syscope.filters.fields_proc import user_name
from syscope.filters.sysdig_args import res_text

Value = Any
Pred = Callable[[Event], bool]

MAX_DEPTH = 400  # nested and/or/not levels a compiled condition may have (the closures recurse)


def _user(uid: int | None) -> str | None:
    return None if uid is None else user_name(uid)


# ----------------------------------------------------------------------------- lexer
_OPS = ("==", "!=", "<=", ">=", "=", "<", ">")
_WORD_OPS = ("contains", "icontains", "bcontains", "startswith", "bstartswith", "endswith", "glob",
             "in", "intersects", "pmatch", "exists", "regex")
_LIST_OPS = ("in", "intersects", "pmatch")
_BARE_END = set(" \t\n\r()=<>!,'\"")


@dataclass(slots=True)
class _Tok:
    kind: str  # "(" ")" "," "op" "word" "str" "end"
    text: str
    col: int  # 1-based


def _lex(text: str) -> list[_Tok]:
    toks: list[_Tok] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
            continue
        if c in "(),":
            toks.append(_Tok(c, c, i + 1))
            i += 1
            continue
        op = next((o for o in _OPS if text.startswith(o, i)), None)
        if op:
            toks.append(_Tok("op", op, i + 1))
            i += len(op)
            continue
        if c == "!":
            raise FilterError(f"filter error at column {i + 1}: unexpected '!'")
        if c in "'\"":
            j = i + 1
            buf = []
            while j < n and text[j] != c:
                if text[j] == "\\" and j + 1 < n:
                    j += 1
                buf.append(text[j])
                j += 1
            if j >= n:
                raise FilterError(f"filter error at column {i + 1}: unterminated string")
            toks.append(_Tok("str", "".join(buf), i + 1))
            i = j + 1
            continue
        j = i
        depth = 0  # brackets: runc:[0:PARENT] and proc.aname[2] are one word
        while j < n and (depth > 0 or text[j] not in _BARE_END):
            if text[j] == "[":
                depth += 1
            elif text[j] == "]" and depth:
                depth -= 1
            j += 1
        toks.append(_Tok("word", text[i:j], i + 1))
        i = j
    toks.append(_Tok("end", "", n + 1))
    return toks


# ----------------------------------------------------------------------------- tree
@dataclass(slots=True)
class Cmp:
    field: str
    op: str
    values: list[str] | str | None  # a list for in/intersects/pmatch, None for exists
    col: int
    vcols: list[int]
    opcol: int = 0
    qcols: frozenset[int] = frozenset()  # columns of the values that were quoted


@dataclass(slots=True)
class BoolOp:
    kind: str  # "and" | "or"
    parts: list[Node]


@dataclass(slots=True)
class Not:
    part: Node


@dataclass(slots=True)
class Ref:
    """A bare name where a comparison was expected: a Falco macro (an error in a plain filter)."""

    name: str
    col: int


Node = Cmp | BoolOp | Not | Ref


def _err(tok: _Tok, msg: str) -> FilterError:
    return FilterError(f"filter error at column {tok.col}: {msg}")


_PREC = {"or": 1, "and": 2, "not": 3}


def parse(text: str, refs: bool = False) -> Node:
    """The tree of a filter.  ``refs``: a bare name is a macro reference (Falco conditions),
    not an error.  Iterative (operator precedence), so deep nesting cannot exhaust the stack."""
    toks = _lex(text)
    i = 0
    out: list[Node] = []
    ops: list[_Tok] = []  # "(", "and", "or", "not"
    want_operand = True

    def reduce_one() -> None:
        op = ops.pop()
        if op.text == "not":
            out.append(Not(out.pop()))
            return
        b = out.pop()
        a = out.pop()
        parts = (a.parts if isinstance(a, BoolOp) and a.kind == op.text else [a]) + \
            (b.parts if isinstance(b, BoolOp) and b.kind == op.text else [b])
        out.append(BoolOp(op.text, parts))

    if toks[0].kind == "end":
        raise _err(toks[0], "empty filter")
    while True:
        t = toks[i]
        if want_operand:
            if t.kind == "word" and t.text == "not":
                ops.append(t)
                i += 1
                continue
            if t.kind == "(":
                ops.append(t)
                i += 1
                continue
            if t.kind != "word" or t.text in ("and", "or"):
                raise _err(t, f"expected a field name, got '{t.text or 'end of filter'}'")
            node, i = _atom(toks, i, refs)
            out.append(node)
            want_operand = False
            continue
        if t.kind == "word" and t.text in ("and", "or"):
            while ops and ops[-1].kind != "(" and _PREC[ops[-1].text] >= _PREC[t.text]:
                reduce_one()
            ops.append(t)
            i += 1
            want_operand = True
            continue
        if t.kind == ")":
            while ops and ops[-1].kind != "(":
                reduce_one()
            if not ops:
                raise _err(t, "unexpected ')'")
            ops.pop()
            i += 1
            continue
        if t.kind == "end":
            while ops:
                if ops[-1].kind == "(":
                    raise _err(t, "expected ')'")
                reduce_one()
            break
        raise _err(t, f"unexpected '{t.text}'")
    return out[0]


def _atom(toks: list[_Tok], i: int, refs: bool) -> tuple[Node, int]:
    t = toks[i]
    fname = t.text
    nxt = toks[i + 1]
    is_op = nxt.kind == "op" or (nxt.kind == "word" and nxt.text in _WORD_OPS)
    if not is_op:
        if refs and registry.resolve(fname) is None and re.fullmatch(r"[A-Za-z_][\w.-]*", fname):
            return Ref(fname, t.col), i + 1
        if registry.resolve(fname) is None:
            raise _err(t, f"unknown field '{fname}'")
        raise _err(nxt, f"expected an operator after '{fname}', got '{nxt.text or 'end of filter'}'")
    op = "=" if nxt.text == "==" else nxt.text
    opcol = nxt.col
    i += 2
    if op == "exists":
        return Cmp(fname, op, None, t.col, [], opcol), i
    if op in _LIST_OPS:
        lt = toks[i]
        if lt.kind != "(":
            raise _err(lt, "expected '(' to start a list")
        i += 1
        values: list[str] = []
        cols: list[int] = []
        quoted: set[int] = set()
        if toks[i].kind == ")":
            return Cmp(fname, op, values, t.col, cols, opcol), i + 1
        while True:
            v = toks[i]
            if v.kind not in ("word", "str"):
                raise _err(v, "expected a list value")
            values.append(v.text)
            cols.append(v.col)
            if v.kind == "str":
                quoted.add(v.col)
            sep = toks[i + 1]
            i += 2
            if sep.kind == ")":
                return Cmp(fname, op, values, t.col, cols, opcol, frozenset(quoted)), i
            if sep.kind != ",":
                raise _err(sep, "expected ',' or ')' in a list")
    vt = toks[i]
    if vt.kind == "op" and vt.text in ("<", ">"):
        pass  # evt.dir=< / evt.dir=>: the direction is the value
    elif vt.kind not in ("word", "str"):
        raise _err(vt, f"expected a value after '{op}'")
    return Cmp(fname, op, vt.text, t.col, [vt.col], opcol), i + 1


# ----------------------------------------------------------------------------- compile
def memoized(get: Callable[[Event], Any]) -> Callable[[Event], Any]:
    """``get`` remembering its value for the last event (and result: the ptrace source yields a
    call's entry and exit as one object), so the rules that all ask proc.name or fd.name of an
    event compute it once."""
    last: list[Any] = [None, None, None]

    def g(ev: Event) -> Any:
        ret = getattr(ev, "retval", None)
        if last[0] is ev and last[1] == ret:
            return last[2]
        v = get(ev)
        last[0], last[1], last[2] = ev, ret, v
        return v
    return g


def compile_node(node: Node, ctx: Context, cache: dict[str, Callable[[Event], Any]] | None = None,
                 depth: int = 0, memo: bool = False) -> Pred:
    """Closures for a tree; ``cache`` shares each field's getter among the comparisons (and the
    rules) that use it; ``memo``: each getter remembers the last event's value."""
    if depth > MAX_DEPTH:
        raise FilterError(f"filter error: conditions nest deeper than {MAX_DEPTH} levels")
    c = cache if cache is not None else {}
    if isinstance(node, Cmp):
        return _compile_cmp(node, ctx, c, memo)
    if isinstance(node, Not):
        inner = compile_node(node.part, ctx, c, depth + 1, memo)
        return lambda ev: not inner(ev)
    if isinstance(node, Ref):
        raise FilterError(f"filter error at column {node.col}: unknown field or macro '{node.name}'")
    parts = tuple(compile_node(p, ctx, c, depth + 1, memo) for p in node.parts)
    if node.kind == "and":
        if len(parts) == 2:
            a, b = parts
            return lambda ev: a(ev) and b(ev)

        def all_of(ev: Event) -> bool:
            for p in parts:
                if not p(ev):
                    return False
            return True
        return all_of
    if len(parts) == 2:
        a, b = parts
        return lambda ev: a(ev) or b(ev)

    def any_of(ev: Event) -> bool:
        for p in parts:
            if p(ev):
                return True
        return False
    return any_of


def _convert(text: str, ftype: str, col: int) -> Value:
    if ftype == "int":
        try:
            return int(text, 0)
        except ValueError:
            try:
                return int(text)  # leading zeros: decimal, as libsinsp reads them
            except ValueError:
                raise FilterError(f"filter error at column {col}: '{text}' is not a number") from None
    if ftype == "bool":
        low = text.lower()
        if low not in ("true", "false"):
            raise FilterError(f"filter error at column {col}: '{text}' is not true or false")
        return low == "true"
    return text


def _as_text(v: Value) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return v if isinstance(v, str) else str(v)


def _lift(test: Callable[[Value], bool], get: Callable[[Event], Value]) -> Pred:
    """Apply ``test`` to a field's value; absent: false; several values (proc.aname): any."""
    def pred(ev: Event) -> bool:
        v = get(ev)
        if v is None:
            return False
        if type(v) is list:
            return any(test(x) for x in v if x is not None)
        return test(v)
    return pred


def _dir_test(op: str, val: str) -> Pred:
    """sysdig has two events per call, the enter ``>`` and the exit ``<``; syscope's sources give
    one complete event per call (the exit, carrying the entry's arguments), which stands for
    both: ``evt.dir='>'`` selects it as sysdig selects the call's enter event, ``evt.dir='<'`` as
    its exit event (issue 16: ``evt.dir='>'`` was accepted and never matched).  An event of the
    enter phase alone (a trace recorded with entries) is only ``>``, any other event only ``<``."""
    def directions(ev: Event) -> tuple[str, ...]:
        if isinstance(ev, SyscallEvent):
            return (">",) if ev.phase == "enter" else (">", "<")
        return ("<",)

    if op == "!=":
        return lambda ev: any(d != val for d in directions(ev))
    return lambda ev: val in directions(ev)


def _compile_cmp(node: Cmp, ctx: Context, cache: dict[str, Callable[[Event], Any]],
                 memo: bool = False) -> Pred:
    fname, op = node.field, node.op
    r = registry.resolve(fname)
    if r is None:
        raise FilterError(f"filter error at column {node.col}: unknown field '{fname}'")
    fdef, _arg = r
    if fname == "evt.dir" and op in ("=", "==", "!=") and isinstance(node.values, str):
        return _dir_test(op, node.values)
    get = cache.get(fname)
    if get is None:
        get = fdef.make(ctx, _arg)
        if memo and fname != "evt.type":
            get = memoized(get)
        cache[fname] = get
    ftype = fdef.type
    if op == "exists":
        return lambda ev: get(ev) is not None
    vcol = node.vcols[0] if node.vcols else node.col
    if op in _LIST_OPS:
        assert isinstance(node.values, list)
        vals = [_convert(v, ftype, c) for v, c in zip(node.values, node.vcols, strict=True)]
        if op == "pmatch":
            prefixes = tuple(str(v).rstrip("/") or "/" for v in vals)
            return _lift(lambda v: _pmatch(_as_text(v), prefixes), get)
        if ftype == "ipnet":
            nets = [_net(str(v), vcol) for v in vals]
            return _lift(lambda v: _in_nets(v, nets), get)
        if ftype in ("int", "bool"):
            sset = frozenset(vals)
            return _lift(lambda v: v in sset, get)
        tset = frozenset(str(v) for v in vals)
        if op == "intersects":
            def inter(ev: Event) -> bool:
                v = get(ev)
                if v is None:
                    return False
                items = v if type(v) is list else [v]
                return any(_as_text(x) in tset for x in items)
            return inter
        return _lift(lambda v: _as_text(v) in tset, get)
    assert isinstance(node.values, str)
    text = node.values
    if op in ("contains", "icontains", "startswith", "endswith", "glob", "regex",
              "bcontains", "bstartswith"):
        return _lift(_string_test(op, text, vcol), get)
    if op in ("<", "<=", ">", ">=") and ftype not in ("int",):
        raise FilterError(f"filter error at column {node.opcol}: operator '{op}' needs a "
                          f"numeric field, '{fname}' is text")
    if ftype == "ipnet" and op in ("=", "!="):
        net = _net(text, vcol)
        if op == "=":
            return _lift(lambda v: _in_nets(v, [net]), get)
        return _lift(lambda v: not _in_nets(v, [net]), get)
    val = _convert(text, ftype, vcol)
    return _lift(_cmp_test(op, val), get)


def _net(text: str, col: int) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    try:
        return ipaddress.ip_network(text, strict=False)
    except ValueError:
        raise FilterError(f"filter error at column {col}: '{text}' is not an IP network") from None


def _in_nets(v: Value, nets: list[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> bool:
    try:
        ip = ipaddress.ip_address(str(v))
    except ValueError:
        return False
    return any(ip in n for n in nets)


def _pmatch(s: str, prefixes: tuple[str, ...]) -> bool:
    return any(s == p or s.startswith(p if p.endswith("/") else p + "/") for p in prefixes)


def _string_test(op: str, val: str, col: int) -> Callable[[Value], bool]:
    if op == "contains":
        return lambda v: val in _as_text(v)
    if op == "icontains":
        low = val.lower()
        return lambda v: low in _as_text(v).lower()
    if op == "startswith":
        return lambda v: _as_text(v).startswith(val)
    if op == "endswith":
        return lambda v: _as_text(v).endswith(val)
    if op in ("bcontains", "bstartswith"):
        # the operand is hex bytes (libsinsp: "bcontains 68656c6c6f"); buffers are byte strings
        # held as latin-1 text
        try:
            needle = bytes.fromhex(val).decode("latin-1")
        except ValueError:
            raise FilterError(f"filter error at column {col}: '{val}' is not hex bytes") from None
        if op == "bcontains":
            return lambda v: needle in _as_text(v)
        return lambda v: _as_text(v).startswith(needle)
    if op == "regex":
        try:
            rx = re.compile(val)
        except re.error as exc:
            raise FilterError(f"filter error at column {col}: bad regex: {exc}") from None
        return lambda v: rx.search(_as_text(v)) is not None
    rx = re.compile(fnmatch.translate(val))
    return lambda v: rx.match(_as_text(v)) is not None


def _cmp_test(op: str, val: Value) -> Callable[[Value], bool]:
    if isinstance(val, str) and op in ("=", "!="):
        try:
            num: int | None = int(val)
        except ValueError:
            num = None
        if num is not None:
            # a text field whose value is a number (evt.rawarg.*) compares as a number
            if op == "=":
                return lambda v: v == num if type(v) is int else _as_text(v) == val
            return lambda v: v != num if type(v) is int else _as_text(v) != val
        if op == "=":
            return lambda v: v == val if type(v) is str else _as_text(v) == val
        return lambda v: v != val if type(v) is str else _as_text(v) != val
    if op == "=":
        return lambda v: v == val
    if op == "!=":
        return lambda v: v != val
    if op == "<":
        return lambda v: type(v) is int and v < val
    if op == "<=":
        return lambda v: type(v) is int and v <= val
    if op == ">":
        return lambda v: type(v) is int and v > val
    return lambda v: type(v) is int and v >= val


def _qv(v: str) -> str:
    return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'


def unparse(node: Node) -> str:
    """Filter text for a tree (macros already substituted): what compile_filter accepts back."""
    if isinstance(node, Cmp):
        if node.values is None:
            return f"{node.field} exists"
        if isinstance(node.values, list):
            if not node.values:
                # an empty list matches nothing; said in a form every reader of filters parses
                return f"(not {node.field} exists and {node.field} exists)"
            return f"{node.field} {node.op} ({', '.join(_qv(v) for v in node.values)})"
        return f"{node.field} {node.op} {_qv(node.values)}"
    if isinstance(node, Not):
        return f"not ({unparse(node.part)})"
    if isinstance(node, Ref):
        return node.name
    return "(" + f" {node.kind} ".join(unparse(p) for p in node.parts) + ")"


def compile_filter(text: str, ctx: Context | None = None) -> Pred:
    """Compile a sysdig filter into a predicate on events; FilterError (with the column) if bad."""
    return compile_node(parse(text), ctx if ctx is not None else Context())


# ----------------------------------------------------------------------------- values
FIELDS: dict[str, str] = {}  # name -> type, for the fields taking no argument (filled on first use)


def _fields() -> dict[str, str]:
    if not FIELDS:
        FIELDS.update({d.name: d.type for d in registry.all_fields() if d.arg in ("", "index", "name?")})
    return FIELDS


def field_value(name: str, ev: Event, ctx: Context) -> Value:
    """The value of one sysdig field for ``ev``; None when the event does not have it."""
    # the getters compiled for this context, kept on it (a Context is not hashable)
    per: dict[str, Callable[[Event], Any]] = ctx.__dict__.setdefault("_sysdig_getters", {})
    g = per.get(name)
    if g is None:
        g = getter(name, ctx)
        if g is None:
            return None
        per[name] = g
    return g(ev)


def evt_info(ev: Event, ctx: Context) -> str:
    """sysdig's %evt.info."""
    return str(field_value("evt.info", ev, ctx))


def _is_exec(ev: Event) -> bool:
    if isinstance(ev, ProcessEvent):
        return ev.what == "exec"
    return (isinstance(ev, SyscallEvent) and ev.name in ("execve", "execveat") and ev.phase == "exit"
            and ev.retval == 0)


def event_predicate(expr: str, ctx: Context | None = None) -> Callable[[Event], bool]:
    """A sysdig filter as a predicate on the ptrace source's events (``syscope.trace(...)``,
    ``Tracer.events()``): ``syscope --filter EXPR -- CMD``.

    The fields are evaluated exactly as ``syscope watch`` evaluates them; what the eBPF source
    gets from the kernel and the ptrace source does not carry is resolved here: proc.*, user.*,
    container.* from /proc/PID while the tracee is stopped, cached per pid, refreshed on exec and
    dropped at the process's exit; fd.name from the call's path argument or socket address, a
    ``3</path>`` argument (-y), else /proc/PID/fd/N and an fd table kept from the calls; evt.cpu
    is absent (ptrace does not say on which CPU a call ran).

    Any event may be passed, in the order the tracer yields them.  SignalEvent's evt.type is
    ``signaldeliver``; ExitEvent's ``procexit``; ProcessEvent's ``procexec``/``procspawn``; on
    these, fd.* and evt.arg fields are absent.  Raises FilterError naming the column of a bad
    filter.  ``ctx`` (a PtraceContext by default) may be shared with ``compile_format``.
    """
    c = ctx if ctx is not None else PtraceContext()
    pred = compile_filter(expr, c)
    done: list[Event] = []  # the previous event: its effects on the tables are applied late

    def settle(prev: Event) -> None:
        if isinstance(prev, SyscallEvent):
            track_fds(prev, c)
        elif isinstance(prev, ExitEvent) and prev.tid == prev.pid and isinstance(c, PtraceContext):
            c.forget(prev.pid)

    def predicate(ev: Event) -> bool:
        # The previous event's effects (a close forgets its fd, an exit its process) are applied
        # only now, so that a format sharing ``ctx`` still sees the names it had, as the eBPF
        # source settles after its consumer.
        if done:
            settle(done.pop())
        if isinstance(c, PtraceContext):
            if _is_exec(ev):
                c.forget(ev.pid)
            if not isinstance(ev, ExitEvent):
                c.proc(ev.pid)  # known before it is gone: its procexit is evaluated on these
        done.append(ev)
        return pred(ev)

    return predicate


# ----------------------------------------------------------------------------- output formats
# %field, %*field (sysdig: the field even when empty), %Nfield (padded to N columns)
_FMT_RE = re.compile(r"%(\*?)(\d*)([a-z0-9]+\.[a-zA-Z0-9_.]*[a-zA-Z0-9_](?:\[[^\]]*\])?)")

DEFAULT_FORMAT = ("%evt.num %evt.outputtime %evt.cpu %proc.name (%thread.tid) %evt.dir %evt.type "
                  "%evt.info")

_BUFFER_FIELDS = frozenset({"evt.buffer", "evt.arg.data"})
_DOTS = {c: "." for c in (*range(0x20), *range(0x7F, 0x100))}


def format_fields(fmt: str) -> list[str]:
    """The fields a -p format names, in order."""
    return [m.group(3) for m in _FMT_RE.finditer(fmt)]


def render_value(name: str, v: Value) -> str:
    if v is None:
        return "<NA>"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, list):
        return ",".join(str(x) for x in v) if v else "<NA>"
    if name in _BUFFER_FIELDS:
        # data as sysdig prints it by default: non-printable bytes as dots, one line
        return str(v).translate(_DOTS)
    return str(v)


def compile_format(fmt: str, ctx: Context | None = None) -> Callable[[Event], str]:
    """``-p`` format: ``%field`` replaced by its value (``<NA>`` when absent, as sysdig prints);
    ``%Nfield`` pads it to N columns; a leading ``*`` (sysdig: print every event) is dropped."""
    c = ctx if ctx is not None else Context()
    body = fmt[1:] if fmt.startswith("*") else fmt
    pieces: list[str | tuple[str, int, Callable[[Event], Any]]] = []
    pos = 0
    for m in _FMT_RE.finditer(body):
        g = getter(m.group(3), c)
        if g is None:
            raise FilterError(f"format error at column {m.start() + 1 + (len(fmt) - len(body))}: "
                              f"unknown field '{m.group(3)}'")
        pieces.append(body[pos:m.start()])
        pieces.append((m.group(3), int(m.group(2) or 0), g))
        pos = m.end()
    pieces.append(body[pos:])

    def render(ev: Event) -> str:
        out = []
        for p in pieces:
            if isinstance(p, str):
                out.append(p)
            else:
                s = render_value(p[0], p[2](ev))
                out.append(s.ljust(p[1]) if p[1] else s)
        return "".join(out)

    return render


def event_json(ev: Event, fields: list[str], ctx: Context) -> dict[str, Value]:
    """Typed values of ``fields`` for ``-j`` (numbers stay numbers, flags stay booleans)."""
    return {f: field_value(f, ev, ctx) for f in fields}


def json_line(ev: Event, fields: list[str], ctx: Context) -> str:
    return json.dumps(event_json(ev, fields, ctx))


JSON_FIELDS = ["evt.num", "evt.time", "evt.cpu", "evt.type", "evt.dir", "evt.res", "evt.rawres",
               "evt.failed", "evt.latency", "evt.info", "proc.name", "proc.pid", "proc.ppid",
               "thread.tid", "user.uid", "user.name", "fd.num", "fd.name", "fd.type",
               "container.id"]


_fields()

__all__ = ["compile_filter", "event_predicate", "compile_format", "Context", "PtraceContext",
           "ProcInfo", "field_value", "field_type", "FIELDS", "parse", "compile_node",
           "DEFAULT_FORMAT", "JSON_FIELDS", "event_json", "format_fields", "SignalEvent",
           "event_buffer", "event_time", "event_type", "res_text", "evt_info"]
