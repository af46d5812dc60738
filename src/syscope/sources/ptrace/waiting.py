"""How the tracer waits for the next stop: block in waitpid at once, or poll first.

A tracer that sleeps in waitpid(2) must be woken when the tracee stops: a cross-CPU wake-up that
costs from a microsecond on bare metal to tens of microseconds on a VM whose idle vCPU halts (the
hypervisor must deliver the IPI and reschedule the vCPU).  Polling with WNOHANG for a while
before sleeping catches a stop that comes soon without that wake-up, but each poll is CPU the
tracee may need (on one CPU, or with other work on the machine), and a tracee blocked in a call
makes every poll wasted.  Which one wins depends on the machine and on the moment, so it is not
decided by a constant: the loop runs windows of stops under each choice and keeps the one with
the least waiting per stop, re-trying the others now and then (an epsilon-greedy bandit).

A window's cost is the time the tracer spent waiting for its stops (``stops.waited``: from the
first waitpid after a stop to the one that returned the next), not its wall time: the tracer's
own work on a stop is the same whichever way it waits, and it varies far more than what is
measured (the first call of a kind is decoded in Python, ~100 times the cost of the others), so
with it a short window would measure which calls fell in it.  A long blocking wait (the tracee
sleeping in a call, >= LONG_WAIT seconds) is left out too: no choice makes it shorter.

The warm-up runs short windows (WARMUP_WINDOW stops): a run may be short (a Python program's
start-up is ~2,500 stops), and warm-up windows of the full size, each choice twice, were ~1,500 of
them, two of which under the worst choice; what a short window misjudges, the re-tries correct.
"""

from __future__ import annotations

import os

from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:  # collections.abc is not imported by a trace for an annotation (start-up)
    from collections.abc import Callable

# WNOHANG polls before blocking, tried by the bandit; 0 is "block at once".  Each poll is one
# waitpid syscall (about a microsecond), so the largest spins for some 100-300 us.
POLL_CHOICES = (0, 32, 256)
_WINDOW = 256  # stops per measured window
WARMUP_WINDOW = _WINDOW // 8  # ... while warming up: six of them (each choice twice) are ~200 stops
_EXPLOIT = 24  # windows under the current best before trying the others again
LONG_WAIT = 0.001  # a blocking wait this long was the tracee's own time, not a wake-up


class WaitPolicy:
    """Picks the number of WNOHANG polls before a blocking waitpid, from measured windows.

    The loop calls ``window_done(elapsed)`` every ``window`` stops (which changes after the
    warm-up) with the time the window's stops were waited for (StopWindow) and uses the returned
    poll count."""

    __slots__ = ("choices", "window", "_cost", "_plan", "_current", "_best", "_warmup")

    def __init__(self, cpus: int | None = None) -> None:
        if cpus is None:
            cpus = len(os.sched_getaffinity(0))
        # on one CPU a poll can only keep the tracee from running: nothing to learn
        self.choices: tuple[int, ...] = POLL_CHOICES if cpus > 1 else (0,)
        self._cost: dict[int, float] = {}  # choice -> seconds per stop
        # warm-up: each choice twice, interleaved (the load on the machine drifts), the better
        # of the two kept
        self._warmup = len(self.choices) > 1
        self.window = WARMUP_WINDOW if self._warmup else _WINDOW
        self._plan: list[int] = list(self.choices) * 2 if self._warmup else []
        self._best = self.choices[0]
        self._current = self._plan.pop(0) if self._plan else self._best

    @property
    def polls(self) -> int:
        return self._current

    def window_done(self, elapsed: float) -> int:
        """Record the window just run under ``polls``; the poll count for the next one."""
        if len(self.choices) == 1:
            return self._current
        c, per_stop = self._current, elapsed / self.window
        old = self._cost.get(c)
        if old is None:
            self._cost[c] = per_stop
        elif self._warmup:
            self._cost[c] = min(old, per_stop)
        elif c == self._best:
            self._cost[c] = 0.75 * old + 0.25 * per_stop  # smoothed over the exploit windows
        else:
            self._cost[c] = per_stop  # a re-try: what it costs now
        if not self._plan:
            self._warmup, self.window = False, _WINDOW
            self._best = min(self._cost, key=self._cost.__getitem__)
            self._plan = [self._best] * _EXPLOIT + [k for k in self.choices if k != self._best]
        self._current = self._plan.pop(0)
        return self._current


class StopWindow:
    """The cost of a window of stops for ``WaitPolicy``: the time they were waited for.

    The stops are the engine's reports plus those the C extension handled without returning
    (``stops.handled``); the waiting is ``stops.waited``'s, which every wait of the engine's
    goes through (wait_call), long blocking waits (the tracee's own time) left out.  A window is
    counted in stops, not reports: with the extension making whole lines, a dd may come back to
    the engine a few times in a run."""

    __slots__ = ("policy", "_handled", "_waited", "_n0", "_waited0")

    def __init__(self, policy: WaitPolicy, handled: Callable[[], int], waited: Callable[[], float]) -> None:
        self.policy, self._handled, self._waited = policy, handled, waited
        self._n0, self._waited0 = handled(), waited()

    def done(self, reports: int) -> int | None:
        """After ``reports`` reports in this window: the next poll count once the window holds
        ``policy.window`` stops (a new window starts), else None."""
        n, waited = self._handled(), self._waited()
        stops = reports + n - self._n0
        if stops < self.policy.window:
            return None
        polls = self.policy.window_done((waited - self._waited0) * self.policy.window / stops)
        self._n0, self._waited0 = n, waited
        return polls
