"""Every filter in sysdig's own material compiles: its man page (userspace/sysdig/man/sysdig.md),
its chisels' set_filter() calls and its csysdig views' ``filter =`` (userspace/sysdig/chisels/*.lua),
and the -p formats they use.  The filters that name fields libsinsp no longer has (the k8s and
mesos metadata, tracer spans, infrastructure events were dropped upstream) are listed apart: they
must fail with a one-line "unknown field", and the share that compiles is printed."""

from __future__ import annotations

import pytest

from syscope.context import Context
from syscope.errors import FilterError
from syscope.filters.sysdig import compile_filter, compile_format

MAN_PAGE = [
    "proc.name=cat",
    "fd.name contains /etc",
    "evt.type in ( 'select', 'poll' )",
    "proc.name exists",
    "not (fd.name contains /proc or fd.name contains /dev)",
    "not fd.name contains /dev",
    "not evt.buffer contains foo",
    "proc.name=cat and evt.type=open",
]

CHISELS = [
    "evt.is_io=true and evt.dir=< and evt.rawres>0",  # echo_fds
    "evt.is_io=true and fd.type=file",  # spy_file, topfiles_bytes
    "evt.is_io = true and evt.buflen > 0 and (fd.sockfamily = ip or fd.sockfamily = unix)",  # httplog
    "evt.is_io=true",  # iobytes
    "evt.is_io=true and (fd.type=ipv4 or fd.type=ipv6)",  # iobytes_net, topconns
    "evt.type=execve",  # spy_users
    "(fd.sport=11211 or proc.name=memcached) and evt.is_io=true",  # memcachelog
    "(fd.type=ipv4 or fd.type=ipv6)",  # netstat
    "evt.type=procexit",  # proc_exec_time
    "proc.name=bash or proc.name=sh and evt.type=execve",  # list_login_shells
    "evt.dir=<",  # scallslower, spectrogram
    "(not fd.name contains /dev/pt and not fd.name contains /dev/tty) and evt.is_io=true",  # spy_users
    "evt.is_io=true and (fd.type=ipv4 or fd.type=ipv6) and fd.ip=127.0.0.1",  # spy_ip
    "evt.is_io=true and (fd.type=ipv4 or fd.type=ipv6) and fd.port=80",  # spy_port
    "fd.name contains /dev/log and evt.is_io_write=true and evt.dir=< and evt.failed=false",  # spy_syslog
    "((evt.type=execve and evt.dir=<) or (evt.type=chdir and evt.dir=< and proc.name contains sh "
    "and not proc.name contains sshd)) and evt.failed=false",  # spy_users
    "fd.num=2 and evt.is_io=true",  # stderr
    "fd.num=0 and evt.is_io=true",  # stdin
    "fd.num=1 and evt.is_io=true",  # stdout
    "evt.dir=>",  # subsecoffset
    "evt.dir=< and evt.rawres>=0 and fd.l4proto=udp and evt.is_io=true",  # udp_extract
    "evt.type=accept",  # v_backlog
    "(fd.type=ipv4 or fd.type=ipv6) and fd.name!=''",  # v_connections
    "container.name != host",  # v_containers
    "(fd.type=file or fd.type=directory) and fd.name!=''",  # v_directories, v_files
    "evt.res != SUCCESS",  # v_errors
    "evt.type=open and evt.dir=<",  # v_file_opens
    "evt.type=accept and evt.dir=< and evt.failed=false",  # v_incoming_connections
    "(evt.type=bind and evt.dir=< and (fd.type=ipv4 or fd.type=ipv6)) or (evt.type=close and "
    "evt.dir=> and fd.typechar=2 and fd.type=ipv4)",  # v_port_bindings
    "evt.is_io=true and fd.type=file and (not fd.name contains '/dev/') and evt.latency>1000000",  # v_slow_io
    "evt.dir=< and fd.type=file",  # fileslower
    "syscall.type exists",  # v_syscalls
    "evt.type!=switch",  # v_procs and others
    "evt.type=procinfo",  # topprocs_cpu
    "evt.type=tracer and evt.dir=<",  # tracers_2_statsd
    "(evt.type=tracer) or (evt.is_io_write=true and evt.dir=< and (fd.num=1 or fd.num=2 or fd.name "
    "contains log))",  # spy_logs
]

# Fields libsinsp dropped (k8s/mesos/marathon metadata from the API servers; tracer spans;
# infrastructure events): sysdig's views still name them, no event source has them.
DROPPED_UPSTREAM = [
    "k8s.rc.id != ''",
    "k8s.deployment.id != ''",
    "k8s.ns.id != ''",
    "k8s.rs.id != ''",
    "k8s.svc.id != ''",
    "marathon.app.id != ''",
    "marathon.group.id != ''",
    "mesos.framework.id != ''",
    "mesos.task.id != ''",
    "span.ntags>=1",
]

# csysdig's views compile these; pod ids come from the runtime's CRI labels
VIEW_FIELDS = ["k8s.pod.id != ''", "evt.type=infra", "evt.type=notification"]

FORMATS = [
    "%evt.arg.name",  # man page
    "%evt.num %evt.outputtime %evt.cpu %proc.name (%thread.tid) %evt.dir %evt.type %evt.info",
    "*%evt.time %proc.name %fd.name",
    "%12user.name %6proc.pid %12proc.name %fd.name",
    "%evt.rawarg.res %evt.latency.human %fd.l4proto %fd.cport %fd.sport %container.name",
]


@pytest.mark.parametrize("text", MAN_PAGE + CHISELS + VIEW_FIELDS)
def test_sysdig_filters_compile(text: str) -> None:
    compile_filter(text, Context(live=False))


@pytest.mark.parametrize("text", DROPPED_UPSTREAM)
def test_fields_dropped_upstream_are_one_line_errors(text: str) -> None:
    with pytest.raises(FilterError, match=r"^filter error at column 1: unknown field '[a-z0-9.]+'$"):
        compile_filter(text, Context(live=False))


@pytest.mark.parametrize("fmt", FORMATS)
def test_sysdig_formats_compile(fmt: str) -> None:
    compile_format(fmt, Context(live=False))


def test_share(capsys: pytest.CaptureFixture[str]) -> None:
    every = MAN_PAGE + CHISELS + VIEW_FIELDS + DROPPED_UPSTREAM
    ok = 0
    for text in every:
        try:
            compile_filter(text, Context(live=False))
            ok += 1
        except FilterError:
            pass
    assert ok == len(every) - len(DROPPED_UPSTREAM)
    with capsys.disabled():
        print(f"\nsysdig's filters (man page, chisels, views): {ok}/{len(every)} compile "
              f"({100 * ok // len(every)}%); man page and chisels: all")


def test_deep_nesting_is_not_a_recursion_error() -> None:
    ctx = Context(live=False)
    deep = "(" * 300 + "proc.name=cat" + ")" * 300
    compile_filter(deep, ctx)
    nots = "not " * 300 + "proc.name=cat"
    assert compile_filter(nots, ctx) is not None
    chain = " and ".join(f"(proc.pid={i} or (proc.name=x{i}" for i in range(300)) + ")" * 600
    with pytest.raises(FilterError, match="nest deeper than"):
        compile_filter(chain, ctx)
    with pytest.raises(FilterError, match="expected '\\)'"):
        compile_filter("(" * 5000 + "proc.name=cat", ctx)
