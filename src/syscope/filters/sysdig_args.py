"""sysdig's view of a syscall's parameters: its names (``evt.arg.target``, ``evt.arg.request``),
rendered values (``flags=O_RDONLY|O_CLOEXEC``, ``request=PTRACE_TRACEME``) and raw values.

The names and types are libs' event table (sysdig_events.json, tools/gen_sysdig_events.py); each
is matched with the kernel's parameter of the same role (syscope.syscalls' names) and its value
read from the event's structured arguments or registers; flag sets are named with the decoder's
tables generated from the UAPI headers (syscope.decode)."""

from __future__ import annotations

import errno as _errno
import functools
import json
import os
from pathlib import Path
from typing import Any

from syscope.context import Context
from syscope.context.fds import event_paths, fd_name
from syscope.events import SyscallEvent
from syscope.syscalls.roles import DATA_ARGS, PATH_ARGS, roles

_EVENTS: dict[str, dict[str, list[list[str]]]] = json.loads(
    (Path(__file__).with_name("sysdig_events.json")).read_text())

# sysdig's parameter name -> the kernel's names for the same argument (include/linux/syscalls.h)
_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("filename", "pathname", "path", "name"), "filename": ("filename", "pathname", "path"),
    "path": ("path", "pathname", "filename"), "dirfd": ("dfd", "dirfd", "fd"),
    "target": ("oldname", "target"), "linkpath": ("newname", "linkpath"),
    "oldpath": ("oldname", "oldpath"), "newpath": ("newname", "newpath"),
    "olddir": ("olddfd",), "olddirfd": ("olddfd",), "newdir": ("newdfd",), "newdirfd": ("newdfd",),
    "linkdirfd": ("newdfd",), "domain": ("family",), "proto": ("protocol",),
    "size": ("count", "len", "size"), "data": ("buf", "ubuf"), "oldfd": ("oldfd", "fildes"),
    "cmd": ("cmd", "option"), "addr": ("uservaddr", "addr", "umyaddr", "upeer_sockaddr"),
    "uid": ("uid", "ruid"), "gid": ("gid", "rgid"), "euid": ("euid",), "egid": ("egid",),
    "length": ("len", "length"), "prot": ("prot",), "option": ("option",),
}

# libs' flag tables (driver/flags_table.c) -> the decoder's generated tables of the same values
_TABLES: dict[str, tuple[str, ...]] = {
    "file_flags": ("open_access", "open_flags"), "creat_flags": ("open_access", "open_flags"),
    "ptrace_requests": ("ptrace_request",), "socket_families": ("socket_family",),
    "linkat_flags": ("at_flags",), "unlinkat_flags": ("unlinkat_flags",),
    "newfstatat_flags": ("at_flags",), "fchownat_flags": ("at_flags",), "mmap_flags": ("mmap_flags",),
    "prot_flags": ("mmap_prot",), "clone_flags": ("clone_flags",), "access_flags": ("access_mode",),
    "renameat2_flags": ("rename_flags",), "memfd_create_flags": ("memfd_flags",),
    "lseek_whence": ("seek_whence",), "fcntl_commands": ("fcntl_cmd",), "flock_flags": ("flock_op",),
    "prctl_options": ("prctl_option",), "shutdown_how": ("shutdown_how",), "mount_flags": ("mount_flags",),
    "umount_flags": ("umount_flags",), "rlimit_resources": ("rlimit_resource",),
    "epoll_create1_flags": ("epoll_create_flags",), "splice_flags": ("splice_flags",),
    "sockopt_levels": ("sockopt_level",), "futex_operations": ("futex_op",),
    "close_range_flags": ("close_range_flags",), "pidfd_open_flags": ("pidfd_flags",),
    "chmod_mode": ("mode_bits",), "mknod_mode": ("mode_bits",),
}

_DOTS = {c: "." for c in (*range(0x20), *range(0x7F, 0x100))}
_STRINGS = frozenset({"PT_CHARBUF", "PT_FSPATH", "PT_FSRELPATH"})
_SIGNED = frozenset({"PT_FD", "PT_FD32", "PT_PID", "PT_PID32", "PT_ERRNO", "PT_INT8", "PT_INT16",
                     "PT_INT32", "PT_INT64"})


@functools.lru_cache(maxsize=4096)
def params(syscall: str) -> tuple[tuple[str, str, str], ...]:
    """(name, type, table) of each of sysdig's parameters of ``syscall``: the exit event's, then
    enter-only ones."""
    ev = _EVENTS.get(syscall)
    if ev is None:
        return ()
    out = [(p[0], p[1], p[3]) for p in ev.get("X", [])]
    seen = {p[0] for p in out}
    out += [(p[0], p[1], p[3]) for p in ev.get("E", []) if p[0] not in seen]
    return tuple(out)


def all_param_names() -> set[str]:
    return {p[0] for k, ev in _EVENTS.items() if not k.startswith("_") for d in ev.values() for p in d}


# tables of sysdig's own bits (not the kernel's): name by value
_OWN_FLAGS: dict[str, Any] = _EVENTS.get("_flags", {})


@functools.lru_cache(maxsize=8192)
def _kernel_index(arch: str, nr: int, syscall: str, pname: str) -> int | None:
    from syscope.syscalls import table

    try:
        info = table(arch).by_nr(nr)
    except Exception:  # noqa: BLE001 - an unknown arch has no names
        return None
    if info is None:
        return None
    names = list(info.arg_names)
    for cand in (*_ALIASES.get(pname, ()), pname):
        if cand in names:
            return names.index(cand)
    return None


def _signed(v: int, typ: str) -> int:
    if typ in ("PT_FD", "PT_FD32", "PT_PID32", "PT_INT32", "PT_ERRNO", "PT_PID") and v & 0x80000000 \
            and v < (1 << 32):
        return v - (1 << 32)
    if v >= 1 << 63:
        return v - (1 << 64)
    return v


def _flags(arch: str, table: str, v: int) -> str:
    from syscope.decode import fmt

    tabs = _TABLES.get(table)
    if not tabs:
        return str(v)
    if tabs[0] == "open_access":
        acc = fmt.enum(arch, "open_access").get(v & 3) or str(v & 3)
        rest = fmt.flags(arch, "open_flags").names(v & ~3)
        return "|".join((acc, *rest))
    if tabs[0] in ("ptrace_request", "socket_family", "seek_whence", "fcntl_cmd", "prctl_option",
                   "shutdown_how", "rlimit_resource", "sockopt_level", "futex_op"):
        name = fmt.enum(arch, tabs[0]).get(v & 0xFFFFFFFF)
        return name if name is not None else str(v)
    names = fmt.flags(arch, tabs[0]).names(v)
    return "|".join(names) if names else "0"


def _string(ev: SyscallEvent, i: int, ctx: Context, pname: str) -> str | None:
    sa = ev.structured_args
    if i < len(sa):
        v = sa[i].value
        if isinstance(v, str):
            return v
        if isinstance(v, bytes):
            return os.fsdecode(v)
    spec = PATH_ARGS.get(ev.name)
    if spec is not None and spec[0] == i:
        paths = event_paths(ev)
        if paths:
            return paths[0]
    if ev.name in ("symlink", "symlinkat") and pname == "target" and ctx.live and ev.errno is None:
        # the source read only the link's path; a symlink's content is its target (symlink(2))
        j = _kernel_index(ev.arch, ev.nr, ev.name, "linkpath")
        link = _string(ev, j, ctx, "linkpath") if j is not None else None
        if link is not None:
            from syscope.context.fds import absolute_path
            try:
                return os.readlink(absolute_path(ev, link, ctx))
            except OSError:
                return None
    return None


def _first_bytes(v: Any) -> bytes | None:
    """The first data buffer in a structured argument: bytes, an iovec list's first iov_base, a
    msghdr's msg_iov, an mmsghdr list's first msg_hdr."""
    for _ in range(6):  # mmsghdr list -> msg_hdr -> msg_iov list -> iovec -> iov_base
        if isinstance(v, bytes):
            return v
        if isinstance(v, list):
            if not v:
                return None
            v = v[0]
        elif isinstance(v, dict):
            for key in ("iov_base", "msg_iov", "msg_hdr"):
                if key in v:
                    v = v[key]
                    break
            else:
                return None
        else:
            return None
    return None


def event_buffer(ev: SyscallEvent) -> str | None:
    """The data a read/write-like call moved (sysdig's evt.buffer), from the structured value of
    its data buffer (syscope.syscalls.roles: a write's in_buf, a read's out_buf) as the ptrace
    decoder and the eBPF source fill it: the bytes, or for readv/writev and the msghdr calls the
    first iovec's.  None when the call moved nothing or its buffer was not read."""
    r = roles(ev.name)
    buf = r.out_buf if r.io == "read" else r.in_buf if r.io == "write" else None
    if buf is None:
        return None
    sa = ev.structured_args
    got = _first_bytes(sa[buf.index].value) if buf.index < len(sa) else None
    return got.decode("latin-1") if got is not None else None


def res_text(ev: SyscallEvent) -> str:
    if ev.retval is None:
        return "?"
    if ev.errno is not None:
        return f"-{ev.errno}({_errno.errorcode.get(ev.errno, '?')})"
    return str(ev.retval)


def value(ev: SyscallEvent, pname: str, ctx: Context, raw: bool = False) -> Any:
    """sysdig's parameter ``pname`` of ``ev``: rendered (flags by name, a string for every type,
    as evt.arg gives it) or ``raw`` (the number, as evt.rawarg gives it); None when the call has
    no such parameter or its value is unknown."""
    ps = params(ev.name)
    for k, (name, typ, table) in enumerate(ps):
        if name != pname:
            continue
        if k == 0 and ev.name in _EVENTS and _EVENTS[ev.name].get("X", [[""]])[0][0] == name:
            # the exit event's first parameter is the call's result
            if ev.retval is None:
                return None
            return ev.retval if raw else (res_text(ev) if typ == "PT_ERRNO" else str(ev.retval))
        if typ == "PT_SOCKTUPLE":
            return fd_name(ev, ctx)
        if typ == "PT_SOCKADDR":
            p = event_paths(ev)
            return p[0] if p else None
        if typ == "PT_BYTEBUF" and name == "data" and DATA_ARGS.get(ev.name):
            return event_buffer(ev)
        if table in _OWN_FLAGS:
            return _own_flags(ev, table, ctx, raw)
        i = _kernel_index(ev.arch, ev.nr, ev.name, name)
        if i is None or i >= len(ev.raw_args):
            return None
        if typ in _STRINGS:
            return _string(ev, i, ctx, name)
        v = _signed(ev.raw_args[i], typ) if typ in _SIGNED else ev.raw_args[i]
        if raw:
            return v
        if table and typ.startswith(("PT_FLAGS", "PT_ENUMFLAGS", "PT_MODE")):
            return _flags(ev.arch, table, ev.raw_args[i])
        return str(v)
    return None


def _own_flags(ev: SyscallEvent, table: str, ctx: Context, raw: bool) -> Any:
    if table != "execve_flags" or ev.errno is not None:
        return None
    from syscope.filters.fields_proc import exe_flag_names

    names = exe_flag_names(ctx, ev)
    if names is None:
        return None
    if raw:
        bits = {n: v for v, n in _OWN_FLAGS[table]}
        return sum(bits[n] for n in names)
    return "|".join(names) if names else "0"


def info(ev: SyscallEvent, ctx: Context) -> str:
    """sysdig's %evt.info for a syscall: its parameters as name=value."""
    parts = []
    for name, typ, _t in params(ev.name):
        v = value(ev, name, ctx)
        if v is None:
            continue
        if typ == "PT_BYTEBUF" and isinstance(v, str):
            v = v.translate(_DOTS)  # as sysdig prints data: non-printable bytes as dots
        parts.append(f"{name}={v}")
    if not parts:  # a call libs' table does not know: the kernel's parameter names
        parts.append(f"res={res_text(ev)}")
        from syscope.syscalls import table

        try:
            names = tuple(table(ev.arch).by_nr(ev.nr).arg_names)  # type: ignore[union-attr]
        except Exception:  # noqa: BLE001 - no table, no names
            names = ()
        parts += [f"{names[i] if i < len(names) else f'arg{i}'}={a}" for i, a in enumerate(ev.args)]
    return " ".join(parts)


__all__ = ["params", "value", "info", "res_text", "all_param_names", "event_buffer"]
