"""The documentation tells the truth: the API examples run, the man page is what the parsers
say, every subcommand's help has examples, and the links between the docs resolve."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


def code_blocks(path: Path, lang: str) -> list[tuple[int, str]]:
    """(line number, code) of each fenced block of that language."""
    blocks, lines = [], path.read_text().splitlines()
    i = 0
    while i < len(lines):
        if lines[i].strip() == f"```{lang}":
            start, body = i + 1, []
            i += 1
            while lines[i].strip() != "```":
                body.append(lines[i])
                i += 1
            blocks.append((start, "\n".join(body) + "\n"))
        i += 1
    return blocks


API_BLOCKS = code_blocks(DOCS / "api.md", "python")


def test_api_doc_has_examples() -> None:
    assert len(API_BLOCKS) >= 6


@pytest.mark.parametrize("line,code", API_BLOCKS, ids=[f"api.md:{n}" for n, _ in API_BLOCKS])
def test_api_example_runs(line: int, code: str, tmp_path: Path) -> None:
    # TMPDIR: an example that makes a temporary folder (as a user's script would) leaves it in
    # the test's own folder, not in /tmp
    r = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                       timeout=300, env={**os.environ, "TMPDIR": str(tmp_path)})
    assert r.returncode == 0, f"docs/api.md:{line} failed:\n{r.stderr[-3000:]}"


def test_manpage_is_generated_from_the_parsers() -> None:
    r = subprocess.run([sys.executable, str(ROOT / "tools" / "gen_manpage.py"), "--check"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr


def test_manpage_renders_without_warnings() -> None:
    r = subprocess.run(["groff", "-man", "-ww", "-z", "-Tutf8", str(DOCS / "syscope.1")],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stderr == "", r.stderr
    r = subprocess.run(["man", "-l", str(DOCS / "syscope.1")], capture_output=True, text=True, timeout=60,
                       env={"MANPAGER": "cat", "PATH": "/usr/bin:/bin", "MANWIDTH": "80"})
    assert r.returncode == 0
    for sub in _subcommands_with_parsers():
        if sub != "trace":  # the tracer is the page's first section, "syscope [options] CMD"
            assert f"syscope {sub}" in r.stdout


def _subcommands_with_parsers() -> list[str]:
    from syscope.cli.main import SUBCOMMANDS

    found = []
    for sub, mod in SUBCOMMANDS.items():
        if (ROOT / "src" / "syscope" / "cli" / f"{mod}.py").exists():
            found.append(sub)
    return found


@pytest.mark.parametrize("sub", ["ps", "env", "fds", "report", "timeline"])
def test_subcommand_help_has_examples(sub: str) -> None:
    r = subprocess.run([sys.executable, "-m", "syscope", sub, "--help"], capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("usage: syscope " + sub)
    assert "examples:" in r.stdout and f"syscope {sub} " in r.stdout.split("examples:", 1)[1]
    assert max(len(line) for line in r.stdout.splitlines()) <= 80


def _slug(heading: str) -> str:
    # GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens.
    s = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return s.replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    return {_slug(m.group(1)) for m in re.finditer(r"^#+ (.*)$", path.read_text(), re.M)}


def _md_files() -> list[Path]:
    return [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]


@pytest.mark.parametrize("path", _md_files(), ids=lambda p: p.name)
def test_links_resolve(path: Path) -> None:
    text = path.read_text()
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"^[a-z]+:", target):
            continue  # external: not fetched, the test machine has no network
        file_part, _, anchor = target.partition("#")
        dest = (path.parent / file_part).resolve() if file_part else path
        assert dest.exists(), f"{path.name}: broken link {target}"
        if anchor and dest.suffix == ".md":
            assert anchor in _anchors(dest), f"{path.name}: no heading for #{anchor} in {dest.name}"


# README's tour is run command by command in test_tour.py.
