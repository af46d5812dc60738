"""Constant tables of the structured calls (quotactl, memfd, fanotify, io_uring, keyctl ...)
that tools/gen_decode.py finds by *scanning* the UAPI headers: each table is the names a header
defines (``#define NAME`` or an enum member) that match a pattern, in the header's order (which is
strace's xlat order for these tables), and their values compiled from the same headers.  Nothing
here spells out a name list, so a table follows the installed kernel headers.

table -> (kind, headers (space separated), pattern the whole name matches)
"""

from __future__ import annotations

SCANNED: dict[str, tuple[str, str, str]] = {
    # quotactl(2): linux/quota.h and linux/dqblk_xfs.h (QCMD's command and type halves)
    "quota_cmds": ("enum", "linux/quota.h linux/dqblk_xfs.h", r"Q_X?[A-Z]+"),
    "quota_types": ("enum", "linux/quota.h", r"(USR|GRP|PRJ)QUOTA"),
    "quota_formats": ("enum", "linux/quota.h", r"QFMT_\w+"),
    # struct if_dqblk's dqb_valid: the single bits, not the QIF_LIMITS/QIF_ALL unions (they come
    # after their parts, so a flag split never picks them) nor the block size QIF_DQBLKSIZE
    "quota_dqblk_valid": ("flags", "linux/quota.h", r"QIF_(?!DQBLKSIZE)[A-Z]+"),
    "quota_dqinfo_flags": ("flags", "linux/quota.h", r"DQF_(?!PRIVATE)[A-Z_]+(?<!_B)"),
    "quota_dqinfo_valid": ("flags", "linux/quota.h", r"IIF_(?!ALL)[A-Z]+"),
    "xfs_quota_flags": ("flags", "linux/dqblk_xfs.h", r"FS_QUOTA_[A-Z]+_[A-Z]+"),
    "xfs_dqblk_flags": ("flags", "linux/dqblk_xfs.h", r"FS_(USER|PROJ|GROUP)_QUOTA"),
    # memfd_create(2) and memfd_secret(2)
    "memfd_create_flags": ("flags", "linux/memfd.h", r"MFD_(?!HUGE_)[A-Z_]+"),
    "memfd_huge": ("enum", "linux/memfd.h", r"MFD_HUGE_(SHIFT|MASK)"),
    # fanotify(7): fanotify_init's class (a field) and flags, fanotify_mark's flags and events
    "fan_classes": ("enum", "linux/fanotify.h", r"FAN_CLASS_\w+"),
    "fan_init_flags": ("flags", "linux/fanotify.h",
                       r"FAN_(CLOEXEC|NONBLOCK|UNLIMITED_\w+|ENABLE_AUDIT|REPORT_(?!DFID)\w+)"),
    # kexec_load(2): the architecture field's values, its mask and the segment count limit
    "kexec_arch_values": ("enum", "linux/kexec.h", r"KEXEC_ARCH_(?!MASK)\w+"),
    "kexec_limits": ("enum", "linux/kexec.h", r"KEXEC_(ARCH_MASK|SEGMENT_MAX)"),
    # keyctl(2): the special keyring serials (linux/keyctl.h)
    "key_spec": ("enum", "linux/keyctl.h", r"KEY_SPEC_\w+"),
    "keyctl_commands": ("enum", "linux/keyctl.h", r"KEYCTL_(?!SUPPORTS_|MOVE_EXCL|CAPS[01]_)[A-Z0-9_]+"),
    "key_reqkeys": ("enum", "linux/keyctl.h", r"KEY_REQKEY_DEFL_\w+"),
    "keyctl_pkey_ops": ("flags", "linux/keyctl.h", r"KEYCTL_SUPPORTS_\w+"),
    "keyctl_caps0": ("flags", "linux/keyctl.h", r"KEYCTL_CAPS0_\w+"),
    "keyctl_caps1": ("flags", "linux/keyctl.h", r"KEYCTL_CAPS1_\w+"),
    "keyctl_move_flags": ("flags", "linux/keyctl.h", r"KEYCTL_MOVE_EXCL"),
    # classic BPF (linux/filter.h): the ancillary-data offsets a socket filter loads from
    "skf_ad": ("enum", "linux/filter.h", r"SKF_AD_(?!OFF|MAX)\w+"),
    "skf_off": ("enum", "linux/filter.h", r"SKF_(AD|NET|LL)_OFF"),
    # bpf(2): the commands and the program, map and attach types (linux/bpf.h's enums)
    "bpf_commands": ("enum", "linux/bpf.h", r"enum bpf_cmd:BPF_\w+"),
    "bpf_map_types": ("enum", "linux/bpf.h", r"enum bpf_map_type:BPF_MAP_TYPE_\w+"),
    "bpf_prog_types": ("enum", "linux/bpf.h", r"enum bpf_prog_type:BPF_PROG_TYPE_\w+"),
    "bpf_attach_type": ("enum", "linux/bpf.h", r"enum bpf_attach_type:BPF_\w+"),
    # eBPF registers (an anonymous enum) and BPF_TASK_FD_QUERY's fd_type
    "ebpf_regs": ("enum", "linux/bpf.h", r"BPF_REG_\d+"),
    "bpf_task_fd_type": ("enum", "linux/bpf.h", r"enum bpf_task_fd_type:BPF_FD_TYPE_\w+"),
    # io_submit(2): struct iocb's aio_lio_opcode and aio_flags (linux/aio_abi.h)
    "aio_cmds": ("enum", "linux/aio_abi.h", r"IOCB_CMD_\w+"),
    "aio_iocb_flags": ("flags", "linux/aio_abi.h", r"IOCB_FLAG_\w+"),
}

# Facts the UAPI headers do not export: a key's permission bits (include/linux/key.h KEY_POS_*,
# KEY_USR_*, KEY_GRP_*, KEY_OTH_*: possessor, user, group and other, six bits each, then _ALL)
DECLARED_CALLS: dict[str, list[tuple[int, str]]] = {
    "key_perms": [(bit << shift, f"KEY_{who}_{name}")
                  for who, shift in (("POS", 24), ("USR", 16), ("GRP", 8), ("OTH", 0))
                  for bit, name in ((0x01, "VIEW"), (0x02, "READ"), (0x04, "WRITE"), (0x08, "SEARCH"), (0x10, "LINK"),
                                    (0x20, "SETATTR"), (0x3F, "ALL"))],
}

# LISTED tables whose names are C enum members (no #ifdef): compiled in CALL_HEADERS' group
ENUM_CALLS: list[str] = ["fsconfig_cmds", "uring_register_opcodes", "uring_ops", "uring_restriction_opcodes",
                         "uring_iowq_acct", "bpf_map_flags", "bpf_map_lookup_elem_flags",
                         "bpf_map_update_elem_flags", "bpf_file_mode_flags"]

# strace's name for an unknown value of these tables (the dflt of its printxval/printflags)
UNKNOWN_CALLS: dict[str, str] = {
    "quota_cmds": "Q_", "quota_formats": "QFMT_VFS_",
    "quota_dqblk_valid": "QIF_", "quota_dqinfo_flags": "DQF_", "quota_dqinfo_valid": "IIF_",
    "xfs_quota_flags": "FS_QUOTA_", "memfd_create_flags": "MFD_",
    "fan_classes": "FAN_CLASS_", "fan_init_flags": "FAN_", "fan_mark_flags": "FAN_MARK_",
    "fan_event_flags": "FAN_", "memfd_secret_flags": "", "move_pages_flags": "MPOL_",
    "kexec_arch_values": "KEXEC_ARCH_", "uring_setup_flags": "IORING_SETUP_", "uring_setup_features": "IORING_FEAT_",
    "uring_enter_flags": "IORING_ENTER_", "uring_register_opcodes": "IORING_REGISTER_", "uring_ops": "IORING_OP_",
    "uring_op_flags": "IO_URING_OP_", "uring_sqe_flags": "IOSQE_", "uring_restriction_opcodes": "IORING_RESTRICTION_",
    "uring_register_rsrc_flags": "IORING_RSRC_REGISTER_", "uring_iowq_acct": "IO_WQ_",
    "fsconfig_cmds": "FSCONFIG_", "futex_waiter_flags": "FUTEX_", "sched_attr_flags": "SCHED_FLAG_",
    "skf_ad": "SKF_AD_", "keyctl_commands": "KEYCTL_", "key_reqkeys": "KEY_REQKEY_DEFL_",
    "keyctl_pkey_ops": "KEYCTL_SUPPORTS_", "keyctl_caps0": "KEYCTL_CAPS0_", "keyctl_caps1": "KEYCTL_CAPS1_",
    "keyctl_move_flags": "KEYCTL_MOVE_", "key_perms": "KEY_", "bpf_map_flags": "BPF_F_", "bpf_prog_flags": "BPF_F_",
    "bpf_attach_flags": "BPF_F_", "bpf_file_mode_flags": "BPF_F_", "bpf_test_run_flags": "BPF_F_",
    "bpf_map_lookup_elem_flags": "BPF_", "bpf_map_update_elem_flags": "BPF_",
    "bpf_query_flags": "BPF_F_QUERY_", "bpf_link_create_kprobe_multi_flags": "BPF_F_", "ebpf_regs": "BPF_REG_",
    "bpf_task_fd_type": "BPF_FD_TYPE_",
    **{t: "BPF_" for t in ("ebpf_class", "ebpf_size", "ebpf_mode", "ebpf_op_alu", "ebpf_op_jmp")},
    **{t: "BPF_" for t in ("bpf_class", "bpf_size", "bpf_mode", "bpf_src", "bpf_op_alu", "bpf_op_jmp", "bpf_rval",
                           "bpf_miscop")}, "kexec_load_flags": "KEXEC_", "kexec_file_load_flags": "KEXEC_FILE_",
    "aio_cmds": "IOCB_CMD_", "aio_iocb_flags": "IOCB_FLAG_",
}

# The headers the LISTED tables' names come from (one more compile group of spec.HEADERS).
CALL_HEADERS: list[str] = ["linux/fcntl.h", "linux/fanotify.h", "linux/quota.h", "linux/dqblk_xfs.h", "linux/memfd.h",
                            "linux/mempolicy.h", "linux/kexec.h", "linux/filter.h", "linux/io_uring.h",
                            "linux/mount.h", "linux/futex.h", "linux/sched.h", "linux/bpf.h"]

# Tables whose print order in strace is not the header's (its xlat/*.in order): the names are
# declared in that order, the values still come from the headers (tools/gen_decode.py).
LISTED: dict[str, tuple[str, list[str]]] = {
    # memfd_secret(2) takes O_CLOEXEC alone (mm/secretmem.c); strace names nothing else
    "memfd_secret_flags": ("flags", ["O_CLOEXEC"]),
    # move_pages(2) takes these two of the MPOL_MF_* flags (strace's xlat/move_pages_flags.in)
    "move_pages_flags": ("flags", ["MPOL_MF_MOVE", "MPOL_MF_MOVE_ALL"]),
    # classic BPF instruction fields (linux/bpf_common.h, linux/filter.h), strace's xlat/bpf_*.in
    "bpf_class": ("enum", ["BPF_LD", "BPF_LDX", "BPF_ST", "BPF_STX", "BPF_ALU", "BPF_JMP", "BPF_RET", "BPF_MISC"]),
    "bpf_size": ("enum", ["BPF_W", "BPF_H", "BPF_B"]),
    "bpf_mode": ("enum", ["BPF_IMM", "BPF_ABS", "BPF_IND", "BPF_MEM", "BPF_LEN", "BPF_MSH"]),
    "bpf_src": ("enum", ["BPF_K", "BPF_X"]),
    "bpf_op_alu": ("enum", ["BPF_ADD", "BPF_SUB", "BPF_MUL", "BPF_DIV", "BPF_OR", "BPF_AND", "BPF_LSH", "BPF_RSH",
                            "BPF_NEG", "BPF_MOD", "BPF_XOR"]),
    "bpf_op_jmp": ("enum", ["BPF_JA", "BPF_JEQ", "BPF_JGT", "BPF_JGE", "BPF_JSET"]),
    "bpf_rval": ("enum", ["BPF_K", "BPF_X", "BPF_A"]),
    "bpf_miscop": ("enum", ["BPF_TAX", "BPF_TXA"]),
    # eBPF's instruction fields where they differ from classic BPF's (linux/bpf.h), strace's
    # xlat/ebpf_*.in: looked up before the classic tables (printxvals(..., bpf_*, ebpf_*))
    "ebpf_class": ("enum", ["BPF_LD", "BPF_LDX", "BPF_ST", "BPF_STX", "BPF_ALU", "BPF_JMP", "BPF_JMP32",
                            "BPF_ALU64"]),
    "ebpf_size": ("enum", ["BPF_DW"]),
    "ebpf_mode": ("enum", ["BPF_IMM", "BPF_ABS", "BPF_IND", "BPF_MEM", "BPF_XADD"]),
    "ebpf_op_alu": ("enum", ["BPF_MOV", "BPF_ARSH", "BPF_END"]),
    "ebpf_op_jmp": ("enum", ["BPF_JNE", "BPF_JSGT", "BPF_JSGE", "BPF_CALL", "BPF_EXIT", "BPF_JLT", "BPF_JLE",
                             "BPF_JSLT", "BPF_JSLE"]),
    # io_uring(7): strace 6.1's xlat/uring_*.in (the kernel has more: strace prints those as unknown)
    "uring_setup_flags": ("flags", [f"IORING_SETUP_{n}" for n in (
        "IOPOLL", "SQPOLL", "SQ_AFF", "CQSIZE", "CLAMP", "ATTACH_WQ", "R_DISABLED", "SUBMIT_ALL", "COOP_TASKRUN",
        "TASKRUN_FLAG", "SQE128", "CQE32")]),
    "uring_setup_features": ("flags", [f"IORING_FEAT_{n}" for n in (
        "SINGLE_MMAP", "NODROP", "SUBMIT_STABLE", "RW_CUR_POS", "CUR_PERSONALITY", "FAST_POLL", "POLL_32BITS",
        "SQPOLL_NONFIXED", "EXT_ARG", "NATIVE_WORKERS", "RSRC_TAGS", "CQE_SKIP", "LINKED_FILE")]),
    "uring_enter_flags": ("flags", [f"IORING_ENTER_{n}" for n in (
        "GETEVENTS", "SQ_WAKEUP", "SQ_WAIT", "EXT_ARG", "REGISTERED_RING")]),
    "uring_register_opcodes": ("enum", [f"IORING_{n}" for n in (
        "REGISTER_BUFFERS", "UNREGISTER_BUFFERS", "REGISTER_FILES", "UNREGISTER_FILES", "REGISTER_EVENTFD",
        "UNREGISTER_EVENTFD", "REGISTER_FILES_UPDATE", "REGISTER_EVENTFD_ASYNC", "REGISTER_PROBE",
        "REGISTER_PERSONALITY", "UNREGISTER_PERSONALITY", "REGISTER_RESTRICTIONS", "REGISTER_ENABLE_RINGS",
        "REGISTER_FILES2", "REGISTER_FILES_UPDATE2", "REGISTER_BUFFERS2", "REGISTER_BUFFERS_UPDATE",
        "REGISTER_IOWQ_AFF", "UNREGISTER_IOWQ_AFF", "REGISTER_IOWQ_MAX_WORKERS", "REGISTER_RING_FDS",
        "UNREGISTER_RING_FDS", "REGISTER_PBUF_RING", "UNREGISTER_PBUF_RING")]),
    "uring_ops": ("enum", [f"IORING_OP_{n}" for n in (
        "NOP", "READV", "WRITEV", "FSYNC", "READ_FIXED", "WRITE_FIXED", "POLL_ADD", "POLL_REMOVE",
        "SYNC_FILE_RANGE", "SENDMSG", "RECVMSG", "TIMEOUT", "TIMEOUT_REMOVE", "ACCEPT", "ASYNC_CANCEL",
        "LINK_TIMEOUT", "CONNECT", "FALLOCATE", "OPENAT", "CLOSE", "FILES_UPDATE", "STATX", "READ", "WRITE",
        "FADVISE", "MADVISE", "SEND", "RECV", "OPENAT2", "EPOLL_CTL", "SPLICE", "PROVIDE_BUFFERS",
        "REMOVE_BUFFERS", "TEE", "SHUTDOWN", "RENAMEAT", "UNLINKAT", "MKDIRAT", "SYMLINKAT", "LINKAT", "MSG_RING",
        "FSETXATTR", "SETXATTR", "FGETXATTR", "GETXATTR", "SOCKET", "URING_CMD")]),
    "uring_op_flags": ("flags", ["IO_URING_OP_SUPPORTED"]),
    # struct sched_attr's sched_flags (linux/sched.h SCHED_FLAG_*, strace's xlat/sched_flags.in)
    "sched_attr_flags": ("flags", [f"SCHED_FLAG_{n}" for n in (
        "RESET_ON_FORK", "RECLAIM", "DL_OVERRUN", "KEEP_POLICY", "KEEP_PARAMS", "UTIL_CLAMP_MIN", "UTIL_CLAMP_MAX")]),
    # FUTEX_WAKE_OP's operation and comparison (linux/futex.h, strace's xlat/futexwake*.in)
    "futex_wake_ops": ("enum", ["FUTEX_OP_SET", "FUTEX_OP_ADD", "FUTEX_OP_OR", "FUTEX_OP_ANDN", "FUTEX_OP_XOR"]),
    "futex_wake_cmps": ("enum", ["FUTEX_OP_CMP_EQ", "FUTEX_OP_CMP_NE", "FUTEX_OP_CMP_LT", "FUTEX_OP_CMP_LE",
                                 "FUTEX_OP_CMP_GT", "FUTEX_OP_CMP_GE"]),
    # futex_waitv(2) waiter flags (strace's xlat/futex_waiter_flags.in)
    "futex_waiter_flags": ("flags", ["FUTEX_32", "FUTEX_PRIVATE_FLAG"]),
    # fsconfig(2) commands (linux/mount.h enum fsconfig_command, strace's xlat/fsconfig_cmds.in)
    "fsconfig_cmds": ("enum", [f"FSCONFIG_{n}" for n in (
        "SET_FLAG", "SET_STRING", "SET_BINARY", "SET_PATH", "SET_PATH_EMPTY", "SET_FD", "CMD_CREATE",
        "CMD_RECONFIGURE")]),
    "uring_sqe_flags": ("flags", [f"IOSQE_{n}" for n in (
        "FIXED_FILE", "IO_DRAIN", "IO_LINK", "IO_HARDLINK", "ASYNC", "BUFFER_SELECT", "CQE_SKIP_SUCCESS")]),
    "uring_restriction_opcodes": ("enum", [f"IORING_RESTRICTION_{n}" for n in (
        "REGISTER_OP", "SQE_OP", "SQE_FLAGS_ALLOWED", "SQE_FLAGS_REQUIRED")]),
    "uring_files_update_fds": ("enum", ["IORING_REGISTER_FILES_SKIP"]),
    "uring_register_rsrc_flags": ("flags", ["IORING_RSRC_REGISTER_SPARSE"]),
    "uring_iowq_acct": ("enum", ["IO_WQ_BOUND", "IO_WQ_UNBOUND"]),
    # kexec_load(2) and kexec_file_load(2) flags strace 6.1 names (its xlat/kexec_*_flags.in)
    "kexec_load_flags": ("flags", ["KEXEC_ON_CRASH", "KEXEC_PRESERVE_CONTEXT"]),
    "kexec_file_load_flags": ("flags", ["KEXEC_FILE_UNLOAD", "KEXEC_FILE_ON_CRASH", "KEXEC_FILE_NO_INITRAMFS"]),
    # FAN_ONDIR before FAN_EVENT_ON_CHILD and FAN_RENAME (strace's xlat/fan_event_flags.in)
    "fan_event_flags": ("flags", [
        "FAN_ACCESS", "FAN_MODIFY", "FAN_ATTRIB", "FAN_CLOSE_WRITE", "FAN_CLOSE_NOWRITE", "FAN_OPEN",
        "FAN_MOVED_FROM", "FAN_MOVED_TO", "FAN_CREATE", "FAN_DELETE", "FAN_DELETE_SELF", "FAN_MOVE_SELF",
        "FAN_OPEN_EXEC", "FAN_Q_OVERFLOW", "FAN_FS_ERROR", "FAN_OPEN_PERM", "FAN_ACCESS_PERM",
        "FAN_OPEN_EXEC_PERM", "FAN_DIR_MODIFY", "FAN_ONDIR", "FAN_EVENT_ON_CHILD", "FAN_RENAME"]),
    # bpf(2) flags strace 6.1 names (its xlat/bpf_*_flags.in; linux/bpf.h has more: printed as unknown)
    "bpf_map_flags": ("flags", [f"BPF_F_{n}" for n in (
        "NO_PREALLOC", "NO_COMMON_LRU", "NUMA_NODE", "RDONLY", "WRONLY", "STACK_BUILD_ID", "ZERO_SEED",
        "RDONLY_PROG", "WRONLY_PROG", "CLONE", "MMAPABLE", "PRESERVE_ELEMS", "INNER_MAP")]),
    "bpf_prog_flags": ("flags", [f"BPF_F_{n}" for n in (
        "STRICT_ALIGNMENT", "ANY_ALIGNMENT", "TEST_RND_HI32", "TEST_STATE_FREQ", "SLEEPABLE")]),
    "bpf_map_lookup_elem_flags": ("flags", ["BPF_ANY", "BPF_F_LOCK"]),
    "bpf_attach_flags": ("flags", ["BPF_F_ALLOW_OVERRIDE", "BPF_F_ALLOW_MULTI", "BPF_F_REPLACE"]),
    "bpf_file_mode_flags": ("flags", ["BPF_F_RDONLY", "BPF_F_WRONLY"]),
    "bpf_test_run_flags": ("flags", ["BPF_F_TEST_RUN_ON_CPU", "BPF_F_TEST_XDP_LIVE_FRAMES"]),
    "bpf_map_update_elem_flags": ("enum", ["BPF_ANY", "BPF_NOEXIST", "BPF_EXIST", "BPF_F_LOCK"]),
    "bpf_query_flags": ("flags", ["BPF_F_QUERY_EFFECTIVE"]),
    "bpf_link_create_kprobe_multi_flags": ("flags", ["BPF_F_KPROBE_MULTI_RETURN"]),
    # the mark types are bits among the flags, in value order
    "fan_mark_flags": ("flags", [
        "FAN_MARK_ADD", "FAN_MARK_REMOVE", "FAN_MARK_DONT_FOLLOW", "FAN_MARK_ONLYDIR", "FAN_MARK_MOUNT",
        "FAN_MARK_IGNORED_MASK", "FAN_MARK_IGNORED_SURV_MODIFY", "FAN_MARK_FLUSH", "FAN_MARK_FILESYSTEM",
        "FAN_MARK_EVICTABLE", "FAN_MARK_IGNORE"]),
}
