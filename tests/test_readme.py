"""The README's tour runs exactly as written, and what it shows is what the
commands print."""

import glob
import os
import re
import shlex
from pathlib import Path

import pytest
from conftest import EXAMPLES, cli

README = EXAMPLES.parent / "README.md"
TOUR = ("## A short tour", "### Auditing", "### Writing and compiling")


def _section(text: str, heading: str) -> str:
    start = text.index(heading + "\n")
    nxt = re.search(r"^#{2,3} ", text[start + len(heading):], flags=re.MULTILINE)
    return text[start: start + len(heading) + (nxt.start() if nxt else len(text))]


def tour_commands() -> list[str]:
    text = README.read_text(encoding="utf-8")
    commands = []
    for heading in TOUR:
        for block in re.findall(r"```sh\n(.*?)```", _section(text, heading), flags=re.S):
            commands += [" ".join(shlex.split(line, comments=True)) for line in block.splitlines() if line.startswith("yusuan ")]
    return commands


def test_the_tour_has_every_command():
    commands = tour_commands()
    assert len(commands) >= 20
    verbs = {c.split()[1] for c in commands}
    assert verbs >= {"show", "parse", "schema", "check", "rules", "render", "compile", "template"}


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """A fresh folder with the examples in it, as after a clone."""
    d = tmp_path_factory.mktemp("tour")
    (d / "examples").symlink_to(EXAMPLES)
    return d


@pytest.mark.parametrize("command", tour_commands())
def test_tour_command_runs_as_written(command, workdir, monkeypatch):
    if " -o " in command and command.rstrip().endswith(".pdf") and not any(
            (Path(p) / "soffice").exists() for p in os.environ.get("PATH", "").split(os.pathsep)):
        pytest.skip("PDF output needs LibreOffice (scripts/install-system-deps)")
    monkeypatch.chdir(workdir)
    words = shlex.split(command)[1:]  # the comment was dropped when the tour was read
    redirect = None
    if ">" in words:
        at = words.index(">")
        words, redirect = words[:at], words[at + 1]
    args = []
    for w in words:
        args += sorted(glob.glob(w)) if any(ch in w for ch in "*?[") else [w]
    r = cli(*args)
    assert "Traceback" not in r.output
    expected = (0, 1) if words[0] == "check" else (0,)
    assert r.exit_code in expected, (command, r.stderr)
    if redirect:
        Path(redirect).write_text(r.stdout, encoding="utf-8")
        assert Path(redirect).stat().st_size > 0
    if "-o" in words:
        out = Path(words[words.index("-o") + 1])
        assert out.stat().st_size > 0, command
    elif words[0] == "template":
        assert (Path(words[1]) / "budget.xlsx").exists()
    elif not redirect:
        assert r.stdout.strip(), command


def test_the_sample_check_output_is_what_check_prints(workdir, monkeypatch):
    text = _section(README.read_text(encoding="utf-8"), "### Auditing")
    sample = re.findall(r"```\n(examples/jinzhou-2026\.txt.*?)```", text, flags=re.S)[0].splitlines()
    monkeypatch.chdir(workdir)
    printed = cli("check", "examples/jinzhou-2026.txt", env={"COLUMNS": "80"}).stdout.splitlines()
    shown = [line for line in sample if line.strip() != "…"]
    assert shown[:5] == printed[:5]
    assert shown[-2:] == printed[-2:]
