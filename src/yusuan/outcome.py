"""What became of a file: its disclosure, or a Failure saying why there is
none and which exit status that means. The CLI, batch checks and (later)
the portal share these, so a file is unreadable for the same reason
everywhere."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from . import cli_text as T
from . import crash
from .model import Disclosure

# Exit statuses, each meaning one thing, so a script can tell a finding
# from a file it could not read and from a fault of yusuan's own.
CLEAN, FINDINGS, UNREADABLE, INTERNAL = 0, 1, 2, 3


@dataclass(frozen=True, slots=True)
class Failure:
    """Why a file gave no disclosure, and the exit status that says so."""

    message: str
    status: int = UNREADABLE


def internal(exc: Exception, context: str = "") -> Failure:
    """A fault of yusuan's own, not of the file: written down in full, one
    line for the user."""
    if os.environ.get("YUSUAN_DEBUG"):
        raise exc
    where = crash.record(exc, context)
    return Failure(T.say("internal", error=type(exc).__name__, path=where), INTERNAL)


def try_load(path: Path) -> Disclosure | Failure:
    """The disclosure, or why it cannot be read."""
    from .read import ReadError, read

    try:
        return read(path)
    except ReadError as exc:
        return Failure(str(exc))
    except Exception as exc:
        return internal(exc, f"reading {path}")


def load_all(paths: list[Path]) -> list[Disclosure | Failure]:
    """Every file's disclosure or why it cannot be read, in order; the
    legacy Office files among them converted in one LibreOffice run."""
    from .read import ReadError, read_many

    try:
        return [Failure(str(d)) if isinstance(d, ReadError) else d for d in read_many(paths)]
    except Exception:  # a fault in one file: read them one by one, so it costs only that file
        if os.environ.get("YUSUAN_DEBUG"):
            raise
        return [try_load(p) for p in paths]
