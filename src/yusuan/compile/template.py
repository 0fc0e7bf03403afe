"""`yusuan template DIR`: an empty input set with instructions in Chinese."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from .inputs import SHEETS, TEXT, WORKBOOK

INSTRUCTIONS = """填写说明（yusuan 部门预算公开编制输入）

1. 本工作簿的三张表可从预算管理一体化系统导出，也可手工填写；第一行为字段名，请勿修改，第二行为字段说明，可保留或删除。
2. 「支出明细」：每行一笔支出预算，金额单位为元。
   · EXP_FUNC_CODE 填7位支出功能分类科目（项），DEP_BGT_ECO_CODE 填5位部门预算支出经济分类科目（款）。
   · FUND_TYPE_CODE：11 一般公共预算，12 政府性基金预算，13 国有资本经营预算，21 财政专户管理资金，31 单位资金。
   · EXP_KIND 填“基本”或“项目”；项目支出须填 PRO_CODE 和 PRO_NAME，基本支出不填。
   · 金额不得为负数。
3. 「收入」：按来源填写本年收入（元），各来源合计须与支出明细中对应资金性质的支出相等。
4. 「上年」（可选）：上年预算的收支总额、基本支出、项目支出、三公经费（元），用于“比上年增减情况”。
5. 文字部分填在同目录的 disclosure.yaml：部门职责、机构设置、整体绩效目标、项目绩效目标、政府采购、资产、增减原因、名词解释等。
6. 也可不用本工作簿，改为在同目录放置 支出明细.csv、收入.csv、上年.csv（UTF-8，字段相同）。
7. 生成：yusuan compile 本目录 -o 部门预算.docx（或 .xlsx/.html/.pdf/.json）；编制结果可用 yusuan check 审核。
"""

YAML = """# 部门预算公开的文字部分（yusuan compile 读取）。金额单位均为元。
department: {code: "", name: ""}   # 部门编码、部门名称
year: 2026                          # 预算年度

duties:                             # 部门职责，每条一行
  - 一、……

institutions:                       # 机构设置：单位名称、单位性质、单位规格、经费保障形式
  - {name: "", kind: 行政, rank: "", funding: 财政拨款}

performance:                        # 部门整体绩效目标
  overall: [""]                     # （一）总体绩效目标
  targets: [""]                     # （二）分项绩效目标
  measures: [""]                    # （三）工作保障措施

special_funds: 我部门无专项资金预算。

reasons:                            # 比上年增减的原因
  basic: ""
  project: ""
  three_public: ""

projects:                           # 项目绩效目标，code 与支出明细的 PRO_CODE 一致
  - code: ""
    purpose: ""                     # 资金用途
    plan: {3月底: 25%, 6月底: 50%, 10月底: 75%, 12月底: 100%}
    goal: ""
    indicators:                     # [一级指标, 二级指标, 三级指标, 指标描述, 指标值, 指标值确定依据]
      - [产出指标, 数量指标, "", "", "", ""]
      - [效益指标, 社会效益指标, "", "", "", ""]
      - [满意度指标, 服务对象满意度指标, "", "", "", ""]

procurement: []                     # 政府采购：{agency, source_project, source_budget, item, catalogue_code, unit, quantity, unit_price, fund, sme_reserved}

assets:                             # 上年末固定资产：数量与价值（元）
  as_of: 2025-12-31
  buildings: {quantity: , value: }
  offices: {quantity: , value: }
  vehicles: {quantity: , value: }
  equipment: {quantity: , value: }
  other: {quantity: , value: }

# glossary: 省略时使用默认名词解释；如需自定义：[[名词, 解释], …]
"""


def write_template(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    guide = wb.active
    guide.title = "填写说明"
    for i, line in enumerate(INSTRUCTIONS.splitlines(), start=1):
        guide.cell(row=i, column=1, value=line).alignment = Alignment(wrap_text=False)
    guide.column_dimensions["A"].width = 120
    for sheet, columns in SHEETS.items():
        ws = wb.create_sheet(sheet)
        for col, (code, desc) in enumerate(columns.items(), start=1):
            ws.cell(row=1, column=col, value=code).font = Font(bold=True)
            ws.cell(row=2, column=col, value=desc).alignment = Alignment(wrap_text=True)
            ws.column_dimensions[ws.cell(row=1, column=col).column_letter].width = 18
        ws.freeze_panes = "A3"
    paths = [directory / WORKBOOK, directory / TEXT]
    wb.save(paths[0])
    if not paths[1].exists():
        paths[1].write_text(YAML, encoding="utf-8")
    return paths
