"""Every format a department publishes: legacy Office files (.doc/.wps,
.xls/.et) read through LibreOffice, and scanned PDF pages read by OCR.

The legacy files are made at test time from a DOCX and an XLSX by
LibreOffice itself (so the test compares each with the very file it came
from); reading them needs LibreOffice too, so those tests skip without it.
The scan is committed: tests/data/legacy/jinzhou-2026-p6-scan.pdf is page 6
of examples/jinzhou-2026.pdf (部门预算一般公共预算财政拨款基本支出表)
printed to 200 dpi grey with pdftoppm, then kept as a 150 dpi JPEG page.
"""

import os
import shutil
import subprocess
import time
from decimal import Decimal
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from conftest import EXAMPLES

from yusuan.export.cells import iter_cells
from yusuan.read import ReadError, convert, ocr, read, read_bytes, read_many
from yusuan.read.convert import convert_legacy, legacy_kind

DATA = Path(__file__).resolve().parent / "data" / "legacy"
SCAN = DATA / "jinzhou-2026-p6-scan.pdf"
needs_soffice = pytest.mark.skipif(convert.soffice() is None, reason="LibreOffice (soffice) is not installed")
needs_ocr = pytest.mark.skipif(not ocr.available(), reason="rapidocr-onnxruntime (yusuan[ocr]) is not installed")


def _to_legacy(source: Path, target: str, folder: Path) -> Path:
    """LibreOffice's own .doc/.xls of a DOCX/XLSX, as departments' files are."""
    folder.mkdir(exist_ok=True)
    subprocess.run([convert.soffice(), f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
                    "--convert-to", target, "--outdir", str(folder), str(source)],
                   check=True, capture_output=True, timeout=120)
    return folder / f"{source.stem}.{target}"


def _listing(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture(scope="module")
def legacy(tmp_path_factory):
    """A .doc, .xls, .wps and .et read by one read_many call, with what it
    cost in LibreOffice runs and what was in the folder before and after."""
    if convert.soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    made = tmp_path_factory.mktemp("made")
    folder = tmp_path_factory.mktemp("published")
    docx = folder / "jinzhou.docx"
    xlsx = folder / "jinzhou.xlsx"
    shutil.copy(EXAMPLES / "jinzhou-2026.docx", docx)
    shutil.copy(DATA / "jinzhou-2026.xlsx", xlsx)
    doc = shutil.copy(_to_legacy(docx, "doc", made), folder / "jinzhou-doc.doc")
    xls = shutil.copy(_to_legacy(xlsx, "xls", made), folder / "jinzhou-xls.xls")
    wps = shutil.copy(doc, folder / "jinzhou-wps.wps")
    et = shutil.copy(xls, folder / "jinzhou-et.et")
    bad = folder / "damaged.doc"
    bad.write_bytes(_compound_file("WordDocument") + b"not a document" * 100)
    before = _listing(folder)
    runs = []
    real_run = convert._run
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(convert, "_run", lambda command, limit: runs.append(command) or real_run(command, limit))
        started = time.monotonic()
        models = read_many([doc, xls, wps, et, docx, xlsx, folder / "missing.doc", bad])
        seconds = time.monotonic() - started
    return {"models": models, "runs": runs, "seconds": seconds, "before": before, "after": _listing(folder)}


def _cells(d):
    return list(iter_cells(d))


@needs_soffice
def test_doc_and_wps_read_to_the_cells_of_the_docx(legacy):
    doc, _, wps, _, docx, *_ = legacy["models"]
    assert len(_cells(docx)) > 200
    assert _cells(doc) == _cells(docx) and _cells(wps) == _cells(docx)
    assert doc.content() == docx.content()


@needs_soffice
def test_xls_and_et_read_to_the_cells_of_the_xlsx(legacy):
    _, xls, _, et, _, xlsx, *_ = legacy["models"]
    assert len(_cells(xlsx)) > 200
    assert _cells(xls) == _cells(xlsx) and _cells(et) == _cells(xlsx)


@needs_soffice
def test_a_batch_converts_in_one_libreoffice_run_per_kind(legacy):
    """The damaged file LibreOffice could not convert is tried once more on
    its own (a crash would have cost the files after it); it is the only
    file that fails, with its reason."""
    runs = legacy["runs"]
    targets = [(r[r.index("--convert-to") + 1].split(":")[0], len(r) - r.index("--outdir") - 2) for r in runs]
    assert targets == [("docx", 3), ("docx", 1), ("xlsx", 2)]
    # the runs share one profile of their own in a temporary directory
    profiles = {next(a for a in r if a.startswith("-env:UserInstallation=file:///")) for r in runs}
    assert len(profiles) == 1 and "yusuan-convert-" in profiles.pop()
    *_, missing, damaged = legacy["models"]
    assert isinstance(missing, ReadError) and str(missing) == "文件不存在"
    assert isinstance(damaged, ReadError) and "LibreOffice 无法转换" in str(damaged)


@needs_soffice
def test_conversion_writes_nothing_beside_the_input(legacy):
    assert legacy["after"] == legacy["before"]


@needs_soffice
def test_read_handles_a_single_legacy_file(legacy, tmp_path):
    doc = tmp_path / "one.doc"
    doc.write_bytes(legacy["before"]["jinzhou-doc.doc"])
    assert _cells(read(doc)) == _cells(legacy["models"][4])
    assert sorted(os.listdir(tmp_path)) == ["one.doc"]


def _compound_file(stream: str) -> bytes:
    """The header of a compound file and one directory entry naming
    `stream`: enough to tell what wrote it."""
    name = stream.encode("utf-16-le") + b"\x00\x00"
    entry = name.ljust(64, b"\x00") + len(name).to_bytes(2, "little") + b"\x02"
    return convert.OLE2 + b"\x00" * (512 - len(convert.OLE2)) + entry.ljust(128, b"\x00")


def test_legacy_files_are_told_by_their_streams_not_their_names():
    assert legacy_kind(_compound_file("WordDocument"), "budget.xls") == "docx"
    assert legacy_kind(_compound_file("Workbook"), "budget.doc") == "xlsx"
    assert legacy_kind(_compound_file("Book"), "") == "xlsx"
    assert legacy_kind(_compound_file("Other"), "budget.et") == "xlsx"
    assert legacy_kind(_compound_file("Other"), "budget.wps") == "docx"
    assert legacy_kind(b"{\\rtf1 ...", "budget.doc") == "docx"
    assert legacy_kind(b"PK\x03\x04", "budget.doc") is None
    with pytest.raises(ReadError, match="PowerPoint"):
        legacy_kind(_compound_file("PowerPoint Document"), "budget.doc")


def test_missing_libreoffice_is_one_line(monkeypatch, tmp_path):
    monkeypatch.setattr(convert, "soffice", lambda: None)
    doc = tmp_path / "budget.doc"
    doc.write_bytes(_compound_file("WordDocument"))
    with pytest.raises(ReadError) as exc:
        read(doc)
    assert "scripts/install-system-deps" in str(exc.value) and "\n" not in str(exc.value)
    (result,) = read_many([doc])
    assert isinstance(result, ReadError) and "install-system-deps" in str(result)
    with pytest.raises(ReadError, match="install-system-deps"):
        convert_legacy([doc])
    # nothing legacy to convert: LibreOffice is not needed
    other = tmp_path / "budget.txt"
    other.write_text("x")
    assert isinstance(convert_legacy([other])[other], ReadError)


def test_libreoffice_past_its_time_is_stopped_with_all_it_started(monkeypatch, tmp_path):
    pidfile = tmp_path / "child.pid"
    fake = tmp_path / "soffice"
    fake.write_text(f'#!/bin/sh\nsleep 60 &\necho $! > "{pidfile}"\nwait\n')
    fake.chmod(0o755)
    monkeypatch.setattr(convert, "soffice", lambda: str(fake))
    started = time.monotonic()
    with pytest.raises(ReadError) as exc:
        convert.convert_bytes(_compound_file("WordDocument"), "docx", timeout=1)
    assert time.monotonic() - started < 10
    assert "在 1 秒内未完成转换" in str(exc.value) and "\n" not in str(exc.value)
    child = int(pidfile.read_text())
    for _ in range(50):  # the group was killed; its orphan is reaped soon after
        state = Path(f"/proc/{child}/stat")
        if not state.exists() or state.read_text().split(") ")[1].startswith("Z"):
            break
        time.sleep(0.1)
    else:
        pytest.fail("the soffice run's child process is still running")


# -- scanned pages ----------------------------------------------------------------
@pytest.fixture(scope="module")
def scanned():
    if not ocr.available():
        pytest.skip("rapidocr-onnxruntime (yusuan[ocr]) is not installed")
    return read(SCAN)


@needs_ocr
def test_scanned_page_reads_its_table_by_ocr(scanned):
    """The amounts as printed on page 6 of jinzhou-2026.pdf (pdftotext -layout)."""
    assert scanned.department.name == "晋州市医疗保障局" and scanned.year == 2026
    table = scanned.tables["general_basic"]
    rows = {row.code or row.name: row.amounts for row in table.rows}
    assert rows["合计"] == {"total": Decimal("587.92"), "personnel": Decimal("541.46"), "public": Decimal("46.46")}
    assert rows["301"] == {"total": Decimal("531.91"), "personnel": Decimal("531.91"), "public": None}
    assert rows["30101"]["total"] == Decimal("206.33")
    assert rows["30108"]["personnel"] == Decimal("55.31")
    assert rows["30205"]["public"] == Decimal("0.11")
    assert rows["30231"]["public"] == Decimal("10.18")
    assert rows["30302"] == {"total": Decimal("9.55"), "personnel": Decimal("9.55"), "public": None}
    assert len(table.rows) == 24 and scanned.unread == []
    assert table.source.page == 1


@needs_ocr
def test_scanned_page_gives_the_cells_of_the_text_page(scanned):
    text_page = _one_page(EXAMPLES / "jinzhou-2026.pdf", 5)
    text = read_bytes(text_page, "p6.pdf")
    assert _cells(scanned) == _cells(text)


def _one_page(path: Path, index: int, *more: tuple[Path, int]) -> bytes:
    import io

    out = pdfium.PdfDocument.new()
    for src, i in ((path, index), *more):
        out.import_pages(pdfium.PdfDocument(src), [i])
    buf = io.BytesIO()
    out.save(buf)
    return buf.getvalue()


def test_scanned_pages_without_ocr_are_reported_not_dropped(monkeypatch):
    monkeypatch.setattr(ocr, "available", lambda: False)
    with pytest.raises(ReadError) as exc:
        read(SCAN)
    assert "没有文字层" in str(exc.value) and "yusuan[ocr]" in str(exc.value) and "\n" not in str(exc.value)
    # a text page, then the scan: the text page is read, the scan reported
    mixed = read_bytes(_one_page(EXAMPLES / "jinzhou-2026.pdf", 0, (SCAN, 0)), "mixed.pdf")
    assert "summary" in mixed.tables
    (unread,) = mixed.unread
    assert unread.kind == "part" and unread.source.page == 2
    assert unread.message == "第 2 页没有文字层（扫描件）；读取扫描页需安装 yusuan[ocr]"


def test_ocr_text_as_printed_in_chinese_text():
    assert ocr.chinese_punctuation("1、房屋(平方米)") == "1、房屋（平方米）"
    assert ocr.chinese_punctuation("单位:万元") == "单位：万元"
    assert ocr.chinese_punctuation("合计1,234.56元") == "合计1,234.56元"
    assert ocr.chinese_punctuation("(1) 1,234.56") == "(1) 1,234.56"
    # 一 read as a hyphen; a rule read as a bar
    assert ocr.chinese_punctuation("-般行政管理事务") == "一般行政管理事务"
    assert ocr.chinese_punctuation("（-）其他") == "（一）其他"
    assert ocr.chinese_punctuation("2025-2026年——见") == "2025-2026年——见"
    assert ocr.chinese_punctuation("财政拨款|收入") == "财政拨款收入"


@needs_ocr
def test_table_scanned_askew_on_its_side_is_read_level():
    """The top of the scanned page turned a quarter clockwise and 0.8° more,
    on a page of its own shape: a landscape table scanned sideways, fed a
    little askew (its rules are then found in pieces, its rows drift into
    each other, unless the picture is turned level first)."""
    import io

    from PIL import Image

    from yusuan.read.pdf import parse_pdf

    image = pdfium.PdfDocument(SCAN)[0].render(scale=150 / 72, grayscale=True).to_pil()
    top = image.crop((0, 0, image.width, image.height * 45 // 100))
    top = top.rotate(-90.8, expand=True, resample=Image.BICUBIC, fillcolor=255)
    buf = io.BytesIO()
    top.save(buf, "PDF", resolution=150, quality=60)
    (table,) = [b for b in parse_pdf(buf.getvalue()).blocks if hasattr(b, "rows")]
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert ["1", "", "合计", "587.92", "541.46", "46.46"] in rows
    assert ["3", "30101", "基本工资", "206.33", "206.33", ""] in rows


def test_a_lone_level_stroke_the_recogniser_passed_over_is_put_back():
    np = pytest.importorskip("numpy")
    image = np.full((50, 400), 255, dtype=np.uint8)
    image[24:27, 106:123] = 0  # 一, 17 px wide, before 般 (a 20 px character)
    image[15:40, 130:150] = 0
    line = [[[100, 10], [300, 10], [300, 40], [100, 40]], "般", 0.99, [[[130, 10], [150, 10], [150, 40], [130, 40]]], ["般"]]
    assert [w for w, _ in ocr._missed_ones(image, line)] == ["一", "般"]
    image[14:17, 106:123] = 0  # with a second stroke it is 二, or part of another character
    assert [w for w, _ in ocr._missed_ones(image, line)] == ["般"]
    image[:, :125] = 255
    image[12:15, 106:123] = 0  # a stroke at the top of the line is no 一
    assert [w for w, _ in ocr._missed_ones(image, line)] == ["般"]
