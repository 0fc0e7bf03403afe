"""A document's key figures (收支总计, 基本/项目支出, 三公经费 and its
items, 机关运行经费) in 万元, for the department page's charts and the
peers page: which figures and where each is printed are in
data/web_figures.yaml.

    key_figures(d)  →  {"three_public": Decimal("10.18"), "abroad": Decimal("0"), "income": None, …}

A figure the document does not print is None (shown as —, left out of a
chart), never 0, which would read as a real amount."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from ..audit.context import YUAN
from ..definitions import _load
from ..lookup import Lookup
from ..model import Disclosure

UNIT = "万元"  # every figure is given in this unit, whatever its table prints


@dataclass(frozen=True, slots=True)
class Figure:
    key: str
    label: str
    refs: tuple[tuple[str, str, str], ...]  # (table, row key, column key), tried in order


@dataclass(frozen=True, slots=True)
class Chart:
    title: str
    figures: tuple[str, ...]


@cache
def _data() -> tuple[dict[str, Figure], tuple[Chart, ...]]:
    data = _load("web_figures.yaml")
    out = {}
    for f in data["figures"]:
        refs = tuple(tuple(r.split(".")) for r in f["refs"])
        if any(len(r) != 3 for r in refs):
            raise ValueError(f"data/web_figures.yaml: {f['key']}: a ref is table.row.column, got {f['refs']}")
        out[f["key"]] = Figure(f["key"], f["label"], refs)
    charts = tuple(Chart(c["title"], tuple(c["figures"])) for c in data["charts"])
    unknown = {k for c in charts for k in c.figures} - set(out)
    if unknown:
        raise ValueError(f"data/web_figures.yaml: charts name unknown figures {sorted(unknown)}")
    return out, charts


def figures() -> dict[str, Figure]:
    """The key figures by key, in the data file's order."""
    return _data()[0]


def charts() -> tuple[Chart, ...]:
    return _data()[1]


def key_figures(d: Disclosure) -> dict[str, Decimal | None]:
    """Each key figure of `d` in 万元, or None when not printed."""
    lk = Lookup(d)
    out: dict[str, Decimal | None] = {}
    for f in figures().values():
        out[f.key] = None
        for table_id, row, column in f.refs:
            value = lk.value(table_id, row, column)
            if value is not None:
                scale = YUAN[d.unit_of(lk.table(table_id))] / YUAN[UNIT]
                out[f.key] = value * scale
                break
    return out
