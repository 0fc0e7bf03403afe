"""Exports of the stored cells as a workbook, a Parquet file and a Fiscal
Data Package, read back with the tools an analyst opens them with."""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from yusuan.store import ingest
from yusuan.store.export import EXPORT_HEADER, WIDE_HEADER, MissingExtra, StoredCell, export_cells

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
FOUR = sorted([*EXAMPLES.glob("*.txt"), *EXAMPLES.glob("*.docx")])

JINZHOU = {"department": "晋州市医疗保障局", "year": 2026, "kind": "budget", "unit": "万元", "table": "income",
           "code": "21015", "item": "医疗保障管理事务", "column": "合计", "file": "jinzhou-2026.txt"}
# a row of the basic-expenditure table, whose codes are economic
GAOYANG = {"department": "高阳县医疗保障局", "year": 2023, "table": "general_basic", "code": "31002",
           "item": "办公设备购置", "column": "公用经费", "file": "gaoyang-2023.txt"}


def _url(db: Path) -> str:
    return f"sqlite:///{db}"


@pytest.fixture(scope="module")
def stored(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("export") / "yusuan.db"
    summary = ingest(FOUR, url=_url(db), workers=1)
    assert (summary.stored, summary.ok) == (4, 4)
    return db


@pytest.fixture(scope="module")
def csv_rows(stored, tmp_path_factory) -> list[dict]:
    out = tmp_path_factory.mktemp("csv") / "cells.csv"
    export_cells(_url(stored), "csv", out)
    return list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))


def _one(rows: list[dict], **where) -> dict:
    found = [r for r in rows if all(r[k] == v for k, v in where.items())]
    assert len(found) == 1, found
    return found[0]


def _sheet_rows(path: Path) -> tuple[list[str], list[tuple[str, list[tuple]]]]:
    from openpyxl import load_workbook
    wb = load_workbook(path, read_only=True)
    sheets = []
    for ws in wb.worksheets:
        rows = list(ws.iter_rows(values_only=True))
        sheets.append((ws.title, rows))
    wb.close()
    return wb.sheetnames, sheets


# xlsx


def test_xlsx_holds_the_csv_with_numbers_as_numbers(stored, csv_rows, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "cells.xlsx"
    n = export_cells(_url(stored), "xlsx", out)
    assert n == len(csv_rows) > 0
    wb = load_workbook(out)
    assert wb.sheetnames == ["cells"]
    ws = wb["cells"]
    assert ws.freeze_panes == "A2"
    # Chinese names want room: the item column is the widest
    assert ws.column_dimensions["G"].width == 40
    header = [c.value for c in ws[1]]
    assert tuple(header) == WIDE_HEADER
    rows = [dict(zip(header, (c for c in r))) for r in ws.iter_rows(min_row=2)]
    assert len(rows) == n
    cell = next(r for r in rows if all(r[k].value == v for k, v in JINZHOU.items()))
    assert cell["value"].data_type == "n" and Decimal(str(cell["value"].value)) == Decimal("638.20")
    assert cell["value_yuan"].value == 6382000
    assert cell["value"].number_format == cell["value_yuan"].number_format == "#,##0.00"
    assert isinstance(cell["year"].value, int)
    assert cell["column_key"].value == "total"
    # every line as the csv has it: text the same, amounts the same numbers
    for want, got in zip(csv_rows, rows):
        for name in EXPORT_HEADER:
            v = got[name].value
            if name in ("value", "value_yuan"):
                assert (v is None and want[name] == "") or Decimal(str(v)) == Decimal(want[name]), (name, want)
            else:
                assert ("" if v is None else str(v)) == want[name], (name, want)
    # a count (资产 数量) is in no unit and has no yuan value
    assert all((r["unit"].value is None) == (r["value_yuan"].value is None) for r in rows)


def test_xlsx_goes_on_to_another_sheet_at_the_row_limit(stored, csv_rows, tmp_path, monkeypatch):
    import yusuan.store.formats as formats

    monkeypatch.setattr(formats, "XLSX_MAX_ROWS", 100)
    out = tmp_path / "cells.xlsx"
    n = export_cells(_url(stored), "xlsx", out)
    names, sheets = _sheet_rows(out)
    pages = -(-n // 99)
    assert names == ["cells", *(f"cells-{i}" for i in range(2, pages + 1))]
    assert all(len(rows) <= 100 and rows[0] == WIDE_HEADER for _, rows in sheets)
    data = [r for _, rows in sheets for r in rows[1:]]
    assert len(data) == n == len(csv_rows)
    # nothing lost or reordered at the seams
    file_at = WIDE_HEADER.index("file")
    item_at = WIDE_HEADER.index("item")
    assert [(r[item_at] or "", r[file_at]) for r in data] == [(r["item"], r["file"]) for r in csv_rows]


def test_xlsx_in_pandas(stored, tmp_path):
    pd = pytest.importorskip("pandas")
    out = tmp_path / "cells.xlsx"
    export_cells(_url(stored), "xlsx", out, department="晋州市医疗保障局")
    frame = pd.read_excel(out, sheet_name="cells", dtype={"code": str})
    picked = frame[(frame["table"] == "income") & (frame["code"] == "21015") & (frame["column"] == "合计")]
    assert list(picked["value_yuan"]) == [6382000, 6382000]  # the .txt and the .docx
    assert picked["value"].dtype.kind == "f"


def test_xlsx_keeps_text_that_looks_like_a_formula_as_text(tmp_path):
    from yusuan.store.formats import write_xlsx

    cells = [StoredCell("=HYPERLINK(\"http://x\")", "department", 2026, "budget", "元", "income", "2010101",
                        "行政\x07运行", "-合计", "total", "12.345678", Decimal("12.345678"), "a.txt")]
    out = tmp_path / "x.xlsx"
    assert write_xlsx(iter(cells), out) == 1
    _, [(_, rows)] = _sheet_rows(out)
    row = dict(zip(WIDE_HEADER, rows[1]))
    assert row["department"] == "=HYPERLINK(\"http://x\")"
    assert row["item"] == "行政运行"
    assert row["column"] == "-合计"
    from openpyxl import load_workbook
    ws = load_workbook(out)["cells"]
    assert ws["A2"].data_type == "s"
    amount = ws.cell(2, WIDE_HEADER.index("value_yuan") + 1)
    assert amount.number_format == "#,##0.000000" and Decimal(str(amount.value)) == Decimal("12.345678")


# parquet


def test_parquet_has_exact_decimals(stored, csv_rows, tmp_path, monkeypatch):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    import yusuan.store.formats as formats

    # small batches: the file is written as the cells stream, a row group each
    monkeypatch.setattr(formats, "PARQUET_BATCH", 100)
    out = tmp_path / "cells.parquet"
    n = export_cells(_url(stored), "parquet", out)
    assert n == len(csv_rows)
    assert pq.ParquetFile(out).metadata.num_row_groups == -(-n // 100)
    table = pq.read_table(out)
    assert table.schema.field("value_yuan").type == pa.decimal128(24, 4)
    assert table.schema.field("value").type == pa.string()
    assert table.schema.field("year").type == pa.int32()
    rows = table.to_pylist()
    assert len(rows) == n
    cell = _one(rows, **JINZHOU)
    assert cell["value"] == "638.20"
    assert cell["value_decimal"] == Decimal("638.20")
    assert cell["value_yuan"] == Decimal("6382000.00")
    assert cell["column_key"] == "total"
    for want, got in zip(csv_rows, rows):
        assert got["value"] == want["value"] and got["item"] == want["item"]
        assert (got["value_yuan"] is None) == (want["value_yuan"] == "")
        if got["value_yuan"] is not None:
            assert got["value_yuan"] == Decimal(want["value_yuan"])


def test_parquet_in_pandas(stored, tmp_path):
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    out = tmp_path / "cells.parquet"
    export_cells(_url(stored), "parquet", out, year=2026)
    frame = pd.read_parquet(out)
    assert set(frame["department"]) == {"晋州市医疗保障局"}
    picked = frame[(frame["table"] == "income") & (frame["code"] == "21015") & (frame["column"] == "合计")]
    assert set(picked["value_yuan"]) == {Decimal("6382000.00")}


def test_parquet_without_pyarrow_names_the_extra(stored, tmp_path, monkeypatch):
    import sys
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    out = tmp_path / "cells.parquet"
    with pytest.raises(MissingExtra, match=r"pip install 'yusuan\[parquet\]'"):
        export_cells(_url(stored), "parquet", out)
    assert not out.exists()


def test_filters_pick_the_documents(stored, csv_rows, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "gaoyang.parquet"
    n = export_cells(_url(stored), "parquet", out, year=2023)
    rows = pq.read_table(out).to_pylist()
    assert n == len(rows) == sum(r["year"] == "2023" for r in csv_rows) > 0
    assert {r["department"] for r in rows} == {"高阳县医疗保障局"}

    out = tmp_path / "jinzhou.xlsx"
    n = export_cells(_url(stored), "xlsx", out, kind="budget", department="晋州市医疗保障局")
    _, [(_, sheet)] = _sheet_rows(out)
    assert n == len(sheet) - 1 == sum(r["department"] == "晋州市医疗保障局" for r in csv_rows) > 0
    assert {r[0] for r in sheet[1:]} == {"晋州市医疗保障局"}

    assert export_cells(_url(stored), "xlsx", tmp_path / "none.xlsx", kind="final_accounts") == 0
    assert export_cells(_url(stored), "parquet", tmp_path / "none.parquet", year=1999) == 0
    assert pq.read_table(tmp_path / "none.parquet").num_rows == 0


# Fiscal Data Package


def _check_descriptor(dp: dict) -> None:
    """The structure the fiscal-data-package profile asks for (Tabular Data
    Package with a model), checked without a JSON Schema library."""
    assert dp["profile"] == "fiscal-data-package"
    for key in ("name", "title", "resources", "model"):
        assert dp[key]
    assert dp["countryCode"] == "CN"
    names = set()
    for r in dp["resources"]:
        assert {"name", "path", "schema", "profile"} <= set(r)
        assert all(c in "abcdefghijklmnopqrstuvwxyz0123456789-._/" for c in r["name"])
        assert r["schema"]["fields"] and all({"name", "type"} <= set(f) for f in r["schema"]["fields"])
        names.add(r["name"])
    fields = {r["name"]: {f["name"] for f in r["schema"]["fields"]} for r in dp["resources"]}
    first = dp["resources"][0]["name"]
    model = dp["model"]
    assert model["measures"] and model["dimensions"]
    for m in model["measures"].values():
        assert m["source"] in fields[m.get("resource", first)]
        assert len(m["currency"]) == 3 and m["currency"].isupper()
        assert m.get("phase", "approved") in ("proposed", "approved", "adjusted", "executed")
    for d in model["dimensions"].values():
        attributes = d["attributes"]
        assert attributes
        for a in attributes.values():
            assert a["source"] in fields[a.get("resource", first)]
            assert a.get("labelfor", next(iter(attributes))) in attributes
        keys = [d["primaryKey"]] if isinstance(d["primaryKey"], str) else d["primaryKey"]
        assert keys and set(keys) <= set(attributes)
        assert d.get("dimensionType", "other") in ("datetime", "entity", "classification", "activity", "fact",
                                                   "location", "other")
        assert d.get("classificationType", "functional") in ("functional", "administrative", "economic")


def _fdp(folder: Path) -> tuple[dict, list[dict]]:
    dp = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    path = folder / dp["resources"][0]["path"]
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    return dp, rows


def test_fdp_package(stored, csv_rows, tmp_path):
    out = tmp_path / "package"
    n = export_cells(_url(stored), "fdp", out)
    assert sorted(p.name for p in out.iterdir()) == ["cells.csv", "datapackage.json"]
    dp, rows = _fdp(out)
    _check_descriptor(dp)
    assert n == len(rows) == sum(r["value_yuan"] != "" for r in csv_rows) < len(csv_rows)
    assert [f["name"] for f in dp["resources"][0]["schema"]["fields"]] == list(rows[0])

    model = dp["model"]
    assert model["measures"]["amount"] == {"source": "amount", "resource": "cells", "currency": "CNY", "factor": 1,
                                           "phase": "approved"}
    dims = model["dimensions"]
    assert dims["functional_classification"]["classificationType"] == "functional"
    assert dims["functional_classification"]["attributes"]["code"]["source"] == "functional_code"
    assert dims["economic_classification"]["classificationType"] == "economic"
    assert dims["department"]["classificationType"] == "administrative"
    assert set(dims["department"]["attributes"]) == {"name", "scope"}
    assert dims["fiscal_period"]["attributes"]["year"]["source"] == "year"
    assert dims["phase"]["attributes"]["phase"]["source"] == "phase"
    assert dp["fiscalPeriod"] == {"start": "2023-01-01", "end": "2026-12-31"}

    jinzhou = {k: str(v) for k, v in JINZHOU.items() if k != "kind"}
    cell = _one(rows, **jinzhou)
    assert (cell["phase"], cell["kind"], cell["scope"]) == ("approved", "budget", "department")
    assert (cell["functional_code"], cell["functional_name"]) == ("21015", "医疗保障管理事务")
    assert (cell["economic_code"], cell["economic_name"]) == ("", "")
    assert (cell["value"], cell["amount"]) == ("638.20", "6382000.00")
    basic = _one(rows, **{k: str(v) for k, v in GAOYANG.items()})
    assert (basic["economic_code"], basic["economic_name"], basic["functional_code"]) == ("31002", "办公设备购置", "")
    assert (basic["value"], basic["amount"]) == ("3.00", "30000.00")
    # the summary's rows carry no code: neither classification
    assert all(r["functional_code"] == r["economic_code"] == "" for r in rows if r["table"] == "summary")
    assert all(r["amount"] != "" and r["unit"] in ("万元", "元") for r in rows)


def test_fdp_in_pandas(stored, tmp_path):
    pd = pytest.importorskip("pandas")
    out = tmp_path / "package"
    export_cells(_url(stored), "fdp", out, department="晋州市医疗保障局")
    frame = pd.read_csv(out / "cells.csv", dtype=str)
    assert list(frame.columns)[0] == "department"
    assert set(frame["department"]) == {"晋州市医疗保障局"}


def test_fdp_phase_of_final_accounts(stored, tmp_path):
    db = tmp_path / "mixed.db"
    shutil.copy(stored, db)
    with sqlite3.connect(db) as con:
        con.execute("update documents set kind = 'final_accounts' where department = '高阳县医疗保障局'")
    out = tmp_path / "both"
    export_cells(_url(db), "fdp", out)
    dp, rows = _fdp(out)
    _check_descriptor(dp)
    assert {(r["department"], r["phase"]) for r in rows} == {("高阳县医疗保障局", "executed"),
                                                             ("晋州市医疗保障局", "approved")}
    # two phases in one measure column: the phase dimension tells them apart
    assert "phase" not in dp["model"]["measures"]["amount"]

    only = tmp_path / "final"
    export_cells(_url(db), "fdp", only, kind="final_accounts")
    dp, rows = _fdp(only)
    assert dp["model"]["measures"]["amount"]["phase"] == "executed"
    assert {r["department"] for r in rows} == {"高阳县医疗保障局"}


def test_fdp_folder_must_be_new_or_empty(stored, tmp_path):
    out = tmp_path / "package"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    with pytest.raises(FileExistsError, match="not empty"):
        export_cells(_url(stored), "fdp", out, year=2023)
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]
    n = export_cells(_url(stored), "fdp", out, year=2023, force=True)
    assert n > 0 and (out / "notes.txt").read_text() == "mine"
    assert len(_fdp(out)[1]) == n

    a_file = tmp_path / "file"
    a_file.write_text("")
    with pytest.raises(FileExistsError, match="is a file"):
        export_cells(_url(stored), "fdp", a_file)

    empty = tmp_path / "empty"
    empty.mkdir()
    assert export_cells(_url(stored), "fdp", empty, year=1999) == 0
    dp, rows = _fdp(empty)
    _check_descriptor(dp)
    assert rows == [] and "fiscalPeriod" not in dp and "phase" not in dp["model"]["measures"]["amount"]


def test_unknown_format(stored, tmp_path):
    with pytest.raises(ValueError, match="xlsx"):
        export_cells(_url(stored), "xml", tmp_path / "x.xml")


def test_fdp_against_the_frictionless_profile(stored, tmp_path):
    """The JSON Schema of the fiscal-data-package profile as the Python
    `datapackage` library ships it, where that and jsonschema are installed
    (neither is a dependency of yusuan)."""
    import importlib.util

    jsonschema = pytest.importorskip("jsonschema")
    spec = importlib.util.find_spec("datapackage")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("the datapackage library (its profiles) is not installed")
    profile = Path(next(iter(spec.submodule_search_locations))) / "profiles" / "fiscal-data-package.json"
    out = tmp_path / "package"
    export_cells(_url(stored), "fdp", out)
    dp = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    errors = list(jsonschema.Draft4Validator(json.loads(profile.read_text(encoding="utf-8"))).iter_errors(dp))
    # that copy inlines the Tabular Data Package schema with its `profile`
    # enum (only "tabular-data-package"), so no descriptor naming the
    # registry's own id "fiscal-data-package" could pass it; everything
    # else must
    assert [(list(e.path), e.validator) for e in errors if list(e.path) != ["profile"]] == []


def test_fdp_data_read_by_frictionless(stored, tmp_path):
    """The CSV against its own Table Schema, by the Frictionless library
    where installed (not a dependency). Only the resource: validating the
    package fetches the profile from the web."""
    frictionless = pytest.importorskip("frictionless")
    out = tmp_path / "package"
    n = export_cells(_url(stored), "fdp", out)
    dp = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    resource = frictionless.Resource(dp["resources"][0], basepath=str(out))
    report = resource.validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "message"])
    rows = resource.read_rows()
    assert len(rows) == n
    cell = next(r for r in rows if r["file"] == "jinzhou-2026.txt" and r["table"] == "income"
                and r["code"] == "21015" and r["column"] == "合计")
    assert (cell["department"], cell["year"], cell["amount"]) == ("晋州市医疗保障局", 2026, Decimal("6382000.00"))
