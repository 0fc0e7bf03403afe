"""LibreOffice that hangs or fails is ended with everything it started, and
its private profile and temporary folder go with it.

A fake soffice stands in for LibreOffice: like the real one (soffice starts
soffice.bin) it starts a child, and that child ignores SIGTERM, so only a
SIGKILL to the whole process group ends it. The fake writes down its
process group and the profile it was given, which the tests then check.
The last tests run the real LibreOffice (skipped without it) with a time
limit it cannot meet, and look for what it left.
"""

import io
import subprocess
import time
import zipfile
from pathlib import Path

import pytest

from yusuan.read import ReadError, convert
from yusuan.write import pdf
from yusuan.write.render import RenderError



def _word_file() -> bytes:
    """The smallest bytes `legacy_kind` takes for a Word document: a
    WordDocument directory entry at a 128-byte boundary."""
    entry = "WordDocument".encode("utf-16-le") + b"\x00\x00"
    data = bytearray(convert.OLE2 + b"\x00" * (512 - len(convert.OLE2)))
    block = bytearray(128)
    block[:len(entry)] = entry
    block[64:66] = len(entry).to_bytes(2, "little")
    block[66] = 2
    return bytes(data + block)


def _fake_soffice(folder: Path, then: str) -> tuple[Path, Path]:
    """A soffice that records its group and arguments, starts a child that
    ignores SIGTERM, then does `then` ("wait": hangs; "exit 1": fails)."""
    record = folder / "record"
    fake = folder / "soffice"
    fake.write_text(f"""#!/bin/sh
for a in "$@"; do case "$a" in -env:UserInstallation=file://*) p="${{a#-env:UserInstallation=file://}}";; esac; done
mkdir -p "$p"
sh -c 'trap "" TERM; exec sleep 60' &
printf '%s\\n%s\\n' "$(ps -o pgid= -p $$ | tr -d ' ')" "$p" > "{record}"
{then}
""")
    fake.chmod(0o755)
    return fake, record


def _group_members(pgid: int) -> list[str]:
    """The states of the processes in group `pgid` that still run; a zombie
    does not run, and only waits for whoever adopted it to reap it."""
    running = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            running.append(stat.parent.name)
    return running


def _ended(record: Path) -> None:
    pgid, profile = record.read_text().splitlines()
    assert _group_members(int(pgid)) == []
    assert not Path(profile).exists()
    assert not Path(profile).parent.exists()  # the call's temporary folder


@pytest.fixture(autouse=True)
def _short_grace(monkeypatch):
    monkeypatch.setattr(convert, "STOP_GRACE", 0.3)


def test_reading_past_the_time_limit_ends_the_group_and_removes_the_profile(monkeypatch, tmp_path):
    fake, record = _fake_soffice(tmp_path, "wait")
    monkeypatch.setattr(convert, "soffice", lambda: str(fake))
    started = time.monotonic()
    with pytest.raises(ReadError, match="0.5") as exc:
        convert.convert_bytes(_word_file(), "docx", timeout=0.5)
    assert time.monotonic() - started < 5
    assert "LibreOffice" in str(exc.value) and "\n" not in str(exc.value)
    _ended(record)


def test_reading_a_failed_run_ends_what_it_left_running(monkeypatch, tmp_path):
    fake, record = _fake_soffice(tmp_path, "exit 1")
    monkeypatch.setattr(convert, "soffice", lambda: str(fake))
    (result,) = convert.convert_many([(_word_file(), "docx")], timeout=30)
    assert isinstance(result, ReadError)
    _ended(record)


def _docx(rows: int) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", "<w:document><w:tbl>" + "<w:tr><w:tc/></w:tr>" * rows + "</w:tbl></w:document>")
    return buf.getvalue()


def test_writing_pdf_past_the_time_limit_ends_the_group_and_removes_the_profile(monkeypatch, tmp_path):
    fake, record = _fake_soffice(tmp_path, "wait")
    monkeypatch.setattr(pdf, "soffice", lambda: str(fake))
    monkeypatch.setattr(pdf, "_has_cjk_fonts", lambda: True)
    started = time.monotonic()
    with pytest.raises(RenderError, match="within 0.5 s"):
        pdf.write_pdf(_docx(3), timeout=0.5)
    assert time.monotonic() - started < 5
    _ended(record)


def test_writing_pdf_a_failed_run_ends_what_it_left_running(monkeypatch, tmp_path):
    fake, record = _fake_soffice(tmp_path, "echo 'Error: source file could not be loaded' >&2; exit 1")
    monkeypatch.setattr(pdf, "soffice", lambda: str(fake))
    monkeypatch.setattr(pdf, "_has_cjk_fonts", lambda: True)
    with pytest.raises(RenderError, match="could not convert to PDF \\(Error: source file could not be loaded\\)"):
        pdf.write_pdf(_docx(3))
    _ended(record)


def test_the_time_limit_grows_with_the_input():
    assert convert.time_limit(1, 0) == convert.TIMEOUT_START + convert.TIMEOUT_PER_FILE
    assert convert.time_limit(1, 10 << 20) == convert.time_limit(1, 0) + 10 * convert.TIMEOUT_PER_MB
    assert convert.time_limit(3, 0) == convert.time_limit(1, 0) + 2 * convert.TIMEOUT_PER_FILE
    small, big = _docx(10), _docx(30_000)
    assert pdf._rows(big) == 30_000
    assert pdf.time_limit(big) - pdf.time_limit(small) >= (30_000 - 10) * pdf.TIMEOUT_PER_ROW
    assert pdf.time_limit(b"not a zip") == convert.time_limit(1, len(b"not a zip"))


needs_soffice = pytest.mark.skipif(convert.soffice() is None, reason="LibreOffice (soffice) is not installed")
# Seconds. soffice.bin, started within 0.1 s, starts again at about 0.3 s
# on a new profile; the document below keeps it busy for over a minute
REAL_LIMIT = 1.0


def _slow_document() -> bytes:
    """Word's RTF with a table of 20,000 rows (1 MB): LibreOffice works on
    it for over a minute, so the limit ends it mid-run whatever the
    machine's speed. (A file it cannot load ends in about a second, which
    on a quiet machine came before the limit and proved nothing.)"""
    rows = "".join(f"\\trowd\\cellx2000\\cellx4000 a{i}\\cell {i}\\cell\\row\n" for i in range(20_000))
    return ("{\\rtf1\\ansi " + rows + "}").encode("ascii")


class Watch:
    """The real LibreOffice runs started while it watches: for each, the
    process group soffice leads and its profile; and the programs that ran
    with that profile on their command line (soffice's launcher,
    soffice.bin) when the group was ended."""

    def __init__(self, monkeypatch):
        self.runs: list[tuple[int, str]] = []
        self.at_stop: list[str] = []
        watch = self

        class Recorded(subprocess.Popen):
            def __init__(self, args, *rest, **kwargs):
                super().__init__(args, *rest, **kwargs)
                profile = next((a.split("=", 1)[1] for a in args if a.startswith("-env:UserInstallation=")), None)
                if profile:
                    watch.runs.append((self.pid, profile.removeprefix("file://")))

        end_group = convert.end_group

        def ending(proc):
            watch.at_stop += [name for _, name in _running_with(watch.runs[-1][1])]
            end_group(proc)

        monkeypatch.setattr(subprocess, "Popen", Recorded)
        monkeypatch.setattr(convert, "end_group", ending)


def _running_with(profile: str) -> list[tuple[int, str]]:
    """(pid, program name) of the processes, not zombies, whose command line
    names `profile`."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().split(b"\0")
            state = (cmdline.parent / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z" and any(profile.encode() in a for a in args):
            found.append((int(cmdline.parent.name), Path(args[0].decode(errors="replace")).name))
    return found


def _nothing_left(watch: Watch) -> None:
    (pgid, profile), = watch.runs
    # stopped while LibreOffice's own process ran, not before it started
    # nor between the two soffice.bin of a first start (the profile made,
    # the launcher starts it again): the process a kill of soffice alone
    # leaves running
    assert "soffice.bin" in watch.at_stop
    assert _group_members(pgid) == []
    assert _running_with(profile) == []
    assert not Path(profile).parent.exists()  # the call's temporary folder, the profile in it


@needs_soffice
def test_real_libreoffice_stopped_reading_leaves_no_process_or_folder(monkeypatch):
    watch = Watch(monkeypatch)
    with pytest.raises(ReadError, match="在 1 秒内"):
        convert.convert_bytes(_slow_document(), "docx", timeout=REAL_LIMIT)
    _nothing_left(watch)


@needs_soffice
def test_real_libreoffice_stopped_printing_leaves_no_process_or_folder(monkeypatch):
    if not pdf._has_cjk_fonts():
        pytest.skip("no Chinese fonts: the PDF writer refuses before it starts LibreOffice")
    watch = Watch(monkeypatch)
    with pytest.raises(RenderError, match="within 1 s"):
        pdf.write_pdf(_slow_document(), timeout=REAL_LIMIT)
    _nothing_left(watch)
