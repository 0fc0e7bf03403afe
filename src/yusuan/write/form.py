"""The printed form of each kind of document (`data/forms/<kind>/form.yaml`):
how the document is laid out (cover, contents, parts, where info lines and
the list of units print) and how its tables print (titles, header paths,
notes, panes side by side, items across).

One loader for every form, checked when loaded against the form's table
catalogue (tables.yaml) and the section catalogue: every printed column is a
column of its table, and its printed header is one the readers map back to
that column, so what is written reads back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..data_files import data_file

from ..definitions import FORMS, section_defs, squash, table_defs
from ..model import Institution

_DOCUMENT_KEYS = {"title", "cover", "contents", "parts", "info", "institutions", "workbook"}
_PART_KEYS = {"heading", "contents", "match", "tables", "sections", "explanation_title"}
_TABLE_KEYS = {"title", "columns", "notes", "empty_note", "panes", "across", "income_rows", "rows"}


@dataclass(frozen=True, slots=True)
class Part:
    heading: str | None = None  # template: {department}, {year}
    contents: str | None = None  # its line in the contents, when not the heading
    match: re.Pattern | None = None  # the model's own printed heading
    tables: bool = False
    sections: tuple[str, ...] = ()
    rest: bool = False  # every section no other part takes
    explanation_title: bool = False


@dataclass(frozen=True, slots=True)
class InstitutionsForm:
    section: str
    caption: str | None
    caption_match: re.Pattern | None
    columns: tuple[tuple[str | None, str], ...]  # (Institution field | seq | None, header)


@dataclass(frozen=True, slots=True)
class Across:
    values: tuple[str, ...]  # the model columns each item prints
    items: tuple[tuple[str, tuple[str, ...]], ...]  # (row name, header path)

    def path(self, name: str) -> tuple[str, ...] | None:
        return next((p for n, p in self.items if squash(n) == squash(name)), None)


@dataclass(frozen=True, slots=True)
class TableForm:
    id: str
    title: str
    columns: tuple[tuple[str, tuple[str, ...]], ...]
    notes: tuple[str, ...] = ()
    empty_note: str | None = None
    panes: tuple[tuple[str, ...], ...] = ()  # economic 类 codes of each pane
    across: Across | None = None

    def header(self, key: str) -> tuple[str, ...] | None:
        return next((p for k, p in self.columns if k == key), None)


@dataclass(frozen=True, slots=True)
class PrintedForm:
    kind: str
    title: str  # the document's title (its files' properties, the HTML title)
    cover: tuple[str, ...]
    contents: str | None
    parts: tuple[Part, ...]
    info: str  # row | paragraph
    institutions: InstitutionsForm
    workbook_lead: str
    workbook_text: str
    tables: dict[str, TableForm]
    raw_tables: dict  # the tables as written in the file (compile reads fixed rows from it)


def _pattern(text: str | None, where: str) -> re.Pattern | None:
    if text is None:
        return None
    try:
        return re.compile(text)
    except re.error as e:
        raise ValueError(f"{where}: bad pattern {text!r}: {e}") from None


def _unknown(d: dict, allowed: set[str], where: str) -> None:
    extra = set(d) - allowed
    if extra:
        raise ValueError(f"{where}: unknown keys {sorted(extra)}")


def _part(p: dict, where: str, sections: set[str]) -> Part:
    _unknown(p, _PART_KEYS, where)
    raw = p.get("sections", ())
    rest = raw == "rest"
    keys = () if rest else tuple(raw)
    if bad := [k for k in keys if k not in sections]:
        raise ValueError(f"{where}: sections {bad} are not in sections.yaml")
    if bool(p.get("tables")) == bool(raw):
        raise ValueError(f"{where}: a part prints either the tables or sections")
    return Part(heading=p.get("heading"), contents=p.get("contents"), match=_pattern(p.get("match"), where),
                tables=bool(p.get("tables")), sections=keys, rest=rest,
                explanation_title=bool(p.get("explanation_title")))


def _check_column(tid: str, key: str, path: list[str], where: str) -> None:
    cdef = table_defs()[tid].column_def(key)
    if cdef is None:
        raise ValueError(f"{where}: column {key!r} is not a column of {tid} (tables.yaml)")
    printed = [squash(p.format(year=2000)) for p in path]
    if not printed or not cdef.header.search(printed[-1]):
        raise ValueError(f"{where}: column {key!r} prints {path[-1]!r}, which the readers do not map to it")
    if cdef.group is not None and len(printed) > 1 and not any(cdef.group.search(g) for g in printed[:-1]):
        raise ValueError(f"{where}: column {key!r} prints under {path[:-1]}, which the readers do not map to it")


def _table(tid: str, t: dict, kind: str, where: str) -> TableForm:
    _unknown(t, _TABLE_KEYS, where)
    tdef = table_defs().get(tid)
    if tdef is None or tdef.kind != kind:
        raise ValueError(f"{where}: not a table of the {kind} form")
    for key, path in t["columns"]:
        _check_column(tid, key, path, where)
    across = None
    if a := t.get("across"):
        if bad := [k for k in a["values"] if tdef.column_def(k) is None]:
            raise ValueError(f"{where}: across values {bad} are not columns of {tid}")
        across = Across(tuple(a["values"]), tuple((name, tuple(path)) for name, path in a["items"]))
    return TableForm(id=tid, title=t["title"], columns=tuple((k, tuple(p)) for k, p in t["columns"]),
                     notes=tuple(t.get("notes", ())), empty_note=t.get("empty_note"),
                     panes=tuple(tuple(str(c) for c in pane) for pane in t.get("panes", ())), across=across)


@cache
def printed_form(kind: str) -> PrintedForm:
    if kind not in FORMS:
        raise ValueError(f"no printed form for {kind!r}; the forms are {', '.join(FORMS)}")
    name = f"forms/{kind}/form.yaml"
    data = data_file(name)
    doc = data["document"]
    _unknown(doc, _DOCUMENT_KEYS, f"{name}: document")
    sections = {s.key for s in section_defs()}
    parts = tuple(_part(p, f"{name}: part {i + 1}", sections) for i, p in enumerate(doc["parts"]))
    if sum(p.tables for p in parts) != 1 or sum(p.rest for p in parts) > 1:
        raise ValueError(f"{name}: exactly one part prints the tables, at most one takes the rest of the sections")
    inst = doc["institutions"]
    fields = set(Institution.model_fields) - {"source"}
    if bad := [f for f, _ in inst["columns"] if f is not None and f != "seq" and f not in fields]:
        raise ValueError(f"{name}: institutions columns {bad} are not fields of a unit ({', '.join(sorted(fields))})")
    if inst["section"] not in sections:
        raise ValueError(f"{name}: institutions section {inst['section']!r} is not in sections.yaml")
    if doc.get("info", "row") not in ("row", "paragraph"):
        raise ValueError(f"{name}: info is row or paragraph, not {doc['info']!r}")
    tables = {tid: _table(tid, t, kind, f"{name}: table {tid}") for tid, t in data["tables"].items()}
    return PrintedForm(
        kind=kind,
        title=doc["title"],
        cover=tuple(doc.get("cover", ())),
        contents=doc.get("contents"),
        parts=parts,
        info=doc.get("info", "row"),
        institutions=InstitutionsForm(section=inst["section"], caption=inst.get("caption"),
                                      caption_match=_pattern(inst.get("caption_match"), f"{name}: institutions"),
                                      columns=tuple((f, h) for f, h in inst["columns"])),
        workbook_lead=doc["workbook"]["lead"],
        workbook_text=doc["workbook"]["text"],
        tables=tables,
        raw_tables=data["tables"],
    )
