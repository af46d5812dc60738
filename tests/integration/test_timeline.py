"""Timelines from real traces: valid trace-event JSON by the format's rules, the right tracks,
slices and instants, and loadable by a real browser."""

from __future__ import annotations

import html
import json
import math
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest
from test_report import PY, chromium, load_jsonl, record, syscope

WORKLOAD = r"""
import os, signal, threading
signal.signal(signal.SIGUSR1, lambda *a: None)
def work():
    for _ in range(3):
        os.stat("/")
t = threading.Thread(target=work)
t.start()
t.join()
os.kill(os.getpid(), signal.SIGUSR1)
pid = os.fork()
if pid == 0:
    os.execv("/bin/true", ["true"])
os.waitpid(pid, 0)
"""

PHASES = set("BEXiIMCbneSTpFsftPONDcR(),vV")
METADATA = {"process_name", "process_labels", "process_sort_index", "thread_name", "thread_sort_index"}


def validate_trace_events(text: str) -> list[dict[str, Any]]:
    """Check a file against the Trace Event Format's rules; returns its events.

    JSON Array Format or JSON Object Format with traceEvents; every event an object with a known
    ph, a name, integer pid/tid, a numeric ts (metadata excepted); X events a dur >= 0; instants a
    scope of g/p/t; metadata events one of the known names with their arg; args an object; and on
    each thread the complete events nest (a viewer draws a slice stack per thread).
    """
    def no_nan(c: str) -> float:
        raise AssertionError(f"{c} is not JSON")

    doc = json.loads(text, parse_constant=no_nan)
    events = doc["traceEvents"] if isinstance(doc, dict) else doc
    assert isinstance(events, list) and events
    per_thread: dict[tuple[int, int], list[tuple[float, float]]] = defaultdict(list)
    for ev in events:
        assert isinstance(ev, dict), ev
        ph = ev["ph"]
        assert ph in PHASES, ev
        assert isinstance(ev["name"], str) and ev["name"], ev
        assert isinstance(ev["pid"], int) and isinstance(ev["tid"], int), ev
        if "args" in ev:
            assert isinstance(ev["args"], dict), ev
        if "cat" in ev:
            assert isinstance(ev["cat"], str), ev
        if ph == "M":
            assert ev["name"] in METADATA, ev
            default = "name" if ev["name"].endswith("_name") else "sort_index"
            key = {"process_labels": "labels"}.get(ev["name"], default)
            assert key in ev["args"], ev
            continue
        assert isinstance(ev["ts"], (int, float)) and math.isfinite(ev["ts"]), ev
        if ph == "X":
            assert isinstance(ev["dur"], (int, float)) and ev["dur"] >= 0, ev
            per_thread[(ev["pid"], ev["tid"])].append((ev["ts"], ev["ts"] + ev["dur"]))
        if ph in ("i", "I") and "s" in ev:
            assert ev["s"] in ("g", "p", "t"), ev
    for key, slices in per_thread.items():
        stack: list[float] = []
        for start, end in sorted(slices, key=lambda s: (s[0], -s[1])):
            while stack and stack[-1] <= start:
                stack.pop()
            assert not stack or end <= stack[-1], f"slices overlap on thread {key}"
            stack.append(end)
    return events


@pytest.fixture(scope="module")
def traced(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("timeline")
    trace = record(tmp, [PY, "-c", WORKLOAD])
    out = tmp / "timeline.json"
    syscope("timeline", str(trace), "-o", str(out))
    return {"tmp": tmp, "trace": trace, "out": out, "events": load_jsonl(trace)}


def test_timeline_is_valid_and_complete(traced: dict[str, Any]) -> None:
    recorded = traced["events"]
    events = validate_trace_events(traced["out"].read_text())
    calls = [e for e in recorded if e["type"] == "syscall"]
    slices = [e for e in events if e["ph"] == "X"]
    assert len(slices) == len(calls)
    # One track per thread, grouped by process: the same (pid, tid) pairs as the trace.
    assert {(e["pid"], e["tid"]) for e in slices} == {(e["pid"], e["tid"]) for e in calls}
    main_pid = calls[0]["pid"]
    threads = {e["tid"] for e in calls if e["pid"] == main_pid}
    assert len(threads) >= 2, "the worker thread made syscalls on its own track"
    # Every slice carries the decoded call and its result.
    by_key = Counter((e["name"], e["tid"]) for e in calls)
    assert Counter((e["name"], e["tid"]) for e in slices) == by_key
    stat_slice = next(e for e in slices if e["name"] in ("newfstatat", "stat", "statx")
                      and '"/"' in e["args"]["call"])
    assert "result" in stat_slice["args"]
    names = {e["pid"]: e["args"]["name"] for e in events if e["ph"] == "M" and e["name"] == "process_name"}
    child = next(p for p in names if p != main_pid)
    assert names[child] == "true"
    assert names[main_pid].startswith("python3")
    thread_names = {e["tid"] for e in events if e["ph"] == "M" and e["name"] == "thread_name"}
    assert thread_names >= threads
    instants = [e for e in events if e["ph"] == "i"]
    assert any(e["name"] == "kill" and e["pid"] == main_pid for e in slices)
    assert any(e["name"].startswith("exec") and e["pid"] == child for e in instants) or any(
        e["name"] == "execve" and e["pid"] == child for e in slices)
    assert any(e["name"] == "exited with 0" and e["pid"] == child for e in instants)
    assert any(e["name"] == "exited with 0" and e["pid"] == main_pid for e in instants)


LOADER = """<!DOCTYPE html><html><body><pre id="out">loading</pre><script>
// Reads the timeline the way a trace viewer's JSON importer does: JSON array (closing bracket
// optional) or {traceEvents}; counts what it would draw.
var xhr = new XMLHttpRequest();
xhr.open("GET", "timeline.json");
xhr.onload = function () {
  var text = xhr.responseText.trim();
  if (text[0] === "[" && text[text.length - 1] !== "]") text = text.replace(/,\\s*$/, "") + "]";
  var doc = JSON.parse(text), evs = Array.isArray(doc) ? doc : doc.traceEvents;
  var r = {phases: {}, processes: {}, threads: {}, slices: 0, instants: 0};
  evs.forEach(function (e) {
    r.phases[e.ph] = (r.phases[e.ph] || 0) + 1;
    if (e.ph === "M" && e.name === "process_name") r.processes[e.pid] = e.args.name;
    if (e.ph === "M" && e.name === "thread_name") r.threads[e.tid] = e.args.name;
    if (e.ph === "X") r.slices++;
    if (e.ph === "i") r.instants++;
  });
  document.getElementById("out").textContent = JSON.stringify(r);
};
xhr.onerror = function () { document.getElementById("out").textContent = "load failed"; };
xhr.send();
</script></body></html>
"""


def test_timeline_loads_in_chromium(traced: dict[str, Any]) -> None:
    tmp: Path = traced["tmp"]
    page = tmp / "loader.html"
    page.write_text(LOADER)
    dom = chromium(tmp, page.as_uri(), "--allow-file-access-from-files", "--virtual-time-budget=5000",
                   dump_dom=True)
    text = html.unescape(dom.split('<pre id="out">', 1)[1].split("</pre>", 1)[0])
    got = json.loads(text)
    events = json.loads(traced["out"].read_text())
    assert got["slices"] == sum(1 for e in events if e["ph"] == "X") > 0
    assert got["instants"] == sum(1 for e in events if e["ph"] == "i") > 0
    pids = {str(e["pid"]) for e in events if e["ph"] == "X"}
    assert set(got["processes"]) == pids
    assert "true" in got["processes"].values()


def test_timeline_survives_a_cut(traced: dict[str, Any], tmp_path: Path) -> None:
    # A trace cut short (syscope killed before close) still loads: the array form's closing
    # bracket is optional for the viewers; everything written so far is whole lines.
    from syscope.sinks.timeline import TimelineSink
    from syscope.sources.file import read_events

    out = tmp_path / "cut.json"
    sink = TimelineSink(out)
    for ev in read_events(traced["trace"]):
        sink.handle(ev)
    sink._f.flush()  # the file as a killed process leaves it: no close()
    text = out.read_text()
    assert not text.rstrip().endswith("]")
    validate_trace_events(text.rstrip().rstrip(",") + "]")
    sink.close()


def test_timeline_bad_input(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"type": "exit", "pid": 1, "tid": 1, "ts": 1.0}\n[1, 2]\n')
    out = tmp_path / "t.json"
    r = syscope("timeline", str(bad), "-o", str(out), check=False)
    assert r.returncode != 0 and r.stderr.startswith("syscope: ") and len(r.stderr.splitlines()) == 1
    assert "bad.jsonl:2" in r.stderr and not out.exists()
    r = syscope("timeline", str(tmp_path / "missing.jsonl"), "-o", str(out), check=False)
    assert r.returncode != 0 and len(r.stderr.splitlines()) == 1
    r = syscope("timeline", str(bad), "-o", "/nonexistent-dir/t.json", check=False)
    assert r.returncode != 0 and len(r.stderr.splitlines()) == 1 and "Traceback" not in r.stderr


def test_timeline_from_stdin(traced: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "stdin.json"
    r = subprocess.run([sys.executable, "-m", "syscope", "timeline", "-", "-o", str(out)],
                       stdin=traced["trace"].open(), capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert out.read_text() == traced["out"].read_text()


def test_live_timeline_labels_the_container(tmp_path: Path) -> None:
    # A live source's processes are labelled with their container: run the recorder in a cgroup
    # named as docker names a container's scope; the traced command inherits it.
    import os
    import secrets
    import time

    root = next(Path(ln.split()[1]) for ln in Path("/proc/self/mounts").read_text().splitlines()
                if ln.split()[2] == "cgroup2")
    cid = secrets.token_hex(32)
    cg = root / f"docker-{cid}.scope"
    cg.mkdir()
    out = tmp_path / "live.json"
    script = ("import sys\n"
              "from syscope.sources.ebpf.stream import watch_events\n"
              "from syscope.sinks.timeline import TimelineSink\n"
              "with TimelineSink(sys.argv[1], label_containers=True) as sink:\n"
              "    for ev in watch_events(['/usr/bin/python3', '-c', "
              "'import os, time; os.stat(\"/\"); time.sleep(0.5)']):\n"
              "        sink.handle(ev)\n")

    def enter_cgroup() -> None:
        (cg / "cgroup.procs").write_text(str(os.getpid()))

    try:
        r = subprocess.run([sys.executable, "-c", script, str(out)], capture_output=True, text=True,
                           timeout=120, preexec_fn=enter_cgroup)
        assert r.returncode == 0, r.stderr[-2000:]
    finally:
        for _ in range(100):
            try:
                cg.rmdir()
                break
            except OSError:
                time.sleep(0.05)
    events = validate_trace_events(out.read_text())
    labels = [e["args"]["labels"] for e in events if e["ph"] == "M" and e["name"] == "process_labels"]
    assert labels and all(lab == f"container docker:{cid[:12]}" for lab in labels)
    assert any(e["ph"] == "X" and e["name"] in ("newfstatat", "stat", "statx") for e in events)


def test_timeline_and_report_from_a_watch_capture(tmp_path: Path) -> None:
    # The whole path on the command line: syscope watch -w records, timeline and report read it.
    cap = tmp_path / "cap.syscope"
    r = subprocess.run([sys.executable, "-m", "syscope", "watch", "-w", str(cap), "--", "/bin/ls", "/"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    written = int(r.stderr.split("syscope: ", 1)[1].split()[0])
    out = tmp_path / "cap.json"
    syscope("timeline", str(cap), "-o", str(out))
    events = validate_trace_events(out.read_text())
    drawn = sum(1 for e in events if e["ph"] != "M")
    assert drawn == written > 0
    assert any(e["ph"] == "X" and e["name"] == "getdents64" for e in events)
    html_out = tmp_path / "cap.html"
    r = syscope("report", str(cap), "-o", str(html_out))
    assert f"report of {written} events" in r.stderr
