"""The web portal (`yusuan serve`): a JSON API and pages over the store.

    from yusuan.web import create_app
    app = create_app("sqlite:///yusuan.db")          # any ASGI server runs it

Needs the `web` extra (fastapi, uvicorn, python-multipart).

    app.py        create_app: settings, engine, job queue, middleware, routers, /docs, /static
    settings.py   Settings (url, token, max_upload_bytes, max_files, workers, upload_dir)
    security.py   the token on every request, the CSRF cookie and checks, the request body limit
    uploads.py    an uploaded file onto disk under a generated name; the client's name cleaned
    jobs.py       upload jobs read by ingest's process_file in worker processes, with progress
    queries.py    what pages and API read: documents, summary, findings + reviews, ledger, model
    downloads.py  a stored document as JSON, cells CSV, DOCX, XLSX, HTML, PDF
    responses.py  the API's pydantic shapes
    api.py        /api/…
    pages.py      the document pages: home, upload job, document, table view, reviews, review copies
    finding_view.py  a stored finding for the page: grouped, its place in words, the cell it links to
    table_view.py the table as printed (the writers' layout) with one cell marked
    review_export.py  the review as DOCX/XLSX to send back to the department
    browse.py     departments, a department over the years, compare, peers, the bureau's year
    figures.py    a document's key figures in 万元 (where each is printed: data/web_figures.yaml)
    templates/    Jinja2 templates of the pages
    static/       vendored scripts and styles (no CDN), served at /static
"""

from __future__ import annotations

from .app import create_app
from .settings import Settings

__all__ = ["Settings", "create_app"]
