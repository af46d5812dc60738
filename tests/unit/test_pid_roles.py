"""The pid roles of the syscall-knowledge layer (tools/gen_roles.py from the decoder's
signatures and the kernel's types): every pid argument the kernel declares is known, with the id
it names, so --decode-pids translates each one."""

from __future__ import annotations

from syscope.syscalls import roles, table


def test_every_pid_t_argument_has_a_pid_role() -> None:
    tab = table("x86_64")
    missing = []
    for nr in range(1024):
        info = tab.by_nr(nr)
        if info is None or info.name not in roles.all_roles():
            continue
        known = {i for i, _kind in roles.roles(info.name).pids}
        for i, ctype in enumerate(info.arg_types):
            if ctype.strip() == "pid_t" and i not in known:
                missing.append((info.name, i))
    assert not missing


def test_pid_roles_name_the_id() -> None:
    assert roles.roles("kill").pids == ((0, "tgid_pgid"),)
    assert roles.roles("tgkill").pids == ((0, "tgid"), (1, "tid"))
    assert roles.roles("setpgid").pids == ((0, "tgid"), (1, "pgid"))
    assert roles.roles("sched_setaffinity").pids == ((0, "tgid"),)  # a pid_t, by its type
    assert roles.roles("getpriority").pids == ((1, "who"),)
    assert roles.roles("read").pids == ()


def test_pid_results() -> None:
    got = {n: roles.roles(n).returns_pid for n in ("getpid", "gettid", "getpgrp", "getsid", "fork", "wait4", "read")}
    assert got == {"getpid": "tgid", "gettid": "tid", "getpgrp": "pgid", "getsid": "sid", "fork": "tgid",
                   "wait4": "tgid", "read": None}
