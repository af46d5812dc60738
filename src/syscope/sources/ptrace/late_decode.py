"""Which halves of which calls the tracer may decode after resuming the stopped thread.

A thread stopped at a syscall waits while the tracer decodes its arguments.  The loop resumes it
first, and decodes after, when the decoding cannot see anything the thread changes meanwhile; the
event is complete before the next stop is waited for, so the output order does not change, and
the timestamps (-T, -r, -tt) are taken at the stop as before.

Entry halves.  Most of what an entry half reads is the call's input (a path, a write's buffer, a
struct passed in), which the kernel does not change while it runs the call, and the thread
cannot run past the call's exit stop until the loop, which decodes first, resumes it again.  The
same fact drives the eBPF tracer, which copies inputs at sys_exit: its capture plan
(``sources/ebpf/trace_plan.py``, derived from the decoder's signatures) copies at sys_enter exactly
what the kernel changes or destroys during the call (value-result lengths and offsets, select's fd
sets and timeouts, set_thread_area's entry number, an exec's argv and envp), and marks calls whose
memory it does not know whole.  A call with any of those is decoded while stopped.

Exit halves.  Once resumed the thread runs its own code and may reuse any memory, so only exit
halves that read nothing are decoded late: calls with no argument printed at exit and a result
that reads nothing (write, close, openat: the return value alone; not poll, whose result shows the
revents it wrote: registry RETURNS_READ), when no -e read=/write= dump is asked for.

Always decoded while stopped:
- calls decoded by a whole-call or per-command decoder whose reads depend on the command
  (ioctl, prctl, ptrace, bpf: the _IOWR ioctls read a struct the kernel then
  rewrites, PTRACE_GETREGSET/SETREGSET an iovec whose length the kernel updates, bpf(2) a
  BPF_PROG_LOAD log buffer and BPF_OBJ_GET_INFO_BY_FD's info_len and info the kernel fills).
  An ioctl's entry with any other command prints only the descriptor and the command: it is
  decoded late (``entry`` given the stop's registers; decode/ioctl reads_at_entry), its exit not.
  fcntl's entry half is not one of them: it reads only F_SETLK*'s struct flock and F_SETOWN_EX's
  struct f_owner_ex, which the kernel copies in and never writes (fs/fcntl.c: copy_from_user;
  F_GETLK's and F_GETOWN_EX's, which it writes, print at exit), as the eBPF plan copies them at
  sys_exit (trace_plan.py);
- restart_syscall (named after the thread's previous call, which the stop replaces), the
  i386 socketcall (its argument array is read at entry) and ipc (its sub-call's memory:
  semctl's union, msgrcv's ipc_kludge, shmat's result), and rt_sigreturn (its frame is found
  from the stopped thread's stack pointer, in /proc/PID/task/TID/syscall);
- every call when a decode option reads process state that the call itself may change: -yy's
  socket endpoints (connect, bind), -Y's /proc/PID/comm;
- under plain -y (paths only: /proc/PID/fd/N and /proc/PID/cwd, which strace reads at entry), the
  calls that change what such a link names (``_CHANGE_LINKS``: close(3) removes the link it prints,
  dup2 replaces its newfd, a rename or an unlink changes the path of an open file or of the working
  directory, linkat(AT_EMPTY_PATH) names an O_TMPFILE file), and every exit half: its result's
  link (openat's new descriptor) may be closed as soon as the thread runs on.
"""

from __future__ import annotations

from syscope.decode import cplans
from syscope.lean import lru_cache
from syscope.syscalls import ARCHES, native_arch
from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from syscope.decode import DecodeOptions, Decoder
    from syscope.events import SyscallEvent

_NATIVE = native_arch()

_PATH_ONLY = frozenset({"path"})
# (arch_prctl(2) is not one: its entry half prints the code and arg2's register, never memory, and
# the pointer or mask a code writes prints at exit, an exit half decoded while stopped, kinds/prctl.py)
_ALWAYS_STOPPED = frozenset({"restart_syscall", "socketcall", "ipc", "ioctl", "prctl", "ptrace", "bpf"})
# argument kinds that read the stopped thread's state rather than its memory
_THREAD_STATE_KINDS = frozenset({"sigreturn"})
# the calls after which -y's /proc/PID/fd/N or /proc/PID/cwd of their arguments may name another
# file or path (close(2), close_range(2), dup(2), rename(2), unlink(2), link(2), mount(2),
# umount(2), move_mount, pivot_root(2); io_uring_enter(2) runs any of them; an exec closes the
# O_CLOEXEC descriptors): under -y their entry half is decoded while the thread is stopped
_CHANGE_LINKS = frozenset({
    "close", "close_range", "dup2", "dup3", "rename", "renameat", "renameat2", "unlink", "unlinkat",
    "rmdir", "link", "linkat", "mount", "umount", "umount2", "move_mount", "pivot_root", "io_uring_enter",
    "execve", "execveat"})


@lru_cache(maxsize=1024)
def capture_plan(name: str, strsize: int, arch: str, dumps: bool, whole: bool) -> tuple[list[Any], bool]:
    """The eBPF capture plan of a call (``trace_plan.plan_for``), made once per session for both
    the late-decoding choice here and prefetch.py."""
    from syscope.sources.ebpf.trace_plan import plan_for  # once a call is first seen

    return plan_for(name, strsize, arch, dumps=dumps, whole=whole)


def late_decoding_allowed(opts: DecodeOptions) -> bool:
    """May any half be decoded late under these options?  (Plain -y: the entry halves of the
    calls that leave their descriptors' links as they were, LateDecode.)"""
    return fd_paths_only(opts) and not getattr(opts, "decode_pids", None)


def fd_paths_only(opts: DecodeOptions) -> bool:
    """No -y, or plain -y (--decode-fds=path): descriptors print with their path alone."""
    return not opts.decode_fds or (opts.decode_fds == 1 and opts.fd_kinds <= _PATH_ONLY)


def _late_entry_of(select: tuple[int, ...], args: tuple[int, ...]) -> bool:
    """Is this entry (its registers) one decode/cformat.py ``late_when``'s rule (``select``) lets
    be decoded at exit?  (The extension's test of the entries it keeps: _stops.c fmt_selected.)"""
    if len(select) == 1:
        return not any(args[r] for r in range(6) if select[0] >> r & 1)
    return not args[select[1]] or args[select[1]] != args[select[0]]


class LateDecode:
    """``entry(arch, name)`` / ``exit(ev)``: may this half be decoded after the thread resumed?
    Decided once per (arch, call); under the default options an entry half by the facts made
    ahead (decode/cplans.py: without the signatures, the capture plan and the decoder, which a
    call the C extension formats never needs).  ``decoder()``: the session's, made when asked."""

    __slots__ = ("_decoder", "_opts", "_entries", "_exits", "_dumps", "exits", "_fd_paths", "_ahead")

    def __init__(self, opts: DecodeOptions, decoder: Callable[[], Decoder | None], ahead: bool = True) -> None:
        self._decoder = decoder
        self._opts = opts
        # (tools/gen_cplans.py makes those facts from a LateDecode that does not read them)
        self._ahead = ahead and _NATIVE in ARCHES and cplans.serves(opts)
        self._entries: dict[tuple[str, str], bool | tuple[int, ...]] = {}
        self._exits: dict[tuple[str, str], bool] = {}
        self._dumps = bool(self._opts.read_fds or self._opts.write_fds)
        # -y: the links an exit half prints are read while the thread is stopped (see above)
        self._fd_paths = bool(self._opts.decode_fds)
        self.exits = not self._fd_paths

    def entry(self, arch: str, name: str, raw: Any = None) -> bool:
        """``raw``: the entry stop's syscall info (op, arch, ip, sp, nr, args...), for a call
        decided by its command (ioctl)."""
        if name == "ioctl" and raw is not None and arch == _NATIVE:
            if self._ahead and cplans.late_ioctl(arch, raw[6]):
                return True
            # its entry half prints the descriptor and the command, and reads only the struct of
            # an _IOWR command (or one kept as it was): the others' are decoded once it runs
            from syscope.decode.ioctl import reads_at_entry

            return not self._dumps and not reads_at_entry(arch, raw[6], raw[7])
        if name == "prctl" and raw is not None and arch == _NATIVE:
            # the options given a C line print registers only (kinds/prctl.py prctl_c_plans): their
            # entries are decoded once the thread runs; the others' while it is stopped
            return self._ahead and cplans.late_prctl(arch, raw[5])
        try:
            got = self._entries[arch, name]
        except KeyError:
            got = self._entries[arch, name] = self._entry_rule(arch, name)
        if got is True or got is False:
            return got
        # an input the kernel may rewrite: late when this entry's registers say it does not
        # (decode/cformat.py late_when: nanosleep's remainder apart, copy_file_range's offsets NULL)
        return raw is not None and _late_entry_of(got, raw[5:11])

    def _entry_rule(self, arch: str, name: str) -> bool | tuple[int, ...]:
        if self._ahead and arch == _NATIVE and not cplans.late_entry(arch, name):
            # (the made-ahead plan says it: no decoder knowledge imported)
            made = cplans.plans(arch, name)
            select = made[0][2] if made else None
            if select is not None and len(select) < 3:
                return select
        got = self._entry(arch, name)
        if got or self._dumps or arch != _NATIVE or self._ahead:
            return got
        from syscope.decode.cformat import late_when

        return late_when(arch, name) or False

    def exit(self, ev: SyscallEvent) -> bool:
        # the entry half must be complete (the exit half decodes it when it is not: attached
        # in the middle of the call); the i386 socketcall's event carries its sub-call's name
        if ev.n_entry_args != len(ev.args) or not ev.n_entry_args or ev.arch == "i386" or not self.exits:
            return False
        try:
            return self._exits[ev.arch, ev.name]
        except KeyError:
            pass
        decoder = self._decoder()
        got = self._exits[ev.arch, ev.name] = (
            not self._dumps and ev.name not in _ALWAYS_STOPPED and self._entry(ev.arch, ev.name)
            and decoder is not None and not decoder.exit_reads(ev))
        return got

    def _entry(self, arch: str, name: str) -> bool:
        if self._ahead and cplans.late_entry(arch, name):
            return True
        if name in _ALWAYS_STOPPED or name.startswith("execve") or (self._fd_paths and name in _CHANGE_LINKS):
            return False
        from syscope.decode.sigs import SIGS, SIGS_ARCH  # once a call is first seen
        from syscope.sources.ebpf.trace_plan import ENTER

        row = SIGS_ARCH.get(arch, {}).get(name) or SIGS.get(name)
        if row is not None and any(k.lstrip(">").partition(":")[0] in _THREAD_STATE_KINDS for k in row[0]):
            return False
        opts = self._opts
        ops, partial = capture_plan(name, opts.string_limit, arch, self._dumps, opts.verbose or not opts.abbrev)
        return not partial and not any(op.phase == ENTER for op in ops)
