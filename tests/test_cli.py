"""The command line as a user meets it: real files, run in process."""

import csv
import io
import json
import re
import zipfile

import pytest
from conftest import EXAMPLES, SEEDS, cli


run = cli


def decimal_cells_in_text_seed(seed):
    """Counted from the raw seed, independently of the reader: every cell
    printed as a decimal, plus the whole-number quantities of procurement
    and assets (8 + 2 in 晋州, 2 in 高阳)."""
    text = (EXAMPLES / f"{seed}.txt").read_text(encoding="utf-8")
    decimals = len(re.findall(r"^\t\d+\.\d+\s*$", text, flags=re.MULTILINE))
    return decimals + {"jinzhou-2026": 10, "gaoyang-2023": 2}[seed]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("ext", ["txt", "docx"])
def test_parse_cells_lists_every_amount(seed, ext, tmp_path):
    out = tmp_path / "cells.csv"
    r = run("parse", EXAMPLES / f"{seed}.{ext}", "--format", "cells", "-o", out)
    assert r.exit_code == 0, r.stderr
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel in a Chinese locale needs the BOM to see UTF-8
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["department", "year", "kind", "unit", "table", "code", "item", "column", "value"]
    assert len(rows) - 1 == decimal_cells_in_text_seed(seed)
    whose = {"jinzhou-2026": ["晋州市医疗保障局", "2026", "budget"], "gaoyang-2023": ["高阳县医疗保障局", "2023", "budget"]}[seed]
    assert all(r[:3] == whose for r in rows[1:])
    rows = [r[4:] for r in rows if r[3] in ("万元", "")]  # the cells of money in 万元, and the counts
    if seed == "jinzhou-2026":
        assert ["income", "21015", "医疗保障管理事务", "合计", "638.20"] in rows
        assert ["three_public", "", "公务用车运行维护费", "一般公共预算财政拨款", "10.18"] in rows
        assert ["projects", "13018326P000192100061", "城乡居民基本医疗保险", "预算数", "6614.74"] in rows
        assert ["procurement", "A05040201", "鼓粉盒", "单价", "0.04"] in rows
        assert ["assets", "", "2、车辆（台、辆）", "价值（金额单位：万元）", "47.76"] in rows
        assert {r[0] for r in rows[1:]} == {"summary", "income", "expenditure", "fiscal_summary",
                                            "general_expenditure", "general_basic", "three_public",
                                            "projects", "procurement", "assets"}
    else:
        assert ["general_basic", "31002", "办公设备购置", "公用经费", "3.00"] in rows
        assert ["summary", "", "二十、住房保障支出", "预算数", "12.86"] in rows


def test_parse_json_is_the_model():
    r = run("parse", EXAMPLES / "jinzhou-2026.docx")
    assert r.exit_code == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["department"] == {"code": "450", "name": "晋州市医疗保障局"}
    assert list(d)[:7] == ["schema_version", "kind", "profile", "scope", "department", "year", "unit"]
    assert (d["profile"], d["scope"]) == ("hebei_integrated", "department")
    row = d["tables"]["general_basic"]["rows"][0]
    assert (row["name"], row["amounts"]["total"], row["amounts"]["personnel"]) == ("合计", "587.92", "541.46")


def test_model_json_reads_back(tmp_path):
    out = tmp_path / "m.json"
    assert run("parse", EXAMPLES / "gaoyang-2023.txt", "-o", out).exit_code == 0
    r = run("parse", out, "--format", "cells")
    assert r.exit_code == 0, r.stderr
    assert len(r.stdout.splitlines()) - 1 == decimal_cells_in_text_seed("gaoyang-2023")


def test_schema():
    r = run("schema")
    schema = json.loads(r.stdout)
    assert schema["title"] == "Disclosure"
    assert "Table" in schema["$defs"] and "Project" in schema["$defs"]


def test_show_one_table():
    r = run("show", EXAMPLES / "jinzhou-2026.txt", "three_public")
    assert r.exit_code == 0, r.stderr
    assert "“三公”经费小计" in r.stdout and "10.18" in r.stdout
    assert "部门预算收支总表" not in r.stdout


def test_show_unknown_table():
    r = run("show", EXAMPLES / "jinzhou-2026.txt", "nonsense")
    assert r.exit_code == 2 and "没有名为 'nonsense' 的表" in r.stderr


def _not_a_disclosure_docx(path):
    from docx import Document

    doc = Document()
    doc.add_paragraph("会议纪要")
    doc.add_table(rows=2, cols=2).cell(0, 0).text = "甲"
    doc.save(path)


BAD = {
    "missing.txt": (None, "文件不存在"),
    "empty.txt": (b"", "文件是空的"),
    "random.bin": (bytes(range(256)) * 8, "二进制数据"),
    "truncated.docx": ("truncate", "DOCX 已损坏或不完整"),
    "notes.txt": ("随便写的一段话\n\t一个单元格\n\n".encode(), "不是预算或决算公开文件"),
    "memo.docx": ("memo", "不是预算或决算公开文件"),
    "nodoc.docx": ("zip", "没有 word/document.xml"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input_exits_2_with_one_line(name, tmp_path):
    content, message = BAD[name]
    path = tmp_path / name
    if content == "truncate":
        path.write_bytes((EXAMPLES / "jinzhou-2026.docx").read_bytes()[:20000])
    elif content == "memo":
        _not_a_disclosure_docx(path)
    elif content == "zip":
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("hello.txt", "hi")
    elif content is not None:
        path.write_bytes(content)
    r = run("parse", path)
    assert r.exit_code == 2
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert str(path) in lines[0] and message in lines[0]
    assert "Traceback" not in r.stderr
