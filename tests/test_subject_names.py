"""科目 names in the text by year (W09) and against their code and the tables
(W10), audit/subject_names.py, with the names by year of
data/catalogue/functional.yaml (audit/catalogue.py).

Each rule fires and stays quiet on 晋州市医疗保障局 2026 (examples/
jinzhou-2026.docx, whose tables hold 210 卫生健康支出 with 21012, 21013 and
21015) with a paragraph of its 部门预算安排的总体情况 replaced by a sentence
quoted from a real document of the corpus (pdftotext -layout, whitespace
removed); where a sentence or the year had to be changed to make a rule fire,
the change is said. On the corpus every finding is a fault confirmed on the
page.
"""

from functools import cache
from pathlib import Path

import pytest

from yusuan.audit import audit, rules
from yusuan.audit.catalogue import catalogue, parse
from yusuan.model import Disclosure, Paragraph
from yusuan.read import read, read_parts

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
LAYOUTS = Path(__file__).resolve().parent / "data" / "layouts"
CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
MINE = ("W09", "W10")

# -- real sentences ----------------------------------------------------------------------
# 上海市普陀区社会福利院 2024 单位预算 p6: a 2019 name printed in 2024
WELFARE_OLD_CLASS = ("5.“医疗卫生与计划生育支出（类）行政事业单位医疗（款）事业单位医疗（项）”50.37万元，主要用于人员医疗保险。"
                     "2023年当年预算执行数为44.17万元，2024年预算安排50.37万元，比2023年预算执行数增加14.04%。主要原因是：根据实际支出。")
# 上海市普陀区万里街道 2023 部门预算 p8: the name of 2019 on
WANLI_HEALTH = ("22.“卫生健康支出（类）计划生育事务（款）计划生育服务（项）”20.00万元，主要用于计划生育服务。"
                "2022年当年预算执行数为15.00万元，2023年预算安排20.00万元，比2022年预算执行数增加33.33%。")
# 江苏省高级人民法院 2017 部门预算 p21: 20805 under its name until 2019
COURT_RETIRED = ("1．行政事业单位离退休（款）未归口管理的行政单位离退休（项）支出2347.13万元，与上年相比增加345.96万元，"
                 "增长17.29%。主要原因是增加离退休人员的支出。")
# 江苏省高级人民法院 2017 p21: 一般行政事务管理 for 一般行政管理事务 (under 法院 there)
COURT_WORDING = "2．法院（款）一般行政事务管理（项）支出6432.89万元，与上年相比增加450万元，增长7.52%。"
# 江苏省人大常委会办公厅 2019 部门预算 p14: a 款 marked as the 类
NPC_LEVEL = "1．住房改革支出（类）住房公积金（项）752.9万元，与上年相比增加180.34万元，增加31.5%。主要原因是政策性调增住房公积金。"
# 上海市普陀区规划和自然资源局 2024 决算 p24: T16's, not W10's
PLANNING_ITEM12 = ("12、住房保障支出（类）住房保障支出（款）住房公积金（项）。主要用于：行政单位、事业单位住房公积金支出。"
                   "年初预算为289.59万元，支出决算为289.59万元，完成年初预算的100.00%。决算数同预算数持平。")


@cache
def _jinzhou() -> Disclosure:
    return read(EXAMPLES / "jinzhou-2026.docx")


def jinzhou(*texts: str, year: int | None = None) -> Disclosure:
    """晋州 2026 with its 支出说明 paragraph replaced (and another year, when given)."""
    d = _jinzhou().model_copy(deep=True)
    d.explanation.section("overview").paragraphs[4:5] = [Paragraph(text=t) for t in texts]
    if year is not None:
        d.year = year
    return d


def fired(d: Disclosure, rule: str):
    return [f for f in audit(d) if f.rule == rule]


def test_rules_are_warnings():
    assert [rules()[r].severity for r in MINE] == ["warning", "warning"]


def test_examples_raise_none():
    for name in ("jinzhou-2026.docx", "jinzhou-2026.pdf", "gaoyang-2023.docx", "gaoyang-2023.txt"):
        assert [f.message for f in audit(read(EXAMPLES / name)) if f.rule in MINE] == [], name


# -- the catalogue's names by year ------------------------------------------------------------
def test_renamed_and_created_names_carry_their_years():
    cat = catalogue("functional")
    old = cat.out_of_year("医疗卫生与计划生育支出", 2024)
    assert [(e.code, e.years()) for e in old] == [("210", "2018 年及以前")]
    assert cat.out_of_year("医疗卫生与计划生育支出", 2018) == ()
    assert [(e.code, e.years()) for e in cat.out_of_year("卫生健康支出", 2017)] == [("210", "2019 年起")]
    assert cat.out_of_year("卫生健康支出", 2019) == ()
    for old_name, new_name in (("文化体育与传媒支出", "文化旅游体育与传媒支出"), ("国土海洋气象等支出", "自然资源海洋气象等支出")):
        assert cat.out_of_year(old_name, 2019) and not cat.out_of_year(old_name, 2018)
        assert cat.out_of_year(new_name, 2018) and not cat.out_of_year(new_name, 2019)
    # 20805: 行政事业单位离退休 in 2019 still (the Jiangsu 人大 2019 tables print it)
    assert cat.out_of_year("行政事业单位离退休", 2019) == ()
    assert [e.years() for e in cat.out_of_year("行政事业单位离退休", 2020)] == ["2019 年及以前"]
    assert [e.years() for e in cat.out_of_year("行政事业单位养老支出", 2019)] == ["2020 年起"]
    # created codes: nothing before them
    assert [e.years() for e in cat.out_of_year("灾害防治及应急管理支出", 2018)] == ["2019 年起"]
    assert cat.out_of_year("抗疫特别国债安排的支出", 2019) and not cat.out_of_year("抗疫特别国债安排的支出", 2020)
    # a name whose years are not known at either end is never out of a year
    assert cat.out_of_year("一般公共服务支出", 2010) == ()
    assert cat.name_in("210", 2017).name == "医疗卫生与计划生育支出"
    assert cat.name_in("210", 2024).name == "卫生健康支出"


def test_former_names_do_not_widen_the_k_rules():
    """K03–K05 check names from the listing's first year only, and a former
    name never answers their lookup: the Jiangsu 2017–2018 tables stay unchecked."""
    cat = catalogue("functional")
    assert cat.first_year == 2019 and not cat.covers(2018)
    assert cat.lookup("210", 2017) is None and cat.lookup("210", 2024).name == "卫生健康支出"
    assert cat.lookup("20805", 2019) is None  # its 2019 name is a former one, held apart
    assert catalogue("economic").first_year == 2018


@pytest.mark.parametrize("data, words", [
    ({"former": {"210": {"name": "医疗卫生与计划生育支出", "to": 2019}}}, "overlap"),
    ({"former": {"210": {"name": "医疗卫生与计划生育支出"}}}, "last year"),
    ({"former": {"210": {"name": "医疗卫生与计划生育支出", "from": 2019, "to": 2014}}}, "after to"),
    ({"created": {"210": 2020}}, "created 210"),
    ({"former": {"210": {"nmae": "医疗卫生与计划生育支出", "to": 2018}}}, "an entry is"),
])
def test_the_names_by_year_are_checked_on_load(data, words):
    with pytest.raises(ValueError, match=words):
        parse("functional", {"valid_from": 2019, "entries": {"210": "卫生健康支出"}, **data})


# -- W09 --------------------------------------------------------------------------------------
def test_w09_name_retired_before_the_year_fires():
    # the welfare home's sentence as printed, in 晋州's 2026
    hits = fired(jinzhou(WELFARE_OLD_CLASS), "W09")
    assert [(f.section, f.paragraph) for f in hits] == [("二、部门预算安排的总体情况", 4)]
    assert hits[0].message == ("「医疗卫生与计划生育支出」（210）是 2018 年及以前的科目名称，不属于 2026 年度，"
                               "2026 年该科目为「卫生健康支出」（2019 年起）")
    assert hits[0].quote.startswith("5.“医疗卫生与计划生育支出（类）")
    # 20805's name until 2019 (江苏 court 2017), printed in 2026
    hits = fired(jinzhou(COURT_RETIRED), "W09")
    assert [f.message for f in hits] == ["「行政事业单位离退休」（20805）是 2019 年及以前的科目名称，不属于 2026 年度，"
                                         "2026 年该科目为「行政事业单位养老支出」（2020 年起）"]


def test_w09_name_not_yet_in_use_fires():
    # 万里 2023's sentence in a document whose year is changed to 2017
    hits = fired(jinzhou(WANLI_HEALTH, year=2017), "W09")
    assert [f.message for f in hits] == ["「卫生健康支出」（210）是 2019 年起的科目名称，不属于 2017 年度，"
                                         "2017 年该科目为「医疗卫生与计划生育支出」（2018 年及以前）"]


def test_w09_quiet_in_the_names_own_years():
    assert fired(jinzhou(WELFARE_OLD_CLASS, year=2018), "W09") == []
    assert fired(jinzhou(WANLI_HEALTH), "W09") == []
    assert fired(jinzhou(COURT_RETIRED, year=2017), "W09") == []
    assert fired(jinzhou(COURT_RETIRED, year=2019), "W09") == []
    # 晋州's own text and tables say 卫生健康支出 in 2026
    assert fired(jinzhou(), "W09") == []


def test_w09_quiet_on_prose_and_on_a_renaming():
    # court p19 with 行政事业单位 put before 离退休人员: words, not the 科目 (no level, no 支出 after it)
    prose = "2．社会保障和就业（类）支出2347.13万元，主要用于行政事业单位离退休人员的经费支出。"
    # sentences about the renaming itself (written for the test)
    renaming = ("按照2019年政府收支分类科目，医疗卫生与计划生育支出调整为卫生健康支出。",
                "卫生健康支出（原医疗卫生与计划生育支出）50.37万元。")
    assert fired(jinzhou(prose, *renaming), "W09") == []


# -- W10 --------------------------------------------------------------------------------------
def test_w10_level_name_against_the_table_fires():
    # court p21 with 法院 changed to 医疗保障管理事务, a 款 of 晋州's tables
    hits = fired(jinzhou(COURT_WORDING.replace("法院", "医疗保障管理事务")), "W10")
    assert len(hits) == 1 and hits[0].paragraph == 4
    assert "「一般行政事务管理（项）」" in hits[0].message and "2101502「一般行政管理事务」" in hits[0].message
    assert hits[0].quote == "医疗保障管理事务（款）一般行政事务管理（项）"


def test_w10_a_kuan_marked_as_the_class_fires():
    # npc p14 with its 住房 names changed to a 款 and 项 of 晋州's tables
    hits = fired(jinzhou(NPC_LEVEL.replace("住房改革支出", "医疗救助").replace("住房公积金", "其他医疗救助支出")), "W10")
    assert len(hits) == 1
    assert "「医疗救助（类）」" in hits[0].message and "210「卫生健康支出」" in hits[0].message
    assert "「医疗救助」是 21013 款级科目" in hits[0].message


def test_w10_printed_codes_against_the_tables_and_catalogue_fire():
    # the code forms of explain/subjects.py (公共安全支出（204类）司法（06款）…（01项）) on 晋州's 科目:
    # 02 is 一般行政管理事务, not 行政运行
    hits = fired(jinzhou("卫生健康支出（210类）医疗保障管理事务（15款）行政运行（02项）40.00万元。"), "W10")
    assert len(hits) == 1 and "「行政运行（02项）」" in hits[0].message and "2101502「一般行政管理事务」" in hits[0].message
    # a code before its name: 2101599 is 其他医疗保障管理事务支出 in the tables
    hits = fired(jinzhou("2101599行政运行支出40.00万元。"), "W10")
    assert [f.quote for f in hits] == ["2101599行政运行"]
    assert "2101599 为「其他医疗保障管理事务支出」" in hits[0].message
    # a name before its code, the code not in the tables: the 2026 catalogue's name
    hits = fired(jinzhou("行政单位医疗（2101102）40.00万元。"), "W10")
    assert [f.message for f in hits] == ["「行政单位医疗（2101102）」：2026 年科目目录 2101102 为「事业单位医疗」，不是「行政单位医疗」"]
    # an economic code: 30201 is 办公费
    hits = fired(jinzhou("30201水费5.00万元。"), "W10")
    assert len(hits) == 1 and "为「办公费」" in hits[0].message


def test_w10_quiet_on_the_tables_names():
    texts = ("2．医疗保障管理事务（款）一般行政管理事务（项）支出6432.89万元。",
             "1．卫生健康支出（类）其他医疗救助支出（项）752.9万元。",
             "卫生健康支出（210类）医疗保障管理事务（15款）行政运行（01项）40.00万元。",
             "2101501行政运行40.00万元，行政单位医疗（2101101）10.00万元，30201办公费5.00万元。",
             "“卫生健康支出-医疗保障管理事务-行政运行”科目40.00万元。",
             "（一）卫生健康（类）",
             # a 项 the tables do not hold, close to one they do (2101202 财政对城乡居民…): another 科目, not a slip
             "财政对基本医疗保险基金的补助（款）财政对职工基本医疗保险基金的补助（项）10.00万元。",
             # amounts and years next to names are not codes
             "2026年医疗救助支出205万元，比2025年增加30万元。")
    assert fired(jinzhou(*texts), "W10") == []


def test_w10_leaves_the_old_name_to_w09():
    d = jinzhou(WELFARE_OLD_CLASS)
    assert fired(d, "W10") == [] and len(fired(d, "W09")) == 1


def test_w10_leaves_a_final_accounts_item_to_t16():
    """T16 holds a 决算's 一般公共预算 items to the table; W10 does not say it again."""
    d = read(LAYOUTS / "sh-final-2024.docx").model_copy(deep=True)
    d.explanation.section("final_general").paragraphs[6:7] = [Paragraph(text=PLANNING_ITEM12)]
    found = audit(d)
    assert [f.rule for f in found if f.rule in ("T16", "W10")] == ["T16"]


# -- the corpus --------------------------------------------------------------------------------
@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not here")
def test_corpus_faults_confirmed_on_the_page():
    def found(*names):
        d = read_parts([str(CORPUS / n) for n in names])
        return [(f.rule, f.page, f.quote) for f in audit(d) if f.rule in MINE]

    assert found("sh-pt-welfarehome-2024-unit-budget.pdf") == [
        ("W09", 6, "5.“医疗卫生与计划生育支出（类）行政事业单位医疗（款）事业单位医疗（项）”50.37万元")]
    assert found("sh-pt-planning-2024-dept-final.pdf") == [
        ("W09", 24, "11、自然资源海洋气象等支出（类）自然资源事务（款）其他国土资源事务支出（项）")]
    assert found("js-court-2017-text.pdf") == [("W10", 21, "法院（款）一般行政事务管理（项）")]
    assert found("js-npc-2019-text.pdf", "js-npc-2019-tables.pdf") == [
        ("W10", 13, "行政事业单位离退休（类）未归口管理的行政单位离退休支出（项）"),
        ("W10", 14, "行政事业单位离退休（类）机关事业单位基本养老保险缴费支出（项）"),
        ("W10", 14, "行政事业单位离退休（类）机关事业单位职业年金缴费支出（项）"),
        ("W10", 14, "住房改革支出（类）住房公积金（项）"),
        ("W10", 14, "住房改革支出（类）提租补贴（项）")]
