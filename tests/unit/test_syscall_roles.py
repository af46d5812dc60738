"""The syscall-knowledge layer (syscope.syscalls.roles) and every view of it agree.

syscalls/roles_data.py is what tools/gen_roles.py derives from the decoder's signatures and the
generated tables (test_generated_data_modules.py: what the generator makes now); the decoder, the
fd tracker, the eBPF source's argspec map, the socketcall demultiplexer and the audit-arch users
must read the same.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from syscope.decode.decoder import _SOCKETCALL
from syscope.decode.sigs import SIGS, SIGS_ARCH
from syscope.syscalls import ARCHES, arch_from_audit, roles, table

ROOT = Path(__file__).resolve().parents[2]


def _kinds(name: str) -> list[tuple[str, ...]]:
    rows = [SIGS[name][0]] if name in SIGS else []
    rows += [by_arch[name][0] for by_arch in SIGS_ARCH.values() if name in by_arch]
    return rows


@pytest.mark.parametrize("kind,role", [("path", "paths"), ("fd", "fds"), ("dirfd", "dirfds")])
def test_every_argument_the_decoder_reads_as_a_role_has_it(kind: str, role: str) -> None:
    missing = []
    for name in SIGS:
        for kinds in _kinds(name):
            for i, k in enumerate(kinds):
                if k.lstrip(">").partition(":")[0] == kind and i not in getattr(roles.roles(name), role):
                    missing.append((name, i))
    assert not missing


def test_every_sockaddr_parameter_of_the_kernel_is_a_sockaddr_role() -> None:
    for arch in ARCHES:
        for info in table(arch):
            for i, t in enumerate(info.arg_types):
                if t == "struct sockaddr *":
                    assert i in roles.roles(info.name).sockaddrs, (arch, info.name, i)


def test_decoder_sockaddr_kinds_are_sockaddr_roles() -> None:
    for name in SIGS:
        for kinds in _kinds(name):
            for i, k in enumerate(kinds):
                if k.lstrip(">").startswith("sockaddr:"):
                    assert i in roles.roles(name).sockaddrs, (name, i)


def test_io_calls_move_data_through_an_fd() -> None:
    # the calls strace dumps for -e read=/-e write= (strace(1)) are among them, each its way round
    for name in ("read", "pread64", "readv", "preadv", "recv", "recvfrom", "recvmsg", "recvmmsg"):
        assert name in roles.IO_READ, name
    for name in ("write", "pwrite64", "writev", "pwritev", "send", "sendto", "sendmsg", "sendmmsg"):
        assert name in roles.IO_WRITE, name
    assert not roles.IO_READ & roles.IO_WRITE
    for name in roles.IO_READ | roles.IO_WRITE:
        r = roles.roles(name)
        buf = r.out_buf if name in roles.IO_READ else r.in_buf
        assert r.fds[:1] == (0,) and buf is not None and buf.index == 1, name
        assert roles.DATA_ARGS[name] == buf.layout


def test_returns_fd_is_the_decoders_fd_return() -> None:
    for name, (_kinds_row, ret) in SIGS.items():
        assert (ret == "fd") == (name in roles.RETURNS_FD), name


def test_socketcalls_are_the_decoders_and_numbered_as_the_i386_calls() -> None:
    assert _SOCKETCALL is roles.SOCKETCALLS
    i386 = table("i386")
    for name, nargs in roles.SOCKETCALLS.values():
        info = i386.by_name(name)
        if info is not None:  # send/recv have no i386 call of their own
            assert info.nargs == nargs, name
        else:
            assert len(SIGS[name][0]) == nargs, name
    assert roles.SOCKETCALLS[1] == ("socket", 3) and roles.SOCKETCALLS[20] == ("sendmmsg", 4)


def test_audit_arch_one_value_everywhere() -> None:
    from syscope._kernel import libseccomp as L

    for arch in ARCHES:
        assert table(arch).audit_arch == roles.AUDIT_ARCH[arch]
        assert arch_from_audit(roles.AUDIT_ARCH[arch]) == arch
    # libseccomp's tokens for the same arches (its SCMP_ARCH_* are AUDIT_ARCH_* values)
    seccomp = {name: tok for tok, (name, _scmp) in L.audit_arches().items()}
    for arch in ("x86_64", "i386", "aarch64", "arm"):
        assert seccomp[arch] == roles.AUDIT_ARCH[arch], arch


def test_no_audit_arch_value_typed_in_the_sources() -> None:
    out = subprocess.run(["grep", "-rniE", "0xc000003e|0x40000003|0xc00000b7|0x40000028",
                          "--include=*.py", str(ROOT / "src"), str(ROOT / "tools")],
                         capture_output=True, text=True)
    assert out.stdout == ""


def test_signal_names_are_the_kernels() -> None:
    import signal

    # Python's Signals are the C library's numbering: the same for the classic ones on Linux
    for s in (signal.SIGHUP, signal.SIGKILL, signal.SIGCHLD, signal.SIGSYS, signal.SIGIO):
        assert roles.signal_name(int(s)) == s.name
    assert roles.signal_name(roles.SIGRTMIN) == "SIGRTMIN"
    assert roles.signal_name(roles.SIGRTMIN + 2) == "SIGRT_2"
    assert roles.signal_name(200) == "200"
