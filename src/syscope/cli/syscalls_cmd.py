"""`syscope syscalls [NAME|NUMBER] [--arch A]`: show the generated syscall tables."""
from __future__ import annotations

import argparse

from syscope.cli.common import ArgParser
from syscope.errors import UsageError
from syscope.syscalls import ARCHES, CLASSES, SyscallInfo, native_arch, table


def _line(info: SyscallInfo) -> str:
    if info.arg_names:
        args = ", ".join(f"{t} {n}" for t, n in zip(info.arg_types, info.arg_names, strict=True))
    else:
        args = "?" if info.nargs else ""
    classes = " %" + ",%".join(sorted(info.classes)) if info.classes else ""
    return f"{info.nr:4d}  {info.name:<24} {info.nargs}  ({args})  [{info.entry}]{classes}"


def build_parser() -> argparse.ArgumentParser:
    p = ArgParser(prog="syscope syscalls", description="List system calls of an architecture.")
    p.add_argument("which", nargs="?", help="syscall name or number")
    p.add_argument("--arch", default=native_arch(), choices=ARCHES)
    p.add_argument("--class", dest="cls", choices=CLASSES, help="only syscalls in this strace class")
    return p


def main(argv: list[str]) -> int:
    p = build_parser()
    ns = p.parse_args(argv)
    t = table(ns.arch)
    if ns.which is None:
        for info in t:
            if ns.cls is None or ns.cls in info.classes:
                print(_line(info))
        return 0
    w: str = ns.which
    found = t.by_nr(int(w)) if w.isdigit() else t.by_name(w)
    if found is None:
        raise UsageError(f"unknown syscall '{w}'" + (f" on {ns.arch}" if ns.arch != native_arch() else ""))
    print(_line(found))
    return 0
