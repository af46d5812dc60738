"""Which constants the decoders know, by table, in the order strace prints them.

Values are not written here: tools/gen_decode.py compiles these names against the installed
kernel UAPI headers and writes consts_<arch>.json.  A flag table prints its set bits in this order
(strace's xlat order, e.g. O_SYNC before O_DSYNC because O_SYNC includes the O_DSYNC bit).
"""

from __future__ import annotations

# Compiled as separate programs (glibc and kernel headers clash on sigset_t, timeval); the first
# group that defines a name gives its value.
HEADERS: list[list[str]] = [
    ["asm/siginfo.h", "linux/fcntl.h", "linux/mman.h", "asm/mman.h", "linux/sched.h", "asm/signal.h",
     "linux/wait.h", "linux/fs.h", "linux/inotify.h", "linux/memfd.h", "linux/random.h", "linux/resource.h",
     "linux/prctl.h", "asm/prctl.h", "linux/futex.h", "linux/time.h", "linux/personality.h",
     "linux/net.h", "linux/in.h", "linux/un.h", "linux/netlink.h", "linux/poll.h",
     "linux/eventpoll.h", "linux/sched/types.h"],
    ["time.h"],  # TIMER_ABSTIME
    # F_OK/R_OK/S_IF*/AF_*/SOCK_*/EFD_* are defined for userspace only by the libc headers.
    ["unistd.h", "sys/stat.h", "sys/socket.h", "sys/eventfd.h", "fcntl.h"],
]

# table -> (kind, names).  kind "flags": OR of bits; "enum": one value; "mode": access(2) mode.
TABLES: dict[str, tuple[str, list[str]]] = {
    "open_access": ("enum", ["O_RDONLY", "O_WRONLY", "O_RDWR"]),
    "open_flags": ("flags", [
        "O_CREAT", "O_EXCL", "O_NOCTTY", "O_TRUNC", "O_APPEND", "O_NONBLOCK", "O_SYNC", "O_DSYNC",
        "O_DIRECT", "O_LARGEFILE", "O_NOFOLLOW", "O_NOATIME", "O_CLOEXEC", "O_PATH", "O_TMPFILE",
        "O_DIRECTORY", "FASYNC"]),
    # only to know which bits make open(2) read its mode argument
    "open_mode_needed": ("flags", ["O_CREAT", "__O_TMPFILE"]),
    "access_mode": ("flags", ["R_OK", "W_OK", "X_OK"]),
    "faccessat_flags": ("flags", ["AT_SYMLINK_NOFOLLOW", "AT_EACCESS", "AT_EMPTY_PATH"]),
    "unlinkat_flags": ("flags", ["AT_REMOVEDIR"]),
    "at_flags": ("flags", [
        "AT_SYMLINK_NOFOLLOW", "AT_REMOVEDIR", "AT_SYMLINK_FOLLOW", "AT_NO_AUTOMOUNT",
        "AT_EMPTY_PATH", "AT_EACCESS", "AT_RECURSIVE", "AT_STATX_FORCE_SYNC",
        "AT_STATX_DONT_SYNC"]),
    "mmap_prot": ("flags", ["PROT_NONE","PROT_READ", "PROT_WRITE", "PROT_EXEC", "PROT_SEM", "PROT_GROWSDOWN",
                            "PROT_GROWSUP"]),
    "mmap_type": ("enum", ["MAP_SHARED", "MAP_PRIVATE", "MAP_SHARED_VALIDATE"]),
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
                            "ARCH_GET_CPUID", "ARCH_SET_CPUID", "ARCH_MAP_VDSO_X32",
                            "ARCH_MAP_VDSO_32", "ARCH_MAP_VDSO_64"]),
    "socket_family": ("enum", ["AF_UNSPEC", "AF_UNIX", "AF_INET", "AF_INET6", "AF_NETLINK",
                               "AF_PACKET"]),
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
    "unshare_flags": ("flags", [
        "CLONE_VM", "CLONE_FS", "CLONE_FILES", "CLONE_SIGHAND", "CLONE_THREAD", "CLONE_NEWNS",
        "CLONE_SYSVSEM", "CLONE_NEWCGROUP", "CLONE_NEWUTS", "CLONE_NEWIPC", "CLONE_NEWUSER",
        "CLONE_NEWPID", "CLONE_NEWNET", "CLONE_NEWTIME"]),
}
