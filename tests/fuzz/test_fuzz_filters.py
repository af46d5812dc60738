"""Fuzzing the filter languages: sysdig filters (``compile_filter``, then the predicate run on
events of every kind) and strace ``-e`` expressions (``strace_expr.parse``).

Inputs are drawn from each language's grammar (fields, operators, values, lists, nesting, the
qualifiers and their tokens), then mutated, plus arbitrary text: so that most inputs get past the
lexer and reach the parser's and evaluator's deeper paths."""

from __future__ import annotations

import string

from fuzz_harness import clean, fuzz  # tests/fuzz is on sys.path (pytest rootdir import mode)
from hypothesis import given
from hypothesis import strategies as st

from syscope.context import Context, ProcInfo
from syscope.events import ExitEvent, ProcessEvent, SignalEvent, SyscallEvent
from syscope.filters import strace_expr
from syscope.filters.sysdig import FIELDS, compile_filter, compile_format

_OPS = ["=", "==", "!=", "<", "<=", ">", ">=", "contains", "icontains", "startswith", "endswith", "glob",
        "exists", "in", "pmatch"]
_FIELD_NAMES = sorted(FIELDS) + ["evt.arg[0]", "evt.arg[7]", "evt.arg.fd", "evt.arg.", "proc.aname[2]",
                                 "proc.aname.x", "evt.arg[99999999999999999999]", "no.such", "evt", ""]
_VALUES = ["0", "-1", "0x10", "1e3", "nan", "inf", "true", "false", "TRUE", "/etc/passwd", "*", "[a-",
           "'q'", '"d"', "'", "\\", "99999999999999999999999999", "0o777", "openat", "<", ">", "", "(", ")",
           "1.5", "𝔘", "\x00"]

_value = st.one_of(st.sampled_from(_VALUES), st.text(max_size=12))


def _quoted(v: str) -> str:
    return "'" + v.replace("\\", "\\\\").replace("'", "\\'") + "'"


@st.composite
def _comparison(draw: st.DrawFn) -> str:
    field = draw(st.sampled_from(_FIELD_NAMES))
    op = draw(st.sampled_from(_OPS))
    if op == "exists":
        return f"{field} exists"
    if op in ("in", "pmatch"):
        items = draw(st.lists(_value, max_size=4))
        return f"{field} {op} ({', '.join(draw(st.sampled_from([str, _quoted]))(i) for i in items)})"
    v = draw(_value)
    return f"{field}{draw(st.sampled_from(['', ' ']))}{op} {draw(st.sampled_from([str, _quoted]))(v)}"


_filter = st.recursive(
    _comparison(),
    lambda inner: st.one_of(
        st.builds(lambda a, b, c: f"{a} {c} {b}", inner, inner, st.sampled_from(["and", "or", "and not"])),
        st.builds(lambda a: f"not {a}", inner),
        st.builds(lambda a, n: "(" * n + a + ")" * n, inner, st.integers(1, 130)),
    ),
    max_leaves=8,
)


@st.composite
def _mutated(draw: st.DrawFn, base: st.SearchStrategy[str]) -> str:
    text = draw(base)
    for _ in range(draw(st.integers(0, 3))):
        if not text:
            break
        i = draw(st.integers(0, len(text) - 1))
        how = draw(st.sampled_from(["drop", "dup", "insert"]))
        if how == "drop":
            text = text[:i] + text[i + 1:]
        elif how == "dup":
            text = text[:i] + text[i:] + text[i:]
        else:
            text = text[:i] + draw(st.sampled_from(list("()'\",=<>! \\[]") + ["and", "or", "not"])) + text[i:]
    return text


def _events() -> list[object]:
    return [
        SyscallEvent(pid=10, tid=11, arch="x86_64", nr=257, name="openat", raw_args=(2**64 - 100, 0, 0, 0, 0, 0),
                     ts_enter=1.0, phase="exit", args=["AT_FDCWD", '"/etc/passwd"', "O_RDONLY"], retval=3,
                     ts_exit=1.1, comm="cat", ppid=1, uid=0, cpu=0),
        SyscallEvent(pid=10, tid=10, arch="x86_64", nr=1, name="write", raw_args=(1, 0, 5, 0, 0, 0), ts_enter=2.0,
                     phase="exit", args=["1", '"hi\\n"...', "5"], retval=-1, errno=9,
                     ret_text="-1 EBADF (Bad file descriptor)", ts_exit=2.5),
        SyscallEvent(pid=12, tid=12, arch="i386", nr=11, name="execve", raw_args=(0,) * 6, ts_enter=3.0,
                     phase="enter", args=['"/bin/x"']),
        SignalEvent(pid=10, tid=10, signo=11, ts=4.0, text="{si_signo=SIGSEGV}"),
        ExitEvent(pid=10, tid=10, ts=5.0, exit_code=0),
        ProcessEvent(pid=13, tid=13, ts=6.0, what="exec"),
    ]


_CTX = Context(live=False)
_CTX.procs[10] = ProcInfo(pid=10, name="cat", exe="/usr/bin/cat", cmdline=("cat", "/etc/passwd"), ppid=1, uid=0)
_EVENTS = _events()


def _compile_and_run(text: str) -> None:
    pred = compile_filter(text, _CTX)
    for ev in _EVENTS:
        assert pred(ev) in (True, False)  # type: ignore[arg-type]


@fuzz(2500)
@given(st.one_of(_filter, _mutated(_filter)))
def test_sysdig_filter_grammar(text: str) -> None:
    clean("sysdig filter", _compile_and_run, text)


@fuzz(800)
@given(st.text(alphabet=st.sampled_from(list(string.printable) + ["é", "\x00", "𝔘"]), max_size=60))
def test_sysdig_filter_any_text(text: str) -> None:
    clean("sysdig filter", _compile_and_run, text)


def _format_and_render(fmt: str) -> None:
    render = compile_format(fmt, _CTX)
    for ev in _EVENTS:
        assert isinstance(render(ev), str)  # type: ignore[arg-type]


@fuzz(300)
@given(st.lists(st.one_of(st.sampled_from(_FIELD_NAMES).map(lambda f: "%" + f),
                             st.sampled_from(["%", "%%", "*", " ", "%evt.arg[", "%(", "%12evt.type"]),
                             st.text(max_size=5)), max_size=6).map("".join))
def test_sysdig_output_format(fmt: str) -> None:
    clean("sysdig format", _format_and_render, fmt)


_QUALS = ["trace", "t", "abbrev", "a", "verbose", "v", "raw", "x", "signal", "signals", "s", "read", "r",
          "write", "w", "status", "quiet", "silent", "silence", "q", "decode-fds", "decode-pids", "kvm", "fault",
          "inject", "", "nosuch"]
_TOKENS = ["all", "none", "!", "%file", "%network", "%process", "%desc", "%memory", "%stat", "%%stat", "%lstat",
           "%pure", "%creds", "%clock", "%ipc", "%signal", "%nosuch", "?openat", "?nosuch", "/open.*", "/[",
           "/(a", "openat", "read", "write", "execve", "0", "1", "-1", "999", "4294967295", "99999999999999999999",
           "open@64", "read@x32", "SIGKILL", "KILL", "9", "SIGRTMIN+3", "SIGRTMAX", "64", "65", "stdin",
           "successful", "failed", "unfinished", "unavailable", "detached", "attach", "exit", "path-resolution",
           "personality", "thread-execve", "superseded", "pidfd", "socket", "dev", "comm", "vcpu",
           "error=ENOENT", "error=EPERM", "error=4095", "error=4096", "error=0", "error=nosuch", "retval=0",
           "retval=-1", "retval=18446744073709551615", "retval=99999999999999999999", "signal=SIGSEGV",
           "signal=0", "signal=65", "when=3", "when=2+", "when=2..5", "when=2..5+2", "when=0", "when=65536",
           "when=1+0", "delay_enter=1s", "delay_exit=10ms", "delay_enter=-1", "delay_exit=999999999999d",
           "poke_enter=@arg1=0xff", "poke_exit=@arg9=00", "poke_enter=@arg1=zz", "syscall=getpid", "syscall=nosuch"]


@st.composite
def _strace_expr(draw: st.DrawFn) -> str:
    qual = draw(st.sampled_from(_QUALS))
    toks = draw(st.lists(st.one_of(st.sampled_from(_TOKENS), st.text(max_size=6)), min_size=0, max_size=5))
    if qual in ("fault", "inject"):
        sep = ":"
        body = ",".join(toks[:2]) + "".join(sep + t for t in toks[2:])
    else:
        body = ",".join(toks)
    return body if qual == "" and draw(st.booleans()) else f"{qual}={body}"


@fuzz(2500)
@given(st.lists(st.one_of(_strace_expr(), _mutated(_strace_expr()), st.text(max_size=20)),
                   min_size=1, max_size=3))
def test_strace_expressions(exprs: list[str]) -> None:
    clean("strace -e", strace_expr.parse, exprs)
