"""The audit netlink socket (NETLINK_AUDIT), read-only: the multicast group of audit records and the
status counters.  Only what seccomp's complain mode needs.

SECCOMP_RET_LOG makes the kernel emit an AUDIT_SECCOMP (1326) record for each logged call
(kernel/seccomp.c seccomp_log -> audit_seccomp).  kauditd sends every queued record to the
AUDIT_NLGRP_READLOG multicast group (kernel/audit.c kauditd_send_multicast_skb) before the
rate-limited printk, so a reader of that group sees them all; a reader needs CAP_AUDIT_READ and
the initial network namespace (audit_multicast_bind, audit_net_init).  When the queue is over
``backlog_limit`` the calling task waits (audit_log_start, backlog_wait_time) instead of losing
records; a record is lost only when that wait times out (``lost`` in AUDIT_GET) or when our socket's
receive buffer overflows (recv fails with ENOBUFS, netlink(7)).
"""

from __future__ import annotations

import errno as _errno
import os
import socket
import struct

from syscope.errors import KernelError, UnsupportedError

NETLINK_AUDIT = 9  # <linux/netlink.h>
AUDIT_GET = 1000  # <linux/audit.h>
AUDIT_SECCOMP = 1326
AUDIT_NLGRP_READLOG = 1
NLMSG_ERROR = 2
NLM_F_REQUEST = 1
SO_RCVBUFFORCE = 33  # <asm-generic/socket.h>
_NLMSGHDR = struct.Struct("=IHHII")  # len, type, flags, seq, pid
# struct audit_status: mask, enabled, failure, pid, rate_limit, backlog_limit, lost, backlog, ...
_STATUS = struct.Struct("=8I")
LOGINUID_UNSET = 0xFFFFFFFF  # AUDIT_UID_UNSET


def _open() -> socket.socket:
    try:
        return socket.socket(socket.AF_NETLINK, socket.SOCK_RAW | socket.SOCK_CLOEXEC, NETLINK_AUDIT)
    except OSError as exc:  # EPROTONOSUPPORT: a kernel without CONFIG_AUDIT
        raise UnsupportedError(f"audit netlink socket: {exc.strerror}") from None


class RecordReader:
    """Subscribed to AUDIT_NLGRP_READLOG; ``read()`` returns the (type, text) records waiting."""

    def __init__(self, rcvbuf: int = 64 << 20) -> None:
        self.sock = _open()
        try:
            self.sock.bind((0, 1 << (AUDIT_NLGRP_READLOG - 1)))
        except OSError as exc:  # EPERM without CAP_AUDIT_READ, ECONNREFUSED outside init netns
            self.sock.close()
            raise UnsupportedError(f"audit multicast group: {exc.strerror}") from None
        try:  # root may go past rmem_max (socket(7) SO_RCVBUFFORCE)
            self.sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, rcvbuf)
        except OSError:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.overruns = 0  # times the kernel dropped records for us (ENOBUFS)

    def fileno(self) -> int:
        return self.sock.fileno()

    def read(self) -> list[tuple[int, bytes]]:
        out: list[tuple[int, bytes]] = []
        while True:
            try:
                data = self.sock.recv(1 << 16, socket.MSG_DONTWAIT)
            except BlockingIOError:
                return out
            except OSError as exc:
                if exc.errno == _errno.ENOBUFS:
                    self.overruns += 1
                    continue
                raise KernelError(f"audit netlink recv: {exc.strerror}", exc.errno or 0) from None
            off = 0
            while off + _NLMSGHDR.size <= len(data):
                ln, typ, _, _, _ = _NLMSGHDR.unpack_from(data, off)
                if ln < _NLMSGHDR.size:
                    break
                out.append((typ, data[off + _NLMSGHDR.size:off + ln].rstrip(b"\0")))
                off += (ln + 3) & ~3  # NLMSG_ALIGN

    def close(self) -> None:
        self.sock.close()


def lost() -> int:
    """The kernel's count of lost audit records (AUDIT_GET, struct audit_status.lost)."""
    s = _open()
    try:
        s.bind((0, 0))
        s.send(_NLMSGHDR.pack(_NLMSGHDR.size, AUDIT_GET, NLM_F_REQUEST, 1, 0))
        s.settimeout(2.0)
        while True:
            data = s.recv(1 << 16)
            _, typ, _, _, _ = _NLMSGHDR.unpack_from(data)
            if typ == AUDIT_GET:
                return int(_STATUS.unpack_from(data, _NLMSGHDR.size)[6])
            if typ == NLMSG_ERROR:
                err = -struct.unpack_from("=i", data, _NLMSGHDR.size)[0]
                if err:
                    raise KernelError(f"AUDIT_GET: {os.strerror(err)}", err)
    except OSError as exc:
        raise KernelError(f"AUDIT_GET: {exc.strerror or exc}", exc.errno or 0) from None
    finally:
        s.close()


def loginuid() -> int:
    with open("/proc/self/loginuid") as f:
        return int(f.read().strip())


def new_session(uid: int) -> int:
    """Write /proc/self/loginuid: the kernel gives the task (and the children it makes from now on)
    a new audit session id (kernel/audit.c audit_set_loginuid); returns it.  Needs
    CAP_AUDIT_CONTROL and a loginuid that is not immutable.  Raises OSError (called in a forked
    child that reports it)."""
    fd = os.open("/proc/self/loginuid", os.O_WRONLY)
    try:
        os.write(fd, str(uid).encode())
    finally:
        os.close(fd)
    with open("/proc/self/sessionid") as f:
        return int(f.read().strip())
