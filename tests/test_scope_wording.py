"""Scope wording and the department's name (rules W18–W19, audit/scope.py,
data/scope_words.yaml).

Each rule fires and stays quiet on examples/jinzhou-2026.docx with its scope,
its department's name or a paragraph of 八、政府采购预算情况 replaced by a
sentence quoted from the corpus (pdftotext -layout, whitespace removed; page
numbers of the PDF; long sentences shortened by leaving out a list or a
tail). Where a sentence was changed to make a rule fire, the change is said. On the corpus every finding is one a person confirmed on the
page.
"""

from pathlib import Path

import pytest
from conftest import EXAMPLES, load

from yusuan.audit import audit, rules
from yusuan.audit.scope import scope_words
from yusuan.model import Disclosure, Paragraph
from yusuan.read import read, read_parts

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
AT = ("八、政府采购预算情况", 0)  # where the sentences are put

# -- real sentences ------------------------------------------------------------------
# commerce 2025 单位预算 p22 and 部门预算 p22 (五、国有资产占有使用情况)
UNIT_VEHICLES = "2025年单位预算安排购置车辆0辆，其中：部级领导干部用车0辆；单位预算安排购置单价100万元（含）以上设备（不含车辆）0台（套）。"
DEPT_VEHICLES = "2025年部门预算安排购置车辆0辆，其中：部级领导干部用车0辆；部门预算安排购置单价100万元（含）以上设备（不含车辆）0台（套）。"
# commerce 2025 部门预算 p5 (机构设置)
DEPT_MADE_OF = "上海市普陀区商务委员会部门预算是包括商务委本部以及下属1家预算单位的综合收支计划。"
# commerce 2025 部门预算 p3 (主要职能)
DUTIES = ("上海市普陀区商务委员会是主管全区产业经济的区政府工作部门，为正处级，加挂上海市普陀区经济委员会、"
          "上海市普陀区粮食和物资储备局牌子。")
# commerce 2025 单位预算 p7 (2025年单位预算编制说明)
INCOME = "2025年，上海市普陀区商务委员会收入预算37,151.47万元，其中：财政拨款收入37,151.47万元，比2024年预算执行数增加24,558.18万元。"
# commerce 2025 单位预算 p2 and 部门预算 p2: a line of the list of tables
UNIT_TABLE_LINE = "2.2025年预算单位收入预算总表"
DEPT_TABLE_LINE = "2.2025年部门收入预算总表"
ECONOMIC_TABLE_LINE = "8．2025年预算单位一般公共预算基本支出部门预算经济分类预算表"
# commerce 2025 部门预算 p1 and 单位预算 p1: the covers
DEPT_COVER = "上海市普陀区2025年区级部门预算"
UNIT_COVER = ("上海市普陀区2025年区级单位预算", "预算单位：上海市普陀区商务委员会")
# jinzhou 2026 五、部门整体绩效目标: 部门预算 as a kind of work, not this document
JINZHOU_SELF_REVIEW = "做好绩效自评。按要求开展上年度部门预算绩效自评和重点评价工作，对评价中发现的问题及时整改。"
# js-cppcc 2018 p4 and the 2024 决算 template p4: a department lists its units' budgets
CPPCC_UNITS = ("2.从预算单位构成看，纳入本部门2018年部门汇总预算编制范围的预算单位共计1家，即省政协办公厅本级。"
               "另外，本部门预算还包括江苏省联谊俱乐部8名在职人员人员经费。")
TEMPLATE_UNITS = "从预算单位构成看，上海市XX局部门决算包括：上海市XX局本级决算、下属行政事业单位决算。"
# planning 2024 决算 p26 (八、 and 十、) and p7 (the title of the tables)
PLANNING = "上海市普陀区规划和自然资源局"
PLANNING_FUND = "上海市普陀区规划与自然资源局2024年度无政府性基金预算财政拨款收入和支出。"
PLANNING_PERFORMANCE = "上海市普陀区规划和自然资源局2024年度预算绩效管理工作开展情况如下：本部门建立了如下预算绩效管理制度。"
PLANNING_TABLES = "上海市规划和自然资源局2024年度部门决算表"
COMMERCE = "上海市普陀区商务委员会"


def doc(scope: str = "department", name: str | None = None, *texts: str) -> Disclosure:
    """jinzhou with its scope and name set, 八、政府采购预算情况 replaced by `texts`."""
    d = load("jinzhou-2026", "docx").model_copy(deep=True)
    d.scope = scope
    if name:
        d.department.name = name
    if texts:
        d.explanation.section("procurement").paragraphs[0:1] = [Paragraph(text=t) for t in texts]
    return d


def fired(d: Disclosure, rule: str, at: tuple[str, int] | None = AT) -> list:
    return [f for f in audit(d) if f.rule == rule and (at is None or (f.section, f.paragraph) == at)]


def test_rules_are_warnings():
    assert [rules()[r].severity for r in ("W18", "W19")] == ["warning", "warning"]
    assert set(scope_words().words) == {"unit", "department"}


def test_the_examples_raise_neither():
    for name in ("jinzhou-2026", "gaoyang-2023"):
        for fmt in ("txt", "docx", "pdf"):
            d = read(EXAMPLES / f"{name}.{fmt}")
            assert [f.message for f in audit(d) if f.rule in ("W18", "W19")] == [], (name, fmt)


# -- W18 scope wording -----------------------------------------------------------------
def test_w18_department_document_calling_itself_a_unit_fires():
    # the 单位预算's own sentence printed in a 部门预算: one finding for the sentence
    hits = fired(doc("department", None, UNIT_VEHICLES), "W18")
    assert [f.message for f in hits] == ["本文档为部门预算，此处却称「单位预算」"]
    assert hits[0].quote.startswith("2025年单位预算安排购置车辆0辆")


def test_w18_quiet_on_the_department_wording():
    assert fired(doc("department", None, DEPT_VEHICLES), "W18") == []


def test_w18_unit_document_calling_itself_a_department_fires():
    d = doc("unit", COMMERCE, DEPT_MADE_OF, DEPT_VEHICLES, UNIT_VEHICLES)
    hits = fired(d, "W18", None)
    got = [(f.paragraph, f.message) for f in hits if f.section == AT[0]]
    assert got == [(0, "本文档为单位预算，此处却称「部门预算」"), (1, "本文档为单位预算，此处却称「部门预算」")]


def test_w18_unit_document_with_a_department_table_name_fires():
    # the 部门预算's list of tables printed in a 单位预算
    hits = fired(doc("unit", None, DEPT_TABLE_LINE, UNIT_TABLE_LINE), "W18", None)
    got = [(f.paragraph, f.message) for f in hits if f.section == AT[0]]
    assert got == [(0, "本文档为单位预算，表名「2.2025年部门收入预算总表」却冠以「部门」")]


def test_w18_quiet_where_a_unit_document_speaks_of_other_budgets():
    """部门预算经济分类 (a classification's name), 部门预算 as a kind of work,
    the district's series on the cover, a glossary definition."""
    d = doc("unit", COMMERCE, ECONOMIC_TABLE_LINE, JINZHOU_SELF_REVIEW)
    d.cover = [Paragraph(text=DEPT_COVER)]
    hits = fired(d, "W18", None)
    assert [f for f in hits if f.section in (AT[0], "封面", "十、名词解释")] == []


def test_w18_a_department_form_printed_as_a_unit_document():
    """jinzhou read as a 单位预算: its title, preface, a heading and the table
    titles call it a 部门预算; its glossary (7、部门预算支出：…) and its work
    (开展上年度部门预算绩效自评) do not."""
    quotes = {f.quote for f in fired(doc("unit"), "W18", None)}
    assert quotes == {
        "第一部分晋州市医疗保障局2026年部门预算信息公开情况说明", "晋州市医疗保障局2026年部门预算信息公开情况说明",
        "按照《中华人民共和国预算法》、《地方预决算公开操作规程》和《关于进一步推进预算公开工作的实施意见》规定，"
        "现将晋州市医疗保障局2026年部门预算公开如下：",
        "二、部门预算安排的总体情况", "部门固定资产占用情况表", "部门预算收支总表", "部门预算收入总表", "部门预算支出总表",
        "部门预算财政拨款收支总表", "部门预算一般公共预算财政拨款支出表", "部门预算一般公共预算财政拨款基本支出表",
        "部门预算政府性基金预算财政拨款支出表", "部门预算国有资本经营预算财政拨款支出表", "部门预算财政拨款“三公”经费支出表"}


def test_w18_quiet_where_a_department_lists_its_units():
    assert fired(doc("department", None, CPPCC_UNITS, TEMPLATE_UNITS), "W18", None) == []


# -- W19 the department's name -------------------------------------------------------------
def test_w19_a_character_changed_fires():
    hits = fired(doc("department", PLANNING, PLANNING_FUND), "W19")
    assert [f.message for f in hits] == [
        "单位名称印为「上海市普陀区规划与自然资源局」，与「上海市普陀区规划和自然资源局」不一致：「和」印作「与」"]
    assert hits[0].quote == PLANNING_FUND


def test_w19_quiet_on_the_name():
    assert fired(doc("department", PLANNING, PLANNING_PERFORMANCE), "W19") == []


def test_w19_a_place_level_lost_fires():
    hits = fired(doc("department", PLANNING, PLANNING_TABLES), "W19")
    assert [f.message for f in hits] == [
        "单位名称印为「上海市规划和自然资源局」，与「上海市普陀区规划和自然资源局」不一致：缺「普陀区」"]


def test_w19_the_name_cut_short_fires():
    # changed: 上海市普陀区商务委员会 → 上海市普陀区商务委
    hits = fired(doc("department", COMMERCE, INCOME.replace(COMMERCE, "上海市普陀区商务委")), "W19")
    assert [f.message for f in hits] == ["单位名称印为「上海市普陀区商务委」，与「上海市普陀区商务委员会」不一致：末尾缺「员会」"]
    assert fired(doc("department", COMMERCE, INCOME), "W19") == []


def test_w19_quiet_on_short_forms_other_bodies_and_defined_abbreviations():
    """商务委本部, the bodies whose names it also bears, the district on the
    cover, a short form the text defines (changed: 以下简称 added to INCOME)."""
    defined = INCOME.replace(COMMERCE, f"{COMMERCE}（以下简称“上海市普陀区商务委”），上海市普陀区商务委", 1)
    d = doc("department", COMMERCE, DEPT_MADE_OF, DUTIES, defined)
    d.cover = [Paragraph(text=DEPT_COVER)]
    assert fired(d, "W19", None) == []


def test_w19_cover_info_line():
    d = doc("unit", COMMERCE)
    d.cover = [Paragraph(text=t) for t in UNIT_COVER]
    assert fired(d, "W19", None) == []
    # changed: the info line cut short
    d.cover[1] = Paragraph(text="预算单位：上海市普陀区商务委")
    assert [(f.section, f.quote) for f in fired(d, "W19", None)] == [("封面", "预算单位：上海市普陀区商务委")]


def test_w19_quiet_on_a_units_parent_and_its_own_part():
    """A 单位's 预算主管部门 is its parent; the unit of a department's 本级 is
    the department (changed: the cover's labels)."""
    d = doc("unit", "上海市普陀区商务委员会本级")
    d.cover = [Paragraph(text="预算主管部门：上海市普陀区商务委"), Paragraph(text="预算单位：上海市普陀区商务委员会")]
    assert fired(d, "W19", None) == []


# -- the corpus: every finding confirmed on its page -------------------------------------------
CONFIRMED = {
    "sh-pt-planning-2024-dept-final.pdf": [
        # p7: the title of the tables names the city's bureau; p26 三公, 八 and 九: 规划与 for 规划和
        ("W19", 7, "上海市规划和自然资源局2024年度部门决算表"),
        ("W19", 26, "2024年，上海市普陀区规划与自然资源局所属各预算单位开支财政拨款的公务用车保有量为0辆。"),
        ("W19", 26, "上海市普陀区规划与自然资源局2024年度无政府性基金预算财政拨款收入和支出。"),
        ("W19", 26, "上海市普陀区规划与自然资源局2024年度无国有资本经营预算财政拨款收入和支出。"),
    ],
}
# a disclosure published as two files is read together
GROUPS = {"js-cppcc-2018-text.pdf": ["js-cppcc-2018-text.pdf", "js-cppcc-2018-tables.pdf"],
          "js-npc-2019-text.pdf": ["js-npc-2019-text.pdf", "js-npc-2019-tables.pdf"]}
CORPUS_FILES = sorted(p.name for p in CORPUS.glob("*.pdf") if not p.stem.endswith("-tables")) if CORPUS.is_dir() else []


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not here")
@pytest.mark.parametrize("name", CORPUS_FILES)
def test_corpus_findings_are_the_confirmed_ones(name):
    d = read_parts([str(CORPUS / f) for f in GROUPS.get(name, [name])])
    got = [(f.rule, f.page, f.quote) for f in audit(d) if f.rule in ("W18", "W19")]
    assert got == CONFIRMED.get(name, [])
