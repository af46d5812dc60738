"""The capture plan of the eBPF tracer: which user memory the kernel side copies for each call.

Nothing here is a table of syscalls.  The plan of a call is derived from its row of argument
kinds in the decoder's signatures (``syscope.decode.sigs``), by what each *kind* reads: a path
or a string, a struct of a fixed size, a buffer whose length is another argument or the return
value, an array of pointers and their strings (argv), an iovec array and its buffers.  The
``trace.bpf.c`` program runs these operations with bpf_probe_read_user(_str) and user space
hands the copies to the same ``Decoder`` through ``CapturedMemory``; what a kind would read
that the plan does not copy is "unreadable" to it, printed as strace prints memory it cannot
read (the address), and counted.

Copies happen at sys_exit, where the kernel's outputs are there and its inputs are unchanged;
a kind whose memory is gone or changed by then is copied at sys_enter (``ENTER``): execve's
argv and envp (replaced by a successful exec), value-result lengths and fd sets (strace prints
their value before the call), a sendfile offset.
"""

from __future__ import annotations

import struct

from syscope.decode import registry, widths
from syscope.decode.decoder import _TIME64
from syscope.decode.kinds.fs import PATH_MAX
from syscope.decode.sigs import SIGS, SIGS_ARCH
from syscope.syscalls import roles, table
from syscope.syscalls.roles import IPCCALLS, SOCKETCALLS
from syscope.typenames import NamedTuple

OP_STR, OP_FIXED, OP_ARGLEN, OP_RETLEN, OP_PTRARR, OP_IOV, OP_DEREF, OP_STACK, OP_MSGHDR, OP_PTRAT = \
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10
OP_SUBPLAN, OP_LOADARG, OP_MMSG = 11, 12, 13
ENTER, EXIT = 1, 2
# the operations whose lenarg is an argument's index (a subcall's plan maps it as it maps arg)
_LENARG_IS_ARG = frozenset({OP_ARGLEN, OP_IOV, OP_DEREF, OP_MMSG})
MMSG_MAX = 16  # trace.bpf.c MMSG_MAX: the messages an OP_MMSG copies
NO_ARRAY = 0xFF  # OP_SUBPLAN's lenarg when the subcall's arguments are the registers
PLAN_OPS = 10  # trace.bpf.c PLAN_OPS
CAP_MAX = 8184  # trace.bpf.c CAP_MAX: the most one copy takes
_MSGHDR = 56  # struct user_msghdr (include/linux/socket.h) on x86_64; an i386 one is smaller
MAX_NR = 512
SUB_BASE, SUB_SPAN = 2 * MAX_NR, 32  # trace.bpf.c: the subcalls' plans, SUB_SPAN per multiplexer
_OP = struct.Struct("<BBBBHHHH")  # trace.bpf.c struct op
_PLAN = struct.Struct("<II")


class Op(NamedTuple):  # not a dataclass: the tracer's first call imports this module (late_decode)
    how: int
    arg: int
    lenarg: int = 0
    phase: int = EXIT
    max: int = 0
    mult: int = 1
    add: int = 0  # OP_ARGLEN: bytes before the sized part (struct msgbuf's mtype); OP_RETLEN: its start

    def pack(self) -> bytes:
        return _OP.pack(self.how, self.arg, self.lenarg, self.phase, min(self.max, CAP_MAX), self.mult, self.add, 0)


# Sizes of the structs the decoder reads for the x86_64 ABI (the kernel's uapi headers:
# asm/stat.h struct stat 144, linux/resource.h struct rusage 144, asm/statfs.h 120,
# linux/stat.h struct statx 256, linux/sysinfo.h 112, linux/utsname.h new_utsname 6 x 65,
# asm/signal.h struct sigaction (kernel) 32, asm-generic/siginfo.h 128, linux/timex.h 208).
_FIXED = {
    "stat": 144, "rusage": 144, "statfs": 120, "statx": 256, "sysinfo": 112, "utsname": 390,
    "sigaction": 32, "siginfo": 128, "siginfo_out": 128, "timex": 208, "timespec": 16,
    "remts": 16, "timeval": 16, "itimerspec": 32, "itimerval": 32, "tms": 32, "rlimit": 16,
    "rlimit32": 16, "fdpair": 8, "wstatus": 4, "intp": 4, "sched_param": 4, "stack_t": 24,
    "epoll_event": 12, "utimes": 32, "open_how": 24, "cap_header": 8, "cap_data": 24,
    "cap_data_out": 24, "loffp": 8, "llseek_res": 8, "sigevent": 64, "user_desc": 16,
    "clone_args": 88, "ioctl_arg": 64, "pselect_sig": 16, "tv": 16, "timezone": 8, "utimbuf": 16,
    "utimes_tv": 32, "ldt_desc": 16, "sysctl_args": 80,
}
# kinds whose memory the plan does not copy yet (the decoder prints their address): counted
NOT_COPIED = frozenset({"mincore"})


def _ops_for(kind: str, i: int, strsize: int, data: int, whole: bool, word: int) -> list[Op]:
    """The copies argument i of this kind needs; ``data``: bytes of a data buffer (-s, or all of
    it for -e read=/write= dumps); ``whole``: -v / abbrev=none (envp's strings too); ``word``:
    the ABI's pointer size."""
    out = kind.startswith(">")
    base = kind.lstrip(">")
    name, _, param = base.partition(":")
    n = int(param) if param.isdigit() else 0
    if name == "path":
        return [Op(OP_STR, i, max=PATH_MAX + 2)]
    if name in ("str", "mount_type", "mount_data"):
        return [Op(OP_STR, i, max=strsize + 2)]
    if name == "memfd_name":
        from syscope.decode.kinds.memfd import NAME_MAX  # as the decoder reads it
        return [Op(OP_STR, i, max=NAME_MAX + 2)]
    if name == "buf":
        return [Op(OP_ARGLEN, i, n, max=data)]
    if name == "rbuf":
        return [Op(OP_RETLEN, i, max=data)]
    if name == "rstr":
        return [Op(OP_RETLEN, i, max=strsize + 1)]
    if name == "cwd":
        return [Op(OP_RETLEN, i, max=PATH_MAX + 1)]
    if name in ("dirents", "dirents_old"):
        # getdents64/getdents: what the call wrote, in two copies (one takes at most CAP_MAX
        # bytes; CapturedMemory joins adjacent ranges): ls of /etc returns ~12 KiB
        return [Op(OP_RETLEN, i, max=CAP_MAX), Op(OP_RETLEN, i, max=CAP_MAX, add=CAP_MAX)]
    if name == "epoll_events":
        return [Op(OP_RETLEN, i, mult=12, max=CAP_MAX)]
    if name == "gids":
        return [Op(OP_RETLEN, i, mult=4, max=1024)]
    if name == "gids_in":
        return [Op(OP_ARGLEN, i, i - 1, mult=4, max=1024)]
    if name == "cpuset":
        return [Op(OP_RETLEN, i, max=128)]
    if name == "cpuset_in":
        return [Op(OP_ARGLEN, i, 1, max=128)]
    if name in ("sigset", "pending_sigset"):
        return [Op(OP_ARGLEN, i, n, max=128)]
    if name == "argv":
        # strace prints -s elements, each up to -s bytes; one more pointer tells "..." apart
        return [Op(OP_PTRARR, i, 1, ENTER, max=strsize + 1, mult=strsize + 2)]
    if name == "envp":
        if whole:
            return [Op(OP_PTRARR, i, 1, ENTER, max=256, mult=strsize + 2)]
        return [Op(OP_PTRARR, i, 0, ENTER, max=256)]  # only the count: "/* N vars */"
    if name == "iov":
        return [Op(OP_IOV, i, n, max=data, mult=0)]
    if name == "riov_addr":
        # process_vm_readv/writev's remote iovecs: the array only (its buffers are in the other
        # process), -s of them as the decoder prints
        return [Op(OP_ARGLEN, i, n, mult=2 * word, max=(strsize + 1) * 2 * word)]
    if name == "sembufs":  # semop's struct sembuf array (linux/sem.h: 3 shorts), -s of them
        return [Op(OP_ARGLEN, i, n, mult=6, max=(strsize + 1) * 6)]
    if name == "msgbuf":
        # struct msgbuf (linux/msg.h): a long mtype, then msgsz bytes of mtext (-s of them and
        # one more), and a word at least (the decoder reads the long and the first byte, padded,
        # as strace's umove of the struct); msgrcv's at exit, after the kernel wrote it
        return [Op(OP_ARGLEN, i, n, max=data + 2 * word, add=2 * word)]
    if name in ("sched_attr", "perf_event_attr"):
        # read at entry, the struct up to the most the decoder prints (its size field says how
        # much), and at exit the fields of it the kernel may write: the size it supports, on E2BIG
        # (kernel/sched/syscalls.c sched_copy_attr, kernel/events/core.c perf_copy_attr)
        if name == "sched_attr":
            from syscope.decode.kinds.sched_attr import MAX_SIZE
        else:
            from syscope.decode.ioctl.perf_attr import MAX_SIZE
        return [Op(OP_FIXED, i, phase=ENTER, max=MAX_SIZE), Op(OP_FIXED, i, max=8)]
    if name == "sched_attr_get":  # sched_getattr: the struct the kernel wrote, size bytes at most
        from syscope.decode.kinds.sched_attr import MAX_SIZE
        return [Op(OP_ARGLEN, i, i + 1, max=MAX_SIZE)]
    if name == "ipcbuf":
        # the *ctl buffer: the largest struct the command may fill or read (decode/kinds/ipc.py)
        from syscope.decode.kinds.ipc import ctl_buffer_size
        return [Op(OP_FIXED, i, max=ctl_buffer_size(param, word))]
    if name == "riov":
        return [Op(OP_IOV, i, n, max=data, mult=1)]
    if name in ("mmsg_send", "mmsg_recv"):
        # sendmmsg/recvmmsg: the struct mmsghdr array (MMSG_MAX of them) and each message's
        # msghdr as OP_MSGHDR copies it; recvmmsg's as many as it received, each message's
        # buffers at most its msg_len, and the array at entry too (each msg_namelen before the
        # call: the decoder prints "before => after")
        size = 8 * word  # struct mmsghdr: a msghdr (7 words) and an unsigned int, word-aligned
        recv = name == "mmsg_recv"
        entry = [Op(OP_ARGLEN, i, i + 1, ENTER, mult=size, max=CAP_MAX)] if recv else []
        return [*entry, Op(OP_MMSG, i, i + 1, max=data, mult=int(recv))]
    if name == "msghdr":  # sendmsg: the header, its name, iovecs and buffers, control data
        return [Op(OP_MSGHDR, i, max=data, mult=0)]
    if name == "rmsghdr":
        # recvmsg: msg_namelen before the call too (strace prints what the caller offered when
        # the call fails); the buffers at most what the call received
        return [Op(OP_FIXED, i, phase=ENTER, max=_MSGHDR), Op(OP_MSGHDR, i, max=data, mult=1)]
    return _struct_ops(name, out, i, n, strsize, word)


def _struct_ops(name: str, out: bool, i: int, n: int, strsize: int, word: int) -> list[Op]:
    """The copies of the kinds that read structs and value-result arguments."""
    if name == "sockaddr":
        if out:  # accept/getsockname: the length is a socklen_t * (value-result)
            return [Op(OP_DEREF, i, n, max=128)]
        return [Op(OP_ARGLEN, i, n, max=128)]
    if name in ("socklen", "loffp", "loffp_inout", "user_desc", "user_desc_get", "cap_header"):
        # value-result: strace prints the value before the call too (set_thread_area's
        # entry_number -1, then the one the kernel chose; get_thread_area's entry_number; a
        # capget/capset header whose version the kernel rewrites when it does not know it,
        # kernel/capability.c cap_validate_magic; copy_file_range's and splice's offsets, which
        # the call advances: strace prints them as passed, copy_file_range(2))
        size = {"socklen": 4, "loffp": 8, "loffp_inout": 8, "user_desc": 16, "user_desc_get": 16, "cap_header": 8}[name]
        return [Op(OP_FIXED, i, phase=ENTER, max=size), Op(OP_FIXED, i, max=size)]
    if name == "fdset":
        return [Op(OP_FIXED, i, phase=ENTER, max=128), Op(OP_FIXED, i, max=128)]
    if name == "pollfds":
        return [Op(OP_ARGLEN, i, i + 1, mult=8, max=CAP_MAX)]
    if name == "sockopt_val":
        return [Op(OP_ARGLEN, i, i + 1, max=strsize + 1)]
    if name == "sockopt_oval":
        return [Op(OP_DEREF, i, i + 1, max=strsize + 1)]
    if name == "statfs64":  # statfs64(path, sz, buf), fstatfs64(fd, sz, buf): sz bytes (the ABI's)
        return [Op(OP_ARGLEN, i, i - 1, max=_FIXED["statfs"])]
    if name == "futex":  # futex(uaddr, op, val, timeout, uaddr2, val3): the timeout
        return [Op(OP_FIXED, 3, max=16)]
    if name == "fcntl":  # fcntl(fd, cmd, arg): a struct flock / f_owner_ex when it is one
        return [Op(OP_FIXED, 2, max=32)]
    if name == "prctl":  # prctl(option, arg2, ...): PR_SET_NAME/PR_GET_NAME's 16-byte comm
        return [Op(OP_FIXED, 1, max=16)]
    if name == "clone":  # clone(flags, stack, parent_tid, child_tid, tls): *parent_tid
        return [Op(OP_FIXED, 2, max=4)]
    if name in ("timespec", "timeval") and not out:
        # select/pselect6 write the time left back into their timeout (select(2)): strace
        # prints it as passed, and "left" from the exit copy
        return [Op(OP_FIXED, i, phase=ENTER, max=16), Op(OP_FIXED, i, max=16)]
    if name == "pselect_sig":
        # pselect6's sixth argument points to { const sigset_t *ss; size_t ss_len; } (fs/select.c
        # get_sigset_argpack): the struct, then the kernel's sigset (8 bytes) at its first word
        return [Op(OP_FIXED, i, max=16), Op(OP_PTRAT, i, max=8, mult=0)]
    if name == "clone_args":
        # clone3's struct clone_args (include/uapi/linux/sched.h), then the ints the kernel
        # wrote through two of its pointers: pidfd (byte 8, CLONE_PIDFD) and parent_tid (byte
        # 24, CLONE_PARENT_SETTID), which strace prints after the struct ("=> {parent_tid=[N]}");
        # an i386 task's tls (byte 56) points to its struct user_desc (arch/x86/kernel/tls.c)
        tls = [Op(OP_PTRAT, i, max=_FIXED["user_desc"], mult=56)] if word == 4 else []
        return [Op(OP_FIXED, i, max=_FIXED[name]), Op(OP_PTRAT, i, max=4, mult=8), Op(OP_PTRAT, i, max=4, mult=24),
                *tls]
    if name in _FIXED:
        return [Op(OP_FIXED, i, max=_FIXED[name])]
    return []


def _buffer_ops(name: str, i: int, data: int) -> list[Op]:
    """A kind this plan has no rule for, at the argument the knowledge layer says is the call's
    data buffer (``syscalls.roles``: its length another argument or the return value): copied as
    a data buffer, so a decoder kind new to the plan still gets its bytes."""
    r = roles.roles(name)
    for buf in (r.in_buf, r.out_buf):
        if buf is None or buf.index != i or buf.layout != "data":
            continue
        if buf.length == "ret":
            return [Op(OP_RETLEN, i, max=data)]
        if isinstance(buf.length, int):
            return [Op(OP_ARGLEN, i, buf.length, max=data)]
    return []


def plan_for(name: str, strsize: int, arch: str = "x86_64", dumps: bool = False,
             whole: bool = False) -> tuple[list[Op], bool]:
    """The copy operations of one call, and whether the decoder may want more than they copy.
    ``dumps``: -e read=/write= (whole data buffers); ``whole``: -v or -e abbrev=none."""
    row = SIGS_ARCH.get(arch, {}).get(name) or SIGS.get(name)
    if row is None and arch == "i386":
        # as the decoder reads them (decoder.py Decoder._build): the 64-bit-time and the
        # 32-bit-id i386 calls print as the calls they mirror
        row = SIGS.get(_TIME64.get(name, name[:-2] if name.endswith("32") else name))
    if row is None:
        typed = widths.from_types(arch, name)  # a call without a signature: its kernel types
        row = (typed, "d") if typed is not None else None
    if row is None:
        return [], False
    ops: list[Op] = []
    partial = False
    # a data buffer: -s bytes and one more (the decoder reads one byte past -s when the buffer
    # is longer, as strace's printstr_ex does, and prints the address if it cannot)
    data = CAP_MAX if dumps else strsize + 1
    for i, kind in enumerate(row[0]):
        if kind == "sigreturn":
            from syscope.decode.kinds.signal import sigreturn_mask_at  # not every trace's first call
            # the mask the frame restores, at the stack pointer the call is made with (the
            # sigreturn kind reads it there): copied at entry, the call unwinds the frame
            ops.extend(Op(OP_STACK, i, phase=ENTER, max=size, mult=off) for off, size in sigreturn_mask_at(arch, name))
            continue
        got = _ops_for(kind, i, strsize, data, whole, 4 if arch == "i386" else 8) or _buffer_ops(name, i, data)
        base = kind.lstrip(">").partition(":")[0]
        spec = (registry.exit_kind if kind.startswith(">") else registry.entry_kind)(base)
        if base in NOT_COPIED or (not got and spec is not None and spec.stores):
            partial = True  # a kind that reads memory this plan does not copy
        ops.extend(got)
    if len(ops) > PLAN_OPS:
        ops, partial = ops[:PLAN_OPS], True
    if any(op.phase == ENTER for op in ops) and name.startswith("execve"):
        # the whole of an exec's arguments at entry: after a successful exec they are gone
        ops = [Op(o.how, o.arg, o.lenarg, ENTER, o.max, o.mult) for o in ops]
    return ops, partial


def plan_entries(strsize: int, dumps: bool = False,
                 whole: bool = False) -> tuple[dict[int, bytes], frozenset[tuple[str, str]]]:
    """The ``plan`` map's values by index (the x86_64 call number; MAX_NR + the i386 one, for
    the calls a 64-bit task makes through the 32-bit entry), and the (arch, call)s the plan
    cannot copy whole.  The i386 entries copy the same arguments; a struct whose i386 layout is
    smaller is copied with the x86_64 size (the decoder reads its own)."""
    out: dict[int, bytes] = {}
    partial: set[tuple[str, str]] = set()
    subs_at = 0
    for arch, base in (("x86_64", 0), ("i386", MAX_NR)):
        # every call of the table: the i386 calls that print as others (chown32, the *_time64
        # calls) and the calls decoded from their kernel types have no row of their own
        for info in table(arch):
            if info.nr >= MAX_NR:
                continue
            name = info.name
            if name in _MUX:
                subs, sub_cut = _subplans(name, strsize, arch, dumps, whole)
                partial.update((arch, n) for n in sub_cut)
                if not subs or subs_at + SUB_SPAN > 2 * SUB_SPAN:
                    continue
                for k, raw in subs.items():
                    out[SUB_BASE + subs_at + k] = raw
                has_enter = any(raw[0] for raw in subs.values())
                op = Op(OP_SUBPLAN, 0, 1 if name == "socketcall" else NO_ARRAY, ENTER | EXIT, mult=subs_at)
                out[base + info.nr] = _pack(has_enter, 0, [op])
                subs_at += SUB_SPAN
                continue
            ops, cut = plan_for(name, strsize, arch, dumps, whole)
            if cut:
                partial.add((arch, name))
            if not ops:
                continue
            out[base + info.nr] = _pack(any(op.phase == ENTER for op in ops), 0, ops)
    return out, frozenset(partial)


def _pack(has_enter: bool, nargs: int, ops: list[Op]) -> bytes:
    raw = _PLAN.pack(int(has_enter), nargs) + b"".join(op.pack() for op in ops)
    return raw.ljust(_PLAN.size + PLAN_OPS * _OP.size, b"\0")


# The multiplexers (i386): the call each number stands for is planned as that call
_MUX = ("socketcall", "ipc")


def _subplans(mux: str, strsize: int, arch: str, dumps: bool,
              whole: bool) -> tuple[dict[int, bytes], set[str]]:
    """The plans of a multiplexer's subcalls by their number (OP_SUBPLAN), and the subcalls the
    plan cannot copy whole.  socketcall(2)'s arguments are the words of its array (net/socket.c:
    roles.SOCKETCALLS says how many), each subcall planned as the call itself; ipc(2)'s are its
    registers in another order, or words its ptr points to (decode/ipccall.py ARGS): the direct
    call's plan with its argument indices mapped to those, after OP_LOADARGs for the words."""
    word = 4 if arch == "i386" else 8
    out: dict[int, bytes] = {}
    cut: set[str] = set()
    calls: dict[int, tuple[str, int]] = dict(SOCKETCALLS) if mux == "socketcall" else \
        {k: (n, 0) for k, n in IPCCALLS.items()}
    for k, (name, nargs) in calls.items():
        if k >= SUB_SPAN:
            continue
        ops, partial = plan_for(name, strsize, arch, dumps, whole)
        if partial:
            cut.add(name)
        if mux == "ipc":
            ops = _ipc_ops(name, ops, word)
        if ops or nargs:  # an argument array is copied even for a call that reads no memory
            out[k] = _pack(any(op.phase == ENTER for op in ops), nargs, ops[:PLAN_OPS])
    return out, cut


def _ipc_ops(name: str, ops: list[Op], word: int) -> list[Op]:
    from syscope.decode import ipccall  # only i386 has ipc(2)

    layout = ipccall.registers(name)
    loads: list[Op] = []
    where: dict[int, int] = {}
    for i, at in enumerate(layout):
        if isinstance(at, int):
            where[i] = at
            continue
        reg, k = at
        # the words the decoder reads there (all of them: it reads the struct whole), and word
        # k made argument 6 or 7 for the operations that use it
        n = 1 + max(a[1] for a in layout if isinstance(a, tuple) and a[0] == reg)
        where[i] = 6 + len(loads)
        loads.append(Op(OP_LOADARG, reg, where[i], ENTER | EXIT, max=n * word, mult=k))
    mapped = [op._replace(arg=where[op.arg], lenarg=where[op.lenarg] if op.how in _LENARG_IS_ARG else op.lenarg)
              for op in ops if op.arg in where and (op.how not in _LENARG_IS_ARG or op.lenarg in where)]
    if name == "shmat":
        # the attach address the kernel stores for ipc(SHMAT), which strace prints as the result
        mapped.append(Op(OP_FIXED, ipccall.SHMAT_RESULT, max=word))
    return loads + mapped
