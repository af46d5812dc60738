#!/usr/bin/env python3
"""Generate src/syscope/decode/ioctl/tables_<arch>.py: the ioctl commands the UAPI headers
define as plain numbers and the constant tables of the ioctl decoders, declared as headers and
name patterns in src/syscope/decode/ioctl/spec.py, values compiled from the installed headers
(the _IO*() commands are tools/gen_decode.py's "ioctl_cmds"), and tables_spec.py: the part of
spec.py the decoders read at run time (its declared rows, orders and unknown-value names).
Run: .venv/bin/python tools/gen_ioctl.py [--out OUT] [x86_64|i386|aarch64 ...]
(OUT: the folder to write into, src/syscope).  tests/unit/test_decode_ioctl_families.py fails when
a committed module differs from what this makes.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

import data_module  # noqa: E402
import uapi  # noqa: E402
from uapi import ARM64_UAPI  # noqa: E402


def _spec() -> ModuleType:
    # the spec module alone, by path: importing the syscope package would load the tracer
    path = ROOT / "src" / "syscope" / "decode" / "ioctl" / "spec.py"
    loaded = importlib.util.spec_from_file_location("ioctl_spec", path)
    assert loaded is not None and loaded.loader is not None
    module = importlib.util.module_from_spec(loaded)
    loaded.loader.exec_module(module)
    return module


_SPEC = _spec()
PLAIN: dict[str, str] = _SPEC.PLAIN
SCANNED: dict[str, tuple[str, str, str]] = _SPEC.SCANNED
TYPED: dict[str, list[str]] = _SPEC.TYPED
ORDER: dict[str, list[str]] = _SPEC.ORDER
HWADDR_HEADERS: list[str] = _SPEC.HWADDR_HEADERS
HWADDR_LENGTHS: dict[str, str] = _SPEC.HWADDR_LENGTHS
UNSIGNED64: frozenset[str] = _SPEC.UNSIGNED64

# included first: the UAPI headers assume the basic types (and some, struct sockaddr/timeval)
PRELUDE = ["#define _GNU_SOURCE", "#include <stddef.h>", "#include <stdint.h>", "#include <sys/types.h>",
           "#include <sys/time.h>", "#include <sys/socket.h>", "#include <linux/types.h>", "#include <linux/ioctl.h>"]
# a plain-number command: four hex digits (strace's ioctls_gen.sh takes exactly these)
_PLAIN_DEF = re.compile(r"^[ \t]*#[ \t]*define[ \t]+([A-Z][A-Z0-9_]*)[ \t]+0x[0-9a-fA-F]{4}\b", re.M)


def _scan(arch: str, headers: str, pattern: str, plain: bool) -> list[tuple[str, bool]]:
    """(name, is a macro) of the headers' definitions whose whole name matches, in order; plain:
    only the plain-number macros."""
    if plain:
        return [(n, True) for n, _m in uapi.declared(arch, headers.split(), pattern, macros=_PLAIN_DEF) if _m]
    return uapi.declared(arch, headers.split(), pattern)


def _compile(arch: str, headers: list[str], rows: list[tuple[str, str, bool]]) -> list[tuple[str, str, int]]:
    got = uapi.print_values(arch, headers, rows, prelude=PRELUDE)
    # a table of __u64 values, printed as long long, back to unsigned (-256ULL is 18446744073709551360)
    return [(t, n, v & 0xFFFFFFFFFFFFFFFF if t in UNSIGNED64 else v) for t, n, v in got]


# commands defined through a header's own wrapper of _IO*() (``#define SECCOMP_IOWR(nr, type)
# _IOWR(SECCOMP_IOC_MAGIC, nr, type)`` then ``#define SECCOMP_IOCTL_NOTIF_RECV SECCOMP_IOWR(0, ...)``):
# tools/gen_decode.py's "ioctl_cmds" takes the direct _IO*() definitions only
WRAPPED_DIRS = ["linux", "mtd", "scsi", "sound", "misc", "rdma"]
_WRAPPER = re.compile(r"^[ \t]*#[ \t]*define[ \t]+(\w+)\((\w+)(?:,[ \t]*\w+)?\)[ \t]+_IO(?:R|W|WR)?[ \t]*\(", re.M)


# a command whose _IO*() is on the continuation line (``#define PTP_SYS_OFFSET_PRECISE \``):
# tools/gen_decode.py's "ioctl_cmds" reads one-line definitions
_CONTINUED = re.compile(r"^[ \t]*#[ \t]*define[ \t]+([A-Z][A-Z0-9_]*)[ \t]*\\\n[ \t]*_IO(?:R|W|WR)?[ \t]*\(", re.M)


def _wrapped(arch: str) -> list[tuple[str, int]]:
    found: dict[str, int] = {}
    for top in WRAPPED_DIRS:
        for root in uapi.roots(arch):
            base = Path(root) / top
            for path in sorted(base.rglob("*.h")) if base.is_dir() else []:
                header = str(path.relative_to(root))
                text = uapi.header_text(arch, header) or ""
                # a wrapper takes the command number (nr, num): EVIOCGABS(abs) is a command itself
                wrappers = [w for w, a in _WRAPPER.findall(text) if a in ("nr", "num", "n", "x")]
                names = [n for n in _CONTINUED.findall(text) if n not in found]
                if wrappers:
                    cmd = re.compile(r"^[ \t]*#[ \t]*define[ \t]+([A-Z][A-Z0-9_]*)[ \t]+(?:" + "|".join(wrappers)
                                     + r")[ \t]*\(", re.M)
                    names += [n for n in cmd.findall(text) if n not in found]
                if names:
                    try:
                        got = _compile(arch, [header], [("w", n, True) for n in names])
                    except subprocess.CalledProcessError:
                        continue  # a header that needs what the prelude lacks: left out
                    for _t, n, v in got:
                        found.setdefault(n, v & 0xFFFFFFFF)
    for header, first in TYPED.items():
        text = uapi.header_text(arch, header) or ""
        for name in _IO_DEF.findall(text):
            try:  # one at a time: some take a type no header here declares (struct serial_rs485)
                got = _compile(arch, [*first, header], [("t", name, True)]) if name not in found else []
            except subprocess.CalledProcessError:
                continue
            for _t, n, v in got:
                found.setdefault(n, v & 0xFFFFFFFF)
    return sorted(found.items())


_IO_DEF = re.compile(r"^[ \t]*#[ \t]*define[ \t]+([A-Z][A-Z0-9_]*)[ \t]+_IO(?:R|W|WR)?[ \t]*\(", re.M)


def generate(arch: str) -> dict[str, list[list[object]]]:
    # one program per header: some UAPI headers clash when included together
    by_header: dict[str, list[tuple[str, str, bool]]] = {}
    for header, pattern in PLAIN.items():
        by_header.setdefault(header, []).extend(("ioctl_plain", n, m) for n, m in _scan(arch, header, pattern, True))
    for table, (_kind, headers, pattern) in SCANNED.items():
        for header in headers.split():
            by_header.setdefault(header, []).extend((table, n, m) for n, m in _scan(arch, header, pattern, False))
    out: dict[str, list[list[object]]] = {t: [] for t in ["ioctl_plain", *SCANNED]}
    seen: set[tuple[str, str]] = set()
    for header, rows in sorted(by_header.items()):
        for table, name, value in _compile(arch, [header], rows) if rows else []:
            if (table, name) not in seen:
                seen.add((table, name))
                out[table].append([value, name])
    # the header order of a table that spans headers is kept: sort back by where each came from
    for table, (_kind, headers, pattern) in SCANNED.items():
        listed = ORDER.get(table) or [n for n, _m in _scan(arch, headers, pattern, False)]
        order = {n: k for k, n in enumerate(listed)}
        out[table].sort(key=lambda row: order.get(str(row[1]), 0))
    out["ioctl_plain"] += [[v, n] for n, v in _wrapped(arch)]
    # [length, ARPHRD_* name]: the device types this arch's headers name
    rows = [(n, expr, False) for n, expr in HWADDR_LENGTHS.items()]
    out["hwaddr_lengths"] = [[v, t] for t, _e, v in _compile(arch, HWADDR_HEADERS, rows)
                             if t in {n for n, _m in uapi.declared(arch, ["linux/if_arp.h"], r"ARPHRD_\w+")}]
    return out


def write(out: Path, arches: list[str]) -> dict[str, dict[str, list[list[object]]]]:
    """Write decode/ioctl/tables_<arch>.py of each of ``arches`` and decode/ioctl/tables_spec.py
    under ``out``; each arch's tables."""
    made = {}
    for arch in arches:
        made[arch] = generate(arch)
        data_module.write(out, f"decode/ioctl/tables_{arch}.py", data_module.ioctl_tables(arch, made[arch]))
    # what the decoders read of spec.py at run time: the module whole (headers, name patterns,
    # expressions) cost every trace ~2.9 M instructions at its first ioctl (any isatty)
    data_module.write(out, "decode/ioctl/tables_spec.py", data_module.ioctl_spec(
        _SPEC.DECLARED, ORDER, _SPEC.UNKNOWN, _SPEC.BY_VALUE, _SPEC.WIDE_FIRST, _SPEC.UNNAMED))
    return made


def main(argv: list[str]) -> int:
    """The arches named (all when none), under src/syscope or the folder ``--out DIR`` names."""
    out, argv = data_module.out_option(argv)
    arches = argv or list(data_module.ARCHES)
    if "aarch64" in arches and not os.path.isdir(ARM64_UAPI):
        print(f"gen_ioctl: {ARM64_UAPI} missing (apt-get install linux-libc-dev-arm64-cross)", file=sys.stderr)
        return 1
    write(out, arches)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
