"""The 决算's explanation against its own figures and its tables (rules
T11–T19, audit/final_text.py; the execution statements read by
explain/execution.py).

Each rule fires and stays quiet on the fictional clean 决算
(tests/data/layouts/sh-final-2024.docx) with a paragraph of its 情况说明
replaced by a sentence quoted from the real documents of the corpus
(pdftotext -layout, whitespace removed): the 上海市普陀区规划和自然资源局
(planning) and the 中共上海市普陀区委社会工作部 (socialwork) 2024 决算. Where a
sentence had to be changed to make a rule fire, the change is said. The
planted faults of sh-final-2024-faults.docx are found at their paragraphs, and
on the two real documents every finding of these rules is a fault a person
confirmed on the page (tests/corpus/expected/*.yaml).
"""

from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from yusuan.audit import audit, rules
from yusuan.explain.execution import execution_items
from yusuan.model import Disclosure, Paragraph
from yusuan.read import read

D = Decimal
LAYOUTS = Path(__file__).resolve().parent / "data" / "layouts"
CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
MINE = ("T11", "T12", "T13", "T14", "T15", "T16", "T17", "T18", "T19")

# -- real sentences ------------------------------------------------------------------
# planning p21 五（二） and socialwork p18 五（二）
P_STRUCTURE = ("一般公共预算财政拨款支出9746.50万元，主要用于以下方面：社会保障和就业支出（类）754.75万元，占7.74%；"
               "卫生健康支出（类）236.63万元，占2.43%；城乡社区支出（类）3832.36万元，占39.32%；"
               "自然资源海洋气象等支出（类）4461.67万元，占45.78%；住房保障支出（类）461.08万元，占4.73%。")
S_STRUCTURE = ("一般公共预算财政拨款支出307.82万元，主要用于以下方面：一般公共服务支出（类）264.87万元，占86.05%；"
               "社会保障和就业支出（类）10.82万元，占3.52%；卫生健康支出（类）2.71万元，占0.88%；住房保障支出（类）29.42万元，占9.55%。")
# planning p20 三 and p21 五（一）
P_EXPENDITURE = "本年支出合计9759.38万元，其中：基本支出5377.64万元，占55.10%；项目支出4381.74万元，占44.90%。"
P_GENERAL_SHARE = ("一般公共预算财政拨款支出9746.50万元，占本年支出合计的99.86%。与2023年度相比，一般公共预算财政拨款支出增加1193.20万元，"
                   "增长13.95。主要原因：项目支出增加，较上一度增加1133.95万元，主要由于上海市普陀区自然资源确权登记事务中心办公大楼装修等。")
# planning p21 and socialwork p18 五（三）: the section totals
P_TOTAL = ("一般公共预算财政拨款支出年初预算为10210.34万元，支出决算为9746.50万元，完成年初预算的95.45%。决算数小于预算数的主要原因："
           "城乡社区支出（类）未完成年初预期，其中项目支出规划服务较年初完成92%，部分项目未开展完成。其中：")
S_TOTAL = ("一般公共预算财政拨款支出年初预算为0万元，全年预算为321.02万元，支出决算为307.82万元，完成年初预算的95.89%。"
           "决算数小于预算数的主要原因：人员经费支出数小于预算数。其中：")
# planning pp21-24 and socialwork pp18-20 五（三）: items
P_ITEM1 = ("1、社会保障和就业支出（类）行政事业单位养老支出（款）行政单位离退休（项）。主要用于：行政单位退休人员支出。"
           "年初预算为54.53万元，支出决算为54.53万元，完成年初预算的100.00%。决算数同预算数持平。")
P_ITEM3 = ("3、社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位基本养老保险缴费支出（项）。主要用于：行政事业单位养老保险支出。"
           "年初预算为452.40万元，支出决算为446.11万元，完成年初预算的98.61%。决算数小于预算数的主要原因：机构改革人员变动，"
           "年中社会保险缴费基数变更等因素综合导致。")
P_ITEM4 = ("4、社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位职业年金缴费支出（项）。主要用于：行政事业单位职业年金支出。"
           "年初预算为226.25万元，支出决算为225.12万元，完成年初预算的99.50%。决算数小于预算数的主要原因：年中社会保险缴费基数变更导致。")
P_ITEM5 = ("5、社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位退休人员活动费支出（项）。主要用于：退休人员开展活动支出。"
           "年初预算为0.88万元，支出决算为0.88万元。完成年初预算的100.00%。决算数同预算数持平。")
P_ITEM12 = ("12、住房保障支出（类）住房保障支出（款）住房公积金（项）。主要用于：行政单位、事业单位住房公积金支出。"
            "年初预算为289.59万元，支出决算为289.59万元，完成年初预算的100.00%。决算数同预算数持平。")
S_ITEM3 = ("3、一般公共服务支出（类）社会工作事务（款）其他社会工作事务支出（项）。主要用于：新建部门开办费、基层政权和社区建设项目支出。"
           "全年预算为202.24万元，支出决算为202.24万元。决算数与全年预算数持平。")
S_ITEM4 = ("4、社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位基本养老保险缴费支出（项）。主要用于：机关事业单位基本养老保险支出。"
           "全年预算为9.00万元，支出决算为6.18万元。决算数小于全年预算数的主要原因：单位2024年新成立，人员变动，按实际支出。")
S_ITEM8 = ("8、住房保障支出（类）住房改革支出（款）住房公积金（项）。主要用于：事业单位医疗保险支出。全年预算为18.12万元，"
           "支出决算为17.70万元，完成全年预算数的97.68%。决算数小于全年预算数的主要原因：单位2024年新成立，人员变动，按实际支出。")
# planning p24 and socialwork p20 六
P_BASIC = ("一般公共预算财政拨款基本支出5377.64万元。其中：人员经费4896.98万元，主要包括：基本工资、津贴补贴、奖金；"
           "公用经费480.66万元，主要包括：办公费、手续费、水费。")
S_BASIC = ("一般公共预算财政拨款基本支出105.58万元。其中：人员经费95.36万元，主要包括：基本工资、津贴补贴、绩效工资；"
           "公用经费10.23万元，主要包括：办公费、邮电费、差旅费。")
# planning p25 七（一）
P_THREE = ("“三公”经费财政拨款支出年初预算为2.85万元，支出决算为0.39万元，完成预算的13.68%，其中：因公出国（境）费决算为0.00万元，"
           "完成预算的0.00%；公务用车购置及运行维护费支出决算为0.00万元，完成预算的0.00%；公务接待费支出决算为0.39万元，"
           "完成预算的13.68%。2024年度“三公”经费支出决算数小于预算数的主要原因：严格落实中央八项规定，控制“三公”经费支出。")
P_THREE_CHANGE = ("2024年度“三公”经费财政拨款支出决算数比2023年度减少0.15万元，下降（增长）27.78%，其中：因公出国（境）费支出与上一年度持平；"
                  "公务用车购置及运行维护费支出与上一年度持平；公务接待费支出决算减少0.15万元，下降27.78%。"
                  "公务接待费支出减少的主要原因是严格落实中央八项规定，控制“三公”经费支出。")
# planning p27 十一（一）; planning and socialwork p17/p20 一
P_OPERATING = ("机关运行经费支出142.80万元，比2023年度减少13.52万元，下降8.65%。主要原因是严格落实中央八项规定，控制机关运行成本相关规定，"
               "勤俭节约，合理支出。较上一年度减少了培训费支出等。")
S_OVERVIEW = ("中共上海市普陀区委社会工作部2024年度收入支出总计307.82万元。与2023年度相比，收入支出总计增加307.82万元，增长100.00%。"
              "主要原因：单位于2024年成立。")


@cache
def _clean() -> Disclosure:
    return read(LAYOUTS / "sh-final-2024.docx")


def clean() -> Disclosure:
    return _clean().model_copy(deep=True)


def put(d: Disclosure, key: str, index: int, *texts: str) -> Disclosure:
    """The paragraph `index` of section `key` replaced by `texts`."""
    section = d.explanation.section(key)
    section.paragraphs[index:index + 1] = [Paragraph(text=t) for t in texts]
    return d


def fired(d: Disclosure, rule: str):
    return [f for f in audit(d) if f.rule == rule]


def test_rules_are_listed_with_their_severity():
    meta = rules()
    assert [meta[r].severity for r in MINE] == ["error", "error", "warning", "warning", "error", "warning", "error",
                                                "error", "warning"]


# -- the clean 决算, the budgets -----------------------------------------------------------
def test_clean_final_accounts_raise_none_of_these_rules():
    assert [f.message for f in audit(clean()) if f.rule in MINE] == []


def test_budgets_raise_none_and_state_no_execution():
    d = read(LAYOUTS / "sh-dept-2025.docx")
    assert execution_items(d) == []
    assert [f for f in audit(d) if f.rule in MINE] == []


# -- T11 shares ------------------------------------------------------------------------
def test_t11_share_of_the_lead_total_fires():
    # socialwork p18: 29.42 / 307.82 = 9.558% printed 9.55%
    hits = fired(put(clean(), "final_general", 3, S_STRUCTURE), "T11")
    assert [(f.section, f.paragraph) for f in hits] == [("五、一般公共预算财政拨款支出决算情况说明", 3)]
    assert "住房保障支出（类）29.42万元，占9.55%" in hits[0].message and "= 9.56%" in hits[0].message


def test_t11_quiet_on_right_shares():
    d = put(clean(), "final_general", 3, P_STRUCTURE)
    d = put(d, "final_expenditure", 0, P_EXPENDITURE)
    assert fired(d, "T11") == []


def test_t11_share_of_a_named_base_is_against_the_table():
    # planning p21 against the fixture's 本年支出合计 (3827.15): 9746.50 cannot be 99.86% of it;
    # the fixture's own sentence (3632.25, 94.91%) is right
    hits = fired(put(clean(), "final_general", 1, P_GENERAL_SHARE), "T11")
    assert len(hits) == 1 and "本年支出合计 3827.15" in hits[0].message
    assert fired(clean(), "T11") == []


# -- T12 completion rates ------------------------------------------------------------------
def test_t12_wrong_rate_fires():
    # planning p21: 9746.50 / 10210.34 = 95.457% printed 95.45%
    hits = fired(put(clean(), "final_general", 5, P_TOTAL), "T12")
    assert [f.paragraph for f in hits] == [5] and "= 95.46%，而非 95.45%" in hits[0].message


def test_t12_rate_against_a_budget_of_zero_fires():
    # socialwork p18: 完成年初预算的95.89% where 年初预算 is 0 (95.89% is against 全年预算)
    hits = fired(put(clean(), "final_general", 5, S_TOTAL), "T12")
    assert len(hits) == 1 and "年初预算为 0" in hits[0].message and "全年预算 321.02" in hits[0].message


def test_t12_quiet_on_right_rates():
    d = put(clean(), "final_general", 6, P_ITEM3, P_ITEM5, S_ITEM8)
    assert fired(d, "T12") == []


# -- T13 wording ---------------------------------------------------------------------------
def test_t13_wording_against_the_figures_fires():
    # planning p22 item 4 with 小于 changed to 大于
    hits = fired(put(clean(), "final_general", 6, P_ITEM4.replace("决算数小于预算数", "决算数大于预算数")), "T13")
    assert [f.paragraph for f in hits] == [6] and "决算数大于预算数" in hits[0].message
    # planning p21 item 1 with its 支出决算 changed to 54.50 (持平 only when equal)
    hits = fired(put(clean(), "final_general", 6, P_ITEM1.replace("支出决算为54.53", "支出决算为54.50")), "T13")
    assert len(hits) == 1 and "决算数同预算数持平" in hits[0].message


def test_t13_quiet_on_right_wording():
    # 持平 when equal; 决算数小于预算数 of a total whose 年初预算 is 0 but 全年预算 321.02
    d = put(clean(), "final_general", 6, P_ITEM1, S_ITEM3, S_ITEM4)
    d = put(d, "final_general", 5, S_TOTAL)
    assert fired(d, "T13") == []


# -- T14 reasons -----------------------------------------------------------------------------
def test_t14_missing_or_empty_reason_fires():
    # socialwork p19 item 4 without its reason sentence
    without = S_ITEM4.split("决算数小于")[0]
    hits = fired(put(clean(), "final_general", 6, without), "T14")
    assert [f.paragraph for f in hits] == [6] and "未说明原因" in hits[0].message
    # … and with the reason left empty
    empty = S_ITEM4.split("原因：")[0] + "原因：。"
    hits = fired(put(clean(), "final_general", 6, empty), "T14")
    assert len(hits) == 1 and "为空" in hits[0].message


def test_t14_quiet_when_equal_or_explained():
    d = put(clean(), "final_general", 6, P_ITEM1, P_ITEM3, S_ITEM4)
    assert fired(d, "T14") == []


# -- T15 amounts against the tables -------------------------------------------------------------
def test_t15_basic_expenditure_against_the_table_fires():
    # planning p24 in the fixture: its 5377.64 / 4896.98 / 480.66 against 1459.50 / 1258.17 / 201.33
    hits = fired(put(clean(), "final_basic", 0, P_BASIC), "T15")
    assert len(hits) == 3 and all(f.paragraph == 0 for f in hits)
    assert "一般公共预算财政拨款基本支出5377.64万元" in hits[0].message


def test_t15_item_and_three_public_against_the_tables():
    # planning p25's 三公 sentence in the fixture: 2.85 / 0.39 against the fixture's 三公 table (32.70 / 29.46)
    hits = fired(put(clean(), "three_public", 1, P_THREE), "T15")
    assert {f.item for f in hits} >= {"“三公”经费财政拨款支出", "公务接待费"}
    assert any("年初预算 2.85" in f.message and "预算数为 32.70" in f.message for f in hits)


def test_t15_quiet_on_the_clean_fixture_and_the_understood_amounts():
    d = clean()
    assert fired(d, "T15") == []
    # every amount of the 决算's sections is understood (no T10) where the tables hold it
    assert [f.message for f in audit(d) if f.rule == "T10" and "单价" not in f.message] == []


# -- T16 names of the 科目 ----------------------------------------------------------------------
def test_t16_wrong_name_fires():
    # planning p24 item 12: 住房保障支出（款） for 22102 住房改革支出
    hits = fired(put(clean(), "final_general", 22, P_ITEM12), "T16")
    assert [(f.paragraph, f.code) for f in hits] == [(22, "2210201")] and "住房改革支出（款）" in hits[0].message
    # planning p22 item 5: a 项 no table prints
    hits = fired(put(clean(), "final_general", 16, P_ITEM5), "T16")
    assert len(hits) == 1 and "找不到" in hits[0].message and hits[0].code is None


def test_t16_quiet_on_the_table_names():
    # socialwork p20 item 8 names 2210201 as the table does
    assert fired(put(clean(), "final_general", 22, S_ITEM8), "T16") == []


# -- T17 year-on-year ----------------------------------------------------------------------------
def test_t17_rate_or_direction_fires():
    # planning p27 with 8.65% changed to 8.56% (13.52 / (142.80 + 13.52) = 8.649%)
    hits = fired(put(clean(), "final_other", 1, P_OPERATING.replace("8.65%", "8.56%")), "T17")
    assert [f.paragraph for f in hits] == [1] and "上年 156.32" in hits[0].message and "8.65%" in hits[0].message
    # … and with 下降 changed to 增长
    hits = fired(put(clean(), "final_other", 1, P_OPERATING.replace("下降8.65%", "增长8.65%")), "T17")
    assert len(hits) == 1 and "方向" in hits[0].message


def test_t17_quiet_on_right_rates_and_rates_against_nothing():
    d = put(clean(), "final_other", 1, P_OPERATING)
    d = put(d, "overview", 0, S_OVERVIEW)  # 增长100.00% from a 2023 figure of 0: not checked
    d = put(d, "three_public", 1, P_THREE, P_THREE_CHANGE)  # 0.15 / 0.54 = 27.78%, 公务接待费 of 0.39
    d.explanation.section("three_public").paragraphs[3:4] = []  # the fixture's own change sentence
    assert fired(d, "T17") == []


# -- T18 parts and totals -------------------------------------------------------------------------
def test_t18_parts_fire():
    # socialwork p20: 95.36 + 10.23 = 105.59 for 105.58
    hits = fired(put(clean(), "final_basic", 0, S_BASIC), "T18")
    assert [f.paragraph for f in hits] == [0] and "= 105.59" in hits[0].message


def test_t18_quiet_when_the_parts_add_up():
    # planning p24: 4896.98 + 480.66 = 5377.64 (the text adds up; the tables differ: T15)
    assert fired(put(clean(), "final_basic", 0, P_BASIC), "T18") == []
    assert fired(clean(), "T18") == []


# -- T19 leftovers ------------------------------------------------------------------------------
def test_t19_template_leftovers_fire():
    d = put(clean(), "three_public", 2, P_THREE_CHANGE)  # planning p25: 下降（增长）27.78%
    d = put(d, "final_general", 1, P_GENERAL_SHARE)  # planning p21: 增长13.95。
    hits = fired(d, "T19")
    assert {(f.section[:2], f.paragraph) for f in hits} == {("五、", 1), ("七、", 2)}
    assert any("下降（增长）" in f.message for f in hits) and any("百分号" in f.message for f in hits)


def test_t19_quiet():
    assert fired(put(clean(), "final_other", 1, P_OPERATING), "T19") == []


# -- the planted faults -------------------------------------------------------------------------
def test_planted_text_faults_found_at_their_paragraphs():
    """sh-final-2024-faults.expected.yaml: F2 (占59.04%), F3 (完成71.80%), F4 (302.00
    for 320.00) where they are printed; F1 (176.33 in the table and the text) by
    the items no longer adding up to the total (with F4); F5 (4.82 in the table)
    by the text's 4.62."""
    got = sorted((f.rule, f.section[:2], f.paragraph, f.code) for f in audit(read(LAYOUTS / "sh-final-2024-faults.docx"))
                 if f.rule in MINE)
    assert got == [("T11", "三、", 0, None),          # F2
                   ("T12", "五、", 7, "2060102"),     # F3
                   ("T15", "七、", 8, None),          # F5: 公务用车运行维护支出4.62万元
                   ("T15", "五、", 15, "2069999"),    # F4
                   ("T18", "五、", 5, None)]          # F1 + F4: Σ 决算 3614.26 for 3632.25


# -- the execution statements -------------------------------------------------------------------
def test_execution_items_api():
    items = execution_items(clean())
    total = items[0]
    assert (total.kind, total.paragraph, total.budget, total.actual, total.percent, total.relation) == (
        "total", 5, D("3652.31"), D("3632.25"), D("99.45"), "less")
    first = items[1]
    assert (first.kind, first.code, first.names) == ("item", "2060101", ("科学技术支出", "科学技术管理事务", "行政运行"))
    assert (first.budget, first.actual, first.percent, first.wording) == (D("598.20"), D("612.48"), D("102.39"), "决算数大于预算数")
    assert first.reason.startswith("年中人员调入") and first.quote == "年初预算为598.20万元，支出决算为612.48万元，完成年初预算的102.39%"
    assert len([e for e in items if e.kind == "item"]) == 18
    three = [(e.key, e.budget, e.actual, e.percent) for e in items if e.kind == "three_public"]
    assert three == [("subtotal", D("32.70"), D("29.46"), D("90.09")), ("abroad", None, D("6.42"), D("80.25")),
                     ("vehicles", None, D("22.18"), D("95.60")), ("reception", None, D("0.86"), D("57.33"))]


def test_execution_of_full_year_budgets():
    d = put(clean(), "final_general", 5, S_TOTAL)
    d = put(d, "final_general", 6, S_ITEM8)
    total, item = execution_items(d)[:2]
    assert (total.budget, total.full_budget, total.percent_basis) == (D("0"), D("321.02"), "budget")
    assert (item.budget, item.full_budget, item.percent_basis, item.wording_basis, item.code) == (
        None, D("18.12"), "full", "full", "2210201")


# -- the real 决算 ---------------------------------------------------------------------------------
# each finding a fault confirmed on the page (tests/corpus/expected/*.yaml)
REAL = {
    "sh-pt-planning-2024-dept-final.pdf": [
        ("T11", 21, None),       # 占本年支出合计的99.86%: 9746.50 / 9759.38 = 99.87%
        ("T12", 21, None),       # 完成年初预算的95.45%: 95.46%
        ("T15", 24, None),       # 基本支出5377.64 vs table 5 5364.75
        ("T15", 24, None),       # 人员经费4896.98 vs table 6 4884.09
        ("T16", 22, None),       # item 5 机关事业单位退休人员活动费支出（项）: no such row
        ("T16", 24, "2200199"),  # item 11 其他国土资源事务支出 for 其他自然资源事务支出
        ("T16", 24, "2210201"),  # items 12, 13 住房保障支出（款） for 住房改革支出
        ("T16", 24, "2210203"),
        ("T18", 21, None),       # the 13 items' 年初预算 add to 10210.33, not 10210.34
        ("T19", 21, None),       # 增长13.95。
        ("T19", 25, None),       # 下降（增长）27.78%
    ],
    "sh-pt-socialwork-2024-dept-final.pdf": [
        ("T11", 18, None),       # 住房保障支出（类）29.42万元，占9.55%: 9.56%
        ("T12", 18, None),       # 完成年初预算的95.89% with 年初预算 0
        ("T18", 20, None),       # 人员经费95.36 + 公用经费10.23 ≠ 基本支出105.58
    ],
}


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not here")
@pytest.mark.parametrize("name", sorted(REAL))
def test_real_final_accounts_only_confirmed_faults(name):
    got = sorted(((f.rule, f.page, f.code) for f in audit(read(CORPUS / name)) if f.rule in MINE),
                 key=lambda x: (x[0], x[1], x[2] or ""))
    assert got == sorted(REAL[name], key=lambda x: (x[0], x[1], x[2] or ""))
