"""The eBPF program's argspec map, read back from the loaded kernel object, is the roles of
syscope.syscalls.roles: the path or socket address its kernel side copies per call and the layout
of each I/O call's data buffer, for x86_64 numbers, i386 numbers and socketcall(2)'s calls."""

from __future__ import annotations

import struct

from syscope.sources.ebpf import names
from syscope.sources.ebpf.source import (
    BUF_DATA,
    BUF_IOV,
    BUF_MMSG,
    BUF_MSG,
    BUF_SOCK,
    BUF_STR,
    COMPAT_BASE,
    MODE_STREAM,
    SOCKETCALL_BASE,
    Probe,
)
from syscope.syscalls import roles

_LAYOUT = {"data": BUF_DATA, "iov": BUF_IOV, "msg": BUF_MSG, "mmsg": BUF_MMSG}


def test_argspec_map_holds_the_roles() -> None:
    with Probe(mode=MODE_STREAM, ring_size=4096 * 4) as probe:
        m = probe._obj.map("argspec")

        def spec(key: int) -> int:
            got = m.lookup(struct.pack("<I", key), 1)
            return got[0] if got else 0

        keys: dict[str, list[int]] = {}
        for arch, base in (("x86_64", 0), ("i386", COMPAT_BASE)):
            for name, nr in names.by_name(arch).items():
                if nr < COMPAT_BASE:
                    keys.setdefault(name, []).append(base + nr)
        for call, (name, _n) in roles.SOCKETCALLS.items():
            keys.setdefault(name, []).append(SOCKETCALL_BASE + call)
        checked = 0
        for name, where in keys.items():
            r = roles.roles(name)
            for key in where:
                s = spec(key)
                if r.paths:
                    assert s & 0x7 == r.paths[0] + 1 and s & BUF_STR, (name, key, s)
                elif r.sockaddrs:
                    assert s & 0x7 == r.sockaddrs[0] + 1 and s & BUF_SOCK, (name, key, s)
                if r.io is not None:
                    layout = roles.DATA_ARGS[name]
                    assert s & _LAYOUT[layout] == _LAYOUT[layout], (name, key, s)
                    if not r.sockaddrs:
                        assert s & 0x7 == 2  # the buffer is argument 1 (index + 1)
                if not (r.paths or r.sockaddrs or r.io):
                    assert s == 0, (name, key, s)
                checked += 1  # (bit 3 is SPEC_LENPTR: the index is the low 3 bits)
        assert checked > 400
