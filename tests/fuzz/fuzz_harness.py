"""What every fuzz test checks, and its budget.

The property (issue 16): a parser or reader given any input either works or raises a
``SyscopeError`` whose message is one line; any other exception is a failure, and so is an input
that runs longer than ``INPUT_TIMEOUT`` seconds (a hang) or that makes the process's address space
grow past ``MEMORY_HEADROOM`` (unbounded memory: the allocation fails with MemoryError).

Budgets are numbers of inputs, fixed per test and scaled by ``SYSCOPE_FUZZ_SCALE`` (default 1);
the inputs are derandomized (the same on every run) unless ``SYSCOPE_FUZZ_SEED`` names a seed.
A longer campaign: ``SYSCOPE_FUZZ_SCALE=50 SYSCOPE_FUZZ_SEED=$RANDOM pytest -q tests/fuzz``
(see CONTRIBUTING.md).
"""

from __future__ import annotations

import collections
import os
import resource
import signal
from collections.abc import Callable
from typing import Any, TypeVar

from hypothesis import HealthCheck, Phase, seed, settings

from syscope.errors import SyscopeError

INPUT_TIMEOUT = 10.0
MEMORY_HEADROOM = 1 << 30
SCALE = float(os.environ.get("SYSCOPE_FUZZ_SCALE", "1"))
SEED = os.environ.get("SYSCOPE_FUZZ_SEED")

# inputs run per parser in this session, printed at the end (tests/fuzz/conftest.py)
COUNTS: collections.Counter[str] = collections.Counter()

F = TypeVar("F", bound=Callable[..., Any])


class Hang(BaseException):
    """An input ran past INPUT_TIMEOUT.  A BaseException, so the code under test cannot catch it."""


def fuzz(examples: int) -> Callable[[F], F]:
    """``@fuzz(N)``: run the test on N generated inputs (times SYSCOPE_FUZZ_SCALE), seeded."""
    def wrap(fn: F) -> F:
        s = settings(max_examples=max(1, int(examples * SCALE)), deadline=None, database=None,
                     derandomize=SEED is None, print_blob=False,
                     phases=(Phase.explicit, Phase.generate, Phase.shrink),
                     suppress_health_check=list(HealthCheck))
        out = s(fn)
        if SEED is not None:
            out = seed(int(SEED))(out)
        return out  # type: ignore[no-any-return]

    return wrap


def _address_space() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[0]) * resource.getpagesize()


def _on_alarm(signum: int, frame: object) -> None:
    raise Hang(f"an input ran longer than {INPUT_TIMEOUT} s")


def clean(parser: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run ``fn(*args)`` under the property; returns its result, or None after a SyscopeError."""
    COUNTS[parser] += 1
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = _address_space() + MEMORY_HEADROOM
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    old = signal.signal(signal.SIGALRM, _on_alarm)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    signal.setitimer(signal.ITIMER_REAL, INPUT_TIMEOUT)
    try:
        return fn(*args, **kwargs)
    except SyscopeError as exc:
        msg = str(exc)
        assert msg and "\n" not in msg and "Traceback" not in msg, f"not a one-line message: {msg!r}"
        return None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
