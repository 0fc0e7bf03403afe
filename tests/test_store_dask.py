"""`yusuan ingest --dask`: the same per-document work on a Dask cluster (a
LocalCluster of two worker processes here), written by the client; the
database ends the same as with local processes."""

import sqlite3

import pytest
from conftest import EXAMPLES, cli

pytest.importorskip("dask.distributed")

FILES = [EXAMPLES / "jinzhou-2026.txt", EXAMPLES / "gaoyang-2023.docx", EXAMPLES / "jinzhou-2026.pdf"]


def _contents(db):
    with sqlite3.connect(db) as c:
        docs = c.execute("select file_name, status, department, year, kind from documents order by file_name").fetchall()
        cells = c.execute("select d.file_name, c.table_id, c.code, c.item, c.column_label, c.value from cells c "
                          "join documents d on d.id = c.document_id order by 1, 2, 3, 4, 5, 6").fetchall()
        findings = c.execute("select d.file_name, f.rule, f.message from findings f join documents d on d.id = f.document_id "
                             "order by 1, 2, 3").fetchall()
    return docs, cells, findings


def test_a_local_dask_cluster_stores_what_local_processes_store(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_text("")
    on_dask, local = tmp_path / "dask.db", tmp_path / "local.db"
    r = cli("ingest", *FILES, bad, "--db", f"sqlite:///{on_dask}", "--dask", "local", "-j", "2")
    assert r.exit_code == 2, r.output  # the empty file is recorded, the batch goes on
    assert "新存入 4 份（已在库中 0 份）：正常 3，无法读取 1" in r.stderr
    assert cli("ingest", *FILES, bad, "--db", f"sqlite:///{local}", "-j", "1").exit_code == 2
    docs, cells, findings = _contents(on_dask)
    assert (docs, cells, findings) == _contents(local)
    assert ("empty.txt", "unreadable", None, None, None) in docs
    assert ("jinzhou-2026.pdf", "income", "21015", "医疗保障管理事务", "合计", "638.20") in cells


def test_a_cluster_by_address_gets_the_files_as_bytes(tmp_path):
    # a scheduler at an address may be on another machine: the files travel
    # as scattered bytes, and the store ends as with local processes
    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        remote = tmp_path / "remote.db"
        r = cli("ingest", *FILES, "--db", f"sqlite:///{remote}", "--dask", cluster.scheduler_address)
        assert r.exit_code == 0, r.output
    local = tmp_path / "local.db"
    assert cli("ingest", *FILES, "--db", f"sqlite:///{local}", "-j", "1").exit_code == 0
    assert _contents(remote) == _contents(local)
