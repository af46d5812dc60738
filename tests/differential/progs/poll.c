/* Readiness: select, pselect6, poll, ppoll, epoll_create1/ctl/wait/pwait on pipes. */
#define _GNU_SOURCE
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <unistd.h>

int main(void) {
    int p[2], q[2];
    pipe(p);
    pipe(q);
    write(p[1], "a", 1);
    fd_set r, w;
    FD_ZERO(&r);
    FD_ZERO(&w);
    FD_SET(p[0], &r);
    FD_SET(q[0], &r);
    FD_SET(q[1], &w);
    struct timeval tv = {0, 1000};
    select(q[1] + 1, &r, &w, NULL, &tv);
    FD_ZERO(&r);
    FD_SET(q[0], &r);
    tv.tv_usec = 1000;
    select(q[0] + 1, &r, NULL, NULL, &tv);
    struct timespec ts = {0, 1000};
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGUSR1);
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    pselect(p[0] + 1, &r, NULL, NULL, &ts, &mask);
    struct pollfd fds[3] = {{p[0], POLLIN, 0}, {q[0], POLLIN | POLLPRI, 0}, {q[1], POLLOUT, 0}};
    poll(fds, 3, 10);
    poll(fds + 1, 1, 0);
    ppoll(fds, 2, &ts, &mask);
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = {.events = EPOLLIN | EPOLLET, .data.fd = p[0]};
    epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);
    ev.events = EPOLLOUT;
    ev.data.u64 = 0x1122334455ULL;
    epoll_ctl(ep, EPOLL_CTL_ADD, q[1], &ev);
    ev.events = EPOLLIN | EPOLLRDHUP;
    ev.data.fd = q[0];
    epoll_ctl(ep, EPOLL_CTL_ADD, q[0], &ev);
    struct epoll_event out[4];
    epoll_wait(ep, out, 4, 10);
    epoll_ctl(ep, EPOLL_CTL_DEL, q[1], NULL);
    epoll_pwait(ep, out, 4, 0, &mask);
    close(ep);
    close(p[1]);
    poll(fds, 1, 0);
    return 0;
}
