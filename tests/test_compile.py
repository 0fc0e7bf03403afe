"""Compiling a disclosure from budget line items."""

import csv
import io
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import EXAMPLES
from openpyxl import Workbook

from yusuan.audit import audit
from yusuan.compile import CompileError, compile_dir
from yusuan.read import read_bytes
from yusuan.write.render import render

D = Decimal
EXAMPLE = EXAMPLES / "compile-example"


@pytest.fixture(scope="module")
def compiled():
    return compile_dir(EXAMPLE)


def test_example_audits_clean(compiled):
    assert audit(compiled) == []


def test_example_figures(compiled):
    t = compiled.tables
    total = t["expenditure"].rows[0].amounts
    assert (total["total"], total["basic"], total["project"]) == (D("1053.51"), D("580.01"), D("473.50"))
    assert {r.code[:3] for r in t["expenditure"].rows if r.code} == {"208", "210", "221", "229"}
    assert t["fund_expenditure"].rows[0].amounts["total"] == D("50.00")
    assert t["soe_expenditure"].rows == [] and t["soe_expenditure"].notes[0].text == "注：无国有资本经营预算财政拨款预算，空表列示。"
    basic = t["general_basic"].rows[0].amounts
    assert (basic["total"], basic["personnel"], basic["public"]) == (D("580.01"), D("526.80"), D("53.21"))
    three = {r.name: r.amounts["total"] for r in t["three_public"].rows}
    assert (three["“三公”经费小计"], three["公务用车运行维护费"], three["三、公务接待费"]) == (D("9.00"), D("7.80"), D("1.20"))
    assert sum(p.budget for p in compiled.projects) == D("473.50")
    assert [len(p.indicators) for p in compiled.projects] == [6, 5, 5, 4, 4, 4]
    assert compiled.procurement.rows[0].amounts["total"] == D("7.94")
    assert compiled.assets.rows[0].amounts["value"] == D("1110.65")
    assert [i.name for i in compiled.institutions][1:] == ["示例县疾病预防控制中心", "示例县卫生健康综合监督执法所"]


def test_example_text_is_generated_from_the_tables(compiled):
    ex = compiled.explanation
    three = ex.section("three_public").paragraphs[0].text
    assert "预算安排9.00万元" in three and "与2025年相比减少0.50万元，主要原因是厉行节约" in three
    change = ex.section("overview").paragraphs[-1].text
    assert change.startswith("2026年预算收支安排1053.51万元，较2025年预算增加67.51万元，其中：基本支出增加28.81万元")
    assert "拟购置固定资产总额为7.40万元" in ex.section("assets").paragraphs[0].text


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_example_reads_back_from_what_it_writes(compiled, fmt):
    back = read_bytes(render(compiled, fmt), f"x.{fmt}")
    want = {k: v for k, v in compiled.content().items() if k != "previous"}
    assert {k: v for k, v in back.content().items() if k != "previous"} == want
    assert audit(back) == []


def _copy_as_workbook(tmp_path: Path) -> Path:
    """The example's CSV sheets as one budget.xlsx (a template filled in)."""
    out = tmp_path / "wb"
    out.mkdir()
    shutil.copy(EXAMPLE / "disclosure.yaml", out)
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in ("支出明细", "收入", "上年"):
        ws = wb.create_sheet(sheet)
        for row in csv.reader(io.StringIO((EXAMPLE / f"{sheet}.csv").read_text(encoding="utf-8"))):
            ws.append(row)
    wb.save(out / "budget.xlsx")
    return out


def test_workbook_input_equals_csv_input(compiled, tmp_path):
    assert compile_dir(_copy_as_workbook(tmp_path)).content() == compiled.content()


def _variant(tmp_path: Path, sheet: str, edit) -> Path:
    out = tmp_path / "v"
    shutil.copytree(EXAMPLE, out)
    path = out / f"{sheet}.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    edit(rows)
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return out


def test_leaves_are_rounded_then_added(tmp_path):
    def two_small(rows):
        header = rows[0]
        base = rows[1]
        del rows[1:]
        for eco in ("30201", "30207"):
            r = list(base)
            r[header.index("DEP_BGT_ECO_CODE")] = eco
            r[header.index("AMOUNT")] = "12345.00"  # 1.2345 万元 → 1.23 each
            rows.append(r)

    d_dir = _variant(tmp_path, "支出明细", two_small)
    (d_dir / "收入.csv").write_text("SOURCE,AMOUNT\n一般公共预算拨款收入,24690.00\n", encoding="utf-8")
    (d_dir / "disclosure.yaml").write_text(
        (EXAMPLE / "disclosure.yaml").read_text(encoding="utf-8").split("\nprojects:")[0], encoding="utf-8")
    (d_dir / "上年.csv").unlink()
    d = compile_dir(d_dir)
    assert d.tables["expenditure"].rows[0].amounts["total"] == D("2.46")  # not round(2.469) = 2.47
    assert [r.amounts["total"] for r in d.tables["general_basic"].rows if r.code and len(r.code) == 5] == [D("1.23"), D("1.23")]
    assert not [f for f in audit(d) if f.severity == "error"]


@pytest.mark.parametrize("sheet,edit,message", [
    ("支出明细", lambda rows: rows[3].__setitem__(4, "2109876"),
     "支出明细.csv, row 4, column EXP_FUNC_CODE: unknown functional code 2109876 for 2026"),
    ("支出明细", lambda rows: rows[5].__setitem__(10, "一万"), "支出明细.csv, row 6, column AMOUNT: not an amount: '一万'"),
    ("支出明细", lambda rows: rows[2].__setitem__(10, "-100.00"),
     "支出明细.csv, row 3, column AMOUNT: negative amount -100.00 is not allowed here"),
    ("支出明细", lambda rows: [r.pop(6) for r in rows], "支出明细.csv: missing column FUND_TYPE_CODE"),
    ("支出明细", lambda rows: rows[2].__setitem__(5, "30298"), "支出明细.csv, row 3, column DEP_BGT_ECO_CODE: unknown economic code 30298"),
    ("支出明细", lambda rows: rows[2].__setitem__(7, "其他"), "支出明细.csv, row 3, column EXP_KIND: not 基本 or 项目: '其他'"),
    ("收入", lambda rows: rows[1].__setitem__(1, "10000000.00"), "收入, 一般公共预算拨款收入: income 1000.00 万元 differs"),
])
def test_bad_input_names_sheet_row_and_column(tmp_path, sheet, edit, message):
    with pytest.raises(CompileError) as exc:
        compile_dir(_variant(tmp_path, sheet, edit))
    assert message in str(exc.value)


def run(*args):
    return subprocess.run([sys.executable, "-m", "yusuan", *map(str, args)], capture_output=True, text=True,
                          env={**os.environ, "COLUMNS": "200"})


def test_compile_and_template_cli(tmp_path):
    out = tmp_path / "ex.xlsx"
    r = run("compile", EXAMPLE, "-o", out)
    assert r.returncode == 0, r.stderr
    assert run("check", out).returncode == 0
    r = run("template", tmp_path / "new")
    assert r.returncode == 0
    assert sorted(p.name for p in (tmp_path / "new").iterdir()) == ["budget.xlsx", "disclosure.yaml"]
    r = run("compile", tmp_path / "new", "-o", tmp_path / "x.docx")
    assert r.returncode == 2
    assert r.stderr.strip() == f"yusuan: {tmp_path / 'new' / 'disclosure.yaml'}: department.name: missing"
    bad = _variant(tmp_path, "支出明细", lambda rows: rows[5].__setitem__(10, "abc"))
    r = run("compile", bad, "-o", tmp_path / "y.docx")
    assert r.returncode == 2 and "column AMOUNT: not an amount: 'abc'" in r.stderr and "Traceback" not in r.stderr


def test_compiled_example_as_pdf(tmp_path):
    """Needs LibreOffice and CJK fonts (scripts/install-system-deps)."""
    out = tmp_path / "ex.pdf"
    r = run("compile", EXAMPLE, "-o", out)
    assert r.returncode == 0, r.stderr
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "示例县卫生健康局" in text and "1053.51" in text and "彩票公益金安排的支出" in text
