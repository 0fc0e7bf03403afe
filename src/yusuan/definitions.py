"""Loads the data files under `yusuan/data`: the form (table catalogue and
profiles under `forms/budget/`) and the section catalogue. Code reads
these; it never repeats them. Each file is checked when loaded, so a typo in
the data fails at once with the file and the entry named."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from .data_files import data_file as _load  # the name other modules import

_WS = re.compile(r"\s+")


@lru_cache(maxsize=8192)  # the same names are squashed again and again by the rules
def squash(text: str) -> str:
    """Printed text with all whitespace removed, for matching."""
    return _WS.sub("", text)


_WIDTH = str.maketrans("()[]:", "（）［］：")


@lru_cache(maxsize=8192)
def normalize_name(name: str) -> str:
    """Names compare without whitespace and with brackets in one width."""
    return squash(name).translate(_WIDTH)


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
    """`total = a + b + c`: one named thing equals the sum of others. A part
    written `c?` may be absent (it then counts as zero)."""

    total: str
    parts: tuple[str, ...]
    optional: frozenset[str] = frozenset()

    @classmethod
    def parse(cls, text: str) -> Identity:
        left, _, right = text.partition("=")
        raw = [p.strip() for p in right.split("+") if p.strip()]
        if not left.strip() or not raw:
            raise ValueError(f"not an identity: {text!r}")
        return cls(left.strip(), tuple(p.rstrip("?") for p in raw), frozenset(p.rstrip("?") for p in raw if p.endswith("?")))


@dataclass(frozen=True, slots=True)
class AcrossDef:
    """One column of a table printed across: its header names a row."""

    row: str
    header: re.Pattern
    group: re.Pattern | None


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
    across: tuple[AcrossDef, ...] = ()
    canonical: str | None = None
    counterpart: str | None = None  # a 决算 table: the budget table it answers to (same keys)
    kind: str = "budget"  # the form: budget | final_accounts

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

    def identities_for(self, printed: set[str]) -> list[tuple[str, tuple[str, ...]]]:
        """The identities as they hold for a table printing these columns: a
        subtotal column not printed stands for its own parts; an identity
        none of whose parts is printed does not apply."""
        by_total = {i.total: i.parts for i in self.identities}

        def expand(key: str, seen: frozenset) -> tuple[str, ...]:
            if key in printed or key not in by_total or key in seen:
                return (key,)
            return tuple(k for p in by_total[key] for k in expand(p, seen | {key}))

        out = []
        for ident in self.identities:
            if ident.total not in printed:
                continue
            parts = tuple(dict.fromkeys(k for p in ident.parts for k in expand(p, frozenset({ident.total}))))
            shown = tuple(p for p in parts if p in printed)
            if shown:
                out.append((ident.total, shown))
        return out


@dataclass(frozen=True, slots=True)
class SectionDef:
    key: str
    title: str
    match: re.Pattern
    bare: re.Pattern | None = None  # may stand unnumbered when its heading ends like this
    children: bool = True  # False: numbered lines inside are the section's own sub-headings


_KINDS = {"seq", "code", "code_part", "name", "text", "amount", "number"}


# The forms, each a folder of data/forms/: its tables and its profiles. A
# document is of one kind (预算 or 决算); its tables are recognised among
# its form's, and table ids are unique across forms.
FORMS = ("budget", "final_accounts")


@cache
def tables_file() -> dict:
    """Every form's tables, each tagged with its form (`kind`); the code
    parts and levels are the budget form's (the classification is the same)."""
    files = {form: _load(f"forms/{form}/tables.yaml") for form in FORMS}  # each parsed once
    budget = files["budget"]
    data = {"tables": [], "code_parts": budget["code_parts"], "levels": budget["levels"]}
    ids = set()
    for form in FORMS:
        name = f"forms/{form}/tables.yaml"
        for t in files[form]["tables"]:
            where = f"{name}: table {t.get('id')!r}"
            if not t.get("id") or t["id"] in ids:
                raise ValueError(f"{where}: missing or repeated id")
            ids.add(t["id"])
            _check_table(t, where, data["code_parts"])
            data["tables"].append({**t, "kind": form})
    return data


def _check_table(t: dict, where: str, parts: dict) -> None:
    for c in t["columns"]:
        if c.get("kind") not in _KINDS:
            raise ValueError(f"{where}: column {c.get('key')!r} has unknown kind {c.get('kind')!r}")
        if c["kind"] == "code_part" and c["key"] not in parts:
            raise ValueError(f"{where}: code part {c['key']!r} is not in code_parts")
    keys = {c["key"] for c in t["columns"]}
    for i in t.get("identities", ()):
        ident = Identity.parse(i)
        if not {ident.total, *ident.parts} <= keys:
            raise ValueError(f"{where}: identity {i!r} names a column the table does not define")
    for i in t.get("sums", ()):
        ident = Identity.parse(i)
        if not {ident.total, *ident.parts} <= set(t.get("rows", {})):
            raise ValueError(f"{where}: sum {i!r} names a row the table does not define")


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
            across=tuple(
                AcrossDef(a["row"], re.compile(a["header"]), re.compile(a["group"]) if a.get("group") else None)
                for a in t.get("across", ())
            ),
            canonical=t.get("canonical"),
            counterpart=t.get("counterpart"),
            kind=t["kind"],
        )
    for d in defs.values():
        if d.counterpart is not None and (d.counterpart not in defs or defs[d.counterpart].kind == d.kind):
            raise ValueError(f"tables: {d.id}: counterpart {d.counterpart!r} is not a table of another form")
    return defs


def code_parts() -> dict[str, int]:
    """Digits of each part of a code printed across 类 | 款 | 项 columns."""
    return tables_file()["code_parts"]


def standard_ids() -> list[str]:
    """The nine standard tables of the national form, in printed order."""
    return list(profile_defs()[DEFAULT_PROFILE].tables)


def levels(classification: str | None) -> dict[int, str]:
    if not classification:
        return {}
    return {int(k): v for k, v in tables_file()["levels"][classification].items()}


def kind_of_title(title: str) -> str | None:
    """决算 or 预算 as the title says it (收入支出决算总表), else None."""
    t = squash(title)
    return "final_accounts" if "决算" in t else ("budget" if "预算" in t else None)


def title_candidates(title: str, kind: str | None = None) -> list[TableDef]:
    """Every definition of the document's form whose title pattern fits
    the printed title; the title's own 预算/决算 decides the form, else
    `kind` (the document's), else the budget form."""
    form = kind_of_title(title) or kind or "budget"
    return [d for d in table_defs().values() if d.kind == form and d.matches_title(title)]


def identify_table(title: str) -> TableDef | None:
    """By title alone: the most specific (longest pattern) fit. Readers
    score the header too (read/identify.py)."""
    hits = title_candidates(title)
    return max(hits, key=lambda d: len(d.title.pattern)) if hits else None


# -- profiles -------------------------------------------------------------------
DEFAULT_PROFILE = "hebei_integrated"


@dataclass(frozen=True, slots=True)
class ProfileDef:
    id: str
    name: str
    scope: str
    signals: dict[str, dict[str, int]]
    tables: tuple[str, ...]
    required_tables: tuple[str, ...]
    required_sections: tuple[str, ...]
    parts: tuple[str, ...]
    not_applicable: frozenset[str]
    kind: str = "budget"


@cache
def profiles_file() -> dict:
    """Every form's profiles (each tagged with its form) and the budget
    form's scope words."""
    files = {form: _load(f"forms/{form}/profiles.yaml") for form in FORMS}  # each parsed once
    data = {"profiles": {}, "scope_words": files["budget"]["scope_words"]}
    for form in FORMS:
        for pid, p in files[form]["profiles"].items():
            data["profiles"][pid] = {**p, "kind": form}
    return data


@cache
def _sections_file() -> dict:
    """Read, never changed: profile_defs and section_defs share one parse."""
    return _load("sections.yaml")


@cache
def profile_defs() -> dict[str, ProfileDef]:
    data = profiles_file()
    kinds = {t["id"]: t["kind"] for t in tables_file()["tables"]}
    known_sections = {s["key"] for s in _sections_file()["sections"]}
    out = {}
    for pid, p in data["profiles"].items():
        where = f"forms/{p['kind']}/profiles.yaml: profile {pid!r}"
        for tid in (*p["tables"], *p["required_tables"]):
            if kinds.get(tid) != p["kind"]:
                raise ValueError(f"{where}: {tid!r} is not a table of the {p['kind']} form")
        for key in p["required_sections"]:
            if key not in known_sections:
                raise ValueError(f"{where}: unknown section {key!r}")
        if p["scope"] not in ("department", "unit"):
            raise ValueError(f"{where}: scope must be department or unit")
        out[pid] = ProfileDef(
            id=pid, name=p["name"], scope=p["scope"],
            signals={k: dict(v) for k, v in p.get("signals", {}).items()},
            tables=tuple(p["tables"]), required_tables=tuple(p["required_tables"]),
            required_sections=tuple(p["required_sections"]), parts=tuple(p.get("parts", ())),
            not_applicable=frozenset(p.get("not_applicable", ())),
            kind=p["kind"],
        )
    if DEFAULT_PROFILE not in out:
        raise ValueError(f"forms/budget/profiles.yaml: the default profile {DEFAULT_PROFILE!r} is missing")
    return out


def profile_def(pid: str | None) -> ProfileDef:
    return profile_defs().get(pid or DEFAULT_PROFILE) or profile_defs()[DEFAULT_PROFILE]


@cache
def scope_words() -> dict[str, re.Pattern]:
    return {k: re.compile(v) for k, v in profiles_file()["scope_words"].items()}


@cache
def section_defs() -> tuple[SectionDef, ...]:
    return tuple(
        SectionDef(key=s["key"], title=s["title"], match=re.compile(s["match"]),
                   bare=re.compile(s["bare"]) if s.get("bare") else None, children=s.get("children") != "none")
        for s in _sections_file()["sections"]
    )
