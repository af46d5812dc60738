"""Recorded traces through the real CLI: a JSON-lines trace written by ``syscope --json`` and a
capture file read back, and each kind of damage to them -- one error line ``syscope: FILE:LINE:
what`` and a non-zero exit from every command that reads traces (``report``, ``timeline``,
``profile explain``, ``watch -r``), never a traceback, never a hang."""

from __future__ import annotations

import gzip
import json
import random
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from syscope.events import SyscallEvent
from syscope.sources.file import MAX_LINE, read_events

PY = "/usr/bin/python3"
PROG = r"""
import os, socket
a, b = socket.socketpair()
a.send(b"ping")
b.recv(10)
with open("/etc/hostname", "rb") as f:
    f.read()
pid = os.fork()
if pid == 0:
    os._exit(3)
os.waitpid(pid, 0)
"""


def syscope(*args: str) -> subprocess.CompletedProcess[str]:
    # the timeout only keeps a hanging reader from stalling the suite; no assertion is timed
    return subprocess.run([sys.executable, "-m", "syscope", *args], capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("traces")
    trace = d / "trace.jsonl"
    r = syscope("-f", "--json", "-o", str(trace), "--", PY, "-c", PROG)
    assert r.returncode == 0, r.stderr
    prof = d / "profile.json"
    r = syscope("profile", "-o", str(prof), "--", "/bin/true")
    assert r.returncode == 0, r.stderr
    # a version-1 capture of the same events (header, a process record, event records), as the
    # format's reader documents it (syscope.sources.file)
    lines = trace.read_text().splitlines()
    first = json.loads(lines[0])
    recs = [json.dumps({"format": "syscope-capture", "version": [1, 0]}),
            json.dumps({"rec": "proc", "pid": first["pid"], "name": "python3", "exe": PY,
                        "cmdline": [PY, "-c", "..."], "ppid": 1, "uid": 0, "container": "host"})]
    recs += [json.dumps({**json.loads(line), "rec": "event"}) for line in lines]
    cap = d / "capture.gz"
    with gzip.open(cap, "wt") as f:
        f.write("\n".join(recs) + "\n")
    return {"trace": trace, "profile": prof, "capture": cap, "dir": d}


def test_json_trace_reads_back_as_written(recorded: dict[str, Path]) -> None:
    lines = [json.loads(x) for x in recorded["trace"].read_text().splitlines()]
    events = list(read_events(recorded["trace"]))
    assert [ev.to_dict() for ev in events] == lines
    calls = [ev for ev in events if isinstance(ev, SyscallEvent)]
    # the structured arguments survive the file: the path opened, the bytes sent
    opened = [ev.arg("filename") for ev in calls if ev.name == "openat"]
    assert any(a is not None and a.value == "/etc/hostname" for a in opened)
    sent = [ev for ev in calls if ev.name in ("sendto", "send")]
    assert sent and sent[0].structured_args[1].value == b"ping"
    for cmd in (("report", "-o", str(recorded["dir"] / "r.html")), ("timeline", "-o", str(recorded["dir"] / "t.json"))):
        r = syscope(cmd[0], str(recorded["trace"]), *cmd[1:])
        assert r.returncode == 0, r.stderr


def test_capture_reads_back_through_watch(recorded: dict[str, Path]) -> None:
    r = syscope("watch", "-r", str(recorded["capture"]), "-p", "%evt.type %fd.name", "evt.type=openat")
    assert r.returncode == 0, r.stderr
    assert "openat /etc/hostname" in r.stdout


# -- damage ------------------------------------------------------------------------------------
def _lines(p: Path) -> list[str]:
    return p.read_text().splitlines()


def _syscall_line(lines: list[str]) -> int:
    """Index of a syscall line that has every field (the third call, not the first)."""
    return [i for i, x in enumerate(lines) if json.loads(x)["type"] == "syscall"][2]


Damage = Callable[[Path, Path], int]  # writes a damaged copy of a trace; returns the line it broke


def _write(dst: Path, lines: list[str]) -> None:
    dst.write_text("\n".join(lines) + "\n")


def _edit_record(change: Callable[[dict[str, Any]], None]) -> Damage:
    """A copy with one syscall record changed by ``change``."""
    def make(src: Path, dst: Path) -> int:
        lines = _lines(src)
        i = _syscall_line(lines)
        d = json.loads(lines[i])
        change(d)
        lines[i] = json.dumps(d)
        _write(dst, lines)
        return i + 1
    return make


def _edit(field: str, value: object) -> Damage:
    def change(d: dict[str, Any]) -> None:
        if value is _MISSING:
            del d[field]
        else:
            d[field] = value
    return _edit_record(change)


_MISSING = object()


def _bad_base64(d: dict[str, Any]) -> None:
    d["structured_args"][0]["value"] = {"$bytes": "%%% not base64 %%%"}


def _inserted(line: str, at: int) -> Damage:
    """A copy with ``line`` inserted before line ``at`` (0-based)."""
    def make(src: Path, dst: Path) -> int:
        lines = _lines(src)
        lines.insert(at, line)
        _write(dst, lines)
        return at + 1
    return make


def _truncated(src: Path, dst: Path) -> int:
    lines = _lines(src)
    i = _syscall_line(lines)
    dst.write_text("\n".join(lines[:i]) + "\n" + lines[i][: len(lines[i]) // 2])
    return i + 1


def _not_utf8(src: Path, dst: Path) -> int:
    lines = _lines(src)
    i = _syscall_line(lines)
    raw = lines[i].encode().replace(b'"name": "', b'"name": "\xff\xfe', 1)
    dst.write_bytes("\n".join(lines[:i]).encode() + b"\n" + raw + b"\n")
    return i + 1


def _random_bytes(src: Path, dst: Path) -> int:
    data = random.Random(9).randbytes(8192)
    # not gzip's magic, so it is read as text; the first invalid byte is on line 1 of it
    dst.write_bytes(b"{" + data.replace(b"\n", b" ").replace(b"\x1f", b" "))
    return 1


DAMAGE: dict[str, tuple[Damage, str]] = {
    "truncated mid-line": (_truncated, "cut short"),
    "missing key": (_edit("ts_enter", _MISSING), "has no 'ts_enter'"),
    "wrong type": (_edit("ts_enter", [1, 2]), "'ts_enter' must be a timestamp"),
    "bad timestamp": (_edit("ts_exit", "yesterday"), "'ts_exit' must be a timestamp"),
    "negative timestamp": (_edit("ts_enter", -5.0), "'ts_enter' must be a timestamp"),
    "wrong type of pid": (_edit("pid", "1234"), "'pid' must be an integer"),
    "register too wide": (_edit("raw_args", [1 << 70]), "'raw_args' item 0 must be a 64-bit"),
    "args not strings": (_edit("args", [1, 2]), "'args' item 0 must be a string"),
    "not JSON": (_inserted("syscope was here", 2), "not JSON"),
    "not an object": (_inserted("[1, 2, 3]", 0), "must be a JSON object"),
    "not UTF-8": (_not_utf8, "not UTF-8"),
    "random bytes": (_random_bytes, ""),
    "bad structured value": (_edit_record(_bad_base64), "bad structured argument"),
}


def _one_error_line(r: subprocess.CompletedProcess[str], prefix: str, what: str) -> None:
    assert r.returncode != 0
    assert "Traceback" not in r.stderr
    err = r.stderr.strip().splitlines()
    assert len(err) == 1, r.stderr
    assert err[0].startswith(f"syscope: {prefix}"), err[0]
    assert what in err[0], err[0]


@pytest.mark.parametrize("case", sorted(DAMAGE))
@pytest.mark.parametrize("command", ["report", "timeline", "profile explain"])
def test_damaged_json_trace(recorded: dict[str, Path], tmp_path: Path, case: str, command: str) -> None:
    make, what = DAMAGE[case]
    bad = tmp_path / "bad.jsonl"
    line = make(recorded["trace"], bad)
    if command == "profile explain":
        r = syscope("profile", "explain", str(recorded["profile"]), str(bad))
    else:
        r = syscope(command, str(bad), "-o", str(tmp_path / "out"))
    _one_error_line(r, f"{bad}:{line}: ", what)


@pytest.mark.parametrize("command", ["report", "timeline", "profile explain"])
def test_dev_zero_is_refused_not_read_forever(recorded: dict[str, Path], tmp_path: Path, command: str) -> None:
    if command == "profile explain":
        r = syscope("profile", "explain", str(recorded["profile"]), "/dev/zero")
    else:
        r = syscope(command, "/dev/zero", "-o", str(tmp_path / "out"))
    _one_error_line(r, "/dev/zero:1: ", f"longer than {MAX_LINE} bytes")


def _capture(recs: list[str], dst: Path) -> None:
    with gzip.open(dst, "wt") as f:
        f.write("\n".join(recs) + "\n")


def _cap_records(recorded: dict[str, Path]) -> list[str]:
    with gzip.open(recorded["capture"], "rt") as f:
        return f.read().splitlines()


@pytest.mark.parametrize("case", ["cut mid-stream", "truncated mid-line", "missing key", "wrong type",
                                  "bad fd record", "not a capture", "dev zero"])
@pytest.mark.parametrize("command", ["watch -r", "report", "timeline"])
def test_damaged_capture(recorded: dict[str, Path], tmp_path: Path, case: str, command: str) -> None:
    recs = _cap_records(recorded)
    bad = tmp_path / "bad.cap"
    i = 5  # an event record (header, proc record, then events)
    if case == "cut mid-stream":
        raw = recorded["capture"].read_bytes()
        bad.write_bytes(raw[: len(raw) // 2])
        where, what = f"{bad}:", "ends in the middle of its compressed data"
    elif case == "truncated mid-line":
        with gzip.open(bad, "wt") as f:
            f.write("\n".join(recs[:i]) + "\n" + recs[i][:40])
        where, what = f"{bad}:{i + 1}: ", "cut short"
    elif case == "missing key":
        d = json.loads(recs[i])
        del d["tid"]
        _capture(recs[:i] + [json.dumps(d)] + recs[i + 1:], bad)
        where, what = f"{bad}:{i + 1}: ", "has no 'tid'"
    elif case == "wrong type":
        d = json.loads(recs[i])
        d["ts_enter"] = [0.5]
        _capture(recs[:i] + [json.dumps(d)] + recs[i + 1:], bad)
        where, what = f"{bad}:{i + 1}: ", "'ts_enter' must be a timestamp"
    elif case == "bad fd record":
        _capture(recs[:2] + [json.dumps({"rec": "fd", "pid": 1, "fd": "three", "name": "/x"})] + recs[2:], bad)
        where, what = f"{bad}:3: ", "'fd' must be an integer"
    elif case == "not a capture":
        bad.write_bytes(random.Random(3).randbytes(4096).replace(b"\x1f", b" "))
        where, what = f"{bad}", ""
    else:
        bad = Path("/dev/zero")
        where, what = "/dev/zero", ""
    if command == "watch -r":
        r = syscope("watch", "-r", str(bad))
        if case in ("not a capture", "dev zero"):
            what = "not a syscope capture file"
    else:
        r = syscope(command, str(bad), "-o", str(tmp_path / "out"))
    _one_error_line(r, where, what)
