"""Typography and leftovers of the printed text (rules W11–W17,
audit/typography.py, data/typography.yaml).

Each rule fires and stays quiet on the 晋州 budget (examples/jinzhou-2026.docx)
or the fictional clean 决算 (tests/data/layouts/sh-final-2024.docx, and its
helpers, from test_final_text) with a
paragraph replaced by a sentence quoted from the real documents
(pdftotext -layout, whitespace removed). Where a sentence had to be changed
to make a rule fire or to show a quiet case, the change is said.
"""

from pathlib import Path

import pytest
from conftest import EXAMPLES, load
from test_final_text import clean as final
from test_final_text import S_ITEM4, fired, put

from yusuan.audit import audit, audit_with_ledger, rules
from yusuan.audit.inspection import blank_template
from yusuan.model import Disclosure
from yusuan.read import read

LAYOUTS = Path(__file__).resolve().parent / "data" / "layouts"
CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
MINE = ("W11", "W12", "W13", "W14", "W15", "W16", "W17")

# -- real sentences ------------------------------------------------------------------
# jinzhou 三: the operating costs
J_OPERATING = ("2026年，我部门机关运行经费共计安排46.46万元，主要用于日常维修、办公用房水电费、办公用房取暖费、"
               "办公用房物业管理费等日常运行支出。")
# sh-pt-commerce-2025 p6 and the other Shanghai budgets' 名词解释: ”、“ between quoted names
C_OTHER_INCOME = "（四）其他收入：指除上述“财政拨款收入”、“事业收入”、“事业单位经营收入”等以外的收入。"
# sh-pt-commerce-2025 p24 四、实施方案: printed without its full stop
C_PLAN = ("根据《普陀区加快发展生命健康产业实施意见》，制定实施流程和细则，明确申报指南，发布项目申报通知，"
          "组织项目审核跟踪、评估，按程序落实专项资金拨付")
# sh-pt-planning-2024 pp26-27 十: the bracket opened at （其中， is never closed
P_PERFORMANCE = ("绩效自评的2024年度项目39个，涉及预算金额4415.48万元，平均得分99.33分（其中，绩效评级为“优”的项目39个；"
                 "绩效评级为“良”的项目0个；绩效评级为“合格”的项目0个；绩效评级为“不合格”的项目0个。绩效自评中共发现问题0个。")
# sh-pt-commerce-2025 p8: brackets printed in two widths, （款) and （类)
C_ITEM = "15.“住房保障支出（类)住房改革支出（款)住房公积金（项）”136.10万元，主要用于在职人员公积金缴纳。"
# sh-pt-welfarehome-2024 p16: the reason is left out
W_CAR = ("（二）公务用车购置及运行费6.40万元，与2023年预算持平，主要原因是。其中：公务用车购置费0.00万元，与2023年预算持平，"
         "主要原因是无此项支出；公务用车运行费6.40万元，与2023年预算持平，主要原因是根据实际公务用处运行情况。")
# js-cppcc-2018 p4: 人员 printed twice
J_STAFF = ("另外，本部门预算还包括江苏省联谊俱乐部8名在职人员、南京中国近代史遗址博物馆管理建设办公室9名在职人员人员经费。")
# js-court-2017 p10 (27): the office's name as a run-in label, then as the subject
J_COURT_LABEL = ("（27）赔偿委员会办公室赔偿委员会办公室依法办理赔偿委员会受理的国家赔偿案件；执行赔偿委员会决定事项；"
                 "审查处理赔偿告诉、申诉案件。")
# js-cppcc-2018 p12: the form's instruction left in the text
J_STAFF_COSTS = ("（一）人员经费4,482.32万元。主要包括：基本工资、津贴补贴、资金、绩效工资、社会保障缴费、住房公积金、医疗费、"
                 "离休费、退休费、奖励金等。（按“部门预算公开06表财政拨款基本支出预算表”中实际发生经济分类支出事项填写）")
# sh-pt-wanli-2023 p30: 【2016】 is a document number's year, not an instruction
W_BASIS = "根据沪府规【2016】168号文关于同意《上海市普陀区万里社区W060501单元G1街坊控制性详细规划局部调整》的批复。"
# x-sh-template-2024 p19 十一（一）: the template's own sentence
T_OPERATING = "机关运行经费支出XXX万元，比2023年度增加（减少）XXX万元，增长（下降）XX%。主要原因是XXXXXXXX。（如持平作持平表述）"
# sh-pt-planning-2024 p21 五（一): 增长13.95 without its %
P_GENERAL = ("一般公共预算财政拨款支出9746.50万元，占本年支出合计的99.86%。与2023年度相比，一般公共预算财政拨款支出增加1193.20万元，"
             "增长13.95。主要原因：项目支出增加，较上一度增加1133.95万元，主要由于上海市普陀区自然资源确权登记事务中心办公大楼装修等。")
# sh-pt-planning-2024 p27 十一（一）
P_RUNNING = ("机关运行经费支出142.80万元，比2023年度减少13.52万元，下降8.65%。主要原因是严格落实中央八项规定，控制机关运行成本相关规定，"
             "勤俭节约，合理支出。")


def jinzhou() -> Disclosure:
    return load("jinzhou-2026", "docx").model_copy(deep=True)


def where(findings) -> list[tuple[str | None, int | None]]:
    return [(f.section, f.paragraph) for f in findings]


def test_rules_are_warnings():
    assert {rules()[r].severity for r in MINE} == {"warning"}


# -- W11 doubled punctuation ------------------------------------------------------------
def test_w11_doubled_marks_fire():
    # jinzhou 三 with its last comma doubled, and its full stop followed by a comma
    d = put(jinzhou(), "operating_costs", 0, J_OPERATING.replace("办公用房物业管理费等", "办公用房物业管理费，，等"))
    hits = fired(d, "W11")
    assert where(hits) == [("三、机关运行经费安排情况", 0)]
    assert hits[0].message.endswith("中「，，」标点重复") and hits[0].quote.startswith("2026年，我部门")
    d = put(jinzhou(), "operating_costs", 0, J_OPERATING.replace("运行支出。", "运行支出。，"))
    assert [f.message.split("中")[-1] for f in fired(d, "W11")] == ["「。，」标点重复"]


def test_w11_quiet_on_quotes_ellipsis_and_dash():
    # ”、“ between quoted names; …… and —— (added to the jinzhou sentence) are marks of their own
    d = put(jinzhou(), "operating_costs", 0, C_OTHER_INCOME,
            J_OPERATING.replace("日常维修、", "日常维修……").replace("等日常运行支出", "——日常运行支出"), C_ITEM)
    assert fired(d, "W11") == []


def test_w11_leaves_a_cut_off_reason_to_w14():
    # welfarehome p16 with the reason's colon form: 主要原因：。 is one fault, W14's
    d = put(jinzhou(), "three_public", 0, W_CAR.replace("主要原因是。", "主要原因：。"))
    assert fired(d, "W11") == [] and len(fired(d, "W14")) == 1


# -- W12 closing punctuation ------------------------------------------------------------------
def test_w12_paragraph_without_its_full_stop_fires():
    hits = fired(put(jinzhou(), "performance", 9, C_PLAN), "W12")
    assert where(hits) == [("五、部门整体绩效目标", 9)]
    assert hits[0].message == "段落末尾「按程序落实专项资金拨付」缺少句末标点" and hits[0].quote.startswith("根据《普陀区")


def test_w12_item_without_its_mark_among_items_with_theirs_fires():
    # jinzhou 一 items 六 (two clauses) and 九 (one clause) with their full stop taken off
    d = jinzhou()
    section = d.explanation.section("duties")
    for i in (6, 9):
        section.paragraphs[i].text = section.paragraphs[i].text.rstrip("。")
    hits = fired(d, "W12")
    assert [f.paragraph for f in hits] == [6, 9]
    assert hits[1].message == "条目末尾「九、承办市委、市政府交办的其他事项」缺少句末标点"


def test_w12_quiet_on_headings_labels_lists_and_remarks():
    # jinzhou as printed: headings (1、收入说明), labels (部门机构设置情况), lists of tables,
    # intros ending with ：; gaoyang 九's one-clause statement printed without 。; a glossary written
    # without stops throughout (all ten 。 taken off); js-cppcc's sentence ending in a remark
    d = jinzhou()
    glossary = d.explanation.section("glossary")
    for p in glossary.paragraphs:
        p.text = p.text.rstrip("。")
    d = put(d, "special_funds", 0, "我部门无其他需要说明的事项", J_STAFF_COSTS)
    assert fired(d, "W12") == []
    assert fired(jinzhou(), "W12") == []


def test_w12_quiet_on_a_table_number_caught_with_a_note():
    # js-2018-tables p10: the reader takes the next page's 公开11表 into the note
    d = read(LAYOUTS / "js-2018-tables.pdf")
    assert any(n.text.endswith("公开11表") for t in d.all_tables() for n in t.notes)
    assert fired(d, "W12") == []


# -- W13 pairs ----------------------------------------------------------------------------------
def test_w13_unclosed_bracket_fires():
    hits = fired(put(jinzhou(), "operating_costs", 0, P_PERFORMANCE), "W13")
    assert where(hits) == [("三、机关运行经费安排情况", 0)]
    assert hits[0].message.endswith("中「（」没有对应的「）」") and "99.33分（其中" in hits[0].message
    # a closing quote with no opening one (planning p26 with the first “ taken off)
    hits = fired(put(jinzhou(), "operating_costs", 0, P_PERFORMANCE.replace("“优", "优", 1)), "W13")
    assert [f.message.split("中")[-1] for f in hits] == ["「”」前面没有对应的「“」", "「（」没有对应的「）」"]


def test_w13_quiet_on_pairs_printed_in_two_widths():
    # commerce p8 （类) （款); jinzhou 四 as printed: （其中：…0万元)
    assert fired(put(jinzhou(), "operating_costs", 0, C_ITEM, C_OTHER_INCOME), "W13") == []
    assert fired(jinzhou(), "W13") == []


# -- W14 cut-off reasons --------------------------------------------------------------------------
def test_w14_cut_off_reason_fires():
    hits = fired(put(jinzhou(), "three_public", 0, W_CAR), "W14")
    assert where(hits) == [("四、财政拨款“三公”经费预算情况及增减变化原因", 0)]
    assert hits[0].message.endswith("中「主要原因是。」之后没有说明原因") and hits[0].quote.startswith("（二）公务用车")
    # jinzhou 四 cut after its colon at the end of the section (changed: 主要原因是厉行节俭… → 主要原因：)
    d = jinzhou()
    p = d.explanation.section("three_public").paragraphs[0]
    p.text = p.text.split("增减变化的主要原因是")[0] + "增减变化的主要原因："
    assert [f.message.split("」中")[-1] for f in fired(d, "W14")] == ["「主要原因：」之后没有说明原因"]


def test_w14_quiet_on_given_reasons_and_lists():
    # jinzhou 四 as printed; planning p27; a reason announced by a colon and listed in the
    # paragraph below (changed: planning p27 cut after 主要原因是：, its reason as item 1);
    # the template's instruction 不用说明变动原因。
    d = put(jinzhou(), "three_public", 0, P_RUNNING, P_RUNNING.split("主要原因是")[0] + "主要原因是：",
            "1、严格落实中央八项规定，控制机关运行成本相关规定。", "预决算持平的不用说明变动原因。")
    assert fired(d, "W14") == []
    assert fired(jinzhou(), "W14") == []


def test_w14_leaves_an_empty_execution_reason_to_t14():
    # socialwork p19 item 4 with its reason left empty (as test_final_text does): T14's
    d = put(final(), "final_general", 6, S_ITEM4.split("原因：")[0] + "原因：。")
    assert len(fired(d, "T14")) == 1 and fired(d, "W14") == [] and fired(d, "W11") == []


# -- W15 doubled words ------------------------------------------------------------------------------
def test_w15_doubled_word_fires():
    hits = fired(put(jinzhou(), "overview", 0, J_STAFF), "W15")
    assert where(hits) == [("二、部门预算安排的总体情况", 0)]
    assert hits[0].message.endswith("9名在职人员人员经费。」中「人员」连写两次，词语重复")
    # jinzhou 三 with 的 doubled (changed: 日常运行支出 → 日常的的运行支出)
    d = put(jinzhou(), "operating_costs", 0, J_OPERATING.replace("日常运行支出", "日常的的运行支出"))
    assert [f.message.split("中")[-1] for f in fired(d, "W15")] == ["「的」连写两次，词语重复"]


def test_w15_quiet_on_words_that_meet_themselves():
    # js-court's run-in label; jinzhou's 专业业务 and 监管管理 (glossary, 五); commerce's list
    # of quoted names; 目的的 (changed: jinzhou 三 → …运行支出，达到预期目的的措施落实到位。)
    d = put(jinzhou(), "operating_costs", 0, J_COURT_LABEL, C_OTHER_INCOME,
            J_OPERATING.replace("运行支出。", "运行支出，达到预期目的的措施落实到位。"))
    assert fired(d, "W15") == []
    assert fired(jinzhou(), "W15") == []


# -- W16 placeholders -------------------------------------------------------------------------------
def test_w16_placeholders_and_instructions_fire():
    # js-cppcc p12's instruction; the template's sentence in a budget (no T19 there): one
    # finding a sentence, all its placeholders named
    hits = fired(put(jinzhou(), "operating_costs", 0, J_STAFF_COSTS, T_OPERATING), "W16")
    assert [(f.paragraph, f.quote) for f in hits] == [
        (0, "（按“部门预算公开06表财政拨款基本支出预算表”中实际发生经济分类支出事项填写）"),
        (1, "机关运行经费支出XXX万元，比2023年度增加（减少）XXX万元，增长（下降）XX%。"),
        (1, "主要原因是XXXXXXXX。"), (1, "（如持平作持平表述）")]
    assert [f.message.split("」中")[-1] for f in hits] == [
        "「（按“部门预算公开06表财政拨款基本支出预算表”中实际发生经济分类支出事项填写）」是模板的填写说明，未删去",
        "「XXX」、「XX」是模板占位符，未填写", "「XXXXXXXX」是模板占位符，未填写", "「（如持平作持平表述）」是模板的填写说明，未删去"]


def test_w16_quiet_on_document_numbers():
    # wanli p30 【2016】; jinzhou's 冀财社[2025]128号 as printed
    assert fired(put(jinzhou(), "operating_costs", 0, W_BASIS), "W16") == []
    assert fired(jinzhou(), "W16") == []


def test_w16_leaves_the_decision_templates_alternatives_to_t19():
    # in a 决算's text T19 reports the sentences with 增加（减少） and （如持平作持平表述）;
    # W16 only the one T19 leaves: 主要原因是XXXXXXXX。
    d = put(final(), "final_other", 1, T_OPERATING)
    assert len(fired(d, "T19")) == 3
    assert [f.quote for f in fired(d, "W16")] == ["主要原因是XXXXXXXX。"]


def _blank(d: Disclosure, name: str) -> Disclosure:
    d.department.name = name
    for t in d.all_tables():
        for r in t.rows:
            r.amounts = {}
    return d


def test_none_runs_on_a_blank_form():
    # the clean 决算 made blank (the department a placeholder, no amount in any table), with
    # the template's sentence; and the jinzhou budget made blank the same way
    for d in (_blank(put(final(), "final_other", 1, T_OPERATING), "上海市XX局"),
              _blank(put(jinzhou(), "operating_costs", 0, T_OPERATING), "晋州市XX局")):
        findings, ledger = audit_with_ledger(d)
        assert [f for f in findings if f.rule in MINE] == []
        assert {e.rule: e.status for e in ledger if e.rule in MINE} == dict.fromkeys(MINE, "could_not_run")
    assert blank_template(d) is None  # inspection.py knows the 决算's blank form only


# -- W17 rates without % ------------------------------------------------------------------------------
def test_w17_rate_without_percent_fires():
    hits = fired(put(jinzhou(), "overview", 0, P_GENERAL), "W17")
    assert where(hits) == [("二、部门预算安排的总体情况", 0)]
    assert hits[0].message.endswith("中「增长13.95」是比率，缺少百分号")
    # planning p21 with the share's % taken off
    d = put(jinzhou(), "overview", 0, P_GENERAL.replace("99.86%", "99.86").replace("增长13.95。", "增长13.95%。"))
    assert [f.message.split("中")[-1] for f in fired(d, "W17")] == ["「占本年支出合计的99.86」是比率，缺少百分号"]


def test_w17_quiet_on_rates_and_amounts():
    # planning p27 (下降8.65%, 减少13.52万元); jinzhou as printed
    assert fired(put(jinzhou(), "overview", 0, P_RUNNING), "W17") == []
    assert fired(jinzhou(), "W17") == []


def test_w17_leaves_a_decision_rate_to_t19():
    # planning p21 in a 决算: T19 reports 增长13.95 without %, W17 does not repeat it
    d = put(final(), "final_general", 1, P_GENERAL)
    assert len(fired(d, "T19")) == 1 and fired(d, "W17") == []


# -- the examples ------------------------------------------------------------------------------------
# gaoyang 五, 第三部分 项目 6 慢性病鉴定资金 绩效目标 (pdf p15): the clause printed twice
GAOYANG_W15 = "「保障城乡居民医疗保险待遇，建立多层次的城乡居民医疗保障体系」连写两次，词语重复"


@pytest.mark.parametrize("name", ["jinzhou-2026.txt", "jinzhou-2026.docx", "jinzhou-2026.pdf",
                                  "gaoyang-2023.txt", "gaoyang-2023.docx", "gaoyang-2023.pdf"])
def test_examples_only_their_confirmed_findings(name):
    stem, fmt = name.rsplit(".", 1)
    d = load(stem, fmt) if fmt != "pdf" else read(EXAMPLES / name)
    got = [(f.rule, f.project, f.page, f.message.split("中")[-1]) for f in audit(d) if f.rule in MINE]
    expected = [] if stem.startswith("jinzhou") else [
        ("W15", "慢性病鉴定资金", 15 if fmt == "pdf" else None, GAOYANG_W15)]
    assert got == expected


corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not here")


@corpus
@pytest.mark.parametrize("name", ["x-sh-template-2024-dept-final.pdf", "x-sh-pt-2026-dept-budget-template.xlsx"])
def test_none_runs_on_the_official_blank_forms(name):
    findings, ledger = audit_with_ledger(read(CORPUS / name))
    assert [f for f in findings if f.rule in MINE] == []
    assert {e.rule: e.status for e in ledger if e.rule in MINE} == dict.fromkeys(MINE, "could_not_run")
