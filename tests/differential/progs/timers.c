/* Timers and clocks: nanosleep, clock_nanosleep, timerfd, setitimer/getitimer, clock_getres,
   timer_create, sched_* and prlimit. */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

int main(void) {
    struct timespec ts = {0, 2000000}, res;
    nanosleep(&ts, NULL);
    clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL);
    clock_getres(CLOCK_MONOTONIC, &res);
    clock_getres(CLOCK_BOOTTIME, &res);
    int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
    struct itimerspec its = {{0, 0}, {0, 1000000}}, old;
    timerfd_settime(tfd, 0, &its, &old);
    nanosleep(&ts, NULL);
    uint64_t n;
    read(tfd, &n, sizeof n);
    timerfd_settime(tfd, 0, &(struct itimerspec){{0, 0}, {0, 0}}, NULL);
    close(tfd);
    struct itimerval iv = {{0, 0}, {10, 0}}, oiv;
    setitimer(ITIMER_REAL, &iv, &oiv);
    iv.it_value.tv_sec = 0;
    setitimer(ITIMER_REAL, &iv, NULL);
    getitimer(ITIMER_VIRTUAL, &oiv);
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    rl.rlim_cur = 512;
    setrlimit(RLIMIT_NOFILE, &rl);
    prlimit(0, RLIMIT_CORE, NULL, &rl);
    prlimit(0, RLIMIT_STACK, NULL, &rl);
    sched_yield();
    int pol = sched_getscheduler(0);
    struct sched_param sp;
    sched_getparam(0, &sp);
    sched_get_priority_max(SCHED_FIFO);
    sched_get_priority_min(SCHED_RR);
    (void)pol;
    cpu_set_t cs;
    sched_getaffinity(0, sizeof cs, &cs);
    setpriority(PRIO_PROCESS, 0, 5);
    getpriority(PRIO_PROCESS, 0);
    struct sigevent sev = {0};
    sev.sigev_notify = SIGEV_NONE;
    timer_t t;
    if (timer_create(CLOCK_MONOTONIC, &sev, &t) == 0) {
        struct itimerspec v = {{0, 0}, {3, 0}};
        timer_settime(t, 0, &v, NULL);
        timer_delete(t);
    }
    return 0;
}
