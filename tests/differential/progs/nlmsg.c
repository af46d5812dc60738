/* Netlink messages through sendmsg/recvmsg: strace decodes a message's buffers as netlink when
   its msg_name is a netlink address (msghdr.c iov_decode_netlink), as a string otherwise.  The
   request fails the same way on every machine (RTM_NEWLINK without an interface: ENODEV). */
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void) {
    int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
    struct {
        struct nlmsghdr h;
        struct ifinfomsg ifi;
    } req;
    memset(&req, 0, sizeof req);
    req.h.nlmsg_len = sizeof req;
    req.h.nlmsg_type = RTM_NEWLINK;
    req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
    req.h.nlmsg_seq = 1;
    struct iovec iov = {&req, sizeof req};
    struct msghdr mh = {.msg_name = &kernel, .msg_namelen = sizeof kernel, .msg_iov = &iov, .msg_iovlen = 1};
    sendmsg(fd, &mh, 0);
    char buf[4096];
    struct sockaddr_nl from;
    struct iovec riov = {buf, sizeof buf};
    struct msghdr rh = {.msg_name = &from, .msg_namelen = sizeof from, .msg_iov = &riov, .msg_iovlen = 1};
    recvmsg(fd, &rh, 0);
    /* no address: the buffers print as strings */
    req.h.nlmsg_seq = 2;
    struct msghdr nh = {.msg_iov = &iov, .msg_iovlen = 1};
    sendmsg(fd, &nh, 0);
    struct iovec head = {buf, 8}; /* the header's length and type: the rest names our port */
    struct msghdr rn = {.msg_iov = &head, .msg_iovlen = 1};
    recvmsg(fd, &rn, 0);
    /* sendto/recv on a netlink socket: netlink messages when verbose (net.c decode_sockbuf),
       a string under -e verbose=none */
    req.h.nlmsg_seq = 3;
    sendto(fd, &req, sizeof req, 0, (struct sockaddr *)&kernel, sizeof kernel);
    recv(fd, buf, 8, 0);
    close(fd);
    return 0;
}
