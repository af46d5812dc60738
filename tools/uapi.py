"""The kernel's UAPI headers as the generators read them (tools/gen_decode.py, tools/gen_ioctl.py).

Two questions are asked of the headers, and this module is the one place that answers them:
- which names a header declares (object-like ``#define NAME value`` macros and enum members),
  in the header's order: the rows of a table declared by a pattern instead of a name list
  (``declared``);
- what their values are: a C program that includes the headers and prints each name is compiled
  by gcc for the arch and run (``print_values``), so no number is ever typed by hand.

aarch64 takes the arm64 UAPI headers of linux-libc-dev-arm64-cross ahead of the native ones:
the values are plain constants, so the program still runs natively.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

ARM64_UAPI = "/usr/aarch64-linux-gnu/include"
CFLAGS = {"x86_64": ["-m64"], "i386": ["-m32"], "aarch64": ["-m64", "-I", ARM64_UAPI]}
# Debian keeps asm/ and the glibc arch headers under the multiarch folder
_MULTIARCH = "/usr/include/x86_64-linux-gnu"

# an object-like macro with a value (``#define NAME(x)`` is a function-like one, ``#define NAME``
# alone a guard)
DEFINE = re.compile(r"^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)[ \t]+\S", re.M)
_ENUM_BODY = re.compile(r"\benum\b[ \t]*(?P<tag>\w*)[^{;]*\{(?P<body>[^}]*)\}", re.S)
_PREPROCESSOR_LINE = re.compile(r"^[ \t]*#.*$", re.M)
_NAME = re.compile(r"[ \t\n]*([A-Za-z_]\w*)[ \t\n]*(?:=|$)")
_UNDECLARED = re.compile(r"error: .(\w+). undeclared")


def roots(arch: str) -> list[str]:
    """The include folders a header is looked up in, first match wins."""
    return ([ARM64_UAPI] if arch == "aarch64" else []) + ["/usr/include", _MULTIARCH]


def header_text(arch: str, header: str) -> str | None:
    """The header's text without its comments (a comment names constants too; it declares
    nothing), or None when this arch's headers lack it."""
    for root in roots(arch):
        path = Path(root) / header
        if path.is_file():
            text = re.sub(r"/\*.*?\*/", " ", path.read_text(errors="replace"), flags=re.S)
            return re.sub(r"//[^\n]*", " ", text)
    return None


def _members(body: str, start: int) -> list[tuple[int, str]]:
    """(position, name) of an enum body's members: the items between its top-level commas
    (``A = FOO(1, 2), B, C`` is three), past any #if lines inside it."""
    body = _PREPROCESSOR_LINE.sub(lambda m: " " * len(m.group(0)), body)
    out: list[tuple[int, str]] = []
    depth, item = 0, 0
    for k, ch in enumerate(body + ","):
        depth += (ch == "(") - (ch == ")")
        if ch == "," and depth == 0:
            m = _NAME.match(body, item, k)
            if m:
                out.append((start + m.start(1), m.group(1)))
            item = k + 1
    return out


def _enum_members(text: str, tag: str | None, member: str | None) -> list[tuple[int, str]]:
    hits: list[tuple[int, str]] = []
    for body in _ENUM_BODY.finditer(text):
        if tag is not None and body.group("tag") != tag:
            continue
        members = _members(body.group("body"), body.start("body"))
        if member is not None:
            if any(name == member for _pos, name in members):
                return members
            continue
        hits += members
    return hits


def declared(arch: str, headers: Iterable[str], pattern: str,
             macros: re.Pattern[str] = DEFINE) -> list[tuple[str, bool]]:
    """(name, is a macro) of each name the headers declare, in the headers' order, first one
    kept.  ``pattern`` is one of:
    - a regular expression the whole name matches: macros (found by ``macros``) and enum members;
    - ``enum TAG:RE``: only the members of ``enum TAG`` that match (linux/bpf.h's enums share
      the ``BPF_`` prefix);
    - ``enum:MEMBER``: every member of the enum that declares MEMBER (one netlink family's
      attribute types: IFLA_*, not the IFLA_INFO_* of the next enum)."""
    tag: str | None = None
    member: str | None = None
    if pattern.startswith("enum:"):
        member, want = pattern[5:], re.compile(r".*")
    elif pattern.startswith("enum "):
        tag, _, regex = pattern[5:].partition(":")
        want = re.compile(regex)
    else:
        want = re.compile(pattern)
    names: list[tuple[str, bool]] = []
    seen: set[str] = set()
    for header in headers:
        text = header_text(arch, header)
        if text is None:
            continue
        hits = [] if tag or member else [(m.start(), m.group(1), True) for m in macros.finditer(text)]
        hits += [(pos, name, False) for pos, name in _enum_members(text, tag, member)]
        for _pos, name, macro in sorted(hits):
            if want.fullmatch(name) and name not in seen:
                seen.add(name)
                names.append((name, macro))
    return names


def print_values(arch: str, includes: Sequence[str], rows: Sequence[tuple[str, str, bool]],
                 prelude: Sequence[str] = ("#define _GNU_SOURCE",),
                 drop_undeclared: bool = True) -> list[tuple[str, str, int]]:
    """(label, name, value) of each (label, name or C expression, is a macro) row, from one program that
    includes ``includes`` (each only if the arch has it) after ``prelude``.  A macro the headers
    do not define is left out (#ifdef); so is, with ``drop_undeclared``, an enum member the
    compiler calls undeclared (a scanned name from a header the arch lacks, or one the libc
    headers hide: linux/in.h defers to netinet/in.h).  A table whose names are listed by hand
    wants the error instead: a misspelt name.  Raises CalledProcessError when the program does
    not compile."""
    rows = list(rows)
    with tempfile.TemporaryDirectory() as tmp:
        src, exe = os.path.join(tmp, "c.c"), os.path.join(tmp, "c")
        while True:
            lines = list(prelude)
            for h in includes:
                lines += [f"#if __has_include(<{h}>)", f"#include <{h}>", "#endif"]
            lines += ["#include <stdio.h>", "int main(void) {"]
            for label, name, macro in rows:
                show = f'printf("%s %s %lld\\n", "{label}", "{name}", (long long)({name}));'
                lines += [f"#ifdef {name}", show, "#endif"] if macro else [show]
            lines.append("return 0; }")
            Path(src).write_text("\n".join(lines) + "\n")
            built = subprocess.run(["gcc", *CFLAGS[arch], "-w", "-o", exe, src], capture_output=True, text=True)
            if built.returncode == 0:
                break
            missing = set(_UNDECLARED.findall(built.stderr)) if drop_undeclared else set()
            if not missing & {name for _l, name, _m in rows}:
                raise subprocess.CalledProcessError(built.returncode, built.args, built.stdout, built.stderr)
            rows = [r for r in rows if r[1] not in missing]
        out = subprocess.run([exe], check=True, capture_output=True, text=True).stdout
    found = []
    for line in out.splitlines():
        # a row's "name" may be an expression with spaces (sizeof(struct in6_addr)); labels have none
        label, rest = line.split(" ", 1)
        name, value = rest.rsplit(" ", 1)
        found.append((label, name, int(value)))
    return found
