"""Generated tables vs. the headers and the running kernel."""
from __future__ import annotations

import ctypes
import subprocess
import sys
from pathlib import Path

import pytest

from syscope.errors import SyscopeError
from syscope.syscalls import arch_from_audit, native_arch, table


def test_known_numbers() -> None:
    t = table("x86_64")
    assert t.by_name("openat").nr == 257  # type: ignore[union-attr]
    assert t.by_nr(262).name == "newfstatat"  # type: ignore[union-attr]
    assert t.by_nr(17).name == "pread64"  # type: ignore[union-attr]
    assert t.by_name("umount2").entry == "sys_umount"  # type: ignore[union-attr]
    assert t.by_nr(100000) is None and t.by_nr(-1) is None
    i = table("i386")
    assert i.by_name("_llseek").nr == 140 and i.by_name("_newselect").nr == 142  # type: ignore[union-attr]
    assert i.by_name("mmap2").nargs == 6  # type: ignore[union-attr]
    a = table("aarch64")
    assert a.by_name("newfstatat").nr == 79 and a.by_name("open") is None  # type: ignore[union-attr]
    assert table("x86_64") is t


def test_args_from_tracefs() -> None:
    o = table("x86_64").by_name("openat")
    assert o is not None and o.arg_names == ("dfd", "filename", "flags", "mode")
    assert o.arg_types[1] == "const char *"
    fmt = Path("/sys/kernel/tracing/events/syscalls/sys_enter_openat/format").read_text()
    assert "const char * filename" in fmt


def test_audit_and_native() -> None:
    assert arch_from_audit(table("x86_64").audit_arch) == "x86_64"
    assert arch_from_audit(0x40000003) == "i386" and arch_from_audit(1) is None
    assert native_arch() == "x86_64"
    with pytest.raises(SyscopeError):
        table("mips")
    with pytest.raises(SyscopeError):
        table("x86_64").names_in_class("nosuch")


@pytest.mark.parametrize("cls,expr", [("file", "%file"), ("process", "%process"), ("network", "%net"),
                                      ("stat_like", "%%stat"), ("memory", "%memory")])
def test_classes_match_strace_on_real_program(tmp_path: Path, cls: str, expr: str) -> None:
    # A real dynamic program: every call strace shows under %CLASS must be in our class,
    # and every call of ours in the class that the program made must be shown.
    # A private directory so both runs make the same calls (a shared /tmp changes underneath).
    log, d = tmp_path / "log", tmp_path / "d"
    d.mkdir()
    (d / "f").write_text("x")
    (d / "l").symlink_to("f")
    subprocess.run(["strace", "-f", "-qq", "-o", str(tmp_path / "all"), "/bin/ls", "-l", str(d)],
                   check=True, capture_output=True)
    subprocess.run(["strace", "-f", "-qq", "-e", "trace=" + expr, "-o", str(log), "/bin/ls", "-l", str(d)],
                   check=True, capture_output=True)
    def names(p: Path) -> set[str]:
        return {ln.split("(")[0].split()[-1] for ln in p.read_text().splitlines()
                if "(" in ln and not ln.startswith(("+++", "---"))}
    ours = table("x86_64").names_in_class(cls)
    shown = names(log)
    assert shown and shown <= ours
    assert names(tmp_path / "all") & ours == shown


def test_numbers_match_real_syscalls_under_strace(tmp_path: Path) -> None:
    # The running kernel (via strace's naming) agrees with our number->name map.
    names = ["getpid", "getppid", "getuid", "umask", "sync"]
    t = table("x86_64")
    prog = tmp_path / "p.c"
    calls = "".join(f"syscall({t.by_name(n).nr}, {'022' if n == 'umask' else ''});" for n in names)  # type: ignore[union-attr]
    head = "#include <unistd.h>\n#include <sys/syscall.h>\nint main(void){"
    prog.write_text(head + calls.replace(", )", ")") + "return 0;}\n")
    subprocess.run(["gcc", "-o", str(tmp_path / "p"), str(prog)], check=True)
    out = subprocess.run(["strace", "-f", "-e", "trace=" + ",".join(names), str(tmp_path / "p")],
                         capture_output=True, text=True, check=True).stderr
    seen = [ln.split("(")[0] for ln in out.splitlines() if "(" in ln]
    assert seen == names
    assert ctypes.CDLL(None).syscall(t.by_name("getpid").nr) > 0  # type: ignore[union-attr]


def test_records_made_on_demand_are_the_rows() -> None:
    # SyscallTable makes a call's record from its line when first asked for: by number, by name
    # and by iterating, the same record, equal to the generated row as tools/data_module.py (the
    # generators' side) reads it back
    from syscope import syscalls

    root = Path(__file__).resolve().parents[2]
    sys.path.insert(0, str(root / "tools"))
    try:
        import data_module
    finally:
        sys.path.remove(str(root / "tools"))
    for arch in syscalls.ARCHES:
        t = syscalls.table(arch)
        _audit, rows = data_module.syscall_rows(root / "src/syscope/syscalls" / f"table_{arch}.py")
        assert rows and _audit == t.audit_arch
        for r in rows:
            info = t.by_nr(r["nr"])
            assert info is not None and info is t.by_name(r["name"])
            assert info == (r["nr"], r["name"], r["entry"], r["nargs"], r["arg_names"], r["arg_types"],
                            frozenset(r["classes"]))
        assert [i.nr for i in t] == [r["nr"] for r in rows] and len(t) == len(rows)
        assert syscalls.table_size(arch) == rows[-1]["nr"] + 1
        assert syscalls.numbers(arch) == {r["name"]: r["nr"] for r in rows}
        assert syscalls.class_names(arch, "process") == {r["name"] for r in rows if "process" in r["classes"]}
        assert t.by_nr(-1) is None and t.by_nr(100_000) is None and t.by_name("no_such_call") is None


def test_arch_from_audit_agrees_with_the_roles_layer() -> None:
    # the tables' AUDIT_ARCH (gen_syscalls) and the roles layer's (gen_roles, <linux/audit.h>)
    # name the same arch; a value no table has is None
    from syscope.syscalls import ARCHES
    from syscope.syscalls.roles import AUDIT_ARCH

    assert {arch_from_audit(AUDIT_ARCH[a]) for a in ARCHES} == set(ARCHES)
    assert {v for a, v in AUDIT_ARCH.items() if arch_from_audit(v) is None} == {
        v for a, v in AUDIT_ARCH.items() if a not in ARCHES}
    assert arch_from_audit(0) is None
