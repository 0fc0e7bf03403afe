"""Looking things up in a disclosure's tables by the names the definitions
give them (`data/tables.yaml` rows), never by printed position. Shared by
the audit and the explanation generator."""

from __future__ import annotations

from decimal import Decimal

from .definitions import TableDef, squash, table_defs
from .model import Disclosure, Row, Table

ZERO = Decimal(0)


class Lookup:
    def __init__(self, d: Disclosure) -> None:
        self.d = d
        self._named: dict[tuple[str, str], Row | None] = {}

    def table(self, table_id: str) -> Table | None:
        if table_id in self.d.tables:
            return self.d.tables[table_id]
        if table_id == "procurement":
            return self.d.procurement
        if table_id == "assets":
            return self.d.assets
        # a 决算 table answers to the budget table it corresponds to (same row
        # and column keys), so the rules written for one form read the other
        return next((t for t in self.d.tables.values() if table_defs()[t.id].counterpart == table_id), None)

    @staticmethod
    def definition(table: Table) -> TableDef:
        return table_defs()[table.id]

    def named(self, table_id: str, key: str) -> Row | None:
        """The first row the definitions call `key` (e.g. three_public/subtotal)."""
        cache_key = (table_id, key)
        if cache_key not in self._named:
            t = self.table(table_id)
            row = None
            if t is not None:
                rd = next((r for r in table_defs()[t.id].rows if r.key == key), None)
                row = None if rd is None else next(
                    (r for r in t.rows if (rd.side is None or r.side == rd.side) and rd.match.search(squash(r.name))),
                    None,
                )
                if row is None and key == "total" and len(t.rows) == 1 and not t.rows[0].name:
                    row = t.rows[0]  # a table printed as one row of values (Jiangsu's 支出预算总表) is its total
            self._named[cache_key] = row
        return self._named[cache_key]

    def value(self, table_id: str, key: str, column: str) -> Decimal | None:
        """A named row's amount; None when the table or the row is absent
        (an empty table's named rows count as zero)."""
        t = self.table(table_id)
        if t is None:
            return None
        row = self.named(table_id, key)
        if row is None:
            return ZERO if not t.rows else None
        return row.amounts.get(column) or ZERO

    def code_total(self, table_id: str, code: str, column: str) -> Decimal:
        """The amount of the row with this classification code (0 if none)."""
        t = self.table(table_id)
        row = next((r for r in t.rows if r.code == code), None) if t is not None else None
        return (row.amounts.get(column) or ZERO) if row is not None else ZERO

    @staticmethod
    def amount(row: Row, column: str) -> Decimal:
        return row.amounts.get(column) or ZERO
