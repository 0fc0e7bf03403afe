"""The one way yusuan parses a YAML file of its own (`yusuan/data`).

libyaml's loader when PyYAML was built with it: it reads the same files
into the same values about ten times faster than the pure-Python one,
which every command pays for at start-up. Callers keep the result in
their own `functools.cache`, as each checks and shapes it once; the
parsed dict is not cached here, so no caller can change another's copy."""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse(text: str, loader: type = LOADER) -> Any:
    return yaml.load(text, Loader=loader)


def data_file(name: str, loader: type = LOADER) -> Any:
    """A file under yusuan/data by its path there (`forms/budget/tables.yaml`)."""
    return parse(resources.files("yusuan.data").joinpath(name).read_text(encoding="utf-8"), loader)
