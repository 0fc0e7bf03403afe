"""The web portal (`yusuan serve`): a JSON API and pages over the store.

    from yusuan.web import create_app
    app = create_app("sqlite:///yusuan.db")          # any ASGI server runs it

Needs the `web` extra (fastapi, uvicorn, python-multipart)."""

from __future__ import annotations

from .app import create_app
from .settings import Settings

__all__ = ["Settings", "create_app"]
