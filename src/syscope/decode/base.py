"""The decoder's state and the helpers every argument family shares (strings, data buffers,
descriptors, arrays, modes, iovecs, times).  The kind builders (kinds/*.py) get this object and
close over what they need when a plan is compiled; ``Decoder`` (decoder.py) adds the plans and
the public entry/exit calls.
"""

from __future__ import annotations

import os
import stat
import struct
import sys

from syscope.decode import fmt, registry, structs
from syscope.decode.fmt import hexnum as _hex
from syscope.decode.fmt import octal as _oct
from syscope.decode.fmt import ptr as _ptr
from syscope.decode.fmt import s32 as _s32
from syscope.decode.options import DecodeOptions
from syscope.decode.registry import ArgFn, Memory, RetFn, read_struct, store
from syscope.events import SyscallEvent
from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from syscope.decode.pidns import PidNamespaces

# os.fsdecode's codec (what it does with bytes), without its two calls
_FS_ENCODING, _FS_ERRORS = sys.getfilesystemencoding(), sys.getfilesystemencodeerrors()

# strace's --decode-fds names (filter_qualify.c decode_fd_str); -yy is all of them
FD_KINDS = frozenset({"path", "socket", "dev", "pidfd"})


def proc_dir(pid: int) -> str:
    """``/proc/P`` of the process the tracer calls ``pid`` (pidns.proc_dir): decode.pidns is
    imported at the first use (-y's links, -Y), not by every trace (start-up)."""
    from syscope.decode import pidns

    return pidns.proc_dir(pid)


class DecoderBase:
    def __init__(self, options: DecodeOptions | None = None) -> None:
        self.opts = options or DecodeOptions()
        # the memory of the stop being decoded, for return formatters that read it (poll, select);
        # a box so that the per-call sub-decoders of -e abbrev= share it
        self.mem_box: list[Memory | None] = [None]
        # strace's -v is abbrev=none: whole structs, whole argv/envp arrays
        self.abbrev = self.opts.abbrev and not self.opts.verbose
        # value-result arguments (socklen_t *): the value the caller passed in, by thread
        self.inlen: dict[int, int] = {}
        self.inoff: dict[int, int] = {}  # the same for a loff_t * (sendfile)
        # what an entry half read for the exit half, by (thread, argument): the text of inputs
        # printed at exit (registry ``kept``), what output kinds read at entry (``entry``)
        self.kept: dict[tuple[int, int], Any] = {}
        self.time64 = False  # building a plan for an i386 *_time64 call
        # building a plan for a call of -e verbose=!SET (strace's verbose(tcp) false): structures
        # print as addresses; whole-call plans and return kinds read it when built
        self.brief = False
        # how many array elements print before "..." (-s; every one under -v)
        self.limit = self.opts.string_limit if self.abbrev else 1 << 30
        # the -X style of constants inside structures: 0 abbrev, 1 verbose, 2 raw
        self.xs = 2 if self.opts.raw_all else 1 if self.opts.xlat_verbose else 0
        self.slimit, self.xflag = self.opts.string_limit, self.opts.xflag  # read by buf() on every read/write
        self._quoted: dict[bytes, str] = {}  # buf()'s texts of short buffers
        self._modes: dict[tuple[int, str], str] = {}  # mode()'s texts: a trace shows few modes
        # --decode-pids: one translator per session (its cache outlives the per-call sub-decoders)
        self.pidns: PidNamespaces | None = None
        if self.opts.decode_pids:  # -Y, --pidns-translation: decode.pidns imported only then (start-up)
            from syscope.decode import pidns

            self.pidns = pidns.shared()
        # --decode-fds=SET: what an fd is decorated with; -y is path, -yy all (strace.c)
        self.fd_kinds = self.opts.fd_kinds or (
            FD_KINDS if self.opts.decode_fds >= 2 else frozenset({"path"}) if self.opts.decode_fds else frozenset())

    # -- kinds: the registry, and the -X forms each kind declares ---------------------------
    def kind(self, kind: str, i: int, arch: str) -> ArgFn:
        """The decoder of argument i (a kind the kernel reads)."""
        spec = registry.entry_kind(registry.base_name(kind))
        if spec is None:
            raise ValueError(f"unknown argument kind {kind!r}")
        o = self.opts
        if spec.xlat is not None and o.xlat_verbose and not o.raw_all:
            if spec.verbose is not None:
                return spec.verbose(self, i, arch, kind)
            return self._xlat_verbose(spec, i, arch, kind)
        if spec.xlat is not None and o.raw_all and spec.raw is not None:
            return spec.raw(self, i, arch, kind)
        if spec.xlat == "hex" and o.raw_all:
            # -X raw: constants as plain hex numbers, everything else decoded as usual
            mask = _xlat_mask(kind, arch)
            return lambda ev, mem: _hex(ev.raw_args[i] & mask)
        return spec.build(self, i, arch, kind)

    def out(self, kind: str, i: int, arch: str) -> ArgFn:
        """An argument the kernel writes: decoded at exit, its address when the call failed."""
        spec = registry.exit_kind(registry.base_name(kind))
        if spec is None:
            return self.kind(kind, i, arch)
        return spec.build(self, i, arch, kind)

    def ret(self, kind: str, arch: str) -> RetFn:
        build = registry.return_kind(kind)
        return build(self, arch) if build is not None else lambda ev: str(ev.retval)

    def _xlat_verbose(self, spec: registry.KindSpec, i: int, arch: str, kind: str) -> ArgFn:
        """-X verbose: a constant argument as its number with the names in a comment,
        ``0x80000 /* O_RDONLY|O_CLOEXEC */``."""
        named = type(self)(self.opts._replace(xlat_verbose=False)).kind(kind, i, arch)
        # how the number prints: descriptors, signals and signed enums in decimal, the rest in hex
        if spec.xlat == "dec":
            def num(ev: SyscallEvent) -> str:
                return str(_s32(ev.raw_args[i]))
        else:
            mask = _xlat_mask(kind, arch)

            def num(ev: SyscallEvent) -> str:
                return _hex(ev.raw_args[i] & mask)

        def verbose(ev: SyscallEvent, mem: Memory) -> str | None:
            text = named(ev, mem)
            if text is None:
                return None
            n = num(ev)
            if text == n or text.startswith(n + " ") or text.lstrip("-").isdigit():
                return text
            return f"{n} /* {text} */"
        return verbose

    @staticmethod
    def failed_addr(i: int, fn: ArgFn) -> ArgFn:
        def out(ev: SyscallEvent, mem: Memory) -> str | None:
            if ev.errno is not None or ev.retval is None:
                return _ptr(ev.raw_args[i])
            return fn(ev, mem)
        return out

    # -- shared helpers ------------------------------------------------------------------
    def timespec(self, arch: str) -> structs.Layout:
        return structs.layout("timespec", "x86_64" if self.time64 else arch)

    def fd_or_num(self, ev: SyscallEvent, fd: int) -> str:
        return self.fd(ev, fd) if self.opts.decode_fds else str(fd)

    def mode(self, mode: int, arch: str) -> str:
        """A umode_t as strace's print_symbolic_mode_t: ``S_IFREG|0644``.  Each stat of a trace
        prints one, and the same few again and again: the texts are kept (at most 2**16 per arch)."""
        try:
            return self._modes[mode, arch]
        except KeyError:
            pass
        text = self._modes[mode, arch] = self._mode_text(mode, arch)
        return text

    def _mode_text(self, mode: int, arch: str) -> str:
        if self.opts.raw_all:
            return _oct(mode)
        ft = fmt.enum(arch, "file_type").get(mode & 0o170000)
        if ft is None and mode & 0o170000:
            # a file type without a name: the whole mode as a number (strace's
            # print_symbolic_mode_t falls back to print_numeric_umode_t)
            return _oct(mode)
        special = fmt.flags(arch, "mode_bits")(mode & 0o7000, "")
        text = ft if ft is not None else ""
        if special:
            text = f"{text}|{special}" if text else special
        perm = _oct(mode & 0o777)
        if text and self.opts.xlat_verbose:
            return f"{_oct(mode)} /* {text}|{perm} */"
        return f"{text}|{perm}" if text else perm

    def cstr(self, mem: Memory, addr: int, limit: int, ev: SyscallEvent | None = None, i: int = 0,
             whole: bool = False) -> str:
        """A NUL-terminated string, cut at limit; with ev, its text (os.fsdecode) is kept as the
        structured value of argument i.  ``whole``: a string that faults before its NUL and
        before limit is its address (strace's printstr: umovestr of -s + 1 bytes failed)."""
        if not addr:
            return "NULL"
        got = mem.read_cstr(addr, limit + 1)
        if got is None:
            return _ptr(addr)
        data, nul = got
        if whole and not nul and len(data) <= limit:
            return _ptr(addr)
        if len(data) > limit or (not nul and len(data) >= limit):
            data = data[:limit]
            if ev is not None:
                store(ev, i, data.decode(_FS_ENCODING, _FS_ERRORS))
            return '"' + fmt.quote(data, self.opts.xflag) + '"...'
        if ev is not None:
            store(ev, i, data.decode(_FS_ENCODING, _FS_ERRORS))  # os.fsdecode of bytes, a path a call
        return '"' + fmt.quote(data, self.opts.xflag) + '"'

    def cstr_value(self, mem: Memory, addr: int, limit: int) -> tuple[str, str | None]:
        """``cstr`` and the string itself (None when unread), for arrays of strings (argv)."""
        if not addr:
            return "NULL", None
        got = mem.read_cstr(addr, limit + 1)
        if got is None:
            return _ptr(addr), None
        data, nul = got
        if len(data) > limit or (not nul and len(data) >= limit):
            data = data[:limit]
            return '"' + fmt.quote(data, self.opts.xflag) + '"...', os.fsdecode(data)
        return '"' + fmt.quote(data, self.opts.xflag) + '"', os.fsdecode(data)

    def buf(self, mem: Memory, addr: int, length: int, ev: SyscallEvent | None = None, i: int = 0) -> str:
        """A data buffer, its first -s bytes; with ev, those bytes are kept as the structured
        value of argument i."""
        if not addr:
            return "NULL"
        limit = self.slimit
        # strace's printstr_ex reads one byte past -s when there is more, and a buffer it cannot
        # read that far is its address
        n = length if length <= limit else limit + 1
        data = mem.read(addr, n) if n else b""
        if data is None or len(data) < n:
            return _ptr(addr)
        if n > limit:
            data = data[:limit]
        if ev is not None:
            vals = ev.arg_values
            if vals is None:
                ev.arg_values = {i: data}
            else:
                vals[i] = data
        # short buffers repeat (a byte-at-a-time reader, a pipe's token): their text is kept
        text = self._quoted.get(data)
        if text is None:
            text = '"' + fmt.quote(data, self.xflag) + '"'
            if n <= 16 and len(self._quoted) < 4096:
                self._quoted[data] = text
        return text + "..." if length > limit else text

    def array(self, mem: Memory, addr: int, count: int, size: int, elem: Callable[[bytes], str]) -> str:
        """strace's print_array(): NULL; ``[]`` for no elements; an array whose end wraps around
        is its address; elements are read one by one, so a fault at the first prints the address
        alone and a later one ``..., ... /* ADDR */]`` (the element it could not read); ``...``
        after -s elements unless -v (strace util.c print_array_ex)."""
        if not addr:
            return "NULL"
        if count <= 0:
            return "[]"
        if addr + count * size > 1 << 64:
            return _ptr(addr)
        limit = self.opts.string_limit if self.abbrev else count
        want = min(count, limit + 1, 1 << 16)
        # one read for the elements printed in the common case; one by one after a short read
        raw = mem.read(addr, want * size) or b""
        items: list[str] = []
        for k in range(count):
            off = k * size
            # strace reads the element before it looks at the -s limit: one past the limit
            # that faults is "... /* ADDR */", not "..."
            chunk = raw[off:off + size] if off + size <= len(raw) else mem.read(addr + off, size)
            if chunk is None or len(chunk) < size:
                if k == 0:
                    return _ptr(addr)
                items.append(f"... /* {_ptr(addr + off)} */")
                break
            if k >= limit:
                items.append("...")
                break
            items.append(elem(chunk))
        return "[" + ", ".join(items) + "]"

    def iov(self, mem: Memory, addr: int, count: int, word: int, data_len: int | None,
            ev: SyscallEvent | None = None, i: int = 0, addrs: bool = False,
            decode: Callable[[int, int], str] | None = None) -> str:
        """``[{iov_base="...", iov_len=5}, ...]``; for reads only the first data_len bytes
        (the return value) are data, spread over the buffers in order (readv(2)); ``addrs``:
        the buffers' addresses only (strace's IOV_DECODE_ADDR, for a failed read); ``decode``:
        each buffer's text from its address and data length (IOV_DECODE_NETLINK).  With ev,
        the array is kept as argument i's structured value: ``[{"iov_base": bytes, "iov_len": n}]``
        (the -s bytes printed of each; None for a buffer that could not be read)."""
        code = struct.Struct("<QQ" if word == 8 else "<II")
        values: list[dict[str, object]] = []
        left = [data_len]

        def one(chunk: bytes) -> str:
            base, ln = code.unpack(chunk)
            if addrs:
                text, data = _ptr(base), None
            else:
                shown = ln if left[0] is None else min(ln, left[0])
                if left[0] is not None:
                    left[0] -= shown
                text, data = self._buf_value(mem, base, shown)
                if decode is not None and base:
                    text = decode(base, shown)
            values.append({"iov_base": data, "iov_len": ln})
            return f"{{iov_base={text}, iov_len={ln}}}"
        # the kernel refuses more than UIO_MAXIOV (1024) entries (readv(2)); strace prints what
        # the tracee passed all the same
        out = self.array(mem, addr, count, code.size, one)
        if ev is not None and out.startswith("["):
            store(ev, i, values)
        return out

    def _buf_value(self, mem: Memory, addr: int, length: int) -> tuple[str, bytes | None]:
        """``buf`` and the bytes it printed (None when unread), for arrays of buffers."""
        if not addr:
            return "NULL", None
        limit = self.slimit
        n = length if length <= limit else limit + 1  # one byte more, as buf()
        data = mem.read(addr, n) if n else b""
        if data is None or len(data) < n:
            return _ptr(addr), None
        data = data[:limit]
        text = '"' + fmt.quote(data, self.xflag) + '"'
        return (text + "..." if length > limit else text), data

    def nonzero_tail(self, mem: Memory, addr: int, start: int, size: int) -> str | None:
        """The bytes of an extensible struct past the part the decoder knows (open_how,
        clone_args, mount_attr: the caller passes its size and the kernel requires the rest to be
        zero, copy_struct_from_user() in include/linux/uaccess.h), as strace's print_nonzero_bytes():
        None when they are all zero, ``???`` when they cannot be read, else
        ``/* bytes 24..31 */ "\\x80..."`` (hex, cut at -s).  Only the first page is looked at."""
        total = min(size, 4096)
        if start >= total:
            return None
        n = total - start
        data = mem.read(addr + start, n)
        if data is None or len(data) < n:
            return "???"
        if data.count(0) == n:
            return None
        shown = data[: self.slimit]
        text = f'/* bytes {start}..{total - 1} */ "{fmt.quote(shown, 2)}"'
        return text + "..." if len(shown) < n else text

    @staticmethod
    def num_at(mem: Memory, addr: int, code: str, show: Callable[[Any], str] = str) -> str:
        """``[N]``: the one number ``addr`` points to (strace's printnum_int, printnum_int64,
        umove_or_printaddr), else the address (NULL, a fault)."""
        got = read_struct(mem, addr, code)
        return _ptr(addr) if got is None else f"[{show(got[0])}]"

    def num_written(self, ev: SyscallEvent, mem: Memory, addr: int, code: str,
                    show: Callable[[Any], str] = str) -> str:
        """num_at of a value the call writes: only the address when the call failed (or did not
        return), since the kernel wrote nothing then."""
        if ev.errno is not None or ev.retval is None:
            return _ptr(addr)
        return self.num_at(mem, addr, code, show)

    def timeval(self, mem: Memory, addr: int, lay: structs.Layout) -> str:
        got = read_struct(mem, addr, lay.st)
        if got is None:
            return _ptr(addr)
        # tv_usec unsigned (strace print_timeval.c: zero_extend_signed_to_ull)
        return f"{{tv_sec={got[0]}, tv_usec={got[1] & (1 << 8 * lay.size // 2) - 1}}}"

    def arr(self, items: list[str]) -> str:
        """An array as strace's print_array(): abbreviated after -s elements (not under -v)."""
        limit = self.opts.string_limit
        if self.abbrev and len(items) > limit:
            items = items[:limit] + ["..."]
        return "[" + ", ".join(items) + "]"

    def pid(self, ev: SyscallEvent | None, pid: int, kind: str = "tgid") -> str:
        """A pid the tracee passed or got (``kind``: tid, tgid, pgid or sid, the id it names; ev
        None: a pid of the tracer's own namespace), as strace's printpid(): -Y adds the command
        name of a process (tid, tgid), --pidns-translation the pid in the tracer's namespace
        when it differs."""
        return self.pid_in(None if ev is None else ev.tid, pid, kind)

    def pid_in(self, tid: int | None, pid: int, kind: str = "tgid") -> str:
        """``pid`` as task ``tid`` sees it (None: the tracer), also outside a call (si_pid)."""
        text = str(pid)
        if self.pidns is None or pid <= 0:
            return text
        ours = self.pidns.translate(tid, pid, kind)
        if not ours:
            return text
        if "comm" in self.opts.decode_pids and kind in ("tid", "tgid"):
            from syscope.decode.pidns import comm_suffix

            text += comm_suffix(self.pidns.comm(ours))
        if "pidns" in self.opts.decode_pids and ours != pid:
            text += f" /* {ours} in strace's PID NS */"
        return text

    def pid_or_pgid(self, ev: SyscallEvent, pid: int) -> str:
        """kill(2)'s and wait4(2)'s pid: a process, or -PGID a process group (printpid_tgid_pgid)."""
        if pid < -1:
            return "-" + self.pid(ev, -pid, "pgid")
        return self.pid(ev, pid, "tgid")

    def fd(self, ev: SyscallEvent, fd: int) -> str:
        if fd < 0:
            return str(fd)
        return f"{fd}{self.link(f'{proc_dir(ev.pid)}/fd/{fd}')}"

    def cwd_link(self, ev: SyscallEvent) -> str:
        """-y's ``<DIR>`` after AT_FDCWD: the working directory the call is relative to."""
        return self.link(f"{proc_dir(ev.pid)}/cwd")

    def fd_of(self, ev: SyscallEvent, pid: int, fd: int) -> str:
        """-y's decoration of descriptor ``fd`` of process ``pid`` as the tracee names it (kcmp's
        idx1 of pid1, pidfd_getfd's targetfd): the pid is translated to the tracer's namespace
        first, with or without --pidns-translation (strace's printfd_pid_tracee_ns)."""
        if not self.fd_kinds or fd < 0 or pid <= 0:
            return str(fd)
        from syscope.decode import pidns

        ours = pidns.shared().translate(ev.tid, pid, "tgid")
        return f"{fd}{self.link(f'{proc_dir(ours)}/fd/{fd}')}" if ours else str(fd)

    def readlink(self, proc_path: str) -> bytes | None:
        """What ``/proc/PID/fd/N`` or ``/proc/PID/cwd`` links to (None: nothing).  The eBPF tracer
        decodes after the call, so it answers from the fd table it keeps (trace_fds.py)."""
        try:
            return os.readlink(os.fsencode(proc_path))
        except OSError:
            return None

    def link(self, proc_path: str) -> str:
        target = self.readlink(proc_path)
        if target is None:
            return ""
        if "socket" in self.fd_kinds and target.startswith(b"socket:["):
            # -yy: the endpoints instead of the bare inode
            pid = proc_path.split("/")[2]
            from syscope.decode import sockets  # -yy's socket endpoints only (it imports socket)

            got = sockets.describe(int(pid), int(target[8:-1]), proc_path)
            if got is not None:
                return f"<{got}>"
        if target == b"anon_inode:[pidfd]" and "pidfd" in self.fd_kinds:
            # a pidfd names its process: the "Pid:" line of its fdinfo (proc_pid_fdinfo(5))
            try:
                with open(proc_path.replace("/fd/", "/fdinfo/"), "rb") as f:
                    for line in f:
                        # -1 once the process is reaped: then the plain path, as strace
                        if line.startswith(b"Pid:") and int(line.split()[1]) > 0:
                            return f"<pid:{int(line.split()[1])}>"
            except (OSError, ValueError, IndexError):
                pass
        # a file unlinked while open reads back as "PATH (deleted)" (proc(5)); strace shows the
        # marker after the path: <PATH>(deleted)
        deleted = ""
        if target.endswith(b" (deleted)") and not _same_file(proc_path, target):
            # a file really named "... (deleted)" that is the open one keeps its name
            # (strace pathtrace.c get_proc_pid_fd_path compares the inodes)
            target, deleted = target[:-10], "(deleted)"
        # strace printfd(): the path quoted like a string, with "<" and ">" escaped as well
        text = fmt.quote(target, self.opts.xflag, b"<>")
        if "dev" in self.fd_kinds and target.startswith(b"/dev/"):
            # -yy names the device numbers of character and block special files
            try:
                st = os.stat(proc_path)
            except OSError:
                try:  # the fd is gone (the eBPF tracer decodes after the call): the node it named
                    st = os.stat(target)
                except OSError:
                    return f"<{text}>" if "path" in self.fd_kinds else ""
            kind = "char" if stat.S_ISCHR(st.st_mode) else "block" if stat.S_ISBLK(st.st_mode) else ""
            if kind:
                return f"<{text}<{kind} {os.major(st.st_rdev)}:{os.minor(st.st_rdev)}>>{deleted}"
        # the path itself only when asked for (strace's util.c printfd_pid: socket, dev and
        # pidfd details first, each when in the set, then the path when "path" is)
        return f"<{text}>{deleted}" if "path" in self.fd_kinds else ""


def _same_file(proc_path: str, path: bytes) -> bool:
    """Whether ``path`` (not followed) is the file ``proc_path`` links to."""
    try:
        a, b = os.stat(proc_path), os.lstat(path)
    except OSError:
        return False
    return (a.st_ino, a.st_dev) == (b.st_ino, b.st_dev)


def _xlat_mask(kind: str, arch: str) -> int:
    """The bits of a constant's register its -X raw/verbose number shows: a flag set or enum
    widths.py left at ``F:``/``E:`` is a kernel long (remap_file_pages' prot, mount's flags), the
    rest ints."""
    if registry.base_name(kind) in ("F", "E") and registry.word_size(arch) == 8:
        return 0xFFFFFFFFFFFFFFFF
    return 0xFFFFFFFF
