"""What a new user sees in a terminal: 80 columns, Chinese words, folders,
--version, counts that say what --min-severity hid."""

import json
import os
import re
import shutil
import subprocess
import sys

import pytest
from conftest import EXAMPLES, cli
from rich.cells import cell_len

from yusuan.wrapping import wrap

J, G = EXAMPLES / "jinzhou-2026.txt", EXAMPLES / "gaoyang-2023.docx"
NARROW = {"COLUMNS": "80"}


def test_wrap_breaks_words_never_amounts_or_codes():
    text = "部门预算财政拨款“三公”经费支出表 “三公”经费小计 合计为 7,272.94，相差 -10.18，科目2101501行政运行"
    for width in range(12, 60):
        lines = wrap(text, width)
        assert all(cell_len(line) <= width for line in lines), width
        joined = "\n".join(lines)
        for whole in ("7,272.94，", "-10.18，", "2101501"):
            assert whole in joined, (width, lines)
        assert not any(line.startswith(("，", "。", "）", "」")) for line in lines)


def test_check_at_80_columns_keeps_every_amount_whole():
    r = cli("check", J, env=NARROW)
    assert r.exit_code == 1
    lines = r.stdout.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    # the first T05 finding of 晋州, wrapped under its message, not under its label
    first = lines.index("    错误 T05 「财政拨款“三公”经费预算情况及增减变化原因」称「我部门财政拨款“三")
    assert lines[first + 1:first + 3] == [  # wrapped under the message, not under its label
        "             公”经费预算安排0万元」，部门预算财政拨款“三公”经费支出表 “三公”经费",
        "             小计 合计为 10.18，相差 -10.18 （第1段，行 1384）"]
    assert sum("合计为 10.18，相差 -10.18" in line for line in lines) == 2


def test_show_at_80_columns_keeps_every_amount_whole():
    r = cli("show", EXAMPLES / "jinzhou-2026.docx", "general_basic", env=NARROW)
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    row = next(line for line in lines if "合计" in line and "587.92" in line)
    assert row.split()[-3:] == ["587.92", "541.46", "46.46"]
    r = cli("show", EXAMPLES / "jinzhou-2026.docx", "summary", env=NARROW)
    assert re.search(r"一、一般公共预算拨款收\s+7272\.94\s", r.stdout)


def test_show_explanation_wraps_text_not_numbers(jinzhou):
    r = cli("show", EXAMPLES / "jinzhou-2026.docx", "explanation", env=NARROW)
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    amounts = {a for s in jinzhou.explanation.sections for p in s.paragraphs for a in re.findall(r"\d+\.\d+", p.text)}
    assert len(amounts) > 8
    for amount in amounts:  # each whole on one line
        assert any(re.search(rf"(?<![\d.]){re.escape(amount)}(?![\d.])", line) for line in lines), amount


def test_min_severity_says_what_it_hid():
    r = cli("check", G, "--min-severity", "warning")
    summary = r.stdout.strip().splitlines()[-1]
    assert summary.startswith(f"{G}：错误 0，警告 6 — 高阳县医疗保障局 2023（未显示：提示 3）")
    r = cli("check", G, "--min-severity", "error")
    assert r.stdout.strip().splitlines()[-1].startswith(f"{G}：错误 0 — 高阳县医疗保障局 2023（未显示：警告 6，提示 3）")


def test_version():
    r = cli("--version")
    assert r.exit_code == 0 and re.fullmatch(r"yusuan \d+\.\d+\.\d+\S*\n", r.stdout)


def test_check_takes_a_folder_recursively(tmp_path):
    (tmp_path / "2026" / "county").mkdir(parents=True)
    shutil.copy(J, tmp_path / "2026" / "county" / "晋州.txt")
    shutil.copy(G, tmp_path / "高阳.DOCX")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG")  # not a disclosure format: passed over
    (tmp_path / "~$高阳.docx").write_bytes(b"lock")  # Word's lock file: passed over
    r = cli("check", tmp_path, "-f", "json")
    assert r.exit_code == 1, r.stderr  # 晋州 has errors; nothing unreadable
    data = json.loads(r.stdout)
    assert [(d["department"], d["year"]) for d in data] == [("晋州市医疗保障局", 2026), ("高阳县医疗保障局", 2023)]
    empty = tmp_path / "empty"
    empty.mkdir()
    r = cli("check", empty, G)
    assert r.exit_code == 2
    assert r.stderr.strip().startswith(f"yusuan: {empty}: 文件夹中没有可读取的公开文件")


def test_parse_several_files_gives_an_array(tmp_path):
    r = cli("parse", J, G)
    assert r.exit_code == 0
    assert [d["department"]["name"] for d in json.loads(r.stdout)] == ["晋州市医疗保障局", "高阳县医疗保障局"]
    assert len(r.stderr.strip().splitlines()) == 2  # one reading summary per file


def test_render_says_what_it_wrote(tmp_path):
    out = tmp_path / "j.html"
    r = cli("render", J, "-o", out)
    assert r.exit_code == 0
    assert r.stderr.strip() == f"yusuan: 已写入 {out}（{out.stat().st_size / 1024:.1f} KB）"


def test_help_is_chinese_with_readable_argument_names():
    r = cli("check", "--help")
    assert "审核公开文件" in r.stdout and "文件或文件夹" in r.stdout and "选项" in r.stdout
    assert "list[Path]" not in r.stdout and "<str>" not in r.stdout


def test_help_in_english_by_a_setting():
    # the words are chosen when the command line is built: a fresh process
    env = {**os.environ, "YUSUAN_LANG": "en", "COLUMNS": "200"}
    r = subprocess.run([sys.executable, "-m", "yusuan", "check", "--help"], capture_output=True, text=True, env=env)
    assert "Audit disclosures" in r.stdout and "FILE_OR_FOLDER" in r.stdout and "list[Path]" not in r.stdout


def test_a_wide_table_prints_in_parts_with_names_and_indentation():
    r = cli("show", EXAMPLES / "gaoyang-2023.txt", "expenditure", env=NARROW)
    lines = r.stdout.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    assert any(line.startswith("部门预算支出总表（1/2）") for line in lines)
    assert any(line.startswith("部门预算支出总表（2/2）") for line in lines)
    # 类, 款 and 项 indented under each other, each amount whole
    kind = next(line for line in lines if "社会保障和就业支出" in line and "21.80" in line)
    kuan = next(line for line in lines if "行政事业单位养老支出" in line)
    xiang = next(line for line in lines if "机关事业单位基本养老" in line)
    assert kind.index("社会") < kuan.index("行政") < xiang.index("机关")
    assert kuan.split()[-2:] == ["19.80", "19.80"]


def test_parse_several_files_into_one_cell_list(tmp_path):
    out = tmp_path / "cells.csv"
    r = cli("parse", J, G, "-f", "cells", "-o", out)
    assert r.exit_code == 0, r.stderr
    import csv
    import io

    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert rows[0][:4] == ["department", "year", "kind", "unit"]
    assert sum(r == rows[0] for r in rows) == 1  # one header for the stacked lists
    assert {(r[0], r[1]) for r in rows[1:]} == {("晋州市医疗保障局", "2026"), ("高阳县医疗保障局", "2023")}


@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice (scripts/install-system-deps)")
def test_check_a_folder_with_a_word_97_file(tmp_path):
    """A .doc as departments still publish it, made here from the bundled DOCX."""
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(G, src / "高阳.docx")
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "doc",
                    "--outdir", str(tmp_path / "site"), str(src / "高阳.docx")], capture_output=True, timeout=120, check=True)
    r = cli("check", tmp_path / "site", "-f", "json")
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert (data["file"].endswith("高阳.doc"), data["department"], data["year"]) == (True, "高阳县医疗保障局", 2023)
    assert sorted(p.name for p in (tmp_path / "site").iterdir()) == ["高阳.doc"]  # nothing written beside it
