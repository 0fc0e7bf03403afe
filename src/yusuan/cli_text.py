"""The command line's words in the user's language, from data/cli.yaml.

Chinese by default, for the finance officers who use yusuan; English when
YUSUAN_LANG=en. The system locale is not consulted: servers run in en_US
or C, and an officer's report should not change language with the machine."""

from __future__ import annotations

import importlib.util
import os
import sys
from functools import cache

from .definitions import _load

LANGS = ("zh", "en")


def lang() -> str:
    chosen = os.environ.get("YUSUAN_LANG", "").lower()[:2]
    return chosen if chosen in LANGS else "zh"


def _check(entry, where: str) -> None:
    if not isinstance(entry, dict) or set(entry) != set(LANGS) or not all(isinstance(v, str) for v in entry.values()):
        raise ValueError(f"data/cli.yaml: {where} must give exactly zh and en texts, got {entry!r}")


@cache
def _words() -> dict:
    data = _load("cli.yaml")
    _check(data["app"], "app")
    for name, p in data["params"].items():
        for field in ("help", "metavar"):
            if field in p:
                _check(p[field], f"params.{name}.{field}")
    for cmd, c in data["commands"].items():
        _check(c["help"], f"commands.{cmd}.help")
        for name, p in (c.get("params") or {}).items():
            for field in ("help", "metavar"):
                if field in p:
                    _check(p[field], f"commands.{cmd}.params.{name}.{field}")
    for key, m in data["messages"].items():
        _check(m, f"messages.{key}")
    for key, m in data["typer"].items():
        _check(m, f"typer.{key}")
    for key, m in data["read"].items():
        _check(m, f"read.{key}")
    return data


def app_help() -> str:
    return _words()["app"][lang()]


def command_help(command: str) -> str:
    return _words()["commands"][command]["help"][lang()]


def _param(command: str, name: str, field: str) -> str | None:
    words = _words()
    own = (words["commands"].get(command, {}).get("params") or {}).get(name, {})
    entry = own.get(field) or words["params"].get(name, {}).get(field)
    return entry[lang()] if entry else None


def param_help(command: str, name: str, **values) -> str | None:
    text = _param(command, name, "help")
    return text.format(**values) if text and values else text


def metavar(command: str, name: str) -> str | None:
    return _param(command, name, "metavar")


def say(key: str, **values) -> str:
    return _words()["messages"][key][lang()].format(**values)


def typer_words() -> dict[str, str]:
    """Typer's help-screen constants (panel titles, [default: …]) in the
    user's language."""
    return {k: v[lang()] for k, v in _words()["typer"].items()}


def read_message(key: str, **values) -> str:
    """Why a file cannot be read, in the user's language."""
    return _words()["read"][key][lang()].format(**values)


def _without_python_types(original):
    """Typer's help shows a parameter's Python type (`<list[Path]>`,
    `<bool>`) beside its name; a user needs the name (the metavar) only."""
    import typer.core

    def display(self, ctx):
        if isinstance(self, typer.core.TyperArgument) or getattr(self, "is_flag", False):
            return None
        return original(self, ctx)
    return display


def _help_in_words(original):
    """--help's own line is fixed English inside Typer; say it in ours."""
    def get_help_option(self, ctx):
        option = original(self, ctx)
        if option is not None:
            option.help = param_help("", "help")
        return option
    return get_help_option


class _WhenImported:
    """Runs `then(module)` once the module is imported, by whoever imports it.
    Typer imports its rich_utils (and rich's markdown with it) only to draw
    a help screen or an error; importing it ourselves to set its words would
    make every command pay for that."""

    def __init__(self, name: str, then) -> None:
        self.name, self.then = name, then

    def find_spec(self, fullname, path=None, target=None):
        if fullname != self.name:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(fullname)
        if spec is None or spec.loader is None:
            return spec
        original, then = spec.loader.exec_module, self.then

        def exec_module(module):
            original(module)
            then(module)
        spec.loader.exec_module = exec_module
        return spec


def _words_into(rich_utils) -> None:
    for name, words in typer_words().items():
        setattr(rich_utils, name, words)


def speak_through_typer() -> None:
    """Typer's help screens in the user's language: its panel titles and
    [default: …] (module constants it reads when it draws a help screen),
    the --help line, and no Python types beside the metavars."""
    import typer.core

    if "typer.rich_utils" in sys.modules:
        _words_into(sys.modules["typer.rich_utils"])
    elif not any(isinstance(f, _WhenImported) for f in sys.meta_path):
        sys.meta_path.insert(0, _WhenImported("typer.rich_utils", _words_into))
    for cls in (typer.core.TyperArgument, typer.core.TyperOption):
        cls.display_type_rich = _without_python_types(cls.display_type_rich)
    for cls in (typer.core.TyperCommand, typer.core.TyperGroup):
        cls.get_help_option = _help_in_words(cls.get_help_option)
