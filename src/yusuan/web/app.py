"""The portal's application: settings, the store, the job queue, access
control, and the API and page routers.

    app = create_app("sqlite:///yusuan.db", token=None, max_files=20)

Pages go on `pages.router` (CSRF-checked); static files, when there are
any, under `web/static/` are served at /static."""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from .. import __version__
from ..store import engine_for
from . import api, pages
from .jobs import Jobs
from .security import AccessMiddleware, BodyLimit
from .settings import Settings

STATIC = Path(__file__).resolve().parent / "static"


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

    app = FastAPI(title="yusuan", version=__version__, lifespan=lifespan,
                  description="部门预算与决算公开文件的读取、审核与复核 — read, audit and review budget disclosures.")
    app.state.settings, app.state.engine, app.state.jobs = settings, engine, jobs
    app.include_router(api.router)
    app.include_router(pages.router)
    if STATIC.is_dir():
        app.mount("/static", StaticFiles(directory=STATIC), name="static")
    # added last, so outermost: the body limit first, then the token, before any route
    app.add_middleware(AccessMiddleware, token=settings.token)
    app.add_middleware(BodyLimit, limit=settings.max_request_bytes)
    return app
