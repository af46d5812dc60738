"""Falco's rules language: lists (nested), macros, append/override, exceptions, enabled, priorities,
selection, the evt.type index, and what a rule syscope cannot use does to the load."""

from __future__ import annotations

from pathlib import Path

import pytest

from syscope.context import Context
from syscope.errors import UsageError
from syscope.events import SyscallEvent
from syscope.filters.rules import DEFAULT_RULES, Selection, evt_types, load_rules
from syscope.filters.sysdig import parse

FALCO_RULES = Path(__file__).resolve().parents[3] / "shared" / "data" / "falco" / "falco_rules.yaml"


def _open(comm: str, path: str, flags: int = 0, pid: int = 1) -> SyscallEvent:
    return SyscallEvent(pid=pid, tid=pid, arch="x86_64", nr=257, name="openat",
                        raw_args=(0xFFFFFF9C, 0, flags, 0, 0, 0), ts_enter=0.0, phase="exit",
                        args=["AT_FDCWD", f'"{path}"', "0"], retval=3, comm=comm, paths=(path,))


def _load(tmp_path: Path, *texts: str, sel: Selection | None = None) -> tuple[dict, list[str]]:
    files = []
    for i, t in enumerate(texts):
        f = tmp_path / f"r{i}.yaml"
        f.write_text(t)
        files.append(f)
    warnings: list[str] = []
    rs = load_rules(files, Context(live=False), sel, warnings.append)
    return {r.name: r for r in rs}, warnings


def test_default_rules_load_and_match() -> None:
    rules = {r.name: r for r in load_rules(DEFAULT_RULES, Context(live=False))}
    assert set(rules) == {"Shell spawned", "Write below etc", "Read sensitive file",
                          "Unexpected outbound connection", "Ptrace or bpf used"}
    shadow = _open("cat", "/etc/shadow")
    assert rules["Read sensitive file"].match(shadow)
    assert not rules["Read sensitive file"].match(_open("cat", "/etc/shadowy"))
    assert not rules["Write below etc"].match(shadow)  # O_RDONLY


def test_falco_rules_file_loads_whole() -> None:
    warnings: list[str] = []
    rs = load_rules([FALCO_RULES], Context(live=False), None, warnings.append)
    n_rules = sum(1 for line in FALCO_RULES.read_text().splitlines() if line.startswith("- rule:"))
    assert len(rs) == n_rules and not rs.skipped
    assert rs.summary() == f"syscope: rules: {n_rules} loaded, 0 skipped"
    assert [w for w in warnings if "plugins" in w] and len(warnings) == 1
    by = {r.name: r for r in rs}
    assert by["Create Symlink Over Sensitive Files"].types == {"symlink", "symlinkat"}
    assert by["Read sensitive file untrusted"].priority == "WARNING"
    assert by["System user interactive"].priority == "INFORMATIONAL"  # INFO in the file


def test_nested_lists_macros_append_override(tmp_path: Path) -> None:
    base = """
- list: a
  items: [cat]
- list: b
  items: [a, '"less"']
- macro: opened
  condition: evt.type=openat
- rule: R
  desc: d
  condition: opened and proc.name in (b)
  output: "x %proc.name"
  priority: info
  tags: [t1]
"""
    more = """
- list: a
  items: [head]
  append: true
- macro: opened
  condition: and fd.name startswith /etc
  append: true
- rule: R
  condition: and not proc.name=less
  override:
    condition: append
"""
    rules, _ = _load(tmp_path, base, more)
    r = rules["R"]
    assert r.priority == "INFORMATIONAL" and r.types == {"openat"}
    # b was expanded when defined: the appended item of a reaches it (lists are expanded once
    # every file is read, as Falco compiles after collecting)
    assert r.match(_open("cat", "/etc/x")) and r.match(_open("head", "/etc/x"))
    assert not r.match(_open("cat", "/tmp/x"))  # the macro's appended condition
    assert not r.match(_open("less", "/etc/x"))  # the rule's appended condition
    # replace, not append
    rules, _ = _load(tmp_path, base, "- list: a\n  items: [tail]\n  override:\n    items: replace\n")
    assert rules["R"].match(_open("tail", "/etc/x")) and not rules["R"].match(_open("cat", "/etc/x"))


def test_exceptions_and_flow_comps(tmp_path: Path) -> None:
    text = """
- rule: R
  desc: d
  condition: evt.type=openat
  output: o
  priority: WARNING
  exceptions:
    - name: pairs
      fields: [proc.name, fd.name]
      comps: [=, =]
      values:
        - [cat, /etc/hosts]
    - name: names
      fields: proc.name
      values: [head, tail]
    - name: dirs
      fields: [proc.name, fd.directory]
      comps: [=, in]
      values:
        - [less, [/usr, /opt]]
"""
    more = """
- rule: R
  exceptions:
    - name: names
      values: [wc]
  append: true
"""
    rules, _ = _load(tmp_path, text, more)
    m = rules["R"].match
    assert not m(_open("cat", "/etc/hosts")) and m(_open("cat", "/etc/passwd"))
    assert not m(_open("head", "/x")) and not m(_open("tail", "/x")) and not m(_open("wc", "/x"))
    assert not m(_open("less", "/usr/x")) and m(_open("less", "/etc/x"))


def test_enabled_selection_and_priorities(tmp_path: Path) -> None:
    text = """
- rule: A
  desc: d
  condition: evt.type=openat
  output: o
  priority: Debug
  tags: [net]
- rule: B
  desc: d
  condition: evt.type=openat
  output: o
  priority: EMERGENCY
  enabled: false
- rule: A
  enabled: false
- rule: A
  enabled: true
"""
    rules, _ = _load(tmp_path, text)
    assert set(rules) == {"A"}
    rules, _ = _load(tmp_path, text, sel=Selection(disable_tags=["net"], enable_rules=["B*"]))
    assert set(rules) == {"B"}
    rules, _ = _load(tmp_path, text, sel=Selection(enable_rules=["B"], min_priority="info"))
    assert set(rules) == {"B"}


def test_unusable_rules_are_skipped_with_one_warning(tmp_path: Path) -> None:
    text = """
- rule: Missing field
  desc: d
  condition: evt.type=openat and proc.nosuchfield=1
  output: o
  priority: WARNING
- rule: Bad priority
  desc: d
  condition: evt.type=openat
  output: o
  priority: LOUD
- rule: Unknown macro
  desc: d
  condition: evt.type=openat and no_such_macro
  output: o
  priority: WARNING
- rule: Bad syntax
  desc: d
  condition: evt.type = = 3
  output: o
  priority: WARNING
- rule: Other source
  desc: d
  condition: ka.verb=get
  output: o
  priority: WARNING
  source: k8s_audit
- rule: Good
  desc: d
  condition: evt.type=openat
  output: o
  priority: WARNING
"""
    rules, warnings = _load(tmp_path, text)
    assert set(rules) == {"Good"}
    assert len(warnings) == 5
    assert "r0.yaml:2: rule 'Missing field' skipped: unsupported field: proc.nosuchfield" in warnings[0]
    assert "r0.yaml:7:" in warnings[1] and "LOUD" in warnings[1]
    assert "no_such_macro" in warnings[2] and "column" in warnings[3] and "k8s_audit" in warnings[4]


def test_bad_files(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"r0.yaml:2: invalid YAML"):
        _load(tmp_path, "- rule: x\n  - [unclosed\n")
    with pytest.raises(UsageError, match="has 'append'/'override' but no rule"):
        _load(tmp_path, "- rule: x\n  condition: and y\n  append: true\n")


def test_evt_type_index() -> None:
    assert evt_types(parse("evt.type in (open, openat) and (evt.type=openat or proc.name=x)")) == \
        {"open", "openat"}
    assert evt_types(parse("evt.type=openat or proc.name=x")) is None
    assert evt_types(parse("evt.type in (open, openat) and evt.type=openat")) == {"openat"}
    assert evt_types(parse("(evt.type=connect or evt.type=sendto) and fd.num>0")) == {"connect", "sendto"}
    assert evt_types(parse("not evt.type=connect")) is None
