"""`yusuan check` and `yusuan rules` as a reviewer runs them."""

import json

from conftest import EXAMPLES, cli

from yusuan.audit import rules


run = cli


J, G = EXAMPLES / "jinzhou-2026.txt", EXAMPLES / "gaoyang-2023.docx"


def test_exit_1_on_errors_0_without():
    r = run("check", J)
    assert r.exit_code == 1, r.stderr
    assert "T05" in r.stdout and "四、财政拨款“三公”经费预算情况及增减变化原因" in r.stdout
    assert r.stdout.strip().splitlines()[-1].startswith(f"{J}：错误 3，警告 4，提示 1 — 晋州市医疗保障局 2026")
    r = run("check", G)
    assert r.exit_code == 0, r.stderr
    assert r.stdout.strip().splitlines()[-1].startswith(f"{G}：错误 0，警告 6，提示 3 — 高阳县医疗保障局 2023")


def test_json_one_file_is_an_object_several_an_array():
    r = run("check", J, "--format", "json")
    assert r.exit_code == 1
    data = json.loads(r.stdout)
    assert (data["file"], data["department"], data["year"]) == (str(J), "晋州市医疗保障局", 2026)
    assert len(data["findings"]) == 8
    first = data["findings"][0]
    assert set(first) >= {"rule", "severity", "message", "table", "code", "item", "column", "section", "page"}
    assert first["rule"] == "T05" and first["page"] is None and first["section"].startswith("四、")
    r = run("check", J, G, "-f", "json")
    data = json.loads(r.stdout)
    assert [d["year"] for d in data] == [2026, 2023]
    assert [len(d["findings"]) for d in data] == [8, 9]


def test_min_severity_filters():
    data = json.loads(run("check", J, G, "-f", "json", "--min-severity", "warning").stdout)
    assert [len(d["findings"]) for d in data] == [7, 6]
    data = json.loads(run("check", G, "-f", "json", "--min-severity", "error").stdout)
    assert data["findings"] == []


def test_markdown_report(tmp_path):
    out = tmp_path / "report.md"
    r = run("check", J, "-f", "md", "-o", out)
    assert r.exit_code == 1
    md = out.read_text(encoding="utf-8")
    assert md.startswith("# 部门预算公开审核报告")
    assert "## 晋州市医疗保障局 2026年" in md
    assert "错误 3 项，警告 4 项，提示 1 项。" in md
    assert "| 错误 | T05 三公经费说明与三公表不符 |" in md


def test_unreadable_file_exits_2_but_others_are_checked(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_text("")
    r = run("check", bad, G, "-f", "json")
    assert r.exit_code == 2
    assert r.stderr.strip() == f"yusuan: {bad}: 文件是空的"
    assert json.loads(r.stdout)["year"] == 2023
    assert "Traceback" not in r.stderr


def test_bad_tolerance_exits_2():
    r = run("check", J, "--tolerance", "abc")
    assert r.exit_code == 2
    assert r.stderr.strip() == "yusuan: --tolerance: 'abc' 不是非负数"


def test_rules_lists_every_rule():
    r = run("rules", "--format", "json")
    assert r.exit_code == 0
    listed = json.loads(r.stdout)
    assert [x["id"] for x in listed] == list(rules())
    assert {x["severity"] for x in listed} == {"error", "warning", "info"}
    text = run("rules").stdout
    assert "T05" in text and "三公经费说明与三公表不符" in text
