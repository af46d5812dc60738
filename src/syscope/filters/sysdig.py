"""sysdig's filter language over syscope events (any source: ptrace, eBPF, capture files).

    compile_filter("evt.type=openat and fd.name contains /etc and not proc.name=sshd")

Grammar (as sysdig's userspace/libsinsp/filter parser accepts it): ``and``, ``or``, ``not``,
parentheses; comparison operators ``= == != < <= > >= contains icontains startswith endswith glob
in pmatch exists``; values bare or quoted with ``'`` or ``"``; lists ``(a, b, 'c d')`` for ``in`` and
``pmatch``.  A field that an event does not have makes every comparison on it false (sysdig
semantics), ``exists`` tests exactly that.  Bad input raises FilterError naming the column (1-based).

Field values come from ``field_value(name, ev, ctx)``; ``Context`` supplies what an event does not
carry itself (process facts from /proc or from a capture file's process table).
"""

from __future__ import annotations

import fnmatch
import functools
import os
import pwd
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from syscope.context.fds import (
    ADDR_RE,
    IO_READ,
    IO_WRITE,
    fd_name,
    fd_num,
    fd_type,
    quoted_string,
    track_fds,
)
from syscope.context.process import Context, ProcInfo, PtraceContext
from syscope.errors import FilterError
from syscope.events import Event, ExitEvent, ProcessEvent, SignalEvent, SyscallEvent
from syscope.syscalls.roles import DATA_ARGS

Value = Any


_IOV_BASE_RE = re.compile(r'iov_base=("(?:[^"\\]|\\.)*")')


def event_buffer(ev: SyscallEvent) -> str | None:
    """The data a read/write-like call moved (sysdig's evt.buffer), as far as the source shows
    it: the ptrace decoder's quoted buffer (up to -s bytes), or the first 255 bytes the eBPF
    source copied, which it prints the same way; for readv/writev the first iovec's.  None when
    the call moved nothing or its buffer was not read (a failed call).
    sendmsg/recvmsg: their msghdr's first iovec (sendmmsg/recvmmsg: of their first message)."""
    how = DATA_ARGS.get(ev.name)
    if how is None or len(ev.args) < 2:
        return None
    arg = ev.args[1]
    if how != "data":
        m = _IOV_BASE_RE.search(arg)
        return quoted_string(m.group(1)) if m else None
    return quoted_string(arg)


_TYPECHAR = {"file": "f", "directory": "d", "ipv4": "4", "ipv6": "6", "unix": "u", "pipe": "p",
             "event": "e", "signalfd": "s", "eventpoll": "l", "inotify": "i", "timerfd": "t"}


def _sock(ev: SyscallEvent, name: str | None) -> tuple[str, int] | None:
    if name is None:
        return None
    m = ADDR_RE.match(name)
    return (m.group(1), int(m.group(2))) if m else None


# ----------------------------------------------------------------------------- fields
FIELDS: dict[str, str] = {
    # name -> type: "str", "int", "bool", "float"
    "evt.num": "int", "evt.time": "str", "evt.datetime": "str", "evt.rawtime": "int",
    "evt.outputtime": "str", "evt.type": "str", "evt.dir": "str", "evt.cpu": "int",
    "evt.res": "str", "evt.rawres": "int", "evt.failed": "bool", "evt.latency": "int",
    "evt.is_io": "bool", "evt.is_io_read": "bool", "evt.is_io_write": "bool", "evt.buflen": "int",
    "evt.args": "str", "evt.info": "str", "evt.buffer": "str", "evt.is_open_write": "bool", "evt.is_open_read": "bool",
    "proc.name": "str", "proc.pid": "int", "proc.ppid": "int", "proc.exe": "str",
    "proc.exepath": "str", "proc.cmdline": "str", "proc.args": "str", "proc.pname": "str",
    "thread.tid": "int", "user.name": "str", "user.uid": "int",
    "fd.num": "int", "fd.name": "str", "fd.type": "str", "fd.typechar": "str",
    "fd.directory": "str", "fd.filename": "str", "fd.sip": "str", "fd.cip": "str",
    "fd.sport": "int", "fd.cport": "int", "fd.port": "int", "fd.l4proto": "str",
    "fd.rip": "str", "fd.rport": "int",
    "container.id": "str",
}
_INDEXED = {"evt.arg": "str", "proc.aname": "str"}  # evt.arg[N], evt.arg.NAME, proc.aname[N]


def field_type(name: str) -> str | None:
    if name in FIELDS:
        return FIELDS[name]
    m = re.match(r"^(evt\.arg|proc\.aname)(\[\d+\]|\.\w+)$", name)
    if m and not (m.group(1) == "proc.aname" and m.group(2).startswith(".")):
        return _INDEXED[m.group(1)]
    return None


def _user(uid: int | None) -> str | None:
    if uid is None:
        return None
    return _user_name(uid)


@functools.lru_cache(maxsize=1024)
def _user_name(uid: int) -> str:
    # user.name is in every -j line: getpwuid(3) reads /etc/passwd each time (open, read, close),
    # so a session asks once per uid, as sysdig reads the user table once
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def event_time(ev: Event) -> float:
    if isinstance(ev, SyscallEvent):
        return ev.ts_exit if ev.ts_exit is not None else ev.ts_enter
    return ev.ts


def event_type(ev: Event) -> str:
    if isinstance(ev, SyscallEvent):
        return ev.name
    if isinstance(ev, ProcessEvent):
        return {"spawn": "clone", "exec": "execve"}.get(ev.what, ev.what)
    if isinstance(ev, ExitEvent):
        return "procexit"
    return "signaldeliver"


def evt_info(ev: Event, ctx: Context) -> str:
    """sysdig's %evt.info for an exit event: res=... then the arguments."""
    if isinstance(ev, SyscallEvent):
        parts = [f"res={res_text(ev)}"]
        names = _arg_names(ev)
        for i, a in enumerate(ev.args):
            parts.append(f"{names[i] if i < len(names) else f'arg{i}'}={a}")
        n = fd_name(ev, ctx)
        if n is not None and not any(n in p for p in parts):
            parts.append(f"name={n}")
        return " ".join(parts)
    if isinstance(ev, ProcessEvent):
        return f"{ev.what} {ev.filename or ''} {' '.join(ev.argv)}".strip()
    if isinstance(ev, ExitEvent):
        return f"status={ev.exit_code}" + (f" sig={ev.signo}" if ev.signo else "")
    return ev.text


def res_text(ev: SyscallEvent) -> str:
    if ev.retval is None:
        return "?"
    if ev.errno is not None:
        import errno

        return f"-{ev.errno}({errno.errorcode.get(ev.errno, '?')})"
    return str(ev.retval)


def _arg_names(ev: SyscallEvent) -> tuple[str, ...]:
    try:
        from syscope.syscalls import table

        info = table(ev.arch).by_nr(ev.nr)
        if info is not None:
            return tuple(info.arg_names)
    except Exception:  # noqa: BLE001 - the generated tables are optional for naming args
        pass
    return ()


def field_value(name: str, ev: Event, ctx: Context) -> Value:
    """The value of one sysdig field for ``ev``; None when the event does not have it."""
    if name == "evt.num":
        return ctx.num
    if name == "evt.type":
        return event_type(ev)
    if name == "evt.rawtime":
        return int(event_time(ev) * 1e9)
    if name in ("evt.time", "evt.outputtime"):
        t = event_time(ev)
        return time.strftime("%H:%M:%S", time.localtime(t)) + f".{int(t * 1e9) % 1_000_000_000:09d}"
    if name == "evt.datetime":
        t = event_time(ev)
        return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(t)) + f".{int(t * 1e9) % 10**9:09d}"
    if name == "evt.dir":
        return "<" if not isinstance(ev, SyscallEvent) or ev.phase == "exit" else ">"
    pid = ev.pid
    if name == "proc.pid":
        return pid
    if name == "thread.tid":
        return ev.tid
    if name == "container.id":
        p = ctx.proc(pid)
        return p.container if p else None
    if name in ("proc.name", "proc.exe", "proc.exepath", "proc.cmdline", "proc.args", "proc.ppid",
                "user.uid", "user.name", "proc.pname") or name.startswith("proc.aname"):
        return _proc_field(name, ev, ctx)
    if not isinstance(ev, SyscallEvent):
        if name == "evt.info":
            return evt_info(ev, ctx)
        if name == "evt.cpu":
            return None
        if name == "evt.failed":
            return False
        if name in ("evt.is_io", "evt.is_io_read", "evt.is_io_write"):
            return False
        return None
    return _syscall_field(name, ev, ctx)


def _proc_field(name: str, ev: Event, ctx: Context) -> Value:
    comm = getattr(ev, "comm", None)
    p = ctx.proc(ev.pid)
    if name == "proc.name":
        return comm or (p.name if p else None)
    if name == "proc.ppid":
        pp = getattr(ev, "ppid", None)
        return pp if pp is not None else (p.ppid if p else None)
    if name == "user.uid" or name == "user.name":
        uid = getattr(ev, "uid", None)
        if uid is None and p is not None:
            uid = p.uid
        return uid if name == "user.uid" else _user(uid)
    if p is None:
        return None
    if name == "proc.exe":
        return p.cmdline[0] if p.cmdline else p.exe or None
    if name == "proc.exepath":
        return p.exe or None
    if name == "proc.cmdline":
        return " ".join((p.name, *p.cmdline[1:]))
    if name == "proc.args":
        return " ".join(p.cmdline[1:])
    if name == "proc.pname":
        pp = ctx.proc(p.ppid)
        return pp.name if pp else None
    m = re.match(r"proc\.aname\[(\d+)\]$", name)
    if m:
        cur: ProcInfo | None = p
        for _ in range(int(m.group(1))):
            if cur is None or cur.ppid <= 0:
                return None
            cur = ctx.proc(cur.ppid)
        return cur.name if cur else None
    return None


def _syscall_field(name: str, ev: SyscallEvent, ctx: Context) -> Value:
    if name == "evt.cpu":
        return ev.cpu
    if name == "evt.res":
        return res_text(ev) if ev.errno is None else res_text(ev).split("(")[1].rstrip(")")
    if name == "evt.rawres":
        return ev.retval
    if name == "evt.failed":
        return ev.errno is not None
    if name == "evt.latency":
        d = ev.duration
        return int(d * 1e9) if d is not None else None
    if name == "evt.is_io":
        return ev.name in IO_READ or ev.name in IO_WRITE
    if name == "evt.is_io_read":
        return ev.name in IO_READ
    if name == "evt.is_io_write":
        return ev.name in IO_WRITE
    if name in ("evt.is_open_write", "evt.is_open_read"):
        # open flags: open(2)/creat arg 1, openat arg 2; O_ACCMODE is the low 2 bits, creat(2)
        # is open with O_CREAT|O_WRONLY|O_TRUNC.
        idx = {"open": 1, "openat": 2}.get(ev.name)
        if ev.name == "creat":
            acc = 1
        elif idx is None or len(ev.raw_args) <= idx:
            return False
        else:
            acc = ev.raw_args[idx] & 3
        return acc in (1, 2) if name == "evt.is_open_write" else acc in (0, 2)
    if name == "evt.buflen":
        if (ev.name in IO_READ or ev.name in IO_WRITE) and ev.retval is not None and ev.retval >= 0:
            return ev.retval
        return None
    if name == "evt.args":
        return " ".join(f"{n}={a}" for n, a in zip(_arg_names(ev) or
                                                     tuple(f"arg{i}" for i in range(6)), ev.args,
                                                     strict=False))
    if name == "evt.info":
        return evt_info(ev, ctx)
    if name == "evt.buffer":
        return event_buffer(ev)
    m = re.match(r"evt\.arg(?:\[(\d+)\]|\.(\w+))$", name)
    if m:
        if m.group(1) is not None:
            i = int(m.group(1))
        else:
            an = m.group(2)
            if an in ("res", "ret"):
                return res_text(ev)
            names = _arg_names(ev)
            if an in ("name", "path", "filename", "pathname") and an not in names:
                return fd_name(ev, ctx)
            if an == "data" and "data" not in names:
                return event_buffer(ev)  # sysdig's name for read/write's buffer argument
            if an == "fd" and "fd" not in names:
                n = fd_num(ev)
                return None if n is None else str(n)
            if an not in names:
                return None
            i = names.index(an)
        if i >= len(ev.args):
            return None
        s = quoted_string(ev.args[i])
        return s if s is not None else ev.args[i]
    if name == "fd.num":
        return fd_num(ev)
    fname = fd_name(ev, ctx)
    if name == "fd.name":
        return fname
    if name == "fd.type":
        return fd_type(fname, ev)
    if name == "fd.typechar":
        t = fd_type(fname, ev)
        return _TYPECHAR.get(t) if t else None
    if name == "fd.directory":
        return os.path.dirname(fname) if fname and fname.startswith("/") else None
    if name == "fd.filename":
        return os.path.basename(fname) if fname and fname.startswith("/") else None
    if name == "fd.l4proto":
        t = fd_type(fname, ev)
        return "tcp" if t in ("ipv4", "ipv6") else None
    sock = _sock(ev, fname)
    if sock is None:
        return None
    ip, port = sock
    client_side = ev.name in ("connect", "sendto", "sendmsg", "sendmmsg", "getpeername")
    if name in ("fd.sip", "fd.rip"):
        return ip if client_side or name == "fd.rip" else ip if ev.name == "bind" else None
    if name in ("fd.sport", "fd.port", "fd.rport"):
        return port if client_side or ev.name == "bind" or name != "fd.sport" else None
    server_side = ev.name in ("accept", "accept4", "recvfrom", "recvmsg", "recvmmsg",
                              "recvmmsg_time64")
    if name == "fd.cip":
        return ip if server_side else None
    if name == "fd.cport":
        return port if server_side else None
    return None


# ----------------------------------------------------------------------------- parser
_OPS = ("==", "!=", "<=", ">=", "=", "<", ">")
_WORD_OPS = ("contains", "icontains", "startswith", "endswith", "glob", "in", "pmatch", "exists")
_BARE_END = set(" \t\n()=<>!,'\"")


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
        while j < n and (text[j] not in _BARE_END or (text[j] in "()" and _in_brackets(text, i, j))):
            j += 1
        toks.append(_Tok("word", text[i:j], i + 1))
        i = j
    toks.append(_Tok("end", "", n + 1))
    return toks


def _in_brackets(text: str, start: int, j: int) -> bool:
    return text.count("[", start, j) > text.count("]", start, j)


Pred = Callable[[Event], bool]
MAX_NESTING = 100


class _Parser:
    def __init__(self, text: str, ctx: Context) -> None:
        self.toks = _lex(text)
        self.i = 0
        self.ctx = ctx
        self.depth = 0  # open parentheses and `not`s around the current token

    def nest(self, tok: _Tok) -> None:
        # The parser and the predicates it builds recurse once per level; Python's stack (1000
        # frames) would end in RecursionError near 250 levels.  Falco rules, whose macros
        # expand inside parentheses, stay far below this.
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise self.err(tok, f"nested more than {MAX_NESTING} levels deep")

    def peek(self) -> _Tok:
        return self.toks[self.i]

    def take(self) -> _Tok:
        t = self.toks[self.i]
        self.i += 1
        return t

    def err(self, tok: _Tok, msg: str) -> FilterError:
        return FilterError(f"filter error at column {tok.col}: {msg}")

    def parse(self) -> Pred:
        if self.peek().kind == "end":
            raise self.err(self.peek(), "empty filter")
        p = self.or_()
        t = self.peek()
        if t.kind != "end":
            raise self.err(t, f"unexpected '{t.text}'")
        return p

    def or_(self) -> Pred:
        parts = [self.and_()]
        while self.peek().kind == "word" and self.peek().text == "or":
            self.take()
            parts.append(self.and_())
        if len(parts) == 1:
            return parts[0]
        return lambda ev: any(p(ev) for p in parts)

    def and_(self) -> Pred:
        parts = [self.not_()]
        while self.peek().kind == "word" and self.peek().text == "and":
            self.take()
            parts.append(self.not_())
        if len(parts) == 1:
            return parts[0]
        return lambda ev: all(p(ev) for p in parts)

    def not_(self) -> Pred:
        t = self.peek()
        if t.kind == "word" and t.text == "not":
            self.take()
            self.nest(t)
            inner = self.not_()
            self.depth -= 1
            return lambda ev: not inner(ev)
        return self.primary()

    def primary(self) -> Pred:
        t = self.take()
        if t.kind == "(":
            self.nest(t)
            p = self.or_()
            c = self.take()
            if c.kind != ")":
                raise self.err(c, "expected ')'")
            self.depth -= 1
            return p
        if t.kind != "word" or t.text in ("and", "or"):
            raise self.err(t, f"expected a field name, got '{t.text or 'end of filter'}'")
        fname = t.text
        ftype = field_type(fname)
        if ftype is None:
            raise self.err(t, f"unknown field '{fname}'")
        op_tok = self.take()
        if op_tok.kind == "op":
            op = op_tok.text
        elif op_tok.kind == "word" and op_tok.text in _WORD_OPS:
            op = op_tok.text
        else:
            raise self.err(op_tok, f"expected an operator after '{fname}', got "
                                   f"'{op_tok.text or 'end of filter'}'")
        ctx = self.ctx
        if op == "exists":
            return lambda ev: field_value(fname, ev, ctx) is not None
        if op in ("in", "pmatch"):
            values = self.value_list()
            conv = [self.convert(v, ftype, tok) for v, tok in values]
            if op == "in":
                sset = conv
                return lambda ev: _in(field_value(fname, ev, ctx), sset)
            prefixes = [str(v).rstrip("/") for v in conv]
            return lambda ev: _pmatch(field_value(fname, ev, ctx), prefixes)
        vt = self.take()
        if vt.kind not in ("word", "str"):
            raise self.err(vt, f"expected a value after '{op}'")
        if op in ("contains", "icontains", "startswith", "endswith", "glob"):
            return _string_op(op, fname, vt.text, ctx)
        val = self.convert(vt.text, ftype, vt)
        if op in ("<", "<=", ">", ">=") and ftype not in ("int", "float"):
            raise self.err(op_tok, f"operator '{op}' needs a numeric field, '{fname}' is text")
        if fname == "evt.dir":
            return _dir_compare(op, val)
        return _compare(op, fname, val, ctx)

    def value_list(self) -> list[tuple[str, _Tok]]:
        t = self.take()
        if t.kind != "(":
            raise self.err(t, "expected '(' to start a list")
        out: list[tuple[str, _Tok]] = []
        while True:
            v = self.take()
            if v.kind not in ("word", "str"):
                raise self.err(v, "expected a list value")
            out.append((v.text, v))
            sep = self.take()
            if sep.kind == ")":
                return out
            if sep.kind != ",":
                raise self.err(sep, "expected ',' or ')' in a list")

    def convert(self, text: str, ftype: str, tok: _Tok) -> Value:
        if ftype == "int":
            try:
                return int(text, 0)
            except ValueError:
                raise self.err(tok, f"'{text}' is not a number") from None
        if ftype == "float":
            try:
                return float(text)
            except ValueError:
                raise self.err(tok, f"'{text}' is not a number") from None
        if ftype == "bool":
            low = text.lower()
            if low not in ("true", "false"):
                raise self.err(tok, f"'{text}' is not true or false")
            return low == "true"
        return text


def _in(v: Value, values: list[Value]) -> bool:
    return v is not None and v in values


def _pmatch(v: Value, prefixes: list[str]) -> bool:
    if not isinstance(v, str):
        return False
    return any(v == p or v.startswith(p + "/") for p in prefixes)


def _string_op(op: str, fname: str, val: str, ctx: Context) -> Pred:
    def get(ev: Event) -> str | None:
        v = field_value(fname, ev, ctx)
        return None if v is None else (("true" if v else "false") if isinstance(v, bool) else str(v))

    if op == "contains":
        return lambda ev: (s := get(ev)) is not None and val in s
    if op == "icontains":
        low = val.lower()
        return lambda ev: (s := get(ev)) is not None and low in s.lower()
    if op == "startswith":
        return lambda ev: (s := get(ev)) is not None and s.startswith(val)
    if op == "endswith":
        return lambda ev: (s := get(ev)) is not None and s.endswith(val)
    rx = re.compile(fnmatch.translate(val))
    return lambda ev: (s := get(ev)) is not None and rx.match(s) is not None


def _compare(op: str, fname: str, val: Value, ctx: Context) -> Pred:
    def cmp(ev: Event) -> bool:
        v = field_value(fname, ev, ctx)
        if v is None:
            return False
        if isinstance(val, str) and not isinstance(v, str):
            v = str(v)
        if op in ("=", "=="):
            return bool(v == val)
        if op == "!=":
            return bool(v != val)
        if op == "<":
            return bool(v < val)
        if op == "<=":
            return bool(v <= val)
        if op == ">":
            return bool(v > val)
        return bool(v >= val)

    return cmp


def _dir_compare(op: str, val: str) -> Pred:
    """sysdig has two events per call, the enter ``>`` and the exit ``<``; syscope's sources give
    one complete event per call (the exit, carrying the entry's arguments), which stands for
    both: ``evt.dir='>'`` selects it as sysdig selects the call's enter event, ``evt.dir='<'`` as
    its exit event.  An event of the enter phase alone (a trace recorded with entries) is ``>``."""
    def directions(ev: Event) -> tuple[str, ...]:
        if isinstance(ev, SyscallEvent):
            return (">",) if ev.phase == "enter" else (">", "<")
        return ("<",)

    if op in ("=", "=="):
        return lambda ev: val in directions(ev)
    return lambda ev: any(d != val for d in directions(ev))


def compile_filter(text: str, ctx: Context | None = None) -> Pred:
    """Compile a sysdig filter into a predicate on events; FilterError (with the column) if bad."""
    return _Parser(text, ctx if ctx is not None else Context()).parse()


def _is_exec(ev: Event) -> bool:
    if isinstance(ev, ProcessEvent):
        return ev.what == "exec"
    return (isinstance(ev, SyscallEvent) and ev.name in ("execve", "execveat") and ev.phase == "exit"
            and ev.retval == 0)


def event_predicate(expr: str, ctx: Context | None = None) -> Callable[[Event], bool]:
    """A sysdig filter as a predicate on the ptrace source's events (``syscope.trace(...)``,
    ``Tracer.events()``): ``syscope --filter EXPR -- CMD``.

    The fields are evaluated exactly as ``syscope watch`` evaluates them (``field_value``); what
    the eBPF source gets from the kernel and the ptrace source does not carry is resolved here:

    - proc.name, proc.ppid, proc.exe(path), proc.cmdline, proc.args, proc.aname[N], user.uid,
      user.name, container.id: from /proc/PID while the tracee is stopped, cached per pid,
      refreshed on exec (an exec ``ProcessEvent``, or a successful execve/execveat exit) and
      dropped at the process's exit;
    - fd.name: the call's path argument (made absolute against its dirfd or the cwd) or socket
      address (decoded sockaddr), a ``3</path>`` argument (-y), else /proc/PID/fd/N; an fd table
      kept from open/connect/bind/accept/close/dup gives the name of an fd being closed and the
      address of a socket;
    - evt.res / evt.rawres / evt.failed: from retval and errno; evt.cpu is absent (ptrace does
      not say on which CPU a call ran), so comparisons on it are false.

    Any event may be passed, in the order the tracer yields them (the fd table and the process
    cache follow them):
    SyscallEvent at exit: evaluated; at entry: evaluated with what is known (retval absent);
    SignalEvent: evt.type is ``signaldeliver``; ExitEvent: ``procexit``; ProcessEvent: ``execve``
    for an exec, ``clone`` for a spawn, ``attach``/``detach`` otherwise. On these, proc.*, user.*
    and container.id work, evt.failed and evt.is_io* are false, and every fd.* and evt.arg field
    is absent (so ``fd.name contains x`` is false for them and ``not fd.name exists`` true).

    Raises FilterError naming the column of a bad filter.  ``ctx`` (a PtraceContext by default)
    may be shared with ``compile_format`` to print fields of the same events.
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
        # only now, so that whatever else looks at that event after the predicate (a format
        # sharing ``ctx``) still sees the names it had, as the eBPF source settles after its
        # consumer (syscope.sources.ebpf.stream.Converter.settle).
        if done:
            settle(done.pop())
        if isinstance(c, PtraceContext):
            if _is_exec(ev):
                c.forget(ev.pid)
            if not isinstance(ev, ExitEvent):
                # known before it is gone: the process's exit (procexit) is evaluated on these
                c.proc(ev.pid)
        done.append(ev)
        return pred(ev)

    return predicate


# ----------------------------------------------------------------------------- output formats
_FMT_RE = re.compile(r"%(\*?)([a-z]+\.[a-zA-Z0-9_.]*[a-zA-Z0-9_](?:\[\d+\])?)")

DEFAULT_FORMAT = ("%evt.num %evt.outputtime %evt.cpu %proc.name (%thread.tid) %evt.dir %evt.type "
                  "%evt.info")


_BUFFER_FIELDS = frozenset({"evt.buffer", "evt.arg.data"})
_DOTS = {c: "." for c in (*range(0x20), *range(0x7F, 0x100))}


def compile_format(fmt: str, ctx: Context | None = None) -> Callable[[Event], str]:
    """``-p`` format: ``%field`` replaced by its value (``<NA>`` when absent, as sysdig prints)."""
    c = ctx if ctx is not None else Context()
    for m in _FMT_RE.finditer(fmt):
        if field_type(m.group(2)) is None:
            raise FilterError(f"format error at column {m.start() + 1}: unknown field "
                              f"'{m.group(2)}'")

    def render(ev: Event) -> str:
        def sub(m: re.Match[str]) -> str:
            v = field_value(m.group(2), ev, c)
            if v is None:
                return "<NA>"
            if isinstance(v, bool):
                return "true" if v else "false"
            if m.group(2) in _BUFFER_FIELDS:
                # data as sysdig prints it by default: non-printable bytes as dots, one line
                return str(v).translate(_DOTS)
            return str(v)

        return _FMT_RE.sub(sub, fmt)

    return render


def event_json(ev: Event, fields: list[str], ctx: Context) -> dict[str, Value]:
    """Typed values of ``fields`` for ``-j`` (numbers stay numbers, flags stay booleans)."""
    return {f: field_value(f, ev, ctx) for f in fields}


JSON_FIELDS = ["evt.num", "evt.time", "evt.cpu", "evt.type", "evt.dir", "evt.res", "evt.rawres",
               "evt.failed", "evt.latency", "evt.info", "proc.name", "proc.pid", "proc.ppid",
               "thread.tid", "user.uid", "user.name", "fd.num", "fd.name", "fd.type",
               "container.id"]


__all__ = ["compile_filter", "event_predicate", "compile_format", "Context", "PtraceContext",
           "ProcInfo", "field_value", "FIELDS",
           "DEFAULT_FORMAT", "JSON_FIELDS", "event_json", "SignalEvent"]
