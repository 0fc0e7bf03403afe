"""The disclosure database: ingest into SQLite, read back with plain SQL."""

from __future__ import annotations

import shutil
import sqlite3
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from yusuan.audit import audit_with_ledger
from yusuan.read import read
from yusuan.store import engine_for, ingest, save
from yusuan.store.ingest import sha256_of

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
FOUR = sorted([*EXAMPLES.glob("*.txt"), *EXAMPLES.glob("*.docx")])


def _url(db: Path) -> str:
    return f"sqlite:///{db}"


def _query(db: Path, sql: str, *args) -> list[tuple]:
    with sqlite3.connect(db) as con:
        return con.execute(sql, args).fetchall()


def _count(db: Path, table: str) -> int:
    return _query(db, f"select count(*) from {table}")[0][0]


@pytest.fixture(scope="module")
def stored(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("store") / "yusuan.db"
    summary = ingest(FOUR, url=_url(db), workers=2)
    assert (summary.files, summary.stored, summary.ok, summary.errors) == (4, 4, 4, 0)
    return db


def test_four_documents(stored):
    assert len(FOUR) == 4
    assert _count(stored, "documents") == 4
    rows = _query(stored, "select file_name, department, status, kind, year, tool_version from documents "
                          "order by file_name")
    assert [r[0] for r in rows] == [p.name for p in FOUR]
    assert {r[2] for r in rows} == {"ok"}
    assert ("jinzhou-2026.txt", "晋州市医疗保障局", "ok", "budget", 2026) == rows[3][:5]


def test_cell_value_as_printed_and_in_yuan(stored):
    rows = _query(stored, """
        select c.value, c.unit, c.value_yuan from cells c join documents d on d.id = c.document_id
        where d.file_name = 'jinzhou-2026.txt' and d.department = '晋州市医疗保障局'
          and c.table_id = 'income' and c.code = '21015' and c.item = '医疗保障管理事务'
          and c.column_label = '合计'""")
    assert rows == [("638.20", "万元", 6382000)]


def test_cells_match_the_tidy_list(stored):
    from yusuan.export.cells import iter_cells
    d = read(EXAMPLES / "jinzhou-2026.txt")
    got = _query(stored, """select c.table_id, c.code, c.item, c.column_label, c.value, c.unit, c.value_yuan
                            from cells c join documents d on d.id = c.document_id
                            where d.file_name = 'jinzhou-2026.txt' order by c.id""")
    want = []
    for unit, table, code, item, column, value in iter_cells(d):
        yuan = value * {"万元": 10000, "元": 1}[unit] if unit else None
        want.append((table, code or None, item, column, str(value), unit or None, yuan))
    assert [(*r[:6], None if r[6] is None else Decimal(str(r[6]))) for r in got] == want
    # counts (资产 数量) have no unit and so no yuan value
    assert all((u is None) == (y is None) for *_, u, y in got)


def test_findings_and_ledger_as_the_audit_gives(stored):
    findings, ledger = audit_with_ledger(read(EXAMPLES / "jinzhou-2026.txt"))
    got = _query(stored, """select f.rule, f.severity from findings f join documents d on d.id = f.document_id
                            where d.file_name = 'jinzhou-2026.txt'""")
    assert Counter(r for r, _ in got) == Counter(f.rule for f in findings)
    assert Counter(got)[("T05", "error")] == 3
    entries = _query(stored, """select l.rule, l.status, l.reason from ledger l join documents d
                                on d.id = l.document_id where d.file_name = 'jinzhou-2026.txt'""")
    assert sorted(entries, key=str) == sorted(((e.rule, e.status, e.reason) for e in ledger), key=str)
    families = _query(stored, "select distinct family from findings where rule = 'T05'")
    assert families and families[0][0]


def test_second_ingest_adds_nothing(stored):
    before = {t: _count(stored, t) for t in ("documents", "tables", "cells", "findings", "ledger")}
    summary = ingest([EXAMPLES / "jinzhou-2026.txt", *FOUR], url=_url(stored), workers=1)
    assert (summary.files, summary.skipped, summary.stored) == (5, 5, 0)
    assert {t: _count(stored, t) for t in before} == before


def test_same_bytes_under_another_name_are_one_document(tmp_path):
    copy = tmp_path / "again.txt"
    shutil.copy(EXAMPLES / "jinzhou-2026.txt", copy)
    db = tmp_path / "y.db"
    summary = ingest([EXAMPLES / "jinzhou-2026.txt", copy], url=_url(db), workers=1)
    assert (summary.stored, summary.skipped) == (1, 1)
    assert _count(db, "documents") == 1


def test_bad_file_is_recorded_and_the_batch_goes_on(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    shutil.copy(EXAMPLES / "gaoyang-2023.txt", folder / "gaoyang-2023.txt")
    db = tmp_path / "y.db"
    seen = []
    summary = ingest([folder], url=_url(db), workers=2, progress=lambda *a: seen.append(a))
    assert (summary.stored, summary.ok, summary.unreadable, summary.internal) == (2, 1, 1, 0)
    assert seen[0] == (0, 2, 0) and seen[-1] == (2, 2, 1)
    (status, message, dept), = _query(db, "select status, message, department from documents "
                                          "where file_name = 'empty.txt'")
    assert status == "unreadable" and message and dept is None
    assert _query(db, "select status from documents where file_name = 'gaoyang-2023.txt'") == [("ok",)]
    assert _query(db, "select count(*) from cells c join documents d on d.id = c.document_id "
                      "where d.status != 'ok'") == [(0,)]


def test_internal_error_is_recorded_with_its_type(tmp_path, monkeypatch):
    from yusuan.store.ingest import process_file

    def boom(d, *a, **k):
        raise ZeroDivisionError("no")
    # workers=1 still uses a process; forked workers inherit the patch
    monkeypatch.setattr("yusuan.audit.audit_with_ledger", boom)
    db = tmp_path / "y.db"
    rows = process_file(str(EXAMPLES / "gaoyang-2023.txt"), "x" * 64)
    assert rows.status == "internal" and rows.document["message"].startswith("ZeroDivisionError")
    summary = ingest([EXAMPLES / "gaoyang-2023.txt"], url=_url(db), workers=1)
    assert summary.internal == 1
    assert _query(db, "select status, message from documents") == [("internal", "ZeroDivisionError: no")]


def _content(db: Path) -> dict[str, list]:
    # everything but ids and the times, which differ from run to run
    return {
        "documents": _query(db, "select sha256, file_name, department, scope, year, kind, profile, pages, "
                                "status, message from documents order by sha256"),
        "cells": _query(db, "select d.sha256, table_id, code, item, column_label, value, unit, value_yuan "
                            "from cells c join documents d on d.id = c.document_id order by d.sha256, c.id"),
        "findings": _query(db, "select d.sha256, rule, severity, f.message, table_id, code, item, column_label, "
                               "section, page, line from findings f join documents d on d.id = f.document_id "
                               "order by d.sha256, f.id"),
        "ledger": _query(db, "select d.sha256, l.rule, l.status, l.reason from ledger l join documents d "
                             "on d.id = l.document_id order by d.sha256, l.id"),
        "tables": _query(db, "select d.sha256, table_id, title, unit from tables t join documents d "
                             "on d.id = t.document_id order by d.sha256, t.id"),
    }


def test_two_workers_store_what_one_does(tmp_path, stored):
    one = tmp_path / "one.db"
    ingest(FOUR, url=_url(one), workers=1)
    assert _content(one) == _content(stored)


def _head() -> str:
    from alembic.script import ScriptDirectory

    from yusuan.store.db import _alembic_config

    return ScriptDirectory.from_config(_alembic_config("sqlite://")).get_current_head()


def test_opening_an_existing_database_migrates_idempotently(tmp_path):
    db = tmp_path / "y.db"
    for _ in range(3):
        engine_for(_url(db)).dispose()
    assert _query(db, "select version_num from alembic_version") == [(_head(),)]
    names = {r[0] for r in _query(db, "select name from sqlite_master where type = 'table'")}
    assert {"documents", "tables", "rows", "cells", "findings", "ledger"} <= names


def test_a_database_of_the_first_schema_is_upgraded_with_its_documents(tmp_path):
    from alembic import command

    from yusuan.store.db import _alembic_config

    db = tmp_path / "old.db"
    command.upgrade(_alembic_config(_url(db)), "0001")
    with sqlite3.connect(db) as con:
        con.execute("insert into documents (sha256, file_name, department, status, tool_version, ingested_at) "
                    "values ('ab', 'old.txt', '某局', 'ok', '0.0.9', '2026-01-01 00:00:00')")
        con.execute("insert into cells (document_id, table_id, code, item, column_label, value, unit, value_yuan) "
                    "values (1, 'income', '201', '一般公共服务支出', '合计', '1.50', '万元', 15000)")
    assert "column_key" not in {r[1] for r in _query(db, "pragma table_info(cells)")}
    ingest([EXAMPLES / "jinzhou-2026.txt"], url=_url(db), workers=1)
    assert _query(db, "select version_num from alembic_version") == [(_head(),)]
    # the old document is kept as it was, its new columns empty
    assert _query(db, "select file_name, department from documents order by id") == [
        ("old.txt", "某局"), ("jinzhou-2026.txt", "晋州市医疗保障局")]
    assert _query(db, "select value, row_position, column_key from cells where document_id = 1") == [
        ("1.50", None, None)]
    assert _query(db, "select count(*) from rows where document_id = 1") == [(0,)]
    assert _query(db, "select count(*) from cells where document_id = 2 and column_key is null") == [(0,)]


def test_rows_in_order_and_cells_by_row_and_column_key(stored):
    # 晋州's 部门收入总表 prints 类 210 before its 款 21015 and 项 2101501; the
    # cell of 合计 on the 款's row is found by the row's position and the key
    rows = _query(stored, """
        select r.position, r.code, r.item, r.level from rows r join documents d on d.id = r.document_id
        where d.file_name = 'jinzhou-2026.txt' and r.table_id = 'income' order by r.position""")
    codes = [r[1] for r in rows]
    assert codes.index("210") < codes.index("21015") < codes.index("2101501")
    assert ("210", "卫生健康支出", "类") == rows[codes.index("210")][1:]
    cell = _query(stored, """
        select c.value, c.column_key from cells c join rows r
          on r.document_id = c.document_id and r.table_id = c.table_id and r.position = c.row_position
          join documents d on d.id = c.document_id
        where d.file_name = 'jinzhou-2026.txt' and r.table_id = 'income' and r.code = '21015'
          and c.column_label = '合计'""")
    assert cell == [("638.20", "total")]


def test_save_in_process_is_idempotent(tmp_path):
    path = EXAMPLES / "gaoyang-2023.docx"
    d = read(path)
    findings, ledger = audit_with_ledger(d)
    engine = engine_for(_url(tmp_path / "y.db"))
    try:
        digest = sha256_of(path)
        assert save(engine, path, digest, d, findings, ledger, {"read": 0.1, "audit": 0.2}) is True
        assert save(engine, path, digest, d, findings, ledger, {"read": 0.1, "audit": 0.2}) is False
    finally:
        engine.dispose()
    db = tmp_path / "y.db"
    assert _count(db, "documents") == 1
    assert _query(db, "select read_seconds, audit_seconds from documents") == [(0.1, 0.2)]
    assert _count(db, "findings") == len(findings)


def test_migrations_make_the_schema_the_code_writes(tmp_path):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from yusuan.store.schema import metadata

    engine = engine_for(_url(tmp_path / "y.db"))
    try:
        with engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), metadata)
    finally:
        engine.dispose()
    assert diff == []


def test_export_cells_across_documents(tmp_path, stored):
    import csv

    from yusuan.store.export import EXPORT_HEADER, export_cells

    out = tmp_path / "cells.csv"
    n = export_cells(_url(stored), out=out)
    raw = out.read_bytes()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert tuple(rows[0]) == EXPORT_HEADER
    assert n == len(rows) == _count(stored, "cells")
    assert {r["department"] for r in rows} == {"晋州市医疗保障局", "高阳县医疗保障局"}
    assert {"department": "晋州市医疗保障局", "year": "2026", "kind": "budget", "unit": "万元", "table": "income",
            "code": "21015", "item": "医疗保障管理事务", "column": "合计", "value": "638.20",
            "value_yuan": "6382000.00", "file": "jinzhou-2026.txt"} in rows
    assert all((r["unit"] == "") == (r["value_yuan"] == "") for r in rows)

    only = tmp_path / "jinzhou.csv"
    m = export_cells(_url(stored), out=only, year=2026, kind="budget", department="晋州市医疗保障局")
    picked = list(csv.DictReader(only.read_text(encoding="utf-8-sig").splitlines()))
    assert m == len(picked) == sum(r["department"] == "晋州市医疗保障局" for r in rows) > 0
    assert export_cells(_url(stored), out=tmp_path / "none.csv", year=1999) == 0
    with pytest.raises(ValueError):
        export_cells(_url(stored), fmt="xml", out=tmp_path / "x.xml")


def test_a_worker_killed_outright_fails_only_its_own_file(tmp_path, monkeypatch):
    import os

    from yusuan.audit import audit_with_ledger as real

    def dies_on_gaoyang(d, *a, **k):
        if d.department.name.startswith("高阳"):
            os._exit(9)  # as the kernel's OOM killer would: no exception, no answer
        return real(d, *a, **k)
    # the workers are forked after this, so they inherit it
    monkeypatch.setattr("yusuan.audit.audit_with_ledger", dies_on_gaoyang)
    db = tmp_path / "y.db"
    files = [EXAMPLES / "gaoyang-2023.txt", EXAMPLES / "jinzhou-2026.txt", EXAMPLES / "jinzhou-2026.docx"]
    summary = ingest(files, url=_url(db), workers=2)
    assert (summary.stored, summary.ok, summary.internal) == (3, 2, 1)
    got = dict(_query(db, "select file_name, status from documents"))
    assert got == {"gaoyang-2023.txt": "internal", "jinzhou-2026.txt": "ok", "jinzhou-2026.docx": "ok"}
    (message,), = _query(db, "select message from documents where status = 'internal'")
    assert message.startswith("WorkerDied")


def test_save_within_a_callers_session(tmp_path):
    from sqlalchemy.orm import Session

    from yusuan.read import ReadError

    path = EXAMPLES / "jinzhou-2026.txt"
    engine = engine_for(_url(tmp_path / "y.db"))
    try:
        with Session(engine) as session:
            assert save(session, path, sha256_of(path), ReadError("not a disclosure")) is True
            assert save(session, path, sha256_of(path), ReadError("not a disclosure")) is False
            session.commit()
    finally:
        engine.dispose()
    assert _query(tmp_path / "y.db", "select file_name, status, message from documents") == [
        ("jinzhou-2026.txt", "unreadable", "not a disclosure")]


def test_a_stored_finding_is_the_audits_finding_again(tmp_path):
    # everything that places a finding (paragraph, quote, project, the cited
    # cell) survives the store, so a review copy made from it puts each
    # comment where `yusuan annotate` puts it
    from yusuan.web import queries
    from yusuan.web.finding_view import as_finding

    path = EXAMPLES / "jinzhou-2026.txt"
    d = read(path)
    findings, ledger = audit_with_ledger(d)
    engine = engine_for(_url(tmp_path / "y.db"))
    try:
        assert save(engine, path, sha256_of(path), d, findings, ledger)
        stored = [as_finding(f) for f in queries.findings(engine, 1)]
    finally:
        engine.dispose()
    assert stored == findings
    t05 = next(f for f in stored if f.rule == "T05")
    assert (t05.paragraph, t05.cited_table, t05.cited_column) == (0, "three_public", "total")
