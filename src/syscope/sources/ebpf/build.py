"""Rebuild ``syscope.bpf.o`` from ``syscope.bpf.c`` (and ``trace.bpf.o`` from ``trace.bpf.c``):
``python -m syscope.sources.ebpf.build [OUT]``.

The shipped object must be reproducible byte for byte from the committed source, so the command is
fixed: clang is run inside the source directory on the relative file name (BTF.ext line info records
the file name as given), with ``-fdebug-compilation-dir=.`` so no absolute directory is recorded,
and the DWARF sections are stripped afterwards (libbpf needs only .BTF/.BTF.ext for CO-RE; DWARF
would only carry more paths).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from syscope.errors import UnsupportedError

SOURCE = Path(__file__).with_name("syscope.bpf.c")
HEADER = Path(__file__).with_name("syscope_kernel.bpf.h")
OBJECT = Path(__file__).with_name("syscope.bpf.o")

CFLAGS = ["-O2", "-g", "-target", "bpf", "-D__TARGET_ARCH_x86", "-fdebug-compilation-dir=.",
          "-Wall", "-Werror", "-c"]


def _tool(names: tuple[str, ...]) -> str:
    for n in names:
        p = shutil.which(n)
        if p:
            return p
    raise UnsupportedError(f"cannot rebuild the BPF object: none of {', '.join(names)} is installed")


def build(out: Path = OBJECT, source: Path = SOURCE) -> Path:
    clang = _tool(("clang-14", "clang"))
    strip = _tool(("llvm-strip-14", "llvm-strip"))
    # the object's name follows its source's: syscope.bpf.c -> syscope.bpf.o, trace.bpf.c -> trace.bpf.o
    c_name, o_name = source.name, Path(source.name).with_suffix(".o").name
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / c_name
        shutil.copyfile(source, src)
        shutil.copyfile(HEADER, Path(tmp) / HEADER.name)  # the kernel types both programs include
        obj = Path(tmp) / o_name
        r = subprocess.run([clang, *CFLAGS, c_name, "-o", o_name], cwd=tmp,
                           capture_output=True, text=True)
        if r.returncode != 0:
            raise UnsupportedError("clang failed: " + (r.stderr.strip().splitlines() or ["?"])[-1])
        r = subprocess.run([strip, "-g", o_name], cwd=tmp, capture_output=True, text=True)
        if r.returncode != 0:
            raise UnsupportedError("llvm-strip failed: " + r.stderr.strip())
        shutil.copyfile(obj, out)
    return out


TRACE_SOURCE = Path(__file__).with_name("trace.bpf.c")
TRACE_OBJECT = Path(__file__).with_name("trace.bpf.o")


if __name__ == "__main__":
    # no argument: both shipped objects; one: syscope.bpf.o's rebuild into that file
    if len(sys.argv) > 1:
        print(build(Path(sys.argv[1])))
    else:
        print(build(OBJECT))
        print(build(TRACE_OBJECT, TRACE_SOURCE))
