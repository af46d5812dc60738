"""The argument kinds are imported by need: decode/kind_index.py (which module registers each
kind, tools/gen_kind_index.py) must be what the generator makes now, and a plan must find every
kind of every signature through it in an interpreter that has imported no kinds module."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _fresh(code: str) -> str:
    """Run code in a new interpreter (this one has imported kinds modules already)."""
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                       env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"})
    return r.stdout


def test_committed_index_is_what_the_generator_makes() -> None:
    made = _fresh(f"import sys; sys.path.insert(0, {str(ROOT / 'tools')!r}); import gen_kind_index; "
                  "sys.stdout.write(gen_kind_index.generate())")
    assert made == (ROOT / "src/syscope/decode/kind_index.py").read_text(encoding="utf-8"), \
        "rerun tools/gen_kind_index.py"


def test_every_signature_kind_resolves_through_the_index() -> None:
    # each kind word of every signature, in a fresh interpreter: the index names the module that
    # registers it, and the registry finds it through that import alone (no kind module is
    # loaded by importing the registry and the signatures)
    out = _fresh(
        "import sys\n"
        "from syscope.decode import kind_index, registry\n"
        "from syscope.decode.sigs import SIGS, SIGS_ARCH\n"
        "rows = list(SIGS.values()) + [r for t in SIGS_ARCH.values() for r in t.values()]\n"
        "whole = ('clone', 'fcntl', 'prctl', 'arch_prctl', 'ptrace', 'futex')\n"
        "words = {k for kinds, _ret in rows for k in kinds if k not in whole}\n"
        "print(sum(m.startswith('syscope.decode.kinds.') for m in sys.modules))\n"
        "names = {registry.base_name(k) for k in words}\n"
        "print(sorted(n for n in names if n not in kind_index.ENTRY and n not in kind_index.EXIT))\n"
        "print(sorted(k for k in words if registry.spec(k) is None))\n")
    loaded_before, not_indexed, unknown = out.splitlines()
    assert loaded_before == "0", "importing the registry and the signatures loaded a kinds module"
    assert not_indexed == "[]"
    assert unknown == "[]"
