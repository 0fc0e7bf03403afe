"""The JSON API's shapes, so /docs shows them and clients can rely on them."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field


class Summary(BaseModel):
    errors: int
    warnings: int
    info: int
    by_family: dict[str, int] = Field(description="errors and warnings by rule family (C, A, X, T, K, P, F, R)")
    dismissed: int = Field(description="findings dismissed by a reviewer, left out of the counts above")


class DocumentBrief(BaseModel):
    id: int
    file_name: str = Field(description="the uploaded file's name, cleaned; a label, not a path")
    sha256: str
    department: str | None
    scope: str | None
    year: int | None
    kind: str | None = Field(description="budget or final_accounts")
    profile: str | None
    source_format: str | None
    pages: int | None
    status: str = Field(description="ok, unreadable or internal")
    message: str | None = Field(description="why the file could not be read")
    tool_version: str
    ingested_at: dt.datetime


class DocumentOut(DocumentBrief):
    has_model: bool = Field(description="whether the model is stored (GET …/model)")
    summary: Summary


class ReviewOut(BaseModel):
    status: Literal["open", "confirmed", "dismissed"]
    note: str | None = None
    reviewer: str | None = None
    updated_at: dt.datetime | None = None


class FindingOut(BaseModel):
    id: int
    rule: str
    family: str | None
    severity: str = Field(description="error, warning or info")
    message: str
    table_id: str | None = Field(description="the table (model id, e.g. three_public)")
    code: str | None
    item: str | None
    column_key: str | None
    column_label: str | None
    section: str | None = Field(description="the explanation's section, for text findings")
    page: int | None = Field(description="the page, for PDFs")
    line: int | None
    review: ReviewOut


class LedgerEntry(BaseModel):
    rule: str
    status: Literal["ran", "not_applicable", "could_not_run"]
    reason: str | None


class ReviewIn(BaseModel):
    status: Literal["open", "confirmed", "dismissed"] = Field(description="open reopens the finding")
    note: str | None = Field(default=None, max_length=10_000)
    reviewer: str | None = Field(default=None, max_length=200)


class Department(BaseModel):
    name: str
    documents: int
    years: list[int]
    kinds: list[str]


class JobFile(BaseModel):
    file_name: str
    sha256: str
    status: str = Field(description="queued, reading, ok, unreadable, internal or duplicate (bytes already stored)")
    document_id: int | None
    message: str | None


class JobOut(BaseModel):
    id: str
    total: int
    done: int
    errors: int
    finished: bool
    document_ids: list[int | None] = Field(description="per file, in upload order; null until stored")
    files: list[JobFile]
    url: str = Field(description="where to poll this job")


class Problem(BaseModel):
    detail: str
