"""A finding's expected value: what should be there, as printed. It is data
beside the message (which keeps its words), so `check` reads as before and a
review copy's comment can end with it."""

import json
from functools import cache
from pathlib import Path

from yusuan.annotate.places import comment_text
from yusuan.audit import audit_with_ledger
from yusuan.audit.finding import Finding
from yusuan.audit.report import FileReport, to_json
from yusuan.model import About
from yusuan.read import read

ROOT = Path(__file__).resolve().parent.parent


@cache
def _findings(name: str) -> list[Finding]:
    return audit_with_ledger(read(ROOT / name))[0]


def test_a_sum_expects_the_parts_as_printed():
    # 20607 prints 487.57; its 项 print 176.33 + 214.75 + 96.50
    a01 = [f for f in _findings("tests/data/layouts/sh-final-2024-faults.docx") if f.rule == "A01"]
    assert {(f.column, f.expected) for f in a01} >= {("total", "487.58")}


def test_text_and_numbering_expect_the_table_and_the_sequence():
    found = _findings("examples/jinzhou-2026.docx")
    assert {f.expected for f in found if f.rule == "T05"} == {"10.18"}
    assert [f.expected for f in found if f.rule == "F04"] == ["六、"]


def test_comment_states_it_and_leaves_the_rest_as_it_was():
    f = Finding(rule="A01", severity="error", message="m")
    assert comment_text(f).endswith("] m")
    assert comment_text(f.model_copy(update={"expected": "1.00"})).endswith("] m；应为 1.00")


def test_json_names_it_only_when_there_is_one():
    found = _findings("examples/jinzhou-2026.docx")
    d = read(ROOT / "examples/jinzhou-2026.docx")
    out = json.loads(to_json([FileReport(file="j", about=About.of(d), findings=found, ledger=[])]))
    by_rule = {f["rule"]: f for f in out["findings"]}
    assert by_rule["F04"]["expected"] == "六、"
    assert "expected" not in by_rule["T10"]
