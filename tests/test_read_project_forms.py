"""The Shanghai 财政项目支出绩效目标填报表: one grid per project (head,
funds in 元, goals, indicators). Rows as a PDF grid gives them, values
invented in the layout of the Shanghai forms."""

from decimal import Decimal

from yusuan.read.blocks import Cell, TableBlock, TableRow
from yusuan.read.projects import is_project_form, read_forms


def _block(*rows, page=1):
    return TableBlock(rows=[TableRow(cells=[Cell(t, col=i) for i, t in enumerate(r)], page=page) for r in rows], width=6)


def _form(name, total, title=True):
    lead = [["财政项目支出绩效目标填报表"], ["（2025年度）"]] if title else []
    return [*lead,
            ["项目名称", name, "项目性质", "经常性项目", "项目类别", "特定目标类"],
            ["主管部门", "上海市示例区示例局", "实施单位", "上海市示例区示例局"],
            ["项目资金\n（元）", "项目资金总额", total, "年度资金申请总额", total],
            ["", "其中：财政资金", total, "其中：当年财政拨款", total],
            ["", "", "", "上年结转资金", "0.00"],
            ["", "其他资金", "0.00", "其他资金", "0.00"],
            ["项目绩效目标", "项目总目标", "年度总体目标"],
            ["", "五年内完成全部改造", "完成3处改造"],
            ["", "一级指标", "二级指标", "三级指标", "年度(/项目)指标值"],
            ["绩效指标", "产出指标", "数量指标", "改造点位", "=3.00(处)"],
            ["", "", "质量指标", "验收合格率", "=100.00(%)"],
            ["", "满意度指标", "服务对象满意度指标", "居民满意度", "≥90.00(%)"]]


def test_one_form_read_whole():
    block = _block(*_form("老旧设施改造", "1,200,000.00"))
    assert is_project_form(block)
    (p,) = read_forms(block, "pdf")
    assert (p.name, p.unit, p.budget, p.fiscal, p.other) == (
        "老旧设施改造", "元", Decimal("1200000.00"), Decimal("1200000.00"), Decimal("0.00"))
    assert p.goal == "完成3处改造"
    assert [(i.level1, i.level2, i.level3, i.target) for i in p.indicators] == [
        ("产出指标", "数量指标", "改造点位", "=3.00(处)"),
        ("产出指标", "质量指标", "验收合格率", "=100.00(%)"),
        ("满意度指标", "服务对象满意度指标", "居民满意度", "≥90.00(%)")]
    assert p.indicators[0].source.row == 11


def test_forms_joined_across_pages_are_split_at_each_head():
    """The second form's title printed above its grid, so the PDF joins its
    grid to the first's: each 项目名称 starts a project."""
    block = _block(*_form("老旧设施改造", "1,200,000.00"), *_form("社区活动经费", "300,000.00", title=False))
    forms = read_forms(block, "pdf")
    assert [(f.name, f.budget, len(f.indicators)) for f in forms] == [
        ("老旧设施改造", Decimal("1200000.00"), 3), ("社区活动经费", Decimal("300000.00"), 3)]
    assert forms[1].title == "财政项目支出绩效目标填报表"


def test_a_budget_table_is_not_a_project_form():
    assert not is_project_form(_block(["单位：元"], ["项目名称", "", "金额"], ["收入总计", "", "100.00"]))
