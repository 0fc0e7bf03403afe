"""Both seeds, read from Tika text and from DOCX, against the numbers printed
in them. Every expected value below was copied by hand from the seed text,
not from the parser's output. For each listed row, `cells` is every
non-empty amount of that row: any other amount in it must be empty."""

from decimal import Decimal

import pytest
from conftest import FORMATS, SEEDS, load

from yusuan.definitions import squash

# (row: code or name, side or None, {column key: printed amount})
JINZHOU = {
    "summary": [
        ("一、一般公共预算拨款收入", "income", {"income_amount": "7272.94"}),
        ("二、政府性基金预算拨款收入", "income", {}),
        ("五、单位资金", "income", {}),
        ("一、一般公共服务支出", "expenditure", {}),
        ("十、卫生健康支出", "expenditure", {"expenditure_amount": "7272.94"}),
        ("三十、抗疫特别国债安排的支出", "expenditure", {}),
        ("本年收入合计", "income", {"income_amount": "7272.94"}),
        ("本年支出合计", "expenditure", {"expenditure_amount": "7272.94"}),
        ("上年结转结余", "income", {}),
        ("收入总计", "income", {"income_amount": "7272.94"}),
        ("支出总计", "expenditure", {"expenditure_amount": "7272.94"}),
    ],
    "income": [
        ("合计", None, {"total": "7272.94", "subtotal": "7272.94", "fiscal": "7272.94"}),
        ("210", None, {"total": "7272.94", "subtotal": "7272.94", "fiscal": "7272.94"}),
        ("21012", None, {"total": "6614.74", "subtotal": "6614.74", "fiscal": "6614.74"}),
        ("2101202", None, {"total": "6614.74", "subtotal": "6614.74", "fiscal": "6614.74"}),
        ("21013", None, {"total": "20.00", "subtotal": "20.00", "fiscal": "20.00"}),
        ("2101399", None, {"total": "20.00", "subtotal": "20.00", "fiscal": "20.00"}),
        ("21015", None, {"total": "638.20", "subtotal": "638.20", "fiscal": "638.20"}),
        ("2101501", None, {"total": "587.92", "subtotal": "587.92", "fiscal": "587.92"}),
        ("2101502", None, {"total": "13.28", "subtotal": "13.28", "fiscal": "13.28"}),
        ("2101599", None, {"total": "37.00", "subtotal": "37.00", "fiscal": "37.00"}),
    ],
    "expenditure": [
        ("合计", None, {"total": "7272.94", "basic": "587.92", "project": "6685.02"}),
        ("210", None, {"total": "7272.94", "basic": "587.92", "project": "6685.02"}),
        ("21012", None, {"total": "6614.74", "project": "6614.74"}),
        ("21015", None, {"total": "638.20", "basic": "587.92", "project": "50.28"}),
        ("2101501", None, {"total": "587.92", "basic": "587.92"}),
        ("2101599", None, {"total": "37.00", "project": "37.00"}),
    ],
    "fiscal_summary": [
        ("一、一般公共预算拨款", "income", {"income_amount": "7272.94"}),
        ("二、政府性基金预算拨款", "income", {}),
        ("十、卫生健康支出", "expenditure", {"total": "7272.94", "general_budget": "7272.94"}),
        ("三十一、人行科目", "expenditure", {}),
        ("本年收入合计", "income", {"income_amount": "7272.94"}),
        ("本年支出合计", "expenditure", {"total": "7272.94", "general_budget": "7272.94"}),
        ("年初财政拨款结转和结余", "income", {}),
        ("年末财政拨款结转和结余", "expenditure", {}),
        ("收入总计", "income", {"income_amount": "7272.94"}),
        ("支出总计", "expenditure", {"total": "7272.94", "general_budget": "7272.94"}),
    ],
    "general_expenditure": [
        ("合计", None, {"total": "7272.94", "basic": "587.92", "project": "6685.02"}),
        ("210", None, {"total": "7272.94", "basic": "587.92", "project": "6685.02"}),
        ("2101202", None, {"total": "6614.74", "project": "6614.74"}),
        ("21015", None, {"total": "638.20", "basic": "587.92", "project": "50.28"}),
        ("2101502", None, {"total": "13.28", "project": "13.28"}),
    ],
    "general_basic": [
        ("合计", None, {"total": "587.92", "personnel": "541.46", "public": "46.46"}),
        ("301", None, {"total": "531.91", "personnel": "531.91"}),
        ("302", None, {"total": "46.46", "public": "46.46"}),
        ("303", None, {"total": "9.55", "personnel": "9.55"}),
        ("30101", None, {"total": "206.33", "personnel": "206.33"}),
        ("30113", None, {"total": "44.27", "personnel": "44.27"}),
        ("30205", None, {"total": "0.11", "public": "0.11"}),
        ("30231", None, {"total": "10.18", "public": "10.18"}),
        ("30302", None, {"total": "9.55", "personnel": "9.55"}),
    ],
    "three_public": [
        ("“三公”经费小计", None, {"total": "10.18", "general_budget": "10.18"}),
        ("一、因公出国（境）费", None, {}),
        ("二、公务用车购置及运维费", None, {"total": "10.18", "general_budget": "10.18"}),
        ("其中：公务用车购置费", None, {}),
        ("公务用车运行维护费", None, {"total": "10.18", "general_budget": "10.18"}),
        ("三、公务接待费", None, {}),
    ],
}

GAOYANG = {
    "summary": [
        ("一、一般公共预算拨款收入", "income", {"income_amount": "799.08"}),
        ("九、其他收入", "income", {}),
        ("八、社会保障和就业支出", "expenditure", {"expenditure_amount": "21.80"}),
        ("十、卫生健康支出", "expenditure", {"expenditure_amount": "764.42"}),
        ("二十、住房保障支出", "expenditure", {"expenditure_amount": "12.86"}),
        ("三十一、人行科目", "expenditure", {}),
        ("本年收入合计", "income", {"income_amount": "799.08"}),
        ("本年支出合计", "expenditure", {"expenditure_amount": "799.08"}),
        ("收入总计", "income", {"income_amount": "799.08"}),
        ("支出总计", "expenditure", {"expenditure_amount": "799.08"}),
    ],
    "income": [
        ("合计", None, {"total": "799.08", "subtotal": "799.08", "fiscal": "799.08"}),
        ("208", None, {"total": "21.80", "subtotal": "21.80", "fiscal": "21.80"}),
        ("210", None, {"total": "764.42", "subtotal": "764.42", "fiscal": "764.42"}),
        ("221", None, {"total": "12.86", "subtotal": "12.86", "fiscal": "12.86"}),
        ("2080505", None, {"total": "19.80", "subtotal": "19.80", "fiscal": "19.80"}),
        ("2089999", None, {"total": "2.00", "subtotal": "2.00", "fiscal": "2.00"}),
        ("21011", None, {"total": "407.68", "subtotal": "407.68", "fiscal": "407.68"}),
        ("2101550", None, {"total": "146.21", "subtotal": "146.21", "fiscal": "146.21"}),
        ("2210201", None, {"total": "12.86", "subtotal": "12.86", "fiscal": "12.86"}),
    ],
    "expenditure": [
        ("合计", None, {"total": "799.08", "basic": "269.08", "project": "530.00"}),
        ("208", None, {"total": "21.80", "basic": "19.80", "project": "2.00"}),
        ("210", None, {"total": "764.42", "basic": "236.42", "project": "528.00"}),
        ("221", None, {"total": "12.86", "basic": "12.86"}),
        ("2101101", None, {"total": "403.74", "basic": "3.74", "project": "400.00"}),
        ("21015", None, {"total": "306.74", "basic": "228.74", "project": "78.00"}),
        ("2101506", None, {"total": "63.00", "project": "63.00"}),
    ],
    "fiscal_summary": [
        ("一、一般公共预算拨款", "income", {"income_amount": "799.08"}),
        ("八、社会保障和就业支出", "expenditure", {"total": "21.80", "general_budget": "21.80"}),
        ("十、卫生健康支出", "expenditure", {"total": "764.42", "general_budget": "764.42"}),
        ("二十、住房保障支出", "expenditure", {"total": "12.86", "general_budget": "12.86"}),
        ("本年收入合计", "income", {"income_amount": "799.08"}),
        ("本年支出合计", "expenditure", {"total": "799.08", "general_budget": "799.08"}),
        ("收入总计", "income", {"income_amount": "799.08"}),
        ("支出总计", "expenditure", {"total": "799.08", "general_budget": "799.08"}),
    ],
    "general_expenditure": [
        ("合计", None, {"total": "799.08", "basic": "269.08", "project": "530.00"}),
        ("208", None, {"total": "21.80", "basic": "19.80", "project": "2.00"}),
        ("210", None, {"total": "764.42", "basic": "236.42", "project": "528.00"}),
        ("221", None, {"total": "12.86", "basic": "12.86"}),
        ("2101301", None, {"total": "50.00", "project": "50.00"}),
    ],
    "general_basic": [
        ("合计", None, {"total": "269.08", "personnel": "238.55", "public": "30.53"}),
        ("301", None, {"total": "237.07", "personnel": "237.07"}),
        ("302", None, {"total": "27.53", "public": "27.53"}),
        ("303", None, {"total": "1.48", "personnel": "1.48"}),
        ("310", None, {"total": "3.00", "public": "3.00"}),
        ("30199", None, {"total": "61.45", "personnel": "61.45"}),
        ("30231", None, {"total": "1.62", "public": "1.62"}),
        ("30305", None, {"total": "0.08", "personnel": "0.08"}),
        ("31002", None, {"total": "3.00", "public": "3.00"}),
    ],
    "three_public": [
        ("合计", None, {"total": "1.62", "general_budget": "1.62"}),
        ("“三公”经费小计", None, {"total": "1.62", "general_budget": "1.62"}),
        ("二、公务用车购置及运维费", None, {"total": "1.62", "general_budget": "1.62"}),
        ("公务用车运行维护费", None, {"total": "1.62", "general_budget": "1.62"}),
        ("三、公务接待费", None, {}),
    ],
}

ROW_COUNTS = {
    # summary/fiscal_summary: one model row per non-empty side of a printed row
    "jinzhou-2026": {"summary": 8 + 33, "income": 10, "expenditure": 10, "fiscal_summary": 9 + 34,
                     "general_expenditure": 10, "general_basic": 24, "fund_expenditure": 0,
                     "soe_expenditure": 0, "three_public": 8},
    "gaoyang-2023": {"summary": 12 + 34, "income": 20, "expenditure": 20, "fiscal_summary": 9 + 34,
                     "general_expenditure": 20, "general_basic": 25, "fund_expenditure": 0,
                     "soe_expenditure": 0, "three_public": 9},
}


def find(table, key, side):
    hits = [
        r for r in table.rows
        if (r.code == key or (r.code is None and squash(r.name) == squash(key))) and r.side == side
    ]
    # the first of repeated names (一、一般公共预算拨款 again under 年初结转)
    assert hits, f"{table.id}: {key} ({side}) not found"
    return hits[0]


def check(d, expected):
    checked = 0
    for table_id, rows in expected.items():
        table = d.tables[table_id]
        for key, side, cells in rows:
            row = find(table, key, side)
            got = {k: v for k, v in row.amounts.items() if v is not None}
            assert got == {k: Decimal(v) for k, v in cells.items()}, f"{table_id} {key}"
            # printed form kept: "20.00" stays "20.00"
            assert {k: str(v) for k, v in got.items()} == cells
            checked += len(cells)
    return checked


def test_jinzhou_amounts(jinzhou):
    assert check(jinzhou, JINZHOU) >= 60


def test_gaoyang_amounts(gaoyang):
    assert check(gaoyang, GAOYANG) >= 60


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("fmt_", FORMATS)
def test_every_total_and_class_row_is_listed(seed, fmt_):
    """Every 合计 row and every 类 row of the nine tables is in the
    hand-written expectations above."""
    d = load(seed, fmt_)
    expected = JINZHOU if seed.startswith("jinzhou") else GAOYANG
    for table in d.tables.values():
        listed = {(k, s) for k, s, _ in expected.get(table.id, [])}
        for r in table.rows:
            key = r.code or r.name
            if r.level == "类" or "合计" in squash(r.name) or "总计" in squash(r.name):
                assert (key, r.side) in listed or (squash(key), r.side) in listed, f"{table.id}: {key} not checked"


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("fmt_", FORMATS)
def test_row_counts(seed, fmt_):
    d = load(seed, fmt_)
    assert list(d.tables) == list(ROW_COUNTS[seed])
    assert {k: len(t.rows) for k, t in d.tables.items()} == ROW_COUNTS[seed]


def test_jinzhou_metadata(jinzhou):
    assert (jinzhou.department.code, jinzhou.department.name) == ("450", "晋州市医疗保障局")
    assert (jinzhou.year, jinzhou.unit, jinzhou.kind) == (2026, "万元", "budget")
    assert jinzhou.tables["fund_expenditure"].title == "部门预算政府性基金预算财政拨款支出表"
    assert [n.text for n in jinzhou.tables["fund_expenditure"].notes] == ["注：无政府性基金预算财政拨款预算，空表列示。"]
    assert [n.text for n in jinzhou.tables["soe_expenditure"].notes] == ["注：无国有资本经营预算财政拨款预算，空表列示。"]


def test_gaoyang_metadata(gaoyang):
    assert (gaoyang.department.code, gaoyang.department.name, gaoyang.year) == ("450", "高阳县医疗保障局", 2023)
    assert gaoyang.tables["fund_expenditure"].title == "部门预算政府基金预算财政拨款支出表"
    assert [n.text for n in gaoyang.tables["fund_expenditure"].notes] == ["注：无政府基金预算财政拨款预算，空表列示。"]


def test_columns_map_through_merged_headers(jinzhou):
    income = jinzhou.tables["income"]
    keys = [c.key for c in income.columns]
    assert keys == ["seq", "code", "name", "total", "subtotal", "fiscal", "special_account", "business",
                    "operating", "superior_subsidy", "affiliated_remit", "other", "carryover"]
    sub = income.column("subtotal")
    assert (sub.header, sub.number) == (["本年收入", "小计"], 4)
    assert income.column("carryover").number == 12
    fiscal = jinzhou.tables["fiscal_summary"]
    assert [(c.key, c.side, c.header[0]) for c in fiscal.columns[1:4]] == [
        ("income_item", "income", "收入"), ("income_amount", "income", "收入"), ("expenditure_item", "expenditure", "支出")]
    assert fiscal.column("soe").header == ["支出", "国有资本经营预算财政拨款"]
    basic = jinzhou.tables["general_basic"]
    assert basic.column("personnel").header == ["一般公共预算基本支出", "人员经费"]
    assert basic.column("code").header == ["支出部门经济分类科目", "科目编码"]
    tp = jinzhou.tables["three_public"]
    assert [c.number for c in tp.columns] == [None, 1, 2, 3, 4, 5]
    for table in jinzhou.all_tables():
        assert table.problems == []


def test_levels(jinzhou):
    exp = jinzhou.tables["expenditure"]
    assert [(r.code, r.level) for r in exp.rows[:4]] == [(None, None), ("210", "类"), ("21012", "款"), ("2101202", "项")]
    assert find(jinzhou.tables["general_basic"], "30101", None).level == "款"


JINZHOU_SECTIONS = [
    ("duties", "一、", "部门职责及机构设置情况"),
    ("overview", "二、", "部门预算安排的总体情况"),
    ("operating_costs", "三、", "机关运行经费安排情况"),
    ("three_public", "四、", "财政拨款“三公”经费预算情况及增减变化原因"),
    ("performance", "五、", "部门整体绩效目标"),
    ("special_funds", "6、", "部门主管专项资金预算安排情况及绩效目标"),
    ("projects", "七、", "部门项目预算安排情况及绩效目标"),
    ("procurement", "八、", "政府采购预算情况"),
    ("assets", "九、", "国有资产信息"),
    ("glossary", "十、", "名词解释"),
]
GAOYANG_SECTIONS = [
    ("duties", "一、", "部门职责及机构设置情况"),
    ("overview", "二、", "部门预算安排的总体情况"),
    ("operating_costs", "三、", "机关运行经费安排情况"),
    ("three_public", "四、", "财政拨款“三公”经费预算情况及增减变化原因"),
    ("performance", "五、", "预算绩效信息"),
    ("procurement", "六、", "政府采购预算情况"),
    ("assets", "七、", "国有资产信息"),
    ("glossary", "八、", "名词解释"),
    ("other", "九、", "其他需要说明的事项"),
]


def test_jinzhou_explanation(jinzhou):
    e = jinzhou.explanation
    assert e.title == "第一部分  晋州市医疗保障局2026年部门预算信息公开情况说明"
    assert [(s.key, s.numbering, s.heading) for s in e.sections] == JINZHOU_SECTIONS
    overview = e.section("overview")
    assert overview.paragraphs[1].text == "1、收入说明"
    assert overview.paragraphs[2].text.startswith("反映本部门当年全部收入。2026年预算收入7272.94万元")
    assert e.section("three_public").paragraphs[0].text.startswith("2026年，我部门财政拨款“三公”经费预算安排0万元")
    assert len(jinzhou.duties) == 9 and jinzhou.duties[8].text == "九、承办市委、市政府交办的其他事项。"
    assert [(i.name, i.kind, i.rank, i.funding) for i in jinzhou.institutions] == [
        ("晋州市医疗保障局本级", "行政", "正科级", "财政拨款"),
        ("晋州市医疗保险中心", "事业", "副科级", "财政性资金基本保证"),
    ]
    perf = jinzhou.performance
    assert (len(perf.overall), len(perf.targets), len(perf.measures)) == (1, 5, 7)
    assert perf.targets[0].text.startswith("1、完善医保的筹资和待遇动态调整机制。")
    assert [g.term for g in jinzhou.glossary][:3] == ["财政拨款收入", "财政专户管理资金收入", "单位资金收入"]
    assert len(jinzhou.glossary) == 10


def test_gaoyang_explanation(gaoyang):
    e = gaoyang.explanation
    assert [(s.key, s.numbering, s.heading) for s in e.sections] == GAOYANG_SECTIONS
    assert len(gaoyang.duties) == 9 and gaoyang.duties[0].text.startswith("（一）拟订全县城镇职工")
    assert [i.rank for i in gaoyang.institutions] == ["正科级", "未定行政级别", "未定行政级别"]
    perf = gaoyang.performance
    assert (len(perf.overall), len(perf.targets), len(perf.measures)) == (1, 15, 5)
    assert len(gaoyang.glossary) == 10 and gaoyang.glossary[7].term == "机关运行费"


JINZHOU_PROJECTS = [
    ("13018326P00032810269L", "60周岁以上意外医疗补充保险", "20.00", 7),
    ("13018326P000328102508", "（业务费）", "3.28", 7),
    ("13018326P00032710014Y", "冀财社[2025]128号提前下达2026年中央财政医疗服务与保障能力提升补助资金（医疗保障服务能力建设部分）", "37.00", 6),
    ("13018326P00032810271K", "医疗保险专项经费", "10.00", 6),
    ("13018326P000192100061", "城乡居民基本医疗保险", "6614.74", 6),
]


def test_jinzhou_projects(jinzhou):
    got = [(p.code, p.name, str(p.budget), len(p.indicators)) for p in jinzhou.projects]
    assert got == JINZHOU_PROJECTS
    assert sum(len(p.indicators) for p in jinzhou.projects) == 32
    p = jinzhou.projects[0]
    assert (p.fiscal, p.other, p.unit) == (Decimal("20.00"), None, "万元")
    assert p.purpose == "为参加2026年度城乡居民医疗保险且年满60周岁以上老年人办理意外医疗补充保险."
    assert [(x.label, x.value) for x in jinzhou.projects[4].plan] == [("3月底", "20%"), ("6月底", "50%"), ("10月底", "75%"), ("12月底", "100%")]
    ind = p.indicators[3]
    assert (ind.level1, ind.level2, ind.level3, ind.target) == ("产出指标", "成本指标", "成本控制数", "≤20万元")
    last = p.indicators[-1]
    assert (last.level1, last.level2, last.level3, last.target, last.basis) == (
        "满意度指标", "服务对象满意度指标", "群众满意度", "≥95%", "关于拨付财政补助资金的请示")


def test_gaoyang_projects(gaoyang):
    names = [p.name for p in gaoyang.projects]
    assert names == ["城乡居民意外伤害调查界定服务费", "高阳县城乡医疗救助", "高阳县离休荣军干部医药费",
                     "冀财社[2022]172号-城乡居民社会保险代办员补助", "冀财社[2022]218号-医疗服务与保障能力提升补助资金",
                     "慢性病鉴定资金", "医疗保障经费（劳务派遣）"]
    assert [len(p.indicators) for p in gaoyang.projects] == [7, 6, 6, 5, 12, 7, 7]
    assert all(p.budget is None and p.code is None for p in gaoyang.projects)
    # a goal cell with several paragraphs (continuation lines without TAB)
    assert gaoyang.projects[1].goal == "1.救助对象医保范围内自付费用年度限额内住院救助比例达到70%\n2.救助对象人次规模与上年持平\n3.强化医疗救助规范化管理"
    assert gaoyang.projects[0].goal == "1.提高居民意外伤害医保待遇经办管理水平。\n\n2.提高调查界定能力，缩减报销周期，维护参保人员医保权益和医保基金安全。"
    # an indicator continuing the merged 一级指标 cell above it
    ind = gaoyang.projects[0].indicators[5]
    assert (ind.level1, ind.level2, ind.level3, ind.target) == ("效益指标", "社会效益指标", "国家政策落实率", "100％")


def test_jinzhou_procurement_and_assets(jinzhou):
    pr = jinzhou.procurement
    assert len(pr.rows) == 11
    assert [(r.name, str(r.amounts["total"])) for r in pr.rows[:2]] == [("合  计", "3.79"), ("晋州市医疗保障局本级小计", "0.75")]
    item = pr.rows[2]
    assert (item.name, item.code, item.texts) == ("复印纸", "A05040101", {"source_project": "公用经费一", "unit": "批"})
    assert {k: str(v) for k, v in item.amounts.items() if v is not None} == {
        "source_budget": "2.69", "quantity": "20", "unit_price": "0.02", "total": "0.32",
        "general_budget": "0.32", "sme_reserved": "0.32"}
    assert pr.rows[5].name == "晋州市医疗保险中心小计" and str(pr.rows[5].amounts["total"]) == "3.04"
    assets = jinzhou.assets
    assert assets.header.as_of == "2025-12-31"
    got = [(r.name, r.amounts["quantity"], r.amounts["value"]) for r in assets.rows]
    assert got == [
        ("资产总额", None, Decimal("180.66")), ("1、房屋（平方米）", None, None), ("其中：办公用房（平方米）", None, None),
        ("2、车辆（台、辆）", Decimal(4), Decimal("47.76")), ("3、单价在20万元以上的设备", None, None),
        ("4、其他固定资产", Decimal(548), Decimal("132.90")),
    ]


def test_gaoyang_procurement_and_assets(gaoyang):
    assert gaoyang.procurement.rows == []
    assert [n.text for n in gaoyang.procurement.notes][-1] == "注：无政府采购预算，空表列示。"
    assert gaoyang.procurement.column("nonfiscal_carryover").label == "非财政    拨款结    转结余"
    assets = gaoyang.assets
    assert assets.header.as_of == "2022-12-31"
    assert str(assets.rows[0].amounts["value"]) == "59.30"
    assert (assets.rows[3].amounts["quantity"], str(assets.rows[3].amounts["value"])) == (Decimal(1), "12.90")
    assert str(assets.rows[5].amounts["value"]) == "46.40"


@pytest.mark.parametrize("seed", SEEDS)
def test_text_and_docx_give_the_same_model(seed):
    text, docx = load(seed, "txt"), load(seed, "docx")
    assert text.source_format == "text" and docx.source_format == "docx"
    assert text.content() == docx.content()


def test_provenance(jinzhou, fmt):
    row = find(jinzhou.tables["income"], "21015", None)
    assert row.source.format == ("text" if fmt == "txt" else "docx")
    assert row.source.block == jinzhou.tables["income"].source.block
    if fmt == "txt":
        assert row.source.line == 347  # the line where row 序号 7 starts in the seed
    para = jinzhou.explanation.section("three_public").paragraphs[0]
    assert para.source is not None and para.source.block > row.source.block
