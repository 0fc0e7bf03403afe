"""Seeded mutations of the example files: whatever the damage, `yusuan
check` ends in seconds with status 0, 1 or 2 — never 3 (a fault of its own)
and never a traceback. The seed is fixed so a failure reproduces; set
YUSUAN_FUZZ_SEED and YUSUAN_FUZZ_CASES to explore further."""

import io
import os
import random
import re
import resource
import time
import zipfile

import pytest
from conftest import EXAMPLES, cli

SEED = int(os.environ.get("YUSUAN_FUZZ_SEED", "20261123"))
CASES = int(os.environ.get("YUSUAN_FUZZ_CASES", "40"))  # per format
SECONDS = 5  # a mutant may be refused, never ground through
MEMORY_MB = 2048


def _bytes_mutant(data: bytes, rng: random.Random) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.choice(("flip", "cut", "dup", "drop", "junk"))
        at = rng.randrange(max(len(b), 1))
        if op == "flip" and b:
            b[at] ^= 1 << rng.randrange(8)
        elif op == "cut":
            del b[at:]
        elif op == "dup":
            n = rng.randint(1, 4096)
            b[at:at] = b[at:at + n] * rng.randint(1, 8)
        elif op == "drop":
            del b[at:at + rng.randint(1, 4096)]
        else:
            b[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))
    return bytes(b)


_TOKEN = re.compile(rb"<[^>]{1,200}>|[^<]{1,200}")


def _xml_mutant(xml: bytes, rng: random.Random) -> bytes:
    """Damage at the level of tags and text, so the XML parsers and the
    table reconstruction behind them are reached, not only the zip check."""
    parts = _TOKEN.findall(xml)
    for _ in range(rng.randint(1, 6)):
        if not parts:
            break
        i = rng.randrange(len(parts))
        op = rng.choice(("drop", "dup", "swap", "digits", "attr"))
        if op == "drop":
            del parts[i]
        elif op == "dup":
            parts[i:i] = [parts[i]] * rng.randint(1, 5)
        elif op == "swap":
            j = rng.randrange(len(parts))
            parts[i], parts[j] = parts[j], parts[i]
        elif op == "digits":
            parts[i] = re.sub(rb"\d", lambda m: str(rng.randrange(10)).encode() * rng.randint(1, 3), parts[i])
        else:
            parts[i] = re.sub(rb'="[^"]*"', lambda m: b'="' + str(rng.choice((-1, 0, 99999, 2 ** 40))).encode() + b'"',
                              parts[i], count=1)
    return b"".join(parts)


def _zip_mutant(data: bytes, rng: random.Random) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    target = rng.choice([n for n in src.namelist() if n.endswith(".xml")])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name in src.namelist():
            body = src.read(name)
            z.writestr(name, _xml_mutant(body, rng) if name == target else body)
    return out.getvalue()


def _text_mutant(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    for _ in range(rng.randint(1, 6)):
        i = rng.randrange(len(lines))
        op = rng.choice(("drop", "dup", "blank", "digits", "tab"))
        if op == "drop":
            del lines[i]
        elif op == "dup":
            lines[i:i] = [lines[i]] * rng.randint(1, 3)
        elif op == "blank":
            lines.insert(i, rng.choice((b"", b" ", b"\t", b"\r")))
        elif op == "digits":
            lines[i] = re.sub(rb"\d", lambda m: rng.choice((b"O", b"9", b"", b"99", b".")), lines[i])
        else:
            lines[i] = lines[i].replace(b"\t", b"    ")
    return b"\n".join(lines)


def _xlsx_example(tmp_path_factory) -> bytes:
    from yusuan.read import read
    from yusuan.write.render import render

    return render(read(EXAMPLES / "jinzhou-2026.txt"), "xlsx")


def _cases():
    rng = random.Random(SEED)
    kinds = [("txt", _text_mutant), ("txt", _bytes_mutant), ("docx", _zip_mutant), ("docx", _bytes_mutant),
             ("xlsx", _zip_mutant), ("pdf", _bytes_mutant)]
    for k in range(CASES):
        for suffix, mutate in kinds:
            yield pytest.param(suffix, mutate, rng.randrange(2 ** 32), id=f"{suffix}-{mutate.__name__[1:-7]}-{k}")


@pytest.fixture(scope="module")
def originals(tmp_path_factory):
    return {"txt": (EXAMPLES / "jinzhou-2026.txt").read_bytes(), "docx": (EXAMPLES / "gaoyang-2023.docx").read_bytes(),
            "xlsx": _xlsx_example(tmp_path_factory), "pdf": (EXAMPLES / "jinzhou-2026.pdf").read_bytes()}


@pytest.mark.parametrize("suffix,mutate,seed", list(_cases()))
def test_a_mutant_is_checked_or_refused_in_seconds(suffix, mutate, seed, originals, tmp_path, monkeypatch):
    monkeypatch.setenv("YUSUAN_CRASH_DIR", str(tmp_path / "crashes"))
    # a mutant that breaks a page's font sends it to OCR, seconds a page by
    # design; here the parsers are under test, so no page is read by OCR
    monkeypatch.setenv("YUSUAN_LIMITS", "ocr_pages=0")
    path = tmp_path / f"mutant.{suffix}"
    path.write_bytes(mutate(originals[suffix], random.Random(seed)))
    start = time.perf_counter()
    r = cli("check", path, "-f", "json")
    took = time.perf_counter() - start
    crash = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "crashes").glob("*")) if r.exit_code == 3 else ""
    assert r.exit_code in (0, 1, 2), crash or r.output
    assert "Traceback" not in r.output
    assert took < SECONDS, f"{took:.1f} s"
    if r.exit_code == 2:
        assert len(r.stderr.strip().splitlines()) == 1 and r.stderr.startswith(f"yusuan: {path}: ")
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss < MEMORY_MB * 1024
