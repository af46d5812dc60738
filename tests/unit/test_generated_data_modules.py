"""The modules the tracer reads its generated tables from (syscalls/table_<arch>.py,
syscalls/roles_data.py, decode/consts_<arch>.py, decode/consts_spec.py,
decode/ioctl/tables_<arch>.py) are what tools/gen_data_modules.py makes of the committed JSON and
decode/spec.py, and hold the same data."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from syscope import syscalls
from syscope.decode import fmt, spec
from syscope.syscalls import roles, roles_data

ROOT = Path(__file__).resolve().parents[2]


def _generator() -> Any:
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import gen_data_modules
    finally:
        sys.path.remove(str(ROOT / "tools"))
    return gen_data_modules


def test_committed_modules_are_what_the_generator_makes() -> None:
    made = _generator().generate()
    assert len(made) == 11
    for path, text in made.items():
        assert path.read_text(encoding="utf-8") == text, f"rerun tools/gen_data_modules.py ({path.name})"


@pytest.mark.parametrize("arch", syscalls.ARCHES)
def test_syscall_rows_are_the_json_rows(arch: str) -> None:
    data = json.loads((ROOT / f"src/syscope/syscalls/{arch}.json").read_text())
    table = syscalls.table(arch)
    assert table.audit_arch == data["audit_arch"]
    assert [(i.nr, i.name, i.entry, i.nargs, list(i.arg_names), list(i.arg_types), sorted(i.classes))
            for i in table] == [(r["nr"], r["name"], r["entry"], r["nargs"], r["arg_names"], r["arg_types"],
                                 sorted(r["classes"])) for r in data["syscalls"]]
    assert syscalls.numbers(arch) == {r["name"]: r["nr"] for r in data["syscalls"]}
    assert syscalls.class_names(arch, "file") == {r["name"] for r in data["syscalls"] if "file" in r["classes"]}


def test_roles_are_the_jsons() -> None:
    data = json.loads((ROOT / "src/syscope/syscalls/roles.json").read_text())

    def buffer(v: list[object] | None) -> tuple[object, ...] | None:
        return None if v is None else tuple(v)

    assert {name: tuple(r) for name, r in roles.all_roles().items()} == {
        name: (tuple(r["path"]), tuple(r["fd"]), tuple(r["dirfd"]), tuple(r["sockaddr"]), buffer(r["in_buf"]),
               buffer(r["out_buf"]), r["io"], r["returns_fd"], tuple(tuple(p) for p in r.get("pid", [])),
               r.get("returns_pid"))
        for name, r in data["calls"].items()}
    assert all(isinstance(b, roles.Buffer) for r in roles.all_roles().values() for b in (r.in_buf, r.out_buf) if b)
    assert roles.SOCKETCALLS == {int(k): tuple(v) for k, v in data["socketcalls"].items()}
    assert roles.IPCCALLS == {int(k): v for k, v in data["ipccalls"].items()}
    assert roles.AUDIT_ARCH == data["audit_arch"]
    assert roles.SIGNAL_NAMES == {int(k): v for k, v in data["signals"]["names"].items()}
    assert (roles.SIGRTMIN, roles.SIGRTMAX) == (data["signals"]["sigrtmin"], data["signals"]["sigrtmax"])
    assert len(roles_data.CALLS) == len(data["calls"])


def test_roles_views_are_the_records_views() -> None:
    # roles.py makes its sets and tables in one pass over the generated rows, and a call's
    # CallRoles when first asked for: both say the same of every call
    every = roles.all_roles()
    assert roles.IO_READ == {n for n, r in every.items() if r.io == "read"}
    assert roles.IO_WRITE == {n for n, r in every.items() if r.io == "write"}
    assert roles.RETURNS_FD == {n for n, r in every.items() if r.returns_fd}
    assert roles.OPEN_CALLS == {n for n, r in every.items() if r.returns_fd and r.paths}
    assert roles.SOCKADDR_CALLS == {n for n, r in every.items() if r.sockaddrs}
    assert roles.MSG_CALLS == {n for n, r in every.items()
                               if any(b is not None and b.layout in ("msg", "mmsg") for b in (r.in_buf, r.out_buf))}
    assert roles.PATH_ARGS == {n: (r.paths[0], "str") if r.paths else (r.sockaddrs[0], "sock")
                               for n, r in every.items() if r.paths or r.sockaddrs}
    assert roles.DATA_ARGS == {n: b.layout for n, r in every.items() if r.io is not None
                               for b in (r.out_buf if r.io == "read" else r.in_buf,) if b is not None}
    assert roles.IO_READ and roles.MSG_CALLS and roles.OPEN_CALLS and roles.DATA_ARGS  # not empty views
    assert roles.roles("read") is roles.roles("read") and roles.roles("no_such_call") == roles.CallRoles()


@pytest.mark.parametrize("arch", ["x86_64", "i386", "aarch64"])
def test_const_tables_are_the_json_with_specs_declared_tables(arch: str) -> None:
    raw = json.loads((ROOT / f"src/syscope/decode/consts_{arch}.json").read_text())
    tables = fmt.consts(arch)
    assert set(tables) == set(raw) | set(spec.DECLARED)
    for name in tables:
        want = spec.DECLARED[name] if name in spec.DECLARED else [(v, n) for v, n in raw[name]]
        assert tables[name] == want, name


@pytest.mark.parametrize("arch", ["x86_64", "i386", "aarch64"])
def test_ioctl_tables_are_the_json(arch: str) -> None:
    from syscope.decode.ioctl import tables

    raw = json.loads((ROOT / f"src/syscope/decode/ioctl/tables_{arch}.json").read_text())
    packed = tables._load(arch)
    assert set(packed) == set(raw)
    for name, rows in raw.items():
        assert packed[name] == [(v, n) for v, n in rows], name


def test_spec_sets_are_specs() -> None:
    from syscope.decode import consts_spec

    assert consts_spec.NULL_DEFAULT == spec.NULL_DEFAULT
    assert consts_spec.UNKNOWN == spec.UNKNOWN
