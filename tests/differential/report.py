#!/usr/bin/env python3
"""Print the differential figures (syscope vs strace 6.1) for the issue note:
``.venv/bin/python tests/differential/report.py [PROGRAM ...] [--samples N] [--keep DIR]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import diffharness  # noqa: E402


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("programs", nargs="*", help="only these (names as in diffharness.programs())")
    ap.add_argument("--samples", type=int, default=3, help="differing lines shown per program")
    ap.add_argument("--keep", type=Path, help="keep the strace/syscope output files in this directory")
    ap.add_argument("--workers", type=int, default=2)
    a = ap.parse_args(argv)
    known = {p.name for p in diffharness.programs()}
    unknown = set(a.programs) - known
    if unknown:
        print(f"report.py: unknown program(s) {sorted(unknown)}; known: {sorted(known)}", file=sys.stderr)
        return 2
    rep = diffharness.run_all(workers=a.workers, only=a.programs or None, keep=a.keep)
    print(rep.text(samples=a.samples))
    return 0 if rep.percent >= 99.0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
