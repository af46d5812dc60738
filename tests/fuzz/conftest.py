"""Prints how many inputs each parser was given (the fuzz figures of a run)."""

from __future__ import annotations

from typing import Any

from fuzz_harness import COUNTS  # tests/fuzz is on sys.path (pytest rootdir import mode)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if COUNTS:
        parts = ", ".join(f"{k} {v}" for k, v in sorted(COUNTS.items()))
        terminalreporter.write_line(f"fuzz inputs: {sum(COUNTS.values())} ({parts})")
