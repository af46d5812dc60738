/* Flag words that are 0 (and a few with only unknown bits): strace prints each by
   printflags_ex(), whose dflt argument decides what a zero word is (src/xlat.c): "0" when the
   caller passes a default, nothing at all when it passes NULL (msgget/semget/shmget permissions
   alone, statx's sync type under -X raw, the termios words), a table's own name for 0 when it
   has one (PROT_NONE, AT_STATX_SYNC_AS_STAT).  Calls that fail print their arguments too. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/memfd.h>
#include <linux/mempolicy.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/personality.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

int main(void) {
    char buf[256];
    memset(buf, 0, sizeof buf);
    /* System V IPC: the permission bits alone, then with unknown high bits */
    int q = msgget(IPC_PRIVATE, 0600);
    msgctl(q, IPC_RMID, NULL);
    int s = semget(IPC_PRIVATE, 1, 0600);
    semctl(s, 0, IPC_RMID);
    int m = shmget(IPC_PRIVATE, 4096, 0600);
    void *sp = shmat(m, NULL, 0);
    shmdt(sp);
    shmctl(m, IPC_RMID, NULL);
    msgget(IPC_PRIVATE, 0x10000000 | 0600);
    shmget(IPC_PRIVATE, 4096, 0x10000000 | 0600);
    msgsnd(-1, buf, 0, 0);
    msgrcv(-1, buf, 0, 0, 0);

    /* statx: sync type 0 (AT_STATX_SYNC_AS_STAT, nothing under -X raw), other bits unknown */
    syscall(SYS_statx, AT_FDCWD, ".", 0, 0, buf);
    syscall(SYS_statx, AT_FDCWD, ".", 0x10000000, 0, buf);
    syscall(SYS_statx, AT_FDCWD, ".", AT_STATX_FORCE_SYNC | AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, buf);

    /* flag arguments that are 0 */
    int pfd[2];
    pipe2(pfd, 0);
    dup3(pfd[0], 20, 0);
    int e = eventfd(0, 0);
    int i = inotify_init1(0);
    inotify_add_watch(i, ".", 0);
    int ep = epoll_create1(0);
    struct epoll_event ev = {0};
    epoll_ctl(ep, EPOLL_CTL_ADD, e, &ev);
    epoll_wait(ep, &ev, 1, 0);
    struct pollfd pf = {e, 0, 0};
    poll(&pf, 1, 0);
    sigset_t ss;
    sigemptyset(&ss);
    signalfd(-1, &ss, 0);
    int t = timerfd_create(CLOCK_MONOTONIC, 0);
    struct itimerspec its = {{0, 0}, {0, 0}};
    timerfd_settime(t, 0, &its, NULL);
    struct sigaction sa = {0};
    sa.sa_handler = SIG_DFL;
    sigaction(SIGUSR2, &sa, NULL);
    syscall(SYS_getrandom, buf, 4, 0);
    unshare(0);
    setns(-1, 0);
    flock(-1, 0);
    fallocate(-1, 0, 0, 1);
    sync_file_range(-1, 0, 0, 0);
    mlockall(0);
    char *p = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    mprotect(p, 4096, 0);
    msync(p, 4096, 0);
    syscall(SYS_mlock2, p, 4096, 0);
    mremap(p, 4096, 4096, 0);
    madvise(p, 4096, 0);
    syscall(SYS_mbind, p, 4096, MPOL_DEFAULT, NULL, 0, 0);
    syscall(SYS_get_mempolicy, NULL, NULL, 0, NULL, 0);
    syscall(SYS_set_mempolicy, MPOL_DEFAULT, NULL, 0);
    syscall(SYS_pkey_mprotect, p, 4096, 0, -1);
    munmap(p, 4096);
    syscall(SYS_memfd_create, "z", 0);
    syscall(SYS_memfd_secret, 0);
    syscall(SYS_memfd_secret, 0x10000000);
    syscall(SYS_pidfd_open, getpid(), 0);
    syscall(SYS_close_range, 100, 101, 0);
    syscall(SYS_renameat2, AT_FDCWD, "no-such", AT_FDCWD, "no-such2", 0);
    unlinkat(AT_FDCWD, "no-such", 0);
    linkat(AT_FDCWD, "no-such", AT_FDCWD, "no-such2", 0);
    fchownat(AT_FDCWD, "no-such", -1, -1, 0);
    struct stat st;
    fstatat(AT_FDCWD, ".", &st, 0);
    faccessat(AT_FDCWD, ".", F_OK, 0);
    syscall(SYS_faccessat2, AT_FDCWD, ".", F_OK, 0);
    utimensat(AT_FDCWD, "no-such", NULL, 0);
    setxattr("no-such", "user.x", "v", 1, 0);
    syscall(SYS_umount2, "no-such", 0);
    int sv[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    send(sv[0], "x", 1, 0);
    recv(sv[1], buf, 1, 0);
    struct iovec iov = {buf, 1};
    struct msghdr mh = {0};
    mh.msg_iov = &iov;
    mh.msg_iovlen = 1;
    sendmsg(sv[0], &mh, 0);
    recvmsg(sv[1], &mh, 0);
    accept4(-1, NULL, NULL, 0);
    preadv2(-1, &iov, 1, 0, 0);
    pwritev2(-1, &iov, 1, 0, 0);
    splice(-1, NULL, -1, NULL, 1, 0);
    tee(-1, -1, 1, 0);
    vmsplice(-1, &iov, 1, 0);
    struct timespec ts = {0, 1};
    clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL);
    syscall(SYS_waitid, P_PID, 1, NULL, 0, NULL);
    wait4(-1, NULL, 0, NULL);
    syscall(SYS_membarrier, 0, 0, 0);
    syscall(SYS_userfaultfd, 0x10000000);
    syscall(SYS_fsopen, "no-such-fs", 0);
    syscall(SYS_open_tree, -1, "", 0);
    syscall(SYS_fspick, -1, "", 0);
    syscall(SYS_move_mount, -1, "", -1, "", 0);
    syscall(SYS_fsmount, -1, 0, 0);
    syscall(SYS_pkey_alloc, 0, 0);
    syscall(SYS_delete_module, "no-such", 0);
    syscall(SYS_finit_module, -1, "", 0);
    syscall(SYS_kcmp, getpid(), getpid(), 0, 0, 0);
    personality(0);
    personality(PER_LINUX);
    fcntl(e, F_SETFD, 0);
    fcntl(e, F_SETFL, 0);
    fcntl(e, F_GETFL);
    /* results of 0 in hex (RVAL_HEX): "0 (flags O_RDONLY)", "0 (F_RDLCK)" */
    fcntl(pfd[0], F_GETFL);
    int lf = open("lease", O_RDONLY | O_CREAT, 0600);
    fcntl(lf, F_SETLEASE, F_RDLCK);
    fcntl(lf, F_GETLEASE);
    fcntl(lf, F_SETLEASE, F_UNLCK);
    open(".", O_RDONLY);
    return 0;
}
