"""Fixtures shared by every kind of test."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

BuildC = Callable[..., Path]


@pytest.fixture(scope="session", autouse=True)
def _bytecode_out_of_the_tree(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The syscope command lines the tests run keep their module cache (syscope/bytecode.py) in the
    session's folder, not in the tree's __pycache__ (they still read and write one, as users' do)."""
    os.environ["SYSCOPE_BYTECODE"] = str(tmp_path_factory.mktemp("bytecode") / "bytecode.bin")


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
