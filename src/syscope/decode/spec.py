"""Which constants the decoders know, by table, in the order strace prints them.

Values are not written here: tools/gen_decode.py compiles these names against the installed
kernel UAPI headers and writes consts_<arch>.py.  A flag table prints its set bits in this order
(strace's xlat order, e.g. O_SYNC before O_DSYNC because O_SYNC includes the O_DSYNC bit).
"""

from __future__ import annotations

# Compiled as separate programs (glibc and kernel headers clash on sigset_t, timeval); the first
# group that defines a name gives its value.
HEADERS: list[list[str]] = [
    ["linux/signal.h", "asm/siginfo.h", "asm/termbits.h", "asm/ioctls.h", "asm/socket.h", "linux/fcntl.h",
     "linux/stat.h", "linux/mman.h", "asm/mman.h", "linux/sched.h", "asm/signal.h",
     "linux/wait.h", "linux/fs.h", "linux/inotify.h", "linux/memfd.h", "linux/random.h", "linux/resource.h",
     "linux/prctl.h", "asm/prctl.h", "linux/futex.h", "linux/time.h", "linux/personality.h",
     "linux/net.h", "linux/in.h", "linux/un.h", "linux/netlink.h", "linux/poll.h",
     "linux/eventpoll.h", "linux/sched/types.h", "linux/openat2.h",
     "linux/magic.h", "linux/falloc.h", "linux/xattr.h", "linux/close_range.h", "linux/soundcard.h",
     "linux/btrfs.h", "linux/capability.h", "linux/in6.h", "linux/tty.h", "linux/kcmp.h", "linux/ioprio.h",
     "linux/membarrier.h", "linux/timex.h", "linux/ptrace.h", "linux/pidfd.h", "linux/module.h",
     "linux/userfaultfd.h", "linux/reboot.h", "linux/mount.h", "linux/landlock.h", "linux/ipc.h", "linux/sem.h",
     "linux/shm.h", "linux/mempolicy.h", "linux/seccomp.h", "linux/socket.h"],
    ["sys/timerfd.h", "sys/signalfd.h", "sys/prctl.h", "sys/personality.h", "sys/mount.h"],
    ["time.h"],  # TIMER_ABSTIME
    # F_OK/R_OK/S_IF*/AF_*/SOCK_*/EFD_* are defined for userspace only by the libc headers.
    ["unistd.h", "sched.h", "sys/stat.h", "sys/socket.h", "sys/eventfd.h", "fcntl.h", "netinet/in.h",
     "netinet/tcp.h"],
    # packet(7) and raw(7) options: linux/icmp.h pulls in linux/if.h, which clashes with group 0
    ["linux/if_packet.h", "linux/icmp.h",
     # AF_VSOCK and AF_QIPCRTR addresses (vsock(7); linux/qrtr.h)
     "linux/vm_sockets.h", "linux/qrtr.h",
     # AF_NFC, AF_XDP and AF_MCTP addresses
     "linux/nfc.h", "linux/if_xdp.h", "linux/mctp.h"],
]

# Tables whose names are C enum members, not macros (no #ifdef possible): printed only by the
# header group (index into HEADERS) that declares them.
ENUM_MEMBERS: dict[str, int] = {"personality": 1, "personality_flags": 1, "kcmp_type": 0, "ioprio_which": 0,
                                "ioprio_class": 0, "membarrier_cmd": 0, "membarrier_flags": 0,
                                "landlock_rule_types": 0, "mpol_modes": 0}

# The default strace names an unknown value of these tables by (the dflt argument of its
# printxval/printflags calls) where it is not the names' common prefix (fmt.unknown_prefix).
UNKNOWN: dict[str, str] = {"rxrpc_services": "???_SERVICE", "open_flags": "O_???",
                           "ieee802154_addr_types": "IEEE802154_ADDR_",
                           "alg_sockaddr_flags": "CRYPTO_ALG_",
                           # sockaddr.c print_sockaddr_data_vsock's dflt (one name: no common prefix)
                           "vsock_flags": "VMADDR_FLAG_",
                           "delete_module_flags": "O_", "pkey_access": "PKEY_", "reboot_magic": "LINUX_REBOOT_MAGIC_",
                           "reboot_magic2": "LINUX_REBOOT_MAGIC_", "uffd_flags": "UFFD_",
                           "open_tree_flags": "OPEN_TREE_",
                           "fsmount_attr_flags": "MOUNT_ATTR_", "landlock_access_fs": "LANDLOCK_ACCESS_FS_",
                           "landlock_rule_types": "LANDLOCK_RULE_", "semop_flags": "SEM_", "shm_flags": "SHM_",
                           "mpol_modes": "MPOL_", "mpol_mode_flags": "MPOL_", "mbind_flags": "MPOL_",
                           "get_mempolicy_flags": "MPOL_", "mq_attr_flags": "O_",
                           "seccomp_ops": "SECCOMP_SET_MODE_", "access_mode": "?_OK",
                           "setns_types": "CLONE_NEW???",
                           "scm_type": "SCM_"}

# The flag tables strace prints with a NULL default (printflags(xlat, v, NULL)): src/xlat.c
# printflags_ex() prints nothing at all for 0 then, in every -X style (-X raw too), unless the
# table names 0, and bits without a name as their bare number, no comment (fmt.Flags ``null``).
# Its callers: term.c (the four termios words), ipc_msg.c/ipc_sem.c (msgget/semget's flags before
# the permissions), ipc_shm.c (shmget's), statx.c (the sync type, then the AT_* flags).  Every
# other printflags caller passes a default ("FOO_???", memfd_secret's ""): 0 prints "0".
NULL_DEFAULT: frozenset[str] = frozenset({
    "tc_iflag", "tc_oflag", "tc_cflag", "tc_lflag", "term_lflags",
    "ipc_resource_flags", "shm_resource_flags",
    "statx_sync", "statx_at_flags",
})

# table -> (kind, names).  kind "flags": OR of bits; "enum": one value; "mode": access(2) mode.
TABLES: dict[str, tuple[str, list[str]]] = {
    # O_ACCMODE names the access mode 3 (strace's open_access_modes)
    "open_access": ("enum", ["O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"]),
    "open_flags": ("flags", [
        "O_CREAT", "O_EXCL", "O_NOCTTY", "O_TRUNC", "O_APPEND", "O_NONBLOCK", "O_SYNC", "__O_SYNC", "O_DSYNC",
        "O_DIRECT", "O_LARGEFILE", "O_NOFOLLOW", "O_NOATIME", "O_CLOEXEC", "O_PATH", "O_TMPFILE",
        "__O_TMPFILE", "O_DIRECTORY", "FASYNC"]),
    # only to know which bits make open(2) read its mode argument
    "open_mode_needed": ("flags", ["O_CREAT", "__O_TMPFILE"]),
    "access_mode": ("flags", ["R_OK", "W_OK", "X_OK"]),
    "faccessat_flags": ("flags", ["AT_SYMLINK_NOFOLLOW", "AT_EACCESS", "AT_EMPTY_PATH"]),
    "unlinkat_flags": ("flags", ["AT_REMOVEDIR"]),
    # strace's at_flags: the AT_STATX_* sync types are statx(2)'s own field (statx_sync)
    "at_flags": ("flags", [
        "AT_SYMLINK_NOFOLLOW", "AT_REMOVEDIR", "AT_SYMLINK_FOLLOW", "AT_NO_AUTOMOUNT",
        "AT_EMPTY_PATH", "AT_RECURSIVE"]),
    # PROT_BTI and PROT_MTE exist on arm64 only (arch/arm64/include/uapi/asm/mman.h)
    "mmap_prot": ("flags", ["PROT_NONE", "PROT_READ", "PROT_WRITE", "PROT_EXEC", "PROT_SEM", "PROT_BTI", "PROT_MTE",
                            "PROT_GROWSDOWN", "PROT_GROWSUP"]),
    # type 0 is MAP_FILE, a no-op name strace prints for it (xlat/mmap_flags.in)
    "mmap_type": ("enum", ["MAP_SHARED", "MAP_PRIVATE", "MAP_SHARED_VALIDATE", "MAP_FILE"]),
    "mmap_flags": ("flags", [
        "MAP_FIXED", "MAP_ANONYMOUS", "MAP_32BIT", "MAP_NORESERVE", "MAP_POPULATE", "MAP_NONBLOCK",
        "MAP_GROWSDOWN", "MAP_DENYWRITE", "MAP_EXECUTABLE", "MAP_LOCKED", "MAP_STACK",
        "MAP_HUGETLB", "MAP_SYNC", "MAP_FIXED_NOREPLACE", "MAP_UNINITIALIZED"]),
    "mmap_huge": ("enum", ["MAP_HUGE_SHIFT", "MAP_HUGE_MASK"]),
    "clone_flags": ("flags", [
        "CLONE_VM", "CLONE_FS", "CLONE_FILES", "CLONE_SIGHAND", "CLONE_PIDFD", "CLONE_PTRACE",
        "CLONE_VFORK", "CLONE_PARENT", "CLONE_THREAD", "CLONE_NEWNS", "CLONE_SYSVSEM",
        "CLONE_SETTLS", "CLONE_PARENT_SETTID", "CLONE_CHILD_CLEARTID", "CLONE_UNTRACED",
        "CLONE_CHILD_SETTID", "CLONE_NEWCGROUP", "CLONE_NEWUTS", "CLONE_NEWIPC", "CLONE_NEWUSER",
        "CLONE_NEWPID", "CLONE_NEWNET", "CLONE_IO"]),
    # setns(2)'s nstype: the namespace flags alone (strace xlat/setns_types.in)
    "setns_types": ("flags", ["CLONE_NEWTIME", "CLONE_NEWNS", "CLONE_NEWCGROUP", "CLONE_NEWUTS", "CLONE_NEWIPC",
                              "CLONE_NEWUSER", "CLONE_NEWPID", "CLONE_NEWNET"]),
    # the flags only clone3(2) takes (above 32 bits, or CSIGNAL's bits reused: CLONE_NEWTIME)
    "clone3_flags": ("flags", ["CLONE_NEWTIME", "CLONE_CLEAR_SIGHAND", "CLONE_INTO_CGROUP"]),
    "wait_options": ("flags", ["WNOHANG", "WEXITED", "WSTOPPED", "WCONTINUED", "WNOWAIT", "__WALL",
                               "__WNOTHREAD", "__WCLONE"]),
    "sa_flags": ("flags", ["SA_RESTORER", "SA_ONSTACK", "SA_RESTART", "SA_NODEFER", "SA_RESETHAND",
                           "SA_SIGINFO", "SA_NOCLDSTOP", "SA_NOCLDWAIT"]),
    "sigprocmask_how": ("enum", ["SIG_BLOCK", "SIG_UNBLOCK", "SIG_SETMASK"]),
    "file_type": ("enum", ["S_IFREG", "S_IFSOCK", "S_IFIFO", "S_IFLNK", "S_IFDIR", "S_IFBLK",
                           "S_IFCHR"]),
    "mode_bits": ("flags", ["S_ISUID", "S_ISGID", "S_ISVTX"]),
    "seek_whence": ("enum", ["SEEK_SET", "SEEK_CUR", "SEEK_END", "SEEK_DATA", "SEEK_HOLE"]),
    "madvise": ("enum", [
        "MADV_NORMAL", "MADV_RANDOM", "MADV_SEQUENTIAL", "MADV_WILLNEED", "MADV_DONTNEED",
        "MADV_FREE", "MADV_REMOVE", "MADV_DONTFORK", "MADV_DOFORK", "MADV_MERGEABLE",
        "MADV_UNMERGEABLE", "MADV_HUGEPAGE", "MADV_NOHUGEPAGE", "MADV_DONTDUMP", "MADV_DODUMP",
        "MADV_WIPEONFORK", "MADV_KEEPONFORK", "MADV_COLD", "MADV_PAGEOUT", "MADV_POPULATE_READ",
        "MADV_POPULATE_WRITE", "MADV_HWPOISON", "MADV_SOFT_OFFLINE"]),
    "mremap_flags": ("flags", ["MREMAP_MAYMOVE", "MREMAP_FIXED", "MREMAP_DONTUNMAP"]),
    "eventfd_flags": ("flags", ["EFD_SEMAPHORE", "EFD_CLOEXEC", "EFD_NONBLOCK"]),
    "inotify_init_flags": ("flags", ["IN_NONBLOCK", "IN_CLOEXEC"]),
    "memfd_flags": ("flags", ["MFD_CLOEXEC", "MFD_ALLOW_SEALING", "MFD_HUGETLB", "MFD_NOEXEC_SEAL",
                              "MFD_EXEC"]),
    "getrandom_flags": ("flags", ["GRND_NONBLOCK", "GRND_RANDOM", "GRND_INSECURE"]),
    "rlimit_resource": ("enum", [
        "RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA", "RLIMIT_STACK", "RLIMIT_CORE", "RLIMIT_RSS",
        "RLIMIT_NPROC", "RLIMIT_NOFILE", "RLIMIT_MEMLOCK", "RLIMIT_AS", "RLIMIT_LOCKS",
        "RLIMIT_SIGPENDING", "RLIMIT_MSGQUEUE", "RLIMIT_NICE", "RLIMIT_RTPRIO", "RLIMIT_RTTIME"]),
    "arch_prctl": ("enum", ["ARCH_SET_GS", "ARCH_SET_FS", "ARCH_GET_FS", "ARCH_GET_GS",
                            "ARCH_GET_CPUID", "ARCH_SET_CPUID", "ARCH_GET_XCOMP_SUPP", "ARCH_GET_XCOMP_PERM",
                            "ARCH_REQ_XCOMP_PERM", "ARCH_GET_XCOMP_GUEST_PERM", "ARCH_REQ_XCOMP_GUEST_PERM",
                            "ARCH_MAP_VDSO_X32", "ARCH_MAP_VDSO_32", "ARCH_MAP_VDSO_64"]),
    # ptrace(2) requests (linux/ptrace.h, asm/ptrace-abi.h): sysdig's evt.arg.request
    "ptrace_request": ("enum", [
        "PTRACE_TRACEME", "PTRACE_PEEKTEXT", "PTRACE_PEEKDATA", "PTRACE_PEEKUSR", "PTRACE_POKETEXT",
        "PTRACE_POKEDATA", "PTRACE_POKEUSR", "PTRACE_CONT", "PTRACE_KILL", "PTRACE_SINGLESTEP",
        "PTRACE_GETREGS", "PTRACE_SETREGS", "PTRACE_GETFPREGS", "PTRACE_SETFPREGS", "PTRACE_ATTACH",
        "PTRACE_DETACH", "PTRACE_GETFPXREGS", "PTRACE_SETFPXREGS", "PTRACE_SYSCALL",
        "PTRACE_GET_THREAD_AREA", "PTRACE_SET_THREAD_AREA", "PTRACE_ARCH_PRCTL", "PTRACE_SYSEMU",
        "PTRACE_SYSEMU_SINGLESTEP", "PTRACE_SINGLEBLOCK", "PTRACE_SETOPTIONS", "PTRACE_GETEVENTMSG",
        "PTRACE_GETSIGINFO", "PTRACE_SETSIGINFO", "PTRACE_GETREGSET", "PTRACE_SETREGSET",
        "PTRACE_SEIZE", "PTRACE_INTERRUPT", "PTRACE_LISTEN", "PTRACE_PEEKSIGINFO",
        "PTRACE_GETSIGMASK", "PTRACE_SETSIGMASK", "PTRACE_SECCOMP_GET_FILTER",
        "PTRACE_SECCOMP_GET_METADATA", "PTRACE_GET_SYSCALL_INFO", "PTRACE_GET_RSEQ_CONFIGURATION",
        "PTRACE_SET_SYSCALL_USER_DISPATCH_CONFIG", "PTRACE_GET_SYSCALL_USER_DISPATCH_CONFIG"]),
    # strace's addrfams (the families sys/socket.h numbers, no aliases such as AF_LOCAL)
    "socket_family": ("enum", ["AF_UNSPEC", "AF_UNIX", "AF_INET", "AF_AX25", "AF_IPX", "AF_APPLETALK", "AF_NETROM",
                               "AF_BRIDGE", "AF_ATMPVC", "AF_X25", "AF_INET6", "AF_ROSE", "AF_DECnet", "AF_NETBEUI",
                               "AF_SECURITY", "AF_KEY", "AF_NETLINK", "AF_PACKET", "AF_ASH", "AF_ECONET",
                               "AF_ATMSVC", "AF_RDS", "AF_SNA", "AF_IRDA", "AF_PPPOX", "AF_WANPIPE", "AF_LLC",
                               "AF_IB", "AF_MPLS", "AF_CAN", "AF_TIPC", "AF_BLUETOOTH", "AF_IUCV", "AF_RXRPC",
                               "AF_ISDN", "AF_PHONET", "AF_IEEE802154", "AF_CAIF", "AF_ALG", "AF_NFC", "AF_VSOCK",
                               "AF_KCM", "AF_QIPCRTR", "AF_SMC", "AF_XDP", "AF_MCTP"]),
    "socket_type": ("enum", ["SOCK_STREAM", "SOCK_DGRAM", "SOCK_RAW", "SOCK_RDM", "SOCK_SEQPACKET",
                             "SOCK_DCCP", "SOCK_PACKET"]),
    "socket_type_flags": ("flags", ["SOCK_CLOEXEC", "SOCK_NONBLOCK"]),
    "ipproto": ("enum", ["IPPROTO_IP", "IPPROTO_ICMP", "IPPROTO_TCP", "IPPROTO_UDP", "IPPROTO_IPV6",
                         "IPPROTO_ICMPV6", "IPPROTO_SCTP", "IPPROTO_UDPLITE", "IPPROTO_RAW"]),
    "netlink_proto": ("enum", ["NETLINK_ROUTE", "NETLINK_USERSOCK", "NETLINK_SOCK_DIAG",
                               "NETLINK_AUDIT", "NETLINK_KOBJECT_UEVENT", "NETLINK_GENERIC"]),
    "pipe_flags": ("flags", ["O_NONBLOCK", "O_CLOEXEC", "O_DIRECT", "O_NOTIFICATION_PIPE"]),
    "clock_id": ("enum", ["CLOCK_REALTIME", "CLOCK_MONOTONIC", "CLOCK_PROCESS_CPUTIME_ID",
                          "CLOCK_THREAD_CPUTIME_ID", "CLOCK_MONOTONIC_RAW", "CLOCK_REALTIME_COARSE",
                          "CLOCK_MONOTONIC_COARSE", "CLOCK_BOOTTIME", "CLOCK_REALTIME_ALARM",
                          "CLOCK_BOOTTIME_ALARM", "CLOCK_TAI"]),
    "timer_flags": ("flags", ["TIMER_ABSTIME"]),
    "fcntl_cmd": ("enum", ["F_DUPFD", "F_GETFD", "F_SETFD", "F_GETFL", "F_SETFL", "F_GETLK",
                           "F_SETLK", "F_SETLKW", "F_SETOWN", "F_GETOWN", "F_SETSIG", "F_GETSIG",
                           "F_SETOWN_EX", "F_GETOWN_EX", "F_OFD_GETLK", "F_OFD_SETLK",
                           "F_OFD_SETLKW", "F_SETLEASE", "F_GETLEASE", "F_NOTIFY",
                           "F_DUPFD_CLOEXEC", "F_SETPIPE_SZ", "F_GETPIPE_SZ", "F_ADD_SEALS",
                           "F_GET_SEALS"]),
    "fd_flags": ("flags", ["FD_CLOEXEC"]),
    # fcntl F_SETOWN_EX/F_GETOWN_EX struct f_owner_ex type (fcntl(2); strace xlat/f_owner_types.in)
    "f_owner_types": ("enum", ["F_OWNER_TID", "F_OWNER_PID", "F_OWNER_PGRP"]),
    # fcntl F_NOTIFY (linux/fcntl.h; strace xlat/notifyflags.in)
    "notify_flags": ("flags", ["DN_ACCESS", "DN_MODIFY", "DN_CREATE", "DN_DELETE", "DN_RENAME", "DN_ATTRIB",
                               "DN_MULTISHOT"]),
    "fs_magic": ("enum", ["EXT2_SUPER_MAGIC", "PROC_SUPER_MAGIC", "TMPFS_MAGIC", "SYSFS_MAGIC",
                          "OVERLAYFS_SUPER_MAGIC", "CGROUP2_SUPER_MAGIC", "CGROUP_SUPER_MAGIC",
                          "DEVPTS_SUPER_MAGIC", "BTRFS_SUPER_MAGIC", "XFS_SUPER_MAGIC",
                          "NFS_SUPER_MAGIC", "SQUASHFS_MAGIC", "RAMFS_MAGIC", "DEBUGFS_MAGIC",
                          "TRACEFS_MAGIC", "SECURITYFS_MAGIC", "BPF_FS_MAGIC", "MQUEUE_MAGIC",
                          "HUGETLBFS_MAGIC", "FUSE_SUPER_MAGIC", "NSFS_MAGIC", "PIPEFS_MAGIC",
                          "SOCKFS_MAGIC", "ANON_INODE_FS_MAGIC", "MSDOS_SUPER_MAGIC"]),
    "mount_flags": ("flags", ["MS_RDONLY", "MS_NOSUID", "MS_NODEV", "MS_NOEXEC", "MS_SYNCHRONOUS",
                              "MS_REMOUNT", "MS_MANDLOCK", "MS_DIRSYNC", "MS_NOSYMFOLLOW",
                              "MS_NOATIME", "MS_NODIRATIME", "MS_BIND", "MS_MOVE", "MS_REC",
                              "MS_SILENT", "MS_POSIXACL", "MS_UNBINDABLE", "MS_PRIVATE",
                              "MS_SLAVE", "MS_SHARED", "MS_RELATIME", "MS_KERNMOUNT",
                              "MS_I_VERSION", "MS_STRICTATIME", "MS_LAZYTIME", "MS_SUBMOUNT", "MS_NOREMOTELOCK",
                              "MS_NOSEC", "MS_BORN", "MS_ACTIVE", "MS_NOUSER"]),
    # mount_setattr(2): its flags, struct mount_attr's attribute flags and propagation type
    "mount_setattr_flags": ("flags", ["AT_SYMLINK_NOFOLLOW", "AT_NO_AUTOMOUNT", "AT_EMPTY_PATH", "AT_RECURSIVE"]),
    "mount_attr_attr": ("flags", ["MOUNT_ATTR_RDONLY", "MOUNT_ATTR_NOSUID", "MOUNT_ATTR_NODEV", "MOUNT_ATTR_NOEXEC",
                                  "MOUNT_ATTR_NOATIME", "MOUNT_ATTR_STRICTATIME", "MOUNT_ATTR_NODIRATIME",
                                  "MOUNT_ATTR_IDMAP", "MOUNT_ATTR_NOSYMFOLLOW"]),
    "mount_attr_propagation": ("enum", ["MS_UNBINDABLE", "MS_PRIVATE", "MS_SLAVE", "MS_SHARED"]),
    # mount(2): the magic number old callers put in the top 16 bits of the flags
    "mount_magic": ("enum", ["MS_MGC_VAL", "MS_MGC_MSK"]),
    "umount_flags": ("flags", ["MNT_FORCE", "MNT_DETACH", "MNT_EXPIRE", "UMOUNT_NOFOLLOW"]),
    "sched_policy": ("enum", ["SCHED_OTHER", "SCHED_FIFO", "SCHED_RR", "SCHED_BATCH", "SCHED_ISO",
                              "SCHED_IDLE", "SCHED_DEADLINE"]),
    "ss_flags": ("flags", ["SS_ONSTACK", "SS_DISABLE", "SS_AUTODISARM"]),
    "timerfd_flags": ("flags", ["TFD_CLOEXEC", "TFD_NONBLOCK"]),
    "sfd_flags": ("flags", ["SFD_CLOEXEC", "SFD_NONBLOCK"]),
    "resolve_flags": ("flags", ["RESOLVE_NO_XDEV", "RESOLVE_NO_MAGICLINKS", "RESOLVE_NO_SYMLINKS",
                                "RESOLVE_BENEATH", "RESOLVE_IN_ROOT", "RESOLVE_CACHED"]),
    "pidfd_flags": ("flags", ["PIDFD_NONBLOCK"]),
    # prctl(2) options, in strace's xlat/prctl_options.in order
    "prctl_option": ("enum", [
        "PR_SET_PDEATHSIG", "PR_GET_PDEATHSIG", "PR_GET_DUMPABLE", "PR_SET_DUMPABLE",
        "PR_GET_UNALIGN", "PR_SET_UNALIGN", "PR_GET_KEEPCAPS", "PR_SET_KEEPCAPS", "PR_GET_FPEMU",
        "PR_SET_FPEMU", "PR_GET_FPEXC", "PR_SET_FPEXC", "PR_GET_TIMING", "PR_SET_TIMING",
        "PR_SET_NAME", "PR_GET_NAME", "PR_GET_ENDIAN", "PR_SET_ENDIAN", "PR_GET_SECCOMP",
        "PR_SET_SECCOMP", "PR_CAPBSET_READ", "PR_CAPBSET_DROP", "PR_GET_TSC", "PR_SET_TSC",
        "PR_GET_SECUREBITS", "PR_SET_SECUREBITS", "PR_SET_TIMERSLACK", "PR_GET_TIMERSLACK",
        "PR_TASK_PERF_EVENTS_DISABLE", "PR_TASK_PERF_EVENTS_ENABLE", "PR_MCE_KILL",
        "PR_MCE_KILL_GET", "PR_SET_MM", "PR_SET_CHILD_SUBREAPER", "PR_GET_CHILD_SUBREAPER",
        "PR_SET_NO_NEW_PRIVS", "PR_GET_NO_NEW_PRIVS", "PR_GET_TID_ADDRESS", "PR_SET_THP_DISABLE",
        "PR_GET_THP_DISABLE", "PR_MPX_ENABLE_MANAGEMENT", "PR_MPX_DISABLE_MANAGEMENT", "PR_SET_FP_MODE",
        "PR_GET_FP_MODE", "PR_CAP_AMBIENT", "PR_SVE_SET_VL", "PR_SVE_GET_VL", "PR_GET_SPECULATION_CTRL",
        "PR_SET_SPECULATION_CTRL", "PR_PAC_RESET_KEYS", "PR_SET_TAGGED_ADDR_CTRL", "PR_GET_TAGGED_ADDR_CTRL",
        "PR_SET_IO_FLUSHER", "PR_GET_IO_FLUSHER", "PR_SET_SYSCALL_USER_DISPATCH", "PR_PAC_SET_ENABLED_KEYS",
        "PR_PAC_GET_ENABLED_KEYS", "PR_SCHED_CORE", "PR_SME_SET_VL", "PR_SME_GET_VL", "PR_SET_VMA",
        "PR_SET_PTRACER"]),
    # personas in strace's xlat/personality_types.in order (those with flag bits never match
    # the low byte alone, as in strace)
    "personality": ("enum", ["PER_LINUX", "PER_LINUX_32BIT", "PER_LINUX_FDPIC", "PER_SVR4", "PER_SVR3",
                             "PER_SCOSVR3", "PER_OSR5", "PER_WYSEV386", "PER_ISCR4", "PER_BSD", "PER_SUNOS",
                             "PER_XENIX", "PER_LINUX32", "PER_LINUX32_3GB", "PER_IRIX32", "PER_IRIXN32",
                             "PER_IRIX64", "PER_RISCOS", "PER_SOLARIS", "PER_UW7", "PER_OSF4", "PER_HPUX",
                             "PER_MASK"]),
    # the flag bits above the persona (linux/personality.h)
    "personality_flags": ("flags", ["UNAME26", "ADDR_NO_RANDOMIZE", "FDPIC_FUNCPTRS", "MMAP_PAGE_ZERO",
                                    "ADDR_COMPAT_LAYOUT", "READ_IMPLIES_EXEC", "ADDR_LIMIT_32BIT", "SHORT_INODE",
                                    "WHOLE_SECONDS", "STICKY_TIMEOUTS", "ADDR_LIMIT_3GB"]),
    "itimer_which": ("enum", ["ITIMER_REAL", "ITIMER_VIRTUAL", "ITIMER_PROF"]),
    "rusage_who": ("enum", ["RUSAGE_SELF", "RUSAGE_CHILDREN", "RUSAGE_THREAD", "RUSAGE_BOTH"]),
    "waitid_idtype": ("enum", ["P_ALL", "P_PID", "P_PGID", "P_PIDFD"]),
    "sync_file_range_flags": ("flags", ["SYNC_FILE_RANGE_WAIT_BEFORE", "SYNC_FILE_RANGE_WRITE",
                                        "SYNC_FILE_RANGE_WAIT_AFTER"]),
    "kcmp_type": ("enum", ["KCMP_FILE", "KCMP_VM", "KCMP_FILES", "KCMP_FS", "KCMP_SIGHAND", "KCMP_IO",
                           "KCMP_SYSVSEM", "KCMP_EPOLL_TFD"]),
    # membarrier(2) commands; strace 6.1 does not know MEMBARRIER_CMD_GET_REGISTRATIONS (Linux 6.3)
    "membarrier_cmd": ("flags", ["MEMBARRIER_CMD_QUERY", "MEMBARRIER_CMD_GLOBAL", "MEMBARRIER_CMD_GLOBAL_EXPEDITED",
                                 "MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED", "MEMBARRIER_CMD_PRIVATE_EXPEDITED",
                                 "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED",
                                 "MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE",
                                 "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE",
                                 "MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ",
                                 "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ"]),
    "membarrier_flags": ("flags", ["MEMBARRIER_CMD_FLAG_CPU"]),
    # adjtimex(2) / clock_adjtime(2) (linux/timex.h)
    "adj_modes": ("flags", ["ADJ_OFFSET", "ADJ_FREQUENCY", "ADJ_MAXERROR", "ADJ_ESTERROR", "ADJ_STATUS",
                            "ADJ_TIMECONST", "ADJ_TAI", "ADJ_SETOFFSET", "ADJ_MICRO", "ADJ_NANO", "ADJ_TICK",
                            "ADJ_OFFSET_SINGLESHOT", "ADJ_OFFSET_SS_READ"]),
    "adj_status": ("flags", ["STA_PLL", "STA_PPSFREQ", "STA_PPSTIME", "STA_FLL", "STA_INS", "STA_DEL",
                             "STA_UNSYNC", "STA_FREQHOLD", "STA_PPSSIGNAL", "STA_PPSJITTER", "STA_PPSWANDER",
                             "STA_PPSERROR", "STA_CLOCKERR", "STA_NANO", "STA_MODE", "STA_CLK"]),
    "adj_state": ("enum", ["TIME_OK", "TIME_INS", "TIME_DEL", "TIME_OOP", "TIME_WAIT", "TIME_ERROR"]),
    "ioprio_which": ("enum", ["IOPRIO_WHO_PROCESS", "IOPRIO_WHO_PGRP", "IOPRIO_WHO_USER"]),
    "ioprio_class": ("enum", ["IOPRIO_CLASS_NONE", "IOPRIO_CLASS_RT", "IOPRIO_CLASS_BE", "IOPRIO_CLASS_IDLE"]),
    "cap_version": ("enum", ["_LINUX_CAPABILITY_VERSION_1", "_LINUX_CAPABILITY_VERSION_2",
                             "_LINUX_CAPABILITY_VERSION_3"]),
    "splice_flags": ("flags", ["SPLICE_F_MOVE", "SPLICE_F_NONBLOCK", "SPLICE_F_MORE", "SPLICE_F_GIFT"]),
    "statx_sync": ("enum", ["AT_STATX_SYNC_AS_STAT", "AT_STATX_FORCE_SYNC", "AT_STATX_DONT_SYNC"]),
    "statx_at_flags": ("flags", ["AT_SYMLINK_NOFOLLOW", "AT_REMOVEDIR", "AT_SYMLINK_FOLLOW",
                                 "AT_NO_AUTOMOUNT", "AT_EMPTY_PATH", "AT_RECURSIVE"]),
    "statx_mask": ("flags", ["STATX_ALL", "STATX_BASIC_STATS", "STATX_TYPE", "STATX_MODE", "STATX_NLINK",
                             "STATX_UID", "STATX_GID", "STATX_ATIME", "STATX_MTIME", "STATX_CTIME",
                             "STATX_INO", "STATX_SIZE", "STATX_BLOCKS", "STATX_BTIME",
                             "STATX_MNT_ID", "STATX_DIOALIGN"]),
    "statx_attrs": ("flags", ["STATX_ATTR_COMPRESSED", "STATX_ATTR_IMMUTABLE", "STATX_ATTR_APPEND",
                              "STATX_ATTR_NODUMP", "STATX_ATTR_ENCRYPTED", "STATX_ATTR_AUTOMOUNT",
                              "STATX_ATTR_MOUNT_ROOT", "STATX_ATTR_VERITY", "STATX_ATTR_DAX"]),
    "fadvise": ("enum", ["POSIX_FADV_NORMAL", "POSIX_FADV_RANDOM", "POSIX_FADV_SEQUENTIAL",
                         "POSIX_FADV_WILLNEED", "POSIX_FADV_DONTNEED", "POSIX_FADV_NOREUSE"]),
    "baud": ("enum", ["B0", "B50", "B75", "B110", "B134", "B150", "B200", "B300", "B600", "B1200",
                      "B1800", "B2400", "B4800", "B9600", "B19200", "B38400", "B57600", "B115200",
                      "B230400", "B460800", "B500000", "B576000", "B921600", "B1000000",
                      "B1152000", "B1500000", "B2000000", "B2500000", "B3000000", "B3500000",
                      "B4000000"]),
    "termios_bits": ("enum", ["CBAUD", "CSIZE", "NLDLY", "CRDLY", "TABDLY", "BSDLY", "VTDLY",
                              "FFDLY"]),
    "tc_iflag": ("flags", ["IGNBRK", "BRKINT", "IGNPAR", "PARMRK", "INPCK", "ISTRIP", "INLCR",
                           "IGNCR", "ICRNL", "IUCLC", "IXON", "IXANY", "IXOFF", "IMAXBEL", "IUTF8"]),
    "tc_oflag": ("flags", ["OPOST", "OLCUC", "ONLCR", "OCRNL", "ONOCR", "ONLRET", "OFILL",
                           "OFDEL"]),
    "tc_nldly": ("enum", ["NL0", "NL1"]),
    "tc_crdly": ("enum", ["CR0", "CR1", "CR2", "CR3"]),
    "tc_tabdly": ("enum", ["TAB0", "TAB1", "TAB2", "TAB3"]),
    "tc_bsdly": ("enum", ["BS0", "BS1"]),
    "tc_vtdly": ("enum", ["VT0", "VT1"]),
    "tc_ffdly": ("enum", ["FF0", "FF1"]),
    "tc_csize": ("enum", ["CS5", "CS6", "CS7", "CS8"]),
    "tc_cflag": ("flags", ["CSTOPB", "CREAD", "PARENB", "PARODD", "HUPCL", "CLOCAL", "CMSPAR",
                           "CRTSCTS"]),
    "tc_lflag": ("flags", ["ISIG", "ICANON", "XCASE", "ECHO", "ECHOE", "ECHOK", "ECHONL",
                           "NOFLSH", "TOSTOP", "IEXTEN", "ECHOCTL", "ECHOPRT", "ECHOKE", "FLUSHO",
                           "PENDIN", "EXTPROC"]),
    # requests that share a number are all printed, "A or B" in name order, as strace does
    # (the OSS timer requests reuse the 'T' numbers of the tty ones, linux/soundcard.h)
    "ioctl_req": ("enum", ["TCGETS", "TCSETS", "TCSETSW", "TCSETSF", "TCGETA", "TCSETA", "TIOCGWINSZ",
                           "TIOCSWINSZ", "TIOCGPGRP", "TIOCSPGRP", "TIOCSCTTY", "TIOCNOTTY",
                           "FIONREAD", "FIONBIO", "FIOCLEX", "FIONCLEX", "FIOASYNC", "TIOCGPTN",
                           "TIOCGPTPEER", "TIOCSPTLCK", "TCFLSH", "TCXONC", "TIOCOUTQ", "TIOCGSID",
                           "SNDCTL_TMR_START", "SNDCTL_TMR_STOP", "SNDCTL_TMR_CONTINUE", "FICLONE",
                           "FICLONERANGE", "FIDEDUPERANGE", "BTRFS_IOC_CLONE", "BTRFS_IOC_CLONE_RANGE",
                           "FS_IOC_GETFLAGS", "FS_IOC_SETFLAGS", "FIGETBSZ", "FIBMAP",
                           "TIOCSTI", "TIOCMGET", "TIOCEXCL", "TIOCNXCL", "TCSBRK", "TCSBRKP"]),
    "tcflsh": ("enum", ["TCIFLUSH", "TCOFLUSH", "TCIOFLUSH"]),
    # c_cc indexes (asm-generic/termbits.h) and line disciplines (linux/tty.h)
    "tc_cc": ("enum", ["VINTR", "VQUIT", "VERASE", "VKILL", "VEOF", "VTIME", "VMIN", "VSWTC", "VSTART", "VSTOP",
                       "VSUSP", "VEOL", "VREPRINT", "VDISCARD", "VWERASE", "VLNEXT", "VEOL2"]),
    "tty_ldisc": ("enum", ["N_TTY", "N_SLIP", "N_MOUSE", "N_PPP", "N_STRIP", "N_AX25", "N_X25", "N_6PACK",
                           "N_MASC", "N_R3964", "N_PROFIBUS_FDL", "N_IRDA", "N_SMSBLOCK", "N_HDLC", "N_SYNC_PPP",
                           "N_HCI", "N_GIGASET_M101", "N_SLCAN", "N_PPS", "N_V253", "N_CAIF", "N_GSM0710",
                           "N_TI_WL", "N_TRACESINK", "N_TRACEROUTER", "N_NCI", "N_SPEAKUP", "N_NULL", "N_MCTP",
                           "N_DEVELOPMENT", "N_CAN327"]),
    "tcxonc": ("enum", ["TCOOFF", "TCOON", "TCIOFF", "TCION"]),
    "inotify_mask": ("flags", ["IN_ACCESS", "IN_MODIFY", "IN_ATTRIB", "IN_CLOSE_WRITE", "IN_CLOSE_NOWRITE",
                               "IN_OPEN", "IN_MOVED_FROM", "IN_MOVED_TO", "IN_CREATE", "IN_DELETE",
                               "IN_DELETE_SELF", "IN_MOVE_SELF", "IN_UNMOUNT", "IN_Q_OVERFLOW",
                               "IN_IGNORED", "IN_ONLYDIR", "IN_DONT_FOLLOW", "IN_EXCL_UNLINK",
                               "IN_MASK_CREATE", "IN_MASK_ADD", "IN_ISDIR", "IN_ONESHOT"]),
    "msync_flags": ("flags", ["MS_ASYNC", "MS_INVALIDATE", "MS_SYNC"]),
    "mlock_flags": ("flags", ["MLOCK_ONFAULT"]),
    "mlockall_flags": ("flags", ["MCL_CURRENT", "MCL_FUTURE", "MCL_ONFAULT"]),
    "flock_op": ("flags", ["LOCK_SH", "LOCK_EX", "LOCK_NB", "LOCK_UN", "LOCK_MAND", "LOCK_READ",
                           "LOCK_WRITE", "LOCK_RW"]),
    "falloc_flags": ("flags", ["FALLOC_FL_KEEP_SIZE", "FALLOC_FL_PUNCH_HOLE", "FALLOC_FL_NO_HIDE_STALE",
                               "FALLOC_FL_COLLAPSE_RANGE", "FALLOC_FL_ZERO_RANGE", "FALLOC_FL_INSERT_RANGE",
                               "FALLOC_FL_UNSHARE_RANGE"]),
    "timerfd_settime_flags": ("flags", ["TFD_TIMER_ABSTIME", "TFD_TIMER_CANCEL_ON_SET"]),
    "prio_which": ("enum", ["PRIO_PROCESS", "PRIO_PGRP", "PRIO_USER"]),
    "xattr_flags": ("flags", ["XATTR_CREATE", "XATTR_REPLACE"]),
    "rename_flags": ("flags", ["RENAME_NOREPLACE", "RENAME_EXCHANGE", "RENAME_WHITEOUT"]),
    "shutdown_how": ("enum", ["SHUT_RD", "SHUT_WR", "SHUT_RDWR"]),
    "f_seals": ("flags", ["F_SEAL_SEAL", "F_SEAL_SHRINK", "F_SEAL_GROW", "F_SEAL_WRITE",
                          "F_SEAL_FUTURE_WRITE"]),
    "flock_type": ("enum", ["F_RDLCK", "F_WRLCK", "F_UNLCK", "F_EXLCK", "F_SHLCK"]),
    "sigev_notify": ("enum", ["SIGEV_SIGNAL", "SIGEV_NONE", "SIGEV_THREAD", "SIGEV_THREAD_ID"]),
    "close_range_flags": ("flags", ["CLOSE_RANGE_UNSHARE", "CLOSE_RANGE_CLOEXEC"]),
    "scm_type": ("enum", ["SCM_RIGHTS", "SCM_CREDENTIALS", "SCM_SECURITY", "SCM_PIDFD",
                          "SO_TIMESTAMP_OLD", "SO_TIMESTAMPNS_OLD", "SO_TIMESTAMPING_OLD",
                          "SO_TIMESTAMP_NEW", "SO_TIMESTAMPNS_NEW", "SO_TIMESTAMPING_NEW"]),
    "sol_tcp": ("enum", ["TCP_NODELAY", "TCP_MAXSEG", "TCP_CORK", "TCP_KEEPIDLE", "TCP_KEEPINTVL",
                         "TCP_KEEPCNT", "TCP_SYNCNT", "TCP_LINGER2", "TCP_DEFER_ACCEPT",
                         "TCP_WINDOW_CLAMP", "TCP_INFO", "TCP_QUICKACK", "TCP_CONGESTION",
                         "TCP_MD5SIG", "TCP_THIN_LINEAR_TIMEOUTS", "TCP_THIN_DUPACK", "TCP_USER_TIMEOUT",
                         "TCP_REPAIR", "TCP_REPAIR_QUEUE", "TCP_QUEUE_SEQ", "TCP_REPAIR_OPTIONS",
                         "TCP_FASTOPEN", "TCP_TIMESTAMP", "TCP_NOTSENT_LOWAT", "TCP_CC_INFO",
                         "TCP_SAVE_SYN", "TCP_SAVED_SYN", "TCP_REPAIR_WINDOW", "TCP_FASTOPEN_CONNECT",
                         "TCP_ULP", "TCP_MD5SIG_EXT", "TCP_FASTOPEN_KEY", "TCP_FASTOPEN_NO_COOKIE",
                         "TCP_ZEROCOPY_RECEIVE", "TCP_INQ", "TCP_TX_DELAY"]),
    "futex_op": ("enum", ["FUTEX_WAIT", "FUTEX_WAKE", "FUTEX_FD", "FUTEX_REQUEUE", "FUTEX_CMP_REQUEUE",
                          "FUTEX_WAKE_OP", "FUTEX_LOCK_PI", "FUTEX_UNLOCK_PI", "FUTEX_TRYLOCK_PI",
                          "FUTEX_WAIT_BITSET", "FUTEX_WAKE_BITSET", "FUTEX_WAIT_REQUEUE_PI",
                          "FUTEX_CMP_REQUEUE_PI", "FUTEX_LOCK_PI2"]),
    "futex_flags": ("flags", ["FUTEX_PRIVATE_FLAG", "FUTEX_CLOCK_REALTIME"]),
    # strace's socketlayers order (AF_VSOCK doubles as the vsock level: net/vmw_vsock/af_vsock.c)
    "sockopt_level": ("enum", ["SOL_IP", "SOL_SOCKET", "SOL_TCP", "SOL_UDP", "AF_VSOCK", "SOL_IPV6", "SOL_ICMPV6",
                               "SOL_CAN_BASE", "SOL_CAN_RAW", "SOL_SCTP", "SOL_UDPLITE", "SOL_RAW", "SOL_IPX",
                               "SOL_AX25", "SOL_ATALK", "SOL_NETROM", "SOL_ROSE", "SOL_DECNET", "SOL_X25",
                               "SOL_PACKET", "SOL_ATM", "SOL_AAL", "SOL_IRDA", "SOL_NETBEUI", "SOL_LLC",
                               "SOL_DCCP", "SOL_NETLINK", "SOL_TIPC", "SOL_RXRPC", "SOL_PPPOL2TP", "SOL_BLUETOOTH",
                               "SOL_PNPIPE", "SOL_RDS", "SOL_IUCV", "SOL_CAIF", "SOL_ALG", "SOL_NFC", "SOL_KCM",
                               "SOL_TLS", "SOL_XDP"]),
    # packet(7) options (linux/if_packet.h), raw(7)'s ICMP_FILTER (linux/icmp.h)
    "sol_packet": ("enum", ["PACKET_ADD_MEMBERSHIP", "PACKET_DROP_MEMBERSHIP", "PACKET_RECV_OUTPUT",
                            "PACKET_RX_RING", "PACKET_STATISTICS", "PACKET_COPY_THRESH", "PACKET_AUXDATA",
                            "PACKET_ORIGDEV", "PACKET_VERSION", "PACKET_HDRLEN", "PACKET_RESERVE",
                            "PACKET_TX_RING", "PACKET_LOSS", "PACKET_VNET_HDR", "PACKET_TX_TIMESTAMP",
                            "PACKET_TIMESTAMP", "PACKET_FANOUT", "PACKET_TX_HAS_OFF", "PACKET_QDISC_BYPASS",
                            "PACKET_ROLLOVER_STATS", "PACKET_FANOUT_DATA", "PACKET_IGNORE_OUTGOING"]),
    "sol_raw": ("enum", ["ICMP_FILTER"]),
    # struct sockaddr_vm's svm_cid, svm_port and svm_flags (vsock(7), linux/vm_sockets.h)
    "vsock_cids": ("enum", ["VMADDR_CID_HYPERVISOR", "VMADDR_CID_LOCAL", "VMADDR_CID_HOST", "VMADDR_CID_ANY"]),
    "vsock_ports": ("enum", ["VMADDR_PORT_ANY"]),
    "vsock_flags": ("flags", ["VMADDR_FLAG_TO_HOST"]),
    # struct sockaddr_nfc's nfc_protocol (linux/nfc.h)
    "nfc_sockaddr_protocols": ("enum", ["NFC_PROTO_JEWEL", "NFC_PROTO_MIFARE", "NFC_PROTO_FELICA",
                                        "NFC_PROTO_ISO14443", "NFC_PROTO_NFC_DEP", "NFC_PROTO_ISO14443_B",
                                        "NFC_PROTO_ISO15693"]),
    # struct sockaddr_xdp's sxdp_flags (linux/if_xdp.h)
    "xdp_sockaddr_flags": ("flags", ["XDP_SHARED_UMEM", "XDP_COPY", "XDP_ZEROCOPY", "XDP_USE_NEED_WAKEUP"]),
    # struct sockaddr_mctp's smctp_network and smctp_addr.s_addr (linux/mctp.h)
    "mctp_nets": ("enum", ["MCTP_NET_ANY"]),
    "mctp_addrs": ("enum", ["MCTP_ADDR_NULL", "MCTP_ADDR_ANY"]),
    # struct sockaddr_qrtr's sq_node and sq_port (linux/qrtr.h)
    "qipcrtr_nodes": ("enum", ["QRTR_NODE_BCAST"]),
    "qipcrtr_ports": ("enum", ["QRTR_PORT_CTRL"]),
    # struct sockaddr_ll's sll_pkttype (packet(7))
    "af_packet_types": ("enum", ["PACKET_HOST", "PACKET_BROADCAST", "PACKET_MULTICAST", "PACKET_OTHERHOST",
                                 "PACKET_OUTGOING", "PACKET_LOOPBACK", "PACKET_USER", "PACKET_KERNEL"]),
    "packet_mreq_type": ("enum", ["PACKET_MR_MULTICAST", "PACKET_MR_PROMISC", "PACKET_MR_ALLMULTI",
                                  "PACKET_MR_UNICAST"]),
    # struct icmp_filter's bits are ICMP message types (raw(7))
    "icmp_filter_types": ("enum", ["ICMP_ECHOREPLY", "ICMP_DEST_UNREACH", "ICMP_SOURCE_QUENCH", "ICMP_REDIRECT",
                                   "ICMP_ECHO", "ICMP_TIME_EXCEEDED", "ICMP_PARAMETERPROB", "ICMP_TIMESTAMP",
                                   "ICMP_TIMESTAMPREPLY", "ICMP_INFO_REQUEST", "ICMP_INFO_REPLY", "ICMP_ADDRESS",
                                   "ICMP_ADDRESSREPLY"]),
    # option names by level (ip(7), ipv6(7), netlink(7)); the first name of a number is printed
    # the SOL_IP control message types strace names (its xlat/ip_cmsg_types.in; linux/in.h)
    "ip_cmsg_types": ("enum", ["IP_TOS", "IP_TTL", "IP_RECVOPTS", "IP_RETOPTS", "IP_PKTINFO", "IP_RECVERR",
                               "IP_ORIGDSTADDR", "IP_CHECKSUM"]),
    "sol_ip": ("enum", ["IP_TOS", "IP_TTL", "IP_HDRINCL", "IP_OPTIONS", "IP_ROUTER_ALERT", "IP_RECVOPTS",
                        "IP_RETOPTS", "IP_PKTINFO", "IP_PKTOPTIONS", "IP_MTU_DISCOVER", "IP_RECVERR",
                        "IP_RECVTTL", "IP_RECVTOS", "IP_MTU", "IP_FREEBIND", "IP_IPSEC_POLICY",
                        "IP_XFRM_POLICY", "IP_PASSSEC", "IP_TRANSPARENT", "IP_ORIGDSTADDR", "IP_MINTTL",
                        "IP_NODEFRAG", "IP_CHECKSUM", "IP_BIND_ADDRESS_NO_PORT", "IP_RECVFRAGSIZE",
                        "IP_RECVERR_RFC4884", "IP_MULTICAST_IF", "IP_MULTICAST_TTL", "IP_MULTICAST_LOOP",
                        "IP_ADD_MEMBERSHIP", "IP_DROP_MEMBERSHIP", "IP_UNBLOCK_SOURCE", "IP_BLOCK_SOURCE",
                        "IP_ADD_SOURCE_MEMBERSHIP", "IP_DROP_SOURCE_MEMBERSHIP", "IP_MSFILTER",
                        "IP_MULTICAST_ALL", "IP_UNICAST_IF", "IP_LOCAL_PORT_RANGE", "IP_PROTOCOL",
                        "MCAST_JOIN_GROUP", "MCAST_BLOCK_SOURCE", "MCAST_UNBLOCK_SOURCE", "MCAST_LEAVE_GROUP",
                        "MCAST_JOIN_SOURCE_GROUP", "MCAST_LEAVE_SOURCE_GROUP", "MCAST_MSFILTER"]),
    "sol_ipv6": ("enum", ["IPV6_ADDRFORM", "IPV6_2292PKTINFO", "IPV6_2292HOPOPTS", "IPV6_2292DSTOPTS",
                          "IPV6_2292RTHDR", "IPV6_2292PKTOPTIONS", "IPV6_CHECKSUM", "IPV6_2292HOPLIMIT",
                          "IPV6_NEXTHOP", "IPV6_AUTHHDR", "IPV6_FLOWINFO", "IPV6_UNICAST_HOPS",
                          "IPV6_MULTICAST_IF", "IPV6_MULTICAST_HOPS", "IPV6_MULTICAST_LOOP",
                          "IPV6_ADD_MEMBERSHIP", "IPV6_DROP_MEMBERSHIP", "IPV6_ROUTER_ALERT",
                          "IPV6_MTU_DISCOVER", "IPV6_MTU", "IPV6_RECVERR", "IPV6_V6ONLY", "IPV6_JOIN_ANYCAST",
                          "IPV6_LEAVE_ANYCAST", "IPV6_MULTICAST_ALL", "IPV6_ROUTER_ALERT_ISOLATE",
                          "IPV6_RECVERR_RFC4884", "IPV6_FLOWLABEL_MGR", "IPV6_FLOWINFO_SEND",
                          "IPV6_IPSEC_POLICY", "IPV6_XFRM_POLICY", "IPV6_HDRINCL", "IPV6_RECVPKTINFO",
                          "IPV6_PKTINFO", "IPV6_RECVHOPLIMIT", "IPV6_HOPLIMIT", "IPV6_RECVHOPOPTS",
                          "IPV6_HOPOPTS", "IPV6_RTHDRDSTOPTS", "IPV6_RECVRTHDR", "IPV6_RTHDR",
                          "IPV6_RECVDSTOPTS", "IPV6_DSTOPTS", "IPV6_RECVPATHMTU", "IPV6_PATHMTU",
                          "IPV6_DONTFRAG", "IPV6_RECVTCLASS", "IPV6_TCLASS", "IPV6_AUTOFLOWLABEL",
                          "IPV6_ADDR_PREFERENCES", "IPV6_MINHOPCOUNT", "IPV6_ORIGDSTADDR",
                          "IPV6_TRANSPARENT", "IPV6_UNICAST_IF", "IPV6_RECVFRAGSIZE", "IPV6_FREEBIND",
                          "MCAST_JOIN_GROUP", "MCAST_BLOCK_SOURCE", "MCAST_UNBLOCK_SOURCE", "MCAST_LEAVE_GROUP",
                          "MCAST_JOIN_SOURCE_GROUP", "MCAST_LEAVE_SOURCE_GROUP", "MCAST_MSFILTER"]),
    "sol_netlink": ("enum", ["NETLINK_ADD_MEMBERSHIP", "NETLINK_DROP_MEMBERSHIP", "NETLINK_PKTINFO",
                             "NETLINK_BROADCAST_ERROR", "NETLINK_NO_ENOBUFS", "NETLINK_RX_RING",
                             "NETLINK_TX_RING", "NETLINK_LISTEN_ALL_NSID", "NETLINK_LIST_MEMBERSHIPS",
                             "NETLINK_CAP_ACK", "NETLINK_EXT_ACK", "NETLINK_GET_STRICT_CHK"]),
    "capability": ("enum", [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
        "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
        "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE",
        "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT",
        "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
        "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN",
        "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
        "CAP_CHECKPOINT_RESTORE"]),
    # socket(7) options; aliases (SO_RCVTIMEO, SO_TIMESTAMP...) appear under their _OLD names, as in
    # strace 6.1; the first name listed for a number is printed
    "sock_txrehash": ("enum", ["SOCK_TXREHASH_DISABLED", "SOCK_TXREHASH_ENABLED", "SOCK_TXREHASH_DEFAULT"]),
    # the SOL_SOCKET options whose value is an int (socket(7); strace net.c's "int-like" list)
    "sol_socket_int": ("enum", [
        "SO_DEBUG", "SO_REUSEADDR", "SO_DONTROUTE", "SO_BROADCAST", "SO_SNDBUF", "SO_RCVBUF", "SO_KEEPALIVE",
        "SO_OOBINLINE", "SO_NO_CHECK", "SO_PRIORITY", "SO_BSDCOMPAT", "SO_REUSEPORT", "SO_PASSCRED",
        "SO_RCVLOWAT", "SO_SNDLOWAT", "SO_DETACH_FILTER", "SO_TIMESTAMP_OLD", "SO_ACCEPTCONN",
        "SO_SNDBUFFORCE", "SO_RCVBUFFORCE", "SO_PASSSEC", "SO_TIMESTAMPNS_OLD", "SO_MARK",
        "SO_TIMESTAMPING_OLD", "SO_RXQ_OVFL", "SO_WIFI_STATUS", "SO_PEEK_OFF", "SO_NOFCS", "SO_LOCK_FILTER",
        "SO_SELECT_ERR_QUEUE", "SO_BUSY_POLL", "SO_INCOMING_CPU", "SO_CNX_ADVICE", "SO_INCOMING_NAPI_ID",
        "SO_ZEROCOPY", "SO_TIMESTAMP_NEW", "SO_TIMESTAMPNS_NEW", "SO_TIMESTAMPING_NEW",
        "SO_DETACH_REUSEPORT_BPF", "SO_PREFER_BUSY_POLL", "SO_BUSY_POLL_BUDGET", "SO_RESERVE_MEM",
        "SO_RCVMARK"]),
    "sol_socket": ("enum", [
        "SO_DEBUG", "SO_REUSEADDR", "SO_TYPE", "SO_ERROR", "SO_DONTROUTE", "SO_BROADCAST", "SO_SNDBUF", "SO_RCVBUF",
        "SO_SNDBUFFORCE", "SO_RCVBUFFORCE", "SO_KEEPALIVE", "SO_OOBINLINE", "SO_NO_CHECK", "SO_PRIORITY",
        "SO_LINGER", "SO_BSDCOMPAT", "SO_REUSEPORT", "SO_PASSCRED", "SO_PEERCRED", "SO_RCVLOWAT", "SO_SNDLOWAT",
        "SO_RCVTIMEO_OLD", "SO_SNDTIMEO_OLD", "SO_SECURITY_AUTHENTICATION", "SO_SECURITY_ENCRYPTION_TRANSPORT",
        "SO_SECURITY_ENCRYPTION_NETWORK", "SO_BINDTODEVICE", "SO_ATTACH_FILTER", "SO_DETACH_FILTER",
        "SO_PEERNAME", "SO_TIMESTAMP_OLD", "SO_ACCEPTCONN", "SO_PEERSEC", "SO_PASSSEC", "SO_TIMESTAMPNS_OLD",
        "SO_MARK", "SO_TIMESTAMPING_OLD", "SO_PROTOCOL", "SO_DOMAIN", "SO_RXQ_OVFL", "SO_WIFI_STATUS",
        "SO_PEEK_OFF", "SO_NOFCS", "SO_LOCK_FILTER", "SO_SELECT_ERR_QUEUE", "SO_BUSY_POLL", "SO_MAX_PACING_RATE",
        "SO_BPF_EXTENSIONS", "SO_INCOMING_CPU", "SO_ATTACH_BPF", "SO_ATTACH_REUSEPORT_CBPF",
        "SO_ATTACH_REUSEPORT_EBPF", "SO_CNX_ADVICE", "SO_MEMINFO", "SO_INCOMING_NAPI_ID", "SO_COOKIE",
        "SO_PEERGROUPS", "SO_ZEROCOPY", "SO_TXTIME", "SO_BINDTOIFINDEX", "SO_TIMESTAMP_NEW",
        "SO_TIMESTAMPNS_NEW", "SO_TIMESTAMPING_NEW", "SO_RCVTIMEO_NEW", "SO_SNDTIMEO_NEW",
        "SO_DETACH_REUSEPORT_BPF", "SO_PREFER_BUSY_POLL", "SO_BUSY_POLL_BUDGET", "SO_NETNS_COOKIE",
        "SO_BUF_LOCK", "SO_RESERVE_MEM", "SO_TXREHASH", "SO_RCVMARK"]),

    "msg_flags": ("flags", ["MSG_OOB", "MSG_PEEK", "MSG_DONTROUTE", "MSG_CTRUNC", "MSG_PROXY",
                            "MSG_TRUNC", "MSG_DONTWAIT", "MSG_EOR", "MSG_WAITALL", "MSG_FIN",
                            "MSG_SYN", "MSG_CONFIRM", "MSG_RST", "MSG_ERRQUEUE", "MSG_NOSIGNAL",
                            "MSG_MORE", "MSG_WAITFORONE", "MSG_BATCH", "MSG_ZEROCOPY",
                            "MSG_FASTOPEN", "MSG_CMSG_CLOEXEC"]),
    "poll_events": ("flags", ["POLLIN", "POLLPRI", "POLLOUT", "POLLERR", "POLLHUP", "POLLNVAL",
                              "POLLRDNORM", "POLLRDBAND", "POLLWRNORM", "POLLWRBAND", "POLLMSG",
                              "POLLRDHUP"]),
    "epoll_events": ("flags", ["EPOLLIN", "EPOLLPRI", "EPOLLOUT", "EPOLLERR", "EPOLLHUP",
                               "EPOLLNVAL", "EPOLLRDNORM", "EPOLLRDBAND", "EPOLLWRNORM",
                               "EPOLLWRBAND", "EPOLLMSG", "EPOLLRDHUP", "EPOLLEXCLUSIVE",
                               "EPOLLWAKEUP", "EPOLLONESHOT", "EPOLLET"]),
    # siginfo si_code values (asm-generic/siginfo.h), per signal family
    "si_code": ("enum", ["SI_USER", "SI_KERNEL", "SI_QUEUE", "SI_TIMER", "SI_MESGQ", "SI_ASYNCIO",
                         "SI_SIGIO", "SI_TKILL", "SI_DETHREAD", "SI_ASYNCNL"]),
    "cld_code": ("enum", ["CLD_EXITED", "CLD_KILLED", "CLD_DUMPED", "CLD_TRAPPED", "CLD_STOPPED",
                          "CLD_CONTINUED"]),
    "segv_code": ("enum", ["SEGV_MAPERR", "SEGV_ACCERR", "SEGV_BNDERR", "SEGV_PKUERR",
                           "SEGV_ACCADI", "SEGV_ADIDERR", "SEGV_ADIPERR", "SEGV_MTEAERR",
                           "SEGV_MTESERR"]),
    "bus_code": ("enum", ["BUS_ADRALN", "BUS_ADRERR", "BUS_OBJERR", "BUS_MCEERR_AR",
                          "BUS_MCEERR_AO"]),
    "ill_code": ("enum", ["ILL_ILLOPC", "ILL_ILLOPN", "ILL_ILLADR", "ILL_ILLTRP", "ILL_PRVOPC",
                          "ILL_PRVREG", "ILL_COPROC", "ILL_BADSTK", "ILL_BADIADDR"]),
    "fpe_code": ("enum", ["FPE_INTDIV", "FPE_INTOVF", "FPE_FLTDIV", "FPE_FLTOVF", "FPE_FLTUND",
                          "FPE_FLTRES", "FPE_FLTINV", "FPE_FLTSUB", "FPE_FLTUNK", "FPE_CONDTRAP"]),
    "trap_code": ("enum", ["TRAP_BRKPT", "TRAP_TRACE", "TRAP_BRANCH", "TRAP_HWBKPT", "TRAP_UNK",
                           "TRAP_PERF"]),
    "poll_code": ("enum", ["POLL_IN", "POLL_OUT", "POLL_MSG", "POLL_ERR", "POLL_PRI", "POLL_HUP"]),
    "sys_code": ("enum", ["SYS_SECCOMP"]),
    "epoll_ctl": ("enum", ["EPOLL_CTL_ADD", "EPOLL_CTL_DEL", "EPOLL_CTL_MOD"]),
    "epoll_create_flags": ("flags", ["EPOLL_CLOEXEC"]),
    # strace's xlat/unshare_flags.in order: CLONE_NEWTIME (0x80, a CSIGNAL bit in clone(2)) first
    "unshare_flags": ("flags", [
        "CLONE_NEWTIME", "CLONE_VM", "CLONE_FS", "CLONE_FILES", "CLONE_SIGHAND", "CLONE_THREAD", "CLONE_NEWNS",
        "CLONE_SYSVSEM", "CLONE_NEWCGROUP", "CLONE_NEWUTS", "CLONE_NEWIPC", "CLONE_NEWUSER",
        "CLONE_NEWPID", "CLONE_NEWNET"]),
    # the new mount API (linux/mount.h), in strace's xlat order
    "fsopen_flags": ("flags", ["FSOPEN_CLOEXEC"]),
    "fsmount_flags": ("flags", ["FSMOUNT_CLOEXEC"]),
    "fsmount_attr_flags": ("flags", ["MOUNT_ATTR_RDONLY", "MOUNT_ATTR_NOSUID", "MOUNT_ATTR_NODEV", "MOUNT_ATTR_NOEXEC",
                                     "MOUNT_ATTR_NOATIME", "MOUNT_ATTR_STRICTATIME", "MOUNT_ATTR_NODIRATIME"]),
    "fspick_flags": ("flags", ["FSPICK_CLOEXEC", "FSPICK_SYMLINK_NOFOLLOW", "FSPICK_NO_AUTOMOUNT",
                               "FSPICK_EMPTY_PATH"]),
    "move_mount_flags": ("flags", ["MOVE_MOUNT_F_SYMLINKS", "MOVE_MOUNT_F_AUTOMOUNTS", "MOVE_MOUNT_F_EMPTY_PATH",
                                   "MOVE_MOUNT_T_SYMLINKS", "MOVE_MOUNT_T_AUTOMOUNTS", "MOVE_MOUNT_T_EMPTY_PATH",
                                   "MOVE_MOUNT_SET_GROUP"]),
    "open_tree_flags": ("flags", ["OPEN_TREE_CLONE", "OPEN_TREE_CLOEXEC", "AT_SYMLINK_NOFOLLOW", "AT_REMOVEDIR",
                                  "AT_SYMLINK_FOLLOW", "AT_NO_AUTOMOUNT", "AT_EMPTY_PATH", "AT_RECURSIVE"]),
    # landlock(7): linux/landlock.h
    "landlock_create_ruleset_flags": ("flags", ["LANDLOCK_CREATE_RULESET_VERSION"]),
    "landlock_rule_types": ("enum", ["LANDLOCK_RULE_PATH_BENEATH"]),
    "landlock_access_fs": ("flags", [
        "LANDLOCK_ACCESS_FS_EXECUTE", "LANDLOCK_ACCESS_FS_WRITE_FILE", "LANDLOCK_ACCESS_FS_READ_FILE",
        "LANDLOCK_ACCESS_FS_READ_DIR", "LANDLOCK_ACCESS_FS_REMOVE_DIR", "LANDLOCK_ACCESS_FS_REMOVE_FILE",
        "LANDLOCK_ACCESS_FS_MAKE_CHAR", "LANDLOCK_ACCESS_FS_MAKE_DIR", "LANDLOCK_ACCESS_FS_MAKE_REG",
        "LANDLOCK_ACCESS_FS_MAKE_SOCK", "LANDLOCK_ACCESS_FS_MAKE_FIFO", "LANDLOCK_ACCESS_FS_MAKE_BLOCK",
        "LANDLOCK_ACCESS_FS_MAKE_SYM", "LANDLOCK_ACCESS_FS_REFER"]),
    # System V IPC (linux/ipc.h, linux/sem.h, linux/shm.h)
    "semop_flags": ("flags", ["SEM_UNDO", "IPC_NOWAIT"]),
    "shm_flags": ("flags", ["SHM_RDONLY", "SHM_RND", "SHM_REMAP", "SHM_EXEC"]),
    # NUMA memory policies (linux/mempolicy.h), in strace's xlat order
    "mpol_modes": ("enum", ["MPOL_DEFAULT", "MPOL_PREFERRED", "MPOL_BIND", "MPOL_INTERLEAVE", "MPOL_LOCAL",
                            "MPOL_PREFERRED_MANY"]),
    "mpol_mode_flags": ("flags", ["MPOL_F_STATIC_NODES", "MPOL_F_RELATIVE_NODES", "MPOL_F_NUMA_BALANCING"]),
    "mbind_flags": ("flags", ["MPOL_MF_STRICT", "MPOL_MF_MOVE", "MPOL_MF_MOVE_ALL"]),
    "get_mempolicy_flags": ("flags", ["MPOL_F_NODE", "MPOL_F_ADDR", "MPOL_F_MEMS_ALLOWED"]),
    # POSIX message queues: struct mq_attr's mq_flags (mq_getsetattr(2))
    "mq_attr_flags": ("flags", ["O_NONBLOCK"]),
    # seccomp(2): linux/seccomp.h, in strace's xlat order
    "seccomp_ops": ("enum", ["SECCOMP_SET_MODE_STRICT", "SECCOMP_SET_MODE_FILTER", "SECCOMP_GET_ACTION_AVAIL",
                             "SECCOMP_GET_NOTIF_SIZES"]),
    "seccomp_filter_flags": ("flags", ["SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
                                       "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_NEW_LISTENER",
                                       "SECCOMP_FILTER_FLAG_TSYNC_ESRCH",
                                       "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"]),
    "seccomp_ret_action": ("enum", ["SECCOMP_RET_KILL_PROCESS", "SECCOMP_RET_KILL_THREAD", "SECCOMP_RET_TRAP",
                                    "SECCOMP_RET_ERRNO", "SECCOMP_RET_USER_NOTIF", "SECCOMP_RET_TRACE",
                                    "SECCOMP_RET_LOG", "SECCOMP_RET_ALLOW"]),
    "rwf_flags": ("flags", ["RWF_HIPRI", "RWF_DSYNC", "RWF_SYNC", "RWF_NOWAIT", "RWF_APPEND"]),
    "module_init_flags": ("flags", ["MODULE_INIT_IGNORE_MODVERSIONS", "MODULE_INIT_IGNORE_VERMAGIC",
                                    "MODULE_INIT_COMPRESSED_FILE"]),
    # delete_module(2) takes O_NONBLOCK and O_TRUNC (kernel/module/main.c)
    "delete_module_flags": ("flags", ["O_NONBLOCK", "O_TRUNC"]),
    "uffd_flags": ("flags", ["UFFD_USER_MODE_ONLY", "O_NONBLOCK", "O_CLOEXEC"]),
    "reboot_magic": ("enum", ["LINUX_REBOOT_MAGIC1"]),
    "reboot_magic2": ("enum", ["LINUX_REBOOT_MAGIC2", "LINUX_REBOOT_MAGIC2A", "LINUX_REBOOT_MAGIC2B",
                               "LINUX_REBOOT_MAGIC2C"]),
    "reboot_cmd": ("enum", ["LINUX_REBOOT_CMD_RESTART", "LINUX_REBOOT_CMD_HALT", "LINUX_REBOOT_CMD_CAD_ON",
                            "LINUX_REBOOT_CMD_CAD_OFF", "LINUX_REBOOT_CMD_POWER_OFF", "LINUX_REBOOT_CMD_RESTART2",
                            "LINUX_REBOOT_CMD_SW_SUSPEND", "LINUX_REBOOT_CMD_KEXEC"]),
}


# Facts the UAPI headers do not export, declared with their kernel source:
# statfs f_flags ST_* (include/linux/statfs.h).
DECLARED: dict[str, list[tuple[int, str]]] = {
    # struct sockaddr_nfc_llcp's dsap/ssap: the well-known LLCP service access points of the
    # kernel's net/nfc/llcp.h, not exported to userspace (strace xlat/nfc_saps.in)
    "nfc_saps": [(0x1, "LLCP_SAP_SDP"), (0x2, "LLCP_SAP_IP"), (0x3, "LLCP_SAP_OBEX"), (0x4, "LLCP_SAP_SNEP"),
                 (0xFF, "LLCP_SAP_MAX")],
    # struct sockaddr_ieee802154: the kernel does not export it; the address types are
    # include/net/af_ieee802154.h's enum, the special short addresses and PAN id
    # include/linux/ieee802154.h's (strace xlat/ieee802154_addr_types.in, _addrs.in, _pan_ids.in)
    "ieee802154_addr_types": [(0, "IEEE802154_ADDR_NONE"), (2, "IEEE802154_ADDR_SHORT"),
                              (3, "IEEE802154_ADDR_LONG")],
    "ieee802154_addrs": [(0xFFFE, "IEEE802154_ADDR_UNDEF"), (0xFFFF, "IEEE802154_ADDR_BROADCAST")],
    "ieee802154_pan_ids": [(0xFFFF, "IEEE802154_PANID_BROADCAST")],
    # struct sockaddr_alg's salg_feat/salg_mask bits: include/linux/crypto.h, not exported to
    # userspace; the one strace names (its xlat/alg_sockaddr_flags.in)
    "alg_sockaddr_flags": [(0x1000, "CRYPTO_ALG_KERN_DRIVER_ONLY")],
    # SCM_SECURITY, the SELinux context of a unix socket's peer: include/linux/socket.h, not
    # exported to userspace; strace names it (xlat/scmvals.in)
    "scm_kernel": [(0x03, "SCM_SECURITY")],
    # struct sockaddr_rxrpc's srx_service: the AFS services (fs/afs/afs_cm.h CM_SERVICE,
    # fs/afs/protocol_yfs.h YFS_FS_SERVICE/YFS_CM_SERVICE, fs/afs/afs_vl.h YFS_VL_SERVICE)
    "rxrpc_services": [(1, "CM_SERVICE"), (2500, "YFS_FS_SERVICE"), (2501, "YFS_CM_SERVICE"),
                       (2503, "YFS_VL_SERVICE")],
    "statfs_flags": [(0x0001, "ST_RDONLY"), (0x0002, "ST_NOSUID"), (0x0004, "ST_NODEV"),
                     (0x0008, "ST_NOEXEC"), (0x0010, "ST_SYNCHRONOUS"), (0x0020, "ST_VALID"),
                     (0x0040, "ST_MANDLOCK"), (0x0400, "ST_NOATIME"), (0x0800, "ST_NODIRATIME"),
                     (0x1000, "ST_RELATIME"), (0x2000, "ST_NOSYMFOLLOW")],
    # pkey_alloc(2) access rights: asm-generic/mman-common.h has ACCESS and WRITE; EXECUTE is
    # powerpc's (arch/powerpc/include/uapi/asm/mman.h), which strace names on every arch
    "pkey_access": [(0x1, "PKEY_DISABLE_ACCESS"), (0x2, "PKEY_DISABLE_WRITE"), (0x4, "PKEY_DISABLE_EXECUTE")],
    # swapon(2) flags: include/linux/swap.h (glibc's sys/swap.h lacks the DISCARD_ONCE/PAGES
    # bits); the low 15 bits are the priority (SWAP_FLAG_PRIO_MASK), printed as a number
    "swap_flags": [(0x8000, "SWAP_FLAG_PREFER"), (0x10000, "SWAP_FLAG_DISCARD"),
                   (0x20000, "SWAP_FLAG_DISCARD_ONCE"), (0x40000, "SWAP_FLAG_DISCARD_PAGES")],
    # syslog(2) actions: include/linux/syslog.h (not exported to userspace)
    "syslog_action": [(0, "SYSLOG_ACTION_CLOSE"), (1, "SYSLOG_ACTION_OPEN"), (2, "SYSLOG_ACTION_READ"),
                      (3, "SYSLOG_ACTION_READ_ALL"), (4, "SYSLOG_ACTION_READ_CLEAR"), (5, "SYSLOG_ACTION_CLEAR"),
                      (6, "SYSLOG_ACTION_CONSOLE_OFF"), (7, "SYSLOG_ACTION_CONSOLE_ON"),
                      (8, "SYSLOG_ACTION_CONSOLE_LEVEL"), (9, "SYSLOG_ACTION_SIZE_UNREAD"),
                      (10, "SYSLOG_ACTION_SIZE_BUFFER")],
    # syslog(2) SYSLOG_ACTION_CONSOLE_LEVEL's len: include/linux/kern_levels.h LOGLEVEL_*; the
    # call takes 1..8 (kernel/printk/printk.c do_syslog), 8 being one past LOGLEVEL_DEBUG
    "syslog_console_level": [(0, "LOGLEVEL_EMERG"), (1, "LOGLEVEL_ALERT"), (2, "LOGLEVEL_CRIT"), (3, "LOGLEVEL_ERR"),
                             (4, "LOGLEVEL_WARNING"), (5, "LOGLEVEL_NOTICE"), (6, "LOGLEVEL_INFO"),
                             (7, "LOGLEVEL_DEBUG"), (8, "LOGLEVEL_DEBUG+1")],
}


# The structured calls' tables (quotactl, fanotify, memfd, io_uring, keyctl ...): declared in
# spec_calls.py, the header-scanned ones (SCANNED) generated by tools/gen_decode.py directly.
def _add_call_tables() -> None:
    from syscope.decode.spec_calls import CALL_HEADERS, DECLARED_CALLS, ENUM_CALLS, LISTED, UNKNOWN_CALLS

    HEADERS.append(CALL_HEADERS)
    TABLES.update(LISTED)
    UNKNOWN.update(UNKNOWN_CALLS)
    # enum members print only from the group that declares them
    ENUM_MEMBERS.update(dict.fromkeys(ENUM_CALLS, len(HEADERS) - 1))
    DECLARED.update(DECLARED_CALLS)


_add_call_tables()


# prctl(2), arch_prctl(2), personality(2), ptrace(2) and System V IPC tables: spec_process.py
def _add_process_tables() -> None:
    from syscope.decode.spec_process import PROCESS_DECLARED, PROCESS_HEADERS, PROCESS_TABLES, PROCESS_UNKNOWN

    HEADERS.extend(PROCESS_HEADERS)
    TABLES.update(PROCESS_TABLES)
    UNKNOWN.update(PROCESS_UNKNOWN)
    DECLARED.update(PROCESS_DECLARED)


_add_process_tables()
