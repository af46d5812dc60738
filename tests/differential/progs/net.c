/* Sockets: socketpair with SCM_RIGHTS/SCM_CREDENTIALS control messages, sendmmsg/recvmmsg on
   UDP over 127.0.0.1, TCP listen/accept/connect, AF_UNIX bound path, getsockopt/setsockopt,
   shutdown. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static void pass_fd(int s, int fd) {
    char data[] = "fd!";
    struct iovec iov = {data, 3};
    union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } u;
    memset(&u, 0, sizeof u);
    struct msghdr mh = {0};
    mh.msg_iov = &iov;
    mh.msg_iovlen = 1;
    mh.msg_control = u.buf;
    mh.msg_controllen = sizeof u.buf;
    struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &fd, sizeof fd);
    sendmsg(s, &mh, 0);
}

static void recv_any(int s) {
    char data[16];
    struct iovec iov = {data, sizeof data};
    union { char buf[256]; struct cmsghdr align; } u;
    struct msghdr mh = {0};
    mh.msg_iov = &iov;
    mh.msg_iovlen = 1;
    mh.msg_control = u.buf;
    mh.msg_controllen = sizeof u.buf;
    recvmsg(s, &mh, MSG_CMSG_CLOEXEC);
}

int main(void) {
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv);
    int one = 1;
    setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &one, sizeof one);
    int fd = open("/dev/null", O_RDONLY);
    pass_fd(sv[0], fd);
    recv_any(sv[1]);
    send(sv[0], "plain", 5, 0);
    recv_any(sv[1]);
    send(sv[0], "x", 1, MSG_DONTWAIT | MSG_NOSIGNAL);
    recv(sv[1], &one, 1, MSG_PEEK);
    recv(sv[1], &one, 1, 0);
    shutdown(sv[0], SHUT_WR);
    close(sv[0]);
    close(sv[1]);

    /* UDP on loopback, batched */
    int u1 = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    int u2 = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(0);
    bind(u2, (struct sockaddr *)&a, sizeof a);
    socklen_t al = sizeof a;
    getsockname(u2, (struct sockaddr *)&a, &al);
    connect(u1, (struct sockaddr *)&a, sizeof a);
    struct mmsghdr mm[2];
    struct iovec iv[2] = {{"one", 3}, {"second", 6}};
    memset(mm, 0, sizeof mm);
    mm[0].msg_hdr.msg_iov = &iv[0];
    mm[0].msg_hdr.msg_iovlen = 1;
    mm[1].msg_hdr.msg_iov = &iv[1];
    mm[1].msg_hdr.msg_iovlen = 1;
    sendmmsg(u1, mm, 2, 0);
    char r1[8], r2[8];
    struct iovec rv[2] = {{r1, sizeof r1}, {r2, sizeof r2}};
    struct mmsghdr rm[2];
    memset(rm, 0, sizeof rm);
    rm[0].msg_hdr.msg_iov = &rv[0];
    rm[0].msg_hdr.msg_iovlen = 1;
    rm[1].msg_hdr.msg_iov = &rv[1];
    rm[1].msg_hdr.msg_iovlen = 1;
    recvmmsg(u2, rm, 2, MSG_DONTWAIT, NULL);
    sendto(u1, "to", 2, 0, NULL, 0);
    struct sockaddr_in from;
    socklen_t fl = sizeof from;
    recvfrom(u2, r1, sizeof r1, 0, (struct sockaddr *)&from, &fl);
    recvfrom(u2, r1, sizeof r1, MSG_DONTWAIT, NULL, NULL);
    close(u1);
    close(u2);

    /* TCP */
    int l = socket(AF_INET, SOCK_STREAM, 0);
    setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    a.sin_port = 0;
    bind(l, (struct sockaddr *)&a, sizeof a);
    listen(l, 4);
    al = sizeof a;
    getsockname(l, (struct sockaddr *)&a, &al);
    int c = socket(AF_INET, SOCK_STREAM, 0);
    setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    connect(c, (struct sockaddr *)&a, sizeof a);
    struct sockaddr_in peer;
    socklen_t pl = sizeof peer;
    int s = accept4(l, (struct sockaddr *)&peer, &pl, SOCK_CLOEXEC);
    int type, err;
    socklen_t ol = sizeof type;
    getsockopt(s, SOL_SOCKET, SO_TYPE, &type, &ol);
    ol = sizeof err;
    getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &ol);
    write(c, "ping", 4);
    char buf[16];
    read(s, buf, sizeof buf);
    pl = sizeof peer;
    getpeername(c, (struct sockaddr *)&peer, &pl);
    shutdown(c, SHUT_RDWR);
    close(c);
    close(s);
    close(l);

    /* AF_UNIX datagram bound to a path, abstract stream */
    int x = socket(AF_UNIX, SOCK_DGRAM, 0);
    struct sockaddr_un un = {0};
    un.sun_family = AF_UNIX;
    strcpy(un.sun_path, "sock");
    unlink("sock");
    bind(x, (struct sockaddr *)&un, sizeof un);
    int y = socket(AF_UNIX, SOCK_DGRAM, 0);
    sendto(y, "dgram", 5, 0, (struct sockaddr *)&un, sizeof un);
    recvfrom(x, buf, sizeof buf, 0, NULL, NULL);
    close(y);
    close(x);
    unlink("sock");
    return 0;
}
