"""Each scalar argument cut to its kernel type's width and signedness before it is printed.

The kernel only looks at the low 32 bits of an ``int``/``unsigned int``/``uid_t``... argument in a
64-bit register (the SYSCALL_DEFINE wrappers cast each register to its declared type,
include/linux/syscalls.h __SC_CAST), and strace prints the value as the kernel sees it:
``alarm(unsigned int)`` prints 42 for 0xffffffff0000002a, ``chown(uid_t)`` prints 4294901760 for
0xffff0000, ``inotify_init1(int)`` prints ``IN_CLOEXEC|0xdea5b6ef``.  The declared types come from
the generated syscall tables (``SyscallInfo.arg_types``, from the kernel's tracepoint formats), so
the signature rows of sigs.py keep saying *what* an argument is and this module says *how wide*:
the plan builder rewrites each scalar kind once per (arch, call), nothing runs per stop.
"""

from __future__ import annotations

from syscope.lean import cache

# 32-bit kernel types, by signedness (include/linux/types.h, include/uapi/asm-generic/posix_types.h:
# __kernel_pid_t, __kernel_clockid_t, __kernel_timer_t, __kernel_mqd_t and key_t are int;
# key_serial_t is int32_t; rwf_t is __kernel_rwf_t, an int; uid_t/gid_t/qid_t/umode_t unsigned)
_S32 = frozenset({"int", "pid_t", "clockid_t", "timer_t", "mqd_t", "key_t", "key_serial_t",
                  "rwf_t", "__s32", "s32", "int32_t"})
_U32 = frozenset({"unsigned int", "unsigned", "u32", "__u32", "mode_t", "uid_t", "gid_t",
                  "qid_t", "uint32_t", "old_uid_t", "old_gid_t"})
# ids print as unsigned, except (uid_t) -1, which strace prints as -1 (printuid(), src/util.c)
_IDS = frozenset({"uid_t", "gid_t", "old_uid_t", "old_gid_t"})
# 64-bit signed kernel types (off_t, loff_t are long long / __kernel_off_t)
_S64 = frozenset({"long", "loff_t", "off_t", "ssize_t", "__s64", "s64"})


def base_type(ctype: str) -> str:
    """``const __u32`` -> ``__u32``; pointers are left as they are."""
    t = ctype.strip()
    while t.startswith(("const ", "volatile ")):
        t = t.split(" ", 1)[1]
    return t.removesuffix(" const").strip()


def _narrow_one(kind: str, ctype: str, word: int) -> str:
    t = base_type(ctype)
    if "*" in t:
        # an address printed as a number is still an address: NULL for 0, as strace's printaddr()
        return "p" if kind in ("x", "u") else kind
    s32, u32 = t in _S32, t in _U32
    if kind == "o" and t == "umode_t":
        return "o16"  # umode_t is an unsigned short (include/linux/types.h)
    if kind in ("d", "u", "ld") and t in _IDS:
        return "uid"
    if kind in ("d", "u", "ld") and t == "pid_t":
        # a pid_t names a process unless the signature says a thread or a group (strace's
        # printpid(tcp, pid, PT_TGID) in sched.c, resource.c, numa.c, kcmp.c, process_vm.c ...)
        return "tgid"
    if kind in ("u", "ld") and s32:
        return "d"
    if kind in ("d", "u", "ld") and u32:
        return "u32"
    if kind == "x" and (s32 or u32) and word == 8:
        return "x32"
    if kind == "d" and word == 8 and t in _S64:
        return "ld"
    if kind[:2] in ("F:", "E:") and (s32 or u32) and word == 8:
        # flags and enums of an int: the names and the unknown rest of the 32-bit value
        return kind[0] + "32" + kind[1:]
    return kind


@cache
def arg_types(arch: str, name: str) -> tuple[str, ...]:
    try:
        from syscope.syscalls import table

        info = table(arch).by_name(name)
    except Exception:  # noqa: BLE001 - an arch without a table: the kinds as written
        return ()
    return tuple(info.arg_types) if info is not None else ()


@cache
def narrow(arch: str, name: str, kinds: tuple[str, ...], word: int) -> tuple[str, ...]:
    """The signature row with each scalar kind replaced by its kernel type's width form (kept:
    a call's Python plan and its C format both ask, at its first occurrence)."""
    types = arg_types(arch, name)
    if not types:
        return kinds
    out = list(kinds)
    for i, k in enumerate(kinds):
        if i < len(types) and not k.startswith(">"):
            out[i] = _narrow_one(k, types[i], word)
    return tuple(out)


def _fallback_one(ctype: str, name: str) -> str:
    t = base_type(ctype)
    if "*" in t:
        if t == "char *" and name in ("filename", "pathname", "path", "specialfile", "dir_name", "oldname",
                                      "newname", "library", "uname", "_name"):
            return "path"
        return "p"
    is_fd = name == "fd" or name.endswith("fd") or name.startswith("fd_")
    if t in _IDS:
        return "uid"
    if t == "pid_t":
        return "tgid"
    if t in _S32 or t in _U32:
        if is_fd:
            return "fd"
        if "flags" in name or "mask" in name:
            return "x32"
        return "d" if t in _S32 else "u32"
    if t == "umode_t":
        return "o16"
    if t in _S64:
        return "ld"
    if t in ("unsigned long", "size_t", "u64", "__u64", "unsigned long long") and "flags" not in name:
        return "u"
    return "x"


@cache
def from_types(arch: str, name: str) -> tuple[str, ...] | None:
    """A signature row for a call sigs.py does not describe, from the kernel's declared types
    (strace decodes nearly every call; printing each register in hex, as printargs() does, is
    further from it than printing an int as an int, a pointer as a pointer, a path as a path)."""
    try:
        from syscope.syscalls import table

        info = table(arch).by_name(name)
    except Exception:  # noqa: BLE001 - an arch without a table: printargs
        return None
    if info is None or not info.arg_types:
        return None
    return tuple(_fallback_one(t, n) for t, n in zip(info.arg_types, info.arg_names, strict=False))
