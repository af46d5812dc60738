"""The OCI prestart hook of ``syscope profile -- podman run ...`` (see container_record).

runc runs it with the container's state JSON on stdin (runtime-spec config.md, "Hooks": ``pid``
is the container's init).  It sends that line to syscope's socket and waits for ``ok``: runc waits
for the hook, so the init does not load its filter or exec before syscope has marked it.  A
hook that fails makes runc fail the container, so anything wrong here exits non-zero with one
line on stderr.
"""

from __future__ import annotations

import json
import socket
import sys


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m syscope.seccomp.oci_hook SOCKET", file=sys.stderr)
        return 2
    try:
        state = json.loads(sys.stdin.read())
        line = json.dumps({"pid": int(state["pid"]), "id": state.get("id")}) + "\n"
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(30)
            s.connect(argv[0])
            s.sendall(line.encode())
            answer = s.makefile().readline()
    except (OSError, ValueError, KeyError, TypeError) as exc:
        print(f"syscope oci hook: {exc}", file=sys.stderr)
        return 1
    return 0 if answer.strip() == "ok" else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
