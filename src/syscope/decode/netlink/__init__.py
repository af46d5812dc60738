"""Netlink message decoding (strace 6.1 src/netlink*.c, nlattr.c, rtnl_*.c)."""
