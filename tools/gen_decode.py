#!/usr/bin/env python3
"""Generate src/syscope/decode/consts_<arch>.py: flag and enum values taken from the installed
kernel UAPI headers (linux-libc-dev) by compiling a C program that prints them.  aarch64 takes
the arm64 UAPI headers of linux-libc-dev-arm64-cross (/usr/aarch64-linux-gnu/include) ahead of the
native ones: the values are plain constants, so the program still runs natively (glibc's own
headers, used only for names the kernel headers lack, are the same generic ones on both).

The *names* and their print order (strace prints a flag set in its table's order) are declared in
src/syscope/decode/spec.py; only the numbers come from the headers, so the tables cannot drift
from the kernel.  Each module also holds spec.py's DECLARED tables (spelt out there, not generated),
and decode/consts_spec.py its NULL_DEFAULT and UNKNOWN: rerun for every arch after editing those.
Run: .venv/bin/python tools/gen_decode.py [--out OUT] [x86_64|i386|aarch64 ...]
(OUT: the folder to write into, src/syscope).  tests/unit/test_generated_consts.py fails when a
committed module differs from what this makes.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import data_module  # noqa: E402
import uapi  # noqa: E402
from uapi import ARM64_UAPI, CFLAGS  # noqa: E402

from syscope.decode import spec  # noqa: E402
from syscope.decode.netlink import spec as netlink_spec  # noqa: E402
from syscope.decode.spec import ENUM_MEMBERS, HEADERS, TABLES  # noqa: E402
from syscope.decode.spec_calls import SCANNED  # noqa: E402


def _run_group(arch: str, headers: list[str], index: int) -> list[tuple[str, str, int]]:
    """The declared tables' values from one group of headers (spec.HEADERS): every macro, and
    the enum members of the tables ENUM_MEMBERS gives this group."""
    rows = []
    for table, (_kind, names) in TABLES.items():
        enum_group = ENUM_MEMBERS.get(table)
        if enum_group is None:
            rows += [(table, n, True) for n in names]
        elif enum_group == index:
            rows += [(table, n, False) for n in names]
    # _GNU_SOURCE: glibc declares some names only for it (SCM_CREDENTIALS in bits/socket.h); a
    # misspelt enum member must fail here, not drop out
    return uapi.print_values(arch, headers, rows, drop_undeclared=False)


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
    seen: dict[str, list[str]] = {}
    for top in IOCTL_DIRS:
        for root in uapi.roots(arch):
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


def _run_scanned(arch: str) -> dict[str, list[list[object]]]:
    """The tables spec_calls.SCANNED declares by a pattern: their headers in one program."""
    rows = [(t, name, macro) for t, (_k, headers, pattern) in SCANNED.items()
            for name, macro in uapi.declared(arch, headers.split(), pattern)]
    headers = sorted({h for _k, hs, _p in SCANNED.values() for h in hs.split()})
    found: dict[str, list[list[object]]] = {t: [] for t in SCANNED}
    for table, name, value in uapi.print_values(arch, headers, rows, prelude=["#define _GNU_SOURCE",
                                                                               "#include <linux/types.h>"]):
        found[table].append([value, name])
    return found


# names that are bounds or counts, not members (the kernel's __FOO_MAX / FOO_MAX idiom)
_NOT_MEMBER = re.compile(r"^__|_MAX$")
# the UAPI headers of netlink assume the basic types, and some the socket structures
_NETLINK_PRELUDE = ["#define _GNU_SOURCE", "#include <stddef.h>", "#include <stdint.h>", "#include <sys/types.h>",
                    "#include <sys/socket.h>", "#include <netinet/in.h>", "#include <linux/types.h>",
                    "#include <linux/netlink.h>"]


def _netlink_table(arch: str, table: str) -> list[list[object]]:
    """One table of netlink_spec.SCANNED (kind, headers, pattern, names left out), its headers
    compiled on their own (some clash with another family's).  A flag table lists its multi-bit
    masks first (NLM_F_DUMP before NLM_F_ROOT and NLM_F_MATCH), as strace's printflags wants."""
    kind, headers, pattern, excluded = netlink_spec.SCANNED[table]
    declared = [n for n, _m in uapi.declared(arch, headers, pattern)]
    # in a whole enum only its last member is a bound: IFLA_BR_MCAST_HASH_MAX, in the middle of
    # the IFLA_BR_* enum, is an attribute (linux/if_link.h)
    inner = set(declared[:-1]) if pattern.startswith("enum:") else set()
    names = [n for n in declared
             if (n in inner and not n.startswith("__") or not _NOT_MEMBER.search(n)) and n not in excluded]
    if not names:
        return []
    # glibc's bits/ headers come with the prelude's (they may not be included twice)
    includes = [f"#include <{h}>" for h in headers if not h.startswith("bits/")]
    got = {n: v for _t, n, v in uapi.print_values(arch, [], [(table, n, False) for n in names],
                                                  prelude=[*_NETLINK_PRELUDE, *includes])}
    low, high = netlink_spec.VALUE_RANGE.get(table, (-(1 << 63), 1 << 63))
    rows: list[list[object]] = [[got[n], n] for n in names if n in got and low <= got[n] <= high]
    if kind == "flags":
        rows.sort(key=lambda r: -bin(int(r[0]) & 0xFFFFFFFFFFFFFFFF).count("1"))  # type: ignore[call-overload]
    return rows


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
    # netlink's message and attribute types: a pattern or a whole enum per table
    with ThreadPoolExecutor(os.cpu_count() or 2) as pool:
        tables = list(netlink_spec.SCANNED)
        out.update(zip(tables, pool.map(lambda t: _netlink_table(arch, t), tables), strict=True))
    return out


def write(out: Path, arches: list[str]) -> dict[str, dict[str, list[list[object]]]]:
    """Write decode/consts_<arch>.py of each of ``arches`` and decode/consts_spec.py under ``out``;
    each arch's generated tables."""
    made = {}
    for arch in arches:
        made[arch] = generate(arch)
        data_module.write(out, f"decode/consts_{arch}.py", data_module.consts(arch, made[arch], spec.DECLARED))
    data_module.write(out, "decode/consts_spec.py", data_module.consts_spec(spec.NULL_DEFAULT, spec.UNKNOWN))
    return made


def main(argv: list[str]) -> int:
    """The arches named (x86_64 when none), under src/syscope or the folder ``--out DIR`` names."""
    out, argv = data_module.out_option(argv)
    if "aarch64" in argv and not os.path.isdir(ARM64_UAPI):
        print(f"gen_decode: {ARM64_UAPI} missing (apt-get install linux-libc-dev-arm64-cross)", file=sys.stderr)
        return 1
    write(out, argv or ["x86_64"])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
