"""`syscope watch --timeline`: the eBPF watcher's events (live and replayed) as a Chrome/Perfetto
trace-event file, with the filter applied, checked by the format's rules and in a real browser."""

from __future__ import annotations

import html
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from test_report import chromium
from test_timeline import LOADER, validate_trace_events


def watch(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "syscope", "watch", *args], capture_output=True,
                          text=True, timeout=120)


def slices(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in events if e["ph"] == "X"]


def test_live_timeline_of_a_command(tmp_path: Path) -> None:
    out = tmp_path / "t.json"
    r = watch("--timeline", str(out), "--", "/bin/cat", "/etc/hostname")
    assert r.returncode == 0, r.stderr
    # the file replaces the event lines (as -w does): stdout holds only cat's own output
    assert r.stdout == Path("/etc/hostname").read_text()
    events = validate_trace_events(out.read_text())
    xs = slices(events)
    pids = {e["pid"] for e in xs}
    assert len(pids) == 1, "only the command's process tree"
    opens = [e for e in xs if e["name"] == "openat" and '"/etc/hostname"' in e["args"]["call"]]
    assert len(opens) == 1
    fd = int(opens[0]["args"]["result"])
    assert fd >= 3
    # fd 3 was the shared libraries' before: the read that follows the open is hostname's
    reads = [e for e in xs if e["name"] == "read" and e["args"]["arg0"] == str(fd)
             and e["ts"] > opens[0]["ts"]]
    assert reads and int(reads[0]["args"]["result"]) == len(Path("/etc/hostname").read_bytes())
    assert any(e["name"] == "execve" for e in xs)
    names = {e["pid"]: e["args"]["name"] for e in events if e["ph"] == "M" and e["name"] == "process_name"}
    assert names == {pids.pop(): "cat"}
    instants = [e["name"] for e in events if e["ph"] == "i"]
    assert "exited with 0" in instants
    assert f"wrote {sum(1 for e in events if e['ph'] != 'M')} events to {out}" in r.stderr


def test_filter_applies_to_the_timeline(tmp_path: Path) -> None:
    out = tmp_path / "t.json"
    r = watch("--timeline", str(out), "evt.type=openat and fd.name contains /etc",
              "--", "/bin/cat", "/etc/hostname")
    assert r.returncode == 0, r.stderr
    events = validate_trace_events(out.read_text())
    drawn = [e for e in events if e["ph"] != "M"]
    assert drawn and all(e["ph"] == "X" and e["name"] == "openat" for e in drawn)
    assert all('"/etc/' in e["args"]["call"] for e in drawn)
    assert any('"/etc/hostname"' in e["args"]["call"] for e in drawn)


def test_replayed_capture_to_timeline_with_filter(tmp_path: Path) -> None:
    cap = tmp_path / "cap.syscope"
    r = watch("-w", str(cap), "--", "/bin/sh", "-c", "ls / >/dev/null; cat /etc/hostname")
    assert r.returncode == 0, r.stderr
    whole = tmp_path / "all.json"
    r = watch("-r", str(cap), "--timeline", str(whole))
    assert r.returncode == 0, r.stderr
    everything = validate_trace_events(whole.read_text())
    assert {"sh", "ls", "cat"} <= {e["args"]["name"] for e in everything
                                   if e["ph"] == "M" and e["name"] == "process_name"}
    part = tmp_path / "cat.json"
    # -j alongside: the lines and the timeline carry the same events
    r = watch("-r", str(cap), "-j", "--timeline", str(part), "proc.name=cat and evt.type=read")
    assert r.returncode == 0, r.stderr
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    events = validate_trace_events(part.read_text())
    xs = slices(events)
    assert rows and len(xs) == len(rows)
    assert all(e["name"] == "read" for e in xs)
    assert [row["thread.tid"] for row in rows] == [e["tid"] for e in xs]
    cat_slices = [e for e in slices(everything) if e["name"] == "read" and e["pid"] == xs[0]["pid"]]
    assert len(cat_slices) == len(xs)


def test_watch_timeline_loads_in_chromium(tmp_path: Path) -> None:
    out = tmp_path / "timeline.json"
    r = watch("--timeline", str(out), "--", "/bin/sh", "-c", "cat /etc/hostname; /bin/true")
    assert r.returncode == 0, r.stderr
    page = tmp_path / "loader.html"
    page.write_text(LOADER)
    dom = chromium(tmp_path, page.as_uri(), "--allow-file-access-from-files", "--virtual-time-budget=5000",
                   dump_dom=True)
    got = json.loads(html.unescape(dom.split('<pre id="out">', 1)[1].split("</pre>", 1)[0]))
    events = json.loads(out.read_text())
    assert got["slices"] == len(slices(events)) > 0
    assert got["instants"] == sum(1 for e in events if e["ph"] == "i") > 0
    assert {"sh", "cat", "true"} <= set(got["processes"].values())


def test_timeline_unwritable_is_one_line(tmp_path: Path) -> None:
    r = watch("--timeline", "/nonexistent-dir/t.json", "--", "/bin/true")
    assert r.returncode != 0
    assert r.stderr.startswith("syscope: ") and len(r.stderr.splitlines()) == 1, r.stderr
