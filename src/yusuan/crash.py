"""An internal error written down for the developers, so the user sees one
line (and exit status 3) instead of a traceback."""

from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback
from pathlib import Path


def _folder() -> Path:
    chosen = os.environ.get("YUSUAN_CRASH_DIR")
    if chosen:
        return Path(chosen)
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(cache) / "yusuan" / "crashes"


def record(exc: BaseException, context: str = "") -> Path:
    """Writes the traceback, the command and the version; returns where."""
    from importlib.metadata import version

    text = (f"yusuan {version('yusuan')}, Python {sys.version.split()[0]}\n"
            f"command: {' '.join(sys.argv)}\n" + (f"while: {context}\n" if context else "") + "\n"
            + "".join(traceback.format_exception(exc)))
    name = f"crash-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.txt"
    for folder in (_folder(), Path(tempfile.gettempdir())):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, path = tempfile.mkstemp(prefix=name[:-4] + "-", suffix=".txt", dir=folder)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
            return Path(path)
        except OSError:
            continue
    return Path("-")  # nowhere writable: the one line still names the error
