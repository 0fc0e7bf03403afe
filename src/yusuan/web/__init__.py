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
    pages.py      HTML pages (router with CSRF checked on every POST; `render` gives templates the token)
    templates/    Jinja2 templates of the pages
    static/       vendored scripts and styles (no CDN), served at /static
"""

from __future__ import annotations

from .app import create_app
from .settings import Settings

__all__ = ["Settings", "create_app"]
