"""The one reader of recorded events: capture files (``syscope watch -w``) and JSON-lines traces
(``syscope --json``), for ``watch -r``, ``report``, ``timeline`` and ``profile check/explain``.

The kind of file is told by its first bytes, never by its name: a gzip stream (RFC 1952 magic
``1f 8b``) is a version-1 capture, ``SYSCOPE2`` a version-2 block capture (syscope.sources.capture),
anything else a JSON-lines trace.

Capture files v1: gzip-compressed JSON lines, versioned, readable with ``zcat | jq``.  Line 1 is the
header ``{"format": "syscope-capture", "version": [MAJOR, MINOR], ...}``; every other line is one
record: ``{"rec": "proc", ...ProcInfo}`` (process facts, written before the first event of that
process and again after an exec), ``{"rec": "fd", "pid", "fd", "name"}`` (an fd's name as known
when first used, for fds opened before the capture began) or ``{"rec": "event",
...Event.to_dict(), "comm", "ppid", "uid", "cpu", "paths"}``.  A reader accepts any minor version
of its major (skipping record kinds it does not know) and refuses a newer major.

Damaged input -- a file cut mid-line or mid-stream, a line that is not JSON, a record missing a key
or holding a value of the wrong type, a bad timestamp, bytes that are not UTF-8, a line longer than
``MAX_LINE`` (``/dev/zero`` has no newline at all) -- stops the reader with one ``UsageError``
line, ``FILE:LINE: what was wrong``.  Each record is checked against the small schema of its kind
(``_SCHEMAS``) before it becomes an event, so no consumer meets a wrongly typed field later.
"""

from __future__ import annotations

import dataclasses
import gzip
import io
import json
import math
import os
import sys
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from syscope.context.fds import track_fds
from syscope.context.process import Context, ProcInfo
from syscope.errors import SyscopeError, UsageError
from syscope.events import Event, SyscallEvent, event_from_dict

FORMAT = "syscope-capture"
VERSION = (1, 0)
GZIP_MAGIC = b"\x1f\x8b"
# The longest line read, in bytes.  A syscall line is at most a few KiB (strings are cut at -s and
# buffers at 255 bytes by the sources); the bound is what keeps a file without newlines from being
# read into memory whole.
MAX_LINE = 1 << 20


class _Bad(Exception):
    """A record that does not fit its schema; the message says which field and why."""


# -- record schemas ----------------------------------------------------------------------------
# A check takes the value and returns an error text, or None when the value fits.
Check = Callable[[Any], str | None]


def _type_name(v: Any) -> str:
    return "null" if v is None else {bool: "boolean", int: "integer", float: "number", str: "string",
                                     list: "list", dict: "object"}.get(type(v), type(v).__name__)


def _int(v: Any) -> str | None:
    return None if isinstance(v, int) and not isinstance(v, bool) else f"must be an integer, not {_type_name(v)}"


def _u64(v: Any) -> str | None:
    bad = _int(v)
    return bad or (None if 0 <= v < 1 << 64 else f"must be a 64-bit register value, not {v}")


def _pid(v: Any) -> str | None:
    bad = _int(v)
    return bad or (None if 0 <= v < 1 << 32 else f"must be a process id, not {v}")


def _ts(v: Any) -> str | None:
    # time.time() of the recording machine: a finite number of seconds since the epoch
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return f"must be a timestamp (seconds since the epoch), not {_type_name(v)}"
    if not math.isfinite(v) or v < 0:
        return f"must be a timestamp (seconds since the epoch), not {v}"
    return None


def _str(v: Any) -> str | None:
    return None if isinstance(v, str) else f"must be a string, not {_type_name(v)}"


def _bool(v: Any) -> str | None:
    return None if isinstance(v, bool) else f"must be true or false, not {_type_name(v)}"


def _obj(v: Any) -> str | None:
    return None if isinstance(v, dict) else f"must be an object, not {_type_name(v)}"


def _opt(check: Check) -> Check:
    return lambda v: None if v is None else check(v)


def _list(check: Check) -> Check:
    def checked(v: Any) -> str | None:
        if not isinstance(v, list):
            return f"must be a list, not {_type_name(v)}"
        for i, x in enumerate(v):
            bad = check(x)
            if bad is not None:
                return f"item {i} {bad}"
        return None
    return checked


def _one_of(*allowed: str) -> Check:
    return lambda v: None if v in allowed else f"must be one of {', '.join(allowed)}, not {v!r}"


def _structured_arg(v: Any) -> str | None:
    if not isinstance(v, dict):
        return f"must be an object, not {_type_name(v)}"
    for key, check in (("name", _str), ("raw", _u64)):
        if key not in v:
            return f"has no '{key}'"
        bad = check(v[key])
        if bad is not None:
            return f"'{key}' {bad}"
    return None


# kind -> (required fields, optional fields); a field may be absent only if it is optional
Schema = tuple[dict[str, Check], dict[str, Check]]
_SCHEMAS: dict[str, Schema] = {
    "syscall": ({"pid": _pid, "tid": _pid, "arch": _str, "nr": _int, "name": _str, "ts_enter": _ts},
                {"raw_args": _list(_u64), "args": _list(_str), "retval": _opt(_int), "errno": _opt(_int),
                 "ret": _opt(_str), "ts_exit": _opt(_ts), "unfinished": _opt(_bool), "detached": _opt(_bool),
                 "injected": _opt(_bool),
                 "delayed": _opt(_bool), "poked": _opt(_bool), "structured_args": _opt(_list(_structured_arg)),
                 # context the eBPF source records next to to_dict()'s fields
                 "comm": _opt(_str), "ppid": _opt(_int), "uid": _opt(_int), "cpu": _opt(_int),
                 "paths": _opt(_list(_str))}),
    "signal": ({"pid": _pid, "tid": _pid, "signo": _int, "ts": _ts},
               {"siginfo": _opt(_obj), "text": _opt(_str), "stopped": _opt(_bool)}),
    "exit": ({"pid": _pid, "tid": _pid, "ts": _ts},
             {"exit_code": _opt(_int), "signo": _opt(_int), "core_dumped": _opt(_bool)}),
    "process": ({"what": _one_of("spawn", "exec", "attach", "detach"), "pid": _pid, "tid": _pid, "ts": _ts},
                {"parent": _opt(_pid), "is_thread": _opt(_bool), "filename": _opt(_str),
                 "argv": _opt(_list(_str)), "old_tid": _opt(_pid)}),
    # capture v1 records that are not events
    "proc": ({"pid": _pid}, {"name": _str, "exe": _str, "cmdline": _list(_str), "ppid": _pid,
                             "uid": _opt(_int), "container": _str, "start": _opt(_ts)}),
    "fd": ({"pid": _pid, "fd": _int, "name": _str}, {}),
}


def _check(kind: str, d: dict[str, Any]) -> None:
    required, optional = _SCHEMAS[kind]
    for key, check in required.items():
        if key not in d:
            raise _Bad(f"{kind} record has no '{key}'")
        bad = check(d[key])
        if bad is not None:
            raise _Bad(f"{kind} record: '{key}' {bad}")
    for key, check in optional.items():
        if key in d:
            bad = check(d[key])
            if bad is not None:
                raise _Bad(f"{kind} record: '{key}' {bad}")


def _scalar(v: Any) -> str | None:
    if v is None or isinstance(v, (bool, int, float, str)):
        return None
    return f"must be a plain value, not {_type_name(v)}"


def _event(d: dict[str, Any]) -> Event:
    kind = d["type"]
    _check(kind, d)
    try:
        ev = event_from_dict(d)
    except (ValueError, TypeError, KeyError) as exc:  # a structured value's tagged form (events.decode_value)
        raise _Bad(f"{kind} record: bad structured argument ({exc})") from None
    if isinstance(ev, SyscallEvent):
        # Context that to_dict() leaves out but sources with more to say (the eBPF watcher's
        # comm, and the paths and socket addresses it read in the kernel) may record.
        ev.comm, ev.ppid, ev.uid, ev.cpu = d.get("comm"), d.get("ppid"), d.get("uid"), d.get("cpu")
        ev.paths = tuple(d.get("paths") or ())
    return ev


def _proc(d: dict[str, Any]) -> ProcInfo:
    _check("proc", d)
    known = {f.name for f in dataclasses.fields(ProcInfo)}
    fields = {k: v for k, v in d.items() if k in known}
    for k, v in fields.items():
        bad = _scalar(v) if k != "cmdline" else None
        if bad is not None:
            raise _Bad(f"proc record: '{k}' {bad}")
    fields["cmdline"] = tuple(fields.get("cmdline", ()))
    return ProcInfo(**fields)


# -- lines -------------------------------------------------------------------------------------
def _lines(f: IO[bytes] | gzip.GzipFile, name: str, first: int = 1) -> Iterator[tuple[int, str, bool]]:
    """(line number, text, ended by a newline?) of each non-empty line, each at most MAX_LINE
    bytes of UTF-8."""
    lineno = first - 1
    while True:
        lineno += 1
        try:
            raw = f.readline(MAX_LINE + 1)
        except EOFError:
            raise UsageError(f"{name}:{lineno}: the file ends in the middle of its compressed data "
                             "(cut short while it was written?)") from None
        except (OSError, zlib.error) as exc:
            raise UsageError(f"{name}:{lineno}: damaged compressed data ({exc})") from None
        if not raw:
            return
        if len(raw) > MAX_LINE and not raw.endswith(b"\n"):
            raise UsageError(f"{name}:{lineno}: line longer than {MAX_LINE} bytes: not a syscope trace")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise UsageError(f"{name}:{lineno}: not UTF-8 text (byte {raw[exc.start]:#04x} at column "
                             f"{exc.start + 1}): not a syscope trace") from None
        text = text.strip()
        if text:
            yield lineno, text, raw.endswith(b"\n")


def _object(text: str, name: str, lineno: int, ended: bool) -> dict[str, Any]:
    try:
        d = json.loads(text)
    except json.JSONDecodeError as exc:
        if not ended:  # the last line, without its newline: the writer stopped in the middle
            raise UsageError(f"{name}:{lineno}: the last line is cut short ({exc.msg}): truncated file?") from None
        raise UsageError(f"{name}:{lineno}: not JSON ({exc.msg} at column {exc.colno})") from None
    except RecursionError:
        raise UsageError(f"{name}:{lineno}: JSON nested too deeply") from None
    if not isinstance(d, dict):
        raise UsageError(f"{name}:{lineno}: a record must be a JSON object, not {_type_name(d)}")
    return d


def _json_lines(f: IO[bytes], name: str) -> Iterator[Event]:
    for lineno, text, ended in _lines(f, name):
        d = _object(text, name, lineno, ended)
        if d.get("phase") == "enter":
            continue  # a trace recorded with entries: each call appears again complete
        kind = d.get("type")
        if kind is None:
            raise UsageError(f"{name}:{lineno}: record has no 'type' (not a syscope JSON trace line)")
        if not isinstance(kind, str):
            raise UsageError(f"{name}:{lineno}: 'type' must be a string, not {_type_name(kind)}")
        if kind not in _SCHEMAS or kind in ("proc", "fd"):
            # A kind of record this reader does not know (a header, a newer source's event):
            # not an error in the trace, just nothing a timeline or report can draw.
            continue
        try:
            ev = _event(d)
        except _Bad as exc:
            raise UsageError(f"{name}:{lineno}: {exc}") from None
        yield ev


def _capture_v1(path: Path, ctx: Context) -> Iterator[Event]:
    name = os.fspath(path)
    try:
        f = gzip.open(path, "rb")
    except OSError as exc:
        raise UsageError(f"cannot read capture {name}: {exc.strerror}") from None
    with f:
        lines = _lines(f, name)
        try:
            _, first, _ended = next(lines)
        except StopIteration:
            raise UsageError(f"{name}: not a syscope capture file (empty)") from None
        try:
            header = json.loads(first)
        except json.JSONDecodeError:
            header = None
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            raise UsageError(f"{name}: not a syscope capture file")
        version = header.get("version")
        if not isinstance(version, list) or not version or _int(version[0]) is not None:
            raise UsageError(f"{name}:1: capture header: 'version' must be [MAJOR, MINOR]")
        if version[0] > VERSION[0]:
            raise SyscopeError(f"{name}: capture format version {version[0]}.x is newer than this "
                               f"syscope reads ({VERSION[0]}.x); upgrade syscope")
        ctx.live = False
        for lineno, text, ended in lines:
            d = _object(text, name, lineno, ended)
            rec = d.pop("rec", "event")
            try:
                if rec == "proc":
                    info = _proc(d)
                    ctx.procs[info.pid] = info
                    continue
                if rec == "fd":
                    _check("fd", d)
                    ctx.fds[(d["pid"], d["fd"])] = d["name"]
                    continue
                if rec != "event":
                    continue  # record kinds of a newer minor version
                kind = d.get("type")
                if kind not in _SCHEMAS or kind in ("proc", "fd"):
                    raise _Bad(f"event record: 'type' must be syscall, signal, exit or process, not {kind!r}")
                ev = _event(d)
            except _Bad as exc:
                raise UsageError(f"{name}:{lineno}: {exc}") from None
            yield ev
            if isinstance(ev, SyscallEvent) and ev.arch == "x86_64":
                # after the consumer saw it, as the live source does (a close still names its fd)
                track_fds(ev, ctx)


# -- dispatch on the first bytes -----------------------------------------------------------------
def _sniff(name: str) -> bytes:
    try:
        with open(name, "rb") as f:
            return f.read(8)
    except OSError as exc:
        raise UsageError(f"cannot read trace {name}: {exc.strerror}") from None


def _capture_reader(magic: bytes) -> Callable[[Path, Context], Iterator[Event]] | None:
    """The reader of the capture format whose file starts with ``magic``, or None."""
    if magic.startswith(GZIP_MAGIC):
        return _capture_v1
    from syscope.sources.capture import MAGIC as V2_MAGIC
    from syscope.sources.capture import read_capture_v2

    if magic.startswith(V2_MAGIC):  # raw ring records in compressed blocks (syscope.sources.capture)
        return read_capture_v2
    return None


def read_capture(path: Path, ctx: Context) -> Iterator[Event]:
    """Events of a capture file; fills ``ctx`` (set ``ctx.live = False``) with its process facts."""
    reader = _capture_reader(_sniff(os.fspath(path)))
    if reader is None:
        raise UsageError(f"{path}: not a syscope capture file")
    yield from reader(path, ctx)


def read_events(source: str | os.PathLike[str] | IO[str] | IO[bytes]) -> Iterator[Event]:
    """Events from a recorded JSON-lines trace (one ``Event.to_dict()`` object per line), or
    from a capture file that ``syscope watch -w`` wrote; ``-`` is standard input.

    A damaged file raises UsageError naming the file and line; events of the enter phase (a
    trace recorded with entries) are skipped, as each call appears again complete.
    """
    if not isinstance(source, (str, os.PathLike)):
        yield from _json_lines(_binary(source), getattr(source, "name", "<stream>"))
        return
    name = os.fspath(source)
    if name == "-":
        yield from _json_lines(sys.stdin.buffer, "<stdin>")
        return
    reader = _capture_reader(_sniff(name))
    if reader is not None:
        yield from reader(Path(name), Context())
        return
    try:
        f = open(name, "rb")
    except OSError as exc:
        raise UsageError(f"cannot read trace {name}: {exc.strerror}") from None
    with f:
        yield from _json_lines(f, name)


def _binary(stream: IO[str] | IO[bytes]) -> IO[bytes]:
    buf = getattr(stream, "buffer", None)
    if buf is not None:
        return buf
    if isinstance(stream, io.TextIOBase):
        return io.BytesIO(stream.read().encode("utf-8", "surrogateescape"))
    return stream  # type: ignore[return-value]


__all__ = ["FORMAT", "GZIP_MAGIC", "MAX_LINE", "VERSION", "read_capture", "read_events"]
