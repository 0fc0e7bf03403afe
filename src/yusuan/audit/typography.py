"""Typography and leftovers: punctuation, pairs, cut-off reasons, doubled words, placeholders, missing % (rules W11–W17)."""

from __future__ import annotations
