"""Compile a disclosure from budget line items (预算管理一体化 export) and a
YAML file for the text: `yusuan compile DIR`."""

from .build import compile_dir
from .inputs import CompileError

__all__ = ["CompileError", "compile_dir"]
