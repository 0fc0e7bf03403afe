"""Writing a 决算 (final accounts) in its printed form: every format carries
the same tables, rows, codes and amounts, and DOCX and XLSX read back to the
model they were written from."""

import io
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree, html

from yusuan.definitions import squash
from yusuan.read import read_bytes
from yusuan.write.form import _check_column, printed_form
from yusuan.write.render import render

LAYOUTS = Path(__file__).parent / "data" / "layouts"
FIXTURE = LAYOUTS / "sh-final-2024.docx"
PLANNING = Path("/work/shared/corpus/sh-pt-planning-2024-dept-final.pdf")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

SOURCES = [
    pytest.param(FIXTURE, id="fixture"),
    pytest.param(PLANNING, id="planning", marks=pytest.mark.skipif(not PLANNING.exists(), reason="no corpus here")),
]


_read: dict = {}


def read(path: Path):
    if path not in _read:
        _read[path] = read_bytes(path.read_bytes(), path.name)
    return _read[path]


def written(path: Path, fmt: str):
    key = (path, fmt)
    if key not in _read:
        _read[key] = render(read(path), fmt)
    return _read[key]


def rows(t) -> list[tuple]:
    """A table's rows as read: codes, names, sides, levels and every amount."""
    return [(r.code, r.name, r.side, r.level, r.amounts) for r in t.rows]


def own_text(d) -> list[tuple]:
    """Sections with their paragraphs, without the lines the form prints itself
    (part headings, table titles and info lines) that a reader may leave in
    the text: the writer prints those where the form puts them."""
    parts = [p.match for p in printed_form(d.kind).parts if p.match is not None]
    form_lines = {squash(t.title) for t in d.tables.values()} | {
        squash("  ".join(t.header.printed)) for t in d.tables.values()}

    def own(text: str) -> bool:
        s = squash(text)
        return s not in form_lines and not any(m.search(s) for m in parts)

    return [(s.key, s.numbering, s.heading, [p.text for p in s.paragraphs if own(p.text)])
            for s in d.explanation.sections]


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_written_final_accounts_read_back(source, fmt):
    d = read(source)
    back = read_bytes(written(source, fmt), f"x.{fmt}")
    assert back.source_format == fmt
    assert (back.kind, back.profile, back.scope) == ("final_accounts", d.profile, d.scope)
    assert (back.department, back.year, back.unit) == (d.department, d.year, d.unit) and back.year == 2024
    assert list(back.tables) == list(d.tables) and len(d.tables) == 9
    for tid, t in d.tables.items():
        assert rows(back.tables[tid]) == rows(t), tid
        assert [c.key for c in back.tables[tid].columns] == [c.key for c in t.columns], tid
        assert back.tables[tid].unit == t.unit == "万元"
        assert [n.text for n in back.tables[tid].notes] == [n.text for n in t.notes], tid
    assert own_text(back) == own_text(d)
    assert [i.name for i in back.institutions] == [i.name for i in d.institutions] and d.institutions
    assert [(g.term, g.definition) for g in back.glossary] == [(g.term, g.definition) for g in d.glossary]
    assert len(d.glossary) == 11
    assert [p.text for p in back.cover] == [p.text for p in d.cover]
    assert not back.unread


def test_docx_of_the_fixture_reads_back_to_the_whole_model():
    d = read(FIXTURE)
    assert read_bytes(written(FIXTURE, "docx"), "x.docx").content() == d.content()


@pytest.mark.parametrize("source", SOURCES)
def test_docx_and_xlsx_agree(source):
    a = read_bytes(written(source, "docx"), "x.docx")
    b = read_bytes(written(source, "xlsx"), "x.xlsx")
    assert {k: rows(t) for k, t in a.tables.items()} == {k: rows(t) for k, t in b.tables.items()}
    assert own_text(a) == own_text(b)


def _value(d, tid, key, *, code=None, name=None, side=None):
    t = d.tables[tid]
    row = next(r for r in t.rows if (code is None or r.code == code) and (name is None or squash(r.name) == name)
               and (side is None or r.side == side))
    return row.amounts[key]


def test_hand_checked_amounts_survive_the_xlsx():
    """Values from sh-final-2024.expected.yaml (what the fixture prints)."""
    d = read_bytes(written(FIXTURE, "xlsx"), "x.xlsx")
    assert _value(d, "final_summary", "income_amount", name="一、一般公共预算财政拨款收入", side="income") == Decimal("3614.80")
    assert _value(d, "final_summary", "expenditure_amount", name="年末结转和结余", side="expenditure") == Decimal("81.32")
    assert _value(d, "final_income", "business", code="2060404") == Decimal("100.40")
    assert _value(d, "final_expenditure", "operating", code="2060404") == Decimal("36.40")
    assert _value(d, "final_fiscal_summary", "general_budget", name="六、科学技术支出") == Decimal("3200.20")
    assert _value(d, "final_general_expenditure", "total", name="合计") == Decimal("3632.25")
    assert _value(d, "final_general_basic", "total", code="30217") == Decimal("0.86")
    assert _value(d, "final_general_basic", "total", name="公用经费合计") == Decimal("201.33")
    assert _value(d, "final_three_public", "budget", name="“三公”经费合计") == Decimal("32.70")
    assert _value(d, "final_three_public", "total", name="其中：公务用车购置费") == Decimal("17.56")
    assert isinstance(_value(d, "final_income", "total", code="2069999"), Decimal)


def test_docx_prints_the_form():
    with zipfile.ZipFile(io.BytesIO(written(FIXTURE, "docx"))) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    paras = ["".join(p.itertext()) for p in root.iter(f"{W}p")]
    texts = [t for t in paras if t]
    assert texts[:3] == ["上海市示例区科学技术委员会", "2024年度部门决算", "目   录"]
    for line in ("第一部分  上海市示例区科学技术委员会概况", "上海市示例区科学技术委员会2024年度部门决算表",
                 "第三部分  上海市示例区科学技术委员会2024年度部门决算情况说明", "第四部分  名词解释", "收入支出决算总表",
                 "单位：万元"):
        assert line in texts
    widths = {len(t.find(f"{W}tblGrid").findall(f"{W}gridCol")) for t in root.iter(f"{W}tbl")}
    assert 12 in widths  # 三公 across: 预算数 | 决算数 under six items
    assert 6 in widths  # 基本支出 in two panes: 人员经费 | 公用经费


def test_html_has_the_titles_and_amounts():
    page = written(FIXTURE, "html").decode("utf-8")
    doc = html.fromstring(page)
    assert doc.xpath("//title")[0].text == "上海市示例区科学技术委员会2024年度部门决算"
    titles = [h.text_content() for h in doc.xpath("//h2[@class='table-title']")]
    assert titles == [t.title for t in read(FIXTURE).tables.values()]
    assert "财政拨款“三公”经费支出决算表" in titles
    numbers = {td.text_content() for td in doc.xpath("//td[@class='num']")}
    assert {"3614.80", "3908.47", "1258.17", "201.33", "32.70", "29.46", "100.40"} <= numbers
    assert doc.xpath("//th[@colspan='12' and text()='财政拨款“三公”经费']")


def test_a_printed_header_the_readers_do_not_map_fails_when_loaded():
    _check_column("final_income", "total", ["本年收入合计"], "ok")
    with pytest.raises(ValueError, match="do not map"):
        _check_column("final_income", "total", ["收入总数"], "form.yaml")
    with pytest.raises(ValueError, match="not a column"):
        _check_column("final_income", "nonsense", ["合计"], "form.yaml")


@pytest.mark.skipif(shutil.which("soffice") is None and shutil.which("libreoffice") is None,
                    reason="needs LibreOffice (scripts/install-system-deps)")
def test_pdf_reads_back_to_the_same_tables():
    d = read(FIXTURE)
    pdf = written(FIXTURE, "pdf")
    assert pdf.startswith(b"%PDF")
    back = read_bytes(pdf, "x.pdf")
    assert (back.kind, back.department, back.year) == ("final_accounts", d.department, 2024)
    assert {k: rows(t) for k, t in back.tables.items()} == {k: rows(t) for k, t in d.tables.items()}
    assert [(s.key, s.heading) for s in back.explanation.sections] == [(s.key, s.heading) for s in d.explanation.sections]
