"""Building a document (reading one, laying one out) allocates tens of
thousands of objects that form no cycles; the cycle collector's passes
over them and everything else alive cost up to half the time and made the
work grow faster than the rows. `no_gc_pauses()` holds the collector until
the document is built, and leaves it as it was."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def no_gc_pauses() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
