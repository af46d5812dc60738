#!/usr/bin/env python3
"""Generate src/syscope/decode/consts_<arch>.json: flag and enum values taken from the installed
kernel UAPI headers (linux-libc-dev) by compiling a C program that prints them.  aarch64 takes
the arm64 UAPI headers of linux-libc-dev-arm64-cross (/usr/aarch64-linux-gnu/include) ahead of the
native ones: the values are plain constants, so the program still runs natively (glibc's own
headers, used only for names the kernel headers lack, are the same generic ones on both).

The *names* and their print order (strace prints a flag set in its table's order) are declared in
src/syscope/decode/spec.py; only the numbers come from the headers, so the tables cannot drift
from the kernel.  Run: python3 tools/gen_decode.py [x86_64|i386|aarch64 ...]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from syscope.decode.spec import ENUM_MEMBERS, HEADERS, TABLES  # noqa: E402

ARM64_UAPI = "/usr/aarch64-linux-gnu/include"
CFLAGS = {"x86_64": ["-m64"], "i386": ["-m32"], "aarch64": ["-m64", "-I", ARM64_UAPI]}


def _run_group(arch: str, headers: list[str], index: int) -> list[tuple[str, str, int]]:
    # _GNU_SOURCE: glibc declares some names only for it (SCM_CREDENTIALS in bits/socket.h)
    lines: list[str] = ["#define _GNU_SOURCE"]
    for h in headers:
        # headers an arch or distro lacks are skipped; their names drop out below
        lines += [f"#if __has_include(<{h}>)", f"#include <{h}>", "#endif"]
    lines += ["#include <stdio.h>", "int main(void) {"]
    for table, (_kind, names) in TABLES.items():
        enum_group = ENUM_MEMBERS.get(table)
        if enum_group is not None:
            if enum_group == index:
                lines += [f'printf("%s %s %lld\\n", "{table}", "{n}", (long long)({n}));' for n in names]
            continue
        for name in names:
            lines.append(f"#ifdef {name}")
            lines.append(f'printf("%s %s %lld\\n", "{table}", "{name}", '
                         f"(long long)({name}));")
            lines.append("#endif")
    lines.append("return 0; }")
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "c.c")
        exe = os.path.join(tmp, "c")
        Path(src).write_text("\n".join(lines) + "\n")
        subprocess.run(["gcc", *CFLAGS[arch], "-o", exe, src], check=True)
        out = subprocess.run([exe], check=True, capture_output=True, text=True).stdout
    rows = []
    for line in out.splitlines():
        table, name, value = line.split()
        rows.append((table, name, int(value)))
    return rows


def generate(arch: str) -> dict[str, list[list[object]]]:
    found: dict[tuple[str, str], int] = {}
    for index, group in enumerate(HEADERS):
        for table, name, value in _run_group(arch, group, index):
            found.setdefault((table, name), value)
    # keep the declared (print) order
    return {t: [[found[(t, n)], n] for n in names if (t, n) in found]
            for t, (_k, names) in TABLES.items()}


def main(argv: list[str]) -> int:
    for arch in argv or ["x86_64"]:
        if arch == "aarch64" and not os.path.isdir(ARM64_UAPI):
            print(f"gen_decode: {ARM64_UAPI} missing (apt-get install linux-libc-dev-arm64-cross)", file=sys.stderr)
            return 1
        data = generate(arch)
        out = ROOT / "src" / "syscope" / "decode" / f"consts_{arch}.json"
        out.write_text(json.dumps(data, indent=0, sort_keys=True) + "\n")
        print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
