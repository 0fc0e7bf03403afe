"""The store on a real PostgreSQL server (scripts/pg-throwaway starts one;
CI installs it): the same ingest and export as on SQLite, to the byte."""

import subprocess
from pathlib import Path

import pytest
from conftest import EXAMPLES, cli
from sqlalchemy import text

SCRIPT = EXAMPLES.parent / "scripts" / "pg-throwaway"
FILES = [EXAMPLES / "jinzhou-2026.txt", EXAMPLES / "gaoyang-2023.docx"]


@pytest.fixture(scope="module")
def postgres():
    pytest.importorskip("psycopg")
    if not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        pytest.skip("PostgreSQL server not installed (scripts/install-system-deps)")
    r = subprocess.run([str(SCRIPT)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    url, folder = r.stdout.split()
    yield url
    subprocess.run([str(SCRIPT), "stop", folder], timeout=60)
    assert not Path(folder).exists()


def test_ingest_and_export_as_on_sqlite(postgres, tmp_path):
    r = cli("ingest", *FILES, "--db", postgres, "-j", "2")
    assert r.exit_code == 0, r.output
    assert "新存入 2 份（已在库中 0 份）" in r.stderr
    r = cli("ingest", *FILES, "--db", postgres, "-j", "1")
    assert "新存入 0 份（已在库中 2 份）" in r.stderr
    from yusuan.store import engine_for

    with engine_for(postgres).connect() as c:
        row = c.execute(text("select c.value, c.value_yuan, c.unit from cells c join documents d on d.id = c.document_id "
                             "where d.department = '晋州市医疗保障局' and c.table_id = 'income' and c.code = '21015' "
                             "and c.column_label = '合计'")).one()
        assert (row.value, str(row.value_yuan), row.unit) == ("638.20", "6382000.0000", "万元")
        t05 = c.execute(text("select count(*) from findings where rule = 'T05'")).scalar_one()
        assert t05 == 3
    sqlite = f"sqlite:///{tmp_path / 'y.db'}"
    assert cli("ingest", *FILES, "--db", sqlite, "-j", "1").exit_code == 0
    for url, name in ((postgres, "pg.csv"), (sqlite, "lite.csv")):
        assert cli("export", "--db", url, "-o", tmp_path / name).exit_code == 0
    pg, lite = ((tmp_path / n).read_text(encoding="utf-8-sig").splitlines() for n in ("pg.csv", "lite.csv"))
    assert sorted(pg) == sorted(lite) and len(pg) > 400
