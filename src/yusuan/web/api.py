"""The JSON API, documented at /docs:

    POST /api/documents                    upload one or many files (multipart, field `files`) → a job
    GET  /api/jobs/{id}                    the job's progress and, per file, the document id
    GET  /api/documents                    documents (filters: year, kind, department)
    GET  /api/documents/{id}               metadata and counts (dismissed findings left out)
    GET  /api/documents/{id}/findings      findings with their location and review
    GET  /api/documents/{id}/ledger        which rules ran, did not apply, could not run
    GET  /api/documents/{id}/model         the model as JSON (`yusuan parse`'s)
    GET  /api/documents/{id}/files/{fmt}   json, cells.csv, docx, xlsx, html or pdf, made from the model
    GET  /api/departments                  departments with their years and kinds
    POST /api/findings/{id}/review         confirm, dismiss or reopen a finding
"""

from __future__ import annotations

from typing import Literal

import anyio
from fastapi import APIRouter, Depends, File, HTTPException, Query, Request, Response, UploadFile

from ..store.review import UnknownFinding, set_review
from . import downloads, queries
from .jobs import Job
from .responses import (Department, DocumentBrief, DocumentOut, FindingOut, JobFile, JobOut, LedgerEntry, Problem,
                        ReviewIn, ReviewOut, Summary)
from .security import api_write_allowed
from .uploads import FileTooLarge, Staging

router = APIRouter(prefix="/api", tags=["api"], responses={404: {"model": Problem}})

CHUNK = 1 << 20


def _engine(request: Request):
    return request.app.state.engine


def _document_or_404(request: Request, document_id: int) -> dict:
    doc = queries.document(_engine(request), document_id)
    if doc is None:
        raise HTTPException(404, f"no document {document_id}")
    return doc


def job_out(request: Request, job: Job) -> JobOut:
    return JobOut(id=job.id, total=job.total, done=job.done, errors=job.errors, finished=job.finished,
                  document_ids=job.document_ids, url=str(request.url_for("job", job_id=job.id)),
                  files=[JobFile(file_name=u.file_name, sha256=u.sha256, status=u.status, document_id=u.document,
                                 message=u.message) for u in job.files])


async def stage_uploads(request: Request, files: list[UploadFile]) -> Job:
    """Write the uploads into the private folder and queue them; 400 for too
    many files, 413 for one too large (nothing is kept then)."""
    settings, jobs = request.app.state.settings, request.app.state.jobs
    if not files:
        raise HTTPException(400, "no file was sent (multipart field `files`)")
    if len(files) > settings.max_files:
        raise HTTPException(400, f"{len(files)} files in one upload; at most {settings.max_files}")
    staged = []
    try:
        for upload in files:
            s = Staging(jobs.folder, upload.filename or "", settings.max_upload_bytes)
            try:
                while chunk := await upload.read(CHUNK):
                    s.write(chunk)
            except BaseException:
                s.discard()
                raise
            staged.append(s.finish())
    except FileTooLarge as exc:
        for _, path, _ in staged:
            path.unlink(missing_ok=True)
        raise HTTPException(413, str(exc)) from None
    return jobs.submit(staged)


@router.post("/documents", response_model=JobOut, status_code=202, dependencies=[Depends(api_write_allowed)],
             responses={400: {"model": Problem}, 413: {"model": Problem}})
async def upload_documents(request: Request, response: Response,
                           files: list[UploadFile] = File(..., description="one or many disclosures"),
                           wait: bool = Query(False, description="answer when every file is read and stored")):
    """Read, audit and store the files in the background. The answer names
    the job to poll; files whose bytes are stored already have their
    document id at once. With `wait=true` the answer comes when all are done."""
    job = await stage_uploads(request, files)
    if wait:
        await anyio.to_thread.run_sync(job.done_event.wait)
        response.status_code = 200
    return job_out(request, job)


@router.get("/jobs/{job_id}", response_model=JobOut, name="job")
def get_job(request: Request, job_id: str):
    job = request.app.state.jobs.get(job_id)
    if job is None:
        raise HTTPException(404, f"no job {job_id} (jobs are forgotten when the server restarts)")
    return job_out(request, job)


@router.get("/documents", response_model=list[DocumentBrief])
def list_documents(request: Request, year: int | None = None, kind: str | None = None,
                   department: str | None = None):
    return queries.documents(_engine(request), year=year, kind=kind, department=department)


@router.get("/documents/{document_id}", response_model=DocumentOut)
def get_document(request: Request, document_id: int):
    doc = _document_or_404(request, document_id)
    return DocumentOut(**doc, summary=Summary(**queries.summary(_engine(request), document_id)))


@router.get("/documents/{document_id}/findings", response_model=list[FindingOut])
def get_findings(request: Request, document_id: int):
    _document_or_404(request, document_id)
    return [FindingOut(**{**f, "review": ReviewOut(**vars(f["review"]))})
            for f in queries.findings(_engine(request), document_id)]


@router.get("/documents/{document_id}/ledger", response_model=list[LedgerEntry])
def get_ledger(request: Request, document_id: int):
    _document_or_404(request, document_id)
    return queries.ledger(_engine(request), document_id)


@router.get("/documents/{document_id}/model", response_class=Response,
            responses={200: {"content": {"application/json": {}},
                             "description": "the Disclosure model (its JSON Schema: `yusuan schema`)"}})
def get_model(request: Request, document_id: int):
    doc = _document_or_404(request, document_id)
    data = queries.model_json(_engine(request), document_id)
    if data is None:
        why = doc["message"] if doc["status"] != "ok" else "stored before models were kept; ingest the file again"
        raise HTTPException(404, f"document {document_id} has no model: {why}")
    return Response(data, media_type="application/json")


@router.get("/documents/{document_id}/files/{fmt}", response_class=Response,
            responses={200: {"description": "the document as a file to save"}, 503: {"model": Problem}})
def get_file(request: Request, document_id: int, fmt: Literal["json", "cells.csv", "docx", "xlsx", "html", "pdf"]):
    from ..write.render import RenderError

    doc = _document_or_404(request, document_id)
    d = queries.model(_engine(request), document_id)
    if d is None:
        raise HTTPException(404, f"document {document_id} has no model: {doc['message'] or 'stored before models were kept'}")
    try:
        f = downloads.make(d, fmt)
    except RenderError as exc:
        raise HTTPException(503, str(exc)) from None
    return Response(f.data, media_type=f.media_type, headers={"Content-Disposition": f.disposition})


@router.get("/departments", response_model=list[Department])
def get_departments(request: Request):
    return queries.departments(_engine(request))


@router.post("/findings/{finding_id}/review", response_model=FindingOut, dependencies=[Depends(api_write_allowed)])
def review_finding(request: Request, finding_id: int, review: ReviewIn):
    engine = _engine(request)
    try:
        set_review(engine, finding_id, review.status, review.note, review.reviewer)
    except UnknownFinding:
        raise HTTPException(404, f"no finding {finding_id}") from None
    document_id = queries.finding_document(engine, finding_id)
    f = next(f for f in queries.findings(engine, document_id) if f["id"] == finding_id)
    return FindingOut(**{**f, "review": ReviewOut(**vars(f["review"]))})
