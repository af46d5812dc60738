"""syscope report on a real trace, checked in real headless Chromium: the page renders, its
charts carry the trace's numbers, and it makes no network request."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

PY = "/usr/bin/python3"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Flags from the Debian chromium package's headless use, plus the ones that keep the browser's
# own background services (time sync, component updates, sync) quiet.
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-features=NetworkTimeServiceQuerying", "--hide-scrollbars"]


def syscope(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    r = subprocess.run([sys.executable, "-m", "syscope", *args], capture_output=True, text=True, timeout=300)
    if check:
        assert r.returncode == 0, f"syscope {' '.join(args)} failed: {r.stderr}"
    return r


# Records a command's real events from syscope's eBPF source (the ptrace tracer's --json writes
# the same to_dict() lines) into JSON lines; comm and paths (kernel-read path and socket address
# strings) are kept too, as read_events accepts them.
RECORDER = """
import json, sys
from syscope.sources.ebpf.stream import watch_events
with open(sys.argv[1], "w") as out:
    for ev in watch_events(sys.argv[2:]):
        d = ev.to_dict()
        if d["type"] == "syscall":
            d["comm"], d["paths"] = ev.comm, list(ev.paths)
        out.write(json.dumps(d) + "\\n")
"""


def record(tmp: Path, argv: list[str], name: str = "trace.jsonl") -> Path:
    """Trace argv's process tree for real into a JSON-lines trace."""
    out = tmp / name
    r = subprocess.run([sys.executable, "-c", RECORDER, str(out), *argv], capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    assert out.stat().st_size > 0
    return out


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def chromium(tmp: Path, url: str, *extra: str, dump_dom: bool = False, screenshot: Path | None = None,
             netlog: Path | None = None, size: str = "1300,2600") -> str:
    """Run headless Chromium on url with a fresh profile; returns the DOM when dump_dom."""
    profile = tmp / f"chromium-profile-{len(list(tmp.glob('chromium-profile-*')))}"
    argv = [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--window-size={size}", *extra]
    if netlog is not None:
        argv.append(f"--log-net-log={netlog}")
    if screenshot is not None:
        argv.append(f"--screenshot={screenshot}")
    if dump_dom:
        argv.append("--dump-dom")
    argv.append(url)
    r = subprocess.run(argv, capture_output=True, text=True, timeout=180)
    assert r.returncode == 0, r.stderr[-2000:]
    return r.stdout


def page_requests(netlog: Path) -> list[str]:
    """Network URLs that a page (not the browser itself) asked for, from a Chromium net log.

    Every request that a document makes carries the document's origin as its initiator ("null"
    for a file:// page); the browser's own service requests (sign-in, updates) carry "not an
    origin".  Those are the browser's, not the page's, and cannot all be switched off.
    """
    d = json.loads(netlog.read_text())
    start_job = d["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    urls = []
    for e in d["events"]:
        p = e.get("params") or {}
        url = p.get("url", "")
        if e["type"] == start_job and url and not url.startswith(("file:", "data:", "about:", "chrome")):
            if p.get("initiator") != "not an origin":
                urls.append(url)
    return urls


class Dom(HTMLParser):
    """Elements of a dumped DOM: (tag, attrs, ancestors' data-pid) plus the text of each id."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str], list[str]]] = []
        self._stack: list[tuple[str, dict[str, str]]] = []
        self.text_parts: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        pids = [x[1]["data-pid"] for x in self._stack if "data-pid" in x[1]]
        self.elements.append((tag, a, pids))
        if tag not in ("meta", "br", "img", "input", "link"):
            self._stack.append((tag, a))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self._stack) - 1, -1, -1):
            if self._stack[i][0] == tag:
                del self._stack[i:]
                break

    def handle_data(self, data: str) -> None:
        self.text_parts.append(data)

    @property
    def text(self) -> str:
        return "".join(self.text_parts)

    def find(self, tag: str, cls: str | None = None) -> list[dict[str, str]]:
        return [a for t, a, _ in self.elements
                if t == tag and (cls is None or cls in a.get("class", "").split())]


WORKLOAD = r"""
import os, socket, sys
port, d = int(sys.argv[1]), sys.argv[2]
with open(os.path.join(d, "hello.txt"), "w") as f:
    f.write("x" * 1000)
with open(os.path.join(d, "hello.txt")) as f:
    f.read()
for _ in range(3):
    try:
        open(os.path.join(d, "missing.txt"))
    except FileNotFoundError:
        pass
try:
    open(os.path.join(d, "</script><img src=http://192.0.2.1/x.png>"))
except FileNotFoundError:
    pass
s = socket.create_connection(("127.0.0.1", port))
s.sendall(b"ping" * 100)
s.close()
pid = os.fork()
if pid == 0:
    os.execv("/bin/true", ["true"])
os.waitpid(pid, 0)
"""


@pytest.fixture(scope="module")
def traced(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("report")
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen()
    port = srv.getsockname()[1]

    def serve() -> None:
        conn, _ = srv.accept()
        while conn.recv(4096):
            pass
        conn.close()

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    trace = record(tmp, [PY, "-c", WORKLOAD, str(port), str(tmp)])
    t.join(30)
    srv.close()
    html = tmp / "report.html"
    syscope("report", str(trace), "-o", str(html))
    return {"tmp": tmp, "trace": trace, "html": html, "port": port, "events": load_jsonl(trace)}


def test_report_is_self_contained(traced: dict[str, Any]) -> None:
    page = traced["html"].read_text()
    # Nothing outside the page: no src/href to another document, no stylesheet or script file.
    assert "<script src" not in page and "<link" not in page
    assert "Content-Security-Policy" in page
    # The hostile file name is data, escaped inside the JSON, never markup.
    assert "</script><img" not in page


def test_report_renders_with_the_trace_numbers(traced: dict[str, Any]) -> None:
    tmp, events = traced["tmp"], traced["events"]
    netlog = tmp / "netlog.json"
    shot = tmp / "report.png"
    dom_text = chromium(tmp, traced["html"].as_uri(), dump_dom=True, netlog=netlog)
    dom = Dom(dom_text)
    body = [a for t, a, _ in dom.elements if t == "body"][0]
    assert body.get("data-rendered") == "yes", "the report script did not finish"

    calls = [e for e in events if e["type"] == "syscall"]
    count = Counter(e["name"] for e in calls)
    errors = Counter(e["name"] for e in calls if e["errno"] is not None)

    bars = {a["data-syscall"]: int(a["data-value"]) for a in dom.find("rect", "count")}
    top = sorted(count.items(), key=lambda kv: (-kv[1], kv[0]))[:25]
    assert len(bars) == len(top)
    assert bars == dict(top)
    err_bars = {a["data-syscall"]: int(a["data-value"]) for a in dom.find("rect", "err")}
    assert err_bars == {n: c for n, c in errors.items() if n in bars}
    time_bars = dom.find("rect", "time")
    assert time_bars and all(float(a["data-value"]) > 0 for a in time_bars)

    # Each latency histogram holds every completed call of its syscall.
    hist: Counter[str] = Counter()
    for a in dom.find("rect", "hbar"):
        hist[a["data-syscall"]] += int(a["data-value"])
    completed = Counter(e["name"] for e in calls if e["ts_exit"] is not None)
    assert hist and all(hist[n] == completed[n] for n in hist)

    text = dom.text
    d = str(tmp)
    assert f"{d}/hello.txt" in text and f"{d}/missing.txt" in text
    # The hostile file name is in the data but became no element: nothing it names was loaded.
    assert not dom.find("img")
    assert "\\u003c/script\\u003e\\u003cimg src=http://192.0.2.1/x.png" in traced["html"].read_text()
    assert f"127.0.0.1:{traced['port']}" in text
    assert "ENOENT" in text

    # The process tree: the forked child (which became /bin/true) sits under the traced python.
    procs = {a["data-pid"]: pids for t, a, pids in dom.elements if t == "li" and "data-pid" in a}
    root_pid = str(calls[0]["pid"])
    assert procs[root_pid] == []
    children = [p for p, anc in procs.items() if anc == [root_pid]]
    assert len(children) == 1
    assert "true" in text

    assert page_requests(netlog) == []
    chromium(tmp, traced["html"].as_uri(), screenshot=shot)
    assert shot.stat().st_size > 20_000  # a blank 1300x2600 page compresses to a few KB


def test_netlog_check_sees_a_page_request(tmp_path: Path) -> None:
    # The no-network assertion above is only worth something if a request a page does make is
    # caught; this page makes one.
    probe = tmp_path / "probe.html"
    probe.write_text('<html><body><img src="http://192.0.2.1/x.png"></body></html>')
    netlog = tmp_path / "netlog.json"
    chromium(tmp_path, probe.as_uri(), "--virtual-time-budget=2000", dump_dom=True, netlog=netlog)
    assert any(u.startswith("http://192.0.2.1/") for u in page_requests(netlog))


def test_report_bad_input_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"type": "syscall", "pid": 1}\nnot json\n')
    out = tmp_path / "r.html"
    r = syscope("report", str(bad), "-o", str(out), check=False)
    assert r.returncode != 0 and r.stderr.startswith("syscope: ") and len(r.stderr.splitlines()) == 1
    assert "bad.jsonl:1" in r.stderr
    assert not out.exists()
    r = syscope("report", str(tmp_path / "nope.jsonl"), "-o", str(out), check=False)
    assert r.returncode != 0 and "no such trace file" in r.stderr and len(r.stderr.splitlines()) == 1
    r = syscope("report", str(bad), check=False)
    assert r.returncode != 0 and len(r.stderr.splitlines()) == 1


def test_report_sink_from_the_python_api(tmp_path: Path) -> None:
    from syscope.sinks.report import ReportSink
    from syscope.sources.ebpf.stream import watch_events

    out = tmp_path / "api.html"
    seen: Counter[str] = Counter()
    with ReportSink(out, title="api") as sink:
        for ev in watch_events([PY, "-c", "import os; os.stat('/')"]):
            sink.handle(ev)
            if getattr(ev, "phase", None) == "exit":
                seen[ev.name] += 1  # type: ignore[union-attr]
    page = out.read_text()
    start = page.index(">", page.index('id="report-data"')) + 1
    data = json.loads(page[start:page.index("</script>", start)])
    assert {r["name"]: r["count"] for r in data["syscalls"]} == dict(seen)
    assert data["totals"]["syscalls"] == sum(seen.values()) > 0
    assert "/" in {f["key"] for f in data["files"]}
    assert os.path.getsize(out) > 5000
