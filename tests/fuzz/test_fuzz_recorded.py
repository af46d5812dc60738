"""Fuzzing the readers of recorded events (``syscope.sources.file``: JSON-lines traces and
capture files of ``watch -w``) and what consumes them (timeline, HTML report, sysdig filters on
replay).

JSON traces: valid event lines with a few mutations per file (a field replaced by a value of
another type or an extreme number, dropped, added; a line cut, duplicated, made non-UTF-8).
Captures: a real capture written by ``syscope watch -w``, then cut at any offset, bytes flipped,
garbage appended, or its records mutated the same way and compressed again."""

from __future__ import annotations

import copy
import gzip
import io
import json
import subprocess
import sys
from typing import Any

import pytest
from fuzz_harness import clean, fuzz  # tests/fuzz is on sys.path (pytest rootdir import mode)
from hypothesis import given
from hypothesis import strategies as st
from test_fuzz_filters import _CTX, _EVENTS

from syscope.filters.sysdig import compile_filter
from syscope.sinks.report import ReportSink
from syscope.sinks.timeline import write_timeline
from syscope.sources.file import read_events

_LINES = [ev.to_dict() for ev in _EVENTS]  # type: ignore[attr-defined]
_EXTREME: list[Any] = [None, True, -1, 0, 2**63, 2**64, -(2**64), 10**40, 1e308, -1e308, 0.5, "", "x", "openat",
                       "exit", "enter", "syscall", [], [1, "a"], {}, {"a": 1}, "\ud800".encode("utf-8", "surrogatepass")
                       .decode("utf-8", "replace")]
_json_value = st.recursive(st.one_of(st.sampled_from(_EXTREME), st.integers(), st.floats(allow_nan=False),
                                     st.text(max_size=6)),
                           lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                   st.dictionaries(st.text(max_size=4), inner, max_size=3)),
                           max_leaves=5)


@st.composite
def _mutated_record(draw: st.DrawFn, d: dict[str, Any]) -> Any:
    d = copy.deepcopy(d)
    for _ in range(draw(st.integers(0, 3))):
        how = draw(st.sampled_from(["replace", "replace", "drop", "add", "whole"]))
        keys = sorted(d)
        if how == "whole":
            return draw(_json_value)
        if how == "add" or not keys:
            d[draw(st.sampled_from(["type", "ts", "ts_enter", "ts_exit", "pid", "rec", "phase", "args", "x"]))] = \
                draw(_json_value)
        elif how == "drop":
            del d[draw(st.sampled_from(keys))]
        else:
            d[draw(st.sampled_from(keys))] = draw(_json_value)
    return d


@st.composite
def _lines(draw: st.DrawFn, records: list[dict[str, Any]]) -> list[bytes]:
    out: list[bytes] = []
    for rec in draw(st.lists(st.sampled_from(records), min_size=1, max_size=8)):
        mutate = draw(st.integers(0, 2)) == 0
        text = json.dumps(draw(_mutated_record(rec)) if mutate else rec).encode()
        damage = draw(st.integers(0, 12))
        if damage == 0:
            text = text[:draw(st.integers(0, len(text)))]
        elif damage == 1:
            text = text + b"\xff\xfe"
        elif damage == 2:
            text = b"[" * draw(st.integers(1, 5000)) + text
        out.append(text)
    return out


def _consume(path: Any) -> None:
    events = list(read_events(path))
    write_timeline(events, io.StringIO())
    sink = ReportSink(io.StringIO())
    for ev in events:
        sink.handle(ev)
    sink.close()
    pred = compile_filter("evt.type=openat or fd.name contains etc or proc.name=cat or evt.failed=true", _CTX)
    for ev in events:
        pred(ev)


@fuzz(1200)
@given(_lines(_LINES))
def test_json_traces(tmp_path_factory: Any, lines: list[bytes]) -> None:
    f = tmp_path_factory.getbasetemp() / "fuzz-trace.jsonl"
    f.write_bytes(b"\n".join(lines) + b"\n")
    clean("json trace", _consume, f)


@pytest.fixture(scope="module")
def capture(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A real capture: ``syscope watch -w`` (eBPF) of a short command."""
    f = tmp_path_factory.mktemp("capture") / "base.syscope"
    r = subprocess.run([sys.executable, "-m", "syscope", "watch", "-w", str(f), "--", "/bin/cat", "/etc/hostname"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    return f.read_bytes()


@st.composite
def _capture(draw: st.DrawFn, base: bytes) -> bytes:
    how = draw(st.sampled_from(["cut", "flip", "append", "splice", "records"]))
    if how == "cut":
        return base[:draw(st.integers(0, len(base)))]
    if how == "flip":
        data = bytearray(base)
        for _ in range(draw(st.integers(1, 4))):
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
        return bytes(data)
    if how == "append":
        return base + draw(st.binary(max_size=64))
    if how == "splice":  # a range of bytes repeated or moved: block headers in the wrong places
        i = draw(st.integers(0, len(base)))
        j = draw(st.integers(i, min(len(base), i + 4096)))
        k = draw(st.integers(0, len(base)))
        return base[:k] + base[i:j] + base[k:]
    try:
        records = [json.loads(x) for x in gzip.decompress(base).splitlines()]
    except (ValueError, OSError, EOFError):  # not gzip'd JSON lines (a block format): damage bytes instead
        return base[:draw(st.integers(0, len(base)))] + draw(st.binary(max_size=16))
    dicts = [r for r in records if isinstance(r, dict)] or [{}]
    lines = [json.dumps(records[0]).encode()] + draw(_lines(dicts))
    return gzip.compress(b"\n".join(lines) + b"\n")


@fuzz(1000)
@given(data=st.data())
def test_capture_files(tmp_path_factory: Any, capture: bytes, data: st.DataObject) -> None:
    f = tmp_path_factory.getbasetemp() / "fuzz-capture.syscope"
    f.write_bytes(data.draw(_capture(capture)))
    clean("capture file", _consume, f)
