"""Signature rows of the structured calls strace's own suite checks (quotactl, memfd, fanotify,
io_uring, keyctl ...), merged into sigs.SIGS; the kinds are in kinds/quota.py and its siblings.
Same form as sigs.py: argument kinds, then the return kind."""

from __future__ import annotations

CALL_SIGS: dict[str, tuple[tuple[str, ...], str]] = {
    # quotactl(2): what id and addr are follows the command (kinds/quota.py)
    "quotactl": (("qcmd:0", "path", "quota_id:0", ">quota_addr:0"), "d"),
    "quotactl_fd": (("fd", "qcmd:1", "quota_id:1", ">quota_addr:1"), "d"),
    # fanotify(7) (kinds/fanotify.py); fanotify_mark's 64-bit mask is one register on 64-bit arches
    "fanotify_init": (("fan_init_flags", "open_flags"), "fd"),
    "fanotify_mark": (("fd", "F32:fan_mark_flags", "fan_mask", "fan_dirfd", "path"), "d"),
    # move_pages(2) (kinds/pages.py): the status array is written by the kernel
    "move_pages": (("tgid", "u", "ptr_array:1", "int_array:1", ">page_status:1", ">F32:move_pages_flags"), "d"),
    # kexec(2) (kinds/kexec.py); the command line is cmdline_len bytes (strace printstrn)
    "kexec_load": (("p", "u", "kexec_segments:1", "kexec_flags"), "d"),
    "kexec_file_load": (("fd", "fd", "u", "buf:2", "F:kexec_file_load_flags"), "d"),
    # keys (kinds/keys.py): the payload is plen bytes (strace printstrn)
    "add_key": (("str", "str", "buf:3", "u", "key_serial"), "d"),
    "request_key": (("str", "str", "str", "key_serial"), "d"),
    # io_uring(7) (kinds/io_uring.py): what the kernel writes back is printed at exit
    "io_uring_setup": (("u32", ">uring_params"), "fd"),
    "io_uring_enter": (("fd", "u32", "u32", "F32:uring_enter_flags", "sigset:5", "u"), "d"),
    "io_uring_register": (("fd", "E32:uring_register_opcodes", ">uring_register_arg", ">u32"), "d"),
    # native AIO (kinds/aio.py): the context id and the events are written by the kernel
    "io_setup": (("u32", ">aio_ctx_out"), "d"),
    "io_destroy": (("p",), "d"),
    "io_submit": (("p", "ld", "aio_iocbpp"), "d"),
    "io_cancel": (("p", "aio_iocb_header", ">aio_event"), "d"),
    "io_getevents": (("p", "ld", "ld", ">aio_events", "timespec"), "d"),
    "io_pgetevents": (("p", "ld", "ld", ">aio_events", "timespec", "pselect_sig"), "d"),
    # fsconfig(2) (kinds/fsconfig.py): key, value and aux printed together by command
    "fsconfig": (("fd", "E32:fsconfig_cmds", "fsconfig_args", "skip", "skip"), "d"),
    # futex_waitv(2) (kinds/waitv.py); the timeout is a struct __kernel_timespec
    "futex_waitv": (("futex_waiters:1", "u32", "x32", "timespec", "E32:clock_id"), "d"),
    # sched_setattr(2)/sched_getattr(2) (kinds/sched_attr.py)
    "sched_setattr": (("tgid", "sched_attr", ">sched_setattr_flags"), "d"),
    "sched_getattr": (("tgid", ">sched_attr_get", ">u32", ">u32"), "d"),
    # perf_event_open(2) (kinds/perf.py): attr, pid, cpu, group_fd, flags (strace's src/perf.c)
    "perf_event_open": (("perf_event_attr", "tgid", "d", "fd", ">perf_event_open_flags"), "fd"),
    # keyctl(2): the command, then its arguments at entry and what the kernel wrote at exit
    "keyctl": (("E32:keyctl_commands", "keyctl_args", "skip", "skip", ">keyctl_out"), "d"),
    "memfd_secret": (("F32:memfd_secret_flags",), "fd"),
    # process_madvise(2): the iovecs name ranges of the other process: addresses only
    "process_madvise": (("fd", "riov_addr:2", "u", "E32:madvise", "x32"), "d"),
    # bpf(2) (kinds/bpf.py): union bpf_attr's struct of the command, for the size given
    "bpf": (("E32:bpf_commands", "bpf_attr", ">bpf_size"), "bpf"),
    # x86 segment descriptors (kinds/ldt.py, strace's ldt.c)
    "modify_ldt": (("d", "ldt_desc", "u"), "ldt"),
    "get_thread_area": ((">user_desc_get",), "d"),
    # _sysctl(2): one struct __sysctl_args (kinds/system.py, strace's sysctl.c)
    "_sysctl": (("sysctl_args",), "d"),
}
