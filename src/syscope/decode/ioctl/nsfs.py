"""Namespace file requests (type 0xb7, linux/nsfs.h), as strace's nsfs.c: NS_GET_USERNS and
NS_GET_PARENT return a descriptor, NS_GET_NSTYPE the namespace's CLONE_NEW* type (named after
the number), NS_GET_OWNER_UID writes a uid_t (ioctl_ns(2))."""

from __future__ import annotations

from syscope.decode import fmt
from syscope.decode.ioctl.core import NO_ARG, Call, Requests, family

_SPECS = {"NS_GET_USERNS": "fd", "NS_GET_PARENT": "fd", "NS_GET_NSTYPE": "nstype", "NS_GET_OWNER_UID": "uid"}


_REQUESTS = Requests(_SPECS)


@family(0xB7)
def nsfs(c: Call) -> str | None:
    spec = _REQUESTS.spec(c)
    if spec is None:
        return None
    if spec == "fd":
        c.ret_fd()
        return NO_ARG
    if spec == "nstype":
        if c.ev.retval is not None:
            c.ret_aux(fmt.enum(c.arch, "setns_types").get(c.ev.retval))
        return NO_ARG
    # NS_GET_OWNER_UID: a uid_t the kernel writes; -1 prints as -1 (strace's printuid)
    if c.failed:
        return c.addr()
    got = c.unpack("I")
    if got is None:
        return c.addr()
    return "[-1]" if got[0] == 0xFFFFFFFF else f"[{got[0]}]"
