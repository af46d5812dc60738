#!/usr/bin/env python3
"""strace 6.1's own test suite with syscope as the tracer (issue 12): the conformance recipe.

strace's tests (tests/*.test, tests/*.gen.test) run ``$STRACE`` on small C programs that print
what strace must print, and diff.  This tool never ships strace's files: it fetches the source
package from Debian with a private apt sources list (the machine's apt configuration is left
alone), builds the test programs in a scratch folder outside the repository, then

1. runs each test with strace itself, to find the tests strace passes on this machine (the
   baseline, cached per strace binary), and
2. runs that set with ``STRACE=<a wrapper that runs syscope>``, and prints the pass rate and the
   failures grouped by cause (from the diff and log of each test).

A test is a hang when it runs past its time limit: ``--timeout``, or longer for a test strace itself
spends long on.  Some tests start the tracer thousands of times (filtering_syscall-syntax: ~7,900
option errors), so their run time is the tracer's start-up times the number of starts, and a
tracer that starts R times slower than strace (Python's start-up against a C program's) needs up
to R times strace's time on them without anything being stuck.  So the baseline records how long
strace took on each test (S), the run measures R (the tracer's wall-clock time against strace's on
an option error, a run that is nothing but start-up, median of alternated runs), and a test's
limit is ``max(--timeout, min(S x R, 1500))``: what the test needs if all of strace's time had been
tracer start-ups (the shell, diff and the test programs take the same time under both tracers, and
per call syscope is much less than R times slower, so a working tracer needs less), never beyond
the 1500 s that strace's own harness (tests/init.sh, TIMEOUT_DURATION) gives a test.

    tools/strace_suite.py                         baseline (cached), then syscope; summary
    tools/strace_suite.py --only alarm,chown      just these tests
    tools/strace_suite.py --list FILE --json OUT  tests named in FILE; results as JSON
    tools/strace_suite.py --build-only            fetch and build, run nothing
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import difflib
import fcntl
import hashlib
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

DEBIAN_VERSION = "6.1-0.1"  # strace in Debian 12 (bookworm): the strace syscope is compared with
UPSTREAM_VERSION = "6.1"
APT_SOURCE = "deb-src http://deb.debian.org/debian bookworm main"
DEFAULT_WORKDIR = Path("/var/tmp/syscope-strace-suite")
# --enable-bundled=yes: the test programs are compiled against the kernel headers strace 6.1
# bundles, not the machine's linux-libc-dev (bookworm's newer one renamed nexthop_grp.resvd1,
# and nlattr_nhmsg.c no longer compiles).  --enable-mpers=check: only tests/ is used (native
# personality), so a machine without gcc-multilib must not stop configure.
CONFIGURE_ARGS = ("--enable-bundled=yes", "--enable-mpers=check")
# tests/Makefile.am adds these only when configure finds libdw/libunwind; strace's -k is part of
# what syscope implements, so they are candidates anyway (the baseline tells if strace passes).
STACKTRACE_TESTS = ("strace-k.test", "strace-k-p.test", "strace-k-demangle.test")
BUILD_KEY = hashlib.sha256(" ".join((DEBIAN_VERSION, APT_SOURCE, *CONFIGURE_ARGS)).encode()).hexdigest()[:12]



class SuiteError(Exception):
    """A step of the recipe failed: one line for the user (details in the named log)."""


@dataclass
class Outcome:
    """One test run: status is pass, fail, skip (exit 77), hang (timed out) or error (exit 99)."""
    name: str
    status: str
    rc: int | None
    seconds: float
    output: str = ""
    cause: str = ""
    evidence: list[str] = field(default_factory=list)
    limit: float = 0.0  # seconds it had before it counted as a hang


# tests/init.sh: TIMEOUT_DURATION's default, strace's own harness limit for one test
STRACE_HARNESS_TIMEOUT = 1500.0


# --- fetch and build ------------------------------------------------------------------------

def _run(cmd: list[str], log: Path, cwd: Path | None = None, check: bool = True) -> int:
    with log.open("a") as f:
        f.write(f"$ {shlex.join(cmd)}\n")
        f.flush()
        rc = subprocess.run(cmd, cwd=cwd, stdout=f, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL).returncode
    if rc != 0 and check:
        raise SuiteError(f"{shlex.join(cmd[:3])} ... failed with code {rc} (see {log})")
    return rc


def fetch(workdir: Path, log: Path) -> Path:
    """Download and unpack strace's Debian source package; returns the unpacked tree.

    apt-get reads a private sources list and keeps its lists and cache under workdir, so the
    machine's /etc/apt and /var/lib/apt/lists are neither read for sources nor changed."""
    apt = workdir / "apt"
    for d in (apt / "lists" / "partial", apt / "cache" / "archives" / "partial"):
        d.mkdir(parents=True, exist_ok=True)
    sources = apt / "sources.list"
    sources.write_text(APT_SOURCE + "\n")
    opts = ["-o", f"Dir::Etc::SourceList={sources}", "-o", "Dir::Etc::SourceParts=/dev/null",
            "-o", f"Dir::State::Lists={apt / 'lists'}", "-o", f"Dir::Cache={apt / 'cache'}",
            # the download runs as root: apt would drop to _apt, which cannot write into workdir
            "-o", "APT::Sandbox::User=root"]
    download = workdir / "download"
    download.mkdir(exist_ok=True)
    _run(["apt-get", "-q", *opts, "update"], log)
    _run(["apt-get", "-q", *opts, "source", "--download-only", f"strace={DEBIAN_VERSION}"], log, cwd=download)
    tree = workdir / f"strace-{UPSTREAM_VERSION}"
    if tree.exists():
        shutil.rmtree(tree)
    # dpkg-source checks the tarballs against the .dsc checksums and applies Debian's patches
    _run(["dpkg-source", "-x", str(download / f"strace_{DEBIAN_VERSION}.dsc"), str(tree)], log)
    return tree


def make_vars(src: Path, names: Iterable[str]) -> dict[str, str]:
    """Values of tests/Makefile variables (what automake's test driver passes to each test)."""
    names = list(names)
    rule = "syscope-print-vars: ; @" + " ; ".join(f"echo '{n}='$({n})" for n in names)
    out = subprocess.run(["make", "-s", "--no-print-directory", "-C", str(src / "tests"), f"--eval={rule}",
                          "syscope-print-vars"], capture_output=True, text=True, check=True).stdout
    values = dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
    return {n: values.get(n, "").strip() for n in names}


def build(src: Path, log: Path, jobs: int) -> None:
    """./configure, then the test programs only (``make check TESTS=`` builds check_PROGRAMS and
    runs nothing).  make -k: a program that no longer compiles costs its own tests, which then
    fail under strace too and leave the baseline."""
    _run(["./configure", *CONFIGURE_ARGS], log, cwd=src)
    _run(["make", "-k", f"-j{jobs}", "-C", "tests", "check", "TESTS="], log, cwd=src, check=False)
    programs = make_vars(src, ["check_PROGRAMS"])["check_PROGRAMS"].split()
    missing = [p for p in programs if not (src / "tests" / p).exists()]
    if not programs or len(missing) > len(programs) // 10:
        raise SuiteError(f"{len(missing)} of {len(programs)} test programs did not build (see {log})")


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    # two test sessions (or a session and a manual run) may build the same cache at once
    with path.open("a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def ensure_built(workdir: Path, jobs: int = 2, say: Callable[[str], None] = print) -> Path:
    """The built strace tree under workdir/BUILD_KEY, fetched and built once (then cached)."""
    base = workdir / f"{DEBIAN_VERSION}-{BUILD_KEY}"
    base.mkdir(parents=True, exist_ok=True)
    stamp = base / "built"
    with _locked(base / "lock"):
        tree = base / f"strace-{UPSTREAM_VERSION}"
        if stamp.exists() and tree.is_dir():
            return tree
        log = base / "build.log"
        log.write_text("")
        start = time.monotonic()
        say(f"fetching strace {DEBIAN_VERSION} into {base} ...")
        tree = fetch(base, log)
        say(f"building its tests (log: {log}) ...")
        build(tree, log, jobs)
        stamp.write_text(f"{time.monotonic() - start:.1f} seconds\n")
        say(f"fetched and built in {time.monotonic() - start:.0f} s")
        return tree


def all_tests(src: Path) -> list[str]:
    """Every test script of tests/Makefile.am's TESTS, plus the stack-trace ones."""
    names = make_vars(src, ["TESTS"])["TESTS"].split()
    names += [t for t in STACKTRACE_TESTS if t not in names and (src / "tests" / t).exists()]
    return names


def test_env(src: Path) -> dict[str, str]:
    """The environment automake's driver gives a test (tests/Makefile.am AM_TEST_LOG_FLAGS)."""
    v = make_vars(src, ["ARCH", "NATIVE_ARCH", "SIZEOF_KERNEL_LONG_T", "SIZEOF_LONG", "MIPS_ABI"])
    env = {k: val for k, val in os.environ.items() if not k.startswith("STRACE") and k != "VERBOSE"}
    env.update(STRACE_ARCH=v["ARCH"], STRACE_NATIVE_ARCH=v["NATIVE_ARCH"],
               SIZEOF_KERNEL_LONG_T=v["SIZEOF_KERNEL_LONG_T"], SIZEOF_LONG=v["SIZEOF_LONG"],
               MIPS_ABI=v["MIPS_ABI"], srcdir=".", LC_ALL="C")
    return env


# --- running --------------------------------------------------------------------------------

def make_rundir(src: Path, dest: Path) -> Path:
    """A private tests/ tree of symlinks to the built one, so that runs (strace, syscope, two test
    sessions) do not share the NAME.dir folders init.sh creates; ../src is the built src/ (for
    config.h and strace-log-merge).  Returns the tests folder to run in."""
    tests = dest / "tests"
    tests.mkdir(parents=True)
    (dest / "src").symlink_to(src / "src")
    for entry in os.scandir(src / "tests"):
        if entry.name.endswith(".dir"):
            continue  # a test's scratch folder left by a manual run in the built tree
        (tests / entry.name).symlink_to(entry.path)
    return tests


def write_wrapper(dest: Path, tracer: list[str]) -> Path:
    """$STRACE for the tests: a script that runs the tracer command with the test's arguments.

    It is named ``strace`` (in the run's own folder), as a user who puts syscope in strace's place
    would: the tests take the tracer's process name to be strace's (``getppid() = PID<strace>``
    under -Y, strace-Y-0123456789 and strace--decode-pids-comm), and the kernel names a process
    after the file it runs."""
    wrapper = dest / "strace"
    if tracer[1:] == ["-m", "syscope"]:
        # a launcher as pip writes for a console script, so that the tracer's argv[0] is $STRACE
        # and its messages start with it as strace's start with its own argv[0] ("$STRACE_EXE: ...")
        wrapper.write_text(f"#!{tracer[0]}\nimport sys\n\nfrom syscope.cli.main import console_entry\n\n"
                           "sys.exit(console_entry())\n")
    else:
        wrapper.write_text(f"#!/bin/sh\nexec {shlex.join(tracer)} \"$@\"\n")
    wrapper.chmod(0o755)
    return wrapper


def with_bytecode(python: str, env: dict[str, str], cache: Path) -> dict[str, str]:
    """The tests' environment with syscope's modules compiled once into ``cache`` (the run's
    scratch folder, removed with it; PYTHONPYCACHEPREFIX), as pip compiles an installed package.

    Without it, a session with PYTHONDONTWRITEBYTECODE set (or a tree it cannot write) compiles
    every module the tracer imports from source at each of the thousands of tracer runs of a
    test such as filtering_syscall-syntax (~200 ms each instead of tens): what would be measured
    is Python's compiler, not the tracer.  The source tree itself is not written to.

    With a prefix Python looks there for the bytecode of *every* module, the standard library's
    too (argparse, re, enum, typing, json ...), so PYTHONDONTWRITEBYTECODE is dropped: the first
    run writes their bytecode into the prefix as well, and the runs after it load it (else each
    run compiled those from source: ~90 ms of CPU a start, 3x what the tracer's start costs)."""
    if env.get("PYTHONPYCACHEPREFIX"):
        return env  # the caller chose where bytecode lives
    env = dict(env, PYTHONPYCACHEPREFIX=str(cache))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    where = subprocess.run([python, "-c", "import os, syscope; print(os.path.dirname(syscope.__file__))"],
                           env=env, capture_output=True, text=True)
    if where.returncode == 0:
        subprocess.run([python, "-m", "compileall", "-q", where.stdout.strip()], env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return env


_RUNNING: set[int] = set()  # process groups of the tests running now (killed when interrupted)


def time_limit(timeout: float, strace_seconds: float | None, ratio: float | None) -> float:
    """A test's hang limit (see the module's docstring): ``timeout``, or strace's own time on the
    test scaled by the tracer's start-up ratio, up to strace's harness limit."""
    if strace_seconds is None or ratio is None:
        return timeout
    return max(timeout, min(strace_seconds * max(ratio, 1.0), STRACE_HARNESS_TIMEOUT))


def startup_ratio(tracer: str, env: dict[str, str], rounds: int = 7) -> float | None:
    """How many times longer ``tracer`` takes than strace to start and refuse a bad ``-e``
    (wall clock, median of alternated runs): all of such a run is start-up, nothing is traced."""
    strace = shutil.which("strace")
    if strace is None:
        return None
    argv = ["-e", "trace=%syscope_suite_probe", "/bin/true"]  # "invalid system call" from both
    times: dict[str, list[float]] = {strace: [], tracer: []}
    for _ in range(rounds):
        for cmd in times:
            start = time.monotonic()
            subprocess.run([cmd, *argv], env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
            times[cmd].append(time.monotonic() - start)
    ours, theirs = sorted(times[tracer])[rounds // 2], sorted(times[strace])[rounds // 2]
    return ours / theirs if theirs > 0 else None


def run_one(tests: Path, name: str, strace: str, env: dict[str, str], timeout: float) -> Outcome:
    """Runs ./run.sh ./NAME in its own session; a test still running after timeout is a hang (its
    whole process group is killed, tracer and tracees with it)."""
    env = dict(env, STRACE=strace, TIMEOUT_DURATION=str(int(timeout)))
    start = time.monotonic()
    proc = subprocess.Popen(["./run.sh", f"./{name}"], cwd=tests, env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    _RUNNING.add(proc.pid)
    try:
        # run.sh's own `timeout -s XCPU` fires first; this catches a tracer that ignores it
        out, _ = proc.communicate(timeout=timeout + 15)
        hung = False
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        hung = True
    seconds = time.monotonic() - start
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)  # anything the test left behind in its group
    _RUNNING.discard(proc.pid)
    text = out.decode(errors="replace")
    rc = proc.returncode
    if hung or rc == 124 or f"time limit ({int(timeout)}) exceeded" in text:
        status = "hang"
    else:
        status = {0: "pass", 77: "skip", 99: "error"}.get(rc, "fail")
    test = tests / f"{name.removesuffix('.test').removesuffix('.gen')}.dir"
    shutil.rmtree(test.resolve() if test.is_symlink() else test, ignore_errors=True)
    return Outcome(name, status, rc, round(seconds, 2), _compact(text), limit=timeout)


def _compact(text: str, keep: int = 40) -> str:
    """A test's output with each diff hunk cut to its first ``keep`` removed (expected) and first
    ``keep`` added (printed) lines: a hunk of 700 lines of each still shows both sides' start,
    which is what tells the cause, and the verdict at the end stays."""
    out: list[str] = []
    minus = plus = 0
    for line in text.splitlines():
        if line.startswith("@@"):
            minus = plus = 0
        elif line.startswith("-") and not line.startswith("--- "):
            minus += 1
            if minus > keep:
                continue
        elif line.startswith("+") and not line.startswith("+++ "):
            plus += 1
            if plus > keep:
                continue
        out.append(line)
    text = "\n".join(out)
    return text if len(text) <= 40000 else text[:36000] + "\n[...]\n" + text[-4000:]


def run_many(src: Path, names: list[str], tracer: list[str] | None, jobs: int, timeout: float,
             rundir: Path, progress: Callable[[int, int], None] | None = None,
             strace_seconds: dict[str, float | None] | None = None,
             say: Callable[[str], None] | None = None) -> dict[str, Outcome]:
    """Runs the named tests with strace (tracer None: the strace on PATH) or a tracer command.
    ``strace_seconds`` (strace's own run time of each test, from the baseline) lengthens the
    time limit of the tests strace is slow on, by the tracer's start-up ratio (time_limit)."""
    rundir.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="run-", dir=rundir))
    try:
        tests = make_rundir(src, scratch)
        strace = shutil.which("strace") if tracer is None else str(write_wrapper(scratch, tracer))
        if strace is None:
            raise SuiteError("strace is not installed (scripts/setup.sh installs it)")
        env = test_env(src)
        if tracer is not None and tracer[1:] == ["-m", "syscope"]:
            env = with_bytecode(tracer[0], env, scratch / "pycache")
        limits = {n: timeout for n in names}
        known = {n: t for n, t in (strace_seconds or {}).items() if n in limits and t is not None}
        if tracer is not None and known:
            ratio = startup_ratio(strace, env)
            limits.update({n: time_limit(timeout, t, ratio) for n, t in known.items()})
            if say is not None and ratio is not None:
                longer = sorted((n for n in limits if limits[n] > timeout), key=lambda n: -limits[n])
                say(f"tracer start-up: {ratio:.1f}x strace's; longer limits: "
                    + (", ".join(f"{n} {limits[n]:.0f} s" for n in longer[:5]) or "none"))
        results: dict[str, Outcome] = {}
        pool = concurrent.futures.ThreadPoolExecutor(max_workers=jobs)
        try:
            futures = [pool.submit(run_one, tests, n, strace, env, limits[n]) for n in names]
            for fut in concurrent.futures.as_completed(futures):
                o = fut.result()
                results[o.name] = o
                if progress is not None:
                    progress(len(results), len(names))
        except BaseException:
            # ^C or SIGTERM: no test is started any more, and the running ones die with their tracers
            pool.shutdown(wait=False, cancel_futures=True)
            for group in list(_RUNNING):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(group, signal.SIGKILL)
            raise
        finally:
            pool.shutdown(wait=True)
        return {n: results[n] for n in names}
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


# --- classifying ----------------------------------------------------------------------------

_TOKEN = re.compile(r"-?0x[0-9a-fA-F]+|-?\d+|[A-Za-z_][A-Za-z0-9_]*|/\*|\*/|\?\?\?|\S")
_NUMBER = re.compile(r"-?(0x[0-9a-fA-F]+|\d+)$")


def _changed_pairs(output: str) -> list[tuple[str, str]]:
    """(expected, got) line pairs of the first hunks of the diff -u in a test's output; a line with
    no partner pairs with ''."""
    pairs: list[tuple[str, str]] = []
    minus: list[str] = []
    plus: list[str] = []

    def flush() -> None:
        # each expected line with the most similar line syscope printed in the same hunk (the hunk
        # may also hold lines one side has and the other has not)
        free = plus[:60]
        for exp in minus[:30]:
            # same call name first: a hunk of many similar lines pairs in a few steps
            call = exp.split("(", 1)[0]
            same = [got for got in free if got.split("(", 1)[0] == call][:8]
            pool = same or free[:8]
            best = max(pool, key=lambda got: difflib.SequenceMatcher(None, exp, got).ratio(), default=None)
            if best is not None and (same or difflib.SequenceMatcher(None, exp, best).ratio() > 0.5):
                free.remove(best)
                pairs.append((exp, best))
            else:
                pairs.append((exp, ""))
        pairs.extend(("", got) for got in free)
        minus.clear()
        plus.clear()

    for line in output.splitlines()[:2000]:  # the first hunks are enough to tell the cause
        if line.startswith(("--- ", "+++ ")) and not line.startswith(("+++ exited", "--- SIG")):
            continue
        if line.startswith("-") and not line.startswith("--- "):
            if plus:
                flush()
            minus.append(line[1:])
        elif line.startswith("+"):
            plus.append(line[1:])
        else:
            flush()
    flush()
    return pairs


_RAW_CALL = re.compile(r"\w+\((?:-?(?:0x[0-9a-f]+|\d+)(?:, -?(?:0x[0-9a-f]+|\d+))*)?\) +=")


def _pair_cause(expected: str, got: str) -> str | None:
    if not expected or not got:
        return None
    if _RAW_CALL.match(got) and not _RAW_CALL.match(expected):
        if _RAW_CALL.match(re.sub(r"\bNULL\b", "0", expected)):
            return "NULL vs 0"
        return "call not decoded"  # syscope printed every argument as a bare number
    if "_IOC(" in got or (expected.startswith("ioctl(") and got.startswith("ioctl(")
                          and expected.split(",")[:2] != got.split(",")[:2]):
        return "ioctl names"
    a, b = _TOKEN.findall(expected), _TOKEN.findall(got)
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        ea, gb = a[i1:i2], b[j1:j2]
        if "NULL" in ea and "0" in gb:
            return "NULL vs 0"
        if "???" in gb and any(re.fullmatch(r"[A-Z][A-Z0-9_]+", t) for t in ea) and "???" not in ea:
            return "constant names"  # strace knows a name syscope's tables lack
        if {"/*", "*/", "???"} & set(ea + gb):
            return "unknown-value comment forms"
        if ea and gb and all(_NUMBER.match(t) for t in ea + gb):
            return "number width/base"
    return None


def classify(o: Outcome) -> tuple[str, list[str]]:
    """The cause of a failure and the lines that show it (expected line first, prefixed - / +)."""
    text = o.output
    if o.status == "hang":
        return "hang", [f"(limit {o.limit:.0f} s)", *text.splitlines()[-3:]]
    if "Traceback (most recent call last)" in text:
        tail = [line for line in text.splitlines() if line.strip()]
        return "traceback", tail[-3:]
    # cli.common.ArgParser's one-line errors (argparse's messages behind "syscope: ")
    m = re.search(r"^\+?syscope: (?:error: )?(?:unrecognized arguments|argument -\S+: (?:invalid|expected)|"
                  r"ambiguous option|the following arguments|not allowed with).*$", text, re.M)
    if m:
        return "option rejected", [m.group(0).lstrip("+")]
    m = re.search(r"^\+?syscope: (.* is not supported by syscope yet)$", text, re.M)
    if m:
        return "option not supported yet", [m.group(0).lstrip("+")]
    pairs = _changed_pairs(text)
    # the cause of most of the first differing lines (a test prints many calls; one fix rarely
    # makes all of them agree, but the commonest difference is the one to fix first)
    found: dict[str, list[str]] = {}
    for expected, got in pairs[:40]:
        cause = _pair_cause(expected, got)
        if cause:
            found.setdefault(cause, [])
            found[cause] += [f"-{expected}", f"+{got}"]
    if found:
        cause = max(found, key=lambda c: len(found[c]))  # ties: the first seen
        return cause, found[cause][:2]
    if pairs:
        expected, got = pairs[0]
        if re.search(r"\bstrace: |syscope: ", expected + got):
            return "error message", [f"-{expected}", f"+{got}"]
        if not got or not expected:
            return "missing lines", [f"-{expected}" if expected else f"+{got}"]
        return "other", [f"-{expected}", f"+{got}"]
    fail = [line for line in text.splitlines() if "failed test" in line or "FAIL" in line]
    return "other", (fail or text.splitlines())[-2:]


# --- baseline cache, report -----------------------------------------------------------------

def strace_identity() -> str:
    """Which strace the baseline belongs to (path + version line + binary size)."""
    path = shutil.which("strace")
    if path is None:
        return "none"
    version = subprocess.run([path, "-V"], capture_output=True, text=True).stdout.splitlines()[:1]
    size = os.stat(path).st_size
    return hashlib.sha256(f"{path} {version} {size} {os.uname().release}".encode()).hexdigest()[:12]


def baseline(src: Path, names: list[str], workdir: Path, jobs: int, timeout: float, refresh: bool,
             say: Callable[[str], None]) -> dict[str, tuple[str, float | None]]:
    """name -> (status, seconds) under strace itself, cached per (build, strace binary, kernel).
    A cache written before run times were recorded holds the status alone (seconds None: that
    test keeps --timeout as its limit; --rebaseline records them all)."""
    cache = src.parent / f"baseline-{strace_identity()}.json"
    known: dict[str, object] = {} if refresh or not cache.exists() else json.loads(cache.read_text())
    todo = [n for n in names if n not in known]
    if todo:
        say(f"baseline: running {len(todo)} tests with strace ...")
        for name, o in run_many(src, todo, None, jobs, timeout, workdir / "runs", _progress(say)).items():
            known[name] = {"status": o.status, "seconds": o.seconds}
        cache.write_text(json.dumps(known, indent=0, sort_keys=True))
    out: dict[str, tuple[str, float | None]] = {}
    for n in names:
        entry = known[n]
        out[n] = (str(entry["status"]), entry.get("seconds")) if isinstance(entry, dict) else (str(entry), None)
    return out


def _progress(say: Callable[[str], None]) -> Callable[[int, int], None]:
    def tick(done: int, total: int) -> None:
        if done % 100 == 0 or done == total:
            say(f"  {done}/{total}")
    return tick


def summarize(results: dict[str, Outcome], examples: int = 4) -> str:
    passed = [o for o in results.values() if o.status == "pass"]
    failed = [o for o in results.values() if o.status != "pass"]
    total = len(results)
    lines = [f"syscope passes {len(passed)} of {total} tests that strace passes here"
             f" ({100.0 * len(passed) / total if total else 0.0:.1f}%)"]
    by_cause: dict[str, list[Outcome]] = {}
    for o in failed:
        by_cause.setdefault(o.cause, []).append(o)
    for cause in sorted(by_cause, key=lambda c: (-len(by_cause[c]), c)):
        group = by_cause[cause]
        lines.append(f"\n{cause}: {len(group)}")
        lines.append("  " + " ".join(sorted(o.name for o in group)))
        for o in group[:examples]:
            lines.append(f"  e.g. {o.name}:")
            lines.extend(f"      {e[:200]}" for e in o.evidence)
    return "\n".join(lines)


def _names(args: argparse.Namespace, everything: list[str]) -> list[str]:
    wanted: list[str] = []
    if args.only:
        wanted += [n for part in args.only for n in part.replace(",", " ").split()]
    if args.list:
        for line in Path(args.list).read_text().splitlines():
            line = line.split("#", 1)[0].strip()
            if line:
                wanted.append(line.split()[0])
    if not wanted:
        return everything
    return list(dict.fromkeys(full_name(n, everything) for n in wanted))


def full_name(name: str, everything: Iterable[str]) -> str:
    """The script of a test named with or without its .gen.test / .test suffix."""
    known = set(everything)
    for candidate in (name, f"{name}.gen.test", f"{name}.test"):
        if candidate in known:
            return candidate
    raise SuiteError(f"no test named {name!r} in strace {UPSTREAM_VERSION}'s suite")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="strace_suite.py", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--only", action="append", metavar="NAMES", help="comma-separated test names (alarm, "
                   "alarm.gen.test, strace-V.test); repeatable")
    p.add_argument("--list", metavar="FILE", help="test names in FILE, one per line (# comments)")
    p.add_argument("--jobs", type=int, default=2, help="tests run in parallel (default 2)")
    p.add_argument("--timeout", type=float, default=60.0,
                   help="seconds before a test is a hang (default 60); longer for the tests strace itself "
                        "is slow on, by the tracer's start-up ratio, up to strace's 1500 (see above)")
    p.add_argument("--json", metavar="OUT", help="write every result (status, cause, output) to OUT")
    p.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR,
                   help=f"where the source is fetched and built, and runs happen (default {DEFAULT_WORKDIR})")
    p.add_argument("--tracer", default=f"{sys.executable} -m syscope",
                   help="the command that plays strace (default: this Python's -m syscope)")
    p.add_argument("--no-baseline", action="store_true",
                   help="run the named tests with syscope without first checking that strace passes them")
    p.add_argument("--rebaseline", action="store_true", help="run strace again instead of its cached results")
    p.add_argument("--build-only", action="store_true", help="fetch and build, then stop")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # cleaned up as ^C is

    def say(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    try:
        src = ensure_built(args.workdir.resolve(), args.jobs, say)
        if args.build_only:
            return 0
        names = _names(args, all_tests(src))
        strace_seconds: dict[str, float | None] = {}
        if args.no_baseline:
            selected = names
        else:
            base = baseline(src, names, args.workdir, args.jobs, args.timeout, args.rebaseline, say)
            selected = [n for n in names if base[n][0] == "pass"]
            strace_seconds = {n: base[n][1] for n in selected}
            say(f"baseline: strace passes {len(selected)} of {len(names)} tests "
                f"({sum(st == 'skip' for st, _ in base.values())} skipped)")
        say(f"running {len(selected)} tests with {args.tracer} ...")
        results = run_many(src, selected, shlex.split(args.tracer), args.jobs, args.timeout,
                           args.workdir / "runs", _progress(say), strace_seconds, say)
    except SuiteError as exc:
        print(f"strace_suite: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("strace_suite: interrupted", file=sys.stderr)
        return 130
    for o in results.values():
        if o.status != "pass":
            o.cause, o.evidence = classify(o)
    print(summarize(results))
    if args.json:
        Path(args.json).write_text(json.dumps({
            "strace_version": DEBIAN_VERSION, "tracer": args.tracer, "total": len(results),
            "passed": sum(o.status == "pass" for o in results.values()),
            "results": [asdict(o) for o in results.values()]}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
