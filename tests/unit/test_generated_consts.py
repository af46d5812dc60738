"""The committed constant tables (src/syscope/decode/consts_<arch>.json) are what
tools/gen_decode.py makes from this machine's UAPI headers: a spec edit committed without its
regenerated table, or a hand edit of the table, fails here."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("arch", ["x86_64", "i386", "aarch64"])
def test_committed_consts_are_what_the_generator_makes(arch: str) -> None:
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import gen_decode
    finally:
        sys.path.remove(str(ROOT / "tools"))
    committed = json.loads((ROOT / f"src/syscope/decode/consts_{arch}.json").read_text())
    made = json.loads(json.dumps(gen_decode.generate(arch), sort_keys=True))
    assert sorted(made) == sorted(committed)
    for table, rows in committed.items():
        assert made[table] == rows, table
