"""A 科目 named in the text by its levels, against its table row. The
sentences are as printed in the Shanghai and Jiangsu disclosures."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from yusuan.audit import audit_with_ledger
from yusuan.explain.statements import Statement
from yusuan.explain.subjects import heading_class, subject
from yusuan.read import read_parts

LAYOUTS = Path(__file__).parent / "data" / "layouts"


def _statement(text: str) -> Statement:
    m = re.search(r"(\d+(?:,\d{3})*(?:\.\d+)?)\s*(万元|元)", text)
    return Statement(None, 0, "", Decimal(m.group(1).replace(",", "")), m.group(2), m.end(), text, text[: m.end()])


@pytest.mark.parametrize("text, names, codes", [
    ("4.“一般公共服务支出（类）商贸事务（款）其他商贸事务支出（项）”476.50万元，主要用于",
     {"l1": "一般公共服务支出", "l2": "商贸事务", "l3": "其他商贸事务支出"}, {}),
    ("1.“一般公共服务支出-政府办公厅（室）及相关机构事务-行政运行”科目1,202.95万元",
     {"l1": "一般公共服务支出", "l2": "政府办公厅（室）及相关机构事务", "l3": "行政运行"}, {}),
    ("公共安全支出（204类）司法（06款）基层司法业务（01项）120.50万元",
     {"l1": "公共安全支出", "l2": "司法", "l3": "基层司法业务"}, {"l1": "204", "l2": "06", "l3": "01"}),
    # the 类 comes from the heading line above: （一）公共安全（类）
    ("2．法院（款）一般行政事务管理（项）支出 6432.89 万元，与上年相比增加 450 万元",
     {"l1": "公共安全", "l2": "法院", "l3": "一般行政事务管理"}, {}),
    ("1．公共安全（类）支出 23513.11 万元，主要用于人员支出", {"l1": "公共安全"}, {}),
])
def test_subject_levels_as_printed(text, names, codes):
    sub = subject(_statement(text), l1="公共安全")
    assert sub is not None and sub.names == names and sub.codes == codes


@pytest.mark.parametrize("text", [
    "其中：一般公共预算收入7272.94万元",
    "2023年当年预算执行数为60.13万元",
    "比2023年预算减少876.75万元",
])
def test_not_a_subject(text):
    assert subject(_statement(text)) is None


def test_heading_names_the_class_for_the_lines_below():
    assert heading_class("（一）公共安全（类）") == "公共安全"
    assert heading_class("（二）社会保障和就业支出（类）") == "社会保障和就业支出"
    assert heading_class("1．法院（款）行政运行（项）支出 11786.92 万元") is None


def _errors(d):
    findings, _ = audit_with_ledger(d)
    return [f for f in findings if f.severity == "error"]


def test_each_item_checked_against_its_row_quiet_then_firing():
    """sh-dept-2025 lists 30 项 with their amounts in 万元 over tables in 元:
    all agree; one stated 0.01 万元 off is found, at the statement."""
    d = read_parts([str(LAYOUTS / "sh-dept-2025.txt")])
    assert _errors(d) == []
    para = next(p for s in d.explanation.sections for p in s.paragraphs if "行政运行（项）”652.34万元" in p.text)
    para.text = para.text.replace("652.34万元", "652.35万元")
    t02 = [f for f in _errors(d) if f.rule == "T02"]
    assert [(f.code, f.item, f.section) for f in t02] == [("2070101", "行政运行", "2025年部门预算编制说明")]
    assert "652.35万元" in t02[0].message and "652.34" in t02[0].message
