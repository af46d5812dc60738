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
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import gen_decode_scan  # noqa: E402

from syscope.decode.netlink import spec as netlink_spec  # noqa: E402
from syscope.decode.spec import ENUM_MEMBERS, HEADERS, TABLES  # noqa: E402
from syscope.decode.spec_calls import SCANNED  # noqa: E402

ARM64_UAPI = "/usr/aarch64-linux-gnu/include"
CFLAGS = {"x86_64": ["-m64"], "i386": ["-m32"], "aarch64": ["-m64", "-I", ARM64_UAPI]}
_TRIPLE = {"x86_64": "x86_64-linux-gnu", "i386": "x86_64-linux-gnu", "aarch64": "x86_64-linux-gnu"}


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


# ioctl command names: every _IO/_IOR/_IOW/_IOWR macro of the UAPI headers under these folders
# (strace's ioctlent tables are made the same way, by scanning the kernel's uapi headers with
# its maint/ioctls_gen.sh), compiled per arch because the size field follows the arch's types
IOCTL_DIRS = ["linux", "asm", "mtd", "scsi", "sound", "misc", "rdma"]
_IOCTL_DEF = re.compile(r"^[ \t]*#[ \t]*define[ \t]+([A-Z][A-Z0-9_]*)[ \t]+_IO(?:R|W|WR)?[ \t]*\(", re.M)
# included first: the UAPI headers assume the basic types (and some, struct sockaddr/timeval)
_IOCTL_PRELUDE = ["#include <stddef.h>", "#include <stdint.h>", "#include <sys/types.h>", "#include <sys/time.h>",
                  "#include <sys/socket.h>", "#include <linux/types.h>", "#include <linux/ioctl.h>"]


def _ioctl_headers(arch: str) -> list[tuple[str, list[str]]]:
    """(header as included, its _IO* macro names) for each UAPI header that defines some."""
    roots = ([ARM64_UAPI] if arch == "aarch64" else []) + ["/usr/include", f"/usr/include/{_TRIPLE[arch]}"]
    seen: dict[str, list[str]] = {}
    for top in IOCTL_DIRS:
        for root in roots:
            base = Path(root) / top
            if not base.is_dir():
                continue
            for path in sorted(base.rglob("*.h")):
                rel = str(path.relative_to(root))
                if rel in seen:
                    continue
                names = _IOCTL_DEF.findall(path.read_text(errors="replace"))
                if names:
                    seen[rel] = sorted(set(names))
    return sorted(seen.items())


_INCOMPLETE = re.compile(r"incomplete type .(struct|union) (\w+)")
_ERROR_LINE = re.compile(r"\.c:(\d+):\d+: error")


def _struct_homes(arch: str) -> dict[str, str]:
    """struct/union name -> the UAPI header that defines it (to include before a header whose
    ioctl macros take the size of a type declared elsewhere: FS_IOC_FIEMAP's struct fiemap)."""
    roots = ([ARM64_UAPI] if arch == "aarch64" else []) + ["/usr/include"]
    homes: dict[str, str] = {}
    pattern = re.compile(r"^(?:struct|union)[ \t]+(\w+)[ \t]*\{", re.M)
    for root in roots:
        for top in IOCTL_DIRS:
            base = Path(root) / top
            for path in sorted(base.rglob("*.h")) if base.is_dir() else []:
                for name in pattern.findall(path.read_text(errors="replace")):
                    homes.setdefault(name, str(path.relative_to(root)))
    return homes


def _ioctl_one(arch: str, header: str, names: list[str], tmp: str, homes: dict[str, str]) -> list[tuple[str, int]]:
    extra: list[str] = []
    names = list(names)
    stem = os.path.join(tmp, header.replace("/", "_"))
    for _attempt in range(6):
        lines = ["#define _GNU_SOURCE", *_IOCTL_PRELUDE, *(f"#include <{h}>" for h in extra),
                 f"#include <{header}>", "#include <stdio.h>", "int main(void) {"]
        first = len(lines) + 1
        for n in names:
            lines += [f"#ifdef {n}", f'printf("{n} %llu\\n", (unsigned long long)(unsigned int)({n}));', "#endif"]
        lines.append("return 0; }")
        Path(stem + ".c").write_text("\n".join(lines) + "\n")
        built = subprocess.run(["gcc", *CFLAGS[arch], "-w", "-o", stem, stem + ".c"], capture_output=True, text=True)
        if built.returncode == 0:
            out = subprocess.run([stem], check=True, capture_output=True, text=True).stdout
            return [(ln.split()[0], int(ln.split()[1])) for ln in out.splitlines()]
        # a type from another header: include the header that defines it, and try again;
        # a macro that still fails (a kernel-internal type) is left out
        more = {homes[m[1]] for m in _INCOMPLETE.findall(built.stderr) if m[1] in homes} - set(extra) - {header}
        bad = {(int(x) - first) // 3 for x in _ERROR_LINE.findall(built.stderr) if int(x) >= first}
        if more:
            extra += sorted(more)
        elif bad:
            names = [n for k, n in enumerate(names) if k not in bad]
        else:
            return []  # the header itself does not compile with the prelude: skipped
    return []


def generate_ioctls(arch: str) -> list[list[object]]:
    """[value, name] of every ioctl command the headers define, by value then name."""
    found: dict[str, int] = {}
    homes = _struct_homes(arch)
    with tempfile.TemporaryDirectory() as tmp, ThreadPoolExecutor(os.cpu_count() or 2) as pool:
        for rows in pool.map(lambda h: _ioctl_one(arch, h[0], h[1], tmp, homes), _ioctl_headers(arch)):
            for name, value in rows:
                found.setdefault(name, value)
    return [[v, n] for n, v in sorted(found.items(), key=lambda kv: (kv[1], kv[0]))]


_DEFINE = re.compile(r"^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)[ \t]+\S", re.M)
_ENUM_MEMBER = re.compile(r"^[ \t]*([A-Za-z_]\w*)[ \t]*(?:=[^,\n]*)?,?[ \t]*(?:/[*/].*)?$", re.M)
_ENUM_BODY = re.compile(r"\benum\b[ \t]*(?P<tag>\w*)[^{;]*\{(?P<body>[^}]*)\}", re.S)


def _scan_names(arch: str, headers: str, pattern: str) -> list[tuple[str, bool]]:
    """(name, is a macro) of each object-like macro and enum member of the headers whose whole
    name matches pattern, in the headers' order (spec_calls.SCANNED).  A pattern ``enum TAG:RE``
    takes only the members of ``enum TAG`` (linux/bpf.h's enums share the ``BPF_`` prefix)."""
    roots = ([ARM64_UAPI] if arch == "aarch64" else []) + ["/usr/include"]
    tag, _, member = pattern[5:].partition(":") if pattern.startswith("enum ") else ("", "", pattern)
    want = re.compile(member)
    names: list[tuple[str, bool]] = []
    seen: set[str] = set()
    for header in headers.split():
        path = next((Path(r) / header for r in roots if (Path(r) / header).is_file()), None)
        if path is None:
            continue
        text = path.read_text(errors="replace")
        hits = [] if tag else [(m.start(), m.group(1), True) for m in _DEFINE.finditer(text)]
        for body in _ENUM_BODY.finditer(text):
            if tag and body.group("tag") != tag:
                continue
            start = body.start("body")
            hits += [(start + m.start(), m.group(1), False) for m in _ENUM_MEMBER.finditer(body.group("body"))]
        for _pos, name, macro in sorted(hits):
            if want.fullmatch(name) and name not in seen:
                seen.add(name)
                names.append((name, macro))
    return names


def _run_scanned(arch: str) -> dict[str, list[list[object]]]:
    """The SCANNED tables: their headers compiled into one program printing every name found."""
    tables = {t: _scan_names(arch, headers, pattern) for t, (_k, headers, pattern) in SCANNED.items()}
    lines = ["#define _GNU_SOURCE", "#include <stdio.h>", "#include <linux/types.h>"]
    for header in sorted({h for _k, hs, _p in SCANNED.values() for h in hs.split()}):
        lines += [f"#if __has_include(<{header}>)", f"#include <{header}>", "#endif"]
    lines.append("int main(void) {")
    for table, names in tables.items():
        for name, macro in names:
            show = f'printf("%s %s %lld\\n", "{table}", "{name}", (long long)({name}));'
            lines += [f"#ifdef {name}", show, "#endif"] if macro else [show]
    lines.append("return 0; }")
    with tempfile.TemporaryDirectory() as tmp:
        src, exe = os.path.join(tmp, "c.c"), os.path.join(tmp, "c")
        Path(src).write_text("\n".join(lines) + "\n")
        subprocess.run(["gcc", *CFLAGS[arch], "-o", exe, src], check=True)
        out = subprocess.run([exe], check=True, capture_output=True, text=True).stdout
    found: dict[str, list[list[object]]] = {t: [] for t in tables}
    for line in out.splitlines():
        table, name, value = line.split()
        found[table].append([int(value), name])
    return found


def generate(arch: str) -> dict[str, list[list[object]]]:
    found: dict[tuple[str, str], int] = {}
    for index, group in enumerate(HEADERS):
        for table, name, value in _run_group(arch, group, index):
            found.setdefault((table, name), value)
    # keep the declared (print) order
    out = {t: [[found[(t, n)], n] for n in names if (t, n) in found]
           for t, (_k, names) in TABLES.items()}
    out.update(_run_scanned(arch))
    out["ioctl_cmds"] = generate_ioctls(arch)
    # netlink's message and attribute types: a pattern or a whole enum per table, each header
    # compiled on its own (tools/gen_decode_scan.py)
    roots = ([ARM64_UAPI] if arch == "aarch64" else []) + ["/usr/include", f"/usr/include/{_TRIPLE[arch]}"]
    out.update(gen_decode_scan.generate(CFLAGS[arch], roots, netlink_spec.SCANNED, netlink_spec.VALUE_RANGE))
    return out


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
