"""The real disclosures in ../shared/corpus (skipped when absent), against
values written by hand from their pages (tests/corpus/expected/*.yaml)."""

import re
from decimal import Decimal

import pytest
from corpus_check import CORPUS, compare, expectations, files_of

from yusuan.audit import audit_with_ledger
from yusuan.read import read_parts

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not here")

NOT_YET: set[str] = set()
# Codes printed wrong on the page (the welfare home prints 类 "7" for 210).
CODE_FAULTS = {("sh-pt-welfarehome-2024-unit-budget", "expenditure"), ("sh-pt-welfarehome-2024-unit-budget", "general_expenditure")}

CASES = [e for e in expectations() if e["_name"] not in NOT_YET]


@pytest.fixture(scope="module", params=CASES, ids=[e["_name"] for e in CASES])
def case(request):
    exp = request.param
    return exp, read_parts([str(p) for p in files_of(exp)])


def test_profile_scope_year_department(case):
    exp, d = case
    assert compare(exp, d)["meta"] == []


def test_every_table_found_with_every_code(case):
    exp, d = case
    result = compare(exp, d)
    assert result["tables"] == []
    assert result["rows"] == []
    assert [c for c in result["codes"] if (exp["_name"], c[0]) not in CODE_FAULTS] == []


def test_amounts_on_the_page(case):
    """At least 90 % of the amounts written from the page are found in their
    table, row and column (the rest: 三公 items named differently, listed)."""
    exp, d = case
    wanted = [a for a in exp["amounts"] if not a.get("text")]
    missing = compare(exp, d)["amounts"]
    if exp.get("template"):
        # a blank form prints no amount: none may be read from it
        assert wanted == [] and not any(v is not None for t in d.all_tables() for r in t.rows for v in r.amounts.values())
        return
    assert len(wanted) >= 30
    assert len(missing) <= len(wanted) // 10, missing


def test_no_error_but_confirmed_faults(case):
    """Errors only where the page shows the fault (the welfare home's codes)."""
    exp, d = case
    findings, ledger = audit_with_ledger(d)
    # the inspector's text checks are held to their own list (test below)
    errors = [f for f in findings if f.severity == "error" and f.rule[0] != "W"]
    if exp["_name"] == "sh-pt-welfarehome-2024-unit-budget":
        # p9/p11 print 类 "7" for 210 and p14 numbers the 302 款 01–13 in order
        assert {f.rule for f in errors} <= {"K02", "K03", "X01", "X03", "X05", "X09", "T02"}
        assert any(f.rule == "K02" and f.code == "0071102" for f in errors)
        # p6 states 社会福利事业单位（项）738.66万元; p11 prints 2081005 at 6,964,796 元
        assert [(f.code, f.page) for f in errors if f.rule == "T02"] == [("2081005", 6)]
    elif exp.get("template"):
        # a blank form is one C16 note; its instructions are not findings
        assert [f.rule for f in findings if f.severity != "info"] == []
        assert [f.rule for f in findings if f.rule == "C16"] == ["C16"]
    elif "confirmed_errors" in exp:
        got = sorted((f.rule, f.code or f.item, f.page) for f in errors)
        assert got == sorted((r, str(w), p) for r, w, p in exp["confirmed_errors"]), [f.message for f in errors]
    elif exp["_name"] in ("js-npc-2019", "js-court-2017"):
        # npc p10, court p15: the empty 政府性基金 table carries no note
        assert [f.rule for f in errors] == ["C04"]
    else:
        assert errors == [], [f.message for f in errors]
    # a rule that could not run lacked data; none met data it could not handle
    assert [e for e in ledger if e.status == "could_not_run" and re.match(r"^\w+(Error|Exception):", e.reason)] == []


def test_wording_findings_are_the_ones_confirmed_on_the_page(case):
    """The inspector's text checks (W01–W20) report, of any severity, exactly
    the faults a person confirmed on the page: `wording` in the expected file,
    [rule, page, words of the sentence quoted]."""
    exp, d = case
    findings, _ = audit_with_ledger(d)
    got = sorted(((f.rule, f.page or 0), f.quote or f.message) for f in findings if f.rule[0] == "W")
    want = sorted(((r, p or 0), words) for r, p, words in exp.get("wording") or [])
    assert [k for k, _ in got] == [k for k, _ in want], [f"{k} {q}" for k, q in got]
    unmatched = [w for w in want if not any(k == w[0] and w[1] in q for k, q in got)]
    assert unmatched == [], [f"{k} {q}" for k, q in got]


def test_court_2017_department_from_numbered_table_titles():
    """No 部门： line anywhere: the name comes from the numbered titles
    (一、2017年度江苏省高级人民法院部门收支预算总表), which are not sections."""
    d = read_parts([str(CORPUS / "js-court-2017-text.pdf")])
    assert d.department.name == "江苏省高级人民法院"
    assert not any(s.heading.endswith("预算总表") for s in d.explanation.sections)
    names = [r.name for r in d.tables["income_sources"].rows]
    # 项目名称 merged over two columns: group lines and their items
    assert names[:4] == ["收入总计", "一般公共预算资金", "公共财政拨款(补助)资金", "专项收入"]
    assert "事业收入" in names and len(names) == 15


def test_shanghai_project_forms_one_project_each():
    """wanli 2023 pp31-35: five 财政项目支出绩效目标填报表 (p33's title printed
    above its grid, which continues p32's on the page before)."""
    d = read_parts([str(CORPUS / "sh-pt-wanli-2023-dept-budget.pdf")])
    got = [(p.name, p.budget, p.unit, p.source.page) for p in d.projects]
    assert got == [("新建万里街道社区公共服务中心", Decimal("4100000.00"), "元", 31),
                   ("就业援助基地补贴", Decimal("6351000.00"), "元", 32),
                   ("社区环境整治和建设经费", Decimal("4563800.00"), "元", 33),
                   ("各类工作经费", Decimal("7595500.00"), "元", 34),
                   ("公共服务设施运行经费", Decimal("10903043.00"), "元", 35)]
    p33 = d.projects[2]
    assert [(i.level1, i.level2, i.level3, i.target) for i in p33.indicators][0] == (
        "产出指标", "数量指标", "整治行动、病媒消杀", "≥12.00(次)")
    assert d.unread == []


def test_final_accounts_read_as_their_form_with_the_faults_on_the_page():
    """planning 2024 决算: nine tables of the 决算 form, its units listed
    under 部门决算单位构成 (its errors: confirmed_errors in the expected file)."""
    d = read_parts([str(CORPUS / "sh-pt-planning-2024-dept-final.pdf")])
    assert (d.kind, d.profile, d.year, d.department.name) == ("final_accounts", "shanghai_final", 2024,
                                                             "上海市普陀区规划和自然资源局")
    assert len(d.tables) == 9
    basic = d.tables["final_general_basic"]
    assert [r.code for r in basic.rows][:2] == ["301", "30101"] and any(r.code == "30201" for r in basic.rows)
    tp = next(r for r in d.tables["final_three_public"].rows if r.name == "公务接待费")
    assert (tp.amounts["budget"], tp.amounts["total"]) == (Decimal("2.85"), Decimal("0.39"))
    assert [i.name for i in d.institutions][:2] == ["上海市普陀区规划和自然资源局（本级）",
                                                    "上海市普陀区规划和自然资源局执法大队（下属参公事业单位）"]
    assert len(d.institutions) == 5
