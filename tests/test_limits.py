"""Tiny hostile files that once took gigabytes and minutes (issue 13) end in
a ReadError naming the limit, within seconds and in bounded memory; real
documents read as before; raising a limit lets a file through.

The hostile files are read in one child process whose address space is
capped at 2 GB, so a regression fails here instead of swapping the machine.
"""

import io
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import zipfile
import zlib

import pytest
from conftest import EXAMPLES

from yusuan.read import read, read_bytes, read_parts
from yusuan.read import limits
from yusuan.read.errors import LimitExceeded, ReadError

XLSX = EXAMPLES.parent / "tests" / "data" / "legacy" / "jinzhou-2026.xlsx"
MEMORY = 2 << 30  # the child's address space
SECONDS = 2.0  # each refusal, in the child
PEAK_MB = 400  # the child's peak resident memory in any refusal


def _rezip(src: bytes, changes: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(src)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, changes.get(info.filename, zin.read(info)))
    return out.getvalue()


def _member(src: bytes, name: str) -> bytes:
    return zipfile.ZipFile(io.BytesIO(src)).read(name)


def _gridspan_docx() -> bytes:
    """The fuzzer's 58 KB DOCX: one cell spanning twenty million grid columns."""
    src = (EXAMPLES / "jinzhou-2026.docx").read_bytes()
    xml = re.sub(rb'<w:gridSpan w:val="\d+"/>', b'<w:gridSpan w:val="20000000"/>',
                 _member(src, "word/document.xml"), count=1)
    return _rezip(src, {"word/document.xml": xml})


def _sheet_changed(change) -> bytes:
    src = XLSX.read_bytes()
    return _rezip(src, {"xl/worksheets/sheet1.xml": change(_member(src, "xl/worksheets/sheet1.xml"))})


def _far_cell_xlsx() -> bytes:
    return _sheet_changed(lambda xml: xml.replace(
        b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'))


def _far_merge_xlsx() -> bytes:
    return _sheet_changed(lambda xml: re.sub(rb"<mergeCells[^>]*>", b'<mergeCells><mergeCell ref="A60:XFD1048576"/>',
                                             xml, count=1))


def _many_rows_xlsx(n: int = 250_000) -> bytes:
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (i, i, i) for i in range(1, n + 1))
    return _sheet_changed(lambda xml: re.sub(rb"<sheetData>.*</sheetData>", b"<sheetData>" + rows + b"</sheetData>",
                                             re.sub(rb"<mergeCells.*</mergeCells>", b"", xml, flags=re.S), flags=re.S))


def _zip(name: str, packed: bytes, size: int, crc: int, declared: int | None = None) -> bytes:
    """A one-part zip around an already deflated stream; `declared` is the
    size its headers claim (a lie, when it is not `size`)."""
    claimed = size if declared is None else declared
    n = name.encode()
    local = b"PK\x03\x04" + (20).to_bytes(2, "little") + bytes(2) + (8).to_bytes(2, "little") + bytes(4) \
        + crc.to_bytes(4, "little") + len(packed).to_bytes(4, "little") + claimed.to_bytes(4, "little") \
        + len(n).to_bytes(2, "little") + bytes(2) + n
    central = b"PK\x01\x02" + (20).to_bytes(2, "little") * 2 + bytes(2) + (8).to_bytes(2, "little") + bytes(4) \
        + crc.to_bytes(4, "little") + len(packed).to_bytes(4, "little") + claimed.to_bytes(4, "little") \
        + len(n).to_bytes(2, "little") + bytes(16) + n
    start = len(local) + len(packed)
    end = b"PK\x05\x06" + bytes(4) + (1).to_bytes(2, "little") * 2 + len(central).to_bytes(4, "little") \
        + start.to_bytes(4, "little") + bytes(2)
    return local + packed + central + end


def _zip_bomb(declared: int | None = None) -> bytes:
    """A DOCX whose document.xml inflates to 1 GB of zeros: 4 MB of zeros
    compressed once, the compressed block repeated (a full flush makes
    each block stand alone)."""
    zeros = bytes(4 << 20)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    c.compress(zeros)
    first = c.flush(zlib.Z_FULL_FLUSH)
    block = c.compress(zeros) + c.flush(zlib.Z_FULL_FLUSH)
    packed = first + block * 255 + c.flush()
    crc = zlib.crc32(zeros)  # not the whole part's: a reader must stop long before it could tell
    return _zip("word/document.xml", packed, 256 * len(zeros), crc, declared)


def _yaml_bomb_folder(tmp) -> str:
    folder = tmp / "bomb"
    shutil.copytree(EXAMPLES / "compile-example", folder)
    anchors = ['  - &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    anchors += [f"  - &{b} [" + ",".join([f"*{a}"] * 9) + "]" for a, b in zip("abcdefgh", "bcdefghi")]
    path = folder / "disclosure.yaml"
    text = re.sub(r"duties:\n(  - .*\n)+", "duties:\n" + "\n".join(anchors) + "\n", path.read_text(encoding="utf-8"))
    path.write_text(text, encoding="utf-8")
    assert len("\n".join(anchors)) < 1024
    return str(folder)


# The child's peak memory per file: Linux's high-water mark of the process's
# own pages (reset before each file; ru_maxrss would count the parent's
# pages at the fork).
_CHILD = r"""
import json, resource, sys, time
from yusuan.read import read
from yusuan.read.errors import LimitExceeded, ReadError
from yusuan.compile import CompileError, compile_dir
from pathlib import Path

def peak_mb():
    try:
        with open("/proc/self/status") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("VmHWM")) // 1024
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024

for path in sys.argv[1:]:
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass
    start = time.perf_counter()
    out = {"path": path}
    try:
        compile_dir(Path(path)) if path.endswith("bomb") else read(path)
        out["outcome"] = "read"
    except LimitExceeded as exc:
        out.update(outcome="limit", name=exc.name, message=str(exc))
    except (ReadError, CompileError) as exc:
        out.update(outcome="refused", message=str(exc))
    except MemoryError:
        out["outcome"] = "MemoryError"
    out["seconds"] = time.perf_counter() - start
    out["peak_mb"] = peak_mb()
    print(json.dumps(out, ensure_ascii=False), flush=True)
"""


def _cap():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


# name → (how to make it, the limit that refuses it; None: refused as damaged or by any limit)
HOSTILE = {
    "gridspan.docx": (_gridspan_docx, "table_columns"),
    "far-cell.xlsx": (_far_cell_xlsx, "document_cells"),
    "far-merge.xlsx": (_far_merge_xlsx, "document_cells"),
    "many-rows.xlsx": (_many_rows_xlsx, "document_cells"),
    "bomb.docx": (_zip_bomb, "zip_member_size"),
    "lying-bomb.docx": (lambda: _zip_bomb(declared=1 << 20), None),
    "deep.json": (lambda: b'{"year":' + b"[" * 200_000 + b"]" * 200_000 + b"}", "json_depth"),
    "wide.txt": (lambda: ("标题\n" + "\t\n" * 100_000 + "\n\n").encode(), "table_columns"),
    "lines.txt": (lambda: ("x\n" * 1_000_000).encode(), "text_lines"),
}


@pytest.fixture(scope="module")
def refusals(tmp_path_factory):
    """What the capped child said about each hostile file, by name."""
    tmp = tmp_path_factory.mktemp("hostile")
    paths = []
    for name, (make, _) in HOSTILE.items():
        (tmp / name).write_bytes(make())
        paths.append(str(tmp / name))
    paths.append(_yaml_bomb_folder(tmp))
    fifo = tmp / "fifo.txt"
    os.mkfifo(fifo)
    paths += [str(fifo), "/dev/zero"]  # last: a regression hangs here, after the others reported
    proc = subprocess.run([sys.executable, "-c", _CHILD, *paths], capture_output=True, text=True, timeout=120,
                          preexec_fn=_cap, env={**os.environ, "YUSUAN_LIMITS": "", "YUSUAN_LANG": "en"})
    said = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(said) == len(paths), proc.stderr[-2000:]
    return {os.path.basename(s["path"]): s for s in said}


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_file_is_refused_by_its_limit_quickly(refusals, name):
    said = refusals[name]
    expected = HOSTILE[name][1]
    assert said["outcome"] == "limit" if expected else said["outcome"] in ("limit", "refused"), said
    if expected:
        assert said["name"] == expected, said
        assert f"--limit {expected}=" in said["message"] and "\n" not in said["message"]
    assert said["seconds"] < SECONDS, said


def test_a_yaml_alias_bomb_is_refused_before_anything_walks_it(refusals):
    said = refusals["bomb"]
    assert said["outcome"] == "refused" and "yaml_nodes" in said["message"], said
    assert said["message"].startswith("disclosure.yaml: ")
    assert said["seconds"] < SECONDS, said


@pytest.mark.parametrize("name", ["fifo.txt", "zero"])
def test_a_fifo_or_a_device_is_refused_unopened(refusals, name):
    said = refusals[name]
    assert said["outcome"] == "refused" and said["message"].startswith("not a regular file"), said
    assert said["seconds"] < 0.5


def test_every_refusal_takes_bounded_memory(refusals):
    assert max(s["peak_mb"] for s in refusals.values()) < PEAK_MB, refusals


# -- real documents and the override ------------------------------------------------


@pytest.mark.parametrize("name", ["jinzhou-2026.txt", "gaoyang-2023.txt", "jinzhou-2026.docx", "gaoyang-2023.docx",
                                  "jinzhou-2026.pdf", "gaoyang-2023.pdf"])
def test_the_examples_read_within_the_limits(name):
    d = read(EXAMPLES / name)
    assert len(d.tables) >= 8


def test_a_real_workbook_reads_within_the_limits():
    assert read(XLSX).tables


def test_raising_a_limit_lets_a_file_through(monkeypatch):
    path = EXAMPLES / "jinzhou-2026.docx"
    monkeypatch.setenv("YUSUAN_LIMITS", "table_rows=10")
    with pytest.raises(LimitExceeded) as refused:
        read(path)
    assert refused.value.name == "table_rows" and refused.value.limit == 10
    with limits.override(table_rows=100):  # an override wins over the environment
        assert read(path).tables
    with pytest.raises(LimitExceeded):
        read(path)  # and ends with its `with`


@pytest.mark.parametrize("name, value, suffix", [
    ("file_size", "10 KB", "docx"), ("zip_member_size", "100KB", "docx"), ("zip_total_size", "1 MB", "docx"),
    ("zip_members", "5", "docx"), ("document_cells", "1000", "docx"), ("pdf_pages", "5", "pdf"),
    ("text_size", "20 KB", "txt"), ("text_lines", "1000", "txt"), ("document_cells", "1000", "txt"),
    ("table_columns", "10", "txt"),
])
def test_each_limit_is_enforced(name, value, suffix):
    with limits.override(**{name: value}):
        with pytest.raises(LimitExceeded) as refused:
            read(EXAMPLES / f"jinzhou-2026.{suffix}")
    assert refused.value.name == name


def test_an_xlsx_limit_is_enforced_before_openpyxl_reads():
    with limits.override(document_cells=500):
        with pytest.raises(LimitExceeded, match="document_cells"):
            read(XLSX)


def test_the_refusal_says_the_size_and_how_to_raise_it(monkeypatch):
    monkeypatch.setenv("YUSUAN_LANG", "en")
    with limits.override(file_size="10 KB"):
        with pytest.raises(LimitExceeded) as refused:
            read(EXAMPLES / "jinzhou-2026.docx")
    assert str(refused.value) == ("the input file's size is 56.9 KB, over the limit of 10 KB; if the file is "
                                  "genuine, raise it with --limit file_size=VALUE or YUSUAN_LIMITS")
    monkeypatch.setenv("YUSUAN_LANG", "zh")
    with limits.override(file_size="10 KB"):
        with pytest.raises(LimitExceeded, match="输入文件的大小为 56.9 KB，超过上限 10 KB；.*--limit file_size="):
            read(EXAMPLES / "jinzhou-2026.docx")


def test_model_json_size_and_depth_are_checked_before_parsing():
    data = read(EXAMPLES / "jinzhou-2026.docx").model_dump_json().encode()
    assert read_bytes(data, "x.json").tables  # a real model's depth is 7
    with limits.override(json_size=len(data) - 1):
        with pytest.raises(LimitExceeded, match="json_size"):
            read_bytes(data, "x.json")
    brackets_in_strings = b'{"year": "' + b"[" * 1000 + b'\\"' + b"{" * 1000 + b'"}'
    with pytest.raises(ReadError) as refused:
        read_bytes(brackets_in_strings, "x.json")
    assert not isinstance(refused.value, LimitExceeded)  # brackets inside a string do not nest


def test_a_zip_part_is_counted_as_it_inflates_whatever_its_header_says():
    data = _zip_bomb()
    zf = zipfile.ZipFile(io.BytesIO(data))  # past open_zip's check of the declared sizes
    with limits.override(zip_member_size="8 MB"), pytest.raises(LimitExceeded, match="zip_member_size"):
        limits.read_member(zf, "word/document.xml")
    with limits.override(zip_member_size="2 GB"), pytest.raises(LimitExceeded, match="zip_ratio"):
        limits.read_member(zf, "word/document.xml")


def test_a_part_past_a_limit_is_named(tmp_path):
    with limits.override(file_size="40 KB"):
        with pytest.raises(LimitExceeded) as refused:
            read_parts([EXAMPLES / "jinzhou-2026.txt", EXAMPLES / "jinzhou-2026.docx"])
    assert str(refused.value).startswith("jinzhou-2026.docx")


def test_settings_are_checked(monkeypatch):
    assert limits.parse("file_size=500MB, table_columns=400,text_lines=1_000") == {
        "file_size": 500 << 20, "table_columns": 400, "text_lines": 1000}
    assert limits.parse("ocr_pages=0") == {"ocr_pages": 0}  # a count may be none: no page read by OCR
    for bad in ("nothing=1", "table_rows=many", "table_rows=-1", "file_size=0", "file_size=3 TB", "table_rows"):
        with pytest.raises(limits.BadLimitSetting):
            limits.parse(bad)
    with pytest.raises(limits.BadLimitSetting):
        with limits.override(no_such_limit=1):
            pass
    monkeypatch.setenv("YUSUAN_LIMITS", "table_rows=lots")
    with pytest.raises(limits.BadLimitSetting, match="table_rows"):
        read(EXAMPLES / "jinzhou-2026.txt")


def test_describe_lists_every_limit_with_its_value_in_force():
    rows = {r.name: r for r in limits.describe()}
    assert set(rows) == set(limits.table())
    assert rows["file_size"].default_shown == "200 MB" and rows["file_size"].what
    with limits.override(table_columns=400):
        row = next(r for r in limits.describe() if r.name == "table_columns")
    assert (row.default, row.current, row.current_shown) == (200, 400, "400")


def test_limits_yaml_is_checked_when_loaded(monkeypatch):
    good = {"default": "1 MB", "unit": "bytes", "what": {"zh": "大小", "en": "size"}, "why": {"zh": "因为", "en": "why"}}
    bad = [{**good, "default": "lots"}, {**good, "unit": "litres"}, {**good, "what": {"zh": "大小"}},
           {**{k: v for k, v in good.items() if k != "why"}}, {**good, "extra": 1}]
    try:
        for entry in bad:
            monkeypatch.setattr(limits, "_load", lambda name, entry=entry: {"limits": {"x_size": entry}})
            limits.table.cache_clear()
            with pytest.raises(ValueError, match="data/limits.yaml: x_size"):
                limits.table()
    finally:
        monkeypatch.undo()
        limits.table.cache_clear()
    assert limits.table()["file_size"].default == 200 << 20


@pytest.mark.skipif(not os.path.exists("/proc/self/maps"), reason="needs Linux's /proc")
def test_a_file_longer_than_its_size_says_stops_at_the_limit():
    # /proc files are regular and say they are empty; what they hold is read, to the limit
    assert limits.read_file("/proc/self/maps")
    with limits.override(file_size="1 KB"), pytest.raises(LimitExceeded, match="file_size"):
        limits.read_file("/proc/self/maps")


def test_compile_input_is_held_to_the_limits(tmp_path):
    from typer.testing import CliRunner

    from yusuan.cli import app
    from yusuan.compile import CompileError, compile_dir
    from yusuan.compile.inputs import WORKBOOK

    folder = tmp_path / "csv"
    shutil.copytree(EXAMPLES / "compile-example", folder)
    with limits.override(table_rows=5), pytest.raises(CompileError, match="table_rows"):
        compile_dir(folder)
    with limits.override(yaml_size="1 KB"), pytest.raises(CompileError, match="disclosure.yaml: .*yaml_size"):
        compile_dir(folder)
    # a read-only worksheet pads every row to the extent it declares
    assert CliRunner().invoke(app, ["template", str(tmp_path / "wb")]).exit_code == 0
    book = tmp_path / "wb" / WORKBOOK
    src = book.read_bytes()
    sheet = next(n for n in zipfile.ZipFile(io.BytesIO(src)).namelist() if n.startswith("xl/worksheets/"))
    xml = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', _member(src, sheet))
    book.write_bytes(_rezip(src, {sheet: xml}))
    with pytest.raises(CompileError, match=f"{WORKBOOK}: .*document_cells"):
        compile_dir(tmp_path / "wb")
