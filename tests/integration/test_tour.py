"""README's five-minute tour, run as a newcomer runs it: every command of the tour's code blocks,
taken from README.md itself, in order, in bash, with the virtualenv's syscope.

The only substitutions are the ones a test must make: the tour runs in a scratch directory (with
`.venv` linked to the repository's, so the commands stay as written and their files land there),
and the attach example's `sleep 60` becomes `sleep 2` so the traced process ends by itself. A
command added to the tour without a check here fails the test: the tour and this file move together.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from test_timeline import validate_trace_events

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
HOSTNAME = Path("/etc/hostname").read_text()
# A login's environment, not pytest's (PYTEST_CURRENT_TEST and friends would show up in `env`).
LOGIN_ENV = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": "/root", "LANG": "C.UTF-8"}


@dataclass
class Step:
    block: int
    lang: str  # "sh" or "python"
    code: str  # as README has it

    @property
    def id(self) -> str:
        first = self.code.strip().splitlines()[0]
        return re.sub(r"\s+#.*$", "", first)[:70]


def tour_steps() -> list[Step]:
    """Every command of the fenced blocks between '## A five-minute tour' and the next section."""
    text = README.read_text()
    start = text.index("\n## A five-minute tour")
    end = text.find("\n## ", start + 1)
    section = text[start:end if end != -1 else len(text)]
    steps = []
    for i, m in enumerate(re.finditer(r"^```(\w+)\n(.*?)^```", section, re.M | re.S)):
        lang, body = m.group(1), m.group(2)
        if lang == "sh":
            steps += [Step(i, lang, ln) for ln in body.splitlines() if ln.strip() and not ln.startswith("#")]
        else:
            steps.append(Step(i, lang, body))
    return steps


STEPS = tour_steps()


def substitute(code: str) -> str:
    # attach to a sleeping child that exits on its own instead of waiting for a ^C
    return re.sub(r"\bsleep 60 & (\.venv/bin/syscope -p )", r"sleep 2 & \1", code)


@dataclass
class Ran:
    step: Step
    rc: int
    out: str
    err: str
    cwd: Path


def run_step(step: Step, cwd: Path) -> Ran:
    if step.lang == "python":
        argv = [str(cwd / ".venv" / "bin" / "python"), "-c", step.code]
    else:
        # a second line keeps bash from exec'ing a lone command (bash -c does, an interactive shell
        # does not): `$$` is then the shell, as it is for the newcomer typing the line
        argv = ["bash", "-c", substitute(step.code) + "\nexit $?"]
    bg = None
    if "watch --duration" in step.code and "fd.name contains /etc" in step.code:
        # something on the machine must open a file below /etc while the watcher looks: a newcomer's
        # machine has its daemons, this test machine may be idle for three seconds
        bg = subprocess.Popen(["/bin/sh", "-c", "while :; do /bin/cat /etc/hostname >/dev/null; sleep 0.2; done"])
    try:
        r = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=300, env=LOGIN_ENV)
    finally:
        if bg is not None:
            bg.kill()
            bg.wait()
    return Ran(step, r.returncode, r.stdout, r.stderr, cwd)


@pytest.fixture(scope="module")
def tour(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Ran]:
    """The whole tour, once, in order (later commands read what earlier ones wrote)."""
    cwd = tmp_path_factory.mktemp("tour")
    (cwd / ".venv").symlink_to(ROOT / ".venv")
    ran = {}
    for s in STEPS:
        assert s.id not in ran, f"two tour commands look alike: {s.id}"
        ran[s.id] = run_step(s, cwd)
    return ran


# ------------------------------------------------------------------------------ what each shows
def _trace_ls(r: Ran) -> None:
    assert 'execve("/usr/bin/ls", ["ls", "/tmp"]' in r.err
    assert r.err.rstrip().endswith("+++ exited with 0 +++")


def _summary(r: Ran) -> None:
    lines = r.err.splitlines()
    assert lines[0].split() == ["%", "time", "seconds", "usecs/call", "calls", "errors", "syscall"]
    assert lines[-1].split()[-1] == "total"
    assert any(ln.split()[-1] in ("statx", "lstat", "newfstatat") for ln in lines[2:-2])
    assert re.search(r" hostname$", r.out, re.M)


def _attach(r: Ran) -> None:
    # messages start with the program as it was run (strace prints its argv[0]: ".venv/bin/syscope: ...")
    m = re.search(r"^(?:\S*/)?syscope: Process (\d+) attached$", r.err, re.M)
    assert m, r.err
    # as strace 6.1 prints an attach to a sleeping process that then exits by itself
    assert re.search(r"^restart_syscall\(<\.\.\. resuming interrupted \w+ \.\.\.>\) += 0$", r.err, re.M), r.err
    assert r.err.rstrip().endswith("+++ exited with 0 +++"), "nothing is detached from a process that exited"


def _profile(r: Ran) -> None:
    prof = json.loads((r.cwd / "ls.json").read_text())
    assert prof["defaultAction"] == "SCMP_ACT_ERRNO"
    names = {n for rule in prof["syscalls"] for n in rule["names"]}
    assert {"execve", "getdents64", "write"} <= names


def _run(r: Ran) -> None:
    assert r.out and "Operation not permitted" not in r.err + r.out


def _watch_etc(r: Ran) -> None:
    lines = r.out.splitlines()
    assert lines
    # %evt.num %evt.outputtime %evt.cpu %proc.name (%thread.tid) %evt.dir %evt.type %evt.info
    for ln in lines:
        parts = ln.split()
        assert parts[5:7] == ["<", "openat"] and "/etc" in ln, ln
    # sysdig's evt.info for openat: fd=3 dirfd=-100 name=/etc/hostname flags=O_RDONLY|...
    assert any(" name=/etc/hostname flags=O_RDONLY" in ln and ln.split()[3] == "cat" for ln in lines)


def _topscalls(r: Ran) -> None:
    assert re.search(r"^Count\s+Syscall$", r.out, re.M)
    assert re.search(r"^\d+\s+[a-z_0-9]+$", r.out, re.M)


def _env_pid(r: Ran) -> None:
    assert re.search(r"^pid \d+ \(sleep\) user root: sleep 60$", r.out, re.M), r.out
    assert "! DB_PASSWORD=****" in r.out and "hunter2" not in r.out


def _env_all(r: Ran) -> None:
    assert re.match(r"^\d+ processes: \d+ read", r.out), r.out


def _ps_tree(r: Ran) -> None:
    lines = r.out.splitlines()
    assert lines[0].split()[:4] == ["PID", "PPID", "USER", "CONTAINER"]
    assert lines[1].split()[:2] == ["1", "0"]
    assert any("├─" in ln or "└─" in ln for ln in lines)


def _fds(r: Ran) -> None:
    assert re.match(r"^pid \d+ \(bash\): \d+ open fds", r.out), r.out
    fds = {ln.split()[0] for ln in r.out.splitlines()[2:]}
    assert {"0", "1", "2"} <= fds


def _trace_json(r: Ran) -> None:
    assert HOSTNAME in r.out
    events = [json.loads(ln) for ln in (r.cwd / "trace.jsonl").read_text().splitlines()]
    execs = [e["args"][0] for e in events if e.get("type") == "syscall" and e["name"] == "execve"]
    assert '"/usr/bin/ls"' in execs and '"/usr/bin/cat"' in execs


def _timeline(r: Ran) -> None:
    m = re.search(r"wrote (\d+) events to trace.json", r.err)
    assert m and int(m.group(1)) > 0
    events = validate_trace_events((r.cwd / "trace.json").read_text())
    assert any(e["ph"] == "X" and e["name"] == "getdents64" for e in events)
    assert {"ls", "cat"} <= {e["args"]["name"] for e in events if e["ph"] == "M" and e["name"] == "process_name"}


def _report(r: Ran) -> None:
    assert re.search(r"wrote report of \d+ events to report.html", r.err)
    page = (r.cwd / "report.html").read_text()
    assert 'id="report-data"' in page and "getdents64" in page


def _watch_capture(r: Ran) -> None:
    assert HOSTNAME in r.out
    m = re.search(r"(\d+) events written to cap.syscope", r.err)
    assert m and int(m.group(1)) > 0


def _python(r: Ran) -> None:
    lines = r.out.splitlines()
    assert lines and any(" execve " in ln and "/tmp" in ln for ln in lines), r.out[-2000:]


# (pattern on the tour command, check); the first that matches applies
CHECKS: list[tuple[str, Callable[[Ran], None]]] = [
    (r"syscope -- ls /tmp", _trace_ls),
    (r"syscope -c -- ls -la /etc", _summary),
    (r"syscope -p \$!", _attach),
    (r"syscope profile -o ls\.json", _profile),
    (r"syscope run --profile ls\.json", _run),
    (r"syscope watch --duration \d+ 'evt\.type=openat and fd\.name contains /etc'", _watch_etc),
    (r"syscope watch --duration \d+ -c topscalls", _topscalls),
    (r"DB_PASSWORD=hunter2 .*syscope env \$!", _env_pid),
    (r"syscope env --all", _env_all),
    (r"syscope ps --tree", _ps_tree),
    (r"syscope fds \$\$", _fds),
    (r"syscope -f --json -o trace\.jsonl", _trace_json),
    (r"syscope timeline \S+ -o trace\.json", _timeline),
    (r"syscope report \S+ -o report\.html", _report),
    (r"syscope watch -w cap\.syscope", _watch_capture),
    (r"^import syscope", _python),
]


def test_tour_has_every_part() -> None:
    # issue 6: trace, -c, attach, profile, run, watch, env
    text = "\n".join(s.code for s in STEPS)
    for part in ("syscope -- ", "syscope -c", "syscope -p", "syscope profile", "syscope run",
                 "syscope watch", "syscope env", "syscope.trace("):
        assert part in text, part


@pytest.mark.parametrize("step", STEPS, ids=[s.id for s in STEPS])
def test_tour_command(step: Step, tour: dict[str, Ran]) -> None:
    r = tour[step.id]
    check = next((c for pat, c in CHECKS if re.search(pat, step.code, re.M)), None)
    assert check is not None, f"README tour command without a check in test_tour.py: {step.code}"
    assert r.rc == 0, f"{step.code}\nexit {r.rc}\n{r.err[-3000:]}"
    assert "Traceback" not in r.err, r.err[-3000:]
    check(r)
