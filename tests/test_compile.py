"""Compiling a disclosure from budget line items."""

import csv
import datetime as dt
import io
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from conftest import EXAMPLES, cli
from openpyxl import Workbook, load_workbook

from yusuan.audit import audit
from yusuan.compile import CompileError, compile_dir
from yusuan.compile.inputs import Place
from yusuan.compile.spec import input_spec
from yusuan.compile.template import write_template
from yusuan.read import read_bytes
from yusuan.write.render import render

D = Decimal
EXAMPLE = EXAMPLES / "compile-example"


@pytest.fixture(scope="module")
def result():
    return compile_dir(EXAMPLE)


@pytest.fixture(scope="module")
def compiled(result):
    return result.disclosure


def test_example_audits_clean(result, compiled):
    assert audit(compiled) == []
    assert result.warnings == []  # every code of the example is in the catalogue, under the name given


def test_example_figures(compiled):
    t = compiled.tables
    total = t["expenditure"].rows[0].amounts
    assert (total["total"], total["basic"], total["project"]) == (D("1053.51"), D("580.01"), D("473.50"))
    assert {r.code[:3] for r in t["expenditure"].rows if r.code} == {"208", "210", "221", "229"}
    assert t["fund_expenditure"].rows[0].amounts["total"] == D("50.00")
    assert t["soe_expenditure"].rows == [] and t["soe_expenditure"].notes[0].text == "注：无国有资本经营预算财政拨款预算，空表列示。"
    basic = t["general_basic"].rows[0].amounts
    assert (basic["total"], basic["personnel"], basic["public"]) == (D("580.01"), D("526.80"), D("53.21"))
    three = {r.name: r.amounts["total"] for r in t["three_public"].rows}
    assert (three["“三公”经费小计"], three["公务用车运行维护费"], three["三、公务接待费"]) == (D("9.00"), D("7.80"), D("1.20"))
    assert sum(p.budget for p in compiled.projects) == D("473.50")
    assert [len(p.indicators) for p in compiled.projects] == [6, 5, 5, 4, 4, 4]
    assert compiled.procurement.rows[0].amounts["total"] == D("7.94")
    assert compiled.assets.rows[0].amounts["value"] == D("1110.65")
    assert [i.name for i in compiled.institutions][1:] == ["示例县疾病预防控制中心", "示例县卫生健康综合监督执法所"]


def test_example_text_is_generated_from_the_tables(compiled):
    ex = compiled.explanation
    three = ex.section("three_public").paragraphs[0].text
    assert "预算安排9.00万元" in three and "与2025年相比减少0.50万元，主要原因是厉行节约" in three
    change = ex.section("overview").paragraphs[-1].text
    assert change.startswith("2026年预算收支安排1053.51万元，较2025年预算增加67.51万元，其中：基本支出增加28.81万元")
    assert "拟购置固定资产总额为7.40万元" in ex.section("assets").paragraphs[0].text


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_example_reads_back_from_what_it_writes(compiled, fmt):
    back = read_bytes(render(compiled, fmt), f"x.{fmt}")
    want = {k: v for k, v in compiled.content().items() if k != "previous"}
    assert {k: v for k, v in back.content().items() if k != "previous"} == want
    assert audit(back) == []


def test_data_sheets_in_a_workbook_equal_the_csv_files(compiled, tmp_path):
    """The example's CSV sheets as one budget.xlsx beside the same YAML, with
    the description row the first template wrote under the codes."""
    out = tmp_path / "wb"
    out.mkdir()
    shutil.copy(EXAMPLE / "disclosure.yaml", out)
    wb = Workbook()
    wb.remove(wb.active)
    first_template_row2 = {
        "支出明细": {"EXP_FUNC_CODE": "支出功能分类科目编码（7位）", "EXP_KIND": "支出类型（基本 / 项目）", "AMOUNT": "金额（元）"},
        "收入": {"SOURCE": "收入来源（一般公共预算拨款收入 / 政府性基金预算拨款收入）", "AMOUNT": "金额（元）"},
        "上年": {"ITEM": "项目（收支总额 / 基本支出 / 项目支出 / 三公经费）", "AMOUNT": "上年预算数（元）"}}
    for sheet, row2 in first_template_row2.items():
        header, *lines = csv.reader(io.StringIO((EXAMPLE / f"{sheet}.csv").read_text(encoding="utf-8")))
        ws = wb.create_sheet(sheet)
        ws.append(header)
        ws.append([row2.get(h) for h in header])
        for line in lines:
            ws.append(line)
    wb.save(out / "budget.xlsx")
    d, warnings = compile_dir(out)
    assert d.content() == compiled.content() and warnings == []


# -- the template -------------------------------------------------------------
def test_template_run_twice_keeps_the_filled_workbook(tmp_path):
    first = write_template(tmp_path)
    assert first.written == [tmp_path / "budget.xlsx"] and first.kept == []
    wb = load_workbook(tmp_path / "budget.xlsx")
    wb["情况说明"]["B4"] = "示例县文化广电和旅游局"  # 部门名称
    wb.save(tmp_path / "budget.xlsx")
    filled = (tmp_path / "budget.xlsx").read_bytes()

    again = write_template(tmp_path)
    assert again.written == [tmp_path / "budget.new.xlsx"] and again.kept == [tmp_path / "budget.xlsx"]
    assert (tmp_path / "budget.xlsx").read_bytes() == filled
    assert load_workbook(tmp_path / "budget.xlsx")["情况说明"]["B4"].value == "示例县文化广电和旅游局"
    assert write_template(tmp_path).written == [tmp_path / "budget.new.2.xlsx"]
    assert (tmp_path / "budget.new.xlsx").exists() and (tmp_path / "budget.xlsx").read_bytes() == filled


def test_template_has_every_sheet_and_explains_every_column(tmp_path):
    write_template(tmp_path)
    wb = load_workbook(tmp_path / "budget.xlsx")
    assert wb.sheetnames == ["填写说明", "情况说明", "机构设置", "支出明细", "收入", "上年", "科目名称",
                             "项目绩效目标", "绩效指标", "政府采购", "资产", "名词解释"]
    guide = [[c for c in row if c is not None] for row in wb["填写说明"].iter_rows(values_only=True)]
    explained = {(row[0], row[1]) for row in guide if len(row) >= 4}  # 字段, 名称, 是否必填, 说明[, YAML 键]
    for name, sheet in input_spec().sheets.items():
        assert [c.value for c in wb[name][1]] == [c.code for c in sheet.columns]
        assert [c.value for c in wb[name][2]] == [c.label for c in sheet.columns]
        for col in sheet.columns:
            assert (col.code, col.label) in explained, (name, col.code)
    guide_text = "\n".join(" ".join(map(str, row)) for row in guide)
    for label in ("部门名称", "部门职责", "基本支出增减原因", "资产统计截止日期", "其中：办公用房（平方米）"):
        assert label in guide_text
    assert "11 一般公共预算资金" in guide_text  # the fund types spelled out from fund_types.yaml
    assert "AGENCY_KIND 单位性质 选填 如 行政、参公事业、事业 institutions[].kind" in guide_text
    assert "IND_VALUE 指标值 必填 如 ≥95%、≤20万元、100% projects[].indicators[][4]" in guide_text
    assert [r[0].value for r in wb["资产"].iter_rows(min_row=3)] == [
        "房屋（平方米）", "其中：办公用房（平方米）", "车辆（辆）", "单价20万元以上的设备（台、套）", "其他固定资产"]


def _problems(exc) -> list[tuple]:
    return [(p.place.sheet, p.place.row, p.place.column, p.message) for p in exc.value.problems]


def test_unfilled_template_is_refused_listing_everything_missing(tmp_path):
    write_template(tmp_path)
    with pytest.raises(CompileError) as exc:
        compile_dir(tmp_path)
    assert _problems(exc) == [
        ("情况说明", 4, "TEXT", "部门名称未填写"),
        ("情况说明", 5, "TEXT", "预算年度未填写"),
        ("情况说明", 6, "TEXT", "部门职责未填写"),
        ("支出明细", None, None, "没有支出明细：每笔支出预算一行"),
        ("收入", None, None, "没有收入：按来源每行一项"),
    ]
    assert {p.place.file for p in exc.value.problems} == {"budget.xlsx"}
    assert str(exc.value).splitlines() == [
        "5 处需要填写或修改：",
        "  budget.xlsx, 情况说明 第4行 TEXT: 部门名称未填写",
        "  budget.xlsx, 情况说明 第5行 TEXT: 预算年度未填写",
        "  budget.xlsx, 情况说明 第6行 TEXT: 部门职责未填写",
        "  budget.xlsx, 支出明细: 没有支出明细：每笔支出预算一行",
        "  budget.xlsx, 收入: 没有收入：按来源每行一项",
    ]
    # what the disclosure should have but yusuan check would only warn of: said in the same pass
    assert [(w.place.sheet, w.place.row, w.place.column, w.message) for w in exc.value.warnings] == [
        ("情况说明", 7, "TEXT", "总体绩效目标未填写（公开文件中这一部分将空缺）"),
        ("情况说明", 8, "TEXT", "分项绩效目标未填写（公开文件中这一部分将空缺）"),
        ("情况说明", 9, "TEXT", "工作保障措施未填写（公开文件中这一部分将空缺）"),
        ("机构设置", None, None, "机构设置未填写：至少填写部门本级一个单位（公开文件中这一部分将空缺）"),
        ("资产", 3, "VALUE", "未填写资产：至少填写一项资产的价值（元）（公开文件中这一部分将空缺）"),
    ]


def test_partly_filled_template_lists_the_rest(tmp_path):
    write_template(tmp_path)
    wb = load_workbook(tmp_path / "budget.xlsx")
    wb["情况说明"]["B4"], wb["情况说明"]["B5"] = "示例县文化广电和旅游局", 2026
    wb["机构设置"].append(["示例县文化广电和旅游局本级", "行政"])
    wb["支出明细"].append(["130183", 2026, "402001", "示例县文化广电和旅游局本级", "2070101", "", "30101", "", "", "",
                        "11", "基本", "", "", "一万"])
    wb["资产"]["C3"] = 1200000
    wb.save(tmp_path / "budget.xlsx")
    with pytest.raises(CompileError) as exc:
        compile_dir(tmp_path)
    assert _problems(exc) == [
        ("情况说明", 6, "TEXT", "部门职责未填写"),
        ("支出明细", 3, "AMOUNT", "不是金额：'一万'"),
        ("收入", None, None, "没有收入：按来源每行一项"),
    ]


# -- codes by shape, names from the input ------------------------------------
def _variant(tmp_path: Path, sheet: str, edit) -> Path:
    out = tmp_path / "v"
    if not out.exists():
        shutil.copytree(EXAMPLE, out)
    path = out / f"{sheet}.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8")))) if path.exists() else []
    edit(rows)
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return out


def _cell(row_no: int, column: str, value: str):
    """Set one cell of a CSV sheet: row as the error names it (header = 1)."""
    def edit(rows):
        rows[row_no - 1][rows[0].index(column)] = value
    return edit


def test_well_formed_code_unknown_to_the_catalogue_compiles_with_its_given_name(tmp_path):
    """2070101 行政运行 of 文化和旅游: not in yusuan's partial catalogue, nor its 款 20701."""
    v = _variant(tmp_path, "支出明细", _cell(17, "EXP_FUNC_CODE", "2070101"))  # 2100101 行政运行, 30302, 8.56万元
    _variant(tmp_path, "科目名称", lambda rows: rows.extend([
        ["EXP_FUNC_CODE", "EXP_FUNC_NAME"], ["207", "文化旅游体育与传媒支出"], ["20701", "文化和旅游"]]))
    d, warnings = compile_dir(v)
    exp = {r.code: (r.name, r.amounts["total"]) for r in d.tables["expenditure"].rows if r.code}
    assert exp["207"] == ("文化旅游体育与传媒支出", D("8.56"))
    assert exp["20701"] == ("文化和旅游", D("8.56"))
    assert exp["2070101"] == ("行政运行", D("8.56"))  # EXP_FUNC_NAME of row 17
    assert exp["2100101"][1] == D("253.67")  # 262.23 less the line moved to 2070101
    summary = {r.name: r.amounts.get("expenditure_amount") for r in d.tables["summary"].rows}
    assert summary["七、文化旅游体育与传媒支出"] == D("8.56")
    assert [str(w) for w in warnings] == [
        "支出明细.csv, 第17行 EXP_FUNC_NAME: 支出功能分类科目 2070101 不在 yusuan 的科目表中，按所填名称“行政运行”公开；"
        "请对照2026年《政府收支分类科目》核对编码和名称",
        "科目名称.csv, 第3行 EXP_FUNC_NAME: 支出功能分类科目 20701 不在 yusuan 的科目表中，按所填名称“文化和旅游”公开；"
        "请对照2026年《政府收支分类科目》核对编码和名称",
    ]
    assert not [f for f in audit(d) if f.severity == "error"]


def test_unknown_code_without_names_is_refused_naming_what_to_fill(tmp_path):
    def edit(rows):
        _cell(17, "EXP_FUNC_CODE", "2070101")(rows)
        _cell(17, "EXP_FUNC_NAME", "")(rows)
    with pytest.raises(CompileError) as exc:
        compile_dir(_variant(tmp_path, "支出明细", edit))
    assert [(p.where, p.message) for p in exc.value.problems] == [
        ("支出明细.csv, 第17行 EXP_FUNC_NAME", "支出功能分类科目 2070101 不在 yusuan 的科目表中，请填写它的名称（EXP_FUNC_NAME）"),
        ("科目名称.csv, EXP_FUNC_CODE",
         "支出功能分类款级科目 20701（支出明细.csv, 第17行 EXP_FUNC_CODE 用到的科目的上级）不在 yusuan 的科目表中："
         "请在「科目名称」表加一行，EXP_FUNC_CODE 填 20701，EXP_FUNC_NAME 填它的名称"),
    ]


def test_code_known_under_another_name_warns_and_prints_the_given_name(tmp_path):
    v = _variant(tmp_path, "支出明细", _cell(52, "EXP_FUNC_NAME", "彩票公益金用于社会福利的支出"))
    d, warnings = compile_dir(v)
    names = {r.code: r.name for r in d.tables["fund_expenditure"].rows if r.code}
    assert names["2296002"] == "彩票公益金用于社会福利的支出"
    assert [(w.where, w.message) for w in warnings] == [(
        "支出明细.csv, 第52行 EXP_FUNC_NAME",
        "支出功能分类科目 2296002 在 yusuan 科目表中2026年的名称是“用于社会福利的彩票公益金支出”，"
        "所填为“彩票公益金用于社会福利的支出”；按所填名称公开，请核对（yusuan check 会报告名称与科目表不符）")]


def test_one_code_two_names_is_refused(tmp_path):
    with pytest.raises(CompileError) as exc:
        compile_dir(_variant(tmp_path, "支出明细", _cell(3, "DEP_BGT_ECO_NAME", "津贴")))
    assert [str(p) for p in exc.value.problems] == [  # the first name given stands; the later row is the one named
        "支出明细.csv, 第23行 DEP_BGT_ECO_NAME: 科目 30102 的名称“津贴补贴”与支出明细.csv, 第3行 DEP_BGT_ECO_NAME的“津贴”不一致"]


def test_malformed_codes_are_all_refused_naming_sheet_row_and_column(tmp_path):
    def edit(rows):
        _cell(4, "EXP_FUNC_CODE", "207010")(rows)
        _cell(6, "EXP_FUNC_CODE", "20701a1")(rows)
        _cell(8, "DEP_BGT_ECO_CODE", "3020")(rows)
    with pytest.raises(CompileError) as exc:
        compile_dir(_variant(tmp_path, "支出明细", edit))
    assert [str(p) for p in exc.value.problems] == [
        "支出明细.csv, 第4行 EXP_FUNC_CODE: 不是7位数字的支出功能分类科目编码：'207010'",
        "支出明细.csv, 第6行 EXP_FUNC_CODE: 不是7位数字的支出功能分类科目编码：'20701a1'",
        "支出明细.csv, 第8行 DEP_BGT_ECO_CODE: 不是5位数字的部门预算支出经济分类科目编码：'3020'",
    ]


@pytest.mark.parametrize("sheet,edit,message", [
    ("支出明细", _cell(6, "AMOUNT", "一万"), "支出明细.csv, 第6行 AMOUNT: 不是金额：'一万'"),
    ("支出明细", _cell(3, "AMOUNT", "-100.00"), "支出明细.csv, 第3行 AMOUNT: 金额不能为负数：-100.00"),
    ("支出明细", lambda rows: [r.pop(8) for r in rows], "支出明细.csv, FUND_TYPE_CODE: 缺少此列"),
    ("支出明细", _cell(3, "EXP_KIND", "其他"), "支出明细.csv, 第3行 EXP_KIND: 不能填 '其他'；可填：基本、基本支出、1、项目、项目支出、2"),
    ("支出明细", _cell(3, "FUND_TYPE_CODE", "14"), "支出明细.csv, 第3行 FUND_TYPE_CODE: 不能填 '14'；可填：11、12、13、21、31"),
    ("支出明细", _cell(3, "FISCAL_YEAR", "2025"), "支出明细.csv, 第3行 FISCAL_YEAR: 预算年度 2025 与「情况说明」的预算年度 2026 不一致"),
    ("支出明细", _cell(44, "PRO_NAME", "基本公卫"),
     "支出明细.csv, 第44行 PRO_NAME: 项目 P2026001 在支出明细.csv, 第43行的名称是“基本公共卫生服务补助”，本行为“基本公卫”"),
    ("收入", _cell(2, "AMOUNT", "10000000.00"),
     "收入.csv, 第2行 AMOUNT: 一般公共预算拨款收入 1000.00 万元与支出明细中由它安排的支出 1003.51 万元不相等"),
])
def test_bad_input_names_sheet_row_and_column(tmp_path, sheet, edit, message):
    with pytest.raises(CompileError) as exc:
        compile_dir(_variant(tmp_path, sheet, edit))
    assert message in str(exc.value)


def test_leaves_are_rounded_then_added(tmp_path):
    def two_small(rows):
        base = rows[1]
        del rows[1:]
        for eco, name in (("30201", "办公费"), ("30207", "邮电费")):
            r = list(base)
            r[rows[0].index("DEP_BGT_ECO_CODE")], r[rows[0].index("DEP_BGT_ECO_NAME")] = eco, name
            r[rows[0].index("AMOUNT")] = "12345.00"  # 1.2345 万元 → 1.23 each
            rows.append(r)

    d_dir = _variant(tmp_path, "支出明细", two_small)
    (d_dir / "收入.csv").write_text("SOURCE,AMOUNT\n一般公共预算拨款收入,24690.00\n", encoding="utf-8")
    text = yaml.safe_load((EXAMPLE / "disclosure.yaml").read_text(encoding="utf-8"))
    del text["projects"], text["reasons"]
    (d_dir / "disclosure.yaml").write_text(yaml.safe_dump(text, allow_unicode=True), encoding="utf-8")
    (d_dir / "上年.csv").unlink()
    d, _ = compile_dir(d_dir)
    assert d.tables["expenditure"].rows[0].amounts["total"] == D("2.46")  # not round(2.469) = 2.47
    assert [r.amounts["total"] for r in d.tables["general_basic"].rows if r.code and len(r.code) == 5] == [D("1.23"), D("1.23")]
    assert not [f for f in audit(d) if f.severity == "error"]


def test_project_without_targets_is_refused_and_a_change_without_reason_warned(tmp_path):
    v = tmp_path / "v"
    shutil.copytree(EXAMPLE, v)
    text = yaml.safe_load((v / "disclosure.yaml").read_text(encoding="utf-8"))
    text["projects"] = [p for p in text["projects"] if p["code"] != "P2026004"]
    text["projects"][0]["indicators"] = []
    del text["reasons"]["basic"]
    (v / "disclosure.yaml").write_text(yaml.safe_dump(text, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CompileError) as exc:
        compile_dir(v)
    assert [str(p) for p in exc.value.problems] == [
        "disclosure.yaml, projects[P2026001].indicators: 项目 P2026001 没有绩效指标：至少填写一行（一般应有产出、效益、满意度指标）",
        "disclosure.yaml, projects: 项目 P2026004（家庭医生签约服务，支出明细.csv, 第50行）没有绩效目标："
        "请在 projects 中加上它（资金用途、绩效目标、支出进度和指标）",
    ]
    assert [str(w) for w in exc.value.warnings] == [
        "disclosure.yaml, reasons.basic: 基本支出增减原因未填写（「上年」551.20 万元，本年 580.01 万元；公开文件将只写增减数，不写原因）"]


def test_unknown_yaml_key_is_a_warning(tmp_path):
    v = tmp_path / "v"
    shutil.copytree(EXAMPLE, v)
    with (v / "disclosure.yaml").open("a", encoding="utf-8") as f:
        f.write("\nperformence: {overall: [x]}\nreasons_other: 无\n")
    _, warnings = compile_dir(v)
    assert [str(w) for w in warnings] == ["disclosure.yaml, performence: yusuan 不认识这个键，已忽略",
                                          "disclosure.yaml, reasons_other: yusuan 不认识这个键，已忽略"]


# -- the text in the workbook -------------------------------------------------
def _example_as_workbook(directory: Path) -> Path:
    """The example filled into `yusuan template`'s workbook by hand, the way
    an officer would: no disclosure.yaml, no CSV."""
    write_template(directory)
    text = yaml.safe_load((EXAMPLE / "disclosure.yaml").read_text(encoding="utf-8"))
    wb = load_workbook(directory / "budget.xlsx")
    info = wb["情况说明"]
    info.delete_rows(3, info.max_row)
    duties = text["duties"]
    rows = [("部门编码", text["department"]["code"]), ("部门名称", text["department"]["name"]), ("预算年度", 2026),
            ("部门职责", duties[0]), *[(None, x) for x in duties[1:]],  # continuation rows leave 项目 empty
            *[("总体绩效目标", x) for x in text["performance"]["overall"]],
            *[("分项绩效目标", x) for x in text["performance"]["targets"]],
            *[("工作保障措施", x) for x in text["performance"]["measures"]],
            ("专项资金说明", text["special_funds"]),
            ("基本支出增减原因", text["reasons"]["basic"]), ("项目支出增减原因", text["reasons"]["project"]),
            ("三公经费增减原因", text["reasons"]["three_public"]),
            ("资产统计截止日期", dt.datetime(2025, 12, 31))]  # a date cell, as Excel stores a typed date
    for row in rows:
        info.append(list(row))
    for i in text["institutions"]:
        wb["机构设置"].append([i["name"], i["kind"], i["rank"], i["funding"]])
    for sheet in ("支出明细", "收入", "上年"):
        header, *lines = csv.reader(io.StringIO((EXAMPLE / f"{sheet}.csv").read_text(encoding="utf-8")))
        codes = [c.value for c in wb[sheet][1]]
        for line in lines:
            wb[sheet].append([dict(zip(header, line)).get(code) for code in codes])
    for n, p in enumerate(text["projects"]):
        plan = [int(v.rstrip("%")) / 100 if n == 0 else v for v in p["plan"].values()]  # 25% typed as a number
        wb["项目绩效目标"].append([p["code"], None, p["purpose"], p["goal"], *plan])
        for ind in p["indicators"]:
            wb["绩效指标"].append([p["code"], *ind])
    for item in text["procurement"]:
        wb["政府采购"].append([item["agency"], item["source_project"], item["source_budget"], item["item"],
                           item["catalogue_code"], item["unit"], item["quantity"], item["unit_price"],
                           str(item["fund"]), item["sme_reserved"]])
    for row, key in zip(range(3, 8), ("buildings", "offices", "vehicles", "equipment", "other")):
        wb["资产"].cell(row, 2, text["assets"][key]["quantity"])
        wb["资产"].cell(row, 3, text["assets"][key]["value"])
    wb.save(directory / "budget.xlsx")
    return directory


def test_workbook_only_input_compiles_to_the_same_disclosure_as_yaml(compiled, tmp_path):
    d, warnings = compile_dir(_example_as_workbook(tmp_path / "wb"))
    assert warnings == []
    assert d.content() == compiled.content()
    assert audit(d) == []


def test_item_in_both_workbook_and_yaml_is_refused(tmp_path):
    v = _example_as_workbook(tmp_path / "wb")
    shutil.copy(EXAMPLE / "disclosure.yaml", v)
    with pytest.raises(CompileError) as exc:
        compile_dir(v)
    problems = [str(p) for p in exc.value.problems]
    assert problems[:3] == [
        "budget.xlsx, 情况说明 第3行 TEXT: disclosure.yaml 的 department.code 也填写了这一项；同一项只能填在一处，请删去其中一处",
        "budget.xlsx, 情况说明 第4行 TEXT: disclosure.yaml 的 department.name 也填写了这一项；同一项只能填在一处，请删去其中一处",
        "budget.xlsx, 情况说明 第5行 TEXT: disclosure.yaml 的 year 也填写了这一项；同一项只能填在一处，请删去其中一处",
    ]
    assert "budget.xlsx, 机构设置 第3行: disclosure.yaml 的 institutions 也填写了这一项；同一项只能填在一处，请删去其中一处" in problems


def test_workbook_text_mistakes_name_their_cells(tmp_path):
    v = _example_as_workbook(tmp_path / "wb")
    wb = load_workbook(v / "budget.xlsx")
    wb["项目绩效目标"]["E4"] = "一季度"
    wb["项目绩效目标"]["H5"] = "70%"
    wb["绩效指标"]["F3"] = None
    wb["政府采购"]["G3"] = "三十"
    wb["情况说明"].append(["部门名称", "又一个名称"])
    wb["情况说明"].append(["部门简介", "不认识的项目"])
    wb.save(v / "budget.xlsx")
    with pytest.raises(CompileError) as exc:
        compile_dir(v)
    assert [str(p) for p in exc.value.problems] == [
        "budget.xlsx, 情况说明 第23行 TEXT: “部门名称”填写了两次（另见budget.xlsx, 情况说明 第4行 TEXT）",
        "budget.xlsx, 情况说明 第24行 ITEM: 不认识的项目 '部门简介'；请照模板填写：部门编码、部门名称、预算年度、部门职责、"
        "总体绩效目标、分项绩效目标、工作保障措施、总体情况说明、基本支出增减原因、项目支出增减原因、三公经费增减原因、"
        "专项资金说明、资产统计截止日期、其他需要说明的事项",
        "budget.xlsx, 项目绩效目标 第4行 PLAN_03: 不是0到100之间的百分比（如 25%）：'一季度'",
        "budget.xlsx, 项目绩效目标 第5行 PLAN_12: 支出进度是累计数，不能由10月底 90% 降到12月底 70%",
        "budget.xlsx, 项目绩效目标 第5行 PLAN_12: 支出进度截至12月底应为 100%",
        "budget.xlsx, 绩效指标 第3行 IND_VALUE: 指标值未填写",
        "budget.xlsx, 政府采购 第3行 QUANTITY: 不是数字：'三十'",
    ]


# -- the command line ---------------------------------------------------------


def test_compile_and_template_cli(tmp_path):
    out = tmp_path / "ex.xlsx"
    r = cli("compile", EXAMPLE, "-o", out)
    assert r.exit_code == 0, r.stderr
    assert cli("check", out).exit_code == 0
    new = tmp_path / "new"
    r = cli("template", new)
    assert r.exit_code == 0 and r.stdout.split() == [str(new / "budget.xlsx")]
    before = (new / "budget.xlsx").read_bytes()
    r = cli("template", new)
    assert r.exit_code == 0 and str(new / "budget.new.xlsx") in r.stdout and str(new / "budget.xlsx") in r.output
    assert (new / "budget.xlsx").read_bytes() == before
    r = cli("compile", new, "-o", tmp_path / "x.docx")
    assert r.exit_code == 2
    lines = r.stderr.splitlines()
    assert "yusuan: budget.xlsx, 情况说明 第4行 TEXT: 部门名称未填写" in lines
    assert "yusuan: 警告：budget.xlsx, 资产 第3行 VALUE: 未填写资产：至少填写一项资产的价值（元）（公开文件中这一部分将空缺）" in lines
    bad = _variant(tmp_path, "支出明细", _cell(6, "AMOUNT", "abc"))
    r = cli("compile", bad, "-o", tmp_path / "y.docx")
    assert r.exit_code == 2 and "yusuan: 支出明细.csv, 第6行 AMOUNT: 不是金额：'abc'" in r.stderr.splitlines()


def test_compile_cli_prints_warnings(tmp_path):
    v = _variant(tmp_path, "支出明细", _cell(52, "EXP_FUNC_NAME", "彩票公益金用于社会福利的支出"))
    r = cli("compile", v, "-o", tmp_path / "w.docx")
    assert r.exit_code == 0, r.stderr
    assert any(line.startswith("yusuan: 警告：支出明细.csv, 第52行 EXP_FUNC_NAME: 支出功能分类科目 2296002")
               for line in r.stderr.splitlines())


def test_compiled_example_as_pdf(compiled):
    """Needs LibreOffice and CJK fonts (scripts/install-system-deps)."""
    pdf = render(compiled, "pdf")
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    text = text.decode("utf-8")
    assert "示例县卫生健康局" in text and "1053.51" in text and "彩票公益金安排的支出" in text


def test_input_spec_is_consistent():
    spec = input_spec()
    assert spec.workbook == "budget.xlsx" and "支出明细" in spec.sheets
    expenditure = [c.code for c in spec.sheets["支出明细"].columns]
    for code in ("MOF_DIV_CODE", "AGENCY_CODE", "AGENCY_NAME", "EXP_FUNC_CODE", "EXP_FUNC_NAME", "DEP_BGT_ECO_CODE",
                 "DEP_BGT_ECO_NAME", "GOV_BGT_ECO_CODE", "GOV_BGT_ECO_NAME", "FUND_TYPE_CODE", "PRO_CODE", "PRO_NAME"):
        assert code in expenditure
    assert str(Place("budget.xlsx", "支出明细", 5, "EXP_FUNC_CODE")) == "budget.xlsx, 支出明细 第5行 EXP_FUNC_CODE"
    assert str(Place("支出明细.csv", "支出明细", 5, "AMOUNT")) == "支出明细.csv, 第5行 AMOUNT"
    assert str(Place("disclosure.yaml", column="department.name")) == "disclosure.yaml, department.name"
    _ = Workbook  # the template's engine, imported here so a missing openpyxl fails loudly
