"""Falco-shaped rules: YAML items ``- list:``, ``- macro:``, ``- rule:`` (with desc, condition,
output, priority).  Conditions are sysdig filters; macro names expand textually (wrapped in
parentheses) and list names inside ``in (...)``/``pmatch (...)`` expand to their items, as Falco does.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from syscope import docload
from syscope.context import Context
from syscope.errors import FilterError, UsageError
from syscope.events import Event
from syscope.filters.sysdig import compile_filter, compile_format

DEFAULT_RULES = Path(__file__).with_name("default_rules.yaml")
PRIORITIES = ("EMERGENCY", "ALERT", "CRITICAL", "ERROR", "WARNING", "NOTICE", "INFORMATIONAL", "DEBUG")


@dataclass
class Rule:
    name: str
    desc: str
    condition: str
    output: str
    priority: str
    match: Callable[[Event], bool]
    render: Callable[[Event], str]


def _expand(cond: str, macros: dict[str, str], lists: dict[str, list[str]], depth: int = 0) -> str:
    if depth > 20:
        raise UsageError("rules: macros nest too deeply (a macro that uses itself?)")

    def sub_list(m: re.Match[str]) -> str:
        items: list[str] = []
        for raw in m.group(2).split(","):
            it = raw.strip()
            if it in lists:
                items.extend(lists[it])
            elif it:
                items.append(it)
        # quoted, so that an item that happens to be a macro's name stays a value
        return f"{m.group(1)} ({', '.join(_q(i) for i in items)})"

    cond = re.sub(r"\b(in|pmatch)\s*\(([^()]*)\)", sub_list, cond)

    # Expand only outside quoted values, and never a word in value position (right after an
    # operator): `proc.name=opened` compares with the string "opened" even if a macro has that name.
    parts = re.split(r"""('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")""", cond)
    changed = False

    def sub_macro(m: re.Match[str]) -> str:
        nonlocal changed
        w = m.group(0)
        before = m.string[:m.start()].rstrip()
        if w in macros and not re.search(r"(=|<|>|\b(?:contains|icontains|startswith|endswith|glob))$",
                                         before):
            changed = True
            return f"({macros[w]})"
        return w

    for i in range(0, len(parts), 2):
        parts[i] = re.sub(r"(?<![.\w/])[A-Za-z_]\w*(?![.\w\[])", sub_macro, parts[i])
    out = "".join(parts)
    return _expand(out, macros, lists, depth + 1) if changed else out


def _q(item: str) -> str:
    s = str(item)
    if s[:1] in "'\"" and s[-1:] == s[:1] and len(s) > 1:
        return s
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'"


def load_rules(path: Path, ctx: Context) -> list[Rule]:
    # the bounded loader: size, nesting, alias expansion and JSON-only values (syscope.docload)
    docs = docload.parse_yaml(docload.read_text(path, UsageError), str(path), UsageError)
    if len(docs) > 1:
        raise UsageError(f"{path}: {len(docs)} YAML documents; a rules file is one list of items")
    doc = docs[0] if docs else None
    if not isinstance(doc, list):
        raise UsageError(f"{path}: expected a list of list/macro/rule items")
    lists: dict[str, list[str]] = {}
    macros: dict[str, str] = {}
    rules: list[Rule] = []
    for i, item in enumerate(doc):
        if not isinstance(item, dict):
            raise UsageError(f"{path}: item {i + 1} is not a mapping")
        if "list" in item:
            lists[str(item["list"])] = [str(x) for x in item.get("items", [])]
        elif "macro" in item:
            macros[str(item["macro"])] = str(item.get("condition", ""))
    for item in doc:
        if "rule" not in item:
            continue
        name = str(item["rule"])
        for key in ("condition", "output"):
            if key not in item:
                raise UsageError(f"{path}: rule '{name}' has no {key}")
        prio = str(item.get("priority", "WARNING")).upper()
        if prio not in PRIORITIES:
            raise UsageError(f"{path}: rule '{name}': unknown priority {prio}")
        if item.get("enabled") is False:
            continue
        cond = _expand(str(item["condition"]), macros, lists)
        try:
            match = compile_filter(cond, ctx)
            render = compile_format(str(item["output"]).strip(), ctx)
        except FilterError as exc:
            raise FilterError(f"{path}: rule '{name}': {exc} (in: {cond})") from None
        rules.append(Rule(name, str(item.get("desc", "")), cond, str(item["output"]).strip(),
                          prio, match, render))
    return rules


def alert_line(rule: Rule, ev: Event) -> str:
    return f"{rule.priority} {rule.name}: {rule.render(ev)}"
