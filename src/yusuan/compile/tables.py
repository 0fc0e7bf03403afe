"""Atoms → the nine tables, procurement and assets, in the printed form of
`data/forms/budget/form.yaml`."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from ..audit.catalogue import catalogue
from ..definitions import levels, table_defs
from ..model import Column, Paragraph, Row, Table, TableHeader
from ..numerals import chinese_numeral
from ..write.form import printed_form
from .aggregate import AtomKey, Atoms, fund_types, to_wan

ZERO = Decimal(0)
Filter = Callable[[AtomKey], bool]


def form() -> dict:
    return printed_form("budget").raw_tables


def _v(x: Decimal) -> Decimal | None:
    """Zero prints as an empty cell, as in the published forms."""
    return x if x else None


def columns(tid: str, year: int, numbered: bool = True) -> list[Column]:
    tdef = table_defs()[tid]
    out, n = [], 0
    for key, path in form()[tid]["columns"]:
        cdef = tdef.column_def(key)
        path = [p.format(year=year) for p in path]
        number = None
        if numbered and cdef.kind != "seq":
            n += 1
            number = n
        out.append(Column(key=key, kind=cdef.kind, label=path[-1], header=path, number=number, side=cdef.side))
    return out


def header(code: str | None, name: str, year: int, unit: str = "万元") -> TableHeader:
    dept = f"{code or ''}{name}"
    return TableHeader(department=dept, year=str(year), unit=unit,
                       printed=[dept, f"预算年度：{year}", f"单位：{unit}"])


def _table(tid: str, head: TableHeader, rows: list[Row], year: int, notes: list[str] | None = None,
           numbered: bool = True) -> Table:
    spec = form()[tid]
    notes = list(notes if notes is not None else spec.get("notes", []))
    if not any(v is not None for r in rows for v in r.amounts.values()) and spec.get("empty_note"):
        notes.append(spec["empty_note"])
    return Table(id=tid, title=spec["title"], header=head, unit=head.unit, columns=columns(tid, year, numbered), rows=rows,
                 notes=[Paragraph(text=n) for n in notes])


def functional_rows(atoms: Atoms, year: int, values: dict[str, Filter], only: Filter) -> list[Row]:
    """合计, then every 类 → 款 → 项 with money, each column a sum of atoms."""
    level_of = levels("functional")
    leaves = sorted({k.func for k, v in atoms.amounts.items() if only(k)})
    if not leaves:
        return []
    codes = sorted({c[:n] for c in leaves for n in (3, 5, 7)})

    def amounts(prefix: str) -> dict[str, Decimal | None]:
        sel = [(k, v) for k, v in atoms.amounts.items() if k.func.startswith(prefix) and only(k)]
        return {col: _v(sum((v for k, v in sel if f(k)), ZERO)) for col, f in values.items()}

    rows = [Row(seq="1", name="合计", amounts=amounts(""))]
    for i, code in enumerate(codes, start=2):
        rows.append(Row(seq=str(i), code=code, name=atoms.name("functional", code), level=level_of[len(code)],
                        amounts=amounts(code)))
    return rows


def _fund(*codes: str) -> Filter:
    return lambda k: k.fund in codes


FISCAL = ("11", "12", "13")
ALL: Filter = lambda k: True


def income(atoms: Atoms, year: int, head: TableHeader) -> Table:
    by_income = lambda key: _fund(*[c for c, f in fund_types().items() if f["income"] == key])
    values = {"total": ALL, "subtotal": ALL, "fiscal": _fund(*FISCAL), "special_account": by_income("special_account"),
              "unit_funds": by_income("unit_funds")}
    rows = functional_rows(atoms, year, values, ALL)
    for r in rows:
        r.amounts["carryover"] = None
    return _table("income", head, rows, year)


def expenditure(atoms: Atoms, year: int, head: TableHeader) -> Table:
    values = {"total": ALL, "basic": lambda k: k.kind == "basic", "project": lambda k: k.kind == "project"}
    rows = functional_rows(atoms, year, values, ALL)
    for r in rows:
        r.amounts.update(operating=None, remit_superior=None, subsidy_affiliated=None)
    return _table("expenditure", head, rows, year)


def by_fund(tid: str, fund: str, atoms: Atoms, year: int, head: TableHeader) -> Table:
    values = {"total": ALL, "basic": lambda k: k.kind == "basic", "project": lambda k: k.kind == "project"}
    return _table(tid, head, functional_rows(atoms, year, values, _fund(fund)), year)


def general_basic(atoms: Atoms, year: int, head: TableHeader) -> Table:
    only = lambda k: k.fund == "11" and k.kind == "basic"
    personnel = lambda k: k.eco[:3] in ("301", "303")
    ecos = sorted({k.eco for k in atoms.amounts if only(k)})
    codes = sorted({c[:n] for c in ecos for n in (3, 5)})

    def amounts(prefix: str) -> dict:
        sel = [(k, v) for k, v in atoms.amounts.items() if only(k) and k.eco.startswith(prefix)]
        return {"total": _v(sum((v for _, v in sel), ZERO)),
                "personnel": _v(sum((v for k, v in sel if personnel(k)), ZERO)),
                "public": _v(sum((v for k, v in sel if not personnel(k)), ZERO))}

    rows = [Row(seq="1", name="合计", amounts=amounts(""))] if codes else []
    level_of = levels("economic")
    for i, code in enumerate(codes, start=2):
        rows.append(Row(seq=str(i), code=code, name=atoms.name("economic", code), level=level_of[len(code)],
                        amounts=amounts(code)))
    return _table("general_basic", head, rows, year)


def _classes(atoms: Atoms, year: int) -> list[tuple[str, str]]:
    """Every 类 of the year, the summary tables' expenditure rows: the
    catalogue's, with the input's names and any 类 it adds."""
    cat = catalogue("functional")
    names = {code: e.name for code, es in cat.entries.items() if len(code) == 3 for e in es if e.valid(year)}
    names |= {code: name for code, name in atoms.names["functional"].items() if len(code) == 3}
    return sorted(names.items())


def summary(atoms: Atoms, year: int, head: TableHeader) -> Table:
    spec = form()["summary"]
    inc = {key: atoms.total(fund=lambda f, key=key: fund_types()[f]["income"] == key) for key, _ in spec["income_rows"]}
    income_rows = [(name, inc[key]) for key, name in spec["income_rows"]]
    classes = [(f"{chinese_numeral(i)}、{name}", atoms.total(func=lambda f, c=code: f.startswith(c)))
               for i, (code, name) in enumerate(_classes(atoms, year), start=1)]
    subtotal = sum(inc.values(), ZERO)
    spent = sum((v for _, v in classes), ZERO)
    lines = max(len(income_rows), len(classes))
    rows: list[Row] = []
    for i in range(lines):
        seq = str(i + 1)
        if i < len(income_rows):
            rows.append(Row(seq=seq, name=income_rows[i][0], side="income", amounts={"income_amount": _v(income_rows[i][1])}))
        if i < len(classes):
            rows.append(Row(seq=seq, name=classes[i][0], side="expenditure",
                            amounts={"expenditure_amount": _v(classes[i][1])}))
    tail = [("本年收入合计", subtotal, "本年支出合计", spent), ("上年结转结余", ZERO, "年终结转结余", ZERO),
            ("收入总计", subtotal, "支出总计", spent)]
    for j, (a, av, b, bv) in enumerate(tail, start=lines + 1):
        rows.append(Row(seq=str(j), name=a, side="income", amounts={"income_amount": _v(av)}))
        rows.append(Row(seq=str(j), name=b, side="expenditure", amounts={"expenditure_amount": _v(bv)}))
    return _table("summary", head, rows, year)


def fiscal_summary(atoms: Atoms, year: int, head: TableHeader) -> Table:
    spec = form()["fiscal_summary"]
    fiscal = {key: atoms.total(fund=lambda f, key=key: fund_types()[f].get("fiscal") == key) for key, _ in spec["income_rows"]}
    cols = {"general_budget": "11", "gov_fund": "12", "soe": "13"}

    def exp(prefix: str) -> dict:
        vals = {c: atoms.total(func=lambda f, p=prefix: f.startswith(p), fund=f) for c, f in cols.items()}
        return {"total": _v(sum(vals.values(), ZERO)), **{c: _v(v) for c, v in vals.items()}}

    classes = _classes(atoms, year)
    rows: list[Row] = []
    incomes = [(name, fiscal[key]) for key, name in spec["income_rows"]]
    for i, (code, name) in enumerate(classes):
        seq = str(i + 1)
        if i < len(incomes):
            rows.append(Row(seq=seq, name=incomes[i][0], side="income", amounts={"income_amount": _v(incomes[i][1])}))
        rows.append(Row(seq=seq, name=f"{chinese_numeral(i + 1)}、{name}", side="expenditure", amounts=exp(code)))
    n = len(classes)
    total_in = sum(fiscal.values(), ZERO)
    blank = {"total": None, "general_budget": None, "gov_fund": None, "soe": None}
    rows += [Row(seq=str(n + 1), name="本年收入合计", side="income", amounts={"income_amount": _v(total_in)}),
             Row(seq=str(n + 1), name="本年支出合计", side="expenditure", amounts=exp("")),
             Row(seq=str(n + 2), name="年初财政拨款结转和结余", side="income", amounts={"income_amount": None}),
             Row(seq=str(n + 2), name="年末财政拨款结转和结余", side="expenditure", amounts=dict(blank))]
    for j, (name, _) in enumerate(incomes, start=n + 3):
        rows.append(Row(seq=str(j), name=name, side="income", amounts={"income_amount": None}))
    last = str(n + 3 + len(incomes))
    rows += [Row(seq=last, name="收入总计", side="income", amounts={"income_amount": _v(total_in)}),
             Row(seq=last, name="支出总计", side="expenditure", amounts=exp(""))]
    return _table("fiscal_summary", head, rows, year)


def three_public(atoms: Atoms, year: int, head: TableHeader) -> Table:
    defs = {rd.key: rd for rd in table_defs()["three_public"].rows}
    cols = {"general_budget": "11", "gov_fund": "12", "soe": "13"}
    leaf: dict[str, dict[str, Decimal]] = {}
    for key, rd in defs.items():
        if rd.economic:
            leaf[key] = {c: atoms.total(eco=lambda e, codes=rd.economic: e in codes, fund=f) for c, f in cols.items()}
    zero = {c: ZERO for c in cols}
    leaf.setdefault("abroad_research", dict(zero))
    leaf["abroad_other"] = leaf.pop("abroad", dict(zero))

    def add(*keys: str) -> dict[str, Decimal]:
        return {c: sum((leaf[k][c] for k in keys), ZERO) for c in cols}

    leaf["abroad"] = add("abroad_research", "abroad_other")
    leaf["vehicles"] = add("vehicle_purchase", "vehicle_running")
    leaf["subtotal"] = add("abroad", "vehicles", "reception")
    rows = []
    for i, (key, name) in enumerate(form()["three_public"]["rows"], start=1):
        vals = leaf[key]
        rows.append(Row(seq=str(i), name=name, amounts={"total": _v(sum(vals.values(), ZERO)),
                                                         **{c: _v(v) for c, v in vals.items()}}))
    return _table("three_public", head, rows, year)


def assets(spec: dict | None, code: str | None, name: str, year: int) -> Table | None:
    """`spec` as compile/text.py checked it: item key → {quantity, value (元)}, and as_of."""
    if not spec:
        return None
    rows = []
    total = ZERO
    for key, label in form()["assets"]["rows"]:
        if key == "total":
            continue
        item = spec.get(key) or {}
        value = to_wan(item["value"]) if item.get("value") is not None else None
        if value is not None and key != "offices":  # 办公用房 is part of 房屋
            total += value
        rows.append(Row(name=label, amounts={"quantity": item.get("quantity"), "value": value}))
    as_of = str(spec.get("as_of") or f"{year - 1}-12-31")
    dept = f"{code or ''}{name}"
    head = TableHeader(department=dept, as_of=as_of, printed=[dept, f"截止时间：{as_of}"])
    rows.insert(0, Row(name="资产总额", amounts={"quantity": None, "value": _v(total)}))
    return _table("assets", head, rows, year, numbered=False)
