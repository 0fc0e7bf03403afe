"""The classification catalogues (`data/catalogue/*.yaml`): official codes
and names by year."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from ..definitions import normalize_name


@dataclass(frozen=True, slots=True)
class Entry:
    code: str
    name: str
    valid_from: int
    valid_to: int | None

    def valid(self, year: int) -> bool:
        return self.valid_from <= year and (self.valid_to is None or year <= self.valid_to)


@dataclass(frozen=True, slots=True)
class Catalogue:
    classification: str
    entries: dict[str, tuple[Entry, ...]]
    first_year: int
    complete: frozenset[str] = frozenset()  # parents whose children are all listed; "" is the top level

    def lists_children_of(self, parent: str) -> bool:
        """Whether a code under `parent` that is missing here is really not
        in the official catalogue (rather than left out of this partial copy)."""
        return parent in self.complete

    def lookup(self, code: str, year: int) -> Entry | None:
        return next((e for e in self.entries.get(code, ()) if e.valid(year)), None)

    def covers(self, year: int) -> bool:
        return year >= self.first_year

    def code_for_name(self, name: str, length: int, year: int) -> str | None:
        """The code of the entry with this name at this code length (for the
        summary tables, which print 类 names without codes)."""
        return _names(self, length, year).get(normalize_name(name))


_NAME_INDEX: dict[tuple[str, int, int], dict[str, str]] = {}


def _names(cat: Catalogue, length: int, year: int) -> dict[str, str]:
    key = (cat.classification, length, year)
    if key not in _NAME_INDEX:
        _NAME_INDEX[key] = {
            normalize_name(e.name): code
            for code, entries in cat.entries.items() if len(code) == length
            for e in entries if e.valid(year)
        }
    return _NAME_INDEX[key]


@cache
def catalogue(classification: str) -> Catalogue:
    path = resources.files("yusuan.data").joinpath("catalogue").joinpath(f"{classification}.yaml")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    default_from = int(data["valid_from"])
    entries: dict[str, list[Entry]] = {}
    for code, value in data["entries"].items():
        if isinstance(value, str):
            value = {"name": value}
        entries.setdefault(str(code), []).append(
            Entry(str(code), value["name"], int(value.get("from", default_from)), value.get("to"))
        )
    first = min(e.valid_from for es in entries.values() for e in es)
    complete = frozenset(str(c) for c in data.get("complete") or [])
    return Catalogue(classification, {k: tuple(v) for k, v in entries.items()}, first, complete)
