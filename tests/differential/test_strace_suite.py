"""strace 6.1's own tests with syscope as ``$STRACE`` (tools/strace_suite.py), on a fixed subset.

strace_suite_subset.txt picks tests across the failure causes of issue 12 (long options, number
widths, NULL, unknown-value comments, ioctl names, ...); strace_suite_passing.txt lists those that
pass. A listed test that stops passing fails this test; the list only grows. The source is fetched
from Debian and built once under /var/tmp/syscope-strace-suite (cached, keyed by version)."""

from __future__ import annotations

import sys
from pathlib import Path
from types import ModuleType

import pytest

HERE = Path(__file__).resolve().parent
SUBSET = HERE / "strace_suite_subset.txt"
PASSING = HERE / "strace_suite_passing.txt"
TIMEOUT = 30.0  # seconds before a test counts as a hang; subset tests take ~1 s under syscope


def _names(path: Path) -> list[str]:
    out = []
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.append(line.split()[0])
    return out


@pytest.fixture(scope="module")
def tool(strace_suite_tool: ModuleType) -> ModuleType:
    return strace_suite_tool


@pytest.fixture(scope="module")
def source(tool: ModuleType) -> Path:
    return tool.ensure_built(tool.DEFAULT_WORKDIR, jobs=2, say=lambda text: print(text, file=sys.stderr))


@pytest.fixture(scope="module")
def results(tool: ModuleType, source: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    names = [tool.full_name(n, tool.all_tests(source)) for n in _names(SUBSET)]
    out = tool.run_many(source, names, [sys.executable, "-m", "syscope"], jobs=2, timeout=TIMEOUT,
                        rundir=tmp_path_factory.mktemp("strace-suite"))
    for o in out.values():
        if o.status != "pass":
            o.cause, o.evidence = tool.classify(o)
    print("\n" + tool.summarize(out, examples=1))
    return out


def test_lists_name_real_tests(tool: ModuleType, source: Path) -> None:
    everything = tool.all_tests(source)
    subset = _names(SUBSET)
    assert len(subset) >= 40 and len(set(subset)) == len(subset)
    for name in subset:
        tool.full_name(name, everything)  # raises for a name strace 6.1 does not have
    outside = sorted(set(_names(PASSING)) - set(subset))
    assert not outside, f"strace_suite_passing.txt names tests the subset does not run: {outside}"


def test_passing_tests_keep_passing(tool: ModuleType, source: Path, results: dict) -> None:
    everything = tool.all_tests(source)
    passing = {tool.full_name(n, everything) for n in _names(PASSING)}
    broken = {name: (o.status, o.cause, o.evidence) for name, o in results.items()
              if name in passing and o.status != "pass"}
    assert not broken, f"strace tests that passed with syscope fail now: {broken}"
    newly = sorted(name for name, o in results.items() if o.status == "pass" and name not in passing)
    if newly:
        print(f"now passing too (add them to {PASSING.name}): {' '.join(newly)}")


def test_every_failure_shows_its_lines(results: dict) -> None:
    # the cause table is only useful to whoever fixes it if each failure carries its evidence
    unexplained = [name for name, o in results.items() if o.status != "pass" and not (o.cause and o.evidence)]
    assert not unexplained, unexplained
