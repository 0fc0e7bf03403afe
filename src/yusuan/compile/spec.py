"""The compile input set as data (`data/compile_inputs.yaml`): sheets,
columns and items, checked when loaded so a slip in the file fails at once
instead of as a confusing error in an officer's workbook."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml


KINDS = ("rows", "items", "fixed")
NEEDS = ("required", "expected", "optional", "conditional")
TYPES = ("text", "code", "year", "date", "amount", "number", "percent", "choice")
NEED_ZH = {"required": "必填", "expected": "应填", "optional": "选填", "conditional": "视情况"}


@dataclass(frozen=True, slots=True)
class ColumnDef:
    code: str
    label: str
    need: str
    type: str = "text"
    help: str = ""
    key: str | None = None
    digits: tuple[int, ...] = ()
    choices: tuple[tuple[str, str], ...] = ()  # label → value, in the order shown
    read: bool = True

    def choice(self, text: str) -> str | None:
        return next((v for k, v in self.choices if k == text), None)

    def explained(self) -> str:
        """The column's help, with its allowed values spelled out."""
        parts = [self.help] if self.help else []
        if self.type == "code":
            parts.append(f"{'或'.join(map(str, self.digits))}位数字")
        elif self.type == "amount":
            parts.append("元，不能为负数")
        elif self.type == "choice":
            shown = [k for k, _ in self.choices]
            parts.append("填写：" + "、".join(shown))
        elif self.type == "year":
            parts.append("四位年份")
        elif self.type == "date":
            parts.append("日期，如 2025-12-31")
        elif self.type == "percent":
            parts.append("百分比，如 25%")
        elif self.type == "number":
            parts.append("数字，不能为负数")
        return "；".join(parts)


@dataclass(frozen=True, slots=True)
class ItemDef:
    label: str
    key: str
    need: str = "optional"
    type: str = "text"
    help: str = ""
    many: bool = False


@dataclass(frozen=True, slots=True)
class SheetDef:
    name: str
    kind: str
    need: str
    purpose: str
    columns: tuple[ColumnDef, ...]
    key: str | None = None
    items: tuple[ItemDef, ...] = ()

    def column(self, code: str) -> ColumnDef:
        return next(c for c in self.columns if c.code == code)

    def read_columns(self) -> tuple[ColumnDef, ...]:
        return tuple(c for c in self.columns if c.read)

    def item(self, label: str) -> ItemDef | None:
        return next((i for i in self.items if i.label == label), None)


@dataclass(frozen=True, slots=True)
class InputSpec:
    workbook: str
    text_file: str
    guide_sheet: str
    instructions: tuple[str, ...]
    sheets: dict[str, SheetDef]

    def sheet_index(self, name: str | None) -> int:
        return list(self.sheets).index(name) if name in self.sheets else len(self.sheets)


@cache
def fund_types() -> dict[str, dict]:
    text = resources.files("yusuan.data").joinpath("fund_types.yaml").read_text(encoding="utf-8")
    return {str(k): v for k, v in yaml.safe_load(text)["fund_types"].items()}


_CODE = re.compile(r"^[A-Z][A-Z0-9_]*$")


def _column(sheet: str, raw: dict) -> ColumnDef:
    where = f"compile_inputs.yaml: {sheet}.{raw.get('code')}"
    unknown = set(raw) - {"code", "label", "need", "type", "help", "key", "digits", "choices", "choices_from", "read"}
    if unknown:
        raise ValueError(f"{where}: unknown fields {sorted(unknown)}")
    if not _CODE.match(str(raw.get("code", ""))) or not raw.get("label"):
        raise ValueError(f"{where}: a column needs an upper-case code and a label")
    kind = raw.get("type", "text")
    if kind not in TYPES or raw.get("need") not in NEEDS:
        raise ValueError(f"{where}: type must be one of {TYPES}, need one of {NEEDS}")
    choices: list[tuple[str, str]] = []
    if kind == "choice":
        if raw.get("choices_from") == "fund_types":
            choices = [(code, code) for code in fund_types()]
        elif isinstance(raw.get("choices"), dict):
            choices = [(str(k), str(v)) for k, v in raw["choices"].items()]
        elif isinstance(raw.get("choices"), list):
            choices = [(str(k), str(k)) for k in raw["choices"]]
        if not choices:
            raise ValueError(f"{where}: a choice column needs choices or choices_from: fund_types")
    help_text = str(raw.get("help", ""))
    if raw.get("choices_from") == "fund_types":
        listed = "，".join(f"{code} {ft['name']}" for code, ft in fund_types().items())
        help_text = f"{help_text}；{listed}" if help_text else listed
    digits = tuple(int(d) for d in raw.get("digits", ()))
    if (kind == "code") != bool(digits):
        raise ValueError(f"{where}: digits goes with type code, and only with it")
    col = ColumnDef(code=raw["code"], label=str(raw["label"]), need=raw["need"], type=kind, help=help_text,
                    key=raw.get("key"), digits=digits, choices=tuple(choices), read=raw.get("read", True))
    if not col.explained():
        raise ValueError(f"{where}: 填写说明 explains every column: give it a help")
    return col


def _item(sheet: str, raw: dict) -> ItemDef:
    where = f"compile_inputs.yaml: {sheet}.{raw.get('label')}"
    unknown = set(raw) - {"label", "key", "need", "type", "help", "many"}
    if unknown or not raw.get("label") or not raw.get("key"):
        raise ValueError(f"{where}: an item needs a label and a key (unknown fields {sorted(unknown)})")
    if raw.get("need", "optional") not in NEEDS or raw.get("type", "text") not in ("text", "year", "date"):
        raise ValueError(f"{where}: bad need or type")
    return ItemDef(label=str(raw["label"]), key=str(raw["key"]), need=raw.get("need", "optional"),
                   type=raw.get("type", "text"), help=str(raw.get("help", "")), many=bool(raw.get("many", False)))


def _sheet(name: str, raw: dict) -> SheetDef:
    if raw.get("kind") not in KINDS or raw.get("need") not in NEEDS or not raw.get("purpose"):
        raise ValueError(f"compile_inputs.yaml: {name}: needs kind {KINDS}, need {NEEDS} and a purpose")
    columns = tuple(_column(name, c) for c in raw.get("columns") or ())
    items = tuple(_item(name, i) for i in raw.get("items") or ())
    for what, names in (("codes", [c.code for c in columns]), ("labels", [c.label for c in columns]),
                        ("item labels", [i.label for i in items]), ("item keys", [i.key for i in items])):
        if len(set(names)) != len(names):
            raise ValueError(f"compile_inputs.yaml: {name}: repeated column {what}")
    if (raw["kind"] == "rows") == bool(items):
        raise ValueError(f"compile_inputs.yaml: {name}: items go with the items and fixed kinds, and only with them")
    if raw["kind"] == "rows" and raw.get("key") and any(c.key is None for c in columns if c.read):
        raise ValueError(f"compile_inputs.yaml: {name}: every column of a text sheet needs a key")
    if raw["kind"] != "rows" and columns[0].code != "ITEM":
        raise ValueError(f"compile_inputs.yaml: {name}: the first column of an {raw['kind']} sheet is ITEM")
    return SheetDef(name=name, kind=raw["kind"], need=raw["need"], purpose=str(raw["purpose"]), columns=columns,
                    key=raw.get("key"), items=items)


@cache
def input_spec() -> InputSpec:
    text = resources.files("yusuan.data").joinpath("compile_inputs.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    sheets = {str(name): _sheet(str(name), s) for name, s in raw["sheets"].items()}
    return InputSpec(workbook=raw["workbook"], text_file=raw["text_file"], guide_sheet=raw["guide_sheet"],
                     instructions=tuple(raw["instructions"]), sheets=sheets)
