"""Which files a command works on: the ones named, and inside each folder
named every file a reader takes, found recursively by suffix."""

from __future__ import annotations

from pathlib import Path

# what the readers take; anything else in a folder (images, archives,
# notes) is not a disclosure and is passed over
READABLE = (".txt", ".docx", ".doc", ".wps", ".pdf", ".xlsx", ".xls", ".et", ".json")


def _skipped(path: Path) -> bool:
    # hidden files, and the lock files Word/WPS leave beside an open document
    return path.name.startswith((".", "~$", ".~lock"))


def expand(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """The files to work on, in the order given (a folder's files sorted by
    path), and the folders that held none."""
    files: list[Path] = []
    empty: list[Path] = []
    for p in paths:
        if not p.is_dir():
            files.append(p)
            continue
        found = sorted(f for f in p.rglob("*")
                       if f.is_file() and f.suffix.lower() in READABLE
                       and not any(part.startswith(".") for part in f.relative_to(p).parts[:-1])
                       and not _skipped(f))
        if not found:
            empty.append(p)
        files.extend(found)
    return files, empty
