"""The calls an OCI runtime's own init makes after it loads the container's seccomp filter.

runc's ``runc init`` loads the filter and then still runs Go code before it execs the container's
program: with ``noNewPrivileges`` just the exec-fifo handshake and the ``/proc/self/fd`` check;
without it (podman's and docker's default) also capset, setgroups, setuid/setgid, chdir...
(libcontainer/standard_init_linux.go).  A profile recorded from the program alone lacks them and
the container never starts.  The sets are data recorded from the runtimes themselves by
``tools/gen_runtime_calls.py`` (``runtime_calls.json``, with the runtime versions and kernel they
came from); they are merged into profiles meant for containers.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from syscope.errors import UsageError


@cache
def _data() -> dict[str, Any]:
    text = resources.files("syscope.seccomp").joinpath("runtime_calls.json").read_text()
    data: dict[str, Any] = json.loads(text)
    return data


def recorded_runtimes() -> list[str]:
    """Runtimes whose calls were recorded (the data file also lists ones that could not be)."""
    return [rt for rt, v in _data()["runtimes"].items() if "no_new_privs" in v]


def runtime_calls(runtime: str) -> tuple[str, set[str]]:
    """(``runc 1.1.5``, the calls ``runtime``'s init makes after loading the filter, with and
    without no_new_privs: the container's config decides which, so both are allowed)."""
    entry = _data()["runtimes"].get(runtime)
    if entry is None or "no_new_privs" not in entry:
        why = f" ({entry['not_recorded']})" if entry and "not_recorded" in entry else ""
        raise UsageError(f"no recorded calls for runtime {runtime!r}{why}; known: "
                         f"{', '.join(recorded_runtimes())}")
    calls = set(entry["no_new_privs"]) | set(entry["without_no_new_privs"])
    return f"{runtime} {entry['version']}", calls
