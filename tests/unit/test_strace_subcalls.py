"""-e trace= and the i386 multiplexers: the calls socketcall(2) and ipc(2) stand for are
qualified by their own names, classes and regexes (filters/subcalls.py), never by strace's
numbers for them.  The differential programs c_net_m32_network, c_net_m32_named and c_sysv_m32_named run 32-bit programs
whose C library goes through them under both tracers."""

from __future__ import annotations

import pytest

from syscope.errors import FilterError
from syscope.filters.strace_expr import parse
from syscope.syscalls import table

ARCHS = ("x86_64", "i386")
SOCKETCALL = table("i386").by_name("socketcall").nr  # type: ignore[union-attr]
IPC = table("i386").by_name("ipc").nr  # type: ignore[union-attr]
SYS_SOCKET, SYS_CONNECT, SYS_SEND = 1, 3, 9  # <linux/net.h>
MSGGET, SHMAT, SEMOP = 13, 21, 1  # <linux/ipc.h>


def test_a_name_selects_the_call_through_its_multiplexer() -> None:
    spec = parse(["trace=connect,send"], ARCHS)
    assert spec.is_traced("i386", SOCKETCALL)  # stopped at: one of its calls is traced
    assert spec.is_traced_call("i386", SOCKETCALL, SYS_CONNECT)
    assert spec.is_traced_call("i386", SOCKETCALL, SYS_SEND)  # send has no i386 call of its own
    assert not spec.is_traced_call("i386", SOCKETCALL, SYS_SOCKET)
    assert not spec.is_traced("i386", IPC)


def test_the_multiplexer_name_selects_only_what_it_cannot_decode() -> None:
    spec = parse(["trace=socketcall"], ARCHS)
    assert not spec.is_traced_call("i386", SOCKETCALL, SYS_CONNECT)
    assert spec.is_traced_call("i386", SOCKETCALL, 99)


def test_classes_negation_regex_and_numbers() -> None:
    net = parse(["trace=%network"], ARCHS)
    assert net.is_traced_call("i386", SOCKETCALL, SYS_SEND) and not net.is_traced("i386", IPC)
    mem = parse(["trace=%memory"], ARCHS)  # shmat and shmdt are memory calls too (strace's TM)
    assert mem.is_traced_call("i386", IPC, SHMAT) and not mem.is_traced_call("i386", IPC, MSGGET)
    # ipc's version lives above the operation's 16 bits
    assert parse(["trace=semop"], ARCHS).is_traced_call("i386", IPC, (1 << 16) | SEMOP)
    neg = parse(["trace=!connect"], ARCHS)
    assert neg.is_traced_call("i386", SOCKETCALL, SYS_SOCKET)
    assert not neg.is_traced_call("i386", SOCKETCALL, SYS_CONNECT)
    assert parse(["trace=/^msg"], ARCHS).is_traced_call("i386", IPC, MSGGET)
    # strace's own number of socketcall's connect (SYS_socket_subcall 500 + 3) is no system
    # call to -e: scno_pers_is_valid refuses TRACE_INDIRECT_SUBCALL entries (strace 6.1 says
    # "invalid system call '503@32'")
    with pytest.raises(FilterError, match="invalid system call '503@32'"):
        parse(["trace=503@32"], ARCHS)


def test_seccomp_prefilter_numbers_are_real_calls() -> None:
    nrs = parse(["trace=connect,msgget"], ARCHS).traced_nrs("i386")
    assert nrs is not None and SOCKETCALL in nrs and IPC in nrs
    assert max(nrs) < 500
