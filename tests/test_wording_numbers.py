"""The text against itself, as an inspector reads it: years (W01–W02), rates
and changes recomputed from the amounts a sentence joins (W03–W07, W20), one
item one amount (W08). Rules in audit/years.py, changes.py, consistency.py.

Each rule fires and stays quiet on a real sentence put into a paragraph of
晋州 2026 (examples/jinzhou-2026.docx); the sentences are quoted from the
corpus pages (pdftotext -layout, whitespace removed). Where a sentence was
changed to make a rule fire, the change is said. The document's year is set
to the sentence's own where the rule reads it.
"""

from functools import cache
from pathlib import Path

import pytest

from yusuan.audit import audit, audit_with_ledger
from yusuan.model import Disclosure, Paragraph
from yusuan.read import read

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
LAYOUTS = Path(__file__).resolve().parent / "data" / "layouts"
MINE = ("W01", "W02", "W03", "W04", "W05", "W06", "W07", "W08", "W20")

# wanli 2023 p6, 部门预算编制说明 (the "0万元，比上年增加1421.25万元")
WANLI23_FUNDS = ("支出预算16497.86万元，其中：财政拨款支出预算16497.86万元，比2022年预算增加1421.25万元。"
                 "财政拨款支出预算中，一般公共预算拨款支出预算16497.86万元，比2022年预算增加1421.25万元；"
                 "政府性基金拨款支出预算0万元，比2022年预算增加1421.25万元；国有资本经营预算拨款支出预算0万元，比2022年预算持平。")
# wanli 2023 p6 item 3: 45.41 over 11.67 is +289.12%
WANLI23_ITEM3 = ("3.“一般公共服务支出（类）群众团体事务（款）一般行政管理事务（项）”45.41万元，主要用于群众团体事务一般行政管理事务。"
                 "2022年当年预算执行数为11.67万元，2023年预算安排45.41万元，比2022年预算执行数增加314.82%。"
                 "主要原因是：群众团体事务一般行政管理事务经费增加。")
# wanli 2023 p6 item 2: a new item, "增加100.00%" from 0
WANLI23_ITEM2 = ("2.“一般公共服务支出（类）统计信息事务（款）专项普查活动（项）”60.13万元，主要用于统计管理。"
                 "2022年当年预算执行数为0万元，2023年预算安排60.13万元，比2022年预算执行数增加100.00%。"
                 "主要原因是：2023年新增专项普查活动经费。")
# wanli 2024 p9 items 31 and 32: 31 restates 350.35 as 352.67 (its rate agrees with 350.35)
WANLI24_ITEM31 = ("31.“住房保障支出（类）住房改革支出（款）住房公积金（项）”350.35万元，主要用于住房公积金。"
                  "2023年当年预算执行数为348.52万元，2024年预算安排352.67万元，比2023年预算执行数增加0.53%。"
                  "主要原因是：住房公积金经费增加。")
WANLI24_ITEM32 = ("32.“住房保障支出（类）住房改革支出（款）购房补贴（项）”320.17万元，主要用于购房补贴。"
                  "2023年当年预算执行数为318.14万元，2024年预算安排320.17万元，比2023年预算执行数增加0.64%。"
                  "主要原因是：购房补贴经费增加。")
# welfare home 2024 p6 item 1: 53.84 against 54.60 is −1.39%
WELFARE_ITEM1 = ("1.“社会保障和就业支出（类）行政事业单位养老支出（款）事业单位离退休（项）”53.84万元，"
                 "主要用于事业单位退休人员福利费和生活补贴。2023年当年预算执行数为54.60万元，2024年预算安排53.84万元，"
                 "比2023年预算执行数减少1.39%。主要原因是：有退休人员去世。")
# court 2017 p22 (865.57 / 1094.42 = 79.09%) and cppcc 2018 (405.74 / 1093.52 = 37.10%)
COURT_RENT = ("2．住房改革支出（款）提租补贴（项）支出1959.99万元，与上年相比增加865.57万元，增长79.05%。"
              "主要原因是调整了住房补贴、新职工逐月购房补贴标准增加的支出。")
CPPCC_HOUSING = ("3.住房保障（类）支出1,499.26万元，主要用于发放单位职工提租补贴和缴纳单位职工住房公积金。"
                 "与上年相比增加405.74万元，增长37.10%。主要原因是住房公积金和提租补贴政策性调整。")
# npc 2019: a rate printed to one decimal (2432.93 / 15897.44 = 15.30%)
NPC_TOTAL = ("江苏省人大常委会办公厅2019年度收入、支出预算总计18330.37万元，与上年相比收、支预算总计各增加2432.93万元，"
             "增长15.3%。主要原因是增人增资、政策性增资、住房公积金和提租补贴调整、项目支出增加以及预留机动经费增加等因素。")
# court 2017 p24: a change whose current figure the sentence does not state
COURT_RUNNING = "按与上年统计口径一致相比，本年比上年减少161.96万元，下降了4.39%，主要原因为在编人员减少。"
# cppcc 2018 p14: three shares of the 三公 total, which is not printed in the sentence
CPPCC_SHARES = ("江苏省政协办公厅2018年度一般公共预算拨款安排的“三公”经费预算支出中，因公出国（境）费支出106万元，"
                "占“三公”经费的15.70%；公务用车购置及运行维护费支出156.60万元，占“三公”经费的23.20%；"
                "公务接待费支出412.50万元，占“三公”经费的61.10%。具体情况如下：")
# court 2017 p20: shares made to add up to 100% (182.92 / 28849.38 = 0.634%, printed 0.64%)
COURT_SHARES = ["基本支出17123.19万元，占59.35%；", "项目支出11543.27万元，占40.01%；", "单位预留机动经费182.92万元，占0.64%。"]
# npc 2019 p5: last year's disclosure named in a 2019 document
NPC_UNITS = "2．从预算单位构成看，纳入本部门2018年部门汇总预算编制范围的预算单位共计一家，具体包括：江苏省人大常委会办公厅部门本级。"
# commerce 2025 p3: a comparison with the year before
COMMERCE_FUNDS = "支出预算37,151.47万元，其中：财政拨款支出预算37,151.47万元，比2024年预算增加24,491.71万元。"


@cache
def _jinzhou() -> Disclosure:
    return read(EXAMPLES / "jinzhou-2026.docx")


# the texts put into each test document; the document is kept with them so
# that its id is not reused by another one
PUT: dict[int, tuple[Disclosure, list[str]]] = {}


def doc(*texts: str, year: int = 2026, key: str = "overview") -> Disclosure:
    """晋州 2026 with the first paragraph of a section replaced by `texts`,
    read as a document of `year` (晋州's own text then speaks of other
    years: only findings on the texts put in are looked at)."""
    d = _jinzhou().model_copy(deep=True)
    d.year = year
    section = d.explanation.section(key)
    section.paragraphs[0:1] = [Paragraph(text=t) for t in texts]
    PUT[id(d)] = (d, list(texts))
    return d


def fired(d: Disclosure, rule: str):
    kept, put = PUT.get(id(d), (None, []))
    put = put if kept is d else []
    return [f for f in audit(d) if f.rule == rule
            and (not put or any(f.quote and f.quote.rstrip("…") in t for t in put))]


def test_examples_raise_none_of_these_rules():
    for name in ("jinzhou-2026", "gaoyang-2023"):
        for fmt in ("docx", "txt", "pdf"):
            d = read(EXAMPLES / f"{name}.{fmt}")
            assert [f.message for f in audit(d) if f.rule in MINE] == [], (name, fmt)


# -- W01 / W02 years --------------------------------------------------------------------
def test_w01_comparison_with_the_wrong_year_fires():
    hits = fired(doc(COMMERCE_FUNDS.replace("2024年预算", "2026年预算")), "W01")
    assert [(f.severity, f.section, f.paragraph) for f in hits] == [("warning", "二、部门预算安排的总体情况", 0)]
    assert "2026年预算与2026年比较" in hits[0].message and "比2026年预算增加24,491.71万元" in hits[0].quote


def test_w01_quiet_on_the_year_before():
    assert fired(doc(COMMERCE_FUNDS, year=2025), "W01") == []


def test_w01_last_years_execution_must_be_the_year_before():
    # wanli 2023's item 3 read as a 2024 budget: its base is 2022's execution
    hits = fired(doc(WANLI23_ITEM3, year=2024), "W01")
    assert [h.message for h in hits] == ["2024年预算与2022年比较（「比2022年预算执行数增加314.82%」），应与2023年比较",
                                        "2024年预算以2022年当年预算执行数为上年数，应为2023年"]
    assert fired(doc(WANLI23_ITEM3, year=2023), "W01") == []


def test_w01_a_final_account_compares_with_its_own_budget():
    d = read(LAYOUTS / "sh-final-2024.docx").model_copy(deep=True)
    d.explanation.section("final_general").paragraphs[0:1] = [
        Paragraph(text="一般公共预算财政拨款支出9746.50万元，比2024年预算减少463.84万元。"),
        Paragraph(text="与2024年度相比，一般公共预算财政拨款支出增加1193.20万元。")]
    assert [h.quote for h in fired(d, "W01")] == ["与2024年度相比，一般公共预算财政拨款支出增加1193.20万元"]


def test_w02_last_years_disclosure_named_in_the_text_fires():
    hits = fired(doc(NPC_UNITS, year=2019, key="duties"), "W02")
    assert hits == []  # 主要职能 speaks of history; the unit list is read where it stands:
    d = doc(NPC_UNITS, year=2019)
    hits = fired(d, "W02")
    assert [(h.message, h.paragraph) for h in hits] == [("「2018年部门汇总预算」的年度为2018年，文档年度为2019年", 0)]
    assert fired(doc(NPC_UNITS.replace("2018", "2019"), year=2019), "W02") == []


def test_w02_a_heading_of_another_year_fires():
    d = doc(COMMERCE_FUNDS, year=2025)
    d.explanation.section("overview").heading = "2024年部门预算编制说明"
    PUT[id(d)][1].append("二、2024年部门预算编制说明")
    hits = fired(d, "W02")
    assert [(h.section, h.quote) for h in hits] == [("二、2024年部门预算编制说明", "二、2024年部门预算编制说明")]


# -- W03 rates ------------------------------------------------------------------------
def test_w03_rate_against_the_stated_base_fires():
    hits = fired(doc(WANLI23_ITEM3, year=2023), "W03")
    assert [(h.severity, h.paragraph) for h in hits] == [("error", 0)]
    assert "本年 45.41万元、上年 11.67万元，增减幅度为 289.12%，而非 314.82%" in hits[0].message


def test_w03_rate_against_the_stated_change_fires():
    hits = fired(doc(COURT_RENT, year=2017), "W03")
    assert len(hits) == 1 and "增减幅度为 79.09%，而非 79.05%" in hits[0].message


@pytest.mark.parametrize("text", [WELFARE_ITEM1, CPPCC_HOUSING, NPC_TOTAL, WANLI24_ITEM32])
def test_w03_quiet_on_rates_rounded_as_printed(text):
    assert fired(doc(text, year=2024), "W03") == []


def test_w03_leaves_a_restated_item_to_w08():
    # the rate agrees with the heading figure 350.35; the fault is the restated 352.67
    d = doc(WANLI24_ITEM31, year=2024)
    assert fired(d, "W03") == []
    assert [h.message for h in fired(d, "W08")] == ["同一事项先称 350.35万元，后称「2024年预算安排352.67万元」"]


# -- W04 directions, W05 changes, W06 zero base ----------------------------------------
def test_w04_direction_against_the_amounts_fires():
    # changed: 减少 → 增加 (53.84 is below 54.60)
    hits = fired(doc(WELFARE_ITEM1.replace("减少1.39%", "增加1.39%"), year=2024), "W04")
    assert len(hits) == 1 and "应为减少" in hits[0].message


def test_w04_flat_with_a_change_fires():
    hits = fired(doc("国有资本经营预算拨款支出预算5万元，比2025年预算持平，增加5万元。"), "W04")
    assert hits == []  # "持平，增加" is two statements; the tail after 持平 is not read as its change
    hits = fired(doc("公务接待费支出12万元，比2025年预算持平12万元。"), "W04")
    assert len(hits) == 1 and "称持平，却有增减" in hits[0].message
    assert fired(doc(WANLI23_FUNDS, year=2023), "W04") == []


def test_w05_an_increase_on_nothing_fires():
    hits = fired(doc(WANLI23_FUNDS, year=2023), "W05")
    assert [h.message for h in hits] == ["「比2022年预算增加1421.25万元」：本年 0万元，增加 1421.25万元 则上年为负数"]
    assert "政府性基金拨款支出预算0万元，比2022年预算增加1421.25万元" in hits[0].quote


def test_w05_change_against_the_stated_base_fires():
    # changed: "增加" given an amount that is not 11.67 → 45.41
    text = WANLI23_ITEM3.replace("增加314.82%", "增加30.74万元，增长289.12%")
    hits = fired(doc(text, year=2023), "W05")
    assert len(hits) == 1 and "增减额为 33.74万元" in hits[0].message
    assert fired(doc(text.replace("30.74", "33.74"), year=2023), "W05") == []


def test_w06_growth_from_zero_warns():
    hits = fired(doc(WANLI23_ITEM2, year=2023), "W06")
    assert [(h.severity, h.message) for h in hits] == [
        ("warning", "「比2022年预算执行数增加100.00%」：上年为 0万元，增长率无从计算")]
    assert fired(doc(WANLI23_ITEM3, year=2023), "W06") == []


# -- W07 shares -------------------------------------------------------------------------
def test_w07_shares_of_parts_that_make_the_whole():
    assert fired(doc(CPPCC_SHARES, year=2018, key="three_public"), "W07") == []
    # changed: 15.70 → 15.07
    hits = fired(doc(CPPCC_SHARES.replace("15.70%", "15.07%"), year=2018, key="three_public"), "W07")
    assert len(hits) == 1 and "106万元 ÷ 各项合计 675.10万元 = 15.70%，而非 15.07%" in hits[0].message


def test_w07_quiet_on_a_share_moved_to_make_100():
    assert fired(doc(*COURT_SHARES, year=2017), "W07") == []


def test_w07_share_of_a_base_the_sentence_states():
    text = "“三公”经费预算675.10万元，其中：因公出国（境）费106万元，占“三公”经费的16.70%。"
    hits = fired(doc(text), "W07")
    assert len(hits) == 1 and "106万元 ÷ 675.10万元 = 15.70%" in hits[0].message
    assert fired(doc(text.replace("16.70", "15.70")), "W07") == []


# -- W08 one item, one amount -----------------------------------------------------------
def test_w08_one_label_two_amounts_in_a_section():
    hits = fired(doc("因公出国（境）费支出106万元，公务接待费支出412.50万元。", "1.因公出国（境）费预算支出160万元，比上年预算增加30万元。",
                     year=2018), "W08")
    assert [(h.paragraph, h.message) for h in hits] == [(1, "「因公出国（境）费」先称 106万元（二、部门预算安排的总体情况），后称 160万元")]


def test_w08_quiet_when_restated_alike():
    assert fired(doc(WANLI24_ITEM32, year=2024), "W08") == []
    assert fired(doc("因公出国（境）费支出106万元。", "1.因公出国（境）费预算支出106万元，比上年预算增加30万元。",
                     year=2018), "W08") == []


# -- W20 unattached ---------------------------------------------------------------------
def test_w20_a_change_with_no_figure_is_reported_as_unchecked():
    hits = fired(doc(COURT_RUNNING, year=2017, key="operating_costs"), "W20")
    assert [(h.severity, h.quote) for h in hits] == [("info", "按与上年统计口径一致相比，本年比上年减少161.96万元，下降了4.39%")]
    assert fired(doc(COURT_RENT, year=2017), "W20") == []


def test_years_could_not_run_without_the_documents_year():
    d = doc(COMMERCE_FUNDS)
    d.year = None
    _, ledger = audit_with_ledger(d)
    status = {e.rule: e.status for e in ledger}
    assert status["W01"] == status["W02"] == "could_not_run"
