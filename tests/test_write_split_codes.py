"""Shanghai prints a code across 类 | 款 | 项 columns: yusuan writes such a
table the same way (it raised KeyError: 'code_part' before) and reads its
own DOCX and XLSX back to the same amounts under the same codes."""

from pathlib import Path

import pytest

from yusuan.export.cells import iter_cells
from yusuan.read import read, read_bytes
from yusuan.write.layout import code_part
from yusuan.write.render import render

LAYOUTS = Path(__file__).parent / "data" / "layouts"


def test_code_parts_by_the_definitions_widths():
    assert [code_part("2070101", k) for k in ("code_l1", "code_l2", "code_l3")] == ["207", "01", "01"]
    assert [code_part("207", k) for k in ("code_l1", "code_l2", "code_l3")] == ["207", "", ""]
    assert code_part(None, "code_l1") == ""


@pytest.mark.parametrize("name", ["sh-dept-2025", "sh-unit-2025"])
@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_split_code_tables_round_trip(name, fmt):
    d = read(LAYOUTS / f"{name}.docx")
    assert any(c.kind == "code_part" for c in d.tables["expenditure"].columns)
    back = read_bytes(render(d, fmt), f"x.{fmt}")
    assert sorted(iter_cells(back)) == sorted(iter_cells(d))
    items = [(r.code, r.name.strip()) for r in d.tables["expenditure"].rows if r.code and len(r.code) == 7]
    assert items and items == [(r.code, r.name.strip()) for r in back.tables["expenditure"].rows
                                if r.code and len(r.code) == 7]
