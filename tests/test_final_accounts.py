"""The final-accounts form (部门决算) from the small fictional documents in
tests/data/layouts (sh-final-2024: a Shanghai 决算 built by build.py --final;
the values in its expected.yaml are what was put in, not what a parser read).
These always run; the real 决算 are in test_corpus.py."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from yusuan.audit import audit_with_ledger
from yusuan.definitions import squash, table_defs
from yusuan.lookup import Lookup
from yusuan.read import read

LAYOUTS = Path(__file__).parent / "data" / "layouts"
EXP = yaml.safe_load((LAYOUTS / "sh-final-2024.expected.yaml").read_text(encoding="utf-8"))
FAULTS = yaml.safe_load((LAYOUTS / "sh-final-2024-faults.expected.yaml").read_text(encoding="utf-8"))


# A Tika text export prints a merged cell once, with nothing for the columns
# it covers: the 基本支出 table's 人员经费合计 | 1258.17 row and the fund
# tables' 合计 header line are not yet placed in their columns (reported as
# unread, never dropped). Known gap, kept visible here.
def _text_gap(d) -> None:
    if d.source_format == "text":
        pytest.xfail("Tika text: merged label cells of the 决算 tables not yet placed")


@pytest.fixture(scope="module", params=EXP["files"])
def final(request):
    return read(LAYOUTS / request.param)


def _table(d, budget_id: str):
    """The 决算 table that answers to a budget table id (the fixture names them so)."""
    return Lookup(d).table(budget_id)


def test_read_as_final_accounts(final):
    d = final
    _text_gap(d)
    assert (d.kind, d.profile, d.scope, d.year) == ("final_accounts", "shanghai_final", "department", 2024)
    assert squash(d.department.name) == "上海市示例区科学技术委员会"
    assert [i.name for i in d.institutions] == EXP["units"]
    assert d.unread == []


def test_every_table_code_and_amount_cell(final):
    d = final
    _text_gap(d)
    for budget_id, want in EXP["tables"].items():
        t = _table(d, budget_id)
        assert t is not None, budget_id
        assert table_defs()[t.id].kind == "final_accounts"
        assert d.unit_of(t) == "万元", budget_id
        assert [r.code for r in t.rows if r.code] == [str(c) for c in want.get("codes") or []], budget_id
        cells = sum(1 for r in t.rows for v in r.amounts.values() if v is not None)
        assert cells == want["amount_cells"], budget_id


def test_sampled_amounts(final):
    _text_gap(final)
    for sample in EXP["samples"]:
        assert _found(final, sample), sample


def _found(d, sample) -> bool:
    t = _table(d, sample["table"])
    value = Decimal(sample["value"])
    for r in t.rows:
        if sample.get("side") and r.side != sample["side"]:
            continue
        if sample.get("code") and r.code != sample["code"]:
            continue
        if not sample.get("code") and squash(sample["item"]) not in squash(r.name + r.texts.get("header", "")):
            continue
        if any(v == value and squash(sample["column"]) in squash("/".join(t.column(k).header)) for k, v in r.amounts.items()):
            return True
    return False


def test_sections_of_the_final_explanation(final):
    keys = [s.key for s in final.explanation.sections]
    for key in ("duties", "organisation", "overview", "final_income", "final_expenditure", "final_fiscal",
                "final_general", "final_basic", "three_public", "final_fund", "final_soe", "performance",
                "final_other", "glossary"):
        assert key in keys, key


def test_clean_fixture_has_no_table_error(final):
    _text_gap(final)
    findings, _ = audit_with_ledger(final)
    assert [f.message for f in findings if f.severity == "error" and f.rule[0] in "AX"] == []


def test_planted_table_faults_are_found():
    """F1: 项 2060701 prints 176.33 where its 款 20607 implies 176.32 (合计 and
    基本支出); F5: 公务用车运行维护费 决算数 4.82 breaks 小计 22.18 = 17.56 + 4.62."""
    d = read(LAYOUTS / "sh-final-2024-faults.docx")
    findings, _ = audit_with_ledger(d)
    table_errors = sorted((f.rule, f.code or f.item, f.column) for f in findings if f.severity == "error" and f.rule[0] == "A")
    assert ("A01", "20607", "total") in table_errors and ("A01", "20607", "basic") in table_errors
    f5 = [f for f in findings if f.rule == "A05"]
    assert len(f5) == 1 and "22.18" in f5[0].message and "22.38" in f5[0].message
    assert {f[0] for f in table_errors} == {"A01", "A05"}
