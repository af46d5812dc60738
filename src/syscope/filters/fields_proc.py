"""sysdig's proc.*, thread.*, user.*, group.*, container.* and k8s.* fields (libsinsp's
sinsp_filtercheck_thread.cpp, _user.cpp, _group.cpp, _container.cpp, _k8s.cpp)."""

from __future__ import annotations

import functools
import grp
import os
import pwd
import time
from collections.abc import Callable
from typing import Any

from syscope.context import Context, ProcInfo
from syscope.events import Event
from syscope.filters.procx import ProcExtra, environ, exe_in_upper_layer, exe_layer, extra
from syscope.filters.registry import Getter, field

_SHELLS = frozenset({"ash", "bash", "csh", "ksh", "sh", "tcsh", "zsh", "dash", "fish"})


@functools.lru_cache(maxsize=1024)
def user_name(uid: int) -> str:
    # one getpwuid(3) per uid for a session, as sysdig reads the user table once
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


@functools.lru_cache(maxsize=1024)
def _pw(uid: int) -> pwd.struct_passwd | None:
    try:
        return pwd.getpwuid(uid)
    except KeyError:
        return None


@functools.lru_cache(maxsize=1024)
def _group_name(gid: int) -> str:
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)


def _info(ctx: Context) -> Callable[[Event], ProcInfo | None]:
    proc = ctx.proc
    return lambda ev: proc(ev.pid)


def _x(ctx: Context, get: Callable[[ProcExtra], Any]) -> Getter:
    def g(ev: Event) -> Any:
        x = extra(ctx, ev.pid)
        return None if x is None else get(x)
    return g


def _parent(ctx: Context, ev: Event) -> ProcInfo | None:
    pp = getattr(ev, "ppid", None)
    if pp is None:
        p = ctx.proc(ev.pid)
        pp = p.ppid if p is not None else None
    return ctx.proc(pp) if pp else None


def _ancestors(ctx: Context, ev: Event) -> list[ProcInfo]:
    """Parent, grandparent, ... (at most 64: a cycle in a replayed table must not hang)."""
    out: list[ProcInfo] = []
    cur = _parent(ctx, ev)
    while cur is not None and len(out) < 64:
        out.append(cur)
        if cur.ppid <= 0 or cur.ppid == cur.pid:
            break
        cur = ctx.proc(cur.ppid)
    return out


def _name(ev: Event, p: ProcInfo | None) -> str | None:
    comm = getattr(ev, "comm", None)
    return comm or (p.name if p else None)


def _exe(p: ProcInfo) -> str | None:
    return p.cmdline[0] if p.cmdline else p.exe or None


def _cmdline(p: ProcInfo) -> str:
    return " ".join((p.name, *p.cmdline[1:]))


def _uid(ctx: Context, ev: Event) -> int | None:
    uid = getattr(ev, "uid", None)
    if uid is None:
        p = ctx.proc(ev.pid)
        uid = p.uid if p is not None else None
    return uid


# -- proc.* of the process itself --------------------------------------------------------------
@field("proc.pid", "int", "the id of the process generating the event")
def _pid(ctx: Context, arg: str | None) -> Getter:
    return lambda ev: ev.pid


@field("proc.name", "str", "the name (excluding the path) of the executable generating the event")
def _pname_self(ctx: Context, arg: str | None) -> Getter:
    info = _info(ctx)
    return lambda ev: _name(ev, info(ev))


def _on_info(get: Callable[[ProcInfo], Any]) -> Callable[[Context, str | None], Getter]:
    def make(ctx: Context, arg: str | None) -> Getter:
        info = _info(ctx)

        def g(ev: Event) -> Any:
            p = info(ev)
            return None if p is None else get(p)
        return g
    return make


field("proc.exe", "str", "the first command line argument (argv[0])")(_on_info(_exe))
@field("proc.exepath", "str", "the full path of the executable, symlinks resolved (the kernel's "
       "/proc/PID/exe) while the process lives; the path it was executed by otherwise")
def _exepath(ctx: Context, arg: str | None) -> Getter:
    def g(ev: Event) -> Any:
        p = ctx.proc(ev.pid)
        return None if p is None else exepath(ctx, p)
    return g


def exepath(ctx: Context, p: ProcInfo) -> str | None:
    """libsinsp's exepath of process ``p`` (proc.exepath, and the parent's, an ancestor's, the
    group and session leaders'): the kernel's /proc/PID/exe, symlinks resolved, while it lives;
    the path it was executed by otherwise."""
    x = extra(ctx, p.pid)
    link = x.exe_link if x is not None else None
    # /proc is read after the event: a later exec of the same pid may show there already, so
    # its link is taken only when it is this image's (same file name, or run through an fd)
    if link and link.startswith("/") and (not p.exe or _by_fd(p.exe) or
                                          os.path.basename(link) == os.path.basename(p.exe)):
        # memfd_create(2) files read "/memfd:NAME (deleted)": sysdig shows memfd:NAME
        link = link.removesuffix(" (deleted)")
        return link[1:] if link.startswith("/memfd:") else link
    if p.exe.startswith("/") and not _by_fd(p.exe) and p.container == "host" and ctx.live:
        # gone already: the same canonical path, resolved here (a host process sees the
        # host's filesystem; a container's paths are not ours to resolve)
        return os.path.realpath(p.exe)
    return p.exe or None


def _by_fd(exe: str) -> bool:
    """Executed through a file descriptor (fexecve(3), execveat(AT_EMPTY_PATH)): the name says
    nothing of the file."""
    return exe.startswith(("/proc/self/fd/", "/dev/fd/")) or (exe.startswith("/proc/") and "/fd/" in exe)
field("proc.cmdline", "str", "full command line: proc.name followed by the arguments")(_on_info(_cmdline))
field("proc.args", "str", "the arguments, joined by spaces")(_on_info(lambda p: " ".join(p.cmdline[1:])))
field("proc.exeline", "str", "full command line with proc.exe as first argument")(
    _on_info(lambda p: " ".join(p.cmdline) if p.cmdline else p.exe or None))
@field("proc.is_exe_from_memfd", "bool", "the executable is a memfd_create(2) file")
def _from_memfd(ctx: Context, arg: str | None) -> Getter:
    def g(ev: Event) -> Any:
        p = ctx.proc(ev.pid)
        if p is None:
            return None
        if p.exe.startswith(("/memfd:", "memfd:")):
            return True
        if p.exe and not _by_fd(p.exe):
            return False  # executed by a path: a file, not a memfd
        if ctx.live:
            # executed through /proc/self/fd/N: the kernel's link names the memfd (memfd_create(2))
            try:
                return os.readlink(f"{ctx.proc_dir(ev.pid)}/exe").startswith("/memfd:")
            except OSError:
                return None if p.exe.startswith(("/proc/", "/dev/fd/")) else False
        return False
    return g


@field("proc.ppid", "int", "the pid of the parent of the process")
def _ppid(ctx: Context, arg: str | None) -> Getter:
    def g(ev: Event) -> Any:
        pp = getattr(ev, "ppid", None)
        if pp is not None:
            return pp
        p = ctx.proc(ev.pid)
        return p.ppid if p is not None else None
    return g


def _on_parent(get: Callable[[ProcInfo], Any]) -> Callable[[Context, str | None], Getter]:
    def make(ctx: Context, arg: str | None) -> Getter:
        def g(ev: Event) -> Any:
            p = _parent(ctx, ev)
            return None if p is None else get(p)
        return g
    return make


field("proc.pname", "str", "the name of the parent process")(_on_parent(lambda p: p.name or None))
field("proc.pcmdline", "str", "the full command line of the parent")(_on_parent(_cmdline))
field("proc.pexe", "str", "argv[0] of the parent")(_on_parent(_exe))
@field("proc.pexepath", "str", "the full executable path of the parent")
def _pexepath(ctx: Context, arg: str | None) -> Getter:
    def g(ev: Event) -> Any:
        p = _parent(ctx, ev)
        return None if p is None else exepath(ctx, p)
    return g


def _on_ancestor(get: Callable[[ProcInfo], Any], ftype: str = "str") -> Callable[[Context, str | None], Getter]:
    """proc.aname[N] and the like: N=0 the process itself, 1 its parent...; without N, every
    ancestor (a comparison holds when it holds for one of them, as libsinsp's proc.aname)."""
    def make(ctx: Context, arg: str | None) -> Getter:
        if arg is None:
            def every(ev: Event) -> Any:
                return [v for v in (get(a) for a in _ancestors(ctx, ev)) if v is not None]
            return every
        n = int(arg)

        def nth(ev: Event) -> Any:
            if n == 0:
                p = ctx.proc(ev.pid)
                return None if p is None else get(p)
            anc = _ancestors(ctx, ev)
            return get(anc[n - 1]) if n <= len(anc) else None
        return nth
    return make


field("proc.aname", "list", "the name of ancestor N (proc.aname[1] the parent); without N any ancestor",
      "index")(_on_ancestor(lambda p: p.name or None))
field("proc.apid", "list", "the pid of ancestor N; without N any ancestor", "index")(
    _on_ancestor(lambda p: str(p.pid)))
field("proc.aexe", "list", "argv[0] of ancestor N", "index")(_on_ancestor(_exe))
field("proc.aexepath", "list", "the executable path of ancestor N", "index")(
    lambda ctx, arg: _on_ancestor(lambda p: exepath(ctx, p))(ctx, arg))
field("proc.acmdline", "list", "the command line of ancestor N", "index")(_on_ancestor(_cmdline))


@field("proc.loginshellid", "int", "the pid of the oldest shell among the process's ancestors")
def _loginshell(ctx: Context, arg: str | None) -> Getter:
    def g(ev: Event) -> Any:
        found = None
        for a in _ancestors(ctx, ev):
            if a.name in _SHELLS:
                found = a.pid
        return found
    return g


# -- facts from /proc beyond ProcInfo ----------------------------------------------------------
field("proc.tty", "int", "the controlling terminal of the process (tty_nr of proc(5)); 0 for none")(
    lambda ctx, arg: _x(ctx, lambda x: x.tty))
field("proc.sid", "int", "the session id of the process")(lambda ctx, arg: _x(ctx, lambda x: x.sid))
field("proc.vpgid", "int", "the process group id, as seen from its pid namespace")(
    lambda ctx, arg: _x(ctx, lambda x: x.vpgid))
field("proc.vpid", "int", "the pid as seen from the process's own pid namespace")(
    lambda ctx, arg: _x(ctx, lambda x: x.vpid))
field("proc.nthreads", "int", "the number of threads of the process")(
    lambda ctx, arg: _x(ctx, lambda x: x.nthreads))
field("proc.pfmajor", "int", "major page faults since the process started")(
    lambda ctx, arg: _x(ctx, lambda x: x.majflt))
field("proc.pfminor", "int", "minor page faults since the process started")(
    lambda ctx, arg: _x(ctx, lambda x: x.minflt))
field("proc.vmsize", "int", "total virtual memory (KiB)")(lambda ctx, arg: _x(ctx, lambda x: x.vmsize))
field("proc.vmrss", "int", "resident memory (KiB)")(lambda ctx, arg: _x(ctx, lambda x: x.vmrss))
field("proc.vmswap", "int", "swapped memory (KiB)")(lambda ctx, arg: _x(ctx, lambda x: x.vmswap))
field("proc.cwd", "str", "the current working directory")(lambda ctx, arg: _x(ctx, lambda x: x.cwd))
field("proc.is_sid_leader", "bool", "the process leads its session")(
    lambda ctx, arg: _x(ctx, lambda x: x.sid == x.info.pid))
field("proc.is_vpgid_leader", "bool", "the process leads its process group")(
    lambda ctx, arg: _x(ctx, lambda x: x.pgid == x.info.pid))


def _leader(which: str, get: Callable[[ProcInfo], Any]) -> Callable[[Context, str | None], Getter]:
    """A field of the leader of the process's session (``which`` "sid") or group ("pgid").

    The leader is the process whose pid is the id (setpgid(2), setsid(2)) while it lives.  A group
    or session outlives its leader (a shell that started a job in the background and returned:
    the id stays taken, credentials(7)), and then libsinsp names the eldest ancestor of the
    process that is still in the same group or session (sinsp_filtercheck_thread.cpp, the
    proc.vpgid.* and proc.sid.* fields: "the process with pid=proc.sid or the eldest ancestor that
    has the same sid"), the process itself when its parent is elsewhere; so does this."""
    def make(ctx: Context, arg: str | None) -> Getter:
        def g(ev: Event) -> Any:
            x = extra(ctx, ev.pid)
            pid = None if x is None else getattr(x, which)
            if x is None or pid is None:
                return None
            leader = _living_leader(ctx, pid)
            if leader is None:
                leader = x.info
                for a in _ancestors(ctx, ev):
                    ax = extra(ctx, a.pid)
                    if ax is None or getattr(ax, which) != pid:
                        break
                    leader = a
            return get(leader)
        return g
    return make


def _living_leader(ctx: Context, pid: int) -> ProcInfo | None:
    """Process ``pid`` if it is there and has not exited: a zombie's exe and cmdline are gone
    (proc(5)), and libsinsp forgets a process at its exit, not when it is reaped."""
    leader = ctx.proc(pid)
    if leader is None:
        return None
    lx = extra(ctx, pid)
    return None if lx is not None and lx.state == "Z" else leader


field("proc.sname", "str", "the name of the session leader")(_leader("sid", lambda p: p.name or None))
field("proc.sid.exe", "str", "argv[0] of the session leader")(_leader("sid", _exe))
field("proc.sid.exepath", "str", "the executable path of the session leader")(
    lambda ctx, arg: _leader("sid", lambda p: exepath(ctx, p))(ctx, arg))
field("proc.vpgid.name", "str", "the name of the process group leader")(_leader("pgid", lambda p: p.name or None))
field("proc.vpgid.exe", "str", "argv[0] of the process group leader")(_leader("pgid", _exe))
field("proc.vpgid.exepath", "str", "the executable path of the process group leader")(
    lambda ctx, arg: _leader("pgid", lambda p: exepath(ctx, p))(ctx, arg))


def _since_start_ns(x: ProcExtra) -> int | None:
    return None if x.start is None else max(0, time.time_ns() - int(x.start * 1e9))


field("proc.duration", "int", "nanoseconds since the process started")(
    lambda ctx, arg: _x(ctx, _since_start_ns))
field("proc.start_ts", "int", "when the process started (epoch ns)")(
    lambda ctx, arg: _x(ctx, lambda x: None if x.start is None else int(x.start * 1e9)))


@field("proc.ppid.duration", "int", "nanoseconds since the parent started")
def _ppid_duration(ctx: Context, arg: str | None) -> Getter:
    def g(ev: Event) -> Any:
        p = _parent(ctx, ev)
        x = extra(ctx, p.pid) if p is not None else None
        return None if x is None else _since_start_ns(x)
    return g


@field("proc.env", "str", "the environment (NAME=value, space separated); proc.env[NAME]: one value",
       "name?")
def _env(ctx: Context, arg: str | None) -> Getter:
    def g(ev: Event) -> Any:
        if not ctx.live:
            return None
        env = environ(ctx.proc_dir(ev.pid))
        if arg is None:
            return " ".join(env) if env else None
        pre = arg + "="
        return next((e[len(pre):] for e in env if e.startswith(pre)), None)
    return g


def _stat_exe(ctx: Context, ev: Event) -> os.stat_result | None:
    if not ctx.live:
        return None
    try:
        return os.stat(f"{ctx.proc_dir(ev.pid)}/exe")
    except OSError:
        return None


field("proc.exe_ino", "int", "the inode of the executable")(
    lambda ctx, arg: lambda ev: None if (s := _stat_exe(ctx, ev)) is None else s.st_ino)
field("proc.exe_ino.ctime", "int", "the executable's inode change time (epoch ns)")(
    lambda ctx, arg: lambda ev: None if (s := _stat_exe(ctx, ev)) is None else s.st_ctime_ns)
field("proc.exe_ino.mtime", "int", "the executable's modification time (epoch ns)")(
    lambda ctx, arg: lambda ev: None if (s := _stat_exe(ctx, ev)) is None else s.st_mtime_ns)


@field("proc.exe_ino.ctime_duration_proc_start", "int",
       "nanoseconds between the executable's ctime and the process's start")
def _ctime_dur(ctx: Context, arg: str | None) -> Getter:
    def g(ev: Event) -> Any:
        s = _stat_exe(ctx, ev)
        x = extra(ctx, ev.pid)
        if s is None or x is None or x.start is None:
            return None
        return int(x.start * 1e9) - s.st_ctime_ns
    return g


@field("proc.is_exe_writable", "bool", "the executable is writable by the process's user")
def _exe_writable(ctx: Context, arg: str | None) -> Getter:
    def g(ev: Event) -> Any:
        s = _stat_exe(ctx, ev)
        x = extra(ctx, ev.pid)
        if s is None or x is None or x.euid is None:
            return None
        if x.euid == 0:
            return True
        if s.st_uid == x.euid:
            return bool(s.st_mode & 0o200)
        if s.st_gid == x.egid:
            return bool(s.st_mode & 0o020)
        return bool(s.st_mode & 0o002)
    return g


@field("proc.is_exe_upper_layer", "bool",
       "the executable lives in the upper (writable) layer of an overlayfs root, i.e. it was not in "
       "the container image")
def _upper(ctx: Context, arg: str | None) -> Getter:
    def g(ev: Event) -> Any:
        p = ctx.proc(ev.pid)
        if p is None or not p.exe or not ctx.live:
            return None
        return exe_in_upper_layer(ctx.proc_dir(ev.pid), p.exe)
    return g


def exe_flag_names(ctx: Context, ev: Event) -> list[str] | None:
    """sysdig's execve ``flags`` (libs' PPM_EXE_*): EXE_WRITABLE, EXE_UPPER_LAYER,
    EXE_FROM_MEMFD, EXE_LOWER_LAYER, as this process's executable has them; None if unknown."""
    p = ctx.proc(ev.pid)
    if p is None or not ctx.live:
        return None
    out = []
    if _exe_writable(ctx, None)(ev):
        out.append("EXE_WRITABLE")
    layer = exe_layer(ctx.proc_dir(ev.pid), p.exe) if p.exe else None
    if layer == "upper":
        out.append("EXE_UPPER_LAYER")
    if _from_memfd(ctx, None)(ev):
        out.append("EXE_FROM_MEMFD")
    if layer == "lower":
        out.append("EXE_LOWER_LAYER")
    return out


def _stdio(n: int, what: str) -> Callable[[Context, str | None], Getter]:
    def make(ctx: Context, arg: str | None) -> Getter:
        def g(ev: Event) -> Any:
            name = ctx.fd_name(ev.pid, n)
            if name is None:
                return None
            if what == "name":
                return name
            from syscope.filters.fields_fd import type_of_name
            return type_of_name(name)
        return g
    return make


for _n, _s in ((0, "stdin"), (1, "stdout"), (2, "stderr")):
    field(f"proc.{_s}.name", "str", f"the name of the process's {_s} (fd {_n})")(_stdio(_n, "name"))
    field(f"proc.{_s}.type", "str", f"the fd type of the process's {_s} (fd {_n})")(_stdio(_n, "type"))


@field("proc.fdopencount", "int", "the number of open fds of the process")
def _fdcount(ctx: Context, arg: str | None) -> Getter:
    def g(ev: Event) -> Any:
        if not ctx.live:
            return None
        try:
            return len(os.listdir(f"{ctx.proc_dir(ev.pid)}/fd"))
        except OSError:
            return None
    return g


def _fdlimit(proc_dir: str) -> int | None:
    try:
        with open(f"{proc_dir}/limits") as f:
            for line in f:
                if line.startswith("Max open files"):
                    v = line.split()[3]
                    return None if v == "unlimited" else int(v)
    except (OSError, ValueError, IndexError):
        pass
    return None


field("proc.fdlimit", "int", "the process's limit of open fds (RLIMIT_NOFILE soft limit)")(
    lambda ctx, arg: lambda ev: _fdlimit(ctx.proc_dir(ev.pid)) if ctx.live else None)


@field("proc.fdusage", "int", "open fds as a percentage of proc.fdlimit")
def _fdusage(ctx: Context, arg: str | None) -> Getter:
    count = _fdcount(ctx, None)

    def g(ev: Event) -> Any:
        lim = _fdlimit(ctx.proc_dir(ev.pid)) if ctx.live else None
        n = count(ev)
        return None if not lim or n is None else n * 100 // lim
    return g


# -- thread.* ----------------------------------------------------------------------------------
field("thread.tid", "int", "the id of the thread generating the event")(lambda ctx, arg: lambda ev: ev.tid)
field("thread.nametid", "str", "proc.name and thread.tid, as name-tid")(
    lambda ctx, arg: lambda ev: f"{_name(ev, ctx.proc(ev.pid))}-{ev.tid}")
field("thread.pfmajor", "int", "major page faults of the process (proc(5) stat)")(
    lambda ctx, arg: _x(ctx, lambda x: x.majflt))
field("thread.pfminor", "int", "minor page faults of the process (proc(5) stat)")(
    lambda ctx, arg: _x(ctx, lambda x: x.minflt))
field("thread.vmsize.b", "int", "total virtual memory in bytes")(
    lambda ctx, arg: _x(ctx, lambda x: None if x.vmsize is None else x.vmsize * 1024))
field("thread.vmrss.b", "int", "resident memory in bytes")(
    lambda ctx, arg: _x(ctx, lambda x: None if x.vmrss is None else x.vmrss * 1024))
field("thread.ismain", "bool", "the thread is the process's main thread")(
    lambda ctx, arg: lambda ev: ev.tid == ev.pid)


@field("thread.vtid", "int", "the thread id as seen from its pid namespace")
def _vtid(ctx: Context, arg: str | None) -> Getter:
    def g(ev: Event) -> Any:
        if not ctx.live:
            return None
        try:
            with open(f"{ctx.proc_dir(ev.tid)}/status") as f:
                for line in f:
                    if line.startswith("NSpid:"):
                        return int(line.split()[-1])
        except (OSError, ValueError):
            return None
        return None
    return g


@functools.lru_cache(maxsize=256)
def cap_names(mask: int) -> str:
    """A capability mask as sysdig prints it: CAP_ names separated by spaces (capabilities(7))."""
    from syscope.decode.fmt import consts

    names = dict(consts("x86_64")["capability"])
    return " ".join(names.get(b, f"CAP_{b}") for b in range(64) if mask >> b & 1)


for _f, _attr in (("cap_effective", "cap_eff"), ("cap_permitted", "cap_prm"),
                  ("cap_inheritable", "cap_inh")):
    field(f"thread.{_f}", "str", f"the {_f.split('_')[1]} capabilities of the thread")(
        (lambda a: lambda ctx, arg: _x(ctx, lambda x: None if getattr(x, a) is None
                                       else cap_names(getattr(x, a))))(_attr))


@field("thread.cgroups", "str", "the cgroups of the thread (cgroup(7) lines)")
def _cgroups(ctx: Context, arg: str | None) -> Getter:
    def g(ev: Event) -> Any:
        if not ctx.live:
            return None
        try:
            with open(f"{ctx.proc_dir(ev.tid)}/cgroup") as f:
                return " ".join(line.strip() for line in f)
        except OSError:
            return None
    return g


# -- user.* / group.* --------------------------------------------------------------------------
@field("user.uid", "int", "the user id")
def _user_uid(ctx: Context, arg: str | None) -> Getter:
    return lambda ev: _uid(ctx, ev)


@field("user.name", "str", "the user name")
def _user_name(ctx: Context, arg: str | None) -> Getter:
    def g(ev: Event) -> Any:
        u = _uid(ctx, ev)
        return None if u is None else user_name(u)
    return g


def _pwfield(get: Callable[[pwd.struct_passwd], Any]) -> Callable[[Context, str | None], Getter]:
    def make(ctx: Context, arg: str | None) -> Getter:
        def g(ev: Event) -> Any:
            u = _uid(ctx, ev)
            pw = _pw(u) if u is not None else None
            return None if pw is None else get(pw)
        return g
    return make


field("user.homedir", "str", "the user's home directory")(_pwfield(lambda pw: pw.pw_dir))
field("user.shell", "str", "the user's shell")(_pwfield(lambda pw: pw.pw_shell))


def _loginuid(x: ProcExtra) -> int | None:
    # an unset loginuid is (uid_t)-1; sysdig shows it as -1
    if x.loginuid is None:
        return None
    return -1 if x.loginuid == 0xFFFFFFFF else x.loginuid


field("user.loginuid", "int", "the audit login uid (-1 when never logged in)")(
    lambda ctx, arg: _x(ctx, _loginuid))
field("user.loginname", "str", "the name of the audit login user")(
    lambda ctx, arg: _x(ctx, lambda x: None if (u := _loginuid(x)) is None or u < 0 else user_name(u)))
field("group.gid", "int", "the group id")(lambda ctx, arg: _x(ctx, lambda x: x.egid))
field("group.name", "str", "the group name")(
    lambda ctx, arg: _x(ctx, lambda x: None if x.egid is None else _group_name(x.egid)))


# -- more of libsinsp's thread fields ----------------------------------------------------------
field("proc.pgid", "int", "the process group id")(lambda ctx, arg: _x(ctx, lambda x: x.pgid))
field("proc.is_pgid_leader", "bool", "the process leads its process group")(
    lambda ctx, arg: _x(ctx, lambda x: x.pgid == x.info.pid))
field("proc.pgid.name", "str", "the name of the process group leader")(_leader("pgid", lambda p: p.name or None))
field("proc.pgid.exe", "str", "argv[0] of the process group leader")(_leader("pgid", _exe))
field("proc.pgid.exepath", "str", "the executable path of the process group leader")(
    lambda ctx, arg: _leader("pgid", lambda p: exepath(ctx, p))(ctx, arg))
field("proc.cmdnargs", "int", "the number of command line arguments")(_on_info(lambda p: max(0, len(p.cmdline) - 1)))
field("proc.cmdlenargs", "int", "the length of the arguments, spaces between them included")(
    _on_info(lambda p: len(" ".join(p.cmdline[1:]))))
field("proc.aargs", "list", "the arguments of ancestor N (proc.aargs[1]: the parent's)", "index")(
    _on_ancestor(lambda p: " ".join(p.cmdline[1:])))
field("proc.pid.ts", "int", "when the process started (epoch ns)")(
    lambda ctx, arg: _x(ctx, lambda x: None if x.start is None else int(x.start * 1e9)))
field("thread.vmsize", "int", "total virtual memory (KiB)")(lambda ctx, arg: _x(ctx, lambda x: x.vmsize))
field("thread.vmrss", "int", "resident memory (KiB)")(lambda ctx, arg: _x(ctx, lambda x: x.vmrss))


@field("proc.ppid.ts", "int", "when the parent started (epoch ns)")
def _ppid_ts(ctx: Context, arg: str | None) -> Getter:
    def g(ev: Event) -> Any:
        p = _parent(ctx, ev)
        x = extra(ctx, p.pid) if p is not None else None
        return None if x is None or x.start is None else int(x.start * 1e9)
    return g


@field("proc.pvpid", "int", "the parent's pid as seen from its own pid namespace")
def _pvpid(ctx: Context, arg: str | None) -> Getter:
    def g(ev: Event) -> Any:
        p = _parent(ctx, ev)
        x = extra(ctx, p.pid) if p is not None else None
        return None if x is None else x.vpid
    return g


@field("proc.nchilds", "int", "the number of the process's children the session knows")
def _nchilds(ctx: Context, arg: str | None) -> Getter:
    return lambda ev: sum(1 for p in list(ctx.procs.values()) if p.ppid == ev.pid)


@field("proc.is_exe_lower_layer", "bool",
       "the executable lives in the lower (image) layer of an overlayfs root")
def _lower(ctx: Context, arg: str | None) -> Getter:
    def g(ev: Event) -> Any:
        p = ctx.proc(ev.pid)
        if p is None or not p.exe or not ctx.live:
            return None
        layer = exe_layer(ctx.proc_dir(ev.pid), p.exe)
        return None if layer is None else layer == "lower"
    return g


@field("proc.aenv", "str", "the environment of the process and its ancestors: proc.aenv[NAME] the "
       "first value found walking up", "name?")
def _aenv(ctx: Context, arg: str | None) -> Getter:
    def g(ev: Event) -> Any:
        if not ctx.live:
            return None
        pids = [ev.pid, *(a.pid for a in _ancestors(ctx, ev))]
        for pid in pids:
            env = environ(ctx.proc_dir(pid))
            if arg is None:
                if env:
                    return " ".join(env)
                continue
            for e in env:
                if e.startswith(arg + "="):
                    return e[len(arg) + 1:]
        return None
    return g


@field("thread.cgroup", "str", "the thread's cgroup in one hierarchy: thread.cgroup[SUBSYS] (cgroup v2: the "
       "unified path whatever the subsystem)", "name")
def _cgroup(ctx: Context, arg: str | None) -> Getter:
    def g(ev: Event) -> Any:
        if not ctx.live:
            return None
        try:
            with open(f"{ctx.proc_dir(ev.tid)}/cgroup") as f:
                for line in f:
                    _hid, ctrls, path = line.rstrip("\n").split(":", 2)
                    if arg in ctrls.split(",") or ctrls == "":
                        return path
        except (OSError, ValueError):
            return None
        return None
    return g
