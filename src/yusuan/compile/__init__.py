"""Compile a disclosure from budget line items (预算管理一体化 export) and its
text, all in one workbook (or the text in disclosure.yaml): `yusuan compile DIR`."""

from .build import Compiled, compile_dir
from .inputs import CompileError, CompileWarning, Place, Problem

__all__ = ["CompileError", "CompileWarning", "Compiled", "Place", "Problem", "compile_dir"]
