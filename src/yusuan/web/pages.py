"""The HTML pages. Every route here is on `router`, whose dependency checks
the CSRF token of each POST; templates get `csrf_token` (put it in a hidden
`csrf_token` field or an `X-CSRF-Token` htmx header) from `render`.

    /                                   recent documents, the upload form
    POST /upload                        → /jobs/{id}, the upload's progress
    /documents/{id}                     a document's findings, ledger, downloads
    /documents/{id}/tables/{table_id}   a table as printed, ?row=&col= marking a cell (&finding= saying whose)
    POST /findings/{id}/review          confirm, dismiss or reopen (htmx swaps the finding and the counts)
    /documents/{id}/review.docx|.xlsx   the review, to send back to the department
    /documents/{id}/annotated.docx      yusuan's Word of the document, the findings still standing as comments
    /documents/{id}/report.md           the audit's findings report
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context

from .. import __version__
from ..store.review import STATUSES, UnknownFinding, set_review
from . import finding_view, queries, review_export, table_view
from .api import _document_or_404 as _document, _engine, stage_uploads
from .downloads import MEDIA
from .security import CSRF_FIELD, CSRF_HEADER, csrf_protect

TEMPLATES = Path(__file__).resolve().parent / "templates"
templates = Jinja2Templates(directory=TEMPLATES)


@pass_context
def path(context, name: str, **params) -> str:
    # a path, not url_for's absolute URL: links stay right behind a proxy, and `a[href^="/documents/"]` finds them
    return str(context["request"].app.url_path_for(name, **params))


templates.env.globals.update(path=path, version=__version__, severity_zh=finding_view.SEVERITY_ZH,
                             status_zh=finding_view.STATUS_ZH, kind_zh=review_export.KIND_ZH)

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)

UPLOAD_ACCEPT = ".txt,.docx,.doc,.xlsx,.xls,.pdf,.json,.rtf"


def render(request: Request, name: str, status_code: int = 200, **context) -> HTMLResponse:
    return templates.TemplateResponse(request, name, {"csrf_token": request.state.csrf_token,
                                                      "csrf_field": CSRF_FIELD, "csrf_header": CSRF_HEADER,
                                                      **context}, status_code=status_code)


@router.get("/", response_class=HTMLResponse, name="index")
def index(request: Request):
    engine = _engine(request)
    docs = [{**d, "summary": queries.summary(engine, d["id"])} for d in queries.recent_documents(engine)]
    return render(request, "index.html", documents=docs, accept=UPLOAD_ACCEPT)


@router.post("/upload", name="upload")
async def upload(request: Request, files: list[UploadFile] = File(...)):
    job = await stage_uploads(request, files)
    return RedirectResponse(str(request.url_for("job_page", job_id=job.id)), status_code=303)


def _job(request: Request, job_id: str):
    job = request.app.state.jobs.get(job_id)
    if job is None:
        raise HTTPException(404, "没有这个上传任务（服务重启后任务记录会清空，已存入的文件仍在）")
    return job


@router.get("/jobs/{job_id}", response_class=HTMLResponse, name="job_page")
def job_page(request: Request, job_id: str):
    return render(request, "job.html", job=_job(request, job_id))


@router.get("/jobs/{job_id}/progress", response_class=HTMLResponse, name="job_progress")
def job_progress(request: Request, job_id: str):
    return render(request, "_job_progress.html", job=_job(request, job_id))


def _findings(request: Request, document_id: int):
    """The findings, and what ties each to its cell: the rows' positions
    (findings name their cells as data, so the model is not unpacked)."""
    engine = _engine(request)
    return queries.findings(engine, document_id), queries.row_positions(engine, document_id)


@router.get("/documents/{document_id}", response_class=HTMLResponse, name="document_page")
def document_page(request: Request, document_id: int):
    from ..audit.rulebook import rules

    engine = _engine(request)
    doc = _document(request, document_id)
    findings, positions = _findings(request, document_id)
    ledger = queries.ledger(engine, document_id)
    meta = rules()
    for e in ledger:
        e["zh"] = meta[e["rule"]].zh if e["rule"] in meta else ""
    return render(request, "document.html", doc=doc, summary=queries.summary(engine, document_id),
                  groups=finding_view.grouped(findings, positions), ledger=ledger,
                  tables=queries.stored_tables(engine, document_id), downloads=[f for f in MEDIA if f != "html"])


@router.get("/documents/{document_id}/tables/{table_id}", response_class=HTMLResponse, name="table_page")
def table_page(request: Request, document_id: int, table_id: str, row: int | None = None, col: str | None = None,
               finding: int | None = None):
    doc = _document(request, document_id)
    engine = _engine(request)
    d = queries.model(engine, document_id)
    shown = table_view.view(d, table_id, row, col) if d is not None else None
    if shown is None:
        raise HTTPException(404, f"文件 {document_id} 没有表 {table_id}")
    tables = [(t.id, table_view.table_title(d, t)) for t in d.all_tables()]
    # the finding the marked cell is for, said above the table; one of another document is not shown
    about = next((f for f in queries.findings(engine, document_id) if f["id"] == finding), None) \
        if finding is not None else None
    return render(request, "table.html", doc=doc, view=shown, tables=tables, row=row, col=col, finding=about)


@router.post("/findings/{finding_id}/review", name="review")
def review(request: Request, finding_id: int, status: str = Form(...), note: str = Form("")):
    if status not in STATUSES:
        raise HTTPException(400, f"status 须为 {'、'.join(STATUSES)} 之一")
    engine = _engine(request)
    try:
        set_review(engine, finding_id, status, note.strip() or None)
    except UnknownFinding:
        raise HTTPException(404, f"没有编号为 {finding_id} 的问题") from None
    document_id = queries.finding_document(engine, finding_id)
    if request.headers.get("HX-Request") != "true":
        url = request.url_for("document_page", document_id=document_id)
        return RedirectResponse(f"{url}#finding-{finding_id}", status_code=303)
    findings, positions = _findings(request, document_id)
    f = next(f for f in findings if f["id"] == finding_id)
    return render(request, "_review_swap.html", f=finding_view.shown(f, positions), doc={"id": document_id},
                  summary=queries.summary(engine, document_id))


@router.get("/documents/{document_id}/review.{fmt}", name="review_export")
def review_file(request: Request, document_id: int, fmt: Literal["docx", "xlsx"]):
    from .downloads import Download

    doc = _document(request, document_id)
    findings = queries.findings(_engine(request), document_id)
    make = review_export.to_docx if fmt == "docx" else review_export.to_xlsx
    f = Download(make(doc, findings), MEDIA[fmt], f"{review_export.title(doc)}.{fmt}")
    return Response(f.data, media_type=f.media_type, headers={"Content-Disposition": f.disposition})


@router.get("/documents/{document_id}/annotated.docx", name="annotated_docx")
def annotated_docx(request: Request, document_id: int):
    from ..annotate import annotate_rendering
    from ..write.render import RenderError
    from .downloads import Download, file_name

    _document(request, document_id)  # 404 for an unknown id
    engine = _engine(request)
    d = queries.model(engine, document_id)
    if d is None:
        raise HTTPException(404, f"文件 {document_id} 没有可用的模型")
    # the store keeps the model, not the uploaded file: the comments go on
    # yusuan's own rendering of it; dismissed findings left out, as in the counts
    found = [finding_view.as_finding(f) for f in queries.findings(engine, document_id)
             if f["review"].status != "dismissed"]
    try:
        data = annotate_rendering(d, found)
    except RenderError as exc:
        raise HTTPException(503, str(exc)) from None
    f = Download(data, MEDIA["docx"], file_name(d, "docx").removesuffix(".docx") + "-批注版.docx")
    return Response(f.data, media_type=f.media_type, headers={"Content-Disposition": f.disposition})


@router.get("/documents/{document_id}/report.md", name="findings_report")
def findings_report(request: Request, document_id: int):
    from ..audit.ledger import Entry
    from ..audit.report import FileReport, to_markdown
    from ..model import About

    doc = _document(request, document_id)
    engine = _engine(request)
    about = About(doc["department"] or "", doc["year"], doc["kind"] or "", doc["profile"] or "",
                  doc["scope"] or "department", True, True)
    # the report says what still stands: dismissed findings are left out, as in the counts
    found = [finding_view.as_finding(f) for f in queries.findings(engine, document_id)
             if f["review"].status != "dismissed"]
    ledger = [Entry(**e) for e in queries.ledger(engine, document_id)]
    text = to_markdown([FileReport(doc["file_name"], about, found, ledger)])
    return Response(text, media_type="text/markdown; charset=utf-8")
