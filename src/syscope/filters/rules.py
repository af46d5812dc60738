"""Falco's rules language: ``- list:``, ``- macro:``, ``- rule:`` items and what Falco's loader does
with them (falcosecurity/libs userspace/engine rule_loader_*):

- lists expand into the ``in``/``intersects``/``pmatch`` value lists that name them, including
  lists named by other lists; macros are substituted as subtrees wherever a condition names them;
- ``append: true`` adds to what an earlier item of the same name has (list items; a macro's or
  rule's condition, joined with a space; a rule's output, desc, tags and exceptions) and
  ``override: {KEY: append|replace}`` does so per key; an item of an existing name without
  either replaces it; ``- rule: X`` with only ``enabled:`` switches an existing rule;
- ``exceptions`` (name, fields, comps, values) become ``and not (...)`` of the condition;
- ``required_engine_version`` is accepted, ``required_plugin_versions`` reported (syscope runs
  no plugins), ``source`` other than syscall skipped;
- priorities EMERGENCY..DEBUG (case-insensitive; INFO is INFORMATIONAL); tags.

A rule that cannot be used (a field syscope lacks, an unknown macro, a bad priority or
condition) is skipped with one warning line naming the file, line, rule and reason; the load goes
on and ``RuleSet.summary()`` says what was loaded and skipped.  Rules are compiled once into
closures and indexed by the evt.type values their condition allows, as Falco does.
"""

from __future__ import annotations

import copy
import fnmatch
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from syscope import docload
from syscope.context import Context
from syscope.errors import FilterError, UsageError
from syscope.events import Event, SyscallEvent
from syscope.filters.fields_evt import event_type
from syscope.filters.sysdig import BoolOp, Cmp, Node, Not, Ref, compile_format, compile_node, parse

DEFAULT_RULES = Path(__file__).with_name("default_rules.yaml")
PRIORITIES = ("EMERGENCY", "ALERT", "CRITICAL", "ERROR", "WARNING", "NOTICE", "INFORMATIONAL", "DEBUG")
_PRIORITY_ALIASES = {"INFO": "INFORMATIONAL"}
# how Falco prints a priority in its alerts (falco_common::format_priority)
PRIORITY_TEXT = {p: p.capitalize() for p in PRIORITIES}
_LIST_OPS = ("in", "intersects", "pmatch")


@dataclass
class Rule:
    name: str
    desc: str
    condition: str  # macros, lists and exceptions expanded: a plain sysdig filter
    output: str
    priority: str  # one of PRIORITIES
    match: Callable[[Event], bool]
    render: Callable[[Event], str]
    tags: list[str] = field(default_factory=list)
    types: frozenset[str] | None = None  # the evt.type values it can match; None: any
    fields: list[str] = field(default_factory=list)  # the output's fields
    source: str = ""  # file:line
    # ``match`` for the events the evt.type index offers it (its implied evt.type tests dropped)
    indexed_match: Callable[[Event], bool] | None = None


@dataclass
class Selection:
    """Which loaded rules run (Falco's -T/-t/-D and rules[].enable/disable): applied in this
    order, the later winning: the file's ``enabled``, then disabled tags and rules, then enabled
    tags and rules; rules below ``min_priority`` never run."""

    disable_tags: list[str] = field(default_factory=list)
    enable_tags: list[str] = field(default_factory=list)
    disable_rules: list[str] = field(default_factory=list)  # names or globs
    enable_rules: list[str] = field(default_factory=list)
    min_priority: str | None = None


class _Loader(docload.BoundedLoader):
    """YAML 1.1 makes a bare ``=`` the 'value' key (tag:yaml.org,2002:value), which no safe
    constructor handles: Falco's documented ``comps: [=, =]`` would not load.  Here ``=`` is a
    string, and every mapping remembers its line for the warnings."""


_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:value"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def _mapping_with_line(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    d = loader.construct_mapping(node, deep=True)
    d["__line__"] = node.start_mark.line + 1
    return d


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)


@dataclass
class _Item:
    kind: str
    name: str
    body: dict[str, Any]
    where: str


class RuleSet:
    """The loaded rules, in file order, indexed by evt.type."""

    def __init__(self) -> None:
        self.rules: list[Rule] = []
        self.skipped: list[tuple[str, str]] = []  # (rule, why)
        self.disabled: list[str] = []
        self.warnings: list[str] = []
        self.by_type: dict[str, list[Rule]] = {}
        self.any_type: list[Rule] = []

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def index(self) -> None:
        self.any_type = [r for r in self.rules if r.types is None]
        self.by_type = {}
        for t in sorted({t for r in self.rules if r.types for t in r.types}):
            # file order, as Falco evaluates them
            self.by_type[t] = [r for r in self.rules if r.types is None or t in r.types]

    def matching(self, ev: Event) -> list[Rule]:
        """The rules ``ev`` satisfies, in file order."""
        # most events are syscalls no rule names: one dict lookup and out
        cands = self.by_type.get(ev.name if type(ev) is SyscallEvent else event_type(ev))
        if cands is None:
            cands = self.any_type
            if not cands:
                return []
        return [r for r in cands if (r.indexed_match or r.match)(ev)]

    def summary(self) -> str:
        why: dict[str, int] = {}
        for _r, reason in self.skipped:
            key = reason.split(":", 1)[0]
            why[key] = why.get(key, 0) + 1
        text = f"syscope: rules: {len(self.rules)} loaded"
        if self.disabled:
            text += f", {len(self.disabled)} disabled"
        text += f", {len(self.skipped)} skipped"
        if why:
            text += " (" + ", ".join(f"{n} {k}" for k, n in sorted(why.items())) + ")"
        return text


def _read(path: Path) -> list[Any]:
    # size, encoding, nesting and alias expansion bounded: syscope.docload
    text = docload.read_text(path, UsageError)
    try:
        doc = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except (yaml.YAMLError, ValueError) as exc:  # ValueError: an integer of too many digits
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise UsageError(f"{where}: invalid YAML: {problem}") from None
    if doc is None:
        return []
    docload.check_json_value(doc, str(path), UsageError)
    if not isinstance(doc, list):
        raise UsageError(f"{path}:1: expected a list of list/macro/rule items")
    return doc


def _strip_lines(v: Any) -> Any:
    """The item without the line numbers the loader put in its nested mappings."""
    if isinstance(v, dict):
        return {k: _strip_lines(x) for k, x in v.items() if k != "__line__"}
    if isinstance(v, list):
        return [_strip_lines(x) for x in v]
    return v


def _unquote(s: str) -> tuple[str, bool]:
    """A list item as Falco pastes it into a condition: '"(systemd)"' is the quoted string."""
    if len(s) >= 2 and s[0] == s[-1] and s[0] in "'\"":
        return s[1:-1].replace("\\" + s[0], s[0]), True
    return s, False


# What each key of an item holds.  Falco's loader checks these YAML types when it reads an item
# (falcosecurity/falco userspace/engine/rule_loader_reader.cpp, decode_val/decode_seq); here too,
# in one place, so that no later step meets a number where it walks a list.
_SCALAR = (str, int, float, bool)
_TEXT_KEYS = ("list", "macro", "rule", "condition", "output", "desc", "priority", "source")
_LIST_KEYS = ("items", "tags", "exceptions")


def _check_types(raw: dict[str, Any], kind: str, where: str) -> None:
    def bad(key: str, what: str) -> UsageError:
        return UsageError(f"{where}: {kind} '{raw.get(kind)}': '{key}' must be {what}")

    for key, val in raw.items():
        if key in _TEXT_KEYS and not isinstance(val, _SCALAR):
            raise bad(key, "a string")
        if key in ("append", "enabled") and not isinstance(val, bool):
            raise bad(key, "true or false")
        if key == "override" and not isinstance(val, dict):
            raise bad(key, "a mapping")
        if key in _LIST_KEYS and val is not None:
            if not isinstance(val, list):
                raise bad(key, "a list")
            if key != "exceptions" and not all(isinstance(x, _SCALAR) for x in val):
                raise bad(key, "a list of strings")
            if key == "exceptions" and not all(isinstance(x, dict) for x in val):
                raise bad(key, "a list of mappings")


class _Collector:
    def __init__(self, rs: RuleSet, warn: Callable[[str], None]) -> None:
        self.rs = rs
        self.warn = warn
        self.lists: dict[str, _Item] = {}
        self.macros: dict[str, _Item] = {}
        self.rules: dict[str, _Item] = {}
        self.order: list[str] = []  # rule names, first definition order
        self.plugins_noted = False

    def add(self, raw: Any, path: Path, idx: int) -> None:
        if not isinstance(raw, dict):
            raise UsageError(f"{path}: item {idx + 1} is not a mapping")
        line = raw.pop("__line__", 0)
        raw = _strip_lines(raw)
        where = f"{path}:{line}"
        if "required_engine_version" in raw:
            return
        if "required_plugin_versions" in raw:
            names = [str(p.get("name")) for p in raw["required_plugin_versions"] or []
                     if isinstance(p, dict)]
            self.warn(f"{where}: required plugins {', '.join(names) or '-'} are not available "
                      "(syscope runs no Falco plugins; its own fields stand in for them)")
            return
        for kind in ("list", "macro", "rule"):
            if kind in raw:
                _check_types(raw, kind, where)
                self._add(kind, str(raw[kind]), raw, where)
                return
        raise UsageError(f"{where}: unknown item (keys: {', '.join(sorted(map(str, raw)))})")

    def _add(self, kind: str, name: str, body: dict[str, Any], where: str) -> None:
        table = {"list": self.lists, "macro": self.macros, "rule": self.rules}[kind]
        override = body.get("override")
        append = bool(body.get("append"))
        prev = table.get(name)
        if kind == "rule" and prev is not None and not append and override is None \
                and set(body) <= {"rule", "enabled"}:
            prev.body["enabled"] = body.get("enabled", True)  # Falco's enabled-only form
            return
        if append or override is not None:
            if prev is None:
                raise UsageError(f"{where}: {kind} '{name}' has 'append'/'override' but no {kind} "
                                 "of that name was defined before")
            modes: dict[str, str]
            if override is not None:
                if not isinstance(override, dict):
                    raise UsageError(f"{where}: {kind} '{name}': override must be a mapping")
                modes = {str(k): str(v) for k, v in override.items()}
            else:
                modes = {k: "append" for k in body if k not in (kind, "append", "override")}
            for key, mode in modes.items():
                if key not in body:
                    raise UsageError(f"{where}: {kind} '{name}': override of '{key}' without a value")
                if mode not in ("append", "replace"):
                    raise UsageError(f"{where}: {kind} '{name}': override '{key}' must be append or replace")
                self._merge(prev, key, body[key], mode, where)
            return
        item = _Item(kind, name, dict(body), where)
        table[name] = item
        if kind == "rule" and name not in self.order:
            self.order.append(name)

    def _merge(self, prev: _Item, key: str, val: Any, mode: str, where: str) -> None:
        b = prev.body
        if mode == "replace" or key not in b:
            b[key] = copy.deepcopy(val)
            return
        if key in ("condition", "output", "desc"):
            b[key] = f"{b[key]} {val}"  # Falco joins appended text with a space
        elif key in ("items", "tags"):
            b[key] = list(b.get(key) or []) + list(val or [])
        elif key == "exceptions":
            have = {e.get("name"): e for e in b.get(key) or [] if isinstance(e, dict)}
            for e in val or []:
                old = have.get(e.get("name")) if isinstance(e, dict) else None
                if old is not None:
                    old["values"] = list(old.get("values") or []) + list(e.get("values") or [])
                else:
                    b.setdefault(key, []).append(copy.deepcopy(e))
        else:
            b[key] = copy.deepcopy(val)

    # -- compile ---------------------------------------------------------------------------
    def expanded_lists(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for name, it in self.lists.items():  # definition order: a list may name earlier ones
            items: list[str] = []
            for x in it.body.get("items") or []:
                s = str(x)
                if s in out:
                    items.extend(out[s])
                else:
                    items.append(s)
            out[name] = items
        return out


def _exception_text(rule: str, exc: dict[str, Any], lists: dict[str, list[str]], where: str) -> str | None:
    """Falco's exception as a condition: one ``(f1 c1 v1 and f2 c2 v2)`` per values entry, or-ed
    (fields a list), or ``f comp (v1, v2...)`` (fields one name, comp ``in`` by default)."""
    fields = exc.get("fields")
    values = exc.get("values") or []
    if not fields or not values:
        return None
    comps = exc.get("comps")

    def val(v: Any, comp: str) -> str:
        if comp in _LIST_OPS:
            items = v if isinstance(v, list) else [v]
            return "(" + ", ".join(str(i) if str(i) in lists else _q(str(i)) for i in items) + ")"
        return _q(str(v))

    if isinstance(fields, list):
        cl = comps if isinstance(comps, list) else ["="] * len(fields)
        if len(cl) != len(fields):
            raise UsageError(f"{where}: rule '{rule}': exception '{exc.get('name')}' has "
                             f"{len(fields)} fields but {len(cl)} comps")
        alts = []
        for tup in values:
            if not isinstance(tup, list) or len(tup) != len(fields):
                raise UsageError(f"{where}: rule '{rule}': exception '{exc.get('name')}': each value "
                                 f"must list {len(fields)} items")
            alts.append("(" + " and ".join(f"{f} {c} {val(v, str(c))}"
                                           for f, c, v in zip(fields, cl, tup, strict=True)) + ")")
        return " or ".join(alts)
    comp = str(comps or "in")
    if comp in _LIST_OPS:
        return f"{fields} {comp} ({', '.join(str(v) if str(v) in lists else _q(str(v)) for v in values)})"
    return " or ".join(f"{fields} {comp} {_q(str(v))}" for v in values)


def _q(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


class _Unknown(Exception):
    pass


def _resolve(node: Node, macros: dict[str, Node | None], lists: dict[str, list[str]],
             parse_macro: Callable[[str], Node | None], stack: tuple[str, ...] = ()) -> Node:
    """The tree with macro references replaced by their trees and list names in value lists by
    their items.  Iterative over and/or chains; macro nesting recurses (bounded by the macros)."""
    if isinstance(node, Ref):
        if node.name in stack:
            raise _Unknown(f"macro '{node.name}' uses itself")
        sub = parse_macro(node.name)
        if sub is None:
            raise _Unknown(f"unknown macro or field '{node.name}'")
        return _resolve(sub, macros, lists, parse_macro, (*stack, node.name))
    if isinstance(node, Not):
        return Not(_resolve(node.part, macros, lists, parse_macro, stack))
    if isinstance(node, BoolOp):
        return BoolOp(node.kind, [_resolve(p, macros, lists, parse_macro, stack) for p in node.parts])
    if node.op in _LIST_OPS and isinstance(node.values, list):
        vals: list[str] = []
        cols: list[int] = []
        for v, c in zip(node.values, node.vcols, strict=True):
            if v in lists and c not in node.qcols:
                for item in lists[v]:
                    vals.append(_unquote(item)[0])
                    cols.append(c)
            else:
                vals.append(v)
                cols.append(c)
        return Cmp(node.field, node.op, vals, node.col, cols, node.opcol)
    return node


def evt_types(node: Node) -> frozenset[str] | None:
    """The evt.type values a condition can be true for; None when any (Falco's evttype index)."""
    if isinstance(node, Cmp):
        if node.field == "evt.type" and isinstance(node.values, list) and node.op == "in":
            return frozenset(node.values)
        if node.field == "evt.type" and node.op == "=" and isinstance(node.values, str):
            return frozenset((node.values,))
        return None
    if isinstance(node, (Not, Ref)):
        return None
    sets = [evt_types(p) for p in node.parts]
    if node.kind == "and":
        known = [s for s in sets if s is not None]
        if not known:
            return None
        out = known[0]
        for s in known[1:]:
            out = out & s
        return out
    if any(s is None for s in sets):
        return None
    return frozenset().union(*[s for s in sets if s is not None])


def _implied(node: Node, types: frozenset[str]) -> bool:
    """An evt.type test true for every event of ``types``."""
    if not isinstance(node, Cmp) or node.field != "evt.type":
        return False
    if node.op == "in" and isinstance(node.values, list):
        return types <= set(node.values)
    return node.op == "=" and isinstance(node.values, str) and types == {node.values}


def _drop_implied(node: Node, types: frozenset[str]) -> Node:
    """``node`` without the conjuncts the evt.type index already guarantees (down its and-chain,
    where dropping a true conjunct changes nothing)."""
    if isinstance(node, BoolOp) and node.kind == "and":
        parts = [_drop_implied(p, types) for p in node.parts if not _implied(p, types)]
        if not parts:
            return node.parts[0]
        return parts[0] if len(parts) == 1 else BoolOp("and", parts)
    return node


def load_rules(paths: Path | list[Path], ctx: Context, selection: Selection | None = None,
               warn: Callable[[str], None] | None = None) -> RuleSet:
    """Load rule files in order (later files append to and override earlier ones)."""
    rs = RuleSet()

    def _warn(msg: str) -> None:
        rs.warnings.append(msg)
        if warn is not None:
            warn(msg)

    col = _Collector(rs, _warn)
    for path in [paths] if isinstance(paths, Path) else list(paths):
        for i, raw in enumerate(_read(Path(path))):
            col.add(raw, Path(path), i)
    lists = col.expanded_lists()
    macro_trees: dict[str, Node | None] = {}
    getters: dict[str, Callable[[Event], Any]] = {}  # one getter per field for every rule

    def parse_macro(name: str) -> Node | None:
        if name not in macro_trees:
            it = col.macros.get(name)
            macro_trees[name] = None
            if it is not None:
                text = str(it.body.get("condition", ""))
                try:
                    macro_trees[name] = parse(text, refs=True)
                except FilterError as exc:
                    raise _Unknown(f"macro '{name}' ({it.where}): {exc}") from None
        return macro_trees[name]

    sel = selection or Selection()
    for name in col.order:
        it = col.rules[name]
        rule = _compile_rule(it, lists, parse_macro, ctx, getters, _warn, rs)
        if rule is None:
            continue
        if _selected(rule, it.body.get("enabled", True) is not False, sel):
            rs.rules.append(rule)
        else:
            rs.disabled.append(rule.name)
    rs.index()
    return rs


def _skip(rs: RuleSet, warn: Callable[[str], None], it: _Item, why: str) -> None:
    rs.skipped.append((it.name, why))
    warn(f"{it.where}: rule '{it.name}' skipped: {why}")


def _compile_rule(it: _Item, lists: dict[str, list[str]], parse_macro: Callable[[str], Node | None],
                  ctx: Context, getters: dict[str, Callable[[Event], Any]],
                  warn: Callable[[str], None], rs: RuleSet) -> Rule | None:
    b = it.body
    src = str(b.get("source", "syscall"))
    if src != "syscall":
        _skip(rs, warn, it, f"source: '{src}' events are not syscalls")
        return None
    for key in ("condition", "output"):
        if b.get(key) is None:
            _skip(rs, warn, it, f"invalid rule: no {key}")
            return None
    prio_raw = b.get("priority")
    prio = _PRIORITY_ALIASES.get(str(prio_raw).strip().upper(), str(prio_raw).strip().upper()) \
        if prio_raw is not None else ""
    if prio not in PRIORITIES:
        _skip(rs, warn, it, f"invalid priority: '{prio_raw if prio_raw is not None else ''}' "
                            f"(one of {', '.join(PRIORITIES)}, INFO)")
        return None
    cond = str(b["condition"]).strip()
    try:
        excs = [t for e in b.get("exceptions") or [] if isinstance(e, dict)
                if (t := _exception_text(it.name, e, lists, it.where))]
    except UsageError as exc:
        _skip(rs, warn, it, f"invalid exception: {str(exc).split(': ', 2)[-1]}")
        return None
    full = f"({cond}) and not ({' or '.join(excs)})" if excs else cond
    output = " ".join(str(b["output"]).split())  # folded YAML text: one line, as Falco prints it
    try:
        tree = _resolve(parse(full, refs=True), {}, lists, parse_macro)
        types = evt_types(tree)
        match = compile_node(tree, ctx, getters, memo=True)
        # the index only offers the rule events of these types: there, its evt.type tests that
        # hold for all of them need not run again
        indexed = compile_node(_drop_implied(tree, types), ctx, getters, memo=True) if types else match
        render = compile_format(output, ctx)
    except _Unknown as exc:
        _skip(rs, warn, it, f"unknown: {exc}")
        return None
    except FilterError as exc:
        msg = str(exc)
        if "unknown field" in msg:
            fld = msg.split("unknown field", 1)[1].split("'")[1]
            _skip(rs, warn, it, f"unsupported field: {fld} is not a syscope field")
        else:
            _skip(rs, warn, it, f"invalid condition: {msg}")
        return None
    from syscope.filters.sysdig import format_fields

    tags = [str(t) for t in b.get("tags") or []]
    from syscope.filters.sysdig import unparse

    return Rule(it.name, str(b.get("desc", "")).strip(), unparse(tree), output, prio, match, render, tags,
                types, format_fields(output), it.where, indexed)


def _selected(rule: Rule, enabled: bool, sel: Selection) -> bool:
    on = enabled
    if any(t in rule.tags for t in sel.disable_tags):
        on = False
    if any(fnmatch.fnmatchcase(rule.name, p) or p == rule.name for p in sel.disable_rules):
        on = False
    if sel.enable_tags:
        on = on and any(t in rule.tags for t in sel.enable_tags)
    if any(fnmatch.fnmatchcase(rule.name, p) or p == rule.name for p in sel.enable_rules):
        on = True
    if sel.min_priority is not None:
        mp = _PRIORITY_ALIASES.get(sel.min_priority.upper(), sel.min_priority.upper())
        if mp in PRIORITIES and PRIORITIES.index(rule.priority) > PRIORITIES.index(mp):
            on = False
    return on


def parse_priority(text: str) -> str:
    p = _PRIORITY_ALIASES.get(text.strip().upper(), text.strip().upper())
    if p not in PRIORITIES:
        raise UsageError(f"unknown priority '{text}' (one of {', '.join(PRIORITIES)}, INFO)")
    return p


def stderr_warn(msg: str) -> None:
    print(f"syscope: warning: {msg}", file=sys.stderr)


__all__ = ["DEFAULT_RULES", "PRIORITIES", "PRIORITY_TEXT", "Rule", "RuleSet", "Selection",
           "load_rules", "evt_types", "parse_priority", "stderr_warn"]
