"""`syscope syscalls` run as a real subprocess."""
from __future__ import annotations

import subprocess
import sys


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "syscope", "syscalls", *args],
                          capture_output=True, text=True, timeout=60)


def test_lookup_by_name_and_number() -> None:
    r = _run("openat")
    assert r.returncode == 0
    assert r.stdout.split()[:3] == ["257", "openat", "4"]
    assert "const char * filename" in r.stdout
    r = _run("140", "--arch", "i386")
    assert r.returncode == 0 and r.stdout.split()[1] == "_llseek"


def test_full_listing_counts_match_table() -> None:
    r = _run("--arch", "aarch64")
    assert r.returncode == 0
    names = [ln.split()[1] for ln in r.stdout.splitlines()]
    assert "newfstatat" in names and "open" not in names


def test_errors_are_one_line() -> None:
    r = _run("x")
    assert r.returncode == 1 and r.stderr == "syscope: unknown syscall 'x'\n"
    r = _run("--arch", "mips")
    assert r.returncode == 1 and len(r.stderr.splitlines()) == 1 and "Traceback" not in r.stderr


def test_class_filter() -> None:
    r = _run("--class", "stat_like")
    assert r.returncode == 0
    names = {ln.split()[1] for ln in r.stdout.splitlines()}
    assert {"stat", "lstat", "fstat", "newfstatat", "statx"} <= names and "openat" not in names
    assert "%file" in _run("openat").stdout
