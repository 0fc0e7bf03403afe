"""The seeds as they are: every real finding, confirmed by hand against the
documents, and nothing else."""

import pytest
from conftest import load

from yusuan.audit import audit
from yusuan.audit.catalogue import catalogue, normalize_name

# (rule, table, code/item or project, section) and a fragment of the message
# carrying the numbers. Confirmed by reading the seeds:
JINZHOU = [
    # 三公 paragraph says 0万元; table 9 (and 30231 in table 6) say 10.18.
    ("T05", "四、财政拨款“三公”经费预算情况及增减变化原因", "预算安排0万元」，部门预算财政拨款“三公”经费支出表 “三公”经费小计 合计为 10.18，相差 -10.18"),
    ("T05", "四、财政拨款“三公”经费预算情况及增减变化原因", "公务用车购置及运维费0万元」，部门预算财政拨款“三公”经费支出表 二、公务用车购置及运维费 合计为 10.18"),
    ("T05", "四、财政拨款“三公”经费预算情况及增减变化原因", "公务用车运维费0万元」，部门预算财政拨款“三公”经费支出表 公务用车运行维护费 合计为 10.18"),
    # "与2025年相比增加0万元" explained by 厉行节俭，减少公车运行维护费用.
    ("T06", "四、财政拨款“三公”经费预算情况及增减变化原因", "与2025年相比增加0万元」，原因却是「节俭」"),
    # 五、 → 6、 → 七、
    ("F04", "6、部门主管专项资金预算安排情况及绩效目标", "编号为「6、」，应为「六、」"),
    # The 支出说明 names two projects unlike their tables.
    ("F05", "二、部门预算安排的总体情况", "「医疗保险专项经济」，项目表中为「医疗保险专项经费」"),
    ("F05", "二、部门预算安排的总体情况", "「60周岁以意外医疗补充保险」，项目表中为「60周岁以上意外医疗补充保险」"),
    # 委托业务费 57.00 is in no published table.
    ("T10", "二、部门预算安排的总体情况", "「委托业务费共计安排57.00万元」无法与表中数据核对"),
]

GAOYANG = [
    # 国有资产 says 本年度拟购置固定资产总额为0.00万元; table 6 has 31002 办公设备购置 3.00.
    ("T09", "七、国有资产信息", "拟购置固定资产总额为0.00万元」，但部门预算一般公共预算财政拨款基本支出表 310 资本性支出 合计为 3.00"),
    # project 4 has no 满意度指标 and a 成本控制率 of ≥95%.
    ("P02", None, "「冀财社[2022]172号-城乡居民社会保险代办员补助」没有满意度指标"),
    ("P04", None, "「成本控制率」越低越好，目标却是下限：≥95%"),
    # project 1: 社保费征缴率 ≤95％.
    ("P04", None, "「社保费征缴率」越高越好，目标却是上限：≤95％"),
    # project 3: the only 满意度 indicator is 国家政策落实率.
    ("P05", None, "「高阳县离休荣军干部医药费」的「国家政策落实率」不是满意度指标"),
    # no project table carries an amount.
    ("P07", None, "7 个项目绩效目标表未列预算数"),
    # 支出说明 names two funds no project table is called.
    ("F06", "二、部门预算安排的总体情况", "「医疗救助补助专项资金」在项目绩效目标表中找不到"),
    ("F06", "二、部门预算安排的总体情况", "「离休荣军干部医药费专项资金」在项目绩效目标表中找不到"),
    # project 慢性病鉴定资金 (p15) prints the clause 保障城乡居民医疗保险待遇，建立多层次的城乡居民医疗保障体系 twice.
    ("W15", None, "「保障城乡居民医疗保险待遇，建立多层次的城乡居民医疗保障体系」连写两次"),
]


@pytest.mark.parametrize("seed,expected", [("jinzhou-2026", JINZHOU), ("gaoyang-2023", GAOYANG)])
def test_seed_findings_are_exactly_the_real_ones(seed, expected, fmt):
    findings = audit(load(seed, fmt))
    got = sorted((f.rule, f.message) for f in findings)
    assert len(findings) == len(expected), [f"{f.rule} {f.message}" for f in findings]
    for rule, section, fragment in expected:
        hits = [f for f in findings if f.rule == rule and fragment in f.message]
        assert len(hits) == 1, (rule, fragment, got)
        if section:
            assert hits[0].section == section


def test_jinzhou_errors_and_locations(jinzhou):
    findings = audit(jinzhou)
    errors = [f for f in findings if f.severity == "error"]
    assert [f.rule for f in errors] == ["T05", "T05", "T05"]
    assert all(f.paragraph == 0 for f in errors)
    f05 = [f for f in findings if f.rule == "F05"]
    assert {f.item for f in f05} == {"医疗保险专项经费", "60周岁以上意外医疗补充保险"}
    assert all(f.paragraph == 4 for f in f05)  # the 支出说明 paragraph


def test_gaoyang_has_no_errors(gaoyang):
    assert not [f for f in audit(gaoyang) if f.severity == "error"]


def test_text_findings_carry_the_source_line():
    t05 = [f for f in audit(load("jinzhou-2026", "txt")) if f.rule == "T05"]
    assert {f.line for f in t05} == {1384}


@pytest.mark.parametrize("seed", ["jinzhou-2026", "gaoyang-2023"])
def test_every_printed_code_is_in_the_catalogue_with_its_name(seed):
    """The seeds are printed by the budget system from the official
    catalogue: they corroborate the shipped one."""
    d = load(seed, "txt")
    checked = 0
    for t in d.tables.values():
        cls = {"general_basic": "economic"}.get(t.id, "functional")
        for r in t.rows:
            if r.code:
                entry = catalogue(cls).lookup(r.code, d.year)
                assert entry is not None, r.code
                assert normalize_name(entry.name) == normalize_name(r.name)
                checked += 1
    assert checked >= 50


@pytest.mark.parametrize("seed", ["jinzhou-2026", "gaoyang-2023"])
def test_summary_class_names_are_catalogue_classes(seed):
    """Both seeds print every functional 类 name in table 1."""
    d = load(seed, "txt")
    cat = catalogue("functional")
    names = [r.name for r in d.tables["summary"].rows if r.side == "expenditure"]
    from yusuan.audit.context import numbered, strip_numbering

    mapped = [cat.code_for_name(strip_numbering(n), 3, d.year) for n in names if numbered(n)]
    assert mapped[:30] == ["201", "202", "203", "204", "205", "206", "207", "208", "209", "210", "211", "212",
                           "213", "214", "215", "216", "217", "219", "220", "221", "222", "223", "224", "227",
                           "229", "230", "231", "232", "233", "234"]
