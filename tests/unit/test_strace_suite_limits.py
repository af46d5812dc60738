"""tools/strace_suite.py's hang limit: --timeout, or strace's own time on the test scaled by the
tracer's start-up ratio, never past strace's harness limit (tests/init.sh TIMEOUT_DURATION)."""

from __future__ import annotations

from types import ModuleType

import pytest


@pytest.fixture(scope="module")
def tool(strace_suite_tool: ModuleType) -> ModuleType:
    return strace_suite_tool


def test_fast_tests_keep_the_timeout(tool: ModuleType) -> None:
    # a test strace runs in 1 s needs no more than --timeout even at a 30x slower start-up
    assert tool.time_limit(120.0, 1.0, 30.0) == 120.0
    # no baseline time or no measured ratio: the timeout as given
    assert tool.time_limit(120.0, None, 30.0) == 120.0
    assert tool.time_limit(120.0, 77.0, None) == 120.0


def test_slow_tests_scale_with_strace_and_the_start_up_ratio(tool: ModuleType) -> None:
    assert tool.time_limit(120.0, 40.0, 20.0) == 800.0
    # a tracer that starts faster than strace is given strace's own time, not less
    assert tool.time_limit(10.0, 40.0, 0.5) == 40.0


def test_never_past_strace_harness_limit(tool: ModuleType) -> None:
    assert tool.time_limit(120.0, 77.0, 30.0) == tool.STRACE_HARNESS_TIMEOUT == 1500.0
    # an explicit --timeout beyond it still wins
    assert tool.time_limit(2000.0, 77.0, 30.0) == 2000.0
