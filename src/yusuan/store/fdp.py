"""The stored cells as a Fiscal Data Package: a folder holding
`datapackage.json` and `cells.csv`, for OpenSpending and the Frictionless
tools.

The descriptor follows Fiscal Data Package 0.3 as the Frictionless
profile registry gives it (`"profile": "fiscal-data-package"`: a Tabular
Data Package whose resources have a Table Schema, plus a `model` that maps
the CSV's fields to measures and dimensions). The later 1.0 draft moved
the model onto `columnType`s of the fields; OpenSpending's loaders read
the 0.3 `model`, so that is what is written.

One line per money cell. The measure is `amount`, the cell in 元 (CNY),
exact as printed times the unit; a cell in no money unit (a count of
vehicles, an area) is no amount of money and is left out (the csv, xlsx
and parquet exports keep it). The dimensions: the department (name and
scope) as the administrative classification, the fiscal year, the phase
(`approved` for a 预算, `executed` for a 决算: the spec's names), the
functional and the economic classification (the row's code and name, in
the tables whose definition says which catalogue their codes are of),
the row as printed, the table and column, and the file.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

from .. import __version__
from ..definitions import table_defs
from ..export.cells import inert
from .export import StoredCell

DESCRIPTOR = "datapackage.json"
DATA = "cells.csv"
RESOURCE = "cells"

# the document's kind → the spec's budget phase
PHASES = {"budget": "approved", "final_accounts": "executed"}

# (name, Table Schema type, description); the CSV's columns in this order
FIELDS = [
    ("department", "string", "部门或单位名称"),
    ("scope", "string", "department: 部门（含所属单位）; unit: 单位本级"),
    ("year", "year", "预算/决算年度"),
    ("phase", "string", "approved: 预算; executed: 决算"),
    ("kind", "string", "yusuan's kind of document: budget or final_accounts"),
    ("functional_code", "string", "支出功能分类科目编码"),
    ("functional_name", "string", "支出功能分类科目名称"),
    ("economic_code", "string", "部门预算支出经济分类科目编码"),
    ("economic_name", "string", "部门预算支出经济分类科目名称"),
    ("table", "string", "yusuan's table id"),
    ("code", "string", "the row's code as printed"),
    ("item", "string", "the row's item as printed"),
    ("column", "string", "the column's header as printed"),
    ("column_key", "string", "yusuan's key of the column"),
    ("unit", "string", "the unit printed: 万元 or 元"),
    ("value", "number", "the amount as printed, in `unit`"),
    ("amount", "number", "the amount in 元"),
    ("file", "string", "the file the cell was read from"),
]
HEADER = tuple(name for name, _, _ in FIELDS)


def prepare_folder(out: Path, force: bool) -> None:
    """Make `out` a folder to write the package into: refuse a file, and a
    folder that holds anything unless `force` (then the package's own two
    files are replaced and anything else is left)."""
    if out.exists() and not out.is_dir():
        raise FileExistsError(f"{out} is a file; a Fiscal Data Package is a folder")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise FileExistsError(f"{out} is not empty; choose an empty or new folder, or force")
    out.mkdir(parents=True, exist_ok=True)


def _classifications() -> dict[str, str]:
    # which catalogue a table's row codes are of is the table definitions'
    # to say; a table without one (the summaries, 三公, projects) has neither
    return {t.id: t.classification for t in table_defs().values() if t.classification}


def write_fdp(cells: Iterator[StoredCell], out: Path) -> int:
    """cells.csv, then the descriptor (which says what the CSV turned out
    to hold: the years and phases); the number of lines written."""
    classification = _classifications()
    written = skipped = 0
    years: set[int] = set()
    phases: set[str] = set()
    # a byte order mark so Excel reads the Chinese; Frictionless and pandas
    # read UTF-8 with one unchanged
    with open(out / DATA, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(HEADER)
        for c in cells:
            if c.value_yuan is None:
                skipped += 1
                continue
            phase = PHASES.get(c.kind, "")
            phases.add(phase)
            if c.year is not None:
                years.add(c.year)
            of = classification.get(c.table)
            functional = (c.code, c.item) if of == "functional" else ("", "")
            economic = (c.code, c.item) if of == "economic" else ("", "")
            texts = (c.kind, *functional, *economic, c.table, c.code, c.item, c.column, c.column_key, c.unit)
            w.writerow((inert(c.department), inert(c.scope), "" if c.year is None else c.year, phase,
                        *map(inert, texts), c.value, c.value_yuan, inert(c.file)))
            written += 1
    descriptor = package(years, phases, written, skipped)
    (out / DESCRIPTOR).write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return written


def _dimension(attributes: dict[str, dict], primary_key: list[str], dimension_type: str,
               classification_type: str | None = None) -> dict:
    dim = {"attributes": attributes, "primaryKey": primary_key, "dimensionType": dimension_type}
    if classification_type:
        dim["classificationType"] = classification_type
    return dim


def _code_and_name(prefix: str) -> dict[str, dict]:
    return {"code": {"source": f"{prefix}_code"}, "name": {"source": f"{prefix}_name", "labelfor": "code"}}


def model(phases: set[str]) -> dict:
    measure = {"source": "amount", "resource": RESOURCE, "currency": "CNY", "factor": 1}
    # a measure has one phase in the spec; a package of budgets and final
    # accounts together has two, and the `phase` dimension tells them apart
    if len(phases) == 1 and "" not in phases:
        measure["phase"] = next(iter(phases))
    return {
        "measures": {"amount": measure},
        "dimensions": {
            "department": _dimension({"name": {"source": "department"}, "scope": {"source": "scope"}},
                                     ["name", "scope"], "classification", "administrative"),
            "fiscal_period": _dimension({"year": {"source": "year"}}, ["year"], "datetime"),
            "phase": _dimension({"phase": {"source": "phase"}, "kind": {"source": "kind"}}, ["phase"], "other"),
            "functional_classification": _dimension(_code_and_name("functional"), ["code"], "classification",
                                                    "functional"),
            "economic_classification": _dimension(_code_and_name("economic"), ["code"], "classification",
                                                  "economic"),
            "item": _dimension({"code": {"source": "code"}, "item": {"source": "item"}}, ["code", "item"], "other"),
            "table": _dimension({"table": {"source": "table"}}, ["table"], "other"),
            "column": _dimension({"key": {"source": "column_key"}, "label": {"source": "column", "labelfor": "key"}},
                                 ["key"], "other"),
            "file": _dimension({"file": {"source": "file"}}, ["file"], "fact"),
        },
    }


def package(years: set[int], phases: set[str], written: int, skipped: int) -> dict:
    descriptor = {
        "profile": "fiscal-data-package",
        "name": "yusuan-cells",
        "title": "部门预算/决算公开表格数据",
        "description": (f"{written} amounts from the tables of Chinese department budget and final-accounts "
                        f"disclosures, read by yusuan {__version__}; {skipped} cells in no money unit (counts, "
                        "areas) are left out."),
        "created": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "countryCode": "CN",
        "granularity": "aggregated",
        "resources": [{
            "profile": "tabular-data-resource",
            "name": RESOURCE,
            "path": DATA,
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "dialect": {"delimiter": ",", "doubleQuote": True, "lineTerminator": "\n", "header": True},
            "schema": {"fields": [{"name": n, "type": t, "description": d} for n, t, d in FIELDS],
                       "missingValues": [""]},
        }],
        "model": model(phases),
    }
    if years:
        # the Chinese fiscal year is the calendar year
        descriptor["fiscalPeriod"] = {"start": f"{min(years)}-01-01", "end": f"{max(years)}-12-31"}
    return descriptor
