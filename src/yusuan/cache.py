"""yusuan's cache folder: what start-up would otherwise rebuild at every run
(parsed data files, compiled patterns), as bytes under a key.

`$YUSUAN_CACHE_DIR`, else `$XDG_CACHE_HOME/yusuan`, else `~/.cache/yusuan`;
`YUSUAN_CACHE_DIR=off` turns it off. The cache is only ever a shortcut:
an entry that cannot be read or written (a read-only home, a full disk, a
race with another run) costs the work it would have saved, never an
error. Entries are written to a temporary name and renamed, so a run
reading while another writes sees the whole entry or none."""

from __future__ import annotations

import os
import tempfile
from functools import cache
from pathlib import Path


@cache
def folder() -> Path | None:
    chosen = os.environ.get("YUSUAN_CACHE_DIR")
    if chosen == "off":
        return None
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "yusuan"


def load(key: str) -> bytes | None:
    where = folder()
    if where is None:
        return None
    try:
        return (where / key).read_bytes()
    except OSError:
        return None


def store(key: str, data: bytes) -> None:
    where = folder()
    if where is None:
        return
    try:
        where.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=where, prefix=f".{key}.")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, where / key)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass
