"""The Decoder on real tracees, line by line against strace 6.1 on the same C programs.

Both runs trace only the first process (no -f); addresses and pids are normalised."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from syscope.decode import DecodeOptions
from syscope.decode.sigs import SIGS

FIXTURES = Path(__file__).parent / "fixtures" / "decode"
sys.path.insert(0, str(FIXTURES))
import minitrace  # noqa: E402

_ADDR = re.compile(r"0x[0-9a-f]{5,}")
_RET = re.compile(r"\s+= ")
_INODE = re.compile(r"(pipe|socket|anon_inode):\[\d+\]")


def _pids(lines: list[str]) -> dict[str, str]:
    out = {}
    for line in lines:
        m = re.match(r"(getpid|set_tid_address|clone)\(.*\) = (\d+)$", line)
        if m:
            out[m.group(2)] = "PID" if m.group(1) != "clone" else "CHILD"
    return out


_CSTRING = re.compile(r'("(?:[^"\\]|\\.)*")')


def _normalise(lines: list[str], with_pids: bool = True) -> list[str]:
    pids = _pids(lines) if with_pids else {}
    out = []
    for line in lines:
        line = _INODE.sub(r"\1:[INODE]", _ADDR.sub("ADDR", line))
        # a pid is named outside the strings only: a number in the environment that happens
        # to equal the run's pid (CLOUD_SDK_VERSION=528.0.0) is the same under both tracers
        parts = _CSTRING.split(line)
        for i in range(0, len(parts), 2):
            for pid, tok in pids.items():
                parts[i] = re.sub(rf"\b{pid}\b", tok, parts[i])
        out.append("".join(parts))
    return out


_NUMBER = re.compile(r"\b(\d+)\b")


def _normalise_pair(want: list[str], got: list[str]) -> tuple[list[str], list[str]]:
    """Two traces of one program normalised, a pid named where the lines have each its run's pid
    at the same place only: a pid may be any number (strace's child 832, read's 832 ELF bytes)."""
    wp, gp = _pids(want), _pids(got)
    want, got = _normalise(want, False), _normalise(got, False)
    for i, (w, g) in enumerate(zip(want, got, strict=False)):
        wt, gt = _NUMBER.split(w), _NUMBER.split(g)
        if len(wt) == len(gt):
            for k in range(1, len(wt), 2):
                if wt[k] in wp and gp.get(gt[k]) == wp[wt[k]]:
                    wt[k] = gt[k] = wp[wt[k]]
            want[i], got[i] = "".join(wt), "".join(gt)
    return want, got


def _strace(exe: str, tmp: Path, opts: list[str]) -> list[str]:
    log = tmp / "strace.out"
    subprocess.run(["/usr/bin/strace", *opts, "-o", str(log), exe], check=False,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    lines = []
    for line in log.read_text().splitlines():
        if line.startswith("+++"):  # exit lines are the tracer's
            continue
        lines.append(line if line.startswith(" | ") else _RET.sub(" = ", line))
    return lines


def _compile(src: str, tmp: Path) -> str:
    # "calls.c:m32" builds the i386 variant (gcc-multilib), traced through the 32-bit table
    name, _, variant = src.partition(":")
    exe = tmp / (name.replace(".c", "") + variant)
    flags = ["-m32"] if variant == "m32" else []
    libs = ["-lutil"] if name == "ioctl.c" else []
    subprocess.run(["gcc", "-w", "-O0", *flags, "-o", str(exe), str(FIXTURES / name), *libs], check=True)
    return str(exe)


CASES = [
    ("calls.c", [], DecodeOptions()),
    ("flags.c", [], DecodeOptions()),
    ("structs.c", [], DecodeOptions()),
    ("calls.c", ["-s", "8"], DecodeOptions(string_limit=8)),
    ("calls.c", ["-x"], DecodeOptions(xflag=1)),
    ("calls.c", ["-xx"], DecodeOptions(xflag=2)),
    ("structs.c", ["-v"], DecodeOptions(verbose=True)),
    ("signals.c", [], DecodeOptions()),
    ("calls.c", ["-y"], DecodeOptions(decode_fds=1)),
    ("structs.c", ["-y"], DecodeOptions(decode_fds=1)),
    ("calls.c", ["-e", "read=3", "-e", "write=3,4"],
     DecodeOptions(read_fds=frozenset({3}), write_fds=frozenset({3, 4}))),
    ("calls.c", ["-e", "raw=openat,mmap,rt_sigaction"],
     DecodeOptions(raw=frozenset({"openat", "mmap", "rt_sigaction"}))),
    ("flags.c", ["-X", "raw"], DecodeOptions(raw_all=True)),
    ("flags.c", ["-X", "verbose"], DecodeOptions(xlat_verbose=True)),
    ("calls.c", ["-X", "verbose"], DecodeOptions(xlat_verbose=True)),
    ("structs.c", ["-X", "verbose"], DecodeOptions(xlat_verbose=True)),
    # verbose=none: every call (the decoder's signature table names every call it dereferences for)
    ("structs.c", ["-e", "verbose=none"], DecodeOptions(no_verbose=frozenset(SIGS))),
    ("iov.c", ["-e", "verbose=none"], DecodeOptions(no_verbose=frozenset(SIGS))),
    ("calls.c", ["-e", "verbose=!openat,rt_sigaction"],
     DecodeOptions(no_verbose=frozenset({"openat", "rt_sigaction"}))),
    ("iov.c", [], DecodeOptions()),
    ("misc.c", [], DecodeOptions()),
    ("ioctl.c", [], DecodeOptions()),
    ("structs.c", ["-e", "abbrev=!execve,newfstatat"],
     DecodeOptions(no_abbrev=frozenset({"execve", "newfstatat"}))),
    ("misc2.c", [], DecodeOptions()),
    ("iov.c", ["-s", "2"], DecodeOptions(string_limit=2)),
    ("uncommon.c", [], DecodeOptions()),
    ("uncommon.c", ["-s", "1"], DecodeOptions(string_limit=1)),
    ("uncommon.c", ["-v"], DecodeOptions(verbose=True)),
    ("uncommon.c", ["-e", "read=8", "-e", "write=6,8"],
     DecodeOptions(read_fds=frozenset({8}), write_fds=frozenset({6, 8}))),
    ("process.c", [], DecodeOptions()),
    ("process.c", ["-X", "verbose"], DecodeOptions(xlat_verbose=True)),
    ("process.c", ["-X", "raw"], DecodeOptions(raw_all=True)),
    ("calls.c:m32", [], DecodeOptions()),
    ("structs.c:m32", [], DecodeOptions()),
]


@pytest.fixture(autouse=True, scope="module")
def _remove_tmp_dec() -> Iterator[None]:
    """calls.c writes in /tmp/dec (its paths are fixed in the program): gone when the module is done."""
    yield
    shutil.rmtree("/tmp/dec", ignore_errors=True)


@pytest.mark.parametrize(("src", "sopts", "dopts"), CASES, ids=[f"{c[0]}{''.join(c[1])}" for c in CASES])
def test_lines_match_strace(tmp_path: Path, src: str, sopts: list[str], dopts: DecodeOptions) -> None:
    # the tracee writes /tmp/dec/...; give it a directory of its own
    os.makedirs("/tmp/dec", exist_ok=True)
    exe = _compile(src, tmp_path)
    want, got = _normalise_pair(_strace(exe, tmp_path, sopts), minitrace.trace([exe], dopts))
    diffs = [(w, g) for w, g in zip(want, got, strict=False) if w != g]
    assert len(want) == len(got), (want, got)
    assert not diffs, "\n".join(f"strace:  {w}\nsyscope: {g}" for w, g in diffs)
