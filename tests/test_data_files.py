"""Every data file reads the same through libyaml as through the pure-Python
loader, so choosing the faster one changes no value anywhere."""

from importlib import resources

import pytest
import yaml

from yusuan.data_files import LOADER, data_file


def _names() -> list[str]:
    root = resources.files("yusuan.data")
    out = []

    def walk(node, prefix: str) -> None:
        for child in node.iterdir():
            if child.is_dir():
                walk(child, f"{prefix}{child.name}/")
            elif child.name.endswith((".yaml", ".yml")):
                out.append(prefix + child.name)
    walk(root, "")
    return sorted(out)


def test_there_are_data_files():
    assert "rules.yaml" in _names() and "forms/budget/tables.yaml" in _names()


@pytest.mark.skipif(not getattr(yaml, "__with_libyaml__", False), reason="PyYAML built without libyaml")
def test_libyaml_is_used_when_present():
    assert LOADER is yaml.CSafeLoader


@pytest.mark.parametrize("name", _names())
def test_both_loaders_read_the_same(name):
    pure = data_file(name, yaml.SafeLoader)
    fast = data_file(name)
    assert fast == pure
    assert repr(fast) == repr(pure)  # same types and key order, not only equal values


def test_the_cli_names_what_it_does_not_import():
    """cli.py lists these without importing the modules that define them
    (it would pay for the audit and the model at every start); they must
    stay the same lists."""
    from yusuan import cli, terminal
    from yusuan.audit.rulebook import SEVERITIES
    from yusuan.definitions import table_defs

    assert cli.SEVERITIES == SEVERITIES
    assert cli.EXTRA_VIEWS == terminal.EXTRA_VIEWS
    assert cli.table_ids() == list(table_defs())


def test_help_imports_no_model_reader_audit_or_writer():
    import subprocess
    import sys

    heavy = ("pydantic", "lxml", "yusuan.model", "yusuan.read", "yusuan.audit", "yusuan.write", "yusuan.store",
             "yusuan.terminal")
    code = ("import sys\nfrom yusuan.cli import app\n"
            "try:\n    app(['--help'])\nexcept SystemExit:\n    pass\n"
            f"print([m for m in {heavy!r} if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"
