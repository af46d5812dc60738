"""syscope/bytecode.py: the modules a command line imported, served from one file by the next.

Each test runs the CLI in a fresh interpreter on a copy of the package (its own __pycache__ and
cache file), as the console script does."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
# the environment of a user's command line: the file where it is by default, bytecode written
# (conftest.py puts the suite's own elsewhere)
_ENV = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "SYSCOPE_BYTECODE")}
_REPORT = ("import sys, os\nfrom syscope.cli import main as m\nfrom syscope import bytecode as b\n"
           "def report():\n"
           "    open(os.environ['REPORT'], 'w').write(' '.join(sorted(b._served)))\n"
           "_exit = os._exit\n"
           "os._exit = lambda code: (report(), _exit(code))  # (a trace's way out)\n"
           "sys.argv[0] = 'syscope'\n"
           "try:\n    m.console_entry()\nfinally:\n    report()\n")


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    """A copy of src/syscope without its caches."""
    shutil.copytree(SRC / "syscope", tmp_path / "src" / "syscope",
                    ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path / "src"


def _run(tree: Path, *argv: str, write: bool = True) -> tuple[set[str], str]:
    """The modules served from the file in a CLI run of the copy, and its stdout."""
    report = tree.parent / "served"
    report.unlink(missing_ok=True)
    env = {**_env(tree), "REPORT": str(report)}
    if not write:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    r = subprocess.run([sys.executable, "-c", _REPORT, *argv], env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return set(report.read_text().split()), r.stdout


def _env(tree: Path) -> dict[str, str]:
    """A command line's environment for the copy: its cache folder (XDG_CACHE_HOME) beside it."""
    return {**_ENV, "PYTHONPATH": str(tree), "XDG_CACHE_HOME": str(tree.parent / "xdg")}


def _cache(tree: Path) -> Path:
    """Where the copy's command lines keep the file by default (bytecode._default_path)."""
    return (tree.parent / "xdg" / "syscope" / "bytecode" / str(tree / "syscope").lstrip(os.sep)
            / f"bytecode.{sys.implementation.cache_tag}.bin")


def test_the_next_run_imports_the_modules_from_the_file(tree: Path) -> None:
    served, first = _run(tree, "-o", "/dev/stdout", "--", "/bin/true")
    assert not served and _cache(tree).exists()  # written by the first run, which read none
    assert not list((tree / "syscope").rglob("bytecode*.bin"))  # (the user's cache folder, not the tree)
    served, again = _run(tree, "-o", "/dev/stdout", "--", "/bin/true")
    assert {"syscope.sources.ptrace.engine", "syscope.cli.trace_cmd", "syscope.lean"} <= served
    addresses = re.compile(r"0x[0-9a-f]+|\b\d{3,}\b")  # (ASLR, the pid)
    assert len(served) > 30 and addresses.sub("A", again) == addresses.sub("A", first) and "exit_group(0)" in again


def test_a_changed_source_is_imported_from_itself_and_the_file_made_again(tree: Path) -> None:
    _run(tree, "-o", "/dev/null", "--", "/bin/true")
    errors = tree / "syscope" / "errors.py"
    errors.write_text(errors.read_text() + "\nCHANGED = True\n")
    os.utime(errors, ns=(time.time_ns(), time.time_ns() + 10**9))  # (another mtime, whatever the clock)
    served, _ = _run(tree, "-o", "/dev/null", "--", "/bin/true")
    assert "syscope.errors" not in served and "syscope.lean" in served
    served, _ = _run(tree, "-c", "-o", "/dev/null", "--", "/bin/true")
    assert "syscope.errors" in served  # the new text's code, written by the run before
    check = subprocess.run([sys.executable, "-c", "import syscope.errors as e; print(e.CHANGED, e.__file__)"],
                           env=_env(tree), capture_output=True, text=True, check=True)
    assert check.stdout.split() == ["True", str(errors)]


def test_a_damaged_file_is_ignored_and_made_again(tree: Path) -> None:
    _run(tree, "-o", "/dev/null", "--", "/bin/true")
    cache = _cache(tree)
    cache.write_bytes(cache.read_bytes()[:200])  # cut in its index
    served, out = _run(tree, "-o", "/dev/stdout", "--", "/bin/true")
    assert not served and "exit_group(0)" in out
    cache.write_bytes(b"not this format")
    assert not _run(tree, "-o", "/dev/null", "--", "/bin/true")[0]
    assert _run(tree, "-o", "/dev/null", "--", "/bin/true")[0]  # (the run before wrote it again)


def test_nothing_is_written_without_bytecode_writing(tree: Path) -> None:
    served, out = _run(tree, "-o", "/dev/stdout", "--", "/bin/true", write=False)
    assert not served and "exit_group(0)" in out and not _cache(tree).exists()


def test_a_served_modules_traceback_shows_its_source(tree: Path) -> None:
    _run(tree, "-o", "/dev/null", "--", "/bin/true")
    code = ("import syscope, traceback\nfrom syscope import bytecode\nimport syscope.errors as e\n"
            "assert 'syscope.errors' in bytecode._served\n"
            "try:\n    e.progname(1, 2, 3)\nexcept TypeError:\n    traceback.print_exc()\n"
            "import inspect\nprint(inspect.getsource(e.progname).splitlines()[0])\n")
    r = subprocess.run([sys.executable, "-c", code], env=_env(tree),
                       capture_output=True, text=True, check=True)
    assert r.stdout.startswith("def progname(")


def test_a_served_package_reads_its_resources(tree: Path) -> None:
    """importlib.resources through the file's loader: the package's folder (the profile formats'
    JSON schemas, the report's assets)."""
    _run(tree, "profile", "-o", str(tree.parent / "profile.json"), "--", "/bin/true")
    code = ("from importlib import resources\nfrom syscope import bytecode\nimport syscope.seccomp\n"
            "assert 'syscope.seccomp' in bytecode._served\n"
            "print(len(resources.files('syscope.seccomp').joinpath('runtime_calls.json').read_text()))\n")
    r = subprocess.run([sys.executable, "-c", code], env=_env(tree),
                       capture_output=True, text=True, check=True)
    assert int(r.stdout) > 100
    served, _ = _run(tree, "profile", "-o", str(tree.parent / "again.json"), "--", "/bin/true")
    assert "syscope.seccomp.formats" in served
    when = re.compile(r"\d{4}-\d\d-\d\dT[\d:]+Z")  # (the profile's comment says when it was recorded)
    again, first = ((tree.parent / name).read_text() for name in ("again.json", "profile.json"))
    assert when.sub("T", again) == when.sub("T", first)


def test_code_compiled_through_a_relative_path_names_its_file_where_it_is(tree: Path) -> None:
    """A .pyc compiled through a relative path (``python -m compileall src``) holds relative file
    names; a module served from the file names its source as the import system's loader would (a
    traceback, a test's report)."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", "src"], cwd=tree.parent, check=True, timeout=120)
    _run(tree, "-o", "/dev/null", "--", "/bin/true")  # (the file, from those .pyc)
    code = ("from syscope import bytecode\nimport syscope.errors as e\nassert 'syscope.errors' in bytecode._served\n"
            "print(e.progname.__code__.co_filename)\n")
    r = subprocess.run([sys.executable, "-c", code], env=_env(tree),
                       capture_output=True, text=True, check=True)
    assert r.stdout.strip() == str(tree / "syscope" / "errors.py")


def test_the_file_follows_the_pycache_prefix(tree: Path) -> None:
    """PYTHONPYCACHEPREFIX (sys.pycache_prefix): the .pyc files and this file go below that folder."""
    prefix = tree.parent / "prefix"
    for _ in range(2):
        subprocess.run([sys.executable, "-c", _REPORT, "-o", "/dev/null", "--", "/bin/true"], check=True, timeout=60,
                       env={**_env(tree), "PYTHONPYCACHEPREFIX": str(prefix),
                            "REPORT": str(tree.parent / "served")})
    cached = prefix / str(tree / "syscope").lstrip(os.sep) / f"bytecode.{sys.implementation.cache_tag}.bin"
    assert cached.exists() and not _cache(tree).exists()
    assert "syscope.lean" in (tree.parent / "served").read_text().split()


def test_syscope_bytecode_names_the_file(tree: Path) -> None:
    """SYSCOPE_BYTECODE: the file where it says (the suite's own runs keep theirs out of the tree so)."""
    elsewhere = tree.parent / "elsewhere" / "cache.bin"
    for _ in range(2):
        subprocess.run([sys.executable, "-c", _REPORT, "-o", "/dev/null", "--", "/bin/true"], check=True, timeout=60,
                       env={**_env(tree), "SYSCOPE_BYTECODE": str(elsewhere),
                            "REPORT": str(tree.parent / "served")})
    assert elsewhere.exists() and not _cache(tree).exists()
    assert "syscope.lean" in (tree.parent / "served").read_text().split()
