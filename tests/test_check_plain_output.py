"""`yusuan check` to a pipe writes the findings without rich's console; the
lines must be the ones rich prints there (no styles, the same wrapping)."""

import io
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from rich.console import Console

from yusuan.audit.batch import check_files
from yusuan.audit.report import FileReport, print_text

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _rich(path: Path, width: int) -> str:
    buf = io.StringIO()
    terminal = Console(file=buf, width=width, highlight=False)
    for o in check_files([str(path)], Decimal(0)):
        print_text([FileReport(o.file, o.about, o.findings, o.ledger)], terminal)
    return buf.getvalue()


@pytest.mark.parametrize("name,width", [("jinzhou-2026.txt", 80), ("gaoyang-2023.docx", 52)])
def test_piped_findings_are_the_lines_rich_prints(name, width):
    path = EXAMPLES / name
    env = {"PATH": "/usr/bin:/bin", "COLUMNS": str(width), "YUSUAN_CACHE_DIR": "off"}
    run = subprocess.run([sys.executable, "-m", "yusuan", "check", str(path)], capture_output=True, text=True,
                         env=env, stdin=subprocess.DEVNULL)
    assert run.returncode in (0, 1)
    expected = _rich(path, width)
    assert run.stdout == expected
    assert "错误" in run.stdout or "警告" in run.stdout  # the examples have findings: the comparison is not empty
    assert "\x1b[" not in run.stdout
