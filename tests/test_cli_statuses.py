"""Exit statuses that mean one thing, and a terminal the document cannot
take over: 0 clean, 1 error-level findings, 2 unreadable input, 3 a fault
of yusuan's own (one line and a crash record, never a traceback)."""

import json

import pytest
from conftest import EXAMPLES, cli

from yusuan.read import read
from yusuan.wrapping import printable

J = EXAMPLES / "jinzhou-2026.txt"


@pytest.fixture
def crashes(tmp_path, monkeypatch):
    folder = tmp_path / "crashes"
    monkeypatch.setenv("YUSUAN_CRASH_DIR", str(folder))
    monkeypatch.delenv("YUSUAN_DEBUG", raising=False)
    return folder


def _boom(*args, **kwargs):
    raise IndexError("list index out of range")


def test_a_fault_in_a_rule_is_status_3_with_one_line_and_a_record(crashes, monkeypatch, tmp_path):
    import yusuan.audit.batch

    monkeypatch.setattr(yusuan.audit.batch, "audit_with_ledger", _boom)
    r = cli("check", J, EXAMPLES / "gaoyang-2023.docx")
    assert r.exit_code == 3
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 2 and "Traceback" not in r.output
    assert lines[0].startswith(f"yusuan: {J}: 内部错误（IndexError），不是文件的问题；完整记录已写入 {crashes}")
    records = [p.read_text(encoding="utf-8") for p in crashes.iterdir()]
    assert len(records) == 2  # one per document that met the fault
    text = next(t for t in records if f"checking {J}" in t)
    assert "Traceback (most recent call last)" in text and "IndexError: list index out of range" in text


def test_a_fault_in_a_reader_is_status_3_and_the_other_files_are_checked(crashes, monkeypatch):
    import yusuan.read as reader

    real = reader.read_bytes

    def fragile(data, name=""):
        if name.endswith(".txt"):
            raise ValueError("negative seek value -2598")
        return real(data, name)

    monkeypatch.setattr(reader, "read_bytes", fragile)
    r = cli("check", J, EXAMPLES / "gaoyang-2023.docx", "-f", "json")
    assert r.exit_code == 3
    assert json.loads(r.stdout)["department"] == "高阳县医疗保障局"
    assert "内部错误（ValueError）" in r.stderr and "negative seek" not in r.stderr


def test_a_fault_in_any_command_is_status_3(crashes, monkeypatch, tmp_path):
    import yusuan.write.render

    monkeypatch.setattr(yusuan.write.render, "render", _boom)
    r = cli("render", J, "-o", tmp_path / "j.docx")
    assert r.exit_code == 3 and r.stderr.startswith("yusuan: 内部错误（IndexError）")
    assert not (tmp_path / "j.docx").exists()


def test_printable_shows_control_characters_instead_of_obeying_them():
    assert printable("红\x1b[31m字\x07") == "红\\x1b[31m字\\x07"
    assert printable("a\u202eb\tc\nd") == "a\\u202eb\tc\nd"


def test_markup_and_escape_codes_in_a_document_reach_the_terminal_as_text(tmp_path):
    d = read(J)
    d.department.name = "晋州[/]医保局[bold red]"
    d.tables["general_basic"].rows[1].name = "工资[/]福利\x1b[2J"
    path = tmp_path / "hostile.json"
    path.write_text(d.to_json(), encoding="utf-8")
    for args in (("show", path, "general_basic"), ("check", path)):
        r = cli(*args)
        assert r.exit_code in (0, 1), r.output
        assert "\x1b" not in r.stdout
        assert "晋州[/]医保局[bold red]" in r.stdout
    r = cli("show", path, "general_basic")
    assert "工资[/]福利\\x1b[2J" in r.stdout


def test_numbering_past_ninety_nine():
    from yusuan.numerals import chinese_numeral

    assert [chinese_numeral(n) for n in (1, 10, 12, 21, 99, 100, 101, 110, 120)] == [
        "一", "十", "十二", "二十一", "九十九", "一百", "一百零一", "一百一十", "一百二十"]


def test_a_document_with_more_than_a_hundred_sections_is_checked(tmp_path):
    """F04 compares each section's numbering with the Chinese numeral of its
    place; past 九十九 that used to be an IndexError."""
    from yusuan.model import Paragraph, Section

    d = read(J)
    d.explanation.sections += [Section(key=None, numbering=f"{n}、", heading=f"其他说明{n}",
                                       paragraphs=[Paragraph(text="无。")]) for n in range(11, 131)]
    path = tmp_path / "long.json"
    path.write_text(d.to_json(), encoding="utf-8")
    r = cli("check", path, "-f", "json")
    assert r.exit_code == 1, r.stderr
    f04 = [f for f in json.loads(r.stdout)["findings"] if f["rule"] == "F04"]
    assert any("应为「一百二十、」" in f["message"] for f in f04)


@pytest.mark.parametrize("args", [("render", "{in}", "-o", "{in}"), ("render", "{in}", "-o", "./{in}", "--force"),
                                  ("parse", "{in}", "-o", "{in}"), ("check", "{in}", "-o", "{in}"),
                                  ("check", ".", "-o", "{in}", "--force")])
@pytest.mark.parametrize("source", [J, EXAMPLES / "jinzhou-2026.docx"])
def test_an_output_never_replaces_an_input(args, source, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    name = "in" + source.suffix
    (tmp_path / name).write_bytes(source.read_bytes())
    r = cli(*(a.format(**{"in": name}) for a in args))
    assert r.exit_code == 2
    if args[0] == "render" and source.suffix == ".txt":
        return  # refused for its suffix already: a .txt is no output format
    assert r.stderr.startswith("yusuan: 未写入 ") and "它就是输入文件" in r.stderr
    assert (tmp_path / name).read_bytes() == source.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # nothing half-written beside it


def test_an_existing_output_is_replaced_only_with_force(tmp_path):
    out = tmp_path / "report.md"
    out.write_text("我的批注", encoding="utf-8")
    r = cli("check", J, "-f", "md", "-o", out)
    assert r.exit_code == 2 and "请加 --force" in r.stderr
    assert out.read_text(encoding="utf-8") == "我的批注"
    r = cli("check", J, "-f", "md", "-o", out, "--force")
    assert r.exit_code == 1  # jinzhou has error-level findings; the report is written
    assert out.read_text(encoding="utf-8").startswith("# 部门预算公开审核报告")


def test_limits_are_listed_and_given_on_the_command_line(tmp_path):
    r = cli("limits")
    assert r.exit_code == 0
    assert any(line.split()[:3] == ["file_size", "200", "MB"] for line in r.stdout.splitlines())
    r = cli("--limit", "text_size=1KB", "check", J)
    assert r.exit_code == 2
    assert r.stderr.startswith(f"yusuan: {J}: ") and "--limit text_size=" in r.stderr
    r = cli("--limit", "nonsense=3", "check", J)
    assert r.exit_code == 2 and r.stderr.startswith("yusuan: --limit: 没有名为 nonsense 的限制")


def test_content_nested_a_thousand_deep_is_refused_not_a_crash(tmp_path):
    import io
    import zipfile

    src = zipfile.ZipFile(EXAMPLES / "gaoyang-2023.docx")
    xml = src.read("word/document.xml")
    at = xml.index(b"<w:body>") + len(b"<w:body>")
    n = 1000  # under lxml's own depth limit, over Python's stack
    nested = b"<w:sdt><w:sdtContent>" * n + b"<w:p><w:r><w:t>x</w:t></w:r></w:p>" + b"</w:sdtContent></w:sdt>" * n
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name in src.namelist():
            z.writestr(name, xml[:at] + nested + xml[at:] if name == "word/document.xml" else src.read(name))
    path = tmp_path / "deep.docx"
    path.write_bytes(out.getvalue())
    r = cli("check", path)
    assert r.exit_code == 2
    assert r.stderr.strip() == f"yusuan: {path}: 文件内容嵌套过深（上千层），不是真实的公开文件结构，无法读取"
