#!/usr/bin/env python3
"""Generate src/syscope/filters/sysdig_events.json: the parameter names, types and flag tables of
every syscall event sysdig/Falco define, read from falcosecurity/libs' driver/event_table.c.

sysdig's fields ``evt.arg.NAME`` / ``evt.rawarg.NAME`` and ``%evt.info`` use these names (symlinkat's
``target`` and ``linkpath``, ptrace's ``request``, socket's ``domain``), which differ from the
kernel's parameter names (include/linux/syscalls.h), so they are data of their own.  Only the
current version of each event is kept (entries flagged EF_OLD_VERSION are superseded); the exit
event of a current pair carries every parameter (libs appends the enter ones to it).

Run: python3 tools/gen_sysdig_events.py PATH/TO/libs/driver/event_table.c
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


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: gen_sysdig_events.py libs/driver/event_table.c", file=sys.stderr)
        return 2
    data = parse(Path(argv[0]).read_text())
    OUT.write_text(json.dumps(data, indent=0, sort_keys=True) + "\n")
    print(f"wrote {OUT}: {len(data)} events")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
