"""Compile input that used to crash: each is now one line naming the file,
row and column, with status 2."""

import shutil

import pytest
from conftest import EXAMPLES, cli

SRC = EXAMPLES / "compile-example"


@pytest.fixture
def folder(tmp_path):
    dst = tmp_path / "in"
    shutil.copytree(SRC, dst)
    return dst


def _set(folder, column, value, row=1):
    path = folder / "支出明细.csv"
    lines = path.read_text(encoding="utf-8-sig").split("\n")
    header = lines[0].split(",")
    cells = lines[row].split(",")
    cells[header.index(column)] = value
    lines[row] = ",".join(cells)
    path.write_text("\n".join(lines), encoding="utf-8")


def test_an_amount_too_large_to_be_exact(folder, tmp_path):
    _set(folder, "AMOUNT", "1E+30")
    r = cli("compile", folder, "-o", tmp_path / "x.json")
    assert r.exit_code == 2
    assert "yusuan: 支出明细.csv, 第2行 AMOUNT: 金额过大：1E+30" in r.stderr.splitlines()


def test_a_field_longer_than_csv_allows(folder, tmp_path):
    _set(folder, "PRO_NAME", "长" * 140_000)
    r = cli("compile", folder, "-o", tmp_path / "x.json")
    assert r.exit_code == 2
    assert r.stderr.startswith("yusuan: 支出明细.csv, 第2行: 不是可读的 CSV")


def test_a_csv_that_is_a_folder(folder, tmp_path):
    (folder / "收入.csv").unlink()
    (folder / "收入.csv").mkdir()
    r = cli("compile", folder, "-o", tmp_path / "x.json")
    assert r.exit_code == 2
    assert r.stderr.strip() == "yusuan: 收入.csv: 不是文件（是文件夹或设备）"
