/* Signals: sigaction, sigprocmask, kill/tgkill self, SIGCHLD from a child, sigaltstack,
   rt_sigtimedwait, signalfd. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t got;
static void on_sig(int s) { got = s; }
static void on_info(int s, siginfo_t *si, void *uc) { (void)si; (void)uc; got = s; }

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sig;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGTERM);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGUSR1, &sa, NULL);
    sa.sa_sigaction = on_info;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGUSR2, &sa, NULL);
    sa.sa_handler = on_sig;
    sa.sa_flags = SA_NOCLDSTOP;
    sigaction(SIGCHLD, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    kill(getpid(), SIGUSR1);
    syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGUSR2);
    raise(SIGUSR1);

    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGRTMIN + 2);
    sigprocmask(SIG_BLOCK, &set, &old);
    kill(getpid(), SIGUSR1);
    struct timespec ts = {1, 0};
    siginfo_t si;
    sigtimedwait(&set, &si, &ts);
    sigfillset(&set);
    sigprocmask(SIG_SETMASK, &set, NULL);
    sigprocmask(SIG_SETMASK, &old, NULL);

    sigset_t fdset;
    sigemptyset(&fdset);
    sigaddset(&fdset, SIGUSR2);
    sigprocmask(SIG_BLOCK, &fdset, NULL);
    int sfd = signalfd(-1, &fdset, SFD_CLOEXEC | SFD_NONBLOCK);
    kill(getpid(), SIGUSR2);
    struct signalfd_siginfo fsi;
    read(sfd, &fsi, sizeof fsi);
    close(sfd);

    stack_t ss = {0};
    ss.ss_sp = malloc(65536);
    ss.ss_size = 65536;
    sigaltstack(&ss, NULL);
    sa.sa_handler = on_sig;
    sa.sa_flags = SA_ONSTACK;
    sigaction(SIGALRM, &sa, NULL);
    alarm(5);
    alarm(0);

    pid_t child = fork();
    if (child == 0) {
        _exit(3);
    }
    int status;
    while (waitpid(child, &status, 0) < 0) {}
    /* the child says it is ready before it waits, so its calls do not race the kill */
    int ready[2];
    pipe(ready);
    child = fork();
    if (child == 0) {
        write(ready[1], "r", 1);
        pause();
        _exit(0);
    }
    char c;
    read(ready[0], &c, 1);
    struct timespec nap = {0, 20000000};
    nanosleep(&nap, NULL);
    kill(child, SIGTERM);
    while (waitpid(child, &status, 0) < 0) {}
    return 0;
}
