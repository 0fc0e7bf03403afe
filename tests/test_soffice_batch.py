"""One LibreOffice run serves a batch: the PDFs of several documents, the
legacy files of an ingest job; a file LibreOffice fails on gets its own
error and costs the others nothing.

`in_runs` is tested with a stand-in for LibreOffice that converts the files
in order, as the real one does, and fails as told; PDF printing with the
real LibreOffice (skipped without it); ingest's job with a fake `soffice`
that writes an example DOCX for each .doc it is given, except one marked
damaged.
"""

import io
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from conftest import EXAMPLES

from yusuan.read.convert import by_kind
from yusuan.read import ReadError, convert
from yusuan.store.ingest import _jobs, process_files
from yusuan.write import pdf
from yusuan.write.render import RenderError

needs_printing = pytest.mark.skipif(pdf.soffice() is None or not pdf._has_cjk_fonts(),
                                    reason="LibreOffice or Chinese fonts not installed")


class Fake:
    """LibreOffice over files a … e: converts them in order; "bad" ones it
    cannot load (and goes on), at a "crash" one it stops, at a "hang" one
    it is stopped at its time limit."""

    def __init__(self, **behaviour: str):
        self.behaviour = behaviour
        self.runs: list[list[str]] = []
        self.made: set[str] = set()

    def run(self, files: list[Path]) -> Exception | None:
        self.runs.append([f.name for f in files])
        for f in files:
            what = self.behaviour.get(f.name)
            if what == "hang":
                return TimeoutError("past its time")
            if what == "crash":
                return None
            if what != "bad":
                self.made.add(f.name)
        return None

    def output(self, f: Path) -> str | Exception:
        return f.name.upper() if f.name in self.made else ValueError(f"no output of {f.name}")


def _in_runs(**behaviour):
    fake = Fake(**behaviour)
    files = [Path(n) for n in "abcde"]
    results = convert.in_runs(files, fake.run, fake.output)
    return [r if isinstance(r, str) else type(r).__name__ for r in results], fake.runs


def test_a_batch_that_converts_is_one_run():
    assert _in_runs() == (list("ABCDE"), [list("abcde")])


def test_a_file_it_cannot_load_costs_no_run_when_it_went_on_past_it():
    assert _in_runs(c="bad") == (["A", "B", "ValueError", "D", "E"], [list("abcde")])
    # the last: whether it went on cannot be told, so it is tried alone
    assert _in_runs(e="bad") == (["A", "B", "C", "D", "ValueError"], [list("abcde"), ["e"]])


def test_a_crash_costs_the_files_after_it_one_more_run():
    # c brings it down: d and e are run again; c, alone first in a run that
    # converts none, keeps its error and is not run a third time
    assert _in_runs(c="crash") == (["A", "B", "ValueError", "D", "E"], [list("abcde"), list("cde"), list("de")])


def test_a_hang_is_not_run_again_and_the_files_after_it_are():
    assert _in_runs(b="hang") == (["A", "TimeoutError", "C", "D", "E"], [list("abcde"), list("cde")])
    assert _in_runs(a="hang", d="hang") == (["TimeoutError", "B", "C", "TimeoutError", "E"],
                                            [list("abcde"), list("bcde"), ["e"]])


def test_a_run_that_converts_nothing_leaves_out_its_first_file_each_time():
    # LibreOffice broken for every file: n files, n runs, each file its error
    results, runs = _in_runs(a="bad", b="bad", c="bad", d="bad", e="bad")
    assert results == ["ValueError"] * 5 and runs == [list("abcde"), list("bcde"), list("cde"), list("de"), ["e"]]


def _small_docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _pdf_text(data: bytes) -> str:
    document = pdfium.PdfDocument(data)
    return "".join(page.get_textpage().get_text_range() for page in document)


@needs_printing
def test_several_pdfs_print_in_one_run_past_a_damaged_document(monkeypatch):
    runs = []
    real = convert.run_soffice
    monkeypatch.setattr(convert, "run_soffice", lambda command, limit, env=None: runs.append(command)
                        or real(command, limit, env))
    first, second = _small_docx("第一份部门预算"), _small_docx("第二份部门预算")
    cut = first[:3000]  # a DOCX cut short: LibreOffice cannot load it and goes on
    results = pdf.write_pdfs([first, cut, second])
    assert [len([a for a in r if a.endswith(".docx")]) for r in runs] == [3]
    assert "第一份部门预算" in _pdf_text(results[0]) and "第二份部门预算" in _pdf_text(results[2])
    assert isinstance(results[1], RenderError)
    # LibreOffice's words are not told apart by file when it printed several
    assert str(results[1]) == "LibreOffice could not convert to PDF"


def test_write_pdf_is_the_one_document_case(monkeypatch):
    assert pdf.write_pdfs([]) == []
    calls = []
    monkeypatch.setattr(pdf, "write_pdfs", lambda docs, timeout=None: calls.append((docs, timeout)) or [b"%PDF-1.7"])
    assert pdf.write_pdf(b"docx", timeout=7) == b"%PDF-1.7"
    monkeypatch.setattr(pdf, "write_pdfs", lambda docs, timeout=None: [RenderError("no")])
    with pytest.raises(RenderError, match="^no$"):
        pdf.write_pdf(b"docx")
    assert calls == [([b"docx"], 7)]


def _word_file(marker: bytes) -> bytes:
    """A compound file with a WordDocument stream (what `legacy_kind` looks
    for), then `marker` for the fake LibreOffice to read."""
    entry = "WordDocument".encode("utf-16-le") + b"\x00\x00"
    block = bytearray(128)
    block[:len(entry)] = entry
    block[64:66] = len(entry).to_bytes(2, "little")
    block[66] = 2
    return convert.OLE2 + b"\x00" * (512 - len(convert.OLE2)) + bytes(block) + marker


def _fake_soffice(folder: Path, docx: Path) -> tuple[Path, Path]:
    """A soffice that notes each start and, for each input, writes `docx`
    as its conversion unless the input says DAMAGED."""
    starts = folder / "starts"
    fake = folder / "soffice"
    fake.write_text(f"""#!/bin/sh
echo start >> "{starts}"
while [ $# -gt 0 ]; do
  case "$1" in
    --outdir) out="$2"; mkdir -p "$out"; shift;;
    *.doc) grep -q DAMAGED "$1" || cp "{docx}" "$out/$(basename "$1" .doc).docx";;
  esac
  shift
done
""")
    fake.chmod(0o755)
    return fake, starts


def test_an_ingest_job_converts_its_legacy_files_in_one_run(monkeypatch, tmp_path):
    fake, starts = _fake_soffice(tmp_path, EXAMPLES / "gaoyang-2023.docx")
    monkeypatch.setattr(convert, "soffice", lambda: str(fake))
    one, two, bad = tmp_path / "one.doc", tmp_path / "two.wps", tmp_path / "bad.doc"
    one.write_bytes(_word_file(b"1"))
    two.write_bytes(_word_file(b"2"))
    bad.write_bytes(_word_file(b"DAMAGED"))
    text = EXAMPLES / "jinzhou-2026.txt"
    rows = process_files([(str(one), "1" * 64), (str(bad), "2" * 64), (str(text), "3" * 64),
                                 (str(two), "4" * 64), (str(tmp_path / "gone.doc"), "5" * 64)])
    # one run for the three Word files: it went on past the damaged one
    assert starts.read_text().split() == ["start"]
    documents = [r.document for r in rows]
    assert [d["file_name"] for d in documents] == ["one.doc", "bad.doc", "jinzhou-2026.txt", "two.wps", "gone.doc"]
    assert [d["status"] for d in documents] == ["ok", "unreadable", "ok", "ok", "unreadable"]
    assert [d["department"] for d in documents if d["status"] == "ok"] == ["高阳县医疗保障局", "晋州市医疗保障局", "高阳县医疗保障局"]
    assert "LibreOffice 无法转换" in documents[1]["message"] and documents[4]["message"] == "文件不存在"


def test_ingest_and_check_put_legacy_files_of_a_kind_in_the_same_jobs():
    todo = [(Path(n), n) for n in ("a.xls", "b.doc", "c.pdf", "d.et", "e.WPS", "f.docx", "g.doc", "h.xls", "i.rtf")]
    jobs = _jobs(todo, workers=2)
    assert [[p.name for p, _ in job] for job in jobs] == [
        ["b.doc", "e.WPS", "g.doc", "i.rtf"], ["a.xls", "d.et", "h.xls", "c.pdf"], ["f.docx"]]
    # few files: smaller jobs, so that both workers have one
    assert [len(job) for job in _jobs(todo[:4], workers=2)] == [2, 2]
    assert by_kind([str(p) for p, _ in todo]) == [1, 4, 6, 8, 0, 3, 7, 2, 5]


def test_an_ingest_job_that_fails_as_a_whole_is_done_again_file_by_file(monkeypatch):
    """A worker killed by one file of a job (out of memory, a crash in C)
    loses the whole job: its files are done again one per job, so only the
    file at fault is recorded as failing."""
    module = sys.modules["yusuan.store.ingest"]

    def here(jobs, worker, workers, done, failed, per_worker=2):
        for key, args in jobs:
            try:
                result = worker(*args)
            except Exception as exc:  # noqa: BLE001
                failed(key, exc)
            else:
                done(key, result)

    def alone(path, digest):
        if Path(path).name == "bad.doc":
            raise RuntimeError("the worker process died on this file")
        return f"rows of {Path(path).name}"

    def together(jobs):
        raise RuntimeError("the worker process died on this job")

    monkeypatch.setattr(module, "run_in_processes", here)
    monkeypatch.setattr(module, "process_files", together)
    monkeypatch.setattr(module, "process_file", alone)
    stored = []
    module._run([(Path("a.doc"), "1" * 64), (Path("bad.doc"), "2" * 64), (Path("c.txt"), "3" * 64)], 1, stored.append)
    assert stored[0] == "rows of a.doc" and stored[2] == "rows of c.txt"
    assert stored[1].document["file_name"] == "bad.doc" and stored[1].document["status"] == "internal"
