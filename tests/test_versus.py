"""A 决算 checked against the budget of the same department and year (X12,
X13). The 决算 is the fictional tests/data/layouts/sh-final-2024.docx; its
budget is compiled from the line items in tests/data/versus/sh-budget-2024,
written as a DOCX and read back, with two planted differences (see its
disclosure.yaml): 2060102 budgeted 125.00万元 where the 决算 states 年初预算
120.00万元, and 公务接待费 1.80万元 where the 决算's 三公 table says 1.50."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from yusuan.audit import audit_with_ledger
from yusuan.audit.versus import pair_budgets
from yusuan.cli import app
from yusuan.compile.build import compile_dir
from yusuan.read import read
from yusuan.write.render import render

DATA = Path(__file__).parent / "data"
FINAL = DATA / "layouts" / "sh-final-2024.docx"


@pytest.fixture(scope="module")
def budget_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("versus") / "示例区科委-2024-部门预算.docx"
    path.write_bytes(render(compile_dir(DATA / "versus" / "sh-budget-2024").disclosure, "docx"))
    return path


@pytest.fixture(scope="module")
def pair(budget_file):
    return read(budget_file), read(FINAL)


def _versus(findings):
    return sorted((f.rule, f.code or f.item or "", f.message) for f in findings if f.rule in ("X12", "X13"))


def test_pairs_a_final_with_its_budget(pair, budget_file):
    budget, final = pair
    assert (budget.kind, final.kind, budget.year, final.year) == ("budget", "final_accounts", 2024, 2024)
    assert pair_budgets([(str(budget_file), budget), ("f.docx", final)]) == {"f.docx": (str(budget_file), budget)}
    other_year = budget.model_copy(update={"year": 2023})
    assert pair_budgets([("b.docx", other_year), ("f.docx", final)]) == {}


def test_planted_differences_found_pointing_at_both(pair, budget_file):
    budget, final = pair
    findings, ledger = audit_with_ledger(final, budget=(str(budget_file), budget))
    got = _versus(findings)
    assert [(r, w) for r, w, _ in got] == [("X12", ""), ("X12", "2060102"), ("X13", "“三公”经费合计"), ("X13", "公务接待费")]
    total, item, three, reception = (m for _, _, m in got)
    assert "3652.31万元" in total and "3657.31万元" in total
    assert "120.00万元" in item and "125.00万元" in item and "-5.00万元" in item
    assert "1.50万元" in reception and "1.80万元" in reception
    assert "32.70万元" in three and "33.00万元" in three
    x12 = next(f for f in findings if f.rule == "X12" and f.code == "2060102")
    assert x12.section and x12.section.startswith("五、") and x12.paragraph is not None
    assert str(budget_file) in x12.against and "2060102" in x12.against
    assert {e.rule: e.status for e in ledger}["X12"] == "ran"


def test_quiet_when_the_budget_says_what_the_final_states(pair, budget_file):
    budget, final = pair
    fixed = budget.model_copy(deep=True)
    g, tp = fixed.tables["general_expenditure"], fixed.tables["three_public"]
    per_wan = {"万元": Decimal(1), "元": Decimal(10000)}
    for r in g.rows:
        if r.code in ("206", "20601", "2060102") or r.name.strip() in ("合计", "总计"):
            r.amounts["total"] -= Decimal("5.00") * per_wan[fixed.unit_of(g)]
    for r in tp.rows:
        if "接待" in r.name or "小计" in r.name or "合计" in r.name:
            r.amounts["total"] -= Decimal("0.30") * per_wan[fixed.unit_of(tp)]
    findings, _ = audit_with_ledger(final, budget=(str(budget_file), fixed))
    assert _versus(findings) == []


def test_without_its_budget_the_rules_could_not_run(pair):
    budget, final = pair
    status = {e.rule: e for e in audit_with_ledger(final)[1]}
    assert status["X12"].status == "could_not_run" and "部门预算" in status["X12"].reason
    assert {e.rule: e.status for e in audit_with_ledger(budget)[1]}["X13"] == "not_applicable"


def test_cli_checks_the_final_against_the_budget_given_with_it(budget_file):
    result = CliRunner().invoke(app, ["check", str(budget_file), str(FINAL), "--format", "json"])
    assert result.exit_code == 1, result.output
    reports = json.loads(result.output)
    final = next(r for r in reports if r["file"] == str(FINAL))
    assert sorted(f["rule"] for f in final["findings"] if f["rule"] in ("X12", "X13")) == ["X12", "X12", "X13", "X13"]
