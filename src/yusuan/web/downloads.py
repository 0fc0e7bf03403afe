"""A stored document in the forms a reviewer takes away, made from its
stored model (no original file needed): the model JSON, the tidy cells
CSV, and the printed layout as DOCX, XLSX, HTML or PDF."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

from ..model import Disclosure

MEDIA = {
    "json": "application/json",
    "cells.csv": "text/csv; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
}
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


@dataclass(frozen=True)
class Download:
    data: bytes
    media_type: str
    file_name: str

    @property
    def disposition(self) -> str:
        # an ASCII fallback, and the Chinese name as RFC 5987 says
        ext = self.file_name.split(".", 1)[1] if "." in self.file_name else "bin"
        ascii_name = self.file_name if self.file_name.isascii() else f"disclosure.{ext}"
        return f'attachment; filename="{ascii_name}"; filename*=UTF-8\'\'{quote(self.file_name)}'


def file_name(d: Disclosure, fmt: str) -> str:
    kind = "决算" if d.kind == "final_accounts" else "预算"
    stem = _UNSAFE.sub("_", f"{d.department.name}{d.year or ''}{kind}")[:120].strip(" ._") or "document"
    return f"{stem}.{fmt}"


def make(d: Disclosure, fmt: str) -> Download:
    """`fmt` one of MEDIA; a RenderError when PDF cannot be made here (no LibreOffice)."""
    if fmt == "cells.csv":
        from ..export.cells import to_csv_bytes

        data = to_csv_bytes(d)
    else:
        from ..write.render import render

        data = render(d, fmt)
    return Download(data, MEDIA[fmt], file_name(d, fmt))
