"""Constant tables found by scanning the UAPI headers for names (used by tools/gen_decode.py).

spec.py declares each table's names one by one; families with hundreds of members (the netlink
message types and attribute types, IFLA_*, RTM_*, INET_DIAG_* ...) are declared instead as a
header and a pattern their names match (syscope/decode/netlink/spec.py ``SCANNED``): every
``#define NAME`` and enum member ``NAME`` of that header matching the pattern is a row, in the
header's order, with its value compiled from the header itself.  A kernel that adds a member
adds a row; nothing is typed twice.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

# the kernel's UAPI headers assume the basic types, and some the socket structures
PRELUDE = ["#define _GNU_SOURCE", "#include <stddef.h>", "#include <stdint.h>", "#include <sys/types.h>",
           "#include <sys/socket.h>", "#include <netinet/in.h>", "#include <linux/types.h>",
           "#include <linux/netlink.h>"]
# names that are bounds or counts, not members (the kernel's __FOO_MAX / FOO_MAX idiom)
_NOT_MEMBER = re.compile(r"^__|_MAX$")


def _enum_members(text: str, member: str) -> list[str]:
    """The members, in order, of the enum that declares ``member`` (``enum:IFLA_UNSPEC``: the
    link attributes, not the IFLA_INFO_* or IFLA_VF_* of the other enums of if_link.h)."""
    for m in re.finditer(r"\benum\b[^{;]*\{(.*?)\}", text, flags=re.S):
        body = re.sub(r"^[ \t]*#.*$", "", m.group(1), flags=re.M)
        names = [item.split("=")[0].strip() for item in body.split(",")]
        names = [n for n in names if re.fullmatch(r"[A-Za-z_]\w*", n)]
        if member in names:
            return [n for n in names if not _NOT_MEMBER.search(n)]
    return []


def _declared(text: str, pattern: str) -> list[str]:
    """The names matching pattern that the header declares, in order: macros and enum members;
    ``enum:NAME``: the members of the enum that declares NAME."""
    # comments could mention a name; they declare nothing
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    if pattern.startswith("enum:"):
        return _enum_members(text, pattern[5:])
    decl = re.compile(r"^[ \t]*(?:#[ \t]*define[ \t]+)?(" + pattern + r")\b(?!\()", re.M)
    seen: dict[str, None] = {}
    for m in decl.finditer(text):
        line_rest = text[m.end(): text.find("\n", m.end())]
        is_define = "define" in text[text.rfind("\n", 0, m.start(1)) + 1: m.start(1)]
        # an enum member is followed by "=", "," or the end of its line; a macro by anything
        if not is_define and not re.match(r"[ \t]*(=|,|$)", line_rest):
            continue
        if not _NOT_MEMBER.search(m.group(1)):
            seen.setdefault(m.group(1), None)
    return list(seen)


def _header_path(header: str, roots: list[str]) -> Path | None:
    for root in roots:
        p = Path(root) / header
        if p.is_file():
            return p
    return None


_UNDECLARED = re.compile(r"error: .(\w+). undeclared")


def _compile(cflags: list[str], headers: list[str], names: list[str], tmp: str) -> dict[str, int]:
    # glibc's bits/ headers come with the prelude (they may not be included twice); a name the
    # libc headers hide (linux/in.h defers to netinet/in.h, which lacks IPPROTO_L2TP) is dropped
    includes = [f"#include <{h}>" for h in headers if not h.startswith("bits/")]
    stem = os.path.join(tmp, "_".join(h.replace("/", "_") for h in headers)[:200])
    for _attempt in range(8):
        lines = [*PRELUDE, *includes, "#include <stdio.h>", "int main(void) {"]
        lines += [f'printf("{n} %lld\\n", (long long)({n}));' for n in names]
        lines.append("return 0; }")
        Path(stem + ".c").write_text("\n".join(lines) + "\n")
        built = subprocess.run(["gcc", *cflags, "-w", "-o", stem, stem + ".c"], capture_output=True, text=True)
        if built.returncode == 0:
            out = subprocess.run([stem], check=True, capture_output=True, text=True).stdout
            return {ln.split()[0]: int(ln.split()[1]) for ln in out.splitlines()}
        missing = set(_UNDECLARED.findall(built.stderr))
        if not missing & set(names):
            raise RuntimeError(f"gen_decode_scan: {headers} do not compile:\n{built.stderr}")
        names = [n for n in names if n not in missing]
    return {}


def generate(cflags: list[str], roots: list[str],
             scanned: dict[str, tuple[str, tuple[str, ...], str, tuple[str, ...]]],
             value_range: dict[str, tuple[int, int]]) -> dict[str, list[list[object]]]:
    """table -> [[value, name], ...] for each scanned table (kind, headers, pattern, excluded).
    A flag table lists its multi-bit masks first (NLM_F_DUMP before NLM_F_ROOT and NLM_F_MATCH), as
    strace's printflags wants them."""
    plan: list[tuple[str, list[str], list[str]]] = []
    for table, (_kind, headers, pattern, excluded) in scanned.items():
        names: list[str] = []
        for h in headers:
            path = _header_path(h, roots)
            if path is None:
                continue
            names += [n for n in _declared(path.read_text(errors="replace"), pattern)
                      if n not in excluded and n not in names]
        plan.append((table, list(headers), names))
    with tempfile.TemporaryDirectory() as tmp, ThreadPoolExecutor(os.cpu_count() or 2) as pool:
        for table, _h, _n in plan:
            os.makedirs(os.path.join(tmp, table))
        values = list(pool.map(lambda p: _compile(cflags, p[1], p[2], os.path.join(tmp, p[0])) if p[2] else {},
                               plan))
    out: dict[str, list[list[object]]] = {}
    for (table, _h, names), got in zip(plan, values, strict=True):
        low, high = value_range.get(table, (-(1 << 63), 1 << 63))
        rows: list[list[object]] = [[got[n], n] for n in names if n in got and low <= got[n] <= high]
        if scanned[table][0] == "flags":
            rows.sort(key=lambda r: -bin(int(r[0]) & 0xFFFFFFFFFFFFFFFF).count("1"))  # type: ignore[call-overload]
        out[table] = rows
    return out
