"""Cost of recording a container: `podman run` alone against `syscope profile -- podman run` (the
prestart hook + eBPF count mode), and the container's own work under `--container`.

Runs alternately, RUNS rounds, medians, as wall-clock seconds and ratios to the baseline:
- run: `podman run --rm IMAGE dd if=/dev/zero of=/dev/null bs=1 count=N` (2N+ calls in the
  container) bare, and under `syscope profile -o FILE --` (python start, probe load and the hook's
  python start are in this figure);
- work: the same dd inside an already running container (`podman exec`), with and without a
  `syscope profile --container` recording it meanwhile: what the in-kernel counting costs the
  container's calls.
The image is built as the tests build it (tests/podman.py).
Usage: .venv/bin/python benchmarks/container_record.py [RUNS] [N]
"""

from __future__ import annotations

import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rounds import SYSCOPE  # noqa: E402  (syscope as the console script starts it)
from tests import podman  # noqa: E402

RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 5
N = int(sys.argv[2]) if len(sys.argv) > 2 else 200000


def timed(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="syscope-bench-") as tmp:
        image = podman.build_image(Path(tmp) / "img")
        dd = ["dd", "if=/dev/zero", "of=/dev/null", "bs=1", f"count={N}"]
        run = [*podman.PODMAN, "run", "--rm", *podman.LIMITS, image, *dd]
        out = str(Path(tmp) / "p.json")
        res: dict[str, list[float]] = {"run bare": [], "run profiled": [], "work bare": [],
                                       "work recorded": []}
        with podman.container(image, "sleep", "3600") as name:
            exec_dd = [*podman.PODMAN, "exec", name, *dd]
            for _ in range(RUNS):
                res["run bare"].append(timed(run))
                res["run profiled"].append(timed([*SYSCOPE, "profile", "-o", out, "--", *run]))
                res["work bare"].append(timed(exec_dd))
                rec = subprocess.Popen([*SYSCOPE, "profile", "--container", name, "-o", out],
                                       stderr=subprocess.PIPE, text=True)
                assert rec.stderr is not None
                rec.stderr.readline()  # "recording container ...": marked from here on
                res["work recorded"].append(timed(exec_dd))
                rec.send_signal(signal.SIGINT)
                rec.wait(timeout=60)
    med = {k: statistics.median(v) for k, v in res.items()}
    for k, v in med.items():
        print(f"{k:14s} {v:7.3f} s")
    print(f"ratio run:  {med['run profiled'] / med['run bare']:.2f}x")
    print(f"ratio work: {med['work recorded'] / med['work bare']:.2f}x  (dd bs=1 count={N} in the container)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
