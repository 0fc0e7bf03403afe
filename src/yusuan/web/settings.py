"""What a portal is configured with; one object, set when the app is made."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import BaseModel, Field, field_validator

from ..read import limits


def _cpus() -> int:
    # reading shares the machine with the server: leave it a core
    return max(1, min(4, (os.cpu_count() or 2) - 1))


class Settings(BaseModel):
    url: str = Field(description="the store's SQLAlchemy URL")
    token: str | None = Field(default=None, description="required on every request when set")
    # one file may be as large as the readers accept, so an upload is refused
    # for the same reason `yusuan check` would refuse the file
    max_upload_bytes: int = Field(default_factory=lambda: limits.current("file_size"), gt=0)
    max_files: int = Field(default=100, gt=0, description="files per upload request")
    workers: int = Field(default_factory=_cpus, gt=0, description="processes reading uploads")
    upload_dir: Path | None = Field(default=None, description="a private folder for uploads; a new one if None")
    keep_jobs: int = Field(default=500, gt=0, description="finished jobs remembered for their progress page")

    @field_validator("token")
    @classmethod
    def _blank_is_none(cls, v: str | None) -> str | None:
        return v or None

    @property
    def max_request_bytes(self) -> int:
        # multipart framing adds a few hundred bytes a file
        return self.max_files * self.max_upload_bytes + 64 * 1024
