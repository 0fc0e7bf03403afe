#!/usr/bin/env python3
"""Build the fictional layout test documents in this folder.

Every name and amount is invented. The documents copy the layout of other
provinces' disclosures (Shanghai 部门预算 / 单位预算 2025 and 部门决算 2024,
Jiangsu 2018) and one
variant of the Hebei seed, so that tests run without the real corpus. Amounts
are consistent (类 = Σ款, 款 = Σ项, 合计 = Σ类 = 基本 + 项目, income = expenditure,
tables agree with each other and with the explanation).

    .venv/bin/python tests/data/layouts/build.py            # everything
    .venv/bin/python tests/data/layouts/build.py --no-pdf   # skip LibreOffice
    .venv/bin/python tests/data/layouts/build.py --final    # only the 决算 documents

Outputs (all in this folder):
    sh-dept-2025.{docx,pdf,txt}        Shanghai-style 部门预算 (元 tables, 万元 三公)
    sh-unit-2025.{docx,pdf}            Shanghai-style 单位预算
    js-2018-text.pdf, js-2018-tables.{pdf,docx}   Jiangsu-style 2018, two files
    hebei-info-paragraph.{txt,docx}    examples/jinzhou-2026 with each standard
                                       table's info row moved above the table
    sh-final-2024.{docx,pdf,txt}       Shanghai-style 部门决算 2024 (万元 tables,
                                       portrait and landscape sections)
    sh-final-2024-faults.docx          the same with five planted faults (listed
                                       in its expected.yaml)
    <name>.expected.yaml               what was put into each document
The document model, the DOCX/text/PDF writers and the YAML dumper are in
docgen.py beside this file.

Needs python-docx, lxml, PyYAML; the PDFs need LibreOffice (`soffice`), Noto
Sans CJK SC and, to stay under 100 KB, fontTools (see compact_font), e.g.
    PYTHONPATH=<a dir with fonttools> .venv/bin/python tests/data/layouts/build.py
"""
from __future__ import annotations

import argparse
import copy
import re
import subprocess
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

HERE = Path(__file__).resolve().parent
sys.dont_write_bytecode = True  # no __pycache__ among the test data
sys.path.insert(0, str(HERE))
from docgen import (CENT, C, Doc, Expect, PdfMaker, R, Table, change, cn_num, doc_text, dump_yaml,  # noqa: E402
                    fmt, wan, write_docx, write_txt, wtext, yuan)

ROOT = HERE.parents[2]
EXAMPLES = ROOT / "examples"

# --------------------------------------------------------------------------
# Classification names (the codes these documents use)
# --------------------------------------------------------------------------

FUNC_2025 = {
    "207": "文化旅游体育与传媒支出",
    "20701": "文化和旅游",
    "2070101": "行政运行",
    "2070102": "一般行政管理事务",
    "2070103": "机关服务",
    "2070104": "图书馆",
    "2070105": "文化展示及纪念机构",
    "2070106": "艺术表演场所",
    "2070107": "艺术表演团体",
    "2070108": "文化活动",
    "2070109": "群众文化",
    "2070110": "文化和旅游交流与合作",
    "2070111": "文化创作与保护",
    "2070112": "文化和旅游市场管理",
    "2070113": "旅游宣传",
    "2070199": "其他文化和旅游支出",
    "20702": "文物",
    "2070204": "文物保护",
    "2070205": "博物馆",
    "2070206": "历史名城与古迹",
    "2070299": "其他文物支出",
    "20703": "体育",
    "2070307": "体育场馆",
    "2070308": "群众体育",
    "20799": "其他文化旅游体育与传媒支出",
    "2079999": "其他文化旅游体育与传媒支出",
    "208": "社会保障和就业支出",
    "20805": "行政事业单位养老支出",
    "2080501": "行政单位离退休",
    "2080502": "事业单位离退休",
    "2080505": "机关事业单位基本养老保险缴费支出",
    "2080506": "机关事业单位职业年金缴费支出",
    "2080599": "其他行政事业单位养老支出",
    "210": "卫生健康支出",
    "21011": "行政事业单位医疗",
    "2101101": "行政单位医疗",
    "2101102": "事业单位医疗",
    "221": "住房保障支出",
    "22102": "住房改革支出",
    "2210201": "住房公积金",
    "2210203": "购房补贴",
}

ECON = {
    "301": "工资福利支出",
    "30101": "基本工资",
    "30102": "津贴补贴",
    "30103": "奖金",
    "30107": "绩效工资",
    "30108": "机关事业单位基本养老保险缴费",
    "30109": "职业年金缴费",
    "30110": "职工基本医疗保险缴费",
    "30112": "其他社会保障缴费",
    "30113": "住房公积金",
    "30114": "医疗费",
    "30199": "其他工资福利支出",
    "302": "商品和服务支出",
    "30201": "办公费",
    "30202": "印刷费",
    "30205": "水费",
    "30206": "电费",
    "30207": "邮电费",
    "30209": "物业管理费",
    "30211": "差旅费",
    "30213": "维修（护）费",
    "30215": "会议费",
    "30216": "培训费",
    "30217": "公务接待费",
    "30228": "工会经费",
    "30229": "福利费",
    "30231": "公务用车运行维护费",
    "30239": "其他交通费用",
    "30299": "其他商品和服务支出",
    "303": "对个人和家庭的补助",
    "30301": "离休费",
    "30302": "退休费",
    "30309": "奖励金",
    "30399": "其他对个人和家庭的补助",
    "310": "资本性支出",
    "31002": "办公设备购置",
}

# the 2025 类 in the order of the summary tables
CLASS_ORDER = ["201", "202", "203", "204", "205", "206", "207", "208", "209", "210", "211", "212",
               "213", "214", "215", "216", "217", "219", "220", "221", "222", "223", "224", "227",
               "229", "230", "231", "232", "233", "234"]


def tree(leaves: dict[str, dict[str, int]], keys) -> list[tuple[str, dict[str, int]]]:
    """Functional/economic rows in print order (类, its 款, their 项 …) with
    every amount summed up from the leaves."""
    out: dict[str, dict] = {}
    for code, amounts in leaves.items():
        for n in range(3, len(code) + 1, 2):
            node = out.setdefault(code[:n], {k: 0 for k in keys})
            for k in keys:
                node[k] += amounts.get(k, 0)
    return sorted(out.items(), key=lambda kv: kv[0].ljust(7, " "))


def residual(items: dict[str, int], key: str, total: int) -> dict[str, int]:
    """Set items[key] so that the items sum to `total`."""
    items = dict(items)
    items[key] = 0
    items[key] = total - sum(items.values())
    assert items[key] > 0 and items[key] % 100 == 0, (key, items[key])
    return items


# --------------------------------------------------------------------------
# Shanghai: data
# --------------------------------------------------------------------------
# Amounts in 元, every one a multiple of 100 so that the 万元 figures of the
# explanation are exact. fb = 财政拨款 basic, fp = 财政拨款 project, biz =
# 事业收入 (spent on projects), oth = 其他收入 (spent on projects).

SH_DEPT = "上海市示例区文化和旅游局"
SH_UNIT = "上海市示例区图书馆"
SH_DISTRICT = "上海市示例区"
SH_YEAR = 2025

SH_DEPT_LEAVES = {
    "2070101": {"fb": 6_523_400},
    "2070102": {"fp": 850_000},
    "2070103": {"fb": 412_600},
    "2070104": {"fb": 5_218_700, "fp": 2_300_000, "biz": 345_600},
    "2070105": {"fp": 680_000},
    "2070106": {"fp": 1_250_000},
    "2070107": {"fp": 920_000},
    "2070108": {"fp": 1_560_000},
    "2070109": {"fb": 3_987_500, "fp": 1_100_000, "oth": 200_000},
    "2070110": {"fp": 300_000},
    "2070111": {"fp": 450_000},
    "2070112": {"fp": 380_000},
    "2070113": {"fp": 760_000},
    "2070199": {"fp": 240_000},
    "2070204": {"fp": 1_800_000},
    "2070205": {"fb": 1_234_500, "fp": 600_000},
    "2070206": {"fp": 500_000},
    "2070299": {"fp": 150_000},
    "2070307": {"fp": 900_000},
    "2070308": {"fp": 650_000},
    "2079999": {"fp": 120_000},
    "2080501": {"fb": 356_800},
    "2080502": {"fb": 98_400},
    "2080505": {"fb": 1_486_200},
    "2080506": {"fb": 743_100},
    "2080599": {"fb": 12_600},
    "2101101": {"fb": 412_300},
    "2101102": {"fb": 498_700},
    "2210201": {"fb": 1_123_600},
    "2210203": {"fb": 867_400},
}

SH_DEPT_PURPOSE = {  # the other 项: "主要用于<name>方面的支出"
    "2070101": "主要用于局机关人员经费和日常运行支出",
    "2070104": "主要用于区图书馆人员经费、日常运行及文献资源购置",
    "2070108": "主要用于公共文化服务专项",
    "2070109": "主要用于区文化馆人员经费、日常运行及群众文化活动",
    "2070204": "主要用于文物保护专项",
}

# 一般公共预算基本支出 by economic code (department); 30199 balances to the
# functional basic total.
SH_DEPT_ECON = {
    "30101": 3_456_800, "30102": 7_325_600, "30103": 186_400, "30107": 3_102_300,
    "30108": 1_486_200, "30109": 743_100, "30110": 911_000, "30112": 58_900,
    "30113": 1_123_600, "30199": 0,
    "30201": 286_500, "30202": 42_000, "30205": 36_000, "30206": 128_000, "30207": 54_000,
    "30209": 568_000, "30211": 45_000, "30213": 96_000, "30216": 38_000, "30217": 20_000,
    "30228": 132_600, "30229": 186_200, "30231": 48_000, "30239": 275_400, "30299": 67_300,
    "30302": 455_200, "30399": 12_600,
    "31002": 64_000,
}
SH_LOST_ZERO = "30201"  # printed as 类 "302" 款 "1"

# 三公 in 万元 and 机关运行经费 (万元)
SH_DEPT_3G = {"abroad": Decimal("2.00"), "reception": Decimal("2.00"),
              "car_buy": Decimal("0"), "car_run": Decimal("4.80"),
              "operating": Decimal("101.73")}
SH_DEPT_3G_PREV = {"abroad": Decimal("2.00"), "reception": Decimal("2.00"),
                   "car_buy": Decimal("0"), "car_run": Decimal("5.30")}

SH_UNIT_LEAVES = {  # fbp / fbu = 财政拨款 basic: 人员经费 / 公用经费
    "2070104": {"fbp": 0, "fbu": 0, "fp": 2_300_000, "biz": 345_600},  # basic set below
    "2070199": {"fp": 180_000},
    "2080502": {"fbp": 98_400},
    "2080505": {"fbp": 512_300},
    "2080506": {"fbp": 256_100},
    "2101102": {"fbp": 301_500},
    "2210201": {"fbp": 386_200},
    "2210203": {"fbp": 298_700},
}
SH_UNIT_LIB_BASIC = 5_218_700  # 2070104 basic, as in the department
SH_UNIT_ECON = {
    "30101": 1_012_300, "30102": 1_456_800, "30107": 1_098_400, "30108": 512_300,
    "30109": 256_100, "30110": 301_500, "30112": 21_300, "30113": 386_200, "30199": 0,
    "30201": 128_000, "30205": 32_000, "30206": 186_000, "30209": 924_000, "30213": 78_000,
    "30217": 5_000, "30228": 45_600, "30229": 66_300, "30239": 88_000, "30299": 0,
    "30302": 98_400,
    "31002": 52_000,
}
SH_UNIT_PURPOSE = {
    "2070104": "主要用于本馆人员经费、日常运行及文献资源购置",
}
SH_UNIT_3G = {"abroad": Decimal("0"), "reception": Decimal("0.50"),
              "car_buy": Decimal("0"), "car_run": Decimal("0"), "operating": Decimal("0")}
SH_UNIT_3G_PREV = {"abroad": Decimal("0"), "reception": Decimal("0.60"),
                   "car_buy": Decimal("0"), "car_run": Decimal("0")}


def is_personnel(code):
    return code[:3] in ("301", "303")


def sh_prepare():
    """Balance the residual items; return the derived data of both documents."""
    dept = {k: dict(v) for k, v in SH_DEPT_LEAVES.items()}
    fb_total = sum(v.get("fb", 0) for v in dept.values())
    econ = residual(SH_DEPT_ECON, "30199", fb_total)
    unit = {k: dict(v) for k, v in SH_UNIT_LEAVES.items()}
    uecon = dict(SH_UNIT_ECON)
    # the library's basic spending splits into 公用经费 (302 + 310, 30299 fixed
    # here) and 人员经费; 30199 balances the personnel side
    uecon["30299"] = 201_000
    pub_total = sum(v for k, v in uecon.items() if not is_personnel(k))
    pers_other = sum(v.get("fbp", 0) for k, v in unit.items() if k != "2070104")
    uecon = residual(uecon, "30199", SH_UNIT_LIB_BASIC + pers_other)
    unit["2070104"]["fbu"] = pub_total
    unit["2070104"]["fbp"] = SH_UNIT_LIB_BASIC - pub_total
    for v in unit.values():
        v["fb"] = v.get("fbp", 0) + v.get("fbu", 0)
    assert sum(v for k, v in uecon.items() if is_personnel(k)) == sum(v.get("fbp", 0) for v in unit.values())
    return dept, econ, unit, uecon


# --------------------------------------------------------------------------
# Shanghai: tables
# --------------------------------------------------------------------------

KEYS = ("fb", "fp", "biz", "oth", "fbp", "fbu")


def amt(v, *keys):
    return sum(v.get(k, 0) for k in keys)


def split_code(code: str, lost_zero=False) -> list[str]:
    """'2070101' → ['207', '01', '01']; '30201' → ['302', '01'] (or ['302', '1'])."""
    parts = [code[:3]] + [code[i:i + 2] for i in range(3, len(code), 2)]
    if lost_zero and len(parts) > 1:
        parts[1] = str(int(parts[1]))
    return parts


class ShTables:
    """The nine Shanghai tables for one document (department or unit)."""

    def __init__(self, scope, name, leaves, econ, g3, year=SH_YEAR):
        self.scope, self.name, self.leaves, self.econ, self.g3, self.year = scope, name, leaves, econ, g3, year
        self.rows = tree(leaves, KEYS)
        self.classes = [(c, v) for c, v in self.rows if len(c) == 3]
        self.econ_rows = tree({k: {"v": v} for k, v in econ.items()}, ["v"])
        self.x = Expect()
        self.sample = self.x.sample
        dept = scope == "department"
        self.who = "部门" if dept else "单位"
        self.pre = f"{year}年部门" if dept else f"{year}年预算单位"
        self.info_label = ("编制部门：" if dept else "编制单位：") + name

    # -- helpers
    def info(self, ncols, unit="元", first=None):
        first = first or ncols - 1
        return R([C(self.info_label, span=first, align="left"), C(f"单位：{unit}", span=ncols - first, align="right")],
                 header=True)

    # -- 1. 财务收支预算总表
    def summary(self):
        title = f"{self.pre}财务收支预算总表"
        v = self.leaves
        fiscal = sum(amt(x, "fb", "fp") for x in v.values())
        biz = sum(amt(x, "biz") for x in v.values())
        oth = sum(amt(x, "oth") for x in v.values())
        total = fiscal + biz + oth
        income = [("一、财政拨款收入", fiscal), ("1. 一般公共预算资金", fiscal), ("2. 政府性基金", 0),
                  ("3. 国有资本经营预算", 0), ("二、事业收入", biz), ("三、事业单位经营收入", 0), ("四、其他收入", oth)]
        exp = [(f"{cn_num(i + 1)}、{FUNC_2025[c]}", a) for i, (c, a) in enumerate(self.classes)]
        unit_layout = self.scope == "unit"
        body = []
        nfill = 4
        n = max(len(income), len(exp)) + nfill
        for i in range(n):
            inc = income[i] if i < len(income) else ("", 0)
            if i < len(exp):
                label, a = exp[i]
                if unit_layout:
                    ex = [label, yuan(amt(a, "fb", "fp", "biz", "oth")), yuan(a["fbp"]), yuan(a["fbu"]),
                          yuan(amt(a, "fp", "biz", "oth"))]
                else:
                    ex = [label, yuan(amt(a, "fb", "fp", "biz", "oth"))]
            else:
                ex = [""] * (5 if unit_layout else 2)
            body.append([inc[0], yuan(inc[1])] + ex)
        if unit_layout:
            fbp = sum(amt(x, "fbp") for x in v.values())
            fbu = sum(amt(x, "fbu") for x in v.values())
            proj = sum(amt(x, "fp", "biz", "oth") for x in v.values())
            totals = ["收入总计", yuan(total), "支出总计", yuan(total), yuan(fbp), yuan(fbu), yuan(proj)]
            widths = [5.0, 3.4, 5.0, 3.3, 3.1, 3.1, 3.2]
            head = [self.info(7),
                    R([C("本年收入", span=2), C("本年支出", span=5)], header=True),
                    R([C("项目", rows=3), C("预算数", rows=3), C("项目", rows=3), C("预算数", span=4)], header=True),
                    R([C("合计", rows=2), C("基本支出", span=2), C("项目支出", rows=2)], header=True),
                    R([C("人员经费"), C("公用经费")], header=True)]
        else:
            totals = ["收入总计", yuan(total), "支出总计", yuan(total)]
            widths = [7.5, 5.0, 7.5, 5.0]
            head = [self.info(4),
                    R([C("本年收入", span=2), C("本年支出", span=2)], header=True),
                    R([C("项目"), C("预算数"), C("项目"), C("预算数")], header=True)]
        rows = head + [R([C(x) for x in r]) for r in body] + \
            [R([C(totals[0], align="center"), C(totals[1]), C(totals[2], align="center")] + [C(x) for x in totals[3:]])]
        self.x.table("summary", title, "元", [], body + [totals])
        self.sample("summary", "一、财政拨款收入", "预算数", yuan(fiscal), "income")
        self.sample("summary", "二、事业收入", "预算数", yuan(biz), "income")
        self.sample("summary", "收入总计", "预算数", yuan(total), "income")
        self.sample("summary", exp[0][0], "合计" if unit_layout else "预算数",
                    yuan(amt(self.classes[0][1], "fb", "fp", "biz", "oth")), "expenditure")
        if unit_layout:
            self.sample("summary", "支出总计", "人员经费", totals[4], "expenditure")
            self.sample("summary", "支出总计", "项目支出", totals[6], "expenditure")
        else:
            self.sample("summary", "支出总计", "预算数", yuan(total), "expenditure")
        self.totals = {"total": total, "fiscal": fiscal, "biz": biz, "oth": oth}
        return title, Table(widths, rows)

    def _func_table(self, tid, title, group, heads, cols, width, wanted=(), blank_rows=0):
        """A functional table: [类, 款, 项, 名称, amounts…], 合计 last; `wanted`
        lists (code, column) samples."""
        body = []
        for code, a in self.rows:
            if any(cols(a)) and not blank_rows:
                parts = split_code(code)
                body.append((code, parts + [""] * (3 - len(parts)) + [FUNC_2025[code]] + [yuan(x) for x in cols(a)]))
        tot = [yuan(sum(col)) for col in zip(*(cols(a) for _, a in self.classes))]
        n = len(heads)
        head = [self.info(4 + n),
                R([C("项目", span=4), C(group, span=n)], header=True),
                R([C("功能分类科目编码", span=3), C("功能分类科目名称", rows=2)] + [C(h, rows=2) for h in heads],
                  header=True),
                R([C("类"), C("款"), C("项")], header=True)]
        rows = head + [R([C(x, align="center" if i < 3 else None) for i, x in enumerate(r)]) for _, r in body]
        rows += [R([C("") for _ in range(4 + n)]) for _ in range(blank_rows)]
        rows.append(R([C("合计", span=4, align="center")] + [C(x) for x in tot]))
        self.x.table(tid, title, "元", [c for c, _ in body], [r for _, r in body] + [tot])
        for code, col in wanted:  # the codes this document has
            if code in dict(body):
                self.sample(tid, code, col, dict(body)[code][4 + heads.index(col)])
        return title, Table([1.2, 1.2, 1.2, 7.0] + [width] * n, rows)

    def income(self):  # 2. 收入预算总表
        return self._func_table(
            "income", f"{self.pre}收入预算总表", "收入预算", ["合计", "财政拨款收入", "事业收入", "事业单位经营收入", "其他收入"],
            lambda a: [amt(a, "fb", "fp", "biz", "oth"), amt(a, "fb", "fp"), amt(a, "biz"), 0, amt(a, "oth")], 3.1,
            [("207", "合计"), ("2070101", "财政拨款收入"), ("2070104", "合计"), ("2070104", "事业收入"),
             ("2070109", "其他收入"), ("2070199", "合计")])

    def expenditure(self):  # 3. 支出预算总表
        return self._func_table(
            "expenditure", f"{self.pre}支出预算总表", "支出预算", ["合计", "基本支出", "项目支出"],
            lambda a: [amt(a, "fb", "fp", "biz", "oth"), amt(a, "fb"), amt(a, "fp", "biz", "oth")], 4.3,
            [("2070104", "基本支出"), ("2070104", "项目支出"), ("221", "合计")])

    def general_expenditure(self):  # 5. 一般公共预算支出功能分类预算表
        return self._func_table(
            "general_expenditure", f"{self.pre}一般公共预算支出功能分类预算表", "一般公共预算支出", ["合计", "基本支出", "项目支出"],
            lambda a: [amt(a, "fb", "fp"), amt(a, "fb"), amt(a, "fp")], 4.3,
            [("2070101", "合计"), ("2070104", "项目支出"), ("2079999", "项目支出"), ("2101102", "基本支出"),
             ("2210203", "合计")])

    def empty_fund(self, tid, kind):  # 6/7. empty tables with a note
        title, t = self._func_table(tid, f"{self.pre}{kind}预算支出功能分类预算表", f"{kind}预算支出",
                                    ["合计", "基本支出", "项目支出"], lambda a: [0, 0, 0], 4.3, blank_rows=3)
        note = f"注：本{self.who}{self.year}年无{kind}预算财政拨款安排的预算，故本表为空表。"
        self.x.tables[tid]["note"] = note
        return title, t, note

    # -- 4. 财政拨款收支预算总表
    def fiscal_summary(self, title_inside=False):
        title = f"{self.pre}财政拨款收支预算总表"
        fiscal = sum(amt(x, "fb", "fp") for x in self.leaves.values())
        income = [("一、一般公共预算资金", fiscal), ("二、政府性基金", 0), ("三、国有资本经营预算", 0)]
        exp = [(f"{cn_num(i + 1)}、{FUNC_2025[c]}", amt(a, "fb", "fp")) for i, (c, a) in enumerate(self.classes)]
        body = []
        for i in range(max(len(income), len(exp)) + 4):
            inc = income[i] if i < len(income) else ("", 0)
            ex = exp[i] if i < len(exp) else ("", 0)
            body.append([inc[0], yuan(inc[1]), ex[0], yuan(ex[1]), yuan(ex[1]), "", ""])
        totals = ["收入总计", yuan(fiscal), "支出总计", yuan(fiscal), yuan(fiscal), "", ""]
        head = []
        if title_inside:
            head.append(R([C(title, span=7, align="center", bold=True, size=14)], header=True, height=1.0))
        head += [self.info(7),
                 R([C("财政拨款收入", span=2), C("财政拨款支出", span=5)], header=True),
                 R([C("项目"), C("预算数"), C("项目"), C("合计"), C("一般公共预算"), C("政府性基金预算"),
                    C("国有资本经营预算")], header=True)]
        rows = head + [R([C(x) for x in r]) for r in body] + \
            [R([C(totals[0], align="center"), C(totals[1]), C(totals[2], align="center")] + [C(x) for x in totals[3:]])]
        self.x.table("fiscal_summary", title, "元", [], body + [totals],
                     **({"title_inside_grid": True} if title_inside else {}))
        self.sample("fiscal_summary", "一、一般公共预算资金", "预算数", yuan(fiscal), "income")
        self.sample("fiscal_summary", exp[-1][0], "一般公共预算", yuan(exp[-1][1]), "expenditure")
        self.sample("fiscal_summary", "支出总计", "合计", yuan(fiscal), "expenditure")
        return title, Table([5.0, 3.4, 5.0, 3.3, 3.3, 3.0, 3.1], rows)

    # -- 8. 基本支出经济分类
    def general_basic(self, lost_zero=None):
        title = f"{self.pre}一般公共预算基本支出部门预算经济分类预算表"
        body, codes = [], []
        for code, a in self.econ_rows:
            v = a["v"]
            parts = split_code(code, lost_zero=(code == lost_zero))
            parts += [""] * (2 - len(parts))
            pers, pub = (v, 0) if is_personnel(code) else (0, v)
            body.append(parts + [ECON[code], yuan(v), yuan(pers), yuan(pub)])
            codes.append(code)
        pers_total = sum(v for k, v in self.econ.items() if is_personnel(k))
        pub_total = sum(v for k, v in self.econ.items() if not is_personnel(k))
        tot = [yuan(pers_total + pub_total), yuan(pers_total), yuan(pub_total)]
        head = [self.info(6),
                R([C("项目", span=3), C("一般公共预算基本支出", span=3)], header=True),
                R([C("部门预算经济分类科目编码", span=2), C("经济分类科目名称", rows=2), C("合计", rows=2),
                   C("人员经费", rows=2), C("公用经费", rows=2)], header=True),
                R([C("类"), C("款")], header=True)]
        rows = head + [R([C(x, align="center" if i < 2 else None) for i, x in enumerate(r)]) for r in body]
        rows.append(R([C("合计", span=3, align="center")] + [C(x) for x in tot]))
        p = split_code(lost_zero or "00000", lost_zero=True)
        self.x.table("general_basic", title, "元", codes, body + [tot],
                     **({"printed_codes": {lost_zero: {"类": p[0], "款": p[1]}}} if lost_zero else {}))
        cols = ["合计", "人员经费", "公用经费"]
        for code, col in (("301", "人员经费"), ("30201", "公用经费"), ("30231", "公用经费"), ("30217", "合计"),
                          ("303", "合计")):
            if code in codes and body[codes.index(code)][3 + cols.index(col)]:
                self.sample("general_basic", code, col, body[codes.index(code)][3 + cols.index(col)])
        self.sample("general_basic", "合计", "合计", tot[0])
        self.sample("general_basic", "合计", "人员经费", tot[1])
        self.sample("general_basic", "合计", "公用经费", tot[2])
        return title, Table([1.6, 1.6, 7.5, 4.3, 4.3, 4.3], rows)

    # -- 9. 三公 and 机关运行经费, printed across
    def three_public(self):
        title = f"{self.year}年{self.who}“三公”经费和机关运行经费预算表"
        g = self.g3
        car = g["car_buy"] + g["car_run"]
        total = g["abroad"] + g["reception"] + car
        vals = [fmt(total), fmt(g["abroad"]), fmt(g["reception"]), fmt(car), fmt(g["car_buy"]), fmt(g["car_run"]),
                fmt(g["operating"])]
        head = [self.info(7, unit="万元"),
                R([C("“三公”经费预算数", span=6), C("机关运行经费预算数", rows=3)], header=True),
                R([C("合计", rows=2), C("因公出国(境)费", rows=2), C("公务接待费", rows=2),
                   C("公务用车购置及运行费", span=3)], header=True),
                R([C("小计"), C("购置费"), C("运行费")], header=True)]
        rows = head + [R([C(x) for x in vals], height=1.2)]
        self.x.table("three_public", title, "万元", [], [vals])
        labels = ["合计", "因公出国(境)费", "公务接待费", "小计", "购置费", "运行费", "机关运行经费预算数"]
        for lab, v in zip(labels, vals):
            if v:
                self.sample("three_public", lab, lab, v)
        self.g3_total = total
        return title, Table([3.6] * 7, rows)


# --------------------------------------------------------------------------
# Shanghai: documents
# --------------------------------------------------------------------------

GLOSSARY_SH = [
    "（一）财政拨款收入：指本年度从本级财政部门取得的财政拨款。",
    "（二）事业收入：指事业单位开展专业业务活动及其辅助活动取得的收入。",
    "（三）其他收入：指除上述收入以外的各项收入。",
    "（四）基本支出预算：指为保障机构正常运转、完成日常工作任务编制的支出计划，包括人员经费和公用经费。",
    "（五）项目支出预算：指在基本支出之外为完成特定工作任务编制的支出计划。",
    "（六）“三公”经费：指使用财政拨款安排的因公出国（境）费、公务用车购置及运行费和公务接待费。",
    "（七）机关运行经费：指行政单位和参照公务员法管理的事业单位使用一般公共预算财政拨款安排的基本支出中的日常公用经费支出。",
]


def sh_document(scope: str):
    dept_leaves, dept_econ, unit_leaves, unit_econ = sh_prepare()
    dept = scope == "department"
    name = SH_DEPT if dept else SH_UNIT
    leaves, econ = (dept_leaves, dept_econ) if dept else (unit_leaves, unit_econ)
    g3, g3_prev = (SH_DEPT_3G, SH_DEPT_3G_PREV) if dept else (SH_UNIT_3G, SH_UNIT_3G_PREV)
    T = ShTables(scope, name, leaves, econ, g3)
    who = T.who
    year, prev = SH_YEAR, SH_YEAR - 1
    doc = Doc(landscape=True)

    # tables first (they compute the totals the text states)
    t1 = T.summary()
    t2 = T.income()
    t3 = T.expenditure()
    t4 = T.fiscal_summary(title_inside=not dept)
    t5 = T.general_expenditure()
    t6 = T.empty_fund("fund_expenditure", "政府性基金")
    t7 = T.empty_fund("soe_expenditure", "国有资本经营")
    t8 = T.general_basic(lost_zero=SH_LOST_ZERO if dept else None)
    t9 = T.three_public()
    tables = [t1, t2, t3, t4, t5, t6, t7, t8, t9]

    # cover and contents
    level = "区级部门预算" if dept else "区级单位预算"
    doc.p(f"{SH_DISTRICT}{year}年{level}", "cover")
    doc.p(("预算主管部门：" if dept else "预算单位：") + name, "cover2")
    doc.p("目   录", "toc_title", page_break=True)
    for line in [f"一、{who}主要职能", f"二、{who}机构设置", "三、名词解释", f"四、{who}预算编制说明", f"五、{who}预算表"]:
        doc.p(line, "toc")
    for i, (title, *_rest) in enumerate(tables, 1):
        doc.p(f"  {i}. {title}", "toc")
    doc.p("六、其他相关情况说明", "toc")
    doc.p("七、项目经费情况说明", "toc")

    # 主要职能
    doc.p(f"{name}主要职能", "heading", page_break=True)
    if dept:
        doc.p(f"{name}是负责本区文化、旅游和文物工作的区政府工作部门。")
        duties = ["拟订本区文化和旅游发展规划并组织实施。", "负责本区公共文化服务体系建设。",
                  "负责本区文化和旅游市场监管和文物保护工作。", "完成区委、区政府交办的其他任务。"]
    else:
        doc.p(f"{name}是{SH_DEPT}所属的公益一类事业单位。")
        duties = ["负责本区公共图书馆的文献资源建设和借阅服务。", "组织开展全民阅读推广和数字阅读服务。",
                  "完成上级主管部门交办的其他任务。"]
    doc.p("主要职能包括：")
    for i, duty in enumerate(duties, 1):
        doc.p(f"{i}、{duty}")

    # 机构设置
    doc.p(f"{name}机构设置", "heading")
    if dept:
        doc.p(f"{name}部门预算是包括局机关以及下属2家预算单位的综合收支计划。")
        doc.p("本部门中，行政单位1家，事业单位2家，具体包括：")
        doc.p("1. 局机关，设办公室、公共服务科、产业发展科、市场管理科、文物保护科5个内设机构。")
        doc.p(f"2. {SH_UNIT}。")
        doc.p(f"3. {SH_DISTRICT}文化馆。")
    else:
        doc.p(f"{name}单位预算是本单位的收支计划。本单位为事业单位，设办公室、采编部、借阅部、数字资源部4个内设部门。")

    doc.p("名词解释", "heading")
    for g in GLOSSARY_SH:
        doc.p(g)

    # 预算编制说明
    tot = T.totals
    fiscal, total = wan(tot["fiscal"]), wan(tot["total"])
    fiscal_prev = fiscal - (Decimal("123.56") if dept else Decimal("-18.40"))
    doc.p(f"{year}年{who}预算编制说明", "heading", page_break=True)
    doc.p(f"{year}年，{name}收入预算{wtext(total)}，其中：财政拨款收入{wtext(fiscal)}，"
          f"{change(fiscal, fiscal_prev, prev)}；事业收入{wtext(wan(tot['biz']))}；事业单位经营收入0万元；"
          f"其他收入{wtext(wan(tot['oth']))}。")
    doc.p(f"支出预算{wtext(total)}，其中：财政拨款支出预算{wtext(fiscal)}，{change(fiscal, fiscal_prev, prev)}。"
          f"财政拨款支出预算中，一般公共预算拨款支出预算{wtext(fiscal)}，{change(fiscal, fiscal_prev, prev)}；"
          f"政府性基金拨款支出预算0万元，与{prev}年预算持平；国有资本经营预算拨款支出预算0万元，与{prev}年预算持平。")
    reason = "公共文化服务和文物保护项目增加" if dept else "在职人员经费调整"
    doc.p(f"财政拨款收入支出{'增加' if fiscal > fiscal_prev else '减少'}的主要原因是：{reason}。")
    doc.p("财政拨款支出主要内容如下：")
    purpose = SH_DEPT_PURPOSE if dept else SH_UNIT_PURPOSE
    text_items = []
    for i, code in enumerate(sorted(leaves), 1):
        a = amt(leaves[code], "fb", "fp")
        if not a:
            continue
        label = f"“{FUNC_2025[code[:3]]}（类）{FUNC_2025[code[:5]]}（款）{FUNC_2025[code]}（项）”"
        use = purpose.get(code) or "主要用于" + FUNC_2025[code].removesuffix("支出") + "方面的支出"
        doc.p(f"{i}.{label}{wtext(wan(a))}，{use}。")
        text_items.append({"code": code, "text": f"{wan(a):,.2f}万元"})

    # the nine tables
    for title, table, *note in tables:
        if title == t4[0] and not dept:
            doc.p("", "blank", page_break=True)   # the title is the table's first row
        else:
            doc.p(title, "title", page_break=True)
        doc.t(table)
        if note:
            doc.p(note[0], "note")

    # 其他相关情况说明
    g = g3
    car, car_prev = g["car_buy"] + g["car_run"], g3_prev["car_buy"] + g3_prev["car_run"]
    total3 = T.g3_total
    total3_prev = g3_prev["abroad"] + g3_prev["reception"] + car_prev
    doc.p("其他相关情况说明", "heading", page_break=True)
    doc.p(f"一、{year}年“三公”经费预算情况说明", "sub")
    doc.p(f"{year}年“三公”经费预算数为{wtext(total3)}，{change(total3, total3_prev, prev)}。其中：")
    doc.p(f"（一）因公出国（境）费{wtext(g['abroad'])}，{change(g['abroad'], g3_prev['abroad'], prev)}，"
          f"主要原因是{'按计划安排文化交流出访任务' if g['abroad'] else '本' + who + '无因公出国（境）计划'}。")
    doc.p(f"（二）公务用车购置及运行费{wtext(car)}，{change(car, car_prev, prev)}，"
          f"主要原因是{'车辆运行维护费用压减' if car != car_prev else '无公务用车车辆'}。其中：公务用车购置费{wtext(g['car_buy'])}，"
          f"{change(g['car_buy'], g3_prev['car_buy'], prev)}；公务用车运行费{wtext(g['car_run'])}，"
          f"{change(g['car_run'], g3_prev['car_run'], prev)}。")
    doc.p(f"（三）公务接待费{wtext(g['reception'])}，{change(g['reception'], g3_prev['reception'], prev)}，"
          f"主要原因是{'根据实际业务需求安排公务接待' if g['reception'] == g3_prev['reception'] else '严格控制公务接待批次和人数'}。")
    doc.p("二、机关运行经费预算", "sub")
    doc.p(f"{year}年{name}财政拨款的机关运行经费预算为{wtext(g['operating'])}。")
    doc.p("三、政府采购预算情况", "sub")
    goods, works, services = ((Decimal("45.60"), Decimal("0"), Decimal("128.40")) if dept
                              else (Decimal("12.80"), Decimal("0"), Decimal("36.20")))
    proc = goods + works + services
    doc.p(f"{year}年度本{who}政府采购预算{wtext(proc)}，其中：政府采购货物预算{wtext(goods)}、"
          f"政府采购工程预算{wtext(works)}、政府采购服务预算{wtext(services)}。")
    doc.p("四、绩效目标设置情况", "sub")
    fp_total = wan(sum(amt(v, "fp") for v in leaves.values()))
    nproj = 16 if dept else 3
    doc.p(f"{year}年度，本{who}编报绩效目标的项目共{nproj}个，涉及项目预算资金{wtext(fp_total)}。")
    doc.p("五、国有资产占有使用情况", "sub")
    cars = 2 if dept else 0
    doc.p(f"截至{prev}年8月31日，{name}共有车辆{cars}辆，其中：执法执勤用车{cars}辆、其他用车0辆；"
          f"单价100万元（含）以上设备（不含车辆）{1 if dept else 0}台（套）。")
    doc.p(f"{year}年{who}预算安排购置车辆0辆；安排购置单价100万元（含）以上设备（不含车辆）0台（套）。")

    # projects
    if dept:
        projects = [
            ("公共文化服务专项", "组织全民阅读、群众文艺展演和公共文化配送，提升基层公共文化服务水平。",
             ["《上海市公共文化服务保障与促进条例》。", f"《{SH_DISTRICT}公共文化服务体系建设实施方案》。"],
             "2070108", [("全民阅读活动", 960_000), ("群众文艺展演", 600_000)]),
            ("文物保护专项", "开展区内不可移动文物修缮、安全巡查和保护标志设立。",
             ["《中华人民共和国文物保护法》。", f"《{SH_DISTRICT}不可移动文物保护管理办法》。"],
             "2070204", [("文物修缮", 1_200_000), ("安全巡查", 600_000)]),
        ]
    else:
        projects = [
            ("文献资源购置专项", "补充纸质图书、期刊和数字资源，满足读者借阅需求。",
             ["《中华人民共和国公共图书馆法》。", "《上海市公共图书馆文献资源建设规范》。"],
             "2070104", [("纸质文献购置", 1_500_000)]),
        ]
    text_projects = []
    for pname, summary, basis, code, parts in projects:
        doc.p(f"{pname}经费情况说明", "heading")
        doc.p("一、项目概述", "sub")
        doc.p(summary)
        doc.p("二、立项依据", "sub")
        for i, b in enumerate(basis, 1):
            doc.p(f"{i}、{b}")
        doc.p("三、实施主体", "sub")
        doc.p(name if dept else SH_UNIT)
        doc.p("四、实施方案", "sub")
        doc.p("制定年度实施计划，明确工作内容和时间节点，按程序组织实施并落实资金拨付。")
        doc.p("五、实施周期", "sub")
        doc.p(f"{year}.1.1-{year}.12.31")
        doc.p("六、年度预算安排", "sub")
        ptotal = sum(x for _, x in parts)
        detail = "，".join(f"{lab}{wan(x):.2f}万元" for lab, x in parts)
        doc.p(f"{year}年度项目总预算{wan(ptotal):.2f}万元，其中{detail}。")
        doc.p("七、绩效目标", "sub")
        doc.p(f"详见{who}的项目绩效目标表。")
        text_projects.append({"name": pname, "total": f"{wan(ptotal):.2f}", "code": code})

    expected_text = {
        "income_total": f"{total:,.2f}", "fiscal_income": f"{fiscal:,.2f}",
        "fiscal_change": f"{fiscal - fiscal_prev:,.2f}",
        "business_income": f"{wan(tot['biz']):,.2f}", "other_income": f"{wan(tot['oth']):,.2f}",
        "three_public_total": f"{total3:.2f}", "operating_costs": f"{g['operating']:.2f}",
        "procurement_total": f"{proc:.2f}", "performance_projects": nproj,
        "performance_amount": f"{fp_total:,.2f}",
        "items": text_items, "projects": text_projects,
    }
    return doc, T, expected_text


def sh_expected(name, scope, T, text, files, notes):
    order = ["summary", "income", "expenditure", "fiscal_summary", "general_expenditure", "fund_expenditure",
             "soe_expenditure", "general_basic", "three_public"]
    return {
        "document": name,
        "files": files,
        "layout": "shanghai",
        "department": SH_DEPT if scope == "department" else SH_UNIT,
        "parent_department": SH_DEPT if scope == "unit" else None,
        "year": SH_YEAR,
        "scope": scope,
        "unit_text": "万元",
        "table_ids": order,
        "tables": {k: T.x.tables[k] for k in order},
        "samples": T.x.samples,
        "text": text,
        "notes": notes,
    }


# --------------------------------------------------------------------------
# Jiangsu 2018
# --------------------------------------------------------------------------

JS_DEPT = "江苏省示例厅"
JS_YEAR = 2018
W = Decimal

JS_CLASSES_2018 = ["一般公共服务支出", "外交支出", "国防支出", "公共安全支出", "教育支出", "科学技术支出",
                   "文化体育与传媒支出", "社会保障和就业支出", "医疗卫生与计划生育支出", "节能环保支出", "城乡社区支出",
                   "农林水支出", "交通运输支出", "资源勘探信息等支出", "商业服务业等支出", "金融支出",
                   "国土海洋气象等支出", "住房保障支出", "粮油物资储备支出", "其他支出"]
JS_CLASS_CODE = ("201", "208", "221")

JS_FUNC = {
    "201": "一般公共服务支出",
    "20103": "政府办公厅（室）及相关机构事务",
    "2010301": "行政运行",
    "2010302": "一般行政管理事务",
    "2010350": "事业运行",
    "2010399": "其他政府办公厅（室）及相关机构事务支出",
    "208": "社会保障和就业支出",
    "20805": "行政事业单位离退休",
    "2080504": "未归口管理的行政单位离退休",
    "2080505": "机关事业单位基本养老保险缴费支出",
    "2080506": "机关事业单位职业年金缴费支出",
    "221": "住房保障支出",
    "22102": "住房改革支出",
    "2210201": "住房公积金",
    "2210202": "提租补贴",
}
# 财政拨款 (all 一般公共预算) by 项, 万元
JS_FISCAL = {
    "2010301": W("3125.60"), "2010302": W("1480.00"), "2010350": W("862.35"), "2010399": W("310.00"),
    "2080504": W("215.40"), "2080505": W("368.72"), "2080506": W("147.49"),
    "2210201": W("352.18"), "2210202": W("906.30"),
}
JS_PROJECT = {"2010302": W("1480.00"), "2010399": W("310.00")}
JS_RESERVE = W("420.00")        # 单位预留机动经费, inside 2010301
JS_OTHER = W("60.00")           # 其他资金 (事业收入), basic spending in 2010350
JS_ECON = {
    "30101": W("812.36"), "30102": W("1624.50"), "30103": W("65.80"), "30107": W("120.00"),
    "30108": W("368.72"), "30109": W("147.49"), "30113": W("352.18"), "30114": W("95.60"), "30199": W("0"),
    "30201": W("96.00"), "30205": W("12.00"), "30206": W("68.00"), "30207": W("42.00"), "30211": W("150.00"),
    "30213": W("80.00"), "30215": W("55.00"), "30216": W("20.00"), "30217": W("12.00"), "30228": W("30.50"),
    "30231": W("98.40"), "30239": W("140.20"), "30299": W("60.00"),
    "30301": W("120.40"), "30302": W("95.00"), "30309": W("0.60"),
}
JS_3G = {"abroad": W("45.00"), "car_buy": W("25.00"), "car_run": W("98.40"), "reception": W("38.00"),
         "meeting": W("135.00"), "training": W("62.00")}
JS_3G_PREV = {"abroad": W("40.00"), "car_buy": W("0"), "car_run": W("98.40"), "reception": W("45.50"),
              "meeting": W("150.00"), "training": W("55.00")}
JS_PREV_TOTAL = W("7512.30")     # 2017 收支总计
JS_PREV_FISCAL = W("7452.30")
JS_PROC = [  # (大类, [(专项名称, 经济科目, [(物品, 组织形式, 金额)])])
    ("一、货物A", [("办公设备购置费", "办公设备购置", [("台式计算机", "分散自行组织", W("24.00")),
                                            ("便携式计算机", "分散自行组织", W("12.50")),
                                            ("复印机", "分散自行组织", W("8.00")),
                                            ("家具用具", "分散自行组织", W("24.00"))])]),
    ("三、服务C", [("信息系统运行维护专项", "委托业务费", [("信息技术服务", "政府集中采购", W("86.00")),
                                                ("物业管理服务", "分散委托代理", W("32.00"))])]),
]


def js_prepare():
    fiscal = sum(JS_FISCAL.values())
    fp = sum(JS_PROJECT.values())
    fb = fiscal - fp - JS_RESERVE
    econ = dict(JS_ECON)
    econ["30199"] = W("0")
    econ["30199"] = fb - sum(econ.values())
    assert econ["30199"] > 0
    return fiscal, fp, fb, econ


def js_tables():
    fiscal, fp, fb, econ = js_prepare()
    total = fiscal + JS_OTHER
    basic = fb + JS_OTHER
    x = Expect()
    sample = x.sample
    out = []   # (label, tid, title, Table, note)

    def f(d):
        return fmt(d)

    def grid_title(ncols, title):
        return R([C((title, f"部门：{JS_DEPT}\t单位：万元"), span=ncols, tab_right=True)], header=True, height=1.4)

    def add(tid, title, table, body_rows, codes=(), note=None):
        label = f"公开{len(out) + 1:02d}表"
        x.table(tid, title, "万元", codes, body_rows, **({"note": note} if note else {}))
        x.tables[tid] = {"label": label, **x.tables[tid]}
        out.append((label, tid, title, table, note))

    # functional rows (all funds and fiscal only)
    func_all = {k: {"v": v} for k, v in JS_FISCAL.items()}
    func_all["2010350"]["v"] += JS_OTHER
    by_class_all = {c: sum(x["v"] for k, x in func_all.items() if k.startswith(c)) for c in JS_CLASS_CODE}
    uses = [("一、基本支出", basic), ("二、项目支出", fp), ("三、单位预留机动经费", JS_RESERVE)]

    # 01 收支预算总表
    title = "收支预算总表"
    body = []
    income = [("一、财政拨款", fiscal), (" 1.一般公共预算", fiscal), (" 2.政府性基金预算", W(0)),
              ("二、财政专户管理资金", W(0)), ("三、其他资金", JS_OTHER)]
    amount_of = {JS_FUNC[c]: a for c, a in by_class_all.items()}
    for i, cls in enumerate(JS_CLASSES_2018):
        inc = income[i] if i < len(income) else ("", W(0))
        use = uses[i] if i < len(uses) else ("", W(0))
        body.append([inc[0], f(inc[1]), f"{cn_num(i + 1)}、{cls}", f(amount_of.get(cls, 0)), use[0], f(use[1])])
    foot = [["当年收入小计", f(total), "当年支出小计", f(total)],
            ["上年结转资金", "", "结转下年资金", ""],
            ["收入合计", f(total), "支出合计", f(total)]]
    rows = [grid_title(6, title),
            R([C("收入", span=2), C("支出", span=4)], header=True),
            R([C("项目名称", rows=2), C("金额", rows=2), C("功能分类", span=2), C("支出用途", span=2)], header=True),
            R([C("功能科目名称"), C("金额"), C("项目名称"), C("金额")], header=True)]
    rows += [R([C(x) for x in r], height=0.42) for r in body]
    rows += [R([C(r[0], align="center", bold=(i != 1)), C(r[1]), C(r[2], span=3, align="center", bold=(i != 1)),
                C(r[3])], height=0.42) for i, r in enumerate(foot)]
    add("summary", title, Table([4.6, 3.2, 6.4, 3.2, 4.6, 3.2], rows, height=0.42),
        body + [[r[1], r[3]] for r in foot])
    sample("summary", "一、财政拨款", "金额", f(fiscal), "income")
    sample("summary", "三、其他资金", "金额", f(JS_OTHER), "income")
    sample("summary", "一、一般公共服务支出", "金额", f(by_class_all["201"]), "expenditure")
    sample("summary", "十八、住房保障支出", "金额", f(by_class_all["221"]), "expenditure")
    sample("summary", "三、单位预留机动经费", "金额", f(JS_RESERVE), "expenditure")
    sample("summary", "支出合计", "金额", f(total), "expenditure")

    # 02 收入预算总表 (by source)
    title = "收入预算总表"
    src = [("一般公共预算资金", [("小计", fiscal), ("公共财政拨款(补助)资金", fiscal), ("专项收入", W(0))]),
           ("政府性基金", [("小计", W(0))]),
           ("财政专户管理资金", [("小计", W(0)), ("专户管理教育收费", W(0)), ("其他非税收入", W(0))]),
           ("其他资金", [("小计", JS_OTHER), ("事业收入", JS_OTHER), ("经营收入", W(0)), ("其他收入", W(0)),
                     ("债务资金(银行贷款)", W(0))]),
           ("上年结转和结余资金", [("小计", W(0)), ("其中：动用上年结转和结余资金", W(0))])]
    rows = [grid_title(3, title), R([C("项目名称", span=2), C("金额")], header=True),
            R([C(""), C("收入总计", bold=True), C(f(total))])]
    body = [[f(total)]]
    for group, items in src:
        for i, (lab, a) in enumerate(items):
            cells = [C(group, rows=len(items), align="center")] if i == 0 else []
            rows.append(R(cells + [C(lab), C(f(a))]))
            body.append([f(a)])
    add("income_sources", title, Table([6.0, 8.0, 5.0], rows), body)
    sample("income_sources", "收入总计", "金额", f(total))
    sample("income_sources", "公共财政拨款(补助)资金", "金额", f(fiscal))
    sample("income_sources", "事业收入", "金额", f(JS_OTHER))

    # 03 支出预算总表 — one row
    title = "支出预算总表"
    vals = [f(total), f(basic), f(fp), f(JS_RESERVE), ""]
    rows = [grid_title(5, title),
            R([C("合计"), C("基本支出"), C("项目支出"), C("单位预留机动经费"), C("结转下年资金")], header=True),
            R([C(x) for x in vals], height=0.8)]
    add("expenditure_summary", title, Table([4.6] * 5, rows), [vals])
    for lab, v in zip(["合计", "基本支出", "项目支出", "单位预留机动经费"], vals):
        sample("expenditure_summary", lab, lab, v)

    # 04 财政拨款收支预算总表
    title = "财政拨款收支预算总表"
    fuses = [("一、基本支出", fb), ("二、项目支出", fp), ("三、单位预留机动经费", JS_RESERVE)]
    finc = [("一、一般公共预算", fiscal), ("二、政府性基金预算", W(0)), ("", W(0))]
    body = [[finc[i][0], f(finc[i][1]), fuses[i][0], f(fuses[i][1])] for i in range(3)]
    foot = ["收入合计", f(fiscal), "支出合计", f(fiscal)]
    rows = [grid_title(4, title),
            R([C("收入", span=2), C("支出", span=2)], header=True),
            R([C("项目名称", rows=2), C("金额", rows=2), C("支出用途", span=2)], header=True),
            R([C("项目名称"), C("金额")], header=True)]
    rows += [R([C(x) for x in r], height=0.9) for r in body]
    rows.append(R([C(foot[0], align="center", bold=True), C(foot[1]), C(foot[2], align="center", bold=True),
                   C(foot[3])], height=0.9))
    add("fiscal_summary", title, Table([6.0, 4.5, 6.0, 4.5], rows), body + [foot])
    sample("fiscal_summary", "一、基本支出", "金额", f(fb), "expenditure")
    sample("fiscal_summary", "收入合计", "金额", f(fiscal), "income")

    # 05-08 and 11: one code column (3/5/7 digits), 合计 as the first row
    def code_table(tid, title, leaves, names, heads, samples, height=0.55):
        crows = tree({k: {"v": v} for k, v in leaves.items()}, ["v"])
        total = sum(leaves.values())
        body = [["", "合计", f(total)]] + [[c, names[c], f(a["v"])] for c, a in crows]
        rows = [grid_title(3, title), R([C(h) for h in heads], header=True),
                R([C(""), C("合计", align="center", bold=True), C(f(total))])]
        rows += [R([C(r[0]), C(r[1]), C(r[2])]) for r in body[1:]]
        add(tid, title, Table([5.0, 9.0, 5.0], rows, height=height), body, [c for c, _ in crows])
        for code in samples:
            sample(tid, code, heads[2], next(r[2] for r in body if r[0] == code or r[1] == code))
        return total

    fheads, eheads = ["功能科目编码", "功能科目名称", "金额"], ["科目编码", "科目名称", "金额"]
    for tid, title in (("fiscal_expenditure", "财政拨款支出预算表（功能科目）"),
                       ("fiscal_basic", "财政拨款基本支出预算表（经济科目）"),
                       ("general_expenditure", "一般公共预算支出预算表"),
                       ("general_basic", "一般公共预算基本支出预算表")):
        if "basic" in tid:
            code_table(tid, title, econ, ECON, eheads, ["30199", "302"], height=0.42)
        else:
            code_table(tid, title, JS_FISCAL, JS_FUNC, fheads, ["2010301", "22102"])

    # 09 三公、会议费、培训费
    title = "一般公共预算“三公”经费、会议费、培训费支出预算表"
    g = JS_3G
    car = g["car_buy"] + g["car_run"]
    sub3 = g["abroad"] + car + g["reception"]
    vals = [f(sub3 + g["meeting"] + g["training"]), f(sub3), f(g["abroad"]), f(car), f(g["car_buy"]),
            f(g["car_run"]), f(g["reception"]), f(g["meeting"]), f(g["training"])]
    rows = [grid_title(9, title),
            R([C("合计", rows=3), C("“三公”经费", span=6), C("会议费", rows=3), C("培训费", rows=3)], header=True),
            R([C("小计", rows=2), C("因公出国（境）费", rows=2), C("公务用车购置及运行维护费", span=3),
               C("公务接待费", rows=2)], header=True),
            R([C("小计"), C("公务用车购置费"), C("公务用车运行维护费")], header=True),
            R([C(x) for x in vals], height=0.8)]
    add("three_public", title, Table([2.9, 2.6, 2.6, 2.6, 2.6, 2.6, 2.6, 2.6, 2.6], rows), [vals])
    labels = ["合计", "“三公”经费小计", "因公出国（境）费", "公务用车购置及运行维护费小计", "公务用车购置费",
              "公务用车运行维护费", "公务接待费", "会议费", "培训费"]
    for lab, v in zip(labels, vals):
        if lab in ("合计", "因公出国（境）费", "公务用车购置费", "会议费", "培训费"):
            sample("three_public", lab, lab, v)

    # 10 政府性基金 — empty
    title = "政府性基金（财政拨款）支出预算表"
    note = "注：本部门2018年无政府性基金预算财政拨款安排的支出，故本表为空表。"
    rows = [grid_title(3, title), R([C("功能科目编码"), C("功能科目名称"), C("金额")], header=True),
            R([C(""), C("合计", align="center", bold=True), C("")])] + [R([C(""), C(""), C("")]) for _ in range(3)]
    add("fund_expenditure", title, Table([5.0, 9.0, 5.0], rows), [], note=note)

    # 11 机关运行经费 (= 302 of the basic expenditure)
    op_total = code_table("operating_costs", "一般公共预算机关运行经费支出预算表",
                          {k: v for k, v in econ.items() if k.startswith("302")}, ECON,
                          ["科目编码", "科目名称", "机关运行经费支出"], ["合计", "30231"])

    # 12 政府采购预算表
    title = f"{JS_YEAR}年政府采购预算表"
    proc_total = sum(x[2] for _, projects in JS_PROC for _, _, items in projects for x in items)
    rows = [grid_title(6, title),
            R([C("采购品目大类"), C("专项名称"), C("经济科目"), C("采购物品名称"), C("采购组织形式"), C("总计")],
              header=True),
            R([C("合计"), C(""), C(""), C(""), C(""), C(f(proc_total))])]
    body = [[f(proc_total)]]
    by_kind = {}
    for kind, projects in JS_PROC:
        ktotal = sum(x[2] for _, _, items in projects for x in items)
        by_kind[kind] = ktotal
        rows.append(R([C(kind), C(""), C(""), C(""), C(""), C(f(ktotal))]))
        body.append([f(ktotal)])
        for pname, econ_name, items in projects:
            ptotal = sum(x[2] for x in items)
            rows.append(R([C(""), C(pname), C(econ_name), C(""), C(""), C(f(ptotal))]))
            body.append([f(ptotal)])
            for item, how, a in items:
                rows.append(R([C(""), C(""), C(""), C(item), C(how), C(f(a))]))
                body.append([f(a)])
    add("procurement", title, Table([3.4, 5.2, 3.6, 5.0, 3.6, 3.6], rows), body)
    sample("procurement", "合计", "总计", f(proc_total))
    sample("procurement", "台式计算机", "总计", f(W("24.00")))
    sample("procurement", "三、服务C", "总计", f(by_kind["三、服务C"]))

    facts = dict(fiscal=fiscal, fp=fp, fb=fb, econ=econ, total=total, basic=basic, by_class=by_class_all,
                 sub3=sub3, car=car, op_total=op_total, proc_total=proc_total, by_kind=by_kind)
    return out, x.tables, x.samples, facts


def pct(part: Decimal, whole: Decimal) -> str:
    return f"{(part / whole * 100).quantize(CENT)}%"


def js_change(now, before, prev=JS_YEAR - 1):
    diff = (now - before).quantize(CENT)
    if diff == 0:
        return "与上年数一致"
    word, g = ("增加", "增长") if diff > 0 else ("减少", "下降")
    rate = f"，{g}{pct(abs(diff), before)}" if before else ""
    return f"与上年相比{word}{abs(diff):,.2f}万元{rate}"


def js_text_doc(facts, titles):
    F = facts
    y = JS_YEAR
    doc = Doc(landscape=False, margin=2.5)
    doc.p(f"{JS_DEPT}{y}年度", "cover")
    doc.p("部门预算公开", "cover2")
    doc.p("目  录", "toc_title", page_break=True)
    for line in ["第一部分  部门概况", "一、主要职能", "二、部门机构设置及预算单位构成情况", f"三、{y}年度部门主要工作任务及目标",
                 f"第二部分  {y}年度部门预算表"] + \
            [f"{cn_num(i)}、{t.removeprefix(f'{y}年')}" for i, t in enumerate(titles, 1)] + \
            [f"第三部分  {y}年度部门预算情况说明", "第四部分  名词解释"]:
        doc.p(line, "toc")
    doc.p("第一部分  部门概况", "heading", page_break=True)
    doc.p("一、主要职能", "sub")
    doc.p(f"{JS_DEPT}是省政府工作部门，主要负责全省示例事务的统筹规划、政策制定和监督管理，"
          "组织实施相关地方性法规和规章，承担全省示例事务的统计分析和信息发布工作。")
    doc.p("二、部门机构设置及预算单位构成情况", "sub")
    doc.p("1.根据部门职责分工，本部门内设办公室、政策法规处、规划发展处、监督管理处、财务处5个处室，下属事业单位1个，即江苏省示例信息中心。")
    doc.p(f"2.从预算单位构成看，纳入本部门{y}年部门汇总预算编制范围的预算单位共计2家，即{JS_DEPT}本级和江苏省示例信息中心。")
    doc.p(f"三、{y}年度部门主要工作任务及目标", "sub")
    doc.p("1.完善示例事务政策体系，年内出台配套规范性文件3件。")
    doc.p("2.推进示例事务信息系统建设，完成省级平台升级改造。")
    doc.p(f"第二部分  {y}年度部门预算表", "heading", page_break=True)
    doc.p(f"{y}年度部门预算公开表附后。")
    doc.p(f"第三部分  {y}年度部门预算情况说明", "heading", page_break=True)
    total, fiscal, basic, fp, fb = F["total"], F["fiscal"], F["basic"], F["fp"], F["fb"]
    doc.p("一、收支预算总体情况说明", "sub")
    doc.p(f"{JS_DEPT}{y}年度收入、支出预算总计{total:,.2f}万元，{js_change(total, JS_PREV_TOTAL)}。"
          "主要原因是信息系统运行维护项目增加、政策性增资等。")
    doc.p(f"（一）收入预算总计{total:,.2f}万元。包括：")
    doc.p(f"1.财政拨款收入预算总计{fiscal:,.2f}万元。")
    doc.p(f"（1）一般公共预算收入预算{fiscal:,.2f}万元，{js_change(fiscal, JS_PREV_FISCAL)}。")
    doc.p("（2）政府性基金收入预算0万元，与上年数一致，本部门无此项收入。")
    doc.p("2.财政专户管理资金收入预算总计0万元，与上年数一致，本部门无此项收入。")
    doc.p(f"3.其他资金收入预算总计{JS_OTHER:,.2f}万元，与上年数一致。")
    doc.p("4.上年结转资金预算数为0万元，本部门无此项结转资金。")
    doc.p(f"（二）支出预算总计{total:,.2f}万元。包括：")
    uses = {"201": "主要用于机关行政运行、一般行政管理事务和事业单位运行等",
            "208": "主要用于离退休人员支出、单位职工养老保险和职业年金缴费",
            "221": "主要用于单位职工住房公积金和提租补贴"}
    for i, c in enumerate(["201", "208", "221"], 1):
        doc.p(f"{i}.{JS_FUNC[c].removesuffix('支出')}（类）支出{F['by_class'][c]:,.2f}万元，{uses[c]}。")
    doc.p(f"此外，基本支出预算数为{basic:,.2f}万元；项目支出预算数为{fp:,.2f}万元；"
          f"单位预留机动经费预算数为{JS_RESERVE:,.2f}万元。")
    doc.p("二、收入预算情况说明", "sub")
    doc.p(f"{JS_DEPT}本年收入预算合计{total:,.2f}万元，其中：")
    doc.p(f"一般公共预算收入{fiscal:,.2f}万元，占{pct(fiscal, total)}；")
    doc.p("政府性基金预算收入0万元，占0%；")
    doc.p("财政专户管理资金0万元，占0%；")
    doc.p(f"其他资金{JS_OTHER:,.2f}万元，占{pct(JS_OTHER, total)}；")
    doc.p("上年结转资金0万元，占0%。")
    doc.p("三、支出预算情况说明", "sub")
    doc.p(f"{JS_DEPT}本年支出预算合计{total:,.2f}万元，其中：")
    doc.p(f"基本支出{basic:,.2f}万元，占{pct(basic, total)}；")
    doc.p(f"项目支出{fp:,.2f}万元，占{pct(fp, total)}；")
    doc.p(f"单位预留机动经费{JS_RESERVE:,.2f}万元，占{pct(JS_RESERVE, total)}；")
    doc.p("结转下年资金0万元，占0%。")
    doc.p("四、财政拨款收支预算总体情况说明", "sub")
    doc.p(f"{JS_DEPT}{y}年度财政拨款收、支预算{fiscal:,.2f}万元。与上年相比，财政拨款收、支总计各"
          f"{js_change(fiscal, JS_PREV_FISCAL).removeprefix('与上年相比')}。")
    doc.p("五、财政拨款支出预算情况说明", "sub")
    doc.p(f"{JS_DEPT}{y}年度财政拨款预算支出{fiscal:,.2f}万元，占本年支出合计的{pct(fiscal, total)}。其中：")
    n_cls = 0
    for c in ["201", "208", "221"]:
        n_cls += 1
        doc.p(f"（{cn_num(n_cls)}）{JS_FUNC[c]}（类）")
        k = 0
        for code in sorted(JS_FISCAL):
            if code.startswith(c):
                k += 1
                doc.p(f"{k}.{JS_FUNC[code[:5]]}（款）{JS_FUNC[code]}（项）{JS_FISCAL[code]:,.2f}万元。")
    econ = F["econ"]
    pers = sum(v for k, v in econ.items() if k[:3] in ("301", "303"))
    pub = sum(v for k, v in econ.items() if k.startswith("302"))
    for n, (label, tbl) in enumerate([("六、财政拨款基本支出预算情况说明", "06"),
                                      ("八、一般公共预算基本支出预算情况说明", "08")]):
        if n == 1:
            doc.p("七、一般公共预算支出预算情况说明", "sub")
            doc.p(f"{JS_DEPT}{y}年度一般公共预算财政拨款支出预算{fiscal:,.2f}万元，占本年支出合计的{pct(fiscal, total)}。")
        doc.p(label, "sub")
        doc.p(f"{JS_DEPT}{y}年度{'财政拨款' if n == 0 else '一般公共预算财政拨款'}基本支出预算{fb:,.2f}万元，其中：")
        doc.p(f"（一）人员经费{pers:,.2f}万元。主要包括：基本工资、津贴补贴、社会保障缴费、住房公积金、离休费、退休费等。")
        doc.p(f"（二）公用经费{pub:,.2f}万元。主要包括：办公费、差旅费、会议费、培训费、公务接待费、公务用车运行维护费等。")
    g, gp = JS_3G, JS_3G_PREV
    sub3, car = F["sub3"], F["car"]
    doc.p("九、一般公共预算“三公”经费、会议费、培训费支出预算情况说明", "sub")
    doc.p(f"{JS_DEPT}{y}年度一般公共预算拨款安排的“三公”经费预算支出{sub3:,.2f}万元，其中，因公出国（境）费支出{g['abroad']:,.2f}万元，"
          f"占“三公”经费的{pct(g['abroad'], sub3)}；公务用车购置及运行维护费支出{car:,.2f}万元，占“三公”经费的{pct(car, sub3)}；"
          f"公务接待费支出{g['reception']:,.2f}万元，占“三公”经费的{pct(g['reception'], sub3)}。具体情况如下：")

    def cmp(a, b):
        d = (a - b).quantize(CENT)
        return "与上年数一致" if d == 0 else f"比上年预算{'增加' if d > 0 else '减少'}{abs(d):,.2f}万元"

    doc.p(f"1.因公出国（境）费预算支出{g['abroad']:,.2f}万元，{cmp(g['abroad'], gp['abroad'])}，主要原因是新增一项国际交流任务。")
    doc.p(f"2.公务用车购置及运行维护费预算支出{car:,.2f}万元。其中：")
    doc.p(f"（1）公务用车购置费{g['car_buy']:,.2f}万元，{cmp(g['car_buy'], gp['car_buy'])}，主要原因是更新1辆已达报废年限的公务用车。")
    doc.p(f"（2）公务用车运行维护费{g['car_run']:,.2f}万元，{cmp(g['car_run'], gp['car_run'])}。")
    doc.p(f"3.公务接待费预算支出{g['reception']:,.2f}万元，{cmp(g['reception'], gp['reception'])}，主要原因是公务接待批次和人数减少。")
    doc.p(f"{JS_DEPT}{y}年度一般公共预算拨款安排的会议费预算支出{g['meeting']:,.2f}万元，{cmp(g['meeting'], gp['meeting'])}，"
          "主要原因是压缩会议规模。")
    doc.p(f"{JS_DEPT}{y}年度一般公共预算拨款安排的培训费预算支出{g['training']:,.2f}万元，{cmp(g['training'], gp['training'])}，"
          "主要原因是业务培训班次增加。")
    doc.p("十、政府性基金预算支出预算情况说明", "sub")
    doc.p(f"{JS_DEPT}{y}年政府性基金支出预算支出0万元，与上年数一致。")
    doc.p("十一、一般公共预算机关运行经费支出预算情况说明", "sub")
    doc.p(f"{JS_DEPT}{y}年一般公共预算机关运行经费预算支出{F['op_total']:,.2f}万元。")
    doc.p("十二、政府采购支出预算情况说明", "sub")
    bk = F["by_kind"]
    doc.p(f"{y}年度政府采购支出预算总额{F['proc_total']:,.2f}万元，其中：拟采购货物支出{bk['一、货物A']:,.2f}万元、"
          f"拟采购工程支出0万元、拟购买服务支出{bk['三、服务C']:,.2f}万元。")
    doc.p("十三、其他重要事项说明", "sub")
    doc.p("（一）预算绩效目标设置情况说明")
    doc.p(f"{y}年本部门共2个项目实行绩效目标管理，涉及财政性资金合计{fp:,.2f}万元。")
    doc.p("（二）国有资本经营预算收支情况")
    doc.p(f"{y}年本部门国有资本经营预算收入为0万元，与上年数一致，本部门无此项预算收支安排。")
    doc.p("第四部分  名词解释", "heading", page_break=True)
    for i, g_ in enumerate([
        "财政拨款：指一般公共预算财政拨款和政府性基金预算财政拨款。",
        "其他资金：包括事业收入、经营收入、其他收入等。",
        "基本支出：指为保障机构正常运转、完成工作任务而发生的人员支出和公用支出。",
        "项目支出：指在基本支出之外为完成特定工作任务和事业发展目标所发生的支出。",
        "单位预留机动经费：指预算单位年初预留用于年度执行中不可预见支出的经费。",
        "“三公”经费：指用一般公共预算财政拨款安排的因公出国（境）费、公务用车购置及运行费和公务接待费。",
    ], 1):
        doc.p(f"{cn_num(i)}、{g_}")
    doc.p(f"附件：{JS_DEPT}{y}年度部门预算公开表")
    text = {
        "total": f"{total:,.2f}", "fiscal": f"{fiscal:,.2f}", "basic": f"{basic:,.2f}",
        "project": f"{fp:,.2f}", "reserve": f"{JS_RESERVE:,.2f}", "fiscal_basic": f"{fb:,.2f}",
        "personnel": f"{pers:,.2f}", "public": f"{pub:,.2f}", "three_public_subtotal": f"{sub3:,.2f}",
        "meeting": f"{g['meeting']:,.2f}", "training": f"{g['training']:,.2f}",
        "operating_costs": f"{F['op_total']:,.2f}", "procurement_total": f"{F['proc_total']:,.2f}",
        "change_total": f"{total - JS_PREV_TOTAL:,.2f}",
    }
    return doc, text


def js_tables_doc(tables):
    doc = Doc(landscape=True, margin=1.5)
    for label, tid, title, table, note in tables:
        doc.p(label, "label", page_break=bool(doc.blocks))
        doc.t(table)
        if note:
            doc.p(note, "note")
    return doc


# --------------------------------------------------------------------------
# Hebei: the 晋州 seed with each standard table's info row as a paragraph
# --------------------------------------------------------------------------

HB_STANDARD = [  # title (as printed in the seed) → id
    ("部门预算收支总表", "summary"),
    ("部门预算收入总表", "income"),
    ("部门预算支出总表", "expenditure"),
    ("部门预算财政拨款收支总表", "fiscal_summary"),
    ("部门预算一般公共预算财政拨款支出表", "general_expenditure"),
    ("部门预算一般公共预算财政拨款基本支出表", "general_basic"),
    ("部门预算政府性基金预算财政拨款支出表", "fund_expenditure"),
    ("部门预算国有资本经营预算财政拨款支出表", "soe_expenditure"),
    ("部门预算财政拨款“三公”经费支出表", "three_public"),
]
SEP = "    "


def hebei_txt(src: Path, dst: Path):
    lines = src.read_text(encoding="utf-8").split("\n")
    out, moved, i = [], [], 0
    while i < len(lines):
        line = lines[i]
        # a table starts: TAB lines after a paragraph; its first row is lines up to the empty line
        if line.startswith("\t") and (i == 0 or not lines[i - 1].startswith("\t")) and lines[i - 1] != "":
            j = i
            while lines[j] != "":
                j += 1
            row = [x[1:] for x in lines[i:j]]
            if any(x.startswith("预算年度") for x in row):
                out.append(SEP.join(x.strip() for x in row if x.strip()))
                moved.append(out[-1])
                i = j + 1
                continue
        out.append(line)
        i += 1
    dst.write_text("\n".join(out), encoding="utf-8")
    return moved


def hebei_docx(src: Path, dst: Path):
    d = Document(src)
    body = d.element.body
    moved = []
    for tbl in list(body.iterchildren(qn("w:tbl"))):
        tr = tbl.find(qn("w:tr"))
        texts = ["".join(t.text or "" for t in tc.iter(qn("w:t"))) for tc in tr.findall(qn("w:tc"))]
        if not any(x.startswith("预算年度") for x in texts):
            continue
        # the paragraph takes the run properties of the row's first text run
        run = next(tr.iter(qn("w:r")))
        p = OxmlElement("w:p")
        ppr = OxmlElement("w:pPr")
        sp = OxmlElement("w:spacing")
        sp.set(qn("w:before"), "0")
        sp.set(qn("w:after"), "60")
        ppr.append(sp)
        p.append(ppr)
        r = OxmlElement("w:r")
        rpr = run.find(qn("w:rPr"))
        if rpr is not None:
            r.append(copy.deepcopy(rpr))
        t = OxmlElement("w:t")
        t.set(qn("xml:space"), "preserve")
        t.text = SEP.join(x.strip() for x in texts if x.strip())
        r.append(t)
        p.append(r)
        tbl.addprevious(p)
        tbl.remove(tr)
        moved.append(t.text)
    d.save(dst)
    return moved


def hebei_expected(txt: Path):
    """Codes and amount cells of the nine tables, read from the seed text
    (the content is the seed's; only the info rows moved)."""
    lines = txt.read_text(encoding="utf-8").split("\n")
    titles = {t: tid for t, tid in HB_STANDARD}
    tables, order, i = {}, [], 0
    while i < len(lines):
        m = re.sub(r"^\s*(\[bookmark: [^\]]*\])?\s*", "", lines[i])
        if m in titles and i + 2 < len(lines) and not lines[i + 1].startswith("\t"):
            tid = titles[m]
            info = lines[i + 1]
            j = i + 2
            rows, row = [], []
            while j < len(lines) and (lines[j].startswith("\t") or (lines[j] == "" and row)):
                if lines[j] == "":
                    rows.append(row)
                    row = []
                else:
                    row.append(lines[j][1:])
                j += 1
            codes, cells = [], 0
            data = False
            for r in rows:
                if r and r[0] == "栏次":
                    data = True
                    continue
                if not data:
                    continue
                # 序号 first, then (code, name) or (name): amounts are the numeric cells after the name
                rest = r[1:]
                if rest and re.fullmatch(r"\d{3}(\d{2}){0,2}", rest[0]):
                    codes.append(rest[0])
                    rest = rest[2:]
                cells += sum(1 for x in rest if re.fullmatch(r"-?\d[\d,]*\.\d\d", x.strip()))
            tables[tid] = {"title": m, "unit": "万元", "info_paragraph": info, "codes": codes,
                           "amount_cells": cells}
            HB_ROWS[tid] = [[x.strip() for x in r] for r in rows]
            order.append(tid)
            i = j
        else:
            i += 1
    assert [t for _, t in HB_STANDARD] == order, order
    return tables


# table | code or item | side | column (header as printed, spaces removed) | value, read off the seed
HB_SAMPLES = """\
summary|一、一般公共预算拨款收入|income|预算数|7272.94
summary|十、卫生健康支出|expenditure|预算数|7272.94
summary|本年收入合计|income|预算数|7272.94
summary|支出总计|expenditure|预算数|7272.94
income|合计||合计|7272.94
income|21012||合计|6614.74
income|2101202||财政拨款收入|6614.74
income|21015||合计|638.20
income|2101501||小计|587.92
income|2101599||财政拨款收入|37.00
expenditure|合计||项目支出|6685.02
expenditure|21015||基本支出|587.92
expenditure|21015||项目支出|50.28
expenditure|2101502||项目支出|13.28
expenditure|2101399||合计|20.00
fiscal_summary|一、一般公共预算拨款|income|金额|7272.94
fiscal_summary|十、卫生健康支出|expenditure|一般公共预算财政拨款|7272.94
fiscal_summary|支出总计|expenditure|合计|7272.94
general_expenditure|合计||基本支出|587.92
general_expenditure|2101202||项目支出|6614.74
general_expenditure|21013||合计|20.00
general_expenditure|2101501||基本支出|587.92
general_basic|合计||合计|587.92
general_basic|合计||人员经费|541.46
general_basic|合计||公用经费|46.46
general_basic|30101||人员经费|206.33
general_basic|30208||公用经费|1.14
general_basic|30231||公用经费|10.18
general_basic|303||合计|9.55
three_public|“三公”经费小计||合计|10.18
three_public|二、公务用车购置及运维费||一般公共预算财政拨款|10.18
three_public|公务用车运行维护费||合计|10.18
"""


def hebei_samples(tables):
    out = []
    for line in HB_SAMPLES.splitlines():
        tid, key, side, column, value = line.split("|")
        # the value is in the row that names the key (a check on the hand-copied list)
        assert any(key in r and value in r for r in HB_ROWS[tid]), line
        s = {"table": tid, "code" if key.isdigit() else "item": key}
        s.update({"side": side} if side else {})
        s.update(column=column, value=value)
        out.append(s)
    return out


HB_ROWS: dict[str, list] = {}


# --------------------------------------------------------------------------
# Shanghai 部门决算 2024 (final accounts)
# --------------------------------------------------------------------------
# The layout of the Shanghai 2024 部门决算 form, as the official template and a
# district department's published document print it: a cover, 目录, 第一部分
# 概况 (一、主要职能, 二、部门决算单位构成 with a 序号 | 单位名称 | 备注 table),
# 第二部分 the nine tables, all in 万元 with two decimals and no thousands
# separator (no 编制单位 line: the book title above the first table, each
# table's own title, 单位：万元 right-aligned above the grid, 注： below it;
# functional codes 3/5/7 digits in one column; portrait pages for tables 1, 5
# and 6, landscape pages for the others), 第三部分 情况说明 in eleven numbered
# sections, 第四部分 名词解释.
#
# Amounts are integers in 0.01万元 (100元), so every sum is exact; text
# percentages are rounded half up to 2 decimals.

SHF_DEPT = "上海市示例区科学技术委员会"
SHF_YEAR = 2024
SHF_PREV = SHF_YEAR - 1
SHF_UNITS = [f"{SHF_DEPT}（本级）", "上海市示例区科技创业服务中心", "上海市示例区科学技术普及中心"]

FUNC_2024 = {
    "206": "科学技术支出",
    "20601": "科学技术管理事务",
    "2060101": "行政运行",
    "2060102": "一般行政管理事务",
    "2060199": "其他科学技术管理事务支出",
    "20604": "技术研究与开发",
    "2060401": "机构运行",
    "2060404": "科技成果转化与扩散",
    "20607": "科学技术普及",
    "2060701": "机构运行",
    "2060702": "科普活动",
    "2060703": "青少年科技活动",
    "20699": "其他科学技术支出",
    "2069901": "科技奖励",
    "2069999": "其他科学技术支出",
    # the same names as in 2025 for the classes both years print
    **{c: n for c, n in FUNC_2025.items() if c[:3] in ("208", "210", "221")},
}

# the expenditure rows of the two summary tables, as the 2024 form prints them
SHF_CLASSES = [("201", "一般公共服务支出"), ("202", "外交支出"), ("203", "国防支出"), ("204", "公共安全支出"),
               ("205", "教育支出"), ("206", "科学技术支出"), ("207", "文化旅游体育与传媒支出"),
               ("208", "社会保障和就业支出"), ("210", "卫生健康支出"), ("211", "节能环保支出"), ("212", "城乡社区支出"),
               ("213", "农林水支出"), ("214", "交通运输支出"), ("215", "资源勘探工业信息等支出"),
               ("216", "商业服务业等支出"), ("217", "金融支出"), ("219", "援助其他地区支出"),
               ("220", "自然资源海洋气象等支出"), ("221", "住房保障支出"), ("222", "粮油物资储备支出"),
               ("223", "国有资本经营预算支出"), ("224", "灾害防治及应急管理支出"), ("229", "其他支出"),
               ("231", "债务还本支出"), ("232", "债务付息支出"), ("234", "抗疫特别国债安排的支出")]

# the basic-expenditure table lists every 款 of the form, zeros printed 0.00:
# 人员经费 (301, 303) on the left, 公用经费 (302, 310) on the right
SHF_ECON_PERSONNEL = [
    ("301", "工资福利支出"), ("30101", "基本工资"), ("30102", "津贴补贴"), ("30103", "奖金"), ("30106", "伙食补助费"),
    ("30107", "绩效工资"), ("30108", "机关事业单位基本养老保险缴费"), ("30109", "职业年金缴费"),
    ("30110", "职工基本医疗保险缴费"), ("30111", "公务员医疗补助缴费"), ("30112", "其他社会保障缴费"),
    ("30113", "住房公积金"), ("30114", "医疗费"), ("30199", "其他工资福利支出"),
    ("303", "对个人和家庭的补助"), ("30301", "离休费"), ("30302", "退休费"), ("30303", "退职（役）费"),
    ("30304", "抚恤金"), ("30305", "生活补助"), ("30306", "救济费"), ("30307", "医疗费补助"), ("30308", "助学金"),
    ("30309", "奖励金"), ("30310", "个人农业生产补贴"), ("30311", "代缴社会保险费"), ("30399", "其他对个人和家庭的补助"),
]
SHF_ECON_PUBLIC = [
    ("302", "商品和服务支出"), ("30201", "办公费"), ("30202", "印刷费"), ("30203", "咨询费"), ("30204", "手续费"),
    ("30205", "水费"), ("30206", "电费"), ("30207", "邮电费"), ("30208", "取暖费"), ("30209", "物业管理费"),
    ("30211", "差旅费"), ("30212", "因公出国（境）费用"), ("30213", "维修（护）费"), ("30214", "租赁费"),
    ("30215", "会议费"), ("30216", "培训费"), ("30217", "公务接待费"), ("30218", "专用材料费"), ("30224", "被装购置费"),
    ("30225", "专用燃料费"), ("30226", "劳务费"), ("30227", "委托业务费"), ("30228", "工会经费"), ("30229", "福利费"),
    ("30231", "公务用车运行维护费"), ("30239", "其他交通费用"), ("30240", "税金及附加费用"),
    ("30299", "其他商品和服务支出"),
    ("310", "资本性支出"), ("31001", "房屋建筑物购建"), ("31002", "办公设备购置"), ("31003", "专用设备购置"),
    ("31007", "信息网络及软件购置更新"), ("31013", "公务用车购置"), ("31019", "其他交通工具购置"),
    ("31021", "文物和陈列品购置"), ("31022", "无形资产购置"), ("31099", "其他资本性支出"),
]


def w(s: str) -> int:
    """'612.48' (万元) → 61248 (0.01万元)."""
    d = Decimal(s) * 100
    assert d == d.to_integral_value(), s
    return int(d)


def a2(n: int) -> str:
    """An amount cell: 61248 → '612.48', zero → '' (an empty cell)."""
    return "" if n == 0 else z2(n)


def z2(n: int) -> str:
    """61248 → '612.48', zero → '0.00' (the basic-expenditure table prints zeros)."""
    assert n >= 0, n
    return f"{n // 100}.{n % 100:02d}"


def t2(n: int) -> str:
    """An amount in the explanation, before 万元: '612.48', zero '0'."""
    return "0" if n == 0 else z2(n)


def fpct(part: int, whole: int) -> str:
    """part / whole as a percentage, 2 decimals, half up: '94.82'."""
    return f"{(Decimal(part) * 100 / Decimal(whole)).quantize(CENT, rounding=ROUND_HALF_UP)}"


# Expenditure by 项 (万元): fb/fp = 一般公共预算财政拨款 basic/project, nb/np =
# basic/project spending of other income, op = 经营支出; budget = the 项's
# 一般公共预算财政拨款 年初预算 (stated in the explanation only).
SHF_LEAVES = {
    "2060101": dict(fb="612.48", budget="598.20"),
    "2060102": dict(fp="85.30", budget="120.00"),
    "2060199": dict(fp="46.20", budget="46.20"),
    "2060401": dict(fb="238.65", nb="42.10", budget="245.00"),
    "2060404": dict(fp="1260.00", np="88.60", op="36.40", budget="1150.00"),
    "2060701": dict(fb="176.32", nb="15.80", budget="180.50"),
    "2060702": dict(fp="214.75", np="12.00", budget="230.00"),
    "2060703": dict(fp="96.50", budget="96.50"),
    "2069901": dict(fp="150.00", budget="150.00"),
    "2069999": dict(fp="320.00", budget="400.00"),
    "2080501": dict(fb="18.36", budget="18.00"),
    "2080502": dict(fb="9.84", budget="10.20"),
    "2080505": dict(fb="118.62", budget="121.40"),
    "2080506": dict(fb="59.31", budget="60.70"),
    "2101101": dict(fb="38.47", budget="39.10"),
    "2101102": dict(fb="31.26", budget="32.00"),
    "2210201": dict(fb="92.18", budget="90.50"),
    "2210203": dict(fb="64.01", budget="64.01"),
}
# Income by 项: fi = 财政拨款收入 (= fb + fp unless given: the year-start
# carry-over 72.30 was spent on 2060404, 54.85 of 2069999 carries over),
# biz = 事业收入, bus = 经营收入, oth = 其他收入
SHF_INCOME = {
    "2060401": dict(biz="42.10"),
    "2060404": dict(fi="1187.70", biz="100.40", bus="40.20"),
    "2060701": dict(oth="2.57"),
    "2060702": dict(oth="12.00"),
    "2069999": dict(fi="374.85"),
}
SHF_CARRY_START = {"fiscal": "72.30", "other": "24.10"}   # 年初结转和结余

# what each 项 paid for, and why the 决算 differs from the 年初预算
SHF_PURPOSE = {
    "2060101": ("委机关在职人员工资福利及日常公用支出", "年中人员调入及调整工资标准，人员经费支出相应增加"),
    "2060102": ("科技管理、会务及公务用车更新等一般行政管理事务支出", "部分会务项目按实际压减，节约支出"),
    "2060199": ("科技统计调查及科技企业服务平台运行维护", ""),
    "2060401": ("区科技创业服务中心人员经费和日常运行支出", "人员变动，人员经费按实际支出"),
    "2060404": ("科技成果转化项目资助和科技企业孵化服务", "年中追加科技成果转化项目预算，并使用上年结转资金"),
    "2060701": ("区科学技术普及中心人员经费和日常运行支出", "人员变动，按实际支出"),
    "2060702": ("全国科普日、区科技节等科普活动", "部分科普活动合并开展，节约支出"),
    "2060703": ("青少年科技创新大赛及青少年科技教育活动", ""),
    "2069901": ("区科学技术奖奖励支出", ""),
    "2069999": ("区科技创新专项资金支出", "部分项目未达到拨款节点，资金结转下年使用"),
    "2080501": ("行政单位离退休人员支出", "离退休人员待遇标准调整"),
    "2080502": ("事业单位离退休人员支出", "离退休人员变动，按实际支出"),
    "2080505": ("机关事业单位基本养老保险缴费支出", "人员变动，按实际缴费基数缴纳"),
    "2080506": ("机关事业单位职业年金缴费支出", "人员变动，按实际缴费基数缴纳"),
    "2101101": ("行政单位医疗保险缴费支出", "人员变动，按实际缴费基数缴纳"),
    "2101102": ("事业单位医疗保险缴费支出", "人员变动，按实际缴费基数缴纳"),
    "2210201": ("住房公积金缴存支出", "住房公积金缴存基数调整"),
    "2210203": ("行政事业单位购房补贴支出", ""),
}

# 一般公共预算财政拨款基本支出 by 款; 30199 balances to the functional basic total
SHF_ECON = {
    "30101": "168.42", "30102": "469.00", "30103": "21.30", "30107": "215.30", "30108": "118.62",
    "30109": "59.31", "30110": "69.73", "30112": "4.85", "30113": "92.18", "30199": "0",
    "30302": "28.20", "30399": "2.40",
    "30201": "18.64", "30202": "3.20", "30205": "2.15", "30206": "14.80", "30207": "5.62", "30209": "46.30",
    "30211": "3.85", "30212": "6.42", "30213": "8.76", "30215": "1.20", "30216": "2.40", "30217": "0.86",
    "30226": "6.50", "30227": "9.80", "30228": "12.36", "30229": "15.42", "30231": "4.62", "30239": "28.40",
    "30299": "3.18",
    "31002": "6.85",
}

# 三公 (万元): 预算数 and 决算数 of 2024, 决算数 of 2023
SHF_3G_BUDGET = {"abroad": "8.00", "car_buy": "18.00", "car_run": "5.20", "reception": "1.50"}
SHF_3G = {"abroad": "6.42", "car_buy": "17.56", "car_run": "4.62", "reception": "0.86"}
SHF_3G_PREV = {"abroad": "4.80", "car_buy": "0", "car_run": "5.05", "reception": "1.12"}

SHF_PREV_TOTALS = {  # 2023 决算, for the year-on-year sentences
    "total": "3702.15",          # 收入支出总计
    "fiscal_total": "3521.60",   # 财政拨款收入支出总计
    "general": "3449.30",        # 一般公共预算财政拨款支出
    "operating": "131.05",       # 机关运行经费
}
SHF_OPERATING = "126.38"         # 机关运行经费 (the 本级's 公用经费)
SHF_PROCUREMENT = {"goods": "58.30", "works": "42.00", "services": "186.15",
                   "sme_reserved": "210.00", "micro_reserved": "150.00", "sme_won": "205.36",
                   "micro_won": "146.80", "sme_other": "38.20"}
SHF_VEHICLES = [("部级领导干部用车", 0), ("主要领导干部用车", 0), ("机要通信用车", 1), ("应急保障用车", 0),
                ("执法执勤用车", 0), ("特种专业技术用车", 0), ("离退休干部用车", 0), ("其他用车", 2)]

# the planted faults of sh-final-2024-faults.docx
SHF_FAULTS = {
    "ge_item": ("2060701", 1),      # general_expenditure: this 项's 合计 and 基本支出 + 0.01万元
    "share": "project",             # 三、支出决算: the 项目支出 share
    "completion": "2060102",        # 五（三）: this 项's 完成年初预算的X%
    "text_amount": ("2069999", w("302.00")),   # 五（三）: this 项's 支出决算 as stated
    "car_run": w("4.82"),           # three_public: 公务用车运行维护费 决算数 as printed (still ≥ 30231)
}

KEYS_F = ("fb", "fp", "nb", "np", "op", "fi", "biz", "bus", "oth")


def shf_data():
    """The leaves in 0.01万元 with income, and the derived totals."""
    leaves = {}
    for code, v in SHF_LEAVES.items():
        x = {k: w(v.get(k, "0")) for k in ("fb", "fp", "nb", "np", "op")}
        inc = SHF_INCOME.get(code, {})
        x["fi"] = w(inc["fi"]) if "fi" in inc else x["fb"] + x["fp"]
        for k in ("biz", "bus", "oth"):
            x[k] = w(inc.get(k, "0"))
        x["budget"] = w(v["budget"])
        leaves[code] = x
    econ = {k: w(v) for k, v in SHF_ECON.items()}
    fb = sum(x["fb"] for x in leaves.values())
    econ["30199"] = fb - sum(econ.values())
    assert econ["30199"] > 0, econ["30199"]
    S = {k: sum(x[k] for x in leaves.values()) for k in KEYS_F + ("budget",)}
    S["fiscal_exp"] = S["fb"] + S["fp"]
    S["other_exp"] = S["nb"] + S["np"] + S["op"]
    S["exp"] = S["fiscal_exp"] + S["other_exp"]
    S["income"] = S["fi"] + S["biz"] + S["bus"] + S["oth"]
    S["start_fiscal"], S["start_other"] = w(SHF_CARRY_START["fiscal"]), w(SHF_CARRY_START["other"])
    S["start"] = S["start_fiscal"] + S["start_other"]
    S["end_fiscal"] = S["start_fiscal"] + S["fi"] - S["fiscal_exp"]
    S["end_other"] = S["start_other"] + S["biz"] + S["bus"] + S["oth"] - S["other_exp"]
    S["end"] = S["end_fiscal"] + S["end_other"]
    assert S["end_fiscal"] >= 0 and S["end_other"] >= 0, S
    S["total"] = S["income"] + S["start"]
    assert S["total"] == S["exp"] + S["end"]
    S["fiscal_total"] = S["fi"] + S["start_fiscal"]
    pers = {c for c, _ in SHF_ECON_PERSONNEL}
    S["personnel"] = sum(v for k, v in econ.items() if k in pers)
    S["public"] = sum(v for k, v in econ.items() if k not in pers)
    assert S["personnel"] + S["public"] == S["fb"]
    assert w(SHF_OPERATING) <= S["public"]
    return leaves, econ, S


def H(text, **kw):
    """A header cell (centred; the 决算 tables do not repeat their headers)."""
    return C(text, align="center", **kw)


class FinalTables:
    """The nine Shanghai 决算 tables, and what was put into each."""

    def __init__(self, leaves, econ, S, faults=False):
        self.leaves, self.econ, self.S, self.faults = leaves, econ, S, faults
        self.rows = tree({c: {k: v[k] for k in KEYS_F} for c, v in leaves.items()}, KEYS_F)
        self.x: dict[str, dict] = {}
        self.samples: list[dict] = []
        self.printed: dict = {}   # values the explanation quotes from the tables as printed

    def record(self, tid, title, columns, rows, codes=(), **extra):
        rows = [{k: v for k, v in r.items() if v != ""} for r in rows]   # empty cells are not listed
        cells = sum(1 for r in rows for k in r if k in columns)
        self.x[tid] = {"title": title, "unit": "万元", "columns": columns, "codes": list(codes),
                       "amount_cells": cells, **extra, "rows": rows}

    def sample(self, table, key, column, value, side=None):
        s = {"table": table, "code" if re.fullmatch(r"\d{3,7}", key) else "item": key}
        s.update({"side": side} if side else {})
        s.update(column=column, value=value)
        self.samples.append(s)

    # 一、收入支出决算总表
    def summary(self):
        S = self.S
        title = "收入支出决算总表"
        income = [("一、一般公共预算财政拨款收入", S["fi"]), ("二、政府性基金预算财政拨款收入", 0),
                  ("三、国有资本经营预算财政拨款收入", 0), ("四、上级补助收入", 0), ("五、事业收入", S["biz"]),
                  ("六、经营收入", S["bus"]), ("七、附属单位上缴收入", 0), ("八、其他收入", S["oth"])]
        by_class = {c: v for c, v in self.rows if len(c) == 3}
        exp = [(f"{cn_num(i + 1)}、{name}", sum(by_class[c][k] for k in ("fb", "fp", "nb", "np", "op"))
                if c in by_class else 0) for i, (c, name) in enumerate(SHF_CLASSES)]
        body, rows = [], []
        for i in range(len(exp)):
            inc = income[i] if i < len(income) else ("", 0)
            body.append([inc[0], a2(inc[1]), exp[i][0], a2(exp[i][1])])
        totals = [("本年收入合计", S["income"], "本年支出合计", S["exp"]),
                  ("使用非财政拨款结余", 0, "结余分配", 0),
                  ("年初结转和结余", S["start"], "年末结转和结余", S["end"]),
                  ("总计", S["total"], "总计", S["total"])]
        grid = [R([H("收入", span=2), H("支出", span=2)]), R([H("项目"), H("决算数"), H("项目"), H("决算数")])]
        grid += [R([C(x) for x in r]) for r in body]
        for li, la, ri, ra in totals:
            centre = li in ("本年收入合计", "总计")
            grid.append(R([C(li, align="center" if centre else None), C(a2(la)),
                           C(ri, align="center" if centre else None), C(a2(ra))]))
        cols = ["收入/项目", "收入/决算数", "支出/项目", "支出/决算数"]
        for li, la in income:
            rows.append({"side": "income", "item": li, "收入/决算数": a2(la)})
        for li, la, _, _ in totals:
            rows.append({"side": "income", "item": li, "收入/决算数": a2(la)})
        for ri, ra in exp:
            rows.append({"side": "expenditure", "item": ri, "支出/决算数": a2(ra)})
        for _, _, ri, ra in totals:
            rows.append({"side": "expenditure", "item": ri, "支出/决算数": a2(ra)})
        self.record("summary", title, cols, rows, note="注：本表反映部门本年度的总收支和年末结转结余情况。")
        self.sample("summary", "一、一般公共预算财政拨款收入", "决算数", a2(S["fi"]), "income")
        self.sample("summary", "五、事业收入", "决算数", a2(S["biz"]), "income")
        self.sample("summary", "年初结转和结余", "决算数", a2(S["start"]), "income")
        self.sample("summary", exp[5][0], "决算数", a2(exp[5][1]), "expenditure")
        self.sample("summary", "年末结转和结余", "决算数", a2(S["end"]), "expenditure")
        self.sample("summary", "总计", "决算数", a2(S["total"]), "expenditure")
        return title, Table([5.6, 2.4, 6.8, 2.4], grid, size=9, height=0.62), [self.x["summary"]["note"]]

    def _func_table(self, tid, title, heads, cols, widths, total_first, note, bump=None):
        """A functional table: 功能分类科目编码 | 科目名称 | amounts; `cols(v)`
        gives a row's amounts; 合计 first (收入/支出决算表) or last (一般公共预算)."""
        bump = bump or {}
        grid = [R([H("项目", span=2)] + [H(h, rows=2) for h in heads]),
                R([H("功能分类科目编码"), H("科目名称")])]
        body, rows, codes = [], [], []
        for code, v in self.rows:
            vals = cols(v)
            if not any(vals):
                continue
            vals = [x + bump.get(code, {}).get(h, 0) for h, x in zip(heads, vals)]
            body.append(R([C(code), C(FUNC_2024[code])] + [C(a2(x)) for x in vals]))
            rows.append({"code": code, "name": FUNC_2024[code], **{h: a2(x) for h, x in zip(heads, vals) if x}})
            codes.append(code)
        tot = [sum(col) for col in zip(*(cols(v) for c, v in self.rows if len(c) == 3))]
        total_row = R([H("合计", span=2)] + [C(a2(x)) for x in tot])
        total_rec = {"item": "合计", **{h: a2(x) for h, x in zip(heads, tot) if x}}
        grid += [total_row] + body if total_first else body + [total_row]
        rows = [total_rec] + rows if total_first else rows + [total_rec]
        self.record(tid, title, ["项目/功能分类科目编码", "项目/科目名称"] + heads, rows, codes, note=note)
        return title, Table(widths, grid, size=9, height=0.62), [note]

    # 二、收入决算表
    def income(self):
        heads = ["本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"]
        out = self._func_table(
            "income", "收入决算表", heads,
            lambda v: [v["fi"] + v["biz"] + v["bus"] + v["oth"], v["fi"], 0, v["biz"], v["bus"], 0, v["oth"]],
            [2.3, 6.2, 2.6, 2.6, 2.4, 2.4, 2.4, 2.4, 2.4], True, "注：本表反映部门本年度取得的各项收入情况。")
        for code, col in (("合计", "本年收入合计"), ("206", "财政拨款收入"), ("2060404", "事业收入"),
                          ("2060404", "经营收入"), ("2060702", "其他收入"), ("2069999", "本年收入合计")):
            self._sample_row("income", code, col)
        return out

    # 三、支出决算表
    def expenditure(self):
        heads = ["本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"]
        out = self._func_table(
            "expenditure", "支出决算表", heads,
            lambda v: [v["fb"] + v["fp"] + v["nb"] + v["np"] + v["op"], v["fb"] + v["nb"], v["fp"] + v["np"], 0,
                       v["op"], 0],
            [2.3, 6.2, 2.9, 2.9, 2.9, 2.9, 2.9, 2.9], True, "注：本表反映部门本年度各项支出情况。")
        for code, col in (("合计", "基本支出"), ("2060401", "基本支出"), ("2060404", "项目支出"), ("2060404", "经营支出"),
                          ("221", "本年支出合计")):
            self._sample_row("expenditure", code, col)
        return out

    # 五、一般公共预算财政拨款支出决算表
    def general_expenditure(self):
        bump = {}
        if self.faults:
            code, d = SHF_FAULTS["ge_item"]
            bump = {code: {"合计": d, "基本支出": d}}
        out = self._func_table(
            "general_expenditure", "一般公共预算财政拨款支出决算表", ["合计", "基本支出", "项目支出"],
            lambda v: [v["fb"] + v["fp"], v["fb"], v["fp"]], [2.4, 5.2, 3.1, 3.1, 3.1], False,
            "注：本表反映部门本年度一般公共预算财政拨款支出情况。", bump)
        self.printed["general_expenditure"] = {r["code"]: w(r.get("合计", "0") or "0")
                                               for r in self.x["general_expenditure"]["rows"] if "code" in r}
        for code, col in (("合计", "合计"), ("2060101", "基本支出"), ("2060404", "项目支出"), ("20607", "合计"),
                          ("2210203", "基本支出")):
            self._sample_row("general_expenditure", code, col)
        return out

    def _sample_row(self, tid, key, col):
        r = next(r for r in self.x[tid]["rows"] if r.get("code", r.get("item")) == key)
        self.sample(tid, key, col, r[col])

    # 四、财政拨款收入支出决算总表
    def fiscal_summary(self):
        S = self.S
        title = "财政拨款收入支出决算总表"
        income = [("一、一般公共预算财政拨款", S["fi"]), ("二、政府性基金预算财政拨款", 0), ("三、国有资本经营预算财政拨款", 0)]
        by_class = {c: v for c, v in self.rows if len(c) == 3}
        exp = [(f"{cn_num(i + 1)}、{name}", by_class[c]["fb"] + by_class[c]["fp"] if c in by_class else 0)
               for i, (c, name) in enumerate(SHF_CLASSES)]
        heads = ["合计", "一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款"]
        grid = [R([H("收入", span=2), H("支出", span=5)]),
                R([H("项目"), H("决算数"), H("项目")] + [H(h) for h in heads])]
        for i, (ri, ra) in enumerate(exp):
            li, la = income[i] if i < len(income) else ("", 0)
            grid.append(R([C(li), C(a2(la)), C(ri), C(a2(ra)), C(a2(ra)), C(""), C("")]))
        tail = [("本年收入合计", S["fi"], "本年支出合计", S["fiscal_exp"]),
                ("年初财政拨款结转和结余", S["start_fiscal"], "年末财政拨款结转和结余", S["end_fiscal"]),
                ("一、一般公共预算财政拨款", S["start_fiscal"], "", None),
                ("二、政府性基金预算财政拨款", 0, "", None),
                ("三、国有资本经营预算财政拨款", 0, "", None),
                ("总计", S["fiscal_total"], "总计", S["fiscal_total"])]
        for li, la, ri, ra in tail:
            centre = li == "总计"
            right = [C(a2(ra)), C(a2(ra)), C(""), C("")] if ra is not None else [C("") for _ in range(4)]
            grid.append(R([C(li, align="center" if centre else None), C(a2(la)),
                           C(ri, align="center" if centre else None)] + right))
        cols = ["收入/项目", "收入/决算数", "支出/项目"] + [f"支出/{h}" for h in heads]
        rows = [{"side": "income", "item": li, "收入/决算数": a2(la)} for li, la in income]
        for li, la, _, _ in tail:
            r = {"side": "income", "item": li, "收入/决算数": a2(la)}
            if li.startswith(("一、", "二、", "三、")):
                r = {"side": "income", "item": li, "under": "年初财政拨款结转和结余", "收入/决算数": a2(la)}
            rows.append(r)
        for ri, ra in exp:
            rows.append({"side": "expenditure", "item": ri, "支出/合计": a2(ra), "支出/一般公共预算财政拨款": a2(ra)})
        for _, _, ri, ra in tail:
            if ri:
                rows.append({"side": "expenditure", "item": ri, "支出/合计": a2(ra),
                             "支出/一般公共预算财政拨款": a2(ra)})
        self.record("fiscal_summary", title, cols, rows, note="注：本表反映部门本年度财政拨款总收支和结转结余情况。")
        self.sample("fiscal_summary", "一、一般公共预算财政拨款", "决算数", a2(S["fi"]), "income")
        self.sample("fiscal_summary", "年初财政拨款结转和结余", "决算数", a2(S["start_fiscal"]), "income")
        self.sample("fiscal_summary", exp[5][0], "一般公共预算财政拨款", a2(exp[5][1]), "expenditure")
        self.sample("fiscal_summary", "年末财政拨款结转和结余", "合计", a2(S["end_fiscal"]), "expenditure")
        self.sample("fiscal_summary", "总计", "合计", a2(S["fiscal_total"]), "expenditure")
        return title, Table([5.4, 2.5, 6.6, 2.6, 2.8, 2.8, 2.8], grid, size=9, height=0.55), \
            [self.x["fiscal_summary"]["note"]]

    # 六、一般公共预算财政拨款基本支出决算表
    def general_basic(self):
        title = "一般公共预算财政拨款基本支出决算表"
        econ = self.econ

        def value(code):
            if len(code) == 3:
                return sum(v for k, v in econ.items() if k.startswith(code))
            return econ.get(code, 0)

        left, right = SHF_ECON_PERSONNEL, SHF_ECON_PUBLIC
        grid = [R([H("经济分类科目编码"), H("科目名称"), H("决算数")] * 2)]
        for i in range(max(len(left), len(right))):
            cells = []
            for side in (left, right):
                if i < len(side):
                    code, name = side[i]
                    cells += [C(code), C(name, indent=0 if len(code) == 3 else 0.35), C(z2(value(code)))]
                else:
                    cells += [C(""), C(""), C("")]
            grid.append(R(cells))
        pers, pub = self.S["personnel"], self.S["public"]
        grid.append(R([H("人员经费合计", span=2), C(z2(pers)), H("公用经费合计", span=2), C(z2(pub))]))
        rows = [{"side": "personnel", "code": c, "name": n, "决算数": z2(value(c))} for c, n in left]
        rows.append({"side": "personnel", "item": "人员经费合计", "决算数": z2(pers)})
        rows += [{"side": "public", "code": c, "name": n, "决算数": z2(value(c))} for c, n in right]
        rows.append({"side": "public", "item": "公用经费合计", "决算数": z2(pub)})
        self.record("general_basic", title, ["经济分类科目编码", "科目名称", "决算数"], rows,
                    [c for c, _ in left] + [c for c, _ in right],
                    sides={"personnel": "the left three columns (人员经费: 301, 303)",
                           "public": "the right three columns (公用经费: 302, 310)"},
                    note="注：本表反映部门本年度一般公共预算财政拨款基本支出明细情况。")
        # amount_cells: every cell of both sides is printed (zeros as 0.00)
        self.x["general_basic"]["amount_cells"] = len(left) + len(right) + 2
        for code, v in (("301", value("301")), ("30102", value("30102")), ("30217", value("30217")),
                        ("30231", value("30231")), ("303", value("303")), ("310", value("310"))):
            self.sample("general_basic", code, "决算数", z2(v))
        self.sample("general_basic", "人员经费合计", "决算数", z2(pers))
        self.sample("general_basic", "公用经费合计", "决算数", z2(pub))
        return title, Table([1.9, 4.5, 2.1, 1.9, 4.5, 2.1], grid, size=9, height=0.5), \
            [self.x["general_basic"]["note"]]

    # 七、财政拨款“三公”经费支出决算表
    def three_public(self):
        title = "财政拨款“三公”经费支出决算表"
        b = {k: w(v) for k, v in SHF_3G_BUDGET.items()}
        a = {k: w(v) for k, v in SHF_3G.items()}
        printed_run = SHF_FAULTS["car_run"] if self.faults else a["car_run"]
        items = [("合计", sum(b.values()), sum(a.values())),
                 ("因公出国（境）费", b["abroad"], a["abroad"]),
                 ("公务用车购置及运行维护费/小计", b["car_buy"] + b["car_run"], a["car_buy"] + a["car_run"]),
                 ("公务用车购置及运行维护费/公务用车购置费", b["car_buy"], a["car_buy"]),
                 ("公务用车购置及运行维护费/公务用车运行维护费", b["car_run"], printed_run),
                 ("公务接待费", b["reception"], a["reception"])]
        grid = [R([H("财政拨款“三公”经费", span=12)]),
                R([H("合计", span=2, rows=2), H("因公出国（境）费", span=2, rows=2), H("公务用车购置及运行维护费", span=6),
                   H("公务接待费", span=2, rows=2)]),
                R([H("小计", span=2), H("公务用车购置费", span=2), H("公务用车运行维护费", span=2)]),
                R([H(x) for _ in items for x in ("预算数", "决算数")], height=0.9),
                R([C(x) for _, bb, aa in items for x in (a2(bb), a2(aa))], height=0.9)]
        cols, row = [], {"item": "财政拨款“三公”经费"}
        for name, bb, aa in items:
            for label, v in (("预算数", bb), ("决算数", aa)):
                path = f"财政拨款“三公”经费/{name}/{label}"
                cols.append(path)
                if v:
                    row[path] = a2(v)
        self.record("three_public", title, cols, [row], layout="across",
                    note="注：本表反映部门本年度“三公”经费支出预决算情况。")
        for name, bb, aa in items:
            self.sample("three_public", name.split("/")[-1], "决算数", a2(aa))
        self.sample("three_public", "合计", "预算数", a2(items[0][1]))
        return title, Table([2.1] * 12, grid, size=9, height=0.9), [self.x["three_public"]["note"]]

    # 八、九、政府性基金 / 国有资本经营预算财政拨款收入支出决算表 (empty)
    def empty_fund(self, tid, kind):
        title = f"{kind}预算财政拨款收入支出决算表"
        grid = [R([H("项目", span=2), H("年初结转和结余", rows=2), H("本年收入", rows=2), H("本年支出", span=3, rows=2),
                   H("年末结转和结余", rows=2)]),
                R([H("功能分类科目编码"), H("科目名称")]),
                R([H("合计", span=2), C(""), C(""), H("合计"), H("基本支出"), H("项目支出"), C("")])]
        grid += [R([C("") for _ in range(8)]) for _ in range(3)]
        notes = [f"注：本表反映部门本年度{kind}预算财政拨款收入支出及结转和结余情况。",
                 f"说明：{SHF_DEPT}本年度没有{kind}预算财政拨款收入和支出，故本表无数据。"]
        cols = ["项目/功能分类科目编码", "项目/科目名称", "年初结转和结余", "本年收入", "本年支出/合计", "本年支出/基本支出",
                "本年支出/项目支出", "年末结转和结余"]
        self.record(tid, title, cols, [{"item": "合计"}], note=notes[0], statement=notes[1], blank_rows=3)
        return title, Table([2.4, 4.8, 3.0, 3.0, 3.0, 3.0, 3.0, 3.2], grid, size=9, height=0.75), notes


SHF_TABLE_ORDER = ["summary", "income", "expenditure", "fiscal_summary", "general_expenditure", "general_basic",
                   "three_public", "fund_expenditure", "soe_expenditure"]

SHF_GLOSSARY = [
    "一、财政拨款收入：指单位本年度从本级财政部门取得的财政拨款，包括一般公共预算财政拨款、政府性基金预算财政拨款和国有资本经营预算财政拨款。",
    "二、事业收入：指事业单位开展专业业务活动及其辅助活动取得的收入。主要是：区科技创业服务中心开展科技咨询、技术服务取得的收入等。",
    "三、经营收入：指事业单位在专业业务活动及其辅助活动之外开展非独立核算经营活动取得的收入。主要是：区科技创业服务中心孵化场地出租收入等。",
    "四、其他收入：指单位取得的除“财政拨款收入”、“事业收入”、“经营收入”等以外的收入。主要是：存款利息收入等。",
    "五、年初结转和结余：指以前年度尚未完成、结转到本年按有关规定继续使用的资金。",
    "六、年末结转和结余：指本年度或以前年度预算安排、因客观条件发生变化无法按原计划实施，需延迟到以后年度按有关规定继续使用的资金。",
    "七、基本支出：指单位为保障机构正常运转、完成日常工作任务而发生的各项支出。",
    "八、项目支出：指单位为完成特定的行政工作任务或事业发展目标，在基本支出之外发生的各项支出。",
    "九、经营支出：指事业单位在专业活动及辅助活动之外开展非独立核算经营活动发生的支出。",
    "十、“三公”经费：指单位使用本级财政拨款安排的因公出国（境）费、公务用车购置及运行维护费和公务接待费。其中：因公出国（境）费反映单位"
    "参加国际合作交流、重大项目洽谈、境外培训研修等的国际旅费、国外城市间交通费、住宿费、伙食费、培训费、公杂费等支出；公务接待费反映全国性"
    "专业会议、国家重大政策调研、专项检查以及外事团组接待交流等执行公务或开展业务所需住宿费、交通费、伙食费等支出；公务用车购置及运行维护费反映"
    "编制内公务车辆的报废更新，以及用于安排市内因公出差、公务文件交换、日常工作开展等所需公务用车燃料费、维修费、过路过桥费、保险费等支出。",
    "十一、机关运行经费：指行政单位和参照公务员法管理的事业单位使用一般公共预算财政拨款安排的基本支出中的日常公用经费支出。",
]

SHF_SECTIONS = ["收入支出决算总体情况说明", "收入决算情况说明", "支出决算情况说明", "财政拨款收入支出决算总体情况说明",
                "一般公共预算财政拨款支出决算情况说明", "一般公共预算财政拨款基本支出决算情况说明",
                "财政拨款“三公”经费支出决算情况说明", "政府性基金预算财政拨款收入支出决算情况说明",
                "国有资本经营预算财政拨款收入支出决算情况说明", "预算绩效管理情况", "其他重要事项说明"]


def change_words(now: int, before: int) -> tuple[str, str, str, str]:
    """('增加', '206.43', '增长', '5.58') for the year-on-year sentences."""
    d = now - before
    up = d >= 0
    return ("增加" if up else "减少"), t2(abs(d)), ("增长" if up else "下降"), fpct(abs(d), before)


def shf_document(faults=False):
    """The 决算 document (clean, or with the five planted faults). Returns
    (Doc, FinalTables, headings, statements, fault list)."""
    leaves, econ, S = shf_data()
    T = FinalTables(leaves, econ, S, faults)
    dept, year, prev = SHF_DEPT, SHF_YEAR, SHF_PREV
    doc = Doc(landscape=False)
    headings, statements, planted = [], [], []

    def head(text, style, level, page_break=False):
        doc.p(text, style, page_break=page_break)
        headings.append({"level": level, "text": text})

    def st(section, item, **values):
        statements.append({"section": section, "item": item, **{k: v for k, v in values.items() if v is not None}})

    tables = {
        "summary": T.summary(), "income": T.income(), "expenditure": T.expenditure(),
        "fiscal_summary": T.fiscal_summary(), "general_expenditure": T.general_expenditure(),
        "general_basic": T.general_basic(), "three_public": T.three_public(),
        "fund_expenditure": T.empty_fund("fund_expenditure", "政府性基金"),
        "soe_expenditure": T.empty_fund("soe_expenditure", "国有资本经营"),
    }

    # cover and contents
    doc.p(dept, "cover")
    doc.p(f"{year}年度部门决算", "cover_line")
    doc.p("目   录", "toc_title", page_break=True)
    doc.p(f"第一部分 {dept}概况", "toc_part")
    for line in ("一、主要职能", "二、部门决算单位构成"):
        doc.p(line, "toc_item")
    doc.p(f"第二部分 {dept}{year}年度部门决算表", "toc_part")
    for i, tid in enumerate(SHF_TABLE_ORDER, 1):
        doc.p(f"{cn_num(i)}、{tables[tid][0]}", "toc_item")
    doc.p(f"第三部分 {dept}{year}年度部门决算情况说明", "toc_part")
    for i, s in enumerate(SHF_SECTIONS, 1):
        doc.p(f"{cn_num(i)}、{s}", "toc_item")
    doc.p("第四部分 名词解释", "toc_part")

    # 第一部分 概况
    head(f"第一部分  {dept}概况", "part", "part", page_break=True)
    head("一、主要职能", "h1", 1)
    doc.p(f"{dept}是主管本区科学技术工作的区政府工作部门。主要职能是：执行国家和本市科技发展政策，编制本区科技发展规划和"
          "年度计划并实施；开展科技成果转化和科技企业孵化服务；管理本区科学技术普及工作，开展科普活动和青少年"
          "科技教育活动；管理区科技创新专项资金；完成区委、区政府交办的其他任务。")
    head("二、部门决算单位构成", "h1", 1)
    doc.p(f"从预算单位构成看，{dept}部门决算包括：{dept}本级决算、下属行政事业单位决算。")
    doc.p(f"纳入{dept}{year}年度部门决算编制范围的单位包括：")
    units = Table([1.6, 11.4, 3.6], [R([H("序号"), H("单位名称"), H("备注")])] +
                  [R([H(str(i)), C(u), C("")]) for i, u in enumerate(SHF_UNITS, 1)], size=10.5, height=0.8)
    doc.t(units)

    # 第二部分 the tables
    def put(tid, first=False, page_break=True):
        title, table, notes = tables[tid]
        if first:
            doc.p(f"{dept}{year}年度部门决算表", "book_title", page_break=True)
        doc.p(title, "table_title", page_break=page_break and not first)
        doc.p("单位：万元", "unit")
        doc.t(table)
        for n in notes:
            doc.p(n, "note")

    put("summary", first=True)
    doc.section(landscape=True)
    put("income", page_break=False)
    put("expenditure")
    put("fiscal_summary")
    doc.section(landscape=False)
    put("general_expenditure", page_break=False)
    put("general_basic")
    doc.section(landscape=True)
    put("three_public", page_break=False)
    put("fund_expenditure")
    put("soe_expenditure")
    doc.section(landscape=False)

    # 第三部分 情况说明
    head(f"第三部分  {dept}{year}年度部门决算情况说明", "part", "part")
    P = {k: w(v) for k, v in SHF_PREV_TOTALS.items()}

    head("一、收入支出决算总体情况说明", "h1", 1)
    up, d, grow, p = change_words(S["total"], P["total"])
    doc.p(f"{dept}{year}年度收入支出总计{t2(S['total'])}万元。与{prev}年度相比，收入支出总计{up}{d}万元，{grow}{p}%。"
          "主要原因：科技成果转化与扩散项目年中追加预算，下属事业单位事业收入增加。")
    st("一", "收入支出总计", amount=t2(S["total"]), prev_year=prev, prev=t2(P["total"]), direction=up, change=d,
       change_pct=p)

    head("二、收入决算情况说明", "h1", 1)
    parts = [("财政拨款收入", S["fi"]), ("事业收入", S["biz"]), ("经营收入", S["bus"]), ("其他收入", S["oth"])]
    doc.p(f"本年收入合计{t2(S['income'])}万元，其中：" +
          "；".join(f"{n}{t2(v)}万元，占{fpct(v, S['income'])}%" for n, v in parts if v) + "。")
    st("二", "本年收入合计", amount=t2(S["income"]))
    for n, v in parts:
        if v:
            st("二", n, amount=t2(v), share=fpct(v, S["income"]), of="本年收入合计")

    head("三、支出决算情况说明", "h1", 1)
    parts = [("基本支出", S["fb"] + S["nb"]), ("项目支出", S["fp"] + S["np"]), ("经营支出", S["op"])]
    shares = {n: fpct(v, S["exp"]) for n, v in parts}
    if faults:
        right = shares["项目支出"]
        shares["项目支出"] = right[:-2] + right[-1] + right[-2]   # two digits swapped
        assert shares["项目支出"] != right
        sentence = f"项目支出{t2(parts[1][1])}万元，占{shares['项目支出']}%"
        planted.append({"id": "F2", "kind": "share contradicts its amounts", "where": "text",
                        "section": "三、支出决算情况说明", "sentence": sentence, "printed": shares["项目支出"],
                        "correct": right, "amounts": {"项目支出": t2(parts[1][1]), "本年支出合计": t2(S["exp"])},
                        "note": "项目支出 / 本年支出合计 is " + right + "%; the amounts agree with the tables",
                        "also": ["the three shares of the sentence no longer add up to 100%"]})
    doc.p(f"本年支出合计{t2(S['exp'])}万元，其中：" +
          "；".join(f"{n}{t2(v)}万元，占{shares[n]}%" for n, v in parts if v) + "。")
    st("三", "本年支出合计", amount=t2(S["exp"]))
    for n, v in parts:
        st("三", n, amount=t2(v), share=shares[n], of="本年支出合计")

    head("四、财政拨款收入支出决算总体情况说明", "h1", 1)
    up, d, grow, p = change_words(S["fiscal_total"], P["fiscal_total"])
    doc.p(f"{dept}{year}年度财政拨款收入支出总计{t2(S['fiscal_total'])}万元。与{prev}年度相比，财政拨款收入支出总计{up}{d}万元，"
          f"{grow}{p}%。主要原因：科技成果转化与扩散项目年中追加预算。")
    st("四", "财政拨款收入支出总计", amount=t2(S["fiscal_total"]), prev_year=prev, prev=t2(P["fiscal_total"]),
       direction=up, change=d, change_pct=p)

    head("五、一般公共预算财政拨款支出决算情况说明", "h1", 1)
    G = S["fiscal_exp"]
    head("（一）一般公共预算财政拨款支出决算总体情况", "h2", 2)
    up, d, grow, p = change_words(G, P["general"])
    doc.p(f"一般公共预算财政拨款支出{t2(G)}万元，占本年支出合计的{fpct(G, S['exp'])}%。与{prev}年度相比，一般公共预算财政拨款支出"
          f"{up}{d}万元，{grow}{p}%。主要原因：科技成果转化与扩散项目年中追加预算，人员经费标准调整。")
    st("五（一）", "一般公共预算财政拨款支出", amount=t2(G), share=fpct(G, S["exp"]), of="本年支出合计", prev_year=prev,
       prev=t2(P["general"]), direction=up, change=d, change_pct=p)
    head("（二）一般公共预算财政拨款支出决算结构情况", "h2", 2)
    classes = [(c, v["fb"] + v["fp"]) for c, v in T.rows if len(c) == 3 and v["fb"] + v["fp"]]
    doc.p(f"一般公共预算财政拨款支出{t2(G)}万元，主要用于以下方面：" +
          "；".join(f"{FUNC_2024[c]}（类）{t2(v)}万元，占{fpct(v, G)}%" for c, v in classes) + "。")
    for c, v in classes:
        st("五（二）", f"{FUNC_2024[c]}（类）", code=c, amount=t2(v), share=fpct(v, G), of="一般公共预算财政拨款支出")
    head("（三）一般公共预算财政拨款支出决算具体情况", "h2", 2)
    B = S["budget"]
    word = "大于" if G > B else "小于"
    doc.p(f"一般公共预算财政拨款支出年初预算为{t2(B)}万元，支出决算为{t2(G)}万元，完成年初预算的{fpct(G, B)}%。"
          f"决算数{word}预算数的主要原因：部分科技创新项目未达到拨款节点，资金结转下年使用；人员经费按实际支出。其中：")
    st("五（三）", "一般公共预算财政拨款支出", budget=t2(B), actual=t2(G), completion=fpct(G, B), comparison=word)
    printed_ge = T.printed["general_expenditure"]
    for i, code in enumerate(sorted(leaves), 1):
        v = leaves[code]
        budget = v["budget"]
        actual = printed_ge[code]       # as the table prints it (the faulted 项 too)
        stated = actual
        if faults and code == SHF_FAULTS["text_amount"][0]:
            stated = SHF_FAULTS["text_amount"][1]
        completion = right_completion = fpct(stated, budget)
        if faults and code == SHF_FAULTS["completion"]:
            completion = completion[:-2] + completion[-1] + completion[-2]   # two digits swapped
            assert completion != right_completion
        purpose, reason = SHF_PURPOSE[code]
        if stated == budget:
            tail = "决算数与年初预算数持平。"
            cmp_word = "持平"
        else:
            cmp_word = "大于" if stated > budget else "小于"
            tail = f"决算数{cmp_word}预算数的主要原因：{reason}。"
        label = f"{FUNC_2024[code[:3]]}（类）{FUNC_2024[code[:5]]}（款）{FUNC_2024[code]}（项）"
        sentence = f"年初预算为{t2(budget)}万元，支出决算为{t2(stated)}万元，完成年初预算的{completion}%。"
        doc.p(f"{i}、{label}。主要用于：{purpose}。{sentence}{tail}")
        st("五（三）", label, code=code, budget=t2(budget), actual=t2(stated), completion=completion,
           comparison=cmp_word)
        if faults and code == SHF_FAULTS["completion"]:
            planted.append({"id": "F3", "kind": "wrong 完成年初预算的X%", "where": "text",
                            "section": "五、（三）一般公共预算财政拨款支出决算具体情况", "item": f"{i}、{label}",
                            "code": code, "sentence": sentence, "printed": completion, "correct": right_completion,
                            "amounts": {"年初预算": t2(budget), "支出决算": t2(stated)},
                            "note": f"{t2(stated)} / {t2(budget)} = {right_completion}%", "also": []})
        if faults and code == SHF_FAULTS["text_amount"][0]:
            planted.append({"id": "F4", "kind": "text amount differs from the table", "where": "text",
                            "section": "五、（三）一般公共预算财政拨款支出决算具体情况", "item": f"{i}、{label}",
                            "code": code, "sentence": sentence, "printed": t2(stated), "correct": t2(actual),
                            "table": "general_expenditure", "column": "合计",
                            "note": f"the table prints {t2(actual)} for {code}; the sentence's own percentage "
                                    f"({completion}%) and its 小于 agree with the stated {t2(stated)}, so only the "
                                    "comparison with the table shows the fault",
                            "also": ["the 五（三） items' 支出决算 no longer add up to the stated total "
                                     f"({t2(G)}): {t2(actual - stated)} short"]})
    if faults:
        code, d = SHF_FAULTS["ge_item"]
        right = leaves[code]["fb"] + leaves[code]["fp"]
        planted.insert(0, {
            "id": "F1", "kind": "项 does not sum to its 款", "where": "table", "table": "general_expenditure",
            "code": code, "columns": ["合计", "基本支出"], "printed": t2(right + d), "correct": t2(right),
            "parent": code[:5],
            "note": f"the 项 {code} row prints {t2(right + d)} in 合计 and 基本支出 where the 款 {code[:5]} "
                    f"implies {t2(right)}: off by 0.01万元 (100元, the smallest step a 万元 table with two "
                    f"decimals can show). The row itself is consistent (合计 = 基本支出), the 款, 类 and 合计 rows "
                    f"are not changed, and the 情况说明 item for {code} quotes the printed {t2(right + d)} "
                    f"(its percentage computed from it)",
            "also": [f"款 {code[:5]} ≠ Σ项 in 合计 and 基本支出", "the 五（三） items' 支出决算 add up to "
                     f"{t2(d)} more than the stated total ({t2(G)})"]})

    head("六、一般公共预算财政拨款基本支出决算情况说明", "h1", 1)
    pers_names = [n for c, n in SHF_ECON_PERSONNEL if len(c) == 5 and econ.get(c)]
    pub_names = [n for c, n in SHF_ECON_PUBLIC if len(c) == 5 and econ.get(c)]
    doc.p(f"一般公共预算财政拨款基本支出{t2(S['fb'])}万元。其中：人员经费{t2(S['personnel'])}万元，主要包括："
          f"{'、'.join(pers_names)}；公用经费{t2(S['public'])}万元，主要包括：{'、'.join(pub_names)}。")
    st("六", "一般公共预算财政拨款基本支出", amount=t2(S["fb"]))
    st("六", "人员经费", amount=t2(S["personnel"]))
    st("六", "公用经费", amount=t2(S["public"]))

    head("七、财政拨款“三公”经费支出决算情况说明", "h1", 1)
    b = {k: w(v) for k, v in SHF_3G_BUDGET.items()}
    a = {k: w(v) for k, v in SHF_3G.items()}
    pv = {k: w(v) for k, v in SHF_3G_PREV.items()}
    for dct in (b, a, pv):
        dct["car"] = dct["car_buy"] + dct["car_run"]
        dct["total"] = dct["abroad"] + dct["car"] + dct["reception"]
    head("（一）“三公”经费财政拨款支出决算总体情况说明。", "h2", 2)
    doc.p(f"“三公”经费财政拨款支出年初预算为{t2(b['total'])}万元，支出决算为{t2(a['total'])}万元，完成预算的"
          f"{fpct(a['total'], b['total'])}%，其中：因公出国（境）费决算为{t2(a['abroad'])}万元，完成预算的"
          f"{fpct(a['abroad'], b['abroad'])}%；公务用车购置及运行维护费支出决算为{t2(a['car'])}万元，完成预算的"
          f"{fpct(a['car'], b['car'])}%；公务接待费支出决算为{t2(a['reception'])}万元，完成预算的"
          f"{fpct(a['reception'], b['reception'])}%。{year}年度“三公”经费支出决算数小于预算数的主要原因：因公出国（境）团组按实际"
          "人数和日程开支，公务用车购置按政府采购价格执行，从严控制公务接待。")
    for key, item in (("total", "“三公”经费"), ("abroad", "因公出国（境）费"), ("car", "公务用车购置及运行维护费"),
                      ("reception", "公务接待费")):
        st("七（一）", item, budget=t2(b[key]), actual=t2(a[key]), completion=fpct(a[key], b[key]))
    ch = {k: change_words(a[k], pv[k]) for k in ("total", "abroad", "car", "reception")}
    doc.p(f"{year}年度“三公”经费财政拨款支出决算数比{prev}年度{ch['total'][0]}{ch['total'][1]}万元，{ch['total'][2]}"
          f"{ch['total'][3]}%，其中：因公出国（境）费支出决算{ch['abroad'][0]}{ch['abroad'][1]}万元，{ch['abroad'][2]}"
          f"{ch['abroad'][3]}%；公务用车购置及运行维护费支出决算{ch['car'][0]}{ch['car'][1]}万元，{ch['car'][2]}"
          f"{ch['car'][3]}%；公务接待费支出决算{ch['reception'][0]}{ch['reception'][1]}万元，{ch['reception'][2]}"
          f"{ch['reception'][3]}%。因公出国（境）费支出{ch['abroad'][0]}的主要原因是按计划赴境外开展科技创新合作交流。"
          f"公务用车购置及运行维护费支出{ch['car'][0]}的主要原因是更新1辆已达报废年限的机要通信用车。"
          f"公务接待费支出{ch['reception'][0]}的主要原因是从严控制接待批次和人数。")
    for key, item in (("total", "“三公”经费"), ("abroad", "因公出国（境）费"), ("car", "公务用车购置及运行维护费"),
                      ("reception", "公务接待费")):
        up, d, grow, p = ch[key]
        st("七（一）", item, amount=t2(a[key]), prev_year=prev, prev=t2(pv[key]), direction=up, change=d, change_pct=p)
    head("（二）“三公”经费财政拨款支出决算具体情况说明。", "h2", 2)
    doc.p(f"“三公”经费财政拨款支出决算中，因公出国（境）费支出决算{t2(a['abroad'])}万元，占{fpct(a['abroad'], a['total'])}%；"
          f"公务用车购置及运行维护费支出决算{t2(a['car'])}万元，占{fpct(a['car'], a['total'])}%；公务接待费支出决算"
          f"{t2(a['reception'])}万元，占{fpct(a['reception'], a['total'])}%。具体情况如下：")
    for key, item in (("abroad", "因公出国（境）费"), ("car", "公务用车购置及运行维护费"), ("reception", "公务接待费")):
        st("七（二）", item, amount=t2(a[key]), share=fpct(a[key], a["total"]), of="“三公”经费")
    doc.p(f"1、因公出国（境）费支出{t2(a['abroad'])}万元。全年安排因公出国（境）团组1个、累计3人次。开支内容包括：赴境外参加科技创新"
          "合作交流活动的国际旅费、住宿费、伙食费等。")
    st("七（二）", "因公出国（境）团组", count=1, persons=3)
    doc.p(f"2、公务用车购置及运行维护费支出{t2(a['car'])}万元。其中：")
    doc.p(f"公务用车购置支出为{t2(a['car_buy'])}万元。主要用于更新1辆已达报废年限的机要通信用车，购置公务用车1辆。")
    doc.p(f"公务用车运行维护支出{t2(a['car_run'])}万元。主要用于公务用车燃料费、维修费、过路过桥费、保险费等。{year}年，"
          f"{dept}所属各预算单位开支财政拨款的公务用车保有量为3辆。")
    st("七（二）", "公务用车购置", amount=t2(a["car_buy"]), vehicles_bought=1)
    st("七（二）", "公务用车运行维护", amount=t2(a["car_run"]), vehicles_held=3)
    doc.p(f"3、公务接待费支出{t2(a['reception'])}万元。其中：")
    doc.p(f"国内公务接待支出{t2(a['reception'])}万元（含外宾接待支出0万元）。主要用于接待其他区科技部门工作交流，共接待12批次、"
          "86人次，其中：接待外宾0批次、0人次。")
    st("七（二）", "国内公务接待", amount=t2(a["reception"]), foreign_amount="0", batches=12, persons=86,
       foreign_batches=0, foreign_persons=0)
    if faults:
        planted.append({"id": "F5", "kind": "公务用车购置及运行维护费 决算数 is not 购置费 + 运行维护费",
                        "where": "table", "table": "three_public",
                        "column": "财政拨款“三公”经费/公务用车购置及运行维护费/公务用车运行维护费/决算数",
                        "printed": t2(SHF_FAULTS["car_run"]), "correct": t2(a["car_run"]),
                        "amounts": {"小计/决算数": t2(a["car"]), "公务用车购置费/决算数": t2(a["car_buy"]),
                                    "公务用车运行维护费/决算数": t2(SHF_FAULTS["car_run"])},
                        "note": f"小计 {t2(a['car'])} ≠ {t2(a['car_buy'])} + {t2(SHF_FAULTS['car_run'])}; the 合计 "
                                f"(= 因公出国 + 小计 + 公务接待) and the 预算数 still agree, and the printed value is still at "
                                f"least general_basic 30231 ({t2(a['car_run'])}); the 情况说明 states the 运行维护 "
                                f"决算 as {t2(a['car_run'])} (= 小计 - 购置费)",
                        "also": [f"七（二） 公务用车运行维护支出 {t2(a['car_run'])}万元 ≠ the table's "
                                 f"{t2(SHF_FAULTS['car_run'])}"]})

    head("八、政府性基金预算财政拨款收入支出决算情况说明", "h1", 1)
    doc.p(f"{dept}{year}年度无政府性基金预算财政拨款收入和支出。")
    head("九、国有资本经营预算财政拨款收入支出决算情况说明", "h1", 1)
    doc.p(f"{dept}{year}年度无国有资本经营预算财政拨款收入和支出。")

    head("十、预算绩效管理情况", "h1", 1)
    projects = [c for c, v in leaves.items() if v["fp"]]
    proj_budget = sum(leaves[c]["budget"] for c in projects)
    tracked = ["2060404", "2060702"]
    tracked_budget = sum(leaves[c]["budget"] for c in tracked)
    doc.p(f"{dept}{year}年度预算绩效管理工作开展情况如下：本部门建立了如下预算绩效管理制度：{dept}预算绩效管理实施办法、"
          f"{dept}项目支出绩效自评工作规程，建立了事前、事中、事后全过程的预算绩效管理工作机制；全过程绩效管理实施情况："
          f"编报绩效目标的{year}年度项目{len(projects)}个，涉及预算金额{t2(proj_budget)}万元；绩效跟踪评价的{year}年度项目"
          f"{len(tracked)}个，涉及预算金额{t2(tracked_budget)}万元；绩效自评的{year}年度项目{len(projects)}个，涉及预算金额"
          f"{t2(proj_budget)}万元，平均得分93.86分（其中，绩效评级为“优”的项目5个；绩效评级为“良”的项目2个；绩效评级为“合格”"
          "的项目0个；绩效评级为“不合格”的项目0个。绩效自评中共发现问题3个，已经完成整改的2个，正在整改的1个）。")
    st("十", "编报绩效目标的项目", count=len(projects), amount=t2(proj_budget))
    st("十", "绩效跟踪评价的项目", count=len(tracked), amount=t2(tracked_budget))
    st("十", "绩效自评的项目", count=len(projects), amount=t2(proj_budget), average_score="93.86",
       grades={"优": 5, "良": 2, "合格": 0, "不合格": 0}, problems=3, fixed=2, fixing=1)

    head("十一、其他重要事项的情况说明", "h1", 1)
    head("（一）机关运行经费支出情况", "h2", 2)
    op, op_prev = w(SHF_OPERATING), P["operating"]
    up, d, grow, p = change_words(op, op_prev)
    doc.p(f"机关运行经费支出{t2(op)}万元，比{prev}年度{up}{d}万元，{grow}{p}%。主要原因是严格控制一般性支出，压减办公、会议等"
          "日常公用支出。")
    st("十一（一）", "机关运行经费", amount=t2(op), prev_year=prev, prev=t2(op_prev), direction=up, change=d,
       change_pct=p)
    head("（二）政府采购支出情况", "h2", 2)
    pr = {k: w(v) for k, v in SHF_PROCUREMENT.items()}
    proc = pr["goods"] + pr["works"] + pr["services"]
    doc.p(f"{dept}{year}年度政府采购金额（以合同签订为准）为{t2(proc)}万元，其中：货物采购金额{t2(pr['goods'])}万元、"
          f"工程采购金额{t2(pr['works'])}万元、服务采购金额{t2(pr['services'])}万元。")
    doc.p(f"{year}年度本部门面向中小企业预留政府采购项目预算金额{t2(pr['sme_reserved'])}万元，面向小微企业预留政府采购项目预算金额"
          f"{t2(pr['micro_reserved'])}万元。在面向中小企业预留的政府采购项目中，由中小企业供应商中标或成交的，采购金额"
          f"{t2(pr['sme_won'])}万元；在面向小微企业预留政府采购项目中，由小微企业供应商中标或成交的，采购金额"
          f"{t2(pr['micro_won'])}万元；在其他政府采购项目中，由中小企业供应商中标或成交的，采购金额{t2(pr['sme_other'])}万元。")
    st("十一（二）", "政府采购金额", amount=t2(proc), goods=t2(pr["goods"]), works=t2(pr["works"]),
       services=t2(pr["services"]))
    st("十一（二）", "中小企业", sme_reserved=t2(pr["sme_reserved"]), micro_reserved=t2(pr["micro_reserved"]),
       sme_won=t2(pr["sme_won"]), micro_won=t2(pr["micro_won"]), sme_other=t2(pr["sme_other"]))
    head("（三）国有资产占有使用情况说明", "h2", 2)
    cars = sum(n for _, n in SHF_VEHICLES)
    doc.p(f"截至{year}年12月31日，{dept}共有车辆{cars}辆，其中：" + "、".join(f"{k}{n}辆" for k, n in SHF_VEHICLES) +
          "。单价100万元（含）以上设备（不含车辆）1台（套）。")
    st("十一（三）", "车辆", count=cars, by_use={k: n for k, n in SHF_VEHICLES})
    st("十一（三）", "单价100万元（含）以上设备（不含车辆）", count=1)

    head("第四部分  名词解释", "part", "part", page_break=True)
    for g in SHF_GLOSSARY:
        doc.p(g)
    return doc, T, headings, statements, planted


SHF_HEADER = (
    "# What build.py put into this document (not what a parser read). Amounts are\n"
    "# as printed, in 万元; codes are full codes (类 3, 款 5, 项 7 digits) in print\n"
    "# order. `columns` are the printed header paths (group/leaf); a row lists its\n"
    "# non-empty cells by header path; amount_cells counts the non-empty amount\n"
    "# cells of a table's data rows (合计 rows included, header rows excluded).\n"
    "# `statements` are the amounts, shares and counts the 情况说明 states.\n")


def shf_expected(name, files, T, headings, statements, notes, **extra):
    return {
        "document": name,
        "files": files,
        "layout": "shanghai",
        "kind": "final_accounts",
        "department": SHF_DEPT,
        "parent_department": None,
        "year": SHF_YEAR,
        "scope": "department",
        "unit_text": "万元",
        **extra,
        "units": SHF_UNITS,
        "table_ids": SHF_TABLE_ORDER,
        "tables": {k: T.x[k] for k in SHF_TABLE_ORDER},
        "samples": T.samples,
        "headings": headings,
        "statements": statements,
        "notes": notes,
    }


def shf_pdf_pages(pdf: Path, T) -> dict[str, list[int]]:
    """The pages each table is printed on: the page whose lines include its
    title, and the pages after it up to the next table or 第三部分."""
    n = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True,
                                                         text=True, check=True).stdout).group(1))
    pages = [[re.sub(r"\s+", "", x) for x in subprocess.run(
        ["pdftotext", "-layout", "-f", str(i), "-l", str(i), str(pdf), "-"],
        capture_output=True, text=True, check=True).stdout.splitlines()] for i in range(1, n + 1)]
    titles = {T.x[t]["title"]: t for t in SHF_TABLE_ORDER}
    out, current = {}, None
    for i, lines in enumerate(pages, 1):
        found = [titles[x] for x in lines if x in titles and "单位：万元" in lines]
        if found:
            current = found[0]
            out[current] = [i]
        elif current and any(x.startswith("第三部分") for x in lines):
            break
        elif current:
            out[current].append(i)
    assert list(out) == SHF_TABLE_ORDER, out
    return out


SHF_NOTES = [
    "Shanghai 部门决算 2024 layout (the official 2024 template and a district department's document): cover, "
    "目录, 第一部分 概况 (一、主要职能, 二、部门决算单位构成 with a 序号 | 单位名称 | 备注 table), 第二部分 the nine "
    "tables, 第三部分 情况说明 (一 … 十一), 第四部分 名词解释.",
    "All nine tables are in 万元 with two decimals and no thousands separator; no 编制单位 line: the book title "
    "(<department>2024年度部门决算表) above the first table, each table's title, then 单位：万元 as a right-aligned "
    "paragraph above the grid and 注：… paragraphs below it.",
    "Pages: portrait for the text and tables summary, general_expenditure, general_basic; landscape (Word section "
    "breaks) for income, expenditure, fiscal_summary, three_public and the two empty fund tables. Header rows are "
    "not repeated on a continuation page (fiscal_summary continues on a second page with rows only).",
    "Functional codes in one column (功能分类科目编码) beside 科目名称; 合计 is the first data row in income and "
    "expenditure and the last in general_expenditure.",
    "summary and fiscal_summary are two-sided (收入 | 支出) with all 26 expenditure 类 of the form, most empty; "
    "fiscal_summary lists 年初财政拨款结转和结余 with its three fund types under it (rows marked `under`).",
    "general_basic is printed side by side: 人员经费 (301, 303) in the left three columns, 公用经费 (302, 310) in the "
    "right three, every 款 of the form listed with zeros printed as 0.00, 款 names indented; the last row is "
    "人员经费合计 | 公用经费合计. `codes` lists the left side, then the right side.",
    "three_public is printed across: 12 columns (预算数 | 决算数 under 合计, 因公出国（境）费, 公务用车购置及运行维护费 "
    "(小计, 公务用车购置费, 公务用车运行维护费), 公务接待费) and one row of values.",
    "fund_expenditure and soe_expenditure (政府性基金 / 国有资本经营预算财政拨款收入支出决算表) are empty: their 合计 "
    "row carries the sub-headers 合计 | 基本支出 | 项目支出 of 本年支出 (as the form prints them), then 3 blank rows, "
    "a 注： and a 说明：…本年度没有…故本表无数据。",
    "Carry-over: 年初结转和结余 96.40 (财政拨款 72.30), 年末 81.35 (财政拨款 54.85); income by 项 differs from "
    "expenditure by 项 for 2060404 (spent the year-start fiscal carry-over) and 2069999 (carries over 54.85), and "
    "for the non-fiscal income of the two 事业单位.",
    "The 年初预算 of each 项 appears only in the 情况说明 (五（三）); the tables print 决算 only.",
]


def build_final(out: Path, pdf: bool):
    """sh-final-2024.{docx,pdf,txt,expected.yaml} and sh-final-2024-faults.{docx,expected.yaml}."""
    built = []
    doc, T, headings, statements, _ = shf_document()
    write_docx(doc, out / "sh-final-2024.docx", f"{SHF_DEPT}{SHF_YEAR}年度部门决算（虚构测试数据）")
    write_txt(doc, out / "sh-final-2024.txt")
    fdoc, FT, fheadings, fstatements, planted = shf_document(faults=True)
    assert len(planted) == 5, planted
    write_docx(fdoc, out / "sh-final-2024-faults.docx", f"{SHF_DEPT}{SHF_YEAR}年度部门决算（虚构测试数据，含预置错误）")
    data = shf_expected("sh-final-2024", ["sh-final-2024.docx", "sh-final-2024.pdf", "sh-final-2024.txt"],
                        T, headings, statements, SHF_NOTES)
    if pdf:
        make = PdfMaker(doc_text(doc), smaller=True)   # 500-odd glyphs: smaller outlines keep it near 100 KB
        try:
            make(out / "sh-final-2024.docx", out / "sh-final-2024.pdf")
        finally:
            make.close()
    if (out / "sh-final-2024.pdf").exists():
        data["pdf_pages"] = shf_pdf_pages(out / "sh-final-2024.pdf", T)
    dump_yaml(data, out / "sh-final-2024.expected.yaml", SHF_HEADER)
    fdata = shf_expected("sh-final-2024-faults", ["sh-final-2024-faults.docx"], FT, fheadings, fstatements,
                         SHF_NOTES + ["Identical to sh-final-2024 except for the five planted faults listed under "
                                      "`faults`; tables and statements here show what is printed (faulted values "
                                      "included)."],
                         base="sh-final-2024", faults=planted)
    dump_yaml(fdata, out / "sh-final-2024-faults.expected.yaml", SHF_HEADER)
    built += ["sh-final-2024.docx", "sh-final-2024.txt", "sh-final-2024.expected.yaml",
              "sh-final-2024-faults.docx", "sh-final-2024-faults.expected.yaml"] + (["sh-final-2024.pdf"] if pdf else [])
    return built


HEADER = ("# What build.py put into this document (not what a parser read). Amounts are\n"
          "# as printed; codes are full codes (类 3, 款 5, 项 7 digits) in print order;\n"
          "# amount_cells counts the non-empty amount cells of a table's data rows\n"
          "# (合计 rows included, header rows excluded).\n")


def pdf_pages(pdf: Path, T) -> dict[str, list[int]]:
    """The pages each table is printed on, from the PDF's text: the page with
    its title and the pages after it that start with the repeated info row and
    column headers. Checks that the long tables do continue that way."""
    n = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True,
                                                         text=True, check=True).stdout).group(1))
    pages = [re.sub(r"\s+", "", subprocess.run(["pdftotext", "-f", str(i), "-l", str(i), str(pdf), "-"],
                                               capture_output=True, text=True, check=True).stdout)
             for i in range(1, n + 1)]
    info = T.info_label
    out, order = {}, list(T.x.tables)
    for tid in order:
        first = next(i for i, p in enumerate(pages) if T.x.tables[tid]["title"] in p and info in p)
        out[tid] = [first + 1]
        for p in pages[first + 1:]:
            if not p.startswith(info) or any(T.x.tables[t]["title"] in p for t in order):
                break
            assert "科目编码" in p and "科目名称" in p, (pdf.name, tid)   # the headers are repeated
            out[tid].append(out[tid][-1] + 1)
    assert len(out["general_expenditure"]) == 2 or T.scope == "unit", out
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--no-pdf", action="store_true", help="skip the LibreOffice conversions")
    ap.add_argument("--final", action="store_true", help="build only the Shanghai 决算 documents (sh-final-2024*)")
    args = ap.parse_args(argv)
    out = HERE
    if args.final:
        print("built:", ", ".join(build_final(out, not args.no_pdf)))
        return 0
    pdfs = []   # (docx, pdf, Doc)
    yamls = {}  # name → expected data

    # Shanghai department
    doc, T, text = sh_document("department")
    write_docx(doc, out / "sh-dept-2025.docx", f"{SH_DEPT}{SH_YEAR}年部门预算（虚构测试数据）")
    write_txt(doc, out / "sh-dept-2025.txt")
    pdfs.append((out / "sh-dept-2025.docx", out / "sh-dept-2025.pdf", doc))
    yamls["sh-dept-2025"] = (sh_expected("sh-dept-2025", "department", T, text,
                          ["sh-dept-2025.docx", "sh-dept-2025.pdf", "sh-dept-2025.txt"], [
        "Shanghai 部门预算 layout: tables 1-8 in 元, the 三公 table and the text in 万元.",
        "Each table's first row, inside the ruled grid: 编制部门：上海市示例区文化和旅游局 | 单位：元 (单位：万元 in 三公).",
        "Codes printed in three columns 类 | 款 | 项 (economic: 类 | 款) under a merged 科目编码 header; 合计 is the last row.",
        "general_basic prints 30201 办公费 with a lost leading zero: 类 '302', 款 '1'.",
        "income, expenditure, general_expenditure (41 code rows + 合计) and general_basic continue on a second "
        "PDF page (pdf_pages); the info row and the header rows are w:tblHeader rows, repeated there (once in the .txt).",
        "summary and fiscal_summary have 4 empty filler rows before 收入总计 | 支出总计.",
        "fund_expenditure and soe_expenditure are empty (3 blank rows and an empty 合计 row) with a 注：note below.",
        "three_public is printed across: one row of values; 购置费 is empty (zero).",
    ]), T)

    # Shanghai unit
    doc, T, text = sh_document("unit")
    write_docx(doc, out / "sh-unit-2025.docx", f"{SH_UNIT}{SH_YEAR}年单位预算（虚构测试数据）")
    pdfs.append((out / "sh-unit-2025.docx", out / "sh-unit-2025.pdf", doc))
    yamls["sh-unit-2025"] = (sh_expected("sh-unit-2025", "unit", T, text, ["sh-unit-2025.docx", "sh-unit-2025.pdf"], [
        "Shanghai 单位预算 layout: 区级单位预算, 预算单位：…, 编制单位：… info rows, titles 2025年预算单位….",
        "summary expenditure side: 预算数 over 合计 | 基本支出 (人员经费, 公用经费) | 项目支出.",
        "fiscal_summary has its title and its info row inside the ruled grid as its first two rows (merged across).",
        "three_public: only 公务接待费 is non-zero; 机关运行经费预算数 is empty (a 事业单位), the text says 0万元.",
        "general_basic continues on a second PDF page with its header rows repeated (pdf_pages).",
    ]), T)

    # Jiangsu
    tables, jexp, jsamples, facts = js_tables()
    tdoc = js_tables_doc(tables)
    write_docx(tdoc, out / "js-2018-tables.docx", f"{JS_DEPT}{JS_YEAR}年度部门预算公开表（虚构测试数据）")
    xdoc, jtext = js_text_doc(facts, [t[2] for t in tables])
    pdfs.append((out / "js-2018-tables.docx", out / "js-2018-tables.pdf", tdoc))
    pdfs.append((None, out / "js-2018-text.pdf", xdoc))
    order = [tid for _, tid, *_ in tables]
    yamls["js-2018"] = ({
        "document": "js-2018",
        "files": ["js-2018-text.pdf", "js-2018-tables.pdf", "js-2018-tables.docx"],
        "layout": "jiangsu",
        "department": JS_DEPT,
        "year": JS_YEAR,
        "scope": "department",
        "unit_text": "万元",
        "table_ids": order,
        "tables": {k: jexp[k] for k in order},
        "samples": jsamples,
        "text": jtext,
        "notes": [
            "One disclosure in two files: js-2018-text.pdf (第一部分 部门概况 … 第四部分 名词解释) and "
            "js-2018-tables.pdf / .docx (公开01表 … 公开12表).",
            "Each table: a '公开NN表' paragraph, then a ruled grid whose first (merged) cell holds the title and "
            "'部门：江苏省示例厅<TAB>单位：万元' as two paragraphs.",
            "2018 classification names (文化体育与传媒支出, 医疗卫生与计划生育支出, 国土海洋气象等支出, "
            "行政事业单位离退休, 提租补贴).",
            "expenditure_summary is a single row: 合计 | 基本支出 | 项目支出 | 单位预留机动经费 | 结转下年资金.",
            "Functional codes as one 3/5/7-digit column; 合计 is the first data row; economic codes 3/5 digits.",
            "summary: 功能分类 lists all 20 类 (most empty) beside 支出用途 (基本支出, 项目支出, 单位预留机动经费); "
            "其他资金 60.00 is basic spending under 2010350, so summary 201 = fiscal 201 + 60.00.",
            "fund_expenditure is empty with a 注：note below.",
            "operating_costs = the 302 rows of fiscal_basic.",
            "procurement: 合计, then per 品目大类 (一、货物A, 三、服务C) a subtotal row, per 专项 a subtotal row, then items.",
        ],
    }, None)

    # Hebei
    moved_t = hebei_txt(EXAMPLES / "jinzhou-2026.txt", out / "hebei-info-paragraph.txt")
    moved_d = hebei_docx(EXAMPLES / "jinzhou-2026.docx", out / "hebei-info-paragraph.docx")
    assert len(moved_t) == len(moved_d) == 9, (moved_t, moved_d)
    htables = hebei_expected(out / "hebei-info-paragraph.txt")
    yamls["hebei-info-paragraph"] = ({
        "document": "hebei-info-paragraph",
        "source": "examples/jinzhou-2026.txt and examples/jinzhou-2026.docx",
        "files": ["hebei-info-paragraph.txt", "hebei-info-paragraph.docx"],
        "layout": "hebei",
        "department": "晋州市医疗保障局",
        "department_code": "450",
        "year": 2026,
        "scope": "department",
        "unit_text": "万元",
        "table_ids": [t for _, t in HB_STANDARD],
        "tables": htables,
        "samples": hebei_samples(htables),
        "notes": [
            "Identical to examples/jinzhou-2026 except that in each of the nine standard tables the first row "
            "(450晋州市医疗保障局 | 预算年度：2026 | 单位：万元) is removed and printed as a paragraph just above the "
            "table, its parts separated by four spaces.",
            "The procurement and asset tables keep their info rows (they have no 预算年度).",
        ],
    }, None)
    if not args.no_pdf:
        make = PdfMaker(doc_text(*(d for _, _, d in pdfs)))
        try:
            for docx, pdf, d in pdfs:
                if docx is None:  # the Jiangsu text part is published as PDF only
                    docx = make.tmp / (pdf.stem + ".docx")
                    write_docx(d, docx, f"{JS_DEPT}{JS_YEAR}年度部门预算公开（虚构测试数据）")
                make(docx, pdf)
        finally:
            make.close()
    for name, (data, T) in yamls.items():
        if T is not None and (out / f"{name}.pdf").exists():
            data["pdf_pages"] = pdf_pages(out / f"{name}.pdf", T)
        dump_yaml(data, out / f"{name}.expected.yaml", HEADER)
    # the 决算 documents embed their own font subset, so the PDFs above do not change with them
    build_final(out, not args.no_pdf)
    print("built:", ", ".join(sorted(p.name for p in out.iterdir() if p.is_file() and p.suffix != ".py")))


if __name__ == "__main__":
    sys.exit(main())
