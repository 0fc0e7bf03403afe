"""The HTML pages. Every route here is on `router`, whose dependency checks
the CSRF token of each POST; templates get `csrf_token` (put it in a hidden
`csrf_token` field or an `X-CSRF-Token` htmx header) from `render`."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Depends, File, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from . import queries
from .api import stage_uploads
from .security import CSRF_FIELD, CSRF_HEADER, csrf_protect

TEMPLATES = Path(__file__).resolve().parent / "templates"
templates = Jinja2Templates(directory=TEMPLATES)

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)


def render(request: Request, name: str, status_code: int = 200, **context) -> HTMLResponse:
    return templates.TemplateResponse(request, name, {"csrf_token": request.state.csrf_token,
                                                      "csrf_field": CSRF_FIELD, "csrf_header": CSRF_HEADER,
                                                      **context}, status_code=status_code)


@router.get("/", response_class=HTMLResponse, name="index")
def index(request: Request, job: str | None = None):
    running = request.app.state.jobs.get(job) if job else None
    return render(request, "index.html", documents=queries.documents(request.app.state.engine), job=running)


@router.post("/upload", name="upload")
async def upload(request: Request, files: list[UploadFile] = File(...)):
    job = await stage_uploads(request, files)
    return RedirectResponse(str(request.url_for("index").include_query_params(job=job.id)), status_code=303)
