"""`check` over many files: all cores, nothing kept but each file's report,
and files that belong together still found together wherever they fall."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLES, cli

from yusuan.audit.batch import CHUNK, Audited, Unchecked, check_files
from yusuan.compile.build import compile_dir
from yusuan.write.render import render

DATA = Path(__file__).parent / "data"
LAYOUTS = DATA / "layouts"


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> list[Path]:
    """Eleven files over three jobs: the budget first and its 决算 last, the
    two parts of a Jiangsu document in different jobs, an empty file."""
    folder = tmp_path_factory.mktemp("batch")
    budget = folder / "00-示例区科委-2024-部门预算.docx"
    budget.write_bytes(render(compile_dir(DATA / "versus" / "sh-budget-2024").disclosure, "docx"))
    files = [budget]
    for i in range(3):
        for src in (EXAMPLES / "jinzhou-2026.txt", EXAMPLES / "gaoyang-2023.docx"):
            files.append(shutil.copy(src, folder / f"{i + 1:02d}-{src.name}"))
    files.insert(2, shutil.copy(LAYOUTS / "js-2018-text.pdf", folder / "js-text.pdf"))
    files.append(shutil.copy(LAYOUTS / "js-2018-tables.pdf", folder / "js-tables.pdf"))
    (empty := folder / "empty.txt").write_bytes(b"")
    files.append(empty)
    files.append(shutil.copy(LAYOUTS / "sh-final-2024.docx", folder / "zz-final.docx"))
    assert len(files) == 11 > 2 * CHUNK
    return [Path(f) for f in files]


def _summary(outcomes):
    out = []
    for o in outcomes:
        if isinstance(o, Unchecked):
            out.append((Path(o.file.split(" + ")[0]).name, "unchecked"))
        else:
            out.append((" + ".join(Path(f).name for f in o.file.split(" + ")),
                        sorted(f.rule for f in o.findings if f.severity == "error")))
    return out


def test_two_workers_give_what_one_does_in_the_order_given(batch):
    one = list(check_files(batch, workers=1))
    two = list(check_files(batch, workers=2))
    assert _summary(two) == _summary(one)
    names = [n for n, _ in _summary(two)]
    # the two parts are one report, at the first part's place
    assert names[2] == "js-text.pdf + js-tables.pdf" and "js-tables.pdf" not in names
    assert names[0] == "00-示例区科委-2024-部门预算.docx" and names[-1] == "zz-final.docx"
    assert len(two) == 10


def test_a_final_is_checked_against_its_budget_from_another_job(batch):
    final = next(o for o in list(check_files(batch, workers=2)) if o.file.endswith("zz-final.docx"))
    assert isinstance(final, Audited)
    assert {e.rule: e.status for e in final.ledger}["X12"] == "ran"
    assert sorted(f.rule for f in final.findings if f.rule in ("X12", "X13")) == ["X12", "X12", "X13", "X13"]


def test_the_seeds_keep_their_counts_and_the_empty_file_its_reason(batch):
    outcomes = list(check_files(batch, workers=2))
    jinzhou = [o for o in outcomes if o.file.endswith("jinzhou-2026.txt")]
    assert len(jinzhou) == 3
    for o in jinzhou:
        assert o.about.department == "晋州市医疗保障局"
        assert [sum(f.severity == s for f in o.findings) for s in ("error", "warning", "info")] == [3, 4, 1]
    empty = next(o for o in outcomes if o.file.endswith("empty.txt"))
    assert isinstance(empty, Unchecked) and empty.failure.status == 2 and "文件是空的" in empty.failure.message


def test_cli_check_with_workers(batch):
    r = cli("check", *batch, "-j", "2", "--format", "json")
    assert r.exit_code == 2  # the empty file; the findings are reported all the same
    reports = json.loads(r.stdout)
    assert len(reports) == 9
    assert sum(rep["department"] == "高阳县医疗保障局" for rep in reports) == 3
    assert r.stderr.count("\n") == 1 and "empty.txt" in r.stderr
