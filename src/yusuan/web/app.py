"""The portal's application: settings, the store, the job queue, access
control, and the API and page routers.

    app = create_app("sqlite:///yusuan.db", token=None, max_files=20)

Pages go on `pages.router` (CSRF-checked); scripts and styles are
vendored under `web/static/` (served at /static), never fetched from a CDN."""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from .. import __version__
from ..store import engine_for
from . import api, browse, pages
from .jobs import Jobs
from .security import AccessMiddleware, BodyLimit
from .settings import Settings

STATIC = Path(__file__).resolve().parent / "static"
SWAGGER = "/static/vendor/swagger-ui"
# the portal's bar over Swagger UI's page, which loads none of the portal's stylesheets; made by a script
# of the portal's own, as every other thing the page loads is (tests/test_web_api.py holds it to that)
DOCS_BAR = '<link rel="stylesheet" href="/static/docs-bar.css"><script src="/static/docs-bar.js"></script>'


def create_app(url: str, token: str | None = None, **options) -> FastAPI:
    """The portal on the store at `url` (migrated when opened). `options` are
    the other fields of Settings (max_upload_bytes, max_files, workers, upload_dir)."""
    settings = Settings(url=url, token=token, **options)
    engine = engine_for(settings.url)
    jobs = Jobs(engine, settings.workers, settings.upload_dir, settings.keep_jobs)

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        try:
            yield
        finally:
            jobs.close()
            engine.dispose()

    # FastAPI's own /docs loads Swagger UI from a CDN: the portal serves its vendored copy instead
    app = FastAPI(title="yusuan", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="部门预算与决算公开文件的读取、审核与复核 — read, audit and review budget disclosures.")
    app.state.settings, app.state.engine, app.state.jobs = settings, engine, jobs
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(browse.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        # validatorUrl None: Swagger UI would otherwise fetch a badge from its public validator
        page = get_swagger_ui_html(openapi_url=app.openapi_url, title="yusuan API",
                                   swagger_js_url=f"{SWAGGER}/swagger-ui-bundle.js",
                                   swagger_css_url=f"{SWAGGER}/swagger-ui.css",
                                   swagger_favicon_url=f"{SWAGGER}/favicon-32x32.png",
                                   swagger_ui_parameters={"validatorUrl": None})
        # Swagger UI's page has no way back to the portal: the portal's own bar goes above it
        html = page.body.decode().replace("<body>", f"<body>\n{DOCS_BAR}", 1)
        return HTMLResponse(html)
    # added last, so outermost: the body limit first, then the token, before any route
    app.add_middleware(AccessMiddleware, token=settings.token)
    app.add_middleware(BodyLimit, limit=settings.max_request_bytes)
    return app
