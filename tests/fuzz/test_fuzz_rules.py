"""Fuzzing the Falco rules loader: files of ``list``/``macro``/``rule`` items (with append,
override, exceptions, enabled, priorities, tags) whose conditions come from the sysdig filter
grammar and name the file's lists and macros (also recursively), serialized as YAML and sometimes
damaged as text; every rule that loads is run on events of each kind and its output rendered."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from fuzz_harness import clean, fuzz  # tests/fuzz is on sys.path (pytest rootdir import mode)
from hypothesis import given
from hypothesis import strategies as st
from test_fuzz_filters import _CTX, _EVENTS, _filter, _mutated

from syscope.filters.rules import load_rules

_NAMES = ["shells", "sensitive", "spawned", "m1", "m2", "open_read", "x"]
_PRIOS = ["WARNING", "warning", "INFO", "Critical", "LOUD", "", 3, None]


def _condition() -> st.SearchStrategy[str]:
    words = st.sampled_from(_NAMES)
    return st.one_of(
        _filter,
        st.builds(lambda f, m, op: f"{f} {op} {m}", _filter, words, st.sampled_from(["and", "or", "and not"])),
        st.builds(lambda f, lst: f"proc.name in ({lst})", _filter, words),
        words,
    )


def _item() -> st.SearchStrategy[dict[str, Any]]:
    value: st.SearchStrategy[Any] = st.one_of(st.text(max_size=6), st.integers(), st.none(), st.booleans(),
                                              st.lists(st.text(max_size=4), max_size=3))
    lst = st.fixed_dictionaries({"list": st.sampled_from(_NAMES), "items": st.one_of(
        st.lists(st.one_of(st.sampled_from(_NAMES + ["bash", "/etc/shadow", "'q'"]), st.text(max_size=5)),
                 max_size=4), value)}, optional={"append": st.booleans()})
    macro = st.fixed_dictionaries({"macro": st.sampled_from(_NAMES), "condition": st.one_of(_condition(), value)},
                                  optional={"append": st.booleans()})
    rule = st.fixed_dictionaries(
        {"rule": st.one_of(st.sampled_from(["r1", "r2", "r3"]), st.text(max_size=5))},
        optional={"condition": st.one_of(_condition(), value), "desc": st.text(max_size=8),
                  "output": st.one_of(st.sampled_from(["%proc.name opened %fd.name", "%evt.arg[1] %user.name",
                                                       "%", "%nosuch.field x", "%(bad"]), value),
                  "priority": st.sampled_from(_PRIOS), "enabled": st.one_of(st.booleans(), value),
                  "append": st.booleans(), "tags": st.one_of(st.lists(st.text(max_size=4), max_size=2), value),
                  "source": st.sampled_from(["syscall", "k8s_audit", 1]),
                  "override": st.one_of(st.fixed_dictionaries({"condition": st.sampled_from(["append", "replace",
                                                                                              "x"])}), value),
                  "exceptions": st.one_of(st.lists(st.fixed_dictionaries(
                      {"name": st.text(max_size=4)},
                      optional={"fields": st.one_of(st.sampled_from(["proc.name", "fd.name", "nosuch"]),
                                                    st.lists(st.sampled_from(["proc.name", "fd.name"]), max_size=2)),
                                "comps": st.one_of(st.sampled_from(["=", "in", "startswith", "x"]),
                                                   st.lists(st.sampled_from(["=", "in", "pmatch"]), max_size=2)),
                                "values": st.one_of(st.lists(st.lists(st.text(max_size=4), max_size=2), max_size=2),
                                                    value)}), max_size=2), value)})
    other = st.one_of(st.fixed_dictionaries({"required_engine_version": st.one_of(st.integers(), st.text(max_size=5))}),
                      st.dictionaries(st.text(max_size=4), value, max_size=2))
    return st.one_of(lst, macro, rule, rule, other)


@st.composite
def _rules_file(draw: st.DrawFn) -> bytes:
    doc: Any = draw(st.lists(_item(), max_size=6))
    if draw(st.integers(0, 9)) == 0:
        doc = draw(st.one_of(st.dictionaries(st.text(max_size=3), st.text(max_size=3), max_size=2),
                             st.text(max_size=5)))
    text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
    if draw(st.integers(0, 4)) == 0:
        text = draw(_mutated(st.just(text)))
    return text.encode("utf-8", "surrogatepass")


def _load_and_run(path: Path) -> None:
    for rule in load_rules(path, _CTX):
        for ev in _EVENTS:
            rule.match(ev)  # type: ignore[arg-type]
            rule.render(ev)  # type: ignore[arg-type]


@fuzz(1000)
@given(_rules_file())
def test_rules_files(tmp_path_factory: Any, raw: bytes) -> None:
    f = tmp_path_factory.getbasetemp() / "fuzz-rules.yaml"
    f.write_bytes(raw)
    clean("falco rules", _load_and_run, f)
