"""What a traced run's start-up leaves out stays out: the modules of a real traced run.

typing (syscope.typenames), functools and importlib (syscope.lean), json and decode/spec.py (the
generated tables are Python modules the generators in tools/ write), argparse with gettext and
locale (cli/trace_fastargs.py) and re (compiled patterns only for -e values that need them) cost
every tracer start-up milliseconds of CPU (docs/trace.md)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"


def _modules_of_run(tmp_path: Path, *argv: str, c_lines: bool = True, one_cpu: bool = False) -> set[str]:
    """The modules of a traced run, with the C extension's lines or (``c_lines`` False:
    SYSCOPE_C_LINES=0) every call decoded in Python; ``one_cpu``: tracer and tracee on one CPU."""
    report = tmp_path / "modules"
    pin = "import os\nos.sched_setaffinity(0, {min(os.sched_getaffinity(0))})\n" if one_cpu else ""
    code = (pin + "import sys\nfrom syscope.cli.main import main\ncode = main(sys.argv[1:])\n"
            f"open({str(report)!r}, 'w').write(' '.join(sorted(sys.modules)))\nsys.exit(code)\n")
    env = {**os.environ, "PYTHONPATH": str(SRC), "SYSCOPE_C_LINES": "1" if c_lines else "0"}
    r = subprocess.run([sys.executable, "-c", code, *argv], env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return set(report.read_text().split())


# signal's Signals/Handlers enums (the tracer uses _signal's ints); ctypes: the C extension makes
# the engine's ptrace requests (scripts/setup.sh builds it; test_trace_stops checks the ctypes
# fallback, and that the extension is built)
_LEFT_OUT = {"typing", "json", "syscope.decode.spec", "argparse", "gettext", "locale", "re",
             "signal", "enum", "ctypes",
             # syscope/lean.py's cache and import_module (functools imports collections), heapq
             # (-e inject= delays), types (typenames and trace_fastargs find its two classes);
             # collections.abc's names only annotate (fmt's Mapping is _collections_abc's)
             "functools", "importlib", "warnings", "types", "heapq", "collections", "collections.abc",
             "operator",
             # what only some options need: -D, -p, -Y's pid namespaces
             "syscope.cli.daemonize", "syscope.sources.attach", "syscope.decode.pidns",
             # $PATH's lookup of a bare command name (command.py _search_path: shutil.which's
             # import, with re, fnmatch, bz2 and lzma, was ~20 M instructions)
             "shutil",
             # -c's table (sinks/summary.py: its row a plain class, its Literal types the checker's)
             "dataclasses", "inspect"}

_PARSER = {"syscope.filters.strace_expr", "syscope.filters.strace_sets", "syscope.sources.ptrace.inject",
           "syscope.filters.subcalls"}  # (the i386 multiplexers' calls in a parsed set)


def test_a_traced_run_leaves_out_what_it_does_not_need(tmp_path: Path) -> None:
    # the python workload of benchmarks/trace_dd.py, every call decoded in Python: ioctl (its
    # tables, their names), fcntl, rt_sigaction...
    modules = _modules_of_run(tmp_path, "-o", os.devnull, "--", sys.executable, "-S", "-c", "import os; os.isatty(0)",
                              c_lines=False)
    assert "syscope.decode.ioctl.tables" in modules and "syscope.decode.ioctl.names" in modules
    assert not _LEFT_OUT & modules
    # without -e, -z, -Z: the -e parser, its set language and the tampering records
    # (filters/trace_spec.py)
    assert not _PARSER & modules


def test_a_filtered_run_leaves_out_the_same(tmp_path: Path) -> None:
    modules = _modules_of_run(tmp_path, "-o", os.devnull, "-e", "trace=%file,read", "-s", "40", "-tt",
                              "--", "true")  # (a bare name: looked up in $PATH)
    assert "syscope.sources.ptrace.engine" in modules and "syscope.decode.cplans" in modules  # it traced
    assert _PARSER <= modules  # -e was parsed
    assert not _LEFT_OUT & modules


def test_a_summary_run_leaves_out_the_same(tmp_path: Path) -> None:
    out = tmp_path / "table"
    modules = _modules_of_run(tmp_path, "-c", "-o", str(out), "--", "true")
    assert "calls" in out.read_text() and "syscope.sinks.summary" in modules  # it counted
    assert not _LEFT_OUT & modules


# the decoder, its kinds, tables and C format compiler, and the eBPF capture plan late_decode.py
# read: imported when a call first needs Python's decoding (decode/cplans.py)
_DECODER = {"syscope.decode.decoder", "syscope.decode.base", "syscope.decode.fmt", "syscope.decode.kinds",
            "syscope.decode.sigs", "syscope.decode.widths", "syscope.decode.structs", "syscope.decode.registry",
            "syscope.decode.cformat", "syscope.decode.consts_x86_64", "syscope.sources.ebpf.trace_plan"}
# the calls of a dynamically linked /bin/true, all of which the C extension formats (execve,
# brk, arch_prctl, prlimit64, exit_group... too): the same run traced whole, and these alone
_C_FORMATTED = "openat,read,pread64,close,mmap,mprotect,munmap,newfstatat,access,brk"


# -f: while the tree is one task the extension keeps a call's first entry too, execve's and
# exit_group's among them (only the calls that may make a task stay Python's: lines.py _spawning)
@pytest.mark.parametrize("select", [[], ["-e", f"trace={_C_FORMATTED}"], ["-f"]], ids=["whole", "selected", "f"])
def test_a_run_whose_calls_the_extension_formats_imports_no_decoder(tmp_path: Path, select: list[str]) -> None:
    out = tmp_path / "trace"
    modules = _modules_of_run(tmp_path, "-o", str(out), *select, "--", "/bin/true")
    text = out.read_text()
    assert 'openat(AT_FDCWD, "' in text and "mmap(NULL, " in text and "close(3)" in text  # it traced
    assert "syscope.sources.ptrace.engine" in modules and "syscope.decode.cplans" in modules
    assert not {m for m in modules if m.startswith(tuple(_DECODER))}


def test_the_python_workload_imports_no_decoder(tmp_path: Path) -> None:
    """benchmarks/trace_dd.py's python workload: getrandom, futex, sysinfo, ioctl's TCGETS... are
    all the C extension's lines; without them (SYSCOPE_C_LINES=0) the decoder comes back."""
    argv = ["-o", str(tmp_path / "trace"), "--", sys.executable, "-c", "import json, email, http.client"]
    modules = _modules_of_run(tmp_path, *argv)
    assert "futex(" in (tmp_path / "trace").read_text()
    assert not {m for m in modules if m.startswith(tuple(_DECODER))}
    assert "syscope.decode.decoder" in _modules_of_run(tmp_path, *argv, c_lines=False)


def test_a_run_with_a_call_the_extension_does_not_format_imports_the_decoder(tmp_path: Path) -> None:
    """(and the line is Python's: the same run, its one call without a C form added)"""
    out = tmp_path / "trace"
    modules = _modules_of_run(tmp_path, "-o", str(out), "-e", f"trace={_C_FORMATTED},sched_getscheduler", "--",
                              "/usr/bin/python3", "-S", "-c", "import os; os.sched_getscheduler(0)")
    assert "sched_getscheduler(0)" in out.read_text()
    assert {"syscope.decode.decoder", "syscope.decode.base", "syscope.decode.registry"} <= modules


def test_a_long_run_to_a_file_imports_no_decoder(tmp_path: Path) -> None:
    """10,000 calls make ~300 KB of lines, many times the extension's buffer (64 KiB): the engine
    takes them while the next still fit (_stops.c wait_call), or a line that did not fit would be
    Python's, and the decoder's ~30 modules with it.  On one CPU: on two the engine's measured
    windows of stops (waiting.py) bring the extension back to Python now and then anyway."""
    out = tmp_path / "trace"
    modules = _modules_of_run(tmp_path, "-o", str(out), "--", sys.executable, "-S", "-c",
                              "import os\nfor _ in range(10000): os.getppid()", one_cpu=True)
    assert len([line for line in out.read_text().splitlines() if line.startswith("getppid()")]) == 10000
    assert not {m for m in modules if m.startswith(tuple(_DECODER))}


def test_a_signals_line_imports_no_decoder(tmp_path: Path) -> None:
    """``--- SIGCHLD {...} ---``: decode/siginfo.py names its codes from the tables made ahead
    (decode/cplans_<arch>.py SIGINFO) and its numbers with decode/plain.py, not with fmt and the
    constant tables (~5.7 M instructions at a traced run's first signal)."""
    out = tmp_path / "trace"
    modules = _modules_of_run(tmp_path, "-o", str(out), "--", sys.executable, "-S", "-c",
                              "import os\npid = os.fork()\nif not pid: os._exit(3)\nos.waitpid(pid, 0)")
    assert "--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=" in out.read_text()
    assert "si_status=3, si_utime=" in out.read_text()
    assert not {m for m in modules if m.startswith((*_DECODER, "syscope.decode.consts"))}
