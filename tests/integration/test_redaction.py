"""Secrets in what syscope writes (issue 16): JSON traces, timelines and reports redact values
that look like secrets (the detector of ``syscope env``) unless --no-redact, and the files are
created owner-only.  A real program is traced with a password in its environment and a token
and a password option on its command line."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from syscope.proc.secrets import redact_record, redact_text

PASSWORD = "hunter2-Sekr1t"
TOKEN = "ghp_" + "Z" * 36
SECRETS = (PASSWORD, TOKEN, TOKEN[:20])


def _syscope(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    r = subprocess.run([sys.executable, "-m", "syscope", *args], capture_output=True, text=True, timeout=120,
                       env=env)
    assert r.returncode == 0, r.stderr
    return r


@pytest.fixture(scope="module")
def traced(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("redact")
    env = {"PATH": "/usr/bin:/bin", "PGPASSWORD": PASSWORD, "HOME": "/root"}
    cmd = ["--", "/bin/echo", "--password", PASSWORD, f"--token={TOKEN}", f"https://me:{PASSWORD}@example.org/"]
    out = {"redacted": d / "r.jsonl", "kept": d / "k.jsonl"}
    _syscope("-v", "-f", "--json", "-o", str(out["redacted"]), "--timeline", str(d / "live-timeline.json"), *cmd,
             env=env)
    _syscope("-v", "-f", "--json", "--no-redact", "-o", str(out["kept"]), *cmd, env=env)
    out["live-timeline"] = d / "live-timeline.json"
    return out


def _mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


def test_json_trace_redacted_by_default(traced: dict[str, Path]) -> None:
    text = traced["redacted"].read_text()
    assert "execve" in text and "PGPASSWORD=****" in text and "https://me:****@" in text
    for s in SECRETS:
        assert s not in text
    assert _mode(traced["redacted"]) == 0o600
    kept = traced["kept"].read_text()
    assert PASSWORD in kept and TOKEN[:20] in kept
    assert _mode(traced["kept"]) == 0o600
    for s in SECRETS:
        assert s not in traced["live-timeline"].read_text()


@pytest.mark.parametrize("command", ["report", "timeline"])
def test_report_and_timeline_redact_by_default(traced: dict[str, Path], tmp_path: Path, command: str) -> None:
    out = tmp_path / f"{command}.out"
    out.write_text("")
    out.chmod(0o644)  # an existing world-readable file is made owner-only before it is written
    _syscope(command, str(traced["kept"]), "-o", str(out))
    page = out.read_text()
    assert "echo" in page and "****" in page
    for s in SECRETS:
        assert s not in page
    assert _mode(out) == 0o600
    _syscope(command, str(traced["kept"]), "-o", str(out), "--no-redact")
    assert PASSWORD in out.read_text()


def test_output_to_a_device_keeps_its_mode(traced: dict[str, Path]) -> None:
    before = os.stat("/dev/null").st_mode
    _syscope("timeline", str(traced["kept"]), "-o", "/dev/null")
    assert os.stat("/dev/null").st_mode == before


@pytest.mark.parametrize(("text", "want"), [
    ('["HOME=/root", "DB_PASSWORD=abc123", "X=1"]', '["HOME=/root", "DB_PASSWORD=****", "X=1"]'),
    ('["mysql", "--password", "abc123", "-u", "root"]', '["mysql", "--password", "****", "-u", "root"]'),
    ("--api-key=abc123", "--api-key=****"),
    ("postgres://app:abc123@db:5432/x", "postgres://app:****@db:5432/x"),
    ('"Authorization: Bearer abcdefghijkl"', '"Authorization: Bearer ****"'),
    ('"GITHUB=ghp_abcdefghijklmnopqrst"...', '"GITHUB=****"...'),
    ("O_RDONLY|O_CLOEXEC", "O_RDONLY|O_CLOEXEC"),
    ("evt.type=openat", "evt.type=openat"),
    ("DB_PASSWORD_FILE=/run/secrets/db", "DB_PASSWORD_FILE=/run/secrets/db"),
    ("PWD=/home/me", "PWD=/home/me"),
])
def test_redact_text(text: str, want: str) -> None:
    assert redact_text(text) == want


def test_redact_record_argv() -> None:
    rec = {"argv": ["psql", "--password", "abc123", "-h", "db"], "n": 3}
    assert redact_record(rec) == {"argv": ["psql", "--password", "****", "-h", "db"], "n": 3}
