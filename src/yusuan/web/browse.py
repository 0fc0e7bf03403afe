"""The pages that look across documents: departments × years, one
department over the years (with charts of its key figures), two documents
compared, one figure across the departments of a year (/peers), and the
bureau's view of a year with the departments expected but missing.

Routes are on `router`, CSRF-checked on every POST like pages.router.
Chart data goes to the templates as plain lists (floats made at the last
step, for the chart's JSON only); tables show the Decimals."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from decimal import Decimal
from functools import lru_cache
from itertools import groupby

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse

from ..compare import compare as compare_models
from ..definitions import squash
from ..store.report import Report, words
from . import queries
from .figures import UNIT, charts, figures, key_figures
from .pages import render
from .security import csrf_protect

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)

# an expected-departments list is a few hundred names: a larger file is refused unread
MAX_LIST_BYTES = 1024 * 1024
LIST_HEADERS = ("部门", "部门名称", "单位", "单位名称", "名称", "department", "name")


def _kind(kind: str | None) -> str:
    return words().kinds.get(kind, kind or "")


def _label(doc: dict) -> str:
    return f"{doc['year'] or '?'}年{_kind(doc['kind'])}"


def _tell_apart(rows: list[dict], same) -> None:
    """`apart` on each row that another row would look the same as (by
    `same`): its file name, so two copies of a year's budget (the PDF and a
    text of it) are told apart; None on the common one-document case, which
    stays uncluttered. `apart_short` is what a chart's axis has room for:
    the format (PDF, TXT) when that alone tells them apart."""
    seen: dict = defaultdict(list)
    for r in rows:
        seen[same(r)].append(r)
    for group in seen.values():
        formats = [r["file_name"].rpartition(".")[2].upper() if "." in r["file_name"] else "" for r in group]
        by_format = all(formats) and len(set(formats)) == len(group)
        for r, fmt in zip(group, formats):
            r["apart"] = r["file_name"] if len(group) > 1 else None
            r["apart_short"] = (fmt if by_format else r["file_name"]) if len(group) > 1 else None


def _category(name: str, row: dict) -> str:
    # an axis label of two lines when another bar has the same name: the second tells them apart
    return f"{name}\n{row['apart_short']}" if row["apart"] else name


def _chart_value(value: Decimal | None) -> float | None:
    # the chart's JSON is the one place a figure becomes a float
    return None if value is None else float(value)


def _engine(request: Request):
    return request.app.state.engine


@lru_cache(maxsize=4096)
def _stored_figures(engine, document_id: int, sha256: str) -> dict[str, Decimal | None]:
    # a stored document never changes, and the file's hash keys it should its id be reused:
    # a year's peers page reads each model once (4 ms a document) instead of on every visit
    model = queries.model(engine, document_id)
    return key_figures(model) if model else {}


def _figures_of(engine, doc: dict) -> dict[str, Decimal | None]:
    return _stored_figures(engine, doc["id"], doc["sha256"]) if doc["status"] == "ok" else {}


@router.get("/departments", response_class=HTMLResponse, name="departments")
def departments(request: Request):
    docs = queries.documents(_engine(request))
    errors = queries.open_errors(_engine(request))
    years = sorted({d["year"] for d in docs if d["year"] is not None}, reverse=True)
    grid: dict[str, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    for d in docs:
        if d["department"] and d["year"] is not None:
            grid[d["department"]][d["year"]].append({**d, "kind_label": _kind(d["kind"]),
                                                     "errors": errors.get(d["id"], 0)})
    for by_year in grid.values():
        for cell in by_year.values():
            _tell_apart(cell, lambda d: d["kind"])
    return render(request, "browse_departments.html", years=years, grid=dict(sorted(grid.items())))


def _pairs(docs: list[dict]) -> list[dict]:
    """The comparisons a department's documents allow: each with last
    year's of the same kind, and a year's budget with its 决算."""
    by = {(d["year"], d["kind"]): d for d in docs if d["status"] == "ok"}
    out = []
    for (year, kind), d in sorted(by.items(), key=lambda x: (x[0][0] or 0, x[0][1] or "")):
        prev = by.get((year - 1, kind)) if year is not None else None
        if prev:
            out.append({"text": f"{_label(d)}与上年对比", "a": prev["id"], "b": d["id"]})
        if kind == "final_accounts" and (year, "budget") in by:
            out.append({"text": f"{year}年预算与决算对比", "a": by[(year, "budget")]["id"], "b": d["id"]})
    return out


@router.get("/departments/{name}", response_class=HTMLResponse, name="department")
def department(request: Request, name: str):
    engine = _engine(request)
    docs = queries.documents(engine, department=name)
    if not docs:
        raise HTTPException(404, f"没有部门“{name}”的文件")
    docs.sort(key=lambda d: (d["year"] or 0, d["kind"] or "", d["id"]))
    errors = queries.open_errors(engine)
    columns = []
    for d in docs:
        columns.append({**d, "label": _label(d), "errors": errors.get(d["id"], 0), "figures": _figures_of(engine, d)})
    _tell_apart(columns, lambda c: c["label"])
    found = [c for c in columns if c["figures"]]
    chart_data = [{"title": ch.title, "unit": UNIT, "categories": [_category(c["label"], c) for c in found],
                   "series": [{"name": figures()[k].label,
                               "data": [_chart_value(c["figures"].get(k)) for c in found]} for k in ch.figures]}
                  for ch in charts()]
    return render(request, "browse_department.html", department=name, columns=columns, figures=figures(),
                  charts=chart_data, pairs=_pairs(docs), unit=UNIT)


def _option(d: dict) -> dict:
    return {"id": d["id"], "text": f"{d['department'] or d['file_name']} · {_label(d)}"}


@router.get("/compare", response_class=HTMLResponse, name="compare")
def compare(request: Request, a: int | None = None, b: int | None = None):
    engine = _engine(request)
    options = [_option(d) for d in queries.documents(engine) if d["status"] == "ok"]
    result, problem = None, None
    if a is not None and b is not None:
        ma, mb = queries.model(engine, a), queries.model(engine, b)
        if ma is None or mb is None:
            problem = "所选文件不存在或未能读取。"
        else:
            result = compare_models(ma, mb)
    tables: dict[str, list] = defaultdict(list)
    for change in result.changes if result else ():
        tables[change.title].append(change)
    return render(request, "browse_compare.html", options=options, a=a, b=b, result=result, tables=dict(tables),
                  problem=problem, names={o["id"]: o["text"] for o in options})


@router.get("/peers", response_class=HTMLResponse, name="peers")
def peers(request: Request, year: int | None = None, figure: str = "three_public", kind: str = "budget"):
    engine = _engine(request)
    all_docs = queries.documents(engine)
    years = sorted({d["year"] for d in all_docs if d["year"] is not None}, reverse=True)
    if year is None and years:
        year = years[0]
    if figure not in figures():
        figure = "three_public"
    if kind not in words().kinds:
        kind = "budget"
    rows = []
    for d in all_docs:
        if d["year"] != year or d["kind"] != kind or d["status"] != "ok":
            continue
        rows.append({"id": d["id"], "department": d["department"] or d["file_name"], "file_name": d["file_name"],
                     "value": _figures_of(engine, d).get(figure)})
    _tell_apart(rows, lambda r: r["department"])
    # the largest first; a department whose document does not print the figure goes last
    rows.sort(key=lambda r: (r["value"] is None, -(r["value"] or 0)))
    shown = [r for r in rows if r["value"] is not None]
    # ECharts draws a category axis bottom-up: reversed, the largest is on top
    chart = {"title": figures()[figure].label, "unit": UNIT, "horizontal": True,
             "categories": [_category(r["department"], r) for r in reversed(shown)],
             "series": [{"name": figures()[figure].label, "data": [_chart_value(r["value"]) for r in reversed(shown)]}]}
    return render(request, "browse_peers.html", years=years, year=year, figure=figure, figures=figures(),
                  kind=kind, kinds=words().kinds, rows=rows, chart=chart, unit=UNIT)


def _read_list(data: bytes) -> list[str]:
    """Department names from a CSV (a 部门/department column, else the
    first) or an XLSX (its first sheet, the same way); the file's name is
    not trusted, its bytes say which it is."""
    if data[:4] == b"PK\x03\x04":
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        table = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    else:
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ValueError("名单文件既不是 UTF-8 也不是 GB18030 编码的 CSV，也不是 XLSX")
        table = list(csv.reader(io.StringIO(text)))
    table = [row for row in table if any(squash(c) for c in row)]
    if not table:
        return []
    head = [squash(c).lower() for c in table[0]]
    column = next((i for i, h in enumerate(head) if h in LIST_HEADERS), None)
    body = table[1:] if column is not None else table
    names = [squash(row[column or 0]) for row in body if len(row) > (column or 0)]
    return list(dict.fromkeys(n for n in names if n))


def _matches(a: str, b: str) -> bool:
    # as audit/versus.pair_budgets pairs a budget with its 决算: one name within the other
    a, b = squash(a), squash(b)
    return bool(a and b and (a in b or b in a))


def _expected(request: Request) -> dict[int, list[str]]:
    """The uploaded lists by year, in memory for this server's life (the
    list is the bureau's own: uploaded again after a restart)."""
    state = request.app.state
    if not hasattr(state, "expected"):
        state.expected = {}
    return state.expected


@router.post("/bureau/expected", name="bureau_expected")
async def bureau_expected(request: Request, year: int = Form(...), file: UploadFile = File(...)):
    data = await file.read(MAX_LIST_BYTES + 1)
    if len(data) > MAX_LIST_BYTES:
        too_large = f"名单文件超过 {MAX_LIST_BYTES // 1024} KB，未读取。"
        return _bureau(request, year, problem=too_large, status_code=413)
    try:
        names = _read_list(data)
    except ValueError as e:
        return _bureau(request, year, problem=str(e), status_code=400)
    except Exception as e:  # a broken workbook (openpyxl's many errors): said on the page, not a 500
        return _bureau(request, year, problem=f"无法读取名单文件（{type(e).__name__}）。", status_code=400)
    _expected(request)[year] = names
    return RedirectResponse(str(request.url_for("bureau").include_query_params(year=year)), status_code=303)


@router.get("/bureau", response_class=HTMLResponse, name="bureau")
def bureau(request: Request, year: int | None = None):
    return _bureau(request, year)


def _bureau(request: Request, year: int | None, problem: str | None = None, status_code: int = 200):
    engine = _engine(request)
    years = sorted({d["year"] for d in queries.documents(engine) if d["year"] is not None}, reverse=True)
    if year is None and years:
        year = years[0]
    report = Report(engine, year=year) if year is not None else None
    rows = list(report) if report else []
    # two files of one department and kind (a PDF and a text of it): each named under the department
    same = defaultdict(int)
    for r in rows:
        same[r.department, r.kind] += 1
    twins = {key for key, n in same.items() if n > 1 and key[0]}
    expected = _expected(request).get(year)
    missing = unlisted = None
    if expected is not None:
        present = {r.department for r in rows if r.department}
        missing = [e for e in expected if not any(_matches(e, p) for p in present)]
        unlisted = sorted(p for p in present if not any(_matches(e, p) for e in expected))
    # a family's name once over its severities' columns (Report orders them family by family)
    groups = [(report.words.families[f], len(list(g))) for f, g in groupby(report.families, key=lambda x: x[0])] \
        if report else []
    severities = [(report.words.columns[{"error": "errors", "warning": "warnings"}[s]], s)
                  for _, s in report.families] if report else []
    return render(request, "browse_bureau.html", years=years, year=year, rows=rows, groups=groups,
                  severities=severities, twins=twins, expected=expected, missing=missing, unlisted=unlisted,
                  max_kb=MAX_LIST_BYTES // 1024, problem=problem, status_code=status_code)
