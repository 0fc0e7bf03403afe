"""`yusuan ingest` and `yusuan export` as a bureau runs them."""

import csv
import io
import sqlite3

from conftest import EXAMPLES, cli


def test_ingest_twice_then_export(tmp_path):
    db = tmp_path / "y.db"
    url = f"sqlite:///{db}"
    r = cli("ingest", EXAMPLES / "jinzhou-2026.txt", EXAMPLES / "gaoyang-2023.txt", "--db", url, "-j", "1")
    assert r.exit_code == 0, r.output
    assert "新存入 2 份（已在库中 0 份）：正常 2，无法读取 0，内部错误 0" in r.stderr
    r = cli("ingest", EXAMPLES / "jinzhou-2026.txt", EXAMPLES / "gaoyang-2023.txt", "--db", url, "-j", "1")
    assert "新存入 0 份（已在库中 2 份）" in r.stderr
    with sqlite3.connect(db) as c:
        assert c.execute("select count(*) from documents").fetchone() == (2,)
        assert c.execute("select count(*) from findings f join documents d on d.id = f.document_id "
                         "where d.department = '晋州市医疗保障局' and f.rule = 'T05'").fetchone() == (3,)
    out = tmp_path / "cells.csv"
    r = cli("export", "--db", url, "--year", "2023", "-o", out)
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert {r["department"] for r in rows} == {"高阳县医疗保障局"}
    cell = next(r for r in rows if r["table"] == "general_basic" and r["code"] == "31002" and r["column"] == "公用经费")
    assert (cell["item"], cell["value"], cell["unit"], cell["value_yuan"]) == ("办公设备购置", "3.00", "万元", "30000.00")


def test_ingest_reports_what_it_could_not_read(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_text("")
    r = cli("ingest", bad, EXAMPLES / "gaoyang-2023.txt", "--db", f"sqlite:///{tmp_path / 'y.db'}", "-j", "1")
    assert r.exit_code == 2
    assert "正常 1，无法读取 1" in r.stderr
    with sqlite3.connect(tmp_path / "y.db") as c:
        assert c.execute("select status, message from documents where file_name = 'empty.txt'").fetchone() == (
            "unreadable", "文件是空的")


def test_export_formats_by_suffix_or_flag_and_a_package_folder(tmp_path):
    import json
    import shutil

    import openpyxl
    import pytest

    url = f"sqlite:///{tmp_path / 'y.db'}"
    assert cli("ingest", EXAMPLES / "gaoyang-2023.txt", "--db", url, "-j", "1").exit_code == 0
    r = cli("export", "--db", url, "-o", tmp_path / "cells.xlsx")
    assert r.exit_code == 0, r.output
    ws = openpyxl.load_workbook(tmp_path / "cells.xlsx", read_only=True).worksheets[0]
    header, *rows = ws.iter_rows(values_only=True)
    row = next(dict(zip(header, r)) for r in rows if dict(zip(header, r))["code"] == "31002"
               and dict(zip(header, r))["column"] == "公用经费")
    assert (row["item"], row["value"], row["value_yuan"]) == ("办公设备购置", 3, 30000)

    r = cli("export", "--db", url, "-o", tmp_path / "cells.txt")
    assert r.exit_code == 2 and "--format" in r.stderr and "cells.txt" in r.stderr

    pkg = tmp_path / "pkg"
    r = cli("export", "--db", url, "-f", "fdp", "-o", pkg)
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in pkg.iterdir()) == ["cells.csv", "datapackage.json"]
    descriptor = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["profile"] == "fiscal-data-package"
    # someone's package (a copy: this process did not write it) is kept
    theirs = tmp_path / "theirs"
    shutil.copytree(pkg, theirs)
    before = (theirs / "cells.csv").read_bytes()
    r = cli("export", "--db", url, "-f", "fdp", "-o", theirs, "--year", "2099")
    assert r.exit_code == 2 and "--force" in r.stderr
    assert (theirs / "cells.csv").read_bytes() == before
    (tmp_path / "afile").write_text("mine")
    r = cli("export", "--db", url, "-f", "fdp", "-o", tmp_path / "afile")
    assert r.exit_code == 2 and (tmp_path / "afile").read_text() == "mine"

    pytest.importorskip("pyarrow")
    r = cli("export", "--db", url, "-o", tmp_path / "cells.parquet")
    assert r.exit_code == 0, r.output


def test_report_one_row_per_document_and_refusals(tmp_path):
    import openpyxl

    url = f"sqlite:///{tmp_path / 'y.db'}"
    (bad := tmp_path / "empty.txt").write_text("")
    cli("ingest", EXAMPLES / "jinzhou-2026.txt", bad, "--db", url, "-j", "1")
    r = cli("report", "--db", url, "-o", tmp_path / "summary.xlsx")
    assert r.exit_code == 0, r.output
    assert "（2 份文件，" in r.stderr
    ws = openpyxl.load_workbook(tmp_path / "summary.xlsx").worksheets[0]
    text = [" ".join(str(v) for v in row if v is not None) for row in ws.iter_rows(values_only=True)]
    assert any("晋州市医疗保障局" in t and "2026" in t for t in text)
    assert any("empty.txt" in t and "文件是空的" in t for t in text)

    r = cli("report", "--db", url, "-o", tmp_path / "summary.pdf")
    assert r.exit_code == 2 and ".xlsx / .docx" in r.stderr
    r = cli("report", "--db", f"sqlite:///{tmp_path / 'typo.db'}", "-o", tmp_path / "s.docx")
    assert r.exit_code == 2 and "数据库文件不存在" in r.stderr and not (tmp_path / "typo.db").exists()


def test_export_never_writes_over_its_database(tmp_path):
    db = tmp_path / "y.db"
    url = f"sqlite:///{db}"
    assert cli("ingest", EXAMPLES / "gaoyang-2023.txt", "--db", url, "-j", "1").exit_code == 0
    before = db.read_bytes()
    r = cli("export", "--db", url, "-f", "csv", "-o", db, "--force")
    assert r.exit_code == 2 and "y.db" in r.stderr
    assert db.read_bytes() == before
    r = cli("export", "--db", "not a url", "-o", tmp_path / "c.csv")
    assert r.exit_code == 2 and "不是有效的数据库地址" in r.stderr
