"""Fixtures shared by every kind of test."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

BuildC = Callable[..., Path]

# Bytecode of this session's imports and of every syscope the tests start goes to a folder of its
# own, removed at the end, not into src/**/__pycache__ (PYTHONPYCACHEPREFIX, sys.pycache_prefix;
# the caller's own choice is kept).  Compiled once a session, as an installed package would be.
if not os.environ.get("PYTHONPYCACHEPREFIX"):
    _PYCACHE: str | None = tempfile.mkdtemp(prefix="syscope-tests-pycache-")
    os.environ["PYTHONPYCACHEPREFIX"] = sys.pycache_prefix = _PYCACHE
else:
    _PYCACHE = None


def pytest_unconfigure() -> None:
    if _PYCACHE is not None:
        shutil.rmtree(_PYCACHE, ignore_errors=True)


@pytest.fixture(scope="session")
def build_c(tmp_path_factory: pytest.TempPathFactory) -> BuildC:
    """``build_c(name, source, *gcc_flags) -> Path``: a tiny C tracee compiled once per session."""
    d = tmp_path_factory.mktemp("cprogs")

    def build(name: str, source: str, *flags: str) -> Path:
        exe = d / name
        if not exe.exists():
            src = d / f"{name}.c"
            src.write_text(source)
            subprocess.run(["gcc", *flags, "-o", str(exe), str(src)], check=True)
        return exe

    return build


@pytest.fixture(scope="session")
def podman_image(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A busybox image built by ``podman import`` for the tests that start real containers."""
    from tests.podman import build_image

    return build_image(tmp_path_factory.mktemp("image"))


@pytest.fixture(scope="session")
def strace_suite_tool() -> ModuleType:
    """tools/strace_suite.py (not a package) loaded as the module ``strace_suite``."""
    path = Path(__file__).resolve().parents[1] / "tools" / "strace_suite.py"
    spec = importlib.util.spec_from_file_location("strace_suite", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["strace_suite"] = module  # dataclasses look their module up while building the class
    spec.loader.exec_module(module)
    return module
