#!/usr/bin/env python3
"""Generate src/syscope/filters/sysdig_events.json: the parameter names, types and flag tables of
every syscall event sysdig/Falco define, read from falcosecurity/libs' driver/event_table.c.

sysdig's fields ``evt.arg.NAME`` / ``evt.rawarg.NAME`` and ``%evt.info`` use these names (symlinkat's
``target`` and ``linkpath``, ptrace's ``request``, socket's ``domain``), which differ from the
kernel's parameter names (include/linux/syscalls.h), so they are data of their own.  Only the
current version of each event is kept (entries flagged EF_OLD_VERSION are superseded); the exit
event of a current pair carries every parameter (libs appends the enter ones to it).

Flag tables that name sysdig's own bits rather than the kernel's (execve's ``flags``:
EXE_WRITABLE, EXE_UPPER_LAYER, ...) are read from driver/flags_table.c with their values from
driver/ppm_events_public.h, under the key "_flags"; the other tables' values are the kernel's,
which syscope's decoder tables already hold (syscope.decode).

Run: python3 tools/gen_sysdig_events.py PATH/TO/libs/driver
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "syscope" / "filters" / "sysdig_events.json"

_ENTRY = re.compile(r'\[PPME_(\w+?)_([EX])\]\s*=\s*\{\s*"(\w+)"\s*,(.*?)\}\s*,\s*(?=\[PPME_|\};)', re.S)
_PARAM = re.compile(r'\{\s*"(\w+)"\s*,\s*(PT_\w+)\s*,\s*(PF_\w+)\s*(?:,\s*([a-z_0-9]+))?')


def parse(text: str) -> dict[str, dict[str, list[list[str | None]]]]:
    out: dict[str, dict[str, list[list[str | None]]]] = {}
    body = text[text.index("g_event_info[]"):]
    for m in _ENTRY.finditer(body):
        _enum, direction, name, rest = m.groups()
        head = rest.split("{", 1)[0]
        if "EF_OLD_VERSION" in head or "EF_UNUSED" in head or "EC_SYSCALL" not in head:
            continue
        params = [[p, t, f, tab] for p, t, f, tab in _PARAM.findall(rest)]
        out.setdefault(name, {})[direction] = params
    return out


# the tables of sysdig's own bits (see the docstring)
OWN_TABLES = ("execve_flags",)
_DEFINE = re.compile(r"#define\s+(PPM_\w+)\s+\(?\s*(?:1\s*<<\s*(\d+)|(0x[0-9a-fA-F]+|\d+))\s*\)?")
_TABLE = re.compile(r"const struct ppm_name_value (\w+)\[\]\s*=\s*\{(.*?)\};", re.S)
_ROW = re.compile(r'\{\s*"(\w+)"\s*,\s*(PPM_\w+)\s*\}')


def own_flags(flags_table: str, public_h: str) -> dict[str, list[list[object]]]:
    values: dict[str, int] = {}
    for m in _DEFINE.finditer(public_h):
        # C literals: 0x.. hex, 0.. octal, else decimal
        lit = m.group(3) or "0"
        base = 16 if lit.lower().startswith("0x") else 8 if lit.startswith("0") and len(lit) > 1 else 10
        values[m.group(1)] = 1 << int(m.group(2)) if m.group(2) else int(lit, base)
    out: dict[str, list[list[object]]] = {}
    for m in _TABLE.finditer(flags_table):
        if m.group(1) in OWN_TABLES:
            out[m.group(1)] = [[values[c], n] for n, c in _ROW.findall(m.group(2)) if c in values]
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: gen_sysdig_events.py libs/driver", file=sys.stderr)
        return 2
    d = Path(argv[0])
    data: dict[str, object] = dict(parse((d / "event_table.c").read_text()))
    data["_flags"] = own_flags((d / "flags_table.c").read_text(), (d / "ppm_events_public.h").read_text())
    OUT.write_text(json.dumps(data, indent=0, sort_keys=True) + "\n")
    print(f"wrote {OUT}: {len(data)} events")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
