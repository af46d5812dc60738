#!/usr/bin/env python3
"""Generate src/syscope/syscalls/table_{x86_64,i386,aarch64}.py: each arch's syscall numbers, names,
kernel entries, argument names and C types, and strace's classes of each call.

Facts come from the installed UAPI headers (run through the C preprocessor so
that aarch64's ``__NR3264_*`` indirections and ``__ARCH_WANT_*`` conditionals
resolve exactly as the kernel build does) and from the tracefs syscall
tracepoint formats (argument names and C types; these describe the running
x86_64 kernel, so other arches reuse them by syscall name, with a small curated
table for calls that only exist on 32-bit ABIs).  Each module records the release of the kernel
whose tracepoints it read (``TRACEPOINTS_KERNEL``, os.uname().release): on another kernel the
argument names and types may differ (a parameter renamed, a call newer than that kernel) although
nothing in the repository changed, and tests/unit/test_generated_data_modules.py then compares
only what does not come from the tracepoints.

Rerun:  .venv/bin/python tools/gen_syscalls.py [--out OUT]   (OUT: the folder to write into, src/syscope)
tests/unit/test_generated_data_modules.py fails when a committed table differs from what this makes.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import data_module

ROOT = Path(__file__).resolve().parent.parent
TRACEFS = Path("/sys/kernel/tracing/events/syscalls")


CPP = {
    "x86_64": ["cpp", "-dM", "-"],
    "i386": ["cpp", "-dM", "-"],
    "aarch64": ["cpp", "-nostdinc", "-isystem", "/usr/aarch64-linux-gnu/include", "-dM", "-"],
}
HEADER = {"x86_64": "asm/unistd_64.h", "i386": "asm/unistd_32.h", "aarch64": "asm/unistd.h"}

# Calls absent from the x86_64 tracepoints (32-bit only ABIs). Signatures from
# the kernel's SYSCALL_DEFINE in mm/, fs/, net/socket.c, ipc/syscall.c,
# kernel/signal.c (i386 wrappers).
CURATED: dict[str, list[tuple[str, str]]] = {
    "mmap2": [("addr", "unsigned long"), ("len", "unsigned long"), ("prot", "unsigned long"),
              ("flags", "unsigned long"), ("fd", "unsigned long"), ("pgoff", "unsigned long")],
    "socketcall": [("call", "int"), ("args", "unsigned long *")],
    "ipc": [("call", "unsigned int"), ("first", "int"), ("second", "unsigned long"),
            ("third", "unsigned long"), ("ptr", "void *"), ("fifth", "long")],
    "_llseek": [("fd", "unsigned int"), ("offset_high", "unsigned long"),
                ("offset_low", "unsigned long"), ("result", "loff_t *"), ("whence", "unsigned int")],
    "_newselect": [("n", "int"), ("inp", "fd_set *"), ("outp", "fd_set *"), ("exp", "fd_set *"),
                   ("tvp", "struct __kernel_old_timeval *")],
    "sigreturn": [],
    "stat64": [("filename", "const char *"), ("statbuf", "struct stat64 *")],
    "lstat64": [("filename", "const char *"), ("statbuf", "struct stat64 *")],
    "fstat64": [("fd", "unsigned long"), ("statbuf", "struct stat64 *")],
    "fstatat64": [("dfd", "int"), ("filename", "const char *"), ("statbuf", "struct stat64 *"),
                  ("flag", "int")],
    "fcntl64": [("fd", "unsigned int"), ("cmd", "unsigned int"), ("arg", "unsigned long")],
    "statfs64": [("pathname", "const char *"), ("sz", "size_t"), ("buf", "struct statfs64 *")],
    "fstatfs64": [("fd", "unsigned int"), ("sz", "size_t"), ("buf", "struct statfs64 *")],
    "truncate64": [("path", "const char *"), ("length", "loff_t")],
    "ftruncate64": [("fd", "unsigned int"), ("length", "loff_t")],
    "sendfile64": [("out_fd", "int"), ("in_fd", "int"), ("offset", "loff_t *"), ("count", "size_t")],
    "waitpid": [("pid", "pid_t"), ("stat_addr", "int *"), ("options", "int")],
    "sigaction": [("sig", "int"), ("act", "const struct old_sigaction *"),
                  ("oact", "struct old_sigaction *")],
    "sigprocmask": [("how", "int"), ("nset", "old_sigset_t *"), ("oset", "old_sigset_t *")],
    "sigpending": [("set", "old_sigset_t *")],
    "sigsuspend": [("unused1", "int"), ("unused2", "int"), ("mask", "old_sigset_t")],
    "signal": [("sig", "int"), ("handler", "__sighandler_t")],
    "nice": [("increment", "int")],
    "stime": [("tptr", "old_time32_t *")],
    "oldstat": [("filename", "const char *"), ("statbuf", "struct __old_kernel_stat *")],
    "oldlstat": [("filename", "const char *"), ("statbuf", "struct __old_kernel_stat *")],
    "oldfstat": [("fd", "unsigned int"), ("statbuf", "struct __old_kernel_stat *")],
    "olduname": [("name", "struct oldold_utsname *")],
    "oldolduname": [("name", "struct oldold_utsname *")],
    "sgetmask": [],
    "ssetmask": [("newmask", "int")],
    "socketcall_": [],
}


# UAPI name -> kernel entry (SYSCALL_DEFINE name) where they differ; the
# tracepoint is named after the entry (fs/stat.c newstat, kernel/sys.c newuname,
# fs/namespace.c umount, fs/read_write.c sendfile64, kernel/sys.c getrlimit).
ENTRY = {"stat": "newstat", "lstat": "newlstat", "fstat": "newfstat", "uname": "newuname",
         "umount2": "umount", "sendfile": "sendfile64", "ugetrlimit": "getrlimit",
         "_llseek": "llseek", "_newselect": "select", "oldumount": "oldumount"}
# Placeholders in headers that are not syscalls (asm-generic range markers).
NOT_SYSCALLS = {"arch_specific_syscall"}


# Calls newer than the installed headers (Debian 12: Linux 6.1), up to the reference machine's
# kernel (6.18).  Since Linux 5.1 a new syscall gets the same number on every architecture (424 on:
# pidfd_send_signal), so one list serves x86_64 (arch/x86/entry/syscalls/syscall_64.tbl), i386
# (syscall_32.tbl) and aarch64 (include/uapi/asm-generic/unistd.h).  Their argument names and types
# come from the running kernel's tracepoints like every other call's.
_NEWER = {
    "cachestat": 451, "fchmodat2": 452, "map_shadow_stack": 453, "futex_wake": 454, "futex_wait": 455,
    "futex_requeue": 456, "statmount": 457, "listmount": 458, "lsm_get_self_attr": 459,
    "lsm_set_self_attr": 460, "lsm_list_modules": 461, "mseal": 462, "setxattrat": 463,
    "getxattrat": 464, "listxattrat": 465, "removexattrat": 466, "open_tree_attr": 467,
    "file_getattr": 468, "file_setattr": 469,
}
NEWER = {"x86_64": _NEWER, "i386": _NEWER, "aarch64": _NEWER}


def _numbers(arch: str) -> dict[str, int]:
    res = _header_numbers(arch)
    for name, nr in NEWER.get(arch, {}).items():
        if name not in res and nr not in res.values():
            res[name] = nr
    return res


def _header_numbers(arch: str) -> dict[str, int]:
    out = subprocess.run(CPP[arch], input=f"#include <{HEADER[arch]}>\n", capture_output=True,
                         text=True, check=True).stdout
    macros = dict(re.findall(r"^#define (__NR\w+) (.+)$", out, re.M))
    res: dict[str, int] = {}
    for macro, value in macros.items():
        if not macro.startswith("__NR_") or macro == "__NR_syscalls":
            continue
        v = value.strip()
        while v in macros:  # __NR_fstat -> __NR3264_fstat -> 80
            v = macros[v].strip()
        m = re.fullmatch(r"\(?\s*(\d+)\s*\)?", v)
        if m:
            res[macro[len("__NR_"):]] = int(m.group(1))
    return res


def tracepoint_args(tracefs: Path = TRACEFS) -> dict[str, list[tuple[str, str]]]:
    """Each syscall tracepoint's arguments, (name, C type), by kernel entry name (sys_enter_NAME)."""
    args: dict[str, list[tuple[str, str]]] = {}
    for d in sorted(tracefs.glob("sys_enter_*")):
        fields = re.findall(r"field:(.+?);\s*offset:(\d+)", (d / "format").read_text())
        lst = []
        for decl, off in fields:
            if int(off) < 16:  # common_* header and __syscall_nr
                continue
            m = re.fullmatch(r"(.*?)\s*\b(\w+)$", decl.strip())
            assert m, decl
            lst.append((m.group(2), m.group(1).strip()))
        args[d.name[len("sys_enter_"):]] = lst
    if not args:
        # a table with no signature at all would be written otherwise (tracefs is root's,
        # and the events exist only with CONFIG_FTRACE_SYSCALLS)
        raise SystemExit(f"gen_syscalls: no syscall tracepoints under {tracefs}: run as root on a kernel "
                         "with tracefs mounted and CONFIG_FTRACE_SYSCALLS")
    return args


# strace's -e trace=%CLASS names (strace(1)); %%stat / %%statfs are stat_like / statfs_like.
CLASSES = {"file": "%file", "desc": "%desc", "network": "%network", "process": "%process",
           "signal": "%signal", "ipc": "%ipc", "memory": "%memory", "stat": "%stat",
           "lstat": "%lstat", "fstat": "%fstat", "stat_like": "%%stat", "statfs": "%statfs",
           "fstatfs": "%fstatfs", "statfs_like": "%%statfs", "clock": "%clock", "creds": "%creds",
           "pure": "%pure"}


def strace_classes(bits: int) -> dict[str, set[str]]:
    """Class membership observed from the installed strace: a static probe
    (tools/strace_classes_probe.c) calls every number 0..469 under a seccomp
    filter returning ENOSYS, so nothing executes, and strace -e trace=%CLASS
    prints exactly the names it puts in the class."""
    with tempfile.TemporaryDirectory() as d:
        exe = os.path.join(d, "probe")
        subprocess.run(["gcc", f"-m{bits}", "-static", "-O0", "-o", exe,
                        str(ROOT / "tools" / "strace_classes_probe.c")], check=True)
        out: dict[str, set[str]] = {}
        for cls, expr in CLASSES.items():
            log = os.path.join(d, "log")
            subprocess.run(["strace", "-qq", "-e", "trace=" + expr, "-o", log, exe], check=True)
            text = Path(log).read_text()
            for name in re.findall(r"^(\w+)\(.*= -1 ENOSYS", text, re.M):
                out.setdefault(name, set()).add(cls)
        # exit_group ends the probe so it is not swept; strace(1) lists it in %process.
        out.setdefault("exit_group", set()).add("process")
        return out


def signature(name: str, tp: dict[str, list[tuple[str, str]]]) -> tuple[str, list[tuple[str, str]] | None, str]:
    """(the call's kernel entry, its arguments as (name, C type) or None when unknown, where they
    come from: "tracepoint" -- the running kernel's --, "curated" -- CURATED -- or "none")."""
    kname = ENTRY.get(name, name)
    # i386 *32 calls are the 32-bit-uid variants of the same entry (kernel/sys.c).
    if kname.endswith("32") and kname[:-2] in tp and kname not in tp:
        kname = kname[:-2]
    # i386 *_time64 calls share the 64-bit entry's signature (kernel/time/*.c).
    if kname.endswith("_time64") and kname[:-7] in tp:
        kname = kname[:-7]
    entry = "sys_" + kname
    if kname in tp:
        return entry, tp[kname], "tracepoint"
    if name in CURATED:
        return entry, CURATED[name], "curated"
    if name.endswith("64") and name[:-2] in tp:
        return entry, tp[name[:-2]], "tracepoint"
    return entry, None, "none"


def generate(arch: str, tp: dict[str, list[tuple[str, str]]],
             classes: dict[str, set[str]]) -> dict[str, object]:
    """``arch``'s table: its audit arch, its rows, and where each call's signature came from
    (``signature_from``: name -> "tracepoint", "curated" or "none", not written to the module)."""
    rows = []
    signature_from = {}
    for name, nr in sorted(_numbers(arch).items(), key=lambda kv: kv[1]):
        if name in NOT_SYSCALLS:
            continue
        entry, sig, signature_from[name] = signature(name, tp)
        rows.append({"nr": nr, "name": name, "entry": entry,
                     # No signature known (the kernel builds no entry: sys_ni_syscall or
                     # a disabled config): consumers show all 6 registers.
                     "nargs": 6 if sig is None else len(sig),
                     "arg_names": [] if sig is None else [a for a, _ in sig],
                     "arg_types": [] if sig is None else [t for _, t in sig],
                     "classes": sorted(classes.get(name, ()))})
    # AUDIT_ARCH_* of include/uapi/linux/audit.h, compiled (tools/gen_roles.py)
    from gen_roles import audit_arches

    return {"arch": arch, "audit_arch": audit_arches()[arch], "syscalls": rows, "signature_from": signature_from}


def class_sets() -> dict[str, dict[str, set[str]]]:
    """Each arch's strace classes by call name."""
    c64, c32 = strace_classes(64), strace_classes(32)
    # aarch64 cannot be probed here; its calls take their class by name (the
    # x86_64 observation first, then i386 for 32-bit-only names).
    return {"x86_64": c64, "i386": c32, "aarch64": {**c32, **c64}}


def write_tables(out: Path, tp: dict[str, list[tuple[str, str]]], classes: dict[str, dict[str, set[str]]],
                 tracepoints_kernel: str) -> dict[str, dict[str, object]]:
    """Write syscalls/table_<arch>.py of every arch under ``out`` from the tracepoints ``tp`` of the
    kernel release ``tracepoints_kernel``; each arch's table (generate)."""
    made = {}
    for arch in ("x86_64", "i386", "aarch64"):
        data = made[arch] = generate(arch, tp, classes[arch])
        rows: list[dict[str, object]] = data["syscalls"]  # type: ignore[assignment]
        data_module.write(out, f"syscalls/table_{arch}.py",
                          data_module.syscall_table(arch, data["audit_arch"], rows,  # type: ignore[arg-type]
                                                    tracepoints_kernel))
        print(arch, len(rows))
    return made


def main(out: Path = data_module.SRC) -> dict[str, dict[str, object]]:
    """Write syscalls/table_<arch>.py of every arch under ``out`` from the running kernel's
    tracepoints; each arch's table."""
    return write_tables(out, tracepoint_args(), class_sets(), os.uname().release)


if __name__ == "__main__":
    main(data_module.out_option(sys.argv[1:])[0])
