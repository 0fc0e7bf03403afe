"""Uploaded files onto disk safely: under a generated name in a private
folder, never under the name the client sent, which is kept (cleaned) only
to be shown as the document's file name."""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
from pathlib import Path

_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,8}")
_SEPARATORS = re.compile(r"[\\/]")


class FileTooLarge(ValueError):
    def __init__(self, name: str, limit: int):
        super().__init__(f"{name} is larger than the {limit:,} bytes a file may be (limit file_size)")
        self.name, self.limit = name, limit


def safe_name(name: str | None) -> str:
    """The last part of whatever path the client sent, printable, without a
    leading dot, at most 200 characters: a label, never a path."""
    base = _SEPARATORS.split(unicodedata.normalize("NFC", name or ""))[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip().lstrip(".").strip()
    return base[:200] or "upload"


def stored_name(client_name: str) -> str:
    # the reader tells formats by content, but a suffix still helps it choose
    suffix = Path(client_name).suffix
    return secrets.token_hex(16) + (suffix.lower() if _SUFFIX.fullmatch(suffix) else "")


class Staging:
    """One file being written: bytes counted and hashed as they come."""

    def __init__(self, folder: Path, client_name: str, limit: int):
        self.file_name = safe_name(client_name)
        self.path = folder / stored_name(self.file_name)
        self.limit = limit
        self.size = 0
        self._hash = hashlib.sha256()
        # O_EXCL through "xb": a generated name that somehow exists is never overwritten
        self._out = open(self.path, "xb")

    def write(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > self.limit:
            self.discard()
            raise FileTooLarge(self.file_name, self.limit)
        self._hash.update(chunk)
        self._out.write(chunk)

    def finish(self) -> tuple[str, Path, str]:
        self._out.close()
        return self.file_name, self.path, self._hash.hexdigest()

    def discard(self) -> None:
        self._out.close()
        self.path.unlink(missing_ok=True)
