"""Hypothesis's storage out of the tree, and the fuzz figures of a run."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from typing import Any

from fuzz_harness import COUNTS  # tests/fuzz is on sys.path (pytest rootdir import mode)
from hypothesis import configuration

# Hypothesis keeps caches (the constants of the code under test, unicode tables) in .hypothesis/
# of the working directory from the moment the fuzz modules are imported: tests write nothing
# into the tree and leave nothing in /tmp, so they go to a temporary directory removed at the end.
_HOME = tempfile.mkdtemp(prefix="syscope-hypothesis-")
configuration.set_hypothesis_home_dir(_HOME)
atexit.register(shutil.rmtree, _HOME, ignore_errors=True)


def pytest_unconfigure(config: Any) -> None:
    shutil.rmtree(_HOME, ignore_errors=True)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if COUNTS:
        parts = ", ".join(f"{k} {v}" for k, v in sorted(COUNTS.items()))
        terminalreporter.write_line(f"fuzz inputs: {sum(COUNTS.values())} ({parts})")
