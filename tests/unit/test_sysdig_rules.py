"""Falco-shaped rules: list and macro expansion, validation errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from syscope.context import Context
from syscope.errors import FilterError, UsageError
from syscope.events import SyscallEvent
from syscope.filters.rules import DEFAULT_RULES, _expand, load_rules


def test_expand_macros_and_lists_but_not_values() -> None:
    macros = {"opened": "evt.type=openat", "outer": "opened and proc.name=opened"}
    lists = {"shells": ["sh", "bash", "opened"]}
    got = _expand("outer and proc.name in (shells, zsh) and fd.name='x opened y'", macros, lists)
    assert got == ("((evt.type=openat) and proc.name=opened) and proc.name in ('sh', 'bash', "
                   "'opened', 'zsh') and fd.name='x opened y'")
    with pytest.raises(UsageError, match="nest too deeply"):
        _expand("a", {"a": "b", "b": "a"}, {})


def _ev(name: str, comm: str, path: str) -> SyscallEvent:
    return SyscallEvent(pid=1, tid=1, arch="x86_64", nr=257, name=name, raw_args=(0, 0, 0, 0, 0, 0),
                        ts_enter=0.0, phase="exit", args=["AT_FDCWD", f'"{path}"', "0"], retval=3,
                        comm=comm, paths=(path,))


def test_default_rules_load_and_match() -> None:
    rules = {r.name: r for r in load_rules(DEFAULT_RULES, Context(live=False))}
    assert set(rules) == {"Shell spawned", "Write below etc", "Read sensitive file",
                          "Unexpected outbound connection", "Ptrace or bpf used"}
    shadow = _ev("openat", "cat", "/etc/shadow")
    assert rules["Read sensitive file"].match(shadow)
    assert not rules["Read sensitive file"].match(_ev("openat", "cat", "/etc/shadowy"))
    assert not rules["Write below etc"].match(shadow)  # O_RDONLY


def test_bad_rules_files(tmp_path: Path) -> None:
    f = tmp_path / "r.yaml"
    f.write_text("- rule: x\n  output: y\n")
    with pytest.raises(UsageError, match="rule 'x' has no condition"):
        load_rules(f, Context(live=False))
    f.write_text("- rule: x\n  condition: evt.type=openat\n  output: y\n  priority: LOUD\n")
    with pytest.raises(UsageError, match="unknown priority LOUD"):
        load_rules(f, Context(live=False))
    f.write_text("- rule: x\n  condition: evt.type = = 3\n  output: y\n")
    with pytest.raises(FilterError, match="rule 'x'.*column"):
        load_rules(f, Context(live=False))
    f.write_text("- rule: [unclosed\n")
    with pytest.raises(UsageError, match="malformed YAML"):
        load_rules(f, Context(live=False))
