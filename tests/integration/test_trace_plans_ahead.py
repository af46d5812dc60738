"""The C line formats the engine hands the extension under the default options were made ahead
(tools/gen_cplans.py, decode/cplans.py); under an option that changes a format the decoder's
own are handed over (tests/unit/test_cplans.py compares the two for every call)."""

from __future__ import annotations

import sys

from syscope.decode import DecodeOptions
from syscope.sources.ptrace.engine import Tracer


def test_an_option_that_changes_a_format_gets_the_decoders() -> None:
    """Under the default options the formats the engine hands over were made ahead (decode/cplans.py);
    -v prints a stat whole, which the decoder's stat form leaves to Python: the one made ahead (the
    abbreviated stat) must not be used then, nor -s's change any (the extension is told -s apart)."""
    script = "import os\nos.stat('/')\n"

    def python_calls(opts: DecodeOptions) -> tuple[set[str], str]:
        tracer = Tracer([sys.executable, "-S", "-I", "-c", script], options=opts)
        texts: list[str] = []
        tracer.line_out = texts.append
        return {ev.name for ev in tracer.events() if getattr(ev, "phase", "") == "exit"}, "".join(texts)

    python, made = python_calls(DecodeOptions(string_limit=5))
    assert "newfstatat" not in python and 'newfstatat(AT_FDCWD, "/", {st_mode=S_IFDIR|' in made
    python, made = python_calls(DecodeOptions(verbose=True))
    assert "newfstatat" in python and "newfstatat(" not in made
