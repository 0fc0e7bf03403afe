"""Loads the data files under `yusuan/data`: table definitions and the
section catalogue. Code reads these; it never repeats them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

import yaml

_WS = re.compile(r"\s+")


@lru_cache(maxsize=8192)  # the same names are squashed again and again by the rules
def squash(text: str) -> str:
    """Printed text with all whitespace removed, for matching."""
    return _WS.sub("", text)


@dataclass(frozen=True, slots=True)
class ColumnDef:
    key: str
    kind: str
    header: re.Pattern
    group: re.Pattern | None
    group_name: str | None
    side: str | None
    additive: bool = True


@dataclass(frozen=True, slots=True)
class Identity:
    """`total = a + b + c`: one named thing equals the sum of others."""

    total: str
    parts: tuple[str, ...]

    @classmethod
    def parse(cls, text: str) -> Identity:
        left, _, right = text.partition("=")
        parts = tuple(p.strip() for p in right.split("+") if p.strip())
        if not left.strip() or not parts:
            raise ValueError(f"not an identity: {text!r}")
        return cls(left.strip(), parts)


@dataclass(frozen=True, slots=True)
class RowDef:
    key: str
    match: re.Pattern
    side: str | None
    economic: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TableDef:
    id: str
    name: str
    title: re.Pattern
    title_not: re.Pattern | None
    classification: str | None
    columns: tuple[ColumnDef, ...]
    identities: tuple[Identity, ...] = ()
    rows: tuple[RowDef, ...] = ()
    sums: tuple[Identity, ...] = ()

    def row_def(self, key: str) -> RowDef:
        return next(r for r in self.rows if r.key == key)

    def column_def(self, key: str) -> ColumnDef | None:
        return next((c for c in self.columns if c.key == key), None)

    @property
    def sides(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.side for c in self.columns if c.side))

    def matches_title(self, title: str) -> bool:
        t = squash(title)
        return bool(self.title.search(t)) and not (self.title_not and self.title_not.search(t))


@dataclass(frozen=True, slots=True)
class SectionDef:
    key: str
    title: str
    match: re.Pattern


def _load(name: str) -> dict:
    return yaml.safe_load(resources.files("yusuan.data").joinpath(name).read_text(encoding="utf-8"))


@cache
def tables_file() -> dict:
    return _load("tables.yaml")


@cache
def table_defs() -> dict[str, TableDef]:
    defs = {}
    for t in tables_file()["tables"]:
        cols = tuple(
            ColumnDef(
                key=c["key"],
                kind=c["kind"],
                header=re.compile(c["header"]),
                group=re.compile(c["group"]) if c.get("group") else None,
                group_name=c.get("group"),
                side=c.get("side"),
                additive=c.get("additive", True),
            )
            for c in t["columns"]
        )
        defs[t["id"]] = TableDef(
            id=t["id"],
            name=t["name"],
            title=re.compile(t["title"]),
            title_not=re.compile(t["title_not"]) if t.get("title_not") else None,
            classification=t.get("classification"),
            columns=cols,
            identities=tuple(Identity.parse(i) for i in t.get("identities", ())),
            rows=tuple(
                RowDef(key=k, match=re.compile(v["match"]), side=v.get("side"), economic=tuple(v.get("economic", ()))) for k, v in t.get("rows", {}).items()
            ),
            sums=tuple(Identity.parse(i) for i in t.get("sums", ())),
        )
    return defs


def standard_ids() -> list[str]:
    return list(tables_file()["standard"])


def levels(classification: str | None) -> dict[int, str]:
    if not classification:
        return {}
    return {int(k): v for k, v in tables_file()["levels"][classification].items()}


def identify_table(title: str) -> TableDef | None:
    """The definition whose title pattern fits; the most specific (longest
    pattern) wins, so 财政拨款收支总表 is not taken for 收支总表."""
    hits = [d for d in table_defs().values() if d.matches_title(title)]
    return max(hits, key=lambda d: len(d.title.pattern)) if hits else None


@cache
def section_defs() -> tuple[SectionDef, ...]:
    return tuple(
        SectionDef(key=s["key"], title=s["title"], match=re.compile(s["match"])) for s in _load("sections.yaml")["sections"]
    )
