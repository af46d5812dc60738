"""NETLINK_SOCK_DIAG (sock_diag(7))."""

from __future__ import annotations

from typing import Any

from syscope.decode.netlink.core import Ctx


def payload(ctx: Ctx, h: Any, addr: int, n: int) -> str | None:
    return None
