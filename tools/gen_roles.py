#!/usr/bin/env python3
"""Generate src/syscope/syscalls/roles_data.py: the syscall-knowledge layer's data.

Every fact here is derived, none typed in:

- argument roles (path, fd, dirfd, sockaddr, in/out data buffer, I/O class, returns-fd) from the
  decoder's signatures (syscope.decode.sigs: the kind of each argument as strace prints it) joined
  with the generated syscall tables (syscope/syscalls/table_<arch>.py: the kernel's parameter names and C
  types from the syscall tracepoints).  A call the decoder has no signature for takes its roles
  from its parameters: a ``struct sockaddr *`` is a socket address; a parameter whose kernel name
  the decoder decodes as a path (``filename``, ``pathname``, ``oldname`` ...) with type
  ``const char *`` is a path; likewise for fd and dirfd names with an integer type;
- socketcall(2) call numbers from <linux/net.h> (SYS_*), each call's argument count from the i386
  table (or the decoder's signature for send/recv, which have no call of their own);
- ipc(2) call numbers from <linux/ipc.h> (SEMOP ... SHMCTL: each macro that names an i386 call);
- AUDIT_ARCH_* values from <linux/audit.h> (compiled, so the EM_* | flag macros evaluate as C does);
- signal names and numbers from <asm/signal.h> (the kernel's numbering, SIGRTMIN 32), the first
  name of each number (SIGABRT, not SIGIOT; SIGIO, not SIGPOLL; SIGSYS, not SIGUNUSED).

Rerun after tools/gen_syscalls.py or a change of the decoder's signatures:
    .venv/bin/python tools/gen_roles.py [--out OUT]   (OUT: the folder to write into, src/syscope)
tests/unit/test_syscall_roles.py fails when the committed module differs from what this makes.
"""
from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import data_module

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

ARCHES = ("x86_64", "i386", "aarch64")
# syscope's arch name -> the AUDIT_ARCH_* macro of <linux/audit.h>; "arm" is aarch64's 32-bit ABI
AUDIT_MACROS = {"x86_64": "AUDIT_ARCH_X86_64", "i386": "AUDIT_ARCH_I386",
                "aarch64": "AUDIT_ARCH_AARCH64", "arm": "AUDIT_ARCH_ARM"}

# decoder kinds (syscope.decode.sigs docstring) -> buffer layout: what the data buffer is
_IN_BUF = {"buf": "data", "sockbuf": "data", "iov": "iov", "msghdr": "msg", "mmsg_send": "mmsg", "xattr_val": "data"}
_OUT_BUF = {"rbuf": "data", "rsockbuf": "data", "rstr": "data", "riov": "iov", "rmsghdr": "msg", "mmsg_recv": "mmsg",
            "xattr_val": "data", "xattr_list": "data", "rbufx": "data"}
# calls with an fd and a buffer after it that move no data of the fd: flistxattr(2) fills the
# buffer with the file's attribute names (strace's -e read= does not dump it: syscall.c dumpio)
_NOT_IO = frozenset({"flistxattr"})
_INT_TYPES = frozenset({"int", "unsigned int", "unsigned long", "long", "u32"})
_STR_TYPES = frozenset({"const char *", "char *"})


def _cpp_defines(header: str) -> dict[str, str]:
    out = subprocess.run(["cpp", "-dM", "-"], input=f"#include <{header}>\n", capture_output=True,
                         text=True, check=True).stdout
    return dict(re.findall(r"^#define (\w+) (.+)$", out, re.M))


def audit_arches() -> dict[str, int]:
    prog = "#include <linux/audit.h>\n#include <stdio.h>\nint main(void) {\n" + "".join(
        f'  printf("%u\\n", (unsigned){m});\n' for m in AUDIT_MACROS.values()) + "  return 0;\n}\n"
    with tempfile.TemporaryDirectory() as d:
        src, exe = Path(d, "a.c"), Path(d, "a")
        src.write_text(prog)
        subprocess.run(["gcc", "-o", str(exe), str(src)], check=True)
        values = subprocess.run([str(exe)], capture_output=True, text=True, check=True).stdout.split()
    return {a: int(v) for a, v in zip(AUDIT_MACROS, values, strict=True)}


def signals() -> dict[str, Any]:
    defs = _cpp_defines("asm/signal.h")
    names: dict[int, str] = {}
    text = Path("/usr/include/x86_64-linux-gnu/asm/signal.h")
    # header order decides which alias is the name (cpp -dM does not keep it)
    order = re.findall(r"^#define\s+(SIG[A-Z0-9]+)\s", text.read_text(), re.M) if text.exists() else sorted(defs)
    for n in order:
        v = defs.get(n, "").strip()
        if n.startswith("SIGRT") or not v.isdigit():
            continue
        names.setdefault(int(v), n)
    nsig = int(_cpp_defines("asm-generic/signal.h")["_NSIG"])
    return {"names": {str(k): v for k, v in sorted(names.items())},
            "sigrtmin": int(defs["SIGRTMIN"]), "sigrtmax": nsig}


def tables() -> dict[str, dict[str, dict[str, Any]]]:
    out = {}
    for a in ARCHES:
        # the committed tables tools/gen_syscalls.py wrote, read as literals
        _audit, rows = data_module.syscall_rows(data_module.SRC / "syscalls" / f"table_{a}.py")
        out[a] = {r["name"]: r for r in rows}
    return out


def signature(arch: str, name: str) -> tuple[str, ...] | None:
    """The decoder's argument kinds for a call, found as Decoder._build finds them."""
    from syscope.decode.decoder import _TIME64
    from syscope.decode.sigs import SIGS, SIGS_ARCH

    row = SIGS_ARCH.get(arch, {}).get(name) or SIGS.get(name)
    if row is None and arch == "i386" and name in _TIME64:
        row = SIGS.get(_TIME64[name])
    if row is None and arch == "i386" and name.endswith("32"):
        row = SIGS.get(name[:-2])
    return None if row is None else row[0]


def return_kind(name: str) -> str | None:
    from syscope.decode.sigs import SIGS

    row = SIGS.get(name)
    return None if row is None else row[1]


def _kinds_roles(kinds: tuple[str, ...]) -> dict[str, Any]:
    r: dict[str, Any] = {"path": [], "fd": [], "dirfd": [], "sockaddr": [], "in_buf": None, "out_buf": None}
    for i, k in enumerate(kinds):
        out = k.startswith(">")
        base, _, arg = k.lstrip(">").partition(":")
        if base == "path":
            r["path"].append(i)
        elif base == "fd":
            r["fd"].append(i)
        elif base == "dirfd":
            r["dirfd"].append(i)
        elif base == "sockaddr":
            r["sockaddr"].append(i)
        elif base in _OUT_BUF and out and r["out_buf"] is None:
            # what the kernel wrote: as many bytes (or vectors) as the call returns
            r["out_buf"] = [i, "ret", _OUT_BUF[base]]
        elif base in _IN_BUF and r["in_buf"] is None:
            length: int | str | None = int(arg) if arg.isdigit() else i + 1 if base == "mmsg_send" else None
            r["in_buf"] = [i, length, _IN_BUF[base]]
    return r


# decoder kinds of a pid argument or result (decode/kinds/pids.py): the id it names
_PID_KINDS = ("tid", "tgid", "pgid", "sid", "tgid_pgid", "who", "waitid_id")


def _pid_roles(arch: str, name: str, kinds: tuple[str, ...] | None) -> list[list[Any]]:
    """[index, kind] of each argument that is a pid, as the decoder prints it: the signature's
    row with the kernel types' widths applied (a pid_t names a process unless the row says
    otherwise), or the row the decoder makes from the types for a call without one."""
    from syscope.decode import widths
    from syscope.decode.registry import word_size

    row = widths.narrow(arch, name, kinds, word_size(arch)) if kinds is not None else widths.from_types(arch, name)
    out = []
    for i, k in enumerate(row or ()):
        base = k.lstrip(">").partition(":")[0]
        if base in _PID_KINDS:
            out.append([i, base])
    return out


def learned_names(tabs: dict[str, dict[str, dict[str, Any]]]) -> dict[str, set[tuple[str, str]]]:
    """(kernel parameter name, C type) pairs the decoder decodes as each role, over every call it
    has a signature for: the evidence that the same parameter of another call has that role.  A
    parameter name the decoder reads in several ways counts as the way it reads it most often
    (``name`` is acct(2)'s path but the xattr calls' attribute name; ``fd`` is execveat(2)'s dirfd
    but every other call's fd)."""
    from collections import Counter

    votes: dict[tuple[str, str], Counter[str]] = {}
    for arch, tab in tabs.items():
        for name, row in tab.items():
            kinds = signature(arch, name)
            if kinds is None:
                continue
            for i, (n, t) in enumerate(zip(row["arg_names"], row["arg_types"], strict=True)):
                if i < len(kinds):
                    base = kinds[i].lstrip(">").partition(":")[0]
                    # an fd is an int of any width: the name is the evidence, not the C type
                    # and a path is a string whether the prototype says const or not
                    key = (n, "int") if t in _INT_TYPES else (n, "str") if t in _STR_TYPES else (n, t)
                    votes.setdefault(key, Counter())[base] += 1
    seen: dict[str, set[tuple[str, str]]] = {"path": set(), "fd": set(), "dirfd": set(), "mixed": set()}
    kinds_of_name: dict[str, set[str]] = {}
    for (n, _t), c in votes.items():
        kinds_of_name.setdefault(n, set()).update(c)
    seen["mixed"] = {(n, "") for n, ks in kinds_of_name.items() if len(ks) > 1}
    for (n, t), c in votes.items():
        role = c.most_common(1)[0][0]
        if role in seen:
            seen[role] |= ({(n, x) for x in _INT_TYPES} if t == "int" else
                           {(n, x) for x in _STR_TYPES} if t == "str" else {(n, t)})
    return seen


def call_roles(arch: str, name: str, row: dict[str, Any] | None,
               learned: dict[str, set[tuple[str, str]]]) -> dict[str, Any]:
    kinds = signature(arch, name)
    r = _kinds_roles(kinds) if kinds is not None else _kinds_roles(())
    if row is not None:
        for i, (n, t) in enumerate(zip(row["arg_names"], row["arg_types"], strict=True)):
            if t == "struct sockaddr *" and i not in r["sockaddr"]:
                r["sockaddr"].append(i)
            for role in ("path", "fd", "dirfd"):
                # a path only in what strace calls a file call (%file: "system calls which take
                # a file name as an argument", strace(1)); sethostname's name is not one
                # (calls newer than the strace that classified them have no class: there, a
                # name the decoder reads in one way only)
                if role == "path" and "file" not in row["classes"] and (
                        row["classes"] or (n, "") in learned["mixed"]):
                    continue
                if (n, t) in learned[role] and i not in r[role] and not any(
                        i in r[o] for o in ("path", "fd", "dirfd", "sockaddr")):
                    r[role].append(i)
    for k in ("path", "fd", "dirfd", "sockaddr"):
        r[k].sort()
    # I/O class: the call moves data through an fd, the buffer right after it (read(2), send(2)
    # ...; getxattr-like calls whose buffer is a value, not the fd's data, have it elsewhere)
    io = None
    if name in _NOT_IO:
        pass
    elif 0 in r["fd"] and r["out_buf"] is not None and r["out_buf"][0] == 1:
        io = "read"
    elif 0 in r["fd"] and r["in_buf"] is not None and r["in_buf"][0] == 1:
        io = "write"
    r["io"] = io
    rk = return_kind(name) if kinds is not None else None
    if rk is None and kinds is not None:
        # a renamed i386 variant (chown32, *_time64): its base call's return kind
        from syscope.decode.decoder import _TIME64

        rk = return_kind(_TIME64.get(name, name[:-2]))
    r["returns_fd"] = rk == "fd"
    r["pid"], r["returns_pid"] = _pid_roles(arch, name, kinds), rk if rk in _PID_KINDS else None
    return r


def socketcalls(i386: dict[str, dict[str, Any]]) -> dict[str, list[Any]]:
    out = {}
    for macro, v in _cpp_defines("linux/net.h").items():
        if not macro.startswith("SYS_") or not v.strip().isdigit():
            continue
        name = macro[4:].lower()
        row = i386.get(name)
        kinds = signature("i386", name)
        nargs = row["nargs"] if row is not None else len(kinds) if kinds is not None else None
        if nargs is None:
            raise SystemExit(f"socketcall {name}: no argument count known")
        out[v.strip()] = [name, nargs]
    return dict(sorted(out.items(), key=lambda kv: int(kv[0])))


def ipccalls(i386: dict[str, dict[str, Any]]) -> dict[str, str]:
    """The i386 ipc(2) multiplexer's call numbers: the <linux/ipc.h> macros ("ipc() calls")
    whose lower-case name is a call of its own or the decoder has a signature for (semop)."""
    out = {v.strip(): macro.lower() for macro, v in _cpp_defines("linux/ipc.h").items()
           if v.strip().isdigit() and (macro.lower() in i386 or signature("i386", macro.lower()) is not None)}
    if not out:
        raise SystemExit("linux/ipc.h: no ipc(2) call numbers found")
    return dict(sorted(out.items(), key=lambda kv: int(kv[0])))


def generate() -> dict[str, Any]:
    from syscope.decode.sigs import SIGS

    tabs = tables()
    learned = learned_names(tabs)
    socks = socketcalls(tabs["i386"])
    calls: dict[str, dict[str, Any]] = {}
    names = sorted(set().union(*tabs.values()) | set(SIGS) | {n for n, _ in socks.values()})
    for name in names:
        per_arch = []
        for arch in ARCHES:
            if name in tabs[arch] or (arch == "i386" and signature(arch, name) is not None):
                per_arch.append(call_roles(arch, name, tabs[arch].get(name), learned))
        if not per_arch:
            per_arch.append(call_roles("x86_64", name, None, learned))
        # roles by name: a call means the same on every arch; where an arch's registers differ
        # (i386's split 64-bit offsets) it is in the offsets, after the roles' arguments
        first = per_arch[0]
        for other in per_arch[1:]:
            for k in ("path", "fd", "dirfd", "sockaddr", "io", "returns_fd"):
                if other[k] != first[k]:
                    raise SystemExit(f"{name}: {k} differs between arches: {first[k]} / {other[k]}")
        if any(first[k] for k in first):
            calls[name] = first
    return {"audit_arch": audit_arches(), "signals": signals(), "socketcalls": socks,
            "ipccalls": ipccalls(tabs["i386"]), "calls": calls}


def main(out: Path = data_module.SRC) -> dict[str, Any]:
    """Write syscalls/roles_data.py under ``out``; the data it holds."""
    data = generate()
    data_module.write(out, "syscalls/roles_data.py", data_module.roles_data(data))
    print(len(data["calls"]), "calls")
    return data


if __name__ == "__main__":
    main(data_module.out_option(sys.argv[1:])[0])
