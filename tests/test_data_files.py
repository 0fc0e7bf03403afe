"""Every data file reads the same through libyaml and through the cache as
through the pure-Python loader, so choosing the faster way changes no value
anywhere."""

from importlib import resources

import pytest
import yaml

from yusuan import data_files
from yusuan.data_files import data_file, parse


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
    assert data_files._loader() is yaml.CSafeLoader


@pytest.mark.parametrize("name", _names())
def test_every_way_reads_the_same(name, tmp_path, monkeypatch):
    text = resources.files("yusuan.data").joinpath(name).read_text(encoding="utf-8")
    pure = parse(text, yaml.SafeLoader)
    monkeypatch.setenv("YUSUAN_CACHE_DIR", str(tmp_path))
    data_files.cache.folder.cache_clear()
    try:
        first = data_file(name)  # parsed, and written to the empty cache
        again = data_file(name)  # from the cache when marshal can hold it
    finally:
        data_files.cache.folder.cache_clear()
    for value in (first, again):
        assert value == pure
        assert repr(value) == repr(pure)  # same types and key order, not only equal values


def test_a_damaged_cache_entry_is_read_again(tmp_path, monkeypatch):
    monkeypatch.setenv("YUSUAN_CACHE_DIR", str(tmp_path))
    data_files.cache.folder.cache_clear()
    try:
        data_file("limits.yaml")
        (entry,) = [p for p in tmp_path.iterdir()]
        entry.write_bytes(b"\x00garbage")
        value = data_file("limits.yaml")
        assert entry.read_bytes() != b"\x00garbage"  # rewritten whole
    finally:
        data_files.cache.folder.cache_clear()
    assert value == parse(resources.files("yusuan.data").joinpath("limits.yaml").read_text(encoding="utf-8"))


def test_an_unwritable_cache_costs_nothing_but_time(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("YUSUAN_CACHE_DIR", str(blocker / "yusuan"))
    data_files.cache.folder.cache_clear()
    try:
        assert data_file("rules.yaml") == parse(
            resources.files("yusuan.data").joinpath("rules.yaml").read_text(encoding="utf-8"), yaml.SafeLoader)
    finally:
        data_files.cache.folder.cache_clear()


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
