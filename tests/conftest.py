from functools import cache
from pathlib import Path

import pytest

from yusuan.read import read

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SEEDS = ("jinzhou-2026", "gaoyang-2023")
FORMATS = ("txt", "docx")


@cache
def load(seed: str, fmt: str):
    return read(EXAMPLES / f"{seed}.{fmt}")


@pytest.fixture(params=FORMATS)
def fmt(request):
    return request.param


@pytest.fixture
def jinzhou(fmt):
    return load("jinzhou-2026", fmt)


@pytest.fixture
def gaoyang(fmt):
    return load("gaoyang-2023", fmt)


def cli(*args, env: dict | None = None):
    """`yusuan ARGS` in process, as a user runs it: exit code, stdout and
    stderr apart. 200 columns unless a test asks for a terminal width."""
    from typer.testing import CliRunner

    from yusuan.cli import app

    return CliRunner(env={"COLUMNS": "200", **(env or {})}).invoke(app, [str(a) for a in args])
