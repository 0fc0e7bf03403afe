"""Every rule fires on a variant of a seed with one number, name or part
changed, and stays quiet where the seed is right."""

from decimal import Decimal

import pytest
from conftest import load

from yusuan.audit import audit, rules
from yusuan.definitions import squash
from yusuan.model import Disclosure, Paragraph, Row, Source, Unread

D = Decimal


# -- helpers that change one thing in a copy of a seed ---------------------------
def seed(name: str) -> Disclosure:
    return load({"j": "jinzhou-2026", "g": "gaoyang-2023"}[name], "txt").model_copy(deep=True)


def row(d: Disclosure, table: str, code: str | None = None, name: str | None = None, side: str | None = None) -> Row:
    t = d.tables.get(table) or getattr(d, table)
    for r in t.rows:
        if code is not None and r.code != code:
            continue
        if name is not None and name not in squash(r.name):
            continue
        if side is not None and r.side != side:
            continue
        return r
    raise LookupError((table, code, name, side))


def unread(d: Disclosure, kind: str, message: str, text: str = "某某") -> Disclosure:
    d.unread.append(Unread(kind=kind, message=message, text=text, source=Source(format="text", line=7)))
    return d


def set_amount(d, table, column, value, **where):
    row(d, table, **where).amounts[column] = D(value) if value is not None else None
    return d


def edit_text(d: Disclosure, key: str, old: str, new: str) -> Disclosure:
    section = d.explanation.section(key)
    hits = [p for p in section.paragraphs if old in p.text]
    assert hits, (key, old)
    for p in hits:
        p.text = p.text.replace(old, new)
    return d


def drop_rows(d, table, **where):
    t = d.tables[table]
    target = row(d, table, **where)
    t.rows = [r for r in t.rows if r is not target]
    return d


def indicator(d, project: int, level3: str):
    return next(i for i in d.projects[project].indicators if level3 in i.level3)


def drop_section(d, key):
    d.explanation.sections = [s for s in d.explanation.sections if s.key != key]
    return d


def _three_public_right(d):
    return edit_text(d, "three_public", "预算安排0万元", "预算安排10.18万元")


def _j_fixed(d):
    """晋州 with its real findings corrected."""
    for old, new in (("预算安排0万元", "预算安排10.18万元"), ("公务用车购置及运维费0万元", "公务用车购置及运维费10.18万元"),
                     ("公务用车运维费0万元", "公务用车运维费10.18万元"), ("增加0万元", "持平")):
        edit_text(d, "three_public", old, new)
    return d


# rule → (seed, change, a fragment of the expected message)
FIRES = {
    "C01": ("j", lambda d: d.tables.pop("three_public") and d, "缺少标准表「财政拨款“三公”经费支出表」"),
    "C02": ("j", lambda d: drop_section(d, "operating_costs"), "缺少「机关运行经费安排情况」"),
    "C03": ("j", lambda d: edit_text(edit_text(d, "overview", "比上年增减情况", "其他"), "overview", "较2025年", "与去年比"),
            "没有比上年增减情况"),
    "C04": ("j", lambda d: setattr(d.tables["fund_expenditure"], "notes", []) or d, "政府性基金预算财政拨款支出表 为空表"),
    "C05": ("j", lambda d: d.explanation.section("projects").paragraphs.append(Paragraph(text="6、信息化建设绩效目标表")) or d,
            "「信息化建设绩效目标表」，但文档中没有这张表"),
    "C06": ("j", lambda d: setattr(d.projects[1], "indicators", []) or d, "「（业务费）」的绩效目标表没有绩效指标"),
    "C07": ("j", lambda d: setattr(d, "institutions", []) or d, "没有机构设置情况"),
    "C08": ("j", lambda d: setattr(d, "assets", None) or d, "缺少「部门固定资产占用情况表」"),
    "A01": ("j", lambda d: set_amount(d, "income", "total", "639.20", code="21015"),
            "21015 医疗保障管理事务 合计 639.20 ≠ 下级科目之和 638.20，相差 1.00"),
    "A02": ("j", lambda d: set_amount(d, "expenditure", "total", "7273.94", name="合计"),
            "部门预算支出总表 合计 合计 7273.94 ≠ 各类之和 7272.94，相差 1.00"),
    "A03": ("j", lambda d: set_amount(d, "general_basic", "personnel", "206.34", code="30101"),
            "30101 基本工资 合计 206.33 ≠ 人员经费 206.34，相差 -0.01"),
    "A04": ("j", lambda d: set_amount(d, "summary", "income_amount", "7270.00", name="一般公共预算拨款收入"),
            "本年收入合计 预算数 7272.94 ≠ 各项之和 7270.00，相差 2.94"),
    "A05": ("j", lambda d: set_amount(set_amount(d, "three_public", "total", "10.20", name="公务用车购置及运维费"),
                                      "three_public", "general_budget", "10.20", name="公务用车购置及运维费"),
            "二、公务用车购置及运维费 合计 10.20 ≠ 其中：公务用车购置费 + 公务用车运行维护费 10.18，相差 0.02"),
    "A06": ("j", lambda d: set_amount(set_amount(d, "procurement", "total", "0.42", name="复印纸"),
                                      "procurement", "general_budget", "0.42", name="复印纸"),
            "晋州市医疗保障局本级小计 合计 0.75 ≠ 明细之和 0.85，相差 -0.10"),
    "A07": ("j", lambda d: set_amount(d, "procurement", "quantity", "40", name="复印纸"),
            "复印纸 数量 40 × 单价 0.02 = 0.80，与金额 0.32 不符"),
    "A08": ("j", lambda d: set_amount(d, "assets", "value", "47.86", name="车辆"),
            "资产总额 价值（金额单位：万元） 180.66 ≠ 各项之和 180.76，相差 -0.10"),
    "X01": ("j", lambda d: set_amount(d, "summary", "expenditure_amount", "7000.00", name="卫生健康支出"),
            "部门预算收支总表 十、卫生健康支出 预算数 7000.00 ≠ 部门预算支出总表 210 合计 7272.94"),
    "X02": ("j", lambda d: set_amount(d, "summary", "income_amount", "7300.00", name="收入总计"),
            "部门预算收支总表 收入总计 7300.00 ≠ 部门预算收入总表 合计 7272.94，相差 27.06"),
    "X03": ("j", lambda d: drop_rows(d, "expenditure", code="2101599"),
            "部门预算收入总表 列有科目 2101599 其他医疗保障管理事务支出（合计 37.00），部门预算支出总表 没有"),
    "X04": ("j", lambda d: set_amount(d, "fiscal_summary", "income_amount", "7200.00", name="一、一般公共预算拨款", side="income"),
            "部门预算财政拨款收支总表 一、一般公共预算拨款 7200.00 ≠ 部门预算收支总表 对应收入 7272.94"),
    "X05": ("j", lambda d: set_amount(d, "fiscal_summary", "general_budget", "7000.00", name="卫生健康支出"),
            "十、卫生健康支出 一般公共预算财政拨款 7000.00 ≠ 部门预算一般公共预算财政拨款支出表 210 合计 7272.94"),
    "X06": ("j", lambda d: set_amount(d, "general_basic", "total", "588.92", name="合计"),
            "合计 基本支出 587.92 ≠ 部门预算一般公共预算财政拨款基本支出表 合计 588.92，相差 -1.00"),
    "X07": ("j", lambda d: set_amount(d, "general_expenditure", "basic", "580.00", code="2101501"),
            "2101501 行政运行 基本支出 580.00 ≠ 部门预算支出总表 587.92，相差 -7.92"),
    "X08": ("j", lambda d: set_amount(d, "fiscal_summary", "gov_fund", "5.00", name="本年支出合计"),
            "部门预算政府性基金预算财政拨款支出表 合计 0.00 ≠ 部门预算财政拨款收支总表 本年支出合计 政府性基金预算财政拨款 5.00"),
    "X09": ("j", lambda d: set_amount(d, "three_public", "total", "5.00", name="公务用车运行维护费"),
            "公务用车运行维护费 5.00万元 小于 部门预算一般公共预算财政拨款基本支出表 30231 公务用车运行维护费 10.18万元，相差 -5.18万元"),
    "R01": ("j", lambda d: unread(d, "table", "a table (3 rows) that is none of the form's tables: 某某表"),
            "未能识别的表格「某某」：a table (3 rows)"),
    "R02": ("j", lambda d: unread(d, "column", "column 4 (备注) is not in the definition of income"), "未能识别的表列"),
    "R03": ("j", lambda d: unread(d, "cell", "row 5 column 合计: not a number: '1O.5'"), "未能读取的单元格"),
    "R04": ("j", lambda d: unread(d, "paragraph", "text after the last section"), "未能归入任何部分的文字"),
    "R05": ("j", lambda d: unread(d, "table", "a second table recognised as income (收入总表); the first was kept"),
            "a second table recognised as income"),
    "X10": ("j", lambda d: setattr(row(d, "expenditure", code="21015"), "name", "医疗保障事务") or d,
            "科目 21015 在部门预算支出总表名为「医疗保障事务」，在部门预算收入总表名为「医疗保障管理事务」"),
    "X11": ("j", lambda d: set_amount(d, "income", "fiscal", "7000.00", name="合计"),
            "财政拨款收入（一般公共预算、政府性基金、国有资本经营） 7272.94 ≠ 部门预算收入总表 合计 财政拨款收入 7000.00"),
    "T01": ("j", lambda d: edit_text(d, "overview", "一般公共预算收入7272.94万元", "一般公共预算收入7000.00万元"),
            "称「一般公共预算收入7000.00万元」，部门预算收支总表 一、一般公共预算拨款收入 预算数为 7272.94，相差 -272.94"),
    "T02": ("j", lambda d: edit_text(d, "overview", "人员经费541.46万元", "人员经费540.46万元"),
            "称「包括人员经费540.46万元」，部门预算一般公共预算财政拨款基本支出表 合计 人员经费为 541.46，相差 -1.00"),
    "T03": ("j", lambda d: edit_text(d, "overview", "基本支出增加21.86万元", "基本支出增加20.86万元"),
            "比上年增减 259.70 ≠ 基本支出增减 20.86 + 项目支出增减 237.84，相差 1.00"),
    "T04": ("j", lambda d: edit_text(d, "operating_costs", "46.46万元", "45.00万元"),
            "称「我部门机关运行经费共计安排45.00万元」，部门预算一般公共预算财政拨款基本支出表 合计 公用经费为 46.46，相差 -1.46"),
    "T05": ("g", lambda d: edit_text(d, "three_public", "公务接待费0万元", "公务接待费0.50万元"),
            "称「公务接待费0.50万元」，部门预算财政拨款“三公”经费支出表 三、公务接待费 合计为 0.00，相差 0.50"),
    "T06": ("g", lambda d: edit_text(d, "three_public", "减少0.18万元", "增加0.18万元"),
            "称「与2022年相比增加0.18万元」，原因却是「压减」"),
    "T07": ("g", lambda d: edit_text(d, "procurement", "0.00万元", "5.00万元"),
            "称「高阳县医疗保障局安排政府采购预算5.00万元」，部门政府采购预算 合计 合计为 0.00，相差 5.00"),
    "T08": ("j", lambda d: edit_text(d, "assets", "180.66万元", "181.66万元"),
            "上年末固定资产金额为181.66万元」，部门固定资产占用情况表 资产总额 价值（金额单位：万元）为 180.66，相差 1.00"),
    "T09": ("g", lambda d: d, "拟购置固定资产总额为0.00万元」，但部门预算一般公共预算财政拨款基本支出表 310 资本性支出 合计为 3.00"),
    "T10": ("g", lambda d: edit_text(d, "overview", "项目支出530万元，", "项目支出530万元，培训费12.00万元，"),
            "「培训费12.00万元」无法与表中数据核对"),
    "K01": ("j", lambda d: setattr(row(d, "income", code="2101599"), "code", "21015999") or d, "科目编码「21015999」不是 3/5/7 位数字"),
    "K02": ("j", lambda d: drop_rows(d, "expenditure", code="21013"), "2101399 其他医疗救助支出 前面没有上级科目 21013"),
    "K03": ("j", lambda d: [setattr(row(d, t, code="2101202"), "name", "城乡居民基本医疗保险补助")
                            for t in ("income", "expenditure", "general_expenditure")] and d,
            "科目 2101202 名称为「城乡居民基本医疗保险补助」，2026 年官方名称为「财政对城乡居民基本医疗保险基金的补助」"),
    "K04": ("j", lambda d: [setattr(row(d, t, code="2101599"), "code", "2101598")
                            for t in ("income", "expenditure", "general_expenditure")] and d,
            "科目 2101598 其他医疗保障管理事务支出 不在 2026 年科目目录中"),
    "K05": ("j", lambda d: setattr(d, "year", 2012) or d, "不覆盖 2012 年度"),
    "P01": ("j", lambda d: setattr(d.projects[0].plan[-1], "value", "90%") or d, "截至12月底为 90%，未达到 100%"),
    "P02": ("j", lambda d: setattr(d.projects[0], "indicators", [i for i in d.projects[0].indicators if "效益" not in i.level1]) or d,
            "「60周岁以上意外医疗补充保险」没有效益指标"),
    "P03": ("j", lambda d: setattr(indicator(d, 0, "成本控制数"), "target", "≤25万元") or d,
            "成本指标「成本控制数」目标 ≤25万元 超过项目预算数 20.00 万元，相差 5.00"),
    "P04": ("j", lambda d: setattr(indicator(d, 0, "群众满意度"), "target", "≤95%") or d,
            "指标「群众满意度」越高越好，目标却是上限：≤95%"),
    "P05": ("j", lambda d: setattr(indicator(d, 0, "群众满意度"), "level3", "政策落实率") or d,
            "「政策落实率」不是满意度指标，却列在满意度指标下"),
    "P06": ("j", lambda d: [setattr(d.projects[0], k, D("21.00")) for k in ("budget", "fiscal")] and d,
            "5 个项目预算数之和 6686.02 ≠ 部门预算支出总表 项目支出 6685.02，相差 1.00"),
    "P07": ("j", lambda d: setattr(d.projects[2], "budget", None) or d, "1 个项目绩效目标表未列预算数"),
    "P08": ("j", lambda d: setattr(d.projects[0], "fiscal", D("19.00")) or d,
            "预算数 20.00 ≠ 财政资金 19.00 + 其他资金 0.00，相差 1.00"),
    "F01": ("j", lambda d: setattr(d.tables["income"].header, "department", "450晋州市卫生健康局") or d,
            "部门预算收入总表 表头单位为「晋州市卫生健康局」，文档单位为「晋州市医疗保障局」"),
    "F02": ("j", lambda d: setattr(row(d, "expenditure", code="21012"), "seq", "4") or d, "部门预算支出总表 序号应为 3，印为 4"),
    "F03": ("j", lambda d: setattr(d.tables["general_basic"].column("public"), "number", 6) or d, "栏「公用经费」栏次应为 5，印为 6"),
    "F04": ("g", lambda d: setattr(d.explanation.sections[2], "numbering", "3、") or d, "第 3 部分「机关运行经费安排情况」编号为「3、」，应为「三、」"),
    "F05": ("g", lambda d: edit_text(d, "overview", "主要为医疗救助补助专项资金", "主要为高阳县城乡医疗求助"),
            "称项目「高阳县城乡医疗求助」，项目表中为「高阳县城乡医疗救助」"),
    "F06": ("j", lambda d: edit_text(d, "overview", "、业务费；", "、业务费、办公楼维修；"), "「办公楼维修」在项目绩效目标表中找不到"),
}

# rule → (seed, change) where the rule must stay quiet: the seed itself unless
# the seed has the real finding, then the seed with that finding corrected.
QUIET = {
    "T05": ("j", _j_fixed), "T06": ("j", _j_fixed), "T09": ("j", lambda d: d), "T10": ("g", lambda d: d),
    "F04": ("g", lambda d: d), "F05": ("g", lambda d: d), "F06": ("j", lambda d: d),
    "P02": ("j", lambda d: d), "P04": ("j", lambda d: d), "P05": ("j", lambda d: d), "P07": ("j", lambda d: d),
}


def fired(d: Disclosure, rule: str, tolerance: str = "0"):
    return [f for f in audit(d, D(tolerance)) if f.rule == rule]


# rules whose firing and quiet cases live in a test module of their own
TESTED_ELSEWHERE = {
    "test_versus.py": {"X12", "X13"},
    "test_final_text.py": {"T11", "T12", "T13", "T14", "T15", "T16", "T17", "T18", "T19"},
    "test_final_inspection.py": {"C09", "C10", "C11", "C12", "C13", "C14", "C15", "C16",
                                 "T20", "T21", "T22", "T23", "T24"},
    "test_wording_numbers.py": {"W01", "W02", "W03", "W04", "W05", "W06", "W07", "W08", "W20"},
    "test_subject_names.py": {"W09", "W10"},
    "test_typography.py": {"W11", "W12", "W13", "W14", "W15", "W16", "W17"},
    "test_scope_wording.py": {"W18", "W19"},
}


def test_every_rule_has_a_firing_and_a_quiet_test():
    assert set(FIRES) | set().union(*TESTED_ELSEWHERE.values()) == set(rules())


@pytest.mark.parametrize("rule", sorted(FIRES))
def test_rule_fires(rule):
    name, change, fragment = FIRES[rule]
    hits = fired(change(seed(name)), rule)
    assert any(fragment in f.message for f in hits), [f.message for f in hits]
    assert all(f.severity == rules()[rule].severity for f in hits)


@pytest.mark.parametrize("rule", sorted(FIRES))
def test_rule_quiet(rule):
    name, change = QUIET.get(rule, (FIRES[rule][0], lambda d: d))
    assert fired(change(seed(name)), rule) == []


def test_quiet_variants_fix_only_the_real_findings():
    d = _j_fixed(seed("j"))
    assert sorted(f.rule for f in audit(d)) == ["F04", "F05", "F05", "T10"]


def test_tolerance_accepts_rounding_differences():
    d = set_amount(seed("j"), "income", "total", "638.21", code="21015")
    assert fired(d, "A01") and fired(d, "A03")
    assert not fired(d, "A01", "0.01") and not fired(d, "A03", "0.01")
    assert fired(d, "A01", "0.005")


def test_quantity_times_price_allows_the_unit_price_rounding():
    # 鼓粉盒 10 × 0.04 printed against 0.35: a true price of 0.035 rounds to 0.04.
    d = seed("j")
    r = row(d, "procurement", name="鼓粉盒")
    assert (r.amounts["quantity"], r.amounts["unit_price"], r.amounts["total"]) == (D("10"), D("0.04"), D("0.35"))
    assert not fired(d, "A07")
    r.amounts["total"] = D("0.34")
    assert fired(d, "A07")


def test_finding_locations():
    d = set_amount(seed("j"), "income", "total", "639.20", code="21015")
    f = next(f for f in fired(d, "A01") if f.code == "21015")
    assert (f.table, f.code, f.item, f.column, f.column_header, f.line) == ("income", "21015", "医疗保障管理事务", "total", "合计", 347)
    t = fired(edit_text(seed("j"), "assets", "180.66万元", "181.66万元"), "T08")[0]
    assert (t.section, t.paragraph, t.table) == ("九、国有资产信息", 0, None)
    # the variants change deep copies: the cached seed the other tests read is untouched
    indicator(seed("j"), 0, "群众满意度").target = "≤95%"
    assert indicator(load("jinzhou-2026", "txt"), 0, "群众满意度").target == "≥95%"
