/* Less common calls: capabilities, groups and ids, scheduling, cpu, readahead/sync_file_range,
   process_vm_readv, kcmp, ioprio, personality, prctl, adjtimex, rusage/sysinfo/itimers, mlock,
   pidfds, mount/umount failures, sigpending/sigaltstack, faccessat2, O_PATH. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/capability.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/timex.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <grp.h>
#include <time.h>
#include <unistd.h>
#include <linux/membarrier.h>
#include <linux/ioprio.h>

int main(void) {
    struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct d[2];
    syscall(SYS_capget, &h, d);
    gid_t g[8]; int n = getgroups(8, g); setgroups(n, g);
    uid_t r, e, s; getresuid(&r, &e, &s); setresuid(-1, -1, -1); setresgid(-1, -1, -1);
    setreuid(-1, -1); setfsuid(0); setfsgid(0);
    struct timespec ts; sched_rr_get_interval(0, &ts);
    syscall(SYS_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);
    unsigned cpu, node; syscall(SYS_getcpu, &cpu, &node, NULL);
    int fd = open("/etc/hostname", O_RDONLY);
    readahead(fd, 0, 4096);
    sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
    syncfs(fd);
    char buf[64];
    memset(buf, 0, sizeof buf);
    struct iovec liov = {buf, 8}, riov = {buf + 8, 8};
    process_vm_readv(getpid(), &liov, 1, &riov, 1, 0);
    syscall(SYS_kcmp, getpid(), getpid(), 0, fd, fd);
    syscall(SYS_ioprio_get, IOPRIO_WHO_PROCESS, 0);
    syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0, IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, 4));
    personality(0xffffffff);
    prctl(PR_SET_NAME, "rare-name");
    prctl(PR_GET_NAME, buf);
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    prctl(PR_GET_DUMPABLE);
    struct timex tx = {0}; adjtimex(&tx);
    struct rusage ru; getrusage(RUSAGE_SELF, &ru);
    struct sysinfo si; sysinfo(&si);
    struct itimerval it; getitimer(ITIMER_PROF, &it);
    mlockall(MCL_CURRENT | MCL_FUTURE); munlockall();
    void *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    mlock2(p, 4096, MLOCK_ONFAULT); msync(p, 4096, MS_ASYNC | MS_INVALIDATE);
    madvise(p, 4096, MADV_WILLNEED); munmap(p, 4096);
    int pf = syscall(SYS_pidfd_open, getpid(), 0);
    syscall(SYS_pidfd_send_signal, pf, 0, NULL, 0);
    syscall(SYS_umount2, "/nonexistent", MNT_DETACH);
    syscall(SYS_mount, "none", "/nonexistent", "tmpfs", MS_NOSUID | MS_NODEV, "size=1m");
    sched_setparam(0, &(struct sched_param){0});
    struct sched_param sp; sched_getparam(0, &sp);
    getrlimit(RLIMIT_AS, &(struct rlimit){0});
    umask(022);
    setpgid(0, 0); getpgrp(); setsid(); getsid(0);
    sigset_t set; sigemptyset(&set); sigpending(&set);
    stack_t ss; sigaltstack(NULL, &ss);
    alarm(0);
    nice(0);
    struct utsname u; uname(&u);
    getcwd(buf, sizeof buf);
    faccessat(AT_FDCWD, "/etc/hostname", R_OK, AT_EACCESS);
    syscall(SYS_faccessat2, AT_FDCWD, "/etc/hostname", R_OK, AT_SYMLINK_NOFOLLOW);
    openat(AT_FDCWD, "/etc", O_PATH | O_DIRECTORY);
    return 0;
}
